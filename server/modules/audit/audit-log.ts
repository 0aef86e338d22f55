import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { AuditLogTable, Database } from '../../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

export interface AuditEntry {
  actorKind: AuditLogTable['actor_kind'];
  /** A staff account or resident id, or for anonymous callers a keyed hash of their address: never raw personal data. */
  actorId: string | null;
  /** `<subject>.<verb>`: `staff.sign-in`, `municipality.update`, `resident.view`, `audit.export`… */
  action: string;
  subjectResidentId: number | null;
  /** The municipality the action was taken in (null: deployment-wide). */
  municipalityCode?: string | null;
  /** The caller's address (as TRUST_PROXY lets the server see it). */
  ip?: string | null;
  /** What was done, without personal data beyond ids (field names changed, roles given…). */
  detail?: Record<string, unknown>;
}

/**
 * Who did what, when, where and from which address: every staff sign-in and failed attempt, every
 * change, every view of a resident's personal data and every export. Append-only: the database
 * refuses UPDATE, DELETE and TRUNCATE on the table (migration 0003). A change records its entry in
 * its own transaction (pass it as `executor`), so there is never a change without its entry.
 */
export function createAuditLog(db: Db) {
  return {
    async record(entry: AuditEntry, executor: Executor = db): Promise<void> {
      await executor
        .insertInto('audit_log')
        .values({
          actor_kind: entry.actorKind,
          actor_id: entry.actorId,
          action: entry.action,
          subject_resident_id: entry.subjectResidentId,
          municipality_code: entry.municipalityCode ?? null,
          ip: entry.ip ?? null,
          detail: JSON.stringify(entry.detail ?? {}),
        })
        .execute();
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
