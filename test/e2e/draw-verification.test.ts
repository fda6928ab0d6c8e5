// End-to-end, the draw screen by keyboard and the public verification page in Chromium:
// the screen opens with the Draw button focused, Enter draws, the focus comes back to the
// Draw button after each draw and goes to "Next patient" after the last, which returns to
// the test-day queue. The commitment's public page needs no sign-in, explains the
// commitment in plain words, lists the programme's seeds, re-makes a draw in the browser
// and links the raw JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { canRun, expectNoAxeViolations, shots, signIn, start, stop, type Harness } from './helpers.ts';
import { rotateSeed } from '../../server/modules/cm/ledger.ts';
import { systemCtx } from '../../server/platform/http/context.ts';
import { inTransaction } from '../../server/platform/db/database.ts';

if (!canRun) console.warn('draw verification e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

const focused = (page: Page, testIdOrName: { testId?: string; name?: string }) =>
  (testIdOrName.testId ? page.getByTestId(testIdOrName.testId) : page.getByRole('button', { name: testIdOrName.name!, exact: true })).evaluate((el) => el === document.activeElement);

describe.skipIf(!canRun)('draw screen and public verification (Chromium)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
  }, 120_000);
  afterAll(async () => stop(h ?? {}));

  it('draws by keyboard: Draw focused on opening and after each draw, then "Next patient" → the test-day queue', async () => {
    // a demo enrolment with at least two draws not shown yet
    const [row] = await h.database.query<{ enrolment_id: string; waiting: string | number }>(`
      select l.enrolment_id, count(*) as waiting from cm_ledger_entries l
      where l.kind = 'prize' and not exists (select 1 from cm_draw_reveals d where d.enrolment_id = l.enrolment_id and d.n = l.n)
        and not exists (select 1 from cm_ledger_entries v where v.enrolment_id = l.enrolment_id and v.kind = 'void' and v.voids_key = l.entry_key)
      group by l.enrolment_id having count(*) >= 2 order by 2 limit 1`);
    expect(row, 'the demo has an enrolment with two draws waiting').toBeDefined();
    const context = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    try {
      await signIn(page, h.base, 'cm@harbor.example');
      await page.goto(`${h.base}/cm/draw/${row!.enrolment_id}`);
      await page.getByRole('button', { name: 'Draw', exact: true }).waitFor();
      await expect.poll(() => focused(page, { name: 'Draw' })).toBe(true);
      await page.screenshot({ path: `${shots}/draw-screen-open.png`, fullPage: true });
      await expectNoAxeViolations(page, 'the draw screen');
      await page.keyboard.press('Enter');
      await page
        .getByTestId('draw-result')
        .getByText(/^Draw \d+$/)
        .waitFor();
      // more to draw: the focus is back on Draw, so Enter draws the next one
      await expect.poll(() => focused(page, { name: 'Draw' })).toBe(true);
      for (let i = 0; i < 50 && (await page.getByRole('button', { name: 'Draw', exact: true }).count()) > 0; i++) {
        await expect.poll(() => focused(page, { name: 'Draw' })).toBe(true);
        await page.keyboard.press('Enter');
        await page.waitForTimeout(300);
      }
      await expect.poll(() => page.getByTestId('undrawn').textContent()).toContain('All draws shown');
      await expect.poll(() => focused(page, { testId: 'next-patient' })).toBe(true);
      await page.screenshot({ path: `${shots}/draw-screen-done.png`, fullPage: true });
      await page.keyboard.press('Enter');
      await page.waitForURL(`${h.base}/cm/test-day`);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('the public page of a commitment: plain words, seeds, a draw re-made in the browser, the JSON one click away', async () => {
    const [seed] = await h.database.query<{ program_id: string; org_id: string; commitment: string }>(`
      select s.program_id, p.org_id, s.commitment from cm_seeds s join programs p on p.id = s.program_id
      where s.retired_at is null and exists (select 1 from cm_ledger_entries l where l.seed_id = s.id and l.kind = 'prize') limit 1`);
    expect(seed, 'a demo seed with draws').toBeDefined();
    const context = await h.browser.newContext({ viewport: { width: 1366, height: 900 } }); // nobody signed in
    const page = await context.newPage();
    try {
      // before the seed is revealed: what a commitment is, and that its draws can be checked later
      await page.goto(`${h.base}/verify/${seed!.commitment}`);
      await page.getByTestId('verify-commitment').waitFor();
      expect(page.url()).toBe(`${h.base}/verify/${seed!.commitment}`); // no sign-in asked
      expect(await page.getByTestId('verify-explain').textContent()).toContain('fingerprint');
      expect(await page.getByTestId('verify-commitment').textContent()).toContain('seed not revealed yet');
      expect(await page.getByTestId('verify-check').count()).toBe(0);
      await page.screenshot({ path: `${shots}/verify-in-use.png`, fullPage: true });
      await expectNoAxeViolations(page, 'public verification (seed in use)');

      // the programme retires and reveals the seed
      await inTransaction(h.database.db, (tx) => rotateSeed(tx, systemCtx({ orgId: seed!.org_id, programId: seed!.program_id, now: new Date() })));
      await page.reload();
      await page.getByTestId('verify-seed').waitFor();
      await expect.poll(() => page.getByTestId('verify-fingerprint').textContent()).toContain('is the commitment above');
      // the programme's seeds: the new one in use, this one revealed
      const seeds = page.getByTestId('verify-seeds');
      expect(await seeds.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
      expect(await seeds.locator('tr[aria-current="page"]').textContent()).toContain('Revealed');
      // re-make the first draw in the browser: it matches the record
      const firstDraw = page.getByTestId('verify-draws').locator('tbody tr').first();
      await firstDraw.getByRole('button', { name: /^Check draw/ }).click();
      await expect.poll(() => page.getByTestId('verify-result').textContent()).toContain('The draw matches the programme’s record');
      expect(await page.getByTestId('verify-result').textContent()).toMatch(/slip \d+ of \d+/);
      // a draw that was not made: said so
      await page.getByLabel('Draw number').fill('9999');
      await page.getByRole('button', { name: 'Check', exact: true }).click();
      await expect.poll(() => page.getByTestId('verify-result').textContent()).toContain('No draw number 9999');
      await page.screenshot({ path: `${shots}/verify-revealed.png`, fullPage: true });
      await expectNoAxeViolations(page, 'public verification (seed revealed)');
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${shots}/verify-revealed-top.png` });
      // the raw JSON, for machines, one click away and unchanged
      expect(await page.getByTestId('verify-json').getAttribute('href')).toBe(`/api/v1/public/draw-verification/${seed!.commitment}`);
      await page.getByTestId('verify-json').click();
      await page.waitForURL(`${h.base}/api/v1/public/draw-verification/${seed!.commitment}`);
      const json = JSON.parse((await page.locator('body').textContent())!) as { revealed: boolean; draws: unknown[] };
      expect(json.revealed).toBe(true);
      expect(json.draws.length).toBeGreaterThan(0);
      // in Spanish too
      await page.goBack();
      await page.getByRole('button', { name: 'Español' }).click();
      await page.getByRole('heading', { name: 'Comprobar los sorteos de premios' }).waitFor();
      await page.screenshot({ path: `${shots}/verify-revealed-es.png`, fullPage: true });
      await expectNoAxeViolations(page, 'public verification in Spanish');
    } finally {
      await context.close();
    }
  }, 180_000);
});
