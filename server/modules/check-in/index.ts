/** On the day at a venue: the check-in list, marking attended (the dose recorded) or no-show, undo, the no-show rate. */
export { checkInRoutes } from './check-in.routes.js';
export { createCheckInRepository, type CheckInRepository } from './check-in.repository.js';
export { createCheckInService, type CheckInService, type VenueStaff } from './check-in.service.js';
export { dayFigures, type DayFigures } from './no-show-rate.js';
