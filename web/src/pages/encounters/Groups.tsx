// Weekly groups (issue 14): the programme's recurring groups, a new one (every visit booked
// at once, on the programme's clock), and one group's roster and visits — join and leave
// change the visits still to come.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Button, Card, Group, NativeSelect, NumberInput, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { MODALITIES, manyPatients, type Modality } from '../../../../core/encounters/types.ts';
import { newIdempotencyKey } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatDate, todayIn } from '../../format.ts';
import { PageTitle, TableHead, WhoCanSee } from '../../components/common.tsx';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { useAddToRoster, useCreateGroupSeries, useEncounterTypes, useGroupSeries, useGroupSeriesList, useRemoveFromRoster, useRooms } from '../../queries/encounters.ts';
import { NotFoundPage } from '../NotFound.tsx';
import { PatientFinder, PeoplePicker, useStaffOptions, useTypeLabel, useWhen, VisitStatus, type Picked } from './shared.tsx';

export function GroupsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const list = useGroupSeriesList();
  const typeLabel = useTypeLabel();
  const when = useWhen();
  return (
    <Stack>
      <Group justify="space-between">
        <PageTitle title={t('encounters.groups')}>{t('encounters.groups')}</PageTitle>
        <Group gap="xs">
          {can('write:schedule') ? (
            <Button component={Link} to="/groups/new">
              {t('encounters.newGroup')}
            </Button>
          ) : null}
          <Button variant="subtle" component={Link} to="/schedule">
            {t('encounters.backToSchedule')}
          </Button>
        </Group>
      </Group>
      <ErrorAlert error={list.error} />
      {list.data && list.data.length === 0 ? <Text c="dimmed">{t('encounters.noGroups')}</Text> : null}
      {list.data && list.data.length > 0 ? (
        <Card withBorder padding={0}>
          <Table.ScrollContainer minWidth={600}>
            <Table verticalSpacing="sm">
              <TableHead labels={[t('encounters.group'), t('encounters.staff'), t('encounters.members'), t('encounters.nextVisit')]} />
              <Table.Tbody>
                {list.data.map((g) => (
                  <Table.Tr key={g.id}>
                    <Table.Td>
                      <Text component={Link} to={`/groups/${g.id}`} fw={600} td="underline">
                        {g.title}
                      </Text>
                      <Text size="sm" c="dimmed">
                        {typeLabel(g.typeLabel)}
                      </Text>
                    </Table.Td>
                    <Table.Td>{g.staff.name}</Table.Td>
                    <Table.Td>{t('encounters.booked', { n: g.members, capacity: g.capacity })}</Table.Td>
                    <Table.Td>{g.nextVisitAt ? when(g.nextVisitAt) : t('encounters.noMoreVisits')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      ) : null}
    </Stack>
  );
}

export function NewGroupPage() {
  const { t } = useTranslation();
  const { program, me } = useSession();
  const navigate = useNavigate();
  const types = useEncounterTypes();
  const rooms = useRooms();
  const staff = useStaffOptions();
  const create = useCreateGroupSeries();
  const typeLabel = useTypeLabel();
  const [key] = useState(newIdempotencyKey);
  const groupTypes = (types.data ?? []).filter((x) => x.active && manyPatients(x.category));
  const [typeCode, setTypeCode] = useState('group-cbt');
  const [title, setTitle] = useState('');
  const [modality, setModality] = useState<Modality>('in-person');
  const [staffId, setStaffId] = useState(me.user.id);
  const [roomId, setRoomId] = useState('');
  const [firstDate, setFirstDate] = useState(todayIn(program?.timeZone));
  const [weeks, setWeeks] = useState<number | string>(12);
  const [startTime, setStartTime] = useState('18:00');
  const [minutes, setMinutes] = useState<number | string>(90);
  const [capacity, setCapacity] = useState<number | string>(12);
  const [people, setPeople] = useState<Picked[]>([]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        key,
        body: {
          typeCode,
          title: title.trim(),
          modality,
          staffId,
          roomId: roomId || null,
          firstDate,
          weeks: Number(weeks),
          startTime,
          durationMinutes: Number(minutes),
          capacity: Number(capacity),
          patientIds: people.map((p) => p.id),
        },
      },
      { onSuccess: (g) => navigate(`/groups/${g.id}`) },
    );
  };
  return (
    <Stack maw={760}>
      <PageTitle title={t('encounters.newGroup')}>{t('encounters.newGroup')}</PageTitle>
      <Text c="dimmed">{t('encounters.newGroupHint')}</Text>
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={create.error} />
          <NativeSelect
            label={t('encounters.type')}
            value={typeCode}
            onChange={(e) => setTypeCode(e.currentTarget.value)}
            data={groupTypes.map((x) => ({ value: x.code, label: typeLabel(x.label) }))}
            error={fieldError(create.error, 'typeCode')}
          />
          <TextInput label={t('encounters.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required error={fieldError(create.error, 'title')} />
          <SegmentedControl
            value={modality}
            onChange={(v) => setModality(v as Modality)}
            data={MODALITIES.map((m) => ({ value: m, label: t(`encounters.modality.${m}`) }))}
            aria-label={t('encounters.how')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect
              label={t('encounters.staff')}
              value={staffId}
              onChange={(e) => setStaffId(e.currentTarget.value)}
              data={staff.length ? staff : [{ value: me.user.id, label: me.user.displayName }]}
            />
            <NativeSelect
              label={t('encounters.room')}
              value={roomId}
              onChange={(e) => setRoomId(e.currentTarget.value)}
              data={[{ value: '', label: t('encounters.noRoom') }, ...(rooms.data ?? []).filter((r) => r.active).map((r) => ({ value: r.id, label: r.name }))]}
            />
            <TextInput type="date" label={t('encounters.firstDate')} value={firstDate} onChange={(e) => setFirstDate(e.currentTarget.value)} required error={fieldError(create.error, 'firstDate')} />
            <NumberInput label={t('encounters.weeks')} value={weeks} onChange={setWeeks} min={1} max={52} allowDecimal={false} error={fieldError(create.error, 'weeks')} />
            <TextInput type="time" label={t('encounters.startTime')} value={startTime} onChange={(e) => setStartTime(e.currentTarget.value)} required error={fieldError(create.error, 'startTime')} />
            <NumberInput label={t('encounters.minutes')} value={minutes} onChange={setMinutes} min={5} max={480} allowDecimal={false} error={fieldError(create.error, 'durationMinutes')} />
            <NumberInput label={t('encounters.capacity')} value={capacity} onChange={setCapacity} min={1} max={40} allowDecimal={false} error={fieldError(create.error, 'capacity')} />
          </SimpleGrid>
          <PeoplePicker people={people} onChange={setPeople} error={fieldError(create.error, 'patientIds')} />
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending}>
              {t('encounters.createGroup')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}

export function GroupPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const g = useGroupSeries(id);
  const add = useAddToRoster(id);
  const remove = useRemoveFromRoster(id);
  const typeLabel = useTypeLabel();
  const when = useWhen();
  const [leaving, setLeaving] = useState<Picked | null>(null);
  const [reason, setReason] = useState('');
  if (g.error) return <NotFoundPage />;
  const s = g.data;
  if (!s) return <Text c="dimmed">{t('encounters.loading')}</Text>;
  const write = can('write:schedule');
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <div>
          <PageTitle title={t('encounters.group')}>{s.title}</PageTitle>
          <Text c="dimmed">{[typeLabel(s.typeLabel), s.staff.name, s.room?.name, t(`encounters.modality.${s.modality}`)].filter(Boolean).join(' · ')}</Text>
          <Text c="dimmed" size="sm">
            {t('encounters.seriesWhen', { first: formatDate(s.firstDate, i18n.language), weeks: s.weeks, time: s.startTime, minutes: s.durationMinutes })}
          </Text>
        </div>
        <Button variant="subtle" component={Link} to="/groups">
          {t('encounters.groups')}
        </Button>
      </Group>
      <WhoCanSee permission="read:schedule" />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder data-testid="roster">
          <Title order={2} size="h4" mb="xs">
            {t('encounters.roster')} · {t('encounters.booked', { n: s.roster.length, capacity: s.capacity })}
          </Title>
          <ErrorAlert error={add.error ?? remove.error} />
          <Stack gap={4}>
            {s.roster.map((m) => (
              <Group key={m.patientId} justify="space-between">
                <Text size="sm">{m.name}</Text>
                {write ? (
                  <Button size="compact-xs" variant="subtle" color="red" onClick={() => setLeaving({ id: m.patientId, name: m.name })}>
                    {t('encounters.leave')}
                  </Button>
                ) : null}
              </Group>
            ))}
          </Stack>
          {leaving ? (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                remove.mutate({ patientId: leaving.id, reason }, { onSuccess: () => (setLeaving(null), setReason('')) });
              }}
            >
              <Group align="flex-end" mt="sm">
                <TextInput label={t('encounters.leaveReason', { name: leaving.name })} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required style={{ flex: 1 }} />
                <Button type="submit" color="red" loading={remove.isPending}>
                  {t('encounters.leave')}
                </Button>
                <Button variant="default" onClick={() => setLeaving(null)}>
                  {t('encounters.close')}
                </Button>
              </Group>
            </form>
          ) : null}
          {write && s.roster.length < s.capacity ? (
            <Stack mt="sm">
              <PatientFinder label={t('encounters.addToGroup')} exclude={s.roster.map((m) => m.patientId)} onPick={(p) => add.mutate(p.id)} />
            </Stack>
          ) : null}
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">
            {t('encounters.visits')}
          </Title>
          <Stack gap={4}>
            {s.visits.map((v) => (
              <Group key={v.id} justify="space-between">
                {can('read:encounter') ? (
                  <Text component={Link} to={`/encounters/${v.id}`} size="sm" td="underline">
                    {when(v.startsAt)}
                  </Text>
                ) : (
                  <Text size="sm">{when(v.startsAt)}</Text>
                )}
                <VisitStatus status={v.status} />
              </Group>
            ))}
          </Stack>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
