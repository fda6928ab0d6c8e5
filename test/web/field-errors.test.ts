// A field's problem in the console's language (web/src/components/forms.tsx fieldProblemText):
// the reason the server gives (contracts/common.ts FIELD_REASONS) worded from the catalogue
// in English and Spanish, the server's own message where it is the more precise one.
import { createInstance } from 'i18next';
import { describe, expect, it } from 'vitest';
import { FIELD_REASONS } from '../../contracts/common.ts';
import { fieldProblemText } from '../../web/src/components/forms.tsx';
import startEn from '../../web/src/i18n/start.en.json';
import startEs from '../../web/src/i18n/start.es.json';

const i18n = createInstance();
await i18n.init({ resources: { en: { translation: startEn }, es: { translation: startEs } }, lng: 'en', fallbackLng: false });
const text = (language: 'en' | 'es', problem: Parameters<typeof fieldProblemText>[0]) => fieldProblemText(problem, i18n.getFixedT(language), language);
const field = 'body.lot';

describe("a field's problem in the console's language", () => {
  it('words a length with its limit, in the singular and the plural', () => {
    expect(text('en', { field, message: 'Too big: expected string to have <=40 characters', reason: 'too_long', limit: 40 })).toBe('Use at most 40 characters.');
    expect(text('es', { field, message: 'Too big: expected string to have <=40 characters', reason: 'too_long', limit: 40 })).toBe('Use como máximo 40 caracteres.');
    expect(text('en', { field, message: 'x', reason: 'too_short', limit: 1 })).toBe('Use at least 1 character.');
    expect(text('es', { field, message: 'x', reason: 'too_short', limit: 1 })).toBe('Use al menos 1 carácter.');
  });

  it('words a missing value, a number out of bounds and a choice not offered', () => {
    expect(text('en', { field, message: 'is required', reason: 'required' })).toBe('Fill this in.');
    expect(text('es', { field, message: 'is required', reason: 'required' })).toBe('Complete este campo.');
    expect(text('es', { field, message: 'x', reason: 'too_large', limit: 45 })).toBe('Use 45 o menos.');
    expect(text('en', { field, message: 'x', reason: 'too_small' })).toBe('This number is too small.');
    expect(text('es', { field, message: 'must be one of a, b', reason: 'not_allowed' })).toBe('Elija una de las opciones.');
  });

  it("keeps the server's message where it is the more precise one: in English for a format or a rule of its own, and always without a reason", () => {
    expect(text('en', { field, message: 'must be a time as HH:MM', reason: 'invalid_format' })).toBe('must be a time as HH:MM');
    expect(text('es', { field, message: 'must be a time as HH:MM', reason: 'invalid_format' })).toBe('Esto no tiene el formato esperado.');
    expect(text('en', { field, message: 'must be a real calendar date', reason: 'invalid' })).toBe('must be a real calendar date');
    expect(text('es', { field, message: 'must be a real calendar date', reason: 'invalid' })).toBe('Revise este valor.');
    expect(text('es', { field, message: 'say why', reason: undefined })).toBe('say why');
  });

  it("falls back to the server's message when a count is missing (no reason's words show as a key)", () => {
    expect(text('es', { field, message: 'too short', reason: 'too_short' })).toBe('too short');
  });

  it('has words for every reason the server gives, in both languages', () => {
    for (const reason of FIELD_REASONS) {
      for (const language of ['en', 'es'] as const) {
        if (language === 'en' && (reason === 'invalid_format' || reason === 'invalid')) continue; // the server's message (above)
        const worded = text(language, { field, message: 'SERVER', reason, limit: 3 });
        expect(worded, `${reason} (${language})`).not.toMatch(/errors\.field|SERVER|\{\{/);
        if (reason === 'too_small' || reason === 'too_large') expect(text(language, { field, message: 'SERVER', reason })).not.toMatch(/errors\.field|SERVER/);
      }
    }
  });
});
