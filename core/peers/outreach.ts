// Peer outreach after an overdose (issue 15, docs/peers.md, ADR 049): the contact schedule of a
// referral, pure. A referral gets a first contact due within the programme's deadline (default
// 24 h), then follow-ups on days after the first contact (or after the referral); each attempt
// has an outcome that either satisfies the contact, asks for a retry (up to a number of tries,
// after which the contact is missed), or closes the referral. Everything here is a function of
// the referral, its attempts, the settings and `now`: a job that ran late (after downtime)
// computes the same state as one that ran on time.

export const REFERRAL_SOURCES = ['emergency-department', 'hospital', 'outreach', 'self', 'other'] as const;
export type ReferralSource = (typeof REFERRAL_SOURCES)[number];

export const CONTACT_METHODS = ['phone', 'sms', 'in-person'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

export const ATTEMPT_OUTCOMES = ['reached', 'no-answer', 'voicemail', 'wrong-number', 'declined', 'not-safe-to-talk', 'other'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** Why a referral closed (a person closes it by hand, or the schedule ends it). */
export const CLOSE_REASONS = ['declined', 'opted-out', 'completed', 'unreachable', 'deceased', 'moved', 'in-treatment-elsewhere', 'no-consent', 'other'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** The outcomes of a referral that the outcomes report reads (queryable, not free text). */
export const REFERRAL_OUTCOMES = ['moud-started', 'entered-treatment', 'naloxone-received', 'repeat-overdose'] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];

/**
 * What an outcome means for the contact: `done` satisfies it; `retry` counts as a try and asks
 * for another within the retry window; `closes` satisfies it and ends the referral.
 * `not-safe-to-talk` is a retry that does not use up a try (the person answered).
 */
export const OUTCOME_EFFECT: Record<AttemptOutcome, 'done' | 'retry' | 'closes'> = {
  reached: 'done',
  declined: 'closes',
  'no-answer': 'retry',
  voicemail: 'retry',
  'wrong-number': 'retry',
  'not-safe-to-talk': 'retry',
  other: 'retry',
};
const USES_A_TRY: Record<AttemptOutcome, boolean> = {
  reached: true,
  declined: true,
  'no-answer': true,
  voicemail: true,
  'wrong-number': true,
  'not-safe-to-talk': false,
  other: true,
};

export type OutreachSettings = {
  /** Hours from the referral to the first contact's deadline. */
  firstContactHours: number;
  /** Days of the follow-ups, ascending, distinct. */
  followUpDays: number[];
  /** What the follow-up days count from: the first contact made, or the referral. */
  followUpsFrom: 'first-contact' | 'referral';
  /** After a try that did not reach the person: try again within this many hours. */
  retryHours: number;
  /** Tries (that reached no one) before a contact counts as missed. */
  maxTries: number;
};

export const DEFAULT_SETTINGS: OutreachSettings = {
  firstContactHours: 24,
  followUpDays: [1, 3, 7, 14, 30, 60, 90],
  followUpsFrom: 'first-contact',
  retryHours: 4,
  maxTries: 3,
};

export type ReferralFacts = {
  referredAt: Date;
  consent: boolean;
  /** Closed by hand (opted out, moved, ...): the time and reason. */
  closedAt?: Date | null;
  closedReason?: CloseReason | null;
};
export type AttemptFacts = { id: string; at: Date; outcome: AttemptOutcome };

export type ContactState = 'upcoming' | 'due' | 'overdue' | 'done' | 'missed' | 'cancelled';
export type Contact = {
  /** 0: the first contact; 1..n: the follow-ups in order. */
  index: number;
  kind: 'first' | 'follow-up';
  /** Follow-up day (null for the first contact). */
  day: number | null;
  /** When the contact is due (null: a follow-up whose anchor, the first contact, is not made yet). */
  dueAt: Date | null;
  /** After a try that did not reach the person: the time to try again by. */
  retryBy: Date | null;
  /** Since when it is overdue (past its due time and any retry window, unsatisfied). */
  overdueSince: Date | null;
  tries: number;
  state: ContactState;
  /** When it was done or missed. */
  resolvedAt: Date | null;
  attemptIds: string[];
};
export type OutreachState = {
  status: 'open' | 'closed';
  closedAt: Date | null;
  closedReason: CloseReason | null;
  contacts: Contact[];
  /** The contact to work on now (the first one not done, missed or cancelled), if any. */
  current: Contact | null;
  /** Contacts a supervisor must hear about: overdue now, or missed while the referral was open. */
  escalate: Array<{ index: number; reason: 'overdue' | 'missed'; since: Date }>;
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const after = (d: Date, ms: number) => new Date(d.getTime() + ms);
const max = (a: Date, b: Date) => (a.getTime() >= b.getTime() ? a : b);

/** The settings' own problems (field → message), none when valid. */
export function settingsProblems(s: OutreachSettings): Array<{ field: string; message: string }> {
  const p: Array<{ field: string; message: string }> = [];
  if (!Number.isInteger(s.firstContactHours) || s.firstContactHours < 1 || s.firstContactHours > 168) p.push({ field: 'firstContactHours', message: 'must be a whole number of hours from 1 to 168' });
  if (s.followUpDays.length > 20) p.push({ field: 'followUpDays', message: 'at most 20 follow-ups' });
  s.followUpDays.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 1 || d > 365) p.push({ field: `followUpDays.${i}`, message: 'must be a whole day from 1 to 365' });
    else if (i > 0 && d <= s.followUpDays[i - 1]!) p.push({ field: `followUpDays.${i}`, message: 'must be later than the day before it' });
  });
  if (!Number.isInteger(s.retryHours) || s.retryHours < 1 || s.retryHours > 72) p.push({ field: 'retryHours', message: 'must be a whole number of hours from 1 to 72' });
  if (!Number.isInteger(s.maxTries) || s.maxTries < 1 || s.maxTries > 10) p.push({ field: 'maxTries', message: 'must be from 1 to 10' });
  return p;
}

/**
 * The referral's schedule at `now`. Attempts are taken in time order (id breaks ties); each
 * counts toward the earliest contact still open when it happened. A follow-up not made by the
 * time the next one is due counts as missed; the first contact stays open until it is made or
 * its tries run out. Attempts after `now` are ignored (a clock that ran back).
 */
export function outreachState(ref: ReferralFacts, attempts: readonly AttemptFacts[], s: OutreachSettings, now: Date): OutreachState {
  const t = now.getTime();
  const sorted = attempts.filter((a) => a.at.getTime() <= t).sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const manualClose = ref.closedAt && ref.closedAt.getTime() <= t ? { at: ref.closedAt, reason: ref.closedReason ?? 'other' } : null;
  let closed: { at: Date; reason: CloseReason } | null = ref.consent ? null : { at: ref.referredAt, reason: 'no-consent' };

  const contacts: Contact[] = [0, ...s.followUpDays].map((day, index) => ({
    index,
    kind: index === 0 ? 'first' : 'follow-up',
    day: index === 0 ? null : day,
    dueAt: index === 0 ? after(ref.referredAt, s.firstContactHours * HOUR) : s.followUpsFrom === 'referral' ? after(ref.referredAt, day * DAY) : null,
    retryBy: null,
    overdueSince: null,
    tries: 0,
    state: 'upcoming',
    resolvedAt: null,
    attemptIds: [],
  }));
  /** Anchors the follow-ups on the first contact's time (when they count from it). */
  const anchor = (at: Date) => {
    if (s.followUpsFrom !== 'first-contact') return;
    for (const c of contacts) if (c.index > 0 && c.dueAt === null) c.dueAt = after(at, c.day! * DAY);
  };
  let cur = 0;
  /** Follow-ups whose successor fell due before `at` are missed; the open one moves on. */
  const supersede = (at: Date) => {
    while (cur > 0 && cur < contacts.length - 1) {
      const next = contacts[cur + 1]!;
      if (!next.dueAt || next.dueAt.getTime() > at.getTime()) return;
      const c = contacts[cur]!;
      c.state = 'missed';
      c.resolvedAt = next.dueAt;
      cur++;
    }
  };
  /** The moment a contact became overdue, given its tries so far; null if not yet by `at`. */
  const overdueAt = (c: Contact, at: Date): Date | null => {
    if (!c.dueAt) return null;
    const since = c.retryBy ? max(c.dueAt, c.retryBy) : c.dueAt;
    return since.getTime() < at.getTime() ? since : null;
  };

  for (const a of sorted) {
    if (closed || (manualClose && a.at.getTime() >= manualClose.at.getTime())) break;
    supersede(a.at);
    const c = contacts[cur];
    if (!c) break;
    c.overdueSince ??= overdueAt(c, a.at);
    c.attemptIds.push(a.id);
    if (USES_A_TRY[a.outcome]) c.tries++;
    const effect = OUTCOME_EFFECT[a.outcome];
    if (effect === 'done' || effect === 'closes') {
      c.state = 'done';
      c.resolvedAt = a.at;
      c.retryBy = null;
      if (c.index === 0) anchor(a.at);
      cur++;
      if (effect === 'closes') closed = { at: a.at, reason: 'declined' };
    } else if (c.tries >= s.maxTries) {
      c.state = 'missed';
      c.resolvedAt = a.at;
      c.retryBy = null;
      // an unreachable first contact: the follow-ups count from the referral
      if (c.index === 0) anchor(ref.referredAt);
      cur++;
    } else {
      c.retryBy = after(a.at, s.retryHours * HOUR);
    }
  }
  if (!closed && manualClose) closed = manualClose;
  if (!closed) supersede(now);
  if (!closed && cur >= contacts.length) {
    const last = contacts[contacts.length - 1]!;
    closed = { at: last.resolvedAt!, reason: contacts.some((c) => c.state === 'done') ? 'completed' : 'unreachable' };
  }

  const escalate: OutreachState['escalate'] = [];
  for (const c of contacts) {
    if (c.state === 'done' || c.state === 'missed') {
      if (c.state === 'missed' && !closed) escalate.push({ index: c.index, reason: 'missed', since: c.overdueSince ?? c.resolvedAt! });
      continue;
    }
    if (closed) {
      c.state = 'cancelled';
      continue;
    }
    if (c.index !== cur) continue;
    const od = overdueAt(c, now);
    c.overdueSince = od;
    c.state = od ? 'overdue' : 'due';
    if (od) escalate.push({ index: c.index, reason: 'overdue', since: od });
  }
  return {
    status: closed ? 'closed' : 'open',
    closedAt: closed?.at ?? null,
    closedReason: closed?.reason ?? null,
    contacts,
    current: closed ? null : (contacts[cur] ?? null),
    escalate,
  };
}
