import type { Db } from '../../db/database.js';
import { actionsIn, type Principal } from '../../platform/access/index.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { AuditLog } from '../audit/index.js';
import type { StaffRepository } from './staff.repository.js';
import { accountView, sortedRoles } from './views.js';

export interface MunicipalityName {
  code: string;
  nameJa: string;
  nameEn: string;
}

/** A staff member about themselves: their account, their language, where they work. */
export function createSelfService(deps: {
  db: Db;
  repository: StaffRepository;
  clock: Clock;
  audit: AuditLog;
  listMunicipalities(): Promise<MunicipalityName[]>;
}) {
  async function account(accountId: number) {
    const entry = await deps.repository.find(accountId);
    if (!entry) throw new AppError('not-signed-in');
    return accountView(entry);
  }

  return {
    account,

    async update(accountId: number, patch: { displayName?: string; language?: 'ja' | 'en' }, ip: string) {
      await deps.db.transaction().execute(async (tx) => {
        await deps.repository.update(
          tx,
          accountId,
          {
            ...(patch.displayName === undefined ? {} : { display_name: patch.displayName }),
            ...(patch.language === undefined ? {} : { language: patch.language }),
          },
          deps.clock.now(),
        );
        await deps.audit.record(
          {
            actorKind: 'staff',
            actorId: String(accountId),
            action: 'staff.update-self',
            subjectResidentId: null,
            ip,
            detail: { changed: Object.keys(patch) },
          },
          tx,
        );
      });
      return account(accountId);
    },

    /**
     * The municipalities this person works for, with their roles and the actions those allow there
     * (a super-administrator: every municipality, every action). The staff app switches between them
     * by the code in its address.
     */
    async memberships(principal: Principal) {
      const all = await deps.listMunicipalities();
      return all
        .filter((m) => principal.superAdmin || principal.roles.has(m.code))
        .map((m) => ({
          municipalityCode: m.code,
          nameJa: m.nameJa,
          nameEn: m.nameEn,
          roles: sortedRoles(principal.roles.get(m.code)),
          actions: actionsIn(principal, m.code),
        }));
    },
  };
}

export type SelfService = ReturnType<typeof createSelfService>;
