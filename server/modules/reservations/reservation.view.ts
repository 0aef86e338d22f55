import type { ActorKind, ReservationStatus } from '../../db/schema.js';
import type { Municipality } from '../municipalities/index.js';
import type { LedgerRow } from './reservations.repository.js';

/** What a resident (or the page acting for them) sees of a reservation. */
export interface ReservationView {
  number: string;
  residentId: number;
  personName: string;
  dose: number;
  status: ReservationStatus;
  vaccine: { code: string; nameJa: string; nameEn: string };
  slot: { id: number; startsAt: string; durationMinutes: number };
  venue: { id: number; nameJa: string; nameEn: string; address: string; mapUrl: string | null };
  madeBy: ActorKind;
  autoScheduled: boolean;
  createdAt: string;
  cancelledAt: string | null;
}

export function toReservationView(row: LedgerRow, municipality: Municipality | undefined): ReservationView {
  const vaccine = municipality?.policy.vaccines[row.vaccine];
  return {
    number: row.number,
    residentId: row.resident_id,
    personName: row.name_kanji,
    dose: row.dose_number,
    status: row.status,
    vaccine: { code: row.vaccine, nameJa: vaccine?.nameJa ?? row.vaccine, nameEn: vaccine?.nameEn ?? row.vaccine },
    slot: { id: row.slot_id, startsAt: row.starts_at.toISOString(), durationMinutes: row.duration_minutes },
    venue: {
      id: row.venue_id,
      nameJa: row.venue_name_ja,
      nameEn: row.venue_name_en,
      address: row.venue_address,
      mapUrl: row.venue_map_url,
    },
    madeBy: row.made_by_kind,
    autoScheduled: row.auto_scheduled,
    createdAt: row.created_at.toISOString(),
    cancelledAt: row.cancelled_at ? row.cancelled_at.toISOString() : null,
  };
}
