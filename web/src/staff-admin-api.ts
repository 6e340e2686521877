// The staff endpoints of /api/v1 the platform pages and the admin view use (docs/openapi.yaml),
// through staff-api.ts's call() (session cookie, CSRF token, errors as StaffError).
import { call } from "./staff-api";

export interface Channel {
  kind: string; // web_form, email, api
  url: string;
  address: string;
  label: string;
}

// One entry of data/platforms.toml as GET /api/v1/platforms gives it.
export interface Platform {
  id: string;
  name: string;
  kind: string;
  operator: string;
  domains: string[];
  languages: string[];
  deadline_hours: number;
  deadline_basis: string;
  ncii_partner: boolean;
  escalation: string[];
  notes: string;
  channels: Channel[];
}

export interface PlatformDirectory {
  platforms: Platform[];
  last_reviewed: string; // YYYY-MM-DD: when a person last checked the addresses
}

export async function listPlatforms(): Promise<PlatformDirectory> {
  return (await (await call("/api/v1/platforms")).json()) as PlatformDirectory;
}

export interface User {
  id: number;
  username: string;
  role: string;
  disabled: boolean;
  created_at: string;
}

// Admins only (403 otherwise), as is everything below.
export async function listUsers(): Promise<User[]> {
  return ((await (await call("/api/v1/users")).json()) as { users: User[] }).users;
}

export async function addUser(username: string, password: string, role: string): Promise<number> {
  return ((await (await call("/api/v1/users", "POST", { username, password, role })).json()) as { id: number }).id;
}

export async function setUserDisabled(id: number, disabled: boolean): Promise<void> {
  await call(`/api/v1/users/${id}/disabled`, "POST", { disabled });
}

export interface Partner {
  id: number;
  name: string;
  scopes: string[];
  revoked: boolean;
  created_at: string;
}

export async function listPartners(): Promise<Partner[]> {
  return ((await (await call("/api/v1/partners")).json()) as { partners: Partner[] }).partners;
}

// The key is in this answer only: the server keeps its hash, never the key.
export async function addPartner(name: string, scopes: string[]): Promise<{ id: number; api_key: string }> {
  return (await (await call("/api/v1/partners", "POST", { name, scopes })).json()) as { id: number; api_key: string };
}

export async function revokePartner(id: number): Promise<void> {
  await call(`/api/v1/partners/${id}/revoke`, "POST");
}

// Admins only: the last enabled admin stays one (409).
export async function setUserRole(id: number, role: string): Promise<void> {
  await call(`/api/v1/users/${id}/role`, "POST", { role });
}

// The new password is in this answer only: it is shown once and never kept.
export async function resetPassword(id: number): Promise<string> {
  return ((await (await call(`/api/v1/users/${id}/password-reset`, "POST")).json()) as { password: string }).password;
}

// What notices print of the organisation that sends them (every field sent; "" for none).
export interface OrganisationProfile {
  name: string;
  email: string;
  phone: string;
  address: string;
  website: string;
  signatory: string;
  signatory_role: string;
}

export interface Organisation extends OrganisationProfile {
  saved: boolean; // false: the server's --org-* flags stand in
  lacks: string[]; // "name", "email", "signatory": what every notice needs and the profile lacks
  drafts_rewritten?: number; // after saving
}

// Any staff member reads it; admins save it (every draft is then written again with it).
export async function getOrganisation(): Promise<Organisation> {
  return (await (await call("/api/v1/organisation")).json()) as Organisation;
}

export async function saveOrganisation(profile: OrganisationProfile): Promise<Organisation> {
  return (await (await call("/api/v1/organisation", "PUT", profile)).json()) as Organisation;
}

// Whom a case can be assigned to: the active caseworkers and admins (any staff member reads it).
export interface Colleague {
  id: number;
  username: string;
}

export async function listColleagues(): Promise<Colleague[]> {
  return ((await (await call("/api/v1/colleagues")).json()) as { colleagues: Colleague[] }).colleagues;
}
