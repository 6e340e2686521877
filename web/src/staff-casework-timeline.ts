// The case view's timeline (issue 20): each line names what it is about (a sighting's link, a
// notice's recipient) rather than "added a web address"; a run of the same action by the same
// person (50 links pasted, checked one after another) is one line naming the first links and how
// many; a bulk request (notices.bulk, sightings.bulk) is one line saying what it did to how many;
// a notice or the case written in another language says which.
// Thread-safety: none needed (the page's one thread).
import { t, type Key } from "./i18n";
import type { CaseEvent, Notice, Sighting } from "./staff-api";
import { el, languageName, named, when } from "./staff-ui";

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
  "notice.redrafted": "cw_ev_notice_redrafted",
};

// What a bulk request did, in words, by its action.
const BULK: Record<string, Key> = {
  "notices.bulk:approve": "cw_ev_bulk_approve",
  "notices.bulk:cancel": "cw_ev_bulk_cancel",
  "notices.bulk:submitted": "cw_ev_bulk_submitted",
  "notices.bulk:redraft": "cw_ev_bulk_redraft",
  "sightings.bulk:confirm": "cw_ev_bulk_confirm",
  "sightings.bulk:dismiss": "cw_ev_bulk_dismiss",
};

// How many subjects a folded line names before "and N more".
const NAMED = 3;

interface Line {
  event: CaseEvent; // the newest of the run
  count: number;
  earliest: string;
  subjects: string[]; // what the run's events are about, newest first, each once
}

function ids(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((v): v is number => typeof v === "number") : [];
}

function actionWords(e: CaseEvent): string {
  if (e.action === "case.assigned") return t(e.detail.user == null ? "staff_ev_case_unassigned" : "staff_ev_case_assigned");
  if (e.action === "case.status") return t(e.detail.status === "closed" ? "staff_ev_case_closed" : "staff_ev_case_reopened");
  // Which language a notice, or the whole case, is written in now.
  if (typeof e.detail.language === "string" && (e.action === "notice.redrafted" || e.action === "case.language")) {
    const key = e.action === "case.language" ? "cw_ev_case_language" : "cw_ev_notice_redrafted_in";
    return t(key, { language: languageName(e.detail.language) });
  }
  const bulk = BULK[`${e.action}:${String(e.detail.action)}`];
  if (bulk) {
    const refused = ids(e.detail.refused).length;
    return t(bulk, { count: ids(e.detail.ids).length - refused }) + (refused ? t("cw_ev_bulk_refused", { refused }) : "");
  }
  return named(ACTIONS, e.action);
}

// The timeline's lines, newest first: `sightings` and `notices` name what the events are about.
export function renderTimeline(
  events: readonly CaseEvent[],
  sightings: readonly Sighting[],
  notices: readonly Notice[],
  actorName: (actor: string) => string,
): HTMLElement[] {
  const links = new Map(sightings.map((s) => [s.id, s.normalized_url || s.url]));
  const recipients = new Map(notices.map((n) => [n.id, n.recipient]));
  const subjectsOf = (e: CaseEvent): string[] => {
    if (e.action === "sightings.bulk") return ids(e.detail.ids).map((id) => links.get(id) ?? `#${id}`);
    if (e.action === "notices.bulk") return ids(e.detail.ids).map((id) => recipients.get(id) ?? `#${id}`);
    if (typeof e.detail.sighting === "number") return [links.get(e.detail.sighting) ?? `#${e.detail.sighting}`];
    if (typeof e.detail.notice === "number") return [recipients.get(e.detail.notice) ?? `#${e.detail.notice}`];
    if (typeof e.detail.recipient === "string") return [e.detail.recipient];
    if (typeof e.detail.url === "string") return [e.detail.url];
    return [];
  };
  const lines: Line[] = [];
  for (const e of events) {
    const last = lines[lines.length - 1];
    // Bulk requests are a line each already; any other run of one action by one person folds.
    if (last && e.action === last.event.action && e.actor === last.event.actor && !e.action.endsWith(".bulk")) {
      last.count += 1;
      last.earliest = e.at;
      for (const s of subjectsOf(e)) if (!last.subjects.includes(s)) last.subjects.push(s);
    } else {
      lines.push({ event: e, count: 1, earliest: e.at, subjects: subjectsOf(e) });
    }
  }
  return lines.map(({ event: e, count, earliest, subjects }) => {
    const more = subjects.length - NAMED;
    const subject = subjects.length
      ? subjects.slice(0, NAMED).join(", ") + (more > 0 ? t("cw_timeline_more", { count: more }) : "")
      : "";
    return el(
      "li",
      { attrs: { "data-action": e.action, "data-count": String(count) } },
      el("time", { text: when(e.at), attrs: { datetime: e.at } }),
      " ",
      el("span", { className: "actor", text: actorName(e.actor) }),
      ": ",
      el("span", { className: "action", text: actionWords(e) }),
      ...(subject ? [" ", el("span", { className: "subject", text: subject })] : []),
      ...(count > 1
        ? [" ", el("span", { className: "repeat", text: t("cw_timeline_repeated", { count, first: when(earliest) }) })]
        : []),
    );
  });
}
