// Providers, routes, and the gate between sign-in and the console.
import { Suspense, useEffect } from 'react';
import { BrowserRouter, Route, Routes, useNavigate } from 'react-router-dom';
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { MantineProvider, createTheme, type CSSVariablesResolver } from '@mantine/core';
import i18n from 'i18next';
import { isApiError, setSessionEndedListener } from './api.ts';
import { SignInPage } from './pages/SignIn.tsx';
import { FullPageLoader, page } from './lazy.tsx';

const TabletPage = page(() => import('./pages/Tablet.tsx'), 'TabletPage');
const Console = page(() => import('./Console.tsx'), 'Console');
const DrawVerificationPage = page(() => import('./pages/DrawVerification.tsx'), 'DrawVerificationPage');

const theme = createTheme({
  primaryColor: 'blue',
  // Darker shades keep text on light backgrounds above 4.5:1.
  primaryShade: { light: 8, dark: 6 },
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  focusRing: 'auto',
  components: {
    // Close buttons (notifications, dialogs) are icons: they need a name, in the current language.
    // (Mantine calls a function given as defaultProps on every render.)
    CloseButton: { defaultProps: () => ({ 'aria-label': i18n.t('common.close') }) },
  },
});

/**
 * Secondary ("dimmed") text dark enough for 4.5:1 on white (WCAG 1.4.3); teal text on
 * teal's light background ("All negative", light badges) one step darker than teal 9,
 * which is 4.32:1 there (this one is 5.6:1); filled teal one shade darker.
 */
const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': t.colors.gray[7]!,
    '--mantine-color-teal-light-color': '#066b4d',
    // A field's error text and border: red 6 is 3.28:1 on white; red 9 is 5.6:1.
    '--mantine-color-error': t.colors.red[9]!,
    // Blue text on blue's light hover background (the current menu link under the pointer) is 4.02:1.
    '--mantine-color-blue-light-color': '#0f4c85',
    // Yellow text on yellow's light background (the "shown once" notice of a new token,
    // password or recovery codes) is 2.68:1; this amber is 5.7:1.
    '--mantine-color-yellow-light-color': '#8a5200',
    // White on filled teal (shade 8) is 3.94:1; on teal 9, 5:1.
    '--mantine-color-teal-filled': t.colors.teal[9]!,
    '--mantine-color-teal-filled-hover': '#066b4d',
  },
  dark: {},
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, err) => !(isApiError(err) && err.status > 0 && err.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={cssVariablesResolver}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <SessionEndedHandler />
          <Suspense fallback={<FullPageLoader />}>
            <Routes>
              <Route path="/sign-in" element={<SignInPage />} />
              {/* The patient tablet: its own token, no staff session, no navigation. */}
              <Route path="/tablet" element={<TabletPage />} />
              {/* A draw commitment's public page: anyone may check the draws, without signing in. */}
              <Route path="/verify/:commitment" element={<DrawVerificationPage />} />
              <Route path="/*" element={<Console />} />
            </Routes>
          </Suspense>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
}

/** When the server says the session has ended, go to sign-in and say why. */
function SessionEndedHandler() {
  const navigate = useNavigate();
  const client = useQueryClient();
  useEffect(() => {
    setSessionEndedListener((err) => {
      client.clear();
      navigate('/sign-in', { replace: true, state: { message: 'ended', detail: err.detail } });
    });
    return () => setSessionEndedListener(null);
  }, [navigate, client]);
  return null;
}
