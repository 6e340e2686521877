// The staff endpoints of the case view's casework (docs/openapi.yaml): a sighting's state, its
// check and a repost's confirmation; the case's crawl, its watching and its watched sources.
// Through staff-api.ts's call() (same origin, session cookie, CSRF token).
import { call } from "./staff-api";

export async function moveSighting(id: number, state: string): Promise<void> {
  await call(`/api/v1/sightings/${id}/state`, "POST", { state });
}

// Queues a check (202): the worker fetches the address and records what it saw as evidence.
export async function checkSighting(id: number): Promise<void> {
  await call(`/api/v1/sightings/${id}/check`, "POST");
}

// A repost a watched source found is hers (dismissing it is the move to "dismissed").
export async function confirmSighting(id: number): Promise<void> {
  await call(`/api/v1/sightings/${id}/confirm`, "POST");
}

export interface WatchedSource {
  id: number;
  case_id: number | null;
  url: string;
  kind: string; // page, feed, sitemap, channel
  depth: number;
  pages: number;
  every_hours: number;
  paused: boolean;
  created_by: string;
  created_at: string;
  last_crawled: string | null;
  last_outcome: { pages?: number; reposts?: number; errors?: string[]; skipped?: string };
}

export interface CrawlFailure {
  job: number;
  kind: string;
  attempts: number;
  error: string;
  last_run_at: string;
}

export interface CrawlProgress {
  queued: number;
  running: number;
  done: number;
  failed: number;
  next_run: string | null;
  failures: CrawlFailure[];
  sources: WatchedSource[];
}

export async function getCrawl(caseId: number): Promise<CrawlProgress> {
  return (await (await call(`/api/v1/cases/${caseId}/crawl`)).json()) as CrawlProgress;
}

// How many crawls were queued (sources not paused).
export async function crawlNow(caseId: number): Promise<number> {
  return ((await (await call(`/api/v1/cases/${caseId}/crawl`, "POST")).json()) as { queued: number }).queued;
}

export async function setWatchPaused(caseId: number, paused: boolean): Promise<void> {
  await call(`/api/v1/cases/${caseId}/watch`, "POST", { paused });
}

export interface NewSource {
  url: string;
  kind: "page" | "feed" | "sitemap" | "channel";
  depth: number;
  every_hours: number;
}

export async function addSource(caseId: number, source: NewSource): Promise<WatchedSource> {
  return (await (await call(`/api/v1/cases/${caseId}/sources`, "POST", source)).json()) as WatchedSource;
}

export async function setSourcePaused(id: number, paused: boolean): Promise<void> {
  await call(`/api/v1/sources/${id}/pause`, "POST", { paused });
}

export async function deleteSource(id: number): Promise<void> {
  await call(`/api/v1/sources/${id}`, "DELETE");
}
