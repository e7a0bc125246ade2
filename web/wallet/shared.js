// What the wallet's parts share: timers that sign-out can stop all at once, a tiny event bus so
// a settled trade refreshes the balance, history and notifications, the words a person reads for
// a trade's status and failure reason, friendly client-side checks of typed amounts (the server
// stays the authority: these only spare a round trip and say what is wrong in plain words), and
// following a trade until it settles.
//
// Money and grams stay strings from input to request to display: nothing here parses them to a
// number.

import {ApiError, ConnectionProblem, api, el} from "/common/api.js";

// ---- Timers -------------------------------------------------------------------------------

const liveTimers = new Set();
let timerEpoch = 0;  // bumped by stopAllTimers: work begun before it must not schedule more

// Runs `callback` after `ms`; the returned handle's stop() cancels it. Every timer is also
// stopped by stopAllTimers() (sign-out), so nothing keeps polling for a session that ended.
export function later(ms, callback) {
    const handle = {
        id: 0,
        stop() {
            clearTimeout(handle.id);
            liveTimers.delete(handle);
        },
    };
    handle.id = setTimeout(() => {
        liveTimers.delete(handle);
        callback();
    }, ms);
    liveTimers.add(handle);
    return handle;
}

// Runs `callback` every `ms` until stopped.
export function every(ms, callback) {
    const handle = {
        id: setInterval(callback, ms),
        stop() {
            clearInterval(handle.id);
            liveTimers.delete(handle);
        },
    };
    liveTimers.add(handle);
    return handle;
}

export function stopAllTimers() {
    timerEpoch += 1;
    for (const handle of [...liveTimers]) {
        handle.stop();
    }
}

// ---- Events -------------------------------------------------------------------------------

// "trade-settled" (a buy or sell completed or failed: refresh what shows gold),
// "balance-stale" (grams were locked by a sell), "notification-new", "trade-notified" (detail:
// trade id). Listeners belong to one signed-in session: resetBus() drops them all.
let bus = new EventTarget();

export function resetBus() {
    bus = new EventTarget();
}

export function emit(name, detail = null) {
    bus.dispatchEvent(new CustomEvent(name, {detail}));
}

export function on(name, callback) {
    bus.addEventListener(name, (event) => callback(event.detail));
}

// ---- Screens ------------------------------------------------------------------------------

// Replaces what #screen shows with a fresh copy of the template `templateId`. Only one screen is
// in the document at a time, so no two inputs share a label, and whatever an old screen's late
// answers write goes to nodes no longer shown.
export function mount(templateId) {
    const template = document.getElementById(templateId);
    document.getElementById("screen").replaceChildren(template.content.cloneNode(true));
}

// The elements of the mounted screen by id: elementsById({form: "buy-form"}) → {form: <form>}.
export function elementsById(ids) {
    const found = {};
    for (const [name, id] of Object.entries(ids)) {
        found[name] = document.getElementById(id);
    }
    return found;
}

// ---- Words --------------------------------------------------------------------------------

const STATUS_WORDS = {
    reserved: "reserved",
    awaiting_payment: "awaiting payment",
    awaiting_payout: "awaiting payout",
    completed: "completed",
    failed: "failed",
};

export function statusWords(status) {
    return STATUS_WORDS[status] || String(status).replaceAll("_", " ");
}

// The same words the server's notifications use (trading/notification_text.cpp).
const REASON_WORDS = {
    cancelled: "You cancelled the M-Pesa prompt",
    wrong_pin: "The M-Pesa PIN was wrong",
    insufficient_funds: "Your M-Pesa balance was too low",
    timeout: "The M-Pesa prompt timed out",
    stk_rejected: "M-Pesa did not accept the payment request",
    payment_failed: "M-Pesa could not take the payment",
    payout_failed: "M-Pesa could not pay the money out",
};

export function reasonWords(side, reason) {
    if (reason === "expired") {
        return side === "sell" ? "The sale was not completed in time" : "No payment arrived in time";
    }
    return REASON_WORDS[reason] || "It could not be completed";
}

export const DOC_NAMES = {id_front: "ID front", id_back: "ID back", selfie: "Selfie"};

// ---- Amounts typed by a person ------------------------------------------------------------

// Each check returns {value} (the string to send) or {error} (what to tell the person).

export function checkShillings(text) {
    const cleaned = String(text || "").replace(/[\s,]/g, "");
    const match = /^(\d{1,12})(?:\.0{1,2})?$/.exec(cleaned);
    if (cleaned === "") {
        return {error: "Enter an amount in shillings."};
    }
    if (!match) {
        return {error: "Enter whole shillings, for example 1000."};
    }
    const value = match[1].replace(/^0+(?=\d)/, "");
    return value === "0" ? {error: "Enter an amount above zero."} : {value};
}

export function checkGrams(text) {
    let cleaned = String(text || "").replace(/\s/g, "");
    if (cleaned.startsWith(".")) {
        cleaned = `0${cleaned}`;
    }
    if (cleaned === "") {
        return {error: "Enter the grams."};
    }
    if (!/^\d{1,9}(\.\d+)?$/.test(cleaned)) {
        return {error: "Enter grams as a number, for example 0.5."};
    }
    if (!/^\d{1,9}(\.\d{1,6})?$/.test(cleaned)) {
        return {error: "Grams can have at most 6 decimal places."};
    }
    return isZeroDecimal(cleaned) ? {error: "Enter an amount above zero."} : {value: cleaned};
}

// Kenyan mobile numbers as the server accepts them: 07…, 01…, +254…, 254….
export function checkPhone(text) {
    const cleaned = String(text || "").replace(/[\s-]/g, "");
    if (cleaned === "") {
        return {error: "Enter your M-Pesa phone number, for example 0712345678."};
    }
    if (!/^(?:0|\+?254)[17]\d{8}$/.test(cleaned)) {
        return {error: "Enter a Kenyan mobile number like 0712345678 (or +254712345678)."};
    }
    return {value: cleaned};
}

export function isZeroDecimal(text) {
    return /^0*(\.0*)?$/.test(String(text));
}

// ---- Forms --------------------------------------------------------------------------------

// Shows a client-side finding in the form's alert region, marks the field invalid and moves
// the focus to it (more than an InputProblem thrown to onSubmit does).
export function fieldProblem(form, input, message) {
    const region = form.querySelector("[role=alert]");
    region.replaceChildren(message);
    region.hidden = false;
    if (input) {
        input.setAttribute("aria-invalid", "true");
        input.focus();
    }
}

// Runs a form's checks in order: `checks` are [input, {value, error}] pairs. Shows the first
// failure on its field and returns null, else the checked values in order.
export function checkedValues(form, checks) {
    clearFieldProblems(form);
    for (const [input, result] of checks) {
        if (result.error) {
            fieldProblem(form, input, result.error);
            return null;
        }
    }
    return checks.map(([, result]) => result.value);
}

export function clearFieldProblems(form) {
    for (const input of form.querySelectorAll("[aria-invalid]")) {
        input.removeAttribute("aria-invalid");
    }
}

export function show(element, visible) {
    element.hidden = !visible;
}

// "0:27" for 27 seconds.
export function clockText(seconds) {
    const whole = Math.max(0, seconds);
    return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

// Counts down a quote's hold, calling onTick(secondsLeft) when the shown second changes and
// onExpired() once at zero. The hold's length comes from the server's own two times
// (expires_at − created_at) and runs from the quote's arrival on a monotonic clock, so a phone
// whose clock is wrong still shows the right time. Returns a handle with stop().
export function countdown(quote, {onTick, onExpired}) {
    const holdMs = Date.parse(quote.expires_at) - Date.parse(quote.created_at);
    const deadline = performance.now() + holdMs;
    let shown = null;
    let handle = null;
    const tick = () => {
        const left = Math.max(0, Math.ceil((deadline - performance.now()) / 1000));
        if (left !== shown) {
            shown = left;
            onTick(left);
        }
        if (left === 0) {
            handle.stop();
            onExpired();
        }
    };
    handle = every(250, tick);
    tick();
    return handle;
}

// Polls GET /trade/{id} every `intervalMs` until the trade is completed or failed, or until
// `giveUpMs` has passed. onUpdate(trade) sees every answer; onDone(trade) the final one;
// onGiveUp(lastTrade) the timeout, or a trade that cannot be read (404). A poll that failed on
// the way (network, 5xx) is retried at the next interval; a 401 ends the session elsewhere and
// the timers with it; any other error is a defect of the page, logged, and ends the polling.
// Returns {stop()}.
export function followTrade(tradeId, {intervalMs, giveUpMs, onUpdate, onDone, onGiveUp}) {
    const giveUpAt = Date.now() + giveUpMs;
    const epoch = timerEpoch;
    let last = null;
    let timer = null;
    let stopped = false;
    const poll = async () => {
        try {
            last = await api("GET", `/trade/${encodeURIComponent(tradeId)}`);
            if (stopped || epoch !== timerEpoch) {
                return;
            }
            onUpdate(last);
            if (last.status === "completed" || last.status === "failed") {
                stopped = true;
                onDone(last);
                return;
            }
        } catch (error) {
            if (!(error instanceof ApiError) && !(error instanceof ConnectionProblem)) {
                stopped = true;
                console.error(error);
                return;
            }
            if (error.status === 401 || error.status === 404) {
                stopped = true;
                if (error.status === 404) {
                    onGiveUp(last);
                }
                return;
            }
        }
        if (stopped || epoch !== timerEpoch) {
            return;
        }
        if (Date.now() >= giveUpAt) {
            stopped = true;
            onGiveUp(last);
            return;
        }
        timer = later(intervalMs, poll);
    };
    poll();
    return {
        stop() {
            stopped = true;
            timer?.stop();
        },
    };
}

// One line of a definition list: <div><dt>term</dt><dd>value</dd></div>.
export function termRow(term, value, ddAttributes = {}) {
    return el("div", {class: "term"}, el("dt", {}, term), el("dd", ddAttributes, value));
}
