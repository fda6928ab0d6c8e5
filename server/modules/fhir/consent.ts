// FHIR R4 Consent from a patient's 42 CFR Part 2 consents (issue 16, docs/consent.md, ADR 008):
// read and search by patient, for staff who hold read:consent (never for an API token: ADR 021).
// The mapping rules are in consentResource, in one place:
//   status        draft (awaiting signature) · active · inactive (revoked, superseded, ended,
//                 expired), the precise Waypoint status in the consent-status extension and the
//                 instant it stopped in provision.period.end
//   scope         consentscope#patient-privacy; category LOINC 59284-0 (Patient Consent) and
//                 v3-ActCode#IDSCL (information disclosure)
//   policy        the eCFR text of 42 CFR part 2, policyRule v3-ActCode#42CFRPart2
//   patient, dateTime (signed, else written), performer (the patient, or the representative who
//   signed), organization (the programme that may disclose), sourceAttachment (the paper scan)
//   provision     permit; period (signed → expiry); actor IRCP (the recipient: a contained
//                 RelatedPerson for a family member, a display for an organisation, a person or
//                 the TPO general designation); action disclose; purpose (v3-ActReason); code (the
//                 kinds of information, Waypoint's data-class code system, SUD counselling notes
//                 included); class (the FHIR types of this facade those kinds cover).
import { and, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import { statusAt, type ConsentStatus, type DataClass, type Purpose, type Recipient } from '../../../core/consent/consent.ts';
import { fhirTypesCoveredBy } from '../../../core/consent/fhir-classes.ts';
import type { FamilyRelationship } from '../../../core/consent/templates.ts';
import type { Tx } from '../../platform/db/database.ts';
import { programOf, type Ctx } from '../../platform/http/context.ts';
import { consents, familyLinks, familyMembers } from '../consent/consent.tables.ts';
import { consentColumns, expiresAt, expiryFacts, stateOf, termsOf, type ConsentRow, type ExpiryFacts } from '../consent/consents.ts';
import { auditRead, auditSearch, countAll, countOf, cursorOf, encode, idsOf, notFound, patientOf, totalOf, UUID, type Query, type SearchResult } from './fhir.ts';
import { SECURITY_LABELS, WAYPOINT, type Resource } from './resources.ts';

type Deps = { tx: Tx; ctx: Ctx };

const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const ROLE_CODE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
export const PART2_POLICY = 'https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2';
export const DATA_CLASS_SYSTEM = `${WAYPOINT}/CodeSystem/data-class`;
export const CONSENT_STATUS_EXT = `${WAYPOINT}/StructureDefinition/consent-status`;
export const CONSENT_EXPIRY_EXT = `${WAYPOINT}/StructureDefinition/consent-expiry`;

/** R4 Consent.status of each Waypoint status. */
const FHIR_STATUS: Record<ConsentStatus, 'draft' | 'active' | 'inactive'> = {
  'awaiting-signature': 'draft',
  active: 'active',
  expired: 'inactive',
  revoked: 'inactive',
  superseded: 'inactive',
};

/** Why information is disclosed, as v3 PurposeOfUse (ActReason) codes. */
export const PURPOSE_CODES: Record<Purpose, { code: string; display: string }> = {
  treatment: { code: 'TREAT', display: 'treatment' },
  payment: { code: 'HPAYMT', display: 'healthcare payment' },
  'health-care-operations': { code: 'HOPERAT', display: 'healthcare operations' },
  'family-support': { code: 'FAMRQT', display: 'family requested' },
  'care-coordination': { code: 'COC', display: 'coordination of care' },
  'at-patient-request': { code: 'PATRQT', display: 'patient requested' },
};

/** The kinds of information in Waypoint's data-class code system (the consent's own words are in the consent's text). */
export const DATA_CLASS_DISPLAY: Record<DataClass, string> = {
  appointments: 'Upcoming appointments',
  attendance: 'Visit attendance',
  'check-ins': 'Daily check-ins',
  'cm-progress': 'Contingency management progress',
  screens: 'Drug test results',
  medication: 'Medication and dose',
  'care-plan': 'Care plan and goals',
  assessments: 'Screening and assessment scores',
  'safety-plan': 'Safety plan',
  'progress-notes': 'Progress notes',
  demographics: 'Demographics',
  'family-work': 'Couples and network therapy (trust discussions, witnessed doses)',
  'counselling-notes': 'SUD counseling notes',
};

/** A family member's relationship as a v3 RoleCode (PatientRelationshipType); "other" is text only. */
const RELATIONSHIP: Record<FamilyRelationship, { code?: string; display: string }> = {
  parent: { code: 'PRN', display: 'parent' },
  partner: { code: 'SIGOTHR', display: 'significant other' },
  spouse: { code: 'SPS', display: 'spouse' },
  child: { code: 'CHILD', display: 'child' },
  sibling: { code: 'SIB', display: 'sibling' },
  'other-relative': { code: 'FAMMEMB', display: 'family member' },
  friend: { code: 'FRND', display: 'unrelated friend' },
  other: { display: 'other' },
};

const TPO_DESIGNATION = 'The patient’s treating providers, health plans and third-party payers, and those who help operate the programme (general designation, 42 CFR 2.31(a)(4)(iv))';

export type ConsentForFhir = {
  row: ConsentRow;
  familyName: string | null;
  relationship: FamilyRelationship | null;
  facts: ExpiryFacts;
  now: Date;
  /** The origin the scan's URL is built on (e.g. https://waypoint.example.org). */
  origin: string;
};

/** The precise status: the core status, with an ended condition told apart from a date or end-of-treatment expiry. */
function statusReason(c: ConsentForFhir, status: ConsentStatus): string {
  if (status === 'expired' && c.row.endedAt && c.row.endedAt.getTime() <= c.now.getTime()) return 'ended';
  return status;
}

/** The instant the consent stopped (or, while active, will stop by its date): the earliest of revocation, replacement, end and expiry. */
function stopsAt(c: ConsentForFhir, until: Date | null): Date | null {
  const times = [c.row.revokedAt, c.row.supersededAt, c.row.endedAt, until].filter((d): d is Date => d !== null);
  return times.length === 0 ? null : new Date(Math.min(...times.map((d) => d.getTime())));
}

function actorOf(recipient: Recipient, patientId: string, relationship: FamilyRelationship | null): { reference: Record<string, unknown>; contained?: Resource } {
  if (recipient.kind === 'family-member') {
    const rel = relationship ? RELATIONSHIP[relationship] : null;
    const person: Resource = {
      resourceType: 'RelatedPerson',
      id: 'recipient',
      identifier: [{ system: `${WAYPOINT}/sid/family-member`, value: recipient.familyMemberId }],
      patient: { reference: `Patient/${patientId}` },
      ...(rel ? { relationship: [{ ...(rel.code ? { coding: [{ system: ROLE_CODE, code: rel.code, display: rel.display }] } : {}), text: rel.display }] } : {}),
      name: [{ text: recipient.name }],
    };
    return { reference: { reference: '#recipient', display: recipient.name }, contained: person };
  }
  if (recipient.kind === 'tpo-designation') return { reference: { display: TPO_DESIGNATION } };
  return { reference: { ...(recipient.kind === 'organization' ? { type: 'Organization' } : {}), display: recipient.name } };
}

export function consentResource(c: ConsentForFhir): Resource {
  const { row } = c;
  const terms = termsOf(row, c.familyName);
  const until = expiresAt(row, c.facts);
  const status = statusAt(stateOf(row, c.familyName), c.now, until);
  const end = stopsAt(c, until);
  const actor = actorOf(terms.recipient, row.patientId, c.relationship);
  const expiry: Array<Record<string, unknown>> = [{ url: 'kind', valueCode: terms.expiry.kind }];
  if (terms.expiry.kind === 'date') expiry.push({ url: 'date', valueDate: terms.expiry.on });
  if (terms.expiry.kind === 'condition') expiry.push({ url: 'condition', valueString: terms.expiry.text });
  const signedByRepresentative = row.signedAt && row.signerRole && row.signerRole !== 'patient';
  const types = fhirTypesCoveredBy(terms.dataClasses);
  const period: Record<string, string> = {};
  if (row.signedAt) period.start = row.signedAt.toISOString();
  if (end) period.end = end.toISOString();
  return {
    resourceType: 'Consent',
    id: row.id,
    meta: { lastUpdated: (end && end.getTime() <= c.now.getTime() ? end : (row.signedAt ?? row.createdAt)).toISOString(), security: SECURITY_LABELS.map((l) => ({ ...l })) },
    ...(actor.contained ? { contained: [actor.contained] } : {}),
    extension: [
      { url: CONSENT_STATUS_EXT, valueCode: statusReason(c, status) },
      { url: CONSENT_EXPIRY_EXT, extension: expiry },
    ],
    status: FHIR_STATUS[status],
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy', display: 'Privacy Consent' }] },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' }] }, { coding: [{ system: ACT_CODE, code: 'IDSCL', display: 'information disclosure' }] }],
    patient: { reference: `Patient/${row.patientId}` },
    dateTime: (row.signedAt ?? row.createdAt).toISOString(),
    performer: [signedByRepresentative ? { display: `${row.signerName} (${row.signerRole})` } : { reference: `Patient/${row.patientId}` }],
    organization: [{ display: terms.discloser }],
    ...(row.scanType
      ? {
          sourceAttachment: {
            contentType: row.scanType,
            url: `${c.origin}/api/v1/patients/${row.patientId}/consents/${row.id}/scan`,
            title: 'Consent signed on paper (scan)',
            ...(row.signedAt ? { creation: row.signedAt.toISOString() } : {}),
          },
        }
      : {}),
    policy: [{ uri: PART2_POLICY }],
    policyRule: { coding: [{ system: ACT_CODE, code: '42CFRPart2', display: '42 CFR Part2' }], text: '42 CFR Part 2' },
    provision: {
      type: 'permit',
      ...(Object.keys(period).length > 0 ? { period } : {}),
      actor: [{ role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP', display: 'information recipient' }] }, reference: actor.reference }],
      action: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentaction', code: 'disclose', display: 'Disclose' }] }],
      purpose: terms.purposes.map((p) => ({ system: ACT_REASON, ...PURPOSE_CODES[p] })),
      ...(types.length > 0 ? { class: types.map((t) => ({ system: 'http://hl7.org/fhir/resource-types', code: t })) } : {}),
      code: terms.dataClasses.map((d) => ({ coding: [{ system: DATA_CLASS_SYSTEM, code: d, display: DATA_CLASS_DISPLAY[d] }], text: DATA_CLASS_DISPLAY[d] })),
    },
  };
}

const select = { consent: consentColumns, familyName: familyMembers.displayName, relationship: familyLinks.relationship };
const from = (tx: Tx) =>
  tx
    .select(select)
    .from(consents)
    .leftJoin(familyMembers, and(eq(familyMembers.programId, consents.programId), eq(familyMembers.id, consents.familyMemberId)))
    .leftJoin(familyLinks, and(eq(familyLinks.programId, consents.programId), eq(familyLinks.familyMemberId, consents.familyMemberId), eq(familyLinks.patientId, consents.patientId)));
type Row = { consent: ConsentRow; familyName: string | null; relationship: FamilyRelationship | null };

async function resources(tx: Tx, ctx: Ctx, rows: Row[], origin: string): Promise<Resource[]> {
  const programId = programOf(ctx);
  const facts = new Map<string, ExpiryFacts>();
  for (const id of new Set(rows.map((r) => r.consent.patientId))) facts.set(id, await expiryFacts(tx, programId, id));
  return rows.map((r) => consentResource({ row: r.consent, familyName: r.familyName, relationship: r.relationship, facts: facts.get(r.consent.patientId)!, now: ctx.now, origin }));
}

export async function readConsent(deps: Deps, id: string, origin: string): Promise<Resource> {
  const { tx, ctx } = deps;
  if (!UUID.test(id)) throw notFound('Consent', id);
  const rows = await from(tx).where(and(eq(consents.programId, programOf(ctx)), eq(consents.id, id)));
  if (rows.length === 0) throw notFound('Consent', id);
  await auditRead(deps, 'consent', id, rows[0]!.consent.patientId);
  return (await resources(tx, ctx, rows, origin))[0]!;
}

/** Search by patient (and _id); newest written first, keyset paging. */
export async function searchConsents(deps: Deps, q: Query, origin: string): Promise<SearchResult> {
  const { tx, ctx } = deps;
  const conds: SQL[] = [eq(consents.programId, programOf(ctx))];
  const patientId = patientOf(q);
  if (patientId) conds.push(eq(consents.patientId, patientId));
  const ids = idsOf(q);
  if (ids) conds.push(inArray(consents.id, ids));
  const count = countOf(q);
  const total = await totalOf(q, () =>
    tx
      .select({ n: countAll })
      .from(consents)
      .where(and(...conds)),
  );
  const after = cursorOf(q);
  if (after?.at) conds.push(or(lt(consents.createdAt, new Date(after.at)), and(eq(consents.createdAt, new Date(after.at)), lt(consents.id, after.id)))!);
  const rows =
    count === 0
      ? []
      : await from(tx)
          .where(and(...conds))
          .orderBy(desc(consents.createdAt), desc(consents.id))
          .limit(count + 1);
  const page = rows.slice(0, count);
  const last = page[page.length - 1];
  await auditSearch(deps, 'consent', patientId, page.length, total);
  return {
    resources: await resources(tx, ctx, page, origin),
    next: rows.length > count && last ? encode({ at: last.consent.createdAt.toISOString(), id: last.consent.id }) : null,
    ...(total === undefined ? {} : { total }),
  };
}
