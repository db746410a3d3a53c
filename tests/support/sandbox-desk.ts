// A desk started the way `npm start` starts it without a bot token (the sandbox), on an in-memory store, for
// the tests of the sandbox's panels. Registers its own start and stop; errors of the bot and the notifier fail
// the file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { createLogger } from '../../app/logger.ts';
import { type RunningApp, startApp } from '../../app/run.ts';

export interface SandboxDesk {
  app(): RunningApp;
  /** http://127.0.0.1:<port> */
  origin(): string;
  /** POSTs JSON (or a raw string) to /sandbox/api<path>. */
  post(path: string, body?: unknown): Promise<Response>;
}

export function sandboxDesk(name: string): SandboxDesk {
  let app: RunningApp | undefined;
  let filesDir: string | undefined;
  const errors: unknown[] = [];
  beforeAll(async () => {
    filesDir = mkdtempSync(join(tmpdir(), `tgdesk-${name}-`));
    app = await startApp(loadConfig({ DATABASE_PATH: ':memory:', PORT: '0', FILES_DIR: filesDir }), {
      log: () => {},
      logger: createLogger({ level: 'silent' }),
      onError: (error) => errors.push(error),
      limits: { globalPerSecond: 30, perChatIntervalMs: 20, groupPerMinute: 20 },
    });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    if (filesDir) rmSync(filesDir, { recursive: true, force: true });
    expect(errors).toEqual([]);
  });
  const running = () => {
    if (!app) throw new Error('the sandbox desk has not started');
    return app;
  };
  const origin = () => `http://127.0.0.1:${running().port}`;
  return {
    app: running,
    origin,
    post: (path, body) =>
      fetch(`${origin()}/sandbox/api${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
  };
}
