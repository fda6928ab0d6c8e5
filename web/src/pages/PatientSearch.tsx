// Finding a patient, keyboard first: the search box has focus, Enter searches, the
// down arrow moves into the results, Enter opens one. The search goes in a POST body and
// stays in memory: names and birth dates never reach the URL.
import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Anchor, Button, Group, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { api, type PatientSummaryT } from '../api.ts';
import { useSession } from '../session.tsx';
import { formatDate } from '../format.ts';
import { PageTitle, TableHead } from '../components/common.tsx';
import { ErrorAlert } from '../components/forms.tsx';
import { WorkList } from './WorkList.tsx';

const PAGE = 25;
/** The last search, kept in memory so "back" from a patient shows the same results. */
let lastSearch = '';

export function PatientSearchPage() {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const navigate = useNavigate();
  const [text, setText] = useState(lastSearch);
  const [query, setQuery] = useState<string | null>(lastSearch || null);
  const inputRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<HTMLTableSectionElement>(null);

  const results = useInfiniteQuery({
    queryKey: ['patients', program?.id, 'search', query],
    enabled: query !== null,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => api.searchPatients({ q: query ?? '', limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 30_000,
  });
  const items: PatientSummaryT[] = results.data?.pages.flatMap((p) => p.items) ?? [];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    lastSearch = text.trim();
    setQuery(text.trim());
  };

  const rows = () => Array.from(tableRef.current?.querySelectorAll<HTMLTableRowElement>('tr[data-openable]') ?? []);
  const onInputKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' && items.length > 0) {
      e.preventDefault();
      rows()[0]?.focus();
    }
  };
  const onRowKey = (e: KeyboardEvent<HTMLTableRowElement>, index: number, id: string) => {
    const all = rows();
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      all[Math.min(index + 1, all.length - 1)]?.focus();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (index === 0) inputRef.current?.focus();
      else all[index - 1]?.focus();
    } else if (e.key === 'Enter' && e.target === e.currentTarget) {
      e.preventDefault();
      navigate(`/patients/${id}`);
    }
  };

  return (
    <Stack>
      <Group justify="space-between" align="center">
        <PageTitle title={t('patients.title')}>{t('patients.title')}</PageTitle>
        {can('create:patient') ? (
          <Button component={Link} to="/patients/new" variant="light">
            {t('patients.register')}
          </Button>
        ) : null}
      </Group>
      <form onSubmit={submit} role="search" aria-label={t('patients.searchLabel')}>
        <Group align="flex-end" wrap="nowrap">
          <TextInput
            ref={inputRef}
            label={t('patients.searchLabel')}
            description={t('patients.searchHint')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            onKeyDown={onInputKey}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            style={{ flex: 1 }}
            maxLength={100}
          />
          <Button type="submit" loading={results.isFetching && !results.isFetchingNextPage}>
            {t('patients.search')}
          </Button>
        </Group>
      </form>
      <ErrorAlert error={results.error} />
      <div aria-live="polite" role="status">
        {query !== null && results.isSuccess ? (
          <Text size="sm" c="dimmed">
            {items.length === 0 ? t('patients.noResults') : results.hasNextPage ? t('patients.resultsMore', { count: items.length }) : t('patients.results', { count: items.length })}
          </Text>
        ) : null}
      </div>
      {items.length > 0 ? (
        <>
          <Text size="sm" c="dimmed">
            {t('patients.keyboardHint')}
          </Text>
          <Table.ScrollContainer minWidth={560}>
            <Table highlightOnHover striped verticalSpacing="xs">
              <VisuallyHidden component="caption">{t('patients.resultsCaption')}</VisuallyHidden>
              <TableHead labels={[t('patients.name'), t('patients.preferredName'), t('patients.birthDate'), t('patients.mrn')]} />
              <Table.Tbody ref={tableRef}>
                {items.map((p, i) => (
                  <Table.Tr
                    key={p.id}
                    tabIndex={0}
                    data-openable
                    onKeyDown={(e) => onRowKey(e, i, p.id)}
                    onClick={(e) => {
                      if ((e.target as HTMLElement).closest('a')) return;
                      navigate(`/patients/${p.id}`);
                    }}
                  >
                    <Table.Td>
                      <Anchor component={Link} to={`/patients/${p.id}`} tabIndex={-1}>
                        {t('patient.fullName', { family: p.legalFamilyName, given: p.legalGivenName })}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{p.preferredName ?? ''}</Table.Td>
                    <Table.Td>{formatDate(p.birthDate, i18n.language)}</Table.Td>
                    <Table.Td>{p.mrn}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {results.hasNextPage ? (
            <Group>
              <Button variant="default" onClick={() => void results.fetchNextPage()} loading={results.isFetchingNextPage}>
                {t('patients.more')}
              </Button>
            </Group>
          ) : null}
        </>
      ) : null}
      <WorkList />
    </Stack>
  );
}
