// The caseworker dashboard (staff.html) end to end, in Debian's Chromium driven by playwright-core,
// against a real `takedown serve --static web/dist --no-worker` (nothing is fetched or sent) on a
// free loopback port with a throw-away data folder and an organisation profile, so notices can be
// complete. A case is reported through POST /api/v1/intake (Instagram and Telegram addresses, US,
// authorised); the admin logs in through the page (keyboard only), finds the case in the queue
// with the filters, opens it, assigns it to itself, adds a note, pastes a new and an invalid
// address and sees each line's result, drafts notices, cancels the X draft (confirm dialog),
// approves the Instagram web-form notice, copies its text and marks it submitted, approves the
// Telegram email notice, reads the timeline, and the staff API confirms the states; then finds the
// case under "mine", closes it and sees it leave the open queue. The dossier link and the
// statistics view ([c] for what the server withholds, the CSV link) are checked, and the admin turns
// automatic sending on and off. axe-core runs on the queue, the case view and the statistics view;
// screenshots at 1280 and 360 px.
// Settings from the environment as for browser.test.mjs (web/CMakeLists.txt sets them).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  expectNoSeriousAxeViolations, fill, launchChromium, ORGANISATION_ARGS, screenshots, startServer, translations,
} from "./harness.mjs";

const en = translations("en");
const ms = translations("ms");

let server, base, adminPassword, browser;

// What a same-origin link of the page gets, with the page's session cookie (as a download would).
async function fetchFromPage(href) {
  const res = await fetch(href, { credentials: "same-origin" });
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: (await res.text()).slice(0, 300) };
}

before(async () => {
  server = await startServer({
    name: "dashboard",
    page: "staff.html",
    args: ORGANISATION_ARGS,
  });
  ({ base, adminPassword } = server);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test("a caseworker logs in, takes a case, adds addresses and a note, decides its notices and closes it", async () => {
  // A report, as the survivor page would send it.
  const pdq = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  const intake = await fetch(`${base}/api/v1/intake`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      images: [{ pdq, quality: 100, kind: "image" }],
      urls: ["https://www.instagram.com/p/CxAmPlE123/", "https://t.me/leakchannel/42"],
      jurisdiction: "US", language: "en", consent_share: false, authorise: true, in_notices: "none",
    }),
  });
  assert.equal(intake.status, 201, await intake.clone().text());
  const { code } = await intake.json();

  const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  const page = await context.newPage();
  const problems = [];
  // The page asks GET /api/v1/me for an existing session first; without one that is a 401.
  page.on("console", (m) => m.type() === "error" && !/status of 401/.test(m.text()) && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  const requests = [];
  context.on("request", (r) => requests.push(r));

  // Log in with the keyboard alone.
  const first = await page.goto(`${base}/staff.html`);
  assert.match(first.headers()["content-security-policy"], /default-src 'none'/);
  await page.waitForSelector('body[data-ready="true"]');
  assert.ok(await page.isVisible("#login-view"));
  assert.equal(await page.title(), en.staff_page_title);
  await page.focus("#username");
  await page.keyboard.type("admin");
  await page.keyboard.press("Tab");
  await page.keyboard.type("not the password");
  await page.keyboard.press("Enter");
  await page.waitForFunction((text) => document.querySelector("#login-error")?.textContent === text, en.staff_login_wrong);
  await page.fill("#password", "");
  await page.focus("#password");
  await page.keyboard.type(adminPassword);
  await page.keyboard.press("Enter");

  // The queue (open cases by default), then the filters.
  const row = `#queue-rows tr[data-code="${code}"]`;
  await page.waitForSelector(row);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "queue-title");
  assert.equal(await page.textContent(`${row} td[data-count="urls_found"]`), "2");
  assert.equal(await page.textContent(`${row} td[data-count="removed"]`), "0");
  assert.equal(await page.textContent(`${row} a`), code);
  assert.equal(await page.textContent("#who"), fill(en.staff_signed_in_as, { name: "admin" }));
  await expectNoSeriousAxeViolations(page, "the case queue");
  await screenshots(page, "dashboard-queue");

  const applyFilters = async (assigned, q, count) => {
    await page.selectOption("#filter-assigned", assigned);
    await page.fill("#filter-q", q);
    await page.click("#filter-apply");
    const text = count ? fill(en.staff_queue_count, { count }) : en.staff_queue_empty;
    await page.waitForFunction((t) => document.querySelector("#queue-status")?.textContent === t, text);
  };
  await applyFilters("me", "", 0); // nobody is assigned yet
  await applyFilters("none", code.slice(0, 5).toLowerCase(), 1);
  await applyFilters("", "TD-ZZZZZZZ", 0);
  await applyFilters("", code, 1);

  // The language switch re-renders what code wrote.
  await page.selectOption("#lang", "ms");
  assert.equal(await page.textContent("#queue-status"), fill(ms.staff_queue_count, { count: 1 }));
  await page.selectOption("#lang", "en");

  // The case.
  await page.click(`${row} a`);
  await page.waitForFunction((t) => document.querySelector("#case-title")?.textContent === t, fill(en.staff_case_title, { code }));
  assert.match(page.url(), /\/staff\.html\?case=\d+/);
  const caseId = Number(new URL(page.url()).searchParams.get("case"));
  assert.deepEqual(await page.$$eval("#hashes code.hex", (c) => c.map((x) => x.textContent)), [pdq]);
  assert.deepEqual(
    await page.$$eval("#sightings section[data-platform]", (s) => s.map((x) => x.dataset.platform)),
    ["instagram", "telegram"],
  );
  assert.equal(await page.textContent('#sightings section[data-platform="telegram"] .badge'), en.staff_state_found);

  // Assign it to me; add a note.
  assert.equal(await page.textContent('#case-facts [data-fact="assigned"] dd'), en.staff_assigned_nobody);
  await page.click("#assign-toggle");
  await page.waitForFunction((t) => document.querySelector('#case-facts [data-fact="assigned"] dd')?.textContent === t,
    fill(en.staff_assigned_you, { name: "admin" }));
  assert.equal(await page.textContent("#assign-toggle"), en.staff_unassign);
  assert.equal(await page.textContent("#case-msg"), en.staff_assigned_msg);
  const note = "Called her back on Tuesday <b>not bold</b>";
  await page.fill("#note-text", note);
  await page.click("#note-submit");
  await page.waitForSelector("#notes li[data-note-id]");
  assert.equal(await page.textContent("#notes li[data-note-id] .note-text"), note);
  assert.equal(await page.$("#notes b"), null);
  assert.equal(await page.textContent("#note-status"), en.staff_note_added);
  assert.equal(await page.inputValue("#note-text"), "");

  // Paste two addresses: one new, one not an address.
  await page.fill("#urls-text", "https://x.com/someone/status/1234567890\nnot an address");
  await page.click("#urls-submit");
  await page.waitForSelector('#url-results li[data-line="2"]');
  assert.equal(await page.textContent("#urls-summary"), fill(en.staff_urls_result, { added: 1, rejected: 1 }));
  assert.equal(await page.getAttribute('#url-results li[data-line="1"]', "data-ok"), "true");
  assert.equal(await page.textContent('#url-results li[data-line="1"] .meta'), fill(en.staff_url_added, { line: 1, platform: "x" }));
  assert.equal(await page.getAttribute('#url-results li[data-line="2"]', "data-ok"), "false");
  assert.match(await page.textContent('#url-results li[data-line="2"] .meta'), /^Line 2: .+/);
  await page.waitForSelector('#sightings section[data-platform="x"]');
  // A pasted link that matched none of her images waits for a caseworker's word (issue 21).
  const confirmX = '#sightings section[data-platform="x"] button[data-action="confirm"]';
  await page.click(confirmX);
  await page.waitForSelector(confirmX, { state: "detached" });

  // Draft notices; the Instagram one is a web form with nothing missing.
  await page.click("#draft-notices");
  const instagram = 'article[data-recipient="instagram"]';
  const telegram = 'article[data-recipient="telegram"]';
  await page.waitForSelector(instagram);
  assert.equal(await page.getAttribute(instagram, "data-channel"), "web_form");
  assert.equal(await page.getAttribute(instagram, "data-state"), "draft");
  assert.ok(await page.isVisible(`${instagram} [data-complete="true"]`), await page.textContent(instagram));
  assert.ok(await page.isVisible(`${telegram} [data-complete="true"]`), await page.textContent(telegram));
  const instagramText = await page.textContent(`${instagram} pre.notice-text`);
  assert.match(instagramText, /Safe Harbour Support/);
  assert.match(instagramText, /instagram\.com\/p\/CxAmPlE123/);
  // Cancel the X draft, after a confirmation.
  const x = 'article[data-recipient="x"]';
  assert.equal(await page.getAttribute(x, "data-state"), "draft");
  let asked = "";
  page.once("dialog", (d) => {
    asked = d.message();
    void d.accept();
  });
  await page.click(`${x} button[data-action="cancel"]`);
  await page.waitForSelector(`${x}[data-state="cancelled"]`);
  assert.equal(asked, fill(en.staff_notice_cancel_confirm, { recipient: "x" }));
  assert.equal(await page.textContent("#notices-status"), en.staff_notice_cancelled_msg);
  assert.equal(await page.$(`${x} button[data-action="cancel"]`), null);
  await expectNoSeriousAxeViolations(page, "the case view");
  await screenshots(page, "dashboard-case");

  // Approve, copy, mark submitted (with the keyboard for the approval).
  await page.focus(`${instagram} button[data-action="approve"]`);
  await page.keyboard.press("Enter");
  await page.waitForSelector(`${instagram}[data-state="approved"]`);
  assert.equal(await page.textContent("#notices-status"), en.staff_notice_approved_msg);
  await page.click(`${instagram} button[data-action="copy"]`);
  await page.waitForFunction((t) => document.querySelector("#notices-status")?.textContent === t, en.staff_notice_copied);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), instagramText);
  await page.click(`${instagram} button[data-action="submitted"]`);
  await page.waitForSelector(`${instagram}[data-state="submitted"]`);
  assert.equal(await page.textContent("#notices-status"), en.staff_notice_submitted_msg);
  // The Telegram notice goes by email: approving queues it for sending (no worker runs here).
  await page.click(`${telegram} button[data-action="approve"]`);
  await page.waitForSelector(`${telegram}[data-state="approved"]`);
  assert.equal(await page.$(`${telegram} button[data-action="submitted"]`), null);
  assert.ok(await page.isVisible(`${telegram} button[data-action="send-again"]`));
  assert.ok(await page.isVisible(`${telegram} button[data-action="cancel"]`));
  // The timeline, newest first, has the approvals and who did them.
  const timeline = await page.$$eval("#timeline li[data-action]", (li) =>
    li.map((x) => [x.dataset.action, x.querySelector(".actor").textContent, x.querySelector(".action").textContent]));
  assert.deepEqual(timeline.find(([a]) => a === "notice.approved"), ["notice.approved", "admin", en.staff_ev_notice_approved]);
  assert.deepEqual(timeline.find(([a]) => a === "case.created"), ["case.created", en.staff_actor_survivor, en.staff_ev_case_created]);
  assert.ok(timeline.findIndex(([a]) => a === "notice.approved") < timeline.findIndex(([a]) => a === "case.created"), JSON.stringify(timeline));
  await screenshots(page, "dashboard-case-decided");

  // What the server holds.
  const login = await fetch(`${base}/api/v1/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "admin", password: adminPassword }),
  });
  const cookie = login.headers.get("set-cookie").split(";")[0];
  const { notices } = await (await fetch(`${base}/api/v1/cases/${caseId}/notices`, { headers: { Cookie: cookie } })).json();
  const state = Object.fromEntries(notices.map((n) => [n.recipient, n.state]));
  assert.equal(state.instagram, "submitted", JSON.stringify(state));
  assert.equal(state.telegram, "approved", JSON.stringify(state));
  assert.equal(state.x, "cancelled", JSON.stringify(state));
  const detail = await (await fetch(`${base}/api/v1/cases/${caseId}`, { headers: { Cookie: cookie } })).json();
  assert.deepEqual(detail.sightings.map((s) => s.platform).sort(), ["instagram", "telegram", "x"]);
  console.log(`notices: ${JSON.stringify(state)}`);

  // The regulator dossier link downloads the case's dossier as HTML, with the page's session.
  const dossierHref = await page.getAttribute("#dossier-link", "href");
  assert.equal(dossierHref, `/api/v1/cases/${caseId}/dossier?format=html`);
  assert.equal(await page.getAttribute("#dossier-link", "download"), "");
  const dossier = await page.evaluate(fetchFromPage, dossierHref);
  assert.equal(dossier.status, 200, dossier.text);
  assert.match(dossier.type, /^text\/html/);

  // A reload keeps the session (the cookie) and reads the CSRF token back from /api/v1/me.
  await page.reload();
  await page.waitForFunction((t) => document.querySelector("#case-title")?.textContent === t, fill(en.staff_case_title, { code }));
  await page.click("#back");
  await page.waitForSelector(row);
  // Mine now; closing it takes it out of the open queue.
  await applyFilters("me", code, 1);
  await page.click(`${row} a`);
  await page.waitForFunction((t) => document.querySelector("#case-title")?.textContent === t, fill(en.staff_case_title, { code }));
  await page.click("#status-toggle");
  await page.waitForFunction((t) => document.querySelector('#case-facts [data-fact="status"] dd')?.textContent === t, en.staff_status_closed);
  assert.equal(await page.textContent("#status-toggle"), en.staff_reopen_case);
  assert.equal(await page.textContent("#case-msg"), en.staff_closed_msg);
  await page.waitForSelector('#timeline li[data-action="case.status"]');
  assert.equal(await page.textContent('#timeline li[data-action="case.status"] .action'), en.staff_ev_case_closed);
  await page.click("#back");
  await page.waitForSelector("#queue-view:not([hidden])");
  await applyFilters("", code, 0); // open cases only
  await page.selectOption("#filter-status", "closed");
  await applyFilters("me", code, 1);

  // Statistics for a period around today: one case, so the server withholds it (k = 5) as null
  // and the page shows "[c]" with the footnote.
  await page.click("#stats-link");
  await page.waitForSelector("#stats-view:not([hidden])");
  assert.match(page.url(), /\/staff\.html\?view=stats/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "stats-title");
  const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const [from, to] = [day(-1), day(2)];
  await page.fill("#stats-from", from);
  await page.fill("#stats-to", to);
  await page.click("#stats-show");
  await page.waitForFunction((t) => document.querySelector("#stats-status")?.textContent === t, fill(en.staff_stats_shown, { from, to }));
  const stats = await (await fetch(`${base}/api/v1/stats?from=${from}&to=${to}&format=json`, { headers: { Cookie: cookie } })).json();
  assert.equal(stats.totals.cases, null, JSON.stringify(stats.totals));
  assert.equal(await page.textContent('#stats-totals [data-fact="cases"] dd'), stats.totals.cases === null ? "[c]" : String(stats.totals.cases));
  assert.equal(await page.textContent("#stats-footnote"), fill(en.staff_stats_footnote, { max: stats.k - 1 }));
  assert.equal(
    await page.$$eval("#stats-platform-rows tr", (rows) => rows.length),
    stats.platforms.length,
  );
  const csvHref = await page.getAttribute("#stats-csv", "href");
  assert.equal(csvHref, `/api/v1/stats?from=${from}&to=${to}&format=csv`);
  assert.equal(await page.getAttribute("#stats-pdf", "href"), `/api/v1/stats?from=${from}&to=${to}&format=pdf&language=en`);
  const csv = await page.evaluate(fetchFromPage, csvHref);
  assert.equal(csv.status, 200, csv.text);
  assert.match(csv.type, /^text\/csv/);
  // Settings (the admin sees them): sending automatically, on and off again, as the server says.
  assert.ok(await page.isVisible("#settings-section"));
  const settingsNow = async () =>
    (await (await fetch(`${base}/api/v1/settings`, { headers: { Cookie: cookie } })).json()).send_automatically;
  await page.waitForFunction(() => document.querySelector("#settings-status")?.textContent === "");
  assert.equal(await page.isChecked("#send-automatically"), await settingsNow());
  assert.equal(await settingsNow(), false);
  await page.check("#send-automatically");
  await page.waitForFunction((t) => document.querySelector("#settings-status")?.textContent === t, en.staff_settings_on);
  assert.equal(await settingsNow(), true);
  await expectNoSeriousAxeViolations(page, "the statistics view");
  await screenshots(page, "dashboard-stats");
  await page.uncheck("#send-automatically");
  await page.waitForFunction((t) => document.querySelector("#settings-status")?.textContent === t, en.staff_settings_off);
  assert.equal(await settingsNow(), false);
  await page.click("#stats-back");
  await page.waitForSelector("#queue-view:not([hidden])");

  await page.click("#logout");
  await page.waitForSelector("#login-view:not([hidden])");

  for (const r of requests) assert.equal(new URL(r.url()).origin, base, `only same-origin requests: ${r.url()}`);
  assert.deepEqual(problems, []);
  await context.close();
});
