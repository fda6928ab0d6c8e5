// Shared set-up for the console's end-to-end tests: the real server in-process on an
// in-memory PGlite (the run's migrated template, test/global-setup.ts) with the demo data,
// Debian's Chromium, screenshots into .tmp/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../server/platform/db/database.ts';
import { seedDemo, DEMO_PASSWORD } from '../../server/modules/demo/seed.ts';
import { buildApp } from '../../server/app.ts';
import { pgliteTemplateFile, templatePglite } from '../support/db.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const root = fileURLToPath(new URL('../..', import.meta.url));
export const shots = `${root}.tmp`;
export const canRun = existsSync(CHROMIUM) || !!process.env.CI;

export type Harness = { database: Database; app: FastifyInstance; browser: Browser; base: string };

/** `clock`: a test clock the server reads (and the demo is seeded at); moving it forward moves the server's "now". */
export async function start(opts: { clock?: { now: Date } } = {}): Promise<Harness> {
  await buildWebIfStale();
  mkdirSync(shots, { recursive: true });
  const database = await templatePglite();
  const clock = opts.clock;
  await seedDemo(database.db, clock?.now);
  const app = await buildApp({ db: database.db, logLevel: 'warn', signInRateLimit: 1000, ...(clock ? { clock: () => clock.now } : {}) });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return { database, app, browser, base };
}

/**
 * Builds the console and the app when a source is newer than web/dist, one test file at a
 * time: the run's files start side by side (vitest.config.ts), and two builds writing
 * web/dist at once would leave it half written. Whoever comes second waits, then finds the
 * build fresh. The lock (mkdir is atomic) is this run's own, so one left behind by a run
 * that was killed never blocks the next.
 */
async function buildWebIfStale() {
  // beside the run's template (test/global-setup.ts wrote it there), named after it
  const lock = `${pgliteTemplateFile()}.build-web.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    execFileSync(process.execPath, ['scripts/build-web.mjs', '--if-stale'], { cwd: root, stdio: 'pipe' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function stop(h: Partial<Harness>) {
  await h.browser?.close();
  await h.app?.close();
  await h.database?.close();
}

/** Signs in and waits for the screen the account lands on (most roles: the patient search). */
export async function signIn(page: Page, base: string, email: string, landing = '/patients') {
  await page.goto(`${base}/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel(/^Password/).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}${landing}`);
}

export async function openFirstMatch(page: Page, query: string) {
  const search = page.getByRole('textbox', { name: 'Find a patient' });
  await expect.poll(() => search.evaluate((el) => el === document.activeElement)).toBe(true);
  await search.fill(query);
  await search.press('Enter');
  await page.locator('tr[data-openable]').first().waitFor();
  await search.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
}

/** Calls the API from the page, with its session and programme (what the console itself would see). */
export async function apiGet<T>(page: Page, path: string): Promise<T> {
  return page.evaluate(async (p) => {
    const res = await fetch(`/api/v1${p}`, { headers: { 'waypoint-program': localStorage.getItem('waypoint.programId') ?? '' } });
    return res.json();
  }, path) as Promise<T>;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
type AxeViolation = { id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> };

/**
 * Runs axe-core (WCAG 2 A and AA rules) on the page as it is now and fails with every
 * violation, each with the elements it found, when there is any. No network: the engine
 * comes from node_modules.
 *
 * axe measures colours as painted, so an element half way through a fade (a notification
 * appearing or closing) fails contrast against what is behind it. It runs once the page's
 * transitions have ended, and once more if it found anything: one that began while it ran
 * (a notification closing itself) has ended by then, and a real violation is still there.
 */
export async function expectNoAxeViolations(page: Page, where = page.url()) {
  // Evaluated through the DevTools protocol: the console's CSP (script-src 'self') refuses a script tag.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  let violations = await runAxe(page);
  if (violations.length > 0) violations = await runAxe(page);
  const report = violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n${v.nodes
        .slice(0, 5)
        .map((n) => `  ${JSON.stringify(n.target)} ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`)
        .join('\n')}${v.nodes.length > 5 ? `\n  … and ${v.nodes.length - 5} more` : ''}`,
  );
  expect(report, `axe violations on ${where}`).toEqual([]);
}

/**
 * Waits until the page's transitions and finite animations have ended (a loader's endless spin
 * does not count): a dialog that is still opening may not take a click yet on a busy machine.
 */
export async function transitionsEnded(page: Page) {
  await page.evaluate(async () => {
    const running = document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity);
    await Promise.all(running.map((a) => a.finished.catch(() => undefined)));
  });
}

/** axe's violations once no transition or finite animation runs. */
async function runAxe(page: Page): Promise<AxeViolation[]> {
  await transitionsEnded(page);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const res = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
}
