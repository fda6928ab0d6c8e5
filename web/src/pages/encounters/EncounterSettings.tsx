// Settings → visits: the programme's own visit types beside the built-in ones, and its rooms
// (administrators: manage:encounter-settings).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Card, Checkbox, Group, NativeSelect, NumberInput, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { CATEGORIES, type Category } from '../../../../core/encounters/types.ts';
import { TableHead } from '../../components/common.tsx';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { useCreateEncounterType, useCreateRoom, useEncounterTypes, useRooms } from '../../queries/encounters.ts';
import { useTypeLabel } from './shared.tsx';

export function EncounterSettingsSection() {
  const { t } = useTranslation();
  const types = useEncounterTypes();
  const rooms = useRooms();
  const addType = useCreateEncounterType();
  const addRoom = useCreateRoom();
  const typeLabel = useTypeLabel();
  const [code, setCode] = useState('');
  const [category, setCategory] = useState<Category>('group');
  const [counselling, setCounselling] = useState(true);
  const [en, setEn] = useState('');
  const [es, setEs] = useState('');
  const [room, setRoom] = useState('');
  const [roomCapacity, setRoomCapacity] = useState<number | string>('');
  const submitType = (e: FormEvent) => {
    e.preventDefault();
    addType.mutate({ code, category, counselling, label: { en, es } }, { onSuccess: () => (setCode(''), setEn(''), setEs('')) });
  };
  const submitRoom = (e: FormEvent) => {
    e.preventDefault();
    addRoom.mutate({ name: room, capacity: roomCapacity === '' ? null : Number(roomCapacity) }, { onSuccess: () => (setRoom(''), setRoomCapacity('')) });
  };
  return (
    <Card withBorder padding="lg" data-testid="encounter-settings">
      <Stack>
        <Title order={2} size="h4">
          {t('encounters.settings.title')}
        </Title>
        <ErrorAlert error={types.error ?? rooms.error} />
        <Table.ScrollContainer minWidth={520}>
          <Table verticalSpacing={4}>
            <TableHead labels={[t('encounters.type'), t('encounters.settings.category'), t('encounters.settings.counselling')]} />
            <Table.Tbody>
              {(types.data ?? []).map((x) => (
                <Table.Tr key={x.code}>
                  <Table.Td>
                    {typeLabel(x.label)}
                    {x.builtIn ? null : (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        · {t('encounters.settings.own')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{t(`encounters.category.${x.category}`)}</Table.Td>
                  <Table.Td>{x.counselling ? t('encounters.settings.yes') : t('encounters.settings.no')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <form onSubmit={submitType} noValidate>
          <Stack gap="xs">
            <Text fw={600}>{t('encounters.settings.addType')}</Text>
            <ErrorAlert error={addType.error} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t('encounters.settings.code')}
                description={t('encounters.settings.codeHint')}
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
                required
                error={fieldError(addType.error, 'code')}
              />
              <NativeSelect
                label={t('encounters.settings.category')}
                value={category}
                onChange={(e) => setCategory(e.currentTarget.value as Category)}
                data={CATEGORIES.map((c) => ({ value: c, label: t(`encounters.category.${c}`) }))}
              />
              <TextInput label={t('encounters.settings.labelEn')} value={en} onChange={(e) => setEn(e.currentTarget.value)} required error={fieldError(addType.error, 'label.en')} />
              <TextInput label={t('encounters.settings.labelEs')} value={es} onChange={(e) => setEs(e.currentTarget.value)} required error={fieldError(addType.error, 'label.es')} />
            </SimpleGrid>
            <Checkbox label={t('encounters.settings.countsAsCounselling')} checked={counselling} onChange={(e) => setCounselling(e.currentTarget.checked)} />
            <Group>
              <Button type="submit" loading={addType.isPending}>
                {t('encounters.settings.addType')}
              </Button>
            </Group>
          </Stack>
        </form>
        <form onSubmit={submitRoom} noValidate>
          <Stack gap="xs">
            <Text fw={600}>{t('encounters.settings.rooms')}</Text>
            <Text size="sm" c="dimmed">
              {(rooms.data ?? []).map((r) => (r.capacity ? `${r.name} (${r.capacity})` : r.name)).join(' · ') || t('encounters.settings.noRooms')}
            </Text>
            <ErrorAlert error={addRoom.error} />
            <Group align="flex-end">
              <TextInput label={t('encounters.room')} value={room} onChange={(e) => setRoom(e.currentTarget.value)} required error={fieldError(addRoom.error, 'name')} />
              <NumberInput label={t('encounters.capacity')} value={roomCapacity} onChange={setRoomCapacity} min={1} max={40} allowDecimal={false} w={120} />
              <Button type="submit" loading={addRoom.isPending}>
                {t('encounters.settings.addRoom')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Card>
  );
}
