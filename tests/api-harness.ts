// The API over an in-memory world, called with app.request() (no network): signed init data per person,
// a stand-in for the Bot API's file download and document sending.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Hono } from 'hono';
import { type ApiDeps, createApi } from '../api/app.ts';
import { type InitDataUser, signInitData } from '../api/init-data.ts';
import { queryOne } from '../db/access.ts';
import { people } from '../db/schema.ts';
import { makeWorld, type PersonKey, type World, type WorldOptions } from './fixtures.ts';

export const BOT_TOKEN = '424242:TEST-api-token';

export interface SentDocument {
  chatId: number;
  fileName: string;
  bytes: Uint8Array;
  caption: string;
}

export interface ApiWorld extends World {
  app: Hono;
  sent: SentDocument[];
  /** Telegram file id → bytes the stand-in getFile returns. */
  files: Map<string, Uint8Array>;
  errors: unknown[];
}

export async function apiWorld(options: WorldOptions = {}, deps: Partial<ApiDeps> = {}): Promise<ApiWorld> {
  const w = await makeWorld(options);
  const sent: SentDocument[] = [];
  const files = new Map<string, Uint8Array>();
  return { ...w, app: apiOf(w, sent, files, deps), sent, files, errors: [] };
}

/** The same store and clock behind a new API, as after a restart: whatever the old one held in memory is gone. */
export function restartedApi(w: ApiWorld, deps: Partial<ApiDeps> = {}): ApiWorld {
  return { ...w, app: apiOf(w, w.sent, w.files, deps) };
}

function apiOf(w: World, sent: SentDocument[], files: Map<string, Uint8Array>, deps: Partial<ApiDeps>) {
  return createApi({
    desk: w.ctx,
    botToken: BOT_TOKEN,
    botUsername: 'tgdesk_test_bot',
    // Uploaded files go to a folder of this world's own, never into ./data.
    filesDir: mkdtempSync(join(tmpdir(), 'tgdesk-files-')),
    downloadFile: async (fileId) => {
      const bytes = files.get(fileId);
      if (!bytes) throw new Error(`no file ${fileId}`);
      return { bytes };
    },
    sendDocument: async (chatId, file, caption) => {
      sent.push({ chatId, fileName: file.fileName, bytes: file.bytes, caption });
    },
    ...deps,
  });
}

/** The Telegram user behind a person of the world, as Telegram would put it in init data. */
export async function telegramUser(w: World, who: PersonKey): Promise<InitDataUser> {
  const row = await queryOne(w.ctx.db.select().from(people).where(eq(people.id, w.ids[who])));
  if (!row?.telegramUserId) throw new Error(`${who} has no Telegram account`);
  return { id: row.telegramUserId, first_name: row.name, language_code: 'en' };
}

/** Init data signed now (by the world's clock). */
export async function initData(w: World, who: PersonKey | InitDataUser, token = BOT_TOKEN): Promise<string> {
  const user = typeof who === 'string' ? await telegramUser(w, who) : who;
  return signInitData(token, user, { authDate: Math.floor(w.clock.now() / 1000) });
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body when it is JSON, else undefined; tests read into it freely and assert on what they find. */
  // biome-ignore lint/suspicious/noExplicitAny: response bodies of many shapes, checked by the assertions
  json: any;
  bytes: Uint8Array;
}

export async function call(
  w: ApiWorld,
  who: PersonKey | InitDataUser | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const h: Record<string, string> = { ...headers };
  if (who !== null && h.Authorization === undefined) h.Authorization = `tma ${await initData(w, who)}`;
  let payload: string | undefined;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    h['Content-Type'] ??= 'application/json';
  }
  const res = await w.app.request(path, {
    method,
    headers: h,
    ...(payload === undefined ? {} : { body: payload }),
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  // The byte-order mark stays visible (CSV exports start with one).
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  let json: unknown;
  if ((res.headers.get('content-type') ?? '').includes('application/json')) json = JSON.parse(text);
  return { status: res.status, headers: res.headers, text, json, bytes };
}
