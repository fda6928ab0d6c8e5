// The meeting directory's API shapes (issue 15, docs/meetings.md): search, a meeting's detail,
// manual entries, MOUD-friendliness records and patients' welcome answers.
import { z } from 'zod';
import { ATTENDANCE_MODES, FELLOWSHIPS, FRIENDLINESS, TIME_OF_DAY } from '../core/meetings/model.ts';
import { EVIDENCE, WELCOME_ANSWERS } from '../core/meetings/friendliness.ts';
import { Id } from './common.ts';

const csv = <T extends z.ZodType>(item: T) => z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter((x) => x !== '') : v), z.array(item).min(1).max(20));
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const time = z.string().regex(TIME_OF_DAY, { message: 'must be a time as HH:MM' });

/** GET /meetings: nearest / soonest N (bounded, N ≤ 50). A place is a ZIP code or a latitude/longitude pair. */
export const MeetingSearchQuery = z
  .strictObject({
    postalCode: z
      .string()
      .regex(/^\d{5}$/, { message: 'must be a 5-digit US ZIP code' })
      .optional(),
    latitude: z.coerce.number().min(-90).max(90).optional(),
    longitude: z.coerce.number().min(-180).max(180).optional(),
    radius: z.coerce.number().positive().max(500).default(10),
    unit: z.enum(['mi', 'km']).default('mi'),
    weekdays: csv(z.coerce.number().int().min(0).max(6)).optional(),
    from: time.optional(),
    to: time.optional(),
    today: bool.optional(),
    nextHours: z.coerce.number().int().min(1).max(24).optional(),
    onlineNow: bool.optional(),
    fellowship: csv(z.enum(FELLOWSHIPS)).optional(),
    language: csv(z.string().regex(/^[a-z]{2,3}$/)).optional(),
    mode: csv(z.enum(ATTENDANCE_MODES)).optional(),
    friendlyFirst: bool.optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .refine((q) => (q.latitude === undefined) === (q.longitude === undefined), { message: 'give both latitude and longitude', path: ['longitude'] })
  .refine((q) => (q.from === undefined) === (q.to === undefined), { message: 'give both from and to', path: ['to'] });
export type MeetingSearchQuery = z.infer<typeof MeetingSearchQuery>;

export const TypeLabel = z.object({ code: z.string(), en: z.string(), es: z.string() });

export const WelcomeCounts = z.object({ patients: z.number().int(), yes: z.number().int(), somewhat: z.number().int(), no: z.number().int() });

export const CurrentFriendliness = z.object({
  friendliness: z.enum(FRIENDLINESS),
  evidence: z.enum(EVIDENCE).nullable(),
  recordedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  expired: z.boolean(),
});

export const MeetingSummary = z.object({
  id: z.string(),
  manual: z.boolean(),
  active: z.boolean(),
  fellowship: z.enum(FELLOWSHIPS),
  name: z.string(),
  weekday: z.number().int(),
  startTime: z.string(),
  endTime: z.string().nullable(),
  timeZone: z.string(),
  mode: z.enum(ATTENDANCE_MODES),
  locationName: z.string().nullable(),
  address: z.string().nullable(),
  postalCode: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  conferenceUrl: z.string().nullable(),
  conferencePhone: z.string().nullable(),
  languages: z.array(z.string()),
  types: z.array(TypeLabel),
  notes: z.string().nullable(),
  friendliness: CurrentFriendliness,
});

export const MeetingHit = MeetingSummary.extend({
  distanceKm: z.number().nullable(),
  distanceMiles: z.number().nullable(),
  startsInMinutes: z.number().int(),
  inProgress: z.boolean(),
});

export const MeetingSearchResult = z.object({
  items: z.array(MeetingHit),
  /** Where the search was centred (a ZIP code's centroid), if anywhere. */
  centre: z.object({ latitude: z.number(), longitude: z.number(), place: z.string().nullable() }).nullable(),
  coaching: z.object({ en: z.array(z.string()), es: z.array(z.string()) }),
});

export const FriendlinessRecordOut = z.object({
  id: z.string(),
  friendliness: z.enum(FRIENDLINESS),
  evidence: z.enum(EVIDENCE),
  note: z.string().nullable(),
  recordedByName: z.string().nullable(),
  recordedAt: z.string(),
  expiresAt: z.string().nullable(),
});

export const MeetingDetail = z.object({
  meeting: MeetingSummary,
  history: z.array(FriendlinessRecordOut),
  /** Null until at least 3 different patients answered. */
  welcome: WelcomeCounts.nullable(),
});

const optText = (max: number) => z.string().trim().max(max).nullable().optional();

/** A manual entry (fellowships without a feed). */
export const MeetingInput = z
  .strictObject({
    fellowship: z.enum(FELLOWSHIPS),
    name: z.string().trim().min(1, { message: 'is required' }).max(200),
    weekday: z.number().int().min(0).max(6),
    startTime: time,
    endTime: time.nullable().optional(),
    timeZone: z.string().refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC', { message: 'must be an IANA time zone' }),
    mode: z.enum(ATTENDANCE_MODES),
    locationName: optText(200),
    address: optText(300),
    postalCode: z
      .string()
      .regex(/^\d{5}$/, { message: 'must be a 5-digit US ZIP code' })
      .nullable()
      .optional(),
    latitude: z.number().min(-90).max(90).nullable().optional(),
    longitude: z.number().min(-180).max(180).nullable().optional(),
    conferenceUrl: z
      .url({ protocol: /^https$/, message: 'must be an https link' })
      .max(500)
      .nullable()
      .optional(),
    conferencePhone: optText(40),
    languages: z
      .array(z.string().regex(/^[a-z]{2,3}$/, { message: 'must be a language code like en or es' }))
      .min(1)
      .max(10),
    types: z.array(z.string().max(10)).max(30).default([]),
    notes: optText(1000),
  })
  .superRefine((m, c) => {
    if (m.mode !== 'online' && !m.address && !m.postalCode && (m.latitude == null || m.longitude == null))
      c.addIssue({ code: 'custom', path: ['address'], message: 'an in-person or hybrid meeting needs an address or a ZIP code' });
    if (m.mode !== 'in-person' && !m.conferenceUrl && !m.conferencePhone)
      c.addIssue({ code: 'custom', path: ['conferenceUrl'], message: 'an online or hybrid meeting needs a link or a phone number' });
    if ((m.latitude == null) !== (m.longitude == null)) c.addIssue({ code: 'custom', path: ['longitude'], message: 'give both latitude and longitude' });
  });
export type MeetingInput = z.infer<typeof MeetingInput>;

export const FriendlinessInput = z.strictObject({
  friendliness: z.enum(FRIENDLINESS),
  evidence: z.enum(EVIDENCE),
  note: optText(1000),
  /** When it stops counting; default one year from now. Null: it does not expire. */
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
});

export const WelcomeInput = z.strictObject({ answer: z.enum(WELCOME_ANSWERS) });
export const WelcomeResult = z.object({ meetingId: z.string(), answer: z.enum(WELCOME_ANSWERS) });

export const MeetingParams = z.strictObject({ id: Id });
