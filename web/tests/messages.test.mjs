// Messages from the caseworker to the survivor (issue 8), end to end in Debian's Chromium driven by
// playwright-core, against a real `takedown serve --static web/dist --no-worker` on a free loopback
// port with a throw-away data folder. A case is reported through POST /api/v1/intake (in Traditional
// Chinese); the admin logs in on staff.html, opens the case, adds a staff note and, in the separate
// message form, a message to her (with markup and a line break, which must stay text); the case
// view marks the message apart from the note. A reviewer is refused a message. The survivor checks
// her case on status.html in Traditional Chinese: the message is there under its heading, as text,
// with "your caseworker" and its date, never the staff note nor who wrote it; the language switch
// re-renders it. GET /api/v1/status answers time + text only; erasing the case erases the message.
// axe-core on the case view and the status page; screenshots at 1280 and 360 px.
// Settings from the environment as for browser.test.mjs (web/CMakeLists.txt sets them).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  expectNoSeriousAxeViolations, fill, launchChromium, screenshots, staffApiClient, startServer, translations,
} from "./harness.mjs";

const en = translations("en");
const zh = translations("zh-Hant");
const ms = translations("ms");

let server, base, adminPassword, browser;
// The staff API outside the browser (harness.mjs), set once the server is up.
let apiLogin, api;

before(async () => {
  server = await startServer({ name: "messages", page: "staff.html" });
  ({ base, adminPassword } = server);
  ({ login: apiLogin, call: api } = staffApiClient(base));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

const basic = (code, pin) => ({ Authorization: "Basic " + Buffer.from(`${code}:${pin}`).toString("base64") });

function watchProblems(page) {
  const problems = [];
  // The staff page asks GET /api/v1/me for a session first; without one that is a 401.
  page.on("console", (m) => m.type() === "error" && !/status of 401/.test(m.text()) && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

test("a caseworker's message reaches the survivor's status page; staff notes never do", async () => {
  const intake = await fetch(`${base}/api/v1/intake`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      images: [{ pdq: "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22", quality: 100, kind: "image" }],
      urls: ["https://www.instagram.com/p/CxAmPlE123/"],
      jurisdiction: "HK", language: "zh-Hant", consent_share: false, authorise: true, in_notices: "none",
    }),
  });
  assert.equal(intake.status, 201, await intake.clone().text());
  const { code, pin } = await intake.json();
  const admin = await apiLogin("admin", adminPassword);
  const found = await (await api(admin, `/api/v1/cases?q=${code}`)).json();
  const caseId = found.cases[0].id;

  // The caseworker: a staff note, then a message to her in its own form.
  const staff = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } });
  const page = await staff.newPage();
  const staffProblems = watchProblems(page);
  await page.goto(`${base}/staff.html`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill("#username", "admin");
  await page.fill("#password", adminPassword);
  await page.press("#password", "Enter");
  await page.waitForSelector("#queue-rows tr");
  await page.goto(`${base}/staff.html?case=${caseId}`);
  await page.waitForFunction((t) => document.querySelector("#case-title")?.textContent === t, fill(en.staff_case_title, { code }));

  const note = "Staff only: she sounded frightened on the phone";
  await page.fill("#note-text", note);
  await page.click("#note-submit");
  await page.waitForSelector("#notes li[data-note-id]");
  assert.equal(await page.textContent("#note-status"), en.staff_note_added);

  assert.equal(await page.textContent("#message-title"), en.msg_staff_title);
  await page.click("#message-submit");
  assert.equal(await page.textContent("#message-status"), en.msg_staff_empty);
  const message = "你好，Instagram 已經刪除了一張圖片。<b>不是粗體</b>\n如有問題請回覆熱線。";
  await page.fill("#message-text", message);
  await page.click("#message-submit");
  await page.waitForSelector("#notes li.to-survivor");
  assert.equal(await page.textContent("#message-status"), en.msg_staff_sent);
  assert.equal(await page.inputValue("#message-text"), "");
  // The list marks the message apart from the note.
  assert.equal(await page.$$eval("#notes li[data-note-id]", (l) => l.length), 2);
  assert.equal(await page.textContent("#notes li.to-survivor .badge"), en.msg_staff_badge);
  assert.equal(await page.textContent("#notes li.to-survivor .note-text"), message);
  assert.equal(await page.$("#notes b"), null);
  assert.equal(await page.$$eval("#notes li:not(.to-survivor) .badge", (b) => b.length), 0);
  await page.waitForSelector('#timeline li[data-action="case.message"]');
  assert.equal(await page.textContent('#timeline li[data-action="case.message"] .action'), en.msg_ev_case_message);
  await expectNoSeriousAxeViolations(page, "the case view with a message");
  await screenshots(page, "messages-case");
  // The timeline records that a message went out (its text stays sealed in the note).
  const events = await (await api(admin, `/api/v1/cases/${caseId}/events`)).json();
  const sent = events.events.filter((e) => e.action === "case.message");
  assert.equal(sent.length, 1);
  assert.ok(!JSON.stringify(sent).includes("Instagram 已經"), "the event does not carry the text");
  assert.deepEqual(staffProblems, []);
  await staff.close();

  // A reviewer reads cases but cannot write to her.
  const made = await api(admin, "/api/v1/users", "POST", { username: "rita", password: "correct horse battery", role: "reviewer" });
  assert.equal(made.status, 201, await made.clone().text());
  const rita = await apiLogin("rita", "correct horse battery");
  const refused = await api(rita, `/api/v1/cases/${caseId}/notes`, "POST", { text: "hello", to_survivor: true });
  assert.equal(refused.status, 403);

  // The survivor, in Traditional Chinese.
  const her = await browser.newContext({ locale: "zh-HK", viewport: { width: 360, height: 780 } });
  const status = await her.newPage();
  const herProblems = watchProblems(status);
  await status.goto(`${base}/status.html?lang=zh-Hant`);
  await status.waitForSelector('body[data-ready="true"]');
  await status.fill("#code", code);
  await status.fill("#pin", pin);
  await status.click("#status-submit");
  await status.waitForSelector("#progress-view:not([hidden])");
  assert.equal(await status.textContent("#messages-title"), zh.msg_status_title);
  assert.ok(await status.isHidden("#messages-none"));
  assert.equal(await status.$$eval("#messages li", (l) => l.length), 1);
  assert.equal(await status.textContent("#messages li .message-text"), message);
  assert.equal(await status.$("#messages b"), null, "the message is text, never HTML");
  const from = await status.textContent("#messages li .message-when");
  assert.ok(from.startsWith(zh.msg_status_from.split("{when}")[0]), from);
  assert.match(await status.getAttribute("#messages li time", "datetime"), /^\d{4}-\d\d-\d\dT/);
  const shown = await status.textContent("main");
  assert.ok(!shown.includes("frightened") && !shown.includes("admin"), "no staff note, no author");
  await expectNoSeriousAxeViolations(status, "the status page with a message");
  await screenshots(status, "messages-status");
  await status.selectOption("#lang", "ms");
  assert.equal(await status.textContent("#messages-title"), ms.msg_status_title);
  assert.ok((await status.textContent("#messages li .message-when")).startsWith(ms.msg_status_from.split("{when}")[0]));
  assert.deepEqual(herProblems, []);
  await her.close();

  // The API: time and text of messages only.
  const answer = await (await fetch(`${base}/api/v1/status`, { headers: basic(code, pin) })).json();
  assert.deepEqual(answer.messages.map((m) => Object.keys(m).sort()), [["at", "text"]]);
  assert.equal(answer.messages[0].text, message);

  // Erasing the case erases the message with it.
  assert.equal((await fetch(`${base}/api/v1/case`, { method: "DELETE", headers: basic(code, pin) })).status, 200);
  assert.ok([403, 404].includes((await fetch(`${base}/api/v1/status`, { headers: basic(code, pin) })).status));
  assert.equal((await api(admin, `/api/v1/cases/${caseId}`)).status, 404);
});
