// The bot under test for bench/bot.ts, alone in its own process as in production: the emulator and the
// benchmark's clients (whose waits poll every few milliseconds) run in the parent, on the other core.
// `tgdesk` is the real bot (startBot: runner, intake drafts in SQLite, notifier); `bare` is grammY with
// the runner answering every update with a plain reply, the floor the same transport allows; `mirror` is
// grammY making the Telegram calls tgdesk's intake makes (a press: answer it, mark the question answered,
// ask the next question with buttons; a message: the next question), with no store and no logic.
// Arguments: kind, apiRoot, token, database path (tgdesk only). Talks to the parent over IPC. A postgres://
// URL for the database runs tgdesk on PostgreSQL (openPostgresStore, as `npm start`): the process must have
// the same URL as its DATABASE_URL from the start, which makes it choose PostgreSQL's tables (db/dialect.ts).
import { run } from '@grammyjs/runner';
import { Bot, InlineKeyboard } from 'grammy';
import { startBot } from '../bot/run.ts';
import { createContext } from '../core/context.ts';
import { systemClock } from '../core/model.ts';
import { type Db, openDatabase } from '../db/connection.ts';
import { storeDialect } from '../db/dialect.ts';
import { openPostgresStore } from '../db/pg/store.ts';

export type BotKind = 'tgdesk' | 'bare' | 'mirror';

export interface BotProcessReport {
  /** Errors handlers threw (the person got no answer for that update). */
  errors: number;
  firstError?: string;
  /** CPU time the process used from 'ready' or the last 'mark' to 'stop' (user + system). */
  cpuMs: number;
}

export type BotProcessMessage = { type: 'ready' } | ({ type: 'stopped' } & BotProcessReport);

const [kind, apiRoot, token, dbPath] = process.argv.slice(2) as [BotKind, string, string, string?];
const send = (message: BotProcessMessage, then?: () => void) => process.send?.(message, undefined, {}, then);

let errors = 0;
let firstError: string | undefined;
const onError = (error: unknown) => {
  errors++;
  firstError ??= error instanceof Error ? (error.stack ?? error.message) : String(error);
};

async function startBare(): Promise<() => Promise<void>> {
  const bot = new Bot(token, { client: { apiRoot } });
  bot.on('callback_query', async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.reply('ok');
  });
  bot.on('message', (ctx) => ctx.reply('ok'));
  bot.catch((error) => onError(error.error));
  await bot.init();
  const runner = run(bot, { runner: { fetch: { allowed_updates: ['message', 'callback_query'] } } });
  return async () => {
    if (runner.isRunning()) await runner.stop();
  };
}

async function startMirror(): Promise<() => Promise<void>> {
  const bot = new Bot(token, { client: { apiRoot } });
  const question = 'Сколько людей затронуто?';
  const keyboard = new InlineKeyboard()
    .text('Только я', 'i:person')
    .row()
    .text('Отдел', 'i:department')
    .row()
    .text('Вся компания', 'i:company');
  bot.on('callback_query', async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(`${question}\n\n✓ Отдел`).catch(() => undefined);
    await ctx.reply(question, { reply_markup: keyboard });
  });
  bot.on('message', (ctx) => ctx.reply(question, { reply_markup: keyboard }));
  bot.catch((error) => onError(error.error));
  await bot.init();
  const runner = run(bot, { runner: { fetch: { allowed_updates: ['message', 'callback_query'] } } });
  return async () => {
    if (runner.isRunning()) await runner.stop();
  };
}

async function startTgdesk(): Promise<() => Promise<void>> {
  if (!dbPath) throw new Error('the tgdesk bot needs a database path');
  if (/^postgres(ql)?:\/\//.test(dbPath)) {
    if (storeDialect() !== 'postgres' || process.env.DATABASE_URL !== dbPath) {
      throw new Error('tgdesk on PostgreSQL needs the same URL as its DATABASE_URL');
    }
    const store = await openPostgresStore(dbPath);
    const desk = createContext(store.db as unknown as Db, systemClock);
    const running = await startBot({ desk, token, apiRoot, onError });
    return async () => {
      await running.stop();
      await store.close();
    };
  }
  const db = openDatabase(dbPath);
  const running = await startBot({ desk: createContext(db, systemClock), token, apiRoot, onError });
  return async () => {
    await running.stop();
    db.$client.close();
  };
}

const stop = await (kind === 'bare' ? startBare() : kind === 'mirror' ? startMirror() : startTgdesk());
let cpuAtStart = process.cpuUsage();
process.on('message', async (message) => {
  if (message === 'mark') cpuAtStart = process.cpuUsage();
  if (message !== 'stop') return;
  await stop();
  const cpu = process.cpuUsage(cpuAtStart);
  const report = { errors, ...(firstError ? { firstError } : {}), cpuMs: (cpu.user + cpu.system) / 1000 };
  // Exit rather than wait for idle keep-alive sockets to close; a clean exit also writes --cpu-prof.
  send({ type: 'stopped', ...report }, () => process.exit(0));
});
send({ type: 'ready' });
