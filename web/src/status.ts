// The status page: progress of a case in plain words from GET /api/v1/status (code + PIN as HTTP
// Basic), and erasing it (DELETE /api/v1/case) after a confirmation. The code and PIN live only in
// this page's memory. Her caseworker's messages are shown under the counts, as text (never HTML).
import "./style.css";
import "./messages.css";
import { ApiError, eraseCase, fetchStatus, type Counts } from "./api";
import { initLanguage, language, t, waitInWords, type Key } from "./i18n";
import { onQuickExit } from "./quick-exit";

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

let code = "";
let pin = "";
let counts: Counts | null = null;

// The message under `key` (its numbers in `vars`), kept on the element so a change of language
// can say it again; `extra` adds a second sentence (the tries left before a wait).
function showError(where: string, key: Key | null, vars: Record<string, number> = {}, extra: Key | null = null): void {
  const el = $(where);
  el.dataset.key = key ?? "";
  el.dataset.extra = extra ?? "";
  el.dataset.vars = JSON.stringify(vars);
  renderError(el);
}

// `vars.seconds`, when there, is said as a wait in words ("8 seconds", "1 minute").
function renderError(el: HTMLElement): void {
  const numbers = JSON.parse(el.dataset.vars || "{}") as Record<string, number>;
  const vars = { ...numbers, wait: waitInWords(numbers.seconds ?? 0) };
  const key = el.dataset.key as Key | "";
  const extra = el.dataset.extra as Key | "";
  el.textContent = key ? t(key, vars) + (extra ? " " + t(extra, vars) : "") : "";
}

// A refused code or PIN says how many tries are left before a short wait; a wait says how long.
function showAttemptError(where: string, error: unknown, wrongKey: Key): void {
  const e = error instanceof ApiError ? error : new ApiError("network");
  if (e.kind === "locked") return showError(where, "status_locked", { seconds: e.retryAfterSeconds });
  if (e.kind === "wrong" && e.retryAfterSeconds > 0) {
    return showError(where, wrongKey, { seconds: e.retryAfterSeconds }, "status_wait");
  }
  if (e.kind === "wrong") return showError(where, wrongKey, { count: e.triesLeft }, "status_tries_left");
  if (e.kind === "rejected") return showError(where, wrongKey);
  showError(where, e.kind === "server" ? "error_server" : e.kind === "timeout" ? "error_timeout" : "error_network");
}

function renderProgress(): void {
  if (!counts) return;
  $("#progress-case").textContent = t("progress_case", { code });
  // Her links still being checked only while there are some: every other line always.
  const rows: [string, Key, number][] = [
    ["images", "progress_images", counts.images],
    ...(counts.being_checked ? [["checking", "progress_checking", counts.being_checked] as [string, Key, number]] : []),
    ["found", "progress_found", counts.copies_found],
    ["requested", "progress_requested", counts.notified],
    ["removed", "progress_removed", counts.removed],
  ];
  const list = $("#progress");
  list.replaceChildren(
    ...rows.map(([name, key, count]) => {
      const item = document.createElement("li");
      item.dataset.count = name;
      item.textContent = t(key, { count });
      return item;
    }),
  );
  $("#progress-note").textContent = t(counts.copies_found ? "progress_working" : "progress_nothing_yet");
  renderMessages();
}

function renderMessages(): void {
  if (!counts) return;
  const messages = counts.messages ?? [];
  $("#messages-none").hidden = messages.length > 0;
  const format = new Intl.DateTimeFormat(language(), { dateStyle: "long", timeStyle: "short" });
  $("#messages").replaceChildren(
    ...messages.map((m) => {
      const item = document.createElement("li");
      const text = document.createElement("p");
      text.className = "message-text";
      text.textContent = m.text; // written by staff, shown as text: never parsed as HTML
      const at = document.createElement("time");
      at.className = "message-when";
      at.dateTime = m.at;
      at.textContent = t("msg_status_from", { when: format.format(new Date(m.at)) });
      item.append(text, at);
      return item;
    }),
  );
}

// A case code ("TD-" and letters and digits) and an 8-digit PIN found in one pasted text, else null.
function codeAndPin(text: string): { code: string; pin: string } | null {
  const code = /\bTD-[0-9A-Z]{4}-?[0-9A-Z]{4}\b/i.exec(text);
  if (!code) return null;
  const pin = /(?:^|\D)(\d{8})(?!\d)/.exec(text.replace(code[0], " "));
  return pin ? { code: code[0].toUpperCase(), pin: pin[1] } : null;
}

function rerender(): void {
  renderProgress();
  for (const id of ["#status-error", "#erase-error"]) renderError($(id));
}

function init(): void {
  initLanguage(rerender);
  // Leaving quickly forgets the code and PIN too, not only what the page shows.
  onQuickExit(() => {
    code = pin = "";
    counts = null;
  });
  const form = $<HTMLFormElement>("#status-form");
  // The receipt's "copy code and PIN" gives both in one text: pasted into either field, it fills both.
  for (const id of ["#code", "#pin"]) {
    $<HTMLInputElement>(id).addEventListener("paste", (event) => {
      const pair = codeAndPin(event.clipboardData?.getData("text") ?? "");
      if (!pair) return;
      event.preventDefault();
      $<HTMLInputElement>("#code").value = pair.code;
      $<HTMLInputElement>("#pin").value = pair.pin;
      $("#status-submit").focus();
    });
  }
  $("#status-retry").addEventListener("click", () => form.requestSubmit());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const typedCode = $<HTMLInputElement>("#code").value.replace(/\s+/g, "").toUpperCase();
    const typedPin = $<HTMLInputElement>("#pin").value.replace(/\s+/g, "");
    if (!typedCode || !typedPin) return showError("#status-error", "status_missing");
    // Codes and PINs are ASCII; anything else cannot be right (and btoa would throw).
    if (!/^[\x21-\x7e]+$/.test(typedCode + typedPin)) return showError("#status-error", "status_wrong");
    const button = $<HTMLButtonElement>("#status-submit");
    button.disabled = true;
    $("#status-retry").hidden = true;
    showError("#status-error", "status_loading");
    try {
      counts = await fetchStatus(typedCode, typedPin);
      code = typedCode;
      pin = typedPin;
      showError("#status-error", null);
      form.reset();
      $("#login-view").hidden = true;
      $("#progress-view").hidden = false;
      renderProgress();
      $("#progress-title").focus();
    } catch (error) {
      showAttemptError("#status-error", error, "status_wrong");
      const kind = error instanceof ApiError ? error.kind : "network";
      $("#status-retry").hidden = !["network", "timeout", "server"].includes(kind);
    } finally {
      button.disabled = false;
    }
  });

  const dialog = $<HTMLDialogElement>("#erase-dialog");
  $("#erase").addEventListener("click", () => dialog.showModal());
  $("#erase-cancel").addEventListener("click", () => dialog.close());
  $("#erase-yes").addEventListener("click", async () => {
    dialog.close();
    try {
      await eraseCase(code, pin);
      code = pin = "";
      counts = null;
      $("#messages").replaceChildren(); // nothing of the case stays in the page
      showError("#erase-error", null);
      $("#progress-view").hidden = true;
      $("#erased-view").hidden = false;
      $("#erased-title").focus();
    } catch (error) {
      showAttemptError("#erase-error", error, "erase_failed");
    }
  });
  document.body.dataset.ready = "true";
}

init();
