// Small pieces the peer outreach screens share (the work list, a referral, the patient page's
// card): a contact's name ("First contact", "Day 7 follow-up") and the tone of its state.
import { useTranslation } from 'react-i18next';
import type { SummaryT } from './api.ts';

export const stateTone = (s: string | undefined) => (s === 'overdue' || s === 'missed' ? 'bad' : s === 'due' ? 'warn' : s === 'done' ? 'ok' : 'neutral');

export function ContactLabel({ c }: { c: SummaryT['next'] }) {
  const { t } = useTranslation();
  if (!c) return <>—</>;
  return <>{c.kind === 'first' ? t('peers.contact.first') : t('peers.contact.followUp', { day: c.day })}</>;
}
