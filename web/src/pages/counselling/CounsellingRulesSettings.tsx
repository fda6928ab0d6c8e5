// The programme's counselling-frequency rules, for Settings (ADR 043): phases of treatment by
// days since admission, each with how often a counselling visit is due, and how many days
// ahead a visit shows as due. The server validates (core/counselling/compliance.ts); a bad
// value is shown on its field. The rules inform and never block medication.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Card, Group, NumberInput, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { DEFAULT_COUNSELLING_RULES, MAX_PHASES } from '../../../../core/counselling/compliance.ts';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { useCounsellingRules, useSaveCounsellingRules, type CounsellingRulesT } from '../../queries/counselling.ts';
import { InformsOnly } from './Today.tsx';

export function CounsellingRulesSettings() {
  const { t } = useTranslation();
  const q = useCounsellingRules();
  const save = useSaveCounsellingRules();
  const [v, setV] = useState<CounsellingRulesT | null>(null);
  useEffect(() => {
    if (q.data && !v) setV({ phases: q.data.phases, dueSoonDays: q.data.dueSoonDays });
  }, [q.data, v]);
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!v) return null;
  const err = (f: string) => fieldError(save.error, `body.${f}`);
  const num = (x: string | number) => (typeof x === 'number' ? x : Number.parseInt(x, 10) || 0);
  const setPhase = (i: number, patch: Partial<CounsellingRulesT['phases'][number]>) => setV({ ...v, phases: v.phases.map((p, j) => (j === i ? { ...p, ...patch } : p)) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(v, {
      onSuccess: (saved) => {
        setV({ phases: saved.phases, dueSoonDays: saved.dueSoonDays });
        notifications.show({ color: 'teal', message: t('counselling.rules.saved') });
      },
    });
  };
  return (
    <Card withBorder data-testid="counselling-rules">
      <form onSubmit={submit}>
        <Stack>
          <Title order={2} size="h4">
            {t('counselling.rules.title')}
          </Title>
          <Text size="sm">{q.data?.isDefault ? t('counselling.rules.usingDefault') : t('counselling.rules.custom')}</Text>
          <InformsOnly />
          {err('phases') ? <Text c="red">{err('phases')}</Text> : null}
          {v.phases.map((p, i) => (
            <Group key={i} align="flex-end">
              <NumberInput
                label={t('counselling.rules.fromDay')}
                description={i === 0 ? t('counselling.rules.fromAdmission') : undefined}
                value={p.fromDay}
                min={0}
                onChange={(x) => setPhase(i, { fromDay: num(x) })}
                error={err(`phases.${i}.fromDay`)}
                disabled={i === 0}
              />
              <NumberInput label={t('counselling.rules.everyDays')} value={p.everyDays} min={1} onChange={(x) => setPhase(i, { everyDays: num(x) })} error={err(`phases.${i}.everyDays`)} />
              {i > 0 ? (
                <Button variant="subtle" color="red" onClick={() => setV({ ...v, phases: v.phases.filter((_, j) => j !== i) })}>
                  {t('counselling.rules.removePhase')}
                </Button>
              ) : null}
            </Group>
          ))}
          <Group>
            <Button
              variant="default"
              disabled={v.phases.length >= MAX_PHASES}
              onClick={() => {
                const last = v.phases.at(-1)!;
                setV({ ...v, phases: [...v.phases, { fromDay: last.fromDay + 90, everyDays: last.everyDays }] });
              }}
            >
              {t('counselling.rules.addPhase')}
            </Button>
            <Button variant="subtle" onClick={() => setV(structuredClone(DEFAULT_COUNSELLING_RULES))}>
              {t('counselling.rules.useDefault')}
            </Button>
          </Group>
          <NumberInput label={t('counselling.rules.dueSoonDays')} value={v.dueSoonDays} min={0} onChange={(x) => setV({ ...v, dueSoonDays: num(x) })} error={err('dueSoonDays')} />
          {save.error && !(save.error as { problems?: unknown[] }).problems?.length ? <ErrorAlert error={save.error} /> : null}
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('counselling.rules.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
