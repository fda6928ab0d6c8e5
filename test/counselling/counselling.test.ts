// Counselling compliance, caseloads and the counsellor's today over HTTP (issue 14, ADR 043):
// statuses over a scripted history of visits, the overdue list and the monthly report (totals
// equal the per-patient rows; CSV safe against formula injection), the rules editor (400 naming
// the field, nothing saved), caseload transfers with their history kept, and the today view's
// content and audit rows.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../server/platform/db/database.ts';
import { encounterParticipants, encounters } from '../../server/modules/encounters/encounters.tables.ts';
import { episodes, patients } from '../../server/modules/patients/patients.tables.ts';
import { createUserWithRoles } from '../../server/modules/programs/bootstrap.ts';
import { enrolled, specimen } from '../cm/support.ts';
import { onPostgres } from '../support/db.ts';
import { expectProblem } from '../support/http.ts';
import { walkPlan } from '../support/fixtures.ts';
import { makeWorld, PASSWORD, type Client, type World } from '../support/world.ts';

type Visit = { patientId: string; type: string; at: string; attendance: string | null; staffId?: string; status?: string };

describe('counselling', () => {
  let w: World;
  let admin: Client;
  let counsellor: Client;
  let counsellor2Id = '';
  const p1 = randomUUID(); // admitted 2026-01-05, last seen 2026-02-20: overdue on 2026-03-02
  const p2 = randomUUID(); // admitted 2026-02-01, seen late on 2026-02-27: on track on 2026-03-02, due on 2026-03-03
  const p3 = randomUUID(); // no episode: never listed

  const visit = async (v: Visit) => {
    const id = randomUUID();
    const startsAt = new Date(v.at);
    await inTransaction(w.database.db, async (tx) => {
      await tx.insert(encounters).values({
        programId: w.programA,
        id,
        typeCode: v.type,
        modality: 'in-person',
        startsAt,
        endsAt: new Date(startsAt.getTime() + 3_600_000),
        staffId: v.staffId ?? w.users.counsellor,
        status: v.status ?? 'scheduled',
        createdAt: w.clock.now,
        updatedAt: w.clock.now,
      });
      await tx.insert(encounterParticipants).values({ programId: w.programA, encounterId: id, patientId: v.patientId, attendance: v.attendance, addedAt: w.clock.now });
    });
    return id;
  };

  beforeAll(async () => {
    w = await makeWorld();
    await inTransaction(w.database.db, async (tx) => {
      const base = {
        programId: w.programA,
        legalFamilyName: 'Fictional',
        preferredLanguage: 'en',
        contactConsent: false,
        version: 1,
        createdAt: w.clock.now,
        updatedAt: w.clock.now,
        birthDate: '1990-01-01',
      };
      await tx.insert(patients).values([
        { ...base, id: p1, mrn: 'C-1', legalGivenName: 'Birch' },
        { ...base, id: p2, mrn: 'C-2', legalGivenName: 'Cedar', preferredName: '=HYPERLINK("http://x.example")' },
        { ...base, id: p3, mrn: 'C-3', legalGivenName: 'Dogwood' },
      ]);
      await tx.insert(episodes).values([
        { programId: w.programA, id: randomUUID(), patientId: p1, levelOfCare: 'otp', admittedOn: '2026-01-05', createdAt: w.clock.now },
        { programId: w.programA, id: randomUUID(), patientId: p2, levelOfCare: 'otp', admittedOn: '2026-02-01', createdAt: w.clock.now },
      ]);
      counsellor2Id = await createUserWithRoles(tx, {
        orgId: w.orgId,
        email: `counsellor2-${randomUUID().slice(0, 6)}@test.example`,
        displayName: 'Second Counsellor',
        password: PASSWORD,
        roles: [{ programId: w.programA, role: 'counsellor' }],
        now: w.clock.now,
        checkPassword: false,
      });
    });
    // times are UTC; New York is 5 hours behind: every visit below is on the date it names
    await visit({ patientId: p1, type: 'individual-counselling', at: '2026-01-30T15:00:00Z', attendance: 'attended' });
    await visit({ patientId: p1, type: 'individual-counselling', at: '2026-02-20T15:00:00Z', attendance: 'attended' });
    await visit({ patientId: p1, type: 'group-cbt', at: '2026-02-25T15:00:00Z', attendance: 'no-show' }); // not seen
    await visit({ patientId: p1, type: 'medication-dosing', at: '2026-02-27T15:00:00Z', attendance: 'attended' }); // not counselling
    await visit({ patientId: p1, type: 'individual-counselling', at: '2026-02-28T15:00:00Z', attendance: null, status: 'cancelled' });
    await visit({ patientId: p2, type: 'group-cbt', at: '2026-02-27T15:00:00Z', attendance: 'late' });
    await visit({ patientId: p2, type: 'mi-session', at: '2026-02-10T15:00:00Z', attendance: 'left-early' });
    admin = await w.client('administrator');
    counsellor = await w.client('counsellor');
  }, 120_000);
  afterAll(async () => {
    await w?.close();
  });

  describe('compliance', () => {
    it('gives each person’s status from their counselling visits: seen, not a no-show, not another kind of visit', async () => {
      const one = await counsellor.get(`/api/v1/patients/${p1}/counselling-compliance`);
      expect(one.statusCode, one.body).toBe(200);
      expect(one.json()).toMatchObject({
        today: '2026-03-02',
        admittedOn: '2026-01-05',
        informsOnly: true,
        compliance: { status: 'overdue', lastSeenOn: '2026-02-20', dueOn: '2026-02-27', daysOverdue: 3 },
      });
      const two = (await counsellor.get(`/api/v1/patients/${p2}/counselling-compliance`)).json();
      expect(two).toMatchObject({ compliance: { status: 'on-track', lastSeenOn: '2026-02-27', dueOn: '2026-03-06' } });
      expect((await counsellor.get(`/api/v1/patients/${p3}/counselling-compliance`)).json()).toMatchObject({ admittedOn: null, compliance: null });
      expectProblem(await counsellor.get(`/api/v1/patients/${w.patientB}/counselling-compliance`), 404);
      const audit = await w.database.query("select patient_id from audit_events where entity = 'counselling-compliance' and action = 'read' and patient_id = $1", [p1]);
      expect(audit).toHaveLength(1);
    });

    it('lists who is overdue, and who is due, by counsellor', async () => {
      const overdue = await counsellor.get('/api/v1/counselling/compliance/overdue');
      expect(overdue.statusCode, overdue.body).toBe(200);
      const body = overdue.json() as { items: Array<{ patientId: string; status: string; daysOverdue: number }>; nextCursor: string | null };
      expect(body.items.map((i) => i.patientId)).toContain(p1);
      expect(body.items.every((i) => i.status === 'overdue')).toBe(true);
      expect(body.items.map((i) => i.patientId)).not.toContain(p2);
      w.clock.advance(86_400_000); // 2026-03-03: p2 is due within three days (a new sign-in: a day ends a session)
      const due = (await (await w.client('counsellor')).get('/api/v1/counselling/compliance/overdue?status=due')).json() as { items: Array<{ patientId: string }> };
      expect(due.items.map((i) => i.patientId)).toEqual([p2]);
      w.clock.advance(-86_400_000);
      counsellor = await w.client('counsellor');
      admin = await w.client('administrator');
      const paged = (await counsellor.get('/api/v1/counselling/compliance/overdue?limit=1')).json() as { items: unknown[]; nextCursor: string | null };
      expect(paged.items).toHaveLength(1);
      expectProblem(await counsellor.get('/api/v1/counselling/compliance/overdue?cursor=%%%'), 400, undefined, 'query.cursor');
    });

    it('the monthly report: per patient and per counsellor, totals equal the rows, CSV safe to open in a spreadsheet', async () => {
      const r = await counsellor.get('/api/v1/counselling/compliance/report?month=2026-02');
      expect(r.statusCode, r.body).toBe(200);
      type Row = { patientId: string; required: number; held: number; statusAtMonthEnd: string | null };
      const rep = r.json() as {
        patients: Row[];
        counsellors: Array<{ patients: number; required: number; held: number; overdue: number; onTrack: number; due: number }>;
        totals: Record<string, number>;
      };
      const byId = new Map(rep.patients.map((p) => [p.patientId, p]));
      // p1: weekly all month (28 days): 4 required, 1 held (02-20), overdue at month end (due 02-27)
      expect(byId.get(p1)).toMatchObject({ required: 4, held: 1, statusAtMonthEnd: 'overdue' });
      // p2: admitted 02-01, weekly: 4 required; held 02-10 (left early: seen) and 02-27 (late: seen)
      expect(byId.get(p2)).toMatchObject({ required: 4, held: 2, statusAtMonthEnd: 'on-track' });
      expect(byId.has(p3)).toBe(false);
      const sum = (k: 'required' | 'held') => rep.patients.reduce((n, p) => n + p[k], 0);
      expect(rep.totals).toMatchObject({ patients: rep.patients.length, required: sum('required'), held: sum('held') });
      expect(rep.counsellors.reduce((n, c) => n + c.patients, 0)).toBe(rep.totals.patients);
      expect(rep.counsellors.reduce((n, c) => n + c.held, 0)).toBe(rep.totals.held);
      expect(rep.totals.onTrack! + rep.totals.due! + rep.totals.overdue!).toBe(rep.patients.filter((p) => p.statusAtMonthEnd).length);

      const csv = await counsellor.request({ method: 'GET', url: '/api/v1/counselling/compliance/report?month=2026-02', headers: { accept: 'text/csv' } });
      expect(csv.statusCode, csv.body).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const lines = csv.body.trim().split('\r\n');
      expect(lines[0]).toBe('section,patient_id,patient,mrn,counsellor,required,held,status_at_month_end,due_on,patients,on_track,due,overdue');
      expect(lines.filter((l) => l.startsWith('patient,'))).toHaveLength(rep.patients.length);
      const p2Line = lines.find((l) => l.includes(p2))!;
      expect(p2Line).toContain(`"'=HYPERLINK(""http://x.example"") Fictional"`);
      expect(lines.at(-1)).toBe(`total,,,,,${rep.totals.required},${rep.totals.held},,,${rep.totals.patients},${rep.totals.onTrack},${rep.totals.due},${rep.totals.overdue}`);
      const viaQuery = await counsellor.get('/api/v1/counselling/compliance/report?month=2026-02&format=csv');
      expect(viaQuery.body).toBe(csv.body);
      expectProblem(await counsellor.get('/api/v1/counselling/compliance/report?month=2026-13'), 400, undefined, 'querystring.month');
      expect((await w.database.query("select 1 from audit_events where entity = 'counselling-compliance' and action = 'export'")).length).toBe(2);
    });
  });

  describe('rules', () => {
    it('the default until an administrator saves; a bad rule set is a 400 naming the field, and nothing is saved', async () => {
      expect((await counsellor.get('/api/v1/counselling/rules')).json()).toMatchObject({
        isDefault: true,
        phases: [
          { fromDay: 0, everyDays: 7 },
          { fromDay: 90, everyDays: 14 },
        ],
        dueSoonDays: 3,
      });
      expect((await counsellor.put('/api/v1/counselling/rules', { phases: [{ fromDay: 0, everyDays: 14 }], dueSoonDays: 3 })).statusCode).toBe(403);
      const bad = await admin.put('/api/v1/counselling/rules', {
        phases: [
          { fromDay: 3, everyDays: 7 },
          { fromDay: 2, everyDays: 0 },
        ],
        dueSoonDays: 2,
      });
      const p = expectProblem(bad, 400, 'invalid_input', 'body.phases.0.fromDay');
      expect(p.problems!.map((x) => x.field)).toEqual(expect.arrayContaining(['body.phases.1.fromDay', 'body.phases.1.everyDays']));
      expectProblem(await admin.put('/api/v1/counselling/rules', { phases: [{ fromDay: 0, everyDays: 7 }], dueSoonDays: 1, extra: 1 }), 400);
      expect((await counsellor.get('/api/v1/counselling/rules')).json()).toMatchObject({ isDefault: true });
      // every 14 days from admission: p1 (last seen 02-20) is due 03-06, on track on 03-02
      const ok = await admin.put('/api/v1/counselling/rules', { phases: [{ fromDay: 0, everyDays: 14 }], dueSoonDays: 2 });
      expect(ok.statusCode, ok.body).toBe(200);
      expect((await counsellor.get(`/api/v1/patients/${p1}/counselling-compliance`)).json()).toMatchObject({ compliance: { status: 'on-track', dueOn: '2026-03-06' } });
      expect(await w.database.query("select 1 from audit_events where entity = 'encounter-settings' and action = 'update'")).toHaveLength(1);
      await admin.put('/api/v1/counselling/rules', {
        phases: [
          { fromDay: 0, everyDays: 7 },
          { fromDay: 90, everyDays: 14 },
        ],
        dueSoonDays: 3,
      });
    });
  });

  describe('caseloads', () => {
    it('assigns, refuses a transfer without a reason, transfers with one and keeps the history; the care team follows', async () => {
      const first = await counsellor.post(`/api/v1/patients/${p1}/caseload`, { kind: 'counsellor', userId: w.users.counsellor });
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toMatchObject({ counsellor: { staff: { id: w.users.counsellor }, endedAt: null }, peer: null });
      expectProblem(await counsellor.post(`/api/v1/patients/${p1}/caseload`, { kind: 'counsellor', userId: w.users.counsellor }), 409, 'already_assigned', 'body.userId');
      expectProblem(await counsellor.post(`/api/v1/patients/${p1}/caseload`, { kind: 'counsellor', userId: counsellor2Id }), 400, 'invalid_input', 'body.reason');
      expectProblem(await counsellor.post(`/api/v1/patients/${p1}/caseload`, { kind: 'peer', userId: counsellor2Id }), 400, 'invalid_input', 'body.userId');
      const peer = await counsellor.post(`/api/v1/patients/${p1}/caseload`, { kind: 'peer', userId: w.users['peer-specialist'] });
      expect(peer.statusCode, peer.body).toBe(200);

      w.clock.advance(60_000);
      const moved = await counsellor.post(`/api/v1/patients/${p1}/caseload`, { kind: 'counsellor', userId: counsellor2Id, reason: 'Schedule fits better' });
      expect(moved.statusCode, moved.body).toBe(200);
      const body = moved.json() as { counsellor: { staff: { id: string }; reason: string }; history: Array<{ kind: string; staff: { id: string }; endedAt: string | null; endReason: string | null }> };
      expect(body.counsellor).toMatchObject({ staff: { id: counsellor2Id }, reason: 'Schedule fits better' });
      expect(body.history.filter((h) => h.kind === 'counsellor')).toEqual([
        expect.objectContaining({ staff: expect.objectContaining({ id: counsellor2Id }), endedAt: null }),
        expect.objectContaining({ staff: expect.objectContaining({ id: w.users.counsellor }), endReason: 'Schedule fits better' }),
      ]);
      const team = (await counsellor.get(`/api/v1/patients/${p1}/care-team`)).json() as { items: Array<{ userId: string; role: string }> };
      expect(team.items).toEqual(expect.arrayContaining([expect.objectContaining({ userId: counsellor2Id, role: 'primary-counsellor' }), expect.objectContaining({ role: 'peer-specialist' })]));
      expect(team.items.find((m) => m.userId === w.users.counsellor && m.role === 'primary-counsellor')).toBeUndefined();
      // history is kept: the database refuses deleting or rewriting an assignment
      await expect(w.database.query('delete from caseload_assignments where patient_id = $1', [p1])).rejects.toThrow();
      await expect(w.database.query("update caseload_assignments set end_reason = 'rewritten' where patient_id = $1 and ended_at is not null", [p1])).rejects.toThrow();
      // ends one without a successor
      const ended = await counsellor.post(`/api/v1/patients/${p1}/caseload/end`, { kind: 'peer', reason: 'Peer support finished' });
      expect(ended.json()).toMatchObject({ peer: null });
      expectProblem(await counsellor.post(`/api/v1/patients/${p1}/caseload/end`, { kind: 'peer', reason: 'again' }), 404);
      expectProblem(await counsellor.post(`/api/v1/patients/${w.patientB}/caseload`, { kind: 'counsellor', userId: counsellor2Id }), 404);
      // the peer specialist may read caseloads but not change them
      expect((await (await w.client('front-desk')).post(`/api/v1/patients/${p1}/caseload`, { kind: 'counsellor', userId: w.users.counsellor, reason: 'x' })).statusCode).toBe(403);
    });

    it.runIf(onPostgres())('two transfers of one patient at once: one current assignment remains, the other is told to reload (PostgreSQL)', async () => {
      await counsellor.post(`/api/v1/patients/${p2}/caseload`, { kind: 'counsellor', userId: w.users.counsellor });
      const [a, b] = await Promise.all([
        counsellor.post(`/api/v1/patients/${p2}/caseload`, { kind: 'counsellor', userId: counsellor2Id, reason: 'first' }),
        admin.post(`/api/v1/patients/${p2}/caseload`, { kind: 'counsellor', userId: counsellor2Id, reason: 'second' }),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
      const current = await w.database.query('select user_id from caseload_assignments where patient_id = $1 and kind = $2 and ended_at is null', [p2, 'counsellor']);
      expect(current).toEqual([{ user_id: counsellor2Id }]);
      // back to unassigned for the tests below
      expect((await counsellor.post(`/api/v1/patients/${p2}/caseload/end`, { kind: 'counsellor', reason: 'test reset' })).statusCode).toBe(200);
    });

    it('shows caseload sizes and each person’s caseload with compliance', async () => {
      const sizes = (await counsellor.get('/api/v1/counselling/caseloads')).json() as { staff: Array<{ staff: { id: string }; counsellor: number; peer: number }>; unassigned: { counsellor: number } };
      expect(sizes.staff.find((s) => s.staff.id === counsellor2Id)).toMatchObject({ counsellor: 1, peer: 0 });
      expect(sizes.unassigned.counsellor).toBe(1); // p2 (p3 has no episode)
      const mine = (await counsellor.get(`/api/v1/counselling/caseloads/patients?userId=${counsellor2Id}`)).json() as { items: Array<{ patientId: string; compliance: { status: string } }> };
      expect(mine.items).toEqual([expect.objectContaining({ patientId: p1, compliance: expect.objectContaining({ status: 'overdue' }) })]);
      const byCounsellor = (await counsellor.get(`/api/v1/counselling/compliance/overdue?counsellorId=${counsellor2Id}`)).json() as {
        items: Array<{ patientId: string; counsellor: { name: string } }>;
      };
      expect(byCounsellor.items).toEqual([expect.objectContaining({ patientId: p1, counsellor: { id: counsellor2Id, name: 'Second Counsellor' } })]);
    });
  });

  describe('the counsellor’s today', () => {
    it('lists my visits of the day with each patient’s stage, plan, CM, screen, check-in, compliance and changes, and audits each patient', async () => {
      const cm = await w.client('cm-coordinator');
      const { patientId: p4 } = await enrolled(w, cm);
      await inTransaction(w.database.db, (tx) =>
        tx.insert(episodes).values({ programId: w.programA, id: randomUUID(), patientId: p4, levelOfCare: 'otp', admittedOn: '2026-02-01', createdAt: w.clock.now }),
      );
      await visit({ patientId: p4, type: 'individual-counselling', at: '2026-02-23T15:00:00Z', attendance: 'attended' });
      // since that visit: a stage judgement, a check-in, a screen and a plan
      expect((await counsellor.post(`/api/v1/patients/${p4}/stage`, { stage: 'preparation', informedBy: ['interview'] })).statusCode).toBe(200);
      expect((await counsellor.post(`/api/v1/patients/${p4}/check-ins`, { answers: { craving: 6, use: { any: false }, medication: 'taken' } })).statusCode).toBe(200);
      const sp = await cm.post('/api/v1/specimens', specimen(p4, '2026-03-02T14:00:00Z'));
      expect(sp.statusCode, sp.body).toBe(200);
      const plan = await counsellor.post(`/api/v1/patients/${p4}/care-plans`, walkPlan(w.users.counsellor, 'Plan (fictional)'));
      expect(plan.statusCode, plan.body).toBe(200);

      const individual = await visit({ patientId: p4, type: 'individual-counselling', at: '2026-03-02T14:00:00Z', attendance: null });
      const group = await visit({ patientId: p1, type: 'group-cbt', at: '2026-03-02T19:00:00Z', attendance: null });
      await inTransaction(w.database.db, (tx) => tx.insert(encounterParticipants).values({ programId: w.programA, encounterId: group, patientId: p2, addedAt: w.clock.now }));
      await visit({ patientId: p2, type: 'individual-counselling', at: '2026-03-02T16:00:00Z', attendance: null, staffId: counsellor2Id }); // not mine
      await visit({ patientId: p2, type: 'individual-counselling', at: '2026-03-03T16:00:00Z', attendance: null }); // another day

      const r = await counsellor.get('/api/v1/counselling/today');
      expect(r.statusCode, r.body).toBe(200);
      type Card = Record<string, unknown> & { patientId: string };
      const today = r.json() as { date: string; informsOnly: boolean; encounters: Array<{ id: string; noteUrl: string; typeLabel: { en: string }; patients: Card[] }> };
      expect(today.date).toBe('2026-03-02');
      expect(today.encounters.map((e) => e.id)).toEqual([individual, group]);
      expect(today.encounters[0]!.noteUrl).toBe(`/encounters/${individual}`);
      expect(today.encounters[1]!.typeLabel.en).toBe('CBT group');
      expect(today.encounters[1]!.patients.map((p) => p.patientId).sort()).toEqual([p1, p2].sort());
      const card = today.encounters[0]!.patients[0]!;
      expect(card).toMatchObject({
        patientId: p4,
        stage: { stage: 'preparation' },
        plan: { title: 'Plan (fictional)', reviewDate: '2026-03-06', reviewDue: true, goals: [expect.objectContaining({ description: 'Fewer days of use' })] },
        cm: { status: 'active', balanceCents: expect.any(Number) },
        latestScreen: { collectedOn: '2026-03-02', valid: true, negative: true, positive: [] },
        latestCheckIn: { craving: 6, usedSince: false, medication: 'taken' },
        compliance: { status: 'due', lastSeenOn: '2026-02-23', dueOn: '2026-03-02' },
        sinceLastSession: { since: '2026-02-23T15:00:00.000Z', screens: 1, checkIns: 1, planChanges: 1 },
      });
      const p1Card = today.encounters[1]!.patients.find((p) => p.patientId === p1)!;
      expect(p1Card).toMatchObject({ stage: null, plan: null, cm: null, latestScreen: null, compliance: { status: 'overdue' }, sinceLastSession: { since: '2026-02-20T15:00:00.000Z' } });

      const audits = await w.database.query<{ patient_id: string }>("select patient_id from audit_events where entity = 'encounter' and action = 'read' and detail->>'view' = 'counsellor-today'");
      expect(audits.map((a) => a.patient_id).sort()).toEqual([p1, p2, p4].sort());

      const other = (await counsellor.get('/api/v1/counselling/today?date=2026-03-03')).json() as { encounters: Array<{ patients: Card[] }> };
      expect(other.encounters).toHaveLength(1);
      expectProblem(await counsellor.get('/api/v1/counselling/today?date=2026-02-30'), 400, undefined, 'querystring.date');
      const none = (await (await w.client('prescriber')).get('/api/v1/counselling/today')).json() as { encounters: unknown[] };
      expect(none.encounters).toEqual([]);

      // a peer specialist's day shows only what the role may read: no CM, screens or compliance
      await visit({ patientId: p4, type: 'peer-contact', at: '2026-03-02T17:00:00Z', attendance: null, staffId: w.users['peer-specialist'] });
      const peerDay = (await (await w.client('peer-specialist')).get('/api/v1/counselling/today')).json() as { encounters: Array<{ patients: Card[] }> };
      expect(peerDay.encounters[0]!.patients[0]).toMatchObject({
        patientId: p4,
        stage: { stage: 'preparation' },
        plan: { title: 'Plan (fictional)' },
        latestCheckIn: { craving: 6 },
        cm: null,
        latestScreen: null,
        compliance: null,
        sinceLastSession: { screens: null, checkIns: 1, planChanges: 1 },
      });
    });
  });

  describe('demo seed', () => {
    it('puts everyone in a current episode on the demo counsellor’s caseload, every third with the peer; a patient with no episode stays off', async () => {
      const { seedCounsellingDemo } = await import('../../server/modules/demo/seed-counselling.ts');
      const staff = new Map([
        ['administrator', { id: w.users.administrator, name: 'Test administrator' }],
        ['counsellor', { id: counsellor2Id, name: 'Second Counsellor' }],
        ['peer-specialist', { id: w.users['peer-specialist'], name: 'Test peer' }],
      ] as const);
      const n = await inTransaction(w.database.db, (tx) => seedCounsellingDemo(tx, { orgId: w.orgId, programId: w.programA, now: w.clock.now, staff: new Map(staff) }));
      expect(n).toBeGreaterThanOrEqual(2); // p2 and p4 (p1 already has a counsellor)
      const sizes = (await counsellor.get('/api/v1/counselling/caseloads')).json() as { unassigned: { counsellor: number } };
      expect(sizes.unassigned.counsellor).toBe(0);
      expect((await counsellor.get(`/api/v1/patients/${p3}/caseload`)).json()).toMatchObject({ counsellor: null });
    });
  });
});
