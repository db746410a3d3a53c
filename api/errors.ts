// Every failure as JSON: { error: { code, message, issues? } }. Core's typed refusals and bad input are
// 4xx with their code; anything unexpected is a 500 without details (logged, never shown).
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { DeskError, type DeskErrorCode } from '../core/errors.ts';

/** A refusal of the HTTP layer itself (authentication, content type, size, a missing dependency). */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ErrorIssue {
  path: (string | number)[];
  message: string;
}

export interface ErrorBody {
  error: { code: string; message: string; issues?: ErrorIssue[] };
}

const STATUS_OF: Record<DeskErrorCode, ContentfulStatusCode> = {
  invalid_input: 400,
  forbidden: 403,
  not_found: 404,
  invalid_transition: 409,
  stale: 409,
  conflict: 409,
  configuration: 500,
};

const CODE_OF_STATUS: Partial<Record<number, string>> = {
  400: 'invalid_input',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'not_found',
  409: 'conflict',
  413: 'too_large',
  415: 'unsupported_media_type',
};

function issuesOf(raw: unknown): ErrorIssue[] | undefined {
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  return raw.slice(0, 50).map((i: { path?: unknown; message?: unknown }) => ({
    path: Array.isArray(i?.path)
      ? i.path.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number')
      : [],
    message: typeof i?.message === 'string' ? i.message : '',
  }));
}

export function errorJson(c: Context, status: ContentfulStatusCode, body: ErrorBody['error']): Response {
  const error = body.issues ? body : { code: body.code, message: body.message };
  return c.json({ error } satisfies ErrorBody, status);
}

/** The response for any error; `log` hears of the unexpected ones. */
export function errorResponse(c: Context, err: unknown, log: (error: unknown) => void): Response {
  if (err instanceof ApiError) return errorJson(c, err.status, { code: err.code, message: err.message });
  if (err instanceof DeskError) {
    const status = STATUS_OF[err.code];
    if (status >= 500) {
      log(err);
      return errorJson(c, status, { code: err.code, message: 'the desk is not set up for this' });
    }
    const issues = issuesOf(err.details.issues);
    return errorJson(c, status, { code: err.code, message: err.message, ...(issues ? { issues } : {}) });
  }
  if (err instanceof ZodError) {
    const issues = issuesOf(err.issues);
    return errorJson(c, 400, {
      code: 'invalid_input',
      message: 'the input does not parse',
      ...(issues ? { issues } : {}),
    });
  }
  if (err instanceof HTTPException && err.status < 500) {
    const status = err.status as ContentfulStatusCode;
    return errorJson(c, status, { code: CODE_OF_STATUS[status] ?? 'invalid_input', message: err.message });
  }
  log(err);
  return errorJson(c, 500, { code: 'internal', message: 'internal error' });
}

export function notFoundJson(c: Context): Response {
  return errorJson(c, 404, { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` });
}
