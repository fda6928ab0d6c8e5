// Family (CRAFT), issue 16: the programme's CRAFT clients — concerned significant others whose
// loved one is not in treatment — with each course's progress (sessions held of 12), the next
// session, the outcome and a Help now flag; and the form for a new CRAFT client.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { Anchor, Button, Card, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { StatusBadge, TableHead } from '../../components/common.tsx';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { formatDate, todayIn } from '../../format.ts';
import { useSession } from '../../session.tsx';
import { useCraftCourses, useCreateCraft, type CraftListItemT } from './craftQueries.ts';

export function CraftListPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const list = useCraftCourses();
  const [adding, setAdding] = useState(false);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('craft.title')}</Title>
        {can('write:family') && !adding ? (
          <Button onClick={() => setAdding(true)} data-testid="craft-new-open">
            {t('craft.new.title')}
          </Button>
        ) : null}
      </Group>
      <Text c="dimmed">{t('craft.intro')}</Text>
      {adding ? <NewCraftClient onCancel={() => setAdding(false)} /> : null}
      <ErrorAlert error={list.error} />
      {list.data && list.data.items.length === 0 ? <Text>{t('craft.none')}</Text> : null}
      {list.data && list.data.items.length > 0 ? <Courses items={list.data.items} /> : null}
    </Stack>
  );
}

export function outcomeText(t: (k: string, o?: Record<string, unknown>) => string, o: CraftListItemT['outcome'], lang: string) {
  if (!o) return t('craft.outcome.none');
  return o.enteredTreatment ? t('craft.outcome.entered', { date: formatDate(o.enteredOn, lang) }) : t('craft.outcome.notYet');
}

function Courses({ items }: { items: CraftListItemT[] }) {
  const { t, i18n } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped data-testid="craft-courses">
        <TableHead labels={[t('craft.list.client'), t('craft.list.lovedOne'), t('craft.list.progress'), t('craft.list.next'), t('craft.list.outcome'), t('craft.list.state')]} />
        <Table.Tbody>
          {items.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <Anchor component={Link} to={`/craft/${c.id}`}>
                  {c.displayName}
                </Anchor>
                {c.helpNowFlag ? (
                  <>
                    {' '}
                    <StatusBadge tone="bad">{t('craft.helpNowFlag')}</StatusBadge>
                  </>
                ) : null}
              </Table.Td>
              <Table.Td>{c.lovedOne}</Table.Td>
              <Table.Td>{t('craft.list.held', { n: c.summary.held })}</Table.Td>
              <Table.Td>{c.summary.next ? t('craft.list.nextSession', { n: c.summary.next.number, date: formatDate(c.summary.next.scheduledOn, i18n.language) }) : '—'}</Table.Td>
              <Table.Td>{outcomeText(t, c.outcome, i18n.language)}</Table.Td>
              <Table.Td>
                {c.closedAt ? (
                  <StatusBadge tone="neutral">{t('craft.closed')}</StatusBadge>
                ) : c.summary.onTrack ? (
                  <StatusBadge tone="ok">{t('craft.onTrack')}</StatusBadge>
                ) : (
                  <StatusBadge tone="warn">{t('craft.behind')}</StatusBadge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function NewCraftClient({ onCancel }: { onCancel: () => void }) {
  const { t } = useTranslation();
  const { program } = useSession();
  const create = useCreateCraft();
  const navigate = useNavigate();
  const [f, setF] = useState({ displayName: '', phone: '', language: 'en' as 'en' | 'es', lovedOne: '', startedOn: todayIn(program?.timeZone) });
  const set = (k: keyof typeof f) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { displayName: f.displayName, ...(f.phone ? { phone: f.phone } : {}), language: f.language, lovedOne: f.lovedOne, startedOn: f.startedOn },
      { onSuccess: (c) => void navigate(`/craft/${c.id}`) },
    );
  };
  return (
    <Card withBorder component="form" onSubmit={submit} aria-labelledby="craft-new-title" data-testid="craft-new">
      <Stack>
        <Title order={2} size="h3" id="craft-new-title">
          {t('craft.new.title')}
        </Title>
        <Text size="sm">{t('craft.new.help')}</Text>
        <ErrorAlert error={create.error} />
        <Group grow align="flex-start">
          <TextInput label={t('craft.new.name')} required value={f.displayName} onChange={(e) => set('displayName')(e.currentTarget.value)} error={fieldError(create.error, 'displayName')} />
          <TextInput label={t('craft.new.phone')} value={f.phone} onChange={(e) => set('phone')(e.currentTarget.value)} error={fieldError(create.error, 'phone')} />
          <Select
            label={t('craft.new.language')}
            data={[
              { value: 'en', label: 'English' },
              { value: 'es', label: 'Español' },
            ]}
            value={f.language}
            onChange={(v) => set('language')(v ?? 'en')}
            allowDeselect={false}
          />
        </Group>
        <Group grow align="flex-start">
          <TextInput
            label={t('craft.new.lovedOne')}
            description={t('craft.new.lovedOneHelp')}
            required
            value={f.lovedOne}
            onChange={(e) => set('lovedOne')(e.currentTarget.value)}
            error={fieldError(create.error, 'lovedOne')}
          />
          <TextInput
            label={t('craft.new.startedOn')}
            type="date"
            required
            value={f.startedOn}
            onChange={(e) => set('startedOn')(e.currentTarget.value)}
            error={fieldError(create.error, 'startedOn')}
          />
        </Group>
        <Group>
          <Button type="submit" loading={create.isPending} data-testid="craft-new-save">
            {t('craft.new.save')}
          </Button>
          <Button variant="default" onClick={onCancel}>
            {t('craft.cancel')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
