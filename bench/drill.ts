// The multi-instance drill (issue 15), `npm run bench:drill`. tgdesk instances in processes of their own on
// one store take Telegram's updates by webhook from the local Bot API emulator through a load balancer
// (bench/drill-harness.ts), and DRILL_CLIENTS people (default 300) file a request each through the guided
// intake (bench/drill-clients.ts).
//
// Throughput: the people all at once, each acting as soon as the answer is there, Telegram's limits off —
// one instance on SQLite (the desk without DATABASE_URL), one and three instances on PostgreSQL, measured in
// the same run: requests filed a second and updates a second, and the instances' CPU per update.
//
// The drill: three instances on PostgreSQL, the emulator enforcing Telegram's limits, people acting at a
// person's pace (a second at least between two actions of one person, DRILL_PACE actions a second of all
// together, default 20: the desk answers each with a message and all of them share Telegram's 30 a
// second), while a random instance is killed with SIGKILL DRILL_KILLS times (default 10) and a new one
// started. It fails unless every request is filed once (tickets 1001… without a gap), every notice is shown at
// most once and in order, every chat shows the intake in the dialogue's order, Telegram's limits were never
// exceeded and no instance logged an error. DRILL_SEED repeats a run; DRILL_LEGS=drill or
// =throughput runs one part alone.
import { pathToFileURL } from 'node:url';
import { seededRandom } from '../core/seeded-random.ts';
import type { PostgresServer } from '../tests/support/postgres.ts';
import { checkDrill, type DrillFigures, drillFailures, runClients, STEPS } from './drill-clients.ts';
import { type DrillDesk, drillDesk } from './drill-harness.ts';
import { envInt, printTable } from './output.ts';
import { postgresLeg } from './postgres.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface DrillOptions {
  clients: number;
  kills: number;
  seed: number;
  instances?: number;
  /** Actions a second of all the people together (default 20). */
  pace?: number;
  /** A test's PostgreSQL server; without it one is started. */
  postgres?: PostgresServer;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface DrillResult extends DrillFigures {
  kills: number;
  /** Instances started in all. */
  starts: number;
  actions: number;
  repeats: number;
  restarts: number;
  /** Webhook posts: delivered, made again (after a 502 or a refused connection), 502s from the balancer. */
  delivered: number;
  retries: number;
  badGateway: number;
  seconds: number;
}

/** The drill: three instances, kills, Telegram's limits; the figures and whatever failed. */
export async function runDrill(options: DrillOptions): Promise<DrillResult> {
  const log = options.log ?? (() => undefined);
  const random = seededRandom(options.seed);
  const desk = await drillDesk({
    store: 'postgres',
    limits: true,
    ...(options.postgres ? { postgres: options.postgres } : {}),
  });
  try {
    const instances = options.instances ?? 3;
    await Promise.all(Array.from({ length: instances - desk.live().length }, () => desk.start()));
    log(`drill: ${desk.live().length} instances serve; ${options.clients} people start`);
    let actions = 0;
    let done = false;
    const expected = options.clients * STEPS;
    const run = runClients(
      desk,
      {
        clients: options.clients,
        seed: options.seed,
        actionsPerSecond: options.pace ?? 20,
        thinkMs: 1_100,
      },
      (n) => {
        actions = n;
      },
    ).finally(() => {
      done = true;
    });
    // Kill moments spread over the people's actions, each a random moment after its due action.
    let kills = 0;
    const killing = (async () => {
      for (let k = 1; k <= options.kills; k++) {
        const due = Math.floor((k * expected) / (options.kills + 1));
        while (actions < due && !done) await pause(20);
        if (done) return;
        // An instance in the middle of handling a post, if one is within a second: its update is cut off.
        const until = Date.now() + 1_000;
        while (!done && Date.now() < until && !desk.live().some((i) => i.handling > 0)) await pause(1);
        const candidates = desk.live();
        const busy = candidates.filter((i) => i.handling > 0);
        const among = busy.length > 0 ? busy : candidates;
        const victim = among[Math.floor(random() * among.length)];
        if (!victim || candidates.length < 2) continue;
        await desk.kill(victim);
        kills++;
        log(`drill: killed instance ${victim.n} after ${actions} actions; starting another`);
        await desk.start();
      }
    })();
    const people = await run;
    await killing;
    // Everything the people did has been delivered and answered.
    await settle(desk);
    const figures = await checkDrill(desk, people.people);
    await desk.stopAll();
    figures.errors = [...desk.errors];
    const stats = desk.emu.webhook.stats;
    return {
      ...figures,
      kills,
      starts: desk.instances.length,
      actions: people.actions,
      repeats: people.repeats,
      restarts: people.restarts,
      delivered: stats.delivered,
      retries: stats.retries,
      badGateway: desk.balancer.badGateway,
      seconds: people.seconds,
    };
  } finally {
    await desk.close();
  }
}

/** Waits until the emulator holds no update for the webhook and no post is under way. */
export async function settle(desk: DrillDesk, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const { emu } = desk;
  for (;;) {
    const info = (await (await fetch(`${emu.apiRoot}/bot${emu.token}/getWebhookInfo`)).json()) as {
      result: { pending_update_count: number };
    };
    if (info.result.pending_update_count === 0 && emu.webhook.inFlight === 0) return;
    if (Date.now() > deadline) throw new Error(`${info.result.pending_update_count} updates never delivered`);
    await pause(100);
  }
}

export interface ThroughputFigures {
  label: string;
  clients: number;
  accepted: number;
  seconds: number;
  requestsPerSecond: number;
  updatesPerSecond: number;
  /** The instances' CPU per update (ms). */
  cpuPerUpdateMs: number;
  errors: number;
}

/** The people all at once, as fast as answers come, no limits, no kills. */
export async function runThroughput(
  label: string,
  store: 'postgres' | 'sqlite',
  instances: number,
  clients: number,
  seed: number,
): Promise<ThroughputFigures> {
  const desk = await drillDesk({ store, limits: false });
  try {
    await Promise.all(Array.from({ length: instances - desk.live().length }, () => desk.start()));
    desk.markCpu();
    const before = desk.emu.webhook.stats.delivered;
    const run = await runClients(desk, { clients, seed });
    const updates = desk.emu.webhook.stats.delivered - before;
    const cpuMs = await desk.stopAll();
    const figures = await checkDrill(desk, run.people);
    return {
      label,
      clients,
      accepted: figures.accepted,
      seconds: run.seconds,
      requestsPerSecond: figures.accepted / run.seconds,
      updatesPerSecond: updates / run.seconds,
      cpuPerUpdateMs: cpuMs / updates,
      errors: desk.errors.length,
    };
  } finally {
    await desk.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const clients = envInt('DRILL_CLIENTS', 300);
  const kills = envInt('DRILL_KILLS', 10);
  const seed = envInt('DRILL_SEED', 1);
  const pace = envInt('DRILL_PACE', 20);
  const leg = postgresLeg();
  if (!leg.on) {
    console.log(`The drill needs PostgreSQL: ${leg.why}`);
    process.exit(0);
  }
  const legs = process.env.DRILL_LEGS ?? 'all';
  const drillOnly = legs === 'drill';
  console.log(
    `Multi-instance drill: ${clients} people through the guided intake by webhook, behind a load balancer, seed ${seed}`,
  );
  const rows: ThroughputFigures[] = [];
  if (!drillOnly) {
    for (const [label, store, n] of [
      ['SQLite, 1 instance', 'sqlite', 1],
      ['PostgreSQL, 1 instance', 'postgres', 1],
      ['PostgreSQL, 3 instances', 'postgres', 3],
    ] as const) {
      console.log(`… ${label}`);
      rows.push(await runThroughput(label, store, n, clients, seed));
    }
    printTable([
      ['all at once, no limits', 'accepted', 'seconds', 'requests/s', 'updates/s', 'CPU/update', 'errors'],
      ...rows.map((r) => [
        r.label,
        `${r.accepted}/${r.clients}`,
        r.seconds.toFixed(1),
        r.requestsPerSecond.toFixed(1),
        r.updatesPerSecond.toFixed(0),
        `${r.cpuPerUpdateMs.toFixed(2)} ms`,
        String(r.errors),
      ]),
    ]);
    console.log('');
  }
  if (legs === 'throughput')
    process.exit(rows.every((r) => r.accepted === r.clients && r.errors === 0) ? 0 : 1);
  console.log(`… the drill: 3 instances, ${kills} SIGKILLs, Telegram's limits, ${pace} actions/s`);
  const f = await runDrill({ clients, kills, seed, pace, log: (line) => console.log(`  ${line}`) });
  printTable([
    ['drill with kills', 'value', 'target'],
    ['people / kills (instances started)', `${f.clients} / ${f.kills} (${f.starts})`, ''],
    ['accepted, each with exactly one ticket', String(f.accepted), String(f.clients)],
    [
      'lost / duplicated / wrong number / unfinished',
      `${f.lost} / ${f.duplicated} / ${f.wrongNumber} / ${f.unfinished}`,
      '0 / 0 / 0 / 0',
    ],
    [
      'tickets numbered 1001… without a gap',
      `${f.tickets}, ${f.numbersInOrder ? 'yes' : 'NO'}`,
      `${f.clients}, yes`,
    ],
    ['chats out of the dialogue order', String(f.orderBroken), '0'],
    [
      'notices: in the outbox / sent / left "sending" by a killed instance',
      `${f.notices} / ${f.noticesSent} / ${f.noticesSending}`,
      '',
    ],
    [
      'notices shown twice / unaccounted / out of order',
      `${f.duplicateNotices} / ${f.unaccountedNotices} / ${f.noticesOutOfOrder}`,
      '0 / 0 / 0',
    ],
    ["sends over Telegram's limits", String(f.violations), '0'],
    ['most messages sent within one second', String(f.peakSendsPerSecond), '≤ 30'],
    ['instance errors', String(f.errors.length), '0'],
    ['webhook posts delivered / made again / 502s', `${f.delivered} / ${f.retries} / ${f.badGateway}`, ''],
    ['actions / repeats after a silence / restarts', `${f.actions} / ${f.repeats} / ${f.restarts}`, ''],
    ['seconds', f.seconds.toFixed(1), ''],
  ]);
  const failures = drillFailures(f);
  if (failures.length > 0) {
    console.error(`FAILED: ${failures.join('; ')}`);
    process.exit(1);
  }
  process.exit(0);
}
