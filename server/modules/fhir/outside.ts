// An application outside the programme reading the FHIR API (issue 16, ADR 008, ADR 021): an
// API token with the fhir:read scope, which names the organisation it acts for. Every read or
// search it makes is a disclosure of Part 2 records to that organisation: for each patient whose
// data the answer holds, `disclose` checks a consent in effect that covers the organisation,
// treatment and the resource type's kinds of information (core/consent/fhir-classes.ts), and
// records it, in the request's transaction; a patient not covered is a 403. Staff sessions are
// use within the programme: nothing here applies to them.
import { and, eq } from 'drizzle-orm';
import { fhirDataClassesOf } from '../../../core/consent/fhir-classes.ts';
import { REDISCLOSURE_NOTICE } from '../../../core/consent/notices.ts';
import type { Tx } from '../../platform/db/database.ts';
import { programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError } from '../../platform/errors.ts';
import { integrationTokens } from '../cm/cm.tables.ts';
import { disclose } from '../consent/disclosures.ts';
import { NONE, patientOf, type Query, type SearchResult } from './fhir.ts';
import type { Resource } from './resources.ts';

type Deps = { tx: Tx; ctx: Ctx };

/** The obligation each disclosed resource carries: no redisclosure without the patient's consent (v3-ActCode ObligationPolicy). */
export const NO_REDISCLOSURE = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'NORDSCLCD', display: 'no redisclosure without consent directive' } as const;

/** Whether the caller is an API token (a session never carries scopes): on the FHIR API, always an outside organisation's application. */
export const isOutsideClient = (ctx: Ctx): boolean => ctx.program?.scopes !== undefined;

/** The organisation the token acts for (integration_tokens.recipient_organization, required with fhir:read). */
async function recipientOf(deps: Deps): Promise<string> {
  const { tx, ctx } = deps;
  const [row] = await tx
    .select({ name: integrationTokens.recipientOrganization })
    .from(integrationTokens)
    .where(and(eq(integrationTokens.programId, programOf(ctx)), eq(integrationTokens.userId, ctx.principal?.userId ?? NONE)));
  if (!row?.name) throw new AppError({ code: 'insufficient_scope', status: 403, message: 'This API token names no outside organisation, so it cannot read the FHIR API.' });
  return row.name;
}

const PATIENT_REF = /^Patient\/([^/]+)$/;

/** The patients whose data a resource holds: the Patient itself, the subject or patient, or an Appointment's patient participants. */
export function patientsIn(r: Resource): string[] {
  const out = new Set<string>();
  const add = (ref: unknown) => {
    const m = typeof ref === 'string' ? PATIENT_REF.exec(ref) : null;
    if (m) out.add(m[1]!);
  };
  if (r.resourceType === 'Patient' && r.id) out.add(r.id);
  add((r.subject as { reference?: string } | undefined)?.reference);
  add((r.patient as { reference?: string } | undefined)?.reference);
  for (const p of (r.participant as Array<{ actor?: { reference?: string } }> | undefined) ?? []) add(p.actor?.reference);
  return [...out];
}

/** The resource as it leaves: with the no-redisclosure obligation among its security labels. */
function labelled(r: Resource): Resource {
  const meta = (r.meta ?? {}) as { security?: Array<Record<string, unknown>> };
  return { ...r, meta: { ...meta, security: [...(meta.security ?? []), { ...NO_REDISCLOSURE }] } };
}

/** An Appointment as one patient's: the other patients booked on a group visit are theirs, not this patient's, and are left out. */
function onlyPatient(r: Resource, patientId: string): Resource {
  if (r.resourceType !== 'Appointment') return r;
  const participant = (r.participant as Array<{ actor?: { reference?: string } }>).filter((p) => {
    const m = PATIENT_REF.exec(p.actor?.reference ?? '');
    return !m || m[1] === patientId;
  });
  return { ...r, participant };
}

function classesOf(type: string) {
  const classes = fhirDataClassesOf(type);
  if (!classes) throw new AppError({ code: 'insufficient_scope', status: 403, message: `${type} is not for API tokens; it is for signed-in staff.` });
  return classes;
}

async function discloseTo(deps: Deps, recipient: string, patientId: string, type: string) {
  const dataClasses = classesOf(type);
  if (dataClasses.length === 0) return;
  await disclose(deps.tx, deps.ctx, {
    programId: programOf(deps.ctx),
    patientId,
    channel: 'fhir-api',
    recipient: { kind: 'organization', name: recipient },
    purpose: 'treatment',
    dataClasses,
    actorKind: 'api-client',
  });
}

/** A read by an outside client: each patient in the resource must have consented; each is a recorded disclosure. */
export async function outsideRead(deps: Deps, type: string, resource: Resource): Promise<Resource> {
  if (classesOf(type).length === 0) return labelled(resource);
  const recipient = await recipientOf(deps);
  for (const patientId of patientsIn(resource)) await discloseTo(deps, recipient, patientId, type);
  return labelled(resource);
}

/**
 * A search by an outside client: one patient at a time (`patient=`, or `subject=`), whose consent
 * is checked and the disclosure recorded before anything about them is looked up (that the search
 * finds nothing says something too); the answer holds only that patient's data.
 */
export async function outsideSearch(deps: Deps, type: string, query: Query, search: (q: Query) => Promise<SearchResult>): Promise<SearchResult> {
  if (classesOf(type).length === 0) {
    const result = await search(query);
    return { ...result, resources: result.resources.map(labelled) };
  }
  const patientId = patientOf(query);
  if (!patientId || patientId === NONE)
    throw new AppError({
      code: 'patient_required',
      status: 400,
      message: `An API token searches ${type} for one patient at a time: give patient=Patient/<id> once.`,
      problems: [{ field: 'query.patient', message: 'is required: one patient id' }],
    });
  await discloseTo(deps, await recipientOf(deps), patientId, type);
  const result = await search(query);
  return { ...result, resources: result.resources.map((r) => labelled(onlyPatient(r, patientId))) };
}

/** The notice against redisclosure (§2.32) that goes with every answer to an outside client, as a search's outcome entry. */
export function redisclosureOutcome(): Resource {
  const notice = REDISCLOSURE_NOTICE.en;
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'information', code: 'informational', details: { text: notice.statement }, diagnostics: `${notice.statement} ${notice.plain}` }],
  };
}
