// One reconciliation run (#/reconciliation/<run_id>): its figures, its items with a resolve form
// for each open one (POST …/items/{item_id}/resolve; resolving never changes the ledger), and
// the CSV download, fetched with the bearer header and saved through a temporary <a download>.

import {api, el, formatKes, onSubmit, showProblem} from "/common/api.js";
import {
    alertRegion, announce, badge, button, card, dataTable, downloadBlob, facts, field, idText,
    loadInto, loadingNote, plainSection, statusBadge, statusRegion, textArea, timeText,
} from "../ui.js";

const NOTE_CHARS_MAX = 1000;

function runFacts(run) {
    return facts([
        ["Day", run.day],
        ["Status", statusBadge(run.status)],
        ["Trigger", run.trigger],
        ["Critical items", String(run.critical_count)],
        ["Unresolved critical", String(run.unresolved_critical ?? 0)],
        ["Started", timeText(run.started_at)],
        ["Finished", timeText(run.finished_at)],
        ["Failure", run.failure],
    ]);
}

function summaryDetails(summary) {
    if (!summary || Object.keys(summary).length === 0) {
        return null;
    }
    return el("details", {class: "json-details"},
              el("summary", {}, "Run summary (counts, statements, sweeps)"),
              el("pre", {}, JSON.stringify(summary, null, 2)));
}

function resolveForm(path, item, onResolved) {
    const form = el(
        "form", {class: "row-form stacked"},
        field("Resolution note", textArea({name: "note", required: true, maxlength: NOTE_CHARS_MAX, rows: 2})),
        el("button", {type: "submit"}, "Resolve"),
        alertRegion(),
    );
    onSubmit(form, async (fields) => {
        await api("POST", `${path}/items/${encodeURIComponent(item.item_id)}/resolve`, {json: {note: fields.note}});
        await onResolved(`Item ${item.item_id} (${item.class}) resolved.`);
    });
    return form;
}

function resolution(path, item, onResolved) {
    if (item.resolved_at) {
        return el("div", {class: "resolution"},
                  el("p", {}, item.resolution_note),
                  el("p", {class: "muted"}, "by ", idText(item.resolved_by), " · ", timeText(item.resolved_at)));
    }
    return resolveForm(path, item, onResolved);
}

function itemsTable(path, items, onResolved) {
    return dataTable({
        caption: "Items of this run",
        empty: "Nothing to report: every payment, payout and gram matched.",
        rows: items,
        rowClass: (item) => (item.severity === "critical" && !item.resolved_at ? "is-critical" : null),
        columns: [
            {label: "Item", cell: (item) => el("div", {class: "id-stack"}, el("code", {}, item.class), statusBadge(item.severity))},
            {label: "Receipt", cell: (item) => (item.receipt ? el("code", {}, item.receipt) : null)},
            {label: "Trade / payout", cell: (item) => (item.trade_id || item.payout_id
                ? el("div", {class: "id-stack"}, item.trade_id ? idText(item.trade_id) : null,
                     item.payout_id ? idText(item.payout_id) : null)
                : null)},
            {label: "Expected", cell: (item) => (item.expected_kes ? formatKes(item.expected_kes) : null), numeric: true},
            {label: "Actual", cell: (item) => (item.actual_kes ? formatKes(item.actual_kes) : null), numeric: true},
            {label: "Detail", cell: (item) => item.detail, className: "detail-cell"},
            {label: "Resolution", cell: (item) => resolution(path, item, onResolved), className: "action-cell"},
        ],
    });
}

function downloadButton(path, run) {
    const alert = alertRegion();
    const download = button("Download CSV", {class: "secondary"});
    download.addEventListener("click", async () => {
        download.disabled = true;
        showProblem(alert, null);
        try {
            const blob = await api("GET", `${path}?format=csv`, {blob: true});
            downloadBlob(blob, `reconciliation-${run.day}-${run.run_id}.csv`);
        } catch (error) {
            showProblem(alert, error);
        } finally {
            download.disabled = false;
        }
    });
    return el("div", {class: "toolbar"}, download, alert);
}

export function renderRun(context, runId) {
    const path = `/admin/reconciliation/${encodeURIComponent(runId)}`;
    const message = statusRegion();
    message.tabIndex = -1;
    const body = el("div", {class: "stack-lg"}, loadingNote());
    context.root.append(el("p", {}, el("a", {href: "#/reconciliation", class: "back-link"}, "← Back to all runs")),
                        message, body);
    const draw = () => loadInto(body, async () => {
        const report = await api("GET", path);
        const run = report.run;
        context.setTitle(`Reconciliation run ${run.day}`);
        const onResolved = async (text) => {
            await draw();
            announce(message, text);
            message.focus();  // the row that had focus was redrawn
        };
        const open = report.items.filter((item) => !item.resolved_at).length;
        return [
            downloadButton(path, run),
            card("Run", runFacts(run), summaryDetails(run.summary)),
            plainSection(`Items (${report.items.length}, ${open} open)`,
                 run.unresolved_critical > 0 ? badge(`${run.unresolved_critical} critical unresolved`, "bad") : null,
                 itemsTable(path, report.items, onResolved)),
        ];
    });
    return draw();
}
