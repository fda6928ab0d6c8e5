// Staff and roles in this programme: the list for everyone who may read it; creating
// accounts, changing roles, deactivating and password / two-step resets for administrators
// (of accounts wholly within the programmes they administer; an organisation administrator
// manages every account and alone gives or takes away the organisation-administrator role).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, Group, Modal, SimpleGrid, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ROLES } from '../../../core/access/roles.ts';
import { api, type StaffT } from '../api.ts';
import { useSession } from '../session.tsx';
import { PageTitle, StatusBadge, TableHead } from '../components/common.tsx';
import { ErrorAlert, fieldError, OneTimeSecret, useAction } from '../components/forms.tsx';
import { useStaffList } from './patient/useStaffList.ts';

export function StaffPage() {
  const { t } = useTranslation();
  const { can, me, program } = useSession();
  const staff = useStaffList();
  const manage = can('manage:staff');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<StaffT | null>(null);
  const [resetting, setResetting] = useState<StaffT | null>(null);

  return (
    <Stack>
      <Group justify="space-between">
        <PageTitle title={t('staff.title')}>{t('staff.title')}</PageTitle>
        {manage ? <Button onClick={() => setCreating(true)}>{t('staff.create')}</Button> : null}
      </Group>
      <Text c="dimmed" size="sm">
        {t('staff.intro', { program: program?.name ?? '' })}
      </Text>
      <ErrorAlert error={staff.error} />
      {staff.isPending ? <Text c="dimmed">{t('common.loading')}</Text> : null}
      {staff.data ? (
        <Table.ScrollContainer minWidth={720}>
          <Table striped verticalSpacing="xs">
            <TableHead labels={[t('staff.name'), t('staff.email'), t('staff.roles'), t('staff.status')]} actions={manage} />
            <Table.Tbody>
              {staff.data.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    {s.displayName}
                    {s.id === me.user.id ? <Text span c="dimmed" size="sm">{` ${t('staff.you')}`}</Text> : null}
                  </Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{s.email}</Table.Td>
                  <Table.Td>{s.roles.map((r) => t(`roles.${r}`)).join(', ')}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {s.active ? <StatusBadge tone="ok">{t('staff.active')}</StatusBadge> : <StatusBadge tone="bad">{t('staff.inactive')}</StatusBadge>}
                      {s.locked ? <StatusBadge tone="warn">{t('staff.locked')}</StatusBadge> : null}
                      {s.mfaEnabled ? <StatusBadge tone="ok">{t('staff.twoStepOn')}</StatusBadge> : <StatusBadge tone="neutral">{t('staff.twoStepOff')}</StatusBadge>}
                      {s.organizationAdministrator ? <StatusBadge tone="neutral">{t('staff.orgAdmin')}</StatusBadge> : null}
                    </Group>
                  </Table.Td>
                  {manage && !s.manageable ? (
                    <Table.Td>
                      <Tooltip label={t('staff.notManageableHint')} multiline w={280}>
                        <Text size="sm" c="dimmed" tabIndex={0}>
                          {t('staff.notManageable')}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                  ) : manage ? (
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Button size="xs" variant="default" onClick={() => setEditing(s)} aria-label={t('staff.editLabel', { name: s.displayName })}>
                          {t('staff.edit')}
                        </Button>
                        <Button size="xs" variant="default" onClick={() => setResetting(s)} aria-label={t('staff.resetLabel', { name: s.displayName })}>
                          {t('staff.reset')}
                        </Button>
                      </Group>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {creating ? <CreateStaff onClose={() => setCreating(false)} /> : null}
      {editing ? <EditStaff member={editing} onClose={() => setEditing(null)} /> : null}
      {resetting ? <ResetStaff member={resetting} onClose={() => setResetting(null)} /> : null}
    </Stack>
  );
}

/** A direct work number, shown to patients whose care team the person is on ("Call my counselor"). */
function WorkPhoneInput({ value, onChange, error }: { value: string; onChange: (v: string) => void; error?: string | undefined }) {
  const { t } = useTranslation();
  return <TextInput label={t('staff.workPhone')} description={t('staff.workPhoneHint')} type="tel" value={value} onChange={(e) => onChange(e.currentTarget.value)} error={error} autoComplete="off" />;
}

function RolePicker({ value, onChange, error }: { value: string[]; onChange: (v: string[]) => void; error?: string }) {
  const { t } = useTranslation();
  return (
    <Checkbox.Group label={t('staff.roles')} description={t('staff.rolesHint')} value={value} onChange={onChange} error={error} required>
      <SimpleGrid cols={{ base: 1, xs: 2 }} mt="xs" spacing="xs">
        {ROLES.map((r) => (
          <Checkbox key={r} value={r} label={t(`roles.${r}`)} />
        ))}
      </SimpleGrid>
    </Checkbox.Group>
  );
}

/** Only an organisation administrator sees (and may change) whether an account is one too. */
function OrgAdminCheckbox({ checked, onChange, error, disabled }: { checked: boolean; onChange: (v: boolean) => void; error?: string; disabled?: boolean }) {
  const { t } = useTranslation();
  const { can } = useSession();
  if (!can('manage:organization')) return null;
  return <Checkbox label={t('staff.orgAdminLabel')} description={t('staff.orgAdminHint')} checked={checked} disabled={disabled} onChange={(e) => onChange(e.currentTarget.checked)} error={error} />;
}

function useRefreshStaff() {
  const queryClient = useQueryClient();
  const { program } = useSession();
  return () => queryClient.invalidateQueries({ queryKey: ['staff', program?.id] });
}

function CreateStaff({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshStaff();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<string[]>([]);
  const [phone, setPhone] = useState('');
  const [orgAdmin, setOrgAdmin] = useState(false);
  const { busy, error, run } = useAction();
  const [created, setCreated] = useState<{ name: string; password: string } | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const res = await api.createStaff({
        email: email.trim(),
        displayName: name.trim(),
        roles: roles as StaffT['roles'],
        ...(phone.trim() ? { workPhone: phone.trim() } : {}),
        ...(orgAdmin ? { organizationAdministrator: true } : {}),
      });
      setCreated({ name: res.staff.displayName, password: res.temporaryPassword });
      void refresh();
    });
  };

  return (
    <Modal opened onClose={onClose} title={created ? t('staff.createdTitle', { name: created.name }) : t('staff.create')} size="lg" closeOnClickOutside={!created}>
      {created ? (
        <Stack>
          <OneTimeSecret label={t('staff.temporaryPassword')} values={[created.password]} warning={t('staff.temporaryPasswordWarning')} />
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('common.done')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <ErrorAlert error={error} />
            <TextInput label={t('staff.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required data-autofocus error={fieldError(error, 'displayName')} />
            <TextInput label={t('staff.email')} type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} required error={fieldError(error, 'email')} autoComplete="off" />
            <WorkPhoneInput value={phone} onChange={setPhone} error={fieldError(error, 'workPhone')} />
            <RolePicker value={roles} onChange={setRoles} error={fieldError(error, 'roles')} />
            <OrgAdminCheckbox checked={orgAdmin} onChange={setOrgAdmin} error={fieldError(error, 'organizationAdministrator')} />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={busy}>
                {t('staff.createSubmit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function EditStaff({ member, onClose }: { member: StaffT; onClose: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshStaff();
  const [name, setName] = useState(member.displayName);
  const [phone, setPhone] = useState(member.workPhone ?? '');
  const [roles, setRoles] = useState<string[]>(member.roles);
  const [active, setActive] = useState(member.active);
  const [orgAdmin, setOrgAdmin] = useState(member.organizationAdministrator);
  const { me } = useSession();
  const { busy, error, run } = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: { displayName?: string; workPhone?: string | null; roles?: StaffT['roles']; active?: boolean; organizationAdministrator?: boolean } = {};
    if (name.trim() !== member.displayName) body.displayName = name.trim();
    if (phone.trim() !== (member.workPhone ?? '')) body.workPhone = phone.trim() || null;
    if ([...roles].sort().join() !== [...member.roles].sort().join()) body.roles = roles as StaffT['roles'];
    if (active !== member.active) body.active = active;
    if (orgAdmin !== member.organizationAdministrator) body.organizationAdministrator = orgAdmin;
    if (Object.keys(body).length === 0) return onClose();
    void run(async () => {
      await api.updateStaff(member.id, body);
      await refresh();
      notifications.show({ color: 'teal', message: t('staff.saved') });
      onClose();
    });
  };

  return (
    <Modal opened onClose={onClose} title={t('staff.editTitle', { name: member.displayName })} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={error} />
          <Text size="sm" c="dimmed">
            {member.email}
          </Text>
          <TextInput label={t('staff.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required data-autofocus error={fieldError(error, 'displayName')} />
          <WorkPhoneInput value={phone} onChange={setPhone} error={fieldError(error, 'workPhone')} />
          <RolePicker value={roles} onChange={setRoles} error={fieldError(error, 'roles')} />
          <Checkbox label={t('staff.activeLabel')} description={t('staff.activeHint')} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} error={fieldError(error, 'active')} />
          {/* Your own organisation-administrator role is not yours to take away (ask another). */}
          <OrgAdminCheckbox checked={orgAdmin} onChange={setOrgAdmin} error={fieldError(error, 'organizationAdministrator')} disabled={member.id === me.user.id && member.organizationAdministrator} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ResetStaff({ member, onClose }: { member: StaffT; onClose: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshStaff();
  const [resetMfa, setResetMfa] = useState(false);
  const { busy, error, run } = useAction();
  const [password, setPassword] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const res = await api.resetStaffPassword(member.id, resetMfa);
      setPassword(res.temporaryPassword);
      void refresh();
    });
  };

  return (
    <Modal opened onClose={onClose} title={t('staff.resetTitle', { name: member.displayName })} size="lg" closeOnClickOutside={!password}>
      {password ? (
        <Stack>
          <OneTimeSecret label={t('staff.temporaryPassword')} values={[password]} warning={t('staff.temporaryPasswordWarning')} />
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('common.done')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <ErrorAlert error={error} />
            <Text>{t('staff.resetIntro')}</Text>
            <Checkbox label={t('staff.resetMfa')} description={t('staff.resetMfaHint')} checked={resetMfa} onChange={(e) => setResetMfa(e.currentTarget.checked)} disabled={!member.mfaEnabled} />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose} data-autofocus>
                {t('common.cancel')}
              </Button>
              <Button type="submit" color="red" loading={busy}>
                {t('staff.resetSubmit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
