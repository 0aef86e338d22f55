import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database, StaffAccountsTable, StaffLinksTable, StaffRole } from '../../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;
export type StaffAccountRow = Selectable<StaffAccountsTable>;
export type StaffLinkRow = Selectable<StaffLinksTable>;

/** An account and its roles per municipality. */
export interface AccountWithRoles {
  account: StaffAccountRow;
  roles: Map<string, Set<StaffRole>>;
}

/** What the access hook needs of a session, in one read. */
export interface SessionRow {
  accountId: number;
  superAdmin: boolean;
  lastSeenAt: Date;
  roles: { municipalityCode: string; role: StaffRole }[];
}

function groupRoles(rows: { account_id: number; municipality_code: string; role: StaffRole }[]): Map<number, Map<string, Set<StaffRole>>> {
  const byAccount = new Map<number, Map<string, Set<StaffRole>>>();
  for (const row of rows) {
    const municipalities = byAccount.get(row.account_id) ?? new Map<string, Set<StaffRole>>();
    byAccount.set(row.account_id, municipalities);
    const roles = municipalities.get(row.municipality_code) ?? new Set<StaffRole>();
    municipalities.set(row.municipality_code, roles);
    roles.add(row.role);
  }
  return byAccount;
}

/** The staff tables' SQL: accounts, roles, recovery codes, one-time links, sessions. */
export function createStaffRepository(db: Db) {
  async function withRoles(accounts: StaffAccountRow[], executor: Executor = db): Promise<AccountWithRoles[]> {
    if (accounts.length === 0) return [];
    const rows = await executor
      .selectFrom('staff_roles')
      .select(['account_id', 'municipality_code', 'role'])
      .where(
        'account_id',
        'in',
        accounts.map((a) => a.id),
      )
      .execute();
    const grouped = groupRoles(rows);
    return accounts.map((account) => ({ account, roles: grouped.get(account.id) ?? new Map() }));
  }

  return {
    async findByEmail(email: string, executor: Executor = db): Promise<StaffAccountRow | undefined> {
      return executor
        .selectFrom('staff_accounts')
        .selectAll()
        .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
        .executeTakeFirst();
    },

    async find(id: number, executor: Executor = db): Promise<AccountWithRoles | undefined> {
      const account = await executor.selectFrom('staff_accounts').selectAll().where('id', '=', id).executeTakeFirst();
      return account ? (await withRoles([account], executor))[0] : undefined;
    },

    /** Locks the account's row for the rest of the transaction (role and status changes queue). */
    async lock(tx: Transaction<Database>, id: number): Promise<AccountWithRoles | undefined> {
      const account = await tx.selectFrom('staff_accounts').selectAll().where('id', '=', id).forNoKeyUpdate().executeTakeFirst();
      return account ? (await withRoles([account], tx))[0] : undefined;
    },

    /** Accounts with at least one role in the municipality, by e-mail. */
    async listIn(municipalityCode: string): Promise<AccountWithRoles[]> {
      const accounts = await db
        .selectFrom('staff_accounts')
        .selectAll()
        .where('id', 'in', db.selectFrom('staff_roles').select('account_id').where('municipality_code', '=', municipalityCode))
        .orderBy('email')
        .execute();
      return withRoles(accounts);
    },

    async listAll(): Promise<AccountWithRoles[]> {
      return withRoles(await db.selectFrom('staff_accounts').selectAll().orderBy('email').execute());
    },

    async insert(
      tx: Executor,
      values: { email: string; displayName: string; language: 'ja' | 'en'; superAdmin: boolean },
    ): Promise<StaffAccountRow> {
      return tx
        .insertInto('staff_accounts')
        .values({ email: values.email, display_name: values.displayName, language: values.language, super_admin: values.superAdmin })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    async update(
      tx: Executor,
      id: number,
      values: Partial<{
        display_name: string;
        language: 'ja' | 'en';
        super_admin: boolean;
        status: 'invited' | 'active' | 'disabled';
        password_hash: string;
        totp_secret: string;
        totp_last_step: number;
        last_sign_in_at: Date;
      }>,
      now: Date,
    ): Promise<void> {
      await tx
        .updateTable('staff_accounts')
        .set({ ...values, updated_at: now })
        .where('id', '=', id)
        .execute();
    },

    /** The roles of one account in one municipality become exactly `roles` (none: it leaves the municipality). */
    async setRoles(tx: Executor, accountId: number, municipalityCode: string, roles: readonly StaffRole[]): Promise<void> {
      await tx.deleteFrom('staff_roles').where('account_id', '=', accountId).where('municipality_code', '=', municipalityCode).execute();
      if (roles.length === 0) return;
      await tx
        .insertInto('staff_roles')
        .values(roles.map((role) => ({ account_id: accountId, municipality_code: municipalityCode, role })))
        .execute();
    },

    /**
     * Records that a code's time step was used, only if it is later than the last one: of two
     * sign-ins racing with the same code, exactly one gets true.
     */
    async advanceTotpStep(accountId: number, step: number): Promise<boolean> {
      const result = await db
        .updateTable('staff_accounts')
        .set({ totp_last_step: step })
        .where('id', '=', accountId)
        .where('totp_last_step', '<', step)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async replaceRecoveryCodes(tx: Executor, accountId: number, hashes: string[]): Promise<void> {
      await tx.deleteFrom('staff_recovery_codes').where('account_id', '=', accountId).execute();
      await tx
        .insertInto('staff_recovery_codes')
        .values(hashes.map((code_hash) => ({ account_id: accountId, code_hash })))
        .execute();
    },

    /** Uses a recovery code once: true for exactly one of any number of parallel tries. */
    async useRecoveryCode(accountId: number, codeHash: string, now: Date): Promise<boolean> {
      const result = await db
        .updateTable('staff_recovery_codes')
        .set({ used_at: now })
        .where('account_id', '=', accountId)
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async recoveryCodesLeft(accountId: number, executor: Executor = db): Promise<number> {
      const row = await executor
        .selectFrom('staff_recovery_codes')
        .select((eb) => eb.fn.countAll<number>().as('left'))
        .where('account_id', '=', accountId)
        .where('used_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.left);
    },

    /** A new link; the account's earlier links that were not used stop working. */
    async insertLink(
      tx: Executor,
      values: { tokenHash: string; accountId: number; purpose: StaffLinkRow['purpose']; expiresAt: Date; now: Date },
    ): Promise<void> {
      await tx
        .updateTable('staff_links')
        .set({ expires_at: values.now })
        .where('account_id', '=', values.accountId)
        .where('used_at', 'is', null)
        .where('expires_at', '>', values.now)
        .execute();
      await tx
        .insertInto('staff_links')
        .values({ token_hash: values.tokenHash, account_id: values.accountId, purpose: values.purpose, expires_at: values.expiresAt })
        .execute();
    },

    /** The link if it can still be used (not used, not expired, not replaced), locked in `tx` when given. */
    async liveLink(tokenHash: string, now: Date, tx?: Transaction<Database>): Promise<StaffLinkRow | undefined> {
      const query = (tx ?? db)
        .selectFrom('staff_links')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now);
      return (tx ? query.forUpdate() : query).executeTakeFirst();
    },

    /** Keeps the first secret an enrolment page was shown, so a reload shows the same one. */
    async setPendingSecret(tokenHash: string, sealed: string): Promise<string> {
      await db
        .updateTable('staff_links')
        .set({ pending_totp_secret: sealed })
        .where('token_hash', '=', tokenHash)
        .where('pending_totp_secret', 'is', null)
        .execute();
      const row = await db
        .selectFrom('staff_links')
        .select('pending_totp_secret')
        .where('token_hash', '=', tokenHash)
        .executeTakeFirstOrThrow();
      return row.pending_totp_secret!;
    },

    async useLink(tx: Transaction<Database>, tokenHash: string, now: Date): Promise<void> {
      await tx.updateTable('staff_links').set({ used_at: now }).where('token_hash', '=', tokenHash).execute();
    },

    async insertSession(
      tx: Executor,
      values: { idHash: string; accountId: number; now: Date; expiresAt: Date; ip: string },
    ): Promise<void> {
      await tx
        .insertInto('staff_sessions')
        .values({
          id_hash: values.idHash,
          account_id: values.accountId,
          created_at: values.now,
          last_seen_at: values.now,
          expires_at: values.expiresAt,
          ip: values.ip,
        })
        .execute();
    },

    /**
     * The live session (not ended, not past its absolute end, used within the idle time) of an
     * active account, with the account's roles: one query, on every staff request.
     */
    async liveSession(idHash: string, now: Date, idleSince: Date): Promise<(SessionRow & { expiresAt: Date }) | undefined> {
      const rows = await db
        .selectFrom('staff_sessions as s')
        .innerJoin('staff_accounts as a', 'a.id', 's.account_id')
        .leftJoin('staff_roles as r', 'r.account_id', 'a.id')
        .select(['s.account_id', 's.last_seen_at', 's.expires_at', 'a.super_admin', 'r.municipality_code', 'r.role'])
        .where('s.id_hash', '=', idHash)
        .where('s.revoked_at', 'is', null)
        .where('s.expires_at', '>', now)
        .where('s.last_seen_at', '>', idleSince)
        .where('a.status', '=', 'active')
        .execute();
      const first = rows[0];
      if (!first) return undefined;
      return {
        accountId: first.account_id,
        superAdmin: first.super_admin,
        lastSeenAt: first.last_seen_at,
        expiresAt: first.expires_at,
        roles: rows.flatMap((row) =>
          row.municipality_code && row.role ? [{ municipalityCode: row.municipality_code, role: row.role }] : [],
        ),
      };
    },

    async touchSession(idHash: string, now: Date): Promise<void> {
      await db
        .updateTable('staff_sessions')
        .set({ last_seen_at: now })
        .where('id_hash', '=', idHash)
        .where('last_seen_at', '<', now)
        .execute();
    },

    async revokeSession(idHash: string, now: Date): Promise<void> {
      await db
        .updateTable('staff_sessions')
        .set({ revoked_at: now })
        .where('id_hash', '=', idHash)
        .where('revoked_at', 'is', null)
        .execute();
    },

    /** Ends every session of the account; returns how many were live. */
    async revokeSessionsOf(tx: Executor, accountId: number, now: Date): Promise<number> {
      const result = await tx
        .updateTable('staff_sessions')
        .set({ revoked_at: now })
        .where('account_id', '=', accountId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** Sessions and links that ended more than `before` ago serve nobody; the audit log keeps what happened. */
    async purgeExpired(before: Date): Promise<void> {
      await db
        .deleteFrom('staff_sessions')
        .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
        .execute();
      await db.deleteFrom('staff_links').where('expires_at', '<', before).execute();
    },
  };
}

export type StaffRepository = ReturnType<typeof createStaffRepository>;
