// The injections-due work list (ADR 044): everyone whose next extended-release naltrexone
// injection is due within a week, due today or overdue, most overdue first. The lead adds the
// route (e.g. /levels-of-care/injections-due) and a nav link for read:level-of-care.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Anchor, Stack, Table, Text, Title } from '@mantine/core';
import { useSession } from '../../session.tsx';
import { formatDate } from '../../format.ts';
import { StatusBadge, TableHead, WhoCanSee } from '../../components/common.tsx';
import { ErrorAlert } from '../../components/forms.tsx';
import { useInjectionsDue } from '../../queries/levels-of-care.ts';
import { dueTone } from './LevelsOfCare.tsx';

export function InjectionsDuePage() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const q = useInjectionsDue();
  if (!can('read:level-of-care')) return null;
  return (
    <Stack gap="sm" data-testid="injections-due">
      <Title order={1} size="h3">
        {t('levelsOfCare.due.title')}
      </Title>
      <WhoCanSee permission="read:level-of-care" />
      <ErrorAlert error={q.error} />
      {q.data && q.data.items.length === 0 ? <Text c="dimmed">{t('levelsOfCare.due.none')}</Text> : null}
      {q.data && q.data.items.length > 0 ? (
        <Table.ScrollContainer minWidth={520}>
          <Table verticalSpacing="xs">
            <TableHead labels={[t('levelsOfCare.due.person'), t('levelsOfCare.due.status'), t('levelsOfCare.due.dueOn'), t('levelsOfCare.due.last')]} />
            <Table.Tbody>
              {q.data.items.map((r) => (
                <Table.Tr key={r.patientId}>
                  <Table.Td>
                    <Anchor component={Link} to={`/patients/${r.patientId}`}>
                      {r.displayName}
                    </Anchor>{' '}
                    <Text span size="xs" c="dimmed">
                      {r.mrn}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge tone={dueTone(r.status)}>{t(`levelsOfCare.injections.status.${r.status}`)}</StatusBadge>
                  </Table.Td>
                  <Table.Td>{formatDate(r.dueOn, i18n.language)}</Table.Td>
                  <Table.Td>{formatDate(r.lastGivenOn, i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Stack>
  );
}
