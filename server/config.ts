import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * Everything the server reads from its environment, parsed and checked once at start.
 * A bad value stops the server with a message naming the variable and the reason,
 * rather than failing later in the middle of a request.
 */
export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  /**
   * Where people reach this deployment (scheme, host, optional path; no trailing slash): the
   * links in e-mails and in create-admin's output start with it.
   */
  readonly publicUrl: string;
  /** The Japanese font the call centre's postcards embed (POSTCARD_FONT); unset: the npm package's Noto Sans JP. */
  readonly postcardFont: string | undefined;
  readonly dataDir: string;
  /** postgres://… switches from the embedded PGlite to a real PostgreSQL. */
  readonly databaseUrl: string | undefined;
  /** Lets tests and benchmarks keep their tables apart from the application's. */
  readonly databaseSchema: string;
  readonly databasePoolMax: number;
  readonly redisUrl: string | undefined;
  /** HMAC key for session cookies and SMS-code hashes; persisted under dataDir when not given. */
  readonly sessionSecret: string | undefined;
  readonly smsProvider: SmsProviderConfig['provider'];
  /** SMS and e-mail providers, prices and reminder timing (server/modules/notifications, docs/notifications.md). */
  readonly notifications: NotificationsConfig;
  /** Seed the demo municipality when the database is empty. */
  readonly demo: boolean;
  /** Served behind TLS (directly or by a proxy): cookies get the Secure flag. */
  readonly secureCookies: boolean;
  /**
   * Who may tell us the client's address (X-Forwarded-For) and protocol: nobody, the nearest N
   * proxies, or the proxies at these addresses / CIDR ranges.
   */
  readonly trustProxy: TrustProxy;
  readonly logLevel: LogLevel;
  /** One request in this many is logged (0: none); failures and slow requests always are. */
  readonly logRequestsEvery: number;
  /**
   * What this process does: `api` serves HTTP and sends jobs, `worker` runs jobs, `all` both
   * (the default, and the only choice on the embedded database, which serves one process).
   */
  readonly role: Role;
  readonly jobs: JobsConfig;
  readonly waitingRoom: WaitingRoomConfig;
  /** The largest resident file staff may upload (IMPORT_MAX_MB; it is kept in the database until imported). */
  readonly importMaxBytes: number;
  readonly limits: {
    readonly signInFailuresPerVoucher: number;
    readonly signInFailuresPerIp: number;
    readonly lookupsPerIp: number;
    readonly smsPerIp: number;
    readonly windowSeconds: number;
    /** Wrong staff sign-ins (any factor) per account, and per address, per window. */
    readonly staffSignInFailuresPerAccount: number;
    readonly staffSignInFailuresPerIp: number;
    /** The call centre's own limits, per operator account per window (operators are not held to the residents' lock-outs). */
    readonly operatorLookupsPerAccount: number;
    readonly operatorChangesPerAccount: number;
  };
}

export type TrustProxy = false | { readonly hops: number } | { readonly addresses: readonly string[] };

/** pino's levels: any other value makes pino throw when the logger is created. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const ROLES = ['api', 'worker', 'all'] as const;
export type Role = (typeof ROLES)[number];

export type SmsProviderConfig =
  | { readonly provider: 'outbox' }
  | {
      readonly provider: 'twilio';
      readonly accountSid: string;
      readonly authToken: string;
      readonly from: string | undefined;
      readonly messagingServiceSid: string | undefined;
      readonly apiUrl: string;
      /** PEM read from SMS_PROVIDER_CA_FILE (all three HTTPS providers). */
      readonly ca: string | undefined;
    }
  | {
      readonly provider: 'sns';
      readonly region: string;
      readonly endpoint: string | undefined;
      readonly senderId: string | undefined;
      readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
      readonly ca: string | undefined;
    }
  | { readonly provider: 'webhook'; readonly url: string; readonly secret: string; readonly ca: string | undefined };

export type EmailProviderConfig =
  | { readonly provider: 'none' }
  | { readonly provider: 'outbox' }
  | {
      readonly provider: 'smtp';
      readonly host: string;
      readonly port: number;
      readonly secure: boolean;
      readonly user: string | undefined;
      readonly password: string | undefined;
      readonly from: string;
      /** PEM read from SMTP_CA_FILE. */
      readonly ca: string | undefined;
    };

export interface NotificationsConfig {
  readonly sms: SmsProviderConfig;
  readonly email: EmailProviderConfig;
  /** Yen per SMS segment, for the staff cost figures. */
  readonly pricePerSegmentYen: number;
  /** How long one call to a provider may take. */
  readonly providerTimeoutMs: number;
  /** Days after which sent and failed messages lose their recipient and text (counts and segments stay). */
  readonly purgeAfterDays: number;
}

/** Background jobs (server/platform/jobs, docs/adr/0005). */
export interface JobsConfig {
  /** pg-boss's own schema. */
  readonly schema: string;
  /** pg-boss's PostgreSQL connections per process (beside DATABASE_POOL_MAX). */
  readonly poolMax: number;
  /** How often an idle worker asks for work. */
  readonly pollMs: number;
  /** How often jobs whose worker died (running past their expiry) are found and retried. */
  readonly maintenanceSeconds: number;
  /** How often cron schedules are looked at (a scheduled job starts at most this late). */
  readonly cronCheckSeconds: number;
  /** How long a stopping worker lets running jobs finish before giving them back. */
  readonly stopGraceSeconds: number;
}

/** The waiting room in front of booking (server/modules/waiting-room, docs/waiting-room.md). */
export interface WaitingRoomConfig {
  /** off | always | scheduled (around the openings in municipalities' plans) | auto (when booking is busy). */
  readonly mode: 'off' | 'always' | 'scheduled' | 'auto';
  readonly ratePerMinute: number;
  readonly minRatePerMinute: number;
  readonly maxRatePerMinute: number;
  readonly autoTune: boolean;
  readonly graceSeconds: number;
  readonly admissionMinutes: number;
  readonly ticketHours: number;
  readonly leadMinutes: number;
  readonly latencyTargetMs: number;
  /** Key prefix in Redis, so that several environments (or test runs) can share one Redis. */
  readonly redisPrefix: string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return raw;
}

/** http(s)://host[:port][/path], without query, fragment or trailing slash; localhost and PORT by default. */
function publicUrl(env: Env, port: number): string {
  const raw = env.PUBLIC_URL;
  if (raw === undefined || raw === '') return `http://localhost:${port}`;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError('PUBLIC_URL', `is not a valid URL, got "${raw}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new ConfigError('PUBLIC_URL', 'must start with http:// or https://');
  if (parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw new ConfigError('PUBLIC_URL', 'must be scheme, host and path only (no query, fragment or credentials)');
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

function logLevel(env: Env, fallback: LogLevel): LogLevel {
  const raw = env.LOG_LEVEL;
  if (raw === undefined || raw === '') return fallback;
  const level = raw.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  }
  return level as LogLevel;
}

/** An IPv4 or IPv6 address or a DNS name, as net.Server#listen takes it (no scheme, no port). */
function host(env: Env, fallback: string): string {
  const raw = env.HOST;
  if (raw === undefined || raw === '') return fallback;
  // [::1] is how people write IPv6 in URLs; listen() wants it bare.
  const value = /^\[.*\]$/.test(raw) ? raw.slice(1, -1) : raw;
  if (net.isIP(value) !== 0) return value;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) throw new ConfigError('HOST', `must be an address or host name without a scheme, got "${raw}"`);
  if (/:\d+$/.test(raw)) throw new ConfigError('HOST', `must not include a port (set PORT), got "${raw}"`);
  const labels = value.replace(/\.$/, '').split('.');
  const plausible =
    value.length <= 253 &&
    labels.every((label) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(label)) &&
    // A name whose last label is all digits is a mistyped IPv4 address (999.1.1.1, 10.0.0), not a host name.
    !/^\d+$/.test(labels.at(-1)!);
  if (!plausible) throw new ConfigError('HOST', `must be an IP address or a host name, got "${raw}"`);
  return value;
}

/** proxy-addr's names for the private ranges, accepted beside addresses and CIDRs. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function proxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.includes(entry)) return true;
  const [address, prefix, extra] = entry.split('/');
  const family = net.isIP(address ?? '');
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * `true` (trust every hop) is refused: X-Forwarded-For is written by the client first, so
 * trusting all of it lets anyone choose the address their rate limits are counted under.
 */
function trustProxy(env: Env): TrustProxy {
  const raw = (env.TRUST_PROXY ?? '').trim();
  if (raw === '' || ['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  if (['true', 'yes', 'on'].includes(raw.toLowerCase())) {
    throw new ConfigError(
      'TRUST_PROXY',
      `must not be "${raw}": trusting every X-Forwarded-For entry lets a client pick its own address (and escape rate limits). ` +
        'Write the number of proxies in front of the server (TRUST_PROXY=1 for one load balancer) or their addresses (TRUST_PROXY=10.0.0.0/8,127.0.0.1)',
    );
  }
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 20) throw new ConfigError('TRUST_PROXY', `must be at most 20 proxies, got ${hops}`);
    return Object.freeze({ hops });
  }
  const addresses = raw.split(',').map((entry) => entry.trim());
  const bad = addresses.find((entry) => !proxyAddress(entry));
  if (bad !== undefined) {
    throw new ConfigError(
      'TRUST_PROXY',
      `must be false, a number of proxies, or comma-separated proxy addresses or CIDRs; "${bad}" is none of these`,
    );
  }
  return Object.freeze({ addresses: Object.freeze(addresses) });
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = env.NODE_ENV || 'development';
  if (nodeEnv !== 'development' && nodeEnv !== 'production' && nodeEnv !== 'test') {
    throw new ConfigError('NODE_ENV', `must be development, production or test, got "${nodeEnv}"`);
  }
  const sessionSecret = env.SESSION_SECRET || undefined;
  if (sessionSecret !== undefined && sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET', 'must be at least 32 characters');
  }
  if (nodeEnv === 'production' && sessionSecret === undefined) {
    throw new ConfigError('SESSION_SECRET', 'must be set in production so that every server process signs sessions alike');
  }
  // Demo residents have published vouchers and birth dates: anyone could sign in as them.
  if (nodeEnv === 'production' && flag(env, 'DEMO', false)) {
    throw new ConfigError('DEMO', "cannot be on with NODE_ENV=production: the demo residents' vouchers and birth dates are public");
  }
  const notifications = notificationsConfig(env, nodeEnv === 'production');
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const schema = env.DATABASE_SCHEMA || 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new ConfigError('DATABASE_SCHEMA', 'must be a lower-case SQL identifier');
  }
  return Object.freeze({
    env: nodeEnv,
    host: host(env, '127.0.0.1'),
    port,
    publicUrl: publicUrl(env, port),
    postcardFont: env.POSTCARD_FONT?.trim() || undefined,
    dataDir: path.resolve(env.DATA_DIR || './data'),
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    databaseSchema: schema,
    databasePoolMax: integer(env, 'DATABASE_POOL_MAX', 20, 1, 500),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    sessionSecret,
    smsProvider: notifications.sms.provider,
    notifications,
    demo: flag(env, 'DEMO', nodeEnv === 'development'),
    secureCookies: flag(env, 'SECURE_COOKIES', nodeEnv === 'production'),
    trustProxy: trustProxy(env),
    logLevel: logLevel(env, nodeEnv === 'test' ? 'silent' : 'info'),
    logRequestsEvery: integer(env, 'LOG_REQUESTS_EVERY', 100, 0, 1_000_000),
    role: role(env),
    jobs: jobsConfig(env, schema),
    waitingRoom: waitingRoomConfig(env),
    importMaxBytes: integer(env, 'IMPORT_MAX_MB', 100, 1, 1024) * 1024 * 1024,
    limits: Object.freeze({
      signInFailuresPerVoucher: integer(env, 'LIMIT_SIGNIN_FAILURES_PER_VOUCHER', 5, 1, 1000),
      signInFailuresPerIp: integer(env, 'LIMIT_SIGNIN_FAILURES_PER_IP', 30, 1, 1_000_000),
      lookupsPerIp: integer(env, 'LIMIT_LOOKUPS_PER_IP', 30, 1, 1_000_000),
      smsPerIp: integer(env, 'LIMIT_SMS_PER_IP', 10, 1, 1_000_000),
      windowSeconds: integer(env, 'LIMIT_WINDOW_SECONDS', 900, 1, 86_400),
      staffSignInFailuresPerAccount: integer(env, 'LIMIT_STAFF_SIGNIN_FAILURES_PER_ACCOUNT', 5, 1, 1000),
      staffSignInFailuresPerIp: integer(env, 'LIMIT_STAFF_SIGNIN_FAILURES_PER_IP', 20, 1, 1_000_000),
      operatorLookupsPerAccount: integer(env, 'LIMIT_OPERATOR_LOOKUPS_PER_ACCOUNT', 600, 1, 1_000_000),
      operatorChangesPerAccount: integer(env, 'LIMIT_OPERATOR_CHANGES_PER_ACCOUNT', 300, 1, 1_000_000),
    }),
  });
}

function role(env: Env): Role {
  const raw = env.ROLE || 'all';
  if (!(ROLES as readonly string[]).includes(raw)) throw new ConfigError('ROLE', `must be api, worker or all, got "${raw}"`);
  if (raw !== 'all' && !env.DATABASE_URL) {
    throw new ConfigError(
      'ROLE',
      `cannot be "${raw}" on the embedded database: PGlite serves one process, which must then do everything (ROLE=all). ` +
        'Set DATABASE_URL to run api and worker processes apart',
    );
  }
  return raw as Role;
}

function jobsConfig(env: Env, databaseSchema: string): JobsConfig {
  // pg-boss takes schema names of at most 50 characters.
  const fallback = databaseSchema === 'public' ? 'pgboss' : `${databaseSchema}_pgboss`;
  const schema = env.JOBS_SCHEMA || fallback;
  if (!/^[a-z_][a-z0-9_]{0,49}$/.test(schema)) {
    throw new ConfigError(
      env.JOBS_SCHEMA ? 'JOBS_SCHEMA' : 'DATABASE_SCHEMA',
      env.JOBS_SCHEMA
        ? 'must be a lower-case SQL identifier of at most 50 characters'
        : `makes the job schema "${schema}", longer than pg-boss's 50 characters: set JOBS_SCHEMA`,
    );
  }
  if (schema === databaseSchema)
    throw new ConfigError('JOBS_SCHEMA', "must differ from DATABASE_SCHEMA: pg-boss's tables live apart from ours");
  return Object.freeze({
    schema,
    poolMax: integer(env, 'JOBS_POOL_MAX', 4, 1, 100),
    pollMs: integer(env, 'JOBS_POLL_MS', 2000, 500, 60_000),
    maintenanceSeconds: integer(env, 'JOBS_MAINTENANCE_SECONDS', 60, 1, 3600),
    cronCheckSeconds: integer(env, 'JOBS_CRON_CHECK_SECONDS', 30, 1, 45),
    stopGraceSeconds: integer(env, 'JOBS_STOP_GRACE_SECONDS', 20, 0, 3600),
  });
}

function waitingRoomConfig(env: Env): WaitingRoomConfig {
  const mode = env.WAITING_ROOM || 'off';
  if (mode !== 'off' && mode !== 'always' && mode !== 'scheduled' && mode !== 'auto') {
    throw new ConfigError('WAITING_ROOM', `must be off, always, scheduled or auto, got "${mode}"`);
  }
  // The shared operators' token is gone (staff accounts replaced it): say so rather than ignore it.
  if (env.WAITING_ROOM_ADMIN_TOKEN) {
    throw new ConfigError(
      'WAITING_ROOM_ADMIN_TOKEN',
      'is no longer used: the waiting-room controls are under /api/v1/staff for staff accounts (npm run create-admin makes the first one); remove the variable',
    );
  }
  const minRate = integer(env, 'WAITING_ROOM_MIN_RATE_PER_MINUTE', 60, 1, 1_000_000);
  const maxRate = integer(env, 'WAITING_ROOM_MAX_RATE_PER_MINUTE', 6000, minRate, 1_000_000);
  // The default starting rate must itself lie within bounds the operator may have moved.
  const defaultRate = Math.min(Math.max(600, minRate), maxRate);
  return Object.freeze({
    mode,
    ratePerMinute: integer(env, 'WAITING_ROOM_RATE_PER_MINUTE', defaultRate, minRate, maxRate),
    minRatePerMinute: minRate,
    maxRatePerMinute: maxRate,
    autoTune: flag(env, 'WAITING_ROOM_AUTOTUNE', true),
    graceSeconds: integer(env, 'WAITING_ROOM_GRACE_SECONDS', 300, 10, 3600),
    admissionMinutes: integer(env, 'WAITING_ROOM_ADMISSION_MINUTES', 20, 1, 240),
    ticketHours: integer(env, 'WAITING_ROOM_TICKET_HOURS', 24, 1, 168),
    leadMinutes: integer(env, 'WAITING_ROOM_LEAD_MINUTES', 60, 0, 1440),
    latencyTargetMs: integer(env, 'WAITING_ROOM_LATENCY_TARGET_MS', 200, 10, 60_000),
    redisPrefix: env.WAITING_ROOM_REDIS_PREFIX || 'yoyaku:wr:',
  });
}

function required(env: Env, name: string, why: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new ConfigError(name, `must be set ${why}`);
  return value.trim();
}

/**
 * An https:// address; in production nothing else, elsewhere also http:// on a loopback address
 * (the local peers tests and demos talk to).
 */
function providerUrl(env: Env, name: string, production: boolean, fallback?: string): string {
  const raw = env[name] || fallback;
  if (raw === undefined) throw new ConfigError(name, 'must be set');
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a valid URL, got "${raw}"`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopback && !production)) return raw.replace(/\/+$/, '');
  throw new ConfigError(
    name,
    production
      ? 'must start with https:// in production (messages hold sign-in codes)'
      : 'must start with https:// (http:// only on a loopback address)',
  );
}

const SMS_PROVIDERS = ['outbox', 'twilio', 'sns', 'webhook'] as const;

function smsProviderConfig(env: Env, production: boolean): SmsProviderConfig {
  const provider = env.SMS_PROVIDER || 'outbox';
  if (!(SMS_PROVIDERS as readonly string[]).includes(provider)) {
    throw new ConfigError('SMS_PROVIDER', `must be one of ${SMS_PROVIDERS.join(', ')}, got "${provider}"`);
  }
  switch (provider) {
    case 'outbox':
      // The outbox only writes codes to a local file: in production nobody would receive them.
      if (production) {
        throw new ConfigError(
          'SMS_PROVIDER',
          'is "outbox", which sends codes nowhere; it cannot be used with NODE_ENV=production (choose twilio, sns or webhook, docs/notifications.md)',
        );
      }
      return { provider: 'outbox' };
    case 'twilio': {
      const why = 'with SMS_PROVIDER=twilio';
      const accountSid = required(env, 'TWILIO_ACCOUNT_SID', why);
      if (!/^AC[0-9a-f]{32}$/i.test(accountSid))
        throw new ConfigError('TWILIO_ACCOUNT_SID', 'must be AC followed by 32 hexadecimal digits');
      const from = env.TWILIO_FROM || undefined;
      const messagingServiceSid = env.TWILIO_MESSAGING_SERVICE_SID || undefined;
      if (!from && !messagingServiceSid) {
        throw new ConfigError(
          'TWILIO_FROM',
          'or TWILIO_MESSAGING_SERVICE_SID must be set with SMS_PROVIDER=twilio (who the texts come from)',
        );
      }
      return {
        provider: 'twilio',
        accountSid,
        authToken: required(env, 'TWILIO_AUTH_TOKEN', why),
        from,
        messagingServiceSid,
        apiUrl: providerUrl(env, 'TWILIO_API_URL', production, 'https://api.twilio.com'),
        ca: caFile(env, 'SMS_PROVIDER_CA_FILE'),
      };
    }
    case 'sns': {
      const region = required(env, 'AWS_REGION', 'with SMS_PROVIDER=sns (the region SNS sends from, e.g. ap-northeast-1)');
      if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new ConfigError('AWS_REGION', `is not an AWS region, got "${region}"`);
      const accessKeyId = env.AWS_ACCESS_KEY_ID || undefined;
      const secretAccessKey = env.AWS_SECRET_ACCESS_KEY || undefined;
      if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
        throw new ConfigError(
          accessKeyId ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID',
          'must be set with the other one (or neither, for an instance role)',
        );
      }
      const senderId = env.SNS_SENDER_ID || undefined;
      if (senderId !== undefined && !/^(?=.*[a-z])[a-z0-9]{1,11}$/i.test(senderId)) {
        throw new ConfigError('SNS_SENDER_ID', 'must be 1 to 11 letters and digits, with at least one letter');
      }
      return {
        provider: 'sns',
        region,
        endpoint: env.SNS_ENDPOINT ? providerUrl(env, 'SNS_ENDPOINT', production) : undefined,
        senderId,
        credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
        ca: caFile(env, 'SMS_PROVIDER_CA_FILE'),
      };
    }
    default: {
      const url = providerUrl(env, 'SMS_WEBHOOK_URL', production);
      const secret = required(env, 'SMS_WEBHOOK_SECRET', 'with SMS_PROVIDER=webhook (the key both sides sign with)');
      if (secret.length < 32) throw new ConfigError('SMS_WEBHOOK_SECRET', 'must be at least 32 characters');
      return { provider: 'webhook', url, secret, ca: caFile(env, 'SMS_PROVIDER_CA_FILE') };
    }
  }
}

/** PEM certificates read from a file named by `name`, for a private CA; undefined when unset. */
function caFile(env: Env, name: string): string | undefined {
  const file = env[name];
  if (!file) return undefined;
  let ca: string;
  try {
    ca = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(name, `cannot be read: ${file}`);
  }
  if (!ca.includes('BEGIN CERTIFICATE')) throw new ConfigError(name, 'must hold PEM certificates');
  return ca;
}

function emailProviderConfig(env: Env, production: boolean): EmailProviderConfig {
  const provider = env.EMAIL_PROVIDER || (production ? 'none' : 'outbox');
  if (provider === 'none') return { provider: 'none' };
  if (provider === 'outbox') {
    if (production)
      throw new ConfigError('EMAIL_PROVIDER', 'is "outbox", which sends e-mail nowhere; use smtp, or none, with NODE_ENV=production');
    return { provider: 'outbox' };
  }
  if (provider !== 'smtp') throw new ConfigError('EMAIL_PROVIDER', `must be none, outbox or smtp, got "${provider}"`);
  const why = 'with EMAIL_PROVIDER=smtp';
  const secure = flag(env, 'SMTP_SECURE', false);
  const user = env.SMTP_USER || undefined;
  const password = env.SMTP_PASSWORD || undefined;
  if (user !== undefined && password === undefined) throw new ConfigError('SMTP_PASSWORD', 'must be set with SMTP_USER');
  if (user === undefined && password !== undefined) throw new ConfigError('SMTP_USER', 'must be set with SMTP_PASSWORD');
  const from = required(env, 'EMAIL_FROM', why);
  if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$|<[^\s@<>]+@[^\s@<>]+>$/.test(from)) {
    throw new ConfigError('EMAIL_FROM', `must be an address (name <address> allowed), got "${from}"`);
  }
  const ca = caFile(env, 'SMTP_CA_FILE');
  return {
    provider: 'smtp',
    host: required(env, 'SMTP_HOST', why),
    port: integer(env, 'SMTP_PORT', secure ? 465 : 587, 1, 65535),
    secure,
    user,
    password,
    from,
    ca,
  };
}

function notificationsConfig(env: Env, production: boolean): NotificationsConfig {
  return Object.freeze({
    sms: Object.freeze(smsProviderConfig(env, production)),
    email: Object.freeze(emailProviderConfig(env, production)),
    pricePerSegmentYen: decimal(env, 'SMS_PRICE_PER_SEGMENT_YEN', 10, 0, 10_000),
    providerTimeoutMs: integer(env, 'NOTIFY_PROVIDER_TIMEOUT_MS', 10_000, 100, 120_000),
    purgeAfterDays: integer(env, 'NOTIFY_PURGE_AFTER_DAYS', 90, 1, 3650),
  });
}

function decimal(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+(\.\d{1,4})?$/.test(raw)) throw new ConfigError(name, `must be a number such as 10 or 8.5, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}
