// Check-ins by text message (issue 12, "a phone line for patients without a smartphone"):
// the inbound SMS webhook (server/modules/messages/inbound-sms.ts) hands every text that is
// not STOP, START or HELP to this handler. A text from the number of exactly one patient
// that the reader understands ("7 0 1": craving 7, no use, medication taken) is recorded as
// that patient's check-in (source 'sms', once per message id) and answered with the thanks
// and, when the rules say so, how to get help now; anything else from a patient's number is
// answered with how to check in. A number that is no patient's, or is shared by several,
// gets the webhook's neutral answer: the text is not recorded against a guess.
import { parseSmsCheckIn } from '../../../core/checkins/sms.ts';
import { languageOf, smsCheckInHowTo, smsCheckInReply } from '../../../core/checkins/texts.ts';
import { systemCtx } from '../../platform/http/context.ts';
import type { OtherTextHandler } from '../messages/inbound-sms.ts';
import { recordCheckIn } from './record-check-in.ts';

export const smsCheckIns: OtherTextHandler = async (tx, { senders, text, now, messageSid, requestId }) => {
  if (senders.length !== 1) return null;
  const sender = senders[0]!;
  const lang = languageOf(sender.language);
  const parsed = parseSmsCheckIn(text);
  if (!parsed.ok) return smsCheckInHowTo(lang);
  const ctx = systemCtx({ orgId: sender.orgId, programId: sender.programId, now, requestId });
  const result = await recordCheckIn(
    { tx, ctx },
    { programId: sender.programId, patientId: sender.patientId, source: 'sms', answers: parsed.answers, idempotencyKey: `sms:${messageSid}`, recordedBy: null },
  );
  return smsCheckInReply(result.show, lang);
};
