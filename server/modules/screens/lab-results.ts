// A laboratory result (an ORU^R01 message read by hl7v2.ts) applied to the patient's record
// through the screen use cases (screens.ts), which keep every rule about screens, their
// corrections and what CM pays for them:
//   - the first result for an accession, when the patient has a point-of-care screen
//     (method 'presumptive') on the same programme-local day, becomes that screen's
//     correction (laboratory confirmation);
//   - otherwise it is a new laboratory screen (method 'confirmatory', not observed);
//   - a corrected result (OBX-11 = C) for an accession already recorded corrects it again.
// The accession (OBR-3) is the externalId of the screen or correction, so the same result
// sent twice is recorded once; a corrected message's correction carries "<accession>#<MSH-10>".
import { and, asc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import { localDate } from '../../../core/cm/calendar.ts';
import type { Tx } from '../../platform/db/database.ts';
import { programOf, type Ctx } from '../../platform/http/context.ts';
import { programTimeZone } from '../cm/settle.ts';
import { patients } from '../patients/patients.tables.ts';
import { Hl7Refusal, type OruR01, type Recorded } from './hl7v2.ts';
import { correctionsOf, correctScreen, inEffect, recordScreen, type ScreenRow } from './screens.ts';
import { screenCorrections, screens } from './screens.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };

export type LabRecorded = Recorded & {
  /** The screen or correction written, or the one found when the message was already recorded. */
  recordId: string;
  /** The screen the result is about: the new laboratory screen, or the screen it corrects. */
  screenId: string;
};

/** Results as "analyte:result" in a fixed order, to tell a repeat from a change. */
const resultsKey = (results: ReadonlyArray<{ analyte: string; result: string }>) =>
  results
    .map((r) => `${r.analyte}:${r.result}`)
    .sort()
    .join(',');

const refuse = (segment: string, field: number, code: 204 | 205, message: string, appCode: string) =>
  new Hl7Refusal('AE', [{ location: { segment, sequence: 1, field, component: 1 }, code, message, appCode }]);

const RESENT_DIFFERENT = 'A result with different values is already recorded for this accession (OBR-3). Send changes as a corrected result (OBX-11 = C).';

/** The patient's screen this accession is about (its own laboratory screen, or the screen a correction with it corrected). */
async function screenOfAccession(tx: Tx, programId: string, patientId: string, accession: string): Promise<ScreenRow | null> {
  const [own] = await tx
    .select()
    .from(screens)
    .where(and(eq(screens.programId, programId), eq(screens.externalId, accession)));
  if (own) {
    if (own.patientId !== patientId) throw refuse('OBR', 3, 205, 'A specimen with this accession (OBR-3) is already recorded for another patient. Nothing was recorded.', 'specimen_exists');
    return own;
  }
  const patientScreens = tx
    .select({ id: screens.id })
    .from(screens)
    .where(and(eq(screens.programId, programId), eq(screens.patientId, patientId)));
  const [corrected] = await tx
    .select({ screenId: screenCorrections.screenId })
    .from(screenCorrections)
    .where(
      and(
        eq(screenCorrections.programId, programId),
        inArray(screenCorrections.screenId, patientScreens),
        or(eq(screenCorrections.externalId, accession), sql`starts_with(${screenCorrections.externalId}, ${`${accession}#`})`),
      ),
    )
    .limit(1);
  if (!corrected) return null;
  const [screen] = await tx
    .select()
    .from(screens)
    .where(and(eq(screens.programId, programId), eq(screens.id, corrected.screenId)));
  return screen ?? null;
}

/** The patient's point-of-care screen of that programme-local day nearest in time to the collection, if any. */
async function sameDayCup(tx: Tx, programId: string, patientId: string, collectedAt: Date): Promise<ScreenRow | null> {
  const day = localDate(collectedAt, await programTimeZone(tx, programId));
  const cups = await tx
    .select()
    .from(screens)
    .where(and(eq(screens.programId, programId), eq(screens.patientId, patientId), eq(screens.collectedOn, day), eq(screens.method, 'presumptive')))
    .orderBy(asc(screens.collectedAt), asc(screens.id));
  const distance = (s: ScreenRow) => Math.abs(s.collectedAt.getTime() - collectedAt.getTime());
  return cups.reduce<ScreenRow | null>((best, s) => (best === null || distance(s) < distance(best) ? s : best), null);
}

export async function recordLabResult(deps: Deps, msg: OruR01): Promise<LabRecorded> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [patient] = await tx
    .select({ id: patients.id })
    .from(patients)
    .where(and(eq(patients.programId, programId), sql`lower(${patients.mrn}) = ${msg.mrn.toLowerCase()}`));
  if (!patient) throw refuse('PID', 3, 204, 'No patient in this programme has the MRN given in PID-3.', 'unknown_patient');

  const results = msg.results.map((r) => ({ analyte: r.analyte, loinc: r.loinc, result: r.result, valueNgMl: r.valueNgMl }));
  const laboratory = msg.laboratory ?? undefined;
  const key = msg.status === 'final' ? msg.accession : `${msg.accession}#${msg.controlId}`;
  const ofAccession = (id: string | null) => id === msg.accession || (id?.startsWith(`${msg.accession}#`) ?? false);

  const screen = await screenOfAccession(tx, programId, patient.id, msg.accession);
  if (screen) {
    const corrections = (await correctionsOf(tx, programId, [screen.id])).get(screen.id) ?? [];
    const kind: Recorded['kind'] = screen.method === 'presumptive' ? 'cup-correction' : 'lab-correction';
    const records = [
      ...(screen.externalId === msg.accession ? [{ id: screen.id, externalId: screen.externalId, results: screen.results, kind: 'specimen' as const }] : []),
      ...corrections.filter((c) => ofAccession(c.externalId)).map((c) => ({ id: c.id, externalId: c.externalId, results: c.results, kind })),
    ];
    const exact = records.find((r) => r.externalId === key);
    if (exact) {
      if (resultsKey(exact.results) === resultsKey(results)) return { kind: exact.kind, duplicate: true, recordId: exact.id, screenId: screen.id };
      throw msg.status === 'final'
        ? refuse('OBR', 3, 205, RESENT_DIFFERENT, 'specimen_exists')
        : refuse('MSH', 10, 205, 'A corrected result with different values was already recorded under this message control id (MSH-10).', 'specimen_exists');
    }
    // nothing this message says differs from the result in effect: a resend under a new control id
    const effect = new Map(inEffect(screen, corrections).results.map((r) => [r.analyte, r.result]));
    const last = records.at(-1);
    if (results.every((r) => effect.get(r.analyte) === r.result)) return { kind: last?.kind ?? kind, duplicate: true, recordId: last?.id ?? screen.id, screenId: screen.id };
    if (msg.status === 'final') throw refuse('OBR', 3, 205, RESENT_DIFFERENT, 'specimen_exists');
    const r = await correctScreen(deps, screen.id, { results, method: 'confirmatory', laboratory, reason: 'laboratory corrected result', externalId: key }, 'integration');
    return { kind: 'lab-correction', duplicate: r.duplicate, recordId: r.specimen.id, screenId: screen.id };
  }

  // the first result for this accession: the day's point-of-care screen, if there is one, is confirmed
  const cup = await sameDayCup(tx, programId, patient.id, new Date(msg.collectedAt));
  if (cup) {
    const [confirmed] = await tx
      .select({ id: screenCorrections.id })
      .from(screenCorrections)
      .where(and(eq(screenCorrections.programId, programId), eq(screenCorrections.screenId, cup.id), isNotNull(screenCorrections.externalId)))
      .limit(1);
    if (confirmed)
      throw refuse(
        'OBR',
        3,
        205,
        'The point-of-care screen of that day already has a laboratory result from another accession. Send changes as a corrected result (OBX-11 = C) of that accession.',
        'specimen_exists',
      );
    const r = await correctScreen(deps, cup.id, { results, method: 'confirmatory', laboratory, reason: 'laboratory confirmation', externalId: key }, 'integration');
    return { kind: 'cup-correction', duplicate: r.duplicate, recordId: r.specimen.id, screenId: cup.id };
  }
  const r = await recordScreen(deps, { patientId: patient.id, collectedAt: msg.collectedAt, observed: false, method: 'confirmatory', laboratory, results, externalId: msg.accession }, 'integration');
  return { kind: 'specimen', duplicate: r.duplicate, recordId: r.specimen.id, screenId: r.specimen.id };
}
