// 42 CFR Part 2 consent, disclosures, the accounting and family members over HTTP (issue 16,
// docs/consent.md): staff (/api/v1) and the family part of the app (/api/patient/family, auth
// 'family': a family member's own app session).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { DATA_CLASSES } from '../../../core/consent/consent.ts';
import { DATA_CLASS_LABELS, TEMPLATES } from '../../../core/consent/templates.ts';
import {
  Accounting,
  ConsentCreate,
  ConsentEnd,
  ConsentList,
  ConsentRevoke,
  ConsentSign,
  ConsentTemplates,
  ConsentView,
  Disclosure,
  DisclosureCreate,
  DisclosureResult,
  FamilyList,
  FamilyMe,
  FamilyMemberCreate,
  NoticeRecord,
  NoticeStatus,
  SharedCard,
  SharedList,
} from '../../../contracts/consent.ts';
import { Id, PatientParams } from '../../../contracts/common.ts';
import { PatientAppAccess, PatientInviteIssued } from '../../../contracts/patient-app.ts';
import type { Db } from '../../platform/db/database.ts';
import { familyOf, patientOf } from '../../platform/http/context.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { consentScan, createConsent, endConsent, getConsent, listConsents, noticeStatus, recordNotice, revokeConsent } from './consents.ts';
import { myAccounting, myConsents, revokeMyConsent, signMyConsent } from './patient-consents.ts';
import { accounting, accountingCsv, exceptionDisclosures, makeDisclosure } from './disclosures.ts';
import { addFamilyMember, familyMe, familyMemberAppAccess, inviteFamilyMember, listFamily, revokeFamilyMemberDevice, sharedByPatient, sharedWithMe } from './family.ts';

const ConsentParams = z.strictObject({ patientId: Id, id: Id });
const FamilyParams = z.strictObject({ patientId: Id, familyMemberId: Id });
const FamilyDeviceParams = z.strictObject({ patientId: Id, familyMemberId: Id, id: Id });

/** Staff (/api/v1). */
export function consentRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['consent'];

  r.get(
    '/consent-templates',
    {
      config: { permission: 'read:consent' },
      schema: { tags, summary: 'The consent templates (English and Spanish) and the kinds of information a consent may name', response: { 200: ConsentTemplates } },
    },
    async () => ({ items: TEMPLATES.map((t) => ({ ...t })), dataClasses: DATA_CLASSES.map((key) => ({ key, ...DATA_CLASS_LABELS[key] })) }),
  );
  r.get(
    '/patients/:patientId/consents',
    { config: { permission: 'read:consent' }, schema: { tags, summary: 'The patient’s consents, every version, with their status now', params: PatientParams, response: { 200: ConsentList } } },
    async (req) => runInTx(db, req, (d) => listConsents(d, req.params.patientId)),
  );
  r.post(
    '/patients/:patientId/consents',
    {
      config: { permission: 'write:consent' },
      schema: {
        tags,
        summary: 'Write a consent from a template (every §2.31 element checked); signed at once when the paper scan comes with it, else awaiting the patient’s signature',
        errors: [404, 409],
        params: PatientParams,
        body: ConsentCreate,
        response: { 200: ConsentView },
      },
    },
    async (req) => runInTx(db, req, (d) => createConsent(d, req.params.patientId, req.body)),
  );
  r.get(
    '/patients/:patientId/consents/:id',
    { config: { permission: 'read:consent' }, schema: { tags, summary: 'A consent as the patient reads it, with its status', errors: [404], params: ConsentParams, response: { 200: ConsentView } } },
    async (req) => runInTx(db, req, (d) => getConsent(d, req.params.patientId, req.params.id)),
  );
  r.get(
    '/patients/:patientId/consents/:id/scan',
    {
      config: { permission: 'read:consent' },
      schema: { tags, summary: 'The scan of a consent signed on paper (PDF or image)', errors: [404], params: ConsentParams, produces: ['application/pdf', 'image/png', 'image/jpeg'] },
    },
    async (req, reply) => {
      const scan = await runInTx(db, req, (d) => consentScan(d, req.params.patientId, req.params.id));
      return reply.type(scan.contentType).header('content-disposition', 'inline; filename="consent"').header('cache-control', 'no-store').send(scan.bytes);
    },
  );
  r.post(
    '/patients/:patientId/consents/:id/revoke',
    {
      config: { permission: 'write:consent' },
      schema: {
        tags,
        summary: 'The patient revokes the consent (told staff, in writing or orally): effective at once for every later disclosure; kept on record',
        errors: [404, 409],
        params: ConsentParams,
        body: ConsentRevoke,
        response: { 200: ConsentView },
      },
    },
    async (req) => runInTx(db, req, (d) => revokeConsent(d, req.params.patientId, req.params.id, req.body, 'staff')),
  );
  r.post(
    '/patients/:patientId/consents/:id/end',
    {
      config: { permission: 'write:consent' },
      schema: {
        tags,
        summary: 'Record that the consent’s expiry event or condition was met: it ends now',
        errors: [404, 409],
        params: ConsentParams,
        body: ConsentEnd,
        response: { 200: ConsentView },
      },
    },
    async (req) => runInTx(db, req, (d) => endConsent(d, req.params.patientId, req.params.id, req.body)),
  );

  r.get(
    '/patients/:patientId/notice',
    {
      config: { permission: 'read:consent' },
      schema: { tags, summary: 'The patient notice (§2.22) and whether this patient acknowledged its current version', params: PatientParams, response: { 200: NoticeStatus } },
    },
    async (req) => runInTx(db, req, (d) => noticeStatus(d, req.params.patientId)),
  );
  r.post(
    '/patients/:patientId/notice',
    {
      config: { permission: 'write:consent' },
      schema: { tags, summary: 'Record that the patient was given the notice and acknowledged it (once per version)', params: PatientParams, body: NoticeRecord, response: { 200: NoticeStatus } },
    },
    async (req) => runInTx(db, req, (d) => recordNotice(d, req.params.patientId, req.body)),
  );

  r.post(
    '/patients/:patientId/disclosures',
    {
      config: { permission: 'write:disclosure' },
      schema: {
        tags,
        summary:
          'Print or export records for someone outside the programme: checked against the consents in effect (403 consent_required) or made under the medical-emergency exception with a reason; recorded, with the notice against redisclosure and the consent attached',
        errors: [403, 404],
        params: PatientParams,
        body: DisclosureCreate,
        response: { 200: DisclosureResult },
      },
    },
    async (req) => runInTx(db, req, (d) => makeDisclosure(d, req.params.patientId, req.body)),
  );
  r.get(
    '/patients/:patientId/disclosures',
    { config: { permission: 'read:consent' }, schema: { tags, summary: 'The accounting of disclosures: the last 3 years, newest first', params: PatientParams, response: { 200: Accounting } } },
    async (req) => runInTx(db, req, (d) => accounting(d, req.params.patientId)),
  );
  r.get(
    '/patients/:patientId/disclosures.csv',
    { config: { permission: 'read:consent' }, schema: { tags, summary: 'The accounting of disclosures as CSV', params: PatientParams, produces: ['text/csv'] } },
    async (req, reply) => {
      const a = await runInTx(db, req, (d) => accounting(d, req.params.patientId));
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="disclosures.csv"').header('cache-control', 'no-store').send(accountingCsv(a));
    },
  );
  r.get(
    '/disclosures/exceptions',
    {
      config: { permission: 'read:audit' },
      schema: {
        tags,
        summary: 'The programme’s disclosures made without consent under an exception (medical emergency first), for review (the newest 200)',
        response: { 200: z.object({ items: z.array(Disclosure.extend({ patientId: Id, patientName: z.string(), mrn: z.string() })), bounded: z.literal(true) }) },
      },
    },
    async (req) => runInTx(db, req, (d) => exceptionDisclosures(d)),
  );

  r.get(
    '/patients/:patientId/family',
    {
      config: { permission: 'read:family' },
      schema: { tags, summary: 'Family members and friends linked to the patient, and what a consent lets each see now', params: PatientParams, response: { 200: FamilyList } },
    },
    async (req) => runInTx(db, req, (d) => listFamily(d, req.params.patientId)),
  );
  r.post(
    '/patients/:patientId/family',
    {
      config: { permission: 'write:family' },
      schema: {
        tags,
        summary: 'Add a family member or friend and link them to the patient (a link alone shares nothing)',
        params: PatientParams,
        body: FamilyMemberCreate,
        response: { 200: FamilyList },
      },
    },
    async (req) => runInTx(db, req, (d) => addFamilyMember(d, req.params.patientId, req.body)),
  );
  r.post(
    '/patients/:patientId/family/:familyMemberId/invite',
    {
      config: { permission: 'write:family' },
      schema: {
        tags,
        summary: 'An app invite for the family member: a single-use code (7 days) for their own phone; the open one is revoked',
        errors: [404],
        params: FamilyParams,
        response: { 200: PatientInviteIssued },
      },
    },
    async (req) => runInTx(db, req, (d) => inviteFamilyMember(d, req.params.patientId, req.params.familyMemberId)),
  );
  r.get(
    '/patients/:patientId/family/:familyMemberId/app',
    { config: { permission: 'read:family' }, schema: { tags, summary: 'The family member’s app invite and phones', errors: [404], params: FamilyParams, response: { 200: PatientAppAccess } } },
    async (req) => runInTx(db, req, (d) => familyMemberAppAccess(d, req.params.patientId, req.params.familyMemberId)),
  );
  r.post(
    '/patients/:patientId/family/:familyMemberId/devices/:id/revoke',
    {
      config: { permission: 'write:family' },
      schema: { tags, summary: 'Revoke a family member’s phone: its sessions end at once', errors: [404], params: FamilyDeviceParams, response: { 200: PatientAppAccess } },
    },
    async (req) => runInTx(db, req, (d) => revokeFamilyMemberDevice(d, req.params.patientId, req.params.familyMemberId, req.params.id)),
  );
}

/** The family part of the app (/api/patient/family): a family member's own session. */
export function familyAppRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['family app'];
  r.get('/family/me', { config: { auth: 'family' }, schema: { tags, summary: 'The signed-in family member’s name, language and the idle lock', response: { 200: FamilyMe } } }, async (req) =>
    runInTx(db, req, (d) => familyMe(d, familyOf(req.ctx))),
  );
  r.get(
    '/family/shared',
    {
      config: { auth: 'family' },
      schema: {
        tags,
        summary: 'What each linked patient shares with me now (only what a consent in effect allows, with the notice); each card is a recorded disclosure',
        response: { 200: SharedList },
      },
    },
    async (req) => runInTx(db, req, (d) => sharedWithMe(d, familyOf(req.ctx))),
  );
  r.get(
    '/family/shared/:patientId',
    {
      config: { auth: 'family' },
      schema: { tags, summary: 'One person’s card; 403 consent_required once no consent in effect covers me', errors: [403, 404], params: PatientParams, response: { 200: SharedCard } },
    },
    async (req) => runInTx(db, req, (d) => sharedByPatient(d, familyOf(req.ctx), req.params.patientId)),
  );
}

/** The patient's own consents and accounting in the app (/api/patient; auth 'patient'). */
export function consentPatientRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['patient app'];
  const Params = z.strictObject({ id: Id });
  r.get('/consents', { config: { auth: 'patient' }, schema: { tags, summary: 'My consents: what I agreed to share, with whom, and their status', response: { 200: ConsentList } } }, async (req) =>
    runInTx(db, req, (d) => myConsents(d, patientOf(req.ctx))),
  );
  r.post(
    '/consents/:id/sign',
    {
      config: { auth: 'patient' },
      schema: { tags, summary: 'Sign a consent the clinic wrote for me (my typed name and that I agree)', errors: [404, 409], params: Params, body: ConsentSign, response: { 200: ConsentView } },
    },
    async (req) => runInTx(db, req, (d) => signMyConsent(d, patientOf(req.ctx), req.params.id, req.body)),
  );
  r.post(
    '/consents/:id/revoke',
    { config: { auth: 'patient' }, schema: { tags, summary: 'Take back (revoke) a consent: sharing stops at once', errors: [404, 409], params: Params, response: { 200: ConsentView } } },
    async (req) => runInTx(db, req, (d) => revokeMyConsent(d, patientOf(req.ctx), req.params.id)),
  );
  r.get(
    '/disclosures',
    { config: { auth: 'patient' }, schema: { tags, summary: 'Who my records were shared with in the last 3 years (the accounting of disclosures)', response: { 200: Accounting } } },
    async (req) => runInTx(db, req, (d) => myAccounting(d, patientOf(req.ctx))),
  );
}
