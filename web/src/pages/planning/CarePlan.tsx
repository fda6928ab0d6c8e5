// Recommendations with their rationale (for the clinician and in plain words for the
// patient) and evidence; the care plan editor (problems, measurable goals, interventions
// from the recommendations or written in, who is responsible, how often, review date);
// versions with who changed what; the patient's agreement; the printable view.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Checkbox, Chip, Group, List, Modal, MultiSelect, NativeSelect, NumberInput, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { api, isApiError, newIdempotencyKey, type CarePlanT, type RecommendationT } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatDate, formatInstantDate, formatDateTime, todayIn } from '../../format.ts';
import { StatusBadge, TableHead } from '../../components/common.tsx';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { Section } from '../../components/Section.tsx';
import { useStaffList } from '../patient/useStaffList.ts';
import { InterventionSkills } from '../skills/PlanSkills.tsx';

const planKey = (programId: string | undefined, patientId: string) => ['plan', programId, patientId];

export type DraftIntervention = {
  id: string;
  code: string | null;
  source: 'recommendation' | 'free-text';
  text: string;
  goalIds: string[];
  responsibleStaffIds: string[];
  frequency: string;
  status: string;
};

const uuid = () => newIdempotencyKey();

// ---------- recommendations ----------

export function RecommendationsPanel({
  patientId,
  patientLanguage,
  onAccept,
  accepted,
}: {
  patientId: string;
  /** The patient's preferred language: when it is not the console's, the plain words are shown in it too (to share with the patient). */
  patientLanguage?: 'en' | 'es';
  onAccept: (r: RecommendationT) => void;
  accepted: string[];
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'es' ? 'es' : 'en';
  const other = patientLanguage && patientLanguage !== lang ? patientLanguage : null;
  const { can, program } = useSession();
  const [asked, setAsked] = useState(false);
  const q = useQuery({ queryKey: [...planKey(program?.id, patientId), 'recs'], queryFn: () => api.recommendations(patientId), enabled: asked });
  return (
    <Section
      title={t('recs.title')}
      permission="read:care-plan"
      testId="recommendations"
      actions={
        <Button size="xs" variant="light" onClick={() => (asked ? void q.refetch() : setAsked(true))} loading={q.isFetching}>
          {asked ? t('recs.refresh') : t('recs.get')}
        </Button>
      }
    >
      <Text size="sm" c="dimmed">
        {t('recs.intro')}
      </Text>
      <ErrorAlert error={q.error} />
      {q.data ? (
        <Stack gap="sm">
          <Text size="xs" c="dimmed">
            {t('recs.basedOn', {
              fields:
                Object.entries(q.data.sources)
                  .map(([k, v]) => `${k} (${v.split(':')[0]})`)
                  .join(', ') || t('recs.nothingKnown'),
            })}
          </Text>
          {q.data.cautions.map((c) => (
            <Alert
              key={c.code}
              color={c.code === 'suicide-risk' ? 'red' : 'orange'}
              variant="light"
              title={t(`recs.cautions.${c.code}`, { defaultValue: c.code })}
              icon={<span aria-hidden="true">!</span>}
            >
              {c.text}
            </Alert>
          ))}
          {q.data.recommendations.map((r, i) => {
            const done = accepted.includes(r.intervention);
            return (
              <Card key={r.intervention} withBorder padding="sm" data-intervention={r.intervention}>
                <Stack gap={4}>
                  <Group justify="space-between">
                    <Text fw={700}>
                      {i + 1}. {t(`interventions.${r.intervention}`, { defaultValue: r.intervention })}
                    </Text>
                    {can('write:care-plan') ? (
                      <Button
                        size="xs"
                        variant={done ? 'light' : 'filled'}
                        disabled={done}
                        onClick={() => onAccept(r)}
                        // The name starts with the visible label (WCAG 2.5.3, label in name), then says which.
                        aria-label={t(done ? 'recs.addedLabel' : 'recs.addLabel', { name: t(`interventions.${r.intervention}`, { defaultValue: r.intervention }) })}
                      >
                        {done ? t('recs.added') : t('recs.add')}
                      </Button>
                    ) : null}
                  </Group>
                  <Text size="sm">
                    <b>{t('recs.forClinician')}</b> {r.rationale.clinician}
                  </Text>
                  <Text size="sm">
                    <b>{t('recs.forPatient')}</b> {r.rationale.patient[lang]}
                  </Text>
                  {other ? (
                    <Text size="sm" data-testid="rationale-patient-language">
                      <b>{t('recs.forPatientIn', { language: t(`languages.${other}`) })}</b> <span lang={other}>{r.rationale.patient[other]}</span>
                    </Text>
                  ) : null}
                  {r.evidence.length > 0 ? (
                    <details>
                      <summary>
                        <Text span size="sm">
                          {t('recs.evidence', { count: r.evidence.length })}
                        </Text>
                      </summary>
                      <List size="sm" mt={4}>
                        {r.evidence.map((e) => (
                          <List.Item key={e.id}>
                            {e.summary}
                            {e.citation ? (
                              <Text span size="xs" c="dimmed">
                                {' '}
                                — {e.citation}
                              </Text>
                            ) : null}
                          </List.Item>
                        ))}
                      </List>
                    </details>
                  ) : null}
                </Stack>
              </Card>
            );
          })}
        </Stack>
      ) : null}
    </Section>
  );
}

// ---------- care plans ----------

export function CarePlanSection({ patientId, pending, onPendingUsed }: { patientId: string; pending: DraftIntervention[]; onPendingUsed: () => void }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const list = useQuery({ queryKey: [...planKey(program?.id, patientId), 'list'], queryFn: () => api.carePlans(patientId) });
  const plans = list.data?.items ?? [];
  const current = plans.find((p) => p.status === 'active' || p.status === 'draft') ?? plans[0];
  const plan = useQuery({ queryKey: [...planKey(program?.id, patientId), 'plan', current?.id], queryFn: () => api.carePlan(patientId, current!.id), enabled: !!current });
  const [editing, setEditing] = useState(false);
  const [agreeing, setAgreeing] = useState(false);
  const [showVersions, setShowVersions] = useState(false);
  const openEditor = editing || (pending.length > 0 && can('write:care-plan'));

  const print = async () => {
    if (!current) return;
    const blob = await api.printCarePlan(patientId, current.id);
    const url = URL.createObjectURL(blob);
    window.open(url, '_blank', 'noopener');
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };

  return (
    <Section
      title={t('plan.title')}
      permission="read:care-plan"
      testId="care-plan"
      actions={
        can('write:care-plan') && !openEditor ? (
          <Button size="xs" variant="light" onClick={() => setEditing(true)}>
            {current ? t('plan.edit') : t('plan.create')}
          </Button>
        ) : null
      }
    >
      <ErrorAlert error={list.error ?? plan.error} />
      {openEditor ? (
        <PlanEditor
          patientId={patientId}
          base={current ? (plan.data ?? null) : null}
          pending={pending}
          onClose={() => {
            setEditing(false);
            onPendingUsed();
          }}
        />
      ) : null}
      {!openEditor && list.data && plans.length === 0 ? <Text c="dimmed">{t('plan.none')}</Text> : null}
      {!openEditor && plan.data ? <PlanView plan={plan.data} /> : null}
      {!openEditor && plan.data ? (
        <Group gap="xs">
          <Button size="xs" variant="default" onClick={() => void print()}>
            {t('plan.print')}
          </Button>
          <Button size="xs" variant="default" onClick={() => setShowVersions(!showVersions)}>
            {t('plan.versions')}
          </Button>
          {can('write:care-plan') && !plan.data.agreement ? (
            <Button size="xs" variant="default" onClick={() => setAgreeing(true)}>
              {t('plan.recordAgreement')}
            </Button>
          ) : null}
        </Group>
      ) : null}
      {showVersions && current ? <Versions patientId={patientId} planId={current.id} /> : null}
      {agreeing && plan.data ? <AgreementModal patientId={patientId} plan={plan.data} onClose={() => setAgreeing(false)} /> : null}
      {plans.length > 1 ? (
        <Text size="xs" c="dimmed">
          {t('plan.others', {
            list: plans
              .filter((p) => p.id !== current?.id)
              .map((p) => `${p.title} (${t(`plan.statuses.${p.status}`, { defaultValue: p.status })}, ${formatDate(p.reviewDate, i18n.language)})`)
              .join('; '),
          })}
        </Text>
      ) : null}
    </Section>
  );
}

function PlanView({ plan }: { plan: CarePlanT }) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const staffName = (id: string) => plan.staff[id] ?? id;
  const target = (g: CarePlanT['goals'][number]) => (g.targetValue !== null ? `${g.targetComparator ?? ''} ${g.targetValue}${g.targetUnit ? ` ${g.targetUnit}` : ''}`.trim() : (g.targetText ?? ''));
  return (
    <Stack gap="sm" data-testid="plan-view">
      <Group gap="xs">
        <Title order={3} size="h5">
          {plan.title}
        </Title>
        <Badge variant="light" style={{ textTransform: 'none' }} data-testid="plan-version">
          {t('plan.versionN', { n: plan.version })}
        </Badge>
        <StatusBadge tone={plan.status === 'active' ? 'ok' : 'neutral'}>{t(`plan.statuses.${plan.status}`, { defaultValue: plan.status })}</StatusBadge>
        {plan.agreement ? (
          <StatusBadge tone="ok">
            {t('plan.agreed', { how: t(`plan.methods.${plan.agreement.method}`), when: formatInstantDate(plan.agreement.agreedAt, i18n.language, program?.timeZone) })}
          </StatusBadge>
        ) : (
          <StatusBadge tone="warn">{plan.previousAgreement ? t('plan.agreedEarlier', { n: plan.previousAgreement.version }) : t('plan.notAgreed')}</StatusBadge>
        )}
      </Group>
      <Text size="xs" c="dimmed">
        {t('plan.changedBy', { name: plan.changedByName ?? '', when: formatDateTime(plan.updatedAt, i18n.language, program?.timeZone) })} ·{' '}
        {t('plan.reviewBy', { date: formatDate(plan.reviewDate, i18n.language) })}
      </Text>
      <div>
        <Text fw={600} size="sm">
          {t('plan.problems')}
        </Text>
        <List size="sm">
          {plan.problems.map((p) => (
            <List.Item key={p.id}>{p.text}</List.Item>
          ))}
        </List>
      </div>
      <div>
        <Text fw={600} size="sm">
          {t('plan.goals')}
        </Text>
        <Table verticalSpacing={2} fz="sm">
          <TableHead labels={[t('plan.goal'), t('plan.measure'), t('plan.target'), t('plan.due'), t('plan.responsible')]} />
          <Table.Tbody>
            {plan.goals.map((g) => (
              <Table.Tr key={g.id}>
                <Table.Td>{g.description}</Table.Td>
                <Table.Td>{g.measure}</Table.Td>
                <Table.Td>{target(g)}</Table.Td>
                <Table.Td>{formatDate(g.dueDate, i18n.language)}</Table.Td>
                <Table.Td>{g.responsibleStaffIds.map(staffName).join(', ')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
      <div>
        <Text fw={600} size="sm">
          {t('plan.interventions')}
        </Text>
        <Table verticalSpacing={2} fz="sm" data-testid="plan-interventions">
          <TableHead labels={[t('plan.intervention'), t('plan.frequency'), t('plan.responsible')]} />
          <Table.Tbody>
            {plan.interventions.map((v) => (
              <Table.Tr key={v.id} data-code={v.code ?? ''}>
                <Table.Td>
                  {v.text}{' '}
                  {v.source === 'recommendation' ? (
                    <Text span size="xs" c="dimmed">
                      ({t('plan.fromRecommendation')})
                    </Text>
                  ) : null}
                  <InterventionSkills patientId={plan.patientId} carePlanId={plan.id} interventionId={v.id} code={v.code} />
                </Table.Td>
                <Table.Td>{v.frequency}</Table.Td>
                <Table.Td>{v.responsibleStaffIds.map(staffName).join(', ')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
    </Stack>
  );
}

type DraftGoal = {
  id: string;
  problemIds: string[];
  description: string;
  measure: string;
  targetComparator: string;
  targetValue: string | number;
  targetUnit: string;
  targetText: string;
  dueDate: string;
  status: string;
  responsibleStaffIds: string[];
};

function PlanEditor({ patientId, base, pending, onClose }: { patientId: string; base: CarePlanT | null; pending: DraftIntervention[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { me, program } = useSession();
  const queryClient = useQueryClient();
  const staff = useStaffList();
  const inMonths = (n: number) => {
    const d = new Date(`${todayIn(program?.timeZone)}T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() + n);
    return d.toISOString().slice(0, 10);
  };
  const [title, setTitle] = useState(base?.title ?? t('plan.defaultTitle'));
  const [status, setStatus] = useState(base?.status ?? 'active');
  const [reviewDate, setReviewDate] = useState(base?.reviewDate ?? inMonths(3));
  const [problems, setProblems] = useState(base?.problems.map((p) => ({ ...p })) ?? [{ id: uuid(), text: '' }]);
  const [goals, setGoals] = useState<DraftGoal[]>(
    () =>
      base?.goals.map((g) => ({
        id: g.id,
        problemIds: g.problemIds,
        description: g.description,
        measure: g.measure,
        targetComparator: g.targetComparator ?? '',
        targetValue: g.targetValue ?? '',
        targetUnit: g.targetUnit ?? '',
        targetText: g.targetText ?? '',
        dueDate: g.dueDate,
        status: g.status,
        responsibleStaffIds: g.responsibleStaffIds,
      })) ?? [],
  );
  const [interventions, setInterventions] = useState<DraftIntervention[]>(() => {
    const existing = base?.interventions.map((v) => ({ ...v })) ?? [];
    return [...existing, ...pending.filter((p) => !existing.some((e) => e.code && e.code === p.code))];
  });
  const [note, setNote] = useState('');
  const [key] = useState(newIdempotencyKey);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const staffOptions = (staff.data ?? []).filter((s) => s.active).map((s) => ({ value: s.id, label: s.displayName }));
  if (!staffOptions.some((o) => o.value === me.user.id)) staffOptions.unshift({ value: me.user.id, label: me.user.displayName });

  const addGoal = () =>
    setGoals([
      ...goals,
      {
        id: uuid(),
        problemIds: problems[0] ? [problems[0].id] : [],
        description: '',
        measure: '',
        targetComparator: '<=',
        targetValue: '',
        targetUnit: '',
        targetText: '',
        dueDate: inMonths(3),
        status: 'active',
        responsibleStaffIds: [me.user.id],
      },
    ]);
  const addIntervention = () =>
    setInterventions([
      ...interventions,
      {
        id: uuid(),
        code: null,
        source: 'free-text',
        text: '',
        goalIds: [],
        responsibleStaffIds: [me.user.id],
        frequency: '',
        status: 'planned',
      },
    ]);
  const setGoal = (i: number, patch: Partial<DraftGoal>) => setGoals(goals.map((g, j) => (j === i ? { ...g, ...patch } : g)));
  const setIv = (i: number, patch: Partial<DraftIntervention>) => setInterventions(interventions.map((v, j) => (j === i ? { ...v, ...patch } : v)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body = {
      title,
      status: status as 'active',
      reviewDate,
      note: note.trim() || undefined,
      problems: problems.filter((p) => p.text.trim()).map((p) => ({ id: p.id, text: p.text })),
      goals: goals.map((g) => ({
        id: g.id,
        problemIds: g.problemIds.filter((id) => problems.some((p) => p.id === id && p.text.trim())),
        description: g.description,
        measure: g.measure,
        ...(g.targetValue !== '' ? { targetValue: Number(g.targetValue), targetComparator: (g.targetComparator || undefined) as '<' | undefined, targetUnit: g.targetUnit.trim() || undefined } : {}),
        ...(g.targetText.trim() ? { targetText: g.targetText.trim() } : {}),
        dueDate: g.dueDate,
        status: g.status as 'active',
        responsibleStaffIds: g.responsibleStaffIds,
      })),
      interventions: interventions.map((v) => ({
        id: v.id,
        ...(v.code ? { code: v.code as 'cbt' } : {}),
        source: v.source,
        text: v.text,
        goalIds: v.goalIds.filter((id) => goals.some((g) => g.id === id)),
        responsibleStaffIds: v.responsibleStaffIds,
        frequency: v.frequency,
        status: v.status as 'planned',
      })),
    };
    try {
      if (base) await api.reviseCarePlan(patientId, base.id, { ...body, version: base.version });
      else await api.createCarePlan(patientId, body, key);
      await queryClient.invalidateQueries({ queryKey: planKey(program?.id, patientId) });
      void queryClient.invalidateQueries({ queryKey: ['plan', program?.id, 'reviews'] });
      notifications.show({ color: 'teal', message: t('plan.saved') });
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const stale = isApiError(error) && error.code === 'stale_version';
  const fe = (f: string) => fieldError(error, f);

  return (
    <form onSubmit={submit} noValidate aria-label={base ? t('plan.edit') : t('plan.create')} data-testid="plan-editor">
      <Stack gap="md">
        {stale ? (
          <Alert color="yellow" role="alert" title={t('patient.staleTitle')}>
            {t('plan.stale')}
          </Alert>
        ) : (
          <ErrorAlert error={error} />
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label={t('plan.planTitle')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={fe('title')} />
          <NativeSelect
            label={t('plan.status')}
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value)}
            data={['draft', 'active', 'completed', 'revoked'].map((s) => ({ value: s, label: t(`plan.statuses.${s}`) }))}
          />
          <TextInput type="date" label={t('plan.reviewDate')} value={reviewDate} onChange={(e) => setReviewDate(e.currentTarget.value)} required error={fe('reviewDate')} />
        </SimpleGrid>

        <Stack gap="xs">
          <Title order={3} size="h5">
            {t('plan.problems')}
          </Title>
          {problems.map((p, i) => (
            <Group key={p.id} align="flex-end" wrap="nowrap">
              <TextInput
                style={{ flex: 1 }}
                label={t('plan.problemN', { n: i + 1 })}
                value={p.text}
                onChange={(e) => setProblems(problems.map((x, j) => (j === i ? { ...x, text: e.currentTarget.value } : x)))}
                error={fe(`problems.${i}.text`)}
              />
              <Button variant="subtle" color="red" onClick={() => setProblems(problems.filter((_, j) => j !== i))} aria-label={t('plan.removeProblem', { n: i + 1 })}>
                ✕
              </Button>
            </Group>
          ))}
          <Group>
            <Button size="xs" variant="light" onClick={() => setProblems([...problems, { id: uuid(), text: '' }])}>
              {t('plan.addProblem')}
            </Button>
          </Group>
        </Stack>

        <Stack gap="xs">
          <Title order={3} size="h5">
            {t('plan.goals')}
          </Title>
          <Text size="xs" c="dimmed">
            {t('plan.goalHint')}
          </Text>
          {goals.map((g, i) => (
            <Card key={g.id} withBorder padding="sm" data-goal={i}>
              <Stack gap="xs">
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput
                    label={t('plan.goalDescription')}
                    value={g.description}
                    onChange={(e) => setGoal(i, { description: e.currentTarget.value })}
                    required
                    error={fe(`goals.${i}.description`)}
                  />
                  <TextInput
                    label={t('plan.measure')}
                    description={t('plan.measureHint')}
                    value={g.measure}
                    onChange={(e) => setGoal(i, { measure: e.currentTarget.value })}
                    required
                    error={fe(`goals.${i}.measure`)}
                  />
                </SimpleGrid>
                <SimpleGrid cols={{ base: 2, sm: 5 }}>
                  <NativeSelect
                    label={t('plan.comparator')}
                    value={g.targetComparator}
                    onChange={(e) => setGoal(i, { targetComparator: e.currentTarget.value })}
                    data={[
                      { value: '', label: '—' },
                      { value: '<', label: '<' },
                      { value: '<=', label: '≤' },
                      { value: '>=', label: '≥' },
                      { value: '>', label: '>' },
                    ]}
                  />
                  <NumberInput label={t('plan.targetValue')} value={g.targetValue} onChange={(v) => setGoal(i, { targetValue: v })} error={fe(`goals.${i}.targetValue`)} />
                  <TextInput label={t('plan.targetUnit')} value={g.targetUnit} onChange={(e) => setGoal(i, { targetUnit: e.currentTarget.value })} />
                  <TextInput label={t('plan.targetText')} value={g.targetText} onChange={(e) => setGoal(i, { targetText: e.currentTarget.value })} error={fe(`goals.${i}.targetText`)} />
                  <TextInput type="date" label={t('plan.due')} value={g.dueDate} onChange={(e) => setGoal(i, { dueDate: e.currentTarget.value })} required error={fe(`goals.${i}.dueDate`)} />
                </SimpleGrid>
                <MultiSelect
                  label={t('plan.responsible')}
                  data={staffOptions}
                  value={g.responsibleStaffIds}
                  onChange={(v) => setGoal(i, { responsibleStaffIds: v })}
                  error={fe(`goals.${i}.responsibleStaffIds`)}
                />
                {problems.some((p) => p.text.trim()) ? (
                  <Chip.Group multiple value={g.problemIds} onChange={(v) => setGoal(i, { problemIds: v })}>
                    <Group gap={4} role="group" aria-label={t('plan.forProblems')}>
                      <Text size="sm">{t('plan.forProblems')}</Text>
                      {problems
                        .filter((p) => p.text.trim())
                        .map((p) => (
                          <Chip key={p.id} value={p.id} size="xs">
                            {p.text}
                          </Chip>
                        ))}
                    </Group>
                  </Chip.Group>
                ) : null}
                <Group justify="flex-end">
                  <Button size="xs" variant="subtle" color="red" onClick={() => setGoals(goals.filter((_, j) => j !== i))}>
                    {t('plan.removeGoal')}
                  </Button>
                </Group>
              </Stack>
            </Card>
          ))}
          <Group>
            <Button size="xs" variant="light" onClick={addGoal}>
              {t('plan.addGoal')}
            </Button>
          </Group>
        </Stack>

        <Stack gap="xs">
          <Title order={3} size="h5">
            {t('plan.interventions')}
          </Title>
          {interventions.map((v, i) => (
            <Card key={v.id} withBorder padding="sm" data-intervention-row={v.code ?? 'free'}>
              <Stack gap="xs">
                {v.code ? (
                  <Badge variant="light" style={{ textTransform: 'none' }}>
                    {t('plan.fromRecommendation')}: {t(`interventions.${v.code}`, { defaultValue: v.code })}
                  </Badge>
                ) : null}
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  <TextInput label={t('plan.intervention')} value={v.text} onChange={(e) => setIv(i, { text: e.currentTarget.value })} required error={fe(`interventions.${i}.text`)} />
                  <TextInput
                    label={t('plan.frequency')}
                    description={t('plan.frequencyHint')}
                    value={v.frequency}
                    onChange={(e) => setIv(i, { frequency: e.currentTarget.value })}
                    required
                    error={fe(`interventions.${i}.frequency`)}
                  />
                  <MultiSelect
                    label={t('plan.responsible')}
                    data={staffOptions}
                    value={v.responsibleStaffIds}
                    onChange={(x) => setIv(i, { responsibleStaffIds: x })}
                    required
                    error={fe(`interventions.${i}.responsibleStaffIds`)}
                  />
                </SimpleGrid>
                {goals.length ? (
                  <Chip.Group multiple value={v.goalIds} onChange={(x) => setIv(i, { goalIds: x })}>
                    <Group gap={4} role="group" aria-label={t('plan.forGoals')}>
                      <Text size="sm">{t('plan.forGoals')}</Text>
                      {goals.map((g, gi) => (
                        <Chip key={g.id} value={g.id} size="xs">
                          {g.description || t('plan.goalN', { n: gi + 1 })}
                        </Chip>
                      ))}
                    </Group>
                  </Chip.Group>
                ) : null}
                <Group justify="flex-end">
                  <Button size="xs" variant="subtle" color="red" onClick={() => setInterventions(interventions.filter((_, j) => j !== i))}>
                    {t('plan.removeIntervention')}
                  </Button>
                </Group>
              </Stack>
            </Card>
          ))}
          <Group>
            <Button size="xs" variant="light" onClick={addIntervention}>
              {t('plan.addIntervention')}
            </Button>
          </Group>
        </Stack>
        <Textarea label={t('plan.note')} description={t('plan.noteHint')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={2} />
        <Group>
          <Button type="submit" loading={busy}>
            {base ? t('plan.saveVersion', { n: base.version + 1 }) : t('plan.saveFirst')}
          </Button>
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Versions({ patientId, planId }: { patientId: string; planId: string }) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const q = useQuery({ queryKey: [...planKey(program?.id, patientId), 'versions', planId], queryFn: () => api.planVersions(patientId, planId) });
  return (
    <Stack gap="xs" data-testid="plan-versions">
      <ErrorAlert error={q.error} />
      {[...(q.data?.items ?? [])].reverse().map((v) => (
        <Card key={v.version} withBorder padding="xs">
          <Text size="sm" fw={600}>
            {t('plan.versionN', { n: v.version })} · {v.changedByName ?? ''} · {formatDateTime(v.changedAt, i18n.language, program?.timeZone)}
          </Text>
          {v.note ? <Text size="sm">{v.note}</Text> : null}
          {v.changes.length ? (
            <Text size="xs" c="dimmed">
              {v.changes.map((c) => `${c.path} ${t(`plan.change.${c.change}`)}`).join('; ')}
            </Text>
          ) : null}
        </Card>
      ))}
    </Stack>
  );
}

function AgreementModal({ patientId, plan, onClose }: { patientId: string; plan: CarePlanT; onClose: () => void }) {
  const { t } = useTranslation();
  const { program } = useSession();
  const queryClient = useQueryClient();
  const [agreedBy, setAgreedBy] = useState<'patient' | 'legal-representative'>('patient');
  const [representativeName, setRep] = useState('');
  const [method, setMethod] = useState<'verbal' | 'signed-paper' | 'signed-electronic'>('signed-paper');
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api.recordAgreement(patientId, plan.id, { version: plan.version, agreedBy, method, representativeName: agreedBy === 'legal-representative' ? representativeName : undefined });
      await queryClient.invalidateQueries({ queryKey: planKey(program?.id, patientId) });
      onClose();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Modal opened onClose={onClose} title={t('plan.recordAgreement')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={error} />
          <Text size="sm">{t('plan.agreementIntro', { n: plan.version })}</Text>
          <NativeSelect
            label={t('plan.agreedBy')}
            value={agreedBy}
            onChange={(e) => setAgreedBy(e.currentTarget.value as typeof agreedBy)}
            data={[
              { value: 'patient', label: t('plan.byPatient') },
              { value: 'legal-representative', label: t('plan.byRepresentative') },
            ]}
          />
          {agreedBy === 'legal-representative' ? (
            <TextInput label={t('plan.representativeName')} value={representativeName} onChange={(e) => setRep(e.currentTarget.value)} error={fieldError(error, 'representativeName')} />
          ) : null}
          <NativeSelect
            label={t('plan.how')}
            value={method}
            onChange={(e) => setMethod(e.currentTarget.value as typeof method)}
            data={(['signed-paper', 'signed-electronic', 'verbal'] as const).map((m) => ({ value: m, label: t(`plan.methods.${m}`) }))}
          />
          <Checkbox label={t('plan.agreementConfirm')} checked={confirm} onChange={(e) => setConfirm(e.currentTarget.checked)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={!confirm}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
