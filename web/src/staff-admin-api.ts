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
