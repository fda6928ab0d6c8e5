// The programme's CM page: how it is going (enrolled, % negative by week, spend against
// budget, caps, redemptions, stock), and the set-up behind it (protocol library and
// designer, catalogue, funding sources and caps, settings, seeds, integration tokens).
import { lazy, Suspense, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Code, Group, List, Modal, NativeSelect, NumberInput, Progress, SimpleGrid, Stack, Table, Tabs, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { api, isApiError, newIdempotencyKey, type CatalogueItemT, type ProtocolPreviewT, type ProtocolT, type RedemptionListItemT } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatCents, formatDate, formatInstantDate, formatDateTime } from '../../format.ts';
import { PageTitle, StatusBadge, TableHead, WhoCanSee } from '../../components/common.tsx';
import { ErrorAlert, fieldError, OneTimeSecret, useAction } from '../../components/forms.tsx';
import { DeclineForm, trackName, useDeclineReason } from './shared.tsx';
import { OUTSIDE_SCOPES, TOKEN_SCOPES, type TokenScope } from '../../../../core/access/scopes.ts';

const Charts = lazy(() => import('../../components/Charts.tsx').then((m) => ({ default: m.NegativeByWeekChart })));

export function CmProgrammePage() {
  const { t } = useTranslation();
  const { can, program } = useSession();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'overview';
  const summary = useQuery({ queryKey: ['cm', program?.id, 'summary'], queryFn: api.cmSummary });
  const waiting = summary.data?.redemptions.pendingApproval ?? 0;
  return (
    <Stack>
      <PageTitle title={t('cmProgramme.title')}>{t('cmProgramme.title')}</PageTitle>
      <WhoCanSee permission="read:cm" />
      <Tabs value={tab} onChange={(v) => setParams(v && v !== 'overview' ? { tab: v } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="overview">{t('cmProgramme.tabs.overview')}</Tabs.Tab>
          <Tabs.Tab value="approvals">{waiting > 0 ? t('cmProgramme.tabs.approvalsCount', { count: waiting }) : t('cmProgramme.tabs.approvals')}</Tabs.Tab>
          <Tabs.Tab value="protocols">{t('cmProgramme.tabs.protocols')}</Tabs.Tab>
          <Tabs.Tab value="catalogue">{t('cmProgramme.tabs.catalogue')}</Tabs.Tab>
          <Tabs.Tab value="funding">{t('cmProgramme.tabs.funding')}</Tabs.Tab>
          {can('manage:cm-settings') || can('manage:integration') ? <Tabs.Tab value="admin">{t('cmProgramme.tabs.admin')}</Tabs.Tab> : null}
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md">
          <Overview />
        </Tabs.Panel>
        <Tabs.Panel value="approvals" pt="md">
          <Approvals />
        </Tabs.Panel>
        <Tabs.Panel value="protocols" pt="md">
          <Protocols />
        </Tabs.Panel>
        <Tabs.Panel value="catalogue" pt="md">
          <Catalogue />
        </Tabs.Panel>
        <Tabs.Panel value="funding" pt="md">
          <Funding />
        </Tabs.Panel>
        <Tabs.Panel value="admin" pt="md">
          <Admin />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function Stat({ label, value, testId }: { label: string; value: string | number; testId?: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={26} fw={700} data-testid={testId}>
        {value}
      </Text>
    </Card>
  );
}

function Overview() {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const q = useQuery({ queryKey: ['cm', program?.id, 'summary'], queryFn: api.cmSummary });
  const [asTable, setAsTable] = useState(false);
  const s = q.data;
  if (!s) return <>{q.isPending ? <Text c="dimmed">{t('common.loading')}</Text> : <ErrorAlert error={q.error} />}</>;
  const label = t('cmProgramme.percentNegative');
  const weeks = s.negativeByWeek.map((w) => ({ week: formatDate(w.weekStart, i18n.language), percent: w.percentNegative === null ? null : Math.round(w.percentNegative) }));
  const budget = s.spend.budgetCents;
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Stat label={t('cmProgramme.active')} value={s.enrolled.active} testId="enrolled-active" />
        <Stat label={t('cmProgramme.completed')} value={s.enrolled.completed} />
        <Stat label={t('cmProgramme.withdrawn')} value={s.enrolled.withdrawn} />
        <Stat label={t('cmProgramme.capsReached')} value={s.capsReached} />
      </SimpleGrid>
      <Card withBorder component="section" aria-labelledby="neg-heading">
        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={2} size="h4" id="neg-heading">
              {t('cmProgramme.negativeByWeek')}
            </Title>
            <Button size="xs" variant="subtle" onClick={() => setAsTable(!asTable)}>
              {asTable ? t('cmPatient.asCalendar') : t('cmPatient.asTable')}
            </Button>
          </Group>
          <Text size="sm" className="sr-only">
            {t('cmProgramme.chartSummary', {
              weeks: weeks
                .filter((w) => w.percent !== null)
                .map((w) => `${w.week}: ${w.percent}%`)
                .join('; '),
            })}
          </Text>
          {!asTable ? (
            <Suspense fallback={<Text c="dimmed">{t('common.loading')}</Text>}>
              <Charts data={weeks} label={label} />
            </Suspense>
          ) : null}
          {asTable ? (
            <Table data-testid="negative-table">
              <TableHead labels={[t('cmProgramme.weekOf'), t('cmProgramme.specimens'), t('cmProgramme.negative'), label]} />
              <Table.Tbody>
                {s.negativeByWeek.map((w, i) => (
                  <Table.Tr key={w.weekStart}>
                    <Table.Td>{weeks[i]!.week}</Table.Td>
                    <Table.Td>{w.specimens}</Table.Td>
                    <Table.Td>{w.negative}</Table.Td>
                    <Table.Td>{weeks[i]!.percent === null ? '—' : `${weeks[i]!.percent}%`}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : null}
        </Stack>
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Stack gap="xs">
            <Title order={2} size="h4">
              {t('cmProgramme.spend')}
            </Title>
            <Text>
              {budget
                ? t('cmProgramme.spendOf', { spent: formatCents(s.spend.yearToDateCents, i18n.language), budget: formatCents(budget, i18n.language) })
                : t('cmProgramme.spendNoBudget', { spent: formatCents(s.spend.yearToDateCents, i18n.language) })}
            </Text>
            {budget ? <Progress value={Math.min(100, (s.spend.yearToDateCents / budget) * 100)} aria-label={t('cmProgramme.spend')} /> : null}
            {s.spend.byFundingSource.map((f) => (
              <Text size="sm" key={f.fundingSourceId ?? 'none'}>
                {f.fundingSourceId ?? t('cmPatient.noFunding')}: {formatCents(f.cents, i18n.language)}
                {f.budgetCents ? ` / ${formatCents(f.budgetCents, i18n.language)}` : ''}
              </Text>
            ))}
          </Stack>
        </Card>
        <Card withBorder>
          <Stack gap="xs">
            <Title order={2} size="h4">
              {t('cmProgramme.redemptions')}
            </Title>
            <Text>{t('cmProgramme.redemptionsLine', { count: s.redemptions.last30Days, amount: formatCents(s.redemptions.cents, i18n.language) })}</Text>
            <Text size="sm">{t('cmProgramme.awaitingApproval', { count: s.redemptions.pendingApproval })}</Text>
            <Text size="sm">{t('cmProgramme.awaitingAdjudication', { count: s.pendingAdjudications })}</Text>
            <Text size="sm">{t('cmProgramme.awaitingPrivilege', { count: s.pendingPrivilegeDecisions })}</Text>
          </Stack>
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Stack gap="xs">
          <Title order={2} size="h4">
            {t('cmProgramme.reorder')}
          </Title>
          {s.reorder.length === 0 ? (
            <Text c="dimmed">{t('cmProgramme.reorderNone')}</Text>
          ) : (
            <List>
              {s.reorder.map((i) => (
                <List.Item key={i.id}>{t('cmProgramme.reorderLine', { name: i.name, stock: i.stock, level: i.reorderLevel })}</List.Item>
              ))}
            </List>
          )}
        </Stack>
      </Card>
    </Stack>
  );
}

// ---------- approvals: redemptions over the threshold ----------

function Approvals() {
  const { t } = useTranslation();
  const { can, program } = useSession();
  const list = useInfiniteQuery({
    queryKey: ['cm', program?.id, 'redemptions', 'pending'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => api.programmeRedemptions('pending', pageParam),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack data-testid="approvals">
      <Title order={2} size="h4">
        {t('approvals.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('approvals.intro')}
      </Text>
      <WhoCanSee permission="approve:redemption" />
      <ErrorAlert error={list.error} />
      {list.isPending ? <Text c="dimmed">{t('common.loading')}</Text> : null}
      {list.data && items.length === 0 ? <Text>{t('approvals.none')}</Text> : null}
      {items.length > 0 ? (
        <Table.ScrollContainer minWidth={720}>
          <Table data-testid="approvals-table" verticalSpacing="xs">
            <TableHead
              labels={[
                t('approvals.requested'),
                t('approvals.patient'),
                t('approvals.item'),
                t('approvals.value'),
                t('approvals.balance'),
                can('approve:redemption') ? t('approvals.decision') : t('enrolment.status'),
              ]}
            />
            <Table.Tbody>
              {items.map((r) => (
                <ApprovalRow key={r.id} item={r} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {list.hasNextPage ? (
        <Group>
          <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('common.showMore')}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}

function ApprovalRow({ item: r }: { item: RedemptionListItemT }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const queryClient = useQueryClient();
  const [declining, setDeclining] = useState(false);
  const why = useDeclineReason();
  const { busy, error, run } = useAction();
  const decide = (approve: boolean) => {
    void run(async () => {
      const res = await api.decideRedemption(r.id, approve ? { approve } : { approve, ...why.body() });
      notifications.show({ color: 'teal', message: approve ? t('approvals.approved', { item: res.itemName }) : t('approvals.declined', { item: res.itemName }) });
      await queryClient.invalidateQueries({ queryKey: ['cm', program?.id] });
    });
  };
  const code = isApiError(error) ? error.code : null;
  const errorTitle =
    code === 'separation_of_duties'
      ? t('approvals.separationTitle')
      : code === 'already_decided'
        ? t('approvals.alreadyDecidedTitle')
        : code === 'insufficient_balance' || code === 'out_of_stock'
          ? t('approvals.cannotCompleteTitle')
          : undefined;
  const blocked = r.separationOfDuties;
  return (
    <Table.Tr data-redemption={r.id}>
      <Table.Td>
        <Text size="sm">{formatDateTime(r.requestedAt, i18n.language, program?.timeZone)}</Text>
        <Text size="xs" c="dimmed">
          {t('approvals.by', { name: r.requestedByName })}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={600}>
          {r.displayName}
        </Text>
        <Text size="xs" c="dimmed">
          {r.mrn}
        </Text>
      </Table.Td>
      <Table.Td>
        {r.quantity} × {r.itemName}
        {r.kind === 'prize' ? (
          <Text span size="xs" c="dimmed">
            {' '}
            · {t('redeem.prize')}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>{formatCents(r.cents, i18n.language)}</Table.Td>
      <Table.Td>
        {formatCents(r.balanceCents, i18n.language)}
        {r.balanceCents < r.cents ? (
          <>
            {' '}
            <StatusBadge tone="bad">{t('approvals.notCovered')}</StatusBadge>
          </>
        ) : null}
      </Table.Td>
      <Table.Td>
        <Stack gap={4}>
          <ErrorAlert error={error} title={errorTitle} />
          {!can('approve:redemption') ? (
            <StatusBadge tone="warn">{t('redeem.statuses.pending-approval')}</StatusBadge>
          ) : blocked ? (
            <Text size="xs" data-testid="separation">
              {t(`approvals.blocked.${blocked}`)}
            </Text>
          ) : null}
          {can('approve:redemption') ? (
            declining ? (
              <DeclineForm kind="redemption" state={why} busy={busy} error={error} onConfirm={() => decide(false)} onCancel={() => setDeclining(false)} />
            ) : (
              <Group gap={4}>
                <Button size="xs" loading={busy} disabled={!!blocked} onClick={() => void decide(true)} aria-label={t('approvals.approveLabel', { item: r.itemName, name: r.displayName })}>
                  {t('redeem.approve')}
                </Button>
                <Button size="xs" variant="default" onClick={() => setDeclining(true)} aria-label={t('approvals.declineLabel', { item: r.itemName, name: r.displayName })}>
                  {t('redeem.decline')}
                </Button>
              </Group>
            )
          ) : null}
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

// ---------- protocols ----------

function Protocols() {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const queryClient = useQueryClient();
  const protocols = useQuery({ queryKey: ['cm', program?.id, 'protocols'], queryFn: api.protocols });
  const presets = useQuery({ queryKey: ['cm', 'presets'], queryFn: api.presets, staleTime: Infinity });
  const [preset, setPreset] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [designing, setDesigning] = useState<ProtocolT | null>(null);
  const adopt = async () => {
    setError(null);
    try {
      await api.createProtocol({ preset: preset || presets.data?.items[0]?.name }, newIdempotencyKey());
      await queryClient.invalidateQueries({ queryKey: ['cm', program?.id, 'protocols'] });
      notifications.show({ color: 'teal', message: t('protocols.adopted') });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Stack>
      <ErrorAlert error={protocols.error ?? error} />
      <Table.ScrollContainer minWidth={600}>
        <Table data-testid="protocols">
          <TableHead labels={[t('protocols.name'), t('protocols.version'), t('protocols.preset'), t('protocols.inUse'), t('protocols.created')]} actions={can('write:cm-protocol')} />
          <Table.Tbody>
            {(protocols.data?.items ?? []).map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>{p.name}</Table.Td>
                <Table.Td>{p.version}</Table.Td>
                <Table.Td>{p.preset ?? ''}</Table.Td>
                <Table.Td>{p.inUse ? <StatusBadge tone="ok">{t('common.yes')}</StatusBadge> : t('common.no')}</Table.Td>
                <Table.Td>{formatInstantDate(p.createdAt, i18n.language, program?.timeZone)}</Table.Td>
                {can('write:cm-protocol') ? (
                  <Table.Td>
                    <Button size="xs" variant="default" onClick={() => setDesigning(p)}>
                      {t('protocols.newVersion')}
                    </Button>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed">
        {t('protocols.immutable')}
      </Text>
      {can('write:cm-protocol') ? (
        <Group align="flex-end">
          <NativeSelect
            label={t('protocols.adoptPreset')}
            value={preset}
            onChange={(e) => setPreset(e.currentTarget.value)}
            data={(presets.data?.items ?? []).map((p) => ({ value: p.name, label: `${p.title} · ${t('protocols.maxCost', { amount: formatCents(p.maxCents, i18n.language) })}` }))}
            w={480}
          />
          <Button onClick={() => void adopt()}>{t('protocols.adopt')}</Button>
        </Group>
      ) : null}
      {designing ? <Designer base={designing} onClose={() => setDesigning(null)} /> : null}
    </Stack>
  );
}

type Escalation = { start: number; step: number; stepEvery: number; max: number | null; bonusEvery: number | null; bonus: number | null; resetTo?: unknown; recoverAfter?: number | null };
type Doc = {
  id: string;
  version: number | string;
  name: string;
  weeks?: number;
  tracks: Array<{ id: string; name?: string; payout: string; target?: { kind: string; analytes?: string[] }; phases: Array<{ escalation: Escalation }> }>;
  [k: string]: unknown;
};

function bumpVersion(v: number | string): number | string {
  if (typeof v === 'number') return v + 1;
  const n = Number(v);
  return Number.isFinite(n) ? String(n + 1) : `${v}-2`;
}

/** The designer: change the escalation of each track and see, at once, what each consecutive success pays and what it may cost. */
function Designer({ base, onClose }: { base: ProtocolT; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const queryClient = useQueryClient();
  const [doc, setDoc] = useState<Doc>(() => {
    const d = structuredClone(base.document) as Doc;
    d.version = bumpVersion(d.version);
    return d;
  });
  const [json, setJson] = useState(() => JSON.stringify(doc, null, 2));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [preview, setPreview] = useState<ProtocolPreviewT | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const [key] = useState(newIdempotencyKey);
  const { busy, error: saveError, run } = useAction();

  useEffect(() => {
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      api.previewProtocol(doc, ctl.signal).then(
        (p) => {
          setPreview(p);
          setPreviewError(null);
        },
        (err) => {
          if ((err as Error).name !== 'AbortError') setPreviewError(err);
        },
      );
    }, 300);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [doc]);

  const update = (next: Doc) => {
    setDoc(next);
    setJson(JSON.stringify(next, null, 2));
  };
  const setEsc = (ti: number, field: keyof Escalation, value: number | null) => {
    const next = structuredClone(doc);
    (next.tracks[ti]!.phases[0]!.escalation as Record<string, unknown>)[field] = value;
    update(next);
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api.createProtocol({ document: doc }, key);
      await queryClient.invalidateQueries({ queryKey: ['cm', program?.id, 'protocols'] });
      notifications.show({ color: 'teal', message: t('protocols.saved') });
      onClose();
    });
  };
  const problems = isApiError(previewError) ? previewError.problems : [];
  const money = (payout: string, v: number) => (payout === 'draws' ? t('cm.draws', { count: v }) : formatCents(v, i18n.language));
  const num = (v: string | number) => (v === '' ? null : Number(v));

  return (
    <Card withBorder component="section" aria-labelledby="designer-heading">
      <form onSubmit={save} noValidate>
        <Stack>
          <Title order={2} size="h4" id="designer-heading">
            {t('protocols.designer', { name: base.name })}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput label={t('protocols.name')} value={doc.name} onChange={(e) => update({ ...doc, name: e.currentTarget.value })} />
            <TextInput
              label={t('protocols.version')}
              value={String(doc.version)}
              onChange={(e) => update({ ...doc, version: /^\d+$/.test(e.currentTarget.value) ? Number(e.currentTarget.value) : e.currentTarget.value })}
              description={t('protocols.versionHint')}
            />
            <NumberInput label={t('protocols.weeks')} value={doc.weeks ?? ''} onChange={(v) => update({ ...doc, weeks: v === '' ? undefined : Number(v) })} min={1} max={104} />
          </SimpleGrid>
          {doc.tracks.map((tr, ti) => {
            const esc = tr.phases[0]!.escalation;
            const unit = tr.payout === 'draws' ? t('protocols.unitDraws') : t('protocols.unitCents');
            return (
              <Card key={tr.id} withBorder padding="sm">
                <Text fw={600}>
                  {tr.name ?? trackName(tr.id)} · {t(`protocols.payouts.${tr.payout}`, { defaultValue: tr.payout })}
                </Text>
                {tr.payout !== 'privilege' ? (
                  <SimpleGrid cols={{ base: 2, sm: 6 }}>
                    <NumberInput label={t('protocols.start', { unit })} value={esc.start} onChange={(v) => setEsc(ti, 'start', num(v) ?? 0)} min={0} />
                    <NumberInput label={t('protocols.step', { unit })} value={esc.step} onChange={(v) => setEsc(ti, 'step', num(v) ?? 0)} min={0} />
                    <NumberInput label={t('protocols.stepEvery')} value={esc.stepEvery} onChange={(v) => setEsc(ti, 'stepEvery', num(v) ?? 1)} min={1} />
                    <NumberInput label={t('protocols.max', { unit })} value={esc.max ?? ''} onChange={(v) => setEsc(ti, 'max', num(v))} min={0} />
                    <NumberInput label={t('protocols.bonusEvery')} value={esc.bonusEvery ?? ''} onChange={(v) => setEsc(ti, 'bonusEvery', num(v))} min={1} />
                    <NumberInput label={t('protocols.bonus', { unit })} value={esc.bonus ?? ''} onChange={(v) => setEsc(ti, 'bonus', num(v))} min={0} />
                  </SimpleGrid>
                ) : null}
              </Card>
            );
          })}
          <Textarea
            label={t('protocols.json')}
            description={t('protocols.jsonHint')}
            autosize
            minRows={4}
            maxRows={14}
            value={json}
            styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
            onChange={(e) => {
              setJson(e.currentTarget.value);
              try {
                setDoc(JSON.parse(e.currentTarget.value) as Doc);
                setJsonError(null);
              } catch {
                setJsonError(t('protocols.jsonInvalid'));
              }
            }}
            error={jsonError}
          />
          {problems.length > 0 ? (
            <Alert color="red" variant="light" title={t('protocols.problems')} role="alert">
              <List size="sm">
                {problems.map((p) => (
                  <List.Item key={p.field + p.message}>
                    <Code>{p.field}</Code> {p.message}
                  </List.Item>
                ))}
              </List>
            </Alert>
          ) : previewError ? (
            <ErrorAlert error={previewError} />
          ) : null}
          {preview ? <PreviewView preview={preview} money={money} /> : null}
          <ErrorAlert error={saveError} />
          <Group>
            <Button type="submit" loading={busy} disabled={!!jsonError || problems.length > 0}>
              {t('protocols.saveVersion')}
            </Button>
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function PreviewView({ preview, money }: { preview: ProtocolPreviewT; money: (payout: string, v: number) => string }) {
  const { t, i18n } = useTranslation();
  return (
    <Stack gap="xs" data-testid="protocol-preview">
      {preview.cautions.map((c) => (
        <Alert key={c.code} color="orange" variant="light" title={t('protocols.caution')} icon={<span aria-hidden="true">!</span>} role="alert">
          {c.message}
        </Alert>
      ))}
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Stat label={t('protocols.maxPerPatient')} value={formatCents(preview.maxCents, i18n.language)} />
        <Stat label={t('protocols.forecastPerPatient')} value={formatCents(Math.round(preview.allSuccessExpectedCents), i18n.language)} />
        <Stat label={t('protocols.drawEv')} value={preview.drawEvCents === null ? '—' : formatCents(Math.round(preview.drawEvCents * 100) / 100, i18n.language)} />
        <Stat label={t('protocols.maxDraws')} value={preview.maxDraws} />
      </SimpleGrid>
      {preview.tracks.map((tr) => (
        <Table.ScrollContainer key={tr.id} minWidth={500}>
          <Table verticalSpacing={2} fz="xs">
            <Table.Caption>{t('protocols.bySuccess', { track: trackName(tr.id) })}</Table.Caption>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th scope="row">{t('protocols.success')}</Table.Th>
                {tr.bySuccess.slice(0, 12).map((b) => (
                  <Table.Td key={b.s}>{b.s}</Table.Td>
                ))}
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">{t('protocols.pays')}</Table.Th>
                {tr.bySuccess.slice(0, 12).map((b) => (
                  <Table.Td key={b.s}>
                    {b.privilege ?? money(tr.payout, b.amount)}
                    {b.bonus ? ` + ${money(tr.payout, b.bonus)}` : ''}
                  </Table.Td>
                ))}
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ))}
    </Stack>
  );
}

// ---------- catalogue ----------

function Catalogue() {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const queryClient = useQueryClient();
  const q = useQuery({ queryKey: ['cm', program?.id, 'catalogue'], queryFn: api.catalogue });
  const [name, setName] = useState('');
  const [nameEs, setNameEs] = useState('');
  const [kind, setKind] = useState<'item' | 'gift-card'>('item');
  const [value, setValue] = useState<string | number>('');
  const [cash, setCash] = useState(false);
  const [tier, setTier] = useState('');
  const [stock, setStock] = useState<string | number>(0);
  const [reorder, setReorder] = useState<string | number>(0);
  const [key, setKey] = useState(newIdempotencyKey);
  const [error, setError] = useState<unknown>(null);
  const add = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api.createCatalogueItem(
        { name, nameEs: nameEs.trim() || null, kind, valueCents: Math.round(Number(value) * 100), cashEquivalent: cash, prizeTier: tier || null, stock: Number(stock), reorderLevel: Number(reorder) },
        key,
      );
      setKey(newIdempotencyKey());
      setName('');
      setNameEs('');
      setValue('');
      await queryClient.invalidateQueries({ queryKey: ['cm', program?.id] });
    } catch (err) {
      setError(err);
    }
  };
  const [editing, setEditing] = useState<CatalogueItemT | null>(null);
  const receive = async (id: string, delta: number) => {
    setError(null);
    try {
      await api.moveStock(id, { delta, reason: delta > 0 ? 'received' : 'damaged' }, newIdempotencyKey());
      await queryClient.invalidateQueries({ queryKey: ['cm', program?.id] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Stack>
      <ErrorAlert error={q.error ?? error} />
      <Table.ScrollContainer minWidth={640}>
        <Table data-testid="catalogue">
          <TableHead labels={[t('catalogue.name'), t('catalogue.value'), t('catalogue.tier'), t('catalogue.stock')]} actions={can('write:catalogue')} />
          <Table.Tbody>
            {(q.data?.items ?? []).map((i) => (
              <Table.Tr key={i.id} data-item={i.name}>
                <Table.Td>
                  {i.name} {i.active ? null : <StatusBadge tone="neutral">{t('catalogue.notOffered')}</StatusBadge>}
                  {i.kind === 'gift-card' ? (
                    <Text span size="xs" c="dimmed">
                      ({t('catalogue.giftCard')})
                    </Text>
                  ) : null}
                  {i.cashEquivalent ? (
                    <Text span size="xs" c="dimmed">
                      {' '}
                      · {t('redeem.cashEquivalent')}
                    </Text>
                  ) : null}
                  {i.nameEs ? (
                    <Text size="xs" c="dimmed">
                      {t('catalogue.inSpanish')} <span lang="es">{i.nameEs}</span>
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>{formatCents(i.valueCents, i18n.language)}</Table.Td>
                <Table.Td>{i.prizeTier ?? ''}</Table.Td>
                <Table.Td data-testid="stock">
                  {i.stock} {i.stock <= i.reorderLevel ? <StatusBadge tone="warn">{t('catalogue.reorder')}</StatusBadge> : null}
                </Table.Td>
                {can('write:catalogue') ? (
                  <Table.Td>
                    <Group gap={4}>
                      <Button size="xs" variant="default" onClick={() => void receive(i.id, 10)} aria-label={t('catalogue.receiveLabel', { name: i.name })}>
                        {t('catalogue.receive')}
                      </Button>
                      <Button size="xs" variant="default" onClick={() => setEditing(i)} aria-label={t('catalogue.editLabel', { name: i.name })}>
                        {t('catalogue.edit')}
                      </Button>
                    </Group>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {can('write:catalogue') ? (
        <Card withBorder>
          <form onSubmit={add} noValidate aria-label={t('catalogue.add')}>
            <Stack gap="sm">
              <Title order={2} size="h5">
                {t('catalogue.add')}
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 4 }}>
                <TextInput label={t('catalogue.nameEn')} value={name} onChange={(e) => setName(e.currentTarget.value)} required error={fieldError(error, 'name')} />
                <SpanishNameInput value={nameEs} onChange={setNameEs} error={error} />
                <NativeSelect
                  label={t('catalogue.kind')}
                  value={kind}
                  onChange={(e) => setKind(e.currentTarget.value as 'item' | 'gift-card')}
                  data={[
                    { value: 'item', label: t('catalogue.item') },
                    { value: 'gift-card', label: t('catalogue.giftCard') },
                  ]}
                />
                <NumberInput label={t('catalogue.valueDollars')} value={value} onChange={setValue} min={0.01} decimalScale={2} required error={fieldError(error, 'valueCents')} />
                <TextInput label={t('catalogue.tier')} description={t('catalogue.tierHint')} value={tier} onChange={(e) => setTier(e.currentTarget.value)} error={fieldError(error, 'prizeTier')} />
                <NumberInput label={t('catalogue.stock')} value={stock} onChange={setStock} min={0} />
                <NumberInput label={t('catalogue.reorderLevel')} value={reorder} onChange={setReorder} min={0} />
                <Checkbox mt="lg" label={t('redeem.cashEquivalent')} checked={cash} onChange={(e) => setCash(e.currentTarget.checked)} />
              </SimpleGrid>
              <Group>
                <Button type="submit">{t('catalogue.addSubmit')}</Button>
              </Group>
            </Stack>
          </form>
        </Card>
      ) : null}
      {editing ? <EditItem item={editing} onClose={() => setEditing(null)} /> : null}
    </Stack>
  );
}

/** An item's name in Spanish: what patients whose app is in Spanish see (blank: the name). */
function SpanishNameInput({ value, onChange, error }: { value: string; onChange: (v: string) => void; error: unknown }) {
  const { t } = useTranslation();
  return (
    <TextInput label={t('catalogue.nameEs')} description={t('catalogue.nameEsHint')} lang="es" value={value} onChange={(e) => onChange(e.currentTarget.value)} error={fieldError(error, 'nameEs')} />
  );
}

/** Change an item's names or whether it is offered (its value and kind stay, so past redemptions stay explainable). */
function EditItem({ item, onClose }: { item: CatalogueItemT; onClose: () => void }) {
  const { t } = useTranslation();
  const { program } = useSession();
  const queryClient = useQueryClient();
  const [name, setName] = useState(item.name);
  const [nameEs, setNameEs] = useState(item.nameEs ?? '');
  const [active, setActive] = useState(item.active);
  const [error, setError] = useState<unknown>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api.updateCatalogueItem(item.id, { name, nameEs: nameEs.trim() || null, active });
      await queryClient.invalidateQueries({ queryKey: ['cm', program?.id] });
      onClose();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Modal opened onClose={onClose} title={t('catalogue.editTitle', { name: item.name })}>
      <form onSubmit={save} noValidate aria-label={t('catalogue.editTitle', { name: item.name })}>
        <Stack gap="sm">
          <ErrorAlert error={error} />
          <TextInput label={t('catalogue.nameEn')} value={name} onChange={(e) => setName(e.currentTarget.value)} required error={fieldError(error, 'name')} data-autofocus />
          <SpanishNameInput value={nameEs} onChange={setNameEs} error={error} />
          <Checkbox label={t('catalogue.offered')} description={t('catalogue.offeredHint')} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
          <Group>
            <Button type="submit">{t('catalogue.save')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

// ---------- funding sources ----------

function Funding() {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const queryClient = useQueryClient();
  const q = useQuery({ queryKey: ['cm', program?.id, 'funding'], queryFn: api.fundingSources });
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [preset, setPreset] = useState<'samhsa-2025' | 'medicaid-style' | 'oig-nominal' | 'none'>('samhsa-2025');
  const [budget, setBudget] = useState<string | number>('');
  const [key, setKey] = useState(newIdempotencyKey);
  const [error, setError] = useState<unknown>(null);
  const capsText = (c: Record<string, unknown>) => {
    const parts: string[] = [];
    if (typeof c.perYearCents === 'number') parts.push(t('funding.perYear', { amount: formatCents(c.perYearCents, i18n.language) }));
    if (typeof c.perMonthCents === 'number') parts.push(t('funding.perMonth', { amount: formatCents(c.perMonthCents, i18n.language) }));
    if (typeof c.perItemCents === 'number') parts.push(t('funding.perItem', { amount: formatCents(c.perItemCents, i18n.language) }));
    if (typeof c.totalCents === 'number') parts.push(t('funding.total', { amount: formatCents(c.totalCents, i18n.language) }));
    if (c.noCash) parts.push(t('cmPatient.noCash'));
    return parts.join(' · ') || t('funding.noCaps');
  };
  const add = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api.createFundingSource({ id, name, capsPreset: preset, budgetCents: budget === '' ? null : Math.round(Number(budget) * 100) }, key);
      setKey(newIdempotencyKey());
      setId('');
      setName('');
      await queryClient.invalidateQueries({ queryKey: ['cm', program?.id] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Stack>
      <ErrorAlert error={q.error} />
      <Table data-testid="funding">
        <TableHead labels={[t('funding.name'), t('funding.caps'), t('funding.budget')]} />
        <Table.Tbody>
          {(q.data?.items ?? []).map((f) => (
            <Table.Tr key={f.id}>
              <Table.Td>
                {f.name}{' '}
                <Text span size="xs" c="dimmed">
                  ({f.id})
                </Text>
              </Table.Td>
              <Table.Td>{capsText(f.caps)}</Table.Td>
              <Table.Td>{f.budgetCents === null ? '—' : formatCents(f.budgetCents, i18n.language)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {can('write:catalogue') ? (
        <Card withBorder>
          <form onSubmit={add} noValidate aria-label={t('funding.add')}>
            <Stack gap="sm">
              <Title order={2} size="h5">
                {t('funding.add')}
              </Title>
              <ErrorAlert error={error} />
              <SimpleGrid cols={{ base: 1, sm: 4 }}>
                <TextInput label={t('funding.id')} description={t('funding.idHint')} value={id} onChange={(e) => setId(e.currentTarget.value)} error={fieldError(error, 'id')} />
                <TextInput label={t('funding.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(error, 'name')} />
                <NativeSelect
                  label={t('funding.capsPreset')}
                  value={preset}
                  onChange={(e) => setPreset(e.currentTarget.value as typeof preset)}
                  data={(['samhsa-2025', 'medicaid-style', 'oig-nominal', 'none'] as const).map((p) => ({ value: p, label: t(`funding.presets.${p}`) }))}
                />
                <NumberInput label={t('funding.budgetDollars')} value={budget} onChange={setBudget} min={0} decimalScale={2} error={fieldError(error, 'budgetCents')} />
              </SimpleGrid>
              <Group>
                <Button type="submit">{t('funding.addSubmit')}</Button>
              </Group>
            </Stack>
          </form>
        </Card>
      ) : null}
    </Stack>
  );
}

// ---------- settings, seeds, tokens (administrators) ----------

function Admin() {
  const { can } = useSession();
  return (
    <Stack>
      {can('manage:cm-settings') ? <SettingsCard /> : null}
      {can('read:cm') ? <Seeds /> : null}
      {can('manage:integration') ? <Tokens /> : null}
    </Stack>
  );
}

function SettingsCard() {
  const { t } = useTranslation();
  const { program } = useSession();
  const queryClient = useQueryClient();
  const q = useQuery({ queryKey: ['cm', program?.id, 'settings'], queryFn: api.cmSettings });
  const [threshold, setThreshold] = useState<string | number>('');
  const [budget, setBudget] = useState<string | number>('');
  const [rotation, setRotation] = useState<string | number>('');
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (q.data) {
      setThreshold(q.data.approvalThresholdCents / 100);
      setBudget(q.data.budgetCents === null ? '' : q.data.budgetCents / 100);
      setRotation(q.data.seedRotationDays);
    }
  }, [q.data]);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api.saveCmSettings({
        approvalThresholdCents: Math.round(Number(threshold) * 100),
        budgetCents: budget === '' ? null : Math.round(Number(budget) * 100),
        seedRotationDays: Number(rotation),
      });
      await queryClient.invalidateQueries({ queryKey: ['cm', program?.id] });
      notifications.show({ color: 'teal', message: t('cmSettings.saved') });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Card withBorder>
      <form onSubmit={save} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h4">
            {t('cmSettings.title')}
          </Title>
          <ErrorAlert error={error} />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NumberInput
              label={t('cmSettings.threshold')}
              description={t('cmSettings.thresholdHint')}
              value={threshold}
              onChange={setThreshold}
              min={0}
              decimalScale={2}
              error={fieldError(error, 'approvalThresholdCents')}
            />
            <NumberInput label={t('cmSettings.budget')} value={budget} onChange={setBudget} min={0} decimalScale={2} error={fieldError(error, 'budgetCents')} />
            <NumberInput label={t('cmSettings.rotation')} value={rotation} onChange={setRotation} min={1} max={3650} error={fieldError(error, 'seedRotationDays')} />
          </SimpleGrid>
          <Group>
            <Button type="submit">{t('common.save')}</Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function Seeds() {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const queryClient = useQueryClient();
  const q = useQuery({ queryKey: ['cm', program?.id, 'seeds'], queryFn: api.seeds });
  const [error, setError] = useState<unknown>(null);
  const rotate = async () => {
    if (!window.confirm(t('seeds.confirm'))) return;
    setError(null);
    try {
      await api.rotateSeed();
      await queryClient.invalidateQueries({ queryKey: ['cm', program?.id, 'seeds'] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            {t('seeds.title')}
          </Title>
          {can('manage:cm-settings') ? (
            <Button size="xs" variant="default" onClick={() => void rotate()}>
              {t('seeds.rotate')}
            </Button>
          ) : null}
        </Group>
        <Text size="sm">{t('seeds.intro')}</Text>
        <ErrorAlert error={q.error ?? error} />
        <Table.ScrollContainer minWidth={600}>
          <Table>
            <TableHead labels={[t('seeds.commitment'), t('seeds.from'), t('seeds.status')]} />
            <Table.Tbody>
              {(q.data?.items ?? []).map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <Code style={{ overflowWrap: 'anywhere' }}>{s.commitment}</Code>
                  </Table.Td>
                  <Table.Td>{formatDateTime(s.activeFrom, i18n.language, program?.timeZone)}</Table.Td>
                  <Table.Td>
                    {s.retiredAt ? <StatusBadge tone="neutral">{t('seeds.revealed')}</StatusBadge> : <StatusBadge tone="ok">{t('seeds.active')}</StatusBadge>}{' '}
                    <a href={`/verify/${s.commitment}`} target="_blank" rel="noreferrer">
                      {t('draw.verifyLink')}
                    </a>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
    </Card>
  );
}

function Tokens() {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const queryClient = useQueryClient();
  const q = useQuery({ queryKey: ['cm', program?.id, 'tokens'], queryFn: api.tokens });
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<TokenScope[]>([]);
  // a token for an application outside the programme (fhir:read) names the organisation it discloses to
  const [recipientOrganization, setRecipientOrganization] = useState('');
  const outside = scopes.some((s) => OUTSIDE_SCOPES.includes(s));
  // scope names contain ':', i18next's namespace separator
  const scopeText = (s: TokenScope) => t(`tokens.scope.${s}`, { nsSeparator: false });
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const items = useMemo(() => q.data?.items ?? [], [q.data]);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const r = await api.createToken({ name, scopes, ...(outside ? { recipientOrganization } : {}) });
      setCreated(r.token);
      setName('');
      setScopes([]);
      setRecipientOrganization('');
      await queryClient.invalidateQueries({ queryKey: ['cm', program?.id, 'tokens'] });
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (id: string, tokenName: string) => {
    if (!window.confirm(t('tokens.confirmRevoke', { name: tokenName }))) return;
    setError(null);
    try {
      await api.revokeToken(id);
      await queryClient.invalidateQueries({ queryKey: ['cm', program?.id, 'tokens'] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('tokens.title')}
        </Title>
        <Text size="sm">{t('tokens.intro')}</Text>
        <ErrorAlert error={q.error ?? error} />
        {created ? <OneTimeSecret label={t('tokens.token')} values={[created]} warning={t('tokens.once')} /> : null}
        <Table>
          <TableHead labels={[t('tokens.name'), t('tokens.scopes'), t('tokens.recipientOrganization'), t('tokens.created'), t('tokens.lastUsed')]} actions />
          <Table.Tbody>
            {items.map((k) => (
              <Table.Tr key={k.id}>
                <Table.Td>{k.name}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {k.scopes.map((s) => (
                      <Code key={s} title={scopeText(s)}>
                        {s}
                      </Code>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>{k.recipientOrganization ?? t('tokens.ownSystems')}</Table.Td>
                <Table.Td>{formatDateTime(k.createdAt, i18n.language, program?.timeZone)}</Table.Td>
                <Table.Td>{k.lastUsedAt ? formatDateTime(k.lastUsedAt, i18n.language, program?.timeZone) : t('tokens.never')}</Table.Td>
                <Table.Td>
                  {k.revokedAt ? (
                    <StatusBadge tone="neutral">{t('tokens.revoked')}</StatusBadge>
                  ) : (
                    <Button size="xs" color="red" variant="light" onClick={() => void revoke(k.id, k.name)} aria-label={t('tokens.revokeLabel', { name: k.name })}>
                      {t('tokens.revoke')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <form onSubmit={create} noValidate>
          <Stack gap="sm" align="flex-start">
            <TextInput label={t('tokens.name')} description={t('tokens.nameHint')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(error, 'name')} />
            <Checkbox.Group
              label={t('tokens.scopes')}
              description={t('tokens.scopesHint')}
              value={scopes}
              onChange={(v) => setScopes(TOKEN_SCOPES.filter((s) => v.includes(s)))}
              error={fieldError(error, 'scopes')}
            >
              <Stack gap={6} mt={6}>
                {TOKEN_SCOPES.map((s) => (
                  <Checkbox
                    key={s}
                    value={s}
                    label={
                      <>
                        <Code>{s}</Code> {scopeText(s)}
                      </>
                    }
                  />
                ))}
              </Stack>
            </Checkbox.Group>
            {outside ? (
              <TextInput
                required
                label={t('tokens.recipientOrganization')}
                description={t('tokens.recipientOrganizationHint')}
                value={recipientOrganization}
                onChange={(e) => setRecipientOrganization(e.currentTarget.value)}
                error={fieldError(error, 'recipientOrganization')}
              />
            ) : null}
            <Button type="submit">{t('tokens.create')}</Button>
          </Stack>
        </form>
      </Stack>
    </Card>
  );
}
