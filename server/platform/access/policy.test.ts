import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ACTIONS, ROLE_ACTIONS, ROLES, scopeOf, type Action, type Role } from './actions.js';
import { registerAccessPolicy } from './access-hook.js';
import { actionsIn, decide, type Principal } from './policy.js';

const member = (roles: Record<string, Role[]>, superAdmin = false): Principal => ({
  kind: 'staff',
  accountId: 1,
  superAdmin,
  roles: new Map(Object.entries(roles).map(([code, list]) => [code, new Set(list)])),
});
const allActions = Object.keys(ACTIONS) as Action[];

describe('decide', () => {
  it('lets anyone through a public action, and nobody without a session through any other', () => {
    for (const action of allActions)
      expect(decide(undefined, action, '131016'), action).toBe(scopeOf(action) === 'public' ? 'allow' : 'not-signed-in');
  });

  it('answers a municipality the principal does not work for as not found, whatever the action', () => {
    const principal = member({ '131016': [...ROLES] });
    for (const action of allActions.filter((a) => scopeOf(a) === 'municipality')) {
      expect(decide(principal, action, '011002'), action).toBe('not-found');
      expect(decide(principal, action, undefined), action).toBe('not-found');
    }
  });

  it('allows in a municipality exactly what the roles list, and forbids the rest', () => {
    for (const role of ROLES) {
      const principal = member({ '131016': [role] });
      for (const action of allActions.filter((a) => scopeOf(a) === 'municipality')) {
        const expected = (ROLE_ACTIONS[role] as readonly Action[]).includes(action) ? 'allow' : 'forbidden';
        expect(decide(principal, action, '131016'), `${role} ${action}`).toBe(expected);
      }
    }
  });

  it('gives viewers and operators no change of accounts or settings, and administrators all of them', () => {
    const changes: Action[] = ['settings.update', 'municipality.update', 'accounts.manage'];
    for (const role of ['viewer', 'operator', 'venue', 'staff'] as const) {
      for (const action of changes) expect(decide(member({ '131016': [role] }), action, '131016'), `${role} ${action}`).toBe('forbidden');
    }
    for (const action of changes) expect(decide(member({ '131016': ['administrator'] }), action, '131016')).toBe('allow');
  });

  it('keeps deployment-wide actions to super-administrators, who may do everything everywhere', () => {
    const admin = member({ '131016': ['administrator'] });
    const root = member({}, true);
    for (const action of allActions) {
      if (scopeOf(action) === 'deployment') expect(decide(admin, action, undefined), action).toBe('forbidden');
      expect(decide(root, action, '472018'), action).toBe('allow');
    }
  });

  it('lists what a member may do where they work, so pages need no role table of their own', () => {
    expect(actionsIn(member({ '131016': ['viewer', 'operator'] }), '131016').sort()).toEqual(
      [...new Set([...ROLE_ACTIONS.viewer, ...ROLE_ACTIONS.operator])].sort(),
    );
    expect(actionsIn(member({ '131016': ['viewer'] }), '011002')).toEqual([]);
  });
});

describe('registerAccessPolicy', () => {
  it('refuses to start a server with a staff route that declares no action', async () => {
    const app = Fastify();
    registerAccessPolicy(app, { authenticate: async () => undefined });
    expect(() => app.get('/api/v1/staff/forgotten', async () => ({}))).toThrow(/must declare config\.action/);
  });

  it('refuses an action whose scope does not fit the path', async () => {
    const app = Fastify();
    registerAccessPolicy(app, { authenticate: async () => undefined });
    expect(() => app.get('/api/v1/staff/settings', { config: { action: 'settings.view' } }, async () => ({}))).toThrow(
      /must name :municipalityCode/,
    );
  });

  it('leaves routes outside /api/v1/staff alone', async () => {
    const app = Fastify();
    registerAccessPolicy(app, { authenticate: async () => undefined });
    app.get('/api/v1/staffing', async () => ({ ok: true }));
    expect((await app.inject({ method: 'GET', url: '/api/v1/staffing' })).statusCode).toBe(200);
    await app.close();
  });
});
