// Voiding a ledger entry posted in error. Ledger rows are append-only: a void is a new
// entry (kind 'void', voids_key = the cancelled entry's key, the reason kept on it) that
// takes the entry out of the balance from now on. The engine keeps counting the voided
// entry as settled for its opportunity, so no later replay posts it again (core/cm/ledger.ts,
// docs/decisions/013-ledger-voids.md). One void per entry: its entry key is
// `void/<key>`, unique per enrolment, so two concurrent voids cannot both land.
import { and, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { cmLedgerEntries, cmRedemptionOutcomes, cmRedemptions } from './cm.tables.ts';
import { balanceEffect, ledgerEntryDto } from './ledger.ts';
import { lockPatientEnrolments, patientBalance } from './settle.ts';

type Deps = { tx: Tx; ctx: Ctx };

export async function voidLedgerEntry(deps: Deps, id: string, input: { reason: string }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [found] = await tx
    .select({ patientId: cmLedgerEntries.patientId })
    .from(cmLedgerEntries)
    .where(and(eq(cmLedgerEntries.programId, programId), eq(cmLedgerEntries.id, id)));
  if (!found) throw notFound('Ledger entry');
  // the patient's enrolment locks serialise this with recordings, corrections and redemptions (the balance cannot move meanwhile)
  await lockPatientEnrolments(tx, programId, found.patientId);
  const [target] = await tx
    .select()
    .from(cmLedgerEntries)
    .where(and(eq(cmLedgerEntries.programId, programId), eq(cmLedgerEntries.id, id)));
  if (!target) throw notFound('Ledger entry');

  if (target.kind === 'void') {
    throw conflict('cannot_void_void', 'This entry is itself a void, and a void cannot be voided.', 'params.id');
  }
  if (target.kind === 'redemption') {
    throw conflict(
      'redemption_not_voidable',
      'A redemption cannot be voided: the patient received the item and the stock moved with it, so a void would give the money back while the item stays out. If the item comes back, record it in the catalogue as a stock movement; a returned item is not credited back to the balance in this version.',
      'params.id',
    );
  }
  if (target.kind === 'forgiven') {
    throw conflict(
      'nothing_to_void',
      'A forgiven entry moves no money (it records that less is owed, nothing was taken back), so there is nothing to void. To change what is owed, correct the specimen.',
      'params.id',
    );
  }
  const [prior] = await tx
    .select({ id: cmLedgerEntries.id })
    .from(cmLedgerEntries)
    .where(and(eq(cmLedgerEntries.programId, programId), eq(cmLedgerEntries.enrolmentId, target.enrolmentId), eq(cmLedgerEntries.kind, 'void'), eq(cmLedgerEntries.voidsKey, target.entryKey)));
  if (prior) throw conflict('already_voided', 'This entry is already void.', 'params.id');
  if (target.kind === 'prize') {
    // a prize redeemed (or waiting for approval to be redeemed) is spent: voiding it would leave the item unpaid for
    const [redemption] = await tx
      .select({ id: cmRedemptions.id, outcome: cmRedemptionOutcomes.outcome })
      .from(cmRedemptions)
      .leftJoin(cmRedemptionOutcomes, and(eq(cmRedemptionOutcomes.programId, cmRedemptions.programId), eq(cmRedemptionOutcomes.redemptionId, cmRedemptions.id)))
      .where(and(eq(cmRedemptions.programId, programId), eq(cmRedemptions.prizeEntryId, target.id)));
    if (redemption && redemption.outcome !== 'declined') {
      throw conflict(
        'prize_fulfilled',
        redemption.outcome === 'completed'
          ? 'This prize was already fulfilled (the patient has the item), so it cannot be voided.'
          : 'A redemption of this prize is waiting for approval: decline it first, then void the prize.',
        'params.id',
      );
    }
  }
  const balance = await patientBalance(tx, programId, target.patientId);
  const after = balance - balanceEffect(target);
  if (after < 0) {
    throw conflict(
      'negative_balance',
      `Voiding this entry would take the patient's balance below zero (${balance} cents now, the entry is ${target.cents} cents): the money was already spent. A balance never goes below zero.`,
      'params.id',
    );
  }

  const [row] = await tx
    .insert(cmLedgerEntries)
    .values({
      programId,
      id: randomUUID(),
      enrolmentId: target.enrolmentId,
      patientId: target.patientId,
      entryKey: `void/${target.entryKey}`,
      kind: 'void',
      eventId: target.eventId,
      track: target.track,
      month: target.month,
      cents: target.cents,
      n: target.n,
      tier: target.tier,
      voidsKey: target.entryKey,
      fundingSourceId: target.fundingSourceId,
      reason: input.reason,
      createdBy: ctx.principal?.userId ?? null,
      createdAt: ctx.now,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw conflict('already_voided', 'This entry is already void.', 'params.id');
  // ids, kind and amounts only: the reason is free text and stays on the ledger entry
  await writeAudit(tx, auditContext(ctx), {
    action: 'void',
    entity: 'cm-ledger',
    entityId: row.id,
    patientId: target.patientId,
    detail: { voidedEntryId: target.id, enrolmentId: target.enrolmentId, kind: target.kind, cents: target.cents, reasonLength: input.reason.length },
  });
  return {
    entry: { ...ledgerEntryDto(row, { voids: target }), balanceCents: after },
    voided: ledgerEntryDto(target, { voidedBy: row }),
    balanceCents: after,
  };
}
