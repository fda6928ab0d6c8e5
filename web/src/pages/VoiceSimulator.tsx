// The phone line in the console (ADR 038): the clinic number a caller is put through to, and
// a voice simulator — a call "from" a number goes to the real voice webhook, signed the way
// the provider signs it; what the caller would hear is shown as text, and the keypad sends
// each key (or no key) to the next step's webhook. Nothing here plays audio.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Card, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import type { VoiceSimulationResultT } from '../api.ts';
import { useSession } from '../session.tsx';
import { ErrorAlert, fieldError } from '../components/forms.tsx';
import { usePhoneLine, useSavePhoneLine, useSimulateVoice } from '../queries/voice.ts';

type Turn = { kind: 'line'; said: string[]; dial: string | null; ended: boolean } | { kind: 'keys'; digits: string };
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'] as const;

function PhoneLineSettings() {
  const { t } = useTranslation();
  const { can } = useSession();
  const q = usePhoneLine();
  const save = useSavePhoneLine();
  const [number, setNumber] = useState('');
  useEffect(() => setNumber(q.data?.clinicNumber ?? ''), [q.data?.clinicNumber]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(number.trim() === '' ? null : number);
  };
  return (
    <Card withBorder component="section" aria-labelledby="phone-line-heading">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h4" id="phone-line-heading">
            {t('voice.line.heading')}
          </Title>
          <Text size="sm">{t('voice.line.intro')}</Text>
          <ErrorAlert error={q.error ?? (save.error && !fieldError(save.error, 'body.clinicNumber') ? save.error : null)} />
          <Group align="flex-end">
            <TextInput
              label={t('voice.line.number')}
              description={t('voice.line.numberHelp')}
              value={number}
              onChange={(e) => setNumber(e.currentTarget.value)}
              error={fieldError(save.error, 'body.clinicNumber')}
              disabled={!can('manage:messages')}
              data-testid="clinic-number"
            />
            {can('manage:messages') ? (
              <Button type="submit" loading={save.isPending}>
                {t('voice.line.save')}
              </Button>
            ) : null}
          </Group>
          {save.isSuccess ? (
            <Text size="sm" role="status">
              {save.data.clinicNumber ? t('voice.line.saved', { number: save.data.clinicNumber }) : t('voice.line.savedNone')}
            </Text>
          ) : null}
        </Stack>
      </form>
    </Card>
  );
}

export function VoiceSimulator() {
  const { t } = useTranslation();
  const [from, setFrom] = useState('');
  const [call, setCall] = useState<{ callSid: string; nextSeq: number | null } | null>(null);
  const [turns, setTurns] = useState<Turn[]>([]);
  const simulate = useSimulateVoice();

  const heard = (r: VoiceSimulationResultT) => {
    setTurns((ts) => [...ts, { kind: 'line', said: r.said, dial: r.dial, ended: r.nextSeq === null }]);
    setCall({ callSid: r.callSid, nextSeq: r.nextSeq });
  };
  const dial = (e: FormEvent) => {
    e.preventDefault();
    setTurns([]);
    setCall(null);
    simulate.mutate({ from }, { onSuccess: heard });
  };
  const press = (digits: string) => {
    if (!call || call.nextSeq === null) return;
    setTurns((ts) => [...ts, { kind: 'keys', digits }]);
    simulate.mutate({ callSid: call.callSid, seq: call.nextSeq, digits }, { onSuccess: heard });
  };
  const waiting = !!call && call.nextSeq !== null;

  return (
    <>
      <PhoneLineSettings />
      <Card withBorder component="section" aria-labelledby="voice-sim-heading">
        <Stack gap="sm">
          <Title order={2} size="h4" id="voice-sim-heading">
            {t('voice.sim.heading')}
          </Title>
          <Text size="sm">{t('voice.sim.intro')}</Text>
          <form onSubmit={dial} noValidate>
            <Group align="flex-end">
              <TextInput
                label={t('voice.sim.from')}
                description={t('voice.sim.fromHelp')}
                value={from}
                onChange={(e) => setFrom(e.currentTarget.value)}
                error={fieldError(simulate.error, 'body.from')}
                required
                data-testid="voice-from"
              />
              <Button type="submit" loading={simulate.isPending && !call}>
                {t('voice.sim.call')}
              </Button>
            </Group>
          </form>
          <ErrorAlert error={simulate.error && !fieldError(simulate.error, 'body.from') ? simulate.error : null} />
          <div role="group" aria-labelledby="voice-keypad-label">
            <Text size="sm" fw={600} id="voice-keypad-label">
              {t('voice.sim.keypad')}
            </Text>
            <SimpleGrid cols={5} spacing="xs" maw={360} mt={4}>
              {KEYS.map((k) => (
                <Button
                  key={k}
                  variant="default"
                  size="md"
                  disabled={!waiting || simulate.isPending}
                  onClick={() => press(k)}
                  aria-label={t('voice.sim.press', { key: k })}
                  data-testid={`voice-key-${k}`}
                >
                  {k}
                </Button>
              ))}
            </SimpleGrid>
            <Group mt="xs">
              <Button variant="default" disabled={!waiting || simulate.isPending} onClick={() => press('')} data-testid="voice-no-key">
                {t('voice.sim.noKey')}
              </Button>
              <Button
                variant="default"
                disabled={!waiting}
                onClick={() => {
                  setCall(null);
                  setTurns((ts) => [...ts, { kind: 'line', said: [t('voice.sim.hungUp')], dial: null, ended: true }]);
                }}
              >
                {t('voice.sim.hangUp')}
              </Button>
            </Group>
          </div>
          <Title order={3} size="h5">
            {t('voice.sim.transcript')}
          </Title>
          {turns.length === 0 ? <Text c="dimmed">{t('voice.sim.noCall')}</Text> : null}
          <ol className="sim-turns" aria-live="polite" data-testid="voice-turns">
            {turns.map((turn, i) =>
              turn.kind === 'keys' ? (
                <li key={i}>
                  <Text size="sm">
                    <strong>{t('voice.sim.caller')}</strong> {turn.digits === '' ? t('voice.sim.noKeyPressed') : t('voice.sim.pressed', { key: turn.digits })}
                  </Text>
                </li>
              ) : (
                <li key={i}>
                  <Text size="sm">
                    <strong>{t('voice.sim.line')}</strong> {turn.said.join(' ')}
                  </Text>
                  {turn.dial ? <Text size="sm">{t('voice.sim.dialling', { number: turn.dial })}</Text> : null}
                  {turn.ended && !turn.dial ? <Text size="sm">{t('voice.sim.ended')}</Text> : null}
                </li>
              ),
            )}
          </ol>
        </Stack>
      </Card>
    </>
  );
}
