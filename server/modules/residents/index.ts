/** Imported residents: the voucher + birth-date proof, kana folding, family links, /me. */
export { createFamilyService, type FamilyService, type PersonView } from './family.service.js';
export { createIdentityProof, type IdentityLimits, type IdentityProof, type ProvenResident } from './identity.js';
export { normaliseKana } from './kana.js';
export { meRoutes } from './me.routes.js';
export { createResidentsRepository, type ResidentsRepository } from './residents.repository.js';
export { isVoucherNumber, normaliseVoucherNumber, parseVoucherCode } from './voucher.js';
