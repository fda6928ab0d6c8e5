// Forms shared by the sign-in flow and the account menu: two-step sign-in enrolment
// and changing one's password.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Anchor, Button, Checkbox, Code, Group, List, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { api } from '../api.ts';
import { ErrorAlert, OneTimeSecret, fieldError } from './forms.tsx';

/** Set up an authenticator app: show the key and link, confirm a code, then the recovery codes once. */
export function MfaEnrolment({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const started = useRef(false);
  const [setup, setSetup] = useState<{ secret: string; uri: string } | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [stored, setStored] = useState(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    api.beginMfaSetup().then(setSetup, setError);
  }, []);

  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await api.confirmMfaSetup(code.trim());
      setCodes(res.recoveryCodes);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (codes) {
    return (
      <Stack>
        <Text>{t('mfa.enabled')}</Text>
        <OneTimeSecret label={t('mfa.recoveryCodes')} values={codes} warning={t('mfa.recoveryCodesWarning')} />
        <Checkbox label={t('mfa.storedCodes')} checked={stored} onChange={(e) => setStored(e.currentTarget.checked)} />
        <Group>
          <Button onClick={onDone} disabled={!stored}>
            {t('common.continue')}
          </Button>
        </Group>
      </Stack>
    );
  }

  return (
    <Stack>
      <Text>{t('mfa.setupIntro')}</Text>
      <ErrorAlert error={error && !fieldError(error, 'code') ? error : null} />
      {setup ? (
        <>
          <List type="ordered" spacing="xs">
            <List.Item>{t('mfa.step1')}</List.Item>
            <List.Item>
              {t('mfa.step2')}
              <Text size="sm" fw={600} mt={4} id="mfa-secret-label">
                {t('mfa.secretKey')}
              </Text>
              <Code block fz="md" aria-labelledby="mfa-secret-label" data-testid="mfa-secret">
                {setup.secret.replace(/(.{4})/g, '$1 ').trim()}
              </Code>
              <Text size="sm" fw={600} mt="xs" id="mfa-uri-label">
                {t('mfa.setupLink')}
              </Text>
              <Code block aria-labelledby="mfa-uri-label" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
                {setup.uri}
              </Code>
              <Anchor href={setup.uri} size="sm">
                {t('mfa.openInApp')}
              </Anchor>
            </List.Item>
            <List.Item>{t('mfa.step3')}</List.Item>
          </List>
          <form onSubmit={confirm} noValidate>
            <Stack>
              <TextInput
                label={t('mfa.code')}
                description={t('mfa.codeHint')}
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                required
                error={fieldError(error, 'code')}
                w={{ base: '100%', xs: 220 }}
              />
              <Group>
                <Button type="submit" loading={busy}>
                  {t('mfa.confirm')}
                </Button>
              </Group>
            </Stack>
          </form>
        </>
      ) : error ? null : (
        <Text c="dimmed">{t('common.loading')}</Text>
      )}
    </Stack>
  );
}

/** Change one's own password (also the forced change after a temporary password). */
export function ChangePasswordForm({ onDone, forced = false }: { onDone: () => void; forced?: boolean }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [mismatch, setMismatch] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (next !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setBusy(true);
    try {
      await api.changePassword({ currentPassword: current, newPassword: next });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const inline = fieldError(error, 'currentPassword') || fieldError(error, 'newPassword');
  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={420}>
        <Text>{forced ? t('password.forcedIntro') : t('password.intro')}</Text>
        <ErrorAlert error={error && !inline ? error : null} />
        <PasswordInput
          label={forced ? t('password.temporary') : t('password.current')}
          value={current}
          onChange={(e) => setCurrent(e.currentTarget.value)}
          autoComplete="current-password"
          required
          error={fieldError(error, 'currentPassword')}
          data-autofocus
        />
        <PasswordInput
          label={t('password.new')}
          description={t('password.rules')}
          value={next}
          onChange={(e) => setNext(e.currentTarget.value)}
          autoComplete="new-password"
          required
          error={fieldError(error, 'newPassword') ? (weakPasswordDetail(error) ?? fieldError(error, 'newPassword')) : undefined}
        />
        <PasswordInput
          label={t('password.repeat')}
          value={repeat}
          onChange={(e) => setRepeat(e.currentTarget.value)}
          autoComplete="new-password"
          required
          error={mismatch ? t('password.mismatch') : undefined}
        />
        <Group>
          <Button type="submit" loading={busy}>
            {t('password.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** For a weak password the server's detail explains the rule better than the short field message. */
function weakPasswordDetail(error: unknown): string | undefined {
  const e = error as { detail?: string; code?: string } | null;
  return e && e.code === 'weak_password' && e.detail ? e.detail : undefined;
}
