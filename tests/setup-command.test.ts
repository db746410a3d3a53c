// The operator's side of the first admin, as real processes on a real file: `npm start` with a bot token on
// an empty store prints a set-up link, `npm run setup -- admin` prints another, and once someone used one
// neither prints anything again.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { createContext } from '../core/context.ts';
import { systemClock } from '../core/model.ts';
import { hasAdmin, redeemSetupCode } from '../core/setup/first-admin.ts';
import { openDatabase } from '../db/connection.ts';
import { type Emulator, startEmulator } from '../emulator/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'tgdesk-setup-'));
const children: ChildProcess[] = [];
let emu: Emulator | undefined;
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await emu?.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a script of app/ with tsx; resolves when `until` matches the output, or when it exits. */
function run(script: string, args: string[], env: NodeJS.ProcessEnv, until?: RegExp) {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: 'pipe',
  });
  children.push(child);
  let output = '';
  return new Promise<{ output: string; code: number | null; child: ChildProcess }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} printed:\n${output}`)), 90_000);
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (until?.test(output)) {
        clearTimeout(timer);
        resolve({ output, code: null, child });
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ output, code, child });
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await exited;
}

const LINK = /https:\/\/t\.me\/tgdesk_test_bot\?start=(setup_[\w-]+)/;

it('prints a set-up link at start and on request until someone becomes admin, then never again', async () => {
  emu = await startEmulator();
  const env = {
    BOT_TOKEN: emu.token,
    BOT_API_ROOT: emu.apiRoot,
    DATABASE_PATH: join(dir, 'desk.sqlite'),
    PORT: '0',
    HOST: '127.0.0.1',
  };
  const first = await run('app/start.ts', [], env, /start=setup_[\w-]+\s*\n[\s\S]*ADMIN_TELEGRAM_IDS/);
  const startCode = LINK.exec(first.output)?.[1];
  expect(startCode).toBeTruthy();
  await stop(first.child);

  const again = await run('app/setup.ts', ['admin'], env);
  expect(again.code).toBe(0);
  const cliCode = LINK.exec(again.output)?.[1];
  expect(cliCode).toBeTruthy();
  expect(cliCode).not.toBe(startCode);

  const usage = await run('app/setup.ts', [], env);
  expect(usage.code).toBe(2);
  expect(usage.output).toContain('Usage: npm run setup -- admin');

  // Both printed links are live; the first one used makes the admin.
  const db = openDatabase(env.DATABASE_PATH);
  const desk = createContext(db, systemClock);
  await redeemSetupCode(desk, { telegramUserId: 990001, name: 'Анна' }, startCode ?? '');
  expect(await hasAdmin(desk)).toBe(true);
  await expect(
    redeemSetupCode(desk, { telegramUserId: 990002, name: 'Борис' }, cliCode ?? ''),
  ).rejects.toThrow(/admin_exists/);
  db.$client.close();

  const refused = await run('app/setup.ts', ['admin'], env);
  expect(refused.code).toBe(1);
  expect(refused.output).toContain('already has an admin');
  expect(refused.output).not.toMatch(/setup_/);

  const later = await run('app/start.ts', [], env, /listen on port \d+/);
  expect(later.output).not.toMatch(/setup_/);
  await stop(later.child);
}, 180_000);
