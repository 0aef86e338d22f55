import type { StaffRole } from '../../db/schema.js';
import type { AccountWithRoles } from './staff.repository.js';

export interface StaffAccountView {
  id: number;
  email: string;
  displayName: string;
  language: 'ja' | 'en';
  superAdmin: boolean;
  status: 'invited' | 'active' | 'disabled';
  createdAt: string;
  lastSignInAt: string | null;
}

export function accountView({ account }: AccountWithRoles): StaffAccountView {
  return {
    id: account.id,
    email: account.email,
    displayName: account.display_name,
    language: account.language,
    superAdmin: account.super_admin,
    status: account.status,
    createdAt: account.created_at.toISOString(),
    lastSignInAt: account.last_sign_in_at?.toISOString() ?? null,
  };
}

const ROLE_ORDER: StaffRole[] = ['administrator', 'staff', 'operator', 'venue', 'viewer'];

export function sortedRoles(roles: Iterable<StaffRole> | undefined): StaffRole[] {
  const set = new Set(roles ?? []);
  return ROLE_ORDER.filter((role) => set.has(role));
}

/**
 * Whether an administrator of `municipalityCode` may disable the account or issue its links: only
 * when it works for that municipality alone. Anything more (another municipality, the whole
 * deployment) is a super-administrator's: a link issued for a shared account would hand its
 * holder the other municipalities too.
 */
export function managedOnlyBy(entry: AccountWithRoles, municipalityCode: string): boolean {
  return !entry.account.super_admin && [...entry.roles.keys()].every((code) => code === municipalityCode);
}
