#pragma once

// Buy and sell prices (KES per gram), set by admins, effective immediately, kept as history.
// The buy price is never below the sell price, so a round trip can never make money out of
// nothing. Thread-safe.

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/money.hpp"
#include "db/pool.hpp"
#include "identity/actor.hpp"

namespace gw::trading {

struct PriceView {
    std::int64_t id = 0;
    PricePerGram buy;
    PricePerGram sell;
    std::string set_by;  // user id; empty when set by the system
    std::string created_at;
};

// The price in force, read in the caller's transaction. Error: price_not_set.
Result<PriceView> current_price(pqxx::transaction_base& tx);

class PriceService {
public:
    // REQUIRES: `pool` and `clock` outlive the service.
    PriceService(db::ConnectionPool& pool, const Clock& clock);

    // Sets both prices (audited `price.set` with the previous ones). Error: validation_failed
    // when buy < sell.
    Result<PriceView> set(const identity::Actor& actor, PricePerGram buy, PricePerGram sell);

    // The price in force. Error: price_not_set before the first one.
    Result<PriceView> current();

    // Up to `limit` prices, newest first, with id < before when given.
    std::vector<PriceView> history(std::optional<std::int64_t> before, std::size_t limit);

private:
    db::ConnectionPool& pool_;
    const Clock& clock_;
};

}  // namespace gw::trading
