// The audit browser: who did what to which record, filtered; page by page; exported as
// CSV with the same filters. Looking at the trail is itself recorded by the server.
// Record types and actions come from one catalogue shared with the server
// (core/audit/entities.ts); a patient is found by name or MRN, never by pasting an id.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router-dom';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { Button, Card, Code, Group, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { AUDIT_ACTIONS, AUDIT_ENTITY_GROUPS, auditEntitiesIn } from '../../../core/audit/entities.ts';
import { api, type AuditEventT, type AuditFilters, type AuditPatientMatchesT } from '../api.ts';
import { useSession } from '../session.tsx';
import { formatDateTime, todayIn } from '../format.ts';
import { ErrorAlert, fieldError, PageTitle, StatusBadge, TableHead, useErrorText, WhoCanSee } from '../components/common.tsx';
import { useStaffList } from './patient/useStaffList.ts';

const OUTCOMES = ['success', 'failure', 'denied'] as const;
/** The record-type select's value for a whole group ("all of contingency management"). */
const GROUP_PREFIX = 'group:';

/** The form's fields; `kind` is one record type or a whole group (GROUP_PREFIX + group). */
type Draft = { from: string; to: string; action: string; kind: string; outcome: string; patientId: string; actorId: string };
const emptyDraft: Draft = { from: '', to: '', action: '', kind: '', outcome: '', patientId: '', actorId: '' };

function applied(d: Draft): AuditFilters {
  const out: AuditFilters = {};
  const { kind, ...rest } = d;
  for (const [k, v] of Object.entries(rest)) if (v.trim() !== '') out[k as keyof typeof rest] = v.trim();
  if (kind.startsWith(GROUP_PREFIX)) out.group = kind.slice(GROUP_PREFIX.length);
  else if (kind !== '') out.entity = kind;
  return out;
}

type ChosenPatient = { id: string; displayName: string; mrn: string } | null;

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const location = useLocation();
  // From a patient's page: their trail (the name travels in history state, never in the URL).
  const fromRecord = (location.state as { patient?: ChosenPatient } | null)?.patient ?? null;
  const initialPatient = fromRecord?.id ?? '';
  const [draft, setDraft] = useState<Draft>({ ...emptyDraft, patientId: initialPatient });
  const [filters, setFilters] = useState<AuditFilters>(applied({ ...emptyDraft, patientId: initialPatient }));
  const [exporting, setExporting] = useState(false);
  const errorText = useErrorText();
  const staff = useStaffList();
  const [chosen, setChosen] = useState<ChosenPatient>(fromRecord);

  /** Filter the trail by one patient at once (or by none), keeping the other filters as applied. */
  const filterByPatient = (p: ChosenPatient) => {
    setChosen(p);
    setDraft({ ...draft, patientId: p?.id ?? '' });
    const { patientId: _previous, ...others } = filters;
    setFilters(p ? { ...others, patientId: p.id } : others);
  };

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
    setChosen(null);
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
      <PatientFinder chosen={chosen} onChoose={filterByPatient} />
      <Card withBorder padding="md">
        <form onSubmit={submit} noValidate aria-label={t('audit.filters')}>
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
              <TextInput type="date" label={t('audit.from')} value={draft.from} onChange={set('from')} error={fieldError(error, 'query.from')} />
              <TextInput type="date" label={t('audit.to')} value={draft.to} onChange={set('to')} error={fieldError(error, 'query.to')} />
              <NativeSelect
                label={t('audit.entity')}
                value={draft.kind}
                onChange={set('kind')}
                data={[
                  { value: '', label: t('audit.anyKind') },
                  ...AUDIT_ENTITY_GROUPS.map((g) => ({
                    group: t(`audit.groups.${g}`),
                    items: [
                      { value: `${GROUP_PREFIX}${g}`, label: t('audit.allOfGroup', { group: t(`audit.groups.${g}`) }) },
                      ...auditEntitiesIn(g).map((e) => ({ value: e, label: t(`audit.entities.${e}`) })),
                    ],
                  })),
                ]}
              />
              <NativeSelect
                label={t('audit.action')}
                value={draft.action}
                onChange={set('action')}
                data={[{ value: '', label: t('audit.any') }, ...AUDIT_ACTIONS.map((a) => ({ value: a, label: t(`audit.actions.${a}`) }))]}
              />
              <NativeSelect
                label={t('audit.outcome')}
                value={draft.outcome}
                onChange={set('outcome')}
                data={[{ value: '', label: t('audit.any') }, ...OUTCOMES.map((o) => ({ value: o, label: t(`audit.outcomes.${o}`) }))]}
              />
              {staff.data ? (
                <NativeSelect
                  label={t('audit.actor')}
                  value={draft.actorId}
                  onChange={set('actorId')}
                  data={[{ value: '', label: t('audit.anyone') }, ...staff.data.map((s) => ({ value: s.id, label: s.displayName }))]}
                />
              ) : (
                <TextInput label={t('audit.actorId')} value={draft.actorId} onChange={set('actorId')} error={fieldError(error, 'query.actorId')} />
              )}
            </SimpleGrid>
            <Group>
              <Button type="submit">{t('audit.apply')}</Button>
              <Button variant="default" onClick={clear}>
                {t('audit.clear')}
              </Button>
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
                    {ev.actorRole ? (
                      <Text size="xs" c="dimmed">
                        {t(`roles.${ev.actorRole}`, { defaultValue: ev.actorRole })}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{t(`audit.actions.${ev.action}`, { defaultValue: ev.action })}</Text>
                    {ev.purpose ? (
                      <Text size="xs" c="dimmed">
                        {t('audit.purpose', { purpose: t(`audit.purposes.${ev.purpose}`, { defaultValue: ev.purpose }) })}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{t(`audit.entities.${ev.entity}`, { defaultValue: ev.entity })}</Text>
                    {ev.entityId && ev.entityId !== ev.patientId ? <ShortId id={ev.entityId} /> : null}
                  </Table.Td>
                  <Table.Td>
                    {ev.patientId && chosen && ev.patientId === chosen.id ? <Text size="sm">{chosen.displayName}</Text> : null}
                    {ev.patientId ? <ShortId id={ev.patientId} /> : null}
                  </Table.Td>
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

/**
 * Find a patient by name or MRN and filter the trail by them. Each search is a POST the
 * server records in the audit trail, so it runs only when the auditor asks (a mutation,
 * never refetched in the background).
 */
function PatientFinder(props: { chosen: ChosenPatient; onChoose: (p: ChosenPatient) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const search = useMutation({ mutationFn: (text: string) => api.findPatientsForAudit(text) });
  const matches: AuditPatientMatchesT | undefined = search.data;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    search.mutate(q);
  };
  return (
    <Card withBorder padding="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('audit.findPatient')}
        </Title>
        {props.chosen ? (
          <Group data-testid="audit-patient-chosen">
            <Text size="sm" fw={600}>
              {t('audit.patientChosen', { name: props.chosen.displayName, mrn: props.chosen.mrn })}
            </Text>
            <Button size="xs" variant="default" onClick={() => props.onChoose(null)}>
              {t('audit.anyPatient')}
            </Button>
          </Group>
        ) : null}
        <form onSubmit={submit} noValidate role="search" aria-label={t('audit.findPatient')}>
          <Group align="flex-end">
            <TextInput
              label={t('audit.findPatientLabel')}
              description={t('audit.findPatientHint')}
              value={q}
              onChange={(e) => setQ(e.currentTarget.value)}
              error={fieldError(search.error, 'body.q')}
              autoComplete="off"
              spellCheck={false}
              style={{ flex: 1, minWidth: 220 }}
            />
            <Button type="submit" loading={search.isPending}>
              {t('audit.find')}
            </Button>
          </Group>
        </form>
        {search.error && !fieldError(search.error, 'body.q') ? <ErrorAlert error={search.error} /> : null}
        {matches ? (
          <div role="status" aria-live="polite">
            {matches.items.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('audit.noMatches')}
              </Text>
            ) : (
              <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t('audit.matches')}>
                {matches.items.map((m) => (
                  <li key={m.id}>
                    <Group gap="sm">
                      <Text size="sm">{t('audit.matchLine', { name: m.displayName, mrn: m.mrn, birthDate: m.birthDate })}</Text>
                      <Button size="xs" variant="light" onClick={() => props.onChoose({ id: m.id, displayName: m.displayName, mrn: m.mrn })}>
                        {t('audit.choosePatient', { name: m.displayName, mrn: m.mrn })}
                      </Button>
                    </Group>
                  </li>
                ))}
              </Stack>
            )}
            {matches.more ? (
              <Text size="sm" c="dimmed">
                {t('audit.moreMatches')}
              </Text>
            ) : null}
          </div>
        ) : null}
      </Stack>
    </Card>
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
