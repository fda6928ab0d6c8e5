// FHIR R4 Appointment, Encounter and Schedule from the encounters tables (issue 14, ADR 044).
// A visit with the people booked on it is one Appointment (each person a participant with a
// status, and what happened to them as an extension); each person seen at a held visit is
// one Encounter (finished), whose id joins the visit's and the person's ids (32 + 32 hex
// digits, within FHIR's 64); a staff member's calendar is a Schedule (id = the staff user's
// id). Counselling notes are never FHIR resources. Every query is filtered by the caller's
// programme; every read and search is audited in the same transaction.
import { and, desc, eq, exists, inArray, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import { DEFAULT_ENCOUNTER_TYPES, type Attendance } from '../../../core/encounters/types.ts';
import type { Tx } from '../../platform/db/database.ts';
import { programOf, type Ctx } from '../../platform/http/context.ts';
import { encounterParticipants, encounters, encounterTypes } from '../encounters/encounters.tables.ts';
import { roleAssignments, users } from '../identity/identity.tables.ts';
import { auditRead, auditSearch, badParam, countAll, countOf, cursorOf, dateConds, encode, idsOf, NONE, notFound, patientOf, totalOf, UUID, values, type Query, type SearchResult } from './fhir.ts';
import { SECURITY_LABELS, WAYPOINT, type Resource } from './resources.ts';

type Deps = { tx: Tx; ctx: Ctx };

const meta = (extra: Record<string, unknown> = {}) => ({ ...extra, security: SECURITY_LABELS.map((l) => ({ ...l })) });
const STAFF_SID = `${WAYPOINT}/sid/staff`;
const TYPE_SYSTEM = `${WAYPOINT}/CodeSystem/encounter-type`;
const ATTENDANCE_EXT = `${WAYPOINT}/StructureDefinition/attendance`;
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
/** Attendance that means the person was seen (core/encounters wasSeen), as SQL values. */
const SEEN: Attendance[] = ['attended', 'late', 'left-early'];

const staffRef = (id: string, name: string | null) => ({ identifier: { system: STAFF_SID, value: id }, ...(name ? { display: name } : {}) });

/** Encounter ids: the visit's id and the person's id, hex without hyphens (64 characters). */
export const encounterResourceId = (encounterId: string, patientId: string) => `${encounterId.replace(/-/g, '')}${patientId.replace(/-/g, '')}`;
function splitEncounterId(id: string): { encounterId: string; patientId: string } | null {
  if (!/^[0-9a-f]{64}$/i.test(id)) return null;
  const uuid = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`.toLowerCase();
  return { encounterId: uuid(id.slice(0, 32)), patientId: uuid(id.slice(32)) };
}

/** Labels of the visit types: built-in and the programme's own. */
async function typeLabels(tx: Tx, programId: string): Promise<Record<string, string>> {
  const own = await tx.select({ code: encounterTypes.code, label: encounterTypes.labelEn }).from(encounterTypes).where(eq(encounterTypes.programId, programId));
  return { ...Object.fromEntries(DEFAULT_ENCOUNTER_TYPES.map((t) => [t.code, t.label.en])), ...Object.fromEntries(own.map((t) => [t.code, t.label])) };
}

async function staffNames(tx: Tx, ids: string[]): Promise<Record<string, string>> {
  const list = [...new Set(ids)];
  if (list.length === 0) return {};
  const rows = await tx.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, list));
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}

type VisitRow = typeof encounters.$inferSelect;
type ParticipantRow = typeof encounterParticipants.$inferSelect;

const typeConcept = (code: string, labels: Record<string, string>) => ({
  coding: [{ system: TYPE_SYSTEM, code, ...(labels[code] ? { display: labels[code] } : {}) }],
  ...(labels[code] ? { text: labels[code] } : {}),
});

// --- Appointment ---------------------------------------------------------------------------
/** A person's participation status: declined when their place was cancelled, else accepted. */
const participationStatus = (a: string | null) => (a === 'cancelled-patient' || a === 'cancelled-clinic' ? 'declined' : 'accepted');
const appointmentStatus = (v: VisitRow) => (v.status === 'cancelled' ? 'cancelled' : v.status === 'completed' ? 'fulfilled' : 'booked');
const FHIR_TO_STATUS: Record<string, string> = { booked: 'scheduled', fulfilled: 'completed', cancelled: 'cancelled' };

export function appointmentResource(v: VisitRow, people: ParticipantRow[], labels: Record<string, string>, names: Record<string, string>): Resource {
  return {
    resourceType: 'Appointment',
    id: v.id,
    meta: meta({ versionId: String(v.version), lastUpdated: v.updatedAt.toISOString() }),
    status: appointmentStatus(v),
    ...(v.status === 'cancelled' && v.cancelledBy
      ? {
          cancelationReason: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason',
                code: v.cancelledBy === 'patient' ? 'pat' : 'prov',
                display: v.cancelledBy === 'patient' ? 'Patient' : 'Provider',
              },
            ],
          },
        }
      : {}),
    serviceType: [typeConcept(v.typeCode, labels)],
    ...(v.title ? { description: v.title } : {}),
    start: v.startsAt.toISOString(),
    end: v.endsAt.toISOString(),
    minutesDuration: Math.round((v.endsAt.getTime() - v.startsAt.getTime()) / 60_000),
    created: v.createdAt.toISOString(),
    participant: [
      { actor: staffRef(v.staffId, names[v.staffId] ?? null), required: 'required', status: 'accepted' },
      ...people.map((p) => ({
        ...(p.attendance ? { extension: [{ url: ATTENDANCE_EXT, valueCode: p.attendance }] } : {}),
        actor: { reference: `Patient/${p.patientId}` },
        required: 'required',
        status: participationStatus(p.attendance),
      })),
    ],
  };
}

async function appointmentResources(tx: Tx, programId: string, rows: VisitRow[]): Promise<Resource[]> {
  if (rows.length === 0) return [];
  const people = await tx
    .select()
    .from(encounterParticipants)
    .where(
      and(
        eq(encounterParticipants.programId, programId),
        inArray(
          encounterParticipants.encounterId,
          rows.map((r) => r.id),
        ),
      ),
    )
    .orderBy(encounterParticipants.addedAt, encounterParticipants.patientId);
  const labels = await typeLabels(tx, programId);
  const names = await staffNames(
    tx,
    rows.map((r) => r.staffId),
  );
  return rows.map((v) =>
    appointmentResource(
      v,
      people.filter((p) => p.encounterId === v.id),
      labels,
      names,
    ),
  );
}

export async function readAppointment(deps: Deps, id: string): Promise<Resource> {
  const { tx, ctx } = deps;
  if (!UUID.test(id)) throw notFound('Appointment', id);
  const rows = await tx
    .select()
    .from(encounters)
    .where(and(eq(encounters.programId, programOf(ctx)), eq(encounters.id, id)));
  if (rows.length === 0) throw notFound('Appointment', id);
  await auditRead(deps, 'appointment', id, null);
  return (await appointmentResources(tx, programOf(ctx), rows))[0]!;
}

const staffOf = (q: Query): string | null => {
  const all = values(q, 'actor');
  if (all.length === 0) return null;
  const ids = new Set(all.map((v) => v.replace(/^(?:.*\/)?Practitioner\//, '')));
  const [id] = [...ids];
  return ids.size === 1 && id && UUID.test(id) ? id : NONE;
};

export async function searchAppointments(deps: Deps, q: Query): Promise<SearchResult> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const conds: SQL[] = [eq(encounters.programId, programId)];
  const patientId = patientOf(q);
  if (patientId)
    conds.push(
      exists(
        tx
          .select({ one: sql`1` })
          .from(encounterParticipants)
          .where(and(eq(encounterParticipants.programId, encounters.programId), eq(encounterParticipants.encounterId, encounters.id), eq(encounterParticipants.patientId, patientId))),
      ),
    );
  const staff = staffOf(q);
  if (staff) conds.push(eq(encounters.staffId, staff));
  const ids = idsOf(q);
  if (ids) conds.push(inArray(encounters.id, ids));
  for (const raw of values(q, 'status')) {
    const statuses = raw.split(',').map((s) => FHIR_TO_STATUS[s] ?? 'none');
    conds.push(inArray(encounters.status, statuses));
  }
  conds.push(...dateConds(q, encounters.startsAt));
  const count = countOf(q);
  const total = await totalOf(q, () =>
    tx
      .select({ n: countAll })
      .from(encounters)
      .where(and(...conds)),
  );
  const after = cursorOf(q);
  if (after?.at) conds.push(or(lt(encounters.startsAt, new Date(after.at)), and(eq(encounters.startsAt, new Date(after.at)), lt(encounters.id, after.id)))!);
  const rows =
    count === 0
      ? []
      : await tx
          .select()
          .from(encounters)
          .where(and(...conds))
          .orderBy(desc(encounters.startsAt), desc(encounters.id))
          .limit(count + 1);
  const page = rows.slice(0, count);
  const last = page[page.length - 1];
  await auditSearch(deps, 'appointment', patientId, page.length, total);
  return {
    resources: await appointmentResources(tx, programId, page),
    next: rows.length > count && last ? encode({ at: last.startsAt.toISOString(), id: last.id }) : null,
    ...(total === undefined ? {} : { total }),
  };
}

// --- Encounter -----------------------------------------------------------------------------
const seenSelect = { visit: encounters, person: encounterParticipants };
type SeenRow = { visit: VisitRow; person: ParticipantRow };

export function encounterResource(r: SeenRow, labels: Record<string, string>, names: Record<string, string>): Resource {
  const { visit: v, person: p } = r;
  return {
    resourceType: 'Encounter',
    id: encounterResourceId(v.id, p.patientId),
    meta: meta({ lastUpdated: (p.attendanceRecordedAt ?? v.updatedAt).toISOString() }),
    status: 'finished',
    class: v.modality === 'in-person' ? { system: ACT_CODE, code: 'AMB', display: 'ambulatory' } : { system: ACT_CODE, code: 'VR', display: 'virtual' },
    type: [typeConcept(v.typeCode, labels)],
    subject: { reference: `Patient/${p.patientId}` },
    participant: [{ individual: staffRef(v.staffId, names[v.staffId] ?? null) }],
    appointment: [{ reference: `Appointment/${v.id}` }],
    period: { start: v.startsAt.toISOString(), end: v.endsAt.toISOString() },
  };
}

/** Held for that person: the visit was not cancelled and they were seen. */
const heldConds = (programId: string): SQL[] => [eq(encounterParticipants.programId, programId), inArray(encounterParticipants.attendance, SEEN), ne(encounters.status, 'cancelled')];
const seenFrom = (tx: Tx) =>
  tx
    .select(seenSelect)
    .from(encounterParticipants)
    .innerJoin(encounters, and(eq(encounters.programId, encounterParticipants.programId), eq(encounters.id, encounterParticipants.encounterId)));

async function encounterResources(tx: Tx, programId: string, rows: SeenRow[]): Promise<Resource[]> {
  if (rows.length === 0) return [];
  const labels = await typeLabels(tx, programId);
  const names = await staffNames(
    tx,
    rows.map((r) => r.visit.staffId),
  );
  return rows.map((r) => encounterResource(r, labels, names));
}

export async function readEncounter(deps: Deps, id: string): Promise<Resource> {
  const { tx, ctx } = deps;
  const key = splitEncounterId(id);
  if (!key) throw notFound('Encounter', id);
  const rows = await seenFrom(tx).where(and(...heldConds(programOf(ctx)), eq(encounterParticipants.encounterId, key.encounterId), eq(encounterParticipants.patientId, key.patientId)));
  if (rows.length === 0) throw notFound('Encounter', id);
  await auditRead(deps, 'encounter', key.encounterId, key.patientId);
  return (await encounterResources(tx, programOf(ctx), rows))[0]!;
}

export async function searchEncounters(deps: Deps, q: Query): Promise<SearchResult> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const conds = heldConds(programId);
  const patientId = patientOf(q);
  if (patientId) conds.push(eq(encounterParticipants.patientId, patientId));
  const ids = values(q, '_id');
  for (const raw of ids) {
    const keys = raw.split(',').map((s) => splitEncounterId(s.trim()));
    const alternatives = keys.flatMap((k) => (k ? [and(eq(encounterParticipants.encounterId, k.encounterId), eq(encounterParticipants.patientId, k.patientId))!] : []));
    conds.push(alternatives.length > 0 ? or(...alternatives)! : eq(encounterParticipants.encounterId, NONE));
  }
  for (const raw of values(q, 'appointment')) {
    const visit = raw.replace(/^(?:.*\/)?Appointment\//, '');
    conds.push(eq(encounterParticipants.encounterId, UUID.test(visit) ? visit : NONE));
  }
  conds.push(...dateConds(q, encounters.startsAt));
  const count = countOf(q);
  const total = await totalOf(q, () =>
    tx
      .select({ n: countAll })
      .from(encounterParticipants)
      .innerJoin(encounters, and(eq(encounters.programId, encounterParticipants.programId), eq(encounters.id, encounterParticipants.encounterId)))
      .where(and(...conds)),
  );
  const after = cursorOf(q) as { at?: string; id: string; p?: string } | null;
  if (after?.at) {
    const p = after.p && UUID.test(after.p) ? after.p : NONE;
    conds.push(sql`(${encounters.startsAt}, ${encounters.id}, ${encounterParticipants.patientId}) < (${new Date(after.at).toISOString()}::timestamptz, ${after.id}::uuid, ${p}::uuid)`);
  }
  const rows =
    count === 0
      ? []
      : await seenFrom(tx)
          .where(and(...conds))
          .orderBy(desc(encounters.startsAt), desc(encounters.id), desc(encounterParticipants.patientId))
          .limit(count + 1);
  const page = rows.slice(0, count);
  const last = page[page.length - 1];
  await auditSearch(deps, 'encounter', patientId, page.length, total);
  return {
    resources: await encounterResources(tx, programId, page),
    next: rows.length > count && last ? Buffer.from(JSON.stringify({ at: last.visit.startsAt.toISOString(), id: last.visit.id, p: last.person.patientId })).toString('base64url') : null,
    ...(total === undefined ? {} : { total }),
  };
}

// --- Schedule ------------------------------------------------------------------------------
/** A staff member's calendar: everyone with a role in the programme has one. */
export function scheduleResource(s: { id: string; name: string }): Resource {
  return {
    resourceType: 'Schedule',
    id: s.id,
    meta: meta(),
    active: true,
    actor: [staffRef(s.id, s.name)],
    comment: `The visits ${s.name} leads: Appointment?actor=${s.id}`,
  };
}

export async function readSchedule(deps: Deps, id: string): Promise<Resource> {
  const { tx, ctx } = deps;
  if (!UUID.test(id)) throw notFound('Schedule', id);
  const [row] = await tx
    .selectDistinct({ id: users.id, name: users.displayName })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(and(eq(roleAssignments.programId, programOf(ctx)), eq(users.id, id)));
  if (!row) throw notFound('Schedule', id);
  await auditRead(deps, 'schedule', id, null);
  return scheduleResource(row);
}

export async function searchSchedules(deps: Deps, q: Query): Promise<SearchResult> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const conds: SQL[] = [eq(roleAssignments.programId, programId)];
  const ids = idsOf(q);
  if (ids) conds.push(inArray(users.id, ids));
  const staff = staffOf(q);
  if (staff) conds.push(eq(users.id, staff));
  const count = countOf(q);
  const total = await totalOf(q, () =>
    tx
      .select({ n: sql<number>`count(distinct ${users.id})::int` })
      .from(roleAssignments)
      .innerJoin(users, eq(users.id, roleAssignments.userId))
      .where(and(...conds)),
  );
  const after = cursorOf(q);
  if (after) conds.push(lt(users.id, after.id));
  if (values(q, '_cursor').length > 1) throw badParam('_cursor', 'give it once');
  const rows =
    count === 0
      ? []
      : await tx
          .selectDistinct({ id: users.id, name: users.displayName })
          .from(roleAssignments)
          .innerJoin(users, eq(users.id, roleAssignments.userId))
          .where(and(...conds))
          .orderBy(desc(users.id))
          .limit(count + 1);
  const page = rows.slice(0, count);
  await auditSearch(deps, 'schedule', null, page.length, total);
  return {
    resources: page.map((s) => scheduleResource(s)),
    next: rows.length > count ? encode({ id: page[page.length - 1]!.id }) : null,
    ...(total === undefined ? {} : { total }),
  };
}
