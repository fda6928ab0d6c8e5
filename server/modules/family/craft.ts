// CRAFT for a concerned significant other (issue 16, docs/family.md): the CSO is the client,
// with a record of their own (a family_members row with no family_link is enough: CRAFT needs no
// patient). Staff create a course (its twelve sessions from core/family/craft.ts), record
// sessions held, missed or moved, the outcome (did the loved one enter treatment), the CSO's
// wellbeing (PHQ-9, GAD-7 scored by the instrument library) and close the course; they invite
// the CSO to the app with the family invite machinery. The CSO, on their phone, reads their own
// course in their language, writes each session's homework and answers their own wellbeing
// check. None of this is a patient's record: nothing here is a disclosure, and nothing goes
// through `disclose`. Every write and every staff read has its audit row in the same
// transaction, with no names in the detail.
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import {
  answersCallForHelp,
  courseSummary,
  craftSchedule,
  heldProblem,
  homeworkOpen,
  moveProblem,
  outcomeProblem,
  scoreWellbeing,
  wellbeingTrend,
  type CraftTopic,
  type SessionState,
  type WellbeingInstrument,
} from '../../../core/family/craft.ts';
import { craftSources, craftTopics, type Lang } from '../../../core/family/craft-content.ts';
import { InstrumentInputError } from '../../../core/instruments/index.ts';
import { toE164 } from '../../../core/messages/phone.ts';
import type { CraftClose, CraftCourseCreate, CraftHomework, CraftOutcomeCreate, CraftSessionUpdate, WellbeingCreate } from '../../../contracts/craft.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx, type FamilyPrincipal } from '../../platform/http/context.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { users } from '../identity/identity.tables.ts';
import { assertStaff } from '../encounters/schedule.ts';
import { familyMembers } from '../consent/consent.tables.ts';
import { appAccess, newInvite, revokeHolderDevice } from '../patient-app/invites.ts';
import type { Holder } from '../patient-app/sessions.ts';
import { todayIn } from './days.ts';
import { questionnaireOf, type QuestionnaireItem } from '../assessments/questionnaires.ts';
import { craftCourses, craftOutcomes, craftSessions, familyAssessments } from './family.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };
type Course = typeof craftCourses.$inferSelect;
type SessionRow = typeof craftSessions.$inferSelect;
type AssessmentRow = typeof familyAssessments.$inferSelect;

/** How many courses the console's list shows (newest first); a programme runs a few dozen at most. */
export const COURSE_LIST_LIMIT = 500;

const staffId = (ctx: Ctx) => {
  if (!ctx.principal) throw new AppError({ code: 'unauthenticated', status: 401, message: 'Sign in to continue.' });
  return ctx.principal.userId;
};

const stateOf = (s: SessionRow): SessionState => ({
  number: s.number,
  scheduledOn: s.scheduledOn,
  status: s.status as SessionState['status'],
  heldOn: s.heldOn,
  homeworkDone: s.homeworkDoneAt !== null,
});

const outcomeDto = (o: typeof craftOutcomes.$inferSelect) => ({ id: o.id, enteredTreatment: o.enteredTreatment, enteredOn: o.enteredOn, setting: o.setting, recordedAt: o.recordedAt.toISOString() });

const assessmentDto = (a: AssessmentRow) => ({
  id: a.id,
  instrument: a.instrument as WellbeingInstrument,
  score: a.score,
  severity: a.severity,
  source: a.source as 'app' | 'staff',
  completedAt: a.completedAt.toISOString(),
  helpNow: answersCallForHelp(a.instrument as WellbeingInstrument, a.answers),
});

const trendOf = (list: readonly AssessmentRow[]) => wellbeingTrend(list.map((a) => ({ instrument: a.instrument as WellbeingInstrument, score: a.score, completedAt: a.completedAt.toISOString() })));

/** Whether the CSO's latest PHQ-9 answered item 9 above "not at all" (the counsellor's flag on the course). */
const helpNowFlag = (list: readonly AssessmentRow[]) => {
  const latest = [...list].filter((a) => a.instrument === 'phq-9').sort((a, b) => b.completedAt.getTime() - a.completedAt.getTime())[0];
  return latest ? answersCallForHelp('phq-9', latest.answers) : false;
};

async function courseRow(tx: Tx, programId: string, id: string): Promise<Course> {
  const [c] = await tx
    .select()
    .from(craftCourses)
    .where(and(eq(craftCourses.programId, programId), eq(craftCourses.id, id)));
  if (!c) throw notFound('CRAFT course');
  return c;
}

const openCourse = (c: Course) => {
  if (c.closedAt) throw conflict('course_closed', 'This CRAFT course is closed.');
};

async function sessionsOf(tx: Tx, programId: string, courseIds: readonly string[]) {
  if (courseIds.length === 0) return [];
  return tx
    .select()
    .from(craftSessions)
    .where(and(eq(craftSessions.programId, programId), inArray(craftSessions.courseId, [...courseIds])))
    .orderBy(asc(craftSessions.number));
}

async function assessmentsOf(tx: Tx, programId: string, memberIds: readonly string[]) {
  if (memberIds.length === 0) return [];
  return tx
    .select()
    .from(familyAssessments)
    .where(and(eq(familyAssessments.programId, programId), inArray(familyAssessments.familyMemberId, [...memberIds])))
    .orderBy(asc(familyAssessments.completedAt));
}

async function outcomesOf(tx: Tx, programId: string, courseIds: readonly string[]) {
  if (courseIds.length === 0) return [];
  return tx
    .select()
    .from(craftOutcomes)
    .where(and(eq(craftOutcomes.programId, programId), inArray(craftOutcomes.courseId, [...courseIds])))
    .orderBy(desc(craftOutcomes.recordedAt));
}

// --- staff ---------------------------------------------------------------------------------

/** Creates the CSO (or takes an existing family member) and the course with its twelve sessions. */
export async function createCourse(deps: Deps, input: z.infer<typeof CraftCourseCreate>) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const me = staffId(ctx);
  const counsellorId = input.counsellorId ?? me;
  if (input.counsellorId) await assertStaff(tx, programId, input.counsellorId, 'body.counsellorId');
  if (input.familyMemberId && input.displayName) throw invalid('body.displayName', 'give a new client’s name or an existing family member, not both');
  let familyMemberId = input.familyMemberId;
  if (familyMemberId) {
    const [m] = await tx
      .select({ id: familyMembers.id })
      .from(familyMembers)
      .where(and(eq(familyMembers.programId, programId), eq(familyMembers.id, familyMemberId)));
    if (!m) throw new AppError({ code: 'not_found', status: 404, message: 'Family member not found.', problems: [{ field: 'body.familyMemberId', message: 'not found' }] });
    const [open] = await tx
      .select({ id: craftCourses.id })
      .from(craftCourses)
      .where(and(eq(craftCourses.programId, programId), eq(craftCourses.familyMemberId, familyMemberId), isNull(craftCourses.closedAt)));
    if (open) throw conflict('course_open', 'This person already has an open CRAFT course. Close it first.', 'body.familyMemberId');
  } else {
    if (!input.displayName) throw invalid('body.displayName', 'give the client’s name (or choose an existing family member)');
    let phone: string | null = null;
    if (input.phone) {
      phone = toE164(input.phone);
      if (!phone) throw invalid('body.phone', 'must be a phone number, e.g. (555) 010-1234');
    }
    familyMemberId = randomUUID();
    await tx.insert(familyMembers).values({ programId, id: familyMemberId, displayName: input.displayName, phone, language: input.language, createdBy: me, createdAt: ctx.now });
    await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'family', entityId: familyMemberId, detail: { kind: 'craft-client' } });
  }
  const id = randomUUID();
  await tx.insert(craftCourses).values({ programId, id, familyMemberId, lovedOne: input.lovedOne, counsellorId, startedOn: input.startedOn, createdBy: me, createdAt: ctx.now });
  await tx
    .insert(craftSessions)
    .values(craftSchedule(input.startedOn).map((s) => ({ programId, courseId: id, number: s.number, topic: s.topic, scheduledOn: s.scheduledOn, status: 'scheduled', updatedAt: ctx.now })));
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'craft-course', entityId: id, detail: { familyMemberId, startedOn: input.startedOn, sessions: 12 } });
  return getCourse(deps, id, { audit: false });
}

/** The programme's courses for the console (open first, newest first), each with its progress and latest outcome. */
export async function listCourses(deps: Deps) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const rows = await tx
    .select({ c: craftCourses, name: familyMembers.displayName })
    .from(craftCourses)
    .innerJoin(familyMembers, and(eq(familyMembers.programId, craftCourses.programId), eq(familyMembers.id, craftCourses.familyMemberId)))
    .where(eq(craftCourses.programId, programId))
    .orderBy(desc(craftCourses.createdAt))
    .limit(COURSE_LIST_LIMIT);
  const ids = rows.map((r) => r.c.id);
  const [sessions, outcomes, assessments, day] = await Promise.all([
    sessionsOf(tx, programId, ids),
    outcomesOf(tx, programId, ids),
    assessmentsOf(
      tx,
      programId,
      rows.map((r) => r.c.familyMemberId),
    ),
    todayIn(tx, programId, ctx.now).then((d) => d.today),
  ]);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'craft-course', detail: { count: rows.length } });
  const items = rows.map((r) => listItem(r.c, r.name, sessions, outcomes, assessments, day));
  items.sort((a, b) => Number(a.closedAt !== null) - Number(b.closedAt !== null));
  return { items, bounded: true as const };
}

function listItem(c: Course, name: string, sessions: SessionRow[], outcomes: (typeof craftOutcomes.$inferSelect)[], assessments: AssessmentRow[], day: string) {
  const mine = assessments.filter((a) => a.familyMemberId === c.familyMemberId);
  const latest = outcomes.find((o) => o.courseId === c.id);
  return {
    id: c.id,
    familyMemberId: c.familyMemberId,
    displayName: name,
    lovedOne: c.lovedOne,
    startedOn: c.startedOn,
    closedAt: c.closedAt?.toISOString() ?? null,
    counsellorId: c.counsellorId,
    summary: courseSummary(sessions.filter((s) => s.courseId === c.id).map(stateOf), day),
    outcome: latest ? outcomeDto(latest) : null,
    helpNowFlag: helpNowFlag(mine),
  };
}

/** One course: sessions with topics, homework and the CSO's answers, wellbeing with its trend, outcomes. */
export async function getCourse(deps: Deps, id: string, opts: { audit: boolean } = { audit: true }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const c = await courseRow(tx, programId, id);
  const [member] = await tx
    .select()
    .from(familyMembers)
    .where(and(eq(familyMembers.programId, programId), eq(familyMembers.id, c.familyMemberId)));
  const [counsellor] = await tx.select({ name: users.displayName }).from(users).where(eq(users.id, c.counsellorId));
  const [sessions, outcomes, assessments, day] = await Promise.all([
    sessionsOf(tx, programId, [id]),
    outcomesOf(tx, programId, [id]),
    assessmentsOf(tx, programId, [c.familyMemberId]),
    todayIn(tx, programId, ctx.now).then((d) => d.today),
  ]);
  if (opts.audit) await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'craft-course', entityId: id });
  const topics = craftTopics();
  return {
    ...listItem(c, member?.displayName ?? '', sessions, outcomes, assessments, day),
    phone: member?.phone ?? null,
    language: member?.language === 'es' ? ('es' as const) : ('en' as const),
    counsellorName: counsellor?.name ?? '',
    closedReason: c.closedReason,
    sessions: sessions.map((s) => {
      const t = topics.get(s.topic as CraftTopic)!;
      return {
        number: s.number,
        topic: s.topic,
        title: t.title,
        homework: { kind: t.homework.kind, prompt: t.homework.prompt, items: t.homework.kind === 'checklist' ? t.homework.items : [] },
        scheduledOn: s.scheduledOn,
        status: s.status as SessionState['status'],
        heldOn: s.heldOn,
        note: s.note,
        homeworkDoneAt: s.homeworkDoneAt?.toISOString() ?? null,
        homeworkResponse: s.homeworkResponse,
      };
    }),
    wellbeing: [...assessments].reverse().map(assessmentDto),
    trend: trendOf(assessments),
    outcomes: outcomes.map(outcomeDto),
    sources: craftSources(),
  };
}

/** Records a session held, missed or back to scheduled, moves it (only it), or notes it. */
export async function updateSession(deps: Deps, id: string, number: number, input: z.infer<typeof CraftSessionUpdate>) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const c = await courseRow(tx, programId, id);
  openCourse(c);
  if (!Number.isInteger(number) || number < 1 || number > 12) throw notFound('Session');
  const sessions = await sessionsOf(tx, programId, [id]);
  const s = sessions.find((x) => x.number === number);
  if (!s) throw notFound('Session');
  const day = (await todayIn(tx, programId, ctx.now)).today;
  const set: Partial<typeof craftSessions.$inferInsert> = { updatedAt: ctx.now };
  if (input.scheduledOn !== undefined && input.scheduledOn !== s.scheduledOn) {
    const p = moveProblem(sessions.map(stateOf), number, input.scheduledOn, c.startedOn);
    if (p) throw invalid(p.field, p.message);
    set.scheduledOn = input.scheduledOn;
  }
  if (input.status === 'held') {
    const heldOn = input.heldOn ?? set.scheduledOn ?? (s.scheduledOn <= day ? s.scheduledOn : day);
    const p = heldProblem(heldOn, c.startedOn, day);
    if (p) throw invalid(p.field, p.message);
    set.status = 'held';
    set.heldOn = heldOn;
  } else if (input.status) {
    if (input.heldOn) throw invalid('body.heldOn', 'only a session held has a date held');
    set.status = input.status;
    set.heldOn = null;
  } else if (input.heldOn) throw invalid('body.heldOn', 'give status "held" with the date held');
  if (input.note !== undefined) set.note = input.note?.trim() || null;
  if (Object.keys(set).length === 1) throw invalid('body', 'say what changes: status, scheduledOn or note');
  await tx
    .update(craftSessions)
    .set(set)
    .where(and(eq(craftSessions.programId, programId), eq(craftSessions.courseId, id), eq(craftSessions.number, number)));
  await writeAudit(tx, auditContext(ctx), {
    action: 'update',
    entity: 'craft-session',
    entityId: id,
    detail: { number, ...(set.status ? { status: set.status } : {}), ...(set.scheduledOn ? { movedTo: set.scheduledOn } : {}), ...(input.note !== undefined ? { note: true } : {}) },
  });
  return getCourse(deps, id, { audit: false });
}

/** The outcome: whether, when and where the loved one entered treatment (append-only; the latest counts). */
export async function recordOutcome(deps: Deps, id: string, input: z.infer<typeof CraftOutcomeCreate>) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const c = await courseRow(tx, programId, id);
  const p = outcomeProblem(input, c.startedOn, (await todayIn(tx, programId, ctx.now)).today);
  if (p) throw invalid(p.field, p.message);
  if (!input.enteredTreatment && input.setting) throw invalid('body.setting', 'leave the place out when they have not entered treatment');
  const outcomeId = randomUUID();
  await tx.insert(craftOutcomes).values({
    programId,
    id: outcomeId,
    courseId: id,
    enteredTreatment: input.enteredTreatment,
    enteredOn: input.enteredOn ?? null,
    setting: input.setting || null,
    recordedBy: staffId(ctx),
    recordedAt: ctx.now,
  });
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'craft-outcome', entityId: outcomeId, detail: { courseId: id, enteredTreatment: input.enteredTreatment } });
  return getCourse(deps, id, { audit: false });
}

export async function closeCourse(deps: Deps, id: string, input: z.infer<typeof CraftClose>) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const c = await courseRow(tx, programId, id);
  openCourse(c);
  await tx
    .update(craftCourses)
    .set({ closedAt: ctx.now, closedReason: input.reason })
    .where(and(eq(craftCourses.programId, programId), eq(craftCourses.id, id)));
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'craft-course', entityId: id, detail: { closed: true } });
  return getCourse(deps, id, { audit: false });
}

/** Scores and stores a PHQ-9 or GAD-7 with the library; a 400 names the item at fault. */
async function storeWellbeing(tx: Tx, ctx: Ctx, programId: string, familyMemberId: string, input: z.infer<typeof WellbeingCreate>, source: 'app' | 'staff') {
  let scored;
  try {
    scored = scoreWellbeing(input.instrument, input.answers);
  } catch (err) {
    if (err instanceof InstrumentInputError) {
      const problems = err.problems.map((p) => ({ field: `body.answers.${p.item}`, message: p.message }));
      throw new AppError({ code: 'invalid_input', status: 400, message: `Some answers are not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems });
    }
    throw err;
  }
  if ('field' in scored) throw invalid(scored.field, scored.message);
  const id = randomUUID();
  const row = {
    programId,
    id,
    familyMemberId,
    instrument: input.instrument,
    answers: input.answers,
    score: scored.score,
    severity: scored.severity,
    source,
    enteredBy: source === 'staff' ? staffId(ctx) : null,
    completedAt: ctx.now,
  };
  await tx.insert(familyAssessments).values(row);
  await writeAudit(tx, auditContext(ctx), {
    action: 'create',
    entity: 'family-assessment',
    entityId: id,
    detail: { familyMemberId, instrument: input.instrument, source, ...(scored.helpNow ? { helpNow: true } : {}) },
  });
  const all = await assessmentsOf(tx, programId, [familyMemberId]);
  return { assessment: assessmentDto(row), trend: trendOf(all) };
}

/** Staff enter the CSO's questionnaire with them. */
export async function staffWellbeing(deps: Deps, id: string, input: z.infer<typeof WellbeingCreate>) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const c = await courseRow(tx, programId, id);
  await storeWellbeing(tx, ctx, programId, c.familyMemberId, input, 'staff');
  return getCourse(deps, id, { audit: false });
}

// the CSO's app: the family invite machinery, with no patient link (the audit rows name no patient)
const holderOf = (c: Course): Holder => ({ patientId: null, familyMemberId: c.familyMemberId });

export async function inviteCourseClient(deps: Deps, id: string) {
  const c = await courseRow(deps.tx, programOf(deps.ctx), id);
  return newInvite(deps, holderOf(c), null);
}
export async function courseAppAccess(deps: Deps, id: string) {
  const c = await courseRow(deps.tx, programOf(deps.ctx), id);
  return appAccess(deps, holderOf(c), null);
}
export async function revokeCourseDevice(deps: Deps, id: string, deviceId: string) {
  const c = await courseRow(deps.tx, programOf(deps.ctx), id);
  return revokeHolderDevice(deps, holderOf(c), null, deviceId);
}

// --- the CSO's own part of the app (auth: 'family') ------------------------------------------

/** The CSO's latest course (an open one first). */
async function myCourse(tx: Tx, me: FamilyPrincipal): Promise<Course | null> {
  const rows = await tx
    .select()
    .from(craftCourses)
    .where(and(eq(craftCourses.programId, me.programId), eq(craftCourses.familyMemberId, me.familyMemberId)))
    .orderBy(desc(craftCourses.createdAt));
  return rows.find((r) => !r.closedAt) ?? rows[0] ?? null;
}

async function myLang(tx: Tx, me: FamilyPrincipal): Promise<Lang> {
  const [m] = await tx
    .select({ language: familyMembers.language })
    .from(familyMembers)
    .where(and(eq(familyMembers.programId, me.programId), eq(familyMembers.id, me.familyMemberId)));
  return m?.language === 'es' ? 'es' : 'en';
}

const TRANSLATION = 'http://hl7.org/fhir/StructureDefinition/translation';
const ORDINAL = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';
type Translatable = { extension?: Array<{ url: string; extension?: Array<{ url: string; valueCode?: string; valueString?: string }> }> };
const inLang = (text: string | undefined, el: Translatable | undefined, lang: Lang) =>
  lang === 'en'
    ? (text ?? '')
    : (el?.extension?.find((e) => e.url === TRANSLATION && e.extension?.some((x) => x.url === 'lang' && x.valueCode === lang))?.extension?.find((x) => x.url === 'content')?.valueString ?? text ?? '');

/** The PHQ-9 and GAD-7 as the CSO answers them: the publisher's wording (US Spanish where the questionnaire has it), scored items only. */
function wellbeingForms(lang: Lang) {
  const form = (id: WellbeingInstrument) => {
    const q = questionnaireOf(id);
    const items = q.item as Array<QuestionnaireItem & { _text?: Translatable; required?: boolean }>;
    const intro = items.find((i) => i.type === 'display');
    const scored = items.filter((i) => i.type === 'choice' && i.required);
    const options = (scored[0]?.answerOption ?? []).map((o) => {
      const c = o.valueCoding as typeof o.valueCoding & { _display?: Translatable };
      return { value: c.extension?.find((e) => e.url === ORDINAL)?.valueDecimal ?? 0, text: inLang(c.display, c._display, lang) };
    });
    return { instrument: id, intro: inLang(intro?.text, intro?._text, lang), items: scored.map((i) => ({ linkId: i.linkId, text: inLang(i.text, i._text, lang) })), options };
  };
  return [form('phq-9'), form('gad-7')];
}

/** My course in my language, with my homework and my wellbeing (my own record: no disclosure). */
export async function myCraft(deps: Deps, me: FamilyPrincipal, asked?: Lang) {
  const { tx, ctx } = deps;
  const [c, recorded, assessments, day] = await Promise.all([
    myCourse(tx, me),
    myLang(tx, me),
    assessmentsOf(tx, me.programId, [me.familyMemberId]),
    todayIn(tx, me.programId, ctx.now).then((d) => d.today),
  ]);
  const lang = asked ?? recorded;
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'craft-course', ...(c ? { entityId: c.id } : {}), detail: { familyMemberId: me.familyMemberId, channel: 'app' } });
  const wellbeing = [...assessments].reverse().map(assessmentDto);
  const forms = wellbeingForms(lang);
  if (!c) return { course: null, wellbeing, trend: trendOf(assessments), forms };
  const sessions = await sessionsOf(tx, me.programId, [c.id]);
  const topics = craftTopics();
  return {
    course: {
      lovedOne: c.lovedOne,
      startedOn: c.startedOn,
      closed: c.closedAt !== null,
      summary: courseSummary(sessions.map(stateOf), day),
      sessions: sessions.map((s) => {
        const t = topics.get(s.topic as CraftTopic)!;
        return {
          number: s.number,
          title: t.title[lang],
          aim: t.aim[lang],
          points: t.points.map((p) => p[lang]),
          homework: { kind: t.homework.kind, prompt: t.homework.prompt[lang], items: t.homework.kind === 'checklist' ? t.homework.items.map((i) => i[lang]) : [] },
          scheduledOn: s.scheduledOn,
          status: s.status as SessionState['status'],
          open: homeworkOpen({ scheduledOn: s.scheduledOn, status: s.status as SessionState['status'] }, day),
          homeworkDoneAt: s.homeworkDoneAt?.toISOString() ?? null,
          homeworkResponse: s.homeworkResponse,
        };
      }),
    },
    wellbeing,
    trend: trendOf(assessments),
    forms,
  };
}

/** Writes (or rewrites) a session's homework, once the session's day has come or it was held. */
export async function myHomework(deps: Deps, me: FamilyPrincipal, number: number, input: z.infer<typeof CraftHomework>, lang?: Lang) {
  const { tx, ctx } = deps;
  const c = await myCourse(tx, me);
  if (!c || c.closedAt) throw notFound('CRAFT course');
  if (!Number.isInteger(number) || number < 1 || number > 12) throw notFound('Session');
  const [s] = await tx
    .select()
    .from(craftSessions)
    .where(and(eq(craftSessions.programId, me.programId), eq(craftSessions.courseId, c.id), eq(craftSessions.number, number)));
  if (!s) throw notFound('Session');
  if (!homeworkOpen({ scheduledOn: s.scheduledOn, status: s.status as SessionState['status'] }, (await todayIn(tx, me.programId, ctx.now)).today))
    throw conflict('session_not_yet', 'This session has not happened yet. You can do its task after the session.', 'params.number');
  await tx
    .update(craftSessions)
    .set({ homeworkDoneAt: s.homeworkDoneAt ?? ctx.now, homeworkResponse: input.response, updatedAt: ctx.now })
    .where(and(eq(craftSessions.programId, me.programId), eq(craftSessions.courseId, c.id), eq(craftSessions.number, number)));
  await writeAudit(tx, auditContext(ctx), { action: s.homeworkDoneAt ? 'update' : 'create', entity: 'craft-homework', entityId: c.id, detail: { number, familyMemberId: me.familyMemberId } });
  return myCraft(deps, me, lang);
}

/** My own PHQ-9 or GAD-7. Item 9 above "not at all": the answer says Help now, and the counsellor's course list flags it. Nothing patient-facing is made. */
export async function myWellbeing(deps: Deps, me: FamilyPrincipal, input: z.infer<typeof WellbeingCreate>) {
  return storeWellbeing(deps.tx, deps.ctx, me.programId, me.familyMemberId, input, 'app');
}
