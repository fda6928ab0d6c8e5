// The patient's CM in the app (issue 12): on Today, the balance, streak, next value and the
// calendar of opportunities (a symbol, a colour and words for each day); on Rewards, the
// draws they show themselves (each with a link to check it against the published
// commitment), the catalogue and their requests. `version` moves when the clinic records
// something (the live stream in PatientApp.tsx), and each screen reads again.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLang } from './skills/text.tsx';
import { formatCents, formatDate } from '../format.ts';
import { useLoaded } from './useLoaded.ts';
import { KeptNote } from './KeptNote.tsx';
import { patientApi, PatientApiError, type PatientDrawsShownT, type PatientRewardsT, type PatientTodayT } from './api.ts';

type Cell = NonNullable<PatientTodayT['cm']>['calendar'][number];
/** How a day looks: earned (green check), not this time (grey), waiting (hourglass), a day to come (circle). Never red: a result is not a failing of the person. */
const LOOK: Record<Cell['status'], { symbol: string; tone: 'earned' | 'not' | 'wait' | 'ahead' | 'excused' }> = {
  success: { symbol: '✓', tone: 'earned' },
  negative: { symbol: '✓', tone: 'earned' },
  positive: { symbol: '–', tone: 'not' },
  failure: { symbol: '–', tone: 'not' },
  invalid: { symbol: '–', tone: 'not' },
  missed: { symbol: '○', tone: 'not' },
  excused: { symbol: '•', tone: 'excused' },
  pending: { symbol: '⧗', tone: 'wait' },
  unrecorded: { symbol: '⧗', tone: 'wait' },
  open: { symbol: '◎', tone: 'ahead' },
  scheduled: { symbol: '◯', tone: 'ahead' },
};

/** Today's CM card: nothing is shown that the clinic has not recorded. */
export function Progress({ today, onShowDraws }: { today: PatientTodayT | null | undefined; onShowDraws: () => void }) {
  const { t, i18n } = useTranslation();
  const cm = today?.cm;
  if (!cm) return null;
  const money = (cents: number) => formatCents(cents, i18n.language);
  return (
    <section className="card" aria-labelledby="progress-title" data-testid="progress">
      <h2 id="progress-title">{t('patientApp.today.progress')}</h2>
      <dl>
        <dt>{t('patientApp.today.balance')}</dt>
        <dd data-testid="balance">{money(cm.balanceCents)}</dd>
        <dt>{t('patientApp.today.streak')}</dt>
        <dd>{t('patientApp.today.streakValue', { count: cm.streak })}</dd>
      </dl>
      {cm.next ? (
        <p>
          {t(cm.next.draws > 0 ? 'patientApp.today.nextWithDraws' : 'patientApp.today.next', {
            date: formatDate(cm.next.date, i18n.language),
            money: money(cm.next.cents),
            count: cm.next.draws,
          })}
        </p>
      ) : null}
      {cm.drawsWaiting > 0 ? (
        <p>
          {t('patientApp.today.drawsWaiting', { count: cm.drawsWaiting })}{' '}
          <button type="button" className="primary" onClick={onShowDraws} data-testid="go-draws">
            {t('patientApp.rewards.showDraw')}
          </button>
        </p>
      ) : null}
      <Calendar cells={cm.calendar} />
    </section>
  );
}

function Calendar({ cells }: { cells: Cell[] }) {
  const { t, i18n } = useTranslation();
  const money = (cents: number) => formatCents(cents, i18n.language);
  if (cells.length === 0) return null;
  return (
    <>
      <h3 id="calendar-title">{t('patientApp.calendar.title')}</h3>
      <ol className="calendar" aria-labelledby="calendar-title" data-testid="calendar">
        {cells.map((c) => {
          const look = LOOK[c.status];
          const earned = [c.cents > 0 ? money(c.cents) : null, c.draws > 0 ? t('patientApp.calendar.draws', { count: c.draws }) : null].filter(Boolean).join(' + ');
          return (
            <li key={`${c.date}/${c.kind}`} className={`day ${look.tone}`}>
              <span className="symbol" aria-hidden="true">
                {look.symbol}
              </span>
              <span className="when">
                {formatDate(c.date, i18n.language)} · {t(`patientApp.calendar.kinds.${c.kind}`, { defaultValue: c.kind })}
              </span>
              <span className="what">
                {t(`patientApp.calendar.status.${c.status}`)}
                {earned ? ` · ${earned}` : ''}
              </span>
            </li>
          );
        })}
      </ol>
    </>
  );
}

/** The newest draws shown at once; the older ones behind a "show" control. */
const RECENT_DRAWS = 5;

function DrawLines({ draws }: { draws: Array<NonNullable<PatientRewardsT['cm']>['draws'][number]> }) {
  const { t, i18n } = useTranslation();
  return (
    <ul className="plain">
      {draws.map((d) => (
        <li key={d.n}>
          {t('patientApp.rewards.drawLine', { n: d.n, what: d.valueCents > 0 ? formatCents(d.valueCents, i18n.language) : t('patientApp.rewards.noPrizeShort') })}{' '}
          {d.commitment ? (
            <a href={`/verify/${d.commitment}`} target="_blank" rel="noreferrer">
              {t('patientApp.rewards.check')}
              <span className="sr-only"> {t('patientApp.rewards.checkHint', { n: d.n })}</span>
            </a>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

/** The Rewards screen: draws, the catalogue, requests. */
export function Rewards({ version }: { version: number }) {
  const { t, i18n } = useTranslation();
  const [mine, setMine] = useState(0);
  const { data, keptAt } = useLoaded(() => patientApi.rewards(), version + mine, 'rewards');
  const [shown, setShown] = useState<PatientDrawsShownT['draws']>([]);
  const [asking, setAsking] = useState<{ id: string; key: string } | null>(null);
  // a key, not a text: the words follow a change of language
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const money = (cents: number) => formatCents(cents, i18n.language);
  // an item's name as the clinic wrote it: the Spanish one on a phone in Spanish, when the clinic gave one
  const spanish = useLang() === 'es';
  const named = (en: string, es: string | null) => (spanish && es ? es : en);
  const nameLang = (es: string | null) => (spanish && !es ? 'en' : undefined);
  const cm: PatientRewardsT['cm'] = data?.cm ?? null;

  if (data && !cm)
    return (
      <section aria-labelledby="rewards-title">
        <h1 id="rewards-title">{t('patientApp.rewards.title')}</h1>
        <p>{t('patientApp.rewards.notEnrolled')}</p>
      </section>
    );
  if (!cm) return <p>{t('patientApp.loading')}</p>;

  const reveal = async () => {
    setBusy(true);
    try {
      const r = await patientApi.revealDraws(1);
      setShown(r.draws);
      setMine((n) => n + 1);
    } catch {
      setMessage('patientApp.errors.generic');
    } finally {
      setBusy(false);
    }
  };
  const ask = async (itemId: string, key: string) => {
    setBusy(true);
    setMessage(null);
    try {
      await patientApi.requestItem({ itemId, quantity: 1, idempotencyKey: key });
      setAsking(null);
      setMessage('patientApp.rewards.asked');
      setMine((n) => n + 1);
    } catch (err) {
      const code = err instanceof PatientApiError ? err.code : 'error';
      setMessage(i18n.exists(`patientApp.rewards.refused.${code}`) ? `patientApp.rewards.refused.${code}` : 'patientApp.errors.generic');
    } finally {
      setBusy(false);
    }
  };
  const withdraw = async (id: string) => {
    setBusy(true);
    try {
      await patientApi.withdrawRequest(id);
      setMine((n) => n + 1);
    } catch {
      setMessage('patientApp.errors.generic');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="rewards-title">
      <h1 id="rewards-title">{t('patientApp.rewards.title')}</h1>
      <KeptNote at={keptAt} />
      <p>
        {t('patientApp.today.balance')}: <strong data-testid="rewards-balance">{money(cm.balanceCents)}</strong>
      </p>
      <p className={message ? 'notice' : undefined} role="status" aria-live="polite">
        {message ? t(message) : null}
      </p>

      <section className="card" aria-labelledby="draws-title" data-testid="draws">
        <h2 id="draws-title">{t('patientApp.rewards.drawsTitle')}</h2>
        {cm.waiting > 0 ? (
          <>
            <p>{t('patientApp.today.drawsWaiting', { count: cm.waiting })}</p>
            <button type="button" className="primary" disabled={busy} onClick={() => void reveal()} data-testid="reveal">
              {t('patientApp.rewards.showDraw')}
            </button>
          </>
        ) : (
          <p>{t('patientApp.rewards.noDrawsWaiting')}</p>
        )}
        {shown.length > 0 ? (
          <p className="reveal" role="status" data-testid="revealed">
            {shown.map((d) => (d.valueCents > 0 ? t('patientApp.rewards.won', { money: money(d.valueCents) }) : t('patientApp.rewards.noPrize'))).join(' ')}
          </p>
        ) : null}
        {cm.draws.length > 0 ? (
          <>
            <h3>{t('patientApp.rewards.pastDraws')}</h3>
            <DrawLines draws={[...cm.draws].reverse().slice(0, RECENT_DRAWS)} />
            {cm.draws.length > RECENT_DRAWS ? (
              <details>
                <summary>{t('patientApp.rewards.olderDraws', { count: cm.draws.length - RECENT_DRAWS })}</summary>
                <DrawLines draws={[...cm.draws].reverse().slice(RECENT_DRAWS)} />
              </details>
            ) : null}
            <p className="hint">{t('patientApp.rewards.fair')}</p>
          </>
        ) : null}
      </section>

      <section className="card" aria-labelledby="catalogue-title" data-testid="catalogue">
        <h2 id="catalogue-title">{t('patientApp.rewards.catalogueTitle')}</h2>
        <p className="hint">{t('patientApp.rewards.catalogueHint')}</p>
        {cm.catalogue.length === 0 ? <p>{t('patientApp.rewards.catalogueEmpty')}</p> : null}
        <ul className="plain">
          {cm.catalogue.map((i) => (
            <li key={i.id} className="item">
              <span>
                <strong lang={nameLang(i.nameEs)}>{named(i.name, i.nameEs)}</strong> · {money(i.valueCents)} ·{' '}
                {i.inStock > 0 ? t('patientApp.rewards.inStock', { count: i.inStock }) : t('patientApp.rewards.outOfStock')}
              </span>
              {asking?.id === i.id ? (
                <span className="actions" role="group" aria-label={t('patientApp.rewards.confirm', { item: named(i.name, i.nameEs) })}>
                  <button type="button" className="primary" disabled={busy} onClick={() => void ask(i.id, asking.key)}>
                    {t('patientApp.rewards.confirmYes', { money: money(i.valueCents) })}
                  </button>
                  <button type="button" onClick={() => setAsking(null)}>
                    {t('patientApp.rewards.confirmNo')}
                  </button>
                </span>
              ) : (
                <button type="button" disabled={i.inStock === 0 || busy} onClick={() => setAsking({ id: i.id, key: newKey() })} data-testid={`ask-${i.id}`}>
                  {t('patientApp.rewards.ask')}
                  <span className="sr-only"> {named(i.name, i.nameEs)}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>

      {cm.requests.length > 0 ? (
        <section className="card" aria-labelledby="requests-title" data-testid="requests">
          <h2 id="requests-title">{t('patientApp.rewards.requestsTitle')}</h2>
          <ul className="plain">
            {cm.requests.map((r) => (
              <li key={r.id} className="item">
                <span>
                  <strong lang={nameLang(r.itemNameEs)}>{named(r.itemName, r.itemNameEs)}</strong> · {money(r.cents)} · {t(`patientApp.rewards.status.${r.status}`)}
                  {/* why, in the app's language; staff's note as they wrote it */}
                  {r.reasonCode && r.reasonCode !== 'other' ? <span data-testid="decline-reason">: {t(`patientApp.rewards.declineReason.${r.reasonCode}`)}</span> : null}
                  {r.reason ? ` (${r.reason})` : ''}
                </span>
                {r.status === 'open' ? (
                  <button type="button" disabled={busy} onClick={() => void withdraw(r.id)}>
                    {t('patientApp.rewards.withdraw')}
                    <span className="sr-only"> {named(r.itemName, r.itemNameEs)}</span>
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </section>
  );
}
