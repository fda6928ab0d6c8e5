// Family members and friends on the patient page (read:family): who is linked and what a consent
// in effect lets each see now ("Nothing shared" without one: a link alone shares nothing), adding
// one, and each one's app — an invite (the code as a QR code and as text, as the patient's own
// invite shows it) and their phones, each of which can be revoked.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useSession } from '../../session.tsx';
import { formatDateTime } from '../../format.ts';
import { StatusBadge, TableHead } from '../../components/common.tsx';
import { ErrorAlert } from '../../components/forms.tsx';
import { AppDevicesTable, InviteCard } from '../patient/PatientApp.tsx';
import { AddFamilyMemberFields } from './ConsentForm.tsx';
import { useFamily, useFamilyApp, useInviteFamilyMember, useRevokeFamilyDevice, type FamilyMemberT, type InviteIssuedT } from './queries.ts';
import { useConsentWords } from './words.tsx';
import { MemberLessons } from '../family-education/MemberLessons.tsx';

export function FamilyPart({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const family = useFamily(patientId);
  const words = useConsentWords();
  const [adding, setAdding] = useState(false);
  const [appFor, setAppFor] = useState<{ member: FamilyMemberT; invite: boolean } | null>(null);
  const canWrite = can('write:family');
  const items = family.data?.items ?? [];
  return (
    <Stack gap="xs" data-testid="consent-family">
      <Group justify="space-between">
        <Title order={3} size="h5">
          {t('consent.family.title')}
        </Title>
        {canWrite && !adding ? (
          <Button size="xs" variant="light" onClick={() => setAdding(true)}>
            {t('consent.family.add')}
          </Button>
        ) : null}
      </Group>
      <ErrorAlert error={family.error} />
      {adding ? <AddFamilyMemberFields patientId={patientId} onAdded={() => setAdding(false)} onCancel={() => setAdding(false)} /> : null}
      {family.data && items.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('consent.family.none')}
        </Text>
      ) : null}
      {items.length > 0 ? (
        <Table.ScrollContainer minWidth={520}>
          <Table verticalSpacing="xs">
            <TableHead labels={[t('consent.family.name'), t('consent.family.relationship'), t('consent.family.canSee')]} actions />
            <Table.Tbody>
              {items.map((m) => (
                <Table.Tr key={m.id} data-testid="family-row">
                  <Table.Td>
                    {m.displayName}
                    <MemberLessons familyMemberId={m.id} />
                  </Table.Td>
                  <Table.Td>{t(`consent.relationships.${m.relationship}`)}</Table.Td>
                  <Table.Td>
                    {m.consentedDataClasses.length > 0 ? (
                      words.dataClasses(m.consentedDataClasses)
                    ) : (
                      <div style={{ width: 'max-content', maxWidth: '100%' }}>
                        <StatusBadge tone="neutral">{t('consent.family.nothingShared')}</StatusBadge>
                      </div>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {canWrite ? (
                        <Button size="xs" variant="light" onClick={() => setAppFor({ member: m, invite: true })} aria-label={t('consent.family.inviteLabel', { name: m.displayName })}>
                          {t('consent.family.invite')}
                        </Button>
                      ) : null}
                      <Button size="xs" variant="default" onClick={() => setAppFor({ member: m, invite: false })} aria-label={t('consent.family.phonesLabel', { name: m.displayName })}>
                        {t('consent.family.phones')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      <Modal opened={!!appFor} onClose={() => setAppFor(null)} size="lg" title={appFor ? t('consent.family.appTitle', { name: appFor.member.displayName }) : ''}>
        {appFor ? <FamilyApp patientId={patientId} member={appFor.member} inviteNow={appFor.invite} /> : null}
      </Modal>
    </Stack>
  );
}

function FamilyApp({ patientId, member, inviteNow }: { patientId: string; member: FamilyMemberT; inviteNow: boolean }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const access = useFamilyApp(patientId, member.id);
  const invite = useInviteFamilyMember(patientId);
  const revoke = useRevokeFamilyDevice(patientId);
  const [issued, setIssued] = useState<InviteIssuedT | null>(null);
  const started = useRef(false);
  const when = (iso: string) => formatDateTime(iso, i18n.language, program?.timeZone);
  const canWrite = can('write:family');

  const { mutate } = invite;
  const doInvite = useCallback(() => mutate(member.id, { onSuccess: setIssued }), [mutate, member.id]);
  // opened with "Invite to the app": the invite is made at once (once)
  useEffect(() => {
    if (inviteNow && canWrite && !started.current) {
      started.current = true;
      doInvite();
    }
  }, [inviteNow, canWrite, doInvite]);

  const a = access.data;
  return (
    <Stack>
      <ErrorAlert error={access.error ?? invite.error ?? revoke.error} />
      {issued ? <InviteCard issued={issued} expires={when(issued.expiresAt)} how={t('consent.family.inviteHow')} qrLabel={t('consent.family.qr')} testId="family" /> : null}
      {!issued && invite.isPending ? <Text c="dimmed">{t('common.loading')}</Text> : null}
      {a && !issued ? <Text size="sm">{a.invite ? t(`consent.family.inviteStatus.${a.invite.status}`, { time: when(a.invite.expiresAt) }) : t('consent.family.noInvite')}</Text> : null}
      {canWrite && !issued ? (
        <Group>
          <Button size="xs" variant="light" onClick={doInvite} loading={invite.isPending}>
            {a?.invite?.status === 'open' ? t('patientAppAccess.newInvite') : t('consent.family.invite')}
          </Button>
        </Group>
      ) : null}
      <Title order={3} size="h6">
        {t('consent.family.phonesTitle')}
      </Title>
      {a && a.devices.length === 0 ? <Text c="dimmed">{t('patientAppAccess.noDevices')}</Text> : null}
      {a && a.devices.length > 0 ? (
        <AppDevicesTable devices={a.devices} canWrite={canWrite} testId="family-devices" revoking={revoke.isPending} onRevoke={(deviceId) => revoke.mutate({ familyMemberId: member.id, deviceId })} />
      ) : null}
    </Stack>
  );
}
