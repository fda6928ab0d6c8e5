// One model for every meeting in the directory (issue 15, docs/meetings.md), whatever it came
// from: a Meeting Guide feed, a BMLT server or a manual entry (Methadone Anonymous, MARS,
// SMART Recovery, the programme's own groups, Nar-Anon and Al-Anon for families). Times are
// wall-clock times in the meeting's own time zone; a meeting whose end is before its start
// ends after midnight.

/** Who runs the meeting. `programme`: the programme's own group; `other`: anything else. */
export const FELLOWSHIPS = [
  'na', // Narcotics Anonymous
  'aa', // Alcoholics Anonymous
  'ma', // Methadone Anonymous
  'mars', // Medication-Assisted Recovery Services
  'mara', // Medication-Assisted Recovery Anonymous
  'smart', // SMART Recovery
  'recovery-dharma',
  'celebrate-recovery',
  'programme', // the programme's own group
  'nar-anon', // for families and friends
  'al-anon', // for families and friends
  'other',
] as const;
export type Fellowship = (typeof FELLOWSHIPS)[number];

/** The fellowships for families and friends of a person who uses drugs or alcohol (the family app's meetings, issue 16). */
export const FAMILY_FELLOWSHIPS: readonly Fellowship[] = ['nar-anon', 'al-anon'];

/** Where the meeting happens: in a room, online (a link or a phone line), or both. */
export const ATTENDANCE_MODES = ['in-person', 'online', 'hybrid'] as const;
export type AttendanceMode = (typeof ATTENDANCE_MODES)[number];

/** Whether a meeting welcomes people who take medication for OUD (Waypoint's own attribute). */
export const FRIENDLINESS = ['welcoming', 'mixed', 'restrictive', 'unknown'] as const;
export type Friendliness = (typeof FRIENDLINESS)[number];

/** What a source's records are read as. `manual`: entered by staff in Waypoint. */
export const SOURCE_FORMATS = ['meeting-guide', 'bmlt', 'manual'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

/** `HH:MM`, 24-hour. */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A meeting as Waypoint keeps it: one weekday per meeting (a feed's record on three days is three meetings). */
export interface Meeting {
  /** The meeting's key within its source (a feed's slug or id, with the weekday when the record lists several). */
  key: string;
  fellowship: Fellowship;
  name: string;
  /** 0–6, Sunday 0 (as Meeting Guide). */
  weekday: number;
  /** `HH:MM` in timeZone. */
  startTime: string;
  /** `HH:MM` in timeZone, or null when not known; before startTime when it ends after midnight. */
  endTime: string | null;
  /** IANA time zone. */
  timeZone: string;
  mode: AttendanceMode;
  /** The place's name (a church, a clinic), when in person. */
  locationName: string | null;
  /** The street address in one line, when in person. */
  address: string | null;
  postalCode: string | null;
  latitude: number | null;
  longitude: number | null;
  conferenceUrl: string | null;
  conferencePhone: string | null;
  /** Languages the meeting is held in (ISO 639-1: `en`, `es`, ...). */
  languages: string[];
  /** Meeting Guide type codes (content/meetings/types.json), e.g. `O` open, `C` closed, `S` Spanish. */
  types: string[];
  notes: string | null;
}
