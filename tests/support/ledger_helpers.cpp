#include "support/ledger_helpers.hpp"

#include <array>
#include <stdexcept>
#include <vector>

#include "core/time_text.hpp"
#include "db/transaction.hpp"
#include "ledger/batch_apply.hpp"
#include "ledger/invariants.hpp"
#include "support/pg_fixture.hpp"

namespace gw::test {

std::string UuidSource::next() {
    std::array<std::uint64_t, 2> words{engine_(), engine_()};
    words[0] = (words[0] & ~0xF000ULL) | 0x4000ULL;                  // version 4
    words[1] = (words[1] & ~(0xC000ULL << 48)) | (0x8000ULL << 48);  // variant 10
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text;
    text.reserve(36);
    for (int i = 0; i < 32; ++i) {
        if (i == 8 || i == 12 || i == 16 || i == 20) {
            text += '-';
        }
        const std::uint64_t word = words[static_cast<std::size_t>(i / 16)];
        text += kHex[(word >> (60 - 4 * (i % 16))) & 0xF];
    }
    return text;
}

std::unique_ptr<db::ConnectionPool> make_ledger_pool(std::size_t pool_size) {
    db::Settings settings;
    settings.connection_string = TestCluster::instance().create_migrated_database();
    settings.pool_size = pool_size;
    settings.acquire_timeout_ms = 60'000;
    settings.statement_timeout_ms = 30'000;
    settings.retry_backoff_ms_max = 5;
    return std::make_unique<db::ConnectionPool>(settings);
}

void insert_user(pqxx::work& tx,
                 const std::string& user_id,
                 const std::string& name,
                 TimePoint now) {
    tx.exec_params(
        "INSERT INTO users (id, username, email, password_hash, created_at) "
        "VALUES ($1::uuid, $2, $2 || '@example.test', 'not-a-hash', $3::timestamptz)",
        user_id,
        name,
        format_rfc3339(now));
}

ledger::AccountId ensure_vault(pqxx::work& tx, TimePoint now) {
    return ledger::ensure_account(tx, {"vault:external", ledger::Asset::xau_ug, 0, {}, {}}, now);
}

ledger::AccountId create_gold_pool(pqxx::work& tx,
                                   const std::string& pool_id,
                                   const std::string& name,
                                   ledger::AccountId vault,
                                   std::int64_t micrograms,
                                   const std::string& fund_id,
                                   TimePoint now) {
    const ledger::AccountId account = ledger::ensure_account(tx,
                                                             {"pool:" + pool_id,
                                                              ledger::Asset::xau_ug,
                                                              ledger::kDebitsMustNotExceedCredits,
                                                              {},
                                                              pool_id},
                                                             now);
    tx.exec_params(
        "INSERT INTO gold_pools (id, name, purity_tenths, account_id, created_at) "
        "VALUES ($1::uuid, $2, 9999, $3, $4::timestamptz)",
        pool_id,
        name,
        account,
        format_rfc3339(now));
    if (micrograms > 0) {
        const ledger::Submission fund{
            {single_phase(fund_id, vault, account, micrograms, "pool.topup")}};
        const auto results = ledger::apply_submissions(tx, {&fund}, now);
        if (results.at(0).at(0) != ledger::TransferResult::ok) {
            throw std::runtime_error("funding pool " + pool_id +
                                     " failed: " + std::string(ledger::to_string(results[0][0])));
        }
    }
    return account;
}

ledger::AccountId ensure_user_share(pqxx::work& tx,
                                    const std::string& user_id,
                                    const std::string& pool_id,
                                    TimePoint now) {
    return ledger::ensure_account(tx,
                                  {"user:" + user_id + ":pool:" + pool_id,
                                   ledger::Asset::xau_ug,
                                   ledger::kDebitsMustNotExceedCredits,
                                   user_id,
                                   pool_id},
                                  now);
}

ledger::TransferRequest single_phase(const std::string& id,
                                     ledger::AccountId debit,
                                     ledger::AccountId credit,
                                     std::int64_t amount,
                                     const std::string& kind) {
    ledger::TransferRequest request;
    request.id = id;
    request.debit_account = debit;
    request.credit_account = credit;
    request.amount = amount;
    request.kind = kind;
    return request;
}

ledger::TransferRequest pending(const std::string& id,
                                ledger::AccountId debit,
                                ledger::AccountId credit,
                                std::int64_t amount,
                                std::optional<TimePoint> timeout_at,
                                const std::string& kind) {
    ledger::TransferRequest request = single_phase(id, debit, credit, amount, kind);
    request.type = ledger::TransferType::pending;
    request.timeout_at = timeout_at;
    return request;
}

ledger::TransferRequest post(const std::string& id,
                             const std::string& pending_id,
                             const std::string& kind) {
    ledger::TransferRequest request;
    request.id = id;
    request.type = ledger::TransferType::post_pending;
    request.pending_id = pending_id;
    request.kind = kind;
    return request;
}

ledger::TransferRequest void_pending(const std::string& id,
                                     const std::string& pending_id,
                                     const std::string& kind) {
    ledger::TransferRequest request = post(id, pending_id, kind);
    request.type = ledger::TransferType::void_pending;
    return request;
}

ledger::AccountBalance balance_of(db::ConnectionPool& pool, ledger::AccountId id) {
    return db::with_transaction(pool, "test.balance", [&](pqxx::work& tx) {
        const auto account = ledger::read_account(tx, id);
        if (!account) {
            throw std::runtime_error("no account " + std::to_string(id));
        }
        return account->balance;
    });
}

std::int64_t transfer_rows(db::ConnectionPool& pool, const std::string& id) {
    return db::with_transaction(pool, "test.count", [&](pqxx::work& tx) {
        return tx.exec_params1("SELECT count(*) FROM transfers WHERE id = $1::uuid", id)[0]
            .as<std::int64_t>();
    });
}

std::int64_t transfer_rows(db::ConnectionPool& pool) {
    return db::with_transaction(pool, "test.count", [&](pqxx::work& tx) {
        return tx.exec1("SELECT count(*) FROM transfers")[0].as<std::int64_t>();
    });
}

std::string invariant_report(db::ConnectionPool& pool) {
    const auto violations = db::with_transaction(
        pool, "test.invariants", [](pqxx::work& tx) { return ledger::check_invariants(tx); });
    std::string report;
    for (const auto& violation : violations) {
        report += violation.invariant + ": " + violation.detail + "\n";
    }
    return report;
}

}  // namespace gw::test
