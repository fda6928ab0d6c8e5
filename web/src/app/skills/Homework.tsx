// A module's homework: what to do in the days after, the exercise to record it with
// "Save homework", and what the counsellor wrote back about homework already handed in.
// Opened after finishing the module, or later from the list.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { say, type SkillsModule } from '../../../../core/skills/module.ts';
import type { AppCommentT } from './api.ts';
import { Comments } from './Comments.tsx';
import { emptyDraft, ExerciseBlock, type SaveOutcome } from './exercises/index.tsx';
import { newId, submit } from './offline.ts';
import { Body, useLang } from './text.tsx';

export function Homework({ doc, comments, onClose }: { doc: SkillsModule; comments: AppCommentT[]; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const hw = doc.homework;
  const [draft, setDraft] = useState<unknown>(() => emptyDraft(hw.exercise));
  const [saved, setSaved] = useState<SaveOutcome | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby="sk-homework" className="sk-player" data-testid="homework">
      <p className="sk-module-title">{say(doc.title, lang)}</p>
      <p className="sk-kind">{t('patientApp.skills.homework')}</p>
      <h1 id="sk-homework" ref={heading} tabIndex={-1}>
        {say(hw.title, lang)}
      </h1>
      <Body text={say(hw.body, lang)} />
      <ExerciseBlock
        config={hw.exercise}
        draft={draft}
        onChange={(d) => {
          setDraft(d);
          setSaved(null);
        }}
        saved={saved}
        saveLabel={t('patientApp.skills.saveHomework')}
        onSave={async (entry) => {
          const r = await submit({ kind: 'entry', body: { id: newId(), moduleKey: doc.key, version: doc.version, stepId: 'homework', homework: true, entry, at: new Date().toISOString() } });
          setSaved(r.status);
        }}
      />
      <Comments comments={comments.filter((c) => c.moduleKey === doc.key && c.stepId === 'homework')} />
      <button type="button" className="secondary-wide" onClick={onClose}>
        {t('patientApp.skills.backToList')}
      </button>
    </section>
  );
}
