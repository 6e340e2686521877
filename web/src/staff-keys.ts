// Keyboard shortcuts for the dashboard's common actions, and "?" (or the header's button) for a
// native <dialog> that lists them. A shortcut never fires while typing (in an input, textarea,
// select or editable text), with Ctrl, Alt or Meta held, or while a dialog is open; each only
// clicks or focuses what the page already offers, so it does exactly what the mouse would.
import "./staff-casework.css";
import { t, type Key } from "./i18n";
import { $, el } from "./staff-ui";

const SHORTCUTS: { keys: string[]; key: Key }[] = [
  { keys: ["/"], key: "keys_search" },
  { keys: ["j"], key: "keys_next" },
  { keys: ["k"], key: "keys_previous" },
  { keys: ["Enter"], key: "keys_open_case" },
  { keys: ["g", "q"], key: "keys_queue" },
  { keys: ["a"], key: "keys_assign" },
  { keys: ["n"], key: "keys_note" },
  { keys: ["?"], key: "keys_help" },
];

const view = () => document.body.dataset.view ?? "";

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest("input, textarea, select, [contenteditable]") !== null;
}

function renderList(): void {
  $("#keys-list").replaceChildren(
    ...SHORTCUTS.map((s) =>
      el(
        "div",
        { attrs: { "data-keys": s.keys.join(" ") } },
        el("dt", {}, ...s.keys.flatMap((k, i) => [i ? ` ${t("keys_then")} ` : "", el("kbd", { text: k })])),
        el("dd", { text: t(s.key) }),
      ),
    ),
  );
}

function openHelp(): void {
  const dialog = $<HTMLDialogElement>("#keys-help");
  if (dialog.open) return;
  renderList();
  const back = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  dialog.addEventListener("close", () => back?.focus(), { once: true });
  dialog.showModal();
}

// j and k move through the queue's case links; focus on a link lets Enter open it.
function moveInQueue(step: number): void {
  const links = [...document.querySelectorAll<HTMLAnchorElement>("#queue-rows a[data-case-id]")];
  if (!links.length) return;
  const at = links.findIndex((a) => a === document.activeElement);
  const next = at < 0 ? (step > 0 ? 0 : links.length - 1) : Math.min(Math.max(at + step, 0), links.length - 1);
  for (const row of document.querySelectorAll("#queue-rows tr.selected")) row.classList.remove("selected");
  links[next].closest("tr")?.classList.add("selected");
  links[next].focus();
}

// The back link of the view shown (every view but the queue and login has one).
function backToQueue(): void {
  const section = [...document.querySelectorAll<HTMLElement>("main > section")].find((s) => !s.hidden);
  section?.querySelector<HTMLAnchorElement>('a[data-i18n="staff_back"]')?.click();
}

let pendingG = 0; // when "g" was pressed, waiting for its second key

// The list is rendered each time the dialog opens (the language cannot change while it is open).
export function initKeys(): void {
  $("#keys-open").addEventListener("click", openHelp);
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (typing(event.target) || document.querySelector("dialog[open]")) return;
    if (event.shiftKey && event.key !== "?" && event.key !== "/") return; // both need Shift on some keyboards
    const v = view();
    if (v === "login" || !v) return;
    const g = pendingG && Date.now() - pendingG < 1500;
    pendingG = 0;
    let handled = true;
    if (event.key === "?") openHelp();
    else if (g && event.key === "q") {
      if (v !== "queue") backToQueue();
    } else if (event.key === "g") pendingG = Date.now();
    else if (event.key === "/" && v === "queue") $("#filter-q").focus();
    else if ((event.key === "j" || event.key === "k") && v === "queue") moveInQueue(event.key === "j" ? 1 : -1);
    else if (event.key === "a" && v === "case") {
      const button = $<HTMLButtonElement>("#assign-toggle");
      if (button.dataset.mine !== "true" && !button.disabled) button.click();
    } else if (event.key === "n" && v === "case") {
      const note = $<HTMLTextAreaElement>("#note-text");
      note.focus();
      note.scrollIntoView({ block: "center" });
    } else handled = false;
    // A handled key must not also type into what it focused (the "/" into the search box).
    if (handled) event.preventDefault();
  });
}
