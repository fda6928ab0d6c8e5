// The family part of the app (issue 16, ADR 053, ADR 054): a family member or friend opens the
// same app, with the same code, device key and PIN (or passkey), and sees this shell instead of
// the patient's, with its own bottom bar:
// - Shared, for someone linked to a patient: a card per person who shares with them now, showing
//   only what that person's consent allows (the server sends only those parts: GET
//   /api/patient/family/shared) and the notice against sharing it again. Tapping a card reads it
//   again (GET /api/patient/family/shared/:id); once the person has taken their consent back, the
//   server answers 403 and the card goes. Below, the couple's or network's part they keep
//   (family/Together.tsx).
// - My sessions, for a CRAFT client (family/Sessions.tsx); Learn (family/Learn.tsx): their own
//   record, no patient's.
// - Help now (the general part, no patient data).
// Lock and "Remove from this phone" as in the patient app. Only /api/patient/family routes are
// called here (and the public help): never a patient route. Nothing read here is kept on the
// phone for offline use: a consent taken back must take the information away with it.
import { useEffect, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { LockActions } from './LockActions.tsx';
import { setLanguage } from '../i18n/index.ts';
import { formatCents } from '../format.ts';
import { familyApi, PatientApiError, type FamilyMeT, type SharedCardT, type SharedListT } from './api.ts';
import { HelpNow } from './HelpNow.tsx';
import { useLoaded } from './useLoaded.ts';
import { CraftSessions } from './family/Sessions.tsx';
import { FamilyLearn } from './family/Learn.tsx';
import { TogetherCards } from './family/Together.tsx';

/**
 * The family member's screens, in the same bottom bar as the patient's: Shared (what the people
 * they support share with them, and the couple's or network's part they keep) when they are
 * linked to someone; My sessions when they have a CRAFT course of their own; Learn; Help now.
 * A CRAFT client whose loved one is not a patient starts on My sessions.
 */
type FamilyTab = 'shared' | 'sessions' | 'learn' | 'help';

export function FamilyHome({ onLock, onSignOut }: { onLock: () => void; onSignOut: () => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const [tab, setTab] = useState<FamilyTab | null>(null);
  // Every read of the cards is a disclosure in each patient's accounting: read once for this
  // showing, here rather than in the screen (going to Help now and back reads nothing again),
  // and one request even when React runs the effect twice (StrictMode in a development build).
  const reads = useRef<{ me?: Promise<FamilyMeT>; shared?: Promise<SharedListT> }>({});
  const { data: me } = useLoaded(() => (reads.current.me ??= familyApi.me()));
  const tabs: FamilyTab[] = me ? [...(me.linked || !me.craft ? (['shared'] as const) : []), ...(me.craft ? (['sessions'] as const) : []), 'learn', 'help'] : [];
  const current: FamilyTab | null = tab ?? tabs[0] ?? null;
  // the family member's language as the clinic recorded it: the server's words on the cards are in it too
  useEffect(() => {
    if (me && i18n.language !== me.language) setLanguage(me.language);
    // only when the answer comes: the language button may change it afterwards
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [me]);
  const screen = useRef<HTMLDivElement>(null);
  const moved = useRef(false);
  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    const h = screen.current?.querySelector<HTMLHeadingElement>('h1');
    if (!h) return;
    h.setAttribute('tabindex', '-1');
    h.focus();
  }, [current]);
  const go = (next: FamilyTab) => {
    moved.current = true;
    setTab(next);
  };
  // the screens of their own follow the language chosen on the phone (the cards' words are the server's, in the recorded one)
  const lang = i18n.language === 'es' ? 'es' : 'en';

  return (
    <>
      <div ref={screen}>
        {current === 'help' ? (
          // the general part only: the family member's phone holds no patient's help
          <HelpNow signedIn={false} />
        ) : (
          <>
            <p className="family-hello" data-testid="family-name">
              {me ? t('patientApp.family.hello', { name: me.displayName }) : '\u00a0'}
            </p>
            {current === 'shared' ? (
              <>
                <SharedWithYou lang={me?.language} shared={reads} />
                <TogetherCards lang={lang} />
              </>
            ) : null}
            {current === 'sessions' ? <CraftSessions lang={lang} /> : null}
            {current === 'learn' ? <FamilyLearn lang={lang} /> : null}
            <LockActions onLock={onLock} onSignOut={onSignOut} />
          </>
        )}
      </div>
      {tabs.length > 0 ? (
        <nav className="tabs" aria-label={t('patientApp.tabs.label')}>
          {tabs.map((name) => (
            <button key={name} type="button" className={`tab-${name}`} aria-current={current === name ? 'page' : undefined} onClick={() => go(name)} data-testid={`family-tab-${name}`}>
              {t(`patientApp.family.tabs.${name}`)}
            </button>
          ))}
        </nav>
      ) : null}
    </>
  );
}

/** `lang`: the language the server wrote its words in (the family member's, as the clinic recorded it). */
function SharedWithYou({ lang, shared: reads }: { lang: string | undefined; shared: RefObject<{ shared?: Promise<SharedListT> }> }) {
  const { t } = useTranslation();
  const { data, failed, setData } = useLoaded(() => (reads.current.shared ??= familyApi.shared()));
  const [busy, setBusy] = useState<string | null>(null);
  // a card that went because the person stopped sharing, and a read that did not come back
  const [gone, setGone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = async (card: SharedCardT) => {
    setBusy(card.patientId);
    setError(null);
    setGone(null);
    try {
      const fresh = await familyApi.sharedOne(card.patientId);
      setData((d) => (d ? { ...d, items: d.items.map((c) => (c.patientId === card.patientId ? fresh : c)) } : d));
    } catch (err) {
      if (err instanceof PatientApiError && (err.status === 403 || err.status === 404)) {
        setGone(card.firstName);
        setData((d) => (d ? { ...d, items: d.items.filter((c) => c.patientId !== card.patientId) } : d));
      } else setError(card.patientId);
    } finally {
      setBusy(null);
    }
  };

  const cards = data?.items ?? [];
  return (
    <section aria-labelledby="shared-title" data-testid="shared-with-you">
      <h1 id="shared-title">{t('patientApp.family.title')}</h1>
      <p role="status" className={gone && cards.length > 0 ? 'notice' : 'sr-only'} data-testid="card-gone">
        {gone && cards.length > 0 ? t('patientApp.family.gone', { name: gone }) : ''}
      </p>
      {!data && !failed ? <p>{t('patientApp.loading')}</p> : null}
      {failed ? (
        <p className="error" role="alert">
          {t('patientApp.errors.generic')}
        </p>
      ) : null}
      {data && cards.length === 0 ? (
        <div className="notice" data-testid="nothing-shared">
          <p>
            <strong>{t('patientApp.family.nothing')}</strong>
          </p>
          <p>{t('patientApp.family.nothingWhy')}</p>
        </div>
      ) : null}
      {cards.length > 0 ? <p>{t('patientApp.family.intro')}</p> : null}
      {cards.map((card) => (
        <SharedCardView key={card.patientId} card={card} lang={lang} busy={busy === card.patientId} failed={error === card.patientId} onRefresh={() => void refresh(card)} />
      ))}
    </section>
  );
}

function SharedCardView({ card, lang, busy, failed, onRefresh }: { card: SharedCardT; lang: string | undefined; busy: boolean; failed: boolean; onRefresh: () => void }) {
  const { t, i18n } = useTranslation();
  const s = card.summary;
  const id = `card-${card.patientId}`;
  // in the programme's time zone, as the patient's own app shows visits (not the phone's)
  const when = (v: { startsAt: string; timeZone: string }) =>
    new Intl.DateTimeFormat(i18n.language === 'es' ? 'es' : 'en', { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: v.timeZone }).format(
      new Date(v.startsAt),
    );
  return (
    <article className="card shared-card" aria-labelledby={`${id}-name`} data-testid="shared-card" aria-busy={busy || undefined}>
      <h2 id={`${id}-name`} className="shared-head">
        <button type="button" className="card-button" onClick={onRefresh} disabled={busy} aria-describedby={`${id}-hint`} data-testid="shared-card-refresh">
          <span className="shared-name">{card.firstName}</span>
          <span className="shared-relationship">{t('patientApp.family.linkedAs', { relationship: t(`patientApp.family.relationships.${card.relationship}`) })}</span>
        </button>
      </h2>
      <p className="hint" id={`${id}-hint`}>
        {busy ? t('patientApp.wait') : t('patientApp.family.tapToUpdate')}
      </p>
      {failed ? (
        <p className="error" role="alert">
          {t('patientApp.errors.generic')}
        </p>
      ) : null}
      <p>{t('patientApp.family.chose', { name: card.firstName })}</p>
      <ul className="plain shared-items">
        {'nextAppointment' in s ? (
          <li data-testid="shared-next-visit">
            <strong>{t('patientApp.family.nextVisit')}</strong>{' '}
            {s.nextAppointment ? (
              <>
                {when(s.nextAppointment)} · <span lang={lang}>{s.nextAppointment.kind}</span>
              </>
            ) : (
              t('patientApp.family.noVisit')
            )}
          </li>
        ) : null}
        {s.checkInStreak ? <li data-testid="shared-check-ins">{s.checkInStreak.days > 0 ? t('patientApp.family.streak', { count: s.checkInStreak.days }) : t('patientApp.family.noStreak')}</li> : null}
        {'cmProgress' in s ? (
          <li data-testid="shared-rewards">{s.cmProgress ? t('patientApp.family.earned', { money: formatCents(s.cmProgress.earnedCents, i18n.language) }) : t('patientApp.family.noRewards')}</li>
        ) : null}
        {'safetyPlan' in s ? (
          <li data-testid="shared-safety-plan">
            <strong>{t('patientApp.family.safetyPlan', { name: card.firstName })}</strong>
            {s.safetyPlan && s.safetyPlan.sections.length > 0 ? (
              s.safetyPlan.sections.map((part) => (
                <div key={part.heading} className="plan-part" lang={lang}>
                  <h3>{part.heading}</h3>
                  <ul>
                    {part.items.map((item, i) => (
                      <li key={i}>{item}</li>
                    ))}
                  </ul>
                </div>
              ))
            ) : (
              <p>{t('patientApp.family.noSafetyPlan')}</p>
            )}
          </li>
        ) : null}
      </ul>
      <div className="notice legal" data-testid="shared-notice">
        <h3>{t('patientApp.family.noticeTitle')}</h3>
        <p lang={lang}>
          <strong>{card.notice.statement}</strong>
        </p>
        <p lang={lang}>{card.notice.plain}</p>
      </div>
    </article>
  );
}
