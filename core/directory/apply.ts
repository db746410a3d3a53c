// Step 4 of the directory import: the admin's preview, and the import itself. The import reads the file
// again, makes the plan again inside one transaction and refuses to go on when that plan is not the one
// the admin confirmed (its digest differs: the file, or the directory, changed since the preview). Then
// it writes every row that is not an error — companies, people, their client roles — and nothing else:
// rows with errors are left out (the admin saw them and their count before confirming), nobody missing
// from the file is touched, and a file imported twice writes nothing the second time.
import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { execute, queryOne } from '../../db/access.ts';
import type { Db } from '../../db/connection.ts';
import { isPostgresStore } from '../../db/pg/store.ts';
import { companies, memberships, people } from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';
import { DeskError } from '../errors.ts';
import { type Actor, assertAdmin } from '../permissions.ts';
import { inTransaction } from '../transaction.ts';
import type { DirectoryField, DirectoryRole } from './columns.ts';
import { sameText } from './normalise.ts';
import { readDirectoryFile, type Sheet } from './parse.ts';
import {
  companyValues,
  type DirectoryPlan,
  type PlanCounts,
  type PlannedRow,
  personValues,
  planDirectory,
} from './plan.ts';

export interface DirectoryPreview {
  format: Sheet['format'];
  columns: DirectoryField[];
  ignoredColumns: string[];
  rows: PlannedRow[];
  counts: PlanCounts;
  /** Pass it back to the import as the admin's confirmation of this very plan. */
  digest: string;
}

export interface DirectoryWrites {
  companiesCreated: number;
  companiesUpdated: number;
  peopleCreated: number;
  peopleUpdated: number;
  rolesAdded: number;
  rolesChanged: number;
}

export interface DirectoryImport extends DirectoryPreview {
  written: DirectoryWrites;
}

/** The directory or the file changed between the preview and the import. */
export class DirectoryChangedError extends DeskError {
  constructor() {
    super('stale', 'the directory or the file changed since the preview: preview it again');
  }
}

/** The file's part of a plan's digest. */
export function fileDigest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function previewOf(sheet: Sheet, plan: DirectoryPlan): DirectoryPreview {
  return {
    format: sheet.format,
    columns: sheet.columns,
    ignoredColumns: sheet.ignoredColumns,
    rows: plan.rows,
    counts: plan.counts,
    digest: plan.digest,
  };
}

/** What importing the file would do, row by row. Writes nothing. */
export async function previewDirectory(
  ctx: DeskContext,
  actor: Actor,
  bytes: Uint8Array,
): Promise<DirectoryPreview> {
  assertAdmin(actor);
  const sheet = await readDirectoryFile(bytes);
  return previewOf(sheet, await planDirectory(ctx.db, sheet, fileDigest(bytes)));
}

/** Imports the rows without errors of the file, when its plan is still the one previewed (`confirm`). */
export async function importDirectory(
  ctx: DeskContext,
  actor: Actor,
  bytes: Uint8Array,
  confirm: string,
): Promise<DirectoryImport> {
  assertAdmin(actor);
  // Reading an XLSX is asynchronous; the plan and the writes are one synchronous transaction.
  const sheet = await readDirectoryFile(bytes);
  return await inTransaction(ctx.db, async () => {
    const plan = await planDirectory(ctx.db, sheet, fileDigest(bytes));
    if (plan.digest !== confirm) throw new DirectoryChangedError();
    return { ...previewOf(sheet, plan), written: await write(ctx, plan) };
  });
}

/** Carries out a plan; runs inside the import's transaction. */
async function write(ctx: DeskContext, plan: DirectoryPlan): Promise<DirectoryWrites> {
  const now = ctx.clock.now();
  const written: DirectoryWrites = {
    companiesCreated: 0,
    companiesUpdated: 0,
    peopleCreated: 0,
    peopleUpdated: 0,
    rolesAdded: 0,
    rolesChanged: 0,
  };
  const w = writesOf(ctx);
  for (const e of plan.companies) {
    const v = companyValues(e);
    if (e.stored === null) {
      e.id = await w.insertCompany(v.name, v.inn, v.emailDomain, now);
      written.companiesCreated += 1;
    } else if (
      !sameText(e.stored.name, v.name) ||
      e.stored.inn !== v.inn ||
      e.stored.emailDomain !== v.emailDomain
    ) {
      // The stored spelling stays when the file's differs only in spacing.
      const name = sameText(e.stored.name, v.name) ? e.stored.name : v.name;
      await w.updateCompany(name, v.inn, v.emailDomain, e.stored.id);
      written.companiesUpdated += 1;
    }
  }
  for (const e of plan.people) {
    const v = personValues(e);
    if (e.stored === null) {
      e.id = await w.insertPerson(v.name, v.phone, v.email, now);
      written.peopleCreated += 1;
    } else if (
      !sameText(e.stored.name, v.name) ||
      e.stored.phone !== v.phone ||
      e.stored.email?.toLowerCase() !== v.email?.toLowerCase()
    ) {
      const name = sameText(e.stored.name, v.name) ? e.stored.name : v.name;
      const email = e.stored.email?.toLowerCase() === v.email?.toLowerCase() ? e.stored.email : v.email;
      await w.updatePerson(name, v.phone, email, e.stored.id);
      written.peopleUpdated += 1;
    }
  }
  for (const r of plan.roles) {
    if (r.person.id === null || r.company.id === null) throw new Error('directory import: a role of nobody');
    if (r.replaces !== null) {
      await w.updateRole(r.role, r.replaces);
      written.rolesChanged += 1;
    } else {
      await w.insertRole(r.person.id, r.role, r.company.id);
      written.rolesAdded += 1;
    }
  }
  return written;
}

/** The import's writes; each insert gives the new row's id. */
interface Writes {
  insertCompany(name: string, inn: string | null, emailDomain: string | null, at: number): Promise<number>;
  updateCompany(name: string, inn: string | null, emailDomain: string | null, id: number): Promise<void>;
  insertPerson(name: string, phone: string | null, email: string | null, at: number): Promise<number>;
  updatePerson(name: string, phone: string | null, email: string | null, id: number): Promise<void>;
  insertRole(personId: number, role: DirectoryRole, companyId: number): Promise<void>;
  updateRole(role: DirectoryRole, id: number): Promise<void>;
}

function writesOf(ctx: DeskContext): Writes {
  return isPostgresStore(ctx.db) ? postgresWrites(ctx.db) : sqliteWrites(ctx.db);
}

function sqliteWrites(db: Db): Writes {
  const c = db.$client;
  // Up to ten thousand rows: statements prepared once, not a query built per row.
  const insertCompany = c.prepare(
    'insert into companies (name, inn, email_domain, created_at) values (?, ?, ?, ?)',
  );
  const updateCompany = c.prepare('update companies set name = ?, inn = ?, email_domain = ? where id = ?');
  const insertPerson = c.prepare('insert into people (name, phone, email, created_at) values (?, ?, ?, ?)');
  const updatePerson = c.prepare('update people set name = ?, phone = ?, email = ? where id = ?');
  const insertRole = c.prepare('insert into memberships (person_id, role, company_id) values (?, ?, ?)');
  const updateRole = c.prepare('update memberships set role = ? where id = ?');
  return {
    insertCompany: async (name, inn, emailDomain, at) =>
      Number((await execute(insertCompany, name, inn, emailDomain, at)).lastInsertRowid),
    updateCompany: async (name, inn, emailDomain, id) => {
      await execute(updateCompany, name, inn, emailDomain, id);
    },
    insertPerson: async (name, phone, email, at) =>
      Number((await execute(insertPerson, name, phone, email, at)).lastInsertRowid),
    updatePerson: async (name, phone, email, id) => {
      await execute(updatePerson, name, phone, email, id);
    },
    insertRole: async (personId, role, companyId) => {
      await execute(insertRole, personId, role, companyId);
    },
    updateRole: async (role, id) => {
      await execute(updateRole, role, id);
    },
  };
}

/**
 * PostgreSQL: the same writes as drizzle queries prepared once per import, on the import's transaction (they
 * are made inside it); the new rows' ids come back with `returning`.
 */
function postgresWrites(db: Db): Writes {
  const p = sql.placeholder;
  const insertCompany = db
    .insert(companies)
    .values({ name: p('name'), inn: p('inn'), emailDomain: p('emailDomain'), createdAt: p('at') })
    .returning({ id: companies.id })
    .prepare();
  const updateCompany = db
    .update(companies)
    .set({ name: sql`${p('name')}`, inn: sql`${p('inn')}`, emailDomain: sql`${p('emailDomain')}` })
    .where(eq(companies.id, p('id')))
    .prepare();
  const insertPerson = db
    .insert(people)
    .values({ name: p('name'), phone: p('phone'), email: p('email'), createdAt: p('at') })
    .returning({ id: people.id })
    .prepare();
  const updatePerson = db
    .update(people)
    .set({ name: sql`${p('name')}`, phone: sql`${p('phone')}`, email: sql`${p('email')}` })
    .where(eq(people.id, p('id')))
    .prepare();
  const insertRole = db
    .insert(memberships)
    .values({ personId: p('personId'), role: p('role'), companyId: p('companyId') })
    .prepare();
  const updateRole = db
    .update(memberships)
    .set({ role: sql`${p('role')}` })
    .where(eq(memberships.id, p('id')))
    .prepare();
  const inserted = (row: { id: number } | undefined): number => {
    if (!row) throw new Error('directory import: a row not inserted');
    return row.id;
  };
  return {
    insertCompany: async (name, inn, emailDomain, at) =>
      inserted(await queryOne(insertCompany, { name, inn, emailDomain, at })),
    updateCompany: async (name, inn, emailDomain, id) => {
      await execute(updateCompany, { name, inn, emailDomain, id });
    },
    insertPerson: async (name, phone, email, at) =>
      inserted(await queryOne(insertPerson, { name, phone, email, at })),
    updatePerson: async (name, phone, email, id) => {
      await execute(updatePerson, { name, phone, email, id });
    },
    insertRole: async (personId, role, companyId) => {
      await execute(insertRole, { personId, role, companyId });
    },
    updateRole: async (role, id) => {
      await execute(updateRole, { role, id });
    },
  };
}
