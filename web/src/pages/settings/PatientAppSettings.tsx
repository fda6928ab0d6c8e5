// The programme's patient-app settings, for its administrators: how many idle minutes lock
// the app (1–15; the server checks, core/access/patient-app.ts).
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Card, Group, NumberInput, Stack, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { PATIENT_IDLE_LIMITS } from '../../../../core/access/patient-app.ts';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { usePatientAppSettings, useSavePatientAppSettings } from '../../queries/patient-app.ts';

export function PatientAppSettingsSection() {
  const { t } = useTranslation();
  const settings = usePatientAppSettings();
  const save = useSavePatientAppSettings();
  const [idle, setIdle] = useState<number | string>('');
  useEffect(() => {
    if (settings.data) setIdle(settings.data.idleMinutes);
  }, [settings.data]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ idleMinutes: Number(idle) }, { onSuccess: () => notifications.show({ color: 'teal', message: t('patientAppSettings.saved') }) });
  };

  return (
    <Card withBorder padding="lg" data-testid="patient-app-settings">
      <form onSubmit={submit} noValidate aria-labelledby="patient-app-settings-title">
        <Stack>
          <Title order={2} size="h4" id="patient-app-settings-title">
            {t('patientAppSettings.title')}
          </Title>
          <ErrorAlert error={settings.error ?? save.error} />
          <NumberInput
            label={t('patientAppSettings.idle')}
            description={t('patientAppSettings.idleHint')}
            value={idle}
            onChange={setIdle}
            min={PATIENT_IDLE_LIMITS.min}
            max={PATIENT_IDLE_LIMITS.max}
            allowDecimal={false}
            required
            error={fieldError(save.error, 'idleMinutes')}
            w={{ base: '100%', xs: 260 }}
          />
          <Group>
            <Button type="submit" loading={save.isPending} disabled={!settings.data}>
              {t('patientAppSettings.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
