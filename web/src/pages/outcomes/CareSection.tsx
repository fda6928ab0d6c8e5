// Care (issue 17, docs/outcomes.md "Care: attendance, counselling compliance, medication
// adherence, stage of change"): for the admissions of the period, by cohort, one card per measure
// group — visit attendance (and by kind of visit), counselling months met, medication adherence
// (CM doses, doses a network member witnessed, naltrexone injections on time, take-home returns)
// and stage of change first → latest (the matrix as a table) — each with its figures, its table
// and a CSV of the table's rows. A figure the data cannot give says "Not recorded", never 0.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Card, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { TableHead } from '../../components/common.tsx';
import { ErrorAlert } from '../../components/forms.tsx';
import { formatDate } from '../../format.ts';
import type { CohortT } from '../../queries/outcomes.ts';
import { useCareOutcomes, type CareCohortT, type CareOutcomesT } from '../../queries/outcomes-care.ts';
import { CardHeading, downloadCsv, Figure, oneDecimal, useCohortName } from './parts.tsx';

const pct = oneDecimal;

type GroupProps = { data: CareOutcomesT; names: string[] };

/** One measure group: a heading, a CSV button, and what it shows. */
function MeasureCard({ id, title, explain, onCsv, children }: { id: string; title: string; explain: string; onCsv: () => void; children: ReactNode }) {
  return (
    <Card withBorder component="section" aria-labelledby={`${id}-heading`} data-testid={id}>
      <Stack gap="sm">
        <CardHeading id={`${id}-heading`} title={title} onCsv={onCsv} csvTestId={`${id}-csv`} />
        <Text size="sm" c="dimmed">
          {explain}
        </Text>
        {children}
      </Stack>
    </Card>
  );
}

function useShow() {
  const { t } = useTranslation();
  const notRecorded = t('outcomes.notRecorded');
  return (v: number | null) => (v === null ? notRecorded : `${pct(v)}%`);
}

/** Cohort name, as a heading above its figures, only when there are several cohorts. */
function CohortLabel({ many, name }: { many: boolean; name: string }) {
  return many ? (
    <Text size="sm" fw={600}>
      {name}
    </Text>
  ) : null;
}

function AttendanceCard({ data, names }: GroupProps) {
  const { t } = useTranslation();
  const show = useShow();
  const many = data.cohorts.length > 1;
  const kindName = (k: string) => t(`encounters.category.${k}`, { defaultValue: k });
  const rows = data.cohorts.flatMap((c, i) => [
    { ...c.attendance, cohort: names[i]!, kind: t('outcomes.care.attendance.allKinds'), key: `${c.key}-all` },
    ...c.attendance.byKind.map((k) => ({ ...k, cohort: names[i]!, kind: kindName(k.kind), key: `${c.key}-${k.kind}` })),
  ]);
  const csv = () =>
    downloadCsv(
      `care-attendance-${data.from}-${data.to}.csv`,
      ['cohort', 'kind', 'visits', 'attended', 'missed', 'cancelled_by_patient', 'cancelled_by_clinic', 'excused', 'not_recorded', 'percent_attended'],
      rows.map((r) => [r.cohort, r.kind, r.visits, r.attended, r.missed, r.cancelledByPatient, r.cancelledByClinic, r.excused, r.notRecorded, pct(r.percent)]),
    );
  return (
    <MeasureCard id="care-attendance" title={t('outcomes.care.attendance.title')} explain={t('outcomes.care.attendance.explain')} onCsv={csv}>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
        {data.cohorts.map((c, i) => (
          <Figure
            key={c.key}
            label={many ? names[i]! : t('outcomes.care.attendance.rate')}
            value={show(c.attendance.percent)}
            detail={t('outcomes.care.attendance.rateDetail', { attended: c.attendance.attended, seen: c.attendance.attended + c.attendance.missed, n: c.attendance.admissions, of: c.admissions })}
            testId={`care-attendance-${c.key}`}
          />
        ))}
      </SimpleGrid>
      <Table striped data-testid="care-attendance-table">
        <caption className="sr-only">{t('outcomes.care.attendance.title')}</caption>
        <TableHead
          labels={[
            ...(many ? [t('outcomes.cohort')] : []),
            t('outcomes.care.attendance.kind'),
            t('outcomes.care.attendance.visits'),
            t('outcomes.care.attendance.attended'),
            t('outcomes.care.attendance.missed'),
            t('outcomes.care.attendance.cancelledByPatient'),
            t('outcomes.care.attendance.cancelledByClinic'),
            t('outcomes.care.attendance.excused'),
            t('outcomes.notRecorded'),
            t('outcomes.care.attendance.rate'),
          ]}
        />
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key}>
              {many ? <Table.Td>{r.cohort}</Table.Td> : null}
              <Table.Td>{r.kind}</Table.Td>
              <Table.Td>{r.visits}</Table.Td>
              <Table.Td>{r.attended}</Table.Td>
              <Table.Td>{r.missed}</Table.Td>
              <Table.Td>{r.cancelledByPatient}</Table.Td>
              <Table.Td>{r.cancelledByClinic}</Table.Td>
              <Table.Td>{r.excused}</Table.Td>
              <Table.Td>{r.notRecorded}</Table.Td>
              <Table.Td>{show(r.percent)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </MeasureCard>
  );
}

function CounsellingCard({ data, names }: GroupProps) {
  const { t } = useTranslation();
  const show = useShow();
  const many = data.cohorts.length > 1;
  const csv = () =>
    downloadCsv(
      `care-counselling-${data.from}-${data.to}.csv`,
      ['cohort', 'admissions', 'months_asked', 'months_met', 'visits_required', 'visits_held', 'percent_months_met'],
      data.cohorts.map((c, i) => [names[i]!, c.counselling.admissions, c.counselling.months, c.counselling.monthsMet, c.counselling.required, c.counselling.held, pct(c.counselling.percent)]),
    );
  return (
    <MeasureCard id="care-counselling" title={t('outcomes.care.counselling.title')} explain={t('outcomes.care.counselling.explain')} onCsv={csv}>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
        {data.cohorts.map((c, i) => (
          <Figure
            key={c.key}
            label={many ? names[i]! : t('outcomes.care.counselling.rate')}
            value={show(c.counselling.percent)}
            detail={t('outcomes.care.counselling.rateDetail', { met: c.counselling.monthsMet, months: c.counselling.months })}
            testId={`care-counselling-${c.key}`}
          />
        ))}
      </SimpleGrid>
      <Table striped data-testid="care-counselling-table">
        <caption className="sr-only">{t('outcomes.care.counselling.title')}</caption>
        <TableHead
          labels={[
            ...(many ? [t('outcomes.cohort')] : []),
            t('outcomes.care.admissions'),
            t('outcomes.care.counselling.months'),
            t('outcomes.care.counselling.monthsMet'),
            t('outcomes.care.counselling.required'),
            t('outcomes.care.counselling.held'),
            t('outcomes.care.counselling.rate'),
          ]}
        />
        <Table.Tbody>
          {data.cohorts.map((c, i) => (
            <Table.Tr key={c.key}>
              {many ? <Table.Td>{names[i]}</Table.Td> : null}
              <Table.Td>{c.counselling.admissions}</Table.Td>
              <Table.Td>{c.counselling.months}</Table.Td>
              <Table.Td>{c.counselling.monthsMet}</Table.Td>
              <Table.Td>{c.counselling.required}</Table.Td>
              <Table.Td>{c.counselling.held}</Table.Td>
              <Table.Td>{show(c.counselling.percent)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </MeasureCard>
  );
}

type MedicationRow = { measure: string; key: string; admissions: number | null; yes: number | null; of: number | null; percent: number | null; detail: string };

function medicationRows(c: CareCohortT, t: (k: string, o?: Record<string, unknown>) => string): MedicationRow[] {
  const m = c.medication;
  return [
    {
      measure: t('outcomes.care.medication.cmDoses'),
      key: 'cm-doses',
      admissions: m.cmDoses.admissions,
      yes: m.cmDoses.taken,
      of: m.cmDoses.expected,
      percent: m.cmDoses.percent,
      detail: t('outcomes.care.medication.cmDosesDetail', { observed: m.cmDoses.observed, notTaken: m.cmDoses.notTaken, missed: m.cmDoses.missed }),
    },
    {
      measure: t('outcomes.care.medication.witnessed'),
      key: 'witnessed',
      admissions: m.witnessed.admissions,
      yes: m.witnessed.taken,
      of: m.witnessed.days,
      percent: m.witnessed.percent,
      detail: t('outcomes.care.medication.witnessedDetail', { missed: m.witnessed.missed }),
    },
    {
      measure: t('outcomes.care.medication.injections'),
      key: 'injections',
      admissions: m.injections.admissions,
      yes: m.injections.onTime,
      of: m.injections.due,
      percent: m.injections.percent,
      detail: t('outcomes.care.medication.injectionsDetail', { late: m.injections.late, notGiven: m.injections.notGiven }),
    },
    { measure: t('outcomes.care.medication.takeHomes'), key: 'take-homes', admissions: null, yes: null, of: null, percent: m.takeHomesReturned, detail: t('outcomes.care.medication.takeHomesDetail') },
  ];
}

function MedicationCard({ data, names }: GroupProps) {
  const { t } = useTranslation();
  const show = useShow();
  const notRecorded = t('outcomes.notRecorded');
  const many = data.cohorts.length > 1;
  const rows = data.cohorts.flatMap((c, i) => medicationRows(c, t).map((r) => ({ ...r, cohort: names[i]!, cohortKey: c.key })));
  const csv = () =>
    downloadCsv(
      `care-medication-${data.from}-${data.to}.csv`,
      ['cohort', 'measure', 'admissions', 'yes', 'of', 'percent', 'detail'],
      rows.map((r) => [r.cohort, r.measure, r.admissions, r.yes, r.of, pct(r.percent), r.detail]),
    );
  return (
    <MeasureCard id="care-medication" title={t('outcomes.care.medication.title')} explain={t('outcomes.care.medication.explain')} onCsv={csv}>
      {data.cohorts.map((c, i) => (
        <Stack gap={4} key={c.key}>
          <CohortLabel many={many} name={names[i]!} />
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
            {medicationRows(c, t).map((r) => (
              <Figure
                key={r.key}
                label={r.measure}
                value={show(r.percent)}
                detail={r.of === null ? r.detail : t('outcomes.care.medication.figureDetail', { yes: r.yes, of: r.of })}
                testId={`care-medication-${c.key}-${r.key}`}
              />
            ))}
          </SimpleGrid>
        </Stack>
      ))}
      <Table striped data-testid="care-medication-table">
        <caption className="sr-only">{t('outcomes.care.medication.title')}</caption>
        <TableHead
          labels={[
            ...(many ? [t('outcomes.cohort')] : []),
            t('outcomes.care.medication.measure'),
            t('outcomes.care.admissions'),
            t('outcomes.care.medication.yes'),
            t('outcomes.care.medication.of'),
            t('outcomes.care.medication.percent'),
            t('outcomes.care.medication.detail'),
          ]}
        />
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={`${r.cohortKey}-${r.key}`}>
              {many ? <Table.Td>{r.cohort}</Table.Td> : null}
              <Table.Td>{r.measure}</Table.Td>
              <Table.Td>{r.admissions ?? notRecorded}</Table.Td>
              <Table.Td>{r.yes ?? notRecorded}</Table.Td>
              <Table.Td>{r.of ?? notRecorded}</Table.Td>
              <Table.Td>{show(r.percent)}</Table.Td>
              <Table.Td>{r.detail}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </MeasureCard>
  );
}

function StageCard({ data, names }: GroupProps) {
  const { t } = useTranslation();
  const notRecorded = t('outcomes.notRecorded');
  const many = data.cohorts.length > 1;
  const stageName = (s: string) => t(`stages.${s}`, { defaultValue: s });
  const count = (v: number | null) => (v === null ? notRecorded : String(v));
  const csv = () =>
    downloadCsv(
      `care-stage-${data.from}-${data.to}.csv`,
      ['cohort', 'first_stage', ...data.stages.map((s) => `latest_${s}`)],
      data.cohorts.flatMap((c, i) => (c.stage.matrix ?? []).map((r) => [names[i]!, r.from, ...r.to])),
    );
  return (
    <MeasureCard id="care-stage" title={t('outcomes.care.stage.title')} explain={t('outcomes.care.stage.explain')} onCsv={csv}>
      {data.cohorts.map((c, i) => (
        <Stack gap={4} key={c.key}>
          <CohortLabel many={many} name={names[i]!} />
          <Text size="sm">{t('outcomes.care.stage.summary', { n: c.stage.admissions, fewer: c.stage.fewer })}</Text>
          <SimpleGrid cols={{ base: 1, xs: 3 }}>
            <Figure
              label={t('outcomes.care.stage.forward')}
              value={count(c.stage.forward)}
              detail={t('outcomes.care.ofAdmissions', { n: c.stage.admissions })}
              testId={`care-stage-${c.key}-forward`}
            />
            <Figure label={t('outcomes.care.stage.same')} value={count(c.stage.same)} detail={t('outcomes.care.ofAdmissions', { n: c.stage.admissions })} />
            <Figure label={t('outcomes.care.stage.back')} value={count(c.stage.back)} detail={t('outcomes.care.ofAdmissions', { n: c.stage.admissions })} />
          </SimpleGrid>
          {c.stage.matrix === null ? (
            <Text size="sm" c="dimmed">
              {t('outcomes.care.stage.none')}
            </Text>
          ) : (
            <Table striped withColumnBorders data-testid={`care-stage-matrix-${c.key}`}>
              <caption className="sr-only">{many ? `${t('outcomes.care.stage.matrix')}: ${names[i]}` : t('outcomes.care.stage.matrix')}</caption>
              <TableHead labels={[t('outcomes.care.stage.firstLatest'), ...data.stages.map(stageName)]} />
              <Table.Tbody>
                {c.stage.matrix.map((r) => (
                  <Table.Tr key={r.from}>
                    <Table.Th scope="row">{stageName(r.from)}</Table.Th>
                    {r.to.map((n, k) => (
                      <Table.Td key={data.stages[k]}>{n}</Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      ))}
    </MeasureCard>
  );
}

export function CareSection({ from, to, cohort }: { from: string; to: string; cohort: CohortT }) {
  const { t, i18n } = useTranslation();
  const q = useCareOutcomes(from, to, cohort);
  const nameOf = useCohortName();
  const data = q.data;
  const names = data?.cohorts.map((c) => nameOf(data.cohort, c.key)) ?? [];
  return (
    <Card withBorder component="section" aria-labelledby="care-heading" data-testid="care">
      <Stack gap="sm">
        <Title order={2} size="h3" id="care-heading">
          {t('outcomes.care.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('outcomes.care.explain')}
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
              {t('outcomes.care.summary', { n: data.admissions, from: formatDate(data.from, i18n.language), to: formatDate(data.to, i18n.language), asOf: formatDate(data.asOf, i18n.language) })}
            </Text>
            <AttendanceCard data={data} names={names} />
            <CounsellingCard data={data} names={names} />
            <MedicationCard data={data} names={names} />
            <StageCard data={data} names={names} />
          </>
        )}
      </Stack>
    </Card>
  );
}
