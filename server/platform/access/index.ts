/** The one access policy of the staff side: roles, actions, `can()`, and the hook that enforces what routes declare. */
export { ACTIONS, isAction, ROLE_ACTIONS, ROLES, scopeOf, type Action, type MunicipalityAction, type Role, type Scope } from './actions.js';
export {
  registerAccessPolicy,
  STAFF_PREFIX,
  STAFF_SESSION_COOKIE,
  staffOf,
  type StaffAuthenticator,
  type StaffContext,
} from './access-hook.js';
export { actionsIn, can, decide, type Decision, type Principal } from './policy.js';
