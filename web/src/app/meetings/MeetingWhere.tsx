// Where a meeting is, as a patient's or a family member's phone shows it: the place and how far,
// the link to join online, the phone number to call in (one of them, two or all three).
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { MeetingSearchResult } from '../../../../contracts/meetings.ts';

type Meeting = Pick<z.infer<typeof MeetingSearchResult>['items'][number], 'mode' | 'address' | 'locationName' | 'distanceMiles' | 'conferenceUrl' | 'conferencePhone'>;

export function MeetingWhere({ m }: { m: Meeting }) {
  const { t } = useTranslation();
  return (
    <>
      {m.mode !== 'online' && m.address ? (
        <p>
          {m.locationName ? `${m.locationName}, ` : ''}
          {m.address}
          {m.distanceMiles !== null ? ` · ${t('findMeetings.miles', { n: m.distanceMiles })}` : ''}
        </p>
      ) : null}
      {m.mode !== 'in-person' && m.conferenceUrl ? (
        <p>
          <a href={m.conferenceUrl} target="_blank" rel="noreferrer">
            {t('findMeetings.join')}
          </a>
        </p>
      ) : null}
      {m.mode !== 'in-person' && m.conferencePhone ? <p>{t('findMeetings.call', { phone: m.conferencePhone })}</p> : null}
    </>
  );
}
