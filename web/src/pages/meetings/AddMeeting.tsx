// A manual entry (issue 15): fellowships without a feed (MA, MARS, MARA, SMART, Recovery
// Dharma, the programme's groups, Nar-Anon, Al-Anon). The server names the field at fault.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { ATTENDANCE_MODES, FELLOWSHIPS } from '../../../../core/meetings/model.ts';
import { useAddMeeting, type MeetingInputT } from './api.ts';

export function AddMeeting({ onAdded }: { onAdded: () => void }) {
  const { t } = useTranslation();
  const add = useAddMeeting();
  const [f, setF] = useState({ fellowship: 'ma', name: '', weekday: '1', startTime: '18:00', endTime: '', mode: 'in-person', address: '', postalCode: '', conferenceUrl: '', languages: 'en' });
  const set = (k: keyof typeof f) => (v: string | null) => setF((x) => ({ ...x, [k]: v ?? '' }));
  const err = (field: string) => fieldError(add.error, `body.${field}`);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: MeetingInputT = {
      fellowship: f.fellowship as MeetingInputT['fellowship'],
      name: f.name,
      weekday: Number(f.weekday),
      startTime: f.startTime,
      endTime: f.endTime || null,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      mode: f.mode as MeetingInputT['mode'],
      address: f.address || null,
      postalCode: f.postalCode || null,
      conferenceUrl: f.conferenceUrl || null,
      languages: f.languages.split(',').map((s) => s.trim()),
    };
    add.mutate(body, { onSuccess: onAdded });
  };
  return (
    <form onSubmit={submit} aria-label={t('meetings.tabs.add')}>
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
        {add.error ? <ErrorAlert error={add.error} /> : null}
        <Button type="submit" loading={add.isPending}>
          {t('meetings.add.submit')}
        </Button>
      </Stack>
    </form>
  );
}
