// A patient's daily check-ins on the patient page: open alerts, a trend chart of craving
// and mood, the same numbers as a table, and a form for a check-in the patient gives by
// phone (source 'staff'). After a phone check-in, what the patient must hear at once
// (the crisis line, or naloxone steps) is shown for staff to read out.
import { lazy, Suspense, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Button, Checkbox, Group, List, NumberInput, Radio, SegmentedControl, Select, Stack, Table, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { MEDICATION_ANSWERS, RANGES, SUBSTANCES, type Substance } from '../../../../core/checkins/answers.ts';
import type { CheckInAnswersT, CheckInResultT, CheckInT } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatDate } from '../../format.ts';
import { TableHead } from '../../components/common.tsx';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { Section } from '../../components/Section.tsx';
import { usePatientCheckIns, useRecordCheckIn } from '../../queries/checkIns.ts';
import { SafetyAlerts } from '../planning/Assessments.tsx';

const TrendChart = lazy(() => import('../../components/Charts.tsx').then((m) => ({ default: m.CheckInTrendChart })));

export function CheckInsTab({ patientId }: { patientId: string }) {
  const { can } = useSession();
  return (
    <Stack data-testid="check-ins-tab">
      {can('read:safety-alert') ? <SafetyAlerts patientId={patientId} /> : null}
      {can('write:check-in') ? <PhoneCheckIn patientId={patientId} /> : null}
      <CheckInHistory patientId={patientId} />
    </Stack>
  );
}

function CheckInHistory({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation();
  const [days, setDays] = useState('30');
  const q = usePatientCheckIns(patientId, Number(days));
  const items = useMemo(() => q.data?.items ?? [], [q.data]);
  // one point per day: the day's highest craving and lowest mood (the ones that matter for follow-up)
  const points = useMemo(() => {
    const byDay = new Map<string, { day: string; craving: number | null; mood: number | null }>();
    for (const c of items) {
      const p = byDay.get(c.day) ?? { day: c.day, craving: null, mood: null };
      if (c.answers.craving !== undefined) p.craving = Math.max(p.craving ?? 0, c.answers.craving);
      if (c.answers.mood !== undefined) p.mood = Math.min(p.mood ?? 5, c.answers.mood);
      byDay.set(c.day, p);
    }
    return [...byDay.values()].map((p) => ({ ...p, day: formatDate(p.day, i18n.language) }));
  }, [items, i18n.language]);
  return (
    <Section
      title={t('checkIns.history')}
      permission="read:check-in"
      testId="check-in-history"
      actions={
        <SegmentedControl
          size="xs"
          aria-label={t('checkIns.period')}
          value={days}
          onChange={setDays}
          data={['14', '30', '90'].map((d) => ({ value: d, label: t('checkIns.lastDays', { count: Number(d) }) }))}
        />
      }
    >
      <ErrorAlert error={q.error} />
      {q.data && items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('checkIns.none')}
        </Text>
      ) : null}
      {points.length > 1 ? (
        <Suspense fallback={null}>
          <TrendChart data={points} cravingLabel={t('checkIns.craving')} moodLabel={t('checkIns.moodScaled')} />
        </Suspense>
      ) : null}
      {items.length > 0 ? (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing={4} data-testid="check-in-table">
            <TableHead
              labels={[
                t('checkIns.day'),
                t('checkIns.source'),
                t('checkIns.mood'),
                t('checkIns.craving'),
                t('checkIns.use'),
                t('checkIns.medication'),
                t('checkIns.sleep'),
                t('checkIns.stress'),
                t('checkIns.note'),
                t('checkIns.rulesFired'),
              ]}
            />
            <Table.Tbody>
              {[...items].reverse().map((c) => (
                <CheckInRow key={c.id} c={c} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Section>
  );
}

function CheckInRow({ c }: { c: CheckInT }) {
  const { t, i18n } = useTranslation();
  const a = c.answers;
  const dash = '—';
  const use = a.use === undefined ? dash : a.use.any ? [t('checkIns.useYes'), ...a.use.substances.map((s) => t(`checkIns.substances.${s}`))].join(': ') : t('checkIns.useNo');
  return (
    <Table.Tr>
      <Table.Td>{formatDate(c.day, i18n.language)}</Table.Td>
      <Table.Td>
        {t(`checkIns.sources.${c.source}`)}
        {c.recordedByName ? ` (${c.recordedByName})` : ''}
      </Table.Td>
      <Table.Td>{a.mood ?? dash}</Table.Td>
      <Table.Td>{a.craving ?? dash}</Table.Td>
      <Table.Td>{use}</Table.Td>
      <Table.Td>{a.medication ? t(`checkIns.medicationAnswers.${a.medication}`) : dash}</Table.Td>
      <Table.Td>{a.sleep ?? dash}</Table.Td>
      <Table.Td>{a.stress ?? dash}</Table.Td>
      <Table.Td>{a.note ?? dash}</Table.Td>
      <Table.Td>{[a.notSafe ? t('checkIns.notSafeShort') : null, ...c.fired.filter((f) => f !== 'not-safe').map((f) => t(`checkIns.rules.${f}`))].filter(Boolean).join(', ') || dash}</Table.Td>
    </Table.Tr>
  );
}

type Form = {
  mood: string | null;
  craving: number | '';
  use: 'unasked' | 'no' | 'yes';
  substances: Substance[];
  medication: string;
  sleep: string | null;
  stress: number | '';
  note: string;
  notSafe: boolean;
};
const EMPTY: Form = { mood: null, craving: '', use: 'unasked', substances: [], medication: 'unasked', sleep: null, stress: '', note: '', notSafe: false };

function answersOf(f: Form): CheckInAnswersT {
  const a: CheckInAnswersT = {};
  if (f.mood) a.mood = Number(f.mood);
  if (f.craving !== '') a.craving = f.craving;
  if (f.use === 'no') a.use = { any: false };
  if (f.use === 'yes') a.use = { any: true, substances: f.substances };
  if (f.medication !== 'unasked') a.medication = f.medication as CheckInAnswersT['medication'];
  if (f.sleep) a.sleep = Number(f.sleep);
  if (f.stress !== '') a.stress = f.stress;
  if (f.note.trim()) a.note = f.note.trim();
  if (f.notSafe) a.notSafe = true;
  return a;
}

const scale = (min: number, max: number, label: (n: number) => string) => Array.from({ length: max - min + 1 }, (_, i) => ({ value: String(min + i), label: label(min + i) }));

function PhoneCheckIn({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const [form, setForm] = useState<Form>(EMPTY);
  // one key per check-in being entered: a double submit or a retry is recorded once
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [result, setResult] = useState<CheckInResultT | null>(null);
  const record = useRecordCheckIn(patientId);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const err = (field: string) => fieldError(record.error, `body.answers.${field}`);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setResult(null);
    record.mutate(
      { answers: answersOf(form), idempotencyKey: key },
      {
        onSuccess: (r) => {
          setResult(r);
          setForm(EMPTY);
          setKey(crypto.randomUUID());
          notifications.show({ color: 'teal', message: r.alerts.length > 0 ? t('checkIns.savedWithAlerts', { count: r.alerts.length }) : t('checkIns.saved') });
        },
      },
    );
  };

  return (
    <Section title={t('checkIns.phoneTitle')} permission="write:check-in" testId="phone-check-in">
      <Text size="sm" c="dimmed">
        {t('checkIns.phoneIntro')}
      </Text>
      {result ? <ShowNow result={result} /> : null}
      <form onSubmit={submit} noValidate aria-label={t('checkIns.phoneTitle')}>
        <Stack gap="sm">
          <ErrorAlert error={record.error} />
          <Group grow align="flex-start" wrap="wrap">
            <Select
              label={t('checkIns.mood')}
              description={t('checkIns.moodHint')}
              data={scale(RANGES.mood.min, RANGES.mood.max, (n) => `${n} · ${t(`checkIns.moodScale.${n}`)}`)}
              value={form.mood}
              onChange={(v) => set('mood', v)}
              clearable
              error={err('mood')}
            />
            <NumberInput
              label={t('checkIns.craving')}
              description={t('checkIns.cravingHint')}
              min={RANGES.craving.min}
              max={RANGES.craving.max}
              allowDecimal={false}
              value={form.craving}
              onChange={(v) => set('craving', v === '' ? '' : Number(v))}
              error={err('craving')}
            />
          </Group>
          <Radio.Group label={t('checkIns.useQuestion')} value={form.use} onChange={(v) => set('use', v as Form['use'])} error={err('use')}>
            <Group mt={4}>
              <Radio value="no" label={t('checkIns.useNo')} />
              <Radio value="yes" label={t('checkIns.useYes')} />
              <Radio value="unasked" label={t('checkIns.notAsked')} />
            </Group>
          </Radio.Group>
          {form.use === 'yes' ? (
            <Checkbox.Group label={t('checkIns.whichSubstances')} value={form.substances} onChange={(v) => set('substances', v as Substance[])} error={err('use.substances')}>
              <Group mt={4}>
                {SUBSTANCES.map((s) => (
                  <Checkbox key={s} value={s} label={t(`checkIns.substances.${s}`)} />
                ))}
              </Group>
            </Checkbox.Group>
          ) : null}
          <Radio.Group label={t('checkIns.medicationQuestion')} value={form.medication} onChange={(v) => set('medication', v)} error={err('medication')}>
            <Group mt={4}>
              {MEDICATION_ANSWERS.map((m) => (
                <Radio key={m} value={m} label={t(`checkIns.medicationAnswers.${m}`)} />
              ))}
              <Radio value="unasked" label={t('checkIns.notAsked')} />
            </Group>
          </Radio.Group>
          <Group grow align="flex-start" wrap="wrap">
            <Select
              label={t('checkIns.sleep')}
              description={t('checkIns.sleepHint')}
              data={scale(RANGES.sleep.min, RANGES.sleep.max, (n) => `${n} · ${t(`checkIns.sleepScale.${n}`)}`)}
              value={form.sleep}
              onChange={(v) => set('sleep', v)}
              clearable
              error={err('sleep')}
            />
            <NumberInput
              label={t('checkIns.stress')}
              description={t('checkIns.stressHint')}
              min={RANGES.stress.min}
              max={RANGES.stress.max}
              allowDecimal={false}
              value={form.stress}
              onChange={(v) => set('stress', v === '' ? '' : Number(v))}
              error={err('stress')}
            />
          </Group>
          <Textarea label={t('checkIns.note')} value={form.note} onChange={(e) => set('note', e.currentTarget.value)} maxLength={1000} autosize minRows={2} error={err('note')} />
          <Checkbox label={t('checkIns.notSafe')} description={t('checkIns.notSafeHint')} checked={form.notSafe} onChange={(e) => set('notSafe', e.currentTarget.checked)} />
          <Group>
            <Button type="submit" loading={record.isPending}>
              {t('checkIns.record')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

/** What the patient must hear now, in the words the server wrote (in their language). */
function ShowNow({ result }: { result: CheckInResultT }) {
  const { t } = useTranslation();
  const m = result.messages;
  return (
    <Stack gap="xs" data-testid="check-in-result">
      {m.crisis ? (
        <Alert color="red" variant="filled" role="alert" title={t('checkIns.readCrisis')}>
          <Text size="sm" lang={m.language}>
            <strong>{m.crisis.title}.</strong> {m.crisis.body} {m.crisis.call} {m.crisis.text}
          </Text>
        </Alert>
      ) : null}
      {m.naloxone ? (
        <Alert
          color="orange"
          variant="light"
          role="alert"
          title={t('checkIns.readNaloxone')}
          styles={{ title: { color: 'var(--mantine-color-dark-9)' }, message: { color: 'var(--mantine-color-dark-9)' } }}
        >
          <Text size="sm" fw={600} lang={m.language}>
            {m.naloxone.title}
          </Text>
          <List type="ordered" size="sm" lang={m.language}>
            {m.naloxone.steps.map((s) => (
              <List.Item key={s}>{s}</List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
      {result.alerts.length > 0 ? (
        <Text size="sm" data-testid="check-in-alerts-raised">
          {t('checkIns.alertsRaised', { count: result.alerts.length })}
        </Text>
      ) : null}
    </Stack>
  );
}
