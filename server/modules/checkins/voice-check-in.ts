// Check-ins by phone call (issue 12, ADR 038): the voice webhooks (server/modules/messages/
// messages.routes.ts verifies X-Twilio-Signature) hand each call's start and each key press
// here. A call from the number of exactly one patient is asked three questions in their
// language (core/checkins/voice.ts); the answers are recorded through recordCheckIn
// (source 'voice', key `voice:<CallSid>`), so the risk rules and alerts run as for any
// check-in. Every step's TwiML is stored by (CallSid, step): a retried webhook gets the same
// answer and records nothing again. A number that is no patient's, or several patients',
// hears a neutral message naming no one. Calls not touched for an hour are deleted with any
// unfinished answers (purgeVoiceCalls in messages/voice.ts, hourly): a call that ends early records nothing.
import { and, eq } from 'drizzle-orm';
import { advance, startCall, voiceTwiml, type VoiceState } from '../../../core/checkins/voice.ts';
import { languageOf, type Language } from '../../../core/checkins/texts.ts';
import { twiml } from '../../../core/messages/twiml.ts';
import type { Tx } from '../../platform/db/database.ts';
import { systemCtx } from '../../platform/http/context.ts';
import { sendersOf } from '../messages/inbound-sms.ts';
import { phoneLineSettings, voiceCallSteps, voiceCalls } from '../messages/messages.tables.ts';
import { programs } from '../programs/programs.tables.ts';
import type { VoiceCallHandlers } from '../messages/voice.ts';
import { recordCheckIn } from './record-check-in.ts';

/** A neutral end for a step that is no step of a call we know: it says nothing about anyone. */
const endCall = () => twiml([{ verb: 'hangup' }]);

async function storedStep(tx: Tx, callSid: string, seq: number): Promise<string | null> {
  const [s] = await tx
    .select({ twiml: voiceCallSteps.twiml })
    .from(voiceCallSteps)
    .where(and(eq(voiceCallSteps.callSid, callSid), eq(voiceCallSteps.seq, seq)));
  return s?.twiml ?? null;
}

export async function clinicNumberOf(tx: Tx, programId: string): Promise<string | null> {
  const [row] = await tx.select({ n: phoneLineSettings.clinicNumber }).from(phoneLineSettings).where(eq(phoneLineSettings.programId, programId));
  return row?.n ?? null;
}

/** Answers stay only until they are recorded or the call ends: the state kept after that holds none. */
const withoutAnswers = (s: VoiceState): VoiceState => (s.step === 'connect' || s.step === 'ended' ? { step: s.step, misses: 0, recorded: s.recorded } : s);

export const voiceCheckIns: VoiceCallHandlers = {
  async incoming(tx, { callSid, from, now, actionUrl }) {
    // the call's row is the lock: a concurrent retry of the same webhook waits, then replays
    const inserted = await tx
      .insert(voiceCalls)
      .values({ callSid, language: 'en', state: { step: 'ended', misses: 0, recorded: false }, seq: 0, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning({ callSid: voiceCalls.callSid });
    if (inserted.length === 0) return (await storedStep(tx, callSid, 0)) ?? endCall();
    const senders = await sendersOf(tx, from);
    const sender = senders.length === 1 ? senders[0]! : null;
    const lang: Language = languageOf(sender?.language);
    let answer: string;
    if (!sender) {
      answer = voiceTwiml({ kind: 'unknown' }, { lang: 'en', nextAction: '', clinicNumber: null });
    } else {
      answer = voiceTwiml({ kind: 'hello' }, { lang, nextAction: actionUrl(1), clinicNumber: null });
      await tx.update(voiceCalls).set({ programId: sender.programId, patientId: sender.patientId, language: lang, state: startCall(), seq: 1 }).where(eq(voiceCalls.callSid, callSid));
    }
    await tx.insert(voiceCallSteps).values({ callSid, seq: 0, twiml: answer });
    return answer;
  },

  async gather(tx, { callSid, seq, digits, now, requestId, actionUrl }) {
    const [call] = await tx.select().from(voiceCalls).where(eq(voiceCalls.callSid, callSid)).for('update');
    if (!call) return endCall();
    const replay = await storedStep(tx, callSid, seq);
    if (replay) return replay;
    // a step this call is not at (a forged or stale URL): end, change nothing
    if (seq !== call.seq || !call.programId || !call.patientId) return endCall();
    const lang = languageOf(call.language);
    const clinicNumber = await clinicNumberOf(tx, call.programId);
    const { state, outcome } = advance(call.state as VoiceState, digits, { canConnect: clinicNumber !== null });
    let show = { crisis: false, naloxone: false };
    if (outcome.kind === 'record') {
      const [program] = await tx.select({ orgId: programs.orgId }).from(programs).where(eq(programs.id, call.programId));
      const orgId = program!.orgId;
      const ctx = systemCtx({ orgId, programId: call.programId, now, requestId });
      const result = await recordCheckIn(
        { tx, ctx },
        { programId: call.programId, patientId: call.patientId, source: 'voice', answers: outcome.answers, idempotencyKey: `voice:${callSid}`, recordedBy: null },
      );
      show = result.show;
    }
    const answer = voiceTwiml(outcome, { lang, nextAction: actionUrl(seq + 1), clinicNumber }, show);
    await tx.insert(voiceCallSteps).values({ callSid, seq, twiml: answer });
    await tx
      .update(voiceCalls)
      .set({ state: withoutAnswers(state), seq: seq + 1, updatedAt: now })
      .where(eq(voiceCalls.callSid, callSid));
    return answer;
  },
};
