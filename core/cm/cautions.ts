// Clinical cautions about a protocol's design, shown to whoever builds or enrols
// on it. Pure: takes a protocol, returns data.
import type { Protocol } from './protocol.ts';

export type CautionCode = 'opioid-abstinence-cm-overdose-risk';

export interface Caution {
  code: CautionCode;
  severity: 'warning';
  /** Plain-language explanation for staff. */
  message: string;
  /** Ids of the tracks that raise the caution. */
  tracks: string[];
}

/** Opioid analytes: illicit or non-prescribed opioids, and the opioid medications themselves. */
export const OPIOID_ANALYTES: ReadonlySet<string> = new Set(['opiates', 'fentanyl', 'oxycodone', 'methadone', 'buprenorphine']);

export const OPIOID_ABSTINENCE_MESSAGE =
  'This protocol rewards negative opioid tests without any medication, attendance or adherence goal. ' +
  'When someone stops using opioids, their tolerance drops within days, and a return to use can then cause an overdose. ' +
  'Rewarding opioid abstinence alone, without medication for opioid use disorder (methadone, buprenorphine or naltrexone), can raise overdose risk. ' +
  'Offer medication and naloxone, and consider rewarding stimulant abstinence, attendance or medication adherence instead of, or as well as, opioid-negative tests.';

/**
 * Cautions for a protocol. `opioid-abstinence-cm-overdose-risk`: some track pays
 * (cents or draws) for specimens negative for opioids only, and no track has a
 * medication, adherence or attendance component (an adherence or attendance
 * target, or a privilege track such as methadone take-homes, which presumes
 * medication treatment).
 */
export function protocolCautions(protocol: Protocol): Caution[] {
  const out: Caution[] = [];
  const opioidOnly: string[] = [];
  let component = false;
  for (const t of protocol.tracks) {
    const kind = t.target.kind;
    if (kind === 'adherence' || kind === 'attendance' || t.payout === 'privilege') component = true;
    if (kind === 'negative' && t.target.analytes.length > 0 && t.target.analytes.every((a) => OPIOID_ANALYTES.has(a))) {
      opioidOnly.push(t.id);
    }
  }
  if (opioidOnly.length > 0 && !component) {
    out.push({ code: 'opioid-abstinence-cm-overdose-risk', severity: 'warning', message: OPIOID_ABSTINENCE_MESSAGE, tracks: opioidOnly });
  }
  return out;
}
