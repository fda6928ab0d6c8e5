// Peer outreach after overdose over HTTP (issue 15, docs/peers.md, ADR 049): referrals, the
// peer work list, contact attempts, outcomes, assignment and closing (read/write:peer-outreach),
// and the supervisors' escalations and schedule settings (manage:peer-outreach).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { IdParams, Ok } from '../../../contracts/common.ts';
import {
  AssignBody,
  AttemptCreate,
  CloseBody,
  EscalationPage,
  EscalationQuery,
  OutcomeCreate,
  ReferralCreate,
  ReferralDetail,
  ReferralPage,
  ReferralQuery,
  Settings,
} from '../../../contracts/peers.ts';
import type { CloseReason } from '../../../core/peers/outreach.ts';
import type { Db } from '../../platform/db/database.ts';
import { runIdempotent, runInTx } from '../../platform/http/tx.ts';
import { acknowledgeEscalation, assignReferral, closeReferral, createReferral, getReferral, getSettings, listEscalations, logAttempt, putSettings, recordOutcome, workList } from './outreach.ts';

/** Staff (/api/v1). */
export function peersRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['peer-outreach'];

  r.get(
    '/peer-outreach/referrals',
    {
      config: { permission: 'read:peer-outreach' },
      schema: { tags, summary: 'The peer work list: whom to contact, by when, what happened last time (overdue and due first)', querystring: ReferralQuery, response: { 200: ReferralPage } },
    },
    async (req) => runInTx(db, req, (d) => workList(d, req.query)),
  );
  r.post(
    '/peer-outreach/referrals',
    {
      config: { permission: 'write:peer-outreach', idempotent: true },
      schema: { tags, summary: 'A referral after an overdose: a patient, or a community member by a name and a phone', errors: [404], body: ReferralCreate, response: { 200: ReferralDetail } },
    },
    async (req) => (await runIdempotent(db, req, (d) => createReferral(d, req.body))).body,
  );
  r.get(
    '/peer-outreach/referrals/:id',
    {
      config: { permission: 'read:peer-outreach' },
      schema: { tags, summary: 'A referral: its contact schedule, attempts, outcomes and escalations', errors: [404], params: IdParams, response: { 200: ReferralDetail } },
    },
    async (req) => runInTx(db, req, (d) => getReferral(d, req.params.id)),
  );
  r.post(
    '/peer-outreach/referrals/:id/attempts',
    {
      config: { permission: 'write:peer-outreach', idempotent: true },
      schema: {
        tags,
        summary: 'Log a contact attempt and its outcome (corrects: replace an earlier attempt)',
        errors: [404, 409],
        params: IdParams,
        body: AttemptCreate,
        response: { 200: ReferralDetail },
      },
    },
    async (req) => (await runIdempotent(db, req, (d) => logAttempt(d, req.params.id, req.body))).body,
  );
  r.post(
    '/peer-outreach/referrals/:id/outcomes',
    {
      config: { permission: 'write:peer-outreach' },
      schema: {
        tags,
        summary: 'Record an outcome (MOUD started, entered treatment, naloxone received, repeat overdose) with its date',
        errors: [404, 409],
        params: IdParams,
        body: OutcomeCreate,
        response: { 200: ReferralDetail },
      },
    },
    async (req) => runInTx(db, req, (d) => recordOutcome(d, req.params.id, req.body)),
  );
  r.post(
    '/peer-outreach/referrals/:id/assign',
    {
      config: { permission: 'write:peer-outreach' },
      schema: {
        tags,
        summary: 'Assign or reassign (a supervisor), or take an unassigned referral (yourself)',
        errors: [404, 409],
        params: IdParams,
        body: AssignBody,
        response: { 200: ReferralDetail },
      },
    },
    async (req) => runInTx(db, req, (d) => assignReferral(d, req.params.id, req.body.userId)),
  );
  r.post(
    '/peer-outreach/referrals/:id/close',
    {
      config: { permission: 'write:peer-outreach' },
      schema: { tags, summary: 'Close a referral (opted out, moved, deceased, ...)', errors: [404, 409], params: IdParams, body: CloseBody, response: { 200: ReferralDetail } },
    },
    async (req) => runInTx(db, req, (d) => closeReferral(d, req.params.id, req.body.reason as CloseReason)),
  );
  r.get(
    '/peer-outreach/escalations',
    {
      config: { permission: 'manage:peer-outreach' },
      schema: { tags, summary: 'Overdue and missed contacts not yet acknowledged (the supervisors’ list)', querystring: EscalationQuery, response: { 200: EscalationPage } },
    },
    async (req) => runInTx(db, req, (d) => listEscalations(d, req.query)),
  );
  r.post(
    '/peer-outreach/escalations/:id/acknowledge',
    {
      config: { permission: 'manage:peer-outreach' },
      schema: { tags, summary: 'Acknowledge an escalation', errors: [404, 409], params: IdParams, response: { 200: Ok } },
    },
    async (req) => runInTx(db, req, (d) => acknowledgeEscalation(d, req.params.id)),
  );
  r.get(
    '/peer-outreach/settings',
    {
      config: { permission: 'read:peer-outreach' },
      schema: { tags, summary: 'The outreach schedule: first-contact deadline, follow-up days, retry rules', response: { 200: Settings } },
    },
    async (req) => runInTx(db, req, (d) => getSettings(d)),
  );
  r.put(
    '/peer-outreach/settings',
    {
      config: { permission: 'manage:peer-outreach' },
      schema: { tags, summary: 'Change the outreach schedule (new referrals follow it; existing ones keep theirs)', errors: [400], body: Settings, response: { 200: Settings } },
    },
    async (req) => runInTx(db, req, (d) => putSettings(d, req.body)),
  );
}
