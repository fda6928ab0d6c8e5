// The module player (issue 13): the goal first, then one screen at a time — something to
// read, a question to check (any answer moves on; the feedback teaches), or an exercise
// (saved, or skipped for now) — with Back and Next, "Screen 3 of 9", and focus on each new
// screen's heading. Each screen reached is sent (or kept on the phone until it can be);
// Finish sends the completion and shows what it earned; then the homework.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { say, type Screen, type SkillsModule } from '../../../../core/skills/module.ts';
import { formatCents } from '../../format.ts';
import type { AppCommentT, AppCompletionResultT, AppModuleT } from './api.ts';
import { emptyDraft, ExerciseBlock, type SaveOutcome } from './exercises/index.tsx';
import { newId, noteProgress, submit } from './offline.ts';
import { Body, useLang } from './text.tsx';
import { Comments } from './Comments.tsx';

type Stage = { at: 'intro' } | { at: number } | { at: 'done'; outcome: 'sent' | 'waiting' | 'refused'; earned: AppCompletionResultT['earned'] };

const now = () => new Date().toISOString();

export function Player({ mod, doc, comments, onClose, onHomework }: { mod: AppModuleT; doc: SkillsModule; comments: AppCommentT[]; onClose: () => void; onHomework: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [stage, setStage] = useState<Stage>({ at: 'intro' });
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const [drafts, setDrafts] = useState<Record<string, unknown>>({});
  // an exercise screen is done once saved or skipped; `saved` is what the last Save of the current draft did
  const [done, setDone] = useState<Record<string, true>>({});
  const [saved, setSaved] = useState<Record<string, SaveOutcome | null>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [offline, setOffline] = useState(false);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const posted = useRef(mod.furthestScreen ?? -1);
  const screens = doc.screens;
  const resumeAt = mod.furthestScreen !== null && mod.status !== 'completed' ? Math.min(mod.furthestScreen, screens.length - 1) : null;

  // a new screen: its heading takes the focus (a screen reader starts there), and it is sent once
  const key = String(stage.at);
  useEffect(() => {
    heading.current?.focus();
    setProblem(null);
    if (typeof stage.at !== 'number' || stage.at <= posted.current) return;
    posted.current = stage.at;
    noteProgress(doc.key, doc.version, { screen: stage.at });
    void submit({ kind: 'screen', body: { moduleKey: doc.key, version: doc.version, screen: stage.at, at: now() } }).then((r) => setOffline(r.status === 'waiting'));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const finish = async () => {
    setBusy(true);
    try {
      const r = await submit({ kind: 'completion', body: { moduleKey: doc.key, version: doc.version, at: now() } });
      if (r.status !== 'refused') noteProgress(doc.key, doc.version, { completed: true });
      setStage({ at: 'done', outcome: r.status, earned: r.status === 'sent' ? r.result.earned : null });
    } finally {
      setBusy(false);
    }
  };

  if (stage.at === 'intro')
    return (
      <section aria-labelledby="sk-goal" className="sk-player">
        <p className="sk-module-title">{say(doc.title, lang)}</p>
        <h1 id="sk-goal" ref={heading} tabIndex={-1}>
          {t('patientApp.skills.goal')}
        </h1>
        <p className="sk-goal">{say(doc.goal, lang)}</p>
        <p className="hint">{t('patientApp.skills.about', { minutes: doc.minutes, count: screens.length })}</p>
        {resumeAt !== null && resumeAt > 0 ? (
          <>
            <button type="button" className="primary" onClick={() => setStage({ at: resumeAt })} data-testid="player-continue">
              {t('patientApp.skills.continueAt', { n: resumeAt + 1 })}
            </button>
            <button type="button" className="secondary-wide" onClick={() => setStage({ at: 0 })}>
              {t('patientApp.skills.fromStart')}
            </button>
          </>
        ) : (
          <button type="button" className="primary" onClick={() => setStage({ at: 0 })} data-testid="player-start">
            {t('patientApp.skills.begin')}
          </button>
        )}
        <button type="button" className="secondary-wide" onClick={onClose}>
          {t('patientApp.skills.backToList')}
        </button>
      </section>
    );

  if (stage.at === 'done')
    return (
      <section aria-labelledby="sk-done" className="sk-player" data-testid="player-done">
        <p className="sk-module-title">{say(doc.title, lang)}</p>
        <h1 id="sk-done" ref={heading} tabIndex={-1}>
          {stage.outcome === 'refused' ? t('patientApp.skills.notFinished') : t('patientApp.skills.wellDone')}
        </h1>
        {stage.outcome === 'refused' ? <p>{t('patientApp.skills.notFinishedHint')}</p> : <p>{t('patientApp.skills.finished', { title: say(doc.title, lang) })}</p>}
        {stage.earned ? <p className="sk-earned">{earnedText(t, stage.earned, lang)}</p> : null}
        {stage.outcome === 'waiting' ? (
          <p className="notice" role="status">
            {t('patientApp.skills.waiting')}
          </p>
        ) : null}
        <h2>{say(doc.homework.title, lang)}</h2>
        <p>{t('patientApp.skills.homeworkIntro')}</p>
        <button type="button" className="primary" onClick={onHomework} data-testid="open-homework">
          {t('patientApp.skills.doHomework')}
        </button>
        <button type="button" className="secondary-wide" onClick={onClose}>
          {t('patientApp.skills.backToList')}
        </button>
      </section>
    );

  const index = stage.at;
  const screen = screens[index]!;
  const last = index === screens.length - 1;
  const ready = screen.kind === 'read' || (screen.kind === 'check' ? answers[screen.id] !== undefined : done[screen.id] === true);
  const next = () => {
    if (!ready) return setProblem(screen.kind === 'check' ? t('patientApp.skills.answerFirst') : t('patientApp.skills.saveFirst'));
    if (last) void finish();
    else setStage({ at: index + 1 });
  };

  return (
    <section aria-labelledby={`sk-screen-${index}`} className="sk-player" data-testid="player">
      <p className="sk-module-title">{say(doc.title, lang)}</p>
      <p className="sk-count">{t('patientApp.skills.screenOf', { n: index + 1, total: screens.length })}</p>
      <Bar n={index + 1} of={screens.length} />
      {screen.kind === 'read' ? (
        <>
          <h1 id={`sk-screen-${index}`} ref={heading} tabIndex={-1}>
            {say(screen.title, lang)}
          </h1>
          <Body text={say(screen.body, lang)} />
        </>
      ) : null}
      {screen.kind === 'check' ? (
        <CheckScreen
          screen={screen}
          index={index}
          heading={heading}
          answer={answers[screen.id] ?? null}
          onAnswer={(i) => {
            setAnswers((a) => ({ ...a, [screen.id]: i }));
            setProblem(null);
          }}
        />
      ) : null}
      {screen.kind === 'exercise' ? (
        <>
          <h1 id={`sk-screen-${index}`} ref={heading} tabIndex={-1}>
            {say(screen.title, lang)}
          </h1>
          <ExerciseBlock
            config={screen.exercise}
            draft={drafts[screen.id] ?? emptyDraft(screen.exercise)}
            onChange={(d) => {
              setDrafts((x) => ({ ...x, [screen.id]: typeof d === 'function' ? d(x[screen.id] ?? emptyDraft(screen.exercise)) : d }));
              setSaved((x) => ({ ...x, [screen.id]: null }));
            }}
            saved={saved[screen.id] ?? null}
            saveLabel={t('patientApp.skills.save')}
            onSave={async (entry) => {
              const r = await submit({ kind: 'entry', body: { id: newId(), moduleKey: doc.key, version: doc.version, stepId: screen.id, homework: false, entry, at: now() } });
              setSaved((x) => ({ ...x, [screen.id]: r.status }));
              if (r.status !== 'refused') {
                setDone((x) => ({ ...x, [screen.id]: true }));
                setProblem(null);
              }
            }}
            onSkip={() => {
              setDone((x) => ({ ...x, [screen.id]: true }));
              if (last) void finish();
              else setStage({ at: index + 1 });
            }}
          />
          <Comments comments={comments.filter((c) => c.moduleKey === doc.key && c.stepId === screen.id)} />
        </>
      ) : null}
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
      ) : null}
      {offline ? (
        <p className="notice" role="status">
          {t('patientApp.skills.waiting')}
        </p>
      ) : null}
      <div className="sk-nav">
        <button type="button" onClick={() => setStage(index === 0 ? { at: 'intro' } : { at: index - 1 })}>
          {t('patientApp.skills.back')}
        </button>
        <button type="button" className="primary" disabled={busy} onClick={next} data-testid="player-next">
          {busy ? t('patientApp.wait') : last ? t('patientApp.skills.finish') : t('patientApp.next')}
        </button>
      </div>
    </section>
  );
}

/** "You earned $3.00 and 1 draw", money as on Rewards. */
export function earnedText(t: (k: string, o?: Record<string, unknown>) => string, earned: NonNullable<AppCompletionResultT['earned']>, lang: string): string {
  const money = formatCents(earned.voucherCents, lang);
  if (earned.draws > 0 && earned.voucherCents > 0) return t('patientApp.skills.earnedBoth', { money, count: earned.draws });
  if (earned.draws > 0) return t('patientApp.skills.earnedDraws', { count: earned.draws });
  return t('patientApp.skills.earnedMoney', { money });
}

function Bar({ n, of }: { n: number; of: number }) {
  return (
    <div className="sk-bar" aria-hidden="true">
      <span style={{ width: `${Math.round((n / of) * 100)}%` }} />
    </div>
  );
}
export { Bar };

function CheckScreen({
  screen,
  index,
  heading,
  answer,
  onAnswer,
}: {
  screen: Extract<Screen, { kind: 'check' }>;
  index: number;
  heading: React.RefObject<HTMLHeadingElement | null>;
  answer: number | null;
  onAnswer: (i: number) => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const chosen = answer === null ? null : screen.options[answer];
  const id = `sk-screen-${index}`;
  return (
    <>
      <p className="sk-kind">{t('patientApp.skills.checkTitle')}</p>
      <h1 id={id} ref={heading} tabIndex={-1}>
        {say(screen.question, lang)}
      </h1>
      <fieldset className="sk-options" aria-labelledby={id}>
        {screen.options.map((o, i) => (
          <label key={i}>
            <input type="radio" name={`check-${screen.id}`} checked={answer === i} onChange={() => onAnswer(i)} />
            <span>{say(o.text, lang)}</span>
          </label>
        ))}
      </fieldset>
      <div aria-live="polite">
        {chosen ? (
          <div className={`sk-feedback ${chosen.correct ? 'strong' : 'okay'}`} data-testid="check-feedback">
            <p>
              <span aria-hidden="true">{chosen.correct ? '✓ ' : '↻ '}</span>
              <strong>{chosen.correct ? t('patientApp.skills.right') : t('patientApp.skills.notQuite')}</strong>
            </p>
            <p>{say(chosen.feedback, lang)}</p>
          </div>
        ) : null}
      </div>
    </>
  );
}
