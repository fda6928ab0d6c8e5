// Today's work on the home (patients) page: open safety alerts for my patients, and care
// plans whose review is due within a week where I am responsible or on the care team.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Anchor, Button, Card, Stack, Table, Text, Title } from '@mantine/core';
import { api } from '../api.ts';
import { useSession } from '../session.tsx';
import { formatDate } from '../format.ts';
import { StatusBadge, TableHead, WhoCanSee } from '../components/common.tsx';
import { ErrorAlert } from '../components/forms.tsx';
import { SafetyAlerts } from './planning/Assessments.tsx';

export function WorkList() {
  const { can } = useSession();
  if (!can('read:safety-alert') && !can('read:care-plan')) return null;
  return (
    <Stack gap="sm" data-testid="work-list">
      {can('read:safety-alert') ? <SafetyAlerts /> : null}
      {can('read:care-plan') ? <PlanReviews /> : null}
    </Stack>
  );
}

function PlanReviews() {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const q = useInfiniteQuery({
    queryKey: ['plan', program?.id, 'reviews'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => api.planReviews(pageParam),
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card withBorder component="section" aria-labelledby="reviews-heading">
      <Stack gap="xs">
        <Title order={2} size="h4" id="reviews-heading">
          {t('workList.reviews')}
        </Title>
        <WhoCanSee permission="read:care-plan" />
        <ErrorAlert error={q.error} />
        {q.data && items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('workList.noReviews')}
          </Text>
        ) : null}
        {items.length > 0 ? (
          <Table verticalSpacing={4}>
            <TableHead labels={[t('patients.name'), t('plan.title'), t('plan.reviewDate'), t('workList.why')]} />
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={r.planId}>
                  <Table.Td>
                    <Anchor component={Link} to={`/patients/${r.patientId}?tab=assess`}>
                      {r.patientName}
                    </Anchor>{' '}
                    <Text span size="xs" c="dimmed">
                      {r.mrn}
                    </Text>
                  </Table.Td>
                  <Table.Td>{r.title}</Table.Td>
                  <Table.Td>
                    {formatDate(r.reviewDate, i18n.language)}{' '}
                    {r.overdue ? (
                      <StatusBadge tone="bad">{t('workList.overdue', { count: -r.dueInDays })}</StatusBadge>
                    ) : (
                      <StatusBadge tone="warn">{t('workList.dueIn', { count: r.dueInDays })}</StatusBadge>
                    )}
                  </Table.Td>
                  <Table.Td>{r.why.map((w) => t(`workList.whys.${w}`)).join(', ')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
        {q.hasNextPage ? (
          <Button size="xs" variant="subtle" onClick={() => void q.fetchNextPage()}>
            {t('common.showMore')}
          </Button>
        ) : null}
      </Stack>
    </Card>
  );
}
