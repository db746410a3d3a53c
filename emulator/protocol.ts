// The Bot API wire format: errors as Telegram words them, and request parameters read the way the
// Bot API server reads them (every top-level field may arrive as a string: form bodies carry no types).
import type { ResponseParameters } from 'grammy/types';

/** A `{ ok: false }` answer. Methods throw it; the server turns it into the HTTP reply. */
export class ApiError extends Error {
  constructor(
    readonly error_code: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
  }

  toJSON() {
    return {
      ok: false,
      error_code: this.error_code,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }
}

export const badRequest = (what: string) => new ApiError(400, `Bad Request: ${what}`);
export const forbidden = (what: string) => new ApiError(403, `Forbidden: ${what}`);
export const conflict = (what: string) => new ApiError(409, `Conflict: ${what}`);
export const tooManyRequests = (retryAfter: number) =>
  new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });

/** An `{ ok: true }` answer that also carries a description, as setWebhook's do. */
export class Described {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}

/** A file sent in a multipart body. */
export interface Upload {
  fileName: string;
  bytes: Uint8Array;
}

/** What a method may receive as a file: bytes uploaded now, or a string (file_id or URL). */
export type InputFileRef = { upload: Upload } | { id: string };

export class Params {
  constructor(
    readonly values: Record<string, unknown>,
    private readonly uploads: ReadonlyMap<string, Upload> = new Map(),
  ) {}

  has(name: string): boolean {
    const value = this.values[name];
    return value !== undefined && value !== null && value !== '';
  }

  string(name: string): string | undefined {
    const value = this.values[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return JSON.stringify(value);
  }

  /** Telegram reads garbage as 0, which then fails as "not specified"; we read it as absent. */
  integer(name: string): number | undefined {
    const value = this.values[name];
    const n =
      typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
    return Number.isSafeInteger(n) ? n : undefined;
  }

  boolean(name: string): boolean {
    const value = this.values[name];
    return value === true || value === 1 || value === 'true' || value === 'True' || value === '1';
  }

  /** A JSON-serialized field (objects arrive as JSON strings in form bodies). */
  json(name: string, what: string): unknown {
    const value = this.values[name];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value);
    } catch {
      throw badRequest(`can't parse ${what} JSON object`);
    }
  }

  /** chat_id as Telegram takes it: an integer, or '@username' for public chats. */
  chatId(name = 'chat_id'): number | string {
    const raw = this.string(name);
    if (raw === undefined || raw === '') throw badRequest(`${name} is empty`);
    const n = Number(raw);
    return Number.isSafeInteger(n) ? n : raw;
  }

  file(name: string): InputFileRef | undefined {
    const direct = this.uploads.get(name);
    if (direct) return { upload: direct };
    const value = this.string(name);
    if (value === undefined || value === '') return undefined;
    if (value.startsWith('attach://')) {
      const attached = this.uploads.get(value.slice('attach://'.length));
      return attached ? { upload: attached } : undefined;
    }
    return { id: value };
  }
}
