// The dashboard's admin view and platform pages (staff.html?view=admin, ?view=platforms,
// ?platform=<id>) end to end, in Debian's Chromium driven by playwright-core, against a real
// `takedown serve --no-worker` on the manual clock with an organisation profile. Seeded through the
// API: a case with an Instagram address, its web-form notice approved and submitted, and the copy
// removed 5 hours later. The admin logs in through the page, adds a caseworker (the first password
// made by the page and shown once), and the caseworker logs in from a second browser: no admin
// link, the admin view says it is for administrators, and the server refuses her the admin API.
// The admin makes a partner key (shown once, copied with the button), which pulls the hash feed,
// then revokes it and it is refused; disables the caseworker (her session ends) and enables her
// again. The platform list and Instagram's page show the routes from GET /api/v1/platforms and the
// history from GET /api/v1/stats ("[c]" where the server withholds a small count). axe-core on
// each view; screenshots at 1280 and 360 px.
// Settings from the environment as for dashboard.test.mjs (web/CMakeLists.txt sets them).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  expectNoSeriousAxeViolations, fill, launchChromium, logInToDashboard, newStaffPage, ORGANISATION_ARGS, screenshots, staffApiClient,
  startServer, textIs, translations,
} from "./harness.mjs";

const en = translations("en");
const zh = translations("zh-Hant");

let server, base, adminPassword, browser;
// The staff API outside the browser (harness.mjs), set once the server is up.
let apiLogin, api, ok;

// The clock starts a day ago, so the history falls in the pages' "last 12 months".
const start = new Date(Date.now() - 24 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, "Z");

before(async () => {
  server = await startServer({
    name: "admin",
    page: "staff.html",
    args: ["--clock", "manual", "--clock-start", start,
           ...ORGANISATION_ARGS],
  });
  ({ base, adminPassword } = server);
  ({ login: apiLogin, call: api, ok } = staffApiClient(base));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

// A case with an Instagram copy, its notice sent (submitted through the web form) and the copy
// removed 5 hours later.
async function seedHistory(admin) {
  await ok(await fetch(`${base}/api/v1/intake`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      images: [{ pdq: "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22", quality: 100, kind: "image" }],
      urls: ["https://www.instagram.com/p/PlatformPage1/"],
      jurisdiction: "US", language: "en", consent_share: true, authorise: true, in_notices: "none",
    }),
  }), 201);
  const [c] = (await ok(await api(admin, "/api/v1/cases"))).cases;
  const { notices } = await ok(await api(admin, `/api/v1/cases/${c.id}/notices`, "POST", {}), 201);
  const notice = notices.find((n) => n.channel === "web_form");
  assert.ok(notice, JSON.stringify(notices));
  await ok(await api(admin, `/api/v1/notices/${notice.id}/approve`, "POST"), 204);
  await ok(await api(admin, `/api/v1/notices/${notice.id}/submitted`, "POST"), 204);
  await ok(await api(admin, "/api/v1/admin/clock", "POST", { advance_ms: 5 * 3600 * 1000 }));
  const detail = await ok(await api(admin, `/api/v1/cases/${c.id}`));
  await ok(await api(admin, `/api/v1/sightings/${detail.sightings[0].id}/state`, "POST", { state: "removed" }), 204);
}

const newPage = (problems) => newStaffPage(browser, base, problems);
const logIn = (page, username, password) => logInToDashboard(page, base, username, password);

test("an admin looks after accounts and partner keys; caseworkers cannot", async () => {
  const problems = [];
  const { page } = await newPage(problems);
  await logIn(page, "admin", adminPassword);
  assert.ok(await page.isVisible("#admin-link"));
  await page.click("#admin-link");
  await page.waitForSelector('#users-rows tr[data-username="admin"]');
  assert.match(page.url(), /view=admin/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "admin-title");
  assert.equal(await page.textContent('#users-rows tr[data-username="admin"] td:first-child'), fill(en.adm_you, { name: "admin" }));
  assert.ok(await page.isDisabled('#users-rows tr[data-username="admin"] button'), "no disabling oneself");
  assert.ok(await page.isVisible("#partners-none"));

  // A caseworker with a first password made by the page, shown once.
  await page.fill("#new-username", "casey");
  await page.selectOption("#new-role", "caseworker");
  await page.click("#user-submit");
  await textIs(page, "#user-form-status", fill(en.adm_user_created, { name: "casey" }));
  await page.waitForSelector('#users-rows tr[data-username="casey"]');
  assert.equal(await page.textContent("#secret-title"), fill(en.adm_password_once, { name: "casey" }));
  const password = await page.textContent("#secret-value");
  assert.match(password, /^[A-Za-z0-9]{20}$/);
  assert.equal(await page.inputValue("#new-password"), "", "the form forgets it");
  assert.equal(await page.textContent('#users-rows tr[data-username="casey"] td[data-state]'), en.adm_state_active);
  await page.click("#secret-copy");
  await textIs(page, "#secret-status", en.adm_copied);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), password);
  await expectNoSeriousAxeViolations(page, "the admin view with a password shown once");
  await screenshots(page, "admin-password-once");
  await page.click("#secret-hide");
  assert.ok(await page.isHidden("#secret-box"));
  assert.ok(!(await page.content()).includes(password), "not in the page any more");

  // The caseworker, in a browser of her own.
  const other = await newPage(problems);
  await logIn(other.page, "casey", password);
  assert.ok(await other.page.isHidden("#admin-link"));
  assert.ok(await other.page.isVisible("#platforms-link"));
  await other.page.goto(`${base}/staff.html?view=admin`);
  await other.page.waitForSelector("#admin-view:not([hidden])");
  assert.ok(await other.page.isVisible("#admin-forbidden"));
  assert.ok(await other.page.isHidden("#admin-body"));
  await expectNoSeriousAxeViolations(other.page, "the admin view for a caseworker");
  const casey = await apiLogin("casey", password);
  assert.equal((await api(casey, "/api/v1/users")).status, 403);
  assert.equal((await api(casey, "/api/v1/partners")).status, 403);
  assert.equal((await api(casey, "/api/v1/partners", "POST", { name: "X", scopes: ["match"] })).status, 403);
  assert.equal((await api(casey, "/api/v1/users", "POST", { username: "eve", password: "correct horse battery", role: "admin" })).status, 403);
  assert.equal((await api(casey, "/api/v1/users/1/disabled", "POST", { disabled: true })).status, 403);

  // A partner key: shown once, copied, works against the partner API, then revoked.
  await page.fill("#partner-name", "Example Trust & Safety");
  assert.ok(await page.isChecked("#scope-hashes"));
  await page.click("#partner-submit");
  await textIs(page, "#partner-form-status", fill(en.adm_partner_created, { name: "Example Trust & Safety" }));
  assert.equal(await page.textContent("#secret-title"), fill(en.adm_key_once, { name: "Example Trust & Safety" }));
  const key = await page.textContent("#secret-value");
  assert.match(key, /^tdk_/);
  await page.click("#secret-copy");
  await textIs(page, "#secret-status", en.adm_copied);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), key);
  const row = '#partners-rows tr[data-partner="Example Trust & Safety"]';
  await page.waitForSelector(row);
  assert.equal(await page.textContent(`${row} td[data-state]`), en.adm_state_active);
  assert.equal(await page.textContent(`${row} td:nth-child(2)`), `${en.adm_scope_hashes_read}, ${en.adm_scope_match}`);
  const bearer = { headers: { Authorization: `Bearer ${key}` } };
  assert.equal((await fetch(`${base}/api/v1/hashes`, bearer)).status, 200);
  const listed = await (await page.evaluate(() => fetch("/api/v1/partners").then((r) => r.text())));
  assert.ok(!listed.includes(key) && !listed.includes("tdk_"), "the list never holds the key");
  // Leaving the view forgets the key: back in it, it is not shown.
  await page.click("#admin-back");
  await page.waitForSelector("#queue-view:not([hidden])");
  await page.click("#admin-link");
  await page.waitForSelector(row);
  assert.ok(await page.isHidden("#secret-box"));
  assert.ok(!(await page.content()).includes(key));
  page.once("dialog", (d) => {
    assert.equal(d.message(), fill(en.adm_revoke_confirm, { name: "Example Trust & Safety" }));
    void d.accept();
  });
  await page.click(`${row} button`);
  await textIs(page, "#partners-status", fill(en.adm_revoked_msg, { name: "Example Trust & Safety" }));
  assert.equal(await page.textContent(`${row} td[data-state]`), en.adm_state_revoked);
  assert.equal(await page.$(`${row} button`), null);
  assert.equal((await fetch(`${base}/api/v1/hashes`, bearer)).status, 401);

  // Disabling the caseworker ends her session at once; enabling lets her back in.
  const caseyRow = '#users-rows tr[data-username="casey"]';
  page.once("dialog", (d) => void d.accept());
  await page.click(`${caseyRow} button`);
  await textIs(page, "#users-status", fill(en.adm_user_disabled_msg, { name: "casey" }));
  assert.equal(await page.textContent(`${caseyRow} td[data-state]`), en.adm_state_disabled);
  assert.equal((await api(casey, "/api/v1/cases")).status, 401);
  assert.equal(await other.page.evaluate(() => fetch("/api/v1/me").then((r) => r.status)), 401);
  await page.click(`${caseyRow} button`);
  await textIs(page, "#users-status", fill(en.adm_user_enabled_msg, { name: "casey" }));
  assert.equal(await page.textContent(`${caseyRow} td[data-state]`), en.adm_state_active);
  await apiLogin("casey", password);
  await expectNoSeriousAxeViolations(page, "the admin view");
  await screenshots(page, "admin");

  assert.deepEqual(problems, []);
});

test("the platform pages show each platform's routes and how it answered our notices", async () => {
  const admin = await apiLogin("admin", adminPassword);
  await seedHistory(admin);
  const { platforms, last_reviewed } = await ok(await api(admin, "/api/v1/platforms"));
  const instagram = platforms.find((p) => p.id === "instagram");

  const problems = [];
  const { page } = await newPage(problems);
  await logIn(page, "admin", adminPassword);
  await page.click("#platforms-link");
  await page.waitForSelector('#platforms-rows tr[data-platform="instagram"]');
  assert.match(page.url(), /view=platforms/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "platforms-title");
  assert.equal(await page.$$eval("#platforms-rows tr", (r) => r.length), platforms.length);
  assert.match(await page.textContent("#platforms-reviewed"), new RegExp(last_reviewed.slice(0, 4)));

  // What the stats API gives for the same period (the page asks for the last 12 months).
  const period = await page.evaluate(() => {
    const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    const now = new Date();
    return { from: iso(new Date(now.getFullYear() - 1, now.getMonth(), now.getDate() + 1)),
             to: iso(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1)) };
  });
  const stats = await ok(await api(admin, `/api/v1/stats?from=${period.from}&to=${period.to}&format=json`));
  const row = stats.platforms.find((p) => p.recipient === "instagram");
  assert.ok(row, JSON.stringify(stats.platforms));
  const shown = (v) => (v === null ? "[c]" : String(v));
  assert.equal(await page.textContent('#platforms-rows tr[data-platform="instagram"] td[data-figure="notices_sent"]'), shown(row.notices_sent));
  await expectNoSeriousAxeViolations(page, "the platform list");
  await screenshots(page, "platforms");

  await page.click('#platforms-rows tr[data-platform="instagram"] a');
  await textIs(page, "#platform-title", instagram.name);
  assert.match(page.url(), /platform=instagram/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "platform-title");
  assert.equal(await page.textContent('#platform-facts [data-fact="deadline"] dd'), fill(en.plat_deadline_hours, { hours: 48 }));
  assert.equal(await page.textContent('#platform-facts [data-fact="deadline_basis"] dd'), instagram.deadline_basis);
  assert.equal(await page.textContent('#platform-facts [data-fact="escalation"] dd'), en.plat_rung_regulator);
  assert.equal(await page.textContent("#platform-notes"), instagram.notes);
  assert.deepEqual(
    await page.$$eval("#platform-channels a", (a) => a.map((x) => x.getAttribute("href"))),
    instagram.channels.filter((c) => c.url).map((c) => c.url),
  );
  assert.equal(await page.$$eval("#platform-channels li", (l) => l.length), instagram.channels.length);
  // The history honours the server's suppression: withheld counts are [c], with the footnote.
  const figure = (name) => page.textContent(`#platform-history [data-figure="${name}"] dd`);
  await page.waitForSelector("#platform-history [data-figure]");
  assert.equal(await figure("notices_sent"), shown(row.notices_sent));
  assert.equal(await figure("acted_on"), shown(row.acted_on));
  assert.equal(await figure("never_responded"), shown(row.never_responded));
  if (stats.k > 1) {
    assert.equal(row.notices_sent, null, "one notice is below the default k = 5");
    assert.equal(await figure("notices_sent"), "[c]");
    assert.equal(await page.textContent("#platform-footnote"), fill(en.staff_stats_footnote, { max: stats.k - 1 }));
  }
  await expectNoSeriousAxeViolations(page, "a platform's page");
  await screenshots(page, "platform");

  // In Chinese, and a platform with no notices in the period.
  await page.selectOption("#lang", "zh-Hant");
  assert.equal(await page.textContent('#platform-facts [data-fact="deadline"] dd'), fill(zh.plat_deadline_hours, { hours: 48 }));
  await page.selectOption("#lang", "en");
  const quiet = platforms.find((p) => p.id !== "instagram" && !stats.platforms.some((s) => s.recipient === p.id));
  await page.goto(`${base}/staff.html?platform=${quiet.id}`);
  await textIs(page, "#platform-title", quiet.name);
  await page.waitForSelector("#platform-no-history:not([hidden])");
  await page.goto(`${base}/staff.html?platform=no-such-platform`);
  await textIs(page, "#platform-title", en.plat_not_found);

  assert.deepEqual(problems, []);
});
