// The one rule for what a re-import changes (issue 15, docs/meetings.md "Sources and import"):
// a meeting's key within its source, a stable digest of its content, and the comparison of
// the meetings a source had with the ones a feed lists now. Pure.
import { createHash } from 'node:crypto';
import type { Meeting } from './model.ts';

/**
 * A meeting's key: the record's slug (or BMLT id) when the record is on one day, and
 * `slug#weekday` when one record lists several days (each becomes its own meeting).
 * An exported meeting keeps its key as its slug, so export → import keeps every key.
 */
export function meetingKey(id: string, weekday: number, severalDays: boolean): string {
  return severalDays ? `${id}#${weekday}` : id;
}

/**
 * The fields that make a meeting's content, in a fixed order (the key is not content): what the
 * hash covers, and what a re-import replaces in a stored row (server/modules/meetings/import.ts).
 */
export const CONTENT_FIELDS = [
  'fellowship',
  'name',
  'weekday',
  'startTime',
  'endTime',
  'timeZone',
  'mode',
  'locationName',
  'address',
  'postalCode',
  'latitude',
  'longitude',
  'conferenceUrl',
  'conferencePhone',
  'languages',
  'types',
  'notes',
] as const satisfies readonly (keyof Meeting)[];

/** A stable digest of a meeting's content: the same content always gives the same hash, whatever the key order of the input. */
export function contentHash(m: Meeting): string {
  const values = CONTENT_FIELDS.map((f) => m[f] ?? null);
  return createHash('sha256').update(JSON.stringify(values)).digest('base64url').slice(0, 32);
}

/** What a source holds now for one key. */
export type Existing = { hash: string; active: boolean };

export type MeetingDiff = {
  /** New keys. */
  added: Meeting[];
  /** Keys whose content changed, or that were inactive and are listed again (reactivated). */
  updated: Meeting[];
  /** Keys listed with the same content and still active: nothing is written. */
  unchanged: string[];
  /** Active keys the feed no longer lists: kept, made inactive. */
  inactivated: string[];
};

/**
 * Compares a source's meetings (key → hash and active) with the meetings a feed lists now.
 * An inactive meeting that the feed no longer lists stays as it is (not counted again).
 */
export function diffMeetings(existing: ReadonlyMap<string, Existing>, parsed: readonly Meeting[]): MeetingDiff {
  const out: MeetingDiff = { added: [], updated: [], unchanged: [], inactivated: [] };
  const seen = new Set<string>();
  for (const m of parsed) {
    seen.add(m.key);
    const e = existing.get(m.key);
    if (!e) out.added.push(m);
    else if (!e.active || e.hash !== contentHash(m)) out.updated.push(m);
    else out.unchanged.push(m.key);
  }
  for (const [key, e] of existing) if (e.active && !seen.has(key)) out.inactivated.push(key);
  out.inactivated.sort();
  return out;
}
