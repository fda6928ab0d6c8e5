// The patient app, from the patient page (ADR 030): invite the patient (a single-use code as
// a QR code and as text to print or read aloud; a new invite replaces the open one), see
// whether the invite was used and which devices the patient activated, and revoke one. Or
// send a new invite by text to the phone on file (consent respected; ADR 038).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { api, isApiError, type PatientAppAccessT, type PatientInviteIssuedT } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatDateTime } from '../../format.ts';
import { StatusBadge, TableHead } from '../../components/common.tsx';
import { ErrorAlert, useAction } from '../../components/forms.tsx';
import { QrCode } from '../../components/QrCode.tsx';
import { Section } from '../../components/Section.tsx';

export function PatientAppSection({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const queryClient = useQueryClient();
  const key = ['patients', program?.id, 'app-access', patientId];
  const access = useQuery({ queryKey: key, queryFn: () => api.patientAppAccess(patientId) });
  const [issued, setIssued] = useState<PatientInviteIssuedT | null>(null);
  /** When the invite sent by text expires (shown after sending). */
  const [texted, setTexted] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const canWrite = can('write:patient-app');
  const when = (iso: string) => formatDateTime(iso, i18n.language, program?.timeZone);
  const update = (a: PatientAppAccessT) => queryClient.setQueryData(key, a);

  const invite = () =>
    void run(async () => {
      setTexted(null);
      setIssued(await api.invitePatientToApp(patientId));
      await queryClient.invalidateQueries({ queryKey: key });
    });
  const textIt = () =>
    void run(async () => {
      setIssued(null);
      setTexted((await api.textPatientAppInvite(patientId)).expiresAt);
      await queryClient.invalidateQueries({ queryKey: key });
    });
  const refused = isApiError(error) && ['no_phone', 'no_sms_consent', 'sms_opted_out'].includes(error.code) ? error.code : null;

  const a = access.data;
  return (
    <Section
      title={t('patientAppAccess.title')}
      permission="read:patient-app"
      testId="patient-app"
      actions={
        canWrite ? (
          <Group gap="xs">
            <Button size="xs" variant="light" loading={busy} onClick={invite} data-testid="patient-app-invite">
              {a?.invite?.status === 'open' || issued ? t('patientAppAccess.newInvite') : t('patientAppAccess.invite')}
            </Button>
            <Button size="xs" variant="default" loading={busy} onClick={textIt} data-testid="patient-app-invite-sms">
              {t('reminders.textInvite')}
            </Button>
          </Group>
        ) : null
      }
    >
      <ErrorAlert error={access.error ?? (refused ? null : error)} />
      {refused ? (
        <Alert color="yellow" variant="light" role="alert" data-testid="patient-app-invite-sms-refused">
          {t(`reminders.refused.${refused}`)}
        </Alert>
      ) : null}
      {texted ? (
        <Text size="sm" role="status" data-testid="patient-app-invite-sms-sent">
          {t('reminders.textInviteSent', { time: when(texted) })}
        </Text>
      ) : null}
      {issued ? <InviteCard issued={issued} expires={when(issued.expiresAt)} onDone={() => setIssued(null)} /> : null}
      {a && !issued ? (
        <Text size="sm" data-testid="patient-app-invite-status">
          {a.invite ? t(`patientAppAccess.inviteStatus.${a.invite.status}`, { time: when(a.invite.expiresAt) }) : t('patientAppAccess.noInvite')}
        </Text>
      ) : null}
      {a && a.devices.length === 0 ? <Text c="dimmed">{t('patientAppAccess.noDevices')}</Text> : null}
      {a && a.devices.length > 0 ? (
        <AppDevicesTable
          devices={a.devices}
          canWrite={canWrite}
          testId="patient-app-devices"
          onRevoke={(id) =>
            void run(async () => {
              update(await api.revokePatientDevice(patientId, id));
            })
          }
        />
      ) : null}
    </Section>
  );
}

/**
 * The code, once: a QR code for the phone's camera and the same code as text to print or read
 * aloud. The patient's invite and a family member's (the consent card) show it the same way.
 */
/** The phones set up with the app (a patient's, a family member's or a CRAFT client's), with Revoke for those who may. */
export function AppDevicesTable({
  devices,
  canWrite,
  testId,
  onRevoke,
  revoking,
}: {
  devices: PatientAppAccessT['devices'];
  canWrite: boolean;
  testId: string;
  onRevoke: (deviceId: string) => void;
  revoking?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const when = (iso: string) => formatDateTime(iso, i18n.language, program?.timeZone);
  return (
    <Table.ScrollContainer minWidth={420}>
      <Table verticalSpacing="xs" data-testid={testId}>
        <TableHead
          labels={[t('patientAppAccess.device'), t('appDevices.method'), t('patientAppAccess.activated'), t('patientAppAccess.lastUnlocked'), t('patientAppAccess.state')]}
          actions={canWrite}
        />
        <Table.Tbody>
          {devices.map((d) => (
            <Table.Tr key={d.id}>
              <Table.Td>{d.label}</Table.Td>
              <Table.Td data-testid={`device-kind-${d.kind}`}>{t(`appDevices.kind.${d.kind}`)}</Table.Td>
              <Table.Td>{when(d.createdAt)}</Table.Td>
              <Table.Td>{d.lastUnlockedAt ? when(d.lastUnlockedAt) : '—'}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {d.revokedAt ? (
                  <StatusBadge tone="neutral">{t('patientAppAccess.revoked')}</StatusBadge>
                ) : d.lockedUntil ? (
                  <StatusBadge tone="warn">{t('patientAppAccess.lockedUntil', { time: when(d.lockedUntil) })}</StatusBadge>
                ) : (
                  <StatusBadge tone="ok">{t('patientAppAccess.active')}</StatusBadge>
                )}
              </Table.Td>
              {canWrite ? (
                <Table.Td>
                  {d.revokedAt ? null : (
                    <Button size="xs" variant="default" color="red" aria-label={t('patientAppAccess.revokeLabel', { device: d.label })} loading={revoking} onClick={() => onRevoke(d.id)}>
                      {t('patientAppAccess.revoke')}
                    </Button>
                  )}
                </Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function InviteCard({
  issued,
  expires,
  onDone,
  how,
  qrLabel,
  testId = 'patient-app',
}: {
  issued: PatientInviteIssuedT;
  expires: string;
  onDone?: () => void;
  how?: string;
  qrLabel?: string;
  /** Prefix of the card's and the code's test ids. */
  testId?: string;
}) {
  const { t } = useTranslation();
  const link = `${window.location.origin}${issued.activationPath}`;
  return (
    <Card withBorder data-testid={`${testId}-invite-card`}>
      <Stack gap="sm">
        <Title order={3} size="h5">
          {t('patientAppAccess.inviteTitle')}
        </Title>
        <Text size="sm">{how ?? t('patientAppAccess.inviteHow')}</Text>
        <Group align="flex-start">
          <QrCode value={link} label={qrLabel ?? t('patientAppAccess.qr')} />
          <Stack gap={4}>
            <Text size="sm">{t('patientAppAccess.codeLabel')}</Text>
            <Text ff="monospace" fz={28} fw={700} data-testid={testId === 'patient-app' ? 'patient-app-code' : `${testId}-invite-code`}>
              {issued.code}
            </Text>
            <Text size="sm">{t('patientAppAccess.address', { address: `${window.location.origin}/app/` })}</Text>
            <Text size="xs" c="dimmed">
              {t('patientAppAccess.expires', { time: expires })}
            </Text>
          </Stack>
        </Group>
        <Group>
          <Button variant="default" onClick={() => window.print()}>
            {t('patientAppAccess.print')}
          </Button>
          {onDone ? (
            <Button variant="default" onClick={onDone}>
              {t('common.done')}
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Card>
  );
}
