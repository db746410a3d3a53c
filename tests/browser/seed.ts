// A fortnight of real history in the test world (company A's tickets answered, solved, rated — some on
// time, some late — one left to breach, one of company B), then the clock at "now": Wednesday
// 11 November 2026, 10:00 in Moscow, inside company A's business hours.
import { eq } from 'drizzle-orm';
import { act } from '../../core/tickets/act.ts';
import { createTicket } from '../../core/tickets/create.ts';
import { queryOne } from '../../db/access.ts';
import { type TicketRow, tickets } from '../../db/schema.ts';
import type { World } from '../fixtures.ts';

export const NOW = '2026-11-11T10:00:00+03:00';

export interface Seeded {
  /** Company A's tickets of November. */
  companyA: TicketRow[];
  companyB: TicketRow[];
}

export async function seedHistory(w: World): Promise<Seeded> {
  const at = (iso: string) => w.clock.set(iso);
  const { as } = w;

  at('2026-11-02T10:00:00+03:00');
  const a1 = await createTicket(w.ctx, as.clientA, {
    channel: 'telegram',
    description: 'Принтер в бухгалтерии не печатает',
    categoryId: w.category.printer,
    impact: 'person',
    urgency: 'medium',
  });
  at('2026-11-02T10:05:00+03:00');
  await act(w.ctx, as.line1, a1.id, { action: 'take' });
  at('2026-11-02T12:00:00+03:00');
  await act(w.ctx, as.line1, a1.id, { action: 'resolve', resolution: 'Заменили картридж' });
  at('2026-11-02T13:00:00+03:00');
  await act(w.ctx, as.clientA, a1.id, { action: 'confirm' });
  await act(w.ctx, as.clientA, a1.id, { action: 'rate', rating: 5 });

  at('2026-11-03T11:00:00+03:00');
  const a2 = await createTicket(w.ctx, as.clientA2, {
    channel: 'telegram',
    description: 'Нет интернета на третьем этаже',
    categoryId: w.category.network,
    impact: 'department',
    urgency: 'high',
  });
  at('2026-11-03T12:00:00+03:00');
  await act(w.ctx, as.line1, a2.id, { action: 'take' });
  at('2026-11-05T15:00:00+03:00');
  await act(w.ctx, as.line1, a2.id, { action: 'resolve', resolution: 'Перезагрузили коммутатор' });
  at('2026-11-05T16:00:00+03:00');
  await act(w.ctx, as.clientA2, a2.id, { action: 'confirm' });
  await act(w.ctx, as.clientA2, a2.id, { action: 'rate', rating: 3 });

  at('2026-11-05T09:30:00+03:00');
  const a3 = await createTicket(w.ctx, as.clientA, {
    channel: 'miniapp',
    description: '1С не запускается ни у кого',
    impact: 'company',
    urgency: 'high',
  });
  at('2026-11-05T09:40:00+03:00');
  await act(w.ctx, as.line1b, a3.id, { action: 'take' });
  at('2026-11-05T10:00:00+03:00');
  await act(w.ctx, as.line1, a3.id, { action: 'escalate_line2', reason: 'Нужен доступ к серверу' });
  at('2026-11-05T10:30:00+03:00');
  await act(w.ctx, as.line2, a3.id, { action: 'take' });
  at('2026-11-06T10:00:00+03:00');
  await act(w.ctx, as.line2, a3.id, { action: 'resolve', resolution: 'Восстановили базу из копии' });
  at('2026-11-06T11:00:00+03:00');
  await act(w.ctx, as.clientA, a3.id, { action: 'confirm' });
  await act(w.ctx, as.clientA, a3.id, { action: 'rate', rating: 4 });

  at('2026-11-04T12:00:00+03:00');
  const b1 = await createTicket(w.ctx, as.clientB, {
    channel: 'telegram',
    description: 'Сломалась мышь',
    impact: 'person',
    urgency: 'low',
  });

  at('2026-11-09T14:00:00+03:00');
  const a4 = await createTicket(w.ctx, as.managerA, {
    channel: 'telegram',
    description: 'Нужен новый ноутбук для сотрудника',
    impact: 'person',
    urgency: 'low',
  });

  at(NOW);
  const read = async (id: number) => await ticketRow(w, id);
  const companyA = [];
  for (const t of [a1, a2, a3, a4]) companyA.push(await read(t.id));
  return { companyA, companyB: [await read(b1.id)] };
}

export async function ticketRow(w: World, id: number): Promise<TicketRow> {
  const row = await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, id)));
  if (!row) throw new Error(`no ticket ${id}`);
  return row;
}
