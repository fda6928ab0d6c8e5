// "Couples and network" on the patient page (issue 16, read:family): behavioural couples therapy's
// recovery contract (write one with the partner, its parts, end it), the couple's month calendar
// (a grid of symbols and a table for screen readers; staff record what the couple said in
// session), and network therapy: the network's members, its meetings and the doses members saw,
// with adherence over the last 28 days.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Checkbox, Group, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title, VisuallyHidden, Divider } from '@mantine/core';
import { CONTRACT_PART_WORDS, CONTRACT_PARTS, REQUIRED_PART, type ContractPart } from '../../../../core/family/couples.ts';
import { useSession } from '../../session.tsx';
import { formatDate, todayIn } from '../../format.ts';
import { StatusBadge, TableHead } from '../../components/common.tsx';
import { ErrorAlert, fieldError, useAction } from '../../components/forms.tsx';
import { Section } from '../../components/Section.tsx';
import { useFamily } from '../consent/queries.ts';
import {
  useAddNetworkMember,
  useCalendar,
  useContracts,
  useCreateContract,
  useEndContract,
  useLeaveNetwork,
  useNetworkMeetings,
  useNetworkMembers,
  useRecordDay,
  useRecordDose,
  useRecordMeeting,
  useWitnessedDoses,
  type CalendarDayT,
  type ContractT,
} from './togetherQueries.ts';

const shiftMonth = (month: string, n: number) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
};

export function TogetherCard({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  return (
    <Section title={t('together.title')} permission="read:family" testId="together-card">
      <ContractPart patientId={patientId} />
      <Divider />
      <NetworkPart patientId={patientId} />
    </Section>
  );
}

function usePartWords() {
  const { i18n } = useTranslation();
  const lang = i18n.language.startsWith('es') ? 'es' : 'en';
  return (p: ContractPart) => CONTRACT_PART_WORDS[p].title[lang];
}

function ContractPart({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const contracts = useContracts(patientId);
  const end = useEndContract(patientId);
  const action = useAction();
  const part = usePartWords();
  const [writing, setWriting] = useState(false);
  const open = contracts.data?.items.find((c) => c.status === 'open') ?? null;
  const canWrite = can('write:family');
  return (
    <Stack gap="xs" data-testid="together-contract">
      <Group justify="space-between">
        <Title order={3} size="h5">
          {t('together.contract.title')}
        </Title>
        {canWrite && !writing ? (
          <Button size="xs" variant="light" onClick={() => setWriting(true)}>
            {open ? t('together.contract.replace') : t('together.contract.write')}
          </Button>
        ) : null}
      </Group>
      <ErrorAlert error={contracts.error ?? action.error} />
      {writing ? <ContractForm patientId={patientId} onDone={() => setWriting(false)} /> : null}
      {contracts.data && !open ? (
        <Text size="sm" c="dimmed">
          {t('together.contract.none')}
        </Text>
      ) : null}
      {open ? (
        <Stack gap={4}>
          <Text size="sm">{t('together.contract.with', { name: open.partner.displayName, date: formatDate(open.startsOn, i18n.language) })}</Text>
          <ul style={{ margin: 0, paddingInlineStart: '1.2em' }} data-testid="contract-parts">
            {open.terms.map((p) => (
              <li key={p}>
                <Text size="sm">{part(p)}</Text>
              </li>
            ))}
          </ul>
          {open.ownTerms ? <Text size="sm">{t('together.contract.ownWords', { words: open.ownTerms })}</Text> : null}
          <Text size="sm" data-testid="contract-summary">
            {t('together.contract.summary', { held: open.summary.daysHeld, days: open.summary.daysSoFar, streak: open.summary.streak })}
            {open.summary.percentHeld !== null ? ` (${open.summary.percentHeld}%)` : ''}
          </Text>
          {canWrite ? (
            <Group>
              <Button size="xs" variant="default" color="red" loading={action.busy} onClick={() => void action.run(async () => void (await end.mutateAsync(open.id)))}>
                {t('together.contract.end')}
              </Button>
            </Group>
          ) : null}
          <CalendarPart patientId={patientId} contract={open} />
        </Stack>
      ) : null}
    </Stack>
  );
}

function ContractForm({ patientId, onDone }: { patientId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const { program } = useSession();
  const family = useFamily(patientId);
  const create = useCreateContract(patientId);
  const action = useAction();
  const part = usePartWords();
  const partners = (family.data?.items ?? []).filter((m) => m.relationship === 'partner' || m.relationship === 'spouse');
  const [partner, setPartner] = useState('');
  const [terms, setTerms] = useState<string[]>([REQUIRED_PART]);
  const [ownTerms, setOwnTerms] = useState('');
  const [startsOn, setStartsOn] = useState(todayIn(program?.timeZone));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await action.run(async () => {
      await create.mutateAsync({ familyMemberId: partner || (partners[0]?.id ?? ''), terms, ownTerms: ownTerms.trim() || null, startsOn });
    });
    if (ok) onDone();
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t('together.contract.formLabel')}>
      <Stack gap="xs">
        {family.data && partners.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('together.contract.noPartner')}
          </Text>
        ) : (
          <NativeSelect
            label={t('together.contract.partner')}
            value={partner || (partners[0]?.id ?? '')}
            onChange={(e) => setPartner(e.currentTarget.value)}
            data={partners.map((m) => ({ value: m.id, label: m.displayName }))}
            error={fieldError(action.error, 'body.familyMemberId')}
          />
        )}
        <Checkbox.Group
          label={t('together.contract.parts')}
          value={terms}
          onChange={(v) => setTerms(v.includes(REQUIRED_PART) ? v : [REQUIRED_PART, ...v])}
          error={fieldError(action.error, 'body.terms')}
        >
          <Stack gap={4} mt={4}>
            {CONTRACT_PARTS.map((p) => (
              <Checkbox key={p} value={p} label={part(p)} disabled={p === REQUIRED_PART} />
            ))}
          </Stack>
        </Checkbox.Group>
        <Textarea label={t('together.contract.ownWordsLabel')} value={ownTerms} onChange={(e) => setOwnTerms(e.currentTarget.value)} maxLength={1000} autosize minRows={2} />
        <TextInput type="date" label={t('together.contract.startsOn')} value={startsOn} onChange={(e) => setStartsOn(e.currentTarget.value)} error={fieldError(action.error, 'body.startsOn')} />
        <ErrorAlert error={action.error} />
        <Group>
          <Button type="submit" size="xs" loading={action.busy} disabled={partners.length === 0}>
            {t('together.contract.save')}
          </Button>
          <Button size="xs" variant="default" onClick={onDone}>
            {t('together.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

const SYMBOL: Record<CalendarDayT['status'], string> = { held: '✓', 'not-held': '✗', unrecorded: '·', 'before-start': '', 'after-end': '', future: '' };

function CalendarPart({ patientId, contract }: { patientId: string; contract: ContractT }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const today = todayIn(program?.timeZone);
  const [month, setMonth] = useState(today.slice(0, 7));
  const cal = useCalendar(patientId, contract.id, month);
  const days = cal.data?.days ?? [];
  const lead = days[0] ? (new Date(`${days[0].day}T00:00:00Z`).getUTCDay() + 6) % 7 : 0; // Monday first
  const monthName = new Intl.DateTimeFormat(i18n.language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
  const weekdays = Array.from({ length: 7 }, (_, i) => new Intl.DateTimeFormat(i18n.language, { weekday: 'narrow', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 0, 5 + i))));
  return (
    <Stack gap="xs" data-testid="together-calendar">
      <Group justify="space-between">
        <Title order={4} size="h6">
          {t('together.calendar.title', { month: monthName })}
        </Title>
        <Group gap={4}>
          <Button size="xs" variant="default" onClick={() => setMonth(shiftMonth(month, -1))} aria-label={t('together.calendar.previous')}>
            ‹
          </Button>
          <Button size="xs" variant="default" onClick={() => setMonth(shiftMonth(month, 1))} aria-label={t('together.calendar.next')} disabled={month >= today.slice(0, 7)}>
            ›
          </Button>
        </Group>
      </Group>
      <ErrorAlert error={cal.error} />
      <div aria-hidden="true" style={{ display: 'grid', gridTemplateColumns: 'repeat(7, minmax(2rem, 1fr))', gap: 2, maxWidth: 360 }}>
        {weekdays.map((w, i) => (
          <Text key={`w${i}`} size="xs" ta="center" c="dimmed">
            {w}
          </Text>
        ))}
        {Array.from({ length: lead }, (_, i) => (
          <span key={`l${i}`} />
        ))}
        {days.map((d) => (
          <div
            key={d.day}
            data-status={d.status}
            style={{
              border: d.status === 'future' || d.status === 'before-start' || d.status === 'after-end' ? '1px dashed var(--mantine-color-gray-4)' : '1px solid var(--mantine-color-gray-5)',
              borderRadius: 4,
              padding: 2,
              textAlign: 'center',
              background: d.status === 'held' ? 'var(--mantine-color-green-1)' : d.status === 'not-held' ? 'var(--mantine-color-red-1)' : undefined,
            }}
          >
            <Text size="xs">{Number(d.day.slice(8))}</Text>
            <Text size="sm" fw={700}>
              {SYMBOL[d.status]}
              {d.medicationWitnessed ? ' M' : ''}
            </Text>
          </div>
        ))}
      </div>
      <Text size="xs" c="dimmed">
        {t('together.calendar.legend')}
      </Text>
      <VisuallyHidden>
        <table>
          <caption>{t('together.calendar.caption', { month: monthName })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('together.calendar.day')}</th>
              <th scope="col">{t('together.calendar.talk')}</th>
              <th scope="col">{t('together.calendar.medicine')}</th>
              <th scope="col">{t('together.calendar.by')}</th>
            </tr>
          </thead>
          <tbody>
            {days
              .filter((d) => d.status !== 'future' && d.status !== 'before-start' && d.status !== 'after-end')
              .map((d) => (
                <tr key={d.day}>
                  <td>{formatDate(d.day, i18n.language)}</td>
                  <td>{t(`together.status.${d.status}`)}</td>
                  <td>{d.medicationWitnessed === null ? '' : d.medicationWitnessed ? t('together.yes') : t('together.no')}</td>
                  <td>{d.recordedBy ? t(`together.by.${d.recordedBy}`) : ''}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </VisuallyHidden>
      {can('write:family') ? <RecordDayForm patientId={patientId} contract={contract} today={today} /> : null}
    </Stack>
  );
}

function RecordDayForm({ patientId, contract, today }: { patientId: string; contract: ContractT; today: string }) {
  const { t } = useTranslation();
  const record = useRecordDay(patientId);
  const action = useAction();
  const [day, setDay] = useState(today);
  const [med, setMed] = useState(false);
  const hasMed = contract.terms.includes('medication-witnessed');
  const save = (held: boolean) => void action.run(async () => void (await record.mutateAsync({ id: contract.id, day, held, ...(hasMed ? { medicationWitnessed: med } : {}) })));
  return (
    <Stack gap={4} data-testid="record-day">
      <Text size="sm" fw={500}>
        {t('together.calendar.record')}
      </Text>
      <Group align="end" gap="xs">
        <TextInput type="date" size="xs" label={t('together.calendar.day')} value={day} max={today} onChange={(e) => setDay(e.currentTarget.value)} error={fieldError(action.error, 'params.day')} />
        {hasMed ? <Checkbox size="xs" label={t('together.calendar.medicineSeen')} checked={med} onChange={(e) => setMed(e.currentTarget.checked)} /> : null}
        <Button size="xs" loading={action.busy} onClick={() => save(true)}>
          {t('together.calendar.held')}
        </Button>
        <Button size="xs" variant="default" loading={action.busy} onClick={() => save(false)}>
          {t('together.calendar.notHeld')}
        </Button>
      </Group>
      <ErrorAlert error={action.error} />
    </Stack>
  );
}

function NetworkPart({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const members = useNetworkMembers(patientId);
  const meetings = useNetworkMeetings(patientId);
  const doses = useWitnessedDoses(patientId);
  const leave = useLeaveNetwork(patientId);
  const action = useAction();
  const [form, setForm] = useState<'member' | 'meeting' | 'dose' | null>(null);
  const canWrite = can('write:family');
  const current = (members.data?.items ?? []).filter((m) => !m.leftOn);
  const a = doses.data?.adherence;
  return (
    <Stack gap="xs" data-testid="together-network">
      <Group justify="space-between">
        <Title order={3} size="h5">
          {t('together.network.title')}
        </Title>
        {canWrite ? (
          <Group gap={4}>
            <Button size="xs" variant="light" onClick={() => setForm('member')}>
              {t('together.network.add')}
            </Button>
            <Button size="xs" variant="light" onClick={() => setForm('meeting')} disabled={current.length === 0}>
              {t('together.meetings.record')}
            </Button>
            <Button size="xs" variant="light" onClick={() => setForm('dose')} disabled={current.length === 0}>
              {t('together.doses.record')}
            </Button>
          </Group>
        ) : null}
      </Group>
      <ErrorAlert error={members.error ?? meetings.error ?? doses.error ?? action.error} />
      {form === 'member' ? <MemberForm patientId={patientId} onDone={() => setForm(null)} /> : null}
      {form === 'meeting' ? <MeetingForm patientId={patientId} members={current} today={todayIn(program?.timeZone)} onDone={() => setForm(null)} /> : null}
      {form === 'dose' ? <DoseForm patientId={patientId} members={current} today={todayIn(program?.timeZone)} onDone={() => setForm(null)} /> : null}
      {members.data && members.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('together.network.none')}
        </Text>
      ) : null}
      {(members.data?.items.length ?? 0) > 0 ? (
        <Table.ScrollContainer minWidth={520}>
          <Table verticalSpacing={4} data-testid="network-members">
            <TableHead labels={[t('together.network.name'), t('together.network.relationship'), t('together.network.role'), t('together.network.since')]} actions={canWrite} />
            <Table.Tbody>
              {members.data!.items.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>
                    {m.displayName} {m.familyMemberId ? <StatusBadge tone="neutral">{t('together.network.hasApp')}</StatusBadge> : null}
                  </Table.Td>
                  <Table.Td>{m.relationship}</Table.Td>
                  <Table.Td>{m.role ?? ''}</Table.Td>
                  <Table.Td>{m.leftOn ? t('together.network.left', { date: formatDate(m.leftOn, i18n.language) }) : formatDate(m.joinedOn, i18n.language)}</Table.Td>
                  {canWrite ? (
                    <Table.Td>
                      {!m.leftOn ? (
                        <Button
                          size="xs"
                          variant="default"
                          aria-label={t('together.network.leaveLabel', { name: m.displayName })}
                          onClick={() => void action.run(async () => void (await leave.mutateAsync(m.id)))}
                        >
                          {t('together.network.leave')}
                        </Button>
                      ) : null}
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {a ? (
        <Stack gap={4} data-testid="network-adherence">
          <Title order={4} size="h6">
            {t('together.doses.title')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Text size="sm">{a.percentTaken === null ? t('together.doses.noWindow') : t('together.doses.percent', { percent: a.percentTaken, taken: a.daysTaken, days: a.days })}</Text>
            <Text size="sm">{t('together.doses.missed', { count: a.daysMissed })}</Text>
            <Text size="sm">{t('together.doses.runs', { current: a.currentRun, longest: a.longestRun })}</Text>
          </SimpleGrid>
          {(doses.data?.items.length ?? 0) > 0 ? (
            <Table verticalSpacing={2}>
              <TableHead labels={[t('together.calendar.day'), t('together.network.name'), t('together.doses.seen'), t('together.doses.source')]} />
              <Table.Tbody>
                {doses.data!.items.slice(0, 14).map((d) => (
                  <Table.Tr key={d.id}>
                    <Table.Td>{formatDate(d.day, i18n.language)}</Table.Td>
                    <Table.Td>{d.memberName}</Table.Td>
                    <Table.Td>{d.taken ? t('together.doses.taken') : t('together.doses.notTaken')}</Table.Td>
                    <Table.Td>{t(`together.doses.sources.${d.source}`)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : null}
        </Stack>
      ) : null}
      {(meetings.data?.items.length ?? 0) > 0 ? (
        <Stack gap={4} data-testid="network-meetings">
          <Title order={4} size="h6">
            {t('together.meetings.title')}
          </Title>
          {meetings.data!.items.slice(0, 5).map((m) => (
            <Text size="sm" key={m.id}>
              {formatDate(m.heldOn, i18n.language)}: {m.attendees.map((x) => x.displayName).join(', ')}
              {m.note ? ` — ${m.note}` : ''}
            </Text>
          ))}
        </Stack>
      ) : null}
    </Stack>
  );
}

function MemberForm({ patientId, onDone }: { patientId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const family = useFamily(patientId);
  const add = useAddNetworkMember(patientId);
  const action = useAction();
  const [familyMemberId, setFamilyMemberId] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [relationship, setRelationship] = useState('');
  const [role, setRole] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await action.run(async () => {
      await add.mutateAsync({ ...(familyMemberId ? { familyMemberId } : { displayName: displayName.trim() }), relationship: relationship.trim(), role: role.trim() || null });
    });
    if (ok) onDone();
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t('together.network.add')}>
      <Stack gap="xs">
        <NativeSelect
          label={t('together.network.who')}
          value={familyMemberId}
          onChange={(e) => setFamilyMemberId(e.currentTarget.value)}
          data={[{ value: '', label: t('together.network.someoneElse') }, ...(family.data?.items ?? []).map((m) => ({ value: m.id, label: m.displayName }))]}
          error={fieldError(action.error, 'body.familyMemberId')}
        />
        {!familyMemberId ? (
          <TextInput label={t('together.network.name')} value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} error={fieldError(action.error, 'body.displayName')} />
        ) : null}
        <TextInput
          label={t('together.network.relationship')}
          value={relationship}
          onChange={(e) => setRelationship(e.currentTarget.value)}
          error={fieldError(action.error, 'body.relationship')}
          required
        />
        <TextInput label={t('together.network.role')} description={t('together.network.roleHint')} value={role} onChange={(e) => setRole(e.currentTarget.value)} />
        <ErrorAlert error={action.error} />
        <Group>
          <Button type="submit" size="xs" loading={action.busy}>
            {t('together.network.save')}
          </Button>
          <Button size="xs" variant="default" onClick={onDone}>
            {t('together.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

type Member = { id: string; displayName: string };

function MeetingForm({ patientId, members, today, onDone }: { patientId: string; members: Member[]; today: string; onDone: () => void }) {
  const { t } = useTranslation();
  const record = useRecordMeeting(patientId);
  const action = useAction();
  const [heldOn, setHeldOn] = useState(today);
  const [attendees, setAttendees] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await action.run(async () => void (await record.mutateAsync({ heldOn, attendees, note: note.trim() || null })));
    if (ok) onDone();
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t('together.meetings.record')}>
      <Stack gap="xs">
        <TextInput type="date" label={t('together.meetings.heldOn')} value={heldOn} max={today} onChange={(e) => setHeldOn(e.currentTarget.value)} error={fieldError(action.error, 'body.heldOn')} />
        <Checkbox.Group label={t('together.meetings.attendees')} value={attendees} onChange={setAttendees} error={fieldError(action.error, 'body.attendees')}>
          <Stack gap={4} mt={4}>
            {members.map((m) => (
              <Checkbox key={m.id} value={m.id} label={m.displayName} />
            ))}
          </Stack>
        </Checkbox.Group>
        <Textarea label={t('together.meetings.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={2000} autosize minRows={2} />
        <ErrorAlert error={action.error} />
        <Group>
          <Button type="submit" size="xs" loading={action.busy} disabled={attendees.length === 0}>
            {t('together.meetings.save')}
          </Button>
          <Button size="xs" variant="default" onClick={onDone}>
            {t('together.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DoseForm({ patientId, members, today, onDone }: { patientId: string; members: Member[]; today: string; onDone: () => void }) {
  const { t } = useTranslation();
  const record = useRecordDose(patientId);
  const action = useAction();
  const [member, setMember] = useState('');
  const [day, setDay] = useState(today);
  const save = async (taken: boolean) => {
    const ok = await action.run(async () => void (await record.mutateAsync({ networkMemberId: member || members[0]!.id, day, taken })));
    if (ok) onDone();
  };
  return (
    <Stack gap="xs" data-testid="dose-form">
      <NativeSelect
        label={t('together.doses.who')}
        value={member || (members[0]?.id ?? '')}
        onChange={(e) => setMember(e.currentTarget.value)}
        data={members.map((m) => ({ value: m.id, label: m.displayName }))}
      />
      <TextInput type="date" label={t('together.calendar.day')} value={day} max={today} onChange={(e) => setDay(e.currentTarget.value)} error={fieldError(action.error, 'body.day')} />
      <ErrorAlert error={action.error} />
      <Group>
        <Button size="xs" loading={action.busy} onClick={() => void save(true)}>
          {t('together.doses.taken')}
        </Button>
        <Button size="xs" variant="default" loading={action.busy} onClick={() => void save(false)}>
          {t('together.doses.notTaken')}
        </Button>
        <Button size="xs" variant="subtle" onClick={onDone}>
          {t('together.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}
