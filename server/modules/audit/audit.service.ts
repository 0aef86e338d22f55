import { stringify } from 'csv-stringify';
import { pipeline, Readable } from 'node:stream';
import type { Db } from '../../db/database.js';
import { createAuditRepository, type AuditFilters, type AuditRow } from './audit.repository.js';
import type { AuditLog } from './audit-log.js';

export type { AuditFilters } from './audit.repository.js';

const EXPORT_PAGE = 1_000;
const CSV_COLUMNS = ['id', 'at', 'actor_kind', 'actor_id', 'actor_email', 'action', 'municipality_code', 'resident_id', 'ip', 'detail'];

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab / return before one) as a formula;
 * an apostrophe in front keeps it text. Actions and codes are ours, but e-mail addresses and
 * details carry what people typed.
 */
function inert(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvRecord(row: AuditRow): string[] {
  return [
    String(row.id),
    row.at.toISOString(),
    row.actorKind,
    row.actorId ?? '',
    row.actorEmail ?? '',
    row.action,
    row.municipalityCode ?? '',
    row.residentId === null ? '' : String(row.residentId),
    row.ip ?? '',
    JSON.stringify(row.detail),
  ].map(inert);
}

/** Searching and exporting the audit log (staff with the audit actions). */
export function createAuditService(deps: { db: Db; audit: AuditLog }) {
  const repository = createAuditRepository(deps.db);

  return {
    /** One page, newest first; `nextBefore` continues after its last entry (null: there is no more). */
    async search(filters: AuditFilters, page: { before?: number; limit: number }) {
      const rows = await repository.page(filters, { before: page.before, limit: page.limit + 1 });
      const entries = rows.slice(0, page.limit);
      return { entries, nextBefore: rows.length > page.limit ? entries.at(-1)!.id : null };
    },

    /**
     * The whole selection as CSV (UTF-8 with a byte-order mark, which spreadsheet programs need to
     * read Japanese), streamed page by page so that memory stays flat however long the log. The
     * export itself is recorded first: whoever takes the log away is in it.
     */
    async exportCsv(filters: AuditFilters, by: { accountId: number; ip: string }): Promise<Readable> {
      await deps.audit.record({
        actorKind: 'staff',
        actorId: String(by.accountId),
        action: 'audit.export',
        subjectResidentId: null,
        municipalityCode: filters.municipalityCode ?? null,
        ip: by.ip,
        detail: { filters: describe(filters) },
      });
      async function* records() {
        yield CSV_COLUMNS;
        let before: number | undefined;
        for (;;) {
          const rows = await repository.page(filters, { before, limit: EXPORT_PAGE });
          for (const row of rows) yield csvRecord(row);
          if (rows.length < EXPORT_PAGE) return;
          before = rows.at(-1)!.id;
        }
      }
      // A failed page destroys the CSV stream with the error, which cuts the download short.
      return pipeline(Readable.from(records()), stringify({ bom: true, record_delimiter: 'windows' }), () => undefined);
    },
  };
}

function describe(filters: AuditFilters): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(filters)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value]),
  );
}

export type AuditService = ReturnType<typeof createAuditService>;
