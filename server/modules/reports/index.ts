import type { Db } from '../../db/database.js';
import type { Clock } from '../../platform/clock.js';
import type { AuditLog } from '../audit/index.js';
import type { MunicipalitiesRepository } from '../municipalities/index.js';
import { createReportsRepository, REPORT_PAGE_ROWS } from './reports.repository.js';
import { createReportsService, type ReportsService } from './reports.service.js';

/** Lists (予約者リスト, 未予約者リスト, 予約台帳) as streamed .xlsx and CSV, cross-tabs, the dose export. */
export { reportsRoutes } from './reports.routes.js';
export { TABLE_FORMATS, writeTable, type CellValue, type TableFormat } from './table-writer.js';
export type { ReportsService };

export function createReports(deps: {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  municipalities: Pick<MunicipalitiesRepository, 'record'>;
}): ReportsService {
  return createReportsService({ ...deps, repository: createReportsRepository(deps.db), pageRows: REPORT_PAGE_ROWS });
}
