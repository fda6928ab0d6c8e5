// Settings: the organisation's (automatic sign-out after inactivity, the longest a sign-in
// lasts, whether two-step sign-in is required for everyone), for organisation
// administrators; and the programme's check-in risk rules, patient-app idle lock and Help now
// settings, for its administrators.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Checkbox, Group, NumberInput, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { api, type OrganizationSettingsT } from '../api.ts';
import { useSession } from '../session.tsx';
import { PageTitle } from '../components/common.tsx';
import { ErrorAlert, fieldError, useAction } from '../components/forms.tsx';
import { RiskRulesSection } from './settings/RiskRules.tsx';
import { HelpSettingsSection } from './settings/HelpSettings.tsx';
import { PatientAppSettingsSection } from './settings/PatientAppSettings.tsx';
import { EncounterSettingsSection } from './encounters/EncounterSettings.tsx';

export function SettingsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  // a programme administrator who is not an organisation administrator sees the programme's rules only
  const title = can('manage:organization') ? t('settings.title') : t('checkIns.settings.title');
  return (
    <Stack maw={640}>
      <PageTitle title={title}>{title}</PageTitle>
      {can('manage:organization') ? <OrganizationSettingsSection /> : null}
      {can('manage:check-in-settings') ? <RiskRulesSection /> : null}
      {can('manage:patient-app-settings') ? <PatientAppSettingsSection /> : null}
      {can('manage:help-settings') ? <HelpSettingsSection /> : null}
      {can('manage:encounter-settings') ? <EncounterSettingsSection /> : null}
    </Stack>
  );
}

function OrganizationSettingsSection() {
  const { t } = useTranslation();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: ['organization-settings'], queryFn: api.organizationSettings });
  const [values, setValues] = useState<OrganizationSettingsT | null>(null);
  const { busy, error, run } = useAction();

  useEffect(() => {
    if (settings.data && !values) setValues(settings.data);
  }, [settings.data, values]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!values) return;
    void run(async () => {
      const saved = await api.saveOrganizationSettings(values);
      queryClient.setQueryData(['organization-settings'], saved);
      setValues(saved);
      void queryClient.invalidateQueries({ queryKey: ['me'] });
      notifications.show({ color: 'teal', message: t('settings.saved') });
    });
  };

  return (
    <Stack>
      <Text c="dimmed" size="sm">
        {t('settings.intro', { organization: me.organization.name })}
      </Text>
      <ErrorAlert error={settings.error} />
      {values ? (
        <Card withBorder padding="lg">
          <form onSubmit={submit} noValidate>
            <Stack>
              <ErrorAlert error={error} />
              <NumberInput
                label={t('settings.idleTimeout')}
                description={t('settings.idleTimeoutHint')}
                value={values.idleTimeoutMinutes}
                onChange={(v) => setValues({ ...values, idleTimeoutMinutes: typeof v === 'number' ? v : Number(v) || 0 })}
                min={2}
                max={240}
                allowDecimal={false}
                required
                error={fieldError(error, 'idleTimeoutMinutes')}
                w={{ base: '100%', xs: 260 }}
              />
              <NumberInput
                label={t('settings.sessionLifetime')}
                description={t('settings.sessionLifetimeHint')}
                value={values.sessionLifetimeHours}
                onChange={(v) => setValues({ ...values, sessionLifetimeHours: typeof v === 'number' ? v : Number(v) || 0 })}
                min={1}
                max={24}
                allowDecimal={false}
                required
                error={fieldError(error, 'sessionLifetimeHours')}
                w={{ base: '100%', xs: 260 }}
              />
              <Checkbox
                label={t('settings.mfaRequired')}
                description={t('settings.mfaRequiredHint')}
                checked={values.mfaRequired}
                onChange={(e) => setValues({ ...values, mfaRequired: e.currentTarget.checked })}
                error={fieldError(error, 'mfaRequired')}
              />
              <Group>
                <Button type="submit" loading={busy}>
                  {t('common.save')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Card>
      ) : settings.isPending ? (
        <Text c="dimmed">{t('common.loading')}</Text>
      ) : null}
    </Stack>
  );
}
