// The Gold Wallet web app for savers: sign in or register, then four views chosen by the URL
// hash (#wallet, #history, #notifications, #account). This module owns the session's life: it
// shows the signed-in views, refreshes notifications every 15 seconds (and the balance and prices
// while the Wallet shows), refreshes what shows gold after a trade settles, and on sign-out (or
// a session that ended) stops every timer and clears every view.
//
// Everything talks to the server through /common/api.js; the parts live in ./*.js.

import {session, signOut, whenSignedOut} from "/common/api.js";
import {initAccount, loadKyc, loadLimits, loadProfile} from "./account.js";
import {initAuth, showSignIn} from "./auth.js";
import {initBuy} from "./buy.js";
import {initHistory, loadHistory} from "./history.js";
import {initNotifications, refreshNotifications, resetNotifications} from "./notifications.js";
import {initSell} from "./sell.js";
import {every, later, mount, on, resetBus, stopAllTimers} from "./shared.js";
import {initWallet, loadBalance, loadPrices} from "./wallet.js";

const byId = (id) => document.getElementById(id);
const VIEWS = ["wallet", "history", "notifications", "account"];
const REFRESH_MS = 15 * 1000;

let signedIn = false;
let activeView = "wallet";  // the last view a hash named; other hashes (#main) keep it

const ENTER_VIEW = {
    wallet: () => Promise.all([loadBalance(), loadPrices()]),
    history: () => loadHistory(),
    notifications: () => refreshNotifications(),
    account: () => Promise.all([loadKyc(), loadLimits(), loadProfile()]),
};

function currentView() {
    const name = location.hash.replace(/^#/, "");
    if (VIEWS.includes(name)) {
        activeView = name;
    }
    return activeView;
}

// Shows the view the hash names, marks its tab, loads its data, and (after a tab was chosen)
// moves focus to its heading so keyboard and screen-reader users land in the new view.
function showView(moveFocus) {
    if (!signedIn) {
        return;
    }
    const name = currentView();
    for (const view of VIEWS) {
        byId(`view-${view}`).hidden = view !== name;
    }
    for (const link of byId("tabs").querySelectorAll("a")) {
        if (link.dataset.view === name) {
            link.setAttribute("aria-current", "page");
        } else {
            link.removeAttribute("aria-current");
        }
    }
    ENTER_VIEW[name]();
    if (moveFocus) {
        window.scrollTo(0, 0);
        byId(`${name}-heading`).focus({preventScroll: true});
    }
}

function showChrome(visible) {
    byId("session-bar").hidden = !visible;
    byId("tabs").hidden = !visible;
}

function note(message) {
    byId("page-note").textContent = message || "";
    byId("page-note").hidden = !message;
}

// Every 15 seconds: notifications always; balance and prices while the Wallet view shows, the
// identity check while the Account view shows (a reviewer may decide it meanwhile).
function refreshTick() {
    refreshNotifications();
    if (currentView() === "wallet") {
        loadBalance();
        loadPrices();
    } else if (currentView() === "account") {
        loadKyc();
    }
}

// Mounts a fresh signed-in screen and wires its parts; each starts empty.
function mountApp() {
    resetBus();
    mount("tpl-app");
    initWallet();
    initBuy();
    initSell();
    initHistory();
    initNotifications();
    initAccount();
    wireSessionEvents();
}

function enterApp() {
    signedIn = true;
    note(null);
    mountApp();
    showChrome(true);
    window.scrollTo(0, 0);
    loadProfile();
    refreshNotifications();
    if (currentView() !== "wallet") {
        loadBalance();
    }
    showView(false);
    every(REFRESH_MS, refreshTick);
}

function leaveApp(message) {
    signedIn = false;
    stopAllTimers();
    resetBus();
    resetNotifications();
    byId("header-username").textContent = "";
    showChrome(false);
    showSignIn();
    note(message);
}

// A trade settled, grams were locked, or a notification arrived: what shows gold is stale.
function goldChanged() {
    if (!signedIn) {
        return;
    }
    loadBalance();
    if (currentView() === "history") {
        loadHistory();
    }
}

function wireSessionEvents() {
    on("trade-settled", () => {
        goldChanged();
        refreshNotifications();
        // The notification is written by a background worker just after the trade settles.
        later(3000, () => signedIn && refreshNotifications());
    });
    on("balance-stale", goldChanged);
    on("notification-new", goldChanged);
}

function wirePage() {
    window.addEventListener("hashchange", () => showView(true));
    // Choosing the tab already shown fires no hashchange; it reloads the view's data instead.
    byId("tabs").addEventListener("click", (event) => {
        const link = event.target.closest("a[data-view]");
        if (link && link.dataset.view === currentView() && location.hash === `#${link.dataset.view}`) {
            showView(false);
        }
    });
    // The skip link moves focus without changing the hash, so the view stays as it is.
    document.querySelector(".skip-link").addEventListener("click", (event) => {
        event.preventDefault();
        byId("main").focus();
    });
    const signOutButton = byId("sign-out");
    signOutButton.addEventListener("click", async () => {
        signOutButton.disabled = true;
        await signOut();
        signOutButton.disabled = false;
        leaveApp("You have signed out.");
    });
    whenSignedOut(() => {
        if (signedIn) {
            leaveApp("Your session has ended. Please sign in again.");
        }
    });
}

function start() {
    initAuth(enterApp);
    wirePage();
    if (session.signedIn()) {
        enterApp();
    } else {
        leaveApp(null);
    }
}

start();
