// Payouts (admin, treasury): the payout queue, oldest first, from GET /admin/payouts. A manual
// payout still pending is paid by hand and recorded here with its M-Pesa transaction ID
// (…/complete) or failed with a reason (…/fail); B2C payouts are settled by M-Pesa's result.

import {api, el, formatKes, onSubmit} from "/common/api.js";
import {
    alertRegion, announce, card, cursorPager, dataTable, field, idText, loadInto, loadingNote,
    selectInput, statusBadge, statusRegion, textInput, timeText,
} from "../ui.js";

const PAGE_SIZE = 50;
const STATUSES = [["pending", "Pending"], ["sent", "Sent"], ["completed", "Completed"], ["failed", "Failed"]];

// One small form of a row: a labelled input, its button and its own error region.
function rowForm(labelText, name, buttonText, buttonClass, submit) {
    const form = el(
        "form",
        {class: "row-form"},
        field(labelText, textInput({name, required: true, maxlength: name === "reason" ? 500 : 64,
                                    spellcheck: "false"})),
        el("button", {type: "submit", class: buttonClass}, buttonText),
        alertRegion(),
    );
    onSubmit(form, submit);
    return form;
}

function payoutActions(payout, decided) {
    if (payout.status !== "pending" && payout.status !== "sent") {
        const result = payout.mpesa_transaction_id
            ? el("span", {}, "M-Pesa ", el("code", {}, payout.mpesa_transaction_id))
            : el("span", {}, payout.failure_reason ?? "—");
        return el("div", {}, result, el("div", {class: "muted"}, timeText(payout.updated_at)));
    }
    if (payout.mode !== "manual") {
        return el("span", {class: "muted"}, "Settled by M-Pesa B2C");
    }
    const path = `/admin/payouts/${encodeURIComponent(payout.payout_id)}`;
    const who = `Payout of ${formatKes(payout.amount_kes)} to ${payout.phone}`;
    return el(
        "div",
        {class: "row-actions"},
        rowForm("M-Pesa transaction ID", "mpesa_transaction_id", "Mark paid", "", async (fields) => {
            const done = await api("POST", `${path}/complete`, {json: {mpesa_transaction_id: fields.mpesa_transaction_id}});
            await decided(`${who} marked paid (M-Pesa ${done.mpesa_transaction_id ?? fields.mpesa_transaction_id}).`);
        }),
        rowForm("Failure reason", "reason", "Mark failed", "danger", async (fields) => {
            await api("POST", `${path}/fail`, {json: {reason: fields.reason}});
            await decided(`${who} marked failed: ${fields.reason}.`);
        }),
    );
}

function payoutsTable(items, status, decided) {
    const label = STATUSES.find(([value]) => value === status)?.[1] ?? "All";
    return dataTable({
        caption: `${label} payouts, oldest first`,
        empty: `No ${label.toLowerCase()} payouts.`,
        rows: items,
        columns: [
            {label: "Requested", cell: (payout) => timeText(payout.created_at)},
            {label: "Amount", cell: (payout) => formatKes(payout.amount_kes), numeric: true},
            {label: "Phone", cell: (payout) => payout.phone, className: "nowrap"},
            {label: "Kind", cell: (payout) => `${payout.kind} · ${payout.mode === "b2c" ? "B2C" : "manual"}`,
             className: "nowrap"},
            {label: "Status", cell: (payout) => statusBadge(payout.status)},
            {label: "Trade / user", cell: (payout) => el("div", {class: "id-stack"},
                                                          idText(payout.trade_id), idText(payout.user_id))},
            {label: "Result or action", cell: (payout) => payoutActions(payout, decided), className: "action-cell"},
        ],
    });
}

function filterForm(initial) {
    return el(
        "form",
        {class: "inline-form", "aria-label": "Payout filter"},
        field("Status", selectInput({name: "status"}, STATUSES, initial)),
        el("button", {type: "submit", class: "secondary"}, "Show"),
        alertRegion(),
    );
}

export function render(context) {
    let status = "pending";
    const message = statusRegion();
    const list = el("div", {class: "list", tabindex: "-1"}, loadingNote());
    const decided = async (text) => {
        await pager.reload();
        announce(message, text);
        list.focus();  // the row that had focus may be gone
    };
    const pager = cursorPager(async (cursor) => {
        let next;
        const ok = await loadInto(list, async () => {
            const page = await api("GET", `/admin/payouts?status=${status}&limit=${PAGE_SIZE}${cursor ? `&after=${encodeURIComponent(cursor)}` : ""}`);
            next = page.next_after ?? null;
            return payoutsTable(page.items, status, decided);
        });
        return ok ? next : undefined;
    }, {back: "Previous page", forward: "Next page", label: "Payout pages"});
    const form = filterForm(status);
    onSubmit(form, async (fields) => {
        status = fields.status ?? "pending";
        announce(message);
        await pager.first();
    });
    form.elements.status.addEventListener("change", () => form.requestSubmit());
    context.root.append(card("Queue", form), message, list, pager.element);
    return pager.first();
}
