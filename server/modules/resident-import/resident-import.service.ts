import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Db } from '../../db/database.js';
import { inTransaction, pgConstraint } from '../../db/transaction.js';
import { AppError } from '../../platform/errors.js';
import { staffText, type StaffLanguage } from '../../../shared/i18n/staff-exports/index.js';
import type { AuditLog } from '../audit/index.js';
import { detectMapping, isImportField, missingRequired, type ColumnMapping, type ImportField } from './columns.js';
import { encodingOf, formatOf, headOf } from './file-rows.js';
import type { ImportRow, ResidentImportRepository } from './resident-import.repository.js';
import type { RowProblem } from './row-rules.js';

export interface StaffActor {
  accountId: number;
  ip: string;
}

/** Sends the import's job inside the transaction that queues it (so it exists iff the import is queued). */
export type SendImportJob = (payload: { importId: number; municipalityCode: string }, tx: Db) => Promise<void>;

const PREVIEW_ROWS = 5;
const REJECTS_PAGE = 1_000;

export function importView(row: ImportRow) {
  const total = row.rows_total;
  return {
    id: row.id,
    status: row.status,
    fileName: row.file_name,
    format: row.file_format,
    encoding: row.encoding,
    fileBytes: row.file_bytes,
    headers: row.headers,
    mapping: (row.mapping ?? {}) as Record<string, string>,
    full: row.full_import,
    markMissingIneligible: row.mark_missing_ineligible,
    rowsTotal: total,
    rowsDone: row.rows_done,
    created: row.rows_created,
    updated: row.rows_updated,
    rejected: row.rows_rejected,
    missing: row.missing_count,
    /** 0 to 1; null until the job has counted the rows. */
    progress: row.status === 'done' ? 1 : total ? Math.min(1, row.rows_done / total) : total === 0 ? 1 : null,
    error: row.error,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

function fieldLabel(field: ImportField | 'row', language: StaffLanguage): string {
  const dose = /^dose(\d+)\.(date|vaccine)$/.exec(field);
  if (dose) return staffText(language, dose[2] === 'date' ? 'field.doseDate' : 'field.doseVaccine', { dose: dose[1]! });
  return staffText(language, `field.${field}` as never);
}

/** Uploading, previewing and starting imports, their progress, the report of rejected rows, and who went missing. */
export function createResidentImportService(deps: {
  db: Db;
  audit: AuditLog;
  repository: ResidentImportRepository;
  /** Undefined where no job queue is configured: an import then waits, queued, for one. */
  sendJob?: SendImportJob;
}) {
  const { db, audit, repository } = deps;

  async function found(municipalityCode: string, id: number): Promise<ImportRow> {
    const row = await repository.find(municipalityCode, id);
    if (!row) throw new AppError('import-not-found');
    return row;
  }

  return {
    /** Keeps the file and answers what it looks like: its headers, the first rows, the columns found. */
    async upload(municipalityCode: string, input: { fileName: string; file: Buffer }, by: StaffActor) {
      if (input.file.length === 0) throw new AppError('import-file-unreadable');
      const format = formatOf(input.file);
      const encoding = format === 'csv' ? encodingOf(input.file) : null;
      let head;
      try {
        head = await headOf(input.file, format, encoding ?? 'utf-8', PREVIEW_ROWS);
      } catch {
        throw new AppError('import-file-unreadable');
      }
      if (head.headers.filter(Boolean).length === 0) throw new AppError('import-file-unreadable');
      const mapping = detectMapping(head.headers, await repository.rememberedMapping(municipalityCode));
      const row = await repository.insert({
        municipalityCode,
        createdBy: by.accountId,
        fileName: input.fileName,
        format,
        encoding,
        file: input.file,
        headers: head.headers,
        mapping,
      });
      await audit.record({
        actorKind: 'staff',
        actorId: String(by.accountId),
        action: 'residents.import-upload',
        subjectResidentId: null,
        municipalityCode,
        ip: by.ip,
        detail: { importId: row.id, format, encoding, bytes: input.file.length },
      });
      return {
        import: importView(row),
        preview: {
          rows: head.rows.map((cells) => cells.map((c) => (c instanceof Date ? c.toISOString().slice(0, 10) : (c ?? '')))),
          missingRequired: missingRequired(mapping),
          unmappedHeaders: head.headers.filter((h) => !Object.values(mapping).includes(h)),
        },
      };
    },

    async get(municipalityCode: string, id: number) {
      return importView(await found(municipalityCode, id));
    },

    async list(municipalityCode: string) {
      return (await repository.list(municipalityCode, 50)).map(importView);
    },

    /** Confirms the columns (remembered for the municipality's next file) and queues the job. */
    async start(
      municipalityCode: string,
      id: number,
      input: { mapping?: Record<string, string>; full: boolean; markMissingIneligible: boolean },
      by: StaffActor,
    ) {
      try {
        return await inTransaction(db, async (tx) => {
          const row = await repository.findForUpdate(tx, municipalityCode, id);
          if (!row) throw new AppError('import-not-found');
          if (row.status !== 'uploaded') throw new AppError('import-already-started');
          const mapping: ColumnMapping = {};
          const errors: { field: string; rule: string }[] = [];
          for (const [field, header] of Object.entries(input.mapping ?? row.mapping ?? {})) {
            if (!isImportField(field)) errors.push({ field: `mapping.${field}`, rule: 'unknown-field' });
            else if (!row.headers.includes(header)) errors.push({ field: `mapping.${field}`, rule: 'unknown-header' });
            else mapping[field] = header;
          }
          for (const field of missingRequired(mapping)) errors.push({ field: `mapping.${field}`, rule: 'required' });
          if (errors.length > 0) throw new AppError('import-mapping-incomplete', { errors });
          await repository.update(
            id,
            {
              status: 'queued',
              mapping: JSON.stringify(mapping),
              full_import: input.full,
              mark_missing_ineligible: input.full && input.markMissingIneligible,
            },
            tx,
          );
          await repository.rememberMapping(tx, municipalityCode, mapping);
          await audit.record(
            {
              actorKind: 'staff',
              actorId: String(by.accountId),
              action: 'residents.import-start',
              subjectResidentId: null,
              municipalityCode,
              ip: by.ip,
              detail: { importId: id, full: input.full, markMissingIneligible: input.full && input.markMissingIneligible },
            },
            tx,
          );
          await deps.sendJob?.({ importId: id, municipalityCode }, tx);
          return importView((await repository.find(municipalityCode, id, tx))!);
        });
      } catch (error) {
        if (pgConstraint(error) === 'resident_imports_one_running') throw new AppError('import-running');
        throw error;
      }
    },

    /** The rejected rows with their reasons, as CSV (UTF-8 with BOM); the download is audited. */
    async rejectsCsv(municipalityCode: string, id: number, language: StaffLanguage, by: StaffActor): Promise<Readable> {
      await found(municipalityCode, id);
      await audit.record({
        actorKind: 'staff',
        actorId: String(by.accountId),
        action: 'residents.import-rejects-export',
        subjectResidentId: null,
        municipalityCode,
        ip: by.ip,
        detail: { importId: id },
      });
      async function* records() {
        yield (['rejects.row', 'rejects.voucherNumber', 'rejects.field', 'rejects.reason'] as const).map((k) => staffText(language, k));
        let after = 0;
        for (;;) {
          const page = await repository.rejects(id, after, REJECTS_PAGE);
          for (const reject of page) {
            for (const problem of reject.problems as RowProblem[]) {
              yield [
                String(reject.row_number),
                reject.voucher_number ?? '',
                fieldLabel(problem.field, language),
                staffText(language, `rule.${problem.rule}` as never),
              ];
            }
          }
          if (page.length < REJECTS_PAGE) return;
          after = page.at(-1)!.row_number;
        }
      }
      return pipeline(Readable.from(records()), stringify({ bom: true, record_delimiter: 'windows' }), () => undefined);
    },

    /** After a full import: the residents it no longer lists, with their active bookings (never cancelled here). */
    async missing(municipalityCode: string, id: number, by: StaffActor) {
      const row = await found(municipalityCode, id);
      const { people, bookings } = await repository.missing(id, 10_000);
      await audit.record({
        actorKind: 'staff',
        actorId: String(by.accountId),
        action: 'residents.import-missing-view',
        subjectResidentId: null,
        municipalityCode,
        ip: by.ip,
        detail: { importId: id, residents: people.length },
      });
      return {
        importId: row.id,
        residents: people.map((p) => ({
          id: p.id,
          voucherNumber: p.voucher_number,
          nameKanji: p.name_kanji,
          nameKana: p.name_kana,
          birthDate: p.birth_date,
          eligible: p.eligible,
          activeBookings: bookings
            .filter((b) => b.resident_id === p.id)
            .map((b) => ({
              reservationNumber: b.number,
              dose: b.dose_number,
              startsAt: b.starts_at.toISOString(),
              venue: { nameJa: b.name_ja, nameEn: b.name_en },
            })),
        })),
      };
    },
  };
}

export type ResidentImportService = ReturnType<typeof createResidentImportService>;
