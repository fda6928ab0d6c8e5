// Episodes of care: admit (open an episode at a level of care) and discharge.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Group, Modal, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { LEVELS_OF_CARE } from '../../../../contracts/patients.ts';
import { api, type EpisodeT } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatDate, todayIn } from '../../format.ts';
import { StatusBadge, TableHead } from '../../components/common.tsx';
import { ErrorAlert, fieldError, useAction } from '../../components/forms.tsx';
import { Section } from '../../components/Section.tsx';

export function EpisodesSection({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const key = ['patients', program?.id, 'episodes', patientId];
  const episodes = useQuery({ queryKey: key, queryFn: () => api.episodes(patientId) });
  const [admitting, setAdmitting] = useState(false);
  const [discharging, setDischarging] = useState<EpisodeT | null>(null);
  const canWrite = can('write:episode');

  return (
    <Section
      title={t('episodes.title')}
      permission="read:episode"
      testId="episodes"
      actions={
        canWrite && !admitting ? (
          <Button size="xs" variant="light" onClick={() => setAdmitting(true)}>
            {t('episodes.admit')}
          </Button>
        ) : null
      }
    >
      <ErrorAlert error={episodes.error} />
      {admitting ? <Admit patientId={patientId} queryKey={key} onClose={() => setAdmitting(false)} /> : null}
      {episodes.data && episodes.data.items.length === 0 ? <Text c="dimmed">{t('episodes.none')}</Text> : null}
      {episodes.data && episodes.data.items.length > 0 ? (
        <Table.ScrollContainer minWidth={520}>
          <Table verticalSpacing="xs">
            <TableHead labels={[t('episodes.levelOfCare'), t('episodes.dates'), t('episodes.dischargeReason')]} actions={canWrite} />
            <Table.Tbody>
              {episodes.data.items.map((ep) => (
                <Table.Tr key={ep.id}>
                  <Table.Td>
                    <Stack gap={2}>
                      <Text size="sm" fw={600}>
                        {t(`episodes.levels.${ep.levelOfCare}`)}
                      </Text>
                      {ep.dischargedOn ? <StatusBadge tone="neutral">{t('episodes.closed')}</StatusBadge> : <StatusBadge tone="ok">{t('episodes.open')}</StatusBadge>}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    {ep.dischargedOn
                      ? t('common.dateRange', { from: formatDate(ep.admittedOn, i18n.language), to: formatDate(ep.dischargedOn, i18n.language) })
                      : t('common.since', { date: formatDate(ep.admittedOn, i18n.language) })}
                  </Table.Td>
                  <Table.Td>{ep.dischargeReason ?? ''}</Table.Td>
                  {canWrite ? (
                    <Table.Td>
                      {!ep.dischargedOn ? (
                        <Button size="xs" variant="default" onClick={() => setDischarging(ep)} aria-label={t('episodes.dischargeLabel', { level: t(`episodes.levels.${ep.levelOfCare}`) })}>
                          {t('episodes.discharge')}
                        </Button>
                      ) : null}
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {discharging ? <Discharge patientId={patientId} episode={discharging} queryKey={key} onClose={() => setDischarging(null)} /> : null}
    </Section>
  );
}

function Admit({ patientId, queryKey, onClose }: { patientId: string; queryKey: unknown[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { program } = useSession();
  const queryClient = useQueryClient();
  const [level, setLevel] = useState<string>(LEVELS_OF_CARE[0]);
  const [admittedOn, setAdmittedOn] = useState(todayIn(program?.timeZone));
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api.admit(patientId, { levelOfCare: level as EpisodeT['levelOfCare'], admittedOn });
      await queryClient.invalidateQueries({ queryKey });
      notifications.show({ color: 'teal', message: t('episodes.admitted') });
      onClose();
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-label={t('episodes.admit')}>
      <Stack gap="sm">
        <ErrorAlert error={error} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect
            label={t('episodes.levelOfCare')}
            value={level}
            onChange={(e) => setLevel(e.currentTarget.value)}
            data={LEVELS_OF_CARE.map((l) => ({ value: l, label: t(`episodes.levels.${l}`) }))}
            error={fieldError(error, 'levelOfCare')}
          />
          <TextInput type="date" label={t('episodes.admittedOn')} value={admittedOn} required onChange={(e) => setAdmittedOn(e.currentTarget.value)} error={fieldError(error, 'admittedOn')} />
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={busy}>
            {t('episodes.admit')}
          </Button>
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Discharge({ patientId, episode, queryKey, onClose }: { patientId: string; episode: EpisodeT; queryKey: unknown[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { program } = useSession();
  const queryClient = useQueryClient();
  const [dischargedOn, setDischargedOn] = useState(todayIn(program?.timeZone));
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api.discharge(patientId, episode.id, { dischargedOn, dischargeReason: reason.trim() });
      await queryClient.invalidateQueries({ queryKey });
      notifications.show({ color: 'teal', message: t('episodes.discharged') });
      onClose();
    });
  };
  return (
    <Modal opened onClose={onClose} title={t('episodes.dischargeTitle', { level: t(`episodes.levels.${episode.levelOfCare}`) })}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={error} />
          <TextInput
            type="date"
            label={t('episodes.dischargedOn')}
            value={dischargedOn}
            required
            data-autofocus
            onChange={(e) => setDischargedOn(e.currentTarget.value)}
            error={fieldError(error, 'dischargedOn')}
          />
          <TextInput
            label={t('episodes.dischargeReason')}
            description={t('episodes.reasonHint')}
            value={reason}
            required
            maxLength={200}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={fieldError(error, 'dischargeReason')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('episodes.discharge')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
