// The craving log with an urge-surfing timer: what was happening, how strong the urge was,
// a countdown to stay with the urge (start and pause by keyboard or touch; a screen reader
// hears the time left at most every 30 seconds), how strong it was after, and what helped.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Rating, TextField } from './fields.tsx';
import type { ExerciseProps } from './types.ts';

export type CravingLogDraft = { situation: string; before: number | null; after: number | null; surfedSeconds: number; whatHelped: string };

export const emptyCravingLog = (): CravingLogDraft => ({ situation: '', before: null, after: null, surfedSeconds: 0, whatHelped: '' });
export const cravingLogData = (d: CravingLogDraft) => d;

/** How often, at most, a screen reader is told the time left. */
const ANNOUNCE_EVERY = 30;

export function CravingLog({ config, value, onChange }: ExerciseProps<'craving-log', CravingLogDraft>) {
  const { t } = useTranslation();
  return (
    <div>
      <TextField label={t('patientApp.skills.craving.situation')} hint={t('patientApp.skills.craving.situationHint')} value={value.situation} onChange={(v) => onChange({ ...value, situation: v })} />
      <Rating legend={t('patientApp.skills.craving.before')} value={value.before} onChange={(v) => onChange({ ...value, before: v })} />
      <UrgeTimer total={config.timerSeconds} elapsed={value.surfedSeconds} onElapsed={(s) => onChange((d) => ({ ...d, surfedSeconds: s }))} />
      <Rating legend={t('patientApp.skills.craving.after')} value={value.after} onChange={(v) => onChange({ ...value, after: v })} />
      <TextField label={t('patientApp.skills.craving.whatHelped')} value={value.whatHelped} onChange={(v) => onChange({ ...value, whatHelped: v })} />
    </div>
  );
}

function UrgeTimer({ total, elapsed, onElapsed }: { total: number; elapsed: number; onElapsed: (s: number) => void }) {
  const { t } = useTranslation();
  const [running, setRunning] = useState(false);
  const [said, setSaid] = useState('');
  const onElapsedRef = useRef(onElapsed);
  onElapsedRef.current = onElapsed;
  const left = Math.max(0, total - elapsed);
  const clock = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  const inWords = (s: number) => t('patientApp.skills.craving.left', { minutes: Math.floor(s / 60), seconds: s % 60 });

  useEffect(() => {
    if (!running) return;
    const startedAt = Date.now();
    const from = elapsed;
    let lastSaid = Math.floor(from / ANNOUNCE_EVERY);
    const timer = window.setInterval(() => {
      const now = Math.min(total, from + Math.floor((Date.now() - startedAt) / 1000));
      onElapsedRef.current(now);
      if (now >= total) {
        setRunning(false);
        setSaid(t('patientApp.skills.craving.timeUp'));
      } else if (Math.floor(now / ANNOUNCE_EVERY) > lastSaid) {
        lastSaid = Math.floor(now / ANNOUNCE_EVERY);
        setSaid(inWords(total - now));
      }
    }, 250);
    return () => window.clearInterval(timer);
    // the interval starts once per press of Start; `elapsed` is read at that moment
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [running]);

  // one button that starts and pauses, so the focus stays on it
  const toggle = () => {
    if (running) {
      setRunning(false);
      setSaid(t('patientApp.skills.craving.paused', { time: inWords(left) }));
    } else if (left === 0) {
      onElapsed(0);
      setSaid('');
    } else {
      setRunning(true);
      setSaid(t('patientApp.skills.craving.started', { time: inWords(left) }));
    }
  };
  const label = running ? 'pause' : left === 0 ? 'reset' : elapsed > 0 ? 'resume' : 'start';
  return (
    <section className="card sk-timer" aria-labelledby="urge-timer-title">
      <h3 id="urge-timer-title">{t('patientApp.skills.craving.timer')}</h3>
      <p className="hint">{t('patientApp.skills.craving.timerHint')}</p>
      <p className="sk-clock" role="timer" aria-label={t('patientApp.skills.craving.timeLeft')}>
        {clock(left)}
      </p>
      <p className="sr-only" aria-live="polite">
        {said}
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={toggle}>
          {t(`patientApp.skills.craving.${label}`)}
        </button>
        {!running && elapsed > 0 && left > 0 ? (
          <button type="button" onClick={() => onElapsed(0)}>
            {t('patientApp.skills.craving.reset')}
          </button>
        ) : null}
      </div>
      {elapsed > 0 ? <p>{t('patientApp.skills.craving.stayed', { time: inWords(elapsed) })}</p> : null}
    </section>
  );
}
