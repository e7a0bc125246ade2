#include "trading/price_service.hpp"

#include "core/time_text.hpp"
#include "db/prepared.hpp"
#include "db/transaction.hpp"
#include "identity/audit_store.hpp"

namespace gw::trading {
namespace {

constexpr const char* kPriceColumns =
    "SELECT id, buy_cents_per_gram, sell_cents_per_gram, coalesce(set_by::text, ''), created_at "
    "FROM prices ";

PriceView price_from_row(const pqxx::row& row) {
    return PriceView{row[0].as<std::int64_t>(), PricePerGram{row[1].as<std::int64_t>()},
                     PricePerGram{row[2].as<std::int64_t>()}, row[3].as<std::string>(),
                     rfc3339_from_pg(row[4].as<std::string>())};
}

std::optional<PriceView> latest(pqxx::transaction_base& tx) {
    const pqxx::result rows = db::exec_prepared(tx, std::string(kPriceColumns) + "ORDER BY id DESC LIMIT 1");
    if (rows.empty()) {
        return std::nullopt;
    }
    return price_from_row(rows[0]);
}

nlohmann::json price_json(const std::optional<PriceView>& price) {
    if (!price) {
        return nullptr;
    }
    return {{"buy_price_per_gram", format_price(price->buy)},
            {"sell_price_per_gram", format_price(price->sell)}};
}

}  // namespace

PriceService::PriceService(db::ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

Result<PriceView> PriceService::set(const identity::Actor& actor, PricePerGram buy, PricePerGram sell) {
    if (buy < sell) {
        return make_error(ErrorCode::validation_failed,
                          "buy_price_per_gram: must be at least sell_price_per_gram");
    }
    return db::with_transaction(pool_, "price.set", [&](pqxx::work& tx) -> Result<PriceView> {
        // Serialises concurrent admins so each audit row's "before" is the price it replaced.
        tx.exec("LOCK TABLE prices IN SHARE ROW EXCLUSIVE MODE");
        const auto before = latest(tx);
        const TimePoint now = clock_.now();
        const pqxx::row row = db::exec_prepared1(tx,
            "INSERT INTO prices (buy_cents_per_gram, sell_cents_per_gram, set_by, created_at) "
            "VALUES ($1, $2, NULLIF($3, '')::uuid, $4::timestamptz) RETURNING id",
            buy.value(), sell.value(), actor.user_id, format_rfc3339(now));
        const auto id = row[0].as<std::int64_t>();
        const PriceView after{id, buy, sell, actor.user_id, format_rfc3339(now)};
        identity::append_audit(tx, actor,
                               {"price.set", "price", std::to_string(id), price_json(before),
                                price_json(after), ""},
                               now);
        return after;
    });
}

Result<PriceView> current_price(pqxx::transaction_base& tx) {
    auto found = latest(tx);
    if (!found) {
        return make_error(ErrorCode::price_not_set, "no price has been set yet");
    }
    return *found;
}

Result<PriceView> PriceService::current() {
    return db::with_one_statement(pool_, "price.current",
                                  [](pqxx::nontransaction& tx) { return current_price(tx); });
}

std::vector<PriceView> PriceService::history(std::optional<std::int64_t> before, std::size_t limit) {
    return db::with_transaction(pool_, "price.history", [&](pqxx::work& tx) {
        std::vector<PriceView> prices;
        for (const auto& row : db::exec_prepared(tx, std::string(kPriceColumns) +
                                                  "WHERE $1::bigint IS NULL OR id < $1 "
                                                  "ORDER BY id DESC LIMIT $2",
                                              before, static_cast<std::int64_t>(limit))) {
            prices.push_back(price_from_row(row));
        }
        return prices;
    });
}

}  // namespace gw::trading
