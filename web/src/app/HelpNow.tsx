// Help now (issue 12, ADR 037): 988 (call, text, and its Spanish line), the programme's
// crisis and after-hours numbers and the clinic, the five naloxone steps, where to get
// naloxone, and never-use-alone guidance. The general part needs no PIN: the unlock screen
// opens it, and it is fetched from the public GET /api/patient/help (programme data only)
// and kept on the phone (localStorage: no patient data) so it shows offline. Unlocked, it
// adds "call my counsellor / my peer" (their work number when staff gave one, else the
// clinic's with "ask for your counselor"), the personal safety plan, and the patient's own
// naloxone kit: when it expires, and "ask the clinic for a new one" when it has expired or
// expires within 30 days (the server decides: GET /api/patient/naloxone; kept on the phone
// for offline, like Today).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { languageOf } from '../../../core/checkins/texts.ts';
import { dialable } from '../../../core/help/settings.ts';
import { helpTexts } from '../../../core/help/texts.ts';
import { formatDate } from '../format.ts';
import { patientApi, type PublicHelpT } from './api.ts';
import { loadDevice } from './device.ts';
import { KeptNote } from './KeptNote.tsx';
import { SafetyPlan } from './SafetyPlan.tsx';
import { useLoaded } from './useLoaded.ts';

const CACHE = 'waypoint.app.help';

function cached(): PublicHelpT | null {
  try {
    return JSON.parse(localStorage.getItem(CACHE) ?? 'null') as PublicHelpT | null;
  } catch {
    return null;
  }
}

/** The programme's help: the copy on the phone at once, then the server's (kept for next time, and for offline). */
function useProgrammeHelp(): { help: PublicHelpT | null; offline: boolean } {
  const [help, setHelp] = useState<PublicHelpT | null>(cached);
  const [offline, setOffline] = useState(false);
  useEffect(() => {
    let live = true;
    void (async () => {
      const programId = (await loadDevice().catch(() => null))?.programId ?? cached()?.programId;
      if (!programId) return;
      try {
        const fresh = await patientApi.help(programId);
        localStorage.setItem(CACHE, JSON.stringify(fresh));
        if (live) setHelp(fresh);
      } catch {
        if (live) setOffline(true);
      }
    })();
    return () => {
      live = false;
    };
  }, []);
  return { help, offline };
}

const CARE_ROLES = [
  ['primary-counsellor', 'callCounsellor'],
  ['peer-specialist', 'callPeer'],
] as const;

export function HelpNow({ signedIn, onBack }: { signedIn: boolean; onBack?: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = languageOf(i18n.language);
  const texts = helpTexts(lang);
  const { help, offline } = useProgrammeHelp();
  const [team, setTeam] = useState<{ roles: string[]; phones: Partial<Record<string, string>> }>({ roles: [], phones: {} });
  useEffect(() => {
    if (!signedIn) return;
    let live = true;
    patientApi
      .careTeam()
      .then((r) => live && setTeam(r))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [signedIn]);

  const label = (l: { labelEn: string; labelEs: string }) => (lang === 'es' ? l.labelEs : l.labelEn);
  const lines = [...(help?.crisisLines ?? []).map((l) => ({ ...l, kind: 'crisis' as const })), ...(help?.afterHoursLines ?? []).map((l) => ({ ...l, kind: 'afterHours' as const }))];

  return (
    <section aria-labelledby="help-title" data-testid="help-now">
      {onBack ? (
        <button type="button" onClick={onBack} data-testid="help-back">
          {t('patientApp.help.back')}
        </button>
      ) : null}
      <h1 id="help-title">{t('patientApp.help.title')}</h1>
      <p>{t('patientApp.help.intro')}</p>
      {offline ? <p className="notice">{t('patientApp.help.offline')}</p> : null}

      <div className="card crisis-card" data-testid="lifeline">
        <h2>{texts.lifeline.title}</h2>
        <p>{texts.lifeline.body}</p>
        <div className="call-row">
          <a className="button primary" href="tel:988">
            {texts.lifeline.call}
          </a>
          <a className="button" href="sms:988">
            {texts.lifeline.text}
          </a>
        </div>
        <p lang="es">
          <a className="button" href="tel:988">
            {texts.lifelineSpanish.text}
          </a>
        </p>
      </div>

      <div className="card" data-testid="clinic-numbers">
        <h2>{t('patientApp.help.clinic.title')}</h2>
        {help?.clinicPhone ? (
          <a className="button primary wide" href={`tel:${dialable(help.clinicPhone)}`}>
            {t('patientApp.help.clinic.call')}
          </a>
        ) : null}
        {signedIn
          ? CARE_ROLES.filter(([role]) => team.roles.includes(role)).map(([role, key]) => {
              // their own work number, else the clinic's with "ask for your counselor"
              const direct = team.phones[role];
              if (direct)
                return (
                  <p key={role}>
                    <a className="button wide" href={`tel:${dialable(direct)}`} data-testid={`call-${role}`}>
                      {t(`patientApp.help.team.${key}`)}
                    </a>
                  </p>
                );
              if (!help?.clinicPhone) return null;
              return (
                <p key={role}>
                  <a className="button wide" href={`tel:${dialable(help.clinicPhone)}`} aria-describedby={`ask-${role}`} data-testid={`call-${role}`}>
                    {t(`patientApp.help.team.${key}`)}
                  </a>
                  <span className="hint" id={`ask-${role}`}>
                    {' '}
                    {t('patientApp.help.team.askFor', { role: t(`patientApp.help.team.roles.${role}`) })}
                  </span>
                </p>
              );
            })
          : null}
        {(['crisis', 'afterHours'] as const).map((kind) => {
          const these = lines.filter((l) => l.kind === kind);
          if (these.length === 0) return null;
          return (
            <div key={kind}>
              <h3>{t(`patientApp.help.clinic.${kind}`)}</h3>
              <ul className="plain">
                {these.map((l, i) => (
                  <li key={i}>
                    <a className="button wide" href={`tel:${dialable(l.phone)}`}>
                      {t('patientApp.help.call')}: {label(l)}
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
        {!help?.clinicPhone && lines.length === 0 ? <p>{t('patientApp.help.clinic.none')}</p> : null}
      </div>

      {signedIn ? <SafetyPlan /> : null}

      {signedIn ? <YourNaloxone /> : null}

      <div className="card" data-testid="naloxone-steps">
        <h2>{texts.naloxone.title}</h2>
        <ol>
          {texts.naloxone.steps.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ol>
      </div>

      <div className="card" data-testid="naloxone-places">
        <h2>{t('patientApp.help.places.title')}</h2>
        {help && help.naloxonePlaces.length > 0 ? (
          <ul className="plain">
            {help.naloxonePlaces.map((p, i) => (
              <li key={i} className="place">
                <strong>{p.name}</strong>
                <br />
                {p.address}
                <br />
                {t('patientApp.help.places.hours')}: {p.hours}
                {p.note ? (
                  <>
                    <br />
                    {p.note}
                  </>
                ) : null}
                {p.phone ? (
                  <>
                    <br />
                    <a className="button" href={`tel:${dialable(p.phone)}`}>
                      {t('patientApp.help.places.call', { name: p.name })}
                    </a>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('patientApp.help.places.none')}</p>
        )}
      </div>

      <div className="card" data-testid="never-use-alone">
        <h2>{texts.neverUseAlone.title}</h2>
        <ul>
          {texts.neverUseAlone.tips.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
        <p>{texts.neverUseAlone.line.label}</p>
        <a className="button wide" href={`tel:${texts.neverUseAlone.line.phone}`}>
          {t('patientApp.help.call')} 1-800-484-3731
        </a>
      </div>
    </section>
  );
}

/**
 * The patient's own naloxone, beside the five steps (a patient in crisis reads that they have
 * it and how to use it together) and above where to get more. Shown only when the clinic has
 * given the patient a kit; the one that expires last is the one to keep at hand.
 */
function YourNaloxone() {
  const { t, i18n } = useTranslation();
  const { data, keptAt } = useLoaded(() => patientApi.naloxone(), 0, 'naloxone');
  const kit = data?.kits[0];
  if (!data || !kit) return null;
  const date = formatDate(kit.expiresOn, i18n.language);
  return (
    <div className="card" data-testid="my-naloxone">
      <h2>{t('patientApp.help.mine.title')}</h2>
      <KeptNote at={keptAt} />
      <p data-testid="my-naloxone-expiry">{t(kit.expired ? 'patientApp.help.mine.expired' : 'patientApp.help.mine.has', { date })}</p>
      {kit.askForNew ? (
        <p className="notice" data-testid="my-naloxone-renew">
          <strong>{t('patientApp.help.mine.askForNew')}</strong>
          {kit.expired ? ` ${t('patientApp.help.mine.useAnyway')}` : null}
        </p>
      ) : null}
      {data.trained ? null : <p>{t('patientApp.help.mine.learn')}</p>}
    </div>
  );
}
