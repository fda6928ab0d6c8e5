// The patient app's entry (ADR 031): its own bundle, served at /app/. It imports nothing
// from the console (pages, Mantine, the console's API client); only the shared i18n
// catalogue and core rules. The service worker keeps the shell for offline start.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './app.css';
import { ready } from '../i18n/index.ts';
import { codeFromFragment, PatientApp } from './PatientApp.tsx';

if ('serviceWorker' in navigator && window.isSecureContext) {
  void navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' }).catch(() => undefined);
}

// The QR link's code, taken from the address once, before anything renders.
const activationCode = codeFromFragment();

void ready.then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <PatientApp activationCode={activationCode} />
    </StrictMode>,
  ),
);
