// The caseworker dashboard (staff.html): log in, the case queue with filters and search (its rows
// in staff-queue.ts), and one case (staff-case.ts). One page with three views; the case shown is in the address (?case=N) so
// reloads and the back button work. The CSRF token lives in staff-api.ts's memory; nothing is
// stored on the device.
import "./style.css";
import { initLanguage, language, t, type Key } from "./i18n";
import { changePassword, listCases, login, logout, me, StaffError, type CaseQuery, type CaseSummary, type Me } from "./staff-api";
import { clearCase, hasCase, initCaseView, openCase, renderCase, setMe } from "./staff-case";
import { clearStats, initStatsView, openStats, renderStats, setRole } from "./staff-stats";
import { clearAdmin, initAdminView, isAdmin, openAdmin, renderAdmin, setAdminRole } from "./staff-admin";
import { clearPlatforms, openPlatform, openPlatforms, renderPlatforms } from "./staff-platforms";
import { initQueueAssign, loadColleagues, queueRows } from "./staff-queue";
import { clearOrganisation, initOrganisationForm, loadOrganisation, renderOrganisation } from "./staff-organisation";
import { initKeys } from "./staff-keys";
import { $, errorKey, fail, loadJurisdictionNames, messages, onSessionEnded, say } from "./staff-ui";

// What the page holds: the views re-render from it when the language changes.
let username = "";
const query: CaseQuery = { status: "open", assigned: "", q: "" };
let cases: CaseSummary[] | null = null;
let mustChangePassword = false;

type View = "login" | "password" | "queue" | "case" | "stats" | "platforms" | "platform" | "admin";
// The heading each view focuses when it is opened (platform pages and admin: staff-platforms.ts,
// staff-admin.ts).
const TITLES: Partial<Record<View, string>> = {
  password: "#password-title",
  stats: "#stats-title",
  platforms: "#platforms-title",
  platform: "#platform-title",
  admin: "#admin-title",
};

function show(view: View): void {
  $("#login-view").hidden = view !== "login";
  $("#password-view").hidden = view !== "password";
  $("#queue-view").hidden = view !== "queue";
  $("#case-view").hidden = view !== "case";
  $("#stats-view").hidden = view !== "stats";
  $("#platforms-view").hidden = view !== "platforms";
  $("#platform-view").hidden = view !== "platform";
  $("#admin-view").hidden = view !== "admin";
  $("#admin-link").hidden = !isAdmin() || view === "password";
  $("#logout").hidden = view === "login";
  $("#who").textContent = view === "login" ? "" : t("staff_signed_in_as", { name: username });
  document.body.dataset.view = view;
}

function showLogin(): void {
  username = "";
  mustChangePassword = false;
  cases = null;
  clearCase();
  clearStats();
  setRole("");
  clearPlatforms();
  clearAdmin();
  setAdminRole("");
  clearOrganisation();
  show("login");
  $("#login-title").focus();
}

// ---- The queue ----

function renderQueue(): void {
  if (!cases) return;
  $("#queue-rows").replaceChildren(...queueRows(cases, (id) => caseHref(id)));
  $("#queue").hidden = cases.length === 0;
  say("#queue-status", cases.length ? "staff_queue_count" : "staff_queue_empty", { count: cases.length });
}

// Loads can overlap (going back to the queue loads it, and so does applying a filter a moment
// later): only the latest one may fill the list, or an older answer would show the wrong view.
let queueLoads = 0;

async function loadQueue(): Promise<void> {
  const load = ++queueLoads;
  say("#queue-status", "staff_loading");
  try {
    const [listed] = await Promise.all([listCases(query), loadJurisdictionNames(), loadColleagues(), loadOrganisation(isAdmin())]);
    if (load !== queueLoads) return;
    cases = listed;
    renderQueue();
  } catch (error) {
    if (load === queueLoads) fail("#queue-status", error);
  }
}

function caseHref(id: number | null, view?: "stats"): string {
  const url = new URL("/staff.html", location.origin);
  if (id !== null) url.searchParams.set("case", String(id));
  if (view) url.searchParams.set("view", view);
  url.searchParams.set("lang", language());
  return url.pathname + url.search;
}

// ---- Navigation ----

function route(): void {
  if (mustChangePassword) return show("password");
  const params = new URLSearchParams(location.search);
  const id = Number(params.get("case"));
  if (params.get("view") !== "admin") clearAdmin(); // a secret just shown is not kept
  if (params.get("view") === "platforms") {
    clearCase();
    show("platforms");
    openPlatforms();
  } else if (params.get("platform")) {
    clearCase();
    show("platform");
    openPlatform(params.get("platform")!);
  } else if (params.get("view") === "admin") {
    clearCase();
    show("admin");
    openAdmin();
  } else if (params.get("view") === "stats") {
    clearCase();
    show("stats");
    openStats();
  } else if (Number.isInteger(id) && id > 0) {
    show("case");
    void openCase(id);
  } else {
    clearCase();
    show("queue");
    void loadQueue();
  }
}

function go(href: string): void {
  history.pushState(null, "", href);
  route();
  const title = TITLES[document.body.dataset.view as View];
  if (title) $(title).focus();
  else if (!hasCase()) $("#queue-title").focus();
}

// Signed in as `who`: her views, unless an admin reset her password, which two people now know:
// then only the form to set her own (the server refuses everything else meanwhile).
// `focus`: move the focus to the view's heading (after a form; a reload leaves it where it is).
function signedIn(who: Me, focus = true): void {
  username = who.username;
  mustChangePassword = who.must_change_password;
  setMe(who.id, who.username);
  setRole(who.role);
  setAdminRole(who.role, who.id);
  route();
  if (!focus) return;
  const title = TITLES[document.body.dataset.view as View];
  if (title) $(title).focus();
  else if (!hasCase()) $("#queue-title").focus();
}

// Runs a form whose answer signs her in: its button disabled meanwhile, its status line at
// `where`, the words in `wrong` for the refusals it names (a wrong password), the server's
// reason for any other.
async function signInFrom(form: string, where: string, wrong: Partial<Record<string, Key>>, attempt: () => Promise<Me>): Promise<void> {
  const button = $<HTMLButtonElement>(`${form} button[type="submit"]`);
  button.disabled = true;
  say(where, "staff_loading");
  try {
    const who = await attempt();
    say(where, null);
    $<HTMLFormElement>(form).reset();
    signedIn(who);
  } catch (error) {
    const words = wrong[error instanceof StaffError ? error.kind : "network"];
    if (words) say(where, words);
    else say(where, ...errorKey(error));
  } finally {
    button.disabled = false;
  }
}

function rerender(): void {
  if (document.body.dataset.view !== "login") show(document.body.dataset.view as View);
  renderQueue();
  renderCase();
  renderStats();
  renderPlatforms();
  renderAdmin();
  renderOrganisation();
  $<HTMLAnchorElement>("#back").href = caseHref(null);
  $<HTMLAnchorElement>("#stats-back").href = caseHref(null);
  $<HTMLAnchorElement>("#stats-link").href = caseHref(null, "stats");
  for (const [where, m] of messages) $(where).textContent = t(m.key, m.vars);
}

function init(): void {
  // Jurisdictions' names come in the page's language: a switch asks for them again.
  initLanguage(() => {
    rerender();
    void loadJurisdictionNames().then(rerender);
  });
  onSessionEnded(() => {
    showLogin();
    say("#login-error", "staff_session_ended");
  });

  $<HTMLFormElement>("#login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const user = $<HTMLInputElement>("#username").value.trim();
    const password = $<HTMLInputElement>("#password").value;
    if (!user || !password) return say("#login-error", "staff_login_missing");
    await signInFrom("#login-form", "#login-error", { unauthenticated: "staff_login_wrong", rejected: "staff_login_wrong" }, () =>
      login(user, password),
    );
  });

  // Her own password after an admin's reset; then a new session with it (the change ends them all).
  $<HTMLFormElement>("#password-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const current = $<HTMLInputElement>("#pw-current").value;
    const replacement = $<HTMLInputElement>("#pw-new").value;
    if (!current || !replacement) return say("#password-error", "staff_login_missing");
    if (replacement.length < 12) return say("#password-error", "staff_pw_short");
    if (replacement !== $<HTMLInputElement>("#pw-repeat").value) return say("#password-error", "staff_pw_mismatch");
    if (replacement === current) return say("#password-error", "staff_pw_same");
    await signInFrom("#password-form", "#password-error", { forbidden: "staff_pw_current_wrong" }, async () => {
      await changePassword(current, replacement);
      return login(username, replacement);
    });
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
    query.q = $<HTMLInputElement>("#filter-q").value.trim();
    query.attention = $<HTMLSelectElement>("#filter-attention").value as CaseQuery["attention"];
    void loadQueue();
  });

  $("#queue-rows").addEventListener("click", (event) => {
    const link = (event.target as HTMLElement).closest<HTMLAnchorElement>("a[data-case-id]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    go(link.getAttribute("href")!);
  });
  for (const back of ["#back", "#stats-back"]) {
    $(back).addEventListener("click", (event) => {
      event.preventDefault();
      go(caseHref(null));
    });
  }
  $("#stats-link").addEventListener("click", (event) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    go(caseHref(null, "stats"));
  });
  // Links between the views that carry data-nav (platform pages, admin) stay in the page.
  document.addEventListener("click", (event) => {
    const link = (event.target as HTMLElement).closest<HTMLAnchorElement>("a[data-nav]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    go(link.getAttribute("href")!);
  });
  window.addEventListener("popstate", route);

  initCaseView();
  initKeys();
  initStatsView();
  initAdminView();
  initOrganisationForm();
  initQueueAssign(loadQueue);

  // A session this browser already has (a reload) needs no new login.
  me()
    .then((who) => signedIn(who, false))
    .catch(() => showLogin())
    .finally(() => {
      document.body.dataset.ready = "true";
    });
}

init();
