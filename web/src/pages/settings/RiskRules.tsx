// The programme's check-in risk rules (core/checkins): each rule on or off, its
// threshold and its severity. The server validates (a bad value is a problem naming the
// field, shown on that field); "I am not safe right now" is always urgent and always on.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Card, Checkbox, Fieldset, Group, NumberInput, Select, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { RULE_LIMITS, SEVERITIES } from '../../../../core/checkins/rules.ts';
import type { RiskRuleSettingsT } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { useRiskRules, useSaveRiskRules } from '../../queries/checkIns.ts';

type Rule = keyof RiskRuleSettingsT;

export function RiskRulesSection() {
  const { t } = useTranslation();
  const { program } = useSession();
  const q = useRiskRules(true);
  const save = useSaveRiskRules();
  const [v, setV] = useState<RiskRuleSettingsT | null>(null);
  useEffect(() => {
    if (q.data && !v) setV(q.data);
  }, [q.data, v]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!v) return;
    save.mutate(v, { onSuccess: (saved) => (setV(saved), notifications.show({ color: 'teal', message: t('checkIns.settings.saved') })) });
  };
  const set = <R extends Rule>(rule: R, patch: Partial<RiskRuleSettingsT[R]>) => setV((x) => (x ? { ...x, [rule]: { ...x[rule], ...patch } } : x));
  const err = (f: string) => fieldError(save.error, `body.${f}`);
  const num = (rule: Rule, field: string, label: string, lim: { min: number; max: number }) => (
    <NumberInput
      label={label}
      min={lim.min}
      max={lim.max}
      allowDecimal={false}
      value={(v![rule] as Record<string, unknown>)[field] as number}
      onChange={(x) => set(rule, { [field]: typeof x === 'number' ? x : Number(x) || 0 } as never)}
      error={err(`${rule}.${field}`)}
      w={{ base: '100%', xs: 200 }}
    />
  );
  const severity = (rule: Rule) => (
    <Select
      label={t('checkIns.settings.severity')}
      data={SEVERITIES.map((s) => ({ value: s, label: t(`checkIns.severity.${s}`) }))}
      value={v![rule].severity}
      onChange={(x) => x && set(rule, { severity: x as RiskRuleSettingsT[Rule]['severity'] })}
      allowDeselect={false}
      error={err(`${rule}.severity`)}
      w={{ base: '100%', xs: 200 }}
    />
  );
  const enabled = (rule: Rule) => <Checkbox label={t('checkIns.settings.enabled')} checked={v![rule].enabled} onChange={(e) => set(rule, { enabled: e.currentTarget.checked })} />;

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="risk-rules-heading" data-testid="risk-rules">
      <Stack>
        <Title order={2} size="h4" id="risk-rules-heading">
          {t('checkIns.settings.title')}
        </Title>
        <Text c="dimmed" size="sm">
          {t('checkIns.settings.intro', { program: program?.name ?? '' })}
        </Text>
        <ErrorAlert error={q.error} />
        {v ? (
          <form onSubmit={submit} noValidate>
            <Stack>
              <ErrorAlert error={save.error} />
              <Fieldset legend={t('checkIns.rules.craving-run')}>
                <Stack gap="xs">
                  {enabled('cravingRun')}
                  <Group align="flex-start">
                    {num('cravingRun', 'threshold', t('checkIns.settings.cravingThreshold'), RULE_LIMITS.cravingThreshold)}
                    {num('cravingRun', 'days', t('checkIns.settings.daysRunning'), RULE_LIMITS.cravingDays)}
                    {severity('cravingRun')}
                  </Group>
                </Stack>
              </Fieldset>
              <Fieldset legend={t('checkIns.rules.missed-doses')}>
                <Stack gap="xs">
                  {enabled('missedDoses')}
                  <Group align="flex-start">
                    {num('missedDoses', 'count', t('checkIns.settings.missedCount'), RULE_LIMITS.missedCount)}
                    {num('missedDoses', 'windowDays', t('checkIns.settings.windowDays'), RULE_LIMITS.missedWindowDays)}
                    {severity('missedDoses')}
                  </Group>
                </Stack>
              </Fieldset>
              <Fieldset legend={t('checkIns.rules.use-after-abstinence')}>
                <Stack gap="xs">
                  {enabled('useAfterAbstinence')}
                  <Group align="flex-start">
                    {num('useAfterAbstinence', 'days', t('checkIns.settings.abstinentDays'), RULE_LIMITS.abstinentDays)}
                    {severity('useAfterAbstinence')}
                  </Group>
                </Stack>
              </Fieldset>
              <Text size="sm">{t('checkIns.settings.notSafeAlways')}</Text>
              <Group>
                <Button type="submit" loading={save.isPending}>
                  {t('common.save')}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : null}
      </Stack>
    </Card>
  );
}
