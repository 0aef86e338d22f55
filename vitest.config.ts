import { defineConfig } from 'vitest/config';

/**
 * `npm test` runs everything on the embedded defaults (PGlite, in-process stores). When
 * DATABASE_URL / REDIS_URL are set, the integration tests run a second time against them.
 * The browser tests (e2e) run last, in Debian's Chromium against a real server it starts.
 */
const services = Boolean(process.env.DATABASE_URL || process.env.REDIS_URL);

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { TZ: 'UTC', NODE_ENV: 'test' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'server/**/*.test.ts',
            'shared/**/*.test.ts',
            'scripts/**/*.test.mjs',
            'test/docs/**/*.test.ts',
            'test/i18n/**/*.test.ts',
            'test/lint/**/*.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'embedded',
          include: ['test/integration/**/*.test.ts'],
          // One PGlite per worker, shared by the files that worker runs (it costs ~3 s and ~800 MB).
          isolate: false,
          env: { YOYAKU_TEST_TARGET: 'embedded', YOYAKU_FUZZ_TARGETS: services ? '2' : '1' },
        },
      },
      ...(services
        ? [
            {
              extends: true as const,
              test: {
                name: 'services',
                include: ['test/integration/**/*.test.ts'],
                isolate: false,
                globalSetup: ['test/support/services-setup.ts'],
                env: { YOYAKU_TEST_TARGET: 'services', YOYAKU_FUZZ_TARGETS: '2' },
              },
            },
          ]
        : []),
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.ts'],
          // Builds the web app and starts one real server (PGlite) for all files; one browser per file.
          globalSetup: ['e2e/support/global-setup.ts'],
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
        },
      },
    ],
  },
});
