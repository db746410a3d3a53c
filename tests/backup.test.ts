// Backups and restores, drilled on a real file: a store of 1,000 tickets backed up while tickets and
// comments keep coming, restored into a fresh place, and nothing that existed when the backup began is
// missing. Restore refuses what it must (a damaged file, a backup of a newer tgdesk, a running desk);
// the daily backup keeps the newest N and decides what is due from the files on disk.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupStore, RefusedError, restoreStore } from '../app/backup-commands.ts';
import { DAY_MS, FIRST_BACKUP_DELAY_MS, startBackupScheduler, type Timers } from '../app/backup-scheduler.ts';
import { loadConfig } from '../app/config.ts';
import { acquireInstanceLock, lockFileOf } from '../app/instance-lock.ts';
import { createLogger } from '../app/logger.ts';
import { loadActor } from '../core/actors.ts';
import { createContext, type DeskContext } from '../core/context.ts';
import { ManualClock } from '../core/model.ts';
import type { Actor } from '../core/permissions.ts';
import { addComment } from '../core/tickets/comment.ts';
import { createTicket } from '../core/tickets/create.ts';
import { backupDatabase } from '../db/backup.ts';
import { MIGRATIONS_FOLDER, openDatabase } from '../db/connection.ts';
import { seedDemo } from '../db/seed.ts';

const quiet = createLogger({ level: 'silent' });
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tgdesk-backup-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Desk {
  ctx: DeskContext;
  clock: ManualClock;
  client: Actor;
  /** The ids of the tickets filed by `file`. */
  filed: number[];
  close(): void;
}

/** A desk on a file: the demo's people and contracts, and `tickets` tickets filed through core. */
async function fileDesk(path: string, tickets = 0): Promise<Desk> {
  const db = openDatabase(path);
  const clock = new ManualClock(Date.parse('2026-11-02T10:00:00+03:00'));
  const ids = await seedDemo(db, clock.now());
  const ctx = createContext(db, clock);
  const client = await loadActor(db, ids.clientA);
  const desk: Desk = { ctx, clock, client, filed: [], close: () => db.$client.close() };
  for (let i = 0; i < tickets; i++) await file(desk, i);
  return desk;
}

async function file(desk: Desk, i: number): Promise<number> {
  desk.clock.advance(1_000);
  const { id } = await createTicket(desk.ctx, desk.client, {
    channel: 'telegram',
    description: `Printer ${i} jams`,
  });
  desk.filed.push(id);
  return id;
}

function ids(sqlite: Database.Database, table: 'tickets' | 'ticket_events'): number[] {
  return (sqlite.prepare(`select id from ${table} order by id`).all() as { id: number }[]).map((r) => r.id);
}

function integrity(path: string): string {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (sqlite.pragma('integrity_check', { simple: true }) as string) ?? '';
  } finally {
    sqlite.close();
  }
}

function expectRefusal(run: () => unknown, message: RegExp): void {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(RefusedError);
  expect((error as Error).message).toMatch(message);
}

describe('the backup drill', () => {
  it('backs up 1,000 tickets while the desk keeps writing, and the restore has every one of them', async () => {
    const store = join(dir, 'desk.sqlite');
    const desk = await fileDesk(store, 1_000);
    const sqlite = desk.ctx.db.$client;
    const ticketsBefore = ids(sqlite, 'tickets');
    const eventsBefore = ids(sqlite, 'ticket_events');
    expect(ticketsBefore.slice(-1_000)).toEqual(desk.filed); // the demo's month, then ours

    // Small steps, and between every two of them the desk files a ticket and comments on an older one:
    // the copy is consistent however the writes fall.
    let steps = 0;
    let written = 0;
    const backupsDir = join(dir, 'backups');
    mkdirSync(backupsDir);
    const backup = join(backupsDir, 'drill.sqlite');
    const result = await backupDatabase(sqlite, backup, {
      pagesPerStep: 16,
      onStep: async () => {
        steps++;
        const id = await file(desk, 10_000 + steps);
        await addComment(desk.ctx, desk.client, desk.filed[steps % 1_000] ?? id, {
          body: `still broken ${steps}`,
        });
        written += id > 0 ? 1 : 0;
      },
    });
    expect(steps).toBeGreaterThan(10);
    expect(written).toBe(steps);
    expect(result.bytes).toBe(statSync(backup).size);
    // Never a half backup under the final name: no temporary file is left beside it.
    expect(readdirSync(backupsDir)).toEqual(['drill.sqlite']);
    desk.close();

    const restored = join(dir, 'restored', 'tgdesk.sqlite');
    mkdirSync(join(dir, 'restored'));
    const outcome = restoreStore(backup, restored);
    expect(outcome).toMatchObject({ store: restored, previous: null });
    expect(integrity(restored)).toBe('ok');

    const reopened = openDatabase(restored);
    try {
      const ticketsAfter = ids(reopened.$client, 'tickets');
      const eventsAfter = ids(reopened.$client, 'ticket_events');
      expect(ticketsAfter.length).toBeGreaterThanOrEqual(ticketsBefore.length);
      expect(eventsAfter.length).toBeGreaterThanOrEqual(eventsBefore.length);
      const haveTickets = new Set(ticketsAfter);
      const haveEvents = new Set(eventsAfter);
      expect(ticketsBefore.filter((id) => !haveTickets.has(id))).toEqual([]);
      expect(eventsBefore.filter((id) => !haveEvents.has(id))).toEqual([]);
    } finally {
      reopened.$client.close();
    }
  }, 60_000);

  it('stays consistent when another connection writes between the steps', async () => {
    const store = join(dir, 'desk.sqlite');
    const desk = await fileDesk(store, 200);
    const before = ids(desk.ctx.db.$client, 'tickets');
    // The backup reads through its own connection, as `npm run backup` does beside a running desk.
    const reader = new Database(store, { fileMustExist: true });
    let steps = 0;
    const backup = join(dir, 'other.sqlite');
    await backupDatabase(reader, backup, {
      pagesPerStep: 8,
      onStep: async () => {
        // SQLite restarts a copy the source changed under: write a while, then let it finish.
        if (++steps <= 20) await file(desk, 20_000 + steps);
      },
    });
    reader.close();
    desk.close();
    expect(integrity(backup)).toBe('ok');
    const copy = new Database(backup, { readonly: true });
    const have = new Set(ids(copy, 'tickets'));
    copy.close();
    expect(before.filter((id) => !have.has(id))).toEqual([]);
    expect(have.size).toBe(before.length + 20);
  }, 60_000);

  it('npm run backup: copies a store without migrating it, into a file or a folder; says when there is none', async () => {
    const store = join(dir, 'desk.sqlite');
    const desk = await fileDesk(store, 5);
    const named = await backupStore(store, join(dir, 'copy.sqlite'));
    expect(named.file).toBe(join(dir, 'copy.sqlite'));
    const inFolder = await backupStore(store, dir, Date.parse('2026-12-02T03:15:00Z'));
    expect(inFolder.file).toBe(join(dir, 'tgdesk-2026-12-02T031500Z.sqlite'));
    desk.close();
    expect(integrity(inFolder.file)).toBe('ok');
    await expect(backupStore(join(dir, 'nope.sqlite'), dir)).rejects.toThrow(/there is no store at/);
    writeFileSync(join(dir, 'plain.sqlite'), '');
    await expect(backupStore(join(dir, 'plain.sqlite'), join(dir, 'x.sqlite'))).rejects.toThrow(
      /not a tgdesk store/,
    );
  });
});

describe('restore', () => {
  async function backupOf(store: string, tickets: number): Promise<string> {
    const desk = await fileDesk(store, tickets);
    const copy = `${store}.backup`;
    desk.ctx.db.$client.prepare('VACUUM INTO ?').run(copy);
    desk.close();
    return copy;
  }

  it('keeps the replaced store beside it, with the commits its -wal held', async () => {
    const backup = await backupOf(join(dir, 'old.sqlite'), 3);
    const store = join(dir, 'desk.sqlite');
    const desk = await fileDesk(store, 7);
    // A desk that died: its last commits are only in the -wal (no checkpoint on a kill -9).
    const sqlite = desk.ctx.db.$client;
    sqlite.pragma('wal_autocheckpoint = 0');
    await file(desk, 99);
    const wal = readFileSync(`${store}-wal`);
    const main = readFileSync(store);
    desk.close(); // checkpoints; put back the state a kill would have left
    writeFileSync(store, main);
    writeFileSync(`${store}-wal`, wal);

    const outcome = restoreStore(backup, store, { now: Date.parse('2026-12-02T03:15:00Z') });
    expect(outcome.previous).toBe(`${store}.before-restore-2026-12-02T031500Z`);
    expect(existsSync(`${store}-wal`)).toBe(false);
    expect(existsSync(`${store}-shm`)).toBe(false);

    // The demo's month (94 tickets when seeded on 2 November) and 3 in the backup; 7 and the one only the
    // -wal had in the replaced store.
    const restored = new Database(store, { readonly: true });
    expect(ids(restored, 'tickets')).toHaveLength(94 + 3);
    restored.close();
    const kept = new Database(outcome.previous ?? '', { readonly: true });
    expect(ids(kept, 'tickets')).toHaveLength(94 + 7 + 1);
    kept.close();
  });

  it('refuses a file that is not a database, and one that is damaged', async () => {
    const store = join(dir, 'desk.sqlite');
    const garbage = join(dir, 'garbage.sqlite');
    writeFileSync(garbage, Buffer.alloc(64 * 1024, 'not a database at all '));
    expectRefusal(() => restoreStore(garbage, store), /not a SQLite database/);

    const backup = await backupOf(join(dir, 'old.sqlite'), 50);
    const damaged = join(dir, 'damaged.sqlite');
    copyFileSync(backup, damaged);
    // Scribble over the middle of the file, where the tables' pages are.
    const size = statSync(damaged).size;
    const fd = openSync(damaged, 'r+');
    writeSync(fd, Buffer.alloc(16 * 4096, 0x5a), 0, 16 * 4096, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    expectRefusal(() => restoreStore(damaged, store), /damaged/);
    expect(existsSync(store)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('partial') || f.endsWith('.lock'))).toEqual([]);
  });

  it('refuses a backup of a newer tgdesk, and takes one of an older tgdesk', async () => {
    const backup = await backupOf(join(dir, 'old.sqlite'), 2);
    const future = join(dir, 'future.sqlite');
    copyFileSync(backup, future);
    const sqlite = new Database(future);
    const newest = sqlite.prepare('select max(created_at) as at from __drizzle_migrations').get() as {
      at: number;
    };
    sqlite
      .prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)')
      .run('a-migration-from-the-future', newest.at + 86_400_000);
    sqlite.close();
    expectRefusal(() => restoreStore(future, join(dir, 'desk.sqlite')), /newer tgdesk/);

    // An older one: its last migration not applied yet. Restore takes it; the start migrates it.
    const older = join(dir, 'older.sqlite');
    makeOlderStore(older);
    const store = join(dir, 'desk.sqlite');
    expect(restoreStore(older, store).previous).toBeNull();
    const db = openDatabase(store);
    db.$client.close();
  });

  it('refuses while the desk runs, and takes over a lock its dead holder left', async () => {
    const backup = await backupOf(join(dir, 'old.sqlite'), 1);
    const store = join(dir, 'desk.sqlite');

    // The desk in this process holds the store.
    const lock = acquireInstanceLock(store);
    expectRefusal(() => restoreStore(backup, store), /tgdesk is running.*pid/);
    lock.release();

    // Another live process named in the lock file (this one's parent stands in for a running desk).
    writeFileSync(
      lockFileOf(store),
      JSON.stringify({ pid: process.ppid, by: 'tgdesk', since: 'x', host: 'y' }),
    );
    expectRefusal(() => restoreStore(backup, store), /tgdesk is running/);

    // A holder that has exited: stale, taken over, and removed after the restore.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(lockFileOf(store), String(gone));
    expect(restoreStore(backup, store).store).toBe(store);
    expect(existsSync(lockFileOf(store))).toBe(false);
  });
});

/** A store that is one migration behind this code, as an older tgdesk left it. */
function makeOlderStore(path: string): void {
  const folder = join(dir, 'old-migrations');
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalFile = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: unknown[] };
  journal.entries.pop();
  writeFileSync(journalFile, JSON.stringify(journal));
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  migrate(drizzle(sqlite), { migrationsFolder: folder });
  sqlite.close();
}

describe('before migrations', () => {
  it('backs up a store with pending migrations, and only then', () => {
    const store = join(dir, 'desk.sqlite');
    makeOlderStore(store);
    openDatabase(store).$client.close();
    const backups = readdirSync(join(dir, 'backups'));
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatch(/^pre-migration-\d{4}-\d{2}-\d{2}T\d{6}Z\.sqlite$/);
    const copy = new Database(join(dir, 'backups', backups[0] ?? ''), { readonly: true });
    const applied = copy.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number };
    copy.close();
    const shipped = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')).entries
      .length as number;
    expect(applied.n).toBe(shipped - 1);

    // Up to date now: the next start copies nothing. A new store is not copied either.
    openDatabase(store).$client.close();
    openDatabase(join(dir, 'fresh.sqlite')).$client.close();
    expect(readdirSync(join(dir, 'backups'))).toHaveLength(1);
  });
});

describe('the daily backup', () => {
  function fakeTimers() {
    const planned: { run: () => void; ms: number }[] = [];
    const timers: Timers = {
      set(run, ms) {
        const entry = { run, ms };
        planned.push(entry);
        return entry;
      },
      clear(handle) {
        const i = planned.indexOf(handle as (typeof planned)[number]);
        if (i >= 0) planned.splice(i, 1);
      },
    };
    return { timers, planned };
  }

  it('keeps the newest N, leaves other files alone, and plans from the files on disk', async () => {
    const store = join(dir, 'desk.sqlite');
    const desk = await fileDesk(store, 3);
    const backups = join(dir, 'daily');
    const { timers, planned } = fakeTimers();
    const start = () =>
      startBackupScheduler({
        sqlite: desk.ctx.db.$client,
        dir: backups,
        keep: 3,
        clock: desk.clock,
        logger: quiet,
        timers,
      });

    let scheduler = start();
    // None on disk: the first shortly after start.
    expect(scheduler.nextAt).toBe(desk.clock.now() + FIRST_BACKUP_DELAY_MS);
    writeFileSync(join(backups, 'notes.txt'), 'mine');
    writeFileSync(join(backups, 'pre-migration-2026-01-01T000000Z.sqlite'), '');

    const names: string[] = [];
    let lastBackupAt = 0;
    for (let day = 0; day < 5; day++) {
      // A timer fires once: it leaves the plan as it runs.
      const due = planned.pop();
      if (!due) throw new Error('nothing planned');
      desk.clock.advance(due.ms);
      due.run();
      const result = await scheduler.runNow(); // joins the backup the timer started
      names.push(result.file);
      lastBackupAt = desk.clock.now();
      await file(desk, day);
    }
    expect(planned).toHaveLength(1);
    expect(planned[0]?.ms).toBe(DAY_MS);
    const kept = readdirSync(backups).sort();
    expect(kept).toEqual(
      [
        ...names.slice(-3).map((f) => f.slice(backups.length + 1)),
        'notes.txt',
        'pre-migration-2026-01-01T000000Z.sqlite',
      ].sort(),
    );
    for (const f of names.slice(-3)) expect(integrity(f)).toBe('ok');
    const newest = names.at(-1) ?? '';
    expect(newest).toMatch(/tgdesk-\d{4}-\d{2}-\d{2}T\d{6}Z\.sqlite$/);

    // A restart two hours later: due a day after the newest file, not now.
    await scheduler.stop();
    expect(planned).toHaveLength(0);
    const leftOver = readdirSync(backups).filter((f) => f.endsWith('.partial'));
    expect(leftOver).toEqual([]);
    desk.clock.advance(2 * 3_600_000);
    scheduler = start();
    expect(scheduler.nextAt).toBe(lastBackupAt + DAY_MS);
    await scheduler.stop();

    // A restart after three days down: shortly after start.
    desk.clock.advance(3 * DAY_MS);
    scheduler = start();
    expect(scheduler.nextAt).toBe(desk.clock.now() + FIRST_BACKUP_DELAY_MS);
    await scheduler.stop();
    desk.close();
  });
});

describe('configuration', () => {
  it('turns the daily backup on with BACKUP_DIR, keeping BACKUP_KEEP (7 by default)', () => {
    expect(loadConfig({}).backup).toBeUndefined();
    expect(loadConfig({ BACKUP_DIR: '/var/backups/tgdesk' }).backup).toEqual({
      dir: '/var/backups/tgdesk',
      keep: 7,
    });
    expect(loadConfig({ BACKUP_DIR: 'b', BACKUP_KEEP: '30' }).backup).toEqual({ dir: 'b', keep: 30 });
    expect(() => loadConfig({ BACKUP_DIR: 'b', BACKUP_KEEP: '0' })).toThrow(
      /BACKUP_KEEP must be a whole number/,
    );
    expect(() => loadConfig({ BACKUP_KEEP: 'many' })).toThrow(/BACKUP_KEEP/);
  });
});
