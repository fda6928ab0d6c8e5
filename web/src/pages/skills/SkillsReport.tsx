// Engagement with skills modules (issue 13): for a period, each module's funnel — assigned,
// started, completed, completion, median time, the screen most people stop at, homework
// reviewed — so a clinic sees where engagement decays and where modules lose people. A bar
// chart shows the funnel; the table holds the same numbers for screen readers.
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Group, Loader, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useSession } from '../../session.tsx';
import { todayIn } from '../../format.ts';
import { StatusBadge, TableHead, WhoCanSee } from '../../components/common.tsx';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { useSkillsReport, type ModuleFunnelT } from '../../queries/skills.ts';
import { percent, say, useLang } from './shared.ts';

const Chart = lazy(() => import('./FunnelChart.tsx').then((m) => ({ default: m.FunnelChart })));

export function SkillsReport() {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const lang = useLang();
  const today = todayIn(program?.timeZone);
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const [all, setAll] = useState(false);
  const q = useSkillsReport(from || null, to || null);
  const items = q.data?.items ?? [];
  const active = items.filter((m) => m.assigned + m.started + m.homeworkEntries > 0);
  const shown = all ? items : active;
  const num = new Intl.NumberFormat(i18n.language);
  const labels = { assigned: t('skills.report.assigned'), started: t('skills.report.started'), completed: t('skills.report.completed') };

  return (
    <Stack gap="sm" data-testid="skills-report">
      <Text size="sm" c="dimmed">
        {t('skills.report.intro')}
      </Text>
      <WhoCanSee permission="read:skills" />
      <Group align="flex-end">
        <TextInput type="date" label={t('skills.report.from')} value={from} max={to || undefined} onChange={(e) => setFrom(e.currentTarget.value)} error={fieldError(q.error, 'query.from')} />
        <TextInput type="date" label={t('skills.report.to')} value={to} min={from || undefined} onChange={(e) => setTo(e.currentTarget.value)} />
        <Switch label={t('skills.report.showAll')} checked={all} onChange={(e) => setAll(e.currentTarget.checked)} mb={8} />
      </Group>
      <ErrorAlert error={q.error} />
      {q.isPending ? <Loader size="sm" aria-label={t('common.loading')} /> : null}
      {q.data && active.length === 0 ? <Text c="dimmed">{t('skills.report.nothing')}</Text> : null}
      {active.length > 0 ? (
        <Suspense fallback={<Loader size="sm" aria-label={t('common.loading')} />}>
          <Text size="xs" c="dimmed">
            {t('skills.report.chartNote')}
          </Text>
          <Chart data={active.map((m) => ({ module: say(m.title, lang), assigned: m.assigned, started: m.started, completed: m.completed }))} labels={labels} />
        </Suspense>
      ) : null}
      {shown.length > 0 ? (
        <Table.ScrollContainer minWidth={900}>
          <Table verticalSpacing={4} fz="sm" data-testid="funnel-table">
            <caption className="sr-only">{t('skills.report.caption')}</caption>
            <TableHead
              labels={[
                t('skills.report.module'),
                labels.assigned,
                labels.started,
                labels.completed,
                t('skills.report.completion'),
                t('skills.report.median'),
                t('skills.report.mostStop'),
                t('skills.report.homework'),
              ]}
            />
            <Table.Tbody>
              {shown.map((m) => (
                <Row key={m.key} m={m} num={num} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Stack>
  );
}

function Row({ m, num }: { m: ModuleFunnelT; num: Intl.NumberFormat }) {
  const { t } = useTranslation();
  const lang = useLang();
  const pct = percent(m.completed, m.started);
  const drop = m.dropOffScreen;
  return (
    <Table.Tr data-module={m.key}>
      <Table.Th scope="row" fw={500}>
        {say(m.title, lang)}{' '}
        {m.origin === 'programme' ? (
          <Text span size="xs" c="dimmed">
            ({t('skills.library.programme')})
          </Text>
        ) : null}
      </Table.Th>
      <Table.Td>{num.format(m.assigned)}</Table.Td>
      <Table.Td>{num.format(m.started)}</Table.Td>
      <Table.Td>{num.format(m.completed)}</Table.Td>
      <Table.Td>{pct === null ? '—' : t('skills.report.percentOfStarted', { pct })}</Table.Td>
      <Table.Td>{m.medianMinutes === null ? '—' : t('skills.report.minutes', { n: num.format(m.medianMinutes) })}</Table.Td>
      <Table.Td>
        {drop === null ? (
          '—'
        ) : (
          <>
            {t('skills.report.stopAt', { n: drop + 1, title: say(m.screenTitles[drop], lang) })}{' '}
            <Text span size="xs" c="dimmed">
              {t('skills.report.stoppedCount', { count: m.stoppedAt[drop] ?? 0 })}
            </Text>
          </>
        )}
      </Table.Td>
      <Table.Td>
        {m.homeworkEntries === 0 ? (
          '—'
        ) : (
          <StatusBadge tone={m.homeworkReviewed === m.homeworkEntries ? 'ok' : 'warn'}>{t('skills.report.reviewedOf', { n: m.homeworkReviewed, of: m.homeworkEntries })}</StatusBadge>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
