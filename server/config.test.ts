import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, LOG_LEVELS, loadConfig } from './config.js';

const SECRET = 'x'.repeat(32);

/** The ConfigError loadConfig throws for `env`, or a failed assertion when it throws none. */
function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig: defaults', () => {
  it('starts on port 3000, ./data, PGlite, in-process stores, loopback only, when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      host: '127.0.0.1',
      port: 3000,
      dataDir: path.resolve('./data'),
      databaseUrl: undefined,
      databaseSchema: 'public',
      databasePoolMax: 20,
      redisUrl: undefined,
      sessionSecret: undefined,
      smsProvider: 'outbox',
      demo: true,
      secureCookies: false,
      trustProxy: false,
      logLevel: 'info',
      limits: {
        signInFailuresPerVoucher: 5,
        signInFailuresPerIp: 30,
        lookupsPerIp: 30,
        smsPerIp: 10,
        windowSeconds: 900,
        staffSignInFailuresPerAccount: 5,
        staffSignInFailuresPerIp: 20,
      },
      publicUrl: 'http://localhost:3000',
    });
    expect(config.waitingRoom).toMatchObject({
      mode: 'off',
      ratePerMinute: 600,
      minRatePerMinute: 60,
      maxRatePerMinute: 6000,
      autoTune: true,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.limits)).toBe(true);
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig({ NODE_ENV: '', PORT: '', HOST: '', LOG_LEVEL: '', SMS_PROVIDER: '', DATABASE_SCHEMA: '', DATABASE_URL: '' });
    expect(config).toMatchObject({
      env: 'development',
      port: 3000,
      host: '127.0.0.1',
      logLevel: 'info',
      smsProvider: 'outbox',
      databaseSchema: 'public',
    });
  });

  it('keeps the test logs quiet and the demo off under NODE_ENV=test', () => {
    expect(loadConfig({ NODE_ENV: 'test' })).toMatchObject({ logLevel: 'silent', demo: false });
  });

  it('reads the values it is given', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/yoyaku',
      DATABASE_URL: 'postgresql://app@db:5432/yoyaku',
      REDIS_URL: 'rediss://cache:6380',
      SESSION_SECRET: SECRET,
      TRUST_PROXY: '2',
      LOG_LEVEL: 'WARN',
      LIMIT_SIGNIN_FAILURES_PER_IP: '7',
      LIMIT_LOOKUPS_PER_IP: '8',
      LIMIT_WINDOW_SECONDS: '60',
      LIMIT_SMS_PER_IP: '12',
      WAITING_ROOM: 'auto',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/var/lib/yoyaku',
      databaseUrl: 'postgresql://app@db:5432/yoyaku',
      redisUrl: 'rediss://cache:6380',
      sessionSecret: SECRET,
      trustProxy: { hops: 2 },
      logLevel: 'warn',
      limits: { signInFailuresPerIp: 7, lookupsPerIp: 8, windowSeconds: 60 },
    });
    expect(config.waitingRoom.mode).toBe('auto');
    expect(config.limits.smsPerIp).toBe(12);
  });

  it.each([
    ['', false],
    ['false', false],
    ['0', false],
    ['1', { hops: 1 }],
    ['10.0.0.0/8, 127.0.0.1', { addresses: ['10.0.0.0/8', '127.0.0.1'] }],
    ['::1,fd00::/8,loopback', { addresses: ['::1', 'fd00::/8', 'loopback'] }],
  ])('reads TRUST_PROXY=%j as %j', (raw, trust) => {
    expect(loadConfig({ TRUST_PROXY: raw }).trustProxy).toEqual(trust);
  });

  it.each(LOG_LEVELS)('accepts the pino level %s', (level) => {
    expect(loadConfig({ LOG_LEVEL: level }).logLevel).toBe(level);
  });

  it.each(['localhost', '::', '::1', '[::1]', '10.0.0.5', 'api.example.jp', 'db-1.internal.'])('accepts the host %s', (host) => {
    expect(loadConfig({ HOST: host }).host).toBe(host.replace(/^\[(.*)\]$/, '$1'));
  });

  it('makes links absolute with PUBLIC_URL, http://localhost:PORT by default, without a trailing slash', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://yoyaku.example.jp/' }).publicUrl).toBe('https://yoyaku.example.jp');
    expect(loadConfig({ PUBLIC_URL: 'https://city.example.jp/yoyaku/' }).publicUrl).toBe('https://city.example.jp/yoyaku');
  });

  it('keeps the default starting rate of the waiting room within bounds the operator moved', () => {
    expect(loadConfig({ WAITING_ROOM_MIN_RATE_PER_MINUTE: '1000' }).waitingRoom.ratePerMinute).toBe(1000);
    expect(loadConfig({ WAITING_ROOM_MAX_RATE_PER_MINUTE: '100' }).waitingRoom.ratePerMinute).toBe(100);
  });
});

describe('loadConfig: a bad value is refused with the variable and the reason', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['PORT', { PORT: 'abc' }, /whole number/],
    ['PORT', { PORT: '70000' }, /between 0 and 65535/],
    ['PORT', { PORT: '-1' }, /whole number/],
    ['PORT', { PORT: '3000.5' }, /whole number/],
    ['HOST', { HOST: 'http://example.jp' }, /without a scheme/],
    ['HOST', { HOST: '0.0.0.0:3000' }, /port/],
    ['HOST', { HOST: 'my host' }, /IP address or a host name/],
    ['HOST', { HOST: '999.1.1.1' }, /IP address or a host name/],
    ['HOST', { HOST: '-bad-.example' }, /IP address or a host name/],
    ['HOST', { HOST: `${'a'.repeat(64)}.example` }, /IP address or a host name/],
    ['LOG_LEVEL', { LOG_LEVEL: 'nope' }, /fatal, error, warn, info, debug, trace, silent/],
    ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }, /got "verbose"/],
    ['NODE_ENV', { NODE_ENV: 'staging' }, /development, production or test/],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://root@localhost/yoyaku' }, /postgres:\/\/ or postgresql:\/\//],
    ['DATABASE_URL', { DATABASE_URL: 'not a url' }, /not a valid URL/],
    ['DATABASE_SCHEMA', { DATABASE_SCHEMA: 'Public; DROP' }, /SQL identifier/],
    ['DATABASE_POOL_MAX', { DATABASE_POOL_MAX: '0' }, /between 1 and 500/],
    ['DATABASE_POOL_MAX', { DATABASE_POOL_MAX: 'many' }, /whole number/],
    ['REDIS_URL', { REDIS_URL: 'http://cache:6379' }, /redis:\/\/ or rediss:\/\//],
    ['SESSION_SECRET', { SESSION_SECRET: 'short' }, /at least 32 characters/],
    ['SMS_PROVIDER', { SMS_PROVIDER: 'nexmo' }, /one of outbox, twilio, sns, webhook/],
    ['DEMO', { DEMO: 'maybe' }, /true or false/],
    ['SECURE_COOKIES', { SECURE_COOKIES: '2' }, /true or false/],
    ['TRUST_PROXY', { TRUST_PROXY: 'all' }, /a number of proxies, or comma-separated proxy addresses or CIDRs; "all"/],
    ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.0/33' }, /"10\.0\.0\.0\/33" is none of these/],
    ['TRUST_PROXY', { TRUST_PROXY: '127.0.0.1,' }, /"" is none of these/],
    ['TRUST_PROXY', { TRUST_PROXY: '21' }, /at most 20/],
    ['LIMIT_SIGNIN_FAILURES_PER_VOUCHER', { LIMIT_SIGNIN_FAILURES_PER_VOUCHER: '-5' }, /whole number/],
    ['LIMIT_SIGNIN_FAILURES_PER_VOUCHER', { LIMIT_SIGNIN_FAILURES_PER_VOUCHER: '0' }, /between 1 and 1000/],
    ['LIMIT_SIGNIN_FAILURES_PER_IP', { LIMIT_SIGNIN_FAILURES_PER_IP: '-1' }, /whole number/],
    ['LIMIT_SIGNIN_FAILURES_PER_IP', { LIMIT_SIGNIN_FAILURES_PER_IP: 'ten' }, /whole number/],
    ['LIMIT_LOOKUPS_PER_IP', { LIMIT_LOOKUPS_PER_IP: '-30' }, /whole number/],
    ['LIMIT_LOOKUPS_PER_IP', { LIMIT_LOOKUPS_PER_IP: '1e3' }, /whole number/],
    ['LIMIT_WINDOW_SECONDS', { LIMIT_WINDOW_SECONDS: '0' }, /between 1 and 86400/],
    ['LIMIT_WINDOW_SECONDS', { LIMIT_WINDOW_SECONDS: '900s' }, /whole number/],
    ['WAITING_ROOM', { WAITING_ROOM: 'bogus' }, /off, always, scheduled or auto/],
    ['WAITING_ROOM_ADMIN_TOKEN', { WAITING_ROOM_ADMIN_TOKEN: 'a-token-of-more-than-24-characters' }, /no longer used.*staff/],
    ['PUBLIC_URL', { PUBLIC_URL: 'yoyaku.example.org' }, /not a valid URL/],
    ['PUBLIC_URL', { PUBLIC_URL: 'ftp://yoyaku.example.org' }, /http:\/\/ or https:\/\//],
    ['PUBLIC_URL', { PUBLIC_URL: 'https://yoyaku.example.org/?x=1' }, /no query/],
    ['LIMIT_STAFF_SIGNIN_FAILURES_PER_ACCOUNT', { LIMIT_STAFF_SIGNIN_FAILURES_PER_ACCOUNT: '0' }, /between 1 and 1000/],
    ['LIMIT_STAFF_SIGNIN_FAILURES_PER_IP', { LIMIT_STAFF_SIGNIN_FAILURES_PER_IP: 'many' }, /whole number/],
    ['WAITING_ROOM_RATE_PER_MINUTE', { WAITING_ROOM_RATE_PER_MINUTE: '10' }, /between 60 and 6000/],
    ['WAITING_ROOM_MIN_RATE_PER_MINUTE', { WAITING_ROOM_MIN_RATE_PER_MINUTE: '-60' }, /whole number/],
    [
      'WAITING_ROOM_MAX_RATE_PER_MINUTE',
      { WAITING_ROOM_MIN_RATE_PER_MINUTE: '500', WAITING_ROOM_MAX_RATE_PER_MINUTE: '100' },
      /between 500 and/,
    ],
    ['WAITING_ROOM_AUTOTUNE', { WAITING_ROOM_AUTOTUNE: 'sometimes' }, /true or false/],
    ['WAITING_ROOM_GRACE_SECONDS', { WAITING_ROOM_GRACE_SECONDS: '5' }, /between 10 and 3600/],
    ['WAITING_ROOM_ADMISSION_MINUTES', { WAITING_ROOM_ADMISSION_MINUTES: 'x' }, /whole number/],
    ['WAITING_ROOM_TICKET_HOURS', { WAITING_ROOM_TICKET_HOURS: '169' }, /between 1 and 168/],
    ['WAITING_ROOM_LEAD_MINUTES', { WAITING_ROOM_LEAD_MINUTES: '-1' }, /whole number/],
    ['WAITING_ROOM_LATENCY_TARGET_MS', { WAITING_ROOM_LATENCY_TARGET_MS: '1' }, /between 10 and 60000/],
  ];

  it.each(cases)('%s in %j', (variable, env, reason) => {
    const error = refusal(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
    expect(error.message).toMatch(reason);
  });

  it('never repeats a secret or a database password in its message', () => {
    expect(refusal({ SESSION_SECRET: 'hunter2-but-short' }).message).not.toContain('hunter2');
    expect(refusal({ DATABASE_URL: 'mysql://root:s3cret-pw@db/yoyaku' }).message).not.toContain('s3cret-pw');
    expect(refusal({ REDIS_URL: 'http://:s3cret-pw@cache' }).message).not.toContain('s3cret-pw');
    expect(refusal({ WAITING_ROOM_ADMIN_TOKEN: 'tok-s3cret' }).message).not.toContain('tok-s3cret');
  });
});

describe('loadConfig: TRUST_PROXY=true', () => {
  it.each(['true', 'TRUE', 'yes', 'on'])('is refused as %s, saying why and what to write instead', (raw) => {
    const error = refusal({ TRUST_PROXY: raw });
    expect(error.variable).toBe('TRUST_PROXY');
    expect(error.message).toMatch(/lets a client pick its own address/);
    expect(error.message).toMatch(/TRUST_PROXY=1/);
    expect(error.message).toMatch(/TRUST_PROXY=10\.0\.0\.0\/8,127\.0\.0\.1/);
  });
});

describe('loadConfig: production refuses unsafe settings', () => {
  it('refuses to start without SESSION_SECRET, as every process must sign sessions alike', () => {
    const error = refusal({ NODE_ENV: 'production' });
    expect(error.variable).toBe('SESSION_SECRET');
    expect(error.message).toMatch(/must be set in production/);
  });

  it('refuses the outbox SMS provider, which would send codes nowhere, also when chosen explicitly', () => {
    const envs: Record<string, string>[] = [
      { NODE_ENV: 'production', SESSION_SECRET: SECRET },
      { NODE_ENV: 'production', SESSION_SECRET: SECRET, SMS_PROVIDER: 'outbox' },
    ];
    for (const env of envs) {
      const error = refusal(env);
      expect(error.variable).toBe('SMS_PROVIDER');
      expect(error.message).toMatch(/sends codes nowhere.*NODE_ENV=production/);
    }
  });

  it('refuses the demo data, whose vouchers and birth dates are printed in the README', () => {
    const error = refusal({ NODE_ENV: 'production', SESSION_SECRET: SECRET, DEMO: 'true' });
    expect(error.variable).toBe('DEMO');
    expect(error.message).toMatch(/NODE_ENV=production/);
  });

  it('accepts the outbox and a generated secret outside production', () => {
    expect(loadConfig({ NODE_ENV: 'development', SMS_PROVIDER: 'outbox' }).smsProvider).toBe('outbox');
    expect(loadConfig({ NODE_ENV: 'test' }).sessionSecret).toBeUndefined();
  });
});

describe('loadConfig: the process role and its jobs', () => {
  const postgres = 'postgres://app@db:5432/yoyaku';

  it('does everything in one process by default, with pg-boss in a schema of its own', () => {
    expect(loadConfig({})).toMatchObject({
      role: 'all',
      jobs: { schema: 'pgboss', poolMax: 4, pollMs: 2000, maintenanceSeconds: 60, cronCheckSeconds: 30, stopGraceSeconds: 20 },
    });
    expect(loadConfig({ DATABASE_SCHEMA: 'town_a' }).jobs.schema).toBe('town_a_pgboss');
    expect(loadConfig({ JOBS_SCHEMA: 'jobs', JOBS_POLL_MS: '500' }).jobs).toMatchObject({ schema: 'jobs', pollMs: 500 });
  });

  it.each(['api', 'worker', 'all'])('accepts ROLE=%s on PostgreSQL', (role) => {
    expect(loadConfig({ ROLE: role, DATABASE_URL: postgres }).role).toBe(role);
  });

  it.each(['api', 'worker'])('refuses ROLE=%s on the embedded database, which serves one process', (role) => {
    const error = refusal({ ROLE: role });
    expect(error.variable).toBe('ROLE');
    expect(error.message).toMatch(/PGlite serves one process.*ROLE=all.*DATABASE_URL/);
  });

  it.each([
    ['ROLE', { ROLE: 'scheduler', DATABASE_URL: postgres }, /api, worker or all/],
    ['JOBS_SCHEMA', { JOBS_SCHEMA: 'Jobs!' }, /SQL identifier/],
    ['JOBS_SCHEMA', { DATABASE_SCHEMA: 'app', JOBS_SCHEMA: 'app' }, /differ from DATABASE_SCHEMA/],
    ['DATABASE_SCHEMA', { DATABASE_SCHEMA: 'a'.repeat(45) }, /50 characters: set JOBS_SCHEMA/],
    ['JOBS_POLL_MS', { JOBS_POLL_MS: '100' }, /between 500 and 60000/],
    ['JOBS_CRON_CHECK_SECONDS', { JOBS_CRON_CHECK_SECONDS: '60' }, /between 1 and 45/],
  ])('refuses a bad %s', (variable, env, reason) => {
    const error = refusal(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(reason);
  });
});
