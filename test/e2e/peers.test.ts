// End-to-end, peer outreach after overdose (issue 15), Chromium: a peer specialist enters a
// referral from the emergency department → logs the first contact (reached) → the follow-ups
// are scheduled → the clock moves past the day-1 follow-up with no contact → the escalation job
// runs → the referral shows as escalated on the peer's list, and the supervisor sees it on the
// escalations list and acknowledges it. axe on each page; screenshots into .tmp/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalateOverdue } from '../../server/modules/peers/outreach.ts';
import { canRun, expectNoAxeViolations, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('peers e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

const clock = { now: new Date('2026-03-04T15:00:00Z') };
let h: Harness;

beforeAll(async () => {
  if (canRun) h = await start({ clock });
}, 180_000);
afterAll(async () => {
  if (h) await stop(h);
});

describe.skipIf(!canRun)('peer outreach in the console', () => {
  it('referral → first contact logged → follow-ups scheduled → an overdue contact escalates', async () => {
    const ctx = await h.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, h.base, 'peer@harbor.example', '/patients');
    await page.getByRole('link', { name: 'Peer outreach' }).first().click();
    await page.waitForURL(`${h.base}/peer-outreach`);
    await page.getByTestId('peers-list-today').waitFor();
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${shots}/peers-worklist.png`, fullPage: true });

    // a new referral
    await page.getByRole('link', { name: 'New referral' }).click();
    await page.getByLabel('Name the person goes by').fill('Taylor E2E (fictional)');
    await page.getByLabel('Phone').fill('+1 555 010 0177');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Save referral' }).click();
    await page.waitForURL(/\/peer-outreach\/referrals\/[0-9a-f-]{36}$/);
    const next = page.getByTestId('peer-next');
    await expect.poll(() => next.textContent()).toContain('First contact');
    expect(await next.textContent()).toContain('Due');

    // first contact: reached
    await next.getByRole('button', { name: 'Reached' }).click();
    await expect.poll(() => next.textContent()).toContain('Day 1 follow-up');
    const schedule = page.getByTestId('peer-schedule');
    expect(await schedule.textContent()).toContain('Day 90 follow-up');
    expect(await schedule.textContent()).not.toContain('After the first contact');
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${shots}/peers-referral.png`, fullPage: true });
    const url = page.url();

    // two days later, nobody reached them for the day-1 follow-up: the job escalates it
    clock.now = new Date(clock.now.getTime() + 2 * 86_400_000);
    await escalateOverdue(h.database.db, clock.now);
    // two days idle: the session has ended; sign in again
    await signIn(page, h.base, 'peer@harbor.example', '/patients');
    await page.goto(url);
    await expect.poll(() => next.textContent()).toContain('Overdue');
    expect(await next.textContent()).toContain('Escalated');

    // the supervisor's list
    const admin = await (await h.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(admin, h.base, 'admin@harbor.example', '/patients');
    await admin.goto(`${h.base}/peer-outreach`);
    await admin.getByRole('tab', { name: 'Escalated' }).click();
    const esc = admin.getByTestId('peers-escalations');
    await expect.poll(() => esc.textContent()).toContain('Taylor E2E (fictional)');
    await expectNoAxeViolations(admin);
    await admin.screenshot({ path: `${shots}/peers-escalations.png`, fullPage: true });
    const row = esc.getByRole('row').filter({ hasText: 'Taylor E2E (fictional)' });
    await row.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(async () => (await esc.count()) === 0 || !(await esc.textContent())?.includes('Taylor E2E')).toBe(true);
  }, 180_000);
});
