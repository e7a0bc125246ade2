#pragma once

// A small Prometheus registry: counters, latency histograms and gauges read at scrape time.
// Thread-safe: every method may be called concurrently from any thread.
// Histogram sums are kept in integer microseconds and rendered as seconds, so no rounding
// accumulates however long the process runs.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gw::obs {

// Label pairs in the order they are rendered, e.g. {{"method", "GET"}, {"route", "/healthz"}}.
using Labels = std::vector<std::pair<std::string, std::string>>;

struct GaugeSample {
    Labels labels;
    std::int64_t value = 0;
};

class MetricsRegistry {
public:
    MetricsRegistry() = default;
    MetricsRegistry(const MetricsRegistry&) = delete;
    MetricsRegistry& operator=(const MetricsRegistry&) = delete;

    // Adds `amount` to counter `name` with `labels`, creating it at zero first.
    void increment(std::string_view name,
                   std::string_view help,
                   const Labels& labels,
                   std::uint64_t amount = 1);

    // Records one observed duration in histogram `name` (buckets from 1 ms to 30 s).
    void observe(std::string_view name,
                 std::string_view help,
                 const Labels& labels,
                 std::chrono::microseconds duration);

    // Registers a gauge family whose samples `read` returns at every scrape.
    // REQUIRES: `read` is thread-safe and outlives this registry's last render().
    void add_gauge(std::string_view name,
                   std::string_view help,
                   std::function<std::vector<GaugeSample>()> read);

    // Returns the exposition text (format 0.0.4) of every family, sorted by name.
    std::string render() const;

    // Returns the value of one counter, or 0 when it does not exist. For tests and health checks.
    std::uint64_t counter_value(std::string_view name, const Labels& labels) const;

private:
    struct Histogram {
        std::vector<std::uint64_t> bucket_counts;  // cumulative counts are computed at render
        std::uint64_t count = 0;
        std::uint64_t sum_us = 0;
    };
    struct Family {
        std::string help;
        std::string type;
        std::map<Labels, std::uint64_t> counters;
        std::map<Labels, Histogram> histograms;
        std::function<std::vector<GaugeSample>()> gauge_reader;
    };

    Family& family(std::string_view name, std::string_view help, std::string_view type);

    mutable std::mutex mutex_;
    std::map<std::string, Family, std::less<>> families_;  // guarded by mutex_
};

}  // namespace gw::obs
