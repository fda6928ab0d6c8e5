// Naloxone (issue 15, docs/naloxone.md): the stock by lot (soonest expiry first) with expiry
// and reorder alerts, receiving a lot, giving a kit with the five-step training checklist,
// the kits given by kind of recipient, and the reorder level and expiry warning.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Button, Card, Group, NumberInput, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { StatusBadge } from '../../components/common.tsx';
import { PRODUCTS, type Product } from '../../../../core/naloxone/stock.ts';
import { useSession } from '../../session.tsx';
import { formatDate } from '../../format.ts';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { GiveKitModal } from './GiveKitModal.tsx';
import { useKits, useReceiveLot, useSaveSettings, useStock, type RecipientKind, type StockT } from './queries.ts';

export function NaloxonePage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const stock = useStock();
  const [giving, setGiving] = useState(false);
  const write = can('write:naloxone');
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('naloxone.title')}</Title>
        {write ? (
          <Button onClick={() => setGiving(true)} data-testid="give-kit-open">
            {t('naloxone.give.title')}
          </Button>
        ) : null}
      </Group>
      <ErrorAlert error={stock.error} />
      {stock.data ? <Alerts data={stock.data} /> : null}
      {stock.data ? <StockTable data={stock.data} /> : null}
      {write ? <ReceiveLot /> : null}
      <KitsGiven />
      {write && stock.data ? <SettingsForm data={stock.data} /> : null}
      <GiveKitModal opened={giving} onClose={() => setGiving(false)} />
    </Stack>
  );
}

function Alerts({ data }: { data: StockT }) {
  const { t, i18n } = useTranslation();
  if (data.alerts.length === 0) return <Text c="dimmed">{t('naloxone.alerts.none')}</Text>;
  return (
    <Stack gap="xs" data-testid="naloxone-alerts">
      {data.alerts.map((a, i) => (
        <Alert key={i} color={a.kind === 'expiring' ? 'yellow' : 'red'} title={t(`naloxone.alerts.${a.kind}`)}>
          {a.kind === 'reorder'
            ? t('naloxone.alerts.reorderBody', { usable: a.usable, level: a.reorderLevel })
            : a.kind === 'expiring'
              ? t('naloxone.alerts.expiringBody', { lot: a.lotNumber, date: formatDate(a.expiresOn, i18n.language), n: a.onHand, days: a.daysLeft })
              : t('naloxone.alerts.expiredBody', { lot: a.lotNumber, date: formatDate(a.expiresOn, i18n.language), n: a.onHand })}
        </Alert>
      ))}
    </Stack>
  );
}

function StockTable({ data }: { data: StockT }) {
  const { t, i18n } = useTranslation();
  return (
    <Card withBorder>
      <Title order={2} size="h3">
        {t('naloxone.stock.title', { n: data.usable })}
      </Title>
      <Table striped data-testid="naloxone-stock">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('naloxone.stock.lot')}</Table.Th>
            <Table.Th>{t('naloxone.stock.product')}</Table.Th>
            <Table.Th>{t('naloxone.stock.expires')}</Table.Th>
            <Table.Th>{t('naloxone.stock.received')}</Table.Th>
            <Table.Th>{t('naloxone.stock.given')}</Table.Th>
            <Table.Th>{t('naloxone.stock.adjusted')}</Table.Th>
            <Table.Th>{t('naloxone.stock.onHand')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.lots.map((l) => (
            <Table.Tr key={l.id}>
              <Table.Td>{l.lotNumber}</Table.Td>
              <Table.Td>{t(`naloxone.products.${l.product}`)}</Table.Td>
              <Table.Td>
                {formatDate(l.expiresOn, i18n.language)}{' '}
                {l.expired ? <StatusBadge tone="bad">{t('naloxone.stock.expired')}</StatusBadge> : l.expiringSoon ? <StatusBadge tone="warn">{t('naloxone.stock.soon')}</StatusBadge> : null}
              </Table.Td>
              <Table.Td>{l.received}</Table.Td>
              <Table.Td>{l.given}</Table.Td>
              <Table.Td>{l.adjusted}</Table.Td>
              <Table.Td>{l.onHand}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function ReceiveLot() {
  const { t } = useTranslation();
  const receive = useReceiveLot();
  const [product, setProduct] = useState<Product>('nasal-4mg');
  const [lotNumber, setLotNumber] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [quantity, setQuantity] = useState<number | string>(24);
  async function submit(e: FormEvent) {
    e.preventDefault();
    await receive.mutateAsync({ product, lotNumber, expiresOn, quantity: Number(quantity) });
    notifications.show({ message: t('naloxone.receive.done') });
    setLotNumber('');
    setExpiresOn('');
  }
  return (
    <Card withBorder>
      <form onSubmit={(e) => void submit(e).catch(() => undefined)} data-testid="receive-lot">
        <Title order={2} size="h3">
          {t('naloxone.receive.title')}
        </Title>
        <Group align="flex-end" mt="xs">
          <Select
            label={t('naloxone.stock.product')}
            data={PRODUCTS.map((p) => ({ value: p, label: t(`naloxone.products.${p}`) }))}
            value={product}
            onChange={(v) => setProduct((v as Product) ?? 'nasal-4mg')}
            allowDeselect={false}
          />
          <TextInput label={t('naloxone.stock.lot')} required value={lotNumber} onChange={(e) => setLotNumber(e.currentTarget.value)} error={fieldError(receive.error, 'lotNumber')} />
          <TextInput label={t('naloxone.stock.expires')} type="date" required value={expiresOn} onChange={(e) => setExpiresOn(e.currentTarget.value)} error={fieldError(receive.error, 'expiresOn')} />
          <NumberInput label={t('naloxone.receive.quantity')} min={1} required value={quantity} onChange={setQuantity} error={fieldError(receive.error, 'quantity')} />
          <Button type="submit" loading={receive.isPending}>
            {t('naloxone.receive.submit')}
          </Button>
        </Group>
        <ErrorAlert error={receive.error} />
      </form>
    </Card>
  );
}

function KitsGiven() {
  const { t, i18n } = useTranslation();
  const [kind, setKind] = useState<RecipientKind | 'all'>('all');
  const q = useKits(kind === 'all' ? null : kind);
  const kits = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card withBorder>
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t('naloxone.kits.title')}
        </Title>
        <SegmentedControl
          value={kind}
          onChange={(v) => setKind(v as RecipientKind | 'all')}
          data={(['all', 'patient', 'family', 'community'] as const).map((k) => ({ value: k, label: t(`naloxone.kind.${k}`) }))}
        />
      </Group>
      <ErrorAlert error={q.error} />
      <Table data-testid="naloxone-kits">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('naloxone.kits.given')}</Table.Th>
            <Table.Th>{t('naloxone.kits.to')}</Table.Th>
            <Table.Th>{t('naloxone.stock.lot')}</Table.Th>
            <Table.Th>{t('naloxone.trained')}</Table.Th>
            <Table.Th>{t('naloxone.kits.by')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {kits.map((k) => (
            <Table.Tr key={k.id}>
              <Table.Td>{formatDate(k.givenOn, i18n.language)}</Table.Td>
              <Table.Td>
                {t(`naloxone.kind.${k.recipientKind}`)}
                {k.firstName ? ` (${k.firstName})` : ''}
              </Table.Td>
              <Table.Td>{k.lotNumber}</Table.Td>
              <Table.Td>{k.trained ? t('naloxone.yes') : t('naloxone.no')}</Table.Td>
              <Table.Td>{k.givenByName ?? ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {kits.length === 0 && !q.isLoading ? <Text c="dimmed">{t('naloxone.kits.none')}</Text> : null}
      {q.hasNextPage ? (
        <Button variant="subtle" onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
          {t('naloxone.more')}
        </Button>
      ) : null}
    </Card>
  );
}

function SettingsForm({ data }: { data: StockT }) {
  const { t } = useTranslation();
  const save = useSaveSettings();
  const [reorderLevel, setReorder] = useState<number | string>(data.settings.reorderLevel);
  const [expiryWarningDays, setDays] = useState<number | string>(data.settings.expiryWarningDays);
  async function submit(e: FormEvent) {
    e.preventDefault();
    await save.mutateAsync({ reorderLevel: Number(reorderLevel), expiryWarningDays: Number(expiryWarningDays) });
    notifications.show({ message: t('naloxone.settings.done') });
  }
  return (
    <Card withBorder>
      <form onSubmit={(e) => void submit(e).catch(() => undefined)}>
        <Title order={2} size="h3">
          {t('naloxone.settings.title')}
        </Title>
        <Group align="flex-end" mt="xs">
          <NumberInput label={t('naloxone.settings.reorderLevel')} min={0} value={reorderLevel} onChange={setReorder} error={fieldError(save.error, 'reorderLevel')} />
          <NumberInput label={t('naloxone.settings.expiryWarningDays')} min={0} max={365} value={expiryWarningDays} onChange={setDays} error={fieldError(save.error, 'expiryWarningDays')} />
          <Button type="submit" loading={save.isPending}>
            {t('naloxone.settings.save')}
          </Button>
        </Group>
        <ErrorAlert error={save.error} />
      </form>
    </Card>
  );
}
