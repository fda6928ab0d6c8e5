// CM: cost and fairness (issue 17, docs/outcomes.md "CM: cost and fairness"): for the CM
// enrolments that started in the period, a table per funding source (earned, redeemed, budget,
// remaining, % used, enrolments a cap cut), the cost per patient, per negative CM screen and per
// week in treatment, and per protocol with a bowl the prize tiers drawn against what the bowl
// expects (a bar chart, its table and the chi-square test, or why it is not reliable). Each table
// has a CSV of its rows; a figure the data cannot give says "Not recorded", never 0.
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { TableHead } from '../../components/common.tsx';
import { ErrorAlert } from '../../components/forms.tsx';
import { formatCents, formatDate } from '../../format.ts';
import type { CohortT } from '../../queries/outcomes.ts';
import { useCmCost, type CmCostT, type CmFairnessT } from '../../queries/outcomes-cm.ts';
import { CardHeading, downloadCsv, Figure, oneDecimal } from './parts.tsx';

const FairnessBars = lazy(() => import('./OutcomesCharts.tsx').then((m) => ({ default: m.FairnessBars })));

const round1 = oneDecimal;
const round3 = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
const wholeCents = (v: number | null) => (v === null ? null : Math.round(v));

export function CmCostSection({ from, to }: { from: string; to: string; cohort: CohortT }) {
  const { t, i18n } = useTranslation();
  const q = useCmCost(from, to);
  const data: CmCostT | undefined = q.data;
  const notRecorded = t('outcomes.notRecorded');
  const money = (cents: number | null) => (cents === null ? notRecorded : formatCents(Math.round(cents), i18n.language));
  const sourceName = (name: string | null) => name ?? t('outcomes.cm.noSource');
  const csv = () => {
    if (!data) return;
    downloadCsv(
      `cm-cost-${data.from}-${data.to}.csv`,
      ['funding_source', 'enrolments', 'earned_cents', 'redeemed_cents', 'budget_cents', 'remaining_cents', 'percent_used', 'enrolments_capped'],
      data.sources.map((s) => [sourceName(s.name), s.enrolments, s.earnedCents, s.redeemedCents, s.budgetCents, s.remainingCents, round1(s.percentUsed), s.enrolmentsCapped]),
    );
  };
  const fairnessCsv = () => {
    if (!data) return;
    downloadCsv(
      `cm-fairness-${data.from}-${data.to}.csv`,
      ['protocol', 'version', 'tier', 'value_cents', 'expected', 'observed'],
      data.fairness.flatMap((f) => f.tiers.map((x) => [f.protocol, f.version, x.label ?? x.tier, x.valueCents, round3(x.expected), x.observed])),
    );
  };
  return (
    <Card withBorder component="section" aria-labelledby="cm-cost-heading" data-testid="cm-cost">
      <Stack gap="sm">
        <CardHeading order={2} id="cm-cost-heading" title={t('outcomes.cm.title')} onCsv={csv} disabled={!data} csvTestId="cm-cost-csv" />
        <Text size="sm" c="dimmed">
          {t('outcomes.cm.explain')}
        </Text>
        <ErrorAlert error={q.error} />
        {!data ? (
          q.isPending ? (
            <Text c="dimmed">{t('common.loading')}</Text>
          ) : null
        ) : (
          <>
            <Text size="sm" data-testid="cm-cost-summary">
              {data.enrolments === 0
                ? t('outcomes.cm.none')
                : t('outcomes.cm.summary', {
                    n: data.enrolments,
                    patients: data.cost.patients,
                    from: formatDate(data.from, i18n.language),
                    to: formatDate(data.to, i18n.language),
                    asOf: formatDate(data.asOf, i18n.language),
                  })}
            </Text>
            <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
              <Figure label={t('outcomes.cm.earned')} value={money(data.cost.earnedCents)} detail={t('outcomes.cm.redeemedDetail', { redeemed: money(data.redeemedCents) })} testId="cm-earned" />
              <Figure label={t('outcomes.cm.perPatient')} value={money(data.cost.perPatientCents)} detail={t('outcomes.cm.patients', { count: data.cost.patients })} testId="cm-per-patient" />
              <Figure
                label={t('outcomes.cm.perNegativeScreen')}
                value={money(data.cost.perNegativeScreenCents)}
                detail={t('outcomes.cm.negativeScreens', { count: data.cost.negativeScreens })}
                testId="cm-per-negative"
              />
              <Figure
                label={t('outcomes.cm.perRetainedWeek')}
                value={money(data.cost.perRetainedWeekCents)}
                detail={t('outcomes.cm.retainedWeeks', { weeks: round1(data.cost.retainedWeeks), admissions: data.admissions })}
                testId="cm-per-week"
              />
            </SimpleGrid>
            <Title order={3} size="h5">
              {t('outcomes.cm.bySource')}
            </Title>
            <Table striped data-testid="cm-cost-table">
              <caption className="sr-only">{t('outcomes.cm.bySource')}</caption>
              <TableHead
                labels={[
                  t('outcomes.cm.source'),
                  t('outcomes.cm.enrolments'),
                  t('outcomes.cm.earned'),
                  t('outcomes.cm.redeemed'),
                  t('outcomes.cm.budget'),
                  t('outcomes.cm.remaining'),
                  t('outcomes.cm.used'),
                  t('outcomes.cm.capped'),
                ]}
              />
              <Table.Tbody>
                {data.sources.map((s) => (
                  <Table.Tr key={s.fundingSourceId ?? ''}>
                    <Table.Td>{sourceName(s.name)}</Table.Td>
                    <Table.Td>{s.enrolments}</Table.Td>
                    <Table.Td>{money(s.earnedCents)}</Table.Td>
                    <Table.Td>{money(s.redeemedCents)}</Table.Td>
                    <Table.Td>{money(s.budgetCents)}</Table.Td>
                    <Table.Td>{money(s.remainingCents)}</Table.Td>
                    <Table.Td>{s.percentUsed === null ? notRecorded : `${round1(s.percentUsed)}%`}</Table.Td>
                    <Table.Td>{s.enrolmentsCapped}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Group justify="space-between">
              <Title order={3} size="h5">
                {t('outcomes.cm.fairness')}
              </Title>
              <Button size="xs" variant="light" onClick={fairnessCsv} disabled={data.fairness.length === 0} data-testid="cm-fairness-csv">
                {t('outcomes.downloadCsv')}
              </Button>
            </Group>
            <Text size="sm" c="dimmed">
              {t('outcomes.cm.fairnessExplain')}
            </Text>
            {data.fairness.length === 0 ? <Text c="dimmed">{t('outcomes.cm.noBowl')}</Text> : data.fairness.map((f) => <FairnessBlock key={f.protocolId} f={f} money={money} />)}
          </>
        )}
      </Stack>
    </Card>
  );
}

function FairnessBlock({ f, money }: { f: CmFairnessT; money: (cents: number | null) => string }) {
  const { t } = useTranslation();
  const expected = t('outcomes.cm.expected');
  const observed = t('outcomes.cm.observed');
  const test =
    f.draws === 0
      ? t('outcomes.cm.noDraws')
      : f.chiSquare === null
        ? t('outcomes.cm.noTest')
        : f.reliable && f.pValue !== null
          ? t('outcomes.cm.chiSquare', { chi: round3(f.chiSquare), df: f.degreesOfFreedom, p: round3(f.pValue) })
          : t('outcomes.cm.unreliable', { chi: round3(f.chiSquare), df: f.degreesOfFreedom });
  return (
    <Stack gap={4} data-testid="cm-fairness">
      <Title order={4} size="h6">
        {t('outcomes.cm.protocol', { name: f.protocol, version: f.version })}
      </Title>
      <Text size="sm">{t('outcomes.cm.drawsShown', { count: f.draws, ev: money(wholeCents(f.expectedValueCents)), mean: money(wholeCents(f.observedMeanCents)) })}</Text>
      <Text size="sm" data-testid="cm-fairness-test">
        {test}
      </Text>
      {f.draws > 0 ? (
        <Suspense fallback={<Text c="dimmed">{t('common.loading')}</Text>}>
          <FairnessBars
            data={f.tiers.map((x) => ({ tier: x.label ?? x.tier, expected: x.expected, observed: x.observed }))}
            expected={expected}
            observed={observed}
            tierLabel={t('outcomes.cm.tier')}
            testId="cm-fairness-chart"
          />
        </Suspense>
      ) : null}
      <Table striped data-testid="cm-fairness-table">
        <caption className="sr-only">{t('outcomes.cm.protocol', { name: f.protocol, version: f.version })}</caption>
        <TableHead labels={[t('outcomes.cm.tier'), t('outcomes.cm.value'), expected, observed]} />
        <Table.Tbody>
          {f.tiers.map((x) => (
            <Table.Tr key={x.tier}>
              <Table.Td>{x.label ?? x.tier}</Table.Td>
              <Table.Td>{money(x.valueCents)}</Table.Td>
              <Table.Td>{round1(x.expected)}</Table.Td>
              <Table.Td>{x.observed}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
