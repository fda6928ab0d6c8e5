// Pieces the CM screens share: money and draw values, outcome badges, calendar cell
// meanings (colour + symbol + words, never colour alone), the next opportunity, and why
// staff decline (a patient's request from the app, or a redemption as its second approver).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Group, NativeSelect, Text, TextInput } from '@mantine/core';
import { ANALYTES, ANALYTE_INFO, type Analyte } from '../../../../core/cm/analytes.ts';
import { DECLINE_NOTE_MAX, DECLINE_REASONS, declineNeedsNote, type DeclineReason } from '../../../../core/cm/requests.ts';
import { fieldError } from '../../components/forms.tsx';
import type { NextOpportunityT } from '../../api.ts';
import { formatCents, formatDate } from '../../format.ts';
import { StatusBadge } from '../../components/common.tsx';

export { ANALYTES, ANALYTE_INFO, type Analyte };

/** Calendar cell statuses from GET /cm/patients/{id}/summary. */
export const CELL: Record<string, { symbol: string; bg: string; fg: string; tone: 'ok' | 'warn' | 'bad' | 'neutral' }> = {
  success: { symbol: '✓', bg: '#d3f9d8', fg: '#1b4d24', tone: 'ok' },
  negative: { symbol: '−', bg: '#e6fcf5', fg: '#0b4d3c', tone: 'ok' },
  positive: { symbol: '+', bg: '#ffe3e3', fg: '#7d1a1a', tone: 'bad' },
  failure: { symbol: '✕', bg: '#ffe3e3', fg: '#7d1a1a', tone: 'bad' },
  invalid: { symbol: '!', bg: '#fff3bf', fg: '#5c4300', tone: 'warn' },
  pending: { symbol: '?', bg: '#fff3bf', fg: '#5c4300', tone: 'warn' },
  missed: { symbol: '○', bg: '#f1f3f5', fg: '#343a40', tone: 'bad' },
  unrecorded: { symbol: '…', bg: '#f1f3f5', fg: '#343a40', tone: 'neutral' },
  excused: { symbol: '~', bg: '#e7f5ff', fg: '#123d63', tone: 'neutral' },
  open: { symbol: '◎', bg: '#e7f5ff', fg: '#123d63', tone: 'neutral' },
  scheduled: { symbol: '·', bg: '#ffffff', fg: '#495057', tone: 'neutral' },
};
export const cellMeta = (status: string) => CELL[status] ?? CELL.scheduled!;

/** The outcome of one track for one opportunity, as a badge. */
export function OutcomeBadge({ outcome }: { outcome: string }) {
  const { t } = useTranslation();
  return <StatusBadge tone={cellMeta(outcome).tone}>{t(`cm.status.${outcome}`, { defaultValue: outcome })}</StatusBadge>;
}

/** "$3.00" or "3 draws" or a privilege level. */
export function useValueText() {
  const { t, i18n } = useTranslation();
  return (o: { payout: string; cents: number; draws: number; privilege: string | null }) => {
    if (o.payout === 'draws') return t('cm.draws', { count: o.draws });
    if (o.payout === 'privilege') return o.privilege ?? t('common.notRecorded');
    return formatCents(o.cents, i18n.language);
  };
}

/** What the next opportunity is worth, per track. */
export function NextValue({ next, size = 'md' }: { next: Array<NextOpportunityT | null>; size?: string }) {
  const { t, i18n } = useTranslation();
  const value = useValueText();
  const list = next.filter((n): n is NextOpportunityT => !!n);
  if (list.length === 0) return <Text size={size}>{t('cm.noNext')}</Text>;
  return (
    <>
      {list.map((n) => (
        <Text key={`${n.kind}-${n.date}`} size={size}>
          {t('cm.nextLine', {
            date: formatDate(n.date, i18n.language),
            kind: t(`cm.kinds.${n.kind}`, { defaultValue: n.kind }),
            value: n.tracks.map((tr) => value(tr)).join(' + '),
          })}
        </Text>
      ))}
    </>
  );
}

/** A track id as words ("stimulant-abstinence" → "stimulant abstinence"). */
export const trackName = (id: string | null | undefined) => (id ?? '').replace(/-/g, ' ');

/** What a decline form holds: why, from the list ('' until chosen), and the note (required with 'other'). */
export function useDeclineReason() {
  const [reasonCode, setReasonCode] = useState<DeclineReason | ''>('');
  const [note, setNote] = useState('');
  return {
    reasonCode,
    setReasonCode,
    note,
    setNote,
    chosen: reasonCode !== '',
    /** The API body's part: the code and the note, if written. */
    body: () => ({ reasonCode: reasonCode || undefined, reason: note.trim() || undefined }),
    reset: () => {
      setReasonCode('');
      setNote('');
    },
  };
}

/**
 * The decline form: why, in the words the app shows the patient in their language, a note
 * (required with 'other'), the confirm button (disabled until a reason is chosen) and Cancel.
 */
export function DeclineForm(props: { kind: 'request' | 'redemption'; state: ReturnType<typeof useDeclineReason>; busy: boolean; error: unknown; onConfirm: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const { state } = props;
  const noteNeeded = declineNeedsNote(state.reasonCode);
  // a request's decline and a second approver's: their words
  const words = props.kind === 'request' ? { label: t('redeem.requests.reason'), confirm: t('redeem.requests.confirmDecline') } : { label: t('approvals.why'), confirm: t('approvals.confirmDecline') };
  return (
    <Group gap={4} align="flex-end" wrap="wrap">
      <NativeSelect
        size="xs"
        label={words.label}
        value={state.reasonCode}
        onChange={(e) => state.setReasonCode(e.currentTarget.value as DeclineReason | '')}
        data={[{ value: '', label: t('redeem.requests.reasonPick'), disabled: true }, ...DECLINE_REASONS.map((c) => ({ value: c, label: t(`redeem.requests.reasons.${c}`) }))]}
        error={fieldError(props.error, 'reasonCode')}
      />
      <TextInput
        size="xs"
        label={noteNeeded ? t('redeem.requests.note') : t('redeem.requests.noteOptional')}
        withAsterisk={noteNeeded}
        value={state.note}
        onChange={(e) => state.setNote(e.currentTarget.value)}
        error={fieldError(props.error, 'reason')}
        maxLength={DECLINE_NOTE_MAX[props.kind]}
      />
      <Button size="xs" color="red" loading={props.busy} disabled={!state.chosen} onClick={props.onConfirm}>
        {words.confirm}
      </Button>
      <Button size="xs" variant="subtle" onClick={props.onCancel}>
        {t('common.cancel')}
      </Button>
    </Group>
  );
}

/** Why a decline was made, as staff read it: the reason from the list (unless 'other') and the note. */
export function DeclinedWhy({ reasonCode, reason }: { reasonCode: DeclineReason | null; reason: string | null }) {
  const { t } = useTranslation();
  const said = [reasonCode && reasonCode !== 'other' ? t(`redeem.requests.reasons.${reasonCode}`) : null, reason].filter(Boolean).join(' — ');
  return said ? (
    <Text size="xs" data-testid="declined-why">
      {said}
    </Text>
  ) : null;
}
