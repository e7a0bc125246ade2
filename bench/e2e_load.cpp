#include "e2e_load.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <latch>
#include <random>
#include <thread>

namespace gw::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct Window {
    SteadyClock::time_point measure_from{};
    SteadyClock::time_point end{};
};

std::int64_t ns_between(SteadyClock::time_point from, SteadyClock::time_point to) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(to - from).count();
}

SteadyClock::duration seconds_of(double seconds) {
    return std::chrono::duration_cast<SteadyClock::duration>(
        std::chrono::duration<double>(seconds));
}

// Starts `clients` threads running `body(index, window, ready, go)`, sets the window once all
// are ready, and joins them.
template <typename Body>
void run_clients(int clients, const LoadWindow& load_window, Body body) {
    std::latch ready(clients);
    std::latch go(1);
    Window window;
    std::vector<std::thread> threads;
    threads.reserve(static_cast<std::size_t>(clients));
    for (int i = 0; i < clients; ++i) {
        threads.emplace_back([&, i] {
            ready.count_down();
            go.wait();  // `window` is published by go.count_down()
            body(i, window);
        });
    }
    ready.wait();
    window.measure_from = SteadyClock::now() + seconds_of(load_window.warmup_seconds);
    window.end = window.measure_from + seconds_of(load_window.seconds);
    go.count_down();
    for (auto& thread : threads) {
        thread.join();
    }
}

std::string phone_of(std::uint64_t sequence) {
    char phone[16];
    std::snprintf(phone,
                  sizeof phone,
                  "07%08llu",
                  static_cast<unsigned long long>(10'000'000 + sequence % 89'999'999));
    return phone;
}

struct BuyTally {
    std::uint64_t settled = 0;
    std::uint64_t failed = 0;
    std::uint64_t requests = 0;
    std::vector<std::int64_t> quote_ns;
    std::vector<std::int64_t> buy_ns;
    std::vector<std::int64_t> settled_ns;
    std::string error;
};

// Waits for the trade to be completed or failed as a client of the API does: GET /trade/{id}
// with "Prefer: wait=N", which the server answers when the trade ends (or after N s, and then
// again), counting the requests. Returns the final status, or "" (with `error` set) on an
// unexpected answer or after load.settle_timeout.
std::string wait_settled(httplib::Client& http,
                         const BenchUser& user,
                         const BuyLoad& load,
                         const std::string& trade_id,
                         std::string status,
                         std::uint64_t& requests,
                         std::string& error) {
    const auto since = SteadyClock::now();
    const httplib::Headers prefer{{"Prefer", "wait=" + std::to_string(load.wait_per_request.count())}};
    while (status != "completed" && status != "failed") {
        if (SteadyClock::now() - since > load.settle_timeout) {
            error = "trade ";
            error += trade_id;
            error += " still ";
            error += status;
            error += " after " + std::to_string(load.settle_timeout.count()) + " s";
            return {};
        }
        const auto asked = SteadyClock::now();
        const Reply seen = call(http, "GET", "/trade/" + trade_id, nullptr, user.access_token, prefer);
        ++requests;
        if (seen.status != 200) {
            error = "GET /trade/{id}: " + std::to_string(seen.status) + " " + seen.raw;
            return {};
        }
        status = seen.body.value("status", "");
        const bool open = status != "completed" && status != "failed";
        if (open && SteadyClock::now() - asked < std::chrono::seconds(1)) {
            // Answered early and still open: the server had no room to wait. Pause, as the API
            // asks.
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
        }
    }
    return status;
}

// One buy from quote to settled; returns false (and sets tally.error) on anything unexpected.
bool one_buy(httplib::Client& http,
             const BenchUser& user,
             const BuyLoad& load,
             const Window& window,
             std::uint64_t sequence,
             BuyTally& tally) {
    const auto started = SteadyClock::now();
    const Reply quote = call(http,
                             "POST",
                             "/trade/quote",
                             {{"side", "buy"}, {"amount_kes", std::to_string(50 + sequence % 450)}},
                             user.access_token);
    const auto quoted = SteadyClock::now();
    if (quote.status != 201) {
        tally.error = "POST /trade/quote: " + std::to_string(quote.status) + " " + quote.raw;
        return false;
    }
    const Reply buy = call(
        http,
        "POST",
        "/trade/buy",
        {{"quote_id", quote.body.value("quote_id", "")}, {"phone_for_stk", phone_of(sequence)}},
        user.access_token,
        {{"Idempotency-Key", "bench-" + std::to_string(sequence)}});
    const auto bought = SteadyClock::now();
    if (buy.status != 201) {
        tally.error = "POST /trade/buy: " + std::to_string(buy.status) + " " + buy.raw;
        return false;
    }
    const std::string trade_id = buy.body.value("trade_id", "");
    std::uint64_t requests = 2;
    const std::string status = wait_settled(
        http, user, load, trade_id, buy.body.value("status", ""), requests, tally.error);
    if (status.empty()) {
        return false;
    }
    const auto settled = SteadyClock::now();
    if (status == "failed") {
        ++tally.failed;
        tally.error = "trade " + trade_id + " failed: " + buy.body.dump();
        return false;
    }
    if (settled >= window.measure_from && settled <= window.end) {
        ++tally.settled;
        tally.requests += requests;
    }
    if (started >= window.measure_from) {
        tally.quote_ns.push_back(ns_between(started, quoted));
        tally.buy_ns.push_back(ns_between(quoted, bought));
        tally.settled_ns.push_back(ns_between(started, settled));
    }
    return true;
}

template <typename T>
void append(std::vector<T>& to, const std::vector<T>& from) {
    to.insert(to.end(), from.begin(), from.end());
}

}  // namespace

double percentile_ms(std::vector<std::int64_t> values_ns, double p) {
    if (values_ns.empty()) {
        return 0;
    }
    std::sort(values_ns.begin(), values_ns.end());
    auto rank =
        static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values_ns.size())));
    rank = std::clamp<std::size_t>(rank, 1, values_ns.size());
    return static_cast<double>(values_ns[rank - 1]) / 1e6;
}

BuyLevelResult run_buy_level(const E2eStack& stack,
                             const std::vector<BenchUser>& users,
                             const BuyLoad& load,
                             std::atomic<std::uint64_t>& phone_sequence,
                             const std::atomic<bool>& interrupted) {
    std::vector<BuyTally> tallies(static_cast<std::size_t>(load.clients));
    run_clients(load.clients, load.window, [&](int index, const Window& window) {
        auto http = stack.client();
        const BenchUser& user = users.at(static_cast<std::size_t>(index));
        BuyTally& tally = tallies[static_cast<std::size_t>(index)];
        while (SteadyClock::now() < window.end && !interrupted.load(std::memory_order_relaxed)) {
            if (!one_buy(*http, user, load, window, phone_sequence++, tally)) {
                return;
            }
        }
    });
    BuyLevelResult result;
    result.clients = load.clients;
    result.window_seconds = load.window.seconds;
    for (const BuyTally& tally : tallies) {
        result.settled += tally.settled;
        result.failed += tally.failed;
        result.requests += tally.requests;
        append(result.quote_ns, tally.quote_ns);
        append(result.buy_ns, tally.buy_ns);
        append(result.settled_ns, tally.settled_ns);
        if (!tally.error.empty()) {
            result.errors.push_back(tally.error);
        }
    }
    return result;
}

ReadMixResult run_read_mix(const E2eStack& stack,
                           const std::vector<BenchUser>& users,
                           int clients,
                           const LoadWindow& load_window,
                           const std::atomic<bool>& interrupted) {
    struct ReadTally {
        std::vector<std::int64_t> balance_ns;
        std::vector<std::int64_t> ledger_ns;
        std::vector<std::int64_t> price_ns;
        std::string error;
    };
    std::vector<ReadTally> tallies(static_cast<std::size_t>(clients));
    run_clients(clients, load_window, [&](int index, const Window& window) {
        auto http = stack.client();
        const BenchUser& user = users.at(static_cast<std::size_t>(index));
        ReadTally& tally = tallies[static_cast<std::size_t>(index)];
        std::mt19937 rng(static_cast<std::uint32_t>(index) + 1);
        std::uniform_int_distribution<int> percent(0, 99);
        while (SteadyClock::now() < window.end && !interrupted.load(std::memory_order_relaxed)) {
            const int roll = percent(rng);
            const char* path = roll < 50   ? "/user/balance"
                               : roll < 80 ? "/user/ledger?limit=20"
                                           : "/prices/current";
            const auto started = SteadyClock::now();
            const Reply reply = call(*http, "GET", path, nullptr, user.access_token);
            const auto done = SteadyClock::now();
            if (reply.status != 200) {
                tally.error = std::string("GET ") + path + ": " + std::to_string(reply.status) +
                              " " + reply.raw;
                return;
            }
            if (started < window.measure_from || done > window.end) {
                continue;
            }
            auto& samples = roll < 50   ? tally.balance_ns
                            : roll < 80 ? tally.ledger_ns
                                        : tally.price_ns;
            samples.push_back(ns_between(started, done));
        }
    });
    ReadMixResult result;
    result.clients = clients;
    result.window_seconds = load_window.seconds;
    for (const ReadTally& tally : tallies) {
        append(result.balance_ns, tally.balance_ns);
        append(result.ledger_ns, tally.ledger_ns);
        append(result.price_ns, tally.price_ns);
        if (!tally.error.empty()) {
            result.errors.push_back(tally.error);
        }
    }
    append(result.all_ns, result.balance_ns);
    append(result.all_ns, result.ledger_ns);
    append(result.all_ns, result.price_ns);
    result.requests = result.all_ns.size();
    return result;
}

}  // namespace gw::bench
