// Small helpers the skills screens share. Kept free of the module schema (zod) so the patient
// page and the care plan do not load it; the editor loads it on its own.
import { useTranslation } from 'react-i18next';

export type Lang = 'en' | 'es';
export type TextT = Partial<Record<Lang, string>>;

/** The staff member's language for module texts. */
export function useLang(): Lang {
  const { i18n } = useTranslation();
  return i18n.language === 'es' ? 'es' : 'en';
}

/** A module text in a language, falling back to English, then to any language it has (core/skills/module.ts `say`). */
export function say(text: TextT | undefined | null, lang: Lang): string {
  if (!text) return '';
  return text[lang] ?? text.en ?? Object.values(text).find((v) => !!v) ?? '';
}

/** How a module's status reads as a badge tone (a word and a symbol, never colour alone). */
export const statusTone = (s: 'assigned' | 'started' | 'completed' | 'published' | 'draft' | 'retired') =>
  s === 'completed' || s === 'published' ? 'ok' : s === 'started' || s === 'draft' ? 'warn' : 'neutral';

/** Percent, rounded, or null when there is nothing to divide by. */
export const percent = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 100) : null);
