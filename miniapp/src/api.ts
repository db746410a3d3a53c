// Calls to the tgdesk API. Every request carries the raw init data Telegram signed for this launch.
import { WebApp } from './telegram.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Why, in the route's own words, when it names it (a mail still held: 'unreadable'). */
    readonly reason?: string,
  ) {
    super(message);
  }
}

function authHeaders(): Record<string, string> {
  return { Authorization: `tma ${WebApp.initData}` };
}

async function failure(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; reason?: unknown } };
    const reason = body.error?.reason;
    return new ApiError(
      res.status,
      body.error?.code ?? 'http',
      body.error?.message ?? res.statusText,
      typeof reason === 'string' ? reason : undefined,
    );
  } catch {
    return new ApiError(res.status, 'http', res.statusText);
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    params.set(k, v === true ? '1' : String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** GETs started before a screen asks for them (at start, beside /api/me); each is used once. */
const early = new Map<string, Promise<unknown>>();

declare global {
  interface Window {
    /** The first screen's GETs, started by index.html before this code loaded. */
    __tgdeskEarly?: { initData: string; requests: Record<string, Promise<Response>> };
  }
}

/** Takes index.html's early GETs when they carry the init data this launch signs with. */
function adoptEarly(): void {
  const started = window.__tgdeskEarly;
  window.__tgdeskEarly = undefined;
  if (!started || started.initData !== WebApp.initData) return;
  for (const [url, response] of Object.entries(started.requests)) {
    const request = response.then(
      async (res) => {
        if (!res.ok) throw await failure(res);
        return (await res.json()) as unknown;
      },
      (e: unknown) => {
        throw new ApiError(0, 'network', (e as Error).message);
      },
    );
    request.catch(() => early.delete(url)); // a failure is asked again by the screen itself
    early.set(url, request);
  }
}
adoptEarly();

/** Starts a GET now whose answer the first screen will want, saving it a round trip after start-up. */
export function prefetch(path: string, query?: Query): void {
  const url = withQuery(path, query);
  if (early.has(url)) return; // index.html asked already
  const request = api(path, query ? { query } : {});
  request.catch(() => early.delete(url)); // a failure is asked again by the screen itself
  early.set(url, request);
}

export async function api<T>(
  path: string,
  init: {
    method?: string;
    body?: unknown;
    query?: Query;
    signal?: AbortSignal;
    headers?: Record<string, string>;
  } = {},
): Promise<T> {
  if (init.method === undefined && init.body === undefined) {
    const url = withQuery(path, init.query);
    const started = early.get(url);
    if (started) {
      early.delete(url);
      return started as Promise<T>;
    }
  }
  const headers = { ...authHeaders(), ...init.headers };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(withQuery(path, init.query), {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: init.body === undefined ? null : JSON.stringify(init.body),
      signal: init.signal ?? null,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', (e as Error).message);
  }
  if (!res.ok) throw await failure(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Downloads a file the API streams (exports, attachments) and hands it to the browser as a download. */
export async function download(path: string, query: Query, fallbackName: string): Promise<Blob> {
  const res = await fetch(withQuery(path, query), { headers: authHeaders() });
  if (!res.ok) throw await failure(res);
  const blob = await res.blob();
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const plain = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  const name = star ? decodeURIComponent(star) : (plain ?? fallbackName);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return blob;
}

/** A refused upload: `reason` names why, and the message is the server's text in the person's language. */
export class UploadError extends ApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    override readonly reason: string,
  ) {
    super(status, code, message, reason);
  }
}

/** POSTs a file as the request body (the directory import); answers the route's JSON. */
export async function upload<T>(path: string, file: Blob, query: Query = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(withQuery(path, query), {
      method: 'POST',
      headers: { ...authHeaders(), 'Content-Type': 'application/octet-stream' },
      body: file,
    });
  } catch (e) {
    throw new ApiError(0, 'network', (e as Error).message);
  }
  if (!res.ok) {
    const body = (await res
      .clone()
      .json()
      .catch(() => null)) as { error?: { code?: string; reason?: string; text?: string } } | null;
    const e = body?.error;
    if (e?.reason && e.text) throw new UploadError(res.status, e.code ?? 'http', e.text, e.reason);
    throw await failure(res);
  }
  return (await res.json()) as T;
}

/** Lists from the admin routes come bare or wrapped in one property: take the array either way. */
export function listOf<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  if (body && typeof body === 'object') {
    for (const v of Object.values(body)) if (Array.isArray(v)) return v as T[];
  }
  return [];
}
