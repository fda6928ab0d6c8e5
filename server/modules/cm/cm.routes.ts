// Contingency-management routes. Stable integration path (API token or session):
// GET /patients/{patientId}/ledger. Specimens are recorded through the screens routes.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { IdParams, PatientParams, pageOf } from '../../../contracts/common.ts';
import {
  AdjudicationCreate,
  AdjudicationQueueItem,
  Award,
  CapStatus,
  CmPageQuery,
  CatalogueItem,
  CatalogueItemCreate,
  CatalogueItemUpdate,
  CheckInCreate,
  CheckInRecorded,
  CmSettings,
  CmSettingsUpdate,
  DayQuery,
  DrawList,
  Enrolment,
  EnrolmentCreate,
  EnrolmentStatusChange,
  FundingSource,
  FundingSourceCreate,
  Ledger,
  LedgerVoidCreate,
  LedgerVoided,
  PatientCmSummary,
  PresetSummary,
  PrivilegeDecisionCreate,
  PrivilegeRecommendation,
  PrivilegeRecommendationQuery,
  ProgrammeCmSummary,
  Protocol,
  ProtocolCreate,
  ProtocolPreview,
  ProtocolPreviewRequest,
  PublicSeedList,
  PublicVerification,
  QueueItem,
  Redemption,
  RedemptionCreate,
  RedemptionDecision,
  RedemptionRequest,
  OpenRedemptionRequest,
  RedemptionRequestDecline,
  RedemptionListItem,
  RedemptionListQuery,
  RevealRequest,
  SeedInfo,
  StockMovementCreate,
  Token,
  TokenCreate,
  TokenCreated,
} from '../../../contracts/cm.ts';
import type { Db } from '../../platform/db/database.ts';
import { runIdempotent, runInTx } from '../../platform/http/tx.ts';
import { changeEnrolmentStatus, createFundingSource, enrol, getEnrolment, listEnrolments, listFundingSources, readSettings, updateSettings } from './enrolments.ts';
import { createProtocol, getProtocol, listPresets, listProtocols, previewProtocol } from './protocols.ts';
import { adjudicateSpecimen, checkIn } from './specimens.ts';
import { adjudicationQueue } from './specimen-reads.ts';
import { listDraws, listSeeds, patientCaps, patientLedger, publicSeedsOf, revealDraws, rotateSeed, verifyCommitment } from './ledger.ts';
import { voidLedgerEntry } from './ledger-void.ts';
import { closeRequest, listOpenRequests, listPatientRequests } from './redemption-requests.ts';
import { createItem, decideRedemption, listItems, listProgrammeRedemptions, listRedemptions, moveStock, redeem, updateItem } from './redemption.ts';
import { dayList, decidePrivilege, listPrivilegeRecommendations, patientSummary, programmeSummary } from './summaries.ts';
import { createToken, listTokens, revokeToken } from './tokens.ts';

const ProtocolWithPreview = Protocol.extend({ preview: ProtocolPreview.nullable() });
const items = <T extends z.ZodType>(t: T) => z.object({ items: z.array(t) });

export function cmRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['contingency management'];
  const integration = ['contingency management', 'integration'];

  // ---- protocol library ----
  r.get('/cm/presets', { config: { permission: 'read:cm' }, schema: { tags, summary: 'Protocol presets with citations and cost', response: { 200: items(PresetSummary) } } }, async () => ({
    items: listPresets(),
  }));
  r.post(
    '/cm/protocols/preview',
    {
      config: { permission: 'read:cm' },
      schema: {
        tags,
        summary: 'Designer preview: value by consecutive success, draw EV, max and expected cost (400 lists every problem)',
        body: ProtocolPreviewRequest,
        response: { 200: ProtocolPreview },
      },
    },
    async (req) => previewProtocol(req.body.document, req.body.schedule),
  );
  r.get(
    '/cm/protocols',
    {
      config: { permission: 'read:cm' },
      schema: { tags, summary: 'The programme’s protocol library (every version; by key, newest version first; paginated)', querystring: CmPageQuery, response: { 200: pageOf(Protocol) } },
    },
    async (req) => runInTx(db, req, (d) => listProtocols(d, req.query)),
  );
  r.post(
    '/cm/protocols',
    {
      config: { permission: 'write:cm-protocol', idempotent: true },
      schema: { tags, summary: 'Add a protocol version (a document, or a preset); 400 invalid_protocol with every problem’s path', body: ProtocolCreate, response: { 200: ProtocolWithPreview } },
    },
    async (req) => (await runIdempotent(db, req, (d) => createProtocol(d, req.body))).body,
  );
  r.get(
    '/cm/protocols/:id',
    { config: { permission: 'read:cm' }, schema: { tags, summary: 'A protocol version with its preview', params: IdParams, response: { 200: ProtocolWithPreview } } },
    async (req) => runInTx(db, req, (d) => getProtocol(d, req.params.id)),
  );

  // ---- funding sources, caps, settings ----
  r.get(
    '/cm/funding-sources',
    { config: { permission: 'read:cm' }, schema: { tags, summary: 'Funding sources and their caps (by id; paginated)', querystring: CmPageQuery, response: { 200: pageOf(FundingSource) } } },
    async (req) => runInTx(db, req, (d) => listFundingSources(d, req.query)),
  );
  r.post(
    '/cm/funding-sources',
    {
      config: { permission: 'write:catalogue', idempotent: true },
      schema: {
        tags,
        summary: 'Add a funding source with a caps preset (samhsa-2025, medicaid-style, oig-nominal, none) or explicit caps',
        body: FundingSourceCreate,
        response: { 200: FundingSource },
      },
    },
    async (req) => (await runIdempotent(db, req, (d) => createFundingSource(d, req.body))).body,
  );
  r.get('/cm/settings', { config: { permission: 'read:cm' }, schema: { tags, summary: 'Approval threshold, budget, seed rotation period', response: { 200: CmSettings } } }, async (req) =>
    runInTx(db, req, (d) => readSettings(d)),
  );
  r.put(
    '/cm/settings',
    { config: { permission: 'manage:cm-settings' }, schema: { tags, summary: 'Change CM settings (administrators)', body: CmSettingsUpdate, response: { 200: CmSettings } } },
    async (req) => runInTx(db, req, (d) => updateSettings(d, req.body)),
  );

  // ---- enrolments ----
  r.post(
    '/cm/enrolments',
    {
      config: { permission: 'enrol:cm', idempotent: true },
      schema: { tags, summary: 'Enrol a patient (protocol version, start, calendar, funding source)', body: EnrolmentCreate, response: { 200: Enrolment } },
    },
    async (req) => (await runIdempotent(db, req, (d) => enrol(d, req.body))).body,
  );
  r.get(
    '/cm/patients/:patientId/enrolments',
    { config: { permission: 'read:cm' }, schema: { tags, summary: 'A patient’s enrolments', params: PatientParams, response: { 200: items(Enrolment) } } },
    async (req) => ({ items: await runInTx(db, req, (d) => listEnrolments(d, req.params.patientId)) }),
  );
  r.get('/cm/enrolments/:id', { config: { permission: 'read:cm' }, schema: { tags, summary: 'An enrolment', params: IdParams, response: { 200: Enrolment } } }, async (req) =>
    runInTx(db, req, (d) => getEnrolment(d, req.params.id)),
  );
  r.post(
    '/cm/enrolments/:id/status',
    { config: { permission: 'enrol:cm' }, schema: { tags, summary: 'Complete or withdraw an enrolment, with a reason', params: IdParams, body: EnrolmentStatusChange, response: { 200: Enrolment } } },
    async (req) => runInTx(db, req, (d) => changeEnrolmentStatus(d, req.params.id, req.body)),
  );

  // ---- CM's side of screens (recording and correcting them: server/modules/screens) ----
  r.post(
    '/specimens/:id/adjudications',
    {
      config: { permission: 'adjudicate:specimen', idempotent: true },
      schema: { tags, summary: 'Decide a possible carry-over: carry-over (excused) or new-use (failure)', params: IdParams, body: AdjudicationCreate, response: { 200: Award } },
    },
    async (req) => (await runIdempotent(db, req, (d) => adjudicateSpecimen(d, req.params.id, req.body))).body,
  );
  r.get(
    '/cm/adjudications',
    {
      config: { permission: 'read:cm' },
      schema: {
        tags,
        summary: 'Specimens waiting for a carry-over decision, with the patient’s name and MRN (oldest first; paginated)',
        querystring: CmPageQuery,
        response: { 200: pageOf(AdjudicationQueueItem) },
      },
    },
    async (req) => runInTx(db, req, (d) => adjudicationQueue(d, req.query)),
  );
  r.get(
    '/cm/queue',
    {
      config: { permission: 'read:cm' },
      schema: { tags, summary: 'Test-day queue: patients expected for a specimen on a date (default today; by name; paginated)', querystring: DayQuery, response: { 200: pageOf(QueueItem) } },
    },
    async (req) => runInTx(db, req, (d) => dayList(d, req.query.date, ['specimen'], req.query)),
  );

  // ---- check-ins ----
  r.get(
    '/cm/check-ins',
    { config: { permission: 'read:cm' }, schema: { tags, summary: 'The day’s check-in list (attendance and doses; by name; paginated)', querystring: DayQuery, response: { 200: pageOf(QueueItem) } } },
    async (req) => runInTx(db, req, (d) => dayList(d, req.query.date, ['attendance', 'dose'], req.query)),
  );
  r.post(
    '/cm/check-ins',
    {
      config: { permission: 'write:cm-event', idempotent: true },
      schema: { tags, summary: 'Record attendance or a dose (observed or take-home); award at once', body: CheckInCreate, response: { 200: CheckInRecorded } },
    },
    async (req) => (await runIdempotent(db, req, (d) => checkIn(d, req.body))).body,
  );

  // ---- privileges ----
  r.get(
    '/cm/privilege-recommendations',
    {
      config: { permission: 'read:cm' },
      schema: {
        tags,
        summary: 'Privilege-track recommendations (pending=true for undecided; oldest first; paginated)',
        querystring: PrivilegeRecommendationQuery,
        response: { 200: pageOf(PrivilegeRecommendation) },
      },
    },
    async (req) => runInTx(db, req, (d) => listPrivilegeRecommendations(d, req.query.pending === 'true', req.query)),
  );
  r.post(
    '/cm/privilege-recommendations/:id/decision',
    {
      config: { permission: 'approve:privilege' },
      schema: { tags, summary: 'A prescriber approves or declines, with a reason', params: IdParams, body: PrivilegeDecisionCreate, response: { 200: PrivilegeRecommendation } },
    },
    async (req) => runInTx(db, req, (d) => decidePrivilege(d, req.params.id, req.body)),
  );

  // ---- draws and seeds ----
  r.get(
    '/cm/enrolments/:id/draws',
    { config: { permission: 'read:cm' }, schema: { tags, summary: 'Draw history (tiers hidden until revealed) and the commitment', params: IdParams, response: { 200: DrawList } } },
    async (req) => runInTx(db, req, (d) => listDraws(d, req.params.id)),
  );
  r.post(
    '/cm/enrolments/:id/draws/reveal',
    {
      config: { permission: 'draw:cm' },
      schema: { tags, summary: 'Draw screen: reveal the next draws (decided when earned; never re-rolled)', params: IdParams, body: RevealRequest, response: { 200: DrawList } },
    },
    async (req) => runInTx(db, req, (d) => revealDraws(d, req.params.id, req.body.count)),
  );
  r.get(
    '/cm/seeds',
    { config: { permission: 'read:cm' }, schema: { tags, summary: 'Seed commitments (and revealed seeds; oldest first; paginated)', querystring: CmPageQuery, response: { 200: pageOf(SeedInfo) } } },
    async (req) => runInTx(db, req, (d) => listSeeds(d, req.query)),
  );
  r.post(
    '/cm/seeds/rotate',
    { config: { permission: 'manage:cm-settings' }, schema: { tags, summary: 'Reveal the active seed and commit to a new one (administrators)', response: { 200: SeedInfo } } },
    async (req) => runInTx(db, req, (d) => rotateSeed(d.tx, d.ctx)),
  );
  const CommitmentParams = z.strictObject({ commitment: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be a sha256 hex digest') });
  r.get(
    '/public/draw-verification/:commitment',
    {
      config: { auth: 'public' },
      schema: { tags, summary: 'Public: a commitment, its seed once revealed, and every draw made with it', params: CommitmentParams, security: [], response: { 200: PublicVerification } },
    },
    async (req) => verifyCommitment(db, req.params.commitment),
  );
  r.get(
    '/public/draw-verification/:commitment/seeds',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Public: every seed of the programme that made this commitment, newest first (the most recent 200): its commitment and, once revealed, the seed; no patient data',
        params: CommitmentParams,
        security: [],
        response: { 200: PublicSeedList },
      },
    },
    async (req) => publicSeedsOf(db, req.params.commitment),
  );

  // ---- ledger and caps (ledger is a stable integration path) ----
  r.get(
    '/patients/:patientId/ledger',
    { config: { permission: 'read:cm' }, schema: { tags: integration, summary: 'The patient’s CM ledger with running balance', params: PatientParams, response: { 200: Ledger } } },
    async (req) => runInTx(db, req, (d) => patientLedger(d, req.params.patientId)),
  );
  r.post(
    '/cm/ledger-entries/:id/void',
    {
      config: { permission: 'void:ledger', idempotent: true },
      schema: {
        tags,
        summary:
          'Void a ledger entry posted in error, with a reason: a new void entry, never an edit (409: a void, already void, a redemption, a fulfilled prize, or a balance that would go below zero). Honours Idempotency-Key.',
        params: IdParams,
        body: LedgerVoidCreate,
        response: { 200: LedgerVoided },
      },
    },
    async (req) => (await runIdempotent(db, req, (d) => voidLedgerEntry(d, req.params.id, req.body))).body,
  );
  r.get(
    '/cm/patients/:patientId/caps',
    { config: { permission: 'read:cm' }, schema: { tags, summary: 'Year-to-date paid against each funding source’s cap', params: PatientParams, response: { 200: items(CapStatus) } } },
    async (req) => ({ items: await runInTx(db, req, (d) => patientCaps(d, req.params.patientId)) }),
  );

  // ---- catalogue and redemption ----
  r.get(
    '/cm/catalogue',
    {
      config: { permission: 'read:cm' },
      schema: { tags, summary: 'Catalogue items and gift cards with stock (by name; paginated)', querystring: CmPageQuery, response: { 200: pageOf(CatalogueItem) } },
    },
    async (req) => runInTx(db, req, (d) => listItems(d, req.query)),
  );
  r.post(
    '/cm/catalogue',
    { config: { permission: 'write:catalogue', idempotent: true }, schema: { tags, summary: 'Add a catalogue item', body: CatalogueItemCreate, response: { 200: CatalogueItem } } },
    async (req) => (await runIdempotent(db, req, (d) => createItem(d, req.body))).body,
  );
  r.patch(
    '/cm/catalogue/:id',
    {
      config: { permission: 'write:catalogue' },
      schema: {
        tags,
        summary: 'Change an item’s names (in English and in Spanish, for patients who read Spanish) or stop offering it',
        params: IdParams,
        body: CatalogueItemUpdate,
        response: { 200: CatalogueItem },
      },
    },
    async (req) => runInTx(db, req, (d) => updateItem(d, req.params.id, req.body)),
  );
  r.post(
    '/cm/catalogue/:id/stock',
    {
      config: { permission: 'write:catalogue', idempotent: true },
      schema: { tags, summary: 'A stock movement (received, count correction, damaged)', params: IdParams, body: StockMovementCreate, response: { 200: CatalogueItem } },
    },
    async (req) => (await runIdempotent(db, req, (d) => moveStock(d, req.params.id, req.body))).body,
  );
  r.post(
    '/cm/patients/:patientId/redemptions',
    {
      config: { permission: 'redeem:cm', idempotent: true },
      schema: {
        tags,
        summary: 'Redeem voucher balance or fulfil a prize (patient acknowledges); over the threshold it waits for approval',
        params: PatientParams,
        body: RedemptionCreate,
        response: { 200: Redemption },
      },
    },
    async (req) => (await runIdempotent(db, req, (d) => redeem(d, req.params.patientId, req.body))).body,
  );
  r.get(
    '/cm/patients/:patientId/redemptions',
    { config: { permission: 'read:cm' }, schema: { tags, summary: 'A patient’s redemptions', params: PatientParams, response: { 200: items(Redemption) } } },
    async (req) => ({ items: await runInTx(db, req, (d) => listRedemptions(d, req.params.patientId)) }),
  );
  r.get(
    '/cm/redemptions',
    {
      config: { permission: 'read:cm' },
      schema: {
        tags,
        summary: 'The programme’s redemptions with patient name and MRN (status=pending: waiting for approval over the threshold; oldest first; paginated)',
        querystring: RedemptionListQuery,
        response: { 200: pageOf(RedemptionListItem) },
      },
    },
    async (req) => runInTx(db, req, (d) => listProgrammeRedemptions(d, req.query)),
  );
  r.post(
    '/cm/redemptions/:id/decision',
    {
      config: { permission: 'approve:redemption' },
      schema: {
        tags,
        summary: 'Approve or decline a redemption over the threshold (not by whoever recorded the patient’s results)',
        params: IdParams,
        body: RedemptionDecision,
        response: { 200: Redemption },
      },
    },
    async (req) => runInTx(db, req, (d) => decideRedemption(d, req.params.id, req.body)),
  );

  // ---- requests from the patient app ----
  r.get(
    '/cm/patients/:patientId/redemption-requests',
    { config: { permission: 'read:cm' }, schema: { tags, summary: 'A patient’s requests from the app’s catalogue, newest first', params: PatientParams, response: { 200: items(RedemptionRequest) } } },
    async (req) => runInTx(db, req, (d) => listPatientRequests(d, req.params.patientId)),
  );
  r.get(
    '/cm/redemption-requests',
    {
      config: { permission: 'read:cm' },
      schema: {
        tags,
        summary: 'The programme’s open requests from the app, oldest first, with patient name and MRN (fulfil one by redeeming with its requestId; paginated)',
        querystring: CmPageQuery,
        response: { 200: pageOf(OpenRedemptionRequest) },
      },
    },
    async (req) => runInTx(db, req, (d) => listOpenRequests(d, req.query)),
  );
  r.post(
    '/cm/redemption-requests/:id/decline',
    {
      config: { permission: 'redeem:cm' },
      schema: {
        tags,
        summary: 'Decline an open request: why (the app words it in the patient’s language) and a note the patient will see',
        params: IdParams,
        body: RedemptionRequestDecline,
        response: { 200: RedemptionRequest },
      },
    },
    async (req) => runInTx(db, req, (d) => closeRequest(d, req.params.id, { by: 'staff', reasonCode: req.body.reasonCode, reason: req.body.reason ?? null })),
  );

  // ---- summaries ----
  r.get(
    '/cm/patients/:patientId/summary',
    {
      config: { permission: 'read:cm' },
      schema: { tags, summary: 'Patient CM page: calendar, streaks, current and next value, balance, draws, caps', params: PatientParams, response: { 200: PatientCmSummary } },
    },
    async (req) => runInTx(db, req, (d) => patientSummary(d, req.params.patientId)),
  );
  r.get(
    '/cm/summary',
    {
      config: { permission: 'read:cm' },
      schema: { tags, summary: 'Programme CM page: enrolled, % negative by week, spend vs budget, caps reached, redemptions, stock to reorder', response: { 200: ProgrammeCmSummary } },
    },
    async (req) => runInTx(db, req, (d) => programmeSummary(d)),
  );

  // ---- integration tokens ----
  r.get(
    '/integration-tokens',
    {
      config: { permission: 'manage:integration' },
      schema: { tags: ['integration'], summary: 'API tokens of the programme (never the token itself; oldest first; paginated)', querystring: CmPageQuery, response: { 200: pageOf(Token) } },
    },
    async (req) => runInTx(db, req, (d) => listTokens(d, req.query)),
  );
  r.post(
    '/integration-tokens',
    {
      config: { permission: 'manage:integration' },
      schema: {
        tags: ['integration'],
        summary:
          'Create a service account and its token (shown once) with the scopes it may use; with fhir:read, name the outside organisation (recipientOrganization) whose FHIR reads are disclosures checked against consent',
        description:
          'A token reaches only the operations of its scopes: screens:write — POST /specimens, POST /specimens/{id}/corrections, POST /lab/hl7v2 and GET /specimens/{id} for screens it recorded or corrected; ledger:read — GET /patients/{patientId}/ledger. Any other operation answers 403 insufficient_scope.',
        body: TokenCreate,
        response: { 200: TokenCreated },
      },
    },
    async (req) => runInTx(db, req, (d) => createToken(d, req.body)),
  );
  r.post(
    '/integration-tokens/:id/revoke',
    { config: { permission: 'manage:integration' }, schema: { tags: ['integration'], summary: 'Revoke a token', params: IdParams, response: { 200: Token } } },
    async (req) => runInTx(db, req, (d) => revokeToken(d, req.params.id)),
  );
}
