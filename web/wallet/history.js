// The History view: the caller's trades, newest first, a page at a time ("Load more" follows
// next_before).

import {api, el, formatGrams, formatKes, formatTime, problemMessage} from "/common/api.js";
import {elementsById, reasonWords, statusWords} from "./shared.js";

const PAGE_SIZE = 20;

let els = {};

let nextBefore = null;
let generation = 0;

function tradeItem(trade) {
    const bought = trade.side === "buy";
    const detail = [];
    if (trade.status === "failed") {
        detail.push(el("p", {class: "trade-detail"}, `${reasonWords(trade.side, trade.reason)}.`));
    } else if (trade.status === "awaiting_payout") {
        detail.push(el("p", {class: "trade-detail"}, "Your payout is being processed."));
    }
    if (trade.receipt) {
        detail.push(el("p", {class: "trade-detail"}, `M-Pesa receipt ${trade.receipt}`));
    }
    return el("li", {class: `trade trade-${trade.side}`},
        el("div", {class: "trade-line"},
            el("span", {class: "trade-side"}, bought ? "Bought" : "Sold"),
            el("span", {class: "trade-grams"}, formatGrams(trade.grams)),
        ),
        el("div", {class: "trade-line"},
            el("span", {class: "trade-kes"}, formatKes(trade.amount_kes)),
            el("span", {class: `pill status-${trade.status}`}, statusWords(trade.status)),
        ),
        el("p", {class: "trade-when"},
            el("time", {datetime: trade.created_at}, formatTime(trade.created_at)),
            ` · ${formatKes(trade.price_per_gram)} per gram`),
        ...detail,
    );
}

async function loadPage(before) {
    const query = new URLSearchParams({limit: String(PAGE_SIZE)});
    if (before) {
        query.set("before", before);
    }
    return api("GET", `/user/trades?${query}`);
}

// Loads the first page (replace = true) or the next one. A newer first-page load wins over any
// answer still on its way, so a refresh after a trade is never lost to a slow "Load more".
async function load(replace) {
    if (replace) {
        generation += 1;
    }
    const mine = generation;
    const {list, note, more} = els;
    try {
        const page = await loadPage(replace ? null : nextBefore);
        if (mine !== generation) {
            return;
        }
        const items = page.items.map(tradeItem);
        if (replace) {
            list.replaceChildren(...items);
        } else {
            list.append(...items);
        }
        nextBefore = page.next_before;
        more.hidden = !nextBefore;
        note.textContent = list.children.length === 0 ? "No trades yet. Your buys and sales will show here." : "";
    } catch (error) {
        note.textContent = `Could not load your history. ${problemMessage(error)}`;
    }
}

export function loadHistory() {
    return load(true);
}

// Finds the History view of the freshly mounted signed-in screen.
export function initHistory() {
    nextBefore = null;
    generation += 1;
    els = elementsById({list: "trade-history", note: "history-note", more: "history-more",
        heading: "history-heading"});
    els.more.addEventListener("click", async () => {
        els.more.disabled = true;
        await load(false);
        els.more.disabled = false;
        if (els.more.hidden) {
            els.heading.focus();
        }
    });
}
