// A manual entry (issue 15): fellowships without a feed (MA, MARS, MARA, SMART, Recovery
// Dharma, the programme's groups, Nar-Anon, Al-Anon). The server names the field at fault.
// The same form edits a manual entry (prefilled; PUT /api/v1/meetings/:id): the fields it does
// not show (place name, phone, type codes, notes, time zone) are sent back as they were.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { ATTENDANCE_MODES, FELLOWSHIPS } from '../../../../core/meetings/model.ts';
import { useAddMeeting, useUpdateMeeting, type DetailT, type MeetingInputT } from './api.ts';

type Meeting = DetailT['meeting'];

const formOf = (m: Meeting | undefined) => ({
  fellowship: m?.fellowship ?? 'ma',
  name: m?.name ?? '',
  weekday: String(m?.weekday ?? 1),
  startTime: m?.startTime ?? '18:00',
  endTime: m?.endTime ?? '',
  mode: m?.mode ?? 'in-person',
  address: m?.address ?? '',
  postalCode: m?.postalCode ?? '',
  conferenceUrl: m?.conferenceUrl ?? '',
  languages: m ? m.languages.join(', ') : 'en',
});

export function AddMeeting({ onAdded }: { onAdded: () => void }) {
  const add = useAddMeeting();
  return <MeetingForm mutation={add} onSaved={onAdded} />;
}

/** Edit a manual entry, prefilled; `onDone` after saving or cancelling. */
export function EditMeeting({ meeting, onDone }: { meeting: Meeting; onDone: () => void }) {
  const update = useUpdateMeeting(meeting.id);
  return <MeetingForm meeting={meeting} mutation={update} onSaved={onDone} onCancel={onDone} />;
}

function MeetingForm({ meeting, mutation, onSaved, onCancel }: { meeting?: Meeting; mutation: ReturnType<typeof useAddMeeting>; onSaved: () => void; onCancel?: () => void }) {
  const { t } = useTranslation();
  const [f, setF] = useState(() => formOf(meeting));
  const set = (k: keyof typeof f) => (v: string | null) => setF((x) => ({ ...x, [k]: v ?? '' }));
  const err = (field: string) => fieldError(mutation.error, `body.${field}`);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const mode = f.mode as MeetingInputT['mode'];
    const postalCode = f.postalCode.trim() || null;
    // coordinates kept only while the ZIP code and an in-person place stay; else the server
    // takes them from the new ZIP code
    const keepPoint = meeting && mode !== 'online' && postalCode === meeting.postalCode;
    const body: MeetingInputT = {
      fellowship: f.fellowship as MeetingInputT['fellowship'],
      name: f.name,
      weekday: Number(f.weekday),
      startTime: f.startTime,
      endTime: f.endTime || null,
      timeZone: meeting?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
      mode,
      address: f.address || null,
      postalCode,
      conferenceUrl: f.conferenceUrl || null,
      languages: f.languages.split(',').map((s) => s.trim()),
      ...(meeting
        ? {
            locationName: meeting.locationName,
            latitude: keepPoint ? meeting.latitude : null,
            longitude: keepPoint ? meeting.longitude : null,
            conferencePhone: meeting.conferencePhone,
            types: meeting.types.map((ty) => ty.code),
            notes: meeting.notes,
          }
        : {}),
    };
    mutation.mutate(body, { onSuccess: onSaved });
  };
  const label = meeting ? t('meetings.edit.title', { name: meeting.name }) : t('meetings.tabs.add');
  return (
    <form onSubmit={submit} aria-label={label}>
      <Stack maw={520}>
        <Select
          label={t('meetings.search.fellowship')}
          data={FELLOWSHIPS.map((x) => ({ value: x, label: t(`meetings.fellowships.${x}`) }))}
          value={f.fellowship}
          onChange={set('fellowship')}
          error={err('fellowship')}
        />
        <TextInput label={t('meetings.cols.name')} value={f.name} onChange={(e) => set('name')(e.currentTarget.value)} error={err('name')} required />
        <Group grow>
          <Select
            label={t('meetings.search.day')}
            data={[0, 1, 2, 3, 4, 5, 6].map((d) => ({ value: String(d), label: t(`meetings.days.${d}`) }))}
            value={f.weekday}
            onChange={set('weekday')}
            error={err('weekday')}
          />
          <TextInput label={t('meetings.add.start')} value={f.startTime} onChange={(e) => set('startTime')(e.currentTarget.value)} error={err('startTime')} />
          <TextInput label={t('meetings.add.end')} value={f.endTime} onChange={(e) => set('endTime')(e.currentTarget.value)} error={err('endTime')} />
        </Group>
        <Select label={t('meetings.add.mode')} data={ATTENDANCE_MODES.map((m) => ({ value: m, label: t(`meetings.modes.${m}`) }))} value={f.mode} onChange={set('mode')} error={err('mode')} />
        <TextInput label={t('meetings.add.address')} value={f.address} onChange={(e) => set('address')(e.currentTarget.value)} error={err('address')} />
        <TextInput label={t('meetings.search.postalCode')} value={f.postalCode} onChange={(e) => set('postalCode')(e.currentTarget.value)} error={err('postalCode')} />
        <TextInput label={t('meetings.add.link')} value={f.conferenceUrl} onChange={(e) => set('conferenceUrl')(e.currentTarget.value)} error={err('conferenceUrl')} />
        <TextInput label={t('meetings.add.languages')} value={f.languages} onChange={(e) => set('languages')(e.currentTarget.value)} error={err('languages')} />
        {mutation.error ? <ErrorAlert error={mutation.error} /> : null}
        <Group>
          <Button type="submit" loading={mutation.isPending}>
            {meeting ? t('meetings.edit.save') : t('meetings.add.submit')}
          </Button>
          {onCancel ? (
            <Button variant="default" onClick={onCancel}>
              {t('meetings.edit.cancel')}
            </Button>
          ) : null}
        </Group>
      </Stack>
    </form>
  );
}
