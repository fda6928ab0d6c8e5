// The outreach schedule (ADR 049): examples for each rule, and properties with fast-check —
// the state is a function of the facts and `now` (attempts in any order give the same state),
// at most one contact is open, escalations are once per contact and only for contacts past due.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ATTEMPT_OUTCOMES, DEFAULT_SETTINGS, outreachState, settingsProblems, type AttemptFacts, type AttemptOutcome } from './outreach.ts';

const H = 3_600_000;
const T0 = new Date('2026-03-02T14:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * H);
const ref = { referredAt: T0, consent: true };
let n = 0;
const att = (hours: number, outcome: AttemptOutcome): AttemptFacts => ({ id: `a${String(n++).padStart(4, '0')}`, at: at(hours), outcome });

describe('outreachState', () => {
  it('a new referral: first contact due within 24 hours, then overdue and escalated', () => {
    const s = outreachState(ref, [], DEFAULT_SETTINGS, at(2));
    expect(s.status).toBe('open');
    expect(s.current).toMatchObject({ index: 0, state: 'due', dueAt: at(24) });
    expect(s.contacts[1]!.dueAt).toBeNull(); // anchored on the first contact
    expect(s.escalate).toEqual([]);
    const late = outreachState(ref, [], DEFAULT_SETTINGS, at(25));
    expect(late.current).toMatchObject({ index: 0, state: 'overdue', overdueSince: at(24) });
    expect(late.escalate).toEqual([{ index: 0, reason: 'overdue', since: at(24) }]);
  });

  it('reaching the person schedules the follow-ups from that moment', () => {
    const s = outreachState(ref, [att(5, 'reached')], DEFAULT_SETTINGS, at(6));
    expect(s.contacts[0]).toMatchObject({ state: 'done', resolvedAt: at(5) });
    expect(s.current).toMatchObject({ index: 1, day: 1, state: 'due', dueAt: at(29) });
    expect(s.contacts.map((c) => c.dueAt?.getTime())).toEqual([at(24), ...DEFAULT_SETTINGS.followUpDays.map((d) => at(5 + 24 * d))].map((d) => d.getTime()));
  });

  it('no answer asks for a retry; after the last try the contact is missed and escalated', () => {
    const s1 = outreachState(ref, [att(20, 'no-answer')], DEFAULT_SETTINGS, at(21));
    expect(s1.current).toMatchObject({ index: 0, tries: 1, retryBy: at(24), state: 'due' });
    // past the deadline, a retry window still running keeps it due
    const s2 = outreachState(ref, [att(20, 'no-answer'), att(23, 'voicemail')], DEFAULT_SETTINGS, at(25));
    expect(s2.current).toMatchObject({ state: 'due', retryBy: at(27) });
    expect(outreachState(ref, [att(20, 'no-answer'), att(23, 'voicemail')], DEFAULT_SETTINGS, at(28)).current).toMatchObject({ state: 'overdue', overdueSince: at(27) });
    const s3 = outreachState(ref, [att(1, 'no-answer'), att(2, 'no-answer'), att(3, 'wrong-number')], DEFAULT_SETTINGS, at(4));
    expect(s3.contacts[0]).toMatchObject({ state: 'missed', tries: 3 });
    expect(s3.escalate).toEqual([{ index: 0, reason: 'missed', since: at(3) }]);
    // follow-ups then count from the referral
    expect(s3.current).toMatchObject({ index: 1, dueAt: at(24) });
  });

  it('not safe to talk does not use up a try', () => {
    const s = outreachState(ref, [att(1, 'not-safe-to-talk'), att(2, 'not-safe-to-talk'), att(3, 'not-safe-to-talk')], DEFAULT_SETTINGS, at(4));
    expect(s.current).toMatchObject({ index: 0, tries: 0, retryBy: at(7) });
  });

  it('declining closes the referral; no more contacts or escalations', () => {
    const s = outreachState(ref, [att(3, 'declined')], DEFAULT_SETTINGS, at(24 * 200));
    expect(s).toMatchObject({ status: 'closed', closedReason: 'declined', closedAt: at(3), current: null, escalate: [] });
    expect(s.contacts.slice(1).every((c) => c.state === 'cancelled')).toBe(true);
  });

  it('a follow-up not made before the next is due is missed; the attempt counts for the next one', () => {
    const s = outreachState(ref, [att(0, 'reached'), att(24 * 4, 'reached')], DEFAULT_SETTINGS, at(24 * 4 + 1));
    expect(s.contacts[1]).toMatchObject({ state: 'missed', resolvedAt: at(72) });
    expect(s.contacts[2]).toMatchObject({ state: 'done', resolvedAt: at(96) });
    expect(s.escalate).toEqual([{ index: 1, reason: 'missed', since: at(72) }]);
  });

  it('all follow-ups made: closed as completed; closed by hand stops escalations', () => {
    const all = [att(0, 'reached'), ...DEFAULT_SETTINGS.followUpDays.map((d) => att(24 * d, 'reached'))];
    expect(outreachState(ref, all, DEFAULT_SETTINGS, at(24 * 100))).toMatchObject({ status: 'closed', closedReason: 'completed' });
    const moved = outreachState({ ...ref, closedAt: at(30), closedReason: 'moved' }, [], DEFAULT_SETTINGS, at(40));
    expect(moved).toMatchObject({ status: 'closed', closedReason: 'moved', escalate: [] });
  });

  it('no consent: nothing to do', () => {
    expect(outreachState({ referredAt: T0, consent: false }, [], DEFAULT_SETTINGS, at(100))).toMatchObject({ status: 'closed', closedReason: 'no-consent', escalate: [] });
  });

  it('validates settings', () => {
    expect(settingsProblems(DEFAULT_SETTINGS)).toEqual([]);
    expect(settingsProblems({ ...DEFAULT_SETTINGS, followUpDays: [3, 3], maxTries: 0 }).map((p) => p.field)).toEqual(['followUpDays.1', 'maxTries']);
  });
});

const attempts = fc.array(
  fc.record({ id: fc.uuid(), hours: fc.integer({ min: 0, max: 24 * 100 }), outcome: fc.constantFrom(...ATTEMPT_OUTCOMES) }).map((a) => ({ id: a.id, at: at(a.hours), outcome: a.outcome })),
  { maxLength: 30 },
);
const settings = fc.record({
  firstContactHours: fc.integer({ min: 1, max: 72 }),
  followUpDays: fc.uniqueArray(fc.integer({ min: 1, max: 90 }), { maxLength: 8 }).map((d) => [...d].sort((a, b) => a - b)),
  followUpsFrom: fc.constantFrom('first-contact' as const, 'referral' as const),
  retryHours: fc.integer({ min: 1, max: 24 }),
  maxTries: fc.integer({ min: 1, max: 5 }),
});

describe('outreachState properties', () => {
  it('does not depend on the order attempts are given in', () => {
    fc.assert(
      fc.property(attempts, settings, fc.integer({ min: 0, max: 24 * 120 }), (as, s, h) => {
        expect(outreachState(ref, [...as].reverse(), s, at(h))).toEqual(outreachState(ref, as, s, at(h)));
      }),
    );
  });
  it('at most one contact is due or overdue, escalations are distinct and past due, closed means nothing open', () => {
    fc.assert(
      fc.property(attempts, settings, fc.integer({ min: 0, max: 24 * 120 }), (as, s, h) => {
        const now = at(h);
        const st = outreachState(ref, as, s, now);
        const open = st.contacts.filter((c) => c.state === 'due' || c.state === 'overdue');
        expect(open.length).toBeLessThanOrEqual(1);
        if (st.status === 'closed') expect(open).toEqual([]);
        expect(new Set(st.escalate.map((e) => e.index)).size).toBe(st.escalate.length);
        for (const e of st.escalate) expect(e.since.getTime()).toBeLessThanOrEqual(now.getTime());
        expect(st.contacts.reduce((k, c) => k + c.attemptIds.length, 0)).toBeLessThanOrEqual(as.length);
      }),
    );
  });
  it('an escalation, once due, stays due while the referral is open and the contact is not made (correct after downtime)', () => {
    fc.assert(
      fc.property(attempts, settings, fc.integer({ min: 0, max: 24 * 60 }), fc.integer({ min: 0, max: 24 * 60 }), (as, s, h, later) => {
        const early = outreachState(ref, as, s, at(h));
        const late = outreachState(
          ref,
          as.filter((a) => a.at.getTime() <= at(h).getTime()),
          s,
          at(h + later),
        );
        if (late.status === 'open') for (const e of early.escalate) expect(late.escalate.map((x) => x.index)).toContain(e.index);
      }),
    );
  });
});
