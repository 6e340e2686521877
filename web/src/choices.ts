// The jurisdictions and languages Takedown knows, from GET /api/v1/resources (the server reads
// them from its data folder: one legal profile per jurisdiction, the notice templates' languages,
// the report's translations), so that no page or script lists them. Names come in the language
// asked, or English where the data has none.
import { fetchWithTimeout } from "./api";
import { language, t } from "./i18n";

export interface Choices {
  jurisdictions: { code: string; name: string }[];
  languages: string[];
  report_languages: string[];
}

const cache = new Map<string, Promise<Choices>>();

// The lists, with names in `lang` (the page's language by default); one request per language. A
// failed request is forgotten, so the next call asks again.
export function choices(lang: string = language()): Promise<Choices> {
  let pending = cache.get(lang);
  if (!pending) {
    const query = new URLSearchParams({ language: lang });
    pending = fetchWithTimeout(`/api/v1/resources?${query}`, { credentials: "omit", redirect: "error" }).then(async (res) => {
      if (!res.ok) throw new Error(String(res.status));
      return (await res.json()) as Choices;
    });
    pending.catch(() => cache.delete(lang));
    cache.set(lang, pending);
  }
  return pending;
}

// Fills a <select> of jurisdictions: "" first, with the page's own words for not saying (j_unknown),
// then the others by name in the page's language. Keeps the choice made.
export function fillJurisdictions(select: HTMLSelectElement, list: Choices["jurisdictions"], wanted = select.value): void {
  const collator = new Intl.Collator(language());
  const options = [{ code: "", name: t("j_unknown") }];
  options.push(...list.filter((j) => j.code).sort((a, b) => collator.compare(a.name, b.name)));
  select.replaceChildren(
    ...options.map((j) => {
      const option = document.createElement("option");
      option.value = j.code;
      option.textContent = j.name;
      return option;
    }),
  );
  select.value = list.some((j) => j.code === wanted) ? wanted : "";
}

// A jurisdiction's name for the dashboard: "" is "not recorded"; an unknown code reads as itself.
let names = new Map<string, string>();
export async function loadJurisdictionNames(): Promise<void> {
  try {
    names = new Map((await choices()).jurisdictions.map((j) => [j.code, j.name]));
  } catch {
    // The codes themselves are shown until the names arrive.
  }
}
export function jurisdictionName(code: string): string {
  if (!code || code === "unknown") return t("j_unknown");
  return names.get(code) ?? code;
}
