// Selling gold: the grams to sell and the registered M-Pesa number, a quote showing the exact
// shillings that will be paid, then the trade followed while the payout is made. A manual payout
// can take a long while, so polling stops after two minutes and the status stays on screen;
// the history and a notification show the outcome.

import {api, el, formatGrams, formatKes, onSubmit} from "/common/api.js";
import {QuoteFlow, adviceFor} from "./flow.js";
import {
    checkGrams,
    checkPhone,
    checkedValues,
    elementsById,
    emit,
    fieldProblem,
    isZeroDecimal,
    reasonWords,
    statusWords,
} from "./shared.js";
import {availableGrams} from "./wallet.js";

let els = {};

function readRequest(fields) {
    const values = checkedValues(els.form, [[els.grams, checkGrams(fields.grams)],
                                            [els.phone, checkPhone(fields.phone)]]);
    return values && {value: values[0], phone: values[1]};
}

function renderQuote(quote, request) {
    els.amount.textContent = formatKes(quote.amount_kes);
    els.quoteGrams.textContent = formatGrams(quote.grams);
    els.quotePrice.textContent = formatKes(quote.price_per_gram);
    els.quotePhone.textContent = request.phone;
}

function place(quote, request, key) {
    return api("POST", "/trade/sell", {
        headers: {"Idempotency-Key": key},
        json: {quote_id: quote.quote_id, payout_phone: request.phone},
    });
}

function explain(error) {
    let nodes = adviceFor(error);
    if (error.code === "insufficient_grams" && error.problem?.available_grams) {
        nodes = [el("p", {}, `You can sell up to ${formatGrams(error.problem.available_grams)} now.`)];
    }
    if (error.code === "payout_phone_not_registered") {
        nodes = [el("p", {}, "Enter the M-Pesa number you registered with; it is shown under Profile.")];
    }
    els.offer.replaceChildren(...nodes);
    els.offer.hidden = nodes.length === 0;
}

function renderTrade(trade, request) {
    const amount = formatKes(trade.amount_kes);
    if (trade.status === "completed") {
        return [
            el("h3", {tabindex: "-1", class: "good"}, "Money sent to your M-Pesa"),
            el("p", {}, `Sale completed: ${formatGrams(trade.grams)} sold for ${amount}, paid to ${request.phone}.`),
            trade.receipt ? el("p", {class: "receipt"}, `M-Pesa receipt ${trade.receipt}`) : null,
        ];
    }
    if (trade.status === "failed") {
        return [
            el("h3", {tabindex: "-1", class: "bad"}, "The sale did not go through"),
            el("p", {}, `Sale failed: ${reasonWords("sell", trade.reason)}.`),
            el("p", {}, "The gold is back in your wallet."),
        ];
    }
    return [
        el("h3", {tabindex: "-1"}, "Your payout is being processed"),
        el("p", {}, `You sold ${formatGrams(trade.grams)}. ${amount} will be sent to ${request.phone}.`),
        el("p", {class: "progress"}, el("span", {class: "spinner", "aria-hidden": "true"}),
            `Status: ${statusWords(trade.status)}`),
    ];
}

function gaveUp() {
    return [el("p", {class: "note"}, "Some payouts are made by hand and take longer. You will get " +
        "a notification when the money is sent, and your history shows where the sale is.")];
}

function fillAll() {
    const grams = availableGrams();
    const region = els.form.querySelector("[role=alert]");
    if (grams === null || isZeroDecimal(grams)) {
        fieldProblem(els.form, null, grams === null
            ? "Your balance has not loaded yet. Try again in a moment."
            : "You have no gold available to sell.");
        return;
    }
    region.hidden = true;
    els.grams.value = grams;
    els.grams.focus();
}

// Wires the sell card of the freshly mounted signed-in screen.
export function initSell() {
    els = elementsById({
        form: "sell-form", grams: "sell-grams", phone: "sell-phone", sellAll: "sell-all",
        amount: "sell-amount", quoteGrams: "sell-quote-grams", quotePrice: "sell-quote-price",
        quotePhone: "sell-quote-phone", offer: "sell-offer",
    });
    els.sellAll.addEventListener("click", fillAll);
    const flow = new QuoteFlow(
        elementsById({
            entryForm: "sell-form", confirmForm: "sell-confirm-form", followBox: "sell-follow",
            status: "sell-status", countdown: "sell-countdown", expiredNote: "sell-quote-expired-note",
            confirm: "sell-confirm", requote: "sell-requote", change: "sell-change", again: "sell-again",
            heading: "sell-quote-heading",
        }),
        {
            quoteBody: (request) => ({side: "sell", grams: request.value}),
            renderQuote, place, explain, renderTrade, gaveUp,
            placed: () => emit("balance-stale"),
        },
        {pollMs: 2000, giveUpMs: 2 * 60 * 1000},
    );
    onSubmit(els.form, async (fields) => {
        const request = readRequest(fields);
        if (request) {
            await flow.requestQuote(request);
        }
    });
}
