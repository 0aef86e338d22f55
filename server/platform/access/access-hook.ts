import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler, RouteOptions } from 'fastify';
import { AppError } from '../errors.js';
import { safeEqual } from '../secrets.js';
import { CSRF_HEADER, needsCsrf } from '../session.js';
import { isAction, scopeOf, type Action } from './actions.js';
import { decide, type Principal } from './policy.js';

/** Every staff route lives here; the cookie is scoped to it. */
export const STAFF_PREFIX = '/api/v1/staff';
export const STAFF_SESSION_COOKIE = 'yoyaku_staff';
const MUNICIPALITY_PARAM = 'municipalityCode';

/** A request's staff session, once the access hook has accepted it. */
export interface StaffContext {
  principal: Principal;
  /** The session's CSRF token (sent back in x-csrf-token on every change). */
  csrfToken: string;
  /** Identifies the session to end it (sign out); never the cookie's value. */
  sessionKey: string;
  /** The session's absolute end (its idle end moves with every request). */
  expiresAt: Date;
}

export interface StaffAuthenticator {
  /** The live session the cookie names (and notes that it was used now), or undefined. */
  authenticate(cookie: string | undefined): Promise<StaffContext | undefined>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What a staff route does (server/platform/access/actions.ts); required under /api/v1/staff. */
    action?: Action;
  }
}

const contexts = new WeakMap<FastifyRequest, StaffContext>();

/** The staff context the access hook accepted for this request; only in routes that need a session. */
export function staffOf(request: FastifyRequest): StaffContext {
  const context = contexts.get(request);
  if (!context) throw new AppError('not-signed-in');
  return context;
}

/**
 * The one access policy, applied to every route under /api/v1/staff whoever registers it: a route
 * without a declared action is refused when it is registered (the server does not start), and each
 * request is decided in onRequest, before its body is read or validated, so a caller who may not
 * act learns nothing from validation errors either. Call before any route is registered.
 */
export function registerAccessPolicy(server: FastifyInstance, authenticator: StaffAuthenticator): void {
  server.addHook('onRoute', (route: RouteOptions) => {
    if (route.url !== STAFF_PREFIX && !route.url.startsWith(`${STAFF_PREFIX}/`)) return;
    const action = route.config?.action;
    const label = `${String(route.method)} ${route.url}`;
    if (!isAction(action)) throw new Error(`${label}: a staff route must declare config.action (server/platform/access/actions.ts)`);
    const inMunicipality = route.url.includes(`/:${MUNICIPALITY_PARAM}`);
    if ((scopeOf(action) === 'municipality') !== inMunicipality) {
      throw new Error(
        `${label}: the action ${action} is ${scopeOf(action)}-wide, so the path must ${inMunicipality ? 'not ' : ''}name :${MUNICIPALITY_PARAM}`,
      );
    }
    const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [accessCheck(action, authenticator), ...existing];
  });
}

function accessCheck(action: Action, authenticator: StaffAuthenticator): onRequestAsyncHookHandler {
  const scope = scopeOf(action);
  return async (request) => {
    if (scope === 'public') return;
    const context = await authenticator.authenticate(request.cookies[STAFF_SESSION_COOKIE]);
    if (!context) throw new AppError('not-signed-in');
    if (needsCsrf(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, context.csrfToken)) throw new AppError('csrf-failed');
    }
    const code = scope === 'municipality' ? (request.params as Record<string, string | undefined>)[MUNICIPALITY_PARAM] : undefined;
    const decision = decide(context.principal, action, code);
    if (decision === 'not-found') throw new AppError('municipality-not-found');
    if (decision !== 'allow') throw new AppError(decision === 'forbidden' ? 'forbidden' : 'not-signed-in');
    contexts.set(request, context);
  };
}
