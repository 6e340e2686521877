// The queue's rows (staff.ts holds the filters and loads): per case its code, when reported,
// jurisdiction, language, status, who it is assigned to (a select: any active caseworker or
// admin, or nobody; POST /api/v1/cases/{id}/assign), copies found and removed, the next deadline
// a notice waits on, what needs attention and its last activity. The colleagues come from
// GET /api/v1/colleagues with each load.
import "./staff-queue.css";
import { language, t, type Key } from "./i18n";
import { assignCase, type CaseSummary } from "./staff-api";
import { listColleagues, type Colleague } from "./staff-admin-api";
import { attentionCell } from "./staff-attention";
import { $, CASE_STATUSES, el, fail, jurisdictionName, named, say, when } from "./staff-ui";

let colleagues: Colleague[] = [];

export async function loadColleagues(): Promise<void> {
  colleagues = await listColleagues();
}

function languageName(tag: string): string {
  try {
    return new Intl.DisplayNames([language()], { type: "language" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

function assignSelect(c: CaseSummary): HTMLSelectElement {
  const select = el(
    "select",
    { attrs: { "data-assign-case": String(c.id), "aria-label": t("staff_assign_label", { code: c.code }) } },
    el("option", { text: t("staff_assign_nobody"), attrs: { value: "" } }),
    ...colleagues.map((u) => el("option", { text: u.username, attrs: { value: String(u.id) } })),
  );
  // Someone no longer listed (disabled since, or a reviewer now) is still shown as assigned.
  if (c.assigned_user !== null && !colleagues.some((u) => u.id === c.assigned_user)) {
    select.append(el("option", { text: c.assignee ?? String(c.assigned_user), attrs: { value: String(c.assigned_user) } }));
  }
  select.value = c.assigned_user === null ? "" : String(c.assigned_user);
  return select;
}

export function queueRows(cases: CaseSummary[], caseHref: (id: number) => string): HTMLTableRowElement[] {
  return cases.map((c) => {
    const link = el("a", { text: c.code, attrs: { href: caseHref(c.id), "data-case-id": String(c.id) } });
    const cell = (key: Key, content: Node | string, attrs: Record<string, string> = {}) =>
      el("td", { attrs: { "data-label": t(key), ...attrs } }, content);
    const deadline = c.attention?.next_deadline;
    return el(
      "tr",
      { attrs: { "data-code": c.code } },
      cell("staff_col_code", link),
      cell("staff_col_created", when(c.created_at)),
      cell("staff_col_jurisdiction", jurisdictionName(c.jurisdiction)),
      cell("staff_col_language", languageName(c.language), { "data-language": c.language }),
      cell("staff_col_status", named(CASE_STATUSES, c.status)),
      cell("staff_col_assignee", assignSelect(c), { "data-assignee": c.assignee ?? "" }),
      cell("staff_col_found", String(c.counts.urls_found), { "data-count": "urls_found" }),
      cell("staff_col_removed", String(c.counts.removed), { "data-count": "removed" }),
      cell("staff_col_next_deadline",
        deadline ? el("time", { text: when(deadline), attrs: { datetime: deadline } }) : t("staff_no_deadline"),
        { "data-deadline": deadline ?? "" }),
      attentionCell(c, t("cw_col_attention")),
      cell("staff_col_last_activity",
        el("time", { text: when(c.last_activity ?? c.created_at), attrs: { datetime: c.last_activity ?? c.created_at } })),
    );
  });
}

// A change of a row's select assigns its case; `reload` then fills the queue again.
export function initQueueAssign(reload: () => Promise<void>): void {
  $("#queue-rows").addEventListener("change", (event) => {
    const select = (event.target as HTMLElement).closest<HTMLSelectElement>("select[data-assign-case]");
    if (!select) return;
    const id = Number(select.dataset.assignCase);
    const code = select.closest("tr")?.dataset.code ?? "";
    const user = select.value ? Number(select.value) : null;
    const name = select.selectedOptions[0]?.textContent ?? "";
    select.disabled = true;
    void assignCase(id, user)
      .then(async () => {
        await reload();
        if (user === null) say("#queue-assign-status", "staff_queue_unassigned_msg", { code });
        else say("#queue-assign-status", "staff_queue_assigned_msg", { code, name });
      })
      .catch((error) => {
        select.disabled = false;
        fail("#queue-assign-status", error);
      });
  });
}
