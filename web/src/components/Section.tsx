import type { ReactNode } from 'react';
import { Card, Group, Stack, Title } from '@mantine/core';
import type { Permission } from '../../../core/access/roles.ts';
import { WhoCanSee } from './common.tsx';

/** A titled card on the patient page that names who can see it. */
export function Section({ title, permission, actions, children, testId }: { title: string; permission: Permission; actions?: ReactNode; children: ReactNode; testId?: string }) {
  const headingId = `section-${testId ?? title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <Card withBorder padding="md" radius="md" component="section" aria-labelledby={headingId} data-testid={testId}>
      <Stack gap="sm">
        <Group justify="space-between" align="center">
          <Title order={2} size="h4" id={headingId}>
            {title}
          </Title>
          {actions}
        </Group>
        <WhoCanSee permission={permission} />
        {children}
      </Stack>
    </Card>
  );
}
