// End-to-end, skills modules in the patient app (issue 13), Chromium with a phone's viewport:
// (a) the counsellor assigns a module; the patient sees it under "Your modules" with its due
//     date, goes through it screen by screen (focus on each heading; a check must be answered;
//     an exercise saved), finishes, does the homework; the counsellor's comment on it shows on
//     the list and under the homework; a second module is done offline from the service
//     worker's copy and its queue is sent once the phone is back online;
// (b) each of the nine exercise types, filled with the keyboard only (fields found by their
//     labels), axe on each, and each entry stored as its type;
// (c) the player in Spanish at 360 px and the tab bar at 320 px, with screenshots.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { SkillsModule } from '../../core/skills/module.ts';
import { DEMO_PASSWORD } from '../../server/modules/demo/seed.ts';
import { canRun, expectNoAxeViolations, root, shots, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('skills app e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

const PIN = '482915';
const content = (key: string) => JSON.parse(readFileSync(`${root}content/skills/${key}.json`, 'utf8')) as SkillsModule;
const isoDay = (offsetDays: number) => {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

describe.skipIf(!canRun)('skills modules in the patient app (Chromium, phone)', () => {
  let h: Harness;
  let phoneContext: BrowserContext;
  let phone: Page;
  let patientId: string;
  let counsellor: Awaited<ReturnType<typeof staff>>;

  /** The clinic's side through the API, as the console calls it. */
  async function staff(email: string) {
    const signed = await h.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password: DEMO_PASSWORD } });
    expect(signed.statusCode, signed.body).toBe(200);
    const cookie = String(signed.headers['set-cookie']).split(';')[0]!;
    const [program] = await h.database.query<{ id: string }>("select id from programs where name like 'Harbor%'");
    const headers = { cookie, 'waypoint-program': program!.id };
    return {
      get: (url: string) => h.app.inject({ method: 'GET', url, headers }),
      post: (url: string, payload?: object) => h.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) }),
    };
  }

  beforeAll(async () => {
    h = await start();
    const [patient] = await h.database.query<{ id: string }>("select id from patients where mrn = 'HSC-0002'");
    patientId = patient!.id;
    counsellor = await staff('counsellor@harbor.example');
    const invited = await counsellor.post(`/api/v1/patients/${patientId}/app-invites`);
    expect(invited.statusCode, invited.body).toBe(200);
    phoneContext = await h.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    phoneContext.setDefaultTimeout(60_000);
    phone = await phoneContext.newPage();
    await phone.goto(`${h.base}/app/#activate=${(invited.json() as { code: string }).code}`);
    await phone.getByLabel('New PIN').fill(PIN);
    await phone.getByLabel('Type the PIN again').fill(PIN);
    await phone.getByRole('button', { name: 'Finish' }).click();
    await phone.getByRole('heading', { name: 'Today' }).waitFor();
    // the service worker controls the page: module content goes through its cache from now on
    await phone.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await phone.waitForFunction(() => !!navigator.serviceWorker.controller, undefined, { timeout: 30_000 });
  }, 180_000);
  afterAll(async () => {
    await phoneContext?.close();
    await stop(h ?? {});
  });

  /** Opens the Skills tab afresh (the list is read again). */
  async function openSkills() {
    await phone.getByTestId('tab-today').click();
    await phone.getByTestId('tab-more').click();
    await phone.getByTestId('more-skills').click();
    await phone.getByRole('heading', { name: 'Skills', level: 1 }).waitFor();
    await phone.getByTestId('skills').waitFor();
  }
  const heading = () => phone.locator('h1');
  const focusedTag = () => phone.evaluate(() => document.activeElement?.tagName);
  const entries = (key: string) =>
    h.database.query<{ type: string; step_id: string; homework: boolean; data: Record<string, unknown> }>(
      'select type, step_id, homework, data from skill_entries where module_key = $1 order by entered_at',
      [key],
    );

  /** Goes Next through read screens; answers a check (a wrong answer first, where there is one, then the right one). `arrived`: the first screen was just reached (its heading has the focus). */
  async function through(doc: SkillsModule, from: number, to: number, arrived = true) {
    for (let i = from; i < to; i++) {
      const s = doc.screens[i]!;
      await expect.poll(() => heading().innerText()).toBe(s.kind === 'check' ? s.question.en : s.title.en);
      if (i > from || arrived) expect(await focusedTag()).toBe('H1');
      expect(await phone.getByText(`Screen ${i + 1} of ${doc.screens.length}`).count()).toBe(1);
      if (s.kind === 'check') {
        const right = s.options.findIndex((o) => o.correct);
        const wrong = s.options.findIndex((o) => !o.correct);
        if (wrong >= 0) {
          await phone.getByRole('radio').nth(wrong).check();
          await phone.getByTestId('check-feedback').getByText('Not quite. You can try again.').waitFor();
        }
        await phone.getByRole('radio').nth(right).check();
        await phone.getByTestId('check-feedback').getByText('That is right.').waitFor();
        expect(await phone.getByTestId('check-feedback').innerText()).toContain(s.options[right]!.feedback.en);
      }
      await phone.getByTestId('player-next').click();
    }
  }

  it('(a) assigned module → every screen → an exercise → finish → homework → the comment; a second module offline', async () => {
    // the demo patient already finished one module (with a comment on its homework), began one and has one due: this is a fourth
    const doc = content('cbt-negative-emotions');
    const due = isoDay(3);
    const assigned = await counsellor.post(`/api/v1/patients/${patientId}/skills/assignments`, { moduleKey: doc.key, dueOn: due });
    expect(assigned.statusCode, assigned.body).toBe(200);
    const second = content('cbt-recovery-activities');
    expect((await counsellor.post(`/api/v1/patients/${patientId}/skills/assignments`, { moduleKey: second.key })).statusCode).toBe(200);

    await openSkills();
    const card = phone.getByTestId('skills-mine').getByTestId(`module-${doc.key}`);
    await card.getByRole('heading', { name: doc.title.en }).waitFor();
    expect(await card.innerText()).toMatch(new RegExp(`Due [A-Z][a-z]{2} \\d{1,2}, \\d{4}[\\s\\S]*0 of ${doc.screens.length} screens`));
    // the demo counsellor's comment on earlier homework
    expect(await phone.getByTestId('comments').first().innerText()).toMatch(/Your counselor wrote:\s+“Calling your sister broke the chain/);
    // the rest of the library, by topic, each with its minutes
    expect(await phone.getByRole('heading', { name: 'More to explore' }).count()).toBe(1);
    expect(await phone.getByTestId('module-cbt-thinking-traps').innerText()).toMatch(/About \d+ minutes/);
    await expectNoAxeViolations(phone, 'the Skills tab');
    await phone.screenshot({ path: `${shots}/skills-app-list.png`, fullPage: true });

    // the goal first, then one screen at a time; the heading of each new screen has the focus
    await card.getByRole('button', { name: `Start ${doc.title.en}` }).click();
    await phone.getByRole('heading', { name: 'What you will learn' }).waitFor();
    await phone.getByText(doc.goal.en!).waitFor();
    await expectNoAxeViolations(phone, 'the goal');
    await phone.getByTestId('player-start').click();
    const exerciseAt = doc.screens.findIndex((s) => s.kind === 'exercise');
    await through(doc, 0, 1);
    await phone.screenshot({ path: `${shots}/skills-app-read.png`, fullPage: true });
    await expectNoAxeViolations(phone, 'a read screen');
    // Back and Next keep the place
    await phone.getByRole('button', { name: 'Back' }).click();
    await expect.poll(() => heading().innerText()).toBe(doc.screens[0]!.kind === 'read' ? doc.screens[0]!.title.en! : '');
    await phone.getByTestId('player-next').click();
    const checkAt = doc.screens.findIndex((s) => s.kind === 'check');
    await through(doc, 1, checkAt);
    // a check must be answered before Next
    await phone.getByTestId('player-next').click();
    await phone.getByRole('alert').getByText('Pick an answer first. Any answer is fine.').waitFor();
    await expectNoAxeViolations(phone, 'a check screen');
    await phone.getByRole('radio').first().check();
    await phone.screenshot({ path: `${shots}/skills-app-check.png`, fullPage: true });
    await through(doc, checkAt, exerciseAt, false);

    // the exercise: Next waits for Save (or Skip for now); Save waits for something written
    await expect.poll(() => heading().innerText()).toBe((doc.screens[exerciseAt] as { title: { en: string } }).title.en);
    const save = phone.getByRole('button', { name: 'Save', exact: true });
    expect(await save.isDisabled()).toBe(true);
    await phone.getByTestId('player-next').click();
    await phone.getByRole('alert').getByText('Save your work first', { exact: false }).waitFor();
    await phone.getByRole('group', { name: 'My warning signs' }).getByLabel('Line 1').fill('Snapping at people');
    await phone.getByRole('group', { name: 'Things I can do' }).getByLabel('Line 1').fill('Go for a walk');
    await save.click();
    await phone.getByText('Saved. Your counselor can see it.').waitFor();
    await expectNoAxeViolations(phone, 'a saved exercise');
    await phone.screenshot({ path: `${shots}/skills-app-exercise.png`, fullPage: true });
    await phone.getByTestId('player-next').click();
    await through(doc, exerciseAt + 1, doc.screens.length - 1);
    // the last screen: Finish
    const last = doc.screens.at(-1)!;
    if (last.kind === 'check')
      await phone
        .getByRole('radio')
        .nth(last.options.findIndex((o) => o.correct))
        .check();
    expect(await phone.getByTestId('player-next').innerText()).toBe('Finish');
    const completion = phone.waitForResponse((r) => r.url().endsWith('/api/patient/skills/completions'));
    await phone.getByTestId('player-next').click();
    const answer = (await (await completion).json()) as { earned: { voucherCents: number; draws: number } | null };
    await phone.getByRole('heading', { name: 'Well done!' }).waitFor();
    expect(await focusedTag()).toBe('H1');
    // the demo protocol rewards an assigned module finished: $2.00
    expect(answer.earned).toEqual({ voucherCents: 200, draws: 0 });
    await phone.getByText('You earned $2.00.').waitFor();
    await expectNoAxeViolations(phone, 'finished');
    await phone.screenshot({ path: `${shots}/skills-app-finished.png`, fullPage: true });
    const [progress] = await h.database.query<{ furthest_screen: number; completed_at: Date | null }>('select furthest_screen, completed_at from skill_progress where module_key = $1', [doc.key]);
    expect(progress!.furthest_screen).toBe(doc.screens.length - 1);
    expect(progress!.completed_at).not.toBeNull();

    // the homework
    await phone.getByTestId('open-homework').click();
    await phone.getByRole('heading', { name: doc.homework.title.en }).waitFor();
    await phone.getByLabel('What is going on?').fill('A fight with my landlord.');
    await phone.getByRole('group', { name: 'How strong is the urge right now?' }).getByRole('radio', { name: '8', exact: true }).check();
    await phone.getByLabel('What helped?').fill('I went for a walk.');
    await phone.getByRole('button', { name: 'Save homework' }).click();
    await phone.getByText('Saved. Your counselor can see it.').waitFor();
    await expectNoAxeViolations(phone, 'the homework');
    await phone.screenshot({ path: `${shots}/skills-app-homework.png`, fullPage: true });
    const saved = await entries(doc.key);
    expect(saved.map((e) => [e.type, e.step_id, e.homework])).toEqual([
      ['coping-plan', doc.screens[exerciseAt]!.id, false],
      ['craving-log', 'homework', true],
    ]);
    expect(saved[0]!.data).toEqual({ warningSigns: ['Snapping at people'], steps: ['Go for a walk'], people: [], places: [] });
    expect(saved[1]!.data).toEqual({ situation: 'A fight with my landlord.', before: 8, after: null, surfedSeconds: 0, whatHelped: 'I went for a walk.' });

    // the counsellor reviews the homework with a comment: on the list, and under the homework
    const page = (await counsellor.get(`/api/v1/patients/${patientId}/skills/entries?homework=true`)).json() as { items: Array<{ id: string; moduleKey: string }> };
    const mine = page.items.find((e) => e.moduleKey === doc.key)!;
    const reviewed = await counsellor.post(`/api/v1/patients/${patientId}/skills/entries/${mine.id}/reviews`, { comment: 'Great job noticing the landlord trigger.' });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    await phone.getByRole('button', { name: 'Back to my modules' }).click();
    await openSkills();
    await phone.getByText('Great job noticing the landlord trigger.').waitFor();
    // finished: no longer under "Your modules"; in the library with a check mark, and its homework opens from here
    const done = phone.getByTestId(`module-${doc.key}`);
    expect(await done.innerText()).toContain('✓');
    await done.getByRole('button', { name: `Homework ${doc.title.en}` }).click();
    await phone.getByRole('heading', { name: doc.homework.title.en }).waitFor();
    expect(await phone.getByTestId('comments').innerText()).toContain('Great job noticing the landlord trigger.');
    await expectNoAxeViolations(phone, 'the homework with a comment');
    await phone.getByRole('button', { name: 'Back to my modules' }).click();

    // offline: the list as last seen, the assigned module from the service worker's copy, and the work waits on the phone
    await openSkills();
    await expect.poll(() => phone.evaluate(async (url) => !!(await caches.open('waypoint-app-skills').then((c) => c.match(url))), `/content/skills/${second.key}@${second.version}.json`)).toBe(true);
    await phoneContext.setOffline(true);
    await openSkills();
    await phone.getByText('You are offline. This is the list saved on this phone.').waitFor();
    await phone
      .getByTestId(`module-${second.key}`)
      .getByRole('button', { name: `Start ${second.title.en}` })
      .click();
    await phone.getByTestId('player-start').click();
    const surfAt = second.screens.findIndex((s) => s.kind === 'exercise');
    await through(second, 0, surfAt);
    await phone.getByRole('button', { name: 'Skip for now' }).click();
    await through(second, surfAt + 1, second.screens.length - 1);
    const lastCheck = second.screens.at(-1)!;
    if (lastCheck.kind === 'check')
      await phone
        .getByRole('radio')
        .nth(lastCheck.options.findIndex((o) => o.correct))
        .check();
    await phone.getByTestId('player-next').click();
    await phone.getByRole('heading', { name: 'Well done!' }).waitFor();
    await phone.getByTestId('player-done').getByText('Saved on this phone. It will send when you are online.').waitFor();
    await phone.getByTestId('open-homework').click();
    await phone.getByLabel('What will you do?').fill('Cook dinner with my son');
    await phone.getByRole('group', { name: 'Your mood before' }).getByRole('radio', { name: '4', exact: true }).check();
    await phone.getByRole('button', { name: 'Save homework' }).click();
    await phone.getByTestId('homework').getByText('Saved on this phone. It will send when you are online.').waitFor();
    const queue = await phone.evaluate(() => JSON.parse(localStorage.getItem('waypoint.app.skills-queue') ?? '[]') as Array<{ kind: string }>);
    expect(queue.map((q) => q.kind)).toEqual([...second.screens.map(() => 'screen'), 'completion', 'entry']);
    expect(await h.database.query('select 1 from skill_progress where module_key = $1', [second.key])).toHaveLength(0);
    await phone.screenshot({ path: `${shots}/skills-app-offline-homework.png`, fullPage: true });
    // back online: sent oldest first, once
    await phoneContext.setOffline(false);
    await expect.poll(() => phone.evaluate(() => localStorage.getItem('waypoint.app.skills-queue')), { timeout: 30_000 }).toBeNull();
    const [offlineProgress] = await h.database.query<{ furthest_screen: number; completed_at: Date | null }>('select furthest_screen, completed_at from skill_progress where module_key = $1', [
      second.key,
    ]);
    expect(offlineProgress!.furthest_screen).toBe(second.screens.length - 1);
    expect(offlineProgress!.completed_at).not.toBeNull();
    expect((await entries(second.key)).map((e) => [e.type, e.homework, e.data])).toEqual([
      ['activity-scheduler', true, { activities: [{ what: 'Cook dinner with my son', on: isoDay(0), moodBefore: 4, moodAfter: null, done: false }] }],
    ]);
    await phone.getByRole('button', { name: 'Back to my modules' }).click();
  }, 300_000);

  // ---------- (b) the nine exercise types, by keyboard ----------

  /** Types into the field with this label, reached by its label; keys only. */
  async function typeInto(scope: Page | Locator, label: string, text: string) {
    const field = scope.getByLabel(label, { exact: true });
    await field.focus();
    await phone.keyboard.type(text);
    expect(await field.inputValue()).toBe(text);
  }
  /** Picks n on a 0–10 rating by keyboard: Space on 0, then the arrow keys. */
  async function rate(scope: Page | Locator, legend: string, n: number) {
    const group = scope.getByRole('group', { name: legend, exact: true });
    await group.getByRole('radio', { name: '0', exact: true }).focus();
    await phone.keyboard.press('Space');
    for (let i = 0; i < n; i++) await phone.keyboard.press('ArrowRight');
    expect(await group.getByRole('radio', { name: String(n), exact: true }).isChecked()).toBe(true);
  }
  /** Presses Tab until the focus is on a button whose words match, then Enter: the button is reachable by keyboard. */
  async function tabAndPress(name: string | RegExp) {
    for (let i = 0; i < 120; i++) {
      await phone.keyboard.press('Tab');
      const text = (await phone.evaluate(() => (document.activeElement?.tagName === 'BUTTON' ? (document.activeElement.textContent ?? '').trim() : ''))) ?? '';
      if (typeof name === 'string' ? text === name : name.test(text)) {
        await phone.keyboard.press('Enter');
        return;
      }
    }
    throw new Error(`no button ${String(name)} by Tab`);
  }
  /** Opens a module at one of its screens: the patient had reached it before, so Continue takes them there. */
  async function openAt(key: string, screen: number) {
    const doc = content(key);
    const status = await phone.evaluate(
      async ({ key, version, screen }) =>
        (
          await fetch('/api/patient/skills/screens', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ moduleKey: key, version, screen, at: new Date().toISOString() }),
          })
        ).status,
      { key, version: doc.version, screen },
    );
    expect(status).toBe(200);
    await openSkills();
    await phone
      .getByTestId(`module-${key}`)
      .getByRole('button', { name: `Continue ${doc.title.en}` })
      .click();
    await phone.getByTestId('player-continue').click();
    await expect.poll(() => heading().innerText()).toBe((doc.screens[screen] as { title: { en: string } }).title.en);
    return doc;
  }
  async function saveAndCheck(key: string, type: string, name: string) {
    await expectNoAxeViolations(phone, `${type}, filled`);
    await phone.getByTestId(`exercise-${type}`).screenshot({ path: `${shots}/skills-app-${type}.png` });
    await tabAndPress('Save');
    await phone.getByText('Saved. Your counselor can see it.').waitFor();
    const stored = (await entries(key)).filter((e) => e.type === type && !e.homework);
    expect(stored.length, name).toBeGreaterThan(0);
    return stored.at(-1)!.data;
  }
  const screenOf = (key: string, type: string) => content(key).screens.findIndex((s) => s.kind === 'exercise' && s.exercise.type === type);

  it('(b) each of the nine exercise types, by keyboard, with labels and no axe violations', async () => {
    // chain
    await openAt('cbt-understanding-use', screenOf('cbt-understanding-use', 'chain'));
    await expectNoAxeViolations(phone, 'chain, empty');
    await typeInto(phone, 'What set it off?', 'Payday');
    await typeInto(phone, 'What did you think?', 'I earned it');
    await typeInto(phone, 'How did you feel?', 'Restless');
    await typeInto(phone, 'What did you do?', 'Went to the park');
    await typeInto(phone, 'What happened after?', 'Felt proud');
    expect(await saveAndCheck('cbt-understanding-use', 'chain', 'chain')).toEqual({
      trigger: 'Payday',
      thought: 'I earned it',
      feeling: 'Restless',
      behaviour: 'Went to the park',
      consequence: 'Felt proud',
    });

    // craving log with the urge-surfing timer: start and pause by keyboard, the time left announced
    await openAt('mindfulness-urge-surfing', screenOf('mindfulness-urge-surfing', 'craving-log'));
    await expectNoAxeViolations(phone, 'craving log, empty');
    await typeInto(phone, 'What is going on?', 'Saw an old friend');
    await rate(phone, 'How strong is the urge right now?', 7);
    await tabAndPress('Start the timer');
    await phone.getByText(/^Timer on\./).waitFor({ state: 'attached' });
    await phone.waitForTimeout(2_200);
    await tabAndPress('Pause');
    await phone.getByText(/^Paused\./).waitFor({ state: 'attached' });
    expect(await phone.getByRole('timer').innerText()).toMatch(/^\d+:\d\d$/);
    await rate(phone, 'How strong is the urge now?', 4);
    await typeInto(phone, 'What helped?', 'Slow breaths');
    const craving = await saveAndCheck('mindfulness-urge-surfing', 'craving-log', 'craving log');
    expect(craving).toMatchObject({ situation: 'Saw an old friend', before: 7, after: 4, whatHelped: 'Slow breaths' });
    expect(craving.surfedSeconds as number).toBeGreaterThanOrEqual(2);

    // role-play: one scene at a time
    const refusal = await openAt('cbt-refusal-problem-solving', screenOf('cbt-refusal-problem-solving', 'role-play'));
    const rp = refusal.screens[screenOf('cbt-refusal-problem-solving', 'role-play')]!;
    const scenes = rp.kind === 'exercise' && rp.exercise.type === 'role-play' ? rp.exercise.scenes : [];
    for (let i = 0; i < scenes.length; i++) {
      await phone.getByRole('heading', { name: `Scene ${i + 1} of ${scenes.length}` }).waitFor();
      const group = phone.getByRole('group', { name: 'What would you say?' });
      await group.getByRole('radio').first().focus();
      await phone.keyboard.press('Space');
      await phone.getByText(scenes[i]!.choices[0]!.feedback.en!).waitFor();
      if (i === 0) await expectNoAxeViolations(phone, 'role-play, a scene with feedback');
      await tabAndPress(i + 1 < scenes.length ? 'Next scene' : 'Done with the scenes');
    }
    await phone.getByRole('heading', { name: 'You did every scene.' }).waitFor();
    expect(await saveAndCheck('cbt-refusal-problem-solving', 'role-play', 'role-play')).toEqual({ choices: scenes.map(() => 0) });

    // problem solving: the problem, options with pros and cons, choose one, a plan
    await openAt('cbt-refusal-problem-solving', screenOf('cbt-refusal-problem-solving', 'problem-solving'));
    await expectNoAxeViolations(phone, 'problem solving, empty');
    await typeInto(phone, 'The problem', 'No ride to the clinic');
    const first = phone.getByRole('group', { name: 'Option 1' });
    await typeInto(first, 'The idea', 'Take the bus');
    await typeInto(first, 'Good things about it', 'Cheap');
    await typeInto(first, 'Bad things about it', 'Slow');
    await tabAndPress('Add an option');
    const second = phone.getByRole('group', { name: 'Option 2' });
    await typeInto(second, 'The idea', 'Ask my cousin');
    await phone.getByRole('group', { name: 'Which option will you try?' }).getByRole('radio', { name: 'Ask my cousin' }).focus();
    await phone.keyboard.press('Space');
    await typeInto(phone, 'Your plan', 'Call her tonight');
    expect(await saveAndCheck('cbt-refusal-problem-solving', 'problem-solving', 'problem solving')).toEqual({
      problem: 'No ride to the clinic',
      options: [
        { idea: 'Take the bus', pros: 'Cheap', cons: 'Slow' },
        { idea: 'Ask my cousin', pros: '', cons: '' },
      ],
      chosen: 1,
      plan: 'Call her tonight',
    });

    // decisional balance: four boxes, lines added by keyboard
    await openAt('mi-readiness-change-plan', screenOf('mi-readiness-change-plan', 'decisional-balance'));
    await expectNoAxeViolations(phone, 'decisional balance, empty');
    const box = (name: string) => phone.getByRole('group', { name, exact: true });
    await typeInto(box('Good things about using'), 'Line 1', 'Numbs stress');
    await typeInto(box('Not so good things about using'), 'Line 1', 'Costs money');
    await typeInto(box('Good things about making the change'), 'Line 1', 'More time with my kids');
    await typeInto(box('Not so good things about making the change'), 'Line 1', 'Hard at first');
    // a line added, and one added and taken off again
    await box('Good things about making the change').getByLabel('Line 1').focus();
    await tabAndPress(/^Add a line/);
    await typeInto(box('Good things about making the change'), 'Line 2', 'Sleep better');
    await box('Not so good things about making the change').getByLabel('Line 1').focus();
    await tabAndPress(/^Add a line/);
    await box('Not so good things about making the change').getByLabel('Line 2').focus();
    await tabAndPress(/^Remove/);
    expect(await box('Not so good things about making the change').getByRole('textbox').count()).toBe(1);
    expect(await saveAndCheck('mi-readiness-change-plan', 'decisional-balance', 'decisional balance')).toEqual({
      usingGood: ['Numbs stress'],
      usingNotSoGood: ['Costs money'],
      changingGood: ['More time with my kids', 'Sleep better'],
      changingNotSoGood: ['Hard at first'],
    });

    // change plan
    await openAt('mi-readiness-change-plan', screenOf('mi-readiness-change-plan', 'change-plan'));
    await expectNoAxeViolations(phone, 'change plan, empty');
    await typeInto(phone, 'The changes I want to make', 'Stop using on weekends');
    await typeInto(phone, 'Why these changes matter to me', 'My kids');
    await typeInto(phone, 'The steps I will take', 'Plan Saturdays');
    await typeInto(phone, 'Who can help me, and how', 'My sister');
    await typeInto(phone, 'What could get in the way, and what I will do', 'Old friends; I will leave');
    await typeInto(phone, 'How I will know my plan is working', 'Clean weekends');
    expect(await saveAndCheck('mi-readiness-change-plan', 'change-plan', 'change plan')).toMatchObject({ changes: 'Stop using on weekends', signs: 'Clean weekends' });

    // coping plan: four lists
    await openAt('cbt-triggers-coping', screenOf('cbt-triggers-coping', 'coping-plan'));
    await expectNoAxeViolations(phone, 'coping plan, empty');
    await typeInto(phone.getByRole('group', { name: 'My warning signs' }), 'Line 1', 'Not sleeping');
    await typeInto(phone.getByRole('group', { name: 'Things I can do' }), 'Line 1', 'Go for a walk');
    await phone.getByRole('group', { name: 'Things I can do' }).getByLabel('Line 1').focus();
    await tabAndPress(/^Add a line/);
    await typeInto(phone.getByRole('group', { name: 'Things I can do' }), 'Line 2', 'Call a meeting friend');
    await typeInto(phone.getByRole('group', { name: 'People I can call' }), 'Line 1', 'Maria');
    expect(await saveAndCheck('cbt-triggers-coping', 'coping-plan', 'coping plan')).toEqual({
      warningSigns: ['Not sleeping'],
      steps: ['Go for a walk', 'Call a meeting friend'],
      people: ['Maria'],
      places: [],
    });

    // activity scheduler: an activity, its day, mood before and after, done
    await openAt('cbt-behavioural-activation', screenOf('cbt-behavioural-activation', 'activity-scheduler'));
    await expectNoAxeViolations(phone, 'activity scheduler, empty');
    const activity = phone.getByRole('group', { name: 'Activity 1' });
    await typeInto(activity, 'What will you do?', 'Walk the dog');
    await rate(activity, 'Your mood before', 3);
    await rate(activity, 'Your mood after', 6);
    await activity.getByLabel('I did it').focus();
    await phone.keyboard.press('Space');
    expect(await activity.getByLabel('I did it').isChecked()).toBe(true);
    expect(await activity.getByLabel('On what day?').inputValue()).toBe(isoDay(0));
    expect(await saveAndCheck('cbt-behavioural-activation', 'activity-scheduler', 'activity scheduler')).toEqual({
      activities: [{ what: 'Walk the dog', on: isoDay(0), moodBefore: 3, moodAfter: 6, done: true }],
    });

    // thought record
    await openAt('cbt-thinking-traps', screenOf('cbt-thinking-traps', 'thought-record'));
    await expectNoAxeViolations(phone, 'thought record, empty');
    await typeInto(phone, 'What happened?', 'Missed a dose');
    await typeInto(phone, 'What went through your mind?', 'I always mess up');
    await typeInto(phone, 'How did you feel?', 'Ashamed');
    await rate(phone, 'How strong was the feeling?', 8);
    await typeInto(phone, 'What makes the thought seem true?', 'I missed one');
    await typeInto(phone, 'What does not fit the thought?', 'I took the other 20');
    await typeInto(phone, 'A fairer thought', 'One miss is not always');
    await rate(phone, 'How strong is the feeling now?', 4);
    expect(await saveAndCheck('cbt-thinking-traps', 'thought-record', 'thought record')).toMatchObject({ before: 8, after: 4, balanced: 'One miss is not always' });

    await phone.getByRole('button', { name: 'Back', exact: true }).click();
  }, 400_000);

  /** Every word of every tab fits its tab (no word broken in two). */
  const tabWordsFit = () =>
    phone.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('nav.tabs button')].flatMap((b) => {
        const cs = getComputedStyle(b);
        const room = b.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        return (b.textContent ?? '').split(/\s+/).filter((word) => {
          const s = document.createElement('span');
          s.style.font = cs.font;
          s.style.whiteSpace = 'nowrap';
          s.textContent = word;
          document.body.append(s);
          const tooWide = s.getBoundingClientRect().width > room + 0.5;
          s.remove();
          return tooWide;
        });
      }),
    );

  it('(c) the player in Spanish at 360 px, and the tab bar at 320 px', async () => {
    await openSkills();
    await phone.getByRole('button', { name: /Español/ }).click();
    await phone.getByRole('heading', { name: 'Aprender', level: 1 }).waitFor();
    await expectNoAxeViolations(phone, 'the Skills tab in Spanish');
    const doc = content('cbt-refusal-problem-solving');
    // begun in (b) when that ran first, else new
    await phone
      .getByTestId(`module-${doc.key}`)
      .getByRole('button', { name: new RegExp(`^(Seguir|Abrir) ${doc.title.es}$`) })
      .click();
    await phone.getByRole('heading', { name: 'Lo que va a aprender' }).waitFor();
    await phone.getByRole('button', { name: /^Empezar( desde el principio)?$/ }).click();
    await expect.poll(() => heading().innerText()).toBe((doc.screens[0] as { title: { es: string } }).title.es);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectNoAxeViolations(phone, 'a screen in Spanish');
    await phone.screenshot({ path: `${shots}/skills-app-player-es-360.png`, fullPage: true });
    // the role-play screen in Spanish
    await phone.getByTestId('player-next').click();
    await phone.getByTestId('player-next').click();
    await phone.getByRole('heading', { name: 'Escena 1 de', exact: false }).waitFor();
    await phone.getByRole('group', { name: '¿Qué diría usted?' }).getByRole('radio').nth(1).check();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectNoAxeViolations(phone, 'a role-play in Spanish');
    await phone.screenshot({ path: `${shots}/skills-app-role-play-es-360.png`, fullPage: true });
    // 320 px: the tab bar and the player still fit
    await phone.setViewportSize({ width: 320, height: 640 });
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await phone.screenshot({ path: `${shots}/skills-app-role-play-es-320.png`, fullPage: true });
    await phone.getByTestId('tab-today').click();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    expect(await tabWordsFit(), 'tab words broken at 320 px (Spanish)').toEqual([]);
    await phone.locator('nav.tabs').screenshot({ path: `${shots}/skills-app-tabs-es-320.png` });
    await phone.getByRole('button', { name: /English/ }).click();
    await phone.getByRole('heading', { name: 'Today' }).waitFor();
    expect(await tabWordsFit(), 'tab words broken at 320 px').toEqual([]);
    await phone.locator('nav.tabs').screenshot({ path: `${shots}/skills-app-tabs-en-320.png` });
    // text at 200%: the list and the tabs still fit the screen's width
    await phone.setViewportSize({ width: 360, height: 740 });
    await openSkills();
    await phone.evaluate(() => (document.documentElement.style.fontSize = '200%'));
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await phone.screenshot({ path: `${shots}/skills-app-list-200pct.png` });
    await phone.evaluate(() => (document.documentElement.style.fontSize = ''));

    // sign-out leaves nothing: not the saved list, not the queue, not the modules' content
    await phone.getByTestId('tab-today').click();
    await phone.getByTestId('sign-out').click();
    await phone.getByTestId('sign-out-confirm').click();
    await phone.getByRole('heading', { name: 'All done' }).waitFor();
    expect(await phone.evaluate(async () => ({ caches: await caches.keys(), storage: localStorage.length }))).toEqual({ caches: [], storage: 0 });
  }, 240_000);
});
