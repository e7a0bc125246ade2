#include "trading/payout_service.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/uuid_text.hpp"
#include "db/transaction.hpp"
#include "identity/audit_store.hpp"
#include "observability/log.hpp"
#include "trading/trade_settlement.hpp"
#include "trading/trade_store.hpp"

namespace gw::trading {
namespace {

constexpr std::size_t kReasonBytesMax = 500;
constexpr std::size_t kTransactionIdBytesMax = 32;

nlohmann::json payout_json(const PayoutView& payout) {
    return {{"status", std::string(to_string(payout.status))},
            {"amount_cents", payout.amount.value()},
            {"mpesa_transaction_id", payout.mpesa_transaction_id},
            {"failure_reason", payout.failure_reason}};
}

// M-Pesa transaction ids are short upper-case alphanumerics ("UKQCZEW5ZO").
bool is_transaction_id(const std::string& text) {
    return !text.empty() && text.size() <= kTransactionIdBytesMax &&
           std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
           });
}

Error payout_not_found() {
    return make_error(ErrorCode::not_found, "no such payout");
}

// The manual payout `payout_id`, locked; or why `actor` may not decide it.
Result<PayoutView> manual_payout(pqxx::work& tx,
                                 const identity::Actor& actor,
                                 const std::string& payout_id) {
    if (!is_uuid(payout_id)) {
        return payout_not_found();
    }
    auto payout = select_payout(tx, payout_id, true);
    if (!payout) {
        return payout_not_found();
    }
    if (payout->mode != PayoutMode::manual) {
        return make_error(ErrorCode::payout_not_manual,
                          "this payout is paid by B2C; M-Pesa's result settles it");
    }
    // Four eyes: nobody marks their own payout paid.
    if (payout->user_id == actor.user_id) {
        return make_error(ErrorCode::forbidden, "a payout to yourself is decided by another admin");
    }
    return *payout;
}

}  // namespace

PayoutService::PayoutService(db::ConnectionPool& pool,
                             const Clock& clock,
                             const identity::FieldCipher& cipher)
    : pool_(pool), clock_(clock), cipher_(cipher) {}

std::optional<PayoutTarget> PayoutService::payout_target(const std::string& payout_id) {
    struct Loaded {
        std::optional<PayoutView> payout;
        identity::SealedField phone;
    };
    const Loaded loaded = db::with_transaction(pool_, "payout.b2c.load", [&](pqxx::work& tx) {
        Loaded found{select_payout(tx, payout_id, false), {}};
        if (found.payout) {
            found.phone = select_trade_phone(tx, found.payout->trade_id);
        }
        return found;
    });
    if (!loaded.payout || loaded.payout->status != PayoutStatus::pending ||
        loaded.payout->mode != PayoutMode::b2c) {
        return std::nullopt;
    }
    const PayoutView& payout = *loaded.payout;
    auto msisdn = cipher_.open(loaded.phone, payout.trade_id + ":phone");
    if (!msisdn) {
        obs::log_error("payout.phone_unreadable", {{"payout_id", payout.id}});
        throw std::runtime_error("payout " + payout.id + ": the phone cannot be decrypted");
    }
    return PayoutTarget{payout.id,
                        payout.amount,
                        std::move(*msisdn),
                        payout.kind == PayoutKind::sell ? "Gold sale" : "Refund"};
}

void PayoutService::record_b2c(const std::string& payout_id,
                               const std::string& mpesa_request_id,
                               bool accepted) {
    db::with_transaction(pool_, "payout.b2c.record", [&](pqxx::work& tx) {
        const auto payout = select_payout(tx, payout_id, true);
        // The Result may have settled it already (it can beat Daraja's answer).
        if (!payout || payout->status != PayoutStatus::pending) {
            return;
        }
        const TimePoint now = clock_.now();
        if (accepted) {
            update_payout(tx, payout_id, {PayoutStatus::sent, mpesa_request_id, {}, {}, {}}, now);
            const auto trade = select_trade(tx, payout->trade_id, true);
            if (payout->kind == PayoutKind::sell && trade &&
                trade->status == TradeStatus::reserved) {
                insert_trade_event(
                    tx, trade->id, {TradeStatus::awaiting_payout, {}, mpesa_request_id, {}}, now);
            }
            return;
        }
        PayoutView failed = *payout;
        failed.mpesa_request_id = mpesa_request_id;
        if (payout->kind == PayoutKind::sell) {
            fail_sell(tx, failed, "payout_rejected", {}, now);
        } else {
            fail_refund(tx, failed, "payout_rejected", {}, now);
        }
    });
}

std::vector<PayoutView> PayoutService::list(std::optional<PayoutStatus> status,
                                            const std::optional<PayoutCursor>& after,
                                            std::size_t limit) {
    return db::with_transaction(pool_, "payout.list", [&](pqxx::work& tx) {
        return select_payouts(tx, status, after, limit);
    });
}

Result<PayoutView> PayoutService::complete(const identity::Actor& actor,
                                           const std::string& payout_id,
                                           const std::string& mpesa_transaction_id) {
    if (!is_transaction_id(mpesa_transaction_id)) {
        return make_error(
            ErrorCode::validation_failed,
            "mpesa_transaction_id: the M-Pesa receipt, 1–32 upper-case letters and digits");
    }
    return db::with_transaction(
        pool_, "payout.complete", [&](pqxx::work& tx) -> Result<PayoutView> {
            auto payout = manual_payout(tx, actor, payout_id);
            if (!payout) {
                return payout.error();
            }
            if (payout->status == PayoutStatus::completed &&
                payout->mpesa_transaction_id == mpesa_transaction_id) {
                return *payout;
            }
            if (payout->status == PayoutStatus::completed ||
                payout->status == PayoutStatus::failed) {
                return make_error(
                    ErrorCode::validation_failed,
                    "the payout is already " + std::string(to_string(payout->status)));
            }
            if (transaction_id_used(tx, mpesa_transaction_id)) {
                return make_error(ErrorCode::validation_failed,
                                  "mpesa_transaction_id: another payout was already paid with this "
                                  "M-Pesa transaction");
            }
            const TimePoint now = clock_.now();
            if (payout->kind == PayoutKind::sell) {
                complete_sell(tx, *payout, mpesa_transaction_id, actor.user_id, now);
            } else {
                update_payout(
                    tx,
                    payout->id,
                    {PayoutStatus::completed, {}, mpesa_transaction_id, {}, actor.user_id},
                    now);
            }
            const PayoutView after = *select_payout(tx, payout->id, false);
            identity::append_audit(tx,
                                   actor,
                                   {"payout.complete",
                                    "payout",
                                    payout->id,
                                    payout_json(*payout),
                                    payout_json(after),
                                    ""},
                                   now);
            return after;
        });
}

Result<PayoutView> PayoutService::fail(const identity::Actor& actor,
                                       const std::string& payout_id,
                                       const std::string& reason) {
    if (reason.empty() || reason.size() > kReasonBytesMax) {
        return make_error(ErrorCode::validation_failed, "reason: required, at most 500 characters");
    }
    return db::with_transaction(pool_, "payout.fail", [&](pqxx::work& tx) -> Result<PayoutView> {
        auto payout = manual_payout(tx, actor, payout_id);
        if (!payout) {
            return payout.error();
        }
        if (payout->status == PayoutStatus::completed || payout->status == PayoutStatus::failed) {
            return make_error(ErrorCode::validation_failed,
                              "the payout is already " + std::string(to_string(payout->status)));
        }
        const TimePoint now = clock_.now();
        if (payout->kind == PayoutKind::sell) {
            fail_sell(tx, *payout, "payout_failed", actor.user_id, now);
        } else {
            fail_refund(tx, *payout, "payout_failed", actor.user_id, now);
        }
        const PayoutView after = *select_payout(tx, payout->id, false);
        identity::append_audit(
            tx,
            actor,
            {"payout.fail", "payout", payout->id, payout_json(*payout), payout_json(after), reason},
            now);
        return after;
    });
}

}  // namespace gw::trading
