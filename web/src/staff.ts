// The caseworker dashboard (staff.html): log in, the case queue with filters, and one case (its
// fingerprints, where copies were found, adding web addresses, drafting and deciding notices).
// One page with three views; the case shown is in the address (?case=N) so reloads and the back
// button work. The CSRF token lives in staff-api.ts's memory; nothing is stored on the device.
import "./style.css";
import { initLanguage, language, t, type Key } from "./i18n";
import {
  addUrls,
  decideNotice,
  draftNotices,
  getCase,
  listCases,
  listNotices,
  login,
  logout,
  me,
  StaffError,
  type CaseDetail,
  type CaseQuery,
  type CaseSummary,
  type Notice,
  type UrlResult,
} from "./staff-api";

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

function el<K extends keyof HTMLElementTagNameMap>(
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

const SIGHTING_STATES: Record<string, Key> = {
  found: "staff_state_found",
  notified: "staff_state_notified",
  overdue: "staff_state_overdue",
  escalated: "staff_state_escalated",
  removed: "staff_state_removed",
  reappeared: "staff_state_reappeared",
  dismissed: "staff_state_dismissed",
};
const NOTICE_STATES: Record<string, Key> = {
  draft: "staff_nstate_draft",
  approved: "staff_nstate_approved",
  sending: "staff_nstate_sending",
  sent: "staff_nstate_sent",
  submitted: "staff_nstate_submitted",
  failed: "staff_nstate_failed",
  cancelled: "staff_nstate_cancelled",
};
const CHANNELS: Record<string, Key> = {
  web_form: "staff_channel_web_form",
  email: "staff_channel_email",
  api: "staff_channel_api",
};
const CASE_STATUSES: Record<string, Key> = { open: "staff_status_open", closed: "staff_status_closed" };
const JURISDICTIONS: Record<string, Key> = {
  US: "j_US",
  EU: "j_EU",
  UK: "j_UK",
  AU: "j_AU",
  HK: "j_HK",
  MY: "j_MY",
  SG: "j_SG",
  "": "j_unknown",
  unknown: "j_unknown",
};
const named = (map: Record<string, Key>, value: string) => (value in map ? t(map[value]) : value);

function when(iso: string | null): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language(), { dateStyle: "medium", timeStyle: "short" }).format(date);
}

// What the page holds: the views re-render from it when the language changes.
let username = "";
const query: CaseQuery = { status: "open", assigned: "", q: "" };
let cases: CaseSummary[] | null = null;
let current: CaseDetail | null = null;
let notices: Notice[] = [];
let urlResult: UrlResult | null = null;
// Messages that are keys (re-translated on a language change) plus a server detail.
const messages = new Map<string, { key: Key; vars: Record<string, string | number> }>();

function say(where: string, key: Key | null, vars: Record<string, string | number> = {}): void {
  if (key) messages.set(where, { key, vars });
  else messages.delete(where);
  const node = $(where);
  node.dataset.key = key ?? "";
  node.textContent = key ? t(key, vars) : "";
}

function errorKey(error: unknown): [Key, Record<string, string>] {
  if (!(error instanceof StaffError)) return ["staff_error_network", {}];
  switch (error.kind) {
    case "unauthenticated":
      return ["staff_session_ended", {}];
    case "forbidden":
      return ["staff_error_forbidden", {}];
    case "locked":
      return ["staff_login_locked", {}];
    case "server":
      return ["staff_error_server", {}];
    case "rejected":
      return ["staff_error_rejected", { detail: error.detail }];
    default:
      return ["staff_error_network", {}];
  }
}

function fail(where: string, error: unknown): void {
  if (error instanceof StaffError && error.kind === "unauthenticated") {
    showLogin();
    say("#login-error", "staff_session_ended");
    return;
  }
  const [key, vars] = errorKey(error);
  say(where, key, vars);
}

function show(view: "login" | "queue" | "case"): void {
  $("#login-view").hidden = view !== "login";
  $("#queue-view").hidden = view !== "queue";
  $("#case-view").hidden = view !== "case";
  $("#logout").hidden = view === "login";
  $("#who").textContent = view === "login" ? "" : t("staff_signed_in_as", { name: username });
  document.body.dataset.view = view;
}

function showLogin(): void {
  username = "";
  cases = null;
  current = null;
  show("login");
  $("#login-title").focus();
}

// ---- The queue ----

function renderQueue(): void {
  const rows = $("#queue-rows");
  if (!cases) return;
  rows.replaceChildren(
    ...cases.map((c) => {
      const link = el("a", { text: c.code, attrs: { href: caseHref(c.id), "data-case-id": String(c.id) } });
      const cell = (key: Key, ...content: (Node | string)[]) =>
        el("td", { attrs: { "data-label": t(key) } }, ...content);
      return el(
        "tr",
        { attrs: { "data-code": c.code } },
        cell("staff_col_code", link),
        cell("staff_col_created", when(c.created_at)),
        cell("staff_col_jurisdiction", named(JURISDICTIONS, c.jurisdiction)),
        cell("staff_col_status", named(CASE_STATUSES, c.status)),
        el("td", { attrs: { "data-label": t("staff_col_found"), "data-count": "urls_found" } }, String(c.counts.urls_found)),
        el("td", { attrs: { "data-label": t("staff_col_removed"), "data-count": "removed" } }, String(c.counts.removed)),
      );
    }),
  );
  $("#queue").hidden = cases.length === 0;
  say("#queue-status", cases.length ? "staff_queue_count" : "staff_queue_empty", { count: cases.length });
}

async function loadQueue(): Promise<void> {
  say("#queue-status", "staff_loading");
  try {
    cases = await listCases(query);
    renderQueue();
  } catch (error) {
    fail("#queue-status", error);
  }
}

// ---- One case ----

function caseHref(id: number | null): string {
  const url = new URL("/staff.html", location.origin);
  if (id !== null) url.searchParams.set("case", String(id));
  url.searchParams.set("lang", language());
  return url.pathname + url.search;
}

function renderCase(): void {
  const c = current;
  if (!c) return;
  $("#case-title").textContent = t("staff_case_title", { code: c.code });
  const fact = (key: Key, value: string, name: string) =>
    el("div", { attrs: { "data-fact": name } }, el("dt", { text: t(key) }), el("dd", { text: value }));
  $("#case-facts").replaceChildren(
    fact("staff_col_status", named(CASE_STATUSES, c.status), "status"),
    fact("staff_col_created", when(c.created_at), "created"),
    fact("staff_col_jurisdiction", named(JURISDICTIONS, c.jurisdiction), "jurisdiction"),
    fact("staff_case_authorised", t(c.authorised ? "staff_yes" : "staff_no"), "authorised"),
    fact("staff_col_found", String(c.counts.urls_found), "urls_found"),
    fact("staff_col_removed", String(c.counts.removed), "removed"),
  );

  $("#hashes").replaceChildren(
    ...(c.hashes.length
      ? c.hashes.map((h) =>
          el(
            "li",
            {},
            el("code", { className: "hex", text: h.pdq }),
            " ",
            el("span", { className: "summary", text: t("staff_hash_quality", { quality: h.quality }) }),
          ),
        )
      : [el("li", { text: t("staff_hashes_none") })]),
  );

  const byPlatform = new Map<string, typeof c.sightings>();
  for (const s of c.sightings) {
    const key = s.platform || s.host;
    byPlatform.set(key, [...(byPlatform.get(key) ?? []), s]);
  }
  const groups = [...byPlatform.entries()].sort(([a], [b]) => a.localeCompare(b));
  $("#sightings").replaceChildren(
    ...(groups.length
      ? groups.map(([platform, list]) =>
          el(
            "section",
            { className: "group", attrs: { "data-platform": platform } },
            el("h3", { text: t("staff_platform_count", { platform, count: list.length }) }),
            el(
              "ul",
              { className: "plain-list" },
              ...list.map((s) =>
                el(
                  "li",
                  { attrs: { "data-sighting-id": String(s.id), "data-state": s.state } },
                  el("code", { className: "url", text: s.normalized_url || s.url }),
                  el(
                    "span",
                    { className: "meta" },
                    el("span", { className: `badge state-${s.state}`, text: named(SIGHTING_STATES, s.state) }),
                    " ",
                    s.last_checked ? t("staff_sighting_checked", { when: when(s.last_checked) }) : t("staff_never_checked"),
                  ),
                ),
              ),
            ),
          ),
        )
      : [el("p", { text: t("staff_sightings_none") })]),
  );
  renderUrlResult();
  renderNotices();
}

function renderUrlResult(): void {
  const r = urlResult;
  if (!r) {
    $("#url-results").replaceChildren();
    return;
  }
  say("#urls-summary", "staff_urls_result", { added: r.added, rejected: r.rejected });
  $("#url-results").replaceChildren(
    ...r.lines.map((l) => {
      const [key, vars]: [Key, Record<string, string | number>] = !l.ok
        ? ["staff_url_rejected", { line: l.line, error: l.error ?? "" }]
        : l.duplicate
          ? ["staff_url_duplicate", { line: l.line }]
          : ["staff_url_added", { line: l.line, platform: l.platform ?? "" }];
      return el(
        "li",
        { className: l.ok ? "ok" : "error", attrs: { "data-line": String(l.line), "data-ok": String(l.ok) } },
        el("code", { className: "url", text: l.input }),
        el("span", { className: "meta", text: t(key, vars) }),
      );
    }),
  );
}

function renderNotices(): void {
  $("#notices").replaceChildren(
    ...(notices.length
      ? notices.map((n) => {
          const webForm = n.channel === "web_form";
          const fact = (key: Key, value: string) => el("div", {}, el("dt", { text: t(key) }), el("dd", { text: value }));
          const missingId = `notice-${n.id}-missing`;
          const missing = n.missing.length
            ? el(
                "div",
                { className: "missing", attrs: { id: missingId } },
                el("p", { className: "error", text: t("staff_notice_missing") }),
                el("ul", {}, ...n.missing.map((m) => el("li", { text: m }))),
              )
            : el("p", { className: "ok", attrs: { id: missingId, "data-complete": "true" }, text: t("staff_notice_complete") });
          const textId = `notice-${n.id}-text`;
          const text = el("pre", { className: "notice-text", attrs: { id: textId }, text: n.body });
          const buttons = el("div", { className: "actions" });
          if (n.state === "draft") {
            const approve = el("button", {
              className: "primary",
              text: t("staff_notice_approve"),
              attrs: { type: "button", "data-action": "approve", "aria-describedby": missingId },
            });
            approve.disabled = n.missing.length > 0;
            buttons.append(approve);
          }
          if (webForm) {
            buttons.append(
              el("button", { text: t("staff_notice_copy"), attrs: { type: "button", "data-action": "copy", "aria-describedby": textId } }),
            );
            if (n.state === "approved") {
              buttons.append(
                el("button", { className: "primary", text: t("staff_notice_submitted"), attrs: { type: "button", "data-action": "submitted" } }),
              );
            }
          }
          return el(
            "article",
            { className: "notice", attrs: { "data-notice-id": String(n.id), "data-state": n.state, "data-channel": n.channel, "data-recipient": n.recipient } },
            el("h3", { text: n.subject, attrs: { tabindex: "-1" } }),
            el(
              "dl",
              { className: "facts" },
              fact("staff_notice_recipient", n.recipient),
              fact("staff_notice_channel", named(CHANNELS, n.channel)),
              fact("staff_notice_address", n.address),
              fact("staff_notice_state", named(NOTICE_STATES, n.state)),
              fact("staff_notice_basis", n.legal_basis),
            ),
            missing,
            webForm
              ? el("div", {}, el("p", { className: "hint", text: t("staff_notice_webform_hint") }), text)
              : el("details", {}, el("summary", { text: t("staff_notice_preview") }), text),
            buttons,
          );
        })
      : [el("p", { text: t("staff_notices_none") })]),
  );
}

async function openCase(id: number): Promise<void> {
  show("case");
  $("#case-title").textContent = t("staff_loading");
  urlResult = null;
  say("#urls-summary", null);
  say("#notices-status", null);
  say("#global-error", null);
  try {
    [current, notices] = await Promise.all([getCase(id), listNotices(id)]);
    renderCase();
    $("#case-title").focus();
  } catch (error) {
    fail("#global-error", error);
  }
}

async function refreshCase(): Promise<void> {
  if (!current) return;
  [current, notices] = await Promise.all([getCase(current.id), listNotices(current.id)]);
  renderCase();
}

// ---- Navigation ----

function route(): void {
  const id = Number(new URLSearchParams(location.search).get("case"));
  if (Number.isInteger(id) && id > 0) {
    void openCase(id);
  } else {
    current = null;
    show("queue");
    void loadQueue();
  }
}

function go(href: string): void {
  history.pushState(null, "", href);
  route();
  if (!current) $("#queue-title").focus();
}

function rerender(): void {
  if (document.body.dataset.view !== "login") show(document.body.dataset.view as "queue" | "case");
  renderQueue();
  renderCase();
  $<HTMLAnchorElement>("#back").href = caseHref(null);
  for (const [where, m] of messages) $(where).textContent = t(m.key, m.vars);
}

function init(): void {
  initLanguage(rerender);

  $<HTMLFormElement>("#login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const user = $<HTMLInputElement>("#username").value.trim();
    const password = $<HTMLInputElement>("#password").value;
    if (!user || !password) return say("#login-error", "staff_login_missing");
    const button = $<HTMLButtonElement>("#login-submit");
    button.disabled = true;
    say("#login-error", "staff_loading");
    try {
      username = (await login(user, password)).username;
      say("#login-error", null);
      $<HTMLFormElement>("#login-form").reset();
      route();
      if (!current) $("#queue-title").focus();
    } catch (error) {
      const kind = error instanceof StaffError ? error.kind : "network";
      if (kind === "unauthenticated" || kind === "rejected") say("#login-error", "staff_login_wrong");
      else say("#login-error", ...errorKey(error));
    } finally {
      button.disabled = false;
    }
  });

  $("#logout").addEventListener("click", async () => {
    try {
      await logout();
    } catch {
      // the session is gone either way for this page
    }
    showLogin();
  });

  $<HTMLFormElement>("#filters").addEventListener("submit", (event) => {
    event.preventDefault();
    query.status = $<HTMLSelectElement>("#filter-status").value as CaseQuery["status"];
    query.assigned = $<HTMLSelectElement>("#filter-assigned").value as CaseQuery["assigned"];
    query.q = $<HTMLInputElement>("#filter-q").value.trim().toUpperCase();
    void loadQueue();
  });

  $("#queue-rows").addEventListener("click", (event) => {
    const link = (event.target as HTMLElement).closest<HTMLAnchorElement>("a[data-case-id]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    go(link.getAttribute("href")!);
  });
  $("#back").addEventListener("click", (event) => {
    event.preventDefault();
    go(caseHref(null));
  });
  window.addEventListener("popstate", route);

  $<HTMLFormElement>("#urls-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!current) return;
    const text = $<HTMLTextAreaElement>("#urls-text").value;
    if (!text.trim()) return say("#urls-summary", "staff_urls_empty");
    const button = $<HTMLButtonElement>("#urls-submit");
    button.disabled = true;
    say("#urls-summary", "staff_loading");
    try {
      const result = await addUrls(current.id, text);
      $<HTMLTextAreaElement>("#urls-text").value = "";
      await refreshCase();
      urlResult = result;
      renderUrlResult();
    } catch (error) {
      fail("#urls-summary", error);
    } finally {
      button.disabled = false;
    }
  });

  $("#draft-notices").addEventListener("click", async () => {
    if (!current) return;
    const button = $<HTMLButtonElement>("#draft-notices");
    button.disabled = true;
    say("#notices-status", "staff_loading");
    try {
      const drafted = await draftNotices(current.id);
      await refreshCase();
      say("#notices-status", "staff_drafted", { count: drafted.length });
    } catch (error) {
      fail("#notices-status", error);
    } finally {
      button.disabled = false;
    }
  });

  $("#notices").addEventListener("click", async (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-action]");
    const article = button?.closest<HTMLElement>("article[data-notice-id]");
    if (!button || !article) return;
    const id = Number(article.dataset.noticeId);
    const action = button.dataset.action;
    if (action === "copy") {
      const notice = notices.find((n) => n.id === id);
      try {
        await navigator.clipboard.writeText(notice?.body ?? "");
        say("#notices-status", "staff_notice_copied");
      } catch {
        say("#notices-status", "staff_notice_copy_failed");
      }
      return;
    }
    if (action !== "approve" && action !== "submitted") return;
    button.disabled = true;
    try {
      await decideNotice(id, action);
      await refreshCase();
      say("#notices-status", action === "approve" ? "staff_notice_approved_msg" : "staff_notice_submitted_msg");
      document.querySelector<HTMLElement>(`article[data-notice-id="${id}"] h3`)?.focus();
    } catch (error) {
      button.disabled = false;
      fail("#notices-status", error);
    }
  });

  // A session this browser already has (a reload) needs no new login.
  me()
    .then((who) => {
      username = who.username;
      route();
    })
    .catch(() => showLogin())
    .finally(() => {
      document.body.dataset.ready = "true";
    });
}

init();
