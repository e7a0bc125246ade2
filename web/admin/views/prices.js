// Prices (admin): the price in force, the form that sets a new one (POST /prices, effective at
// once), and the last 100 changes as a chart with a table beside it for screen readers.

import {api, el, formatKes, onSubmit} from "/common/api.js";
import {
    alertRegion, announce, card, dataTable, facts, field, loadInto, loadingNote, statusRegion,
    textInput, timeText,
} from "../ui.js";
import {currentPrice} from "./dashboard.js";
import {priceChart} from "./price_chart.js";

const HISTORY_LIMIT = 100;

function currentFacts(price) {
    if (price === null) {
        return el("p", {class: "empty"}, "No price has been set yet.");
    }
    return facts([
        ["Buy (per gram)", formatKes(price.buy_price_per_gram)],
        ["Sell (per gram)", formatKes(price.sell_price_per_gram)],
        ["Set", timeText(price.updated_at)],
    ], "facts facts-inline");
}

function historyTable(items) {
    return dataTable({
        caption: "Price history, newest first",
        empty: "No prices yet.",
        rows: items,
        columns: [
            {label: "Set", cell: (price) => timeText(price.updated_at)},
            {label: "Buy per gram", cell: (price) => formatKes(price.buy_price_per_gram), numeric: true},
            {label: "Sell per gram", cell: (price) => formatKes(price.sell_price_per_gram), numeric: true},
        ],
    });
}

function history(items, availableWidth) {
    if (items.length === 0) {
        return el("p", {class: "empty"}, "No prices yet: the chart appears after the first price is set.");
    }
    return [
        el("ul", {class: "legend"},
           el("li", {class: "legend-buy"}, "Buy"),
           el("li", {class: "legend-sell"}, "Sell")),
        el("div", {class: "chart-wrap"}, priceChart(items, availableWidth)),
        el("details", {class: "table-details"},
           el("summary", {}, `Show the ${items.length} price changes as a table`),
           historyTable(items)),
    ];
}

function priceForm(onSet) {
    const status = statusRegion();
    const form = el(
        "form",
        {class: "form-grid"},
        field("Buy price (KES per gram)", textInput({name: "buy_price_per_gram", required: true,
                                                     inputmode: "decimal", placeholder: "8500.00"})),
        field("Sell price (KES per gram)", textInput({name: "sell_price_per_gram", required: true,
                                                      inputmode: "decimal", placeholder: "8200.00"})),
        el("p", {class: "hint span-all"}, "Up to 2 decimals; buy must be at least sell. Effective at once."),
        alertRegion(),
        el("div", {class: "actions span-all"}, el("button", {type: "submit"}, "Set prices")),
    );
    onSubmit(form, async (fields) => {
        announce(status);
        const price = await api("POST", "/prices", {json: {
            buy_price_per_gram: fields.buy_price_per_gram,
            sell_price_per_gram: fields.sell_price_per_gram,
        }});
        form.reset();
        announce(status, `Prices set: buy ${formatKes(price.buy_price_per_gram)}, sell ${formatKes(price.sell_price_per_gram)} per gram.`);
        await onSet();
    });
    return card("Set prices", form, status);
}

export function render(context) {
    const current = el("div", {}, loadingNote());
    const chart = el("div", {}, loadingNote());
    const load = () => Promise.all([
        loadInto(current, async () => currentFacts(await currentPrice())),
        loadInto(chart, async () => {
            const page = await api("GET", `/prices/history?limit=${HISTORY_LIMIT}`);
            return history(page.items, chart.clientWidth);
        }),
    ]);
    context.root.append(card("Current price", current));
    if (context.role === "admin") {
        context.root.append(priceForm(load));
    }
    context.root.append(card(`History (last ${HISTORY_LIMIT} changes)`, chart));
    return load();
}
