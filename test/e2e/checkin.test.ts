// End-to-end, the check-in screen in Chromium: the demo CM coordinator checks in a
// patient on a protocol with an attendance track and a dose track (the demo seed has
// none, so the test adds the protocol and the enrolments through the API), by keyboard
// and by a double click; the award and the next value appear in the row at once, and
// the API shows exactly one event and one earn entry per track.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiGet, canRun, expectNoAxeViolations, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('check-in e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

const escalating = (start: number, step: number, max: number, bonusEvery: number, bonus: number) => [
  { fromWeek: 1, toWeek: 12, escalation: { start, step, stepEvery: 1, max, bonusEvery, bonus, resetTo: 'start' } },
];

/** Attendance vouchers and dose-adherence vouchers in one protocol (fictional, for this test). */
const CHECK_IN_PROTOCOL = {
  id: 'e2e-check-in',
  version: 1,
  name: 'Check-in test: attendance and verified doses (fictional)',
  citation: 'Fictional test protocol modelled on the attendance-vouchers and medication-adherence presets.',
  description: 'Test only. Daily attendance and daily doses, escalating vouchers.',
  weeks: 12,
  caps: { fundingSource: 'samhsa', noCash: true, perYearCents: 75000 },
  tracks: [
    { id: 'attendance', name: 'Attended', target: { kind: 'attendance' }, payout: 'cents', phases: escalating(300, 100, 1000, 4, 500), missed: 'failure' },
    { id: 'dose-adherence', name: 'Verified dose taken', target: { kind: 'adherence', source: 'dose' }, payout: 'cents', phases: escalating(50, 25, 200, 7, 300), missed: 'failure' },
  ],
};

/** A write through the API from the page, with its session and programme. */
async function apiPost<T>(page: Page, path: string, body: unknown, key?: string): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ([p, b, k]) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'waypoint-program': localStorage.getItem('waypoint.programId') ?? '' };
      if (k) headers['idempotency-key'] = k;
      const res = await fetch(`/api/v1${p}`, { method: 'POST', headers, body: JSON.stringify(b) });
      return { status: res.status, body: await res.json() };
    },
    [path, body, key ?? null] as const,
  ) as Promise<{ status: number; body: T }>;
}

describe.skipIf(!canRun)('check-in (Chromium)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
  }, 120_000);
  afterAll(async () => stop(h ?? {}));

  it('attendance and a dose: keyboard and double click, award in the row, one event and one earn entry each', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page: Page = await context.newPage();
    const consoleMessages: string[] = [];
    page.on('console', (m) => consoleMessages.push(m.text()));
    const checkInPosts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/cm/check-ins')) checkInPosts.push(r.headers()['idempotency-key'] ?? '');
    });
    try {
      await signIn(page, h.base, 'cm@harbor.example');
      await expect.poll(() => page.getByRole('link', { name: 'Check-in' }).count()).toBe(1);

      // Set-up through the API: the protocol, and two patients without a CM enrolment.
      const me = await apiGet<{ programs: Array<{ id: string; timeZone: string }> }>(page, '/me');
      const programId = await page.evaluate(() => localStorage.getItem('waypoint.programId'));
      const tz = me.programs.find((p) => p.id === programId)!.timeZone;
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
      const protocol = await apiPost<{ id: string }>(page, '/cm/protocols', { document: CHECK_IN_PROTOCOL }, 'e2e-check-in-protocol');
      expect(protocol.status).toBe(200);
      const found = await apiPost<{ items: Array<{ id: string; legalGivenName: string; legalFamilyName: string }> }>(page, '/patients/search', { q: 'Demo', limit: 50 });
      expect(found.status).toBe(200);
      const free: string[] = [];
      for (const p of found.body.items) {
        const enr = await apiGet<{ items: Array<{ status: string }> }>(page, `/cm/patients/${p.id}/enrolments`);
        if (!enr.items.some((e) => e.status === 'active')) free.push(p.id);
        if (free.length === 2) break;
      }
      expect(free).toHaveLength(2);
      const [patientId, doseOnlyId] = free as [string, string];
      const every = [0, 1, 2, 3, 4, 5, 6];
      const both = await apiPost(
        page,
        '/cm/enrolments',
        {
          patientId,
          protocolId: protocol.body.id,
          startDate: today,
          fundingSourceId: 'samhsa-demo',
          calendar: { specimen: [], attendance: every, dose: every, windowStart: '00:00', windowEnd: '23:59' },
        },
        `e2e-enrol-${patientId}`,
      );
      expect(both.status).toBe(200);
      // the second patient: doses only (attendance not due today)
      const doseOnly = await apiPost(
        page,
        '/cm/enrolments',
        {
          patientId: doseOnlyId,
          protocolId: protocol.body.id,
          startDate: today,
          fundingSourceId: 'samhsa-demo',
          calendar: { specimen: [], attendance: [(new Date(`${today}T12:00:00Z`).getUTCDay() + 3) % 7], dose: every, windowStart: '00:00', windowEnd: '23:59' },
        },
        `e2e-enrol-${doseOnlyId}`,
      );
      expect(doseOnly.status).toBe(200);

      // The check-in screen, from the navigation.
      await page.getByRole('link', { name: 'Check-in' }).click();
      await page.waitForURL(`${h.base}/cm/check-in`);
      await page.getByRole('heading', { level: 1, name: 'Check-in' }).waitFor();
      expect(await page.getByText(/^Who can see this:/).count()).toBe(1);
      const row = page.locator(`tr[data-patient="${patientId}"]`);
      await row.waitFor();
      const other = page.locator(`tr[data-patient="${doseOnlyId}"]`);
      expect(await other.locator('[data-kind="attendance"]').textContent()).toContain('Not expected today');
      expect(await row.locator('[data-kind="attendance"]').textContent()).toContain('Today earns $3.00');

      // Keyboard: ↓/↑ reach the row, A records "attended".
      await expect.poll(() => page.evaluate(() => document.activeElement?.hasAttribute('data-row') ?? false)).toBe(true);
      await row.focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
      await row.focus();
      await page.keyboard.press('a');
      const attendance = row.getByTestId('done-attendance');
      await attendance.waitFor();
      expect(await attendance.textContent()).toContain('Attended');
      expect(await row.getByTestId('earned-attendance').textContent()).toBe('Earned $3.00');
      expect(await row.getByTestId('next-attendance').textContent()).toMatch(/\$4\.00/);
      // focus stays in the list (the row is not complete yet: its dose is still open)
      expect(await page.evaluate((id) => document.activeElement?.getAttribute('data-patient') === id, patientId)).toBe(true);
      await page.keyboard.press('a'); // again: nothing more is recorded

      // Double click on "Dose taken — observed": one dose, one award.
      await row.getByRole('button', { name: /Dose taken — observed/ }).dblclick();
      const dose = row.getByTestId('done-dose');
      await dose.waitFor();
      expect(await dose.textContent()).toContain('Dose taken (observed)');
      expect(await row.getByTestId('earned-dose').textContent()).toBe('Earned $0.50');
      expect(await row.getByTestId('next-dose').textContent()).toMatch(/\$0\.75/);
      expect(await row.getByTestId('row-balance').textContent()).toBe('$3.50');
      await expect.poll(() => page.getByTestId('progress').textContent()).toBe('1 of 2 checked in');
      await expect.poll(() => page.getByTestId('check-in-announce').textContent()).toMatch(/Dose taken \(observed\)\. Earned \$0\.50/);
      await page.mouse.move(0, 0);
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${shots}/cm-checkin.png`, fullPage: true });
      await expectNoAxeViolations(page, 'check-in');

      // Each action its own key; no action sent twice with different keys.
      expect(checkInPosts.length).toBeGreaterThanOrEqual(2);
      expect(new Set(checkInPosts).size).toBe(2);

      // Through the API: exactly one event and one earn entry per track.
      const ledger = await apiGet<{ items: Array<{ kind: string; track: string | null; eventId: string | null; cents: number }> }>(page, `/patients/${patientId}/ledger`);
      const earns = ledger.items.filter((e) => e.kind === 'earn');
      expect(earns.map((e) => `${e.track}:${e.cents}`).sort()).toEqual(['attendance:300', 'dose-adherence:50']);
      expect(new Set(earns.map((e) => e.eventId)).size).toBe(2);
      const list = await apiGet<{ items: Array<{ patientId: string; recorded: Array<{ kind: string; eventId: string }> }> }>(page, `/cm/check-ins?date=${today}`);
      const recorded = list.items.find((i) => i.patientId === patientId)!.recorded;
      expect(recorded.map((r) => r.kind).sort()).toEqual(['attendance', 'dose']);
      expect(new Set(recorded.map((r) => r.eventId))).toEqual(new Set(earns.map((e) => e.eventId)));

      // A reload keeps the done state (symbol and words).
      await page.reload();
      await row.waitFor();
      expect(await row.locator('[data-kind="attendance"]').textContent()).toContain('Recorded today');
      expect(await row.locator('[data-kind="dose"]').textContent()).toContain('Recorded today');
      expect(await row.getByRole('button').count()).toBe(0);

      expect(consoleMessages.join('\n')).not.toMatch(/Demo,/);
    } finally {
      await context.close();
    }
  }, 180_000);
});
