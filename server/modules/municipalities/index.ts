/** The tenant: a municipality, its local government code, its settings (cached; changes announced on the event bus). */
export {
  createMunicipalitiesRepository,
  MUNICIPALITY_CHANGED,
  type MunicipalitiesRepository,
  type Municipality,
} from './municipalities.repository.js';
export { createMunicipalitiesService, type MunicipalitiesService } from './municipalities.service.js';
export { isValidMunicipalityCode, municipalityCheckDigit } from './municipality-code.js';
export { SettingsSchema, settingsFieldErrors, type Settings } from './settings.schema.js';
export { staffMunicipalitiesRoutes } from './staff-municipalities.routes.js';
