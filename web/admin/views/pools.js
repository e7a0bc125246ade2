// Pools (admin; treasury read-only): the list of physical lots of gold with their figures, and
// for admins a form to create one. #/pools/<id> opens one pool (pool_detail.js).

import {api, el, formatGrams, onSubmit} from "/common/api.js";
import {
    alertRegion, announce, badge, card, dataTable, field, loadInto, loadingNote, statusRegion,
    textArea, textInput, timeTwoLines,
} from "../ui.js";
import {PRIORITY_HINT, PURITY_HINT, parsePriority, renderPool} from "./pool_detail.js";

function poolsTable(items) {
    return dataTable({
        caption: "Pools",
        empty: "No pools yet.",
        rows: items,
        rowClass: (pool) => (pool.retired_at ? "is-retired" : null),
        columns: [
            {label: "Name", cell: (pool) => el("a", {href: `#/pools/${encodeURIComponent(pool.id)}`}, pool.name),
             className: "name-cell"},
            {label: "Purity", cell: (pool) => pool.purity, numeric: true},
            {label: "Priority", cell: (pool) => String(pool.priority), numeric: true},
            {label: "Total", cell: (pool) => formatGrams(pool.total_grams), numeric: true},
            {label: "Available", cell: (pool) => formatGrams(pool.available_grams), numeric: true},
            {label: "Reserved", cell: (pool) => formatGrams(pool.reserved_grams), numeric: true},
            {label: "Held by users", cell: (pool) => formatGrams(pool.held_grams), numeric: true},
            {label: "Being sold", cell: (pool) => formatGrams(pool.selling_grams), numeric: true},
            {label: "Created", cell: (pool) => timeTwoLines(pool.created_at)},
            {label: "Retired", cell: (pool) => (pool.retired_at ? timeTwoLines(pool.retired_at) : badge("active", "ok"))},
        ],
    });
}

function createForm(onCreated) {
    const status = statusRegion();
    const form = el(
        "form",
        {class: "form-grid"},
        field("Name", textInput({name: "name", required: true, maxlength: 120})),
        field("Total grams", textInput({name: "total_grams", required: true, inputmode: "decimal",
                                        placeholder: "1000.000000"}), "Up to 6 decimals."),
        field("Purity", textInput({name: "purity", required: true, inputmode: "decimal", placeholder: "999.9"}),
              PURITY_HINT),
        field("Priority", textInput({name: "priority", inputmode: "numeric", placeholder: "100"}), PRIORITY_HINT),
        field("Notes", textArea({name: "notes", rows: 2}), null, "span-all"),
        alertRegion(),
        el("div", {class: "actions span-all"}, el("button", {type: "submit"}, "Create pool")),
    );
    onSubmit(form, async (fields) => {
        announce(status);
        const body = {name: fields.name, total_grams: fields.total_grams, purity: fields.purity};
        const priority = parsePriority(fields.priority);
        if (priority !== undefined) {
            body.priority = priority;
        }
        if (fields.notes !== undefined) {
            body.notes = fields.notes;
        }
        const pool = await api("POST", "/pools", {json: body});
        form.reset();
        announce(status, `Pool ${pool.name} created with ${formatGrams(pool.total_grams)}.`);
        await onCreated();
    });
    return card("Create a pool", form, status);
}

export function render(context) {
    if (context.param) {
        return renderPool(context, context.param);
    }
    const list = el("div", {class: "list"}, loadingNote());
    const load = () => loadInto(list, async () => poolsTable((await api("GET", "/pools")).items));
    context.root.append(
        el("p", {class: "lede"},
           "Pools allocate in ascending priority, then age. Open a pool to see its notes",
           context.role === "admin" ? ", top it up, edit or retire it." : "."),
        list,
    );
    if (context.role === "admin") {
        context.root.append(createForm(load));
    }
    return load();
}
