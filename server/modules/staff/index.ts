import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../../db/database.js';
import type { StaffAuthenticator } from '../../platform/access/index.js';
import type { Clock } from '../../platform/clock.js';
import type { AttemptGuard } from '../../platform/rate-limit/attempt-guard.js';
import type { AuditLog } from '../audit/index.js';
import { accountsRoutes } from './accounts.routes.js';
import { createAccountsService, type AccountsService } from './accounts.service.js';
import { createEnrolment } from './enrolment.service.js';
import { createSelfService, type MunicipalityName } from './self.service.js';
import { createStaffRepository } from './staff.repository.js';
import { staffRoutes } from './staff.routes.js';
import { createStaffSessions, type StaffSessions } from './staff-sessions.service.js';
import { createTotp } from './totp.js';

/** Staff accounts, passwords, TOTP, recovery codes, one-time links, sessions, roles per municipality. */
export { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
export { staffPolicy } from './staff-policy.js';
export type { AccountsService, IssuedLink, LinkPurpose } from './accounts.service.js';
export type { StaffSessions } from './staff-sessions.service.js';

export interface StaffDeps {
  db: Db;
  clock: Clock;
  signingKey: Buffer;
  attempts: AttemptGuard;
  audit: AuditLog;
  publicUrl: string;
  secureCookies: boolean;
  limits: { failuresPerAccount: number; failuresPerIp: number };
  municipalityExists(code: string): Promise<boolean>;
  listMunicipalities(): Promise<MunicipalityName[]>;
}

export interface Staff {
  /** For the access hook: resolves the staff session of each request. */
  authenticator: StaffAuthenticator;
  accounts: AccountsService;
  sessions: StaffSessions;
  /** The staff routes (sign-in, own account, links, account management), mounted under /api/v1. */
  routes: FastifyPluginAsync;
}

export function createStaff(deps: StaffDeps): Staff {
  const repository = createStaffRepository(deps.db);
  const totp = createTotp(deps.signingKey);
  const sessions = createStaffSessions({ ...deps, repository, totp });
  const accounts = createAccountsService({ ...deps, repository });
  const self = createSelfService({ ...deps, repository });
  const enrolment = createEnrolment({ ...deps, repository, sessions, totp });
  const self_ = staffRoutes({ sessions, self, enrolment, secureCookies: deps.secureCookies });
  const management = accountsRoutes({ accounts });
  return {
    authenticator: sessions.authenticator,
    accounts,
    sessions,
    routes: (async (app) => {
      await app.register(self_);
      await app.register(management);
    }) as FastifyPluginAsync,
  };
}

/** `npm run create-admin` without a server: the same use case on the database alone. */
export function createAdminAccounts(deps: Pick<StaffDeps, 'db' | 'clock' | 'publicUrl'> & { audit: AuditLog }): AccountsService {
  return createAccountsService({
    ...deps,
    repository: createStaffRepository(deps.db),
    municipalityExists: async () => true,
  });
}
