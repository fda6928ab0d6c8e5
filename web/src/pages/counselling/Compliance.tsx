// Counselling compliance for supervisors (ADR 043): who is overdue (or due) by counsellor, and
// the monthly report per counsellor and per patient with a CSV download. The status informs
// and never blocks medication or anything else (42 CFR 8.12 as amended in 2024).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Button, Group, Loader, SegmentedControl, Select, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { PageTitle, StatusBadge, TableHead, WhoCanSee } from '../../components/common.tsx';
import { ErrorAlert, useErrorText } from '../../components/forms.tsx';
import { formatDate, todayIn } from '../../format.ts';
import { useSession } from '../../session.tsx';
import { counsellingApi, useComplianceReport, useOverdue } from '../../queries/counselling.ts';
import { useStaffList } from '../patient/useStaffList.ts';
import { ComplianceBadge, InformsOnly } from './Today.tsx';

function OverdueList() {
  const { t, i18n } = useTranslation();
  const staff = useStaffList();
  const [status, setStatus] = useState<'overdue' | 'due'>('overdue');
  const [counsellorId, setCounsellorId] = useState<string | null>(null);
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const q = useOverdue(status, counsellorId ?? undefined, cursors.at(-1) ?? null);
  const counsellors = (staff.data ?? []).filter((s) => s.roles.includes('counsellor')).map((s) => ({ value: s.id, label: s.displayName }));
  const reset = () => setCursors([null]);
  return (
    <Stack>
      <Group align="flex-end">
        <SegmentedControl
          value={status}
          onChange={(v) => {
            setStatus(v as 'overdue' | 'due');
            reset();
          }}
          data={[
            { value: 'overdue', label: t('counselling.status.overdue') },
            { value: 'due', label: t('counselling.status.due') },
          ]}
        />
        <Select
          label={t('counselling.compliance.counsellor')}
          placeholder={t('counselling.compliance.everyone')}
          data={counsellors}
          value={counsellorId}
          onChange={(v) => {
            setCounsellorId(v);
            reset();
          }}
          clearable
          searchable
        />
      </Group>
      {q.isLoading ? <Loader /> : null}
      {q.error ? <ErrorAlert error={q.error} /> : null}
      {q.data ? (
        q.data.items.length === 0 ? (
          <Text>{t('counselling.compliance.noneListed')}</Text>
        ) : (
          <Table data-testid="counselling-overdue">
            <TableHead labels={[t('counselling.compliance.counsellor'), t('counselling.compliance.patient'), t('counselling.compliance.lastSeen'), t('counselling.compliance.status')]} />
            <Table.Tbody>
              {q.data.items.map((r) => (
                <Table.Tr key={r.patientId}>
                  <Table.Td>{r.counsellor?.name ?? <Text c="dimmed">{t('counselling.compliance.unassigned')}</Text>}</Table.Td>
                  <Table.Td>
                    <Link to={`/patients/${r.patientId}`}>{r.patientName}</Link>{' '}
                    <Text span size="xs" c="dimmed">
                      {r.mrn}
                    </Text>
                  </Table.Td>
                  <Table.Td>{r.lastSeenOn ? formatDate(r.lastSeenOn, i18n.language) : t('counselling.compliance.never')}</Table.Td>
                  <Table.Td>
                    <ComplianceBadge compliance={r} />
                    {r.daysOverdue > 0 ? (
                      <Text size="xs" c="dimmed">
                        {t('counselling.compliance.daysOverdue', { count: r.daysOverdue })}
                      </Text>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )
      ) : null}
      <Group>
        {cursors.length > 1 ? (
          <Button variant="default" onClick={() => setCursors(cursors.slice(0, -1))}>
            {t('counselling.compliance.previous')}
          </Button>
        ) : null}
        {q.data?.nextCursor ? (
          <Button variant="default" onClick={() => setCursors([...cursors, q.data!.nextCursor])}>
            {t('counselling.compliance.next')}
          </Button>
        ) : null}
      </Group>
    </Stack>
  );
}

function MonthlyReport() {
  const { t } = useTranslation();
  const { program } = useSession();
  const errorText = useErrorText();
  const [month, setMonth] = useState(() => todayIn(program?.timeZone).slice(0, 7));
  const [downloading, setDownloading] = useState(false);
  const q = useComplianceReport(month);
  const download = async () => {
    setDownloading(true);
    try {
      const blob = await counsellingApi.reportCsv(month);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `counselling-compliance-${month}.csv`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      notifications.show({ color: 'red', title: t('errors.title'), message: errorText(err) });
    } finally {
      setDownloading(false);
    }
  };
  const status = (s: 'on-track' | 'due' | 'overdue' | null) =>
    s ? <StatusBadge tone={s === 'overdue' ? 'bad' : s === 'due' ? 'warn' : 'ok'}>{t(`counselling.status.${s}`)}</StatusBadge> : <Text c="dimmed">—</Text>;
  return (
    <Stack>
      <Group align="flex-end">
        <TextInput type="month" label={t('counselling.report.month')} value={month} onChange={(e) => setMonth(e.currentTarget.value)} />
        <Button onClick={() => void download()} loading={downloading} disabled={!q.data}>
          {t('counselling.report.downloadCsv')}
        </Button>
      </Group>
      {q.isLoading ? <Loader /> : null}
      {q.error ? <ErrorAlert error={q.error} /> : null}
      {q.data ? (
        <>
          <Title order={2} size="h4">
            {t('counselling.report.byCounsellor')}
          </Title>
          <Table data-testid="counselling-report-counsellors">
            <TableHead
              labels={[
                t('counselling.compliance.counsellor'),
                t('counselling.report.patients'),
                t('counselling.report.required'),
                t('counselling.report.held'),
                t('counselling.status.on-track'),
                t('counselling.status.due'),
                t('counselling.status.overdue'),
              ]}
            />
            <Table.Tbody>
              {[...q.data.counsellors, { ...q.data.totals, counsellor: { id: 'total', name: t('counselling.report.total') } }].map((c) => (
                <Table.Tr key={c.counsellor?.id ?? 'none'}>
                  <Table.Td>{c.counsellor?.name ?? t('counselling.compliance.unassigned')}</Table.Td>
                  <Table.Td>{c.patients}</Table.Td>
                  <Table.Td>{c.required}</Table.Td>
                  <Table.Td>{c.held}</Table.Td>
                  <Table.Td>{c.onTrack}</Table.Td>
                  <Table.Td>{c.due}</Table.Td>
                  <Table.Td>{c.overdue}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Title order={2} size="h4">
            {t('counselling.report.byPatient')}
          </Title>
          <Table.ScrollContainer minWidth={700}>
            <Table data-testid="counselling-report-patients">
              <TableHead
                labels={[
                  t('counselling.compliance.patient'),
                  t('counselling.compliance.counsellor'),
                  t('counselling.report.required'),
                  t('counselling.report.held'),
                  t('counselling.report.statusAtMonthEnd'),
                ]}
              />
              <Table.Tbody>
                {q.data.patients.map((p) => (
                  <Table.Tr key={p.patientId}>
                    <Table.Td>
                      <Link to={`/patients/${p.patientId}`}>{p.patientName}</Link>
                    </Table.Td>
                    <Table.Td>{p.counsellor?.name ?? t('counselling.compliance.unassigned')}</Table.Td>
                    <Table.Td>{p.required}</Table.Td>
                    <Table.Td>{p.held}</Table.Td>
                    <Table.Td>{status(p.statusAtMonthEnd)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      ) : null}
    </Stack>
  );
}

export function CounsellingCompliancePage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <PageTitle title={t('counselling.compliance.title')}>{t('counselling.compliance.title')}</PageTitle>
      <WhoCanSee permission="read:counselling-compliance" />
      <InformsOnly />
      <Tabs defaultValue="overdue">
        <Tabs.List>
          <Tabs.Tab value="overdue">{t('counselling.compliance.overdueTab')}</Tabs.Tab>
          <Tabs.Tab value="report">{t('counselling.report.tab')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overdue" pt="md">
          <OverdueList />
        </Tabs.Panel>
        <Tabs.Panel value="report" pt="md">
          <MonthlyReport />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
