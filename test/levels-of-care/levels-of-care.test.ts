// Levels of care and medication visits over HTTP (issue 14, ADR 044): a residential stay's
// phases advanced and reduced with reasons (409 on a stale phase, append-only history),
// take-home schedules within the programme's tiers (42 CFR 8.12(i) by default), naltrexone
// injections and the injections-due work list at day boundaries in the programme's time
// zone, field errors, permissions and audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../support/db.ts';
import { expectProblem, newPatient } from '../support/http.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';

type Stay = { id: string; phase: { code: string; privileges: string[] }; history: Array<{ kind: string; from: string | null; to: string | null; reason: string; changedBy: string | null }> };

let w: World;
let counsellor: Client;
let admin: Client;
let prescriber: Client;
const audits = (entity: string, action: string) =>
  w.database.query('select 1 from audit_events where entity = $1 and action = $2 and program_id = $3', [entity, action, w.programA]).then((r) => r.length);

beforeAll(async () => {
  // 2026-03-02T15:00Z: Monday 10:00 in New York (programme A)
  w = await makeWorld();
  [counsellor, admin, prescriber] = await Promise.all([w.client('counsellor'), w.client('administrator'), w.client('prescriber')]);
});
afterAll(async () => {
  await w?.close();
});

describe('residential and therapeutic-community stays', () => {
  let episodeId: string;
  let stay: Stay;

  it('starts a stay at the template’s first phase, in an open residential episode only', async () => {
    const ep = await admin.post(`/api/v1/patients/${w.patientA}/episodes`, { levelOfCare: 'therapeutic-community', admittedOn: '2026-02-01' });
    expect(ep.statusCode, ep.body).toBe(200);
    episodeId = ep.json().id;
    const view = (await counsellor.get(`/api/v1/patients/${w.patientA}/levels-of-care`)).json() as { openEpisodes: Array<{ id: string }>; stays: unknown[] };
    expect(view.openEpisodes.map((e) => e.id)).toEqual([episodeId]);
    expect(view.stays).toEqual([]);

    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/stays`, { episodeId, asamLevel: '1', startedOn: '2026-02-01' }), 400, 'invalid_input', 'body.asamLevel');
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/stays`, { episodeId, asamLevel: '3.5', startedOn: '2026-01-01' }), 400, 'invalid_input', 'body.startedOn');
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/stays`, { episodeId, asamLevel: 'nine', startedOn: '2026-02-01' }), 400, undefined, 'body.asamLevel');
    const r = await counsellor.post(`/api/v1/patients/${w.patientA}/stays`, { episodeId, asamLevel: '3.5', startedOn: '2026-02-01' });
    expect(r.statusCode, r.body).toBe(200);
    stay = r.json();
    expect(stay.phase.code).toBe('orientation');
    expect(stay.phase.privileges.length).toBeGreaterThan(0);
    expect(stay.history).toMatchObject([{ kind: 'started', from: null, to: 'orientation', changedBy: 'Test counsellor' }]);
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/stays`, { episodeId, asamLevel: '3.5', startedOn: '2026-02-02' }), 409, 'stay_open');
    expect(await audits('stay', 'create')).toBe(1);
  });

  it('advances and reduces one phase with a reason; a stale phase is a 409 and writes nothing', async () => {
    const url = `/api/v1/patients/${w.patientA}/stays/${stay.id}/phase-changes`;
    expectProblem(await counsellor.post(url, { direction: 'advance', fromPhase: 'orientation', reason: '  ' }), 400, undefined, 'body.reason');
    const up = await counsellor.post(url, { direction: 'advance', fromPhase: 'orientation', reason: 'Thirty days, engaged in every group' });
    expect(up.statusCode, up.body).toBe(200);
    expect((up.json() as Stay).phase.code).toBe('primary');
    // the same click again (another tab): the phase moved since
    expectProblem(await counsellor.post(url, { direction: 'advance', fromPhase: 'orientation', reason: 'again' }), 409, 'stale_phase', 'body.fromPhase');
    const down = await counsellor.post(url, { direction: 'reduce', fromPhase: 'primary', reason: 'Left the house without a pass' });
    expect((down.json() as Stay).phase.code).toBe('orientation');
    expectProblem(await counsellor.post(url, { direction: 'reduce', fromPhase: 'orientation', reason: 'x' }), 409, 'no_such_phase', 'body.direction');
    const view = (await counsellor.get(`/api/v1/patients/${w.patientA}/levels-of-care`)).json() as { stays: Stay[] };
    expect(view.stays[0]!.history.map((h) => [h.kind, h.from, h.to, h.reason])).toEqual([
      ['started', null, 'orientation', 'Admitted'],
      ['advanced', 'orientation', 'primary', 'Thirty days, engaged in every group'],
      ['reduced', 'primary', 'orientation', 'Left the house without a pass'],
    ]);
    expect(await audits('stay', 'update')).toBe(2);
    expect(await audits('level-of-care', 'read')).toBeGreaterThanOrEqual(2);
  });

  it.runIf(onPostgres())('two moves from the same phase at once: one is applied, the other is refused 409 (PostgreSQL)', async () => {
    const url = `/api/v1/patients/${w.patientA}/stays/${stay.id}/phase-changes`;
    const other = await w.client('prescriber');
    const rs = await Promise.all([
      counsellor.post(url, { direction: 'advance', fromPhase: 'orientation', reason: 'first (concurrent)' }),
      other.post(url, { direction: 'advance', fromPhase: 'orientation', reason: 'second (concurrent)' }),
    ]);
    expect(rs.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const back = await counsellor.post(url, { direction: 'reduce', fromPhase: 'primary', reason: 'back for the next test' });
    expect(back.statusCode, back.body).toBe(200);
    const view = (await counsellor.get(`/api/v1/patients/${w.patientA}/levels-of-care`)).json() as { stays: Stay[] };
    expect(view.stays[0]!.history.filter((h) => h.reason.endsWith('(concurrent)'))).toHaveLength(1);
  });

  it('keeps the history append-only', async () => {
    await expect(w.database.query("update stay_phase_changes set reason = 'rewritten' where program_id = $1", [w.programA])).rejects.toThrow();
    await expect(w.database.query('delete from stay_phase_changes where program_id = $1', [w.programA])).rejects.toThrow();
  });

  it('ends the stay; an ended stay does not move', async () => {
    const end = `/api/v1/patients/${w.patientA}/stays/${stay.id}/end`;
    expectProblem(await counsellor.post(end, { endedOn: '2026-01-15', reason: 'x' }), 400, 'invalid_input', 'body.endedOn');
    expect((await counsellor.post(end, { endedOn: '2026-03-01', reason: 'Moved to outpatient' })).statusCode).toBe(200);
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/stays/${stay.id}/phase-changes`, { direction: 'advance', fromPhase: 'orientation', reason: 'x' }), 409, 'stay_ended');
  });

  it('is read with read:level-of-care and written with write:level-of-care only', async () => {
    for (const role of ['peer-specialist', 'front-desk', 'cm-coordinator'] as const) {
      const c = await w.client(role);
      expect((await c.get(`/api/v1/patients/${w.patientA}/levels-of-care`)).statusCode).toBe(403);
      expect((await c.post(`/api/v1/patients/${w.patientA}/stays`, { episodeId, asamLevel: '3.5', startedOn: '2026-02-01' })).statusCode).toBe(403);
    }
  });
});

describe('take-home schedules', () => {
  const base = { medication: 'methadone', dose: '60 mg', treatmentStartedOn: '2026-02-20', clinicDays: [1, 3, 5, 1] };

  it('refuses more take-home doses than the tier of that day of treatment allows (7 in the first 14 days, 14 from day 15, 28 from day 31)', async () => {
    const url = `/api/v1/patients/${w.patientA}/take-home-schedules`;
    const over = await prescriber.post(url, { ...base, effectiveOn: '2026-03-02', takeHomeDoses: 8 });
    expectProblem(over, 400, 'over_take_home_limit', 'body.takeHomeDoses');
    expectProblem(await prescriber.post(url, { ...base, effectiveOn: '2026-02-19', takeHomeDoses: 1 }), 400, 'invalid_input', 'body.effectiveOn');
    const ok = await prescriber.post(url, { ...base, effectiveOn: '2026-03-02', takeHomeDoses: 7 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ takeHomeDoses: 7, clinicDays: [1, 3, 5], prescriber: 'Test prescriber' });
    expectProblem(await prescriber.post(url, { ...base, effectiveOn: '2026-03-06', takeHomeDoses: 15 }), 400, 'over_take_home_limit');
    expect((await prescriber.post(url, { ...base, effectiveOn: '2026-03-06', takeHomeDoses: 14 })).statusCode).toBe(200);
    expect((await prescriber.post(url, { ...base, effectiveOn: '2026-03-22', takeHomeDoses: 28 })).statusCode).toBe(200);
    const view = (await counsellor.get(`/api/v1/patients/${w.patientA}/levels-of-care`)).json() as {
      takeHomes: { current: { takeHomeDoses: number }; dayOfTreatment: number; maxTakeHomeDoses: number; history: unknown[] };
    };
    // today (2 March) is day 11: the schedule in force is the one from 2 March
    expect(view.takeHomes).toMatchObject({ current: { takeHomeDoses: 7 }, dayOfTreatment: 11, maxTakeHomeDoses: 7 });
    expect(view.takeHomes.history).toHaveLength(3);
    expect(await audits('take-home-schedule', 'create')).toBe(3);
  });

  it('follows a programme’s stricter tiers, and refuses tiers above the federal rule', async () => {
    const settings = (await admin.get('/api/v1/levels-of-care/settings')).json() as { phaseTemplate: unknown; takeHomeTiers: unknown; updatedAt: string | null };
    expect(settings.updatedAt).toBeNull();
    expect(settings.takeHomeTiers).toEqual([
      { fromDay: 1, maxDoses: 7 },
      { fromDay: 15, maxDoses: 14 },
      { fromDay: 31, maxDoses: 28 },
    ]);
    expectProblem(
      await admin.put('/api/v1/levels-of-care/settings', { phaseTemplate: settings.phaseTemplate, takeHomeTiers: [{ fromDay: 1, maxDoses: 8 }] }),
      400,
      'invalid_input',
      'body.takeHomeTiers[0].maxDoses',
    );
    expect((await counsellor.put('/api/v1/levels-of-care/settings', { phaseTemplate: settings.phaseTemplate, takeHomeTiers: [{ fromDay: 1, maxDoses: 1 }] })).statusCode).toBe(403);
    const saved = await admin.put('/api/v1/levels-of-care/settings', { phaseTemplate: settings.phaseTemplate, takeHomeTiers: [{ fromDay: 1, maxDoses: 2 }] });
    expect(saved.statusCode, saved.body).toBe(200);
    expectProblem(await prescriber.post(`/api/v1/patients/${w.patientA}/take-home-schedules`, { ...base, effectiveOn: '2026-03-02', takeHomeDoses: 3 }), 400, 'over_take_home_limit');
    expect(await audits('level-of-care-settings', 'update')).toBe(1);
  });
});

describe('extended-release naltrexone injections', () => {
  let patientB: string;
  const due = async (c = counsellor) =>
    (await c.get('/api/v1/levels-of-care/injections-due')).json() as { today: string; items: Array<{ patientId: string; status: string; dueOn: string; daysUntilDue: number }> };

  it('records injections (dose and site required, no future dates) and lists who is due soon, due or overdue', async () => {
    const url = `/api/v1/patients/${w.patientA}/naltrexone-injections`;
    expectProblem(await prescriber.post(url, { givenOn: '2026-02-06', doseMg: 380 }), 400, 'invalid_input', 'body.site');
    expectProblem(await prescriber.post(url, { givenOn: '2026-03-03', doseMg: 380, site: 'left-gluteal' }), 400, 'invalid_input', 'body.givenOn');
    expect((await prescriber.post(url, { givenOn: '2026-01-09', doseMg: 380, site: 'right-gluteal' })).statusCode).toBe(200);
    // a retry with the same Idempotency-Key records once
    const r = await prescriber.post(url, { givenOn: '2026-02-06', doseMg: 380, site: 'left-gluteal' }, { 'idempotency-key': 'xrntx-feb' });
    expect(r.statusCode, r.body).toBe(200);
    const again = await prescriber.post(url, { givenOn: '2026-02-06', doseMg: 380, site: 'left-gluteal' }, { 'idempotency-key': 'xrntx-feb' });
    expect(again.json().id).toBe(r.json().id);
    const other = await admin.post('/api/v1/patients', { ...newPatient('xrntx'), confirmNotDuplicate: true });
    expect(other.statusCode, other.body).toBe(200);
    patientB = other.json().id;
    expect((await prescriber.post(`/api/v1/patients/${patientB}/naltrexone-injections`, { givenOn: '2026-01-20', doseMg: 380, site: 'left-gluteal' })).statusCode).toBe(200);
    const list = await due();
    expect(list.today).toBe('2026-03-02');
    expect(list.items.map((i) => [i.patientId, i.status, i.dueOn, i.daysUntilDue])).toEqual([
      [patientB, 'overdue', '2026-02-17', -13],
      [w.patientA, 'due-soon', '2026-03-06', 4],
    ]);
    const view = (await counsellor.get(`/api/v1/patients/${w.patientA}/levels-of-care`)).json() as { injections: { items: unknown[]; next: { status: string } } };
    expect(view.injections.items).toHaveLength(2);
    expect(view.injections.next).toMatchObject({ dueOn: '2026-03-06', status: 'due-soon' });
    expect(await audits('naltrexone-injection', 'search')).toBeGreaterThanOrEqual(1);
  });

  it('a stopped course is off the list', async () => {
    expect((await prescriber.post(`/api/v1/patients/${patientB}/naltrexone-injections`, { kind: 'stopped', givenOn: '2026-03-02', note: 'Chose buprenorphine' })).statusCode).toBe(200);
    expect((await due()).items.map((i) => i.patientId)).toEqual([w.patientA]);
  });

  it('turns due and overdue at local midnight in the programme’s time zone, not UTC', async () => {
    // a fresh sign-in at each moment (a session does not last the days between)
    const at = async (iso: string) => {
      w.clock.now = new Date(iso);
      return (await due(await w.client('counsellor'))).items[0];
    };
    // 2026-03-06 00:30 UTC is still 5 March in New York: due soon, one day to go
    expect(await at('2026-03-06T00:30:00Z')).toMatchObject({ status: 'due-soon', daysUntilDue: 1 });
    expect(await at('2026-03-06T05:00:00Z')).toMatchObject({ status: 'due', daysUntilDue: 0 }); // 00:00 on 6 March in New York
    expect(await at('2026-03-07T04:59:59Z')).toMatchObject({ status: 'due' }); // 23:59:59 on 6 March
    expect(await at('2026-03-07T05:00:00Z')).toMatchObject({ status: 'overdue', daysUntilDue: -1 });
    w.clock.now = new Date('2026-03-02T15:00:00Z');
    counsellor = await w.client('counsellor');
  });

  it('is append-only, and the work list needs read:level-of-care', async () => {
    await expect(w.database.query('delete from naltrexone_injections where program_id = $1', [w.programA])).rejects.toThrow();
    await expect(w.database.query('update take_home_schedules set take_home_doses = 28 where program_id = $1', [w.programA])).rejects.toThrow();
    expect((await (await w.client('front-desk')).get('/api/v1/levels-of-care/injections-due')).statusCode).toBe(403);
  });
});
