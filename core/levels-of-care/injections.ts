// Extended-release naltrexone injections (issue 14, ADR 044): one every 28 days (the labelled
// interval: 380 mg intramuscularly every four weeks). Whether the next is due is a matter of
// local dates in the programme's time zone: the next falls 28 days after the last, it is
// "due soon" from a few days before, "due" on that day, and "overdue" from the day after.

import { addDays, localDate } from '../cm/calendar.ts';
import { dayOfTreatment } from './take-homes.ts';

export const INJECTION_INTERVAL_DAYS = 28;
/** How many days before the due date a person shows on the work list as due soon. */
export const DUE_SOON_DAYS = 7;

export const INJECTION_STATUSES = ['not-due', 'due-soon', 'due', 'overdue'] as const;
export type InjectionStatus = (typeof INJECTION_STATUSES)[number];

export type InjectionDue = {
  /** The local date the next injection falls on. */
  dueOn: string;
  status: InjectionStatus;
  /** Days from today to the due date (negative when overdue). */
  daysUntilDue: number;
};

/** The next injection after one given on `lastGivenOn`, seen on the local date `today`. */
export function injectionDue(lastGivenOn: string, today: string, interval = INJECTION_INTERVAL_DAYS, soonDays = DUE_SOON_DAYS): InjectionDue {
  const dueOn = addDays(lastGivenOn, interval);
  const daysUntilDue = dayOfTreatment(today, dueOn) - 1;
  const status: InjectionStatus = daysUntilDue < 0 ? 'overdue' : daysUntilDue === 0 ? 'due' : daysUntilDue <= soonDays ? 'due-soon' : 'not-due';
  return { dueOn, status, daysUntilDue };
}

/** The same, from the instant now in the programme's time zone. */
export function injectionDueAt(lastGivenOn: string, now: Date, tz: string): InjectionDue {
  return injectionDue(lastGivenOn, localDate(now, tz));
}

/** Whether the work list shows it (due soon, due or overdue). */
export const onWorkList = (s: InjectionStatus) => s !== 'not-due';
