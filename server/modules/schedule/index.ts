/** The schedule as staff build it: venues, slot templates (preview, generation), the day view, closing slots and moving people. */
export type { SlotNotices } from './notices-port.js';
export { createScheduleRepository } from './schedule.repository.js';
export { scheduleRoutes } from './schedule.routes.js';
export { createScheduleDay } from './schedule-day.service.js';
export { createSlotClosing } from './slot-closing.service.js';
export { createTemplates } from './templates.service.js';
export { planTemplate, type TemplateInput } from './template-input.js';
export { createVenueAdmin } from './venue-admin.service.js';
