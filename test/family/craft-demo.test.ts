// The CRAFT demo (server/modules/demo/seed-craft.ts): Rosa, a CRAFT client with no patient link,
// started 10 days ago; sessions 1-3 held, homework for two, a PHQ-9 and a GAD-7 at the start, an
// open app invite.
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../support/db.ts';
import type { Database } from '../../server/platform/db/database.ts';
import { seedDemo } from '../../server/modules/demo/seed.ts';

let database: Database | undefined;
afterAll(async () => {
  await database?.close();
});

describe('the CRAFT demo', () => {
  it('Rosa (demo CRAFT): course 10 days old, 3 held, 2 homework, PHQ-9 and GAD-7, an open invite, no patient link', async () => {
    const now = new Date('2026-03-04T15:00:00Z');
    database = await testDatabase();
    await seedDemo(database.db, now);
    const [rosa] = await database.query<{ id: string }>('select id from family_members where display_name = $1', ['Rosa (demo CRAFT)']);
    expect(rosa).toBeTruthy();
    const [course] = await database.query<{ id: string; started_on: string }>('select id, started_on::text from craft_courses where family_member_id = $1', [rosa!.id]);
    expect(course!.started_on).toBe('2026-02-22');
    const sessions = await database.query<{ number: number; status: string; done: boolean }>(
      'select number, status, homework_done_at is not null as done from craft_sessions where course_id = $1 order by number',
      [course!.id],
    );
    expect(sessions).toHaveLength(12);
    expect(sessions.filter((s) => s.status === 'held').map((s) => s.number)).toEqual([1, 2, 3]);
    expect(sessions.filter((s) => s.done).map((s) => s.number)).toEqual([1, 2]);
    const assessments = await database.query<{ instrument: string }>('select instrument from family_assessments where family_member_id = $1 order by instrument', [rosa!.id]);
    expect(assessments.map((a) => a.instrument)).toEqual(['gad-7', 'phq-9']);
    expect(await database.query('select 1 from family_links where family_member_id = $1', [rosa!.id])).toEqual([]);
    const invites = await database.query<{ n: string }>('select count(*)::text n from patient_invites where family_member_id = $1 and used_at is null and revoked_at is null', [rosa!.id]);
    expect(invites[0]!.n).toBe('1');
  }, 180_000);
});
