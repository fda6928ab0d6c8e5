// Peer recovery support on the patient page (issue 15, docs/peers.md): the patient's peer
// referrals, open and closed — status, the next contact and by when, outcomes recorded — each
// linking to the referral, and "New referral" with the patient already chosen (passed in the
// router's state, never in the URL). Shown only with read:peer-outreach.
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { Anchor, Button, Card, Group, Table, Text, Title } from '@mantine/core';
import { useSession } from '../../session.tsx';
import { formatDateTime, formatInstantDate } from '../../format.ts';
import { ShowMore, StatusBadge, TableHead } from '../../components/common.tsx';
import { ErrorAlert } from '../../components/forms.tsx';
import { usePatientReferrals, type SummaryT } from './api.ts';
import { ContactLabel, stateTone } from './shared.tsx';

/** What NewReferral reads from the router's state to preselect the patient. */
export type PreselectedPatient = { patient: { id: string; name: string; mrn: string } };

export function PatientPeerCard({ patient }: { patient: PreselectedPatient['patient'] }) {
  const { can } = useSession();
  return can('read:peer-outreach') ? <Inner patient={patient} /> : null;
}

function Inner({ patient }: { patient: PreselectedPatient['patient'] }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const q = usePatientReferrals(patient.id);
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card withBorder data-testid="patient-peers">
      <Group justify="space-between">
        <Title order={3}>{t('peers.patient.title')}</Title>
        {can('write:peer-outreach') ? <Button onClick={() => navigate('/peer-outreach/new', { state: { patient } satisfies PreselectedPatient })}>{t('peers.new.title')}</Button> : null}
      </Group>
      <ErrorAlert error={q.error} />
      {q.data && items.length === 0 ? (
        <Text c="dimmed" mt="sm">
          {t('peers.patient.none')}
        </Text>
      ) : null}
      {items.length > 0 ? (
        <Table.ScrollContainer minWidth={560} mt="sm">
          <Table verticalSpacing={4} aria-label={t('peers.patient.title')}>
            <TableHead labels={[t('peers.patient.referred'), t('peers.list.state'), t('peers.patient.next'), t('peers.referral.outcomes')]} />
            <Table.Tbody>
              {items.map((r) => (
                <Row key={r.id} r={r} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      <ShowMore query={q} />
    </Card>
  );
}

function Row({ r }: { r: SummaryT }) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const tz = program?.timeZone;
  const dueBy = r.next ? (r.next.retryBy ?? r.next.dueAt) : null;
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/peer-outreach/referrals/${r.id}`}>
          {t('peers.patient.referredOn', { date: formatInstantDate(r.referredAt, i18n.language, tz) })}
        </Anchor>
        <Text size="xs">
          {t(`peers.source.${r.source}`)} · {r.assignedToName ?? t('peers.list.unassigned')}
        </Text>
      </Table.Td>
      <Table.Td>
        {r.status === 'closed' ? (
          <>
            <StatusBadge tone="neutral">{t('peers.state.closed')}</StatusBadge>
            <Text size="xs">{t(`peers.close.reasons.${r.closedReason ?? 'other'}`)}</Text>
          </>
        ) : (
          <Group gap={4}>
            <StatusBadge tone="ok">{t('peers.patient.open')}</StatusBadge>
            {r.escalated ? <StatusBadge tone="bad">{t('peers.list.escalated')}</StatusBadge> : null}
          </Group>
        )}
      </Table.Td>
      <Table.Td>
        {r.next ? (
          <>
            <Group gap={4}>
              <Text size="sm">
                <ContactLabel c={r.next} />
              </Text>
              <StatusBadge tone={stateTone(r.next.state)}>{t(`peers.state.${r.next.state}`)}</StatusBadge>
            </Group>
            {dueBy ? <Text size="xs">{t(r.next.retryBy ? 'peers.referral.retryBy' : 'peers.referral.dueBy', { at: formatDateTime(dueBy, i18n.language, tz) })}</Text> : null}
          </>
        ) : (
          '—'
        )}
      </Table.Td>
      <Table.Td>{r.outcomeKinds.length > 0 ? r.outcomeKinds.map((k) => t(`peers.outcomes.${k}`)).join(', ') : t('peers.patient.noOutcome')}</Table.Td>
    </Table.Tr>
  );
}
