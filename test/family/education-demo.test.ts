// The family education demo (server/modules/demo/seed-family-education.ts): Marisol, the demo
// patient's sister, has finished two lessons and was trained with a kit two months ago, given to
// her by family_member_id, so her app's Learn shows it; Nar-Anon and Al-Anon meetings are in the
// demo directory for her meetings for families.
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../support/db.ts';
import type { Database } from '../../server/platform/db/database.ts';
import { seedDemo } from '../../server/modules/demo/seed.ts';
import { DEMO_SISTER } from '../../server/modules/demo/seed-family-education.ts';

let database: Database | undefined;
afterAll(async () => {
  await database?.close();
});

describe('the family education demo', () => {
  it('Marisol finished two lessons and has a kit with training from two months ago; the directory has meetings for families', async () => {
    const now = new Date('2026-03-04T15:00:00Z');
    database = await testDatabase();
    await seedDemo(database.db, now);
    const [sister] = await database.query<{ id: string }>('select id from family_members where display_name = $1', [DEMO_SISTER]);
    expect(sister).toBeTruthy();
    const lessons = await database.query<{ lesson: string }>('select lesson from family_lessons where family_member_id = $1 order by finished_at', [sister!.id]);
    expect(lessons.map((l) => l.lesson)).toEqual(['what-is-oud', 'overdose-naloxone']);
    const kits = await database.query<{ given_on: string; trained: boolean }>(`select given_on::text, trained from naloxone_kits where family_member_id = $1`, [sister!.id]);
    expect(kits).toEqual([{ given_on: '2026-01-03', trained: true }]);
    const trainings = await database.query<{ n: string }>('select count(*)::text n from naloxone_trainings where family_member_id = $1', [sister!.id]);
    expect(trainings[0]!.n).toBe('1');
    const meetings = await database.query<{ fellowship: string }>(`select distinct fellowship from meetings where fellowship in ('nar-anon', 'al-anon') order by fellowship`);
    expect(meetings.map((m) => m.fellowship)).toEqual(['al-anon', 'nar-anon']);
  }, 180_000);
});
