import { ACTIONS, ROLE_ACTIONS, scopeOf, type Action, type MunicipalityAction, type Role } from './actions.js';

/** A signed-in staff member as the access policy sees them. */
export interface Principal {
  kind: 'staff';
  accountId: number;
  /** Deployment-wide: may do everything everywhere, and create municipalities. */
  superAdmin: boolean;
  roles: ReadonlyMap<string, ReadonlySet<Role>>;
}

/**
 * The answer for one request: allowed, or how it is refused. `not-found` is the answer to anyone
 * who is not a member of the municipality, whether it exists or not, so that nobody learns of a
 * municipality (or anything in it) they do not work for.
 */
export type Decision = 'allow' | 'not-signed-in' | 'not-found' | 'forbidden';

export function decide(principal: Principal | undefined, action: Action, municipalityCode: string | undefined): Decision {
  const scope = scopeOf(action);
  if (scope === 'public') return 'allow';
  if (!principal) return 'not-signed-in';
  if (scope === 'self' || principal.superAdmin) return 'allow';
  if (scope === 'deployment') return 'forbidden';
  const roles = municipalityCode === undefined ? undefined : principal.roles.get(municipalityCode);
  if (!roles || roles.size === 0) return 'not-found';
  for (const role of roles) if ((ROLE_ACTIONS[role] as readonly Action[]).includes(action)) return 'allow';
  return 'forbidden';
}

/** Whether the principal may perform `action` (in `municipalityCode`, for a municipality's action). */
export function can(principal: Principal | undefined, action: Action, municipalityCode?: string): boolean {
  return decide(principal, action, municipalityCode) === 'allow';
}

const MUNICIPALITY_ACTIONS = (Object.keys(ACTIONS) as Action[]).filter((a): a is MunicipalityAction => scopeOf(a) === 'municipality');

/** Everything the principal may do in the municipality, so that a page shows only what will work. */
export function actionsIn(principal: Principal, municipalityCode: string): MunicipalityAction[] {
  return MUNICIPALITY_ACTIONS.filter((action) => can(principal, action, municipalityCode));
}
