// A new peer referral after an overdose (issue 15): a patient of the programme (found by name
// or MRN, so the referral links to the chart; preselected when opened from the patient page) or
// a community member (a name they go by and a phone), where the referral came from, when, and
// whether and how the person agreed to be contacted.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Button, Checkbox, Radio, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { api } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { toZonedInput, zonedInputToRfc3339 } from '../../format.ts';
import { PageTitle } from '../../components/common.tsx';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { CONTACT_METHODS, REFERRAL_SOURCES } from '../../../../core/peers/outreach.ts';
import { usePeerWrite } from './api.ts';
import type { PreselectedPatient } from './PatientPeerCard.tsx';

type Chosen = PreselectedPatient['patient'];

export function NewReferralPage() {
  const { t } = useTranslation();
  const { program } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const tz = program?.timeZone;
  const create = usePeerWrite<Record<string, unknown>>('/peer-outreach/referrals');
  // from the patient page: the patient comes in the router's state (never the URL)
  const [patient, setPatient] = useState<Chosen | null>(() => (location.state as PreselectedPatient | null)?.patient ?? null);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [source, setSource] = useState<string | null>('emergency-department');
  const [when, setWhen] = useState(toZonedInput(new Date(), tz));
  // sent only when changed: by default the server's own clock says when
  const [whenChanged, setWhenChanged] = useState(false);
  const [consent, setConsent] = useState('yes');
  const [method, setMethod] = useState<string | null>('phone');
  const [mine, setMine] = useState(true);
  const submit = () => {
    const body = {
      patientId: patient?.id,
      contactName: patient ? undefined : name.trim() || undefined,
      contactPhone: phone.trim() || undefined,
      source,
      referredAt: whenChanged ? (zonedInputToRfc3339(when, tz) ?? undefined) : undefined,
      consent: consent === 'yes',
      contactMethod: consent === 'yes' ? (method ?? undefined) : undefined,
      assignToMe: mine,
    };
    create.mutate(body, { onSuccess: (r) => navigate(`/peer-outreach/referrals/${r.id}`) });
  };
  return (
    <Stack maw={520}>
      <PageTitle title={t('peers.new.title')}>{t('peers.new.title')}</PageTitle>
      <PatientPicker patient={patient} onChange={setPatient} error={fieldError(create.error, 'body.patientId')} />
      {patient ? null : (
        <TextInput
          label={t('peers.new.name')}
          description={t('peers.new.nameHelp')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={fieldError(create.error, 'body.contactName')}
        />
      )}
      <TextInput label={t('peers.new.phone')} type="tel" value={phone} onChange={(e) => setPhone(e.currentTarget.value)} error={fieldError(create.error, 'body.contactPhone')} />
      <Select label={t('peers.new.source')} data={REFERRAL_SOURCES.map((x) => ({ value: x, label: t(`peers.source.${x}`) }))} value={source} onChange={setSource} allowDeselect={false} />
      <TextInput
        type="datetime-local"
        label={t('peers.new.when')}
        value={when}
        onChange={(e) => {
          setWhen(e.currentTarget.value);
          setWhenChanged(true);
        }}
        error={fieldError(create.error, 'body.referredAt')}
      />
      <Radio.Group label={t('peers.new.consent')} value={consent} onChange={setConsent}>
        <Group>
          <Radio value="yes" label={t('peers.new.yes')} />
          <Radio value="no" label={t('peers.new.no')} />
        </Group>
      </Radio.Group>
      {consent === 'yes' ? (
        <Select
          label={t('peers.new.method')}
          data={CONTACT_METHODS.map((x) => ({ value: x, label: t(`peers.method.${x}`) }))}
          value={method}
          onChange={setMethod}
          error={fieldError(create.error, 'body.contactMethod')}
        />
      ) : null}
      <Checkbox label={t('peers.new.mine')} checked={mine} onChange={(e) => setMine(e.currentTarget.checked)} />
      <ErrorAlert error={create.error} />
      <Group>
        <Button onClick={submit} loading={create.isPending}>
          {t('peers.new.save')}
        </Button>
      </Group>
    </Stack>
  );
}

/** A patient of the programme, found by name or MRN (the search is a POST: names stay out of URLs), or none. */
function PatientPicker({ patient, onChange, error }: { patient: Chosen | null; onChange: (p: Chosen | null) => void; error?: string | undefined }) {
  const { t } = useTranslation();
  const { program } = useSession();
  const [q, setQ] = useState('');
  const words = q.trim();
  const found = useQuery({
    queryKey: ['patients', program?.id, 'peer-referral-picker', words],
    queryFn: () => api.searchPatients({ q: words, limit: 8 }),
    enabled: patient === null && words.length >= 2,
    staleTime: 10_000,
  });
  if (patient)
    return (
      <Stack gap={2} data-testid="referral-patient">
        <Text size="sm" fw={500}>
          {t('peers.new.patient')}
        </Text>
        <Group gap="xs">
          <Text>{t('peers.new.patientChosen', { name: patient.name, mrn: patient.mrn })}</Text>
          <Button size="compact-sm" variant="subtle" onClick={() => onChange(null)}>
            {t('peers.new.notThisPatient')}
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          {t('peers.new.nameFromChart')}
        </Text>
        {error ? (
          <Text size="sm" c="red.8">
            {error}
          </Text>
        ) : null}
      </Stack>
    );
  const items = found.data?.items ?? [];
  return (
    <Stack gap={4}>
      <TextInput label={t('peers.new.patient')} description={t('peers.new.patientHelp')} value={q} onChange={(e) => setQ(e.currentTarget.value)} data-testid="referral-patient-search" />
      {words.length >= 2 && found.data && items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('peers.new.noPatient')}
        </Text>
      ) : null}
      <ErrorAlert error={found.error} />
      {items.length > 0 ? (
        <Group gap="xs" role="group" aria-label={t('peers.new.patientResults')}>
          {items.map((p) => {
            const name = `${p.preferredName ?? p.legalGivenName} ${p.legalFamilyName}`;
            return (
              <Button key={p.id} size="xs" variant="light" onClick={() => onChange({ id: p.id, name, mrn: p.mrn })}>
                {t('peers.new.patientChosen', { name, mrn: p.mrn })}
              </Button>
            );
          })}
        </Group>
      ) : null}
    </Stack>
  );
}
