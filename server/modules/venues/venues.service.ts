import { addDays, localDate, zonedTimeToUtc, type IsoDate } from '../../../shared/dates.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { MunicipalitiesRepository, Municipality } from '../municipalities/index.js';
import { availabilityMark, dayMark, isInsideBookingWindow, slotCounts, type AvailabilityMark, type SlotCounts } from './availability.js';
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

/** A slot as an operator sees it: the web's part and the telephone's (`3/5 (phone 1/3)`). */
export interface StaffSlotView extends Omit<SlotView, 'capacity' | 'remaining' | 'mark' | 'bookable'> {
  capacity: number;
  taken: number;
  counts: SlotCounts;
  phoneReleaseAt: string | null;
  /** An operator may book it: inside its booking window with any place free. */
  bookable: boolean;
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

  async function slotRows(venueId: number, from: IsoDate, to: IsoDate) {
    const { venue, municipality } = await venueWithMunicipality(venueId);
    const tz = municipality.timeZone;
    const rows = await venues.slotsBetween(venueId, zonedTimeToUtc(from, '00:00', tz), zonedTimeToUtc(addDays(to, 1), '00:00', tz));
    const now = clock.now();
    return {
      venue,
      municipality,
      now,
      rows: rows.map((slot) => ({
        ...slot,
        // The overbooking allowance's extra places are places to book like any other (staff see them apart).
        counts: slotCounts(
          slot.capacity + slot.extra_places,
          slot.taken,
          { phonePlaces: slot.phone_places, phoneTaken: slot.phone_taken, phoneReleaseAt: slot.phone_release_at },
          now,
        ),
      })),
    };
  }

  /**
   * Slots of a venue between two local dates (inclusive), each with its live mark: the web's part
   * only, the telephone's places left out until released.
   */
  async function listSlots(venueId: number, from: IsoDate, to: IsoDate): Promise<SlotView[]> {
    const { municipality, now, rows } = await slotRows(venueId, from, to);
    return rows.map((slot) => {
      const { webPlaces, webRemaining } = slot.counts;
      const bookable = isInsideBookingWindow({ opensAt: slot.opens_at, closesAt: slot.closes_at }, now) && webRemaining > 0;
      return {
        id: slot.id,
        startsAt: slot.starts_at.toISOString(),
        durationMinutes: slot.duration_minutes,
        capacity: webPlaces,
        remaining: webRemaining,
        mark: availabilityMark(webPlaces, webPlaces - webRemaining, bookable, municipality.policy),
        bookable,
        opensAt: slot.opens_at.toISOString(),
        closesAt: slot.closes_at.toISOString(),
      };
    });
  }

  return {
    municipality: municipalityOrFail,

    /** The venue's slots for staff (the call centre): both parts, in the municipality of the URL only. */
    async listStaffSlots(municipalityCode: string, venueId: number, from: IsoDate, to: IsoDate): Promise<StaffSlotView[]> {
      const venue = await venues.findById(venueId);
      if (!venue || venue.municipality_code !== municipalityCode) throw new AppError('not-found');
      const { now, rows } = await slotRows(venueId, from, to);
      return rows.map((slot) => ({
        id: slot.id,
        startsAt: slot.starts_at.toISOString(),
        durationMinutes: slot.duration_minutes,
        capacity: slot.capacity,
        taken: slot.taken,
        counts: slot.counts,
        phoneReleaseAt: slot.phone_release_at?.toISOString() ?? null,
        bookable: isInsideBookingWindow({ opensAt: slot.opens_at, closesAt: slot.closes_at }, now) && slot.counts.operatorRemaining > 0,
        opensAt: slot.opens_at.toISOString(),
        closesAt: slot.closes_at.toISOString(),
      }));
    },

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
