import { describe, expect, it } from 'vitest';
import { extendEvents, parseEvents, type EventsDoc } from './events.ts';

const enrolment = { id: 'enr-1', start: '2026-01-05', timeZone: 'America/New_York' };
const first: unknown[] = [
  { id: 's1', at: '2026-01-05T14:00:00Z', kind: 'specimen', results: { cocaine: 'negative', fentanyl: 'positive' } },
  { id: 's2', at: '2026-01-07T14:00:00.5Z', kind: 'specimen', results: { cocaine: 'positive' }, valid: true },
  { id: 'c1', at: '2026-01-09T10:00:00Z', kind: 'correction', supersedes: 's2', results: { cocaine: 'negative' } },
  { id: 'a1', at: '2026-01-09T11:00:00Z', kind: 'adjudication', of: 's1', decision: 'carry-over' },
  { id: 'd1', at: '2026-01-08T09:00:00-05:00', kind: 'dose', taken: true },
  { id: 'm1', at: '2026-01-09T14:00:00Z', kind: 'missed', of: 'specimen' },
];
const parsed = (events: unknown[]): EventsDoc => {
  const r = parseEvents({ enrolment, events });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
};

describe('extendEvents', () => {
  it('equals a full parse of the longer list, without touching the first document', () => {
    const doc = parsed(first);
    const before = JSON.stringify(doc);
    const more = [
      { id: 'next-specimen', at: '2026-01-09T14:00:00Z', kind: 'specimen', results: { cocaine: 'negative', fentanyl: 'negative' }, valid: true },
      { id: 'next-attendance', at: '2026-01-06T13:00:00Z', kind: 'attendance', attended: true },
    ];
    const ext = extendEvents(doc, first.length, { enrolment, events: more });
    expect(ext).toEqual(parsed([...first, ...more]));
    expect(JSON.stringify(doc)).toBe(before);
  });

  it('declines what it cannot decide alone: references, reused ids, invalid events', () => {
    const doc = parsed(first);
    expect(extendEvents(doc, first.length, { enrolment, events: [{ id: 'c2', at: '2026-01-10T10:00:00Z', kind: 'correction', supersedes: 's1', results: {} }] })).toBeNull();
    expect(extendEvents(doc, first.length, { enrolment, events: [{ id: 's1', at: '2026-01-10T10:00:00Z', kind: 'dose', taken: true }] })).toBeNull();
    expect(extendEvents(doc, first.length, { enrolment, events: [{ id: 'x', at: 'nope', kind: 'dose', taken: true }] })).toBeNull();
  });
});
