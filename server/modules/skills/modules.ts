// The skills library: the built-in modules (files, read-only) and the programme's own
// (rows, one per version). A programme's module is written as a draft, previewed, and
// published; a published version is never changed (patients' progress names it); editing
// again makes the next version's draft. Retiring takes a module out of the library.
import { and, desc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { lintModule } from '../../../core/skills/lint.ts';
import { SkillsModule, languagesOf } from '../../../core/skills/module.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { users } from '../identity/identity.tables.ts';
import { builtInModules } from './library.ts';
import { skillModules } from './skills.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };
type Status = 'published' | 'draft' | 'retired';
export type Origin = 'built-in' | 'programme';

/** A module as the library knows it: its document, where it comes from and its status. */
export type LibraryModule = { doc: SkillsModule; origin: Origin; status: Status };

export const contentUrl = (programId: string, m: LibraryModule) =>
  m.origin === 'built-in' ? `/content/skills/${m.doc.key}@${m.doc.version}.json` : `/content/skills/${programId}/${m.doc.key}@${m.doc.version}.json`;

export function summaryOf(programId: string, m: LibraryModule) {
  const d = m.doc;
  return {
    key: d.key,
    version: d.version,
    origin: m.origin,
    status: m.status,
    topic: d.topic,
    interventions: d.interventions,
    stages: d.stages,
    minutes: d.minutes,
    title: d.title,
    goal: d.goal,
    languages: languagesOf(d),
    screens: d.screens.length,
    contentUrl: m.status === 'draft' ? null : contentUrl(programId, m),
  };
}

/**
 * The library: every built-in module and the programme's own at their latest version.
 * `offered`: only what patients may open and staff may assign (published); else drafts and
 * retired modules too (for the editors).
 */
export async function library(tx: Tx, programId: string, opts: { offered: boolean }): Promise<LibraryModule[]> {
  const out: LibraryModule[] = [...builtInModules().values()].map((doc) => ({ doc, origin: 'built-in' as const, status: 'published' as const }));
  const rows = await tx
    .select({ key: skillModules.key, version: skillModules.version, status: skillModules.status, content: skillModules.content })
    .from(skillModules)
    .where(eq(skillModules.programId, programId))
    .orderBy(skillModules.key, desc(skillModules.version));
  const seen = new Set<string>();
  for (const r of rows) {
    if (seen.has(r.key) || (opts.offered && r.status !== 'published')) continue;
    seen.add(r.key);
    out.push({ doc: r.content as SkillsModule, origin: 'programme', status: r.status as Status });
  }
  return out.sort((a, b) => a.doc.key.localeCompare(b.doc.key));
}

/** One module at a version (default: the one offered, else the latest), or null. */
export async function findModule(tx: Tx, programId: string, key: string, version?: number): Promise<LibraryModule | null> {
  const built = builtInModules().get(key);
  if (built) return version === undefined || version === built.version ? { doc: built, origin: 'built-in', status: 'published' } : null;
  const rows = await tx
    .select()
    .from(skillModules)
    .where(and(eq(skillModules.programId, programId), eq(skillModules.key, key), ...(version === undefined ? [] : [eq(skillModules.version, version)])))
    .orderBy(desc(skillModules.version));
  const row = version === undefined ? (rows.find((r) => r.status === 'published') ?? rows[0]) : rows[0];
  return row ? { doc: row.content as SkillsModule, origin: 'programme', status: row.status as Status } : null;
}

const publishedBy = alias(users, 'published_by_user');

export async function getModule(deps: Deps, key: string, version?: number) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const m = await findModule(tx, programId, key, version);
  if (!m) throw notFound('Module');
  const versions =
    m.origin === 'built-in'
      ? []
      : await tx
          .select({ r: skillModules, createdByName: users.displayName, publishedByName: publishedBy.displayName })
          .from(skillModules)
          .leftJoin(users, eq(users.id, skillModules.createdBy))
          .leftJoin(publishedBy, eq(publishedBy.id, skillModules.publishedBy))
          .where(and(eq(skillModules.programId, programId), eq(skillModules.key, key)))
          .orderBy(desc(skillModules.version));
  const lint = lintModule(m.doc, { builtIn: m.origin === 'built-in' });
  return {
    summary: summaryOf(programId, m),
    content: m.doc,
    basedOn: versions.find((v) => v.r.version === m.doc.version)?.r.basedOn ?? null,
    versions: versions.map((v) => ({
      version: v.r.version,
      status: v.r.status as Status,
      createdAt: v.r.createdAt.toISOString(),
      createdByName: v.createdByName,
      publishedAt: v.r.publishedAt?.toISOString() ?? null,
      publishedByName: v.publishedByName,
    })),
    problems: lint.problems,
    warnings: lint.warnings,
  };
}

/** The document as sent, checked against the schema: 400 naming each bad field under body.content. */
function parseContent(content: unknown): SkillsModule {
  const parsed = SkillsModule.safeParse(content);
  if (!parsed.success)
    throw new AppError({
      code: 'invalid_input',
      status: 400,
      message: 'The module is not valid.',
      problems: parsed.error.issues.map((i) => ({ field: ['body', 'content', ...i.path.map(String)].join('.'), message: i.message })),
    });
  return parsed.data;
}

/**
 * Saves a draft: a new module (version 1), or the next version of one the programme has
 * (its draft changed in place, or a new draft after the published version). Built-in keys are
 * read-only: start from one with `basedOn` and a key of the programme's own.
 */
export async function saveDraft(deps: Deps, input: { key?: string; content: unknown; basedOn?: string | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const doc = parseContent(input.content);
  if (input.key !== undefined && doc.key !== input.key) throw conflict('key_mismatch', 'The module’s key cannot change; copy it to a new key instead.', 'body.content.key');
  if (builtInModules().has(doc.key)) throw conflict('built_in_module', 'Built-in modules are read-only; give your copy a key of its own.', 'body.content.key');
  if (input.basedOn !== undefined && !builtInModules().has(input.basedOn)) throw notFound('Built-in module');

  const rows = await tx
    .select({ version: skillModules.version, status: skillModules.status, basedOn: skillModules.basedOn })
    .from(skillModules)
    .where(and(eq(skillModules.programId, programId), eq(skillModules.key, doc.key)))
    .orderBy(desc(skillModules.version))
    .for('update');
  const latest = rows[0];
  if (input.key === undefined && latest) throw conflict('module_exists', 'A module with this key exists; open it to make a new version.', 'body.content.key');
  if (input.key !== undefined && !latest) throw notFound('Module');
  const audit = auditContext(ctx);
  const now = ctx.now;
  if (latest?.status === 'draft') {
    const content = { ...doc, version: latest.version };
    await tx
      .update(skillModules)
      .set({ content, updatedAt: now })
      .where(and(eq(skillModules.programId, programId), eq(skillModules.key, doc.key), eq(skillModules.version, latest.version)));
    await writeAudit(tx, audit, { action: 'update', entity: 'skills-module', entityId: null, detail: { key: doc.key, version: latest.version } });
  } else {
    const version = (latest?.version ?? 0) + 1;
    await tx.insert(skillModules).values({
      programId,
      key: doc.key,
      version,
      status: 'draft',
      content: { ...doc, version },
      basedOn: input.basedOn ?? latest?.basedOn ?? null,
      createdBy: ctx.principal!.userId,
      createdAt: now,
      updatedAt: now,
    });
    await writeAudit(tx, audit, { action: 'create', entity: 'skills-module', entityId: null, detail: { key: doc.key, version } });
  }
  return getModule(deps, doc.key, (latest?.status === 'draft' ? latest.version : (latest?.version ?? 0) + 1) as number);
}

/** Publishes the draft once the lint finds no problem; the version before it is retired from offer (its progress stays). */
export async function publishModule(deps: Deps, key: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [draft] = await tx
    .select()
    .from(skillModules)
    .where(and(eq(skillModules.programId, programId), eq(skillModules.key, key), eq(skillModules.status, 'draft')))
    .for('update');
  if (!draft) throw notFound('Draft');
  const lint = lintModule(draft.content, { builtIn: false });
  if (lint.problems.length > 0)
    throw new AppError({ code: 'module_not_ready', status: 422, message: 'Fix the module’s problems before publishing it.', problems: lint.problems.map((p) => ({ field: 'content', message: p })) });
  await tx
    .update(skillModules)
    .set({ status: 'retired', updatedAt: ctx.now })
    .where(and(eq(skillModules.programId, programId), eq(skillModules.key, key), eq(skillModules.status, 'published')));
  await tx
    .update(skillModules)
    .set({ status: 'published', publishedBy: ctx.principal!.userId, publishedAt: ctx.now, updatedAt: ctx.now })
    .where(and(eq(skillModules.programId, programId), eq(skillModules.key, key), eq(skillModules.version, draft.version)));
  await writeAudit(tx, auditContext(ctx), { action: 'approve', entity: 'skills-module', entityId: null, detail: { key, version: draft.version } });
  return getModule(deps, key, draft.version);
}

/** Takes a programme's module out of the library: no longer offered or assignable; open assignments stay until cancelled. */
export async function retireModule(deps: Deps, key: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  if (builtInModules().has(key)) throw conflict('built_in_module', 'Built-in modules are read-only.');
  const done = await tx
    .update(skillModules)
    .set({ status: 'retired', updatedAt: ctx.now })
    .where(and(eq(skillModules.programId, programId), eq(skillModules.key, key), eq(skillModules.status, 'published')))
    .returning({ version: skillModules.version });
  if (done.length === 0) throw notFound('Published module');
  await writeAudit(tx, auditContext(ctx), { action: 'revoke', entity: 'skills-module', entityId: null, detail: { key, version: done[0]!.version } });
  return getModule(deps, key, done[0]!.version);
}

export async function listLibrary(deps: Deps, opts: { offered: boolean }) {
  const programId = programOf(deps.ctx);
  return { items: (await library(deps.tx, programId, opts)).map((m) => summaryOf(programId, m)) };
}
