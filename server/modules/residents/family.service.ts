import type { Db } from '../../db/database.js';
import type { Resident } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
import type { AuditLog } from '../audit/index.js';
import type { MunicipalitiesRepository } from '../municipalities/index.js';
import { doseHistoryOf, doseWindow, type DoseWindow, nextDoseNumber, reservationsRepository } from '../reservations/index.js';
import type { IdentityProof } from './identity.js';
import type { ResidentsRepository } from './residents.repository.js';

export interface PersonView {
  id: number;
  nameKanji: string;
  nameKana: string;
  birthDate: string;
  relation: 'self' | 'family';
  doses: { dose: number; date: string; vaccine: string }[];
  /** The dose a new booking would be for, and the dates and vaccine it allows. */
  nextDose: DoseWindow | null;
  /** For each active booking, the dates and vaccine a change of it may move to. */
  changes: (DoseWindow & { number: string })[];
}

/** The signed-in account and the family members it may book for. */
export function createFamilyService(deps: {
  db: Db;
  residents: ResidentsRepository;
  municipalities: MunicipalitiesRepository;
  identity: IdentityProof;
  /** Wrong answers one account may give per window, whatever vouchers they name. */
  failuresPerAccount: number;
  /** Adding and removing a family member is recorded, in the change's own transaction. */
  audit: AuditLog;
}) {
  const audited = (account: { accountId: number; municipalityCode: string }, action: string, memberId: number, ip: string) => ({
    actorKind: 'resident' as const,
    actorId: String(account.accountId),
    action,
    subjectResidentId: memberId,
    municipalityCode: account.municipalityCode,
    ip,
  });

  async function people(accountId: number): Promise<PersonView[]> {
    const ids = [accountId, ...(await deps.residents.familyMemberIds(accountId))];
    const [residents, doses, booked] = await Promise.all([
      deps.residents.findByIds(ids),
      deps.residents.doseRecords(ids),
      reservationsRepository.activeBookings(deps.db, ids),
    ]);
    const account = residents.find((r) => r.id === accountId);
    if (!account) throw new AppError('not-signed-in');
    const municipality = await deps.municipalities.find(account.municipality_code);
    const timeZone = municipality?.timeZone ?? 'Asia/Tokyo';
    return ids
      .map((id) => residents.find((r) => r.id === id))
      .filter((r): r is Resident => r !== undefined)
      .map((resident) => {
        const received = doses.filter((d) => d.resident_id === resident.id);
        const bookings = booked.filter((b) => b.resident_id === resident.id);
        const history = doseHistoryOf(received, bookings, timeZone);
        const policy = municipality?.policy;
        const dose = nextDoseNumber(history);
        const nextDose = !policy || dose > policy.maxDoses ? null : doseWindow(history, dose, policy);
        const changes = policy
          ? bookings.map((b) => ({
              number: b.number,
              ...doseWindow(
                history.filter((entry) => entry.reservationId !== b.id),
                b.dose_number,
                policy,
              ),
            }))
          : [];
        return {
          id: resident.id,
          nameKanji: resident.name_kanji,
          nameKana: resident.name_kana,
          birthDate: resident.birth_date,
          relation: resident.id === accountId ? ('self' as const) : ('family' as const),
          doses: received.map((d) => ({ dose: d.dose_number, date: d.administered_on, vaccine: d.vaccine })),
          nextDose,
          changes,
        };
      });
  }

  return {
    people,

    /** Adds a family member, proven by their own voucher number + birth date. */
    async add(account: { accountId: number; municipalityCode: string }, input: { voucherNumber: string; birthDate: string; ip: string }) {
      const member = await deps.identity.prove(
        { voucherNumber: input.voucherNumber, birthDate: input.birthDate, municipalityCode: account.municipalityCode },
        [{ key: `family:account:${account.accountId}`, max: deps.failuresPerAccount }],
      );
      if (!member) throw new AppError('resident-not-found');
      if (member.id === account.accountId) throw new AppError('family-self');
      const existing = await deps.residents.familyMemberIds(account.accountId);
      if (existing.includes(member.id)) throw new AppError('family-already-linked');
      const municipality = await deps.municipalities.find(account.municipalityCode);
      if (existing.length >= (municipality?.policy.familyLimit ?? 6)) throw new AppError('family-limit');
      await deps.db.transaction().execute(async (tx) => {
        if (await deps.residents.linkFamilyMember(account.accountId, member.id, tx)) {
          await deps.audit.record(audited(account, 'family.add', member.id, input.ip), tx);
        }
      });
      const all = await people(account.accountId);
      return all.find((person) => person.id === member.id)!;
    },

    /** Removes a family member; nothing (and nothing recorded) when they were not one. */
    async remove(account: { accountId: number; municipalityCode: string }, memberId: number, ip: string): Promise<void> {
      await deps.db.transaction().execute(async (tx) => {
        if (await deps.residents.unlinkFamilyMember(account.accountId, memberId, tx)) {
          await deps.audit.record(audited(account, 'family.remove', memberId, ip), tx);
        }
      });
    },
  };
}

export type FamilyService = ReturnType<typeof createFamilyService>;
