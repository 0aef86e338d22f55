import { getTimezone } from 'countries-and-timezones';
import type { Transaction } from 'kysely';
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { pgErrorCode } from '../../db/transaction.js';
import { AppError } from '../../platform/errors.js';
import type { AuditLog } from '../audit/index.js';
import { campaignPolicy, defaultPolicy } from '../reservations/index.js';
import type { MunicipalitiesRepository, MunicipalityRecord } from './municipalities.repository.js';
import { isValidMunicipalityCode } from './municipality-code.js';
import { settingsFieldErrors, settingsOf, type FieldError, type Settings } from './settings.schema.js';

export type { MunicipalityRecord } from './municipalities.repository.js';

export interface Profile {
  nameJa: string;
  nameEn: string;
  timeZone: string;
  callCentrePhone: string | null;
}

/** Who changes something, for the audit log. */
export interface StaffActor {
  accountId: number;
  ip: string;
}

/** The IANA zone in its canonical spelling, or undefined for a zone nobody knows. */
function canonicalTimeZone(zone: string): string | undefined {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+){0,2}$/.test(zone)) return undefined;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

function invalid(errors: FieldError[]): AppError {
  return new AppError('invalid-request', { errors });
}

/** The profile's fields that the schema cannot check: a known time zone, a real phone number of its country. */
function checkProfile(profile: Partial<Profile>): Partial<Profile> {
  const errors: FieldError[] = [];
  const out = { ...profile };
  if (profile.timeZone !== undefined) {
    const zone = canonicalTimeZone(profile.timeZone);
    if (zone) out.timeZone = zone;
    else errors.push({ field: 'timeZone', rule: 'timeZone' });
  }
  if (profile.callCentrePhone) {
    const country = getTimezone(out.timeZone ?? 'Asia/Tokyo')?.countries[0];
    const region = country && isSupportedCountry(country) ? country : 'JP';
    if (!parsePhoneNumberFromString(profile.callCentrePhone.normalize('NFKC'), region)?.isValid()) {
      errors.push({ field: 'callCentrePhone', rule: 'phone' });
    }
  }
  if (errors.length > 0) throw invalid(errors);
  return out;
}

/** What differs between two values, by top-level field: for the audit entry, never the values themselves. */
function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys(after).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

/**
 * Municipalities as staff manage them: super-administrators create them; their administrators edit
 * the profile and the settings (campaign policy and opening plan). Each change is one transaction
 * with its audit entry, and once committed every server process forgets its cached copy, so the
 * booking rules use the new settings from the next request on.
 */
export function createMunicipalitiesService(deps: { db: Db; municipalities: MunicipalitiesRepository; audit: AuditLog }) {
  const { municipalities } = deps;

  async function record(code: string): Promise<MunicipalityRecord> {
    const found = await municipalities.record(code);
    if (!found) throw new AppError('municipality-not-found');
    return found;
  }

  async function change<T>(code: string, work: (tx: Transaction<Database>, current: MunicipalityRecord) => Promise<T>): Promise<T> {
    const result = await deps.db.transaction().execute(async (tx) => {
      const current = await municipalities.lock(tx, code);
      if (!current) throw new AppError('municipality-not-found');
      return work(tx, current);
    });
    await municipalities.changed(code);
    return result;
  }

  return {
    list: () => municipalities.list(),
    get: record,

    async create(input: Profile & { code: string }, by: StaffActor): Promise<MunicipalityRecord> {
      const errors: FieldError[] = [];
      if (!isValidMunicipalityCode(input.code)) errors.push({ field: 'code', rule: 'checkDigit' });
      let profile: Partial<Profile> = input;
      try {
        profile = checkProfile(input);
      } catch (error) {
        errors.push(...((error as AppError).details.errors as FieldError[]));
      }
      if (errors.length > 0) throw invalid(errors);
      try {
        await deps.db.transaction().execute(async (tx) => {
          await municipalities.insert(tx, { ...(profile as Profile), code: input.code, settings: {} });
          await deps.audit.record(
            {
              actorKind: 'staff',
              actorId: String(by.accountId),
              action: 'municipality.create',
              subjectResidentId: null,
              municipalityCode: input.code,
              ip: by.ip,
            },
            tx,
          );
        });
      } catch (error) {
        if (pgErrorCode(error) === '23505') throw new AppError('municipality-exists');
        throw error;
      }
      await municipalities.changed(input.code);
      return record(input.code);
    },

    async update(code: string, patch: Partial<Profile>, by: StaffActor): Promise<MunicipalityRecord> {
      const checked = checkProfile(patch);
      await change(code, async (tx, current) => {
        const before = {
          nameJa: current.nameJa,
          nameEn: current.nameEn,
          timeZone: current.timeZone,
          callCentrePhone: current.callCentrePhone,
        };
        const after = { ...before, ...checked };
        await municipalities.update(tx, code, {
          name_ja: after.nameJa,
          name_en: after.nameEn,
          time_zone: after.timeZone,
          call_centre_phone: after.callCentrePhone || null,
        });
        await deps.audit.record(
          {
            actorKind: 'staff',
            actorId: String(by.accountId),
            action: 'municipality.update',
            subjectResidentId: null,
            municipalityCode: code,
            ip: by.ip,
            detail: { changed: changedFields(before, after) },
          },
          tx,
        );
      });
      return record(code);
    },

    /** The settings in force (defaults where the municipality set nothing) and the defaults themselves. */
    async settings(code: string): Promise<{ settings: Settings; defaults: Settings }> {
      const found = await record(code);
      return { settings: settingsOf(found.policy, found.settings), defaults: settingsOf(defaultPolicy, {}) };
    },

    /** Replaces the settings with a complete, checked set; the booking rules use it from the next request. */
    async setSettings(code: string, settings: Settings, by: StaffActor): Promise<Settings> {
      const errors = settingsFieldErrors(settings, await municipalities.vaccinesInUse(code));
      if (errors.length > 0) throw invalid(errors);
      await change(code, async (tx, current) => {
        const before = settingsOf(current.policy, current.settings);
        // Keys the editor does not know (none today) are kept.
        await municipalities.update(tx, code, { settings: JSON.stringify({ ...current.settings, ...settings }) });
        await deps.audit.record(
          {
            actorKind: 'staff',
            actorId: String(by.accountId),
            action: 'settings.update',
            subjectResidentId: null,
            municipalityCode: code,
            ip: by.ip,
            detail: { changed: changedFields(before, settings) },
          },
          tx,
        );
      });
      return settingsOf(campaignPolicy(settings), settings);
    },
  };
}

export type MunicipalitiesService = ReturnType<typeof createMunicipalitiesService>;
