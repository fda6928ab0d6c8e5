// CRAFT rules: the schedule's shape (properties over start days and second-day choices), moving
// one session, the course summary, the outcome rule, wellbeing scored by the instrument library
// and its trend, and the session content's lint.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays } from '../cm/calendar.ts';
import { InstrumentInputError, scoreInstrument } from '../instruments/index.ts';
import { CRAFT_TOPICS, courseSummary, craftSchedule, heldProblem, homeworkOpen, moveProblem, moveSession, outcomeProblem, scoreWellbeing, wellbeingTrend, type SessionState } from './craft.ts';
import { craftTopics, lintCraftContent, MAX_CRAFT_GRADE, topicGrade } from './craft-content.ts';
import sessionsJson from '../../content/craft/sessions.json' with { type: 'json' };

const day = fc.integer({ min: 0, max: 4000 }).map((d) => addDays('2020-01-01', d));
const days = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

describe('craftSchedule', () => {
  it('is twice a week for four weeks, then weekly: 12 sessions with the topics in order', () => {
    const s = craftSchedule('2026-03-02');
    expect(s.map((x) => x.scheduledOn)).toEqual([
      '2026-03-02',
      '2026-03-05',
      '2026-03-09',
      '2026-03-12',
      '2026-03-16',
      '2026-03-19',
      '2026-03-23',
      '2026-03-26',
      '2026-03-30',
      '2026-04-06',
      '2026-04-13',
      '2026-04-20',
    ]);
    expect(s.map((x) => x.topic)).toEqual([...CRAFT_TOPICS]);
    expect(s.map((x) => x.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('property: two sessions in each of the first four course weeks, one in each of the next four, never two on a day, in order', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 6 }), (start, second) => {
        const s = craftSchedule(start, { secondDay: second });
        expect(s).toHaveLength(12);
        expect(s[0]!.scheduledOn).toBe(start);
        const offsets = s.map((x) => days(start, x.scheduledOn));
        const perWeek = Array.from({ length: 8 }, (_, w) => offsets.filter((o) => Math.floor(o / 7) === w).length);
        expect(perWeek).toEqual([2, 2, 2, 2, 1, 1, 1, 1]);
        expect(new Set(offsets).size).toBe(12);
        for (let i = 1; i < offsets.length; i++) expect(offsets[i]!).toBeGreaterThan(offsets[i - 1]!);
      }),
    );
  });

  it('refuses a bad start or second day', () => {
    expect(() => craftSchedule('2026-02-30')).toThrow(RangeError);
    expect(() => craftSchedule('2026-03-02', { secondDay: 0 })).toThrow(RangeError);
    expect(() => craftSchedule('2026-03-02', { secondDay: 7 })).toThrow(RangeError);
  });
});

const state = (start: string): SessionState[] => craftSchedule(start).map((s) => ({ number: s.number, scheduledOn: s.scheduledOn, status: 'scheduled', heldOn: null, homeworkDone: false }));

describe('moving a session', () => {
  it('property: moving one session changes no other', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 80 }), (start, n, shift) => {
        const sessions = state(start);
        const to = addDays(start, shift);
        const moved = moveSession(sessions, n, to);
        for (const s of moved) expect(s.scheduledOn).toBe(s.number === n ? to : sessions.find((x) => x.number === s.number)!.scheduledOn);
        const p = moveProblem(sessions, n, to, start);
        expect(p === null).toBe(!sessions.some((s) => s.number !== n && s.scheduledOn === to));
      }),
    );
  });
  it('names the field for a day taken, a day before the course or a non-date', () => {
    const s = state('2026-03-02');
    expect(moveProblem(s, 3, '2026-03-05', '2026-03-02')).toEqual({ field: 'body.scheduledOn', message: 'another session is already on that day' });
    expect(moveProblem(s, 3, '2026-03-01', '2026-03-02')?.field).toBe('body.scheduledOn');
    expect(moveProblem(s, 3, 'soon', '2026-03-02')?.field).toBe('body.scheduledOn');
    expect(moveProblem(s, 3, '2026-03-10', '2026-03-02')).toBeNull();
  });
  it('a held date is not in the future nor before the course', () => {
    expect(heldProblem('2026-03-03', '2026-03-02', '2026-03-02')?.message).toBe('must not be in the future');
    expect(heldProblem('2026-03-01', '2026-03-02', '2026-03-04')?.field).toBe('body.heldOn');
    expect(heldProblem('2026-03-02', '2026-03-02', '2026-03-02')).toBeNull();
  });
});

describe('courseSummary', () => {
  it('counts held, missed and homework, finds the next session and whether it is on track', () => {
    const s = state('2026-03-02');
    s[0] = { ...s[0]!, status: 'held', heldOn: '2026-03-02', homeworkDone: true };
    s[1] = { ...s[1]!, status: 'missed' };
    s[2] = { ...s[2]!, status: 'held', heldOn: '2026-03-09' };
    const sum = courseSummary(s, '2026-03-10');
    expect(sum).toMatchObject({ held: 2, missed: 1, homeworkDone: 1, unrecorded: 0, next: { number: 4, scheduledOn: '2026-03-12' }, onTrack: true, finished: false });
    // a week later with nothing recorded: sessions 4 and 5 are past and unrecorded, with one missed that is 3 behind
    expect(courseSummary(s, '2026-03-17')).toMatchObject({ unrecorded: 2, onTrack: false, next: { number: 6 } });
  });
  it('property: held + missed + scheduled = 12; next is the earliest scheduled day from today', () => {
    fc.assert(
      fc.property(day, fc.array(fc.constantFrom('scheduled', 'held', 'missed'), { minLength: 12, maxLength: 12 }), fc.integer({ min: 0, max: 70 }), (start, statuses, t) => {
        const s = state(start).map((x, i) => ({ ...x, status: statuses[i] as SessionState['status'], heldOn: statuses[i] === 'held' ? x.scheduledOn : null }));
        const today = addDays(start, t);
        const sum = courseSummary(s, today);
        expect(sum.held + sum.missed + s.filter((x) => x.status === 'scheduled').length).toBe(12);
        const future = s
          .filter((x) => x.status === 'scheduled' && x.scheduledOn >= today)
          .map((x) => x.scheduledOn)
          .sort();
        expect(sum.next?.scheduledOn ?? null).toBe(future[0] ?? null);
        expect(sum.onTrack).toBe(sum.missed + sum.unrecorded <= 2);
      }),
    );
  });
  it('homework opens on the session day or once held', () => {
    expect(homeworkOpen({ scheduledOn: '2026-03-05', status: 'scheduled' }, '2026-03-04')).toBe(false);
    expect(homeworkOpen({ scheduledOn: '2026-03-05', status: 'scheduled' }, '2026-03-05')).toBe(true);
    expect(homeworkOpen({ scheduledOn: '2026-03-09', status: 'held' }, '2026-03-04')).toBe(true);
  });
});

describe('outcomeProblem', () => {
  const start = '2026-03-02';
  it('entered treatment needs a date within the course start and today', () => {
    expect(outcomeProblem({ enteredTreatment: true }, start, '2026-03-20')?.field).toBe('body.enteredOn');
    expect(outcomeProblem({ enteredTreatment: true, enteredOn: '2026-03-01' }, start, '2026-03-20')?.message).toMatch(/before/);
    expect(outcomeProblem({ enteredTreatment: true, enteredOn: '2026-03-21' }, start, '2026-03-20')?.message).toMatch(/future/);
    expect(outcomeProblem({ enteredTreatment: true, enteredOn: '2026-03-20' }, start, '2026-03-20')).toBeNull();
    expect(outcomeProblem({ enteredTreatment: false }, start, '2026-03-20')).toBeNull();
    expect(outcomeProblem({ enteredTreatment: false, enteredOn: '2026-03-10' }, start, '2026-03-20')?.field).toBe('body.enteredOn');
  });
  it('property: accepted exactly when start <= date <= today', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: -30, max: 60 }), fc.integer({ min: 0, max: 60 }), (s, d, t) => {
        const on = addDays(s, d);
        const today = addDays(s, t);
        expect(outcomeProblem({ enteredTreatment: true, enteredOn: on }, s, today) === null).toBe(on >= s && on <= today);
      }),
    );
  });
});

describe('wellbeing', () => {
  const all = (v: number, n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i + 1), v]));
  it('scores with the instrument library (same total and band), flags PHQ-9 item 9', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 9, maxLength: 9 }), (vals) => {
        const answers = Object.fromEntries(vals.map((v, i) => [String(i + 1), v]));
        const lib = scoreInstrument('phq-9', { answers });
        const mine = scoreWellbeing('phq-9', answers);
        expect('score' in mine && mine.score).toBe(lib.scores.total);
        expect('severity' in mine && mine.severity).toBe(lib.band!.code);
        expect('helpNow' in mine && mine.helpNow).toBe(vals[8]! > 0);
      }),
    );
    expect(scoreWellbeing('gad-7', all(2, 7))).toMatchObject({ score: 14, severity: 'moderate', helpNow: false });
  });
  it('an incomplete form names the first unanswered item; out of range throws the library error', () => {
    const a = all(1, 9);
    delete a['4'];
    expect(scoreWellbeing('phq-9', a)).toEqual({ field: 'body.answers.4', message: 'answer every question' });
    expect(() => scoreWellbeing('gad-7', { ...all(1, 7), '3': 9 })).toThrow(InstrumentInputError);
  });
  it('trend: first vs latest per instrument, lower is better', () => {
    const t = wellbeingTrend([
      { instrument: 'phq-9', score: 12, completedAt: '2026-03-10T10:00:00Z' },
      { instrument: 'phq-9', score: 16, completedAt: '2026-03-02T10:00:00Z' },
      { instrument: 'phq-9', score: 9, completedAt: '2026-03-20T10:00:00Z' },
      { instrument: 'gad-7', score: 8, completedAt: '2026-03-02T10:00:00Z' },
    ]);
    expect(t).toEqual([
      { instrument: 'phq-9', first: 16, latest: 9, change: -7, direction: 'better', count: 3 },
      { instrument: 'gad-7', first: 8, latest: 8, change: 0, direction: 'about-the-same', count: 1 },
    ]);
    expect(wellbeingTrend([])).toEqual([]);
  });
});

describe('content/craft/sessions.json', () => {
  it('passes the lint: 12 topics in order, English and Spanish, grade <= 7, sources', () => {
    expect(lintCraftContent(sessionsJson)).toEqual([]);
    expect(craftTopics().size).toBe(12);
    for (const t of craftTopics().values()) expect(topicGrade(t)).toBeLessThanOrEqual(MAX_CRAFT_GRADE);
  });
  it('the lint finds what is wrong', () => {
    const doc = structuredClone(sessionsJson) as { sessions: Array<{ key: string; aim: { en: string; es: string }; points: unknown[] }>; sources: string[] };
    doc.sessions[1]!.aim.es = '';
    doc.sessions[2]!.key = 'other';
    const hard = 'Comprehensive psychoeducational interventions facilitate interpersonal communication regarding problematic substance utilization';
    doc.sessions[3]!.aim.en = `${hard}.`;
    doc.sessions[3]!.points = doc.sessions[3]!.points.map(() => ({ en: `${hard} considerably.`, es: 'Texto.' }));
    doc.sessions[4]!.points = [doc.sessions[4]!.points[0]];
    doc.sessions[5]!.aim.en = 'Talk to an addict.';
    const problems = lintCraftContent(doc);
    expect(problems.some((p) => p.startsWith('safety: text 2 is missing in es'))).toBe(true);
    expect(problems.some((p) => p.startsWith('topic 3 is other'))).toBe(true);
    expect(problems.some((p) => p.startsWith('communication: English reads at grade'))).toBe(true);
    expect(problems.some((p) => p.startsWith('rewarding: 1 points'))).toBe(true);
    expect(problems.some((p) => p.includes('stigmatising'))).toBe(true);
    expect(lintCraftContent({ ...doc, sessions: doc.sessions.slice(0, 11) }).some((p) => p.includes('11 topics'))).toBe(true);
    expect(lintCraftContent({ ...sessionsJson, sources: [] }).length).toBeGreaterThan(0);
  });
});
