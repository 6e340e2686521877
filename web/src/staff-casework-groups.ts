// The case view's long lists (sightings and notices) at real case sizes (issue 20): items grouped
// by platform (or host for a site no platform entry knows), each group a header with its count and
// how many are in each state, collapsed until opened, paged within; a filter by state and a search
// box over the link text and platform above them; a checkbox on every item, one per group and one
// for everything shown, which the bulk buttons (staff-case.ts, staff-sightings.ts) act on.
// Thread-safety: none needed (the page's one thread); one GroupedList per list.
import { t, type Key } from "./i18n";
import type { BulkResult } from "./staff-casework-api";
import { el, fail, say } from "./staff-ui";

export interface GroupedOptions<T> {
  name: string; // "sightings" or "notices": ids and data attributes
  id: (item: T) => number;
  group: (item: T) => string; // platform id, or host
  state: (item: T) => string;
  words: (item: T) => string; // what the search box looks in (link text, platform)
  stateName: (state: string) => string;
  empty: Key; // what an empty list says
  render: (item: T, label: string) => HTMLElement; // `label`: an id naming the item for its checkbox
  onChange?: () => void; // the selection changed
}

const PAGE = 10;

export class GroupedList<T> {
  private items: T[] = [];
  // Groups opened or closed by hand; the others are open only in a list short enough for one page.
  private readonly open = new Map<string, boolean>();
  private readonly pages = new Map<string, number>();
  private readonly selected = new Set<number>();
  private filter = "";
  private query = "";
  private readonly groups: HTMLElement;
  private readonly filterSelect: HTMLSelectElement;
  private readonly searchBox: HTMLInputElement;
  private readonly all: HTMLInputElement;
  private readonly count: HTMLElement;
  private readonly toolbar: HTMLElement;
  private readonly labels: [HTMLLabelElement, "cw_list_filter" | "cw_list_search" | "cw_select_all"][];

  // Builds the toolbar and the groups' place inside `root` (once: the search box keeps its focus
  // while the groups under it are redrawn).
  constructor(
    root: HTMLElement,
    private readonly o: GroupedOptions<T>,
  ) {
    const n = o.name;
    this.filterSelect = el("select", { attrs: { id: `${n}-filter` } });
    this.searchBox = el("input", { attrs: { id: `${n}-search`, type: "search", autocomplete: "off", spellcheck: "false" } });
    this.all = el("input", { attrs: { id: `${n}-select-all`, type: "checkbox", "data-role": "select-all" } });
    this.count = el("span", { className: "meta", attrs: { id: `${n}-selected`, "aria-live": "polite" } });
    this.groups = el("div", { className: "groups", attrs: { id: `${n}-groups` } });
    this.labels = [
      [el("label", { attrs: { for: `${n}-filter` } }), "cw_list_filter"],
      [el("label", { attrs: { for: `${n}-search` } }), "cw_list_search"],
      [el("label", { attrs: { for: `${n}-select-all` } }), "cw_select_all"],
    ];
    const toolbar = el(
      "div",
      { className: "list-tools filters" },
      el("div", {}, this.labels[0][0], this.filterSelect),
      el("div", {}, this.labels[1][0], this.searchBox),
      el("div", { className: "check" }, this.all, this.labels[2][0], " ", this.count),
    );
    this.toolbar = toolbar;
    root.replaceChildren(toolbar, this.groups);
    this.filterSelect.addEventListener("change", () => {
      this.filter = this.filterSelect.value;
      this.pages.clear();
      this.draw();
    });
    this.searchBox.addEventListener("input", () => {
      this.query = this.searchBox.value.trim().toLowerCase();
      this.pages.clear();
      this.draw();
    });
    this.all.addEventListener("change", () => {
      for (const item of this.shown()) this.pick(this.o.id(item), this.all.checked);
      this.draw();
      this.o.onChange?.();
    });
    this.groups.addEventListener("click", (event) => {
      const target = event.target as HTMLElement;
      const toggle = target.closest<HTMLButtonElement>("button[data-role=toggle]");
      const pager = target.closest<HTMLButtonElement>("button[data-page]");
      const key = target.closest<HTMLElement>("section[data-platform]")?.dataset.platform;
      if (key === undefined) return;
      if (toggle) {
        this.open.set(key, !this.isOpen(key));
        this.draw();
        this.groups.querySelector<HTMLElement>(`section[data-platform="${CSS.escape(key)}"] button[data-role=toggle]`)?.focus();
      } else if (pager) {
        this.pages.set(key, Number(pager.dataset.page));
        this.draw();
        this.groups.querySelector<HTMLElement>(`section[data-platform="${CSS.escape(key)}"] button[data-role=toggle]`)?.focus();
      }
    });
    this.groups.addEventListener("change", (event) => {
      const box = event.target as HTMLInputElement;
      const key = box.closest<HTMLElement>("section[data-platform]")?.dataset.platform;
      if (box.dataset.role === "select-group" && key !== undefined) {
        for (const item of this.shown().filter((i) => this.o.group(i) === key)) this.pick(this.o.id(item), box.checked);
      } else if (box.dataset.select) {
        this.pick(Number(box.dataset.select), box.checked);
      } else {
        return;
      }
      this.draw();
      this.o.onChange?.();
    });
  }

  // The items to show (the selection keeps only those still there).
  set(items: T[]): void {
    this.items = items;
    const ids = new Set(items.map(this.o.id));
    for (const id of [...this.selected]) if (!ids.has(id)) this.selected.delete(id);
    this.draw();
  }

  // The ids of the selected items, in the list's order.
  chosenIds(): number[] {
    return this.items.map(this.o.id).filter((id) => this.selected.has(id));
  }

  clearSelection(): void {
    this.selected.clear();
    this.draw();
  }

  private isOpen(key: string): boolean {
    return this.open.get(key) ?? this.items.length <= PAGE;
  }

  private pick(id: number, on: boolean): void {
    if (on) this.selected.add(id);
    else this.selected.delete(id);
  }

  // The items the filter and the search leave.
  private shown(): T[] {
    return this.items.filter(
      (i) => (!this.filter || this.o.state(i) === this.filter) && (!this.query || this.o.words(i).toLowerCase().includes(this.query)),
    );
  }

  // Redraws the toolbar's words and the groups (also on a language change).
  draw(): void {
    const states = [...new Set(this.items.map(this.o.state))].sort();
    if (this.filter && !states.includes(this.filter)) states.push(this.filter);
    this.filterSelect.replaceChildren(
      el("option", { text: t("cw_list_all_states"), attrs: { value: "" } }),
      ...states.map((s) => el("option", { text: this.o.stateName(s), attrs: { value: s } })),
    );
    this.filterSelect.value = this.filter;
    for (const [label, key] of this.labels) label.textContent = t(key);
    this.toolbar.hidden = this.items.length === 0;
    const shown = this.shown();
    const chosen = shown.filter((i) => this.selected.has(this.o.id(i))).length;
    this.all.checked = shown.length > 0 && chosen === shown.length;
    this.all.indeterminate = chosen > 0 && chosen < shown.length;
    this.all.disabled = shown.length === 0;
    this.count.textContent = t("cw_selected_count", { count: this.selected.size });

    const byGroup = new Map<string, T[]>();
    for (const item of shown) byGroup.set(this.o.group(item), [...(byGroup.get(this.o.group(item)) ?? []), item]);
    const keys = [...byGroup.keys()].sort((a, b) => a.localeCompare(b));
    if (!keys.length) {
      this.groups.replaceChildren(el("p", { text: t(this.items.length ? "cw_list_nothing_matches" : this.o.empty) }));
      return;
    }
    this.groups.replaceChildren(...keys.map((key, index) => this.section(key, byGroup.get(key)!, index)));
  }

  private section(key: string, list: T[], index: number): HTMLElement {
    const n = this.o.name;
    // With a search typed, the groups it found are open: what was looked for is in sight.
    const open = this.isOpen(key) || this.query !== "";
    const bodyId = `${n}-group-${index}`;
    const perState = new Map<string, number>();
    for (const item of list) perState.set(this.o.state(item), (perState.get(this.o.state(item)) ?? 0) + 1);
    const chosen = list.filter((i) => this.selected.has(this.o.id(i))).length;
    const groupBox = el("input", {
      attrs: { type: "checkbox", "data-role": "select-group", id: `${bodyId}-all`, "aria-label": t("cw_select_group", { group: key, count: list.length }) },
    });
    groupBox.checked = chosen === list.length;
    groupBox.indeterminate = chosen > 0 && chosen < list.length;
    const header = el(
      "div",
      { className: "group-header" },
      groupBox,
      el(
        "h3",
        {},
        el(
          "button",
          { className: "group-toggle", attrs: { type: "button", "data-role": "toggle", "aria-expanded": String(open), "aria-controls": bodyId } },
          t("staff_platform_count", { platform: key, count: list.length }),
        ),
      ),
      el(
        "span",
        { className: "group-states" },
        ...[...perState.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([state, count]) =>
            el("span", { className: `state-count state-${state}`, attrs: { "data-state": state }, text: t("cw_state_count", { state: this.o.stateName(state), count }) }),
          ),
      ),
    );
    const pages = Math.max(1, Math.ceil(list.length / PAGE));
    const page = Math.min(this.pages.get(key) ?? 0, pages - 1);
    const body = el("div", { className: "group-body", attrs: { id: bodyId } });
    body.hidden = !open;
    if (open) {
      body.append(
        el(
          "ul",
          { className: "plain-list" },
          ...list.slice(page * PAGE, (page + 1) * PAGE).map((item) => {
            const id = this.o.id(item);
            const label = `${n}-item-${id}`;
            const box = el("input", { attrs: { type: "checkbox", "data-select": String(id), "aria-labelledby": label } });
            box.checked = this.selected.has(id);
            const node = this.o.render(item, label);
            node.prepend(box);
            node.classList.add("selectable");
            return node.tagName === "LI" ? node : el("li", {}, node);
          }),
        ),
      );
      if (pages > 1) {
        const pager = (to: number, key: "cw_page_previous" | "cw_page_next") => {
          const b = el("button", { text: t(key), attrs: { type: "button", "data-page": String(to) } });
          b.disabled = to < 0 || to >= pages;
          return b;
        };
        body.append(
          el(
            "nav",
            { className: "pager", attrs: { "aria-label": t("cw_pages_of", { group: key }) } },
            pager(page - 1, "cw_page_previous"),
            el("span", { text: t("cw_page_of", { page: page + 1, pages }) }),
            pager(page + 1, "cw_page_next"),
          ),
        );
      }
    }
    return el("section", { className: open ? "group open" : "group", attrs: { "data-platform": key, "data-count": String(list.length) } }, header, body);
  }
}

// What a bar of bulk buttons (button[data-bulk="<action>"]) does with a list's selection.
export interface BulkOptions<A extends string> {
  status: string; // the status line that says how it went
  caseId: () => number | null;
  run: (caseId: number, action: A, ids: number[]) => Promise<BulkResult[]>; // one request
  refresh: () => Promise<void>; // reloads the case (and re-renders the list)
  done: Record<A, Key>; // "{done} notices approved."
  ask: Partial<Record<A, Key>>; // the confirm() question of an action that needs one ({count})
  name: (id: number) => string; // an item's name in a refusal
}

// Wires `bar`'s buttons to `list`: each sends the selected ids in one request, then refreshes the
// case and says how many were done, naming each refusal with the server's reason.
export function bindBulk<T, A extends string>(bar: HTMLElement, list: GroupedList<T>, o: BulkOptions<A>): void {
  bar.addEventListener("click", async (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-bulk]");
    const caseId = o.caseId();
    if (!button || caseId === null) return;
    const action = button.dataset.bulk as A;
    const chosen = list.chosenIds();
    if (!chosen.length) return say(o.status, "cw_bulk_none");
    const question = o.ask[action];
    if (question && !confirm(t(question, { count: chosen.length }))) return;
    button.disabled = true;
    say(o.status, "staff_loading");
    try {
      const results = await o.run(caseId, action, chosen);
      list.clearSelection();
      await o.refresh();
      const refused = results.filter((r) => !r.ok);
      say(o.status, refused.length ? "cw_bulk_refused" : o.done[action], {
        done: results.length - refused.length,
        refused: refused.length,
        why: refused.map((r) => `${o.name(r.id)}: ${r.error ?? ""}`).join("; "),
      });
    } catch (error) {
      fail(o.status, error);
    } finally {
      button.disabled = false;
    }
  });
}
