// The Skills tab (issue 13): "Your modules" (what the counsellor assigned and is not finished:
// when it is due, how far along, Start or Continue), notes from the counsellor, then "More to
// explore" — the rest of the library by topic, finished ones with a check mark. A module opens
// in the player; a finished one's homework opens from here too. The list is kept on the phone
// (offline.ts) and shown offline; the content of assigned modules is fetched when the list
// loads, so they open without a network (the service worker keeps it).
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { say, TOPICS, type SkillsModule } from '../../../../core/skills/module.ts';
import { formatDate } from '../../format.ts';
import { loadContent, prefetchContent, skillsApi, type AppModuleT, type AppSkillsT } from './api.ts';
import { Comments } from './Comments.tsx';
import { Homework } from './Homework.tsx';
import { flush, queued, saveList, savedList } from './offline.ts';
import { Bar, Player } from './Player.tsx';
import { localDay, useLang } from './text.tsx';

type View = { name: 'list' } | { name: 'player' | 'homework'; mod: AppModuleT };

export function Skills() {
  const { t } = useTranslation();
  const [list, setList] = useState<AppSkillsT | null>(() => savedList());
  const [offline, setOffline] = useState(false);
  const [view, setView] = useState<View>({ name: 'list' });
  const [reads, setReads] = useState(0);
  // back from a module: the list's heading takes the focus (the button that opened the module is gone)
  const [returned, setReturned] = useState(false);

  useEffect(() => {
    let live = true;
    void (async () => {
      await flush().catch(() => undefined);
      try {
        const fresh = await skillsApi.list();
        if (!live) return;
        saveList(fresh);
        setList(fresh);
        setOffline(false);
        prefetchContent(fresh.modules.filter((m) => m.assigned || m.status === 'started').map((m) => m.contentUrl));
      } catch {
        if (!live) return;
        setList(savedList());
        setOffline(true);
      }
    })();
    return () => {
      live = false;
    };
  }, [reads]);

  const back = () => {
    setList(savedList() ?? list);
    setView({ name: 'list' });
    setReads((n) => n + 1);
    setReturned(true);
  };

  if (view.name !== 'list') return <ModuleView view={view} comments={list?.comments ?? []} onClose={back} onHomework={() => setView({ name: 'homework', mod: view.mod })} />;
  if (!list)
    return (
      <section aria-labelledby="skills-title">
        <h1 id="skills-title">{t('patientApp.skills.title')}</h1>
        <p>{offline ? t('patientApp.skills.offlineEmpty') : t('patientApp.loading')}</p>
      </section>
    );
  return <List list={list} offline={offline} focus={returned} open={(mod, name) => setView({ name, mod })} />;
}

/** Loads a module's content (from memory, the network, or the service worker's copy), then the player or the homework. */
function ModuleView({ view, comments, onClose, onHomework }: { view: Exclude<View, { name: 'list' }>; comments: AppSkillsT['comments']; onClose: () => void; onHomework: () => void }) {
  const { t } = useTranslation();
  const [doc, setDoc] = useState<SkillsModule | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    loadContent(view.mod.contentUrl)
      .then((d) => live && setDoc(d))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [view.mod.contentUrl]);
  if (failed)
    return (
      <section aria-labelledby="sk-missing">
        <h1 id="sk-missing">{t('patientApp.skills.notOnPhone')}</h1>
        <p>{t('patientApp.skills.notOnPhoneHint')}</p>
        <button type="button" className="primary" onClick={onClose}>
          {t('patientApp.skills.backToList')}
        </button>
      </section>
    );
  if (!doc) return <p>{t('patientApp.loading')}</p>;
  if (view.name === 'homework') return <Homework doc={doc} comments={comments} onClose={onClose} />;
  return <Player mod={view.mod} doc={doc} comments={comments} onClose={onClose} onHomework={onHomework} />;
}

function List({ list, offline, focus, open }: { list: AppSkillsT; offline: boolean; focus: boolean; open: (m: AppModuleT, view: 'player' | 'homework') => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus]);
  const mine = list.modules.filter((m) => m.assigned && m.status !== 'completed');
  const rest = list.modules.filter((m) => !mine.includes(m));
  const titleOf = (key: string) => {
    const m = list.modules.find((x) => x.key === key);
    return m ? say(m.title, lang) : null;
  };
  const waiting = queued().length;
  return (
    <section aria-labelledby="skills-title" data-testid="skills">
      <h1 id="skills-title" ref={heading} tabIndex={-1}>
        {t('patientApp.skills.title')}
      </h1>
      <p>{t('patientApp.skills.intro')}</p>
      {offline ? <p className="notice">{t('patientApp.skills.offline')}</p> : null}
      {waiting > 0 ? (
        <p className="notice" role="status">
          {t('patientApp.skills.waiting')}
        </p>
      ) : null}

      {list.comments.length > 0 ? (
        <section className="card" aria-labelledby="sk-comments-title">
          <h2 id="sk-comments-title">{t('patientApp.skills.commentsTitle')}</h2>
          <Comments comments={list.comments.slice(0, 5)} title={(c) => titleOf(c.moduleKey)} />
        </section>
      ) : null}

      <h2 id="sk-mine">{t('patientApp.skills.mine')}</h2>
      {mine.length === 0 ? <p>{t('patientApp.skills.mineEmpty')}</p> : null}
      <ul className="plain" aria-labelledby="sk-mine" data-testid="skills-mine">
        {mine.map((m) => (
          <Assigned key={m.key} m={m} onOpen={() => open(m, 'player')} />
        ))}
      </ul>

      <h2 id="sk-more">{t('patientApp.skills.more')}</h2>
      {TOPICS.filter((topic) => rest.some((m) => m.topic === topic)).map((topic) => (
        <div key={topic} className="sk-topic">
          <h3 id={`sk-topic-${topic}`}>{t(`patientApp.skills.topics.${topic}`)}</h3>
          <ul className="plain" aria-labelledby={`sk-topic-${topic}`}>
            {rest
              .filter((m) => m.topic === topic)
              .map((m) => (
                <LibraryItem key={m.key} m={m} onOpen={(v) => open(m, v)} />
              ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

/** How far along: screens reached of the module's screens. */
const reached = (m: AppModuleT) => (m.status === 'completed' ? m.screens : m.furthestScreen === null ? 0 : Math.min(m.screens, m.furthestScreen + 1));

function Assigned({ m, onOpen }: { m: AppModuleT; onOpen: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const n = reached(m);
  return (
    <li className="card sk-module" data-testid={`module-${m.key}`}>
      <h3>{say(m.title, lang)}</h3>
      {m.dueOn ? <p>{dueWords(t, m.dueOn, lang)}</p> : null}
      <p className="sk-count">{t('patientApp.skills.progress', { n, total: m.screens })}</p>
      <Bar n={n} of={m.screens} />
      <button type="button" className="primary" onClick={onOpen}>
        {n > 0 ? t('patientApp.skills.continue') : t('patientApp.skills.start')}
        <span className="sr-only"> {say(m.title, lang)}</span>
      </button>
    </li>
  );
}

function LibraryItem({ m, onOpen }: { m: AppModuleT; onOpen: (view: 'player' | 'homework') => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const title = say(m.title, lang);
  return (
    <li className="item sk-item" data-testid={`module-${m.key}`}>
      <span>
        <strong>{title}</strong>
        <br />
        <span className="hint">{t('patientApp.skills.minutes', { count: m.minutes })}</span>
        {m.status === 'completed' ? (
          <span className="sk-done">
            {' · '}
            <span aria-hidden="true">✓ </span>
            {t('patientApp.skills.done')}
          </span>
        ) : m.status === 'started' ? (
          <span className="hint"> · {t('patientApp.skills.progress', { n: reached(m), total: m.screens })}</span>
        ) : null}
      </span>
      <span className="actions">
        <button type="button" onClick={() => onOpen('player')}>
          {m.status === 'completed' ? t('patientApp.skills.again') : m.status === 'started' ? t('patientApp.skills.continue') : t('patientApp.skills.open')}
          <span className="sr-only"> {title}</span>
        </button>
        {m.status === 'completed' ? (
          <button type="button" onClick={() => onOpen('homework')}>
            {t('patientApp.skills.homework')}
            <span className="sr-only"> {title}</span>
          </button>
        ) : null}
      </span>
    </li>
  );
}

function dueWords(t: (k: string, o?: Record<string, unknown>) => string, dueOn: string, lang: string): string {
  const today = localDay();
  const tomorrow = localDay(new Date(Date.now() + 86_400_000));
  if (dueOn === today) return t('patientApp.skills.dueToday');
  if (dueOn === tomorrow) return t('patientApp.skills.dueTomorrow');
  const date = formatDate(dueOn, lang);
  return dueOn < today ? t('patientApp.skills.duePast', { date }) : t('patientApp.skills.due', { date });
}
