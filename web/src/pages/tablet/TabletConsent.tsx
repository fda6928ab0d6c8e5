// A consent on the locked tablet (issue 16): first the patient notice (§2.22) when this patient
// has not acknowledged it yet — "I have read this" or "Skip for now" — then the consent's words
// as written, in its language, the name typed as the signature, "I agree" and "Sign". The
// server signs the consent and records the notice in one transaction, once. Large type, one
// column; nothing about the patient but the consent itself.
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Button, Checkbox, Divider, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { isApiError } from '../../api.ts';
import { useAction } from '../../components/forms.tsx';
import { tabletSignConsent, type TabletConsentFormT } from './api.ts';

export function TabletConsent({ token, form, onSigned, staffReturn }: { token: string; form: TabletConsentFormT; onSigned: () => void; staffReturn: ReactNode }) {
  const { t } = useTranslation();
  const [step, setStep] = useState<'notice' | 'consent'>(form.notice.acknowledged ? 'consent' : 'notice');
  const [noticeRead, setNoticeRead] = useState(false);
  const [name, setName] = useState('');
  const [agree, setAgree] = useState(false);
  const { busy, error, run } = useAction();
  const lang = form.language;

  const toConsent = (read: boolean) => {
    setNoticeRead(read);
    setStep('consent');
    window.scrollTo(0, 0);
  };

  if (step === 'notice') {
    return (
      <main className="tablet" data-testid="tablet-notice" lang={lang}>
        <Stack gap="lg">
          <Text fz={22}>{t('tablet.consent.noticeIntro')}</Text>
          <Title order={1} fz={34}>
            {form.notice.title}
          </Title>
          {form.notice.paragraphs.map((p, i) => (
            <Text key={i} fz={22} lh={1.5}>
              {p}
            </Text>
          ))}
          <Button size="xl" h={72} fz={26} onClick={() => toConsent(true)}>
            {t('tablet.consent.noticeRead')}
          </Button>
          <Group justify="center">
            <Button variant="subtle" size="lg" onClick={() => toConsent(false)}>
              {t('tablet.consent.noticeSkip')}
            </Button>
          </Group>
          <Group justify="center">{staffReturn}</Group>
        </Stack>
      </main>
    );
  }

  const nameProblem = isApiError(error) ? error.problems.find((p) => p.field === 'body.signerName') : undefined;
  const ready = name.trim().length > 0 && agree;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!ready || busy) return;
    void run(async () => {
      // Sent only when the patient said so on this tablet; an earlier acknowledgement stays as it is.
      await tabletSignConsent(token, { signerName: name.trim(), agree: true, noticeAcknowledged: noticeRead });
      onSigned();
    });
  };

  return (
    <main className="tablet" data-testid="tablet-consent" lang={lang}>
      <form onSubmit={submit} noValidate>
        <Stack gap="lg">
          <Title order={1} fz={34}>
            {form.title}
          </Title>
          <Text fz={22}>{t('tablet.consent.intro')}</Text>
          <Divider />
          {form.text.map((s, i) => (
            <section key={i}>
              {s.heading ? (
                <Title order={2} fz={24} mb={4}>
                  {s.heading}
                </Title>
              ) : null}
              <Text fz={22} lh={1.5}>
                {s.body}
              </Text>
            </section>
          ))}
          <Divider />
          <TextInput
            size="xl"
            label={t('tablet.consent.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            autoComplete="off"
            autoCapitalize="words"
            spellCheck={false}
            maxLength={160}
            required
            error={nameProblem ? t('tablet.consent.needBoth') : undefined}
            data-testid="tablet-consent-name"
            styles={{ label: { fontSize: 24, marginBottom: 8 } }}
          />
          <Checkbox
            size="lg"
            label={t('tablet.consent.agree')}
            checked={agree}
            onChange={(e) => setAgree(e.currentTarget.checked)}
            data-testid="tablet-consent-agree"
            styles={{ label: { fontSize: 22 } }}
          />
          {error && !nameProblem ? (
            <Alert color="red" role="alert" fz="lg">
              {t('tablet.consent.error')}
            </Alert>
          ) : null}
          {!ready ? (
            <Text fz="lg" c="dimmed">
              {t('tablet.consent.needBoth')}
            </Text>
          ) : null}
          <Button type="submit" size="xl" h={72} fz={26} loading={busy} disabled={!ready}>
            {t('tablet.consent.sign')}
          </Button>
          <Group justify="center">{staffReturn}</Group>
        </Stack>
      </form>
    </main>
  );
}
