// Benchmark of the Mini App: the JavaScript a phone fetches before the first screen (gzipped), and the time
// to the first rendered ticket list in headless Chromium with the CPU slowed four times (a cheap Android
// phone), beside a bare page from the same server in the same browser. Builds the app first.
import { execSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { openMiniApp, startDesk } from '../tests/browser/harness.ts';
import { initialJsGzip } from '../tests/browser/initial-chunks.ts';
import { NOW, seedHistory } from '../tests/browser/seed.ts';
import { makeWorld } from '../tests/fixtures.ts';
import { envInt, printTable } from './output.ts';

const RUNS = envInt('BENCH_RENDER_RUNS', 7);
const BUDGET_KB = 100;
const TARGET_MS = 1200;
const THROTTLE = 4;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function throttle(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
}

async function main(): Promise<void> {
  execSync('npm run build --silent', { stdio: 'inherit' });
  const bundle = initialJsGzip();

  const world = await makeWorld({ start: NOW });
  await seedHistory(world);
  const desk = await startDesk(world);
  const app: number[] = [];
  const bare: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      // The client's first screen: the list of their tickets, rendered with data from the API.
      // Timed from outside the page: the app's clock is Playwright's fake one (the world's "now").
      let started = 0;
      const opened = await openMiniApp(desk, 'clientA', {
        beforeNavigate: async (page) => {
          await throttle(page);
          started = performance.now();
        },
      });
      await opened.page.waitForSelector('[data-screen="my"] [data-number]', { timeout: 30_000 });
      app.push(performance.now() - started);
      await opened.close();

      const context = await desk.browser.newContext();
      const page = await context.newPage();
      await throttle(page);
      const started2 = performance.now();
      await page.goto(`${desk.origin}/healthz`);
      await page.waitForSelector('body');
      bare.push(performance.now() - started2);
      await context.close();
    }
  } finally {
    await desk.close();
  }
  const firstRender = median(app);
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  console.log(
    `tgdesk Mini App benchmark: ${RUNS} loads, CPU throttled ${THROTTLE}×, node ${process.version}`,
  );
  printTable([
    ['figure', 'tgdesk', 'baseline in the same run', 'target', 'result'],
    [
      'initial JS, gzipped',
      `${(bundle.total / 1000).toFixed(1)} kB in ${bundle.chunks.length} files`,
      '',
      `<= ${BUDGET_KB} kB`,
      verdict(bundle.total <= BUDGET_KB * 1000),
    ],
    [
      `first render of the ticket list (median of ${RUNS})`,
      `${firstRender.toFixed(0)} ms`,
      `${median(bare).toFixed(0)} ms a bare page`,
      `< ${TARGET_MS} ms`,
      verdict(firstRender < TARGET_MS),
    ],
  ]);
  console.log(
    JSON.stringify({
      initialJsGzipBytes: bundle.total,
      firstRenderMs: firstRender,
      barePageMs: median(bare),
    }),
  );
}

await main();
