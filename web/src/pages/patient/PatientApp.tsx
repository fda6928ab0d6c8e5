// The patient app, from the patient page (ADR 030): invite the patient (a single-use code as
// a QR code and as text to print or read aloud; a new invite replaces the open one), see
// whether the invite was used and which devices the patient activated, and revoke one.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { api, type PatientAppAccessT, type PatientInviteIssuedT } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatDateTime } from '../../format.ts';
import { ErrorAlert, StatusBadge, TableHead, useAction } from '../../components/common.tsx';
import { QrCode } from '../../components/QrCode.tsx';
import { Section } from '../../components/Section.tsx';

export function PatientAppSection({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const queryClient = useQueryClient();
  const key = ['patients', program?.id, 'app-access', patientId];
  const access = useQuery({ queryKey: key, queryFn: () => api.patientAppAccess(patientId) });
  const [issued, setIssued] = useState<PatientInviteIssuedT | null>(null);
  const { busy, error, run } = useAction();
  const canWrite = can('write:patient-app');
  const when = (iso: string) => formatDateTime(iso, i18n.language, program?.timeZone);
  const update = (a: PatientAppAccessT) => queryClient.setQueryData(key, a);

  const invite = () =>
    void run(async () => {
      setIssued(await api.invitePatientToApp(patientId));
      await queryClient.invalidateQueries({ queryKey: key });
    });

  const a = access.data;
  return (
    <Section
      title={t('app.console.title')}
      permission="read:patient-app"
      testId="patient-app"
      actions={
        canWrite ? (
          <Button size="xs" variant="light" loading={busy} onClick={invite} data-testid="patient-app-invite">
            {a?.invite?.status === 'open' || issued ? t('app.console.newInvite') : t('app.console.invite')}
          </Button>
        ) : null
      }
    >
      <ErrorAlert error={access.error ?? error} />
      {issued ? <InviteCard issued={issued} expires={when(issued.expiresAt)} onDone={() => setIssued(null)} /> : null}
      {a && !issued ? (
        <Text size="sm" data-testid="patient-app-invite-status">
          {a.invite ? t(`app.console.inviteStatus.${a.invite.status}`, { time: when(a.invite.expiresAt) }) : t('app.console.noInvite')}
        </Text>
      ) : null}
      {a && a.devices.length === 0 ? <Text c="dimmed">{t('app.console.noDevices')}</Text> : null}
      {a && a.devices.length > 0 ? (
        <Table.ScrollContainer minWidth={420}>
          <Table verticalSpacing="xs" data-testid="patient-app-devices">
            <TableHead labels={[t('app.console.device'), t('app.console.activated'), t('app.console.lastUnlocked'), t('app.console.state')]} actions={canWrite} />
            <Table.Tbody>
              {a.devices.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>{d.label}</Table.Td>
                  <Table.Td>{when(d.createdAt)}</Table.Td>
                  <Table.Td>{d.lastUnlockedAt ? when(d.lastUnlockedAt) : '—'}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {d.revokedAt ? (
                      <StatusBadge tone="neutral">{t('app.console.revoked')}</StatusBadge>
                    ) : d.lockedUntil ? (
                      <StatusBadge tone="warn">{t('app.console.lockedUntil', { time: when(d.lockedUntil) })}</StatusBadge>
                    ) : (
                      <StatusBadge tone="ok">{t('app.console.active')}</StatusBadge>
                    )}
                  </Table.Td>
                  {canWrite ? (
                    <Table.Td>
                      {d.revokedAt ? null : (
                        <Button
                          size="xs"
                          variant="default"
                          color="red"
                          aria-label={t('app.console.revokeLabel', { device: d.label })}
                          onClick={() =>
                            void run(async () => {
                              update(await api.revokePatientDevice(patientId, d.id));
                            })
                          }
                        >
                          {t('app.console.revoke')}
                        </Button>
                      )}
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Section>
  );
}

/** The code, once: a QR code for the phone's camera and the same code as text to print or read aloud. */
function InviteCard({ issued, expires, onDone }: { issued: PatientInviteIssuedT; expires: string; onDone: () => void }) {
  const { t } = useTranslation();
  const link = `${window.location.origin}${issued.activationPath}`;
  return (
    <Card withBorder data-testid="patient-app-invite-card">
      <Stack gap="sm">
        <Title order={3} size="h5">
          {t('app.console.inviteTitle')}
        </Title>
        <Text size="sm">{t('app.console.inviteHow')}</Text>
        <Group align="flex-start">
          <QrCode value={link} label={t('app.console.qr')} />
          <Stack gap={4}>
            <Text size="sm">{t('app.console.codeLabel')}</Text>
            <Text ff="monospace" fz={28} fw={700} data-testid="patient-app-code">
              {issued.code}
            </Text>
            <Text size="sm">{t('app.console.address', { address: `${window.location.origin}/app/` })}</Text>
            <Text size="xs" c="dimmed">
              {t('app.console.expires', { time: expires })}
            </Text>
          </Stack>
        </Group>
        <Group>
          <Button variant="default" onClick={() => window.print()}>
            {t('app.console.print')}
          </Button>
          <Button variant="default" onClick={onDone}>
            {t('common.done')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
