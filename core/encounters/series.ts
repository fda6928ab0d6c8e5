// A recurring group's visits: one a week, on the first date's weekday, at the same local
// time in the programme's time zone (so a group at 18:00 stays at 18:00 across a clock
// change), for the series' number of weeks.
import { addDays, zonedInstant } from '../cm/calendar.ts';

export type SeriesShape = { firstDate: string; weeks: number; startTime: string; durationMinutes: number };
export type Occurrence = { date: string; startsAt: Date; endsAt: Date };

export function seriesOccurrences(s: SeriesShape, tz: string): Occurrence[] {
  const out: Occurrence[] = [];
  for (let w = 0; w < s.weeks; w++) {
    const date = addDays(s.firstDate, 7 * w);
    const startsAt = zonedInstant(date, s.startTime, tz);
    out.push({ date, startsAt, endsAt: new Date(startsAt.getTime() + s.durationMinutes * 60_000) });
  }
  return out;
}
