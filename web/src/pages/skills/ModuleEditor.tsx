// The programme's own skills modules, written and kept (issue 13): a structured form (or the
// document as JSON for those who prefer it), checked as it is typed by the same lint that
// guards publishing (core/skills/lint.ts), saved as a draft, previewed in English or Spanish,
// published, retired; every version kept with who made and published it. Built-in modules
// are read-only: the library copies one to a key of the programme's own first.
import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Alert, Anchor, Badge, Button, Card, Group, List, Modal, Stack, Switch, Table, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { lintModule } from '../../../../core/skills/lint.ts';
import { SkillsModule } from '../../../../core/skills/module.ts';
import { isApiError } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatDateTime } from '../../format.ts';
import { PageTitle, StatusBadge, TableHead, WhoCanSee } from '../../components/common.tsx';
import { ErrorAlert } from '../../components/forms.tsx';
import { NotFoundPage } from '../NotFound.tsx';
import { useCreateModule, useLatestModule, usePublishModule, useRetireModule, useSaveDraft, type ModuleDetailT } from '../../queries/skills.ts';
import { EditorFields } from './EditorFields.tsx';
import { ModulePreview, ModulePreviewModal } from './ModulePreview.tsx';
import { blankModule, cleanModule, moduleOf } from './moduleDraft.ts';
import { say, statusTone, useLang } from './shared.ts';

export function ModuleEditorPage() {
  const { key } = useParams();
  const { t } = useTranslation();
  const latest = useLatestModule(key ?? null);
  if (key) {
    if (isApiError(latest.error) && latest.error.status === 404) return <NotFoundPage />;
    if (latest.error) return <ErrorAlert error={latest.error} />;
    if (!latest.data) return <Text c="dimmed">{t('common.loading')}</Text>;
    if (latest.data.summary.origin === 'built-in') return <NotFoundPage />;
  }
  return <Editor key={key ?? 'new'} detail={key ? (latest.data ?? null) : null} />;
}

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };
const parseJson = (s: string): Parsed => {
  try {
    return { ok: true, value: JSON.parse(s) as unknown };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
};

function Editor({ detail }: { detail: ModuleDetailT | null }) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const lang = useLang();
  const navigate = useNavigate();
  const isNew = detail === null;
  const key = detail?.summary.key ?? '';
  const [doc, setDoc] = useState(() => (detail ? moduleOf(detail.content) : blankModule()));
  const [saved, setSaved] = useState(() => (detail ? JSON.stringify(cleanModule(moduleOf(detail.content))) : null));
  const [jsonMode, setJsonMode] = useState(false);
  const [json, setJson] = useState('');
  const [blocked, setBlocked] = useState<string | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [confirming, setConfirming] = useState<'publish' | 'retire' | null>(null);
  const [versionShown, setVersionShown] = useState<number | null>(null);
  const create = useCreateModule();
  const saveDraft = useSaveDraft(key);
  const publish = usePublishModule(key);
  const retire = useRetireModule(key);

  // the document as it stands: the form's, or the JSON typed (null while it is not JSON)
  const parsed = jsonMode ? parseJson(json) : null;
  const current: unknown = parsed ? (parsed.ok ? cleanModule(parsed.value) : null) : cleanModule(doc);
  const currentJson = JSON.stringify(current);
  const deferred = useDeferredValue(currentJson);
  const lint = useMemo(() => {
    const d = JSON.parse(deferred) as unknown;
    return d === null ? null : lintModule(d, { builtIn: false });
  }, [deferred]);
  const dirty = currentJson !== saved;

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const status = detail?.summary.status ?? null;
  const version = detail?.content.version ?? 1;
  const published = detail?.versions.find((v) => v.status === 'published') ?? null;
  const busy = create.isPending || saveDraft.isPending || publish.isPending || retire.isPending;
  const error = create.error ?? saveDraft.error ?? publish.error ?? retire.error;
  const serverProblems = isApiError(error) ? error.problems : [];

  const took = (d: ModuleDetailT) => {
    const next = moduleOf(d.content);
    setDoc(next);
    setSaved(JSON.stringify(cleanModule(next)));
    if (jsonMode) setJson(JSON.stringify(next, null, 2));
  };

  /** Saves the draft; answers the saved module, or null when it could not be saved. */
  const save = async (): Promise<ModuleDetailT | null> => {
    setBlocked(null);
    if (current === null) {
      setBlocked(t('skills.editor.notJson'));
      return null;
    }
    if (!SkillsModule.safeParse(current).success) {
      setBlocked(t('skills.editor.fixFirst'));
      return null;
    }
    try {
      if (isNew) {
        const d = await create.mutateAsync({ content: current });
        notifications.show({ color: 'teal', message: t('skills.editor.saved', { n: d.content.version }) });
        void navigate(`/skills/library/${d.summary.key}`, { replace: true });
        return d;
      }
      const d = await saveDraft.mutateAsync(current);
      took(d);
      notifications.show({ color: 'teal', message: t('skills.editor.saved', { n: d.content.version }) });
      return d;
    } catch {
      return null; // the mutation keeps the error; the alert shows it
    }
  };

  const doPublish = async () => {
    setConfirming(null);
    if (dirty && !(await save())) return;
    try {
      const d = await publish.mutateAsync(undefined);
      took(d);
      notifications.show({ color: 'teal', message: t('skills.editor.published', { n: d.content.version }) });
    } catch {
      /* shown by the alert */
    }
  };

  const doRetire = async () => {
    setConfirming(null);
    try {
      const d = await retire.mutateAsync(undefined);
      took(d);
      notifications.show({ color: 'teal', message: t('skills.editor.retired') });
    } catch {
      /* shown by the alert */
    }
  };

  const toggleJson = (on: boolean) => {
    setBlocked(null);
    if (on) {
      setJson(JSON.stringify(doc, null, 2));
      setJsonMode(true);
      return;
    }
    const p = parseJson(json);
    if (!p.ok) {
      setBlocked(t('skills.editor.notJson'));
      return;
    }
    setDoc(moduleOf(p.value));
    setJsonMode(false);
  };

  const title = say(doc.title, lang) || doc.key || t('skills.editor.untitled');
  const previewDoc = moduleOf(current ?? doc);

  return (
    <Stack data-testid="module-editor">
      <Anchor component={Link} to="/skills/library" size="sm">
        <span aria-hidden="true">← </span>
        {t('skills.editor.back')}
      </Anchor>
      <PageTitle title={isNew ? t('skills.editor.newTitle') : t('skills.editor.editTitle', { title })}>{isNew ? t('skills.editor.newTitle') : t('skills.editor.editTitle', { title })}</PageTitle>
      <WhoCanSee permission="manage:skills-library" />

      <Card withBorder padding="sm">
        <Stack gap="xs">
          <Group gap="xs">
            {status ? <StatusBadge tone={statusTone(status)}>{t(`skills.status.${status}`)}</StatusBadge> : <StatusBadge tone="neutral">{t('skills.editor.notSaved')}</StatusBadge>}
            {!isNew ? (
              <Badge variant="light" c="gray.9" style={{ textTransform: 'none' }}>
                {t('skills.library.versionN', { n: version })}
              </Badge>
            ) : null}
            {detail?.basedOn ? (
              <Text size="sm" c="dimmed">
                {t('skills.editor.basedOn', { key: detail.basedOn })}
              </Text>
            ) : null}
            {dirty && !isNew ? <StatusBadge tone="warn">{t('skills.editor.unsaved')}</StatusBadge> : null}
          </Group>
          <Text size="sm" c="dimmed">
            {t('skills.editor.publicText')}
          </Text>
          {status === 'published' || status === 'retired' ? (
            <Text size="sm" data-testid="next-version-note">
              {t('skills.editor.nextVersion', { n: version, next: version + 1 })}
            </Text>
          ) : null}
          <Group gap="xs">
            <Button onClick={() => void save()} loading={create.isPending || saveDraft.isPending} disabled={busy}>
              {t('skills.editor.save')}
            </Button>
            <Button variant="default" onClick={() => setPreviewing(true)}>
              {t('skills.editor.preview')}
            </Button>
            {!isNew && (status === 'draft' || dirty) ? (
              <Button color="teal" variant="light" onClick={() => setConfirming('publish')} disabled={busy} loading={publish.isPending}>
                {t('skills.editor.publish')}
              </Button>
            ) : null}
            {!isNew && status === 'published' && !dirty ? (
              <Button color="red" variant="subtle" onClick={() => setConfirming('retire')} disabled={busy} loading={retire.isPending}>
                {t('skills.editor.retire')}
              </Button>
            ) : null}
            <Switch label={t('skills.editor.asJson')} checked={jsonMode} onChange={(e) => toggleJson(e.currentTarget.checked)} ml="auto" />
          </Group>
          {blocked ? (
            <Alert color="yellow" variant="light" role="alert" icon={<span aria-hidden="true">!</span>}>
              {blocked}
            </Alert>
          ) : null}
          <ErrorAlert error={error} />
          {serverProblems.length ? (
            <List size="sm" data-testid="server-problems">
              {serverProblems.map((p, i) => (
                <List.Item key={i}>
                  {p.field.replace(/^body\.content\.?/, '')}: {p.message}
                </List.Item>
              ))}
            </List>
          ) : null}
        </Stack>
      </Card>

      <LintPanel lint={lint} />

      {jsonMode ? (
        <Textarea
          label={t('skills.editor.json')}
          description={t('skills.editor.jsonHint')}
          value={json}
          onChange={(e) => setJson(e.currentTarget.value)}
          autosize
          minRows={20}
          maxRows={40}
          spellCheck={false}
          styles={{ input: { fontFamily: 'monospace', fontSize: 13 } }}
          error={parsed && !parsed.ok ? t('skills.editor.jsonError', { message: parsed.message }) : undefined}
        />
      ) : (
        <EditorFields doc={doc} setDoc={setDoc} isNew={isNew} />
      )}
      <Group>
        <Button onClick={() => void save()} loading={create.isPending || saveDraft.isPending} disabled={busy}>
          {t('skills.editor.save')}
        </Button>
        {dirty && !isNew ? <StatusBadge tone="warn">{t('skills.editor.unsaved')}</StatusBadge> : null}
      </Group>

      {detail && detail.versions.length > 0 ? (
        <Stack gap="xs" component="section" aria-labelledby="editor-versions">
          <Title order={2} size="h4" id="editor-versions">
            {t('skills.editor.versions')}
          </Title>
          <Table verticalSpacing={4} fz="sm" data-testid="module-versions">
            <TableHead labels={[t('skills.editor.version'), t('skills.library.status'), t('skills.editor.made'), t('skills.editor.publishedCol')]} actions />
            <Table.Tbody>
              {detail.versions.map((v) => (
                <Table.Tr key={v.version}>
                  <Table.Td>{v.version}</Table.Td>
                  <Table.Td miw={130}>
                    <StatusBadge tone={statusTone(v.status)}>{t(`skills.status.${v.status}`)}</StatusBadge>
                  </Table.Td>
                  <Table.Td>{t('skills.editor.byWhen', { name: v.createdByName ?? '—', when: formatDateTime(v.createdAt, i18n.language, program?.timeZone) })}</Table.Td>
                  <Table.Td>{v.publishedAt ? t('skills.editor.byWhen', { name: v.publishedByName ?? '—', when: formatDateTime(v.publishedAt, i18n.language, program?.timeZone) }) : '—'}</Table.Td>
                  <Table.Td>
                    <Button size="compact-xs" variant="default" onClick={() => setVersionShown(v.version)} aria-label={t('skills.editor.previewVersion', { n: v.version })}>
                      {t('skills.library.preview')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {published ? (
            <Text size="xs" c="dimmed">
              {t('skills.editor.publishedNow', { n: published.version })}
            </Text>
          ) : null}
        </Stack>
      ) : null}

      {previewing ? (
        <Modal opened onClose={() => setPreviewing(false)} size="xl" title={t('skills.editor.previewTitle', { title })}>
          <ModulePreview content={previewDoc} />
        </Modal>
      ) : null}
      {versionShown !== null ? <ModulePreviewModal moduleKey={key} version={versionShown} onClose={() => setVersionShown(null)} /> : null}
      {confirming ? (
        <Modal opened onClose={() => setConfirming(null)} title={confirming === 'publish' ? t('skills.editor.publishTitle') : t('skills.editor.retireTitle')}>
          <Stack>
            <Text size="sm">{confirming === 'publish' ? t('skills.editor.publishText', { n: version }) : t('skills.editor.retireText')}</Text>
            {confirming === 'publish' && lint && lint.problems.length > 0 ? (
              <Alert color="yellow" variant="light" icon={<span aria-hidden="true">!</span>}>
                {t('skills.editor.publishWithProblems', { count: lint.problems.length })}
              </Alert>
            ) : null}
            {confirming === 'publish' && lint && lint.warnings.length > 0 ? <Text size="sm">{t('skills.editor.publishWarnings', { count: lint.warnings.length })}</Text> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirming(null)} data-autofocus>
                {t('common.cancel')}
              </Button>
              <Button color={confirming === 'publish' ? 'teal' : 'red'} onClick={() => void (confirming === 'publish' ? doPublish() : doRetire())}>
                {confirming === 'publish' ? t('skills.editor.publish') : t('skills.editor.retire')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      ) : null}
    </Stack>
  );
}

/** A finding's place in words a person counts by: "screens.2.options[0].text" → "screen 3 › answer 1 › text". */
function readablePath(problem: string): string {
  const names: Record<string, string> = { screens: 'screen', options: 'answer', scenes: 'scene', choices: 'choice', sources: 'source', ideas: 'idea' };
  const colon = problem.indexOf(': ');
  if (colon < 0 || /\s/.test(problem.slice(0, colon))) return problem;
  const path = problem
    .slice(0, colon)
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .reduce<string[]>((out, part) => {
      const prev = out[out.length - 1];
      if (/^\d+$/.test(part) && prev && names[prev]) out[out.length - 1] = `${names[prev]} ${Number(part) + 1}`;
      else out.push(part);
      return out;
    }, []);
  return `${path.join(' › ')}: ${problem.slice(colon + 2)}`;
}

/** The lint's findings as the document stands: problems stop publishing, warnings do not. */
function LintPanel({ lint }: { lint: ReturnType<typeof lintModule> | null }) {
  const { t } = useTranslation();
  if (!lint) return null;
  const ok = lint.problems.length === 0;
  return (
    <Card withBorder padding="sm" component="section" aria-labelledby="editor-check" data-testid="lint">
      <Stack gap="xs">
        <Group gap="xs">
          <Title order={2} size="h5" id="editor-check">
            {t('skills.editor.check')}
          </Title>
          {ok ? <StatusBadge tone="ok">{t('skills.editor.ready')}</StatusBadge> : <StatusBadge tone="bad">{t('skills.editor.problems', { count: lint.problems.length })}</StatusBadge>}
          {lint.warnings.length ? <StatusBadge tone="warn">{t('skills.editor.warnings', { count: lint.warnings.length })}</StatusBadge> : null}
          {lint.summary?.readingGrade.en !== null && lint.summary?.readingGrade.en !== undefined ? (
            <Text size="sm" c="dimmed">
              {t('skills.editor.grade', { grade: lint.summary.readingGrade.en })}
            </Text>
          ) : null}
        </Group>
        {lint.problems.length ? (
          <List size="sm" data-testid="lint-problems">
            {lint.problems.slice(0, 30).map((p, i) => (
              <List.Item key={i}>{readablePath(p)}</List.Item>
            ))}
            {lint.problems.length > 30 ? <List.Item>{t('skills.editor.andMore', { count: lint.problems.length - 30 })}</List.Item> : null}
          </List>
        ) : null}
        {lint.warnings.length ? (
          <List size="sm" data-testid="lint-warnings">
            {lint.warnings.map((p, i) => (
              <List.Item key={i}>
                <span aria-hidden="true">! </span>
                {readablePath(p)}
              </List.Item>
            ))}
          </List>
        ) : null}
      </Stack>
    </Card>
  );
}
