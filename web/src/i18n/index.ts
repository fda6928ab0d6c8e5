// Every user-visible string comes from these catalogues, in English and Spanish with the
// same keys (test/web/catalogues.test.ts). Two catalogues per language, so that the first
// page carries only its own words (the `web` benchmark):
//   start.<lng>.json  what shows before the console's code loads: sign-in, second factor,
//                     new password, errors and common words;
//   <lng>.json        the console's screens (and the tablet's and the draw-verification page),
//                     loaded with the first of those pages (lazy.tsx).
// English `start` is in the first page's code; everything else loads when needed, and
// main.tsx waits for the starting language before the first render.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import startEn from './start.en.json';

export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
type Catalogue = 'start' | 'console';
type Strings = Record<string, unknown>;

const KEY = 'waypoint.language';

const loaders: Record<Catalogue, Record<Language, () => Promise<Strings>>> = {
  start: { en: async () => startEn, es: () => import('./start.es.json').then((m) => m.default) },
  console: { en: () => import('./en.json').then((m) => m.default), es: () => import('./es.json').then((m) => m.default) },
};

/** The catalogues the pages opened so far need; a change of language loads each of them. */
const needed = new Set<Catalogue>(['start']);
const loaded = new Map<string, Promise<void>>();

function load(catalogue: Catalogue, lng: Language): Promise<void> {
  const key = `${catalogue}.${lng}`;
  let done = loaded.get(key);
  if (!done) {
    done = loaders[catalogue][lng]().then((strings) => {
      i18n.addResourceBundle(lng, 'translation', strings, true, false);
    });
    // A failed load (the network) may be tried again later.
    done.catch(() => loaded.delete(key));
    loaded.set(key, done);
  }
  return done;
}

const current = (): Language => (i18n.language === 'es' ? 'es' : 'en');

function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'en' || saved === 'es') return saved;
  } catch {
    /* storage unavailable */
  }
  return navigator.language?.toLowerCase().startsWith('es') ? 'es' : 'en';
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: startEn } },
  lng: 'en',
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});
loaded.set('start.en', Promise.resolve());

/** Resolves once the starting language's first catalogue is loaded (main.tsx renders after it). */
export const ready: Promise<void> = (async () => {
  if (initialLanguage() === 'es') {
    try {
      await load('start', 'es');
      await i18n.changeLanguage('es');
    } catch {
      /* the Spanish catalogue could not load: English */
    }
  }
  document.documentElement.lang = i18n.language;
})();
i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
});

/** Loads the console's catalogue in the current language (and in English, the fallback). */
export async function loadConsoleCatalogue(): Promise<void> {
  needed.add('console');
  await Promise.all([load('console', 'en'), load('console', current())]);
}

/** Switches language once every catalogue the open pages need is loaded in it (and remembers the choice). */
export function setLanguage(lng: Language): void {
  try {
    localStorage.setItem(KEY, lng);
  } catch {
    /* storage unavailable */
  }
  void Promise.all([...needed].map((c) => load(c, lng))).then(() => i18n.changeLanguage(lng));
}

export default i18n;
