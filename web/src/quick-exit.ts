// "Leave quickly" on every survivor page (index, status, resources): the header button, or Esc
// pressed twice within a second, clears what the page holds and replaces it with a neutral site.
// location.replace, not a link: the page she left is not in the tab's history, so Back does not
// bring it back. Loaded on each survivor page by survivor.ts, so it works even while the page's own
// module is still loading; pages that keep secrets in variables (the receipt's code and PIN, the
// status page's) register a cleanup with onQuickExit.
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
  document.title = "";
  document.body.replaceChildren();
  location.replace(NEUTRAL_SITE);
}

function init(): void {
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
