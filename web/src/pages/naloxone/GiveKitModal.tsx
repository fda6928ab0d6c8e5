// Give a naloxone kit (issue 15): the lot (the one that expires first is chosen), whom to
// (a patient — fixed when opened from the patient page — a family member or a community
// member, with an optional first name and nothing else identifying), and the training
// checklist of the five steps (core/naloxone/steps.ts). From the patient page, a family member
// linked to the patient can be picked (issue 16): the kit and training then show in their app.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Checkbox, Group, Modal, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { trainingSteps, TRAINING_STEPS, type TrainingStep } from '../../../../core/naloxone/steps.ts';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { formatDate } from '../../format.ts';
import { useSession } from '../../session.tsx';
import { useFamily } from '../consent/queries.ts';
import { useGiveKit, useStock, type KitCreateT, type RecipientKind } from './queries.ts';

export function GiveKitModal({ opened, onClose, patientId }: { opened: boolean; onClose: () => void; patientId?: string }) {
  const { t, i18n } = useTranslation();
  const stock = useStock();
  const give = useGiveKit();
  const [kind, setKind] = useState<RecipientKind>(patientId ? 'patient' : 'family');
  const [lotId, setLotId] = useState<string | null>(null);
  const [firstName, setFirstName] = useState('');
  const [familyMemberId, setFamilyMemberId] = useState<string | null>(null);
  const { can } = useSession();
  // the patient's linked family members (a kit for one of them shows in their app)
  const family = useFamily(patientId ?? '', opened && !!patientId && can('read:family'));
  const members = family.data?.items ?? [];
  const [steps, setSteps] = useState<TrainingStep[]>([]);
  const usable = (stock.data?.lots ?? []).filter((l) => !l.expired && l.onHand > 0);
  const chosen = lotId ?? stock.data?.suggestedLotId ?? null;
  const lang = i18n.language.startsWith('es') ? 'es' : 'en';

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!chosen) return;
    const recipient: KitCreateT['recipient'] =
      kind === 'patient' && patientId
        ? { kind: 'patient', patientId }
        : kind === 'community'
          ? { kind: 'community', ...(firstName ? { firstName } : {}) }
          : { kind: 'family', ...(firstName ? { firstName } : {}), ...(patientId ? { forPatientId: patientId } : {}), ...(familyMemberId ? { familyMemberId } : {}) };
    await give.mutateAsync({ lotId: chosen, recipient, trainingSteps: steps, idempotencyKey: crypto.randomUUID() });
    notifications.show({ message: t('naloxone.give.done') });
    setSteps([]);
    setFirstName('');
    setFamilyMemberId(null);
    onClose();
  }

  return (
    <Modal opened={opened} onClose={onClose} title={t('naloxone.give.title')}>
      <form onSubmit={(e) => void submit(e).catch(() => undefined)} data-testid="give-kit">
        <Stack>
          <SegmentedControl
            value={kind}
            onChange={(v) => setKind(v as RecipientKind)}
            data={[...(patientId ? (['patient'] as const) : []), 'family' as const, 'community' as const].map((k) => ({ value: k, label: t(`naloxone.kind.${k}`) }))}
          />
          {kind === 'family' && members.length > 0 ? (
            <Select
              label={t('familyEducation.giveKit.member')}
              description={t('familyEducation.giveKit.memberHint')}
              placeholder={t('familyEducation.giveKit.notListed')}
              value={familyMemberId}
              onChange={setFamilyMemberId}
              data={members.map((m) => ({ value: m.id, label: m.displayName }))}
              error={fieldError(give.error, 'recipient.familyMemberId')}
              clearable
              data-testid="give-kit-family-member"
            />
          ) : null}
          {kind !== 'patient' ? (
            <TextInput label={t('naloxone.give.firstName')} description={t('naloxone.give.firstNameHint')} maxLength={40} value={firstName} onChange={(e) => setFirstName(e.currentTarget.value)} />
          ) : null}
          <Select
            label={t('naloxone.give.lot')}
            value={chosen}
            onChange={setLotId}
            data={usable.map((l) => ({ value: l.id, label: t('naloxone.give.lotOption', { lot: l.lotNumber, expires: formatDate(l.expiresOn, i18n.language), onHand: l.onHand }) }))}
            error={fieldError(give.error, 'lotId')}
            allowDeselect={false}
          />
          {usable.length === 0 ? <Text c="red">{t('naloxone.give.noStock')}</Text> : null}
          <Checkbox.Group label={t('naloxone.give.training')} value={steps} onChange={(v) => setSteps(TRAINING_STEPS.filter((s) => v.includes(s)))}>
            <Stack gap={4} mt={4}>
              {trainingSteps(lang).map((s, i) => (
                <Checkbox key={s.key} value={s.key} label={`${i + 1}. ${s.title}`} description={s.body} />
              ))}
            </Stack>
          </Checkbox.Group>
          <ErrorAlert error={give.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('naloxone.cancel')}
            </Button>
            <Button type="submit" loading={give.isPending} disabled={!chosen}>
              {t('naloxone.give.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
