// Every user-visible string comes from these catalogues. English is complete;
// Spanish follows the same keys (missing keys fall back to English). English is in the
// first page's code; Spanish loads when it is chosen (or saved, or the browser's language),
// and main.tsx waits for it before the first render.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';

export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
const KEY = 'waypoint.language';

function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'en' || saved === 'es') return saved;
  } catch {
    /* storage unavailable */
  }
  return navigator.language?.toLowerCase().startsWith('es') ? 'es' : 'en';
}

const spanish = () =>
  import('./es.json').then((m) => {
    if (!i18n.hasResourceBundle('es', 'translation')) i18n.addResourceBundle('es', 'translation', m.default);
  });

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en } },
  lng: 'en',
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** Resolves once the starting language's catalogue is loaded (main.tsx renders after it). */
export const ready: Promise<void> = (async () => {
  const lng = initialLanguage();
  if (lng === 'es') {
    try {
      await spanish();
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

export function setLanguage(lng: Language) {
  try {
    localStorage.setItem(KEY, lng);
  } catch {
    /* storage unavailable */
  }
  void (lng === 'es' ? spanish() : Promise.resolve()).then(() => i18n.changeLanguage(lng));
}

export default i18n;
