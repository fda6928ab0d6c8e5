// The rotating attendance code of an in-house meeting (issue 15, ADR 048): a big QR code of
// the app URL and the 6 digits, fetched again when it changes (every 30 s). Shown in the
// room; patients scan it (or type the digits) to verify they attended. Mount with a meeting id.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Alert, Stack, Text, Title } from '@mantine/core';
import type { z } from 'zod';
import type { AttendanceCode as AttendanceCodeDto } from '../../../../contracts/my-meetings.ts';
import { json } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { QrCode } from '../../components/QrCode.tsx';

type Code = z.infer<typeof AttendanceCodeDto>;

export function AttendanceCode({ meetingId }: { meetingId: string }) {
  const { t } = useTranslation();
  const { program } = useSession();
  const q = useQuery({
    queryKey: ['meetings', program?.id, 'attendance-code', meetingId],
    queryFn: () => json<Code>(`/meetings/${encodeURIComponent(meetingId)}/attendance-code`),
    // fetched again just after the code changes
    refetchInterval: (query) => (query.state.data ? Math.max(1000, new Date(query.state.data.expiresAt).getTime() - Date.now() + 250) : 5000),
  });
  if (q.isError) return <Alert color="red">{t('meetingAttendance.codeError')}</Alert>;
  if (!q.data) return <Text>{t('meetingAttendance.loading')}</Text>;
  const c = q.data;
  return (
    <Stack align="center" gap="md" data-testid="attendance-code">
      <Title order={2}>{c.meetingName}</Title>
      {!c.onNow && <Alert color="yellow">{t('meetingAttendance.notOnNow')}</Alert>}
      <QrCode value={`${window.location.origin}${c.url}`} size={360} label={t('meetingAttendance.qrLabel')} />
      <Text fz={56} fw={700} ff="monospace" aria-live="polite" aria-label={t('meetingAttendance.codeAria', { code: c.code.split('').join(' ') })}>
        {c.code.slice(0, 3)} {c.code.slice(3)}
      </Text>
      <Text c="dimmed">{t('meetingAttendance.codeHint', { seconds: c.stepSeconds })}</Text>
    </Stack>
  );
}
