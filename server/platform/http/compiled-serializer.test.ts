// The compiled writer of a response (ADR 061) writes what the app's default writer (zod's
// encoding, then JSON.stringify) writes for the same value: the specimen recording's answer,
// with awards or none, optional and nullable fields present or not, text that needs escaping,
// and properties that are not in the contract (left out by both) or are (a result's extra
// facts, kept by both).
import fc from 'fast-check';
import Fastify from 'fastify';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SpecimenRecorded } from '../../../contracts/cm.ts';
import { compiledSerializer, compileResponseWriter } from './compiled-serializer.ts';
import { installProblemHandlers } from './problems.ts';

const write = compileResponseWriter(SpecimenRecorded);
const byZod = (value: unknown) => JSON.stringify(z.encode(SpecimenRecorded, value as z.output<typeof SpecimenRecorded>));

const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const int = fc.integer({ min: -10_000_000, max: 10_000_000 });
const id = fc.uuid({ version: 4 });
/** A property the contract does not have, which neither writer may write. */
const withStray = <T extends object>(a: fc.Arbitrary<T>) => fc.tuple(a, fc.boolean()).map(([v, stray]) => (stray ? { ...v, internalNote: 'not in the contract' } : v));

const entry = withStray(
  fc.record(
    {
      id,
      kind: fc.constantFrom('earn', 'bonus', 'prize', 'forgiven', 'debit', 'void', 'redeem'),
      cents: int,
      draws: nullable(int),
      track: nullable(text),
      eventId: nullable(id),
      n: nullable(int),
      tier: nullable(text),
      capped: nullable(text),
      reason: nullable(text),
      enrolmentId: id,
      createdAt: text,
      balanceCents: int,
      voided: fc.boolean(),
      voidedByEntryId: nullable(id),
      voidsEntryId: nullable(id),
      voidsKind: nullable(text),
      opportunityDate: nullable(text),
      opportunityKind: nullable(text),
    },
    { requiredKeys: ['id', 'kind', 'cents', 'track', 'eventId', 'n', 'tier', 'capped', 'reason', 'enrolmentId', 'createdAt'] },
  ),
);
const award = withStray(
  fc.record({
    eventId: id,
    enrolmentId: id,
    outcomes: fc.array(fc.record({ track: text, outcome: text, s: int, level: nullable(int), privilege: nullable(text) }), { maxLength: 3 }),
    entries: fc.array(entry, { maxLength: 6 }),
    earnedCents: int,
    newDraws: int,
    balanceCents: int,
    next: fc.array(nullable(fc.record({ kind: text, date: text, tracks: fc.array(fc.record({ track: text, payout: text, cents: int, draws: int, privilege: nullable(text) }), { maxLength: 3 }) })), {
      maxLength: 2,
    }),
    pendingAdjudication: fc.boolean(),
    voucherCents: int,
    prizeDrawsEarned: int,
    prizeCentsRevealed: int,
    balanceRevealedCents: int,
  }),
);
const result = fc
  .record({ analyte: text, loinc: nullable(text), result: fc.constantFrom('negative', 'positive', 'inconclusive'), prescribed: fc.boolean() })
  .chain((r) => fc.record({ valueNgMl: nullable(fc.integer()), cutoffNgMl: nullable(fc.integer()) }, { requiredKeys: [] }).map((extra) => ({ ...r, ...extra })));
const specimen = withStray(
  fc.record({
    id,
    patientId: id,
    enrolmentId: nullable(id),
    kind: text,
    at: text,
    valid: nullable(fc.boolean()),
    invalidReasons: fc.array(text, { maxLength: 3 }),
    results: fc.array(result, { maxLength: 5 }),
    detail: fc.jsonValue({ maxDepth: 2 }),
    externalId: nullable(text),
    source: fc.constantFrom('staff', 'integration', 'laboratory'),
    recordedBy: nullable(id),
    recordedAt: text,
  }),
);
const recorded = withStray(fc.record({ specimen, award: nullable(award), duplicate: fc.boolean() }));

describe('a response writer compiled from the contract', () => {
  it('writes what zod’s encoding and JSON.stringify write, for any recording’s answer', () => {
    fc.assert(
      fc.property(recorded, (value) => {
        expect(JSON.parse(write(value))).toEqual(JSON.parse(byZod(value)));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves out what the contract does not name, and keeps a result’s extra facts', () => {
    const value = fc.sample(recorded, { numRuns: 1, seed: 7 })[0]!;
    const out = JSON.parse(
      write({ ...value, specimen: { ...value.specimen, internalNote: 'x', results: [{ analyte: 'fentanyl', loinc: null, result: 'negative', prescribed: false, valueNgMl: 1 }] } }),
    );
    expect(out.specimen.internalNote).toBeUndefined();
    expect(out.specimen.results[0].valueNgMl).toBe(1);
  });

  it('refuses an answer without a property the contract requires, as zod does', () => {
    const { duplicate: _left, ...value } = fc.sample(recorded, { numRuns: 1, seed: 3 })[0]!;
    expect(() => byZod(value)).toThrow();
    expect(() => write(value)).toThrow(/duplicate/);
  });

  it('answers a route’s broken answer as the app’s default does: a 500 problem that names nothing, logged as a response that broke its contract', async () => {
    const logged: string[] = [];
    const app = Fastify({ logger: { level: 'error', stream: new Writable({ write: (chunk, _enc, done) => done(void logged.push(String(chunk))) }) } });
    installProblemHandlers(app);
    const { duplicate: _left, ...broken } = fc.sample(recorded, { numRuns: 1, seed: 3 })[0]!;
    app.get('/broken', { serializerCompiler: compiledSerializer, schema: { response: { 200: SpecimenRecorded } } }, async () => broken);
    const res = await app.inject({ method: 'GET', url: '/broken' });
    await app.close();
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ code: 'internal_error' });
    expect(res.body).not.toContain('duplicate');
    expect(logged.join('')).toContain('response_serialization');
  });
});
