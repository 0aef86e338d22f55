import { addDays, localDate, zonedTimeToUtc, type IsoDate } from '../../../shared/dates.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { MunicipalitiesRepository, Municipality } from '../municipalities/index.js';
import { availabilityMark, dayMark, isInsideBookingWindow, type AvailabilityMark } from './availability.js';
import type { VenuesRepository } from './venues.repository.js';

export interface SlotView {
  id: number;
  startsAt: string;
  durationMinutes: number;
  capacity: number;
  remaining: number;
  mark: AvailabilityMark;
  bookable: boolean;
  opensAt: string;
  closesAt: string;
}

export interface DayView {
  date: IsoDate;
  mark: AvailabilityMark;
  remaining: number;
}

export function createVenuesService(deps: { venues: VenuesRepository; municipalities: MunicipalitiesRepository; clock: Clock }) {
  const { venues, municipalities, clock } = deps;

  async function municipalityOrFail(code: string): Promise<Municipality> {
    const municipality = await municipalities.find(code);
    if (!municipality) throw new AppError('municipality-not-found');
    return municipality;
  }

  async function venueWithMunicipality(venueId: number) {
    const venue = await venues.findById(venueId);
    if (!venue) throw new AppError('not-found');
    return { venue, municipality: await municipalityOrFail(venue.municipality_code) };
  }

  /** Slots of a venue between two local dates (inclusive), each with its live mark. */
  async function listSlots(venueId: number, from: IsoDate, to: IsoDate): Promise<SlotView[]> {
    const { municipality } = await venueWithMunicipality(venueId);
    const tz = municipality.timeZone;
    const rows = await venues.slotsBetween(venueId, zonedTimeToUtc(from, '00:00', tz), zonedTimeToUtc(addDays(to, 1), '00:00', tz));
    const now = clock.now();
    return rows.map((slot) => {
      const bookable = isInsideBookingWindow({ opensAt: slot.opens_at, closesAt: slot.closes_at }, now) && slot.taken < slot.capacity;
      return {
        id: slot.id,
        startsAt: slot.starts_at.toISOString(),
        durationMinutes: slot.duration_minutes,
        capacity: slot.capacity,
        remaining: Math.max(slot.capacity - slot.taken, 0),
        mark: availabilityMark(slot.capacity, slot.taken, bookable, municipality.policy),
        bookable,
        opensAt: slot.opens_at.toISOString(),
        closesAt: slot.closes_at.toISOString(),
      };
    });
  }

  return {
    municipality: municipalityOrFail,

    async listVenues(municipalityCode: string) {
      const municipality = await municipalityOrFail(municipalityCode);
      const rows = await venues.listByMunicipality(municipalityCode);
      return rows.map((venue) => {
        const vaccine = municipality.policy.vaccines[venue.vaccine];
        return {
          id: venue.id,
          nameJa: venue.name_ja,
          nameEn: venue.name_en,
          address: venue.address,
          accessNotes: venue.access_notes,
          mapUrl: venue.map_url,
          texts: venue.texts,
          vaccine: { code: venue.vaccine, nameJa: vaccine?.nameJa ?? venue.vaccine, nameEn: vaccine?.nameEn ?? venue.vaccine },
        };
      });
    },

    listSlots,

    /** One mark per local date, for the calendar: the best of that day's bookable slots. */
    async listDays(venueId: number, from: IsoDate, to: IsoDate): Promise<DayView[]> {
      const { municipality } = await venueWithMunicipality(venueId);
      const byDate = new Map<IsoDate, SlotView[]>();
      for (const slot of await listSlots(venueId, from, to)) {
        const date = localDate(new Date(slot.startsAt), municipality.timeZone);
        byDate.set(date, [...(byDate.get(date) ?? []), slot]);
      }
      return [...byDate].map(([date, slots]) => ({
        date,
        mark: dayMark(slots.map((slot) => slot.mark)),
        remaining: slots.filter((slot) => slot.bookable).reduce((sum, slot) => sum + slot.remaining, 0),
      }));
    },
  };
}

export type VenuesService = ReturnType<typeof createVenuesService>;
