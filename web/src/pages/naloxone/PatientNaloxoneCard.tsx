// Naloxone on the patient page (issue 15): the kits the patient got (lot, expiry, trained),
// the training steps covered, a note when they have no kit in date, and "Give a kit". The lead
// places it on the patient page: <PatientNaloxoneCard patientId=… />.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { StatusBadge } from '../../components/common.tsx';
import { TRAINING_STEPS, trainingSteps } from '../../../../core/naloxone/steps.ts';
import { useSession } from '../../session.tsx';
import { formatDate } from '../../format.ts';
import { ErrorAlert } from '../../components/forms.tsx';
import { GiveKitModal } from './GiveKitModal.tsx';
import { usePatientNaloxone } from './queries.ts';

export function PatientNaloxoneCard({ patientId }: { patientId: string }) {
  const { can } = useSession();
  return can('read:naloxone') ? <Inner patientId={patientId} /> : null;
}

function Inner({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const q = usePatientNaloxone(patientId);
  const [giving, setGiving] = useState(false);
  const steps = trainingSteps(i18n.language.startsWith('es') ? 'es' : 'en');
  const d = q.data;
  return (
    <Card withBorder data-testid="patient-naloxone">
      <Group justify="space-between">
        <Title order={3}>{t('naloxone.patient.title')}</Title>
        {can('write:naloxone') ? <Button onClick={() => setGiving(true)}>{t('naloxone.give.title')}</Button> : null}
      </Group>
      <ErrorAlert error={q.error} />
      {d ? (
        <Stack gap="xs" mt="sm">
          {d.needsKit ? <StatusBadge tone="warn">{t('naloxone.patient.needsKit')}</StatusBadge> : null}
          {d.kits.length === 0 ? <Text c="dimmed">{t('naloxone.patient.none')}</Text> : null}
          {d.kits.map((k) => (
            <Text key={k.id}>
              {t('naloxone.patient.kit', { date: formatDate(k.givenOn, i18n.language), lot: k.lotNumber, expires: formatDate(k.expiresOn, i18n.language) })}{' '}
              {k.trained ? <StatusBadge tone="ok">{t('naloxone.trained')}</StatusBadge> : null}
            </Text>
          ))}
          <Text size="sm">
            {t('naloxone.patient.steps', { n: d.stepsCovered.length, of: TRAINING_STEPS.length })}
            {d.stepsCovered.length > 0
              ? `: ${steps
                  .filter((s) => d.stepsCovered.includes(s.key))
                  .map((s) => s.title)
                  .join(', ')}`
              : ''}
          </Text>
        </Stack>
      ) : null}
      <GiveKitModal opened={giving} onClose={() => setGiving(false)} patientId={patientId} />
    </Card>
  );
}
