// Proves the Prometheus exposition: counters accumulate per label set, histograms are
// cumulative with exact second sums, gauges are read at render time, label values are escaped.

#include "observability/metrics.hpp"

#include <gtest/gtest.h>

namespace gw::obs {
namespace {

TEST(Metrics, CountersAccumulatePerLabelSet) {
    MetricsRegistry metrics;
    metrics.increment("requests_total", "Requests", {{"status", "200"}});
    metrics.increment("requests_total", "Requests", {{"status", "200"}}, 2);
    metrics.increment("requests_total", "Requests", {{"status", "404"}});
    EXPECT_EQ(metrics.counter_value("requests_total", {{"status", "200"}}), 3u);
    EXPECT_EQ(metrics.counter_value("requests_total", {{"status", "404"}}), 1u);
    EXPECT_EQ(metrics.counter_value("requests_total", {{"status", "500"}}), 0u);
    const std::string text = metrics.render();
    EXPECT_NE(text.find("# TYPE requests_total counter\n"), std::string::npos);
    EXPECT_NE(text.find("requests_total{status=\"200\"} 3\n"), std::string::npos);
}

TEST(Metrics, HistogramBucketsAreCumulativeAndSumIsExact) {
    MetricsRegistry metrics;
    metrics.observe("latency_seconds", "Latency", {}, std::chrono::microseconds(1'500));
    metrics.observe("latency_seconds", "Latency", {}, std::chrono::microseconds(20'000'000));
    metrics.observe("latency_seconds", "Latency", {}, std::chrono::microseconds(40'000'000));
    const std::string text = metrics.render();
    EXPECT_NE(text.find("latency_seconds_bucket{le=\"0.001\"} 0\n"), std::string::npos);
    EXPECT_NE(text.find("latency_seconds_bucket{le=\"0.0025\"} 1\n"), std::string::npos);
    EXPECT_NE(text.find("latency_seconds_bucket{le=\"10\"} 1\n"), std::string::npos);
    EXPECT_NE(text.find("latency_seconds_bucket{le=\"30\"} 2\n"), std::string::npos)
        << "a 20 s wait (Prefer: wait) has a bucket of its own";
    EXPECT_NE(text.find("latency_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
    EXPECT_NE(text.find("latency_seconds_sum 60.0015\n"), std::string::npos);
    EXPECT_NE(text.find("latency_seconds_count 3\n"), std::string::npos);
}

TEST(Metrics, GaugesAreReadAtRender) {
    MetricsRegistry metrics;
    std::int64_t value = 1;
    metrics.add_gauge("pool_in_use", "In use", [&value] {
        return std::vector<GaugeSample>{{{}, value}};
    });
    EXPECT_NE(metrics.render().find("pool_in_use 1\n"), std::string::npos);
    value = 5;
    EXPECT_NE(metrics.render().find("pool_in_use 5\n"), std::string::npos);
}

TEST(Metrics, LabelValuesAreEscaped) {
    MetricsRegistry metrics;
    metrics.increment("odd_total", "Odd", {{"route", "a\"b\\c\n"}});
    EXPECT_NE(metrics.render().find(R"(odd_total{route="a\"b\\c\n"} 1)"), std::string::npos);
}

}  // namespace
}  // namespace gw::obs
