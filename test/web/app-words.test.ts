// Every word the patient app shows (web/src/i18n/app.<lng>.json): in English and Spanish,
// translated, the English at about a 6th-grade level (Flesch–Kincaid grade ≤ 7 for each
// screen's words together, ≤ 9 for any one text), and no clinic, treatment or drug word where
// a phone's passkey list or a notification could show it.
import { describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/app.en.json' with { type: 'json' };
import es from '../../web/src/i18n/app.es.json' with { type: 'json' };
import { fleschKincaidGrade } from '../../core/readability.ts';

/** Every string under a node, keyed by its path, with {{placeholders}} read as a short word. */
function strings(node: unknown, path = ''): Array<[string, string]> {
  if (typeof node === 'string') return [[path, node.replace(/\{\{[^}]+\}\}/g, 'it')]];
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}
const english = new Map(strings(en.patientApp));
const spanish = new Map(strings(es.patientApp));
/** Names of things and short status labels (substances, moods, a calendar day's status) are not prose. */
const NOT_PROSE = /^(checkIn\.substances|checkIn\.moods|checkIn\.sleeps|calendar\.kinds|calendar\.status)\./;

describe('the patient app’s words', () => {
  it('every English text has a Spanish one, and the other way round', () => {
    expect([...spanish.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [k, v] of spanish) expect(v.trim().length, k).toBeGreaterThan(0);
  });

  it('each screen reads at grade 7 or below in English, and no one sentence above grade 9', () => {
    const screens = new Map<string, string[]>();
    const failures: string[] = [];
    for (const [k, v] of english) {
      if (NOT_PROSE.test(k)) continue;
      const screen = k.includes('.') ? k.split('.')[0]! : 'common';
      screens.set(screen, [...(screens.get(screen) ?? []), v]);
      // a label of a few words is not a sentence the formula can judge
      if (v.split(/\s+/).length >= 8) failures.push(...(fleschKincaidGrade(v) > 9 ? [`${k}: ${v}`] : []));
    }
    for (const [screen, texts] of screens) if (fleschKincaidGrade(texts.join(' ')) > 7) failures.push(`${screen} as a whole: ${fleschKincaidGrade(texts.join(' ')).toFixed(1)}`);
    expect(failures).toEqual([]);
  });

  it('passkey words name no clinic, treatment or drug (the phone lists passkeys by name)', () => {
    for (const [k, v] of [...english, ...spanish].filter(([k]) => k.startsWith('passkey.'))) expect(v, k).not.toMatch(/opioid|treatment|tratamiento|addict|drug|droga/i);
  });
});
