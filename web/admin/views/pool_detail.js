// One pool (#/pools/<id>): its figures and notes; for admins the forms to edit it (PATCH
// /pools/{id}), top it up (POST …/topup) and retire it (POST …/retire, with a confirm step).

import {InputProblem, api, el, formatGrams, onSubmit} from "/common/api.js";
import {
    alertRegion, announce, badge, button, card, facts, field, loadInto, loadingNote, statusRegion, textArea, textInput, timeText,
} from "../ui.js";

export const PURITY_HINT = "Millesimal fineness, at most one decimal: 999.9, 995.0, 916.7.";
export const PRIORITY_HINT = "A whole number from 0 to 1000000; lower allocates first, then older pools.";

// The priority as the integer the API takes, undefined when left empty.
export function parsePriority(text) {
    if (text === undefined) {
        return undefined;
    }
    if (!/^\d{1,7}$/.test(text) || Number(text) > 1000000) {
        throw new InputProblem("Priority: a whole number from 0 to 1000000.");
    }
    return Number(text);
}

function poolFacts(pool) {
    return facts([
        ["Status", pool.retired_at ? badge("retired", "muted") : badge("active", "ok")],
        ["Purity", pool.purity],
        ["Priority", String(pool.priority)],
        ["Total", formatGrams(pool.total_grams)],
        ["Available", formatGrams(pool.available_grams)],
        ["Reserved", formatGrams(pool.reserved_grams)],
        ["Held by users", formatGrams(pool.held_grams)],
        ["Being sold", formatGrams(pool.selling_grams)],
        ["Created", timeText(pool.created_at)],
        ["Retired", pool.retired_at ? timeText(pool.retired_at) : "—"],
        ["Notes", pool.notes || "—"],
        ["Pool ID", el("code", {class: "id"}, pool.id)],
    ]);
}

// Sends only what changed, so an edit of the notes cannot rename the pool by accident.
function editForm(pool, done) {
    const form = el(
        "form",
        {class: "form-grid"},
        field("Name", textInput({name: "name", required: true, maxlength: 120, value: pool.name})),
        field("Priority", textInput({name: "priority", inputmode: "numeric", required: true,
                                     value: String(pool.priority)}), PRIORITY_HINT),
        field("Notes", textArea({name: "notes", rows: 2}), null, "span-all"),
        alertRegion(),
        el("div", {class: "actions span-all"}, el("button", {type: "submit"}, "Save changes")),
    );
    form.elements.notes.value = pool.notes ?? "";
    onSubmit(form, async (fields, formElement) => {
        const changes = {};
        if (fields.name !== pool.name) {
            changes.name = fields.name;
        }
        if (fields.priority !== String(pool.priority)) {
            changes.priority = parsePriority(fields.priority);
        }
        const notes = formElement.elements.notes.value.trim();
        if (notes !== (pool.notes ?? "")) {
            changes.notes = notes;
        }
        if (Object.keys(changes).length === 0) {
            await done("Nothing changed.");
            return;
        }
        const updated = await api("PATCH", `/pools/${encodeURIComponent(pool.id)}`, {json: changes});
        await done(`Saved pool ${updated.name}.`);
    });
    return card("Edit", form);
}

function topUpForm(pool, done) {
    const form = el(
        "form",
        {class: "form-grid"},
        field("Grams to add", textInput({name: "added_grams", required: true, inputmode: "decimal",
                                         placeholder: "100.000000"})),
        field("Top-up note", textInput({name: "note", maxlength: 500}), "Where the gold came from (bar numbers, invoice)."),
        alertRegion(),
        el("div", {class: "actions span-all"}, el("button", {type: "submit"}, "Top up")),
    );
    onSubmit(form, async (fields) => {
        const updated = await api("POST", `/pools/${encodeURIComponent(pool.id)}/topup`,
                                  {json: {added_grams: fields.added_grams, note: fields.note ?? ""}});
        await done(`Topped up ${updated.name}: total now ${formatGrams(updated.total_grams)}, ` +
                   `available ${formatGrams(updated.available_grams)}.`);
    });
    return card("Top up", form);
}

// Retiring is final, so the first submit only asks; the second (or Enter again) retires.
function retireForm(pool, done) {
    const ask = el("button", {type: "submit", class: "danger"}, "Retire pool");
    const confirmButton = el("button", {type: "submit", class: "danger-solid"}, "Confirm retirement");
    const cancel = button("Cancel", {class: "secondary"});
    const question = el(
        "div", {class: "confirm", hidden: true},
        el("p", {}, `Retire ${pool.name}? It will take no new allocations; the gold users hold stays traceable to it.`),
        el("div", {class: "actions"}, confirmButton, cancel),
    );
    const form = el(
        "form", {class: "stack"},
        field("Reason for retiring", textArea({name: "reason", rows: 2, maxlength: 500})),
        alertRegion(), el("div", {class: "actions"}, ask), question,
    );
    const setAsking = (asking) => {
        question.hidden = !asking;
        ask.hidden = asking;
        (asking ? confirmButton : ask).focus();
    };
    cancel.addEventListener("click", () => setAsking(false));
    onSubmit(form, async (fields) => {
        if (question.hidden) {
            setAsking(true);
            return;
        }
        const retired = await api("POST", `/pools/${encodeURIComponent(pool.id)}/retire`,
                                  {json: {reason: fields.reason ?? ""}});
        await done(`Retired pool ${retired.name}.`);
    });
    return card("Retire", form);
}

function adminForms(pool, done) {
    const forms = [editForm(pool, done), topUpForm(pool, done)];
    if (!pool.retired_at) {
        forms.push(retireForm(pool, done));
    }
    return el("div", {class: "card-grid"}, forms);
}

// Draws the pool; after an admin action it draws again with the message in the status region.
export function renderPool(context, poolId) {
    const status = statusRegion();
    status.tabIndex = -1;
    const body = el("div", {class: "stack-lg"}, loadingNote());
    context.root.append(el("p", {}, el("a", {href: "#/pools", class: "back-link"}, "← Back to the list")), status, body);
    const draw = () =>
        loadInto(body, async () => {
            const pool = await api("GET", `/pools/${encodeURIComponent(poolId)}`);
            context.setTitle(`Pool ${pool.name}`);
            const parts = [card("Figures", poolFacts(pool))];
            if (context.role === "admin") {
                parts.push(adminForms(pool, async (message) => {
                    await draw();
                    announce(status, message);
                    status.focus();  // the form that had focus was redrawn
                }));
            }
            return parts;
        });
    return draw();
}
