/**
 * What staff can do, in one table. A staff route declares the action it performs
 * (`config: { action: 'settings.update' }`); the access hook decides with `decide()`; no route checks
 * roles itself. Adding a route means naming its action here (or reusing one), nothing else.
 */

export const ROLES = ['administrator', 'staff', 'operator', 'venue', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Where an action applies:
 * - `public`: no session (signing in, the one-time links of enrolment and password reset);
 * - `self`: any signed-in staff member, about themselves;
 * - `deployment`: deployment-wide, super-administrators only;
 * - `municipality`: in the municipality named by the route's `:municipalityCode`, by role.
 */
export type Scope = 'public' | 'self' | 'deployment' | 'municipality';

export const ACTIONS = {
  'session.start': 'public',
  'enrolment.use': 'public',
  'self.view': 'self',
  'self.update': 'self',
  'self.sign-out': 'self',
  'municipality.list': 'deployment',
  'municipality.create': 'deployment',
  'accounts.list-all': 'deployment',
  'accounts.manage-all': 'deployment',
  'audit.search-all': 'deployment',
  'audit.export-all': 'deployment',
  'waiting-room.view-all': 'deployment',
  'waiting-room.control': 'deployment',
  'jobs.view-failed': 'deployment',
  'municipality.view': 'municipality',
  'municipality.update': 'municipality',
  'settings.view': 'municipality',
  'settings.update': 'municipality',
  'accounts.list': 'municipality',
  'accounts.manage': 'municipality',
  'audit.search': 'municipality',
  'audit.export': 'municipality',
  'waiting-room.view': 'municipality',
  'residents.import': 'municipality',
  'reports.view': 'municipality',
  'dashboard.view': 'municipality',
  'reports.lists': 'municipality',
  'reports.dose-export': 'municipality',
  'schedule.manage': 'municipality',
  'notifications.usage': 'municipality',
  'notifications.failures': 'municipality',
  'call-centre.search': 'municipality',
  'call-centre.view': 'municipality',
  'call-centre.book': 'municipality',
  'call-centre.note': 'municipality',
  'call-centre.postcard': 'municipality',
  'call-centre.scripts': 'municipality',
  'call-centre.scripts-update': 'municipality',
  'check-in.view': 'municipality',
  'check-in.mark': 'municipality',
} as const satisfies Record<string, Scope>;

export type Action = keyof typeof ACTIONS;
export type MunicipalityAction = { [A in Action]: (typeof ACTIONS)[A] extends 'municipality' ? A : never }[Action];

export function isAction(value: unknown): value is Action {
  return typeof value === 'string' && Object.hasOwn(ACTIONS, value);
}

export function scopeOf(action: Action): Scope {
  return ACTIONS[action];
}

/**
 * What each role may do in its municipality. Administrators run the municipality (its accounts,
 * settings and audit log); staff run the campaign; operators (call centre) and venues serve
 * residents; viewers only read.
 */
export const ROLE_ACTIONS: Record<Role, readonly MunicipalityAction[]> = {
  administrator: [
    'municipality.view',
    'municipality.update',
    'settings.view',
    'settings.update',
    'accounts.list',
    'accounts.manage',
    'audit.search',
    'audit.export',
    'waiting-room.view',
    'residents.import',
    'reports.view',
    'dashboard.view',
    'reports.lists',
    'reports.dose-export',
    'schedule.manage',
    'notifications.usage',
    'notifications.failures',
    'call-centre.scripts',
    'call-centre.scripts-update',
    'check-in.view',
    'check-in.mark',
  ],
  // Lists name people: staff and administrators; viewers read the counts (cross-tabs) only.
  staff: [
    'municipality.view',
    'settings.view',
    'waiting-room.view',
    'residents.import',
    'reports.view',
    'dashboard.view',
    'reports.lists',
    'reports.dose-export',
    'schedule.manage',
    // Message costs, and who could not be reached, so they can ring them.
    'notifications.usage',
    'notifications.failures',
    // Staff stand in at a venue on the day when its own people are short.
    'check-in.view',
    'check-in.mark',
  ],
  // The call centre: operators find callers and book for them; they never change the municipality or its accounts.
  operator: [
    'municipality.view',
    'settings.view',
    'waiting-room.view',
    'call-centre.search',
    'call-centre.view',
    'call-centre.book',
    'call-centre.note',
    'call-centre.postcard',
    'call-centre.scripts',
  ],
  // On the day at a venue: the day's list (it names people) and marking who came.
  venue: ['municipality.view', 'check-in.view', 'check-in.mark'],
  // The dashboard shows counts only, like the cross-tabs.
  viewer: ['municipality.view', 'settings.view', 'waiting-room.view', 'reports.view', 'dashboard.view', 'notifications.usage'],
};
