// Caseloads (ADR 043): how many patients each counsellor and peer carries, the patients on one
// person's caseload with their counselling status, and — for one patient — assigning a
// counsellor or peer, transferring with a reason, or ending an assignment; the history stays.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Button, Card, Group, Loader, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { api } from '../../api.ts';
import { PageTitle, TableHead, WhoCanSee } from '../../components/common.tsx';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { formatInstantDate } from '../../format.ts';
import { useSession } from '../../session.tsx';
import { useCaseloadPatients, useCaseloadSizes, useChangeCaseload, usePatientCaseload } from '../../queries/counselling.ts';
import { useStaffList } from '../patient/useStaffList.ts';
import { ComplianceBadge } from './Today.tsx';

type Kind = 'counsellor' | 'peer';

function Sizes({ onPick }: { onPick: (userId: string) => void }) {
  const { t } = useTranslation();
  const q = useCaseloadSizes();
  if (q.isLoading) return <Loader />;
  if (q.error) return <ErrorAlert error={q.error} />;
  const d = q.data!;
  return (
    <Stack gap="xs">
      <Table data-testid="caseload-sizes">
        <TableHead labels={[t('counselling.caseloads.staff'), t('counselling.caseloads.asCounsellor'), t('counselling.caseloads.asPeer')]} />
        <Table.Tbody>
          {d.staff.map((s) => (
            <Table.Tr key={s.staff.id}>
              <Table.Td>
                <Button variant="subtle" size="compact-sm" onClick={() => onPick(s.staff.id)}>
                  {s.staff.name}
                </Button>
              </Table.Td>
              <Table.Td>{s.counsellor}</Table.Td>
              <Table.Td>{s.peer}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm">{t('counselling.caseloads.unassigned', { counsellor: d.unassigned.counsellor, peer: d.unassigned.peer })}</Text>
    </Stack>
  );
}

function PersonCaseload({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<Kind>('counsellor');
  const q = useCaseloadPatients(userId, kind);
  return (
    <Stack gap="xs">
      <SegmentedControl
        value={kind}
        onChange={(v) => setKind(v as Kind)}
        data={[
          { value: 'counsellor', label: t('counselling.caseloads.asCounsellor') },
          { value: 'peer', label: t('counselling.caseloads.asPeer') },
        ]}
      />
      {q.isLoading ? <Loader /> : null}
      {q.error ? <ErrorAlert error={q.error} /> : null}
      {q.data ? (
        q.data.items.length ? (
          <Table data-testid="caseload-patients">
            <TableHead labels={[t('counselling.compliance.patient'), t('counselling.compliance.status')]} />
            <Table.Tbody>
              {q.data.items.map((p) => (
                <Table.Tr key={p.patientId}>
                  <Table.Td>
                    <Link to={`/patients/${p.patientId}`}>{p.patientName}</Link>
                  </Table.Td>
                  <Table.Td>
                    <ComplianceBadge compliance={p.compliance} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text c="dimmed">{t('counselling.caseloads.empty')}</Text>
        )
      ) : null}
    </Stack>
  );
}

/** One patient's counsellor and peer: assign, transfer (with a reason) or end; the history below. */
export function PatientCaseloadCard({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const staff = useStaffList();
  const q = usePatientCaseload(patientId);
  const change = useChangeCaseload(patientId);
  const [kind, setKind] = useState<Kind>('counsellor');
  const [userId, setUserId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const current = q.data?.[kind] ?? null;
  const role = kind === 'counsellor' ? 'counsellor' : 'peer-specialist';
  const options = (staff.data ?? []).filter((s) => s.active && s.roles.includes(role)).map((s) => ({ value: s.id, label: s.displayName }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!userId) return;
    change.mutate(
      { end: false, body: { kind, userId, ...(reason.trim() ? { reason: reason.trim() } : {}) } },
      {
        onSuccess: () => {
          setUserId(null);
          setReason('');
          notifications.show({ color: 'teal', message: t('counselling.caseloads.saved') });
        },
      },
    );
  };
  const end = () => change.mutate({ end: true, body: { kind, reason: reason.trim() } }, { onSuccess: () => setReason('') });
  return (
    <Card withBorder data-testid="patient-caseload">
      <Title order={2} size="h4">
        {t('counselling.caseloads.patientTitle')}
      </Title>
      {q.isLoading ? <Loader /> : null}
      {q.error ? <ErrorAlert error={q.error} /> : null}
      {q.data ? (
        <Stack gap="sm" mt="xs">
          <Text size="sm">
            {t('counselling.caseloads.counsellorIs', { name: q.data.counsellor?.staff.name ?? t('counselling.caseloads.nobody') })} ·{' '}
            {t('counselling.caseloads.peerIs', { name: q.data.peer?.staff.name ?? t('counselling.caseloads.nobody') })}
          </Text>
          {can('write:caseload') ? (
            <form onSubmit={submit}>
              <Group align="flex-end" wrap="wrap">
                <SegmentedControl
                  value={kind}
                  onChange={(v) => setKind(v as Kind)}
                  data={[
                    { value: 'counsellor', label: t('counselling.caseloads.kind.counsellor') },
                    { value: 'peer', label: t('counselling.caseloads.kind.peer') },
                  ]}
                />
                <Select label={t('counselling.caseloads.assignTo')} data={options} value={userId} onChange={setUserId} searchable error={fieldError(change.error, 'body.userId')} />
                <TextInput
                  label={current ? t('counselling.caseloads.reasonRequired') : t('counselling.caseloads.reasonOptional')}
                  value={reason}
                  onChange={(e) => setReason(e.currentTarget.value)}
                  maxLength={500}
                  error={fieldError(change.error, 'body.reason')}
                />
                <Button type="submit" disabled={!userId} loading={change.isPending}>
                  {current ? t('counselling.caseloads.transfer') : t('counselling.caseloads.assign')}
                </Button>
                {current ? (
                  <Button variant="subtle" color="red" onClick={end} disabled={!reason.trim()}>
                    {t('counselling.caseloads.end')}
                  </Button>
                ) : null}
              </Group>
              {change.error && !fieldError(change.error, 'body.userId') && !fieldError(change.error, 'body.reason') ? <ErrorAlert error={change.error} /> : null}
            </form>
          ) : null}
          {q.data.history.length ? (
            <Table data-testid="caseload-history">
              <TableHead labels={[t('counselling.caseloads.history.who'), t('counselling.caseloads.history.from'), t('counselling.caseloads.history.until'), t('counselling.caseloads.history.why')]} />
              <Table.Tbody>
                {q.data.history.map((h) => (
                  <Table.Tr key={h.id}>
                    <Table.Td>
                      {h.staff.name} ({t(`counselling.caseloads.kind.${h.kind}`)})
                    </Table.Td>
                    <Table.Td>{formatInstantDate(h.startedAt, i18n.language, program?.timeZone)}</Table.Td>
                    <Table.Td>{h.endedAt ? formatInstantDate(h.endedAt, i18n.language, program?.timeZone) : t('counselling.caseloads.history.current')}</Table.Td>
                    <Table.Td>{[h.reason, h.endReason].filter(Boolean).join(' → ') || '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : null}
        </Stack>
      ) : null}
    </Card>
  );
}

function FindPatient({ onPick }: { onPick: (id: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [results, setResults] = useState<Array<{ id: string; name: string; mrn: string }>>([]);
  const search = async (e: FormEvent) => {
    e.preventDefault();
    // a POST: the name searched for never appears in a URL (ADR 004)
    const page = await api.searchPatients({ q: text, limit: 10 });
    setResults(page.items.map((p) => ({ id: p.id, name: `${p.preferredName ?? p.legalGivenName} ${p.legalFamilyName}`, mrn: p.mrn })));
  };
  return (
    <form onSubmit={(e) => void search(e)}>
      <Group align="flex-end">
        <TextInput label={t('counselling.caseloads.findPatient')} value={text} onChange={(e) => setText(e.currentTarget.value)} />
        <Button type="submit" variant="default">
          {t('counselling.caseloads.search')}
        </Button>
      </Group>
      <Group mt="xs" gap="xs">
        {results.map((r) => (
          <Button key={r.id} variant="light" size="compact-sm" onClick={() => onPick(r.id)}>
            {r.name} · {r.mrn}
          </Button>
        ))}
      </Group>
    </form>
  );
}

export function CaseloadsPage() {
  const { t } = useTranslation();
  const [person, setPerson] = useState<string | null>(null);
  const [patientId, setPatientId] = useState<string | null>(null);
  return (
    <Stack>
      <PageTitle title={t('counselling.caseloads.title')}>{t('counselling.caseloads.title')}</PageTitle>
      <WhoCanSee permission="read:care-team" />
      <Group align="flex-start" grow>
        <Stack>
          <Title order={2} size="h4">
            {t('counselling.caseloads.sizes')}
          </Title>
          <Sizes onPick={setPerson} />
        </Stack>
        {person ? (
          <Stack>
            <Title order={2} size="h4">
              {t('counselling.caseloads.onCaseload')}
            </Title>
            <PersonCaseload userId={person} />
          </Stack>
        ) : null}
      </Group>
      <FindPatient onPick={setPatientId} />
      {patientId ? <PatientCaseloadCard patientId={patientId} /> : null}
    </Stack>
  );
}
