// Learn (issue 16): the family member's own part of the app — lessons for families (what opioid
// use disorder is, the medicines, overdose and the clinic's five naloxone steps, setting limits,
// looking after yourself, support groups) with a tick on each one finished, a reader (one short
// screen at a time, Back / Next / Finish), their own naloxone training and kit ("You were trained
// on …", "Your kit expires on …"), and meetings for families (Nar-Anon, Al-Anon) from the
// clinic's directory. All of it is the family member's own record: nothing here is about a
// patient, so nothing here is a disclosure. Only /api/patient/family routes are called.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { familyApi, type FamilyMeetingsT, type FamilyNaloxoneT, type LessonListT, type LessonT } from '../api.ts';
import { useLoaded } from '../useLoaded.ts';
import { Body } from '../skills/text.tsx';
import { MeetingWhere } from '../meetings/MeetingWhere.tsx';

type Lang = 'en' | 'es';

/** A calendar date (YYYY-MM-DD) in words, in the family member's language. */
const longDate = (lang: Lang, iso: string) => new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T12:00:00Z`));

export function FamilyLearn({ lang }: { lang: Lang }) {
  const [open, setOpen] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [goTo, setGoTo] = useState<string | null>(null);
  const lessons = useLoaded(() => familyApi.lessons(lang), `${lang}-${version}`);
  const top = useRef<HTMLDivElement>(null);

  // after closing a lesson: focus the section a screen linked to, or the list's heading
  useEffect(() => {
    if (open) return;
    const target = goTo ? document.getElementById(goTo) : top.current?.querySelector<HTMLHeadingElement>('h1');
    if (!target || (!goTo && version === 0)) return;
    target.setAttribute('tabindex', '-1');
    target.focus();
    target.scrollIntoView?.({ block: 'start' });
    setGoTo(null);
    // only when the reader closes
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  if (open)
    return (
      <LessonReader
        lessonKey={open}
        lang={lang}
        onClose={(opts) => {
          if (opts.finished) setVersion((v) => v + 1);
          setGoTo(opts.goTo ?? null);
          setOpen(null);
        }}
      />
    );
  return (
    <div ref={top} data-testid="family-learn">
      <LessonList lessons={lessons} onOpen={setOpen} />
      <NaloxoneCard lang={lang} />
      <FamilyMeetings lang={lang} />
    </div>
  );
}

function LessonList({ lessons, onOpen }: { lessons: ReturnType<typeof useLoaded<LessonListT>>; onOpen: (key: string) => void }) {
  const { t } = useTranslation();
  const { data, failed } = lessons;
  const done = data?.items.filter((l) => l.finishedAt).length ?? 0;
  return (
    <section aria-labelledby="learn-title">
      <h1 id="learn-title">{t('patientApp.family.learn.title')}</h1>
      <p>{t('patientApp.family.learn.intro')}</p>
      {!data && !failed ? <p>{t('patientApp.loading')}</p> : null}
      {failed ? (
        <p className="error" role="alert">
          {t('patientApp.errors.generic')}
        </p>
      ) : null}
      {data ? (
        <>
          <p className="hint" data-testid="lessons-done">
            {t('patientApp.family.learn.done', { n: done, total: data.items.length })}
          </p>
          <ul className="plain" data-testid="lessons">
            {data.items.map((l) => (
              <li key={l.key} className="card sk-module" data-testid={`lesson-${l.key}`}>
                <h2 className="shared-head">
                  <button type="button" className="card-button" onClick={() => onOpen(l.key)}>
                    <span className="shared-name">{l.title}</span>
                  </button>
                </h2>
                <p>{l.summary}</p>
                <p className="hint">
                  {t('patientApp.family.learn.minutes', { n: l.minutes })}
                  {l.finishedAt ? (
                    <>
                      {' · '}
                      <span className="sk-done" data-testid="lesson-finished">
                        <span aria-hidden="true">✓ </span>
                        {t('patientApp.family.learn.finished')}
                      </span>
                    </>
                  ) : null}
                </p>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function LessonReader({ lessonKey, lang, onClose }: { lessonKey: string; lang: Lang; onClose: (opts: { finished?: boolean; goTo?: string }) => void }) {
  const { t } = useTranslation();
  const { data: lesson, failed } = useLoaded<LessonT>(() => familyApi.lesson(lessonKey, lang), `${lessonKey}-${lang}`);
  const [at, setAt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(false);
  const [finished, setFinished] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  // each new screen: its title takes the focus (a screen reader hears where they are)
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    heading.current?.focus();
  }, [at, finished]);

  if (failed)
    return (
      <section>
        <p className="error" role="alert">
          {t('patientApp.errors.generic')}
        </p>
        <button type="button" onClick={() => onClose({})}>
          {t('patientApp.family.learn.toList')}
        </button>
      </section>
    );
  if (!lesson) return <p>{t('patientApp.loading')}</p>;
  const screen = lesson.screens[at]!;
  const last = at === lesson.screens.length - 1;

  const finish = async () => {
    setBusy(true);
    setError(false);
    try {
      await familyApi.finishLesson(lesson.key);
      setFinished(true);
    } catch {
      setError(true);
    } finally {
      setBusy(false);
    }
  };

  if (finished)
    return (
      <section aria-labelledby="lesson-done" data-testid="lesson-reader">
        <h1 id="lesson-done" ref={heading} tabIndex={-1}>
          {lesson.title}
        </h1>
        <p className="notice" role="status" data-testid="lesson-done">
          <span aria-hidden="true">✓ </span>
          {t('patientApp.family.learn.finishedLesson')}
        </p>
        <button type="button" className="primary" onClick={() => onClose({ finished: true })} data-testid="lesson-back-to-list">
          {t('patientApp.family.learn.toList')}
        </button>
      </section>
    );

  return (
    <section aria-labelledby="lesson-screen-title" data-testid="lesson-reader">
      <button type="button" onClick={() => onClose({})} data-testid="lesson-close">
        {t('patientApp.family.learn.toList')}
      </button>
      <p className="hint">{lesson.title}</p>
      <div className="sk-bar" aria-hidden="true">
        <span style={{ width: `${((at + 1) / lesson.screens.length) * 100}%` }} />
      </div>
      <p className="hint" data-testid="lesson-progress">
        {t('patientApp.family.learn.progress', { n: at + 1, total: lesson.screens.length })}
      </p>
      <h1 id="lesson-screen-title" ref={heading} tabIndex={-1}>
        {screen.title}
      </h1>
      <div className="sk-body">
        {screen.kind === 'read' ? (
          <Body text={screen.body} />
        ) : (
          <>
            <p>{screen.intro}</p>
            <ol data-testid="naloxone-steps">
              {screen.steps.map((s) => (
                <li key={s.key}>
                  <strong>{s.title}.</strong> {s.body}
                </li>
              ))}
            </ol>
          </>
        )}
      </div>
      {screen.link ? (
        <p>
          <button type="button" onClick={() => onClose({ goTo: screen.link === 'naloxone' ? 'learn-naloxone' : 'learn-meetings' })} data-testid={`lesson-link-${screen.link}`}>
            {t(`patientApp.family.learn.links.${screen.link}`)}
          </button>
        </p>
      ) : null}
      {last ? (
        <details className="hint">
          <summary>{t('patientApp.family.learn.sources')}</summary>
          <ul>
            {lesson.sources.map((s) => (
              <li key={s.id}>{s.citation}</li>
            ))}
          </ul>
        </details>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {t('patientApp.errors.generic')}
        </p>
      ) : null}
      <div className="sk-nav">
        <button type="button" onClick={() => setAt((n) => n - 1)} disabled={at === 0} data-testid="lesson-back">
          {t('patientApp.family.learn.back')}
        </button>
        {last ? (
          <button type="button" className="primary" onClick={() => void finish()} disabled={busy} data-testid="lesson-finish">
            {busy ? t('patientApp.wait') : t('patientApp.family.learn.finish')}
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => setAt((n) => n + 1)} data-testid="lesson-next">
            {t('patientApp.family.learn.next')}
          </button>
        )}
      </div>
    </section>
  );
}

function NaloxoneCard({ lang }: { lang: Lang }) {
  const { t } = useTranslation();
  const { data, failed } = useLoaded<FamilyNaloxoneT>(() => familyApi.naloxone());
  const kit = data?.kits[0];
  const trainedOn = data?.trainings[0]?.trainedOn;
  return (
    <section aria-labelledby="learn-naloxone" className="card" data-testid="family-naloxone">
      <h2 id="learn-naloxone">{t('patientApp.family.learn.naloxone.title')}</h2>
      {!data && !failed ? <p>{t('patientApp.loading')}</p> : null}
      {failed ? <p className="error">{t('patientApp.errors.generic')}</p> : null}
      {data ? (
        <>
          <p data-testid="family-naloxone-trained">
            {trainedOn
              ? t('patientApp.family.learn.naloxone.trainedOn', { date: longDate(lang, trainedOn) })
              : data.trained
                ? t('patientApp.family.learn.naloxone.trained')
                : t('patientApp.family.learn.naloxone.notTrained')}
          </p>
          {kit ? (
            <p data-testid="family-naloxone-kit">
              {kit.expired
                ? t('patientApp.family.learn.naloxone.expired', { date: longDate(lang, kit.expiresOn) })
                : t('patientApp.family.learn.naloxone.expires', { date: longDate(lang, kit.expiresOn) })}
              {kit.askForNew ? (
                <>
                  {' '}
                  <strong>{t('patientApp.family.learn.naloxone.askForNew')}</strong>
                </>
              ) : null}
            </p>
          ) : (
            <p data-testid="family-naloxone-kit">{t('patientApp.family.learn.naloxone.noKit')}</p>
          )}
        </>
      ) : null}
    </section>
  );
}

function FamilyMeetings({ lang }: { lang: Lang }) {
  const { t } = useTranslation();
  const [zip, setZip] = useState('');
  const [asked, setAsked] = useState<string | undefined>(undefined);
  const { data, failed } = useLoaded<FamilyMeetingsT>(() => familyApi.meetings(asked), asked ?? '');
  const find = (e: FormEvent) => {
    e.preventDefault();
    setAsked(/^\d{5}$/.test(zip.trim()) ? zip.trim() : undefined);
  };
  return (
    <section aria-labelledby="learn-meetings" data-testid="family-meetings">
      <h2 id="learn-meetings">{t('patientApp.family.learn.meetings.title')}</h2>
      <p>{t('patientApp.family.learn.meetings.intro')}</p>
      <form onSubmit={find}>
        <label>
          {t('findMeetings.postalCode')}
          <input value={zip} onChange={(e) => setZip(e.target.value)} inputMode="numeric" autoComplete="postal-code" pattern="\d{5}" maxLength={5} />
        </label>
        <button type="submit">{t('patientApp.family.learn.meetings.find')}</button>
      </form>
      {!data && !failed ? <p>{t('patientApp.loading')}</p> : null}
      {failed ? <p className="error">{t('patientApp.errors.generic')}</p> : null}
      {data && data.items.length === 0 ? <p>{t('patientApp.family.learn.meetings.none')}</p> : null}
      {data && data.items.length > 0 ? (
        <ul className="plain" data-testid="family-meetings-list">
          {data.items.map((m) => (
            <li key={m.id} className="card">
              <h3>{m.name}</h3>
              <p className="hint">{t(`patientApp.family.learn.meetings.fellowships.${m.fellowship}`, { defaultValue: m.fellowship })}</p>
              <p>{t('findMeetings.on', { day: t(`findMeetings.days.${m.weekday}`), time: m.startTime })}</p>
              <MeetingWhere m={m} />
              {m.languages.length > 0 ? (
                <p className="hint">{t('patientApp.family.learn.meetings.languages', { list: m.languages.map((l) => new Intl.DisplayNames([lang], { type: 'language' }).of(l) ?? l).join(', ') })}</p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
