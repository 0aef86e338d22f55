import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/database.js';
import { serviceUrls } from '../support/target.js';

const { databaseUrl } = serviceUrls();

describe.runIf(databaseUrl)('opening a PostgreSQL database that does not exist yet', () => {
  it('creates it and brings its schema up to date, so a fresh server needs no createdb', async () => {
    const name = `yoyaku_fresh_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const url = new URL(databaseUrl!);
    url.pathname = `/${name}`;
    const db = await openDatabase({ url: url.toString(), dataDir: '/tmp', schema: 'public', poolMax: 2 });
    try {
      const tables = await db.introspection.getTables();
      expect(tables.map((t) => t.name)).toContain('reservations');
    } finally {
      await db.destroy();
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${pg.escapeIdentifier(name)}`);
      await admin.end();
    }
  });
});
