// The dashboard's statistics view (staff.html?view=stats): the figures of a period from
// GET /api/v1/stats (small counts withheld by the server show as "[c]"), links to the CSV and the
// PDF report, and for admins the organisation's settings (GET/PUT /api/v1/settings).
import { language, t } from "./i18n";
import { getSettings, getStats, putSettings, statsUrl, type Durations, type Stats } from "./staff-api";
import { $, el, fail, say } from "./staff-ui";

const WITHHELD = "[c]";
const NONE = "–";

let stats: Stats | null = null;
let period = { from: "", to: "" };
let role = "";

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

const reportLanguage = () => (language() === "zh-Hant" ? "zh-Hant" : "en");

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
  const cell = (key: Parameters<typeof t>[0], text: string, name: string) =>
    el("td", { text, attrs: { "data-label": t(key), "data-figure": name } });
  $("#stats-platform-rows").replaceChildren(
    ...s.platforms.map((p) =>
      el(
        "tr",
        { attrs: { "data-platform": p.id ?? p.name } },
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
  $("#stats-footnote").textContent = s.k > 1 ? t("staff_stats_footnote", { max: s.k - 1 }) : "";
  $("#stats-footnote").hidden = s.k <= 1;
  $<HTMLAnchorElement>("#stats-csv").href = statsUrl(period.from, period.to, "csv");
  $<HTMLAnchorElement>("#stats-pdf").href = statsUrl(period.from, period.to, "pdf", reportLanguage());
}

async function loadStats(): Promise<void> {
  const from = $<HTMLInputElement>("#stats-from").value;
  const to = $<HTMLInputElement>("#stats-to").value;
  if (!from || !to || to <= from) return say("#stats-status", "staff_stats_bad_period");
  const button = $<HTMLButtonElement>("#stats-show");
  button.disabled = true;
  say("#stats-status", "staff_loading");
  try {
    stats = await getStats(from, to);
    period = { from, to };
    renderStats();
    say("#stats-status", "staff_stats_shown", { from, to });
  } catch (error) {
    fail("#stats-status", error);
  } finally {
    button.disabled = false;
  }
}

async function loadSettings(): Promise<void> {
  if (role !== "admin") return;
  const box = $<HTMLInputElement>("#send-automatically");
  try {
    box.checked = (await getSettings()).send_automatically;
    say("#settings-status", null);
  } catch (error) {
    fail("#settings-status", error);
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
  $<HTMLInputElement>("#send-automatically").addEventListener("change", async (event) => {
    const box = event.currentTarget as HTMLInputElement;
    const wanted = box.checked;
    box.disabled = true;
    say("#settings-status", "staff_loading");
    try {
      box.checked = (await putSettings({ send_automatically: wanted })).send_automatically;
      say("#settings-status", box.checked ? "staff_settings_on" : "staff_settings_off");
    } catch (error) {
      box.checked = !wanted;
      fail("#settings-status", error);
    } finally {
      box.disabled = false;
    }
  });
}

export function clearStats(): void {
  stats = null;
}
