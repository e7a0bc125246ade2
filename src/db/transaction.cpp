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

std::vector<CommitNotice>& commit_notices_here() {
    thread_local std::vector<CommitNotice> notices;
    return notices;
}

void NoticeScope::announce(const ConnectionPool& pool) const {
    for (const CommitNotice& notice : commit_notices_here()) {
        pool.announce(notice.channel, notice.key);
    }
}

void note_retry(std::string_view name, int attempt, std::string_view sqlstate) {
    obs::log_warn("db.transaction.retry",
                  {{"transaction", name}, {"attempt", attempt}, {"sqlstate", sqlstate}});
}

}  // namespace gw::db::detail

namespace gw::db {

void notify_on_commit(pqxx::work& /*tx*/, std::string channel, std::string key) {
    detail::commit_notices_here().push_back({std::move(channel), std::move(key)});
}

}  // namespace gw::db
