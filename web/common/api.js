// The one way the admin console and the wallet talk to the server: the public JSON API, the
// same one the mobile apps use. It also holds the session, the problem+json error shape, safe
// DOM building (no innerHTML anywhere) and the exact-decimal formatting of grams and shillings.
//
// Token policy (README "Web"): the access token (a 15-minute JWT) is kept in sessionStorage, so
// a reload of the tab keeps the session and closing the tab ends it; it never goes to
// localStorage or a cookie. The refresh token is the long-lived secret: it stays in this
// module's memory only and is lost on reload, after which the user signs in again once the
// access token expires. Nothing else is stored in the browser. Each app has its own slot, so
// a user's wallet tab that opens /admin/ neither sees nor ends the wallet's session.

const ACCESS_TOKEN_KEY = location.pathname.startsWith("/admin/") ? "gw.admin.access_token"
                                                                 : "gw.wallet.access_token";
let refreshToken = null;
let refreshing = null;  // the refresh in flight: concurrent 401s wait for the same one

export const session = {
    accessToken() {
        return sessionStorage.getItem(ACCESS_TOKEN_KEY);
    },
    signedIn() {
        return this.accessToken() !== null;
    },
    remember(tokens) {
        sessionStorage.setItem(ACCESS_TOKEN_KEY, tokens.access_token);
        refreshToken = tokens.refresh_token ?? null;
    },
    forget() {
        sessionStorage.removeItem(ACCESS_TOKEN_KEY);
        refreshToken = null;
    },
};

// An answer that was not 2xx: the RFC 9457 body's fields, and the body itself for extensions
// such as available_grams.
export class ApiError extends Error {
    constructor(status, problem) {
        super(problem.detail || problem.title || `HTTP ${status}`);
        this.status = status;
        this.code = problem.code || "http_error";
        this.title = problem.title || `HTTP ${status}`;
        this.detail = problem.detail || "";
        this.requestId = problem.request_id || "";
        this.problem = problem;
    }
}

// A client-side check that failed (an empty field, a malformed amount): its message is
// written for the person and shown as it is.
export class InputProblem extends Error {}

// The request never got an answer (offline, server down).
export class ConnectionProblem extends Error {}

// What to show a person for a failure: a check's own words; for an API answer its title, the
// detail when it adds something, and for a server error the request id for support. Anything
// else is a defect of the page, logged to the console rather than shown.
export function problemMessage(error) {
    if (error instanceof InputProblem) {
        return error.message;
    }
    if (error instanceof ConnectionProblem) {
        return "The server could not be reached. Check your connection and try again.";
    }
    if (!(error instanceof ApiError)) {
        console.error(error);
        return "Something went wrong on this page. Reload it and try again.";
    }
    let text = error.title;
    if (error.detail && error.detail !== error.title) {
        text += `: ${error.detail}`;
    }
    if (error.status >= 500 && error.requestId) {
        text += ` (reference ${error.requestId})`;
    }
    return text;
}

// Called when the session has ended (401 that a refresh could not cure); each page installs
// its own, which shows the sign-in form.
let onSignedOut = () => {};
export function whenSignedOut(callback) {
    onSignedOut = callback;
}

async function send(path, init) {
    try {
        return await fetch(path, init);
    } catch (error) {
        throw new ConnectionProblem(error.message);
    }
}

async function rotateTokens() {
    const response = await send("/auth/refresh", {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({refresh_token: refreshToken}),
    });
    if (!response.ok) {
        return false;
    }
    session.remember(await response.json());
    return true;
}

// Renews the access token once for every request that found it expired: a refresh token is
// spent by its first use, and the server ends the session when a spent one comes again.
function refreshAccessToken() {
    if (refreshToken === null) {
        return Promise.resolve(false);
    }
    refreshing ??= rotateTokens().finally(() => {
        refreshing = null;
    });
    return refreshing;
}

// Routes whose 401 is the answer itself, not an expired access token.
const NO_REFRESH = new Set(["/auth/login", "/auth/register", "/auth/refresh"]);

function requestInit(method, options) {
    const headers = {...(options.headers || {})};
    const token = session.accessToken();
    if (token !== null) {
        headers.Authorization = `Bearer ${token}`;
    }
    const init = {method, headers};
    if (options.json !== undefined) {
        headers["Content-Type"] = "application/json";
        init.body = JSON.stringify(options.json);
    } else if (options.form !== undefined) {
        init.body = options.form;  // FormData: the browser writes the multipart boundary
    } else if (options.text !== undefined) {
        headers["Content-Type"] = options.contentType;
        init.body = options.text;  // a string, or a Blob/File sent byte for byte
    }
    return init;
}

async function problemOf(response) {
    try {
        return await response.json();
    } catch {
        return {title: `HTTP ${response.status}`};
    }
}

// Calls the API. options: {json} | {form: FormData} | {text: string | Blob, contentType},
// {headers}, {blob: true} for a file answer. Returns the parsed JSON (null for 204), or a Blob.
// Throws ApiError for any non-2xx answer (a 401 first tries one refresh), ConnectionProblem
// when no answer came.
export async function api(method, path, options = {}) {
    const sentWith = session.accessToken();
    let response = await send(path, requestInit(method, options));
    if (response.status === 401 && !NO_REFRESH.has(path)) {
        // Another request may have renewed the token meanwhile; then only retry.
        const renewed = session.accessToken() !== sentWith && session.accessToken() !== null;
        if (renewed || (await refreshAccessToken())) {
            response = await send(path, requestInit(method, options));
        }
        if (response.status === 401) {
            session.forget();
            onSignedOut();
        }
    }
    if (!response.ok) {
        throw new ApiError(response.status, await problemOf(response));
    }
    if (options.blob) {
        return response.blob();
    }
    return response.status === 204 ? null : response.json();
}

export async function signIn(username, password) {
    session.remember(await api("POST", "/auth/login", {json: {username, password}}));
}

export async function signOut() {
    try {
        await api("POST", "/auth/logout");
    } catch {
        // The session may have ended already; forgetting it here is what matters.
    }
    session.forget();
}

// A fresh Idempotency-Key for one buy, sell or adjustment; kept by the caller so a retry reuses it.
export function idempotencyKey() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// Builds an element: el("p", {class: "note"}, "text", child). Attributes named on* are refused:
// handlers are added with addEventListener, so the CSP can forbid inline script.
export function el(tag, attributes = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
        if (name.startsWith("on")) {
            throw new Error(`el(): use addEventListener for ${name}`);
        }
        if (value === false || value === null || value === undefined) {
            continue;
        }
        element.setAttribute(name, value === true ? "" : String(value));
    }
    element.append(...children.flat().filter((child) => child !== null && child !== undefined));
    return element;
}

// Groups the whole part of a decimal string by thousands: "1234567.50" → "1,234,567.50".
// Works on the string, never through a float, so every digit the API sent is shown.
export function groupDigits(decimal) {
    const text = String(decimal);
    const negative = text.startsWith("-");
    const [whole, fraction] = (negative ? text.slice(1) : text).split(".");
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (negative ? "-" : "") + grouped + (fraction !== undefined ? `.${fraction}` : "");
}

export function formatKes(amount) {
    return amount === null || amount === undefined ? "—" : `KES ${groupDigits(amount)}`;
}

export function formatGrams(grams) {
    return grams === null || grams === undefined ? "—" : `${groupDigits(grams)} g`;
}

export function formatTime(iso) {
    if (!iso) {
        return "—";
    }
    return new Date(iso).toLocaleString("en-KE", {dateStyle: "medium", timeStyle: "short"});
}

// Shows a failure (or clears it with null) in a page's role="alert" region.
export function showProblem(region, error) {
    region.replaceChildren(error ? problemMessage(error) : "");
    region.hidden = !error;
}

// Reads a form's named fields into an object of strings, empty fields left out. Text is
// trimmed; a password is taken as typed (spaces at either end are part of it).
export function formFields(form) {
    const fields = {};
    for (const [name, value] of new FormData(form).entries()) {
        if (typeof value !== "string" || value.trim() === "") {
            continue;
        }
        fields[name] = form.elements[name]?.type === "password" ? value : value.trim();
    }
    return fields;
}

// Wires a form: on submit, disables its buttons, runs `action(fields)`, shows a failure in the
// form's [role=alert] element, and re-enables. Returns nothing; `action` updates the page.
export function onSubmit(form, action) {
    const alertRegion = form.querySelector("[role=alert]");
    form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const buttons = form.querySelectorAll("button");
        buttons.forEach((button) => (button.disabled = true));
        if (alertRegion) {
            showProblem(alertRegion, null);
        }
        try {
            await action(formFields(form), form);
        } catch (error) {
            if (alertRegion) {
                showProblem(alertRegion, error);
            } else {
                throw error;
            }
        } finally {
            buttons.forEach((button) => (button.disabled = false));
        }
    });
}
