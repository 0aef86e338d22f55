import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { Config, TrustProxy } from './config.js';
import type { Db } from './db/database.js';
import { auditRoutes, createAuditLog, createAuditService } from './modules/audit/index.js';
import { authRoutes, createSignInService, defaultSignInPolicy, type SignInService } from './modules/auth/index.js';
import { createDashboard, type Dashboard, type RoomStats } from './modules/dashboard/index.js';
import {
  callCentreRoutes,
  createCallCentreRepository,
  createCallCentreService,
  DEFAULT_POSTCARD_FONT,
} from './modules/call-centre/index.js';
import { checkInRoutes, createCheckInRepository, createCheckInService } from './modules/check-in/index.js';
import { createMunicipalitiesRepository, createMunicipalitiesService, staffMunicipalitiesRoutes } from './modules/municipalities/index.js';
import {
  createNotifications,
  createNotificationsStaff,
  createPreferencesService,
  notificationsMeRoutes,
  notificationsStaffRoutes,
  providersFromConfig,
  type EmailProvider,
  type Notifications,
  type SmsSender,
} from './modules/notifications/index.js';
import {
  bookTogetherRoutes,
  createBookTogether,
  createReservationsService,
  reservationsRoutes,
  type ReservationsService,
} from './modules/reservations/index.js';
import { createFamilyService, createIdentityProof, createResidentsRepository, meRoutes } from './modules/residents/index.js';
import { createStaff, type Staff } from './modules/staff/index.js';
import { createReports, reportsRoutes } from './modules/reports/index.js';
import { createResidentImport, residentImportRoutes, type ResidentImport } from './modules/resident-import/index.js';
import {
  createScheduleDay,
  createScheduleRepository,
  createSlotClosing,
  createTemplates,
  createVenueAdmin,
  scheduleRoutes,
} from './modules/schedule/index.js';
import {
  createPhoneShare,
  createSlotCapacity,
  createVenuesRepository,
  createVenuesService,
  staffSlotsRoutes,
  venuesRoutes,
} from './modules/venues/index.js';
import { isQueueOf, waitingRoomOffRoutes } from './modules/waiting-room/index.js';
import { registerAccessPolicy } from './platform/access/index.js';
import { alwaysOpenGate, type AdmissionGate } from './platform/admission.js';
import type { Clock } from './platform/clock.js';
import { createInProcessEventBus, type EventBus } from './platform/event-bus.js';
import { refuseNonFiniteNumbers } from './platform/finite-numbers.js';
import { createFailedJobsService, failedJobsRoutes, type JobQueue } from './platform/jobs/index.js';
import { openApiOptions } from './platform/openapi.js';
import { answerFrameworkError, registerProblemHandler, sendProblem } from './platform/problem-handler.js';
import { buildRequestValidators } from './platform/request-validation.js';
import { createAttemptGuard } from './platform/rate-limit/attempt-guard.js';
import type { RateLimitStore } from './platform/rate-limit/rate-limiter.js';
import { ProblemSchema } from './platform/schemas.js';
import { hmac } from './platform/secrets.js';
import { lazyChildLogger } from './platform/lazy-child-logger.js';
import { registerRequestLog } from './platform/logger-requests.js';
import { registerSecurityHeaders, swaggerUiCsp } from './platform/security-headers.js';
import { createSessionCodec, createSessionGuard } from './platform/session.js';
import { createSessionRevocations, type SessionRevocations } from './platform/session-revocations.js';
import { createSessionRevocationsRepository } from './platform/session-revocations.repository.js';

export interface AppDeps {
  config: Config;
  db: Db;
  clock: Clock;
  logger: Logger;
  rateLimits: RateLimitStore;
  signingKey: Buffer;
  sms: SmsSender;
  /** The configured e-mail provider (EMAIL_PROVIDER) when absent; null for none. */
  email?: EmailProvider | null;
  /**
   * Messages between server processes (openEventBus: PostgreSQL's LISTEN/NOTIFY); in-process when
   * absent, which is right for the embedded database and one process.
   */
  events?: EventBus;
  /** The waiting room's checkpoint; open when no waiting room is configured. */
  admission?: AdmissionGate;
  /** The waiting room's queues for the dashboard (its service's stats); a room that is off when absent. */
  roomStats?: () => Promise<RoomStats>;
  /** How often the dashboard reads the ledger for news (ms); 1 s when absent. */
  dashboardPollMs?: number;
  /**
   * Answers some requests before Fastify routes them (the waiting room's status polls); returns
   * false for the rest, which Fastify then handles as usual.
   */
  beforeRouting?: (request: IncomingMessage, response: ServerResponse) => boolean;
  /** Extra route plugins mounted under /api/v1 (e.g. the waiting room's). */
  plugins?: FastifyPluginAsync[];
  /** Folder with the built web app; served when it exists. */
  webRoot?: string;
  /**
   * The job queue, before it starts: the app registers its jobs (resident imports) and sends them.
   * Without one (tests of other things), an import that is started stays queued.
   */
  jobs?: JobQueue;
}

export interface App {
  server: FastifyInstance;
  reservations: ReservationsService;
  signIn: SignInService;
  revocations: SessionRevocations;
  staff: Staff;
  residentImport: ResidentImport;
  notifications: Notifications;
  dashboard: Dashboard;
}

const SESSION_TTL_SECONDS = 60 * 60;
/** The staff app is a build of its own (vite.admin.config.ts) in the web app's admin/ folder. */
const STAFF_APP_INDEX = path.join('admin', 'index.html');

/** The HTTP server Fastify would make, with `first` given each request before Fastify is. */
function serverWith(first: (request: IncomingMessage, response: ServerResponse) => boolean) {
  return (handler: (request: IncomingMessage, response: ServerResponse) => void) =>
    createServer((request, response) => {
      if (!first(request, response)) handler(request, response);
    });
}

/** Builds the HTTP application from its dependencies; main.ts and the tests both use it. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const { config, db, clock } = deps;
  const server = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // One sampled line per request instead (platform/logger-requests.ts).
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyChildLogger,
    ...(deps.beforeRouting ? { serverFactory: serverWith(deps.beforeRouting) } : {}),
    trustProxy: fastifyTrustProxy(config.trustProxy),
    bodyLimit: 16 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true }, plugins: [refuseNonFiniteNumbers] },
    schemaController: { compilersFactory: { buildValidator: buildRequestValidators } },
    frameworkErrors: (error, request, reply) => void answerFrameworkError(error, request, reply),
  }).withTypeProvider<TypeBoxTypeProvider>();

  const events = deps.events ?? createInProcessEventBus(deps.logger);
  const municipalities = createMunicipalitiesRepository(db, clock, events);
  const residents = createResidentsRepository(db);
  const venuesRepository = createVenuesRepository(db);
  const attempts = createAttemptGuard(deps.rateLimits, config.limits.windowSeconds);
  const identity = createIdentityProof({ residents, attempts, limits: config.limits });
  const audit = createAuditLog(db);
  const codec = createSessionCodec(deps.signingKey, SESSION_TTL_SECONDS);
  const revocations = createSessionRevocations({
    repository: createSessionRevocationsRepository(db),
    events,
    clock,
    logger: deps.logger,
    realm: 'resident',
    sessionTtlSeconds: SESSION_TTL_SECONDS,
  });
  await revocations.start();
  server.addHook('onClose', () => revocations.stop());
  const sessions = createSessionGuard({ codec, revocations, now: () => clock.now(), secureCookies: config.secureCookies });
  const admission = deps.admission ?? alwaysOpenGate;
  const notifications = createNotifications({
    db,
    clock,
    logger: deps.logger,
    providers: {
      sms: deps.sms,
      email: deps.email === undefined ? providersFromConfig(config, deps.logger, deps.sms).email : (deps.email ?? undefined),
    },
    publicUrl: config.publicUrl,
    purgeAfterDays: config.notifications.purgeAfterDays,
  });
  // The messages of the last changes are written before the database goes.
  server.addHook('onClose', () => notifications.idle());
  const signIn = createSignInService({
    db,
    clock,
    signingKey: deps.signingKey,
    codes: notifications,
    residents,
    municipalities,
    identity,
    attempts,
    policy: defaultSignInPolicy,
    textsPerAddress: config.limits.smsPerIp,
  });
  const reservations = createReservationsService({
    db,
    clock,
    municipalities,
    venues: venuesRepository,
    residents,
    notifier: notifications.bookingNotifier,
  });
  const bookTogether = createBookTogether({ db, clock, municipalities, residents, notifier: notifications.bookingNotifier });
  const family = createFamilyService({
    db,
    residents,
    municipalities,
    identity,
    failuresPerAccount: config.limits.signInFailuresPerVoucher,
    audit,
  });
  const postcardFont = config.postcardFont ?? DEFAULT_POSTCARD_FONT;
  if (!fs.existsSync(postcardFont)) {
    deps.logger.warn(
      { postcardFont },
      'the call centre’s postcards need a Japanese font: reinstall the npm packages or set POSTCARD_FONT (postcards answer 503 until then)',
    );
  }
  const venues = createVenuesService({ venues: venuesRepository, municipalities, clock });
  const callCentre = createCallCentreService({
    db,
    repository: createCallCentreRepository(db),
    reservations,
    venues,
    municipalities,
    attempts,
    audit,
    limits: { lookupsPerAccount: config.limits.operatorLookupsPerAccount, changesPerAccount: config.limits.operatorChangesPerAccount },
    postcardFont,
    publicUrl: config.publicUrl,
  });
  const scheduleRepository = createScheduleRepository(db);
  const scheduleDay = createScheduleDay({ db, audit, repository: scheduleRepository, municipalities });
  const schedule = {
    venues: createVenueAdmin({ db, clock, audit, repository: scheduleRepository, municipalities }),
    templates: createTemplates({ db, audit, repository: scheduleRepository, municipalities }),
    day: scheduleDay,
    closing: createSlotClosing({
      db,
      clock,
      audit,
      repository: scheduleRepository,
      day: scheduleDay,
      reservations,
      notices: notifications.slotNotices,
    }),
  };
  const municipalityAdmin = createMunicipalitiesService({ db, municipalities, audit });
  const staff = createStaff({
    db,
    clock,
    signingKey: deps.signingKey,
    attempts,
    audit,
    publicUrl: config.publicUrl,
    secureCookies: config.secureCookies,
    limits: { failuresPerAccount: config.limits.staffSignInFailuresPerAccount, failuresPerIp: config.limits.staffSignInFailuresPerIp },
    municipalityExists: async (code) => (await municipalities.record(code)) !== undefined,
    listMunicipalities: () => municipalities.list(),
  });
  const residentImport = createResidentImport({
    db,
    clock,
    audit,
    municipalities,
    send: deps.jobs ? (job, payload, tx) => deps.jobs!.send(job, payload, { tx }) : undefined,
  });
  deps.jobs?.register(residentImport.job);
  // The language of a staff member's downloads (lists, reports).
  const staffLanguage = async (accountId: number) =>
    (await db.selectFrom('staff_accounts').select('language').where('id', '=', accountId).executeTakeFirst())?.language ?? 'ja';

  const dashboard = createDashboard({
    db,
    clock,
    events,
    logger: deps.logger,
    municipalities,
    roomStats: deps.roomStats ?? (async () => ({ mode: 'off', active: false, paused: false, queues: [] })),
    isQueueOf,
    pollMs: deps.dashboardPollMs,
  });
  // Only processes that answer HTTP read the ledger for the dashboard; a worker has no streams.
  if (config.role !== 'worker') await dashboard.start();
  // Before Fastify waits for requests in flight: an open stream is one and would never end.
  server.addHook('preClose', async () => dashboard.stop());

  // Before any route: every route under /api/v1/staff must declare its action, and is decided here.
  registerAccessPolicy(server, staff.authenticator);

  registerRequestLog(server, { every: config.logRequestsEvery });
  registerSecurityHeaders(server);
  await server.register(fastifyCookie);
  await server.register(fastifySwagger, openApiOptions);
  server.addSchema(ProblemSchema);
  // No validator badge: it would send our document's address to validator.swagger.io.
  await server.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: swaggerUiCsp, uiConfig: { validatorUrl: null } });
  registerProblemHandler(server);

  server.get('/api/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  await server.register(
    async (api) => {
      // Extra plugins first, so that hooks they share with /api/v1 (the waiting room's) see every route.
      for (const plugin of deps.plugins ?? []) await api.register(plugin);
      if (!deps.admission) {
        // No waiting room configured: its routes still answer (and are documented), as a room that is off.
        await api.register(waitingRoomOffRoutes({ audit, secureCookies: config.secureCookies }));
      }
      await api.register(staff.routes);
      await api.register(staffMunicipalitiesRoutes({ municipalities: municipalityAdmin, waitingRoomMode: config.waitingRoom.mode }));
      await api.register(auditRoutes({ audit: createAuditService({ db, audit }) }));
      await api.register(failedJobsRoutes({ failedJobs: createFailedJobsService(db) }));
      await api.register(
        residentImportRoutes({ imports: residentImport.service, maxBytes: config.importMaxBytes, languageOf: staffLanguage }),
      );
      await api.register(reportsRoutes({ reports: createReports({ db, clock, audit, municipalities }), languageOf: staffLanguage }));
      await api.register(dashboard.routes);
      await api.register(callCentreRoutes({ callCentre }));
      await api.register(
        checkInRoutes({
          checkIn: createCheckInService({ db, repository: createCheckInRepository(db), municipalities, audit, clock }),
        }),
      );
      await api.register(authRoutes({ signIn, sessions, codec, clock, admission }));
      await api.register(meRoutes({ family, sessions }));
      await api.register(notificationsMeRoutes({ preferences: createPreferencesService(db), sessions }));
      await api.register(
        notificationsStaffRoutes({
          staff: createNotificationsStaff({ db, audit, pricePerSegmentYen: config.notifications.pricePerSegmentYen }),
        }),
      );
      await api.register(venuesRoutes({ venues }));
      await api.register(
        staffSlotsRoutes({ capacity: createSlotCapacity({ db, audit }), phoneShare: createPhoneShare({ db, audit, clock }) }),
      );
      await api.register(scheduleRoutes(schedule));
      await api.register(
        reservationsRoutes({
          reservations,
          sessions,
          admission,
          attempts,
          lookupsPerIp: config.limits.lookupsPerIp,
          lookupFailuresPerNumber: config.limits.signInFailuresPerVoucher,
          wrongNumbersPerAccount: config.limits.signInFailuresPerVoucher,
          audit,
          callerId: (ip) => hmac(deps.signingKey, 'caller', ip).slice(0, 16),
        }),
      );
      await api.register(bookTogetherRoutes({ bookTogether, sessions, admission }));
    },
    { prefix: '/api/v1' },
  );

  const hasWebApp = deps.webRoot !== undefined && fs.existsSync(path.join(deps.webRoot, 'index.html'));
  const hasStaffApp = hasWebApp && fs.existsSync(path.join(deps.webRoot!, STAFF_APP_INDEX));
  if (hasWebApp) await serveWebApp(server, deps.webRoot!);
  // One not-found handler: pages of the single-page apps get their index.html (the staff app's
  // under /admin, the residents' everywhere else), everything else a problem.
  server.setNotFoundHandler((request, reply) => {
    // A missing file (/assets/old-hash.js) is a 404, never the page in its place.
    const isPagePath = !request.url.startsWith('/api/') && !/\.[a-z0-9]+(\?|$)/i.test(request.url);
    if (hasWebApp && request.method === 'GET' && isPagePath) {
      const isStaffPage = /^\/admin(\/|\?|$)/.test(request.url);
      if (isStaffPage && !hasStaffApp) return sendProblem(request, reply, 'not-found');
      return reply.header('cache-control', 'no-cache').sendFile(isStaffPage ? STAFF_APP_INDEX : 'index.html');
    }
    return sendProblem(request, reply, 'not-found');
  });

  return { server, reservations, signIn, revocations, staff, residentImport, notifications, dashboard };
}

/**
 * Fastify reads X-Forwarded-For from the right and stops at the first hop it does not trust. It
 * ignores a bare hop count (since 5.12 a number trusts nobody, as it cannot check the peer), so
 * TRUST_PROXY=N is a function here: it suits servers only the proxies can reach (README).
 */
function fastifyTrustProxy(trust: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (trust === false) return false;
  if ('hops' in trust) return (_address, hop) => hop < trust.hops;
  return [...trust.addresses];
}

/**
 * The single-page app's files: hashed assets cached for a year, the rest revalidated; the .br or
 * .gz the build writes beside a file is sent instead when the browser accepts it.
 */
async function serveWebApp(server: FastifyInstance, root: string): Promise<void> {
  await server.register(fastifyStatic, {
    root,
    wildcard: false,
    preCompressed: true,
    setHeaders: (res, file) => {
      const immutable = file.includes(`${path.sep}assets${path.sep}`);
      res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.setHeader('vary', 'accept-encoding');
    },
  });
}
