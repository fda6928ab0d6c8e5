// End-to-end, skills modules in the staff console (issue 13), Chromium:
// (a) the counsellor assigns a module from the patient page with a due date and sees it; reads
//     the patient's entries of all nine exercise types in words; reviews a homework entry with
//     a comment, which the patient's app then has; the homework list; assigns a module from the
//     care plan's CBT intervention (suggested for it) and sees it under the intervention;
// (b) an administrator copies a built-in module to a programme module, edits it, previews it in
//     Spanish, publishes it; the library shows it published; a new module's live check;
// (c) the engagement report shows the funnel (table and chart) with the patient's progress.
// axe on every page and dialog; screenshots into .tmp/.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExerciseEntry } from '../../core/skills/exercises.ts';
import type { ExerciseType, SkillsModule } from '../../core/skills/module.ts';
import { DEMO_PASSWORD } from '../../server/modules/demo/seed.ts';
import { activatePhone, type Phone } from '../support/patient-device.ts';
import { canRun, expectNoAxeViolations, openFirstMatch, root, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('skills console e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

const modules = readdirSync(`${root}content/skills`)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(`${root}content/skills/${f}`, 'utf8')) as SkillsModule);
const byKey = (key: string) => modules.find((m) => m.key === key)!;

/** The first step (an exercise screen, or else the homework) of some module with an exercise of this type. */
function stepFor(type: ExerciseType) {
  for (const m of modules) {
    const s = m.screens.find((x) => x.kind === 'exercise' && x.exercise.type === type);
    if (s && s.kind === 'exercise') return { m, stepId: s.id, homework: false, exercise: s.exercise };
  }
  for (const m of modules) if (m.homework.exercise.type === type) return { m, stepId: 'homework', homework: true, exercise: m.homework.exercise };
  throw new Error(`no module has a ${type} exercise`);
}

const isoDay = (offsetDays: number, tz: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + offsetDays * 86_400_000));

/** One entry of each type, as a patient might fill it in (fictional). */
function entryOf(type: ExerciseType, scenes: number, today: string): ExerciseEntry {
  switch (type) {
    case 'chain':
      return { type, data: { trigger: 'Friday payday', thought: 'I deserve a break', feeling: 'Tense', behaviour: 'Went to the gym instead', consequence: 'Slept well' } };
    case 'craving-log':
      return { type, data: { situation: 'Waiting for the bus near the old spot', before: 7, after: 3, surfedSeconds: 245, whatHelped: 'Counting breaths' } };
    case 'role-play':
      return { type, data: { choices: Array.from({ length: scenes }, (_, i) => i % 2) } };
    case 'decisional-balance':
      return { type, data: { usingGood: ['Quiets the noise for a while'], usingNotSoGood: ['Money gone', 'Kids worry'], changingGood: ['More time with my kids'], changingNotSoGood: [] } };
    case 'change-plan':
      return {
        type,
        data: {
          changes: 'Stay on methadone and stop using pills',
          reasons: 'My kids',
          steps: 'Go to group on Tuesdays',
          helpers: 'My sister',
          obstacles: 'Old friends calling',
          signs: 'Negative tests',
        },
      };
    case 'problem-solving':
      return {
        type,
        data: {
          problem: 'No ride to the clinic on Saturdays',
          options: [
            { idea: 'Ask my cousin', pros: 'Free', cons: 'Not always around' },
            { idea: 'Take the early bus', pros: 'Reliable', cons: 'Leaves at 6' },
          ],
          chosen: 1,
          plan: 'Set an alarm for 5:15',
        },
      };
    case 'coping-plan':
      return { type, data: { warningSigns: ['Skipping meals'], steps: ['Call my sponsor', 'Take a walk'], people: ['Sam'], places: ['The library'] } };
    case 'activity-scheduler':
      return { type, data: { activities: [{ what: 'Walk by the river', on: today, moodBefore: 3, moodAfter: 6, done: true }] } };
    case 'thought-record':
      return {
        type,
        data: {
          situation: 'Missed a dose pick-up',
          thought: 'I always mess up',
          feeling: 'Ashamed',
          before: 8,
          evidenceFor: 'I missed today',
          evidenceAgainst: 'I made every pick-up last month',
          balanced: 'I missed one; I can call the clinic',
          after: 4,
        },
      };
  }
}

describe.skipIf(!canRun)('skills modules in the console (Chromium)', () => {
  let h: Harness;
  let phone: Phone;
  let patientId: string;
  let tz: string;
  /** The entry id of each type the phone sent, and the homework entry the counsellor reviews. */
  const sent = new Map<ExerciseType, string>();
  let homeworkId = '';

  const patientApi = (method: 'GET' | 'POST', url: string, payload?: object) => h.app.inject({ method, url: `/api/patient${url}`, headers: { cookie: phone.cookie }, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    h = await start();
    const [patient] = await h.database.query<{ id: string }>("select id from patients where mrn = 'HSC-0002'");
    patientId = patient!.id;
    const [program] = await h.database.query<{ id: string; time_zone: string }>("select id, time_zone from programs where name like 'Harbor%'");
    tz = program!.time_zone;
    // the patient's phone: an invite from the counsellor, activated as the app does it
    const signed = await h.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'counsellor@harbor.example', password: DEMO_PASSWORD } });
    const cookie = String(signed.headers['set-cookie']).split(';')[0]!;
    const invited = await h.app.inject({ method: 'POST', url: `/api/v1/patients/${patientId}/app-invites`, headers: { cookie, 'waypoint-program': program!.id } });
    expect(invited.statusCode, invited.body).toBe(200);
    phone = await activatePhone(h.app, (invited.json() as { code: string }).code);
    // one entry of each of the nine types, as the app sends them
    const types: ExerciseType[] = ['chain', 'craving-log', 'role-play', 'decisional-balance', 'change-plan', 'problem-solving', 'coping-plan', 'activity-scheduler', 'thought-record'];
    for (const type of types) {
      const step = stepFor(type);
      const id = randomUUID();
      const scenes = step.exercise.type === 'role-play' ? step.exercise.scenes.length : 0;
      const r = await patientApi('POST', '/skills/entries', {
        id,
        moduleKey: step.m.key,
        version: step.m.version,
        stepId: step.stepId,
        homework: step.homework,
        entry: entryOf(type, scenes, isoDay(0, tz)),
        at: new Date().toISOString(),
      });
      expect(r.statusCode, r.body).toBe(200);
      sent.set(type, id);
    }
    // homework to review: the coping plan of a module whose homework is one
    const hw = modules.find((m) => m.homework.exercise.type === 'coping-plan')!;
    homeworkId = randomUUID();
    const r = await patientApi('POST', '/skills/entries', {
      id: homeworkId,
      moduleKey: hw.key,
      version: hw.version,
      stepId: 'homework',
      homework: true,
      entry: { type: 'coping-plan', data: { warningSigns: ['Not sleeping', 'Avoiding calls'], steps: ['Text my counsellor'], people: ['My aunt Rosa'], places: ['Church basement group'] } },
      at: new Date().toISOString(),
    });
    expect(r.statusCode, r.body).toBe(200);
  }, 120_000);
  afterAll(async () => stop(h ?? {}));

  it('a counsellor assigns a module with a due date, reads every kind of entry, reviews homework with a comment the patient gets, and assigns from the care plan', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    try {
      await signIn(page, h.base, 'counsellor@harbor.example');
      await openFirstMatch(page, 'HSC-0002');
      const section = page.getByTestId('skills');
      await section.getByRole('heading', { name: 'Skills modules' }).waitFor();
      await section.locator('[data-module="cbt-functional-analysis"]').waitFor();

      // assign: the picker lists the suggestions for the stage first, then every module by topic
      await section.getByRole('button', { name: 'Assign a module' }).click();
      const dialog = page.getByRole('dialog', { name: 'Assign a skills module' });
      await dialog.waitFor();
      const picker = dialog.getByRole('combobox', { name: 'Module' });
      await picker.waitFor();
      expect(await dialog.locator('optgroup').first().getAttribute('label')).toMatch(/^Suggested for /);
      await expectNoAxeViolations(page, 'assign dialog');
      const thinking = byKey('cbt-thinking-traps');
      await picker.selectOption({ label: thinking.title.en! });
      await dialog.getByTestId('assign-goal').waitFor();
      const due = isoDay(7, tz);
      await dialog.getByLabel('Due date').fill(due);
      await page.screenshot({ path: `${shots}/skills-assign-dialog.png` });
      await dialog.getByRole('button', { name: 'Assign', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      const row = section.locator('[data-module="cbt-thinking-traps"]');
      await row.waitFor();
      const dueText = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${due}T12:00:00Z`));
      expect(await row.innerText()).toContain(`Due ${dueText}`);
      expect(await row.innerText()).toContain('Assigned by Casey Counsellor');
      expect(await row.innerText()).toContain('Not opened yet');

      // every kind of entry reads in words, field by field
      const entries = page.getByTestId('skills-entries');
      const card = (id: string) => entries.locator(`[data-entry="${id}"]`);
      await card(sent.get('chain')!).waitFor();
      expect(await card(sent.get('chain')!).innerText()).toMatch(/Trigger\s+Friday payday[\s\S]*Consequence\s+Slept well/);
      expect(await card(sent.get('craving-log')!).innerText()).toMatch(/Craving before\s+7 out of 10[\s\S]*4:05/);
      const rolePlay = await card(sent.get('role-play')!).innerText();
      const rp = stepFor('role-play').exercise;
      if (rp.type !== 'role-play') throw new Error('role-play');
      expect(rolePlay).toContain(`Scene 1: ${rp.scenes[0]!.prompt.en}`);
      expect(rolePlay).toContain(rp.scenes[0]!.choices[0]!.text.en!);
      expect(rolePlay).toMatch(/Strong answer|Okay answer|Weak answer/);
      expect(await card(sent.get('decisional-balance')!).innerText()).toMatch(/Good things about using[\s\S]*Quiets the noise[\s\S]*Not-so-good things about changing[\s\S]*Left blank/);
      expect(await card(sent.get('change-plan')!).innerText()).toContain('Who can help');
      expect(await card(sent.get('problem-solving')!).innerText()).toMatch(/Take the early bus\s*✓?\s*Chosen/);
      expect(await card(sent.get('coping-plan')!).innerText()).toContain('Call my sponsor');
      expect(await card(sent.get('activity-scheduler')!).innerText()).toMatch(/Walk by the river[\s\S]*✓ Yes[\s\S]*3 out of 10[\s\S]*6 out of 10/);
      expect(await card(sent.get('thought-record')!).innerText()).toMatch(/A balanced thought\s+I missed one/);
      await expectNoAxeViolations(page, 'patient page, skills section with nine kinds of entry');
      await entries.screenshot({ path: `${shots}/skills-entries.png` });

      // review the homework with a comment: it shows under the entry, and the patient's app has it
      const hw = card(homeworkId);
      expect(await hw.innerText()).toContain('To review');
      await hw.getByRole('button', { name: 'Review' }).click();
      const comment = 'Texting me is a strong first step. Let’s add one more person on Thursday.';
      await hw.getByLabel('Comment for the patient (optional)').fill(comment);
      await expectNoAxeViolations(page, 'review form');
      await hw.getByRole('button', { name: 'Mark as reviewed' }).click();
      await hw.getByText(`“${comment}”`).waitFor();
      expect(await hw.innerText()).toContain('Reviewed by Casey Counsellor');
      await hw.screenshot({ path: `${shots}/skills-reviewed.png` });
      const app = (await patientApi('GET', '/skills')).json() as { comments: Array<{ entryId: string; comment: string }> };
      expect(app.comments).toContainEqual(expect.objectContaining({ entryId: homeworkId, comment }));

      // the homework list: reviewed homework leaves it
      await page.getByRole('link', { name: 'Skills modules' }).click();
      await page.getByRole('tab', { name: 'Homework to review' }).click();
      await page.waitForURL(`${h.base}/skills/homework`);
      const queue = page.getByTestId('homework-queue');
      await queue.waitFor();
      await queue.getByRole('switch', { name: 'Only patients on my caseload' }).uncheck();
      await expect.poll(async () => queue.locator('tbody tr').count()).toBeGreaterThan(0);
      await expectNoAxeViolations(page, 'homework to review');
      await page.screenshot({ path: `${shots}/skills-homework.png`, fullPage: true });

      // from the care plan: the CBT intervention suggests modules for it; the assignment is shown under it
      await page.goBack();
      await page.goBack();
      await page.waitForURL(/\/patients\/[0-9a-f-]{36}/);
      await page.getByRole('tab', { name: /Assessment/ }).click();
      const cbt = page.locator('[data-testid="plan-interventions"] tr[data-code="cbt"]');
      await cbt.getByRole('button', { name: 'Assign a module for Cognitive-behavioural therapy' }).click();
      const fromPlan = page.getByRole('dialog', { name: 'Assign a module from the care plan' });
      await fromPlan.getByText("For the plan's intervention: Cognitive-behavioural therapy.").waitFor();
      const suggested = fromPlan.locator('optgroup[label^="Suggested for Cognitive-behavioural therapy"] option');
      await fromPlan.getByRole('combobox', { name: 'Module' }).selectOption((await suggested.first().getAttribute('value'))!);
      await fromPlan.getByTestId('assign-goal').waitFor();
      await expectNoAxeViolations(page, 'assign from the care plan');
      await fromPlan.getByRole('button', { name: 'Assign', exact: true }).click();
      await fromPlan.waitFor({ state: 'detached' });
      await cbt.getByText(/^Modules from this intervention: .+ \(Assigned\)$/).waitFor();
      await page.screenshot({ path: `${shots}/skills-care-plan.png`, fullPage: true });
      await page.getByRole('tab', { name: 'Record' }).click();
      await page.getByTestId('skills').getByText('from the care plan').waitFor();

      // on a phone-sized screen the section still reads
      await page.setViewportSize({ width: 360, height: 800 });
      await page.getByTestId('skills').scrollIntoViewIfNeeded();
      await page.getByTestId('skills').screenshot({ path: `${shots}/skills-patient-360.png` });
    } finally {
      await context.close();
    }
  }, 180_000);

  it('an administrator starts a module from a built-in one, previews it in Spanish and publishes it', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    try {
      await signIn(page, h.base, 'admin@harbor.example');
      await page.goto(`${h.base}/skills/library`);
      const library = page.getByTestId('skills-library');
      await library.locator('tr[data-module="cbt-triggers-coping"]').waitFor();
      await expectNoAxeViolations(page, 'library (editor)');
      await page.screenshot({ path: `${shots}/skills-library.png`, fullPage: true });

      const base = byKey('cbt-triggers-coping');
      await library.getByRole('button', { name: `Start from this one: ${base.title.en}` }).click();
      const copy = page.getByRole('dialog');
      await copy.getByLabel('Key').fill('harbor-triggers');
      await expectNoAxeViolations(page, 'copy dialog');
      await copy.getByRole('button', { name: 'Copy and edit' }).click();
      await page.waitForURL(`${h.base}/skills/library/harbor-triggers`);
      const editor = page.getByTestId('module-editor');
      await editor.getByText('Started from cbt-triggers-coping').waitFor();
      await editor.getByTestId('lint').getByText('No problems: ready to publish').waitFor();

      // edit: the English title; the live check and the save
      await editor.getByTestId('module-title-en').fill('Triggers and cravings at Harbor');
      await editor.getByText('Unsaved changes').first().waitFor();
      await expectNoAxeViolations(page, 'module editor');
      await page.screenshot({ path: `${shots}/skills-editor.png` });
      await editor.getByRole('button', { name: 'Save draft' }).last().click();
      await editor.getByText('Unsaved changes').first().waitFor({ state: 'detached' });

      // the JSON view holds the same document
      await editor.getByRole('switch', { name: 'Edit as JSON' }).check();
      expect(await editor.getByLabel('The module as JSON').inputValue()).toContain('"Triggers and cravings at Harbor"');
      await editor.getByRole('switch', { name: 'Edit as JSON' }).uncheck();
      await editor.getByTestId('module-title-en').waitFor();

      // preview, in Spanish
      await editor.getByRole('button', { name: 'Preview', exact: true }).click();
      const preview = page.getByRole('dialog');
      await preview.getByTestId('module-preview').waitFor();
      await preview.getByText('Spanish', { exact: true }).click();
      await preview.getByRole('heading', { name: base.title.es! }).waitFor();
      expect(await preview.getByTestId('module-preview').getAttribute('lang')).toBe('es');
      const firstRead = base.screens.find((s) => s.kind === 'read');
      if (firstRead?.kind === 'read') await preview.getByRole('heading', { name: firstRead.title.es! }).waitFor();
      await expectNoAxeViolations(page, 'preview in Spanish');
      await page.screenshot({ path: `${shots}/skills-preview-es.png` });
      await page.keyboard.press('Escape');
      await preview.waitFor({ state: 'detached' });

      // publish
      await editor.getByRole('button', { name: 'Publish' }).click();
      const confirm = page.getByRole('dialog', { name: 'Publish this module?' });
      await confirm.getByRole('button', { name: 'Publish' }).click();
      await editor.getByTestId('next-version-note').waitFor();
      expect(await editor.getByTestId('module-versions').innerText()).toMatch(/1\s+✓\s*Published\s+Drew|1\s+✓\s*Published/);
      await expectNoAxeViolations(page, 'published module');
      await page.screenshot({ path: `${shots}/skills-published.png`, fullPage: true });

      await editor.getByRole('link', { name: 'Back to the library' }).click();
      const row = library.locator('tr[data-module="harbor-triggers"]');
      await expect.poll(async () => row.innerText()).toMatch(/Triggers and cravings at Harbor[\s\S]*Programme[\s\S]*Published/);

      // a new module: the check lists what is missing as it is typed
      await library.getByRole('link', { name: 'New module' }).click();
      await page.waitForURL(`${h.base}/skills/library/new`);
      await page.getByTestId('lint-problems').waitFor();
      await expectNoAxeViolations(page, 'new module');
      await page.screenshot({ path: `${shots}/skills-new-module.png`, fullPage: true });
    } finally {
      await context.close();
    }
  }, 180_000);

  it('the engagement report shows the funnel by module', async () => {
    // the patient opens the assigned module and stops on its third screen
    const thinking = byKey('cbt-thinking-traps');
    for (let screen = 0; screen <= 2; screen++) {
      const r = await patientApi('POST', '/skills/screens', { moduleKey: thinking.key, version: thinking.version, screen, at: new Date().toISOString() });
      expect(r.statusCode, r.body).toBe(200);
    }
    const context = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    try {
      await signIn(page, h.base, 'counsellor@harbor.example');
      await page.getByRole('link', { name: 'Skills modules' }).click();
      await page.waitForURL(`${h.base}/skills`);
      const report = page.getByTestId('skills-report');
      await report.getByTestId('funnel-chart').waitFor();
      const row = report.locator('tr[data-module="cbt-thinking-traps"]');
      const cells = (await row.locator('td').allInnerTexts()).map((s) => s.trim());
      // assigned, started, completed, completion, median, most stop at, homework
      expect(cells.slice(0, 3)).toEqual(['1', '1', '0']);
      expect(cells[5]).toContain(`screen 3 – ${(thinking.screens[2]!.kind === 'check' ? thinking.screens[2]!.question : thinking.screens[2]!.title).en}`);
      const demo = (await report.locator('tr[data-module="cbt-functional-analysis"] td').allInnerTexts()).map(Number);
      expect(demo[0]).toBeGreaterThanOrEqual(demo[1]!);
      expect(demo[1]).toBeGreaterThanOrEqual(demo[2]!);
      expect(demo[2]).toBeGreaterThan(0);
      await expectNoAxeViolations(page, 'engagement report');
      await page.screenshot({ path: `${shots}/skills-report.png`, fullPage: true });
    } finally {
      await context.close();
    }
  }, 120_000);
});
