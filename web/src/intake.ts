// The report page: images and videos are hashed here, off the main thread (hasher.ts, video.ts),
// and only the hashes, the URLs she gives, her choices and an optional contact are sent to
// POST /api/v1/intake. Then the case code and PIN are shown, with copy and save buttons, and kept
// in this tab's sessionStorage (so a reload does not lose them) until she says she has saved them
// or leaves quickly.
import "./style.css";
import { ApiError, submitIntake, type IntakeImage, type IntakeRequest, type Receipt } from "./api";
import { HashError, type ImageHash } from "./hash";
import { hashImage } from "./hasher";
import { type Choices, choices, fillJurisdictions } from "./choices";
import { initLanguage, language, t, waitInWords, type Key } from "./i18n";
import { onQuickExit } from "./quick-exit";
import { hashVideoFile, usableFrames, VideoError, type FrameHash } from "./video";

interface Entry {
  id: number;
  name: string;
  kind: "image" | "video";
  state: "working" | "ready" | "failed";
  failure?: Key;
  hash?: ImageHash;
  frames?: FrameHash[]; // a video's sampled frames
  progress?: { done: number; total: number }; // a video's seconds hashed so far
  cancel: AbortController; // removing an entry stops its hashing
}

// The server's limit on hashes in one report (Policy::max_images).
const MAX_HASHES = 200;

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

// A file she chose that is not part of the report, and why (a translation key).
interface Unused {
  name: string;
  why: Key;
}

// What the receipt shows: the server's answer, the files not used and the place she chose (for
// the link to help where she lives).
interface Kept extends Receipt {
  unused: Unused[];
  j: string;
}

// The receipt survives a reload of this tab, and only that: sessionStorage is per tab, gone when
// the tab closes, cleared by "I have saved them" and by leaving quickly.
const RECEIPT_KEY = "receipt";

const entries: Entry[] = [];
let nextId = 1;
let receipt: Kept | null = null;
let hashing: Promise<void> = Promise.resolve();

// "Video 2 of 3: 14 of 60 seconds" while a video is hashed, else null.
function videoProgress(entry: Entry): string | null {
  if (entry.kind !== "video" || entry.state !== "working" || !entry.progress) return null;
  const videos = entries.filter((e) => e.kind === "video");
  return t("video_progress", {
    index: videos.indexOf(entry) + 1,
    count: videos.length,
    done: entry.progress.done,
    total: entry.progress.total,
  });
}

function stateText(entry: Entry): string {
  if (entry.state === "working") return videoProgress(entry) ?? t("images_working");
  if (entry.state === "failed") return t(entry.failure ?? "image_failed");
  if (entry.kind === "video") {
    const usable = usableFrames(entry.frames ?? []).length;
    return usable ? t("video_ready", { count: usable }) : t("video_weak");
  }
  return t(entry.hash && entry.hash.quality < 50 ? "image_weak" : "image_ready");
}

function summaryText(): string {
  const working = entries.find((e) => e.state === "working");
  if (working) return videoProgress(working) ?? t("images_working");
  if (!entries.length) return "";
  const ready = entries.filter((e) => e.state === "ready");
  const videos = ready.filter((e) => e.kind === "video").length;
  return videos
    ? t("media_ready_count", { images: ready.length - videos, videos })
    : t("images_ready_count", { count: ready.length });
}

function renderImages(): void {
  const list = $("#image-list");
  list.replaceChildren();
  for (const entry of entries) {
    const item = document.createElement("li");
    item.dataset.id = String(entry.id);
    item.dataset.kind = entry.kind;
    item.dataset.state = entry.state;
    if (entry.hash) {
      item.dataset.pdq = entry.hash.pdq;
      item.dataset.quality = String(entry.hash.quality);
    }
    if (entry.frames) {
      // For tests and the curious: every sampled frame as "seconds:pdq:quality".
      item.dataset.frames = entry.frames.map((f) => `${f.t}:${f.pdq}:${f.quality}`).join(" ");
    }
    const name = document.createElement("span");
    name.className = "file-name";
    name.textContent = entry.name;
    const state = document.createElement("span");
    state.className = "file-state";
    state.textContent = stateText(entry);
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "remove";
    remove.textContent = t("image_remove");
    remove.setAttribute("aria-label", t("image_remove_label", { name: entry.name }));
    remove.addEventListener("click", () => {
      entry.cancel.abort();
      entries.splice(entries.indexOf(entry), 1);
      renderImages();
      $("#images").focus();
    });
    item.append(name, state, remove);
    list.append(item);
  }
  $("#images-summary").textContent = summaryText();
}

// A video's progress changes only its own line and the summary, so that the list (and a focused
// Remove button in it) is not rebuilt every second.
function renderProgress(entry: Entry): void {
  const state = document.querySelector(`#image-list li[data-id="${entry.id}"] .file-state`);
  if (state) state.textContent = stateText(entry);
  $("#images-summary").textContent = summaryText();
}

// Some systems give no type for a video file: its name then decides.
const isVideo = (file: File) =>
  file.type.startsWith("video/") ||
  (!file.type && /\.(mp4|m4v|mov|webm|mkv|ogv|avi|3gp)$/i.test(file.name));

async function hashEntry(entry: Entry, file: File): Promise<void> {
  if (entry.cancel.signal.aborted) return;
  try {
    if (entry.kind === "video") {
      entry.frames = await hashVideoFile(
        file,
        (done, total) => {
          entry.progress = { done, total };
          renderProgress(entry);
        },
        entry.cancel.signal,
      );
    } else {
      entry.hash = await hashImage(file);
    }
    entry.state = "ready";
  } catch (error) {
    entry.state = "failed";
    const tooLarge =
      (error instanceof HashError || error instanceof VideoError) && error.reason === "too_large";
    entry.failure =
      entry.kind === "video"
        ? tooLarge ? "video_too_large" : "video_unsupported"
        : tooLarge ? "image_too_large" : "image_failed";
  }
}

function addFiles(files: FileList): void {
  for (const file of Array.from(files)) {
    const kind = isVideo(file) ? "video" : "image";
    const entry: Entry = {
      id: nextId++,
      name: file.name,
      kind,
      state: "working",
      cancel: new AbortController(),
    };
    entries.push(entry);
    // One file at a time: a phone has little memory to spare for several decoded photos.
    hashing = hashing.then(async () => {
      await hashEntry(entry, file);
      renderImages();
    });
  }
  renderImages();
  hashing.then(() => {
    document.body.dataset.hashing = "done"; // for tests: every chosen image is settled
  });
  document.body.dataset.hashing = "working";
}

function inNotices(): IntakeRequest["in_notices"] {
  const checked = document.querySelector<HTMLInputElement>('input[name="in_notices"]:checked');
  return (checked?.value ?? "none") as IntakeRequest["in_notices"];
}

// `vars.seconds`, when there, is said as a wait in words ("8 minutes").
function showError(key: Key | null, vars: Record<string, number> = {}): void {
  const error = $("#form-error");
  error.dataset.key = key ?? "";
  error.dataset.vars = JSON.stringify(vars);
  error.textContent = key ? t(key, { ...vars, wait: waitInWords(vars.seconds ?? 0) }) : "";
  if (!key) $("#retry").hidden = true;
}

// The files she chose that the report leaves out, each with the reason she was shown.
function unusedFiles(): Unused[] {
  return entries.flatMap((e): Unused[] => {
    if (e.state === "failed") return [{ name: e.name, why: e.failure ?? "image_failed" }];
    if (e.kind === "video" && !usableFrames(e.frames ?? []).length) return [{ name: e.name, why: "video_weak" }];
    return [];
  });
}

function buildRequest(): IntakeRequest | Key {
  if (entries.some((e) => e.state === "working")) return "error_still_working";
  const images: IntakeImage[] = [];
  let file = 0; // which of the files sent: her status page counts these, not hashes
  for (const e of entries) {
    if (e.state !== "ready") continue;
    const frames = usableFrames(e.frames ?? []);
    if (!e.hash && !frames.length) continue;
    file += 1;
    if (e.hash) {
      images.push({ kind: "image", pdq: e.hash.pdq, quality: e.hash.quality,
                    ...(e.hash.sha256 ? { sha256: e.hash.sha256 } : {}), file });
    }
    // A video is sent as its frames' hashes, one entry each (how the server stores video hashes).
    for (const f of frames) {
      images.push({ kind: "video", pdq: f.pdq, quality: f.quality, file });
    }
  }
  if (images.length > MAX_HASHES) return "error_too_many_hashes";
  const urls = $<HTMLTextAreaElement>("#urls").value
    .split(/\s+/)
    .map((u) => u.trim())
    .filter(Boolean);
  if (!images.length && !urls.length) return "error_nothing";
  const mode = inNotices();
  const name = $<HTMLInputElement>("#name").value.trim();
  const contact = $<HTMLInputElement>("#contact").value.trim();
  if (mode !== "none" && !name) return "error_name_needed";
  if (mode === "name_and_contact" && !contact) return "error_contact_needed";
  const request: IntakeRequest = {
    images,
    urls,
    jurisdiction: $<HTMLSelectElement>("#jurisdiction").value,
    language: caseLanguage(),
    consent_share: $<HTMLInputElement>("#consent").checked,
    authorise: $<HTMLInputElement>("#authorise").checked,
    in_notices: mode,
  };
  if (mode !== "none") request.name = name;
  if (contact) request.contact = contact;
  // Choosing "name and contact" is her explicit choice to give this contact in notices.
  if (mode === "name_and_contact") request.notice_contact = contact;
  return request;
}

function renderReceipt(): void {
  if (!receipt) return;
  $("#receipt-code").textContent = receipt.code;
  $("#receipt-pin").textContent = receipt.pin;
  const urls = [t("receipt_urls", { count: receipt.urls_accepted })];
  if (receipt.url_errors.length) urls.push(t("receipt_url_errors", { list: receipt.url_errors.join(", ") }));
  $("#receipt-urls").textContent = urls.join(" ");
  $("#receipt-unused").hidden = !receipt.unused.length;
  $("#unused-list").replaceChildren(
    ...receipt.unused.map((u) => {
      const item = document.createElement("li");
      item.dataset.why = u.why;
      const name = document.createElement("span");
      name.className = "file-name";
      name.textContent = u.name;
      item.append(name, " ", t(u.why));
      return item;
    }),
  );
}

function keepReceipt(): void {
  try {
    if (receipt) sessionStorage.setItem(RECEIPT_KEY, JSON.stringify(receipt));
    else sessionStorage.removeItem(RECEIPT_KEY);
  } catch {
    // Storage switched off: the receipt lives in the page only, as before.
  }
}

function keptReceipt(): Kept | null {
  try {
    const kept = JSON.parse(sessionStorage.getItem(RECEIPT_KEY) ?? "null") as Kept | null;
    return kept && typeof kept.code === "string" && typeof kept.pin === "string" ? kept : null;
  } catch {
    return null;
  }
}

function showReceipt(r: Kept): void {
  receipt = r;
  keepReceipt();
  // Forget what was chosen: the hashes are sent, and the form is gone.
  entries.length = 0;
  $<HTMLFormElement>("#intake-form").reset();
  $("#intake-view").hidden = true;
  $("#receipt-view").hidden = false;
  $("#receipt-secrets").hidden = false;
  $("#receipt-cleared").hidden = true;
  renderReceipt();
  $("#receipt-title").focus();
}

// She says she has saved them: the code and PIN leave the screen and the tab's storage.
function forgetReceipt(): void {
  receipt = null;
  keepReceipt();
  $("#receipt-code").textContent = "";
  $("#receipt-pin").textContent = "";
  $("#receipt-secrets").hidden = true;
  $("#receipt-cleared").hidden = false;
  $("#receipt-cleared-text").focus();
}

async function copy(text: string): Promise<void> {
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    ok = false;
  }
  $("#copy-status").textContent = t(ok ? "copied" : "copy_failed");
}

function saveFile(): void {
  if (!receipt) return;
  const url = new URL("/status.html", location.origin);
  url.searchParams.set("lang", language());
  const text = t("save_file_text", { code: receipt.code, pin: receipt.pin, url: url.href });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  link.download = t("save_file_name"); // a name that says nothing of what it is about
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  $("#copy-status").textContent = t("saved");
}

// The jurisdictions and case languages of the server's data (choices.ts), once they arrive.
let known: Choices | null = null;

async function loadChoices(): Promise<void> {
  try {
    known = await choices();
    const select = $<HTMLSelectElement>("#jurisdiction");
    // A receipt brought back after a reload keeps the place she chose (its help link follows it).
    fillJurisdictions(select, known.jurisdictions, receipt?.j ?? select.value);
    if (receipt) select.dispatchEvent(new Event("change"));
  } catch {
    // Without the list she can still report, as "not sure"; a language switch asks again.
  }
}

// Her case is in the page's language when notices can be written in it, else in English.
function caseLanguage(): string {
  return known && !known.languages.includes(language()) ? "en" : language();
}

function showFailure(error: unknown): void {
  const kind = error instanceof ApiError ? error.kind : "network";
  // Worth trying again at once: the network, a stalled or failing server.
  $("#retry").hidden = !["network", "timeout", "server"].includes(kind);
  if (kind === "locked") {
    // Too many reports from her network this hour: how long until the next one, in words.
    showError("error_busy", { seconds: (error as ApiError).retryAfterSeconds });
  } else {
    showError(
      kind === "network" ? "error_network"
        : kind === "timeout" ? "error_timeout"
        : kind === "server" ? "error_server"
        : "error_rejected",
    );
  }
}

function init(): void {
  initLanguage(() => {
    void loadChoices();
    renderImages();
    renderReceipt();
    const error = $("#form-error");
    if (error.dataset.key) showError(error.dataset.key as Key, JSON.parse(error.dataset.vars || "{}"));
  });
  void loadChoices(); // in the language just picked
  const input = $<HTMLInputElement>("#images");
  input.addEventListener("change", () => {
    if (input.files?.length) addFiles(input.files);
    input.value = ""; // the same file may be chosen again after removing it
  });
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="in_notices"]')) {
    radio.addEventListener("change", () => {
      $("#name-field").hidden = inNotices() === "none";
    });
  }
  const form = $<HTMLFormElement>("#intake-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await hashing;
    const request = buildRequest();
    if (typeof request === "string") {
      showError(request);
      return;
    }
    showError(null);
    const button = $<HTMLButtonElement>("#submit");
    button.disabled = true;
    $<HTMLButtonElement>("#retry").disabled = true;
    $("#sending").textContent = t("sending");
    try {
      const unused = unusedFiles();
      const j = $<HTMLSelectElement>("#jurisdiction").value;
      showReceipt({ ...(await submitIntake(request)), unused, j });
    } catch (error) {
      showFailure(error);
    } finally {
      button.disabled = false;
      $<HTMLButtonElement>("#retry").disabled = false;
      $("#sending").textContent = "";
    }
  });
  $("#retry").addEventListener("click", () => form.requestSubmit());
  // Leaving quickly forgets the receipt's code and PIN and stops any hashing, not only what the
  // page shows.
  onQuickExit(() => {
    receipt = null;
    for (const entry of entries.splice(0)) entry.cancel.abort();
  });
  // Both at once, labelled, so one paste into the status page fills both fields.
  $("#copy-both").addEventListener("click", () => {
    if (receipt) void copy(`${t("code_label")}: ${receipt.code}\n${t("pin_label")}: ${receipt.pin}`);
  });
  $("#save-file").addEventListener("click", saveFile);
  $("#receipt-saved").addEventListener("click", forgetReceipt);
  const kept = keptReceipt();
  if (kept) showReceipt(kept);
  document.body.dataset.ready = "true";
}

init();
