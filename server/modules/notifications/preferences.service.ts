import type { Db } from '../../db/database.js';

export interface PreferencesPatch {
  channel?: 'sms' | 'email' | 'both';
  reminders?: boolean;
  email?: string | null;
}

/** A resident's choice of channels and reminders, with the number their last sign-in confirmed. */
export function createPreferencesService(db: Db) {
  async function read(residentId: number) {
    const row = await db
      .selectFrom('residents')
      .leftJoin('notification_preferences as p', 'p.resident_id', 'residents.id')
      .select(['p.channel', 'p.reminders', 'p.email', 'p.phone', 'residents.email as imported_email'])
      .where('residents.id', '=', residentId)
      .executeTakeFirstOrThrow();
    return {
      channel: row.channel ?? ('sms' as const),
      reminders: row.reminders ?? true,
      email: row.email ?? row.imported_email,
      phoneLast4: row.phone ? row.phone.slice(-4) : null,
    };
  }
  return {
    read,
    async update(residentId: number, patch: PreferencesPatch) {
      const values = { ...patch, updated_at: new Date() };
      await db
        .insertInto('notification_preferences')
        .values({ resident_id: residentId, ...values })
        .onConflict((oc) => oc.column('resident_id').doUpdateSet(values))
        .execute();
      return read(residentId);
    },
  };
}

export type PreferencesService = ReturnType<typeof createPreferencesService>;
