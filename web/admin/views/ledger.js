// Ledger (admin, treasury): every gold transfer, newest first, from GET /admin/ledger, filtered
// by user, kind, status and a range of UTC days; "Older" follows next_before and "Newer" walks
// back through the cursors already seen.

import {InputProblem, api, el, formatGrams, onSubmit} from "/common/api.js";
import {
    alertRegion, button, card, cursorPager, dataTable, dayStartUtc, field, idText, loadInto,
    loadingNote, query, selectInput, statusBadge, textInput, timeText,
} from "../ui.js";

const PAGE_SIZE = 50;
const STATUSES = [["", "Any status"], ["posted", "posted"], ["pending", "pending"],
                  ["voided", "voided"], ["resolution", "resolution"]];

function ledgerTable(items) {
    return dataTable({
        caption: "Transfers, newest first",
        empty: "No transfers match these filters.",
        rows: items,
        columns: [
            {label: "Time", cell: (entry) => timeText(entry.created_at)},
            {label: "Kind", cell: (entry) => el("code", {}, entry.kind)},
            {label: "Grams", cell: (entry) => formatGrams(entry.amount_grams), numeric: true},
            {label: "Status", cell: (entry) => statusBadge(entry.status)},
            {label: "Debit account", cell: (entry) => idText(entry.debit_account)},
            {label: "Credit account", cell: (entry) => idText(entry.credit_account)},
            {label: "User", cell: (entry) => idText(entry.user_id)},
            {label: "Trade", cell: (entry) => idText(entry.trade_id)},
            {label: "Pool", cell: (entry) => idText(entry.pool_id)},
            {label: "Resolves", cell: (entry) => idText(entry.pending_id)},
            {label: "Transfer ID", cell: (entry) => idText(entry.id)},
        ],
    });
}

// The API filters for the form's fields; the "To" day is included, so the bound is the next
// day's midnight (the API's `to` is exclusive).
function filtersOf(fields) {
    if (fields.from && fields.to && fields.from > fields.to) {
        throw new InputProblem("From must not be after To.");
    }
    return {
        user_id: fields.user_id,
        kind: fields.kind,
        status: fields.status,
        from: fields.from ? dayStartUtc(fields.from) : undefined,
        to: fields.to ? dayStartUtc(fields.to, 1) : undefined,
    };
}

function filterForm() {
    return el(
        "form",
        {class: "form-grid filters", "aria-label": "Ledger filters"},
        field("User ID", textInput({name: "user_id", spellcheck: "false", placeholder: "UUID"})),
        field("Kind", textInput({name: "kind", spellcheck: "false", placeholder: "e.g. buy.reserve"})),
        field("Status", selectInput({name: "status"}, STATUSES, "")),
        field("From", el("input", {type: "date", name: "from"}), "UTC day, included."),
        field("To", el("input", {type: "date", name: "to"}), "UTC day, included."),
        alertRegion(),
        el("div", {class: "actions span-all"},
           el("button", {type: "submit"}, "Apply filters"),
           button("Clear filters", {class: "secondary", "data-clear": ""})),
    );
}

export function render(context) {
    let filters = {};
    const list = el("div", {class: "list"}, loadingNote());
    const pager = cursorPager(async (cursor) => {
        let next;
        const ok = await loadInto(list, async () => {
            const page = await api("GET", `/admin/ledger${query({...filters, limit: PAGE_SIZE, before: cursor})}`);
            next = page.next_before ?? null;
            return ledgerTable(page.items);
        });
        return ok ? next : undefined;
    }, {back: "Newer", forward: "Older", label: "Ledger pages"});
    const form = filterForm();
    onSubmit(form, async (fields) => {
        filters = filtersOf(fields);
        await pager.first();
    });
    form.querySelector("[data-clear]").addEventListener("click", () => {
        form.reset();
        filters = {};
        pager.first();
    });
    context.root.append(card("Filters", form), list, pager.element);
    return pager.first();
}
