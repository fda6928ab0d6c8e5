// `npm start` seeds the demo on whatever day it is: the demo must show today's test-day
// queue, a positive, a missed test, a laboratory correction, a shown draw and a redemption
// on every weekday (it did not: its calendar was Monday, Wednesday and Friday, and positives
// and missed tests fell on fixed dates that were not always test days). The schedule is
// checked for every weekday; the whole seed on a Sunday (seeding takes seconds).
import { afterEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { testDatabase } from '../support/db.ts';
import type { Database } from '../../server/platform/db/database.ts';
import { demoPatientAppInvite, seedDemo } from '../../server/modules/demo/seed.ts';
import { activatePhone } from '../support/patient-device.ts';
import { demoSchedule } from '../../server/modules/demo/seed-clinical.ts';
import { weekday } from '../../core/cm/calendar.ts';
import { buildApp } from '../../server/app.ts';
import { cmDrawReveals, cmEvents, cmRedemptions, cmRedemptionRequests } from '../../server/modules/cm/cm.tables.ts';
import { screenCorrections, screens } from '../../server/modules/screens/screens.tables.ts';
import { checkIns } from '../../server/modules/checkins/checkins.tables.ts';
import { outboxMessages } from '../../server/modules/messages/messages.tables.ts';
import { deliverDue } from '../../server/modules/messages/outbox.ts';
import { programHelpSettings, safetyPlanVersions } from '../../server/modules/help/help.tables.ts';
import { encounterParticipants, groupSeries } from '../../server/modules/encounters/encounters.tables.ts';
import { counsellingNotes, progressNotes } from '../../server/modules/notes/notes.tables.ts';
import { skillAssignments, skillModules, skillProgress, skillReviews } from '../../server/modules/skills/skills.tables.ts';

let database: Database | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

// One week from a Monday: 10:00 in the demo programme's New York.
const DAYS = ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08'];

describe('the demo, seeded on any day of the week', () => {
  it.each(DAYS)('on %s, today is a test day and the history has the test days the demo uses', (day) => {
    const { days, testDays } = demoSchedule(day);
    expect(days).toContain(weekday(day));
    expect(days).toHaveLength(3);
    expect(testDays.length).toBeGreaterThanOrEqual(7); // the demo places events up to the 7th
    expect(testDays.every((d) => d < day && days.includes(weekday(d)))).toBe(true);
  });

  it.each(['2026-03-08'])('shows every CM feature when seeded on %s', async (day) => {
    const now = new Date(`${day}T15:00:00Z`);
    database = await testDatabase();
    const { db } = database;
    const demo = await seedDemo(db, now);
    const count = async (q: Promise<Array<{ n: number }>>) => Number((await q)[0]!.n);
    const n = sql<number>`count(*)`;

    // today's queue, as the collector sees it
    const app = await buildApp({ db, logLevel: 'silent', webRoot: null, clock: () => now, signInRateLimit: 1000 });
    try {
      const collector = demo.accounts.find((a) => a.role === 'specimen-collector')!;
      const signIn = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: collector.email, password: demo.password } });
      expect(signIn.statusCode, signIn.body).toBe(200);
      const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
      const queue = await app.inject({ url: '/api/v1/cm/queue', headers: { cookie, 'waypoint-program': demo.programIds[0]! } });
      expect(queue.statusCode, queue.body).toBe(200);
      expect((queue.json() as { items: unknown[] }).items.length).toBeGreaterThanOrEqual(4);

      // the counsellor's work list: one open check-in alert (strong craving on days running), and an acknowledged one
      const counsellor = demo.accounts.find((a) => a.role === 'counsellor')!;
      const c = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: counsellor.email, password: demo.password } });
      const headers = { cookie: String(c.headers['set-cookie']).split(';')[0]!, 'waypoint-program': demo.programIds[0]! };
      const alerts = await app.inject({ url: '/api/v1/safety-alerts?status=all', headers });
      expect(alerts.statusCode, alerts.body).toBe(200);
      const fromCheckIns = (alerts.json() as { items: Array<{ source: string; code: string; acknowledgedAt: string | null }> }).items.filter((a) => a.source === 'check-in');
      expect(fromCheckIns.filter((a) => !a.acknowledgedAt).map((a) => a.code)).toEqual(['craving-run']);
      expect(fromCheckIns.filter((a) => a.acknowledgedAt).map((a) => a.code)).toEqual(['missed-doses']);

      // one redemption over the approval threshold waits for a second person (the Approvals tab): not the coordinator who gave it
      const coordinator = demo.accounts.find((a) => a.role === 'cm-coordinator')!;
      const k = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: coordinator.email, password: demo.password } });
      const pending = await app.inject({ url: '/api/v1/cm/redemptions?status=pending', headers: { cookie: String(k.headers['set-cookie']).split(';')[0]!, 'waypoint-program': demo.programIds[0]! } });
      expect(pending.statusCode, pending.body).toBe(200);
      expect(pending.json()).toMatchObject({ items: [{ mrn: 'HSC-0002', itemName: 'Grocery gift card $10 (demo)', status: 'pending-approval', separationOfDuties: 'you-requested' }] });
    } finally {
      await app.close();
    }

    const positives = await count(
      db
        .select({ n })
        .from(screens)
        .innerJoin(cmEvents, eq(cmEvents.id, screens.id))
        .where(sql`exists (select 1 from jsonb_array_elements(${screens.results}) r where r->>'analyte' = 'cocaine' and r->>'result' = 'positive')`),
    );
    expect(positives).toBeGreaterThanOrEqual(2);
    expect(await count(db.select({ n }).from(cmEvents).where(eq(cmEvents.kind, 'missed')))).toBeGreaterThanOrEqual(2);
    expect(await count(db.select({ n }).from(screenCorrections))).toBeGreaterThanOrEqual(1);
    expect(await count(db.select({ n }).from(cmDrawReveals))).toBeGreaterThanOrEqual(1);
    expect(await count(db.select({ n }).from(cmRedemptions))).toBeGreaterThanOrEqual(1);
    // a request from the patient app, waiting for staff to give it
    expect(await count(db.select({ n }).from(cmRedemptionRequests))).toBe(1);
    expect(await count(db.select({ n }).from(checkIns))).toBeGreaterThanOrEqual(40);
    // Help now: the programme's numbers and places, and the demo app patient's safety plan in two versions (patient, then counsellor)
    expect(await count(db.select({ n }).from(programHelpSettings))).toBe(1);
    const plan = await db.select({ kind: safetyPlanVersions.savedByKind }).from(safetyPlanVersions).orderBy(safetyPlanVersions.version);
    expect(plan.map((v) => v.kind)).toEqual(['patient', 'staff']);
    // encounters: a weekly group with four weeks of attendance, two members earning attendance vouchers, today's sessions, notes
    expect(await count(db.select({ n }).from(groupSeries))).toBe(1);
    expect(
      await count(
        db
          .select({ n })
          .from(encounterParticipants)
          .where(sql`${encounterParticipants.attendance} is not null`),
      ),
    ).toBeGreaterThanOrEqual(40);
    expect(
      await count(
        db
          .select({ n })
          .from(encounterParticipants)
          .where(sql`${encounterParticipants.cmEventId} is not null`),
      ),
    ).toBeGreaterThanOrEqual(8);
    expect(
      await count(
        db
          .select({ n })
          .from(encounterParticipants)
          .where(sql`${encounterParticipants.arrivedAt} is not null`),
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(await count(db.select({ n }).from(progressNotes))).toBeGreaterThanOrEqual(1);
    expect(await count(db.select({ n }).from(counsellingNotes))).toBeGreaterThanOrEqual(1);
    // skills: modules at every depth (some finished, some stopped part way), homework with reviews, a module finished
    // by the demo app patient (and others enrolled in CM) paid on the demo protocol's module track, and a module of the programme's own
    expect(await count(db.select({ n }).from(skillAssignments))).toBeGreaterThanOrEqual(12);
    expect(
      await count(
        db
          .select({ n })
          .from(skillProgress)
          .where(sql`${skillProgress.completedAt} is not null`),
      ),
    ).toBeGreaterThanOrEqual(4);
    expect(
      await count(
        db
          .select({ n })
          .from(skillProgress)
          .where(sql`${skillProgress.completedAt} is null`),
      ),
    ).toBeGreaterThanOrEqual(4);
    expect(await count(db.select({ n }).from(skillReviews))).toBeGreaterThanOrEqual(2);
    expect(await count(db.select({ n }).from(cmEvents).where(eq(cmEvents.kind, 'module')))).toBeGreaterThanOrEqual(1);
    expect(await count(db.select({ n }).from(skillModules).where(eq(skillModules.status, 'published')))).toBe(1);

    // the outbox: waiting messages (delivered to the console with no provider), one suppressed, one dead letter
    const byStatus = async (status: string) =>
      count(
        db
          .select({ n })
          .from(outboxMessages)
          .where(eq(outboxMessages.status, status as 'pending')),
      );
    expect(await byStatus('pending')).toBeGreaterThanOrEqual(3);
    expect(await byStatus('suppressed')).toBeGreaterThanOrEqual(1);
    expect(await byStatus('dead')).toBe(1);
    await deliverDue(db, {}, { leaseSeconds: 60, clock: () => now });
    expect(await count(db.select({ n }).from(outboxMessages).where(eq(outboxMessages.deliveredVia, 'console')))).toBeGreaterThanOrEqual(3);
  });

  it('start-up prints a patient-app code for the demo patient that activates a phone, once', async () => {
    const now = new Date('2026-03-04T15:00:00Z');
    database = await testDatabase();
    await seedDemo(database.db, now);
    const first = await demoPatientAppInvite(database.db, now);
    const invite = await demoPatientAppInvite(database.db, now); // a restart: a new code, the old one revoked
    expect(invite?.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const app = await buildApp({ db: database.db, logLevel: 'silent', webRoot: null, clock: () => now, signInRateLimit: 1000 });
    try {
      const phone = await activatePhone(app, invite!.code);
      expect((await app.inject({ url: '/api/patient/me', headers: { cookie: phone.cookie } })).statusCode).toBe(200);
      // the demo patient is in CM: Today shows their progress, read with the CM module's reads
      const today = await app.inject({ url: '/api/patient/today', headers: { cookie: phone.cookie } });
      expect(today.statusCode, today.body).toBe(200);
      // their next visits: counselling in person, then by video, on weekdays
      const visits = (today.json() as { visits: Array<{ startsAt: string; modality: string }> }).visits;
      expect(visits.map((v) => v.modality)).toEqual(['in-person', 'video']);
      for (const v of visits) expect([1, 2, 3, 4, 5]).toContain(new Date(v.startsAt).getUTCDay());
      const cm = (today.json() as { cm: { balanceCents: number; streak: number; next: { cents: number } | null } | null }).cm;
      expect(cm).not.toBeNull();
      expect(cm!.balanceCents).toBeGreaterThan(0);
      expect(cm!.streak).toBeGreaterThan(0);
      expect(cm!.next?.cents).toBeGreaterThan(0);
      const audit = await database!.query<{ actor_role: string }>("select actor_role from audit_events where entity = 'cm-summary' and action = 'read' and actor_role = 'patient'");
      expect(audit.length).toBeGreaterThan(0);
      await expect(activatePhone(app, first!.code)).rejects.toThrow(/400/);
    } finally {
      await app.close();
    }
  });
});
