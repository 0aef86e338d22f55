/** Audit: who viewed, changed or exported whose personal data, append-only. */
export { createAuditLog, type AuditEntry, type AuditLog } from './audit-log.js';
