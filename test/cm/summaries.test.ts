// The CM summaries read the results in effect (after corrections and adjudications): the
// patient's calendar (outcome, money paid, what is kept although no longer owed), the
// per-track settlement and the ledger's totals (paid − spent = balance, kept inside paid),
// and the programme's "% negative by week", which counts every patient's screens (in CM
// or not) as corrected, a prescribed medication's positive not counting as positive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weekStart } from '../../core/cm/calendar.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { newPatient } from '../support/http.ts';
import { AFTER_RECORDINGS, enrolled, NEG, specimen, type Recorded, showDraws } from './support.ts';

let w: World;
let coord: Client;
let collector: Client;
let admin: Client;
beforeAll(async () => {
  w = await makeWorld({ now: AFTER_RECORDINGS });
  coord = await w.client('cm-coordinator');
  collector = await w.client('specimen-collector');
  admin = await w.client('administrator');
});
afterAll(async () => {
  await w?.close();
});

type Cell = {
  date: string;
  kind: string;
  eventId: string | null;
  status: string;
  cents: number;
  draws: number;
  keptCents: number;
  keptDraws: number;
  outcomes: Array<{ track: string; outcome: string }>;
};
type Totals = { paidCents: number; spentCents: number; balanceCents: number; keptCents: number; keptDraws: number };
type Summary = {
  calendar: Cell[];
  balanceCents: number;
  earnedCents: number;
  money: Totals;
  tracks: Array<{ track: string; payout: string; owed: number; paid: number; forgiven: number }>;
  streaks: Array<{ track: string; s: number; lastOutcome: string | null }>;
};
type Ledger = {
  balanceCents: number;
  totals: Totals;
  items: Array<{ kind: string; cents: number; draws?: number | null; track: string | null; opportunityDate?: string | null; opportunityKind?: string | null }>;
};
type Programme = { negativeByWeek: Array<{ weekStart: string; specimens: number; negative: number; percentNegative: number | null }> };

const summary = async (patientId: string) => {
  const r = await coord.get(`/api/v1/cm/patients/${patientId}/summary`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Summary;
};
/** The ledger read after the draw screen showed every draw (a prize not shown yet is left out of the read's balance and totals). */
const ledger = async (patientId: string) => {
  await showDraws(w, coord, patientId);
  return (await coord.get(`/api/v1/patients/${patientId}/ledger`)).json() as Ledger;
};
const cell = (s: Summary, date: string) => s.calendar.find((c) => c.date === date && c.kind === 'specimen')!;
const correct = async (id: string, results: unknown[], reason = 'laboratory confirmation (test)') => {
  const r = await coord.post(`/api/v1/specimens/${id}/corrections`, { results, reason });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Recorded;
};
const week = (date: string) => weekStart(date);
const chartWeek = async (date: string) => {
  const r = await coord.get('/api/v1/cm/summary');
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as Programme).negativeByWeek.find((x) => x.weekStart === week(date)) ?? { weekStart: week(date), specimens: 0, negative: 0, percentNegative: null };
};
/** A fresh patient of programme A who is not enrolled in CM. */
const notInCm = async (n: string) => {
  const p = await admin.post('/api/v1/patients', newPatient(`scr${Date.now() % 100000}${n}`));
  expect(p.statusCode, p.body).toBe(200);
  return (p.json() as { id: string }).id;
};

describe('patient CM summary: results in effect', () => {
  it('a cup corrected to positive: the calendar shows the failure, paid never goes negative, kept is apart, and the figures add up', async () => {
    const { patientId } = await enrolled(w, coord);
    const rec = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'))).json() as Recorded;
    const id = rec.specimen.id;
    const prizeCents = rec.award.entries.filter((e) => e.kind === 'prize').reduce((a, e) => a + e.cents, 0);

    const before = await summary(patientId);
    expect(cell(before, '2026-03-02')).toMatchObject({ eventId: id, status: 'success', cents: 250, draws: 1, keptCents: 0, keptDraws: 0 });

    // the laboratory finds cocaine: the stimulant track fails in effect; the $2.50 stays paid and is kept
    await correct(id, [{ analyte: 'cocaine', result: 'positive' }]);
    const after = await summary(patientId);
    const c = cell(after, '2026-03-02');
    expect(c.status).toBe('positive');
    expect(c.outcomes).toEqual(
      expect.arrayContaining([
        { track: 'stim', outcome: 'failure' },
        { track: 'opioid-draws', outcome: 'success' },
      ]),
    );
    expect(c).toMatchObject({ cents: 250, draws: 1, keptCents: 250, keptDraws: 0 });
    expect(after.calendar.every((x) => x.cents >= 0 && x.draws >= 0)).toBe(true);
    // the streak reads the result in effect
    expect(after.streaks.find((s) => s.track === 'stim')).toMatchObject({ s: 0, lastOutcome: 'failure' });
    // per track: owed now, paid, kept (paid = owed + kept)
    expect(after.tracks.find((t) => t.track === 'stim')).toEqual({ track: 'stim', payout: 'cents', owed: 0, paid: 250, forgiven: 250 });
    expect(after.tracks.find((t) => t.track === 'opioid-draws')).toEqual({ track: 'opioid-draws', payout: 'draws', owed: 1, paid: 1, forgiven: 0 });
    // the money adds up: paid − spent = balance, kept is part of paid, nothing moved by the correction
    expect(after.money).toEqual({ paidCents: 250 + prizeCents, spentCents: 0, balanceCents: 250 + prizeCents, keptCents: 250, keptDraws: 0 });
    expect(after.balanceCents).toBe(before.balanceCents);
    expect(after.earnedCents).toBe(250 + prizeCents);

    // the ledger says the same, and names the opportunity of each entry
    const l = await ledger(patientId);
    expect(l.totals).toEqual(after.money);
    expect(l.balanceCents).toBe(after.balanceCents);
    const forgiven = l.items.filter((e) => e.kind === 'forgiven');
    expect(forgiven).toHaveLength(1);
    expect(forgiven[0]).toMatchObject({ cents: 250, track: 'stim', opportunityDate: '2026-03-02', opportunityKind: 'specimen' });

    // fentanyl too: the draw is kept, the cell shows it apart
    await correct(id, [{ analyte: 'fentanyl', result: 'positive' }]);
    const both = await summary(patientId);
    expect(cell(both, '2026-03-02')).toMatchObject({ status: 'positive', cents: 250, draws: 1, keptCents: 250, keptDraws: 1 });
    expect(both.money.keptDraws).toBe(1);

    // corrected back to negative: owed again, kept shrinks to 0, nothing is paid twice
    await correct(id, [
      { analyte: 'cocaine', result: 'negative' },
      { analyte: 'fentanyl', result: 'negative' },
    ]);
    const back = await summary(patientId);
    expect(cell(back, '2026-03-02')).toMatchObject({ status: 'success', cents: 250, draws: 1, keptCents: 0, keptDraws: 0 });
    expect(back.money).toEqual({ paidCents: 250 + prizeCents, spentCents: 0, balanceCents: 250 + prizeCents, keptCents: 0, keptDraws: 0 });
    const memos = (await ledger(patientId)).items.filter((e) => e.kind === 'forgiven');
    expect(memos.filter((e) => e.track === 'stim').map((e) => e.cents)).toEqual([250, -250]);
    expect(memos.filter((e) => e.track === 'opioid-draws').map((e) => e.draws)).toEqual([1, -1]);
  });

  it('a later success after the correction: the cell of the positive keeps its money apart, the next pays from the start again', async () => {
    const { patientId } = await enrolled(w, coord);
    const r1 = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'))).json() as Recorded;
    await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-04T14:00:00Z'));
    // the first is corrected to positive: the second falls from $3.75 to $2.50 (first success after a failure)
    await correct(r1.specimen.id, [{ analyte: 'amphetamine', result: 'positive' }]);
    const s = await summary(patientId);
    expect(cell(s, '2026-03-02')).toMatchObject({ status: 'positive', cents: 250 });
    expect(cell(s, '2026-03-04')).toMatchObject({ status: 'success', cents: 375 });
    const kept = cell(s, '2026-03-02').keptCents + cell(s, '2026-03-04').keptCents;
    expect(kept).toBe(250 + 125);
    const stim = s.tracks.find((t) => t.track === 'stim')!;
    expect(stim).toEqual({ track: 'stim', payout: 'cents', owed: 250, paid: 625, forgiven: 375 });
    expect(stim.paid).toBe(stim.owed + stim.forgiven);
    expect(s.calendar.every((x) => x.cents >= 0)).toBe(true);
  });

  it('an invalid cup made valid by a correction, and a carry-over waiting for review, read in effect', async () => {
    const { patientId } = await enrolled(w, coord);
    const bad = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z', NEG, { temperatureC: 30 }))).json() as Recorded;
    expect(cell(await summary(patientId), '2026-03-02').status).toBe('invalid');
    await coord.post(`/api/v1/specimens/${bad.specimen.id}/corrections`, { valid: true, reason: 'thermometer fault (test)' });
    expect(cell(await summary(patientId), '2026-03-02')).toMatchObject({ status: 'success', cents: 250 });
    // fentanyl positive twice within its window: the second waits for a carry-over review
    const pos = NEG.map((x) => (x.analyte === 'fentanyl' ? { ...x, result: 'positive' } : x));
    await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-04T14:00:00Z', pos));
    const p2 = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-06T14:00:00Z', pos))).json() as Recorded;
    expect(cell(await summary(patientId), '2026-03-06').status).toBe('pending');
    const adj = await coord.post(`/api/v1/specimens/${p2.specimen.id}/adjudications`, { decision: 'new-use', reason: 'review (test)' });
    expect(adj.statusCode, adj.body).toBe(200);
    expect(cell(await summary(patientId), '2026-03-06').status).toBe('positive');
  });
});

describe('programme summary: % negative by week counts every screen in effect', () => {
  it('a cup corrected to positive counts positive; a screen of a patient not in CM counts; a prescribed medication is not a positive', async () => {
    const day = '2026-02-25';
    const at = `${day}T15:00:00Z`;
    const start = await chartWeek(day);

    // a CM patient's negative cup counts negative …
    const { patientId } = await enrolled(w, coord, { startDate: '2026-02-23' });
    const rec = (await collector.post('/api/v1/specimens', specimen(patientId, at))).json() as Recorded;
    expect(rec.award).not.toBeNull();
    let now = await chartWeek(day);
    expect([now.specimens - start.specimens, now.negative - start.negative]).toEqual([1, 1]);
    // … and positive once the laboratory corrects it
    await correct(rec.specimen.id, [{ analyte: 'cocaine', result: 'positive' }]);
    now = await chartWeek(day);
    expect([now.specimens - start.specimens, now.negative - start.negative]).toEqual([1, 0]);

    // a patient not in CM: the screen is recorded (no award) and counts
    const other = await notInCm('a');
    const s1 = await collector.post('/api/v1/specimens', specimen(other, at));
    expect(s1.statusCode, s1.body).toBe(200);
    expect((s1.json() as { award: unknown }).award).toBeNull();
    now = await chartWeek(day);
    expect([now.specimens - start.specimens, now.negative - start.negative]).toEqual([2, 1]);
    // corrected to positive, it counts positive too
    await correct((s1.json() as Recorded).specimen.id, [{ analyte: 'fentanyl', result: 'positive' }]);
    now = await chartWeek(day);
    expect([now.specimens - start.specimens, now.negative - start.negative]).toEqual([2, 1 - 1]);

    // a methadone patient's positive methadone is adherence: negative; an invalid screen is not negative
    const onMethadone = await notInCm('b');
    const med = await admin.post(`/api/v1/patients/${onMethadone}/medications`, { medication: 'methadone', startedOn: '2026-01-05' });
    expect(med.statusCode, med.body).toBe(200);
    const s2 = await collector.post(
      '/api/v1/specimens',
      specimen(onMethadone, at, [
        { analyte: 'methadone', result: 'positive' },
        { analyte: 'fentanyl', result: 'negative' },
      ]),
    );
    expect(s2.statusCode, s2.body).toBe(200);
    const s3 = await collector.post('/api/v1/specimens', specimen(onMethadone, `${day}T16:00:00Z`, NEG, { temperatureC: 30 }));
    expect(s3.statusCode, s3.body).toBe(200);
    now = await chartWeek(day);
    expect([now.specimens - start.specimens, now.negative - start.negative]).toEqual([4, 1]);
    expect(now.percentNegative).toBe(Math.round((1000 * now.negative) / now.specimens) / 10);
  });
});

describe('screens are read by every role with read:cm', () => {
  it('prescribers, counsellors, CM coordinators and collectors read a patient’s screens; front desk and peer specialists do not', async () => {
    const patientId = await notInCm('c');
    await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'));
    for (const role of ['prescriber', 'counsellor', 'cm-coordinator', 'specimen-collector', 'administrator'] as const) {
      const r = await (await w.client(role)).get(`/api/v1/patients/${patientId}/screens`);
      expect(r.statusCode, `${role}: ${r.body}`).toBe(200);
      expect((r.json() as { items: unknown[] }).items).toHaveLength(1);
    }
    for (const role of ['front-desk', 'peer-specialist', 'auditor'] as const) {
      expect((await (await w.client(role)).get(`/api/v1/patients/${patientId}/screens`)).statusCode, role).toBe(403);
    }
  });
});
