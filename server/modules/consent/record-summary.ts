// What a disclosure contains (issue 16, docs/consent.md, ADR 052): the patient's record by kind of
// information (core/consent DATA_CLASSES), read from each module's own tables, in English or
// Spanish, for a printout or export to someone outside the programme, and the small card a family
// member sees in their app. Only the kinds of information asked for are read at all. Read-only:
// nothing here writes, not even an audit row — the caller has checked the consent and records
// the disclosure (disclosures.ts). SUD counselling notes are never read here (they have a consent
// and a path of their own, ADR 041): asking for them throws.
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, notInArray, or } from 'drizzle-orm';
import { ANALYTE_INFO, isAnalyte, type Analyte } from '../../../core/cm/analytes.ts';
import { addDays, localDate, zonedInstant } from '../../../core/cm/calendar.ts';
import type { EnrolmentState } from '../../../core/cm/clinic.ts';
import type { DataClass } from '../../../core/consent/consent.ts';
import { DATA_CLASS_LABELS, type Lang } from '../../../core/consent/templates.ts';
import { ATTENDANCE as ATTENDANCE_CODES, isCancelled, wasSeen, type Attendance, type Modality } from '../../../core/encounters/types.ts';
import { professionalsWithCrisisLine, SAFETY_PLAN_SECTIONS, type SafetyPlanContent, type SafetyPlanSection } from '../../../core/help/safety-plan.ts';
import { INSTRUMENTS, isInstrumentId } from '../../../core/instruments/index.ts';
import { TEMPLATE_SECTIONS, type Template } from '../../../core/notes/templates.ts';
import type { Tx } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { assessments } from '../assessments/assessments.tables.ts';
import { checkIns } from '../checkins/checkins.tables.ts';
import { cmDrawReveals, cmEnrolments, cmLedgerEntries } from '../cm/cm.tables.ts';
import { ledgerTotals, prizesShown } from '../cm/ledger.ts';
import { checkInStreak } from '../../../core/checkins/streak.ts';
import { programTimeZone, type LedgerRow } from '../cm/settle.ts';
import { typesOf } from '../encounters/encounter-types.ts';
import { encounterParticipants, encounters } from '../encounters/encounters.tables.ts';
import { safetyPlans, safetyPlanVersions } from '../help/help.tables.ts';
import { users } from '../identity/identity.tables.ts';
import { progressNoteAddenda, progressNotes } from '../notes/notes.tables.ts';
import { medications, patients } from '../patients/patients.tables.ts';
import type { GoalC, PlanContent } from '../planning/care-plans.ts';
import { carePlans, carePlanVersions } from '../planning/planning.tables.ts';
import { screenCorrections, screens } from '../screens/screens.tables.ts';
import { familyWorkSection } from '../family/together-summary.ts';
import { inEffect, type CorrectionRow } from '../screens/screens.ts';

export type Section = {
  dataClass: DataClass;
  heading: string;
  /** plain lines, or a table */
  lines: string[];
  table?: { columns: string[]; rows: string[][] };
};

export type FamilySummary = {
  nextAppointment?: { startsAt: string; kind: string; timeZone: string } | null;
  checkInStreak?: { days: number; lastCheckInOn: string | null };
  cmProgress?: { balanceCents: number; earnedCents: number; streak: number } | null;
  safetyPlan?: { sections: { heading: string; items: string[] }[] } | null;
};

type Input = { programId: string; patientId: string; dataClasses: readonly DataClass[]; lang: Lang; now: Date };

/** How far back attendance, screens and progress notes go, in programme days (today included). */
export const LOOKBACK_DAYS = 90;
/** How many upcoming visits the appointments section lists. */
export const NEXT_VISITS = 5;

// ---------- words ----------

const MEDICATIONS: Record<string, { en: string; es: string }> = {
  methadone: { en: 'Methadone', es: 'Metadona' },
  buprenorphine: { en: 'Buprenorphine', es: 'Buprenorfina' },
  naltrexone: { en: 'Naltrexone', es: 'Naltrexona' },
  none: { en: 'No medication for opioid use disorder', es: 'Ningún medicamento para el trastorno por consumo de opioides' },
};

const MODALITY: Record<Modality, { en: string; es: string }> = {
  'in-person': { en: 'In person', es: 'En persona' },
  video: { en: 'Video', es: 'Video' },
  phone: { en: 'Phone', es: 'Teléfono' },
};

const ATTENDANCE: Record<Attendance, { en: string; es: string }> = {
  attended: { en: 'Came', es: 'Asistió' },
  late: { en: 'Came late', es: 'Llegó tarde' },
  'left-early': { en: 'Left early', es: 'Se fue antes' },
  'no-show': { en: 'Missed', es: 'Faltó' },
  'cancelled-patient': { en: 'Cancelled by the patient', es: 'Cancelada por el paciente' },
  'cancelled-clinic': { en: 'Cancelled by the clinic', es: 'Cancelada por la clínica' },
  excused: { en: 'Excused', es: 'Justificada' },
};

/** Spanish names of the analytes (English: core's ANALYTE_INFO display names). */
const ANALYTE_ES: Record<Analyte, string> = {
  opiates: 'Opiáceos',
  fentanyl: 'Fentanilo',
  buprenorphine: 'Buprenorfina',
  methadone: 'Metadona',
  oxycodone: 'Oxicodona',
  cocaine: 'Cocaína (benzoilecgonina)',
  amphetamine: 'Anfetaminas (incluida la metanfetamina)',
  benzodiazepines: 'Benzodiacepinas',
  cannabis: 'Cannabinoides (THC)',
  xylazine: 'Xilacina',
  alcohol: 'Alcohol (etanol)',
};

const RESULTS: Record<string, { en: string; es: string }> = {
  positive: { en: 'Positive', es: 'Positivo' },
  negative: { en: 'Negative', es: 'Negativo' },
  inconclusive: { en: 'Inconclusive', es: 'No concluyente' },
};

const GOAL_STATUS: Record<string, { en: string; es: string }> = {
  proposed: { en: 'proposed', es: 'propuesta' },
  active: { en: 'working on it', es: 'en curso' },
  achieved: { en: 'reached', es: 'lograda' },
  'not-achieved': { en: 'not reached', es: 'no lograda' },
};

/** Score names of the instruments (core/instruments scoreNames), in Spanish. */
const SCORE_ES: Record<string, string> = {
  total: 'total',
  precontemplation: 'precontemplación',
  contemplation: 'contemplación',
  action: 'acción',
  maintenance: 'mantenimiento',
  readiness: 'disposición',
  recognition: 'reconocimiento',
  ambivalence: 'ambivalencia',
  takingSteps: 'dar pasos',
  importance: 'importancia',
  confidence: 'confianza',
  use: 'consumo',
  risk: 'riesgo',
  protective: 'protección',
  mean: 'promedio',
};
const SCORE_EN: Record<string, string> = { takingSteps: 'taking steps' };

/** Severity bands of PHQ-9 and GAD-7 (core/instruments/simple.ts codes), in both languages without the ranges. */
const BANDS: Record<string, { en: string; es: string }> = {
  'none-minimal': { en: 'None to minimal', es: 'Nada o mínimo' },
  minimal: { en: 'Minimal', es: 'Mínimo' },
  mild: { en: 'Mild', es: 'Leve' },
  moderate: { en: 'Moderate', es: 'Moderado' },
  'moderately-severe': { en: 'Moderately severe', es: 'Moderadamente grave' },
  severe: { en: 'Severe', es: 'Grave' },
};

/** The safety plan's parts as the patient's app names them (web/src/i18n app.*.json helpNow sections). */
const SAFETY_PLAN_HEADINGS: Record<SafetyPlanSection, { en: string; es: string }> = {
  warningSigns: { en: 'My warning signs', es: 'Mis señales de alerta' },
  copingStrategies: { en: 'Things I can do on my own', es: 'Cosas que puedo hacer por mi cuenta' },
  distractions: { en: 'People and places that take my mind off things', es: 'Personas y lugares que me distraen' },
  helpers: { en: 'People I can ask for help', es: 'Personas a quienes puedo pedir ayuda' },
  professionals: { en: 'Helpers and services I can call', es: 'Profesionales y servicios a los que puedo llamar' },
  safeEnvironment: { en: 'Making my space safe', es: 'Hacer que mi espacio sea seguro' },
};

const WORDS = {
  en: {
    name: 'Name',
    birthDate: 'Birth date',
    mrn: 'Medical record number',
    phone: 'Phone',
    noPhone: 'none recorded',
    medication: 'Medication',
    dose: 'Dose',
    since: 'Since',
    noMedication: 'No current medication recorded.',
    date: 'Date',
    time: 'Time',
    visit: 'Visit',
    how: 'How',
    noVisits: 'No upcoming visits.',
    attendance: 'Attendance',
    notRecorded: 'Not recorded yet',
    attendanceSummary: (came: number, missed: number) => `In the last ${LOOKBACK_DAYS} days: came to ${came} ${came === 1 ? 'visit' : 'visits'}, missed ${missed}.`,
    noAttendance: `No visits in the last ${LOOKBACK_DAYS} days.`,
    streak: (days: number) => `Days in a row with a check-in: ${days}.`,
    lastCheckIn: (day: string | null) => (day ? `Last check-in: ${day}.` : 'No check-ins yet.'),
    balance: (v: string) => `Rewards balance: ${v}.`,
    earned: (v: string) => `Earned in total: ${v}.`,
    cmStreak: (n: number) => `Current streak: ${n} in a row.`,
    noCm: 'Not taking part in the rewards program.',
    test: 'Test',
    result: 'Result',
    prescribed: 'as prescribed',
    invalid: 'Sample could not be used',
    noScreens: `No drug tests in the last ${LOOKBACK_DAYS} days.`,
    plan: (title: string, review: string) => `Care plan: ${title} (next review by ${review}).`,
    problem: (t: string) => `Problem: ${t}`,
    goal: (t: string, by: string, status: string) => `Goal: ${t} — by ${by}${status ? ` (${status})` : ''}`,
    weWill: (t: string, often: string) => `What we will do: ${t}${often ? ` — ${often}` : ''}`,
    noPlan: 'No current care plan.',
    questionnaire: 'Questionnaire',
    score: 'Score',
    meaning: 'Meaning',
    noAssessments: 'No screening scores recorded.',
    noSafetyPlan: 'No safety plan yet.',
    note: (date: string, visit: string, by: string) => `Visit on ${date} (${visit}), note signed by ${by}.`,
    addendum: (date: string, text: string) => `Added on ${date}: ${text}`,
    noNotes: `No signed visit notes in the last ${LOOKBACK_DAYS} days.`,
    staff: 'a staff member',
  },
  es: {
    name: 'Nombre',
    birthDate: 'Fecha de nacimiento',
    mrn: 'Número de historia clínica',
    phone: 'Teléfono',
    noPhone: 'no registrado',
    medication: 'Medicamento',
    dose: 'Dosis',
    since: 'Desde',
    noMedication: 'No hay ningún medicamento actual registrado.',
    date: 'Fecha',
    time: 'Hora',
    visit: 'Cita',
    how: 'Cómo',
    noVisits: 'No hay próximas citas.',
    attendance: 'Asistencia',
    notRecorded: 'Todavía no registrada',
    attendanceSummary: (came: number, missed: number) => `En los últimos ${LOOKBACK_DAYS} días: asistió a ${came} ${came === 1 ? 'cita' : 'citas'} y faltó a ${missed}.`,
    noAttendance: `No hubo citas en los últimos ${LOOKBACK_DAYS} días.`,
    streak: (days: number) => `Días seguidos con registro diario: ${days}.`,
    lastCheckIn: (day: string | null) => (day ? `Último registro diario: ${day}.` : 'Todavía no hay registros diarios.'),
    balance: (v: string) => `Saldo de premios: ${v}.`,
    earned: (v: string) => `Ganado en total: ${v}.`,
    cmStreak: (n: number) => `Racha actual: ${n} seguidos.`,
    noCm: 'No participa en el programa de premios.',
    test: 'Prueba',
    result: 'Resultado',
    prescribed: 'según la receta',
    invalid: 'No se pudo usar la muestra',
    noScreens: `No hubo pruebas de drogas en los últimos ${LOOKBACK_DAYS} días.`,
    plan: (title: string, review: string) => `Plan de atención: ${title} (próxima revisión antes del ${review}).`,
    problem: (t: string) => `Problema: ${t}`,
    goal: (t: string, by: string, status: string) => `Meta: ${t} — para el ${by}${status ? ` (${status})` : ''}`,
    weWill: (t: string, often: string) => `Lo que haremos: ${t}${often ? ` — ${often}` : ''}`,
    noPlan: 'No hay un plan de atención actual.',
    questionnaire: 'Cuestionario',
    score: 'Puntaje',
    meaning: 'Significado',
    noAssessments: 'No hay puntajes de evaluaciones registrados.',
    noSafetyPlan: 'Todavía no hay un plan de seguridad.',
    note: (date: string, visit: string, by: string) => `Cita del ${date} (${visit}), nota firmada por ${by}.`,
    addendum: (date: string, text: string) => `Agregado el ${date}: ${text}`,
    noNotes: `No hay notas de citas firmadas en los últimos ${LOOKBACK_DAYS} días.`,
    staff: 'un miembro del personal',
  },
} as const;

const money = (cents: number, lang: Lang) => new Intl.NumberFormat(lang === 'es' ? 'es-US' : 'en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);

/** "HH:MM" (24-hour) of an instant in a time zone. */
const localTime = (at: Date, tz: string) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: tz }).format(at);

// ---------- reads, one per kind of information ----------

type Body = Omit<Section, 'dataClass' | 'heading'>;
type PatientFacts = { given: string; family: string; birthDate: string; mrn: string; phone: string | null };

type Reader = { tx: Tx; programId: string; patientId: string; lang: Lang; now: Date; tz: string; today: string };

const keptApart = () =>
  new AppError({
    code: 'notes_kept_apart',
    status: 400,
    message: 'Counselling notes are never part of a record summary: they are shared only under their own consent, by their own path.',
    problems: [{ field: 'dataClasses', message: 'must not include counselling-notes' }],
  });

function demographics(c: Reader, p: PatientFacts): Body {
  const w = WORDS[c.lang];
  return { lines: [`${w.name}: ${p.given} ${p.family}`, `${w.birthDate}: ${p.birthDate}`, `${w.mrn}: ${p.mrn}`, `${w.phone}: ${p.phone ?? w.noPhone}`] };
}

async function medication(c: Reader): Promise<Body> {
  const w = WORDS[c.lang];
  const rows = await c.tx
    .select({ medication: medications.medication, dose: medications.dose, startedOn: medications.startedOn, endedOn: medications.endedOn })
    .from(medications)
    .where(and(eq(medications.programId, c.programId), eq(medications.patientId, c.patientId), lte(medications.startedOn, c.today)))
    .orderBy(desc(medications.startedOn), desc(medications.createdAt));
  const current = rows.filter((r) => r.endedOn === null || r.endedOn >= c.today);
  if (current.length === 0) return { lines: [w.noMedication] };
  return {
    lines: [],
    table: { columns: [w.medication, w.dose, w.since], rows: current.map((r) => [MEDICATIONS[r.medication]?.[c.lang] ?? r.medication, r.dose ?? '', r.startedOn]) },
  };
}

async function typeLabels(c: Reader): Promise<Map<string, string>> {
  return new Map((await typesOf(c.tx, c.programId)).map((t) => [t.code, t.label[c.lang]]));
}

/** The patient's next visits: booked, not cancelled (the visit or their place on it), not yet started. */
function upcomingVisits(c: Reader, limit: number) {
  return c.tx
    .select({ startsAt: encounters.startsAt, typeCode: encounters.typeCode, modality: encounters.modality })
    .from(encounterParticipants)
    .innerJoin(encounters, and(eq(encounters.programId, encounterParticipants.programId), eq(encounters.id, encounterParticipants.encounterId)))
    .where(
      and(
        eq(encounterParticipants.programId, c.programId),
        eq(encounterParticipants.patientId, c.patientId),
        eq(encounters.status, 'scheduled'),
        gte(encounters.startsAt, c.now),
        or(isNull(encounterParticipants.attendance), notInArray(encounterParticipants.attendance, CANCELLED)),
      ),
    )
    .orderBy(asc(encounters.startsAt), asc(encounters.id))
    .limit(limit);
}

async function appointments(c: Reader): Promise<Body> {
  const w = WORDS[c.lang];
  const visits = await upcomingVisits(c, NEXT_VISITS);
  if (visits.length === 0) return { lines: [w.noVisits] };
  const types = await typeLabels(c);
  return {
    lines: [],
    table: {
      columns: [w.date, w.time, w.visit, w.how],
      rows: visits.map((v) => [localDate(v.startsAt, c.tz), localTime(v.startsAt, c.tz), types.get(v.typeCode) ?? v.typeCode, MODALITY[v.modality as Modality]?.[c.lang] ?? v.modality]),
    },
  };
}

/** A place on a visit that was cancelled (core's isCancelled, as a list for SQL). */
const CANCELLED = ATTENDANCE_CODES.filter((a) => isCancelled(a));

/** The first instant of the lookback window: local midnight LOOKBACK_DAYS − 1 days before today. */
const windowStart = (c: Reader) => zonedInstant(addDays(c.today, -(LOOKBACK_DAYS - 1)), '00:00', c.tz);

async function attendance(c: Reader): Promise<Body> {
  const w = WORDS[c.lang];
  const rows = await c.tx
    .select({ startsAt: encounters.startsAt, typeCode: encounters.typeCode, attendance: encounterParticipants.attendance })
    .from(encounterParticipants)
    .innerJoin(encounters, and(eq(encounters.programId, encounterParticipants.programId), eq(encounters.id, encounterParticipants.encounterId)))
    .where(and(eq(encounterParticipants.programId, c.programId), eq(encounterParticipants.patientId, c.patientId), gte(encounters.startsAt, windowStart(c)), lt(encounters.startsAt, c.now)))
    .orderBy(desc(encounters.startsAt), desc(encounters.id));
  if (rows.length === 0) return { lines: [w.noAttendance] };
  const types = await typeLabels(c);
  const came = rows.filter((r) => wasSeen(r.attendance as Attendance | null)).length;
  const missed = rows.filter((r) => r.attendance === 'no-show').length;
  return {
    lines: [w.attendanceSummary(came, missed)],
    table: {
      columns: [w.date, w.visit, w.attendance],
      rows: rows.map((r) => [localDate(r.startsAt, c.tz), types.get(r.typeCode) ?? r.typeCode, r.attendance ? (ATTENDANCE[r.attendance as Attendance]?.[c.lang] ?? r.attendance) : w.notRecorded]),
    },
  };
}

async function streakOf(c: Reader) {
  const rows = await c.tx
    .selectDistinct({ day: checkIns.day })
    .from(checkIns)
    .where(and(eq(checkIns.programId, c.programId), eq(checkIns.patientId, c.patientId), lte(checkIns.day, c.today)))
    .orderBy(desc(checkIns.day))
    .limit(1000);
  return checkInStreak(
    rows.map((r) => r.day),
    c.today,
  );
}

async function checkInSection(c: Reader): Promise<Body> {
  const w = WORDS[c.lang];
  const s = await streakOf(c);
  return { lines: [w.streak(s.days), w.lastCheckIn(s.lastCheckInOn)] };
}

/**
 * The patient's rewards as the patient's own app shows them (cm/ledger.ts patientLedger): a prize
 * whose draw the patient has not been shown yet is left out of the balance and of what was
 * earned, so no one learns a draw before the patient does. The streak is the active
 * enrolment's longest current streak (as Today shows it). Null: never in CM.
 */
async function cmProgressOf(c: Reader): Promise<{ balanceCents: number; earnedCents: number; streak: number } | null> {
  const enrs = await c.tx
    .select({ id: cmEnrolments.id, status: cmEnrolments.status, state: cmEnrolments.state })
    .from(cmEnrolments)
    .where(and(eq(cmEnrolments.programId, c.programId), eq(cmEnrolments.patientId, c.patientId)));
  if (enrs.length === 0) return null;
  const rows: LedgerRow[] = await c.tx
    .select()
    .from(cmLedgerEntries)
    .where(and(eq(cmLedgerEntries.programId, c.programId), eq(cmLedgerEntries.patientId, c.patientId)))
    .orderBy(asc(cmLedgerEntries.seq));
  const reveals = await c.tx
    .select({ enrolmentId: cmDrawReveals.enrolmentId, n: cmDrawReveals.n })
    .from(cmDrawReveals)
    .where(
      and(
        eq(cmDrawReveals.programId, c.programId),
        inArray(
          cmDrawReveals.enrolmentId,
          enrs.map((e) => e.id),
        ),
      ),
    );
  const revealed = new Set(reveals.map((r) => `${r.enrolmentId}/${r.n}`));
  // the draw screen's notion: a prize it shows whose draw the patient has not been shown yet
  const waiting = new Set(enrs.flatMap((e) => prizesShown(rows.filter((r) => r.enrolmentId === e.id)).filter((p) => !revealed.has(`${e.id}/${p.n}`))));
  const totals = ledgerTotals(rows.filter((r) => !waiting.has(r)));
  const active = enrs.find((e) => e.status === 'active');
  const tracks = (active?.state as EnrolmentState | null | undefined)?.tracks ?? [];
  return { balanceCents: totals.balanceCents, earnedCents: totals.paidCents, streak: Math.max(0, ...tracks.map((t) => t.s)) };
}

async function cmSection(c: Reader): Promise<Body> {
  const w = WORDS[c.lang];
  const cm = await cmProgressOf(c);
  if (!cm) return { lines: [w.noCm] };
  return { lines: [w.balance(money(cm.balanceCents, c.lang)), w.earned(money(cm.earnedCents, c.lang)), w.cmStreak(cm.streak)] };
}

async function screensSection(c: Reader): Promise<Body> {
  const w = WORDS[c.lang];
  const recent = and(eq(screens.programId, c.programId), eq(screens.patientId, c.patientId), gte(screens.collectedOn, addDays(c.today, -(LOOKBACK_DAYS - 1))), lte(screens.collectedAt, c.now));
  const rows = await c.tx.select().from(screens).where(recent).orderBy(desc(screens.collectedAt), desc(screens.id));
  if (rows.length === 0) return { lines: [w.noScreens] };
  // corrections recorded after `now` are not yet in effect at `now`
  const corrections = await c.tx
    .select()
    .from(screenCorrections)
    .where(
      and(
        eq(screenCorrections.programId, c.programId),
        inArray(
          screenCorrections.screenId,
          rows.map((r) => r.id),
        ),
        lte(screenCorrections.recordedAt, c.now),
      ),
    )
    .orderBy(asc(screenCorrections.recordedAt), asc(screenCorrections.id));
  const byScreen = new Map<string, CorrectionRow[]>();
  for (const x of corrections) byScreen.set(x.screenId, [...(byScreen.get(x.screenId) ?? []), x]);
  const analyte = (a: string) => (isAnalyte(a) ? (c.lang === 'es' ? ANALYTE_ES[a] : ANALYTE_INFO[a].display) : a);
  const out: string[][] = [];
  for (const s of rows) {
    const effect = inEffect(s, byScreen.get(s.id) ?? []);
    if (!effect.valid) {
      out.push([s.collectedOn, '—', w.invalid]);
      continue;
    }
    for (const r of effect.results) {
      const result = RESULTS[r.result]?.[c.lang] ?? r.result;
      out.push([s.collectedOn, analyte(r.analyte), r.result === 'positive' && r.prescribed ? `${result} (${w.prescribed})` : result]);
    }
  }
  return { lines: [], table: { columns: [w.date, w.test, w.result], rows: out } };
}

async function carePlanSection(c: Reader): Promise<Body> {
  const w = WORDS[c.lang];
  const [row] = await c.tx
    .select({ content: carePlanVersions.content })
    .from(carePlans)
    .innerJoin(carePlanVersions, and(eq(carePlanVersions.programId, carePlans.programId), eq(carePlanVersions.planId, carePlans.id), eq(carePlanVersions.version, carePlans.currentVersion)))
    .where(and(eq(carePlans.programId, c.programId), eq(carePlans.patientId, c.patientId), eq(carePlans.status, 'active')))
    .orderBy(desc(carePlans.updatedAt), desc(carePlans.id))
    .limit(1);
  if (!row) return { lines: [w.noPlan] };
  const plan = row.content as PlanContent;
  const goalStatus = (g: GoalC) => GOAL_STATUS[g.status]?.[c.lang] ?? '';
  return {
    lines: [
      w.plan(plan.title, plan.reviewDate),
      ...plan.problems.map((p) => w.problem(p.text)),
      ...plan.goals.filter((g) => g.status !== 'cancelled').map((g) => w.goal(g.description, g.dueDate, goalStatus(g))),
      ...plan.interventions.filter((v) => v.status !== 'stopped').map((v) => w.weWill(v.text, v.frequency)),
    ],
  };
}

async function assessmentsSection(c: Reader): Promise<Body> {
  const w = WORDS[c.lang];
  const rows = await c.tx
    .select({ instrument: assessments.instrument, scores: assessments.scores, band: assessments.band, administeredAt: assessments.administeredAt })
    .from(assessments)
    .where(and(eq(assessments.programId, c.programId), eq(assessments.patientId, c.patientId), eq(assessments.complete, true), lte(assessments.administeredAt, c.now)))
    .orderBy(desc(assessments.administeredAt), desc(assessments.id));
  // the latest complete administration of each instrument, newest first
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if (!latest.has(r.instrument)) latest.set(r.instrument, r);
  if (latest.size === 0) return { lines: [w.noAssessments] };
  const scoreName = (n: string) => (c.lang === 'es' ? (SCORE_ES[n] ?? n) : (SCORE_EN[n] ?? n));
  return {
    lines: [],
    table: {
      columns: [w.date, w.questionnaire, w.score, w.meaning],
      rows: [...latest.values()].map((r) => {
        const scores = Object.entries(r.scores as Record<string, number | null>).filter(([, v]) => v !== null);
        const score = scores.length === 1 && scores[0]![0] === 'total' ? String(scores[0]![1]) : scores.map(([k, v]) => `${scoreName(k)} ${v}`).join('; ');
        const band = (r.band as { code?: string } | null)?.code;
        return [localDate(r.administeredAt, c.tz), isInstrumentId(r.instrument) ? INSTRUMENTS[r.instrument].title : r.instrument, score, band && BANDS[band] ? BANDS[band][c.lang] : ''];
      }),
    },
  };
}

/** The patient's current safety plan, part by part (only the parts with something in them; 988 first among the services); null when there is none. */
async function safetyPlanOf(c: Reader): Promise<{ heading: string; items: string[] }[] | null> {
  const [row] = await c.tx
    .select({ content: safetyPlanVersions.content })
    .from(safetyPlans)
    .innerJoin(
      safetyPlanVersions,
      and(eq(safetyPlanVersions.programId, safetyPlans.programId), eq(safetyPlanVersions.patientId, safetyPlans.patientId), eq(safetyPlanVersions.version, safetyPlans.currentVersion)),
    )
    .where(and(eq(safetyPlans.programId, c.programId), eq(safetyPlans.patientId, c.patientId)));
  if (!row) return null;
  const plan = row.content as SafetyPlanContent;
  const items = (s: SafetyPlanSection): string[] =>
    s === 'helpers' || s === 'professionals' ? (s === 'professionals' ? professionalsWithCrisisLine(plan[s]) : plan[s]).map((p) => `${p.name}: ${p.phone}`) : plan[s];
  return SAFETY_PLAN_SECTIONS.map((s) => ({ heading: SAFETY_PLAN_HEADINGS[s][c.lang], items: items(s) })).filter((p) => p.items.length > 0);
}

async function safetyPlanSection(c: Reader): Promise<Body> {
  const parts = await safetyPlanOf(c);
  if (!parts) return { lines: [WORDS[c.lang].noSafetyPlan] };
  return { lines: parts.map((p) => `${p.heading}: ${p.items.join('; ')}`) };
}

/** SIGNED progress notes about the patient on visits of the last LOOKBACK_DAYS days, newest first, with their addenda. Counselling notes live elsewhere and are not read. */
async function progressNotesSection(c: Reader): Promise<Body> {
  const w = WORDS[c.lang];
  const notes = await c.tx
    .select({ id: progressNotes.id, template: progressNotes.template, sections: progressNotes.sections, startsAt: encounters.startsAt, typeCode: encounters.typeCode, author: users.displayName })
    .from(progressNotes)
    .innerJoin(encounters, and(eq(encounters.programId, progressNotes.programId), eq(encounters.id, progressNotes.encounterId)))
    .leftJoin(users, eq(users.id, progressNotes.authorId))
    .where(
      and(
        eq(progressNotes.programId, c.programId),
        eq(progressNotes.patientId, c.patientId),
        eq(progressNotes.status, 'signed'),
        isNotNull(progressNotes.signedAt),
        lte(progressNotes.signedAt, c.now),
        gte(encounters.startsAt, windowStart(c)),
        lt(encounters.startsAt, c.now),
      ),
    )
    .orderBy(desc(encounters.startsAt), desc(progressNotes.signedAt), desc(progressNotes.id));
  if (notes.length === 0) return { lines: [w.noNotes] };
  const addenda = await c.tx
    .select({ noteId: progressNoteAddenda.noteId, text: progressNoteAddenda.text, createdAt: progressNoteAddenda.createdAt })
    .from(progressNoteAddenda)
    .where(
      and(
        eq(progressNoteAddenda.programId, c.programId),
        inArray(
          progressNoteAddenda.noteId,
          notes.map((n) => n.id),
        ),
        lte(progressNoteAddenda.createdAt, c.now),
      ),
    )
    .orderBy(asc(progressNoteAddenda.createdAt), asc(progressNoteAddenda.id));
  const types = await typeLabels(c);
  const lines: string[] = [];
  for (const n of notes) {
    lines.push(w.note(localDate(n.startsAt, c.tz), types.get(n.typeCode) ?? n.typeCode, n.author ?? w.staff));
    const sections = n.sections as Record<string, string>;
    for (const s of TEMPLATE_SECTIONS[n.template as Template] ?? []) if (sections[s.key]?.trim()) lines.push(`${s.label[c.lang]}: ${sections[s.key]!.trim()}`);
    for (const a of addenda.filter((x) => x.noteId === n.id)) lines.push(w.addendum(localDate(a.createdAt, c.tz), a.text));
  }
  return { lines };
}

/** One read per kind of information (every kind but counselling notes, which are never read here). */
const READERS: Record<Exclude<DataClass, 'counselling-notes'>, (c: Reader, patient: PatientFacts) => Promise<Body>> = {
  demographics: async (c, p) => demographics(c, p),
  medication,
  appointments,
  attendance,
  'check-ins': checkInSection,
  'cm-progress': cmSection,
  screens: screensSection,
  'care-plan': carePlanSection,
  assessments: assessmentsSection,
  'safety-plan': safetyPlanSection,
  'progress-notes': progressNotesSection,
  'family-work': familyWorkSection,
};

// ---------- the two reads ----------

async function contextOf(tx: Tx, input: Input): Promise<{ c: Reader; patient: PatientFacts }> {
  if (input.dataClasses.includes('counselling-notes')) throw keptApart();
  const [patient] = await tx
    .select({ given: patients.legalGivenName, family: patients.legalFamilyName, birthDate: patients.birthDate, mrn: patients.mrn, phone: patients.phone })
    .from(patients)
    .where(and(eq(patients.programId, input.programId), eq(patients.id, input.patientId)));
  if (!patient) throw notFound('Patient');
  const tz = await programTimeZone(tx, input.programId);
  return { c: { tx, programId: input.programId, patientId: input.patientId, lang: input.lang, now: input.now, tz, today: localDate(input.now, tz) }, patient };
}

/** What the patient's record holds for each kind of information asked for, in a language, at `now`: read-only, no audit (the caller records the disclosure). Counselling notes are never read here (they have their own consent and path): asking for them throws. */
export async function recordSections(tx: Tx, input: Input): Promise<Section[]> {
  const { c, patient } = await contextOf(tx, input);
  // in the order asked, each kind once
  const out: Section[] = [];
  for (const dc of [...new Set(input.dataClasses)]) {
    if (dc === 'counselling-notes') throw keptApart(); // refused in contextOf already: never read here
    out.push({ dataClass: dc, heading: DATA_CLASS_LABELS[dc][c.lang], ...(await READERS[dc](c, patient)) });
  }
  return out;
}

/** The family member's app card: small, plain facts for the classes a family consent may name. */
export async function familySummary(tx: Tx, input: Input): Promise<FamilySummary> {
  const { c } = await contextOf(tx, input);
  const asked = new Set(input.dataClasses);
  const out: FamilySummary = {};
  if (asked.has('appointments')) {
    const [next] = await upcomingVisits(c, 1);
    out.nextAppointment = next ? { startsAt: next.startsAt.toISOString(), kind: (await typeLabels(c)).get(next.typeCode) ?? next.typeCode, timeZone: c.tz } : null;
  }
  if (asked.has('check-ins')) out.checkInStreak = await streakOf(c);
  if (asked.has('cm-progress')) out.cmProgress = await cmProgressOf(c);
  if (asked.has('safety-plan')) {
    const parts = await safetyPlanOf(c);
    out.safetyPlan = parts ? { sections: parts } : null;
  }
  return out;
}
