// What the dashboard's views share (staff.ts, staff-case.ts): element helpers, the words for
// server codes, dates in the page's language, and status lines that re-translate on a language
// change.
import { language, t, type Key } from "./i18n";
import { StaffError } from "./staff-api";

export const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; attrs?: Record<string, string> } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [k, v] of Object.entries(props.attrs ?? {})) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

export const CASE_STATUSES: Record<string, Key> = { open: "staff_status_open", closed: "staff_status_closed" };
// The words for a notice's channel kind; a kind without words shows as its code.
export const CHANNELS: Record<string, Key> = {
  web_form: "staff_channel_web_form",
  email: "staff_channel_email",
  api: "staff_channel_api",
};
// Jurisdictions are named from the server's data (choices.ts), not from a list here.
export { jurisdictionName, loadJurisdictionNames } from "./choices";

// A language tag ("ms", "zh-Hant") named in the page's language; a tag the browser cannot name
// is shown as the tag.
export function languageName(tag: string): string {
  try {
    return new Intl.DisplayNames([language()], { type: "language" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}
export const named = (map: Record<string, Key>, value: string) => (value in map ? t(map[value]) : value);

export function when(iso: string | null): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language(), { dateStyle: "medium", timeStyle: "short" }).format(date);
}

// Messages that are keys (re-translated on a language change) plus a server detail.
export const messages = new Map<string, { key: Key; vars: Record<string, string | number> }>();

export function say(where: string, key: Key | null, vars: Record<string, string | number> = {}): void {
  if (key) messages.set(where, { key, vars });
  else messages.delete(where);
  const node = $(where);
  node.dataset.key = key ?? "";
  node.textContent = key ? t(key, vars) : "";
}

export function errorKey(error: unknown): [Key, Record<string, string>] {
  if (!(error instanceof StaffError)) return ["staff_error_network", {}];
  switch (error.kind) {
    case "unauthenticated":
      return ["staff_session_ended", {}];
    case "forbidden":
      return ["staff_error_forbidden", {}];
    case "locked":
      // The wait doubles up to 15 minutes: seconds while short, then minutes.
      return error.retryAfterSeconds < 120
        ? ["staff_login_locked", { seconds: String(Math.max(1, error.retryAfterSeconds)) }]
        : ["staff_login_locked_minutes", { minutes: String(Math.ceil(error.retryAfterSeconds / 60)) }];
    case "server":
      return ["staff_error_server", {}];
    case "rejected":
      return ["staff_error_rejected", { detail: error.detail }];
    default:
      return ["staff_error_network", {}];
  }
}

let sessionEnded = () => {};

// What fail() does when the session is gone (staff.ts shows the login).
export function onSessionEnded(handler: () => void): void {
  sessionEnded = handler;
}

export function fail(where: string, error: unknown): void {
  if (error instanceof StaffError && error.kind === "unauthenticated") {
    sessionEnded();
    return;
  }
  const [key, vars] = errorKey(error);
  say(where, key, vars);
}
