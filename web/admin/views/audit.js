// Audit log (admin): every admin change and sensitive read, newest first (GET /admin/audit),
// with the before/after state of each change in a disclosure.

import {api, el} from "/common/api.js";
import {cursorPager, dataTable, idText, loadInto, loadingNote, query, timeText} from "../ui.js";

const PAGE_SIZE = 50;

function jsonBlock(title, value) {
    if (value === null || value === undefined) {
        return null;
    }
    return el("div", {class: "json-block"}, el("p", {class: "json-title"}, title),
              el("pre", {}, JSON.stringify(value, null, 2)));
}

function changes(entry) {
    if ((entry.before ?? null) === null && (entry.after ?? null) === null) {
        return null;
    }
    return el("details", {class: "json-details"},
              el("summary", {}, "Before / after"),
              jsonBlock("Before", entry.before),
              jsonBlock("After", entry.after));
}

function actor(entry) {
    if (!entry.actor_id) {
        return el("span", {class: "muted"}, "system");
    }
    return el("div", {}, idText(entry.actor_id), entry.actor_role ? el("div", {class: "muted"}, entry.actor_role) : null);
}

function target(entry) {
    if (!entry.target_type && !entry.target_id) {
        return null;
    }
    return el("div", {}, entry.target_type ?? "", entry.target_id ? el("div", {}, idText(entry.target_id)) : null);
}

function auditTable(items) {
    return dataTable({
        caption: "Audit entries, newest first",
        empty: "The audit log is empty.",
        rows: items,
        columns: [
            {label: "Time", cell: (entry) => timeText(entry.created_at)},
            {label: "Actor", cell: actor},
            {label: "Action", cell: (entry) => el("code", {}, entry.action)},
            {label: "Target", cell: target},
            {label: "Reason", cell: (entry) => entry.reason},
            {label: "Changes", cell: changes},
            {label: "Request", cell: (entry) => idText(entry.request_id)},
        ],
    });
}

export function render(context) {
    const list = el("div", {class: "list"}, loadingNote());
    const pager = cursorPager(async (cursor) => {
        let next;
        const ok = await loadInto(list, async () => {
            const page = await api("GET", `/admin/audit${query({limit: PAGE_SIZE, before: cursor})}`);
            next = page.next_before ?? null;
            return auditTable(page.items);
        });
        return ok ? next : undefined;
    }, {back: "Newer", forward: "Older", label: "Audit pages"});
    context.root.append(list, pager.element);
    return pager.first();
}
