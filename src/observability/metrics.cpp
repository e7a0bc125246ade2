#include "observability/metrics.hpp"

#include <array>

namespace gw::obs {
namespace {

// Upper bounds of the latency buckets, in microseconds: 1 ms … 30 s (the longest a request may
// wait on purpose: GET /trade/{id} with Prefer: wait=30).
constexpr std::array<std::uint64_t, 14> kBucketBoundsUs = {
    1'000,   2'500,   5'000,     10'000,    25'000,    50'000,     100'000,
    250'000, 500'000, 1'000'000, 2'500'000, 5'000'000, 10'000'000, 30'000'000};

// Renders integer microseconds as decimal seconds ("0.0025"), exactly.
std::string seconds_text(std::uint64_t microseconds) {
    std::string whole = std::to_string(microseconds / 1'000'000);
    std::string fraction = std::to_string(microseconds % 1'000'000);
    fraction.insert(0, 6 - fraction.size(), '0');
    while (!fraction.empty() && fraction.back() == '0') {
        fraction.pop_back();
    }
    return fraction.empty() ? whole : whole + "." + fraction;
}

std::string escape_label_value(std::string_view value) {
    std::string escaped;
    escaped.reserve(value.size());
    for (char c : value) {
        if (c == '\\' || c == '"') {
            escaped += '\\';
            escaped += c;
        } else if (c == '\n') {
            escaped += "\\n";
        } else {
            escaped += c;
        }
    }
    return escaped;
}

std::string render_labels(const Labels& labels, std::string_view extra_name = {},
                          std::string_view extra_value = {}) {
    if (labels.empty() && extra_name.empty()) {
        return {};
    }
    std::string text = "{";
    for (const auto& [name, value] : labels) {
        text += name + "=\"" + escape_label_value(value) + "\",";
    }
    if (!extra_name.empty()) {
        text += std::string(extra_name) + "=\"" + std::string(extra_value) + "\",";
    }
    text.back() = '}';
    return text;
}

void render_histogram(std::string& out, const std::string& name, const Labels& labels,
                      const std::vector<std::uint64_t>& bucket_counts, std::uint64_t count,
                      std::uint64_t sum_us) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBucketBoundsUs.size(); ++i) {
        cumulative += bucket_counts[i];
        out += name + "_bucket" + render_labels(labels, "le", seconds_text(kBucketBoundsUs[i])) +
               " " + std::to_string(cumulative) + "\n";
    }
    out += name + "_bucket" + render_labels(labels, "le", "+Inf") + " " + std::to_string(count) +
           "\n";
    out += name + "_sum" + render_labels(labels) + " " + seconds_text(sum_us) + "\n";
    out += name + "_count" + render_labels(labels) + " " + std::to_string(count) + "\n";
}

}  // namespace

MetricsRegistry::Family& MetricsRegistry::family(std::string_view name, std::string_view help,
                                                 std::string_view type) {
    auto found = families_.find(name);
    if (found == families_.end()) {
        found = families_.emplace(std::string(name), Family{}).first;
        found->second.help = help;
        found->second.type = type;
    }
    return found->second;
}

void MetricsRegistry::increment(std::string_view name, std::string_view help,
                                const Labels& labels, std::uint64_t amount) {
    std::lock_guard lock(mutex_);
    family(name, help, "counter").counters[labels] += amount;
}

void MetricsRegistry::observe(std::string_view name, std::string_view help, const Labels& labels,
                              std::chrono::microseconds duration) {
    const auto us = static_cast<std::uint64_t>(duration.count() < 0 ? 0 : duration.count());
    std::lock_guard lock(mutex_);
    Histogram& histogram = family(name, help, "histogram").histograms[labels];
    if (histogram.bucket_counts.empty()) {
        histogram.bucket_counts.assign(kBucketBoundsUs.size(), 0);
    }
    for (std::size_t i = 0; i < kBucketBoundsUs.size(); ++i) {
        if (us <= kBucketBoundsUs[i]) {
            ++histogram.bucket_counts[i];
            break;
        }
    }
    ++histogram.count;
    histogram.sum_us += us;
}

void MetricsRegistry::add_gauge(std::string_view name, std::string_view help,
                                std::function<std::vector<GaugeSample>()> read) {
    std::lock_guard lock(mutex_);
    family(name, help, "gauge").gauge_reader = std::move(read);
}

std::string MetricsRegistry::render() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& [name, fam] : families_) {
        out += "# HELP " + name + " " + fam.help + "\n";
        out += "# TYPE " + name + " " + fam.type + "\n";
        for (const auto& [labels, value] : fam.counters) {
            out += name + render_labels(labels) + " " + std::to_string(value) + "\n";
        }
        for (const auto& [labels, histogram] : fam.histograms) {
            render_histogram(out, name, labels, histogram.bucket_counts, histogram.count,
                             histogram.sum_us);
        }
        if (fam.gauge_reader) {
            for (const GaugeSample& sample : fam.gauge_reader()) {
                out += name + render_labels(sample.labels) + " " + std::to_string(sample.value) +
                       "\n";
            }
        }
    }
    return out;
}

std::uint64_t MetricsRegistry::counter_value(std::string_view name, const Labels& labels) const {
    std::lock_guard lock(mutex_);
    auto found = families_.find(name);
    if (found == families_.end()) {
        return 0;
    }
    auto counter = found->second.counters.find(labels);
    return counter == found->second.counters.end() ? 0 : counter->second;
}

}  // namespace gw::obs
