// Live updates for the patient app (issue 12; ADR 040): when the clinic records a cup or
// the ledger moves, the patient's open app hears "look again" within a moment and reads
// Today as always. The database says when (a trigger NOTIFYs at commit with the programme
// and patient ids); this process keeps one LISTEN and the open streams. The stream carries
// no data at all, so nothing about the patient travels outside the usual audited reads.
// The trigger notifies only patients some process has listed as listened to (ADR 063): this
// process lists a patient while one of their streams is open here.
import { and, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { listen, type Db, type Unlisten } from '../../platform/db/database.ts';
import type { PatientPrincipal } from '../../platform/http/context.ts';
import { patientSessionGoesOn } from './sessions.ts';
import { patientEventListeners } from './patient-app.tables.ts';

export const PATIENT_EVENTS_CHANNEL = 'waypoint_patient_events';

type Listener = () => void;

/** How often a process refreshes its rows in patient_event_listeners (rows of processes gone go by a job, jobs.ts). */
const REFRESH_MS = 60_000;

/** One LISTEN per database handle, shared by every open stream of this process. */
class PatientEvents {
  private readonly listeners = new Map<string, Set<Listener>>();
  private started: Promise<Unlisten> | null = null;
  /** This process's rows in patient_event_listeners. */
  private readonly hubId = randomUUID();
  /** Writes to patient_event_listeners, one after another (a stream closing never removes the row a stream opening just wrote). */
  private writes: Promise<unknown> = Promise.resolve();
  private refresh: NodeJS.Timeout | null = null;

  constructor(private readonly db: Db) {}

  async subscribe(programId: string, patientId: string, fn: Listener): Promise<() => void> {
    this.started ??= listen(this.db, PATIENT_EVENTS_CHANNEL, (payload) => {
      for (const l of this.listeners.get(payload) ?? []) l();
    }).catch((err: unknown) => {
      this.started = null;
      throw err;
    });
    await this.started;
    const key = `${programId}:${patientId}`;
    const set = this.listeners.get(key) ?? new Set();
    set.add(fn);
    this.listeners.set(key, set);
    const unsubscribe = () => {
      set.delete(fn);
      if (set.size > 0) return;
      this.listeners.delete(key);
      // a stream of this patient opened meanwhile keeps the row
      void this.write(() => (this.listeners.has(key) ? null : this.unlist(programId, patientId))).catch(() => undefined);
      if (this.listeners.size === 0 && this.refresh) {
        clearInterval(this.refresh);
        this.refresh = null;
      }
    };
    try {
      // listed before the stream answers: the app reads once it opens, and every commit after that sees the row
      await this.write(() => this.list([{ programId, patientId }]));
    } catch (err) {
      unsubscribe();
      throw err;
    }
    if (this.listeners.size > 0 && !this.refresh) {
      this.refresh = setInterval(() => void this.refreshRows().catch(() => undefined), REFRESH_MS);
      this.refresh.unref();
    }
    return unsubscribe;
  }

  private write<T>(op: () => Promise<T> | null): Promise<T | null> {
    const next = this.writes.then(op, op);
    this.writes = next.catch(() => undefined);
    return next;
  }

  private list(rows: Array<{ programId: string; patientId: string }>) {
    return this.db
      .insert(patientEventListeners)
      .values(rows.map((r) => ({ ...r, hubId: this.hubId })))
      .onConflictDoUpdate({ target: [patientEventListeners.programId, patientEventListeners.patientId, patientEventListeners.hubId], set: { seenAt: sql`now()` } });
  }

  private unlist(programId: string, patientId: string) {
    return this.db
      .delete(patientEventListeners)
      .where(and(eq(patientEventListeners.programId, programId), eq(patientEventListeners.patientId, patientId), eq(patientEventListeners.hubId, this.hubId)));
  }

  /** Stops listening: this process's rows go at once (a process that stops without this leaves them to pruneGoneListeners). */
  async close(): Promise<void> {
    this.listeners.clear();
    if (this.refresh) clearInterval(this.refresh);
    this.refresh = null;
    try {
      await this.write(() => this.db.delete(patientEventListeners).where(eq(patientEventListeners.hubId, this.hubId)));
    } finally {
      const unlisten = await this.started?.catch(() => null);
      await unlisten?.();
    }
  }

  /** Lists this process's patients again, seen now by the database's clock (not the app's). */
  private refreshRows() {
    // read in turn with the other writes, so a patient unlisted meanwhile is not listed again
    return this.write(() => {
      const rows = [...this.listeners.keys()].map((k) => {
        const [programId, patientId] = k.split(':') as [string, string];
        return { programId, patientId };
      });
      return rows.length > 0 ? this.list(rows) : null;
    });
  }
}

const hubs = new WeakMap<Db, PatientEvents>();
const hubOf = (db: Db) => {
  let hub = hubs.get(db);
  if (!hub) hubs.set(db, (hub = new PatientEvents(db)));
  return hub;
};

/** When the server stops (the app's onClose): this process's listed patients are removed and its LISTEN connection closed. Never throws. */
export async function closePatientEvents(db: Db): Promise<void> {
  const hub = hubs.get(db);
  hubs.delete(db);
  await hub?.close().catch(() => undefined);
}

/**
 * The patient's event source: "changed" whenever their CM record moves; valid while the
 * session goes on (lock, sign-out, revocation and the idle lock end it).
 */
export function patientEvents(db: Db, me: PatientPrincipal, clock: () => Date) {
  return {
    subscribe: (onEvent: () => void) => hubOf(db).subscribe(me.programId, me.patientId, onEvent),
    stillValid: () => patientSessionGoesOn(db, me, clock()),
  };
}
