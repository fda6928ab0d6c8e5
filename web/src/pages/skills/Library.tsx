// The skills library (issue 13): every module — built-in ones (read-only) and the programme's
// own with their status and version — with a preview of any. Editors of the library
// (manage:skills-library) also start a new module, copy a built-in one to a key of their own
// to adapt it, and open a programme module to edit, publish or retire it.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useSession } from '../../session.tsx';
import { StatusBadge, TableHead, WhoCanSee } from '../../components/common.tsx';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { useCreateModule, useEditableLibrary, useModuleDetail, useModuleLibrary, type ModuleSummaryT } from '../../queries/skills.ts';
import { ModulePreviewModal } from './ModulePreview.tsx';
import { say, statusTone, useLang } from './shared.ts';

const KEY_RE = /^[a-z0-9][a-z0-9-]{1,59}$/;

export function Library() {
  const { t } = useTranslation();
  const { can } = useSession();
  const lang = useLang();
  const manage = can('manage:skills-library');
  const offered = useModuleLibrary(!manage);
  const editable = useEditableLibrary(manage);
  const q = manage ? editable : offered;
  const [previewing, setPreviewing] = useState<ModuleSummaryT | null>(null);
  const [copying, setCopying] = useState<ModuleSummaryT | null>(null);
  const items = [...(q.data?.items ?? [])].sort((a, b) => (a.origin === b.origin ? say(a.title, lang).localeCompare(say(b.title, lang)) : a.origin === 'programme' ? -1 : 1));
  return (
    <Stack gap="sm" data-testid="skills-library">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Text size="sm" c="dimmed">
            {manage ? t('skills.library.introManage') : t('skills.library.intro')}
          </Text>
          <WhoCanSee permission={manage ? 'manage:skills-library' : 'read:skills'} />
        </Stack>
        {manage ? (
          <Button component={Link} to="/skills/library/new">
            {t('skills.library.new')}
          </Button>
        ) : null}
      </Group>
      <ErrorAlert error={q.error} />
      {items.length > 0 ? (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing={4} fz="sm">
            <TableHead labels={[t('skills.library.module'), t('skills.library.topic'), t('skills.library.origin'), t('skills.library.status'), t('skills.library.languages')]} actions />
            <Table.Tbody>
              {items.map((m) => {
                const title = say(m.title, lang);
                return (
                  <Table.Tr key={m.key} data-module={m.key}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {title}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {m.key} · {t('skills.library.versionN', { n: m.version })}
                      </Text>
                    </Table.Td>
                    <Table.Td>{t(`skills.topics.${m.topic}`)}</Table.Td>
                    <Table.Td>{m.origin === 'built-in' ? t('skills.library.builtIn') : t('skills.library.programme')}</Table.Td>
                    <Table.Td miw={130}>
                      <StatusBadge tone={statusTone(m.status)}>{t(`skills.status.${m.status}`)}</StatusBadge>
                    </Table.Td>
                    <Table.Td>{m.languages.map((l) => t(`languages.${l}`)).join(', ') || '—'}</Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap" justify="flex-end">
                        <Button size="compact-xs" variant="default" onClick={() => setPreviewing(m)} aria-label={t('skills.library.previewLabel', { title })}>
                          {t('skills.library.preview')}
                        </Button>
                        {manage && m.origin === 'built-in' ? (
                          <Button size="compact-xs" variant="light" onClick={() => setCopying(m)} aria-label={t('skills.library.copyLabel', { title })}>
                            {t('skills.library.copy')}
                          </Button>
                        ) : null}
                        {manage && m.origin === 'programme' ? (
                          <Button
                            size="compact-xs"
                            variant="light"
                            component={Link}
                            to={`/skills/library/${m.key}`}
                            aria-label={t(m.status === 'draft' ? 'skills.library.editLabel' : 'skills.library.openLabel', { title })}
                          >
                            {m.status === 'draft' ? t('skills.library.edit') : t('skills.library.open')}
                          </Button>
                        ) : null}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {previewing ? <ModulePreviewModal moduleKey={previewing.key} version={previewing.version} onClose={() => setPreviewing(null)} /> : null}
      {copying ? <CopyModal from={copying} onClose={() => setCopying(null)} /> : null}
    </Stack>
  );
}

/** "Start from this one": the built-in module's content under a key of the programme's own, saved as a draft to adapt. */
function CopyModal({ from, onClose }: { from: ModuleSummaryT; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const navigate = useNavigate();
  const source = useModuleDetail(from.key);
  const create = useCreateModule();
  const [key, setKey] = useState(`${from.key}-local`.slice(0, 60));
  const [bad, setBad] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!KEY_RE.test(key)) {
      setBad(true);
      return;
    }
    if (!source.data) return;
    create.mutate(
      { content: { ...source.data.content, key, version: 1 }, basedOn: from.key },
      {
        onSuccess: (d) => {
          notifications.show({ color: 'teal', message: t('skills.library.copied', { key: d.summary.key }) });
          void navigate(`/skills/library/${d.summary.key}`);
        },
      },
    );
  };
  return (
    <Modal opened onClose={onClose} title={t('skills.library.copyTitle', { title: say(from.title, lang) })}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={create.error ?? source.error} />
          <Text size="sm">{t('skills.library.copyText')}</Text>
          <TextInput
            label={t('skills.editor.key')}
            description={t('skills.editor.keyHint')}
            value={key}
            onChange={(e) => {
              setKey(e.currentTarget.value.trim().toLowerCase());
              setBad(false);
            }}
            required
            error={bad ? t('skills.editor.keyInvalid') : fieldError(create.error, 'content.key')}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!source.data}>
              {t('skills.library.copySubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
