// Engagement (issue 17, docs/outcomes.md "Engagement"): for the admissions of the period, by
// cohort, the share who checked in each week since admission (the decay curve, a chart and its
// table), the skills modules assigned, started and completed with module activity by week; and a
// card of what happened after the peer referrals made in the period. Every table has a CSV
// download of its rows; a figure the data cannot give says "Not recorded", never 0.
import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Card, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { TableHead } from '../../components/common.tsx';
import { ErrorAlert } from '../../components/forms.tsx';
import { formatDate } from '../../format.ts';
import type { CohortT } from '../../queries/outcomes.ts';
import { useEngagement, usePeerReferralOutcomes, type EngagementT, type EngagementWeekT, type PeerReferralOutcomesT } from '../../queries/outcomes-engagement.ts';
import { CardHeading, downloadCsv, Figure, oneDecimal, useCohortName } from './parts.tsx';

const DecayCurve = lazy(() => import('./OutcomesCharts.tsx').then((m) => ({ default: m.DecayCurve })));

const round1 = oneDecimal;
const round2 = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

/** The decay curve as chart points: each week, each cohort's % checked in (null when the cohort has no such week or nothing was recorded). */
function curvePoints(data: EngagementT, names: string[]) {
  const last = Math.max(0, ...data.cohorts.map((c) => c.checkIns.weeks.length));
  return Array.from({ length: last }, (_, i) => {
    const point: Record<string, number | null> = { week: i + 1 };
    data.cohorts.forEach((c, j) => (point[names[j]!] = round1(c.checkIns.weeks[i]?.percent ?? null)));
    return point;
  });
}

export function EngagementSection({ from, to, cohort }: { from: string; to: string; cohort: CohortT }) {
  return (
    <>
      <EngagementCard from={from} to={to} cohort={cohort} />
      <PeerReferralsCard from={from} to={to} />
    </>
  );
}

function WeeksTable({
  data,
  names,
  pick,
  labels,
  testId,
  caption,
}: {
  data: EngagementT;
  names: string[];
  pick: (c: EngagementT['cohorts'][number]) => EngagementWeekT[];
  labels: string[];
  testId: string;
  caption: string;
}) {
  const { t } = useTranslation();
  const notRecorded = t('outcomes.notRecorded');
  const show = (v: number | null, suffix = '') => (v === null ? notRecorded : `${v}${suffix}`);
  const many = data.cohorts.length > 1;
  return (
    <Table striped data-testid={testId}>
      <caption className="sr-only">{caption}</caption>
      <TableHead labels={[...(many ? [t('outcomes.cohort')] : []), ...labels]} />
      <Table.Tbody>
        {data.cohorts.flatMap((c, i) =>
          pick(c).map((w) => (
            <Table.Tr key={`${c.key}-${w.week}`}>
              {many ? <Table.Td>{names[i]}</Table.Td> : null}
              <Table.Td>{w.week}</Table.Td>
              <Table.Td>{w.admissions}</Table.Td>
              <Table.Td>{show(w.active)}</Table.Td>
              <Table.Td>{show(round1(w.percent), '%')}</Table.Td>
              <Table.Td>{show(round2(w.meanDays))}</Table.Td>
            </Table.Tr>
          )),
        )}
      </Table.Tbody>
    </Table>
  );
}

function EngagementCard({ from, to, cohort }: { from: string; to: string; cohort: CohortT }) {
  const { t, i18n } = useTranslation();
  const q = useEngagement(from, to, cohort);
  const nameOf = useCohortName();
  const notRecorded = t('outcomes.notRecorded');
  const data = q.data;
  const names = data?.cohorts.map((c) => nameOf(data.cohort, c.key)) ?? [];
  const weekRows = (pick: (c: EngagementT['cohorts'][number]) => EngagementWeekT[]) =>
    data ? data.cohorts.flatMap((c, i) => pick(c).map((w) => [names[i]!, w.week, w.admissions, w.active, round1(w.percent), round2(w.meanDays)])) : [];
  const checkInsCsv = () =>
    data &&
    downloadCsv(
      `check-ins-by-week-${data.from}-${data.to}.csv`,
      ['cohort', 'week', 'admissions', 'checked_in', 'percent_checked_in', 'mean_check_in_days'],
      weekRows((c) => c.checkIns.weeks),
    );
  const moduleWeeksCsv = () =>
    data &&
    downloadCsv(
      `module-activity-by-week-${data.from}-${data.to}.csv`,
      ['cohort', 'week', 'admissions', 'with_module_activity', 'percent_with_module_activity', 'mean_module_days'],
      weekRows((c) => c.modules.weeks),
    );
  const modulesCsv = () =>
    data &&
    downloadCsv(
      `modules-${data.from}-${data.to}.csv`,
      ['cohort', 'admissions', 'assigned', 'started', 'completed', 'percent_completed', 'library_started', 'library_completed'],
      data.cohorts.map((c, i) => [
        names[i]!,
        c.n,
        c.modules.assigned,
        c.modules.started,
        c.modules.completed,
        round1(c.modules.completionPercent),
        c.modules.unassigned.started,
        c.modules.unassigned.completed,
      ]),
    );
  const checkInLabels = [
    t('outcomes.engagement.week'),
    t('outcomes.engagement.admissions'),
    t('outcomes.engagement.checkedIn'),
    t('outcomes.engagement.percentCheckedIn'),
    t('outcomes.engagement.meanDays'),
  ];
  const moduleWeekLabels = [
    t('outcomes.engagement.week'),
    t('outcomes.engagement.admissions'),
    t('outcomes.engagement.active'),
    t('outcomes.engagement.percentActive'),
    t('outcomes.engagement.meanActiveDays'),
  ];
  let body: ReactNode = null;
  if (!data) body = q.isPending ? <Text c="dimmed">{t('common.loading')}</Text> : null;
  else if (data.admissions === 0) body = <Text c="dimmed">{t('outcomes.noAdmissions')}</Text>;
  else
    body = (
      <>
        <Text size="sm">
          {t('outcomes.engagement.summary', {
            n: data.admissions,
            days: data.cohorts.reduce((n, c) => n + c.checkIns.days, 0),
            from: formatDate(data.from, i18n.language),
            to: formatDate(data.to, i18n.language),
            asOf: formatDate(data.asOf, i18n.language),
          })}
        </Text>
        <CardHeading id="engagement-checkins-heading" title={t('outcomes.engagement.checkInsTitle')} onCsv={checkInsCsv} csvTestId="engagement-checkins-csv" />
        {data.recorded.checkIns ? null : <Text size="sm">{t('outcomes.engagement.checkInsNotRecorded')}</Text>}
        <Suspense fallback={<Text c="dimmed">{t('common.loading')}</Text>}>
          <DecayCurve data={curvePoints(data, names)} series={names} weekLabel={t('outcomes.engagement.week')} />
        </Suspense>
        <WeeksTable data={data} names={names} pick={(c) => c.checkIns.weeks} labels={checkInLabels} testId="engagement-checkins-table" caption={t('outcomes.engagement.checkInsTitle')} />

        <CardHeading id="engagement-modules-heading" title={t('outcomes.engagement.modulesTitle')} onCsv={modulesCsv} csvTestId="engagement-modules-csv" />
        {data.cohorts.map((c, i) => (
          <Stack gap={4} key={c.key}>
            {data.cohorts.length > 1 ? (
              <Text fw={600} size="sm">
                {names[i]}
              </Text>
            ) : null}
            <SimpleGrid cols={{ base: 1, xs: 4 }}>
              <Figure label={t('outcomes.engagement.assigned')} value={String(c.modules.assigned)} detail={t('outcomes.engagement.ofAdmissions', { n: c.n })} />
              <Figure label={t('outcomes.engagement.started')} value={String(c.modules.started)} detail={t('outcomes.engagement.ofAssigned', { n: c.modules.assigned })} />
              <Figure
                label={t('outcomes.engagement.completionRate')}
                value={c.modules.completionPercent === null ? notRecorded : `${round1(c.modules.completionPercent)}%`}
                detail={t('outcomes.engagement.completedOf', { completed: c.modules.completed, n: c.modules.assigned })}
                testId={`engagement-${c.key}-completion`}
              />
              <Figure
                label={t('outcomes.engagement.fromLibrary')}
                value={String(c.modules.unassigned.started)}
                detail={t('outcomes.engagement.libraryCompleted', { n: c.modules.unassigned.completed })}
              />
            </SimpleGrid>
          </Stack>
        ))}
        <Table striped data-testid="engagement-modules-table">
          <caption className="sr-only">{t('outcomes.engagement.modulesTitle')}</caption>
          <TableHead
            labels={[
              t('outcomes.cohort'),
              t('outcomes.engagement.admissions'),
              t('outcomes.engagement.assigned'),
              t('outcomes.engagement.started'),
              t('outcomes.engagement.completed'),
              t('outcomes.engagement.completionRate'),
              t('outcomes.engagement.fromLibrary'),
              t('outcomes.engagement.libraryCompletedShort'),
            ]}
          />
          <Table.Tbody>
            {data.cohorts.map((c, i) => (
              <Table.Tr key={c.key}>
                <Table.Td>{names[i]}</Table.Td>
                <Table.Td>{c.n}</Table.Td>
                <Table.Td>{c.modules.assigned}</Table.Td>
                <Table.Td>{c.modules.started}</Table.Td>
                <Table.Td>{c.modules.completed}</Table.Td>
                <Table.Td>{c.modules.completionPercent === null ? notRecorded : `${round1(c.modules.completionPercent)}%`}</Table.Td>
                <Table.Td>{c.modules.unassigned.started}</Table.Td>
                <Table.Td>{c.modules.unassigned.completed}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>

        <CardHeading id="engagement-module-weeks-heading" title={t('outcomes.engagement.moduleWeeksTitle')} onCsv={moduleWeeksCsv} csvTestId="engagement-module-weeks-csv" />
        {data.recorded.modules ? null : <Text size="sm">{t('outcomes.engagement.modulesNotRecorded')}</Text>}
        <WeeksTable data={data} names={names} pick={(c) => c.modules.weeks} labels={moduleWeekLabels} testId="engagement-module-weeks-table" caption={t('outcomes.engagement.moduleWeeksTitle')} />
      </>
    );
  return (
    <Card withBorder component="section" aria-labelledby="engagement-heading" data-testid="engagement">
      <Stack gap="sm">
        <Title order={2} size="h3" id="engagement-heading">
          {t('outcomes.engagement.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('outcomes.engagement.explain')}
        </Text>
        <ErrorAlert error={q.error} />
        {body}
      </Stack>
    </Card>
  );
}

/** The peer-referral figures in display order: the key, its value, and what it is out of. */
const PEER_ROWS = ['referrals', 'reached', 'withOutcomes', 'moudStarted', 'medianDaysToMoud', 'enteredTreatment', 'naloxoneReceived', 'overdoseAfter', 'repeatOverdoses'] as const;

function PeerReferralsCard({ from, to }: { from: string; to: string }) {
  const { t } = useTranslation();
  const q = usePeerReferralOutcomes(from, to);
  const data: PeerReferralOutcomesT | undefined = q.data;
  const notRecorded = t('outcomes.notRecorded');
  const value = (k: (typeof PEER_ROWS)[number]) => {
    const v = data?.[k] ?? null;
    return v === null ? notRecorded : k === 'medianDaysToMoud' ? t('outcomes.peerReferrals.days', { count: v }) : String(v);
  };
  const csv = () =>
    data &&
    downloadCsv(
      `peer-referrals-${data.from}-${data.to}.csv`,
      ['measure', 'value'],
      PEER_ROWS.map((k) => [k, data[k]]),
    );
  return (
    <Card withBorder component="section" aria-labelledby="peer-referrals-heading" data-testid="peer-referrals">
      <Stack gap="sm">
        <CardHeading order={2} id="peer-referrals-heading" title={t('outcomes.peerReferrals.title')} onCsv={csv} disabled={!data} csvTestId="peer-referrals-csv" />
        <Text size="sm" c="dimmed">
          {t('outcomes.peerReferrals.explain')}
        </Text>
        <ErrorAlert error={q.error} />
        {!data ? (
          q.isPending ? (
            <Text c="dimmed">{t('common.loading')}</Text>
          ) : null
        ) : data.referrals === 0 ? (
          <Text c="dimmed">{t('outcomes.peerReferrals.none')}</Text>
        ) : (
          <>
            <SimpleGrid cols={{ base: 1, xs: 4 }}>
              <Figure label={t('outcomes.peerReferrals.reached')} value={value('reached')} detail={t('outcomes.peerReferrals.ofReferrals', { n: data.referrals })} testId="peer-referrals-reached" />
              <Figure
                label={t('outcomes.peerReferrals.moudStarted')}
                value={value('moudStarted')}
                detail={t('outcomes.peerReferrals.ofReferrals', { n: data.referrals })}
                testId="peer-referrals-moud"
              />
              <Figure label={t('outcomes.peerReferrals.medianDaysToMoud')} value={value('medianDaysToMoud')} />
              <Figure label={t('outcomes.peerReferrals.repeatOverdoses')} value={value('repeatOverdoses')} detail={t('outcomes.peerReferrals.ofReferrals', { n: data.referrals })} />
            </SimpleGrid>
            <Table striped data-testid="peer-referrals-table">
              <caption className="sr-only">{t('outcomes.peerReferrals.title')}</caption>
              <TableHead labels={[t('outcomes.peerReferrals.measure'), t('outcomes.peerReferrals.value')]} />
              <Table.Tbody>
                {PEER_ROWS.map((k) => (
                  <Table.Tr key={k}>
                    <Table.Td>{t(`outcomes.peerReferrals.${k}`)}</Table.Td>
                    <Table.Td>{value(k)}</Table.Td>
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
