// Every table, for drizzle and drizzle-kit. Tables live with their module.
export * from '../modules/programs/programs.tables.ts';
export * from '../modules/identity/identity.tables.ts';
export * from '../modules/patients/patients.tables.ts';
export * from '../modules/audit/audit.tables.ts';
export * from '../platform/http/idempotency.tables.ts';
export * from '../modules/cm/cm.tables.ts';
export * from '../modules/assessments/assessments.tables.ts';
export * from '../modules/planning/planning.tables.ts';
export * from '../modules/screens/screens.tables.ts';
export * from '../modules/checkins/checkins.tables.ts';
export * from '../modules/messages/messages.tables.ts';
export * from '../modules/patient-app/patient-app.tables.ts';
export * from '../modules/help/help.tables.ts';
export * from '../modules/encounters/encounters.tables.ts';
export * from '../modules/levels-of-care/levels-of-care.tables.ts';
export * from '../modules/notes/notes.tables.ts';
export * from '../modules/counselling/counselling.tables.ts';
