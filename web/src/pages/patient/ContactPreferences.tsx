// How a patient may be contacted (staff edit it on the patient page for now): consent per
// channel, quiet hours in the patient's time zone, whether they texted STOP, and the local
// time of the daily check-in reminder (the patient can choose it in the app too). Phone,
// email and language are the patient record's own fields (Demographics).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Button, Checkbox, Group, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ContactPreferencesT } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatDateTime } from '../../format.ts';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { Section } from '../../components/Section.tsx';
import { useContactPreferences, useSaveContactPreferences } from '../../queries/messages.ts';

const CHANNELS = ['sms', 'email', 'push'] as const;

export function ContactPreferencesSection({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const q = useContactPreferences(patientId);
  const [editing, setEditing] = useState(false);
  const p = q.data;
  return (
    <Section
      title={t('outbox.contact.title')}
      permission="read:patient"
      testId="contact-preferences"
      actions={
        can('update:patient') && p && !editing ? (
          <Button size="xs" variant="light" onClick={() => setEditing(true)}>
            {t('outbox.contact.edit')}
          </Button>
        ) : null
      }
    >
      <ErrorAlert error={q.error} />
      {p && editing ? <ContactForm prefs={p} patientId={patientId} onDone={() => setEditing(false)} /> : null}
      {p && !editing ? (
        <dl className="facts">
          {CHANNELS.map((c) => (
            <div key={c} style={{ display: 'contents' }}>
              <dt>{t(`outbox.channels.${c}`)}</dt>
              <dd>
                {p.consent[c] ? t('outbox.contact.consented') : t('outbox.contact.notConsented')}
                {!p.hasAddress[c] ? ` · ${t(`outbox.contact.noAddress.${c}`)}` : ''}
              </dd>
            </div>
          ))}
          <dt>{t('outbox.contact.optedOut')}</dt>
          <dd>{p.smsOptedOutAt ? t('outbox.contact.optedOutAt', { at: formatDateTime(p.smsOptedOutAt, i18n.language, program?.timeZone) }) : t('outbox.contact.notOptedOut')}</dd>
          <dt>{t('outbox.contact.quietHours')}</dt>
          <dd>{p.quietHours ? t('outbox.contact.quietRange', { start: p.quietHours.start, end: p.quietHours.end }) : t('outbox.contact.noQuietHours')}</dd>
          <dt>{t('outbox.contact.timeZone')}</dt>
          <dd>{p.timeZone ?? t('outbox.contact.programmeZone', { zone: p.effectiveTimeZone })}</dd>
          <dt>{t('reminders.checkIn')}</dt>
          <dd data-testid="check-in-reminder">{p.checkInReminderAt ? t('reminders.at', { time: p.checkInReminderAt }) : t('reminders.none')}</dd>
        </dl>
      ) : null}
    </Section>
  );
}

function ContactForm({ prefs, patientId, onDone }: { prefs: ContactPreferencesT; patientId: string; onDone(): void }) {
  const { t } = useTranslation();
  const save = useSaveContactPreferences(patientId);
  const [consent, setConsent] = useState(prefs.consent);
  const [quiet, setQuiet] = useState(prefs.quietHours !== null);
  const [start, setStart] = useState(prefs.quietHours?.start ?? '21:00');
  const [end, setEnd] = useState(prefs.quietHours?.end ?? '08:00');
  const [zone, setZone] = useState(prefs.timeZone ?? '');
  const [reminder, setReminder] = useState(prefs.checkInReminderAt ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      { version: prefs.version, consent, quietHours: quiet ? { start, end } : null, timeZone: zone.trim() === '' ? null : zone.trim(), checkInReminderAt: reminder === '' ? null : reminder },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('outbox.contact.saved') });
          onDone();
        },
      },
    );
  };
  const stale = fieldError(save.error, 'body.version');
  // a field's problem is shown beside the field, not a second time above the form
  const onAField = ['body.timeZone', 'body.quietHours.start', 'body.quietHours.end', 'body.checkInReminderAt'].some((f) => fieldError(save.error, f));
  return (
    <form onSubmit={submit} noValidate aria-label={t('outbox.contact.form')}>
      <Stack gap="sm">
        {stale ? (
          <Alert color="yellow" variant="light" role="alert">
            {stale}
          </Alert>
        ) : (
          <ErrorAlert error={onAField ? null : save.error} />
        )}
        <Checkbox.Group
          label={t('outbox.contact.consentLegend')}
          value={CHANNELS.filter((c) => consent[c])}
          onChange={(v) => setConsent({ sms: v.includes('sms'), email: v.includes('email'), push: v.includes('push') })}
        >
          <Stack gap={6} mt={4}>
            {CHANNELS.map((c) => (
              <Checkbox key={c} value={c} label={t(`outbox.contact.consentTo.${c}`)} />
            ))}
          </Stack>
        </Checkbox.Group>
        <Checkbox label={t('outbox.contact.useQuietHours')} checked={quiet} onChange={(e) => setQuiet(e.currentTarget.checked)} />
        {quiet ? (
          <Group>
            <TextInput type="time" label={t('outbox.contact.quietStart')} value={start} onChange={(e) => setStart(e.currentTarget.value)} error={fieldError(save.error, 'body.quietHours.start')} />
            <TextInput type="time" label={t('outbox.contact.quietEnd')} value={end} onChange={(e) => setEnd(e.currentTarget.value)} error={fieldError(save.error, 'body.quietHours.end')} />
          </Group>
        ) : null}
        <TextInput
          label={t('outbox.contact.timeZone')}
          description={t('outbox.contact.timeZoneHelp', { zone: prefs.effectiveTimeZone })}
          value={zone}
          onChange={(e) => setZone(e.currentTarget.value)}
          error={fieldError(save.error, 'body.timeZone')}
        />
        <TextInput
          type="time"
          label={t('reminders.checkIn')}
          description={t('reminders.help')}
          value={reminder}
          onChange={(e) => setReminder(e.currentTarget.value)}
          error={fieldError(save.error, 'body.checkInReminderAt')}
          data-testid="check-in-reminder-input"
        />
        <Text size="xs" c="dimmed">
          {t('outbox.contact.optOutNote')}
        </Text>
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
