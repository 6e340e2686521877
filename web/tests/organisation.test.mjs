// The organisation's profile, drafting again and accounts (issue 20) end to end, in Debian's
// Chromium driven by playwright-core, against a real `takedown serve --no-worker` started with no
// --org-* flags, as a first `make run` is. Seeded through the API: a case whose notice is drafted
// while the profile is empty, so it lacks the organisation's contact. The queue tells a
// caseworker to ask an admin and an admin where to fill the profile in; the admin fills it in the
// admin view and the waiting draft is written again with it (no longer lacking anything); the
// banner goes. On the case page a cancelled notice's Redraft makes a new draft of its links. The
// admin changes a caseworker's role and resets her password (shown once; the old one and her
// session stop working; she must set her own before anything else). A draft is written again in
// another language for its platform alone, the case in another language, and every notice again
// in one bulk request. The queue is searched by a code without its TD-, a piece of a link and
// a platform, shows each case's language, assignee, next deadline and last activity, and a
// caseworker assigns a case to a colleague from it. axe-core on each view; screenshots at 1280 and 360 px. Every wait is
// for a state of the page or the server, never for a time.
// Settings from the environment as for dashboard.test.mjs (web/CMakeLists.txt sets them).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  expectNoSeriousAxeViolations, fill, launchChromium, logInToDashboard, newStaffPage, screenshots, staffApiClient, startServer, textIs,
  translations,
} from "./harness.mjs";

const en = translations("en");
const zh = translations("zh-Hant");

let server, base, adminPassword, browser;
// The staff API outside the browser (harness.mjs), set once the server is up.
let apiLogin, api, ok;

before(async () => {
  server = await startServer({ name: "organisation", page: "staff.html" });
  ({ base, adminPassword } = server);
  ({ login: apiLogin, call: api, ok } = staffApiClient(base));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

// A reported case with one Instagram link, its notice drafted: returns the case and the notice.
async function seedCase(admin, path) {
  await ok(await fetch(`${base}/api/v1/intake`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      images: [{ pdq: "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22", quality: 100, kind: "image" }],
      urls: [`https://www.instagram.com/p/${path}/`],
      jurisdiction: "US", language: "en", consent_share: false, authorise: true, in_notices: "none",
    }),
  }), 201);
  const [c] = (await ok(await api(admin, "/api/v1/cases"))).cases;
  const { notices } = await ok(await api(admin, `/api/v1/cases/${c.id}/notices`, "POST", {}), 201);
  return { c, notice: notices[0] };
}

const newPage = (problems) => newStaffPage(browser, base, problems);
const logIn = (page, username, password) => logInToDashboard(page, base, username, password);

const lacking = [en.adm_org_name, en.adm_org_email, en.adm_org_signatory].join(", ");

test("the first run asks an admin for the organisation's details; saving them rewrites the drafts", async () => {
  const admin = await apiLogin("admin", adminPassword);
  const { c, notice } = await seedCase(admin, "OrgProfile1");
  assert.ok(notice.missing.length > 0, "drafted before the profile: it lacks the organisation's contact");
  await ok(await api(admin, "/api/v1/users", "POST", { username: "casey", password: "correct horse battery", role: "caseworker" }), 201);

  const problems = [];
  // A caseworker is told to ask an administrator, with no link to a view she cannot use.
  const other = await newPage(problems);
  await logIn(other.page, "casey", "correct horse battery");
  await textIs(other.page, "#org-banner", fill(en.adm_org_banner_staff, { fields: lacking }));
  assert.equal(await other.page.$("#org-banner-link"), null);

  const { page } = await newPage(problems);
  await logIn(page, "admin", adminPassword);
  await page.waitForSelector("#org-banner-link");
  assert.equal(await page.textContent("#org-banner span"), fill(en.adm_org_banner_admin, { fields: lacking }));
  await expectNoSeriousAxeViolations(page, "the queue with the organisation's banner");
  await screenshots(page, "organisation-banner");
  await page.click("#org-banner-link");
  await page.waitForSelector("#admin-view:not([hidden])");
  await textIs(page, "#org-lacks", fill(en.adm_org_lacks, { fields: lacking }));
  assert.equal(await page.inputValue("#org-name"), "");

  // A website that is not https is refused before it is sent.
  await page.fill("#org-name", "Lantern Aid");
  await page.fill("#org-email", "cases@lantern.example");
  await page.fill("#org-phone", "+1 555 0199");
  await page.fill("#org-address", "2 Harbour Road\nSpringfield");
  await page.fill("#org-website", "http://lantern.example");
  await page.fill("#org-signatory", "Aisha Rahman");
  await page.fill("#org-signatory-role", "Caseworker");
  await page.click("#org-submit");
  await textIs(page, "#org-status", en.adm_org_website_https);
  await page.fill("#org-website", "https://lantern.example");
  await page.click("#org-submit");
  await textIs(page, "#org-status", fill(en.adm_org_saved, { count: 1 }));
  assert.equal(await page.textContent("#org-lacks"), "");
  await expectNoSeriousAxeViolations(page, "the organisation's form");
  await screenshots(page, "organisation-form");

  // The draft made before is written again with the profile and lacks nothing now.
  const redrafted = await ok(await api(admin, `/api/v1/notices/${notice.id}`));
  assert.equal(redrafted.state, "draft");
  assert.ok(redrafted.body.includes("Lantern Aid"), redrafted.body);
  assert.ok(redrafted.body.includes("cases@lantern.example"), redrafted.body);
  assert.deepEqual(redrafted.missing, []);
  const profile = await ok(await api(admin, "/api/v1/organisation"));
  assert.equal(profile.address, "2 Harbour Road\nSpringfield");
  assert.equal(profile.saved, true);

  // The banner is gone from the queue, for her too once she loads it again; in Chinese the form
  // keeps what was saved.
  await page.click("#admin-back");
  await page.waitForSelector("#queue-view:not([hidden])");
  await page.waitForSelector("#org-banner", { state: "hidden" });
  await other.page.reload();
  await other.page.waitForSelector("#queue-rows tr");
  await other.page.waitForSelector("#org-banner", { state: "hidden" });
  await page.click("#admin-link");
  await page.waitForFunction(() => document.querySelector("#org-name")?.value === "Lantern Aid");
  await page.selectOption("#lang", "zh-Hant");
  await textIs(page, "#org-title", zh.adm_org_title);
  assert.equal(await page.inputValue("#org-signatory"), "Aisha Rahman");
  await page.selectOption("#lang", "en");

  // On the case page: the cancelled notice is drafted again with its link.
  await ok(await api(admin, `/api/v1/notices/${notice.id}/cancel`, "POST"), 204);
  await page.goto(`${base}/staff.html?case=${c.id}`);
  const cancelled = `#notices article[data-notice-id="${notice.id}"]`;
  await page.waitForSelector(`${cancelled}[data-state="cancelled"]`);
  await page.click(`${cancelled} button[data-action="redraft"]`);
  await textIs(page, "#notices-status", en.staff_notice_redrafted_msg);
  await page.waitForSelector('#notices article[data-state="draft"]');
  const fresh = (await ok(await api(admin, `/api/v1/cases/${c.id}/notices`))).notices.find((n) => n.state === "draft");
  assert.notEqual(fresh.id, notice.id);
  assert.deepEqual(fresh.sighting_ids, notice.sighting_ids);
  assert.ok(fresh.body.includes("Lantern Aid"));
  await expectNoSeriousAxeViolations(page, "the case page after drafting again");
  await screenshots(page, "organisation-redraft");

  // The new draft written in Malay for this platform alone (issue 17 item 5); the timeline says so.
  const name = (tag) => page.evaluate((t) => new Intl.DisplayNames(["en"], { type: "language" }).of(t), tag);
  const timelineSays = (action, words) =>
    page.waitForFunction(([a, w]) => [...document.querySelectorAll(`#timeline li[data-action="${a}"] .action`)].some((s) => s.textContent === w), [action, words]);
  const draft = `#notices article[data-notice-id="${fresh.id}"]`;
  await page.selectOption(`${draft} select[data-notice-language]`, "ms");
  await page.click(`${draft} button[data-action="redraft"]`);
  await timelineSays("notice.redrafted", fill(en.cw_ev_notice_redrafted_in, { language: await name("ms") }));
  assert.equal((await ok(await api(admin, `/api/v1/notices/${fresh.id}`))).language, "ms");
  await page.waitForFunction((s) => document.querySelector(s)?.value === "ms", `${draft} select[data-notice-language]`);

  // The whole case in Chinese: its draft is written again in it.
  assert.equal(await page.inputValue("#case-language"), "en");
  await page.selectOption("#case-language", "zh-Hant");
  await page.click("#case-language-submit");
  const chinese = await name("zh-Hant");
  await textIs(page, "#case-language-status", fill(en.cw_case_language_done, { language: chinese, count: 1 }));
  await timelineSays("case.language", fill(en.cw_ev_case_language, { language: chinese }));
  assert.equal((await ok(await api(admin, `/api/v1/notices/${fresh.id}`))).language, "zh-Hant");

  // Every notice of the case written again at once: one request, one line.
  await page.click("#notices-select-all");
  await page.click('#notices-bulk button[data-bulk="redraft"]');
  await page.waitForSelector('#notices-status[data-key="cw_bulk_redrafted"]');
  await page.waitForSelector('#timeline li[data-action="notices.bulk"]');
  assert.equal((await ok(await api(admin, `/api/v1/notices/${fresh.id}`))).state, "draft");
  await expectNoSeriousAxeViolations(page, "the case page with its language control");
  await screenshots(page, "organisation-languages");

  assert.deepEqual(problems, []);
});

test("an admin changes a caseworker's role and resets her password", async () => {
  const admin = await apiLogin("admin", adminPassword);
  await ok(await api(admin, "/api/v1/users", "POST", { username: "rosa", password: "correct horse battery", role: "caseworker" }), 201);
  const rosa = await apiLogin("rosa", "correct horse battery");

  const problems = [];
  const { page } = await newPage(problems);
  await logIn(page, "admin", adminPassword);
  await page.click("#admin-link");
  const row = '#users-rows tr[data-username="rosa"]';
  await page.waitForSelector(row);
  assert.equal(await page.$('#users-rows tr[data-username="admin"] select'), null, "not one's own role");
  assert.ok(await page.isDisabled('#users-rows tr[data-username="admin"] button[data-reset-user-id]'));

  await page.selectOption(`${row} select`, "reviewer");
  await textIs(page, "#users-status", fill(en.adm_role_changed, { name: "rosa", role: en.adm_role_reviewer }));
  await page.waitForFunction((s) => document.querySelector(s)?.value === "reviewer", `${row} select`);
  assert.equal((await ok(await api(rosa, "/api/v1/me"))).role, "reviewer");

  page.once("dialog", (d) => {
    assert.equal(d.message(), fill(en.adm_reset_confirm, { name: "rosa" }));
    void d.accept();
  });
  await page.click(`${row} button[data-reset-user-id]`);
  await textIs(page, "#users-status", fill(en.adm_reset_done, { name: "rosa" }));
  assert.equal(await page.textContent("#secret-title"), fill(en.adm_reset_once, { name: "rosa" }));
  const password = await page.textContent("#secret-value");
  assert.ok(password.length >= 12, password);
  assert.equal((await api(rosa, "/api/v1/me")).status, 401, "her session ended");
  const refused = await fetch(`${base}/api/v1/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "rosa", password: "correct horse battery" }),
  });
  assert.equal(refused.status, 401);
  await expectNoSeriousAxeViolations(page, "the admin view with a reset password");
  await screenshots(page, "organisation-accounts");
  await page.click("#secret-hide");
  assert.ok(!(await page.content()).includes(password), "not in the page any more");

  // The password the admin handed over is known to two people: until rosa sets her own, it opens
  // nothing but the form to do so.
  const given = await apiLogin("rosa", password);
  const blocked = await api(given, "/api/v1/cases");
  assert.equal(blocked.status, 403);
  assert.equal((await blocked.json()).error_code, "password_change_required");
  const { page: hers } = await newPage(problems);
  await hers.goto(`${base}/staff.html`);
  await hers.waitForSelector('body[data-ready="true"]');
  await hers.fill("#username", "rosa");
  await hers.fill("#password", password);
  await hers.click("#login-submit");
  await hers.waitForSelector("#password-view:not([hidden])");
  assert.ok(await hers.isHidden("#queue-view"));
  assert.ok(await hers.isHidden("#admin-link"));
  await expectNoSeriousAxeViolations(hers, "setting a password after a reset");
  await screenshots(hers, "organisation-password-change");
  const own = "rosa's own long password";
  await hers.fill("#pw-current", password);
  await hers.fill("#pw-new", own);
  await hers.fill("#pw-repeat", `${own}!`);
  await hers.click("#password-submit");
  await textIs(hers, "#password-error", en.staff_pw_mismatch);
  await hers.fill("#pw-repeat", own);
  await hers.click("#password-submit");
  await hers.waitForSelector("#queue-view:not([hidden])");
  assert.equal((await ok(await api(await apiLogin("rosa", own), "/api/v1/me"))).must_change_password, false);

  assert.deepEqual(problems, []);
});

test("the queue is searched by code, link or platform and a case is assigned to a colleague", async () => {
  const admin = await apiLogin("admin", adminPassword);
  await ok(await api(admin, "/api/v1/users", "POST", { username: "tomas", password: "correct horse battery", role: "caseworker" }), 201);
  const report = async (url, language) => ok(await fetch(`${base}/api/v1/intake`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      images: [{ pdq: "0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff", quality: 100, kind: "image" }],
      urls: [url], jurisdiction: "HK", language, consent_share: false, authorise: true, in_notices: "none",
    }),
  }), 201);
  const forum = await report("https://forum.example/t/queue-search-42", "zh-Hant");
  const insta = await report("https://www.instagram.com/p/QueueSearch7/", "en");

  const problems = [];
  const { page } = await newPage(problems);
  await logIn(page, "tomas", "correct horse battery");
  const codes = () => page.$$eval("#queue-rows tr", (rows) => rows.map((r) => r.dataset.code));
  const searchFor = async (q) => {
    await page.fill("#filter-q", q);
    await page.click("#filter-apply");
  };
  // Each search waits for the rows it must give, never for a time.
  await searchFor(forum.code.slice(3));
  await page.waitForFunction((c) => [...document.querySelectorAll("#queue-rows tr")].map((r) => r.dataset.code).join() === c, forum.code);
  const row = `#queue-rows tr[data-code="${forum.code}"]`;
  assert.equal(await page.getAttribute(`${row} td[data-language]`, "data-language"), "zh-Hant");
  assert.equal(await page.inputValue(`${row} select[data-assign-case]`), "");
  assert.ok((await page.textContent(`${row} td[data-deadline]`)).includes(en.staff_no_deadline));

  await searchFor("queue-search-42");
  await page.waitForFunction((c) => [...document.querySelectorAll("#queue-rows tr")].map((r) => r.dataset.code).join() === c, forum.code);
  await searchFor("instagram");
  await page.waitForSelector(`#queue-rows tr[data-code="${insta.code}"]`);
  assert.ok(!(await codes()).includes(forum.code), "the forum's case is on no platform");

  // Assigned to a colleague from the queue; the row then names her.
  await searchFor("");
  await page.waitForSelector(row);
  const { colleagues } = await ok(await api(admin, "/api/v1/colleagues"));
  const tomas = colleagues.find((c) => c.username === "tomas");
  await page.selectOption(`${row} select[data-assign-case]`, String(tomas.id));
  await textIs(page, "#queue-assign-status", fill(en.staff_queue_assigned_msg, { code: forum.code, name: "tomas" }));
  await page.waitForSelector(`${row} td[data-assignee="tomas"]`);
  assert.equal(await page.inputValue(`${row} select[data-assign-case]`), String(tomas.id));
  const listed = (await ok(await api(admin, `/api/v1/cases?q=${forum.code}`))).cases[0];
  assert.equal(listed.assigned_user, tomas.id);
  await expectNoSeriousAxeViolations(page, "the queue with its columns");
  await screenshots(page, "organisation-queue");

  assert.deepEqual(problems, []);
});
