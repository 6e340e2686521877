// The resources page and the quick exit, in Debian's Chromium driven by playwright-core against a
// real `takedown serve --static <dist>` (harness.mjs):
//  1. the resources page for Hong Kong, Malaysia and "not sure" in English, Traditional Chinese
//     and Malay shows what GET /api/v1/resources gives (support services, the law in plain words
//     and its sources, the regulator, platforms' reporting pages), every outside link a plain
//     https link with rel="noopener noreferrer"; axe-core finds nothing serious; it fits 360 px;
//     screenshots; every request the page makes goes to Takedown itself;
//  2. choosing another place and another language asks again and keeps ?j= in the address;
//  3. "Leave quickly" on the report page, the status page and the resources page, by mouse, by
//     keyboard and by Esc twice, replaces the page with the neutral site (intercepted with
//     page.route: no internet needed) without adding to the tab's history, and one Esc does not.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  expectNoSeriousAxeViolations, fill, launchChromium, screenshots, startServer, translations,
} from "./harness.mjs";

const NEUTRAL = "https://www.google.com/";
const LANGS = { en: translations("en"), "zh-Hant": translations("zh-Hant"), ms: translations("ms") };
const LOCALES = { en: "en-GB", "zh-Hant": "zh-HK", ms: "ms-MY" };

let server, base, browser;

before(async () => {
  server = await startServer({ name: "resources", page: "resources.html" });
  base = server.base;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

async function newPage(lang = "en") {
  const context = await browser.newContext({ locale: LOCALES[lang], viewport: { width: 360, height: 780 } });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  context.on("request", (r) => requests.push(r.url()));
  // The neutral site, answered here: the test needs no internet, and nothing leaves the machine.
  await context.route(`${NEUTRAL}**`, (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>neutral</title><p>neutral</p>" }),
  );
  return { context, page, problems, requests };
}

async function api(j, lang) {
  const res = await fetch(`${base}/api/v1/resources?jurisdiction=${j}&language=${lang}`);
  assert.equal(res.status, 200);
  return res.json();
}

const texts = (page, selector) => page.$$eval(selector, (els) => els.map((e) => e.textContent.trim()));

for (const j of ["HK", "MY", ""]) {
  for (const lang of ["en", "zh-Hant", "ms"]) {
    const where = j || "default";
    test(`the resources page for ${where} in ${lang}`, async () => {
      const tr = LANGS[lang];
      const want = await api(j, lang);
      assert.equal(want.jurisdiction, where);
      const { context, page, problems, requests } = await newPage(lang);
      const first = await page.goto(`${base}/resources.html?lang=${lang}${j ? `&j=${j}` : ""}`);
      assert.match(first.headers()["content-security-policy"], /default-src 'none'/);
      await page.waitForSelector(`body[data-jurisdiction="${where}"]`);
      assert.equal(await page.getAttribute("html", "lang"), lang);
      assert.equal(await page.title(), tr.resources_page_title);
      assert.equal(await page.textContent("h1"), tr.resources_title);
      assert.equal(await page.inputValue("#jurisdiction"), j);
      assert.equal(await page.textContent("#quick-exit"), tr.quick_exit);
      assert.equal(await page.textContent("#quick-exit-note"), tr.quick_exit_note);

      // The data, in her language, as the API gives it.
      assert.equal(await page.textContent("#plain-law"), want.plain_law);
      assert.ok(want.plain_law.length > 0, "every shipped profile has the law in plain words");
      assert.deepEqual(await texts(page, "#support h3"), want.support.map((s) => s.name));
      const ids = want.support.map((s) => s.id);
      assert.ok(ids.includes("stopncii"), "StopNCII is listed wherever she lives");
      if (j === "HK") assert.ok(ids.includes("rainlily"), ids.join());
      if (j === "MY") assert.ok(ids.includes("wao"), ids.join());
      for (const s of want.support.filter((s) => s.phone)) {
        const tel = await page.getAttribute(`#support-${s.id} a[href^="tel:"]`, "href");
        assert.equal(tel, `tel:${s.phone.replace(/[^0-9+]/g, "")}`);
      }
      assert.deepEqual(await texts(page, "#sources li"), want.sources.map((s) => s.title));
      if (want.regulator) {
        assert.equal(await page.textContent("#regulator"), fill(tr.resources_regulator_body, { name: want.regulator.name }));
      } else {
        assert.equal(await page.textContent("#regulator"), tr.resources_regulator_none);
      }
      assert.equal(await page.$$eval("#platforms li", (l) => l.length), want.platforms.length);
      assert.ok(want.platforms.some((p) => p.id === "instagram" && p.ncii_partner));
      assert.equal(
        await page.textContent('#platforms li[data-platform="instagram"] .meta'),
        fill(tr.resources_stopncii, { name: "Instagram" }),
      );
      assert.ok((await page.textContent("#reviewed")).length > 10, "says when the data was checked");
      assert.equal(want.reviewed, false, "no file has been reviewed by a person yet");

      // Outside links: plain https links she may follow, never opened by the page.
      const links = await page.$$eval("#resources a[href]", (as) =>
        as.map((a) => ({ href: a.getAttribute("href"), rel: a.getAttribute("rel"), target: a.target })),
      );
      for (const l of links) {
        if (/^(tel:|mailto:|#)/.test(l.href)) continue;
        assert.match(l.href, /^https:\/\//, JSON.stringify(l));
        assert.equal(l.rel, "noopener noreferrer", l.href);
        assert.equal(l.target, "", l.href);
      }

      await expectNoSeriousAxeViolations(page, `the resources page (${where}, ${lang})`);
      await screenshots(page, `resources-${where}-${lang}`);
      const foreign = requests.filter((u) => !u.startsWith(`${base}/`));
      assert.deepEqual(foreign, [], "every request goes to Takedown itself");
      assert.ok(requests.some((u) => u.startsWith(`${base}/api/v1/resources?`)));
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
}

test("choosing another place or language asks again and keeps ?j= in the address", async () => {
  const { context, page, problems, requests } = await newPage("en");
  await page.goto(`${base}/resources.html?j=hk`);
  await page.waitForSelector('body[data-jurisdiction="HK"]');
  await page.selectOption("#jurisdiction", "MY");
  await page.waitForSelector('body[data-jurisdiction="MY"]');
  assert.match(page.url(), /[?&]j=MY/);
  assert.ok((await texts(page, "#support h3")).includes((await api("MY", "en")).support[0].name));
  await page.selectOption("#lang", "zh-Hant");
  const zh = await api("MY", "zh-Hant");
  await page.waitForFunction((text) => document.querySelector("#plain-law")?.textContent === text, zh.plain_law);
  assert.match(page.url(), /j=MY/);
  assert.match(page.url(), /lang=zh-Hant/);
  // Unknown places read "not sure".
  await page.goto(`${base}/resources.html?j=XX`);
  await page.waitForSelector('body[data-jurisdiction="default"]');
  assert.deepEqual(requests.filter((u) => !u.startsWith(`${base}/`)), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the report's receipt links to the resources page for the place she chose", async () => {
  const { context, page } = await newPage("en");
  await page.goto(`${base}/`);
  await page.waitForSelector("#resources-link", { state: "attached" });
  await page.selectOption("#jurisdiction", "MY");
  const href = await page.getAttribute("#resources-link", "href");
  assert.match(href, /^\/resources\.html\?/);
  assert.match(href, /j=MY/);
  assert.match(await page.getAttribute("header a.top-link", "href"), /^\/resources\.html/);
  await context.close();
});

// Leaves `page` by `how` and checks where it went and that the history did not grow.
async function expectQuickExit(page, how, name) {
  const before = await page.evaluate(() => history.length);
  await Promise.all([page.waitForURL(NEUTRAL, { timeout: 10_000 }), how()]);
  assert.equal(page.url(), NEUTRAL, name);
  assert.equal(await page.textContent("p"), "neutral");
  assert.equal(await page.evaluate(() => history.length), before, `${name}: location.replace adds no history entry`);
}

for (const [path, name] of [["/", "the report page"], ["/status.html", "the status page"], ["/resources.html?j=HK", "the resources page"]]) {
  test(`"Leave quickly" works from ${name}: button, keyboard, Esc twice`, async () => {
    const { context, page, problems, requests } = await newPage("ms");
    const open = async () => {
      await page.goto(`${base}${path}`);
      await page.waitForSelector("#quick-exit-note");
    };

    await open();
    assert.equal(await page.textContent("#quick-exit"), LANGS.ms.quick_exit);
    assert.ok(await page.isVisible("#quick-exit"), "visible without scrolling");
    const box = await page.locator("#quick-exit").boundingBox();
    assert.ok(box.y < 120 && box.height >= 44, `at the top, 44 px tall: ${JSON.stringify(box)}`);
    assert.equal(await page.getAttribute("#quick-exit", "aria-describedby"), "quick-exit-note");
    await expectQuickExit(page, () => page.click("#quick-exit"), `${name}, the button`);

    // Keyboard: the first Tab stop, then Enter.
    await open();
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "quick-exit");
    await expectQuickExit(page, () => page.keyboard.press("Enter"), `${name}, Tab and Enter`);

    // Esc twice, with something typed: one press does nothing, two within a second leave.
    await open();
    const field = path === "/" ? "#contact" : path.startsWith("/status") ? "#code" : null;
    if (field) await page.fill(field, "something private");
    await page.keyboard.press("Escape");
    await page.waitForTimeout(1200);
    assert.ok(page.url().startsWith(base), "one Esc stays");
    await expectQuickExit(page, async () => {
      await page.keyboard.press("Escape");
      await page.keyboard.press("Escape");
    }, `${name}, Esc twice`);

    const foreign = requests.filter((u) => !u.startsWith(`${base}/`) && u !== NEUTRAL);
    assert.deepEqual(foreign, [], "nothing but Takedown and the neutral site");
    assert.deepEqual(problems, []);
    await context.close();
  });
}
