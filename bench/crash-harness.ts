// The bot as a process that can die: the real bot (bench/bot-process.ts: startBot with the runner,
// intake drafts in SQLite, the notifier) in a child process on a SQLite file, against the local Bot API
// emulator in this one. `kill()` is SIGKILL — no update finishes, no intake draft is written, as in a
// crash or an OOM kill; `start()` brings a new process up on the same file, as systemd's Restart=always
// would. Used by tests/crash-intake.test.ts and bench/crash-intake.ts.
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Message } from 'grammy/types';
import { type Db, openDatabase } from '../db/connection.ts';
import { seedDemo } from '../db/seed.ts';
import { type Emulator, startEmulator, type TestUser } from '../emulator/index.ts';
import type { BotProcessMessage } from './bot-process.ts';

export interface CrashDesk {
  emu: Emulator;
  /** This process's own connection to the store, for checks (the bot writes through its own). */
  db: Db;
  dbPath: string;
  /** The demo's "printer" category id. */
  printer: number;
  /** A new bot process on the same store; resolves when it polls. */
  start(): Promise<void>;
  /** SIGKILL, and wait until the process is gone and its long poll with it. */
  kill(): Promise<void>;
  /** How many processes were started so far. */
  readonly starts: number;
  close(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./bot-process.ts', import.meta.url));

/** A fresh store (the demo desk: categories, contracts, staff) in a temporary folder, and the emulator. */
export async function crashDesk(): Promise<CrashDesk> {
  const dir = mkdtempSync(join(tmpdir(), 'tgdesk-crash-'));
  const dbPath = join(dir, 'desk.sqlite');
  const db = openDatabase(dbPath);
  await seedDemo(db, Date.now());
  const printer = db.$client
    .prepare(`select id from categories where code = 'printer'`)
    .pluck()
    .get() as number;
  const emu = await startEmulator();
  // The demo's staff are people in this Telegram, so their notices are delivered, not refused.
  const staff = db.$client
    .prepare('select telegram_user_id from people where telegram_user_id is not null')
    .pluck()
    .all() as number[];
  for (const id of staff) emu.user({ id, first_name: `Staff ${id}` });

  let child: ChildProcess | undefined;
  let starts = 0;
  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
    // The dead process's long poll ends when the emulator sees its socket close.
    await emu.waitFor(() => !emu.polling, 10_000);
  };
  return {
    emu,
    db,
    dbPath,
    printer,
    get starts() {
      return starts;
    },
    async start() {
      if (child) throw new Error('the bot process is already running');
      starts++;
      const started = fork(SCRIPT, ['tgdesk', emu.apiRoot, emu.token, dbPath], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child = started;
      const ready = await new Promise<BotProcessMessage>((resolve, reject) => {
        const onExit = (code: number | null) =>
          reject(new Error(`the bot process exited (${code}) at start`));
        started.once('exit', onExit);
        started.once('message', (message) => {
          started.off('exit', onExit);
          resolve(message as BotProcessMessage);
        });
      });
      if (ready.type !== 'ready') throw new Error(`the bot process said ${ready.type} at start`);
      await emu.waitFor(() => emu.polling, 20_000);
    },
    kill,
    async close() {
      await kill();
      await emu.close();
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Tickets per Telegram user, from the store. */
export function ticketsOf(db: Db, telegramUserId: number): { id: number; number: number }[] {
  return db.$client
    .prepare(
      `select t.id, t.number from tickets t join people p on p.id = t.requester_id
       where p.telegram_user_id = ? order by t.id`,
    )
    .all(telegramUserId) as { id: number; number: number }[];
}

/** The newest bot message of a chat whose text contains `text`. */
export function latest(u: TestUser, text: string): Message | undefined {
  return u
    .inbox()
    .filter((m) => (m.text ?? '').includes(text))
    .at(-1);
}
