// The HTTP API of the Mini App (docs/API.md) as one Hono app: /healthz, everything under /api behind
// init-data authentication, the bot's webhook when given, and the built Mini App for every other GET.
// It starts no server: the caller mounts more routes if it likes (keep /sandbox free) and serves it.
import { readFile, stat } from 'node:fs/promises';
import { ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlib } from 'node:zlib';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from 'pino';
import { errorsOnlyLogger } from '../app/logger.ts';
import { authenticate } from './auth.ts';
import type { ApiDeps, ApiEnv } from './env.ts';
import { errorJson, errorResponse, notFoundJson } from './errors.ts';
import { createHealthCheck } from './health.ts';
import { rateLimits } from './rate-limit.ts';
import { adminRoutes } from './routes/admin.ts';
import { attachmentRoutes } from './routes/attachments.ts';
import { boardRoutes } from './routes/board.ts';
import { categoryRoutes } from './routes/categories.ts';
import { DIRECTORY_PATH_PREFIX, directoryRoutes } from './routes/directory.ts';
import { exportRoutes } from './routes/exports.ts';
import { mailRoutes } from './routes/mail.ts';
import { meRoutes } from './routes/me.ts';
import { phoneRoutes } from './routes/phone.ts';
import { reportRoutes } from './routes/reports.ts';
import { setupRoutes } from './routes/setup.ts';
import { CTI_PATH_PREFIX, ctiWebhookRoutes, telephonyRoutes } from './routes/telephony.ts';
import { ticketRoutes } from './routes/tickets.ts';
import { UPLOAD_PATH, uploadRoutes } from './routes/uploads.ts';
import {
  CONFIRM_PATH_PREFIX,
  STATUS_PATH_PREFIX,
  webformAdminRoutes,
  webformRoutes,
} from './routes/webform.ts';
import { webformConfirmRoutes } from './routes/webform-confirm.ts';
import { webformStatusRoutes } from './routes/webform-status.ts';

export type { ApiDeps, ApiEnv } from './env.ts';

/** The largest request body the API reads. */
export const BODY_LIMIT = 1024 * 1024;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

async function fileIn(root: string, path: string): Promise<string | null> {
  let relative: string;
  try {
    relative = decodeURIComponent(path);
  } catch {
    return null;
  }
  const full = resolve(join(root, relative));
  if (full !== root && !full.startsWith(root + sep)) return null;
  try {
    return (await stat(full)).isFile() ? full : null;
  } catch {
    return null;
  }
}

/** Text files worth compressing (images and fonts are compressed already). */
const COMPRESSIBLE = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.json',
  '.map',
  '.svg',
  '.txt',
  '.webmanifest',
]);
/** Smaller files go as they are: the headers would eat the gain. */
const COMPRESS_FROM = 1024;
const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

type Encoding = 'br' | 'gzip';

/** The best encoding the client accepts (`Accept-Encoding`, with q-values): brotli, then gzip, else none. */
export function acceptedEncoding(header: string | undefined): Encoding | null {
  const q = new Map<string, number>();
  for (const part of (header ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim());
    if (!name) continue;
    const weight = params.find((p) => p.startsWith('q='));
    const value = weight ? Number(weight.slice(2)) : 1;
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const wants = (name: Encoding) => (q.get(name) ?? q.get('*') ?? 0) > 0;
  return wants('br') ? 'br' : wants('gzip') ? 'gzip' : null;
}

interface Cached {
  mtimeMs: number;
  size: number;
  raw: Uint8Array<ArrayBuffer>;
  br?: Promise<Uint8Array<ArrayBuffer>>;
  gzip?: Promise<Uint8Array<ArrayBuffer>>;
}

/** A path that names a file (under /assets/, or ending in an extension): missing, it is a 404, not the page. */
const NAMES_A_FILE = /^\/assets\/|\.[a-z0-9]+$/i;

/**
 * The built Mini App: its files, index.html for any other path (the app routes itself); a missing file is a
 * 404. Text files go brotli or gzip as the client's Accept-Encoding allows, with Vary: Accept-Encoding: the
 * build's own `<file>.br` and `<file>.gz` (miniapp/vite.config.ts) when they are there and not older than the
 * file, else compressed here once; either is kept in memory until the file changes.
 */
function miniApp(dir: string) {
  const root = resolve(dir);
  const cache = new Map<string, Cached>();
  const read = async (file: string): Promise<Cached> => {
    const info = await stat(file);
    const known = cache.get(file);
    if (known && known.mtimeMs === info.mtimeMs && known.size === info.size) return known;
    const fresh: Cached = {
      mtimeMs: info.mtimeMs,
      size: info.size,
      raw: new Uint8Array(await readFile(file)),
    };
    cache.set(file, fresh);
    return fresh;
  };
  /** The build's compressed copy of `file`, unless it is missing or older than the file. */
  const built = async (
    file: string,
    suffix: string,
    entry: Cached,
  ): Promise<Uint8Array<ArrayBuffer> | null> => {
    try {
      const info = await stat(file + suffix);
      return info.isFile() && info.mtimeMs >= entry.mtimeMs
        ? new Uint8Array(await readFile(file + suffix))
        : null;
    } catch {
      return null;
    }
  };
  const encoded = (file: string, entry: Cached, encoding: Encoding): Promise<Uint8Array<ArrayBuffer>> => {
    if (encoding === 'br') {
      entry.br ??= built(file, '.br', entry).then(
        async (ready) =>
          ready ??
          new Uint8Array(
            await brotli(entry.raw, {
              params: {
                [zlib.BROTLI_PARAM_QUALITY]: 11,
                [zlib.BROTLI_PARAM_SIZE_HINT]: entry.raw.byteLength,
              },
            }),
          ),
      );
      return entry.br;
    }
    entry.gzip ??= built(file, '.gz', entry).then(
      async (ready) => ready ?? new Uint8Array(await gzipped(entry.raw, { level: 9 })),
    );
    return entry.gzip;
  };
  return async (c: Context): Promise<Response | null> => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return null;
    const asked = await fileIn(root, c.req.path);
    if (!asked && NAMES_A_FILE.test(c.req.path)) return null;
    const file = asked ?? (await fileIn(root, '/index.html'));
    if (!file) return null;
    const html = file.endsWith('.html');
    const headers: Record<string, string> = {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      // Vite names built assets by their hash: they never change. The page itself is always fetched anew.
      'Cache-Control': html ? 'no-cache' : 'public, max-age=31536000, immutable',
    };
    const entry = await read(file);
    if (!COMPRESSIBLE.has(extname(file)) || entry.raw.byteLength < COMPRESS_FROM)
      return c.body(entry.raw, 200, headers);
    headers.Vary = 'Accept-Encoding';
    const encoding = acceptedEncoding(c.req.header('accept-encoding'));
    if (!encoding) return c.body(entry.raw, 200, headers);
    return c.body(await encoded(file, entry, encoding), 200, { ...headers, 'Content-Encoding': encoding });
  };
}

/** Paths that carry a secret in them (the CTI webhook's token): logged with it blanked. */
const SECRET_PATHS = [CTI_PATH_PREFIX, CONFIRM_PATH_PREFIX, STATUS_PATH_PREFIX];

export function pathForLog(path: string): string {
  const prefix = SECRET_PATHS.find((p) => path.startsWith(p));
  return prefix ? `${prefix}***` : path;
}

/** A request id a client may choose: short and plain ([A-Za-z0-9_=-], at most 128). */
const PLAIN_REQUEST_ID = /^[\w=-]{1,128}$/;

/**
 * The request id (X-Request-Id when short and plain, else a new one), echoed back, and one log line per
 * request: its id, method, path (never the query: tokens and codes travel there), status and time. Health
 * checks that pass are debug: a monitor asks every few seconds. One middleware for both. Served by
 * @hono/node-server, the header goes straight onto Node's response: set through Hono, it would make every
 * response carry a fetch Headers object that the adapter then copies.
 */
function requestLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    const given = c.req.header('x-request-id');
    const reqId = given !== undefined && PLAIN_REQUEST_ID.test(given) ? given : crypto.randomUUID();
    c.set('requestId', reqId);
    const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
    if (outgoing instanceof ServerResponse && !outgoing.headersSent)
      outgoing.setHeader('X-Request-Id', reqId);
    else c.header('X-Request-Id', reqId);
    await next();
    const status = c.res.status;
    const path = c.req.path;
    const level = status >= 500 ? 'warn' : path === '/healthz' && status === 200 ? 'debug' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    logger[level](
      {
        reqId,
        method: c.req.method,
        path: pathForLog(path),
        status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    );
  };
}

export function createApi(deps: ApiDeps): Hono {
  const logger = deps.logger ?? errorsOnlyLogger();
  const log = (error: unknown) => logger.error({ err: error }, 'api: unexpected error');
  // The error object only: a request's headers (init data) never go into the line.
  const onError = (err: unknown, c: Context) =>
    errorResponse(c, err, (error) =>
      logger.error(
        { err: error, reqId: c.get('requestId'), method: c.req.method, path: pathForLog(c.req.path) },
        'api: unexpected error',
      ),
    );
  const health = createHealthCheck(deps.desk, deps.health, (what, error) =>
    logger.error({ err: error, check: what }, 'health: check failed'),
  );

  // No onError of its own: the app's is the same, and Hono wraps every route of a mounted app that has
  // one in a composition of its own (three more promises per request). Hono catches a handler's error
  // where it is thrown either way, so the middlewares around it see the error's answer all the same.
  const api = new Hono<ApiEnv>();
  // Per address first (it also counts failed sign-ins), per person once the person is known.
  const limits = deps.rateLimit ? rateLimits(deps.rateLimit) : null;
  if (limits) api.use('*', limits.beforeAuth);
  const jsonBodyLimit = bodyLimit({
    maxSize: BODY_LIMIT,
    onError: (c) => errorJson(c, 413, { code: 'too_large', message: `the body is over ${BODY_LIMIT} bytes` }),
  });
  // Directory files may be bigger: those routes set their own limit (api/routes/directory.ts).
  // So may uploaded files (api/routes/uploads.ts). A GET or HEAD has no body to limit, and asking for it
  // would make the Node adapter build a whole fetch Request on every read.
  api.use('*', (c, next) =>
    c.req.method === 'GET' ||
    c.req.method === 'HEAD' ||
    c.req.path.startsWith(DIRECTORY_PATH_PREFIX) ||
    c.req.path === UPLOAD_PATH
      ? next()
      : jsonBodyLimit(c, next),
  );
  api.use('*', authenticate(deps));
  if (limits) api.use('*', limits.afterAuth);
  api.route('/', meRoutes(deps));
  api.route('/', categoryRoutes(deps));
  // Before /tickets/:id, which "export.csv" would otherwise match.
  api.route('/', exportRoutes(deps, log));
  api.route('/', ticketRoutes(deps));
  api.route('/', attachmentRoutes(deps));
  api.route('/', uploadRoutes(deps));
  api.route('/', boardRoutes(deps));
  api.route('/', reportRoutes(deps, log));
  api.route('/', adminRoutes(deps));
  api.route('/', directoryRoutes(deps));
  api.route('/', setupRoutes(deps));
  api.route('/', mailRoutes(deps));
  api.route('/', telephonyRoutes(deps));
  api.route('/', phoneRoutes(deps));
  api.route('/', webformAdminRoutes(deps));

  const app = new Hono();
  app.onError(onError);
  // An id per request (X-Request-Id honoured when it is short and plain), and a log line for each.
  app.use('*', requestLog(logger));
  app.get('/healthz', async (c) => {
    const report = await health();
    return c.json(report, report.ok ? 200 : 503, { 'Cache-Control': 'no-store' });
  });
  if (deps.webhook) {
    const { handler } = deps.webhook;
    app.post(deps.webhook.path, (c) => handler(c));
  }
  // The PBX has no init data: its token is in the path. Before /api, whose sign-in it would not pass.
  app.route('/', ctiWebhookRoutes(deps, limits?.beforeAuth));
  // The website form is public: its own token, proof of work and counters instead of init data.
  app.route('/', webformConfirmRoutes(deps));
  app.route('/', webformStatusRoutes(deps));
  app.route('/', webformRoutes(deps));
  app.route('/api', api);
  // Unknown paths: JSON under /api; otherwise the Mini App when there is one. Done here rather than as a
  // catch-all route, so that routes mounted after createApi (the sandbox's) still win.
  const serveMiniApp = deps.miniappDir ? miniApp(deps.miniappDir) : null;
  app.notFound(async (c) => {
    const path = c.req.path;
    if (serveMiniApp && path !== '/api' && !path.startsWith('/api/')) {
      const response = await serveMiniApp(c);
      if (response) return response;
    }
    return notFoundJson(c);
  });
  return app;
}
