// The dashboard's casework (staff.html) end to end, in Debian's Chromium driven by playwright-core,
// against a real `takedown serve` with its job loop on a manual clock (so deadlines pass when the
// test says), reaching only a loopback "forum" (--no-dns, --fetch-resolve forum.example): a page
// listing two threads that show a copy of her photo. Three cases are reported through
// POST /api/v1/intake; one gets a web-form notice submitted through the API (its deadline runs).
// Through the page: the queue's attention column and its views (waiting on a deadline,
// back online or reposted, overdue once the clock passes the deadline), the shortcuts (/, j, k,
// Enter, a, n, g q, ?) and their help dialog, never while typing; a sighting moved from found to
// removed to back online, "Check now" (queued, then its result after a refresh); a watched source
// added, its crawl's progress, two reposts raised (evidence: HTTP status, match distance), one
// confirmed and one dismissed; "Crawl now", a source paused and resumed, watching paused and
// resumed, the source removed. axe-core on the queue, the case view and the dialog; screenshots
// at 1280 and 360 px. Settings from the environment as for browser.test.mjs.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  expectNoSeriousAxeViolations, fill, launchChromium, ORGANISATION_ARGS, screenshots, shared, staffApiClient, startServer, translations,
} from "./harness.mjs";

const en = translations("en");
const pdq = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
const photo = readFileSync(join(shared, "testdata/pdq/bridge-mods/shrink-a-lot.jpg"));

let server, base, adminPassword, browser, forum, site;

before(async () => {
  // The forum: a listing with two threads, each showing a copy of her photo.
  forum = createServer((req, res) => {
    const pages = {
      "/new": "<title>New</title><a href=/t/2>two</a> <a href=/t/3>three</a>",
      "/t/2": "<title>Two</title><img src=/img/2.jpg>",
      "/t/3": "<title>Three</title><img src=/img/3.jpg>",
    };
    if (/^\/img\/\d\.jpg$/.test(req.url)) {
      res.writeHead(200, { "Content-Type": "image/jpeg" }).end(photo);
    } else if (pages[req.url]) {
      res.writeHead(200, { "Content-Type": "text/html" }).end(pages[req.url]);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => forum.listen(0, "127.0.0.1", resolve));
  site = `http://forum.example:${forum.address().port}`;
  server = await startServer({
    name: "casework",
    page: "staff.html",
    worker: true,
    args: ["--clock", "manual", "--clock-start", "2026-03-02T09:00:00Z",
           "--no-dns", "--fetch-allow", "127.0.0.0/8", "--fetch-resolve", "forum.example=127.0.0.1",
           ...ORGANISATION_ARGS],
  });
  ({ base, adminPassword } = server);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.stop();
  forum?.close();
});

// The staff API from the test itself (as a second browser would): the admin's session.
const apiSession = () => staffApiClient(base).as("admin", adminPassword);

async function report(urls) {
  const res = await fetch(`${base}/api/v1/intake`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      images: [{ pdq, quality: 100, kind: "image" }], urls,
      jurisdiction: "US", language: "en", consent_share: false, authorise: true, in_notices: "none",
    }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()).code;
}

test("a caseworker works the queue's views, a case's sightings and its watched sources, with shortcuts", async () => {
  const waitingCode = await report(["https://www.instagram.com/p/WaitIng123/"]);
  const backCode = await report(["https://www.instagram.com/p/BackAgain45/"]);
  const watchCode = await report([]);
  let api = await apiSession();
  const ids = Object.fromEntries((await api("/api/v1/cases?limit=10")).cases.map((c) => [c.code, c.id]));
  // A web-form notice for the first case, filled in on the platform's form: its deadline runs.
  const [notice] = await api(`/api/v1/cases/${ids[waitingCode]}/notices`, "POST", {}).then((r) => r.notices);
  await api(`/api/v1/notices/${notice.id}/approve`, "POST");
  await api(`/api/v1/notices/${notice.id}/submitted`, "POST");

  const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => m.type() === "error" && !/status of 40[19]/.test(m.text()) && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  const requests = [];
  context.on("request", (r) => requests.push(r.url()));
  const text = (selector) => page.textContent(selector);
  const waitText = (selector, expected) =>
    page.waitForFunction(([s, t]) => document.querySelector(s)?.textContent === t, [selector, expected]);
  const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent);

  const logIn = async () => {
    await page.waitForSelector("#login-view:not([hidden])");
    await page.fill("#username", "admin");
    await page.fill("#password", adminPassword);
    await page.press("#password", "Enter");
    await page.waitForSelector("#queue-rows tr[data-code]");
  };
  await page.goto(`${base}/staff.html`);
  await page.waitForSelector('body[data-ready="true"]');
  await logIn();
  const row = (code) => `#queue-rows tr[data-code="${code}"]`;
  const view = async (attention, codes) => {
    await page.selectOption("#filter-attention", attention);
    await page.click("#filter-apply");
    const status = codes.length ? fill(en.staff_queue_count, { count: codes.length }) : en.staff_queue_empty;
    await waitText("#queue-status", status);
    if (codes.length) {
      assert.deepEqual(await page.$$eval("#queue-rows tr[data-code]", (r) => r.map((x) => x.dataset.code)), codes, attention);
    }
  };

  // The queue says what each case needs: the first waits on its notice's deadline (48 hours).
  assert.equal(await text(`${row(waitingCode)} [data-att="deadline"] time`),
    await page.evaluate(() => new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" }).format(new Date("2026-03-04T09:00:00Z"))));
  assert.equal(await text(`${row(backCode)} td[data-count="attention"]`), en.cw_att_none);
  await view("waiting", [waitingCode]);
  await view("overdue", []);
  await view("reappeared", []);
  await view("", [watchCode, backCode, waitingCode]);
  await expectNoSeriousAxeViolations(page, "the queue with its attention column");

  // Shortcuts: "/" to the search box, where letters are typed, not taken as shortcuts.
  await page.locator("#queue-title").focus();
  await page.keyboard.press("/");
  assert.equal(await focused(), "filter-q");
  await page.keyboard.type("jk");
  assert.equal(await page.inputValue("#filter-q"), "jk");
  assert.equal(await focused(), "filter-q");
  await page.fill("#filter-q", "");
  await page.locator("#queue-title").focus();
  await page.keyboard.press("Control+j"); // a modifier: nothing
  assert.equal(await focused(), "queue-title");
  await page.keyboard.press("j");
  assert.equal(await focused(), watchCode);
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await page.keyboard.press("k");
  assert.equal(await focused(), backCode);
  assert.equal(await page.getAttribute(row(backCode), "class"), "selected");
  await page.keyboard.press("Enter");
  await waitText("#case-title", fill(en.staff_case_title, { code: backCode }));

  // In the case: "a" assigns it to me, "n" goes to a new note, "g q" back to the queue.
  await page.locator("#case-title").focus();
  await page.keyboard.press("a");
  await waitText("#case-msg", en.staff_assigned_msg);
  await page.locator("#case-title").focus();
  await page.keyboard.press("n");
  assert.equal(await focused(), "note-text");
  await page.keyboard.type("ga"); // typed into the note, not "go" or "assign"
  assert.equal(await page.inputValue("#note-text"), "ga");
  await page.fill("#note-text", "");

  // A sighting: found -> removed -> back online, each move offered only where the domain allows.
  const sighting = "#sightings li[data-sighting-id]";
  assert.deepEqual(await page.$$eval(`${sighting} select[data-role="move-to"] option`, (o) => o.map((x) => x.value)),
    ["notified", "removed", "dismissed"]);
  await page.selectOption(`${sighting} select[data-role="move-to"]`, "removed");
  await page.click(`${sighting} button[data-action="move"]`);
  await page.waitForSelector(`${sighting}[data-state="removed"]`);
  assert.deepEqual(await page.$$eval(`${sighting} select[data-role="move-to"] option`, (o) => o.map((x) => x.value)), ["reappeared"]);
  await page.click(`${sighting} button[data-action="move"]`);
  await page.waitForSelector(`${sighting}[data-state="reappeared"]`);
  assert.equal(await text(`${sighting} .badge`), en.staff_state_reappeared);
  assert.match(await text("#sightings-status"), new RegExp(en.staff_state_reappeared));

  // Check now: queued, and said so under the sighting until a newer check is recorded. While the
  // case's watching is paused the worker leaves the check alone; resuming queues it again, and a
  // refresh shows what it saw (instagram.com cannot be resolved here). A minute passes first: on
  // the manual clock the check at intake and this one would otherwise carry the same time.
  await api(`/api/v1/cases/${ids[backCode]}/watch`, "POST", { paused: true });
  await api("/api/v1/admin/clock", "POST", { advance_ms: 60_000 });
  const checkedBefore = await text(`${sighting} .checked`);
  await page.click(`${sighting} button[data-action="check"]`);
  await page.waitForSelector(`${sighting} .check-queued`);
  assert.equal(await page.getAttribute("#sightings-status", "data-key"), "cw_check_queued");
  await page.click("#crawl-refresh");
  await waitText("#watch-status", en.cw_crawl_refreshed);
  assert.ok(await page.$(`${sighting} .check-queued`), "still queued while watching is paused");
  await api(`/api/v1/cases/${ids[backCode]}/watch`, "POST", { paused: false });
  for (let i = 0; i < 100 && (await page.$(`${sighting} .check-queued`)); i++) {
    await page.waitForTimeout(100);
    await page.click("#crawl-refresh");
    await waitText("#watch-status", en.cw_crawl_refreshed);
  }
  assert.notEqual(await text(`${sighting} .checked`), checkedBefore);
  assert.equal(await page.$(`${sighting} .check-queued`), null, "the result replaced the queued line");
  assert.equal(await text(`${sighting} [data-evidence="verdict"] dd`), en.cw_verdict_unreachable);
  assert.match(await text(`${sighting} .checked`), /^last checked /);

  // "g q": back to the queue; the case is back online.
  await page.locator("#case-title").focus();
  await page.keyboard.press("g");
  await page.keyboard.press("q");
  await page.waitForSelector("#queue-view:not([hidden])");
  await view("reappeared", [backCode]);
  assert.equal(await text(`${row(backCode)} [data-att="reappeared"]`), fill(en.cw_att_reappeared, { count: 1 }));

  // "?": the shortcuts, in a modal dialog; Escape closes it and focus comes back.
  await page.locator("#queue-title").focus();
  await page.keyboard.press("Shift+?");
  await page.waitForSelector("#keys-help[open]");
  assert.equal(await page.$$eval("#keys-list dt", (d) => d.length), 8);
  assert.equal(await text('#keys-list [data-keys="g q"] dd'), en.keys_queue);
  await page.keyboard.press("j"); // no shortcut while the dialog is open
  assert.equal(await page.$("#queue-rows tr.selected"), null);
  await expectNoSeriousAxeViolations(page, "the shortcuts dialog");
  await screenshots(page, "casework-keys");
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !document.querySelector("#keys-help").open);
  assert.equal(await focused(), "queue-title");

  // The third case: watch the forum's listing; its crawl raises the two threads as reposts.
  await view("", [watchCode, backCode, waitingCode]);
  await page.click(`${row(watchCode)} a`);
  await waitText("#case-title", fill(en.staff_case_title, { code: watchCode }));
  assert.equal(await text("#sources li"), en.cw_sources_none);
  assert.equal(await text("#watch-state"), en.cw_watch_on);
  await page.click("#source-add summary"); // the form to watch a source is folded away until asked for
  await page.fill("#source-url", `${site}/new`);
  await page.fill("#source-every", "6");
  await page.click("#source-submit");
  await waitText("#watch-status", fill(en.cw_source_added, { url: `${site}/new` }));
  const repost = `${sighting}[data-review="true"]`;
  // Until the crawl has finished: its two reposts shown, the source's last crawl recorded (after the
  // reposts' events) and its job done.
  const crawled = async () =>
    (await page.$$(repost)).length >= 2 &&
    / 2 reposts$/.test(await text('#sources li [data-role="crawled"]')) &&
    Number(await text('#crawl-progress [data-crawl="done"] dd')) >= 1;
  for (let i = 0; i < 150 && !(await crawled()); i++) {
    await page.waitForTimeout(100);
    await page.click("#crawl-refresh");
    await waitText("#watch-status", en.cw_crawl_refreshed);
  }
  assert.equal((await page.$$(repost)).length, 2);
  assert.ok(Number(await text('#crawl-progress [data-crawl="done"] dd')) >= 1);
  assert.equal(await text('#crawl-progress [data-crawl="failed"] dd'), "0");
  assert.match(await text('#sources li [data-role="crawled"]'), /^Last crawled .*: 3 pages, 2 reposts$/);
  assert.equal(await text(`${repost} [data-evidence="http_status"] dd`), "200");
  assert.match(await text(`${repost} [data-evidence="distance"] dd`), /^\d+ of 256 bits/);
  assert.equal(await text(`${repost} .badge.review`), en.cw_repost_badge);
  assert.equal(await text('#timeline li[data-action="sighting.repost"] .actor'), en.cw_actor_discovery);
  assert.equal(await text('#timeline li[data-action="sighting.repost"] .action'), en.cw_ev_sighting_repost);
  assert.equal(await text('#timeline li[data-action="source.added"] .action'), en.cw_ev_source_added);
  await expectNoSeriousAxeViolations(page, "the case view with reposts and a watched source");
  await screenshots(page, "casework-case");

  // Every opening is audited; openings in a row by the same person are one timeline line. Three
  // openings now that the crawl has finished (nothing else is written to the case meanwhile), each
  // waited for until the case is shown; the timeline, asked for after the case was read, has them.
  for (let i = 0; i < 3; i++) {
    await page.reload();
    await page.waitForSelector(`#case-view[data-case="${ids[watchCode]}"]`);
  }
  const lines = await page.$$eval("#timeline li[data-action]", (li) =>
    li.map((l) => [l.dataset.action, l.querySelector(".actor")?.textContent, l.querySelector(".repeat")?.textContent ?? ""]));
  for (let i = 1; i < lines.length; i++) {
    const [a, b] = [lines[i - 1], lines[i]];
    assert.ok(!(a[0] === "case.read" && b[0] === "case.read" && a[1] === b[1]), `openings in a row: ${JSON.stringify(lines)}`);
  }
  assert.equal(lines[0][0], "case.read");
  const repeated = lines[0][2].match(/^\((\d+) times since .+\)$/);
  assert.ok(repeated && Number(repeated[1]) >= 3, `the newest line counts the openings: ${JSON.stringify(lines[0])}`);

  // The queue counts them as reposted.
  await page.click("#back");
  await view("reappeared", [watchCode, backCode]);
  assert.equal(await text(`${row(watchCode)} [data-att="reposts"]`), fill(en.cw_att_reposts, { count: 2 }));
  await screenshots(page, "casework-queue");
  await page.click(`${row(watchCode)} a`);
  await page.waitForSelector(`#case-view[data-case="${ids[watchCode]}"]`);
  await page.waitForSelector(repost);

  // Confirm the first; dismiss the second (after the browser's confirmation).
  const [first, second] = await page.$$eval(repost, (r) => r.map((x) => x.dataset.sightingId));
  await page.click(`li[data-sighting-id="${first}"] button[data-action="confirm"]`);
  await page.waitForSelector(`li[data-sighting-id="${first}"][data-review="false"]`);
  assert.equal(await page.getAttribute("#sightings-status", "data-key"), "cw_confirmed");
  page.once("dialog", (d) => d.accept());
  await page.click(`li[data-sighting-id="${second}"] button[data-action="dismiss"]`);
  await page.waitForSelector(`li[data-sighting-id="${second}"][data-state="dismissed"]`);
  assert.equal(await page.$(`li[data-sighting-id="${second}"] button[data-action="check"]`), null);

  // Crawl now; pause and resume the source; pause watching (no crawling then) and resume it.
  await page.click("#crawl-now");
  await waitText("#watch-status", fill(en.cw_crawl_started, { count: 1 }));
  const source = "#sources li[data-source-id]";
  await page.click(`${source} button[data-action="pause"]`);
  await page.waitForSelector(`${source}[data-paused="true"]`);
  await page.click("#crawl-now");
  await waitText("#watch-status", en.cw_crawl_nothing);
  await page.click(`${source} button[data-action="resume"]`);
  await page.waitForSelector(`${source}[data-paused="false"]`);
  await page.click("#watch-toggle");
  await waitText("#watch-state", en.cw_watch_paused);
  assert.ok(await page.isDisabled("#crawl-now"));
  await page.click("#watch-toggle");
  await waitText("#watch-state", en.cw_watch_on);
  assert.ok(!(await page.isDisabled("#crawl-now")));
  page.once("dialog", (d) => d.accept());
  await page.click(`${source} button[data-action="remove"]`);
  await waitText("#sources li", en.cw_sources_none);

  const crawl = await api(`/api/v1/cases/${ids[watchCode]}/crawl`);
  assert.equal(crawl.sources.length, 0);
  const detail = await api(`/api/v1/cases/${ids[watchCode]}`);
  assert.deepEqual(detail.sightings.map((s) => [s.state, s.needs_review]).sort(), [["dismissed", true], ["found", false]]);
  // Every view of the case's sources and crawl is itself audited (case.read), so the window is wide.
  const events = (await api(`/api/v1/cases/${ids[watchCode]}/events?limit=1000`)).events.map((e) => e.action);
  for (const action of ["source.added", "sighting.repost", "sighting.confirmed", "case.crawl_asked", "source.paused",
                        "source.resumed", "case.watch_paused", "case.watch_resumed", "source.deleted"]) {
    assert.ok(events.includes(action), `${action} in ${events}`);
  }

  // Two days later the first case's deadline has passed: overdue. (The sessions lasted 12 hours.)
  await api("/api/v1/admin/clock", "POST", { advance_ms: 49 * 3600 * 1000 });
  await page.goto(`${base}/staff.html`);
  await logIn();
  await view("overdue", [waitingCode]);
  assert.equal(await text(`${row(waitingCode)} [data-att="overdue"]`), fill(en.cw_att_overdue, { count: 1 }));
  await view("waiting", []);
  api = await apiSession();
  const overdue = await api("/api/v1/cases?attention=overdue");
  assert.deepEqual(overdue.cases.map((c) => [c.code, c.attention.overdue, c.attention.next_deadline]), [[waitingCode, 1, null]]);

  for (const url of requests) assert.ok(url.startsWith(base), `a request left the server: ${url}`);
  assert.deepEqual(problems, []);
  await context.close();
});
