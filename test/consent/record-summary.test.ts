// What a disclosure contains (issue 16): the record summary by kind of information, read from
// each module's tables for a patient with records of every kind — and only the kinds asked for,
// in English and Spanish, in the programme's time zone, without writing anything (the caller
// records the disclosure). Counselling notes are never read: asking for them throws, and their
// words appear in no section. The family member's card has a key only for each kind asked for.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_CLASSES, type DataClass } from '../../core/consent/consent.ts';
import { DATA_CLASS_LABELS } from '../../core/consent/templates.ts';
import { INSTRUMENTS } from '../../core/instruments/index.ts';
import { familySummary, recordSections, type Section } from '../../server/modules/consent/record-summary.ts';
import { checkIns } from '../../server/modules/checkins/checkins.tables.ts';
import { encounterParticipants, encounters } from '../../server/modules/encounters/encounters.tables.ts';
import { medications } from '../../server/modules/patients/patients.tables.ts';
import { screens } from '../../server/modules/screens/screens.tables.ts';
import { inTransaction } from '../../server/platform/db/database.ts';
import { AppError } from '../../server/platform/errors.ts';
import { clinicProtocol, NEG, showDraws, specimen } from '../cm/support.ts';
import { newPatient } from '../support/http.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';

/** Friday 2026-03-20, 16:00 in New York (EDT, UTC−4): programme A's "today" is 2026-03-20. */
const NOW = new Date('2026-03-20T20:00:00Z');
const EVERY: DataClass[] = DATA_CLASSES.filter((d) => d !== 'counselling-notes');
const COUNSELLING_WORDS = 'Private counselling words';
const DRAFT_WORDS = 'Draft words not for sharing';

async function ok<T>(what: string, res: Promise<{ statusCode: number; body: string; json(): unknown }>): Promise<T> {
  const r = await res;
  if (r.statusCode !== 200) throw new Error(`${what}: ${r.statusCode} ${r.body.slice(0, 400)}`);
  return r.json() as T;
}

describe('record summary by kind of information', () => {
  let w: World;
  let admin: Client;
  let patientId: string;
  let patient: { mrn: string; legalGivenName: string; legalFamilyName: string };
  const visits: Record<string, string> = {};

  const read = (dataClasses: readonly DataClass[], opts: { lang?: 'en' | 'es'; now?: Date; programId?: string; patient?: string } = {}) =>
    inTransaction(w.database.db, (tx) =>
      recordSections(tx, { programId: opts.programId ?? w.programA, patientId: opts.patient ?? patientId, dataClasses, lang: opts.lang ?? 'en', now: opts.now ?? NOW }),
    );
  const family = (dataClasses: readonly DataClass[], opts: { lang?: 'en' | 'es'; now?: Date; patient?: string } = {}) =>
    inTransaction(w.database.db, (tx) => familySummary(tx, { programId: w.programA, patientId: opts.patient ?? patientId, dataClasses, lang: opts.lang ?? 'en', now: opts.now ?? NOW }));
  const section = (all: Section[], dc: DataClass) => {
    const s = all.find((x) => x.dataClass === dc);
    if (!s) throw new Error(`no ${dc} section`);
    return s;
  };

  /** A visit on the schedule with the patient booked on it (as the schedule's rows are kept). */
  async function visit(name: string, startsAt: string, o: { type?: string; modality?: string; status?: string; attendance?: string | null } = {}) {
    const id = randomUUID();
    const start = new Date(startsAt);
    await inTransaction(w.database.db, async (tx) => {
      await tx.insert(encounters).values({
        programId: w.programA,
        id,
        typeCode: o.type ?? 'individual-counselling',
        modality: o.modality ?? 'in-person',
        startsAt: start,
        endsAt: new Date(start.getTime() + 50 * 60_000),
        staffId: w.users.counsellor,
        status: o.status ?? 'scheduled',
        createdAt: NOW,
        updatedAt: NOW,
      });
      await tx.insert(encounterParticipants).values({ programId: w.programA, encounterId: id, patientId, attendance: o.attendance ?? null, addedAt: NOW });
    });
    visits[name] = id;
  }

  beforeAll(async () => {
    w = await makeWorld({ now: NOW.toISOString() });
    admin = await w.client('administrator');
    const created = await ok<{ id: string; mrn: string; legalGivenName: string; legalFamilyName: string }>(
      'patient',
      admin.post('/api/v1/patients', newPatient('rs1', { legalGivenName: 'Rowan', legalFamilyName: 'Summaryson', birthDate: '1988-07-14', phone: '+1 555 555 0177' })),
    );
    patientId = created.id;
    patient = created;

    // medication: one current, one that ended
    await inTransaction(w.database.db, async (tx) => {
      await tx.insert(medications).values([
        { programId: w.programA, id: randomUUID(), patientId, medication: 'buprenorphine', dose: '16 mg', startedOn: '2025-06-01', endedOn: '2025-11-30', createdAt: NOW },
        { programId: w.programA, id: randomUUID(), patientId, medication: 'methadone', dose: '80 mg', startedOn: '2025-12-01', createdAt: NOW },
      ]);
    });

    // visits: six ahead (the section lists five), one whose place was cancelled, one cancelled visit,
    // one earlier today not recorded yet, three in the last days and one long ago
    await visit('ahead1', '2026-03-23T14:00:00Z');
    await visit('ahead2', '2026-03-24T13:30:00Z', { type: 'medication-dosing' });
    await visit('ahead3', '2026-03-25T14:00:00Z', { modality: 'video' });
    await visit('ahead4', '2026-03-26T14:00:00Z');
    await visit('ahead5', '2026-03-27T14:00:00Z', { modality: 'phone' });
    await visit('ahead6', '2026-03-30T14:00:00Z');
    await visit('placeCancelled', '2026-03-22T14:00:00Z', { attendance: 'cancelled-patient' });
    await visit('visitCancelled', '2026-03-21T14:00:00Z', { status: 'cancelled', attendance: 'cancelled-clinic' });
    await visit('today', '2026-03-20T13:00:00Z');
    await visit('came', '2026-03-16T14:00:00Z', { status: 'completed', attendance: 'attended' });
    await visit('missed', '2026-03-18T18:00:00Z', { type: 'medication-dosing', status: 'completed', attendance: 'no-show' });
    await visit('late', '2026-03-19T14:00:00Z', { status: 'completed', attendance: 'late' });
    await visit('longAgo', '2025-11-03T15:00:00Z', { status: 'completed', attendance: 'attended' });

    // check-ins: three days in a row up to yesterday, and one a week before
    await inTransaction(w.database.db, async (tx) => {
      for (const day of ['2026-03-10', '2026-03-17', '2026-03-18', '2026-03-18', '2026-03-19'])
        await tx.insert(checkIns).values({
          programId: w.programA,
          id: randomUUID(),
          patientId,
          day,
          madeAt: new Date(`${day}T16:00:00Z`),
          answers: { mood: 3 },
          source: 'app',
          idempotencyKey: randomUUID(),
          outcome: {},
          recordedAt: new Date(`${day}T16:00:00Z`),
        });
    });

    // CM and screens: enrolled, two negatives through the API (a methadone positive is the prescribed medication),
    // a lab correction, an invalid sample and one long before the window (kept as the screens table keeps them)
    const proto = await ok<{ id: string }>('protocol', admin.post('/api/v1/cm/protocols', { document: clinicProtocol() }));
    await ok(
      'enrolment',
      admin.post('/api/v1/cm/enrolments', {
        patientId,
        protocolId: proto.id,
        startDate: '2026-03-16',
        calendar: { specimen: [1, 3, 5], attendance: [1, 2, 3, 4, 5], windowStart: '08:00', windowEnd: '17:00' },
      }),
    );
    const s1 = await ok<{ specimen: { id: string } }>(
      'specimen 1',
      admin.post('/api/v1/specimens', specimen(patientId, '2026-03-16T14:00:00Z', [...NEG, { analyte: 'xylazine', result: 'positive' }])),
    );
    await ok('correction', admin.post(`/api/v1/specimens/${s1.specimen.id}/corrections`, { results: [{ analyte: 'xylazine', result: 'negative' }], reason: 'Laboratory confirmation' }));
    await ok('specimen 2', admin.post('/api/v1/specimens', specimen(patientId, '2026-03-18T14:00:00Z', [...NEG, { analyte: 'methadone', result: 'positive' }])));
    await inTransaction(w.database.db, async (tx) => {
      const base = { programId: w.programA, patientId, matrix: 'urine', method: 'presumptive', observed: true, source: 'staff', recordedAt: NOW };
      await tx.insert(screens).values([
        { ...base, id: randomUUID(), collectedAt: new Date('2026-03-11T14:00:00Z'), collectedOn: '2026-03-11', valid: false, invalidReasons: ['temperature outside 32–38 °C'], results: [] },
        {
          ...base,
          id: randomUUID(),
          collectedAt: new Date('2025-11-03T15:00:00Z'),
          collectedOn: '2025-11-03',
          valid: true,
          invalidReasons: [],
          results: [{ analyte: 'cocaine', loinc: null, result: 'positive', valueNgMl: null, cutoffNgMl: null, prescribed: false }],
        },
      ]);
    });

    // care plan: the active one, and a draft that is not the plan yet
    const plan = (title: string, status: string) => {
      const problem = randomUUID();
      const goal = randomUUID();
      return {
        title,
        status,
        problems: [{ id: problem, text: 'Opioid use disorder' }],
        goals: [
          {
            id: goal,
            problemIds: [problem],
            description: 'Fewer days of use',
            measure: 'Days of use in the past 30 days',
            targetValue: 4,
            targetComparator: '<=',
            targetUnit: 'days',
            dueDate: '2026-05-01',
            responsibleStaffIds: [w.users.counsellor],
          },
        ],
        interventions: [
          { source: 'recommendation', code: 'motivational-interviewing', text: 'Motivational interviewing', goalIds: [goal], responsibleStaffIds: [w.users.counsellor], frequency: 'weekly' },
        ],
        reviewDate: '2026-04-17',
      };
    };
    await ok('care plan', admin.post(`/api/v1/patients/${patientId}/care-plans`, plan('Recovery plan', 'active')));
    await ok('draft care plan', admin.post(`/api/v1/patients/${patientId}/care-plans`, plan(`${DRAFT_WORDS} plan`, 'draft')));

    // assessments: an older PHQ-9 (16), a newer one (6), a GAD-7 (7)
    const phq = (items: number[]) => Object.fromEntries(items.map((v, i) => [String(i + 1), v]));
    await ok('phq-9 old', admin.post(`/api/v1/patients/${patientId}/assessments`, { instrument: 'phq-9', answers: phq([2, 2, 2, 2, 2, 2, 2, 2, 0]), administeredAt: '2026-02-01T15:00:00Z' }));
    await ok('phq-9 new', admin.post(`/api/v1/patients/${patientId}/assessments`, { instrument: 'phq-9', answers: phq([1, 1, 1, 1, 1, 1, 0, 0, 0]), administeredAt: '2026-03-10T15:00:00Z' }));
    await ok('gad-7', admin.post(`/api/v1/patients/${patientId}/assessments`, { instrument: 'gad-7', answers: phq([1, 1, 1, 1, 1, 1, 1]), administeredAt: '2026-03-12T15:00:00Z' }));

    // safety plan, saved by the counsellor
    await ok(
      'safety plan',
      admin.put(`/api/v1/patients/${patientId}/safety-plan`, {
        version: 0,
        plan: {
          warningSigns: ['I stop answering my phone'],
          copingStrategies: ['Walk the dog'],
          distractions: [],
          helpers: [{ name: 'Sam (sister)', phone: '555-555-0142' }],
          professionals: [],
          safeEnvironment: [],
        },
      }),
    );

    // notes: a signed progress note with an addendum, a draft, and a counselling note on the same visit
    const note = await ok<{ id: string; version: number }>(
      'progress note',
      admin.post(`/api/v1/encounters/${visits.came}/notes`, {
        patientId,
        template: 'dap',
        sections: { data: 'Wants to keep their job', assessment: 'Strong reasons to change', plan: 'Walk after work' },
      }),
    );
    await ok('sign', admin.post(`/api/v1/progress-notes/${note.id}/sign`, { version: note.version, cosignerId: null }));
    await ok('addendum', admin.post(`/api/v1/progress-notes/${note.id}/addenda`, { text: 'The walk went well' }));
    await ok('draft note', admin.post(`/api/v1/encounters/${visits.late}/notes`, { patientId, template: 'dap', sections: { data: DRAFT_WORDS } }));
    await ok('counselling note', admin.post(`/api/v1/encounters/${visits.came}/counselling-notes`, { patientId, body: COUNSELLING_WORDS }));
  }, 180_000);

  afterAll(async () => {
    await w?.close();
  });

  it('every kind of information shows exactly its facts, in the order asked, headed by its label', async () => {
    const all = await read(EVERY);
    expect(all.map((s) => s.dataClass)).toEqual(EVERY);
    for (const s of all) expect(s.heading).toBe(DATA_CLASS_LABELS[s.dataClass].en);

    expect(section(all, 'demographics').lines).toEqual([`Name: Rowan Summaryson`, 'Birth date: 1988-07-14', `Medical record number: ${patient.mrn}`, 'Phone: +1 555 555 0177']);
    expect(section(all, 'medication')).toMatchObject({ lines: [], table: { columns: ['Medication', 'Dose', 'Since'], rows: [['Methadone', '80 mg', '2025-12-01']] } });
    // the next five, in New York time; a cancelled place and a cancelled visit are not upcoming
    expect(section(all, 'appointments').table).toEqual({
      columns: ['Date', 'Time', 'Visit', 'How'],
      rows: [
        ['2026-03-23', '10:00', 'Individual counselling', 'In person'],
        ['2026-03-24', '09:30', 'Medication visit: dosing', 'In person'],
        ['2026-03-25', '10:00', 'Individual counselling', 'Video'],
        ['2026-03-26', '10:00', 'Individual counselling', 'In person'],
        ['2026-03-27', '10:00', 'Individual counselling', 'Phone'],
      ],
    });
    expect(section(all, 'attendance')).toEqual({
      dataClass: 'attendance',
      heading: DATA_CLASS_LABELS.attendance.en,
      lines: ['In the last 90 days: came to 2 visits, missed 1.'],
      table: {
        columns: ['Date', 'Visit', 'Attendance'],
        rows: [
          ['2026-03-20', 'Individual counselling', 'Not recorded yet'],
          ['2026-03-19', 'Individual counselling', 'Came late'],
          ['2026-03-18', 'Medication visit: dosing', 'Missed'],
          ['2026-03-16', 'Individual counselling', 'Came'],
        ],
      },
    });
    expect(section(all, 'check-ins').lines).toEqual(['Days in a row with a check-in: 3.', 'Last check-in: 2026-03-19.']);
    expect(section(all, 'screens').table).toEqual({
      columns: ['Date', 'Test', 'Result'],
      rows: [
        ['2026-03-18', 'Cocaine (benzoylecgonine)', 'Negative'],
        ['2026-03-18', 'Amphetamines (incl. methamphetamine)', 'Negative'],
        ['2026-03-18', 'Fentanyl', 'Negative'],
        ['2026-03-18', 'Opiates', 'Negative'],
        ['2026-03-18', 'Methadone', 'Positive (as prescribed)'],
        ['2026-03-16', 'Cocaine (benzoylecgonine)', 'Negative'],
        ['2026-03-16', 'Amphetamines (incl. methamphetamine)', 'Negative'],
        ['2026-03-16', 'Fentanyl', 'Negative'],
        ['2026-03-16', 'Opiates', 'Negative'],
        ['2026-03-16', 'Xylazine', 'Negative'], // the laboratory's correction is in effect
        ['2026-03-11', '—', 'Sample could not be used'],
      ],
    });
    expect(section(all, 'care-plan').lines).toEqual([
      'Care plan: Recovery plan (next review by 2026-04-17).',
      'Problem: Opioid use disorder',
      'Goal: Fewer days of use — by 2026-05-01 (working on it)',
      'What we will do: Motivational interviewing — weekly',
    ]);
    expect(section(all, 'assessments').table).toEqual({
      columns: ['Date', 'Questionnaire', 'Score', 'Meaning'],
      rows: [
        ['2026-03-12', INSTRUMENTS['gad-7'].title, '7', 'Mild'],
        ['2026-03-10', INSTRUMENTS['phq-9'].title, '6', 'Mild'],
      ],
    });
    expect(section(all, 'safety-plan').lines).toEqual([
      'My warning signs: I stop answering my phone',
      'Things I can do on my own: Walk the dog',
      'People I can ask for help: Sam (sister): 555-555-0142',
      'Helpers and services I can call: 988 Suicide & Crisis Lifeline: 988',
    ]);
    expect(section(all, 'progress-notes').lines).toEqual([
      'Visit on 2026-03-16 (Individual counselling), note signed by Test administrator.',
      'Data: Wants to keep their job',
      'Assessment: Strong reasons to change',
      'Plan: Walk after work',
      'Added on 2026-03-20: The walk went well',
    ]);

    // the rewards as the patient's own ledger shows them (a draw not shown yet is not counted), the streak as CM keeps it
    const ledger = await ok<{ balanceCents: number; totals: { paidCents: number } }>('ledger', admin.get(`/api/v1/patients/${patientId}/ledger`));
    const summary = await ok<{ streaks: Array<{ s: number }> }>('summary', admin.get(`/api/v1/cm/patients/${patientId}/summary`));
    expect(ledger.balanceCents).toBeGreaterThan(0);
    const usd = (c: number) => `$${(c / 100).toFixed(2)}`;
    expect(section(all, 'cm-progress').lines).toEqual([
      `Rewards balance: ${usd(ledger.balanceCents)}.`,
      `Earned in total: ${usd(ledger.totals.paidCents)}.`,
      `Current streak: ${Math.max(0, ...summary.streaks.map((s) => s.s))} in a row.`,
    ]);

    // never the counselling note, a draft, a draft plan, anything older than the window, or the ended medication
    const text = JSON.stringify(all);
    for (const s of [COUNSELLING_WORDS, DRAFT_WORDS, '2025-11-03', 'Buprenorphine', '16 mg']) expect(text).not.toContain(s);

    // read-only: not even an audit row (the caller records the disclosure)
    const audited = async () => Number((await w.database.query<{ n: string }>('select count(*) as n from audit_events'))[0]!.n);
    const before = await audited();
    await read(EVERY);
    await family(['appointments', 'check-ins', 'cm-progress', 'safety-plan']);
    expect(await audited()).toBe(before);
  });

  it('only the kinds asked for are there: appointments alone carry no medication, name or anything else', async () => {
    const only = await read(['appointments']);
    expect(only.map((s) => s.dataClass)).toEqual(['appointments']);
    const text = JSON.stringify(only);
    for (const s of [
      'Methadone',
      '80 mg',
      patient.mrn,
      'Rowan',
      'Summaryson',
      '1988-07-14',
      '0177',
      'Came late',
      'Missed',
      'Negative',
      'Recovery plan',
      'Sam (sister)',
      'Wants to keep',
      'Rewards',
      'check-in',
    ])
      expect(text, s).not.toContain(s);
    const two = await read(['screens', 'medication', 'screens']);
    expect(two.map((s) => s.dataClass)).toEqual(['screens', 'medication']);
    expect(JSON.stringify(two)).not.toContain('Individual counselling');
    expect(await read([])).toEqual([]);
  });

  it('in Spanish: the labels, the words and the values', async () => {
    const all = await read(EVERY, { lang: 'es' });
    for (const s of all) expect(s.heading).toBe(DATA_CLASS_LABELS[s.dataClass].es);
    expect(section(all, 'demographics').lines[0]).toBe('Nombre: Rowan Summaryson');
    expect(section(all, 'medication').table!.rows).toEqual([['Metadona', '80 mg', '2025-12-01']]);
    expect(section(all, 'appointments').table!.rows[0]).toEqual(['2026-03-23', '10:00', 'Consejería individual', 'En persona']);
    expect(section(all, 'attendance').lines).toEqual(['En los últimos 90 días: asistió a 2 citas y faltó a 1.']);
    expect(section(all, 'attendance').table!.rows.map((r) => r[2])).toEqual(['Todavía no registrada', 'Llegó tarde', 'Faltó', 'Asistió']);
    expect(section(all, 'check-ins').lines).toEqual(['Días seguidos con registro diario: 3.', 'Último registro diario: 2026-03-19.']);
    expect(section(all, 'screens').table!.rows[4]).toEqual(['2026-03-18', 'Metadona', 'Positivo (según la receta)']);
    expect(section(all, 'assessments').table!.rows.map((r) => r[3])).toEqual(['Leve', 'Leve']);
    expect(section(all, 'safety-plan').lines[0]).toBe('Mis señales de alerta: I stop answering my phone');
    expect(section(all, 'progress-notes').lines.slice(0, 2)).toEqual(['Cita del 2026-03-16 (Consejería individual), nota firmada por Test administrator.', 'Datos: Wants to keep their job']);
    expect(section(all, 'care-plan').lines[2]).toBe('Meta: Fewer days of use — para el 2026-05-01 (en curso)');
  });

  it('at another moment: what is upcoming, the window and the streak move with `now`', async () => {
    // Sunday 2026-03-22, noon in New York: no check-in yesterday, the visits of the 21st (cancelled) and 22nd (place cancelled) are past
    const later = new Date('2026-03-22T16:00:00Z');
    const all = await read(['check-ins', 'appointments', 'attendance'], { now: later });
    expect(section(all, 'check-ins').lines).toEqual(['Days in a row with a check-in: 0.', 'Last check-in: 2026-03-19.']);
    expect(section(all, 'appointments').table!.rows.map((r) => r[0])).toEqual(['2026-03-23', '2026-03-24', '2026-03-25', '2026-03-26', '2026-03-27']);
    expect(section(all, 'attendance').table!.rows.slice(0, 2)).toEqual([
      ['2026-03-22', 'Individual counselling', 'Cancelled by the patient'],
      ['2026-03-21', 'Individual counselling', 'Cancelled by the clinic'],
    ]);
    // long before: the medication of then, nothing else of it yet
    const before = await read(['medication', 'screens', 'progress-notes', 'assessments', 'attendance'], { now: new Date('2025-10-01T12:00:00Z') });
    expect(section(before, 'medication').table!.rows).toEqual([['Buprenorphine', '16 mg', '2025-06-01']]); // what was current then
    expect(section(await read(['medication'], { now: new Date('2025-05-01T12:00:00Z') }), 'medication').lines).toEqual(['No current medication recorded.']);
    expect(section(before, 'screens').lines).toEqual(['No drug tests in the last 90 days.']);
    expect(section(before, 'progress-notes').lines).toEqual(['No signed visit notes in the last 90 days.']);
    expect(section(before, 'assessments').lines).toEqual(['No screening scores recorded.']);
    expect(section(before, 'attendance').lines).toEqual(['No visits in the last 90 days.']);
  });

  it('counselling notes are never read here: asking for them throws, alone or with others', async () => {
    for (const asked of [['counselling-notes'], ['appointments', 'counselling-notes']] as DataClass[][]) {
      await expect(read(asked)).rejects.toSatisfy((e: unknown) => e instanceof AppError && e.code === 'notes_kept_apart' && e.status === 400);
      await expect(family(asked)).rejects.toSatisfy((e: unknown) => e instanceof AppError && e.code === 'notes_kept_apart');
    }
  });

  it('a patient of another programme is not found', async () => {
    await expect(read(['demographics'], { programId: w.programB })).rejects.toSatisfy((e: unknown) => e instanceof AppError && e.status === 404);
    await expect(read(['demographics'], { patient: w.patientB })).rejects.toSatisfy((e: unknown) => e instanceof AppError && e.status === 404);
  });

  it('the family card: a key for each kind asked for, with small plain facts', async () => {
    const card = await family(['appointments', 'check-ins', 'cm-progress', 'safety-plan']);
    const ledger = await ok<{ balanceCents: number; totals: { paidCents: number } }>('ledger', admin.get(`/api/v1/patients/${patientId}/ledger`));
    const summary = await ok<{ streaks: Array<{ s: number }> }>('summary', admin.get(`/api/v1/cm/patients/${patientId}/summary`));
    expect(card).toEqual({
      nextAppointment: { startsAt: '2026-03-23T14:00:00.000Z', kind: 'Individual counselling', timeZone: 'America/New_York' },
      checkInStreak: { days: 3, lastCheckInOn: '2026-03-19' },
      cmProgress: { balanceCents: ledger.balanceCents, earnedCents: ledger.totals.paidCents, streak: Math.max(0, ...summary.streaks.map((s) => s.s)) },
      safetyPlan: {
        sections: [
          { heading: 'My warning signs', items: ['I stop answering my phone'] },
          { heading: 'Things I can do on my own', items: ['Walk the dog'] },
          { heading: 'People I can ask for help', items: ['Sam (sister): 555-555-0142'] },
          { heading: 'Helpers and services I can call', items: ['988 Suicide & Crisis Lifeline: 988'] },
        ],
      },
    });
    expect(Object.keys(await family(['appointments']))).toEqual(['nextAppointment']);
    expect(Object.keys(await family(['check-ins', 'medication', 'demographics']))).toEqual(['checkInStreak']);
    expect(await family([])).toEqual({});
    expect((await family(['appointments'], { lang: 'es' })).nextAppointment).toEqual({ startsAt: '2026-03-23T14:00:00.000Z', kind: 'Consejería individual', timeZone: 'America/New_York' });
    expect((await family(['safety-plan'], { lang: 'es' })).safetyPlan!.sections[0]).toEqual({ heading: 'Mis señales de alerta', items: ['I stop answering my phone'] });
  });

  it('the family card follows the patient’s draws: a prize counts once the patient has been shown it, a draw taken back or voided never', async () => {
    // beside the draws the specimens earned: a $20 prize not shown yet, a $1 draw taken back, a $5 prize voided
    const [enr] = await w.database.query<{ id: string }>('select id from cm_enrolments where patient_id = $1', [patientId]);
    const entry = (key: string, kind: string, cents: number, n: number | null, voidsKey: string | null = null) =>
      w.database.query(
        `insert into cm_ledger_entries (program_id, id, enrolment_id, patient_id, entry_key, kind, track, cents, n, tier, voids_key, created_at)
         values ($1, $2, $3, $4, $5, $6, 'opioid-draws', $7, $8, $9, $10, $11)`,
        [w.programA, randomUUID(), enr!.id, patientId, key, kind, cents, n, kind === 'prize' ? 'large' : null, voidsKey, NOW],
      );
    await entry('test-prize-99', 'prize', 2000, 99);
    await entry('test-prize-98', 'prize', 100, 98);
    await entry('test-take-back-98', 'debit', 100, 98);
    await entry('test-prize-97', 'prize', 500, 97);
    await entry('test-void-97', 'void', 500, null, 'test-prize-97');
    const shown = async () => {
      const ledger = await ok<{ balanceCents: number; totals: { paidCents: number } }>('ledger', admin.get(`/api/v1/patients/${patientId}/ledger`));
      const card = await family(['cm-progress']);
      expect(card.cmProgress).toMatchObject({ balanceCents: ledger.balanceCents, earnedCents: ledger.totals.paidCents });
      return card.cmProgress!;
    };
    const before = await shown();
    await showDraws(w, admin, patientId);
    const after = await shown();
    expect(after.balanceCents - before.balanceCents).toBeGreaterThanOrEqual(2000);
    expect(after.earnedCents - before.earnedCents).toBe(after.balanceCents - before.balanceCents);
  });

  it('a patient with nothing recorded: null for each kind, no streak', async () => {
    const card = await family(['appointments', 'check-ins', 'cm-progress', 'safety-plan'], { patient: w.patientA });
    expect(card).toEqual({ nextAppointment: null, checkInStreak: { days: 0, lastCheckInOn: null }, cmProgress: null, safetyPlan: null });
    const all = await read(EVERY, { patient: w.patientA });
    expect(section(all, 'appointments').lines).toEqual(['No upcoming visits.']);
    expect(section(all, 'cm-progress').lines).toEqual(['Not taking part in the rewards program.']);
    expect(section(all, 'safety-plan').lines).toEqual(['No safety plan yet.']);
    expect(section(all, 'care-plan').lines).toEqual(['No current care plan.']);
    expect(section(all, 'demographics').lines).toContain('Phone: none recorded');
    for (const s of all) expect(s.table).toBeUndefined();
  });
});
