// Step 3 of the directory import: clean rows + the store → what each row would do (new, changed with
// which fields, unchanged, or an error with its reasons), and the writes that make it so. The preview
// shows a plan; the import makes the plan again from the same file inside its transaction and carries
// it out, so what is written never depends on what a client sent back.
//
// Identity. A company is the one with the row's INN; without an INN, the one with the row's name (case-
// and space-insensitive). A row with an INN that is not known yet adopts a company of that name which has
// no INN, else it is a new company. A person is the one with the row's phone, else the one with its
// e-mail. Rows of the file that name the same company or person are one company or person: the first
// row that gives a value (a name, a mail domain) sets it, and a later row that gives another one is an
// error rather than a silent second write.
//
// Decided conflicts. A person in the store who is a client of other companies is not moved or added to
// this one (their number would give them this company's tickets) unless the file also lists them at a
// company they are in now — which is how a person of several companies is exported. Staff are never
// made clients. Empty cells never clear what is stored, and nobody missing from the file is removed.
import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { queryAll } from '../../db/access.ts';
import type { Db } from '../../db/connection.ts';
import { isPostgresStore } from '../../db/pg/store.ts';
import {
  companies as companiesTable,
  memberships as membershipsTable,
  people as peopleTable,
} from '../../db/schema.ts';
import { type Role, STAFF_ROLES } from '../model.ts';
import type { DirectoryField, DirectoryRole } from './columns.ts';
import { type NormalRow, nameKey, normaliseRow, type RowReason, sameText } from './normalise.ts';
import type { Sheet } from './parse.ts';

export type RowStatus = 'new' | 'changed' | 'unchanged' | 'error';

/** A field a row changes; the company's fields are `company` (its name), `inn` and `emailDomain`. */
export type ChangedField = DirectoryField;

export interface PlannedRow {
  line: number;
  status: RowStatus;
  company: string;
  inn: string;
  name: string;
  phone: string;
  email: string;
  role: string;
  changes: ChangedField[];
  reasons: RowReason[];
}

export interface PlanCounts {
  total: number;
  new: number;
  changed: number;
  unchanged: number;
  error: number;
}

export interface StoreCompany {
  id: number;
  name: string;
  inn: string | null;
  emailDomain: string | null;
}

interface StorePerson {
  id: number;
  name: string;
  phone: string | null;
  email: string | null;
}

interface StoreMembership {
  id: number;
  role: Role;
  companyId: number | null;
}

/** A company the file speaks of: found in the store (`stored`) or new. */
export interface CompanyEntry {
  stored: StoreCompany | null;
  /** Values the file gives, with the row that gave each first. */
  name: { value: string; line: number } | null;
  inn: { value: string; line: number } | null;
  emailDomain: { value: string; line: number } | null;
  /** Set once a valid row refers to it: only then is anything of it written. */
  used: boolean;
  /** Filled in by the import when it is written. */
  id: number | null;
}

/** A person the file speaks of: found in the store or new. */
export interface PersonEntry {
  stored: StorePerson | null;
  memberships: StoreMembership[];
  name: { value: string; line: number } | null;
  phone: { value: string; line: number } | null;
  email: { value: string; line: number } | null;
  /** The row of each company the person is listed at. */
  companies: Map<CompanyEntry, number>;
  used: boolean;
  id: number | null;
}

export interface RoleWrite {
  person: PersonEntry;
  company: CompanyEntry;
  role: DirectoryRole;
  /** The membership whose role is swapped (client ↔ client manager), or null to add one. */
  replaces: number | null;
}

export interface DirectoryPlan {
  rows: PlannedRow[];
  counts: PlanCounts;
  /** Of the file and of every row's outcome: the import refuses to run when its plan differs. */
  digest: string;
  companies: CompanyEntry[];
  people: PersonEntry[];
  roles: RoleWrite[];
}

const STAFF = new Set<Role>(STAFF_ROLES);

/** The store as the plan reads it: every company (few) in memory, people by index as rows ask. */
class StoreView {
  readonly companies: StoreCompany[];
  private readonly byInn = new Map<string, StoreCompany>();
  private readonly byName = new Map<string, StoreCompany[]>();
  private readonly queries: StoreQueries;

  /** Reads every company first (they are few). */
  static async of(db: Db): Promise<StoreView> {
    if (isPostgresStore(db)) {
      const companies = (await queryAll(
        db
          .select({
            id: companiesTable.id,
            name: companiesTable.name,
            inn: companiesTable.inn,
            emailDomain: companiesTable.emailDomain,
          })
          .from(companiesTable)
          .orderBy(asc(companiesTable.id)),
      )) as StoreCompany[];
      return new StoreView(postgresQueries(db), companies);
    }
    const companies = (await queryAll(
      db.$client.prepare('select id, name, inn, email_domain as emailDomain from companies order by id'),
    )) as StoreCompany[];
    return new StoreView(sqliteQueries(db), companies);
  }

  private constructor(queries: StoreQueries, companies: StoreCompany[]) {
    this.queries = queries;
    this.companies = companies;
    for (const company of this.companies) {
      if (company.inn !== null) this.byInn.set(company.inn, company);
      const key = nameKey(company.name);
      this.byName.set(key, [...(this.byName.get(key) ?? []), company]);
    }
  }

  companyByInn(inn: string): StoreCompany | undefined {
    return this.byInn.get(inn);
  }

  companiesNamed(key: string): StoreCompany[] {
    return this.byName.get(key) ?? [];
  }

  companyById(id: number): StoreCompany | undefined {
    return this.companies.find((c) => c.id === id);
  }

  async peopleByPhone(phone: string): Promise<StorePerson[]> {
    return await this.queries.peopleByPhone(phone);
  }

  async peopleByEmail(email: string): Promise<StorePerson[]> {
    return await this.queries.peopleByEmail(email);
  }

  /** Clients of a company with this name (for rows that give neither phone nor e-mail). */
  async membersNamed(companyId: number, key: string): Promise<StorePerson[]> {
    const all = await this.queries.members(companyId);
    return all.filter((p, i) => nameKey(p.name) === key && all.findIndex((q) => q.id === p.id) === i);
  }

  async membershipsOf(personId: number): Promise<StoreMembership[]> {
    return await this.queries.membershipsOf(personId);
  }
}

/** The plan's lookups by row: statements prepared once per plan (a file may have ten thousand rows). */
interface StoreQueries {
  peopleByPhone(phone: string): Promise<StorePerson[]>;
  peopleByEmail(email: string): Promise<StorePerson[]>;
  /** The clients and client managers of a company, by id (a person of both roles twice). */
  members(companyId: number): Promise<StorePerson[]>;
  membershipsOf(personId: number): Promise<StoreMembership[]>;
}

function sqliteQueries(db: Db): StoreQueries {
  const c = db.$client;
  const phoneStmt = c.prepare('select id, name, phone, email from people where phone = ? order by id');
  const emailStmt = c.prepare('select id, name, phone, email from people where email = ? order by id');
  const membersStmt = c.prepare(
    `select p.id, p.name, p.phone, p.email from people p join memberships m on m.person_id = p.id
       where m.company_id = ? and m.role in ('client', 'client_manager') order by p.id`,
  );
  const membershipStmt = c.prepare(
    'select id, role, company_id as companyId from memberships where person_id = ? order by id',
  );
  return {
    peopleByPhone: async (phone) => (await queryAll(phoneStmt, phone)) as StorePerson[],
    peopleByEmail: async (email) => (await queryAll(emailStmt, email)) as StorePerson[],
    members: async (companyId) => (await queryAll(membersStmt, companyId)) as StorePerson[],
    membershipsOf: async (personId) => (await queryAll(membershipStmt, personId)) as StoreMembership[],
  };
}

/**
 * PostgreSQL: the same lookups as drizzle queries prepared once per plan, on what the handle routes to now
 * (the import's transaction, or the pool for a preview): a plan is made and read in one place.
 */
function postgresQueries(db: Db): StoreQueries {
  const ph = sql.placeholder;
  const person = {
    id: peopleTable.id,
    name: peopleTable.name,
    phone: peopleTable.phone,
    email: peopleTable.email,
  };
  const byPhone = db
    .select(person)
    .from(peopleTable)
    .where(eq(peopleTable.phone, ph('phone')))
    .orderBy(asc(peopleTable.id))
    .prepare();
  const byEmail = db
    .select(person)
    .from(peopleTable)
    .where(eq(peopleTable.email, ph('email')))
    .orderBy(asc(peopleTable.id))
    .prepare();
  const members = db
    .select(person)
    .from(peopleTable)
    .innerJoin(membershipsTable, eq(membershipsTable.personId, peopleTable.id))
    .where(
      and(
        eq(membershipsTable.companyId, ph('companyId')),
        inArray(membershipsTable.role, ['client', 'client_manager']),
      ),
    )
    .orderBy(asc(peopleTable.id))
    .prepare();
  const membershipsOf = db
    .select({ id: membershipsTable.id, role: membershipsTable.role, companyId: membershipsTable.companyId })
    .from(membershipsTable)
    .where(eq(membershipsTable.personId, ph('personId')))
    .orderBy(asc(membershipsTable.id))
    .prepare();
  return {
    peopleByPhone: async (phone) => await queryAll(byPhone, { phone }),
    peopleByEmail: async (email) => await queryAll(byEmail, { email }),
    members: async (companyId) => await queryAll(members, { companyId }),
    membershipsOf: async (personId) => await queryAll(membershipsOf, { personId }),
  };
}

type Found<T> = { entry: T; reason?: undefined } | { entry?: undefined; reason: RowReason };

/** Rows of the file → their plan against the store. Reads only. */
export async function planDirectory(db: Db, sheet: Sheet, fileDigest: string): Promise<DirectoryPlan> {
  const store = await StoreView.of(db);
  const rows = sheet.rows.map(normaliseRow);

  // Companies and people the file has met so far, by what identifies them.
  const companyOfStore = new Map<number, CompanyEntry>();
  const companyByInn = new Map<string, CompanyEntry>();
  const companiesByName = new Map<string, CompanyEntry[]>();
  const personOfStore = new Map<number, PersonEntry>();
  const personByPhone = new Map<string, PersonEntry>();
  const personByEmail = new Map<string, PersonEntry>();
  const companies: CompanyEntry[] = [];
  const people: PersonEntry[] = [];
  const roles: RoleWrite[] = [];

  // Which companies the file lists each phone and e-mail at: a person of another company may join one
  // more only when the file lists them at their own as well.
  const listedAt = new Map<string, Set<string>>();
  for (const row of rows) {
    if (row.reasons.length > 0 || !row.person) continue;
    const keys = companyKeys(row.inn, row.company);
    for (const id of identityKeys(row.person.phone, row.person.email)) {
      const set = listedAt.get(id) ?? new Set<string>();
      for (const k of keys) set.add(k);
      listedAt.set(id, set);
    }
  }

  const storeCompanyEntry = (stored: StoreCompany): CompanyEntry => {
    let entry = companyOfStore.get(stored.id);
    if (!entry) {
      entry = { stored, name: null, inn: null, emailDomain: null, used: false, id: stored.id };
      companyOfStore.set(stored.id, entry);
    }
    return entry;
  };
  const companyName = (e: CompanyEntry) => e.name?.value ?? e.stored?.name ?? null;
  const companyInn = (e: CompanyEntry) => e.inn?.value ?? e.stored?.inn ?? null;

  const findCompany = (row: NormalRow): Found<CompanyEntry> => {
    const key = row.company === null ? null : nameKey(row.company);
    const byName = (withoutInn: boolean): Found<CompanyEntry> | null => {
      if (key === null) return null;
      const inFile = (companiesByName.get(key) ?? []).filter((e) => !withoutInn || companyInn(e) === null);
      if (inFile.length > 1) return { reason: { code: 'ambiguous_company', company: row.company ?? '' } };
      if (inFile[0]) return { entry: inFile[0] };
      const inStore = store.companiesNamed(key).filter((c) => !withoutInn || c.inn === null);
      if (inStore.length > 1) return { reason: { code: 'ambiguous_company', company: row.company ?? '' } };
      return inStore[0] ? { entry: storeCompanyEntry(inStore[0]) } : null;
    };
    if (row.inn !== null) {
      const known = companyByInn.get(row.inn);
      if (known) return { entry: known };
      const stored = store.companyByInn(row.inn);
      if (stored) return { entry: storeCompanyEntry(stored) };
      const adopted = byName(true);
      if (adopted) return adopted;
      if (row.company === null) return { reason: { code: 'unknown_company', company: row.inn } };
    } else {
      const named = byName(false);
      if (named) return named;
    }
    return {
      entry: { stored: null, name: null, inn: null, emailDomain: null, used: false, id: null },
    };
  };

  /** What this row would set on its company, or why it clashes with an earlier row. */
  const companyChanges = (
    row: NormalRow,
    e: CompanyEntry,
  ): { changes: ChangedField[]; reason?: RowReason } => {
    const changes: ChangedField[] = [];
    if (row.company !== null) {
      if (e.name && nameKey(e.name.value) !== nameKey(row.company))
        return { changes, reason: { code: 'duplicate_inn', line: e.name.line, company: e.name.value } };
      if (!e.name && (e.stored === null || !sameText(e.stored.name, row.company))) changes.push('company');
    }
    if (row.inn !== null && !e.inn && e.stored?.inn !== row.inn) changes.push('inn');
    if (row.emailDomain !== null) {
      if (e.emailDomain && e.emailDomain.value !== row.emailDomain)
        return { changes, reason: { code: 'domain_mismatch', line: e.emailDomain.line } };
      if (!e.emailDomain && e.stored?.emailDomain !== row.emailDomain) changes.push('emailDomain');
    }
    return { changes };
  };

  const storePersonEntry = async (stored: StorePerson): Promise<PersonEntry> => {
    let entry = personOfStore.get(stored.id);
    if (!entry) {
      entry = {
        stored,
        memberships: await store.membershipsOf(stored.id),
        name: null,
        phone: null,
        email: null,
        companies: new Map(),
        used: false,
        id: stored.id,
      };
      personOfStore.set(stored.id, entry);
    }
    return entry;
  };

  const findPerson = async (
    phone: string | null,
    email: string | null,
  ): Promise<Found<PersonEntry> | null> => {
    const one = async (
      fromFile: PersonEntry | undefined,
      fromStore: () => Promise<StorePerson[]>,
    ): Promise<Found<PersonEntry> | null> => {
      if (fromFile) return { entry: fromFile };
      const found = await fromStore();
      if (found.length > 1) return { reason: { code: 'ambiguous_person' } };
      return found[0] ? { entry: await storePersonEntry(found[0]) } : null;
    };
    const byPhone =
      phone === null
        ? null
        : await one(personByPhone.get(phone), async () => await store.peopleByPhone(phone));
    const byEmail =
      email === null
        ? null
        : await one(personByEmail.get(email), async () => await store.peopleByEmail(email));
    if (byPhone?.reason) return byPhone;
    if (byEmail?.reason) return byEmail;
    if (byPhone && byEmail && byPhone.entry !== byEmail.entry) return { reason: { code: 'two_people' } };
    return byPhone ?? byEmail;
  };

  /**
   * Someone without phone or e-mail (joined by an invite link, say) is found by name among the clients of
   * the row's company, so that an exported directory reads back unchanged. Such a row never creates a
   * person: nobody could ever be matched to them.
   */
  const findMember = async (ce: CompanyEntry, name: string): Promise<Found<PersonEntry>> => {
    const found = ce.stored === null ? [] : await store.membersNamed(ce.stored.id, nameKey(name));
    if (found.length > 1) return { reason: { code: 'ambiguous_person' } };
    return found[0] ? { entry: await storePersonEntry(found[0]) } : { reason: { code: 'missing_contact' } };
  };

  const planned: PlannedRow[] = [];
  for (const row of rows) {
    const out: PlannedRow = {
      line: row.line,
      status: 'error',
      ...row.shown,
      changes: [],
      reasons: row.reasons,
    };
    planned.push(out);
    if (row.reasons.length > 0) continue;

    const company = findCompany(row);
    if (company.reason) {
      out.reasons = [company.reason];
      continue;
    }
    const ce = company.entry;
    const companyPart = companyChanges(row, ce);
    if (companyPart.reason) {
      out.reasons = [companyPart.reason];
      continue;
    }
    out.company = row.company ?? companyName(ce) ?? '';

    // The person's part, checked before anything of the row is taken.
    const p = row.person;
    let pe: PersonEntry | null = null;
    let personChanges: ChangedField[] = [];
    let role: RoleWrite | null = null;
    if (p) {
      const found =
        p.phone === null && p.email === null
          ? await findMember(ce, p.name)
          : await findPerson(p.phone, p.email);
      if (found?.reason) {
        out.reasons = [found.reason];
        continue;
      }
      pe = found?.entry ?? {
        stored: null,
        memberships: [],
        name: null,
        phone: null,
        email: null,
        companies: new Map(),
        used: false,
        id: null,
      };
      const reason = personClash(pe, ce, p, row, listedAt, store, companyName);
      if (reason) {
        out.reasons = [reason];
        continue;
      }
      personChanges = personFieldChanges(pe, p);
      role = roleWrite(pe, ce, p.role);
    }

    // A valid row: take what it says.
    const newCompany = ce.stored === null && !ce.used;
    const newPerson = pe !== null && pe.stored === null && !pe.used;
    takeCompany(row, ce);
    if (!ce.used) {
      ce.used = true;
      companies.push(ce);
    }
    const nameKeyNow = nameKey(companyName(ce) ?? '');
    const named = companiesByName.get(nameKeyNow) ?? [];
    if (!named.includes(ce)) companiesByName.set(nameKeyNow, [...named, ce]);
    const innNow = companyInn(ce);
    if (innNow !== null) companyByInn.set(innNow, ce);

    if (pe && p) {
      takePerson(row.line, pe, p);
      pe.companies.set(ce, row.line);
      if (!pe.used) {
        pe.used = true;
        people.push(pe);
      }
      if (p.phone !== null) personByPhone.set(p.phone, pe);
      if (p.email !== null) personByEmail.set(p.email, pe);
      if (pe.stored?.phone) personByPhone.set(pe.stored.phone, pe);
      if (pe.stored?.email) personByEmail.set(pe.stored.email, pe);
      if (role) roles.push(role);
    }

    out.reasons = [];
    out.changes = [
      ...(newCompany ? [] : companyPart.changes),
      ...(newPerson ? [] : personChanges),
      ...(role && !newPerson ? (['role'] as const) : []),
    ];
    out.status = newCompany || newPerson ? 'new' : out.changes.length > 0 ? 'changed' : 'unchanged';
  }

  const counts: PlanCounts = { total: planned.length, new: 0, changed: 0, unchanged: 0, error: 0 };
  for (const r of planned) counts[r.status] += 1;
  const digest = createHash('sha256')
    .update(fileDigest)
    .update(
      JSON.stringify(
        planned.map((r) => [r.line, r.status, r.changes, r.reasons.map((x) => x.code), r.phone, r.email]),
      ),
    )
    .digest('hex');
  return { rows: planned, counts, digest, companies, people, roles };
}

function companyKeys(inn: string | null, company: string | null): string[] {
  return [...(inn === null ? [] : [`inn:${inn}`]), ...(company === null ? [] : [`name:${nameKey(company)}`])];
}

function identityKeys(phone: string | null, email: string | null): string[] {
  return [...(phone === null ? [] : [`phone:${phone}`]), ...(email === null ? [] : [`email:${email}`])];
}

/** Why this person cannot be taken at this company from this row, if they cannot. */
function personClash(
  pe: PersonEntry,
  ce: CompanyEntry,
  p: { name: string; phone: string | null; email: string | null },
  row: NormalRow,
  listedAt: Map<string, Set<string>>,
  store: StoreView,
  companyName: (e: CompanyEntry) => string | null,
): RowReason | null {
  const earlier = pe.companies.get(ce);
  if (earlier !== undefined) return { code: 'duplicate_person', line: earlier };
  // The same person on an earlier row (at another company) with other details.
  for (const [field, value] of [
    ['name', p.name],
    ['phone', p.phone],
    ['email', p.email],
  ] as const) {
    const set = pe[field];
    if (value !== null && set && !sameText(set.value, value))
      return { code: 'person_mismatch', line: set.line };
  }
  if (pe.memberships.some((m) => STAFF.has(m.role))) return { code: 'staff_member' };
  const theirs = [
    ...new Set(pe.memberships.filter((m) => m.companyId !== null).map((m) => m.companyId as number)),
  ];
  if (theirs.length > 0 && (ce.stored === null || !theirs.includes(ce.stored.id))) {
    const listed = new Set<string>();
    for (const id of identityKeys(row.person?.phone ?? null, row.person?.email ?? null)) {
      for (const k of listedAt.get(id) ?? []) listed.add(k);
    }
    const current = theirs.map((id) => store.companyById(id)).filter((c) => c !== undefined);
    const alsoListedAtOwn = current.some((c) => companyKeys(c.inn, c.name).some((k) => listed.has(k)));
    if (!alsoListedAtOwn) {
      return {
        code: 'other_company',
        company: current.map((c) => c.name).join(', ') || companyName(ce) || '',
      };
    }
  }
  return null;
}

/** The person's fields this row sets that the store (or an earlier row) does not have yet. */
function personFieldChanges(
  pe: PersonEntry,
  p: { name: string; phone: string | null; email: string | null },
): ChangedField[] {
  if (pe.stored === null) return [];
  const changes: ChangedField[] = [];
  if (!pe.name && !sameText(pe.stored.name, p.name)) changes.push('name');
  if (p.phone !== null && !pe.phone && pe.stored.phone !== p.phone) changes.push('phone');
  if (p.email !== null && !pe.email && pe.stored.email?.toLowerCase() !== p.email) changes.push('email');
  return changes;
}

/** The client role the row gives at its company, unless the person holds it there already. */
function roleWrite(pe: PersonEntry, ce: CompanyEntry, wanted: DirectoryRole | null): RoleWrite | null {
  const held =
    ce.stored === null
      ? []
      : pe.memberships.filter(
          (m) => m.companyId === ce.stored?.id && (m.role === 'client' || m.role === 'client_manager'),
        );
  // No role in the file: whatever client role they have there stays; a newcomer is a client.
  if (wanted === null) {
    if (held.length > 0) return null;
    return { person: pe, company: ce, role: 'client', replaces: null };
  }
  if (held.some((m) => m.role === wanted)) return null;
  return { person: pe, company: ce, role: wanted, replaces: held[0]?.id ?? null };
}

function takeCompany(row: NormalRow, e: CompanyEntry): void {
  if (row.company !== null && !e.name) e.name = { value: row.company, line: row.line };
  if (row.inn !== null && !e.inn) e.inn = { value: row.inn, line: row.line };
  if (row.emailDomain !== null && !e.emailDomain) e.emailDomain = { value: row.emailDomain, line: row.line };
}

function takePerson(
  line: number,
  e: PersonEntry,
  p: { name: string; phone: string | null; email: string | null },
): void {
  if (!e.name) e.name = { value: p.name, line };
  if (p.phone !== null && !e.phone) e.phone = { value: p.phone, line };
  if (p.email !== null && !e.email) e.email = { value: p.email, line };
}

/** A company's values as the import writes them: the file's where it gives them, else the stored ones. */
export function companyValues(e: CompanyEntry): {
  name: string;
  inn: string | null;
  emailDomain: string | null;
} {
  return {
    name: e.name?.value ?? e.stored?.name ?? '',
    inn: e.inn?.value ?? e.stored?.inn ?? null,
    emailDomain: e.emailDomain?.value ?? e.stored?.emailDomain ?? null,
  };
}

export function personValues(e: PersonEntry): { name: string; phone: string | null; email: string | null } {
  return {
    name: e.name?.value ?? e.stored?.name ?? '',
    phone: e.phone?.value ?? e.stored?.phone ?? null,
    email: e.email?.value ?? e.stored?.email ?? null,
  };
}
