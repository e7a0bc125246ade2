// What the simulated world does after a request is accepted: the customer answers the STK
// prompt (by scenario, or through the simulated phone), the B2C back end pays or refuses, and
// query Results are composed. Each step changes state under the mutex and schedules its POSTs
// on the delivery thread, which never holds the mutex while posting.

#include "core/assert.hpp"
#include "daraja-sim/b2c.hpp"
#include "daraja-sim/b2c_queries.hpp"
#include "daraja-sim/limits.hpp"
#include "daraja-sim/simulator_impl.hpp"
#include "daraja-sim/stk.hpp"

namespace gw::sim {
namespace {

StkScenario stk_scenario_of(const Transaction& t) {
    return parse_stk_scenario(t.scenario).value_or(StkScenario::success);
}

B2cScenario b2c_scenario_of(const Transaction& t) {
    return parse_b2c_scenario(t.scenario).value_or(B2cScenario::b2c_success);
}

}  // namespace

Transaction* Simulator::Impl::find_locked(std::string_view id) {
    for (Transaction& t : state_.transactions) {
        if (t.id == id) {
            return &t;
        }
    }
    return nullptr;
}

void Simulator::Impl::begin_stk_locked(Transaction& transaction) {
    const StkScenario scenario = stk_scenario_of(transaction);
    if (scenario == StkScenario::manual) {
        return;  // the prompt waits for /sim/stk/{id}/accept or /cancel
    }
    if (scenario == StkScenario::late_callback) {
        settle_stk_locked(transaction, PromptAnswer::accept);  // final for STK Query at once
        return;
    }
    dispatcher_.schedule(state_.callback_delay, [this, id = transaction.id] { on_stk_timer(id); });
}

void Simulator::Impl::on_stk_timer(const std::string& checkout_request_id) {
    std::lock_guard lock(mutex_);
    Transaction* t = find_locked(checkout_request_id);
    if (t == nullptr || t->status != TransactionStatus::pending) {
        return;  // answered on the simulated phone first, or forgotten by a reset
    }
    settle_stk_locked(*t, PromptAnswer::scripted);
}

bool Simulator::Impl::answer_prompt(std::string_view checkout_request_id, PromptAnswer answer) {
    std::lock_guard lock(mutex_);
    Transaction* t = find_locked(checkout_request_id);
    if (t == nullptr || t->kind != TransactionKind::stk ||
        t->status != TransactionStatus::pending) {
        return false;
    }
    settle_stk_locked(*t, answer);
    return true;
}

void Simulator::Impl::settle_stk_locked(Transaction& t, PromptAnswer answer) {
    GW_ASSERT(t.status == TransactionStatus::pending, "a prompt is answered once");
    const StkScenario scenario = stk_scenario_of(t);
    std::optional<ResultOutcome> refusal;
    if (answer == PromptAnswer::cancel) {
        refusal = kResultCancelled;
    } else if (answer == PromptAnswer::scripted) {
        refusal = stk_refusal(scenario);
    }
    if (!refusal && t.transaction_type == "CustomerPayBillOnline" && t.party_b != t.shortcode) {
        refusal = kResultProductMismatch;  // PayBill money goes to the paybill (DARAJA.md §4.1)
    }
    if (!refusal) {
        refusal = customer_limit_breach(state_.transactions, t.msisdn, t.amount_kes, clock_.now());
    }
    if (refusal) {
        fail_locked(t, *refusal);
    } else {
        complete_locked(t, t.amount_kes);
    }
    save_locked();
    const std::chrono::milliseconds late =
        std::max(state_.callback_delay * kLateCallbackFactor, kLateCallbackMin);
    const Delivery callback{
        "stk_callback", t.id, t.callback_url, stk_callback_body(t), t.shortcode};
    switch (scenario) {
        case StkScenario::no_callback:
            return;
        case StkScenario::late_callback:
            dispatcher_.schedule_delivery(late, callback);
            return;
        case StkScenario::duplicate_callback:
            dispatcher_.schedule_delivery(std::chrono::milliseconds(0), callback);
            dispatcher_.schedule_delivery(std::chrono::milliseconds(0), callback);
            return;
        case StkScenario::success:
        case StkScenario::cancelled:
        case StkScenario::wrong_pin:
        case StkScenario::insufficient_funds:
        case StkScenario::timeout:
        case StkScenario::manual:
            dispatcher_.schedule_delivery(std::chrono::milliseconds(0), callback);
            return;
    }
}

void Simulator::Impl::complete_locked(Transaction& t, std::int64_t signed_amount_kes) {
    std::int64_t& balance = state_.balances_kes[t.shortcode];
    std::int64_t after = 0;
    GW_ASSERT(!__builtin_add_overflow(balance, signed_amount_kes, &after),
              "balances are bounded by the float and 100,000 transactions of at most 250,000");
    balance = after;
    const TimePoint now = clock_.now();
    std::string receipt;
    do {
        receipt = state_.ids.receipt(now);
    } while (std::any_of(state_.transactions.begin(),
                         state_.transactions.end(),
                         [&](const Transaction& x) { return x.receipt == receipt; }));
    t.status = TransactionStatus::completed;
    t.result_code = kResultSuccess.code;
    t.result_desc = std::string(kResultSuccess.description);
    t.receipt = receipt;
    t.finalised_at = now;
    t.balance_after_kes = after;
}

void Simulator::Impl::fail_locked(Transaction& t, const ResultOutcome& outcome) {
    const TimePoint now = clock_.now();
    t.status = TransactionStatus::failed;
    t.result_code = outcome.code;
    t.result_desc = std::string(outcome.description);
    t.finalised_at = now;
    // A failed payout keeps a TransactionID (DARAJA.md §6); a failed STK payment has none,
    // and neither does a payout that never left the queue.
    if (t.kind == TransactionKind::b2c && outcome.code != kResultQueueTimeout.code) {
        t.receipt = state_.ids.receipt(now);
    }
}

void Simulator::Impl::settle_b2c(const std::string& conversation_id) {
    std::lock_guard lock(mutex_);
    Transaction* t = find_locked(conversation_id);
    if (t == nullptr || t->status != TransactionStatus::pending) {
        return;
    }
    const B2cScenario scenario = b2c_scenario_of(*t);
    const std::optional<ResultOutcome> refusal = b2c_refusal(scenario);
    if (!t->initiator_valid) {
        fail_locked(*t, kResultInitiatorInvalid);
    } else if (refusal) {
        fail_locked(*t, *refusal);
    } else if (scenario == B2cScenario::b2c_queue_timeout_unpaid) {
        fail_locked(*t, kResultQueueTimeout);
    } else if (state_.balances_kes[t->shortcode] < t->amount_kes) {
        fail_locked(*t, kResultInsufficientBalance);  // the Utility Account is short
    } else {
        complete_locked(*t, -t->amount_kes);
    }
    save_locked();
    const std::chrono::milliseconds now(0);
    if (scenario == B2cScenario::b2c_queue_timeout ||
        scenario == B2cScenario::b2c_queue_timeout_unpaid) {
        dispatcher_.schedule_delivery(
            now,
            Delivery{
                "b2c_queue_timeout", t->id, t->queue_timeout_url, b2c_queue_timeout_body(*t), ""});
    } else if (scenario != B2cScenario::b2c_no_callback) {
        dispatcher_.schedule_delivery(
            now, Delivery{"b2c_result", t->id, t->callback_url, b2c_result_body(*t), ""});
    }
}

void Simulator::Impl::settle_status_query(const StatusQueryRequest& query,
                                          const QueryIds& ids,
                                          bool initiator_valid) {
    std::string body;
    {
        std::lock_guard lock(mutex_);
        const Transaction* found = nullptr;
        for (const Transaction& t : state_.transactions) {
            const bool by_receipt =
                !query.transaction_id.empty() && t.receipt == query.transaction_id;
            const bool by_conversation = !query.original_conversation_id.empty() &&
                                         t.kind == TransactionKind::b2c &&
                                         (t.request_id == query.original_conversation_id ||
                                          t.id == query.original_conversation_id);
            const bool never_happened = t.status == TransactionStatus::failed && t.receipt.empty();
            if ((by_receipt || by_conversation) && !never_happened) {
                found = &t;
                break;
            }
        }
        if (!initiator_valid) {
            body = query_failure_body(
                ids, kResultInitiatorInvalid.code, kResultInitiatorInvalid.description);
        } else if (found == nullptr) {
            body = query_failure_body(
                ids, kResultReceiptUnknown.code, kResultReceiptUnknown.description);
        } else {
            body = status_result_body(ids, *found, query.occasion);
        }
    }
    dispatcher_.schedule_delivery(
        std::chrono::milliseconds(0),
        Delivery{"status_result", ids.conversation_id, query.result_url, body, ""});
}

void Simulator::Impl::settle_balance_query(const BalanceQueryRequest& query,
                                           const QueryIds& ids,
                                           bool initiator_valid) {
    std::string body;
    {
        std::lock_guard lock(mutex_);
        body = initiator_valid
                   ? balance_result_body(ids, state_.balances_kes[query.party_a], clock_.now())
                   : query_failure_body(
                         ids, kResultInitiatorInvalid.code, kResultInitiatorInvalid.description);
    }
    dispatcher_.schedule_delivery(
        std::chrono::milliseconds(0),
        Delivery{"balance_result", ids.conversation_id, query.result_url, body, ""});
}

}  // namespace gw::sim
