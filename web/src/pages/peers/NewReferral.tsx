// A new peer referral after an overdose (issue 15): a patient of the programme or a community
// member (a name they go by and a phone), where the referral came from, when, and whether and
// how the person agreed to be contacted.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { Button, Checkbox, Radio, Group, Select, Stack, TextInput } from '@mantine/core';
import { useSession } from '../../session.tsx';
import { toZonedInput, zonedInputToRfc3339 } from '../../format.ts';
import { PageTitle } from '../../components/common.tsx';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { CONTACT_METHODS, REFERRAL_SOURCES } from '../../../../core/peers/outreach.ts';
import { usePeerWrite } from './api.ts';

export function NewReferralPage() {
  const { t } = useTranslation();
  const { program } = useSession();
  const navigate = useNavigate();
  const tz = program?.timeZone;
  const create = usePeerWrite<Record<string, unknown>>('/peer-outreach/referrals');
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
      contactName: name.trim() || undefined,
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
      <TextInput label={t('peers.new.name')} description={t('peers.new.nameHelp')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(create.error, 'body.contactName')} />
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
