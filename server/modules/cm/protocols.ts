// Protocol library: presets and the programme's own protocols, one row per version,
// never edited (a change is a new version). The designer's preview shows the value of
// each consecutive success, the expected value of a draw, maximum and expected cost.
import { and, desc, eq, exists, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { parseProtocol, type Protocol } from '../../../core/cm/protocol.ts';
import { getPreset, presetSchedule, presetSummaries } from '../../../core/cm/presets.ts';
import { analyseCost, type Schedule } from '../../../core/cm/cost.ts';
import { protocolCautions } from '../../../core/cm/cautions.ts';
import { resolveEscalation, newRun, succeed, baseOf, bonusOf, privilegeIndexOf } from '../../../core/cm/escalation.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { cmEnrolments, cmProtocols } from './cm.tables.ts';
import { decodeCursor, pageOf, type Page } from './page.ts';

type Deps = { tx: Tx; ctx: Ctx };
type Row = typeof cmProtocols.$inferSelect;

const toDto = (r: Row, inUse: boolean) => ({
  id: r.id,
  key: r.key,
  version: r.version,
  name: r.name,
  preset: r.preset,
  document: r.document,
  inUse,
  createdAt: r.createdAt.toISOString(),
});

export function invalidProtocol(problems: Array<{ path: string; message: string }>, prefix = 'body.document'): AppError {
  return new AppError({
    code: 'invalid_protocol',
    status: 400,
    message: `The protocol is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.map((p) => `${p.path || '(document)'} ${p.message}`).join('; ')}`,
    problems: problems.map((p) => ({ field: p.path ? `${prefix}.${p.path}` : prefix, message: p.message })),
  });
}

export function listPresets() {
  return presetSummaries().map((p) => ({
    name: p.name,
    title: p.title,
    citation: p.citation,
    targets: p.targets,
    weeks: p.weeks,
    maxCents: p.maxCents,
    allSuccessExpectedCents: p.allSuccessExpectedCents,
    maxDraws: p.maxDraws,
    drawEvCents: p.drawEvCents,
  }));
}

/** What the designer shows: the schedule of values by consecutive success, draw EV, cost. */
export function previewProtocol(document: unknown, schedule?: Record<string, number>) {
  const parsed = parseProtocol(document);
  if (!parsed.ok) throw invalidProtocol(parsed.problems);
  return preview(parsed.protocol, schedule);
}

function preview(p: Protocol, schedule?: Schedule) {
  const cost = analyseCost(p, schedule ? { schedule } : {});
  const tracks = p.tracks.map((t) => {
    const first = t.phases[0]!;
    const esc = resolveEscalation(first.escalation);
    const run = newRun();
    const bySuccess = [];
    for (let i = 0; i < 24; i++) {
      const level = succeed(run, esc.recoverAfter);
      const priv = t.payout === 'privilege' ? ((t.levels ?? [])[privilegeIndexOf(esc, level, (t.levels ?? []).length)] ?? null) : null;
      bySuccess.push({ s: run.s, amount: t.payout === 'privilege' ? 0 : baseOf(esc, level), bonus: t.payout === 'privilege' ? 0 : bonusOf(esc, run.s), privilege: priv });
    }
    return { id: t.id, payout: t.payout, bySuccess };
  });
  return {
    tracks,
    drawEvCents: p.bowl ? cost.drawEvCents : null,
    maxCents: cost.maxCents,
    allSuccessExpectedCents: cost.allSuccessExpectedCents,
    maxDraws: cost.maxDraws,
    weeks: cost.weeks,
    cautions: protocolCautions(p).map((c) => ({ ...c })),
  };
}

export async function createProtocol(deps: Deps, input: { document?: unknown; preset?: string | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  let document: unknown = input.document;
  if (input.preset !== undefined) {
    const p = getPreset(input.preset);
    if (!p)
      throw new AppError({
        code: 'invalid_input',
        status: 400,
        message: `Unknown preset "${input.preset}".`,
        problems: [{ field: 'body.preset', message: 'is not a known preset (GET /cm/presets)' }],
      });
    document = JSON.parse(JSON.stringify(p));
  }
  if (document === undefined)
    throw new AppError({
      code: 'invalid_input',
      status: 400,
      message: 'Give a protocol document or a preset name.',
      problems: [{ field: 'body.document', message: 'is required (or give body.preset)' }],
    });
  const parsed = parseProtocol(document);
  if (!parsed.ok) throw invalidProtocol(parsed.problems);
  const p = parsed.protocol;
  const version = String(p.version);
  const [exists] = await tx
    .select({ id: cmProtocols.id })
    .from(cmProtocols)
    .where(and(eq(cmProtocols.programId, programId), eq(cmProtocols.key, p.id), eq(cmProtocols.version, version)));
  if (exists) throw conflict('version_exists', `Protocol "${p.id}" version ${version} already exists and is never edited: give the document a new version.`, 'body.document.version');
  const [row] = await tx
    .insert(cmProtocols)
    .values({
      programId,
      id: randomUUID(),
      key: p.id,
      version,
      name: p.name,
      document: p,
      preset: input.preset ?? null,
      createdBy: ctx.principal?.userId ?? null,
      createdAt: ctx.now,
    })
    .returning();
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'cm-protocol', entityId: row!.id, detail: { key: p.id, version, preset: input.preset ?? null } });
  return { ...toDto(row!, false), preview: preview(p, input.preset ? presetSchedule(input.preset) : undefined) };
}

/** The library by key, newest version first (keyset on key, createdAt desc, id). */
export async function listProtocols(deps: Deps, page: Page) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const after = decodeCursor(page.cursor, ['text', 'time', 'uuid']);
  // Built with drizzle's own subquery so both sides are qualified by their table: inside a
  // raw sql fragment of a single-table select drizzle renders a column unqualified, and
  // "program_id" in the subquery would name the enrolment's own column.
  const inUse = exists(
    tx
      .select({ one: sql`1` })
      .from(cmEnrolments)
      .where(and(eq(cmEnrolments.programId, cmProtocols.programId), eq(cmEnrolments.protocolId, cmProtocols.id))),
  );
  const rows = await tx
    .select({ row: cmProtocols, inUse: sql<boolean>`${inUse}` })
    .from(cmProtocols)
    .where(
      and(
        eq(cmProtocols.programId, programId),
        after
          ? sql`(${cmProtocols.key} > ${after[0]} or (${cmProtocols.key} = ${after[0]} and (${cmProtocols.createdAt} < ${after[1]}::timestamptz
        or (${cmProtocols.createdAt} = ${after[1]}::timestamptz and ${cmProtocols.id} > ${after[2]}::uuid))))`
          : undefined,
      ),
    )
    .orderBy(cmProtocols.key, desc(cmProtocols.createdAt), cmProtocols.id)
    .limit(page.limit + 1);
  return pageOf(
    rows,
    page.limit,
    (r) => [r.row.key, r.row.createdAt.toISOString(), r.row.id],
    (r) => toDto(r.row, !!r.inUse),
  );
}

export async function getProtocol(deps: Deps, id: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [row] = await tx
    .select()
    .from(cmProtocols)
    .where(and(eq(cmProtocols.programId, programId), eq(cmProtocols.id, id)));
  if (!row) throw notFound('Protocol');
  const [use] = await tx
    .select({ id: cmEnrolments.id })
    .from(cmEnrolments)
    .where(and(eq(cmEnrolments.programId, programId), eq(cmEnrolments.protocolId, id)))
    .limit(1);
  const parsed = parseProtocol(row.document);
  return { ...toDto(row, !!use), preview: parsed.ok ? preview(parsed.protocol, row.preset ? presetSchedule(row.preset) : undefined) : null };
}
