// The survivor endpoints of /api/v1 (docs/openapi.yaml). Same origin only; no cookies are sent
// (credentials: "omit"), so a caseworker's session in the same browser never mixes in.

// One hash: of an image, or of one sampled frame of a video (a video sends one per frame). `file`
// says which of the files she chose it came from (1, 2, ...; a video's frames share it), so that
// her status page counts her photos and videos, not hashes.
export interface IntakeImage {
  pdq: string;
  quality: number;
  sha256?: string;
  kind: "image" | "video";
  file: number;
}

export interface IntakeRequest {
  images: IntakeImage[];
  urls: string[];
  jurisdiction: string;
  language: string;
  consent_share: boolean;
  authorise: boolean;
  in_notices: "none" | "name" | "name_and_contact";
  name?: string;
  contact?: string;
  // The contact printed in notices: only with in_notices "name_and_contact" (issue 21).
  notice_contact?: string;
  // The person's age ("adult" when left out) and whether the images were made or altered by AI:
  // the API takes them; the form does not ask yet (docs/openapi.yaml).
  age?: "adult" | "minor_when_made" | "minor_now";
  ai_made?: boolean;
}

export interface Receipt {
  code: string;
  pin: string;
  urls_accepted: number;
  url_errors: string[];
}

// Her case in numbers she can trust (docs/web.md): the photos and videos she chose, her links not
// yet confirmed, the copies confirmed as hers, and of those the ones asked to be removed and removed.
export interface Counts {
  images: number;
  being_checked: number;
  copies_found: number;
  notified: number;
  removed: number;
  // Her caseworker's messages to her, oldest first (never staff notes, never who wrote them).
  messages: { at: string; text: string }[];
}

// How long a request may take before the page gives up on it and says so (with a way to try
// again): a stalled server must not leave "Sending…" on the screen for minutes. Generous, since
// checking a PIN is slow on purpose and phones are often on poor connections.
export const REQUEST_TIMEOUT_MS = 30_000;

// fetch() that gives up after REQUEST_TIMEOUT_MS: rejects with a TimeoutError then (a DOMException
// named "TimeoutError"), with a TypeError when the server cannot be reached.
export async function fetchWithTimeout(path: string, init: RequestInit = {}): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException("no answer", "TimeoutError")), REQUEST_TIMEOUT_MS);
  try {
    const res = await fetch(path, { ...init, signal: controller.signal });
    // The body too must arrive in time: read it before the timer stops (a 204 has none).
    const body = [204, 205, 304].includes(res.status) ? null : await res.arrayBuffer();
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  } catch (error) {
    if (controller.signal.aborted) throw new DOMException("no answer", "TimeoutError");
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

// "network": unreachable; "timeout": no answer in time (it may have arrived: try again);
// "rejected": 4xx for the request; "wrong": bad code or PIN; "locked": too many tries, wait
// first; "server": 5xx. For "wrong" and "locked", the server says how many tries are left before a
// wait and how many seconds to wait (0: none).
export class ApiError extends Error {
  constructor(
    readonly kind: "network" | "timeout" | "rejected" | "wrong" | "locked" | "server",
    readonly triesLeft = 0,
    readonly retryAfterSeconds = 0,
  ) {
    super(kind);
  }
}

// The tries left and the wait of a refused attempt's body ({"tries_left", "retry_after_seconds"}).
async function attemptError(res: Response, kind: "wrong" | "locked"): Promise<ApiError> {
  const body = (await res.json().catch(() => ({}))) as { tries_left?: unknown; retry_after_seconds?: unknown };
  const number = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.ceil(v) : 0);
  const wait = number(body.retry_after_seconds) || number(Number(res.headers.get("Retry-After")));
  return new ApiError(kind, number(body.tries_left), kind === "locked" ? Math.max(1, wait) : wait);
}

async function call(path: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetchWithTimeout(path, { ...init, credentials: "omit", cache: "no-store", redirect: "error" });
  } catch (error) {
    throw new ApiError(error instanceof DOMException && error.name === "TimeoutError" ? "timeout" : "network");
  }
  if (res.ok) return res;
  if (res.status === 401 || res.status === 403 || res.status === 404) throw await attemptError(res, "wrong");
  if (res.status === 429) throw await attemptError(res, "locked");
  if (res.status >= 500) throw new ApiError("server");
  throw new ApiError("rejected");
}

export async function submitIntake(request: IntakeRequest): Promise<Receipt> {
  const res = await call("/api/v1/intake", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(request),
  });
  return (await res.json()) as Receipt;
}

function caseAuth(code: string, pin: string): Record<string, string> {
  // Codes and PINs are ASCII (letters, digits, dashes), so btoa is safe; the server uppercases.
  return { Authorization: "Basic " + btoa(`${code}:${pin}`) };
}

export async function fetchStatus(code: string, pin: string): Promise<Counts> {
  const res = await call("/api/v1/status", { method: "GET", headers: caseAuth(code, pin) });
  return (await res.json()) as Counts;
}

export async function eraseCase(code: string, pin: string): Promise<void> {
  await call("/api/v1/case", { method: "DELETE", headers: caseAuth(code, pin) });
}
