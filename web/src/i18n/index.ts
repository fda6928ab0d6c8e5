// Every user-visible string comes from these catalogues, in English and Spanish with the
// same keys (test/web/catalogues.test.ts). Each surface loads only its own words, so that a
// first page carries little (the `web` benchmark):
//   start.<lng>.json  what shows before any page's code loads: sign-in, second factor, new
//                     password, errors and common words (English is in the first page's code);
//   <lng>.json        the console's screens, the tablet and the draw-verification page,
//                     loaded with the first of those pages (lazy.tsx);
//   app.<lng>.json    the patient app (web/src/app/main.tsx), which never loads the console's.
// A surface calls loadCatalogue with its loaders; a change of language loads every catalogue
// loaded so far in the new language before switching.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import startEn from './start.en.json';

export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
type Strings = Record<string, unknown>;
/** How to fetch one catalogue in each language (a dynamic import, so it is a chunk of its own). */
export type CatalogueLoaders = Record<Language, () => Promise<Strings>>;

const KEY = 'waypoint.language';

const startCatalogue: CatalogueLoaders = { en: async () => startEn, es: () => import('./start.es.json').then((m) => m.default) };

/** The catalogues loaded so far, by name; a change of language loads each of them. */
const catalogues = new Map<string, CatalogueLoaders>([['start', startCatalogue]]);
const loaded = new Map<string, Promise<void>>([['start.en', Promise.resolve()]]);

function load(name: string, lng: Language): Promise<void> {
  const key = `${name}.${lng}`;
  let done = loaded.get(key);
  if (!done) {
    done = catalogues
      .get(name)!
      [lng]()
      .then((strings) => {
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

/** Resolves once the starting language's first catalogue is loaded (a surface renders after it). */
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

/** Loads a surface's catalogue in the current language (and in English, the fallback). Call it after `ready`. */
export async function loadCatalogue(name: string, loaders: CatalogueLoaders): Promise<void> {
  catalogues.set(name, loaders);
  await Promise.all([load(name, 'en'), load(name, current())]);
}

/** Switches language once every catalogue loaded so far is loaded in it too (and remembers the choice). */
export function setLanguage(lng: Language): void {
  try {
    localStorage.setItem(KEY, lng);
  } catch {
    /* storage unavailable */
  }
  void Promise.all([...catalogues.keys()].map((name) => load(name, lng))).then(() => i18n.changeLanguage(lng));
}

export default i18n;
