// What a recording last read or wrote of a patient, kept per database handle (ADRs 059,
// 060): the programme's time zone and active draw seed, the patient's medications, the
// active enrolment at its history version, its events in replay order, the patient's
// ledger and the prizes shown. The next recording of the patient decides from this copy
// without reading, and its write is kept only if the copy still holds as the statement
// sees it (recordingStillHolds): the same history version, as many events and ledger
// entries (both append-only, migration 0003), the same time zone, seed and medications.
// Every other change to the history (a redemption, a void, a draw shown, a correction)
// bumps the history version (lockPatientEnrolments). So a stale copy costs a retry under
// the locks, never money; a copy whose write failed is forgotten.
import type { Db } from '../../platform/db/database.ts';
import type { EnrolmentRow, History, MedicationRow, SeedRow } from './settle.ts';

/** What a recording decides from: read in one statement (readForRecording), or kept from the last recording of the patient. */
export type KeptRecording = {
  tz: string;
  seed: SeedRow | null;
  medications: MedicationRow[];
  /** The medications as the database's JSON text: what the write compares them by. */
  medicationsText: string;
  enrolment: EnrolmentRow;
  history: History;
};

/** Patients kept per database handle (a clinic's CM caseload; the least recently used goes first). */
const LIMIT = 2000;
const caches = new WeakMap<Db, Map<string, KeptRecording>>();
const key = (programId: string, patientId: string) => `${programId}/${patientId}`;

export function keptRecording(db: Db, programId: string, patientId: string): KeptRecording | undefined {
  const cache = caches.get(db);
  const k = key(programId, patientId);
  const hit = cache?.get(k);
  if (hit) {
    cache!.delete(k);
    cache!.set(k, hit);
  }
  return hit;
}

export function keepRecording(db: Db, programId: string, patientId: string, kept: KeptRecording): void {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const k = key(programId, patientId);
  // recordings of the patient that start together all decide from this one copy: code that
  // changed its enrolment in place would skew the others' event positions or state, so it
  // fails instead. (Not the event and ledger arrays: V8's filter and some run several times
  // slower on a frozen array, and every recording iterates them; nothing changes them.)
  Object.freeze(kept.enrolment);
  cache.delete(k);
  cache.set(k, kept);
  if (cache.size > LIMIT) cache.delete(cache.keys().next().value!);
}

export function forgetRecording(db: Db, programId: string, patientId: string): void {
  caches.get(db)?.delete(key(programId, patientId));
}
