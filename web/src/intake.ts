// The report page: images are hashed here (hash.ts) and only the hashes, the URLs she gives, her
// choices and an optional contact are sent to POST /api/v1/intake. Then the case code and PIN
// are shown once, with copy and save buttons.
import "./style.css";
import { ApiError, submitIntake, type IntakeImage, type IntakeRequest, type Receipt } from "./api";
import { HashError, hashImageFile, type ImageHash } from "./hash";
import { initLanguage, language, t, type Key } from "./i18n";

interface Entry {
  id: number;
  name: string;
  state: "working" | "ready" | "failed";
  failure?: Key;
  hash?: ImageHash;
}

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

const entries: Entry[] = [];
let nextId = 1;
let receipt: Receipt | null = null;
let hashing: Promise<void> = Promise.resolve();

function renderImages(): void {
  const list = $("#image-list");
  list.replaceChildren();
  for (const entry of entries) {
    const item = document.createElement("li");
    item.dataset.state = entry.state;
    if (entry.hash) {
      item.dataset.pdq = entry.hash.pdq;
      item.dataset.quality = String(entry.hash.quality);
    }
    const name = document.createElement("span");
    name.className = "file-name";
    name.textContent = entry.name;
    const state = document.createElement("span");
    state.className = "file-state";
    state.textContent =
      entry.state === "working"
        ? t("images_working")
        : entry.state === "failed"
          ? t(entry.failure ?? "image_failed")
          : t(entry.hash && entry.hash.quality < 50 ? "image_weak" : "image_ready");
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "remove";
    remove.textContent = t("image_remove");
    remove.setAttribute("aria-label", t("image_remove_label", { name: entry.name }));
    remove.addEventListener("click", () => {
      entries.splice(entries.indexOf(entry), 1);
      renderImages();
      $("#images").focus();
    });
    item.append(name, state, remove);
    list.append(item);
  }
  const working = entries.some((e) => e.state === "working");
  const ready = entries.filter((e) => e.state === "ready").length;
  $("#images-summary").textContent = working
    ? t("images_working")
    : entries.length
      ? t("images_ready_count", { count: ready })
      : "";
}

function addFiles(files: FileList): void {
  for (const file of Array.from(files)) {
    const entry: Entry = { id: nextId++, name: file.name, state: "working" };
    entries.push(entry);
    if (file.type.startsWith("video/")) {
      entry.state = "failed";
      entry.failure = "image_video";
      continue;
    }
    // One image at a time: a phone has little memory to spare for several decoded photos.
    hashing = hashing.then(async () => {
      try {
        entry.hash = await hashImageFile(file);
        entry.state = "ready";
      } catch (error) {
        entry.state = "failed";
        entry.failure =
          error instanceof HashError && error.reason === "too_large" ? "image_too_large" : "image_failed";
      }
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

function showError(key: Key | null): void {
  const error = $("#form-error");
  error.dataset.key = key ?? "";
  error.textContent = key ? t(key) : "";
}

function buildRequest(): IntakeRequest | Key {
  if (entries.some((e) => e.state === "working")) return "error_still_working";
  const images: IntakeImage[] = entries
    .filter((e) => e.state === "ready" && e.hash)
    .map((e) => ({ kind: "image", pdq: e.hash!.pdq, quality: e.hash!.quality,
                   ...(e.hash!.sha256 ? { sha256: e.hash!.sha256 } : {}) }));
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
    language: language(),
    consent_share: $<HTMLInputElement>("#consent").checked,
    authorise: $<HTMLInputElement>("#authorise").checked,
    in_notices: mode,
  };
  if (mode !== "none") request.name = name;
  if (contact) request.contact = contact;
  return request;
}

function renderReceipt(): void {
  if (!receipt) return;
  $("#receipt-code").textContent = receipt.code;
  $("#receipt-pin").textContent = receipt.pin;
  const urls = [t("receipt_urls", { count: receipt.urls_accepted })];
  if (receipt.url_errors.length) urls.push(t("receipt_url_errors", { list: receipt.url_errors.join(", ") }));
  $("#receipt-urls").textContent = urls.join(" ");
}

function showReceipt(r: Receipt): void {
  receipt = r;
  // Forget what was chosen: the hashes are sent, and the form is gone.
  entries.length = 0;
  $<HTMLFormElement>("#intake-form").reset();
  $("#intake-view").hidden = true;
  $("#receipt-view").hidden = false;
  renderReceipt();
  $("#receipt-title").focus();
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
  link.download = t("save_file_name");
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  $("#copy-status").textContent = t("saved");
}

function init(): void {
  initLanguage(() => {
    renderImages();
    renderReceipt();
    const error = $("#form-error");
    if (error.dataset.key) error.textContent = t(error.dataset.key as Key);
  });
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
    $("#sending").textContent = t("sending");
    try {
      showReceipt(await submitIntake(request));
    } catch (error) {
      const kind = error instanceof ApiError ? error.kind : "network";
      showError(kind === "network" ? "error_network" : kind === "server" ? "error_server" : "error_rejected");
    } finally {
      button.disabled = false;
      $("#sending").textContent = "";
    }
  });
  $("#copy-code").addEventListener("click", () => void copy(receipt?.code ?? ""));
  $("#copy-pin").addEventListener("click", () => void copy(receipt?.pin ?? ""));
  $("#save-file").addEventListener("click", saveFile);
  document.body.dataset.ready = "true";
}

init();
