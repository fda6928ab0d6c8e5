// The words of the console and the patient app: English and Spanish catalogues with the same
// keys, each surface's catalogue apart from the others, and every key the code names present
// in a catalogue its surface loads.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const i18nDir = fileURLToPath(new URL('../../web/src/i18n/', import.meta.url));
const srcDir = fileURLToPath(new URL('../../web/src/', import.meta.url));
type Tree = { [key: string]: string | Tree };
const read = (file: string) => JSON.parse(readFileSync(join(i18nDir, file), 'utf8')) as Tree;

/** Every leaf key, as a dotted path; i18next plural forms (`_one`, `_other`) count under their base key. */
function leaves(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : leaves(v, `${prefix}${k}.`)));
}
const baseKey = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
}

/** The pages and components the first page (sign-in) loads: they may use only the start catalogue. */
const FIRST_PAGE = ['App.tsx', 'lazy.tsx', 'session.tsx', 'api.ts', 'pages/SignIn.tsx', 'components/AuthForms.tsx', 'components/forms.tsx'];

describe('the catalogues', () => {
  const catalogues = {
    start: { en: read('start.en.json'), es: read('start.es.json') },
    console: { en: read('en.json'), es: read('es.json') },
    app: { en: read('app.en.json'), es: read('app.es.json') },
  };

  it.each(['start', 'console', 'app'] as const)('%s: English and Spanish have the same keys', (name) => {
    const en = leaves(catalogues[name].en).sort();
    const es = leaves(catalogues[name].es).sort();
    expect(
      es.filter((k) => !en.includes(k)),
      'only in Spanish',
    ).toEqual([]);
    expect(
      en.filter((k) => !es.includes(k)),
      'only in English',
    ).toEqual([]);
  });

  it('no top-level key is in two catalogues', () => {
    const tops = Object.values(catalogues).flatMap((c) => Object.keys(c.en));
    expect(tops.filter((k, i) => tops.indexOf(k) !== i)).toEqual([]);
  });

  it('every key the code names is in a catalogue, and the first page names only start keys', () => {
    const keys = (name: keyof typeof catalogues) => leaves(catalogues[name].en).map(baseKey);
    const start = new Set(keys('start'));
    const console = new Set([...start, ...keys('console')]);
    const app = new Set([...start, ...keys('app')]);
    const missing: string[] = [];
    const notStart: string[] = [];
    let checked = 0;
    for (const file of sources(srcDir)) {
      const rel = file.slice(srcDir.length);
      const code = readFileSync(file, 'utf8');
      // t('a.b'), i18n.t('a.b'), labelKey: 'a.b' are not all literal; only t('…') calls with a literal key are checked.
      for (const m of code.matchAll(/\bt\(\s*'([a-zA-Z][\w]*(?:\.[\w]+)+)'/g)) {
        const key = m[1]!;
        checked++;
        // The patient app (web/src/app) loads start and its own catalogue; everything else, start and the console's.
        const surface = rel.startsWith('app/') ? app : console;
        // A key may name a subtree when the call asks for objects; a leaf is the usual case.
        const known = surface.has(key) || [...surface].some((k) => k.startsWith(`${key}.`));
        if (!known) missing.push(`${rel}: ${key}`);
        if (FIRST_PAGE.includes(rel) && !start.has(key)) notStart.push(`${rel}: ${key}`);
      }
    }
    expect(checked).toBeGreaterThan(500);
    expect(missing).toEqual([]);
    expect(notStart).toEqual([]);
  });
});
