import { z } from 'zod';
import { Id } from './common.ts';

export const SignInRequest = z.strictObject({
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(1024),
});

export const SessionStage = z.enum(['active', 'mfa_pending', 'mfa_setup']);

export const SignInResponse = z.object({
  stage: SessionStage,
  mustChangePassword: z.boolean(),
});

export const MfaVerifyRequest = z.union([
  z.strictObject({
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, 'must be the 6-digit code from your authenticator app'),
  }),
  z.strictObject({ recoveryCode: z.string().trim().min(6).max(32) }),
]);

export const MfaSetupResponse = z.object({ secret: z.string(), uri: z.string() });
export const MfaConfirmRequest = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'must be the 6-digit code from your authenticator app'),
});
export const MfaConfirmResponse = z.object({ recoveryCodes: z.array(z.string()) });

export const PasswordChangeRequest = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(1).max(1024),
});

export const ProgramMembership = z.object({
  id: Id,
  name: z.string(),
  timeZone: z.string(),
  roles: z.array(z.string()),
  permissions: z.array(z.string()),
});

export const MeResponse = z.object({
  user: z.object({ id: Id, email: z.string(), displayName: z.string(), mfaEnabled: z.boolean(), mustChangePassword: z.boolean() }),
  stage: SessionStage,
  /** When this session ends: after `idleTimeoutMinutes` without a request, and at `expiresAt` at the latest. */
  session: z.object({ expiresAt: z.string(), lastSeenAt: z.string() }),
  organization: z.object({
    id: Id,
    name: z.string(),
    idleTimeoutMinutes: z.number().int(),
    mfaRequired: z.boolean(),
    /** The user's roles in the organisation (`organization-administrator`) and what they allow (`manage:organization`), beside those per programme. */
    roles: z.array(z.string()),
    permissions: z.array(z.string()),
  }),
  programs: z.array(ProgramMembership),
});
