// The programme's Help now settings (ADR 037), for its administrators: the crisis and
// after-hours lines (a label in English and in Spanish, an E.164 number), the clinic's main
// number, and the places to get naloxone in the order the patient app shows them. The
// patient app shows these on the unlock screen too, so they hold no patient data. The server
// validates (core/help/settings.ts); a bad value is shown on its field.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Card, Fieldset, Group, Stack, Text, TextInput, Textarea, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { HELP_LIMITS } from '../../../../core/help/settings.ts';
import type { HelpSettingsT } from '../../api.ts';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { useHelpSettings, useSaveHelpSettings } from '../../queries/help.ts';

type Line = HelpSettingsT['crisisLines'][number];
type Place = HelpSettingsT['naloxonePlaces'][number];
const emptyLine: Line = { labelEn: '', labelEs: '', phone: '' };
const emptyPlace: Place = { name: '', address: '', hours: '', phone: null, note: null };

export function HelpSettingsSection() {
  const { t } = useTranslation();
  const q = useHelpSettings();
  const save = useSaveHelpSettings();
  const [v, setV] = useState<HelpSettingsT | null>(null);
  useEffect(() => {
    if (q.data && !v) {
      const { updatedAt: _, ...settings } = q.data;
      setV(settings);
    }
  }, [q.data, v]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!v) return;
    save.mutate(v, {
      onSuccess: (saved) => {
        const { updatedAt: _, ...settings } = saved;
        setV(settings);
        notifications.show({ color: 'teal', message: t('helpNow.settings.saved') });
      },
    });
  };
  const err = (f: string) => fieldError(save.error, `body.${f}`);

  const lines = (list: 'crisisLines' | 'afterHoursLines') => (
    <Fieldset legend={t(`helpNow.settings.${list}`)} data-testid={`help-${list}`}>
      <Stack gap="sm">
        {err(list) ? (
          <Text c="red" size="sm">
            {err(list)}
          </Text>
        ) : null}
        {v![list].map((line, i) => {
          const set = (patch: Partial<Line>) => setV({ ...v!, [list]: v![list].map((x, j) => (j === i ? { ...x, ...patch } : x)) });
          return (
            <Group key={i} align="flex-end" wrap="wrap">
              <TextInput
                label={t('helpNow.settings.labelEn')}
                value={line.labelEn}
                onChange={(e) => set({ labelEn: e.currentTarget.value })}
                error={err(`${list}.${i}.labelEn`)}
                maxLength={HELP_LIMITS.label}
              />
              <TextInput
                label={t('helpNow.settings.labelEs')}
                value={line.labelEs}
                onChange={(e) => set({ labelEs: e.currentTarget.value })}
                error={err(`${list}.${i}.labelEs`)}
                maxLength={HELP_LIMITS.label}
                lang="es"
              />
              <TextInput
                label={t('helpNow.settings.phone')}
                description={t('helpNow.settings.phoneHint')}
                value={line.phone}
                onChange={(e) => set({ phone: e.currentTarget.value })}
                error={err(`${list}.${i}.phone`)}
              />
              <Button variant="subtle" color="red" onClick={() => setV({ ...v!, [list]: v![list].filter((_, j) => j !== i) })}>
                {t('helpNow.settings.remove')}
              </Button>
            </Group>
          );
        })}
        <Group>
          <Button variant="light" onClick={() => setV({ ...v!, [list]: [...v![list], emptyLine] })} disabled={v![list].length >= HELP_LIMITS.lines}>
            {t('helpNow.settings.addLine')}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );

  const move = (i: number, by: -1 | 1) => {
    const list = [...v!.naloxonePlaces];
    const [p] = list.splice(i, 1);
    list.splice(i + by, 0, p!);
    setV({ ...v!, naloxonePlaces: list });
  };

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="help-settings-heading" data-testid="help-settings">
      <Stack>
        <Title order={2} size="h4" id="help-settings-heading">
          {t('helpNow.settings.title')}
        </Title>
        <Text c="dimmed" size="sm">
          {t('helpNow.settings.intro')}
        </Text>
        <ErrorAlert error={q.error} />
        {v ? (
          <form onSubmit={submit} noValidate>
            <Stack>
              <ErrorAlert error={save.error} />
              <TextInput
                label={t('helpNow.settings.clinicPhone')}
                description={t('helpNow.settings.phoneHint')}
                value={v.clinicPhone ?? ''}
                onChange={(e) => setV({ ...v, clinicPhone: e.currentTarget.value || null })}
                error={err('clinicPhone')}
                w={{ base: '100%', xs: 260 }}
              />
              {lines('crisisLines')}
              {lines('afterHoursLines')}
              <Fieldset legend={t('helpNow.settings.naloxonePlaces')} data-testid="help-places">
                <Stack gap="md">
                  <Text size="sm" c="dimmed">
                    {t('helpNow.settings.placesHint')}
                  </Text>
                  {v.naloxonePlaces.map((p, i) => {
                    const set = (patch: Partial<Place>) => setV({ ...v, naloxonePlaces: v.naloxonePlaces.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
                    return (
                      <Card key={i} withBorder padding="sm">
                        <Stack gap="xs">
                          <Group grow wrap="wrap">
                            <TextInput label={t('helpNow.settings.placeName')} value={p.name} onChange={(e) => set({ name: e.currentTarget.value })} error={err(`naloxonePlaces.${i}.name`)} />
                            <TextInput label={t('helpNow.settings.hours')} value={p.hours} onChange={(e) => set({ hours: e.currentTarget.value })} error={err(`naloxonePlaces.${i}.hours`)} />
                          </Group>
                          <TextInput label={t('helpNow.settings.address')} value={p.address} onChange={(e) => set({ address: e.currentTarget.value })} error={err(`naloxonePlaces.${i}.address`)} />
                          <Group grow wrap="wrap">
                            <TextInput
                              label={t('helpNow.settings.placePhone')}
                              description={t('helpNow.settings.phoneHint')}
                              value={p.phone ?? ''}
                              onChange={(e) => set({ phone: e.currentTarget.value || null })}
                              error={err(`naloxonePlaces.${i}.phone`)}
                            />
                          </Group>
                          <Textarea
                            label={t('helpNow.settings.note')}
                            value={p.note ?? ''}
                            onChange={(e) => set({ note: e.currentTarget.value || null })}
                            error={err(`naloxonePlaces.${i}.note`)}
                            autosize
                            minRows={1}
                          />
                          <Group gap="xs">
                            <Button size="xs" variant="default" onClick={() => move(i, -1)} disabled={i === 0}>
                              {t('helpNow.settings.up')}
                              <VisuallyHidden> {p.name}</VisuallyHidden>
                            </Button>
                            <Button size="xs" variant="default" onClick={() => move(i, 1)} disabled={i === v.naloxonePlaces.length - 1}>
                              {t('helpNow.settings.down')}
                              <VisuallyHidden> {p.name}</VisuallyHidden>
                            </Button>
                            <Button size="xs" variant="subtle" color="red" onClick={() => setV({ ...v, naloxonePlaces: v.naloxonePlaces.filter((_, j) => j !== i) })}>
                              {t('helpNow.settings.remove')}
                            </Button>
                          </Group>
                        </Stack>
                      </Card>
                    );
                  })}
                  <Group>
                    <Button variant="light" onClick={() => setV({ ...v, naloxonePlaces: [...v.naloxonePlaces, emptyPlace] })} disabled={v.naloxonePlaces.length >= HELP_LIMITS.places}>
                      {t('helpNow.settings.addPlace')}
                    </Button>
                  </Group>
                </Stack>
              </Fieldset>
              <Group>
                <Button type="submit" loading={save.isPending} data-testid="help-settings-save">
                  {t('common.save')}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : null}
      </Stack>
    </Card>
  );
}
