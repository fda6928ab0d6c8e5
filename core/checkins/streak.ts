// The check-in streak a family member's card and the record summary show: pure, programme-local dates.
import { addDays } from '../cm/calendar.ts';

/**
 * Days in a row with a check-in, ending today or — when there is none yet today — yesterday
 * (programme-local dates), and the last day with one. `days`: the local dates of the patient's
 * check-ins, in any order, repeats allowed; dates after `today` are ignored.
 */
export function checkInStreak(days: readonly string[], today: string): { days: number; lastCheckInOn: string | null } {
  const have = new Set(days.filter((d) => d <= today));
  const last = [...have].sort().at(-1) ?? null;
  let day = have.has(today) ? today : addDays(today, -1);
  let n = 0;
  while (have.has(day)) {
    n += 1;
    day = addDays(day, -1);
  }
  return { days: n, lastCheckInOn: last };
}
