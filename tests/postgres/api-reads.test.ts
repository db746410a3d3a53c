// The Mini App API's reads on a real PostgreSQL: the ticket list (its fast paths and every filter, paging and the
// case- and ё-insensitive search), a ticket's page read in one statement against the same ticket read apart, the
// names of a response, the CSV and XLSX exports, the health check's outbox figures and store probe, the store
// stamp and a group's move to a new chat id. Expected lists are computed from the tickets written.
import { PassThrough } from 'node:stream';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHealthCheck } from '../../api/health.ts';
import { Names } from '../../api/views.ts';
import { loadActor } from '../../core/actors.ts';
import { NotFoundError } from '../../core/errors.ts';
import { exportTicketsCsv, ticketCsvChunks } from '../../core/exports.ts';
import { ticketsXlsx } from '../../core/exports-xlsx.ts';
import { bindGroup, boundGroup, moveGroupChat } from '../../core/groups/binding.ts';
import { type Actor, SYSTEM } from '../../core/permissions.ts';
import { sameStamp, storeStamp } from '../../core/store-stamp.ts';
import { act } from '../../core/tickets/act.ts';
import { addComment } from '../../core/tickets/comment.ts';
import { createTicket } from '../../core/tickets/create.ts';
import {
  foldForSearch,
  getTicket,
  listTicketIds,
  listTicketSummaries,
  listTickets,
  readTicketPage,
  type TicketFilter,
  ticketAttachments,
  ticketComments,
  timeline,
} from '../../core/tickets/read.ts';
import { offeredSlots } from '../../core/tickets/visits.ts';
import type { TicketRow } from '../../db/schema.ts';
import { translator } from '../../locales/index.ts';
import { postgresAvailable } from '../support/postgres.ts';
import { type PgWorld, pgSchema, postgresDesks } from './world.ts';

const MINUTE = 60_000;

interface Desk {
  w: PgWorld;
  companyB: number;
  category2: number;
  clientB: Actor;
  managerA: Actor;
  ids: { clientB: number; managerA: number };
  actors: Record<'client' | 'clientB' | 'managerA' | 'line1', Actor>;
  /** Ticket ids in the order filed. */
  filed: number[];
}

const SUBJECTS = [
  ['client', 'Принтер не печатает', 'Лоток пуст'],
  ['client', 'Ёлка на рабочем столе', 'обои сменились сами'],
  ['client', 'Диск заполнен на 100%', 'осталось 0 байт'],
  ['managerA', 'Network is DOWN', 'the switch_2 blinks'],
  ['clientB', 'ПРИНТЕР в бухгалтерии', 'печатает полосами'],
  ['clientB', 'Почта не уходит', 'ошибка 1000 при отправке'],
  ['client', 'елки-палки, мышь', 'Мышь не двигается'],
  ['managerA', 'Scanner jam', 'Paper stuck in the ADF'],
] as const;

async function makeDesk(desks: Awaited<ReturnType<typeof postgresDesks>>): Promise<Desk> {
  const w = await desks.desk();
  const db = w.store.db;
  const t0 = w.clock.now();
  const [companyB] = await db
    .insert(pgSchema.companies)
    .values({ name: 'Beta JSC', createdAt: t0 })
    .returning();
  const [category2] = await db
    .insert(pgSchema.categories)
    .values({ code: 'network', nameRu: 'Сеть', nameEn: 'Network' })
    .returning();
  if (!companyB || !category2) throw new Error('not made');
  let tg = 9000;
  const person = async (name: string, role: 'client' | 'client_manager', companyId: number) => {
    const [row] = await db
      .insert(pgSchema.people)
      .values({ name, telegramUserId: ++tg, createdAt: t0 })
      .returning();
    if (!row) throw new Error('person not made');
    await db.insert(pgSchema.memberships).values({ personId: row.id, role, companyId });
    return row.id;
  };
  const clientBId = await person('Client B', 'client', companyB.id);
  const managerAId = await person('Manager A', 'client_manager', w.companyId);
  const clientB = await loadActor(w.ctx.db, clientBId);
  const managerA = await loadActor(w.ctx.db, managerAId);
  const actors = { client: w.client, clientB, managerA, line1: w.line1 };
  const filed: number[] = [];
  for (const [i, [who, subject, description]] of SUBJECTS.entries()) {
    const t = await createTicket(w.ctx, actors[who], {
      channel: 'telegram',
      subject,
      description,
      impact: i % 2 === 0 ? 'person' : 'company',
      urgency: i % 3 === 0 ? 'high' : 'low',
      ...(i % 3 === 0 ? { categoryId: w.category } : i % 3 === 1 ? { categoryId: category2.id } : {}),
    });
    filed.push(t.id);
    w.clock.advance(7 * MINUTE);
  }
  // Some taken by the engineer, one resolved, one with a public and an internal comment, files and slots.
  const [t0id, t1id, t3id, t4id] = [filed[0], filed[1], filed[3], filed[4]] as [
    number,
    number,
    number,
    number,
  ];
  for (const id of [t0id, t3id, t4id]) {
    const triaged = await act(w.ctx, w.line1, id, {
      action: 'triage',
      impact: 'department',
      urgency: 'high',
    });
    await act(w.ctx, w.line1, id, { action: 'take', expectedVersion: triaged.ticket.version });
    w.clock.advance(MINUTE);
  }
  await act(w.ctx, w.line1, t4id, { action: 'resolve', resolution: 'Drum replaced' });
  const { comment } = await addComment(w.ctx, w.line1, t0id, { body: 'Which tray?' });
  await addComment(w.ctx, w.line1, t0id, { body: 'Staff only: toner is out of stock', internal: true });
  await addComment(w.ctx, w.client, t0id, { body: 'The lower one' });
  await addComment(w.ctx, w.client, t1id, { body: 'Still there' });
  await db.insert(pgSchema.attachments).values([
    {
      ticketId: t0id,
      commentId: comment.id,
      kind: 'photo',
      fileName: 'tray.jpg',
      mimeType: 'image/jpeg',
      size: 1234,
      createdAt: w.clock.now(),
    },
    {
      ticketId: t0id,
      kind: 'document',
      fileName: 'log.txt',
      mimeType: 'text/plain',
      size: 99,
      internal: true,
      createdAt: w.clock.now(),
    },
    { ticketId: t1id, kind: 'voice', createdAt: w.clock.now() },
  ]);
  const at = w.clock.now();
  await db.insert(pgSchema.visitSlots).values([
    { ticketId: t0id, startsAt: at + 5 * 60 * MINUTE, endsAt: at + 6 * 60 * MINUTE, offeredAt: at },
    { ticketId: t0id, startsAt: at + 2 * 60 * MINUTE, endsAt: at + 3 * 60 * MINUTE, offeredAt: at },
    {
      ticketId: t0id,
      startsAt: at + 9 * 60 * MINUTE,
      endsAt: at + 10 * 60 * MINUTE,
      offeredAt: at,
      state: 'withdrawn',
    },
  ]);
  return {
    w,
    companyB: companyB.id,
    category2: category2.id,
    clientB,
    managerA,
    ids: { clientB: clientBId, managerA: managerAId },
    actors,
    filed,
  };
}

/** What the permission rules let each of the desk's people see, and what each filter keeps, in JavaScript. */
function expectedIds(d: Desk, who: keyof Desk['actors'], all: TicketRow[], f: TicketFilter): number[] {
  const personOf = {
    client: d.w.ids.client,
    clientB: d.ids.clientB,
    managerA: d.ids.managerA,
    line1: d.w.ids.line1,
  };
  const me = personOf[who];
  const visible = (t: TicketRow) =>
    who === 'line1' || t.requesterId === me || (who === 'managerA' && t.companyId === d.w.companyId);
  const words = (f.q ?? '').trim().split(/\s+/).filter(Boolean);
  const number = /^#?\s*(\d{1,9})$/.exec((f.q ?? '').trim());
  const matches = (t: TicketRow) =>
    number
      ? t.number === Number(number[1])
      : words.every((word) =>
          [t.subject, t.description].some((text) => foldForSearch(text).includes(foldForSearch(word))),
        );
  return all
    .filter(
      (t) =>
        visible(t) &&
        (!f.status || f.status.includes(t.status)) &&
        (f.companyId === undefined || t.companyId === f.companyId) &&
        (f.categoryId === undefined || t.categoryId === f.categoryId) &&
        (f.assigneeId === undefined || t.assigneeId === f.assigneeId) &&
        (!f.mine || t.requesterId === me) &&
        (f.before === undefined || t.id < f.before) &&
        matches(t),
    )
    .map((t) => t.id)
    .sort((a, b) => b - a)
    .slice(0, f.limit ?? 50);
}

const SUMMARY_KEYS = [
  'id',
  'number',
  'subject',
  'status',
  'priority',
  'impact',
  'urgency',
  'line',
  'channel',
  'categoryId',
  'categoryNameRu',
  'categoryNameEn',
  'companyId',
  'companyName',
  'requesterId',
  'requesterName',
  'assigneeId',
  'assigneeName',
  'createdAt',
  'updatedAt',
  'version',
  'contractId',
  'firstResponseDueAt',
  'firstRespondedAt',
  'resolutionDueAt',
  'slaPausedAt',
  'slaPausedMinutes',
  'resolvedAt',
];

describe.skipIf(!postgresAvailable())('the API’s reads on PostgreSQL', () => {
  let desks: Awaited<ReturnType<typeof postgresDesks>>;
  let d: Desk;
  beforeAll(async () => {
    desks = await postgresDesks();
    d = await makeDesk(desks);
  }, 120_000);
  afterAll(async () => {
    await desks?.stop();
  });

  const allTickets = async () => await d.w.store.db.select().from(pgSchema.tickets);

  it('lists, with every filter and for every kind of person, what the rules and the filter keep', async () => {
    const all = await allTickets();
    const byId = new Map(all.map((t) => [t.id, t]));
    const filters: TicketFilter[] = [
      {},
      { limit: 3 },
      { status: ['in_progress'] },
      { status: ['new', 'resolved'] },
      { companyId: d.w.companyId },
      { companyId: d.companyB },
      { categoryId: d.w.category },
      { categoryId: d.category2 },
      { assigneeId: d.w.ids.line1 },
      { assigneeId: null },
      { mine: true },
      { before: d.filed[5] },
      { q: 'принтер' },
      { q: 'ПРИНТЕР' },
      { q: 'Принтер печатает' },
      { q: 'ёлка' },
      { q: 'ЕЛКА' },
      { q: 'ёлки' },
      { q: '100%' },
      { q: '%' },
      { q: 'switch_2' },
      { q: '_' },
      { q: 'down' },
      { q: 'мышь НЕ' },
      { q: `#${byId.get(d.filed[2] as number)?.number}` },
      { q: `${byId.get(d.filed[6] as number)?.number}` },
      { q: 'nothing-like-this' },
      { q: 'принтер', status: ['resolved'] },
    ];
    let nonEmpty = 0;
    for (const who of ['client', 'clientB', 'managerA', 'line1'] as const) {
      const actor = d.actors[who];
      for (const f of filters) {
        const expected = expectedIds(d, who, all, f);
        if (expected.length > 0) nonEmpty++;
        const label = `${who} ${JSON.stringify(f)}`;
        expect(await listTicketIds(d.w.ctx.db, actor, f), label).toEqual(expected);
        expect(
          (await listTickets(d.w.ctx.db, actor, f)).map((t) => t.id),
          label,
        ).toEqual(expected);
        const summaries = await listTicketSummaries(d.w.ctx.db, actor, f);
        expect(
          summaries.map((s) => s.id),
          label,
        ).toEqual(expected);
      }
    }
    expect(nonEmpty).toBeGreaterThan(60);
    // The search folds case and ё on both sides, and takes % and _ literally.
    const found = async (q: string) =>
      (await listTicketSummaries(d.w.ctx.db, d.w.line1, { q })).map((s) => s.subject).sort();
    expect(await found('принтер')).toEqual(['ПРИНТЕР в бухгалтерии', 'Принтер не печатает']);
    expect(await found('ЁЛКА')).toEqual(['Ёлка на рабочем столе']);
    expect(await found('елк')).toEqual(['Ёлка на рабочем столе', 'елки-палки, мышь']);
    expect(await found('100%')).toEqual(['Диск заполнен на 100%']);
    expect(await found('switch_2')).toEqual(['Network is DOWN']);
    expect(await found('h_2')).toEqual(['Network is DOWN']);
    expect(await found('h%2')).toEqual([]);
  });

  it('pages newest first with the cursor, the same pages as the whole list', async () => {
    const all = await allTickets();
    for (const who of ['client', 'managerA', 'line1'] as const) {
      const whole = expectedIds(d, who, all, {});
      const paged: number[] = [];
      let before: number | undefined;
      for (;;) {
        const page = await listTicketSummaries(d.w.ctx.db, d.actors[who], { limit: 2, before });
        paged.push(...page.map((s) => s.id));
        if (page.length < 2) break;
        before = page[page.length - 1]?.id;
      }
      expect(paged).toEqual(whole);
    }
  });

  it('gives summaries with their names, their keys in the API’s order', async () => {
    const all = await allTickets();
    const people = new Map((await d.w.store.db.select().from(pgSchema.people)).map((p) => [p.id, p.name]));
    const companies = new Map(
      (await d.w.store.db.select().from(pgSchema.companies)).map((c) => [c.id, c.name]),
    );
    const categories = new Map((await d.w.store.db.select().from(pgSchema.categories)).map((c) => [c.id, c]));
    const summaries = await listTicketSummaries(d.w.ctx.db, d.w.line1, {});
    expect(summaries).toHaveLength(all.length);
    for (const s of summaries) {
      expect(Object.keys(s)).toEqual(SUMMARY_KEYS);
      const t = all.find((row) => row.id === s.id) as TicketRow;
      for (const key of SUMMARY_KEYS) {
        if (key in t) expect(s[key as keyof typeof s], key).toEqual(t[key as keyof TicketRow]);
      }
      const category = t.categoryId === null ? undefined : categories.get(t.categoryId);
      expect(s.categoryNameRu).toBe(category?.nameRu ?? null);
      expect(s.categoryNameEn).toBe(category?.nameEn ?? null);
      expect(s.companyName).toBe(t.companyId === null ? null : companies.get(t.companyId));
      expect(s.requesterName).toBe(people.get(t.requesterId));
      expect(s.assigneeName).toBe(t.assigneeId === null ? null : people.get(t.assigneeId));
    }
  });

  it('reads a ticket’s page in one statement: what the reads apart give, for a client and for staff', async () => {
    const people = new Map((await d.w.store.db.select().from(pgSchema.people)).map((p) => [p.id, p.name]));
    let checked = 0;
    for (const who of ['client', 'managerA', 'clientB', 'line1'] as const) {
      const actor = d.actors[who];
      for (const id of d.filed) {
        let apart: Awaited<ReturnType<typeof getTicket>>;
        try {
          apart = await getTicket(d.w.ctx, actor, id);
        } catch (error) {
          expect(error).toBeInstanceOf(NotFoundError);
          await expect(readTicketPage(d.w.ctx, actor, id)).rejects.toBeInstanceOf(NotFoundError);
          continue;
        }
        checked++;
        const page = await readTicketPage(d.w.ctx, actor, id);
        for (const [key, value] of Object.entries(apart.ticket)) {
          if (key in page.ticket) expect(page.ticket[key as keyof typeof page.ticket], key).toEqual(value);
        }
        expect(page.ticket.requesterName).toBe(people.get(apart.ticket.requesterId));
        expect(page.sla).toEqual(apart.sla);
        expect(page.roles).toEqual(apart.roles);
        expect(page.timeZone).toBe(apart.timeZone);
        expect(page.timeline).toEqual(
          (await timeline(d.w.ctx, actor, apart)).map(({ ticketId: _, ...e }) => ({
            ...e,
            actorName: e.actorId === null ? null : (people.get(e.actorId) ?? null),
          })),
        );
        expect(page.comments).toEqual(
          (await ticketComments(d.w.ctx, actor, apart)).map(({ ticketId: _, ...c }) => ({
            ...c,
            authorName: c.authorId === null ? null : (people.get(c.authorId) ?? null),
          })),
        );
        expect(page.attachments).toEqual(
          (await ticketAttachments(d.w.ctx, actor, apart)).map((a) => ({
            id: a.id,
            commentId: a.commentId,
            kind: a.kind,
            fileName: a.fileName,
            mimeType: a.mimeType,
            size: a.size,
            internal: a.internal,
          })),
        );
        expect(page.offeredSlots).toEqual(
          (await offeredSlots(d.w.ctx.db, id)).map((s) => ({
            id: s.id,
            startsAt: s.startsAt,
            endsAt: s.endsAt,
          })),
        );
      }
    }
    expect(checked).toBeGreaterThan(15);
    // The first ticket as each sees it: staff read the internal note and file, the client does not.
    const first = d.filed[0] as number;
    const staff = await readTicketPage(d.w.ctx, d.w.line1, first);
    const client = await readTicketPage(d.w.ctx, d.w.client, first);
    expect(staff.comments.map((c) => [c.body, c.internal])).toEqual([
      ['Which tray?', false],
      ['Staff only: toner is out of stock', true],
      ['The lower one', false],
    ]);
    expect(client.comments.map((c) => c.body)).toEqual(['Which tray?', 'The lower one']);
    expect(staff.attachments.map((a) => [a.fileName, a.internal, a.size])).toEqual([
      ['tray.jpg', false, 1234],
      ['log.txt', true, 99],
    ]);
    expect(client.attachments.map((a) => a.fileName)).toEqual(['tray.jpg']);
    expect(staff.timeline.some((e) => e.internal)).toBe(true);
    expect(client.timeline.some((e) => e.internal)).toBe(false);
    expect(staff.timeline[0]).toMatchObject({ type: 'created', actorName: 'Client A' });
    const slots = staff.offeredSlots;
    expect(slots).toHaveLength(2);
    expect((slots[0]?.startsAt ?? 0) < (slots[1]?.startsAt ?? 0)).toBe(true);
    expect(client.offeredSlots).toEqual(slots);
    expect(staff.ticket).toMatchObject({
      subject: 'Принтер не печатает',
      companyName: 'Alpha LLC',
      categoryNameEn: 'Printer',
      assigneeName: 'Line One',
      description: 'Лоток пуст',
    });
    await expect(readTicketPage(d.w.ctx, d.w.line1, 999_999)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('looks up the names of a response', async () => {
    const names = await new Names(d.w.ctx, 'ru').load({
      people: [d.w.ids.client, d.ids.clientB, null, 424_242],
      companies: [d.companyB, d.w.companyId, null],
    });
    expect(names.person(d.w.ids.client)).toBe('Client A');
    expect(names.person(d.ids.clientB)).toBe('Client B');
    expect(names.person(424_242)).toBeNull();
    expect(names.person(null)).toBeNull();
    expect(names.company(d.companyB)).toBe('Beta JSC');
    expect(names.company(d.w.companyId)).toBe('Alpha LLC');
    expect(await names.category(d.category2)).toBe('Сеть');
    expect(await new Names(d.w.ctx, 'en').category(d.w.category)).toBe('Printer');
    expect(await names.category(777)).toBeNull();
  });

  it('exports the tickets each may see as CSV and XLSX, filtered and searched', async () => {
    const all = await allTickets();
    const numbers = (ids: number[]) => ids.map((id) => all.find((t) => t.id === id)?.number);
    const format = { t: translator('en'), language: 'en' as const, timeZone: 'Europe/Moscow' };
    const rowsOf = (csv: string) =>
      csv
        .replace(/^\uFEFF/, '')
        .split('\r\n')
        .filter(Boolean)
        .slice(1)
        .map((line) => line.split(','));
    for (const [who, f] of [
      ['line1', {}],
      ['line1', { q: 'принтер' }],
      ['managerA', {}],
      ['client', { status: ['in_progress'] }],
      ['clientB', {}],
    ] as [keyof Desk['actors'], TicketFilter][]) {
      const expected = numbers(expectedIds(d, who, all, f));
      const rows = rowsOf(await exportTicketsCsv(d.w.ctx, d.actors[who], f, format));
      expect(
        rows.map((r) => Number(r[0])),
        `${who} ${JSON.stringify(f)}`,
      ).toEqual(expected);
      const chunks: string[] = [];
      for await (const chunk of ticketCsvChunks(d.w.ctx, d.actors[who], f, format)) chunks.push(chunk);
      expect(rowsOf(chunks.join('')).map((r) => Number(r[0]))).toEqual(expected);
    }
    const printers = rowsOf(await exportTicketsCsv(d.w.ctx, d.w.line1, { q: 'принтер' }, format));
    const resolved = all.find((t) => t.status === 'resolved') as TicketRow;
    expect(printers.find((r) => Number(r[0]) === resolved.number)?.slice(2, 4)).toEqual([
      'Beta JSC',
      'Client B',
    ]);

    const out = new PassThrough();
    const parts: Buffer[] = [];
    out.on('data', (c: Buffer) => parts.push(c));
    await ticketsXlsx(d.w.ctx, d.w.line1, { companyId: d.w.companyId }, format)(out);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.concat(parts) as unknown as ExcelJS.Buffer);
    const sheet = book.worksheets[0];
    const expected = numbers(expectedIds(d, 'line1', all, { companyId: d.w.companyId }));
    expect(sheet?.rowCount).toBe(expected.length + 1);
    expect(expected.map((_, i) => sheet?.getRow(i + 2).getCell(1).value)).toEqual(expected);
  });

  it('reports the outbox’s figures and proves the store takes a write', async () => {
    const db = d.w.store.db;
    const notices = await db.select().from(pgSchema.outbox);
    expect(notices.length).toBeGreaterThan(3);
    // One dead, one in backoff (its recipient's later notices wait behind it), one e-mail.
    const [dead, backoff, mail] = notices as [(typeof notices)[0], (typeof notices)[0], (typeof notices)[0]];
    const now = d.w.clock.now();
    await db.update(pgSchema.outbox).set({ state: 'dead' }).where(eq(pgSchema.outbox.id, dead.id));
    await db
      .update(pgSchema.outbox)
      .set({ nextAttemptAt: now + 10 * MINUTE })
      .where(eq(pgSchema.outbox.id, backoff.id));
    await db.update(pgSchema.outbox).set({ channel: 'email' }).where(eq(pgSchema.outbox.id, mail.id));
    const rows = await db.select().from(pgSchema.outbox);
    const expected = (channels: string[]) => {
      const pending = rows.filter((o) => o.state === 'pending' && channels.includes(o.channel));
      const claimable = pending.filter(
        (o) =>
          o.nextAttemptAt <= now &&
          !rows.some(
            (e) =>
              e.recipientId === o.recipientId &&
              e.id < o.id &&
              (e.state === 'pending' || e.state === 'sending'),
          ),
      );
      const oldest = claimable.length === 0 ? null : Math.min(...claimable.map((o) => o.nextAttemptAt));
      return {
        ok: true,
        pending: pending.length,
        oldestDueSeconds: oldest === null ? null : Math.round(Math.max(0, now - oldest) / 1000),
        dead: rows.filter((o) => o.state === 'dead').length,
      };
    };
    const report = await createHealthCheck(d.w.ctx)();
    expect(report.checks.store).toEqual({ ok: true });
    expect(report.checks.outbox).toEqual(expected(['telegram', 'staff_group']));
    expect(report.checks.outbox.dead).toBe(1);
    expect(report.checks.outbox.oldestDueSeconds).not.toBeNull();
    const withMail = await createHealthCheck(d.w.ctx, { sendsMail: true })();
    expect(withMail.checks.outbox).toEqual(expected(['telegram', 'staff_group', 'email']));
    expect(withMail.checks.outbox.pending).toBe(report.checks.outbox.pending + 1);
    const [probe] = await db
      .select()
      .from(pgSchema.deskSettings)
      .where(eq(pgSchema.deskSettings.key, 'health.probe'));
    expect(probe).toEqual({ key: 'health.probe', value: new Date(now).toISOString(), updatedAt: now });
    // Stalled: a bot whose notifier leaves a claimable notice waiting beyond the limit.
    d.w.clock.advance(10 * MINUTE);
    const stalled = await createHealthCheck(d.w.ctx, {
      bot: () => ({ mode: 'polling', running: true, lastUpdateAt: null }),
    })();
    expect(stalled.checks.outbox.ok).toBe(false);
    expect(stalled.ok).toBe(false);
    const [probed] = await db
      .select()
      .from(pgSchema.deskSettings)
      .where(eq(pgSchema.deskSettings.key, 'health.probe'));
    expect(probed?.updatedAt).toBe(d.w.clock.now());
  });

  it('never gives the same store stamp twice, so no caller is kept between requests', async () => {
    const a = await storeStamp(d.w.ctx.db);
    const b = await storeStamp(d.w.ctx.db);
    expect(sameStamp(a, a)).toBe(true);
    expect(sameStamp(a, b)).toBe(false);
  });

  it('binds a group and moves it, its tickets’ thread and its messages’ references, to a new chat id', async () => {
    const w = await desks.desk();
    const from = -4_001_234_567;
    const to = -1_009_876_543_210;
    await bindGroup(w.ctx, SYSTEM, {
      chatId: from,
      title: 'Alpha & IT',
      language: 'ru',
      companyId: w.companyId,
    });
    expect((await boundGroup(w.ctx, from))?.companyId).toBe(w.companyId);
    const ticket = await createTicket(w.ctx, w.client, {
      channel: 'telegram',
      description: 'From the group',
    });
    await w.store.db.insert(pgSchema.messageRefs).values([
      { channel: 'telegram', ref: `${from}:55`, ticketId: ticket.id, createdAt: w.clock.now() },
      { channel: 'telegram', ref: `${from}0:56`, ticketId: ticket.id, createdAt: w.clock.now() },
      { channel: 'telegram', ref: '777:57', ticketId: ticket.id, createdAt: w.clock.now() },
    ]);
    expect(await moveGroupChat(w.ctx, from, to)).toBe(true);
    expect(await boundGroup(w.ctx, from)).toBeUndefined();
    expect((await boundGroup(w.ctx, to))?.companyId).toBe(w.companyId);
    const refs = (await w.store.db.select().from(pgSchema.messageRefs)).map((r) => r.ref).sort();
    expect(refs).toEqual([`${from}0:56`, `${to}:55`, '777:57'].sort());
    expect(await moveGroupChat(w.ctx, from, to)).toBe(false);
  });
});
