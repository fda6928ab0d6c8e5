// Reading specimens: one specimen as recorded with its corrections, adjudications and the
// result now in effect (what a correction form starts from), and the programme's queue of
// specimens waiting for a carry-over decision, with whose they are. Every read is audited
// in the same transaction (ids and counts only).
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { notFound } from '../../platform/errors.ts';
import { patients } from '../patients/patients.tables.ts';
import { cmEnrolments, cmEvents } from './cm.tables.ts';
import type { EnrolmentState, EventRow } from './settle.ts';
import { specimenDto } from './specimens.ts';
import { decodeCursor, pageOf, type Page } from './page.ts';

type Deps = { tx: Tx; ctx: Ctx };

type StoredResult = { analyte: string; loinc?: string | null; result: string; prescribed?: boolean; valueNgMl?: number | null; cutoffNgMl?: number | null };

const resultDto = (r: StoredResult) => ({
  analyte: r.analyte, loinc: r.loinc ?? null, result: r.result, prescribed: r.prescribed ?? false,
  valueNgMl: r.valueNgMl ?? null, cutoffNgMl: r.cutoffNgMl ?? null,
});

function correctionDto(e: EventRow) {
  const d = (e.detail ?? {}) as { method?: string; laboratory?: string | null; reason?: string; valid?: boolean | null; results?: StoredResult[] };
  return {
    id: e.id, at: e.at.toISOString(), method: d.method ?? null, laboratory: d.laboratory ?? null, reason: d.reason ?? null,
    valid: d.valid ?? null, results: (d.results ?? []).map(resultDto), externalId: e.externalId, source: e.source,
    recordedBy: e.recordedBy, recordedAt: e.recordedAt.toISOString(),
  };
}

/** The specimen as recorded, its corrections (oldest first) and adjudications, and the result in effect (CM-SPEC §5). */
export async function getSpecimen(deps: Deps, id: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [spec] = await tx.select().from(cmEvents).where(and(eq(cmEvents.programId, programId), eq(cmEvents.id, id), eq(cmEvents.kind, 'specimen')));
  if (!spec) throw notFound('Specimen');
  // corrections and adjudications of it, in the engine's order (time, then position)
  const later = await tx.select().from(cmEvents)
    .where(and(eq(cmEvents.programId, programId), eq(cmEvents.refId, id), inArray(cmEvents.kind, ['correction', 'adjudication'])))
    .orderBy(asc(cmEvents.at), asc(cmEvents.position));
  const [enr] = await tx.select({ state: cmEnrolments.state }).from(cmEnrolments).where(and(eq(cmEnrolments.programId, programId), eq(cmEnrolments.id, spec.enrolmentId)));
  const d = (spec.detail ?? {}) as {
    valid?: boolean; method?: string; observed?: boolean; observerId?: string | null; collectorId?: string | null; temperatureC?: number | null;
    validity?: Record<string, number | boolean> | null; cup?: { brand: string; lot: string; expiry: string; cutoffs?: Record<string, number> } | null; results?: StoredResult[];
  };
  const recorded = (d.results ?? []).map(resultDto);
  const corrections = later.filter((e) => e.kind === 'correction').map(correctionDto);
  const adjudications = later.filter((e) => e.kind === 'adjudication').map((e) => {
    const engine = e.engine as { decision?: string };
    const detail = (e.detail ?? {}) as { reason?: string };
    return { id: e.id, decision: engine.decision ?? '', reason: detail.reason ?? null, recordedBy: e.recordedBy, recordedAt: e.recordedAt.toISOString() };
  });
  // analyte by analyte, the latest correction wins; validity is replaced when a correction sets it
  const effective = new Map(recorded.map((r) => [r.analyte, { ...r, correctedBy: null as string | null }]));
  let valid = d.valid ?? (spec.engine as { valid?: boolean }).valid ?? true;
  for (const c of corrections) {
    for (const r of c.results) effective.set(r.analyte, { ...r, correctedBy: c.id });
    if (c.valid !== null) valid = c.valid;
  }
  const pending = ((enr?.state as EnrolmentState | null)?.pending ?? []).includes(id);
  await writeAudit(tx, auditContext(ctx), {
    action: 'read', entity: 'cm-specimen', entityId: id, patientId: spec.patientId,
    detail: { corrections: corrections.length, adjudications: adjudications.length },
  });
  return {
    ...specimenDto(spec),
    method: d.method ?? null, observed: d.observed ?? null, observerId: d.observerId ?? null, collectorId: d.collectorId ?? null,
    temperatureC: d.temperatureC ?? null, validity: d.validity ?? null, cup: d.cup ?? null,
    recordedResults: recorded, corrections, adjudications,
    effective: { valid, results: [...effective.values()] },
    pendingAdjudication: pending,
  };
}

/** Specimens waiting for a carry-over decision, across the programme, oldest first (keyset on at, id), with the patient's name and MRN. */
export async function adjudicationQueue(deps: Deps, page: Page) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const enrs = await tx.select({ id: cmEnrolments.id, patientId: cmEnrolments.patientId, state: cmEnrolments.state }).from(cmEnrolments).where(eq(cmEnrolments.programId, programId));
  const ids = enrs.flatMap((e) => ((e.state as EnrolmentState | null)?.pending ?? []));
  const after = decodeCursor(page.cursor, ['time', 'uuid']);
  const rows = ids.length ? await tx.select({ e: cmEvents, given: patients.legalGivenName, preferred: patients.preferredName, family: patients.legalFamilyName, mrn: patients.mrn })
    .from(cmEvents).innerJoin(patients, and(eq(patients.programId, cmEvents.programId), eq(patients.id, cmEvents.patientId)))
    .where(and(eq(cmEvents.programId, programId), inArray(cmEvents.id, ids),
      after ? sql`(${cmEvents.at}, ${cmEvents.id}) > (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined))
    .orderBy(asc(cmEvents.at), asc(cmEvents.id)).limit(page.limit + 1) : [];
  const out = pageOf(rows, page.limit, (r) => [r.e.at.toISOString(), r.e.id], (r) => ({ ...specimenDto(r.e), displayName: `${r.preferred ?? r.given} ${r.family}`, mrn: r.mrn }));
  // the queue shows names and MRNs: one audit row for the read (ids and counts only)
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'cm-adjudication-queue', detail: { count: out.items.length } });
  return out;
}
