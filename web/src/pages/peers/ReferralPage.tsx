// One peer referral (issue 15, docs/peers.md): who and how to reach them, the next contact and
// by when, logging an attempt in a few taps (method, outcome, an optional note), the schedule
// of contacts, the timeline of attempts, outcomes, taking the referral and closing it.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { Anchor, Button, Card, Group, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useSession } from '../../session.tsx';
import { formatDate, formatDateTime, todayIn } from '../../format.ts';
import { PageTitle, StatusBadge, TableHead } from '../../components/common.tsx';
import { ErrorAlert } from '../../components/forms.tsx';
import { ATTEMPT_OUTCOMES, CLOSE_REASONS, CONTACT_METHODS, REFERRAL_OUTCOMES } from '../../../../core/peers/outreach.ts';
import { usePeerWrite, useReferral } from './api.ts';
import { ContactLabel, stateTone } from './shared.tsx';

export function ReferralPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { program, me, can } = useSession();
  const tz = program?.timeZone;
  const q = useReferral(id);
  const log = usePeerWrite<{ method: string; outcome: string; note?: string }>(`/peer-outreach/referrals/${id}/attempts`);
  const outcome = usePeerWrite<{ kind: string; occurredOn: string }>(`/peer-outreach/referrals/${id}/outcomes`);
  const close = usePeerWrite<{ reason: string }>(`/peer-outreach/referrals/${id}/close`);
  const take = usePeerWrite<{ userId: string }>(`/peer-outreach/referrals/${id}/assign`);
  const [method, setMethod] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [kind, setKind] = useState<string | null>(null);
  const [on, setOn] = useState(todayIn(tz));
  const [reason, setReason] = useState<string | null>(null);
  const r = q.data;
  if (!r) return <ErrorAlert error={q.error} />;
  const write = can('write:peer-outreach');
  const m = method ?? r.contactMethod ?? 'phone';
  const dueBy = r.next ? (r.next.retryBy ?? r.next.dueAt) : null;
  return (
    <Stack data-testid="peer-referral">
      <PageTitle title={r.name}>{r.name}</PageTitle>
      <Text>
        {t(`peers.source.${r.source}`)} · {t('peers.referral.referredAt', { at: formatDateTime(r.referredAt, i18n.language, tz) })}
        {r.contactPhone ? ` · ${r.contactPhone}` : ''}
        {r.contactMethod ? ` · ${t(`peers.method.${r.contactMethod}`)}` : ''}
        {r.patientId ? (
          <>
            {' · '}
            <Anchor component={Link} to={`/patients/${r.patientId}`}>
              {t('peers.referral.chart')}
            </Anchor>
          </>
        ) : null}
      </Text>
      <Group>
        <Text>{r.assignedToName ? t('peers.referral.heldBy', { name: r.assignedToName }) : t('peers.list.unassigned')}</Text>
        {write && !r.assignedTo && r.status === 'open' && me ? (
          <Button size="xs" variant="light" onClick={() => take.mutate({ userId: me.user.id })}>
            {t('peers.referral.take')}
          </Button>
        ) : null}
      </Group>
      <ErrorAlert error={take.error} />
      <Card withBorder data-testid="peer-next">
        {r.status === 'closed' ? (
          <Text fw={600}>
            {t('peers.state.closed')}: {t(`peers.close.reasons.${r.closedReason ?? 'other'}`)}
          </Text>
        ) : r.next ? (
          <Stack gap="xs">
            <Group>
              <Text fw={600}>
                <ContactLabel c={r.next} />
              </Text>
              <StatusBadge tone={stateTone(r.next.state)}>{t(`peers.state.${r.next.state}`)}</StatusBadge>
              {r.escalated ? <StatusBadge tone="bad">{t('peers.list.escalated')}</StatusBadge> : null}
            </Group>
            {dueBy ? <Text>{t(r.next.retryBy ? 'peers.referral.retryBy' : 'peers.referral.dueBy', { at: formatDateTime(dueBy, i18n.language, tz) })}</Text> : null}
            {write ? (
              <Stack gap="xs">
                <SegmentedControl aria-label={t('peers.referral.method')} value={m} onChange={setMethod} data={CONTACT_METHODS.map((x) => ({ value: x, label: t(`peers.method.${x}`) }))} />
                <TextInput label={t('peers.referral.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} />
                <Group gap="xs">
                  {ATTEMPT_OUTCOMES.map((o) => (
                    <Button
                      key={o}
                      size="xs"
                      variant={o === 'reached' ? 'filled' : 'light'}
                      loading={log.isPending}
                      onClick={() =>
                        log.mutate(
                          { method: m, outcome: o, ...(note.trim() ? { note: note.trim() } : {}) },
                          {
                            onSuccess: () => setNote(''),
                          },
                        )
                      }
                    >
                      {t(`peers.outcome.${o}`)}
                    </Button>
                  ))}
                </Group>
                <ErrorAlert error={log.error} />
              </Stack>
            ) : null}
          </Stack>
        ) : null}
      </Card>

      <Title order={3}>{t('peers.referral.schedule')}</Title>
      <Table verticalSpacing={4} data-testid="peer-schedule">
        <TableHead labels={[t('peers.list.next'), t('peers.list.dueBy'), t('peers.list.state'), t('peers.referral.tries')]} />
        <Table.Tbody>
          {r.contacts.map((c) => (
            <Table.Tr key={c.index}>
              <Table.Td>
                <ContactLabel c={c} />
              </Table.Td>
              <Table.Td>{c.dueAt ? formatDateTime(c.dueAt, i18n.language, tz) : t('peers.referral.afterFirst')}</Table.Td>
              <Table.Td>
                <StatusBadge tone={stateTone(c.state)}>{t(`peers.state.${c.state}`)}</StatusBadge>
              </Table.Td>
              <Table.Td>{c.tries}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      <Title order={3}>{t('peers.referral.attempts')}</Title>
      {r.attempts.length === 0 ? <Text c="dimmed">{t('peers.list.noAttempt')}</Text> : null}
      <Stack gap={4} data-testid="peer-attempts">
        {[...r.attempts].reverse().map((a) => (
          <Text key={a.id} td={a.corrected ? 'line-through' : undefined}>
            {formatDateTime(a.at, i18n.language, tz)} · {t(`peers.method.${a.method}`)} · {t(`peers.outcome.${a.outcome}`)}
            {a.note ? ` · ${a.note}` : ''}
            {a.recordedByName ? ` · ${a.recordedByName}` : ''}
          </Text>
        ))}
      </Stack>

      <Title order={3}>{t('peers.referral.outcomes')}</Title>
      {r.outcomes.map((o) => (
        <Text key={o.id}>
          {t(`peers.outcomes.${o.kind}`)} · {formatDate(o.occurredOn, i18n.language)}
          {o.recordedByName ? ` · ${o.recordedByName}` : ''}
        </Text>
      ))}
      {write ? (
        <Group align="end">
          <Select label={t('peers.referral.outcome')} data={REFERRAL_OUTCOMES.map((x) => ({ value: x, label: t(`peers.outcomes.${x}`) }))} value={kind} onChange={setKind} />
          <TextInput type="date" label={t('peers.referral.on')} value={on} onChange={(e) => setOn(e.currentTarget.value)} />
          <Button variant="light" disabled={!kind} onClick={() => kind && outcome.mutate({ kind, occurredOn: on })}>
            {t('peers.referral.record')}
          </Button>
        </Group>
      ) : null}
      <ErrorAlert error={outcome.error} />

      {write && r.status === 'open' ? (
        <>
          <Title order={3}>{t('peers.close.title')}</Title>
          <Group align="end">
            <Select
              label={t('peers.close.reason')}
              data={CLOSE_REASONS.filter((x) => x !== 'no-consent').map((x) => ({ value: x, label: t(`peers.close.reasons.${x}`) }))}
              value={reason}
              onChange={setReason}
            />
            <Button color="red" variant="light" disabled={!reason} onClick={() => reason && close.mutate({ reason })}>
              {t('peers.close.button')}
            </Button>
          </Group>
          <ErrorAlert error={close.error} />
        </>
      ) : null}
    </Stack>
  );
}
