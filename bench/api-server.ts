// One HTTP server for the API benchmark, in its own process so that the load generator does not share
// its event loop: "tgdesk" serves createApi over a seeded store, "ideal" the hand-written baseline routes
// (bench/api-ideal.ts) over the same store, "bare" a bare Hono route. Prints its port. Given a postgres://
// URL for its store, "tgdesk" opens it with openPostgresStore as `npm start` does; the process must then have
// that URL as its DATABASE_URL from the start, which makes it choose PostgreSQL's tables (db/dialect.ts).
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createApi } from '../api/app.ts';
import { createContext } from '../core/context.ts';
import { ManualClock } from '../core/model.ts';
import { type Db, openDatabase } from '../db/connection.ts';
import { storeDialect } from '../db/dialect.ts';
import { openPostgresStore } from '../db/pg/store.ts';
import { idealApp } from './api-ideal.ts';

const [kind, dbPath, token, now] = process.argv.slice(2);
let app: Hono;
if (kind === 'bare') {
  app = new Hono();
  app.get('/hello', (c) => c.json({ ok: true }));
} else {
  if (!dbPath || !token || !now) throw new Error('usage: api-server.ts tgdesk|ideal <db> <token> <now>');
  const postgres = /^postgres(ql)?:\/\//.test(dbPath);
  if (
    postgres &&
    (kind !== 'tgdesk' || storeDialect() !== 'postgres' || process.env.DATABASE_URL !== dbPath)
  ) {
    throw new Error('on PostgreSQL only tgdesk runs, with the same URL as its DATABASE_URL');
  }
  const db = postgres ? ((await openPostgresStore(dbPath)).db as unknown as Db) : openDatabase(dbPath);
  const desk = createContext(db, new ManualClock(Number(now)));
  const maxAge = 10 * 365 * 86_400;
  app =
    kind === 'ideal'
      ? idealApp(desk.db.$client, desk.policies, token, Number(now), maxAge)
      : createApi({ desk, botToken: token, initDataMaxAgeSeconds: maxAge });
}
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`${JSON.stringify({ port: info.port })}\n`);
});
// Keep-alive connections would hold a graceful close open: the benchmark is done with it.
// The benchmark stops it with SIGTERM; should the benchmark itself die, the closed stdin stops it too.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
