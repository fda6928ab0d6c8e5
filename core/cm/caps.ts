// Incentive caps (CM-SPEC §6) and their presets. The JSON shape of a protocol's
// `caps` (all fields optional; absent or null = no such cap):
//   {
//     "fundingSource": "samhsa",  // label: the per-year cap counts every protocol of this source
//     "noCash": true,             // redemptions must not be cash (informational for the clinic)
//     "perItemCents": 1500,       // one item: what one opportunity pays on one track, or one prize
//     "totalCents": 50000,        // per protocol total (per enrolment)
//     "perMonthCents": 10000,     // per patient per calendar month
//     "perYearCents": 75000       // per patient per calendar year (across the funding source)
//   }
// Order of checks: perItem, then the spec's order total → perMonth → perYear.

export type CapName = 'perItem' | 'total' | 'perMonth' | 'perYear';

export interface Caps {
  fundingSource?: string | null | undefined;
  noCash?: boolean | null | undefined;
  perItemCents?: number | null | undefined;
  totalCents?: number | null | undefined;
  perMonthCents?: number | null | undefined;
  perYearCents?: number | null | undefined;
}

export const CAP_ORDER: readonly CapName[] = ['perItem', 'total', 'perMonth', 'perYear'];

/** SAMHSA 2025: $750 per patient per year, no cash. */
export const SAMHSA_2025: Caps = Object.freeze({ fundingSource: 'samhsa', noCash: true, perYearCents: 75_000 });
/** Medicaid-style waiver programmes: $599 per patient per year. */
export const MEDICAID_STYLE: Caps = Object.freeze({ fundingSource: 'medicaid', perYearCents: 59_900 });
/** OIG nominal value: $15 per item, $75 per year. */
export const OIG_NOMINAL: Caps = Object.freeze({ fundingSource: 'oig-nominal', perItemCents: 1_500, perYearCents: 7_500 });
/** No caps. */
export const NO_CAPS: Caps = Object.freeze({});

export const CAP_PRESETS: Readonly<Record<'samhsa-2025' | 'medicaid-style' | 'oig-nominal' | 'none', Caps>> = Object.freeze({
  'samhsa-2025': SAMHSA_2025,
  'medicaid-style': MEDICAID_STYLE,
  'oig-nominal': OIG_NOMINAL,
  none: NO_CAPS,
});

export function capPreset(name: string): Caps | undefined {
  return Object.prototype.hasOwnProperty.call(CAP_PRESETS, name) ? CAP_PRESETS[name as keyof typeof CAP_PRESETS] : undefined;
}

/** True when the caps object limits anything. */
export function hasCaps(c: Caps | null | undefined): boolean {
  return c != null && (c.perItemCents != null || c.totalCents != null || c.perMonthCents != null || c.perYearCents != null);
}
