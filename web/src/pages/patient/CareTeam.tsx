// The patient's care team: who works with them, in which role; add from the staff list, remove.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Group, Modal, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { CARE_TEAM_ROLES } from '../../../../contracts/patients.ts';
import { api, type CareTeamMemberT } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatDate, todayIn } from '../../format.ts';
import { TableHead } from '../../components/common.tsx';
import { ErrorAlert, fieldError, useAction } from '../../components/forms.tsx';
import { Section } from '../../components/Section.tsx';
import { useStaffList } from './useStaffList.ts';

export function CareTeamSection({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const key = ['patients', program?.id, 'care-team', patientId];
  const team = useQuery({ queryKey: key, queryFn: () => api.careTeam(patientId) });
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<CareTeamMemberT | null>(null);
  const canWrite = can('write:care-team');
  const canAdd = canWrite && can('read:staff');

  return (
    <Section
      title={t('careTeam.title')}
      permission="read:care-team"
      testId="care-team"
      actions={
        canAdd && !adding ? (
          <Button size="xs" variant="light" onClick={() => setAdding(true)}>
            {t('careTeam.add')}
          </Button>
        ) : null
      }
    >
      <ErrorAlert error={team.error} />
      {adding ? <AddMember patientId={patientId} queryKey={key} onClose={() => setAdding(false)} /> : null}
      {team.data && team.data.items.length === 0 ? <Text c="dimmed">{t('careTeam.none')}</Text> : null}
      {team.data && team.data.items.length > 0 ? (
        <Table.ScrollContainer minWidth={420}>
          <Table verticalSpacing="xs">
            <TableHead labels={[t('careTeam.member'), t('careTeam.role'), t('careTeam.since')]} actions={canWrite} />
            <Table.Tbody>
              {team.data.items.map((m) => (
                <Table.Tr key={`${m.userId}-${m.role}`}>
                  <Table.Td>{m.displayName}</Table.Td>
                  <Table.Td>{t(`careTeam.roles.${m.role}`)}</Table.Td>
                  <Table.Td>{formatDate(m.since, i18n.language)}</Table.Td>
                  {canWrite ? (
                    <Table.Td>
                      <Button size="xs" variant="default" onClick={() => setRemoving(m)} aria-label={t('careTeam.removeLabel', { name: m.displayName, role: t(`careTeam.roles.${m.role}`) })}>
                        {t('careTeam.remove')}
                      </Button>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {removing ? <RemoveMember patientId={patientId} member={removing} queryKey={key} onClose={() => setRemoving(null)} /> : null}
    </Section>
  );
}

function AddMember({ patientId, queryKey, onClose }: { patientId: string; queryKey: unknown[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { program } = useSession();
  const queryClient = useQueryClient();
  const staff = useStaffList();
  const active = (staff.data ?? []).filter((s) => s.active);
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<string>(CARE_TEAM_ROLES[0]);
  const [since, setSince] = useState(todayIn(program?.timeZone));
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const res = await api.addToCareTeam(patientId, { userId, role: role as CareTeamMemberT['role'], ...(since ? { since } : {}) });
      queryClient.setQueryData(queryKey, res);
      notifications.show({ color: 'teal', message: t('careTeam.added') });
      onClose();
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-label={t('careTeam.add')}>
      <Stack gap="sm">
        <ErrorAlert error={error ?? staff.error} />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NativeSelect
            label={t('careTeam.member')}
            value={userId}
            onChange={(e) => setUserId(e.currentTarget.value)}
            required
            data={[{ value: '', label: t('careTeam.chooseMember') }, ...active.map((s) => ({ value: s.id, label: s.displayName }))]}
            error={fieldError(error, 'userId')}
          />
          <NativeSelect
            label={t('careTeam.role')}
            value={role}
            onChange={(e) => setRole(e.currentTarget.value)}
            data={CARE_TEAM_ROLES.map((r) => ({ value: r, label: t(`careTeam.roles.${r}`) }))}
            error={fieldError(error, 'role')}
          />
          <TextInput type="date" label={t('careTeam.since')} value={since} onChange={(e) => setSince(e.currentTarget.value)} error={fieldError(error, 'since')} />
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={busy} disabled={!userId}>
            {t('careTeam.add')}
          </Button>
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RemoveMember({ patientId, member, queryKey, onClose }: { patientId: string; member: CareTeamMemberT; queryKey: unknown[]; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { busy, error, run } = useAction();
  const remove = () => {
    void run(async () => {
      const res = await api.removeFromCareTeam(patientId, member.userId, member.role);
      queryClient.setQueryData(queryKey, res);
      notifications.show({ color: 'teal', message: t('careTeam.removed') });
      onClose();
    });
  };
  return (
    <Modal opened onClose={onClose} title={t('careTeam.removeTitle')}>
      <Stack>
        <ErrorAlert error={error} />
        <Text>{t('careTeam.removeConfirm', { name: member.displayName, role: t(`careTeam.roles.${member.role}`) })}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            {t('common.cancel')}
          </Button>
          <Button color="red" onClick={() => void remove()} loading={busy}>
            {t('careTeam.remove')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
