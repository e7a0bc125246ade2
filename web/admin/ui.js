// Small building blocks the admin console's views share: labelled fields, tables, cursor
// pagination, status and error regions, object-URL bookkeeping and downloads. Everything is
// built with el() from the shared api module, so no markup string is ever parsed.

import {ApiError, el, formatTime, showProblem} from "/common/api.js";

let idCounter = 0;

// A document-unique id for label/aria wiring: uid("pool-name") → "pool-name-7".
export function uid(prefix) {
    idCounter += 1;
    return `${prefix}-${idCounter}`;
}

// True when the answer is "nothing there yet" rather than a failure.
export function isNotFound(error) {
    return error instanceof ApiError && (error.status === 404 || error.code === "not_found");
}

export function alertRegion() {
    return el("p", {role: "alert", class: "form-error", hidden: true});
}

// A polite live region; it exists before its first message so screen readers announce it.
export function statusRegion() {
    return el("p", {role: "status", class: "status-message"});
}

// Shows a success message in a status region (children may include links).
export function announce(region, ...content) {
    region.replaceChildren(...content);
    region.classList.toggle("is-shown", content.length > 0);
}

export function loadingNote(text = "Loading…") {
    return el("p", {class: "loading"}, text);
}

// A label above its control, with an optional hint the control is described by.
export function field(labelText, control, hint, className = "") {
    if (!control.id) {
        control.id = uid("field");
    }
    const parts = [el("label", {for: control.id}, labelText), control];
    if (hint) {
        const hintElement = el("p", {class: "hint", id: uid("hint")}, hint);
        control.setAttribute("aria-describedby", hintElement.id);
        parts.push(hintElement);
    }
    return el("div", {class: `field ${className}`.trim()}, ...parts);
}

export function textInput(attributes = {}) {
    return el("input", {type: "text", autocomplete: "off", ...attributes});
}

// A <select> from [value, label] pairs.
export function selectInput(attributes, options, selected) {
    return el(
        "select",
        attributes,
        options.map(([value, label]) => el("option", {value, selected: value === selected}, label)),
    );
}

// A textarea that also submits its form with Ctrl+Enter / Cmd+Enter (Enter adds a line).
export function textArea(attributes = {}) {
    const area = el("textarea", {rows: 3, ...attributes});
    area.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && area.form) {
            event.preventDefault();
            area.form.requestSubmit();
        }
    });
    return area;
}

export function button(label, attributes = {}) {
    return el("button", {type: "button", ...attributes}, label);
}

// A card with a heading: the visual and structural unit of every view.
export function card(title, ...children) {
    return titledSection("card", title, children);
}

// A titled section without the card's frame, for wide tables that need every pixel.
export function plainSection(title, ...children) {
    return titledSection("plain-section", title, children);
}

function titledSection(className, title, children) {
    const headingId = uid("section");
    return el(
        "section",
        {class: className, "aria-labelledby": headingId},
        el("h3", {id: headingId}, title),
        ...children,
    );
}

function cellContent(value) {
    return value === null || value === undefined || value === "" ? "—" : value;
}

function columnClass(column) {
    return [column.numeric ? "num" : "", column.className ?? ""].join(" ").trim() || null;
}

// A table in a keyboard-scrollable region, or the empty-state sentence when there are no rows.
// On a phone the stylesheet stacks each row as a card, labelling cells from data-label.
// columns: [{label, cell: (row) => node | string, numeric?, className?}]; rowClass(row) is
// optional.
export function dataTable({caption, columns, rows, empty, rowClass}) {
    if (rows.length === 0) {
        return el("p", {class: "empty"}, empty);
    }
    const head = el(
        "tr",
        {},
        columns.map((column) => el("th", {scope: "col", class: columnClass(column)}, column.label)),
    );
    const body = rows.map((row) =>
        el(
            "tr",
            {class: rowClass ? rowClass(row) : null},
            columns.map((column) =>
                el("td", {class: columnClass(column), "data-label": column.label}, cellContent(column.cell(row))),
            ),
        ),
    );
    return el(
        "div",
        {class: "table-wrap", role: "region", "aria-label": caption, tabindex: "0"},
        el("table", {}, el("caption", {}, caption), el("thead", {}, head), el("tbody", {}, body)),
    );
}

// Term/value pairs as a description list.
export function facts(pairs, className = "facts") {
    return el(
        "dl",
        {class: className},
        pairs.map(([term, value]) => el("div", {}, el("dt", {}, term), el("dd", {}, cellContent(value)))),
    );
}

const UUID_PATTERN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

// An identifier (or an account code holding them) shortened for tables: each UUID shows its
// first 8 hex digits. The chip is a button that copies the full value, so nothing is lost.
export function idText(id) {
    if (id === null || id === undefined || id === "") {
        return "—";
    }
    const full = String(id);
    const shown = full.replace(UUID_PATTERN, (uuid) => `${uuid.slice(0, 8)}…`);
    if (shown === full) {
        return el("code", {class: "id"}, full);
    }
    const chip = el("button", {type: "button", class: "id-chip", title: `${full} (click to copy)`,
                               "aria-label": `${shown}, copy the full ID`}, el("code", {}, shown));
    chip.addEventListener("click", () => copyText(full, chip));
    return chip;
}

// Copies to the clipboard (or, outside a secure context, through a selected textarea) and
// says so in the page-wide status region.
async function copyText(text, chip) {
    try {
        await navigator.clipboard.writeText(text);
    } catch {
        const area = el("textarea", {class: "visually-hidden", readonly: true});
        area.value = text;
        document.body.append(area);
        area.select();
        document.execCommand("copy");
        area.remove();
        chip.focus();
    }
    const region = document.getElementById("copy-status");
    if (region) {
        region.textContent = `Copied ${text}`;
        clearTimeout(copyText.timer);
        copyText.timer = setTimeout(() => (region.textContent = ""), 2500);
    }
}

export function timeText(iso) {
    return iso ? el("time", {datetime: iso}, formatTime(iso)) : "—";
}

// The same instant as two unbreakable parts, day and clock, for narrow table columns.
export function timeTwoLines(iso) {
    if (!iso) {
        return "—";
    }
    const at = new Date(iso);
    return el("time", {datetime: iso, class: "two-lines"},
              el("span", {}, at.toLocaleDateString("en-KE", {dateStyle: "medium"})), " ",
              el("span", {}, at.toLocaleTimeString("en-KE", {timeStyle: "short"})));
}

// A coloured label for a status word; `tone` picks the colour (ok, warn, bad, info, muted).
export function badge(text, tone = "muted") {
    return el("span", {class: `badge badge-${tone}`}, text);
}

const TONES = {
    posted: "ok", completed: "ok", verified: "ok", active: "ok",
    pending: "warn", sent: "info", running: "info", resolution: "info", warning: "warn",
    voided: "muted", failed: "bad", rejected: "bad", critical: "bad",
};

export function statusBadge(status) {
    return status ? badge(status, TONES[status] ?? "muted") : "—";
}

// Fills `container` with what `loader` builds, or with the failure; returns true on success.
export async function loadInto(container, loader) {
    container.setAttribute("aria-busy", "true");
    try {
        const content = await loader();
        container.replaceChildren(...[content].flat().filter((node) => node !== null && node !== undefined));
        return true;
    } catch (error) {
        const region = alertRegion();
        showProblem(region, error);
        container.replaceChildren(region);
        return false;
    } finally {
        container.removeAttribute("aria-busy");
    }
}

// Backwards/forwards through a cursor-paginated list. `load(cursor)` draws one page and returns
// its next cursor (null on the last page) or undefined when it failed. A stack of the cursors
// already seen makes "back" possible, since the API only hands out "next".
export function cursorPager(load, {back = "Newer", forward = "Older", label = "Pages"} = {}) {
    let cursor = null;
    let next = null;
    const stack = [];
    const backButton = button(back, {class: "secondary"});
    const forwardButton = button(forward, {class: "secondary"});
    const element = el("nav", {class: "pager", "aria-label": label, hidden: true}, backButton, forwardButton);

    function refresh() {
        backButton.disabled = stack.length === 0;
        forwardButton.disabled = next === null;
        element.hidden = stack.length === 0 && next === null;
    }
    async function show(target, undo) {
        backButton.disabled = forwardButton.disabled = true;
        const result = await load(target);
        if (result === undefined) {
            undo();
        } else {
            cursor = target;
            next = result;
        }
        refresh();
    }
    backButton.addEventListener("click", () => {
        const target = stack.pop();
        show(target, () => stack.push(target)).then(() => keepFocus(backButton, forwardButton));
    });
    forwardButton.addEventListener("click", () => {
        stack.push(cursor);
        show(next, () => stack.pop()).then(() => keepFocus(forwardButton, backButton));
    });
    return {
        element,
        first: () => {
            stack.length = 0;
            return show(null, () => {});
        },
        reload: () => show(cursor, () => {}),
    };
}

// After paging, a button that became disabled would drop focus to <body>; hand it over.
function keepFocus(clicked, other) {
    if (clicked.disabled && !other.disabled) {
        other.focus();
    }
}

// Object URLs of fetched files (KYC documents): revoked together when the view closes, so
// decrypted identity documents do not outlive the page showing them.
export class UrlBag {
    constructor() {
        this.urls = new Set();
        this.closed = false;
    }
    // Returns an object URL for `blob`, or null when the view has already closed.
    create(blob) {
        if (this.closed) {
            return null;
        }
        const url = URL.createObjectURL(blob);
        this.urls.add(url);
        return url;
    }
    revoke(url) {
        if (this.urls.delete(url)) {
            URL.revokeObjectURL(url);
        }
    }
    revokeAll() {
        this.urls.forEach((url) => URL.revokeObjectURL(url));
        this.urls.clear();
    }
    close() {
        this.revokeAll();
        this.closed = true;
    }
}

// Saves a fetched file through a temporary <a download>; the URL is revoked right after.
export function downloadBlob(blob, fileName) {
    const url = URL.createObjectURL(blob);
    const link = el("a", {href: url, download: fileName, class: "visually-hidden"}, fileName);
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// "2026-01-31" (a date input's value) → "2026-01-31T00:00:00Z"; `plusDays` moves the day.
export function dayStartUtc(day, plusDays = 0) {
    const [year, month, date] = day.split("-").map(Number);
    const start = new Date(Date.UTC(year, month - 1, date + plusDays));
    return `${start.toISOString().slice(0, 10)}T00:00:00Z`;
}

// Builds a query string from the given non-empty values.
export function query(parameters) {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(parameters)) {
        if (value !== null && value !== undefined && value !== "") {
            search.set(name, String(value));
        }
    }
    const text = search.toString();
    return text === "" ? "" : `?${text}`;
}
