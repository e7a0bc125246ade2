// The Gold Wallet admin console: staff sign-in, role-aware navigation and hash routing
// (#/<section>[/<id>]). Each section is a view module under views/ exporting
// render(context); this file owns the shell, the session and which role sees what.

import {InputProblem, api, el, onSubmit, session, signIn, signOut, whenSignedOut} from "/common/api.js";
import {UrlBag} from "./ui.js";
import * as adjustments from "./views/adjustments.js";
import * as audit from "./views/audit.js";
import * as dashboard from "./views/dashboard.js";
import * as kyc from "./views/kyc.js";
import * as ledger from "./views/ledger.js";
import * as payouts from "./views/payouts.js";
import * as pools from "./views/pools.js";
import * as prices from "./views/prices.js";
import * as reconciliation from "./views/reconciliation.js";

const ADMIN = "admin";
const TREASURY = "treasury";
const KYC_REVIEWER = "kyc_reviewer";

// In navigation order. A role not listed for a section never sees its link or its view.
const SECTIONS = [
    {id: "dashboard", label: "Dashboard", roles: [ADMIN, TREASURY], view: dashboard},
    {id: "pools", label: "Pools", roles: [ADMIN, TREASURY], view: pools},
    {id: "prices", label: "Prices", roles: [ADMIN], view: prices},
    {id: "ledger", label: "Ledger", roles: [ADMIN, TREASURY], view: ledger},
    {id: "payouts", label: "Payouts", roles: [ADMIN, TREASURY], view: payouts},
    {id: "kyc", label: "KYC", roles: [ADMIN, KYC_REVIEWER], view: kyc},
    {id: "adjustments", label: "Adjustments", roles: [ADMIN], view: adjustments},
    {id: "reconciliation", label: "Reconciliation", roles: [ADMIN, TREASURY], view: reconciliation},
    {id: "audit", label: "Audit log", roles: [ADMIN], view: audit},
];

const ROLE_NAMES = {admin: "Admin", treasury: "Treasury", kyc_reviewer: "KYC reviewer"};

const page = {
    loginScreen: document.getElementById("login-screen"),
    loginForm: document.getElementById("login-form"),
    loginStatus: document.getElementById("login-status"),
    consoleRoot: document.getElementById("console"),
    account: document.getElementById("account"),
    whoName: document.getElementById("who-name"),
    whoRole: document.getElementById("who-role"),
    navList: document.getElementById("nav-list"),
    main: document.getElementById("main"),
};

// The signed-in staff member ({id, username, role, …} from GET /user/me), or null.
let me = null;
// Closes the view on screen (runs its cleanups); replaced by every navigation.
let closeView = () => {};

function allowedSections() {
    return me === null ? [] : SECTIONS.filter((section) => section.roles.includes(me.role));
}

function parseHash() {
    const [id = "", ...rest] = location.hash.replace(/^#\/?/, "").split("/");
    let param = null;
    try {
        param = rest.length > 0 ? decodeURIComponent(rest.join("/")) : null;
    } catch {
        // A malformed escape (#/pools/%E0) names nothing: show the section itself.
    }
    return {id, param};
}

function landingHash() {
    const first = allowedSections()[0];
    return first ? `#/${first.id}` : "";
}

// Draws the section the hash names, or sends the browser to the first allowed one.
function route() {
    if (me === null) {
        return;
    }
    const {id, param} = parseHash();
    const section = allowedSections().find((candidate) => candidate.id === id);
    if (!section) {
        const landing = landingHash();
        if (landing !== "" && location.hash !== landing) {
            history.replaceState(null, "", landing);
            route();
        }
        return;
    }
    showSection(section, param);
}

function markCurrentLink(sectionId) {
    for (const link of page.navList.querySelectorAll("a")) {
        if (link.dataset.section === sectionId) {
            link.setAttribute("aria-current", "page");
            // On a narrow screen the nav is a scrolling bar: keep the current link in sight.
            link.scrollIntoView({block: "nearest", inline: "nearest"});
        } else {
            link.removeAttribute("aria-current");
        }
    }
}

function setTitle(heading, text) {
    heading.textContent = text;
    document.title = `${text} — Gold Wallet Admin`;
}

// Opens one section: a fresh heading and body, a context the view draws into, and focus on the
// heading so keyboard and screen-reader users land at the top of the new content.
function showSection(section, param) {
    closeView();
    // Decrypted KYC files shown by the view are revoked when it closes.
    const urls = new UrlBag();
    closeView = () => urls.close();
    const heading = el("h2", {id: "view-heading", tabindex: "-1"});
    const root = el("div", {class: "view-body"});
    page.main.replaceChildren(heading, root);
    setTitle(heading, section.label);
    markCurrentLink(section.id);
    // What a view may use: where to draw, the id after the section in the hash, the caller's
    // role, the object-URL bag, a retitle, and whether a section is open to this role.
    const context = {
        root,
        param,
        role: me.role,
        urls,
        setTitle: (text) => setTitle(heading, text),
        can: (sectionId) => allowedSections().some((candidate) => candidate.id === sectionId),
    };
    Promise.resolve()
        .then(() => section.view.render(context))
        .catch((error) => console.error(`view ${section.id} failed`, error));
    heading.focus();
}

function navLink(section) {
    const link = el("a", {href: `#/${section.id}`, "data-section": section.id}, section.label);
    // The hash does not change when the current section is clicked again: redraw it then,
    // which is what someone clicking it wants (fresh figures).
    link.addEventListener("click", (event) => {
        if (location.hash === link.getAttribute("href")) {
            event.preventDefault();
            route();
        }
    });
    return link;
}

function buildNav() {
    page.navList.replaceChildren(...allowedSections().map((section) => el("li", {}, navLink(section))));
}

// Shows the console for a staff member; `landing` (a fresh sign-in) opens the first section.
function startConsole(profile, landing) {
    me = profile;
    page.whoName.textContent = profile.username;
    page.whoRole.textContent = ROLE_NAMES[profile.role] ?? profile.role;
    buildNav();
    // Out of the document while signed in, so its labels never match a view's ("Username"
    // would otherwise also answer to "Name").
    page.loginScreen.remove();
    page.account.hidden = false;
    page.consoleRoot.hidden = false;
    if (allowedSections().length === 0) {
        page.main.replaceChildren(el("p", {class: "empty"}, "Your role has no sections in this console."));
        return;
    }
    if (landing) {
        history.replaceState(null, "", landingHash());
    }
    route();
}

function showLogin(message) {
    closeView();
    closeView = () => {};
    me = null;
    page.consoleRoot.hidden = true;
    page.account.hidden = true;
    page.main.replaceChildren();
    page.navList.replaceChildren();
    page.loginStatus.textContent = message ?? "";
    if (!page.loginScreen.isConnected) {
        page.consoleRoot.before(page.loginScreen);
    }
    page.loginScreen.hidden = false;
    document.title = "Sign in — Gold Wallet Admin";
    page.loginForm.elements.username.focus();
}

function isStaff(role) {
    return role !== "user";
}

function wireLogin() {
    onSubmit(page.loginForm, async (fields, form) => {
        page.loginStatus.textContent = "";
        await signIn(fields.username ?? "", fields.password ?? "");
        const profile = await api("GET", "/user/me");
        if (!isStaff(profile.role)) {
            await signOut();
            throw new InputProblem("This console is for staff.");
        }
        form.reset();
        startConsole(profile, true);
    });
}

function wireShell() {
    document.getElementById("sign-out").addEventListener("click", async () => {
        await signOut();
        history.replaceState(null, "", location.pathname);
        showLogin("You have signed out.");
    });
    // The skip link must not change the hash: that is the router's.
    document.getElementById("skip-link").addEventListener("click", (event) => {
        event.preventDefault();
        (document.getElementById("view-heading") ?? page.main).focus();
    });
    window.addEventListener("hashchange", route);
    whenSignedOut(() => showLogin("Your session has ended. Please sign in again."));
}

// A reload of the tab keeps the access token (sessionStorage): resume where the hash says.
async function resume() {
    if (!session.signedIn()) {
        showLogin();
        return;
    }
    try {
        const profile = await api("GET", "/user/me");
        if (!isStaff(profile.role)) {
            await signOut();
            showLogin("This console is for staff.");
            return;
        }
        startConsole(profile, false);
    } catch {
        if (!page.loginScreen.isConnected || page.loginScreen.hidden) {
            showLogin("Please sign in.");
        }
    }
}

wireLogin();
wireShell();
resume();
