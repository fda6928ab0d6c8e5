// Demo skills (fictional): modules the demo counsellor assigned to patients in treatment, with
// progress spread over the last weeks so the engagement funnel shows where people stop;
// homework, some of it reviewed with a comment; the demo app patient (HSC-0002) with a module
// finished (its CM award on the demo protocol's module track), one started and one due; and
// one module of the programme's own, started from a built-in. All through the module's use
// cases, so the audit trail and CM agree.
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Role } from '../../../core/access/roles.ts';
import { addDays, localDate } from '../../../core/cm/calendar.ts';
import type { ExerciseEntry } from '../../../core/skills/exercises.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { Ctx } from '../../platform/http/context.ts';
import { programTimeZone } from '../cm/settle.ts';
import { patients } from '../patients/patients.tables.ts';
import { builtInModules } from '../skills/library.ts';
import { publishModule, saveDraft } from '../skills/modules.ts';
import { completeModule, reachScreen, saveEntry } from '../skills/patient-app.ts';
import { assignModule, reviewEntry } from '../skills/patient-skills.ts';
import { ctxFor } from './seed-clinical.ts';

type Staff = Map<Role, { id: string; name: string }>;

/** A patient's own request context, as the patient app's session would give it. */
function patientCtx(o: { orgId: string; programId: string; patientId: string; now: Date }): { ctx: Ctx; me: Parameters<typeof reachScreen>[1] } {
  const me = { programId: o.programId, orgId: o.orgId, patientId: o.patientId, deviceId: randomUUID(), sessionId: 'demo-seed', idleMinutes: 5 };
  return {
    me,
    ctx: {
      principal: null,
      patient: me,
      orgId: o.orgId,
      program: { programId: o.programId, roles: [], permissions: new Set() },
      meta: { requestId: 'demo-seed', ip: null, userAgent: 'waypoint-demo-seed' },
      now: o.now,
    },
  };
}

const CHAIN: ExerciseEntry = {
  type: 'chain',
  data: {
    trigger: 'Payday, walking past the old corner',
    thought: 'Just this once',
    feeling: 'Restless and wound up',
    behaviour: 'Called my sister and took the bus home',
    consequence: 'Felt proud; the money is still there',
  },
};
const CRAVING: ExerciseEntry = {
  type: 'craving-log',
  data: { situation: 'After a hard call with my landlord', before: 8, after: 4, surfedSeconds: 300, whatHelped: 'Breathing and a walk around the block' },
};

export async function seedSkillsDemo(tx: Tx, o: { orgId: string; programId: string; now: Date; staff: Staff; appPatientMrn: string }) {
  const counsellor = o.staff.get('counsellor');
  const admin = o.staff.get('administrator');
  if (!counsellor || !admin || builtInModules().size === 0) return 0;
  const tz = await programTimeZone(tx, o.programId);
  const today = localDate(o.now, tz);
  const at = (daysAgo: number, minutes = 0) => new Date(o.now.getTime() - daysAgo * 86_400_000 + minutes * 60_000);
  const staffDeps = (now: Date) => ({ tx, ctx: ctxFor({ orgId: o.orgId, programId: o.programId, userId: counsellor.id, name: counsellor.name, role: 'counsellor', now }) });
  const adminDeps = { tx, ctx: ctxFor({ orgId: o.orgId, programId: o.programId, userId: admin.id, name: admin.name, role: 'administrator', now: at(20) }) };
  const mods = builtInModules();
  const doc = (key: string) => mods.get(key)!;

  // The patient works a module: its screens over some minutes, an exercise entry, maybe homework, maybe finished.
  async function work(patientId: string, key: string, o2: { startedDaysAgo: number; upTo: number; finish: boolean; entry?: ExerciseEntry; homework?: ExerciseEntry }) {
    const m = doc(key);
    const last = Math.min(o2.upTo, m.screens.length - 1);
    for (let i = 0; i <= last; i++) {
      const when = at(o2.startedDaysAgo, i * 2);
      const p = patientCtx({ orgId: o.orgId, programId: o.programId, patientId, now: when });
      await reachScreen({ tx, ctx: p.ctx }, p.me, { moduleKey: key, version: m.version, screen: i, at: when.toISOString() });
      const s = m.screens[i]!;
      if (o2.entry && s.kind === 'exercise' && s.exercise.type === o2.entry.type)
        await saveEntry({ tx, ctx: p.ctx }, p.me, { id: randomUUID(), moduleKey: key, version: m.version, stepId: s.id, homework: false, entry: o2.entry, at: when.toISOString() });
    }
    const done = at(o2.startedDaysAgo, last * 2 + 3);
    const p = patientCtx({ orgId: o.orgId, programId: o.programId, patientId, now: done });
    if (o2.finish) await completeModule({ tx, ctx: p.ctx }, p.me, { moduleKey: key, version: m.version, at: done.toISOString() });
    if (o2.homework && o2.homework.type === m.homework.exercise.type) {
      const id = randomUUID();
      await saveEntry({ tx, ctx: p.ctx }, p.me, { id, moduleKey: key, version: m.version, stepId: 'homework', homework: true, entry: o2.homework, at: done.toISOString() });
      return id;
    }
    return null;
  }

  const rows = await tx
    .select({ id: patients.id, mrn: patients.mrn })
    .from(patients)
    .where(and(eq(patients.programId, o.programId)))
    .orderBy(asc(patients.mrn));
  const app = rows.find((r) => r.mrn === o.appPatientMrn);
  let n = 0;

  // The app patient: one finished (homework reviewed, with a comment), one half done, one due this week.
  if (app) {
    await assignModule(staffDeps(at(12)), app.id, { moduleKey: 'cbt-functional-analysis' });
    const hw = await work(app.id, 'cbt-functional-analysis', { startedDaysAgo: 10, upTo: 99, finish: true, entry: CHAIN, homework: CHAIN });
    if (hw) await reviewEntry(staffDeps(at(8)), app.id, hw, { comment: 'Calling your sister broke the chain. That is a real skill. Let’s talk about payday plans on Thursday.' });
    await assignModule(staffDeps(at(6)), app.id, { moduleKey: 'mindfulness-urge-surfing', dueOn: addDays(today, 2) });
    await work(app.id, 'mindfulness-urge-surfing', { startedDaysAgo: 2, upTo: 3, finish: false });
    await assignModule(staffDeps(at(1)), app.id, { moduleKey: 'cbt-triggers-coping', dueOn: addDays(today, 6) });
    n += 3;
  }

  // Others in treatment: the same few modules at different depths, so the funnel shows where people stop.
  const others = rows.filter((r) => r.mrn !== o.appPatientMrn).slice(0, 14);
  const plan: Array<[string, number, boolean]> = [
    ['cbt-understanding-use', 99, true],
    ['mi-readiness-change-plan', 2, false],
    ['cbt-functional-analysis', 99, true],
    ['cbt-understanding-use', 4, false],
    ['medications-for-oud', 99, true],
    ['cbt-functional-analysis', 3, false],
    ['mi-readiness-change-plan', 99, true],
    ['cbt-understanding-use', 99, true],
    ['overdose-naloxone', 99, true],
    ['cbt-functional-analysis', 3, false],
    ['cbt-understanding-use', 2, false],
    ['medications-for-oud', 5, false],
    ['cbt-refusal-problem-solving', 0, false],
    ['mi-readiness-change-plan', 2, false],
  ];
  for (const [i, p] of others.entries()) {
    const [key, upTo, finish] = plan[i % plan.length]!;
    await assignModule(staffDeps(at(30 - i)), p.id, { moduleKey: key, ...(finish ? {} : { dueOn: addDays(today, (i % 5) - 1 > 0 ? (i % 5) - 1 : 1) }) });
    if (i % 7 === 6) continue; // assigned, not opened yet
    const hw = await work(p.id, key, { startedDaysAgo: 28 - i, upTo, finish, entry: CHAIN, homework: i % 2 === 0 ? CHAIN : CRAVING });
    if (hw && i % 4 === 0) await reviewEntry(staffDeps(at(20 - i)), p.id, hw, { comment: 'Thank you for writing this down. We will go over it together.' });
    n += 1;
  }

  // The programme's own module: the meetings module, made local by the programme.
  const base = doc('mutual-help-meetings');
  const local = {
    ...base,
    key: 'harbor-meetings-nearby',
    version: 1,
    title: { en: 'Meetings near Harbor Street (demo)', es: 'Reuniones cerca de Harbor Street (demo)' },
  };
  await saveDraft(adminDeps, { content: local, basedOn: base.key });
  await publishModule(adminDeps, local.key);
  return n;
}
