import { isLanguage, type LanguageCode } from '../../../shared/i18n/languages.js';
import type { Db } from '../../db/database.js';
import type { Executor } from './outbox.repository.js';
import { AppError } from '../../platform/errors.js';
import { preferencesProblem } from './preferences.js';

export interface PreferencesPatch {
  channel?: 'sms' | 'email' | 'both';
  reminders?: boolean;
  email?: string | null;
  language?: LanguageCode;
}

/** Before a resident says otherwise: the language of the municipality. */
const DEFAULT_LANGUAGE: LanguageCode = 'ja';

/** A resident's choice of channels, reminders and language, with the number their last sign-in confirmed. */
export function createPreferencesService(db: Db) {
  async function read(residentId: number, executor: Executor = db) {
    const row = await executor
      .selectFrom('residents')
      .leftJoin('notification_preferences as p', 'p.resident_id', 'residents.id')
      .select(['p.channel', 'p.reminders', 'p.email', 'p.phone', 'p.language', 'residents.email as imported_email'])
      .where('residents.id', '=', residentId)
      .executeTakeFirstOrThrow();
    return {
      channel: row.channel ?? ('sms' as const),
      reminders: row.reminders ?? true,
      email: row.email ?? row.imported_email,
      phoneLast4: row.phone ? row.phone.slice(-4) : null,
      language: isLanguage(row.language) ? row.language : DEFAULT_LANGUAGE,
    };
  }
  return {
    read,
    /**
     * Checked and written in one transaction with the resident's row locked, so two changes at
     * once cannot leave e-mail chosen without an address; a refused change leaves everything as it
     * was. E-mail is taken as typed (its form checked): the site has no e-mail confirmation yet, so
     * the page asks the resident to check the address, and sign-in codes always go by SMS.
     */
    async update(residentId: number, patch: PreferencesPatch) {
      return db.transaction().execute(async (tx) => {
        await tx.selectFrom('residents').select('id').where('id', '=', residentId).forUpdate().executeTakeFirstOrThrow();
        const current = await read(residentId, tx);
        const email = patch.email === undefined ? current.email : patch.email === null ? null : patch.email.trim();
        const problem = preferencesProblem({ channel: patch.channel ?? current.channel, email });
        if (problem) throw new AppError('invalid-request', { errors: [problem] });
        const values = {
          ...(patch.channel !== undefined ? { channel: patch.channel } : {}),
          ...(patch.reminders !== undefined ? { reminders: patch.reminders } : {}),
          ...(patch.email !== undefined ? { email } : {}),
          ...(patch.language !== undefined ? { language: patch.language, language_chosen: true } : {}),
          updated_at: new Date(),
        };
        await tx
          .insertInto('notification_preferences')
          .values({ resident_id: residentId, ...values })
          .onConflict((oc) => oc.column('resident_id').doUpdateSet(values))
          .execute();
        return read(residentId, tx);
      });
    },
  };
}

export type PreferencesService = ReturnType<typeof createPreferencesService>;
