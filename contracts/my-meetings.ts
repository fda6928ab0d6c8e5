// A patient's chosen meetings, attendance and the rotating attendance code (issue 15, ADR 048, docs/meetings.md).
import { z } from 'zod';

const Id = z.uuid();
const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' });

export const MeetingIdParams = z.strictObject({ id: Id });
export const ChooseMeeting = z.strictObject({ meetingId: Id });

export const ChosenMeeting = z.object({
  meetingId: z.string(),
  name: z.string(),
  fellowship: z.string(),
  weekday: z.number().int(),
  startTime: z.string(),
  endTime: z.string().nullable(),
  timeZone: z.string(),
  mode: z.string(),
  locationName: z.string().nullable(),
  address: z.string().nullable(),
  conferenceUrl: z.string().nullable(),
  active: z.boolean(),
  /** Whether the meeting can verify attendance with a code (the programme's own groups). */
  verifiable: z.boolean(),
  addedAt: z.string(),
});
/** Bounded: a patient chooses at most MAX_CHOSEN meetings. */
export const ChosenMeetings = z.object({ items: z.array(ChosenMeeting) });

export const AttendanceRecord = z.object({
  id: z.string(),
  meetingId: z.string(),
  meetingName: z.string(),
  attendedOn: z.string(),
  how: z.enum(['self', 'verified']),
  recordedAt: z.string(),
  /** Whether it counted toward a CM attendance target. */
  countedForCm: z.boolean(),
});
export const AttendanceList = z.object({ items: z.array(AttendanceRecord) });
export const AttendanceQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const SelfAttendance = z.strictObject({ date: LocalDate.optional() });
export const VerifyAttendance = z.strictObject({ meetingId: Id, code: z.string().regex(/^\d{6}$/, { message: 'must be the 6 digits shown' }) });
export const AttendanceResult = z.object({
  attendance: AttendanceRecord,
  duplicate: z.boolean(),
  cm: z.object({ posted: z.enum(['earned', 'not-earned', 'not-enrolled', 'not-rewarded', 'day-already-recorded', 'no-opportunity']), earnedCents: z.number().int() }),
});

export const AttendanceCode = z.object({
  meetingId: z.string(),
  meetingName: z.string(),
  code: z.string(),
  /** The app URL the QR code encodes (meeting and code; no patient data). */
  url: z.string(),
  expiresAt: z.string(),
  stepSeconds: z.number().int(),
  /** Whether the meeting is on now (codes are accepted only then). */
  onNow: z.boolean(),
});

export const PatientMeetingsView = z.object({ chosen: ChosenMeetings.shape.items, attendance: AttendanceList.shape.items });
