// Small pieces the encounter screens share: a visit type's name in the user's language,
// times on the programme's clock, a patient finder, and the staff list as select options.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, CloseButton, Group, Stack, Text, TextInput } from '@mantine/core';
import type { Attendance, EncounterStatus } from '../../../../core/encounters/types.ts';
import { StatusBadge } from '../../components/common.tsx';
import { api } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { useStaffList } from '../patient/useStaffList.ts';

export function useTypeLabel() {
  const { i18n } = useTranslation();
  return (label: { en: string; es: string }) => (i18n.language.startsWith('es') ? label.es : label.en);
}

/** "14:30"-style time of an instant on the programme's clock, in the user's language. */
export function useTimeOf() {
  const { i18n } = useTranslation();
  const { program } = useSession();
  return (iso: string) => new Intl.DateTimeFormat(i18n.language, { hour: 'numeric', minute: '2-digit', timeZone: program?.timeZone ?? 'UTC' }).format(new Date(iso));
}

/** Date and time of an instant on the programme's clock, to the minute. */
export function useWhen() {
  const { i18n } = useTranslation();
  const { program } = useSession();
  return (iso: string) => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short', timeZone: program?.timeZone ?? 'UTC' }).format(new Date(iso));
}

export function useStaffOptions() {
  const staff = useStaffList();
  return (staff.data ?? []).filter((s) => s.active).map((s) => ({ value: s.id, label: s.displayName }));
}

export type Picked = { id: string; name: string };

/** Find a patient by name or MRN and pick them (the search is a POST: names stay out of URLs). */
export function PatientFinder({ onPick, exclude = [], label }: { onPick: (p: Picked) => void; exclude?: readonly string[]; label?: string }) {
  const { t } = useTranslation();
  const { program } = useSession();
  const [q, setQ] = useState('');
  const words = q.trim();
  const found = useQuery({
    queryKey: ['patients', program?.id, 'finder', words],
    queryFn: () => api.searchPatients({ q: words, limit: 8 }),
    enabled: words.length >= 2,
    staleTime: 10_000,
  });
  const items = (found.data?.items ?? []).filter((p) => !exclude.includes(p.id));
  return (
    <Stack gap={4}>
      <TextInput label={label ?? t('encounters.findPatient')} description={t('encounters.findPatientHint')} value={q} onChange={(e) => setQ(e.currentTarget.value)} data-testid="patient-finder" />
      {words.length >= 2 && found.data && items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('encounters.noPatientFound')}
        </Text>
      ) : null}
      <Group gap="xs">
        {items.map((p) => {
          const name = `${p.preferredName ?? p.legalGivenName} ${p.legalFamilyName}`;
          return (
            <Button
              key={p.id}
              size="xs"
              variant="light"
              onClick={() => {
                onPick({ id: p.id, name });
                setQ('');
              }}
            >
              {t('encounters.pick', { name, mrn: p.mrn })}
            </Button>
          );
        })}
      </Group>
    </Stack>
  );
}

/** A visit's status as a badge: held, cancelled, or booked. */
export function VisitStatus({ status }: { status: EncounterStatus }) {
  const { t } = useTranslation();
  return <StatusBadge tone={status === 'cancelled' ? 'bad' : status === 'completed' ? 'ok' : 'neutral'}>{t(`encounters.status.${status}`)}</StatusBadge>;
}

/** One person's attendance as a badge: present (attended, late), did not come, or otherwise. */
export function AttendanceBadge({ attendance }: { attendance: Attendance }) {
  const { t } = useTranslation();
  return <StatusBadge tone={attendance === 'attended' || attendance === 'late' ? 'ok' : attendance === 'no-show' ? 'warn' : 'neutral'}>{t(`encounters.attendanceValue.${attendance}`)}</StatusBadge>;
}

/** The people chosen for a visit or a group, each removable, and a finder to add more (`one`: a single person, replaced on a new pick). */
export function PeoplePicker({ people, onChange, one = false, error }: { people: Picked[]; onChange: (people: Picked[]) => void; one?: boolean; error?: string | undefined }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {t('encounters.people')} ({people.length})
      </Text>
      <Group gap="xs">
        {people.map((p) => (
          <Badge
            key={p.id}
            variant="light"
            style={{ textTransform: 'none' }}
            rightSection={<CloseButton size="xs" aria-label={t('encounters.removeName', { name: p.name })} onClick={() => onChange(people.filter((x) => x.id !== p.id))} />}
          >
            {p.name}
          </Badge>
        ))}
      </Group>
      {error ? (
        <Text size="sm" c="red">
          {error}
        </Text>
      ) : null}
      {!one || people.length === 0 ? <PatientFinder exclude={people.map((p) => p.id)} onPick={(p) => onChange(one ? [p] : [...people, p])} /> : null}
    </Stack>
  );
}
