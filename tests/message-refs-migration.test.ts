// The move from `telegram_messages` to one table of message references for every channel: a desk that
// upgrades keeps every link (and every open staff question) it had.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, expect, it } from 'vitest';
import { ticketOfMessage } from '../bot/message-links.ts';
import { promptOf } from '../bot/staff/prompts.ts';
import { MIGRATIONS_FOLDER, openDatabase } from '../db/connection.ts';

const dir = mkdtempSync(join(tmpdir(), 'tgdesk-refs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('carries every Telegram message link over, purposes included', async () => {
  // The migrations up to 0009, as a desk had them before this change.
  const old = join(dir, 'migrations');
  cpSync(MIGRATIONS_FOLDER, old, { recursive: true });
  const journalPath = join(old, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number }[] };
  journal.entries = journal.entries.filter((e) => e.idx <= 9);
  writeFileSync(journalPath, JSON.stringify(journal));
  const path = join(dir, 'desk.sqlite');
  const sqlite = new Database(path);
  migrate(drizzle(sqlite), { migrationsFolder: old });
  sqlite.exec(`
    insert into people (id, name, created_at) values (1, 'Иван', 0), (2, 'Line', 0);
    insert into tickets (id, number, channel, requester_id, subject, description, impact, urgency, priority,
      status, line, created_at, updated_at, first_response_due_at, resolution_due_at)
      values (10, 1001, 'telegram', 1, 's', 'd', 'person', 'low', 'P4', 'new', 'line1', 0, 0, 0, 0),
             (11, 1002, 'telegram', 1, 's', 'd', 'person', 'low', 'P4', 'new', 'line1', 0, 0, 0, 0);
    insert into telegram_messages (chat_id, message_id, ticket_id, created_at, purpose, person_id)
      values (100, 5, 10, 1, null, null), (-1002, 77, 11, 2, 'resolve', 2);`);
  sqlite.close();

  const db = openDatabase(path, { backupDir: join(dir, 'backups') });
  expect(await ticketOfMessage(db, 100, 5)).toBe(10);
  expect(await ticketOfMessage(db, -1002, 77)).toBe(11);
  expect(await promptOf(db, -1002, 77)).toEqual({ ticketId: 11, purpose: 'resolve', personId: 2 });
  expect(await ticketOfMessage(db, 100, 77)).toBeUndefined();
  const tables = db.$client.prepare("select name from sqlite_master where name = 'telegram_messages'").all();
  expect(tables).toEqual([]);
  db.$client.close();
});
