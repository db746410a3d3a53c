// Demo data: two client companies on different contracts and calendars, the categories of an IT service
// desk, one person of every role, and a few tickets in different states, made through core so that their
// history and SLA figures are real.

import { count, eq } from 'drizzle-orm';
import { loadActor } from '../core/actors.ts';
import { workWeek } from '../core/calendar/business-calendar.ts';
import { productionExceptions } from '../core/calendar/russian-production-calendar.ts';
import { createContext } from '../core/context.ts';
import { ManualClock, MINUTE, type Role } from '../core/model.ts';
import type { Actor } from '../core/permissions.ts';
import { DEFAULT_CANNED_REPLIES, DEFAULT_CATEGORIES } from '../core/setup/defaults.ts';
import { DEFAULT_PRIORITY_MATRIX } from '../core/sla-policy.ts';
import { act } from '../core/tickets/act.ts';
import { addComment } from '../core/tickets/comment.ts';
import { createTicket } from '../core/tickets/create.ts';
import type { Db } from './connection.ts';
import {
  businessCalendars,
  calendarExceptions,
  cannedReplies,
  categories,
  companies,
  contracts,
  memberships,
  outbox,
  people,
} from './schema.ts';

const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface DemoPeople {
  clientA: number;
  managerA: number;
  clientB: number;
  managerB: number;
  line1: number;
  line2: number;
  field: number;
  supervisor: number;
  admin: number;
}

export function isEmpty(db: Db): boolean {
  return (db.select({ n: count() }).from(companies).get()?.n ?? 0) === 0;
}

/** Seeds the demo into an empty database; `now` is when the demo "is". Returns the people's ids. */
export function seedDemo(db: Db, now: number = Date.now()): DemoPeople {
  const ids = db.transaction((tx) => {
    const moscow = tx
      .insert(businessCalendars)
      .values({
        name: 'Москва, пн–пт 9:00–18:00',
        timeZone: 'Europe/Moscow',
        week: workWeek(['09:00-18:00']),
      })
      .returning()
      .get();
    tx.insert(calendarExceptions)
      .values(productionExceptions(['09:00-18:00']).map((h) => ({ calendarId: moscow.id, ...h })))
      .run();
    const novosibirsk = tx
      .insert(businessCalendars)
      .values({
        name: 'Новосибирск, пн–пт 8:00–12:00, 13:00–17:00',
        timeZone: 'Asia/Novosibirsk',
        week: workWeek(['08:00-12:00', '13:00-17:00']),
      })
      .returning()
      .get();
    tx.insert(calendarExceptions)
      .values(
        productionExceptions(['08:00-12:00', '13:00-17:00']).map((h) => ({
          calendarId: novosibirsk.id,
          ...h,
        })),
      )
      .run();

    const romashka = tx
      .insert(companies)
      .values({ name: 'ООО «Ромашка»', emailDomain: 'romashka.ru', phone: '+74951234567', createdAt: now })
      .returning()
      .get();
    const sibtech = tx
      .insert(companies)
      .values({ name: 'АО «СибТехСнаб»', emailDomain: 'sibtech.ru', phone: '+73832000000', createdAt: now })
      .returning()
      .get();

    const since = now - 365 * DAY;
    tx.insert(contracts)
      .values([
        {
          companyId: romashka.id,
          name: 'Стандарт, рабочие часы (Москва)',
          startsAt: since,
          calendarId: moscow.id,
          slaTargets: {
            P1: { firstResponse: 15, resolution: 240 },
            P2: { firstResponse: 30, resolution: 480 },
            P3: { firstResponse: 60, resolution: 1080 },
            P4: { firstResponse: 240, resolution: 2700 },
          },
          priorityMatrix: DEFAULT_PRIORITY_MATRIX,
          autoCloseBusinessDays: 3,
        },
        {
          companyId: sibtech.id,
          name: 'Премиум: P1 круглосуточно по Новосибирску',
          startsAt: since,
          calendarId: novosibirsk.id,
          slaTargets: {
            P1: { firstResponse: 10, resolution: 120 },
            P2: { firstResponse: 20, resolution: 360 },
            P3: { firstResponse: 45, resolution: 960 },
            P4: { firstResponse: 120, resolution: 1920 },
          },
          // A production plant: a whole department stopped is as bad as the whole company.
          priorityMatrix: {
            company: { high: 'P1', medium: 'P1', low: 'P2' },
            department: { high: 'P1', medium: 'P2', low: 'P3' },
            person: { high: 'P2', medium: 'P3', low: 'P4' },
          },
          autoCloseBusinessDays: 5,
        },
        {
          companyId: null,
          name: 'Без договора (неподтверждённые заявители)',
          startsAt: since,
          calendarId: moscow.id,
          slaTargets: {
            P1: { firstResponse: 60, resolution: 1080 },
            P2: { firstResponse: 120, resolution: 2160 },
            P3: { firstResponse: 240, resolution: 2700 },
            P4: { firstResponse: 480, resolution: 5400 },
          },
          priorityMatrix: DEFAULT_PRIORITY_MATRIX,
          autoCloseBusinessDays: 3,
        },
      ])
      .run();

    tx.insert(categories)
      .values([...DEFAULT_CATEGORIES])
      .run();

    tx.insert(cannedReplies)
      .values([...DEFAULT_CANNED_REPLIES])
      .run();

    const person = (
      name: string,
      telegramUserId: number,
      role: Role,
      companyId: number | null,
      extra: { phone?: string; email?: string; language?: 'ru' | 'en' } = {},
    ) => {
      const p = tx
        .insert(people)
        .values({ name, telegramUserId, createdAt: now, language: extra.language ?? 'ru', ...extra })
        .returning({ id: people.id })
        .get();
      tx.insert(memberships).values({ personId: p.id, role, companyId }).run();
      return p.id;
    };
    return {
      clientA: person('Анна Смирнова', 700001, 'client', romashka.id, {
        phone: '+79161112233',
        email: 'a.smirnova@romashka.ru',
      }),
      managerA: person('Олег Петров', 700002, 'client_manager', romashka.id, {
        phone: '+79161112244',
        email: 'o.petrov@romashka.ru',
      }),
      clientB: person('John Miller', 700003, 'client', sibtech.id, {
        phone: '+79131234567',
        email: 'j.miller@sibtech.ru',
        language: 'en',
      }),
      managerB: person('Ирина Кузнецова', 700004, 'client_manager', sibtech.id, {
        phone: '+79137654321',
        email: 'i.kuznetsova@sibtech.ru',
      }),
      line1: person('Дмитрий Орлов', 800001, 'line1', null, { email: 'orlov@tgdesk.example' }),
      line2: person('Сергей Волков', 800002, 'line2', null, { email: 'volkov@tgdesk.example' }),
      field: person('Максим Лебедев', 800003, 'field_engineer', null, { phone: '+79035550001' }),
      supervisor: person('Елена Соколова', 800004, 'supervisor', null, { email: 'sokolova@tgdesk.example' }),
      admin: person('Admin', 800005, 'admin', null, { language: 'en' }),
    };
  });

  seedTickets(db, ids, now);
  // The demo's history is the past: its notices count as delivered, so nobody is flooded on first start.
  db.update(outbox).set({ state: 'sent', sentAt: now }).run();
  return ids;
}

/** A few tickets of the last days, walked through the lifecycle by the demo people. */
function seedTickets(db: Db, p: DemoPeople, now: number): void {
  const clock = new ManualClock(now - 6 * DAY);
  const ctx = createContext(db, clock);
  const as = (personId: number): Actor => loadActor(db, personId);
  const [clientA, managerA, clientB, line1, line2] = [
    as(p.clientA),
    as(p.managerA),
    as(p.clientB),
    as(p.line1),
    as(p.line2),
  ];
  const category = (code: string) =>
    db.select({ id: categories.id }).from(categories).where(eq(categories.code, code)).get()?.id ?? null;

  // 1. Printer: triaged, solved by 1st line, confirmed and rated.
  const printer = createTicket(ctx, clientA, {
    channel: 'telegram',
    categoryId: category('printer'),
    description: 'Принтер в бухгалтерии не печатает, горит оранжевая лампочка',
    impact: 'department',
    urgency: 'medium',
    location: 'Офис на Тверской, 3 этаж',
  });
  clock.advance(12 * MINUTE);
  act(ctx, line1, printer.id, { action: 'triage' });
  act(ctx, line1, printer.id, { action: 'take' });
  clock.advance(40 * MINUTE);
  act(ctx, line1, printer.id, {
    action: 'resolve',
    resolution: 'Замятие бумаги устранено, картридж переустановлен.',
  });
  clock.advance(2 * HOUR);
  act(ctx, clientA, printer.id, { action: 'confirm' });
  act(ctx, clientA, printer.id, { action: 'rate', rating: 5, comment: 'Спасибо, быстро!' });

  // 2. 1C: escalated to 2nd line, waiting for the client's answer.
  clock.advance(DAY);
  const oneC = createTicket(ctx, managerA, {
    channel: 'miniapp',
    categoryId: category('software'),
    description: '1С: Бухгалтерия выдаёт ошибку при проведении документов у всего отдела',
    impact: 'department',
    urgency: 'high',
  });
  clock.advance(5 * MINUTE);
  act(ctx, line1, oneC.id, { action: 'triage' });
  clock.advance(20 * MINUTE);
  act(ctx, line1, oneC.id, { action: 'escalate_line2', reason: 'Нужен доступ к серверу 1С' });
  clock.advance(30 * MINUTE);
  act(ctx, line2, oneC.id, { action: 'take' });
  addComment(ctx, line2, oneC.id, { body: 'Похоже на блокировку регламентного задания', internal: true });
  act(ctx, line2, oneC.id, { action: 'ask_customer', question: 'Какая версия конфигурации у вас сейчас?' });

  // 3. Network at the plant: an on-site visit scheduled.
  clock.advance(DAY);
  const network = createTicket(ctx, clientB, {
    channel: 'telegram',
    categoryId: category('network'),
    description: 'No network in the warehouse office since the morning',
    impact: 'department',
    urgency: 'medium',
  });
  clock.advance(8 * MINUTE);
  act(ctx, line1, network.id, { action: 'triage' });
  act(ctx, line1, network.id, {
    action: 'schedule_visit',
    startsAt: clock.now() + DAY,
    endsAt: clock.now() + DAY + 2 * HOUR,
    engineerId: p.field,
    address: 'Новосибирск, ул. Складская, 5',
  });

  // 4. A new request from an unknown phone caller, recorded by the operator; 5. a fresh client request.
  clock.set(now - 3 * HOUR);
  const caller = db
    .insert(people)
    .values({ name: 'Павел (звонок)', phone: '+79990001122', createdAt: clock.now() })
    .returning({ id: people.id })
    .get();
  createTicket(ctx, line1, {
    channel: 'phone',
    requesterId: caller.id,
    description: 'Не приходит почта на ящик отдела продаж',
    categoryId: category('email'),
  });
  clock.set(now - 20 * MINUTE);
  createTicket(ctx, clientA, {
    channel: 'telegram',
    categoryId: category('workstation'),
    description: 'Ноутбук не включается после обновления',
    impact: 'person',
    urgency: 'high',
  });
}
