// One exercise, whatever its type: the prompt (and the module's example), the typed form, and
// Save — offered once the entry is valid for its type (core ENTRY_SCHEMAS) and says something.
// The draft lives with the caller, so going Back and Next keeps what was typed.
import { useState } from 'react';
import type { Update } from './types.ts';
import { useTranslation } from 'react-i18next';
import { ENTRY_SCHEMAS, hasContent, type ExerciseEntry } from '../../../../../core/skills/exercises.ts';
import { say, type Exercise } from '../../../../../core/skills/module.ts';
import { useLang } from '../text.tsx';
import { ActivityScheduler, activitySchedulerData, emptyActivityScheduler, type ActivitySchedulerDraft } from './ActivityScheduler.tsx';
import { Chain, chainData, emptyChain, type ChainDraft } from './Chain.tsx';
import { ChangePlan, changePlanData, emptyChangePlan, type ChangePlanDraft } from './ChangePlan.tsx';
import { CopingPlan, copingPlanData, emptyCopingPlan, type CopingPlanDraft } from './CopingPlan.tsx';
import { CravingLog, cravingLogData, emptyCravingLog, type CravingLogDraft } from './CravingLog.tsx';
import { DecisionalBalance, decisionalBalanceData, emptyDecisionalBalance, type DecisionalBalanceDraft } from './DecisionalBalance.tsx';
import { ProblemSolving, problemSolvingData, emptyProblemSolving, type ProblemSolvingDraft } from './ProblemSolving.tsx';
import { RolePlay, rolePlayData, emptyRolePlay, type RolePlayDraft } from './RolePlay.tsx';
import { ThoughtRecord, thoughtRecordData, emptyThoughtRecord, type ThoughtRecordDraft } from './ThoughtRecord.tsx';

/** A new, empty draft for an exercise. */
export function emptyDraft(config: Exercise): unknown {
  switch (config.type) {
    case 'chain':
      return emptyChain();
    case 'craving-log':
      return emptyCravingLog();
    case 'role-play':
      return emptyRolePlay();
    case 'decisional-balance':
      return emptyDecisionalBalance();
    case 'change-plan':
      return emptyChangePlan();
    case 'problem-solving':
      return emptyProblemSolving();
    case 'coping-plan':
      return emptyCopingPlan();
    case 'activity-scheduler':
      return emptyActivityScheduler();
    case 'thought-record':
      return emptyThoughtRecord();
  }
}

function dataOf(config: Exercise, draft: unknown): unknown {
  switch (config.type) {
    case 'chain':
      return chainData(draft as ChainDraft);
    case 'craving-log':
      return cravingLogData(draft as CravingLogDraft);
    case 'role-play':
      return rolePlayData(draft as RolePlayDraft, config.scenes.length);
    case 'decisional-balance':
      return decisionalBalanceData(draft as DecisionalBalanceDraft);
    case 'change-plan':
      return changePlanData(draft as ChangePlanDraft);
    case 'problem-solving':
      return problemSolvingData(draft as ProblemSolvingDraft);
    case 'coping-plan':
      return copingPlanData(draft as CopingPlanDraft);
    case 'activity-scheduler':
      return activitySchedulerData(draft as ActivitySchedulerDraft);
    case 'thought-record':
      return thoughtRecordData(draft as ThoughtRecordDraft);
  }
}

/** The entry a draft makes, when it is valid for its type and not empty; else null (Save waits). */
export function entryOf(config: Exercise, draft: unknown): ExerciseEntry | null {
  const parsed = ENTRY_SCHEMAS[config.type].safeParse(dataOf(config, draft));
  if (!parsed.success) return null;
  const entry = { type: config.type, data: parsed.data } as ExerciseEntry;
  return hasContent(entry) ? entry : null;
}

// each form is given its own draft type; the caller keeps drafts of every type
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyUpdate = (d: Update<any>) => void;

function Form({ config, draft, onChange: change }: { config: Exercise; draft: unknown; onChange: (d: Update<unknown>) => void }) {
  const onChange = change as AnyUpdate;
  switch (config.type) {
    case 'chain':
      return <Chain config={config} value={draft as ChainDraft} onChange={onChange} />;
    case 'craving-log':
      return <CravingLog config={config} value={draft as CravingLogDraft} onChange={onChange} />;
    case 'role-play':
      return <RolePlay config={config} value={draft as RolePlayDraft} onChange={onChange} />;
    case 'decisional-balance':
      return <DecisionalBalance config={config} value={draft as DecisionalBalanceDraft} onChange={onChange} />;
    case 'change-plan':
      return <ChangePlan config={config} value={draft as ChangePlanDraft} onChange={onChange} />;
    case 'problem-solving':
      return <ProblemSolving config={config} value={draft as ProblemSolvingDraft} onChange={onChange} />;
    case 'coping-plan':
      return <CopingPlan config={config} value={draft as CopingPlanDraft} onChange={onChange} />;
    case 'activity-scheduler':
      return <ActivityScheduler config={config} value={draft as ActivitySchedulerDraft} onChange={onChange} />;
    case 'thought-record':
      return <ThoughtRecord config={config} value={draft as ThoughtRecordDraft} onChange={onChange} />;
  }
}

export type SaveOutcome = 'sent' | 'waiting' | 'refused';

/**
 * The exercise with its Save (and, on a module's screen, Skip for now). `saved` is what the
 * last save of this draft did; a change to the draft clears it (the caller's job).
 */
export function ExerciseBlock({
  config,
  draft,
  onChange,
  onSave,
  saved,
  saveLabel,
  onSkip,
}: {
  config: Exercise;
  draft: unknown;
  onChange: (d: Update<unknown>) => void;
  onSave: (entry: ExerciseEntry) => Promise<void>;
  saved: SaveOutcome | null;
  saveLabel: string;
  onSkip?: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const [busy, setBusy] = useState(false);
  const entry = entryOf(config, draft);
  const example = 'example' in config && config.example ? say(config.example, lang) : null;
  const save = async () => {
    if (!entry) return;
    setBusy(true);
    try {
      await onSave(entry);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="sk-exercise" data-testid={`exercise-${config.type}`}>
      <p className="sk-prompt">{say(config.prompt, lang)}</p>
      {example ? (
        <details className="more">
          <summary>{t('patientApp.skills.example')}</summary>
          <p>{example}</p>
        </details>
      ) : null}
      <Form config={config} draft={draft} onChange={onChange} />
      <div role="status" aria-live="polite">
        {saved === 'sent' ? <p className="notice">{t('patientApp.skills.saved')}</p> : null}
        {saved === 'waiting' ? <p className="notice">{t('patientApp.skills.waiting')}</p> : null}
      </div>
      {saved === 'refused' ? (
        <p className="error" role="alert">
          {t('patientApp.skills.refused')}
        </p>
      ) : null}
      {!entry && saved === null ? (
        <p className="hint" id="exercise-save-hint">
          {config.type === 'role-play' ? t('patientApp.skills.saveHintRolePlay') : t('patientApp.skills.saveHint')}
        </p>
      ) : null}
      <button
        type="button"
        className="primary"
        disabled={!entry || busy || saved === 'sent' || saved === 'waiting'}
        onClick={() => void save()}
        aria-describedby={!entry ? 'exercise-save-hint' : undefined}
      >
        {busy ? t('patientApp.wait') : saveLabel}
      </button>
      {onSkip && saved !== 'sent' && saved !== 'waiting' ? (
        <button type="button" className="secondary-wide" onClick={onSkip}>
          {t('patientApp.skills.skip')}
        </button>
      ) : null}
    </div>
  );
}
