// HTTP on 127.0.0.1: `/bot<token>/<method>` and `/file/bot<token>/<file_path>`, with faults and flood
// limits applied before a method runs, and every call recorded.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { readParams } from './body.ts';
import type { FaultPlan } from './faults.ts';
import type { RateLimits } from './limits.ts';
import { findMethod, SENDING_METHODS } from './methods.ts';
import { ApiError, Described, type Params, tooManyRequests } from './protocol.ts';
import type { World } from './state.ts';

export interface ApiCall {
  /** Canonical spelling, e.g. 'sendMessage', whatever case the client used. */
  method: string;
  /** As received: JSON values, or strings from form bodies. */
  params: Record<string, unknown>;
  /** When the request arrived (ms since the epoch). */
  at: number;
  /** HTTP status answered; 0 when the connection was dropped. */
  status: number;
  result?: unknown;
  error?: { error_code: number; description: string; parameters?: { retry_after?: number } };
  /** The connection was destroyed instead of answered (`result` is set when the call took effect). */
  dropped?: true;
}

export interface ServerParts {
  token: string;
  world: World;
  faults: FaultPlan;
  limits: RateLimits | undefined;
  calls: ApiCall[];
}

const SERVER_ERRORS = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };

export async function listen(parts: ServerParts): Promise<{ apiRoot: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    handle(parts, req, res).catch((error: unknown) => {
      if (!res.headersSent) answer(res, new ApiError(500, `Internal Server Error: ${String(error)}`));
    });
  });
  // Outlive the client's idle keep-alive sockets, so a reused socket is never closed under a request.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiRoot: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        parts.world.abortLongPoll('empty');
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(parts: ServerParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
  if (download) return serveFile(parts, res, download[1] ?? '', decodeURIComponent(download[2] ?? ''));

  const route = /^\/bot([^/]*)\/([^/]*)$/.exec(url.pathname);
  if (!route) return answer(res, new ApiError(404, 'Not Found'));
  if (route[1] !== parts.token) return answer(res, new ApiError(401, 'Unauthorized'));
  const method = findMethod(route[2] ?? '');
  if (!method) return answer(res, new ApiError(404, 'Not Found: method not found'));

  // A client that goes away (grammY aborting its long poll on stop) must not leave a poll waiting.
  const aborted = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) aborted.abort();
  });
  const call: ApiCall = { method: method.name, params: {}, at: Date.now(), status: 0 };
  let params: Params;
  try {
    params = await readParams(req, url);
  } catch (error) {
    return finish(parts, res, call, error);
  }
  call.params = params.values;

  const fault = parts.faults.take(method.name, params.values);
  if (fault?.kind === 'slow') await delay(fault.delayMs);
  if (fault?.kind === 'hold' && !fault.afterApplying) {
    await parts.faults.hold(aborted.signal);
    if (aborted.signal.aborted) return drop(parts, req, call); // the bot died waiting: it never arrived
  }
  if (fault?.kind === 'too_many_requests') return finish(parts, res, call, tooManyRequests(fault.retryAfter));
  if (fault?.kind === 'server_error') {
    const status = fault.status ?? 500;
    return finish(parts, res, call, new ApiError(status, SERVER_ERRORS[status]));
  }
  if (fault?.kind === 'drop' && !fault.afterApplying) return drop(parts, req, call);

  const retryAfter = floodWait(parts, method.name, params);
  if (retryAfter > 0) return finish(parts, res, call, tooManyRequests(retryAfter));

  let outcome: unknown;
  try {
    outcome = await method.handler({ world: parts.world, params, signal: aborted.signal });
  } catch (error) {
    outcome = error;
  }
  if (fault?.kind === 'drop') {
    if (!(outcome instanceof Error)) call.result = outcome instanceof Described ? outcome.result : outcome;
    return drop(parts, req, call);
  }
  if (fault?.kind === 'hold' && fault.afterApplying) await parts.faults.hold(aborted.signal);
  finish(parts, res, call, outcome);
}

/** Seconds the bot must wait when this sending call breaks a flood limit, else 0. */
function floodWait(parts: ServerParts, method: string, params: Params): number {
  if (!parts.limits || !SENDING_METHODS.has(method)) return 0;
  let chatId: number;
  try {
    chatId = parts.world.chat(params.chatId()).chat.id;
  } catch {
    return 0; // the method itself will say what is wrong
  }
  return parts.limits.check(chatId, chatId < 0);
}

function drop(parts: ServerParts, req: IncomingMessage, call: ApiCall): void {
  call.dropped = true;
  parts.calls.push(call);
  req.socket.destroy();
}

function finish(parts: ServerParts, res: ServerResponse, call: ApiCall, outcome: unknown): void {
  if (outcome instanceof ApiError) {
    call.status = outcome.error_code;
    call.error = {
      error_code: outcome.error_code,
      description: outcome.description,
      ...(outcome.parameters ? { parameters: outcome.parameters } : {}),
    };
  } else if (outcome instanceof Error) {
    call.status = 500;
    call.error = { error_code: 500, description: `Internal Server Error: ${outcome.message}` };
    outcome = new ApiError(500, call.error.description);
  } else {
    call.status = 200;
    call.result = outcome instanceof Described ? outcome.result : outcome;
  }
  parts.calls.push(call);
  answer(res, outcome);
}

function answer(res: ServerResponse, outcome: unknown): void {
  if (res.destroyed) return;
  const body =
    outcome instanceof ApiError
      ? outcome.toJSON()
      : outcome instanceof Described
        ? { ok: true, result: outcome.result, description: outcome.description }
        : { ok: true, result: outcome };
  const json = JSON.stringify(body);
  res.writeHead(outcome instanceof ApiError ? outcome.error_code : 200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

function serveFile(parts: ServerParts, res: ServerResponse, token: string, path: string): void {
  const stored = token === parts.token ? parts.world.fileByPath(path) : undefined;
  if (!stored) {
    answer(res, token === parts.token ? new ApiError(404, 'Not Found') : new ApiError(401, 'Unauthorized'));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': stored.bytes.length });
  res.end(stored.bytes);
}
