// Patient-facing English reads at about a 6th-grade level (Flesch–Kincaid grade ≤ 7 for
// each sentence group), and every text exists in English and Spanish.
import { describe, expect, it } from 'vitest';
import { fleschKincaidGrade } from '../readability.ts';
import { RULE_CODES } from './rules.ts';
import { alertText, patientMessages, PATIENT_ENGLISH } from './texts.ts';

describe('check-in texts', () => {
  it('patient English is at grade 7 or below', () => {
    const grade = fleschKincaidGrade(PATIENT_ENGLISH.join(' '));
    expect(grade).toBeLessThanOrEqual(7);
    for (const s of PATIENT_ENGLISH) expect(fleschKincaidGrade(s), s).toBeLessThanOrEqual(9);
  });

  it('every alert and patient message exists in both languages and they differ', () => {
    const p = { threshold: 8, days: 2, count: 2, windowDays: 7 };
    for (const code of RULE_CODES) {
      expect(alertText(code, p, 'en')).not.toEqual(alertText(code, p, 'es'));
      expect(alertText(code, p, 'es').length).toBeGreaterThan(10);
    }
    const en = patientMessages({ crisis: true, naloxone: true }, 'en');
    const es = patientMessages({ crisis: true, naloxone: true }, 'es');
    expect(es.naloxone?.steps).toHaveLength(5);
    expect(en.naloxone?.steps).toHaveLength(5);
    expect(es.crisis?.call).toContain('988');
    expect(patientMessages({ crisis: false, naloxone: false }, 'es')).toEqual({ thanks: es.thanks, crisis: null, naloxone: null });
  });
});
