import { describe, expect, it } from 'vitest';
import { offlineTimeProblem } from './offline-time.ts';

describe('offlineTimeProblem', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  const at = (ms: number) => new Date(now.getTime() + ms);
  it('takes a time up to five minutes ahead and up to seven days back, and names the rest', () => {
    expect(offlineTimeProblem(at(5 * 60_000), now)).toBeNull();
    expect(offlineTimeProblem(at(5 * 60_000 + 1), now)).toBe('is in the future');
    expect(offlineTimeProblem(at(-7 * 86_400_000), now)).toBeNull();
    expect(offlineTimeProblem(at(-7 * 86_400_000 - 1), now)).toBe('is more than 7 days ago');
  });
});
