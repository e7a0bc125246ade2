// Buying gold: pay an amount in KES or buy a number of grams, get a quote whose price is held
// for a short while, confirm it (an M-Pesa STK Push asks for the PIN on the phone), then follow
// the trade until M-Pesa's answer settles it.

import {api, el, formatGrams, formatKes, onSubmit} from "/common/api.js";
import {QuoteFlow, adviceFor} from "./flow.js";
import {
    checkGrams,
    checkPhone,
    checkedValues,
    checkShillings,
    elementsById,
    isZeroDecimal,
    reasonWords,
    statusWords,
} from "./shared.js";

let els = {};
let flow = null;

const BASIS = {
    kes: {label: "Amount (KES)", hint: "Whole shillings, e.g. 1000.", inputmode: "numeric"},
    grams: {label: "Grams", hint: "Up to 6 decimal places, e.g. 0.5.", inputmode: "decimal"},
};

function setBasis(basis) {
    const words = BASIS[basis];
    els.amountLabel.textContent = words.label;
    els.amountHint.textContent = words.hint;
    els.amount.setAttribute("inputmode", words.inputmode);
    (basis === "kes" ? els.basisKes : els.basisGrams).checked = true;
}

function currentBasis() {
    return els.basisGrams.checked ? "grams" : "kes";
}

// The entry form's request, or null after showing what is wrong.
function readRequest(fields) {
    const basis = currentBasis();
    const amount = basis === "kes" ? checkShillings(fields.amount) : checkGrams(fields.amount);
    const values = checkedValues(els.form, [[els.amount, amount], [els.phone, checkPhone(fields.phone)]]);
    return values && {basis, value: values[0], phone: values[1]};
}

function quoteBody(request) {
    return request.basis === "kes"
        ? {side: "buy", amount_kes: request.value}
        : {side: "buy", grams: request.value};
}

function renderQuote(quote, request) {
    els.quoteGrams.textContent = formatGrams(quote.grams);
    els.quoteKes.textContent = formatKes(quote.amount_kes);
    els.quotePrice.textContent = formatKes(quote.price_per_gram);
    els.quotePhone.textContent = request.phone;
    els.offer.hidden = true;
}

function place(quote, request, key) {
    return api("POST", "/trade/buy", {
        headers: {"Idempotency-Key": key},
        json: {quote_id: quote.quote_id, phone_for_stk: request.phone},
    });
}

// insufficient_gold: offer to buy what the pools still hold, at a fresh quote.
function offerWhatIsLeft(problem, request) {
    const grams = problem.available_grams;
    if (!grams || isZeroDecimal(grams)) {
        return [el("p", {}, "No gold is available to buy right now. Please try again later.")];
    }
    const button = el("button", {type: "button", class: "button-primary button-block"},
        `Buy ${formatGrams(grams)} for ${formatKes(problem.available_amount_kes)} instead`);
    button.addEventListener("click", () => {
        setBasis("grams");
        els.amount.value = grams;
        flow.requote({basis: "grams", value: grams, phone: request.phone});
    });
    return [el("p", {}, `You can buy up to ${formatGrams(grams)} right now.`), button];
}

function explain(error, request) {
    const nodes = error.code === "insufficient_gold"
        ? offerWhatIsLeft(error.problem || {}, request)
        : adviceFor(error);
    els.offer.replaceChildren(...nodes);
    els.offer.hidden = nodes.length === 0;
}

function waitingText(trade, request) {
    const step = trade.status === "reserved"
        ? "Sending the M-Pesa prompt…"
        : `Waiting for your PIN (${statusWords(trade.status)})…`;
    return [
        el("h3", {tabindex: "-1"}, "Check your phone"),
        el("p", {}, `We sent an M-Pesa prompt to ${request.phone} to pay ${formatKes(trade.amount_kes)}. ` +
            "Enter your M-Pesa PIN on the phone to finish."),
        el("p", {class: "progress"}, el("span", {class: "spinner", "aria-hidden": "true"}), step),
    ];
}

function renderTrade(trade, request) {
    if (trade.status === "completed") {
        return [
            el("h3", {tabindex: "-1", class: "good"}, "Gold added to your wallet"),
            el("p", {}, `Purchase completed: ${formatGrams(trade.grams)} for ${formatKes(trade.amount_kes)}` +
                ` at ${formatKes(trade.price_per_gram)} per gram.`),
            trade.receipt ? el("p", {class: "receipt"}, `M-Pesa receipt ${trade.receipt}`) : null,
        ];
    }
    if (trade.status === "failed") {
        const late = trade.reason === "timeout" || trade.reason === "expired";
        return [
            el("h3", {tabindex: "-1", class: "bad"}, "The purchase did not go through"),
            el("p", {}, `Purchase failed: ${reasonWords("buy", trade.reason)}.`),
            el("p", {}, "No money was taken from your M-Pesa." +
                (late ? " If a payment does arrive late, you will get the gold or a refund." : "")),
        ];
    }
    return waitingText(trade, request);
}

function gaveUp() {
    return [el("p", {class: "note"}, "Still waiting for M-Pesa. We keep checking for you: " +
        "check your history or notifications for the result.")];
}

// Wires the buy card of the freshly mounted signed-in screen.
export function initBuy() {
    els = elementsById({
        form: "buy-form", offer: "buy-offer", amount: "buy-amount", amountLabel: "buy-amount-label",
        amountHint: "buy-amount-hint", phone: "buy-phone", basisKes: "buy-basis-kes",
        basisGrams: "buy-basis-grams", quoteGrams: "buy-quote-grams", quoteKes: "buy-quote-kes",
        quotePrice: "buy-quote-price", quotePhone: "buy-quote-phone",
    });
    for (const radio of [els.basisKes, els.basisGrams]) {
        radio.addEventListener("change", () => {
            setBasis(currentBasis());
            els.amount.value = "";
        });
    }
    flow = new QuoteFlow(
        elementsById({
            entryForm: "buy-form", confirmForm: "buy-confirm-form", followBox: "buy-follow",
            status: "buy-status", countdown: "quote-countdown", expiredNote: "buy-quote-expired-note",
            confirm: "buy-confirm", requote: "buy-requote", change: "buy-change", again: "buy-again",
            heading: "buy-quote-heading",
        }),
        {quoteBody, renderQuote, place, explain, renderTrade, gaveUp, placed: () => {}},
        {pollMs: 2000, giveUpMs: 3 * 60 * 1000},
    );
    onSubmit(els.form, async (fields) => {
        const request = readRequest(fields);
        if (request) {
            await flow.requestQuote(request);
        }
    });
}
