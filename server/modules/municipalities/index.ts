/** The tenant: a municipality, its local government code and its campaign settings. */
export { createMunicipalitiesRepository, type MunicipalitiesRepository, type Municipality } from './municipalities.repository.js';
export { isValidMunicipalityCode, municipalityCheckDigit } from './municipality-code.js';
