// The survivor pages end to end, in Debian's Chromium driven by playwright-core, against a real
// `takedown serve --static web/dist` on a free loopback port with a throw-away data folder.
//  1. parity: the page's WebAssembly PDQ of every shared test image equals `takedown hash`, hashed
//     in the page's worker while the main thread keeps answering;
//  2. a survivor reports two photos in Traditional Chinese, gets a code and PIN, and the hashes
//     the server stored (read back through the staff API as admin) equal `takedown hash`; every
//     request the page made is inspected: same origin only, no image bytes, small JSON bodies;
//     axe-core finds nothing serious; screenshots at 360 and 1280 px;
//  3. she checks progress on the status page with code + PIN and erases the case.
// Settings from the environment (web/CMakeLists.txt sets them): TAKEDOWN_BINARY, TAKEDOWN_SHARED_DIR,
// WEB_DIST (default web/dist), SCREENSHOT_DIR (default build/web-screenshots), CHROMIUM
// (default /usr/bin/chromium).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { after, before, test } from "node:test";
import {
  expectNoSeriousAxeViolations, fill, launchChromium, shared, shots, startServer, takedown,
  translations,
} from "./harness.mjs";
import { expectOnlyHashesSent, objectUrlsOf, recordObjectUrls } from "./requests.mjs";

const pdqData = join(shared, "testdata/pdq");
const zh = translations("zh-Hant");
const ms = translations("ms");

let server, base, adminPassword, browser;

// `takedown hash` of files: {path: record}.
function nativeHashes(files) {
  const out = execFileSync(takedown, ["hash", "--format", "jsonl", "--jobs", "1", ...files], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  }).trim();
  return Object.fromEntries(out.split("\n").map((line) => JSON.parse(line)).map((r) => [r.path, r]));
}

function imagesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return imagesUnder(path);
    return /\.(jpe?g|png|webp|gif|bmp)$/i.test(e.name) ? [path] : [];
  });
}

async function newPage(options) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  return { context, page, problems };
}

before(async () => {
  server = await startServer({ name: "web" });
  ({ base, adminPassword } = server);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test("the page's WebAssembly PDQ equals `takedown hash` on the shared test images", async () => {
  const files = imagesUnder(pdqData).sort();
  const native = nativeHashes(files);
  const hashable = files.filter((f) => native[f]?.ok);
  const { context, page, problems } = await newPage({ locale: "en-GB" });
  // The hashing runs in a worker, so the main thread keeps answering. Asserted without a clock:
  // the page's own thread compiles no WebAssembly (the PDQ core), and a hashing worker exists.
  // (Init scripts run in the page's documents, not in its workers.)
  await page.addInitScript(() => {
    window.__wasmOnMainThread = 0;
    for (const name of ["compile", "compileStreaming", "instantiate", "instantiateStreaming"]) {
      const original = WebAssembly[name];
      if (!original) continue;
      WebAssembly[name] = function (...args) {
        window.__wasmOnMainThread += 1;
        return original.apply(this, args);
      };
    }
  });
  await page.goto(`${base}/`);
  // How long the main thread was busy is printed, not asserted (it depends on the machine's load):
  // the Long Tasks API notes every main-thread task over 50 ms (measured: none, or one of about
  // 50 ms on a loaded machine, against 25 of up to about 540 ms when the page hashed on the main
  // thread).
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration)))
      .observe({ type: "longtask" });
  });
  await page.setInputFiles("#images", hashable);
  await page.waitForSelector('body[data-hashing="done"]', { timeout: 120_000 });
  const longTasks = await page.evaluate(() => window.__longTasks);
  const longest = Math.round(Math.max(0, ...longTasks));
  console.log(`responsiveness: ${longTasks.length} main-thread tasks over 50 ms while hashing ${hashable.length} images, the longest ${longest} ms`);
  assert.equal(await page.evaluate(() => window.__wasmOnMainThread), 0, "the page hashed on its own thread");
  assert.ok(
    page.workers().some((w) => /hash-worker/.test(w.url())),
    `no hashing worker among ${page.workers().map((w) => w.url()).join(", ")}`,
  );
  const got = await page.$$eval("#image-list li", (items) =>
    items.map((li) => ({ state: li.dataset.state, pdq: li.dataset.pdq ?? null, quality: Number(li.dataset.quality) })),
  );
  assert.equal(got.length, hashable.length);
  const rows = hashable.map((f, i) => ({ file: relative(pdqData, f), native: native[f], web: got[i] }));
  const equal = rows.filter((r) => r.web.pdq === r.native.pdq && r.web.quality === r.native.quality);
  const differ = rows.filter((r) => !equal.includes(r));
  console.log(`parity: ${equal.length} of ${rows.length} images hash to the same PDQ bits and quality in the browser`);
  for (const r of differ) {
    const distance = r.web.pdq
      ? [...Buffer.from(r.web.pdq, "hex")].reduce((n, b, i) => n + popcount(b ^ Buffer.from(r.native.pdq, "hex")[i]), 0)
      : "-";
    console.log(`parity: DIFFERS ${r.file} (${r.native.format}): web ${r.web.state} ${r.web.pdq} q${r.web.quality}, native ${r.native.pdq} q${r.native.quality}, distance ${distance}`);
  }
  assert.deepEqual(differ.map((r) => r.file), [], "images whose browser hash differs from takedown hash");
  assert.deepEqual(problems, []);
  await context.close();
});

function popcount(x) {
  let n = 0;
  for (; x; x &= x - 1) ++n;
  return n;
}

test("a survivor reports two photos in Traditional Chinese, checks her case and erases it", async () => {
  const photos = [join(pdqData, "bridge-mods/aaa-orig.jpg"), join(pdqData, "hma-resources/rgb.jpeg")];
  const native = nativeHashes(photos);
  assert.notEqual(native[photos[0]].pdq, native[photos[1]].pdq, "two different photos");
  const { context, page, problems } = await newPage({ locale: "zh-HK", viewport: { width: 360, height: 780 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  const requests = [];
  context.on("request", (r) => requests.push(r));
  await recordObjectUrls(context);

  const first = await page.goto(`${base}/`);
  assert.match(first.headers()["content-security-policy"], /script-src 'self' 'wasm-unsafe-eval';/);
  assert.equal(await page.getAttribute("html", "lang"), "zh-Hant");
  assert.equal(await page.textContent("h1"), zh.intake_title);
  assert.equal(await page.title(), zh.intake_page_title);
  assert.equal(await page.textContent("#privacy-heading"), zh.privacy_heading);
  await expectNoSeriousAxeViolations(page, "the intake page");
  const noSideways = () => document.documentElement.scrollWidth <= window.innerWidth;
  assert.ok(await page.evaluate(noSideways), "the intake page fits 360 px without sideways scrolling");
  await page.screenshot({ path: join(shots, "intake-360.png"), fullPage: true });

  await page.setInputFiles("#images", photos);
  await page.waitForSelector('body[data-hashing="done"]');
  assert.equal(await page.textContent("#images-summary"), fill(zh.images_ready_count, { count: 2 }));
  await page.fill("#urls", "https://example.com/leaked/photo-1\n");
  await page.selectOption("#jurisdiction", "HK");
  await page.check("#authorise");
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.ok(await page.evaluate(noSideways), "the intake page fits 1280 px");
  await page.screenshot({ path: join(shots, "intake-1280.png"), fullPage: true });
  await page.setViewportSize({ width: 360, height: 780 });
  await page.click("#submit");
  await page.waitForSelector("#receipt-view:not([hidden])");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "receipt-title");
  const code = (await page.textContent("#receipt-code")).trim();
  const pin = (await page.textContent("#receipt-pin")).trim();
  assert.match(pin, /^[0-9]{8}$/);
  assert.ok(code.length >= 6, code);
  await expectNoSeriousAxeViolations(page, "the receipt");
  assert.ok(await page.evaluate(noSideways), "the receipt fits 360 px");
  await page.screenshot({ path: join(shots, "receipt-360.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: join(shots, "receipt-1280.png"), fullPage: true });
  await page.setViewportSize({ width: 360, height: 780 });

  // Copy (code and PIN at once) and save as file.
  await page.click("#copy-both");
  await page.waitForFunction((text) => document.querySelector("#copy-status")?.textContent === text, zh.copied);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${zh.code_label}: ${code}\n${zh.pin_label}: ${pin}`);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#save-file")]);
  assert.equal(download.suggestedFilename(), zh.save_file_name);
  const saved = readFileSync(await download.path(), "utf8");
  assert.ok(saved.includes(code) && saved.includes(pin), saved);

  // What the server stored equals `takedown hash` of the same files.
  const login = await fetch(`${base}/api/v1/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "admin", password: adminPassword }),
  });
  assert.equal(login.status, 200);
  const cookie = login.headers.get("set-cookie").split(";")[0];
  const cases = await (await fetch(`${base}/api/v1/cases?q=${encodeURIComponent(code)}`, { headers: { Cookie: cookie } })).json();
  assert.equal(cases.cases.length, 1, JSON.stringify(cases));
  const detail = await (await fetch(`${base}/api/v1/cases/${cases.cases[0].id}`, { headers: { Cookie: cookie } })).json();
  const stored = detail.hashes.map((h) => `${h.pdq} q${h.quality} ${h.sha256}`).sort();
  const expected = photos.map((f) => `${native[f].pdq} q${native[f].quality} ${native[f].sha256}`).sort();
  assert.deepEqual(stored, expected);
  console.log(`stored hashes equal takedown hash: ${stored.join(" | ")}`);

  // Every request the page made: same origin, nothing but small JSON bodies, no image bytes, and
  // (no video chosen) no blob: load at all.
  const { posts, blobMedia } = await expectOnlyHashesSent(requests, base, {
    sizes: photos.map((f) => statSync(f).size),
    objectUrls: await objectUrlsOf([page]),
  });
  assert.deepEqual(blobMedia, []);
  assert.equal(posts.length, 1, posts.map((p) => p.what).join(", "));
  const sent = JSON.parse(posts[0].body.toString("utf8"));
  assert.deepEqual(Object.keys(sent).sort(), ["authorise", "consent_share", "images", "in_notices", "jurisdiction", "language", "urls"]);
  assert.deepEqual(
    { ...sent, images: sent.images.map((i) => Object.keys(i).sort().join(",")) },
    { images: ["file,kind,pdq,quality,sha256", "file,kind,pdq,quality,sha256"], urls: ["https://example.com/leaked/photo-1"],
      jurisdiction: "HK", language: "zh-Hant", consent_share: false, authorise: true, in_notices: "none" },
  );
  console.log(`requests: ${requests.length}, all same-origin; the one body sent is ${posts[0].body.length} bytes of JSON`);

  // The status page, reached from the receipt (the language goes with the link).
  await page.click('#receipt-view a[href^="/status.html"]');
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.textContent("h1"), zh.status_title);
  await page.fill("#code", code.toLowerCase());
  await page.fill("#pin", "00000000" === pin ? "11111111" : "00000000");
  await page.click("#status-submit");
  // The wrong PIN says how many tries are left before a short wait (3 at once per code).
  const wrongText = `${zh.status_wrong} ${fill(zh.status_tries_left, { count: 2 })}`;
  await page.waitForFunction((text) => document.querySelector("#status-error")?.textContent === text, wrongText);
  const wrongPin = problems.findIndex((p) => p.includes("status of 403"));
  assert.ok(wrongPin >= 0, "the wrong PIN was answered 403");
  problems.splice(wrongPin, 1);
  await page.fill("#pin", pin);
  await page.click("#status-submit");
  await page.waitForSelector("#progress-view:not([hidden])");
  assert.equal(await page.textContent('li[data-count="images"]'), fill(zh.progress_images, { count: 2 }));
  assert.equal(await page.textContent('li[data-count="checking"]'), fill(zh.progress_checking, { count: 1 }));
  assert.equal(await page.textContent('li[data-count="found"]'), fill(zh.progress_found, { count: 0 }));
  assert.equal(await page.textContent('li[data-count="removed"]'), fill(zh.progress_removed, { count: 0 }));
  await expectNoSeriousAxeViolations(page, "the status page");
  await page.screenshot({ path: join(shots, "status-360.png"), fullPage: true });
  // The switch changes the language in place.
  await page.selectOption("#lang", "ms");
  assert.equal(await page.textContent('li[data-count="images"]'), fill(ms.progress_images, { count: 2 }));
  await page.selectOption("#lang", "zh-Hant");

  // Erase, after saying no once.
  await page.click("#erase");
  await page.click("#erase-cancel");
  assert.ok(await page.isVisible("#progress-view"));
  await page.click("#erase");
  assert.equal(await page.textContent("#erase-dialog-title"), zh.erase_confirm_title);
  await page.screenshot({ path: join(shots, "erase-confirm-360.png") });
  await page.click("#erase-yes");
  await page.waitForSelector("#erased-view:not([hidden])");
  assert.equal(await page.textContent("#erased-title"), zh.erased_title);
  const after = await fetch(`${base}/api/v1/status`, {
    headers: { Authorization: "Basic " + Buffer.from(`${code}:${pin}`).toString("base64") },
  });
  assert.ok([403, 404].includes(after.status), `status after erase: ${after.status}`);

  for (const r of requests) assert.equal(new URL(r.url()).origin, base, r.url());
  assert.deepEqual(problems, []);
  await context.close();
});
