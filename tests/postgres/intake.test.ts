// The bot's and the intake's store access on PostgreSQL: the guided intake's drafts (each saved with its update's
// record in one transaction), the handled updates, the category buttons, the message references (the latest
// wins), the conversation state, onboarding from Telegram and the merge of a person found by phone, the directory
// import and export, a call filed by the phone console, a web form's request, and who a message is from.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationStorage } from '../../bot/conversation-storage.ts';
import { handledUpdates } from '../../bot/handled-updates.ts';
import { type IntakeDraft, intakeDrafts } from '../../bot/intake/drafts.ts';
import { categoryOptions } from '../../bot/intake/questions.ts';
import { nextLinkedMessageIds, rememberMessage, ticketOfMessage } from '../../bot/message-links.ts';
import { loadActor } from '../../core/actors.ts';
import { importDirectory, previewDirectory } from '../../core/directory/apply.ts';
import { directoryEntries } from '../../core/directory/export.ts';
import { clearRefPurpose, refOf, rememberRef } from '../../core/intake/message-refs.ts';
import { identifySender } from '../../core/intake/senders.ts';
import { bindByPhone, ensureTelegramPerson } from '../../core/onboarding.ts';
import { fileCall } from '../../core/phone/caller.ts';
import { addComment } from '../../core/tickets/comment.ts';
import { createTicket } from '../../core/tickets/create.ts';
import { MERGED_EVENT, mergeTickets } from '../../core/tickets/merge.ts';
import {
  insertSlots,
  offeredSlots,
  pickSlot,
  slotOfTicket,
  withdrawOffered,
} from '../../core/tickets/visits.ts';
import { inTransaction } from '../../core/transaction.ts';
import { checkFields, fileSubmission } from '../../core/webform/submit.ts';
import type { Db } from '../../db/connection.ts';
import { postgresAvailable } from '../support/postgres.ts';
import { type PgWorld, pgSchema, postgresDesks } from './world.ts';

/** The message id after the highest the store has linked in a chat (1 for a chat it does not know). */
const nextLinkedIn = async (db: Db, chatId: number) => (await nextLinkedMessageIds(db)).get(chatId) ?? 1;

const { people, memberships, companies, tickets, categories, handledUpdates: handledTable } = pgSchema;

function draftOf(chatId: number, over: Partial<IntakeDraft> = {}): IntakeDraft {
  return {
    chatId,
    ownerId: chatId,
    intakeKey: `tg:${chatId}:k1`,
    step: 'description',
    prompts: [11, 12],
    editing: false,
    categoryId: null,
    categoryName: 'Принтер',
    parts: ['Не печатает', 'совсем'],
    files: [],
    impact: null,
    urgency: 'high',
    location: null,
    ...over,
  };
}

async function admin(w: PgWorld) {
  const [row] = await w.store.db
    .insert(people)
    .values({ name: 'Admin', telegramUserId: 9_000_001, createdAt: w.clock.now() })
    .returning();
  if (!row) throw new Error('no admin');
  await w.store.db.insert(memberships).values({ personId: row.id, role: 'admin', companyId: null });
  return await loadActor(w.ctx.db, row.id);
}

const utf8 = (text: string) => new TextEncoder().encode(`\uFEFF${text}`);
const csv = (rows: string[][]) => `${rows.map((r) => r.join(';')).join('\r\n')}\r\n`;

describe.skipIf(!postgresAvailable())('the bot and the intake on PostgreSQL', () => {
  let desks: Awaited<ReturnType<typeof postgresDesks>>;
  beforeAll(async () => {
    desks = await postgresDesks();
  }, 60_000);
  afterAll(async () => {
    await desks?.stop();
  });

  it('saves, loads and removes a draft, recording its update in the same transaction', async () => {
    const w = await desks.desk();
    const db = w.ctx.db;
    const drafts = intakeDrafts(db);
    const updates = handledUpdates(db);
    // A private chat id past 2^32, as Telegram's user ids are.
    const chat = 7_000_000_123;
    expect(await drafts.load(chat)).toBeUndefined();
    const first = draftOf(chat);
    await drafts.save(first, 1_000, 501);
    expect(await drafts.load(chat)).toEqual(first);
    expect(await updates.seen(501)).toBe(true);

    const moved = draftOf(chat, {
      step: 'impact',
      parts: ['Не печатает'],
      categoryId: w.category,
      prompts: [13],
    });
    await drafts.save(moved, 2_000, 502);
    expect(await drafts.load(chat)).toEqual(moved);
    expect(await w.store.db.$count(pgSchema.intakeDrafts)).toBe(1);
    const [row] = await w.store.db.select().from(pgSchema.intakeDrafts);
    expect(row).toMatchObject({ chatId: chat, ownerId: chat, step: 'impact', updatedAt: 2_000 });

    // A transaction that fails keeps neither the draft nor its update.
    await expect(
      inTransaction(db, async () => {
        await drafts.save(draftOf(chat, { step: 'urgency' }), 3_000, 503);
        throw new Error('the handler failed after the save');
      }),
    ).rejects.toThrow(/handler failed/);
    expect(await drafts.load(chat)).toEqual(moved);
    expect(await updates.seen(503)).toBe(false);
    // A record that fails (an id past int4) takes the draft's write back with it.
    await expect(drafts.save(draftOf(chat, { step: 'location' }), 3_500, 2 ** 40)).rejects.toThrow();
    expect(await drafts.load(chat)).toEqual(moved);
    expect((await w.store.db.select().from(handledTable)).map((r) => r.updateId).sort()).toEqual([501, 502]);

    // Another chat's draft is its own.
    const other = draftOf(42, { ownerId: 43 });
    await drafts.save(other, 4_000, 504);
    expect(await drafts.load(42)).toEqual(other);

    await drafts.remove(chat, 5_000, 505);
    expect(await drafts.load(chat)).toBeUndefined();
    expect(await drafts.load(42)).toEqual(other);
    expect(await updates.seen(505)).toBe(true);

    // The ticket filed with an intake key.
    expect(await drafts.filedAs(first.intakeKey)).toBeUndefined();
    const ticket = await createTicket(w.ctx, w.client, { channel: 'telegram', description: 'x' });
    await w.store.db.update(tickets).set({ intakeKey: first.intakeKey }).where(eq(tickets.id, ticket.id));
    expect(await drafts.filedAs(first.intakeKey)).toBe(ticket.number);
  });

  it('records each update once, even from two instances at once; prunes and tells the next id', async () => {
    const w = await desks.desk();
    const updates = handledUpdates(w.ctx.db);
    expect(await updates.next()).toBe(1);
    expect(await updates.seen(10)).toBe(false);
    await updates.record(10, 1_000);
    await Promise.all([updates.record(12, 2_000), updates.record(12, 2_001), updates.record(12, 2_002)]);
    await updates.record(10, 9_999);
    expect(await updates.seen(10)).toBe(true);
    expect(await updates.seen(11)).toBe(false);
    expect(await updates.seen(12)).toBe(true);
    expect(await updates.next()).toBe(13);
    const rows = await w.store.db.select().from(handledTable);
    expect(rows.length).toBe(2);
    expect(rows.find((r) => r.updateId === 10)?.handledAt).toBe(1_000);
    expect(await updates.prune(1_500)).toBe(1);
    expect(await updates.seen(10)).toBe(false);
    expect(await updates.next()).toBe(13);
    expect(await updates.prune(1_500)).toBe(0);
    expect(await updates.prune(10_000)).toBe(1);
    expect(await updates.next()).toBe(1);
  });

  it('offers the active categories in either language, in the desk’s order', async () => {
    const w = await desks.desk();
    const added = [
      { code: 'mail', nameRu: 'Почта', nameEn: 'Mail', sort: 2, active: true },
      { code: 'net', nameRu: 'Сеть', nameEn: 'Network', sort: -1, active: true },
      { code: 'old', nameRu: 'Старое', nameEn: 'Old', sort: 0, active: false },
      { code: 'phone', nameRu: 'Телефон', nameEn: 'Phone', sort: 2, active: true },
    ];
    await w.store.db.insert(categories).values(added);
    const all = await w.store.db.select().from(categories);
    const expected = all
      .filter((c) => c.active)
      .sort((a, b) => a.sort - b.sort || a.id - b.id)
      .map((c) => ({ id: c.id, ru: c.nameRu, en: c.nameEn }));
    expect(expected.map((c) => c.en)).toEqual(['Network', 'Printer', 'Mail', 'Phone']);
    const options = categoryOptions(w.ctx.db);
    expect(await options('ru')).toEqual(expected.map((c) => ({ id: c.id, name: c.ru })));
    expect(await options('en')).toEqual(expected.map((c) => ({ id: c.id, name: c.en })));
    // Read afresh each time: a category switched off is gone from the next question.
    await w.store.db.update(categories).set({ active: false }).where(eq(categories.code, 'mail'));
    expect((await options('en')).map((c) => c.name)).toEqual(['Network', 'Printer', 'Phone']);
  });

  it('links messages to tickets, the latest link winning, and knows the top message id of each chat', async () => {
    const w = await desks.desk();
    const db = w.ctx.db;
    const a = await createTicket(w.ctx, w.client, { channel: 'telegram', description: 'A' });
    const b = await createTicket(w.ctx, w.client, { channel: 'telegram', description: 'B' });
    const group = -1_001_234_567_890;
    const links: [number, number, number][] = [
      [group, 5, a.id],
      [group, 17, a.id],
      [group, 9, b.id],
      [42, 3, b.id],
      [7_000_000_123, 100, a.id],
    ];
    for (const [chat, message, ticket] of links) await rememberMessage(db, chat, message, ticket, 1_000);
    expect(await ticketOfMessage(db, group, 5)).toBe(a.id);
    expect(await ticketOfMessage(db, group, 6)).toBeUndefined();
    // The same message id again (a chat whose ids started over): the latest link wins, in one row.
    await rememberMessage(db, group, 5, b.id, 2_000);
    expect(await ticketOfMessage(db, group, 5)).toBe(b.id);
    expect(await refOf(db, 'telegram', `${group}:5`)).toMatchObject({
      ticketId: b.id,
      direction: 'out',
      purpose: null,
      createdAt: 2_000,
    });
    expect(await w.store.db.$count(pgSchema.messageRefs)).toBe(links.length);

    // Other channels and other references do not count for Telegram's numbers.
    await rememberRef(db, 'email', '<m1@x>', { ticketId: a.id, direction: 'in' }, 1_000);
    await rememberRef(db, 'telegram', 'odd-ref', { ticketId: a.id }, 1_000);
    const top = new Map<number, number>();
    for (const [chat, message] of links) top.set(chat, Math.max(top.get(chat) ?? 0, message));
    expect(await nextLinkedIn(db, group)).toBe((top.get(group) ?? 0) + 1);
    expect(await nextLinkedIn(db, 42)).toBe(4);
    expect(await nextLinkedIn(db, 99)).toBe(1);
    expect(await nextLinkedMessageIds(db)).toEqual(new Map([...top].map(([chat, t]) => [chat, t + 1])));

    // A staff prompt: its purpose and person kept, then cleared once answered.
    await rememberRef(
      db,
      'telegram',
      `${group}:30`,
      { ticketId: a.id, purpose: 'reopen', personId: w.ids.line1 },
      3_000,
    );
    expect(await refOf(db, 'telegram', `${group}:30`)).toMatchObject({
      ticketId: a.id,
      purpose: 'reopen',
      personId: w.ids.line1,
    });
    await clearRefPurpose(db, 'telegram', `${group}:30`);
    expect(await refOf(db, 'telegram', `${group}:30`)).toMatchObject({ purpose: null, personId: null });
    // Many instances remembering the same message at once: one row, no error.
    await Promise.all([1, 2, 3, 4].map((i) => rememberMessage(db, 42, 50, i % 2 ? a.id : b.id, 4_000 + i)));
    expect(
      (await w.store.db.select().from(pgSchema.messageRefs).where(eq(pgSchema.messageRefs.ref, '42:50')))
        .length,
    ).toBe(1);
  });

  it('keeps a conversation’s state in the store across a restart', async () => {
    const w = await desks.desk();
    const storage = conversationStorage(w.ctx.db);
    const state = {
      version: [0, 4] as [0, 4],
      state: { intake: [{ args: 'x', replay: { send: [], receive: [] } }] },
    };
    await storage.adapter.write('42', state as never);
    await storage.adapter.write('43', { version: [0, 4], state: {} } as never);
    // Another process: nothing in memory, read from the store.
    const again = conversationStorage(w.ctx.db);
    expect(await again.adapter.read('42')).toEqual(state);
    await again.adapter.write('42', { version: [0, 4], state: { x: [] } } as never);
    expect(await conversationStorage(w.ctx.db).adapter.read('42')).toEqual({
      version: [0, 4],
      state: { x: [] },
    });
    await again.adapter.delete('42');
    expect(await conversationStorage(w.ctx.db).adapter.read('42')).toBeUndefined();
    expect(await conversationStorage(w.ctx.db).adapter.read('43')).toEqual({ version: [0, 4], state: {} });
  });

  it('makes a Telegram person known once, and merges them into the directory entry with their number', async () => {
    const w = await desks.desk();
    const before = await w.store.db.$count(people);
    const profile = { telegramUserId: 7_000_000_777, name: 'Walk In', languageCode: 'en-GB' };
    const made = await ensureTelegramPerson(w.ctx, profile);
    expect(made).toMatchObject({ telegramUserId: profile.telegramUserId, name: 'Walk In', language: 'en' });
    const found = await ensureTelegramPerson(w.ctx, { ...profile, name: 'Another name' });
    expect(found.id).toBe(made.id);
    expect(found.name).toBe('Walk In');
    expect(await w.store.db.$count(people)).toBe(before + 1);
    // An admin listed by id gets their name once Telegram tells it.
    await ensureTelegramPerson(w.ctx, { telegramUserId: 123, name: '' });
    expect((await ensureTelegramPerson(w.ctx, { telegramUserId: 123, name: 'Ada' })).name).toBe('Ada');

    // The directory has an entry with a phone and no Telegram account, a client of the company.
    const [entry] = await w.store.db
      .insert(people)
      .values({ name: 'Иванов Иван', phone: '+79161234567', createdAt: w.clock.now() })
      .returning();
    if (!entry) throw new Error('no entry');
    await w.store.db
      .insert(memberships)
      .values({ personId: entry.id, role: 'client', companyId: w.companyId });
    // The Telegram person has the same role there, one of their own, and a request filed while unknown.
    const [other] = await w.store.db
      .insert(companies)
      .values({ name: 'Beta', createdAt: w.clock.now() })
      .returning();
    if (!other) throw new Error('no company');
    await w.store.db.insert(memberships).values([
      { personId: made.id, role: 'client', companyId: w.companyId },
      { personId: made.id, role: 'client_manager', companyId: other.id },
    ]);
    const early = await createTicket(w.ctx, await loadActor(w.ctx.db, made.id), {
      channel: 'telegram',
      description: 'filed while unknown',
      companyId: w.companyId,
    });

    const { person, matched } = await bindByPhone(w.ctx, profile, '8 (916) 123-45-67');
    expect(matched).toBe(true);
    expect(person).toMatchObject({ id: entry.id, telegramUserId: profile.telegramUserId, language: 'en' });
    expect(await w.store.db.select().from(people).where(eq(people.id, made.id))).toEqual([]);
    expect((await w.store.db.select().from(tickets).where(eq(tickets.id, early.id)))[0]?.requesterId).toBe(
      entry.id,
    );
    const roles = (await w.store.db.select().from(memberships).where(eq(memberships.personId, entry.id)))
      .map((m) => `${m.role}@${m.companyId}`)
      .sort();
    expect(roles).toEqual([`client@${w.companyId}`, `client_manager@${other.id}`].sort());
    expect(await w.store.db.select().from(memberships).where(eq(memberships.personId, made.id))).toEqual([]);
  });

  it('imports a small directory as previewed, a second time writing nothing, and exports it in order', async () => {
    const w = await desks.desk();
    const actor = await admin(w);
    const header = ['Компания', 'ИНН', 'Домен', 'ФИО', 'Телефон', 'Почта', 'Роль'];
    const file = utf8(
      csv([
        header,
        [
          'ООО «Ромашка»',
          '7701234567',
          'romashka.ru',
          'Иванов Иван',
          '8 916 123-45-67',
          'Ivanov@Romashka.ru',
          'руководитель',
        ],
        ['', '7701234567', '', 'Петрова Анна', '+7 (916) 222-33-44', '', 'клиент'],
        ['Alpha LLC', '', 'alpha.example', 'Client A', '', '', 'клиент'],
        ['beta', '', '', 'Zed', '+79163334455', '', 'клиент'],
        ['Zeta', '', '', 'Bob', '+79164445566', '', ''],
        ['Zeta', '', '', 'Bad', '12345', '', ''],
      ]),
    );
    const preview = await previewDirectory(w.ctx, actor, file);
    expect(preview.rows.map((r) => r.status)).toEqual(['new', 'new', 'changed', 'new', 'new', 'error']);
    expect(preview.rows[2]?.changes).toEqual(['emailDomain']);
    expect(preview.counts).toEqual({ total: 6, new: 4, changed: 1, unchanged: 0, error: 1 });
    // Nothing written by the preview.
    expect(await w.store.db.$count(companies)).toBe(1);

    const done = await importDirectory(w.ctx, actor, file, preview.digest);
    expect(done.written).toEqual({
      companiesCreated: 3,
      companiesUpdated: 1,
      peopleCreated: 4,
      peopleUpdated: 0,
      rolesAdded: 4,
      rolesChanged: 0,
    });
    const romashka = (await w.store.db.select().from(companies).where(eq(companies.inn, '7701234567')))[0];
    expect(romashka).toMatchObject({ name: 'ООО «Ромашка»', emailDomain: 'romashka.ru' });
    const ivanov = (await w.store.db.select().from(people).where(eq(people.phone, '+79161234567')))[0];
    expect(ivanov).toMatchObject({ name: 'Иванов Иван', email: 'ivanov@romashka.ru' });
    expect(
      await w.store.db
        .select({ role: memberships.role })
        .from(memberships)
        .where(and(eq(memberships.personId, ivanov?.id ?? 0), eq(memberships.companyId, romashka?.id ?? 0))),
    ).toEqual([{ role: 'client_manager' }]);
    expect(
      (await w.store.db.select().from(companies).where(eq(companies.id, w.companyId)))[0]?.emailDomain,
    ).toBe('alpha.example');

    // The same file again: the plan is all unchanged, nothing is written.
    const again = await previewDirectory(w.ctx, actor, file);
    expect(again.counts).toMatchObject({ new: 0, changed: 0, unchanged: 5, error: 1 });
    const second = await importDirectory(w.ctx, actor, file, again.digest);
    expect(Object.values(second.written).every((n) => n === 0)).toBe(true);
    // A stale confirmation is refused.
    await expect(importDirectory(w.ctx, actor, file, preview.digest)).rejects.toThrow(/changed since/);

    // The export: by company name as SQLite orders it (by code point: upper case before lower, Latin before
    // Cyrillic), then person name; a client manager as such.
    const entries = await directoryEntries(w.ctx, actor);
    const names = [...new Set(entries.map((e) => e.company))];
    const byCodePoint = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
    expect(names).toEqual([...names].sort(byCodePoint));
    expect(names).toEqual(['Alpha LLC', 'Zeta', 'beta', 'ООО «Ромашка»']);
    expect(entries.filter((e) => e.company === 'ООО «Ромашка»')).toEqual([
      {
        company: 'ООО «Ромашка»',
        inn: '7701234567',
        emailDomain: 'romashka.ru',
        name: 'Иванов Иван',
        phone: '+79161234567',
        email: 'ivanov@romashka.ru',
        role: 'client_manager',
      },
      {
        company: 'ООО «Ромашка»',
        inn: '7701234567',
        emailDomain: 'romashka.ru',
        name: 'Петрова Анна',
        phone: '+79162223344',
        email: null,
        role: 'client',
      },
    ]);
    expect(entries.find((e) => e.company === 'Alpha LLC')).toMatchObject({
      name: 'Client A',
      role: 'client',
    });
    // A company without clients has a row of its own with empty person cells.
    await w.store.db.insert(companies).values({ name: 'Empty Co', createdAt: w.clock.now() });
    const withEmpty = await directoryEntries(w.ctx, actor);
    expect(withEmpty.find((e) => e.company === 'Empty Co')).toEqual({
      company: 'Empty Co',
      inn: null,
      emailDomain: null,
      name: null,
      phone: null,
      email: null,
      role: null,
    });
  });

  it('files a call from an unknown number as a new contact of a company, and the next as theirs', async () => {
    const w = await desks.desk();
    const request = { description: 'Не печатает принтер', impact: 'person', urgency: 'high' } as const;
    const filed = await fileCall(w.ctx, w.line1, {
      number: '+7 (926) 555-44-33',
      name: 'Пётр Сидоров',
      companyId: w.companyId,
      categoryId: w.category,
      ...request,
    });
    expect(filed).toMatchObject({ outcome: 'created', repeated: false });
    expect(filed.requester).toMatchObject({ name: 'Пётр Сидоров', created: true });
    const [person] = await w.store.db.select().from(people).where(eq(people.id, filed.requester.id));
    expect(person).toMatchObject({ phone: '+79265554433', name: 'Пётр Сидоров' });
    expect(
      await w.store.db
        .select({ companyId: memberships.companyId, role: memberships.role })
        .from(memberships)
        .where(eq(memberships.personId, filed.requester.id)),
    ).toEqual([{ companyId: w.companyId, role: 'client' }]);
    const [ticket] = await w.store.db.select().from(tickets).where(eq(tickets.id, filed.ticket.id));
    expect(ticket).toMatchObject({
      channel: 'phone',
      requesterId: filed.requester.id,
      companyId: w.companyId,
      categoryId: w.category,
      number: filed.ticket.number,
    });
    const [created] = await w.store.db
      .select()
      .from(pgSchema.ticketEvents)
      .where(
        and(eq(pgSchema.ticketEvents.ticketId, filed.ticket.id), eq(pgSchema.ticketEvents.type, 'created')),
      );
    expect(created?.actorId).toBe(w.ids.line1);

    // The same caller again, under a console key: known now; a retry of the key files nothing more.
    const input = { number: '89265554433', ...request, description: 'И сканер', intakeKey: 'console-1' };
    const next = await fileCall(w.ctx, w.line1, input);
    expect(next.requester).toMatchObject({ id: filed.requester.id, created: false });
    expect(next.ticket.id).not.toBe(filed.ticket.id);
    const retry = await fileCall(w.ctx, w.line1, input);
    expect(retry).toMatchObject({ repeated: true, ticket: { id: next.ticket.id } });
    expect(await w.store.db.$count(tickets)).toBe(2);
  });

  it('files a web form’s request once per delivery key, the sender made known by their address', async () => {
    const w = await desks.desk();
    const checked = await checkFields(
      w.ctx,
      { name: 'Мария', email: 'Maria@Example.org', description: 'Не работает почта', category: w.category },
      'ru',
    );
    if (!('ok' in checked)) throw new Error(`refused: ${JSON.stringify(checked.problems)}`);
    expect(checked.ok).toMatchObject({ email: 'maria@example.org', categoryId: w.category, phone: null });
    const opts = {
      language: 'ru' as const,
      companyLine: null,
      contactLine: '',
      files: [],
      deliveryKey: 'web:abc',
    };
    const filed = await fileSubmission(w.ctx, checked.ok, opts);
    expect(filed.repeated).toBe(false);
    const [ticket] = await w.store.db.select().from(tickets).where(eq(tickets.id, filed.ticketId));
    expect(ticket).toMatchObject({ channel: 'web', number: filed.number, categoryId: w.category });
    const [requester] = await w.store.db
      .select()
      .from(people)
      .where(eq(people.id, ticket?.requesterId ?? 0));
    expect(requester).toMatchObject({ email: 'maria@example.org', name: 'Мария' });
    const again = await fileSubmission(w.ctx, checked.ok, opts);
    expect(again).toEqual({ ticketId: filed.ticketId, number: filed.number, repeated: true });
    expect(await w.store.db.$count(tickets)).toBe(1);
    expect((await refOf(w.ctx.db, 'web', 'web:abc'))?.ticketId).toBe(filed.ticketId);
  });

  it('identifies a sender by Telegram account, e-mail address or phone number', async () => {
    const w = await desks.desk();
    await w.store.db
      .update(companies)
      .set({ emailDomain: 'alpha.example' })
      .where(eq(companies.id, w.companyId));
    const ctx = w.ctx;

    const tg = { kind: 'telegram' as const, telegramUserId: 7_100_000_001, name: 'Tg Person' };
    const first = await inTransaction(ctx.db, () => identifySender(ctx, tg));
    expect(first.created).toBe(true);
    expect(first.person).toMatchObject({ telegramUserId: tg.telegramUserId, name: 'Tg Person' });
    const second = await identifySender(ctx, tg);
    expect(second).toEqual({ person: first.person, created: false });
    const known = await identifySender(ctx, { kind: 'telegram', telegramUserId: 5001, name: 'x' });
    expect(known).toMatchObject({ created: false, person: { id: w.ids.client } });

    // A stranger at the company's own domain becomes its client; at a public service, nobody's.
    const own = await identifySender(
      ctx,
      { kind: 'email', address: ' New.One@Alpha.Example ', name: 'New One' },
      'en',
    );
    expect(own.created).toBe(true);
    expect(own.person).toMatchObject({ email: 'new.one@alpha.example', name: 'New One', language: 'en' });
    const rolesOf = async (id: number) =>
      await w.store.db
        .select({ role: memberships.role, companyId: memberships.companyId })
        .from(memberships)
        .where(eq(memberships.personId, id));
    expect(await rolesOf(own.person.id)).toEqual([{ role: 'client', companyId: w.companyId }]);
    const again = await identifySender(ctx, { kind: 'email', address: 'NEW.ONE@alpha.example' });
    expect(again).toEqual({ person: own.person, created: false });
    const pub = await identifySender(ctx, { kind: 'email', address: 'someone@gmail.com' });
    expect(pub.created).toBe(true);
    expect(await rolesOf(pub.person.id)).toEqual([]);
    // A form's address is not proof of the domain.
    const typed = await identifySender(ctx, { kind: 'email', address: 'typed@alpha.example' }, 'ru', false);
    expect(await rolesOf(typed.person.id)).toEqual([]);

    const phone = await identifySender(ctx, { kind: 'phone', number: '8 916 123 45 67', name: 'Caller' });
    expect(phone.created).toBe(true);
    expect(phone.person).toMatchObject({ phone: '+79161234567', name: 'Caller' });
    const phoneAgain = await identifySender(ctx, { kind: 'phone', number: '+7 (916) 123-45-67' });
    expect(phoneAgain).toEqual({ person: phone.person, created: false });
    const odd = await identifySender(ctx, { kind: 'phone', number: ' 100 ' });
    expect(odd.person.phone).toBe('100');

    const byId = await identifySender(ctx, { kind: 'person', personId: w.ids.line1 });
    expect(byId).toMatchObject({ created: false, person: { id: w.ids.line1, name: 'Line One' } });
    await expect(identifySender(ctx, { kind: 'person', personId: 999_999 })).rejects.toThrow();
  });

  it('joins one ticket into another: its words a comment, its references moved, itself cancelled', async () => {
    const w = await desks.desk();
    const db = w.ctx.db;
    const kept = await createTicket(w.ctx, w.client, { channel: 'telegram', description: 'Printer jammed' });
    const joined = await createTicket(w.ctx, w.client, { channel: 'telegram', description: 'Still jammed' });
    await rememberMessage(db, 42, 7, joined.id, 1_000);
    const merged = await mergeTickets(w.ctx, w.line1, joined.id, kept.id, (n) => `joined into #${n}`);
    expect(merged).toEqual({
      kept: { id: kept.id, number: kept.number },
      joined: { id: joined.id, number: joined.number },
    });
    expect(await ticketOfMessage(db, 42, 7)).toBe(kept.id);
    const words = await w.store.db
      .select()
      .from(pgSchema.comments)
      .where(eq(pgSchema.comments.ticketId, kept.id));
    expect(words.map((c) => [c.body, c.authorId])).toEqual([['Still jammed', w.ids.client]]);
    const [event] = await w.store.db
      .select()
      .from(pgSchema.ticketEvents)
      .where(and(eq(pgSchema.ticketEvents.ticketId, kept.id), eq(pgSchema.ticketEvents.type, MERGED_EVENT)));
    expect(event?.data).toEqual({ from: joined.number, commentId: words[0]?.id });
    const [after] = await w.store.db.select().from(tickets).where(eq(tickets.id, joined.id));
    expect(after?.status).toBe('cancelled');
    // A cancelled ticket joins nothing again.
    await expect(mergeTickets(w.ctx, w.line1, joined.id, kept.id, () => 'again')).rejects.toThrow();
    // The kept ticket goes on as before.
    const { comment } = await addComment(w.ctx, w.line1, kept.id, { body: 'On my way' });
    expect(comment.ticketId).toBe(kept.id);
  });

  it('offers visit slots, earliest first, and keeps the picked one while withdrawing the rest', async () => {
    const w = await desks.desk();
    const db = w.ctx.db;
    const t = await createTicket(w.ctx, w.client, { channel: 'telegram', description: 'Come and see' });
    const h = 3_600_000;
    const base = w.clock.now() + 24 * h;
    const slots = [
      { startsAt: base + 5 * h, endsAt: base + 6 * h },
      { startsAt: base + h, endsAt: base + 2 * h },
      { startsAt: base + 3 * h, endsAt: base + 4 * h },
    ];
    const stored = await inTransaction(db, () =>
      insertSlots(db, t.id, slots, w.ids.line1, w.ids.line1, 1_000),
    );
    expect(stored.map((s) => s.startsAt)).toEqual(slots.map((s) => s.startsAt));
    const earliest = [...stored].sort((a, b) => a.startsAt - b.startsAt);
    expect((await offeredSlots(db, t.id)).map((s) => s.id)).toEqual(earliest.map((s) => s.id));
    const chosen = earliest[1];
    if (!chosen) throw new Error('no slot');
    await inTransaction(db, () => pickSlot(db, t.id, chosen.id));
    expect(await offeredSlots(db, t.id)).toEqual([]);
    expect((await slotOfTicket(db, t.id, chosen.id))?.state).toBe('picked');
    expect(await slotOfTicket(db, t.id + 1, chosen.id)).toBeUndefined();
    const states = (await w.store.db.select().from(pgSchema.visitSlots)).map((s) => s.state).sort();
    expect(states).toEqual(['picked', 'withdrawn', 'withdrawn']);
    await insertSlots(db, t.id, [{ startsAt: base + 7 * h, endsAt: base + 8 * h }], null, null, 2_000);
    expect(await withdrawOffered(db, t.id)).toBe(1);
    expect(await withdrawOffered(db, t.id)).toBe(0);
  });
});
