// Shared fixtures for the CM integration tests: a clinic protocol with every payout,
// and helpers to enrol a fresh patient and post specimens.
import type { Client, World } from '../support/world.ts';
import { newPatient } from '../support/http.ts';

export const BOWL = {
  slips: [
    { tier: 'none', label: 'Good job!', count: 250, valueCents: 0 },
    { tier: 'small', label: '$1', count: 209, valueCents: 100 },
    { tier: 'large', label: '$20', count: 40, valueCents: 2000 },
    { tier: 'jumbo', label: '$100', count: 1, valueCents: 10000 },
  ],
};

/**
 * The day the CM tests run on (a Friday afternoon in New York), after every specimen and
 * check-in they record: a recorded time later than the server's clock is refused
 * (core/cm/time-rules.ts). A test about "today" sets the clock back to its day; a file
 * puts it back here before each test. Going back never ends a session (its idle time
 * counts from a later last request).
 */
export const AFTER_RECORDINGS = '2026-03-20T20:00:00Z';

let seq = 0;
export function clinicProtocol(extra: Record<string, unknown> = {}) {
  seq++;
  return {
    id: `clinic-${seq}`,
    version: 1,
    name: 'Test clinic protocol (fictional)',
    citation: 'test',
    weeks: 12,
    bowl: BOWL,
    tracks: [
      {
        id: 'stim',
        target: { kind: 'negative', analytes: ['cocaine', 'amphetamine'] },
        payout: 'cents',
        phases: [{ fromWeek: 1, toWeek: 12, escalation: { start: 250, step: 125, bonusEvery: 3, bonus: 1000 } }],
      },
      { id: 'opioid-draws', target: { kind: 'negative', analytes: ['fentanyl'] }, payout: 'draws', phases: [{ fromWeek: 1, toWeek: 12, escalation: { start: 1, step: 1, max: 3 } }] },
      { id: 'attend', target: { kind: 'attendance' }, payout: 'cents', phases: [{ fromWeek: 1, toWeek: 12, escalation: { start: 100 } }] },
      {
        id: 'take-home',
        target: { kind: 'negative', analytes: ['opiates', 'fentanyl'] },
        payout: 'privilege',
        levels: ['daily dosing', '1 take-home', '2 take-homes'],
        phases: [{ fromWeek: 1, toWeek: 12, escalation: { stepEvery: 2 } }],
      },
    ],
    ...extra,
  };
}

/** The same protocol without its privilege track (its recordings take the optimistic path, ADR 018). */
export function withoutPrivilege(p: ReturnType<typeof clinicProtocol>) {
  return { ...p, tracks: p.tracks.filter((t) => t.payout !== 'privilege') };
}

export const NEG = [
  { analyte: 'cocaine', result: 'negative' },
  { analyte: 'amphetamine', result: 'negative' },
  { analyte: 'fentanyl', result: 'negative' },
  { analyte: 'opiates', result: 'negative' },
];

export function specimen(patientId: string, collectedAt: string, results: unknown[] = NEG, extra: Record<string, unknown> = {}) {
  return { patientId, collectedAt, observed: true, temperatureC: 34, results, ...extra };
}

let pseq = 0;
/** A fresh patient in programme A, enrolled on a new protocol (Mon/Wed/Fri specimens, Mon–Fri attendance) starting 2026-03-02. */
export async function enrolled(
  w: World,
  c: Client,
  opts: { protocol?: Record<string, unknown>; fundingSourceId?: string; startDate?: string; calendar?: Record<string, unknown>; patientId?: string } = {},
) {
  const patientId = opts.patientId ?? (await newPatientOf(w));
  const proto = await c.post('/api/v1/cm/protocols', { document: opts.protocol ?? clinicProtocol() });
  if (proto.statusCode !== 200) throw new Error(`protocol: ${proto.body}`);
  const protocolId = (proto.json() as { id: string }).id;
  const e = await c.post('/api/v1/cm/enrolments', {
    patientId,
    protocolId,
    startDate: opts.startDate ?? '2026-03-02',
    calendar: opts.calendar ?? { specimen: [1, 3, 5], attendance: [1, 2, 3, 4, 5], windowStart: '08:00', windowEnd: '17:00' },
    ...(opts.fundingSourceId ? { fundingSourceId: opts.fundingSourceId } : {}),
  });
  if (e.statusCode !== 200) throw new Error(`enrol: ${e.body}`);
  return { patientId, protocolId, enrolmentId: (e.json() as { id: string }).id };
}

/** A fresh patient in programme A. */
export async function newPatientOf(w: World): Promise<string> {
  const admin = await w.client('administrator');
  const p = await admin.post('/api/v1/patients', newPatient(`cm${Date.now() % 100000}${++pseq}`));
  if (p.statusCode !== 200) throw new Error(`patient: ${p.body}`);
  return (p.json() as { id: string }).id;
}

export type Award = {
  eventId: string;
  enrolmentId: string;
  earnedCents: number;
  newDraws: number;
  balanceCents: number;
  pendingAdjudication: boolean;
  voucherCents: number;
  prizeDrawsEarned: number;
  prizeCentsRevealed: number;
  balanceRevealedCents: number;
  outcomes: Array<{ track: string; outcome: string; s: number; privilege: string | null }>;
  entries: Array<{ id: string; kind: string; cents: number; track: string | null; n: number | null; tier: string | null; capped: string | null }>;
  next: Array<{ kind: string; date: string; tracks: Array<{ track: string; cents: number; draws: number; privilege: string | null }> } | null>;
};
export type Recorded = { specimen: { id: string; valid: boolean; invalidReasons: string[] }; award: Award; duplicate: boolean };

/**
 * The draw screen shows every draw still waiting for the patient (all enrolments): the
 * ledger read then shows each prize and counts it in its balance.
 */
export async function showDraws(w: World, c: Client, patientId: string): Promise<void> {
  const enrolments = await w.database.query<{ enrolment_id: string }>("select distinct enrolment_id from cm_ledger_entries where patient_id = $1 and kind = 'prize'", [patientId]);
  for (const e of enrolments) {
    const r = await c.post(`/api/v1/cm/enrolments/${e.enrolment_id}/draws/reveal`, { count: 50 });
    if (r.statusCode !== 200) throw new Error(`show draws: ${r.body}`);
  }
}

/**
 * The patient's whole balance from the ledger read: the read leaves out the prizes of draws
 * not shown yet (and withholds their cents), so their cents are added back from the database.
 */
export async function ledgerBalanceWithUnshown(w: World, c: Client, patientId: string): Promise<number> {
  const r = await c.get(`/api/v1/patients/${patientId}/ledger`);
  if (r.statusCode !== 200) throw new Error(`ledger: ${r.statusCode} ${r.body}`);
  const l = r.json() as { balanceCents: number; items: Array<{ id: string; hidden: boolean }> };
  const hidden = l.items.filter((e) => e.hidden).map((e) => e.id);
  if (hidden.length === 0) return l.balanceCents;
  const rows = await w.database.query<{ cents: number }>('select cents from cm_ledger_entries where id = any($1::uuid[])', [hidden]);
  return l.balanceCents + rows.reduce((a, x) => a + Number(x.cents), 0);
}
