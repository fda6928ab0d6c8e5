// The analytes Waypoint knows (CM-SPEC §4). A specimen result or a protocol that
// names anything else is rejected as an input error.

export const ANALYTES = ['opiates', 'fentanyl', 'buprenorphine', 'methadone', 'oxycodone', 'cocaine', 'amphetamine', 'benzodiazepines', 'cannabis', 'xylazine', 'alcohol'] as const;

export type Analyte = (typeof ANALYTES)[number];

const KNOWN: ReadonlySet<string> = new Set(ANALYTES);

export function isAnalyte(name: unknown): name is Analyte {
  return typeof name === 'string' && KNOWN.has(name);
}

/** Display names for staff screens. "amphetamine" covers methamphetamine (one immunoassay class). */
export const ANALYTE_INFO: Readonly<Record<Analyte, { display: string; loinc?: string }>> = {
  opiates: { display: 'Opiates', loinc: '19295-5' },
  fentanyl: { display: 'Fentanyl', loinc: '59673-7' },
  buprenorphine: { display: 'Buprenorphine', loinc: '49753-6' },
  methadone: { display: 'Methadone', loinc: '19550-3' },
  oxycodone: { display: 'Oxycodone', loinc: '18391-3' },
  cocaine: { display: 'Cocaine (benzoylecgonine)', loinc: '3397-7' },
  amphetamine: { display: 'Amphetamines (incl. methamphetamine)', loinc: '19343-3' },
  benzodiazepines: { display: 'Benzodiazepines', loinc: '14316-4' },
  cannabis: { display: 'Cannabinoids (THC)', loinc: '18282-4' },
  xylazine: { display: 'Xylazine' },
  /** Ethanol: breath alcohol (or urine ethanol). Its LOINC depends on the matrix, so none is implied. No carry-over window: a positive means recent use. */
  alcohol: { display: 'Alcohol (ethanol)' },
};

/** Default carry-over windows in days (CM-SPEC §4); analytes not listed have no window. */
export const DEFAULT_CARRY_OVER_DAYS: Readonly<Partial<Record<Analyte, number>>> = {
  cocaine: 4,
  amphetamine: 5,
  opiates: 5,
  fentanyl: 28,
  benzodiazepines: 30,
  cannabis: 30,
  methadone: 6,
  buprenorphine: 7,
};
