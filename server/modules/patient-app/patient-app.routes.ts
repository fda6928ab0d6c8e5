// The patient app's identity over HTTP (ADR 030). Staff routes live under /api/v1 with
// the rest of the console's; the patient's own under /api/patient, where the wp_patient
// cookie is sent and nothing else is accepted (server/platform/http/auth.ts, auth: 'patient').
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { IdParams, PatientParams } from '../../../contracts/common.ts';
import {
  PasskeyActivate,
  PasskeyCreationOptions,
  PasskeyRegistrationStart,
  PasskeyRequestOptions,
  PasskeyUnlock,
  PatientActivate,
  PatientAppAccess,
  PatientAppParams,
  PatientChallenge,
  PatientDeviceRef,
  PatientInviteIssued,
  PatientInviteTexted,
  PatientMe,
  PatientNotifications,
  PatientNotificationsUpdate,
  PatientPushSubscription,
  PatientPushUnsubscribe,
  PatientSignedIn,
  PatientToday,
  PatientAppSettings,
  PatientRewards,
  PatientRevealRequest,
  PatientDrawsShown,
  PatientRequest,
  PatientUnlock,
} from '../../../contracts/patient-app.ts';
import { PATIENT_SESSION_HOURS } from '../../../core/access/patient-app.ts';
import { relyingPartyOf } from '../../../core/access/passkey.ts';
import { AppError } from '../../platform/errors.ts';
import { publicBase } from '../../platform/http/origin.ts';
import { activateWithPasskey, passkeyRegistrationOptions, passkeyUnlockOptions, unlockWithPasskey, type RelyingParty } from './passkey.ts';
import type { Db } from '../../platform/db/database.ts';
import { clearPatientCookie, setPatientCookie } from '../../platform/http/auth.ts';
import { appPrincipalOf, patientOf } from '../../platform/http/context.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { issueInvite, patientAppAccess, revokeDevice, textInvite } from './invites.ts';
import { getNotifications, subscribePush, unsubscribePush, updateNotifications } from './notifications.ts';
import { closePatientEvents, patientEvents } from './events.ts';
import { getPatientAppSettings, updatePatientAppSettings } from './settings.ts';
import { eventStreams } from '../../platform/http/event-stream.ts';
import { patientToday } from './today.ts';
import { patientRewards, requestFromCatalogue, revealMyDraws, withdrawMyRequest } from './rewards.ts';
import { RedemptionRequestCreate } from '../../../contracts/cm.ts';
import { CheckInResult, PatientCheckInCreate, PatientCheckInTrends, PatientCheckInTrendsQuery } from '../../../contracts/checkins.ts';
import { patientTrends } from '../checkins/list-check-ins.ts';
import { recordPatientCheckIn } from '../checkins/record-check-in.ts';
import { activate, lock, newChallenge, patientMe, signOut, unlock, type UnlockResult } from './unlock.ts';

/** Staff: invite a patient, see and revoke their devices (under /api/v1). */
export function patientAppStaffRoutes(app: FastifyInstance, deps: { db: Db; publicBase: string }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['patient app'];

  r.post(
    '/patients/:patientId/app-invites',
    {
      config: { permission: 'write:patient-app' },
      schema: {
        tags,
        operationId: 'invitePatientToApp',
        summary: 'Invite the patient to the patient app: a new single-use activation code (7 days), shown once; the open invite, if any, is revoked',
        params: PatientParams,
        response: { 200: PatientInviteIssued },
      },
    },
    async (req) => runInTx(db, req, (d) => issueInvite(d, req.params.patientId)),
  );

  r.post(
    '/patients/:patientId/app-invites/sms',
    {
      config: { permission: 'write:patient-app' },
      schema: {
        tags,
        operationId: 'textPatientAppInvite',
        summary: 'Send a new app invite to the patient’s phone on file by text (consent respected): the code and the app link, through the outbox; the open invite, if any, is revoked',
        params: PatientParams,
        errors: [409],
        response: { 200: PatientInviteTexted },
      },
    },
    async (req) => runInTx(db, req, (d) => textInvite(d, req.params.patientId, deps.publicBase)),
  );

  r.get(
    '/patients/:patientId/app-access',
    {
      config: { permission: 'read:patient-app' },
      schema: { tags, operationId: 'getPatientAppAccess', summary: 'The patient’s latest app invite and the devices they activated', params: PatientParams, response: { 200: PatientAppAccess } },
    },
    async (req) => runInTx(db, req, (d) => patientAppAccess(d, req.params.patientId)),
  );

  r.get(
    '/patient-app/settings',
    {
      config: { permission: 'manage:patient-app-settings' },
      schema: { tags, operationId: 'getPatientAppSettings', summary: 'The programme’s patient-app settings: the idle lock', response: { 200: PatientAppSettings } },
    },
    async (req) => runInTx(db, req, (d) => getPatientAppSettings(d)),
  );
  r.put(
    '/patient-app/settings',
    {
      config: { permission: 'manage:patient-app-settings' },
      schema: {
        tags,
        operationId: 'updatePatientAppSettings',
        summary: 'Change the patient app’s idle lock (1–15 minutes); it applies to every session from its next request',
        body: PatientAppSettings,
        response: { 200: PatientAppSettings },
      },
    },
    async (req) => runInTx(db, req, (d) => updatePatientAppSettings(d, req.body)),
  );

  r.post(
    '/patients/:patientId/app-devices/:id/revoke',
    {
      config: { permission: 'write:patient-app' },
      schema: {
        tags,
        operationId: 'revokePatientDevice',
        summary: 'Revoke a patient’s device: it cannot unlock again, and its sessions end at once',
        params: PatientAppParams,
        response: { 200: PatientAppAccess },
      },
    },
    async (req) => runInTx(db, req, (d) => revokeDevice(d, req.params.patientId, req.params.id)),
  );
}

/** The patient app's own API (prefix /api/patient). */
export function patientAppRoutes(
  app: FastifyInstance,
  deps: {
    db: Db;
    clock: () => Date;
    secureCookies: boolean;
    signInRateLimit: { max: number; timeWindow: string };
    publicUrl?: string | undefined;
    pushPublicKey?: string | undefined;
  },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, secureCookies } = deps;
  const tags = ['patient app'];
  const open = { auth: 'public' as const, rateLimit: deps.signInRateLimit };
  const Ok = z.object({ ok: z.literal(true) });
  app.addHook('onClose', () => closePatientEvents(db));
  const streamEvents = eventStreams(app);

  /** A refused attempt was audited and counted in its own committed transaction; only then is the error answered. */
  const signedIn = (reply: FastifyReply, result: UnlockResult) => {
    if (!result.ok) throw result.error;
    setPatientCookie(reply, result.token, secureCookies, PATIENT_SESSION_HOURS);
    return { programId: result.programId, deviceId: result.deviceId, idleMinutes: result.idleMinutes, holder: result.holder };
  };

  r.post(
    '/activate',
    {
      config: open,
      schema: {
        tags,
        operationId: 'activatePatientDevice',
        summary: 'Activate this device with the invite’s code: registers its public key and PIN, and signs in (cookie wp_patient)',
        security: [],
        errors: [401],
        body: PatientActivate,
        response: { 200: PatientSignedIn },
      },
    },
    async (req, reply) => signedIn(reply, await runInTx(db, req, (d) => activate(d, req.body))),
  );

  r.post(
    '/challenge',
    {
      config: open,
      schema: {
        tags,
        operationId: 'getPatientUnlockChallenge',
        summary: 'A challenge for this device to sign (2 minutes, once)',
        security: [],
        errors: [401],
        body: PatientDeviceRef,
        response: { 200: PatientChallenge },
      },
    },
    async (req) => runInTx(db, req, (d) => newChallenge(d, req.body)),
  );

  r.post(
    '/unlock',
    {
      config: open,
      schema: {
        tags,
        operationId: 'unlockPatientApp',
        summary: 'Unlock: the device’s signature of the challenge and the PIN (five wrong PINs lock the device for 15 minutes)',
        security: [],
        errors: [401, 423],
        body: PatientUnlock,
        response: { 200: PatientSignedIn },
      },
    },
    async (req, reply) => signedIn(reply, await runInTx(db, req, (d) => unlock(d, req.body))),
  );

  /** The passkey's relying party: WAYPOINT_PUBLIC_URL's host, else the request's (trusted) own; none at an IP address or over plain http off localhost. */
  const relyingParty = (req: FastifyRequest): RelyingParty => {
    const rp = relyingPartyOf(publicBase(req, deps.publicUrl));
    if (!rp) throw new AppError({ code: 'passkeys_unavailable', status: 400, message: 'Passkeys work only at the clinic’s secure web address. Use a PIN.' });
    return rp;
  };

  r.post(
    '/passkey/registration-options',
    {
      config: open,
      schema: {
        tags,
        operationId: 'startPatientPasskeyRegistration',
        summary: 'Passkey activation, step 1: the options for navigator.credentials.create() for the open invite with this code (a challenge for 2 minutes, once)',
        security: [],
        errors: [400],
        body: PasskeyRegistrationStart,
        response: { 200: PasskeyCreationOptions },
      },
    },
    async (req) => {
      const rp = relyingParty(req);
      const out = await runInTx(db, req, (d) => passkeyRegistrationOptions(d, rp, req.body));
      if (!out.ok) throw out.error;
      return out.options;
    },
  );

  r.post(
    '/passkey/activate',
    {
      config: open,
      schema: {
        tags,
        operationId: 'activatePatientPasskey',
        summary: 'Passkey activation, step 2: the authenticator’s registration, verified; the invite is used, the device stored, and the patient signed in (cookie wp_patient)',
        security: [],
        errors: [400],
        body: PasskeyActivate,
        response: { 200: PatientSignedIn },
      },
    },
    async (req, reply) => {
      const rp = relyingParty(req);
      return signedIn(reply, await runInTx(db, req, (d) => activateWithPasskey(d, rp, req.body)));
    },
  );

  r.post(
    '/passkey/unlock-options',
    {
      config: open,
      schema: {
        tags,
        operationId: 'getPatientPasskeyUnlockOptions',
        summary: 'Passkey unlock, step 1: the options for navigator.credentials.get() naming only this device’s passkey (a challenge for 2 minutes, once)',
        security: [],
        errors: [400, 401],
        body: PatientDeviceRef,
        response: { 200: PasskeyRequestOptions },
      },
    },
    async (req) => {
      const rp = relyingParty(req);
      return runInTx(db, req, (d) => passkeyUnlockOptions(d, rp, req.body));
    },
  );

  r.post(
    '/passkey/unlock',
    {
      config: open,
      schema: {
        tags,
        operationId: 'unlockPatientAppWithPasskey',
        summary: 'Passkey unlock, step 2: the authenticator’s answer, verified, with its counter checked (five refusals lock the device for 15 minutes)',
        security: [],
        errors: [400, 401, 423],
        body: PasskeyUnlock,
        response: { 200: PatientSignedIn },
      },
    },
    async (req, reply) => {
      const rp = relyingParty(req);
      return signedIn(reply, await runInTx(db, req, (d) => unlockWithPasskey(d, rp, req.body)));
    },
  );

  r.get(
    '/me',
    { config: { auth: 'patient' }, schema: { tags, operationId: 'getPatientAppMe', summary: 'The signed-in patient’s language and the programme’s idle lock', response: { 200: PatientMe } } },
    async (req) => runInTx(db, req, (d) => patientMe(d, patientOf(req.ctx))),
  );

  r.get(
    '/today',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'getPatientToday',
        summary: 'Today: the patient’s CM balance (prizes not yet shown left out), streak and what the next opportunity can earn',
        response: { 200: PatientToday },
      },
    },
    async (req) => runInTx(db, req, (d) => patientToday(d, patientOf(req.ctx))),
  );

  r.get(
    '/events',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'streamPatientEvents',
        summary:
          'Server-sent events (text/event-stream): `changed` when the patient’s CM record moves (a cup recorded, an award, a correction), so the app reads Today again; no data in the stream; ends with the session',
        produces: ['text/event-stream'],
        response: { 200: z.string().describe('An event stream') },
      },
    },
    // a comment line every 20 s keeps proxies from closing a quiet stream and re-checks the session
    async (req, reply) => streamEvents(req, reply, patientEvents(db, patientOf(req.ctx), deps.clock), { event: 'changed', heartbeatMs: 20_000 }),
  );

  r.get(
    '/rewards',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'getPatientRewards',
        summary: 'The patient’s rewards: draws they have shown (with the commitment to verify them), draws waiting, the catalogue they may ask from, and their requests',
        response: { 200: PatientRewards },
      },
    },
    async (req) => runInTx(db, req, (d) => patientRewards(d, patientOf(req.ctx))),
  );

  r.post(
    '/draws/reveal',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'revealPatientDraws',
        summary: 'The patient shows their next draws (decided when earned, never re-rolled)',
        errors: [409],
        body: PatientRevealRequest,
        response: { 200: PatientDrawsShown },
      },
    },
    async (req) => runInTx(db, req, (d) => revealMyDraws(d, patientOf(req.ctx), req.body.count)),
  );

  r.post(
    '/redemption-requests',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'createPatientRedemptionRequest',
        summary: 'Ask the clinic for an item from the catalogue (no money moves until staff give it); a repeated idempotencyKey is recorded once',
        errors: [404, 409],
        body: RedemptionRequestCreate,
        response: { 200: PatientRequest },
      },
    },
    async (req) => runInTx(db, req, (d) => requestFromCatalogue(d, patientOf(req.ctx), req.body)),
  );

  r.post(
    '/redemption-requests/:id/withdraw',
    {
      config: { auth: 'patient' },
      schema: { tags, operationId: 'withdrawPatientRedemptionRequest', summary: 'Withdraw an open request', errors: [404, 409], params: IdParams, response: { 200: PatientRequest } },
    },
    async (req) => runInTx(db, req, (d) => withdrawMyRequest(d, patientOf(req.ctx), req.params.id)),
  );

  r.get(
    '/check-ins',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'getPatientCheckInTrends',
        summary: 'The patient’s own check-ins, day by day (mood, craving, sleep, stress, medicine, any use), for their trends',
        querystring: PatientCheckInTrendsQuery,
        response: { 200: PatientCheckInTrends },
      },
    },
    async (req) => runInTx(db, req, (d) => patientTrends(d, patientOf(req.ctx).patientId, req.query)),
  );

  r.post(
    '/check-ins',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'createPatientAppCheckIn',
        summary: 'The patient’s daily check-in (source app): the risk rules run at once and the answer says what to show (crisis help, naloxone steps); a repeated idempotencyKey is recorded once',
        body: PatientCheckInCreate,
        response: { 200: CheckInResult },
      },
    },
    async (req) => runInTx(db, req, (d) => recordPatientCheckIn(d, patientOf(req.ctx), req.body)),
  );

  const pushKey = deps.pushPublicKey ?? null;
  r.get(
    '/notifications',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'getPatientNotifications',
        summary: 'The patient’s daily check-in reminder time and whether this phone gets notifications',
        response: { 200: PatientNotifications },
      },
    },
    async (req) => runInTx(db, req, (d) => getNotifications(d, patientOf(req.ctx), pushKey)),
  );
  r.put(
    '/notifications',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'updatePatientNotifications',
        summary: 'Choose the local time of the daily check-in reminder (null: none)',
        body: PatientNotificationsUpdate,
        response: { 200: PatientNotifications },
      },
    },
    async (req) => runInTx(db, req, (d) => updateNotifications(d, patientOf(req.ctx), req.body, pushKey)),
  );
  r.post(
    '/push-subscription',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'savePatientPushSubscription',
        summary: 'Turn on notifications on this phone: its Web Push subscription (the patient’s consent to push)',
        body: PatientPushSubscription,
        response: { 200: PatientNotifications },
      },
    },
    async (req) => runInTx(db, req, (d) => subscribePush(d, patientOf(req.ctx), req.body, pushKey)),
  );
  r.delete(
    '/push-subscription',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'deletePatientPushSubscription',
        summary: 'Turn off notifications on this phone: its Web Push subscription ends',
        body: PatientPushUnsubscribe,
        response: { 200: PatientNotifications },
      },
    },
    async (req) => runInTx(db, req, (d) => unsubscribePush(d, patientOf(req.ctx), req.body, pushKey)),
  );

  r.post(
    '/lock',
    { config: { auth: 'app' }, schema: { tags, operationId: 'lockPatientApp', summary: 'Lock the app: this session ends; the PIN opens it again', response: { 200: Ok } } },
    async (req, reply) => {
      const out = await runInTx(db, req, (d) => lock(d, appPrincipalOf(req.ctx)));
      clearPatientCookie(reply, secureCookies);
      return out;
    },
  );

  r.post(
    '/sign-out',
    {
      config: { auth: 'app' },
      schema: { tags, operationId: 'signOutPatientApp', summary: 'Sign out and forget this device: it is revoked and every session of it ends', response: { 200: Ok } },
    },
    async (req, reply) => {
      const out = await runInTx(db, req, (d) => signOut(d, appPrincipalOf(req.ctx)));
      clearPatientCookie(reply, secureCookies);
      return out;
    },
  );
}
