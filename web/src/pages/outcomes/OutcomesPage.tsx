// Outcomes (issue 17, docs/outcomes.md "Where to see them"): for the admissions of a period,
// retention in treatment by cohort (a step curve, its table and S(30/90/180)) and the % of
// negative screens by week since admission for an analyte group under both conventions (a chart,
// its table and the longest run of abstinent weeks). Every chart has its table, every table a
// CSV download of its rows; a figure the data cannot give says "Not recorded", never 0.
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Card, Group, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { COHORTS } from '../../../../core/outcomes/dashboard.ts';
import { ANALYTE_GROUP_NAMES } from '../../../../contracts/outcomes.ts';
import { PageTitle, TableHead, WhoCanSee } from '../../components/common.tsx';
import { ErrorAlert } from '../../components/forms.tsx';
import { formatDate, todayIn } from '../../format.ts';
import { useSession } from '../../session.tsx';
import { CareSection } from './CareSection.tsx';
import { CardHeading, downloadCsv, Figure, oneDecimal, useCohortName } from './parts.tsx';
import { CmCostSection } from './CmCostSection.tsx';
import { EngagementSection } from './EngagementSection.tsx';
import { FunderReportSection } from './FunderReportSection.tsx';
import { ResearchExportSection } from './ResearchExportSection.tsx';
import { useRetention, useScreenOutcomes, type CohortT, type GroupT, type RetentionT, type ScreenOutcomesT } from '../../queries/outcomes.ts';

const RetentionChart = lazy(() => import('./OutcomesCharts.tsx').then((m) => ({ default: m.RetentionChart })));
const NegativeByWeekLines = lazy(() => import('./OutcomesCharts.tsx').then((m) => ({ default: m.NegativeByWeekLines })));

const yearBefore = (day: string) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - 1);
  return d.toISOString().slice(0, 10);
};

const pct = oneDecimal;

export function OutcomesPage() {
  const { t } = useTranslation();
  const { program } = useSession();
  const today = todayIn(program?.timeZone);
  const [from, setFrom] = useState(yearBefore(today));
  const [to, setTo] = useState(today);
  const [cohort, setCohort] = useState<CohortT>('all');
  const [group, setGroup] = useState<GroupT>('opioids');
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  return (
    <Stack>
      <PageTitle title={t('outcomes.title')}>{t('outcomes.title')}</PageTitle>
      <WhoCanSee permission="read:outcomes" />
      <Text size="sm">{t('outcomes.intro')}</Text>
      <Card withBorder component="section" aria-label={t('outcomes.filters')}>
        <Group align="flex-end" wrap="wrap">
          <TextInput type="date" label={t('outcomes.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} data-testid="outcomes-from" />
          <TextInput type="date" label={t('outcomes.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} error={valid ? undefined : t('outcomes.periodInvalid')} data-testid="outcomes-to" />
          <NativeSelect
            label={t('outcomes.cohort')}
            value={cohort}
            onChange={(e) => setCohort(e.currentTarget.value as CohortT)}
            data={COHORTS.map((c) => ({ value: c, label: t(`outcomes.cohorts.${c}`) }))}
            data-testid="outcomes-cohort"
          />
          <NativeSelect
            label={t('outcomes.group')}
            value={group}
            onChange={(e) => setGroup(e.currentTarget.value as GroupT)}
            data={ANALYTE_GROUP_NAMES.map((g) => ({ value: g, label: t(`outcomes.groups.${g}`) }))}
            data-testid="outcomes-group"
          />
        </Group>
      </Card>
      {valid ? (
        <>
          <RetentionSection from={from} to={to} cohort={cohort} />
          <ScreensSection from={from} to={to} group={group} />
          <CareSection from={from} to={to} cohort={cohort} />
          <EngagementSection from={from} to={to} cohort={cohort} />
          <CmCostSection from={from} to={to} cohort={cohort} />
          <FunderReportSection />
          <ResearchExportSection from={from} to={to} />
        </>
      ) : null}
    </Stack>
  );
}

/** The curve as chart points: 100% at admission, then each cohort's survival after each of its steps (null past its last step). */
function curvePoints(data: RetentionT, names: string[]) {
  const days = [...new Set([0, ...data.cohorts.flatMap((c) => c.steps.map((s) => s.day))])].sort((a, b) => a - b);
  const start: Record<string, number | null> = { day: 0, ...Object.fromEntries(names.map((n) => [n, 100])) };
  return [
    start,
    ...days.map((day) => {
      const point: Record<string, number | null> = { day };
      data.cohorts.forEach((c, i) => {
        const last = c.steps.at(-1)?.day ?? 0;
        let s = 1;
        for (const step of c.steps) if (step.day <= day) s = step.survival;
        point[names[i]!] = day > last ? null : Math.round(s * 1000) / 10;
      });
      return point;
    }),
  ];
}

function RetentionSection({ from, to, cohort }: { from: string; to: string; cohort: CohortT }) {
  const { t, i18n } = useTranslation();
  const q = useRetention(from, to, cohort);
  const nameOf = useCohortName();
  const notRecorded = t('outcomes.notRecorded');
  const data = q.data;
  const names = data?.cohorts.map((c) => nameOf(data.cohort, c.key)) ?? [];
  const csv = () => {
    if (!data) return;
    downloadCsv(
      `retention-${data.from}-${data.to}.csv`,
      ['cohort', 'day', 'at_risk', 'left', 'censored', 'percent_still_in_treatment'],
      data.cohorts.flatMap((c, i) => c.steps.map((s) => [names[i]!, s.day, s.atRisk, s.events, s.censored, pct(s.survival * 100)])),
    );
  };
  return (
    <Card withBorder component="section" aria-labelledby="retention-heading" data-testid="retention">
      <Stack gap="sm">
        <CardHeading order={2} id="retention-heading" title={t('outcomes.retention.title')} onCsv={csv} disabled={!data} csvTestId="retention-csv" />
        <Text size="sm" c="dimmed">
          {t('outcomes.retention.explain')}
        </Text>
        <ErrorAlert error={q.error} />
        {!data ? (
          q.isPending ? (
            <Text c="dimmed">{t('common.loading')}</Text>
          ) : null
        ) : data.admissions === 0 ? (
          <Text c="dimmed">{t('outcomes.noAdmissions')}</Text>
        ) : (
          <>
            <Text size="sm">
              {t('outcomes.retention.summary', { n: data.admissions, from: formatDate(data.from, i18n.language), to: formatDate(data.to, i18n.language), asOf: formatDate(data.asOf, i18n.language) })}
            </Text>
            {data.cohorts.map((c, i) => (
              <Stack gap={4} key={c.key}>
                {data.cohorts.length > 1 ? (
                  <Title order={3} size="h5">
                    {names[i]}
                  </Title>
                ) : null}
                <SimpleGrid cols={{ base: 1, xs: 3 }}>
                  {c.at.map((a) => (
                    <Figure
                      key={a.day}
                      label={t('outcomes.retention.at', { day: a.day })}
                      value={a.survival === null ? notRecorded : `${pct(a.survival * 100)}%`}
                      detail={t('outcomes.retention.atDetail', { atRisk: a.atRisk, n: c.n })}
                      testId={`retention-${c.key}-s${a.day}`}
                    />
                  ))}
                </SimpleGrid>
              </Stack>
            ))}
            <Suspense fallback={<Text c="dimmed">{t('common.loading')}</Text>}>
              <RetentionChart data={curvePoints(data, names)} series={names} dayLabel={t('outcomes.retention.day')} />
            </Suspense>
            <Table striped data-testid="retention-table">
              <caption className="sr-only">{t('outcomes.retention.title')}</caption>
              <TableHead
                labels={[
                  ...(data.cohorts.length > 1 ? [t('outcomes.cohort')] : []),
                  t('outcomes.retention.day'),
                  t('outcomes.retention.atRisk'),
                  t('outcomes.retention.left'),
                  t('outcomes.retention.censored'),
                  t('outcomes.retention.stillIn'),
                ]}
              />
              <Table.Tbody>
                {data.cohorts.flatMap((c, i) =>
                  c.steps.map((s) => (
                    <Table.Tr key={`${c.key}-${s.day}`}>
                      {data.cohorts.length > 1 ? <Table.Td>{names[i]}</Table.Td> : null}
                      <Table.Td>{s.day}</Table.Td>
                      <Table.Td>{s.atRisk}</Table.Td>
                      <Table.Td>{s.events}</Table.Td>
                      <Table.Td>{s.censored}</Table.Td>
                      <Table.Td>{pct(s.survival * 100)}%</Table.Td>
                    </Table.Tr>
                  )),
                )}
              </Table.Tbody>
            </Table>
          </>
        )}
      </Stack>
    </Card>
  );
}

function ScreensSection({ from, to, group }: { from: string; to: string; group: GroupT }) {
  const { t } = useTranslation();
  const q = useScreenOutcomes(from, to, group);
  const data: ScreenOutcomesT | undefined = q.data;
  const notRecorded = t('outcomes.notRecorded');
  const show = (v: number | null) => (v === null ? notRecorded : `${pct(v)}%`);
  const mpLabel = t('outcomes.screens.missingPositive');
  const meLabel = t('outcomes.screens.missingExcluded');
  const csv = () => {
    if (!data) return;
    downloadCsv(
      `screens-${data.group}-${data.from}-${data.to}.csv`,
      ['week', 'admissions', 'negative', 'positive', 'missing', 'percent_negative_missing_positive', 'percent_negative_missing_excluded'],
      data.weeks.map((w) => [w.week, w.admissions, w.missingPositive.negative, w.missingPositive.positive, w.missingPositive.missing, pct(w.missingPositive.percent), pct(w.missingExcluded.percent)]),
    );
  };
  return (
    <Card withBorder component="section" aria-labelledby="screens-heading" data-testid="screens">
      <Stack gap="sm">
        <CardHeading order={2} id="screens-heading" title={t('outcomes.screens.title', { group: t(`outcomes.groups.${group}`) })} onCsv={csv} disabled={!data} csvTestId="screens-csv" />
        <Text size="sm" c="dimmed">
          {t('outcomes.screens.explain')}
        </Text>
        <ErrorAlert error={q.error} />
        {!data ? (
          q.isPending ? (
            <Text c="dimmed">{t('common.loading')}</Text>
          ) : null
        ) : data.admissions === 0 ? (
          <Text c="dimmed">{t('outcomes.noAdmissions')}</Text>
        ) : (
          <>
            <Text size="sm">{t('outcomes.screens.summary', { n: data.admissions, screens: data.screens.total, corrected: data.screens.corrected, invalid: data.screens.invalid })}</Text>
            <SimpleGrid cols={{ base: 1, xs: 4 }}>
              <Figure
                label={t('outcomes.screens.median')}
                value={data.abstinence.medianWeeks === null ? notRecorded : t('outcomes.screens.weeks', { count: data.abstinence.medianWeeks })}
                detail={t('outcomes.screens.ofAdmissions', { n: data.abstinence.admissions })}
                testId="abstinence-median"
              />
              {data.abstinence.reached.map((r) => (
                <Figure
                  key={r.weeks}
                  label={t('outcomes.screens.reached', { weeks: r.weeks })}
                  value={String(r.admissions)}
                  detail={t('outcomes.screens.ofAdmissions', { n: data.abstinence.admissions })}
                />
              ))}
            </SimpleGrid>
            <Suspense fallback={<Text c="dimmed">{t('common.loading')}</Text>}>
              <NegativeByWeekLines
                data={data.weeks.map((w) => ({ week: w.week, mp: pct(w.missingPositive.percent), me: pct(w.missingExcluded.percent) }))}
                missingPositive={mpLabel}
                missingExcluded={meLabel}
                weekLabel={t('outcomes.screens.week')}
              />
            </Suspense>
            <Table striped data-testid="screens-table">
              <caption className="sr-only">{t('outcomes.screens.title', { group: t(`outcomes.groups.${group}`) })}</caption>
              <TableHead
                labels={[t('outcomes.screens.week'), t('outcomes.screens.admissions'), t('outcomes.screens.negative'), t('outcomes.screens.positive'), t('outcomes.screens.missing'), mpLabel, meLabel]}
              />
              <Table.Tbody>
                {data.weeks.map((w) => (
                  <Table.Tr key={w.week}>
                    <Table.Td>{w.week}</Table.Td>
                    <Table.Td>{w.admissions}</Table.Td>
                    <Table.Td>{w.missingPositive.negative}</Table.Td>
                    <Table.Td>{w.missingPositive.positive}</Table.Td>
                    <Table.Td>{w.missingPositive.missing}</Table.Td>
                    <Table.Td>{show(w.missingPositive.percent)}</Table.Td>
                    <Table.Td>{show(w.missingExcluded.percent)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
      </Stack>
    </Card>
  );
}
