#include "trading/wallet_service.hpp"

#include "core/assert.hpp"
#include "db/transaction.hpp"
#include "trading/wallet.hpp"

namespace gw::trading {

WalletService::WalletService(db::ConnectionPool& pool, PriceService& prices)
    : pool_(pool), prices_(prices) {}

Result<BalanceView> WalletService::balance(const std::string& user_id) {
    const ledger::UserGold gold =
        db::with_one_statement(pool_, "wallet.balance", [&](pqxx::nontransaction& tx) {
            return ledger::read_user_gold(tx, user_id);
        });
    // The price is read after the grams, in its own statement: a price set in between is
    // simply the newer price, and either answer is one a caller could have seen.
    std::optional<PricePerGram> sell_price;
    if (auto price = prices_.current()) {
        sell_price = price->sell;
    } else {
        GW_ASSERT(price.error().code == ErrorCode::price_not_set,
                  "PriceService::current fails only before the first price");
    }
    auto value = holding_value(gold.grams, sell_price);
    if (!value) {
        return value.error();
    }
    return BalanceView{gold.grams, gold.locked, gold.available, sell_price, *value};
}

LedgerPage WalletService::ledger(const std::string& user_id,
                                 const std::optional<ledger::LedgerCursor>& before,
                                 std::size_t limit) {
    LedgerPage page;
    page.entries = db::with_one_statement(pool_, "wallet.ledger", [&](pqxx::nontransaction& tx) {
        return ledger::read_user_ledger(tx, user_id, before, limit);
    });
    if (page.entries.size() == limit) {
        const ledger::LedgerEntry& last = page.entries.back();
        page.next_before = ledger::LedgerCursor{last.created_at, last.transfer_id};
    }
    return page;
}

}  // namespace gw::trading
