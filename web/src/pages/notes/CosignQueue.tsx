// "Notes awaiting my co-signature" (ADR 041): signed notes that named the signed-in user as
// co-signer, oldest first; read one, then co-sign it.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Group, Stack, Table, Text } from '@mantine/core';
import { TEMPLATE_SECTIONS } from '../../../../core/notes/templates.ts';
import { api } from '../../api.ts';
import { PageTitle, TableHead } from '../../components/common.tsx';
import { ErrorAlert } from '../../components/forms.tsx';
import { formatDateTime } from '../../format.ts';
import { notesKey, useCosign, useCosignQueue } from '../../queries/notes.ts';
import { useSession } from '../../session.tsx';

/** The page (the lead wires it: `page(() => import('./pages/notes/CosignQueue.tsx'), 'CosignQueuePage')` under a Guard on cosign:progress-note). */
export function CosignQueuePage() {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const queue = useCosignQueue();
  const [open, setOpen] = useState<string | null>(null);
  const items = queue.data?.items ?? [];
  return (
    <Stack>
      <PageTitle title={t('notes.queue.title')}>{t('notes.queue.title')}</PageTitle>
      <Stack>
        <ErrorAlert error={queue.error} />
        {queue.data && items.length === 0 && <Text c="dimmed">{t('notes.queue.empty')}</Text>}
        {items.length > 0 && (
          <Table striped>
            <TableHead labels={[t('notes.queue.signedAt'), t('notes.queue.author'), t('notes.template')]} actions />
            <Table.Tbody>
              {items.map((n) => (
                <Table.Tr key={n.id}>
                  <Table.Td>{formatDateTime(n.signedAt, i18n.language, program?.timeZone)}</Table.Td>
                  <Table.Td>{n.author.name}</Table.Td>
                  <Table.Td>{t(`notes.templates.${n.template}`)}</Table.Td>
                  <Table.Td>
                    <Button variant="light" size="xs" onClick={() => setOpen(open === n.id ? null : n.id)} aria-expanded={open === n.id}>
                      {t('notes.queue.read')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {open && <QueuedNote id={open} onDone={() => setOpen(null)} />}
      </Stack>
    </Stack>
  );
}

function QueuedNote({ id, onDone }: { id: string; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const note = useQuery({ queryKey: notesKey(program?.id, 'note', id), queryFn: () => api.progressNote(id) });
  const cosign = useCosign();
  const l = i18n.language.startsWith('es') ? 'es' : 'en';
  if (!note.data) return <ErrorAlert error={note.error} />;
  const n = note.data;
  return (
    <Card withBorder padding="md" data-testid="cosign-note">
      <Stack gap="sm">
        <Text fw={600}>
          {t(`notes.templates.${n.template}`)} · {t('notes.signedBy', { name: n.author.name, at: n.signedAt ? formatDateTime(n.signedAt, i18n.language, program?.timeZone) : '' })}
        </Text>
        {TEMPLATE_SECTIONS[n.template].map((sec) => (
          <div key={sec.key}>
            <Text fw={600} size="sm">
              {sec.label[l]}
            </Text>
            <Text style={{ whiteSpace: 'pre-wrap' }}>{n.sections[sec.key] || '—'}</Text>
          </div>
        ))}
        <ErrorAlert error={cosign.error} />
        <Group>
          <Button loading={cosign.isPending} onClick={() => cosign.mutate(n.id, { onSuccess: onDone })}>
            {t('notes.queue.cosign')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
