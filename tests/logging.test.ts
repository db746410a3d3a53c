// Structured logs: one JSON line per API request with its request id (echoed in X-Request-Id), the update
// id on the bot's lines, and never the bot token, the webhook secret, an Authorization header or Mini App
// init data — not in any line, whatever the request carried.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createApi } from '../api/app.ts';
import { signInitData } from '../api/init-data.ts';
import { loadConfig } from '../app/config.ts';
import { createLogger } from '../app/logger.ts';
import { type RunningBot, startBot } from '../bot/run.ts';
import { SYSTEM } from '../core/permissions.ts';
import { ctiToken } from '../core/phone/cti-token.ts';
import { type Emulator, startEmulator } from '../emulator/index.ts';
import { makeWorld } from './fixtures.ts';

/** A token shaped like BotFather's. */
const TOKEN = `7123456789:AAH${randomBytes(24).toString('base64url')}`;
const SECRET = `webhook-secret-${randomBytes(12).toString('hex')}`;

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return {
    logger: createLogger({ level: 'debug', destination: stream, secrets: [TOKEN, SECRET] }),
    lines,
    // biome-ignore lint/suspicious/noExplicitAny: log lines of many shapes, checked by the assertions
    records: (): any[] => lines.map((l) => JSON.parse(l)),
    text: () => lines.join('\n'),
  };
}

let emulator: Emulator | undefined;
let bot: RunningBot | undefined;
afterEach(async () => {
  await bot?.stop();
  await emulator?.close();
  bot = undefined;
  emulator = undefined;
});

describe('structured logs', () => {
  it('log each API request with its request id, and never the init data, its hash or the token', async () => {
    const w = await makeWorld();
    const log = capture();
    const api = createApi({ desk: w.ctx, botToken: TOKEN, logger: log.logger });
    const initData = signInitData(
      TOKEN,
      { id: 1001 + 1, first_name: 'Client A' },
      {
        authDate: Math.floor(w.clock.now() / 1000),
      },
    );
    const hash = new URLSearchParams(initData).get('hash') ?? '';
    expect(hash).toMatch(/^[0-9a-f]{64}$/);

    const mine = await api.request('/api/me?token=should-not-be-logged', {
      headers: { Authorization: `tma ${initData}`, 'X-Request-Id': 'req-42_ok' },
    });
    expect(mine.headers.get('x-request-id')).toBe('req-42_ok');
    // A request id that is not plain is replaced, not echoed.
    const odd = await api.request('/api/me', {
      headers: { Authorization: `tma ${initData}`, 'X-Request-Id': 'no spaces <please>' },
    });
    const generated = odd.headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    // A refused one (bad init data) is logged as well, still without what it carried.
    const refused = await api.request('/api/me', { headers: { Authorization: `tma ${initData}x` } });
    expect(refused.status).toBe(401);

    const requests = log.records().filter((r) => r.msg === 'request');
    expect(requests).toHaveLength(3);
    expect(requests[0]).toMatchObject({
      level: 30,
      reqId: 'req-42_ok',
      method: 'GET',
      path: '/api/me',
      status: mine.status,
    });
    expect(typeof requests[0].ms).toBe('number');
    expect(requests[1].reqId).toBe(generated);
    expect(requests[2]).toMatchObject({ status: 401, path: '/api/me' });

    const text = log.text();
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(TOKEN.split(':')[1]);
    expect(text).not.toContain(hash);
    expect(text).not.toContain('auth_date');
    expect(text).not.toContain('should-not-be-logged');
    expect(text.toLowerCase()).not.toContain('authorization');
  });

  it('log webhook updates with their update id, and never the token or the secret', async () => {
    const w = await makeWorld();
    emulator = await startEmulator({ token: TOKEN });
    const log = capture();
    bot = await startBot({
      desk: w.ctx,
      token: TOKEN,
      apiRoot: emulator.apiRoot,
      webhook: { url: 'https://desk.example.org/telegram', secret: SECRET },
      logger: log.logger,
    });
    const webhook = bot.webhook;
    if (!webhook) throw new Error('no webhook handler');
    const api = createApi({
      desk: w.ctx,
      botToken: TOKEN,
      logger: log.logger,
      webhook: { path: '/telegram', handler: webhook },
    });
    const user = emulator.user({ id: 777101, first_name: 'Logged' });
    const post = (updateId: number) =>
      api.request('/telegram', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify({
          update_id: updateId,
          message: {
            message_id: updateId,
            date: Math.floor(Date.now() / 1000),
            chat: { id: user.chatId, type: 'private', first_name: 'Logged' },
            from: { id: user.id, is_bot: false, first_name: 'Logged' },
            text: '/help',
          },
        }),
      });

    // The webhook answers once the update is handled: the reply is there.
    expect((await post(500_001)).status).toBe(200);
    expect(user.inbox()).toHaveLength(1);
    // A reply Telegram refuses for longer than the bot waits: the handler fails, the line names the update.
    emulator.faults.inject({ kind: 'too_many_requests', retryAfter: 120, method: 'sendMessage', count: 5 });
    expect((await post(500_002)).status).toBe(200);

    const records = log.records();
    expect(records).toContainEqual(
      expect.objectContaining({ msg: 'bot: update handled', updateId: 500_001 }),
    );
    const failed = records.find((r) => r.msg === 'bot: update failed');
    expect(failed).toMatchObject({ level: 50, updateId: 500_002 });
    expect(records).toContainEqual(
      expect.objectContaining({ msg: 'request', method: 'POST', path: '/telegram', status: 200 }),
    );
    const text = log.text();
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(TOKEN.split(':')[1]);
    expect(text).not.toContain(SECRET);
  });

  it('log a call from the PBX with the webhook token in its path blanked', async () => {
    const w = await makeWorld();
    const cti = await ctiToken(w.ctx, SYSTEM);
    const log = capture();
    const api = createApi({ desk: w.ctx, botToken: TOKEN, logger: log.logger });
    const response = await api.request(`/api/telephony/cti/${cti}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'event=newCall&from=79161234567&to=74951234567&direction=in&callId=log-1',
    });
    expect(response.status).toBeLessThan(300);
    expect(log.records().find((r) => r.msg === 'request')?.path).toBe('/api/telephony/cti/***');
    expect(log.text()).not.toContain(cti);
  });

  it('scrub a token or a secret that slips into a message or an object', () => {
    const log = capture();
    log.logger.error(
      {
        err: new Error(`fetch https://api.telegram.org/bot${TOKEN}/getMe failed`),
        config: { botToken: TOKEN },
      },
      `secret is ${SECRET}`,
    );
    log.logger.info(
      { headers: { authorization: 'tma user=x&hash=abc' } },
      'tma user=1&hash=0123456789abcdef',
    );
    const text = log.text();
    expect(text).not.toContain(TOKEN.split(':')[1]);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('0123456789abcdef');
    expect(text).not.toContain('hash=abc');
    expect(text).toContain('[redacted]');
  });

  it('take LOG_LEVEL from the environment, and refuse a level that does not exist', () => {
    expect(loadConfig({}).logLevel).toBe('info');
    expect(loadConfig({ LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
    expect(loadConfig({ LOG_LEVEL: 'silent' }).logLevel).toBe('silent');
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL must be one of trace, debug, info/);
  });
});

describe('text lines for a person at a terminal', () => {
  it('print time, level and message, scrubbed like JSON lines, and LOG_FORMAT picks them', async () => {
    const { spawnSync } = await import('node:child_process');
    const script = [
      "import { createLogger } from './app/logger.ts';",
      `const log = createLogger({ format: 'text', secrets: ['${SECRET}'] });`,
      `log.info({ ticket: 1042 }, 'sent with ${SECRET} and ${TOKEN}');`,
      "log.error({ err: new Error('boom') }, 'failed');",
    ].join('\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    const [info, error, stack] = run.stdout.split('\n');
    expect(info).toMatch(
      /^\d\d:\d\d:\d\d info {2}sent with \[redacted\] and \[redacted\] \{"ticket":1042\}$/,
    );
    expect(error).toMatch(/^\d\d:\d\d:\d\d error failed$/);
    expect(stack).toBe('Error: boom');
    expect(run.stdout).not.toContain(SECRET);
    expect(loadConfig({ LOG_FORMAT: 'text' }).logFormat).toBe('text');
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
  });
});
