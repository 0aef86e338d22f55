/** Residents' sign-in: voucher number + birth date → mobile number → SMS code → session. */
export { authRoutes } from './auth.routes.js';
export { normalisePhone, phoneRegionOf } from './phone.js';
export { createSignInService, defaultSignInPolicy, type SignInPolicy, type SignInService } from './sign-in.service.js';
