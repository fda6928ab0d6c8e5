// Page furniture used on many screens: the title, who may see a screen, status badges and
// table headings. (Form and request helpers are in forms.tsx.)
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge, Button, Group, Table, Text, Title } from '@mantine/core';
import { ROLE_PERMISSIONS, ROLES, type Permission } from '../../../core/access/roles.ts';

/** Heading level 1 of a screen; also names the browser tab. */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);
  return (
    <Title order={1} ref={ref} size="h2">
      {children}
    </Title>
  );
}

/** "Who can see this": the roles that hold a permission, named on sensitive sections. */
export function WhoCanSee({ permission }: { permission: Permission }) {
  const { t } = useTranslation();
  const roles = ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(permission)).map((r) => t(`roles.${r}`));
  return (
    <Text size="sm" c="dimmed">
      <LockIcon />
      {t('privacy.whoCanSee', { roles: roles.join(', ') })}
    </Text>
  );
}

function LockIcon() {
  return (
    <svg aria-hidden="true" focusable="false" width="12" height="12" viewBox="0 0 16 16" style={{ marginRight: 6, verticalAlign: '-1px' }}>
      <path fill="currentColor" d="M4 7V5a4 4 0 1 1 8 0v2h1a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h1zm2 0h4V5a2 2 0 1 0-4 0v2z" />
    </svg>
  );
}

/** A state shown with a word and a symbol, never by colour alone. */
export function StatusBadge({ tone, children }: { tone: 'ok' | 'warn' | 'bad' | 'neutral'; children: ReactNode }) {
  const symbol = { ok: '✓', warn: '!', bad: '✕', neutral: '•' }[tone];
  const color = { ok: 'teal', warn: 'yellow', bad: 'red', neutral: 'gray' }[tone];
  return (
    // The tone's light background with near-black text: the light variant's own coloured text
    // (teal 9 on teal 1) is 4.32:1 at this size, under WCAG's 4.5:1.
    <Badge color={color} variant="light" c="gray.9" leftSection={<span aria-hidden="true">{symbol}</span>} style={{ textTransform: 'none' }}>
      {children}
    </Badge>
  );
}

/**
 * A table's header row: one column header per label, and with `actions` a last column
 * for row buttons, named for screen readers only.
 */
export function TableHead({ labels, actions = false }: { labels: ReactNode[]; actions?: boolean }) {
  const { t } = useTranslation();
  return (
    <Table.Thead>
      <Table.Tr>
        {labels.map((label, i) => (
          <Table.Th scope="col" key={i}>
            {label}
          </Table.Th>
        ))}
        {actions ? (
          <Table.Th scope="col">
            <span className="sr-only">{t('common.actions')}</span>
          </Table.Th>
        ) : null}
      </Table.Tr>
    </Table.Thead>
  );
}

/** "Show more" under a list read page by page (a TanStack infinite query); nothing on the last page. */
export function ShowMore({ query }: { query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown } }) {
  const { t } = useTranslation();
  if (!query.hasNextPage) return null;
  return (
    <Group>
      <Button size="xs" variant="subtle" onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
        {t('common.showMore')}
      </Button>
    </Group>
  );
}
