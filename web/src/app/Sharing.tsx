// Sharing (issue 16, under More): the patient's own consents and who saw their records. Each
// consent with who gets what and its status in plain words; open one to read it in full, sign
// one the clinic wrote for them (their typed name and "I agree"), or stop sharing (takes effect
// at once: the family member's next view is refused). "Who saw my records": the accounting of
// disclosures of the last 3 years (date, who, what, why). Reads GET /api/patient/consents and
// /disclosures; writes POST /api/patient/consents/:id/sign and /revoke. Nothing here is kept
// on the phone.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { patientApi, PatientApiError, type AccountingT, type ConsentViewT } from './api.ts';
import { useLoaded } from './useLoaded.ts';

type Status = ConsentViewT['status'];
/** Status words: an ended consent and one replaced by a newer one read the same to the patient. */
const STATUS_KEY: Record<Status, string> = { 'awaiting-signature': 'waiting', active: 'active', expired: 'ended', superseded: 'ended', revoked: 'revoked' };
/** What needs the patient first: one to sign, then what is shared now, then the rest. */
const ORDER: Record<Status, number> = { 'awaiting-signature': 0, active: 1, expired: 2, revoked: 2, superseded: 3 };

/** "Your next visits, your daily check-ins, and your rewards": the words of each kind are lower case in the catalogue; the list starts with a capital. */
function useList() {
  const { i18n } = useTranslation();
  const fmt = new Intl.ListFormat(i18n.language === 'es' ? 'es' : 'en', { style: 'long', type: 'conjunction' });
  return (items: string[]) => {
    const text = fmt.format(items);
    return text.charAt(0).toLocaleUpperCase(i18n.language) + text.slice(1);
  };
}

function useWho() {
  const { t } = useTranslation();
  return (r: ConsentViewT['recipient'] | AccountingT['items'][number]['recipient']) => (r.kind === 'tpo-designation' ? t('patientApp.sharing.tpo') : 'name' in r ? r.name : '');
}

export function Sharing() {
  const { t } = useTranslation();
  const [version, setVersion] = useState(0);
  const consents = useLoaded(() => patientApi.consents(), version);
  const accounting = useLoaded(() => patientApi.disclosures(), version);
  const [openId, setOpenId] = useState<string | null>(null);
  const list = useRef<HTMLDivElement>(null);
  const back = useRef<string | null>(null);
  const open = consents.data?.items.find((c) => c.id === openId) ?? null;
  // back from a consent: focus returns to its button in the list
  useEffect(() => {
    if (openId || !back.current) return;
    list.current?.querySelector<HTMLButtonElement>(`[data-consent="${back.current}"]`)?.focus();
    back.current = null;
  }, [openId]);

  if (open)
    return (
      <ConsentScreen
        consent={open}
        onBack={() => {
          back.current = open.id;
          setOpenId(null);
        }}
        onChanged={(c) => {
          consents.setData((d) => (d ? { ...d, items: d.items.map((x) => (x.id === c.id ? c : x)) } : d));
          setVersion((v) => v + 1);
        }}
      />
    );

  const items = [...(consents.data?.items ?? [])].sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  return (
    <section aria-labelledby="sharing-title" data-testid="sharing">
      <h1 id="sharing-title">{t('patientApp.sharing.title')}</h1>
      <p>{t('patientApp.sharing.intro')}</p>
      <div className="card" ref={list}>
        <h2>{t('patientApp.sharing.mine')}</h2>
        {!consents.data && !consents.failed ? <p>{t('patientApp.loading')}</p> : null}
        {consents.failed ? (
          <p className="error" role="alert">
            {t('patientApp.errors.generic')}
          </p>
        ) : null}
        {consents.data && items.length === 0 ? <p>{t('patientApp.sharing.none')}</p> : null}
        <ul className="plain more-list">
          {items.map((c) => (
            <li key={c.id}>
              <ConsentButton consent={c} onOpen={() => setOpenId(c.id)} />
            </li>
          ))}
        </ul>
      </div>
      <WhoSaw accounting={accounting.data} failed={accounting.failed} />
    </section>
  );
}

function ConsentButton({ consent: c, onOpen }: { consent: ConsentViewT; onOpen: () => void }) {
  const { t } = useTranslation();
  const list = useList();
  const who = useWho();
  const id = `consent-${c.id}`;
  return (
    <button type="button" className="more-item consent-item" data-consent={c.id} aria-labelledby={`${id}-title`} aria-describedby={`${id}-facts`} onClick={onOpen} data-testid="consent-item">
      <span id={`${id}-title`} className="more-name" lang={c.language}>
        {c.title}
      </span>
      <span id={`${id}-facts`} className="more-hint">
        <span className={`status status-${STATUS_KEY[c.status]}`} data-testid="consent-status">
          {t(`patientApp.sharing.status.${STATUS_KEY[c.status]}`)}
        </span>
        <span className="consent-fact">{t('patientApp.sharing.with', { who: who(c.recipient) })}</span>
        <span className="consent-fact">{t('patientApp.sharing.what', { what: list(c.dataClasses.map((d) => t(`patientApp.sharing.classes.${d}`))) })}</span>
      </span>
    </button>
  );
}

function ConsentScreen({ consent: c, onBack, onChanged }: { consent: ConsentViewT; onBack: () => void; onChanged: (c: ConsentViewT) => void }) {
  const { t } = useTranslation();
  const list = useList();
  const who = useWho();
  const title = useRef<HTMLHeadingElement>(null);
  const [done, setDone] = useState<'signed' | 'stopped' | null>(null);
  useEffect(() => title.current?.focus(), []);
  return (
    <section aria-labelledby="consent-title" data-testid="consent">
      <button type="button" onClick={onBack} data-testid="consent-back">
        {t('patientApp.help.back')}
      </button>
      <h1 id="consent-title" ref={title} tabIndex={-1} lang={c.language}>
        {c.title}
      </h1>
      <p role="status" className={done ? 'notice' : 'sr-only'} data-testid="consent-done">
        {done ? t(`patientApp.sharing.done.${done}`) : ''}
      </p>
      <dl className="consent-facts">
        <dt>{t('patientApp.sharing.statusLabel')}</dt>
        <dd data-testid="consent-status">{t(`patientApp.sharing.status.${STATUS_KEY[c.status]}`)}</dd>
        <dt>{t('patientApp.sharing.whoLabel')}</dt>
        <dd>{who(c.recipient)}</dd>
        <dt>{t('patientApp.sharing.whatLabel')}</dt>
        <dd>{list(c.dataClasses.map((d) => t(`patientApp.sharing.classes.${d}`)))}</dd>
      </dl>
      {c.status === 'awaiting-signature' ? <p className="notice">{t('patientApp.sharing.readFirst')}</p> : null}
      <div className="card consent-text" lang={c.language} data-testid="consent-text">
        {c.text.map((part, i) => (
          <div key={i}>
            {part.heading ? <h2>{part.heading}</h2> : null}
            <p>{part.body}</p>
          </div>
        ))}
      </div>
      {c.status === 'awaiting-signature' ? (
        <SignForm
          consent={c}
          onSigned={(v) => {
            setDone('signed');
            onChanged(v);
          }}
        />
      ) : null}
      {c.status === 'active' ? (
        <StopSharing
          consent={c}
          onStopped={(v) => {
            setDone('stopped');
            onChanged(v);
          }}
        />
      ) : null}
    </section>
  );
}

function SignForm({ consent, onSigned }: { consent: ConsentViewT; onSigned: (c: ConsentViewT) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [agree, setAgree] = useState(false);
  const [error, setError] = useState<{ field: 'name' | 'agree' | 'form'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setError({ field: 'name', text: t('patientApp.sharing.sign.nameMissing') });
    if (!agree) return setError({ field: 'agree', text: t('patientApp.sharing.sign.agreeMissing') });
    setBusy(true);
    setError(null);
    try {
      onSigned(await patientApi.signConsent(consent.id, { signerName: name.trim(), agree: true }));
    } catch (err) {
      if (err instanceof PatientApiError && err.field === 'body.signerName') setError({ field: 'name', text: t('patientApp.sharing.sign.nameMissing') });
      else if (err instanceof PatientApiError && err.status === 409) setError({ field: 'form', text: t('patientApp.sharing.changed') });
      else setError({ field: 'form', text: t('patientApp.errors.generic') });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="sign-title" data-testid="sign-form">
      <h2 id="sign-title">{t('patientApp.sharing.sign.title')}</h2>
      <div className="field">
        <label htmlFor="signer-name">{t('patientApp.sharing.sign.name')}</label>
        <input
          id="signer-name"
          className="plain-text"
          autoComplete="name"
          maxLength={160}
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={error?.field === 'name' || undefined}
          aria-describedby={error?.field === 'name' ? 'signer-name-error' : undefined}
        />
        {error?.field === 'name' ? (
          <p className="error" id="signer-name-error" role="alert">
            {error.text}
          </p>
        ) : null}
      </div>
      <div className="agree">
        <label className="sk-check">
          <input
            type="checkbox"
            checked={agree}
            onChange={(e) => {
              setAgree(e.target.checked);
              if (e.target.checked && error?.field === 'agree') setError(null);
            }}
            aria-invalid={error?.field === 'agree' || undefined}
            aria-describedby={error?.field === 'agree' ? 'agree-error' : undefined}
          />
          {t('patientApp.sharing.sign.agree')}
        </label>
        {error?.field === 'agree' ? (
          <p className="error" id="agree-error" role="alert">
            {error.text}
          </p>
        ) : null}
      </div>
      {error?.field === 'form' ? (
        <p className="error" role="alert">
          {error.text}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('patientApp.wait') : t('patientApp.sharing.sign.submit')}
      </button>
    </form>
  );
}

function StopSharing({ consent, onStopped }: { consent: ConsentViewT; onStopped: (c: ConsentViewT) => void }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) yes.current?.focus();
  }, [confirming]);
  const stop = async () => {
    setBusy(true);
    setError(null);
    try {
      onStopped(await patientApi.revokeConsent(consent.id));
    } catch (err) {
      setError(err instanceof PatientApiError && err.status === 409 ? t('patientApp.sharing.changed') : t('patientApp.errors.generic'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="stop-sharing">
      {confirming ? null : (
        <button type="button" className="danger secondary-wide" onClick={() => setConfirming(true)} data-testid="stop-sharing">
          {t('patientApp.sharing.stop.button')}
        </button>
      )}
      {confirming ? (
        <div className="confirm" role="group" aria-labelledby="stop-q">
          <p id="stop-q">
            <strong>{t('patientApp.sharing.stop.question')}</strong> {t('patientApp.sharing.stop.effect')}
          </p>
          <div className="actions">
            <button type="button" ref={yes} className="danger" disabled={busy} onClick={() => void stop()} data-testid="stop-sharing-confirm">
              {busy ? t('patientApp.wait') : t('patientApp.sharing.stop.yes')}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('patientApp.sharing.stop.no')}
            </button>
          </div>
        </div>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function WhoSaw({ accounting, failed }: { accounting: AccountingT | null; failed: boolean }) {
  const { t, i18n } = useTranslation();
  const list = useList();
  const who = useWho();
  const day = new Intl.DateTimeFormat(i18n.language === 'es' ? 'es' : 'en', { dateStyle: 'medium' });
  const why = (d: AccountingT['items'][number]) =>
    d.exception ? t(`patientApp.sharing.exceptions.${d.exception}`) : d.purpose ? t(`patientApp.sharing.purposes.${d.purpose}`) : t('patientApp.sharing.noReason');
  return (
    <div className="card" data-testid="who-saw">
      <h2>{t('patientApp.sharing.whoSaw')}</h2>
      <p>{t('patientApp.sharing.whoSawIntro')}</p>
      {!accounting && !failed ? <p>{t('patientApp.loading')}</p> : null}
      {failed ? (
        <p className="error" role="alert">
          {t('patientApp.errors.generic')}
        </p>
      ) : null}
      {accounting && accounting.items.length === 0 ? <p>{t('patientApp.sharing.nobody')}</p> : null}
      <ul className="plain disclosures">
        {accounting?.items.map((d) => (
          <li key={d.id} className="disclosure" data-testid="disclosure">
            <strong>{day.format(new Date(d.at))}</strong>
            <dl>
              <dt>{t('patientApp.sharing.whoLabel')}</dt>
              <dd>{who(d.recipient)}</dd>
              <dt>{t('patientApp.sharing.whatLabel')}</dt>
              <dd>{list(d.dataClasses.map((c) => t(`patientApp.sharing.classes.${c}`)))}</dd>
              <dt>{t('patientApp.sharing.whyLabel')}</dt>
              <dd>{why(d)}</dd>
            </dl>
          </li>
        ))}
      </ul>
    </div>
  );
}
