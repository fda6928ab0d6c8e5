import { z } from 'zod';
import { ROLES } from '../core/access/roles.ts';
import { Id } from './common.ts';

export const RoleName = z.enum(ROLES);

export const Staff = z.object({
  id: Id,
  email: z.string(),
  displayName: z.string(),
  active: z.boolean(),
  mfaEnabled: z.boolean(),
  locked: z.boolean(),
  roles: z.array(RoleName),
});

export const StaffCreate = z.strictObject({
  email: z.email({ message: 'must be an email address' }).max(254),
  displayName: z.string().trim().min(1).max(200),
  roles: z.array(RoleName).min(1, 'give at least one role').max(ROLES.length),
});
export const StaffCreated = z.object({ staff: Staff, temporaryPassword: z.string() });

export const StaffUpdate = z.strictObject({
  displayName: z.string().trim().min(1).max(200).optional(),
  roles: z.array(RoleName).max(ROLES.length).optional(),
  active: z.boolean().optional(),
});

export const PasswordReset = z.object({ temporaryPassword: z.string() });

export const OrganizationSettings = z.strictObject({
  idleTimeoutMinutes: z.number().int().min(2).max(240),
  sessionLifetimeHours: z.number().int().min(1).max(24),
  mfaRequired: z.boolean(),
});
