// The incentive ledger (CM-SPEC §5–§6). Entries are integer cents, never edited;
// the kind gives the effect (ENTRY_EFFECT: the one home of that rule, from which the
// server's SQL sums are generated). settlement.ts decides what to post after each
// recording; allocate() is the ledger of a from-scratch replay (§7).
import type { CapName, Caps } from './caps.ts';
import type { ReplayDetail } from './replay.ts';

export type EntryKind = 'earn' | 'bonus' | 'prize' | 'adjustment' | 'forgiven' | 'debit' | 'redemption' | 'void';

export interface LedgerEntry {
  /** Idempotency identity: "<event>/<track>/<kind>" (+ "/<n>" for a prize, "/<k>" for the k-th adjustment, forgiven or debit, "/n<n>" when it concerns draw n). */
  id: string;
  kind: EntryKind;
  /** The opportunity's event id (null for redemptions and voids that concern none). */
  event: string | null;
  /** The track id (null when no track). */
  track: string | null;
  /** Calendar month "YYYY-MM" the amount counts in for caps (the opportunity's month). */
  month: string | null;
  /** Amount in integer cents, ≥ 0; the kind gives its effect (see balanceCents / owedCents). */
  cents: number;
  /** Draw number (prize entries, and forgiven/debit entries that take a prize back); else null. */
  n: number | null;
  /** Prize tier (prize entries); else null. */
  tier: string | null;
  /** The cap that cut this entry (or, for a prize, that it would have passed), else null. */
  capped: CapName | null;
  /** void entries: the id of the entry they cancel. */
  voids?: string;
  /** forgiven memos on a draws track: the change in draws kept although no longer owed (signed); else null. */
  draws?: number | null;
}

/** Money paid to the same patient by other enrolments of the same funding source, for the per-month/year caps. */
export interface ExternalUsage {
  /** "YYYY" → cents */
  perYear?: Record<string, number>;
  /** "YYYY-MM" → cents */
  perMonth?: Record<string, number>;
}

/**
 * What each kind of entry does, the one home of this rule (SQL sums are generated from it):
 * - `balance`: +1 adds its cents to what the patient holds, −1 takes them away, 0 moves no money;
 * - `paid`: its effect on the money paid to the patient by the programme (caps count this):
 *   redemptions spend a balance but do not undo a payment;
 * - forgiven is a memo (what the patient keeps although it is no longer owed, in the track's
 *   unit, signed: a rise again shrinks it); a void cancels the entry it names.
 */
export const ENTRY_EFFECT: Readonly<Record<EntryKind, { balance: -1 | 0 | 1; paid: -1 | 0 | 1 }>> = {
  earn: { balance: 1, paid: 1 },
  bonus: { balance: 1, paid: 1 },
  prize: { balance: 1, paid: 1 },
  adjustment: { balance: 1, paid: 1 },
  debit: { balance: -1, paid: -1 },
  redemption: { balance: -1, paid: 0 },
  forgiven: { balance: 0, paid: 0 },
  void: { balance: 0, paid: 0 },
};

/** The kinds whose `effect` is +1 and −1 (for building sums over stored entries). */
export function kindsWith(effect: 'balance' | 'paid', sign: 1 | -1): EntryKind[] {
  return (Object.keys(ENTRY_EFFECT) as EntryKind[]).filter((k) => ENTRY_EFFECT[k][effect] === sign);
}

/** Ids of the entries a void cancels. */
export function voidedKeys(entries: readonly LedgerEntry[]): Set<string> {
  const voided = new Set<string>();
  for (const e of entries) if (e.kind === 'void' && e.voids !== undefined) voided.add(e.voids);
  return voided;
}

function activeEntries(entries: readonly LedgerEntry[]): LedgerEntry[] {
  const voided = voidedKeys(entries);
  return entries.filter((e) => e.kind !== 'void' && !voided.has(e.id));
}

/** What the patient holds: credits − debits − redemptions (voided entries excluded). */
export function balanceCents(entries: readonly LedgerEntry[]): number {
  let b = 0;
  for (const e of activeEntries(entries)) b += ENTRY_EFFECT[e.kind].balance * e.cents;
  return b;
}

/** Money the programme has paid the patient: credits − debits (voided entries excluded; forgiven money stays paid). */
export function paidCents(entries: readonly LedgerEntry[]): number {
  let b = 0;
  for (const e of activeEntries(entries)) b += ENTRY_EFFECT[e.kind].paid * e.cents;
  return b;
}

// ---------- caps ----------

/** Running usage of the caps (money paid). */
export class CapState {
  total = 0;
  readonly month = new Map<string, number>();
  readonly year = new Map<string, number>();
  readonly active: boolean;
  constructor(
    readonly caps: Caps | null | undefined,
    external: ExternalUsage | undefined,
  ) {
    this.active = caps != null && (caps.perItemCents != null || caps.totalCents != null || caps.perMonthCents != null || caps.perYearCents != null);
    for (const [k, v] of Object.entries(external?.perYear ?? {})) this.year.set(k, v);
    for (const [k, v] of Object.entries(external?.perMonth ?? {})) this.month.set(k, v);
  }
  /** A copy to allocate further rows with, leaving this one as it is. */
  copy(): CapState {
    const c = new CapState(this.caps, undefined);
    c.total = this.total;
    for (const [k, v] of this.month) c.month.set(k, v);
    for (const [k, v] of this.year) c.year.set(k, v);
    return c;
  }
  add(month: string | null, cents: number): void {
    if (cents === 0) return;
    this.total += cents;
    if (month !== null) {
      this.month.set(month, (this.month.get(month) ?? 0) + cents);
      const y = month.slice(0, month.length - 3);
      this.year.set(y, (this.year.get(y) ?? 0) + cents);
    }
  }
  /** Cuts `amount` to what every cap leaves (item room first, then total, month, year); names the binding cap. */
  cut(amount: number, month: string | null, itemRoom: number): { cents: number; cap: CapName | null } {
    let cap: CapName | null = null;
    if (!this.active || amount <= 0) return { cents: amount, cap };
    const c = this.caps!;
    if (c.perItemCents != null && amount > itemRoom) {
      amount = Math.max(itemRoom, 0);
      cap = 'perItem';
    }
    if (c.totalCents != null && amount > c.totalCents - this.total) {
      amount = Math.max(c.totalCents - this.total, 0);
      cap = 'total';
    }
    if (month !== null) {
      if (c.perMonthCents != null) {
        const room = c.perMonthCents - (this.month.get(month) ?? 0);
        if (amount > room) {
          amount = Math.max(room, 0);
          cap = 'perMonth';
        }
      }
      if (c.perYearCents != null) {
        const room = c.perYearCents - (this.year.get(month.slice(0, month.length - 3)) ?? 0);
        if (amount > room) {
          amount = Math.max(room, 0);
          cap = 'perYear';
        }
      }
    }
    return { cents: amount, cap };
  }
  /** All or nothing for a prize: the first cap (in order) it would pass, or null when it fits. */
  wouldPass(value: number, month: string | null): CapName | null {
    if (!this.active || value <= 0) return null;
    const c = this.caps!;
    if (c.perItemCents != null && value > c.perItemCents) return 'perItem';
    if (c.totalCents != null && value > c.totalCents - this.total) return 'total';
    if (month !== null) {
      if (c.perMonthCents != null && value > c.perMonthCents - (this.month.get(month) ?? 0)) return 'perMonth';
      if (c.perYearCents != null && value > c.perYearCents - (this.year.get(month.slice(0, month.length - 3)) ?? 0)) return 'perYear';
    }
    return null;
  }
}

export function entry(
  kind: EntryKind,
  id: string,
  event: string | null,
  track: string | null,
  month: string | null,
  cents: number,
  n: number | null,
  tier: string | null,
  capped: CapName | null,
): LedgerEntry {
  return { id, kind, event, track, month, cents, n, tier, capped };
}

/**
 * derive(empty, replay): applies the caps to every row in order, and writes the capped
 * amounts back into the rows (`amountCents`, `bonusCents`, `capped`). `caps` is the usage
 * so far (other enrolments' for a whole replay; a copy of an earlier allocation's to carry
 * on from it); each row's money is added to it. Given `entries`, it also posts there the
 * entries of an empty ledger (a settlement and a next opportunity need only the amounts).
 * Returns the prize money paid.
 */
export function allocate(detail: ReplayDetail, caps: CapState, entries?: LedgerEntry[]): number {
  const perItem = detail.protocol.caps?.perItemCents ?? Infinity;
  let prizeCents = 0;
  for (const row of detail.rows) {
    const o = row.out;
    if (row.payout === 'cents') {
      if (row.earn > 0) {
        const c = caps.cut(row.earn, row.month, perItem);
        caps.add(row.month, c.cents);
        o.amountCents = c.cents;
        if (c.cap !== null) o.capped = c.cap;
        entries?.push(entry('earn', `${o.event}/${o.track}/earn`, o.event, o.track, row.month, c.cents, null, null, c.cap));
      }
      if (row.bonus > 0) {
        const c = caps.cut(row.bonus, row.month, perItem - o.amountCents);
        caps.add(row.month, c.cents);
        o.bonusCents = c.cents;
        if (c.cap !== null && o.capped === null) o.capped = c.cap;
        entries?.push(entry('bonus', `${o.event}/${o.track}/bonus`, o.event, o.track, row.month, c.cents, null, null, c.cap));
      }
    } else if (row.payout === 'draws') {
      for (const d of row.drawList) {
        const cap = caps.wouldPass(d.valueCents, row.month);
        const paid = cap === null ? d.valueCents : 0;
        caps.add(row.month, paid);
        prizeCents += paid;
        if (cap !== null && o.capped === null) o.capped = cap;
        entries?.push(entry('prize', `${o.event}/${o.track}/prize/${d.n}`, o.event, o.track, row.month, paid, d.n, d.tier, cap));
      }
    }
  }
  return prizeCents;
}

/** The rows with their uncapped amounts restored (allocate() writes the capped ones back into them). */
export function cloneRows(detail: ReplayDetail): ReplayDetail {
  return { ...detail, rows: detail.rows.map((r) => ({ ...r, out: { ...r.out, amountCents: r.earn, bonusCents: r.bonus, capped: null } })) };
}
