// The seam for calls to the phone line (ADR 038): the voice webhooks in messages.routes.ts
// verify the provider's signature and hand each call's start and each key press to these
// handlers (server/modules/checkins/voice-check-in.ts asks the check-in questions).
import { lt } from 'drizzle-orm';
import type { Db, Tx } from '../../platform/db/database.ts';
import { voiceCalls } from './messages.tables.ts';

export const VOICE_INBOUND_PATH = '/api/v1/voice/inbound';
export const VOICE_GATHER_PATH = '/api/v1/voice/gather';

/** Builds the absolute URL the provider posts step `seq`'s key press to. */
export type ActionUrl = (seq: number) => string;

export type VoiceCallHandlers = {
  /** A call starts (step 0). */
  incoming(tx: Tx, input: { callSid: string; from: string; now: Date; requestId: string; actionUrl: ActionUrl }): Promise<string>;
  /** A key press (or none: Digits empty) answering step `seq`'s prompt. */
  gather(tx: Tx, input: { callSid: string; seq: number; digits: string | null; now: Date; requestId: string; actionUrl: ActionUrl }): Promise<string>;
};

/** Deletes calls not touched for an hour, with the answers of any that ended early (hourly job): a call that ends early records nothing. */
export async function purgeVoiceCalls(db: Db, now: Date): Promise<number> {
  const gone = await db
    .delete(voiceCalls)
    .where(lt(voiceCalls.updatedAt, new Date(now.getTime() - 3600_000)))
    .returning({ callSid: voiceCalls.callSid });
  return gone.length;
}
