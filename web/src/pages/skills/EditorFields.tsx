// The module editor's form (issue 13): the module's facts, title and goal, its screens (read,
// check, exercise; added, moved up or down, removed), the homework and the sources. Every text
// has its English and Spanish side by side. Pure form: the page (ModuleEditor.tsx) holds the
// document, lints it and saves it.
import { memo, useCallback, useMemo, useState, type Dispatch, type ReactNode, type SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Card, Checkbox, Group, MultiSelect, NativeSelect, NumberInput, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { EXERCISE_TYPES, MODULE_INTERVENTIONS, TOPICS, type Exercise, type ExerciseType, type Screen, type SkillsModule } from '../../../../core/skills/module.ts';
import { STAGES } from '../../../../core/planning/types.ts';
import { blankChoice, blankExercise, blankOption, blankScene, blankScreen, blankText, freshScreenId } from './moduleDraft.ts';
import type { Lang, TextT } from './shared.ts';

type OnChange<T> = (next: T) => void;
const replace = <T,>(xs: T[], i: number, x: T) => xs.map((y, j) => (j === i ? x : y));
const without = <T,>(xs: T[], i: number) => xs.filter((_, j) => j !== i);

/** One text in English and Spanish, side by side (one above the other on a phone). */
export function BiText({
  label,
  value,
  onChange,
  multiline = false,
  required = true,
  testId,
}: {
  label: string;
  value: TextT;
  onChange: OnChange<TextT>;
  multiline?: boolean;
  required?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  const field = (l: Lang) => {
    const props = {
      label: t('skills.editor.inLanguage', { label, language: t(`languages.${l}`) }),
      value: value[l] ?? '',
      lang: l,
      required,
      maxLength: 2000,
      'data-testid': testId ? `${testId}-${l}` : undefined,
      onChange: (e: { currentTarget: { value: string } }) => onChange({ ...value, [l]: e.currentTarget.value }),
    };
    return multiline ? <Textarea key={l} {...props} autosize minRows={2} /> : <TextInput key={l} {...props} />;
  };
  return <SimpleGrid cols={{ base: 1, sm: 2 }}>{(['en', 'es'] as const).map(field)}</SimpleGrid>;
}

function Block({ title, children, actions }: { title: ReactNode; children: ReactNode; actions?: ReactNode }) {
  return (
    <Card withBorder padding="sm">
      <Stack gap="xs">
        <Group justify="space-between" align="center">
          {title}
          {actions}
        </Group>
        {children}
      </Stack>
    </Card>
  );
}

type SetDoc = Dispatch<SetStateAction<SkillsModule>>;

/**
 * The form. Each screen is a block of its own that re-renders only when that screen changes
 * (the callbacks are stable and update the document by function), so typing stays quick in a
 * module of twenty screens.
 */
export function EditorFields({ doc, setDoc, isNew }: { doc: SkillsModule; setDoc: SetDoc; isNew: boolean }) {
  const { t } = useTranslation();
  const [moved, setMoved] = useState('');
  const set = useCallback(<K extends keyof SkillsModule>(k: K, v: SkillsModule[K]) => setDoc((d) => ({ ...d, [k]: v })), [setDoc]);
  const sourceKey = doc.sources
    .map((s) => s.id)
    .filter(Boolean)
    .join('\n');
  const sourceIds = useMemo(() => (sourceKey ? sourceKey.split('\n') : []), [sourceKey]);
  const setScreen = useCallback((i: number, x: Screen) => setDoc((d) => ({ ...d, screens: replace(d.screens, i, x) })), [setDoc]);
  const removeScreen = useCallback((i: number) => setDoc((d) => ({ ...d, screens: without(d.screens, i) })), [setDoc]);
  const move = useCallback(
    (i: number, by: -1 | 1, id: string) => {
      setDoc((d) => {
        const j = i + by;
        if (j < 0 || j >= d.screens.length) return d;
        const screens = [...d.screens];
        [screens[i], screens[j]] = [screens[j]!, screens[i]!];
        return { ...d, screens };
      });
      setMoved(t('skills.editor.movedTo', { id, n: i + by + 1 }));
      // focus follows the screen to its new place (the same button, or the other one at an end)
      setTimeout(() => {
        const same = document.querySelector<HTMLButtonElement>(`[data-move="${i + by}:${by}"]`);
        (same && !same.disabled ? same : document.querySelector<HTMLButtonElement>(`[data-move="${i + by}:${-by}"]`))?.focus();
      }, 0);
    },
    [setDoc, t],
  );
  const setHomework = useCallback((h: SkillsModule['homework']) => set('homework', h), [set]);
  const setSources = useCallback((x: SkillsModule['sources']) => set('sources', x), [set]);

  return (
    <Stack gap="md">
      <Stack gap="xs" component="section" aria-labelledby="editor-basics">
        <Title order={2} size="h4" id="editor-basics">
          {t('skills.editor.basics')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            label={t('skills.editor.key')}
            description={isNew ? t('skills.editor.keyHint') : t('skills.editor.keyFixed')}
            value={doc.key}
            readOnly={!isNew}
            required
            onChange={(e) => set('key', e.currentTarget.value.trim().toLowerCase())}
            data-testid="module-key"
          />
          <NativeSelect
            label={t('skills.library.topic')}
            value={doc.topic}
            onChange={(e) => set('topic', e.currentTarget.value as SkillsModule['topic'])}
            data={TOPICS.map((x) => ({ value: x, label: t(`skills.topics.${x}`) }))}
          />
          <NumberInput label={t('skills.editor.minutes')} min={1} max={60} value={doc.minutes} onChange={(v) => set('minutes', typeof v === 'number' ? v : Number(v) || 1)} />
        </SimpleGrid>
        <Checkbox.Group
          label={t('skills.editor.interventions')}
          description={t('skills.editor.interventionsHint')}
          value={doc.interventions}
          onChange={(v) => set('interventions', v as SkillsModule['interventions'])}
        >
          <SimpleGrid cols={{ base: 1, sm: 3 }} mt={4} spacing={4}>
            {MODULE_INTERVENTIONS.map((x) => (
              <Checkbox key={x} value={x} label={t(`interventions.${x}`, { defaultValue: x })} />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        <Checkbox.Group label={t('skills.editor.stages')} description={t('skills.editor.stagesHint')} value={doc.stages} onChange={(v) => set('stages', v as SkillsModule['stages'])}>
          <Group mt={4} gap="md">
            {STAGES.map((x) => (
              <Checkbox key={x} value={x} label={t(`stages.${x}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <BiText label={t('skills.editor.title')} value={doc.title} onChange={(v) => set('title', v)} testId="module-title" />
        <BiText label={t('skills.editor.goal')} value={doc.goal} onChange={(v) => set('goal', v)} multiline />
      </Stack>

      <Stack gap="xs" component="section" aria-labelledby="editor-screens">
        <Title order={2} size="h4" id="editor-screens">
          {t('skills.editor.screens', { count: doc.screens.length })}
        </Title>
        <Text size="xs" c="dimmed">
          {t('skills.editor.screensHint')}
        </Text>
        <div role="status" aria-live="polite" className="sr-only">
          {moved}
        </div>
        {doc.screens.map((s, i) => (
          <ScreenBlock key={i} screen={s} index={i} last={i === doc.screens.length - 1} sourceIds={sourceIds} setScreen={setScreen} removeScreen={removeScreen} move={move} />
        ))}
        <Group gap="xs">
          {(['read', 'check', 'exercise'] as const).map((k) => (
            <Button key={k} size="xs" variant="light" onClick={() => setDoc((d) => ({ ...d, screens: [...d.screens, blankScreen(k, freshScreenId(d))] }))}>
              {t(`skills.editor.add.${k}`)}
            </Button>
          ))}
        </Group>
      </Stack>

      <HomeworkFields homework={doc.homework} onChange={setHomework} />
      <SourcesFields sources={doc.sources} onChange={setSources} />
    </Stack>
  );
}

const ScreenBlock = memo(function ScreenBlock({
  screen,
  index: i,
  last,
  sourceIds,
  setScreen,
  removeScreen,
  move,
}: {
  screen: Screen;
  index: number;
  last: boolean;
  sourceIds: string[];
  setScreen: (i: number, x: Screen) => void;
  removeScreen: (i: number) => void;
  move: (i: number, by: -1 | 1, id: string) => void;
}) {
  const { t } = useTranslation();
  const onChange = useCallback((x: Screen) => setScreen(i, x), [setScreen, i]);
  return (
    <Block
      title={
        <Title order={3} size="h5">
          {t('skills.editor.screenN', { n: i + 1, kind: t(`skills.preview.kinds.${screen.kind}`) })}
        </Title>
      }
      actions={
        <Group gap={4}>
          <Button size="compact-xs" variant="default" disabled={i === 0} onClick={() => move(i, -1, screen.id)} data-move={`${i}:-1`} aria-label={t('skills.editor.moveUp', { n: i + 1 })}>
            <span aria-hidden="true">↑</span>
          </Button>
          <Button size="compact-xs" variant="default" disabled={last} onClick={() => move(i, 1, screen.id)} data-move={`${i}:1`} aria-label={t('skills.editor.moveDown', { n: i + 1 })}>
            <span aria-hidden="true">↓</span>
          </Button>
          <Button size="compact-xs" variant="subtle" color="red" onClick={() => removeScreen(i)} aria-label={t('skills.editor.removeScreen', { n: i + 1 })}>
            {t('skills.editor.remove')}
          </Button>
        </Group>
      }
    >
      <ScreenFields screen={screen} sourceIds={sourceIds} onChange={onChange} />
    </Block>
  );
});

const HomeworkFields = memo(function HomeworkFields({ homework, onChange }: { homework: SkillsModule['homework']; onChange: OnChange<SkillsModule['homework']> }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" component="section" aria-labelledby="editor-homework">
      <Title order={2} size="h4" id="editor-homework">
        {t('skills.preview.homework')}
      </Title>
      <BiText label={t('skills.editor.title')} value={homework.title} onChange={(v) => onChange({ ...homework, title: v })} />
      <BiText label={t('skills.editor.body')} value={homework.body} onChange={(v) => onChange({ ...homework, body: v })} multiline />
      <ExerciseFields exercise={homework.exercise} onChange={(e) => onChange({ ...homework, exercise: e })} />
    </Stack>
  );
});

const SourcesFields = memo(function SourcesFields({ sources, onChange }: { sources: SkillsModule['sources']; onChange: OnChange<SkillsModule['sources']> }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" component="section" aria-labelledby="editor-sources">
      <Title order={2} size="h4" id="editor-sources">
        {t('skills.preview.sources')}
      </Title>
      <Text size="xs" c="dimmed">
        {t('skills.editor.sourcesHint')}
      </Text>
      {sources.map((s, i) => (
        <Block
          key={i}
          title={
            <Text fw={600} size="sm">
              {t('skills.editor.sourceN', { n: i + 1 })}
            </Text>
          }
          actions={
            <Button size="compact-xs" variant="subtle" color="red" onClick={() => onChange(without(sources, i))} aria-label={t('skills.editor.removeSource', { n: i + 1 })}>
              {t('skills.editor.remove')}
            </Button>
          }
        >
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput label={t('skills.editor.sourceId')} value={s.id} required onChange={(e) => onChange(replace(sources, i, { ...s, id: e.currentTarget.value.trim().toLowerCase() }))} />
            <TextInput
              label={t('skills.editor.url')}
              type="url"
              value={s.url ?? ''}
              onChange={(e) => {
                const { url: _drop, ...rest } = s;
                onChange(replace(sources, i, e.currentTarget.value ? { ...rest, url: e.currentTarget.value } : rest));
              }}
            />
          </SimpleGrid>
          <Textarea label={t('skills.editor.citation')} value={s.citation} required autosize minRows={2} onChange={(e) => onChange(replace(sources, i, { ...s, citation: e.currentTarget.value }))} />
        </Block>
      ))}
      <Group>
        <Button size="xs" variant="light" onClick={() => onChange([...sources, { id: `source-${sources.length + 1}`, citation: '' }])}>
          {t('skills.editor.addSource')}
        </Button>
      </Group>
    </Stack>
  );
});

function Cites({ value, sourceIds, onChange }: { value: string[]; sourceIds: string[]; onChange: OnChange<string[]> }) {
  const { t } = useTranslation();
  return (
    <MultiSelect
      label={t('skills.editor.cites')}
      description={t('skills.editor.citesHint')}
      data={[...new Set([...sourceIds, ...value])]}
      value={value}
      onChange={onChange}
      required
      comboboxProps={{ withinPortal: true }}
    />
  );
}

function ScreenFields({ screen, sourceIds, onChange }: { screen: Screen; sourceIds: string[]; onChange: OnChange<Screen> }) {
  const { t } = useTranslation();
  const id = (
    <TextInput
      label={t('skills.editor.screenId')}
      description={t('skills.editor.screenIdHint')}
      value={screen.id}
      required
      onChange={(e) => onChange({ ...screen, id: e.currentTarget.value.trim().toLowerCase() })}
    />
  );
  if (screen.kind === 'read')
    return (
      <Stack gap="xs">
        {id}
        <BiText label={t('skills.editor.title')} value={screen.title} onChange={(v) => onChange({ ...screen, title: v })} />
        <BiText label={t('skills.editor.body')} value={screen.body} onChange={(v) => onChange({ ...screen, body: v })} multiline />
        <Cites value={screen.sources} sourceIds={sourceIds} onChange={(v) => onChange({ ...screen, sources: v })} />
      </Stack>
    );
  if (screen.kind === 'exercise')
    return (
      <Stack gap="xs">
        {id}
        <BiText label={t('skills.editor.title')} value={screen.title} onChange={(v) => onChange({ ...screen, title: v })} />
        <ExerciseFields exercise={screen.exercise} onChange={(e) => onChange({ ...screen, exercise: e })} />
      </Stack>
    );
  return (
    <Stack gap="xs">
      {id}
      <BiText label={t('skills.editor.question')} value={screen.question} onChange={(v) => onChange({ ...screen, question: v })} />
      {screen.options.map((o, j) => (
        <Card key={j} withBorder padding="xs" bg="gray.0">
          <Stack gap={6}>
            <Group justify="space-between">
              <Checkbox
                label={t('skills.editor.rightAnswer', { n: j + 1 })}
                checked={o.correct}
                onChange={(e) => onChange({ ...screen, options: replace(screen.options, j, { ...o, correct: e.currentTarget.checked }) })}
              />
              <Button
                size="compact-xs"
                variant="subtle"
                color="red"
                disabled={screen.options.length <= 2}
                onClick={() => onChange({ ...screen, options: without(screen.options, j) })}
                aria-label={t('skills.editor.removeOption', { n: j + 1 })}
              >
                {t('skills.editor.remove')}
              </Button>
            </Group>
            <BiText label={t('skills.editor.optionN', { n: j + 1 })} value={o.text} onChange={(v) => onChange({ ...screen, options: replace(screen.options, j, { ...o, text: v }) })} />
            <BiText label={t('skills.editor.feedback')} value={o.feedback} onChange={(v) => onChange({ ...screen, options: replace(screen.options, j, { ...o, feedback: v }) })} />
          </Stack>
        </Card>
      ))}
      <Group>
        <Button size="xs" variant="light" disabled={screen.options.length >= 5} onClick={() => onChange({ ...screen, options: [...screen.options, blankOption()] })}>
          {t('skills.editor.addOption')}
        </Button>
      </Group>
      <Cites value={screen.sources} sourceIds={sourceIds} onChange={(v) => onChange({ ...screen, sources: v })} />
    </Stack>
  );
}

function ExerciseFields({ exercise, onChange }: { exercise: Exercise; onChange: OnChange<Exercise> }) {
  const { t } = useTranslation();
  const e = exercise;
  return (
    <Stack gap="xs">
      <NativeSelect
        label={t('skills.editor.exerciseType')}
        value={e.type}
        onChange={(ev) => onChange(blankExercise(ev.currentTarget.value as ExerciseType, e.prompt))}
        data={EXERCISE_TYPES.map((x) => ({ value: x, label: t(`skills.exerciseTypes.${x}`) }))}
      />
      <BiText label={t('skills.editor.prompt')} value={e.prompt} onChange={(v) => onChange({ ...e, prompt: v })} multiline />
      {'example' in e || e.type === 'chain' || e.type === 'problem-solving' || e.type === 'thought-record' ? (
        <BiText
          label={t('skills.editor.example')}
          value={('example' in e ? e.example : undefined) ?? blankText()}
          onChange={(v) => onChange({ ...e, example: v } as Exercise)}
          multiline
          required={false}
        />
      ) : null}
      {e.type === 'craving-log' ? (
        <NumberInput
          label={t('skills.editor.timerSeconds')}
          description={t('skills.editor.timerHint')}
          min={30}
          max={1800}
          step={30}
          value={e.timerSeconds}
          onChange={(v) => onChange({ ...e, timerSeconds: typeof v === 'number' ? v : Number(v) || 30 })}
        />
      ) : null}
      {e.type === 'decisional-balance' ? <BiText label={t('skills.editor.change')} value={e.change} onChange={(v) => onChange({ ...e, change: v })} /> : null}
      {e.type === 'activity-scheduler' ? (
        <Stack gap={6}>
          {(e.ideas ?? []).map((idea, i) => (
            <Group key={i} align="flex-end" wrap="nowrap">
              <div style={{ flex: 1 }}>
                <BiText label={t('skills.editor.ideaN', { n: i + 1 })} value={idea} onChange={(v) => onChange({ ...e, ideas: replace(e.ideas ?? [], i, v) })} />
              </div>
              <Button size="compact-xs" variant="subtle" color="red" onClick={() => onChange({ ...e, ideas: without(e.ideas ?? [], i) })} aria-label={t('skills.editor.removeIdea', { n: i + 1 })}>
                {t('skills.editor.remove')}
              </Button>
            </Group>
          ))}
          <Group>
            <Button size="xs" variant="light" disabled={(e.ideas ?? []).length >= 12} onClick={() => onChange({ ...e, ideas: [...(e.ideas ?? []), blankText()] })}>
              {t('skills.editor.addIdea')}
            </Button>
          </Group>
        </Stack>
      ) : null}
      {e.type === 'role-play' ? (
        <Stack gap={6}>
          {e.scenes.map((scene, i) => (
            <Card key={i} withBorder padding="xs" bg="gray.0">
              <Stack gap={6}>
                <Group justify="space-between">
                  <Text fw={600} size="sm">
                    {t('skills.entry.scene', { n: i + 1 })}
                  </Text>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    disabled={e.scenes.length <= 1}
                    onClick={() => onChange({ ...e, scenes: without(e.scenes, i) })}
                    aria-label={t('skills.editor.removeScene', { n: i + 1 })}
                  >
                    {t('skills.editor.remove')}
                  </Button>
                </Group>
                <BiText label={t('skills.editor.scenePrompt')} value={scene.prompt} onChange={(v) => onChange({ ...e, scenes: replace(e.scenes, i, { ...scene, prompt: v }) })} />
                {scene.choices.map((c, j) => {
                  const setChoice = (x: typeof c) => onChange({ ...e, scenes: replace(e.scenes, i, { ...scene, choices: replace(scene.choices, j, x) }) });
                  return (
                    <Stack key={j} gap={4} pl="sm" style={{ borderLeft: '3px solid var(--mantine-color-gray-4)' }}>
                      <Group justify="space-between" align="flex-end">
                        <NativeSelect
                          label={t('skills.editor.choiceQuality', { n: j + 1 })}
                          value={c.quality}
                          onChange={(ev) => setChoice({ ...c, quality: ev.currentTarget.value as typeof c.quality })}
                          data={(['strong', 'okay', 'weak'] as const).map((q) => ({ value: q, label: t(`skills.quality.${q}`) }))}
                        />
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          color="red"
                          disabled={scene.choices.length <= 2}
                          onClick={() => onChange({ ...e, scenes: replace(e.scenes, i, { ...scene, choices: without(scene.choices, j) }) })}
                          aria-label={t('skills.editor.removeChoice', { n: j + 1, scene: i + 1 })}
                        >
                          {t('skills.editor.remove')}
                        </Button>
                      </Group>
                      <BiText label={t('skills.editor.choiceN', { n: j + 1 })} value={c.text} onChange={(v) => setChoice({ ...c, text: v })} />
                      <BiText label={t('skills.editor.feedback')} value={c.feedback} onChange={(v) => setChoice({ ...c, feedback: v })} />
                    </Stack>
                  );
                })}
                <Group>
                  <Button
                    size="xs"
                    variant="light"
                    disabled={scene.choices.length >= 4}
                    onClick={() => onChange({ ...e, scenes: replace(e.scenes, i, { ...scene, choices: [...scene.choices, blankChoice('okay')] }) })}
                  >
                    {t('skills.editor.addChoice')}
                  </Button>
                </Group>
              </Stack>
            </Card>
          ))}
          <Group>
            <Button size="xs" variant="light" disabled={e.scenes.length >= 5} onClick={() => onChange({ ...e, scenes: [...e.scenes, blankScene()] })}>
              {t('skills.editor.addScene')}
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Stack>
  );
}
