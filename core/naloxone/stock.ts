// Naloxone stock rules (issue 15, docs/naloxone.md, ADR 050). Pure: no DB. Stock is never
// stored as a number that is edited: a lot's count on hand is what was received, less the
// kits given from it, plus or minus its adjustments (a count, a loss, expired kits thrown
// away), each an immutable row. A kit is given only from a lot that is not expired on the
// day and has one on hand. Alerts: a lot with kits on hand that expires within the
// programme's warning days (or has expired), and usable stock below the reorder level.
import { daysBetween } from '../cm/calendar.ts';

export const PRODUCTS = ['nasal-4mg', 'nasal-8mg', 'injectable-0.4mg', 'other'] as const;
export type Product = (typeof PRODUCTS)[number];

export type NaloxoneSettings = { reorderLevel: number; expiryWarningDays: number };
export const DEFAULT_SETTINGS: NaloxoneSettings = { reorderLevel: 10, expiryWarningDays: 60 };
export const SETTINGS_LIMITS = { reorderLevel: 10_000, expiryWarningDays: 365 } as const;

export type LotMovements = {
  id: string;
  product: Product;
  lotNumber: string;
  /** YYYY-MM-DD: the last day the kit may be given. */
  expiresOn: string;
  received: number;
  given: number;
  /** The sum of adjustments (negative: lost, thrown away; positive: found in a count). */
  adjusted: number;
};

export type LotStock = LotMovements & { onHand: number; expired: boolean; expiringSoon: boolean; daysLeft: number };

export const onHand = (l: Pick<LotMovements, 'received' | 'given' | 'adjusted'>): number => l.received - l.given + l.adjusted;

/** A lot's stock on `today`: expired after its expiry date; expiring soon within the warning days. */
export function lotStock(l: LotMovements, today: string, settings: NaloxoneSettings): LotStock {
  const daysLeft = daysBetween(today, l.expiresOn);
  const expired = daysLeft < 0;
  return { ...l, onHand: onHand(l), expired, expiringSoon: !expired && daysLeft <= settings.expiryWarningDays, daysLeft };
}

export type GiveRefusal = { code: 'lot_expired' | 'lot_empty'; message: string };

/** Why a kit cannot be given from this lot today, or null when it can. */
export function canGive(l: LotMovements, today: string): GiveRefusal | null {
  if (daysBetween(today, l.expiresOn) < 0) return { code: 'lot_expired', message: `Lot ${l.lotNumber} expired on ${l.expiresOn}; give a kit from another lot.` };
  if (onHand(l) < 1) return { code: 'lot_empty', message: `Lot ${l.lotNumber} has no kits on hand.` };
  return null;
}

/** An adjustment may not take a lot below zero. */
export function canAdjust(l: LotMovements, delta: number): string | null {
  if (delta === 0) return 'must not be zero';
  if (onHand(l) + delta < 0) return `would leave lot ${l.lotNumber} with fewer than zero kits (it has ${onHand(l)})`;
  return null;
}

export type StockAlert =
  | { kind: 'reorder'; usable: number; reorderLevel: number }
  | { kind: 'expiring'; lotId: string; lotNumber: string; expiresOn: string; onHand: number; daysLeft: number }
  | { kind: 'expired'; lotId: string; lotNumber: string; expiresOn: string; onHand: number };

/** The programme's stock on `today`: lots (soonest expiry first), usable kits, and the alerts. */
export function stockReport(lots: readonly LotMovements[], today: string, settings: NaloxoneSettings) {
  const stock = lots.map((l) => lotStock(l, today, settings)).sort((a, b) => a.expiresOn.localeCompare(b.expiresOn) || a.lotNumber.localeCompare(b.lotNumber));
  const usable = stock.filter((l) => !l.expired).reduce((n, l) => n + Math.max(0, l.onHand), 0);
  const alerts: StockAlert[] = [];
  if (usable < settings.reorderLevel) alerts.push({ kind: 'reorder', usable, reorderLevel: settings.reorderLevel });
  for (const l of stock) {
    if (l.onHand <= 0) continue;
    if (l.expired) alerts.push({ kind: 'expired', lotId: l.id, lotNumber: l.lotNumber, expiresOn: l.expiresOn, onHand: l.onHand });
    else if (l.expiringSoon) alerts.push({ kind: 'expiring', lotId: l.id, lotNumber: l.lotNumber, expiresOn: l.expiresOn, onHand: l.onHand, daysLeft: l.daysLeft });
  }
  return { lots: stock, usable, alerts };
}

/** The lot to suggest for the next kit: the usable lot with kits on hand that expires first (first expiry, first out). */
export function suggestLot(lots: readonly LotMovements[], today: string): LotMovements | null {
  return [...lots].filter((l) => canGive(l, today) === null).sort((a, b) => a.expiresOn.localeCompare(b.expiresOn))[0] ?? null;
}
