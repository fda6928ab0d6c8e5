// Settlement (CM-SPEC §5.1): after every recording, correction, adjudication or missed
// opportunity the whole enrolment is replayed, and each track is settled against what
// the ledger has already moved for it.
//
// Per track: `owed` is what the replay now gives (cents after caps, or draws), `paid`
// what the ledger has moved (credits − debits; a voided entry still counts as settled),
// `forgiven` = max(0, paid − owed), a memo that moves no money.
// - owed > paid → credit the difference: a new opportunity's first credit is its earn and
//   bonus, a rise on an opportunity already settled is an adjustment (draws: more draws,
//   numbered after every draw already posted);
// - owed < paid → nothing moves (forgiven grows), or with `clawback` a debit limited so the
//   balance stays ≥ 0 (the rest forgiven). A later rise pays only what exceeds paid, so
//   money once forgiven is never paid again, and alternating a result pays it once;
// - falls and rises of different opportunities of one track net out before anything moves.
// Caps (§6) still apply when an amount is posted, counting money really paid.
import { drawSlip, ZERO_SEED } from './draws.ts';
import { parseEvents } from './events.ts';
import { allocate, balanceCents, CapState, cloneRows, entry, voidedKeys, type EntryKind, type ExternalUsage, type LedgerEntry } from './ledger.ts';
import type { Protocol } from './protocol.ts';
import { replayRows, type DetailRow, type ReplayDetail } from './replay.ts';

/** A track after a settlement, in its unit: cents on a cents track, draws on a draws track. */
export interface TrackSettlement {
  owed: number;
  paid: number;
  forgiven: number;
}

export interface Settlement {
  /** The entries to post now, in posting order (debits, then credits in row order, then forgiven memos). */
  entries: LedgerEntry[];
  /** Every cents and draws track of the protocol, by id. */
  tracks: Record<string, TrackSettlement>;
  /** The caps' usage by what is owed, after every replayed row (what `replayAfter` carries on from). */
  owedCaps: CapState;
}

export interface SettleOptions {
  /** Money paid by other enrolments of the same funding source (per-year/month caps). */
  external?: ExternalUsage;
}

/** What the ledger holds for one opportunity of one track. */
interface Opp {
  event: string;
  track: string;
  month: string | null;
  /** Its row in the replay (null: none now, only entries posted for it) and what that row owes, in the track's unit. */
  row: DetailRow | null;
  owed: number;
  /** Settled so far, in the track's unit (voided entries included). */
  settled: number;
  /** Forgiven memos so far, in the track's unit. */
  forgiven: number;
  /** Entries per kind (for the k in entry ids); empty when nothing was ever posted for it. */
  count: Map<EntryKind, number>;
  /** Draws that stand (not clawed back): n → prize money the patient really holds. */
  draws: Map<number, number>;
}

interface Track {
  id: string;
  payout: 'cents' | 'draws';
  /** In the order first met (rows, then posted entries). */
  opps: Opp[];
  /** The same, by event id. */
  oppOfEvent: Map<string, Opp>;
  /** Forgiven memos so far. */
  forgiven: number;
}

const sum = (opps: readonly Opp[], f: (o: Opp) => number) => opps.reduce((a, o) => a + f(o), 0);

/**
 * The entries to post now, given the entries already posted for this enrolment (in posting
 * order) and a fresh replay of its whole history, and every track's figures after posting
 * them. settleLedger([], replay) posts the replay's own ledger.
 */
export function settleLedger(posted: readonly LedgerEntry[], detail: ReplayDetail, options: SettleOptions = {}): Settlement {
  // owed: the rows with caps applied as if the final data had been known from the start
  const protocol = detail.protocol;
  const owedRows = cloneRows(detail);
  const owedCaps = new CapState(protocol.caps, options.external);
  allocate(owedRows, owedCaps);
  const rows = owedRows.rows;
  const clawback = protocol.clawback === true;
  const perItem = protocol.caps?.perItemCents ?? Infinity;
  const owedOf = (r: DetailRow) => (r.payout === 'draws' ? r.out.draws : r.out.amountCents + r.out.bonusCents);

  const tracks = new Map<string, Track>();
  for (const t of protocol.tracks) if (t.payout !== 'privilege') tracks.set(t.id, { id: t.id, payout: t.payout, opps: [], oppOfEvent: new Map(), forgiven: 0 });
  // (by track, then by event id: the ids are the strings the rows and entries already hold, so no key is built)
  const oppOf = (event: string, track: Track, month: string | null): Opp => {
    let o = track.oppOfEvent.get(event);
    if (!o) {
      o = { event, track: track.id, month, row: null, owed: 0, settled: 0, forgiven: 0, count: new Map(), draws: new Map() };
      track.oppOfEvent.set(event, o);
      track.opps.push(o);
    }
    return o;
  };
  // each row's opportunity, in row order (null: a privilege track's row)
  const rowOpp = rows.map((r) => {
    const t = tracks.get(r.out.track);
    if (!t) return null;
    const o = oppOf(r.out.event, t, r.month);
    o.row = r;
    o.owed = owedOf(r);
    return o;
  });

  // what is posted: per opportunity, and the caps' usage (money really paid)
  const caps = new CapState(protocol.caps, options.external);
  const voided = voidedKeys(posted);
  let balance = balanceCents(posted);
  let lastN = 0;
  for (const e of posted) {
    if (e.kind === 'void') continue;
    const isVoided = voided.has(e.id);
    if (!isVoided && (e.kind === 'earn' || e.kind === 'bonus' || e.kind === 'adjustment' || e.kind === 'prize')) caps.add(e.month, e.cents);
    if (!isVoided && e.kind === 'debit') caps.add(e.month, -e.cents);
    if (e.kind === 'prize' && e.n !== null) lastN = Math.max(lastN, e.n);
    const t = e.track === null ? undefined : tracks.get(e.track);
    if (e.event === null || !t) continue;
    const o = oppOf(e.event, t, e.month);
    o.count.set(e.kind, (o.count.get(e.kind) ?? 0) + 1);
    if (e.kind === 'prize' && e.n !== null) {
      o.settled += 1;
      o.draws.set(e.n, isVoided ? 0 : e.cents);
    } else if (e.kind === 'debit' && e.n !== null) {
      o.settled -= 1;
      o.draws.delete(e.n);
    } else if (e.kind === 'earn' || e.kind === 'bonus' || e.kind === 'adjustment') o.settled += e.cents;
    else if (e.kind === 'debit') o.settled -= e.cents;
    else if (e.kind === 'forgiven') o.forgiven += e.draws ?? e.cents;
  }
  for (const t of tracks.values()) t.forgiven = sum(t.opps, (o) => o.forgiven);

  const owedTrack = (t: Track) => sum(t.opps, (o) => o.owed);

  const out: LedgerEntry[] = [];
  const nextId = (o: Opp, kind: EntryKind): string => {
    const k = (o.count.get(kind) ?? 0) + 1;
    o.count.set(kind, k);
    return `${o.event}/${o.track}/${kind}/${k}`;
  };

  // 1. with clawback, a fall is debited (reductions first, so clawed-back money frees cap room)
  if (clawback) {
    for (const t of tracks.values()) {
      let fall = sum(t.opps, (o) => o.settled) - owedTrack(t);
      if (fall <= 0) continue;
      if (t.payout === 'cents') {
        const held = Math.max(
          0,
          sum(t.opps, (o) => realCents(o, posted, voided)),
        );
        let take = Math.min(fall, Math.max(balance, 0), held);
        for (const o of t.opps) {
          const part = Math.min(take, o.settled - o.owed);
          if (part <= 0) continue;
          out.push(entry('debit', nextId(o, 'debit'), o.event, o.track, o.month, part, null, null, null));
          o.settled -= part;
          balance -= part;
          caps.add(o.month, -part);
          take -= part;
        }
      } else {
        // the latest draws first; a draw is taken back whole or not at all
        const standing = t.opps.flatMap((o) => [...o.draws].map(([n, cents]) => ({ o, n, cents }))).sort((a, b) => b.n - a.n);
        for (const d of standing) {
          if (fall <= 0 || d.cents > balance) break;
          out.push(entry('debit', `${d.o.event}/${d.o.track}/debit/n${d.n}`, d.o.event, d.o.track, d.o.month, d.cents, d.n, null, null));
          d.o.draws.delete(d.n);
          d.o.settled -= 1;
          balance -= d.cents;
          caps.add(d.o.month, -d.cents);
          fall -= 1;
        }
      }
    }
  }

  // 2. credits: each track's shortfall (owed − paid, after netting) goes first to the
  //    opportunities never posted (their earn and bonus, or their draws), then to earlier
  //    ones that rose (adjustments, make-up draws), each in row order; the entries are then
  //    posted in row order, so draws take the enrolment's next numbers in that order
  const shortfall = new Map<Track, number>();
  for (const t of tracks.values()) shortfall.set(t, Math.max(0, owedTrack(t) - sum(t.opps, (o) => o.settled)));
  const creditOf = new Map<Opp, number>();
  for (const fresh of [true, false]) {
    for (const o of rowOpp) {
      if (!o || (o.count.size === 0) !== fresh) continue;
      const t = tracks.get(o.track)!;
      const rise = Math.min(o.owed - o.settled, shortfall.get(t)!);
      if (rise <= 0) continue;
      creditOf.set(o, rise);
      shortfall.set(t, shortfall.get(t)! - rise);
    }
  }
  for (let i = 0; i < rows.length; i++) {
    const o = rowOpp[i];
    if (!o) continue;
    const r = rows[i]!;
    const t = tracks.get(o.track)!;
    const fresh = o.count.size === 0;
    const rise = creditOf.get(o) ?? 0;
    if (rise <= 0) {
      // a success that a cap cut to nothing is posted once with 0 cents, naming the cap
      if (fresh && t.payout === 'cents' && r.earn > 0 && o.owed === 0 && r.out.capped !== null) {
        out.push(entry('earn', `${o.event}/${o.track}/earn`, o.event, o.track, o.month, 0, null, null, r.out.capped));
        o.count.set('earn', 1);
      }
      continue;
    }
    if (t.payout === 'draws') {
      for (let k = 0; k < rise; k++) {
        const n = ++lastN;
        const d = drawSlip(detail.seed, detail.enrolment.id, n, detail.bowl!);
        const cap = caps.wouldPass(d.valueCents, o.month);
        const paid = cap === null ? d.valueCents : 0;
        caps.add(o.month, paid);
        balance += paid;
        out.push(entry('prize', `${o.event}/${o.track}/prize/${n}`, o.event, o.track, o.month, paid, n, d.tier, cap));
        o.count.set('prize', (o.count.get('prize') ?? 0) + 1);
        o.draws.set(n, paid);
        o.settled += 1;
      }
      continue;
    }
    const credit = (kind: EntryKind, id: string, amount: number, replayCap: LedgerEntry['capped']) => {
      const c = caps.cut(amount, o.month, perItem - Math.max(o.settled, 0));
      caps.add(o.month, c.cents);
      balance += c.cents;
      out.push(entry(kind, id, o.event, o.track, o.month, c.cents, null, null, c.cap ?? replayCap));
      o.count.set(kind, (o.count.get(kind) ?? 0) + (kind === 'adjustment' ? 0 : 1));
      o.settled += c.cents;
    };
    if (fresh) {
      const earn = Math.min(rise, r.out.amountCents);
      const bonus = Math.min(rise - earn, r.out.bonusCents);
      if (earn > 0 || r.earn > 0) credit('earn', `${o.event}/${o.track}/earn`, earn, r.out.amountCents < r.earn ? r.out.capped : null);
      if (bonus > 0 || (r.bonus > 0 && r.out.bonusCents < r.bonus && earn === r.out.amountCents))
        credit('bonus', `${o.event}/${o.track}/bonus`, bonus, r.out.bonusCents < r.bonus ? r.out.capped : null);
    } else {
      credit('adjustment', nextId(o, 'adjustment'), rise, null);
    }
  }

  // 3. forgiven: a memo of the change in max(0, paid − owed), on the opportunities that fell
  //    (or, when it shrinks, on those whose kept money is owed again)
  const result: Record<string, TrackSettlement> = {};
  for (const t of tracks.values()) {
    const owed = owedTrack(t);
    const paid = sum(t.opps, (o) => o.settled);
    const forgiven = Math.max(0, paid - owed);
    let change = forgiven - t.forgiven;
    const memo = (o: Opp, amount: number) => {
      const draws = t.payout === 'draws';
      out.push({ ...entry('forgiven', nextId(o, 'forgiven'), o.event, o.track, o.month, draws ? 0 : amount, null, null, null), draws: draws ? amount : null });
      o.forgiven += amount;
      change -= amount;
    };
    if (change > 0) {
      for (const o of t.opps) if (change > 0 && o.settled - o.owed - o.forgiven > 0) memo(o, Math.min(change, o.settled - o.owed - o.forgiven));
    } else if (change < 0) {
      for (const o of t.opps) {
        const room = o.forgiven - Math.max(0, o.settled - o.owed);
        if (change < 0 && room > 0) memo(o, -Math.min(-change, room));
      }
    }
    // what the per-opportunity split could not place (falls and rises netted across opportunities)
    if (change !== 0) memo(t.opps.find((o) => o.forgiven > 0 || o.row !== null) ?? t.opps[0]!, change);
    result[t.id] = { owed, paid, forgiven };
  }
  return { entries: out, tracks: result, owedCaps };
}

/** Cents of an opportunity the patient really holds (voided credits and debits excluded). */
function realCents(o: Opp, posted: readonly LedgerEntry[], voided: ReadonlySet<string>): number {
  let c = 0;
  for (const e of posted) {
    if (e.event !== o.event || e.track !== o.track || voided.has(e.id)) continue;
    if (e.kind === 'earn' || e.kind === 'bonus' || e.kind === 'adjustment') c += e.cents;
    else if (e.kind === 'debit') c -= e.cents;
  }
  return c;
}

// ---------- `waypoint cm settle` (§8) ----------

/** One settlement of §8's output. */
export interface PostingSettlement {
  posting: number;
  tracks: Record<string, TrackSettlement>;
  entries: Array<{ kind: EntryKind; track: string | null; event: string | null; cents: number; n?: number; tier?: string | null; draws?: number; capped?: string }>;
}

export interface SettleOutput {
  settlements: PostingSettlement[];
  balanceCents: number;
}

export type SettleInputResult = { ok: true; output: SettleOutput } | { ok: false; problems: string[] };

/**
 * Settles each posting in turn as the clinic would (§5.1, §8): posting i replays every
 * event of postings 0…i (file order breaks ties) and settles against the entries of the
 * postings before it.
 */
export function settlePostings(protocol: Protocol, postingsJson: unknown, seed: Uint8Array = ZERO_SEED): SettleInputResult {
  if (typeof postingsJson !== 'object' || postingsJson === null || !Array.isArray((postingsJson as { postings?: unknown }).postings)) {
    return { ok: false, problems: ['the postings file must be a JSON object with "enrolment" and "postings": [[event, …], …]'] };
  }
  const { enrolment, postings } = postingsJson as { enrolment: unknown; postings: unknown[] };
  const problems: string[] = [];
  postings.forEach((p, i) => {
    if (!Array.isArray(p)) problems.push(`postings[${i}]: must be a list of events`);
  });
  if (problems.length > 0) return { ok: false, problems };
  const events: unknown[] = [];
  const ledger: LedgerEntry[] = [];
  const settlements: PostingSettlement[] = [];
  for (let i = 0; i < postings.length; i++) {
    const offset = events.length;
    events.push(...(postings[i] as unknown[]));
    const parsed = parseEvents({ enrolment, events });
    if (!parsed.ok) {
      // name each problem by its posting and place in it
      for (const p of parsed.problems) {
        const at = /^events\[(\d+)\]/.exec(p.path);
        const where = at && Number(at[1]) >= offset ? `postings[${i}][${Number(at[1]) - offset}]${p.path.slice(at[0].length)}` : p.path || '(document)';
        problems.push(`${where}${p.event !== null ? ` (event "${p.event}")` : ''}: ${p.message}`);
      }
      return { ok: false, problems };
    }
    const s = settleLedger(ledger, replayRows(protocol, parsed.doc, seed));
    ledger.push(...s.entries);
    settlements.push({ posting: i, tracks: s.tracks, entries: s.entries.map(settleEntryJson) });
  }
  return { ok: true, output: { settlements, balanceCents: balanceCents(ledger) } };
}

function settleEntryJson(e: LedgerEntry): PostingSettlement['entries'][number] {
  return {
    kind: e.kind,
    track: e.track,
    event: e.event,
    cents: e.cents,
    ...(e.n !== null ? { n: e.n } : {}),
    ...(e.kind === 'prize' ? { tier: e.tier } : {}),
    ...(e.draws != null ? { draws: e.draws } : {}),
    ...(e.capped !== null ? { capped: e.capped } : {}),
  };
}
