// A large, realistic store written with raw statements (about 100,000 rows a second): twenty client
// companies of uneven size, their people and staff, and two years of tickets with their events. The core
// benchmark reports over it; the API benchmark serves it.
import type Database from 'better-sqlite3';
import { type Channel, type Impact, type Line, MINUTE, type Status, type Urgency } from '../core/model.ts';
import { DEFAULT_PRIORITY_MATRIX, DEFAULT_SLA_TARGETS, priorityFor } from '../core/sla-policy.ts';

const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Deterministic pseudo-random numbers (mulberry32), so every run seeds the same store. */
export function randomSource(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** A picker over weighted choices; the cumulative table is built once, as it runs per seeded ticket. */
export function weighted<K extends string>(
  weights: Readonly<Partial<Record<K, number>>>,
): (random: () => number) => K {
  const keys = Object.keys(weights) as K[];
  let total = 0;
  const bounds = keys.map((k) => (total += weights[k] ?? 0));
  return (random) => {
    const r = random() * total;
    return keys[bounds.findIndex((b) => r < b)] ?? (keys[keys.length - 1] as K);
  };
}

/** A log-normal factor: most tickets are quick, a long tail is not. */
export function spread(random: () => number, mu: number, sigma: number): number {
  const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.exp(mu + sigma * normal);
}

export const STORE_FROM = Date.UTC(2024, 6, 1);
export const STORE_TO = Date.UTC(2026, 6, 1); // also "now" for the report: the last quarter has open tickets
export const QUARTER = { from: Date.UTC(2026, 3, 1), to: Date.UTC(2026, 6, 1), label: 'Q2 2026' };
export const COMPANIES = 20;
export const CLIENTS_PER_COMPANY = 40;
const STAFF = { line1: 12, line2: 6, field: 4, supervisor: 1 };
const STAFF_ROLE = { line1: 'line1', line2: 'line2', field: 'field_engineer', supervisor: 'supervisor' };
export const CATEGORIES = [
  'workstation',
  'printer',
  'network',
  'email',
  'software',
  'access',
  'phone',
  'other',
];
const BATCH = 50_000;

/** Companies of uneven size, as an outsourcer's clients are; company 1 is the biggest. */
const pickCompany = weighted(
  Object.fromEntries(Array.from({ length: COMPANIES }, (_, c) => [c + 1, 1 / (c + 1) ** 0.8])),
);

/** Companies, contracts, categories, client people and staff, with explicit ids. Returns staff ids per line. */
export function seedReference(sqlite: Database.Database): Record<Line, number[]> {
  const createdAt = STORE_FROM - 30 * DAY;
  const insertPerson = sqlite.prepare(
    'insert into people (id, telegram_user_id, name, created_at) values (?, ?, ?, ?)',
  );
  const insertMembership = sqlite.prepare(
    'insert into memberships (person_id, role, company_id) values (?, ?, ?)',
  );
  const insertCompany = sqlite.prepare('insert into companies (id, name, created_at) values (?, ?, ?)');
  const insertContract = sqlite.prepare(
    `insert into contracts (id, company_id, name, starts_at, sla_targets, priority_matrix)
     values (?, ?, 'Стандарт 24/7', ?, ?, ?)`,
  );
  const insertCategory = sqlite.prepare(
    'insert into categories (id, code, name_ru, name_en, sort) values (?, ?, ?, ?, ?)',
  );
  const staff: Record<Line, number[]> = { line1: [], line2: [], field: [] };
  sqlite.transaction(() => {
    CATEGORIES.forEach((code, i) => {
      insertCategory.run(i + 1, code, code, code, (i + 1) * 10);
    });
    let personId = 0;
    for (let c = 1; c <= COMPANIES; c++) {
      insertCompany.run(c, `Компания ${c}`, createdAt);
      insertContract.run(
        c,
        c,
        createdAt,
        JSON.stringify(DEFAULT_SLA_TARGETS),
        JSON.stringify(DEFAULT_PRIORITY_MATRIX),
      );
      for (let j = 0; j < CLIENTS_PER_COMPANY; j++) {
        personId++;
        insertPerson.run(personId, 100_000 + personId, `Клиент ${personId}`, createdAt);
        insertMembership.run(personId, j === 0 ? 'client_manager' : 'client', c);
      }
    }
    for (const [line, count] of Object.entries(STAFF) as [keyof typeof STAFF, number][]) {
      for (let j = 0; j < count; j++) {
        personId++;
        insertPerson.run(personId, 100_000 + personId, `Инженер ${personId}`, createdAt);
        insertMembership.run(personId, STAFF_ROLE[line], null);
        if (line !== 'supervisor') staff[line].push(personId);
      }
    }
  })();
  return staff;
}

const pickOldStatus = weighted<Status>({ closed: 93, cancelled: 6, in_progress: 1 });
const pickRecentStatus = weighted<Status>({
  new: 8,
  open: 7,
  in_progress: 30,
  waiting_for_customer: 12,
  resolved: 25,
  closed: 13,
  cancelled: 5,
});
const pickChannel = weighted<Channel>({ telegram: 55, miniapp: 15, email: 15, web: 5, phone: 10 });
const pickLine = weighted<Line>({ line1: 70, line2: 22, field: 8 });
const pickImpact = weighted<Impact>({ person: 70, department: 25, company: 5 });
const pickUrgency = weighted<Urgency>({ low: 25, medium: 55, high: 20 });
const pickRating = weighted({ 5: 60, 4: 25, 3: 8, 2: 4, 1: 3 });

/** Seeds `total` tickets with their events through raw statements in large transactions; returns rows written. */
export function seedTickets(
  sqlite: Database.Database,
  total: number,
  staff: Record<Line, number[]>,
  onBatch: () => void = () => {},
): number {
  const random = randomSource(42);
  const insertTicket = sqlite.prepare(
    `insert into tickets (id, number, channel, requester_id, company_id, contract_id, category_id, subject,
       description, impact, urgency, priority, status, line, assignee_id, created_at, updated_at,
       first_response_due_at, first_responded_at, first_response_minutes, first_response_met,
       resolution_due_at, sla_paused_at, resolved_at, resolution_minutes, resolution_met, closed_at, rating)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertEvent = sqlite.prepare(
    `insert into ticket_events (ticket_id, at, actor_id, type, from_status, to_status, internal, data)
     values (?, ?, ?, ?, ?, ?, 0, ?)`,
  );
  const step = (STORE_TO - STORE_FROM) / total;
  let rows = 0;

  const seedOne = (i: number) => {
    const id = i + 1;
    const createdAt = Math.floor(STORE_FROM + (i + random()) * step);
    const company = Number(pickCompany(random));
    const requester = (company - 1) * CLIENTS_PER_COMPANY + 1 + Math.floor(random() * CLIENTS_PER_COMPANY);
    const impact = pickImpact(random);
    const urgency = pickUrgency(random);
    const priority = priorityFor(DEFAULT_PRIORITY_MATRIX, impact, urgency);
    const targets = DEFAULT_SLA_TARGETS[priority];
    const status = (STORE_TO - createdAt > 21 * DAY ? pickOldStatus : pickRecentStatus)(random);
    const line = pickLine(random);
    const unassigned = status === 'new' || status === 'open' || (status === 'cancelled' && random() < 0.5);
    const assignee = unassigned ? null : pick(random, staff[line]);
    const category = random() < 0.05 ? null : 1 + Math.floor(random() * random() * CATEGORIES.length);

    const answered = status !== 'new' && !(status === 'cancelled' && assignee === null);
    const frMinutes = answered ? targets.firstResponse * spread(random, -0.5, 0.8) : null;
    const respondedAt = frMinutes === null ? null : Math.round(createdAt + frMinutes * MINUTE);
    const solved = status === 'resolved' || status === 'closed';
    const resMinutes = solved
      ? Math.max(frMinutes ?? 0, targets.resolution * spread(random, -0.4, 0.7))
      : null;
    const resolvedAt = resMinutes === null ? null : Math.round(createdAt + resMinutes * MINUTE);
    const closedAt =
      status === 'closed' && resolvedAt !== null ? resolvedAt + (1 + random() * 3) * DAY : null;
    const pausedAt =
      resolvedAt ?? (status === 'waiting_for_customer' ? (respondedAt ?? createdAt) + 2 * HOUR : null);
    const rating = status === 'closed' && random() < 0.35 ? Number(pickRating(random)) : null;
    const subject = `${CATEGORIES[(category ?? 8) - 1] ?? 'other'}: проблема у пользователя ${requester}`;

    insertTicket.run(
      id,
      1000 + id,
      pickChannel(random),
      requester,
      company,
      company,
      category,
      subject,
      `${subject}. Подробности в переписке.`,
      impact,
      urgency,
      priority,
      status,
      line,
      assignee,
      createdAt,
      Math.round(closedAt ?? resolvedAt ?? respondedAt ?? createdAt),
      createdAt + targets.firstResponse * MINUTE,
      respondedAt,
      frMinutes,
      frMinutes === null ? null : Number(frMinutes <= targets.firstResponse),
      createdAt + targets.resolution * MINUTE,
      pausedAt,
      resolvedAt,
      resMinutes,
      resMinutes === null ? null : Number(resMinutes <= targets.resolution),
      closedAt === null ? null : Math.round(closedAt),
      rating,
    );
    insertEvent.run(id, createdAt, requester, 'created', null, 'new', `{"priority":"${priority}"}`);
    rows += 2;
    if (assignee !== null && respondedAt !== null) {
      insertEvent.run(id, respondedAt, assignee, 'take', 'new', 'in_progress', null);
      rows++;
    }
    if (resolvedAt !== null || status === 'cancelled') {
      const type = status === 'cancelled' ? 'cancel' : 'resolve';
      insertEvent.run(id, resolvedAt ?? createdAt + HOUR, assignee, type, null, status, null);
      rows++;
    }
  };

  const seedBatch = sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) seedOne(i);
  });
  for (let from = 0; from < total; from += BATCH) {
    seedBatch(from, Math.min(total, from + BATCH));
    onBatch();
  }
  return rows;
}
