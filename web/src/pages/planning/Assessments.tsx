// Assessment on the patient page: open safety alerts, the stage of change (badge,
// trajectory chart with a table equivalent, clinician judgement or override), administering
// an instrument (staff-entered, or handed to the patient on a tablet), results with bands
// and alerts, and the history of administrations.
import { lazy, Suspense, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Chip, Group, NativeSelect, SegmentedControl, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { STAGES } from '../../../../core/planning/types.ts';
import { api, isApiError, newIdempotencyKey, type AssessmentT, type InstrumentId, type PatientSessionStartedT, type SafetyAlertT } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatInstantDate, formatDateTime } from '../../format.ts';
import { StatusBadge, TableHead } from '../../components/common.tsx';
import { ErrorAlert, fieldError, useAction } from '../../components/forms.tsx';
import { Section } from '../../components/Section.tsx';
import { QuestionnaireForm, type Answers } from './QuestionnaireForm.tsx';
import { QrCode } from '../../components/QrCode.tsx';

const StageChart = lazy(() => import('../../components/Charts.tsx').then((m) => ({ default: m.StageTrajectoryChart })));

export const assessKey = (programId: string | undefined, patientId: string, what: string) => ['assess', programId, patientId, what];

/** Open safety alerts for this patient, prominent, with acknowledgement. */
export function SafetyAlerts({ patientId }: { patientId?: string }) {
  const { i18n } = useTranslation();
  const { can, program } = useSession();
  const q = useQuery({
    queryKey: ['assess', program?.id, 'alerts', patientId ?? 'mine'],
    queryFn: () => api.safetyAlerts(patientId ? { status: 'open', scope: 'all', patientId } : { status: 'open' }),
    enabled: can('read:safety-alert'),
  });
  const items = q.data?.items ?? [];
  if (items.length === 0) return <ErrorAlert error={q.error} />;
  return (
    <Stack gap="xs" data-testid="safety-alerts">
      {items.map((a) => (
        <SafetyAlertCard key={a.id} alert={a} showPatient={!patientId} lang={i18n.language} tz={program?.timeZone} canAck={can('write:safety-alert')} />
      ))}
    </Stack>
  );
}

/** One alert on the care team's list: urgent ones in filled red, others in a light colour by severity (ADR 034). */
function SafetyAlertCard({ alert, showPatient, lang, tz, canAck }: { alert: SafetyAlertT; showPatient: boolean; lang: string; tz?: string; canAck: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const ack = async () => {
    setError(null);
    try {
      await api.acknowledgeAlert(alert.id, note.trim() || undefined);
      await queryClient.invalidateQueries({ queryKey: ['assess'] });
      await queryClient.invalidateQueries({ queryKey: ['check-ins'] });
    } catch (err) {
      setError(err);
    }
  };
  const urgent = alert.severity === 'urgent';
  const text = lang.startsWith('es') && alert.textEs ? alert.textEs : alert.text;
  const tab = alert.source === 'check-in' ? 'checkins' : 'assess';
  const buttons = urgent ? ({ variant: 'white', color: 'red' } as const) : ({ variant: 'filled', color: 'dark' } as const);
  return (
    <Alert
      color={urgent ? 'red' : alert.severity === 'warning' ? 'orange' : 'blue'}
      variant={urgent ? 'filled' : 'light'}
      role={urgent ? 'alert' : undefined}
      title={urgent ? t('alerts.urgentTitle') : t(`checkIns.severityTitle.${alert.severity}`)}
      icon={<span aria-hidden="true">!</span>}
      styles={urgent ? undefined : { title: { color: 'var(--mantine-color-dark-9)' }, message: { color: 'var(--mantine-color-dark-9)' } }}
      data-testid="safety-alert"
      data-severity={alert.severity}
    >
      <Stack gap={6}>
        <Text size="sm">
          {showPatient ? `${alert.patientName} (${alert.mrn}) · ` : ''}
          {text} · {t('alerts.raised', { when: formatDateTime(alert.raisedAt, lang, tz) })}
        </Text>
        <Text size="xs">{t('alerts.ackMeans')}</Text>
        <ErrorAlert error={error} />
        <Group gap="xs" align="flex-end">
          {showPatient ? (
            <Button size="xs" {...buttons} onClick={() => navigate(`/patients/${alert.patientId}?tab=${tab}`)}>
              {t('alerts.open')}
            </Button>
          ) : null}
          {canAck ? (
            <>
              <TextInput size="xs" aria-label={t('alerts.note')} placeholder={t('alerts.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
              <Button size="xs" {...buttons} onClick={() => void ack()}>
                {t('alerts.acknowledge')}
              </Button>
            </>
          ) : null}
        </Group>
      </Stack>
    </Alert>
  );
}

// ---------- stage of change ----------

export function StageBadge({ stage }: { stage: string | null | undefined }) {
  const { t } = useTranslation();
  if (!stage)
    return (
      <Badge color="gray" variant="light" style={{ textTransform: 'none' }}>
        {t('stage.unknown')}
      </Badge>
    );
  const idx = STAGES.indexOf(stage as (typeof STAGES)[number]);
  return (
    <Badge
      size="lg"
      color="blue"
      variant="light"
      style={{ textTransform: 'none' }}
      data-testid="stage-badge"
      leftSection={
        <span aria-hidden="true">
          {'●'.repeat(idx + 1)}
          {'○'.repeat(4 - idx)}
        </span>
      }
    >
      {t(`stages.${stage}`)}
    </Badge>
  );
}

export function StageSection({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const q = useQuery({ queryKey: assessKey(program?.id, patientId, 'stage'), queryFn: () => api.stage(patientId) });
  const [recording, setRecording] = useState(false);
  const [asTable, setAsTable] = useState(false);
  const data = q.data;
  const stageNames = STAGES.map((s) => t(`stages.${s}`));
  const points = data?.points ?? [];
  const chartData = points.map((p) => ({ when: formatInstantDate(p.assessedAt, i18n.language, program?.timeZone), rank: p.rank }));
  const backMoves = (data?.changes ?? []).filter((c) => c.direction === 'back');
  return (
    <Section
      title={t('stage.title')}
      permission="read:stage"
      testId="stage"
      actions={
        can('write:stage') && !recording ? (
          <Button size="xs" variant="light" onClick={() => setRecording(true)}>
            {t('stage.record')}
          </Button>
        ) : null
      }
    >
      <ErrorAlert error={q.error} />
      <Group>
        <Text size="sm">{t('stage.current')}</Text>
        <StageBadge stage={data?.current?.stage} />
        {data?.current ? (
          <Text size="xs" c="dimmed">
            {data.current.source === 'urica' ? t('stage.fromUrica') : t('stage.fromClinician', { name: data.current.assessedByName ?? '' })} ·{' '}
            {formatInstantDate(data.current.assessedAt, i18n.language, program?.timeZone)}
          </Text>
        ) : null}
      </Group>
      {backMoves.length > 0 ? <Text size="sm">{t('stage.backNoBlame')}</Text> : null}
      {points.length > 1 ? (
        <>
          <Group justify="flex-end">
            <Button size="xs" variant="subtle" onClick={() => setAsTable(!asTable)}>
              {asTable ? t('stage.asChart') : t('cmPatient.asTable')}
            </Button>
          </Group>
          <Text className="sr-only">
            {t('stage.chartSummary', { list: points.map((p) => `${formatInstantDate(p.assessedAt, i18n.language, program?.timeZone)}: ${t(`stages.${p.stage}`)}`).join('; ') })}
          </Text>
          {!asTable ? (
            <Suspense fallback={<Text c="dimmed">{t('common.loading')}</Text>}>
              <StageChart data={chartData} stageNames={stageNames} label={t('stage.title')} />
            </Suspense>
          ) : null}
        </>
      ) : null}
      {(asTable || points.length === 1) && points.length > 0 ? (
        <Table data-testid="stage-table" verticalSpacing={4}>
          <TableHead labels={[t('stage.when'), t('stage.stage'), t('stage.source'), t('stage.reason')]} />
          <Table.Tbody>
            {[...points].reverse().map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>{formatInstantDate(p.assessedAt, i18n.language, program?.timeZone)}</Table.Td>
                <Table.Td>{t(`stages.${p.stage}`)}</Table.Td>
                <Table.Td>
                  {p.source === 'urica' ? t('stage.fromUrica') : t('stage.fromClinician', { name: p.assessedByName ?? '' })}
                  {p.overridesId ? ` · ${t('stage.override')}` : ''}
                </Table.Td>
                <Table.Td>{p.reason ?? ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      {recording ? <RecordStage patientId={patientId} uricaStage={[...points].reverse().find((p) => p.source === 'urica')?.stage ?? null} onClose={() => setRecording(false)} /> : null}
    </Section>
  );
}

function RecordStage({ patientId, uricaStage, onClose }: { patientId: string; uricaStage: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { program } = useSession();
  const queryClient = useQueryClient();
  const [stage, setStage] = useState<string>(uricaStage ?? 'contemplation');
  const [informedBy, setInformedBy] = useState<string[]>(['interview']);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const { busy, error, run } = useAction();
  const override = uricaStage !== null && stage !== uricaStage;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api.recordStage(patientId, {
        stage: stage as (typeof STAGES)[number],
        informedBy: informedBy as Array<'urica' | 'socrates-8d' | 'readiness-ruler' | 'interview'>,
        reason: reason.trim() || undefined,
        note: note.trim() || undefined,
      });
      await queryClient.invalidateQueries({ queryKey: ['assess', program?.id, patientId] });
      onClose();
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-label={t('stage.record')}>
      <Stack gap="sm">
        <ErrorAlert error={error} />
        <NativeSelect label={t('stage.stage')} value={stage} onChange={(e) => setStage(e.currentTarget.value)} data={STAGES.map((s) => ({ value: s, label: t(`stages.${s}`) }))} />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="informed-by">
            {t('stage.informedBy')}
          </Text>
          <Chip.Group multiple value={informedBy} onChange={setInformedBy}>
            <Group gap={4} role="group" aria-labelledby="informed-by">
              {(['interview', 'urica', 'socrates-8d', 'readiness-ruler'] as const).map((s) => (
                <Chip key={s} value={s} size="sm">
                  {t(`stage.sources.${s}`)}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
        </Stack>
        {override ? (
          <Alert color="blue" variant="light">
            {t('stage.overrideHint', { stage: t(`stages.${uricaStage}`) })}
          </Alert>
        ) : null}
        <TextInput label={t('stage.reason')} required={override} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(error, 'reason')} />
        <Textarea label={t('stage.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={2} />
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

// ---------- administering an instrument ----------

export function AdministerSection({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const instruments = useQuery({ queryKey: ['assess', 'instruments'], queryFn: api.instruments, staleTime: Infinity });
  const [instrument, setInstrument] = useState<InstrumentId | ''>('');
  const [mode, setMode] = useState<'staff' | 'tablet'>('staff');
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<AssessmentT | null>(null);
  const [error, setError] = useState<unknown>(null);
  const list = instruments.data?.items ?? [];
  const chosen = (instrument || list[0]?.id || '') as InstrumentId | '';

  const [handoff, setHandoff] = useState<PatientSessionStartedT | null>(null);
  const startTablet = async () => {
    if (!chosen) return;
    setError(null);
    try {
      // The tablet gets a single-use link (and its QR code) to open in a browser without this
      // staff session; this console stays here, signed in (ADR 027).
      setHandoff(await api.startPatientSession(patientId, { instrument: chosen }));
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Section title={t('assess.title')} permission="read:assessment" testId="administer">
      <ErrorAlert error={instruments.error ?? error} />
      {!open && !handoff ? (
        <Group align="flex-end">
          <NativeSelect
            label={t('assess.instrument')}
            value={chosen}
            onChange={(e) => setInstrument(e.currentTarget.value as InstrumentId)}
            data={list.map((i) => ({ value: i.id, label: i.title }))}
          />
          <SegmentedControl
            value={mode}
            onChange={(v) => setMode(v as 'staff' | 'tablet')}
            aria-label={t('assess.mode')}
            data={[
              { value: 'staff', label: t('assess.staffEntered') },
              { value: 'tablet', label: t('assess.tablet') },
            ]}
          />
          {mode === 'staff' ? (
            <Button
              onClick={() => {
                setResult(null);
                setOpen(true);
              }}
              disabled={!chosen}
            >
              {t('assess.start')}
            </Button>
          ) : (
            <Button onClick={() => void startTablet()} disabled={!chosen}>
              {t('assess.handTablet')}
            </Button>
          )}
        </Group>
      ) : null}
      {mode === 'tablet' && !open && !handoff ? (
        <Text size="xs" c="dimmed">
          {t('assess.tabletHint')}
        </Text>
      ) : null}
      {handoff ? <TabletHandoff patientId={patientId} started={handoff} onClose={() => setHandoff(null)} /> : null}
      {open && chosen ? (
        <StaffForm
          patientId={patientId}
          instrument={chosen}
          onDone={(a) => {
            setResult(a);
            setOpen(false);
          }}
          onCancel={() => setOpen(false)}
        />
      ) : null}
      {result ? <AssessmentResult a={result} /> : null}
    </Section>
  );
}

/** The hand-off: the tablet scans the QR code (or opens the link) in a browser without this staff session. */
function TabletHandoff({ patientId, started, onClose }: { patientId: string; started: PatientSessionStartedT; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const { program } = useSession();
  const link = `${window.location.origin}${started.handoffPath}`;
  const status = useQuery({
    queryKey: ['assess', 'patient-session', patientId, started.id],
    queryFn: () => api.patientSession(patientId, started.id),
    refetchInterval: (q) => (q.state.data && q.state.data.status !== 'open' ? false : 5000),
  });
  const s = status.data;
  const { busy, error, run } = useAction();
  useEffect(() => {
    if (s?.status === 'submitted') void queryClient.invalidateQueries({ queryKey: ['assess', program?.id, patientId] });
  }, [s?.status, patientId, program?.id, queryClient]);
  const state = !s ? 'waiting' : s.status === 'open' ? (s.handedOff ? 'handedOff' : 'waiting') : s.status;
  return (
    <Card withBorder data-testid="tablet-handoff">
      <Stack gap="sm">
        <Title order={4}>{t('assess.handoffTitle')}</Title>
        <Text size="sm">{t('assess.handoffHow')}</Text>
        {state === 'waiting' ? (
          <>
            <QrCode value={link} label={t('assess.handoffQr')} />
            <TextInput label={t('assess.handoffLink')} value={link} readOnly onFocus={(e) => e.currentTarget.select()} data-testid="tablet-link" />
            <Text size="xs" c="dimmed">
              {t('assess.handoffExpires', { time: formatDateTime(started.expiresAt, i18n.language, program?.timeZone) })}
            </Text>
          </>
        ) : null}
        <Text fw={600} aria-live="polite" data-testid="tablet-handoff-status">
          {t(`assess.handoffState.${state}`)}
        </Text>
        <ErrorAlert error={error} />
        <Group>
          {s?.status === 'open' || !s ? (
            <Button
              variant="default"
              loading={busy}
              onClick={() =>
                void run(async () => {
                  await api.cancelPatientSession(patientId, started.id);
                  onClose();
                })
              }
            >
              {t('assess.handoffCancel')}
            </Button>
          ) : (
            <Button variant="default" onClick={onClose}>
              {t('common.done')}
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

function StaffForm({ patientId, instrument, onDone, onCancel }: { patientId: string; instrument: InstrumentId; onDone: (a: AssessmentT) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const { program } = useSession();
  const queryClient = useQueryClient();
  const q = useQuery({ queryKey: ['assess', 'questionnaire', instrument], queryFn: () => api.questionnaire(instrument), staleTime: Infinity });
  const [answers, setAnswers] = useState<Answers>({});
  const [target, setTarget] = useState('');
  const [key] = useState(newIdempotencyKey);
  const { busy, error, run } = useAction();
  useEffect(() => setAnswers({}), [instrument]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const a = await api.administer(patientId, { instrument, answers, targetBehavior: target.trim() || undefined }, key);
      await queryClient.invalidateQueries({ queryKey: ['assess', program?.id] });
      notifications.show({ color: 'teal', message: t('assess.saved') });
      onDone(a);
    });
  };
  if (!q.data) return q.isPending ? <Text c="dimmed">{t('common.loading')}</Text> : <ErrorAlert error={q.error} />;
  return (
    <form onSubmit={submit} noValidate aria-label={String(q.data.title ?? instrument)} data-testid="instrument-form">
      <Stack>
        <Title order={3} size="h4">
          {String(q.data.title ?? instrument)}
        </Title>
        {typeof q.data.copyright === 'string' ? (
          <Text size="xs" c="dimmed">
            {q.data.copyright}
          </Text>
        ) : null}
        <ErrorAlert error={error} />
        <QuestionnaireForm questionnaire={q.data} answers={answers} onChange={setAnswers} targetBehavior={target} onTargetBehavior={setTarget} error={isApiError(error) ? error : null} />
        <Group>
          <Button type="submit" loading={busy}>
            {t('assess.submit')}
          </Button>
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function AssessmentResult({ a }: { a: AssessmentT }) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  return (
    <Card withBorder data-testid="assessment-result" role="status">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h5">
            {a.title}
          </Title>
          <Text size="xs" c="dimmed">
            {formatDateTime(a.administeredAt, i18n.language, program?.timeZone)} · {a.mode === 'patient-tablet' ? t('assess.tablet') : t('assess.staffEntered')}
            {a.administeredByName ? ` · ${a.administeredByName}` : ''}
          </Text>
        </Group>
        {a.alerts
          .filter((x) => x.severity === 'urgent')
          .map((x) => (
            <Alert key={x.code} color="red" variant="filled" role="alert" title={t('alerts.urgentTitle')} icon={<span aria-hidden="true">!</span>}>
              {x.text}
            </Alert>
          ))}
        {a.alerts
          .filter((x) => x.severity !== 'urgent')
          .map((x) => (
            <Alert key={x.code} color="yellow" variant="light">
              {x.text}
            </Alert>
          ))}
        {!a.complete ? (
          <Alert color="yellow" variant="light">
            {t('assess.missing', { items: a.missing.join(', ') })}
          </Alert>
        ) : null}
        <Table verticalSpacing={2}>
          <Table.Tbody>
            {Object.entries(a.scores).map(([k, v]) => (
              <Table.Tr key={k}>
                <Table.Th scope="row">{t(`scores.${k}`, { defaultValue: k })}</Table.Th>
                <Table.Td data-score={k}>{v === null ? t('assess.notScored') : Number.isInteger(v) ? v : v.toFixed(2)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {a.band ? (
          <Text size="sm">
            <b>{t('assess.band')}:</b> {a.band.label}
            {a.band.norms ? ` (${a.band.norms})` : ''}
          </Text>
        ) : null}
        {a.stage ? (
          <Stack gap={2}>
            <Group gap="xs">
              <Text size="sm" fw={600}>
                {t('stage.title')}:
              </Text>
              <StageBadge stage={a.stage.code} />
            </Group>
            <Text size="xs" c="dimmed">
              {t('assess.stageMethod', { method: a.stage.method })} {!a.stage.validated ? t('assess.notValidated') : ''} {a.stage.note}
            </Text>
          </Stack>
        ) : null}
      </Stack>
    </Card>
  );
}

export function AssessmentHistory({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const q = useInfiniteQuery({
    queryKey: assessKey(program?.id, patientId, 'history'),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => api.assessments(patientId, pageParam),
    getNextPageParam: (last) => last.nextCursor,
  });
  const [openId, setOpenId] = useState<string | null>(null);
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  if (items.length === 0) return <ErrorAlert error={q.error} />;
  return (
    <Section title={t('assess.history')} permission="read:assessment" testId="assessment-history">
      <Table verticalSpacing={4}>
        <TableHead labels={[t('stage.when'), t('assess.instrument'), t('assess.summary')]} actions />
        <Table.Tbody>
          {items.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>{formatInstantDate(a.administeredAt, i18n.language, program?.timeZone)}</Table.Td>
              <Table.Td>{a.title}</Table.Td>
              <Table.Td>
                {a.alerts.some((x) => x.severity === 'urgent') ? <StatusBadge tone="bad">{t('alerts.urgent')}</StatusBadge> : null}{' '}
                {a.stage
                  ? t(`stages.${a.stage.code}`)
                  : (a.band?.label ??
                    Object.entries(a.scores)
                      .filter(([, v]) => v !== null)
                      .map(([k, v]) => `${t(`scores.${k}`, { defaultValue: k })} ${Number.isInteger(v) ? v : v!.toFixed(1)}`)
                      .join(', '))}
              </Table.Td>
              <Table.Td>
                <Button size="xs" variant="subtle" onClick={() => setOpenId(openId === a.id ? null : a.id)}>
                  {openId === a.id ? t('assess.hide') : t('assess.show')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {openId ? <AssessmentResult a={items.find((a) => a.id === openId)!} /> : null}
      {q.hasNextPage ? (
        <Button size="xs" variant="subtle" onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
          {t('common.showMore')}
        </Button>
      ) : null}
    </Section>
  );
}
