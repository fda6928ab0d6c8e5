// The patient's safety plan on the patient page (ADR 037): the same six parts the patient
// edits in the app, read and changed here with them (read:/write:care-plan). Each save is a
// new version; the history says who saved each (the patient or a staff member), when, and
// which parts changed, and shows each version's words. If the patient saved in between, the
// server refuses the save (409) and this form puts the counsellor's changes on top of the
// newer plan (core mergeSafetyPlan) to check and save again.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Accordion, Alert, Badge, Button, Group, List, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  CONTACT_SECTIONS,
  mergeSafetyPlan,
  professionalsWithCrisisLine,
  SAFETY_PLAN_LIMITS,
  SAFETY_PLAN_SECTIONS,
  tidySafetyPlan,
  type SafetyPlanContent,
  type SafetyPlanSection,
} from '../../../../core/help/safety-plan.ts';
import { api, isApiError } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatDateTime } from '../../format.ts';
import { Section } from '../../components/Section.tsx';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { useSafetyPlan, useSafetyPlanVersions, useSaveSafetyPlan } from '../../queries/help.ts';

const isContacts = (s: SafetyPlanSection): s is (typeof CONTACT_SECTIONS)[number] => (CONTACT_SECTIONS as readonly string[]).includes(s);

export function SafetyPlanTab({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const q = useSafetyPlan(patientId);
  const save = useSaveSafetyPlan(patientId);
  const [showHistory, setShowHistory] = useState(false);
  const versions = useSafetyPlanVersions(patientId, showHistory);
  const [draft, setDraft] = useState<{ base: SafetyPlanContent; version: number; plan: SafetyPlanContent } | null>(null);
  const [merged, setMerged] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    const plan = tidySafetyPlan(draft.plan);
    setMerged(false);
    save.mutate(
      { version: draft.version, plan },
      {
        onSuccess: () => {
          setDraft(null);
          notifications.show({ color: 'teal', message: t('safetyPlan.saved') });
        },
        onError: (err) => {
          if (isApiError(err) && err.status === 409) {
            void api.safetyPlan(patientId).then((latest) => {
              setDraft({ base: latest.plan, version: latest.version, plan: mergeSafetyPlan(draft.base, plan, latest.plan) });
              setMerged(true);
              save.reset();
              void q.refetch();
            });
          }
        },
      },
    );
  };

  const data = q.data;
  return (
    <Stack>
      <Section
        title={t('safetyPlan.title')}
        permission="read:care-plan"
        testId="safety-plan"
        actions={
          data && !draft && can('write:care-plan') ? (
            <Button size="xs" onClick={() => setDraft({ base: data.plan, version: data.version, plan: data.plan })} data-testid="safety-plan-edit">
              {data.version === 0 ? t('safetyPlan.start') : t('safetyPlan.edit')}
            </Button>
          ) : null
        }
      >
        <Text size="sm" c="dimmed">
          {t('safetyPlan.intro')}
        </Text>
        <ErrorAlert error={q.error} />
        {merged ? (
          <Alert color="yellow" variant="light" role="alert" title={t('safetyPlan.staleTitle')} data-testid="safety-plan-stale">
            {t('safetyPlan.stale')}
          </Alert>
        ) : null}
        {data && !draft ? (
          <>
            {data.version === 0 ? <Text>{t('safetyPlan.empty')}</Text> : <PlanView plan={data.plan} />}
            {data.savedAt && data.savedBy ? (
              <Text size="sm" c="dimmed">
                {t('safetyPlan.lastSaved', {
                  version: data.version,
                  who: data.savedBy.kind === 'patient' ? t('safetyPlan.byPatient') : (data.savedBy.name ?? t('safetyPlan.byStaff')),
                  when: formatDateTime(data.savedAt, i18n.language, program?.timeZone),
                })}
              </Text>
            ) : null}
          </>
        ) : null}
        {draft ? (
          <form onSubmit={submit} noValidate data-testid="safety-plan-form">
            <Stack>
              <ErrorAlert error={save.error} />
              {SAFETY_PLAN_SECTIONS.map((s) => (
                <Stack key={s} gap={6} component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
                  <Title order={3} size="h5" component="legend">
                    {t(`safetyPlan.sections.${s}`)}
                  </Title>
                  {s === 'professionals' ? (
                    <Text size="xs" c="dimmed">
                      {t('safetyPlan.always988')}
                    </Text>
                  ) : null}
                  {fieldError(save.error, `body.plan.${s}`) ? (
                    <Text c="red" size="sm">
                      {fieldError(save.error, `body.plan.${s}`)}
                    </Text>
                  ) : null}
                  {isContacts(s)
                    ? draft.plan[s].map((c, i) => {
                        const set = (patch: Partial<typeof c>) => setDraft({ ...draft, plan: { ...draft.plan, [s]: draft.plan[s].map((x, j) => (j === i ? { ...x, ...patch } : x)) } });
                        return (
                          <Group key={i} align="flex-end" wrap="wrap">
                            <TextInput
                              label={`${t('safetyPlan.name')} ${i + 1}`}
                              value={c.name}
                              onChange={(e) => set({ name: e.currentTarget.value })}
                              error={fieldError(save.error, `body.plan.${s}.${i}.name`)}
                              maxLength={SAFETY_PLAN_LIMITS.name}
                            />
                            <TextInput
                              label={`${t('safetyPlan.phone')} ${i + 1}`}
                              value={c.phone}
                              onChange={(e) => set({ phone: e.currentTarget.value })}
                              error={fieldError(save.error, `body.plan.${s}.${i}.phone`)}
                              type="tel"
                            />
                            <Button variant="subtle" color="red" onClick={() => setDraft({ ...draft, plan: { ...draft.plan, [s]: draft.plan[s].filter((_, j) => j !== i) } })}>
                              {t('safetyPlan.remove')}
                            </Button>
                          </Group>
                        );
                      })
                    : draft.plan[s].map((text, i) => (
                        <Group key={i} align="flex-end" wrap="nowrap">
                          <TextInput
                            style={{ flex: 1 }}
                            label={`${t(`safetyPlan.sections.${s}`)} — ${t('safetyPlan.line', { n: i + 1 })}`}
                            value={text}
                            onChange={(e) => setDraft({ ...draft, plan: { ...draft.plan, [s]: draft.plan[s].map((x, j) => (j === i ? e.currentTarget.value : x)) } })}
                            error={fieldError(save.error, `body.plan.${s}.${i}`)}
                            maxLength={SAFETY_PLAN_LIMITS.text}
                            data-testid={`plan-${s}-${i}`}
                          />
                          <Button variant="subtle" color="red" onClick={() => setDraft({ ...draft, plan: { ...draft.plan, [s]: draft.plan[s].filter((_, j) => j !== i) } })}>
                            {t('safetyPlan.remove')}
                          </Button>
                        </Group>
                      ))}
                  <Group>
                    <Button
                      size="xs"
                      variant="light"
                      disabled={draft.plan[s].length >= SAFETY_PLAN_LIMITS.items}
                      onClick={() => setDraft({ ...draft, plan: { ...draft.plan, [s]: isContacts(s) ? [...draft.plan[s], { name: '', phone: '' }] : [...(draft.plan[s] as string[]), ''] } })}
                      data-testid={`add-${s}`}
                    >
                      {t('safetyPlan.add')} — {t(`safetyPlan.sections.${s}`)}
                    </Button>
                  </Group>
                </Stack>
              ))}
              <Group>
                <Button type="submit" loading={save.isPending} data-testid="safety-plan-save">
                  {t('common.save')}
                </Button>
                <Button variant="default" onClick={() => (setDraft(null), setMerged(false), save.reset())}>
                  {t('common.cancel')}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : null}
      </Section>
      <Section title={t('safetyPlan.history')} permission="read:care-plan" testId="safety-plan-history">
        {!showHistory ? (
          <Group>
            <Button size="xs" variant="light" onClick={() => setShowHistory(true)} data-testid="safety-plan-show-history">
              {t('safetyPlan.showHistory')}
            </Button>
          </Group>
        ) : (
          <>
            <ErrorAlert error={versions.error} />
            {versions.data && versions.data.items.length === 0 ? <Text>{t('safetyPlan.noVersions')}</Text> : null}
            <Accordion multiple>
              {versions.data?.items.map((v) => (
                <Accordion.Item key={v.version} value={String(v.version)}>
                  <Accordion.Control>
                    <Group gap="xs">
                      <Text fw={600}>{t('safetyPlan.version', { version: v.version })}</Text>
                      <Badge variant="light" color={v.savedBy.kind === 'patient' ? 'grape' : 'teal'}>
                        {v.savedBy.kind === 'patient' ? t('safetyPlan.byPatient') : (v.savedBy.name ?? t('safetyPlan.byStaff'))}
                      </Badge>
                      <Text size="sm">{formatDateTime(v.savedAt, i18n.language, program?.timeZone)}</Text>
                      <Text size="sm" c="dimmed">
                        {v.changedSections.length > 0 ? t('safetyPlan.changed', { parts: v.changedSections.map((s) => t(`safetyPlan.sections.${s}`)).join('; ') }) : t('safetyPlan.unchanged')}
                      </Text>
                    </Group>
                  </Accordion.Control>
                  <Accordion.Panel>
                    <PlanView plan={v.plan} />
                  </Accordion.Panel>
                </Accordion.Item>
              ))}
            </Accordion>
          </>
        )}
      </Section>
    </Stack>
  );
}

function PlanView({ plan }: { plan: SafetyPlanContent }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      {SAFETY_PLAN_SECTIONS.map((s) => {
        const items = s === 'professionals' ? professionalsWithCrisisLine(plan.professionals) : plan[s];
        return (
          <div key={s}>
            <Text fw={600}>{t(`safetyPlan.sections.${s}`)}</Text>
            {items.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('safetyPlan.none')}
              </Text>
            ) : (
              <List size="sm">
                {items.map((x, i) => (
                  <List.Item key={i}>{typeof x === 'string' ? x : `${x.name} — ${x.phone}`}</List.Item>
                ))}
              </List>
            )}
          </div>
        );
      })}
    </Stack>
  );
}
