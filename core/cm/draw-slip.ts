// The pure half of the prize draw (CM-SPEC §3): from the HMAC-SHA256 digest of a draw to
// its slip and bowl entry, with exact 64-bit rejection sampling. No hashing here and no
// Node built-ins, so the console's public verification page re-makes a draw in the browser
// (Web Crypto computes the HMAC) with the same code the server uses (draws.ts).

export interface Slip {
  tier: string;
  label?: string | undefined;
  count: number;
  valueCents: number;
}

export interface Bowl {
  slips: Slip[];
}

/** Prepared bowl: cumulative counts for O(log k) slip → entry lookup. */
export interface PreparedBowl {
  bowl: Bowl;
  total: number;
  /** cumulative[i] = Σ count of entries 0..i */
  cumulative: number[];
}

const TWO_64 = 1n << 64n;

/** The HMAC message of draw n: UTF-8(enrolmentId + ":" + n), n decimal without sign or leading zeros. */
export function drawMessage(enrolmentId: string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`draw number must be a positive integer, got ${n}`);
  return `${enrolmentId}:${n}`;
}

/** Σ count of a bowl. */
export function slipTotal(bowl: Bowl): number {
  let t = 0;
  for (const s of bowl.slips) t += s.count;
  return t;
}

/**
 * The 0-based slip number for a bowl of T slips from a draw's 32-byte HMAC digest: the first
 * of its four big-endian 64-bit words below floor(2^64 / T) × T, mod T; null when all four
 * are rejected (probability < (T/2^64)^4).
 */
export function slipOfDigest(digest: Uint8Array, total: number): number | null {
  if (!Number.isSafeInteger(total) || total < 1) throw new Error(`bowl must hold at least one slip, got ${total}`);
  if (digest.length < 32) throw new Error(`an HMAC-SHA256 digest has 32 bytes, got ${digest.length}`);
  const words = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
  const T = BigInt(total);
  const limit = (TWO_64 / T) * T;
  for (let i = 0; i < 4; i++) {
    const u = words.getBigUint64(i * 8, false);
    if (u < limit) return Number(u % T);
  }
  return null;
}

export function prepareBowl(bowl: Bowl): PreparedBowl {
  const cumulative: number[] = [];
  let t = 0;
  for (const s of bowl.slips) {
    t += s.count;
    cumulative.push(t);
  }
  return { bowl, total: t, cumulative };
}

/** Bowl entry holding 0-based slip number `slip`. */
export function entryOfSlip(p: PreparedBowl, slip: number): number {
  let lo = 0;
  let hi = p.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (slip < p.cumulative[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
