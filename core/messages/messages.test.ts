import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseChannel, suppressionReason, type ContactState } from './consent.ts';
import { afterFailure, MAX_ATTEMPTS, MAX_RETRY_DELAY_SECONDS, retryDelaySeconds, failureKindOfStatus } from './delivery.ts';
import { keywordOf } from './keywords.ts';
import { inQuietHours, localMinute, quietHoursEnd, type QuietHours } from './quiet-hours.ts';

const ZONES = ['America/New_York', 'America/Los_Angeles', 'America/Phoenix', 'America/Puerto_Rico', 'Pacific/Honolulu', 'Europe/London', 'Australia/Lord_Howe', 'UTC'];
const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const instant = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) }).map((t) => new Date(Math.floor(t / 60_000) * 60_000));

describe('quiet hours', () => {
  it('21:00–08:00 in New York defers a 23:30 local message to 08:00 local the next morning', () => {
    const now = new Date('2026-03-04T04:30:00Z'); // 23:30 EST on the 3rd
    expect(quietHoursEnd(now, 'America/New_York', { start: '21:00', end: '08:00' })?.toISOString()).toBe('2026-03-04T13:00:00.000Z');
  });
  it('does not defer outside quiet hours, nor with none, nor with an empty span', () => {
    const now = new Date('2026-03-04T17:00:00Z'); // noon EST
    expect(quietHoursEnd(now, 'America/New_York', { start: '21:00', end: '08:00' })).toBeNull();
    expect(quietHoursEnd(now, 'America/New_York', null)).toBeNull();
    expect(quietHoursEnd(now, 'America/New_York', { start: '12:00', end: '12:00' })).toBeNull();
  });
  it('the start is quiet, the end is not', () => {
    const q = { start: '21:00', end: '08:00' };
    expect(inQuietHours(21 * 60, q)).toBe(true);
    expect(inQuietHours(8 * 60, q)).toBe(false);
    expect(inQuietHours(7 * 60 + 59, q)).toBe(true);
  });
  it('on nights the clocks change: the first minute outside quiet hours, even when the end is skipped or comes twice', () => {
    const ny = 'America/New_York';
    // spring forward 2027-03-14: 02:00–03:00 does not exist; quiet 01:00–02:30 ends at the jump (03:00 EDT)
    expect(quietHoursEnd(new Date('2027-03-14T06:30:00Z'), ny, { start: '01:00', end: '02:30' })?.toISOString()).toBe('2027-03-14T07:00:00.000Z');
    // the only minute outside quiet hours (02:00) is skipped that night: the next day's
    expect(quietHoursEnd(new Date('2027-03-13T07:01:00Z'), ny, { start: '02:01', end: '02:00' })?.toISOString()).toBe('2027-03-15T06:00:00.000Z');
    // fall back 2027-11-07: 01:00–02:00 comes twice; in the second pass, 01:45 EST is the end, not tomorrow's
    expect(quietHoursEnd(new Date('2027-11-07T06:40:00Z'), ny, { start: '01:00', end: '01:45' })?.toISOString()).toBe('2027-11-07T06:45:00.000Z');
    expect(quietHoursEnd(new Date('2027-11-07T05:40:00Z'), ny, { start: '01:00', end: '01:45' })?.toISOString()).toBe('2027-11-07T05:45:00.000Z');
  });
  /** Every whole minute after now and before `at` is quiet, `at` is not, and it is at most two days on. */
  const isFirstMinuteOutside = (now: Date, tz: string, quiet: QuietHours) => {
    const at = quietHoursEnd(now, tz, quiet);
    if (!inQuietHours(localMinute(now, tz), quiet)) {
      expect(at).toBeNull();
      return;
    }
    expect(at).not.toBeNull();
    expect(at!.getTime() % 60_000).toBe(0);
    expect(at!.getTime()).toBeGreaterThan(now.getTime());
    expect(at!.getTime() - now.getTime()).toBeLessThanOrEqual(48 * 3600_000);
    expect(inQuietHours(localMinute(at!, tz), quiet)).toBe(false);
    for (let t = Math.floor(now.getTime() / 60_000) * 60_000 + 60_000; t < at!.getTime(); t += 60_000) {
      expect(inQuietHours(localMinute(new Date(t), tz), quiet)).toBe(true);
    }
  };
  it('property: a deferred message lands on the first whole minute after now outside quiet hours', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), hhmm, hhmm, (now, tz, start, end) => isFirstMinuteOutside(now, tz, { start, end })),
      { numRuns: 300 },
    );
  });
  it('property: the same within a day and a half of a change of the clocks', () => {
    // [zone, an instant the clocks change]: spring and autumn, an hour and Lord Howe's half hour
    const changes: [string, number][] = [
      ['America/New_York', Date.UTC(2027, 2, 14, 7)],
      ['America/New_York', Date.UTC(2027, 10, 7, 6)],
      ['America/Los_Angeles', Date.UTC(2026, 2, 8, 10)],
      ['Europe/London', Date.UTC(2027, 2, 28, 1)],
      ['Europe/London', Date.UTC(2027, 9, 31, 1)],
      ['Australia/Lord_Howe', Date.UTC(2027, 3, 3, 15)],
      ['Australia/Lord_Howe', Date.UTC(2027, 9, 2, 15, 30)],
    ];
    const nearChange = fc.tuple(fc.constantFrom(...changes), fc.integer({ min: -36 * 60, max: 36 * 60 })).map(([[tz, at], minutes]) => [tz, new Date(at + minutes * 60_000)] as const);
    fc.assert(
      fc.property(nearChange, hhmm, hhmm, ([tz, now], start, end) => isFirstMinuteOutside(now, tz, { start, end })),
      { numRuns: 300 },
    );
  });
});

describe('delivery attempts', () => {
  it('backs off 30 s, 60 s, 120 s … up to an hour', () => {
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([30, 60, 120, 240]);
    expect(retryDelaySeconds(50)).toBe(MAX_RETRY_DELAY_SECONDS);
  });
  it('property: retries grow and never exceed the cap; the last attempt and a permanent refusal are dead letters', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), instant, (n, now) => {
        expect(retryDelaySeconds(n + 1)).toBeGreaterThanOrEqual(retryDelaySeconds(n));
        expect(retryDelaySeconds(n)).toBeLessThanOrEqual(MAX_RETRY_DELAY_SECONDS);
        const next = afterFailure(n, 'transient', now);
        if (n >= MAX_ATTEMPTS) expect(next).toEqual({ status: 'dead' });
        else expect(next).toEqual({ status: 'pending', nextAttemptAt: new Date(now.getTime() + retryDelaySeconds(n) * 1000) });
        expect(afterFailure(n, 'permanent', now)).toEqual({ status: 'dead' });
      }),
    );
  });
  it('reads provider statuses: 4xx permanent except 408/425/429; 5xx transient', () => {
    expect(failureKindOfStatus(400)).toBe('permanent');
    expect(failureKindOfStatus(429)).toBe('transient');
    expect(failureKindOfStatus(503)).toBe('transient');
  });
});

describe('consent', () => {
  const state = (over: Partial<ContactState> = {}): ContactState => ({
    consent: { sms: true, email: true, push: false },
    smsOptedOut: false,
    hasAddress: { sms: true, email: true, push: false },
    ...over,
  });
  it('opting out wins over consent; no consent and no address suppress', () => {
    expect(suppressionReason(state({ smsOptedOut: true }), 'sms')).toBe('opted-out');
    expect(suppressionReason(state(), 'push')).toBe('no-consent');
    expect(suppressionReason(state({ hasAddress: { sms: false, email: true, push: false } }), 'sms')).toBe('no-address');
    expect(suppressionReason(state(), 'sms')).toBeNull();
  });
  it('property: the channel chosen may always be used, and none is chosen only when none may', () => {
    const b = fc.boolean();
    const rec = fc.record({ sms: b, email: b, push: b });
    fc.assert(
      fc.property(rec, rec, b, (consent, hasAddress, smsOptedOut) => {
        const s = { consent, hasAddress, smsOptedOut };
        const c = chooseChannel(s);
        if (c) expect(suppressionReason(s, c)).toBeNull();
        else for (const ch of ['sms', 'email', 'push'] as const) expect(suppressionReason(s, ch)).not.toBeNull();
      }),
    );
  });
});

describe('SMS keywords', () => {
  it('knows STOP, START and HELP in English and Spanish, in any case, with punctuation', () => {
    expect(keywordOf(' stop ')).toEqual({ keyword: 'stop', language: 'en' });
    expect(keywordOf('Alto!')).toEqual({ keyword: 'stop', language: 'es' });
    expect(keywordOf('UNSTOP')).toEqual({ keyword: 'start', language: 'en' });
    expect(keywordOf('ayuda')).toEqual({ keyword: 'help', language: 'es' });
    expect(keywordOf('stop texting me so early')).toBeNull();
    expect(keywordOf('7 0 1')).toBeNull();
  });
});
