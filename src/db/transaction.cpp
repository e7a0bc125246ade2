#include "db/transaction.hpp"

#include <algorithm>
#include <random>

#include "observability/log.hpp"

namespace gw::db::detail {

void sleep_before_retry(int attempt, int backoff_ms_max) {
    thread_local std::minstd_rand generator{std::random_device{}()};
    const int ceiling = std::clamp(attempt * attempt * 5, 1, std::max(1, backoff_ms_max));
    std::uniform_int_distribution<int> distribution(1, ceiling);
    std::this_thread::sleep_for(std::chrono::milliseconds(distribution(generator)));
}

bool& outbox_queued_here() {
    thread_local bool queued = false;
    return queued;
}

void note_retry(std::string_view name, int attempt, std::string_view sqlstate) {
    obs::log_warn("db.transaction.retry",
                  {{"transaction", name}, {"attempt", attempt}, {"sqlstate", sqlstate}});
}


}  // namespace gw::db::detail
