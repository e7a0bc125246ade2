#include "trading/adjustment_service.hpp"

#include <algorithm>

#include "core/assert.hpp"
#include "core/uuid_text.hpp"
#include "db/transaction.hpp"
#include "identity/audit_store.hpp"
#include "identity/uuid.hpp"
#include "ledger/batch_apply.hpp"
#include "ledger/ledger_read_store.hpp"
#include "observability/log.hpp"
#include "trading/allocation.hpp"
#include "trading/trade_checks.hpp"
#include "trading/trade_store.hpp"

namespace gw::trading {
namespace {

// One planned movement: `grams` from `debit` to `credit`, on the user's account in `pool_id`.
struct Leg {
    std::string pool_id;
    ledger::AccountId debit = 0;
    ledger::AccountId credit = 0;
    Micrograms grams;
};

// Characters as the database counts them (code points of valid UTF-8, which the JSON parser
// guarantees).
std::size_t character_count(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

bool is_blank(const std::string& text) {
    return std::all_of(
        text.begin(), text.end(), [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); });
}

Result<void> validate(const AdjustmentOrder& order) {
    if (order.grams.value() <= 0) {
        return make_error(ErrorCode::validation_failed, "grams: must be more than 0");
    }
    if (is_blank(order.reason) || character_count(order.reason) > kAdjustmentReasonCharsMax) {
        return make_error(ErrorCode::validation_failed, "reason: 1-500 characters, not blank");
    }
    return {};
}

Error shortfall(ErrorCode code, Micrograms available, const std::string& detail) {
    Error error = make_error(code, detail + " (" + format_grams(available) + " g available)");
    error.extensions = {{"available_grams", format_grams(available)}};
    return error;
}

// Credit: the pools give the gold first in, first out, into the user's account in each pool.
Result<std::vector<Leg>> plan_credit(pqxx::work& tx, const AdjustmentOrder& order, TimePoint now) {
    const std::vector<PoolSupply> pools = lock_pool_supply(tx, order.user_id);
    const std::vector<Allocation> allocations = allocate(pools, order.grams);
    if (allocations.empty()) {
        return shortfall(ErrorCode::insufficient_gold,
                         total_available(pools),
                         "the pools hold less gold than this credit");
    }
    std::vector<Leg> legs;
    for (const Allocation& allocation : allocations) {
        const ledger::AccountId user_account =
            ensure_user_gold_account(tx, order.user_id, allocation.pool_id, now);
        legs.push_back({allocation.pool_id, allocation.account_id, user_account, allocation.grams});
    }
    return legs;
}

// Debit: the user's available gold goes back to its pools, in the order a buy allocates.
Result<std::vector<Leg>> plan_debit(pqxx::work& tx, const AdjustmentOrder& order) {
    const std::vector<Holding> holdings = lock_user_holdings(tx, order.user_id);
    std::vector<PoolSupply> held;
    held.reserve(holdings.size());
    for (const Holding& holding : holdings) {
        held.push_back({holding.pool_id, holding.user_account, holding.available});
    }
    const std::vector<Allocation> allocations = allocate(held, order.grams);
    if (allocations.empty()) {
        return shortfall(ErrorCode::insufficient_grams,
                         total_available(held),
                         "the user holds fewer available grams than this debit");
    }
    std::vector<Leg> legs;
    for (const Allocation& allocation : allocations) {
        const auto holding = std::find_if(holdings.begin(), holdings.end(), [&](const Holding& h) {
            return h.user_account == allocation.account_id;
        });
        GW_ASSERT(holding != holdings.end(), "allocate only returns accounts it was given");
        legs.push_back(
            {allocation.pool_id, allocation.account_id, holding->pool_account, allocation.grams});
    }
    return legs;
}

// Applies the legs as one atomic submission of single-phase transfers.
Result<std::vector<AdjustmentTransfer>> apply_legs(pqxx::work& tx,
                                                   const std::vector<Leg>& legs,
                                                   AdjustmentDirection direction,
                                                   TimePoint now) {
    const std::string kind = "adjustment." + std::string(to_string(direction));
    ledger::Submission submission;
    std::vector<AdjustmentTransfer> transfers;
    for (const Leg& leg : legs) {
        const std::string transfer_id = identity::random_uuid();
        submission.transfers.push_back(ledger::TransferRequest{transfer_id,
                                                               leg.debit,
                                                               leg.credit,
                                                               leg.grams.value(),
                                                               ledger::TransferType::single_phase,
                                                               {},
                                                               std::nullopt,
                                                               {},
                                                               kind});
        transfers.push_back({leg.pool_id, leg.grams, transfer_id});
    }
    const auto results = ledger::apply_submissions(tx, {&submission}, now).front();
    for (const ledger::TransferResult result : results) {
        if (!ledger::succeeded(result)) {
            // The accounts were locked when the legs were planned: this is a bug.
            return make_error(ErrorCode::ledger_rejected, std::string(ledger::to_string(result)));
        }
    }
    return transfers;
}

// What a retry must repeat exactly: the reason last, as the only field that may hold a newline.
std::string canonical_request(const AdjustmentOrder& order) {
    return order.user_id + "\n" + std::string(to_string(order.direction)) + "\n" +
           std::to_string(order.grams.value()) + "\n" + order.reason;
}

nlohmann::json audit_after(const AdjustmentView& view, Micrograms grams_after) {
    nlohmann::json transfer_ids = nlohmann::json::array();
    for (const AdjustmentTransfer& transfer : view.transfers) {
        transfer_ids.push_back(transfer.transfer_id);
    }
    return {{"grams", format_grams(grams_after)},
            {"adjustment_id", view.id},
            {"direction", std::string(to_string(view.direction))},
            {"adjusted_grams", format_grams(view.grams)},
            {"transfer_ids", transfer_ids}};
}

}  // namespace

AdjustmentService::AdjustmentService(db::ConnectionPool& pool, const Clock& clock)
    : pool_(pool), clock_(clock) {}

Result<PlacedAdjustment> AdjustmentService::adjust(const identity::Actor& actor,
                                                   const std::string& idempotency_key,
                                                   const AdjustmentOrder& sent) {
    GW_ASSERT(!actor.user_id.empty(), "routes give adjustments a signed-in admin");
    if (auto valid = validate(sent); !valid) {
        return valid.error();
    }
    if (!is_uuid(sent.user_id)) {
        return make_error(ErrorCode::not_found, "no such user");
    }
    // The id as the database spells it: in capitals it would slip past the four-eyes check and
    // make a retry look like another request.
    AdjustmentOrder order = sent;
    order.user_id = lower_case_uuid(sent.user_id);
    // Four eyes: gold an admin could credit to themselves, they could sell for cash.
    if (order.user_id == actor.user_id) {
        return make_error(ErrorCode::forbidden,
                          "an admin may not adjust their own wallet; ask another admin");
    }
    const AdjustmentKey key{
        actor.user_id, idempotency_key, request_fingerprint(canonical_request(order))};
    auto placed = db::with_transaction(pool_, "adjustment.create", [&](pqxx::work& tx) {
        return place(tx, actor, key, order);
    });
    if (placed && !placed->replayed) {
        obs::log_info("adjustment.create",
                      {{"adjustment_id", placed->adjustment.id},
                       {"direction", std::string(to_string(placed->adjustment.direction))},
                       {"grams", format_grams(placed->adjustment.grams)}});
    }
    return placed;
}

Result<PlacedAdjustment> AdjustmentService::place(pqxx::work& tx,
                                                  const identity::Actor& actor,
                                                  const AdjustmentKey& key,
                                                  const AdjustmentOrder& order) {
    lock_adjustment_key(tx, key);
    if (auto earlier = find_keyed_adjustment(tx, key)) {
        if (earlier->request_hash_hex != key.request_hash_hex) {
            return make_error(ErrorCode::idempotency_key_reused,
                              "this Idempotency-Key was used with a different adjustment");
        }
        return PlacedAdjustment{std::move(earlier->view), true};
    }
    auto made = record(tx, actor, key, order);
    if (!made) {
        return made.error();
    }
    return PlacedAdjustment{std::move(*made), false};
}

Result<AdjustmentView> AdjustmentService::record(pqxx::work& tx,
                                                 const identity::Actor& actor,
                                                 const AdjustmentKey& key,
                                                 const AdjustmentOrder& order) {
    const TimePoint now = clock_.now();
    // The user row first, as every trade does: one user's gold is changed one writer at a time,
    // and a closing account cannot receive gold in the meantime.
    if (!lock_open_user(tx, order.user_id)) {
        return make_error(ErrorCode::not_found, "no such user");
    }
    const Micrograms grams_before = ledger::read_user_gold(tx, order.user_id).grams;
    auto legs = order.direction == AdjustmentDirection::credit ? plan_credit(tx, order, now)
                                                               : plan_debit(tx, order);
    if (!legs) {
        return legs.error();
    }
    auto transfers = apply_legs(tx, *legs, order.direction, now);
    if (!transfers) {
        return transfers.error();
    }
    AdjustmentView view{identity::random_uuid(),
                        order.user_id,
                        order.direction,
                        order.grams,
                        order.reason,
                        std::move(*transfers),
                        now};
    insert_adjustment(tx, view, key);
    const Micrograms grams_after = ledger::read_user_gold(tx, order.user_id).grams;
    // Pair of the plan: the user's posted gold moved by exactly the adjusted grams.
    GW_ASSERT(grams_after.value() - grams_before.value() ==
                  (order.direction == AdjustmentDirection::credit ? order.grams.value()
                                                                  : -order.grams.value()),
              "an adjustment moves exactly its grams");
    identity::append_audit(tx,
                           actor,
                           {"adjustment.create",
                            "user",
                            order.user_id,
                            {{"grams", format_grams(grams_before)}},
                            audit_after(view, grams_after),
                            order.reason},
                           now);
    return view;
}

}  // namespace gw::trading
