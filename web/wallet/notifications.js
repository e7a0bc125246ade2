// In-app notifications (a trade completed or failed): the list with "Mark as read", and the
// unread count in the header. app.js refreshes them every 15 seconds while signed in and after
// a trade settles; a notification that was not here before announces "notification-new" (and
// "trade-notified" with its trade id), so the balance and a stopped trade follow-up catch up.

import {api, el, formatTime, problemMessage} from "/common/api.js";
import {elementsById, emit} from "./shared.js";

const PAGE_SIZE = 50;

let els = {};            // the view's elements; the header badge is always in the document

let items = [];          // newest first, as the server orders them
let nextBefore = null;   // cursor of the oldest page loaded
let loadedOnce = false;
let generation = 0;      // bumped on sign-out: answers of an ended session are dropped

function unreadCount() {
    return items.filter((item) => !item.read_at).length;
}

function renderBadge() {
    const count = unreadCount();
    // More may be unread on pages not loaded yet: "50+".
    els.count.textContent = count >= PAGE_SIZE && nextBefore ? `${count}+` : String(count);
    els.badge.hidden = count === 0;
}

function article(item) {
    const unread = !item.read_at;
    const node = el("article", {class: unread ? "notification unread" : "notification", tabindex: "-1",
        "data-id": item.id},
    el("h3", {}, item.title),
    el("p", {}, item.body),
    el("p", {class: "meta"},
        el("time", {datetime: item.created_at}, formatTime(item.created_at)),
        unread ? el("span", {class: "pill status-unread"}, "Unread") : null),
    );
    if (unread) {
        const button = el("button", {type: "button", class: "button-quiet button-small"}, "Mark as read");
        button.addEventListener("click", () => markRead(item.id, button));
        node.append(button);
    }
    return node;
}

function renderList() {
    els.list.replaceChildren(...items.map(article));
    els.more.hidden = !nextBefore;
    els.note.textContent = items.length === 0 ? "No notifications yet." : "";
    renderBadge();
}

async function markRead(id, button) {
    button.disabled = true;
    const mine = generation;
    try {
        const updated = await api("POST", `/user/notifications/${encodeURIComponent(id)}/read`);
        if (mine !== generation) {
            return;
        }
        items = items.map((item) => (item.id === id ? updated : item));
        const old = els.list.querySelector(`article[data-id="${CSS.escape(id)}"]`);
        const fresh = article(updated);
        old?.replaceWith(fresh);
        fresh.focus();
        renderBadge();
    } catch (error) {
        button.disabled = false;
        els.note.textContent = `Could not mark it as read. ${problemMessage(error)}`;
    }
}

// Merges the newest page into what is shown; returns the notifications not seen before.
function mergeNewest(page) {
    const known = new Map(items.map((item) => [item.id, item]));
    const fresh = page.items.filter((item) => !known.has(item.id));
    const changed = fresh.length > 0 ||
        page.items.some((item) => known.has(item.id) && !known.get(item.id).read_at && item.read_at);
    const updates = new Map(page.items.map((item) => [item.id, item]));
    // A page fetched before a "Mark as read" answered still shows the item unread: read stays read.
    const newer = (item) => {
        const update = updates.get(item.id);
        return update && !(item.read_at && !update.read_at) ? update : item;
    };
    items = [...fresh, ...items.map(newer)];
    if (!loadedOnce) {
        nextBefore = page.next_before;
    }
    return {fresh, changed};
}

// Fetches the newest page; redraws only when something changed (so focus is not lost).
export async function refreshNotifications() {
    const mine = generation;
    try {
        const page = await api("GET", `/user/notifications?limit=${PAGE_SIZE}`);
        if (mine !== generation) {
            return;
        }
        const firstLoad = !loadedOnce;
        const {fresh, changed} = mergeNewest(page);
        loadedOnce = true;
        if (changed || firstLoad) {
            renderList();
        }
        if (!firstLoad && fresh.length > 0) {
            emit("notification-new");
            fresh.filter((item) => item.trade_id).forEach((item) => emit("trade-notified", item.trade_id));
        }
    } catch (error) {
        if (mine === generation && !loadedOnce) {
            els.note.textContent = `Could not load notifications. ${problemMessage(error)}`;
        }
    }
}

async function loadOlder(button) {
    button.disabled = true;
    const mine = generation;
    try {
        const page = await api("GET", `/user/notifications?limit=${PAGE_SIZE}&before=${encodeURIComponent(nextBefore)}`);
        if (mine !== generation) {
            return;
        }
        const known = new Set(items.map((item) => item.id));
        items = [...items, ...page.items.filter((item) => !known.has(item.id))];
        nextBefore = page.next_before;
        renderList();
        if (!nextBefore) {
            els.heading.focus();
        }
    } catch (error) {
        els.note.textContent = `Could not load more. ${problemMessage(error)}`;
    } finally {
        button.disabled = false;
    }
}

// Finds the Notifications view of the freshly mounted signed-in screen; starts empty.
export function initNotifications() {
    generation += 1;
    items = [];
    nextBefore = null;
    loadedOnce = false;
    els = elementsById({
        list: "notifications", note: "notifications-note", more: "notifications-more",
        heading: "notifications-heading", count: "unread-count", badge: "unread-badge",
    });
    els.more.addEventListener("click", () => loadOlder(els.more));
    renderBadge();
}

// Signed out: answers still on their way are dropped, and the header badge is cleared.
export function resetNotifications() {
    generation += 1;
    items = [];
    document.getElementById("unread-badge").hidden = true;
    document.getElementById("unread-count").textContent = "0";
}
