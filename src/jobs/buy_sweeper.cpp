#include "jobs/buy_sweeper.hpp"

#include <algorithm>

#include "db/outbox_store.hpp"
#include "db/transaction.hpp"
#include "mpesa/mpesa_store.hpp"
#include "observability/log.hpp"
#include "trading/buy_service.hpp"
#include "trading/trade_settlement.hpp"
#include "trading/trade_store.hpp"

namespace gw::jobs {
namespace {

// How long a claimed buy is left to the sweeper that claimed it: longer than one STK Query.
constexpr auto kClaimHold = std::chrono::minutes(2);
constexpr auto kRecheckMin = std::chrono::seconds(10);
constexpr auto kRecheckMax = std::chrono::minutes(10);

}  // namespace

BuySweeper::BuySweeper(db::ConnectionPool& pool,
                       const Clock& clock,
                       mpesa::MpesaGateway& gateway,
                       mpesa::CallbackIntake& intake,
                       obs::MetricsRegistry& metrics)
    : pool_(pool), clock_(clock), gateway_(gateway), intake_(intake), metrics_(metrics) {}

SweepReport BuySweeper::sweep(TimePoint now, std::size_t limit) {
    const auto due = db::with_transaction(pool_, "trade.sweep.claim", [&](pqxx::work& tx) {
        return trading::claim_due_buys(tx, now, now + kClaimHold, limit);
    });
    SweepReport report;
    for (const std::string& trade_id : due) {
        ++report.examined;
        try {
            switch (sweep_one(trade_id, now)) {
                case Fate::settled:
                    ++report.settled;
                    break;
                case Fate::expired:
                    ++report.expired;
                    break;
                case Fate::waiting:
                    ++report.waiting;
                    postpone(trade_id, now);
                    break;
            }
        } catch (const std::exception& error) {
            // One buy's trouble must not stop the others; its claim runs out and it is retried.
            ++report.waiting;
            obs::log_error("trade.sweep_failed", {{"trade_id", trade_id}, {"what", error.what()}});
        }
    }
    if (report.expired > 0) {
        metrics_.increment("goldwallet_trades_failed_total",
                           "Failed trades by reason",
                           {{"reason", "expired"}},
                           report.expired);
    }
    return report;
}

BuySweeper::Fate BuySweeper::sweep_one(const std::string& trade_id, TimePoint now) {
    struct Found {
        std::optional<trading::TradeView> trade;
        std::optional<mpesa::MpesaRequest> request;
        bool push_queued = false;  // the outbox may still send the push
    };
    const Found found = db::with_transaction(pool_, "trade.sweep.load", [&](pqxx::work& tx) {
        Found loaded{trading::select_trade(tx, trade_id, false), std::nullopt, false};
        if (loaded.trade && trading::is_open(loaded.trade->status)) {
            loaded.request = mpesa::find_live_request(tx, mpesa::RequestKind::stk_push, trade_id);
            const auto message = db::find_message(tx, trading::kStkPushTopic, trade_id);
            loaded.push_queued = message && message->status == db::OutboxStatus::pending;
        }
        return loaded;
    });
    if (!found.trade || !trading::is_open(found.trade->status)) {
        return Fate::settled;  // settled meanwhile
    }
    if (found.trade->payment_due_at > now) {
        return Fate::waiting;  // not due yet (its next check was moved back)
    }
    if (found.request) {
        return ask_daraja(*found.request);
    }
    return found.push_queued ? Fate::waiting : expire(trade_id);
}

BuySweeper::Fate BuySweeper::ask_daraja(const mpesa::MpesaRequest& request) {
    if (request.checkout_request_id.empty()) {
        obs::log_warn("trade.sweep_unaskable", {{"mpesa_request_id", request.id}});
        return Fate::waiting;
    }
    const mpesa::StkQueryAnswer answer = gateway_.query_stk(request);
    switch (answer.state) {
        case mpesa::StkQueryState::succeeded:
            // STK Query carries no receipt: the CheckoutRequestID stands in for it until the
            // statement is reconciled.
            intake_.settle_from_query(request.id,
                                      {.succeeded = true,
                                       .result_code = answer.result_code,
                                       .result_desc = answer.result_desc,
                                       .receipt = "stk:" + request.checkout_request_id,
                                       .source = "stk_query"});
            return Fate::settled;
        case mpesa::StkQueryState::failed:
            intake_.settle_from_query(request.id,
                                      {.succeeded = false,
                                       .result_code = answer.result_code,
                                       .result_desc = answer.result_desc,
                                       .receipt = {},
                                       .source = "stk_query"});
            return Fate::settled;
        case mpesa::StkQueryState::pending:
        case mpesa::StkQueryState::not_found:
        case mpesa::StkQueryState::unavailable:
            break;
    }
    return Fate::waiting;
}

BuySweeper::Fate BuySweeper::expire(const std::string& trade_id) {
    return db::with_transaction(pool_, "trade.sweep.expire", [&](pqxx::work& tx) {
        const auto trade = trading::select_trade(tx, trade_id, true);
        if (!trade || !trading::is_open(trade->status)) {
            return Fate::settled;
        }
        // Checked again under the trade lock: a push sent since the first look is asked about
        // at the next check instead.
        if (mpesa::find_live_request(tx, mpesa::RequestKind::stk_push, trade_id)) {
            return Fate::waiting;
        }
        trading::fail_trade(tx, *trade, "expired", {}, clock_.now());
        obs::log_info("trade.expired", {{"trade_id", trade_id}});
        return Fate::expired;
    });
}

void BuySweeper::postpone(const std::string& trade_id, TimePoint now) {
    db::with_transaction(pool_, "trade.sweep.postpone", [&](pqxx::work& tx) {
        const auto trade = trading::select_trade(tx, trade_id, false);
        if (!trade) {
            return;
        }
        const auto overdue =
            std::chrono::duration_cast<std::chrono::seconds>(now - trade->payment_due_at);
        const auto wait = std::clamp<std::chrono::seconds>(overdue / 2, kRecheckMin, kRecheckMax);
        trading::postpone_open_trade(
            tx, trade_id, trade->payment_due_at > now ? trade->payment_due_at : now + wait);
    });
}

}  // namespace gw::jobs
