// Signing in, step by step: email and password → the second factor (or enrolment when
// the organisation requires it) → a new password when the current one is temporary.
// Which step to show comes from the server (/me), so a reload resumes where the user was.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { Alert, Anchor, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { api } from '../api.ts';
import { authStep, useMe } from '../session.tsx';
import { ChangePasswordForm, MfaEnrolment } from '../components/AuthForms.tsx';
import { ErrorAlert, fieldError } from '../components/forms.tsx';
import { setLanguage } from '../i18n/index.ts';

type LocationState = { message?: string; detail?: string; from?: string } | null;

export function SignInPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const state = location.state as LocationState;
  const step = authStep(me.data, me.isPending, me.error);
  const [enrolling, setEnrolling] = useState(false);

  useEffect(() => {
    document.title = `${t('auth.title')} · ${t('app.name')}`;
  }, [t]);

  useEffect(() => {
    if (step === 'active' && !enrolling) {
      const from = state?.from && state.from !== '/sign-in' ? state.from : '/';
      navigate(from, { replace: true });
    }
  }, [step, enrolling, navigate, state?.from]);

  const refresh = async () => {
    await me.refetch();
  };

  const startOver = async () => {
    await api.signOut().catch(() => undefined);
    await refresh();
  };

  const notice = (() => {
    switch (state?.message) {
      case 'idle':
        return t('auth.idleSignedOut');
      case 'ended':
        return state.detail || t('auth.sessionEnded');
      case 'signedOut':
        return t('auth.signedOut');
      case 'signedOutEverywhere':
        return t('auth.signedOutEverywhere');
      default:
        return null;
    }
  })();

  const heading = step === 'mfa' ? t('auth.mfaTitle') : step === 'enrol' || enrolling ? t('auth.enrolTitle') : step === 'password' ? t('auth.passwordTitle') : t('auth.title');

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={enrolling || step === 'enrol' ? 620 : 440}>
        <Stack>
          <Group justify="space-between" align="baseline">
            <Text fw={700} fz="xl">
              {t('app.name')}
            </Text>
            <Anchor component="button" type="button" size="sm" lang={i18n.language === 'es' ? 'en' : 'es'} onClick={() => setLanguage(i18n.language === 'es' ? 'en' : 'es')}>
              {i18n.language === 'es' ? 'English' : 'Español'}
            </Anchor>
          </Group>
          <Title order={1} size="h2">
            {heading}
          </Title>
          {notice && step === 'signed-out' ? (
            <Alert color="blue" variant="light" role="status" icon={<span aria-hidden="true">i</span>}>
              {notice}
            </Alert>
          ) : null}
          {step === 'loading' ? <Text c="dimmed">{t('common.loading')}</Text> : null}
          {step === 'signed-out' ? <CredentialsStep onDone={refresh} /> : null}
          {step === 'mfa' ? <MfaStep onDone={refresh} /> : null}
          {step === 'enrol' || (enrolling && step === 'active') ? (
            <>
              <Text>{t('auth.enrolRequired')}</Text>
              <EnrolStep
                onStart={() => setEnrolling(true)}
                onDone={async () => {
                  await refresh();
                  setEnrolling(false);
                }}
              />
            </>
          ) : null}
          {step === 'password' && !enrolling ? <ChangePasswordForm forced onDone={refresh} /> : null}
          {step === 'mfa' || step === 'enrol' || step === 'password' ? (
            <Anchor component="button" type="button" size="sm" onClick={() => void startOver()}>
              {t('auth.startOver')}
            </Anchor>
          ) : null}
        </Stack>
      </Paper>
    </Center>
  );
}

function EnrolStep({ onStart, onDone }: { onStart: () => void; onDone: () => Promise<void> }) {
  // Keep this step on screen after confirmation (the session becomes active) until the
  // recovery codes have been acknowledged.
  useEffect(() => {
    onStart();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return <MfaEnrolment onDone={() => void onDone()} />;
}

function CredentialsStep({ onDone }: { onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.signIn({ email: email.trim(), password });
      await onDone();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <ErrorAlert error={error} />
        <TextInput label={t('auth.email')} type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.currentTarget.value)} required autoFocus error={fieldError(error, 'email')} />
        <PasswordInput
          label={t('auth.password')}
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          required
          error={fieldError(error, 'password')}
        />
        <Button type="submit" loading={busy} fullWidth>
          {t('auth.signIn')}
        </Button>
        <Text size="sm" c="dimmed">
          {t('auth.forgotPassword')}
        </Text>
      </Stack>
    </form>
  );
}

function MfaStep({ onDone }: { onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const [useRecovery, setUseRecovery] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.verifyMfa(useRecovery ? { recoveryCode: value.trim() } : { code: value.trim() });
      await onDone();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const field = useRecovery ? 'recoveryCode' : 'code';
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text>{useRecovery ? t('auth.recoveryIntro') : t('auth.mfaIntro')}</Text>
        <ErrorAlert error={error && !fieldError(error, field) ? error : null} />
        <TextInput
          key={field}
          label={useRecovery ? t('auth.recoveryCode') : t('mfa.code')}
          description={useRecovery ? undefined : t('mfa.codeHint')}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          inputMode={useRecovery ? 'text' : 'numeric'}
          autoComplete="one-time-code"
          required
          autoFocus
          error={fieldError(error, field) ? (error as { detail?: string }).detail || fieldError(error, field) : undefined}
        />
        <Button type="submit" loading={busy} fullWidth>
          {t('auth.verify')}
        </Button>
        <Anchor
          component="button"
          type="button"
          size="sm"
          onClick={() => {
            setUseRecovery(!useRecovery);
            setValue('');
            setError(null);
          }}
        >
          {useRecovery ? t('auth.useAppCode') : t('auth.useRecoveryCode')}
        </Anchor>
      </Stack>
    </form>
  );
}
