// Dashboard (admin, treasury): the gold position, pools, open M-Pesa work, the current price
// and the last reconciliation, from GET /admin/dashboard and GET /prices/current. Every figure
// is the API's own string.

import {api, el, formatGrams, formatKes} from "/common/api.js";
import {button, isNotFound, loadInto, loadingNote, statusBadge, timeText, uid} from "../ui.js";

// The price in force, or null before the first price is set.
export async function currentPrice() {
    try {
        const price = await api("GET", "/prices/current");
        return price && price.buy_price_per_gram ? price : null;
    } catch (error) {
        if (isNotFound(error) || error.code === "price_not_set") {
            return null;
        }
        throw error;
    }
}

function tile(term, value, note) {
    return el(
        "div",
        {class: "tile"},
        el("dt", {}, term),
        el("dd", {}, value),
        note ? el("dd", {class: "tile-note"}, note) : null,
    );
}

function tileGroup(title, tiles) {
    const headingId = uid("tiles");
    return el(
        "section",
        {class: "tile-group", "aria-labelledby": headingId},
        el("h3", {id: headingId}, title),
        el("dl", {class: "tiles"}, tiles),
    );
}

// The banner staff cannot miss while a reconciliation has critical items nobody resolved.
function criticalBanner(run, context) {
    if (!run || !(run.unresolved_critical > 0)) {
        return null;
    }
    const canOpen = context.can("reconciliation");
    return el(
        "div",
        {role: "alert", class: "banner-critical"},
        el("p", {}, el("strong", {}, `${run.unresolved_critical} critical reconciliation items unresolved`),
            ` in the run of ${run.day}.`),
        canOpen ? el("a", {href: `#/reconciliation/${encodeURIComponent(run.run_id)}`}, "Review the run") : null,
    );
}

function goldTiles(gold) {
    return tileGroup("Gold", [
        tile("Total gold", formatGrams(gold.total_grams)),
        tile("Available in pools", formatGrams(gold.available_grams)),
        tile("Reserved for buys", formatGrams(gold.reserved_grams)),
        tile("Held by users", formatGrams(gold.held_by_users_grams)),
        tile("Being sold back", formatGrams(gold.being_sold_grams)),
    ]);
}

function operationsTiles(data) {
    const payouts = data.pending_payouts ?? {};
    return tileGroup("Operations", [
        tile("Active pools", String(data.pools?.active ?? "—")),
        tile("Retired pools", String(data.pools?.retired ?? "—")),
        tile("Pending STK pushes", String(data.pending_stk_pushes ?? "—")),
        tile("Pending payouts", String(payouts.count ?? "—"),
             `${payouts.manual ?? 0} manual · ${payouts.b2c ?? 0} B2C`),
    ]);
}

function priceTiles(price) {
    if (price === null) {
        return tileGroup("Price", [tile("Price per gram", "Not set yet")]);
    }
    return tileGroup("Price per gram", [
        tile("Buy", formatKes(price.buy_price_per_gram)),
        tile("Sell", formatKes(price.sell_price_per_gram)),
        tile("Set", timeText(price.updated_at)),
    ]);
}

function reconciliationTiles(run) {
    if (!run) {
        return tileGroup("Last reconciliation", [tile("Last run", "No reconciliation has run yet")]);
    }
    return tileGroup("Last reconciliation", [
        tile("Day", run.day),
        tile("Status", statusBadge(run.status), run.failure || null),
        tile("Critical items", String(run.critical_count)),
        tile("Unresolved critical", String(run.unresolved_critical ?? 0)),
        tile("Finished", timeText(run.finished_at)),
    ]);
}

async function draw(context, updated) {
    const [data, price] = await Promise.all([api("GET", "/admin/dashboard"), currentPrice()]);
    updated.replaceChildren("Updated ", timeText(new Date().toISOString()));
    return [
        criticalBanner(data.last_reconciliation, context),
        goldTiles(data.gold ?? {}),
        operationsTiles(data),
        priceTiles(price),
        reconciliationTiles(data.last_reconciliation),
    ];
}

export function render(context) {
    const content = el("div", {class: "dashboard-content"}, loadingNote());
    const refresh = button("Refresh", {class: "secondary"});
    const updated = el("p", {class: "muted updated"});
    context.root.append(el("div", {id: "dashboard", class: "dashboard"},
                           el("div", {class: "toolbar"}, updated, refresh), content));
    const load = () => loadInto(content, () => draw(context, updated));
    refresh.addEventListener("click", load);
    return load();
}
