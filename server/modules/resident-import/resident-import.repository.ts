import { sql, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database, ResidentImportsTable } from '../../db/schema.js';
import type { ColumnMapping } from './columns.js';
import type { FileFormat, TextEncoding } from './file-rows.js';
import type { ImportedResident, RowProblem } from './row-rules.js';

type Executor = Db | Transaction<Database>;

export type ImportRow = Selectable<ResidentImportsTable>;

/** Pieces of the stored file: small enough that reading one is cheap, big enough to be few. */
export const FILE_CHUNK_BYTES = 256 * 1024;

const IMPORT_COLUMNS = [
  'id',
  'municipality_code',
  'created_by',
  'status',
  'file_name',
  'file_format',
  'encoding',
  'file_bytes',
  'headers',
  'mapping',
  'full_import',
  'mark_missing_ineligible',
  'rows_total',
  'rows_done',
  'rows_created',
  'rows_updated',
  'rows_rejected',
  'missing_count',
  'error',
  'created_at',
  'started_at',
  'finished_at',
] as const;

export interface RejectedRow {
  rowNumber: number;
  voucherNumber: string | null;
  problems: RowProblem[];
}

/** The tables of resident imports, and the writes an import makes to residents and their doses. */
export function createResidentImportRepository(db: Db) {
  return {
    async insert(values: {
      municipalityCode: string;
      createdBy: number;
      fileName: string;
      format: FileFormat;
      encoding: TextEncoding | null;
      file: Buffer;
      headers: string[];
      mapping: ColumnMapping;
    }): Promise<ImportRow> {
      return db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('resident_imports')
          .values({
            municipality_code: values.municipalityCode,
            created_by: values.createdBy,
            file_name: values.fileName,
            file_format: values.format,
            encoding: values.encoding,
            file_bytes: values.file.length,
            headers: JSON.stringify(values.headers),
            mapping: JSON.stringify(values.mapping),
          })
          .returning(IMPORT_COLUMNS)
          .executeTakeFirstOrThrow();
        for (let seq = 0; seq * FILE_CHUNK_BYTES < values.file.length; seq++) {
          const bytes = values.file.subarray(seq * FILE_CHUNK_BYTES, (seq + 1) * FILE_CHUNK_BYTES);
          await tx.insertInto('resident_import_chunks').values({ import_id: row.id, seq, bytes }).execute();
        }
        return row;
      });
    },

    find(municipalityCode: string, id: number, executor: Executor = db): Promise<ImportRow | undefined> {
      return executor
        .selectFrom('resident_imports')
        .select(IMPORT_COLUMNS)
        .where('municipality_code', '=', municipalityCode)
        .where('id', '=', id)
        .executeTakeFirst();
    },

    findForUpdate(tx: Transaction<Database>, municipalityCode: string, id: number): Promise<ImportRow | undefined> {
      return tx
        .selectFrom('resident_imports')
        .select(IMPORT_COLUMNS)
        .where('municipality_code', '=', municipalityCode)
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
    },

    byId(id: number): Promise<ImportRow | undefined> {
      return db.selectFrom('resident_imports').select(IMPORT_COLUMNS).where('id', '=', id).executeTakeFirst();
    },

    /** The stored file, one piece at a time (each a query of its own: no transaction stays open). */
    async *file(id: number): AsyncGenerator<Buffer> {
      for (let seq = 0; ; seq++) {
        const row = await db
          .selectFrom('resident_import_chunks')
          .select('bytes')
          .where('import_id', '=', id)
          .where('seq', '=', seq)
          .executeTakeFirst();
        if (!row) return;
        yield Buffer.from(row.bytes);
      }
    },

    list(municipalityCode: string, limit: number): Promise<ImportRow[]> {
      return db
        .selectFrom('resident_imports')
        .select(IMPORT_COLUMNS)
        .where('municipality_code', '=', municipalityCode)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
    },

    async update(id: number, values: Partial<Record<keyof ResidentImportsTable, unknown>>, executor: Executor = db): Promise<void> {
      await executor
        .updateTable('resident_imports')
        .set(values as never)
        .where('id', '=', id)
        .execute();
    },

    async rememberedMapping(municipalityCode: string): Promise<ColumnMapping> {
      const row = await db
        .selectFrom('resident_import_mappings')
        .select('mapping')
        .where('municipality_code', '=', municipalityCode)
        .executeTakeFirst();
      return (row?.mapping ?? {}) as ColumnMapping;
    },

    async rememberMapping(tx: Executor, municipalityCode: string, mapping: ColumnMapping): Promise<void> {
      await tx
        .insertInto('resident_import_mappings')
        .values({ municipality_code: municipalityCode, mapping: JSON.stringify(mapping) })
        .onConflict((oc) => oc.column('municipality_code').doUpdateSet({ mapping: JSON.stringify(mapping), updated_at: sql`now()` }))
        .execute();
    },

    /** Of these voucher numbers, those an earlier row of the same import already listed. */
    async seenInImport(tx: Executor, municipalityCode: string, importId: number, vouchers: string[]): Promise<Set<string>> {
      if (vouchers.length === 0) return new Set();
      const rows = await tx
        .selectFrom('residents')
        .select('voucher_number')
        .where('municipality_code', '=', municipalityCode)
        .where('last_import_id', '=', importId)
        .where('voucher_number', 'in', vouchers)
        .execute();
      return new Set(rows.map((r) => r.voucher_number));
    },

    /**
     * Creates or updates residents by voucher number (never a second row for one), marking them
     * listed by this import and eligible again; their reservations are untouched.
     */
    async upsertResidents(tx: Executor, municipalityCode: string, importId: number, residents: ImportedResident[]) {
      if (residents.length === 0) return [];
      return (
        tx
          .insertInto('residents')
          .values(
            residents.map((r) => ({
              municipality_code: municipalityCode,
              voucher_number: r.voucherNumber,
              birth_date: r.birthDate,
              name_kanji: r.nameKanji,
              name_kana: r.nameKana,
              name_kana_key: r.nameKanaKey,
              sex: r.sex,
              postcode: r.postcode,
              address: r.address,
              phone: r.phone,
              last_import_id: importId,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['municipality_code', 'voucher_number']).doUpdateSet((eb) => ({
              birth_date: eb.ref('excluded.birth_date'),
              name_kanji: eb.ref('excluded.name_kanji'),
              name_kana: eb.ref('excluded.name_kana'),
              name_kana_key: eb.ref('excluded.name_kana_key'),
              sex: eb.ref('excluded.sex'),
              postcode: eb.ref('excluded.postcode'),
              address: eb.ref('excluded.address'),
              phone: eb.ref('excluded.phone'),
              last_import_id: eb.ref('excluded.last_import_id'),
              eligible: true,
              updated_at: sql`now()`,
            })),
          )
          // xmax is 0 on a row this statement inserted, the updating transaction's id on one it updated.
          .returning(['id', 'voucher_number', sql<boolean>`(xmax = 0)`.as('created')])
          .execute()
      );
    },

    /** Doses the file lists: written as the file says; doses it does not list (attended ones) stay. */
    async upsertDoses(tx: Executor, doses: { residentId: number; dose: number; date: string; vaccine: string }[]): Promise<void> {
      if (doses.length === 0) return;
      await tx
        .insertInto('dose_records')
        .values(doses.map((d) => ({ resident_id: d.residentId, dose_number: d.dose, administered_on: d.date, vaccine: d.vaccine })))
        .onConflict((oc) =>
          oc.columns(['resident_id', 'dose_number']).doUpdateSet((eb) => ({
            administered_on: eb.ref('excluded.administered_on'),
            vaccine: eb.ref('excluded.vaccine'),
          })),
        )
        .execute();
    },

    /** A rejected row still names a resident who has not moved away: a full import must not count them missing. */
    async markListed(tx: Executor, municipalityCode: string, importId: number, vouchers: string[]): Promise<void> {
      if (vouchers.length === 0) return;
      await tx
        .updateTable('residents')
        .set({ last_import_id: importId })
        .where('municipality_code', '=', municipalityCode)
        .where('voucher_number', 'in', vouchers)
        .execute();
    },

    async insertRejects(tx: Executor, importId: number, rejects: RejectedRow[]): Promise<void> {
      if (rejects.length === 0) return;
      await tx
        .insertInto('resident_import_rejects')
        .values(
          rejects.map((r) => ({
            import_id: importId,
            row_number: r.rowNumber,
            voucher_number: r.voucherNumber,
            problems: JSON.stringify(r.problems),
          })),
        )
        .onConflict((oc) => oc.columns(['import_id', 'row_number']).doNothing())
        .execute();
    },

    /** After a full import: the eligible residents it did not list, kept for staff; optionally made ineligible. */
    async recordMissing(tx: Executor, municipalityCode: string, importId: number, markIneligible: boolean): Promise<number> {
      const missing = tx
        .selectFrom('residents')
        .select([sql<number>`${importId}`.as('import_id'), 'id as resident_id'])
        .where('municipality_code', '=', municipalityCode)
        .where('eligible', '=', true)
        .where((eb) => eb.or([eb('last_import_id', 'is', null), eb('last_import_id', '<>', importId)]));
      const inserted = await tx
        .insertInto('resident_import_missing')
        .columns(['import_id', 'resident_id'])
        .expression(missing)
        .onConflict((oc) => oc.doNothing())
        .returning('resident_id')
        .execute();
      if (markIneligible && inserted.length > 0) {
        await tx
          .updateTable('residents')
          .set({ eligible: false, updated_at: sql`now()` })
          .where('id', 'in', (eb) => eb.selectFrom('resident_import_missing').select('resident_id').where('import_id', '=', importId))
          .execute();
      }
      const { count } = await tx
        .selectFrom('resident_import_missing')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('import_id', '=', importId)
        .executeTakeFirstOrThrow();
      return Number(count);
    },

    rejects(importId: number, after: number, limit: number) {
      return db
        .selectFrom('resident_import_rejects')
        .select(['row_number', 'voucher_number', 'problems'])
        .where('import_id', '=', importId)
        .where('row_number', '>', after)
        .orderBy('row_number')
        .limit(limit)
        .execute();
    },

    /** The residents a full import did not list, each with their active bookings. */
    async missing(importId: number, limit: number) {
      const people = await db
        .selectFrom('resident_import_missing as m')
        .innerJoin('residents as r', 'r.id', 'm.resident_id')
        .select(['r.id', 'r.voucher_number', 'r.name_kanji', 'r.name_kana', 'r.birth_date', 'r.eligible'])
        .where('m.import_id', '=', importId)
        .orderBy('r.id')
        .limit(limit)
        .execute();
      const ids = people.map((p) => p.id);
      const bookings =
        ids.length === 0
          ? []
          : await db
              .selectFrom('reservations as v')
              .innerJoin('slots as s', 's.id', 'v.slot_id')
              .innerJoin('venues as e', 'e.id', 's.venue_id')
              .select(['v.resident_id', 'v.number', 'v.dose_number', 's.starts_at', 'e.name_ja', 'e.name_en'])
              .where('v.resident_id', 'in', ids)
              .where('v.status', '=', 'booked')
              .orderBy('s.starts_at')
              .execute();
      return { people, bookings };
    },
  };
}

export type ResidentImportRepository = ReturnType<typeof createResidentImportRepository>;
