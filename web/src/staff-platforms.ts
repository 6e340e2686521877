// The dashboard's platform pages: the list (staff.html?view=platforms) and one platform
// (?platform=<id>): its ways to report, deadline and escalation from GET /api/v1/platforms
// (data/platforms.toml), and how it has answered our own notices in the last 12 months from
// GET /api/v1/stats. Counts the server withholds (null) show as "[c]", as in the statistics view.
import { language, t, type Key } from "./i18n";
import { getStats, type Durations, type Stats, type StatsRecipient } from "./staff-api";
import { listPlatforms, type Channel, type PlatformDirectory } from "./staff-admin-api";
import { $, CHANNELS, el, fail, named, say } from "./staff-ui";

const WITHHELD = "[c]";
const NONE = "–";

let directory: PlatformDirectory | null = null;
let stats: Stats | null = null;
let period = { from: "", to: "" };
let shown: string | null = null; // the platform whose page is open

const KINDS: Record<string, Key> = {
  social: "plat_kind_social",
  messaging: "plat_kind_messaging",
  forum: "plat_kind_forum",
  video: "plat_kind_video",
  adult: "plat_kind_adult",
  search: "plat_kind_search",
  cdn: "plat_kind_cdn",
  hosting: "plat_kind_hosting",
  storage: "plat_kind_storage",
  content_farm: "plat_kind_content_farm",
};
const RUNGS: Record<string, Key> = {
  hosting: "plat_rung_hosting",
  registrar: "plat_rung_registrar",
  cdn: "plat_rung_cdn",
  regulator: "plat_rung_regulator",
};

// An address of the page, keeping the language.
export function platformsHref(id?: string): string {
  const url = new URL("/staff.html", location.origin);
  if (id) url.searchParams.set("platform", id);
  else url.searchParams.set("view", "platforms");
  url.searchParams.set("lang", language());
  return url.pathname + url.search;
}

function isoDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const number = (n: number) => new Intl.NumberFormat(language()).format(n);
const count = (value: number | null | undefined) => (value == null ? WITHHELD : number(value));
function rate(value: number | null, exists: boolean): string {
  if (value === null) return exists ? WITHHELD : NONE;
  return new Intl.NumberFormat(language(), { style: "percent", maximumFractionDigits: 0 }).format(value);
}
function hours(d: Durations): string {
  if (d.median_hours === null) return d.n === 0 ? NONE : WITHHELD;
  const h = new Intl.NumberFormat(language(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(d.median_hours);
  return t("staff_stats_hours", { hours: h });
}

function languageName(tag: string): string {
  try {
    return new Intl.DisplayNames([language()], { type: "language" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

function reviewedLine(): string {
  if (!directory?.last_reviewed) return "";
  const date = new Date(`${directory.last_reviewed}T00:00:00`);
  const shownDate = Number.isNaN(date.getTime())
    ? directory.last_reviewed
    : new Intl.DateTimeFormat(language(), { dateStyle: "long" }).format(date);
  return t("plat_reviewed", { date: shownDate });
}

// A platform's row names it by its id in `recipient` (docs/statistics.md).
const rowOf = (id: string): StatsRecipient | undefined => stats?.platforms.find((p) => p.recipient === id);

function renderList(): void {
  if (!directory) return;
  const cell = (key: Key, ...content: (Node | string)[]) => el("td", { attrs: { "data-label": t(key) } }, ...content);
  $("#platforms-rows").replaceChildren(
    ...directory.platforms.map((p) => {
      const row = rowOf(p.id);
      return el(
        "tr",
        { attrs: { "data-platform": p.id } },
        cell("plat_col_name", el("a", { text: p.name, attrs: { href: platformsHref(p.id), "data-nav": "" } })),
        cell("plat_col_kind", named(KINDS, p.kind)),
        cell("plat_col_deadline", t("plat_deadline_hours", { hours: p.deadline_hours })),
        cell("plat_col_routes", [...new Set(p.channels.map((c) => named(CHANNELS, c.kind)))].join(", ")),
        el("td", { attrs: { "data-label": t("plat_col_sent"), "data-figure": "notices_sent" } }, row ? count(row.notices_sent) : "0"),
      );
    }),
  );
  $("#platforms-reviewed").textContent = reviewedLine();
}

function channelItem(c: Channel): HTMLLIElement {
  const where: (Node | string)[] = [];
  if (c.url) {
    // A platform's own reporting form is safe to open (unlike the addresses in a case).
    where.push(el("a", { attrs: { href: c.url, rel: "noopener noreferrer", target: "_blank" } }, el("code", { className: "url", text: c.url })));
  }
  if (c.address) where.push(el("code", { className: "url", text: c.address }));
  return el(
    "li",
    { attrs: { "data-channel": c.kind } },
    el("strong", { text: named(CHANNELS, c.kind) }),
    " ",
    ...where,
    c.label ? el("span", { className: "meta", text: c.label }) : "",
  );
}

function renderPlatform(): void {
  if (!directory || !shown) return;
  const p = directory.platforms.find((x) => x.id === shown);
  $("#platform-body").hidden = !p;
  if (!p) {
    $("#platform-title").textContent = t("plat_not_found");
    return;
  }
  $("#platform-title").textContent = p.name;
  const fact = (key: Key, value: string | Node, name: string) =>
    el("div", { attrs: { "data-fact": name } }, el("dt", { text: t(key) }), el("dd", {}, value));
  $("#platform-facts").replaceChildren(
    fact("plat_operator", p.operator || NONE, "operator"),
    fact("plat_kind", named(KINDS, p.kind), "kind"),
    fact("plat_deadline", t("plat_deadline_hours", { hours: p.deadline_hours }), "deadline"),
    fact("plat_deadline_basis", p.deadline_basis || NONE, "deadline_basis"),
    fact("plat_escalation", p.escalation.length ? p.escalation.map((r) => named(RUNGS, r)).join(" → ") : t("plat_escalation_none"), "escalation"),
    fact("plat_languages", p.languages.map(languageName).join(", "), "languages"),
    fact("plat_ncii_partner", t(p.ncii_partner ? "plat_yes" : "plat_no"), "ncii_partner"),
    fact("plat_domains", p.domains.join(", "), "domains"),
  );
  $("#platform-channels").replaceChildren(...p.channels.map(channelItem));
  $("#platform-notes").textContent = p.notes || t("plat_notes_none");
  $("#platform-reviewed").textContent = reviewedLine();

  if (!stats) return;
  $("#platform-period").textContent = t("plat_history_period", { from: period.from, to: period.to });
  const row = rowOf(p.id);
  $("#platform-history").hidden = !row;
  $("#platform-no-history").hidden = !!row;
  if (row) {
    const figure = (key: Key, value: string, name: string) =>
      el("div", { attrs: { "data-figure": name } }, el("dt", { text: t(key) }), el("dd", { text: value }));
    $("#platform-history").replaceChildren(
      figure("plat_sent", count(row.notices_sent), "notices_sent"),
      figure("plat_acknowledged", count(row.acknowledged), "acknowledged"),
      figure("plat_removed", count(row.acted_on), "acted_on"),
      figure("plat_never", count(row.never_responded), "never_responded"),
      figure("plat_rate", rate(row.removal_rate, row.notices_sent !== 0), "removal_rate"),
      figure("plat_median", hours(row.time_to_removal), "median_hours"),
    );
  }
  $("#platform-footnote").hidden = !row || stats.k <= 1;
  $("#platform-footnote").textContent = stats.k > 1 ? t("staff_stats_footnote", { max: stats.k - 1 }) : "";
}

export function renderPlatforms(): void {
  renderList();
  renderPlatform();
  $<HTMLAnchorElement>("#platform-back").href = platformsHref();
}

async function load(where: string): Promise<void> {
  say(where, "staff_loading");
  try {
    // The last 12 months up to and including today (the period's end is not in it).
    const now = new Date();
    const from = isoDate(new Date(now.getFullYear() - 1, now.getMonth(), now.getDate() + 1));
    const to = isoDate(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1));
    const [dir, figures] = await Promise.all([directory ?? listPlatforms(), getStats(from, to)]);
    directory = dir;
    stats = figures;
    period = { from, to: isoDate(now) };
    renderPlatforms();
    say(where, null);
  } catch (error) {
    fail(where, error);
  }
}

// Called when the list is shown.
export function openPlatforms(): void {
  shown = null;
  renderList();
  void load("#platforms-status");
}

// Called when one platform's page is shown.
export function openPlatform(id: string): void {
  shown = id;
  $("#platform-title").textContent = "";
  renderPlatform();
  void load("#platform-status");
}

export function clearPlatforms(): void {
  directory = null;
  stats = null;
  shown = null;
}
