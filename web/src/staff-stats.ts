// The dashboard's statistics view (staff.html?view=stats): the figures of a period from
// GET /api/v1/stats (small counts withheld by the server show as "[c]"), links to the CSV and the
// PDF report, and for admins the organisation's settings (GET/PUT /api/v1/settings); charts of the
// platforms' removal rates, the times to removal and the months (staff-charts.ts), each with its
// table, and the hosts' and jurisdictions' tables.
import { language, t, type Key } from "./i18n";
import { getSettings, getStats, putSettings, statsUrl, type Durations, type Settings, type Stats } from "./staff-api";
import {
  drawChart, NONE, WITHHELD, type Bucket, type Datum, type Jurisdiction, type Month, type Recipient,
} from "./staff-charts";
import "./staff-stats.css";
import { $, el, fail, jurisdictionName as named, loadJurisdictionNames, say } from "./staff-ui";
import { choices } from "./choices";

// The JSON as the charts and the extra tables read it (docs/statistics.md).
type FullStats = Stats & { hosts?: Recipient[]; jurisdictions?: Jurisdiction[]; months?: Month[] };

let stats: FullStats | null = null;
let period = { from: "", to: "" };
let role = "";
let settingsNow: Settings | null = null;

export function setRole(r: string): void {
  role = r;
}

// YYYY-MM-DD of a local date.
function isoDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// null is "withheld" unless `exists` says there is nothing to show (a rate of no URLs, no times).
function count(value: number | null): string {
  return value === null ? WITHHELD : new Intl.NumberFormat(language()).format(value);
}
function rate(value: number | null, exists: boolean): string {
  if (value === null) return exists ? WITHHELD : NONE;
  return new Intl.NumberFormat(language(), { style: "percent", maximumFractionDigits: 0 }).format(value);
}
function hours(value: number | null, d: Durations): string {
  if (value === null) return d.n === 0 ? NONE : WITHHELD;
  const n = new Intl.NumberFormat(language(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
  return t("staff_stats_hours", { hours: n });
}

// The printable report in the page's language when data/report/ has it, else English.
let reportLanguages: string[] = ["en"];
const reportLanguage = () => (reportLanguages.includes(language()) ? language() : "en");

export function renderStats(): void {
  $("#settings-section").hidden = role !== "admin";
  const s = stats;
  $("#stats-result").hidden = !s;
  if (!s) return;
  const tot = s.totals;
  const fact = (key: Parameters<typeof t>[0], value: string, name: string) =>
    el("div", { attrs: { "data-fact": name } }, el("dt", { text: t(key) }), el("dd", { text: value }));
  $("#stats-totals").replaceChildren(
    fact("staff_stats_cases", count(tot.cases), "cases"),
    fact("staff_stats_urls_found", count(tot.urls_found), "urls_found"),
    fact("staff_stats_urls_removed", count(tot.urls_removed), "urls_removed"),
    fact("staff_stats_removal_rate", rate(tot.removal_rate, tot.urls_found !== 0), "removal_rate"),
    fact("staff_stats_median", hours(tot.time_to_removal.median_hours, tot.time_to_removal), "median_hours"),
    fact("staff_stats_p90", hours(tot.time_to_removal.p90_hours, tot.time_to_removal), "p90_hours"),
  );
  $("#stats-platform-rows").replaceChildren(
    ...s.platforms.map((p) =>
      el(
        "tr",
        { attrs: { "data-platform": p.name } },
        cell("staff_stats_col_platform", p.name, "name"),
        cell("staff_stats_col_sent", count(p.notices_sent), "notices_sent"),
        cell("staff_stats_col_acted", count(p.acted_on), "acted_on"),
        cell("staff_stats_col_never", count(p.never_responded), "never_responded"),
        cell("staff_stats_col_rate", rate(p.removal_rate, p.notices_sent !== 0), "removal_rate"),
        cell("staff_stats_col_median", hours(p.time_to_removal.median_hours, p.time_to_removal), "median_hours"),
      ),
    ),
  );
  $("#stats-platforms").hidden = s.platforms.length === 0;
  $("#stats-no-platforms").hidden = s.platforms.length !== 0;
  renderMore(s);
  $("#stats-footnote").textContent = s.k > 1 ? t("staff_stats_footnote", { max: s.k - 1 }) : "";
  $("#stats-footnote").hidden = s.k <= 1;
  $<HTMLAnchorElement>("#stats-csv").href = statsUrl(period.from, period.to, "csv");
  $<HTMLAnchorElement>("#stats-pdf").href = statsUrl(period.from, period.to, "pdf", reportLanguage());
}

const countDatum = (value: number | null): Datum => ({ value, withheld: value === null, text: count(value) });
// A removal rate: withheld when it is null and there was something to measure.
const rateDatum = (value: number | null, exists: boolean): Datum => ({
  value, withheld: value === null && exists, text: rate(value, exists),
});

// A bucket's words: "up to 24 h", "24–48 h", ..., "over 720 h".
function band(buckets: Bucket[], i: number): string {
  const h = (v: number | null | undefined) => new Intl.NumberFormat(language()).format(v ?? 0);
  if (i === 0) return t("stats_bucket_first", { to: h(buckets[0]!.max_hours) });
  if (buckets[i]!.max_hours === null) return t("stats_bucket_last", { from: h(buckets[i - 1]!.max_hours) });
  return t("stats_bucket_range", { from: h(buckets[i - 1]!.max_hours), to: h(buckets[i]!.max_hours) });
}

const KINDS: Record<string, Key> = { host: "stats_kind_host", cdn: "stats_kind_cdn", registrar: "stats_kind_registrar" };

function jurisdictionName(code: string): string {
  return code ? named(code) : t("stats_unknown_jurisdiction");
}

function cell(key: Key, text: string, name: string): HTMLTableCellElement {
  return el("td", { text, attrs: { "data-label": t(key), "data-figure": name } });
}

// The charts, the time-to-removal table, and the hosts', jurisdictions' and months' tables.
function renderMore(s: FullStats): void {
  const platforms = s.platforms as Recipient[];
  $("#stats-platforms-chart").replaceChildren(
    ...(platforms.length
      ? [drawChart({
          id: "chart-platforms",
          title: t("stats_platforms_chart"),
          categories: platforms.map((p) => p.name),
          series: [{ key: "removal_rate", name: t("staff_stats_col_rate"), data: platforms.map((p) => rateDatum(p.removal_rate, p.notices_sent !== 0)) }],
          max: 1,
        })]
      : []),
  );

  const buckets = (s.totals.time_to_removal as Recipient["time_to_removal"]).buckets ?? [];
  const bands = buckets.map((_, i) => band(buckets, i));
  $("#stats-time-chart").replaceChildren(
    drawChart({
      id: "chart-time",
      title: t("stats_time_chart"),
      categories: bands,
      series: [{ key: "removals", name: t("stats_col_removals"), data: buckets.map((b) => countDatum(b.count)) }],
    }),
  );
  $("#stats-time-rows").replaceChildren(
    ...buckets.map((b, i) =>
      el("tr", { attrs: { "data-bucket": b.max_hours === null ? "over" : String(b.max_hours) } },
        cell("stats_col_band", bands[i]!, "band"),
        cell("stats_col_removals", count(b.count), "count")),
    ),
  );

  const hosts = s.hosts ?? [];
  $("#stats-host-rows").replaceChildren(
    ...hosts.map((h) =>
      el("tr", { attrs: { "data-host": h.recipient ?? h.name } },
        cell("stats_col_host", h.name, "name"),
        cell("stats_col_kind", KINDS[h.kind ?? ""] ? t(KINDS[h.kind ?? ""]!) : (h.kind ?? ""), "kind"),
        cell("staff_stats_col_sent", count(h.notices_sent), "notices_sent"),
        cell("staff_stats_col_acted", count(h.acted_on), "acted_on"),
        cell("staff_stats_col_never", count(h.never_responded), "never_responded"),
        cell("staff_stats_col_rate", rate(h.removal_rate, h.notices_sent !== 0), "removal_rate"),
        cell("staff_stats_col_median", hours(h.time_to_removal.median_hours, h.time_to_removal), "median_hours")),
    ),
  );
  $("#stats-hosts").hidden = hosts.length === 0;
  $("#stats-no-hosts").hidden = hosts.length !== 0;

  const jurisdictions = s.jurisdictions ?? [];
  $("#stats-jurisdiction-rows").replaceChildren(
    ...jurisdictions.map((j) =>
      el("tr", { attrs: { "data-jurisdiction": j.jurisdiction } },
        cell("stats_col_jurisdiction", jurisdictionName(j.jurisdiction), "jurisdiction"),
        cell("staff_stats_cases", count(j.cases), "cases"),
        cell("staff_stats_urls_found", count(j.urls_found), "urls_found"),
        cell("staff_stats_urls_removed", count(j.urls_removed), "urls_removed"),
        cell("staff_stats_removal_rate", rate(j.removal_rate, j.urls_found !== 0), "removal_rate"),
        cell("staff_stats_col_median", hours(j.time_to_removal.median_hours, j.time_to_removal), "median_hours")),
    ),
  );
  $("#stats-jurisdictions").hidden = jurisdictions.length === 0;
  $("#stats-no-jurisdictions").hidden = jurisdictions.length !== 0;

  const months = s.months ?? [];
  $("#stats-months-chart").replaceChildren(
    ...(months.length
      ? [drawChart({
          id: "chart-months",
          title: t("stats_months_chart"),
          categories: months.map((m) => m.month),
          series: [
            { key: "urls_found", name: t("stats_series_found"), data: months.map((m) => countDatum(m.urls_found)) },
            { key: "urls_removed", name: t("stats_series_removed"), data: months.map((m) => countDatum(m.urls_removed)) },
            { key: "notices_sent", name: t("stats_series_notices"), data: months.map((m) => countDatum(m.notices_sent)) },
          ],
        })]
      : []),
  );
  $("#stats-month-rows").replaceChildren(
    ...months.map((m) =>
      el("tr", { attrs: { "data-month": m.month } },
        cell("stats_col_month", m.month, "month"),
        cell("staff_stats_cases", count(m.cases), "cases"),
        cell("staff_stats_urls_found", count(m.urls_found), "urls_found"),
        cell("staff_stats_urls_removed", count(m.urls_removed), "urls_removed"),
        cell("stats_col_notices", count(m.notices_sent), "notices_sent")),
    ),
  );
}

async function loadStats(): Promise<void> {
  const from = $<HTMLInputElement>("#stats-from").value;
  const to = $<HTMLInputElement>("#stats-to").value;
  if (!from || !to || to <= from) return say("#stats-status", "staff_stats_bad_period");
  const button = $<HTMLButtonElement>("#stats-show");
  button.disabled = true;
  say("#stats-status", "staff_loading");
  try {
    const [figures, known] = await Promise.all([getStats(from, to), choices(), loadJurisdictionNames()]);
    stats = figures;
    reportLanguages = known.report_languages;
    period = { from, to };
    renderStats();
    say("#stats-status", "staff_stats_shown", { from, to });
  } catch (error) {
    fail("#stats-status", error);
  } finally {
    button.disabled = false;
  }
}

// Every control of the settings form names its setting in data-setting.
function settingControls(): (HTMLInputElement | HTMLSelectElement)[] {
  return Array.from(document.querySelectorAll<HTMLInputElement | HTMLSelectElement>("#settings-section [data-setting]"));
}

function showSettings(settings: Settings): void {
  for (const control of settingControls()) {
    const value = settings[control.dataset.setting as keyof Settings];
    if (control instanceof HTMLInputElement && control.type === "checkbox") control.checked = value === true;
    else control.value = String(value);
  }
}

function valueOf(control: HTMLInputElement | HTMLSelectElement): boolean | number | string {
  if (control instanceof HTMLInputElement && control.type === "checkbox") return control.checked;
  if (control instanceof HTMLInputElement && control.type === "number") return Number(control.value);
  return control.value;
}

async function loadSettings(): Promise<void> {
  if (role !== "admin") return;
  try {
    settingsNow = await getSettings();
    showSettings(settingsNow);
    say("#settings-status", null);
  } catch (error) {
    fail("#settings-status", error);
  }
}

// Saves the one setting a control changed; on a refusal the form shows what the server holds.
async function saveSetting(control: HTMLInputElement | HTMLSelectElement): Promise<void> {
  const name = control.dataset.setting as keyof Settings;
  control.disabled = true;
  say("#settings-status", "staff_loading");
  try {
    settingsNow = await putSettings({ [name]: valueOf(control) } as Partial<Settings>);
    showSettings(settingsNow);
    const message =
      name === "send_automatically" ? (settingsNow.send_automatically ? "staff_settings_on" : "staff_settings_off") : "staff_settings_saved";
    say("#settings-status", message);
  } catch (error) {
    if (settingsNow) showSettings(settingsNow);
    fail("#settings-status", error);
  } finally {
    control.disabled = false;
  }
}

// Called when the view is shown.
export function openStats(): void {
  renderStats();
  void loadSettings();
  if (!stats) void loadStats();
}

export function initStatsView(): void {
  const now = new Date();
  $<HTMLInputElement>("#stats-from").value = isoDate(new Date(now.getFullYear(), now.getMonth(), 1));
  $<HTMLInputElement>("#stats-to").value = isoDate(new Date(now.getFullYear(), now.getMonth() + 1, 1));
  $<HTMLFormElement>("#stats-form").addEventListener("submit", (event) => {
    event.preventDefault();
    void loadStats();
  });
  for (const control of settingControls()) {
    control.addEventListener("change", () => void saveSetting(control));
  }
}

export function clearStats(): void {
  stats = null;
}
