// 42 CFR Part 2 consent (issue 16, docs/consent.md, ADR 052): what a written consent must
// say (§2.31 as amended in 2024), when it is in effect, and whether it covers a disclosure.
// Pure: the server stores consents and asks `decide` before every disclosure; time is an
// argument. A consent is immutable once signed; a change is a new consent that supersedes it.

/** The kinds of information a consent may name ("how much and what kind", §2.31(a)(3)). */
export const DATA_CLASSES = [
  'appointments',
  'attendance',
  'check-ins',
  'cm-progress',
  'screens',
  'medication',
  'care-plan',
  'assessments',
  'safety-plan',
  'progress-notes',
  'demographics',
  // behavioural couples and network therapy (issue 16): the couple's trust-talk calendar and the doses the network saw
  'family-work',
  // SUD counselling notes: only by a consent of their own that names nothing else (§2.31(b))
  'counselling-notes',
] as const;
export type DataClass = (typeof DATA_CLASSES)[number];

/** Why information is disclosed (§2.31(a)(5)). Treatment, payment and health-care operations may share one consent. */
export const PURPOSES = ['treatment', 'payment', 'health-care-operations', 'family-support', 'care-coordination', 'at-patient-request'] as const;
export type Purpose = (typeof PURPOSES)[number];
export const TPO_PURPOSES: readonly Purpose[] = ['treatment', 'payment', 'health-care-operations'];

/**
 * Who receives (§2.31(a)(4)): a family member or friend registered in Waypoint (a CSO), a named
 * organisation or person, or — for the single consent for treatment, payment and operations
 * only — the general designation of the patient's treating providers, health plans and payers.
 */
export type Recipient = { kind: 'family-member'; familyMemberId: string; name: string } | { kind: 'organization'; name: string } | { kind: 'individual'; name: string } | { kind: 'tpo-designation' };
export const RECIPIENT_KINDS = ['family-member', 'organization', 'individual', 'tpo-designation'] as const;

/** When the consent ends (§2.31(a)(7)): a date, the end of treatment, a condition staff mark as met, or — for a TPO consent only — none. */
export type Expiry = { kind: 'date'; on: string } | { kind: 'end-of-treatment' } | { kind: 'condition'; text: string } | { kind: 'none' };
export const EXPIRY_KINDS = ['date', 'end-of-treatment', 'condition', 'none'] as const;

/** How the patient signed: on paper (scanned), in the app on their phone, or on the clinic's locked tablet. */
export const SIGNATURE_METHODS = ['paper', 'app', 'tablet'] as const;
export type SignatureMethod = (typeof SIGNATURE_METHODS)[number];

/** The elements of a consent as written, before and after signing. */
export type ConsentTerms = {
  /** Who may disclose (§2.31(a)(2)): the programme's name or a general designation. */
  discloser: string;
  recipient: Recipient;
  purposes: Purpose[];
  dataClasses: DataClass[];
  /** Plain words for "how much and what kind", shown with the classes (e.g. "only the next appointment"). */
  dataDescription: string;
  expiry: Expiry;
  language: 'en' | 'es';
};

export type ConsentState = ConsentTerms & {
  signedAt: Date | null;
  revokedAt: Date | null;
  supersededAt: Date | null;
  /** Set when staff record that an expiry condition (or the end of treatment) was met. */
  endedAt: Date | null;
};

export type ConsentStatus = 'awaiting-signature' | 'active' | 'expired' | 'revoked' | 'superseded';

/** The consent's status at `now`. A date expiry ends at the end of that day in `timeZone`'s calendar (the server passes the instant). */
export function statusAt(c: ConsentState, now: Date, expiresAtInstant: Date | null): ConsentStatus {
  if (c.revokedAt && c.revokedAt.getTime() <= now.getTime()) return 'revoked';
  if (c.supersededAt && c.supersededAt.getTime() <= now.getTime()) return 'superseded';
  if (!c.signedAt) return 'awaiting-signature';
  if (c.endedAt && c.endedAt.getTime() <= now.getTime()) return 'expired';
  if (expiresAtInstant && expiresAtInstant.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

export type Problem = { field: string; message: string };

/** What is missing or not allowed in a consent's terms (§2.31): each problem names its field. An empty list is a valid consent. */
export function termsProblems(t: ConsentTerms, today: string): Problem[] {
  const out: Problem[] = [];
  if (!t.discloser.trim()) out.push({ field: 'discloser', message: 'must name who may disclose (the programme or a general designation)' });
  if (t.purposes.length === 0) out.push({ field: 'purposes', message: 'must name at least one purpose' });
  if (t.dataClasses.length === 0) out.push({ field: 'dataClasses', message: 'must name what information may be disclosed' });
  if (!t.dataDescription.trim()) out.push({ field: 'dataDescription', message: 'must say in words how much and what kind of information' });
  if (new Set(t.purposes).size !== t.purposes.length) out.push({ field: 'purposes', message: 'must not repeat a purpose' });
  if (new Set(t.dataClasses).size !== t.dataClasses.length) out.push({ field: 'dataClasses', message: 'must not repeat a kind of information' });
  if (t.dataClasses.includes('counselling-notes') && t.dataClasses.length > 1) out.push({ field: 'dataClasses', message: 'SUD counselling notes need a consent of their own that names nothing else' });
  const tpo = t.recipient.kind === 'tpo-designation';
  if (tpo && t.purposes.some((p) => !TPO_PURPOSES.includes(p)))
    out.push({ field: 'purposes', message: 'the general designation of treating providers and payers may be used only for treatment, payment and health-care operations' });
  if (tpo && t.dataClasses.includes('counselling-notes')) out.push({ field: 'dataClasses', message: 'SUD counselling notes cannot be shared under the treatment, payment and operations consent' });
  if ((t.recipient.kind === 'organization' || t.recipient.kind === 'individual') && !t.recipient.name.trim()) out.push({ field: 'recipient.name', message: 'must name the recipient' });
  if (t.recipient.kind === 'family-member' && t.purposes.some((p) => TPO_PURPOSES.includes(p) && p !== 'treatment'))
    out.push({ field: 'purposes', message: 'a family member receives information for family support, care coordination, treatment or at the patient’s request' });
  if (t.expiry.kind === 'none' && !tpo) out.push({ field: 'expiry', message: 'only the treatment, payment and operations consent may have no expiry; give a date, an event or a condition' });
  if (t.expiry.kind === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(t.expiry.on)) out.push({ field: 'expiry.on', message: 'must be a date (YYYY-MM-DD)' });
  else if (t.expiry.kind === 'date' && t.expiry.on < today) out.push({ field: 'expiry.on', message: 'must not be in the past' });
  if (t.expiry.kind === 'condition' && !t.expiry.text.trim()) out.push({ field: 'expiry.text', message: 'must say what ends the consent' });
  return out;
}

/** A disclosure asked for: to whom, why and what. */
export type DisclosureRequest = { recipient: Recipient; purpose: Purpose; dataClasses: readonly DataClass[] };

/** Normalised name for matching a named recipient ("  Harbor  Health " = "harbor health"). */
export const recipientKey = (r: Recipient): string =>
  r.kind === 'family-member' ? `family-member:${r.familyMemberId}` : r.kind === 'tpo-designation' ? 'tpo-designation' : `${r.kind}:${r.name.trim().replace(/\s+/g, ' ').toLowerCase()}`;

/** Whether the consent's recipient is the requested one. The TPO designation covers named organisations (treating providers and payers), never a family member or an individual. */
export function recipientMatches(consented: Recipient, requested: Recipient): boolean {
  if (consented.kind === 'tpo-designation') return requested.kind === 'organization' || requested.kind === 'tpo-designation';
  return recipientKey(consented) === recipientKey(requested);
}

export type Refusal = 'no-consent' | 'recipient' | 'purpose' | 'data';

/** Whether one active consent covers the request, and if not, which element does not. */
export function covers(terms: ConsentTerms, req: DisclosureRequest): { ok: true } | { ok: false; reason: Refusal } {
  if (!recipientMatches(terms.recipient, req.recipient)) return { ok: false, reason: 'recipient' };
  if (!terms.purposes.includes(req.purpose)) return { ok: false, reason: 'purpose' };
  if (req.dataClasses.some((d) => !terms.dataClasses.includes(d))) return { ok: false, reason: 'data' };
  return { ok: true };
}

/**
 * The consent that allows a disclosure, among the patient's consents that are active now, or
 * the closest reason none does. Of several, the most recently signed.
 */
export function decide<C extends ConsentTerms & { id: string; signedAt: Date | null }>(active: readonly C[], req: DisclosureRequest): { ok: true; consent: C } | { ok: false; reason: Refusal } {
  const order: Refusal[] = ['no-consent', 'recipient', 'purpose', 'data'];
  let closest: Refusal = 'no-consent';
  const newestFirst = [...active].sort((a, b) => (b.signedAt?.getTime() ?? 0) - (a.signedAt?.getTime() ?? 0));
  for (const c of newestFirst) {
    const r = covers(c, req);
    if (r.ok) return { ok: true, consent: c };
    if (order.indexOf(r.reason) > order.indexOf(closest)) closest = r.reason;
  }
  return { ok: false, reason: closest };
}

/**
 * The exceptions that allow a disclosure without consent and are recorded as such: a bona fide
 * medical emergency (§2.51: break-glass with a reason, the programme told, the audit row
 * flagged), audit and evaluation (§2.53) and research (§2.52, de-identified data only here).
 */
export const EXCEPTIONS = ['medical-emergency', 'audit-evaluation', 'research'] as const;
export type Exception = (typeof EXCEPTIONS)[number];

/**
 * Every way information leaves the programme in Waypoint. Each is a use case that asks
 * `decide` (or records an exception) and writes a disclosure row; a test drives each one and
 * finds it in the accounting.
 */
export const DISCLOSURE_CHANNELS = ['family-view', 'print', 'export', 'fhir-api'] as const;
export type DisclosureChannel = (typeof DISCLOSURE_CHANNELS)[number];

/** How far back the accounting of disclosures goes (§2.24 / HIPAA: 3 years for TPO disclosures through an electronic record). */
export const ACCOUNTING_YEARS = 3;
