import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'threads',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'tests/browser/**', 'tests/postgres/**'],
        },
      },
      {
        // Core and the bot on a real PostgreSQL (tests/postgres/world.ts): core builds its queries from
        // PostgreSQL's tables in these files' processes.
        extends: true,
        test: {
          name: 'postgres',
          include: ['tests/postgres/**/*.test.ts'],
          env: { TGDESK_STORE_DIALECT: 'postgres' },
          hookTimeout: 60_000,
        },
      },
      {
        // The Mini App in Chromium: built once by the global setup, served by the API.
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/browser/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
