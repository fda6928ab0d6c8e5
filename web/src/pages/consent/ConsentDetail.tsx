// One consent, in a drawer: its status, the full text as the patient reads it (in the consent's
// language), the signature and the paper scan, and what staff may do with it: revoke it (at
// once), record that its event or condition was met, or replace it with a new version.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Button, Drawer, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useSession } from '../../session.tsx';
import { formatDateTime } from '../../format.ts';
import { ErrorAlert, fieldError, useErrorText } from '../../components/forms.tsx';
import { fetchScan, openBlob, useConsent, useEndConsent, useRevokeConsent, type ConsentT } from './queries.ts';
import { ConsentStatus, useConsentWords } from './words.tsx';
import { ConsentTabletHandoff } from './TabletHandoff.tsx';

export function ConsentDrawer({ patientId, consentId, onClose, onReplace }: { patientId: string; consentId: string | null; onClose: () => void; onReplace: (c: ConsentT) => void }) {
  const { t } = useTranslation();
  const consent = useConsent(patientId, consentId);
  return (
    <Drawer opened={!!consentId} onClose={onClose} position="right" size="xl" title={consent.data?.title ?? t('consent.detail.title')}>
      <ErrorAlert error={consent.error} />
      {consent.isPending && consentId ? <Text c="dimmed">{t('common.loading')}</Text> : null}
      {consent.data ? <Detail key={consent.data.id} c={consent.data} patientId={patientId} onReplace={onReplace} /> : null}
    </Drawer>
  );
}

type Acting = null | 'revoke' | 'end';

function Detail({ c, patientId, onReplace }: { c: ConsentT; patientId: string; onReplace: (c: ConsentT) => void }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const words = useConsentWords();
  const errorText = useErrorText();
  const revoke = useRevokeConsent(patientId);
  const end = useEndConsent(patientId);
  const [acting, setActing] = useState<Acting>(null);
  const [note, setNote] = useState('');
  const when = (iso: string) => formatDateTime(iso, i18n.language, program?.timeZone);
  const open = c.status === 'active' || c.status === 'awaiting-signature';
  const canWrite = can('write:consent');
  const endable = c.status === 'active' && (c.expiry.kind === 'condition' || c.expiry.kind === 'end-of-treatment');

  const showScan = async () => {
    try {
      openBlob(await fetchScan(patientId, c.id));
    } catch (err) {
      notifications.show({ color: 'red', title: t('errors.title'), message: errorText(err) });
    }
  };
  const confirm = async () => {
    if (acting === 'revoke') {
      await revoke.mutateAsync({ id: c.id, ...(note.trim() ? { note: note.trim() } : {}) });
      notifications.show({ color: 'teal', message: t('consent.detail.revoked') });
    } else if (acting === 'end') {
      await end.mutateAsync({ id: c.id, note: note.trim() });
      notifications.show({ color: 'teal', message: t('consent.detail.ended') });
    }
    setActing(null);
    setNote('');
  };
  const actionError = acting === 'revoke' ? revoke.error : acting === 'end' ? end.error : null;

  const facts: Array<[string, string]> = [
    [t('consent.detail.recipient'), words.recipient(c.recipient)],
    [t('consent.detail.what'), words.dataClasses(c.dataClasses)],
    [t('consent.detail.purposes'), c.purposes.map(words.purpose).join('; ')],
    [t('consent.detail.ends'), words.expiry(c)],
    [t('consent.detail.language'), t(`languages.${c.language}`)],
    [t('consent.detail.template'), t('consent.detail.templateVersion', { key: c.template, version: c.templateVersion })],
    [t('consent.detail.written'), when(c.createdAt)],
    [
      t('consent.detail.signature'),
      c.signedAt
        ? t('consent.detail.signedBy', { name: c.signerName ?? '', method: t(`consent.signatureMethods.${c.signatureMethod ?? 'paper'}`), date: when(c.signedAt) })
        : t('consent.detail.notSigned'),
    ],
  ];
  if (c.expiresAt) facts.push([t('consent.detail.expiresAt'), when(c.expiresAt)]);
  if (c.revokedAt) facts.push([t('consent.detail.revokedAt'), c.revocationNote ? `${when(c.revokedAt)} — ${c.revocationNote}` : when(c.revokedAt)]);
  if (c.endedAt) facts.push([t('consent.detail.endedAt'), when(c.endedAt)]);
  if (c.supersededAt) facts.push([t('consent.detail.supersededAt'), when(c.supersededAt)]);

  return (
    <Stack data-testid="consent-detail">
      <Group gap="xs">
        <ConsentStatus status={c.status} />
        {c.status === 'awaiting-signature' ? <Text size="sm">{t('consent.detail.awaitingHelp')}</Text> : null}
      </Group>
      {c.status === 'awaiting-signature' && canWrite ? <ConsentTabletHandoff patientId={patientId} consentId={c.id} /> : null}
      <dl className="facts">
        {facts.map(([k, v]) => (
          <div key={k} style={{ display: 'contents' }}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {c.hasScan ? (
        <Group>
          <Button variant="default" size="xs" onClick={() => void showScan()} data-testid="consent-scan">
            {t('consent.detail.openScan')}
          </Button>
        </Group>
      ) : null}
      <Paper withBorder p="md" component="article" lang={c.language} aria-label={t('consent.detail.textLabel')} data-testid="consent-text">
        <Stack gap="xs">
          {c.text.map((s, i) => (
            <div key={i}>
              {s.heading ? (
                <Title order={3} size="h6">
                  {s.heading}
                </Title>
              ) : null}
              <Text size="sm">{s.body}</Text>
            </div>
          ))}
        </Stack>
      </Paper>
      {canWrite && open && !acting ? (
        <Group>
          <Button color="red" variant="light" onClick={() => setActing('revoke')}>
            {t('consent.detail.revoke')}
          </Button>
          {endable ? (
            <Button variant="default" onClick={() => setActing('end')}>
              {t('consent.detail.end')}
            </Button>
          ) : null}
          <Button variant="default" onClick={() => onReplace(c)}>
            {t('consent.detail.replace')}
          </Button>
        </Group>
      ) : null}
      {acting ? (
        <Paper withBorder p="md" data-testid={`consent-${acting}`}>
          <Stack gap="sm">
            <Alert color={acting === 'revoke' ? 'red' : 'yellow'} variant="light" icon={<span aria-hidden="true">!</span>} title={t(`consent.detail.${acting}Title`)}>
              {t(`consent.detail.${acting}Help`)}
            </Alert>
            <Textarea
              label={acting === 'revoke' ? t('consent.detail.revokeNote') : t('consent.detail.endNote')}
              description={acting === 'revoke' ? t('consent.detail.revokeNoteHint') : t('consent.detail.endNoteHint')}
              required={acting === 'end'}
              maxLength={500}
              autosize
              minRows={2}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              error={fieldError(actionError, 'note')}
            />
            <ErrorAlert error={actionError} />
            <Group>
              <Button
                color={acting === 'revoke' ? 'red' : undefined}
                loading={revoke.isPending || end.isPending}
                disabled={acting === 'end' && !note.trim()}
                onClick={() => void confirm().catch(() => undefined)}
              >
                {acting === 'revoke' ? t('consent.detail.revokeConfirm') : t('consent.detail.endConfirm')}
              </Button>
              <Button variant="default" onClick={() => setActing(null)}>
                {t('common.cancel')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      ) : null}
    </Stack>
  );
}
