// Every word the pages show comes from i18n/*.json (checked by tests/check-i18n.mjs): elements
// carry data-i18n="key" (their text) or data-i18n-attr="attr:key;attr:key", and code calls t().
// The language is ?lang= when given (the switch sets it, and links carry it), else the browser's.
// Nothing is stored on the device.
//
// Each language is i18n/<lang>.json (the first pages) plus one i18n/<area>.<lang>.json per later
// part of the pages, found by the glob below and merged here, so a language is added by adding its
// files: no list of languages in code. tests/check-i18n.mjs checks that the files of every
// language have the same keys and that no key is in two files.
//
// English is the reference: the Key type is its keys, and a text missing elsewhere reads English.
type Dict = Record<string, string>;
type English = typeof import("./i18n/en.json") &
  typeof import("./i18n/casework.en.json") &
  typeof import("./i18n/admin.en.json") &
  typeof import("./i18n/stats.en.json") &
  typeof import("./i18n/messages.en.json") &
  typeof import("./i18n/resources.en.json") &
  typeof import("./i18n/video.en.json");

const files = import.meta.glob<Dict>("./i18n/*.json", { eager: true, import: "default" });

// "./i18n/casework.zh-Hant.json" -> "zh-Hant": the tag is the last part before .json.
function merge(): Record<string, Dict> {
  const out: Record<string, Dict> = {};
  for (const path of Object.keys(files).sort()) {
    const parts = path.slice(path.lastIndexOf("/") + 1, -".json".length).split(".");
    const tag = parts[parts.length - 1]!;
    out[tag] = { ...out[tag], ...files[path] };
  }
  return out;
}

// "en" first, then the others in tag order: the language switch's order.
export const LANGUAGES: Record<string, Dict> = (() => {
  const all = merge();
  const ordered: Record<string, Dict> = { en: all.en! };
  for (const tag of Object.keys(all).sort()) if (tag !== "en") ordered[tag] = all[tag]!;
  return ordered;
})();
export type Lang = string;
export type Key = keyof English;
const en = LANGUAGES.en as unknown as English;

let current: Lang = "en";

export function language(): Lang {
  return current;
}

// The first of the browser's languages we have: the same tag (any case), else one of ours with
// the same primary language ("zh-HK" reads our Chinese, zh-Hant; "ms-MY" our ms); else English.
export function pickLanguage(query: string | null, preferred: readonly string[]): Lang {
  if (query && query in LANGUAGES) return query;
  const ours = Object.keys(LANGUAGES);
  const primary = (tag: string) => tag.toLowerCase().split(/[-_]/)[0];
  for (const tag of preferred) {
    const same = ours.find((l) => l.toLowerCase() === tag.toLowerCase());
    if (same) return same;
    const near = ours.find((l) => primary(l) === primary(tag));
    if (near) return near;
  }
  return "en";
}

export function t(key: Key, vars: Record<string, string | number> = {}): string {
  const text = LANGUAGES[current]?.[key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ""));
}

// A wait in words, in the page's language, rounded up: "8 seconds", "2 minutes", "1 hour".
export function waitInWords(seconds: number): string {
  const [value, unit] =
    seconds < 60 ? [Math.max(1, Math.ceil(seconds)), "second"]
      : seconds < 3600 ? [Math.ceil(seconds / 60), "minute"]
      : [Math.ceil(seconds / 3600), "hour"];
  return new Intl.NumberFormat(current, { style: "unit", unit, unitDisplay: "long" }).format(value);
}

function applyTo(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n as Key);
  }
  for (const el of root.querySelectorAll<HTMLElement>("[data-i18n-attr]")) {
    for (const pair of (el.dataset.i18nAttr ?? "").split(";")) {
      const [attr, key] = pair.split(":");
      if (attr && key) el.setAttribute(attr.trim(), t(key.trim() as Key));
    }
  }
}

// Links to our own pages keep the language.
function updateLinks(): void {
  for (const a of document.querySelectorAll<HTMLAnchorElement>("a.lang-link")) {
    const url = new URL(a.getAttribute("href") ?? "/", location.origin);
    url.searchParams.set("lang", current);
    a.href = url.pathname + url.search;
  }
}

export function setLanguage(lang: Lang): void {
  current = lang;
  document.documentElement.lang = lang;
  applyTo(document);
  updateLinks();
}

// Picks the language, fills the page and wires the switch; `onChange` re-renders what code wrote.
export function initLanguage(onChange: () => void = () => {}): void {
  const params = new URLSearchParams(location.search);
  setLanguage(pickLanguage(params.get("lang"), navigator.languages ?? [navigator.language]));
  const select = document.querySelector<HTMLSelectElement>("#lang");
  if (!select) return;
  for (const [code, dict] of Object.entries(LANGUAGES)) {
    const option = document.createElement("option");
    option.value = code;
    option.lang = code;
    option.textContent = dict.language_name ?? code;
    select.append(option);
  }
  select.value = current;
  select.addEventListener("change", () => {
    setLanguage(select.value as Lang);
    const url = new URL(location.href);
    url.searchParams.set("lang", current);
    history.replaceState(null, "", url.pathname + url.search);
    onChange();
  });
}
