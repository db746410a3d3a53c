import { configDefaults, defineConfig } from 'vitest/config';

/** The tests whose worlds live in a store: run on SQLite (unit) and on PostgreSQL (postgres-suite). */
const STORE_SUITE = [
  'admin',
  'allowed-actions',
  'api-bad-input',
  'api-behaviour',
  'api-fast-paths',
  'api-hardening',
  'api-init-data',
  'api-miniapp-fixes',
  'api-tenancy',
  'api-uploads',
  'board',
  'bot-client-group',
  'bot-client',
  'bot-loose-messages',
  'bot-redelivery',
  'bot-staff-files',
  'bot-staff-group',
  'bot-staff',
  'changes',
  'channel-email',
  'channel-phone',
  'channel-telegram',
  'channel-web',
  'directory-api',
  'directory-import',
  'exports-xlsx',
  'group-intake',
  'health',
  'intake-key',
  'lifecycle',
  'logging',
  'mail-imap',
  'mail-intake',
  'mail-out',
  'mail-quarantine-api',
  'mail-settings',
  'message-links',
  'notifier',
  'onboarding',
  'outbox',
  'permissions',
  'phone-console',
  'report-series',
  'report-summary',
  'reports',
  'setup-api',
  'sla-scheduler',
  'sla',
  'staff-card-moves',
  'telephony',
  'ticket-merge',
  'ticket-outcome',
  'ticket-search',
  'visits',
  'webform-confirm',
  'webform',
].map((name) => `tests/${name}.test.ts`);

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
        // The same core, bot and API tests again on PostgreSQL: their worlds (tests/fixtures.ts) are made in a
        // fresh database of one server per run (tests/support/postgres-suite.ts). The files left out test
        // SQLite itself (the store file, backups, migrations, the move between stores), start a desk on a
        // SQLite file of their own (the crash drill, the first day, the sandbox), or touch no store at all.
        extends: true,
        test: {
          name: 'postgres-suite',
          include: STORE_SUITE,
          env: { TGDESK_STORE_DIALECT: 'postgres' },
          globalSetup: ['tests/support/postgres-suite.ts'],
          setupFiles: ['tests/support/postgres-suite-files.ts'],
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
