// The patient-facing words of issue 12's phone line and reminders (ADR 038): every one in
// English and Spanish, the English at about a 6th-grade level (Flesch–Kincaid grade ≤ 7 for
// the whole, ≤ 9 for each), and none naming treatment on a lock screen or a shared phone.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fleschKincaidGrade } from '../../core/readability.ts';
import { render } from '../../server/modules/messages/templates.ts';

const app = (lang: 'en' | 'es') =>
  (JSON.parse(readFileSync(new URL(`../../web/src/i18n/app.${lang}.json`, import.meta.url), 'utf8')) as { patientApp: { notifications: Record<string, string> } }).patientApp.notifications;

describe('reminder and phone-line words', () => {
  it('the app’s reminder settings: both languages, the same keys, grade ≤ 7', () => {
    const en = app('en');
    const es = app('es');
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
    for (const k of Object.keys(en)) expect(es[k], k).not.toBe(en[k]);
    const texts = Object.values(en).map((s) => s.replace(/\{\{\w+\}\}/g, '7'));
    expect(fleschKincaidGrade(texts.join(' '))).toBeLessThanOrEqual(7);
    // each sentence too (a label of one or two words has no meaningful grade)
    for (const s of texts.filter((x) => x.split(/\s+/).length >= 5)) expect(fleschKincaidGrade(s), s).toBeLessThanOrEqual(9);
  });

  it('the reminder and invite texts: grade ≤ 7; the invite says nothing about treatment', () => {
    for (const id of ['check-in-reminder', 'check-in-sms', 'app-invite']) {
      const text = render(id, 'en', { code: 'ABCD-EFGH', link: 'https://clinic.example/app/' }).text;
      expect(fleschKincaidGrade(text), id).toBeLessThanOrEqual(7);
    }
    const invite = render('app-invite', 'en', { code: 'ABCD-EFGH', link: 'L' }).text + render('app-invite', 'es', { code: 'ABCD-EFGH', link: 'L' }).text;
    expect(invite).not.toMatch(/clinic|clínica|craving|antojo|medicine|medicina|use|check/i);
    expect(() => render('app-invite', 'en', { code: 'X' })).toThrow(/needs a value for link/);
  });
});
