import { z } from 'zod';
import { AUDIT_ENTITY_GROUPS } from '../core/audit/entities.ts';
import { Id, IsoDate, PageQuery } from './common.ts';

export const AuditQuery = z.strictObject({
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  actorId: Id.optional(),
  patientId: Id.optional(),
  action: z.string().max(40).optional(),
  entity: z.string().max(40).optional(),
  /** Every record kind of one group (core/audit/entities.ts), e.g. all of contingency management. */
  group: z.enum(AUDIT_ENTITY_GROUPS).optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  ...PageQuery,
});

export const AuditEvent = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: Id.nullable(),
  actorName: z.string().nullable(),
  actorRole: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  patientId: Id.nullable(),
  outcome: z.string(),
  purpose: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
  /** Identifiers, counts and field names only; never values about a patient. */
  detail: z.record(z.string(), z.unknown()).nullable(),
  sealed: z.boolean(),
});

/** An auditor finds a patient by name or MRN to filter the trail by (a POST: names never appear in URLs). */
export const AuditPatientSearch = z.strictObject({
  q: z.string().trim().min(2, 'Type at least two characters of a name or MRN.').max(100),
});

export const AuditPatientMatch = z.object({
  id: Id,
  mrn: z.string(),
  /** The name the patient goes by (preferred, else legal given name) and the legal family name. */
  displayName: z.string(),
  birthDate: z.string(),
});

export const AuditPatientMatches = z.object({
  items: z.array(AuditPatientMatch),
  /** More patients matched than are shown: the auditor should type more of the name. */
  more: z.boolean(),
});
