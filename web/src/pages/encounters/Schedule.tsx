// The day's schedule (issue 14): every visit of a day on the programme's clock, who is
// booked and who has arrived. The front desk works from it — check people in, book, move
// and cancel — and sees no clinical detail; a clinician opens a visit from it to record
// attendance and write the note.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Badge, Button, Card, Chip, Group, Modal, NativeSelect, NumberInput, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { MODALITIES, manyPatients, type Modality } from '../../../../core/encounters/types.ts';
import { newIdempotencyKey, type ScheduledVisitT } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatDate, todayIn, toZonedInput, zonedInputToRfc3339 } from '../../format.ts';
import { PageTitle, StatusBadge, TableHead, WhoCanSee } from '../../components/common.tsx';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { useBookEncounter, useEncounterTypes, useRecordArrival, useRooms, useSchedule } from '../../queries/encounters.ts';
import { PeoplePicker, useStaffOptions, useTimeOf, useTypeLabel, VisitStatus, type Picked } from './shared.tsx';

const shiftDay = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export function SchedulePage() {
  const { t, i18n } = useTranslation();
  const { program, can, me } = useSession();
  const today = todayIn(program?.timeZone);
  const [date, setDate] = useState(today);
  const [mine, setMine] = useState(false);
  const [booking, setBooking] = useState(false);
  const schedule = useSchedule(date, mine ? me.user.id : undefined);
  const timeOf = useTimeOf();
  const typeLabel = useTypeLabel();
  const arrive = useRecordArrival();
  const items = schedule.data?.items ?? [];

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <PageTitle title={t('encounters.schedule')}>{t('encounters.schedule')}</PageTitle>
          <Text c="dimmed">{formatDate(date, i18n.language)}</Text>
        </div>
        <Group gap="xs">
          <Button variant="default" onClick={() => setDate(shiftDay(date, -1))} aria-label={t('encounters.previousDay')}>
            ←
          </Button>
          <Button variant="default" onClick={() => setDate(today)} disabled={date === today}>
            {t('encounters.today')}
          </Button>
          <Button variant="default" onClick={() => setDate(shiftDay(date, 1))} aria-label={t('encounters.nextDay')}>
            →
          </Button>
          <TextInput type="date" aria-label={t('encounters.date')} value={date} onChange={(e) => e.currentTarget.value && setDate(e.currentTarget.value)} w={160} />
          <Chip checked={mine} onChange={setMine}>
            {t('encounters.onlyMine')}
          </Chip>
          {can('write:schedule') ? <Button onClick={() => setBooking(true)}>{t('encounters.book')}</Button> : null}
          {can('read:schedule') ? (
            <Button variant="light" component={Link} to="/groups">
              {t('encounters.groups')}
            </Button>
          ) : null}
        </Group>
      </Group>
      <WhoCanSee permission="read:schedule" />
      <ErrorAlert error={schedule.error ?? arrive.error} />
      {schedule.data && items.length === 0 ? <Text c="dimmed">{t('encounters.nothingBooked')}</Text> : null}
      {items.length > 0 ? (
        <Card withBorder padding={0}>
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" data-testid="schedule">
              <TableHead labels={[t('encounters.time'), t('encounters.visit'), t('encounters.staff'), t('encounters.where'), t('encounters.people')]} actions={can('read:encounter')} />
              <Table.Tbody>
                {items.map((v) => (
                  <Table.Tr key={v.id} data-testid={`visit-${v.id}`}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {timeOf(v.startsAt)}–{timeOf(v.endsAt)}
                    </Table.Td>
                    <Table.Td>
                      <Text fw={600}>{v.title ?? typeLabel(v.typeLabel)}</Text>
                      {v.title ? (
                        <Text size="sm" c="dimmed">
                          {typeLabel(v.typeLabel)}
                        </Text>
                      ) : null}
                      {v.status !== 'scheduled' ? <VisitStatus status={v.status} /> : null}
                    </Table.Td>
                    <Table.Td>{v.staff.name}</Table.Td>
                    <Table.Td>
                      {v.room ? v.room.name : null}
                      <Text size="sm" c="dimmed">
                        {t(`encounters.modality.${v.modality}`)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <People visit={v} onArrive={(patientId) => arrive.mutate({ encounterId: v.id, patientId })} busy={arrive.isPending} />
                    </Table.Td>
                    {can('read:encounter') ? (
                      <Table.Td>
                        <Button size="xs" variant="light" component={Link} to={`/encounters/${v.id}`}>
                          {t('encounters.open')}
                        </Button>
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      ) : null}
      <Modal opened={booking} onClose={() => setBooking(false)} title={t('encounters.book')} size="lg">
        <BookForm date={date} onDone={() => setBooking(false)} />
      </Modal>
    </Stack>
  );
}

function People({ visit, onArrive, busy }: { visit: ScheduledVisitT; onArrive: (patientId: string) => void; busy: boolean }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const timeOf = useTimeOf();
  const mayCheckIn = can('check-in:encounter') && visit.status !== 'cancelled';
  return (
    <Stack gap={4}>
      {visit.participants.map((p) => (
        <Group key={p.patientId} gap="xs">
          <Text size="sm" td={p.cancelled ? 'line-through' : undefined}>
            {p.name}
          </Text>
          {p.arrivedAt ? <StatusBadge tone="ok">{t('encounters.arrivedAt', { time: timeOf(p.arrivedAt) })}</StatusBadge> : null}
          {p.cancelled ? <StatusBadge tone="neutral">{t('encounters.cancelledPlace')}</StatusBadge> : null}
          {!p.arrivedAt && !p.cancelled && mayCheckIn ? (
            <Button size="compact-xs" variant="outline" disabled={busy} onClick={() => onArrive(p.patientId)} aria-label={t('encounters.checkInName', { name: p.name })}>
              {t('encounters.checkIn')}
            </Button>
          ) : null}
        </Group>
      ))}
      {visit.capacity ? (
        <Badge variant="outline" color="gray" style={{ textTransform: 'none' }}>
          {t('encounters.booked', { n: visit.participants.filter((p) => !p.cancelled).length, capacity: visit.capacity })}
        </Badge>
      ) : null}
    </Stack>
  );
}

/** Book a visit: one patient, or several for a group or family visit. */
export function BookForm({ date, onDone, patient }: { date: string; onDone: () => void; patient?: Picked }) {
  const { t } = useTranslation();
  const { program, me } = useSession();
  const types = useEncounterTypes();
  const rooms = useRooms();
  const staff = useStaffOptions();
  const book = useBookEncounter();
  const typeLabel = useTypeLabel();
  const [key] = useState(newIdempotencyKey);
  const [typeCode, setTypeCode] = useState('individual-counselling');
  const [modality, setModality] = useState<Modality>('in-person');
  const [startsAt, setStartsAt] = useState(() => `${date}T${toZonedInput(new Date(), program?.timeZone).slice(11, 14)}00`);
  const [duration, setDuration] = useState<number | string>(50);
  const [staffId, setStaffId] = useState(me.user.id);
  const [roomId, setRoomId] = useState('');
  const [title, setTitle] = useState('');
  const [capacity, setCapacity] = useState<number | string>('');
  const [people, setPeople] = useState<Picked[]>(patient ? [patient] : []);
  const type = types.data?.find((x) => x.code === typeCode);
  const many = type ? manyPatients(type.category) : false;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const start = zonedInputToRfc3339(startsAt, program?.timeZone) ?? startsAt;
    book.mutate(
      {
        key,
        body: {
          typeCode,
          modality,
          startsAt: start,
          durationMinutes: Number(duration),
          staffId,
          roomId: roomId || null,
          patientIds: people.map((p) => p.id),
          title: many && title.trim() ? title.trim() : null,
          capacity: many && capacity !== '' ? Number(capacity) : null,
        },
      },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('encounters.bookedDone') });
          onDone();
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <ErrorAlert error={book.error} />
        <NativeSelect
          label={t('encounters.type')}
          value={typeCode}
          onChange={(e) => setTypeCode(e.currentTarget.value)}
          data={(types.data ?? []).filter((x) => x.active).map((x) => ({ value: x.code, label: typeLabel(x.label) }))}
          error={fieldError(book.error, 'typeCode')}
        />
        <SegmentedControl
          value={modality}
          onChange={(v) => setModality(v as Modality)}
          data={MODALITIES.map((m) => ({ value: m, label: t(`encounters.modality.${m}`) }))}
          aria-label={t('encounters.how')}
        />
        <Group grow>
          <TextInput type="datetime-local" label={t('encounters.startsAt')} value={startsAt} onChange={(e) => setStartsAt(e.currentTarget.value)} required error={fieldError(book.error, 'startsAt')} />
          <NumberInput label={t('encounters.minutes')} value={duration} onChange={setDuration} min={5} max={480} allowDecimal={false} required error={fieldError(book.error, 'durationMinutes')} />
        </Group>
        <Group grow>
          <NativeSelect
            label={t('encounters.staff')}
            value={staffId}
            onChange={(e) => setStaffId(e.currentTarget.value)}
            data={staff.length ? staff : [{ value: me.user.id, label: me.user.displayName }]}
            error={fieldError(book.error, 'staffId')}
          />
          <NativeSelect
            label={t('encounters.room')}
            value={roomId}
            onChange={(e) => setRoomId(e.currentTarget.value)}
            data={[{ value: '', label: t('encounters.noRoom') }, ...(rooms.data ?? []).filter((r) => r.active).map((r) => ({ value: r.id, label: r.name }))]}
            error={fieldError(book.error, 'roomId')}
          />
        </Group>
        {many ? (
          <Group grow>
            <TextInput label={t('encounters.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
            <NumberInput label={t('encounters.capacity')} value={capacity} onChange={setCapacity} min={1} max={40} allowDecimal={false} />
          </Group>
        ) : null}
        <PeoplePicker people={people} onChange={setPeople} one={!many} error={fieldError(book.error, 'patientIds')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('encounters.close')}
          </Button>
          <Button type="submit" loading={book.isPending} disabled={people.length === 0}>
            {t('encounters.bookSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
