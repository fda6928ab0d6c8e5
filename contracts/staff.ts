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
  /** A direct work number (E.164) that patients whose care team the person is on may call from the app's Help now; null: they call the clinic. */
  workPhone: z.string().nullable(),
  /** Holds the organisation-administrator role (organisation-wide: organisation settings, any account of the organisation). */
  organizationAdministrator: z.boolean(),
  /** Whether the caller may edit, deactivate or reset this account: every role of the account lies in a programme the caller administers, or the caller is an organisation administrator. */
  manageable: z.boolean(),
});

/** A phone number as typed (`(555) 555-0123`, `+1 555…`), stored in E.164; empty or null: none. */
const WorkPhone = z.string().trim().max(40).nullable().optional();

export const StaffCreate = z.strictObject({
  email: z.email({ message: 'must be an email address' }).max(254),
  displayName: z.string().trim().min(1).max(200),
  roles: z.array(RoleName).min(1, 'give at least one role').max(ROLES.length),
  workPhone: WorkPhone,
  /** Make the account an organisation administrator too (only an organisation administrator may). */
  organizationAdministrator: z.boolean().optional(),
});
export const StaffCreated = z.object({ staff: Staff, temporaryPassword: z.string() });

export const StaffUpdate = z.strictObject({
  displayName: z.string().trim().min(1).max(200).optional(),
  workPhone: WorkPhone,
  roles: z.array(RoleName).max(ROLES.length).optional(),
  active: z.boolean().optional(),
  /** Grant or take away the organisation-administrator role (only an organisation administrator may; not your own). */
  organizationAdministrator: z.boolean().optional(),
});

export const PasswordReset = z.object({ temporaryPassword: z.string() });

export const OrganizationSettings = z.strictObject({
  idleTimeoutMinutes: z.number().int().min(2).max(240),
  sessionLifetimeHours: z.number().int().min(1).max(24),
  mfaRequired: z.boolean(),
});
