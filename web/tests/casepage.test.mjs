// The case page at real case sizes (issue 20), in Debian's Chromium driven by playwright-core,
// against a real `takedown serve --static web/dist --no-worker` (nothing is fetched or sent) with an
// organisation profile, so notices can be complete:
// - a 50-link paste (two bad lines refused with their reasons, the others added) goes to every
//   notice approved in at most 10 clicks, counted: select all + confirm the links, draft, select
//   all + approve; each bulk action is one request and one timeline line, and the timeline names
//   the links it is about;
// - her facts and choices are shown, her contact for the organisation apart from the one for
//   notices;
// - a 500-link case fits in 4 screens at 1280 px with its groups collapsed; the filter, the search
//   a group's pages find what is asked for, and a group's checkbox selects the whole group.
// axe-core on both cases; screenshots at 1280 and 360 px. Settings from the environment as for
// browser.test.mjs (web/CMakeLists.txt sets them).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  expectNoSeriousAxeViolations, fill, launchChromium, ORGANISATION_ARGS, screenshots, staffApiClient, startServer, translations,
} from "./harness.mjs";

const en = translations("en");
const pdq = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
const CONTACT = "WhatsApp +852 5555 0000 after 9pm only";
const NOTICE_CONTACT = "lee.notices@example.com";
// A screen at 1280 px: the viewport the harness's screenshots use at that width.
const SCREEN = { width: 1280, height: 900 };

let server, base, adminPassword, browser;

before(async () => {
  server = await startServer({ name: "casepage", page: "staff.html", args: ORGANISATION_ARGS });
  ({ base, adminPassword } = server);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

// The staff API from the test itself (as a second browser would): the admin's session.
const apiSession = () => staffApiClient(base).as("admin", adminPassword);

// Reports a case as the survivor page would; its id, read back through the staff API.
async function report(api, url) {
  const res = await fetch(`${base}/api/v1/intake`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      images: [{ pdq, quality: 100, kind: "image" }], urls: [url],
      jurisdiction: "US", language: "zh-Hant", consent_share: true, authorise: true,
      name: "Lee Mei", in_notices: "name_and_contact", contact: CONTACT, notice_contact: NOTICE_CONTACT,
      age: "adult", ai_made: true,
    }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  const { code } = await res.json();
  return (await api("/api/v1/cases?limit=100")).cases.find((c) => c.code === code).id;
}

// `count` links over a few platforms and many sites no platform entry knows (one notice each).
function links(count, tag) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 5;
    if (kind === 0) out.push(`https://www.instagram.com/p/${tag}${i}/`);
    else if (kind === 1) out.push(`https://x.com/someone/status/${1000 + i}`);
    else if (kind === 2) out.push(`https://www.reddit.com/r/leaks/comments/${tag}${i}/`);
    else out.push(`https://forum${i % 40}.example/thread/${tag}${i}`);
  }
  return out;
}

async function newPage() {
  const context = await browser.newContext({ locale: "en-GB", viewport: SCREEN });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => m.type() === "error" && !/status of 40[19]/.test(m.text()) && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // Every click the test makes goes through here, so the clicks a caseworker needs are counted.
  const clicks = [];
  const click = async (selector) => {
    clicks.push(selector);
    await page.click(selector);
  };
  const waitText = (selector, expected) =>
    page.waitForFunction(([s, t]) => document.querySelector(s)?.textContent === t, [selector, expected]);
  await page.goto(`${base}/staff.html`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector("#login-view:not([hidden])");
  await page.fill("#username", "admin");
  await page.fill("#password", adminPassword);
  await page.press("#password", "Enter");
  await page.waitForSelector("#queue-rows tr[data-code]");
  return { page, problems, clicks, click, waitText };
}

async function openCase(page, id) {
  await page.goto(`${base}/staff.html?case=${id}`);
  await page.waitForSelector(`#case-view[data-case="${id}"]`);
}

test("a 50-link case goes from paste to every notice approved in at most 10 clicks", async () => {
  const api = await apiSession();
  const id = await report(api, "https://t.me/leakchannel/42");
  const { page, problems, clicks, click, waitText } = await newPage();
  await openCase(page, id);

  // Her facts and choices; her contact for us apart from the one printed in notices.
  const her = (name) => page.textContent(`#her-facts [data-her="${name}"] dd`);
  assert.equal(await her("in_notices"), en.cw_her_named_name_and_contact);
  assert.equal(await her("consent_share"), en.staff_yes);
  assert.equal(await her("age"), en.cw_her_age_adult);
  assert.equal(await her("ai_made"), en.staff_yes);
  assert.ok((await her("language")).length > 0);
  assert.equal(await page.textContent("#her-contact-org"), CONTACT);
  assert.equal(await page.textContent("#her-contact-notices"), NOTICE_CONTACT);
  assert.equal(await page.$("#her-contact-org-box #her-contact-notices"), null, "the two contacts are apart");

  // The paste: two bad lines refused with their reasons, never blocking the 50 others.
  const pasted = links(50, "p");
  await page.fill("#urls-text", ["ftp://files.example/leak.jpg", ...pasted.slice(0, 25), "not a link at all", ...pasted.slice(25)].join("\n"));
  await click("#urls-submit");
  await waitText("#urls-summary", fill(en.staff_urls_result, { added: 50, rejected: 2 }));
  for (const line of [1, 27]) {
    assert.equal(await page.getAttribute(`#url-results li[data-line="${line}"]`, "data-ok"), "false");
    assert.match(await page.textContent(`#url-results li[data-line="${line}"] .meta`), new RegExp(`^Line ${line}: .+`));
  }
  assert.equal(await page.$$eval('#url-results li[data-ok="true"]', (l) => l.length), 50);
  assert.equal(await page.textContent("#url-results details summary"), fill(en.cw_urls_accepted, { count: 50 }));
  assert.ok(!(await page.isVisible('#url-results li[data-line="2"]')), "the accepted lines are folded away");

  // The pasted links are confirmed as hers, all at once.
  await click("#sightings-select-all");
  assert.equal(await page.textContent("#sightings-selected"), fill(en.cw_selected_count, { count: 51 }));
  await click('#sightings-bulk button[data-bulk="confirm"]');
  await page.waitForFunction((t) => document.querySelector("#sightings-status")?.textContent === t, fill(en.cw_bulk_confirmed, { done: 51 }));

  // Drafted, then every notice approved in one request.
  await click("#draft-notices");
  await page.waitForFunction(() => document.querySelector("#notices-status")?.dataset.key === "staff_drafted");
  const drafted = (await api(`/api/v1/cases/${id}/notices`)).notices;
  assert.ok(drafted.length >= 20, `one notice per platform or site: ${drafted.length}`);
  await click("#notices-select-all");
  await click('#notices-bulk button[data-bulk="approve"]');
  await waitText("#notices-status", fill(en.cw_bulk_approved, { done: drafted.length }));
  const states = (await api(`/api/v1/cases/${id}/notices`)).notices.map((n) => n.state);
  assert.deepEqual([...new Set(states)], ["approved"]);
  console.log(`paste to ${drafted.length} notices approved: ${clicks.length} clicks (${clicks.join(", ")})`);
  assert.ok(clicks.length <= 10, `at most 10 clicks: ${clicks.length}`);

  // The timeline names the links and folds each bulk request into one line.
  const lines = await page.$$eval("#timeline li[data-action]", (li) =>
    li.map((l) => ({ action: l.dataset.action, count: Number(l.dataset.count), words: l.querySelector(".action")?.textContent, subject: l.querySelector(".subject")?.textContent ?? "" })));
  const approved = lines.filter((l) => l.action === "notices.bulk");
  assert.equal(approved.length, 1, JSON.stringify(lines));
  assert.equal(approved[0].words, fill(en.cw_ev_bulk_approve, { count: drafted.length }));
  assert.equal(lines.filter((l) => l.action === "sightings.bulk").length, 1);
  assert.equal(lines.filter((l) => l.action === "notice.approved").length, 0, "no line per notice");
  const added = lines.find((l) => l.action === "sighting.added");
  assert.equal(added.count, 50, JSON.stringify(added));
  assert.ok(added.subject.startsWith("https://"), `the line names its links: ${added.subject}`);
  for (const l of lines.filter((x) => x.action.startsWith("sighting.") || x.action.startsWith("notice"))) {
    assert.ok(l.subject, `"${l.words}" names what it is about`);
  }

  await expectNoSeriousAxeViolations(page, "the case page after a bulk approval");
  await screenshots(page, "casepage-50-approved");
  assert.deepEqual(problems, []);
});

test("a 500-link case fits in 4 screens at 1280 px, and its filter, search and pages find links", async () => {
  const api = await apiSession();
  const id = await report(api, "https://t.me/another/7");
  const res = await api(`/api/v1/cases/${id}/urls`, "POST", { text: links(500, "q").join("\n") });
  assert.equal(res.added, 500, JSON.stringify(res).slice(0, 300));
  const { page, problems, click, waitText } = await newPage();
  await openCase(page, id);
  assert.equal(await page.$$eval("#sightings .group-body:not([hidden])", (b) => b.length), 0, "groups start collapsed");
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  console.log(`the 500-link case page at 1280 px: ${height} px, ${(height / SCREEN.height).toFixed(2)} screens of ${SCREEN.height} px (${(height / 800).toFixed(2)} of 800 px)`);
  assert.ok(height <= 4 * SCREEN.height, `${height} px fits in 4 screens of ${SCREEN.height} px`);

  // A group's header counts its links by state; opened, it shows one page of 10 and pages on.
  const instagram = '#sightings section[data-platform="instagram"]';
  assert.equal(await page.getAttribute(instagram, "data-count"), "100");
  assert.equal(await page.textContent(`${instagram} .state-count[data-state="found"]`), fill(en.cw_state_count, { state: en.staff_state_found, count: 100 }));
  await click(`${instagram} button[data-role="toggle"]`);
  await page.waitForSelector(`${instagram} .group-body:not([hidden])`);
  assert.equal(await page.$$eval(`${instagram} li[data-sighting-id]`, (l) => l.length), 10);
  await waitText(`${instagram} .pager span`, fill(en.cw_page_of, { page: 1, pages: 10 }));
  await click(`${instagram} .pager button:last-child`);
  await waitText(`${instagram} .pager span`, fill(en.cw_page_of, { page: 2, pages: 10 }));

  // A group's checkbox selects all of its links, on every page; again, none.
  await click(`${instagram} input[data-role="select-group"]`);
  await waitText("#sightings-selected", fill(en.cw_selected_count, { count: 100 }));
  await click(`${instagram} input[data-role="select-group"]`);
  await waitText("#sightings-selected", fill(en.cw_selected_count, { count: 0 }));

  // The search finds one link and opens its group; the filter by state leaves only dismissed ones.
  await page.fill("#sightings-search", "forum18.example/thread/q498");
  await page.waitForFunction(() => document.querySelectorAll("#sightings li[data-sighting-id]").length === 1);
  const found = await page.textContent("#sightings li[data-sighting-id] code.url");
  assert.equal(found, "https://forum18.example/thread/q498");
  await page.fill("#sightings-search", "");
  const one = Number(await page.getAttribute(`${instagram} li[data-sighting-id]`, "data-sighting-id"));
  await api(`/api/v1/cases/${id}/sightings/bulk`, "POST", { action: "dismiss", sighting_ids: [one] });
  await openCase(page, id);
  await page.selectOption("#sightings-filter", "dismissed");
  await page.waitForFunction(() => document.querySelectorAll("#sightings section[data-platform]").length === 1);
  assert.equal(await page.getAttribute("#sightings section[data-platform]", "data-platform"), "instagram");

  await expectNoSeriousAxeViolations(page, "the 500-link case page");
  await page.selectOption("#sightings-filter", "");
  await screenshots(page, "casepage-500-collapsed");
  assert.deepEqual(problems, []);
});
