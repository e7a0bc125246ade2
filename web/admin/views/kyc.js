// KYC (admin, kyc_reviewer): the review queue from GET /admin/kyc. Each applicant is an
// <article> with their documents shown inline (fetched with the bearer header as blobs; the
// object URLs are revoked when the page or view changes) and the decision buttons.

import {api, el, onSubmit, problemMessage} from "/common/api.js";
import {
    alertRegion, announce, card, cursorPager, field, loadInto, loadingNote, selectInput,
    statusBadge, statusRegion, textInput, timeText, uid,
} from "../ui.js";

const PAGE_SIZE = 20;
const STATUSES = [["pending", "Pending"], ["verified", "Verified"], ["rejected", "Rejected"]];
const DOC_NAMES = {id_front: "ID front", id_back: "ID back", selfie: "Selfie"};

function docName(docType) {
    return DOC_NAMES[docType] ?? docType.replaceAll("_", " ");
}

function sizeText(bytes) {
    if (typeof bytes !== "number") {
        return "";
    }
    return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

// The file itself: an image inline; a PDF opens in the browser's own viewer in a new tab (a
// frame drew nothing in Chromium here, and would need frame-src in the page policy); a link
// for anything else.
function documentView(url, type, label) {
    if (type.startsWith("image/")) {
        return el("img", {src: url, alt: label, class: "kyc-image", decoding: "async"});
    }
    if (type === "application/pdf") {
        return el("p", {class: "kyc-pdf"}, "PDF document. ",
                  el("a", {href: url, target: "_blank", rel: "noopener"}, `Open ${label} (PDF) in a new tab`));
    }
    return el("a", {href: url, download: ""}, `Download ${label}`);
}

// A figure that fills itself once the decrypted file arrives.
function documentFigure(applicant, documentInfo, urls, articleUrls) {
    const label = `${docName(documentInfo.doc_type)} of ${applicant.username}`;
    const frame = el("div", {class: "kyc-frame"}, loadingNote("Loading document…"));
    const figure = el(
        "figure", {class: "kyc-document"}, frame,
        el("figcaption", {}, docName(documentInfo.doc_type),
           el("span", {class: "muted"}, ` · ${sizeText(documentInfo.size_bytes)} · `), timeText(documentInfo.uploaded_at)),
    );
    const path = `/admin/kyc/${encodeURIComponent(applicant.user_id)}/documents/${encodeURIComponent(documentInfo.id)}`;
    api("GET", path, {blob: true}).then(
        (blob) => {
            const url = urls.create(blob);
            if (url !== null) {
                articleUrls.push(url);
                frame.replaceChildren(...[documentView(url, documentInfo.content_type || blob.type, label)].flat());
            }
        },
        (error) => frame.replaceChildren(el("p", {class: "form-error"}, `Could not load ${label}: ${problemMessage(error)}`)),
    );
    return figure;
}

function decisionForms(applicant, decide) {
    const path = `/admin/kyc/${encodeURIComponent(applicant.user_id)}/decision`;
    const approve = el("form", {class: "decision"}, el("button", {type: "submit"}, "Approve"), alertRegion());
    onSubmit(approve, async () => {
        await api("POST", path, {json: {status: "verified"}});
        await decide(`Approved ${applicant.username}.`);
    });
    const reject = el(
        "form", {class: "decision decision-reject"},
        field("Rejection reason", textInput({name: "reason", required: true, maxlength: 500})),
        el("button", {type: "submit", class: "danger"}, "Reject"),
        alertRegion(),
    );
    onSubmit(reject, async (fields) => {
        await api("POST", path, {json: {status: "rejected", reason: fields.reason}});
        await decide(`Rejected ${applicant.username}: ${fields.reason}.`);
    });
    return el("div", {class: "decisions"}, approve, reject);
}

function applicantArticle(applicant, context, onDecided) {
    const headingId = uid("applicant");
    const articleUrls = [];
    const article = el("article", {class: "applicant card", "aria-labelledby": headingId});
    const decide = async (message) => {
        articleUrls.forEach((url) => context.urls.revoke(url));
        article.remove();
        await onDecided(message);
    };
    const documents = applicant.documents ?? [];
    article.append(
        el("h3", {id: headingId}, applicant.username),
        el("p", {class: "meta"}, applicant.email, " · registered ", timeText(applicant.created_at), " · ",
           statusBadge(applicant.kyc_status)),
        documents.length === 0
            ? el("p", {class: "empty"}, "No documents uploaded.")
            : el("div", {class: "kyc-documents"},
                 documents.map((documentInfo) => documentFigure(applicant, documentInfo, context.urls, articleUrls))),
        applicant.kyc_status === "pending" ? decisionForms(applicant, decide) : null,
    );
    return article;
}

export function render(context) {
    let status = "pending";
    const message = statusRegion();
    const list = el("div", {class: "applicants", tabindex: "-1"}, loadingNote());
    const onDecided = async (text) => {
        announce(message, text);
        list.focus();
        if (list.querySelector("article") === null) {
            await pager.reload();
        }
    };
    const pager = cursorPager(async (cursor) => {
        let next;
        context.urls.revokeAll();
        const ok = await loadInto(list, async () => {
            const page = await api("GET", `/admin/kyc?status=${status}&limit=${PAGE_SIZE}${cursor ? `&before=${encodeURIComponent(cursor)}` : ""}`);
            next = page.next_before ?? null;
            return page.items.length === 0
                ? el("p", {class: "empty"}, `No ${status} applicants.`)
                : page.items.map((applicant) => applicantArticle(applicant, context, onDecided));
        });
        return ok ? next : undefined;
    }, {back: "Previous page", forward: "Next page", label: "Applicant pages"});
    const form = el("form", {class: "inline-form", "aria-label": "KYC filter"},
                    field("Status", selectInput({name: "status"}, STATUSES, status)),
                    el("button", {type: "submit", class: "secondary"}, "Show"), alertRegion());
    onSubmit(form, async (fields) => {
        status = fields.status ?? "pending";
        announce(message);
        await pager.first();
    });
    form.elements.status.addEventListener("change", () => form.requestSubmit());
    context.root.append(card("Applicants", form, message), list, pager.element);
    return pager.first();
}
