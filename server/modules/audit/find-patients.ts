// An auditor finds the patient whose trail they are reviewing by name or MRN, rather than by
// pasting record ids. The auditor reads no clinical record through this: only enough to tell
// patients apart (name, MRN, birth date). The search is itself an audit row, with the number
// of words searched and of patients found but not the words (they may be a name).
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { invalid } from '../../platform/errors.ts';
import { patients } from '../patients/patients.tables.ts';
import { patientSearchConditions, searchWords } from '../patients/patients.ts';

export const AUDIT_PATIENT_MATCHES = 20;

export type AuditPatientMatchDto = { id: string; mrn: string; displayName: string; birthDate: string };

export async function findPatientsForAudit(deps: { tx: Tx; ctx: Ctx }, input: { q: string }): Promise<{ items: AuditPatientMatchDto[]; more: boolean }> {
  const { tx, ctx } = deps;
  const words = searchWords(input.q);
  if (words.length === 0) throw invalid('body.q', 'Type at least two characters of a name or MRN.');
  const rows = await tx
    .select({
      id: patients.id,
      mrn: patients.mrn,
      birthDate: patients.birthDate,
      given: patients.legalGivenName,
      preferred: patients.preferredName,
      family: patients.legalFamilyName,
    })
    .from(patients)
    .where(and(eq(patients.programId, programOf(ctx)), ...patientSearchConditions(words)))
    .orderBy(sql`lower(${patients.legalFamilyName})`, sql`lower(${patients.legalGivenName})`, asc(patients.id))
    .limit(AUDIT_PATIENT_MATCHES + 1);
  const more = rows.length > AUDIT_PATIENT_MATCHES;
  const items = rows.slice(0, AUDIT_PATIENT_MATCHES).map((r) => ({
    id: r.id,
    mrn: r.mrn,
    birthDate: r.birthDate,
    displayName: `${r.preferred ?? r.given} ${r.family}`,
  }));
  await writeAudit(tx, auditContext(ctx), {
    action: 'search',
    entity: 'patient',
    purpose: 'audit',
    detail: { via: 'audit', words: words.length, count: items.length, more },
  });
  return { items, more };
}
