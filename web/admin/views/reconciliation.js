// Reconciliation (admin, treasury): the runs (GET /admin/reconciliation), starting a run now
// (POST …/run), importing an M-Pesa statement export (POST …/statements, text/csv).
// #/reconciliation/<run_id> opens one run's report (reconciliation_run.js).

import {InputProblem, api, el, onSubmit} from "/common/api.js";
import {
    alertRegion, announce, card, cursorPager, dataTable, field, loadInto, loadingNote,
    plainSection, query, statusBadge, statusRegion, textInput, timeText,
} from "../ui.js";
import {renderRun} from "./reconciliation_run.js";

const PAGE_SIZE = 30;
// The server takes up to 10 MiB in one upload; larger files go through the command line.
const STATEMENT_BYTES_MAX = 10 * 1024 * 1024;

function runLink(run) {
    return el("a", {href: `#/reconciliation/${encodeURIComponent(run.run_id)}`}, run.day);
}

function runsTable(items) {
    return dataTable({
        caption: "Runs, newest first",
        empty: "No reconciliation has run yet.",
        rows: items,
        rowClass: (run) => (run.critical_count > 0 ? "has-critical" : null),
        columns: [
            {label: "Day", cell: runLink},
            {label: "Trigger", cell: (run) => run.trigger},
            {label: "Status", cell: (run) => statusBadge(run.status)},
            {label: "Critical", cell: (run) => String(run.critical_count), numeric: true},
            {label: "Started", cell: (run) => timeText(run.started_at)},
            {label: "Finished", cell: (run) => timeText(run.finished_at)},
            {label: "Failure", cell: (run) => run.failure},
        ],
    });
}

function runForm(message, onRun) {
    const form = el(
        "form",
        {class: "inline-form"},
        field("Day (optional)", el("input", {type: "date", name: "date"}), "Nairobi day; empty means yesterday."),
        el("button", {type: "submit"}, "Run reconciliation"),
        alertRegion(),
    );
    onSubmit(form, async (fields) => {
        announce(message, "Running reconciliation…");
        try {
            const report = await api("POST", "/admin/reconciliation/run", {json: fields.date ? {date: fields.date} : {}});
            const run = report.run;
            announce(message, `Reconciliation of ${run.day} ${run.status}: ${run.critical_count} critical. `,
                     el("a", {href: `#/reconciliation/${encodeURIComponent(run.run_id)}`}, `Open the report of ${run.day}`));
        } catch (error) {
            announce(message);
            throw error;
        }
        await onRun();
    });
    return form;
}

function statementSummary(file, imported) {
    if (imported.already_imported) {
        return `${file.name} was already imported; nothing added.`;
    }
    return `Imported ${file.name} (short code ${imported.shortcode}): ${imported.lines} lines, ` +
           `${imported.new_lines} new, ${imported.skipped_rows} rows skipped.`;
}

function statementForm(message) {
    const form = el(
        "form",
        {class: "form-grid"},
        field("Statement file (CSV)", el("input", {type: "file", name: "statement", accept: ".csv,text/csv", required: true}),
              "The M-Pesa portal export of our paybill or B2C account."),
        field("Short code", textInput({name: "shortcode", inputmode: "numeric", maxlength: 7}),
              "Only for a file without a “Short Code:” row."),
        alertRegion(),
        el("div", {class: "actions span-all"}, el("button", {type: "submit"}, "Upload statement")),
    );
    onSubmit(form, async (fields, formElement) => {
        const file = formElement.elements.statement.files[0];
        if (!file) {
            throw new InputProblem("Choose a statement file.");
        }
        if (file.size > STATEMENT_BYTES_MAX) {
            throw new InputProblem("The file is over 10 MiB: import it with goldwallet reconcile --statement.");
        }
        const path = `/admin/reconciliation/statements${query({file_name: file.name, shortcode: fields.shortcode})}`;
        // The File itself is the body: its bytes go as they are, never re-decoded as UTF-8.
        const imported = await api("POST", path, {text: file, contentType: "text/csv"});
        formElement.reset();
        announce(message, statementSummary(file, imported));
    });
    return form;
}

function renderRuns(context) {
    const message = statusRegion();
    const list = el("div", {class: "list"}, loadingNote());
    const pager = cursorPager(async (cursor) => {
        let next;
        const ok = await loadInto(list, async () => {
            const page = await api("GET", `/admin/reconciliation${query({limit: PAGE_SIZE, before: cursor})}`);
            next = page.next_before ?? null;
            return runsTable(page.items);
        });
        return ok ? next : undefined;
    }, {back: "Newer", forward: "Older", label: "Run pages"});
    context.root.append(
        message,
        el("div", {class: "card-grid"},
           card("Run now", runForm(message, () => pager.first())),
           card("Import a statement", statementForm(message))),
        plainSection("Runs", list, pager.element),
    );
    return pager.first();
}

export function render(context) {
    return context.param ? renderRun(context, context.param) : renderRuns(context);
}
