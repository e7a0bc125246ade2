// The whole product through a browser, as its people use it. A user registers in the wallet
// (phone-sized) and uploads KYC; an admin verifies them, creates a pool and sets prices in the
// console; the user buys with M-Pesa (daraja-sim accepts the prompt) and sees the grams, then
// sells; the admin pays the manual payout; the user sees the notification. Then a KYC reviewer
// sees the KYC queue and nothing else. Every main page is saved as a screenshot, no page may
// raise a script error or CSP violation, and the browser keeps nothing but the access token.

import assert from "node:assert/strict";
import {after, before, describe, test} from "node:test";
import {openPage, screenshot, startStack, stopStack} from "./harness.mjs";

const PHONE = "0712345678";
const USER = {username: "amani", email: "amani@example.co.ke", password: "gold savings 2026!"};
const PHONE_VIEW = {width: 390, height: 844};
const DESK_VIEW = {width: 1280, height: 860};
const WAIT = {timeout: 30000};

let stack;
let wallet;
let admin;

// The visible element labelled `label` (a page may keep a hidden form with the same labels).
function field(page, label) {
    return page.getByLabel(label, {exact: true}).filter({visible: true});
}

function button(page, name) {
    return page.getByRole("button", {name, exact: true}).filter({visible: true});
}

async function nav(page, name) {
    await page.getByRole("link", {name, exact: true}).filter({visible: true}).click();
}

async function waitForText(locator, pattern) {
    const deadline = Date.now() + WAIT.timeout;
    for (;;) {
        const text = (await locator.textContent()) || "";
        if (pattern.test(text)) {
            return text;
        }
        if (Date.now() > deadline) {
            assert.fail(`expected ${pattern} in: ${text}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
}

// A picture of an identity document, drawn by the browser itself: a real PNG for the KYC
// upload (the server checks file content, not names).
async function documentPng(title) {
    const page = await stack.browser.newPage({viewport: {width: 420, height: 260}});
    await page.setContent(`<body style="margin:0;font:20px sans-serif;background:#e8eef7">
        <div style="margin:16px;padding:16px;border:3px solid #1d3a6b;border-radius:12px;height:190px">
        <b>REPUBLIC OF KENYA</b><p>${title}</p><p>AMANI W. MWANGI</p></div></body>`);
    const png = await page.screenshot({type: "png"});
    await page.close();
    return {name: `${title.toLowerCase().replace(/\s+/g, "-")}.png`, mimeType: "image/png", buffer: png};
}

async function signInToConsole(page, username, password) {
    await page.goto("/admin/");
    await field(page, "Username").fill(username);
    await field(page, "Password").fill(password);
    await button(page, "Sign in").click();
    await button(page, "Sign out").waitFor(WAIT);
}

describe("gold wallet in the browser", () => {
    before(async () => {
        stack = await startStack();
        wallet = await openPage(stack, PHONE_VIEW);
        admin = await openPage(stack, DESK_VIEW);
    });

    after(async () => {
        if (stack) {
            await stopStack(stack);
        }
    });

    test("a new user registers", async () => {
        await wallet.goto("/");
        await screenshot(wallet, "wallet-01-sign-in");
        await button(wallet, "Create an account").or(wallet.getByRole("link", {name: "Create an account"})).first().click();
        await field(wallet, "Username").fill(USER.username);
        await field(wallet, "Email").fill(USER.email);
        await field(wallet, "Phone").fill(PHONE);
        await field(wallet, "Password").fill(USER.password);
        await screenshot(wallet, "wallet-02-register");
        await button(wallet, "Create account").click();
        await button(wallet, "Sign out").waitFor(WAIT);
    });

    test("the browser keeps only the access token, in sessionStorage", async () => {
        const storage = await wallet.evaluate(() => ({
            local: Object.keys(localStorage),
            session: Object.keys(sessionStorage),
            cookies: document.cookie,
        }));
        assert.deepEqual(storage, {local: [], session: ["gw.wallet.access_token"], cookies: ""});
    });

    test("the user uploads KYC documents", async () => {
        await nav(wallet, "Account");
        await field(wallet, "ID front").setInputFiles(await documentPng("ID front"));
        await field(wallet, "ID back").setInputFiles(await documentPng("ID back"));
        await field(wallet, "Selfie").setInputFiles(await documentPng("Selfie"));
        await button(wallet, "Upload documents").click();
        await waitForText(wallet.locator("#kyc-explain"), /reviewing/i);  // no document missing
        assert.equal(await wallet.locator("#kyc-documents li").count(), 3);
        await waitForText(wallet.locator("#kyc-status"), /pending/i);
        await screenshot(wallet, "wallet-03-kyc-pending");
    });

    test("an access token the server refuses is renewed once, however many calls found it", async () => {
        const stale = "not-a-valid-token";
        await wallet.evaluate((token) => sessionStorage.setItem("gw.wallet.access_token", token), stale);
        const refreshes = [];
        const count = (request) => request.url().endsWith("/auth/refresh") && refreshes.push(request.url());
        wallet.on("request", count);
        // Three calls at once through the page's own API module, all refused at first.
        const names = await wallet.evaluate(async () => {
            const {api} = await import("/common/api.js");
            const answers = await Promise.all([api("GET", "/user/me"), api("GET", "/user/balance"),
                                               api("GET", "/user/kyc/status")]);
            return answers.map((answer) => Object.keys(answer).sort()[0]);
        });
        assert.deepEqual(names, ["created_at", "available_grams", "documents"]);
        await nav(wallet, "Wallet");
        await wallet.locator("#balance-grams").filter({hasText: /0\.000000 g/}).waitFor(WAIT);
        await nav(wallet, "History");
        await nav(wallet, "Account");
        await waitForText(wallet.locator("#kyc-status"), /pending/i);
        wallet.off("request", count);
        assert.equal(refreshes.length, 1);
        const token = await wallet.evaluate(() => sessionStorage.getItem("gw.wallet.access_token"));
        assert.notEqual(token, stale);
        await button(wallet, "Sign out").waitFor(WAIT);  // still signed in
    });

    test("the admin signs in and verifies the user with the documents shown", async () => {
        await signInToConsole(admin, stack.admin.username, stack.admin.password);
        await admin.locator("#dashboard").waitFor(WAIT);
        await screenshot(admin, "admin-01-dashboard");
        await nav(admin, "KYC");
        const applicant = admin.locator("article").filter({has: admin.getByRole("heading", {name: USER.username})});
        await applicant.waitFor(WAIT);
        await admin.waitForFunction(() => {
            const images = [...document.querySelectorAll("article img")];
            return images.length === 3 && images.every((image) => image.complete && image.naturalWidth > 100);
        }, null, WAIT);
        await screenshot(admin, "admin-02-kyc-review");
        await button(applicant, "Approve").click();
        await applicant.waitFor({state: "detached", ...WAIT});
    });

    test("the admin creates a pool and sets prices", async () => {
        await nav(admin, "Pools");
        await field(admin, "Name").fill("Vault A, bar A1234");
        await field(admin, "Total grams").fill("1000");
        await field(admin, "Purity").fill("999.9");
        await field(admin, "Priority").fill("1");
        await field(admin, "Notes").fill("1 kg 24k bar, Nairobi vault");
        await button(admin, "Create pool").click();
        await admin.getByRole("cell", {name: "Vault A, bar A1234"}).first().waitFor(WAIT);
        await screenshot(admin, "admin-03-pools");
        await admin.getByRole("link", {name: "Vault A, bar A1234"}).click();
        await field(admin, "Grams to add").fill("250");
        await field(admin, "Top-up note").fill("bar A1235, invoice 2026-118");
        await button(admin, "Top up").click();
        await waitForText(admin.locator("main"), /1,250\.000000 g/);
        await screenshot(admin, "admin-03b-pool-detail");
        await nav(admin, "Prices");
        for (const [buy, sell] of [["8400", "7900"], ["8500", "8000"]]) {
            await field(admin, "Buy price (KES per gram)").fill(buy);
            await field(admin, "Sell price (KES per gram)").fill(sell);
            await button(admin, "Set prices").click();
            await waitForText(admin.getByRole("status").filter({hasText: "Prices set"}),
                              new RegExp(`buy KES ${buy[0]},${buy.slice(1)}\\.00`));
        }
        const chart = admin.getByRole("img", {name: "Price history chart"});
        await chart.waitFor(WAIT);
        await admin.waitForFunction(() => document.querySelectorAll("svg[role=img] circle").length === 4, null, WAIT);
        await screenshot(admin, "admin-04-prices");
    });

    test("the user is verified and sees the prices", async () => {
        await wallet.reload();
        await nav(wallet, "Account");
        await waitForText(wallet.locator("#kyc-status"), /verified/i);
        await screenshot(wallet, "wallet-03b-kyc-verified");
        await nav(wallet, "Wallet");
        await waitForText(wallet.locator("#buy-price"), /8,500\.00/);
        await waitForText(wallet.locator("#sell-price"), /8,000\.00/);
    });

    test("the user buys gold with M-Pesa and sees the grams", async () => {
        await wallet.getByLabel("Pay in KES").check();
        await field(wallet, "Amount (KES)").fill("1700");
        await field(wallet, "M-Pesa phone").first().fill("0712");
        await button(wallet, "Get quote").click();
        await waitForText(wallet.getByRole("alert").filter({visible: true}).first(), /Kenyan mobile number/);
        assert.equal(await field(wallet, "M-Pesa phone").first().getAttribute("aria-invalid"), "true");
        await field(wallet, "M-Pesa phone").first().fill(PHONE);
        await button(wallet, "Get quote").click();
        await wallet.locator("#quote-countdown").waitFor(WAIT);
        await screenshot(wallet, "wallet-04-buy-quote");
        // The first answer is lost on the way back: the server placed the buy, the page never
        // heard. Confirming again sends the same Idempotency-Key and gets the same trade.
        let lost = 0;
        await wallet.route("**/trade/buy", async (route) => {
            await route.fetch();
            lost += 1;
            await route.abort("connectionreset");
        }, {times: 1});
        await button(wallet, "Confirm and pay").click();
        await waitForText(wallet.getByRole("alert").filter({visible: true}).first(), /could not be reached/);
        assert.equal(lost, 1);
        assert.equal(await button(wallet, "Change amount").count(), 0);  // no new quote, no new key
        await button(wallet, "Confirm and pay").click();
        await waitForText(wallet.locator("#buy-status"), /check your phone/i);  // M-Pesa answers in 1.5 s
        await screenshot(wallet, "wallet-05-check-your-phone");
        await waitForText(wallet.locator("#buy-status"), /completed/i);
        await waitForText(wallet.locator("#balance-grams"), /0\.200000 g/);
        await screenshot(wallet, "wallet-06-bought");
    });

    test("the user sells with the exact shillings shown first", async () => {
        await field(wallet, "Grams to sell").fill("0.1");
        await field(wallet, "Payout phone").fill(PHONE);
        await button(wallet, "Review sale").click();
        await waitForText(wallet.locator("#sell-amount"), /800\.00/);
        await screenshot(wallet, "wallet-07-sell-review");
        await button(wallet, "Confirm sale").click();
        await waitForText(wallet.locator("#sell-status"), /awaiting payout|being processed/i);
        await screenshot(wallet, "wallet-08-sell-placed");
    });

    test("the admin pays the manual payout", async () => {
        await nav(admin, "Payouts");
        const row = admin.locator("tr").filter({hasText: "800.00"});
        await row.waitFor(WAIT);
        await screenshot(admin, "admin-05-payouts");
        await field(row, "M-Pesa transaction ID").fill("QKL7AB12CD");
        await button(row, "Mark paid").click();
        await waitForText(admin.getByRole("status").filter({hasText: /paid/i}).first(), /paid/i);
    });

    test("the user sees the sale completed, the notification, history and balance", async () => {
        await waitForText(wallet.locator("#sell-status"), /completed/i);  // the page follows the trade
        await waitForText(wallet.locator("#unread-count"), /^\s*2\s*$/);  // the buy's and the sale's
        await nav(wallet, "Notifications");
        const sale = wallet.locator("#notifications article").filter({hasText: /800\.00/});
        await sale.first().waitFor(WAIT);
        assert.equal(await wallet.locator("#notifications article").count(), 2);
        await button(sale.first(), "Mark as read").click();
        await waitForText(wallet.locator("#unread-count"), /^\s*1\s*$/);
        await screenshot(wallet, "wallet-09-notifications");
        await nav(wallet, "History");
        await waitForText(wallet.locator("#trade-history"), /completed/i);
        assert.equal(await wallet.locator("#trade-history > li").count(), 2);  // one buy, one sale
        await screenshot(wallet, "wallet-10-history");
        await nav(wallet, "Wallet");
        await waitForText(wallet.locator("#balance-grams"), /0\.100000 g/);
    });

    test("the console's other pages render", async () => {
        for (const [link, name] of [["Dashboard", "admin-06-dashboard-after"], ["Ledger", "admin-07-ledger"],
                                    ["Adjustments", "admin-08-adjustments"], ["Reconciliation", "admin-09-reconciliation"],
                                    ["Audit log", "admin-10-audit-log"]]) {
            await nav(admin, link);
            await admin.getByRole("heading", {level: 2}).filter({visible: true}).first().waitFor(WAIT);
            await admin.waitForLoadState("networkidle");
            await screenshot(admin, name);
        }
        await waitForText(admin.locator("#audit, main").first(), /payout/i);
        await nav(admin, "Reconciliation");
        await button(admin, "Run reconciliation").click();
        const run = admin.locator('a[href^="#/reconciliation/"]').first();
        await run.waitFor(WAIT);
        await run.click();
        await waitForText(admin.locator("main"), /completed/i);
        await screenshot(admin, "admin-09b-reconciliation-run");
    });

    test("a wrong password shows the API's problem, and the keyboard alone signs in", async () => {
        const reviewer = await openPage(stack, DESK_VIEW);
        await reviewer.goto("/admin/");
        await field(reviewer, "Username").fill(stack.reviewer.username);
        await field(reviewer, "Password").fill("not the password");
        await reviewer.keyboard.press("Enter");
        await waitForText(reviewer.getByRole("alert").filter({visible: true}).first(), /Invalid credentials/);
        await screenshot(reviewer, "admin-00-sign-in-refused");
        await field(reviewer, "Username").focus();
        await reviewer.keyboard.press("Tab");
        await reviewer.keyboard.press("ControlOrMeta+A");
        await reviewer.keyboard.type(stack.reviewer.password);
        await reviewer.keyboard.press("Enter");
        await button(reviewer, "Sign out").waitFor(WAIT);
        await reviewer.close();
    });

    test("a KYC reviewer sees the KYC queue and nothing else", async () => {
        const reviewer = await openPage(stack, DESK_VIEW);
        await signInToConsole(reviewer, stack.reviewer.username, stack.reviewer.password);
        await reviewer.getByRole("link", {name: "KYC", exact: true}).waitFor(WAIT);
        for (const hidden of ["Dashboard", "Pools", "Prices", "Ledger", "Payouts", "Adjustments",
                              "Reconciliation", "Audit log"]) {
            assert.equal(await reviewer.getByRole("link", {name: hidden, exact: true}).count(), 0, hidden);
        }
        await screenshot(reviewer, "admin-11-kyc-reviewer");
        assert.deepEqual(reviewer.problems, []);
    });

    test("no page raised a script error or a CSP violation", () => {
        assert.deepEqual(wallet.problems, []);
        assert.deepEqual(admin.problems, []);
    });
});
