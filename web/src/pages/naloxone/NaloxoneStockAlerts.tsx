// Naloxone stock alerts on My day (issue 15): how many there are (reorder, lots expiring soon,
// expired kits on hand), what kinds, and a link to the Naloxone page. Only with read:naloxone,
// and only when there is an alert. The alerts are the stock API's own (core/naloxone/stock.ts).
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Anchor, Card, Group, Text } from '@mantine/core';
import { useSession } from '../../session.tsx';
import { StatusBadge } from '../../components/common.tsx';
import { useStock, type StockT } from './queries.ts';

export function NaloxoneStockAlerts() {
  const { can } = useSession();
  return can('read:naloxone') ? <Inner /> : null;
}

function Inner() {
  const { t } = useTranslation();
  const stock = useStock();
  const alerts = stock.data?.alerts ?? [];
  if (alerts.length === 0) return null;
  const kinds = (['reorder', 'expiring', 'expired'] as const).map((kind) => ({ kind, n: alerts.filter((a: StockT['alerts'][number]) => a.kind === kind).length })).filter((x) => x.n > 0);
  return (
    <Card withBorder padding="sm" data-testid="myday-naloxone">
      <Group gap="sm">
        <StatusBadge tone="warn">{t('naloxone.myDay.title', { count: alerts.length })}</StatusBadge>
        <Text size="sm">{kinds.map((x) => (x.kind === 'reorder' ? t('naloxone.alerts.reorder') : t(`naloxone.myDay.${x.kind}`, { count: x.n }))).join(' · ')}</Text>
        <Anchor component={Link} to="/naloxone" size="sm">
          {t('naloxone.myDay.open')}
        </Anchor>
      </Group>
    </Card>
  );
}
