// Recommendations from the record plus clinician fields, care plans with immutable
// versions (who changed what), the patient's agreement, the printable view, and the
// plan-review work list in the programme's time zone.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/http.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';

let w: World;
let counsellor: Client;
let prescriber: Client;
let peer: Client;
let cm: Client;
let adminB: Client;

const plan = (over: Record<string, unknown> = {}) => {
  const problem = randomUUID();
  const goal = randomUUID();
  return {
    title: 'Treatment plan',
    problems: [{ id: problem, text: 'Opioid use disorder, using most days' }],
    goals: [
      {
        id: goal,
        problemIds: [problem],
        description: 'Fewer days of use',
        measure: 'Days of opioid use in the past 30 days',
        targetValue: 4,
        targetComparator: '<=',
        targetUnit: 'days',
        dueDate: '2026-05-01',
        responsibleStaffIds: [w.users.counsellor],
      },
    ],
    interventions: [
      { source: 'recommendation', code: 'motivational-interviewing', text: 'Motivational interviewing sessions', goalIds: [goal], responsibleStaffIds: [w.users.counsellor], frequency: 'weekly' },
      { source: 'free-text', text: 'Help with bus pass for clinic visits', goalIds: [], responsibleStaffIds: [w.users['peer-specialist']], frequency: 'once' },
    ],
    reviewDate: '2026-03-06',
    ...over,
  };
};

beforeAll(async () => {
  w = await makeWorld();
  [counsellor, prescriber, peer, cm, adminB] = await Promise.all([w.client('counsellor'), w.client('prescriber'), w.client('peer-specialist'), w.client('cm-coordinator'), w.client('adminB')]);
});
afterAll(async () => {
  await w?.close();
});

describe('recommendations', () => {
  it('assembles the context from the record, lets the clinician supply fields, and explains each source', async () => {
    await prescriber.post(`/api/v1/patients/${w.patientA}/medications`, { medication: 'buprenorphine', startedOn: '2026-01-10' });
    const phq = (
      await counsellor.post(`/api/v1/patients/${w.patientA}/assessments`, { instrument: 'phq-9', answers: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [String(i + 1), i === 8 ? 1 : 2])) })
    ).json();
    await counsellor.post(`/api/v1/patients/${w.patientA}/stage`, { stage: 'precontemplation', informedBy: ['interview'] });
    const r = await counsellor.post(`/api/v1/patients/${w.patientA}/recommendations`, { context: { substances: ['opioids', 'stimulants'], cmAvailable: true } });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.context).toMatchObject({ stage: 'precontemplation', moud: 'buprenorphine', phq9: 17, phq9Item9: 1, substances: ['opioids', 'stimulants'] });
    expect(body.sources).toMatchObject({ moud: expect.stringMatching(/^medication:/), phq9: `assessment:${phq.id}`, substances: 'clinician', stage: expect.stringMatching(/^stage:/) });
    const codes = body.recommendations.map((x: { intervention: string }) => x.intervention);
    expect(codes).toContain('motivational-interviewing');
    expect(body.recommendations[0]).toMatchObject({ priority: 1, rationale: { clinician: expect.any(String), patient: { en: expect.any(String), es: expect.any(String) } } });
    expect(body.recommendations[0].evidence.length).toBeGreaterThan(0);
    expect(body.cautions.map((c: { code: string }) => c.code)).toContain('suicide-risk');
    // the clinician's field wins over the record
    const over = (await counsellor.post(`/api/v1/patients/${w.patientA}/recommendations`, { context: { moud: 'none' } })).json();
    expect(over.context.moud).toBe('none');
    expect(over.sources.moud).toBe('clinician');
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/recommendations`, { context: { stage: 'ready' } }), 400, 'invalid_input', 'body.context.stage');
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/recommendations`, { context: { bogus: 1 } }), 400, 'invalid_input', 'body.context.bogus');
    expect((await cm.post(`/api/v1/patients/${w.patientA}/recommendations`, {})).statusCode).toBe(200);
    expectProblem(await adminB.post(`/api/v1/patients/${w.patientA}/recommendations`, {}), 404);
  });
});

describe('care plans', () => {
  let planId: string;
  let body: ReturnType<typeof plan>;

  it('creates version 1 with measurable goals and responsible staff', async () => {
    body = plan();
    const r = await counsellor.post(`/api/v1/patients/${w.patientA}/care-plans`, body);
    expect(r.statusCode).toBe(200);
    const p = r.json();
    planId = p.id;
    expect(p).toMatchObject({ version: 1, status: 'active', reviewDate: '2026-03-06', changedBy: w.users.counsellor, agreement: null });
    expect(p.goals[0]).toMatchObject({ targetValue: 4, targetComparator: '<=', dueDate: '2026-05-01', status: 'active' });
    expect(p.interventions[0]).toMatchObject({ code: 'motivational-interviewing', source: 'recommendation', frequency: 'weekly' });
    expect(p.interventions[1]).toMatchObject({ code: null, source: 'free-text' });
    expect(p.interventions[1].id).toMatch(/^[0-9a-f-]{36}$/);
    expect(p.staff[w.users['peer-specialist']]).toBe('Test peer-specialist');
  });

  it('refuses a goal without a target or date, dangling references and unknown staff, naming the fields', async () => {
    const bad = plan();
    delete (bad.goals[0] as Record<string, unknown>).targetValue;
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/care-plans`, bad), 400, 'invalid_input', 'body.goals.0.targetValue');
    const noDate = plan();
    delete (noDate.goals[0] as Record<string, unknown>).dueDate;
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/care-plans`, noDate), 400, 'invalid_input', 'body.goals.0.dueDate');
    const dangling = plan();
    dangling.interventions[0]!.goalIds = [randomUUID()];
    dangling.interventions[1]!.responsibleStaffIds = [w.adminB];
    const res = await counsellor.post(`/api/v1/patients/${w.patientA}/care-plans`, dangling);
    expectProblem(res, 400, 'invalid_input', 'body.interventions.0.goalIds.0');
    expect(res.json().problems.map((p: { field: string }) => p.field)).toContain('body.interventions.1.responsibleStaffIds.0');
    const noStaff = plan();
    noStaff.interventions[0]!.responsibleStaffIds = [];
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/care-plans`, noStaff), 400, 'invalid_input', 'body.interventions.0.responsibleStaffIds');
    const noCode = plan();
    delete (noCode.interventions[0] as Record<string, unknown>).code;
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/care-plans`, noCode), 400, 'invalid_input', 'body.interventions.0.code');
  });

  it('saves new versions recording who changed what, refuses a stale version, and keeps old versions intact', async () => {
    const current = (await counsellor.get(`/api/v1/patients/${w.patientA}/care-plans/${planId}`)).json();
    const next = { ...body, version: 1, goals: [{ ...body.goals[0]!, targetValue: 2 }], interventions: [current.interventions[0]], note: 'Progress: tighten the goal' };
    const r = await prescriber.put(`/api/v1/patients/${w.patientA}/care-plans/${planId}`, next);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ version: 2, changedBy: w.users.prescriber });
    expectProblem(await counsellor.put(`/api/v1/patients/${w.patientA}/care-plans/${planId}`, { ...next, version: 1 }), 409, 'stale_version', 'body.version');
    const versions = (await peer.get(`/api/v1/patients/${w.patientA}/care-plans/${planId}/versions`)).json().items;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions[0]).toMatchObject({ changedBy: w.users.prescriber, changedByName: 'Test prescriber', note: 'Progress: tighten the goal' });
    expect(versions[0].changes).toEqual(
      expect.arrayContaining([
        { path: `goals.${body.goals[0]!.id}.targetValue`, change: 'changed' },
        { path: `interventions.${current.interventions[1].id}`, change: 'removed' },
      ]),
    );
    expect(versions[1].changes).toEqual([{ path: 'plan', change: 'added' }]);
    const v1 = (await counsellor.get(`/api/v1/patients/${w.patientA}/care-plans/${planId}/versions/1`)).json();
    expect(v1.content.goals[0].targetValue).toBe(4);
    expect(v1.content.interventions).toHaveLength(2);
    expectProblem(await counsellor.get(`/api/v1/patients/${w.patientA}/care-plans/${planId}/versions/9`), 404);
    await expect(w.database.query("update care_plan_versions set note = 'x'")).rejects.toThrow();
    const audits = await w.database.query<{ detail: { fields: string[] } }>("select detail from audit_events where action = 'update' and entity = 'care-plan'");
    expect(audits[0]!.detail.fields.length).toBeGreaterThan(0);
    expect(JSON.stringify(audits)).not.toContain('Fewer days');
  });

  it('records the patient’s agreement to a version (who, when, how)', async () => {
    expectProblem(
      await counsellor.post(`/api/v1/patients/${w.patientA}/care-plans/${planId}/agreements`, { version: 2, agreedBy: 'legal-representative', method: 'verbal' }),
      400,
      'invalid_input',
      'body.representativeName',
    );
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/care-plans/${planId}/agreements`, { version: 3, method: 'verbal' }), 400, 'invalid_input', 'body.version');
    const r = await counsellor.post(`/api/v1/patients/${w.patientA}/care-plans/${planId}/agreements`, { version: 2, method: 'signed-paper', agreedAt: '2026-03-02T14:30:00Z' });
    expect(r.statusCode).toBe(200);
    expect(r.json().agreement).toMatchObject({ version: 2, agreedBy: 'patient', method: 'signed-paper', agreedAt: '2026-03-02T14:30:00.000Z', recordedBy: w.users.counsellor });
    const list = (await counsellor.get(`/api/v1/patients/${w.patientA}/care-plans`)).json().items;
    expect(list).toEqual([expect.objectContaining({ id: planId, version: 2, agreedToCurrent: true })]);
    expectProblem(await peer.post(`/api/v1/patients/${w.patientA}/care-plans/${planId}/agreements`, { version: 2, method: 'verbal' }), 403);
  });

  it('prints a plan as escaped HTML', async () => {
    const r = await counsellor.get(`/api/v1/patients/${w.patientA}/care-plans/${planId}/print`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.body).toContain('Motivational interviewing sessions');
    expect(r.body).toContain('42 CFR Part 2');
    expect(r.body).toContain('signed-paper');
    const xss = await counsellor.post(`/api/v1/patients/${w.patientA}/care-plans`, plan({ title: '<script>alert(1)</script>' }));
    const html = (await counsellor.get(`/api/v1/patients/${w.patientA}/care-plans/${xss.json().id}/print`)).body;
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('another programme gets 404 for the plans', async () => {
    expectProblem(await adminB.get(`/api/v1/patients/${w.patientA}/care-plans/${planId}`), 404);
    expectProblem(await adminB.get(`/api/v1/patients/${w.patientB}/care-plans/${planId}`), 404);
    expectProblem(await adminB.put(`/api/v1/patients/${w.patientB}/care-plans/${planId}`, { ...plan(), version: 2 }), 404);
    expectProblem(await adminB.get(`/api/v1/patients/${w.patientB}/care-plans/${planId}/print`), 404);
  });
});

describe('plan-review work list', () => {
  it('lists plans due within 7 days (programme time zone) where I am responsible or on the care team', async () => {
    // today is 2026-03-02 in New York (clock 15:00Z)
    const due = (reviewDate: string, staff: string) => {
      const b = plan({ reviewDate });
      b.goals[0]!.responsibleStaffIds = [staff];
      b.interventions = [{ ...b.interventions[0]!, responsibleStaffIds: [staff] }];
      return b;
    };
    const p1 = (await prescriber.post(`/api/v1/patients/${w.patientA}/care-plans`, due('2026-03-09', w.users.prescriber))).json();
    const p2 = (await prescriber.post(`/api/v1/patients/${w.patientA}/care-plans`, due('2026-03-10', w.users.prescriber))).json();
    const p3 = (await prescriber.post(`/api/v1/patients/${w.patientA}/care-plans`, due('2026-02-20', w.users.prescriber))).json();
    const list = (await prescriber.get('/api/v1/work-list/plan-reviews')).json();
    expect(list.today).toBe('2026-03-02');
    expect(list.horizon).toBe('2026-03-09');
    const ids = list.items.map((i: { planId: string }) => i.planId);
    expect(ids).toContain(p1.id);
    expect(ids).toContain(p3.id);
    expect(ids).not.toContain(p2.id);
    expect(list.items.find((i: { planId: string }) => i.planId === p3.id)).toMatchObject({ overdue: true, dueInDays: -10, why: ['responsible'], mrn: 'A-0001' });
    const first = (await prescriber.get('/api/v1/work-list/plan-reviews?limit=1')).json();
    expect(first.items[0].planId).toBe(p3.id);
    const second = (await prescriber.get(`/api/v1/work-list/plan-reviews?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].planId).not.toBe(p3.id);
    // on the care team but not responsible
    const cmList = (await cm.get('/api/v1/work-list/plan-reviews')).json();
    expect(cmList.items.map((i: { planId: string }) => i.planId)).not.toContain(p1.id);
    await counsellor.post(`/api/v1/patients/${w.patientA}/care-team`, { userId: w.users['cm-coordinator'], role: 'cm-coordinator' });
    const after = (await cm.get('/api/v1/work-list/plan-reviews')).json();
    expect(after.items.find((i: { planId: string }) => i.planId === p1.id)).toMatchObject({ why: ['care-team'] });
    // at 03:00Z on 2026-03-03 it is still 2 March in New York
    w.clock.now = new Date('2026-03-03T03:00:00Z');
    const late = (await w.client('prescriber')).get('/api/v1/work-list/plan-reviews');
    expect((await (await late).json()).today).toBe('2026-03-02');
    expect((await adminB.get('/api/v1/work-list/plan-reviews')).statusCode).toBe(401); // idle
    const b = await (await w.client('adminB')).get('/api/v1/work-list/plan-reviews');
    expect(b.json().items).toEqual([]);
  });
});
