// Live updates for the patient app (issue 12; ADR 040): when the clinic records a cup or
// the ledger moves, the patient's open app hears "look again" within a moment and reads
// Today as always. The database says when (a trigger NOTIFYs at commit with the programme
// and patient ids); this process keeps one LISTEN and the open streams. The stream carries
// no data at all, so nothing about the patient travels outside the usual audited reads.
import { listen, type Db, type Unlisten } from '../../platform/db/database.ts';
import type { PatientPrincipal } from '../../platform/http/context.ts';
import { patientSessionGoesOn } from './sessions.ts';

export const PATIENT_EVENTS_CHANNEL = 'waypoint_patient_events';

type Listener = () => void;

/** One LISTEN per database handle, shared by every open stream of this process. */
class PatientEvents {
  private readonly listeners = new Map<string, Set<Listener>>();
  private started: Promise<Unlisten> | null = null;

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
    return () => {
      set.delete(fn);
      if (set.size === 0) this.listeners.delete(key);
    };
  }
}

const hubs = new WeakMap<Db, PatientEvents>();
const hubOf = (db: Db) => {
  let hub = hubs.get(db);
  if (!hub) hubs.set(db, (hub = new PatientEvents(db)));
  return hub;
};

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
