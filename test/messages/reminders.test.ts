// Reminders on the demo data: on a test day, enrolled patients get "Your clinic would like
// to see you today"; those with draws waiting get "Something is waiting for you" — once a
// day (a second run enqueues nothing), not before 07:00 in the programme's time zone, and
// as suppressed (with the reason) for patients who have not agreed to be contacted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { seedDemo } from '../../server/modules/demo/seed.ts';
import { outboxMessages } from '../../server/modules/messages/messages.tables.ts';
import { enqueueReminders } from '../../server/modules/messages/reminders.ts';
import type { Database } from '../../server/platform/db/database.ts';
import { testDatabase } from '../support/db.ts';

const DAY = '2026-03-04';
let database: Database;
beforeAll(async () => {
  database = await testDatabase();
  await seedDemo(database.db, new Date(`${DAY}T15:00:00Z`));
}, 120_000);
afterAll(async () => {
  await database?.close();
});

describe('reminders', () => {
  it('are not enqueued before 07:00 local', async () => {
    expect(await enqueueReminders(database.db, new Date(`${DAY}T10:30:00Z`))).toEqual({ testDay: 0, drawsWaiting: 0 }); // 05:30 in New York
  });

  it('on a test day: one per enrolled patient for the day, and one for draws waiting; a second run adds none', async () => {
    const now = new Date(`${DAY}T16:00:00Z`);
    const first = await enqueueReminders(database.db, now);
    expect(first.testDay).toBeGreaterThanOrEqual(3);
    expect(first.drawsWaiting).toBeGreaterThanOrEqual(1);
    expect(await enqueueReminders(database.db, new Date(`${DAY}T20:00:00Z`))).toEqual({ testDay: 0, drawsWaiting: 0 });
    const rows = await database.db.select().from(outboxMessages).where(like(outboxMessages.cause, 'reminder:%'));
    expect(rows.filter((r) => r.cause === 'reminder:test-day')).toHaveLength(first.testDay);
    expect(rows.filter((r) => r.cause === 'reminder:draws-waiting')).toHaveLength(first.drawsWaiting);
    expect(rows.every((r) => r.template === 'visit-today' || r.template === 'something-waiting')).toBe(true);
    // patients without consent on record: suppressed, with the reason, not dropped
    const suppressed = rows.filter((r) => r.status === 'suppressed');
    expect(suppressed.every((r) => r.suppressedReason === 'no-consent' || r.suppressedReason === 'no-address')).toBe(true);
    // the next day: new reminders again
    const next = await enqueueReminders(database.db, new Date('2026-03-06T16:00:00Z'));
    expect(next.testDay + next.drawsWaiting).toBeGreaterThan(0);
    expect((await database.db.select().from(outboxMessages).where(eq(outboxMessages.cause, 'reminder:test-day'))).length).toBe(first.testDay + next.testDay);
  });
});
