// Handing a consent that waits for a signature to the clinic's locked tablet (issue 16, ADR
// 027): a single-use link and its QR code (10 minutes) that the tablet opens; the patient reads
// the notice and the consent there and signs. Staff can close the tablet form; the consent
// turns active when it is signed (the drawer refreshes as the session's status changes).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useSession } from '../../session.tsx';
import { QrCode } from '../../components/QrCode.tsx';
import { ErrorAlert } from '../../components/forms.tsx';
import { cancelConsentTablet, consentTabletStatus, startConsentTablet, type ConsentTabletStartedT } from '../tablet/api.ts';

export function ConsentTabletHandoff({ patientId, consentId }: { patientId: string; consentId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { program } = useSession();
  const [started, setStarted] = useState<ConsentTabletStartedT | null>(null);
  const [error, setError] = useState<unknown>(null);
  // while a link is out, follow the session: once the tablet signed, refresh the consent
  useEffect(() => {
    if (!started) return;
    const timer = setInterval(() => {
      void consentTabletStatus(patientId, consentId).then((s) => {
        if (s.session && s.session.status !== 'open') {
          setStarted(null);
          void qc.invalidateQueries({ queryKey: ['consent', program?.id, patientId] });
        }
      });
    }, 3000);
    return () => clearInterval(timer);
  }, [started, patientId, consentId, qc, program?.id]);

  const start = async () => {
    setError(null);
    try {
      setStarted(await startConsentTablet(patientId, consentId));
    } catch (err) {
      setError(err);
    }
  };
  const close = async () => {
    setError(null);
    try {
      await cancelConsentTablet(patientId, consentId);
      setStarted(null);
    } catch (err) {
      setError(err);
    }
  };
  const link = started ? `${window.location.origin}${started.handoffPath}` : '';
  return (
    <Stack gap="xs">
      <ErrorAlert error={error} />
      {started ? (
        <Card withBorder data-testid="consent-tablet-card">
          <Stack gap="sm">
            <Title order={3} size="h5">
              {t('consent.tablet.title')}
            </Title>
            <Text size="sm">{t('consent.tablet.how')}</Text>
            <Group align="flex-start">
              <QrCode value={link} label={t('consent.tablet.qr')} />
              <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }} data-testid="consent-tablet-link">
                {link}
              </Text>
            </Group>
            <Group>
              <Button variant="default" onClick={() => void close()}>
                {t('consent.tablet.close')}
              </Button>
            </Group>
          </Stack>
        </Card>
      ) : (
        <Group>
          <Button variant="default" onClick={() => void start()} data-testid="consent-tablet-start">
            {t('consent.tablet.start')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
