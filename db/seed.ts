// Demo data: two client companies on different contracts and calendars, the categories of an IT service
// desk, one person of every role (and a few colleagues without Telegram), a month of requests worked
// inside business hours, and a few open now — all made through core on a clock moved through the month,
// so that their history, SLA figures and reports are real. Deterministic for a given `now`.

import { count, eq } from 'drizzle-orm';
import { loadActor } from '../core/actors.ts';
import { type BusinessTime, workWeek } from '../core/calendar/business-calendar.ts';
import { productionExceptions } from '../core/calendar/russian-production-calendar.ts';
import { addDays, localDateOf, zonedTimeToUtc } from '../core/calendar/time-zone.ts';
import { createContext } from '../core/context.ts';
import {
  type Channel,
  IMPACTS,
  ManualClock,
  MINUTE,
  PRIORITIES,
  type Priority,
  type Role,
  URGENCIES,
} from '../core/model.ts';
import { type Actor, SYSTEM } from '../core/permissions.ts';
import type { Policy } from '../core/policies.ts';
import { seededRandom } from '../core/seeded-random.ts';
import { DEFAULT_CANNED_REPLIES, DEFAULT_CATEGORIES } from '../core/setup/defaults.ts';
import { DEFAULT_PRIORITY_MATRIX, priorityFor } from '../core/sla-policy.ts';
import { act } from '../core/tickets/act.ts';
import { addComment } from '../core/tickets/comment.ts';
import { createTicket } from '../core/tickets/create.ts';
import { inTransaction } from '../core/transaction.ts';
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
export async function seedDemo(db: Db, now: number = Date.now()): Promise<DemoPeople> {
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

  // One transaction for the whole history: a month of requests is written in a blink.
  await inTransaction(db, () => seedTickets(db, ids, now));
  // The demo's history is the past: its notices count as delivered, so nobody is flooded on first start.
  db.update(outbox).set({ state: 'sent', sentAt: now }).run();
  return ids;
}

// ---------------------------------------------------------------------------------------------
// Tickets: a month of history, and the few requests open now
// ---------------------------------------------------------------------------------------------

/** One seed for every choice, so the demo is the same whenever it is seeded (relative to `now`). */
const HISTORY_SEED = 0x2026_1125;
/** How many requests the history tries to make; those not finished by `now` are left out. */
const HISTORY_TICKETS = 90;
const HISTORY_DAYS = 30;
/** The history stops this long before `now`; the open requests of the last days follow it. */
const HISTORY_GAP_DAYS = 3;

type Rng = () => number;

const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;
const within = (rng: Rng, low: number, high: number) => low + rng() * (high - low);
function weighted<T>(rng: Rng, options: readonly (readonly [T, number])[]): T {
  const total = options.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = rng() * total;
  for (const [value, weight] of options) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return (options.at(-1) as readonly [T, number])[0];
}

/** What people write about each category, and what engineers answer when it is fixed. */
const PROBLEMS: Record<string, { ru: readonly string[]; en: readonly string[]; fixes: readonly string[] }> = {
  workstation: {
    ru: [
      'Компьютер не включается, вентилятор не крутится',
      'Ноутбук сильно греется и выключается сам',
      'Не работает второй монитор',
      'Компьютер очень медленно работает после обновления',
      'Не работает клавиатура на рабочем месте',
    ],
    en: [
      'My laptop will not boot',
      'The second monitor shows no picture',
      'My PC is very slow since the update',
    ],
    fixes: [
      'Заменён блок питания.',
      'Почищена система охлаждения, заменена термопаста.',
      'Переподключён кабель DisplayPort, обновлён драйвер.',
      'Откатили проблемное обновление, компьютер работает нормально.',
    ],
  },
  printer: {
    ru: [
      'Принтер не печатает, мигает оранжевая лампочка',
      'Сканер не отправляет документы на почту',
      'МФУ зажёвывает бумагу',
      'Не печатает из 1С на общий принтер',
    ],
    en: ['The office printer prints blank pages', 'Scan to e-mail does not work'],
    fixes: [
      'Устранено замятие, картридж переустановлен.',
      'Перенастроена отправка почты на МФУ.',
      'Заменён ролик подачи бумаги.',
      'Переустановлен драйвер принтера.',
    ],
  },
  network: {
    ru: [
      'Нет интернета в кабинете',
      'Wi-Fi в переговорной постоянно отваливается',
      'Не открываются сайты, почта при этом работает',
      'Пропала сеть на складе',
    ],
    en: ['No network in the warehouse office', 'Wi-Fi keeps dropping in the meeting room'],
    fixes: [
      'Перезагружен коммутатор, заменён патч-корд.',
      'Точка доступа переведена на свободный канал.',
      'Исправлены настройки DNS.',
      'Заменён блок питания коммутатора.',
    ],
  },
  email: {
    ru: [
      'Не приходит почта от внешних адресатов',
      'Outlook просит пароль каждые пять минут',
      'Переполнен почтовый ящик',
      'Наши письма попадают клиентам в спам',
    ],
    en: ['Outlook keeps asking for my password', 'I do not receive external e-mail'],
    fixes: [
      'Ящик очищен, включена архивация.',
      'Пересоздан профиль Outlook.',
      'Исправлена SPF-запись домена.',
      'Снята блокировка отправителя в фильтре.',
    ],
  },
  software: {
    ru: [
      '1С выдаёт ошибку при проведении документов',
      'Не запускается 1С после обновления',
      'Нужно установить КонсультантПлюс',
      'Excel закрывается при открытии файла',
    ],
    en: ['Excel crashes when I open the monthly report', 'Please install Zoom on my laptop'],
    fixes: [
      'Обновлена платформа 1С, кэш очищен.',
      'Программа установлена и проверена.',
      'Восстановлен повреждённый файл, Office исправлен.',
      'Снята блокировка регламентного задания.',
    ],
  },
  access: {
    ru: [
      'Забыл пароль от компьютера',
      'Нужен доступ к общей папке бухгалтерии',
      'Новому сотруднику нужна учётная запись',
      'Заблокировалась учётная запись',
    ],
    en: ['I need access to the shared drive', 'My account is locked'],
    fixes: [
      'Пароль сброшен, пользователь сменил его при входе.',
      'Выданы права на папку.',
      'Учётная запись создана, доступы выданы.',
      'Учётная запись разблокирована.',
    ],
  },
  phone: {
    ru: ['Не работает IP-телефон', 'Не слышно собеседника при звонках', 'Нужно настроить переадресацию'],
    en: ['My desk phone has no dial tone'],
    fixes: ['Телефон заново зарегистрирован на АТС.', 'Заменена гарнитура.', 'Переадресация настроена.'],
  },
  other: {
    ru: ['Нужно подключить проектор в переговорной', 'Перенести рабочее место в другой кабинет'],
    en: ['Please set up the projector for Friday'],
    fixes: ['Проектор подключён и проверен.', 'Рабочее место перенесено и подключено.'],
  },
};

const CATEGORY_WEIGHTS = [
  ['workstation', 18],
  ['printer', 14],
  ['network', 14],
  ['email', 12],
  ['software', 16],
  ['access', 14],
  ['phone', 6],
  ['other', 6],
] as const;
const ON_SITE_CATEGORIES: readonly string[] = ['workstation', 'printer', 'network', 'phone', 'other'];

const QUESTIONS = {
  ru: [
    'Какой номер кабинета?',
    'Пришлите, пожалуйста, скриншот ошибки.',
    'Когда удобно подключиться удалённо?',
  ],
  en: ['Which room are you in?', 'Could you send a screenshot of the error?'],
};
const ANSWERS = {
  ru: ['Кабинет 305, третий этаж', 'Скриншот приложила', 'Можно после 14:00'],
  en: ['Room 12, second floor', 'Screenshot attached'],
};
const ESCALATION_REASONS = [
  'Нужен доступ к серверу',
  'Требуется настройка на стороне сервера',
  'Нужна диагностика 2-й линии',
];
const RATING_COMMENTS = {
  ru: ['Спасибо, быстро!', 'Всё работает, спасибо', 'Долго, но решили'],
  en: ['Thanks, all good', 'Quick fix, thank you'],
};

interface Requester {
  actor: Actor;
  personId: number;
  language: 'ru' | 'en';
  /** Has Telegram: files in the bot or the Mini App, confirms and rates there. */
  telegram: boolean;
}

interface DemoCompany {
  id: number;
  policy: Policy;
  requesters: readonly (readonly [Requester, number])[];
  /** The history's span in this company's business time. */
  from: number;
  businessMs: number;
}

/** One step of a ticket's story, at an instant; `closing` steps (confirm, rate) may come after `now`. */
interface Step {
  at: number;
  run: (ticketId: number) => Promise<unknown>;
  closing?: boolean;
}

interface Plan {
  createdAt: number;
  file: () => Promise<number>;
  steps: Step[];
}

/**
 * The instant `ms` of business time before `at` (searched: business time only adds forward). Inside
 * working hours, so a request filed then was filed while the desk worked.
 */
function businessBefore(time: BusinessTime, at: number, ms: number): number {
  let low = at - ms;
  while (time.between(low, at) < ms) low -= Math.max(ms, DAY);
  let high = at;
  while (high - low > 1000) {
    const middle = Math.floor((low + high) / 2);
    if (time.between(middle, at) >= ms) low = middle;
    else high = middle;
  }
  // On the minute, as a person would see it; a minute later rather than outside working hours.
  const minute = Math.ceil(low / MINUTE) * MINUTE;
  return time.isWorking(minute) ? minute : time.add(minute, MINUTE);
}

/** The first working day after `at` at `minuteOfDay` local time (a visit's start). */
function workingDayAfter(time: BusinessTime, timeZone: string, at: number, minuteOfDay: number): number {
  const today = localDateOf(at, timeZone);
  for (let days = 1; days < 30; days++) {
    const day = addDays(today, days);
    const instant = zonedTimeToUtc(day.year, day.month, day.day, minuteOfDay, timeZone);
    if (time.isWorking(instant)) return instant;
  }
  throw new Error('no working day within a month');
}

/** A month of requests walked through the lifecycle by the demo people, then the ones open now. */
async function seedTickets(db: Db, p: DemoPeople, now: number): Promise<void> {
  const clock = new ManualClock(now);
  const ctx = createContext(db, clock);
  const as = async (personId: number): Promise<Actor> => await loadActor(db, personId);
  const staff = {
    line1: await as(p.line1),
    line2: await as(p.line2),
    field: await as(p.field),
    supervisor: await as(p.supervisor),
  };
  const category = (code: string) =>
    db.select({ id: categories.id }).from(categories).where(eq(categories.code, code)).get()?.id ?? null;
  const companyRows = db.select({ id: companies.id }).from(companies).orderBy(companies.id).all();
  const [romashkaId, sibtechId] = companyRows.map((c) => c.id) as [number, number];

  // The caller of a request open now (kept the id it always had), then colleagues of the demo clients
  // who write by e-mail, call or use the website form: they have no Telegram, so the sandbox lists none.
  const caller = db
    .insert(people)
    .values({ name: 'Павел (звонок)', phone: '+79990001122', createdAt: now - 3 * HOUR })
    .returning({ id: people.id })
    .get();
  const colleague = async (name: string, companyId: number, contact: { phone?: string; email?: string }) => {
    const row = db
      .insert(people)
      .values({ name, createdAt: now - HISTORY_DAYS * DAY, language: 'ru', ...contact })
      .returning({ id: people.id })
      .get();
    db.insert(memberships).values({ personId: row.id, role: 'client', companyId }).run();
    return { actor: await as(row.id), personId: row.id, language: 'ru' as const, telegram: false };
  };
  const telegramPerson = async (personId: number, language: 'ru' | 'en'): Promise<Requester> => ({
    actor: await as(personId),
    personId,
    language,
    telegram: true,
  });

  const from = now - HISTORY_DAYS * DAY;
  const to = now - HISTORY_GAP_DAYS * DAY;
  const demoCompany = async (id: number, requesters: DemoCompany['requesters']): Promise<DemoCompany> => {
    const policy = await ctx.policies.forContract(await ctx.policies.activeContractId(id, from));
    return { id, policy, requesters, from, businessMs: policy.time.between(from, to) };
  };
  const romashka = await demoCompany(romashkaId, [
    [await telegramPerson(p.clientA, 'ru'), 4],
    [await telegramPerson(p.managerA, 'ru'), 2],
    [await colleague('Мария Иванова', romashkaId, { email: 'm.ivanova@romashka.ru' }), 2],
    [await colleague('Игорь Соболев', romashkaId, { phone: '+79161112255' }), 1],
    [await colleague('Светлана Павлова', romashkaId, { email: 's.pavlova@romashka.ru' }), 1],
  ]);
  const sibtech = await demoCompany(sibtechId, [
    [await telegramPerson(p.clientB, 'en'), 4],
    [await telegramPerson(p.managerB, 'ru'), 2],
    [await colleague('Алексей Морозов', sibtechId, { phone: '+79137654322' }), 2],
    [await colleague('Наталья Зайцева', sibtechId, { email: 'n.zaitseva@sibtech.ru' }), 1],
  ]);

  const rng = seededRandom(HISTORY_SEED);
  const plans: Plan[] = [];
  for (let i = 0; i < HISTORY_TICKETS; i++) {
    const plan = historyPlan(rng, rng() < 0.58 ? romashka : sibtech, i);
    // History is finished work: what would still be in progress now is left out; a confirmation not
    // given yet is simply not given (the request waits for it, or for the auto-close).
    if (plan.steps.some((s) => !s.closing && s.at >= now - 5 * MINUTE)) continue;
    plans.push({ ...plan, steps: plan.steps.filter((s) => s.at < now) });
  }
  plans.push(...(await currentPlans()));
  plans.sort((a, b) => a.createdAt - b.createdAt);
  for (const plan of plans) {
    clock.set(plan.createdAt);
    const id = await plan.file();
    for (const step of plan.steps) {
      clock.set(step.at);
      await step.run(id);
    }
  }

  function historyPlan(rng: Rng, company: DemoCompany, index: number): Plan {
    const { time, targets, matrix } = company.policy;
    const requester = weighted(rng, company.requesters);
    // One draw either way, so the rest of the history stays as it was before groups came.
    const draw = requester.telegram ? rng() : 0;
    const channel: Channel = requester.telegram
      ? draw < 0.55
        ? 'telegram'
        : draw < 0.65
          ? 'telegram_group'
          : 'miniapp'
      : weighted(rng, [
          ['email', 4],
          ['phone', 4],
          ['web', 2],
        ] as const);
    const filer = channel === 'phone' ? staff.line1 : requester.telegram ? requester.actor : SYSTEM;
    const code = weighted(rng, CATEGORY_WEIGHTS);
    const problems = PROBLEMS[code] as (typeof PROBLEMS)[string];
    const description = pick(rng, requester.language === 'en' ? problems.en : problems.ru);
    // Every priority in both companies from the start of the list, then as they come.
    const priority: Priority =
      index < 8
        ? (PRIORITIES[index % 4] as Priority)
        : weighted(rng, [
            ['P1', 1],
            ['P2', 2.5],
            ['P3', 4.5],
            ['P4', 2],
          ] as const);
    const pairs = IMPACTS.flatMap((impact) =>
      URGENCIES.filter((urgency) => matrix[impact][urgency] === priority).map((urgency) => ({
        impact,
        urgency,
      })),
    );
    const { impact, urgency } =
      pairs.length > 0 ? pick(rng, pairs) : { impact: 'person' as const, urgency: 'low' as const };
    const target = targets[priorityFor(matrix, impact, urgency)];
    const createdAt = time.add(company.from, Math.floor(rng() * company.businessMs));
    const later = (at: number, minutes: number) => time.add(at, Math.max(1, Math.round(minutes * 60)) * 1000);

    // About one in ten first answers and one in eight resolutions come late.
    const firstResponse =
      target.firstResponse * (rng() < 0.1 ? within(rng, 1.15, 2.5) : within(rng, 0.1, 0.85));
    const resolution = target.resolution * (rng() < 0.12 ? within(rng, 1.05, 1.8) : within(rng, 0.04, 0.7));
    const steps: Step[] = [];
    const step = (at: number, run: Step['run'], closing = false) => {
      steps.push({ at, run, closing });
      return at;
    };
    const language = requester.language;
    const engineer = rng() < 0.2 ? staff.supervisor : staff.line1;
    const fix = pick(rng, problems.fixes);
    const categoryId = category(code);

    let story = weighted(rng, [
      ['simple', 58],
      ['ask', 12],
      ['escalate', 13],
      ['visit', 7],
      ['reopen', 5],
      ['cancel', 5],
    ] as const);
    if (story === 'visit' && !ON_SITE_CATEGORIES.includes(code)) story = 'escalate';
    if (story === 'reopen' && !requester.telegram) story = 'simple';

    let at = step(
      later(createdAt, firstResponse),
      async (id) => await act(ctx, staff.line1, id, { action: 'triage' }),
    );
    if (story === 'cancel') {
      const by = requester.telegram ? requester.actor : staff.line1;
      const reason = language === 'en' ? 'Not needed any more' : 'Уже не актуально';
      step(
        later(at, within(rng, 10, 120)),
        async (id) => await act(ctx, by, id, { action: 'cancel', reason }),
      );
      return plan();
    }
    let solver = engineer;
    if (story === 'visit') {
      const visitAt = later(at, within(rng, 5, 30));
      const startsAt = workingDayAfter(time, company.policy.timeZone, visitAt, pick(rng, [10, 14]) * 60);
      step(
        visitAt,
        async (id) =>
          await act(ctx, staff.line1, id, {
            action: 'schedule_visit',
            startsAt,
            endsAt: startsAt + 2 * HOUR,
            engineerId: p.field,
          }),
      );
      at = step(
        startsAt + Math.round(within(rng, 2, 20)) * MINUTE,
        async (id) => await act(ctx, staff.field, id, { action: 'check_in' }),
      );
      at = step(
        later(at, within(rng, 30, 90)),
        async (id) => await act(ctx, staff.field, id, { action: 'check_out', note: fix }),
      );
      solver = staff.field;
      at = later(at, within(rng, 2, 10));
    } else {
      at = step(
        later(at, within(rng, 1, 15)),
        async (id) => await act(ctx, engineer, id, { action: 'take' }),
      );
      if (story === 'ask') {
        const question = pick(rng, QUESTIONS[language]);
        const answer = pick(rng, ANSWERS[language]);
        at = step(
          later(at, within(rng, 5, 40)),
          async (id) => await act(ctx, engineer, id, { action: 'ask_customer', question }),
        );
        // The client's answer resumes the clock; the wait is not counted against the desk.
        at = step(
          later(at, within(rng, 15, 300)),
          async (id) => await addComment(ctx, requester.actor, id, { body: answer }),
        );
      }
      if (story === 'escalate') {
        const reason = pick(rng, ESCALATION_REASONS);
        at = step(
          later(at, within(rng, 10, 60)),
          async (id) => await act(ctx, engineer, id, { action: 'escalate_line2', reason }),
        );
        at = step(
          later(at, within(rng, 5, 45)),
          async (id) => await act(ctx, staff.line2, id, { action: 'take' }),
        );
        solver = staff.line2;
      }
      // Resolved when the planned resolution time has run (or a little after the last step).
      const planned = later(createdAt, resolution);
      at = planned > at ? planned : later(at, within(rng, 10, 60));
    }
    at = step(at, async (id) => await act(ctx, solver, id, { action: 'resolve', resolution: fix }));

    if (story === 'reopen') {
      const reason = language === 'en' ? 'It is broken again' : 'Снова не работает';
      at = step(
        later(at, within(rng, 30, 300)),
        async (id) => await act(ctx, requester.actor, id, { action: 'reopen', reason }),
      );
      at = step(
        later(at, within(rng, 5, 30)),
        async (id) => await act(ctx, staff.line1, id, { action: 'take' }),
      );
      const again = `${fix} Проверено ещё раз вместе с пользователем.`;
      at = step(
        later(at, within(rng, 30, 240)),
        async (id) => await act(ctx, staff.line1, id, { action: 'resolve', resolution: again }),
      );
    }
    if (requester.telegram && rng() < 0.8) {
      at = step(
        later(at, within(rng, 5, 240)),
        async (id) => await act(ctx, requester.actor, id, { action: 'confirm' }),
        true,
      );
      if (rng() < 0.7) {
        const rating =
          story === 'reopen'
            ? pick(rng, [3, 4])
            : weighted(rng, [
                [5, 62],
                [4, 25],
                [3, 8],
                [2, 3],
                [1, 2],
              ] as const);
        const comment = rng() < 0.3 ? pick(rng, RATING_COMMENTS[language]) : undefined;
        step(
          at + MINUTE,
          async (id) =>
            await act(ctx, requester.actor, id, { action: 'rate', rating, ...(comment ? { comment } : {}) }),
          true,
        );
      }
    } else {
      // Nobody confirmed: the desk closes it itself after the contract's days.
      step(
        time.addBusinessDays(at, company.policy.autoCloseBusinessDays),
        async (id) => await act(ctx, SYSTEM, id, { action: 'auto_close' }),
        true,
      );
    }
    return plan();

    function plan(): Plan {
      return {
        createdAt,
        file: async () =>
          (
            await createTicket(ctx, filer, {
              channel,
              ...(filer === requester.actor ? {} : { requesterId: requester.personId }),
              categoryId,
              description,
              impact,
              urgency,
            })
          ).id,
        steps,
      };
    }
  }

  /** The requests of the last days that are still open, and the printer story the sandbox has always had. */
  async function currentPlans(): Promise<Plan[]> {
    const [clientA, managerA, clientB] = [await as(p.clientA), await as(p.managerA), await as(p.clientB)];
    const moscow = romashka.policy.time;
    const novosibirsk = sibtech.policy.time;
    const plans: Plan[] = [];

    // 1. Printer: triaged, solved by 1st line, confirmed and rated.
    const printerAt = businessBefore(moscow, now, 5 * 9 * HOUR);
    const printerSteps: Step[] = [];
    let at = moscow.add(printerAt, 12 * MINUTE);
    printerSteps.push({
      at,
      run: async (id) => {
        await act(ctx, staff.line1, id, { action: 'triage' });
        await act(ctx, staff.line1, id, { action: 'take' });
      },
    });
    at = moscow.add(at, 40 * MINUTE);
    printerSteps.push({
      at,
      run: async (id) =>
        await act(ctx, staff.line1, id, {
          action: 'resolve',
          resolution: 'Замятие бумаги устранено, картридж переустановлен.',
        }),
    });
    printerSteps.push({
      at: moscow.add(at, 2 * HOUR),
      run: async (id) => {
        await act(ctx, clientA, id, { action: 'confirm' });
        await act(ctx, clientA, id, { action: 'rate', rating: 5, comment: 'Спасибо, быстро!' });
      },
    });
    plans.push({
      createdAt: printerAt,
      file: async () =>
        (
          await createTicket(ctx, clientA, {
            channel: 'telegram',
            categoryId: category('printer'),
            description: 'Принтер в бухгалтерии не печатает, горит оранжевая лампочка',
            impact: 'department',
            urgency: 'medium',
            location: 'Офис на Тверской, 3 этаж',
          })
        ).id,
      steps: printerSteps,
    });

    // 2. 1C: escalated to 2nd line, waiting for the client's answer.
    const oneCAt = businessBefore(moscow, now, 12 * HOUR);
    plans.push({
      createdAt: oneCAt,
      file: async () =>
        (
          await createTicket(ctx, managerA, {
            channel: 'miniapp',
            categoryId: category('software'),
            description: '1С: Бухгалтерия выдаёт ошибку при проведении документов у всего отдела',
            impact: 'department',
            urgency: 'high',
          })
        ).id,
      steps: [
        {
          at: moscow.add(oneCAt, 5 * MINUTE),
          run: async (id) => await act(ctx, staff.line1, id, { action: 'triage' }),
        },
        {
          at: moscow.add(oneCAt, 25 * MINUTE),
          run: async (id) =>
            await act(ctx, staff.line1, id, {
              action: 'escalate_line2',
              reason: 'Нужен доступ к серверу 1С',
            }),
        },
        {
          at: moscow.add(oneCAt, 55 * MINUTE),
          run: async (id) => {
            await act(ctx, staff.line2, id, { action: 'take' });
            await addComment(ctx, staff.line2, id, {
              body: 'Похоже на блокировку регламентного задания',
              internal: true,
            });
            await act(ctx, staff.line2, id, {
              action: 'ask_customer',
              question: 'Какая версия конфигурации у вас сейчас?',
            });
          },
        },
      ],
    });

    // 3. Network at the plant: an on-site visit scheduled for the next working day.
    const networkAt = businessBefore(novosibirsk, now, 5 * HOUR);
    const visit = workingDayAfter(novosibirsk, sibtech.policy.timeZone, now, 10 * 60);
    plans.push({
      createdAt: networkAt,
      file: async () =>
        (
          await createTicket(ctx, clientB, {
            channel: 'telegram',
            categoryId: category('network'),
            description: 'No network in the warehouse office since the morning',
            impact: 'department',
            urgency: 'medium',
          })
        ).id,
      steps: [
        {
          at: novosibirsk.add(networkAt, 8 * MINUTE),
          run: async (id) => {
            await act(ctx, staff.line1, id, { action: 'triage' });
            await act(ctx, staff.line1, id, {
              action: 'schedule_visit',
              startsAt: visit,
              endsAt: visit + 2 * HOUR,
              engineerId: p.field,
              address: 'Новосибирск, ул. Складская, 5',
            });
          },
        },
      ],
    });

    // 4. A new request from an unknown phone caller, recorded by the operator; 5. a fresh client request.
    plans.push({
      createdAt: businessBefore(moscow, now, 3 * HOUR),
      file: async () =>
        (
          await createTicket(ctx, staff.line1, {
            channel: 'phone',
            requesterId: caller.id,
            description: 'Не приходит почта на ящик отдела продаж',
            categoryId: category('email'),
          })
        ).id,
      steps: [],
    });
    plans.push({
      createdAt: businessBefore(moscow, now, 20 * MINUTE),
      file: async () =>
        (
          await createTicket(ctx, clientA, {
            channel: 'telegram',
            categoryId: category('workstation'),
            description: 'Ноутбук не включается после обновления',
            impact: 'person',
            urgency: 'high',
          })
        ).id,
      steps: [],
    });
    return plans;
  }
}
