// The meeting directory (issue 15, docs/meetings.md "The directory and search"): search (an
// SQL prefilter — programme, active, a bounding box near a point, the weekdays — then the exact
// rule of core/meetings/search.ts), a meeting's detail, and manual entries (create, edit,
// retire) for fellowships without a feed. ZIP codes are looked up offline (the zipcodes
// package's bundled centroids, server-side only).
import { and, between, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { boundingBox, kmToMiles, milesToKm, search, type SearchQuery } from '../../../core/meetings/search.ts';
import { COACHING, currentFriendliness, welcomeCounts, type Evidence, type WelcomeAnswer } from '../../../core/meetings/friendliness.ts';
import { typeLabel } from '../../../core/meetings/types.ts';
import type { AttendanceMode, Fellowship, Friendliness } from '../../../core/meetings/model.ts';
import type { MeetingInput, MeetingSearchQuery } from '../../../contracts/meetings.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { users } from '../identity/identity.tables.ts';
import { programs } from '../programs/programs.tables.ts';
import { meetingFriendliness, meetingWelcomeReports, meetings } from './meetings.tables.ts';
import { meetingOfRow } from './rows.ts';

type Deps = { tx: Tx; ctx: Ctx };
type Row = typeof meetings.$inferSelect;
type FriendRow = { meetingId: string; friendliness: string; evidence: string; recordedAt: Date; expiresAt: Date | null };

const zipcodes = createRequire(import.meta.url)('zipcodes') as { lookup(zip: string): { latitude: number; longitude: number; city: string; state: string; country: string } | undefined };

/** A US ZIP code's centroid, or null when the package does not know it. */
export function zipCentroid(zip: string): { latitude: number; longitude: number; place: string } | null {
  const z = /^\d{5}$/.test(zip) ? zipcodes.lookup(zip) : undefined;
  return z && z.country === 'US' ? { latitude: z.latitude, longitude: z.longitude, place: `${z.city}, ${z.state}` } : null;
}

/** The latest friendliness record of each meeting (one query). */
async function latestFriendliness(tx: Tx, programId: string, ids: string[]): Promise<Map<string, FriendRow>> {
  const out = new Map<string, FriendRow>();
  if (ids.length === 0) return out;
  const rows = await tx
    .selectDistinctOn([meetingFriendliness.meetingId], {
      meetingId: meetingFriendliness.meetingId,
      friendliness: meetingFriendliness.friendliness,
      evidence: meetingFriendliness.evidence,
      recordedAt: meetingFriendliness.recordedAt,
      expiresAt: meetingFriendliness.expiresAt,
    })
    .from(meetingFriendliness)
    .where(and(eq(meetingFriendliness.programId, programId), inArray(meetingFriendliness.meetingId, ids)))
    .orderBy(meetingFriendliness.meetingId, desc(meetingFriendliness.recordedAt));
  for (const r of rows) out.set(r.meetingId, r);
  return out;
}

function currentOf(f: FriendRow | undefined, now: Date) {
  const c = currentFriendliness(f ? [{ friendliness: f.friendliness as Friendliness, evidence: f.evidence as Evidence, recordedAt: f.recordedAt, expiresAt: f.expiresAt }] : [], now);
  return { ...c, recordedAt: c.recordedAt?.toISOString() ?? null, expiresAt: c.expiresAt?.toISOString() ?? null };
}

/** A stored meeting as staff and patients see it: the meeting model (rows.ts), its type labels and current friendliness. */
function summaryOf(r: Row, f: FriendRow | undefined, now: Date) {
  const { key: _key, ...meeting } = meetingOfRow(r);
  return {
    id: r.id,
    manual: r.sourceId === null,
    active: r.active,
    ...meeting,
    types: meeting.types.map((code) => ({ code, en: typeLabel(code, 'en'), es: typeLabel(code, 'es') })),
    friendliness: currentOf(f, now),
  };
}

/** Turns the HTTP query into the rule's query (a ZIP code into its centroid: 400 when unknown). */
export function ruleQuery(q: MeetingSearchQuery, now: Date, defaultTimeZone: string): { rule: SearchQuery; centre: { latitude: number; longitude: number; place: string | null } | null } {
  let centre: { latitude: number; longitude: number; place: string | null } | null = null;
  if (q.postalCode !== undefined) {
    centre = zipCentroid(q.postalCode);
    if (!centre) throw invalid('querystring.postalCode', 'We do not know this ZIP code.', 'unknown_postal_code');
  } else if (q.latitude !== undefined && q.longitude !== undefined) centre = { latitude: q.latitude, longitude: q.longitude, place: null };
  const radiusKm = q.unit === 'km' ? q.radius : milesToKm(q.radius);
  let weekdays = q.weekdays;
  if (q.today) {
    const day = new Intl.DateTimeFormat('en-US', { timeZone: defaultTimeZone, weekday: 'short' }).format(now);
    const today = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(day);
    weekdays = weekdays ? weekdays.filter((d: number) => d === today) : [today];
  }
  return {
    centre,
    rule: {
      near: centre ? { latitude: centre.latitude, longitude: centre.longitude, radiusKm } : undefined,
      weekdays,
      timeWindow: q.from && q.to ? { from: q.from, to: q.to } : undefined,
      startingWithinMinutes: q.nextHours !== undefined ? q.nextHours * 60 : undefined,
      onlineNow: q.onlineNow,
      fellowships: q.fellowship,
      languages: q.language,
      modes: q.mode,
      friendlyFirst: q.friendlyFirst,
      limit: q.limit,
    },
  };
}

/** The SQL prefilter: programme, active, bounding box, weekdays (a superset of the rule's answer). */
export function prefilter(programId: string, rule: SearchQuery): SQL {
  const where: SQL[] = [eq(meetings.programId, programId), eq(meetings.active, true)];
  if (rule.near) {
    const b = boundingBox(rule.near, rule.near.radiusKm);
    where.push(between(meetings.latitude, b.minLat, b.maxLat), between(meetings.longitude, b.minLon, b.maxLon));
  }
  // weekdays are the meeting's own; "next hours" may reach tomorrow in any zone: keep the set open then
  if (rule.weekdays && rule.startingWithinMinutes === undefined && !rule.onlineNow) where.push(inArray(meetings.weekday, rule.weekdays));
  if (rule.modes) where.push(inArray(meetings.mode, rule.modes));
  if (rule.onlineNow) where.push(inArray(meetings.mode, ['online', 'hybrid']));
  if (rule.fellowships) where.push(inArray(meetings.fellowship, rule.fellowships));
  if (rule.languages) where.push(sql`${meetings.languages} && ${sql.param(rule.languages)}::text[]`);
  return and(...where)!;
}

const programmeZone = async (tx: Tx, programId: string): Promise<string> => {
  const [p] = await tx.select({ timeZone: programs.timeZone }).from(programs).where(eq(programs.id, programId));
  return p?.timeZone ?? 'UTC';
};

/** Search the programme's directory (staff and patients alike): at most 50, nearest / soonest first. */
export async function searchMeetings(deps: Deps, q: MeetingSearchQuery, who: { patientId?: string } = {}) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const { rule, centre } = ruleQuery(q, ctx.now, q.today ? await programmeZone(tx, programId) : 'UTC');
  const rows = await tx.select().from(meetings).where(prefilter(programId, rule));
  const friend = await latestFriendliness(
    tx,
    programId,
    rows.map((r) => r.id),
  );
  const candidates = rows.map((r) => ({ ...r, fellowship: r.fellowship as Fellowship, mode: r.mode as AttendanceMode, friendliness: currentOf(friend.get(r.id), ctx.now).friendliness }));
  const hits = search(candidates, rule, ctx.now);
  await writeAudit(tx, auditContext(ctx, { programId }), { action: 'search', entity: 'meetings', patientId: who.patientId ?? null, detail: { results: hits.length } });
  return {
    centre,
    coaching: COACHING,
    items: hits.map((h) => ({
      ...summaryOf(h.meeting, friend.get(h.meeting.id), ctx.now),
      distanceKm: h.distanceKm === null ? null : Math.round(h.distanceKm * 10) / 10,
      distanceMiles: h.distanceKm === null ? null : Math.round(kmToMiles(h.distanceKm) * 10) / 10,
      startsInMinutes: h.startsInMinutes,
      inProgress: h.inProgress,
    })),
  };
}

async function rowOf(tx: Tx, programId: string, id: string, lock = false): Promise<Row> {
  const q = tx
    .select()
    .from(meetings)
    .where(and(eq(meetings.programId, programId), eq(meetings.id, id)));
  const [r] = lock ? await q.for('update') : await q;
  if (!r) throw notFound('Meeting');
  return r;
}

/** A meeting with its friendliness history and the patients' welcome answers (counts, once ≥ 3 patients). */
export async function meetingDetail(deps: Deps, id: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const r = await rowOf(tx, programId, id);
  const history = await tx
    .select({ f: meetingFriendliness, name: users.displayName })
    .from(meetingFriendliness)
    .leftJoin(users, eq(users.id, meetingFriendliness.recordedBy))
    .where(and(eq(meetingFriendliness.programId, programId), eq(meetingFriendliness.meetingId, id)))
    .orderBy(desc(meetingFriendliness.recordedAt));
  const reports = await tx
    .select({ patientId: meetingWelcomeReports.patientId, answer: meetingWelcomeReports.answer, at: meetingWelcomeReports.at })
    .from(meetingWelcomeReports)
    .where(and(eq(meetingWelcomeReports.programId, programId), eq(meetingWelcomeReports.meetingId, id)));
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'meeting', entityId: id });
  return {
    meeting: summaryOf(r, history[0]?.f, ctx.now),
    history: history.map(({ f, name }) => ({
      id: f.id,
      friendliness: f.friendliness as Friendliness,
      evidence: f.evidence as Evidence,
      note: f.note,
      recordedByName: name,
      recordedAt: f.recordedAt.toISOString(),
      expiresAt: f.expiresAt?.toISOString() ?? null,
    })),
    welcome: welcomeCounts(reports.map((x) => ({ ...x, answer: x.answer as WelcomeAnswer }))),
  };
}

function fieldsOf(m: MeetingInput) {
  let { latitude, longitude } = m;
  if ((latitude == null || longitude == null) && m.postalCode && m.mode !== 'online') {
    const c = zipCentroid(m.postalCode);
    if (!c) throw invalid('body.postalCode', 'We do not know this ZIP code.', 'unknown_postal_code');
    ({ latitude, longitude } = c);
  }
  return {
    fellowship: m.fellowship,
    name: m.name,
    weekday: m.weekday,
    startTime: m.startTime,
    endTime: m.endTime ?? null,
    timeZone: m.timeZone,
    mode: m.mode,
    locationName: m.locationName ?? null,
    address: m.address ?? null,
    postalCode: m.postalCode ?? null,
    latitude: latitude ?? null,
    longitude: longitude ?? null,
    conferenceUrl: m.conferenceUrl ?? null,
    conferencePhone: m.conferencePhone ?? null,
    languages: [...new Set(m.languages)],
    types: [...new Set(m.types)],
    notes: m.notes ?? null,
  };
}

/** A manual entry (no source). */
export async function createMeeting(deps: Deps, input: MeetingInput) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const id = randomUUID();
  await tx
    .insert(meetings)
    .values({ programId, id, sourceId: null, sourceKey: null, ...fieldsOf(input), active: true, createdAt: ctx.now, updatedAt: ctx.now, updatedBy: ctx.principal?.userId ?? null });
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'meeting', entityId: id, detail: { fellowship: input.fellowship } });
  return meetingDetail(deps, id);
}

/** Edits a manual entry (an imported meeting is its source's: 409). */
export async function updateMeeting(deps: Deps, id: string, input: MeetingInput) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const r = await rowOf(tx, programId, id, true);
  if (r.sourceId !== null) throw invalid('params.id', 'This meeting comes from a feed; change it at its source.', 'imported_meeting');
  await tx
    .update(meetings)
    .set({ ...fieldsOf(input), updatedAt: ctx.now, updatedBy: ctx.principal?.userId ?? null })
    .where(and(eq(meetings.programId, programId), eq(meetings.id, id)));
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'meeting', entityId: id });
  return meetingDetail(deps, id);
}

/** Retires a manual entry: kept (attendance names it), no longer found. */
export async function retireMeeting(deps: Deps, id: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const r = await rowOf(tx, programId, id, true);
  if (r.sourceId !== null) throw invalid('params.id', 'This meeting comes from a feed; it is retired when its source stops listing it.', 'imported_meeting');
  if (r.active) {
    await tx
      .update(meetings)
      .set({ active: false, inactivatedAt: ctx.now, updatedAt: ctx.now, updatedBy: ctx.principal?.userId ?? null })
      .where(and(eq(meetings.programId, programId), eq(meetings.id, id)));
    await writeAudit(tx, auditContext(ctx), { action: 'revoke', entity: 'meeting', entityId: id });
  }
  return meetingDetail(deps, id);
}
