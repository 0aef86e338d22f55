import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import type { Clock } from '../../platform/clock.js';
import { localDate } from '../../../shared/dates.js';
import type { AuditLog } from '../audit/index.js';
import type { MunicipalitiesRepository } from '../municipalities/index.js';
import { columnIndexes, type ColumnMapping, type ImportField } from './columns.js';
import { rowsOf, type FileFormat, type FileSource, type TextEncoding } from './file-rows.js';
import type { RejectedRow, ResidentImportRepository } from './resident-import.repository.js';
import { readRow, type Cell, type ImportedResident, type RowContext } from './row-rules.js';

/** Rows written per transaction: a crash loses at most one batch, which the retry writes again. */
export const IMPORT_BATCH_ROWS = 1_000;

export interface ImportRunnerDeps {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  repository: ResidentImportRepository;
  municipalities: Pick<MunicipalitiesRepository, 'record'>;
  /** Rows per transaction (tests make it small to see batches). */
  batchRows?: number;
}

/** A file that cannot be read to the end: the import fails for good, without a retry. */
export class UnreadableFileError extends Error {
  readonly code = 'import-file-unreadable';
}

/**
 * Runs one import from where it stands: rows up to `rows_done` were written by an earlier run
 * (each batch moves `rows_done` in the transaction that writes it), so a run after a crash goes
 * on from the next batch, and nothing of a batch is ever half there.
 */
export function createImportRunner(deps: ImportRunnerDeps) {
  const { db, repository } = deps;
  const batchRows = deps.batchRows ?? IMPORT_BATCH_ROWS;

  async function* dataRows(
    file: FileSource,
    format: FileFormat,
    encoding: TextEncoding,
  ): AsyncGenerator<{ rowNumber: number; cells: Cell[] }> {
    let rowNumber = 0;
    try {
      for await (const cells of rowsOf(file, format, encoding)) {
        rowNumber += 1;
        // Row 1 is the header; the numbers are those a spreadsheet shows.
        if (rowNumber > 1) yield { rowNumber, cells };
      }
    } catch (error) {
      throw new UnreadableFileError(`the file could not be read after row ${rowNumber}: ${(error as Error).message.slice(0, 200)}`);
    }
  }

  async function writeBatch(
    importId: number,
    municipalityCode: string,
    batch: { rowNumber: number; cells: Cell[] }[],
    indexes: Map<ImportField, number>,
    context: RowContext,
  ): Promise<void> {
    const valid: { rowNumber: number; resident: ImportedResident }[] = [];
    const rejects: RejectedRow[] = [];
    for (const { rowNumber, cells } of batch) {
      const byField = new Map<ImportField, Cell>([...indexes].map(([field, index]) => [field, cells[index]]));
      const result = readRow(byField, context);
      if (result.ok) valid.push({ rowNumber, resident: result.resident });
      else rejects.push({ rowNumber, voucherNumber: result.voucherNumber, problems: result.problems });
    }
    await inTransaction(db, async (tx) => {
      const earlier = await repository.seenInImport(
        tx,
        municipalityCode,
        importId,
        valid.map((v) => v.resident.voucherNumber),
      );
      const inBatch = new Set<string>();
      const residents: ImportedResident[] = [];
      for (const { rowNumber, resident } of valid) {
        const voucher = resident.voucherNumber;
        if (earlier.has(voucher) || inBatch.has(voucher)) {
          rejects.push({ rowNumber, voucherNumber: voucher, problems: [{ field: 'voucherNumber', rule: 'duplicate-voucher' }] });
          continue;
        }
        inBatch.add(voucher);
        residents.push(resident);
      }
      const written = await repository.upsertResidents(tx, municipalityCode, importId, residents);
      const idOf = new Map(written.map((row) => [row.voucher_number, row.id]));
      await repository.upsertDoses(
        tx,
        residents.flatMap((r) => r.doses.map((d) => ({ residentId: idOf.get(r.voucherNumber)!, ...d }))),
      );
      const rejectedVouchers = rejects.map((r) => r.voucherNumber).filter((v): v is string => v !== null && !inBatch.has(v));
      await repository.markListed(
        tx,
        municipalityCode,
        importId,
        [...new Set(rejectedVouchers)].filter((v) => !earlier.has(v)),
      );
      await repository.insertRejects(tx, importId, rejects);
      const created = written.filter((row) => row.created).length;
      await tx
        .updateTable('resident_imports')
        .set((eb) => ({
          rows_done: eb('rows_done', '+', batch.length),
          rows_created: eb('rows_created', '+', created),
          rows_updated: eb('rows_updated', '+', written.length - created),
          rows_rejected: eb('rows_rejected', '+', rejects.length),
        }))
        .where('id', '=', importId)
        .execute();
    });
  }

  return {
    async run(importId: number, signal: AbortSignal): Promise<void> {
      const current = await repository.byId(importId);
      if (!current || current.status === 'done' || current.status === 'failed' || current.status === 'uploaded') return;
      const code = current.municipality_code;
      const municipality = await deps.municipalities.record(code);
      if (!municipality) throw new Error(`municipality of import ${importId} is gone`);
      await repository.update(importId, { status: 'running', started_at: current.started_at ?? deps.clock.now() });
      const file = () => repository.file(importId);
      const format = current.file_format;
      const encoding = (current.encoding ?? 'utf-8') as TextEncoding;
      if (current.rows_total === null) {
        let total = 0;
        for await (const _ of dataRows(file, format, encoding)) total += 1;
        await repository.update(importId, { rows_total: total });
      }
      const indexes = columnIndexes(current.headers, (current.mapping ?? {}) as ColumnMapping);
      const context: RowContext = {
        municipalityCode: code,
        today: localDate(deps.clock.now(), municipality.timeZone),
        vaccines: municipality.policy.vaccines,
      };
      let skip = current.rows_done;
      let batch: { rowNumber: number; cells: Cell[] }[] = [];
      for await (const row of dataRows(file, format, encoding)) {
        if (skip > 0) {
          skip -= 1;
          continue;
        }
        batch.push(row);
        if (batch.length >= batchRows) {
          signal.throwIfAborted();
          await writeBatch(importId, code, batch, indexes, context);
          batch = [];
        }
      }
      if (batch.length > 0) await writeBatch(importId, code, batch, indexes, context);
      await inTransaction(db, async (tx) => {
        const missing = current.full_import ? await repository.recordMissing(tx, code, importId, current.mark_missing_ineligible) : null;
        await repository.update(importId, { status: 'done', missing_count: missing, finished_at: deps.clock.now() }, tx);
        const done = await repository.find(code, importId, tx);
        await deps.audit.record(
          {
            actorKind: 'system',
            actorId: null,
            action: 'residents.import-finish',
            subjectResidentId: null,
            municipalityCode: code,
            detail: {
              importId,
              rows: done?.rows_done,
              created: done?.rows_created,
              updated: done?.rows_updated,
              rejected: done?.rows_rejected,
              missing,
              markedIneligible: current.mark_missing_ineligible ? missing : 0,
            },
          },
          tx,
        );
      });
    },

    /** The last run failed for good: the import says so (its written batches stay, as the report shows). */
    async fail(importId: number, reason: string): Promise<void> {
      await repository.update(importId, { status: 'failed', error: reason.slice(0, 500), finished_at: deps.clock.now() });
    },
  };
}

export type ImportRunner = ReturnType<typeof createImportRunner>;
