// The outbox's delivery job (started by server/serve.ts through server/platform/jobs.ts):
// every minute on the job runner, and every WAYPOINT_OUTBOX_POLL_SECONDS by serve.ts's
// poller calling the same function. Claims skip locked rows, so runs never collide.
import type { Db } from '../../platform/db/database.ts';
import type { JobSpec } from '../../platform/jobs.ts';
import type { Channels } from './channels.ts';
import { deliverDue, purgeExpiredMessageParams } from './outbox.ts';
import { enqueueCheckInReminders, enqueueReminders } from './reminders.ts';
import { purgeVoiceCalls } from './voice.ts';
import { enqueueVisitReminders } from '../encounters/reminders.ts';

export const DELIVERY_JOB = 'messages-deliver';

export function messagesJobs(db: Db, channels: Channels, leaseSeconds: number): JobSpec[] {
  return [
    { name: DELIVERY_JOB, cron: '* * * * *', everySeconds: 60, run: () => deliverDue(db, channels, { leaseSeconds, batch: 500 }) },
    { name: 'messages-reminders', cron: '7 * * * *', everySeconds: 3600, run: (now) => enqueueReminders(db, now) },
    // the day before a booked visit, with its day and time (server/modules/encounters/reminders.ts)
    { name: 'messages-visit-reminders', cron: '27 * * * *', everySeconds: 3600, run: (now) => enqueueVisitReminders(db, now) },
    // the daily check-in reminder at each patient's chosen time: every 5 minutes, once a local day (core/messages/reminder-time.ts)
    { name: 'messages-check-in-reminders', cron: '*/5 * * * *', everySeconds: 300, run: (now) => enqueueCheckInReminders(db, now) },
    // calls not touched for an hour (with unfinished answers), and template values (an invite's code) kept past their time
    { name: 'messages-purge', cron: '17 * * * *', everySeconds: 3600, run: async (now) => ({ calls: await purgeVoiceCalls(db, now), params: await purgeExpiredMessageParams(db, now) }) },
  ];
}

/** Delivers due messages every `pollSeconds` (one run at a time); the minute job catches up if this stops. */
export function startDeliveryPoller(db: Db, channels: Channels, opts: { pollSeconds: number; leaseSeconds: number; onError: (err: unknown) => void }): { stop(): Promise<void> } {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = deliverDue(db, channels, { leaseSeconds: opts.leaseSeconds, batch: 100 })
      .catch(opts.onError)
      .finally(() => (running = null));
  }, opts.pollSeconds * 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
