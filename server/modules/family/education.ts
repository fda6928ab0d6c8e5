// Family education (issue 16, docs/family.md): the lessons in content/family-education (read
// once and linted, core/family/education.ts), which a family member finished, the family
// member's own naloxone (server/modules/naloxone) and meetings for families from the
// programme's directory (server/modules/meetings). All of it is the family member's own record:
// nothing here reads a patient's record, so nothing here is a disclosure.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { lessonIn, lintLibrary, type FamilyLesson } from '../../../core/family/education.ts';
import { say } from '../../../core/skills/module.ts';
import { FAMILY_FELLOWSHIPS } from '../../../core/meetings/model.ts';
import type { MeetingSearchQuery } from '../../../contracts/meetings.ts';
import type { LessonList, LessonOut, MemberLessons } from '../../../contracts/family-education.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx, type FamilyPrincipal } from '../../platform/http/context.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { familyMembers } from '../consent/consent.tables.ts';
import { searchMeetings } from '../meetings/directory.ts';
import { familyLessons } from './family.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };
type Lang = 'en' | 'es';

export const LESSONS_DIR = fileURLToPath(new URL('../../../content/family-education/', import.meta.url));

/** Every lesson file of a directory with its lint (the library's own checks on the first file). */
export function lintLessons(dir: string = LESSONS_DIR) {
  const docs = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      try {
        return { file, doc: JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown };
      } catch {
        return { file, doc: null };
      }
    });
  return lintLibrary(docs).map((r, i) => ({ ...r, doc: docs[i]!.doc }));
}

let library: FamilyLesson[] | null = null;

/** The lessons that pass the lint, in order (CI refuses the rest). */
export function lessons(): FamilyLesson[] {
  if (!library)
    library = lintLessons()
      .filter((r) => r.result.summary && r.result.problems.length === 0)
      .map((r) => r.doc as FamilyLesson)
      .sort((a, b) => a.order - b.order);
  return library;
}

const lessonOf = (key: string) => {
  const l = lessons().find((x) => x.key === key);
  if (!l) throw notFound('Lesson');
  return l;
};

async function languageOf(tx: Tx, me: FamilyPrincipal): Promise<Lang> {
  const [m] = await tx
    .select({ language: familyMembers.language })
    .from(familyMembers)
    .where(and(eq(familyMembers.programId, me.programId), eq(familyMembers.id, me.familyMemberId)));
  return m?.language === 'es' ? 'es' : 'en';
}

async function finishedOf(tx: Tx, programId: string, familyMemberId: string): Promise<Map<string, Date>> {
  const rows = await tx
    .select({ lesson: familyLessons.lesson, finishedAt: familyLessons.finishedAt })
    .from(familyLessons)
    .where(and(eq(familyLessons.programId, programId), eq(familyLessons.familyMemberId, familyMemberId)));
  return new Map(rows.map((r) => [r.lesson, r.finishedAt]));
}

/** The lessons in the family member's language (or the one asked for), each with when they finished it. */
export async function myLessons(deps: Deps, me: FamilyPrincipal, q: { lang?: Lang | undefined }): Promise<z.infer<typeof LessonList>> {
  const { tx, ctx } = deps;
  const lang = q.lang ?? (await languageOf(tx, me));
  const done = await finishedOf(tx, me.programId, me.familyMemberId);
  await writeAudit(tx, auditContext(ctx, { programId: me.programId }), { action: 'read', entity: 'family-lessons', entityId: me.familyMemberId, detail: { finished: done.size } });
  return {
    language: lang,
    items: lessons().map((l) => ({
      key: l.key,
      topic: l.topic,
      title: say(l.title, lang),
      summary: say(l.summary, lang),
      minutes: l.minutes,
      screens: l.screens.length,
      finishedAt: done.get(l.key)?.toISOString() ?? null,
    })),
    bounded: true,
  };
}

export async function myLesson(deps: Deps, me: FamilyPrincipal, key: string, q: { lang?: Lang | undefined }): Promise<z.infer<typeof LessonOut>> {
  const { tx, ctx } = deps;
  const lesson = lessonOf(key);
  const lang = q.lang ?? (await languageOf(tx, me));
  const done = await finishedOf(tx, me.programId, me.familyMemberId);
  await writeAudit(tx, auditContext(ctx, { programId: me.programId }), { action: 'read', entity: 'family-lessons', entityId: me.familyMemberId, detail: { lesson: key } });
  return { ...lessonIn(lesson, lang), language: lang, finishedAt: done.get(key)?.toISOString() ?? null };
}

/** Marks a lesson finished; finishing it again keeps the first time (idempotent). */
export async function finishLesson(deps: Deps, me: FamilyPrincipal, key: string) {
  const { tx, ctx } = deps;
  lessonOf(key);
  const [inserted] = await tx
    .insert(familyLessons)
    .values({ programId: me.programId, familyMemberId: me.familyMemberId, lesson: key, finishedAt: ctx.now })
    .onConflictDoNothing()
    .returning({ finishedAt: familyLessons.finishedAt });
  if (inserted) await writeAudit(tx, auditContext(ctx, { programId: me.programId }), { action: 'create', entity: 'family-lessons', entityId: me.familyMemberId, detail: { lesson: key } });
  const finishedAt = inserted?.finishedAt ?? (await finishedOf(tx, me.programId, me.familyMemberId)).get(key)!;
  return { key, finishedAt: finishedAt.toISOString() };
}

/** For the counsellor: which lessons a family member of the programme finished. */
export async function memberLessons(deps: Deps, familyMemberId: string): Promise<z.infer<typeof MemberLessons>> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [m] = await tx
    .select({ id: familyMembers.id, language: familyMembers.language })
    .from(familyMembers)
    .where(and(eq(familyMembers.programId, programId), eq(familyMembers.id, familyMemberId)));
  if (!m) throw notFound('Family member');
  const done = await finishedOf(tx, programId, familyMemberId);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'family-lessons', entityId: familyMemberId, detail: { finished: done.size } });
  const all = lessons();
  return {
    items: all.filter((l) => done.has(l.key)).map((l) => ({ key: l.key, title: say(l.title, 'en'), finishedAt: done.get(l.key)!.toISOString() })),
    total: all.length,
    bounded: true,
  };
}

/**
 * Meetings for families (Nar-Anon, Al-Anon) from the programme's directory: the patient app's
 * search, held to the family fellowships. Asking for another fellowship is a 400 naming it.
 */
export async function familyMeetings(deps: Deps, q: MeetingSearchQuery) {
  const other = (q.fellowship ?? []).find((f) => !FAMILY_FELLOWSHIPS.includes(f));
  if (other) throw invalid('query.fellowship', `must be one of ${FAMILY_FELLOWSHIPS.join(', ')}`);
  return searchMeetings(deps, { ...q, fellowship: q.fellowship ?? [...FAMILY_FELLOWSHIPS] });
}
