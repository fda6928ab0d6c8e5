// Opening a skills module on a phone (issue 13): from tapping a module in the Skills tab to its
// first screen (the goal, with the module's title) in Chromium with a phone's viewport and the
// CPU 4× slower. Offline: the phone has no network at all and the module's content comes from
// the service worker's cache (the app fetched it when the list loaded). Baseline in the same
// run: opening a module the phone has never fetched, online: the worker fetches it from the
// server on this machine. The page's network is throttled (1.6 Mbps, 150 ms), but Chromium
// does not apply a page's throttling to its service worker's own fetches, so the baseline is
// what a perfect network would give — a real phone's online open is slower. Median of
// BENCH_ROUNDS (default 5) modules each.
import { existsSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
// @ts-expect-error — a plain ES module script without types
import { buildWeb } from '../scripts/build-web.mjs';
import { buildApp } from '../server/app.ts';
import { openDatabase } from '../server/platform/db/database.ts';
import { DEMO_PASSWORD, seedDemo } from '../server/modules/demo/seed.ts';
import { builtInModules } from '../server/modules/skills/library.ts';

const CHROMIUM = '/usr/bin/chromium';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PIN = '482915';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function bench() {
  if (!existsSync(CHROMIUM)) {
    console.log('skipped: /usr/bin/chromium not found');
    return;
  }
  await buildWeb({ quiet: true });
  const database = await openDatabase({ dataDir: 'memory://' });
  await seedDemo(database.db);
  const app = await buildApp({ db: database.db, logLevel: 'warn', signInRateLimit: 1000 });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    // the demo app patient, with modules assigned for the offline half (the list prefetches them)
    const signed = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'counsellor@harbor.example', password: DEMO_PASSWORD } });
    const [program] = await database.query<{ id: string }>("select id from programs where name like 'Harbor%'");
    const [patient] = await database.query<{ id: string }>("select id from patients where mrn = 'HSC-0002'");
    const headers = { cookie: String(signed.headers['set-cookie']).split(';')[0]!, 'waypoint-program': program!.id };
    const given = new Set((await database.query<{ k: string }>('select module_key as k from skill_assignments where patient_id = $1', [patient!.id])).map((r) => r.k));
    const free = [...builtInModules().values()].filter((m) => !given.has(m.key));
    const offline = free.slice(0, ROUNDS);
    const online = free.slice(ROUNDS, 2 * ROUNDS);
    if (online.length < ROUNDS) throw new Error('not enough modules for the rounds');
    for (const m of offline) await app.inject({ method: 'POST', url: `/api/v1/patients/${patient!.id}/skills/assignments`, headers, payload: { moduleKey: m.key } });
    const invite = await app.inject({ method: 'POST', url: `/api/v1/patients/${patient!.id}/app-invites`, headers });

    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${base}/app/#activate=${(invite.json() as { code: string }).code}`);
    await page.getByLabel('New PIN').fill(PIN);
    await page.getByLabel('Type the PIN again').fill(PIN);
    await page.getByRole('button', { name: 'Finish' }).click();
    await page.getByRole('heading', { name: 'Today' }).waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => !!navigator.serviceWorker.controller, undefined, { timeout: 60_000 });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const throttle = () => cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8) * 0.9, uploadThroughput: (750e3 / 8) * 0.9 });
    await throttle();
    // the list, read online: the assigned modules' content goes into the service worker's cache
    await page.getByTestId('tab-skills').click();
    await page.getByTestId('skills').waitFor({ timeout: 60_000 });
    await page.waitForFunction(
      async (keys) => {
        const cache = await caches.open('waypoint-app-skills');
        const urls = (await cache.keys()).map((r) => r.url);
        return keys.every((k) => urls.some((u) => u.includes(`/${k}@`)));
      },
      offline.map((m) => m.key),
      { timeout: 60_000, polling: 250 },
    );

    const open = async (p: Page, key: string, title: string) => {
      const started = Date.now();
      await p.getByTestId(`module-${key}`).getByRole('button').first().click();
      await p.locator('.sk-module-title', { hasText: title }).waitFor({ timeout: 60_000 });
      const ms = Date.now() - started;
      await p.getByRole('button', { name: 'Back to my modules' }).click();
      await p.getByTestId('skills').waitFor({ timeout: 60_000 });
      return ms;
    };
    const onlineMs: number[] = [];
    for (const m of online) onlineMs.push(await open(page, m.key, m.title.en!));
    await context.setOffline(true);
    const offlineMs: number[] = [];
    for (const m of offline) offlineMs.push(await open(page, m.key, m.title.en!));
    const on = median(onlineMs);
    const off = median(offlineMs);
    console.log(`phone (360 px, CPU 4×), median of ${ROUNDS} modules each: online, never fetched before (the worker fetches it from this machine's server): ${on} ms (${onlineMs.join(', ')})`);
    console.log(`offline, from the service worker's cache: ${off} ms (${offlineMs.join(', ')}); ratio offline/online ${(off / on).toFixed(2)}`);
  } finally {
    await browser.close();
    await app.close();
    await database.close();
  }
}
