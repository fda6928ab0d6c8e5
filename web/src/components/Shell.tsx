// The frame around every signed-in screen: header (programme, account menu),
// navigation built from the user's permissions in the programme, and the main region.
import { Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink as RouterNavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { AppShell, Burger, Button, Center, Group, Loader, Menu, NavLink, Select, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Notifications, notifications } from '@mantine/notifications';
import type { AnyPermission } from '../../../core/access/roles.ts';
import { api } from '../api.ts';
import { setLanguage } from '../i18n/index.ts';
import { useSession } from '../session.tsx';
import { IdleWatcher } from './IdleWatcher.tsx';
import { useErrorText } from './forms.tsx';

/**
 * A screen in the navigation, shown to whoever holds its permission (or any one of several;
 * `labelKeys` then names it by the first of them the user holds: what the screen shows them).
 */
export type NavItem = { to: string; labelKey: string; permission: AnyPermission | readonly AnyPermission[]; labelKeys?: readonly string[] };
/** Whether `can` allows a nav item's permission (any one of a list). */
export const allows = (can: (p: AnyPermission) => boolean, p: NavItem['permission']) => (typeof p === 'string' ? can(p) : p.some(can));
const labelOf = (can: (p: AnyPermission) => boolean, n: NavItem) => (typeof n.permission === 'string' || !n.labelKeys ? n.labelKey : (n.labelKeys[n.permission.findIndex(can)] ?? n.labelKey));

export const NAV_ITEMS: NavItem[] = [
  { to: '/patients', labelKey: 'nav.patients', permission: 'read:patient' },
  { to: '/counselling/today', labelKey: 'nav.myDay', permission: 'read:encounter' },
  { to: '/schedule', labelKey: 'nav.schedule', permission: 'read:schedule' },
  { to: '/notes/cosign', labelKey: 'nav.cosign', permission: 'cosign:progress-note' },
  { to: '/counselling/compliance', labelKey: 'nav.compliance', permission: 'read:counselling-compliance' },
  { to: '/counselling/caseloads', labelKey: 'nav.caseloads', permission: 'read:care-team' },
  { to: '/levels-of-care/injections-due', labelKey: 'levelsOfCare.due.title', permission: 'read:level-of-care' },
  { to: '/skills', labelKey: 'nav.skills', permission: 'read:skills' },
  { to: '/meetings', labelKey: 'meetings.nav', permission: 'read:meetings' },
  { to: '/peer-outreach', labelKey: 'peers.nav', permission: 'read:peer-outreach' },
  { to: '/naloxone', labelKey: 'naloxone.nav', permission: 'read:naloxone' },
  { to: '/craft', labelKey: 'craft.nav', permission: 'read:family' },
  { to: '/cm/test-day', labelKey: 'nav.testDay', permission: 'write:specimen' },
  { to: '/cm/check-in', labelKey: 'nav.checkIn', permission: 'write:cm-event' },
  { to: '/cm/adjudications', labelKey: 'nav.adjudications', permission: 'adjudicate:specimen' },
  { to: '/cm', labelKey: 'nav.cm', permission: 'read:cm' },
  { to: '/messages', labelKey: 'outbox.nav', permission: 'read:messages' },
  { to: '/staff', labelKey: 'nav.staff', permission: 'read:staff' },
  {
    to: '/settings',
    labelKey: 'nav.settings',
    permission: ['manage:organization', 'manage:check-in-settings', 'manage:encounter-settings'],
    labelKeys: ['nav.settings', 'checkIns.settings.title', 'nav.settings'],
  },
  { to: '/audit', labelKey: 'nav.audit', permission: 'read:audit' },
  { to: '/disclosures/exceptions', labelKey: 'consent.review.nav', permission: 'read:audit' },
  { to: '/outcomes', labelKey: 'outcomes.nav', permission: 'read:outcomes' },
];

/**
 * Where a user lands: the first screen of their work their permissions open. The staff
 * directory is a reference nearly every role may read, not anyone's work, so it is the
 * landing only of those with nothing else (an auditor lands on the audit trail).
 */
export function landingPath(can: (p: AnyPermission) => boolean): string {
  const work = NAV_ITEMS.filter((n) => n.permission !== 'read:staff');
  return (work.find((n) => allows(can, n.permission)) ?? NAV_ITEMS.find((n) => allows(can, n.permission)))?.to ?? '/account';
}

export function useLandingPath(): string {
  const { can } = useSession();
  return landingPath(can);
}

export function Shell() {
  const { t, i18n } = useTranslation();
  const { me, program, can, switchProgram } = useSession();
  const [opened, { toggle, close }] = useDisclosure(false);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const location = useLocation();

  const signOut = async (everywhere: boolean) => {
    try {
      await (everywhere ? api.signOutEverywhere() : api.signOut());
    } catch (err) {
      notifications.show({ color: 'red', message: errorText(err) });
      return;
    }
    queryClient.clear();
    navigate('/sign-in', { replace: true, state: { message: everywhere ? 'signedOutEverywhere' : 'signedOut' } });
  };

  const items = NAV_ITEMS.filter((n) => allows(can, n.permission));

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <a className="skip-link" href="#main">
        {t('shell.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('shell.toggleNavigation')} aria-expanded={opened} />
            <Text component={Link} to="/" fw={700} fz="lg" c="inherit" td="none" aria-label={t('shell.home')}>
              {t('app.name')}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            {me.programs.length > 1 ? (
              <Select
                aria-label={t('shell.program')}
                data={me.programs.map((p) => ({ value: p.id, label: p.name }))}
                value={program?.id ?? null}
                allowDeselect={false}
                onChange={(v) => {
                  if (v && v !== program?.id) {
                    switchProgram(v);
                    navigate('/', { replace: false });
                  }
                }}
                w={{ base: 170, sm: 260 }}
                comboboxProps={{ withinPortal: true }}
              />
            ) : program ? (
              <Text size="sm" visibleFrom="xs">
                {program.name}
              </Text>
            ) : null}
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button variant="default" aria-label={t('shell.accountMenuFor', { name: me.user.displayName })}>
                  <Text size="sm" truncate maw={{ base: 90, sm: 200 }}>
                    {me.user.displayName}
                  </Text>
                  <span aria-hidden="true">&nbsp;▾</span>
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{me.user.email}</Menu.Label>
                <Menu.Item component={Link} to="/account/password">
                  {t('shell.changePassword')}
                </Menu.Item>
                <Menu.Item component={Link} to="/account/two-step">
                  {me.user.mfaEnabled ? t('shell.twoStepOn') : t('shell.setUpTwoStep')}
                </Menu.Item>
                <Menu.Item onClick={() => setLanguage(i18n.language === 'es' ? 'en' : 'es')} lang={i18n.language === 'es' ? 'en' : 'es'}>
                  {i18n.language === 'es' ? 'English' : 'Español'}
                </Menu.Item>
                <Menu.Divider />
                <Menu.Item onClick={() => void signOut(false)}>{t('shell.signOut')}</Menu.Item>
                <Menu.Item onClick={() => void signOut(true)}>{t('shell.signOutEverywhere')}</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('shell.mainNavigation')} style={{ overflowY: 'auto' }}>
        <Stack gap={2}>
          {items.map((n) => (
            <NavLink
              key={n.to}
              component={RouterNavLink}
              to={n.to}
              end={n.to === '/cm'}
              label={t(labelOf(can, n))}
              active={location.pathname === n.to || (n.to !== '/cm' && location.pathname.startsWith(`${n.to}/`))}
              onClick={close}
            />
          ))}
        </Stack>
        {program || me.organization.roles.length > 0 ? (
          <Text size="xs" c="dimmed" mt="auto" p="xs">
            {t('shell.yourRoles', { roles: [...(program?.roles ?? []), ...me.organization.roles].map((r) => t(`roles.${r}`)).join(', ') })}
          </Text>
        ) : null}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        {/* Organisation settings need no programme: an organisation administrator may hold none. */}
        {program || location.pathname.startsWith('/account') || (location.pathname === '/settings' && can('manage:organization')) ? (
          // a page's code loads on first visit (Console.tsx); the frame stays while it does
          <Suspense
            fallback={
              <Center p="xl">
                <Loader aria-label={t('common.loading')} />
              </Center>
            }
          >
            <Outlet />
          </Suspense>
        ) : (
          <NoProgram />
        )}
      </AppShell.Main>
      <IdleWatcher idleTimeoutMinutes={me.organization.idleTimeoutMinutes} />
      {/* toasts belong to the console (the sign-in page and the tablet show none) */}
      <Notifications position="bottom-right" limit={3} />
    </AppShell>
  );
}

function NoProgram(): ReactNode {
  const { t } = useTranslation();
  const { can } = useSession();
  return <Text>{t(can('manage:organization') ? 'shell.orgAdminOnly' : 'shell.noProgram')}</Text>;
}
