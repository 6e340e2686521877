// The survivor pages protecting her (issue 20), in Debian's Chromium driven by playwright-core
// against a real `takedown serve --static <dist>` on a manual clock (harness.mjs):
//  1. "Leave quickly" from the report page and from the status page, after moving between our
//     pages by their links: Back, pressed until the tab has no more history, reaches no Takedown
//     page (the neutral site and the page she came from are answered by context.route);
//  2. counts she can trust: 3 photos and a video reported through the page read as 4 images on
//     her status page (not one per hash), her 2 links as being checked, copies found 0 until a
//     caseworker acts on one; a HEIC the browser cannot read and a truncated JPEG are listed on the
//     receipt with why; the receipt survives a reload until "I have saved them", is saved under a
//     discreet file name, and its code and PIN are copied at once and pasted into the status
//     page in one go;
//  3. a stalled server: the report and the status page give up after the request timeout (the
//     page's clock is Playwright's, run forward: the test waits for states, not for time), say so
//     in words, and "Try again" then gets the answer;
//  4. tries left before the PIN wait, and the wait, told in words;
//  5. every control on the survivor pages is at least 44 by 44 px at 360 px wide.
// axe-core on every page and state; screenshots `survivor-*` at 360 and 1280 px.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  expectNoSeriousAxeViolations, fill, launchChromium, screenshots, shared, startServer, translations,
} from "./harness.mjs";

const NEUTRAL = "https://www.google.com/";
const ELSEWHERE = "https://news.example/";
// web/src/api.ts's REQUEST_TIMEOUT_MS.
const REQUEST_TIMEOUT_MS = 30_000;
const en = translations("en");
const pdq = join(shared, "testdata/pdq");
const PHOTOS = ["bridge-mods/aaa-orig.jpg", "hma-resources/rgb.jpeg", "bridge-mods/shrink-a-lot.jpg"].map((f) => join(pdq, f));

let server, base, browser, files;

before(async () => {
  server = await startServer({ name: "survivor", args: ["--clock", "manual", "--clock-start", "2026-03-02T09:00:00Z"] });
  base = server.base;
  browser = await launchChromium();
  files = mkdtempSync(join(tmpdir(), "takedown-survivor-files-"));
});

after(async () => {
  await browser?.close();
  server?.stop();
  if (files) rmSync(files, { recursive: true, force: true });
});

async function newPage({ lang = "en-GB", width = 360 } = {}) {
  const context = await browser.newContext({ locale: lang, viewport: { width, height: 780 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // The neutral site and the page she came from, answered here: no internet needed.
  for (const site of [NEUTRAL, ELSEWHERE]) {
    await context.route(`${site}**`, (route) =>
      route.fulfill({ status: 200, contentType: "text/html", body: `<!doctype html><title>elsewhere</title><p>${site}</p>` }),
    );
  }
  return { context, page, problems };
}

// A report through the API: {code, pin}.
async function intake(urls = ["https://example.com/mine"]) {
  const res = await fetch(`${base}/api/v1/intake`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ images: [{ pdq: "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22", quality: 90, file: 1 }], urls, language: "en" }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return res.json();
}

async function admin() {
  const res = await fetch(`${base}/api/v1/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "admin", password: server.adminPassword }),
  });
  assert.equal(res.status, 200);
  const { csrf_token: csrf } = await res.json();
  const cookie = res.headers.get("set-cookie").split(";")[0];
  return async (path, method = "GET", body = undefined) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { Cookie: cookie, "X-CSRF-Token": csrf, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    assert.ok(r.ok, `${method} ${path}: ${r.status} ${await r.clone().text()}`);
    return r.status === 204 ? null : r.json();
  };
}

const textOf = (page, selector) => page.$eval(selector, (e) => e.textContent);
const waitText = (page, selector, text) =>
  page.waitForFunction(([s, t]) => document.querySelector(s)?.textContent === t, [selector, text]);

// The tab's history as the browser keeps it (DevTools protocol): the addresses Back can reach,
// checked by pressing Back through every one of them.
async function everythingBack(page) {
  const cdp = await page.context().newCDPSession(page);
  const { entries, currentIndex } = await cdp.send("Page.getNavigationHistory");
  const reachable = entries.slice(0, currentIndex).map((e) => e.url);
  const seen = [];
  for (let i = 0; i < currentIndex; ++i) {
    await page.goBack();
    seen.push(page.url());
  }
  assert.deepEqual(seen, reachable.reverse(), "Back goes through the history the browser keeps");
  return seen;
}

// From a page elsewhere to our report page, then `wander` (through our links), then "Leave
// quickly" and Back through the tab's whole history: not one Takedown page on the way.
async function expectNothingOfOursBehind(name, wander) {
  const { context, page, problems } = await newPage();
  await page.goto(ELSEWHERE);
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-ready="true"]');
  await wander(page);
  await Promise.all([page.waitForURL(NEUTRAL), page.click("#quick-exit")]);
  const back = await everythingBack(page);
  console.log(`quick exit from ${name}, then Back: ${back.join(" -> ")}`);
  assert.ok(back.includes(ELSEWHERE), `Back still works: it reaches where she came from (${back})`);
  assert.deepEqual(back.filter((u) => u.startsWith(base)), [], "0 Takedown pages reachable by Back");
  assert.deepEqual(problems, []);
  await context.close();
}

test("after Leave quickly, Back reaches no Takedown page: from the report page", async () => {
  await expectNothingOfOursBehind("the report page", async (page) => {
    // She looks at the help page and comes back by its link, then starts typing.
    await page.click("header a.top-link");
    await page.waitForURL(/\/resources\.html/);
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('a.lang-link[href^="/?"]');
    await page.waitForURL((url) => url.pathname === "/");
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill("#contact", "something private");
  });
});

test("after Leave quickly, Back reaches no Takedown page: from the status page", async () => {
  const { code, pin } = await intake();
  await expectNothingOfOursBehind("the status page", async (page) => {
    await page.click('a[href^="/status.html"]');
    await page.waitForURL(/\/status\.html/);
    await page.waitForSelector('body[data-ready="true"]');
    await page.selectOption("#lang", "ms"); // the language switch adds no entry either
    await page.fill("#code", code);
    await page.fill("#pin", pin);
    await page.click("#status-submit");
    await page.waitForSelector("#progress-view:not([hidden])");
  });
});

// A 3-second clip of FFmpeg's test pattern (3 sampled frames).
function makeClip() {
  const clip = join(files, "clip.webm");
  execFileSync(process.env.FFMPEG ?? "ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
    "testsrc2=size=320x240:rate=25:duration=3", "-c:v", "libvpx-vp9", "-b:v", "200k", clip], { stdio: "inherit" });
  return clip;
}

test("her counts, the files not used, and a receipt she keeps until she has saved it", async () => {
  const clip = makeClip();
  // A HEIC (its header only: Chromium decodes no HEIC) and a JPEG cut short.
  const heic = join(files, "IMG_0001.HEIC");
  writeFileSync(heic, Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from("ftypheic\0\0\0\0mif1heic"), Buffer.alloc(512, 7)]));
  const truncated = join(files, "cut-short.jpg");
  writeFileSync(truncated, readFileSync(PHOTOS[0]).subarray(0, 600));

  const { context, page, problems } = await newPage();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  const sent = [];
  page.on("request", (r) => r.url().endsWith("/api/v1/intake") && sent.push(JSON.parse(r.postData())));
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.setInputFiles("#images", [...PHOTOS, clip, heic, truncated]);
  await page.waitForSelector('body[data-hashing="done"]', { timeout: 120_000 });
  await expectNoSeriousAxeViolations(page, "the report page with files chosen");
  await page.fill("#urls", "https://example.com/leaked/1\nhttps://example.net/leaked/2");
  await page.click("#submit");
  await page.waitForSelector("#receipt-view:not([hidden])");

  // One file number per file she chose: the video's frames share one.
  const images = sent[0].images;
  assert.deepEqual([...new Set(images.map((i) => i.file))], [1, 2, 3, 4]);
  assert.ok(images.filter((i) => i.kind === "video").every((i) => i.file === 4));
  console.log(`sent ${images.length} hashes for 4 files`);

  // The files not used, with why.
  assert.deepEqual(
    await page.$$eval("#unused-list li", (items) => items.map((li) => [li.querySelector(".file-name").textContent, li.dataset.why])),
    [["IMG_0001.HEIC", "image_failed"], ["cut-short.jpg", "image_failed"]],
  );
  assert.ok((await textOf(page, "#unused-list li")).includes(en.image_failed));
  const code = (await textOf(page, "#receipt-code")).trim();
  const pin = (await textOf(page, "#receipt-pin")).trim();
  await expectNoSeriousAxeViolations(page, "the receipt with files not used");
  assert.deepEqual(await smallTargets(page), [], "the receipt's controls are 44 px at least");
  await screenshots(page, "survivor-receipt");

  // Code and PIN copied at once; the file's name says nothing of what it holds.
  await page.click("#copy-both");
  await waitText(page, "#copy-status", en.copied);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, `${en.code_label}: ${code}\n${en.pin_label}: ${pin}`);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#save-file")]);
  assert.equal(download.suggestedFilename(), "notes.txt");
  assert.ok(!/takedown|case|report/i.test(download.suggestedFilename()));
  assert.ok(readFileSync(await download.path(), "utf8").includes(pin));

  // A reload keeps the receipt, the files not used included.
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.ok(await page.isVisible("#receipt-code"), "the receipt survives a reload");
  assert.equal((await textOf(page, "#receipt-code")).trim(), code);
  assert.equal((await textOf(page, "#receipt-pin")).trim(), pin);
  assert.equal(await page.locator("#unused-list li").count(), 2);
  assert.ok(await page.isHidden("#intake-view"));

  // She says she has saved them: gone from the screen and from the tab, also after a reload.
  await page.click("#receipt-saved");
  await page.waitForSelector("#receipt-cleared:not([hidden])");
  assert.ok(await page.isHidden("#receipt-secrets"));
  assert.equal((await textOf(page, "#receipt-code")).trim(), "");
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.ok(await page.isVisible("#intake-view") && (await page.isHidden("#receipt-view")), "the report form again");

  // The status page: one paste fills both fields; 4 images, her 2 links being checked, no copy yet.
  await page.click('a[href^="/status.html"]');
  await page.waitForSelector('body[data-ready="true"]');
  await page.focus("#code");
  await page.keyboard.press("Control+V");
  assert.equal(await page.inputValue("#code"), code);
  assert.equal(await page.inputValue("#pin"), pin);
  await page.click("#status-submit");
  await page.waitForSelector("#progress-view:not([hidden])");
  const counts = () => page.$$eval("#progress li", (items) => Object.fromEntries(items.map((li) => [li.dataset.count, li.textContent])));
  assert.deepEqual(await counts(), {
    images: fill(en.progress_images, { count: 4 }),
    checking: fill(en.progress_checking, { count: 2 }),
    found: fill(en.progress_found, { count: 0 }),
    requested: fill(en.progress_requested, { count: 0 }),
    removed: fill(en.progress_removed, { count: 0 }),
  });
  assert.equal(await textOf(page, "#progress-note"), en.progress_nothing_yet);
  await expectNoSeriousAxeViolations(page, "the status page");
  await screenshots(page, "survivor-status");

  // A caseworker pastes 5 links nobody has checked: not copies. She marks one of hers removed: one.
  const api = await admin();
  const { cases } = await api(`/api/v1/cases?q=${encodeURIComponent(code)}`);
  const casePath = `/api/v1/cases/${cases[0].id}`;
  await api("/api/v1/admin/clock", "POST", { advance_ms: 60_000 }); // she reported a minute ago
  await api(`${casePath}/urls`, "POST", { text: [1, 2, 3, 4, 5].map((i) => `https://example.org/pasted/${i}`).join("\n") });
  const detail = await api(casePath);
  const mine = detail.sightings.find((s) => s.url === "https://example.com/leaked/1");
  await api(`/api/v1/sightings/${mine.id}/state`, "POST", { state: "removed" });
  await page.goto(`${base}/status.html`); // the code and PIN live in the page only: again
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill("#code", code);
  await page.fill("#pin", pin);
  await page.click("#status-submit");
  await page.waitForSelector("#progress-view:not([hidden])");
  const later = await counts();
  assert.equal(later.images, fill(en.progress_images, { count: 4 }));
  assert.equal(later.checking, fill(en.progress_checking, { count: 1 }));
  assert.equal(later.found, fill(en.progress_found, { count: 1 }), "the 5 unchecked links are not copies");
  assert.equal(later.removed, fill(en.progress_removed, { count: 1 }));
  assert.deepEqual(problems, []);
  await context.close();
});

test("a stalled server: the report and the status page give up in time, say so, and try again", async () => {
  const { code, pin } = await intake();
  const { context, page, problems } = await newPage();
  await page.clock.install();
  // The first request of each kind stalls (never answered); the next goes through.
  const stalled = { intake: 0, status: 0 };
  let arrived;
  const stalling = () => new Promise((resolve) => { arrived = resolve; });
  for (const [kind, path] of [["intake", "/api/v1/intake"], ["status", "/api/v1/status"]]) {
    await page.route(`${base}${path}`, (route) => {
      if (stalled[kind]++ === 0) return arrived(); // left unanswered
      return route.continue();
    });
  }

  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill("#urls", "https://example.com/stalled");
  let request = stalling();
  await page.click("#submit");
  await request;
  assert.equal(await textOf(page, "#sending"), en.sending);
  await page.clock.runFor(REQUEST_TIMEOUT_MS + 1000);
  await waitText(page, "#form-error", en.error_timeout);
  assert.equal(await textOf(page, "#sending"), "", "no more Sending…");
  assert.ok(await page.isVisible("#retry"));
  assert.equal(await page.inputValue("#urls"), "https://example.com/stalled", "nothing she typed is lost");
  await expectNoSeriousAxeViolations(page, "the report page after a timeout");
  await screenshots(page, "survivor-timeout");
  await page.click("#retry");
  await page.waitForSelector("#receipt-view:not([hidden])");
  assert.equal(stalled.intake, 2);
  await page.click("#receipt-saved");

  await page.goto(`${base}/status.html`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill("#code", code);
  await page.fill("#pin", pin);
  request = stalling();
  await page.click("#status-submit");
  await request;
  await page.clock.runFor(REQUEST_TIMEOUT_MS + 1000);
  await waitText(page, "#status-error", en.error_timeout);
  assert.ok(await page.isEnabled("#status-submit"));
  await page.click("#status-retry");
  await page.waitForSelector("#progress-view:not([hidden])");
  assert.equal(stalled.status, 2);
  assert.deepEqual(problems.filter((p) => !p.includes("Failed to fetch") && !p.includes("aborted")), []);
  await context.close();
});

test("tries left before the PIN wait, and the wait, in words", async () => {
  const { code, pin } = await intake();
  const { context, page } = await newPage();
  await page.goto(`${base}/status.html`);
  await page.waitForSelector('body[data-ready="true"]');
  assert.ok(await page.isVisible("#status-tries-hint"), "said before the first try");
  assert.equal(await textOf(page, "#status-tries-hint"), en.status_tries_hint);
  const wrong = pin === "00000000" ? "11111111" : "00000000";
  const attempt = async (guess, expected) => {
    await page.fill("#code", code);
    await page.fill("#pin", guess);
    await page.click("#status-submit");
    await waitText(page, "#status-error", expected);
  };
  // The server's clock stands still (--clock manual): the waits are exact.
  await attempt(wrong, `${en.status_wrong} ${fill(en.status_tries_left, { count: 2 })}`);
  await attempt(wrong, `${en.status_wrong} ${fill(en.status_tries_left, { count: 1 })}`);
  await attempt(wrong, `${en.status_wrong} ${fill(en.status_wait, { wait: "1 second" })}`);
  await attempt(pin, fill(en.status_locked, { wait: "1 second" }));
  await expectNoSeriousAxeViolations(page, "the status page asking her to wait");
  await screenshots(page, "survivor-wait");
  await (await admin())("/api/v1/admin/clock", "POST", { advance_ms: 2000 });
  await page.click("#status-submit");
  await page.waitForSelector("#progress-view:not([hidden])");
  await context.close();
});

// Every control she can touch that is shown, with its size: buttons, selects, fields, links, and
// for a checkbox or radio button its label (the target, the box itself being small).
async function smallTargets(page) {
  return page.evaluate(() => {
    const targets = [...document.querySelectorAll("button, select, input, textarea, a[href], label.file-button")]
      .map((e) => ((e.type === "checkbox" || e.type === "radio") ? document.querySelector(`label[for="${e.id}"]`) : e))
      .filter((e) => e && e.getClientRects().length && !e.classList.contains("visually-hidden"));
    return targets
      .map((e) => ({ e, r: e.getBoundingClientRect() }))
      .filter(({ r }) => r.width < 44 || r.height < 44)
      .map(({ e, r }) => `${e.tagName.toLowerCase()}#${e.id} "${e.textContent.trim().slice(0, 40)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
  });
}

test("every control on the survivor pages is at least 44 px by 44 px", async () => {
  const { code, pin } = await intake();
  const { context, page, problems } = await newPage({ lang: "zh-HK" });
  const small = {};
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.setInputFiles("#images", [PHOTOS[0]]);
  await page.waitForSelector('body[data-hashing="done"]');
  await page.check("#in-notices-name");
  small.report = await smallTargets(page);
  await page.goto(`${base}/status.html`);
  await page.waitForSelector('body[data-ready="true"]');
  small.status = await smallTargets(page);
  await page.fill("#code", code);
  await page.fill("#pin", pin);
  await page.click("#status-submit");
  await page.waitForSelector("#progress-view:not([hidden])");
  small.progress = await smallTargets(page);
  await page.goto(`${base}/resources.html?j=HK`);
  await page.waitForSelector('body[data-jurisdiction="HK"]');
  small.resources = await smallTargets(page);
  await expectNoSeriousAxeViolations(page, "the resources page");
  assert.deepEqual(small, { report: [], status: [], progress: [], resources: [] });
  assert.deepEqual(problems, []);
  await context.close();
});
