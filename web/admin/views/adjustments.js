// Adjustments (admin): corrects a wallet by ledger transfers, never an edit (POST
// /admin/adjustments). A credit moves gold from the pools to the user, a debit moves the user's
// available grams back; the answer lists the transfers made.

import {api, el, formatGrams, idempotencyKey, onSubmit} from "/common/api.js";
import {
    alertRegion, announce, card, dataTable, facts, field, idText, statusRegion, textArea,
    textInput, timeText, uid,
} from "../ui.js";

const REASON_CHARS_MAX = 500;

function directionFieldset() {
    // The hint describes the radio rather than naming it, so "Debit" stays its whole name.
    const option = (value, label, hint, checked) => {
        const id = uid("direction");
        const hintId = uid("direction-hint");
        return el("div", {class: "radio"},
                  el("input", {type: "radio", name: "direction", value, id, checked, required: true,
                               "aria-describedby": hintId}),
                  el("label", {for: id}, label),
                  el("span", {class: "hint", id: hintId}, hint));
    };
    return el(
        "fieldset", {class: "span-all"},
        el("legend", {}, "Direction"),
        option("credit", "Credit", "(pools → user)", true),
        option("debit", "Debit", "(user's available grams → pools)", false),
    );
}

function reasonField() {
    const area = textArea({name: "reason", required: true, minlength: 1, maxlength: REASON_CHARS_MAX, rows: 3});
    const wrapper = field("Reason", area, `Required, up to ${REASON_CHARS_MAX} characters; kept in the audit log.`,
                          "span-all");
    const counter = el("p", {class: "hint counter", "aria-live": "off"}, `0 / ${REASON_CHARS_MAX}`);
    area.addEventListener("input", () => {
        counter.textContent = `${area.value.length} / ${REASON_CHARS_MAX}`;
    });
    wrapper.append(counter);
    return wrapper;
}

function resultView(adjustment) {
    return [
        facts([
            ["Adjustment", idText(adjustment.adjustment_id)],
            ["User", idText(adjustment.user_id)],
            ["Direction", adjustment.direction],
            ["Grams", formatGrams(adjustment.grams)],
            ["Reason", adjustment.reason],
            ["Made", timeText(adjustment.created_at)],
        ]),
        dataTable({
            caption: "Transfers made",
            empty: "No transfers.",
            rows: adjustment.transfers ?? [],
            columns: [
                {label: "Pool", cell: (transfer) => idText(transfer.pool_id)},
                {label: "Grams", cell: (transfer) => formatGrams(transfer.grams), numeric: true},
                {label: "Transfer", cell: (transfer) => idText(transfer.transfer_id)},
            ],
        }),
    ];
}

export function render(context) {
    const status = statusRegion();
    const result = el("div", {class: "result"});
    const form = el(
        "form",
        {class: "form-grid"},
        field("User ID", textInput({name: "user_id", required: true, spellcheck: "false", placeholder: "UUID"})),
        field("Grams", textInput({name: "grams", required: true, inputmode: "decimal", placeholder: "0.500000"}),
              "Up to 6 decimals."),
        directionFieldset(),
        reasonField(),
        alertRegion(),
        el("div", {class: "actions span-all"}, el("button", {type: "submit"}, "Make adjustment")),
    );
    // One Idempotency-Key per adjustment: sending the same form again after a lost answer reuses
    // it, so the gold moves once; a changed form is another adjustment with a key of its own.
    let attempt = null;
    onSubmit(form, async (fields) => {
        announce(status);
        const order = {
            user_id: fields.user_id,
            grams: fields.grams,
            direction: fields.direction,
            reason: fields.reason,
        };
        const text = JSON.stringify(order);
        if (attempt?.text !== text) {
            attempt = {text, key: idempotencyKey()};
        }
        const adjustment = await api("POST", "/admin/adjustments",
                                     {json: order, headers: {"Idempotency-Key": attempt.key}});
        attempt = null;
        form.reset();
        form.elements.reason.dispatchEvent(new Event("input"));  // the character count
        announce(status, `${adjustment.direction === "credit" ? "Credited" : "Debited"} ` +
                         `${formatGrams(adjustment.grams)} ${adjustment.direction === "credit" ? "to" : "from"} user ${adjustment.user_id}.`);
        result.replaceChildren(card("Result", ...resultView(adjustment)));
    });
    context.root.append(
        el("p", {class: "lede"}, "Corrections are ledger transfers and are audited. An admin cannot adjust their own wallet."),
        card("New adjustment", form, status),
        result,
    );
}
