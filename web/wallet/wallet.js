// The balance and price cards of the Wallet view. The balance keeps the last answer so "Sell
// all" can fill in the available grams exactly as the server wrote them.

import {ApiError, api, formatGrams, formatKes, problemMessage} from "/common/api.js";
import {elementsById, isZeroDecimal} from "./shared.js";

let els = {};
let lastBalance = null;

// The grams the caller may sell now ("0.500000"), or null before the balance has loaded.
export function availableGrams() {
    return lastBalance ? lastBalance.available_grams : null;
}

function renderBalance(view, balance) {
    if (view === els) {
        lastBalance = balance;
    }
    view.grams.textContent = formatGrams(balance.grams);
    view.value.textContent = formatKes(balance.value_kes);
    view.locked.hidden = isZeroDecimal(balance.locked_grams);
    view.available.textContent = formatGrams(balance.available_grams);
    view.lockedGrams.textContent = formatGrams(balance.locked_grams);
    view.balanceNote.textContent =
        balance.value_kes === null ? "The value shows once a gold price is set." : "";
}

// Loads are numbered so that only the latest one draws: an answer to an older call (a timer's,
// say) that arrives after a newer one (the one after a trade) is dropped, never shown as now.
let balanceLoads = 0;
let priceLoads = 0;

export async function loadBalance() {
    const view = els;  // the screen this answer is for, even if another one replaced it meanwhile
    const mine = ++balanceLoads;
    try {
        const balance = await api("GET", "/user/balance");
        if (mine === balanceLoads) {
            renderBalance(view, balance);
        }
    } catch (error) {
        if (mine === balanceLoads) {
            view.balanceNote.textContent = `Could not load your balance. ${problemMessage(error)}`;
        }
    }
}

function renderPrices(view, price) {
    view.buyPrice.textContent = formatKes(price.buy_price_per_gram);
    view.sellPrice.textContent = formatKes(price.sell_price_per_gram);
    view.pricesNote.textContent = "";
}

function notSetYet(error) {
    return error instanceof ApiError && (error.status === 404 || error.code === "price_not_set");
}

export async function loadPrices() {
    const view = els;
    const mine = ++priceLoads;
    try {
        const price = await api("GET", "/prices/current");
        if (mine === priceLoads) {
            renderPrices(view, price);
        }
    } catch (error) {
        if (mine !== priceLoads) {
            return;
        }
        view.buyPrice.textContent = "—";
        view.sellPrice.textContent = "—";
        view.pricesNote.textContent = notSetYet(error)
            ? "Prices not set yet. Buying and selling open once they are."
            : `Could not load prices. ${problemMessage(error)}`;
    }
}

// Finds the cards in the freshly mounted signed-in screen.
export function initWallet() {
    lastBalance = null;
    els = elementsById({
        grams: "balance-grams", value: "balance-value", locked: "balance-locked",
        available: "balance-available", lockedGrams: "balance-locked-grams", balanceNote: "balance-note",
        buyPrice: "buy-price", sellPrice: "sell-price", pricesNote: "prices-note",
    });
}
