// How the consent screens name things: a consent's status (a badge with a word and a symbol),
// its recipient, when it ends, the kinds of information (the labels the server gives with the
// templates) and the purposes.
import { useTranslation } from 'react-i18next';
import { StatusBadge } from '../../components/common.tsx';
import { formatDate } from '../../format.ts';
import { useTemplates, type ConsentStatusT, type ConsentT, type DataClassT, type PurposeT } from './queries.ts';

const TONES: Record<ConsentStatusT, 'ok' | 'warn' | 'bad' | 'neutral'> = { active: 'ok', 'awaiting-signature': 'warn', expired: 'neutral', revoked: 'bad', superseded: 'neutral' };

export function ConsentStatus({ status }: { status: ConsentStatusT }) {
  const { t } = useTranslation();
  return <StatusBadge tone={TONES[status]}>{t(`consent.status.${status}`)}</StatusBadge>;
}

export function useConsentWords() {
  const { t, i18n } = useTranslation();
  const templates = useTemplates();
  const labels = new Map(templates.data?.dataClasses.map((d) => [d.key, d.en]) ?? []);
  // the server's labels (the consent's words); without read:consent (an auditor), the console's own
  const dataClass = (d: DataClassT) => labels.get(d) ?? t(`consent.dataClasses.${d}`);
  const purpose = (p: PurposeT) => t(`consent.purposes.${p}`);
  const recipient = (r: { kind: string; name?: string }) => (r.kind === 'tpo-designation' ? t('consent.recipient.tpo') : (r.name ?? ''));
  const expiry = (c: Pick<ConsentT, 'expiry'>) => {
    const e = c.expiry;
    if (e.kind === 'date') return t('consent.expiry.onDate', { date: formatDate(e.on, i18n.language) });
    if (e.kind === 'condition') return t('consent.expiry.whenCondition', { condition: e.text });
    return t(`consent.expiry.${e.kind === 'none' ? 'noneShort' : 'endOfTreatmentShort'}`);
  };
  return { dataClass, dataClasses: (ds: readonly DataClassT[]) => ds.map(dataClass).join('; '), purpose, recipient, expiry, templates };
}
