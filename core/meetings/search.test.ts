// The search rule: every result matches every filter, the order, and "in the next two hours"
// across midnight and the week's end (fast-check).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { boundingBox, distanceKm, kmToMiles, matches, milesToKm, search, timing, type Searchable } from './search.ts';
import { ATTENDANCE_MODES, FELLOWSHIPS, FRIENDLINESS } from './model.ts';

const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const zone = fc.constantFrom('America/New_York', 'America/Los_Angeles', 'America/Chicago', 'UTC', 'Pacific/Honolulu');
const meeting: fc.Arbitrary<Searchable> = fc.record({
  weekday: fc.integer({ min: 0, max: 6 }),
  startTime: hhmm,
  endTime: fc.option(hhmm, { nil: null }),
  timeZone: zone,
  mode: fc.constantFrom(...ATTENDANCE_MODES),
  latitude: fc.option(fc.double({ min: 40, max: 41, noNaN: true }), { nil: null }),
  longitude: fc.option(fc.double({ min: -74.5, max: -73.5, noNaN: true }), { nil: null }),
  fellowship: fc.constantFrom(...FELLOWSHIPS),
  languages: fc.subarray(['en', 'es', 'pt'], { minLength: 1 }),
  friendliness: fc.constantFrom(...FRIENDLINESS),
});
const instant = fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-01-01T00:00:00Z'), noInvalidDate: true });
// within eight hours of 2026's US clock changes (8 March and 1 November, 02:00 local in New York, Chicago and Los Angeles)
const nearClockChange = fc
  .tuple(fc.constantFrom(Date.UTC(2026, 2, 8, 7), Date.UTC(2026, 10, 1, 6)), fc.integer({ min: -8 * 60, max: 8 * 60 }), fc.integer({ min: 0, max: 59_999 }))
  .map(([change, minutes, ms]) => new Date(change + minutes * 60_000 + ms));

describe('search', () => {
  it('haversine: New York to Philadelphia is about 130 km; miles convert', () => {
    const d = distanceKm({ latitude: 40.7128, longitude: -74.006 }, { latitude: 39.9526, longitude: -75.1652 });
    expect(d).toBeGreaterThan(125);
    expect(d).toBeLessThan(135);
    expect(kmToMiles(milesToKm(10))).toBeCloseTo(10);
  });

  it('every result matches every filter, and no match is left out below the limit', () => {
    fc.assert(
      fc.property(
        fc.array(meeting, { maxLength: 40 }),
        instant,
        fc.record({
          near: fc.option(fc.record({ latitude: fc.constant(40.5), longitude: fc.constant(-74), radiusKm: fc.integer({ min: 1, max: 80 }) }), { nil: undefined }),
          weekdays: fc.option(fc.subarray([0, 1, 2, 3, 4, 5, 6], { minLength: 1 }), { nil: undefined }),
          timeWindow: fc.option(fc.record({ from: hhmm, to: hhmm }), { nil: undefined }),
          startingWithinMinutes: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
          onlineNow: fc.option(fc.boolean(), { nil: undefined }),
          languages: fc.option(fc.subarray(['en', 'es'], { minLength: 1 }), { nil: undefined }),
          modes: fc.option(fc.subarray([...ATTENDANCE_MODES], { minLength: 1 }), { nil: undefined }),
          friendlyFirst: fc.boolean(),
          limit: fc.integer({ min: 1, max: 50 }),
        }),
        (ms, now, q) => {
          const out = search(ms, q, now);
          expect(out.length).toBeLessThanOrEqual(q.limit);
          for (const h of out) {
            const m = h.meeting;
            if (q.near) expect(h.distanceKm!).toBeLessThanOrEqual(q.near.radiusKm);
            if (q.weekdays) expect(q.weekdays).toContain(m.weekday);
            if (q.languages) expect(m.languages.some((l) => q.languages!.includes(l))).toBe(true);
            if (q.modes) expect(q.modes).toContain(m.mode);
            if (q.startingWithinMinutes !== undefined) expect(h.startsInMinutes).toBeLessThanOrEqual(q.startingWithinMinutes);
            if (q.onlineNow) expect(m.mode !== 'in-person' && h.inProgress).toBe(true);
          }
          const all = ms.filter((m) => matches(m, q, now));
          expect(out.length).toBe(Math.min(q.limit, all.length));
          if (q.friendlyFirst) {
            const rank = { welcoming: 0, mixed: 1, unknown: 2, restrictive: 3 };
            for (let i = 1; i < out.length; i++) expect(rank[out[i - 1]!.meeting.friendliness]).toBeLessThanOrEqual(rank[out[i]!.meeting.friendliness]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('"in the next two hours" never misses a meeting starting within it, across midnight, the week end and daylight-saving changes', () => {
    fc.assert(
      fc.property(fc.oneof(instant, nearClockChange), zone, fc.integer({ min: 0, max: 119 }), (now, timeZone, ahead) => {
        // the meeting's local start is what the clock shows `ahead` minutes after now, in its own zone
        const wall = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
        const at = new Date(now.getTime() + ahead * 60_000);
        const parts = wall.formatToParts(at);
        const get = (t: string) => parts.find((p) => p.type === t)!.value;
        const m: Searchable = {
          weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday')),
          startTime: `${get('hour')}:${get('minute')}`,
          endTime: null,
          timeZone,
          mode: 'in-person',
          latitude: null,
          longitude: null,
          fellowship: 'na',
          languages: ['en'],
          friendliness: 'unknown',
        };
        // in the hour the clock repeats when it goes back, the meeting starts at the first showing
        const repeated = wall.format(new Date(at.getTime() - 3_600_000)) === wall.format(at);
        const startsIn = repeated ? ahead - 60 : ahead;
        if (startsIn >= 0) {
          expect(search([m], { startingWithinMinutes: 120, limit: 5 }, now)).toHaveLength(1);
          expect(timing(m, now).startsInMinutes).toBe(startsIn);
        } else {
          // it began -startsIn minutes ago (unknown end: it lasts an hour); its next start is a week on
          expect(search([m], { startingWithinMinutes: 120, limit: 5 }, now)).toHaveLength(0);
          expect(timing(m, now).inProgress).toBe(-startsIn < 60);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('Saturday 23:30 to Sunday 00:15 crosses the week end; a meeting ending after midnight is still in progress', () => {
    const now = new Date('2026-03-08T04:30:00Z'); // Saturday 23:30 in New York (EST)
    const sunday = { weekday: 0, startTime: '00:15', endTime: '01:15', timeZone: 'America/New_York' };
    expect(timing(sunday, now).startsInMinutes).toBe(45);
    const late = { weekday: 6, startTime: '23:00', endTime: '00:30', timeZone: 'America/New_York' };
    expect(timing(late, now).inProgress).toBe(true);
  });

  it('the bounding box holds every point within the radius', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -60, max: 60, noNaN: true }),
        fc.double({ min: -170, max: 170, noNaN: true }),
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
        (lat, lon, r, bearing) => {
          const c = { latitude: lat, longitude: lon };
          const b = boundingBox(c, r);
          const d = (r * 0.999) / 6371.0088;
          const lat2 = Math.asin(Math.sin((lat * Math.PI) / 180) * Math.cos(d) + Math.cos((lat * Math.PI) / 180) * Math.sin(d) * Math.cos(bearing));
          const lon2 = (lon * Math.PI) / 180 + Math.atan2(Math.sin(bearing) * Math.sin(d) * Math.cos((lat * Math.PI) / 180), Math.cos(d) - Math.sin((lat * Math.PI) / 180) * Math.sin(lat2));
          const p = { latitude: (lat2 * 180) / Math.PI, longitude: (lon2 * 180) / Math.PI };
          expect(p.latitude).toBeGreaterThanOrEqual(b.minLat - 1e-9);
          expect(p.latitude).toBeLessThanOrEqual(b.maxLat + 1e-9);
          expect(p.longitude).toBeGreaterThanOrEqual(b.minLon - 1e-9);
          expect(p.longitude).toBeLessThanOrEqual(b.maxLon + 1e-9);
        },
      ),
    );
  });
});

describe('across a daylight-saving change', () => {
  it('counts real minutes: at 00:46 on the night New York springs forward, a 03:00 meeting is 74 minutes away', () => {
    const now = new Date('2026-03-08T05:46:00Z'); // Sunday 00:46 EST
    expect(timing({ weekday: 0, startTime: '03:00', endTime: null, timeZone: 'America/New_York' }, now).startsInMinutes).toBe(74);
    // and in the autumn, at 00:30 on the night clocks go back, a 02:00 meeting is 150 minutes away
    const autumn = new Date('2026-11-01T04:30:00Z'); // Sunday 00:30 EDT
    expect(timing({ weekday: 0, startTime: '02:00', endTime: null, timeZone: 'America/New_York' }, autumn).startsInMinutes).toBe(150);
  });

  it('in the hour the clock repeats, a meeting starts at the first showing of its time, and only once', () => {
    const oneAm = { weekday: 0, startTime: '01:00', endTime: '01:45', timeZone: 'America/New_York' };
    const halfPast = { ...oneAm, startTime: '01:30', endTime: '02:30' };
    const firstShowing = new Date('2026-11-01T05:15:00Z'); // Sunday 01:15 EDT
    expect(timing(oneAm, firstShowing)).toEqual({ startsInMinutes: 7 * 1440 + 45, inProgress: true });
    expect(timing(halfPast, firstShowing)).toEqual({ startsInMinutes: 15, inProgress: false });
    const secondShowing = new Date('2026-11-01T06:15:00Z'); // Sunday 01:15 EST, an hour later
    // 01:00 began 75 minutes ago and has ended; 01:30 began 45 minutes ago and is on
    expect(timing(oneAm, secondShowing)).toEqual({ startsInMinutes: 7 * 1440 - 15, inProgress: false });
    expect(timing(halfPast, secondShowing)).toEqual({ startsInMinutes: 7 * 1440 + 15, inProgress: true });
    // the fall-back morning's property counterexample: 01:00 shown again 45 minutes on has already begun
    expect(
      search(
        [{ ...oneAm, endTime: null, mode: 'in-person', latitude: null, longitude: null, fellowship: 'na', languages: ['en'], friendliness: 'unknown' }],
        { startingWithinMinutes: 120, limit: 5 },
        firstShowing,
      ),
    ).toHaveLength(0);
  });

  it('a time the clock skips when it goes forward is read with the offset before the change', () => {
    const skipped = { weekday: 0, startTime: '02:30', endTime: null, timeZone: 'America/New_York' };
    expect(timing(skipped, new Date('2026-03-08T06:50:00Z'))).toEqual({ startsInMinutes: 40, inProgress: false }); // 01:50 EST; starts 03:30 EDT
    expect(timing(skipped, new Date('2026-03-08T07:10:00Z'))).toEqual({ startsInMinutes: 20, inProgress: false }); // 03:10 EDT
  });
});
