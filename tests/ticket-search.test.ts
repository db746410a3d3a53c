// Searching and filtering the ticket list in core: a number, words (any case, "ё" as "е", %, _ and \
// taken literally), category, "mine" — always inside what the actor may see.
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../core/errors.ts';
import { createTicket } from '../core/tickets/create.ts';
import { containsPattern, foldForSearch, listTickets } from '../core/tickets/read.ts';
import { makeWorld, type PersonKey, type World } from './fixtures.ts';

async function world() {
  const w = await makeWorld();
  const file = async (who: PersonKey, description: string, categoryId?: number) =>
    await createTicket(w.ctx, w.as[who], {
      channel: 'telegram',
      description,
      ...(categoryId ? { categoryId } : {}),
    });
  const t = {
    printer: await file('clientA', 'Принтер на третьем этаже зажёвывает бумагу', w.category.printer),
    percent: await file('clientA', 'Disk is 100% full'),
    underscore: await file('clientA2', 'Share user_data is gone'),
    backslash: await file('clientB', 'Path C:\\Users\\anna is locked', w.category.network),
    other: await file('clientB', 'Printer in the plant, 100 pages stuck'),
  };
  return { w, t };
}

const ids = async (w: World, who: PersonKey, filter: Parameters<typeof listTickets>[2]) =>
  (await listTickets(w.ctx.db, w.as[who], filter)).map((r) => r.id).sort((a, b) => a - b);

describe('ticket search', () => {
  it('finds a ticket by its number, with or without #', async () => {
    const { w, t } = await world();
    expect(await ids(w, 'line1', { q: `#${t.percent.number}` })).toEqual([t.percent.id]);
    expect(await ids(w, 'line1', { q: ` ${t.percent.number} ` })).toEqual([t.percent.id]);
    expect(await ids(w, 'line1', { q: '#999999' })).toEqual([]);
  });

  it('matches every word in the subject or description, ignoring case, ё and е alike', async () => {
    const { w, t } = await world();
    expect(await ids(w, 'line1', { q: 'ПРИНТЕР' })).toEqual([t.printer.id]);
    expect(await ids(w, 'line1', { q: 'зажевывает' })).toEqual([t.printer.id]);
    expect(await ids(w, 'line1', { q: 'printer' })).toEqual([t.other.id]);
    expect(await ids(w, 'line1', { q: 'printer plant' })).toEqual([t.other.id]);
    expect(await ids(w, 'line1', { q: 'printer office' })).toEqual([]);
  });

  it('takes %, _ and \\ literally', async () => {
    const { w, t } = await world();
    expect(await ids(w, 'line1', { q: '100%' })).toEqual([t.percent.id]);
    expect(await ids(w, 'line1', { q: '%' })).toEqual([t.percent.id]);
    expect(await ids(w, 'line1', { q: 'user_data' })).toEqual([t.underscore.id]);
    expect(await ids(w, 'line1', { q: 'user%data' })).toEqual([]);
    expect(await ids(w, 'line1', { q: 'C:\\Users' })).toEqual([t.backslash.id]);
    expect(containsPattern('a%b_c\\d')).toBe('%a\\%b\\_c\\\\d%');
    expect(foldForSearch('ЁЛКА Ёж')).toBe('елка еж');
  });

  it('searches only inside what the actor may see', async () => {
    const { w, t } = await world();
    expect(await ids(w, 'clientA', { q: 'printer' })).toEqual([]);
    expect(await ids(w, 'clientA', { q: String(t.other.number) })).toEqual([]);
    expect(await ids(w, 'managerA', { q: 'user_data' })).toEqual([t.underscore.id]);
    expect(await ids(w, 'clientA2', { q: '100' })).toEqual([]);
  });

  it('filters by category and by "mine"', async () => {
    const { w, t } = await world();
    expect(await ids(w, 'line1', { categoryId: w.category.printer })).toEqual([t.printer.id]);
    expect(await ids(w, 'line1', { categoryId: w.category.network })).toEqual([t.backslash.id]);
    expect(await ids(w, 'managerA', { mine: true })).toEqual([]);
    expect(await ids(w, 'managerA', {})).toEqual([t.printer.id, t.percent.id, t.underscore.id]);
    expect(await ids(w, 'clientB', { mine: true })).toEqual([t.backslash.id, t.other.id]);
    expect(await ids(w, 'line1', { mine: true })).toEqual([]);
  });

  it('refuses a search text over 200 characters', async () => {
    const { w } = await world();
    await expect(listTickets(w.ctx.db, w.as.line1, { q: 'x'.repeat(201) })).rejects.toThrow(
      InvalidInputError,
    );
  });
});
