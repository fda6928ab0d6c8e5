// The patient-tablet hand-off (ADR 027). A staff member starts a tablet session; the
// console shows a link (and its QR code) carrying a single-use hand-off code. The tablet
// exchanges that code once for the form token. The code must be used within
// HANDOFF_MINUTES of the start; the form token then lasts FORM_MINUTES from the hand-off.
export const HANDOFF_MINUTES = 10;
export const FORM_MINUTES = 30;

export type HandoffState = { handedOffAt: Date | null; handoffExpiresAt: Date; cancelledAt: Date | null };
export type HandoffRefusal = 'used' | 'expired' | 'cancelled';

export const handoffExpiresAt = (startedAt: Date): Date => new Date(startedAt.getTime() + HANDOFF_MINUTES * 60_000);
export const formExpiresAt = (handedOffAt: Date): Date => new Date(handedOffAt.getTime() + FORM_MINUTES * 60_000);

/** Why a hand-off code cannot be exchanged at `now`, or null when it can (once). */
export function handoffRefusal(s: HandoffState, now: Date): HandoffRefusal | null {
  if (s.handedOffAt) return 'used';
  if (s.cancelledAt) return 'cancelled';
  if (s.handoffExpiresAt.getTime() <= now.getTime()) return 'expired';
  return null;
}
