// Auditable prize draws (CM-SPEC §3): HMAC-SHA256 commit–reveal with exact
// 64-bit rejection sampling. node:crypto is used for hashing only (deterministic).
import { createHash, createHmac } from 'node:crypto';
import { drawMessage, entryOfSlip, prepareBowl, slipOfDigest, type Bowl, type PreparedBowl } from './draw-slip.ts';

// The pure half (digest → slip → bowl entry) is in draw-slip.ts, shared with the browser.
export { drawMessage, entryOfSlip, prepareBowl, slipOfDigest, slipTotal, type Bowl, type PreparedBowl, type Slip } from './draw-slip.ts';

export interface DrawResult {
  /** Draw number within the enrolment (1, 2, …). */
  n: number;
  /** 0-based slip number in the bowl as listed, each entry repeated `count` times. */
  slipIndex: number;
  /** Index of the bowl entry (`slips[entry]`). */
  entry: number;
  tier: string;
  valueCents: number;
}

/** Seed bytes from hex (even length, hex digits only). Throws on anything else. */
export function seedFromHex(hex: string): Buffer {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new Error('seed must be an even number of hex digits');
  return Buffer.from(hex, 'hex');
}

/** The 32 zero bytes replay uses when no seed is given. */
export const ZERO_SEED: Buffer = Buffer.alloc(32);

function asBytes(seed: Uint8Array | string): Uint8Array {
  return typeof seed === 'string' ? seedFromHex(seed) : seed;
}

/** The commitment published before the first draw: sha256(seed), lowercase hex. */
export function commitment(seed: Uint8Array | string): string {
  return createHash('sha256').update(asBytes(seed)).digest('hex');
}

/** Expected value of one draw in cents: Σ count·value / Σ count (not rounded). */
export function expectedValueCents(bowl: Bowl): number {
  let t = 0;
  let v = 0;
  for (const s of bowl.slips) {
    t += s.count;
    v += s.count * s.valueCents;
  }
  return t === 0 ? 0 : v / t;
}

/** Slip numbers already computed, by draw number, per seed (by content), enrolment and bowl size. */
const slipMemo = new Map<string, number[]>();

function memoOf(seed: Uint8Array | string, enrolmentId: string, total: number): number[] {
  // by the seed's content: callers make a new bytes object for each settlement
  const hex = typeof seed === 'string' ? seed.toLowerCase() : Buffer.from(seed.buffer, seed.byteOffset, seed.byteLength).toString('hex');
  const key = `${hex}|${total}|${enrolmentId}`;
  let memo = slipMemo.get(key);
  if (!memo) {
    if (slipMemo.size >= 10_000) slipMemo.clear();
    slipMemo.set(key, (memo = []));
  }
  return memo;
}

/**
 * The 0-based slip number of draw n for a bowl of T slips: the first of the four
 * big-endian 64-bit words of h below floor(2^64 / T) × T, mod T. Throws when all
 * four are rejected (probability < (T/2^64)^4).
 */
export function slipIndex(seed: Uint8Array | string, enrolmentId: string, n: number, total: number): number {
  if (!Number.isSafeInteger(total) || total < 1) throw new Error(`bowl must hold at least one slip, got ${total}`);
  return memoSlip(memoOf(seed, enrolmentId, total), seed, enrolmentId, n, total);
}

// a pure function of its arguments: replays of one enrolment redo the same draws, so the
// answers are kept (bounded)
function memoSlip(memo: number[], seed: Uint8Array | string, enrolmentId: string, n: number, total: number): number {
  const hit = memo[n];
  if (hit !== undefined) return hit;
  const slip = slipOfDigest(createHmac('sha256', asBytes(seed)).update(drawMessage(enrolmentId, n), 'utf8').digest(), total);
  if (slip === null) throw new Error(`draw ${n} of enrolment ${enrolmentId}: all four 64-bit words rejected`);
  memo[n] = slip;
  return slip;
}

function drawResult(p: PreparedBowl, n: number, slip: number): DrawResult {
  const entry = entryOfSlip(p, slip);
  const s = p.bowl.slips[entry]!;
  return { n, slipIndex: slip, entry, tier: s.tier, valueCents: s.valueCents };
}

/** The draws of one enrolment from one bowl, by number (drawSlip, with the kept slips looked up once). */
export function enrolmentDraws(seed: Uint8Array | string, enrolmentId: string, bowl: Bowl | PreparedBowl): (n: number) => DrawResult {
  const p = 'cumulative' in bowl ? bowl : prepareBowl(bowl);
  const memo = memoOf(seed, enrolmentId, p.total);
  return (n) => drawResult(p, n, memoSlip(memo, seed, enrolmentId, n, p.total));
}

/** Draw number n of an enrolment from the bowl (§3). */
export function drawSlip(seed: Uint8Array | string, enrolmentId: string, n: number, bowl: Bowl | PreparedBowl): DrawResult {
  return enrolmentDraws(seed, enrolmentId, bowl)(n);
}
