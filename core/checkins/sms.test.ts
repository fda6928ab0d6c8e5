// The SMS check-in reader: examples in English and Spanish, and properties (never
// throws; answers it returns are always valid; the numeric form round-trips).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerProblems } from './answers.ts';
import { parseSmsCheckIn } from './sms.ts';

describe('parseSmsCheckIn', () => {
  it.each([
    ['7 0 1', { craving: 7, use: { any: false }, medication: 'taken' }],
    ['7,0,1', { craving: 7, use: { any: false }, medication: 'taken' }],
    [' 7-0-1 ', { craving: 7, use: { any: false }, medication: 'taken' }],
    ['10 1 0', { craving: 10, use: { any: true, substances: [] }, medication: 'missed' }],
    ['3 0 2', { craving: 3, use: { any: false }, medication: 'not-applicable' }],
    ['7', { craving: 7 }],
    ['craving 7 no use took meds', { craving: 7, use: { any: false }, medication: 'taken' }],
    ['Craving is 4, used, missed my dose', { craving: 4, use: { any: true, substances: [] }, medication: 'missed' }],
    ['antojo 6 no consumí tomé mi medicina', { craving: 6, use: { any: false }, medication: 'taken' }],
    ['Ansia 9, sin consumo, no tomé', { craving: 9, use: { any: false }, medication: 'missed' }],
    ['5 no', { craving: 5, use: { any: false } }],
    ['5 0 si', { craving: 5, use: { any: false }, medication: 'taken' }],
    ['I am not safe', { notSafe: true }],
    ['No estoy a salvo 8', { notSafe: true, craving: 8 }],
  ])('reads %j', (text, answers) => {
    expect(parseSmsCheckIn(text)).toEqual({ ok: true, answers });
  });

  it.each([
    ['', ['empty']],
    ['   ', ['empty']],
    ['hello', ['no-answers']],
    ['11 0 1', ['craving-out-of-range']],
    ['7 5 1', ['use-unclear']],
    ['7 0 9', ['medication-unclear']],
    ['7 0 1 4', ['too-many-numbers']],
    ['x'.repeat(400), ['too-long']],
  ])('says what is wrong with %j', (text, problems) => {
    expect(parseSmsCheckIn(text)).toEqual({ ok: false, problems });
  });
});

describe('parseSmsCheckIn (properties)', () => {
  it('never throws, and whatever it accepts is a valid set of answers', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'grapheme' }),
          fc.array(fc.oneof(fc.nat({ max: 20 }).map(String), fc.constantFrom('no', 'si', 'use', 'craving', 'antojo', 'meds', ',', ' ', 'took', 'missed', 'not safe'))).map((x) => x.join(' ')),
        ),
        (text) => {
          const r = parseSmsCheckIn(text);
          if (r.ok) expect(answerProblems(r.answers)).toEqual([]);
          else expect(r.problems.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reads back any three numbers it was asked for, with any separators', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 2 }), fc.constantFrom(' ', ',', ', ', '-', '/', '  ', '.'), (c, u, m, sep) => {
        const r = parseSmsCheckIn([c, u, m].join(sep));
        expect(r).toEqual({ ok: true, answers: { craving: c, use: u === 0 ? { any: false } : { any: true, substances: [] }, medication: (['missed', 'taken', 'not-applicable'] as const)[m] } });
      }),
    );
  });
});
