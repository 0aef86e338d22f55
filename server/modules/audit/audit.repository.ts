import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { AuditLogTable } from '../../db/schema.js';

export interface AuditFilters {
  /** Only entries of this municipality; undefined: every entry (deployment-wide search). */
  municipalityCode?: string;
  staffAccountId?: number;
  residentId?: number;
  /** An action (`staff.sign-in`), or a family of them ending in a dot (`staff.`). */
  action?: string;
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

export interface AuditRow {
  id: number;
  at: Date;
  actorKind: AuditLogTable['actor_kind'];
  actorId: string | null;
  /** The staff account's e-mail and name when the actor is staff (as they are now). */
  actorEmail: string | null;
  actorName: string | null;
  action: string;
  municipalityCode: string | null;
  residentId: number | null;
  ip: string | null;
  detail: Record<string, unknown>;
}

/** Reads the audit log newest first, by id (a keyset: pages stay right while entries are added). */
export function createAuditRepository(db: Db) {
  return {
    async page(filters: AuditFilters, options: { before?: number; limit: number }): Promise<AuditRow[]> {
      let query = db
        .selectFrom('audit_log as a')
        .leftJoin('staff_accounts as s', (join) =>
          join.on('a.actor_kind', '=', 'staff').on('a.actor_id', '=', sql<string>`cast(s.id as text)`),
        )
        .select([
          'a.id',
          'a.at',
          'a.actor_kind',
          'a.actor_id',
          's.email',
          's.display_name',
          'a.action',
          'a.municipality_code',
          'a.subject_resident_id',
          'a.ip',
          'a.detail',
        ])
        .orderBy('a.id', 'desc')
        .limit(options.limit);
      if (filters.municipalityCode !== undefined) query = query.where('a.municipality_code', '=', filters.municipalityCode);
      if (filters.staffAccountId !== undefined) {
        query = query.where('a.actor_kind', '=', 'staff').where('a.actor_id', '=', String(filters.staffAccountId));
      }
      if (filters.residentId !== undefined) query = query.where('a.subject_resident_id', '=', filters.residentId);
      if (filters.action !== undefined) {
        query = filters.action.endsWith('.')
          ? query.where('a.action', 'like', `${filters.action.replace(/[\\%_]/g, '\\$&')}%`)
          : query.where('a.action', '=', filters.action);
      }
      if (filters.from !== undefined) query = query.where('a.at', '>=', filters.from);
      if (filters.to !== undefined) query = query.where('a.at', '<', filters.to);
      if (options.before !== undefined) query = query.where('a.id', '<', options.before);
      const rows = await query.execute();
      return rows.map((row) => ({
        id: row.id,
        at: row.at,
        actorKind: row.actor_kind,
        actorId: row.actor_id,
        actorEmail: row.email,
        actorName: row.display_name,
        action: row.action,
        municipalityCode: row.municipality_code,
        residentId: row.subject_resident_id,
        ip: row.ip,
        detail: row.detail,
      }));
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
