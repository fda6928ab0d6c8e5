// Assign a skills module to a patient (issue 13), from the patient page or from a care plan's
// intervention: the modules suggested for the patient's stage (and the intervention) first,
// then every module by topic; an optional due date. A module already assigned is not offered.
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Group, Modal, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useSession } from '../../session.tsx';
import { todayIn } from '../../format.ts';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { useAssignModule, useModuleLibrary, usePatientSkills } from '../../queries/skills.ts';
import { say, useLang } from './shared.ts';

export type AssignFrom = { carePlanId: string; interventionId: string; interventionCode: string | null };

export function AssignModal({ patientId, from, onClose }: { patientId: string; from?: AssignFrom; onClose: () => void }) {
  const { t } = useTranslation();
  const { program } = useSession();
  const lang = useLang();
  const skills = usePatientSkills(patientId, from?.interventionCode ?? null);
  const library = useModuleLibrary();
  const assign = useAssignModule(patientId);
  const [moduleKey, setModuleKey] = useState<string | null>(null);
  const [dueOn, setDueOn] = useState('');
  const [missing, setMissing] = useState(false);
  const today = todayIn(program?.timeZone);

  const data = useMemo(() => {
    const taken = new Set((skills.data?.modules ?? []).filter((m) => m.assignment).map((m) => m.key));
    const offered = (library.data?.items ?? []).filter((m) => m.status === 'published' && !taken.has(m.key));
    const byKey = new Map(offered.map((m) => [m.key, m]));
    const item = (m: (typeof offered)[number]) => ({ value: m.key, label: say(m.title, lang) });
    const suggested = (skills.data?.suggestions ?? []).map((k) => byKey.get(k)).filter((m) => m !== undefined);
    const rest = offered.filter((m) => !suggested.includes(m));
    const what = [from?.interventionCode ? t(`interventions.${from.interventionCode}`, { defaultValue: from.interventionCode }) : null, skills.data?.stage ? t(`stages.${skills.data.stage}`) : null]
      .filter(Boolean)
      .join(' · ');
    const topics = [...new Set(rest.map((m) => m.topic))].sort((a, b) => t(`skills.topics.${a}`).localeCompare(t(`skills.topics.${b}`)));
    return [
      ...(suggested.length ? [{ group: t('skills.assign.suggestedFor', { what }), items: suggested.map(item) }] : []),
      ...topics.map((topic) => ({ group: t(`skills.topics.${topic}`), items: rest.filter((m) => m.topic === topic).map(item) })),
    ];
  }, [skills.data, library.data, lang, from?.interventionCode, t]);

  const chosen = library.data?.items.find((m) => m.key === moduleKey) ?? null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!moduleKey) {
      setMissing(true);
      return;
    }
    assign.mutate(
      { moduleKey, ...(dueOn ? { dueOn } : {}), ...(from ? { carePlanId: from.carePlanId, interventionId: from.interventionId } : {}) },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('skills.assign.done', { title: chosen ? say(chosen.title, lang) : moduleKey }) });
          onClose();
        },
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={from ? t('skills.assign.fromPlanTitle') : t('skills.assign.title')} size="lg">
      <form onSubmit={submit} noValidate data-testid="assign-module">
        <Stack>
          <ErrorAlert error={assign.error ?? skills.error ?? library.error} />
          {from?.interventionCode ? (
            <Text size="sm">{t('skills.assign.forIntervention', { intervention: t(`interventions.${from.interventionCode}`, { defaultValue: from.interventionCode }) })}</Text>
          ) : null}
          {skills.data && !skills.data.stage ? (
            <Text size="sm" c="dimmed">
              {t('skills.assign.noStage')}
            </Text>
          ) : null}
          <NativeSelect
            label={t('skills.assign.module')}
            data={[{ value: '', label: t('skills.assign.pick') }, ...data]}
            value={moduleKey ?? ''}
            onChange={(e) => {
              setModuleKey(e.currentTarget.value || null);
              setMissing(false);
            }}
            required
            error={missing ? t('skills.assign.pickFirst') : fieldError(assign.error, 'moduleKey')}
            data-autofocus
          />
          {chosen ? (
            <Text size="sm" data-testid="assign-goal">
              {say(chosen.goal, lang)}{' '}
              <Text span c="dimmed" size="sm">
                {t('skills.assign.about', { minutes: chosen.minutes, screens: chosen.screens })}
              </Text>
            </Text>
          ) : null}
          <TextInput
            type="date"
            label={t('skills.assign.dueOn')}
            description={t('skills.assign.dueOnHint')}
            min={today}
            value={dueOn}
            onChange={(e) => setDueOn(e.currentTarget.value)}
            error={fieldError(assign.error, 'dueOn')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={assign.isPending}>
              {t('skills.assign.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
