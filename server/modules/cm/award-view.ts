// What an award may tell the patient. A draw's prize is decided the moment the draw is
// earned (CM-SPEC §3) and posted to the ledger then, but the patient learns it on the draw
// screen. So the award's `earnedCents` and `balanceCents` include prize values the patient
// has not seen; these fields keep vouchers and draws apart: the voucher money, the number
// of draws, the value of this award's prizes already revealed, and the balance without
// prizes not yet revealed. A fresh recording knows the patient's prizes from the ledger it
// read under the lock (withPrizes); an award read back (a retry) asks the database (splitAward).
import { sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.ts';
import { rowsOf } from '../../platform/audit.ts';
import { programOf, type Ctx } from '../../platform/http/context.ts';
import { cmDrawReveals, cmEnrolments, cmLedgerEntries } from './cm.tables.ts';
import { NOT_VOIDED } from './settle.ts';

type Deps = { tx: Tx; ctx: Ctx };
type AwardBase = { enrolmentId: string; balanceCents: number; entries: ReadonlyArray<{ id: string; kind: string; cents: number; n: number | null }> };
export type AwardSplit = { voucherCents: number; prizeDrawsEarned: number; prizeCentsRevealed: number; balanceRevealedCents: number };

/** Voucher cents and draws of an award's entries (pure). */
export function voucherAndDraws(entries: AwardBase['entries']): { voucherCents: number; prizeDrawsEarned: number } {
  let voucherCents = 0;
  let prizeDrawsEarned = 0;
  for (const e of entries) {
    if (e.kind === 'earn' || e.kind === 'bonus' || e.kind === 'adjustment') voucherCents += e.cents;
    else if (e.kind === 'debit' && e.n === null)
      voucherCents -= e.cents; // a draw taken back is not voucher money; forgiven is a memo, not money
    else if (e.kind === 'prize') prizeDrawsEarned += 1;
  }
  return { voucherCents, prizeDrawsEarned };
}

/** What is known about the patient's prizes when an award is made: the money of those not yet revealed, and of this award's that are. */
export type PrizesSeen = { unrevealedCents: number; revealedHereCents: number };

/** The award with vouchers and prizes apart. */
export function withPrizes<A extends AwardBase>(award: A, prizes: PrizesSeen): A & AwardSplit {
  return { ...award, ...voucherAndDraws(award.entries), prizeCentsRevealed: prizes.revealedHereCents, balanceRevealedCents: award.balanceCents - prizes.unrevealedCents };
}

/** The award with vouchers and prizes apart, the prizes read (one query: the patient's prizes not yet revealed, and which of this award's are). */
export async function splitAward<A extends AwardBase>(deps: Deps, award: A): Promise<A & AwardSplit> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const prizeIds = award.entries.filter((e) => e.kind === 'prize').map((e) => e.id);
  const inAward = prizeIds.length
    ? sql`l.id in (${sql.join(
        prizeIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`
    : sql`false`;
  const [r] = rowsOf<{ unrevealed: string | number | null; revealed_here: string | number | null }>(
    await tx.execute(sql`
    select coalesce(sum(l.cents) filter (where d.n is null), 0) as unrevealed,
           coalesce(sum(l.cents) filter (where d.n is not null and ${inAward}), 0) as revealed_here
    from ${cmLedgerEntries} l
    left join ${cmDrawReveals} d on d.program_id = l.program_id and d.enrolment_id = l.enrolment_id and d.n = l.n
    where l.program_id = ${programId} and l.kind = 'prize' and l.cents > 0
      and l.patient_id = (select e.patient_id from ${cmEnrolments} e where e.program_id = ${programId} and e.id = ${award.enrolmentId})
      and ${NOT_VOIDED}`),
  );
  return withPrizes(award, { unrevealedCents: Number(r?.unrevealed ?? 0), revealedHereCents: Number(r?.revealed_here ?? 0) });
}
