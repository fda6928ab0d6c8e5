// Providers, routes, and the gate between sign-in and the console.
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { Center, Loader, MantineProvider, createTheme, type CSSVariablesResolver } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import type { AnyPermission } from '../../core/access/roles.ts';
import { isApiError, setSessionEndedListener } from './api.ts';
import { SessionProvider, authStep, useMe, useSession } from './session.tsx';
import { Shell, useLandingPath } from './components/Shell.tsx';
import { SignInPage } from './pages/SignIn.tsx';
import { PatientSearchPage } from './pages/PatientSearch.tsx';
import { RegisterPatientPage } from './pages/RegisterPatient.tsx';
import { PatientPage } from './pages/PatientPage.tsx';
import { StaffPage } from './pages/Staff.tsx';
import { SettingsPage } from './pages/Settings.tsx';
import { AuditPage } from './pages/Audit.tsx';
import { ChangePasswordPage, TwoStepPage, AccountPage } from './pages/Account.tsx';
import { NotFoundPage } from './pages/NotFound.tsx';
import { TestDayPage } from './pages/cm/TestDay.tsx';
import { CheckInPage } from './pages/cm/CheckIn.tsx';
import { DrawScreenPage } from './pages/cm/DrawScreen.tsx';
import { AdjudicationsPage } from './pages/cm/Adjudications.tsx';
import { CmProgrammePage } from './pages/cm/Programme.tsx';
import { TabletPage } from './pages/Tablet.tsx';
import { DrawVerificationPage } from './pages/DrawVerification.tsx';

const theme = createTheme({
  primaryColor: 'blue',
  // Darker shades keep text on light backgrounds above 4.5:1.
  primaryShade: { light: 8, dark: 6 },
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  focusRing: 'auto',
});

/** Secondary ("dimmed") text dark enough for 4.5:1 on white (WCAG 1.4.3). */
const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: { '--mantine-color-dimmed': t.colors.gray[7]! },
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
      <Notifications position="bottom-right" limit={3} />
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <SessionEndedHandler />
          <Routes>
            <Route path="/sign-in" element={<SignInPage />} />
            {/* The patient tablet: its own token, no staff session, no navigation. */}
            <Route path="/tablet" element={<TabletPage />} />
            {/* A draw commitment's public page: anyone may check the draws, without signing in. */}
            <Route path="/verify/:commitment" element={<DrawVerificationPage />} />
            <Route path="/*" element={<RequireSession />} />
          </Routes>
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

function FullPageLoader() {
  const { t } = useTranslation();
  return (
    <Center h="100vh">
      <Loader aria-label={t('common.loading')} />
    </Center>
  );
}

function RequireSession() {
  const me = useMe();
  const location = useLocation();
  const step = authStep(me.data, me.isPending, me.error);
  if (step === 'loading') return <FullPageLoader />;
  if (step !== 'active' || !me.data) {
    return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  }
  return (
    <SessionProvider me={me.data}>
      <ConsoleRoutes />
    </SessionProvider>
  );
}

function Guard({ permission, children }: { permission: AnyPermission; children: ReactNode }) {
  const { can } = useSession();
  return can(permission) ? <>{children}</> : <NotFoundPage forbidden />;
}

function Landing() {
  return <Navigate to={useLandingPath()} replace />;
}

function ConsoleRoutes() {
  return (
    <Routes>
      <Route element={<Shell />}>
        <Route index element={<Landing />} />
        <Route path="patients" element={<Guard permission="read:patient"><PatientSearchPage /></Guard>} />
        <Route path="patients/new" element={<Guard permission="create:patient"><RegisterPatientPage /></Guard>} />
        <Route path="patients/:id" element={<Guard permission="read:patient"><PatientPage /></Guard>} />
        <Route path="cm" element={<Guard permission="read:cm"><CmProgrammePage /></Guard>} />
        <Route path="cm/test-day" element={<Guard permission="write:specimen"><TestDayPage /></Guard>} />
        <Route path="cm/check-in" element={<Guard permission="write:cm-event"><CheckInPage /></Guard>} />
        <Route path="cm/adjudications" element={<Guard permission="read:cm"><AdjudicationsPage /></Guard>} />
        <Route path="cm/draw/:enrolmentId" element={<Guard permission="read:cm"><DrawScreenPage /></Guard>} />
        <Route path="staff" element={<Guard permission="read:staff"><StaffPage /></Guard>} />
        <Route path="settings" element={<Guard permission="manage:organization"><SettingsPage /></Guard>} />
        <Route path="audit" element={<Guard permission="read:audit"><AuditPage /></Guard>} />
        <Route path="account" element={<AccountPage />} />
        <Route path="account/password" element={<ChangePasswordPage />} />
        <Route path="account/two-step" element={<TwoStepPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
