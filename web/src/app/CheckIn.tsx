// The daily check-in (issue 12): mood, craving, any use (and, if they want to say, what),
// the medicine — under a minute — with sleep, stress and a note folded under "More"; and "I am not safe right now", which sends at once. The server runs the programme's risk
// rules (docs/check-ins.md) and says what to show: crisis help (988) or naloxone steps.
// Self-report never changes CM, and the words say so. Each check-in has its own key, so a
// press of Send that is repeated is recorded once.
//
// Offline: a check-in the network could not carry waits on this phone (localStorage, which
// sign-out and revocation wipe) with its key and the time it was made, and is sent when the
// phone is back online or the app next opens; the server records it once, at the time it was
// made (docs/check-ins.md: up to 7 days back).
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { NOTE_MAX, SUBSTANCES, type Substance } from '../../../core/checkins/answers.ts';
import { PatientApiError, patientApi, type CheckInResultT, type PatientCheckInT } from './api.ts';

const QUEUE = 'waypoint.app.check-ins';

function queued(): PatientCheckInT[] {
  try {
    return JSON.parse(localStorage.getItem(QUEUE) ?? '[]') as PatientCheckInT[];
  } catch {
    return [];
  }
}
function setQueued(items: PatientCheckInT[]) {
  if (items.length === 0) localStorage.removeItem(QUEUE);
  else localStorage.setItem(QUEUE, JSON.stringify(items));
}

/** Sends what waits on the phone, oldest first; stops at the first failure of the network. Answers how many are still waiting. */
async function sendQueued(): Promise<number> {
  for (const item of queued()) {
    try {
      await patientApi.checkIn(item);
    } catch (err) {
      // the network (or a locked session): try again later; a refusal of the check-in itself: drop it
      if (!(err instanceof PatientApiError) || err.status === 401) return queued().length;
    }
    setQueued(queued().filter((q) => q.idempotencyKey !== item.idempotencyKey));
  }
  return queued().length;
}

type Medication = 'taken' | 'missed' | 'not-applicable';

function Choices<T extends string | number>({
  name,
  legend,
  options,
  value,
  onChange,
}: {
  name: string;
  legend: string;
  options: Array<{ value: T; label: string }>;
  value: T | null;
  onChange: (v: T) => void;
}) {
  return (
    <fieldset className="choices">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={String(o.value)}>
          <input type="radio" name={name} checked={value === o.value} onChange={() => onChange(o.value)} />
          <span>{o.label}</span>
        </label>
      ))}
    </fieldset>
  );
}

function Result({ result, onDone }: { result: CheckInResultT; onDone: () => void }) {
  const { t } = useTranslation();
  const m = result.messages;
  return (
    <div className="card" role="status" data-testid="check-in-result">
      <p>{m.thanks}</p>
      {m.crisis ? (
        <div className="crisis" data-testid="crisis">
          <h3>{m.crisis.title}</h3>
          <p>{m.crisis.body}</p>
          <p>{m.crisis.call}</p>
          <div className="actions">
            <a className="button primary" href="tel:988">
              {t('patientApp.checkIn.call988')}
            </a>
            <a className="button" href="sms:988">
              {t('patientApp.checkIn.text988')}
            </a>
          </div>
        </div>
      ) : null}
      {m.naloxone ? (
        <div data-testid="naloxone">
          <h3>{m.naloxone.title}</h3>
          <ol>
            {m.naloxone.steps.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
        </div>
      ) : null}
      <button type="button" onClick={onDone}>
        {t('patientApp.checkIn.done')}
      </button>
    </div>
  );
}

export function CheckIn({ onSent }: { onSent?: () => void } = {}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [mood, setMood] = useState<number | null>(null);
  const [craving, setCraving] = useState<number | null>(null);
  const [use, setUse] = useState<'yes' | 'no' | null>(null);
  const [medication, setMedication] = useState<Medication | null>(null);
  const [substances, setSubstances] = useState<Substance[]>([]);
  const [sleep, setSleep] = useState<number | null>(null);
  const [stress, setStress] = useState<number | null>(null);
  const [note, setNote] = useState('');
  /** A sent (or queued) check-in leaves an empty form for the next one. */
  const reset = () => {
    setOpen(false);
    setMood(null);
    setCraving(null);
    setUse(null);
    setMedication(null);
    setSubstances([]);
    setSleep(null);
    setStress(null);
    setNote('');
  };
  const toggle = (v: Substance, on: boolean) => setSubstances((now) => (on ? [...now, v] : now.filter((x) => x !== v)));
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const [result, setResult] = useState<CheckInResultT | null>(null);
  const [waiting, setWaiting] = useState(() => queued().length);

  const flush = useCallback(() => {
    void sendQueued().then(setWaiting);
  }, []);
  useEffect(() => {
    flush();
    window.addEventListener('online', flush);
    return () => window.removeEventListener('online', flush);
  }, [flush]);

  const send = async (answers: PatientCheckInT['answers']) => {
    setBusy(true);
    setFailed(false);
    const item: PatientCheckInT = { answers, idempotencyKey: crypto.randomUUID(), madeAt: new Date().toISOString() };
    try {
      setResult(await patientApi.checkIn(item));
      reset();
      onSent?.();
    } catch (err) {
      if (err instanceof PatientApiError) setFailed(true);
      else {
        // no network: keep it on the phone and send it later
        setQueued([...queued(), item]);
        setWaiting(queued().length);
        reset();
      }
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send({
      ...(mood === null ? {} : { mood }),
      ...(craving === null ? {} : { craving }),
      ...(use === null ? {} : { use: use === 'yes' ? { any: true, substances } : { any: false } }),
      ...(medication === null ? {} : { medication }),
      ...(sleep === null ? {} : { sleep }),
      ...(stress === null ? {} : { stress }),
      ...(note.trim() ? { note: note.trim() } : {}),
    });
  };

  return (
    <section className="card" aria-labelledby="check-in-title" data-testid="check-in">
      <h2 id="check-in-title">{t('patientApp.checkIn.title')}</h2>
      {result ? <Result result={result} onDone={() => setResult(null)} /> : null}
      {waiting > 0 ? (
        <p className="notice" role="status" data-testid="check-in-waiting">
          {t('patientApp.checkIn.waiting', { count: waiting })}
        </p>
      ) : null}
      <button type="button" className="danger" disabled={busy} onClick={() => void send({ notSafe: true })} data-testid="not-safe">
        {t('patientApp.checkIn.notSafe')}
      </button>
      {!open && !result ? (
        <>
          <p>{t('patientApp.checkIn.intro')}</p>
          <button type="button" className="primary" onClick={() => setOpen(true)}>
            {t('patientApp.checkIn.start')}
          </button>
        </>
      ) : null}
      {open ? (
        <form onSubmit={submit}>
          <Choices name="mood" legend={t('patientApp.checkIn.mood')} options={[1, 2, 3, 4, 5].map((v) => ({ value: v, label: t(`patientApp.checkIn.moods.${v}`) }))} value={mood} onChange={setMood} />
          <Choices name="craving" legend={t('patientApp.checkIn.craving')} options={Array.from({ length: 11 }, (_, v) => ({ value: v, label: String(v) }))} value={craving} onChange={setCraving} />
          <Choices
            name="use"
            legend={t('patientApp.checkIn.use')}
            options={[
              { value: 'no' as const, label: t('patientApp.checkIn.no') },
              { value: 'yes' as const, label: t('patientApp.checkIn.yes') },
            ]}
            value={use}
            onChange={setUse}
          />
          {use === 'yes' ? (
            <fieldset className="choices" data-testid="substances">
              <legend>{t('patientApp.checkIn.which')}</legend>
              <p className="hint">{t('patientApp.checkIn.whichHint')}</p>
              {SUBSTANCES.map((v) => (
                <label key={v}>
                  <input type="checkbox" checked={substances.includes(v)} onChange={(e) => toggle(v, e.currentTarget.checked)} />
                  <span>{t(`patientApp.checkIn.substances.${v}`)}</span>
                </label>
              ))}
            </fieldset>
          ) : null}
          <Choices
            name="medication"
            legend={t('patientApp.checkIn.medication')}
            options={(['taken', 'missed', 'not-applicable'] as const).map((v) => ({ value: v, label: t(`patientApp.checkIn.medications.${v}`) }))}
            value={medication}
            onChange={setMedication}
          />
          <details className="more">
            <summary>{t('patientApp.checkIn.more')}</summary>
            <Choices
              name="sleep"
              legend={t('patientApp.checkIn.sleep')}
              options={[1, 2, 3, 4, 5].map((v) => ({ value: v, label: t(`patientApp.checkIn.sleeps.${v}`) }))}
              value={sleep}
              onChange={setSleep}
            />
            <Choices name="stress" legend={t('patientApp.checkIn.stress')} options={Array.from({ length: 11 }, (_, v) => ({ value: v, label: String(v) }))} value={stress} onChange={setStress} />
            <div className="field">
              <label htmlFor="check-in-note">{t('patientApp.checkIn.note')}</label>
              <p className="hint" id="check-in-note-hint">
                {t('patientApp.checkIn.noteHint')}
              </p>
              <textarea id="check-in-note" rows={3} maxLength={NOTE_MAX} value={note} onChange={(e) => setNote(e.target.value)} aria-describedby="check-in-note-hint" />
            </div>
          </details>
          {failed ? (
            <p className="error" role="alert">
              {t('patientApp.checkIn.error')}
            </p>
          ) : null}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('patientApp.wait') : t('patientApp.checkIn.send')}
          </button>
        </form>
      ) : null}
    </section>
  );
}
