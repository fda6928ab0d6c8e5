// End-to-end, the whole skills loop of issue 13 in one story (Chromium): the counsellor assigns
// a module from the care plan's CBT intervention in the console; the patient's phone reads the
// list online, then — with no network at all — opens the module from the service worker's copy,
// goes through every screen, finishes and does the homework, all kept on the phone; back online
// the work is sent in order and the completion posts the CM module award (the demo protocol
// pays $2 for an assigned module); the counsellor reviews the homework with a comment, which
// the phone shows.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { SkillsModule } from '../../core/skills/module.ts';
import { canRun, expectNoAxeViolations, openFirstMatch, root, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('skills e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

const PIN = '482915';
const doc = JSON.parse(readFileSync(`${root}content/skills/cbt-understanding-use.json`, 'utf8')) as SkillsModule;

describe.skipIf(!canRun)('skills: assign from the plan → done offline → synced → CM award → homework reviewed', () => {
  let h: Harness;
  let desk: BrowserContext;
  let phoneContext: BrowserContext;
  let console_: Page;
  let phone: Page;
  let patientId: string;

  beforeAll(async () => {
    h = await start();
    [{ id: patientId }] = (await h.database.query<{ id: string }>("select id from patients where mrn = 'HSC-0002'")) as [{ id: string }];
    desk = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    desk.setDefaultTimeout(30_000);
    console_ = await desk.newPage();
    phoneContext = await h.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    phoneContext.setDefaultTimeout(60_000);
    phone = await phoneContext.newPage();
  }, 180_000);
  afterAll(async () => {
    await desk?.close();
    await phoneContext?.close();
    await stop(h ?? {});
  });

  const moduleEvents = () =>
    h.database.query<{ cents: number }>(
      `select coalesce(sum(l.cents), 0)::int as cents from cm_events e left join cm_ledger_entries l on l.program_id = e.program_id and l.event_id = e.id
       where e.patient_id = $1 and e.kind = 'module' and e.detail->>'moduleKey' = $2 group by e.id`,
      [patientId, doc.key],
    );

  it('runs the loop', async () => {
    // the counsellor assigns the module from the care plan's CBT intervention, and invites the patient to the app
    await signIn(console_, h.base, 'counsellor@harbor.example');
    await openFirstMatch(console_, 'HSC-0002');
    await console_.getByRole('tab', { name: /Assessment/ }).click();
    const cbt = console_.locator('[data-testid="plan-interventions"] tr[data-code="cbt"]');
    await cbt.getByRole('button', { name: 'Assign a module for Cognitive-behavioural therapy' }).click();
    const dialog = console_.getByRole('dialog', { name: 'Assign a module from the care plan' });
    await dialog.getByRole('combobox', { name: 'Module' }).selectOption({ label: doc.title.en! });
    await dialog.getByRole('button', { name: 'Assign', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await cbt.getByText(new RegExp(`Modules from this intervention: .*${doc.title.en}`)).waitFor();
    const invite = await console_.evaluate(
      async ([id]) => {
        const program = localStorage.getItem('waypoint.programId') ?? '';
        const r = await fetch(`/api/v1/patients/${id}/app-invites`, { method: 'POST', headers: { 'waypoint-program': program } });
        return (await r.json()) as { code: string };
      },
      [patientId],
    );

    // the phone: activated, the list read online (the assigned module's content kept by the service worker)
    await phone.goto(`${h.base}/app/#activate=${invite.code}`);
    await phone.getByLabel('New PIN').fill(PIN);
    await phone.getByLabel('Type the PIN again').fill(PIN);
    await phone.getByRole('button', { name: 'Finish' }).click();
    await phone.getByRole('heading', { name: 'Today' }).waitFor();
    await phone.waitForFunction(() => !!navigator.serviceWorker.controller, undefined, { timeout: 30_000 });
    await phone.getByTestId('tab-more').click();
    await phone.getByTestId('more-skills').click();
    await phone.getByTestId('skills-mine').getByTestId(`module-${doc.key}`).waitFor();
    const url = `/content/skills/${doc.key}@${doc.version}.json`;
    await expect.poll(() => phone.evaluate(async (u) => !!(await caches.open('waypoint-app-skills').then((c) => c.match(u))), url), { timeout: 30_000 }).toBe(true);

    // offline: the whole module, finished, and the homework — all waiting on the phone
    await phoneContext.setOffline(true);
    await phone.getByTestId('tab-today').click();
    await phone.getByTestId('tab-more').click();
    await phone.getByTestId('more-skills').click();
    await phone.getByText('You are offline. This is the list saved on this phone.').waitFor();
    await phone
      .getByTestId(`module-${doc.key}`)
      .getByRole('button', { name: `Start ${doc.title.en}` })
      .click();
    await phone.getByTestId('player-start').click();
    for (const [i, s] of doc.screens.entries()) {
      await expect.poll(() => phone.locator('h1').innerText()).toBe(s.kind === 'check' ? s.question.en : s.title.en);
      if (s.kind === 'check')
        await phone
          .getByRole('radio')
          .nth(s.options.findIndex((o) => o.correct))
          .check();
      if (s.kind === 'exercise') await phone.getByRole('button', { name: 'Skip for now' }).click();
      else await phone.getByTestId('player-next').click();
      if (i === doc.screens.length - 1) break;
    }
    await phone.getByRole('heading', { name: 'Well done!' }).waitFor();
    await phone.getByTestId('player-done').getByText('Saved on this phone. It will send when you are online.').waitFor();
    await phone.getByTestId('open-homework').click();
    const homework = 'The smell of the old bus stop. I called Sam instead.';
    await phone.getByLabel('What set it off?').fill(homework);
    await phone.getByRole('button', { name: 'Save homework' }).click();
    await phone.getByTestId('homework').getByText('Saved on this phone. It will send when you are online.').waitFor();
    await expectNoAxeViolations(phone, 'homework saved offline');
    expect(await moduleEvents()).toEqual([]);

    // back online: sent in order, once; the completion of an assigned module posts its CM award
    await phoneContext.setOffline(false);
    await expect.poll(() => phone.evaluate(() => localStorage.getItem('waypoint.app.skills-queue')), { timeout: 30_000 }).toBeNull();
    expect(await moduleEvents()).toEqual([{ cents: 200 }]);
    const [entry] = await h.database.query<{ id: string }>("select id from skill_entries where patient_id = $1 and module_key = $2 and step_id = 'homework'", [patientId, doc.key]);
    expect(entry).toBeDefined();

    // the counsellor reviews the homework; the phone shows the comment
    await console_.getByRole('tab', { name: 'Record' }).click();
    const card = console_.getByTestId('skills-entries').locator(`[data-entry="${entry!.id}"]`);
    await card.waitFor();
    expect(await card.innerText()).toContain(homework);
    await card.getByRole('button', { name: 'Review' }).click();
    const comment = 'Calling Sam was the right move. Bring this on Thursday.';
    await card.getByLabel('Comment for the patient (optional)').fill(comment);
    await card.getByRole('button', { name: 'Mark as reviewed' }).click();
    await card.getByText(`“${comment}”`).waitFor();
    await console_.screenshot({ path: `${shots}/skills-loop-reviewed.png`, fullPage: true });

    await phone.getByRole('button', { name: 'Back to my modules' }).click();
    await phone.getByTestId('tab-today').click();
    await phone.getByTestId('tab-more').click();
    await phone.getByTestId('more-skills').click();
    await phone.getByTestId('comments').getByText(comment).first().waitFor();
    await phone.screenshot({ path: `${shots}/skills-loop-phone.png`, fullPage: true });
  }, 300_000);
});
