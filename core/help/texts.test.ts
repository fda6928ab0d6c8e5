// Help now's patient English reads at about a 6th-grade level (Flesch–Kincaid grade ≤ 7 for
// all of it, ≤ 9 for any one text), the pattern of core/checkins/texts.test.ts; the app's own
// Help now and My plan words (web/src/i18n/app.en.json) are held to the same grade; every
// text has a Spanish twin.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fleschKincaidGrade } from '../readability.ts';
import { patientMessages } from '../checkins/texts.ts';
import { HELP_PATIENT_ENGLISH, helpTexts } from './texts.ts';

/** Every string under a key of a catalogue, with {{placeholders}} read as a short word. */
function strings(node: unknown): string[] {
  if (typeof node === 'string') return [node.replace(/\{\{[^}]+\}\}/g, 'it')];
  if (node && typeof node === 'object') return Object.values(node).flatMap(strings);
  return [];
}
const catalogue = (lng: string) => JSON.parse(readFileSync(new URL(`../../web/src/i18n/app.${lng}.json`, import.meta.url), 'utf8')) as { patientApp: Record<string, unknown> };

describe('help texts', () => {
  it('patient English is at grade 7 or below', () => {
    expect(fleschKincaidGrade(HELP_PATIENT_ENGLISH.join(' '))).toBeLessThanOrEqual(7);
    for (const s of HELP_PATIENT_ENGLISH) expect(fleschKincaidGrade(s), s).toBeLessThanOrEqual(9);
  });

  it('the app’s Help now and My plan words are at grade 7 or below', () => {
    const en = catalogue('en').patientApp;
    const texts = [...strings(en.help), ...strings(en.plan)].filter((s) => s.split(/\s+/).length >= 4);
    expect(texts.length).toBeGreaterThan(10);
    expect(fleschKincaidGrade(texts.join(' '))).toBeLessThanOrEqual(7);
    for (const s of texts) expect(fleschKincaidGrade(s), s).toBeLessThanOrEqual(9);
  });

  it('English and Spanish have the same shape and different words; the naloxone steps are the check-in’s (one copy)', () => {
    const en = helpTexts('en');
    const es = helpTexts('es');
    expect(es.neverUseAlone.tips).toHaveLength(en.neverUseAlone.tips.length);
    expect(es.lifeline.body).not.toEqual(en.lifeline.body);
    expect(en.naloxone.steps).toEqual(patientMessages({ crisis: false, naloxone: true }, 'en').naloxone!.steps);
    expect(es.naloxone.steps).toEqual(patientMessages({ crisis: false, naloxone: true }, 'es').naloxone!.steps);
    expect(en.lifelineSpanish).toEqual(es.lifelineSpanish);
    expect(en.lifelineSpanish.text).toContain('988');
    expect(en.neverUseAlone.line.label).toContain('1-800-484-3731');
  });
});
