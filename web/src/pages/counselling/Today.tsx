// The counsellor's today (ADR 043): the signed-in staff member's visits and groups of a day
// and, for each person booked, what to look at before the session — stage of change, plan
// goals and a review coming due, CM status, the latest screen and check-in, counselling
// compliance and what changed since the last session — with one click to start the note;
// for staff who give naloxone, a line with the stock alerts (NaloxoneStockAlerts).
// Compliance informs only: it never blocks medication or anything else.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Alert, Button, Card, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { PageTitle, StatusBadge, TableHead, WhoCanSee } from '../../components/common.tsx';
import { ErrorAlert } from '../../components/forms.tsx';
import { formatCents, formatDate } from '../../format.ts';
import { useWhen } from '../encounters/shared.tsx';
import { useCounsellorToday, type CounsellorTodayT } from '../../queries/counselling.ts';
import { NaloxoneStockAlerts } from '../naloxone/NaloxoneStockAlerts.tsx';

type EncounterT = CounsellorTodayT['encounters'][number];
type Person = EncounterT['patients'][number];

export function ComplianceBadge({ compliance }: { compliance: Person['compliance'] }) {
  const { t, i18n } = useTranslation();
  if (!compliance) return <StatusBadge tone="neutral">{t('counselling.status.none')}</StatusBadge>;
  const tone = compliance.status === 'overdue' ? 'bad' : compliance.status === 'due' ? 'warn' : 'ok';
  return (
    <Stack gap={2} align="flex-start">
      <StatusBadge tone={tone}>{t(`counselling.status.${compliance.status}`)}</StatusBadge>
      <Text size="xs">{t('counselling.dueOn', { date: formatDate(compliance.dueOn, i18n.language) })}</Text>
    </Stack>
  );
}

export function InformsOnly() {
  const { t } = useTranslation();
  return (
    <Alert color="blue" variant="light" title={t('counselling.informsOnly.title')}>
      {t('counselling.informsOnly.body')}
    </Alert>
  );
}

function PersonRow({ p }: { p: Person }) {
  const { t, i18n } = useTranslation();
  const changes = p.sinceLastSession;
  const changed = [
    changes.screens ? t('counselling.today.changes.screens', { count: changes.screens }) : null,
    changes.checkIns ? t('counselling.today.changes.checkIns', { count: changes.checkIns }) : null,
    changes.alerts ? t('counselling.today.changes.alerts', { count: changes.alerts }) : null,
    changes.planChanges ? t('counselling.today.changes.planChanges', { count: changes.planChanges }) : null,
  ].filter(Boolean);
  return (
    <Table.Tr>
      <Table.Td>
        <Link to={`/patients/${p.patientId}`}>{p.patientName}</Link>
        {p.attendance ? (
          <Text size="xs" c="dimmed">
            {t(`counselling.attendance.${p.attendance}`, { defaultValue: p.attendance })}
          </Text>
        ) : p.arrivedAt ? (
          <Text size="xs">{t('counselling.today.arrived')}</Text>
        ) : null}
      </Table.Td>
      <Table.Td>{p.stage ? p.stage.label : <Text c="dimmed">{t('counselling.today.noStage')}</Text>}</Table.Td>
      <Table.Td>
        {p.plan ? (
          <Stack gap={2}>
            {p.plan.goals.slice(0, 3).map((g) => (
              <Text key={g.id} size="sm">
                {g.description}
              </Text>
            ))}
            {p.plan.reviewDue ? <StatusBadge tone="warn">{t('counselling.today.reviewDue', { date: formatDate(p.plan.reviewDate, i18n.language) })}</StatusBadge> : null}
          </Stack>
        ) : (
          <Text c="dimmed">{t('counselling.today.noPlan')}</Text>
        )}
      </Table.Td>
      <Table.Td>
        {p.cm ? (
          <Text size="sm">
            {p.cm.protocolName} · {formatCents(p.cm.balanceCents, i18n.language)}
          </Text>
        ) : (
          <Text c="dimmed">{t('counselling.today.noCm')}</Text>
        )}
      </Table.Td>
      <Table.Td>
        {p.latestScreen ? (
          <Text size="sm">
            {formatDate(p.latestScreen.collectedOn, i18n.language)} ·{' '}
            {!p.latestScreen.valid
              ? t('counselling.today.screenInvalid')
              : p.latestScreen.negative
                ? t('counselling.today.screenNegative')
                : t('counselling.today.screenPositive', { analytes: p.latestScreen.positive.join(', ') })}
          </Text>
        ) : (
          <Text c="dimmed">—</Text>
        )}
        {p.latestCheckIn ? (
          <Text size="xs" c="dimmed">
            {t('counselling.today.checkIn', { date: formatDate(p.latestCheckIn.day, i18n.language), craving: p.latestCheckIn.craving ?? '—' })}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>
        <ComplianceBadge compliance={p.compliance} />
      </Table.Td>
      <Table.Td>{changed.length ? <Text size="sm">{changed.join(' · ')}</Text> : <Text c="dimmed">{t('counselling.today.noChanges')}</Text>}</Table.Td>
    </Table.Tr>
  );
}

function EncounterCard({ e }: { e: EncounterT }) {
  const { t, i18n } = useTranslation();
  const when = useWhen();
  const label = i18n.language.startsWith('es') ? e.typeLabel.es : e.typeLabel.en;
  return (
    <Card withBorder data-testid="counselling-today-encounter">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2} size="h4">
            {when(e.startsAt)} · {e.title ?? label}
          </Title>
          <Text size="sm" c="dimmed">
            {label} · {t(`counselling.modality.${e.modality}`, { defaultValue: e.modality })}
            {e.status === 'cancelled' ? ` · ${t('counselling.today.cancelled')}` : ''}
          </Text>
        </div>
        {e.status !== 'cancelled' ? (
          <Button component={Link} to={e.noteUrl} size="sm">
            {t('counselling.today.startNote')}
          </Button>
        ) : null}
      </Group>
      {e.patients.length ? (
        <Table.ScrollContainer minWidth={900}>
          <Table mt="sm" verticalSpacing="xs">
            <TableHead
              labels={[
                t('counselling.today.cols.person'),
                t('counselling.today.cols.stage'),
                t('counselling.today.cols.plan'),
                t('counselling.today.cols.cm'),
                t('counselling.today.cols.screen'),
                t('counselling.today.cols.compliance'),
                t('counselling.today.cols.changes'),
              ]}
            />
            <Table.Tbody>
              {e.patients.map((p) => (
                <PersonRow key={p.patientId} p={p} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        <Text c="dimmed" mt="sm">
          {t('counselling.today.nobodyBooked')}
        </Text>
      )}
    </Card>
  );
}

export function CounsellorTodayPage() {
  const { t } = useTranslation();
  const [date, setDate] = useState<string | undefined>(undefined);
  const q = useCounsellorToday(date);
  return (
    <Stack>
      <PageTitle title={t('counselling.today.title')}>{t('counselling.today.title')}</PageTitle>
      <WhoCanSee permission="read:encounter" />
      <NaloxoneStockAlerts />
      <Group align="flex-end">
        <TextInput type="date" label={t('counselling.today.date')} value={date ?? q.data?.date ?? ''} onChange={(e) => setDate(e.currentTarget.value || undefined)} />
      </Group>
      <InformsOnly />
      {q.isLoading ? <Loader aria-label={t('counselling.loading')} /> : null}
      {q.error ? <ErrorAlert error={q.error} /> : null}
      {q.data && q.data.encounters.length === 0 ? <Text>{t('counselling.today.empty')}</Text> : null}
      {q.data?.encounters.map((e) => (
        <EncounterCard key={e.id} e={e} />
      ))}
    </Stack>
  );
}
