// The patient app's time to interactive on a slow phone (issue 12): Chromium with the
// network throttled to 1.6 Mbps down / 750 kbps up with 150 ms round trips and the CPU
// slowed 4×, a fresh profile (nothing cached), from navigation to the first screen ready
// for input (the set-up form's code field enabled). Baseline in the same run, under the same
// throttling: the app's neutral page (/app/neutral.html: one small HTML file), which is what
// the network alone costs. Goal: ≤ 3 s. Median of BENCH_ROUNDS (default 3) rounds.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
// @ts-expect-error — a plain ES module script without types
import { buildWeb } from '../scripts/build-web.mjs';
import { buildApp } from '../server/app.ts';
import { openDatabase } from '../server/platform/db/database.ts';

const CHROMIUM = '/usr/bin/chromium';
const GOAL_MS = 3000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function bench() {
  if (!existsSync(CHROMIUM)) {
    console.log('skipped: /usr/bin/chromium not found');
    return;
  }
  // always a fresh build here: one made under vitest (NODE_ENV=test) carries React's development build
  await buildWeb({ quiet: true });
  const database = await openDatabase({ dataDir: 'memory://' });
  const app = await buildApp({ db: database.db, logLevel: 'warn' });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  /** Milliseconds from navigation until `ready` holds, on a fresh, throttled phone. */
  const timed = async (path: string, ready: (page: import('playwright-core').Page) => Promise<unknown>) => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, serviceWorkers: 'block' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8) * 0.9, uploadThroughput: (750e3 / 8) * 0.9 });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const started = Date.now();
    await page.goto(`${base}${path}`, { waitUntil: 'commit' });
    await ready(page);
    const ms = Date.now() - started;
    await context.close();
    return ms;
  };
  try {
    const baseline: number[] = [];
    const app_: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      baseline.push(await timed('/app/neutral.html', (p) => p.waitForLoadState('load')));
      app_.push(await timed('/app/', (p) => p.getByLabel('Your code').and(p.locator(':enabled')).waitFor({ timeout: 60_000 })));
    }
    const b = median(baseline);
    const a = median(app_);
    console.log(`throttled (1.6 Mbps, 150 ms RTT, CPU 4×), median of ${ROUNDS}: neutral page ${b} ms; patient app interactive ${a} ms (${(a / b).toFixed(1)}× the bare page)`);
    console.log(`patient app time to interactive ${a} ms ${a <= GOAL_MS ? `— meets the ≤ ${GOAL_MS} ms goal` : `— ABOVE the ${GOAL_MS} ms goal`}`);
  } finally {
    await browser.close();
    await app.close();
    await database.close();
  }
}
