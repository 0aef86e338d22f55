/** The call centre: operators find a caller, confirm who they are, book for them, keep call notes, print postcards. */
export { callCentreRoutes } from './call-centre.routes.js';
export { createCallCentreRepository, type CallCentreRepository } from './call-centre.repository.js';
export { createCallCentreService, type CallCentreLimits, type CallCentreService, type Operator } from './call-centre.service.js';
export { readBack, type ReadBackPart } from './read-back.js';
export { parseSpokenBirthDate } from './spoken-birth-date.js';
export {
  checkPostcardFont,
  DEFAULT_POSTCARD_FONT,
  renderPostcards,
  splitPostcode,
  type PostcardBooking,
  type PostcardSender,
} from './postcard.js';
