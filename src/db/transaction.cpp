#include "db/transaction.hpp"

#include <algorithm>
#include <random>

#include "core/assert.hpp"
#include "observability/log.hpp"

namespace gw::db::detail {

void sleep_before_retry(int attempt, int backoff_ms_max) {
    thread_local std::minstd_rand generator{std::random_device{}()};
    const int ceiling = std::clamp(attempt * attempt * 5, 1, std::max(1, backoff_ms_max));
    std::uniform_int_distribution<int> distribution(1, ceiling);
    std::this_thread::sleep_for(std::chrono::milliseconds(distribution(generator)));
}

CommitNotices& commit_notices_here() {
    thread_local CommitNotices notices;
    return notices;
}

void NoticeScope::announce(const ConnectionPool& pool) const {
    for (const CommitNotice& notice : commit_notices_here().notices) {
        pool.announce(notice.channel, notice.key);
    }
}

void note_retry(std::string_view name, int attempt, std::string_view sqlstate) {
    obs::log_warn("db.transaction.retry",
                  {{"transaction", name}, {"attempt", attempt}, {"sqlstate", sqlstate}});
}

}  // namespace gw::db::detail

namespace gw::db {

void notify_on_commit(pqxx::work& tx, std::string channel, std::string key) {
    detail::CommitNotices& here = detail::commit_notices_here();
    // A notice given to another transaction (an enclosing one, or none) would be told when
    // this one commits, or never.
    GW_ASSERT(here.transaction == &tx, "notify_on_commit: not the transaction with_transaction runs here");
    here.notices.push_back({std::move(channel), std::move(key)});
}

}  // namespace gw::db
