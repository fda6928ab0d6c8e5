// The phone line's check-in: any sequence of key presses (or silences) never records twice
// and never throws; three good answers record exactly what was pressed; two misses on a
// question end the call with nothing recorded; the words read at about a 6th-grade level.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readTwiml } from '../messages/twiml.ts';
import { advance, answerOf, startCall, VOICE_ENGLISH, VOICE_TEXTS, voiceTwiml, type VoiceState } from './voice.ts';
import { answerProblems } from './answers.ts';
import { fleschKincaidGrade } from '../readability.ts';

const keys = fc.option(fc.oneof(fc.constantFrom('0', '1', '2', '3', '9', '*', '#'), fc.string({ maxLength: 3 })), { nil: null });

function run(presses: Array<string | null>, canConnect = true) {
  let s: VoiceState = startCall();
  const outcomes = [];
  for (const p of presses) {
    const r = advance(s, p, { canConnect });
    s = r.state;
    outcomes.push(r.outcome);
  }
  return { state: s, outcomes };
}

describe('voice check-in', () => {
  it('1, 2, 7: medication taken, no use, craving 7 — recorded once, then the offer to connect', () => {
    const { outcomes, state } = run(['1', '2', '7', '1']);
    expect(outcomes.map((o) => o.kind)).toEqual(['ask', 'ask', 'record', 'connect']);
    expect(outcomes[2]).toEqual({ kind: 'record', answers: { medication: 'taken', use: { any: false }, craving: 7 } });
    expect(state.step).toBe('ended');
  });

  it('a bad key repeats the question once; a second miss ends politely with nothing recorded', () => {
    const { outcomes } = run(['5', null]);
    expect(outcomes).toEqual([
      { kind: 'ask', question: 'medication', again: true },
      { kind: 'goodbye', why: 'no-answer' },
    ]);
    expect(run(['2', null, '1', '0']).outcomes.map((o) => o.kind)).toEqual(['ask', 'ask', 'ask', 'record']);
  });

  it('with no clinic number the call ends after the thanks', () => {
    const { state } = run(['1', '1', '3'], false);
    expect(state.step).toBe('ended');
  });

  it('reads keys: yes/no takes only 1 or 2; craving any single digit', () => {
    expect(answerOf('use', '3')).toBeNull();
    expect(answerOf('craving', '9')).toBe(9);
    expect(answerOf('craving', '10')).toBeNull();
    expect(answerOf('medication', null)).toBeNull();
  });

  it('property: any key sequence never records twice, never throws, and what it records is a valid check-in of what was pressed', () => {
    fc.assert(
      fc.property(fc.array(keys, { maxLength: 30 }), fc.boolean(), (presses, canConnect) => {
        const { outcomes } = run(presses, canConnect);
        const records = outcomes.filter((o) => o.kind === 'record');
        expect(records.length).toBeLessThanOrEqual(1);
        for (const r of records) {
          expect(answerProblems(r.answers)).toEqual([]);
          expect(r.answers.craving).toBeGreaterThanOrEqual(0);
          expect(r.answers.craving).toBeLessThanOrEqual(9);
        }
        // after the end, nothing but goodbye
        const end = outcomes.findIndex((o) => o.kind === 'goodbye' || o.kind === 'connect');
        if (end >= 0) for (const o of outcomes.slice(end + 1)) expect(o).toEqual({ kind: 'goodbye', why: 'done' });
      }),
      { numRuns: 1000 },
    );
  });

  it('the TwiML gathers one DTMF key, speech off, in the patient’s language; crisis words include 988; the connect offer only with a number', () => {
    const ctx = { lang: 'es' as const, nextAction: 'https://w.example/api/v1/voice/gather?seq=2', clinicNumber: '+15550100000' };
    const hello = voiceTwiml({ kind: 'hello' }, ctx);
    expect(hello).toContain('<Gather input="dtmf" action="https://w.example/api/v1/voice/gather?seq=2" method="POST" numDigits="1" timeout="8" actionOnEmptyResult="true">');
    expect(hello).toContain('language="es-US"');
    expect(hello).not.toContain('speech');
    const saved = readTwiml(voiceTwiml({ kind: 'record', answers: {} }, { ...ctx, lang: 'en' }, { crisis: true, naloxone: false }));
    expect(saved.said.join(' ')).toContain('Call 988 now.');
    expect(saved.gather).not.toBeNull();
    const none = readTwiml(voiceTwiml({ kind: 'record', answers: {} }, { ...ctx, lang: 'en', clinicNumber: null }, { crisis: false, naloxone: true }));
    expect(none.gather).toBeNull();
    expect(none.hangup).toBe(true);
    expect(none.said.join(' ')).toContain('naloxone');
    expect(readTwiml(voiceTwiml({ kind: 'connect' }, ctx)).dial).toBe('+15550100000');
  });

  it('every text exists in both languages, and the English reads at grade 7 or below', () => {
    expect(Object.keys(VOICE_TEXTS.es).sort()).toEqual(Object.keys(VOICE_TEXTS.en).sort());
    expect(fleschKincaidGrade(VOICE_ENGLISH.join(' '))).toBeLessThanOrEqual(7);
    for (const s of VOICE_ENGLISH) expect(fleschKincaidGrade(s), s).toBeLessThanOrEqual(9);
  });
});
