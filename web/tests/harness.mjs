// What every browser test needs: the paths from the environment (web/CMakeLists.txt sets them),
// a real `takedown serve` on a free loopback port with a throw-away data folder, Debian's Chromium
// through playwright-core, the translations as the pages merge them, axe-core and screenshots.
// Settings: TAKEDOWN_BINARY, TAKEDOWN_SHARED_DIR, WEB_DIST (default web/dist), SCREENSHOT_DIR
// (default build/web-screenshots), CHROMIUM (default /usr/bin/chromium).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import axe from "axe-core";
import { chromium } from "playwright-core";

export const web = join(dirname(fileURLToPath(import.meta.url)), "..");
export const root = join(web, "..");
const env = process.env;
export const takedown = env.TAKEDOWN_BINARY ?? join(root, "build/src/cli/takedown");
export const shared = env.TAKEDOWN_SHARED_DIR ?? join(root, "../shared");
export const dist = env.WEB_DIST ?? join(web, "dist");
export const shots = env.SCREENSHOT_DIR ?? join(root, "build/web-screenshots");
export const chromiumPath = env.CHROMIUM ?? "/usr/bin/chromium";

// One language as src/i18n.ts merges it: <lang>.json and every <area>.<lang>.json.
export function translations(lang) {
  const dir = join(web, "src/i18n");
  const pattern = new RegExp(`^(?:[a-z0-9_-]+\\.)?${lang.replace("-", "\\-")}\\.json$`);
  const merged = {};
  for (const file of readdirSync(dir).filter((f) => pattern.test(f))) {
    Object.assign(merged, JSON.parse(readFileSync(join(dir, file), "utf8")));
  }
  return merged;
}

export const fill = (s, vars) => s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k]));

// An organisation profile for `takedown serve`, so notices can be complete.
export const ORGANISATION_ARGS = [
  "--org-name", "Safe Harbour Support", "--org-email", "help@safeharbour.example",
  "--org-phone", "+1 555 0100", "--org-address", "1 Example Street, Springfield",
  "--org-signatory", "Alex Caseworker", "--org-signatory-role", "Caseworker",
];

// `takedown serve --static <dist> --no-worker` plus `args`; resolves with the base URL, the first
// admin's password and stop() (kills it and removes its data folder). `page` names the built
// file that must exist (staff.html for the dashboard). `worker: true` keeps the server's job loop
// (checks, crawls) running: give it --no-dns and --fetch-resolve so it reaches only loopback.
export async function startServer({ args = [], page = "index.html", name = "web", worker = false } = {}) {
  for (const [what, path] of [["takedown", takedown], [`${dist}/${page}`, join(dist, page)], ["chromium", chromiumPath]]) {
    assert.ok(statSync(path, { throwIfNoEntry: false }), `${what} is missing at ${path} (run make test)`);
  }
  mkdirSync(shots, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), `takedown-${name}-`));
  const child = spawn(
    takedown,
    ["serve", "--listen", "127.0.0.1:0", "--data", dataDir, "--static", dist, ...(worker ? [] : ["--no-worker"]), ...args],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let adminPassword;
  const base = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`takedown serve did not start:\n${out}`)), 30_000);
    child.on("exit", (code) => reject(new Error(`takedown serve exited (${code}):\n${out}`)));
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const password = out.match(/password: (\S+)/);
      const port = out.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (password) adminPassword = password[1];
      if (port) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${port[1]}`);
      }
    });
  });
  return {
    base,
    adminPassword,
    dataDir,
    stop() {
      child.removeAllListeners("exit");
      child.kill("SIGTERM");
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchChromium() {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

// Fails on serious or critical violations; answers how many violations there were in all.
export async function expectNoSeriousAxeViolations(page, name) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  const result = await page.evaluate(`${axe.source}; axe.run(document, { resultTypes: ["violations"] })`);
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(
    serious.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    [],
    `axe-core on ${name}`,
  );
  return result.violations.length;
}

const noSideways = () => document.documentElement.scrollWidth <= window.innerWidth;

// Full-page screenshots at 1280 and 360 px into SCREENSHOT_DIR, each width checked for sideways
// scrolling; leaves the page at 1280 px.
export async function screenshots(page, name) {
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.ok(await page.evaluate(noSideways), `${name} fits 1280 px`);
  await page.screenshot({ path: join(shots, `${name}-1280.png`), fullPage: true });
  await page.setViewportSize({ width: 360, height: 780 });
  assert.ok(await page.evaluate(noSideways), `${name} fits 360 px without sideways scrolling`);
  await page.screenshot({ path: join(shots, `${name}-360.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

// The staff API from the test itself (as a second browser would), for a server at `base`:
// login(username, password) gives a session of its own, call(session, path, method, body) a
// request with its cookie and CSRF token, ok(res, status) the parsed body once the status is the
// one expected, and as(username, password) a new session's call(path, method, body) that asserts
// a 2xx answer and gives its JSON (null for 204).
export function staffApiClient(base) {
  const login = async (username, password) => {
    const res = await fetch(`${base}/api/v1/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username, password }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    return { cookie: res.headers.get("set-cookie").split(";")[0], csrf: (await res.json()).csrf_token };
  };
  const call = (session, path, method = "GET", body) => {
    const headers = { Cookie: session.cookie };
    if (method !== "GET") headers["X-CSRF-Token"] = session.csrf;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  };
  const ok = async (res, status = 200) => {
    const text = await res.text();
    assert.equal(res.status, status, text);
    return text ? JSON.parse(text) : null;
  };
  const as = async (username, password) => {
    const session = await login(username, password);
    return async (path, method = "GET", body) => {
      const res = await call(session, path, method, body);
      assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
      return res.status === 204 ? null : res.json();
    };
  };
  return { login, call, ok, as };
}

// A 1280 px browser context on the dashboard at `base` whose console errors (but the 401 and 403
// answers a test expects), page errors and requests to anywhere else go into `problems`.
export async function newStaffPage(browser, base, problems) {
  const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  const page = await context.newPage();
  page.on("console", (m) => m.type() === "error" && !/status of 40[13]/.test(m.text()) && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  context.on("request", (r) => {
    if (!r.url().startsWith(base)) problems.push(`request elsewhere: ${r.url()}`);
  });
  return { context, page };
}

// Logs in through the dashboard's form and waits for the queue.
export async function logInToDashboard(page, base, username, password) {
  await page.goto(`${base}/staff.html`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill("#username", username);
  await page.fill("#password", password);
  await page.click("#login-submit");
  await page.waitForSelector("#queue-view:not([hidden])");
}

// Waits until the element's text is `text` (a state, never a time).
export const textIs = (page, selector, text) =>
  page.waitForFunction(([s, t]) => document.querySelector(s)?.textContent === t, [selector, text]);
