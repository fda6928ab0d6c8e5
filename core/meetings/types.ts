// The Meeting Guide type codes (content/meetings/types.json, derived from code4recovery/spec
// data/types.json, MIT — docs/meetings.md), with their English and Spanish labels, and the codes
// that name a meeting's language. `ONL` is no longer a spec code: online is inferred from a
// conference link or phone (core/meetings/meeting-guide.ts).
import typesJson from '../../content/meetings/types.json' with { type: 'json' };

export type TypeLabel = { en: string; es: string };

/** Every known code with its labels. */
export const MEETING_TYPES: Readonly<Record<string, TypeLabel>> = typesJson;

export const isMeetingType = (code: string): boolean => Object.prototype.hasOwnProperty.call(MEETING_TYPES, code);

/** The label of a code in a language ('en' | 'es'), or the code itself when unknown. */
export function typeLabel(code: string, lang: 'en' | 'es' = 'en'): string {
  return isMeetingType(code) ? MEETING_TYPES[code]![lang] : code;
}

/** Type code → ISO 639-1 language (ASL has no ISO 639-1 code: `sgn`). */
export const LANGUAGE_TYPES: Readonly<Record<string, string>> = {
  AF: 'af',
  AM: 'am',
  AR: 'ar',
  ASL: 'sgn',
  BG: 'bg',
  DA: 'da',
  DE: 'de',
  EL: 'el',
  EN: 'en',
  FA: 'fa',
  FI: 'fi',
  FR: 'fr',
  HE: 'he',
  HI: 'hi',
  HR: 'hr',
  HU: 'hu',
  IS: 'is',
  ITA: 'it',
  JA: 'ja',
  KA: 'ka',
  KOR: 'ko',
  LT: 'lt',
  ML: 'ml',
  MT: 'mt',
  NE: 'ne',
  NL: 'nl',
  NO: 'no',
  POL: 'pl',
  POR: 'pt',
  PUN: 'pa',
  RUS: 'ru',
  S: 'es',
  SK: 'sk',
  SL: 'sl',
  SV: 'sv',
  TH: 'th',
  TL: 'tl',
  TUR: 'tr',
  UK: 'uk',
};

/** The languages named by a record's type codes; English when none is named. */
export function languagesOfTypes(types: readonly string[]): string[] {
  const langs = [...new Set(types.map((t) => LANGUAGE_TYPES[t]).filter((l): l is string => l !== undefined))].sort();
  return langs.length > 0 ? langs : ['en'];
}

/** The type code of a language, for the export (the inverse of LANGUAGE_TYPES). */
export const TYPE_OF_LANGUAGE: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(LANGUAGE_TYPES).map(([c, l]) => [l, c]));
