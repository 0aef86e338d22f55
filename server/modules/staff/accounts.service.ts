import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database, StaffRole } from '../../db/schema.js';
import { pgErrorCode } from '../../db/transaction.js';
import type { Principal } from '../../platform/access/index.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { AuditEntry, AuditLog } from '../audit/index.js';
import type { AccountWithRoles, StaffRepository } from './staff.repository.js';
import { staffPolicy } from './staff-policy.js';
import { newToken, normaliseEmail, tokenHash } from './tokens.js';
import { accountView, managedOnlyBy, sortedRoles } from './views.js';

export type LinkPurpose = 'enrolment' | 'password-reset';

/** Who asks: the signed-in staff member and the address they came from. */
export interface StaffActor {
  principal: Principal;
  ip: string;
}

/** Where a management action applies: one municipality (its administrators), or the deployment (super-administrators). */
export type ManagementScope = { municipalityCode: string } | 'deployment';

export interface IssuedLink {
  purpose: LinkPurpose;
  url: string;
  expiresAt: Date;
}

export interface AccountsDeps {
  db: Db;
  repository: StaffRepository;
  clock: Clock;
  audit: AuditLog;
  /** Absolute links start here (PUBLIC_URL). */
  publicUrl: string;
  municipalityExists(code: string): Promise<boolean>;
}

const LINK_PAGES: Record<LinkPurpose, { path: string; hours: number }> = {
  enrolment: { path: '/admin/enrol', hours: staffPolicy.enrolmentLinkHours },
  'password-reset': { path: '/admin/reset-password', hours: staffPolicy.passwordResetLinkHours },
};

/**
 * Staff accounts: inviting people into a municipality with roles, changing roles, disabling and
 * enabling, and the one-time links of enrolment and password reset. An administrator acts in their
 * municipality only; an account that also works elsewhere (or deployment-wide) is disabled and given
 * links by a super-administrator alone. Every change is one transaction with its audit entry.
 */
export function createAccountsService(deps: AccountsDeps) {
  const { repository, clock } = deps;

  const audit = (
    tx: Transaction<Database>,
    by: StaffActor | 'system',
    entry: Omit<AuditEntry, 'actorKind' | 'actorId' | 'subjectResidentId'>,
  ) =>
    deps.audit.record(
      {
        actorKind: by === 'system' ? 'system' : 'staff',
        actorId: by === 'system' ? null : String(by.principal.accountId),
        subjectResidentId: null,
        ip: by === 'system' ? null : by.ip,
        ...entry,
      },
      tx,
    );

  async function issue(tx: Transaction<Database>, accountId: number, purpose: LinkPurpose): Promise<IssuedLink> {
    const now = clock.now();
    const token = newToken();
    const page = LINK_PAGES[purpose];
    const expiresAt = new Date(now.getTime() + page.hours * 3_600_000);
    await repository.insertLink(tx, { tokenHash: tokenHash(token), accountId, purpose, expiresAt, now });
    // The token travels after '#': browsers never send it to a server, so no log or Referer has it.
    return { purpose, url: `${deps.publicUrl}${page.path}#${token}`, expiresAt };
  }

  async function assertMunicipality(code: string): Promise<void> {
    if (!(await deps.municipalityExists(code))) throw new AppError('municipality-not-found');
  }

  /** The account, locked, as the scope sees it: 404 when it has no role in the municipality. */
  async function target(tx: Transaction<Database>, scope: ManagementScope, accountId: number): Promise<AccountWithRoles> {
    const entry = await repository.lock(tx, accountId);
    if (!entry || (scope !== 'deployment' && !entry.roles.has(scope.municipalityCode))) throw new AppError('staff-account-not-found');
    return entry;
  }

  /** Disabling an account or issuing its links: only whoever manages all of what it can reach. */
  function assertManages(scope: ManagementScope, entry: AccountWithRoles, by: StaffActor): void {
    if (scope !== 'deployment' && !by.principal.superAdmin && !managedOnlyBy(entry, scope.municipalityCode)) {
      throw new AppError('account-shared');
    }
  }

  function scopeCode(scope: ManagementScope): string | null {
    return scope === 'deployment' ? null : scope.municipalityCode;
  }

  async function transaction<T>(work: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    try {
      return await deps.db.transaction().execute(work);
    } catch (error) {
      // 23505: the e-mail index, when two invitations of one new address race.
      if (pgErrorCode(error) === '23505') throw new AppError('staff-account-exists');
      throw error;
    }
  }

  return {
    /** The municipality's staff, each with their roles there. */
    async listIn(municipalityCode: string) {
      await assertMunicipality(municipalityCode);
      return (await repository.listIn(municipalityCode)).map((entry) => ({
        ...accountView(entry),
        roles: sortedRoles(entry.roles.get(municipalityCode)),
        managedHere: managedOnlyBy(entry, municipalityCode),
      }));
    },

    /** Every account with every membership (super-administrators). */
    async listAll() {
      return (await repository.listAll()).map((entry) => ({
        ...accountView(entry),
        memberships: [...entry.roles].map(([municipalityCode, roles]) => ({ municipalityCode, roles: sortedRoles(roles) })),
      }));
    },

    /**
     * Gives someone roles in the municipality. A new address gets an account and an enrolment link
     * (to pass on to them); someone who already has an account elsewhere (a contracted call centre
     * serving several towns) just gets the roles, and signs in as before.
     */
    async invite(
      municipalityCode: string,
      input: { email: string; displayName: string; language: 'ja' | 'en'; roles: StaffRole[] },
      by: StaffActor,
    ) {
      await assertMunicipality(municipalityCode);
      return transaction(async (tx) => {
        const known = await repository.findByEmail(normaliseEmail(input.email), tx);
        const account =
          known ??
          (await repository.insert(tx, {
            email: input.email.trim(),
            displayName: input.displayName,
            language: input.language,
            superAdmin: false,
          }));
        const entry = (await repository.lock(tx, account.id))!;
        if (entry.roles.has(municipalityCode)) throw new AppError('staff-account-exists');
        await repository.setRoles(tx, account.id, municipalityCode, input.roles);
        const link = known ? undefined : await issue(tx, account.id, 'enrolment');
        await audit(tx, by, {
          action: 'staff.invite',
          municipalityCode,
          detail: { accountId: account.id, roles: sortedRoles(input.roles), newAccount: !known },
        });
        const after = (await repository.find(account.id, tx))!;
        return {
          account: { ...accountView(after), roles: sortedRoles(input.roles), managedHere: managedOnlyBy(after, municipalityCode) },
          link,
        };
      });
    },

    /** The account's roles in this municipality become `roles`; none removes it from the municipality. */
    async setRoles(municipalityCode: string, accountId: number, roles: StaffRole[], by: StaffActor) {
      return transaction(async (tx) => {
        const entry = await target(tx, { municipalityCode }, accountId);
        if (accountId === by.principal.accountId) throw new AppError('own-account');
        const before = sortedRoles(entry.roles.get(municipalityCode));
        await repository.setRoles(tx, accountId, municipalityCode, roles);
        await audit(tx, by, { action: 'staff.roles-change', municipalityCode, detail: { accountId, before, after: sortedRoles(roles) } });
        const after = (await repository.find(accountId, tx))!;
        return { ...accountView(after), roles: sortedRoles(roles), managedHere: managedOnlyBy(after, municipalityCode) };
      });
    },

    /** Disables the account everywhere and ends its sessions at once (they are checked on every request). */
    async disable(scope: ManagementScope, accountId: number, by: StaffActor) {
      return transaction(async (tx) => {
        const entry = await target(tx, scope, accountId);
        if (accountId === by.principal.accountId) throw new AppError('own-account');
        assertManages(scope, entry, by);
        const now = clock.now();
        await repository.update(tx, accountId, { status: 'disabled' }, now);
        const sessionsEnded = await repository.revokeSessionsOf(tx, accountId, now);
        await audit(tx, by, { action: 'staff.disable', municipalityCode: scopeCode(scope), detail: { accountId, sessionsEnded } });
        return accountView((await repository.find(accountId, tx))!);
      });
    },

    async enable(scope: ManagementScope, accountId: number, by: StaffActor) {
      return transaction(async (tx) => {
        const entry = await target(tx, scope, accountId);
        assertManages(scope, entry, by);
        const status = entry.account.password_hash && entry.account.totp_secret ? 'active' : 'invited';
        await repository.update(tx, accountId, { status }, clock.now());
        await audit(tx, by, { action: 'staff.enable', municipalityCode: scopeCode(scope), detail: { accountId } });
        return accountView((await repository.find(accountId, tx))!);
      });
    },

    /**
     * A one-time link for the account: enrolment (a new password, a new authenticator and new
     * recovery codes: for a new account or a lost phone) or password reset (a new password, proven
     * with the authenticator or a recovery code). Earlier unused links of the account stop working.
     */
    async issueLink(scope: ManagementScope, accountId: number, purpose: LinkPurpose, by: StaffActor): Promise<IssuedLink> {
      return transaction(async (tx) => {
        const entry = await target(tx, scope, accountId);
        assertManages(scope, entry, by);
        if (entry.account.status === 'disabled') throw new AppError('account-disabled');
        if (purpose === 'password-reset' && !entry.account.totp_secret) throw new AppError('not-enrolled');
        const link = await issue(tx, accountId, purpose);
        await audit(tx, by, { action: 'staff.link-issue', municipalityCode: scopeCode(scope), detail: { accountId, purpose } });
        return link;
      });
    },

    /** Super-administrators: an account of its own, deployment-wide or not, with its enrolment link. */
    async create(input: { email: string; displayName: string; language: 'ja' | 'en'; superAdmin: boolean }, by: StaffActor) {
      return transaction(async (tx) => {
        if (await repository.findByEmail(normaliseEmail(input.email), tx)) throw new AppError('staff-account-exists');
        const account = await repository.insert(tx, { ...input, email: input.email.trim() });
        const link = await issue(tx, account.id, 'enrolment');
        await audit(tx, by, { action: 'staff.create', detail: { accountId: account.id, superAdmin: input.superAdmin } });
        return { account: accountView((await repository.find(account.id, tx))!), link };
      });
    },

    async setSuperAdmin(accountId: number, superAdmin: boolean, by: StaffActor) {
      return transaction(async (tx) => {
        await target(tx, 'deployment', accountId);
        if (accountId === by.principal.accountId) throw new AppError('own-account');
        await repository.update(tx, accountId, { super_admin: superAdmin }, clock.now());
        await audit(tx, by, { action: 'staff.super-admin-change', detail: { accountId, superAdmin } });
        return accountView((await repository.find(accountId, tx))!);
      });
    },

    /**
     * `npm run create-admin`: a super-administrator with an enrolment link, from the server's own
     * machine. For an address that has an account already (every administrator lost their phone),
     * that account becomes super-administrator, is enabled again and gets a fresh enrolment link.
     */
    async createAdmin(email: string) {
      return transaction(async (tx) => {
        const known = await repository.findByEmail(normaliseEmail(email), tx);
        const account = known ?? (await repository.insert(tx, { email: email.trim(), displayName: '', language: 'ja', superAdmin: true }));
        if (known) {
          const status = known.password_hash && known.totp_secret ? 'active' : 'invited';
          await repository.update(tx, known.id, { super_admin: true, status }, clock.now());
        }
        const link = await issue(tx, account.id, 'enrolment');
        await audit(tx, 'system', { action: 'staff.create-admin', detail: { accountId: account.id, newAccount: !known } });
        return { accountId: account.id, existed: known !== undefined, link };
      });
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
