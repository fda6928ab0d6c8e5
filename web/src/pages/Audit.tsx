// The audit browser: who did what to which record, filtered; page by page; exported as
// CSV with the same filters. Looking at the trail is itself recorded by the server.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router-dom';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Card, Code, Group, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { api, type AuditEventT, type AuditFilters } from '../api.ts';
import { useSession } from '../session.tsx';
import { formatDateTime, todayIn } from '../format.ts';
import { ErrorAlert, fieldError, PageTitle, StatusBadge, TableHead, useErrorText, WhoCanSee } from '../components/common.tsx';
import { useStaffList } from './patient/useStaffList.ts';

const ACTIONS = [
  'read', 'search', 'create', 'update', 'delete', 'export', 'access-denied', 'sign-out', 'sign-out-everywhere',
  'password-reset', 'mfa-setup-start', 'mfa-enable', 'password-change', 'sign-in', 'mfa-verify', 'lock-out',
];
const ENTITIES = ['patient', 'medication', 'episode', 'care-team', 'user', 'staff', 'session', 'audit', 'organization', 'program', 'demo-data'];
const OUTCOMES = ['success', 'failure', 'denied'] as const;

type Draft = Required<{ [K in keyof AuditFilters]: string }>;
const emptyDraft: Draft = { from: '', to: '', action: '', entity: '', outcome: '', patientId: '', actorId: '' };

function applied(d: Draft): AuditFilters {
  const out: AuditFilters = {};
  for (const [k, v] of Object.entries(d)) if (v.trim() !== '') out[k as keyof AuditFilters] = v.trim();
  return out;
}

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const location = useLocation();
  const initialPatient = (location.state as { patientId?: string } | null)?.patientId ?? '';
  const [draft, setDraft] = useState<Draft>({ ...emptyDraft, patientId: initialPatient });
  const [filters, setFilters] = useState<AuditFilters>(applied({ ...emptyDraft, patientId: initialPatient }));
  const [exporting, setExporting] = useState(false);
  const errorText = useErrorText();
  const staff = useStaffList();

  const events = useInfiniteQuery({
    queryKey: ['audit', program?.id, filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => api.auditEvents(filters, pageParam),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items: AuditEventT[] = events.data?.pages.flatMap((p) => p.items) ?? [];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFilters(applied(draft));
  };
  const clear = () => {
    setDraft(emptyDraft);
    setFilters({});
  };

  const exportCsv = async () => {
    setExporting(true);
    try {
      const blob = await api.auditCsv(filters);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `audit-events-${todayIn(program?.timeZone)}.csv`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      notifications.show({ color: 'teal', message: t('audit.exported') });
    } catch (err) {
      notifications.show({ color: 'red', title: t('errors.title'), message: errorText(err) });
    } finally {
      setExporting(false);
    }
  };

  const set = (k: keyof Draft) => (e: { currentTarget: { value: string } }) => setDraft({ ...draft, [k]: e.currentTarget.value });
  const error = events.error;
  const outcomeTone = (o: string) => (o === 'success' ? 'ok' : o === 'denied' ? 'bad' : 'warn') as 'ok' | 'bad' | 'warn';

  return (
    <Stack>
      <Group justify="space-between">
        <PageTitle title={t('audit.title')}>{t('audit.title')}</PageTitle>
        {can('export:audit') ? (
          <Button variant="light" onClick={() => void exportCsv()} loading={exporting}>
            {t('audit.export')}
          </Button>
        ) : null}
      </Group>
      <WhoCanSee permission="read:audit" />
      <Card withBorder padding="md">
        <form onSubmit={submit} noValidate aria-label={t('audit.filters')}>
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
              <TextInput type="date" label={t('audit.from')} value={draft.from} onChange={set('from')} error={fieldError(error, 'query.from')} />
              <TextInput type="date" label={t('audit.to')} value={draft.to} onChange={set('to')} error={fieldError(error, 'query.to')} />
              <NativeSelect label={t('audit.action')} value={draft.action} onChange={set('action')}
                data={[{ value: '', label: t('audit.any') }, ...ACTIONS.map((a) => ({ value: a, label: t(`audit.actions.${a}`, { defaultValue: a }) }))]} />
              <NativeSelect label={t('audit.entity')} value={draft.entity} onChange={set('entity')}
                data={[{ value: '', label: t('audit.any') }, ...ENTITIES.map((a) => ({ value: a, label: t(`audit.entities.${a}`, { defaultValue: a }) }))]} />
              <NativeSelect label={t('audit.outcome')} value={draft.outcome} onChange={set('outcome')}
                data={[{ value: '', label: t('audit.any') }, ...OUTCOMES.map((o) => ({ value: o, label: t(`audit.outcomes.${o}`) }))]} />
              <TextInput label={t('audit.patientId')} description={t('audit.patientIdHint')} value={draft.patientId} onChange={set('patientId')}
                error={fieldError(error, 'query.patientId')} autoComplete="off" spellCheck={false} />
              {staff.data ? (
                <NativeSelect label={t('audit.actor')} value={draft.actorId} onChange={set('actorId')}
                  data={[{ value: '', label: t('audit.anyone') }, ...staff.data.map((s) => ({ value: s.id, label: s.displayName }))]} />
              ) : (
                <TextInput label={t('audit.actorId')} value={draft.actorId} onChange={set('actorId')} error={fieldError(error, 'query.actorId')} />
              )}
            </SimpleGrid>
            <Group>
              <Button type="submit">{t('audit.apply')}</Button>
              <Button variant="default" onClick={clear}>{t('audit.clear')}</Button>
            </Group>
          </Stack>
        </form>
      </Card>
      <ErrorAlert error={error} />
      <div role="status" aria-live="polite">
        {events.isSuccess ? (
          <Text size="sm" c="dimmed">
            {items.length === 0 ? t('audit.none') : events.hasNextPage ? t('audit.shownMore', { count: items.length }) : t('audit.shown', { count: items.length })}
          </Text>
        ) : null}
      </div>
      {items.length > 0 ? (
        <Table.ScrollContainer minWidth={900}>
          <Table striped verticalSpacing="xs" data-testid="audit-table">
            <VisuallyHidden component="caption">{t('audit.caption', { timeZone: program?.timeZone ?? '' })}</VisuallyHidden>
            <TableHead labels={[t('audit.when'), t('audit.who'), t('audit.action'), t('audit.entity'), t('audit.patient'), t('audit.outcome'), t('audit.sealed')]} />
            <Table.Tbody>
              {items.map((ev) => (
                <Table.Tr key={ev.id} data-action={ev.action} data-entity={ev.entity}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(ev.at, i18n.language, program?.timeZone)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{ev.actorName ?? t('audit.system')}</Text>
                    {ev.actorRole ? <Text size="xs" c="dimmed">{t(`roles.${ev.actorRole}`, { defaultValue: ev.actorRole })}</Text> : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{t(`audit.actions.${ev.action}`, { defaultValue: ev.action })}</Text>
                    {ev.purpose ? <Text size="xs" c="dimmed">{t('audit.purpose', { purpose: ev.purpose })}</Text> : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{t(`audit.entities.${ev.entity}`, { defaultValue: ev.entity })}</Text>
                    {ev.entityId && ev.entityId !== ev.patientId ? <ShortId id={ev.entityId} /> : null}
                  </Table.Td>
                  <Table.Td>{ev.patientId ? <ShortId id={ev.patientId} /> : null}</Table.Td>
                  <Table.Td>
                    <StatusBadge tone={outcomeTone(ev.outcome)}>{t(`audit.outcomes.${ev.outcome}`, { defaultValue: ev.outcome })}</StatusBadge>
                  </Table.Td>
                  <Table.Td>{ev.sealed ? t('audit.yesSealed') : t('audit.notYetSealed')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {events.hasNextPage ? (
        <Group>
          <Button variant="default" onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage}>
            {t('audit.next')}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}

/** A long id shown short, with the whole id for screen readers and on hover. */
function ShortId({ id }: { id: string }) {
  return (
    <Code title={id} fz="xs">
      <span aria-hidden="true">{id.slice(0, 8)}…</span>
      <span className="sr-only">{id}</span>
    </Code>
  );
}
