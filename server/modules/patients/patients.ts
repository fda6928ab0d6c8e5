// Patient records: register (after a duplicate check), search, view, update. Every
// read and change writes an audit event in the same transaction. Audit details carry
// ids, counts and field names only, never the values.
import { and, asc, eq, or, sql, type SQL } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { preparedOnce, type Tx } from '../../platform/db/database.ts';
import { auditBindings, auditedByPlaceholders, writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import type { AdministrativeSex, GenderIdentity, Sex } from '../../../contracts/patients.ts';
import { patients } from './patients.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };
type Row = typeof patients.$inferSelect;

export type PatientDto = Omit<Row, 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string };
export type PatientSummaryDto = Pick<Row, 'id' | 'mrn' | 'legalGivenName' | 'legalFamilyName' | 'preferredName' | 'birthDate'>;

const toDto = (r: Row): PatientDto => ({ ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() });
const summary = {
  id: patients.id,
  mrn: patients.mrn,
  legalGivenName: patients.legalGivenName,
  legalFamilyName: patients.legalFamilyName,
  preferredName: patients.preferredName,
  birthDate: patients.birthDate,
};

export type PatientFields = {
  mrn: string;
  legalGivenName: string;
  legalFamilyName: string;
  preferredName?: string | null | undefined;
  pronouns?: string | null | undefined;
  birthDate: string;
  administrativeSex: AdministrativeSex;
  sex?: Sex | null | undefined;
  genderIdentity?: GenderIdentity | null | undefined;
  preferredLanguage: string;
  phone?: string | null | undefined;
  email?: string | null | undefined;
  address?: string | null | undefined;
  contactConsent: boolean;
  emergencyContactName?: string | null | undefined;
  emergencyContactPhone?: string | null | undefined;
  emergencyContactRelationship?: string | null | undefined;
};

const lower = (col: unknown) => sql`lower(${col})`;

/** Records that may be the same person: same MRN, same name, or same birth date and a shared name. */
export async function findPossibleDuplicates(
  deps: Deps,
  input: { legalGivenName: string; legalFamilyName: string; birthDate: string; mrn?: string | undefined },
  opts: { audit: boolean } = { audit: true },
): Promise<PatientSummaryDto[]> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const given = input.legalGivenName.trim().toLowerCase();
  const family = input.legalFamilyName.trim().toLowerCase();
  const conditions: SQL[] = [
    and(eq(lower(patients.legalFamilyName), family), eq(lower(patients.legalGivenName), given))!,
    and(eq(patients.birthDate, input.birthDate), or(eq(lower(patients.legalFamilyName), family), eq(lower(patients.legalGivenName), given)))!,
  ];
  if (input.mrn) conditions.push(eq(lower(patients.mrn), input.mrn.trim().toLowerCase()));
  const rows = await tx
    .select(summary)
    .from(patients)
    .where(and(eq(patients.programId, programId), or(...conditions)))
    .orderBy(asc(patients.legalFamilyName), asc(patients.legalGivenName))
    .limit(10);
  if (opts.audit) await writeAudit(tx, auditContext(ctx), { action: 'search', entity: 'patient', purpose: 'duplicate-check', detail: { count: rows.length } });
  return rows;
}

/**
 * Registers a patient and audits it in one statement. An MRN already in use is refused
 * by the unique index (mapped to 409 mrn_taken), so no check-then-insert race exists.
 */
export async function registerPatient(deps: Deps, input: PatientFields & { confirmNotDuplicate: boolean }): Promise<PatientDto> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  if (!input.confirmNotDuplicate) {
    const candidates = await findPossibleDuplicates(deps, input, { audit: false });
    if (candidates.length > 0) {
      throw new AppError({
        code: 'possible_duplicate',
        status: 409,
        message: `${candidates.length} existing record(s) may be this person. Check them, then confirm this is a new patient.`,
        problems: [{ field: 'body.confirmNotDuplicate', message: 'confirm after checking the possible duplicates' }],
      });
    }
  }
  const id = randomUUID();
  const bindings = auditBindings(auditContext(ctx), { action: 'create', entity: 'patient', entityId: id, patientId: id });
  const row = { programId, id } as Row;
  for (const f of FIELD_NAMES) (row as Record<string, unknown>)[f] = bindings[f] = blankToNull(f === 'mrn' ? input.mrn.trim() : input[f]);
  bindings.programId = programId;
  bindings.id = id;
  bindings.now = ctx.now;
  await registerQuery(tx).execute(bindings);
  // Every column is bound explicitly, so no default applies, and the trigger on patients
  // only checks the programme: the stored record is the row bound here, and the insert
  // returns nothing to decode.
  row.version = 1;
  row.createdAt = row.updatedAt = ctx.now;
  return toDto(row);
}

/** Every field a registration may set; the prepared insert binds each one (null when not given). */
const FIELD_NAMES = [
  'mrn',
  'legalGivenName',
  'legalFamilyName',
  'preferredName',
  'pronouns',
  'birthDate',
  'administrativeSex',
  'sex',
  'genderIdentity',
  'preferredLanguage',
  'phone',
  'email',
  'address',
  'contactConsent',
  'emergencyContactName',
  'emergencyContactPhone',
  'emergencyContactRelationship',
] as const satisfies ReadonlyArray<keyof PatientFields>;

const registerQuery = preparedOnce((tx) => {
  const bound = Object.fromEntries(FIELD_NAMES.map((f) => [f, sql.placeholder(f)])) as unknown as typeof patients.$inferInsert;
  return tx
    .with(auditedByPlaceholders(tx))
    .insert(patients)
    .values({ ...bound, programId: sql.placeholder('programId'), id: sql.placeholder('id'), version: 1, createdAt: sql.placeholder('now'), updatedAt: sql.placeholder('now') })
    .prepare('waypoint_register_patient');
});

/** Reading a patient is one prepared statement: the read and its audit event (written only if the record exists). */
const getPatientQuery = preparedOnce((tx) => {
  const where = and(eq(patients.programId, sql.placeholder('programId')), eq(patients.id, sql.placeholder('id')));
  const exists = tx
    .select({ one: sql`1` })
    .from(patients)
    .where(where)
    .getSQL();
  return tx
    .with(auditedByPlaceholders(tx, { onlyIf: exists }))
    .select()
    .from(patients)
    .where(where)
    .prepare('waypoint_get_patient');
});

export async function getPatient(deps: Deps, id: string): Promise<PatientDto> {
  const { tx, ctx } = deps;
  const [row] = await getPatientQuery(tx).execute({
    programId: programOf(ctx),
    id,
    ...auditBindings(auditContext(ctx), { action: 'read', entity: 'patient', entityId: id, patientId: id }),
  });
  if (!row) throw notFound('Patient');
  return toDto(row);
}

/** Throws 404 unless the patient exists in the caller's programme. */
export async function assertPatient(tx: Tx, ctx: Ctx, id: string): Promise<void> {
  const [row] = await tx
    .select({ id: patients.id })
    .from(patients)
    .where(and(eq(patients.programId, programOf(ctx)), eq(patients.id, id)));
  if (!row) throw notFound('Patient');
}

export async function updatePatient(deps: Deps, id: string, input: Partial<PatientFields> & { version: number }): Promise<PatientDto> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const { version, ...changes } = input;
  const fields = Object.keys(changes).filter((k) => (changes as Record<string, unknown>)[k] !== undefined);
  if (changes.mrn) {
    const [taken] = await tx
      .select({ id: patients.id })
      .from(patients)
      .where(and(eq(patients.programId, programId), eq(lower(patients.mrn), changes.mrn.trim().toLowerCase())));
    if (taken && taken.id !== id) throw conflict('mrn_taken', 'Another patient in this programme has this MRN.', 'body.mrn');
  }
  const [row] = await tx
    .update(patients)
    .set({ ...nullify(changes), version: sql`${patients.version} + 1`, updatedAt: ctx.now })
    .where(and(eq(patients.programId, programId), eq(patients.id, id), eq(patients.version, version)))
    .returning();
  if (!row) {
    await assertPatient(tx, ctx, id);
    throw conflict('stale_version', 'Someone else changed this record since you opened it. Reload it and make your change again.', 'body.version');
  }
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'patient', entityId: id, patientId: id, detail: { fields } });
  return toDto(row);
}

export type SearchInput = { q?: string | undefined; birthDate?: string | undefined; mrn?: string | undefined; limit: number; cursor?: string | undefined };

/** The words of a free-text patient search (at most four), lower-cased. */
export function searchWords(q: string | undefined): string[] {
  return (q ?? '')
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean)
    .slice(0, 4);
}

/** A patient matches every word: a name's prefix (legal or preferred), the whole MRN, or a birth date (YYYY-MM-DD). */
export function patientSearchConditions(words: readonly string[]): SQL[] {
  return words.map((w) => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(w)) return eq(patients.birthDate, w);
    const prefix = `${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return or(
      sql`lower(${patients.legalFamilyName}) like ${prefix}`,
      sql`lower(${patients.legalGivenName}) like ${prefix}`,
      sql`lower(${patients.preferredName}) like ${prefix}`,
      sql`lower(${patients.mrn}) = ${w}`,
    )!;
  });
}

/** Name (prefix of family, given or preferred name, every word), birth date, MRN; keyset-paginated. */
export async function searchPatients(deps: Deps, input: SearchInput): Promise<{ items: PatientSummaryDto[]; nextCursor: string | null }> {
  const { tx, ctx } = deps;
  const conds: SQL[] = [eq(patients.programId, programOf(ctx)), ...patientSearchConditions(searchWords(input.q))];
  if (input.birthDate) conds.push(eq(patients.birthDate, input.birthDate));
  if (input.mrn) conds.push(eq(lower(patients.mrn), input.mrn.toLowerCase()));
  const after = decodeCursor(input.cursor);
  if (after) {
    conds.push(sql`(lower(${patients.legalFamilyName}), lower(${patients.legalGivenName}), ${patients.id}) > (${after[0]}, ${after[1]}, ${after[2]}::uuid)`);
  }
  const rows = await tx
    .select(summary)
    .from(patients)
    .where(and(...conds))
    .orderBy(sql`lower(${patients.legalFamilyName})`, sql`lower(${patients.legalGivenName})`, asc(patients.id))
    .limit(input.limit + 1);
  const more = rows.length > input.limit;
  const items = more ? rows.slice(0, input.limit) : rows;
  const last = items[items.length - 1];
  await writeAudit(tx, auditContext(ctx), { action: 'search', entity: 'patient', detail: { count: items.length } });
  return {
    items,
    nextCursor: more && last ? encodeCursor([last.legalFamilyName.toLowerCase(), last.legalGivenName.toLowerCase(), last.id]) : null,
  };
}

const encodeCursor = (v: [string, string, string]) => Buffer.from(JSON.stringify(v)).toString('base64url');
function decodeCursor(c: string | undefined): [string, string, string] | null {
  if (!c) return null;
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'string') && /^[0-9a-f-]{36}$/i.test(v[2] as string)) {
      return v as [string, string, string];
    }
  } catch {
    /* fall through */
  }
  throw new AppError({ code: 'invalid_input', status: 400, message: 'The page cursor is not valid. Start the search again.', problems: [{ field: 'body.cursor', message: 'is not valid' }] });
}

/** Empty optional strings are stored as null. */
const blankToNull = (v: unknown) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? null : v);

function nullify<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = blankToNull(v);
  return out as T;
}
