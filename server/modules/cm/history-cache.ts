// What a recording last read or wrote of a patient's CM history, kept per database handle
// (ADR 059): the active enrolment's events in replay order, the patient's ledger and the
// prizes shown, with the enrolment and history version it was read at. A recording's one
// read (readForRecording) sends those and the copy's row counts; when they still match,
// the read leaves the history out and this copy is used. Events and ledger
// entries are append-only (migration 0003), so an equal count means the same rows; every
// other change (a redemption, a void, a draw shown, a correction) bumps the history version
// (lockPatientEnrolments). A copy is never trusted for a write: the write is guarded by the
// history version as read (ADR 018), so a stale copy costs a retry under the locks, never money.
import type { Db } from '../../platform/db/database.ts';
import type { History } from './settle.ts';

/** A history and what it was read at: the active enrolment and its history version (its events and the patient's ledger entries are counted by the history's own arrays). */
export type CachedHistory = { enrolmentId: string; version: number; history: History };

/** Patients kept per database handle (a clinic's CM caseload; the least recently used goes first). */
const LIMIT = 2000;
const caches = new WeakMap<Db, Map<string, CachedHistory>>();
const key = (programId: string, patientId: string) => `${programId}/${patientId}`;

export function cachedHistory(db: Db, programId: string, patientId: string): CachedHistory | undefined {
  const cache = caches.get(db);
  const k = key(programId, patientId);
  const hit = cache?.get(k);
  if (hit) {
    cache!.delete(k);
    cache!.set(k, hit);
  }
  return hit;
}

export function rememberHistory(db: Db, programId: string, patientId: string, cached: CachedHistory): void {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const k = key(programId, patientId);
  cache.delete(k);
  cache.set(k, cached);
  if (cache.size > LIMIT) cache.delete(cache.keys().next().value!);
}
