// What every survivor page loads besides its own code (a second module script in index.html,
// status.html and resources.html): the quick exit, and links to the resources page that carry
// her jurisdiction. A link `<a data-j-from="ID">` follows the <select id="ID"> on the same page,
// so the receipt's "help where you live" opens the resources page for the place she chose.
import "./quick-exit";

function followJurisdiction(): void {
  for (const link of document.querySelectorAll<HTMLAnchorElement>("a[data-j-from]")) {
    const select = document.getElementById(link.dataset.jFrom ?? "");
    if (!(select instanceof HTMLSelectElement)) continue;
    const update = () => {
      const url = new URL(link.getAttribute("href") ?? "/resources.html", location.origin);
      if (select.value) url.searchParams.set("j", select.value);
      else url.searchParams.delete("j");
      link.setAttribute("href", url.pathname + url.search);
    };
    select.addEventListener("change", update);
    update();
  }
}

followJurisdiction();
