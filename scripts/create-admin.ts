/**
 * npm run create-admin -- --email a@example.org
 *
 * Creates a deployment-wide super-administrator (or makes an existing account one again) and prints
 * a one-time enrolment link. It reads the same configuration as the server (DATA_DIR or
 * DATABASE_URL, PUBLIC_URL…) and runs the server's own code. On the embedded database (PGlite)
 * stop the server first: PGlite serves one process, and the script refuses while another has it.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../server/config.js';
import { DatabaseInUseError, openDatabase } from '../server/db/database.js';
import { createAuditLog } from '../server/modules/audit/index.js';
import { createAdminAccounts } from '../server/modules/staff/index.js';
import { systemClock } from '../server/platform/clock.js';

const usage = 'Usage: npm run create-admin -- --email someone@example.org';

async function main(): Promise<number> {
  let email: string | undefined;
  try {
    const { values } = parseArgs({ options: { email: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
    if (values.help) {
      console.log(usage);
      return 0;
    }
    email = values.email?.trim();
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) {
    console.error(`An e-mail address is needed.\n${usage}`);
    return 2;
  }

  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }

  let db;
  try {
    db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, schema: config.databaseSchema, poolMax: 2 });
  } catch (error) {
    if (error instanceof DatabaseInUseError) {
      console.error(error.message);
      return 3;
    }
    throw error;
  }
  try {
    const accounts = createAdminAccounts({ db, clock: systemClock, publicUrl: config.publicUrl, audit: createAuditLog(db) });
    const created = await accounts.createAdmin(email);
    const hours = Math.round((created.link.expiresAt.getTime() - Date.now()) / 3_600_000);
    console.log(
      [
        created.existed
          ? `${email} already had a staff account (id ${created.accountId}): it is now a super-administrator, and enabled.`
          : `Super-administrator ${email} created (staff account id ${created.accountId}).`,
        `Open this link to enrol (choose a password, scan the authenticator code, keep the recovery codes).`,
        `It works once, for ${hours} hours, until ${created.link.expiresAt.toISOString()}; a newer link replaces it:`,
        '',
        `  ${created.link.url}`,
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    await db.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
