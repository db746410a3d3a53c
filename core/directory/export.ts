// Step 5: the client directory out, in the very format the import reads, so that exporting and importing
// the file again changes nothing. One row per person and company (the higher of their client roles there),
// a row with empty person cells for a company without clients. CSV: `;`-separated (what Excel expects in
// Russian locales), UTF-8 with a byte-order mark, and cells that a spreadsheet would run as a formula
// (leading = + - @ tab or return: every "+7…" phone) kept as text with a leading quote, which the import
// takes off again. XLSX: typed text cells, which no spreadsheet runs.

import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { queryAll } from '../../db/access.ts';
import type { Db } from '../../db/connection.ts';
import { isPostgresStore } from '../../db/pg/store.ts';
import type { DeskContext } from '../context.ts';
import { csvLines } from '../csv.ts';
import type { Language } from '../model.ts';
import { type Actor, assertAdmin } from '../permissions.ts';
import { type DirectoryRole, exportHeader, roleWord } from './columns.ts';

export interface DirectoryEntry {
  company: string;
  inn: string | null;
  emailDomain: string | null;
  name: string | null;
  phone: string | null;
  email: string | null;
  role: DirectoryRole | null;
}

/** Every client company with its clients, by company name, then person name. */
export async function directoryEntries(ctx: DeskContext, actor: Actor): Promise<DirectoryEntry[]> {
  assertAdmin(actor);
  const rows = isPostgresStore(ctx.db)
    ? await postgresEntries(ctx.db)
    : ((await queryAll(
        ctx.db.$client.prepare(
          `select c.name as company, c.inn, c.email_domain as emailDomain,
              p.name, p.phone, p.email,
              max(case m.role when 'client_manager' then 2 when 'client' then 1 end) as rank
       from companies c
       left join memberships m on m.company_id = c.id and m.role in ('client', 'client_manager')
       left join people p on p.id = m.person_id
       group by c.id, p.id
       order by c.name, c.id, p.name is not null, p.name, p.id`,
        ),
      )) as EntryRow[]);
  return rows.map(({ rank, ...r }) => ({
    ...r,
    role: rank === 2 ? 'client_manager' : rank === 1 ? 'client' : null,
  }));
}

type EntryRow = Omit<DirectoryEntry, 'role'> & { rank: number | null };

/**
 * PostgreSQL: the same query. Names are ordered by code point as SQLite's binary collation does (`collate "C"`
 * on a UTF-8 database), not by the database's locale; the aliases quoted, as PostgreSQL folds them otherwise.
 */
async function postgresEntries(db: Db): Promise<EntryRow[]> {
  return (await queryAll(
    db,
    sql`select c.name as company, c.inn, c.email_domain as "emailDomain",
        p.name, p.phone, p.email,
        max(case m.role when 'client_manager' then 2 when 'client' then 1 end) as rank
      from companies c
      left join memberships m on m.company_id = c.id and m.role in ('client', 'client_manager')
      left join people p on p.id = m.person_id
      group by c.id, p.id
      order by c.name collate "C", c.id, p.name is not null, p.name collate "C", p.id`,
  )) as EntryRow[];
}

function cells(e: DirectoryEntry, language: Language): string[] {
  return [
    e.company,
    e.inn ?? '',
    e.emailDomain ?? '',
    e.name ?? '',
    e.phone ?? '',
    e.email ?? '',
    e.role ? roleWord(e.role, language) : '',
  ];
}

export const DIRECTORY_CSV_MIME = 'text/csv; charset=utf-8';
export const DIRECTORY_XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function directoryCsv(ctx: DeskContext, actor: Actor, language: Language): Promise<string> {
  const rows = (await directoryEntries(ctx, actor)).map((e) => cells(e, language));
  return `\uFEFF${csvLines([exportHeader(language), ...rows], ';')}`;
}

export async function directoryXlsx(ctx: DeskContext, actor: Actor, language: Language): Promise<Uint8Array> {
  const entries = await directoryEntries(ctx, actor);
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(language === 'ru' ? 'справочник' : 'directory');
  sheet.addRow(exportHeader(language)).font = { bold: true };
  for (const e of entries) sheet.addRow(cells(e, language).map((v) => (v === '' ? null : v)));
  [32, 14, 20, 32, 16, 28, 14].forEach((width, i) => {
    sheet.getColumn(i + 1).width = width;
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return new Uint8Array(await book.xlsx.writeBuffer());
}
