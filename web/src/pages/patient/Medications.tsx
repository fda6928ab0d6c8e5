// Medication for OUD: the history, adding a medication, recording its end.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Group, Modal, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { MEDICATIONS } from '../../../../contracts/patients.ts';
import { api, type MedicationT } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatDate, todayIn } from '../../format.ts';
import { StatusBadge, TableHead } from '../../components/common.tsx';
import { ErrorAlert, fieldError, useAction } from '../../components/forms.tsx';
import { Section } from '../../components/Section.tsx';
import { useStaffList } from './useStaffList.ts';

const OTHER = '__other__';

export function MedicationSection({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const key = ['patients', program?.id, 'medications', patientId];
  const meds = useQuery({ queryKey: key, queryFn: () => api.medications(patientId) });
  const [adding, setAdding] = useState(false);
  const [ending, setEnding] = useState<MedicationT | null>(null);
  const canWrite = can('write:medication');

  return (
    <Section
      title={t('medications.title')}
      permission="read:medication"
      testId="medications"
      actions={
        canWrite && !adding ? (
          <Button size="xs" variant="light" onClick={() => setAdding(true)}>
            {t('medications.add')}
          </Button>
        ) : null
      }
    >
      <ErrorAlert error={meds.error} />
      {adding ? <AddMedication patientId={patientId} onClose={() => setAdding(false)} queryKey={key} /> : null}
      {meds.data && meds.data.items.length === 0 ? <Text c="dimmed">{t('medications.none')}</Text> : null}
      {meds.data && meds.data.items.length > 0 ? (
        <Table.ScrollContainer minWidth={520}>
          <Table verticalSpacing="xs">
            <TableHead labels={[t('medications.medication'), t('medications.dose'), t('medications.dates'), t('medications.prescriber')]} actions={canWrite} />
            <Table.Tbody>
              {meds.data.items.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>
                    <Stack gap={2}>
                      <Text size="sm" fw={600}>
                        {t(`medications.kinds.${m.medication}`)}
                      </Text>
                      {m.endedOn ? <StatusBadge tone="neutral">{t('medications.ended')}</StatusBadge> : <StatusBadge tone="ok">{t('medications.current')}</StatusBadge>}
                    </Stack>
                  </Table.Td>
                  <Table.Td>{m.dose ?? ''}</Table.Td>
                  <Table.Td>
                    {m.endedOn
                      ? t('common.dateRange', { from: formatDate(m.startedOn, i18n.language), to: formatDate(m.endedOn, i18n.language) })
                      : t('common.since', { date: formatDate(m.startedOn, i18n.language) })}
                  </Table.Td>
                  <Table.Td>{m.prescriberName ?? ''}</Table.Td>
                  {canWrite ? (
                    <Table.Td>
                      {!m.endedOn ? (
                        <Button size="xs" variant="default" onClick={() => setEnding(m)} aria-label={t('medications.endLabel', { medication: t(`medications.kinds.${m.medication}`) })}>
                          {t('medications.end')}
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
      {ending ? <EndMedication patientId={patientId} medication={ending} onClose={() => setEnding(null)} queryKey={key} /> : null}
    </Section>
  );
}

function AddMedication({ patientId, onClose, queryKey }: { patientId: string; onClose: () => void; queryKey: unknown[] }) {
  const { t } = useTranslation();
  const { program } = useSession();
  const queryClient = useQueryClient();
  const staff = useStaffList();
  const prescribers = (staff.data ?? []).filter((s) => s.active && s.roles.includes('prescriber'));
  const [medication, setMedication] = useState<string>('buprenorphine');
  const [dose, setDose] = useState('');
  const [startedOn, setStartedOn] = useState(todayIn(program?.timeZone));
  const [prescriber, setPrescriber] = useState<string>('');
  const [otherName, setOtherName] = useState('');
  const { busy, error, run } = useAction();
  const hasList = staff.isSuccess;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const chosen = prescribers.find((p) => p.id === prescriber);
    void run(async () => {
      await api.addMedication(patientId, {
        medication: medication as MedicationT['medication'],
        dose: dose.trim() || null,
        startedOn,
        prescriberId: chosen?.id ?? null,
        prescriberName: chosen ? chosen.displayName : otherName.trim() || null,
      });
      await queryClient.invalidateQueries({ queryKey });
      notifications.show({ color: 'teal', message: t('medications.added') });
      onClose();
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-label={t('medications.add')}>
      <Stack gap="sm">
        <ErrorAlert error={error} />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NativeSelect
            label={t('medications.medication')}
            value={medication}
            onChange={(e) => setMedication(e.currentTarget.value)}
            data={MEDICATIONS.map((m) => ({ value: m, label: t(`medications.kinds.${m}`) }))}
            error={fieldError(error, 'medication')}
          />
          <TextInput label={t('medications.dose')} description={t('medications.doseHint')} value={dose} onChange={(e) => setDose(e.currentTarget.value)} error={fieldError(error, 'dose')} />
          <TextInput type="date" label={t('medications.startedOn')} value={startedOn} required onChange={(e) => setStartedOn(e.currentTarget.value)} error={fieldError(error, 'startedOn')} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {hasList ? (
            <NativeSelect
              label={t('medications.prescriber')}
              value={prescriber}
              onChange={(e) => setPrescriber(e.currentTarget.value)}
              data={[
                { value: '', label: t('medications.noPrescriber') },
                ...prescribers.map((p) => ({ value: p.id, label: p.displayName })),
                { value: OTHER, label: t('medications.otherPrescriber') },
              ]}
              error={fieldError(error, 'prescriberId')}
            />
          ) : null}
          {!hasList || prescriber === OTHER ? (
            <TextInput label={t('medications.prescriberName')} value={otherName} onChange={(e) => setOtherName(e.currentTarget.value)} error={fieldError(error, 'prescriberName')} />
          ) : null}
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={busy}>
            {t('common.save')}
          </Button>
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function EndMedication({ patientId, medication, onClose, queryKey }: { patientId: string; medication: MedicationT; onClose: () => void; queryKey: unknown[] }) {
  const { t } = useTranslation();
  const { program } = useSession();
  const queryClient = useQueryClient();
  const [endedOn, setEndedOn] = useState(todayIn(program?.timeZone));
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api.endMedication(patientId, medication.id, endedOn);
      await queryClient.invalidateQueries({ queryKey });
      notifications.show({ color: 'teal', message: t('medications.endedSaved') });
      onClose();
    });
  };
  return (
    <Modal opened onClose={onClose} title={t('medications.endTitle', { medication: t(`medications.kinds.${medication.medication}`) })}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={error} />
          <TextInput type="date" label={t('medications.endedOn')} value={endedOn} required data-autofocus onChange={(e) => setEndedOn(e.currentTarget.value)} error={fieldError(error, 'endedOn')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('medications.end')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
