// Test day: today's queue of expected patients and one screen per cup. Keyboard first:
// the queue has focus, ↑/↓ move, Enter opens a cup; in the cup, N marks every analyte
// negative, 1–9 and 0 flip one analyte, Ctrl+Enter saves. The save carries an
// Idempotency-Key made when the form opened, so a double click or a retry cannot pay
// twice. The award, the next opportunity's value and the balance appear at once.
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Checkbox, Fieldset, Grid, Group, NativeSelect, NumberInput, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { api, newIdempotencyKey, type QueueItemT, type SpecimenCreateT, type SpecimenRecordedT } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatCents, zonedInputToRfc3339, toZonedInput, todayIn, formatDate } from '../../format.ts';
import { PageTitle, WhoCanSee } from '../../components/common.tsx';
import { ErrorAlert, enterMovesToNextField, fieldError, focusFirstError, useAction } from '../../components/forms.tsx';
import { useStaffList } from '../patient/useStaffList.ts';
import { screensKey } from '../../queries/screens.ts';
import { ANALYTES, ANALYTE_INFO, NextValue, OutcomeBadge, trackName, type Analyte } from './shared.tsx';

type Result = 'untested' | 'negative' | 'positive' | 'inconclusive';
const CUP_KEY = 'waypoint.cup';

type CupDefaults = { brand: string; lot: string; expiry: string };
function readCup(): CupDefaults {
  try {
    const v = JSON.parse(localStorage.getItem(CUP_KEY) ?? '{}') as Partial<CupDefaults>;
    return { brand: v.brand ?? '', lot: v.lot ?? '', expiry: v.expiry ?? '' };
  } catch {
    return { brand: '', lot: '', expiry: '' };
  }
}

export function TestDayPage() {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const location = useLocation();
  const today = todayIn(program?.timeZone);
  const queue = useQuery({ queryKey: ['cm', program?.id, 'queue', today], queryFn: () => api.cmQueue(), refetchInterval: 60_000 });
  const wanted = (location.state as { patientId?: string } | null)?.patientId ?? null;
  const [selected, setSelected] = useState<string | null>(wanted);
  const tableRef = useRef<HTMLTableSectionElement>(null);
  const items = queue.data?.items ?? [];
  const current = items.find((i) => i.patientId === selected) ?? null;

  useEffect(() => {
    if (!selected) tableRef.current?.querySelector<HTMLTableRowElement>('tr[data-openable]')?.focus();
  }, [selected, queue.data]);

  const rows = () => Array.from(tableRef.current?.querySelectorAll<HTMLTableRowElement>('tr[data-openable]') ?? []);
  const onRowKey = (e: KeyboardEvent<HTMLTableRowElement>, index: number, id: string) => {
    const all = rows();
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      all[Math.min(index + 1, all.length - 1)]?.focus();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      all[Math.max(index - 1, 0)]?.focus();
    } else if (e.key === 'Enter' && e.target === e.currentTarget) {
      e.preventDefault();
      setSelected(id);
    }
  };

  return (
    <Stack>
      <PageTitle title={t('testDay.title')}>{t('testDay.title')}</PageTitle>
      <Text c="dimmed" size="sm">
        {t('testDay.intro', { date: formatDate(today, i18n.language) })}
      </Text>
      <WhoCanSee permission="read:cm" />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: current ? 4 : 12 }}>
          <Card withBorder component="section" aria-labelledby="queue-heading">
            <Stack gap="xs">
              <Group justify="space-between">
                <Title order={2} size="h4" id="queue-heading">
                  {t('testDay.queue', { count: items.length })}
                </Title>
                <Button size="xs" variant="subtle" component={Link} to="/cm/adjudications">
                  {t('nav.adjudications')}
                </Button>
              </Group>
              <Text size="xs" c="dimmed">
                {t('testDay.keyboardHint')}
              </Text>
              <ErrorAlert error={queue.error} />
              {queue.isPending ? <Text c="dimmed">{t('common.loading')}</Text> : null}
              {queue.data && items.length === 0 ? <Text>{t('testDay.empty')}</Text> : null}
              {items.length > 0 ? (
                <Table highlightOnHover verticalSpacing="xs" data-testid="queue">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('testDay.patient')}</Table.Th>
                      <Table.Th scope="col">{t('testDay.status')}</Table.Th>
                      {!current ? <Table.Th scope="col">{t('testDay.negativeEarns')}</Table.Th> : null}
                      {!current ? <Table.Th scope="col">{t('cm.balance')}</Table.Th> : null}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody ref={tableRef}>
                    {items.map((q, i) => (
                      <Table.Tr
                        key={q.enrolmentId}
                        data-openable
                        tabIndex={0}
                        aria-selected={q.patientId === selected}
                        bg={q.patientId === selected ? 'var(--mantine-color-blue-0)' : undefined}
                        onClick={() => setSelected(q.patientId)}
                        onKeyDown={(e) => onRowKey(e, i, q.patientId)}
                      >
                        <Table.Td>
                          <Text fw={600} size="sm">
                            {q.displayName}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {q.mrn}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          {q.recorded.some((r) => r.kind === 'specimen') ? (
                            <Badge color="teal" variant="light" leftSection={<span aria-hidden="true">✓</span>} style={{ textTransform: 'none' }}>
                              {t('testDay.recorded')}
                            </Badge>
                          ) : (
                            <Badge color="gray" variant="light" leftSection={<span aria-hidden="true">◎</span>} style={{ textTransform: 'none' }}>
                              {t('testDay.waiting')}
                            </Badge>
                          )}
                          {q.undrawn > 0 ? (
                            <Badge ml={4} color="grape" variant="light" style={{ textTransform: 'none' }}>
                              {t('testDay.undrawn', { count: q.undrawn })}
                            </Badge>
                          ) : null}
                        </Table.Td>
                        {!current ? (
                          <Table.Td>
                            <NextValue next={q.next} size="sm" />
                          </Table.Td>
                        ) : null}
                        {!current ? <Table.Td>{formatCents(q.balanceRevealedCents, i18n.language)}</Table.Td> : null}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              ) : null}
            </Stack>
          </Card>
        </Grid.Col>
        {current ? (
          <Grid.Col span={{ base: 12, lg: 8 }}>
            <CupScreen key={current.patientId} item={current} onClose={() => setSelected(null)} />
          </Grid.Col>
        ) : selected && queue.data ? (
          <Grid.Col span={12}>
            <Alert color="yellow" variant="light" title={t('testDay.notExpectedTitle')}>
              {t('testDay.notExpected')}
            </Alert>
          </Grid.Col>
        ) : null}
      </Grid>
    </Stack>
  );
}

function CupScreen({ item, onClose }: { item: QueueItemT; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { me, program } = useSession();
  const queryClient = useQueryClient();
  const staff = useStaffList();
  const [key] = useState(newIdempotencyKey);
  const [collectedAt, setCollectedAt] = useState(() => toZonedInput(new Date(), program?.timeZone));
  const [observed, setObserved] = useState(false);
  const [observerId, setObserverId] = useState<string>(me.user.id);
  const [temperature, setTemperature] = useState<string | number>('');
  const [creatinine, setCreatinine] = useState<string | number>('');
  const [sg, setSg] = useState<string | number>('');
  const [ph, setPh] = useState<string | number>('');
  const [nitrite, setNitrite] = useState<string | number>('');
  const [oxidants, setOxidants] = useState(false);
  const [adulterant, setAdulterant] = useState(false);
  const [markInvalid, setMarkInvalid] = useState(false);
  const [invalidReason, setInvalidReason] = useState('');
  const [cup, setCup] = useState<CupDefaults>(readCup);
  const [method, setMethod] = useState<'presumptive' | 'confirmatory'>('presumptive');
  const [results, setResults] = useState<Record<Analyte, Result>>(() => Object.fromEntries(ANALYTES.map((a) => [a, 'untested'])) as Record<Analyte, Result>);
  const { busy, error, run } = useAction();
  const [saved, setSaved] = useState<SpecimenRecordedT | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const awardRef = useRef<HTMLDivElement>(null);
  const already = item.recorded.some((r) => r.kind === 'specimen');

  useEffect(() => headingRef.current?.focus(), []);
  useEffect(() => {
    if (saved) awardRef.current?.focus();
  }, [saved]);
  // A refused save: the first field in error takes focus, in view, its message beside it.
  useEffect(() => {
    if (error) focusFirstError(formRef.current);
  }, [error]);

  const setResult = (a: Analyte, r: Result) => setResults((prev) => ({ ...prev, [a]: r }));
  const allNegative = () => setResults(Object.fromEntries(ANALYTES.map((a) => [a, 'negative'])) as Record<Analyte, Result>);

  // Shortcuts work anywhere on the cup screen, except while typing in a field.
  useEffect(() => {
    if (saved) return undefined;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.defaultPrevented) return; // the form's own keys (Enter, Ctrl+Enter) were handled there
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        formRef.current?.requestSubmit();
        return;
      }
      const el = e.target as HTMLElement;
      const typing = el.tagName === 'INPUT' && !['checkbox', 'radio'].includes((el as HTMLInputElement).type);
      if (typing || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || e.ctrlKey || e.metaKey || e.altKey) return;
      if (el.closest('[role="dialog"]')) return;
      if (e.key === 'n' || e.key === 'N') {
        e.preventDefault();
        allNegative();
      } else if (/^[0-9]$/.test(e.key)) {
        const idx = e.key === '0' ? 9 : Number(e.key) - 1;
        const a = ANALYTES[idx];
        if (a) {
          e.preventDefault();
          setResults((prev) => ({ ...prev, [a]: prev[a] === 'positive' ? 'negative' : 'positive' }));
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [saved]);

  const num = (v: string | number) => (v === '' || v === null ? undefined : Number(v));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy || saved) return;
    const at = zonedInputToRfc3339(collectedAt, program?.timeZone);
    const chosen = ANALYTES.filter((a) => results[a] !== 'untested');
    const validity = {
      creatinineMgDl: num(creatinine),
      specificGravity: num(sg),
      ph: num(ph),
      nitriteUgMl: num(nitrite),
      oxidants: oxidants || undefined,
      adulterantDetected: adulterant || undefined,
    };
    const body: SpecimenCreateT = {
      patientId: item.patientId,
      collectedAt: at ?? collectedAt,
      collectorId: me.user.id,
      observed,
      observerId: observed ? observerId || me.user.id : null,
      temperatureC: num(temperature) ?? null,
      validity: Object.values(validity).some((v) => v !== undefined) ? validity : undefined,
      invalidReason: markInvalid ? invalidReason.trim() || t('testDay.invalidByStaff') : undefined,
      cup: cup.brand && cup.lot && cup.expiry ? { brand: cup.brand.trim(), lot: cup.lot.trim(), expiry: cup.expiry } : undefined,
      method,
      results: chosen.map((a) => ({ analyte: a, loinc: ANALYTE_INFO[a].loinc, result: results[a] as 'negative' | 'positive' | 'inconclusive' })),
    };
    void run(async () => {
      const res = await api.recordSpecimen(body, key);
      try {
        localStorage.setItem(CUP_KEY, JSON.stringify(cup));
      } catch {
        /* storage unavailable */
      }
      setSaved(res);
      void queryClient.invalidateQueries({ queryKey: ['cm', program?.id] });
      void queryClient.invalidateQueries({ queryKey: screensKey(program?.id) });
    });
  };

  const observers = (staff.data ?? []).filter((s) => s.active);
  const tempOut = temperature !== '' && (Number(temperature) < 32 || Number(temperature) > 38);
  const resultsError = fieldError(error, 'results');

  return (
    <Card withBorder component="section" aria-labelledby="cup-heading" data-testid="cup">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={2} size="h3" id="cup-heading" ref={headingRef} tabIndex={-1}>
              {t('testDay.cupFor', { name: item.displayName })}
            </Title>
            <Text size="sm" c="dimmed">
              {item.mrn} · {t('cm.balance')}: {formatCents(item.balanceRevealedCents, i18n.language)}
              {item.streaks.length ? ` · ${item.streaks.map((s) => t('cm.streakOf', { track: trackName(s.track), count: s.s })).join(' · ')}` : ''}
            </Text>
          </div>
          <Group gap="xs">
            <Button size="xs" variant="default" component={Link} to={`/patients/${item.patientId}?tab=cm`}>
              {t('testDay.openPatient')}
            </Button>
            <Button size="xs" variant="subtle" onClick={onClose}>
              {t('testDay.backToQueue')}
            </Button>
          </Group>
        </Group>
        {saved?.award ? (
          <AwardPanel recorded={{ ...saved, award: saved.award }} refEl={awardRef} enrolmentId={saved.award.enrolmentId} onNext={onClose} />
        ) : saved ? (
          <Alert color="blue" variant="light" ref={awardRef} tabIndex={-1}>
            {t('testDay.savedNoAward')}
          </Alert>
        ) : (
          <form ref={formRef} onSubmit={submit} onKeyDown={enterMovesToNextField} noValidate aria-label={t('testDay.cupForm')}>
            <Stack gap="sm">
              {already ? (
                <Alert color="yellow" variant="light" icon={<span aria-hidden="true">!</span>}>
                  {t('testDay.alreadyRecorded')}
                </Alert>
              ) : null}
              <ErrorAlert error={error} />
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <TextInput
                  type="datetime-local"
                  label={t('testDay.collectedAt')}
                  value={collectedAt}
                  required
                  onChange={(e) => setCollectedAt(e.currentTarget.value)}
                  error={fieldError(error, 'collectedAt')}
                />
                <TextInput label={t('testDay.collector')} value={me.user.displayName} readOnly description={t('testDay.collectorHint')} />
                <NativeSelect
                  label={t('testDay.method')}
                  value={method}
                  onChange={(e) => setMethod(e.currentTarget.value as 'presumptive' | 'confirmatory')}
                  data={[
                    { value: 'presumptive', label: t('testDay.presumptive') },
                    { value: 'confirmatory', label: t('testDay.confirmatory') },
                  ]}
                />
              </SimpleGrid>

              <Fieldset legend={t('testDay.results')} data-testid="results">
                <Stack gap={6}>
                  <Group justify="space-between">
                    <Text size="xs" c="dimmed">
                      {t('testDay.resultsHint')}
                    </Text>
                    <Button size="xs" variant="light" color="teal" onClick={allNegative} aria-keyshortcuts="N">
                      {t('testDay.allNegative')}
                    </Button>
                  </Group>
                  {resultsError ? (
                    <Text c="red" size="sm" role="alert" data-field-error>
                      {resultsError}
                    </Text>
                  ) : null}
                  <Table verticalSpacing={4}>
                    <Table.Tbody>
                      {ANALYTES.map((a, i) => (
                        <Table.Tr key={a} data-analyte={a}>
                          <Table.Td w={28}>
                            <Text size="sm" c="dimmed" aria-hidden="true">
                              {i === 9 ? 0 : i + 1}
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm" fw={600} id={`an-${a}`}>
                              {t(`analytes.${a}`, { defaultValue: ANALYTE_INFO[a].display })}
                            </Text>
                            <Text size="xs" c="dimmed">
                              {ANALYTE_INFO[a].loinc ? `LOINC ${ANALYTE_INFO[a].loinc}` : t('testDay.noLoinc')}
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            <SegmentedControl
                              size="sm"
                              transitionDuration={0}
                              aria-labelledby={`an-${a}`}
                              aria-keyshortcuts={String(i === 9 ? 0 : i + 1)}
                              value={results[a]}
                              onChange={(v) => setResult(a, v as Result)}
                              // shade 9: white text on teal 8 is 3.94:1, on teal 9 5:1
                              color={results[a] === 'positive' ? 'red.9' : results[a] === 'negative' ? 'teal.9' : 'gray'}
                              data={[
                                { value: 'untested', label: t('testDay.untested') },
                                { value: 'negative', label: `− ${t('testDay.negative')}` },
                                { value: 'positive', label: `+ ${t('testDay.positive')}` },
                                { value: 'inconclusive', label: `? ${t('testDay.inconclusive')}` },
                              ]}
                            />
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Stack>
              </Fieldset>

              <Fieldset legend={t('testDay.collection')}>
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  <Checkbox label={t('testDay.observed')} checked={observed} onChange={(e) => setObserved(e.currentTarget.checked)} mt="md" />
                  {observed ? (
                    <NativeSelect
                      label={t('testDay.observer')}
                      value={observerId}
                      onChange={(e) => setObserverId(e.currentTarget.value)}
                      data={observers.length ? observers.map((s) => ({ value: s.id, label: s.displayName })) : [{ value: me.user.id, label: me.user.displayName }]}
                      error={fieldError(error, 'observerId')}
                    />
                  ) : (
                    <div />
                  )}
                  <NumberInput
                    label={t('testDay.temperature')}
                    description={t('testDay.temperatureHint')}
                    value={temperature}
                    onChange={setTemperature}
                    decimalScale={1}
                    min={0}
                    max={50}
                    error={fieldError(error, 'temperatureC') ?? (tempOut ? t('testDay.temperatureOut') : undefined)}
                  />
                </SimpleGrid>
              </Fieldset>

              <Fieldset legend={t('testDay.validity')}>
                <SimpleGrid cols={{ base: 2, sm: 4 }}>
                  <NumberInput label={t('testDay.creatinine')} value={creatinine} onChange={setCreatinine} min={0} error={fieldError(error, 'validity.creatinineMgDl')} />
                  <NumberInput
                    label={t('testDay.specificGravity')}
                    value={sg}
                    onChange={setSg}
                    decimalScale={3}
                    step={0.001}
                    min={0.9}
                    max={1.2}
                    error={fieldError(error, 'validity.specificGravity')}
                  />
                  <NumberInput label={t('testDay.ph')} value={ph} onChange={setPh} decimalScale={1} min={0} max={14} error={fieldError(error, 'validity.ph')} />
                  <NumberInput label={t('testDay.nitrite')} value={nitrite} onChange={setNitrite} min={0} error={fieldError(error, 'validity.nitriteUgMl')} />
                </SimpleGrid>
                <Group mt="sm">
                  <Checkbox label={t('testDay.oxidants')} checked={oxidants} onChange={(e) => setOxidants(e.currentTarget.checked)} />
                  <Checkbox label={t('testDay.adulterant')} checked={adulterant} onChange={(e) => setAdulterant(e.currentTarget.checked)} />
                  <Checkbox label={t('testDay.markInvalid')} checked={markInvalid} onChange={(e) => setMarkInvalid(e.currentTarget.checked)} />
                </Group>
                {markInvalid ? (
                  <TextInput mt="sm" label={t('testDay.invalidReason')} value={invalidReason} onChange={(e) => setInvalidReason(e.currentTarget.value)} error={fieldError(error, 'invalidReason')} />
                ) : null}
              </Fieldset>

              <Fieldset legend={t('testDay.cup')}>
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  <TextInput label={t('testDay.cupBrand')} value={cup.brand} onChange={(e) => setCup({ ...cup, brand: e.currentTarget.value })} error={fieldError(error, 'cup.brand')} />
                  <TextInput label={t('testDay.cupLot')} value={cup.lot} onChange={(e) => setCup({ ...cup, lot: e.currentTarget.value })} error={fieldError(error, 'cup.lot')} />
                  <TextInput
                    type="date"
                    label={t('testDay.cupExpiry')}
                    value={cup.expiry}
                    onChange={(e) => setCup({ ...cup, expiry: e.currentTarget.value })}
                    error={fieldError(error, 'cup.expiry')}
                  />
                </SimpleGrid>
                <Text size="xs" c="dimmed" mt={4}>
                  {t('testDay.cupHint')}
                </Text>
              </Fieldset>

              <Group>
                <Button type="submit" size="lg" loading={busy} aria-keyshortcuts="Control+Enter">
                  {t('testDay.save')}
                </Button>
                <Text size="xs" c="dimmed">
                  {t('testDay.saveHint')}
                </Text>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Card>
  );
}

/** The award, large, the moment the cup is saved. */
function AwardPanel({
  recorded,
  refEl,
  enrolmentId,
  onNext,
}: {
  recorded: SpecimenRecordedT & { award: NonNullable<SpecimenRecordedT['award']> };
  refEl: React.RefObject<HTMLDivElement | null>;
  enrolmentId: string;
  onNext: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const a = recorded.award;
  // Prize values are decided when earned, but the patient sees them on the draw screen:
  // here, only voucher money and the number of draws, and the balance without prizes not yet shown.
  const earned = useMemo(() => {
    const parts: string[] = [];
    if (a.voucherCents > 0) parts.push(formatCents(a.voucherCents, i18n.language));
    if (a.prizeDrawsEarned > 0) parts.push(t('cm.draws', { count: a.prizeDrawsEarned }));
    return parts;
  }, [a, i18n.language, t]);
  const hiddenPrizes = a.balanceRevealedCents !== a.balanceCents;
  return (
    <div ref={refEl} tabIndex={-1} role="status" aria-live="polite" data-testid="award">
      <Stack gap="md">
        {recorded.duplicate ? (
          <Alert color="blue" variant="light">
            {t('testDay.duplicate')}
          </Alert>
        ) : null}
        {a.pendingAdjudication ? (
          <Alert color="yellow" variant="light" title={t('testDay.pendingTitle')} icon={<span aria-hidden="true">?</span>}>
            {t('testDay.pending')}
          </Alert>
        ) : null}
        <Card bg={earned.length ? 'var(--mantine-color-teal-0)' : 'var(--mantine-color-gray-0)'} padding="lg" radius="md">
          <Text size="lg" fw={600}>
            {earned.length ? t('testDay.earnedTitle') : t('testDay.nothingEarned')}
          </Text>
          <Text fz={48} fw={800} lh={1.1} data-testid="earned">
            {earned.length ? earned.join(' + ') : formatCents(0, i18n.language)}
          </Text>
          {earned.length ? (
            <Group gap="lg" mt={4}>
              <Text size="sm" data-testid="earned-vouchers">
                {t('testDay.vouchers', { amount: formatCents(a.voucherCents, i18n.language) })}
              </Text>
              <Text size="sm" data-testid="earned-draws">
                {a.prizeDrawsEarned > 0 ? t('testDay.drawsToShow', { count: a.prizeDrawsEarned }) : t('testDay.noDraws')}
              </Text>
              {a.prizeCentsRevealed > 0 ? <Text size="sm">{t('testDay.prizesShown', { amount: formatCents(a.prizeCentsRevealed, i18n.language) })}</Text> : null}
            </Group>
          ) : null}
          <Group gap="xs" mt="xs">
            {a.outcomes.map((o) => (
              <Group key={o.track} gap={4}>
                <Text size="sm">{trackName(o.track)}:</Text>
                <OutcomeBadge outcome={o.outcome} />
                {o.s > 0 ? <Text size="sm">{t('cm.streakOf', { track: '', count: o.s }).trim()}</Text> : null}
              </Group>
            ))}
          </Group>
        </Card>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Card withBorder padding="md">
            <Text size="sm" c="dimmed">
              {t('testDay.nextValue')}
            </Text>
            <div data-testid="next-value">
              <NextValue next={a.next} size="xl" />
            </div>
          </Card>
          <Card withBorder padding="md">
            <Text size="sm" c="dimmed">
              {hiddenPrizes ? t('testDay.balanceBeforeDraws') : t('cm.balance')}
            </Text>
            <Text fz={32} fw={700} data-testid="balance">
              {formatCents(a.balanceRevealedCents, i18n.language)}
            </Text>
          </Card>
        </SimpleGrid>
        {recorded.specimen.valid === false ? (
          <Alert color="yellow" variant="light" title={t('testDay.invalidTitle')}>
            {recorded.specimen.invalidReasons.join('; ')}
          </Alert>
        ) : null}
        <Group>
          {a.prizeDrawsEarned > 0 && can('draw:cm') ? (
            <Button size="lg" color="grape" onClick={() => navigate(`/cm/draw/${enrolmentId}`)} autoFocus>
              {t('testDay.goDraw', { count: a.prizeDrawsEarned })}
            </Button>
          ) : null}
          <Button size="lg" variant={a.prizeDrawsEarned > 0 ? 'default' : 'filled'} onClick={onNext}>
            {t('testDay.nextPatient')}
          </Button>
        </Group>
      </Stack>
    </div>
  );
}
