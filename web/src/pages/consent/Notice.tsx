// The patient notice (42 CFR §2.22) on the patient page: whether this patient acknowledged its
// current version (and when, how, in which language), a clear warning when not, and "Give the
// notice": the notice in English or Spanish to read with the patient, recorded with how it was
// given (on paper, read aloud, on the tablet).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Button, Group, Modal, Radio, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useSession } from '../../session.tsx';
import { formatInstantDate } from '../../format.ts';
import { StatusBadge } from '../../components/common.tsx';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { useNotice, useRecordNotice, type NoticeRecordT } from './queries.ts';

type Lang = 'en' | 'es';
const METHODS = ['paper', 'read-aloud', 'tablet'] as const;

export function NoticePart({ patientId, patientLanguage }: { patientId: string; patientLanguage: Lang }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const notice = useNotice(patientId);
  const [giving, setGiving] = useState(false);
  const n = notice.data;
  return (
    <Stack gap="xs" data-testid="consent-notice">
      <Group justify="space-between">
        <Title order={3} size="h5">
          {t('consent.notice.title')}
        </Title>
        {can('write:consent') && n ? (
          <Button size="xs" variant={n.acknowledged ? 'default' : 'filled'} onClick={() => setGiving(true)}>
            {t('consent.notice.give')}
          </Button>
        ) : null}
      </Group>
      <ErrorAlert error={notice.error} />
      {n?.acknowledged ? (
        <Text size="sm" data-testid="consent-notice-status">
          <StatusBadge tone="ok">{t('consent.notice.acknowledged')}</StatusBadge>{' '}
          {t('consent.notice.acknowledgedDetail', {
            version: n.version,
            date: formatInstantDate(n.acknowledged.at, i18n.language, program?.timeZone),
            method: t(`consent.notice.methods.${n.acknowledged.method}`, { defaultValue: n.acknowledged.method }),
            language: t(`languages.${n.acknowledged.language}`),
          })}
        </Text>
      ) : n ? (
        <Alert color="yellow" variant="light" icon={<span aria-hidden="true">!</span>} title={t('consent.notice.missingTitle')} data-testid="consent-notice-missing">
          {t('consent.notice.missing', { version: n.version })}
        </Alert>
      ) : null}
      {n ? <NoticeModal opened={giving} onClose={() => setGiving(false)} patientId={patientId} text={n.text} initialLanguage={patientLanguage} /> : null}
    </Stack>
  );
}

function NoticeModal({
  opened,
  onClose,
  patientId,
  text,
  initialLanguage,
}: {
  opened: boolean;
  onClose: () => void;
  patientId: string;
  text: { en: { title: string; paragraphs: string[] }; es: { title: string; paragraphs: string[] } };
  initialLanguage: Lang;
}) {
  const { t } = useTranslation();
  const record = useRecordNotice(patientId);
  const [lang, setLang] = useState<Lang>(initialLanguage);
  const [method, setMethod] = useState<NoticeRecordT['method'] | null>(null);
  const shown = text[lang];

  const submit = async () => {
    if (!method) return;
    await record.mutateAsync({ language: lang, method });
    notifications.show({ color: 'teal', message: t('consent.notice.recorded') });
    onClose();
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('consent.notice.modalTitle')} size="lg">
      <Stack>
        <SegmentedControl
          value={lang}
          onChange={(v) => setLang(v as Lang)}
          aria-label={t('consent.notice.language')}
          data={(['en', 'es'] as const).map((l) => ({ value: l, label: t(`languages.${l}`) }))}
        />
        <article lang={lang} className="consent-text" data-testid="consent-notice-text">
          <Title order={3} size="h4">
            {shown.title}
          </Title>
          {shown.paragraphs.map((p, i) => (
            <Text key={i} mt="xs">
              {p}
            </Text>
          ))}
        </article>
        <Radio.Group label={t('consent.notice.how')} value={method} onChange={(v) => setMethod(v as NoticeRecordT['method'])} required error={fieldError(record.error, 'method')}>
          <Group mt={4}>
            {METHODS.map((m) => (
              <Radio key={m} value={m} label={t(`consent.notice.methods.${m}`)} />
            ))}
          </Group>
        </Radio.Group>
        <ErrorAlert error={record.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => void submit().catch(() => undefined)} loading={record.isPending} disabled={!method}>
            {t('consent.notice.record')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
