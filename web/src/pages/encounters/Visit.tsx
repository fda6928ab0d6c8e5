// One visit (issue 14): who was booked and what happened to each — attendance for a whole
// group is one save, and for a patient in CM the award shows at once — with moving and
// cancelling it (a reason each time, kept as history) and its notes.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { Button, Card, Group, Modal, NativeSelect, NumberInput, SegmentedControl, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ATTENDANCE, manyPatients, type Attendance } from '../../../../core/encounters/types.ts';
import { newIdempotencyKey, type AttendanceRecordedT, type EncounterT } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatCents, toZonedInput, zonedInputToRfc3339 } from '../../format.ts';
import { PageTitle, TableHead, WhoCanSee } from '../../components/common.tsx';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { useAddParticipant, useCancelEncounter, useEncounter, useRecordAttendance, useRescheduleEncounter } from '../../queries/encounters.ts';
import { NotFoundPage } from '../NotFound.tsx';
import { EncounterNotes } from '../notes/EncounterNotes.tsx';
import { AttendanceBadge, PatientFinder, useTimeOf, useTypeLabel, useWhen, VisitStatus } from './shared.tsx';

export function VisitPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { can } = useSession();
  const visit = useEncounter(id);
  const typeLabel = useTypeLabel();
  const timeOf = useTimeOf();
  const when = useWhen();
  const [moving, setMoving] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  if (visit.error) return <NotFoundPage />;
  const v = visit.data;
  if (!v) return <Text c="dimmed">{t('encounters.loading')}</Text>;
  const open = v.status === 'scheduled';
  const many = manyPatients(v.category);
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <div>
          <PageTitle title={t('encounters.visit')}>{v.title ?? typeLabel(v.typeLabel)}</PageTitle>
          <Text c="dimmed">{[v.title ? typeLabel(v.typeLabel) : null, `${when(v.startsAt)}–${timeOf(v.endsAt)}`].filter(Boolean).join(' · ')}</Text>
          <Text c="dimmed" size="sm">
            {[v.staff.name, v.room?.name, t(`encounters.modality.${v.modality}`)].filter(Boolean).join(' · ')}
          </Text>
        </div>
        <Group gap="xs">
          <VisitStatus status={v.status} />
          {open && can('write:schedule') ? (
            <>
              <Button variant="default" onClick={() => setMoving(true)}>
                {t('encounters.reschedule')}
              </Button>
              <Button variant="default" color="red" onClick={() => setCancelling(true)}>
                {t('encounters.cancelVisit')}
              </Button>
            </>
          ) : null}
          {v.seriesId ? (
            <Button variant="subtle" component={Link} to={`/groups/${v.seriesId}`}>
              {t('encounters.theGroup')}
            </Button>
          ) : null}
          <Button variant="subtle" component={Link} to="/schedule">
            {t('encounters.backToSchedule')}
          </Button>
        </Group>
      </Group>
      {v.status === 'cancelled' ? <Text>{t('encounters.cancelledBecause', { by: t(`encounters.cancelledBy.${v.cancelledBy ?? 'clinic'}`), reason: v.cancelReason ?? '' })}</Text> : null}
      <AttendanceCard visit={v} />
      {open && many && can('write:schedule') ? <AddPerson visit={v} /> : null}
      {can('read:progress-note') ? (
        <EncounterNotes encounterId={v.id} group={v.category === 'group'} participants={v.participants.filter((p) => !p.cancelled).map((p) => ({ patientId: p.patientId, name: p.name }))} />
      ) : null}
      {v.changes.length > 0 ? (
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">
            {t('encounters.history')}
          </Title>
          <Stack gap={4}>
            {v.changes.map((c, i) => (
              <Text key={i} size="sm">
                {c.kind === 'rescheduled' ? t('encounters.movedFrom', { from: when(c.fromStartsAt ?? ''), to: when(c.toStartsAt ?? '') }) : t('encounters.cancelledEntry')} — {c.reason} (
                {c.by ?? t('encounters.someone')}, {when(c.at)})
              </Text>
            ))}
          </Stack>
        </Card>
      ) : null}
      <Modal opened={moving} onClose={() => setMoving(false)} title={t('encounters.reschedule')}>
        <RescheduleForm visit={v} onDone={() => setMoving(false)} />
      </Modal>
      <Modal opened={cancelling} onClose={() => setCancelling(false)} title={t('encounters.cancelVisit')}>
        <CancelForm visit={v} onDone={() => setCancelling(false)} />
      </Modal>
    </Stack>
  );
}

const CM_TEXT: Record<string, string> = {
  earned: 'encounters.cm.earned',
  'not-earned': 'encounters.cm.notEarned',
  'no-opportunity': 'encounters.cm.noOpportunity',
  'not-enrolled': 'encounters.cm.notEnrolled',
  'not-rewarded': 'encounters.cm.notRewarded',
  'day-already-recorded': 'encounters.cm.dayAlready',
  'recorded-before': 'encounters.cm.recordedBefore',
};

function AttendanceCard({ visit }: { visit: EncounterT }) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const timeOf = useTimeOf();
  const record = useRecordAttendance(visit.id);
  const [key, setKey] = useState(newIdempotencyKey);
  const [chosen, setChosen] = useState<Record<string, Attendance>>({});
  const [result, setResult] = useState<AttendanceRecordedT | null>(null);
  const pending = visit.participants.filter((p) => p.attendance === null);
  const started = new Date(visit.startsAt).getTime() <= Date.now();
  const mayRecord = can('write:attendance') && visit.status !== 'cancelled' && pending.length > 0;
  const everyone = (a: Attendance) => setChosen(Object.fromEntries(pending.map((p) => [p.patientId, a])));
  const save = () => {
    const records = pending.filter((p) => chosen[p.patientId]).map((p) => ({ patientId: p.patientId, attendance: chosen[p.patientId]! }));
    record.mutate(
      { body: { records }, key },
      {
        onSuccess: (out) => {
          setResult(out);
          setChosen({});
          setKey(newIdempotencyKey());
          notifications.show({ color: 'teal', message: t('encounters.attendanceSaved', { count: out.results.length }) });
        },
      },
    );
  };
  const resultOf = (patientId: string) => result?.results.find((r) => r.patientId === patientId);
  return (
    <Card withBorder data-testid="attendance">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          {t('encounters.attendance')}
        </Title>
        {mayRecord && pending.length > 1 ? (
          <Group gap="xs">
            <Button size="xs" variant="light" onClick={() => everyone('attended')}>
              {t('encounters.everyoneAttended')}
            </Button>
          </Group>
        ) : null}
      </Group>
      <WhoCanSee permission="read:encounter" />
      <ErrorAlert error={record.error} />
      {mayRecord && !started ? (
        <Text size="sm" c="dimmed">
          {t('encounters.notStartedYet')}
        </Text>
      ) : null}
      <Table.ScrollContainer minWidth={560}>
        <Table verticalSpacing="xs">
          <TableHead labels={[t('encounters.person'), t('encounters.attendance'), t('encounters.cmColumn')]} />
          <Table.Tbody>
            {visit.participants.map((p) => {
              const r = resultOf(p.patientId);
              return (
                <Table.Tr key={p.patientId} data-testid={`attendance-${p.patientId}`}>
                  <Table.Td>
                    <Text component={Link} to={`/patients/${p.patientId}`} size="sm" td="underline">
                      {p.name}
                    </Text>
                    {p.arrivedAt ? (
                      <Text size="xs" c="dimmed">
                        {t('encounters.arrivedAt', { time: timeOf(p.arrivedAt) })}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    {p.attendance ? (
                      <AttendanceBadge attendance={p.attendance} />
                    ) : mayRecord ? (
                      <NativeSelect
                        aria-label={t('encounters.attendanceOf', { name: p.name })}
                        value={chosen[p.patientId] ?? ''}
                        onChange={(e) => setChosen({ ...chosen, [p.patientId]: e.currentTarget.value as Attendance })}
                        data={[{ value: '', label: t('encounters.choose') }, ...ATTENDANCE.map((a) => ({ value: a, label: t(`encounters.attendanceValue.${a}`) }))]}
                        w={200}
                      />
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('encounters.notRecorded')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {r ? (
                      <Text size="sm" data-testid={`cm-${p.patientId}`}>
                        {t(CM_TEXT[r.cm.posted] ?? 'encounters.cm.noOpportunity', { amount: formatCents(r.cm.earnedCents, i18n.language) })}
                        {r.cm.newDraws > 0 ? ` + ${t('encounters.cm.draws', { count: r.cm.newDraws })}` : null}
                      </Text>
                    ) : p.cmEventId ? (
                      <Text size="sm">{t('encounters.cm.posted')}</Text>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {mayRecord ? (
        <Group justify="flex-end" mt="sm">
          <Button onClick={save} loading={record.isPending} disabled={!started || Object.keys(chosen).length === 0}>
            {t('encounters.saveAttendance', { count: Object.keys(chosen).length })}
          </Button>
        </Group>
      ) : null}
    </Card>
  );
}

function AddPerson({ visit }: { visit: EncounterT }) {
  const { t } = useTranslation();
  const add = useAddParticipant(visit.id);
  return (
    <Card withBorder>
      <ErrorAlert error={add.error} />
      <PatientFinder label={t('encounters.addPerson')} exclude={visit.participants.map((p) => p.patientId)} onPick={(p) => add.mutate(p.id)} />
    </Card>
  );
}

function RescheduleForm({ visit, onDone }: { visit: EncounterT; onDone: () => void }) {
  const { t } = useTranslation();
  const { program } = useSession();
  const move = useRescheduleEncounter(visit.id);
  const [startsAt, setStartsAt] = useState(toZonedInput(new Date(visit.startsAt), program?.timeZone));
  const [minutes, setMinutes] = useState<number | string>((Date.parse(visit.endsAt) - Date.parse(visit.startsAt)) / 60_000);
  const [reason, setReason] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    move.mutate({ startsAt: zonedInputToRfc3339(startsAt, program?.timeZone) ?? startsAt, durationMinutes: Number(minutes), reason, version: visit.version }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <ErrorAlert error={move.error} />
        <TextInput type="datetime-local" label={t('encounters.startsAt')} value={startsAt} onChange={(e) => setStartsAt(e.currentTarget.value)} required error={fieldError(move.error, 'startsAt')} />
        <NumberInput label={t('encounters.minutes')} value={minutes} onChange={setMinutes} min={5} max={480} allowDecimal={false} />
        <Textarea label={t('encounters.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required error={fieldError(move.error, 'reason')} />
        <Group justify="flex-end">
          <Button type="submit" loading={move.isPending}>
            {t('encounters.reschedule')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function CancelForm({ visit, onDone }: { visit: EncounterT; onDone: () => void }) {
  const { t } = useTranslation();
  const cancel = useCancelEncounter(visit.id);
  const [by, setBy] = useState<'patient' | 'clinic'>('patient');
  const [reason, setReason] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    cancel.mutate({ by, reason, version: visit.version }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <ErrorAlert error={cancel.error} />
        <SegmentedControl
          value={by}
          onChange={(v) => setBy(v as 'patient' | 'clinic')}
          data={(['patient', 'clinic'] as const).map((b) => ({ value: b, label: t(`encounters.cancelledBy.${b}`) }))}
          aria-label={t('encounters.whoCancelled')}
        />
        <Textarea label={t('encounters.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required error={fieldError(cancel.error, 'reason')} />
        <Group justify="flex-end">
          <Button type="submit" color="red" loading={cancel.isPending}>
            {t('encounters.cancelVisit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
