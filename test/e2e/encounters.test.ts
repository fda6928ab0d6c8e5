// End-to-end, encounters in Chromium (issue 14): the counsellor schedules a weekly CBT group
// for ten people in the console, the front desk checks all ten in on the day's schedule, the
// counsellor records everyone's attendance in one save (two members on an attendance
// protocol earn at once), signs the group note's shared part and writes one member's SUD
// counselling note kept apart; another counsellor sees the group note and not that one.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createUserWithRoles } from '../../server/modules/programs/bootstrap.ts';
import { programs } from '../../server/modules/programs/programs.tables.ts';
import { DEMO_PASSWORD } from '../../server/modules/demo/seed.ts';
import { inTransaction } from '../../server/platform/db/database.ts';
import { apiGet, canRun, expectNoAxeViolations, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('encounters e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

/** Attendance vouchers only (fictional, for this test): $3 for an attended session. */
const ATTENDANCE_PROTOCOL = {
  id: 'e2e-attendance',
  version: 1,
  name: 'Encounters test: attendance vouchers (fictional)',
  citation: 'Fictional test protocol modelled on the attendance-vouchers preset.',
  weeks: 12,
  tracks: [
    { id: 'attendance', name: 'Attended', target: { kind: 'attendance' }, payout: 'cents', phases: [{ fromWeek: 1, toWeek: 12, escalation: { start: 300, step: 100, max: 1000 } }], missed: 'failure' },
  ],
};

async function apiPost<T>(page: Page, path: string, body: unknown): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ([p, b]) => {
      const res = await fetch(`/api/v1${p}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'waypoint-program': localStorage.getItem('waypoint.programId') ?? '' },
        body: JSON.stringify(b),
      });
      return { status: res.status, body: await res.json() };
    },
    [path, body] as const,
  ) as Promise<{ status: number; body: T }>;
}

describe.skipIf(!canRun)('encounters (Chromium)', () => {
  let h: Harness;
  const secondCounsellor = `counsellor2-${randomUUID().slice(0, 6)}@harbor.example`;
  beforeAll(async () => {
    h = await start();
    await inTransaction(h.database.db, async (tx) => {
      const [p] = await tx.select().from(programs).limit(1);
      await createUserWithRoles(tx, {
        orgId: p!.orgId,
        email: secondCounsellor,
        displayName: 'Drew Counsellor (demo)',
        password: DEMO_PASSWORD,
        roles: [{ programId: p!.id, role: 'counsellor' }],
        now: new Date(),
        checkPassword: false,
      });
    });
  }, 120_000);
  afterAll(async () => stop(h ?? {}));

  it('weekly group → ten checked in → attendance in one save with CM awards → group note signed → a counselling note kept apart from another counsellor', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    try {
      await signIn(page, h.base, 'counsellor@harbor.example');
      const me = await apiGet<{ programs: Array<{ id: string; timeZone: string }> }>(page, '/me');
      const programId = await page.evaluate(() => localStorage.getItem('waypoint.programId'));
      const tz = me.programs.find((p) => p.id === programId)!.timeZone;
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

      // ten people for the group, the last ones by MRN; two of them on an attendance protocol
      const found = await apiPost<{ items: Array<{ id: string; mrn: string }> }>(page, '/patients/search', { limit: 100 });
      const members = found.body.items.sort((a, b) => b.mrn.localeCompare(a.mrn)).slice(0, 10);
      const coord = await context.browser()!.newContext();
      const cmPage = await coord.newPage();
      await signIn(cmPage, h.base, 'cm@harbor.example');
      const protocol = await apiPost<{ id: string }>(cmPage, '/cm/protocols', { document: ATTENDANCE_PROTOCOL });
      expect(protocol.status).toBe(200);
      const earners: string[] = [];
      for (const m of members) {
        if (earners.length === 2) break;
        const e = await apiPost(cmPage, '/cm/enrolments', {
          patientId: m.id,
          protocolId: protocol.body.id,
          startDate: today,
          calendar: { specimen: [], attendance: [0, 1, 2, 3, 4, 5, 6], dose: [], windowStart: '00:00', windowEnd: '23:59' },
        });
        if (e.status === 200) earners.push(m.id);
      }
      expect(earners).toHaveLength(2);
      await coord.close();

      // 1. the counsellor schedules the weekly group in the console (today at midnight: already started)
      await page.goto(`${h.base}/groups/new`);
      await page.getByLabel('Visit type').selectOption('group-cbt');
      await page.getByRole('textbox', { name: 'Name of the group' }).fill('E2E Monday CBT group');
      await page.getByLabel('First date').fill(today);
      await page.getByLabel('Start time').fill('00:00');
      await page.getByRole('textbox', { name: 'Capacity' }).fill('12');
      for (const m of members) {
        await page.getByTestId('patient-finder').fill(m.mrn);
        await page.getByRole('button', { name: new RegExp(`MRN ${m.mrn}$`) }).click();
      }
      await expect.poll(() => page.getByText('People (10)').count()).toBe(1);
      await page.screenshot({ path: `${shots}/encounters-new-group.png`, fullPage: true });
      await page.getByRole('button', { name: 'Create the group and book its visits' }).click();
      await page.waitForURL(/\/groups\/[0-9a-f-]{36}$/);
      await expect.poll(() => page.getByTestId('roster').getByRole('button', { name: 'Take off the roster' }).count()).toBe(10);
      await expectNoAxeViolations(page);

      // 2. the front desk checks all ten in on today's schedule, and sees nothing clinical
      const deskContext = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
      const desk = await deskContext.newPage();
      await signIn(desk, h.base, 'frontdesk@harbor.example');
      await desk.getByRole('link', { name: 'Schedule' }).click();
      const row = desk.locator('tr', { hasText: 'E2E Monday CBT group' });
      await row.waitFor();
      for (let i = 0; i < 10; i++) {
        await row
          .getByRole('button', { name: /^Check in / })
          .first()
          .click();
        await expect.poll(() => row.getByText(/^Arrived /).count()).toBe(i + 1);
      }
      expect(await row.getByRole('link', { name: 'Open' }).count()).toBe(0);
      await desk.screenshot({ path: `${shots}/encounters-schedule-front-desk.png`, fullPage: true });
      await expectNoAxeViolations(desk);
      await deskContext.close();

      // 3. the counsellor records everyone's attendance in one save; the two CM members earn at once
      await page.goto(`${h.base}/schedule`);
      const mine = page.locator('tr', { hasText: 'E2E Monday CBT group' });
      await mine.getByRole('link', { name: 'Open' }).click();
      await page.waitForURL(/\/encounters\/[0-9a-f-]{36}$/);
      await page.getByRole('button', { name: 'Everyone attended' }).click();
      const posts: string[] = [];
      page.on('request', (r) => {
        if (r.method() === 'POST' && r.url().endsWith('/attendance')) posts.push(r.url());
      });
      await page.getByRole('button', { name: 'Save attendance (10)' }).click();
      for (const id of earners) await expect.poll(() => page.getByTestId(`cm-${id}`).textContent()).toBe('Earned $3.00');
      expect(posts).toHaveLength(1);
      await expect.poll(() => page.getByText('Attended', { exact: true }).count()).toBeGreaterThanOrEqual(10);

      // 4. the group note's shared part, signed; one member's counselling note kept apart
      await page.getByRole('button', { name: /^Start a Group note: shared part/ }).click();
      await page
        .getByRole('textbox', { name: /^Topic/ })
        .first()
        .fill('Practised urge surfing; everyone named one trigger for the week (e2e).');
      await page
        .getByRole('textbox', { name: /^Group process/ })
        .first()
        .fill('Members offered each other ideas for the weekend.');
      await page
        .getByRole('textbox', { name: /^Interventions/ })
        .first()
        .fill('Urge-surfing practice and a trigger worksheet.');
      await page.getByRole('button', { name: 'Sign and lock' }).first().click();
      await expect.poll(() => page.getByText(/^Signed by Casey Counsellor/).count()).toBeGreaterThanOrEqual(1);
      const member = members[0]!.id;
      const kept = page.getByTestId(`counselling-${member}`);
      await kept.getByRole('button', { name: 'Write a counselling note (kept apart)' }).click();
      await kept.getByRole('textbox', { name: 'What was said in the session' }).fill('Private session content for one member (e2e).');
      await kept.getByRole('button', { name: 'Sign and lock' }).click();
      await expect.poll(() => kept.getByText('Only you can see this note.').count()).toBe(1);
      await expect.poll(() => kept.getByText('Private session content for one member (e2e).').count()).toBe(1);
      await page.screenshot({ path: `${shots}/encounters-visit.png`, fullPage: true });
      await expectNoAxeViolations(page);
      const visitUrl = page.url();

      // the counsellor's day shows the group with one click to its note; compliance and caseloads open
      await page.getByRole('link', { name: 'My day' }).click();
      await page.waitForURL(`${h.base}/counselling/today`);
      await expect.poll(() => page.getByRole('link', { name: 'Start the note' }).count()).toBeGreaterThanOrEqual(1);
      await expect.poll(() => page.getByText('E2E Monday CBT group').count()).toBeGreaterThanOrEqual(1);
      await page.screenshot({ path: `${shots}/encounters-my-day.png`, fullPage: true });
      await expectNoAxeViolations(page);
      await page.getByRole('link', { name: 'Counselling compliance' }).click();
      await page.waitForURL(`${h.base}/counselling/compliance`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.screenshot({ path: `${shots}/encounters-compliance.png`, fullPage: true });
      await expectNoAxeViolations(page);
      await page.goto(`${h.base}/patients/${member}`);
      await page.getByTestId('patient-visits').waitFor();
      await expect.poll(() => page.getByTestId('patient-visits').getByText('E2E Monday CBT group').count()).toBeGreaterThanOrEqual(1);
      await page.screenshot({ path: `${shots}/encounters-patient-page.png`, fullPage: true });
      await expectNoAxeViolations(page);

      // 5. another counsellor sees the visit and its group note, and not the counselling note
      const otherContext = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
      const other = await otherContext.newPage();
      await signIn(other, h.base, secondCounsellor);
      await other.goto(visitUrl);
      await expect.poll(() => other.getByText('Practised urge surfing; everyone named one trigger for the week (e2e).').count()).toBe(1);
      await other.getByTestId(`counselling-${member}`).waitFor();
      expect(await other.getByText('Private session content for one member (e2e).').count()).toBe(0);
      const visitId = visitUrl.split('/').pop()!;
      const theirList = await apiGet<{ items: unknown[] }>(other, `/encounters/${visitId}/counselling-notes`);
      expect(theirList.items).toHaveLength(0);
      await otherContext.close();
    } finally {
      await context.close();
    }
  }, 240_000);
});
