// Locked patient mode on a tablet: only the form — a questionnaire, or a consent to sign
// (tablet/TabletConsent.tsx, issue 16) — big touch targets, no navigation, no console code. The staff member's console shows a link / QR code carrying a single-use
// hand-off code in the address's #fragment (never sent to the server in a request line,
// so never in its logs); this page exchanges it once for the form token, removes it from
// the address, and keeps the token in this tab's session storage only (ADR 027). The
// tablet API returns no name and no id, so a tablet left on a table shows only a
// questionnaire (or the consent's own words). Going back to the console needs the password of the staff member who
// started the form (or a normal staff sign-in).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Center, Group, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { hasAnyAnswer } from '../../../core/instruments/answered.ts';
import { api, isApiError } from '../api.ts';
import { setLanguage } from '../i18n/index.ts';
import { QuestionnaireForm, answerable, enabled, itemsOf, type Answers } from './planning/QuestionnaireForm.tsx';
import { useAction } from '../components/forms.tsx';
import { TabletConsent } from './tablet/TabletConsent.tsx';

export const TABLET_TOKEN_KEY = 'waypoint.tablet';

function readToken(): string | null {
  try {
    const v = JSON.parse(sessionStorage.getItem(TABLET_TOKEN_KEY) ?? 'null') as { token?: unknown } | null;
    return typeof v?.token === 'string' ? v.token : null;
  } catch {
    return null;
  }
}

/** Leaves the tablet for the console or the sign-in page with a full page load: nothing of the form stays in memory. */
function leaveTablet(to: string) {
  sessionStorage.removeItem(TABLET_TOKEN_KEY);
  window.location.replace(to);
}

type Phase = { kind: 'opening' } | { kind: 'refused'; code: string } | { kind: 'form'; token: string } | { kind: 'none' };

export function TabletPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [phase, setPhase] = useState<Phase>(() => {
    if (window.location.hash.length > 1) return { kind: 'opening' };
    const token = readToken();
    return token ? { kind: 'form', token } : { kind: 'none' };
  });
  const [answers, setAnswers] = useState<Answers>({});
  const [target, setTarget] = useState('');
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<false | 'answers' | 'consent'>(false);
  const [unlocking, setUnlocking] = useState(false);
  const token = phase.kind === 'form' ? phase.token : null;

  // Opening the link: exchange the hand-off code once, then drop it from the address and history.
  const exchanged = useRef(false);
  useEffect(() => {
    if (phase.kind !== 'opening' || exchanged.current) return;
    exchanged.current = true;
    const code = decodeURIComponent(window.location.hash.slice(1));
    window.history.replaceState(null, '', window.location.pathname);
    queryClient.clear(); // nothing the console had loaded stays in this page's memory
    api.tabletHandoff(code).then(
      (r) => {
        sessionStorage.setItem(TABLET_TOKEN_KEY, JSON.stringify({ token: r.token }));
        setPhase({ kind: 'form', token: r.token });
      },
      (err: unknown) => setPhase({ kind: 'refused', code: isApiError(err) ? err.code : 'network' }),
    );
  }, [phase.kind, queryClient]);

  const form = useQuery({
    queryKey: ['tablet', token],
    queryFn: () => api.tabletSession(token!),
    enabled: !!token && !done,
    retry: false,
    staleTime: Infinity,
  });

  const consent = form.data?.kind === 'consent' ? form.data : null;
  const instrument = form.data?.kind === 'instrument' ? form.data : null;
  // A consent is read and signed in its own language: the tablet's words follow it.
  useEffect(() => {
    if (consent && i18n.language !== consent.language) setLanguage(consent.language);
  }, [consent, i18n.language]);

  useEffect(() => {
    document.title = t(consent ? 'tablet.consent.title' : 'tablet.title');
    notifications.clean(); // nothing from the staff console stays on the patient's screen
    // No way back into the console with the browser's back button while the patient holds the tablet.
    const trap = () => window.history.pushState(null, '', window.location.href);
    trap();
    window.addEventListener('popstate', trap);
    return () => window.removeEventListener('popstate', trap);
  }, [t, consent]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!token || busy || !hasAnyAnswer(answers)) return;
    void run(async () => {
      await api.tabletSubmit(token, { answers, targetBehavior: instrument?.targetBehavior ? undefined : target.trim() || undefined });
      setDone('answers');
      window.scrollTo(0, 0);
    });
  };

  // Without a form token there is no one to check the password against: staff sign in as usual.
  const staffReturn = token ? (
    <Button variant="subtle" size="sm" onClick={() => setUnlocking(true)} mt={80}>
      {t('tablet.staffReturn')}
    </Button>
  ) : (
    <Button variant="subtle" size="sm" onClick={() => leaveTablet('/sign-in')} mt={80}>
      {t('tablet.staffReturn')}
    </Button>
  );

  if (unlocking && token) return <StaffUnlock token={token} onCancel={() => setUnlocking(false)} />;

  const langSwitch = (
    <Group justify="flex-end">
      <Button variant="subtle" size="md" onClick={() => setLanguage(i18n.language === 'es' ? 'en' : 'es')} lang={i18n.language === 'es' ? 'en' : 'es'}>
        {i18n.language === 'es' ? 'English' : 'Español'}
      </Button>
    </Group>
  );

  // A page reload after sending (the token is kept for "back to the console"): the thank-you screen again.
  if (done || (isApiError(form.error) && form.error.code === 'patient_session_used')) {
    return (
      <main className="tablet" data-testid="tablet-done">
        <Center mih="70vh">
          <Stack align="center" gap="xl" ta="center">
            <Title order={1} fz={40}>
              {t('tablet.thanks')}
            </Title>
            <Text fz={28}>{t(done === 'consent' ? 'tablet.consent.signedBody' : 'tablet.handBack')}</Text>
            {staffReturn}
          </Stack>
        </Center>
      </main>
    );
  }

  if (phase.kind === 'opening') {
    return (
      <main className="tablet">
        <Text fz="lg" mt={80} ta="center">
          {t('tablet.opening')}
        </Text>
      </main>
    );
  }
  const expired = isApiError(form.error) && form.error.status === 401;
  // The form was closed on the staff side after the hand-off (e.g. the consent was withdrawn).
  if (phase.kind === 'form' && form.error && !expired) {
    return (
      <main className="tablet" data-testid="tablet-refused">
        <Stack align="center" gap="lg" ta="center" mt={80}>
          <Title order={1}>{t('tablet.consent.closed')}</Title>
          <Text fz="lg">{t('tablet.consent.closedBody')}</Text>
          {staffReturn}
        </Stack>
      </main>
    );
  }
  if (phase.kind !== 'form' || expired) {
    const refusal = phase.kind === 'refused' ? phase.code : null;
    const [title, body] =
      refusal === 'tablet_link_used'
        ? ['tablet.linkUsed', 'tablet.linkUsedBody']
        : refusal === 'tablet_link_expired'
          ? ['tablet.linkExpired', 'tablet.linkExpiredBody']
          : ['tablet.notReady', 'tablet.notReadyBody'];
    return (
      <main className="tablet" data-testid="tablet-refused">
        {langSwitch}
        <Stack align="center" gap="lg" ta="center" mt={80}>
          <Title order={1}>{t(title)}</Title>
          <Text fz="lg">{t(body)}</Text>
          {staffReturn}
        </Stack>
      </main>
    );
  }

  if (consent && token) {
    return (
      <TabletConsent
        token={token}
        form={consent}
        staffReturn={staffReturn}
        onSigned={() => {
          setDone('consent');
          window.scrollTo(0, 0);
        }}
      />
    );
  }

  const q = instrument?.questionnaire;
  const items = answerable(itemsOf(q));
  const shown = items.filter((i) => enabled(i, itemsOf(q), answers));
  const answered = shown.filter((i) => answers[i.linkId] !== undefined && answers[i.linkId] !== null).length;

  return (
    <main className="tablet" data-testid="tablet">
      {langSwitch}
      {form.isPending ? <Text fz="lg">{t('common.loading')}</Text> : null}
      {instrument ? (
        <form onSubmit={submit} noValidate>
          <Stack gap="xl">
            <Title order={1} fz={32}>
              {instrument.title}
            </Title>
            {instrument.targetBehavior ? <Text fz="lg">{t('tablet.about', { target: instrument.targetBehavior })}</Text> : null}
            <Text fz="md" c="dimmed">
              {t('tablet.intro')}
            </Text>
            <QuestionnaireForm
              questionnaire={q!}
              answers={answers}
              onChange={setAnswers}
              large
              targetBehavior={target}
              onTargetBehavior={instrument.targetBehavior ? undefined : setTarget}
              error={isApiError(error) ? error : null}
            />
            {error ? (
              <Alert color="red" role="alert" fz="lg">
                {t('tablet.error')}
              </Alert>
            ) : null}
            <Text fz="lg" aria-live="polite">
              {t('tablet.progress', { answered, total: shown.length })}
            </Text>
            {answered === 0 ? (
              <Text fz="lg" c="dimmed">
                {t('tablet.needAnswer')}
              </Text>
            ) : null}
            <Button type="submit" size="xl" h={72} fz={26} loading={busy} disabled={!hasAnyAnswer(answers)}>
              {t('tablet.submit')}
            </Button>
            <Group justify="center">{staffReturn}</Group>
          </Stack>
        </form>
      ) : null}
    </main>
  );
}

/** "Staff: back to the console": the password of the staff member who started the form, checked by the server. */
function StaffUnlock({ token, onCancel }: { token: string; onCancel: () => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!password || busy) return;
    void run(async () => {
      await api.tabletReturn(token, password);
      leaveTablet('/');
    });
  };
  const locked = isApiError(error) && error.code === 'account_locked';
  return (
    <main className="tablet" data-testid="tablet-unlock">
      <Center mih="60vh">
        <form onSubmit={submit} noValidate style={{ width: 'min(28rem, 100%)' }}>
          <Stack gap="md">
            <Title order={1} fz={28}>
              {t('tablet.staffPasswordTitle')}
            </Title>
            <Text>{t('tablet.staffPasswordHelp')}</Text>
            <PasswordInput
              label={t('tablet.staffPassword')}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              autoComplete="current-password"
              data-autofocus
              required
              error={error && !locked ? t('tablet.staffWrong') : undefined}
            />
            {locked ? (
              <Alert color="red" role="alert">
                {t('tablet.staffLocked')}
              </Alert>
            ) : null}
            <Group>
              <Button type="submit" loading={busy} disabled={!password}>
                {t('tablet.staffUnlock')}
              </Button>
              <Button variant="default" onClick={onCancel}>
                {t('tablet.staffCancel')}
              </Button>
              {locked ? (
                <Button variant="subtle" onClick={() => leaveTablet('/sign-in')}>
                  {t('tablet.staffSignIn')}
                </Button>
              ) : null}
            </Group>
          </Stack>
        </form>
      </Center>
    </main>
  );
}
