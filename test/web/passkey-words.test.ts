// The patient app's passkey words (ADR 039): every one in English and Spanish, and the
// English at about a 6th-grade level (Flesch–Kincaid grade ≤ 7 together, ≤ 9 each), as
// core/checkins/texts.test.ts checks the check-in texts.
import { describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/app.en.json' with { type: 'json' };
import es from '../../web/src/i18n/app.es.json' with { type: 'json' };

/** Syllables of an English word, by vowel groups (the usual approximation). */
function syllables(word: string): number {
  const w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (w.length <= 3) return 1;
  const groups = w
    .replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, '')
    .replace(/^y/, '')
    .match(/[aeiouy]{1,2}/g);
  return Math.max(1, groups?.length ?? 1);
}

function fleschKincaidGrade(text: string): number {
  const sentences = Math.max(1, text.split(/[.!?:]+/).filter((s) => s.trim()).length);
  const words = text.split(/\s+/).filter((w) => /[a-z0-9]/i.test(w));
  const syl = words.reduce((n, w) => n + syllables(w), 0);
  return 0.39 * (words.length / sentences) + 11.8 * (syl / words.length) - 15.59;
}

const english: Record<string, string> = en.patientApp.passkey;
const spanish: Record<string, string> = es.patientApp.passkey;

describe('passkey words in the patient app', () => {
  it('read at grade 7 or below in English', () => {
    const all = Object.values(english);
    expect(fleschKincaidGrade(all.join(' '))).toBeLessThanOrEqual(7);
    for (const s of all) expect(fleschKincaidGrade(s), s).toBeLessThanOrEqual(9);
  });

  it('every word is in Spanish too, and translated', () => {
    expect(Object.keys(spanish).sort()).toEqual(Object.keys(english).sort());
    for (const k of Object.keys(english)) {
      expect(spanish[k]!.length, k).toBeGreaterThan(3);
      expect(spanish[k], k).not.toBe(english[k]);
    }
  });

  it('name no clinic, treatment or drug where the phone could show them', () => {
    for (const s of [...Object.values(english), ...Object.values(spanish)]) expect(s).not.toMatch(/opioid|treatment|tratamiento|addict|drug|droga/i);
  });
});
