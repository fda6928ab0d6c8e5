// Peer outreach (issue 15, docs/peers.md): the peer work list — whom to contact today, by when,
// what happened last time (overdue first) — with tabs for overdue, escalated (and, for a
// supervisor, the escalations to acknowledge), all open, closed, and the schedule settings.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Anchor, Button, Group, NumberInput, Select, Stack, Switch, Table, Tabs, Text, TextInput } from '@mantine/core';
import { useSession } from '../../session.tsx';
import { formatDateTime } from '../../format.ts';
import { PageTitle, ShowMore, StatusBadge, TableHead, WhoCanSee } from '../../components/common.tsx';
import { ErrorAlert } from '../../components/forms.tsx';
import { json } from '../../api.ts';
import { useQueryClient } from '@tanstack/react-query';
import { useEscalations, useSettings, useWorkList, type SettingsT, type View } from './api.ts';
import { ContactLabel, stateTone } from './shared.tsx';

function WorkList({ view }: { view: View }) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const [mine, setMine] = useState(false);
  const q = useWorkList(view, mine);
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const tz = program?.timeZone;
  return (
    <Stack gap="sm" data-testid={`peers-list-${view}`}>
      <Switch label={t('peers.list.mine')} checked={mine} onChange={(e) => setMine(e.currentTarget.checked)} />
      <ErrorAlert error={q.error} />
      {q.data && items.length === 0 ? <Text c="dimmed">{t('peers.list.none')}</Text> : null}
      {items.length > 0 ? (
        <Table verticalSpacing={4}>
          <TableHead labels={[t('peers.list.person'), t('peers.list.next'), t('peers.list.dueBy'), t('peers.list.state'), t('peers.list.last'), t('peers.list.peer')]} />
          <Table.Tbody>
            {items.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/peer-outreach/referrals/${r.id}`}>
                    {r.name}
                  </Anchor>
                  {r.escalated ? (
                    <>
                      {' '}
                      <StatusBadge tone="bad">{t('peers.list.escalated')}</StatusBadge>
                    </>
                  ) : null}
                </Table.Td>
                <Table.Td>{r.status === 'closed' ? t(`peers.close.reasons.${r.closedReason ?? 'other'}`) : <ContactLabel c={r.next} />}</Table.Td>
                <Table.Td>{r.next && (r.next.retryBy ?? r.next.dueAt) ? formatDateTime((r.next.retryBy ?? r.next.dueAt)!, i18n.language, tz) : '—'}</Table.Td>
                <Table.Td>
                  {r.next ? <StatusBadge tone={stateTone(r.next.state)}>{t(`peers.state.${r.next.state}`)}</StatusBadge> : <StatusBadge tone="neutral">{t('peers.state.closed')}</StatusBadge>}
                </Table.Td>
                <Table.Td>{r.lastAttempt ? `${t(`peers.outcome.${r.lastAttempt.outcome}`)} · ${formatDateTime(r.lastAttempt.at, i18n.language, tz)}` : t('peers.list.noAttempt')}</Table.Td>
                <Table.Td>{r.assignedToName ?? t('peers.list.unassigned')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      <ShowMore query={q} />
    </Stack>
  );
}

function Escalations() {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const qc = useQueryClient();
  const q = useEscalations(true);
  const [error, setError] = useState<unknown>(null);
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  if (q.data && items.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="peers-escalations">
      <Text fw={600}>{t('peers.escalations.title')}</Text>
      <ErrorAlert error={q.error ?? error} />
      <Table verticalSpacing={4}>
        <TableHead labels={[t('peers.list.person'), t('peers.escalations.contact'), t('peers.escalations.since'), t('peers.list.peer')]} actions />
        <Table.Tbody>
          {items.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>
                <Anchor component={Link} to={`/peer-outreach/referrals/${e.referralId}`}>
                  {e.name}
                </Anchor>
              </Table.Td>
              <Table.Td>
                {e.contactIndex === 0 ? t('peers.contact.first') : t('peers.escalations.followUpN', { n: e.contactIndex })} · {t(`peers.state.${e.reason}`)}
              </Table.Td>
              <Table.Td>{formatDateTime(e.since, i18n.language, program?.timeZone)}</Table.Td>
              <Table.Td>{e.assignedToName ?? t('peers.list.unassigned')}</Table.Td>
              <Table.Td>
                <Button
                  size="xs"
                  variant="light"
                  onClick={() => {
                    setError(null);
                    json(`/peer-outreach/escalations/${e.id}/acknowledge`, { method: 'POST' })
                      .then(() => qc.invalidateQueries({ queryKey: ['peers'] }))
                      .catch(setError);
                  }}
                >
                  {t('peers.escalations.acknowledge')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ShowMore query={q} />
    </Stack>
  );
}

function SettingsForm() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useSettings();
  const [draft, setDraft] = useState<(SettingsT & { days: string }) | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const s = draft ?? (q.data ? { ...q.data, days: q.data.followUpDays.join(', ') } : null);
  if (!s) return <ErrorAlert error={q.error} />;
  const set = (patch: Partial<SettingsT & { days: string }>) => {
    setSaved(false);
    setDraft({ ...s, ...patch });
  };
  const save = async () => {
    setError(null);
    try {
      const { days, ...rest } = s;
      await json('/peer-outreach/settings', { method: 'PUT', body: { ...rest, followUpDays: days.split(/[ ,]+/).filter(Boolean).map(Number) } });
      await qc.invalidateQueries({ queryKey: ['peers'] });
      setDraft(null);
      setSaved(true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Stack gap="sm" maw={480} data-testid="peers-settings">
      <Text size="sm" c="dimmed">
        {t('peers.settings.intro')}
      </Text>
      <NumberInput label={t('peers.settings.firstContactHours')} min={1} max={168} value={s.firstContactHours} onChange={(v) => set({ firstContactHours: Number(v) })} />
      <TextInput label={t('peers.settings.followUpDays')} description={t('peers.settings.followUpDaysHelp')} value={s.days} onChange={(e) => set({ days: e.currentTarget.value })} />
      <Select
        label={t('peers.settings.followUpsFrom')}
        data={[
          { value: 'first-contact', label: t('peers.settings.fromFirstContact') },
          { value: 'referral', label: t('peers.settings.fromReferral') },
        ]}
        value={s.followUpsFrom}
        allowDeselect={false}
        onChange={(v) => v && set({ followUpsFrom: v as SettingsT['followUpsFrom'] })}
      />
      <NumberInput label={t('peers.settings.retryHours')} min={1} max={72} value={s.retryHours} onChange={(v) => set({ retryHours: Number(v) })} />
      <NumberInput label={t('peers.settings.maxTries')} min={1} max={10} value={s.maxTries} onChange={(v) => set({ maxTries: Number(v) })} />
      <ErrorAlert error={error} />
      <Group>
        <Button onClick={() => void save()}>{t('peers.settings.save')}</Button>
        {saved ? <Text c="dimmed">{t('peers.settings.saved')}</Text> : null}
      </Group>
    </Stack>
  );
}

const TABS: View[] = ['today', 'overdue', 'escalated', 'open', 'closed'];

export function PeersPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const manage = can('manage:peer-outreach');
  const write = can('write:peer-outreach');
  const [tab, setTab] = useState<string>('today');
  return (
    <Stack>
      <PageTitle title={t('peers.page.title')}>{t('peers.page.title')}</PageTitle>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('peers.page.intro')}
        </Text>
        {write ? (
          <Button component={Link} to="/peer-outreach/new">
            {t('peers.new.title')}
          </Button>
        ) : null}
      </Group>
      <WhoCanSee permission="read:peer-outreach" />
      <Tabs value={tab} onChange={(v) => v && setTab(v)} keepMounted={false}>
        <Tabs.List>
          {TABS.map((v) => (
            <Tabs.Tab key={v} value={v}>
              {t(`peers.page.tabs.${v}`)}
            </Tabs.Tab>
          ))}
          {manage ? <Tabs.Tab value="settings">{t('peers.page.tabs.settings')}</Tabs.Tab> : null}
        </Tabs.List>
        {TABS.map((v) => (
          <Tabs.Panel key={v} value={v} pt="md">
            <Stack>
              {v === 'escalated' && manage ? <Escalations /> : null}
              <WorkList view={v} />
            </Stack>
          </Tabs.Panel>
        ))}
        {manage ? (
          <Tabs.Panel value="settings" pt="md">
            <SettingsForm />
          </Tabs.Panel>
        ) : null}
      </Tabs>
    </Stack>
  );
}
