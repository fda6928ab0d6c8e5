// Reading ORU^R01 messages, mapping them to Waypoint's terms, and building the ACK
// (server/modules/screens/hl7v2.ts). Pure: no database. Messages are fictional.
import { Hl7Context, Hl7Message } from '@medplum/core';
import { describe, expect, it, vi } from 'vitest';
import { AppError, conflict, invalid } from '../../platform/errors.ts';
import { acknowledge, buildAck, encodeText, Hl7Refusal, parseOruR01, parseTimestamp, type OruR01, type ParsedOru } from './hl7v2.ts';

const MSH = 'MSH|^~\\&|TOXLIS|ACME TOXICOLOGY^05D0000000^CLIA|WAYPOINT|TEST CLINIC|20260302153000-0500||ORU^R01^ORU_R01|CTRL-0001|P|2.5.1|||AL|NE';
const PID = 'PID|1||T-1001^^^TESTCLINIC^MR~900-00-0000^^^SSA^SS||TESTPATIENT^ALPHA||19900115|U';
const OBR = 'OBR|1|PLC-1|ACC-1001^ACMELAB|94306-4^Drug screen panel^LN|||202603020915-0500|||||||||||||||20260302150000-0500||TOX|F';
const OBX = {
  cocainePos: 'OBX|1|ST|3397-7^Cocaine^LN||POSITIVE|||A|||F',
  fentanylCoded: 'OBX|2|CWE|59673-7^Fentanyl^LN||260415000^Not detected^SCT||||||F',
  opiatesFlagOnly: 'OBX|3|NM|19295-5^Opiates^LN||12|ng/mL||N|||F',
  amphetamineAlt: 'OBX|4|ST|AMPH^Amphetamine screen^L^19343-3^Amphetamines^LN||Not detected||||||F',
};
const message = (...segments: string[]) => segments.join('\r');
const ok = (p: ParsedOru): OruR01 => {
  if (!p.ok) throw new Error(`refused: ${JSON.stringify(p.refusal.problems)}`);
  return p.message;
};
const refused = (p: ParsedOru) => {
  if (p.ok) throw new Error('expected a refusal');
  return {
    ack: p.refusal.ack,
    where: p.refusal.problems.map((x) => `${x.location ? [x.location.segment, x.location.sequence, x.location.field, x.location.component].filter((v) => v !== undefined).join('-') : '?'} ${x.code}`),
  };
};

describe('parseOruR01: a message in Waypoint’s terms', () => {
  it('maps PID-3, OBR-3, OBR-7 (with its offset), the laboratory and each OBX result', () => {
    const m = ok(parseOruR01(message(MSH, PID, 'ORC|RE|PLC-1|ACC-1001^ACMELAB', OBR, OBX.cocainePos, OBX.fentanylCoded, OBX.opiatesFlagOnly, OBX.amphetamineAlt, 'NTE|1||Fictional test message')));
    expect(m).toEqual({
      controlId: 'CTRL-0001',
      mrn: 'T-1001',
      accession: 'ACC-1001^ACMELAB',
      collectedAt: '2026-03-02T14:15:00.000Z',
      laboratory: 'ACME TOXICOLOGY',
      status: 'final',
      results: [
        { obx: 1, analyte: 'cocaine', loinc: '3397-7', result: 'positive' },
        { obx: 2, analyte: 'fentanyl', loinc: '59673-7', result: 'negative' },
        { obx: 3, analyte: 'opiates', loinc: '19295-5', result: 'negative', valueNgMl: 12 },
        { obx: 4, analyte: 'amphetamine', loinc: '19343-3', result: 'negative' },
      ],
    });
  });

  it('accepts \\r, \\n and \\r\\n between segments, and MLLP framing around the message', () => {
    const text = message(MSH, PID, OBR, OBX.cocainePos);
    const expected = ok(parseOruR01(text));
    expect(ok(parseOruR01(text.replace(/\r/g, '\n')))).toEqual(expected);
    expect(ok(parseOruR01(`${text.replace(/\r/g, '\r\n')}\r\n\r\n`))).toEqual(expected);
    expect(ok(parseOruR01(`\u000b${text}\u001c\r`))).toEqual(expected);
  });

  it('takes the performing organisation (OBX-23) before MSH-4, decoding the delimiter escapes in its name', () => {
    const obx = 'OBX|1|ST|3397-7^Cocaine^LN||NEGATIVE||||||F|||20260302100000-0500|||||||||Smith \\T\\ Jones Reference Lab^L^12345';
    expect(ok(parseOruR01(message(MSH, PID, OBR, obx))).laboratory).toBe('Smith & Jones Reference Lab');
  });

  it('any OBX-11 = C makes the message a corrected result', () => {
    const m = ok(parseOruR01(message(MSH, PID, OBR, OBX.cocainePos.replace('|||F', '|||C'), OBX.fentanylCoded)));
    expect(m.status).toBe('corrected');
  });

  it('reads words, SNOMED CT qualifiers and abnormal flags; OBX-5 and OBX-8 together must agree', () => {
    const one = (value: string, flag = '', type = 'ST') => parseOruR01(message(MSH, PID, OBR, `OBX|1|${type}|3397-7^Cocaine^LN||${value}|||${flag}|||F`));
    expect(ok(one('Detected')).results[0]!.result).toBe('positive');
    expect(ok(one('not  detected')).results[0]!.result).toBe('negative');
    expect(ok(one('10828004^Positive^SCT', '', 'CWE')).results[0]!.result).toBe('positive');
    expect(ok(one('Indeterminate')).results[0]!.result).toBe('inconclusive');
    expect(ok(one('', 'HH')).results[0]!.result).toBe('positive');
    expect(ok(one('', 'NEG')).results[0]!.result).toBe('negative');
    expect(ok(one('NEGATIVE', 'N~L')).results[0]!.result).toBe('negative');
    expect(ok(one('300', 'H', 'NM')).results[0]).toEqual({ obx: 1, analyte: 'cocaine', loinc: '3397-7', result: 'positive' });
    expect(refused(one('NEGATIVE', 'A'))).toEqual({ ack: 'AE', where: ['OBX-1-5 103'] });
    expect(refused(one('', 'A~N'))).toEqual({ ack: 'AE', where: ['OBX-1-8 103'] });
    expect(refused(one('See comment'))).toEqual({ ack: 'AE', where: ['OBX-1-5 103'] });
    expect(refused(one('300', '', 'NM'))).toEqual({ ack: 'AE', where: ['OBX-1-5 103'] });
    expect(refused(one(''))).toEqual({ ack: 'AR', where: ['OBX-1-5 101'] });
  });
});

describe('parseOruR01: AR when the message cannot be read as the profile', () => {
  it('names the segment (and field) of each problem', () => {
    const cases: Array<[string, string[]]> = [
      ['PID|1||T-1', ['MSH-1 100']],
      ['MSH|^^\\&|A', ['MSH-1-2 102']],
      [message(MSH.replace('ORU^R01^ORU_R01', 'ADT^A01^ADT_A01'), PID), ['MSH-1-9-1 200']],
      [message(MSH.replace('ORU^R01^ORU_R01', 'ORU^R30'), PID), ['MSH-1-9-2 201']],
      [message(MSH.replace('|CTRL-0001|P|', '||T|').replace('|2.5.1|', '|2.2|'), PID), ['MSH-1-10 101', 'MSH-1-11 202', 'MSH-1-12 203']],
      [message(MSH, OBR, OBX.cocainePos), ['PID-1 100']],
      [message(MSH, PID, PID, OBR, OBX.cocainePos), ['PID-2 100']],
      [message(MSH, PID, OBR, OBX.cocainePos, OBR), ['OBR-2 100']],
      [message(MSH, PID, OBX.cocainePos, OBR), ['OBX-1 100']],
      [message(MSH, PID, OBR), ['OBX-1 100']],
      [message(MSH, PID, 'pv1|1', OBR, OBX.cocainePos), ['? 100']],
      [message(MSH, 'PID|1||^^^TESTCLINIC^MR', OBR.replace('ACC-1001^ACMELAB', ''), OBX.cocainePos.replace('|||F', '|||')), ['PID-1-3-1 101', 'OBR-1-3-1 101', 'OBX-1-11 101']],
      [message(MSH, PID, OBR.replace('202603020915-0500', ''), 'OBX|1|ST|||POSITIVE||||||F'), ['OBR-1-7 101', 'OBX-1-3 101']],
      [message(MSH, PID, OBR.replace('ACC-1001^ACMELAB', 'A'.repeat(50)), OBX.cocainePos), ['OBR-1-3 102']],
    ];
    for (const [text, where] of cases) expect(refused(parseOruR01(text)), text.slice(0, 80)).toEqual({ ack: 'AR', where });
  });

  it('an AR outranks the AE problems of the same message (the message is refused as malformed)', () => {
    const p = parseOruR01(message(MSH, PID, OBR.replace('ACC-1001^ACMELAB', ''), OBX.cocainePos.replace('3397-7', '99999-9')));
    expect(refused(p)).toEqual({ ack: 'AR', where: ['OBR-1-3-1 101'] });
  });

  it('OBR-7: to the minute, a real date, an offset in OBR-7 or MSH-7', () => {
    const at = (ts: string, msh = MSH) => parseOruR01(message(msh, PID, OBR.replace('202603020915-0500', ts), OBX.cocainePos));
    expect(ok(at('20260302091530.25+0100')).collectedAt).toBe('2026-03-02T08:15:30.250Z');
    expect(ok(at('202603020915')).collectedAt).toBe('2026-03-02T14:15:00.000Z'); // MSH-7's -0500
    expect(refused(at('202603020915', MSH.replace('20260302153000-0500', '20260302153000')))).toEqual({ ack: 'AR', where: ['OBR-1-7 102'] });
    for (const bad of ['20260302', '2026030209', '202613020915-0500', '202602300915-0500', '202603022415-0500', '2026-03-02T09:15', '202603020915-2500', '18000302091500+0000']) {
      expect(refused(at(bad)), bad).toEqual({ ack: 'AR', where: ['OBR-1-7 102'] });
    }
  });
});

describe('parseOruR01: AE when the message is read but cannot be applied', () => {
  it('every OBX is checked: unknown LOINC, another coding system, the same analyte twice, a preliminary or unknown status', () => {
    const p = parseOruR01(
      message(
        MSH,
        PID,
        OBR,
        'OBX|1|ST|99999-9^Unobtainium^LN||NEGATIVE||||||F',
        'OBX|2|ST|COC^Cocaine^L||NEGATIVE||||||F',
        OBX.cocainePos,
        OBX.cocainePos.replace('OBX|1', 'OBX|4'),
        OBX.fentanylCoded.replace('||||||F', '||||||P'),
        'OBX|6|ST|19295-5^Opiates^LN||NEGATIVE||||||X',
        'OBX|7|ST|XYZ^Local code^L^11111-1^Not ours^LN||NEGATIVE||||||F',
      ),
    );
    expect(refused(p)).toEqual({ ack: 'AE', where: ['OBX-1-3-1 103', 'OBX-2-3-3 103', 'OBX-4-3-1 205', 'OBX-5-11 103', 'OBX-6-11 103', 'OBX-7-3-4 103'] });
  });

  it('problems name the field, never the value sent', () => {
    const p = parseOruR01(message(MSH, PID, OBR, 'OBX|1|ST|12345-6^Secret analyte^LN||NEGATIVE||||||F'));
    expect(p.ok).toBe(false);
    if (!p.ok) expect(JSON.stringify(p.refusal.problems)).not.toMatch(/12345-6|T-1001|TESTPATIENT/);
  });
});

describe('parseTimestamp', () => {
  it('converts HL7 TS values with their offset to UTC instants', () => {
    expect(parseTimestamp('202603020915-0500', null)).toEqual({ ok: true, iso: '2026-03-02T14:15:00.000Z' });
    expect(parseTimestamp('20260302091500.1+0530', null)).toEqual({ ok: true, iso: '2026-03-02T03:45:00.100Z' });
    expect(parseTimestamp('20261101013000', '-0400')).toEqual({ ok: true, iso: '2026-11-01T05:30:00.000Z' });
    expect(parseTimestamp('20240229235959+0000', null)).toEqual({ ok: true, iso: '2024-02-29T23:59:59.000Z' });
    expect(parseTimestamp('20250229235959+0000', null)).toEqual({ ok: false, reason: 'format' });
    expect(parseTimestamp('202603020915', null)).toEqual({ ok: false, reason: 'offset' });
  });
});

describe('buildAck', () => {
  const now = new Date('2026-03-02T20:00:05Z');
  const parsed = parseOruR01(message(MSH, PID, OBR, OBX.cocainePos));

  it('AA: MSH with the applications swapped, MSA with the message’s control id, no ERR', () => {
    const ack = buildAck({ request: parsed.request, code: 'AA', text: 'Recorded as a laboratory specimen', controlId: 'ACK0001', now });
    expect(ack.split('\r')).toEqual([
      'MSH|^~\\&|WAYPOINT|TEST CLINIC|TOXLIS|ACME TOXICOLOGY^05D0000000^CLIA|20260302200005+0000||ACK^R01^ACK|ACK0001|P|2.5.1',
      'MSA|AA|CTRL-0001|Recorded as a laboratory specimen',
    ]);
  });

  it('AE/AR: one ERR per problem (location, table 0357 code, severity E, application code, text); MSA-3 at most 80 characters', () => {
    const long = 'x'.repeat(100);
    const ack = buildAck({
      request: parsed.request,
      code: 'AE',
      text: long,
      controlId: 'ACK0002',
      now,
      problems: [
        { location: { segment: 'PID', sequence: 1, field: 3, component: 1 }, code: 204, message: 'No patient in this programme has the MRN given in PID-3.', appCode: 'unknown_patient' },
        { location: null, code: 207, message: 'Something | with ^ delimiters & more ~ here \\ too' },
      ],
    });
    const m = Hl7Message.parse(ack);
    expect(m.getSegment('MSA')!.getField(3).toString()).toHaveLength(80);
    const errs = m.getAllSegments('ERR').map((e) => e.toString());
    expect(errs).toEqual([
      'ERR||PID^1^3^1^1|204^Unknown key identifier^HL70357|E|unknown_patient|||No patient in this programme has the MRN given in PID-3.',
      'ERR|||207^Application internal error^HL70357|E||||Something \\F\\ with \\S\\ delimiters \\T\\ more \\R\\ here \\E\\ too',
    ]);
  });

  it('answers in the sender’s delimiters, and with defaults when the message could not be read', () => {
    const odd = parseOruR01(message(MSH, PID, OBR, OBX.cocainePos).replace(/\^/g, '#'));
    expect(odd.ok).toBe(true);
    const ack = buildAck({
      request: odd.request,
      code: 'AR',
      text: 'Rejected',
      controlId: 'ACK0003',
      now,
      problems: [{ location: { segment: 'OBR', sequence: 1, field: 7 }, code: 102, message: 'a # b' }],
    });
    expect(ack).toContain('|ACK#R01#ACK|');
    expect(ack).toContain('ERR||OBR#1#7|102#Data type error#HL70357|E||||a \\S\\ b');
    const none = buildAck({ request: null, code: 'AR', text: 'The message must start with an MSH segment.', controlId: 'ACK0004', now });
    expect(none.split('\r')[0]).toBe('MSH|^~\\&|WAYPOINT||||20260302200005+0000||ACK^R01^ACK|ACK0004|P|2.5.1');
    expect(none.split('\r')[1]).toBe('MSA|AR||The message must start with an MSH segment.');
  });

  it('encodeText escapes every delimiter and the escape character, and drops line breaks', () => {
    expect(encodeText('a|b^c~d\\e&f\rg\nh', new Hl7Context())).toBe('a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f g h');
  });
});

describe('acknowledge', () => {
  const ids = { controlId: 'ACK0100', now: new Date('2026-03-02T20:00:00Z') };
  const good = message(MSH, PID, OBR, OBX.cocainePos);
  const msaOf = (text: string) => Hl7Message.parse(text).getSegment('MSA')!.toString();
  const errOf = (text: string) =>
    Hl7Message.parse(text)
      .getAllSegments('ERR')
      .map((e) => e.toString());

  it('does not call the use case for a refused message', async () => {
    const record = vi.fn();
    const a = await acknowledge('not hl7', ids, record);
    expect(record).not.toHaveBeenCalled();
    expect(a.code).toBe('AR');
  });

  it('AA for a recording and for a duplicate', async () => {
    const a = await acknowledge(good, ids, async (m) => {
      expect(m.accession).toBe('ACC-1001^ACMELAB');
      return { kind: 'cup-correction', duplicate: false };
    });
    expect(msaOf(a.text)).toBe("MSA|AA|CTRL-0001|Recorded as the laboratory confirmation of the day's cup");
    const d = await acknowledge(good, ids, async () => ({ kind: 'specimen', duplicate: true }));
    expect(msaOf(d.text)).toBe('MSA|AA|CTRL-0001|Already recorded; nothing changed');
  });

  it('refusals from the use cases become AE naming the field; a failure of Waypoint’s own is AE 207, handed back for the log', async () => {
    const closed = new AppError({ code: 'opportunity_closed', status: 409, message: 'closed', problems: [{ field: 'body.collectedAt', message: 'x' }] });
    const a = await acknowledge(good, ids, async () => {
      throw closed;
    });
    expect(a.code).toBe('AE');
    expect(errOf(a.text)[0]).toMatch(
      /^ERR\|\|OBR\^1\^7\|207\^Application internal error\^HL70357\|E\|opportunity_closed\|\|\|The patient's contingency-management screen of that day was already closed as missed/,
    );
    const future = await acknowledge(good, ids, async () => {
      throw invalid('body.collectedAt', 'is later than now.');
    });
    expect(errOf(future.text)[0]).toBe('ERR||OBR^1^7|207^Application internal error^HL70357|E|invalid_input|||OBR-7 is later than now. Nothing was recorded.');
    const other = await acknowledge(good, ids, async () => {
      throw new AppError({ code: 'invalid_input', status: 400, message: 'A correction changes results | validity.' });
    });
    expect(errOf(other.text)[0]).toBe('ERR|||207^Application internal error^HL70357|E|invalid_input|||A correction changes results \\F\\ validity. Nothing was recorded.');
    const b = await acknowledge(good, ids, async () => {
      throw conflict('specimen_exists', 'x', 'body.externalId');
    });
    expect(errOf(b.text)[0]).toMatch(/^ERR\|\|OBR\^1\^3\|205\^/);
    const c = await acknowledge(good, ids, async () => {
      throw conflict('specimen_exists', 'x', 'body.collectedAt');
    });
    expect(errOf(c.text)[0]).toMatch(/^ERR\|\|OBR\^1\^7\|207\^/);
    const d = await acknowledge(good, ids, async () => {
      throw new Hl7Refusal('AE', [{ location: { segment: 'PID', sequence: 1, field: 3, component: 1 }, code: 204, message: 'No such MRN.' }]);
    });
    expect(msaOf(d.text)).toBe('MSA|AE|CTRL-0001|No such MRN.');
    const boom = new Error('connection reset');
    const e = await acknowledge(good, ids, async () => {
      throw boom;
    });
    expect(e.code).toBe('AE');
    expect(e.internalError).toBe(boom);
    expect(errOf(e.text)[0]).toMatch(/^ERR\|\|\|207\^Application internal error\^HL70357\|E\|\|\|\|.*send it again later/);
    expect(e.text).not.toContain('connection reset');
  });
});
