// Levels of care on the patient page (ADR 044): the residential or therapeutic-community stay
// (phase, the privileges it earns, advance or reduce with a reason, history), housing from CM
// (read-only), the take-home schedule in force with what the tiers allow today, and
// extended-release naltrexone injections with when the next is due. The lead places it on the
// patient page: <LevelsOfCareSection patientId=… />.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge, Button, Checkbox, Group, List, NativeSelect, NumberInput, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ASAM_LABELS, RESIDENTIAL_LEVELS, type AsamLevel } from '../../../../core/levels-of-care/asam.ts';
import { newIdempotencyKey } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatDate, formatDateTime, todayIn } from '../../format.ts';
import { StatusBadge, TableHead } from '../../components/common.tsx';
import { ErrorAlert, fieldError, useAction } from '../../components/forms.tsx';
import { Section } from '../../components/Section.tsx';
import {
  useChangePhase,
  useEndStay,
  usePatientLevelsOfCare,
  useRecordInjection,
  useRecordTakeHomeSchedule,
  useStartStay,
  type PatientLevelsOfCareT,
  type StayT,
} from '../../queries/levels-of-care.ts';

const lang = (l: string) => (l.startsWith('es') ? 'es' : 'en');
export const dueTone = (s: string) => (s === 'overdue' ? 'bad' : s === 'due' ? 'warn' : s === 'due-soon' ? 'neutral' : 'ok');

export function LevelsOfCareSection({ patientId }: { patientId: string }) {
  const { can } = useSession();
  return can('read:level-of-care') ? <LevelsOfCare patientId={patientId} /> : null;
}

function LevelsOfCare({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const q = usePatientLevelsOfCare(patientId);
  return (
    <Section title={t('levelsOfCare.title')} permission="read:level-of-care" testId="levels-of-care">
      <ErrorAlert error={q.error} />
      {q.data ? (
        <Stack gap="lg">
          <Stays patientId={patientId} data={q.data} />
          <Housing data={q.data} />
          <TakeHomes patientId={patientId} data={q.data} />
          <Injections patientId={patientId} data={q.data} />
        </Stack>
      ) : null}
    </Section>
  );
}

// --- stays ----------------------------------------------------------------------------------
function Stays({ patientId, data }: { patientId: string; data: PatientLevelsOfCareT }) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const open = data.stays.find((s) => s.endedOn === null) ?? null;
  const past = data.stays.filter((s) => s.endedOn !== null);
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('levelsOfCare.stays.title')}
      </Title>
      {open ? <OpenStay patientId={patientId} stay={open} /> : <Text c="dimmed">{t('levelsOfCare.stays.none')}</Text>}
      {!open && can('write:level-of-care') ? <StartStay patientId={patientId} data={data} /> : null}
      {past.map((s) => (
        <Text key={s.id} size="sm">
          {t('levelsOfCare.stays.past', {
            level: `${s.asamLevel} ${ASAM_LABELS[s.asamLevel][lang(i18n.language)]}`,
            from: formatDate(s.startedOn, i18n.language),
            to: formatDate(s.endedOn!, i18n.language),
          })}
        </Text>
      ))}
    </Stack>
  );
}

function OpenStay({ patientId, stay }: { patientId: string; stay: StayT }) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const l = lang(i18n.language);
  const [moving, setMoving] = useState<'advance' | 'reduce' | 'end' | null>(null);
  const last = stay.phaseIndex === stay.phases.length - 1;
  return (
    <Stack gap="xs" data-testid="open-stay">
      <Group gap="xs">
        <Badge variant="light">{t('levelsOfCare.asam', { level: stay.asamLevel })}</Badge>
        <Text size="sm">{ASAM_LABELS[stay.asamLevel][l]}</Text>
        <Text size="sm" c="dimmed">
          {t('common.since', { date: formatDate(stay.startedOn, i18n.language) })}
        </Text>
      </Group>
      <Text fw={600}>{t('levelsOfCare.stays.phase', { phase: stay.phase.label[l], n: stay.phaseIndex + 1, of: stay.phases.length })}</Text>
      <Text size="sm">{t('levelsOfCare.stays.privileges')}</Text>
      {stay.phase.privileges.length > 0 ? (
        <List size="sm">
          {stay.phase.privileges.map((p) => (
            <List.Item key={p}>{p}</List.Item>
          ))}
        </List>
      ) : (
        <Text size="sm" c="dimmed">
          {t('levelsOfCare.stays.noPrivileges')}
        </Text>
      )}
      {can('write:level-of-care') && !moving ? (
        <Group gap="xs">
          <Button size="xs" variant="light" disabled={last} onClick={() => setMoving('advance')}>
            {t('levelsOfCare.stays.advance')}
          </Button>
          <Button size="xs" variant="default" disabled={stay.phaseIndex === 0} onClick={() => setMoving('reduce')}>
            {t('levelsOfCare.stays.reduce')}
          </Button>
          <Button size="xs" variant="subtle" onClick={() => setMoving('end')}>
            {t('levelsOfCare.stays.end')}
          </Button>
        </Group>
      ) : null}
      {moving === 'end' ? <EndStay patientId={patientId} stay={stay} onClose={() => setMoving(null)} /> : null}
      {moving === 'advance' || moving === 'reduce' ? <ChangePhase patientId={patientId} stay={stay} direction={moving} onClose={() => setMoving(null)} /> : null}
      <StayHistory stay={stay} />
    </Stack>
  );
}

function ChangePhase({ patientId, stay, direction, onClose }: { patientId: string; stay: StayT; direction: 'advance' | 'reduce'; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const l = lang(i18n.language);
  const change = useChangePhase(patientId, stay.id);
  const [reason, setReason] = useState('');
  const to = stay.phases[direction === 'advance' ? stay.phaseIndex + 1 : stay.phaseIndex - 1];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    change.mutate(
      { direction, fromPhase: stay.phase.code, reason },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('levelsOfCare.stays.changed') });
          onClose();
        },
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate aria-label={t(`levelsOfCare.stays.${direction}`)}>
      <Stack gap="xs">
        <ErrorAlert error={change.error} />
        <Text size="sm">{t('levelsOfCare.stays.moveTo', { from: stay.phase.label[l], to: to?.label[l] ?? '' })}</Text>
        <Textarea label={t('levelsOfCare.reason')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(change.error, 'reason')} autosize minRows={2} />
        <Group>
          <Button type="submit" size="xs" loading={change.isPending}>
            {t(`levelsOfCare.stays.${direction}`)}
          </Button>
          <Button size="xs" variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function EndStay({ patientId, stay, onClose }: { patientId: string; stay: StayT; onClose: () => void }) {
  const { t } = useTranslation();
  const { program } = useSession();
  const end = useEndStay(patientId, stay.id);
  const [endedOn, setEndedOn] = useState(todayIn(program?.timeZone));
  const [reason, setReason] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    end.mutate({ endedOn, reason }, { onSuccess: onClose });
  };
  return (
    <form onSubmit={submit} noValidate aria-label={t('levelsOfCare.stays.end')}>
      <Stack gap="xs">
        <ErrorAlert error={end.error} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput type="date" label={t('levelsOfCare.stays.endedOn')} value={endedOn} onChange={(e) => setEndedOn(e.currentTarget.value)} error={fieldError(end.error, 'endedOn')} />
          <TextInput label={t('levelsOfCare.reason')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(end.error, 'reason')} />
        </SimpleGrid>
        <Group>
          <Button type="submit" size="xs" loading={end.isPending}>
            {t('levelsOfCare.stays.end')}
          </Button>
          <Button size="xs" variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function StayHistory({ stay }: { stay: StayT }) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const l = lang(i18n.language);
  const label = (code: string | null) => stay.phases.find((p) => p.code === code)?.label[l] ?? '';
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table verticalSpacing={4} aria-label={t('levelsOfCare.stays.history')}>
        <TableHead labels={[t('levelsOfCare.stays.when'), t('levelsOfCare.stays.change'), t('levelsOfCare.reason'), t('levelsOfCare.by')]} />
        <Table.Tbody>
          {[...stay.history].reverse().map((h) => (
            <Table.Tr key={`${h.changedAt}-${h.kind}`}>
              <Table.Td>{formatDateTime(h.changedAt, i18n.language, program?.timeZone)}</Table.Td>
              <Table.Td>{t(`levelsOfCare.stays.kinds.${h.kind}`, { from: label(h.from), to: label(h.to) })}</Table.Td>
              <Table.Td>{h.reason}</Table.Td>
              <Table.Td>{h.changedBy ?? ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function StartStay({ patientId, data }: { patientId: string; data: PatientLevelsOfCareT }) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const start = useStartStay(patientId);
  const [episodeId, setEpisodeId] = useState(data.openEpisodes[0]?.id ?? '');
  const [asamLevel, setAsamLevel] = useState<AsamLevel>('3.5');
  const [startedOn, setStartedOn] = useState(todayIn(program?.timeZone));
  if (data.openEpisodes.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('levelsOfCare.stays.needsEpisode')}
      </Text>
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate({ episodeId, asamLevel, startedOn });
  };
  return (
    <form onSubmit={submit} noValidate aria-label={t('levelsOfCare.stays.start')}>
      <Stack gap="xs">
        <ErrorAlert error={start.error} />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NativeSelect
            label={t('levelsOfCare.stays.episode')}
            value={episodeId}
            onChange={(e) => setEpisodeId(e.currentTarget.value)}
            data={data.openEpisodes.map((ep) => ({ value: ep.id, label: `${t(`episodes.levels.${ep.levelOfCare}`)} · ${formatDate(ep.admittedOn, i18n.language)}` }))}
            error={fieldError(start.error, 'episodeId')}
          />
          <NativeSelect
            label={t('levelsOfCare.stays.asamLevel')}
            value={asamLevel}
            onChange={(e) => setAsamLevel(e.currentTarget.value as AsamLevel)}
            data={RESIDENTIAL_LEVELS.map((lv) => ({ value: lv, label: `${lv} ${ASAM_LABELS[lv][lang(i18n.language)]}` }))}
            error={fieldError(start.error, 'asamLevel')}
          />
          <TextInput type="date" label={t('levelsOfCare.stays.startedOn')} value={startedOn} onChange={(e) => setStartedOn(e.currentTarget.value)} error={fieldError(start.error, 'startedOn')} />
        </SimpleGrid>
        <Group>
          <Button type="submit" size="xs" loading={start.isPending}>
            {t('levelsOfCare.stays.start')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

// --- housing (from CM, read-only) --------------------------------------------------------------
function Housing({ data }: { data: PatientLevelsOfCareT }) {
  const { t, i18n } = useTranslation();
  if (data.housing.length === 0) return null;
  return (
    <Stack gap={4}>
      <Title order={3} size="h5">
        {t('levelsOfCare.housing.title')}
      </Title>
      {data.housing.map((h) => (
        <Text key={h.track} size="sm">
          {h.level
            ? t(`levelsOfCare.housing.${h.decision ?? 'pending'}`, { track: h.trackName ?? h.track, level: h.level, date: formatDate(h.recommendedAt!.slice(0, 10), i18n.language) })
            : t('levelsOfCare.housing.none', { track: h.trackName ?? h.track })}
        </Text>
      ))}
      <Text size="xs" c="dimmed">
        {t('levelsOfCare.housing.fromCm')}
      </Text>
    </Stack>
  );
}

// --- take-home schedule -------------------------------------------------------------------------
const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6];

function TakeHomes({ patientId, data }: { patientId: string; data: PatientLevelsOfCareT }) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const [recording, setRecording] = useState(false);
  const { current, dayOfTreatment, maxTakeHomeDoses } = data.takeHomes;
  const dayName = (d: number) => new Date(Date.UTC(2026, 0, 4 + d)).toLocaleDateString(i18n.language, { weekday: 'short', timeZone: 'UTC' });
  return (
    <Stack gap="xs">
      <RecordHeading title={t('levelsOfCare.takeHomes.title')} record={t('levelsOfCare.takeHomes.record')} onRecord={can('write:level-of-care') && !recording ? () => setRecording(true) : null} />
      {current ? (
        <Stack gap={2} data-testid="take-home-current">
          <Text size="sm" fw={600}>
            {t('levelsOfCare.takeHomes.current', { medication: t(`levelsOfCare.medications.${current.medication}`), dose: current.dose, n: current.takeHomeDoses })}
          </Text>
          <Text size="sm">{t('levelsOfCare.takeHomes.clinicDays', { days: current.clinicDays.map(dayName).join(', ') || '—' })}</Text>
          <Text size="sm" c="dimmed">
            {t('levelsOfCare.takeHomes.allowed', { day: dayOfTreatment, max: maxTakeHomeDoses })}
          </Text>
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          {t('levelsOfCare.takeHomes.none')}
        </Text>
      )}
      {recording ? <RecordSchedule patientId={patientId} data={data} onClose={() => setRecording(false)} dayName={dayName} /> : null}
    </Stack>
  );
}

function RecordSchedule({ patientId, data, onClose, dayName }: { patientId: string; data: PatientLevelsOfCareT; onClose: () => void; dayName: (d: number) => string }) {
  const { t } = useTranslation();
  const [key] = useState(newIdempotencyKey);
  const record = useRecordTakeHomeSchedule(patientId, key);
  const current = data.takeHomes.current;
  const [medication, setMedication] = useState<'methadone' | 'buprenorphine'>(current?.medication ?? 'methadone');
  const [dose, setDose] = useState(current?.dose ?? '');
  const [treatmentStartedOn, setStart] = useState(current?.treatmentStartedOn ?? data.today);
  const [effectiveOn, setEffective] = useState(data.today);
  const [takeHomeDoses, setDoses] = useState<number>(current?.takeHomeDoses ?? 0);
  const [clinicDays, setDays] = useState<number[]>(current?.clinicDays ?? [1, 2, 3, 4, 5, 6]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    record.mutate({ medication, dose, treatmentStartedOn, effectiveOn, takeHomeDoses, clinicDays }, { onSuccess: onClose });
  };
  return (
    <form onSubmit={submit} noValidate aria-label={t('levelsOfCare.takeHomes.record')}>
      <Stack gap="xs">
        <ErrorAlert error={record.error} />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NativeSelect
            label={t('levelsOfCare.takeHomes.medication')}
            value={medication}
            onChange={(e) => setMedication(e.currentTarget.value as 'methadone' | 'buprenorphine')}
            data={(['methadone', 'buprenorphine'] as const).map((m) => ({ value: m, label: t(`levelsOfCare.medications.${m}`) }))}
          />
          <TextInput label={t('levelsOfCare.takeHomes.dose')} required value={dose} onChange={(e) => setDose(e.currentTarget.value)} error={fieldError(record.error, 'dose')} />
          <NumberInput
            label={t('levelsOfCare.takeHomes.doses')}
            min={0}
            max={28}
            value={takeHomeDoses}
            onChange={(v) => setDoses(typeof v === 'number' ? v : 0)}
            error={fieldError(record.error, 'takeHomeDoses')}
          />
          <TextInput
            type="date"
            label={t('levelsOfCare.takeHomes.treatmentStartedOn')}
            value={treatmentStartedOn}
            onChange={(e) => setStart(e.currentTarget.value)}
            error={fieldError(record.error, 'treatmentStartedOn')}
          />
          <TextInput
            type="date"
            label={t('levelsOfCare.takeHomes.effectiveOn')}
            value={effectiveOn}
            onChange={(e) => setEffective(e.currentTarget.value)}
            error={fieldError(record.error, 'effectiveOn')}
          />
        </SimpleGrid>
        <Checkbox.Group label={t('levelsOfCare.takeHomes.clinicDaysLabel')} value={clinicDays.map(String)} onChange={(v) => setDays(v.map(Number))}>
          <Group gap="xs" mt={4}>
            {WEEKDAYS.map((d) => (
              <Checkbox key={d} value={String(d)} label={dayName(d)} />
            ))}
          </Group>
        </Checkbox.Group>
        <Group>
          <Button type="submit" size="xs" loading={record.isPending}>
            {t('levelsOfCare.takeHomes.record')}
          </Button>
          <Button size="xs" variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

// --- naltrexone injections --------------------------------------------------------------------
function Injections({ patientId, data }: { patientId: string; data: PatientLevelsOfCareT }) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const [recording, setRecording] = useState(false);
  const { items, next } = data.injections;
  return (
    <Stack gap="xs">
      <RecordHeading title={t('levelsOfCare.injections.title')} record={t('levelsOfCare.injections.record')} onRecord={can('write:level-of-care') && !recording ? () => setRecording(true) : null} />
      {next ? (
        <Group gap="xs" data-testid="injection-next">
          <StatusBadge tone={dueTone(next.status)}>{t(`levelsOfCare.injections.status.${next.status}`)}</StatusBadge>
          <Text size="sm">{t('levelsOfCare.injections.next', { date: formatDate(next.dueOn, i18n.language) })}</Text>
        </Group>
      ) : null}
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('levelsOfCare.injections.none')}
        </Text>
      ) : (
        <List size="sm">
          {items.slice(0, 6).map((i) => (
            <List.Item key={i.id}>
              {i.kind === 'given'
                ? t('levelsOfCare.injections.given', { date: formatDate(i.givenOn, i18n.language), dose: i.doseMg, site: t(`levelsOfCare.injections.sites.${i.site}`) })
                : t('levelsOfCare.injections.stopped', { date: formatDate(i.givenOn, i18n.language) })}
            </List.Item>
          ))}
        </List>
      )}
      {recording ? <RecordInjection patientId={patientId} today={data.today} onClose={() => setRecording(false)} /> : null}
    </Stack>
  );
}

function RecordInjection({ patientId, today, onClose }: { patientId: string; today: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [key] = useState(newIdempotencyKey);
  const record = useRecordInjection(patientId, key);
  const { busy, error, run } = useAction();
  const [kind, setKind] = useState<'given' | 'stopped'>('given');
  const [givenOn, setGivenOn] = useState(today);
  const [doseMg, setDose] = useState<number>(380);
  const [site, setSite] = useState<'left-gluteal' | 'right-gluteal'>('left-gluteal');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await record.mutateAsync(kind === 'given' ? { kind, givenOn, doseMg, site } : { kind, givenOn });
      onClose();
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-label={t('levelsOfCare.injections.record')}>
      <Stack gap="xs">
        <ErrorAlert error={error} />
        <SimpleGrid cols={{ base: 1, sm: 4 }}>
          <NativeSelect
            label={t('levelsOfCare.injections.kind')}
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as 'given' | 'stopped')}
            data={[
              { value: 'given', label: t('levelsOfCare.injections.kinds.given') },
              { value: 'stopped', label: t('levelsOfCare.injections.kinds.stopped') },
            ]}
          />
          <TextInput type="date" label={t('levelsOfCare.injections.date')} value={givenOn} onChange={(e) => setGivenOn(e.currentTarget.value)} error={fieldError(error, 'givenOn')} />
          {kind === 'given' ? (
            <>
              <NumberInput label={t('levelsOfCare.injections.dose')} min={1} value={doseMg} onChange={(v) => setDose(typeof v === 'number' ? v : 380)} error={fieldError(error, 'doseMg')} />
              <NativeSelect
                label={t('levelsOfCare.injections.site')}
                value={site}
                onChange={(e) => setSite(e.currentTarget.value as 'left-gluteal' | 'right-gluteal')}
                data={(['left-gluteal', 'right-gluteal'] as const).map((s) => ({ value: s, label: t(`levelsOfCare.injections.sites.${s}`) }))}
                error={fieldError(error, 'site')}
              />
            </>
          ) : null}
        </SimpleGrid>
        <Group>
          <Button type="submit" size="xs" loading={busy}>
            {t('levelsOfCare.injections.record')}
          </Button>
          <Button size="xs" variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A part's heading, with its "Record" button for those who may record (none while the form is open). */
function RecordHeading({ title, record, onRecord }: { title: string; record: string; onRecord: (() => void) | null }) {
  return (
    <Group justify="space-between">
      <Title order={3} size="h5">
        {title}
      </Title>
      {onRecord ? (
        <Button size="xs" variant="light" onClick={onRecord}>
          {record}
        </Button>
      ) : null}
    </Group>
  );
}
