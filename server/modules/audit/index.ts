/** Audit: who signed in, changed, viewed or exported what, where and from which address; append-only. */
export { createAuditLog, type AuditEntry, type AuditLog } from './audit-log.js';
export { auditRoutes } from './audit.routes.js';
export { createAuditService, type AuditFilters, type AuditService } from './audit.service.js';
