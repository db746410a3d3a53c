// Global setup of the `postgres-suite` vitest project: one PostgreSQL server for the run, and a template
// database migrated once, which each test world copies (tests/support/test-store.ts).
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPostgresStore } from '../../db/pg/store.ts';
import { startPostgres } from './postgres.ts';

const TEMPLATE = 'tgdesk_suite_template';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres({ maxConnections: 300 });
  const admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  await admin.query(`create database ${TEMPLATE}`);
  await admin.end();
  const template = await openPostgresStore(server.url(TEMPLATE));
  await template.close();
  project.provide('postgresSuite', { adminUrl: server.url(), template: TEMPLATE });
  return () => server.stop();
}
