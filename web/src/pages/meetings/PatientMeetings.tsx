// A patient's chosen meetings and meeting attendance, for the patient page (issue 15, ADR 048).
// Only verified attendance (the in-house meeting's code) can count toward a CM attendance target.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Alert, Card, Stack, Table, Text, Title } from '@mantine/core';
import { StatusBadge } from '../../components/common.tsx';
import type { z } from 'zod';
import type { PatientMeetingsView } from '../../../../contracts/my-meetings.ts';
import { json } from '../../api.ts';
import { useSession } from '../../session.tsx';

type View = z.infer<typeof PatientMeetingsView>;

export function PatientMeetings({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const q = useQuery({ queryKey: ['meetings', program?.id, 'patient', patientId], queryFn: () => json<View>(`/patients/${encodeURIComponent(patientId)}/meetings`) });
  if (q.isError) return <Alert color="red">{t('meetingAttendance.loadError')}</Alert>;
  if (!q.data) return <Text>{t('meetingAttendance.loading')}</Text>;
  const day = (w: number) => new Intl.DateTimeFormat(i18n.language, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 2, 1 + w)));
  return (
    <Card withBorder data-testid="patient-meetings">
      <Stack>
        <Title order={3}>{t('meetingAttendance.chosenTitle')}</Title>
        {q.data.chosen.length === 0 ? (
          <Text c="dimmed">{t('meetingAttendance.noneChosen')}</Text>
        ) : (
          <Table>
            <Table.Tbody>
              {q.data.chosen.map((m) => (
                <Table.Tr key={m.meetingId}>
                  <Table.Td>{m.name}</Table.Td>
                  <Table.Td>
                    {day(m.weekday)} {m.startTime}
                  </Table.Td>
                  <Table.Td>{m.locationName ?? m.mode}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Title order={3}>{t('meetingAttendance.attendanceTitle')}</Title>
        {q.data.attendance.length === 0 ? (
          <Text c="dimmed">{t('meetingAttendance.noAttendance')}</Text>
        ) : (
          <Table>
            <Table.Tbody>
              {q.data.attendance.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>{a.attendedOn}</Table.Td>
                  <Table.Td>{a.meetingName}</Table.Td>
                  <Table.Td>
                    <StatusBadge tone={a.how === 'verified' ? 'ok' : 'neutral'}>{t(`meetingAttendance.how.${a.how}`)}</StatusBadge>
                  </Table.Td>
                  <Table.Td>{a.countedForCm ? t('meetingAttendance.countedForCm') : ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}
