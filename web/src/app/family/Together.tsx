// The couple's and the network's part of the family app (issue 16): for a partner, "Today's trust
// talk: did you have it?" (and whether they saw the medicine taken, when the contract has that
// part), what the couple agreed, and the month's calendar — the patient's side of it only when
// their consent shares it (then with the notice against sharing it again; each view is a
// recorded disclosure), else only the days the partner marked, with a line saying so. For a
// network member: "Did you see today's dose taken?" and the days they said (their own record).
// Rendered by the family shell (FamilyApp.tsx) under the Shared cards.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CONTRACT_PART_WORDS } from '../../../../core/family/couples.ts';
import { familyApi, type FamilyTogetherT } from '../api.ts';
import { useLoaded } from '../useLoaded.ts';
import { TalkCalendar } from './TalkCalendar.tsx';

type Contract = FamilyTogetherT['contracts'][number];
type Membership = FamilyTogetherT['memberships'][number];

/** `lang`: the family member's language as the clinic recorded it; the words follow the app's language once they switch it. */
export function TogetherCards({ lang: recorded }: { lang: 'en' | 'es' }) {
  const { i18n } = useTranslation();
  const lang = i18n.language ? (i18n.language.startsWith('es') ? 'es' : 'en') : recorded;
  const [version, setVersion] = useState(0);
  const { data } = useLoaded(() => familyApi.together(), version);
  if (!data || (data.contracts.length === 0 && data.memberships.length === 0)) return null;
  const reload = () => setVersion((v) => v + 1);
  return (
    <div data-testid="together-cards">
      {data.contracts.map((c) => (
        <PartnerCard key={c.id} contract={c} today={data.today} lang={lang} onSaved={reload} />
      ))}
      {data.memberships.map((m) => (
        <NetworkCard key={m.id} membership={m} today={data.today} onSaved={reload} />
      ))}
    </div>
  );
}

function PartnerCard({ contract, today, lang, onSaved }: { contract: Contract; today: string; lang: 'en' | 'es'; onSaved: () => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(false);
  const [saved, setSaved] = useState(false);
  const todayRow = contract.calendar.days.find((d) => d.day === today);
  const mine = todayRow && todayRow.recordedBy === 'partner' ? todayRow : null;
  const withMedicine = contract.terms.includes('medication-witnessed');
  const [medicine, setMedicine] = useState<boolean | null>(null);
  const save = async (held: boolean) => {
    setBusy(true);
    setError(false);
    setSaved(false);
    try {
      await familyApi.togetherDay(contract.id, today, { held, ...(withMedicine && medicine !== null ? { medicationWitnessed: medicine } : {}) });
      setSaved(true);
      onSaved();
    } catch {
      setError(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby={`talk-${contract.id}`} data-testid="partner-card">
      <h2 id={`talk-${contract.id}`}>{contract.shared && contract.firstName ? t('patientApp.together.titleWith', { name: contract.firstName }) : t('patientApp.together.title')}</h2>
      {contract.notice ? (
        <p className="notice" role="note">
          {contract.notice.plain}
        </p>
      ) : null}
      <fieldset className="choices">
        <legend>{t('patientApp.together.askPartner')}</legend>
        {withMedicine ? (
          <p>
            <label>
              <input type="checkbox" checked={medicine === true} onChange={(e) => setMedicine(e.currentTarget.checked)} /> {t('patientApp.together.sawMedicine')}
            </label>
          </p>
        ) : null}
        <button type="button" className="primary" disabled={busy} onClick={() => void save(true)} data-testid="talk-yes">
          {t('patientApp.together.yes')}
        </button>
        <button type="button" className="secondary-wide" disabled={busy} onClick={() => void save(false)} data-testid="talk-no">
          {t('patientApp.together.notToday')}
        </button>
      </fieldset>
      <p role="status">{saved ? t('patientApp.together.saved') : mine ? t(mine.status === 'held' ? 'patientApp.together.youSaidYes' : 'patientApp.together.youSaidNo') : ''}</p>
      {error ? (
        <p className="error" role="alert">
          {t('patientApp.together.error')}
        </p>
      ) : null}
      <h3>{t('patientApp.together.agreed')}</h3>
      <ul>
        {contract.terms.map((p) => (
          <li key={p}>{CONTRACT_PART_WORDS[p].title[lang]}</li>
        ))}
      </ul>
      {contract.ownTerms ? <p>{t('patientApp.together.ownWords', { words: contract.ownTerms })}</p> : null}
      {!contract.shared ? <p className="notice">{t('patientApp.together.notShared')}</p> : null}
      <TalkCalendar calendar={contract.calendar} lang={lang} showSummary={contract.shared} />
    </section>
  );
}

function NetworkCard({ membership, today, onSaved }: { membership: Membership; today: string; onSaved: () => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(false);
  const [saved, setSaved] = useState(false);
  const todays = membership.myDoses.find((d) => d.day === today);
  const taken = membership.myDoses.filter((d) => d.taken).length;
  const save = async (v: boolean) => {
    setBusy(true);
    setError(false);
    setSaved(false);
    try {
      await familyApi.togetherDose(membership.id, today, v);
      setSaved(true);
      onSaved();
    } catch {
      setError(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby={`team-${membership.id}`} data-testid="network-card">
      <h2 id={`team-${membership.id}`}>{t('patientApp.together.teamTitle')}</h2>
      {membership.role ? <p>{t('patientApp.together.yourPart', { role: membership.role })}</p> : null}
      <fieldset className="choices">
        <legend>{t('patientApp.together.askDose')}</legend>
        <button type="button" className="primary" disabled={busy} onClick={() => void save(true)} data-testid="dose-yes">
          {t('patientApp.together.yes')}
        </button>
        <button type="button" className="secondary-wide" disabled={busy} onClick={() => void save(false)} data-testid="dose-no">
          {t('patientApp.together.no')}
        </button>
      </fieldset>
      <p role="status">{saved ? t('patientApp.together.saved') : todays ? t(todays.taken ? 'patientApp.together.doseSaidYes' : 'patientApp.together.doseSaidNo') : ''}</p>
      {error ? (
        <p className="error" role="alert">
          {t('patientApp.together.error')}
        </p>
      ) : null}
      <p>{t('patientApp.together.doseDays', { taken, count: membership.myDoses.length })}</p>
    </section>
  );
}
