// Help now and My plan over HTTP (issue 12, ADR 037): the programme's help settings, the
// public help a locked phone fetches, the personal safety plan edited by the patient and the
// counsellor (versions, 409 on a stale version, field errors, no partial writes, audit), and
// My plan narrowed to what the patient sees. Each patient reaches only their own.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULES, toFacts } from '../../core/planning/index.ts';
import { onPostgres } from '../support/db.ts';
import { expectProblem } from '../support/http.ts';
import { activatePhone } from '../support/patient-device.ts';
import { makeWorld, type World } from '../support/world.ts';

const EMPTY = { warningSigns: [], copingStrategies: [], distractions: [], helpers: [], professionals: [], safeEnvironment: [] };
const SETTINGS = {
  clinicPhone: '+15555550100',
  crisisLines: [{ labelEn: 'County crisis line', labelEs: 'Línea de crisis del condado', phone: '+15555550111' }],
  afterHoursLines: [{ labelEn: 'After-hours nurse', labelEs: 'Enfermería fuera de horario', phone: '+15555550122' }],
  naloxonePlaces: [{ name: 'Harbor Pharmacy (fictional)', address: '1 Example Way', hours: 'Mon–Fri 9–5', phone: null, note: 'Free kits' }],
};

describe('Help now and My plan', () => {
  let w: World;
  let cookieA = '';
  let cookieB = '';
  const asPatient = (cookie: string, method: 'GET' | 'PUT', url: string, payload?: object) => w.app.inject({ method, url: `/api/patient${url}`, headers: { cookie }, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    w = await makeWorld();
    for (const [patientId, set] of [
      [w.patientA, (c: string) => (cookieA = c)],
      [w.patientB, (c: string) => (cookieB = c)],
    ] as const) {
      const staff = await w.client('counsellor', patientId === w.patientB ? { programId: w.programB } : undefined).catch(() => null);
      const inviter = staff && patientId === w.patientA ? staff : await w.client('adminB');
      const inv = (await inviter.post(`/api/v1/patients/${patientId}/app-invites`)).json() as { code: string };
      set((await activatePhone(w.app, inv.code)).cookie);
    }
  }, 120_000);
  afterAll(async () => {
    await w?.close();
  });

  describe('help settings and the public help', () => {
    it('an administrator saves the settings (audited); a bad number is a 400 naming the field, and nothing is saved', async () => {
      const admin = await w.client('administrator');
      const bad = await admin.put('/api/v1/help-settings', { ...SETTINGS, crisisLines: [{ labelEn: 'x', labelEs: '', phone: '555-0111' }] });
      const p = expectProblem(bad, 400, 'invalid_input', 'body.crisisLines.0.phone');
      expect(p.problems!.map((x) => x.field)).toContain('body.crisisLines.0.labelEs');
      expect(((await admin.get('/api/v1/help-settings')).json() as { updatedAt: string | null }).updatedAt).toBeNull();
      const unknown = await admin.put('/api/v1/help-settings', { ...SETTINGS, extra: 1 });
      expectProblem(unknown, 400);
      const ok = await admin.put('/api/v1/help-settings', SETTINGS);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject(SETTINGS);
      const audit = await w.database.query("select 1 from audit_events where entity = 'help-settings' and action = 'update' and program_id = $1", [w.programA]);
      expect(audit).toHaveLength(1);
      expect((await (await w.client('counsellor')).get('/api/v1/help-settings')).statusCode).toBe(403);
    });

    it('a locked phone fetches the programme’s help without a session: programme data only', async () => {
      const r = await w.app.inject({ method: 'GET', url: `/api/patient/help?programId=${w.programA}` });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toEqual({ programId: w.programA, ...SETTINGS });
      expect(r.headers['set-cookie']).toBeUndefined();
      for (const s of [w.patientA, w.patientB, 'Alder', 'Sample']) expect(r.body).not.toContain(s);
      // programme B has none yet: empty lists, not A's
      const b = await w.app.inject({ method: 'GET', url: `/api/patient/help?programId=${w.programB}` });
      expect(b.json()).toMatchObject({ clinicPhone: null, crisisLines: [], naloxonePlaces: [] });
      expectProblem(await w.app.inject({ method: 'GET', url: '/api/patient/help' }), 400, undefined, 'querystring.programId');
      expectProblem(await w.app.inject({ method: 'GET', url: '/api/patient/help?programId=nope' }), 400, undefined, 'querystring.programId');
      expectProblem(await w.app.inject({ method: 'GET', url: `/api/patient/help?programId=${randomUUID()}` }), 404, 'not_found');
    });
  });

  describe('the safety plan', () => {
    it('the patient and the counsellor edit it together: versions, who saved, 409 on a stale version, audit with the patient as actor', async () => {
      const first = await asPatient(cookieA, 'GET', '/safety-plan');
      expect(first.json()).toEqual({ version: 0, plan: EMPTY, savedAt: null, savedBy: null });
      const mine = { ...EMPTY, warningSigns: ['  I stop answering my phone  ', ''], helpers: [{ name: 'Sam (sister)', phone: '555-555-0142' }] };
      const saved = await asPatient(cookieA, 'PUT', '/safety-plan', { version: 0, plan: mine });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json()).toMatchObject({ version: 1, plan: { warningSigns: ['I stop answering my phone'] }, savedBy: { kind: 'patient', name: null } });

      const counsellor = await w.client('counsellor');
      const seen = (await counsellor.get(`/api/v1/patients/${w.patientA}/safety-plan`)).json() as { version: number; plan: typeof EMPTY & { copingStrategies: string[] } };
      expect(seen.version).toBe(1);
      expect(seen.plan.helpers).toEqual([{ name: 'Sam (sister)', phone: '555-555-0142' }]);
      const added = await counsellor.put(`/api/v1/patients/${w.patientA}/safety-plan`, { version: 1, plan: { ...seen.plan, copingStrategies: ['Walk to the park'] } });
      expect(added.statusCode, added.body).toBe(200);
      expect(added.json()).toMatchObject({ version: 2, savedBy: { kind: 'staff' } });
      expect((added.json() as { savedBy: { name: string | null } }).savedBy.name).toBeTruthy();

      // the patient's edit from version 1 would overwrite the counsellor's line: refused, nothing written
      const late = await asPatient(cookieA, 'PUT', '/safety-plan', { version: 1, plan: { ...mine, distractions: ['Music'] } });
      const p = expectProblem(late, 409, 'stale_version', 'body.version');
      expect(p.detail).toMatch(/changed since/);
      const now = (await asPatient(cookieA, 'GET', '/safety-plan')).json() as { version: number; plan: { copingStrategies: string[]; distractions: string[] }; savedBy: { kind: string; name: null } };
      expect(now).toMatchObject({ version: 2, plan: { copingStrategies: ['Walk to the park'], distractions: [] }, savedBy: { kind: 'staff', name: null } });

      const versions = (await counsellor.get(`/api/v1/patients/${w.patientA}/safety-plan/versions`)).json() as {
        items: Array<{ version: number; savedBy: { kind: string }; changedSections: string[] }>;
      };
      expect(versions.items.map((v) => [v.version, v.savedBy.kind, v.changedSections])).toEqual([
        [2, 'staff', ['copingStrategies']],
        [1, 'patient', ['warningSigns', 'helpers']],
      ]);
      const audit = await w.database.query<{ action: string; actor_role: string | null; actor_id: string | null }>(
        "select action, actor_role, actor_id from audit_events where entity = 'safety-plan' and patient_id = $1 order by at, id",
        [w.patientA],
      );
      expect(audit.filter((a) => a.actor_role === 'patient' && a.actor_id === null).map((a) => a.action)).toEqual(expect.arrayContaining(['read', 'update']));
      expect(audit.filter((a) => a.actor_id === counsellor.userId).map((a) => a.action)).toEqual(expect.arrayContaining(['read', 'update']));
      // versions are immutable in the database itself
      await expect(w.database.query("update safety_plan_versions set content = '{}'::jsonb where patient_id = $1", [w.patientA])).rejects.toThrow(/append-only/);
    });

    it('bad input is a 400 naming each field, with nothing saved', async () => {
      const before = ((await asPatient(cookieA, 'GET', '/safety-plan')).json() as { version: number }).version;
      const tooMany = await asPatient(cookieA, 'PUT', '/safety-plan', { version: before, plan: { ...EMPTY, warningSigns: Array.from({ length: 13 }, (_, i) => `sign ${i}`) } });
      expectProblem(tooMany, 400, 'invalid_input', 'body.plan.warningSigns');
      const contact = await asPatient(cookieA, 'PUT', '/safety-plan', { version: before, plan: { ...EMPTY, helpers: [{ name: 'Jo', phone: 'call me' }], copingStrategies: ['x'.repeat(281)] } });
      const p = expectProblem(contact, 400, 'invalid_input');
      expect(p.problems!.map((x) => x.field)).toEqual(['body.plan.copingStrategies.0', 'body.plan.helpers.0.phone']);
      expectProblem(await asPatient(cookieA, 'PUT', '/safety-plan', { version: before, plan: { ...EMPTY, extra: [] } }), 400);
      expectProblem(await asPatient(cookieA, 'PUT', '/safety-plan', { plan: EMPTY }), 400, undefined, 'body.version');
      const counsellor = await w.client('counsellor');
      expectProblem(
        await counsellor.put(`/api/v1/patients/${w.patientA}/safety-plan`, { version: before, plan: { ...EMPTY, professionals: [{ name: '', phone: '555-0100' }] } }),
        400,
        'invalid_input',
        'body.plan.professionals.0.name',
      );
      expect(((await asPatient(cookieA, 'GET', '/safety-plan')).json() as { version: number }).version).toBe(before);
    });

    it('each patient reaches only their own plan; a locked phone reaches none', async () => {
      const b = (await asPatient(cookieB, 'GET', '/safety-plan')).json() as { version: number; plan: typeof EMPTY };
      expect(b).toMatchObject({ version: 0, plan: EMPTY });
      const savedB = await asPatient(cookieB, 'PUT', '/safety-plan', { version: 0, plan: { ...EMPTY, warningSigns: ['Bravo sign'] } });
      expect(savedB.statusCode).toBe(200);
      const a = await asPatient(cookieA, 'GET', '/safety-plan');
      expect(a.body).not.toContain('Bravo sign');
      expect((await w.app.inject({ method: 'GET', url: '/api/patient/safety-plan' })).statusCode).toBe(401);
      // staff of programme A do not reach programme B's patient
      expect((await (await w.client('counsellor')).get(`/api/v1/patients/${w.patientB}/safety-plan`)).statusCode).toBe(404);
    });

    it.runIf(onPostgres())('two saves from the same version at once: one is saved, the other is refused 409 (PostgreSQL)', async () => {
      const counsellor = await w.client('counsellor');
      const v = ((await asPatient(cookieA, 'GET', '/safety-plan')).json() as { version: number; plan: typeof EMPTY }).version;
      const rs = await Promise.all([
        asPatient(cookieA, 'PUT', '/safety-plan', { version: v, plan: { ...EMPTY, distractions: ['from the app'] } }),
        counsellor.put(`/api/v1/patients/${w.patientA}/safety-plan`, { version: v, plan: { ...EMPTY, distractions: ['from the console'] } }),
        asPatient(cookieA, 'PUT', '/safety-plan', { version: v, plan: { ...EMPTY, distractions: ['again from the app'] } }),
      ]);
      expect(rs.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
      const versions = (await counsellor.get(`/api/v1/patients/${w.patientA}/safety-plan/versions`)).json() as { items: Array<{ version: number }> };
      expect(versions.items[0]!.version).toBe(v + 1);
    });
  });

  describe('My plan', () => {
    it('no plan yet; then goals and interventions in plain words, with roles and never names or the clinician’s rationale', async () => {
      const none = (await asPatient(cookieA, 'GET', '/plan')).json() as { plan: null; language: string };
      expect(none).toEqual({ plan: null, language: 'en' });
      const counsellor = await w.client('counsellor');
      const goal = randomUUID();
      const problem = randomUUID();
      const created = await counsellor.post(`/api/v1/patients/${w.patientA}/care-plans`, {
        title: 'My recovery plan',
        problems: [{ id: problem, text: 'Opioid use disorder' }],
        goals: [
          {
            id: goal,
            problemIds: [problem],
            description: 'Fewer days of use',
            measure: 'Days of use in 30',
            targetValue: 4,
            targetComparator: '<=',
            targetUnit: 'days',
            dueDate: '2026-05-01',
            responsibleStaffIds: [counsellor.userId],
          },
          { problemIds: [problem], description: 'A goal we dropped', measure: 'n/a', targetText: 'n/a', dueDate: '2026-05-01', status: 'cancelled', responsibleStaffIds: [] },
        ],
        interventions: [
          { source: 'recommendation', code: 'naloxone', text: 'Naloxone kit and training', goalIds: [goal], responsibleStaffIds: [counsellor.userId], frequency: 'once' },
          { source: 'free-text', text: 'Weekly walk with my peer', goalIds: [goal], responsibleStaffIds: [counsellor.userId], frequency: 'weekly' },
        ],
        reviewDate: '2026-04-01',
      });
      expect(created.statusCode, created.body).toBe(200);
      const r = await asPatient(cookieA, 'GET', '/plan');
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json() as {
        plan: { goals: Array<{ description: string; target: string }>; interventions: Array<{ text: string; roles: string[]; rationale: { en: string; es: string } | null }> };
      };
      expect(body.plan.goals).toEqual([expect.objectContaining({ description: 'Fewer days of use', targetValue: 4, targetComparator: '<=', targetUnit: 'days', targetText: null })]);
      const [nal, walk] = body.plan.interventions;
      const naloxoneRule = RULES.find((x) => x.id === 'naloxone-everyone')!;
      // the rationale in English and Spanish; the app shows the one it is in
      expect(nal).toMatchObject({ text: 'Naloxone kit and training', roles: ['counsellor'], rationale: naloxoneRule.rationale(toFacts({})).patient });
      expect(nal!.rationale!.es).toBe('Tenga naloxona en casa y llévela con usted. Puede detener una sobredosis de opioides. Podemos darle un kit.');
      expect(walk).toMatchObject({ rationale: null, roles: ['counsellor'] });
      const names = await w.database.query<{ display_name: string }>('select display_name from users where id = $1', [counsellor.userId]);
      expect(r.body).not.toContain(names[0]!.display_name);
      expect(r.body).not.toContain(naloxoneRule.rationale(toFacts({})).clinician);
      const audit = await w.database.query("select 1 from audit_events where entity = 'care-plan' and action = 'read' and actor_role = 'patient' and patient_id = $1", [w.patientA]);
      expect(audit.length).toBeGreaterThanOrEqual(2);
      // patient B does not see A's plan
      expect(((await asPatient(cookieB, 'GET', '/plan')).json() as { plan: unknown }).plan).toBeNull();
    });

    it('the care team, by role only, with a member’s work number where staff gave one', async () => {
      const admin = await w.client('administrator');
      const counsellor = await w.client('counsellor');
      const added = await admin.post(`/api/v1/patients/${w.patientA}/care-team`, { userId: counsellor.userId, role: 'primary-counsellor' });
      expect([200, 201, 409]).toContain(added.statusCode);
      const before = (await asPatient(cookieA, 'GET', '/care-team')).json() as { roles: string[]; phones: Record<string, string> };
      expect(before.roles).toContain('primary-counsellor');
      expect(before.phones['primary-counsellor']).toBeUndefined(); // none yet: the app calls the clinic
      // typed as people do, kept in E.164; a number that cannot be one is refused, naming the field
      expectProblem(await admin.patch(`/api/v1/staff/${counsellor.userId}`, { workPhone: '12' }), 400, 'invalid_input', 'body.workPhone');
      const saved = await admin.patch(`/api/v1/staff/${counsellor.userId}`, { workPhone: '(555) 555-0142' });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json()).toMatchObject({ workPhone: '+15555550142' });
      const r = await asPatient(cookieA, 'GET', '/care-team');
      expect(r.json()).toMatchObject({ roles: expect.arrayContaining(['primary-counsellor']), phones: { 'primary-counsellor': '+15555550142' } });
      const names = await w.database.query<{ display_name: string }>('select display_name from users where id = $1', [counsellor.userId]);
      expect(r.body).not.toContain(names[0]!.display_name);
      // patient B's care team does not have it
      expect(((await asPatient(cookieB, 'GET', '/care-team')).json() as { phones: Record<string, string> }).phones['primary-counsellor']).toBeUndefined();
      // cleared: back to the clinic's number
      expect((await admin.patch(`/api/v1/staff/${counsellor.userId}`, { workPhone: null })).json()).toMatchObject({ workPhone: null });
      expect(((await asPatient(cookieA, 'GET', '/care-team')).json() as { phones: Record<string, string> }).phones).toEqual({});
    });
  });
});
