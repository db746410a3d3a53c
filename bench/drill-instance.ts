// One tgdesk instance of the drill (bench/drill-harness.ts) in a process of its own, as `npm start` runs it:
// startApp(loadConfig(environment)) — the store (DATABASE_URL, or DATABASE_PATH for SQLite), the bot by webhook
// (WEBHOOK_URL, WEBHOOK_SECRET), the API on PORT (0: a free one), the SLA scheduler and the notifier. Logs are
// JSON lines on stdout (LOG_LEVEL, LOG_FORMAT=json), which the parent reads for errors. Tells the parent its
// port over IPC once it serves; 'stop' stops it as SIGTERM would and reports its CPU time since it served
// (or since 'mark'). SIGKILL is the
// crash. It exits when the parent goes away.
import { loadConfig } from '../app/config.ts';
import { startApp } from '../app/run.ts';

export type DrillInstanceMessage =
  | { type: 'ready'; port: number }
  | { type: 'stopped'; cpuMs: number }
  | { type: 'failed'; error: string };

const send = (message: DrillInstanceMessage, then?: () => void) =>
  process.send?.(message, undefined, {}, then);

process.on('disconnect', () => process.exit(0));

try {
  const app = await startApp(loadConfig(process.env));
  let cpuAtMark = process.cpuUsage();
  process.on('message', async (message) => {
    if (message === 'mark') cpuAtMark = process.cpuUsage();
    if (message !== 'stop') return;
    await app.stop();
    const cpu = process.cpuUsage(cpuAtMark);
    send({ type: 'stopped', cpuMs: (cpu.user + cpu.system) / 1000 }, () => process.exit(0));
  });
  send({ type: 'ready', port: app.port });
} catch (error) {
  send(
    { type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) },
    () => process.exit(1),
  );
}
