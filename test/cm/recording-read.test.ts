// A recording without an Idempotency-Key reads the patient's CM history in one statement
// without locks and writes in one statement kept only if the enrolment's history version is
// still the one read (ADR 018); with a privilege track it records under the enrolment locks.
// Whatever wrote in between — a redemption, a correction, another server — the award and
// balance must equal what a full read gives, either way.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { cmEnrolments, cmLedgerEntries } from '../../server/modules/cm/cm.tables.ts';
import { REQUIRE_CURRENT_HISTORY, writeIfHistoryCurrent } from '../../server/modules/cm/settle.ts';
import { cachedHistory } from '../../server/modules/cm/history-cache.ts';
import { readForRecording } from '../../server/modules/cm/specimens.ts';
import { AFTER_RECORDINGS, clinicProtocol, enrolled, ledgerBalanceWithUnshown, showDraws, specimen, withoutPrivilege, type Recorded } from './support.ts';

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

describe('the history a recording keeps (ADR 059)', () => {
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

  it('is what the database holds after each recording, and is what the next recording uses', async () => {
    const { patientId, enrolmentId } = await enrolled(w, coord, { protocol: withoutPrivilege(clinicProtocol()) });
    for (const day of ['2026-03-02', '2026-03-04', '2026-03-06', '2026-03-09']) {
      await record(patientId, day);
      const kept = cachedHistory(w.database.db, w.programA, patientId);
      expect(kept, 'a recording without locks keeps the history it wrote').toBeDefined();
      const db = await historyInDatabase(patientId, enrolmentId);
      expect(kept!.history.events).toEqual(db.events);
      expect(kept!.history.ledger).toEqual(db.ledger);
      expect([...kept!.history.revealedPrizes].sort()).toEqual([...db.revealed].sort());
      // the next read finds it still holds, and leaves the history out
      const read = await readForRecording(w.database.db, w.programA, { patientId, externalId: null, collectedAt: new Date('2026-03-20T14:00:00Z') });
      expect(read!.history).toBe(kept!.history);
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
