import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { codeFor, codeMatches, countsForCm, currentCode, meetingOnAt, STEP_SECONDS, verifyAttendanceCode } from './attendance-code.ts';

const secret = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA';
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }).map((t) => new Date(t));

describe('rotating attendance code', () => {
  it('is six digits and accepted for the current and the previous step only', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 10 * STEP_SECONDS }), (now, later) => {
        const { code } = currentCode(secret, A, now);
        expect(code).toMatch(/^\d{6}$/);
        const at = new Date(now.getTime() + later * 1000);
        const stepsOn = Math.floor(at.getTime() / 1000 / STEP_SECONDS) - Math.floor(now.getTime() / 1000 / STEP_SECONDS);
        // accepted while its step or the next is current; afterwards only by a 1-in-a-million collision
        if (stepsOn <= 1) expect(codeMatches(secret, A, code, at)).toBe(true);
      }),
    );
  });

  it('a code of one meeting does not verify another (beyond chance) and a wrong secret does not either', () => {
    let collisions = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (step) => {
        if (codeFor(secret, A, step) === codeFor(secret, B, step)) collisions++;
        if (codeFor(secret, A, step) === codeFor('another-secret', A, step)) collisions++;
      }),
      { numRuns: 500 },
    );
    expect(collisions).toBeLessThanOrEqual(1);
  });

  it('refuses anything but six digits', () => {
    fc.assert(
      fc.property(instant, fc.string(), (now, s) => {
        fc.pre(!/^\d{6}$/.test(s));
        expect(codeMatches(secret, A, s, now)).toBe(false);
      }),
    );
  });

  it('only while the meeting is on, in its own time zone, with the grace window, after midnight included', () => {
    // Tuesday 2026-03-10 19:00–20:00 in Chicago (CDT, UTC-5)
    const m = { weekday: 2, startTime: '19:00', endTime: '20:00', timeZone: 'America/Chicago' };
    expect(meetingOnAt(m, new Date('2026-03-11T00:30:00Z'))).toBe('2026-03-10');
    expect(meetingOnAt(m, new Date('2026-03-11T01:29:00Z'))).toBe('2026-03-10');
    expect(meetingOnAt(m, new Date('2026-03-11T01:31:00Z'))).toBe(null);
    expect(meetingOnAt(m, new Date('2026-03-10T23:29:00Z'))).toBe(null);
    expect(meetingOnAt(m, new Date('2026-03-10T01:00:00Z'))).toBe(null); // Monday evening
    // Saturday 23:00–01:00 in New York: at 00:45 on Sunday it is Saturday's meeting
    const late = { weekday: 6, startTime: '23:00', endTime: '01:00', timeZone: 'America/New_York' };
    expect(meetingOnAt(late, new Date('2026-06-14T04:45:00Z'))).toBe('2026-06-13');
    const now = new Date('2026-03-11T00:30:00Z');
    const { code } = currentCode(secret, A, now);
    expect(verifyAttendanceCode(secret, A, m, code, now)).toEqual({ ok: true, attendedOn: '2026-03-10' });
    expect(verifyAttendanceCode(secret, A, m, code, new Date('2026-03-12T00:30:00Z'))).toEqual({ ok: false, reason: 'not_on_now' });
  });

  it('is on for every instant between start and end, whatever the zone', () => {
    const zones = fc.constantFrom('America/Chicago', 'America/Los_Angeles', 'Europe/Madrid', 'Pacific/Auckland', 'UTC');
    fc.assert(
      fc.property(instant, zones, fc.integer({ min: 0, max: 59 }), (now, timeZone, into) => {
        const local = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', weekday: 'short' }).formatToParts(new Date(now.getTime() - into * 60_000));
        const get = (t: string) => local.find((p) => p.type === t)!.value;
        const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
        const m = { weekday, startTime: `${get('hour')}:${get('minute')}`, endTime: null, timeZone };
        expect(meetingOnAt(m, now)).not.toBe(null);
      }),
    );
  });

  it('only verified attendance counts for CM', () => {
    expect(countsForCm('verified')).toBe(true);
    expect(countsForCm('self')).toBe(false);
  });
});
