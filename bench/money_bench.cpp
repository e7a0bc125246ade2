// Micro-benchmarks of the exact money core (core/money.hpp, core/rounding.hpp): parsing and
// formatting gram amounts and the two buy-side rounding rules. They sit on every trade request,
// so they should stay far below a microsecond; the __int128 rules serve as a baseline for the
// string work in the same run. Build with `make bench` (target money_bench) and run it with
// --benchmark_repetitions=5 --benchmark_report_aggregates_only=true for median and spread.

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include <benchmark/benchmark.h>

#include "core/money.hpp"
#include "core/rounding.hpp"

namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

// Inputs of different shapes so the branch predictor does not learn one path.
constexpr std::array<std::string_view, 8> kGramTexts = {
    "1.25", "0.000001", "1000", "12.345678", "9223372036854.775807", "0.5", "250.1", "3"};

void bm_parse_grams(benchmark::State& state) {
    const gw::Micrograms max{kInt64Max};
    std::size_t i = 0;
    for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
        auto result = gw::parse_grams(kGramTexts[i++ % kGramTexts.size()], max);
        benchmark::DoNotOptimize(result);
    }
}
BENCHMARK(bm_parse_grams);

void bm_parse_grams_rejected(benchmark::State& state) {
    for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
        auto result = gw::parse_grams("1.0000000", gw::Micrograms{kInt64Max});
        benchmark::DoNotOptimize(result);
    }
}
BENCHMARK(bm_parse_grams_rejected);

void bm_format_grams(benchmark::State& state) {
    std::int64_t value = 1'250'000;
    for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
        std::string text = gw::format_grams(gw::Micrograms{value});
        benchmark::DoNotOptimize(text);
        value = value * 7 % 1'000'000'000'007 + 1;
    }
}
BENCHMARK(bm_format_grams);

void bm_charge_for_grams(benchmark::State& state) {
    std::int64_t grams = 1'000'001;
    const gw::PricePerGram price{850'000};
    for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
        auto charge = gw::charge_for_grams(gw::Micrograms{grams}, price);
        benchmark::DoNotOptimize(charge);
        grams = grams % 1'000'000'000'000 + 7;
    }
}
BENCHMARK(bm_charge_for_grams);

void bm_grams_for_amount(benchmark::State& state) {
    std::int64_t cents = 100'000;
    const gw::PricePerGram price{850'000};
    for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
        auto grams = gw::grams_for_amount(gw::Cents{cents}, price);
        benchmark::DoNotOptimize(grams);
        cents = cents % 1'000'000'000 + 13;
    }
}
BENCHMARK(bm_grams_for_amount);

}  // namespace

BENCHMARK_MAIN();
