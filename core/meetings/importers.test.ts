import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { parseMeetingGuide, toMeetingGuide } from './meeting-guide.ts';
import { parseBmlt } from './bmlt.ts';
import { contentHash, diffMeetings } from './diff.ts';
import { languagesOfTypes, MEETING_TYPES, typeLabel } from './types.ts';

const fixture = (f: string) => JSON.parse(readFileSync(`/work/shared/fixtures/meetings/${f}`, 'utf8')) as unknown;
const opts = { defaultTimeZone: 'America/Chicago' };

describe('Meeting Guide types', () => {
  it('has English and Spanish labels and language codes', () => {
    expect(Object.keys(MEETING_TYPES).length).toBe(87);
    expect(typeLabel('S', 'es')).toBe('Español');
    expect(languagesOfTypes(['O', 'S'])).toEqual(['es']);
    expect(languagesOfTypes(['O'])).toEqual(['en']);
  });
});

describe('parseMeetingGuide', () => {
  it('reads the code4recovery fixture, legacy ONL and "Online" address as online', () => {
    const r = parseMeetingGuide(fixture('meeting-guide-feed-c4r-pdf-fixture.json'), opts);
    expect(r.rejected).toEqual([]);
    expect(r.meetings.length).toBeGreaterThanOrEqual(25);
    const onl = r.meetings.find((m) => m.key === 'online-mondays')!;
    expect(onl.mode).toBe('online');
    expect(onl.address).toBeNull();
    expect(onl.types).not.toContain('ONL');
    expect(r.meetings.find((m) => m.key === 'beginners-sun')!.address).toBe('303 Bourbon St, New Orleans, LA');
    expect(r.meetings.every((m) => m.timeZone === 'America/Chicago' && m.fellowship === 'aa')).toBe(true);
  });

  it('splits a day array into slug#weekday, keeps after-midnight ends, infers hybrid and languages', () => {
    const r = parseMeetingGuide(
      [
        {
          slug: 'late',
          name: 'Late Night',
          day: [5, 6],
          time: '23:30',
          end_time: '00:30',
          types: ['O', 'S'],
          address: '1 Main St',
          conference_url: 'https://zoom.us/j/1',
          timezone: 'America/New_York',
        },
        { slug: 'one', name: 'One', day: 2, time: '9:00', conference_phone: '+15555550100' },
      ],
      opts,
    );
    expect(r.rejected).toEqual([]);
    expect(r.meetings.map((m) => m.key)).toEqual(['late#5', 'late#6', 'one']);
    expect(r.meetings[0]).toMatchObject({ startTime: '23:30', endTime: '00:30', mode: 'hybrid', languages: ['es'], timeZone: 'America/New_York' });
    expect(r.meetings[2]).toMatchObject({ startTime: '09:00', mode: 'online' });
  });

  it('rejects bad records with their index and problems, never throws', () => {
    const r = parseMeetingGuide([{ slug: 'ok', name: 'Ok', day: 1, time: '10:00' }, { name: '', day: 9, time: '25:00', timezone: 'Mars/Base' }, 'x', null], opts);
    expect(r.meetings).toHaveLength(1);
    expect(r.rejected.map((x) => x.index)).toEqual([1, 2, 3]);
    expect(r.rejected[0]!.problems).toEqual(expect.arrayContaining(['slug: required', 'name: required', 'time: must be HH:MM', 'timezone: not a known IANA time zone']));
    expect(parseMeetingGuide({ not: 'a list' }, opts).rejected[0]!.index).toBe(-1);
  });

  it('reads the same record twice once, and refuses a conflicting duplicate naming the first', () => {
    const a = { slug: 'a', name: 'A', day: 1, time: '10:00' };
    const r = parseMeetingGuide([a, { ...a }, { ...a, name: 'B' }], opts);
    expect(r.meetings).toHaveLength(1);
    expect(r.rejected).toEqual([{ index: 2, problems: ['slug: "a" is already used by record 0 with different content'] }]);
  });

  it('import → export → import is a fixed point (property)', () => {
    const rec = fc.record({
      slug: fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/),
      name: fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,20}[A-Za-z]$/),
      day: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 3 })),
      time: fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
      types: fc.subarray(['O', 'C', 'S', 'EN', 'ONL', 'D', 'W']),
      address: fc.option(fc.constantFrom('1 Main St', 'Online', '2 Oak Ave, Town, ST'), { nil: undefined }),
      conference_url: fc.option(fc.constant('https://meet.example/x'), { nil: undefined }),
      latitude: fc.option(fc.double({ min: -89, max: 89, noNaN: true }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(rec, { maxLength: 8 }), (feed) => {
        const first = parseMeetingGuide(feed, opts).meetings;
        const again = parseMeetingGuide(toMeetingGuide(first), opts);
        expect(again.rejected).toEqual([]);
        expect(again.meetings).toEqual(first);
      }),
    );
  });
});

describe('parseBmlt', () => {
  const formats = fixture('bmlt-GetFormats-yap.json');
  const base = {
    id_bigint: '12',
    meeting_name: 'Hope',
    weekday_tinyint: '1',
    start_time: '23:30:00',
    duration_time: '01:00:00',
    time_zone: '',
    venue_type: '1',
    format_shared_id_list: '17,1,9',
    formats: 'O,B',
    location_text: 'Church',
    location_street: '5 Elm St',
    location_municipality: 'Town',
    location_province: 'TX',
    location_postal_code_1: '75001',
    latitude: '32.1',
    longitude: '-96.5',
  };

  it('maps formats by world_id, Sunday 1 → 0, end after midnight, empty time zone → default', () => {
    const r = parseBmlt([base], { ...opts, formats });
    expect(r.rejected).toEqual([]);
    expect(r.meetings[0]).toMatchObject({
      key: '12',
      fellowship: 'na',
      weekday: 0,
      startTime: '23:30',
      endTime: '00:30',
      timeZone: 'America/Chicago',
      mode: 'in-person',
      types: ['BE', 'O', 'S'],
      languages: ['es'],
      address: '5 Elm St, Town, TX',
      postalCode: '75001',
      latitude: 32.1,
    });
  });

  it('reads { meetings, formats }, virtual and hybrid venues, "0" coordinates', () => {
    const r = parseBmlt(
      {
        meetings: [
          { ...base, id_bigint: '1', venue_type: '2', virtual_meeting_link: 'https://zoom.us/j/2', latitude: '0', longitude: '0' },
          { ...base, id_bigint: '2', venue_type: '3', phone_meeting_number: '+15555550100', latitude: '', longitude: '' },
        ],
        formats,
      },
      opts,
    );
    expect(r.meetings.map((m) => [m.mode, m.latitude])).toEqual([
      ['online', null],
      ['hybrid', null],
    ]);
  });

  it('rejects bad records', () => {
    const r = parseBmlt([{ ...base, weekday_tinyint: '0', start_time: 'noon', venue_type: '9' }], opts);
    expect(r.rejected[0]!.problems).toHaveLength(3);
  });
});

describe('diffMeetings', () => {
  const ms = parseMeetingGuide(
    [
      { slug: 'a', name: 'A', day: 1, time: '10:00' },
      { slug: 'b', name: 'B', day: 2, time: '10:00' },
    ],
    opts,
  ).meetings;
  it('adds, leaves unchanged, updates, inactivates and reactivates', () => {
    const existing = new Map([
      ['a', { hash: contentHash(ms[0]!), active: true }],
      ['b', { hash: contentHash(ms[1]!), active: false }],
      ['c', { hash: 'x', active: true }],
      ['d', { hash: 'x', active: false }],
    ]);
    const d = diffMeetings(existing, ms);
    expect(d).toEqual({ added: [], updated: [ms[1]], unchanged: ['a'], inactivated: ['c'] });
    expect(diffMeetings(new Map(), ms).added).toHaveLength(2);
  });
  it('hashes content, not key order', () => {
    const m = ms[0]!;
    const shuffled = Object.fromEntries(Object.entries(m).reverse()) as typeof m;
    expect(contentHash(shuffled)).toBe(contentHash(m));
    expect(contentHash({ ...m, name: 'Z' })).not.toBe(contentHash(m));
  });
});
