// The dashboard's case view (staff.html?case=N): facts, assignment and open/closed, fingerprints,
// where copies were found, adding web addresses, notes, drafting and deciding notices with the
// replies that came back, and the case's timeline. staff.ts owns the login, queue and navigation.
import "./messages.css";
import { t, type Key } from "./i18n";
import {
  addNote,
  addUrls,
  assignCase,
  decideNotice,
  draftNotices,
  getCase,
  listEvents,
  listNotices,
  listReplies,
  dossierUrl,
  setCaseStatus,
  type CaseDetail,
  type CaseEvent,
  type Decision,
  type Notice,
  type Reply,
  type UrlResult,
} from "./staff-api";
import { initSightings, renderSightings } from "./staff-sightings";
import { $, CASE_STATUSES, CHANNELS, collapseReads, el, fail, jurisdictionName, loadJurisdictionNames, named, say, when } from "./staff-ui";
import { clearWatch, initWatch, loadWatch, renderWatch } from "./staff-watch";

const NOTICE_STATES: Record<string, Key> = {
  draft: "staff_nstate_draft",
  approved: "staff_nstate_approved",
  sending: "staff_nstate_sending",
  sent: "staff_nstate_sent",
  submitted: "staff_nstate_submitted",
  failed: "staff_nstate_failed",
  cancelled: "staff_nstate_cancelled",
};
const REPLY_KINDS: Record<string, Key> = {
  human: "staff_reply_human",
  auto_reply: "staff_reply_auto",
  bounce: "staff_reply_bounce",
};
// The audit trail's actions in plain words; others are shown as their code.
const ACTIONS: Record<string, Key> = {
  "case.created": "staff_ev_case_created",
  "case.read": "staff_ev_case_read",
  "case.closed": "staff_ev_case_closed",
  "case.reopened": "staff_ev_case_reopened",
  "case.dossier": "staff_ev_case_dossier",
  "case.message": "msg_ev_case_message",
  "sighting.added": "staff_ev_sighting_added",
  "sighting.checked": "staff_ev_sighting_checked",
  "sighting.state": "staff_ev_sighting_state",
  "sighting.removed": "staff_ev_sighting_removed",
  "sighting.reappeared": "staff_ev_sighting_reappeared",
  "notice.drafted": "staff_ev_notice_drafted",
  "notice.approved": "staff_ev_notice_approved",
  "notice.sent": "staff_ev_notice_sent",
  "notice.submitted": "staff_ev_notice_submitted",
  "notice.cancelled": "staff_ev_notice_cancelled",
  "notice.failed": "staff_ev_notice_failed",
  "notice.retry": "staff_ev_notice_retry",
  "notice.reply": "staff_ev_notice_reply",
  "notice.bounced": "staff_ev_notice_bounced",
  "sighting.repost": "cw_ev_sighting_repost",
  "sighting.confirmed": "cw_ev_sighting_confirmed",
  "sighting.recheck_asked": "cw_ev_recheck_asked",
  "case.crawl_asked": "cw_ev_crawl_asked",
  "case.watch_paused": "cw_ev_watch_paused",
  "case.watch_resumed": "cw_ev_watch_resumed",
  "source.added": "cw_ev_source_added",
  "source.paused": "cw_ev_source_paused",
  "source.resumed": "cw_ev_source_resumed",
  "source.deleted": "cw_ev_source_deleted",
};

// What the view holds: it re-renders from this when the language changes.
let me = { id: 0, username: "" };
let current: CaseDetail | null = null;
let notices: Notice[] = [];
let events: CaseEvent[] = [];
let replies: Reply[] = [];
let urlResult: UrlResult | null = null;

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

function actionWords(e: CaseEvent): string {
  if (e.action === "case.assigned") return t(e.detail.user == null ? "staff_ev_case_unassigned" : "staff_ev_case_assigned");
  if (e.action === "case.status") return t(e.detail.status === "closed" ? "staff_ev_case_closed" : "staff_ev_case_reopened");
  return named(ACTIONS, e.action);
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
    ...(events.length
      ? collapseReads(events).map(({ event: e, count, earliest }) =>
          el(
            "li",
            { attrs: { "data-action": e.action } },
            el("time", { text: when(e.at), attrs: { datetime: e.at } }),
            " ",
            el("span", { className: "actor", text: actorName(e.actor) }),
            ": ",
            el("span", { className: "action", text: actionWords(e) }),
            ...(count > 1
              ? [" ", el("span", { className: "repeat", text: t("cw_timeline_repeated", { count, first: when(earliest) }) })]
              : []),
          ),
        )
      : [el("li", { text: t("staff_timeline_none") })]),
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

function renderReplies(n: Notice): HTMLElement | string {
  const mine = replies.filter((r) => r.notice_id === n.id);
  if (!mine.length) return "";
  const fact = (key: Key, value: string) => el("div", {}, el("dt", { text: t(key) }), el("dd", { text: value }));
  return el(
    "section",
    { className: "replies" },
    el("h4", { text: t("staff_replies_title", { count: mine.length }) }),
    ...mine.map((r) =>
      el(
        "div",
        { className: "reply", attrs: { "data-reply-id": String(r.id), "data-kind": r.kind } },
        el(
          "dl",
          { className: "facts" },
          fact("staff_reply_kind", named(REPLY_KINDS, r.kind)),
          fact("staff_reply_from", r.from),
          fact("staff_reply_subject", r.subject),
          fact("staff_reply_received", when(r.received_at)),
        ),
        el("pre", { className: "notice-text", text: r.text }),
      ),
    ),
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
          const button = (key: Key, action: string, className = "", attrs: Record<string, string> = {}) =>
            el("button", { className, text: t(key), attrs: { type: "button", "data-action": action, ...attrs } });
          if (n.state === "draft") {
            const approve = button("staff_notice_approve", "approve", "primary", { "aria-describedby": missingId });
            approve.disabled = n.missing.length > 0;
            buttons.append(approve);
          }
          if (webForm) {
            buttons.append(button("staff_notice_copy", "copy", "", { "aria-describedby": textId }));
            if (n.state === "approved") buttons.append(button("staff_notice_submitted", "submitted", "primary"));
          } else if (n.state === "failed" || n.state === "approved") {
            buttons.append(button("staff_notice_send_again", "send-again"));
          }
          if (n.state === "draft" || n.state === "approved" || n.state === "failed") {
            buttons.append(button("staff_notice_cancel", "cancel", "danger"));
          }
          if ((n.state === "draft" || n.state === "cancelled") && n.rung === 0) buttons.append(button("staff_notice_redraft", "redraft"));
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
            n.last_error ? el("p", { className: "error", text: t("staff_notice_last_error", { error: n.last_error }) }) : "",
            missing,
            webForm
              ? el("div", {}, el("p", { className: "hint", text: t("staff_notice_webform_hint") }), text)
              : el("details", {}, el("summary", { text: t("staff_notice_preview") }), text),
            buttons,
            renderReplies(n),
          );
        })
      : [el("p", { text: t("staff_notices_none") })]),
  );
}

// Reads the case, then its timeline: reading the case is audited (case.read), so the events are
// asked for only once the read has been answered, and the timeline shows this opening too. Asked
// together, the list could be answered before the read was recorded and miss it.
async function load(id: number): Promise<void> {
  const [c, n, r] = await Promise.all([getCase(id), listNotices(id), listReplies(id), loadJurisdictionNames()]);
  const [e] = await Promise.all([listEvents(id, 100), loadWatch(c)]);
  [current, notices, replies, events] = [c, n, r, e];
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
  for (const where of ["#urls-summary", "#notices-status", "#global-error", "#case-msg", "#note-status", "#message-status", "#sightings-status", "#watch-status"]) {
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

const DECIDED: Record<Decision, Key> = {
  approve: "staff_notice_approved_msg",
  submitted: "staff_notice_submitted_msg",
  cancel: "staff_notice_cancelled_msg",
  "send-again": "staff_notice_send_again_msg",
  redraft: "staff_notice_redrafted_msg",
};

export function initCaseView(): void {
  initSightings(refreshCase, () => current?.sightings ?? []);
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
    const notice = notices.find((n) => n.id === id);
    const action = button.dataset.action;
    if (action === "copy") {
      try {
        await navigator.clipboard.writeText(notice?.body ?? "");
        say("#notices-status", "staff_notice_copied");
      } catch {
        say("#notices-status", "staff_notice_copy_failed");
      }
      return;
    }
    if (!action || !(action in DECIDED)) return;
    if (action === "cancel" && !confirm(t("staff_notice_cancel_confirm", { recipient: notice?.recipient ?? "" }))) return;
    button.disabled = true;
    try {
      await decideNotice(id, action as Decision);
      await refreshCase();
      say("#notices-status", DECIDED[action as Decision]);
      document.querySelector<HTMLElement>(`article[data-notice-id="${id}"] h3`)?.focus();
    } catch (error) {
      button.disabled = false;
      fail("#notices-status", error);
    }
  });
}
