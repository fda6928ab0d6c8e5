// Whether a patient may be contacted on a channel: consent given for it, not opted out,
// and an address to send to. A message that may not be sent is recorded as suppressed with
// the reason (never silently dropped). Pure.

export const CHANNELS = ['sms', 'email', 'push'] as const;
export type Channel = (typeof CHANNELS)[number];

export const SUPPRESSION_REASONS = ['no-consent', 'opted-out', 'no-address'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export type ContactState = {
  consent: Record<Channel, boolean>;
  /** The patient texted STOP (SMS only; START clears it). */
  smsOptedOut: boolean;
  hasAddress: Record<Channel, boolean>;
};

/** null: may be sent; otherwise why not. Opting out wins over consent. */
export function suppressionReason(state: ContactState, channel: Channel): SuppressionReason | null {
  if (channel === 'sms' && state.smsOptedOut) return 'opted-out';
  if (!state.consent[channel]) return 'no-consent';
  if (!state.hasAddress[channel]) return 'no-address';
  return null;
}

/** The channel to reach a patient on: the first in `preference` that may be used, or null. */
export function chooseChannel(state: ContactState, preference: readonly Channel[] = ['push', 'sms', 'email']): Channel | null {
  return preference.find((c) => suppressionReason(state, c) === null) ?? null;
}
