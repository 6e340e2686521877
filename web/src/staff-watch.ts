// The case view's watching (staff.html?case=N, "Watching for reposts"): whether the case is
// watched (POST /cases/{id}/watch pauses or resumes its rechecks and crawls), its crawl progress
// (GET /cases/{id}/crawl: queued, running, done, failed with why, the next run), "Crawl now"
// (POST /cases/{id}/crawl), and its watched sources: listed with their last crawl, added, paused
// or resumed, removed. staff-case.ts loads it with the case and renders it with the rest.
import { t, type Key } from "./i18n";
import type { CaseDetail } from "./staff-api";
import {
  addSource,
  crawlNow,
  deleteSource,
  getCrawl,
  setSourcePaused,
  setWatchPaused,
  type CrawlProgress,
  type NewSource,
  type WatchedSource,
} from "./staff-casework-api";
import { $, el, fail, named, say, when } from "./staff-ui";

const KINDS: Record<string, Key> = {
  page: "cw_kind_page",
  feed: "cw_kind_feed",
  sitemap: "cw_kind_sitemap",
  channel: "cw_kind_channel",
};

// What the section holds: it re-renders from this when the language changes.
let shown: CaseDetail | null = null;
let progress: CrawlProgress | null = null;

export function clearWatch(): void {
  shown = null;
  progress = null;
}

export async function loadWatch(c: CaseDetail): Promise<void> {
  shown = c;
  progress = await getCrawl(c.id);
}

function sourceItem(s: WatchedSource): HTMLElement {
  const o = s.last_outcome ?? {};
  const crawled = s.last_crawled
    ? t("cw_source_crawled", { when: when(s.last_crawled), pages: o.pages ?? 0, reposts: o.reposts ?? 0 })
    : t("cw_source_not_crawled");
  const button = (key: Key, action: string, className = "") =>
    el("button", { className, text: t(key), attrs: { type: "button", "data-action": action, "aria-describedby": `source-${s.id}-url` } });
  return el(
    "li",
    { attrs: { "data-source-id": String(s.id), "data-paused": String(s.paused) } },
    el("code", { className: "url", text: s.url, attrs: { id: `source-${s.id}-url` } }),
    el(
      "span",
      { className: "meta" },
      s.paused ? el("span", { className: "badge", text: t("cw_source_paused") }) : "",
      " ",
      t("cw_source_every", { kind: named(KINDS, s.kind), depth: s.depth, hours: s.every_hours }),
    ),
    el("span", { className: "meta", text: crawled, attrs: { "data-role": "crawled" } }),
    o.skipped ? el("span", { className: "meta", text: t("cw_source_skipped", { why: o.skipped }) }) : "",
    el(
      "div",
      { className: "actions" },
      button(s.paused ? "cw_source_resume" : "cw_source_pause", s.paused ? "resume" : "pause"),
      button("cw_source_remove", "remove", "danger"),
    ),
  );
}

export function renderWatch(): void {
  const c = shown;
  if (!c) return;
  const paused = c.watch_paused === true;
  $("#watch-state").textContent = t(paused ? "cw_watch_paused" : "cw_watch_on");
  $("#watch-toggle").textContent = t(paused ? "cw_watch_resume" : "cw_watch_pause");
  $("#watch-toggle").dataset.paused = String(paused);
  $<HTMLButtonElement>("#crawl-now").disabled = paused;
  const p = progress;
  if (!p) return;
  const fact = (key: Key, value: string, name: string) =>
    el("div", { attrs: { "data-crawl": name } }, el("dt", { text: t(key) }), el("dd", { text: value }));
  $("#crawl-progress").replaceChildren(
    fact("cw_crawl_queued", String(p.queued), "queued"),
    fact("cw_crawl_running", String(p.running), "running"),
    fact("cw_crawl_done", String(p.done), "done"),
    fact("cw_crawl_failed", String(p.failed), "failed"),
    fact("cw_crawl_next", p.next_run ? when(p.next_run) : t("cw_crawl_next_none"), "next_run"),
  );
  $("#crawl-failures").replaceChildren(
    ...p.failures.map((f) =>
      el(
        "li",
        { className: "error", attrs: { "data-job": String(f.job) } },
        el("span", { text: t("cw_crawl_failure", { kind: f.kind, attempts: f.attempts, when: when(f.last_run_at) }) }),
        el("span", { className: "meta", text: f.error }),
      ),
    ),
  );
  $("#sources").replaceChildren(
    ...(p.sources.length ? p.sources.map(sourceItem) : [el("li", { text: t("cw_sources_none") })]),
  );
}

// `refresh` reloads the whole case (which calls loadWatch and renders).
export function initWatch(refresh: () => Promise<void>): void {
  // Runs a change, then reloads the case and says `done` in the section's status line.
  const change = async (button: HTMLButtonElement, done: Key, what: (c: CaseDetail) => Promise<unknown>, vars = {}) => {
    if (!shown) return false;
    button.disabled = true;
    say("#watch-status", "staff_loading");
    try {
      await what(shown);
      await refresh();
      say("#watch-status", done, vars);
      return true;
    } catch (error) {
      fail("#watch-status", error);
      return false;
    } finally {
      button.disabled = false;
      renderWatch(); // crawl-now stays disabled while watching is paused
    }
  };

  $("#watch-toggle").addEventListener("click", (event) => {
    const button = event.currentTarget as HTMLButtonElement;
    const paused = button.dataset.paused === "true";
    void change(button, paused ? "cw_watch_resumed" : "cw_watch_paused_msg", (c) => setWatchPaused(c.id, !paused));
  });

  $("#crawl-now").addEventListener("click", async (event) => {
    const button = event.currentTarget as HTMLButtonElement;
    let queued = 0;
    if (await change(button, "cw_crawl_started", async (c) => (queued = await crawlNow(c.id)))) {
      say("#watch-status", queued ? "cw_crawl_started" : "cw_crawl_nothing", { count: queued });
    }
  });

  $("#crawl-refresh").addEventListener("click", (event) => {
    void change(event.currentTarget as HTMLButtonElement, "cw_crawl_refreshed", async () => {});
  });

  $("#sources").addEventListener("click", (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-action]");
    const item = button?.closest<HTMLElement>("li[data-source-id]");
    if (!button || !item) return;
    const id = Number(item.dataset.sourceId);
    const url = progress?.sources.find((s) => s.id === id)?.url ?? "";
    const action = button.dataset.action;
    if (action === "remove") {
      if (!confirm(t("cw_source_remove_confirm", { url }))) return;
      void change(button, "cw_source_removed", () => deleteSource(id), { url }).then(() => $("#sources-title").focus());
    } else if (action === "pause" || action === "resume") {
      void change(button, action === "pause" ? "cw_source_paused_msg" : "cw_source_resumed", () => setSourcePaused(id, action === "pause"), { url });
    }
  });

  $<HTMLFormElement>("#source-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const url = $<HTMLInputElement>("#source-url").value.trim();
    if (!url) return say("#watch-status", "cw_source_url_missing");
    const source = {
      url,
      kind: $<HTMLSelectElement>("#source-kind").value as NewSource["kind"], // the select's options
      depth: Number($<HTMLInputElement>("#source-depth").value || "1"),
      every_hours: Number($<HTMLInputElement>("#source-every").value || "24"),
    };
    if (await change($<HTMLButtonElement>("#source-submit"), "cw_source_added", (c) => addSource(c.id, source), { url })) {
      $<HTMLFormElement>("#source-form").reset();
    }
  });
}
