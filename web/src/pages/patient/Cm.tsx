// The patient's contingency management: the classic CM calendar (colour + symbol + words,
// with a table equivalent), streaks, current and next value, balance, caps, the ledger,
// draws, enrolments, redemption, privilege recommendations and laboratory corrections.
// Outcomes are the results in effect (after corrections and adjudications); money is what
// the ledger paid, with what the patient keeps although no longer owed shown apart (never
// as a negative payment), in words a patient understands.
import { Fragment, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Chip,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  api,
  isApiError,
  newIdempotencyKey,
  type CalendarCellT,
  type CapStatusT,
  type EnrolmentT,
  type LedgerItemT,
  type LedgerTotalsT,
  type PatientCmSummaryT,
  type PrivilegeRecommendationT,
  type RedemptionT,
  type RedemptionRequestT,
  type TrackSettlementT,
} from '../../api.ts';
import { screensKey } from '../../queries/screens.ts';
import { useSession } from '../../session.tsx';
import { formatCents, formatDate, formatInstantDate, formatDateTime, todayIn } from '../../format.ts';
import { StatusBadge, TableHead } from '../../components/common.tsx';
import { ErrorAlert, fieldError, useAction } from '../../components/forms.tsx';
import { Section } from '../../components/Section.tsx';
import { ANALYTES, ANALYTE_INFO, DeclinedWhy, DeclineForm, NextValue, cellMeta, trackName, useDeclineReason, type Analyte } from '../cm/shared.tsx';

const cmKey = (programId: string | undefined, patientId: string, what: string) => ['cm', programId, 'patient', patientId, what];

export function CmTab({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const { can, program } = useSession();
  const summary = useQuery({ queryKey: cmKey(program?.id, patientId, 'summary'), queryFn: () => api.cmPatientSummary(patientId) });
  const s = summary.data;
  return (
    <Stack data-testid="cm-tab">
      <ErrorAlert error={summary.error} />
      {summary.isPending ? <Text c="dimmed">{t('common.loading')}</Text> : null}
      {s ? (
        <>
          {s.enrolment ? <CmOverview summary={s} /> : null}
          {s.enrolment ? <CalendarSection summary={s} /> : null}
          <EnrolmentsSection patientId={patientId} />
          {s.enrolment || s.balanceCents > 0 ? <LedgerSection patientId={patientId} summary={s} /> : null}
          {s.enrolment && can('redeem:cm') ? <RedemptionSection patientId={patientId} noCash={s.caps.some((c) => c.noCash)} /> : null}
          {s.enrolment ? <PrivilegeSection patientId={patientId} /> : null}
        </>
      ) : null}
    </Stack>
  );
}

function CmOverview({ summary: s }: { summary: PatientCmSummaryT }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const navigate = useNavigate();
  // the balance and money as the ledger read tells them: a prize stays out until its draw is shown
  const ledger = useQuery({ queryKey: cmKey(program?.id, s.patientId, 'ledger'), queryFn: () => api.ledger(s.patientId) });
  const undrawn = s.draws.filter((d) => !d.revealed).length;
  const enr = s.enrolment!;
  return (
    <Section
      title={t('cmPatient.title')}
      permission="read:cm"
      testId="cm-overview"
      actions={
        <Group gap="xs">
          {can('write:specimen') && enr.status === 'active' ? (
            <Button size="xs" onClick={() => navigate('/cm/test-day', { state: { patientId: s.patientId } })}>
              {t('cmPatient.recordCup')}
            </Button>
          ) : null}
          {can('draw:cm') && undrawn > 0 ? (
            <Button size="xs" color="grape" component={Link} to={`/cm/draw/${enr.id}`}>
              {t('cmPatient.drawScreen', { count: undrawn })}
            </Button>
          ) : null}
        </Group>
      }
    >
      <Text size="sm">
        {t('cmPatient.onProtocol', { name: enr.protocolName, version: enr.protocolVersion, from: formatDate(enr.startDate, i18n.language), to: formatDate(enr.endDate, i18n.language) })}
      </Text>
      {s.pendingAdjudications.length > 0 ? (
        <Alert color="yellow" variant="light" icon={<span aria-hidden="true">?</span>}>
          {t('cmPatient.pendingAdjudication', { count: s.pendingAdjudications.length })} <Link to="/cm/adjudications">{t('nav.adjudications')}</Link>
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Card withBorder padding="sm">
          <Text size="sm" c="dimmed">
            {t('cm.balance')}
          </Text>
          <Text fz={28} fw={700} data-testid="cm-balance">
            {ledger.data ? formatCents(ledger.data.balanceCents, i18n.language) : '…'}
          </Text>
          {ledger.data?.totals ? <MoneySum money={ledger.data.totals} testId="cm-money" /> : null}
          {ledger.data && ledger.data.unshownDraws > 0 ? (
            <Text size="xs" c="dimmed" data-testid="cm-unshown">
              {t('ledger.unshown', { count: ledger.data.unshownDraws })}
            </Text>
          ) : null}
        </Card>
        <Card withBorder padding="sm">
          <Text size="sm" c="dimmed">
            {t('cmPatient.streak')}
          </Text>
          {s.streaks.map((st) => (
            <Text key={st.track} size="sm">
              <Text span fw={700} fz={22}>
                {st.s}
              </Text>{' '}
              {t('cmPatient.inARow', { track: trackName(st.track) })}
              {st.currentCents > 0 ? ` · ${t('cmPatient.current', { value: formatCents(st.currentCents, i18n.language) })}` : ''}
              {st.currentDraws > 0 ? ` · ${t('cmPatient.currentDraws', { count: st.currentDraws })}` : ''}
              {st.privilege ? ` · ${st.privilege}` : ''}
            </Text>
          ))}
        </Card>
        <Card withBorder padding="sm">
          <Text size="sm" c="dimmed">
            {t('cmPatient.next')}
          </Text>
          <NextValue next={s.next} size="sm" />
        </Card>
      </SimpleGrid>
      <TrackFigures tracks={s.tracks} />
      {s.caps.map((c) => (
        <CapLine key={`${c.fundingSourceId}-${c.year}`} cap={c} />
      ))}
    </Section>
  );
}

/** Paid − spent = balance, and what of the paid money the patient keeps although a result changed: figures that add up. */
function MoneySum({ money, testId }: { money: LedgerTotalsT; testId: string }) {
  const { t, i18n } = useTranslation();
  const f = (c: number) => formatCents(c, i18n.language);
  return (
    <Stack gap={2} data-testid={testId}>
      <Text size="sm">{t('money.addsUp', { paid: f(money.paidCents), spent: f(money.spentCents), balance: f(money.balanceCents) })}</Text>
      {money.keptCents > 0 || money.keptDraws > 0 ? (
        <Text size="xs" c="dimmed" data-testid={`${testId}-kept`}>
          {money.keptCents > 0 ? t('money.keptPart', { amount: f(money.keptCents) }) : ''}
          {money.keptCents > 0 && money.keptDraws > 0 ? ' ' : ''}
          {money.keptDraws > 0 ? t('money.keptDraws', { count: money.keptDraws }) : ''}
        </Text>
      ) : null}
    </Stack>
  );
}

/** Each cents or draws track as settled: owed for the results in effect, paid, and kept although no longer owed. */
function TrackFigures({ tracks }: { tracks: TrackSettlementT[] }) {
  const { t, i18n } = useTranslation();
  if (tracks.length === 0) return null;
  const value = (tr: TrackSettlementT, v: number) => (tr.payout === 'draws' ? t('cm.draws', { count: v }) : formatCents(v, i18n.language));
  return (
    <Table.ScrollContainer minWidth={420}>
      <Table verticalSpacing={2} data-testid="cm-tracks">
        <Table.Caption>{t('money.tracksCaption')}</Table.Caption>
        <TableHead labels={[t('money.track'), t('money.owed'), t('money.paid'), t('money.kept')]} />
        <Table.Tbody>
          {tracks.map((tr) => (
            <Table.Tr key={tr.track} data-track={tr.track}>
              <Table.Td>{trackName(tr.track)}</Table.Td>
              <Table.Td>{value(tr, tr.owed)}</Table.Td>
              <Table.Td>{value(tr, tr.paid)}</Table.Td>
              <Table.Td data-testid="kept">{tr.forgiven > 0 ? value(tr, tr.forgiven) : '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function CapLine({ cap }: { cap: CapStatusT }) {
  const { t, i18n } = useTranslation();
  const pct = cap.perYearCents ? Math.min(100, Math.round((cap.paidCents / cap.perYearCents) * 100)) : 0;
  const text = cap.perYearCents
    ? t('cmPatient.capLine', {
        source: cap.fundingSourceId ?? t('cmPatient.noFunding'),
        year: cap.year,
        paid: formatCents(cap.paidCents, i18n.language),
        cap: formatCents(cap.perYearCents, i18n.language),
      })
    : t('cmPatient.capNone', { source: cap.fundingSourceId ?? t('cmPatient.noFunding'), year: cap.year, paid: formatCents(cap.paidCents, i18n.language) });
  return (
    <Stack gap={2}>
      <Group justify="space-between">
        <Text size="sm">{text}</Text>
        <Group gap={4}>
          {cap.reached ? <StatusBadge tone="warn">{t('cmPatient.capReached')}</StatusBadge> : null}
          {cap.noCash ? <StatusBadge tone="neutral">{t('cmPatient.noCash')}</StatusBadge> : null}
        </Group>
      </Group>
      {cap.perYearCents ? <Progress value={pct} color={cap.reached ? 'orange' : 'teal'} aria-label={text} /> : null}
    </Stack>
  );
}

// ---------- the calendar ----------

type Cell = PatientCmSummaryT['calendar'][number];

function weekStartOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - d.getUTCDay());
  return d.toISOString().slice(0, 10);
}
function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** "$2.50 + 1 draw": what the ledger paid for an opportunity (never negative). */
function usePaidText() {
  const { t, i18n } = useTranslation();
  return (c: { cents: number; draws: number }) => [c.cents > 0 ? formatCents(c.cents, i18n.language) : '', c.draws > 0 ? t('cm.draws', { count: c.draws }) : ''].filter(Boolean).join(' + ');
}
/** What of it the patient keeps although a result changed and it is no longer owed. */
function useKeptText() {
  const { t, i18n } = useTranslation();
  return (c: { keptCents: number; keptDraws: number }) =>
    [c.keptCents > 0 ? formatCents(c.keptCents, i18n.language) : '', c.keptDraws > 0 ? t('cm.draws', { count: c.keptDraws }) : ''].filter(Boolean).join(' + ');
}

function useCellText() {
  const { t } = useTranslation();
  const paidText = usePaidText();
  const keptText = useKeptText();
  return (c: Cell) => {
    const parts = [t(`cm.status.${c.status}`, { defaultValue: c.status })];
    const paid = paidText(c);
    if (paid) parts.push(t('cmPatient.paidValue', { value: paid }));
    const kept = keptText(c);
    if (kept) parts.push(t('cmPatient.keptValue', { value: kept }));
    return parts.join(', ');
  };
}

function CalendarSection({ summary: s }: { summary: PatientCmSummaryT }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const [view, setView] = useState<'calendar' | 'table'>('calendar');
  const [correcting, setCorrecting] = useState<Cell | null>(null);
  const cellText = useCellText();
  const paidText = usePaidText();
  const keptText = useKeptText();
  const today = todayIn(program?.timeZone);
  const byDate = useMemo(() => {
    const m = new Map<string, Cell[]>();
    for (const c of s.calendar) m.set(c.date, [...(m.get(c.date) ?? []), c]);
    return m;
  }, [s.calendar]);
  const weeks = useMemo(() => {
    if (!s.enrolment || s.calendar.length === 0) return [];
    const out: string[] = [];
    const last = s.calendar[s.calendar.length - 1]!.date;
    for (let w = weekStartOf(s.enrolment.startDate); w <= last; w = addDays(w, 7)) out.push(w);
    return out;
  }, [s]);
  const dayNames = useMemo(
    () => Array.from({ length: 7 }, (_, i) => new Intl.DateTimeFormat(i18n.language, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 7 + i)))),
    [i18n.language],
  );
  const longDate = (d: string) => new Intl.DateTimeFormat(i18n.language, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`));
  const used = [...new Set(s.calendar.map((c) => c.status))];

  return (
    <Section
      title={t('cmPatient.calendar')}
      permission="read:cm"
      testId="cm-calendar"
      actions={
        <SegmentedControl
          size="xs"
          aria-label={t('cmPatient.calendarView')}
          value={view}
          onChange={(v) => setView(v as 'calendar' | 'table')}
          data={[
            { value: 'calendar', label: t('cmPatient.asCalendar') },
            { value: 'table', label: t('cmPatient.asTable') },
          ]}
        />
      }
    >
      {view === 'calendar' ? (
        <>
          <div className="cm-calendar" role="group" aria-label={t('cmPatient.calendar')}>
            <div />
            {dayNames.map((d) => (
              <div key={d} className="cm-head" aria-hidden="true">
                {d}
              </div>
            ))}
            {weeks.map((w, wi) => (
              <Fragment key={w}>
                <div className="cm-week" aria-hidden="true">
                  {t('cmPatient.week', { n: wi + 1 })}
                </div>
                {Array.from({ length: 7 }, (_, i) => {
                  const d = addDays(w, i);
                  const cells = byDate.get(d) ?? [];
                  if (cells.length === 0) return <div key={d} className="cm-cell cm-empty" aria-hidden="true" />;
                  return (
                    <div key={d} style={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
                      {cells.map((c) => {
                        const m = cellMeta(c.status);
                        const label = `${longDate(d)}, ${t(`cm.kinds.${c.kind}`, { defaultValue: c.kind })}: ${cellText(c)}`;
                        return (
                          <div
                            key={c.kind}
                            role="img"
                            aria-label={label}
                            title={label}
                            data-status={c.status}
                            className={`cm-cell${d === today ? ' cm-today' : ''}`}
                            style={{ background: m.bg, color: m.fg }}
                          >
                            <span className="cm-symbol" aria-hidden="true">
                              {m.symbol}
                            </span>
                            {c.cents > 0 ? <span aria-hidden="true">{formatCents(c.cents, i18n.language).replace(/\.00$/, '')}</span> : null}
                            {c.draws > 0 ? <span aria-hidden="true">{c.draws}×</span> : null}
                            {c.keptCents > 0 || c.keptDraws > 0 ? (
                              <span aria-hidden="true" className="cm-kept">
                                {t('cmPatient.keptMark')}
                              </span>
                            ) : null}
                          </div>
                        );
                      })}
                    </div>
                  );
                })}
              </Fragment>
            ))}
          </div>
          <Group gap="xs" aria-label={t('cmPatient.legend')} role="list">
            {used.map((st) => {
              const m = cellMeta(st);
              return (
                <Group key={st} gap={4} role="listitem">
                  <span className="cm-cell" style={{ background: m.bg, color: m.fg, minHeight: 22, width: 22, display: 'inline-flex' }} aria-hidden="true">
                    {m.symbol}
                  </span>
                  <Text size="xs">{t(`cm.status.${st}`, { defaultValue: st })}</Text>
                </Group>
              );
            })}
            <Text size="xs" c="dimmed">
              {t('cmPatient.drawsLegend')}
            </Text>
            {s.calendar.some((c) => c.keptCents > 0 || c.keptDraws > 0) ? (
              <Text size="xs" c="dimmed">
                {t('cmPatient.keptLegend')}
              </Text>
            ) : null}
          </Group>
        </>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table data-testid="cm-calendar-table" verticalSpacing={4}>
            <TableHead labels={[t('cmPatient.date'), t('cmPatient.kind'), t('cmPatient.outcome'), t('cmPatient.paid'), t('cmPatient.kept')]} actions={can('write:specimen')} />
            <Table.Tbody>
              {s.calendar
                .filter((c) => c.date <= today)
                .map((c) => (
                  <Table.Tr key={`${c.date}-${c.kind}`}>
                    <Table.Td>{formatDate(c.date, i18n.language)}</Table.Td>
                    <Table.Td>{t(`cm.kinds.${c.kind}`, { defaultValue: c.kind })}</Table.Td>
                    <Table.Td>
                      <span aria-hidden="true">{cellMeta(c.status).symbol} </span>
                      {t(`cm.status.${c.status}`, { defaultValue: c.status })}
                    </Table.Td>
                    <Table.Td data-testid="paid">{paidText(c)}</Table.Td>
                    <Table.Td data-testid="kept">{keptText(c) ? t('cmPatient.keptCell', { value: keptText(c) }) : ''}</Table.Td>
                    {can('write:specimen') ? (
                      <Table.Td>
                        {c.kind === 'specimen' && c.eventId && c.status !== 'missed' ? (
                          <Button size="xs" variant="default" onClick={() => setCorrecting(c)} aria-label={t('correction.buttonLabel', { date: formatDate(c.date, i18n.language) })}>
                            {t('correction.button')}
                          </Button>
                        ) : null}
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {correcting ? <CorrectionModal patientId={s.patientId} cell={correcting} onClose={() => setCorrecting(null)} /> : null}
    </Section>
  );
}

type CorrResult = 'unchanged' | 'negative' | 'positive';

function CorrectionModal({ patientId, cell, onClose }: { patientId: string; cell: CalendarCellT; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const queryClient = useQueryClient();
  // what is being corrected: the cup as recorded, earlier corrections, the result in effect now
  const spec = useQuery({ queryKey: cmKey(program?.id, patientId, `specimen-${cell.eventId}`), queryFn: () => api.specimen(cell.eventId!) });
  const [key] = useState(newIdempotencyKey);
  const [results, setResults] = useState<Record<Analyte, CorrResult>>(() => Object.fromEntries(ANALYTES.map((a) => [a, 'unchanged'])) as Record<Analyte, CorrResult>);
  const [validity, setValidity] = useState<'unchanged' | 'valid' | 'invalid'>('unchanged');
  const [laboratory, setLaboratory] = useState('');
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  const s = spec.data;
  const recorded = new Map((s?.recordedResults ?? []).map((r) => [r.analyte, r]));
  const effective = new Map((s?.effective.results ?? []).map((r) => [r.analyte, r]));
  const resultWord = (r: { result: string; prescribed: boolean } | undefined) =>
    r ? `${t(`testDay.${r.result}`, { defaultValue: r.result })}${r.prescribed && r.result === 'positive' ? ` (${t('cm.status.prescribed')})` : ''}` : t('correction.notTested');
  const validWord = (v: boolean | null | undefined) => (v === false ? t('correction.invalid') : t('correction.valid'));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const res = await api.correctSpecimen(
        cell.eventId!,
        {
          results: ANALYTES.filter((a) => results[a] !== 'unchanged').map((a) => ({ analyte: a, loinc: ANALYTE_INFO[a].loinc, result: results[a] as 'negative' | 'positive' })),
          valid: validity === 'unchanged' ? undefined : validity === 'valid',
          method: 'confirmatory',
          laboratory: laboratory.trim() || undefined,
          reason,
        },
        key,
      );
      const v = res.award?.voucherCents ?? 0;
      const message =
        v > 0 ? t('correction.savedMore', { amount: formatCents(v, i18n.language) }) : v < 0 ? t('correction.savedLess', { amount: formatCents(-v, i18n.language) }) : t('correction.savedSame');
      notifications.show({ color: 'teal', message: (res.award?.prizeDrawsEarned ?? 0) > 0 ? `${message} ${t('correction.makeUpDraws', { count: res.award!.prizeDrawsEarned })}` : message });
      void queryClient.invalidateQueries({ queryKey: screensKey(program?.id) });
      await queryClient.invalidateQueries({ queryKey: ['cm', program?.id, 'patient', patientId] });
      onClose();
    });
  };
  return (
    <Modal opened onClose={onClose} size="xl" title={t('correction.title', { date: formatDate(cell.date, i18n.language) })}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">{t('correction.intro')}</Text>
          <ErrorAlert error={spec.error} />
          {spec.isPending ? (
            <Text c="dimmed" size="sm">
              {t('common.loading')}
            </Text>
          ) : null}
          {s ? (
            <Card withBorder padding="xs" data-testid="correction-original">
              <Text size="sm" fw={600}>
                {t('correction.asRecorded')}
              </Text>
              <Text size="sm">
                {[
                  t('correction.collected', { when: formatDateTime(s.at, i18n.language, program?.timeZone) }),
                  s.method ? t(`testDay.${s.method}`, { defaultValue: s.method }) : '',
                  s.temperatureC !== null ? t('correction.temperature', { value: s.temperatureC }) : '',
                  s.observed ? t('testDay.observed') : '',
                  s.cup ? t('correction.cup', { brand: s.cup.brand, lot: s.cup.lot, expiry: formatDate(s.cup.expiry, i18n.language) }) : '',
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
              <Text size="sm">
                {t('correction.validityLine', { recorded: validWord(s.valid), now: validWord(s.effective.valid) })}
                {s.invalidReasons.length ? ` (${s.invalidReasons.join('; ')})` : ''}
              </Text>
              {s.validity && Object.keys(s.validity).length ? (
                <Text size="xs" c="dimmed">
                  {[
                    s.validity.creatinineMgDl !== undefined ? `${t('testDay.creatinine')} ${s.validity.creatinineMgDl}` : '',
                    s.validity.specificGravity !== undefined ? `${t('testDay.specificGravity')} ${s.validity.specificGravity}` : '',
                    s.validity.ph !== undefined ? `${t('testDay.ph')} ${s.validity.ph}` : '',
                    s.validity.nitriteUgMl !== undefined ? `${t('testDay.nitrite')} ${s.validity.nitriteUgMl}` : '',
                    s.validity.oxidants ? t('testDay.oxidants') : '',
                    s.validity.adulterantDetected ? t('testDay.adulterant') : '',
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </Text>
              ) : null}
            </Card>
          ) : null}
          <ErrorAlert error={error} />
          <Table verticalSpacing={2} data-testid="correction-table">
            <TableHead labels={[t('correction.substance'), t('correction.recorded'), t('correction.now'), t('correction.change')]} />
            <Table.Tbody>
              {ANALYTES.map((a) => {
                const eff = effective.get(a);
                return (
                  <Table.Tr key={a} data-analyte={a}>
                    <Table.Td>
                      <Text size="sm" id={`corr-${a}`}>
                        {t(`analytes.${a}`, { defaultValue: ANALYTE_INFO[a].display })}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" data-testid="recorded">
                        {s ? resultWord(recorded.get(a)) : '…'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" data-testid="effective" fw={eff?.correctedBy ? 600 : undefined}>
                        {s ? resultWord(eff) : '…'}
                        {eff?.correctedBy ? ` (${t('correction.corrected')})` : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <SegmentedControl
                        size="xs"
                        aria-labelledby={`corr-${a}`}
                        value={results[a]}
                        onChange={(v) => setResults({ ...results, [a]: v as CorrResult })}
                        data={[
                          { value: 'unchanged', label: t('correction.unchanged') },
                          { value: 'negative', label: `− ${t('testDay.negative')}` },
                          { value: 'positive', label: `+ ${t('testDay.positive')}` },
                        ]}
                      />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          {s && s.corrections.length > 0 ? (
            <Stack gap={2} data-testid="correction-history">
              <Text size="sm" fw={600}>
                {t('correction.history', { count: s.corrections.length })}
              </Text>
              {s.corrections.map((c) => (
                <Text size="xs" key={c.id}>
                  {[
                    formatDateTime(c.recordedAt, i18n.language, program?.timeZone),
                    c.results.map((r) => `${t(`analytes.${r.analyte}`, { defaultValue: r.analyte })}: ${resultWord(r)}`).join(', '),
                    c.valid !== null ? `${t('correction.validity')}: ${validWord(c.valid)}` : '',
                    c.laboratory ?? '',
                    c.reason ?? '',
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </Text>
              ))}
            </Stack>
          ) : null}
          <NativeSelect
            label={t('correction.validity')}
            value={validity}
            onChange={(e) => setValidity(e.currentTarget.value as typeof validity)}
            description={s ? t('correction.validityNow', { now: validWord(s.effective.valid) }) : undefined}
            data={[
              { value: 'unchanged', label: t('correction.unchanged') },
              { value: 'valid', label: t('correction.valid') },
              { value: 'invalid', label: t('correction.invalid') },
            ]}
          />
          <TextInput label={t('correction.laboratory')} value={laboratory} onChange={(e) => setLaboratory(e.currentTarget.value)} error={fieldError(error, 'laboratory')} />
          <TextInput label={t('correction.reason')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(error, 'reason')} data-autofocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('correction.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

// ---------- ledger and draws ----------

/** Kinds a person with void:ledger may void (the server refuses a redemption, a forgiven entry and a void, and says why). */
const VOIDABLE = new Set(['earn', 'bonus', 'prize', 'adjustment', 'debit']);

/** One ledger entry as the patient hears it: what happened, in plain words, and which column its amount goes in. */
type LedgerLine = { text: string; paid: string; out: string; kept: string };

function useLedgerLine(byId: Map<string, LedgerItemT>) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const money = (c: number) => formatCents(c, i18n.language);
  const visit = (e: LedgerItemT) =>
    e.opportunityDate
      ? t(`ledger.visit.${e.opportunityKind ?? 'other'}`, {
          date: formatDate(e.opportunityDate, i18n.language),
          defaultValue: t('ledger.visit.other', { date: formatDate(e.opportunityDate, i18n.language) }),
        })
      : '';
  const join = (...parts: string[]) => parts.filter(Boolean).join(' ');
  return (e: LedgerItemT): LedgerLine => {
    const line: LedgerLine = { text: '', paid: '', out: '', kept: '' };
    if (e.cents === null) {
      // a prize whose draw is not shown yet: no amount until the patient sees it
      line.paid = t('ledger.hiddenAmount');
      line.text = join(t('ledger.explain.prizeHidden', { n: e.n ?? '' }), visit(e));
      return line;
    }
    switch (e.kind) {
      case 'earn':
      case 'bonus':
      case 'adjustment':
        line.paid = money(e.cents);
        line.text = join(t(`ledger.explain.${e.kind}`), visit(e));
        if (e.cents === 0 && e.capped) line.text = join(line.text, t('ledger.explain.capped'));
        break;
      case 'prize':
        line.paid = money(e.cents);
        line.text = join(t('ledger.explain.prize', { n: e.n ?? '' }), visit(e));
        break;
      case 'forgiven': {
        const draws = e.draws ?? null;
        if (draws !== null) {
          line.kept = draws < 0 ? `−${t('cm.draws', { count: -draws })}` : t('cm.draws', { count: draws });
          line.text = join(draws < 0 ? t('ledger.explain.owedAgainDraws', { count: -draws }) : t('ledger.explain.keptDraws', { count: draws }), visit(e));
        } else {
          line.kept = e.cents < 0 ? `−${money(-e.cents)}` : money(e.cents);
          line.text = join(e.cents < 0 ? t('ledger.explain.owedAgain', { amount: money(-e.cents) }) : t('ledger.explain.kept', { amount: money(e.cents) }), visit(e));
        }
        break;
      }
      case 'debit':
        line.out = money(e.cents);
        line.text = join(e.n !== null ? t('ledger.explain.debitDraw', { n: e.n }) : t('ledger.explain.debit'), visit(e));
        break;
      case 'redemption':
        line.out = money(e.cents);
        line.text = t('ledger.explain.redemption');
        break;
      case 'void': {
        const target = e.voidsEntryId ? byId.get(e.voidsEntryId) : undefined;
        // a void takes the voided amount out again, or gives a voided debit back
        if (e.voidsKind === 'debit') line.paid = money(e.cents);
        else line.out = money(e.cents);
        line.text = join(
          t('ledger.explain.void'),
          t('ledger.voids', {
            kind: t(`ledger.kinds.${e.voidsKind ?? ''}`, { defaultValue: e.voidsKind ?? '' }),
            when: target ? formatInstantDate(target.createdAt, i18n.language, program?.timeZone) : '',
          }),
        );
        break;
      }
      default:
        line.text = t(`ledger.kinds.${e.kind}`, { defaultValue: e.kind });
    }
    return line;
  };
}

function LedgerSection({ patientId, summary }: { patientId: string; summary: PatientCmSummaryT }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const ledger = useQuery({ queryKey: cmKey(program?.id, patientId, 'ledger'), queryFn: () => api.ledger(patientId) });
  const [all, setAll] = useState(false);
  const [voiding, setVoiding] = useState<LedgerItemT | null>(null);
  const items = [...(ledger.data?.items ?? [])].reverse();
  const shown = all ? items : items.slice(0, 15);
  const revealed = summary.draws.filter((d) => d.revealed);
  const canVoid = can('void:ledger');
  const byId = useMemo(() => new Map((ledger.data?.items ?? []).map((e) => [e.id, e])), [ledger.data]);
  const lineOf = useLedgerLine(byId);
  // for staff: the track, draw number, cap and reason behind an entry
  const staffDetail = (e: LedgerItemT) => {
    if (e.kind === 'void') return e.reason ? t('ledger.voidReason', { reason: e.reason }) : '';
    return [trackName(e.track), e.n !== null ? t('draw.number', { n: e.n }) : '', e.tier && e.kind === 'prize' ? e.tier : '', e.reason ?? '', e.capped ? t('ledger.capped', { cap: e.capped }) : '']
      .filter(Boolean)
      .join(' · ');
  };
  return (
    <Section title={t('ledger.title')} permission="read:cm" testId="cm-ledger">
      <ErrorAlert error={ledger.error} />
      {ledger.data ? (
        <>
          <Text size="sm" data-testid="ledger-balance">
            {t('ledger.balanceNow', { amount: formatCents(ledger.data.balanceCents, i18n.language) })}
          </Text>
          {ledger.data.totals ? <MoneySum money={ledger.data.totals} testId="ledger-totals" /> : null}
          {ledger.data.unshownDraws > 0 ? (
            <Text size="sm" c="dimmed" data-testid="ledger-unshown">
              {t('ledger.unshown', { count: ledger.data.unshownDraws })}
              {summary.enrolment && can('draw:cm') ? (
                <>
                  {' '}
                  <Link to={`/cm/draw/${summary.enrolment.id}`}>{t('ledger.openDrawScreen')}</Link>
                </>
              ) : null}
            </Text>
          ) : null}
          {items.length === 0 ? (
            <Text c="dimmed">{t('ledger.none')}</Text>
          ) : (
            <Table.ScrollContainer minWidth={760}>
              <Table verticalSpacing={4} data-testid="ledger-table">
                <Table.Caption>{t('ledger.caption')}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('ledger.when')}</Table.Th>
                    <Table.Th scope="col">{t('ledger.what')}</Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('ledger.paidCol')}
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('ledger.outCol')}
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('ledger.keptCol')}
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('ledger.balance')}
                    </Table.Th>
                    {canVoid ? (
                      <Table.Th scope="col">
                        <span className="sr-only">{t('common.actions')}</span>
                      </Table.Th>
                    ) : null}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {shown.map((e) => {
                    const line = lineOf(e);
                    const detail = staffDetail(e);
                    const struck = e.voided ? 'line-through' : undefined;
                    return (
                      <Table.Tr
                        key={e.id}
                        data-kind={e.kind}
                        data-voided={e.voided ? 'true' : undefined}
                        data-hidden={e.hidden ? 'true' : undefined}
                        data-entry={e.id}
                        data-opportunity={e.opportunityDate ?? undefined}
                      >
                        <Table.Td>{formatDateTime(e.createdAt, i18n.language, program?.timeZone)}</Table.Td>
                        <Table.Td>
                          <Text size="sm" data-testid="explain">
                            {line.text}
                            {e.voided ? (
                              <>
                                {' '}
                                <StatusBadge tone="warn">{t('ledger.voided')}</StatusBadge>
                              </>
                            ) : null}
                          </Text>
                          {detail ? (
                            <Text size="xs" c="dimmed">
                              {detail}
                            </Text>
                          ) : null}
                        </Table.Td>
                        <Table.Td ta="right" td={struck} data-testid="paid">
                          {e.hidden ? (
                            <Text span size="sm" c="dimmed" fs="italic">
                              {line.paid}
                            </Text>
                          ) : (
                            line.paid
                          )}
                        </Table.Td>
                        <Table.Td ta="right" td={struck} data-testid="out">
                          {line.out}
                        </Table.Td>
                        <Table.Td ta="right" data-testid="kept">
                          {line.kept}
                        </Table.Td>
                        <Table.Td ta="right">{e.balanceCents !== undefined ? formatCents(e.balanceCents, i18n.language) : ''}</Table.Td>
                        {canVoid ? (
                          <Table.Td>
                            {VOIDABLE.has(e.kind) && !e.voided ? (
                              <Button
                                size="xs"
                                variant="subtle"
                                color="red"
                                onClick={() => setVoiding(e)}
                                aria-label={t('ledger.voidLabel', {
                                  kind: t(`ledger.kinds.${e.kind}`, { defaultValue: e.kind }),
                                  amount: e.cents === null ? t('ledger.hiddenAmount') : formatCents(e.cents, i18n.language),
                                  when: formatDateTime(e.createdAt, i18n.language, program?.timeZone),
                                })}
                              >
                                {t('ledger.void')}
                              </Button>
                            ) : null}
                          </Table.Td>
                        ) : null}
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {items.length > shown.length ? (
            <Button size="xs" variant="subtle" onClick={() => setAll(true)}>
              {t('ledger.showAll', { count: items.length })}
            </Button>
          ) : null}
        </>
      ) : null}
      {revealed.length > 0 ? (
        <>
          <Title order={3} size="h5">
            {t('draw.history')}
          </Title>
          <Group gap={6}>
            {revealed.map((d) => (
              <Badge key={d.n} variant="light" color={d.valueCents > 0 ? 'teal' : 'gray'} style={{ textTransform: 'none' }}>
                {`#${d.n} ${d.label ?? d.tier ?? ''}`}
              </Badge>
            ))}
          </Group>
        </>
      ) : null}
      {voiding ? <VoidModal patientId={patientId} entry={voiding} onClose={() => setVoiding(null)} /> : null}
    </Section>
  );
}

/** Void one ledger entry, with a reason: a new entry that takes it out of the balance; the entry itself is never changed. */
function VoidModal({ patientId, entry, onClose }: { patientId: string; entry: LedgerItemT; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const queryClient = useQueryClient();
  const [key] = useState(newIdempotencyKey);
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  const kind = t(`ledger.kinds.${entry.kind}`, { defaultValue: entry.kind });
  const amount = entry.cents === null ? t('ledger.hiddenAmount') : formatCents(entry.cents, i18n.language);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api.voidLedgerEntry(entry.id, reason, key);
      // the balance after is the ledger's (re-read below): the answer's balance counts prizes not shown yet
      notifications.show({ color: 'teal', message: t('ledger.voidDone', { kind, amount }) });
      // the ledger, the balance, the calendar and the draws all change
      await queryClient.invalidateQueries({ queryKey: ['cm', program?.id, 'patient', patientId] });
      onClose();
    });
  };
  return (
    <Modal opened onClose={onClose} title={t('ledger.voidTitle', { kind, amount })}>
      <form onSubmit={submit} noValidate aria-label={t('ledger.voidTitle', { kind, amount })}>
        <Stack gap="sm">
          <Text size="sm">{entry.hidden ? t('ledger.voidIntroHidden') : entry.kind === 'debit' ? t('ledger.voidIntroDebit', { amount }) : t('ledger.voidIntro', { amount })}</Text>
          <Text size="sm" c="dimmed">
            {t('ledger.voidNever')}
          </Text>
          <ErrorAlert error={error} title={isApiError(error) && error.status === 409 ? t('ledger.voidRefused') : undefined} />
          <Textarea
            label={t('ledger.voidReasonLabel')}
            description={t('ledger.voidReasonHint')}
            required
            autosize
            minRows={2}
            maxLength={500}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={fieldError(error, 'reason')}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={busy} disabled={!reason.trim()}>
              {t('ledger.voidSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

// ---------- enrolments ----------

function EnrolmentsSection({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const enrolments = useQuery({ queryKey: cmKey(program?.id, patientId, 'enrolments'), queryFn: () => api.patientEnrolments(patientId) });
  const [enrolling, setEnrolling] = useState(false);
  const [changing, setChanging] = useState<EnrolmentT | null>(null);
  const items = enrolments.data?.items ?? [];
  const active = items.find((e) => e.status === 'active');
  return (
    <Section
      title={t('enrolment.title')}
      permission="read:cm"
      testId="cm-enrolments"
      actions={
        can('enrol:cm') && !active && !enrolling ? (
          <Button size="xs" onClick={() => setEnrolling(true)}>
            {t('enrolment.enrol')}
          </Button>
        ) : null
      }
    >
      <ErrorAlert error={enrolments.error} />
      {enrolling ? <EnrolForm patientId={patientId} onClose={() => setEnrolling(false)} /> : null}
      {enrolments.data && items.length === 0 && !enrolling ? <Text c="dimmed">{t('enrolment.none')}</Text> : null}
      {items.length > 0 ? (
        <Table.ScrollContainer minWidth={680}>
          <Table verticalSpacing={4}>
            <TableHead labels={[t('enrolment.protocol'), t('enrolment.dates'), t('enrolment.funding'), t('enrolment.status')]} actions={can('enrol:cm')} />
            <Table.Tbody>
              {items.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>
                    {e.protocolName}{' '}
                    <Text span size="xs" c="dimmed">
                      v{e.protocolVersion}
                    </Text>
                  </Table.Td>
                  <Table.Td>{t('common.dateRange', { from: formatDate(e.startDate, i18n.language), to: formatDate(e.endDate, i18n.language) })}</Table.Td>
                  <Table.Td>{e.fundingSourceId ?? t('common.notRecorded')}</Table.Td>
                  <Table.Td miw={110}>
                    <StatusBadge tone={e.status === 'active' ? 'ok' : 'neutral'}>{t(`enrolment.statuses.${e.status}`, { defaultValue: e.status })}</StatusBadge>
                    {e.statusReason ? <Text size="xs">{e.statusReason}</Text> : null}
                  </Table.Td>
                  {can('enrol:cm') ? (
                    <Table.Td>
                      {e.status === 'active' ? (
                        <Button size="xs" variant="default" onClick={() => setChanging(e)}>
                          {t('enrolment.changeStatus')}
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
      {changing ? <StatusModal patientId={patientId} enrolment={changing} onClose={() => setChanging(null)} /> : null}
    </Section>
  );
}

const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6];

function EnrolForm({ patientId, onClose }: { patientId: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const queryClient = useQueryClient();
  const protocols = useQuery({ queryKey: ['cm', program?.id, 'protocols'], queryFn: api.protocols });
  const funding = useQuery({ queryKey: ['cm', program?.id, 'funding'], queryFn: api.fundingSources });
  const [key] = useState(newIdempotencyKey);
  const [protocolId, setProtocolId] = useState('');
  const [startDate, setStartDate] = useState(todayIn(program?.timeZone));
  const [specimen, setSpecimen] = useState<string[]>(['1', '4']);
  const [attendance, setAttendance] = useState<string[]>([]);
  const [dose, setDose] = useState<string[]>([]);
  const [windowStart, setWindowStart] = useState('07:00');
  const [windowEnd, setWindowEnd] = useState('19:00');
  const [fundingSourceId, setFundingSourceId] = useState('');
  const { busy, error, run } = useAction();
  const dayNames = WEEKDAYS.map((i) => new Intl.DateTimeFormat(i18n.language, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 7 + i))));
  const protocolList = protocols.data?.items ?? [];
  const chosen = protocolId || protocolList[0]?.id || '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api.enrol(
        {
          patientId,
          protocolId: chosen,
          startDate,
          calendar: { specimen: specimen.map(Number), attendance: attendance.map(Number), dose: dose.map(Number), windowStart, windowEnd },
          fundingSourceId: fundingSourceId || null,
        },
        key,
      );
      notifications.show({ color: 'teal', message: t('enrolment.enrolled') });
      await queryClient.invalidateQueries({ queryKey: ['cm', program?.id] });
      onClose();
    });
  };
  const days = (label: string, value: string[], set: (v: string[]) => void, field: string) => (
    <Stack gap={4}>
      <Text size="sm" fw={500} id={`days-${field}`}>
        {label}
      </Text>
      <Chip.Group multiple value={value} onChange={set}>
        <Group gap={4} role="group" aria-labelledby={`days-${field}`}>
          {WEEKDAYS.map((d) => (
            <Chip key={d} value={String(d)} size="sm">
              {dayNames[d]}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      {fieldError(error, `calendar.${field}`) ? (
        <Text size="xs" c="red">
          {fieldError(error, `calendar.${field}`)}
        </Text>
      ) : null}
    </Stack>
  );
  return (
    <form onSubmit={submit} noValidate aria-label={t('enrolment.enrol')}>
      <Stack gap="sm">
        <ErrorAlert error={error} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect
            label={t('enrolment.protocol')}
            value={chosen}
            onChange={(e) => setProtocolId(e.currentTarget.value)}
            data={protocolList.map((p) => ({ value: p.id, label: `${p.name} (v${p.version})` }))}
            error={fieldError(error, 'protocolId')}
          />
          <NativeSelect
            label={t('enrolment.funding')}
            value={fundingSourceId}
            onChange={(e) => setFundingSourceId(e.currentTarget.value)}
            data={[{ value: '', label: t('enrolment.noFunding') }, ...(funding.data?.items ?? []).map((f) => ({ value: f.id, label: f.name }))]}
            error={fieldError(error, 'fundingSourceId')}
          />
          <TextInput type="date" label={t('enrolment.startDate')} value={startDate} onChange={(e) => setStartDate(e.currentTarget.value)} error={fieldError(error, 'startDate')} />
          <Group grow>
            <TextInput type="time" label={t('enrolment.windowStart')} value={windowStart} onChange={(e) => setWindowStart(e.currentTarget.value)} error={fieldError(error, 'calendar.windowStart')} />
            <TextInput type="time" label={t('enrolment.windowEnd')} value={windowEnd} onChange={(e) => setWindowEnd(e.currentTarget.value)} error={fieldError(error, 'calendar.windowEnd')} />
          </Group>
        </SimpleGrid>
        <Text size="xs" c="dimmed">
          {t('enrolment.tzHint', { tz: program?.timeZone ?? '' })}
        </Text>
        {days(t('enrolment.specimenDays'), specimen, setSpecimen, 'specimen')}
        {days(t('enrolment.attendanceDays'), attendance, setAttendance, 'attendance')}
        {days(t('enrolment.doseDays'), dose, setDose, 'dose')}
        <Group>
          <Button type="submit" loading={busy} disabled={!chosen}>
            {t('enrolment.enrolSubmit')}
          </Button>
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function StatusModal({ patientId, enrolment, onClose }: { patientId: string; enrolment: EnrolmentT; onClose: () => void }) {
  const { t } = useTranslation();
  const { program } = useSession();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<'completed' | 'withdrawn'>('completed');
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api.changeEnrolmentStatus(enrolment.id, { status, reason });
      await queryClient.invalidateQueries({ queryKey: ['cm', program?.id, 'patient', patientId] });
      onClose();
    });
  };
  return (
    <Modal opened onClose={onClose} title={t('enrolment.changeStatus')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={error} />
          <NativeSelect
            label={t('enrolment.status')}
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value as typeof status)}
            data={[
              { value: 'completed', label: t('enrolment.statuses.completed') },
              { value: 'withdrawn', label: t('enrolment.statuses.withdrawn') },
            ]}
          />
          <TextInput label={t('enrolment.reason')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(error, 'reason')} data-autofocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

// ---------- redemption ----------

function RedemptionSection({ patientId, noCash }: { patientId: string; noCash: boolean }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const queryClient = useQueryClient();
  const catalogue = useQuery({ queryKey: ['cm', program?.id, 'catalogue'], queryFn: api.catalogue });
  const settings = useQuery({ queryKey: ['cm', program?.id, 'settings'], queryFn: api.cmSettings });
  const redemptions = useQuery({ queryKey: cmKey(program?.id, patientId, 'redemptions'), queryFn: () => api.redemptions(patientId) });
  const ledger = useQuery({ queryKey: cmKey(program?.id, patientId, 'ledger'), queryFn: () => api.ledger(patientId) });
  const requests = useQuery({ queryKey: cmKey(program?.id, patientId, 'redemption-requests'), queryFn: () => api.redemptionRequests(patientId) });
  const [requestId, setRequestId] = useState<string | null>(null);
  const [mode, setMode] = useState<'voucher' | 'prize'>('voucher');
  const [prizeEntryId, setPrizeEntryId] = useState('');
  const [itemId, setItemId] = useState('');
  const [quantity, setQuantity] = useState<string | number>(1);
  const [method, setMethod] = useState<'signature' | 'initials' | 'verbal'>('initials');
  const [acknowledged, setAcknowledged] = useState(false);
  const [key, setKey] = useState(newIdempotencyKey);
  const { busy, error, run } = useAction();
  const prizes = (ledger.data?.items ?? []).filter((e) => e.kind === 'prize' && !e.hidden && (e.cents ?? 0) > 0 && !e.voided);
  const prize = prizes.find((p) => p.id === prizeEntryId) ?? prizes[0];
  const items = (catalogue.data?.items ?? []).filter((i) => i.active && (mode === 'voucher' ? true : i.prizeTier === prize?.tier));
  const item = items.find((i) => i.id === itemId) ?? items[0];
  const cost = mode === 'prize' ? (prize?.cents ?? 0) : (item?.valueCents ?? 0) * Number(quantity || 1);
  const threshold = settings.data?.approvalThresholdCents;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!item) return;
    void run(async () => {
      const r = await api.redeem(
        patientId,
        {
          itemId: item.id,
          quantity: mode === 'prize' ? 1 : Number(quantity || 1),
          prizeEntryId: mode === 'prize' ? prize?.id : undefined,
          requestId: mode === 'voucher' && requestId ? requestId : undefined,
          acknowledgement: { acknowledged: acknowledged as true, method },
        },
        key,
      );
      notifications.show({ color: 'teal', message: r.status === 'completed' ? t('redeem.done', { item: r.itemName }) : t('redeem.waiting') });
      setKey(newIdempotencyKey());
      setAcknowledged(false);
      setRequestId(null);
      await queryClient.invalidateQueries({ queryKey: ['cm', program?.id] });
    });
  };
  const open = (requests.data?.items ?? []).filter((r) => r.status === 'open');
  const using = open.find((r) => r.id === requestId);
  const give = (r: RedemptionRequestT) => {
    setMode('voucher');
    setItemId(r.itemId);
    setQuantity(r.quantity);
    setRequestId(r.id);
  };

  return (
    <Section title={t('redeem.title')} permission="read:cm" testId="cm-redeem">
      <Text size="sm">
        {t('redeem.balance', { amount: ledger.data ? formatCents(ledger.data.balanceCents, i18n.language) : '…' })}
        {noCash ? ` · ${t('cmPatient.noCash')}` : ''}
      </Text>
      {threshold !== undefined ? (
        <Text size="xs" c="dimmed">
          {t('redeem.thresholdHint', { amount: formatCents(threshold, i18n.language) })}
        </Text>
      ) : null}
      <AppRequests items={open} using={requestId} onGive={give} />
      <form onSubmit={submit} noValidate aria-label={t('redeem.title')}>
        <Stack gap="sm">
          <ErrorAlert error={error} />
          {using ? (
            <Alert color="blue" variant="light" data-testid="giving-request">
              {t('redeem.requests.giving', { item: using.itemName })}{' '}
              <Button size="compact-xs" variant="subtle" onClick={() => setRequestId(null)}>
                {t('redeem.requests.notThis')}
              </Button>
            </Alert>
          ) : null}
          <SegmentedControl
            value={mode}
            onChange={(v) => setMode(v as 'voucher' | 'prize')}
            aria-label={t('redeem.mode')}
            data={[
              { value: 'voucher', label: t('redeem.voucher') },
              { value: 'prize', label: t('redeem.prize') },
            ]}
            disabled={prizes.length === 0}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {mode === 'prize' ? (
              <NativeSelect
                label={t('redeem.whichPrize')}
                value={prize?.id ?? ''}
                onChange={(e) => setPrizeEntryId(e.currentTarget.value)}
                data={prizes.map((p) => ({ value: p.id, label: `#${p.n} ${p.tier} (${formatCents(p.cents, i18n.language)})` }))}
                error={fieldError(error, 'prizeEntryId')}
              />
            ) : null}
            <NativeSelect
              label={t('redeem.item')}
              value={item?.id ?? ''}
              onChange={(e) => setItemId(e.currentTarget.value)}
              data={items.map((i) => ({
                value: i.id,
                label: `${i.name} · ${formatCents(i.valueCents, i18n.language)} · ${t('redeem.inStock', { count: i.stock })}${i.cashEquivalent ? ` · ${t('redeem.cashEquivalent')}` : ''}`,
                disabled: i.stock === 0 || (noCash && i.cashEquivalent),
              }))}
              error={fieldError(error, 'itemId')}
            />
            {mode === 'voucher' ? <NumberInput label={t('redeem.quantity')} value={quantity} onChange={setQuantity} min={1} max={50} error={fieldError(error, 'quantity')} /> : null}
          </SimpleGrid>
          <Text size="sm" fw={600}>
            {t('redeem.cost', { amount: formatCents(cost, i18n.language) })}
          </Text>
          {threshold !== undefined && cost > threshold ? (
            <Alert color="blue" variant="light">
              {t('redeem.needsApproval')}
            </Alert>
          ) : null}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect
              label={t('redeem.ackMethod')}
              value={method}
              onChange={(e) => setMethod(e.currentTarget.value as typeof method)}
              data={(['initials', 'signature', 'verbal'] as const).map((m) => ({ value: m, label: t(`redeem.methods.${m}`) }))}
            />
            <Checkbox mt="lg" label={t('redeem.ack')} checked={acknowledged} onChange={(e) => setAcknowledged(e.currentTarget.checked)} error={fieldError(error, 'acknowledgement.acknowledged')} />
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={busy} disabled={!acknowledged || !item}>
              {t('redeem.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
      <RedemptionList items={redemptions.data?.items ?? []} canApprove={can('approve:redemption')} />
    </Section>
  );
}

/**
 * The patient's open requests from the app: give one (the form below fills in) or decline it,
 * saying why from a list the app words in the patient's language, with a note for the patient
 * (required when the reason is another one).
 */
function AppRequests({ items, using, onGive }: { items: RedemptionRequestT[]; using: string | null; onGive: (r: RedemptionRequestT) => void }) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const queryClient = useQueryClient();
  const [declining, setDeclining] = useState<string | null>(null);
  const why = useDeclineReason();
  const { busy, error, run } = useAction();
  if (items.length === 0) return null;
  const close = () => {
    setDeclining(null);
    why.reset();
  };
  const decline = (id: string) =>
    void run(async () => {
      await api.declineRedemptionRequest(id, why.body());
      close();
      await queryClient.invalidateQueries({ queryKey: ['cm', program?.id] });
    });
  return (
    <Stack gap="xs" my="sm" data-testid="app-requests">
      <Text fw={600}>{t('redeem.requests.title', { count: items.length })}</Text>
      <ErrorAlert error={error} />
      {items.map((r) => (
        <Stack key={r.id} gap={4}>
          <Group gap="sm" wrap="wrap">
            <Text size="sm">
              {t('redeem.requests.line', {
                item: r.itemName,
                quantity: r.quantity,
                amount: formatCents(r.cents, i18n.language),
                when: formatInstantDate(r.requestedAt, i18n.language, program?.timeZone),
              })}
            </Text>
            <Button size="compact-sm" variant={using === r.id ? 'filled' : 'light'} onClick={() => onGive(r)}>
              {t('redeem.requests.give')}
            </Button>
            {declining === r.id ? null : (
              <Button size="compact-sm" variant="subtle" onClick={() => setDeclining(r.id)}>
                {t('redeem.decline')}
              </Button>
            )}
          </Group>
          {declining === r.id ? <DeclineForm kind="request" state={why} busy={busy} error={error} onConfirm={() => decline(r.id)} onCancel={close} /> : null}
        </Stack>
      ))}
    </Stack>
  );
}

function RedemptionList({ items, canApprove }: { items: RedemptionT[]; canApprove: boolean }) {
  const { t, i18n } = useTranslation();
  const { program, me } = useSession();
  const queryClient = useQueryClient();
  const [declining, setDeclining] = useState<string | null>(null);
  const why = useDeclineReason();
  const { busy, error, run } = useAction();
  const decide = (r: RedemptionT, approve: boolean) =>
    void run(async () => {
      await api.decideRedemption(r.id, approve ? { approve } : { approve, ...why.body() });
      setDeclining(null);
      why.reset();
      await queryClient.invalidateQueries({ queryKey: ['cm', program?.id] });
    });
  if (items.length === 0) return null;
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('redeem.history')}
      </Title>
      <ErrorAlert error={error} />
      <Table verticalSpacing={4} data-testid="redemptions">
        <TableHead labels={[t('ledger.when'), t('redeem.item'), t('ledger.amount'), t('enrolment.status')]} />
        <Table.Tbody>
          {[...items].reverse().map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{formatDateTime(r.requestedAt, i18n.language, program?.timeZone)}</Table.Td>
              <Table.Td>
                {r.quantity} × {r.itemName}
              </Table.Td>
              <Table.Td>{formatCents(r.cents, i18n.language)}</Table.Td>
              <Table.Td>
                <StatusBadge tone={r.status === 'completed' ? 'ok' : r.status === 'declined' ? 'bad' : 'warn'}>{t(`redeem.statuses.${r.status}`)}</StatusBadge>
                {r.status === 'declined' ? <DeclinedWhy reasonCode={r.reasonCode} reason={r.reason} /> : null}
                {r.status === 'pending-approval' ? (
                  <Stack gap={4} mt={4}>
                    <Text size="xs">{t('redeem.separation')}</Text>
                    {canApprove && r.requestedBy !== me.user.id ? (
                      declining === r.id ? (
                        <DeclineForm kind="redemption" state={why} busy={busy} error={error} onConfirm={() => decide(r, false)} onCancel={() => setDeclining(null)} />
                      ) : (
                        <Group gap={4}>
                          <Button size="xs" loading={busy} onClick={() => decide(r, true)}>
                            {t('redeem.approve')}
                          </Button>
                          <Button size="xs" variant="default" onClick={() => setDeclining(r.id)}>
                            {t('redeem.decline')}
                          </Button>
                        </Group>
                      )
                    ) : r.requestedBy === me.user.id ? (
                      <Text size="xs" c="dimmed">
                        {t('redeem.youRequested')}
                      </Text>
                    ) : null}
                  </Stack>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

// ---------- privilege recommendations ----------

function PrivilegeSection({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const recs = useQuery({ queryKey: ['cm', program?.id, 'privileges'], queryFn: () => api.privilegeRecommendations(false) });
  const mine = (recs.data?.items ?? []).filter((r) => r.patientId === patientId);
  if (mine.length === 0) return null;
  return (
    <Section title={t('privilege.title')} permission="read:cm" testId="cm-privileges">
      <Text size="sm" c="dimmed">
        {t('privilege.intro')}
      </Text>
      {mine.map((r) => (
        <Card key={r.id} withBorder padding="sm">
          <Text fw={600}>{t('privilege.line', { track: trackName(r.track), level: r.level, date: formatInstantDate(r.createdAt, i18n.language, program?.timeZone) })}</Text>
          {r.decision ? (
            <Text size="sm">
              {t(`privilege.${r.decision.decision}`, { defaultValue: r.decision.decision })} · {r.decision.reason}
            </Text>
          ) : can('approve:privilege') ? (
            <PrivilegeDecision rec={r} />
          ) : (
            <Text size="sm">{t('privilege.awaiting')}</Text>
          )}
        </Card>
      ))}
    </Section>
  );
}

function PrivilegeDecision({ rec }: { rec: PrivilegeRecommendationT }) {
  const { t } = useTranslation();
  const { program } = useSession();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const decide = async (decision: 'approved' | 'declined') => {
    setError(null);
    try {
      await api.decidePrivilege(rec.id, { decision, reason });
      await queryClient.invalidateQueries({ queryKey: ['cm', program?.id, 'privileges'] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Stack gap={4}>
      <ErrorAlert error={error} />
      <TextInput label={t('privilege.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required error={fieldError(error, 'reason')} />
      <Group gap="xs">
        <Button size="xs" onClick={() => void decide('approved')}>
          {t('privilege.approve')}
        </Button>
        <Button size="xs" variant="default" onClick={() => void decide('declined')}>
          {t('privilege.decline')}
        </Button>
      </Group>
    </Stack>
  );
}
