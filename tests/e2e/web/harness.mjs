// Starts the real product for a browser test, as an operator would: daraja-sim, a first admin
// made with `goldwallet admin create`, and `goldwallet serve` on an embedded PostgreSQL in a
// temporary directory, every port picked free. Stops all of it and removes the directory.
// The binaries come from CTest (GW_BINARY, GW_SIM_BINARY); Chromium is Debian's.

import {spawn, spawnSync} from "node:child_process";
import {randomBytes} from "node:crypto";
import {chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {chromium} from "playwright-core";

const goldwallet = process.env.GW_BINARY;
const simulator = process.env.GW_SIM_BINARY;
export const artifacts = process.env.GW_E2E_ARTIFACTS || join(tmpdir(), "gw-e2e-artifacts");
export const chromiumPath = process.env.GW_CHROMIUM || "/usr/bin/chromium";

function waitForLine(file, pattern, child, what, timeoutMs = 60000) {
    const deadline = Date.now() + timeoutMs;
    return new Promise((resolve, reject) => {
        const poll = () => {
            let text = "";
            try {
                text = readFileSync(file, "utf8");
            } catch {
                // not written yet
            }
            const match = text.match(pattern);
            if (match) {
                resolve(match);
            } else if (child.exitCode !== null || Date.now() > deadline) {
                reject(new Error(`${what} did not start; its output:\n${text}`));
            } else {
                setTimeout(poll, 100);
            }
        };
        poll();
    });
}

// Starts `binary` with its stdout and stderr in `logFile`.
function startLogged(binary, args, env, logFile) {
    return spawn("sh", ["-c", 'exec "$0" "$@" >"$GW_LOG" 2>&1', binary, ...args],
                 {env: {...env, GW_LOG: logFile}, stdio: "ignore"});
}

async function stopChild(child) {
    if (child.exitCode !== null) {
        return;
    }
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 20000);
    await exited;
    clearTimeout(timer);
}

// The environment `serve` and `admin create` share: development mode, throwaway keys, the
// simulator as M-Pesa, manual payouts (the admin pays them in the console).
function serverEnv(dir, simUrl, credentialFile) {
    return {
        PATH: process.env.PATH,
        HOME: process.env.HOME || "/root",
        GOLDWALLET_DATA_DIR: join(dir, "var"),
        GOLDWALLET_HTTP_PORT: "0",
        GOLDWALLET_ENV: "development",
        GOLDWALLET_JWT_KEY: randomBytes(32).toString("hex"),
        GOLDWALLET_MASTER_KEY: randomBytes(32).toString("hex"),
        GOLDWALLET_MPESA_BASE_URL: simUrl,
        GOLDWALLET_MPESA_SECURITY_CREDENTIAL_FILE: credentialFile,
        GOLDWALLET_PAYOUT_MODE: "manual",
        GOLDWALLET_OUTBOX_POLL_MS: "100",
        GOLDWALLET_LOG_LEVEL: "info",
    };
}

function createStaff(env, account, role) {
    const made = spawnSync(goldwallet, ["admin", "create", "--username", account.username, "--email",
                                        `${account.username}@goldwallet.test`, "--role", role],
                           {env, input: `${account.password}\n`});
    if (made.status !== 0) {
        throw new Error(`admin create --role ${role} failed: ${made.stderr}`);
    }
}

export async function startStack() {
    if (!goldwallet || !simulator) {
        throw new Error("GW_BINARY and GW_SIM_BINARY must name the built binaries (CTest sets them)");
    }
    const dir = mkdtempSync(join(tmpdir(), "gw-web-e2e-"));
    chmodSync(dir, 0o711);  // the embedded cluster runs as an unprivileged user when we are root
    rmSync(artifacts, {recursive: true, force: true});  // only this run's screenshots
    mkdirSync(artifacts, {recursive: true});
    const stack = {dir, children: []};
    try {
        const sim = startLogged(simulator, ["--port", "0", "--key-file", join(dir, "sim-key.pem"),
                                            "--callback-delay-ms", "1500"],
                                {PATH: process.env.PATH}, join(dir, "sim.log"));
        stack.children.push(sim);
        const [, simUrl] = await waitForLine(join(dir, "sim.log"), /listening on (\S+)/, sim, "daraja-sim");
        const credential = spawnSync(simulator, ["security-credential", "--key-file", join(dir, "sim-key.pem")]);
        const credentialFile = join(dir, "security-credential");
        spawnSync("sh", ["-c", 'umask 077 && cat >"$0"', credentialFile], {input: credential.stdout});
        const env = serverEnv(dir, simUrl, credentialFile);
        stack.admin = {username: "admin", password: randomBytes(12).toString("hex")};
        stack.reviewer = {username: "kim", password: randomBytes(12).toString("hex")};
        createStaff(env, stack.admin, "admin");
        createStaff(env, stack.reviewer, "kyc_reviewer");
        const server = startLogged(goldwallet, ["serve"], env, join(dir, "serve.log"));
        stack.children.push(server);
        const [, port] = await waitForLine(join(dir, "serve.log"), /"url":"http:\/\/127\.0\.0\.1:(\d+)"/,
                                           server, "goldwallet serve");
        stack.baseUrl = `http://127.0.0.1:${port}`;
        stack.browser = await chromium.launch({executablePath: chromiumPath,
                                               args: ["--no-sandbox", "--disable-dev-shm-usage"]});
    } catch (error) {
        await stopStack(stack);
        throw error;
    }
    return stack;
}

export async function stopStack(stack) {
    if (stack.browser) {
        await stack.browser.close();
    }
    for (const child of stack.children.reverse()) {
        await stopChild(child);
    }
    if (process.env.GW_E2E_KEEP) {
        console.log(`kept ${stack.dir}`);
    } else {
        rmSync(stack.dir, {recursive: true, force: true});
    }
}

// A browser page that fails the test on any script error or CSP violation it reports.
export async function openPage(stack, viewport) {
    const context = await stack.browser.newContext({viewport, baseURL: stack.baseUrl});
    const page = await context.newPage();
    page.problems = [];
    page.on("pageerror", (error) => page.problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
        // A failed fetch is logged as "Failed to load resource"; answers are judged below.
        if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
            page.problems.push(`console error: ${message.text()}`);
        }
    });
    // A 5xx is a failure, except the documented 503 price_not_set before the first price.
    page.on("response", async (response) => {
        if (response.status() < 500) {
            return;
        }
        const problem = await response.json().catch(() => ({}));
        if (problem.code !== "price_not_set") {
            page.problems.push(`${response.status()} ${problem.code} from ${response.request().method()} ${response.url()}`);
        }
    });
    return page;
}

// Saves the page as an artifact, and notes any visible form field without an accessible name.
export async function screenshot(page, name) {
    await page.evaluate(() => window.scrollTo(0, 0));  // a sticky header stays at the top
    await page.screenshot({path: join(artifacts, `${name}.png`), fullPage: true});
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll("input, select, textarea")]
        .filter((field) => field.type !== "hidden" && field.getClientRects().length > 0)
        .filter((field) => field.labels.length === 0 && !field.getAttribute("aria-label") &&
                           !field.getAttribute("aria-labelledby"))
        .map((field) => field.name || field.id || field.outerHTML.slice(0, 60)));
    for (const field of unlabelled) {
        page.problems.push(`${name}: a field without a label: ${field}`);
    }
}
