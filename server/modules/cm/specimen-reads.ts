// The programme's queue of specimens waiting for a carry-over decision, with whose they
// are (reading names is audited in the same transaction: ids and counts only). One
// specimen with its corrections and adjudications is read through the screens module.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { patients } from '../patients/patients.tables.ts';
import { screens } from '../screens/screens.tables.ts';
import { specimenDto } from '../screens/screens.ts';
import { cmEnrolments } from './cm.tables.ts';
import type { EnrolmentState } from './settle.ts';
import { decodeCursor, pageOf, type Page } from './page.ts';

type Deps = { tx: Tx; ctx: Ctx };

/** Specimens waiting for a carry-over decision, across the programme, oldest first (keyset on collection time, id), with the patient's name and MRN. */
export async function adjudicationQueue(deps: Deps, page: Page) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const enrs = await tx.select({ id: cmEnrolments.id, state: cmEnrolments.state }).from(cmEnrolments).where(eq(cmEnrolments.programId, programId));
  const enrolmentOf = new Map<string, string>();
  for (const e of enrs) for (const id of (e.state as EnrolmentState | null)?.pending ?? []) enrolmentOf.set(id, e.id);
  const ids = [...enrolmentOf.keys()];
  const after = decodeCursor(page.cursor, ['time', 'uuid']);
  const rows = ids.length
    ? await tx
        .select({ s: screens, given: patients.legalGivenName, preferred: patients.preferredName, family: patients.legalFamilyName, mrn: patients.mrn })
        .from(screens)
        .innerJoin(patients, and(eq(patients.programId, screens.programId), eq(patients.id, screens.patientId)))
        .where(and(eq(screens.programId, programId), inArray(screens.id, ids), after ? sql`(${screens.collectedAt}, ${screens.id}) > (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined))
        .orderBy(asc(screens.collectedAt), asc(screens.id))
        .limit(page.limit + 1)
    : [];
  const out = pageOf(
    rows,
    page.limit,
    (r) => [r.s.collectedAt.toISOString(), r.s.id],
    (r) => ({ ...specimenDto(r.s, enrolmentOf.get(r.s.id) ?? null), displayName: `${r.preferred ?? r.given} ${r.family}`, mrn: r.mrn }),
  );
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'cm-adjudication-queue', detail: { count: out.items.length } });
  return out;
}
