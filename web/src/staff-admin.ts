// The dashboard's admin view (staff.html?view=admin), for admins only (the link is hidden from
// others and the server refuses them anyway): the organisation's profile (staff-organisation.ts),
// accounts (list, add with a first password shown once, change a role, reset a password shown
// once, disable and enable again) and partner API keys (list, make one with the key shown once
// and a copy button, revoke). Passwords and keys are never logged or kept: the one just made
// stays in this module's memory until the view is left.
import { t, type Key } from "./i18n";
import {
  addPartner, addUser, listPartners, listUsers, resetPassword, revokePartner, setUserDisabled, setUserRole, type Partner, type User,
} from "./staff-admin-api";
import { openOrganisation } from "./staff-organisation";
import { $, el, fail, named, say, when } from "./staff-ui";

const ROLES: Record<string, Key> = {
  admin: "adm_role_admin",
  caseworker: "adm_role_caseworker",
  reviewer: "adm_role_reviewer",
};
const SCOPES: Record<string, Key> = {
  "hashes:read": "adm_scope_hashes_read",
  match: "adm_scope_match",
  feedback: "adm_scope_feedback",
};

let role = "";
let myId = 0;
let users: User[] | null = null;
let partners: Partner[] | null = null;
// The secret just made, shown once: what it is for, whose, and the secret itself.
let secret: { kind: "password" | "reset" | "key"; name: string; value: string } | null = null;
const SECRET_TITLES: Record<"password" | "reset" | "key", Key> = {
  password: "adm_password_once",
  reset: "adm_reset_once",
  key: "adm_key_once",
};

export function setAdminRole(r: string, id = 0): void {
  role = r;
  myId = id;
}

export const isAdmin = () => role === "admin";

// A password of 20 letters and digits from the browser's random source (about 116 bits), without
// the look-alikes l, o, I, O, 0 and 1 since it may be read out. Bytes from 224 up are skipped, so
// every character is equally likely (224 is 4 × 56).
function makePassword(): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  let out = "";
  while (out.length < 20) {
    for (const b of crypto.getRandomValues(new Uint8Array(32))) {
      if (b < 224 && out.length < 20) out += alphabet[b % alphabet.length];
    }
  }
  return out;
}

function renderSecret(): void {
  $("#secret-box").hidden = !secret;
  if (!secret) {
    $("#secret-value").textContent = "";
    return;
  }
  $("#secret-title").textContent = t(SECRET_TITLES[secret.kind], { name: secret.name });
  $("#secret-value").textContent = secret.value;
}

export function renderAdmin(): void {
  $("#admin-forbidden").hidden = isAdmin();
  $("#admin-body").hidden = !isAdmin();
  renderSecret();
  const cell = (key: Key, ...content: (Node | string)[]) => el("td", { attrs: { "data-label": t(key) } }, ...content);
  if (users) {
    $("#users-rows").replaceChildren(
      ...users.map((u) => {
        const self = u.id === myId;
        const button = el("button", {
          text: t(u.disabled ? "adm_enable" : "adm_disable"),
          attrs: { type: "button", "data-user-id": String(u.id), "data-disable": u.disabled ? "false" : "true" },
        });
        button.disabled = self;
        const reset = el("button", {
          text: t("adm_reset_password"),
          attrs: { type: "button", "data-reset-user-id": String(u.id) },
        });
        reset.disabled = self; // her own: "change password", with the current one
        const roles = el(
          "select",
          { attrs: { "data-role-user-id": String(u.id), "aria-label": t("adm_role_of", { name: u.username }) } },
          ...Object.entries(ROLES).map(([value, key]) => el("option", { text: t(key), attrs: { value } })),
        );
        roles.value = u.role;
        return el(
          "tr",
          { attrs: { "data-username": u.username } },
          cell("adm_col_username", self ? t("adm_you", { name: u.username }) : u.username),
          cell("adm_col_role", self ? named(ROLES, u.role) : roles),
          el("td", { attrs: { "data-label": t("adm_col_state"), "data-state": u.disabled ? "disabled" : "active" } },
            t(u.disabled ? "adm_state_disabled" : "adm_state_active")),
          cell("adm_col_created", when(u.created_at)),
          cell("adm_col_action", button, " ", reset),
        );
      }),
    );
  }
  if (partners) {
    $("#partners-table").hidden = partners.length === 0;
    $("#partners-none").hidden = partners.length !== 0;
    $("#partners-rows").replaceChildren(
      ...partners.map((p) => {
        const revoke = el("button", {
          text: t("adm_revoke"),
          className: "danger",
          attrs: { type: "button", "data-partner-id": String(p.id) },
        });
        return el(
          "tr",
          { attrs: { "data-partner": p.name, "data-partner-id": String(p.id) } },
          cell("adm_col_partner", p.name),
          cell("adm_col_scopes", p.scopes.map((s) => named(SCOPES, s)).join(", ")),
          el("td", { attrs: { "data-label": t("adm_col_state"), "data-state": p.revoked ? "revoked" : "active" } },
            t(p.revoked ? "adm_state_revoked" : "adm_state_active")),
          cell("adm_col_created", when(p.created_at)),
          cell("adm_col_action", p.revoked ? "" : revoke),
        );
      }),
    );
  }
}

async function load(): Promise<void> {
  if (!isAdmin()) return;
  say("#admin-status", "staff_loading");
  try {
    [users, partners] = await Promise.all([listUsers(), listPartners()]);
    renderAdmin();
    say("#admin-status", null);
  } catch (error) {
    fail("#admin-status", error);
  }
}

// Called when the view is shown.
export function openAdmin(): void {
  renderAdmin();
  void load();
  if (isAdmin()) void openOrganisation();
}

// Called when the view is left or the session ends: the secret is not kept, and neither are the
// lists' rows, whose buttons would do nothing once the lists are forgotten (coming back, a click
// on them before the lists reloaded was lost).
export function clearAdmin(): void {
  secret = null;
  users = null;
  partners = null;
  $("#users-rows").replaceChildren();
  $("#partners-rows").replaceChildren();
  renderSecret();
}

async function busy(button: HTMLButtonElement, work: () => Promise<void>): Promise<void> {
  button.disabled = true;
  try {
    await work();
  } finally {
    button.disabled = false;
  }
}

export function initAdminView(): void {
  $<HTMLFormElement>("#user-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const username = $<HTMLInputElement>("#new-username").value.trim().toLowerCase();
    const typed = $<HTMLInputElement>("#new-password").value;
    const userRole = $<HTMLSelectElement>("#new-role").value;
    if (!username) return say("#user-form-status", "adm_missing_name");
    if (typed && typed.length < 12) return say("#user-form-status", "adm_password_short");
    const password = typed || makePassword();
    void busy($<HTMLButtonElement>("#user-submit"), async () => {
      say("#user-form-status", "staff_loading");
      try {
        await addUser(username, password, userRole);
        secret = { kind: "password", name: username, value: password };
        renderSecret();
        $<HTMLFormElement>("#user-form").reset();
        say("#user-form-status", "adm_user_created", { name: username });
        $("#secret-title").focus();
        users = await listUsers();
        renderAdmin();
      } catch (error) {
        fail("#user-form-status", error);
      }
    });
  });

  $<HTMLFormElement>("#partner-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const name = $<HTMLInputElement>("#partner-name").value.trim();
    const scopes = [...document.querySelectorAll<HTMLInputElement>("#partner-form input[name=scope]:checked")].map((b) => b.value);
    if (!name) return say("#partner-form-status", "adm_missing_name");
    if (!scopes.length) return say("#partner-form-status", "adm_missing_scope");
    void busy($<HTMLButtonElement>("#partner-submit"), async () => {
      say("#partner-form-status", "staff_loading");
      try {
        const made = await addPartner(name, scopes);
        secret = { kind: "key", name, value: made.api_key };
        renderSecret();
        $<HTMLFormElement>("#partner-form").reset();
        say("#partner-form-status", "adm_partner_created", { name });
        $("#secret-title").focus();
        partners = await listPartners();
        renderAdmin();
      } catch (error) {
        fail("#partner-form-status", error);
      }
    });
  });

  $("#users-rows").addEventListener("change", (event) => {
    const select = (event.target as HTMLElement).closest<HTMLSelectElement>("select[data-role-user-id]");
    const user = users?.find((u) => String(u.id) === select?.dataset.roleUserId);
    if (!select || !user) return;
    const newRole = select.value;
    select.disabled = true;
    void setUserRole(user.id, newRole)
      .then(async () => {
        say("#users-status", "adm_role_changed", { name: user.username, role: named(ROLES, newRole) });
        users = await listUsers();
        renderAdmin();
      })
      .catch((error) => {
        select.value = user.role; // refused (the last admin): the list shows what is stored
        fail("#users-status", error);
      })
      .finally(() => {
        select.disabled = false;
      });
  });

  $("#users-rows").addEventListener("click", (event) => {
    const reset = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-reset-user-id]");
    const resetUser = users?.find((u) => String(u.id) === reset?.dataset.resetUserId);
    if (reset && resetUser) {
      if (!confirm(t("adm_reset_confirm", { name: resetUser.username }))) return;
      void busy(reset, async () => {
        try {
          const password = await resetPassword(resetUser.id);
          secret = { kind: "reset", name: resetUser.username, value: password };
          renderSecret();
          say("#users-status", "adm_reset_done", { name: resetUser.username });
          $("#secret-title").focus();
        } catch (error) {
          fail("#users-status", error);
        }
      });
      return;
    }
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-user-id]");
    if (!button) return;
    const user = users?.find((u) => String(u.id) === button.dataset.userId);
    if (!user) return;
    const disable = button.dataset.disable === "true";
    if (disable && !confirm(t("adm_disable_confirm", { name: user.username }))) return;
    void busy(button, async () => {
      try {
        await setUserDisabled(user.id, disable);
        users = await listUsers();
        renderAdmin();
        say("#users-status", disable ? "adm_user_disabled_msg" : "adm_user_enabled_msg", { name: user.username });
      } catch (error) {
        fail("#users-status", error);
      }
    });
  });

  $("#partners-rows").addEventListener("click", (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-partner-id]");
    if (!button) return;
    const partner = partners?.find((p) => String(p.id) === button.dataset.partnerId);
    if (!partner || !confirm(t("adm_revoke_confirm", { name: partner.name }))) return;
    void busy(button, async () => {
      try {
        await revokePartner(partner.id);
        partners = await listPartners();
        renderAdmin();
        say("#partners-status", "adm_revoked_msg", { name: partner.name });
      } catch (error) {
        fail("#partners-status", error);
      }
    });
  });

  $("#secret-copy").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(secret?.value ?? "");
      say("#secret-status", "adm_copied");
    } catch {
      say("#secret-status", "adm_copy_failed");
    }
  });
  $("#secret-hide").addEventListener("click", () => {
    secret = null;
    say("#secret-status", null);
    renderSecret();
    $("#admin-title").focus();
  });
}
