#pragma once

// Token buckets keyed by strings such as "login:ip:127.0.0.1". Each key may take `burst`
// requests at once and regains `burst` per `period`. Integer arithmetic only. Thread-safe and
// bounded: past `buckets_max` keys, idle (refilled) buckets are dropped; when every bucket is
// live, new keys are refused until one goes idle — no one's limit is ever forgotten early.
// Limits are per node; behind a load balancer each node enforces its own share.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace gw::http {

struct RateLimitPolicy {
    std::int64_t burst = 10;
    std::chrono::seconds period{60};
};

// The policies of the routes that take a limit (GOLDWALLET_RATE_LIMIT_*).
struct RateLimits {
    RateLimitPolicy login_per_ip{10, std::chrono::seconds(60)};
    RateLimitPolicy login_per_username{5, std::chrono::seconds(60)};
    RateLimitPolicy register_per_ip{10, std::chrono::seconds(600)};
    RateLimitPolicy refresh_per_ip{30, std::chrono::seconds(60)};
    // Buys and sells: each starts an M-Pesa operation (an STK prompt on a phone the caller
    // names, or a B2C payment), so a script cannot ring a stranger's phone again and again.
    RateLimitPolicy trade_per_user{10, std::chrono::seconds(60)};
    RateLimitPolicy trade_per_ip{60, std::chrono::seconds(60)};
};

class RateLimiter {
public:
    explicit RateLimiter(std::size_t buckets_max = 100'000);

    struct Decision {
        bool allowed = true;
        std::chrono::seconds retry_after{0};  // when refused: until one token is back (≥ 1 s)
    };

    // Takes one token from `key`'s bucket under `policy` at `now`.
    Decision take(const std::string& key,
                  const RateLimitPolicy& policy,
                  std::chrono::steady_clock::time_point now);

private:
    struct Bucket {
        std::int64_t scaled_tokens = 0;  // tokens × period in µs
        std::chrono::steady_clock::time_point updated;
    };

    void evict(std::chrono::steady_clock::time_point now);

    const std::size_t buckets_max_;
    std::mutex mutex_;
    std::unordered_map<std::string, Bucket> buckets_;  // guarded by mutex_
    std::chrono::seconds longest_period_{0};           // guarded by mutex_
};

}  // namespace gw::http
