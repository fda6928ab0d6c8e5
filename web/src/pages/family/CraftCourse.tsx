// One CRAFT course (issue 16): the sessions (date, topic, status, the CSO's homework; record held
// or missed, move one), the CSO's wellbeing (PHQ-9, GAD-7) with its trend and a form to enter
// one with them, the outcome ("Did their loved one enter treatment? When? Where?"), the CSO's
// app invite and phones (the patient page's InviteCard), and closing the course. Everything
// here is the CSO's own record: no patient's information is shown.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { Anchor, Button, Card, Group, Modal, NumberInput, SegmentedControl, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { StatusBadge, TableHead } from '../../components/common.tsx';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { formatDate, formatDateTime, todayIn } from '../../format.ts';
import { useSession } from '../../session.tsx';
import { AppDevicesTable, InviteCard } from '../patient/PatientApp.tsx';
import { outcomeText } from './CraftList.tsx';
import {
  useCloseCraft,
  useCraftApp,
  useCraftCourse,
  useInviteCraft,
  useRecordOutcome,
  useRevokeCraftDevice,
  useStaffWellbeing,
  useUpdateSession,
  type CraftCourseT,
  type CraftSessionT,
  type InviteIssuedT,
} from './craftQueries.ts';

export function CraftCoursePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { can } = useSession();
  const course = useCraftCourse(id);
  const c = course.data;
  const write = can('write:family') && !!c && !c.closedAt;
  return (
    <Stack>
      <Anchor component={Link} to="/craft" size="sm">
        {t('craft.back')}
      </Anchor>
      <ErrorAlert error={course.error} />
      {c ? (
        <>
          <Title order={1} data-testid="craft-course-title">
            {t('craft.course.title', { name: c.displayName })}
          </Title>
          <Text>
            {t('craft.course.about', { lovedOne: c.lovedOne, counsellor: c.counsellorName })} {t('craft.list.held', { n: c.summary.held })} ·{' '}
            {t('craft.course.homeworkDone', { n: c.summary.homeworkDone })}
          </Text>
          {c.helpNowFlag ? (
            <Card withBorder bg="red.0" data-testid="craft-help-flag">
              <Text fw={700}>{t('craft.helpNowFlag')}</Text>
              <Text size="sm">{t('craft.helpNowBody')}</Text>
            </Card>
          ) : null}
          {c.closedAt ? <Text c="dimmed">{t('craft.course.closedOn', { reason: c.closedReason ?? '' })}</Text> : null}
          <Sessions course={c} write={write} />
          <Wellbeing course={c} write={write} />
          <Outcome course={c} write={can('write:family')} />
          <AppCard id={c.id} />
          {write ? <Close id={c.id} /> : null}
        </>
      ) : null}
    </Stack>
  );
}

function statusBadge(t: (k: string) => string, s: CraftSessionT) {
  if (s.status === 'held') return <StatusBadge tone="ok">{t('craft.status.held')}</StatusBadge>;
  if (s.status === 'missed') return <StatusBadge tone="bad">{t('craft.status.missed')}</StatusBadge>;
  return <StatusBadge tone="neutral">{t('craft.status.scheduled')}</StatusBadge>;
}

function Sessions({ course, write }: { course: CraftCourseT; write: boolean }) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const update = useUpdateSession(course.id);
  const [moving, setMoving] = useState<CraftSessionT | null>(null);
  const [to, setTo] = useState('');
  const lang = i18n.language === 'es' ? 'es' : 'en';
  const today = todayIn(program?.timeZone);
  return (
    <Card withBorder>
      <Title order={2} size="h3">
        {t('craft.sessions.title')}
      </Title>
      <ErrorAlert error={update.error} />
      <Table.ScrollContainer minWidth={860}>
        <Table verticalSpacing="xs" data-testid="craft-sessions">
          <TableHead labels={[t('craft.sessions.number'), t('craft.sessions.date'), t('craft.sessions.topic'), t('craft.sessions.status'), t('craft.sessions.homework')]} actions={write} />
          <Table.Tbody>
            {course.sessions.map((s) => (
              <Table.Tr key={s.number} data-testid={`craft-session-${s.number}`}>
                <Table.Td>{s.number}</Table.Td>
                <Table.Td>{formatDate(s.scheduledOn, i18n.language)}</Table.Td>
                <Table.Td>{s.title[lang]}</Table.Td>
                <Table.Td>
                  {statusBadge(t, s)}
                  {s.heldOn && s.heldOn !== s.scheduledOn ? <Text size="xs">{formatDate(s.heldOn, i18n.language)}</Text> : null}
                </Table.Td>
                <Table.Td maw={320}>
                  {s.homeworkResponse ? (
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid={`craft-homework-${s.number}`}>
                      <span aria-hidden="true">✓ </span>
                      {s.homeworkResponse}
                    </Text>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {t('craft.sessions.noHomework')}
                    </Text>
                  )}
                </Table.Td>
                {write ? (
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {s.status !== 'held' && s.scheduledOn <= today ? (
                        <Button size="xs" variant="light" onClick={() => update.mutate({ number: s.number, status: 'held' })} aria-label={t('craft.sessions.heldLabel', { n: s.number })}>
                          {t('craft.sessions.held')}
                        </Button>
                      ) : null}
                      {s.status === 'scheduled' && s.scheduledOn <= today ? (
                        <Button size="xs" variant="default" onClick={() => update.mutate({ number: s.number, status: 'missed' })} aria-label={t('craft.sessions.missedLabel', { n: s.number })}>
                          {t('craft.sessions.missed')}
                        </Button>
                      ) : null}
                      {s.status === 'scheduled' ? (
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => {
                            setMoving(s);
                            setTo(s.scheduledOn);
                          }}
                          aria-label={t('craft.sessions.moveLabel', { n: s.number })}
                        >
                          {t('craft.sessions.move')}
                        </Button>
                      ) : null}
                    </Group>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Modal opened={!!moving} onClose={() => setMoving(null)} title={moving ? t('craft.sessions.moveTitle', { n: moving.number }) : ''}>
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            if (moving) update.mutate({ number: moving.number, scheduledOn: to }, { onSuccess: () => setMoving(null) });
          }}
        >
          <Stack>
            <TextInput type="date" label={t('craft.sessions.newDate')} value={to} onChange={(e) => setTo(e.currentTarget.value)} error={fieldError(update.error, 'scheduledOn')} required />
            <Button type="submit" loading={update.isPending}>
              {t('craft.sessions.move')}
            </Button>
          </Stack>
        </form>
      </Modal>
    </Card>
  );
}

function Wellbeing({ course, write }: { course: CraftCourseT; write: boolean }) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const [entering, setEntering] = useState(false);
  return (
    <Card withBorder data-testid="craft-wellbeing">
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t('craft.wellbeing.title')}
        </Title>
        {write ? (
          <Button size="xs" variant="light" onClick={() => setEntering(true)}>
            {t('craft.wellbeing.enter')}
          </Button>
        ) : null}
      </Group>
      <Text size="sm" c="dimmed">
        {t('craft.wellbeing.help')}
      </Text>
      {course.trend.map((tr) => (
        <Text key={tr.instrument} data-testid={`craft-trend-${tr.instrument}`}>
          <strong>{t(`craft.wellbeing.instruments.${tr.instrument}`)}</strong>: {t('craft.wellbeing.trend', { first: tr.first, latest: tr.latest, n: tr.count })} (
          {t(`craft.wellbeing.direction.${tr.direction}`)})
        </Text>
      ))}
      {course.wellbeing.length === 0 ? <Text c="dimmed">{t('craft.wellbeing.none')}</Text> : null}
      {course.wellbeing.length > 0 ? (
        <Table verticalSpacing="xs">
          <TableHead labels={[t('craft.wellbeing.when'), t('craft.wellbeing.instrument'), t('craft.wellbeing.score'), t('craft.wellbeing.severity'), t('craft.wellbeing.source')]} />
          <Table.Tbody>
            {course.wellbeing.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>{formatDateTime(a.completedAt, i18n.language, program?.timeZone)}</Table.Td>
                <Table.Td>{t(`craft.wellbeing.instruments.${a.instrument}`)}</Table.Td>
                <Table.Td>
                  {a.score}
                  {a.helpNow ? (
                    <>
                      {' '}
                      <StatusBadge tone="bad">{t('craft.wellbeing.item9')}</StatusBadge>
                    </>
                  ) : null}
                </Table.Td>
                <Table.Td>{t(`craft.wellbeing.severities.${a.severity}`)}</Table.Td>
                <Table.Td>{t(`craft.wellbeing.sources.${a.source}`)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      <Modal opened={entering} onClose={() => setEntering(false)} title={t('craft.wellbeing.enter')} size="lg">
        {entering ? <WellbeingForm id={course.id} onDone={() => setEntering(false)} /> : null}
      </Modal>
    </Card>
  );
}

function WellbeingForm({ id, onDone }: { id: string; onDone: () => void }) {
  const { t } = useTranslation();
  const save = useStaffWellbeing(id);
  const [instrument, setInstrument] = useState<'phq-9' | 'gad-7'>('phq-9');
  const [answers, setAnswers] = useState<Record<string, number | ''>>({});
  const n = instrument === 'phq-9' ? 9 : 7;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = Object.fromEntries(Object.entries(answers).filter(([k, v]) => v !== '' && Number(k) <= n)) as Record<string, number>;
    save.mutate({ instrument, answers: body }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <SegmentedControl
          value={instrument}
          onChange={(v) => setInstrument(v as 'phq-9' | 'gad-7')}
          data={[
            { value: 'phq-9', label: t('craft.wellbeing.instruments.phq-9') },
            { value: 'gad-7', label: t('craft.wellbeing.instruments.gad-7') },
          ]}
        />
        <Text size="sm">{t('craft.wellbeing.itemsHelp')}</Text>
        <ErrorAlert error={save.error} />
        <Group>
          {Array.from({ length: n }, (_, i) => String(i + 1)).map((k) => (
            <NumberInput
              key={k}
              w={80}
              label={t('craft.wellbeing.item', { n: k })}
              min={0}
              max={3}
              value={answers[k] ?? ''}
              onChange={(v) => setAnswers((a) => ({ ...a, [k]: v === '' ? '' : Number(v) }))}
              error={fieldError(save.error, `answers.${k}`)}
            />
          ))}
        </Group>
        <Button type="submit" loading={save.isPending}>
          {t('craft.wellbeing.save')}
        </Button>
      </Stack>
    </form>
  );
}

function Outcome({ course, write }: { course: CraftCourseT; write: boolean }) {
  const { t, i18n } = useTranslation();
  const record = useRecordOutcome(course.id);
  const [entered, setEntered] = useState<'yes' | 'no'>('yes');
  const [on, setOn] = useState('');
  const [setting, setSetting] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    record.mutate(entered === 'yes' ? { enteredTreatment: true, ...(on ? { enteredOn: on } : {}), ...(setting ? { setting } : {}) } : { enteredTreatment: false });
  };
  return (
    <Card withBorder data-testid="craft-outcome">
      <Title order={2} size="h3">
        {t('craft.outcome.title')}
      </Title>
      <Text>{outcomeText(t, course.outcome, i18n.language)}</Text>
      {course.outcome?.setting ? <Text size="sm">{t('craft.outcome.where', { setting: course.outcome.setting })}</Text> : null}
      {write ? (
        <form onSubmit={submit}>
          <Stack mt="sm">
            <Text fw={600} id="craft-outcome-q">
              {t('craft.outcome.question')}
            </Text>
            <SegmentedControl
              aria-labelledby="craft-outcome-q"
              value={entered}
              onChange={(v) => setEntered(v as 'yes' | 'no')}
              data={[
                { value: 'yes', label: t('craft.outcome.yes') },
                { value: 'no', label: t('craft.outcome.no') },
              ]}
            />
            {entered === 'yes' ? (
              <Group grow align="flex-start">
                <TextInput type="date" label={t('craft.outcome.when')} value={on} onChange={(e) => setOn(e.currentTarget.value)} error={fieldError(record.error, 'enteredOn')} />
                <TextInput
                  label={t('craft.outcome.whereLabel')}
                  placeholder={t('craft.outcome.wherePlaceholder')}
                  value={setting}
                  onChange={(e) => setSetting(e.currentTarget.value)}
                  error={fieldError(record.error, 'setting')}
                />
              </Group>
            ) : null}
            <ErrorAlert error={record.error} />
            <Group>
              <Button type="submit" loading={record.isPending} data-testid="craft-outcome-save">
                {t('craft.outcome.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </Card>
  );
}

function AppCard({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const access = useCraftApp(id);
  const invite = useInviteCraft(id);
  const revoke = useRevokeCraftDevice(id);
  const [issued, setIssued] = useState<InviteIssuedT | null>(null);
  const when = (iso: string) => formatDateTime(iso, i18n.language, program?.timeZone);
  const a = access.data;
  const write = can('write:family');
  return (
    <Card withBorder data-testid="craft-app">
      <Stack>
        <Title order={2} size="h3">
          {t('craft.app.title')}
        </Title>
        <ErrorAlert error={access.error ?? invite.error ?? revoke.error} />
        {issued ? <InviteCard issued={issued} expires={when(issued.expiresAt)} how={t('craft.app.how')} qrLabel={t('craft.app.qr')} testId="craft" onDone={() => setIssued(null)} /> : null}
        {a && !issued ? <Text size="sm">{a.invite ? t(`consent.family.inviteStatus.${a.invite.status}`, { time: when(a.invite.expiresAt) }) : t('craft.app.noInvite')}</Text> : null}
        {write && !issued ? (
          <Group>
            <Button size="xs" variant="light" onClick={() => invite.mutate(undefined, { onSuccess: setIssued })} loading={invite.isPending} data-testid="craft-invite">
              {t('craft.app.invite')}
            </Button>
          </Group>
        ) : null}
        {a && a.devices.length === 0 ? <Text c="dimmed">{t('patientAppAccess.noDevices')}</Text> : null}
        {a && a.devices.length > 0 ? <AppDevicesTable devices={a.devices} canWrite={write} testId="craft-devices" revoking={revoke.isPending} onRevoke={(id) => revoke.mutate(id)} /> : null}
      </Stack>
    </Card>
  );
}

function Close({ id }: { id: string }) {
  const { t } = useTranslation();
  const close = useCloseCraft(id);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  return (
    <Card withBorder>
      {!open ? (
        <Group>
          <Button variant="default" color="red" onClick={() => setOpen(true)}>
            {t('craft.close.open')}
          </Button>
        </Group>
      ) : (
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            close.mutate(reason);
          }}
        >
          <Stack>
            <Textarea label={t('craft.close.reason')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(close.error, 'reason')} />
            <Group>
              <Button type="submit" color="red" loading={close.isPending}>
                {t('craft.close.confirm')}
              </Button>
              <Button variant="default" onClick={() => setOpen(false)}>
                {t('craft.cancel')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Card>
  );
}
