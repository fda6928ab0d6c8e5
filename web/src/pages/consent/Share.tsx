// Share records with someone outside the programme (write:disclosure): the recipient (an
// organisation, a person or a family member), why, which kinds of information, printed or
// exported. The server checks the consents in effect; when none covers it, its reason is shown
// plainly and staff may say it is a medical emergency, with the reason (break-glass: flagged
// and reviewed). The document that leaves (with the notice against redisclosure) opens in a
// new window to print; the accounting refreshes.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Button, Checkbox, Group, Modal, Radio, SegmentedControl, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { PURPOSES } from '../../../../core/consent/consent.ts';
import { isApiError } from '../../api.ts';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { openBlob, useDisclose, useFamily, type DataClassT, type DisclosureCreateT, type DisclosureResultT, type PurposeT } from './queries.ts';
import { useConsentWords } from './words.tsx';

type Kind = 'organization' | 'individual' | 'family-member';

export function ShareModal({ opened, onClose, patientId }: { opened: boolean; onClose: () => void; patientId: string }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} size="lg" title={t('consent.share.title')}>
      {opened ? <ShareForm patientId={patientId} onClose={onClose} /> : null}
    </Modal>
  );
}

const openDocument = (r: DisclosureResultT) => openBlob(new Blob([r.documentHtml], { type: 'text/html;charset=utf-8' }));

function ShareForm({ patientId, onClose }: { patientId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const words = useConsentWords();
  const family = useFamily(patientId);
  const disclose = useDisclose(patientId);
  const [kind, setKind] = useState<Kind>('organization');
  const [name, setName] = useState('');
  const [familyMemberId, setFamilyMemberId] = useState<string | null>(null);
  const [purpose, setPurpose] = useState<PurposeT | null>(null);
  const [dataClasses, setDataClasses] = useState<DataClassT[]>([]);
  const [channel, setChannel] = useState<'print' | 'export'>('print');
  const [emergency, setEmergency] = useState(false);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<DisclosureResultT | null>(null);
  // counselling notes are never shared from here (the server refuses them)
  const classes = (words.templates.data?.dataClasses ?? []).filter((d) => d.key !== 'counselling-notes');
  const refused = isApiError(disclose.error) && disclose.error.code === 'consent_required' ? disclose.error : null;
  const err = (f: string) => fieldError(disclose.error, f);

  const recipient = (): DisclosureCreateT['recipient'] | null => (kind === 'family-member' ? (familyMemberId ? { kind, familyMemberId } : null) : name.trim() ? { kind, name: name.trim() } : null);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    const r = recipient();
    if (!r || dataClasses.length === 0) return;
    const body: DisclosureCreateT = {
      recipient: r,
      dataClasses,
      channel,
      ...(purpose ? { purpose } : {}),
      ...(emergency ? { exception: 'medical-emergency' as const, reason: reason.trim() } : {}),
    };
    const result = await disclose.mutateAsync(body);
    setDone(result);
    openDocument(result);
    notifications.show({ color: 'teal', message: t('consent.share.done') });
  };

  if (done)
    return (
      <Stack data-testid="share-done">
        <Alert color="teal" variant="light" icon={<span aria-hidden="true">✓</span>} title={t('consent.share.doneTitle')}>
          {done.disclosure.exception ? t('consent.share.doneEmergency') : t('consent.share.doneConsent')}
        </Alert>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => openDocument(done)}>
            {t('consent.share.openAgain')}
          </Button>
          <Button onClick={onClose}>{t('common.done')}</Button>
        </Group>
      </Stack>
    );

  const ready = !!recipient() && dataClasses.length > 0 && (emergency ? reason.trim().length >= 10 : !!purpose);
  return (
    <form onSubmit={(e) => void submit(e).catch(() => undefined)} noValidate aria-label={t('consent.share.title')} data-testid="share-form">
      <Stack>
        <Text size="sm">{t('consent.share.intro')}</Text>
        <SegmentedControl
          value={kind}
          onChange={(v) => setKind(v as Kind)}
          aria-label={t('consent.share.recipientKind')}
          data={(['organization', 'individual', 'family-member'] as const).map((k) => ({ value: k, label: t(`consent.recipient.${k}`) }))}
        />
        {kind === 'family-member' ? (
          <Select
            label={t('consent.form.familyMember')}
            placeholder={(family.data?.items.length ?? 0) === 0 ? t('consent.form.noFamily') : undefined}
            data={(family.data?.items ?? []).map((m) => ({ value: m.id, label: m.displayName }))}
            value={familyMemberId}
            onChange={setFamilyMemberId}
            required
            error={err('recipient.familyMemberId')}
          />
        ) : (
          <TextInput
            label={kind === 'organization' ? t('consent.form.organizationName') : t('consent.form.individualName')}
            required
            maxLength={160}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={err('recipient.name') ?? err('recipient')}
          />
        )}
        <Select
          label={t('consent.share.purpose')}
          data={PURPOSES.map((p) => ({ value: p, label: words.purpose(p) }))}
          value={purpose}
          onChange={(v) => setPurpose(v as PurposeT | null)}
          required={!emergency}
          error={err('purpose')}
        />
        <Checkbox.Group
          label={t('consent.form.dataClasses')}
          value={dataClasses}
          onChange={(v) => setDataClasses(classes.map((d) => d.key).filter((d) => v.includes(d)))}
          required
          error={err('dataClasses')}
        >
          <Stack gap={4} mt={4}>
            {classes.map((d) => (
              <Checkbox key={d.key} value={d.key} label={d.en} />
            ))}
          </Stack>
        </Checkbox.Group>
        <Radio.Group label={t('consent.share.channel')} value={channel} onChange={(v) => setChannel(v as 'print' | 'export')}>
          <Group mt={4}>
            <Radio value="print" label={t('consent.channels.print')} />
            <Radio value="export" label={t('consent.channels.export')} />
          </Group>
        </Radio.Group>

        {refused && !emergency ? (
          <Alert color="yellow" variant="light" role="alert" icon={<span aria-hidden="true">!</span>} title={t('consent.share.refusedTitle')} data-testid="share-refused">
            <Stack gap="xs">
              <Text size="sm">{refused.detail}</Text>
              <Text size="sm">{t('consent.share.refusedHelp')}</Text>
              <Group>
                <Button size="xs" color="red" variant="light" onClick={() => setEmergency(true)}>
                  {t('consent.share.emergency')}
                </Button>
              </Group>
            </Stack>
          </Alert>
        ) : (
          <ErrorAlert error={refused ? null : disclose.error} />
        )}
        {emergency ? (
          <Stack gap="xs" data-testid="share-emergency">
            <Alert color="red" variant="light" icon={<span aria-hidden="true">!</span>} title={t('consent.share.emergencyTitle')}>
              {t('consent.share.emergencyHelp')}
            </Alert>
            <Textarea
              label={t('consent.share.reason')}
              description={t('consent.share.reasonHint')}
              required
              autosize
              minRows={2}
              maxLength={500}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={err('reason')}
            />
          </Stack>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          {emergency ? (
            <Button variant="default" onClick={() => setEmergency(false)}>
              {t('consent.share.notEmergency')}
            </Button>
          ) : null}
          <Button type="submit" color={emergency ? 'red' : undefined} loading={disclose.isPending} disabled={!ready}>
            {emergency ? t('consent.share.submitEmergency') : t('consent.share.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
