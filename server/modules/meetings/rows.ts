// A stored meeting row as the model of core/meetings/model.ts: the one place a row becomes a
// meeting (a source's export, the programme's feed, the directory's summaries).
import type { AttendanceMode, Fellowship, Meeting } from '../../../core/meetings/model.ts';
import type { meetings } from './meetings.tables.ts';

export function meetingOfRow(r: typeof meetings.$inferSelect): Meeting {
  return {
    key: r.sourceKey ?? r.id,
    fellowship: r.fellowship as Fellowship,
    name: r.name,
    weekday: r.weekday,
    startTime: r.startTime,
    endTime: r.endTime,
    timeZone: r.timeZone,
    mode: r.mode as AttendanceMode,
    locationName: r.locationName,
    address: r.address,
    postalCode: r.postalCode,
    latitude: r.latitude,
    longitude: r.longitude,
    conferenceUrl: r.conferenceUrl,
    conferencePhone: r.conferencePhone,
    languages: r.languages,
    types: r.types,
    notes: r.notes,
  };
}
