// Peer outreach after overdose over HTTP (issue 15, docs/peers.md): referrals, their contact
// schedule and attempts, outcomes, assignment to a peer specialist, the work list, escalations
// of overdue contacts to supervisors, and the programme's schedule settings.
import { z } from 'zod';
import { ATTEMPT_OUTCOMES, CLOSE_REASONS, CONTACT_METHODS, REFERRAL_OUTCOMES, REFERRAL_SOURCES } from '../core/peers/outreach.ts';
import { Id, IsoDate, IsoDateTime, PageQuery, pageOf } from './common.ts';

const DateTime = z.iso.datetime({ offset: true, message: 'must be an RFC 3339 date-time with offset, e.g. 2026-03-02T09:30:00-05:00' });
const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ().-]{7,25}$/, { message: 'must be a phone number (digits, spaces, + ( ) . -)' });

export const ReferralCreate = z.strictObject({
  /** The programme's patient, when the person is one (their name then comes from the chart). */
  patientId: Id.optional(),
  /** The name the person goes by; required for someone who is not a patient. */
  contactName: z.string().trim().min(1).max(120).optional(),
  contactPhone: Phone.optional(),
  source: z.enum(REFERRAL_SOURCES),
  /** When the referral was made (default: now); not in the future. */
  referredAt: DateTime.optional(),
  consent: z.boolean(),
  contactMethod: z.enum(CONTACT_METHODS).optional(),
  /** Take it on my caseload (a peer specialist creating their own referral). */
  assignToMe: z.boolean().optional(),
});

export const AttemptCreate = z.strictObject({
  at: DateTime.optional(),
  method: z.enum(CONTACT_METHODS),
  outcome: z.enum(ATTEMPT_OUTCOMES),
  note: z.string().trim().max(500).optional(),
  /** An attempt this one corrects (replaces). */
  corrects: Id.optional(),
});
export const OutcomeCreate = z.strictObject({ kind: z.enum(REFERRAL_OUTCOMES), occurredOn: IsoDate });
export const AssignBody = z.strictObject({ userId: Id.nullable() });
export const CloseBody = z.strictObject({ reason: z.enum(CLOSE_REASONS.filter((r) => r !== 'no-consent') as [string, ...string[]]) });

export const Settings = z.strictObject({
  firstContactHours: z.number().int().min(1).max(168),
  followUpDays: z.array(z.number().int().min(1).max(365)).max(20),
  followUpsFrom: z.enum(['first-contact', 'referral']),
  retryHours: z.number().int().min(1).max(72),
  maxTries: z.number().int().min(1).max(10),
});

const ContactDto = z.object({
  index: z.number().int(),
  kind: z.enum(['first', 'follow-up']),
  day: z.number().int().nullable(),
  dueAt: IsoDateTime.nullable(),
  retryBy: IsoDateTime.nullable(),
  overdueSince: IsoDateTime.nullable(),
  tries: z.number().int(),
  state: z.enum(['upcoming', 'due', 'overdue', 'done', 'missed', 'cancelled']),
  resolvedAt: IsoDateTime.nullable(),
});
const LastAttempt = z.object({ at: IsoDateTime, method: z.enum(CONTACT_METHODS), outcome: z.enum(ATTEMPT_OUTCOMES) });

export const ReferralSummary = z.object({
  id: Id,
  patientId: Id.nullable(),
  name: z.string(),
  source: z.enum(REFERRAL_SOURCES),
  referredAt: IsoDateTime,
  contactMethod: z.enum(CONTACT_METHODS).nullable(),
  assignedTo: Id.nullable(),
  assignedToName: z.string().nullable(),
  status: z.enum(['open', 'closed']),
  closedReason: z.enum(CLOSE_REASONS).nullable(),
  /** The contact to make now, if any. */
  next: ContactDto.nullable(),
  lastAttempt: LastAttempt.nullable(),
  /** Escalations not yet acknowledged. */
  escalated: z.boolean(),
  /** The kinds of outcome recorded (MOUD started, entered treatment, ...), each once, in the order of REFERRAL_OUTCOMES. */
  outcomeKinds: z.array(z.enum(REFERRAL_OUTCOMES)),
});
export const ReferralPage = pageOf(ReferralSummary);
export const ReferralQuery = z.strictObject({
  /** today: due by the end of today or overdue; overdue; escalated; open (default); closed; all (open and closed). */
  view: z.enum(['today', 'overdue', 'escalated', 'open', 'closed', 'all']).default('open'),
  mine: z.enum(['true', 'false']).optional(),
  /** Only this patient's referrals (the patient page's card). */
  patientId: Id.optional(),
  ...PageQuery,
});

export const Attempt = z.object({
  id: Id,
  at: IsoDateTime,
  method: z.enum(CONTACT_METHODS),
  outcome: z.enum(ATTEMPT_OUTCOMES),
  note: z.string().nullable(),
  corrects: Id.nullable(),
  /** A later attempt replaced this one. */
  corrected: z.boolean(),
  /** The contact it counted for (null: replaced, or after the referral closed). */
  contactIndex: z.number().int().nullable(),
  recordedByName: z.string().nullable(),
});
export const Outcome = z.object({ id: Id, kind: z.enum(REFERRAL_OUTCOMES), occurredOn: IsoDate, recordedByName: z.string().nullable(), recordedAt: IsoDateTime });
export const Escalation = z.object({
  id: Id,
  referralId: Id,
  name: z.string(),
  contactIndex: z.number().int(),
  reason: z.enum(['overdue', 'missed']),
  since: IsoDateTime,
  escalatedAt: IsoDateTime,
  assignedToName: z.string().nullable(),
  acknowledgedAt: IsoDateTime.nullable(),
});
export const EscalationPage = pageOf(Escalation);
export const EscalationQuery = z.strictObject({ ...PageQuery });

export const ReferralDetail = ReferralSummary.extend({
  contactPhone: z.string().nullable(),
  consent: z.boolean(),
  closedAt: IsoDateTime.nullable(),
  schedule: Settings,
  contacts: z.array(ContactDto),
  attempts: z.array(Attempt),
  outcomes: z.array(Outcome),
  escalations: z.array(Escalation),
});
