// One HTTP server for the API benchmark, in its own process so that the load generator does not share
// its event loop: "tgdesk" serves createApi over a seeded store, "bare" a bare Hono route. Prints its port.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createApi } from '../api/app.ts';
import { createContext } from '../core/context.ts';
import { ManualClock } from '../core/model.ts';
import { openDatabase } from '../db/connection.ts';

const [kind, dbPath, token, now] = process.argv.slice(2);
let app: Hono;
if (kind === 'bare') {
  app = new Hono();
  app.get('/hello', (c) => c.json({ ok: true }));
} else {
  if (!dbPath || !token || !now) throw new Error('usage: api-server.ts tgdesk <db> <token> <now>');
  const desk = createContext(openDatabase(dbPath), new ManualClock(Number(now)));
  app = createApi({ desk, botToken: token, initDataMaxAgeSeconds: 10 * 365 * 86_400 });
}
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`${JSON.stringify({ port: info.port })}\n`);
});
// Keep-alive connections would hold a graceful close open: the benchmark is done with it.
process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
