// Laboratory results as HL7 v2 through the HTTP API (PGlite by default, PostgreSQL with
// TEST_DATABASE_URL): ORU^R01 messages written here (fictional patients) are posted with an
// integration token or a staff session; the ACK says AA, AE or AR with the segment and field
// at fault; nothing is written for a refused message; the same message twice is recorded
// once; a result for the day's point-of-care cup becomes its correction.
import fs from 'node:fs';
import { Hl7Message } from '@medplum/core';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { expectProblem } from '../support/http.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { AFTER_RECORDINGS, enrolled, specimen, type Recorded } from '../cm/support.ts';

let w: World;
let coord: Client;
let collector: Client;
let token: string;
let tokenId: string;
beforeAll(async () => {
  w = await makeWorld({ now: AFTER_RECORDINGS }); // after every collection time the messages carry
  coord = await w.client('cm-coordinator');
  collector = await w.client('specimen-collector');
  const admin = await w.client('administrator');
  const t = await admin.post('/api/v1/integration-tokens', { name: 'Test laboratory (fictional)', scopes: ['screens:write'] });
  expect(t.statusCode, t.body).toBe(200);
  ({ token, id: tokenId } = t.json() as { token: string; id: string });
});
afterAll(async () => {
  await w?.close();
});

const URL = '/api/v1/lab/hl7v2';
const ER7 = 'x-application/hl7-v2+er7';
const LOINC = { cocaine: '3397-7', fentanyl: '59673-7', opiates: '19295-5', amphetamine: '19343-3' } as const;

let seq = 0;
type Obx = { loinc: string; name?: string; type?: string; value: string; flag?: string; status?: string; units?: string; system?: string };
/** An ORU^R01 message from a fictional laboratory. `collected` is OBR-7 (HL7 TS). */
function oru(o: { mrn: string; accession: string; collected: string; obx: Obx[]; controlId?: string; messageType?: string; processing?: string; pid?: string | null; obr?: string | null }) {
  const control = o.controlId ?? `MSG${++seq}`;
  return [
    `MSH|^~\\&|TOXLIS|ACME TOXICOLOGY^05D0000000^CLIA|WAYPOINT|TEST CLINIC|20260304120000-0500||${o.messageType ?? 'ORU^R01^ORU_R01'}|${control}|${o.processing ?? 'P'}|2.5.1|||AL|NE`,
    ...(o.pid === null ? [] : [o.pid ?? `PID|1||${o.mrn}^^^TESTCLINIC^MR||TESTPATIENT^ALPHA||19900115|U`]),
    `ORC|RE|PLC-${o.accession}|${o.accession}^ACMELAB`,
    ...(o.obr === null ? [] : [o.obr ?? `OBR|1|PLC-${o.accession}|${o.accession}^ACMELAB|94306-4^Drug screen panel^LN|||${o.collected}|||||||||||||||20260304110000-0500||TOX|F`]),
    ...o.obx.map((x, i) => `OBX|${i + 1}|${x.type ?? 'ST'}|${x.loinc}^${x.name ?? 'Analyte'}^${x.system ?? 'LN'}||${x.value}|${x.units ?? ''}||${x.flag ?? ''}|||${x.status ?? 'F'}`),
  ].join('\r');
}

const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
  w.app.inject({ method: 'POST', url: URL, headers: { authorization: `Bearer ${token}`, 'content-type': ER7, ...headers }, payload: body });

type Ack = { code: string; controlId: string; text: string; errors: Array<{ location: string; code: string; severity: string; message: string }> };
/** The ACK read back (with the same library the server uses), after checking HTTP 200 and the content type. */
function ackOf(r: LightMyRequestResponse, type = ER7): Ack {
  expect(r.statusCode, r.body).toBe(200);
  expect(String(r.headers['content-type'])).toBe(`${type}; charset=utf-8`);
  const m = Hl7Message.parse(r.body);
  expect(m.header.getComponent(9, 1)).toBe('ACK');
  const msa = m.getSegment('MSA')!;
  return {
    code: msa.getField(1).toString(),
    controlId: msa.getField(2).toString(),
    text: msa.getField(3).toString(),
    errors: m.getAllSegments('ERR').map((e) => ({ location: e.getField(2).toString(), code: e.getComponent(3, 1), severity: e.getField(4).toString(), message: e.getField(8).toString() })),
  };
}

const count = async (sql: string, params: unknown[] = []) => Number((await w.database.query<{ n: string | number }>(sql, params))[0]?.n ?? 0);
/** Rows that a recorded message would add, so a refused one can be shown to have added none. */
const written = async () => Promise.all(['screens', 'screen_corrections', 'cm_events', 'cm_ledger_entries', 'audit_events'].map((t) => count(`select count(*) as n from ${t}`)));
const mrnOf = async (patientId: string) => (await w.database.query<{ mrn: string }>('select mrn from patients where id = $1', [patientId]))[0]!.mrn;
type StoredResult = { analyte: string; loinc: string | null; result: string; valueNgMl: number | null };
const screensOf = (patientId: string) =>
  w.database.query<{
    id: string;
    method: string;
    observed: boolean;
    source: string;
    external_id: string | null;
    laboratory: string | null;
    collected_at: Date;
    collected_on: string;
    results: StoredResult[];
  }>('select id, method, observed, source, external_id, laboratory, collected_at, collected_on::text, results from screens where patient_id = $1 order by collected_at, id', [patientId]);
const correctionsOf = (patientId: string) =>
  w.database.query<{ id: string; screen_id: string; method: string; laboratory: string | null; reason: string; source: string; external_id: string | null; results: StoredResult[] }>(
    'select id, screen_id, method, laboratory, reason, source, external_id, results from screen_corrections where patient_id = $1 order by recorded_at, id',
    [patientId],
  );
const ledger = (patientId: string) =>
  w.database.query<{ kind: string; track: string | null; cents: number }>('select kind, track, cents from cm_ledger_entries where patient_id = $1 order by seq', [patientId]);
const resultsOf = (rows: StoredResult[]) => rows.map((r) => `${r.analyte}:${r.loinc}:${r.result}`).sort();

const NEGATIVES: Obx[] = [
  { loinc: LOINC.cocaine, name: 'Cocaine', value: 'NEGATIVE', flag: 'N' },
  { loinc: LOINC.amphetamine, name: 'Amphetamines', value: 'Not detected' },
  { loinc: LOINC.fentanyl, name: 'Fentanyl', type: 'CWE', value: '260415000^Not detected^SCT' },
];

describe('a laboratory result is recorded', () => {
  it('with no cup that day: a new laboratory specimen (confirmatory, not observed, source integration) and its award', async () => {
    const { patientId } = await enrolled(w, coord);
    const msg = oru({ mrn: await mrnOf(patientId), accession: 'ACC-NEW-1', collected: '202603040915-0500', obx: NEGATIVES, controlId: 'CTRL-NEW-1' });
    const ack = ackOf(await post(msg));
    expect(ack).toMatchObject({ code: 'AA', controlId: 'CTRL-NEW-1', errors: [] });
    expect(ack.text).toMatch(/laboratory specimen/);
    const [screen] = await screensOf(patientId);
    expect(screen).toMatchObject({ method: 'confirmatory', observed: false, source: 'integration', external_id: 'ACC-NEW-1^ACMELAB', laboratory: 'ACME TOXICOLOGY', collected_on: '2026-03-04' });
    expect(screen!.collected_at.toISOString()).toBe('2026-03-04T14:15:00.000Z');
    expect(resultsOf(screen!.results)).toEqual(['amphetamine:19343-3:negative', 'cocaine:3397-7:negative', 'fentanyl:59673-7:negative']);
    // CM reads the screen of an enrolled patient: the day's specimen, and the award the negatives earned
    expect(await count("select count(*) as n from cm_events where id = $1 and kind = 'specimen'", [screen!.id])).toBe(1);
    expect((await ledger(patientId)).find((e) => e.kind === 'earn')).toMatchObject({ track: 'stim', cents: 250 });
    expect(await count("select count(*) as n from audit_events where entity = 'screen' and entity_id = $1", [screen!.id])).toBe(1);
  });

  it('with a point-of-care cup that programme-local day: its correction, and a cup corrected to positive forgives its voucher', async () => {
    const { patientId } = await enrolled(w, coord);
    const cup = await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'));
    expect(cup.statusCode, cup.body).toBe(200);
    const cupId = (cup.json() as Recorded).specimen.id;
    expect((await ledger(patientId)).filter((e) => e.kind === 'earn')).toEqual([{ kind: 'earn', track: 'stim', cents: 250 }]);
    const before = await w.database.query('select * from screens where id = $1', [cupId]);
    // 20:30 in New York on 2 March is already 3 March in UTC: the programme's day decides
    const msg = oru({
      mrn: await mrnOf(patientId),
      accession: 'ACC-CUP-1',
      collected: '20260302203000-0500',
      obx: [
        { loinc: LOINC.cocaine, name: 'Cocaine', type: 'NM', value: '412', units: 'ng/mL', flag: 'H' },
        { loinc: LOINC.fentanyl, name: 'Fentanyl', value: 'NEGATIVE' },
      ],
    });
    const ack = ackOf(await post(msg));
    expect(ack.code).toBe('AA');
    expect(ack.text).toMatch(/confirmation of the day's cup/);
    expect((await screensOf(patientId)).map((x) => x.id)).toEqual([cupId]);
    const [cor] = await correctionsOf(patientId);
    expect(cor).toMatchObject({ screen_id: cupId, method: 'confirmatory', laboratory: 'ACME TOXICOLOGY', reason: 'laboratory confirmation', source: 'integration', external_id: 'ACC-CUP-1^ACMELAB' });
    expect(cor!.results.find((r) => r.analyte === 'cocaine')).toMatchObject({ result: 'positive', valueNgMl: 412 });
    // the cup itself is never edited; CM forgives its voucher with a new entry
    expect(await w.database.query('select * from screens where id = $1', [cupId])).toEqual(before);
    expect(await count("select count(*) as n from cm_events where id = $1 and kind = 'correction' and ref_id = $2", [cor!.id, cupId])).toBe(1);
    expect((await ledger(patientId)).filter((e) => e.kind === 'forgiven')).toEqual([{ kind: 'forgiven', track: 'stim', cents: 250 }]);
    const detail = await coord.get(`/api/v1/specimens/${cupId}`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect((detail.json() as { effective: { results: Array<{ analyte: string; result: string }> } }).effective.results.find((r) => r.analyte === 'cocaine')!.result).toBe('positive');
  });

  it('a corrected result (OBX-11 = C) for an accession already recorded corrects it again; the final result resent is a duplicate', async () => {
    const { patientId } = await enrolled(w, coord);
    const mrn = await mrnOf(patientId);
    const final = oru({ mrn, accession: 'ACC-COR-1', collected: '202603041000-0500', obx: NEGATIVES, controlId: 'CTRL-COR-F' });
    expect(ackOf(await post(final)).code).toBe('AA');
    const corrected = oru({ mrn, accession: 'ACC-COR-1', collected: '202603041000-0500', controlId: 'CTRL-COR-C', obx: [{ loinc: LOINC.cocaine, name: 'Cocaine', value: 'POSITIVE', status: 'C' }] });
    const ack = ackOf(await post(corrected));
    expect(ack.code).toBe('AA');
    expect(ack.text).toMatch(/correction of the laboratory result/);
    const [screen] = await screensOf(patientId);
    expect(screen).toMatchObject({ external_id: 'ACC-COR-1^ACMELAB', method: 'confirmatory' });
    const cors = await correctionsOf(patientId);
    expect(cors.map((c) => `${c.screen_id === screen!.id}:${c.external_id}:${c.reason}`)).toEqual(['true:ACC-COR-1^ACMELAB#CTRL-COR-C:laboratory corrected result']);
    expect((await ledger(patientId)).filter((e) => e.kind === 'forgiven')).toEqual([{ kind: 'forgiven', track: 'stim', cents: 250 }]);
    // both messages again: nothing new
    const rows = await written();
    expect(ackOf(await post(corrected)).text).toMatch(/Already recorded/);
    expect(ackOf(await post(final)).code).toBe('AA');
    expect(await written()).toEqual(rows);
  });
});

describe('the same message twice is recorded once', () => {
  it('same OBR-3 and MSH-10, or the same result resent under a new MSH-10: AA again, nothing written', async () => {
    const { patientId } = await enrolled(w, coord);
    const mrn = await mrnOf(patientId);
    const msg = oru({ mrn, accession: 'ACC-DUP-1', collected: '202603041015-0500', obx: NEGATIVES, controlId: 'CTRL-DUP-1' });
    expect(ackOf(await post(msg)).code).toBe('AA');
    const rows = await written();
    const again = ackOf(await post(msg));
    expect(again).toMatchObject({ code: 'AA', controlId: 'CTRL-DUP-1', errors: [] });
    expect(again.text).toMatch(/Already recorded/);
    const resent = ackOf(await post(msg.replace('|CTRL-DUP-1|', '|CTRL-DUP-2|')));
    expect(resent).toMatchObject({ code: 'AA', controlId: 'CTRL-DUP-2' });
    expect(await written()).toEqual(rows);
    expect(await screensOf(patientId)).toHaveLength(1);
  });

  it('the same message posted several times at once: every answer AA, one screen, one award (PostgreSQL runs them in parallel)', async () => {
    const { patientId } = await enrolled(w, coord);
    const mrn = await mrnOf(patientId);
    const msg = oru({ mrn, accession: 'ACC-RACE-1', collected: '202603040930-0500', obx: NEGATIVES });
    const acks = (await Promise.all(Array.from({ length: 6 }, () => post(msg)))).map((r) => ackOf(r));
    expect(acks.map((a) => a.code)).toEqual(Array(6).fill('AA'));
    expect(await screensOf(patientId)).toHaveLength(1);
    expect((await ledger(patientId)).filter((e) => e.kind === 'earn')).toHaveLength(1);
    // and a cup confirmed by the same message posted at once: one correction
    await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-06T14:00:00Z'));
    const confirm = oru({ mrn, accession: 'ACC-RACE-2', collected: '202603060900-0500', obx: [{ loinc: LOINC.cocaine, value: 'POSITIVE' }] });
    const acks2 = (await Promise.all(Array.from({ length: 6 }, () => post(confirm)))).map((r) => ackOf(r));
    expect(acks2.map((a) => a.code)).toEqual(Array(6).fill('AA'));
    expect(await correctionsOf(patientId)).toHaveLength(1);
  });

  it('a cup confirmation sent twice is one correction', async () => {
    const { patientId } = await enrolled(w, coord);
    await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'));
    const msg = oru({ mrn: await mrnOf(patientId), accession: 'ACC-DUP-2', collected: '202603020900-0500', obx: [{ loinc: LOINC.cocaine, value: 'POSITIVE' }] });
    expect(ackOf(await post(msg)).code).toBe('AA');
    const rows = await written();
    expect(ackOf(await post(msg)).text).toMatch(/Already recorded/);
    expect(await written()).toEqual(rows);
    expect(await correctionsOf(patientId)).toHaveLength(1);
  });

  it('a different final result under an accession already recorded is AE (205) naming OBR-3, and writes nothing', async () => {
    const { patientId } = await enrolled(w, coord);
    const mrn = await mrnOf(patientId);
    expect(ackOf(await post(oru({ mrn, accession: 'ACC-DIFF-1', collected: '202603041030-0500', obx: NEGATIVES }))).code).toBe('AA');
    const rows = await written();
    const ack = ackOf(await post(oru({ mrn, accession: 'ACC-DIFF-1', collected: '202603041030-0500', obx: [{ loinc: LOINC.cocaine, value: 'POSITIVE' }] })));
    expect(ack.code).toBe('AE');
    expect(ack.errors).toEqual([expect.objectContaining({ location: 'OBR^1^3^1^1', code: '205', severity: 'E' })]);
    expect(ack.errors[0]!.message).toMatch(/OBX-11 = C/);
    expect(await written()).toEqual(rows);
  });
});

describe('refused messages: AR or AE naming the segment and field, nothing written', () => {
  it('malformed (OBR-3 missing, OBR-7 not a timestamp, an OBX without a result) → AR with one ERR per problem', async () => {
    const { patientId } = await enrolled(w, coord);
    const mrn = await mrnOf(patientId);
    const rows = await written();
    const obr = 'OBR|1|PLC-X||94306-4^Drug screen panel^LN|||2026-03-04 09:15|||||||||||||||20260304110000-0500||TOX|F';
    const ack = ackOf(await post(oru({ mrn, accession: 'X', collected: '', obr, obx: [...NEGATIVES, { loinc: LOINC.opiates, value: '' }] })));
    expect(ack.code).toBe('AR');
    expect(ack.errors.map((e) => `${e.location} ${e.code}`)).toEqual(['OBR^1^3^1^1 101', 'OBR^1^7 102', 'OBX^4^5 101']);
    expect(ack.errors.every((e) => e.severity === 'E')).toBe(true);
    expect(ack.errors[1]!.message).toMatch(/OBR-7 must be a date and time/);
    expect(ack.text).toMatch(/OBR-3/);
    expect(await written()).toEqual(rows);
    expect(await screensOf(patientId)).toEqual([]);
  });

  it('not an ORU^R01, no PID, a training message, not HL7 at all → AR naming where', async () => {
    const rows = await written();
    const base = { mrn: 'T-NONE', accession: 'ACC-AR', collected: '202603040915-0500', obx: NEGATIVES };
    const cases: Array<[string, string, string]> = [
      [oru({ ...base, messageType: 'ADT^A01^ADT_A01' }), 'MSH^1^9^1^1', '200'],
      [oru({ ...base, messageType: 'ORU^R30' }), 'MSH^1^9^1^2', '201'],
      [oru({ ...base, processing: 'T' }), 'MSH^1^11', '202'],
      [oru({ ...base, pid: null }), 'PID^1', '100'],
      [oru({ ...base, obx: [] }), 'OBX^1', '100'],
      ['PID|1||T-NONE||TESTPATIENT^ALPHA', 'MSH^1', '100'],
      ['{"resourceType":"Bundle"}', 'MSH^1', '100'],
    ];
    for (const [msg, location, code] of cases) {
      const ack = ackOf(await post(msg));
      expect(ack.code, msg.slice(0, 60)).toBe('AR');
      expect(
        ack.errors.map((e) => `${e.location} ${e.code}`),
        msg.slice(0, 60),
      ).toContain(`${location} ${code}`);
    }
    expect(await written()).toEqual(rows);
  });

  it('an unknown MRN (or another programme’s) → AE 204 naming PID-3, without the MRN in the answer', async () => {
    const rows = await written();
    for (const mrn of ['NOSUCH-0042', 'B-0001']) {
      const r = await post(oru({ mrn, accession: `ACC-${mrn}`, collected: '202603040915-0500', obx: NEGATIVES }));
      const ack = ackOf(r);
      expect(ack.code).toBe('AE');
      expect(ack.errors).toEqual([expect.objectContaining({ location: 'PID^1^3^1^1', code: '204' })]);
      expect(r.body).not.toContain(mrn);
    }
    expect(await written()).toEqual(rows);
  });

  it('an unknown LOINC code in one OBX → AE 103 naming that OBX; the good OBX before it is not recorded either', async () => {
    const { patientId } = await enrolled(w, coord);
    const rows = await written();
    const r = await post(
      oru({
        mrn: await mrnOf(patientId),
        accession: 'ACC-LOINC',
        collected: '202603040915-0500',
        obx: [NEGATIVES[0]!, { loinc: '99999-9', name: 'Unobtainium', value: 'NEGATIVE' }, { loinc: '3397-7', name: 'Cocaine local code', system: 'L', value: 'NEGATIVE' }],
      }),
    );
    const ack = ackOf(r);
    expect(ack.code).toBe('AE');
    expect(ack.errors.map((e) => `${e.location} ${e.code}`)).toEqual(['OBX^2^3^1^1 103', 'OBX^3^3^1^3 103']);
    expect(r.body).not.toContain('99999-9');
    expect(await written()).toEqual(rows);
  });

  it('a collection time (OBR-7) later than now → AE naming OBR-7, nothing written', async () => {
    const { patientId } = await enrolled(w, coord);
    const rows = await written();
    const ack = ackOf(await post(oru({ mrn: await mrnOf(patientId), accession: 'ACC-FUTURE', collected: '202612310900-0500', obx: NEGATIVES })));
    expect(ack.code).toBe('AE');
    expect(ack.errors).toEqual([expect.objectContaining({ location: 'OBR^1^7', code: '207' })]);
    expect(ack.errors[0]!.message).toMatch(/^OBR-7 is later than now/);
    expect(await written()).toEqual(rows);
  });

  it('a preliminary result (OBX-11 = P) or a result that is not understood → AE naming the OBX field', async () => {
    const { patientId } = await enrolled(w, coord);
    const mrn = await mrnOf(patientId);
    const rows = await written();
    const pre = ackOf(await post(oru({ mrn, accession: 'ACC-PRE', collected: '202603040915-0500', obx: [{ loinc: LOINC.cocaine, value: 'POSITIVE', status: 'P' }] })));
    expect(pre.code).toBe('AE');
    expect(pre.errors.map((e) => `${e.location} ${e.code}`)).toEqual(['OBX^1^11 103']);
    expect(pre.errors[0]!.message).toMatch(/preliminary/);
    const odd = ackOf(
      await post(
        oru({
          mrn,
          accession: 'ACC-ODD',
          collected: '202603040915-0500',
          obx: [
            { loinc: LOINC.cocaine, value: 'See comment' },
            { loinc: LOINC.fentanyl, value: 'NEGATIVE', flag: 'A' },
          ],
        }),
      ),
    );
    expect(odd.code).toBe('AE');
    expect(odd.errors.map((e) => `${e.location} ${e.code}`)).toEqual(['OBX^1^5 103', 'OBX^2^5 103']);
    expect(await written()).toEqual(rows);
  });
});

describe('content types and who may post', () => {
  it('text/plain with \\n or \\r\\n between segments is accepted, and answered as text/plain', async () => {
    const { patientId } = await enrolled(w, coord);
    const mrn = await mrnOf(patientId);
    const lf = oru({ mrn, accession: 'ACC-LF', collected: '202603040915-0500', obx: NEGATIVES }).replace(/\r/g, '\n');
    expect(ackOf(await post(lf, { 'content-type': 'text/plain' }), 'text/plain').code).toBe('AA');
    const crlf = oru({ mrn, accession: 'ACC-CRLF', collected: '202603060915-0500', obx: NEGATIVES }).replace(/\r/g, '\r\n');
    expect(ackOf(await post(`${crlf}\r\n`, { 'content-type': 'text/plain; charset=utf-8' }), 'text/plain').code).toBe('AA');
    expect(await screensOf(patientId)).toHaveLength(2);
  });

  it('a charset named in the Content-Type is honoured (ISO-8859-1)', async () => {
    const { patientId } = await enrolled(w, coord);
    const msg = oru({ mrn: await mrnOf(patientId), accession: 'ACC-LATIN1', collected: '202603040915-0500', obx: NEGATIVES }).replace('ACME TOXICOLOGY^', 'Laboratoire Médical^');
    expect(ackOf(await post(Buffer.from(msg, 'latin1'), { 'content-type': `${ER7}; charset=ISO-8859-1` })).code).toBe('AA');
    expect((await screensOf(patientId))[0]!.laboratory).toBe('Laboratoire Médical');
  });

  it('a body that is not HL7 text (JSON, no content type, an unknown charset) → 415 problem+json; a NUL character → 400', async () => {
    const msg = oru({ mrn: 'T-NONE', accession: 'ACC-415', collected: '202603040915-0500', obx: NEGATIVES });
    expectProblem(await post(JSON.stringify({ message: msg }), { 'content-type': 'application/json' }), 415, 'unsupported_media_type', 'content-type');
    expectProblem(await w.app.inject({ method: 'POST', url: URL, headers: { authorization: `Bearer ${token}` }, payload: Buffer.from(msg) }), 415, 'unsupported_media_type');
    expectProblem(await post(msg, { 'content-type': 'application/xml' }), 415, 'unsupported_media_type');
    expectProblem(await post(msg, { 'content-type': `${ER7}; charset=x-unknown-charset` }), 415, 'unsupported_media_type');
    // text PostgreSQL cannot store is refused before the message is read
    expectProblem(await post(msg.replace('TESTPATIENT', 'TEST\u0000PATIENT')), 400, 'invalid_input', 'body');
  });

  it('authentication and authorisation failures stay problem+json (401/403); a staff session with write:specimen may post', async () => {
    const { patientId } = await enrolled(w, coord);
    const msg = oru({ mrn: await mrnOf(patientId), accession: 'ACC-AUTH', collected: '202603040915-0500', obx: NEGATIVES });
    const rows = await written();
    expectProblem(await w.app.inject({ method: 'POST', url: URL, headers: { 'content-type': ER7 }, payload: msg }), 401, 'unauthenticated');
    expectProblem(await post(msg, { authorization: 'Bearer wpt_not-a-real-token' }), 401, 'unauthenticated');
    expectProblem(await post(msg, { 'waypoint-program': w.programB }), 403, 'forbidden');
    const frontDesk = await w.client('front-desk');
    expectProblem(await frontDesk.request({ method: 'POST', url: URL, headers: { 'content-type': ER7 }, payload: msg }), 403, 'forbidden');
    // the refusals wrote their access-denied audit rows only
    expect((await written()).slice(0, 2)).toEqual(rows.slice(0, 2));
    const staff = ackOf(await collector.request({ method: 'POST', url: URL, headers: { 'content-type': ER7 }, payload: msg }));
    expect(staff.code).toBe('AA');
    expect((await screensOf(patientId))[0]).toMatchObject({ source: 'integration', external_id: 'ACC-AUTH^ACMELAB' });
    // a revoked token is refused
    const admin = await w.client('administrator');
    const t = await admin.post('/api/v1/integration-tokens', { name: 'Short-lived lab (fictional)', scopes: ['screens:write'] });
    const { token: revoked, id } = t.json() as { token: string; id: string };
    expect((await admin.post(`/api/v1/integration-tokens/${id}/revoke`)).statusCode).toBe(200);
    expectProblem(await post(msg, { authorization: `Bearer ${revoked}` }), 401, 'unauthenticated');
    expect(tokenId).not.toBe(id);
  });

  it('the OpenAPI document lists the route with HL7 request and response types', async () => {
    const doc = (await w.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> }; responses: Record<string, { content?: Record<string, unknown> }> }>>;
    };
    const op = doc.paths['/api/v1/lab/hl7v2']?.post;
    expect(Object.keys(op?.requestBody?.content ?? {})).toEqual([ER7, 'text/plain']);
    expect(Object.keys(op?.responses['200']?.content ?? {})).toEqual([ER7, 'text/plain']);
  });
});

describe('logs', () => {
  it('carry no patient data from the messages (names, MRNs), whatever the answer', async () => {
    const { patientId } = await enrolled(w, coord);
    const mrn = await mrnOf(patientId);
    const lines: string[] = [];
    const origWrite = fs.write;
    const origWriteSync = fs.writeSync;
    const capture = (fd: unknown, data: unknown) => {
      if (fd === 1 || fd === 2) lines.push(typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
    };
    const app = await buildApp({ db: w.database.db, logLevel: 'trace', webRoot: null, clock: () => w.clock.now, signInRateLimit: 1000 });
    await app.ready();
    (fs as { write: unknown }).write = (fd: unknown, data: unknown, ...rest: unknown[]) => {
      capture(fd, data);
      const cb = rest.find((x) => typeof x === 'function') as ((e: null, n: number) => void) | undefined;
      const n = typeof data === 'string' ? Buffer.byteLength(data) : (data as Buffer).length;
      if (cb) process.nextTick(() => cb(null, n));
    };
    (fs as { writeSync: unknown }).writeSync = (fd: unknown, data: unknown, ...rest: unknown[]) => {
      if (fd === 1 || fd === 2) {
        capture(fd, data);
        return typeof data === 'string' ? Buffer.byteLength(data) : (data as Buffer).length;
      }
      return (origWriteSync as (...a: unknown[]) => number)(fd, data, ...rest);
    };
    const secretName = 'ZYXWVUTSONIAN^QUILLBERT';
    const pid = (m: string) => `PID|1||${m}^^^TESTCLINIC^MR||${secretName}||19610723|U`;
    const send = (body: string) => app.inject({ method: 'POST', url: URL, headers: { authorization: `Bearer ${token}`, 'content-type': ER7 }, payload: body });
    try {
      await send(oru({ mrn, pid: pid(mrn), accession: 'ACC-LOG-1', collected: '202603040915-0500', obx: NEGATIVES }));
      await send(oru({ mrn: 'LOGSECRET-77', pid: pid('LOGSECRET-77'), accession: 'ACC-LOG-2', collected: '202603040915-0500', obx: NEGATIVES }));
      await send(oru({ mrn, pid: pid(mrn), accession: 'ACC-LOG-3', collected: 'LOGSECRET-TIME', obx: NEGATIVES }));
    } finally {
      (fs as { write: unknown }).write = origWrite;
      (fs as { writeSync: unknown }).writeSync = origWriteSync;
      await app.close();
    }
    const log = lines.join('');
    expect(log).toMatch(/laboratory message refused/);
    for (const secret of ['ZYXWVUTSONIAN', 'QUILLBERT', 'LOGSECRET', mrn, '19610723']) expect(log).not.toContain(secret);
  });
});
