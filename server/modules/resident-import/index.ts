import type { Db } from '../../db/database.js';
import type { Clock } from '../../platform/clock.js';
import type { JobDefinition } from '../../platform/jobs/index.js';
import type { AuditLog } from '../audit/index.js';
import type { MunicipalitiesRepository } from '../municipalities/index.js';
import { createImportRunner, type ImportRunner } from './import-runner.js';
import { residentImportJob, type ImportJobPayload } from './resident-import.job.js';
import { createResidentImportRepository } from './resident-import.repository.js';
import { createResidentImportService, type ResidentImportService, type SendImportJob } from './resident-import.service.js';

/** Importing residents from CSV or .xlsx: columns by header, row rules, a background job that resumes, reports. */
export { detectMapping, fieldOfHeader, IMPORT_FIELDS, REQUIRED_FIELDS, type ColumnMapping, type ImportField } from './columns.js';
export { encodingOf, formatOf, rowsOf } from './file-rows.js';
export { readDate, readRow, type ImportedResident, type RowProblem } from './row-rules.js';
export { IMPORT_CONTENT_TYPES, residentImportRoutes } from './resident-import.routes.js';
export type { ImportJobPayload, ImportRunner, ResidentImportService };

export interface ResidentImport {
  service: ResidentImportService;
  runner: ImportRunner;
  job: JobDefinition<ImportJobPayload>;
}

export function createResidentImport(deps: {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  municipalities: Pick<MunicipalitiesRepository, 'record'>;
  /** Sends the job; undefined without a job queue (imports then wait, queued). */
  send?: (job: JobDefinition<ImportJobPayload>, payload: ImportJobPayload, tx: Db) => Promise<unknown>;
  batchRows?: number;
}): ResidentImport {
  const repository = createResidentImportRepository(deps.db);
  const runner = createImportRunner({ ...deps, repository });
  const job = residentImportJob(runner);
  const send = deps.send;
  const sendJob: SendImportJob | undefined = send ? async (payload, tx) => void (await send(job, payload, tx)) : undefined;
  const service = createResidentImportService({ db: deps.db, audit: deps.audit, repository, sendJob });
  return { service, runner, job };
}
