// End-to-end, contingency management in Chromium: the demo CM coordinator enrols a demo
// patient, records a negative cup on the test-day screen, sees the award at once, runs
// the draw on the draw screen (which cannot re-roll), redeems an item, and the ledger and
// the stock are right in the console and through the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiGet, canRun, expectNoAxeViolations, openFirstMatch, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('cm e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

describe.skipIf(!canRun)('contingency management (Chromium)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
  }, 120_000);
  afterAll(async () => stop(h ?? {}));

  it('enrol → negative cup → award → draw → redeem → ledger and stock → correction form → void', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page: Page = await context.newPage();
    const consoleMessages: string[] = [];
    page.on('console', (m) => consoleMessages.push(m.text()));
    try {
      await signIn(page, h.base, 'cm@harbor.example');
      await expect.poll(() => page.getByRole('link', { name: 'Test day' }).count()).toBe(1);
      await openFirstMatch(page, 'Umber Demo');
      const patientId = page.url().split('/').pop()!;

      // Enrol on the demo protocol, every day of the week, a window covering the whole day.
      await page.getByRole('tab', { name: 'Contingency management' }).click();
      const enrolments = page.getByTestId('cm-enrolments');
      await enrolments.getByRole('button', { name: 'Enrol', exact: true }).click();
      const protocol = enrolments.getByLabel('Protocol version');
      await expect.poll(() => protocol.locator('option').count()).toBeGreaterThan(1);
      const demoValue = await protocol.locator('option', { hasText: 'Harbor demo' }).getAttribute('value');
      await protocol.selectOption(demoValue!);
      await enrolments.getByLabel('Funding source').selectOption('samhsa-demo');
      await enrolments.getByLabel('Window opens').fill('00:00');
      await enrolments.getByLabel('Window closes').fill('23:59');
      const specimenDays = enrolments.getByRole('group', { name: 'Urine test days' });
      for (const cb of await specimenDays.getByRole('checkbox').all()) {
        if (!(await cb.isChecked())) await specimenDays.locator(`label[for="${await cb.getAttribute('id')}"]`).click();
      }
      await expect.poll(() => specimenDays.locator('input:checked').count()).toBe(7);
      await enrolments.getByRole('button', { name: 'Enrol in contingency management' }).click();
      await page.getByTestId('cm-overview').waitFor();
      await page.screenshot({ path: `${shots}/cm-enrolled.png`, fullPage: true });
      await expectNoAxeViolations(page, 'patient: contingency management tab');

      // Test day: the patient's cup opens; all negative by keyboard; save.
      await page.getByRole('button', { name: 'Record a cup' }).click();
      await page.waitForURL(`${h.base}/cm/test-day`);
      const cup = page.getByTestId('cup');
      await cup.waitFor();
      await expectNoAxeViolations(page, 'test day: the cup form');
      const isFocused = (l: ReturnType<Page['getByLabel']>) => l.evaluate((el) => el === document.activeElement);
      // Enter in a number field moves to the next field; it does not save a half-filled cup.
      const temperature = cup.getByLabel('Temperature (°C)');
      await temperature.fill('34');
      await temperature.press('Enter');
      await expect.poll(() => isFocused(cup.getByLabel('Creatinine (mg/dL)'))).toBe(true);
      await page.keyboard.press('Enter');
      await expect.poll(() => isFocused(cup.getByLabel('Specific gravity'))).toBe(true);
      expect(await page.getByTestId('award').count()).toBe(0);
      await cup.getByRole('heading', { level: 2 }).click();
      await page.keyboard.press('n'); // N: every analyte negative
      await expect.poll(() => cup.locator('[data-analyte="cocaine"] input[value="negative"]').isChecked()).toBe(true);
      // Ctrl+Enter saves from a field; a refused save puts the focus on the first field in
      // error, scrolled into view, with the server's message beside it.
      const lot = cup.getByLabel('Lot');
      await cup.getByLabel('Brand').fill('E2E cups');
      await lot.fill('L'.repeat(41));
      await cup.getByLabel('Expiry').fill('2099-12-31');
      await page.evaluate(() => window.scrollTo(0, 0));
      await cup.getByLabel('Brand').press('Control+Enter');
      await expect.poll(() => lot.getAttribute('aria-invalid')).toBe('true');
      await expect.poll(() => isFocused(lot)).toBe(true);
      expect(
        await lot.evaluate((el) => {
          const r = el.getBoundingClientRect();
          return r.top >= 0 && r.bottom <= window.innerHeight;
        }),
      ).toBe(true);
      // the server says why (too_long, 40) and the console words it in its language, beside the field
      const messageOf = (field: typeof lot) =>
        field.evaluate((el) =>
          (el.getAttribute('aria-describedby') ?? '')
            .split(' ')
            .map((id) => document.getElementById(id)?.textContent ?? '')
            .join(' '),
        );
      expect(await messageOf(lot)).toContain('Use at most 40 characters.');
      expect(await cup.getByRole('alert').textContent()).toContain('Some fields need a fix. lot: Use at most 40 characters.');
      await expectNoAxeViolations(page, 'test day: the cup form with an error');
      const lotById = page.locator(`[id="${await lot.getAttribute('id')}"]`);
      const language = async (name: 'Español' | 'English') => {
        await page.getByRole('button', { name: /Morgan Coordinator/ }).click();
        await page.getByRole('menuitem', { name }).click();
        await page.getByRole('menu').waitFor({ state: 'detached' });
      };
      await language('Español');
      await lotById.press('Control+Enter');
      await expect.poll(() => messageOf(lotById)).toContain('Use como máximo 40 caracteres.');
      expect(await cup.getByRole('alert').textContent()).toContain('Hay campos que corregir. lot: Use como máximo 40 caracteres.');
      await page.screenshot({ path: `${shots}/cm-cup-error-es.png`, fullPage: true });
      await language('English');
      await expect.poll(() => messageOf(lotById)).toContain('Use at most 40 characters.');
      expect(await page.getByTestId('award').count()).toBe(0);
      await lot.fill('LOT-E2E-1');
      await page.screenshot({ path: `${shots}/cm-cup.png`, fullPage: true });
      const save = cup.getByRole('button', { name: 'Save and show the award' });
      await save.dblclick(); // a double click cannot pay twice
      const award = page.getByTestId('award');
      await award.waitFor();
      expect(await page.getByTestId('earned').textContent()).toContain('$3.00');
      expect(await page.getByTestId('earned').textContent()).toContain('1 draw');
      // the prize is not told before the draw screen: vouchers apart, balance without it
      expect(await page.getByTestId('earned-vouchers').textContent()).toContain('$3.00');
      expect(await page.getByTestId('balance').textContent()).toBe('$3.00');
      expect(await page.getByTestId('next-value').textContent()).toMatch(/\$3\.50/);
      await page.screenshot({ path: `${shots}/cm-award.png`, fullPage: true });
      await expectNoAxeViolations(page, 'test day: the award');
      const ledgerAfterCup = await apiGet<{ balanceCents: number; unshownDraws: number; items: Array<{ kind: string; cents: number | null; tier: string | null; hidden: boolean }> }>(
        page,
        `/patients/${patientId}/ledger`,
      );
      expect(ledgerAfterCup.items.filter((e) => e.kind === 'earn')).toHaveLength(1);
      expect(ledgerAfterCup.items.filter((e) => e.kind === 'prize')).toHaveLength(1);
      // nor does the ledger: the prize is hidden and out of the balance until the draw is shown
      expect(ledgerAfterCup.items.find((e) => e.kind === 'prize')).toMatchObject({ hidden: true, cents: null, tier: null });
      expect(ledgerAfterCup).toMatchObject({ balanceCents: 300, unshownDraws: 1 });

      // The draw screen: shows the commitment, draws once, the button disappears; a reload shows the result.
      await award.getByRole('button', { name: /Go to the draw/ }).click();
      await page.waitForURL(/\/cm\/draw\/[0-9a-f-]{36}$/);
      expect((await page.getByTestId('commitment').textContent())!).toMatch(/^[0-9a-f]{64}$/);
      // keyboard first: the screen opens with the Draw button focused, Enter draws
      const drawButton = page.getByRole('button', { name: 'Draw', exact: true });
      await expect.poll(() => drawButton.evaluate((el) => el === document.activeElement)).toBe(true);
      await page.keyboard.press('Enter');
      await page.getByTestId('draw-result').getByText('Draw 1').waitFor();
      await expect.poll(() => page.getByRole('button', { name: 'Draw', exact: true }).count()).toBe(0);
      // the last draw shown: the focus moves to "Next patient"
      await expect.poll(() => page.getByTestId('next-patient').evaluate((el) => el === document.activeElement)).toBe(true);
      await page.waitForTimeout(1000);
      await page.screenshot({ path: `${shots}/cm-draw.png`, fullPage: true });
      await expectNoAxeViolations(page, 'the draw screen');
      await page.reload();
      await page.getByTestId('draw-history').waitFor();
      expect(await page.getByRole('button', { name: 'Draw', exact: true }).count()).toBe(0);
      expect(await page.getByTestId('undrawn').textContent()).toContain('All draws shown');
      const draws = await apiGet<{ items: Array<{ n: number; revealed: boolean; valueCents: number }> }>(page, `/cm/enrolments/${page.url().split('/').pop()}/draws`);
      expect(draws.items).toHaveLength(1);
      expect(draws.items[0]!.revealed).toBe(true);
      const prizeCents = draws.items[0]!.valueCents;
      // "Next patient" goes back to the test-day queue
      const drawUrl = page.url();
      await page.getByRole('button', { name: 'Next patient' }).click();
      await page.waitForURL(`${h.base}/cm/test-day`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      await expectNoAxeViolations(page, 'test day: the queue');
      await page.goto(drawUrl);
      await page.getByTestId('draw-history').waitFor();

      // Redeem a $3 bus pass from the voucher balance, with the patient's acknowledgement.
      await page.getByRole('link', { name: 'Back to the patient' }).click();
      await page.getByTestId('cm-redeem').waitFor();
      const redeem = page.getByTestId('cm-redeem');
      const itemSelect = redeem.getByLabel('Item', { exact: true });
      const busValue = await itemSelect.locator('option', { hasText: 'Bus pass' }).getAttribute('value');
      await itemSelect.selectOption(busValue!);
      await redeem.getByLabel('The patient acknowledges receiving this item').check();
      await redeem.getByRole('button', { name: 'Redeem', exact: true }).click();
      await redeem.getByTestId('redemptions').getByText('Completed').waitFor();

      // The ledger in the console and through the API; the stock in the catalogue and through the API.
      const ledgerTable = page.getByTestId('ledger-table');
      await ledgerTable.locator('tr[data-kind="redemption"]').waitFor();
      expect(await ledgerTable.locator('tr[data-kind="earn"]').count()).toBe(1);
      expect(await ledgerTable.locator('tr[data-kind="prize"]').count()).toBe(1);
      const ledger = await apiGet<{ balanceCents: number; items: Array<{ kind: string; cents: number }> }>(page, `/patients/${patientId}/ledger`);
      expect(ledger.items.map((e) => e.kind).sort()).toEqual(['earn', 'prize', 'redemption']);
      expect(ledger.items.find((e) => e.kind === 'redemption')!.cents).toBe(300);
      expect(ledger.balanceCents).toBe(300 + prizeCents - 300);
      await expect.poll(async () => page.getByTestId('cm-balance').textContent()).toBe(`$${(ledger.balanceCents / 100).toFixed(2)}`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${shots}/cm-patient.png`, fullPage: true });
      await expectNoAxeViolations(page, 'patient: contingency management after a redemption');

      // The correction form starts from the cup as recorded (GET /specimens/{id}).
      const calendar = page.getByTestId('cm-calendar');
      await calendar.getByText('Table', { exact: true }).click();
      await calendar
        .getByRole('button', { name: /^Correct the test of/ })
        .first()
        .click();
      const original = page.getByTestId('correction-original');
      await original.waitFor();
      expect(await original.textContent()).toContain('34 °C');
      await expect.poll(() => page.locator('[data-testid="correction-table"] tr[data-analyte="cocaine"] [data-testid="recorded"]').textContent()).toBe('Negative');
      await expectNoAxeViolations(page, 'the correction form');
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

      // Void the prize entry with a reason: a new void entry, the prize marked, the balance without it.
      const prizeRow = ledgerTable.locator('tr[data-kind="prize"]');
      await prizeRow.getByRole('button', { name: /^Void entry/ }).click();
      const voidDialog = page.getByRole('dialog');
      await voidDialog.getByLabel(/Why is this entry void/).fill('Drawn for the wrong visit (e2e)');
      await voidDialog.getByRole('button', { name: 'Void the entry' }).click();
      await ledgerTable.locator('tr[data-kind="void"]').waitFor();
      expect(await ledgerTable.locator('tr[data-kind="void"]').textContent()).toContain('Drawn for the wrong visit (e2e)');
      expect(await ledgerTable.locator('tr[data-kind="prize"]').getAttribute('data-voided')).toBe('true');
      const afterVoid = await apiGet<{ balanceCents: number; items: Array<{ kind: string; reason: string | null; voided?: boolean }> }>(page, `/patients/${patientId}/ledger`);
      expect(afterVoid.balanceCents).toBe(0);
      expect(afterVoid.items.find((e) => e.kind === 'prize')!.voided).toBe(true);
      await expect.poll(async () => page.getByTestId('cm-balance').textContent()).toBe('$0.00');
      // a redemption cannot be voided: no action on its row
      expect(
        await ledgerTable
          .locator('tr[data-kind="redemption"]')
          .getByRole('button', { name: /^Void entry/ })
          .count(),
      ).toBe(0);
      await page.screenshot({ path: `${shots}/cm-ledger-void.png`, fullPage: true });

      const catalogue = await apiGet<{ items: Array<{ name: string; stock: number }> }>(page, '/cm/catalogue');
      // 20 in the demo catalogue: one redeemed by the demo's HSC-0002, one here
      expect(catalogue.items.find((i) => i.name.startsWith('Bus pass'))!.stock).toBe(18);
      await page.getByRole('link', { name: 'Contingency management' }).click();
      await page.getByRole('tab', { name: 'Catalogue and stock' }).click();
      expect(await page.locator('tr[data-item^="Bus pass"] [data-testid="stock"]').textContent()).toMatch(/^18/);
      await page.screenshot({ path: `${shots}/cm-catalogue.png`, fullPage: true });
      // the coordinator changes the headphones' Spanish name and stops offering them
      const headphones = page.locator('tr[data-item^="Headphones"]');
      await headphones.getByText('Audífonos (demo)').waitFor();
      await headphones.getByRole('button', { name: /^Edit Headphones/ }).click();
      const edit = page.getByRole('dialog', { name: /Edit Headphones/ });
      expect(await edit.getByLabel('Name in English').inputValue()).toBe('Headphones (demo)');
      await edit.getByLabel('Name in Spanish').fill('Auriculares (demo)');
      await edit.getByLabel('Offered').uncheck();
      await expectNoAxeViolations(page, 'catalogue: edit an item');
      await page.screenshot({ path: `${shots}/cm-catalogue-edit.png` });
      await edit.getByRole('button', { name: 'Save' }).click();
      await edit.waitFor({ state: 'detached' });
      await headphones.getByText('Auriculares (demo)').waitFor();
      await headphones.getByText('Not offered').waitFor();
      const edited = await apiGet<{ items: Array<{ name: string; nameEs: string | null; active: boolean }> }>(page, '/cm/catalogue');
      expect(edited.items.find((i) => i.name.startsWith('Headphones'))).toMatchObject({ nameEs: 'Auriculares (demo)', active: false });
      await page.getByRole('tab', { name: 'Overview' }).click();
      await page.getByTestId('negative-chart').waitFor();
      await page.waitForTimeout(500);
      await page.screenshot({ path: `${shots}/cm-programme.png`, fullPage: true });
      // Every tab of the programme's CM page.
      for (const tab of await page.getByRole('tab').all()) {
        const name = (await tab.textContent()) ?? '';
        await tab.click();
        await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
        await page.waitForLoadState('networkidle');
        await expectNoAxeViolations(page, `CM programme: ${name}`);
      }

      expect(consoleMessages.join('\n')).not.toMatch(/Umber|Demo,/);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('results in effect: a prescriber reads the Screens tab (grid and text table); a cup the laboratory turns positive shows as positive, paid and kept apart, and the ledger explains it', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page: Page = await context.newPage();
    try {
      // a prescriber (not a CM role) reads screens: a patient not in CM, with monthly cups, one not valid
      await signIn(page, h.base, 'prescriber@harbor.example');
      await openFirstMatch(page, 'HSC-0008');
      const notInCm = page.url().split('/').pop()!;
      await page.getByRole('tab', { name: 'Screens' }).click();
      const grid = page.getByTestId('screens-grid');
      await grid.waitFor();
      const api = await apiGet<{ items: Array<{ id: string; valid: boolean; results: Array<{ analyte: string; result: string; prescribed: boolean }> }> }>(page, `/patients/${notInCm}/screens`);
      expect(api.items.length).toBeGreaterThanOrEqual(4);
      // one column per screen, one row per substance; the cold cup is marked not valid
      expect(await grid.locator('thead th[data-screen]').count()).toBe(api.items.length);
      expect(await grid.locator('thead th[data-valid="false"]').count()).toBe(api.items.filter((x) => !x.valid).length);
      expect(await grid.locator('thead th[data-valid="false"]').first().textContent()).toContain('Not valid');
      // every cell has its meaning in words (not colour alone)
      const fentanyl = grid.locator('tr[data-analyte="fentanyl"] td').first();
      expect(await fentanyl.locator('.sr-only').textContent()).toMatch(/^(Negative|Positive|Unclear|Positive, prescribed medication)/);
      const rx = api.items.flatMap((x) => x.results).some((r) => r.result === 'positive' && r.prescribed);
      if (rx) expect(await grid.locator('td[data-mark="prescribed"]').count()).toBeGreaterThan(0);
      await page.screenshot({ path: `${shots}/screens-grid.png`, fullPage: true });
      // the same data as a text table
      const screensSection = page.getByTestId('screens');
      await screensSection.getByText('Table', { exact: true }).click();
      const table = page.getByTestId('screens-table');
      await table.waitFor();
      expect(await table.locator('tbody tr').count()).toBe(api.items.length);
      expect(await table.textContent()).toContain('Not valid: does not count');
      await page.screenshot({ path: `${shots}/screens-table.png`, fullPage: true });

      // a CM patient with paid negative cups: the coordinator enters a laboratory result that turns one positive
      await context.clearCookies();
      await signIn(page, h.base, 'cm@harbor.example');
      await openFirstMatch(page, 'HSC-0002');
      const patientId = page.url().split('/').pop()!;
      await page.getByRole('tab', { name: 'Contingency management' }).click();
      const cal = page.getByTestId('cm-calendar');
      await cal.getByText('Table', { exact: true }).click();
      await cal
        .getByRole('button', { name: /^Correct the test of/ })
        .first()
        .click();
      const dialog = page.getByRole('dialog');
      await expect.poll(() => page.locator('[data-testid="correction-table"] tr[data-analyte="cocaine"] [data-testid="effective"]').textContent()).toBe('Negative');
      await dialog.locator('tr[data-analyte="cocaine"]').getByText('+ Positive').click();
      await dialog.getByLabel('Laboratory').fill('Harbor Reference Lab (e2e)');
      await dialog.getByLabel(/^Reason/).fill('LC-MS/MS confirmation (e2e)');
      await dialog.getByRole('button', { name: 'Save correction' }).click();
      await dialog.waitFor({ state: 'detached' });

      await page.getByRole('tab', { name: 'Screens' }).click();
      const corrected = page.locator('[data-testid="screens-grid"] tr[data-analyte="cocaine"] td[data-corrected="true"]');
      await corrected.waitFor();
      expect(await corrected.getAttribute('data-mark')).toBe('positive');
      expect(await corrected.locator('.sr-only').textContent()).toBe('Positive, corrected by the lab');
      await page.screenshot({ path: `${shots}/screens-corrected.png`, fullPage: true });

      await page.getByRole('tab', { name: 'Contingency management' }).click();
      const summary = await apiGet<{
        calendar: Array<{ date: string; status: string; cents: number; keptCents: number; eventId: string | null }>;
        money: { paidCents: number; spentCents: number; balanceCents: number; keptCents: number };
      }>(page, `/cm/patients/${patientId}/summary`);
      const cell = summary.calendar.find((c) => c.keptCents > 0)!;
      expect(cell).toMatchObject({ status: 'positive' });
      expect(summary.calendar.every((c) => c.cents >= 0)).toBe(true);
      expect(summary.money.paidCents - summary.money.spentCents).toBe(summary.money.balanceCents);
      const dollars = (c: number) => `$${(c / 100).toFixed(2)}`;
      // the overview adds up: paid − spent = balance, and says what is kept — as the ledger tells it
      // (the prizes of draws not shown yet left out)
      const shownMoney = (await apiGet<{ totals: { paidCents: number; spentCents: number; balanceCents: number; keptCents: number } }>(page, `/patients/${patientId}/ledger`)).totals;
      expect(shownMoney.paidCents - shownMoney.spentCents).toBe(shownMoney.balanceCents);
      const money = page.getByTestId('cm-money');
      await money.waitFor();
      expect(await money.textContent()).toContain(`Paid to you ${dollars(shownMoney.paidCents)} − spent ${dollars(shownMoney.spentCents)} = balance ${dollars(shownMoney.balanceCents)}`);
      expect(await page.getByTestId('cm-money-kept').textContent()).toContain(`This includes ${dollars(shownMoney.keptCents)} you keep`);
      // the calendar reads the result in effect: positive, with its paid and kept money apart (never a negative payment)
      const calendar = page.getByTestId('cm-calendar');
      const label = await calendar.locator(`[data-status="positive"]`).first().getAttribute('aria-label');
      expect(label).toContain('Positive');
      expect(label).toContain(`you keep ${dollars(cell.keptCents)}`);
      await page.getByTestId('cm-overview').screenshot({ path: `${shots}/cm-overview-money.png` });
      await calendar.screenshot({ path: `${shots}/cm-calendar-in-effect.png` });
      await calendar.getByText('Table', { exact: true }).click();
      const calRows = page.getByTestId('cm-calendar-table').locator('tbody tr');
      await calRows.first().waitFor();
      expect(await page.getByTestId('cm-calendar-table').textContent()).not.toMatch(/-\$|−\$/);
      // the ledger explains the memo in plain words: kept, not paid; the balance does not move
      const ledgerTable = page.getByTestId('ledger-table');
      const memo = ledgerTable.locator(`tr[data-kind="forgiven"][data-opportunity="${cell.date}"]`).filter({ hasText: 'You keep this $' }).first();
      await memo.waitFor();
      expect(await memo.getByTestId('explain').textContent()).toContain(`You keep this ${dollars(cell.keptCents)}: a test result changed after you were paid.`);
      expect(await memo.getByTestId('kept').textContent()).toBe(dollars(cell.keptCents));
      expect(await memo.getByTestId('paid').textContent()).toBe('');
      expect(await page.getByTestId('ledger-totals').textContent()).toContain(`= balance ${dollars(shownMoney.balanceCents)}`);
      await calendar.screenshot({ path: `${shots}/cm-calendar-table-in-effect.png` });
      await page.setViewportSize({ width: 1366, height: 4000 }); // the whole ledger in view: no sticky header over its column heads
      await page.getByTestId('cm-ledger').screenshot({ path: `${shots}/cm-ledger-explained.png` });
    } finally {
      await context.close();
    }
  }, 180_000);
});
