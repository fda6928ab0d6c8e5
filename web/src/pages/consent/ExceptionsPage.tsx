// Disclosures made without consent under an exception (42 CFR §2.51 medical emergency first),
// for administrators and auditors to review (read:audit): when, whose record, to whom, what,
// why, by whom. The newest 200.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Anchor, Stack, Table, Text } from '@mantine/core';
import { useSession } from '../../session.tsx';
import { formatDateTime } from '../../format.ts';
import { PageTitle, StatusBadge, TableHead } from '../../components/common.tsx';
import { ErrorAlert } from '../../components/forms.tsx';
import { useExceptionDisclosures } from './queries.ts';
import { useConsentWords } from './words.tsx';

export function DisclosureExceptionsPage() {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const list = useExceptionDisclosures();
  const words = useConsentWords();
  const items = list.data?.items ?? [];
  return (
    <Stack>
      <PageTitle title={t('consent.review.title')}>{t('consent.review.title')}</PageTitle>
      <Text c="dimmed">{t('consent.review.intro')}</Text>
      <ErrorAlert error={list.error} />
      {list.isPending ? <Text c="dimmed">{t('common.loading')}</Text> : null}
      {list.data && items.length === 0 ? <Text>{t('consent.review.none')}</Text> : null}
      {items.length > 0 ? (
        <Table.ScrollContainer minWidth={860}>
          <Table verticalSpacing="xs" striped data-testid="exception-disclosures">
            <TableHead
              labels={[
                t('consent.accounting.date'),
                t('consent.review.patient'),
                t('consent.accounting.recipient'),
                t('consent.accounting.what'),
                t('consent.review.exception'),
                t('consent.accounting.by'),
              ]}
            />
            <Table.Tbody>
              {items.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(d.at, i18n.language, program?.timeZone)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{d.patientName}</Text>
                    <Text size="xs" c="dimmed">
                      {d.mrn}
                    </Text>
                    <Anchor component={Link} to={`/patients/${d.patientId}`} size="sm">
                      {t('consent.review.openRecord')}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    {d.recipient.name}
                    <Text size="xs" c="dimmed">
                      {t(`consent.channels.${d.channel}`)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{words.dataClasses(d.dataClasses)}</Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      <StatusBadge tone="warn">{t(`consent.exceptions.${d.exception ?? 'medical-emergency'}`)}</StatusBadge>
                      <Text size="sm">{d.reason}</Text>
                    </Stack>
                  </Table.Td>
                  <Table.Td>{d.by}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Stack>
  );
}
