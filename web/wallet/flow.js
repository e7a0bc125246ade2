// The three steps a buy and a sell share: ask for a quote, confirm it while its price is held
// (a live countdown; when it runs out the confirm button is disabled and a new quote offered),
// then follow the trade until it settles. buy.js and sell.js give the words and the requests.
//
// The Idempotency-Key is made once per quote and reused when the same confirm is retried (a lost
// answer, a double tap), so retrying never places a second trade.

import {ConnectionProblem, api, el, idempotencyKey, onSubmit, showProblem} from "/common/api.js";
import {clockText, countdown, emit, fieldProblem, followTrade, later, on, show} from "./shared.js";

function goTo(hash, label) {
    const button = el("button", {type: "button", class: "button-quiet button-block"}, label);
    button.addEventListener("click", () => (location.hash = hash));
    return button;
}

// Advice shown beside a failed confirm's problem message (buy and sell alike), for the errors a
// person can act on.
export function adviceFor(error) {
    switch (error.code) {
        case "kyc_required":
            return [el("p", {}, "Upload your identity documents to trade."),
                goTo("#account", "Go to identity check")];
        case "trade_limit_exceeded":
            return [el("p", {}, "Try a smaller amount. Your limits depend on your identity check."),
                goTo("#account", "See my limits")];
        case "price_expired":
        case "quote_used":
            return [el("p", {}, "Get a new quote to continue.")];
        default:
            return [];
    }
}

// parts: {entryForm, confirmForm, followBox, status, countdown, expiredNote, confirm,
//         requote, change, again, heading}
// hooks: {quoteBody(request) → JSON, renderQuote(quote, request), place(quote, request, key)
//         → trade, explain(error, request) (shows advice beside a failed confirm's problem),
//         renderTrade(trade, request) → [nodes], gaveUp(trade) → [nodes], placed(trade)}
// timing: {pollMs, giveUpMs}
export class QuoteFlow {
    constructor(parts, hooks, timing) {
        this.parts = parts;
        this.hooks = hooks;
        this.timing = timing;
        this.clear();
        onSubmit(parts.confirmForm, () => this.confirm());
        parts.requote.addEventListener("click", () => this.requote());
        parts.change.addEventListener("click", () => this.backToEntry());
        parts.again.addEventListener("click", () => this.backToEntry(true));
        on("trade-notified", (tradeId) => this.notified(tradeId));
    }

    clear() {
        this.request = null;
        this.quote = null;
        this.key = null;
        this.expired = false;
        this.uncertain = false;
        this.timer?.stop();
        this.timer = null;
        this.follower?.stop();
        this.follower = null;
        this.tradeId = null;
        this.shownStatus = null;
        this.gaveUp = false;
    }

    stage(name) {
        show(this.parts.entryForm, name === "entry");
        show(this.parts.confirmForm, name === "quote");
        show(this.parts.followBox, name === "follow");
    }

    // Asks for a quote for `request` (what the entry form read) and shows it. Throws ApiError.
    async requestQuote(request) {
        const quote = await api("POST", "/trade/quote", {json: this.hooks.quoteBody(request)});
        this.clear();
        this.request = request;
        this.quote = quote;
        this.key = idempotencyKey();
        this.hooks.renderQuote(quote, request);
        for (const region of this.parts.confirmForm.querySelectorAll("[role=alert], .offer")) {
            region.hidden = true;
        }
        this.parts.expiredNote.textContent = "";
        this.syncButtons();
        this.stage("quote");
        this.parts.heading.focus();
        this.timer = countdown(quote, {
            onTick: (left) => (this.parts.countdown.textContent = `Price held for ${clockText(left)}`),
            onExpired: () => this.expire(),
        });
    }

    expire() {
        this.expired = true;
        this.timer?.stop();
        this.parts.countdown.textContent = "The price hold has ended.";
        this.parts.expiredNote.textContent = "The price hold has ended. Get a new quote to continue.";
        this.syncButtons();
    }

    // onSubmit re-enables every button of the form when an action ends, so the expired state is
    // applied again just after. While the answer to a confirm is unknown (it was lost on the
    // way), Confirm stays open even past expiry and neither a new quote nor a change of amount
    // is offered: pressing it again sends the same Idempotency-Key, which places the trade at
    // most once, whereas a new quote would bring a new key and could place a second one.
    syncButtons() {
        this.parts.confirm.disabled = this.expired && !this.uncertain;
        show(this.parts.requote, this.expired && !this.uncertain);
        show(this.parts.change, !this.uncertain);
    }

    async confirm() {
        try {
            if (this.expired && !this.uncertain) {
                fieldProblem(this.parts.confirmForm, null, "The price hold has ended. Get a new quote.");
                return;
            }
            let trade;
            try {
                trade = await this.hooks.place(this.quote, this.request, this.key);
            } catch (error) {
                this.uncertain = error instanceof ConnectionProblem;
                if (error.code === "price_expired" || error.code === "quote_used") {
                    this.expire();
                }
                this.hooks.explain(error, this.request);
                throw error;
            }
            this.follow(trade);
        } finally {
            later(0, () => this.syncButtons());
        }
    }

    async requote(request = this.request) {
        const alertRegion = this.parts.confirmForm.querySelector("[role=alert]");
        const buttons = this.parts.confirmForm.querySelectorAll("button");
        buttons.forEach((button) => (button.disabled = true));
        showProblem(alertRegion, null);
        try {
            await this.requestQuote(request);
        } catch (error) {
            showProblem(alertRegion, error);
        } finally {
            buttons.forEach((button) => (button.disabled = false));
            this.syncButtons();
        }
    }

    backToEntry(clearAmount = false) {
        this.clear();
        this.stage("entry");
        const amount = this.parts.entryForm.querySelector("input:not([type=radio])");
        if (clearAmount) {
            amount.value = "";
        }
        amount.focus();
    }

    follow(trade) {
        this.timer?.stop();
        this.tradeId = trade.trade_id;
        this.shownStatus = null;
        this.stage("follow");
        show(this.parts.again, false);
        this.render(trade);
        this.parts.status.querySelector("h3")?.focus();
        this.hooks.placed(trade);
        this.follower = followTrade(trade.trade_id, {
            intervalMs: this.timing.pollMs,
            giveUpMs: this.timing.giveUpMs,
            onUpdate: (latest) => this.render(latest),
            onDone: () => this.settled(),
            onGiveUp: (latest) => this.stopWaiting(latest),
        });
    }

    // Redraws the status region only when the status changes, so a screen reader hears each
    // step once rather than every poll.
    render(trade) {
        if (trade.status === this.shownStatus) {
            return;
        }
        this.shownStatus = trade.status;
        this.parts.status.replaceChildren(...this.hooks.renderTrade(trade, this.request));
    }

    settled() {
        show(this.parts.again, true);
        emit("trade-settled");
    }

    stopWaiting(trade) {
        this.gaveUp = true;
        this.parts.status.querySelectorAll(".spinner").forEach((spinner) => spinner.remove());
        this.parts.status.append(...this.hooks.gaveUp(trade));
        show(this.parts.again, true);
        emit("trade-settled");
    }

    // A notification about the trade we stopped polling: look once more and show the outcome.
    async notified(tradeId) {
        if (!this.gaveUp || tradeId !== this.tradeId) {
            return;
        }
        try {
            const trade = await api("GET", `/trade/${encodeURIComponent(tradeId)}`);
            if (trade.status === "completed" || trade.status === "failed") {
                this.gaveUp = false;
                this.render(trade);
                this.settled();
            }
        } catch {
            // The history and the notification show the outcome as well.
        }
    }
}
