// The incentive ledger (CM-SPEC §5–§6). Entries are integer cents, never edited;
// the kind gives the sign. Given what is already posted for an enrolment and a
// fresh replay, deriveLedger returns exactly the entries to post now.
import type { CapName, Caps } from './caps.ts';
import { drawSlip } from './draws.ts';
import type { DetailRow, ReplayDetail } from './replay.ts';

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
}

/** Money paid to the same patient by other enrolments of the same funding source, for the per-month/year caps. */
export interface ExternalUsage {
  /** "YYYY" → cents */
  perYear?: Record<string, number>;
  /** "YYYY-MM" → cents */
  perMonth?: Record<string, number>;
}

const CREDIT: ReadonlySet<EntryKind> = new Set(['earn', 'bonus', 'prize', 'adjustment']);

/** Ids of the entries a void cancels. */
function voidedKeys(entries: readonly LedgerEntry[]): Set<string> {
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
  for (const e of activeEntries(entries)) {
    if (CREDIT.has(e.kind)) b += e.cents;
    else if (e.kind === 'debit' || e.kind === 'redemption') b -= e.cents;
  }
  return b;
}

/** What the rules say is owed: credits − forgiven − debits (voided entries excluded). */
export function owedCents(entries: readonly LedgerEntry[]): number {
  let b = 0;
  for (const e of activeEntries(entries)) {
    if (CREDIT.has(e.kind)) b += e.cents;
    else if (e.kind === 'debit' || e.kind === 'forgiven') b -= e.cents;
  }
  return b;
}

/** Money paid towards caps: credits − debits (forgiven money stays paid). */
export function paidCents(entries: readonly LedgerEntry[]): number {
  let b = 0;
  for (const e of activeEntries(entries)) {
    if (CREDIT.has(e.kind)) b += e.cents;
    else if (e.kind === 'debit') b -= e.cents;
  }
  return b;
}

// ---------- caps ----------

/** Running usage of the caps (money paid). */
class CapState {
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
    if (c.perItemCents != null && amount > itemRoom) { amount = Math.max(itemRoom, 0); cap = 'perItem'; }
    if (c.totalCents != null && amount > c.totalCents - this.total) { amount = Math.max(c.totalCents - this.total, 0); cap = 'total'; }
    if (month !== null) {
      if (c.perMonthCents != null) {
        const room = c.perMonthCents - (this.month.get(month) ?? 0);
        if (amount > room) { amount = Math.max(room, 0); cap = 'perMonth'; }
      }
      if (c.perYearCents != null) {
        const room = c.perYearCents - (this.year.get(month.slice(0, month.length - 3)) ?? 0);
        if (amount > room) { amount = Math.max(room, 0); cap = 'perYear'; }
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

function entry(kind: EntryKind, id: string, event: string | null, track: string | null, month: string | null, cents: number, n: number | null, tier: string | null, capped: CapName | null): LedgerEntry {
  return { id, kind, event, track, month, cents, n, tier, capped };
}

/**
 * derive(empty, replay): posts every row in order with caps applied as it goes,
 * and writes the capped amounts back into the rows (`amountCents`, `bonusCents`,
 * `capped`). Returns the entries and the prize money paid.
 */
export function allocate(detail: ReplayDetail, external?: ExternalUsage): { entries: LedgerEntry[]; prizeCents: number } {
  const caps = new CapState(detail.protocol.caps, external);
  const perItem = detail.protocol.caps?.perItemCents ?? Infinity;
  const entries: LedgerEntry[] = [];
  let prizeCents = 0;
  for (const row of detail.rows) {
    const o = row.out;
    if (row.payout === 'cents') {
      const base = `${o.event}/${o.track}/`;
      if (row.earn > 0) {
        const c = caps.cut(row.earn, row.month, perItem);
        caps.add(row.month, c.cents);
        o.amountCents = c.cents;
        if (c.cap !== null) o.capped = c.cap;
        entries.push(entry('earn', base + 'earn', o.event, o.track, row.month, c.cents, null, null, c.cap));
      }
      if (row.bonus > 0) {
        const c = caps.cut(row.bonus, row.month, perItem - o.amountCents);
        caps.add(row.month, c.cents);
        o.bonusCents = c.cents;
        if (c.cap !== null && o.capped === null) o.capped = c.cap;
        entries.push(entry('bonus', base + 'bonus', o.event, o.track, row.month, c.cents, null, null, c.cap));
      }
    } else if (row.payout === 'draws') {
      for (const d of row.drawList) {
        const cap = caps.wouldPass(d.valueCents, row.month);
        const paid = cap === null ? d.valueCents : 0;
        caps.add(row.month, paid);
        prizeCents += paid;
        if (cap !== null && o.capped === null) o.capped = cap;
        entries.push(entry('prize', `${o.event}/${o.track}/prize/${d.n}`, o.event, o.track, row.month, paid, d.n, d.tier, cap));
      }
    }
  }
  return { entries, prizeCents };
}

interface OppPosted {
  event: string;
  track: string;
  month: string | null;
  /** cents-track money: credits − debits − forgiven (prize entries and prize take-backs excluded) */
  owed: number;
  /** cents-track money paid: credits − debits */
  paid: number;
  /** draws that stand, by n → paid prize cents */
  prizes: Map<number, number>;
  /** number of posted entries per kind (for the k in ids) */
  count: Map<string, number>;
  any: boolean;
  /** the latest cents entry of this opportunity paid 0 because a cap cut it */
  lastZeroCapped: boolean;
}

export interface DeriveOptions {
  /** Money paid by other enrolments of the same funding source (per-year/month caps). */
  external?: ExternalUsage;
}

/**
 * The entries to post now, given the entries already posted for this enrolment
 * and a fresh replay of its whole history (§5):
 * - more owed on an opportunity → `adjustment` credit (or earn/bonus the first time);
 * - less owed → `forgiven` (with the protocol's `clawback: true`, a `debit`, never
 *   taking the balance below zero; the rest is forgiven);
 * - draws already drawn stand with their numbers; fewer draws owed → their prizes are
 *   forgiven (or debited); more owed → make-up draws numbered after every number used;
 * - caps apply to every credit, counting money already paid (forgiven money stays paid).
 * Reductions are posted before credits, so clawed-back money frees cap room.
 * - a voided entry (kind `void`, `voids` = its id) stays settled for its opportunity, so
 *   it is never posted again; it moves no money (balance, caps), and a later reduction
 *   of that opportunity debits only money the patient really holds (the rest is forgiven).
 * derive([], replay) equals the replay's `ledger`.
 */
export function deriveLedger(posted: readonly LedgerEntry[], detail: ReplayDetail, options: DeriveOptions = {}): LedgerEntry[] {
  // target: what a from-scratch posting of the final replay pays (caps as if known from the start)
  const targetDetail = cloneRows(detail);
  const target = allocate(targetDetail, options.external);
  if (posted.length === 0) return target.entries;
  const rows = targetDetail.rows;

  const caps = new CapState(detail.protocol.caps, options.external);
  const perItem = detail.protocol.caps?.perItemCents ?? Infinity;
  const clawback = detail.protocol.clawback === true;
  // A voided entry (staff cancelled it, with a reason) stays settled for its opportunity,
  // so it is never posted again; it just moves no money: not in the balance, not paid
  // towards caps, and a later take-back takes nothing back for it (voidedKeys).
  const voided = voidedKeys(posted);
  let balance = balanceCents(posted);
  let maxN = 0;
  for (const e of posted) if (e.kind === 'prize' && e.n !== null && e.n > maxN) maxN = e.n;

  const opps = new Map<string, OppPosted>();
  const key = (event: string, track: string) => `${event}\u0000${track}`;
  const oppOf = (event: string, track: string, month: string | null): OppPosted => {
    const k = key(event, track);
    let o = opps.get(k);
    if (!o) {
      o = { event, track, month, owed: 0, paid: 0, prizes: new Map(), count: new Map(), any: false, lastZeroCapped: false };
      opps.set(k, o);
    }
    return o;
  };
  for (const e of posted) {
    if (e.event === null || e.track === null) continue;
    const o = oppOf(e.event, e.track, e.month);
    o.any = true;
    o.count.set(e.kind, (o.count.get(e.kind) ?? 0) + 1);
    if (e.kind === 'earn' || e.kind === 'bonus' || e.kind === 'adjustment') o.lastZeroCapped = e.cents === 0 && e.capped !== null;
  }
  for (const e of posted) {
    if (e.kind === 'void') continue;
    const isVoided = voided.has(e.id);
    if (!isVoided) {
      if (CREDIT.has(e.kind)) caps.add(e.month, e.cents);
      else if (e.kind === 'debit') caps.add(e.month, -e.cents);
    }
    if (e.event === null || e.track === null) continue;
    const o = oppOf(e.event, e.track, e.month);
    // a voided prize keeps its draw (no make-up draw) but pays nothing, so taking it back takes nothing
    if (e.kind === 'prize' && e.n !== null) o.prizes.set(e.n, isVoided ? 0 : e.cents);
    else if ((e.kind === 'forgiven' || e.kind === 'debit') && e.n !== null) o.prizes.delete(e.n);
    else if (e.kind === 'earn' || e.kind === 'bonus' || e.kind === 'adjustment') { o.owed += e.cents; if (!isVoided) o.paid += e.cents; }
    else if (e.kind === 'forgiven') o.owed -= e.cents;
    else if (e.kind === 'debit') { o.owed -= e.cents; if (!isVoided) o.paid -= e.cents; }
  }

  const out: LedgerEntry[] = [];
  const nextId = (o: OppPosted, kind: EntryKind): string => {
    const k = (o.count.get(kind) ?? 0) + 1;
    o.count.set(kind, k);
    return `${o.event}/${o.track}/${kind}/${k}`;
  };
  /** `paidRoom`: money of this opportunity (or draw) the patient really holds above what is now owed; a debit never takes more. */
  const takeBack = (o: OppPosted, amount: number, n: number | null, paidRoom: number): void => {
    let rest = amount;
    if (clawback && rest > 0) {
      const d = Math.min(rest, Math.max(balance, 0), Math.max(paidRoom, 0));
      if (d > 0) {
        out.push(entry('debit', n === null ? nextId(o, 'debit') : `${o.event}/${o.track}/debit/n${n}`, o.event, o.track, o.month, d, n, null, null));
        balance -= d;
        caps.add(o.month, -d);
        if (n === null) { o.owed -= d; o.paid -= d; }
        rest -= d;
        if (rest === 0) return;
      }
    }
    if (rest > 0 || n !== null) {
      out.push(entry('forgiven', n === null ? nextId(o, 'forgiven') : `${o.event}/${o.track}/forgiven/n${n}`, o.event, o.track, o.month, rest, n, null, null));
      if (n === null) o.owed -= rest;
    }
  };

  // what each opportunity is now owed (cents) / how many draws
  const wanted = new Map<string, { row: DetailRow | null; cents: number; draws: number; earn: number; bonus: number }>();
  for (const row of rows) {
    const o = row.out;
    wanted.set(key(o.event, o.track), { row, cents: o.amountCents + o.bonusCents, draws: o.draws, earn: o.amountCents, bonus: o.bonusCents });
  }
  // 1. reductions, in row order, then opportunities no longer in the replay
  const order: OppPosted[] = [];
  for (const row of rows) order.push(oppOf(row.out.event, row.out.track, row.month));
  for (const o of opps.values()) if (!wanted.has(key(o.event, o.track))) order.push(o);
  const seen = new Set<OppPosted>();
  for (const o of order) {
    if (seen.has(o)) continue;
    seen.add(o);
    const w = wanted.get(key(o.event, o.track));
    const cents = w?.cents ?? 0;
    const draws = w?.draws ?? 0;
    if (o.owed > cents) takeBack(o, o.owed - cents, null, o.paid - cents);
    if (o.prizes.size > draws) {
      const ns = [...o.prizes.keys()].sort((a, b) => b - a).slice(0, o.prizes.size - draws).sort((a, b) => a - b);
      for (const n of ns) {
        takeBack(o, o.prizes.get(n)!, n, o.prizes.get(n)!);
        o.prizes.delete(n);
      }
    }
  }
  // 2. credits, in row order. Rows up to the last one with posted entries were settled
  //    before: a change there is an `adjustment`; later rows post `earn`/`bonus` afresh.
  //    A credit cut to nothing by a cap is posted once with 0 cents, naming the cap.
  let settledThrough = -1;
  for (let i = 0; i < rows.length; i++) {
    const o = opps.get(key(rows[i]!.out.event, rows[i]!.out.track));
    if (o !== undefined && o.any) settledThrough = i;
  }
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const r = row.out;
    const o = oppOf(r.event, r.track, row.month);
    const w = wanted.get(key(r.event, r.track))!;
    if (row.payout === 'cents') {
      if (i > settledThrough && !o.any) {
        // first posting for this opportunity: earn and bonus as in the target, cut by what is really paid
        const base = `${r.event}/${r.track}/`;
        if (row.earn > 0) {
          const c = caps.cut(w.earn, row.month, perItem);
          caps.add(row.month, c.cents);
          out.push(entry('earn', base + 'earn', r.event, r.track, row.month, c.cents, null, null, c.cap ?? (w.earn < row.earn ? r.capped : null)));
          o.owed += c.cents; o.paid += c.cents;
        }
        if (row.bonus > 0) {
          const c = caps.cut(w.bonus, row.month, perItem - o.paid);
          caps.add(row.month, c.cents);
          out.push(entry('bonus', base + 'bonus', r.event, r.track, row.month, c.cents, null, null, c.cap ?? (w.bonus < row.bonus ? r.capped : null)));
          o.owed += c.cents; o.paid += c.cents;
        }
      } else if (o.owed < w.cents) {
        const c = caps.cut(w.cents - o.owed, row.month, perItem - o.paid);
        // a credit cut to nothing is posted once (naming the cap), not again on every re-derivation
        if (c.cents > 0 || (c.cap !== null && !o.lastZeroCapped)) {
          caps.add(row.month, c.cents);
          out.push(entry('adjustment', nextId(o, 'adjustment'), r.event, r.track, row.month, c.cents, null, null, c.cap));
          o.owed += c.cents; o.paid += c.cents;
        }
      }
    } else if (row.payout === 'draws' && o.prizes.size < w.draws) {
      for (let k = o.prizes.size; k < w.draws; k++) {
        const n = ++maxN;
        const d = drawSlip(detail.seed, detail.enrolment.id, n, detail.bowl!);
        const cap = caps.wouldPass(d.valueCents, row.month);
        const paid = cap === null ? d.valueCents : 0;
        caps.add(row.month, paid);
        out.push(entry('prize', `${r.event}/${r.track}/prize/${n}`, r.event, r.track, row.month, paid, n, d.tier, cap));
        o.prizes.set(n, paid);
      }
    }
  }
  return out;
}

function cloneRows(detail: ReplayDetail): ReplayDetail & { rows: DetailRow[] } {
  return { ...detail, rows: detail.rows.map((r) => ({ ...r, out: { ...r.out, amountCents: r.earn, bonusCents: r.bonus, capped: null } })) };
}
