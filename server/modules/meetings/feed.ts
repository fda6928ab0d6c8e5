// The programme's own groups as a public Meeting Guide feed (issue 15, ADR 048,
// docs/meetings.md): other apps (Meeting Guide, a regional directory) read it. Only active
// meetings of fellowship `programme`; no patient data; written by M1's toMeetingGuide.
import { and, asc, eq } from 'drizzle-orm';
import type { Meeting } from '../../../core/meetings/model.ts';
import { toMeetingGuide } from '../../../core/meetings/meeting-guide.ts';
import type { Tx } from '../../platform/db/database.ts';
import { notFound } from '../../platform/errors.ts';
import { programs } from '../programs/programs.tables.ts';
import { meetings } from './meetings.tables.ts';
import { meetingOfRow } from './rows.ts';

/** A programme lists few groups of its own: the feed is answered whole, bounded. */
export const FEED_MAX = 1000;

export async function programmeFeed(tx: Tx, programId: string) {
  const [p] = await tx.select({ id: programs.id }).from(programs).where(eq(programs.id, programId));
  if (!p) throw notFound('Programme');
  const rows = await tx
    .select()
    .from(meetings)
    .where(and(eq(meetings.programId, programId), eq(meetings.fellowship, 'programme'), eq(meetings.active, true)))
    .orderBy(asc(meetings.weekday), asc(meetings.startTime), asc(meetings.id))
    .limit(FEED_MAX);
  const list: Meeting[] = rows.map(meetingOfRow);
  return toMeetingGuide(list);
}
