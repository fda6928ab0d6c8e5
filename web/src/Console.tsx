// The signed-in console: the session gate, the frame (Shell) and every page behind it. It
// loads after sign-in (App.tsx), and each of its pages loads on first visit.
import { type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import type { AnyPermission } from '../../core/access/roles.ts';
import { SessionProvider, authStep, useMe, useSession } from './session.tsx';
import { allows, Shell, useLandingPath } from './components/Shell.tsx';
import { NotFoundPage } from './pages/NotFound.tsx';
import { FullPageLoader, page } from './lazy.tsx';

const PatientSearchPage = page(() => import('./pages/PatientSearch.tsx'), 'PatientSearchPage');
const RegisterPatientPage = page(() => import('./pages/RegisterPatient.tsx'), 'RegisterPatientPage');
const PatientPage = page(() => import('./pages/PatientPage.tsx'), 'PatientPage');
const StaffPage = page(() => import('./pages/Staff.tsx'), 'StaffPage');
const SettingsPage = page(() => import('./pages/Settings.tsx'), 'SettingsPage');
const AuditPage = page(() => import('./pages/Audit.tsx'), 'AuditPage');
const TestDayPage = page(() => import('./pages/cm/TestDay.tsx'), 'TestDayPage');
const CheckInPage = page(() => import('./pages/cm/CheckIn.tsx'), 'CheckInPage');
const DrawScreenPage = page(() => import('./pages/cm/DrawScreen.tsx'), 'DrawScreenPage');
const AdjudicationsPage = page(() => import('./pages/cm/Adjudications.tsx'), 'AdjudicationsPage');
const CmProgrammePage = page(() => import('./pages/cm/Programme.tsx'), 'CmProgrammePage');
const OutboxPage = page(() => import('./pages/Outbox.tsx'), 'OutboxPage');
const SmsSimulatorPage = page(() => import('./pages/Outbox.tsx'), 'SmsSimulatorPage');
const ChangePasswordPage = page(() => import('./pages/Account.tsx'), 'ChangePasswordPage');
const TwoStepPage = page(() => import('./pages/Account.tsx'), 'TwoStepPage');
const AccountPage = page(() => import('./pages/Account.tsx'), 'AccountPage');
const SchedulePage = page(() => import('./pages/encounters/Schedule.tsx'), 'SchedulePage');
const VisitPage = page(() => import('./pages/encounters/Visit.tsx'), 'VisitPage');
const GroupsPage = page(() => import('./pages/encounters/Groups.tsx'), 'GroupsPage');
const NewGroupPage = page(() => import('./pages/encounters/Groups.tsx'), 'NewGroupPage');
const GroupPage = page(() => import('./pages/encounters/Groups.tsx'), 'GroupPage');
const CosignQueuePage = page(() => import('./pages/notes/CosignQueue.tsx'), 'CosignQueuePage');
const CounsellorTodayPage = page(() => import('./pages/counselling/Today.tsx'), 'CounsellorTodayPage');
const CounsellingCompliancePage = page(() => import('./pages/counselling/Compliance.tsx'), 'CounsellingCompliancePage');
const CaseloadsPage = page(() => import('./pages/counselling/Caseloads.tsx'), 'CaseloadsPage');
const InjectionsDuePage = page(() => import('./pages/levels-of-care/InjectionsDue.tsx'), 'InjectionsDuePage');
const SkillsPage = page(() => import('./pages/skills/SkillsPage.tsx'), 'SkillsPage');
const MeetingsPage = page(() => import('./pages/meetings/MeetingsPage.tsx'), 'MeetingsPage');
const PeersPage = page(() => import('./pages/peers/PeersPage.tsx'), 'PeersPage');
const PeerReferralPage = page(() => import('./pages/peers/ReferralPage.tsx'), 'ReferralPage');
const NewPeerReferralPage = page(() => import('./pages/peers/NewReferral.tsx'), 'NewReferralPage');
const NaloxonePage = page(() => import('./pages/naloxone/NaloxonePage.tsx'), 'NaloxonePage');
const OutcomesPage = page(() => import('./pages/outcomes/OutcomesPage.tsx'), 'OutcomesPage');
const CraftListPage = page(() => import('./pages/family/CraftList.tsx'), 'CraftListPage');
const CraftCoursePage = page(() => import('./pages/family/CraftCourse.tsx'), 'CraftCoursePage');
const DisclosureExceptionsPage = page(() => import('./pages/consent/ExceptionsPage.tsx'), 'DisclosureExceptionsPage');
const ModuleEditorPage = page(() => import('./pages/skills/ModuleEditor.tsx'), 'ModuleEditorPage');

export function Console() {
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

function Guard({ permission, children }: { permission: AnyPermission | readonly AnyPermission[]; children: ReactNode }) {
  const { can } = useSession();
  return allows(can, permission) ? <>{children}</> : <NotFoundPage forbidden />;
}

function Landing() {
  return <Navigate to={useLandingPath()} replace />;
}

function ConsoleRoutes() {
  return (
    <Routes>
      <Route element={<Shell />}>
        <Route index element={<Landing />} />
        <Route
          path="patients"
          element={
            <Guard permission="read:patient">
              <PatientSearchPage />
            </Guard>
          }
        />
        <Route
          path="messages"
          element={
            <Guard permission="read:messages">
              <OutboxPage />
            </Guard>
          }
        />
        <Route
          path="messages/simulator"
          element={
            <Guard permission="manage:messages">
              <SmsSimulatorPage />
            </Guard>
          }
        />
        <Route
          path="patients/new"
          element={
            <Guard permission="create:patient">
              <RegisterPatientPage />
            </Guard>
          }
        />
        <Route
          path="patients/:id"
          element={
            <Guard permission="read:patient">
              <PatientPage />
            </Guard>
          }
        />
        <Route
          path="cm"
          element={
            <Guard permission="read:cm">
              <CmProgrammePage />
            </Guard>
          }
        />
        <Route
          path="cm/test-day"
          element={
            <Guard permission="write:specimen">
              <TestDayPage />
            </Guard>
          }
        />
        <Route
          path="cm/check-in"
          element={
            <Guard permission="write:cm-event">
              <CheckInPage />
            </Guard>
          }
        />
        <Route
          path="cm/adjudications"
          element={
            <Guard permission="read:cm">
              <AdjudicationsPage />
            </Guard>
          }
        />
        <Route
          path="cm/draw/:enrolmentId"
          element={
            <Guard permission="read:cm">
              <DrawScreenPage />
            </Guard>
          }
        />
        <Route
          path="staff"
          element={
            <Guard permission="read:staff">
              <StaffPage />
            </Guard>
          }
        />
        <Route
          path="settings"
          element={
            <Guard permission={['manage:organization', 'manage:check-in-settings', 'manage:encounter-settings']}>
              <SettingsPage />
            </Guard>
          }
        />
        <Route
          path="audit"
          element={
            <Guard permission="read:audit">
              <AuditPage />
            </Guard>
          }
        />
        <Route
          path="schedule"
          element={
            <Guard permission="read:schedule">
              <SchedulePage />
            </Guard>
          }
        />
        <Route
          path="encounters/:id"
          element={
            <Guard permission="read:encounter">
              <VisitPage />
            </Guard>
          }
        />
        <Route
          path="groups"
          element={
            <Guard permission="read:schedule">
              <GroupsPage />
            </Guard>
          }
        />
        <Route
          path="groups/new"
          element={
            <Guard permission="write:schedule">
              <NewGroupPage />
            </Guard>
          }
        />
        <Route
          path="groups/:id"
          element={
            <Guard permission="read:schedule">
              <GroupPage />
            </Guard>
          }
        />
        <Route
          path="counselling/today"
          element={
            <Guard permission="read:encounter">
              <CounsellorTodayPage />
            </Guard>
          }
        />
        <Route
          path="counselling/compliance"
          element={
            <Guard permission="read:counselling-compliance">
              <CounsellingCompliancePage />
            </Guard>
          }
        />
        <Route
          path="counselling/caseloads"
          element={
            <Guard permission="read:care-team">
              <CaseloadsPage />
            </Guard>
          }
        />
        <Route
          path="levels-of-care/injections-due"
          element={
            <Guard permission="read:level-of-care">
              <InjectionsDuePage />
            </Guard>
          }
        />
        <Route
          path="notes/cosign"
          element={
            <Guard permission="cosign:progress-note">
              <CosignQueuePage />
            </Guard>
          }
        />
        <Route
          path="naloxone"
          element={
            <Guard permission="read:naloxone">
              <NaloxonePage />
            </Guard>
          }
        />
        <Route
          path="outcomes"
          element={
            <Guard permission="read:outcomes">
              <OutcomesPage />
            </Guard>
          }
        />
        <Route
          path="craft"
          element={
            <Guard permission="read:family">
              <CraftListPage />
            </Guard>
          }
        />
        <Route
          path="craft/:id"
          element={
            <Guard permission="read:family">
              <CraftCoursePage />
            </Guard>
          }
        />
        <Route
          path="peer-outreach"
          element={
            <Guard permission="read:peer-outreach">
              <PeersPage />
            </Guard>
          }
        />
        <Route
          path="peer-outreach/new"
          element={
            <Guard permission="write:peer-outreach">
              <NewPeerReferralPage />
            </Guard>
          }
        />
        <Route
          path="peer-outreach/referrals/:id"
          element={
            <Guard permission="read:peer-outreach">
              <PeerReferralPage />
            </Guard>
          }
        />
        <Route
          path="meetings"
          element={
            <Guard permission="read:meetings">
              <MeetingsPage />
            </Guard>
          }
        />
        <Route
          path="meetings/add"
          element={
            <Guard permission="read:meetings">
              <MeetingsPage />
            </Guard>
          }
        />
        <Route
          path="meetings/sources"
          element={
            <Guard permission="read:meetings">
              <MeetingsPage />
            </Guard>
          }
        />
        <Route
          path="skills"
          element={
            <Guard permission="read:skills">
              <SkillsPage />
            </Guard>
          }
        />
        <Route
          path="skills/homework"
          element={
            <Guard permission="read:skills">
              <SkillsPage />
            </Guard>
          }
        />
        <Route
          path="skills/library"
          element={
            <Guard permission="read:skills">
              <SkillsPage />
            </Guard>
          }
        />
        <Route
          path="skills/library/new"
          element={
            <Guard permission="manage:skills-library">
              <ModuleEditorPage />
            </Guard>
          }
        />
        <Route
          path="skills/library/:key"
          element={
            <Guard permission="manage:skills-library">
              <ModuleEditorPage />
            </Guard>
          }
        />
        <Route
          path="disclosures/exceptions"
          element={
            <Guard permission="read:audit">
              <DisclosureExceptionsPage />
            </Guard>
          }
        />
        <Route path="account" element={<AccountPage />} />
        <Route path="account/password" element={<ChangePasswordPage />} />
        <Route path="account/two-step" element={<TwoStepPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
