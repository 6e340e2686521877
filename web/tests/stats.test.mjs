// The dashboard's statistics view (staff.html?view=stats) end to end, in Debian's Chromium driven by
// playwright-core, against a real `takedown serve` on a manual clock (k = 5, the default). A history
// is seeded through the API: in January seven Instagram posts (Hong Kong) taken down 3, 6, ... 21
// hours after their web-form notices, and two Facebook posts (Malaysia) never; in February one more
// Instagram post, still up. The view's charts must show exactly the JSON's numbers: a bar per
// platform, bucket and month with its value in data-value and in its label, withheld values
// (null) as a hatched mark labelled "[c]" and never as a bar, each chart role="img" with an
// aria-label listing the figures; the tables for times, hosts, jurisdictions and months hold the
// same numbers ("[c]" for withheld). axe-core, no sideways scrolling at 360 px, screenshots at
// 1280 and 360 px. Settings from the environment as for browser.test.mjs.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  expectNoSeriousAxeViolations, fill, launchChromium, ORGANISATION_ARGS, screenshots, shots, staffApiClient, startServer, translations,
} from "./harness.mjs";

const en = translations("en");
const HOUR = 3600 * 1000;
const [from, to] = ["2026-01-01", "2026-03-01"];

let server, base, adminPassword, browser;

before(async () => {
  server = await startServer({
    name: "stats",
    page: "staff.html",
    args: ["--clock", "manual", "--clock-start", "2026-01-05T00:00:00Z", ...ORGANISATION_ARGS],
  });
  ({ base, adminPassword } = server);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

// The staff API as the admin (a new session after the clock moves: sessions expire on it).
const apiSession = () => staffApiClient(base).as("admin", adminPassword);

// A report of one URL whose notice goes out at once through the platform's web form; answers the
// notice's sighting.
let reports = 0;
async function reportAndNotify(api, url, jurisdiction) {
  reports += 1;
  const res = await fetch(`${base}/api/v1/intake`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      images: [{ pdq: "a".repeat(62) + String(reports).padStart(2, "0"), quality: 90 }], urls: [url],
      jurisdiction, language: "en", authorise: true,
    }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  const { code } = await res.json();
  const { cases } = await api("/api/v1/cases?limit=100");
  const id = cases.find((c) => c.code === code).id;
  const [notice] = (await api(`/api/v1/cases/${id}/notices`, "POST", {})).notices;
  assert.equal(notice.channel, "web_form");
  await api(`/api/v1/notices/${notice.id}/approve`, "POST");
  await api(`/api/v1/notices/${notice.id}/submitted`, "POST");
  return notice.sighting_ids[0];
}

async function seed() {
  let api = await apiSession();
  const instagram = [];
  for (let i = 0; i < 7; i++) instagram.push(await reportAndNotify(api, `https://www.instagram.com/p/jan${i}/`, "HK"));
  for (let i = 0; i < 2; i++) await reportAndNotify(api, `https://www.facebook.com/photo/?fbid=${i}`, "MY");
  for (const sighting of instagram) {
    await api("/api/v1/admin/clock", "POST", { advance_ms: 3 * HOUR });
    api = await apiSession();
    await api(`/api/v1/sightings/${sighting}/state`, "POST", { state: "removed" });
  }
  await api("/api/v1/admin/clock", "POST", { advance_ms: 30 * 24 * HOUR }); // into February
  api = await apiSession();
  await reportAndNotify(api, "https://www.instagram.com/p/feb0/", "HK");
  return api;
}

const nf = new Intl.NumberFormat("en");
const count = (v) => (v === null ? "[c]" : nf.format(v));
const pct = (v, exists) =>
  v === null ? (exists ? "[c]" : "–") : new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 0 }).format(v);

test("the statistics view charts and tabulates exactly the API's figures, withheld ones as withheld", async () => {
  const api = await seed();
  const stats = await api(`/api/v1/stats?from=${from}&to=${to}&format=json`);
  // The history is what the figures say (the published ones), and some are withheld.
  assert.equal(stats.k, 5);
  assert.equal(stats.months.length, 2);
  assert.deepEqual(stats.jurisdictions.map((j) => j.jurisdiction), ["HK", "MY"]);
  const json = JSON.stringify(stats);
  assert.match(json, /null/, "something is withheld");

  const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => m.type() === "error" && !/status of 40[19]/.test(m.text()) && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  const requests = [];
  context.on("request", (r) => requests.push(r.url()));
  await page.goto(`${base}/staff.html?view=stats`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector("#login-view:not([hidden])");
  await page.fill("#username", "admin");
  await page.fill("#password", adminPassword);
  await page.press("#password", "Enter");
  await page.waitForSelector("#stats-view:not([hidden])");
  await page.fill("#stats-from", from);
  await page.fill("#stats-to", to);
  await page.click("#stats-show");
  await page.waitForFunction((t) => document.querySelector("#stats-status")?.textContent === t, fill(en.staff_stats_shown, { from, to }));

  // What a chart shows: per bar its series, state, value and label; its role and accessible name.
  const chart = (id) =>
    page.$eval(`svg[data-chart="${id}"]`, (svg) => ({
      role: svg.getAttribute("role"),
      label: svg.getAttribute("aria-label"),
      title: svg.querySelector("title")?.textContent,
      viewBox: svg.getAttribute("viewBox"),
      note: svg.closest("figure").querySelector(".chart-note")?.textContent ?? null,
      groups: [...svg.querySelectorAll("g[data-category]")].map((g) => ({
        category: g.dataset.category,
        bars: [...g.querySelectorAll(".chart-bar")].map((b) => ({
          series: b.dataset.series,
          state: b.dataset.state,
          value: b.dataset.value,
          text: b.querySelector("text").textContent,
          rects: b.querySelectorAll("rect").length,
          hatched: /hatch/.test(b.querySelector("rect")?.getAttribute("fill") ?? ""),
        })),
      })),
    }));
  // A bar as the JSON says it must be: withheld (a hatched mark and "[c]"), not measurable ("–", no
  // mark) or a value (its number in data-value, its formatted text, a bar unless it is 0).
  const expectBar = (bar, value, text, exists = true, what = "") => {
    if (value === null && exists) {
      assert.deepEqual([bar.state, bar.text, bar.value, bar.rects, bar.hatched], ["withheld", "[c]", "", 1, true], what);
    } else if (value === null) {
      assert.deepEqual([bar.state, bar.text, bar.rects], ["none", "–", 0], what);
    } else {
      assert.deepEqual([bar.state, Number(bar.value), bar.text, bar.rects, bar.hatched], ["value", value, text, value > 0 ? 1 : 0, false], what);
    }
  };
  const expectAccessible = (c, title) => {
    assert.equal(c.role, "img");
    assert.equal(c.title, title);
    assert.ok(c.label.startsWith(`${title}. `), c.label);
    assert.match(c.viewBox, /^0 0 360 \d+$/);
    const withheld = c.groups.some((g) => g.bars.some((b) => b.state === "withheld"));
    assert.equal(c.note, withheld ? en.stats_chart_withheld_note : null);
  };

  // Removal rate by platform: one bar per platform row, in the table's order.
  const platforms = await chart("chart-platforms");
  expectAccessible(platforms, en.stats_platforms_chart);
  assert.deepEqual(platforms.groups.map((g) => g.category), stats.platforms.map((p) => p.name));
  stats.platforms.forEach((p, i) => {
    const text = pct(p.removal_rate, p.notices_sent !== 0);
    expectBar(platforms.groups[i].bars[0], p.removal_rate, text, p.notices_sent !== 0, p.name);
    const said = p.removal_rate === null ? (p.notices_sent !== 0 ? en.stats_chart_withheld : en.stats_chart_none) : text;
    assert.ok(platforms.label.includes(fill(en.stats_chart_item, { label: p.name, values: said })), platforms.label);
  });
  assert.equal(await page.$$eval("#stats-platform-rows tr", (rows) => rows.length), stats.platforms.length);

  // Time to removal: six buckets, chart and table.
  const buckets = stats.totals.time_to_removal.buckets;
  assert.equal(buckets.length, 6);
  const time = await chart("chart-time");
  expectAccessible(time, en.stats_time_chart);
  const bands = [fill(en.stats_bucket_first, { to: 24 }), fill(en.stats_bucket_range, { from: 24, to: 48 }),
    fill(en.stats_bucket_range, { from: 48, to: 72 }), fill(en.stats_bucket_range, { from: 72, to: 168 }),
    fill(en.stats_bucket_range, { from: 168, to: 720 }), fill(en.stats_bucket_last, { from: 720 })];
  assert.deepEqual(time.groups.map((g) => g.category), bands);
  const timeRows = await page.$$eval("#stats-time-rows tr", (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  buckets.forEach((b, i) => {
    expectBar(time.groups[i].bars[0], b.count, count(b.count), true, bands[i]);
    assert.deepEqual(timeRows[i], [bands[i], count(b.count)]);
  });

  // Month by month: found, removed, notices sent per month, chart and table.
  const months = await chart("chart-months");
  expectAccessible(months, en.stats_months_chart);
  assert.deepEqual(months.groups.map((g) => g.category), ["2026-01", "2026-02"]);
  const monthRows = await page.$$eval("#stats-month-rows tr", (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  stats.months.forEach((m, i) => {
    const series = ["urls_found", "urls_removed", "notices_sent"];
    assert.deepEqual(months.groups[i].bars.map((b) => b.series), series);
    series.forEach((s, j) => expectBar(months.groups[i].bars[j], m[s], count(m[s]), true, `${m.month} ${s}`));
    assert.deepEqual(monthRows[i], [m.month, count(m.cases), count(m.urls_found), count(m.urls_removed), count(m.notices_sent)]);
  });

  // Hosts (none received a notice here) and jurisdictions.
  assert.equal(await page.$$eval("#stats-host-rows tr", (rows) => rows.length), stats.hosts.length);
  assert.equal(await page.isVisible("#stats-no-hosts"), stats.hosts.length === 0);
  const jurisdictionRows = await page.$$eval("#stats-jurisdiction-rows tr", (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  assert.equal(jurisdictionRows.length, stats.jurisdictions.length);
  stats.jurisdictions.forEach((j, i) => {
    assert.deepEqual(jurisdictionRows[i].slice(1, 5),
      [count(j.cases), count(j.urls_found), count(j.urls_removed), pct(j.removal_rate, j.urls_found !== 0)]);
  });
  // The jurisdictions' names are the data's (data/jurisdictions/*.toml), as the API gives them.
  const { jurisdictions } = await (await fetch(`${base}/api/v1/resources?language=en`)).json();
  const nameOf = (code) => jurisdictions.find((j) => j.code === code).name;
  assert.deepEqual(jurisdictionRows.map((r) => r[0]), [nameOf("HK"), nameOf("MY")]);

  // Something is drawn withheld, and nothing withheld is drawn as a bar.
  const all = [platforms, time, months].flatMap((c) => c.groups.flatMap((g) => g.bars));
  assert.ok(all.some((b) => b.state === "withheld"), "a withheld value is shown as withheld");
  assert.ok(all.some((b) => b.state === "value" && Number(b.value) > 0), "a published value is drawn");

  await expectNoSeriousAxeViolations(page, "the statistics view with charts");
  await screenshots(page, "stats");
  // At 360 px the charts scale down to the column.
  await page.setViewportSize({ width: 360, height: 780 });
  const widths = await page.$$eval(".chart-svg", (svgs) => svgs.map((s) => s.getBoundingClientRect().right));
  for (const right of widths) assert.ok(right <= 360, `a chart ends at ${right} px`);
  await page.locator("#stats-months-chart").screenshot({ path: join(shots, "stats-months-chart-360.png") });
  await page.setViewportSize({ width: 1280, height: 900 });

  // In Traditional Chinese the charts speak it too.
  await page.selectOption("#lang", "zh-Hant");
  const zh = translations("zh-Hant");
  await page.waitForFunction((t) => document.querySelector('svg[data-chart="chart-time"] title')?.textContent === t, zh.stats_time_chart);

  for (const r of requests) assert.equal(new URL(r).origin, base, `only same-origin requests: ${r}`);
  assert.deepEqual(problems, []);
  await context.close();
});
