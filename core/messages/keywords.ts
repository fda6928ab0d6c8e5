// Inbound SMS keywords (the carriers' and CTIA's STOP/START/HELP, in English and Spanish).
// A message that is exactly one keyword (any case, surrounding spaces and punctuation
// ignored) is that keyword; anything else is ordinary text. Pure.

export const STOP_WORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'ALTO', 'PARAR', 'PARE', 'CANCELAR', 'BAJA'] as const;
export const START_WORDS = ['START', 'UNSTOP', 'YES', 'INICIAR', 'COMENZAR', 'SI', 'SÍ'] as const;
export const HELP_WORDS = ['HELP', 'INFO', 'AYUDA'] as const;

export type InboundKeyword = 'stop' | 'start' | 'help';
/** The language a keyword is in, to reply in it (the patient's own language when both use the word). */
export type KeywordLanguage = 'en' | 'es';

const SPANISH = new Set(['ALTO', 'PARAR', 'PARE', 'CANCELAR', 'BAJA', 'INICIAR', 'COMENZAR', 'SI', 'SÍ', 'AYUDA']);

/** The keyword a text is, or null for ordinary text. */
export function keywordOf(text: string): { keyword: InboundKeyword; language: KeywordLanguage } | null {
  const word = text
    .trim()
    .replace(/^[\s.!¡¿?,;:'"]+|[\s.!¡¿?,;:'"]+$/g, '')
    .toUpperCase();
  const language: KeywordLanguage = SPANISH.has(word) ? 'es' : 'en';
  if ((STOP_WORDS as readonly string[]).includes(word)) return { keyword: 'stop', language };
  if ((START_WORDS as readonly string[]).includes(word)) return { keyword: 'start', language };
  if ((HELP_WORDS as readonly string[]).includes(word)) return { keyword: 'help', language };
  return null;
}
