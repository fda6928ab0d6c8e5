// The outbox (staff): every message to patients, newest first — sent by a provider, shown
// here because no provider is configured for its channel, waiting (with its next try),
// suppressed (no consent, opted out, no address) or a dead letter with a retry button; and
// the SMS simulator, which texts the real inbound webhook as a provider would.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Alert, Anchor, Button, Card, Group, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { OutboxMessageT } from '../api.ts';
import { useSession } from '../session.tsx';
import { formatDateTime } from '../format.ts';
import { PageTitle, StatusBadge, TableHead, WhoCanSee } from '../components/common.tsx';
import { ErrorAlert, fieldError } from '../components/forms.tsx';
import { useOutbox, useRetryMessage, useSimulateSms } from '../queries/messages.ts';
import { VoiceSimulator } from './VoiceSimulator.tsx';

const TONE = { sent: 'ok', pending: 'neutral', suppressed: 'warn', dead: 'bad' } as const;

function MessagesTable({ items, showRetry }: { items: OutboxMessageT[]; showRetry: boolean }) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const retry = useRetryMessage();
  const when = (iso: string | null) => (iso ? formatDateTime(iso, i18n.language, program?.timeZone) : '');
  return (
    <>
      <ErrorAlert error={retry.error} />
      <Table verticalSpacing={6} data-testid="outbox-table">
        <TableHead labels={[t('outbox.columns.created'), t('outbox.columns.patient'), t('outbox.columns.channel'), t('outbox.columns.text'), t('outbox.columns.status')]} actions={showRetry} />
        <Table.Tbody>
          {items.map((m) => (
            <Table.Tr key={m.id} data-status={m.status}>
              <Table.Td>{when(m.createdAt)}</Table.Td>
              <Table.Td>
                <Anchor component={Link} to={`/patients/${m.patientId}`}>
                  {m.patientName}
                </Anchor>
              </Table.Td>
              <Table.Td>{t(`outbox.channels.${m.channel}`)}</Table.Td>
              <Table.Td>
                {m.body ?? (
                  <Text span size="sm" c="dimmed">
                    {t('outbox.notYetWritten', { template: m.template })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Stack gap={2}>
                  <span>
                    <StatusBadge tone={TONE[m.status]}>{t(`outbox.statuses.${m.status}`)}</StatusBadge>
                  </span>
                  <Text size="xs" c="dimmed">
                    {m.status === 'sent' ? t(m.deliveredVia === 'console' ? 'outbox.viaConsole' : 'outbox.viaProvider', { at: when(m.sentAt) }) : null}
                    {m.status === 'pending' ? t('outbox.nextTry', { at: when(m.nextAttemptAt), count: m.attempts }) : null}
                    {m.status === 'suppressed' && m.suppressedReason ? t(`outbox.reasons.${m.suppressedReason}`) : null}
                    {m.status === 'dead' ? t('outbox.deadDetail', { count: m.attempts, error: m.lastError ?? '' }) : null}
                  </Text>
                </Stack>
              </Table.Td>
              {showRetry ? (
                <Table.Td>
                  {m.status === 'dead' ? (
                    <Button
                      size="xs"
                      variant="light"
                      loading={retry.isPending && retry.variables === m.id}
                      onClick={() => retry.mutate(m.id)}
                      aria-label={t('outbox.retryFor', { name: m.patientName })}
                    >
                      {t('outbox.retry')}
                    </Button>
                  ) : null}
                </Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

export function OutboxPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [status, setStatus] = useState('all');
  const q = useOutbox(status === 'all' ? {} : { status });
  const counts = q.data?.counts;
  return (
    <Stack>
      <PageTitle title={t('outbox.title')}>{t('outbox.title')}</PageTitle>
      <Text>{t('outbox.intro')}</Text>
      <WhoCanSee permission="read:messages" />
      {q.data && q.data.consoleChannels.length > 0 ? (
        <Alert color="blue" variant="light" title={t('outbox.consoleTitle')}>
          {t('outbox.consoleHelp', { channels: q.data.consoleChannels.map((c) => t(`outbox.channels.${c}`)).join(', ') })}
        </Alert>
      ) : null}
      <Group justify="space-between">
        <SegmentedControl
          aria-label={t('outbox.filter')}
          value={status}
          onChange={setStatus}
          data={(['all', 'pending', 'sent', 'suppressed', 'dead'] as const).map((s) => ({
            value: s,
            label: s === 'all' ? t('outbox.all') : `${t(`outbox.statuses.${s}`)}${counts ? ` (${counts[s]})` : ''}`,
          }))}
        />
        {can('manage:messages') ? (
          <Button variant="default" component={Link} to="/messages/simulator">
            {t('outbox.simulator.open')}
          </Button>
        ) : null}
      </Group>
      <ErrorAlert error={q.error} />
      {q.data && q.data.items.length === 0 ? <Text c="dimmed">{t('outbox.empty')}</Text> : null}
      {q.data && q.data.items.length > 0 ? <MessagesTable items={q.data.items} showRetry={can('manage:messages')} /> : null}
    </Stack>
  );
}

type Turn = { from: string; text: string; reply: string | null };

export function SmsSimulatorPage() {
  const { t } = useTranslation();
  const [from, setFrom] = useState('');
  const [text, setText] = useState('');
  const [turns, setTurns] = useState<Turn[]>([]);
  const simulate = useSimulateSms();
  const outbound = useOutbox({ channel: 'sms' });

  const send = (e: FormEvent) => {
    e.preventDefault();
    simulate.mutate(
      { from, body: text },
      {
        onSuccess: (r) => {
          setTurns((ts) => [...ts, { from, text, reply: r.reply }]);
          setText('');
        },
      },
    );
  };

  return (
    <Stack>
      <PageTitle title={t('outbox.simulator.title')}>{t('outbox.simulator.title')}</PageTitle>
      <Text>{t('outbox.simulator.intro')}</Text>
      <Card withBorder component="section" aria-labelledby="sim-send">
        <form onSubmit={send} noValidate>
          <Stack gap="sm">
            <Title order={2} size="h4" id="sim-send">
              {t('outbox.simulator.sendHeading')}
            </Title>
            <ErrorAlert error={simulate.error && !fieldError(simulate.error, 'body.from') ? simulate.error : null} />
            <Group align="flex-end">
              <TextInput
                label={t('outbox.simulator.from')}
                description={t('outbox.simulator.fromHelp')}
                value={from}
                onChange={(e) => setFrom(e.currentTarget.value)}
                error={fieldError(simulate.error, 'body.from')}
                required
              />
              <TextInput label={t('outbox.simulator.text')} description={t('outbox.simulator.textHelp')} value={text} onChange={(e) => setText(e.currentTarget.value)} style={{ flexGrow: 1 }} />
              <Button type="submit" loading={simulate.isPending}>
                {t('outbox.simulator.send')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
      <Card withBorder component="section" aria-labelledby="sim-conversation">
        <Stack gap="xs">
          <Title order={2} size="h4" id="sim-conversation">
            {t('outbox.simulator.conversation')}
          </Title>
          {turns.length === 0 ? <Text c="dimmed">{t('outbox.simulator.noTurns')}</Text> : null}
          <ol className="sim-turns" aria-live="polite" data-testid="sim-turns">
            {turns.map((turn, i) => (
              <li key={i}>
                <Text size="sm">
                  <strong>{t('outbox.simulator.patientSaid', { from: turn.from })}</strong> {turn.text}
                </Text>
                <Text size="sm">
                  <strong>{t('outbox.simulator.reply')}</strong> {turn.reply ?? t('outbox.simulator.noReply')}
                </Text>
              </li>
            ))}
          </ol>
        </Stack>
      </Card>
      <VoiceSimulator />
      <Card withBorder component="section" aria-labelledby="sim-outbound">
        <Stack gap="xs">
          <Title order={2} size="h4" id="sim-outbound">
            {t('outbox.simulator.outbound')}
          </Title>
          <ErrorAlert error={outbound.error} />
          {outbound.data ? <MessagesTable items={outbound.data.items.slice(0, 20)} showRetry={false} /> : null}
        </Stack>
      </Card>
    </Stack>
  );
}
