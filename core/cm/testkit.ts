// Builders shared by the CM tests (not part of the public API).
import { parseEvents } from './events.ts';
import { parseProtocol, type Protocol } from './protocol.ts';
import { replay, replayRows, type ReplayOptions, type ReplayOutput } from './replay.ts';

export const BOWL = {
  slips: [
    { tier: 'none', label: 'Good job!', count: 250, valueCents: 0 },
    { tier: 'small', count: 209, valueCents: 100 },
    { tier: 'large', count: 40, valueCents: 2000 },
    { tier: 'jumbo', count: 1, valueCents: 10000 },
  ],
};

export function protocol(tracks: unknown[], extra: Record<string, unknown> = {}): Protocol {
  const r = parseProtocol({ id: 'p', version: 1, name: 'Test', citation: 'test', tracks, ...extra });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.protocol;
}

export function cents(id: string, analytes: string[], escalation: Record<string, unknown> = { start: 250, step: 125 }, more: Record<string, unknown> = {}): unknown {
  return { id, target: { kind: 'negative', analytes }, payout: 'cents', phases: [{ fromWeek: 1, toWeek: 52, escalation }], ...more };
}

export function events(list: Record<string, unknown>[], enrolment: Record<string, unknown> = {}) {
  const r = parseEvents({ enrolment: { id: 'e1', start: '2026-01-05', ...enrolment }, events: list });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}

let counter = 0;
export function spec(at: string, results: Record<string, string>, more: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: `s${++counter}`, at, kind: 'specimen', results, ...more };
}

export function run(p: Protocol, list: Record<string, unknown>[], enrolment: Record<string, unknown> = {}, options: ReplayOptions = {}): ReplayOutput {
  return replay(p, events(list, enrolment), options);
}

export function detail(p: Protocol, list: Record<string, unknown>[], enrolment: Record<string, unknown> = {}) {
  return replayRows(p, events(list, enrolment));
}

/** Day n (0-based) after 2026-01-05 at 09:00Z, plus optional hours. */
export function day(n: number, hours = 0): string {
  return new Date(Date.UTC(2026, 0, 5 + n, 9 + hours)).toISOString().replace('.000Z', 'Z');
}
