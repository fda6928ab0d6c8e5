import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { MeResponse, MfaConfirmRequest, MfaConfirmResponse, MfaSetupResponse, MfaVerifyRequest, PasswordChangeRequest, SignInRequest, SignInResponse } from '../../../contracts/auth.ts';
import { IdParams, Ok, PageQuery, pageOf } from '../../../contracts/common.ts';
import { PasswordReset, Staff, StaffCreate, StaffCreated, StaffUpdate } from '../../../contracts/staff.ts';
import type { Db } from '../../platform/db/database.ts';
import { clearSessionCookie, setSessionCookie } from '../../platform/http/auth.ts';
import { runIdempotent, runInTx } from '../../platform/http/tx.ts';
import { dummyPasswordHash } from '../../platform/security.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext } from '../../platform/http/context.ts';
import { getMe } from './me.ts';
import { beginMfaSetup, confirmMfaSetup } from './mfa-enrolment.ts';
import { changePassword } from './passwords.ts';
import { revokeAllSessions, revokeSession } from './sessions.ts';
import { signIn, verifySecondFactor } from './sign-in.ts';
import { createStaff, listStaff, resetStaffPassword, updateStaff } from './staff.ts';

export type RouteDeps = { db: Db; secureCookies: boolean; signInRateLimit: { max: number; timeWindow: string } };

export function identityRoutes(app: FastifyInstance, deps: RouteDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['auth'];
  // An unknown email's attempt verifies against this hash: make it now, so the first such
  // attempt costs what every other does.
  dummyPasswordHash().catch(() => undefined);

  r.post(
    '/auth/sign-in',
    {
      config: { auth: 'public', rateLimit: deps.signInRateLimit },
      schema: { tags, summary: 'Sign in with email and password', errors: [401, 423], body: SignInRequest, response: { 200: SignInResponse } },
    },
    async (req, reply) => {
      // Failures are audited, so the transaction commits before the error is sent.
      const result = await runInTx(db, req, (d) => signIn(d, req.body));
      if (!result.ok) throw result.error;
      setSessionCookie(reply, result.token, deps.secureCookies, 24);
      return { stage: result.stage, mustChangePassword: result.mustChangePassword };
    },
  );

  r.post(
    '/auth/mfa/verify',
    {
      config: { auth: 'partial', whileMfaPending: true, rateLimit: deps.signInRateLimit },
      schema: { tags, summary: 'Give the second factor (TOTP code or recovery code)', errors: [423], body: MfaVerifyRequest, response: { 200: Ok } },
    },
    async (req) => {
      const result = await runInTx(db, req, (d) => verifySecondFactor(d, req.body));
      if (!result.ok) throw result.error;
      return { ok: true as const };
    },
  );

  r.post(
    '/auth/mfa/setup',
    {
      config: { auth: 'partial' },
      schema: { tags, summary: 'Start two-step sign-in enrolment', response: { 200: MfaSetupResponse } },
    },
    async (req) => runInTx(db, req, (d) => beginMfaSetup(d)),
  );

  r.post(
    '/auth/mfa/confirm',
    {
      config: { auth: 'partial' },
      schema: { tags, summary: 'Confirm enrolment with a code; returns recovery codes once', body: MfaConfirmRequest, response: { 200: MfaConfirmResponse } },
    },
    async (req) => runInTx(db, req, (d) => confirmMfaSetup(d, req.body)),
  );

  r.post(
    '/auth/password',
    {
      config: { auth: 'partial' },
      schema: { tags, operationId: 'changePassword', summary: 'Change your password (ends your other sessions)', body: PasswordChangeRequest, response: { 200: Ok } },
    },
    async (req) => {
      await runInTx(db, req, (d) => changePassword(d, req.body));
      return { ok: true as const };
    },
  );

  r.post(
    '/auth/sign-out',
    {
      config: { auth: 'partial', whileMfaPending: true },
      schema: { tags, summary: 'Sign out of this session', response: { 200: Ok } },
    },
    async (req, reply) => {
      await runInTx(db, req, async ({ tx, ctx }) => {
        await revokeSession(tx, ctx.principal!.sessionId, ctx.now);
        await writeAudit(tx, auditContext(ctx), { action: 'sign-out', entity: 'session', entityId: ctx.principal!.sessionId });
      });
      clearSessionCookie(reply, deps.secureCookies);
      return { ok: true as const };
    },
  );

  r.post(
    '/auth/sign-out-everywhere',
    {
      config: { auth: 'partial' },
      schema: { tags, summary: 'End every session of your account', response: { 200: Ok } },
    },
    async (req, reply) => {
      await runInTx(db, req, async ({ tx, ctx }) => {
        const n = await revokeAllSessions(tx, ctx.principal!.userId, ctx.now);
        await writeAudit(tx, auditContext(ctx), { action: 'sign-out-everywhere', entity: 'session', detail: { sessions: n } });
      });
      clearSessionCookie(reply, deps.secureCookies);
      return { ok: true as const };
    },
  );

  r.get(
    '/me',
    {
      config: { auth: 'partial', whileMfaPending: true },
      schema: { tags, summary: 'The signed-in user, organisation and programmes', response: { 200: MeResponse } },
    },
    async (req) => runInTx(db, req, (d) => getMe(d)),
  );

  const staffTags = ['staff'];
  r.get(
    '/staff',
    {
      config: { permission: 'read:staff' },
      schema: { tags: staffTags, summary: 'Staff of the programme with their roles (paginated, by name)', querystring: z.strictObject(PageQuery), response: { 200: pageOf(Staff) } },
    },
    async (req) => runInTx(db, req, (d) => listStaff(d, req.query)),
  );

  r.post(
    '/staff',
    {
      config: { permission: 'manage:staff', idempotent: true },
      schema: { tags: staffTags, summary: 'Create a staff account with roles in this programme', body: StaffCreate, response: { 200: StaffCreated } },
    },
    async (req) => (await runIdempotent(db, req, (d) => createStaff(d, req.body))).body,
  );

  r.patch(
    '/staff/:id',
    {
      config: { permission: 'manage:staff' },
      schema: { tags: staffTags, summary: 'Change name, roles in this programme, or active state', params: IdParams, body: StaffUpdate, response: { 200: Staff } },
    },
    async (req) => runInTx(db, req, (d) => updateStaff(d, req.params.id, req.body)),
  );

  r.post(
    '/staff/:id/password-reset',
    {
      config: { permission: 'manage:staff' },
      schema: {
        tags: staffTags,
        summary: 'Reset a password (and optionally two-step sign-in); unlocks the account',
        params: IdParams,
        body: z.strictObject({ resetMfa: z.boolean().default(false) }),
        response: { 200: PasswordReset },
      },
    },
    async (req) => runInTx(db, req, (d) => resetStaffPassword(d, req.params.id, { resetMfa: req.body.resetMfa })),
  );
}
