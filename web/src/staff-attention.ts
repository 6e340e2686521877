// What needs a caseworker in each case of the queue (staff.ts's table): the nearest deadline a
// notice is waiting on, how many sightings are overdue, back online, or reposts to review, from
// GET /api/v1/cases's `attention` (docs/openapi.yaml, Attention).
import { t } from "./i18n";
import type { CaseSummary } from "./staff-api";
import { el, when } from "./staff-ui";

export function attentionCell(c: CaseSummary, label: string): HTMLTableCellElement {
  const a = c.attention;
  const items: HTMLElement[] = [];
  if (a?.overdue) items.push(el("span", { className: "badge att-overdue", text: t("cw_att_overdue", { count: a.overdue }), attrs: { "data-att": "overdue" } }));
  if (a?.reappeared) items.push(el("span", { className: "badge att-back", text: t("cw_att_reappeared", { count: a.reappeared }), attrs: { "data-att": "reappeared" } }));
  if (a?.reposts) items.push(el("span", { className: "badge att-back", text: t("cw_att_reposts", { count: a.reposts }), attrs: { "data-att": "reposts" } }));
  if (a?.next_deadline) {
    items.push(
      el("span", { attrs: { "data-att": "deadline" } }, `${t("cw_att_deadline")} `, el("time", { text: when(a.next_deadline), attrs: { datetime: a.next_deadline } })),
    );
  }
  const cell = el("td", { attrs: { "data-label": label, "data-count": "attention" } });
  if (items.length) cell.append(el("span", { className: "att-list" }, ...items));
  else cell.append(el("span", { className: "meta", text: t("cw_att_none") }));
  return cell;
}
