// The patient's rewards in the app (issue 12): their draws (revealed by the patient, with
// the commitment to check them against), what the catalogue offers them, and their
// requests. The CM module's own reads and writes do the work, with the patient as the
// actor (audited as 'patient'); this file only narrows what a patient sees.
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Caps } from '../../../core/cm/caps.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { Ctx, PatientPrincipal } from '../../platform/http/context.ts';
import { conflict } from '../../platform/errors.ts';
import { cmCatalogueItems, cmEnrolments } from '../cm/cm.tables.ts';
import { listDraws, patientLedger, revealDraws } from '../cm/ledger.ts';
import { closeRequest, listPatientRequests, requestRedemption } from '../cm/redemption-requests.ts';

type Deps = { tx: Tx; ctx: Ctx };

async function activeEnrolment(tx: Tx, me: PatientPrincipal) {
  const [enr] = await tx
    .select({ id: cmEnrolments.id, caps: cmEnrolments.caps })
    .from(cmEnrolments)
    .where(and(eq(cmEnrolments.programId, me.programId), eq(cmEnrolments.patientId, me.patientId), eq(cmEnrolments.status, 'active')));
  return enr ?? null;
}

/** Draws, the catalogue and requests; `cm: null` when the patient is not in CM now. */
export async function patientRewards(deps: Deps, me: PatientPrincipal) {
  const { tx } = deps;
  const enr = await activeEnrolment(tx, me);
  if (!enr) return { cm: null };
  const draws = await listDraws(deps, enr.id);
  const ledger = await patientLedger(deps, me.patientId);
  const noCash = !!(enr.caps as Caps | null)?.noCash;
  const items = await tx
    .select()
    .from(cmCatalogueItems)
    .where(and(eq(cmCatalogueItems.programId, me.programId), eq(cmCatalogueItems.active, true), isNull(cmCatalogueItems.prizeTier)))
    .orderBy(asc(cmCatalogueItems.valueCents), asc(cmCatalogueItems.name));
  const requests = await listPatientRequests(deps, me.patientId);
  return {
    cm: {
      balanceCents: ledger.balanceCents,
      commitment: draws.commitment,
      waiting: draws.undrawn,
      draws: draws.items.filter((d) => d.revealed).map((d) => ({ n: d.n, label: d.label, valueCents: d.valueCents, commitment: d.commitment })),
      catalogue: items
        .filter((i) => !(noCash && i.cashEquivalent))
        .map((i) => ({ id: i.id, name: i.name, nameEs: i.nameEs, kind: i.kind as 'item' | 'gift-card', valueCents: i.valueCents, inStock: i.stock })),
      requests: requests.items.map(({ patientId: _p, redemptionId: _r, ...r }) => r),
    },
  };
}

/** The patient shows their next draw (or several): decided when earned, never re-rolled. */
export async function revealMyDraws(deps: Deps, me: PatientPrincipal, count: number) {
  const enr = await activeEnrolment(deps.tx, me);
  if (!enr) throw conflict('not_enrolled', 'Rewards start when you join the rewards programme at your clinic.');
  const shown = await revealDraws(deps, enr.id, count);
  return { draws: shown.items.map((d) => ({ n: d.n, label: d.label, valueCents: d.valueCents, commitment: d.commitment })), waiting: shown.undrawn, commitment: shown.commitment };
}

export async function requestFromCatalogue(deps: Deps, me: PatientPrincipal, input: { itemId: string; quantity: number; idempotencyKey: string }) {
  const { patientId: _p, redemptionId: _r, ...r } = await requestRedemption(deps, me.patientId, input);
  return r;
}

export async function withdrawMyRequest(deps: Deps, me: PatientPrincipal, id: string) {
  const { patientId: _p, redemptionId: _r, ...r } = await closeRequest(deps, id, { by: 'patient', patientId: me.patientId });
  return r;
}
