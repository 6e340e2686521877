// The organisation notices are signed by (issue 20): its profile edited by admins in the admin
// view (staff.html?view=admin), and the queue's banner while notices cannot be approved because
// the profile lacks a name, an email or a signatory. Saving writes every draft again with it; the
// page says how many.
import { t, type Key } from "./i18n";
import { getOrganisation, saveOrganisation, type Organisation, type OrganisationProfile } from "./staff-admin-api";
import { $, el, fail, say } from "./staff-ui";

// The form's fields, by the profile field each edits.
const FIELDS: Record<keyof OrganisationProfile, string> = {
  name: "#org-name",
  email: "#org-email",
  phone: "#org-phone",
  address: "#org-address",
  website: "#org-website",
  signatory: "#org-signatory",
  signatory_role: "#org-signatory-role",
};
const LACKS: Record<string, Key> = {
  name: "adm_org_name",
  email: "adm_org_email",
  signatory: "adm_org_signatory",
};

let organisation: Organisation | null = null;
let admin = false;

function lacking(): string {
  return (organisation?.lacks ?? []).map((field) => (field in LACKS ? t(LACKS[field]) : field)).join(", ");
}

// The queue's banner, shown while the profile lacks what notices need, with the way to fill it;
// and the same said above the admin's form (both re-rendered on a language change).
export function renderOrganisation(): void {
  $("#org-lacks").textContent = organisation?.lacks.length ? t("adm_org_lacks", { fields: lacking() }) : "";
  renderBanner();
}

function renderBanner(): void {
  const banner = $("#org-banner");
  banner.hidden = !organisation || organisation.lacks.length === 0;
  if (banner.hidden) return banner.replaceChildren();
  const words = t(admin ? "adm_org_banner_admin" : "adm_org_banner_staff", { fields: lacking() });
  banner.replaceChildren(
    el("span", { text: words }),
    ...(admin
      ? [" ", el("a", { text: t("adm_org_fill"), className: "lang-link", attrs: { href: "/staff.html?view=admin", "data-nav": "", id: "org-banner-link" } })]
      : []),
  );
}

function fillForm(): void {
  if (!organisation) return;
  for (const [field, selector] of Object.entries(FIELDS)) {
    $<HTMLInputElement | HTMLTextAreaElement>(selector).value = organisation[field as keyof OrganisationProfile];
  }
  renderOrganisation();
}

// Called when the queue is shown: the banner follows the profile as stored.
export async function loadOrganisation(isAdmin: boolean): Promise<void> {
  admin = isAdmin;
  try {
    organisation = await getOrganisation();
  } catch {
    organisation = null; // the queue's own status line reports a server that does not answer
  }
  renderOrganisation();
}

// Called when the admin view is opened.
export async function openOrganisation(): Promise<void> {
  admin = true;
  say("#org-status", null);
  try {
    organisation = await getOrganisation();
    fillForm();
  } catch (error) {
    fail("#org-status", error);
  }
}

export function clearOrganisation(): void {
  organisation = null;
  $<HTMLFormElement>("#org-form").reset();
  renderOrganisation();
}

export function initOrganisationForm(): void {
  $<HTMLFormElement>("#org-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const profile = Object.fromEntries(
      Object.entries(FIELDS).map(([field, selector]) => [field, $<HTMLInputElement | HTMLTextAreaElement>(selector).value.trim()]),
    ) as unknown as OrganisationProfile;
    if (profile.website && !profile.website.startsWith("https://")) return say("#org-status", "adm_org_website_https");
    const button = $<HTMLButtonElement>("#org-submit");
    button.disabled = true;
    say("#org-status", "staff_loading");
    void saveOrganisation(profile)
      .then((saved) => {
        organisation = saved;
        fillForm();
        say("#org-status", "adm_org_saved", { count: saved.drafts_rewritten ?? 0 });
      })
      .catch((error) => fail("#org-status", error))
      .finally(() => {
        button.disabled = false;
      });
  });
}
