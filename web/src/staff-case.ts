// The dashboard's case view (staff.html?case=N): facts, her facts and choices, assignment and
// open/closed, fingerprints, where copies were found (staff-sightings.ts), adding web addresses,
// notes, drafting notices and deciding them (staff-casework-notices.ts), and the case's timeline
// (staff-casework-timeline.ts). staff.ts owns the login, queue and navigation.
import "./messages.css";
import { t, type Key } from "./i18n";
import {
  addNote,
  addUrls,
  assignCase,
  draftNotices,
  getCase,
  listEvents,
  listNotices,
  listReplies,
  dossierUrl,
  setCaseStatus,
  type CaseDetail,
  type CaseEvent,
  type Notice,
  type Reply,
  type UrlLine,
  type UrlResult,
} from "./staff-api";
import { choices } from "./choices";
import { setCaseLanguage, type SurvivorFacts } from "./staff-casework-api";
import { initNotices, renderNotices } from "./staff-casework-notices";
import { renderTimeline } from "./staff-casework-timeline";
import { initSightings, renderSightings } from "./staff-sightings";
import {
  $,
  CASE_STATUSES,
  el,
  fail,
  jurisdictionName,
  languageName,
  loadJurisdictionNames,
  named,
  say,
  when,
} from "./staff-ui";
import { clearWatch, initWatch, loadWatch, renderWatch } from "./staff-watch";

// What the view holds: it re-renders from this when the language changes.
let me = { id: 0, username: "" };
let current: (CaseDetail & SurvivorFacts) | null = null;
let notices: Notice[] = [];
let events: CaseEvent[] = [];
let replies: Reply[] = [];
let urlResult: UrlResult | null = null;
let noticeLanguages: string[] = []; // the notice templates' (GET /api/v1/resources)

export function setMe(id: number, username: string): void {
  me = { id, username };
}
export const hasCase = () => current !== null;
export function clearCase(): void {
  current = null;
  clearWatch();
}
export const currentCase = () => current;

function actorName(actor: string): string {
  if (actor === `user:${me.id}`) return me.username;
  if (actor === "survivor") return t("staff_actor_survivor");
  if (actor === "system") return t("staff_actor_system");
  if (actor === "discovery") return t("cw_actor_discovery");
  const user = /^user:(\d+)$/.exec(actor);
  return user ? t("staff_actor_user", { id: user[1] }) : actor;
}

const AGES: Record<string, Key> = {
  adult: "cw_her_age_adult",
  minor_when_made: "cw_her_age_minor_when_made",
  minor_now: "cw_her_age_minor_now",
};
const NAMED_IN_NOTICES: Record<string, Key> = {
  none: "cw_her_named_none",
  name: "cw_her_named_name",
  name_and_contact: "cw_her_named_name_and_contact",
};

// Her facts and choices as she gave them at intake; her contact for the organisation apart from
// the one she chose to have printed in notices, so that the first never reaches a platform.
function renderSurvivor(c: SurvivorFacts): void {
  const fact = (key: Key, value: string, name: string) =>
    el("div", { attrs: { "data-her": name } }, el("dt", { text: t(key) }), el("dd", { text: value }));
  const yesNo = (v: boolean) => t(v ? "staff_yes" : "staff_no");
  $("#her-facts").replaceChildren(
    fact("cw_her_language", languageName(c.language), "language"),
    fact("cw_her_named", named(NAMED_IN_NOTICES, c.in_notices), "in_notices"),
    fact("cw_her_sharing", yesNo(c.consent_share), "consent_share"),
    fact("cw_her_age", named(AGES, c.age), "age"),
    fact("cw_her_ai", yesNo(c.ai_made), "ai_made"),
  );
  // The language her notices are written in: hers at intake, changed here by the caseworker.
  const options = noticeLanguages.includes(c.language) ? noticeLanguages : [c.language, ...noticeLanguages];
  const select = $<HTMLSelectElement>("#case-language");
  select.replaceChildren(...options.map((tag) => el("option", { text: languageName(tag), attrs: { value: tag } })));
  select.value = c.language;
  const contact = (value: string) => value || t("cw_her_contact_none");
  $("#her-contact-org").textContent = contact(c.contact);
  $("#her-contact-notices").textContent = contact(c.notice_contact);
}

export function renderCase(): void {
  const c = current;
  if (!c) return;
  $("#case-title").textContent = t("staff_case_title", { code: c.code });
  const fact = (key: Key, value: string, name: string) =>
    el("div", { attrs: { "data-fact": name } }, el("dt", { text: t(key) }), el("dd", { text: value }));
  const assigned =
    c.assigned_user === null
      ? t("staff_assigned_nobody")
      : c.assigned_user === me.id
        ? t("staff_assigned_you", { name: me.username })
        : t("staff_actor_user", { id: c.assigned_user });
  renderSurvivor(c);
  $("#case-facts").replaceChildren(
    fact("staff_col_status", named(CASE_STATUSES, c.status), "status"),
    fact("staff_case_assigned", assigned, "assigned"),
    fact("staff_col_created", when(c.created_at), "created"),
    fact("staff_col_jurisdiction", jurisdictionName(c.jurisdiction), "jurisdiction"),
    fact("staff_case_authorised", t(c.authorised ? "staff_yes" : "staff_no"), "authorised"),
    fact("staff_col_found", String(c.counts.urls_found), "urls_found"),
    fact("staff_col_removed", String(c.counts.removed), "removed"),
  );
  const mine = c.assigned_user === me.id;
  $("#assign-toggle").textContent = t(mine ? "staff_unassign" : "staff_assign_me");
  $("#assign-toggle").dataset.mine = String(mine);
  $("#status-toggle").textContent = t(c.status === "closed" ? "staff_reopen_case" : "staff_close_case");
  $("#status-toggle").dataset.status = c.status;
  $<HTMLAnchorElement>("#dossier-link").href = dossierUrl(c.id);

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

  renderSightings(c.sightings);
  renderWatch();

  $("#notes").replaceChildren(
    ...(c.notes.length
      ? c.notes.map((n) =>
          el(
            "li",
            { className: n.to_survivor ? "to-survivor" : "", attrs: { "data-note-id": String(n.id) } },
            ...(n.to_survivor ? [el("span", { className: "badge to-survivor", text: t("msg_staff_badge") })] : []),
            el("p", { className: "note-text", text: n.text }),
            el("span", { className: "meta", text: t("staff_note_by", { author: actorName(`user:${n.author}`), when: when(n.at) }) }),
          ),
        )
      : [el("li", { text: t("staff_notes_none") })]),
  );

  $("#timeline").replaceChildren(
    ...(events.length ? renderTimeline(events, c.sightings, notices, actorName) : [el("li", { text: t("staff_timeline_none") })]),
  );
  renderUrlResult();
  renderNotices(notices, replies, noticeLanguages);
}

// A paste of at most this many lines shows every line's result as it is.
const FLAT_URL_LINES = 10;

function renderUrlResult(): void {
  const r = urlResult;
  if (!r) {
    $("#url-results").replaceChildren();
    return;
  }
  say("#urls-summary", "staff_urls_result", { added: r.added, rejected: r.rejected });
  const line = (l: UrlLine) => {
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
  };
  if (r.lines.length <= FLAT_URL_LINES) {
    $("#url-results").replaceChildren(...r.lines.map(line));
    return;
  }
  // A long paste: the refused lines first, each with its reason; the accepted ones folded away.
  const accepted = r.lines.filter((l) => l.ok);
  $("#url-results").replaceChildren(
    ...r.lines.filter((l) => !l.ok).map(line),
    ...(accepted.length
      ? [
          el(
            "li",
            { className: "folded" },
            el("details", {}, el("summary", { text: t("cw_urls_accepted", { count: accepted.length }) }), el("ul", { className: "plain-list" }, ...accepted.map(line))),
          ),
        ]
      : []),
  );
}

// The newest events the timeline reads: a 500-link paste's events fold into one line.
const TIMELINE_EVENTS = 1000;

// Reads the case, then its timeline: reading the case is audited (case.read), so the events are
// asked for only once the read has been answered, and the timeline shows this opening too. Asked
// together, the list could be answered before the read was recorded and miss it.
async function load(id: number): Promise<void> {
  const [c, n, r, listed] = await Promise.all([
    getCase(id) as Promise<CaseDetail & SurvivorFacts>,
    listNotices(id),
    listReplies(id),
    choices(),
    loadJurisdictionNames(),
  ]);
  const [e] = await Promise.all([listEvents(id, TIMELINE_EVENTS), loadWatch(c)]);
  [current, notices, replies, events, noticeLanguages] = [c, n, r, e, listed.languages];
  renderCase();
}

// Which opening is the latest: an earlier one still loading leaves the view to it.
let opening = 0;

// Opens case `id`. Until it has come, the view may still hold the case shown before: hidden when
// that was another case, and inert either way, so that nothing is done to a case the caseworker is
// not looking at; the view is aria-busy meanwhile, and data-case names the case once it is shown.
export async function openCase(id: number): Promise<void> {
  const mine = ++opening;
  const view = $("#case-view");
  const body = $("#case-body");
  body.hidden = view.dataset.case !== String(id);
  body.inert = true;
  view.setAttribute("aria-busy", "true");
  delete view.dataset.case;
  $("#case-title").textContent = t("staff_loading");
  urlResult = null;
  for (const where of ["#urls-summary", "#case-language-status", "#notices-status", "#global-error", "#case-msg", "#note-status", "#message-status", "#sightings-status", "#watch-status"]) {
    say(where, null);
  }
  let shown = false;
  try {
    await load(id);
    shown = true;
  } catch (error) {
    fail("#global-error", error);
  }
  if (mine !== opening) return;
  body.hidden = !shown;
  body.inert = false;
  view.removeAttribute("aria-busy");
  if (shown) {
    view.dataset.case = String(id);
    $("#case-title").focus();
  }
}

async function refreshCase(): Promise<void> {
  if (current) await load(current.id);
}

// Runs a change from a button, disabling it meanwhile; then reloads the case and says `done`.
async function change(button: HTMLButtonElement, where: string, done: Key, what: (id: number) => Promise<void>): Promise<boolean> {
  if (!current) return false;
  button.disabled = true;
  say(where, "staff_loading");
  try {
    await what(current.id);
    await refreshCase();
    say(where, done);
    return true;
  } catch (error) {
    fail(where, error);
    return false;
  } finally {
    button.disabled = false;
  }
}

export function initCaseView(): void {
  initSightings(refreshCase, () => current?.sightings ?? [], () => current?.id ?? null);
  initNotices(refreshCase, () => current?.id ?? null);
  initWatch(refreshCase);
  $("#assign-toggle").addEventListener("click", (event) => {
    const button = event.currentTarget as HTMLButtonElement;
    const mine = button.dataset.mine === "true";
    void change(button, "#case-msg", mine ? "staff_unassigned_msg" : "staff_assigned_msg", (id) => assignCase(id, mine ? null : me.id));
  });
  $("#status-toggle").addEventListener("click", (event) => {
    const button = event.currentTarget as HTMLButtonElement;
    const closing = button.dataset.status !== "closed";
    void change(button, "#case-msg", closing ? "staff_closed_msg" : "staff_reopened_msg", (id) =>
      setCaseStatus(id, closing ? "closed" : "open"),
    );
  });

  $<HTMLFormElement>("#note-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $<HTMLTextAreaElement>("#note-text").value;
    if (!text.trim()) return say("#note-status", "staff_note_empty");
    if (await change($<HTMLButtonElement>("#note-submit"), "#note-status", "staff_note_added", (id) => addNote(id, text))) {
      $<HTMLTextAreaElement>("#note-text").value = "";
    }
  });
  // A separate form, not a switch on the note form, so a staff note never reaches her by mistake.
  $<HTMLFormElement>("#message-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $<HTMLTextAreaElement>("#message-text").value;
    if (!text.trim()) return say("#message-status", "msg_staff_empty");
    if (await change($<HTMLButtonElement>("#message-submit"), "#message-status", "msg_staff_sent", (id) => addNote(id, text, true))) {
      $<HTMLTextAreaElement>("#message-text").value = "";
    }
  });

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

  $<HTMLFormElement>("#case-language-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!current) return;
    const wanted = $<HTMLSelectElement>("#case-language").value;
    if (wanted === current.language) return say("#case-language-status", "cw_case_language_same");
    const button = $<HTMLButtonElement>("#case-language-submit");
    button.disabled = true;
    say("#case-language-status", "staff_loading");
    try {
      const rewritten = await setCaseLanguage(current.id, wanted);
      await refreshCase();
      say("#case-language-status", "cw_case_language_done", { language: languageName(wanted), count: rewritten });
    } catch (error) {
      fail("#case-language-status", error);
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
}
