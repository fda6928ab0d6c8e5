// The patient app's entry (ADR 031): its own bundle, served at /app/. It imports nothing
// from the console (pages, Mantine, the console's API client); only the shared i18n
// catalogues (start and its own, app.<lng>.json) and core rules. The service worker keeps the shell for offline start.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './app.css';
import { loadCatalogue, ready } from '../i18n/index.ts';
import { codeFromFragment, PatientApp } from './PatientApp.tsx';
import appEn from '../i18n/app.en.json';

if ('serviceWorker' in navigator && window.isSecureContext) {
  void navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' }).catch(() => undefined);
}

// The QR link's code, taken from the address once, before anything renders.
const activationCode = codeFromFragment();

// The app's words (i18n/index.ts): the start catalogue's common words and its own, never the
// console's. English is in the entry (as start.en is): on a slow phone a separate fetch after
// the scripts run costs a round trip before the first screen (bench/app-tti.bench.ts).
const words = {
  en: async () => appEn,
  es: () => import('../i18n/app.es.json').then((m) => m.default),
};

void ready
  .then(() => loadCatalogue('app', words))
  .catch(() => undefined)
  .then(() =>
    createRoot(document.getElementById('root')!).render(
      <StrictMode>
        <PatientApp activationCode={activationCode} />
      </StrictMode>,
    ),
  );
