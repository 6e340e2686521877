// The resources page: for the jurisdiction she chooses (?j=, else "not sure"), in her language,
// the services that can support her, the law in plain words with its official sources, the
// regulator, and each platform's own reporting page, all from GET /api/v1/resources (the data
// files: data/jurisdictions/*.toml and data/platforms.toml). Links to other sites are plain links
// she chooses to follow; the page itself requests nothing from anywhere but Takedown.
import "./style.css";
import { fetchWithTimeout } from "./api";
import { type Choices, fillJurisdictions } from "./choices";
import { initLanguage, language, t, type Key } from "./i18n";

interface Support {
  id: string;
  name: string;
  offers: string;
  url: string;
  phone: string;
  hours: string;
  languages: string[];
  international: boolean;
}

interface Platform {
  id: string;
  name: string;
  report_url: string;
  report_email: string;
  ncii_partner: boolean;
}

// The answer also lists the jurisdictions, named in the language asked (choices.ts).
interface Resources extends Choices {
  jurisdiction: string;
  name: string;
  last_reviewed: string;
  reviewed: boolean;
  plain_law: string;
  sources: { title: string; url: string }[];
  regulator: { name: string; url: string } | null;
  platforms: Platform[];
  platforms_last_reviewed: string;
  support: Support[];
}

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
// The jurisdiction asked for before the list arrives: ?j= at first, then the select's value.
let wanted = (new URLSearchParams(location.search).get("j") ?? "").toUpperCase();

let data: Resources | null = null;
let loading = 0; // the latest request; an older answer that arrives late is dropped

// Only https links from the data (the server checks this too); anything else stays text.
function outsideLink(url: string, text: string): HTMLElement {
  if (!/^https:\/\//i.test(url)) {
    const span = document.createElement("span");
    span.textContent = text;
    return span;
  }
  const a = document.createElement("a");
  a.href = url;
  a.rel = "noopener noreferrer";
  a.textContent = text;
  return a;
}

function element(tag: string, text: string, className = ""): HTMLElement {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  return el;
}

function formatDate(date: string): string {
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime())) return date;
  return new Intl.DateTimeFormat(language(), { dateStyle: "long", timeZone: "UTC" }).format(parsed);
}

function supportItem(s: Support): HTMLElement {
  const li = document.createElement("li");
  li.id = `support-${s.id}`;
  li.dataset.support = s.id;
  li.append(element("h3", s.name), element("p", s.offers));
  if (s.phone) {
    const p = document.createElement("p");
    const tel = document.createElement("a");
    tel.href = `tel:${s.phone.replace(/[^0-9+]/g, "")}`;
    tel.textContent = t("resources_support_phone", { phone: s.phone });
    p.append(tel);
    if (s.hours) p.append(document.createTextNode(` · ${t("resources_support_hours", { hours: s.hours })}`));
    li.append(p);
  }
  const site = document.createElement("p");
  site.append(outsideLink(s.url, t("resources_support_website", { name: s.name })));
  li.append(site);
  if (s.international) li.append(element("p", t("resources_support_everywhere"), "meta"));
  return li;
}

function platformItem(p: Platform, stopncii: boolean): HTMLElement {
  const li = document.createElement("li");
  li.dataset.platform = p.id;
  if (p.report_url) {
    li.append(outsideLink(p.report_url, t("resources_report_link", { name: p.name })));
  } else if (p.report_email) {
    const a = document.createElement("a");
    a.href = `mailto:${p.report_email}`;
    a.textContent = t("resources_report_email", { name: p.name, email: p.report_email });
    li.append(a);
  } else {
    li.append(element("span", p.name));
  }
  if (p.ncii_partner && stopncii) {
    const note = element("p", "", "meta");
    const anchor = document.createElement("a");
    anchor.href = "#support-stopncii";
    anchor.textContent = t("resources_stopncii", { name: p.name });
    note.append(anchor);
    li.append(note);
  }
  return li;
}

function render(): void {
  if (!data) return;
  const d = data;
  $("#reviewed").textContent = d.reviewed
    ? t("resources_reviewed", { date: formatDate(d.last_reviewed) })
    : t("resources_unreviewed", { date: formatDate(d.last_reviewed) });
  $("#support").replaceChildren(...d.support.map(supportItem));
  if (!d.support.length) $("#support").append(element("li", t("resources_support_none")));

  $("#plain-law").textContent = d.plain_law;
  $("#plain-law").hidden = !d.plain_law;
  $("#sources").replaceChildren(
    ...d.sources.map((s) => {
      const li = document.createElement("li");
      li.append(outsideLink(s.url, s.title));
      return li;
    }),
  );
  $("#sources-label").hidden = !d.sources.length;

  if (d.regulator) {
    $("#regulator").textContent = t("resources_regulator_body", { name: d.regulator.name });
    $("#regulator-link-item").replaceChildren(
      outsideLink(d.regulator.url, t("resources_regulator_link", { name: d.regulator.name })),
    );
  } else {
    $("#regulator").textContent = t("resources_regulator_none");
    $("#regulator-link-item").replaceChildren();
  }

  const stopncii = d.support.some((s) => s.id === "stopncii");
  $("#platforms").replaceChildren(...d.platforms.map((p) => platformItem(p, stopncii)));
  $("#platforms-reviewed").textContent = t("resources_platforms_reviewed", {
    date: formatDate(d.platforms_last_reviewed),
  });
  $("#resources").hidden = false;
}

function showStatus(key: Key | null): void {
  const el = $("#resources-status");
  el.dataset.key = key ?? "";
  el.textContent = key ? t(key) : "";
  $("#resources-retry").hidden = key !== "resources_error";
}

async function load(): Promise<void> {
  const id = ++loading;
  const select = $<HTMLSelectElement>("#jurisdiction");
  const j = select.options.length > 1 ? select.value : wanted;
  showStatus("resources_loading");
  try {
    const query = new URLSearchParams({ jurisdiction: j, language: language() });
    const res = await fetchWithTimeout(`/api/v1/resources?${query}`, {
      credentials: "omit",
      cache: "no-store",
      redirect: "error",
    });
    if (!res.ok) throw new Error(String(res.status));
    const answer = (await res.json()) as Resources;
    if (id !== loading) return;
    data = answer;
    // The choices are the data's; a code with no profile got the default one ("").
    wanted = answer.jurisdiction === "default" ? "" : answer.jurisdiction;
    fillJurisdictions(select, answer.jurisdictions, wanted);
    showStatus(null);
    render();
    document.body.dataset.jurisdiction = answer.jurisdiction;
    document.body.dataset.ready = "true";
  } catch {
    if (id !== loading) return;
    showStatus("resources_error");
    document.body.dataset.ready = "true";
  }
}

// The choice travels in the address (?j=), like the language, so a reload or a shared link
// shows the same place; nothing is stored on the device.
function remember(j: string): void {
  const url = new URL(location.href);
  if (j) url.searchParams.set("j", j);
  else url.searchParams.delete("j");
  history.replaceState(null, "", url.pathname + url.search);
}

function init(): void {
  // The data's texts come in one language: a switch asks again in the new one.
  initLanguage(() => {
    const key = $("#resources-status").dataset.key;
    if (key) showStatus(key as Key);
    void load();
  });
  const select = $<HTMLSelectElement>("#jurisdiction");
  select.addEventListener("change", () => {
    remember(select.value);
    void load();
  });
  $("#resources-retry").addEventListener("click", () => void load());
  void load();
}

init();
