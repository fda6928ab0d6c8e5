// The draw screen: large enough to read across a room. Draws were decided when they
// were earned (from the seed the programme committed to); this screen only shows them,
// one at a time, and records that they were shown. Nothing here can re-roll: once every
// draw is shown the button is gone, and a reload shows the recorded results.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Anchor, Button, Card, Code, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { api, type DrawT } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatCents, UUID_RE } from '../../format.ts';
import { PageTitle, TableHead } from '../../components/common.tsx';
import { ErrorAlert, useAction } from '../../components/forms.tsx';
import { NotFoundPage } from '../NotFound.tsx';
import { isApiError } from '../../api.ts';

export function DrawScreenPage() {
  const { enrolmentId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const queryClient = useQueryClient();
  const valid = UUID_RE.test(enrolmentId);
  const key = ['cm', program?.id, 'draws', enrolmentId];
  const draws = useQuery({ queryKey: key, queryFn: () => api.draws(enrolmentId), enabled: valid });
  const enrolment = useQuery({ queryKey: ['cm', program?.id, 'enrolment', enrolmentId], queryFn: () => api.enrolment(enrolmentId), enabled: valid });
  const patientId = enrolment.data?.patientId;
  const patient = useQuery({
    queryKey: ['patients', program?.id, 'record', patientId],
    queryFn: () => api.getPatient(patientId!),
    enabled: !!patientId,
  });
  const [shown, setShown] = useState<DrawT[]>([]);
  const { busy, error, run } = useAction();
  const navigate = useNavigate();
  const drawRef = useRef<HTMLButtonElement>(null);
  const nextRef = useRef<HTMLButtonElement>(null);
  // Keyboard first: after each draw the focus goes back to the Draw button (it is disabled
  // while the draw is recorded, which drops the focus), or to "Next patient" after the last.
  const [refocus, setRefocus] = useState(false);
  const undrawn = draws.data?.undrawn;
  useEffect(() => {
    if (!refocus || busy || undrawn === undefined) return;
    setRefocus(false);
    (undrawn > 0 ? drawRef.current : nextRef.current)?.focus();
  }, [refocus, busy, undrawn]);

  if (!valid || (isApiError(draws.error) && draws.error.status === 404)) return <NotFoundPage />;

  const reveal = () => {
    if (busy) return;
    void run(async () => {
      const res = await api.revealDraws(enrolmentId, 1);
      setShown((prev) => [...res.items, ...prev]);
      // The recorded history, so a reload shows the same.
      queryClient.setQueryData(key, (old: typeof draws.data) => (old ? { ...old, undrawn: res.undrawn, items: old.items.map((d) => res.items.find((r) => r.n === d.n) ?? d) } : old));
      void queryClient.invalidateQueries({ queryKey: ['cm', program?.id, 'patient'] });
      setRefocus(true);
    });
  };
  // back to the test-day queue for the next patient in line
  const nextPatient = can('write:specimen') ? () => navigate('/cm/test-day') : null;

  const data = draws.data;
  const latest = shown[0] ?? null;
  const revealed = (data?.items ?? []).filter((d) => d.revealed).sort((a, b) => b.n - a.n);
  const name = patient.data ? (patient.data.preferredName ?? patient.data.legalGivenName) : '';

  return (
    <Stack className="draw-screen" gap="lg">
      <Group justify="space-between" align="flex-start">
        <PageTitle title={t('draw.title')}>{name ? t('draw.titleFor', { name }) : t('draw.title')}</PageTitle>
        {patientId ? (
          <Button variant="subtle" component={Link} to={`/patients/${patientId}?tab=cm`}>
            {t('draw.backToPatient')}
          </Button>
        ) : null}
      </Group>
      <ErrorAlert error={draws.error ?? error} />
      {data ? (
        <>
          <Card withBorder padding="xl" radius="lg" ta="center">
            <Stack align="center" gap="md">
              <Text fz={28} fw={600} aria-live="polite" data-testid="undrawn">
                {data.undrawn > 0 ? t('draw.waiting', { count: data.undrawn }) : t('draw.allShown')}
              </Text>
              <div className="draw-stage" aria-live="assertive" aria-atomic="true" data-testid="draw-result">
                {latest ? (
                  <div key={latest.n} className={`draw-slip ${latest.valueCents > 0 ? 'draw-win' : ''}`}>
                    <Text className="draw-number" fz={20}>
                      {t('draw.number', { n: latest.n })}
                    </Text>
                    <Text className="draw-label" fz={56} fw={800} lh={1.1}>
                      {latest.label ?? latest.tier ?? ''}
                    </Text>
                    <Text fz={32} fw={700}>
                      {latest.valueCents > 0 ? formatCents(latest.valueCents, i18n.language) : t('draw.noPrizeValue')}
                    </Text>
                    {latest.capped ? <Text fz={18}>{t('draw.capped', { cap: latest.capped })}</Text> : null}
                  </div>
                ) : (
                  <Text fz={24} c="dimmed">
                    {data.undrawn > 0 ? t('draw.ready') : t('draw.nothingToDraw')}
                  </Text>
                )}
              </div>
              {data.undrawn > 0 && can('draw:cm') ? (
                <Button ref={drawRef} size="xl" color="grape" onClick={() => void reveal()} loading={busy} data-autofocus autoFocus h={80} px={48} fz={28}>
                  {t('draw.drawOne')}
                </Button>
              ) : null}
              {nextPatient ? (
                <Button
                  ref={nextRef}
                  variant={data.undrawn > 0 && can('draw:cm') ? 'subtle' : 'filled'}
                  size={data.undrawn > 0 && can('draw:cm') ? 'md' : 'xl'}
                  onClick={nextPatient}
                  autoFocus={data.undrawn === 0 || !can('draw:cm')}
                  data-testid="next-patient"
                >
                  {t('draw.nextPatient')}
                </Button>
              ) : null}
            </Stack>
          </Card>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Card withBorder>
              <Stack gap="xs">
                <Title order={2} size="h4">
                  {t('draw.commitmentTitle')}
                </Title>
                <Text size="sm">{t('draw.commitmentHelp')}</Text>
                <Code block fz="md" data-testid="commitment" style={{ overflowWrap: 'anywhere', whiteSpace: 'normal' }}>
                  {data.commitment}
                </Code>
                <Text size="sm">{t('draw.reference', { ref: enrolmentId })}</Text>
                <Anchor component={Link} to={`/verify/${data.commitment}?enrolment=${enrolmentId}`} target="_blank" rel="noreferrer">
                  {t('draw.verifyLink')}
                </Anchor>
              </Stack>
            </Card>
            <Card withBorder>
              <Stack gap="xs">
                <Title order={2} size="h4">
                  {t('draw.history')}
                </Title>
                {revealed.length === 0 ? (
                  <Text c="dimmed">{t('draw.noHistory')}</Text>
                ) : (
                  <Table data-testid="draw-history">
                    <TableHead labels={[t('draw.n'), t('draw.prize'), t('draw.value')]} />
                    <Table.Tbody>
                      {revealed.map((d) => (
                        <Table.Tr key={d.n}>
                          <Table.Td>{d.n}</Table.Td>
                          <Table.Td>{d.label ?? d.tier}</Table.Td>
                          <Table.Td>
                            {formatCents(d.valueCents, i18n.language)}
                            {d.capped ? ` (${t('draw.capped', { cap: d.capped })})` : ''}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )}
              </Stack>
            </Card>
          </SimpleGrid>
        </>
      ) : draws.isPending ? (
        <Text c="dimmed">{t('common.loading')}</Text>
      ) : null}
    </Stack>
  );
}
