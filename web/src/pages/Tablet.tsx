// Locked patient mode on a tablet: only the questions, big touch targets, no navigation.
// It uses the single-use tablet token (kept in this tab's session storage, never in the
// address) and nothing else: the tablet API returns no name and no id, so a tablet left on
// a table shows only a questionnaire. After submitting: "thank you, please hand the tablet back".
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Center, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { api, isApiError } from '../api.ts';
import { setLanguage } from '../i18n/index.ts';
import { QuestionnaireForm, answerable, enabled, itemsOf, type Answers } from './planning/QuestionnaireForm.tsx';
import { useAction } from '../components/common.tsx';

export const TABLET_TOKEN_KEY = 'waypoint.tablet';

type Stored = { token: string; patientId: string; sessionId: string };
function readStored(): Stored | null {
  try {
    return JSON.parse(sessionStorage.getItem(TABLET_TOKEN_KEY) ?? 'null') as Stored | null;
  } catch {
    return null;
  }
}

export function TabletPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [stored] = useState(readStored);
  const [answers, setAnswers] = useState<Answers>({});
  const [target, setTarget] = useState('');
  const { busy, error, run } = useAction();
  const [done, setDone] = useState(false);
  const form = useQuery({
    queryKey: ['tablet', stored?.sessionId],
    queryFn: () => api.tabletSession(stored!.token),
    enabled: !!stored && !done,
    retry: false,
    staleTime: Infinity,
  });

  useEffect(() => {
    document.title = t('tablet.title');
    notifications.clean(); // nothing from the staff console stays on the patient's screen
    // No way back into the console with the browser's back button while the patient holds the tablet.
    const trap = () => window.history.pushState(null, '', window.location.href);
    trap();
    window.addEventListener('popstate', trap);
    return () => window.removeEventListener('popstate', trap);
  }, [t]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!stored || busy) return;
    void run(async () => {
      await api.tabletSubmit(stored.token, { answers, targetBehavior: form.data?.targetBehavior ? undefined : target.trim() || undefined });
      sessionStorage.removeItem(TABLET_TOKEN_KEY);
      setDone(true);
      window.scrollTo(0, 0);
    });
  };

  const backToConsole = () => {
    sessionStorage.removeItem(TABLET_TOKEN_KEY);
    navigate(stored ? `/patients/${stored.patientId}?tab=assess` : '/', { replace: true });
  };

  const langSwitch = (
    <Group justify="flex-end">
      <Button variant="subtle" size="md" onClick={() => setLanguage(i18n.language === 'es' ? 'en' : 'es')} lang={i18n.language === 'es' ? 'en' : 'es'}>
        {i18n.language === 'es' ? 'English' : 'Español'}
      </Button>
    </Group>
  );

  if (done) {
    return (
      <main className="tablet" data-testid="tablet-done">
        <Center mih="70vh">
          <Stack align="center" gap="xl" ta="center">
            <Title order={1} fz={40}>{t('tablet.thanks')}</Title>
            <Text fz={28}>{t('tablet.handBack')}</Text>
            <Button variant="subtle" size="sm" onClick={backToConsole} mt={80}>{t('tablet.staffReturn')}</Button>
          </Stack>
        </Center>
      </main>
    );
  }

  const expired = isApiError(form.error) && form.error.status === 401;
  if (!stored || expired) {
    return (
      <main className="tablet">
        <Stack align="center" gap="lg" ta="center" mt={80}>
          <Title order={1}>{t('tablet.notReady')}</Title>
          <Text fz="lg">{t('tablet.notReadyBody')}</Text>
          <Button variant="subtle" onClick={backToConsole}>{t('tablet.staffReturn')}</Button>
        </Stack>
      </main>
    );
  }

  const q = form.data?.questionnaire;
  const items = answerable(itemsOf(q));
  const shown = items.filter((i) => enabled(i, itemsOf(q), answers));
  const answered = shown.filter((i) => answers[i.linkId] !== undefined && answers[i.linkId] !== null).length;

  return (
    <main className="tablet" data-testid="tablet">
      {langSwitch}
      {form.isPending ? <Text fz="lg">{t('common.loading')}</Text> : null}
      {form.data ? (
        <form onSubmit={submit} noValidate>
          <Stack gap="xl">
            <Title order={1} fz={32}>{form.data.title}</Title>
            {form.data.targetBehavior ? <Text fz="lg">{t('tablet.about', { target: form.data.targetBehavior })}</Text> : null}
            <Text fz="md" c="dimmed">{t('tablet.intro')}</Text>
            <QuestionnaireForm questionnaire={q!} answers={answers} onChange={setAnswers} large
              targetBehavior={target} onTargetBehavior={form.data.targetBehavior ? undefined : setTarget}
              error={isApiError(error) ? error : null} />
            {error ? <Alert color="red" role="alert" fz="lg">{t('tablet.error')}</Alert> : null}
            <Text fz="lg" aria-live="polite">{t('tablet.progress', { answered, total: shown.length })}</Text>
            <Button type="submit" size="xl" h={72} fz={26} loading={busy}>{t('tablet.submit')}</Button>
          </Stack>
        </form>
      ) : null}
    </main>
  );
}
