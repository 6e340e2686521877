// Every word the pages show comes from i18n/*.json (checked by tests/check-i18n.mjs): elements
// carry data-i18n="key" (their text) or data-i18n-attr="attr:key;attr:key", and code calls t().
// The language is ?lang= when given (the switch sets it, and links carry it), else the browser's.
// Nothing is stored on the device.
//
// Each language is i18n/<lang>.json (the first pages) plus one i18n/<area>.<lang>.json per later
// part of the pages, merged here; tests/check-i18n.mjs checks that every file is imported and no
// key is in two files.
import enBase from "./i18n/en.json";
import msBase from "./i18n/ms.json";
import zhHantBase from "./i18n/zh-Hant.json";
import caseworkEn from "./i18n/casework.en.json";
import caseworkMs from "./i18n/casework.ms.json";
import caseworkZhHant from "./i18n/casework.zh-Hant.json";
import videoEn from "./i18n/video.en.json";
import videoMs from "./i18n/video.ms.json";
import videoZhHant from "./i18n/video.zh-Hant.json";
import resourcesEn from "./i18n/resources.en.json";
import resourcesMs from "./i18n/resources.ms.json";
import resourcesZhHant from "./i18n/resources.zh-Hant.json";
import adminEn from "./i18n/admin.en.json";
import adminMs from "./i18n/admin.ms.json";
import adminZhHant from "./i18n/admin.zh-Hant.json";
import statsEn from "./i18n/stats.en.json";
import statsMs from "./i18n/stats.ms.json";
import statsZhHant from "./i18n/stats.zh-Hant.json";
import messagesEn from "./i18n/messages.en.json";
import messagesMs from "./i18n/messages.ms.json";
import messagesZhHant from "./i18n/messages.zh-Hant.json";

const en = { ...enBase, ...caseworkEn, ...adminEn, ...statsEn, ...messagesEn, ...resourcesEn, ...videoEn };
const zhHant = { ...zhHantBase, ...caseworkZhHant, ...adminZhHant, ...statsZhHant, ...messagesZhHant, ...resourcesZhHant, ...videoZhHant };
const ms = { ...msBase, ...caseworkMs, ...adminMs, ...statsMs, ...messagesMs, ...resourcesMs, ...videoMs };

export const LANGUAGES = { en, "zh-Hant": zhHant, ms } as const;
export type Lang = keyof typeof LANGUAGES;
export type Key = keyof typeof en;

let current: Lang = "en";

export function language(): Lang {
  return current;
}

// The first of the browser's languages we have: any Chinese reads Traditional (the only Chinese
// we have), Malay, English; else English.
export function pickLanguage(query: string | null, preferred: readonly string[]): Lang {
  if (query && query in LANGUAGES) return query as Lang;
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower.startsWith("zh")) return "zh-Hant";
    if (lower === "ms" || lower.startsWith("ms-")) return "ms";
    if (lower === "en" || lower.startsWith("en-")) return "en";
  }
  return "en";
}

export function t(key: Key, vars: Record<string, string | number> = {}): string {
  const text = (LANGUAGES[current] as Record<string, string>)[key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ""));
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
    option.textContent = dict.language_name;
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
