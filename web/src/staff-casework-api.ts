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

// One item's outcome in a bulk request: its state afterwards and, when refused, why.
export interface BulkResult {
  id: number;
  ok: boolean;
  state: string;
  error?: string;
}

// redraft: each written again in the case's language (a cancelled one's links as a new draft).
export type NoticeBulkAction = "approve" | "cancel" | "submitted" | "redraft";
export type SightingBulkAction = "confirm" | "dismiss";

// One request (and one audit event) for many of the case's notices: each decided as its own
// route would decide it.
export async function bulkNotices(caseId: number, action: NoticeBulkAction, noticeIds: number[]): Promise<BulkResult[]> {
  const body = { action, notice_ids: noticeIds };
  return ((await (await call(`/api/v1/cases/${caseId}/notices/bulk`, "POST", body)).json()) as { results: BulkResult[] }).results;
}

export async function bulkSightings(caseId: number, action: SightingBulkAction, sightingIds: number[]): Promise<BulkResult[]> {
  const body = { action, sighting_ids: sightingIds };
  return ((await (await call(`/api/v1/cases/${caseId}/sightings/bulk`, "POST", body)).json()) as { results: BulkResult[] }).results;
}

// Her facts and choices as the case detail gives them (GET /api/v1/cases/{id}).
export interface SurvivorFacts {
  language: string;
  consent_share: boolean;
  authorised: boolean;
  age: string; // adult, minor_when_made, minor_now
  ai_made: boolean;
  in_notices: string; // none, name, name_and_contact
  contact: string; // hers for the organisation: never printed in a notice
  notice_contact: string; // the contact she chose to give in notices
}

// The case's notices are written in `language` from now on; its drafts are written again in it.
export async function setCaseLanguage(caseId: number, language: string): Promise<number> {
  const res = await call(`/api/v1/cases/${caseId}/language`, "POST", { language });
  return ((await res.json()) as { drafts_rewritten: number }).drafts_rewritten;
}

// One notice written again in `language` (a draft in place; a cancelled one's links as a new
// draft), whatever the case's language.
export async function redraftIn(noticeId: number, language: string): Promise<void> {
  await call(`/api/v1/notices/${noticeId}/redraft`, "POST", { language });
}
