// The meeting directory (issue 15, docs/meetings.md): search with MOUD-friendliness, a
// meeting's detail (friendliness history, record a judgement, welcome answers from 3 patients),
// a manual entry form, and the feeds (Sources, M1). Each tab has its own address.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { Alert, Button, Checkbox, Group, Modal, MultiSelect, NumberInput, Select, Stack, Table, Tabs, Text, TextInput } from '@mantine/core';
import { PageTitle, StatusBadge } from '../../components/common.tsx';
import { ErrorAlert } from '../../components/forms.tsx';
import { FELLOWSHIPS, type Friendliness } from '../../../../core/meetings/model.ts';
import { MeetingSources } from './Sources.tsx';
import { AttendanceCode } from './AttendanceCode.tsx';
import { useSession } from '../../session.tsx';
import { AddMeeting, EditMeeting } from './AddMeeting.tsx';
import { useMeetingDetail, useMeetingSearch, useRecordFriendliness, useRetireMeeting, type HitT, type SearchParams } from './api.ts';

const TABS = { directory: '/meetings', add: '/meetings/add', sources: '/meetings/sources' } as const;
type Tab = keyof typeof TABS;
const TONE: Record<Friendliness, 'ok' | 'warn' | 'bad' | 'neutral'> = { welcoming: 'ok', mixed: 'warn', restrictive: 'bad', unknown: 'neutral' };
const DAYS = [0, 1, 2, 3, 4, 5, 6];

export function FriendlinessBadge({ value }: { value: Friendliness }) {
  const { t } = useTranslation();
  return <StatusBadge tone={TONE[value]}>{t(`meetings.friendliness.${value}`)}</StatusBadge>;
}

export function MeetingsPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const tab: Tab = location.pathname.startsWith(TABS.add) ? 'add' : location.pathname.startsWith(TABS.sources) ? 'sources' : 'directory';
  return (
    <Stack>
      <PageTitle title={`${t('meetings.title')} · ${t(`meetings.tabs.${tab}`)}`}>{t('meetings.title')}</PageTitle>
      <Tabs value={tab} onChange={(v) => v && navigate(TABS[v as Tab])} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="directory">{t('meetings.tabs.directory')}</Tabs.Tab>
          <Tabs.Tab value="add">{t('meetings.tabs.add')}</Tabs.Tab>
          <Tabs.Tab value="sources">{t('meetings.tabs.sources')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="directory" pt="md">
          <Directory />
        </Tabs.Panel>
        <Tabs.Panel value="add" pt="md">
          <AddMeeting onAdded={() => navigate(TABS.directory)} />
        </Tabs.Panel>
        <Tabs.Panel value="sources" pt="md">
          <MeetingSources />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function Directory() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'es' ? 'es' : 'en';
  const [postalCode, setPostalCode] = useState('');
  const [radius, setRadius] = useState<number | string>(10);
  const [day, setDay] = useState<string | null>(null);
  const [soon, setSoon] = useState(false);
  const [onlineNow, setOnlineNow] = useState(false);
  const [fellowship, setFellowship] = useState<string[]>([]);
  const [language, setLanguage] = useState<string | null>(null);
  const [friendlyFirst, setFriendlyFirst] = useState(true);
  const [params, setParams] = useState<SearchParams | null>({ friendlyFirst: 'true', limit: 50 });
  const [open, setOpen] = useState<string | null>(null);
  const search = useMeetingSearch(params);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setParams({
      postalCode: postalCode || undefined,
      radius: postalCode ? Number(radius) : undefined,
      weekdays: day ?? undefined,
      nextHours: soon ? 2 : undefined,
      onlineNow: onlineNow ? 'true' : undefined,
      fellowship: fellowship.length ? fellowship.join(',') : undefined,
      language: language ?? undefined,
      friendlyFirst: friendlyFirst ? 'true' : undefined,
      limit: 50,
    });
  };
  return (
    <Stack>
      <form onSubmit={submit} aria-label={t('meetings.search.label')}>
        <Group align="end" wrap="wrap">
          <TextInput label={t('meetings.search.postalCode')} value={postalCode} onChange={(e) => setPostalCode(e.currentTarget.value)} w={140} data-testid="meetings-zip" />
          <NumberInput label={t('meetings.search.radius')} value={radius} onChange={setRadius} min={1} max={100} w={120} />
          <Select label={t('meetings.search.day')} data={DAYS.map((d) => ({ value: String(d), label: t(`meetings.days.${d}`) }))} value={day} onChange={setDay} clearable w={150} />
          <Select
            label={t('meetings.search.language')}
            data={[
              { value: 'en', label: 'English' },
              { value: 'es', label: 'Español' },
            ]}
            value={language}
            onChange={setLanguage}
            clearable
            w={140}
          />
          <MultiSelect
            label={t('meetings.search.fellowship')}
            data={FELLOWSHIPS.map((f) => ({ value: f, label: t(`meetings.fellowships.${f}`) }))}
            value={fellowship}
            onChange={setFellowship}
            w={260}
            clearable
          />
          <Checkbox label={t('meetings.search.soon')} checked={soon} onChange={(e) => setSoon(e.currentTarget.checked)} />
          <Checkbox label={t('meetings.search.onlineNow')} checked={onlineNow} onChange={(e) => setOnlineNow(e.currentTarget.checked)} />
          <Checkbox label={t('meetings.search.friendlyFirst')} checked={friendlyFirst} onChange={(e) => setFriendlyFirst(e.currentTarget.checked)} />
          <Button type="submit" data-testid="meetings-search">
            {t('meetings.search.submit')}
          </Button>
        </Group>
      </form>
      {search.error ? <ErrorAlert error={search.error} /> : null}
      {search.data ? (
        <>
          {search.data.centre?.place ? <Text size="sm">{t('meetings.search.near', { place: search.data.centre.place })}</Text> : null}
          {search.data.items.length === 0 ? (
            <Text>{t('meetings.search.none')}</Text>
          ) : (
            <Table striped aria-label={t('meetings.search.results')} data-testid="meetings-results">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('meetings.cols.name')}</Table.Th>
                  <Table.Th>{t('meetings.cols.when')}</Table.Th>
                  <Table.Th>{t('meetings.cols.where')}</Table.Th>
                  <Table.Th>{t('meetings.cols.distance')}</Table.Th>
                  <Table.Th>{t('meetings.cols.friendliness')}</Table.Th>
                  <Table.Th>{t('meetings.cols.types')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {search.data.items.map((m: HitT) => (
                  <Table.Tr key={m.id}>
                    <Table.Td>
                      <Button variant="subtle" size="compact-sm" onClick={() => setOpen(m.id)}>
                        {m.name}
                      </Button>
                      <Text size="xs">{t(`meetings.fellowships.${m.fellowship}`)}</Text>
                    </Table.Td>
                    <Table.Td>
                      {t(`meetings.days.${m.weekday}`)} {m.startTime}
                      {m.endTime ? `–${m.endTime}` : ''}
                    </Table.Td>
                    <Table.Td>{m.mode === 'online' ? t('meetings.modes.online') : (m.address ?? m.locationName ?? '')}</Table.Td>
                    <Table.Td>{m.distanceMiles === null ? '' : t('meetings.miles', { n: m.distanceMiles })}</Table.Td>
                    <Table.Td>
                      <FriendlinessBadge value={m.friendliness.friendliness} />
                    </Table.Td>
                    <Table.Td>{m.types.map((ty) => ty[lang]).join(', ')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      ) : null}
      <Modal opened={open !== null} onClose={() => setOpen(null)} title={t('meetings.detail.title')} size="lg">
        {open ? <MeetingDetail id={open} onRetired={() => setOpen(null)} /> : null}
      </Modal>
    </Stack>
  );
}

function MeetingDetail({ id, onRetired }: { id: string; onRetired: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const d = useMeetingDetail(id);
  const record = useRecordFriendliness(id);
  const [value, setValue] = useState<string | null>('welcoming');
  const [evidence, setEvidence] = useState<string | null>('stated-policy');
  const [editing, setEditing] = useState(false);
  if (!d.data) return d.error ? <ErrorAlert error={d.error} /> : <Text>{t('meetings.loading')}</Text>;
  const { meeting, history, welcome } = d.data;
  const write = can('write:meetings');
  if (editing) return <EditMeeting meeting={meeting} onDone={() => setEditing(false)} />;
  return (
    <Stack>
      <Text fw={600}>{meeting.name}</Text>
      <Group>
        <FriendlinessBadge value={meeting.friendliness.friendliness} />
        {meeting.friendliness.expired ? <Text size="sm">{t('meetings.detail.expired')}</Text> : null}
        {meeting.active ? null : <StatusBadge tone="neutral">{t('meetings.edit.retired')}</StatusBadge>}
      </Group>
      {/* a manual entry is edited and retired here; an imported one belongs to its feed (400 imported_meeting) */}
      {write && !meeting.manual ? (
        <Text size="sm" data-testid="meeting-from-feed">
          {t('meetings.edit.fromFeed')}
        </Text>
      ) : null}
      {write && meeting.manual && meeting.active ? <ManualActions id={id} name={meeting.name} onEdit={() => setEditing(true)} onRetired={onRetired} /> : null}
      <Text size="sm">{welcome ? t('meetings.detail.welcome', welcome) : t('meetings.detail.welcomeHidden')}</Text>
      {/* the programme's own group: the rotating code patients check in with (ADR 048) */}
      {meeting.fellowship === 'programme' && can('write:meetings') ? <AttendanceCode meetingId={id} /> : null}
      <Table aria-label={t('meetings.detail.history')}>
        <Table.Tbody>
          {history.map((h) => (
            <Table.Tr key={h.id}>
              <Table.Td>
                <FriendlinessBadge value={h.friendliness} />
              </Table.Td>
              <Table.Td>{t(`meetings.evidence.${h.evidence}`)}</Table.Td>
              <Table.Td>{h.recordedByName ?? ''}</Table.Td>
              <Table.Td>{new Date(h.recordedAt).toLocaleDateString()}</Table.Td>
              <Table.Td>{h.expiresAt ? t('meetings.detail.until', { date: new Date(h.expiresAt).toLocaleDateString() }) : ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group align="end">
        <Select
          label={t('meetings.cols.friendliness')}
          data={(['welcoming', 'mixed', 'restrictive', 'unknown'] as const).map((f) => ({ value: f, label: t(`meetings.friendliness.${f}`) }))}
          value={value}
          onChange={setValue}
        />
        <Select
          label={t('meetings.detail.evidence')}
          data={(['stated-policy', 'staff-visit', 'patient-reports'] as const).map((f) => ({ value: f, label: t(`meetings.evidence.${f}`) }))}
          value={evidence}
          onChange={setEvidence}
        />
        <Button
          loading={record.isPending}
          onClick={() => value && evidence && record.mutate({ friendliness: value as Friendliness, evidence: evidence as 'stated-policy' | 'staff-visit' | 'patient-reports' })}
        >
          {t('meetings.detail.record')}
        </Button>
      </Group>
      {record.error ? <ErrorAlert error={record.error} /> : null}
    </Stack>
  );
}

/** Edit and retire a manual entry; retiring asks first (the meeting is kept but no longer found). */
function ManualActions({ id, name, onEdit, onRetired }: { id: string; name: string; onEdit: () => void; onRetired: () => void }) {
  const { t } = useTranslation();
  const retire = useRetireMeeting(id);
  const [asking, setAsking] = useState(false);
  return (
    <Stack gap="xs">
      <Group>
        <Button variant="light" onClick={onEdit}>
          {t('meetings.edit.button')}
        </Button>
        <Button variant="light" color="red" onClick={() => setAsking(true)} disabled={asking}>
          {t('meetings.edit.retire')}
        </Button>
      </Group>
      {asking ? (
        <Alert color="red" variant="light" title={t('meetings.edit.retireTitle', { name })} data-testid="meeting-retire-confirm">
          <Stack gap="xs">
            <Text size="sm">{t('meetings.edit.retireBody')}</Text>
            <Group>
              <Button color="red" loading={retire.isPending} onClick={() => retire.mutate(undefined, { onSuccess: onRetired })}>
                {t('meetings.edit.retireConfirm')}
              </Button>
              <Button variant="default" onClick={() => setAsking(false)}>
                {t('meetings.edit.keep')}
              </Button>
            </Group>
            <ErrorAlert error={retire.error} />
          </Stack>
        </Alert>
      ) : null}
    </Stack>
  );
}
