/** Venues and slots: ○/△/× marks, booking windows, schedule templates → slots. */
export {
  availabilityMark,
  dayMark,
  isInsideBookingWindow,
  slotCounts,
  type AvailabilityMark,
  type AvailabilityPolicy,
  type PhoneShare as SlotPhoneShare,
  type SlotCounts,
} from './availability.js';
export { extraPlacesFor, overlapOf, type Overlap, type OverlapKind, type SlotInterval } from './slot-overlap.js';
export { planSlots, timesBetween, type PlannedSlot, type ScheduleTemplate } from './slot-schedule.js';
export { createVenuesRepository, selectSlotWithVenue, type SlotWithVenue, type VenuesRepository } from './venues.repository.js';
export { venuesRoutes } from './venues.routes.js';
export { createVenuesService, type StaffSlotView, type VenuesService } from './venues.service.js';
export { createPhoneShare, type PhoneShare } from './phone-share.service.js';
export { createSlotCapacity, type SlotCapacity } from './slot-capacity.service.js';
export { staffSlotsRoutes } from './staff-slots.routes.js';
