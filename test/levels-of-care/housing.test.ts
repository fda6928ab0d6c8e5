// Housing on the levels-of-care view (ADR 044): reinforcement-based treatment's
// abstinence-contingent housing is a CM privilege track; the view shows its latest recommended
// level and the prescriber's decision, read-only, and nothing for a patient without one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specimen } from '../cm/support.ts';
import { makeWorld, type World } from '../support/world.ts';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});
afterAll(async () => {
  await w?.close();
});

type Housing = Array<{ track: string; trackName: string | null; level: string | null; decision: string | null }>;

describe('housing from the CM privilege track', () => {
  it('shows the latest recommended housing level and its decision, read-only', async () => {
    const admin = await w.client('administrator');
    const counsellor = await w.client('counsellor');
    const view = async () => ((await counsellor.get(`/api/v1/patients/${w.patientA}/levels-of-care`)).json() as { housing: Housing }).housing;
    expect(await view()).toEqual([]);
    const protocol = await admin.post('/api/v1/cm/protocols', {
      document: {
        id: 'rbt-housing-test',
        version: 1,
        name: 'Reinforcement-based treatment (fictional test)',
        citation: 'test',
        weeks: 12,
        tracks: [
          {
            id: 'housing',
            name: 'Abstinence-contingent housing',
            target: { kind: 'negative', analytes: ['fentanyl'] },
            payout: 'privilege',
            levels: ['Shelter bed', 'Shared recovery house', 'Own room'],
            phases: [{ fromWeek: 1, toWeek: 12, escalation: { stepEvery: 1 } }],
          },
        ],
      },
    });
    expect(protocol.statusCode, protocol.body).toBe(200);
    await admin.post('/api/v1/cm/funding-sources', { id: 'rbt-fund', name: 'RBT fund (fictional)', capsPreset: 'none' });
    const enrolled = await admin.post('/api/v1/cm/enrolments', {
      patientId: w.patientA,
      protocolId: protocol.json().id,
      startDate: '2026-02-16',
      calendar: { specimen: [1, 3, 5], attendance: [], windowStart: '08:00', windowEnd: '17:00' },
      fundingSourceId: 'rbt-fund',
    });
    expect(enrolled.statusCode, enrolled.body).toBe(200);
    const neg = [{ analyte: 'fentanyl', result: 'negative' }];
    for (const at of ['2026-02-16T14:00:00Z', '2026-02-18T14:00:00Z', '2026-02-20T14:00:00Z']) {
      const r = await admin.post('/api/v1/specimens', specimen(w.patientA, at, neg));
      expect(r.statusCode, r.body).toBe(200);
    }
    const pending = await view();
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ track: 'housing', trackName: 'Abstinence-contingent housing', decision: null });
    expect(pending[0]!.level).not.toBeNull();
    // the latest screen's recommendation (the third negative: the top level)
    expect(pending[0]!.level).toBe('Own room');
    const recs = (await admin.get('/api/v1/cm/privilege-recommendations?pending=true')).json() as { items: Array<{ id: string; level: string }> };
    const latest = recs.items.find((r) => r.level === 'Own room')!;
    const decided = await (await w.client('prescriber')).post(`/api/v1/cm/privilege-recommendations/${latest.id}/decision`, { decision: 'approved', reason: 'Negative screen (test)' });
    expect(decided.statusCode, decided.body).toBe(200);
    expect((await view())[0]).toMatchObject({ level: pending[0]!.level, decision: 'approved' });
  });
});
