// The staff endpoints of /api/v1 the caseworker dashboard uses (docs/openapi.yaml). Same origin,
// with the session cookie (HttpOnly, SameSite=Strict) the server sets at login. The CSRF token
// lives only in this module's memory: after a reload it is read back from GET /api/v1/me.

export interface CaseCounts {
  hashes: number;
  urls_found: number;
  notified: number;
  removed: number;
  open_sightings: number;
}

export interface CaseSummary {
  id: number;
  code: string;
  status: string;
  jurisdiction: string;
  language: string;
  authorised: boolean;
  assigned_user: number | null;
  created_at: string;
  closed_at: string | null;
  counts: CaseCounts;
  watch_paused?: boolean;
  // In the queue (GET /api/v1/cases) only:
  attention?: CaseAttention;
  assignee?: string | null; // the username of assigned_user
  last_activity?: string; // its newest change (reads do not count)
}

// What needs a caseworker in a case (docs/openapi.yaml, Attention).
export interface CaseAttention {
  waiting: number;
  next_deadline: string | null;
  overdue: number;
  reappeared: number;
  reposts: number;
}

export interface Hash {
  id: number;
  kind: string;
  pdq: string;
  quality: number;
  origin: string;
}

export interface Sighting {
  id: number;
  url: string;
  normalized_url: string;
  platform: string;
  host: string;
  state: string;
  first_seen: string;
  origin: string;
  needs_review: boolean;
  // Who confirmed it shows her image ("" until someone has): a link that matched none of her
  // images and that she did not report is named in no notice until then (issue 21).
  confirmed_by: string;
  last_checked: string | null;
  // What the last check saw (verdict, http_status, matches, last_match, error, ...), {} before one.
  evidence?: Record<string, unknown>;
}

export interface Note {
  id: number;
  author: number; // a user id
  text: string;
  at: string;
  to_survivor: boolean; // a message she reads on her status page
}

export interface CaseDetail extends CaseSummary {
  hashes: Hash[];
  sightings: Sighting[];
  notes: Note[];
}

export interface CaseEvent {
  id: number;
  actor: string; // "user:12", "survivor", "partner:3", "system"
  action: string;
  detail: Record<string, unknown>;
  at: string;
}

export interface Reply {
  id: number;
  notice_id: number;
  kind: string; // human, auto_reply, bounce
  received_at: string;
  from: string;
  subject: string;
  text: string;
}

export interface UrlLine {
  line: number;
  input: string;
  ok: boolean;
  error?: string;
  normalized?: string;
  platform?: string;
  duplicate?: boolean;
}

export interface UrlResult {
  added: number;
  rejected: number;
  lines: UrlLine[];
}

export interface Notice {
  id: number;
  case_id: number;
  state: string;
  rung: number; // 0: the first notice to the platform or site; later rungs are the escalation ladder's
  recipient: string;
  recipient_kind: string;
  channel: string;
  address: string;
  legal_basis: string;
  subject: string;
  body: string;
  missing: string[];
  created_at: string;
  sent_at: string | null;
  last_error: string;
  language: string; // the one it is written in
}

export interface Me {
  id: number;
  username: string;
  role: string;
  // An admin reset the password: nothing but setting her own (changePassword) until she has.
  must_change_password: boolean;
}

// "unauthenticated": no session (log in); "forbidden": the role may not; "rejected": 4xx with the
// server's explanation in `detail`; "locked": too many tries, wait `retryAfterSeconds` (the
// Retry-After header); "network", "server".
export type StaffErrorKind = "network" | "unauthenticated" | "forbidden" | "rejected" | "locked" | "server";

export class StaffError extends Error {
  constructor(
    readonly kind: StaffErrorKind,
    readonly detail = "",
    readonly retryAfterSeconds = 0,
  ) {
    super(kind);
  }
}

let csrf = "";

export async function call(path: string, method = "GET", body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
      redirect: "error",
    });
  } catch {
    throw new StaffError("network");
  }
  if (res.ok) return res;
  let detail = "";
  try {
    detail = String(((await res.json()) as { error?: string }).error ?? "");
  } catch {
    // not JSON
  }
  if (res.status === 401) throw new StaffError("unauthenticated", detail);
  if (res.status === 403) throw new StaffError("forbidden", detail);
  if (res.status === 429) {
    const wait = Number(res.headers.get("Retry-After"));
    throw new StaffError("locked", detail, Number.isFinite(wait) && wait > 0 ? Math.ceil(wait) : 1);
  }
  if (res.status >= 500) throw new StaffError("server", detail);
  throw new StaffError("rejected", detail);
}

export async function login(username: string, password: string): Promise<Me> {
  const res = await call("/api/v1/login", "POST", { username, password });
  const out = (await res.json()) as { user: Me; csrf_token: string; must_change_password: boolean };
  csrf = out.csrf_token;
  return { ...out.user, must_change_password: out.must_change_password };
}

// Her own password; the server ends every session of the account, this one too.
export async function changePassword(current: string, replacement: string): Promise<void> {
  await call("/api/v1/me/password", "POST", { current_password: current, new_password: replacement });
  csrf = "";
}

// The session this browser already has, if any.
export async function me(): Promise<Me> {
  const res = await call("/api/v1/me");
  const out = (await res.json()) as Me & { csrf_token: string };
  csrf = out.csrf_token;
  return out;
}

export async function logout(): Promise<void> {
  try {
    await call("/api/v1/logout", "POST");
  } finally {
    csrf = "";
  }
}

export interface CaseQuery {
  status: "" | "open" | "closed";
  assigned: "" | "me" | "none";
  q: string;
  attention?: "" | "waiting" | "overdue" | "reappeared";
}

export async function listCases(query: CaseQuery): Promise<CaseSummary[]> {
  const params = new URLSearchParams();
  if (query.status) params.set("status", query.status);
  if (query.assigned) params.set("assigned", query.assigned);
  if (query.q) params.set("q", query.q);
  if (query.attention) params.set("attention", query.attention);
  params.set("limit", "100");
  const res = await call(`/api/v1/cases?${params}`);
  return ((await res.json()) as { cases: CaseSummary[] }).cases;
}

export async function getCase(id: number): Promise<CaseDetail> {
  return (await (await call(`/api/v1/cases/${id}`)).json()) as CaseDetail;
}

export async function addUrls(id: number, text: string): Promise<UrlResult> {
  return (await (await call(`/api/v1/cases/${id}/urls`, "POST", { text })).json()) as UrlResult;
}

export async function listNotices(id: number): Promise<Notice[]> {
  return ((await (await call(`/api/v1/cases/${id}/notices`)).json()) as { notices: Notice[] }).notices;
}

export async function draftNotices(id: number): Promise<Notice[]> {
  const res = await call(`/api/v1/cases/${id}/notices`, "POST", {});
  return ((await res.json()) as { notices: Notice[] }).notices;
}

// redraft: a draft written again, or a cancelled notice's links drafted again (its answer, the
// draft, is read back with the case's notices).
export type Decision = "approve" | "submitted" | "cancel" | "send-again" | "redraft";

export async function decideNotice(id: number, what: Decision): Promise<void> {
  await call(`/api/v1/notices/${id}/${what}`, "POST");
}

// user null: nobody.
export async function assignCase(id: number, user: number | null): Promise<void> {
  await call(`/api/v1/cases/${id}/assign`, "POST", { user_id: user });
}

export async function setCaseStatus(id: number, status: "open" | "closed"): Promise<void> {
  await call(`/api/v1/cases/${id}/status`, "POST", { status });
}

// toSurvivor: a message she reads on her status page instead of a staff-only note.
export async function addNote(id: number, text: string, toSurvivor = false): Promise<void> {
  await call(`/api/v1/cases/${id}/notes`, "POST", toSurvivor ? { text, to_survivor: true } : { text });
}

// Newest first.
export async function listEvents(id: number, limit = 100): Promise<CaseEvent[]> {
  return ((await (await call(`/api/v1/cases/${id}/events?limit=${limit}`)).json()) as { events: CaseEvent[] }).events;
}

export async function listReplies(id: number): Promise<Reply[]> {
  return ((await (await call(`/api/v1/cases/${id}/replies`)).json()) as { replies: Reply[] }).replies;
}

// The regulator dossier of a case as a same-origin address (an <a download> fetches it with the
// session cookie).
export const dossierUrl = (id: number) => `/api/v1/cases/${id}/dossier?format=html`;

// Statistics of a period (docs/statistics.md); withheld counts and rates, and values that do not
// exist (the rate of nothing, the median of no times) are null.
export interface Durations {
  n: number | null;
  median_hours: number | null;
  p90_hours: number | null;
}

export interface StatsTotals {
  cases: number | null;
  urls_found: number | null;
  urls_removed: number | null;
  removal_rate: number | null;
  time_to_removal: Durations;
}

export interface StatsRecipient {
  recipient: string; // a platform's id in data/platforms.toml, or a host
  name: string;
  notices_sent: number | null;
  acknowledged: number | null;
  acted_on: number | null;
  never_responded: number | null;
  removal_rate: number | null;
  time_to_removal: Durations;
}

export interface Stats {
  from: string;
  to: string;
  k: number;
  totals: StatsTotals;
  platforms: StatsRecipient[];
}

// from and to as YYYY-MM-DD; to is not in the period. format: json, csv, html or pdf.
export function statsUrl(from: string, to: string, format: string, language?: string): string {
  const params = new URLSearchParams({ from, to, format });
  if (language) params.set("language", language);
  return `/api/v1/stats?${params}`;
}

export async function getStats(from: string, to: string): Promise<Stats> {
  return (await (await call(statsUrl(from, to, "json"))).json()) as Stats;
}

export interface Settings {
  send_automatically: boolean;
  first_contact: "person" | "published" | "any";
  draft_automatically: boolean;
  confirm_automatically: boolean;
  confirm_max_distance: number;
  confirm_min_quality: number;
}

export async function getSettings(): Promise<Settings> {
  return (await (await call("/api/v1/settings")).json()) as Settings;
}

// Admins only (403 otherwise).
// Changes only the settings named.
export async function putSettings(change: Partial<Settings>): Promise<Settings> {
  return (await (await call("/api/v1/settings", "PUT", change)).json()) as Settings;
}
