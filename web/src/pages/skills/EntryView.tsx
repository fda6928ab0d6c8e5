// One exercise or homework entry, read field by field in words (issue 13): each of the nine
// exercise types has its own readable layout (a chain as Trigger → … → Consequence, a
// decisional balance as its four lists, a role-play as the answers chosen with how firm they
// were …). The module's content at the entry's version names the step and gives a role-play's
// scenes and choices; without it the entry still reads, by number.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { List, Stack, Table, Text } from '@mantine/core';
import type { Exercise } from '../../../../core/skills/module.ts';
import type { ExerciseEntry } from '../../../../core/skills/exercises.ts';
import { formatDate } from '../../format.ts';
import { TableHead } from '../../components/common.tsx';
import { InlineBadge } from './InlineBadge.tsx';
import type { SkillsModule } from '../../queries/skills.ts';
import { say, useLang, type Lang } from './shared.ts';

/** The step an entry was made on: its title and its exercise (from the module at the entry's version). */
export function stepOf(content: SkillsModule | undefined, stepId: string, lang: Lang): { title: string; exercise: Exercise | null } | null {
  if (!content) return null;
  if (stepId === 'homework') return { title: say(content.homework.title, lang), exercise: content.homework.exercise };
  const s = content.screens.find((x) => x.id === stepId);
  if (!s) return null;
  if (s.kind === 'exercise') return { title: say(s.title, lang), exercise: s.exercise };
  return { title: s.kind === 'read' ? say(s.title, lang) : say(s.question, lang), exercise: null };
}

/** Label/value rows; an empty answer says so in words. */
function Facts({ rows }: { rows: Array<[string, ReactNode]> }) {
  return (
    <dl className="facts">
      {rows.map(([k, v]) => (
        <div key={k} style={{ display: 'contents' }}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function useBlank() {
  const { t } = useTranslation();
  return (v: string | null | undefined): ReactNode =>
    v && v.trim() ? (
      <span style={{ whiteSpace: 'pre-wrap' }}>{v}</span>
    ) : (
      <Text span c="dimmed" size="sm">
        {t('skills.entry.empty')}
      </Text>
    );
}

function useRating() {
  const { t } = useTranslation();
  return (v: number | null | undefined): ReactNode =>
    v === null || v === undefined ? (
      <Text span c="dimmed" size="sm">
        {t('skills.entry.empty')}
      </Text>
    ) : (
      t('skills.entry.outOf10', { n: v })
    );
}

function Lines({ title, items }: { title: string; items: string[] }) {
  const { t } = useTranslation();
  return (
    <div>
      <Text fw={600} size="sm">
        {title}
      </Text>
      {items.length ? (
        <List size="sm">
          {items.map((x, i) => (
            <List.Item key={i}>{x}</List.Item>
          ))}
        </List>
      ) : (
        <Text c="dimmed" size="sm">
          {t('skills.entry.empty')}
        </Text>
      )}
    </div>
  );
}

/** A choice's words in quotation marks, unless they carry their own. */
const quoted = (s: string) => (/^["“«'‘]/.test(s.trim()) ? s : `“${s}”`);

const minutesSeconds = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

/** An entry's data as words, for its type. `exercise`: the exercise it answered, when known. */
export function EntryView({ entry, exercise }: { entry: ExerciseEntry; exercise: Exercise | null }) {
  const { t, i18n } = useTranslation();
  const lang = useLang();
  const blank = useBlank();
  const rating = useRating();
  const f = (k: string) => t(`skills.entry.fields.${k}`);
  switch (entry.type) {
    case 'chain': {
      const d = entry.data;
      return <Facts rows={(['trigger', 'thought', 'feeling', 'behaviour', 'consequence'] as const).map((k) => [f(k), blank(d[k])])} />;
    }
    case 'craving-log': {
      const d = entry.data;
      return (
        <Facts
          rows={[
            [f('situation'), blank(d.situation)],
            [f('cravingBefore'), rating(d.before)],
            [f('cravingAfter'), rating(d.after)],
            [f('surfed'), t('skills.entry.surfedValue', { time: minutesSeconds(d.surfedSeconds) })],
            [f('whatHelped'), blank(d.whatHelped)],
          ]}
        />
      );
    }
    case 'role-play': {
      const scenes = exercise?.type === 'role-play' ? exercise.scenes : null;
      return (
        <Stack gap="xs">
          {entry.data.choices.map((c, i) => {
            const scene = scenes?.[i];
            const choice = scene?.choices[c];
            const tone = choice?.quality === 'strong' ? 'ok' : choice?.quality === 'okay' ? 'neutral' : 'warn';
            return (
              <div key={i}>
                <Text size="sm" fw={600}>
                  {t('skills.entry.scene', { n: i + 1 })}
                  {scene ? `: ${say(scene.prompt, lang)}` : ''}
                </Text>
                <Text size="sm">
                  {t('skills.entry.answered')} {choice ? quoted(say(choice.text, lang)) : t('skills.entry.choiceN', { n: c + 1 })}{' '}
                  {choice ? <InlineBadge tone={tone}>{t(`skills.quality.${choice.quality}`)}</InlineBadge> : null}
                </Text>
                {choice ? (
                  <Text size="xs" c="dimmed">
                    {t('skills.entry.feedbackShown', { text: say(choice.feedback, lang) })}
                  </Text>
                ) : null}
              </div>
            );
          })}
        </Stack>
      );
    }
    case 'decisional-balance': {
      const d = entry.data;
      return (
        <Stack gap="xs">
          {exercise?.type === 'decisional-balance' ? (
            <Text size="sm">
              <b>{f('change')}</b> {say(exercise.change, lang)}
            </Text>
          ) : null}
          <Lines title={f('usingGood')} items={d.usingGood} />
          <Lines title={f('usingNotSoGood')} items={d.usingNotSoGood} />
          <Lines title={f('changingGood')} items={d.changingGood} />
          <Lines title={f('changingNotSoGood')} items={d.changingNotSoGood} />
        </Stack>
      );
    }
    case 'change-plan': {
      const d = entry.data;
      return <Facts rows={(['changes', 'reasons', 'steps', 'helpers', 'obstacles', 'signs'] as const).map((k) => [f(`plan_${k}`), blank(d[k])])} />;
    }
    case 'problem-solving': {
      const d = entry.data;
      return (
        <Stack gap="xs">
          <Facts rows={[[f('problem'), blank(d.problem)]]} />
          <Text fw={600} size="sm">
            {f('options')}
          </Text>
          <List size="sm" type="ordered">
            {d.options.map((o, i) => (
              <List.Item key={i}>
                {o.idea} {d.chosen === i ? <InlineBadge tone="ok">{t('skills.entry.chosen')}</InlineBadge> : null}
                <Text size="xs">
                  {f('pros')}: {o.pros || '—'} · {f('cons')}: {o.cons || '—'}
                </Text>
              </List.Item>
            ))}
          </List>
          {d.chosen === null ? (
            <Text size="sm" c="dimmed">
              {t('skills.entry.stillDeciding')}
            </Text>
          ) : null}
          <Facts rows={[[f('plan'), blank(d.plan)]]} />
        </Stack>
      );
    }
    case 'coping-plan': {
      const d = entry.data;
      return (
        <Stack gap="xs">
          <Lines title={f('warningSigns')} items={d.warningSigns} />
          <Lines title={f('copingSteps')} items={d.steps} />
          <Lines title={f('people')} items={d.people} />
          <Lines title={f('places')} items={d.places} />
        </Stack>
      );
    }
    case 'activity-scheduler':
      return (
        <Table fz="sm" verticalSpacing={2}>
          <TableHead labels={[f('activity'), f('day'), f('done'), f('moodBefore'), f('moodAfter')]} />
          <Table.Tbody>
            {entry.data.activities.map((a, i) => (
              <Table.Tr key={i}>
                <Table.Td>{a.what}</Table.Td>
                <Table.Td>{formatDate(a.on, i18n.language)}</Table.Td>
                <Table.Td>{a.done ? `✓ ${t('common.yes')}` : t('common.no')}</Table.Td>
                <Table.Td>{rating(a.moodBefore)}</Table.Td>
                <Table.Td>{rating(a.moodAfter)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      );
    case 'thought-record': {
      const d = entry.data;
      return (
        <Facts
          rows={[
            [f('situation'), blank(d.situation)],
            [f('thought'), blank(d.thought)],
            [f('feeling'), blank(d.feeling)],
            [f('strengthBefore'), rating(d.before)],
            [f('evidenceFor'), blank(d.evidenceFor)],
            [f('evidenceAgainst'), blank(d.evidenceAgainst)],
            [f('balanced'), blank(d.balanced)],
            [f('strengthAfter'), rating(d.after)],
          ]}
        />
      );
    }
  }
}
