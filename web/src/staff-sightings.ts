// The case view's sightings (staff.html?case=N, "Where copies were found"): grouped by platform
// (staff-casework-groups.ts: collapsed, paged, filtered, searched, selected), each with its state,
// what its last check saw (time, HTTP status, verdict, match distance), and its casework: move its
// state (the moves src/domain allows), "Check now" (queued; the result shows once the case is
// refreshed), confirm or dismiss a repost a watched source found, and the selected ones confirmed
// or dismissed in one request (POST /api/v1/cases/{id}/sightings/bulk). staff-case.ts renders it with the rest of the case and refreshes the case after a change.
import { t, type Key } from "./i18n";
import type { Sighting } from "./staff-api";
import { bulkSightings, checkSighting, confirmSighting, moveSighting } from "./staff-casework-api";
import { bindBulk, GroupedList } from "./staff-casework-groups";
import { $, el, fail, named, say, when } from "./staff-ui";

export const SIGHTING_STATES: Record<string, Key> = {
  found: "staff_state_found",
  notified: "staff_state_notified",
  overdue: "staff_state_overdue",
  escalated: "staff_state_escalated",
  removed: "staff_state_removed",
  reappeared: "staff_state_reappeared",
  dismissed: "staff_state_dismissed",
};

// domain::CanTransition(SightingState, SightingState) (src/domain/entities.cc): the server
// refuses anything else, so only these are offered.
const MOVES: Record<string, string[]> = {
  found: ["notified", "removed", "dismissed"],
  notified: ["removed", "overdue"],
  overdue: ["escalated", "removed"],
  escalated: ["removed", "overdue"],
  removed: ["reappeared"],
  reappeared: ["notified", "removed"],
  dismissed: [],
};

const VERDICTS: Record<string, Key> = {
  matched: "cw_verdict_matched",
  no_match: "cw_verdict_no_match",
  gone: "cw_verdict_gone",
  unreachable: "cw_verdict_unreachable",
  unchanged: "cw_verdict_unchanged",
};

// Checks asked in this page, by sighting id: when (this device's time) and the last check the
// sighting had then; shown as queued until another check is recorded. Compared with that rather
// than with the time, since the server's clock need not be this device's.
const asked = new Map<number, { at: string; before: string | null }>();

function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

// The smallest match distance the last check recorded, if any.
function distance(evidence: Record<string, unknown>): number | null {
  const matches = Array.isArray(evidence.matches) ? (evidence.matches as Record<string, unknown>[]) : [];
  const all = matches.map((m) => num(m?.distance)).filter((d): d is number => d !== null);
  if (all.length) return Math.min(...all);
  const last = evidence.last_match as Record<string, unknown> | undefined;
  return last ? num(last.distance) : null;
}

// What the last check saw; "" before any check.
function evidenceFacts(s: Sighting): HTMLElement | string {
  const e = s.evidence ?? {};
  const fact = (key: Key, value: string, name: string) =>
    el("div", { attrs: { "data-evidence": name } }, el("dt", { text: t(key) }), el("dd", { text: value }));
  const facts = el("dl", { className: "facts evidence" });
  const status = num(e.http_status);
  if (status !== null && status > 0) facts.append(fact("cw_http_status", String(status), "http_status"));
  if (typeof e.verdict === "string" && e.verdict) facts.append(fact("cw_verdict", named(VERDICTS, e.verdict), "verdict"));
  const d = distance(e);
  if (d !== null) facts.append(fact("cw_match_distance", t("cw_match_distance_value", { distance: d }), "distance"));
  if (typeof e.error === "string" && e.error) facts.append(fact("cw_check_error", e.error, "error"));
  return facts.childElementCount ? facts : "";
}

function sightingItem(s: Sighting, urlId: string): HTMLElement {
  const id = s.id;
  // Every sighting has the same buttons: each names its address for screen readers.
  const button = (key: Key, action: string, className = "") =>
    el("button", { className, text: t(key), attrs: { type: "button", "data-action": action, "aria-describedby": urlId } });
  const actions = el("div", { className: "actions" });
  const repost = s.needs_review && s.state !== "dismissed";
  if (repost) {
    actions.append(button("cw_confirm_repost", "confirm", "primary"));
    if (MOVES[s.state]?.includes("dismissed")) actions.append(button("cw_dismiss_repost", "dismiss", "danger"));
  }
  // A pasted link nobody has checked waits for a caseworker before a notice may name it.
  const unchecked =
    s.origin === "caseworker" && !s.confirmed_by && !s.evidence?.last_match && s.state !== "dismissed";
  if (unchecked) actions.append(button("cw_confirm_repost", "confirm", "primary"));
  const moves = MOVES[s.state] ?? [];
  if (moves.length) {
    const selectId = `sighting-${id}-move`;
    const select = el(
      "select",
      { attrs: { id: selectId, "data-role": "move-to", "aria-describedby": urlId } },
      ...moves.map((m) => el("option", { text: named(SIGHTING_STATES, m), attrs: { value: m } })),
    );
    actions.append(
      el(
        "span",
        { className: "move" },
        el("label", { text: t("cw_move_label"), attrs: { for: selectId } }),
        select,
        button("cw_move_submit", "move"),
      ),
    );
  }
  if (s.state !== "dismissed") actions.append(button("cw_check_now", "check"));

  const pending = asked.get(id);
  const waiting = pending !== undefined && s.last_checked === pending.before;
  if (pending && !waiting) asked.delete(id);
  return el(
    "li",
    {
      className: "sighting",
      attrs: { "data-sighting-id": String(id), "data-state": s.state, "data-review": String(repost) },
    },
    el("code", { className: "url", text: s.normalized_url || s.url, attrs: { id: urlId } }),
    el(
      "span",
      { className: "meta" },
      el("span", { className: `badge state-${s.state}`, text: named(SIGHTING_STATES, s.state) }),
      repost ? el("span", { className: "badge review", text: t("cw_repost_badge") }) : "",
      " ",
      el("span", {
        className: "checked",
        text: s.last_checked ? t("staff_sighting_checked", { when: when(s.last_checked) }) : t("staff_never_checked"),
      }),
    ),
    repost ? el("p", { className: "hint", text: t("cw_repost_hint") }) : "",
    evidenceFacts(s),
    pending && waiting ? el("p", { className: "meta check-queued", text: t("cw_check_queued_at", { when: when(pending.at) }) }) : "",
    actions,
  );
}

let list: GroupedList<Sighting> | null = null;

export function renderSightings(sightings: Sighting[]): void {
  list?.set(sightings);
  $("#sightings-bulk").hidden = sightings.length === 0;
}

// `refresh` reloads the case (and re-renders); `sightings` gives the ones shown; `caseId` the case.
export function initSightings(refresh: () => Promise<void>, sightings: () => Sighting[], caseId: () => number | null): void {
  const address = (id: number) => {
    const s = sightings().find((x) => x.id === id);
    return s ? s.normalized_url || s.url : String(id);
  };
  list = new GroupedList<Sighting>($("#sightings"), {
    name: "sightings",
    id: (s) => s.id,
    group: (s) => s.platform || s.host,
    state: (s) => s.state,
    words: (s) => `${s.normalized_url || s.url} ${s.platform} ${s.host}`,
    stateName: (state) => named(SIGHTING_STATES, state),
    empty: "staff_sightings_none",
    render: sightingItem,
  });
  bindBulk($("#sightings-bulk"), list, {
    status: "#sightings-status",
    caseId,
    run: bulkSightings,
    refresh,
    done: { confirm: "cw_bulk_confirmed", dismiss: "cw_bulk_dismissed" },
    ask: { dismiss: "cw_bulk_dismiss_confirm" },
    name: address,
  });
  $("#sightings").addEventListener("click", async (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-action]");
    const item = button?.closest<HTMLElement>("li[data-sighting-id]");
    if (!button || !item) return;
    const id = Number(item.dataset.sightingId);
    const s = sightings().find((x) => x.id === id);
    if (!s) return;
    const url = s.normalized_url || s.url;
    const action = button.dataset.action;
    let done: Key;
    let what: () => Promise<void>;
    if (action === "check") {
      done = "cw_check_queued";
      what = async () => {
        await checkSighting(id);
        asked.set(id, { at: new Date().toISOString(), before: s.last_checked });
      };
    } else if (action === "confirm") {
      done = "cw_confirmed";
      what = () => confirmSighting(id);
    } else if (action === "dismiss") {
      if (!confirm(t("cw_dismiss_confirm", { url }))) return;
      done = "cw_dismissed";
      what = () => moveSighting(id, "dismissed");
    } else if (action === "move") {
      const to = item.querySelector<HTMLSelectElement>('select[data-role="move-to"]')?.value ?? "";
      if (!to) return;
      if (to === "dismissed" && !confirm(t("cw_dismiss_confirm", { url }))) return;
      done = "cw_moved";
      what = () => moveSighting(id, to);
    } else {
      return;
    }
    button.disabled = true;
    say("#sightings-status", "staff_loading");
    try {
      await what();
      await refresh();
      say("#sightings-status", done, { url, state: named(SIGHTING_STATES, sightings().find((x) => x.id === id)?.state ?? "") });
      // Focus stays on the sighting that changed (its buttons were re-rendered).
      document.querySelector<HTMLElement>(`li[data-sighting-id="${id}"] button[data-action="${action}"]`)?.focus();
    } catch (error) {
      button.disabled = false;
      fail("#sightings-status", error);
    }
  });
}
