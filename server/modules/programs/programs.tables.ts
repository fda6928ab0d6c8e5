// Tenancy: organisations contain programmes (a clinic or site). The programme is the
// tenant key of every clinical table (see docs/scaling.md).
import { boolean, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const organizations = pgTable('organizations', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  idleTimeoutMinutes: integer('idle_timeout_minutes').notNull().default(15),
  sessionLifetimeHours: integer('session_lifetime_hours').notNull().default(12),
  mfaRequired: boolean('mfa_required').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

export const programs = pgTable(
  'programs',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    timeZone: text('time_zone').notNull(),
    /** The patient app locks after this many idle minutes (core/access/patient-app.ts DEFAULT_PATIENT_IDLE_MINUTES). */
    patientIdleMinutes: integer('patient_idle_minutes').notNull().default(5),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('programs_org_idx').on(t.orgId)],
);
