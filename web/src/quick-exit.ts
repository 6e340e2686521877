// "Leave quickly" on every survivor page (index, status, resources): the header button, or Esc
// pressed twice within a second, clears what the page holds and replaces it with a neutral site.
//
// Back must not bring any of our pages back, so the tab's history never holds more than one of
// them: moving between the survivor pages replaces the current entry (keepOneHistoryEntry: a link
// to another survivor page is followed with location.replace; the language and place choices
// already use history.replaceState), and leaving replaces that one entry with the neutral site
// (location.replace, not a link). Whatever she visited before us stays; nothing of ours does.
// Loaded on each survivor page by survivor.ts, so it works even while the page's own module is
// still loading; pages that keep secrets (the receipt's code and PIN, the status page's) register
// a cleanup with onQuickExit.
//
// The neutral site is Google's home page: it looks like ordinary browsing on any phone, works in
// Hong Kong, Malaysia and everywhere else our survivors live, loads fast, and says nothing about
// where she was (the pages send no referrer: <meta name="referrer" content="no-referrer">).
import { t } from "./i18n";

export const NEUTRAL_SITE = "https://www.google.com/";
const DOUBLE_ESCAPE_MS = 1000;

const cleanups: (() => void)[] = [];

// `fn` runs before the page is replaced: forget codes, PINs and anything else held in variables.
export function onQuickExit(fn: () => void): void {
  cleanups.push(fn);
}

export function quickExit(): void {
  for (const fn of cleanups) {
    try {
      fn();
    } catch {
      // Leaving matters more than a cleanup that failed.
    }
  }
  // What she typed or was shown: form fields, file choices, the code and PIN of a receipt.
  for (const form of document.querySelectorAll("form")) form.reset();
  for (const field of document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("input, textarea")) {
    if (field.type !== "checkbox" && field.type !== "radio") field.value = "";
  }
  for (const dialog of document.querySelectorAll("dialog")) dialog.close();
  // The receipt kept for this tab (intake.ts) goes too.
  try {
    sessionStorage.clear();
  } catch {
    // Storage may be switched off; then nothing was kept.
  }
  document.title = "";
  document.body.replaceChildren();
  location.replace(NEUTRAL_SITE);
}

// The pages that are hers: moving between them replaces the tab's current entry.
const SURVIVOR_PAGES = new Set(["/", "/index.html", "/status.html", "/resources.html"]);

function keepOneHistoryEntry(): void {
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return; // a new tab or window is hers to open
    }
    const link = (event.target as Element | null)?.closest?.("a[href]");
    if (!(link instanceof HTMLAnchorElement) || link.target || link.hasAttribute("download")) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || !SURVIVOR_PAGES.has(url.pathname)) return;
    event.preventDefault();
    location.replace(url.href);
  });
}

function init(): void {
  keepOneHistoryEntry();
  document.querySelector<HTMLButtonElement>("#quick-exit")?.addEventListener("click", quickExit);
  let lastEscape = -Infinity;
  // Capture: a dialog or field that handles Esc itself must not swallow the second press.
  document.addEventListener(
    "keydown",
    (event) => {
      if (event.key !== "Escape" || event.repeat) return;
      const now = performance.now();
      if (now - lastEscape <= DOUBLE_ESCAPE_MS) quickExit();
      else lastEscape = now;
    },
    { capture: true },
  );
  // What the button cannot do, said where she can read it: the note joins the page's footer
  // (translated again on a language switch, like every data-i18n element).
  const foot = document.querySelector("footer.foot");
  if (foot && !document.querySelector("#quick-exit-note")) {
    const note = document.createElement("p");
    note.id = "quick-exit-note";
    note.dataset.i18n = "quick_exit_note";
    note.textContent = t("quick_exit_note");
    foot.append(note);
    document.querySelector("#quick-exit")?.setAttribute("aria-describedby", "quick-exit-note");
  }
}

init();
