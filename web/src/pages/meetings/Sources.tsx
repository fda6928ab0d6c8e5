// The programme's meeting sources (issue 15, docs/meetings.md "Sources and import"): feeds read
// by URL on a schedule or uploaded as a file, each with its last import — what was added,
// changed and kept as inactive, and the records refused with their problems. Adding, uploading
// and re-importing need manage:meetings (an administrator); everyone with read:meetings sees them.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, FileInput, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { z } from 'zod';
import type { ImportResult, MeetingSource, MeetingSourceList } from '../../../../contracts/meeting-sources.ts';
import { json } from '../../api.ts';
import { ErrorAlert, fieldError, useAction } from '../../components/forms.tsx';
import { formatDateTime } from '../../format.ts';
import { useSession } from '../../session.tsx';

type SourceT = z.infer<typeof MeetingSource>;
type ResultT = z.infer<typeof ImportResult>;

export function MeetingSources() {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const qc = useQueryClient();
  const sources = useQuery({ queryKey: ['meetings', 'sources'], queryFn: () => json<z.infer<typeof MeetingSourceList>>('/meeting-sources') });
  const refresh = () => qc.invalidateQueries({ queryKey: ['meetings'] });
  const manage = can('manage:meetings');
  const when = (iso: string | null) => (iso ? formatDateTime(iso, i18n.language, program?.timeZone) : t('meetingSources.never'));

  return (
    <Stack>
      <Text size="sm">{t('meetingSources.intro')}</Text>
      {sources.error ? <ErrorAlert error={sources.error} /> : null}
      <Table aria-label={t('meetingSources.title')} data-testid="meeting-sources">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('meetingSources.name')}</Table.Th>
            <Table.Th>{t('meetingSources.format')}</Table.Th>
            <Table.Th>{t('meetingSources.lastImport')}</Table.Th>
            <Table.Th>{t('meetingSources.meetings')}</Table.Th>
            {manage ? <Table.Th>{t('meetingSources.actions')}</Table.Th> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(sources.data?.sources ?? []).map((s) => (
            <SourceRow key={s.id} source={s} manage={manage} when={when} onChanged={refresh} />
          ))}
        </Table.Tbody>
      </Table>
      {sources.data?.sources.length === 0 ? <Text c="dimmed">{t('meetingSources.none')}</Text> : null}
      {manage ? <AddSource onAdded={refresh} /> : null}
    </Stack>
  );
}

function SourceRow({ source: s, manage, when, onChanged }: { source: SourceT; manage: boolean; when: (iso: string | null) => string; onChanged: () => void }) {
  const { t } = useTranslation();
  const { busy, error, run } = useAction();
  const [result, setResult] = useState<ResultT | { status: string } | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const last = s.lastImportResult;

  const upload = () =>
    void run(async () => {
      if (!file) return;
      let feed: unknown;
      try {
        feed = JSON.parse(await file.text());
      } catch {
        throw new Error(t('meetingSources.notJson'));
      }
      setResult(await json<ResultT>(`/meeting-sources/${s.id}/import`, { method: 'POST', body: { feed } }));
      setFile(null);
      onChanged();
    });
  const fetchNow = () =>
    void run(async () => {
      setResult(await json<{ status: string }>(`/meeting-sources/${s.id}/refresh`, { method: 'POST', body: {} }));
      onChanged();
    });

  return (
    <Table.Tr data-testid="meeting-source">
      <Table.Td>
        <Text fw={600}>{s.name}</Text>
        <Text size="xs" c="dimmed">
          {s.url ?? t('meetingSources.uploadsOnly')}
        </Text>
        {s.lastError ? (
          <Text size="xs" c="red">
            {t('meetingSources.lastError', { error: s.lastError })}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>{t(`meetingSources.formats.${s.format}`)}</Table.Td>
      <Table.Td>
        <Text size="sm">{when(s.lastImportAt)}</Text>
        {last ? (
          <Text size="xs">{t('meetingSources.counts', { added: last.added, updated: last.updated, inactivated: last.inactivated, unchanged: last.unchanged, rejected: last.rejectedCount })}</Text>
        ) : null}
        {last && last.rejected.length > 0 ? (
          <details>
            <summary>{t('meetingSources.rejectedTitle', { count: last.rejectedCount })}</summary>
            <ul>
              {last.rejected.map((r) => (
                <li key={r.index}>
                  {t('meetingSources.record', { index: r.index })}: {r.problems.join('; ')}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </Table.Td>
      <Table.Td>{t('meetingSources.meetingCounts', s.meetings)}</Table.Td>
      {manage ? (
        <Table.Td>
          <Stack gap="xs">
            <Group gap="xs" align="end">
              <FileInput size="xs" label={t('meetingSources.file')} accept="application/json,.json" value={file} onChange={setFile} w={180} clearable />
              <Button size="xs" onClick={upload} disabled={!file} loading={busy}>
                {t('meetingSources.upload')}
              </Button>
            </Group>
            {s.url ? (
              <Button size="xs" variant="default" onClick={fetchNow} loading={busy}>
                {t('meetingSources.fetchNow')}
              </Button>
            ) : null}
            <ErrorAlert error={error} />
            {result ? (
              <Text size="xs" role="status">
                {'status' in result ? t('meetingSources.fetched', { status: result.status }) : t('meetingSources.imported', { ...result, rejected: result.rejected.length })}
              </Text>
            ) : null}
          </Stack>
        </Table.Td>
      ) : null}
    </Table.Tr>
  );
}

function AddSource({ onAdded }: { onAdded: () => void }) {
  const { t } = useTranslation();
  const { program } = useSession();
  const [name, setName] = useState('');
  const [format, setFormat] = useState<string | null>('meeting-guide');
  const [url, setUrl] = useState('');
  const [zone, setZone] = useState(program?.timeZone ?? 'America/New_York');
  const { busy, error, run } = useAction();
  const [done, setDone] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await json('/meeting-sources', { method: 'POST', body: { name: name.trim(), format, url: url.trim() || null, defaultTimeZone: zone.trim() } });
      setName('');
      setUrl('');
      setDone(true);
      onAdded();
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="xs" maw={560}>
        <Title order={3}>{t('meetingSources.add')}</Title>
        <ErrorAlert error={error} />
        {done ? <Alert color="teal">{t('meetingSources.added')}</Alert> : null}
        <TextInput label={t('meetingSources.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required error={fieldError(error, 'name')} />
        <Select
          label={t('meetingSources.format')}
          data={(['meeting-guide', 'bmlt'] as const).map((f) => ({ value: f, label: t(`meetingSources.formats.${f}`) }))}
          value={format}
          onChange={setFormat}
          allowDeselect={false}
          error={fieldError(error, 'format')}
        />
        <TextInput label={t('meetingSources.url')} description={t('meetingSources.urlHint')} value={url} onChange={(e) => setUrl(e.currentTarget.value)} error={fieldError(error, 'url')} />
        <TextInput
          label={t('meetingSources.timeZone')}
          description={t('meetingSources.timeZoneHint')}
          value={zone}
          onChange={(e) => setZone(e.currentTarget.value)}
          required
          error={fieldError(error, 'defaultTimeZone')}
        />
        <Group>
          <Button type="submit" loading={busy}>
            {t('meetingSources.addSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
