// The Account view: the identity check (KYC status in words, the documents still missing, and
// the upload form), the trade limits for the caller's status, and the profile. Also puts the
// username in the header.

import {api, el, formatKes, formatTime, onSubmit, problemMessage} from "/common/api.js";
import {DOC_NAMES, elementsById, fieldProblem, termRow} from "./shared.js";

const FILE_BYTES_MAX = 10 * 1024 * 1024;
const FILE_TYPES = ["image/jpeg", "image/png", "application/pdf"];
const INPUTS = {id_front: "kyc-id-front", id_back: "kyc-id-back", selfie: "kyc-selfie"};

let els = {};

// ---- Profile ------------------------------------------------------------------------------

export async function loadProfile() {
    const view = els;
    let profile;
    try {
        profile = await api("GET", "/user/me");
    } catch (error) {
        view.profile.replaceChildren(el("p", {class: "muted"}, `Could not load your profile. ${problemMessage(error)}`));
        return;
    }
    if (!view.profile.isConnected) {
        return;  // signed out meanwhile: the header belongs to the next session
    }
    document.getElementById("header-username").textContent = profile.username;
    view.profile.replaceChildren(el("dl", {class: "terms"},
        termRow("Username", profile.username),
        termRow("Email", profile.email),
        termRow("M-Pesa number", profile.phone || "none registered"),
        termRow("Member since", formatTime(profile.created_at)),
    ));
    view.sellPhoneHint.textContent = profile.phone
        ? `Your registered M-Pesa number (${profile.phone}); payouts go to it only. Format 07XXXXXXXX.`
        : "Your registered M-Pesa number (07XXXXXXXX); payouts go to it only.";
}

// ---- Limits -------------------------------------------------------------------------------

export async function loadLimits() {
    const list = els.limits;
    try {
        const limits = await api("GET", "/user/limits");
        list.replaceChildren(el("dl", {class: "terms"},
            termRow("Buy, per trade", formatKes(limits.buy.per_trade_kes)),
            termRow("Buy, per 24 hours", formatKes(limits.buy.per_day_kes)),
            termRow("Sell, per trade", formatKes(limits.sell.per_trade_kes)),
            termRow("Sell, per 24 hours", formatKes(limits.sell.per_day_kes)),
        ));
    } catch (error) {
        list.replaceChildren(el("p", {class: "muted"}, `Could not load your limits. ${problemMessage(error)}`));
    }
}

// ---- KYC ----------------------------------------------------------------------------------

function explanation(kyc) {
    const missing = kyc.missing.map((type) => DOC_NAMES[type] || type);
    if (kyc.status === "verified") {
        return "Your identity is verified. You can trade up to your limits below.";
    }
    if (kyc.status === "rejected") {
        const reason = kyc.rejection_reason ? `: ${kyc.rejection_reason}` : "";
        return `Your documents were not accepted${reason}. Upload new ones to be checked again.`;
    }
    if (missing.length > 0) {
        return `Not verified yet. Still needed: ${missing.join(", ")}.`;
    }
    return "We have your documents and are reviewing them. We will let you know the outcome.";
}

function renderKyc(view, kyc) {
    view.status.replaceChildren("Status: ",
        el("span", {class: `pill status-${kyc.status}`}, kyc.status));
    view.explain.textContent = explanation(kyc);
    const documents = kyc.documents.map((doc) => el("li", {},
        el("span", {class: "doc-name"}, DOC_NAMES[doc.doc_type] || doc.doc_type),
        ` uploaded ${formatTime(doc.uploaded_at)}`));
    view.documents.replaceChildren(documents.length
        ? el("ul", {class: "documents", "aria-label": "Documents received"}, ...documents)
        : "");
    for (const [type, id] of Object.entries(INPUTS)) {
        const has = kyc.documents.some((doc) => doc.doc_type === type);
        view.form.querySelector(`#${id}-state`).textContent = has ? "Received. Choose a file only to replace it." : "Still needed.";
    }
    const open = kyc.status === "rejected" || (kyc.status !== "verified" && kyc.missing.length > 0);
    view.form.hidden = !open;
}

export async function loadKyc() {
    const view = els;
    try {
        renderKyc(view, await api("GET", "/user/kyc/status"));
    } catch (error) {
        view.status.textContent = `Could not load your identity check. ${problemMessage(error)}`;
    }
}

// The chosen files as [{type, file}], or null after saying what is wrong.
function chosenFiles() {
    const chosen = [];
    for (const [type, id] of Object.entries(INPUTS)) {
        const input = els.form.querySelector(`#${id}`);
        const file = input.files[0];
        if (!file) {
            continue;
        }
        if (file.size > FILE_BYTES_MAX) {
            fieldProblem(els.form, input, `${DOC_NAMES[type]}: the file is larger than 10 MB.`);
            return null;
        }
        if (file.type && !FILE_TYPES.includes(file.type)) {
            fieldProblem(els.form, input, `${DOC_NAMES[type]}: choose a JPEG or PNG photo, or a PDF.`);
            return null;
        }
        chosen.push({type, file, input});
    }
    if (chosen.length === 0) {
        fieldProblem(els.form, els.form.querySelector(`#${INPUTS.id_front}`), "Choose at least one document to upload.");
        return null;
    }
    return chosen;
}

async function upload() {
    const chosen = chosenFiles();
    if (!chosen) {
        return;
    }
    const {progress, form, status} = els;
    const done = [];
    try {
        for (const [index, {type, file, input}] of chosen.entries()) {
            progress.textContent = `Uploading ${DOC_NAMES[type]} (${index + 1} of ${chosen.length})…`;
            const body = new FormData();
            body.append("doc_type", type);
            body.append("file", file, file.name);
            await api("POST", "/user/kyc/upload", {form: body});
            input.value = "";
            done.push(DOC_NAMES[type]);
        }
        progress.textContent = `Uploaded: ${done.join(", ")}.`;
    } catch (error) {
        progress.textContent = done.length ? `Uploaded: ${done.join(", ")}. The next one failed.` : "";
        throw error;
    } finally {
        await loadKyc();
        if (form.hidden) {
            status.focus();
        }
    }
}

// Wires the Account view of the freshly mounted signed-in screen.
export function initAccount() {
    els = elementsById({
        form: "kyc-form", status: "kyc-status", explain: "kyc-explain", documents: "kyc-documents",
        progress: "kyc-progress", limits: "limits", profile: "profile", sellPhoneHint: "sell-phone-hint",
    });
    els.status.setAttribute("tabindex", "-1");
    onSubmit(els.form, upload);
}
