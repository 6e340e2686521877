// The case view's notices (staff.html?case=N): grouped by recipient (staff-casework-groups.ts:
// collapsed, paged, filtered, searched, selected), each with its facts, what it lacks, its text,
// its decisions (approve, copy and mark a web form submitted, send again, cancel, write it again
// in a language chosen for it alone) and the replies that came back; the selected ones approved,
// marked submitted, written again or cancelled in one request (POST /api/v1/cases/{id}/notices/bulk). staff-case.ts loads the case and calls render().
// Thread-safety: none needed (the page's one thread).
import { t, type Key } from "./i18n";
import { decideNotice, type Decision, type Notice, type Reply } from "./staff-api";
import { bulkNotices, redraftIn } from "./staff-casework-api";
import { bindBulk, GroupedList } from "./staff-casework-groups";
import { $, CHANNELS, el, fail, languageName, named, say, when } from "./staff-ui";

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
const DECIDED: Record<Decision, Key> = {
  approve: "staff_notice_approved_msg",
  submitted: "staff_notice_submitted_msg",
  cancel: "staff_notice_cancelled_msg",
  "send-again": "staff_notice_send_again_msg",
  redraft: "staff_notice_redrafted_msg",
};
let notices: Notice[] = [];
let replies: Reply[] = [];
let languages: string[] = []; // those a notice can be written in
let list: GroupedList<Notice> | null = null;

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

function noticeItem(n: Notice, label: string): HTMLElement {
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
  if ((n.state === "draft" || n.state === "cancelled") && n.rung === 0) {
    // Written again, in its own language or another one chosen for this notice alone.
    const selectId = `notice-${n.id}-language`;
    const options = languages.includes(n.language) ? languages : [n.language, ...languages];
    const select = el(
      "select",
      { attrs: { id: selectId, "data-notice-language": String(n.id) } },
      ...options.map((tag) => el("option", { text: languageName(tag), attrs: { value: tag } })),
    );
    select.value = n.language;
    buttons.append(
      el(
        "span",
        { className: "move" },
        el("label", { attrs: { for: selectId } }, t("cw_notice_language_label")),
        select,
        button("staff_notice_redraft", "redraft"),
      ),
    );
  }
  return el(
    "article",
    { className: "notice", attrs: { "data-notice-id": String(n.id), "data-state": n.state, "data-channel": n.channel, "data-recipient": n.recipient } },
    el("h3", { text: n.subject, attrs: { tabindex: "-1", id: label } }),
    el(
      "dl",
      { className: "facts" },
      fact("staff_notice_recipient", n.recipient),
      fact("staff_notice_channel", named(CHANNELS, n.channel)),
      fact("staff_notice_address", n.address),
      fact("staff_notice_state", named(NOTICE_STATES, n.state)),
      fact("cw_notice_language", languageName(n.language)),
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
}

export function renderNotices(all: Notice[], replied: Reply[], written: string[]): void {
  [notices, replies, languages] = [all, replied, written];
  list?.set(all);
  $("#notices-bulk").hidden = all.length === 0;
}

// `refresh` reloads the case (and calls renderNotices); `caseId` is the case shown.
export function initNotices(refresh: () => Promise<void>, caseId: () => number | null): void {
  list = new GroupedList<Notice>($("#notices"), {
    name: "notices",
    id: (n) => n.id,
    group: (n) => n.recipient,
    state: (n) => n.state,
    words: (n) => `${n.recipient} ${n.address} ${n.subject} ${n.body}`,
    stateName: (state) => named(NOTICE_STATES, state),
    empty: "staff_notices_none",
    render: noticeItem,
  });

  bindBulk($("#notices-bulk"), list, {
    status: "#notices-status",
    caseId,
    run: bulkNotices,
    refresh,
    done: { approve: "cw_bulk_approved", submitted: "cw_bulk_submitted", cancel: "cw_bulk_cancelled", redraft: "cw_bulk_redrafted" },
    ask: { cancel: "cw_bulk_cancel_confirm" },
    name: (id) => notices.find((n) => n.id === id)?.recipient ?? String(id),
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
      if (action === "redraft") {
        await redraftIn(id, article.querySelector<HTMLSelectElement>("select[data-notice-language]")?.value ?? notice?.language ?? "");
      } else {
        await decideNotice(id, action as Decision);
      }
      await refresh();
      say("#notices-status", DECIDED[action as Decision]);
      document.querySelector<HTMLElement>(`article[data-notice-id="${id}"] h3`)?.focus();
    } catch (error) {
      button.disabled = false;
      fail("#notices-status", error);
    }
  });
}
