// A recording without an Idempotency-Key decides without locks, from what the server kept of
// the patient's last recording or else from one read, and writes in one statement kept only
// if what it decided from still holds (ADRs 018, 059, 060); with a privilege track it records
// under the enrolment locks. Whatever wrote in between — a redemption, a correction, another
// server, a prescription, a seed rotation — the award and balance must equal what a full
// read gives, either way.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { cmEnrolments, cmLedgerEntries } from '../../server/modules/cm/cm.tables.ts';
import { REQUIRE_CURRENT_HISTORY, writeIfHistoryCurrent } from '../../server/modules/cm/settle.ts';
import { keptRecording } from '../../server/modules/cm/kept-recording.ts';
import { AFTER_RECORDINGS, NEG, clinicProtocol, enrolled, ledgerBalanceWithUnshown, newPatientOf, showDraws, specimen, withoutPrivilege, type Recorded } from './support.ts';

let w: World;
let coord: Client;
let collector: Client;
beforeAll(async () => {
  w = await makeWorld({ now: AFTER_RECORDINGS });
  coord = await w.client('cm-coordinator');
  collector = await w.client('specimen-collector');
});
afterAll(async () => {
  await w?.close();
});
beforeEach(() => {
  w.clock.now = new Date(AFTER_RECORDINGS);
});

const ledgerBalance = (patientId: string) => ledgerBalanceWithUnshown(w, coord, patientId);
const record = async (patientId: string, date: string) => {
  const r = await collector.post('/api/v1/specimens', specimen(patientId, `${date}T14:00:00Z`));
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Recorded;
};

describe.each([
  ['under the enrolment locks', () => clinicProtocol()],
  ['optimistically', () => withoutPrivilege(clinicProtocol())],
])('recording %s', (_, protocol) => {
  it('sees a redemption and a correction written between two recordings', async () => {
    const { patientId } = await enrolled(w, coord, { protocol: protocol() });
    await record(patientId, '2026-03-02');
    await record(patientId, '2026-03-04');
    const item = (await coord.post('/api/v1/cm/catalogue', { name: 'Snack voucher (test)', kind: 'item', valueCents: 300, stock: 5 })).json() as { id: string };
    const red = await coord.post(`/api/v1/cm/patients/${patientId}/redemptions`, { itemId: item.id, quantity: 1, acknowledgement: { acknowledged: true, method: 'signature' } });
    expect(red.statusCode, red.body).toBe(200);
    const third = await record(patientId, '2026-03-06');
    expect(third.award.balanceCents).toBe(await ledgerBalance(patientId));
    // a laboratory finds the first cup positive: the correction claws back; the next recording knows
    const first = (await w.database.query<{ id: string }>("select id from cm_events where patient_id = $1 and kind = 'specimen' order by at limit 1", [patientId]))[0]!;
    const corr = await coord.post(`/api/v1/specimens/${first.id}/corrections`, { method: 'confirmatory', results: [{ analyte: 'cocaine', result: 'positive' }], reason: 'laboratory confirmation' });
    expect(corr.statusCode, corr.body).toBe(200);
    const fourth = await record(patientId, '2026-03-09');
    expect(fourth.award.balanceCents).toBe(await ledgerBalance(patientId));
    // the first cup failed, so the run is the three since (four, had the correction been missed)
    expect(fourth.award.outcomes.find((o) => o.track === 'stim')).toMatchObject({ outcome: 'success', s: 3 });
  });

  it('sees an entry another server wrote, even one numbered before what it already read', async () => {
    const { patientId, enrolmentId } = await enrolled(w, coord, { protocol: protocol() });
    await record(patientId, '2026-03-02');
    const programId = w.programA;
    const insert = (seq: number | null, cents: number) =>
      w.database.query(
        `insert into cm_ledger_entries (program_id, id, ${seq === null ? '' : 'seq, '}enrolment_id, patient_id, entry_key, kind, cents, reason, created_at)
       ${seq === null ? '' : 'overriding system value '}values ($1, $2, ${seq === null ? '' : `${seq}, `}$3, $4, $5, 'adjustment', $6, 'written by another server (test)', now())`,
        [programId, randomUUID(), enrolmentId, patientId, `test/${randomUUID()}`, cents],
      );
    await insert(null, 700); // after what the cache holds
    const second = await record(patientId, '2026-03-04');
    expect(second.award.balanceCents).toBe(await ledgerBalance(patientId));
    await insert(1, 300); // numbered before it: only the count shows it
    const third = await record(patientId, '2026-03-06');
    expect(third.award.balanceCents).toBe(await ledgerBalance(patientId));
  });
});

describe('the write guarded by the history version', () => {
  it('writes all of its statement when the version is the one read, and none of it otherwise', async () => {
    const { patientId, enrolmentId } = await enrolled(w, coord, { protocol: withoutPrivilege(clinicProtocol()) });
    const { db } = w.database;
    const programId = w.programA;
    const version = async () => (await db.select({ v: cmEnrolments.historyVersion }).from(cmEnrolments).where(eq(cmEnrolments.id, enrolmentId)))[0]!.v;
    const entries = async () => (await db.select({ id: cmLedgerEntries.id }).from(cmLedgerEntries).where(eq(cmLedgerEntries.enrolmentId, enrolmentId))).length;
    const write = (read: number) => {
      const entry = db.$with('entry').as(
        db.insert(cmLedgerEntries).values({
          programId,
          id: randomUUID(),
          enrolmentId,
          patientId,
          entryKey: `test/${randomUUID()}`,
          kind: 'adjustment',
          cents: 100,
          reason: 'guard test',
          createdAt: new Date(),
        }),
      );
      const state = db.$with('enrolment_state').as(
        db
          .update(cmEnrolments)
          .set({ historyVersion: sql`${cmEnrolments.historyVersion} + 1` })
          .where(and(eq(cmEnrolments.programId, programId), eq(cmEnrolments.id, enrolmentId), eq(cmEnrolments.historyVersion, read)))
          .returning({ id: cmEnrolments.id }),
      );
      return writeIfHistoryCurrent(db.with(entry, state).select({ written: REQUIRE_CURRENT_HISTORY }).from(state));
    };
    const read = await version();
    const before = await entries();
    expect(await write(read)).toBe(true);
    expect(await entries()).toBe(before + 1);
    expect(await version()).toBe(read + 1);
    // another writer came first: the version read is stale, and the entry is undone with the statement
    expect(await write(read)).toBe(false);
    expect(await entries()).toBe(before + 1);
    expect(await version()).toBe(read + 1);
  });
});

describe('what a recording keeps of the patient (ADRs 059, 060)', () => {
  const historyInDatabase = async (patientId: string, enrolmentId: string) => {
    const events = await w.database.query<{ id: string; kind: string; at: Date; position: number; slot_kind: string | null; slot_date: string | null; engine: unknown }>(
      'select id, kind, at, position, slot_kind, slot_date::text as slot_date, engine from cm_events where enrolment_id = $1 order by at, position',
      [enrolmentId],
    );
    const ledger = await w.database.query<Record<string, unknown>>(
      `select l.id, l.enrolment_id, l.entry_key, l.kind, l.event_id, l.track, l.month, l.cents::int as cents, l.draws, l.n, l.tier, l.capped, l.voids_key, d.n is not null as revealed
       from cm_ledger_entries l left join cm_draw_reveals d on l.kind = 'prize' and d.enrolment_id = l.enrolment_id and d.n = l.n
       where l.patient_id = $1 order by l.seq`,
      [patientId],
    );
    return {
      events: events.map((e) => ({ id: e.id, kind: e.kind, at: new Date(e.at), position: e.position, slotKind: e.slot_kind, slotDate: e.slot_date, engine: e.engine })),
      ledger: ledger.map((l) => ({
        id: l.id,
        enrolmentId: l.enrolment_id,
        entryKey: l.entry_key,
        kind: l.kind,
        eventId: l.event_id,
        track: l.track,
        month: l.month,
        cents: l.cents,
        draws: l.draws,
        n: l.n,
        tier: l.tier,
        capped: l.capped,
        voidsKey: l.voids_key,
      })),
      revealed: ledger.filter((l) => l.revealed).map((l) => l.id as string),
    };
  };

  it("is what the database holds after each recording, at the enrolment's history version", async () => {
    const { patientId, enrolmentId } = await enrolled(w, coord, { protocol: withoutPrivilege(clinicProtocol()) });
    for (const day of ['2026-03-02', '2026-03-04', '2026-03-06', '2026-03-09']) {
      await record(patientId, day);
      const kept = keptRecording(w.database.db, w.programA, patientId);
      expect(kept, 'a recording without locks keeps what it decided from and wrote').toBeDefined();
      const db = await historyInDatabase(patientId, enrolmentId);
      expect(kept!.history.events).toEqual(db.events);
      expect(kept!.history.ledger).toEqual(db.ledger);
      expect([...kept!.history.revealedPrizes].sort()).toEqual([...db.revealed].sort());
      const [enrolment] = await w.database.db.select().from(cmEnrolments).where(eq(cmEnrolments.id, enrolmentId));
      expect(kept!.enrolment).toEqual(enrolment);
    }
  });

  it('recordings that start together from the same kept copy leave it as it was: event positions stay 0, 1, 2, … with no gap', async () => {
    const { patientId, enrolmentId } = await enrolled(w, coord, { protocol: withoutPrivilege(clinicProtocol()) });
    await record(patientId, '2026-03-02');
    const kept = keptRecording(w.database.db, w.programA, patientId)!;
    const before = structuredClone(kept.enrolment);
    // each decides from the copy; one writes first, the others find it stale and record under the locks
    const days = ['2026-03-04', '2026-03-06', '2026-03-09'];
    const res = await Promise.all(days.map((d) => collector.post('/api/v1/specimens', specimen(patientId, `${d}T14:00:00Z`))));
    expect(res.map((r) => r.statusCode)).toEqual(days.map(() => 200));
    const positions = await w.database.query<{ position: number }>('select position from cm_events where enrolment_id = $1 order by position', [enrolmentId]);
    expect(positions.map((p) => Number(p.position))).toEqual([0, 1, 2, 3]);
    const [enrolment] = await w.database.db.select().from(cmEnrolments).where(eq(cmEnrolments.id, enrolmentId));
    expect(enrolment!.eventCount).toBe(4);
    expect(kept.enrolment).toEqual(before);
  });

  it('answers the same screen posted again as a duplicate, without a key', async () => {
    const { patientId } = await enrolled(w, coord, { protocol: withoutPrivilege(clinicProtocol()) });
    const first = await record(patientId, '2026-03-02');
    expect(keptRecording(w.database.db, w.programA, patientId)).toBeDefined();
    const again = await record(patientId, '2026-03-02');
    expect(again.duplicate).toBe(true);
    expect(again.specimen.id).toBe(first.specimen.id);
    expect(again.award.entries).toEqual(first.award.entries);
  });

  it('answers a screen recorded before the enrolment, posted again, as a duplicate', async () => {
    const patientId = await newPatientOf(w);
    const before = await record(patientId, '2026-03-02');
    expect(before.award).toBeNull();
    await enrolled(w, coord, { protocol: withoutPrivilege(clinicProtocol()), patientId });
    await record(patientId, '2026-03-04');
    expect(keptRecording(w.database.db, w.programA, patientId)).toBeDefined();
    const again = await record(patientId, '2026-03-02');
    expect(again.duplicate).toBe(true);
    expect(again.specimen.id).toBe(before.specimen.id);
    expect((await w.database.query('select id from screens where patient_id = $1', [patientId])).length).toBe(2);
  });

  it('sees a medication prescribed since the last recording', async () => {
    const opioids = { id: 'opioids', target: { kind: 'negative', analytes: ['opiates', 'buprenorphine'] }, payout: 'cents', phases: [{ fromWeek: 1, toWeek: 12, escalation: { start: 300 } }] };
    const proto = withoutPrivilege(clinicProtocol());
    const { patientId } = await enrolled(w, coord, { protocol: { ...proto, tracks: [...proto.tracks, opioids] } });
    await record(patientId, '2026-03-02');
    expect(keptRecording(w.database.db, w.programA, patientId)).toBeDefined();
    const prescriber = await w.client('prescriber');
    expect((await prescriber.post(`/api/v1/patients/${patientId}/medications`, { medication: 'buprenorphine', startedOn: '2026-02-01' })).statusCode).toBe(200);
    const r = await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-04T14:00:00Z', [...NEG, { analyte: 'buprenorphine', result: 'positive' }]));
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as Recorded & { specimen: { results: Array<{ analyte: string; prescribed: boolean }> } };
    // buprenorphine as prescribed is adherence, not use: the opioid track's run goes on
    expect(body.specimen.results.find((x) => x.analyte === 'buprenorphine')).toMatchObject({ prescribed: true });
    expect(body.award.outcomes.find((o) => o.track === 'opioids')).toMatchObject({ outcome: 'success', s: 2 });
  });

  it('draws with the seed active now, after a rotation since the last recording', async () => {
    const { patientId } = await enrolled(w, coord, { protocol: withoutPrivilege(clinicProtocol()) });
    await record(patientId, '2026-03-02');
    expect(keptRecording(w.database.db, w.programA, patientId)).toBeDefined();
    const admin = await w.client('administrator');
    const rotated = await admin.post('/api/v1/cm/seeds/rotate');
    expect(rotated.statusCode, rotated.body).toBe(200);
    const second = await record(patientId, '2026-03-04');
    const prizes = second.award.entries.filter((e) => e.kind === 'prize');
    expect(prizes.length).toBeGreaterThan(0);
    const seeds = await w.database.query<{ seed_id: string; active: boolean }>(
      `select l.seed_id, s.retired_at is null as active from cm_ledger_entries l join cm_seeds s on s.program_id = l.program_id and s.id = l.seed_id where l.id = any($1)`,
      [prizes.map((e) => e.id)],
    );
    expect(seeds.map((x) => x.active)).toEqual(prizes.map(() => true));
  });

  it("dates a screen in the programme's time zone as it is now", async () => {
    const { patientId } = await enrolled(w, coord, { protocol: withoutPrivilege(clinicProtocol()) });
    await record(patientId, '2026-03-02');
    expect(keptRecording(w.database.db, w.programA, patientId)).toBeDefined();
    const { tz } = (await w.database.query<{ tz: string }>('select time_zone as tz from programs where id = $1', [w.programA]))[0]!;
    try {
      await w.database.query("update programs set time_zone = 'Pacific/Kiritimati' where id = $1", [w.programA]);
      // 23:30 UTC on Wednesday is Thursday at Kiritimati (UTC+14)
      const r = await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-04T23:30:00Z'));
      expect(r.statusCode, r.body).toBe(200);
      const screen = await w.database.query<{ on: string }>('select collected_on::text as on from screens where id = $1', [(r.json() as Recorded).specimen.id]);
      expect(screen[0]!.on).toBe('2026-03-05');
    } finally {
      await w.database.query('update programs set time_zone = $1 where id = $2', [tz, w.programA]);
    }
  });

  it('is read again once a draw is shown, so the next award counts that prize as seen', async () => {
    const { patientId } = await enrolled(w, coord, { protocol: withoutPrivilege(clinicProtocol()) });
    const prizeMoney = async () => (await w.database.query<{ c: string }>("select coalesce(sum(cents), 0) as c from cm_ledger_entries where patient_id = $1 and kind = 'prize'", [patientId]))[0]!.c;
    // negative fentanyl cups earn draws: record until one of them won money (the bowl's odds are about one in two a draw)
    for (const day of ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-09', '2026-03-10', '2026-03-11']) {
      await record(patientId, day);
      if (Number(await prizeMoney()) > 0) break;
    }
    expect(Number(await prizeMoney())).toBeGreaterThan(0);
    await showDraws(w, coord, patientId);
    const next = await record(patientId, '2026-03-12');
    const unshown = await w.database.query<{ c: string }>(
      `select coalesce(sum(l.cents), 0) as c from cm_ledger_entries l left join cm_draw_reveals d on d.enrolment_id = l.enrolment_id and d.n = l.n
       where l.patient_id = $1 and l.kind = 'prize' and d.n is null`,
      [patientId],
    );
    // only this recording's own draws are still to be shown
    expect(next.award.balanceRevealedCents).toBe(next.award.balanceCents - Number(unshown[0]!.c));
    expect(next.award.balanceCents).toBe(await ledgerBalance(patientId));
  });
});
