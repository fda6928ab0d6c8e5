// A module read-only, screen by screen, in English or Spanish (issue 13): what the patient
// reads, the check questions with the right answer and each option's feedback, each exercise's
// prompt and set-up (timer, role-play scenes and choices, ideas), the homework and the
// sources. A text missing in the language shown says so and shows the English.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Anchor, Badge, Card, Group, List, Modal, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import type { Exercise, Screen } from '../../../../core/skills/module.ts';
import { ErrorAlert } from '../../components/forms.tsx';
import { InlineBadge } from './InlineBadge.tsx';
import { useModuleDetail, type SkillsModule } from '../../queries/skills.ts';
import { useLang, type Lang, type TextT } from './shared.ts';

/** A module text in the preview's language; a missing one is marked and shown in English. */
function Say({ text, lang, block = false }: { text: TextT | undefined; lang: Lang; block?: boolean }) {
  const { t } = useTranslation();
  const staffLang = useLang();
  const value = text?.[lang];
  const body = (s: string, l: Lang) => (block ? <Paragraphs text={s} lang={l} /> : <span lang={l}>{s}</span>);
  if (value) return body(value, lang);
  const fallback = text?.en ?? Object.values(text ?? {}).find(Boolean);
  return (
    <>
      <Badge component="span" size="xs" variant="outline" color="red" c="red.9" style={{ textTransform: 'none' }} mr={4} lang={staffLang}>
        {t('skills.preview.missing', { language: t(`languages.${lang}`) })}
      </Badge>
      {fallback ? body(fallback, 'en') : null}
    </>
  );
}

/** A body as the app shows it: paragraphs split by a blank line, lines starting with "- " as a list. */
function Paragraphs({ text, lang }: { text: string; lang: Lang }) {
  return (
    <span lang={lang} style={{ display: 'block' }}>
      {text.split(/\n\s*\n/).map((para, i) => {
        const lines = para.split('\n').filter((l) => l.trim());
        return lines.length > 0 && lines.every((l) => l.trimStart().startsWith('- ')) ? (
          <ul key={i} style={{ margin: '4px 0', paddingLeft: 20 }}>
            {lines.map((l, j) => (
              <li key={j}>{l.trimStart().slice(2)}</li>
            ))}
          </ul>
        ) : (
          <span key={i} style={{ display: 'block', margin: '4px 0', whiteSpace: 'pre-wrap' }}>
            {para}
          </span>
        );
      })}
    </span>
  );
}

export function ModulePreview({ content, initialLang }: { content: SkillsModule; initialLang?: Lang }) {
  const { t } = useTranslation();
  const staffLang = useLang();
  const [lang, setLang] = useState<Lang>(initialLang ?? staffLang);
  const kinds = { read: t('skills.preview.kinds.read'), check: t('skills.preview.kinds.check'), exercise: t('skills.preview.kinds.exercise') };
  return (
    <Stack gap="sm" data-testid="module-preview" lang={lang}>
      <Group justify="space-between" lang={staffLang}>
        <Text size="sm" c="dimmed">
          {t('skills.preview.readOnly')}
        </Text>
        <SegmentedControl
          size="xs"
          aria-label={t('skills.preview.language')}
          value={lang}
          onChange={(v) => setLang(v as Lang)}
          data={[
            { value: 'en', label: t('languages.en') },
            { value: 'es', label: t('languages.es') },
          ]}
        />
      </Group>
      <div>
        <Title order={3} size="h4">
          <Say text={content.title} lang={lang} />
        </Title>
        <Text size="sm">
          <Say text={content.goal} lang={lang} />
        </Text>
        <Text size="xs" c="dimmed" lang={staffLang}>
          {t('skills.preview.about', { minutes: content.minutes, screens: content.screens.length })}
        </Text>
      </div>
      {content.screens.map((s, i) => (
        <Card key={`${s.id}-${i}`} withBorder padding="sm" component="section" aria-label={t('skills.preview.screenN', { n: i + 1, of: content.screens.length })} data-screen={s.id}>
          <Stack gap={6}>
            <Text size="xs" c="dimmed" lang={staffLang}>
              {t('skills.preview.screenN', { n: i + 1, of: content.screens.length })} · {kinds[s.kind]} · {s.id}
            </Text>
            <ScreenBody screen={s} lang={lang} staffLang={staffLang} />
          </Stack>
        </Card>
      ))}
      <Card withBorder padding="sm" component="section" aria-label={t('skills.preview.homework')} data-screen="homework">
        <Stack gap={6}>
          <Text size="xs" c="dimmed" lang={staffLang}>
            {t('skills.preview.homework')}
          </Text>
          <Title order={4} size="h5">
            <Say text={content.homework.title} lang={lang} />
          </Title>
          <Text size="sm" component="div">
            <Say text={content.homework.body} lang={lang} block />
          </Text>
          <ExerciseBody exercise={content.homework.exercise} lang={lang} staffLang={staffLang} />
        </Stack>
      </Card>
      <div lang={staffLang}>
        <Text fw={600} size="sm">
          {t('skills.preview.sources')}
        </Text>
        <List size="sm">
          {content.sources.map((s) => (
            <List.Item key={s.id}>
              <Text span size="xs" c="dimmed">
                [{s.id}]
              </Text>{' '}
              {s.citation}
              {s.url ? (
                <>
                  {' '}
                  <Anchor href={s.url} target="_blank" rel="noreferrer noopener" size="sm">
                    {s.url}
                  </Anchor>
                </>
              ) : null}
            </List.Item>
          ))}
        </List>
      </div>
    </Stack>
  );
}

function ScreenBody({ screen, lang, staffLang }: { screen: Screen; lang: Lang; staffLang: Lang }) {
  const { t } = useTranslation();
  if (screen.kind === 'read')
    return (
      <>
        <Title order={4} size="h5">
          <Say text={screen.title} lang={lang} />
        </Title>
        <Text size="sm" component="div">
          <Say text={screen.body} lang={lang} block />
        </Text>
        <Cites ids={screen.sources} staffLang={staffLang} />
      </>
    );
  if (screen.kind === 'exercise')
    return (
      <>
        <Title order={4} size="h5">
          <Say text={screen.title} lang={lang} />
        </Title>
        <ExerciseBody exercise={screen.exercise} lang={lang} staffLang={staffLang} />
      </>
    );
  return (
    <>
      <Title order={4} size="h5">
        <Say text={screen.question} lang={lang} />
      </Title>
      <List size="sm" spacing={4}>
        {screen.options.map((o, i) => (
          <List.Item key={i}>
            <Say text={o.text} lang={lang} />{' '}
            {o.correct ? (
              <InlineBadge tone="ok" lang={staffLang}>
                {t('skills.preview.right')}
              </InlineBadge>
            ) : null}
            <Text size="xs" c="dimmed">
              <Say text={o.feedback} lang={lang} />
            </Text>
          </List.Item>
        ))}
      </List>
      <Cites ids={screen.sources} staffLang={staffLang} />
    </>
  );
}

function Cites({ ids, staffLang }: { ids: string[]; staffLang: Lang }) {
  const { t } = useTranslation();
  return (
    <Text size="xs" c="dimmed" lang={staffLang}>
      {t('skills.preview.cites', { ids: ids.join(', ') })}
    </Text>
  );
}

function ExerciseBody({ exercise, lang, staffLang }: { exercise: Exercise; lang: Lang; staffLang: Lang }) {
  const { t } = useTranslation();
  const rows: ReactNode[] = [];
  if ('example' in exercise && exercise.example)
    rows.push(
      <Text key="example" size="sm">
        <b lang={staffLang}>{t('skills.preview.example')}</b> <Say text={exercise.example} lang={lang} />
      </Text>,
    );
  if (exercise.type === 'craving-log')
    rows.push(
      <Text key="timer" size="sm" lang={staffLang}>
        {t('skills.preview.timer', { minutes: Math.floor(exercise.timerSeconds / 60), seconds: exercise.timerSeconds % 60 })}
      </Text>,
    );
  if (exercise.type === 'decisional-balance')
    rows.push(
      <Text key="change" size="sm">
        <b lang={staffLang}>{t('skills.entry.fields.change')}</b> <Say text={exercise.change} lang={lang} />
      </Text>,
    );
  if (exercise.type === 'activity-scheduler' && exercise.ideas?.length)
    rows.push(
      <div key="ideas">
        <Text size="sm" fw={600} lang={staffLang}>
          {t('skills.preview.ideas')}
        </Text>
        <List size="sm">
          {exercise.ideas.map((idea, i) => (
            <List.Item key={i}>
              <Say text={idea} lang={lang} />
            </List.Item>
          ))}
        </List>
      </div>,
    );
  if (exercise.type === 'role-play')
    exercise.scenes.forEach((scene, i) =>
      rows.push(
        <div key={`scene-${i}`}>
          <Text size="sm" fw={600}>
            <span lang={staffLang}>{t('skills.entry.scene', { n: i + 1 })}:</span> <Say text={scene.prompt} lang={lang} />
          </Text>
          <List size="sm" spacing={2}>
            {scene.choices.map((c, j) => (
              <List.Item key={j}>
                <Say text={c.text} lang={lang} />{' '}
                <InlineBadge tone={c.quality === 'strong' ? 'ok' : c.quality === 'okay' ? 'neutral' : 'warn'} lang={staffLang}>
                  {t(`skills.quality.${c.quality}`)}
                </InlineBadge>
                <Text size="xs" c="dimmed">
                  <Say text={c.feedback} lang={lang} />
                </Text>
              </List.Item>
            ))}
          </List>
        </div>,
      ),
    );
  return (
    <Stack gap={4}>
      <Text size="sm">
        <Badge component="span" variant="light" color="blue" c="gray.9" style={{ textTransform: 'none' }} mr={6} lang={staffLang}>
          {t(`skills.exerciseTypes.${exercise.type}`)}
        </Badge>
        <Say text={exercise.prompt} lang={lang} />
      </Text>
      {rows}
    </Stack>
  );
}

/** A module from the library previewed in a dialog (any version, read:skills). */
export function ModulePreviewModal({ moduleKey, version, onClose }: { moduleKey: string; version?: number; onClose: () => void }) {
  const { t } = useTranslation();
  const q = useModuleDetail(moduleKey, version);
  return (
    <Modal opened onClose={onClose} size="xl" title={t('skills.preview.title', { key: moduleKey, version: q.data?.content.version ?? version ?? '' })}>
      <ErrorAlert error={q.error} />
      {q.isPending ? <Text c="dimmed">{t('common.loading')}</Text> : null}
      {q.data ? <ModulePreview content={q.data.content} /> : null}
    </Modal>
  );
}
