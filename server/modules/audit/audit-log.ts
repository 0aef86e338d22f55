import type { Db } from '../../db/database.js';
import type { AuditLogTable } from '../../db/schema.js';

export interface AuditEntry {
  actorKind: AuditLogTable['actor_kind'];
  /** A user id, a resident id, or for anonymous callers a keyed hash of their address: never raw personal data. */
  actorId: string | null;
  action: string;
  subjectResidentId: number | null;
  detail?: Record<string, unknown>;
}

/** Who viewed or exported whose personal data, and when. */
export function createAuditLog(db: Db) {
  return {
    async record(entry: AuditEntry): Promise<void> {
      await db
        .insertInto('audit_log')
        .values({
          actor_kind: entry.actorKind,
          actor_id: entry.actorId,
          action: entry.action,
          subject_resident_id: entry.subjectResidentId,
          detail: JSON.stringify(entry.detail ?? {}),
        })
        .execute();
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
