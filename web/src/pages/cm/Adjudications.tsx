// Possible carry-over: a positive within the substance's window after an earlier positive
// pays nothing until someone decides "carry-over" (excused) or "new use" (a failure).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Group, Radio, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { api, newIdempotencyKey, type AdjudicationQueueItemT } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatDateTime } from '../../format.ts';
import { PageTitle, WhoCanSee } from '../../components/common.tsx';
import { ErrorAlert, fieldError, useAction } from '../../components/forms.tsx';

export function AdjudicationsPage() {
  const { t } = useTranslation();
  const { program } = useSession();
  const q = useQuery({ queryKey: ['cm', program?.id, 'adjudications'], queryFn: api.adjudications });
  const items = q.data?.items ?? [];
  return (
    <Stack>
      <PageTitle title={t('adjudications.title')}>{t('adjudications.title')}</PageTitle>
      <Text size="sm" c="dimmed">
        {t('adjudications.intro')}
      </Text>
      <WhoCanSee permission="read:cm" />
      <ErrorAlert error={q.error} />
      {q.data && items.length === 0 ? <Text>{t('adjudications.none')}</Text> : null}
      {items.map((s) => (
        <AdjudicationCard key={s.id} specimen={s} />
      ))}
    </Stack>
  );
}

function AdjudicationCard({ specimen }: { specimen: AdjudicationQueueItemT }) {
  const { t, i18n } = useTranslation();
  const { program, can } = useSession();
  const queryClient = useQueryClient();
  const [decision, setDecision] = useState<'carry-over' | 'new-use' | ''>('');
  const [reason, setReason] = useState('');
  const [key] = useState(newIdempotencyKey);
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!decision) return;
    void run(async () => {
      await api.adjudicate(specimen.id, { decision, reason }, key);
      notifications.show({ color: 'teal', message: t('adjudications.saved') });
      await queryClient.invalidateQueries({ queryKey: ['cm', program?.id] });
    });
  };
  const positives = specimen.results.filter((r) => r.result === 'positive');
  return (
    <Card withBorder component="section" aria-label={t('adjudications.cardLabelFor', { name: specimen.displayName })}>
      <Stack gap="xs">
        <Group justify="space-between">
          <div>
            <Title order={2} size="h5" data-testid="adjudication-patient">
              {specimen.displayName}
            </Title>
            <Text size="xs" c="dimmed">
              {t('adjudications.mrn', { mrn: specimen.mrn })}
            </Text>
          </div>
          <Button size="xs" variant="subtle" component={Link} to={`/patients/${specimen.patientId}?tab=cm`}>
            {t('testDay.openPatient')}
          </Button>
        </Group>
        <Text size="sm">{t('adjudications.collected', { when: formatDateTime(specimen.at, i18n.language, program?.timeZone) })}</Text>
        <Table>
          <Table.Tbody>
            {positives.map((r) => (
              <Table.Tr key={r.analyte}>
                <Table.Td>{t(`analytes.${r.analyte}`, { defaultValue: r.analyte })}</Table.Td>
                <Table.Td>+ {t('testDay.positive')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {can('adjudicate:specimen') ? (
          <form onSubmit={submit} noValidate>
            <Stack gap="xs">
              <ErrorAlert error={error} />
              <Radio.Group label={t('adjudications.decision')} value={decision} onChange={(v) => setDecision(v as 'carry-over' | 'new-use')} required error={fieldError(error, 'decision')}>
                <Group mt={4}>
                  <Radio value="carry-over" label={t('adjudications.carryOver')} />
                  <Radio value="new-use" label={t('adjudications.newUse')} />
                </Group>
              </Radio.Group>
              <TextInput label={t('adjudications.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required error={fieldError(error, 'reason')} />
              <Group>
                <Button type="submit" loading={busy} disabled={!decision}>
                  {t('adjudications.decide')}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : null}
      </Stack>
    </Card>
  );
}
