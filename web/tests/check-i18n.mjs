// Checks the translations: every key of every language exists in every other, none is empty,
// each keeps the same {placeholders}; every key the pages use (data-i18n, data-i18n-attr) exists;
// every key is used; and the pages themselves hold no words (all text comes from the files).
// Keys passed to t() in src/*.ts are checked by the TypeScript compiler (type Key).
// Usage: node tests/check-i18n.mjs   (exit status 1 with one line per problem)
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const web = join(dirname(fileURLToPath(import.meta.url)), "..");
const problems = [];
// A language is <lang>.json plus every <area>.<lang>.json, all loaded by src/i18n.ts's glob; the
// languages are the tags the files are named with (adding a language is adding its files).
const i18nDir = join(web, "src/i18n");
const i18nSource = readFileSync(join(web, "src/i18n.ts"), "utf8");
if (!i18nSource.includes('import.meta.glob<Dict>("./i18n/*.json"')) problems.push("src/i18n.ts does not load i18n/*.json");
const tagOf = (file) => file.slice(0, -".json".length).split(".").pop();
const i18nFiles = readdirSync(i18nDir).filter((f) => f.endsWith(".json"));
const languages = [...new Set(i18nFiles.map(tagOf))].sort((a, b) => (a === "en" ? -1 : b === "en" ? 1 : a.localeCompare(b)));
const dicts = {};
for (const l of languages) {
  dicts[l] = {};
  for (const file of i18nFiles.filter((f) => tagOf(f) === l).sort()) {
    for (const [key, value] of Object.entries(JSON.parse(readFileSync(join(i18nDir, file), "utf8")))) {
      if (key === "_note" && key in dicts[l]) continue;
      if (key in dicts[l]) problems.push(`"${key}" is in two ${l} files (one is ${file})`);
      dicts[l][key] = value;
    }
  }
}
const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(",");

const allKeys = new Set(languages.flatMap((l) => Object.keys(dicts[l])));
for (const key of allKeys) {
  for (const l of languages) {
    const value = dicts[l][key];
    if (value === undefined) problems.push(`${l}.json lacks "${key}"`);
    else if (typeof value !== "string" || !value.trim()) problems.push(`${l}.json: "${key}" is empty`);
    else if (placeholders(value) !== placeholders(dicts.en[key] ?? ""))
      problems.push(`${l}.json: "${key}" has placeholders {${placeholders(value)}}, en has {${placeholders(dicts.en[key] ?? "")}}`);
  }
}

const pages = readdirSync(web).filter((f) => f.endsWith(".html"));
const used = new Set(["_note", "language_name"]);
for (const page of pages) {
  const html = readFileSync(join(web, page), "utf8");
  for (const m of html.matchAll(/data-i18n="([^"]+)"/g)) used.add(m[1]);
  for (const m of html.matchAll(/data-i18n-attr="([^"]+)"/g))
    for (const pair of m[1].split(";")) used.add(pair.split(":")[1]?.trim());
  // No words in the page itself: drop scripts, styles, comments and tags; only space may remain.
  const text = html
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, "")
    .replace(/<!doctype[^>]*>/i, "")
    .replace(/<[^>]+>/g, "")
    .trim();
  if (text) problems.push(`${page} holds text outside the translation files: ${JSON.stringify(text.slice(0, 60))}`);
  for (const key of used) if (key && !(key in dicts.en)) problems.push(`${page} uses "${key}", missing in en.json`);
}
const sources = readdirSync(join(web, "src"))
  .filter((f) => f.endsWith(".ts"))
  .map((f) => readFileSync(join(web, "src", f), "utf8"))
  .join("\n");
for (const key of Object.keys(dicts.en)) {
  if (!used.has(key) && !sources.includes(`"${key}"`)) problems.push(`"${key}" is used nowhere`);
}

if (problems.length) {
  for (const p of problems) console.error(`check-i18n: ${p}`);
  process.exit(1);
}
console.log(`check-i18n: ${allKeys.size} keys in ${languages.join(", ")}; ${pages.length} pages use only them`);
