// "My sessions" for a CRAFT client (issue 16): the concerned significant other's own course on
// their phone — the next session, the twelve sessions with topic and homework, one session's
// points and its homework (write the answer or tick the checklist → Save → Done), and "How are
// you doing?": their own PHQ-9 or GAD-7 (the publisher's wording from the server, one simple
// list, answers in plain words), the result in plain words and Help now at once when question 9
// is above "not at all". Everything here is the CSO's own record (GET /api/patient/family/craft);
// nothing about any patient. Rendered by the family shell's "My sessions" tab (FamilyApp.tsx).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { familyApi, PatientApiError, type MyCraftT, type WellbeingResultT } from '../api.ts';
import { HelpNow } from '../HelpNow.tsx';
import { useLoaded } from '../useLoaded.ts';

type Session = NonNullable<MyCraftT['course']>['sessions'][number];
type View = { at: 'list' } | { at: 'session'; number: number } | { at: 'wellbeing' } | { at: 'help' };

export function CraftSessions({ lang: recorded }: { lang: 'en' | 'es' }) {
  const { t, i18n } = useTranslation();
  // the language on screen (the clinic's record first; the language button changes it): the topics and dates follow it
  const lang: 'en' | 'es' = i18n.language === 'es' ? 'es' : i18n.language === 'en' ? 'en' : recorded;
  const loaded = useLoaded(() => familyApi.craft(lang), lang);
  const { data, failed, setData } = loaded;
  const [view, setView] = useState<View>({ at: 'list' });
  const top = useRef<HTMLDivElement>(null);
  const moved = useRef(false);
  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    const h = top.current?.querySelector<HTMLHeadingElement>('h1, h2');
    if (!h) return;
    h.setAttribute('tabindex', '-1');
    h.focus();
  }, [view]);
  const go = (v: View) => {
    moved.current = true;
    setView(v);
  };
  const when = (d: string) => new Intl.DateTimeFormat(lang, { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`));

  if (view.at === 'help')
    return (
      <div ref={top}>
        <HelpNow signedIn={false} onBack={() => go({ at: 'list' })} />
      </div>
    );
  if (!data && !failed) return <p>{t('patientApp.loading')}</p>;
  if (failed || !data)
    return (
      <p className="error" role="alert">
        {t('patientApp.errors.generic')}
      </p>
    );
  const course = data.course;
  const session = view.at === 'session' ? course?.sessions.find((s) => s.number === view.number) : undefined;

  return (
    <div ref={top} data-testid="craft-sessions">
      {view.at === 'wellbeing' ? (
        <Wellbeing
          forms={data.forms}
          onBack={() => go({ at: 'list' })}
          onHelp={() => go({ at: 'help' })}
          onSaved={(r) => setData((d) => (d ? { ...d, wellbeing: [r.assessment, ...d.wellbeing], trend: r.trend } : d))}
        />
      ) : session ? (
        <SessionView session={session} lang={lang} when={when} onBack={() => go({ at: 'list' })} onSaved={(fresh) => setData(fresh)} closed={course?.closed ?? true} />
      ) : (
        <section aria-labelledby="craft-title">
          <h1 id="craft-title">{t('patientApp.family.craft.title')}</h1>
          {!course ? (
            <p className="notice" data-testid="craft-none">
              {t('patientApp.family.craft.none')}
            </p>
          ) : (
            <>
              <p>{t('patientApp.family.craft.intro', { lovedOne: course.lovedOne })}</p>
              {course.summary.next ? (
                <p className="notice" data-testid="craft-next">
                  <strong>{t('patientApp.family.craft.next')}</strong> {when(course.summary.next.scheduledOn)} — {course.sessions.find((s) => s.number === course.summary.next?.number)?.title}
                </p>
              ) : null}
              <p>{t('patientApp.family.craft.progress', { held: course.summary.held, done: course.summary.homeworkDone })}</p>
              <ul className="plain craft-list">
                {course.sessions.map((s) => (
                  <li key={s.number} className="card craft-item">
                    <button type="button" className="card-button" onClick={() => go({ at: 'session', number: s.number })} data-testid={`craft-open-${s.number}`}>
                      <strong>
                        {s.number}. {s.title}
                      </strong>
                      <span className="hint">
                        {when(s.scheduledOn)} · {s.homeworkDoneAt ? `✓ ${t('patientApp.family.craft.done')}` : s.open ? t('patientApp.family.craft.todo') : t('patientApp.family.craft.laterShort')}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          <button type="button" className="primary secondary-wide" onClick={() => go({ at: 'wellbeing' })} data-testid="craft-wellbeing-open">
            {t('patientApp.family.craft.howAreYou')}
          </button>
        </section>
      )}
    </div>
  );
}

function SessionView({
  session,
  lang,
  when,
  onBack,
  onSaved,
  closed,
}: {
  session: Session;
  lang: 'en' | 'es';
  when: (d: string) => string;
  onBack: () => void;
  onSaved: (d: MyCraftT) => void;
  closed: boolean;
}) {
  const { t } = useTranslation();
  const hw = session.homework;
  const checkedBefore = new Set((session.homeworkResponse ?? '').split('\n').filter(Boolean));
  const [text, setText] = useState(hw.kind === 'question' ? (session.homeworkResponse ?? '') : '');
  const [ticks, setTicks] = useState<Set<string>>(hw.kind === 'checklist' ? new Set(hw.items.filter((i) => checkedBefore.has(i))) : new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const id = `craft-hw-${session.number}`;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const response = hw.kind === 'question' ? text.trim() : hw.items.filter((i) => ticks.has(i)).join('\n');
    if (!response) {
      setError(hw.kind === 'question' ? t('patientApp.family.craft.writeSomething') : t('patientApp.family.craft.tickSomething'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSaved(await familyApi.craftHomework(session.number, response, lang));
      setSaved(true);
    } catch (err) {
      setError(err instanceof PatientApiError && err.code === 'session_not_yet' ? t('patientApp.family.craft.notYet') : t('patientApp.errors.generic'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby={`${id}-title`} data-testid="craft-session">
      <button type="button" onClick={onBack}>
        ← {t('patientApp.family.craft.back')}
      </button>
      <h2 id={`${id}-title`}>
        {session.number}. {session.title}
      </h2>
      <p className="hint">{when(session.scheduledOn)}</p>
      <p>
        <strong>{session.aim}</strong>
      </p>
      <ul>
        {session.points.map((p, i) => (
          <li key={i}>{p}</li>
        ))}
      </ul>
      <h3>{t('patientApp.family.craft.homework')}</h3>
      {!session.open ? (
        <p className="notice">
          {hw.prompt} <br />
          {t('patientApp.family.craft.later')}
        </p>
      ) : (
        <form onSubmit={(e) => void save(e)} noValidate>
          {hw.kind === 'question' ? (
            <div className="field">
              <label htmlFor={id}>{hw.prompt}</label>
              <textarea
                id={id}
                rows={5}
                value={text}
                onChange={(e) => {
                  setText(e.currentTarget.value);
                  setSaved(false);
                }}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-error` : undefined}
                disabled={closed}
                data-testid="craft-answer"
              />
            </div>
          ) : (
            <fieldset className="choices">
              <legend>{hw.prompt}</legend>
              {hw.items.map((item) => (
                <label key={item} className="sk-check">
                  <input
                    type="checkbox"
                    checked={ticks.has(item)}
                    disabled={closed}
                    onChange={(e) => {
                      const on = e.currentTarget.checked;
                      setTicks((s) => {
                        const n = new Set(s);
                        if (on) n.add(item);
                        else n.delete(item);
                        return n;
                      });
                      setSaved(false);
                    }}
                  />
                  {item}
                </label>
              ))}
            </fieldset>
          )}
          {error ? (
            <p className="error" id={`${id}-error`} role="alert">
              {error}
            </p>
          ) : null}
          <p role="status" className={saved ? 'notice' : 'sr-only'} data-testid="craft-saved">
            {saved ? `✓ ${t('patientApp.family.craft.done')}` : ''}
          </p>
          {!closed ? (
            <button type="submit" className="primary secondary-wide" disabled={busy} data-testid="craft-save">
              {busy ? t('patientApp.wait') : t('patientApp.family.craft.save')}
            </button>
          ) : null}
        </form>
      )}
    </section>
  );
}

function Wellbeing({ forms, onBack, onHelp, onSaved }: { forms: MyCraftT['forms']; onBack: () => void; onHelp: () => void; onSaved: (r: WellbeingResultT) => void }) {
  const { t } = useTranslation();
  const [which, setWhich] = useState<'phq-9' | 'gad-7' | null>(null);
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const [result, setResult] = useState<WellbeingResultT | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = forms.find((f) => f.instrument === which);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!form) return;
    if (form.items.some((i) => answers[i.linkId] === undefined)) {
      setError(t('patientApp.family.craft.answerAll'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await familyApi.craftWellbeing(form.instrument, answers);
      setResult(r);
      onSaved(r);
    } catch {
      setError(t('patientApp.errors.generic'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="craft-wb-title" data-testid="craft-wellbeing">
      <button type="button" onClick={onBack}>
        ← {t('patientApp.family.craft.back')}
      </button>
      <h2 id="craft-wb-title">{t('patientApp.family.craft.howAreYou')}</h2>
      {result ? (
        <div data-testid="craft-wb-result">
          {result.assessment.helpNow ? (
            <div className="notice craft-help" role="alert">
              <p>
                <strong>{t('patientApp.family.craft.helpNowText')}</strong>
              </p>
              <button type="button" className="help-now" onClick={onHelp} data-testid="craft-help-now">
                {t('patientApp.help.open')}
              </button>
            </div>
          ) : null}
          <p className="notice">{t(`patientApp.family.craft.result.${result.assessment.instrument}.${result.assessment.severity}`)}</p>
          {result.trend
            .filter((tr) => tr.instrument === result.assessment.instrument && tr.count > 1)
            .map((tr) => (
              <p key={tr.instrument}>{t(`patientApp.family.craft.trend.${tr.direction}`)}</p>
            ))}
          <p>{t('patientApp.family.craft.shared')}</p>
          <button type="button" className="secondary-wide" onClick={onBack}>
            {t('patientApp.family.craft.back')}
          </button>
        </div>
      ) : !form ? (
        <>
          <p>{t('patientApp.family.craft.wellbeingIntro')}</p>
          <button type="button" className="primary secondary-wide" onClick={() => setWhich('phq-9')} data-testid="craft-wb-phq-9">
            {t('patientApp.family.craft.mood')}
          </button>
          <button type="button" className="primary secondary-wide" onClick={() => setWhich('gad-7')} data-testid="craft-wb-gad-7">
            {t('patientApp.family.craft.worry')}
          </button>
        </>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <p>{form.intro}</p>
          {form.items.map((item, i) => (
            <fieldset key={item.linkId} className="choices">
              <legend>
                {i + 1}. {item.text}
              </legend>
              {form.options.map((o) => (
                <label key={o.value}>
                  <input type="radio" name={`q${item.linkId}`} value={o.value} checked={answers[item.linkId] === o.value} onChange={() => setAnswers((a) => ({ ...a, [item.linkId]: o.value }))} />
                  {o.text}
                </label>
              ))}
            </fieldset>
          ))}
          {error ? (
            <p className="error" role="alert">
              {error}
            </p>
          ) : null}
          <button type="submit" className="primary secondary-wide" disabled={busy} data-testid="craft-wb-save">
            {busy ? t('patientApp.wait') : t('patientApp.family.craft.save')}
          </button>
        </form>
      )}
    </section>
  );
}
