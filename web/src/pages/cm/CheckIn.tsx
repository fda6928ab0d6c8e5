// Check-in: the day's list of patients expected for attendance or a medication dose
// (in the programme's time zone), one row per patient. Keyboard first: the list has
// focus, ↑/↓ move between patients, A / D record attended / did not attend, O / T / N
// record a dose taken observed / taken home / not taken. Every action carries its own
// Idempotency-Key (kept for that patient, track and choice), and a second click while
// the first is on its way is ignored, so a double click cannot pay twice. The award and
// what the next opportunity is worth appear at once in the row.
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Card, Group, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { api, newIdempotencyKey, type CheckInRecordedT, type QueueItemT } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatCents, formatDate, todayIn } from '../../format.ts';
import { PageTitle, TableHead, WhoCanSee } from '../../components/common.tsx';
import { ErrorAlert, useErrorText } from '../../components/forms.tsx';
import { NextValue, OutcomeBadge, trackName, useValueText } from './shared.tsx';

const PAGE_SIZE = 25;

type Kind = 'attendance' | 'dose';
type Action = 'attended' | 'absent' | 'observed' | 'take-home' | 'not-taken';

const ACTIONS: Record<Action, { kind: Kind; done: boolean; doseType?: 'observed' | 'take-home'; key: string; label: string; doneLabel: string }> = {
  attended: { kind: 'attendance', done: true, key: 'A', label: 'checkIn.attended', doneLabel: 'checkIn.doneAttended' },
  absent: { kind: 'attendance', done: false, key: 'D', label: 'checkIn.absent', doneLabel: 'checkIn.doneAbsent' },
  observed: { kind: 'dose', done: true, doseType: 'observed', key: 'O', label: 'checkIn.observed', doneLabel: 'checkIn.doneObserved' },
  'take-home': { kind: 'dose', done: true, doseType: 'take-home', key: 'T', label: 'checkIn.takeHome', doneLabel: 'checkIn.doneTakeHome' },
  'not-taken': { kind: 'dose', done: false, key: 'N', label: 'checkIn.notTaken', doneLabel: 'checkIn.doneNotTaken' },
};
const BY_KIND: Record<Kind, Action[]> = { attendance: ['attended', 'absent'], dose: ['observed', 'take-home', 'not-taken'] };
const KINDS: Kind[] = ['attendance', 'dose'];

type Saved = { action: Action; recorded: CheckInRecordedT };
const cellId = (enrolmentId: string, kind: Kind) => `${enrolmentId}/${kind}`;

export function CheckInPage() {
  const { t, i18n } = useTranslation();
  const { program, can } = useSession();
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const today = todayIn(program?.timeZone);
  const list = useInfiniteQuery({
    queryKey: ['cm', program?.id, 'check-ins', today],
    queryFn: ({ pageParam }) => api.cmCheckIns({ limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: 60_000,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const [saved, setSaved] = useState<Record<string, Saved>>({});
  const [busy, setBusy] = useState<Record<string, Action>>({});
  const [errors, setErrors] = useState<Record<string, unknown>>({});
  const [announce, setAnnounce] = useState('');
  const keys = useRef(new Map<string, string>());
  const inFlight = useRef(new Set<string>());
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const focusedOnce = useRef(false);
  const mayRecord = can('write:cm-event');

  const rows = () => Array.from(bodyRef.current?.querySelectorAll<HTMLTableRowElement>('tr[data-row]') ?? []);

  useEffect(() => {
    if (focusedOnce.current || items.length === 0) return;
    focusedOnce.current = true;
    rows()[0]?.focus();
  }, [items.length]);

  const isDone = (q: QueueItemT, kind: Kind) => !!saved[cellId(q.enrolmentId, kind)] || q.recorded.some((r) => r.kind === kind);
  const expected = (q: QueueItemT) => KINDS.filter((k) => q.kinds.includes(k));

  const act = async (q: QueueItemT, action: Action) => {
    const a = ACTIONS[action];
    const cell = cellId(q.enrolmentId, a.kind);
    if (!mayRecord || !q.kinds.includes(a.kind) || isDone(q, a.kind) || inFlight.current.has(cell)) return;
    inFlight.current.add(cell);
    // one key per patient, track and choice: a retry or a repeated click is answered, not repeated
    const keyId = `${cell}/${action}`;
    let key = keys.current.get(keyId);
    if (!key) {
      key = newIdempotencyKey();
      keys.current.set(keyId, key);
    }
    setBusy((b) => ({ ...b, [cell]: action }));
    setErrors((e) => ({ ...e, [cell]: null }));
    try {
      const recorded = await api.checkIn({ patientId: q.patientId, kind: a.kind, done: a.done, doseType: a.doseType }, key);
      setSaved((s) => ({ ...s, [cell]: { action, recorded } }));
      setAnnounce(t('checkIn.announce', { name: q.displayName, what: t(a.doneLabel), earned: earnedText(recorded) }));
      // keep the keyboard in the list: the row, or the next patient once this one is complete
      const complete = expected(q).every((k) => k === a.kind || isDone(q, k));
      requestAnimationFrame(() => {
        const all = rows();
        const idx = all.findIndex((r) => r.dataset.enrolment === q.enrolmentId);
        const target = complete && idx >= 0 && idx < all.length - 1 ? all[idx + 1] : all[idx];
        const active = document.activeElement;
        if (!active || active === document.body || all[idx]?.contains(active)) target?.focus();
      });
      void queryClient.invalidateQueries({ queryKey: ['cm', program?.id] });
    } catch (err) {
      setErrors((e) => ({ ...e, [cell]: err }));
      setAnnounce(errorText(err));
    } finally {
      inFlight.current.delete(cell);
      setBusy((b) => {
        const next = { ...b };
        delete next[cell];
        return next;
      });
    }
  };

  function earnedText(r: CheckInRecordedT) {
    // vouchers and the number of draws only: a prize is shown on the draw screen
    const parts: string[] = [];
    if (r.award.voucherCents > 0) parts.push(formatCents(r.award.voucherCents, i18n.language));
    if (r.award.prizeDrawsEarned > 0) parts.push(t('cm.draws', { count: r.award.prizeDrawsEarned }));
    return parts.length ? t('checkIn.earned', { value: parts.join(' + ') }) : t('checkIn.nothingEarned');
  }

  const onRowKey = (e: KeyboardEvent<HTMLTableRowElement>, index: number, q: QueueItemT) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const all = rows();
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      all[Math.min(index + 1, all.length - 1)]?.focus();
      return;
    }
    if (e.key === 'ArrowUp') {
      e.preventDefault();
      all[Math.max(index - 1, 0)]?.focus();
      return;
    }
    const action = (Object.keys(ACTIONS) as Action[]).find((k) => ACTIONS[k].key === e.key.toUpperCase());
    if (action && q.kinds.includes(ACTIONS[action].kind)) {
      e.preventDefault();
      void act(q, action);
    }
  };

  const doneCount = items.filter((q) => expected(q).every((k) => isDone(q, k))).length;

  return (
    <Stack>
      <PageTitle title={t('checkIn.title')}>{t('checkIn.title')}</PageTitle>
      <Text c="dimmed" size="sm">
        {t('checkIn.intro', { date: formatDate(today, i18n.language) })}
      </Text>
      <WhoCanSee permission="read:cm" />
      <VisuallyHidden role="status" aria-live="polite" data-testid="check-in-announce">
        {announce}
      </VisuallyHidden>
      <Card withBorder component="section" aria-labelledby="check-in-heading">
        <Stack gap="xs">
          <Group justify="space-between" align="baseline">
            <Title order={2} size="h4" id="check-in-heading">
              {t('checkIn.listTitle')}
            </Title>
            {items.length > 0 ? (
              <Text size="sm" data-testid="progress">
                {t('checkIn.progress', { done: doneCount, count: items.length })}
              </Text>
            ) : null}
          </Group>
          <Text size="xs" c="dimmed">
            {t('checkIn.keyboardHint')}
          </Text>
          <ErrorAlert error={list.error} />
          {list.isPending ? <Text c="dimmed">{t('common.loading')}</Text> : null}
          {list.data && items.length === 0 ? <Text>{t('checkIn.empty')}</Text> : null}
          {items.length > 0 ? (
            <Table verticalSpacing="sm" data-testid="check-ins">
              <TableHead labels={[t('checkIn.patient'), t('checkIn.attendance'), t('checkIn.dose'), t('cm.balance')]} />
              <Table.Tbody ref={bodyRef}>
                {items.map((q, i) => {
                  const complete = expected(q).every((k) => isDone(q, k));
                  const latest = KINDS.map((k) => saved[cellId(q.enrolmentId, k)])
                    .filter((s): s is Saved => !!s)
                    .at(-1);
                  const balance = latest ? latest.recorded.award.balanceRevealedCents : q.balanceRevealedCents;
                  return (
                    <Table.Tr
                      key={q.enrolmentId}
                      data-row
                      data-enrolment={q.enrolmentId}
                      data-patient={q.patientId}
                      data-complete={complete || undefined}
                      tabIndex={0}
                      aria-label={q.displayName}
                      className="check-in-row"
                      bg={complete ? 'var(--mantine-color-gray-0)' : undefined}
                      onKeyDown={(e) => onRowKey(e, i, q)}
                    >
                      <Table.Td>
                        <Text fw={600} size="sm">
                          {q.displayName}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {q.mrn}
                        </Text>
                        {q.streaks.some((s) => s.s > 0) ? (
                          <Text size="xs" c="dimmed">
                            {q.streaks
                              .filter((s) => s.s > 0)
                              .map((s) => t('cm.streakOf', { track: trackName(s.track), count: s.s }))
                              .join(' · ')}
                          </Text>
                        ) : null}
                      </Table.Td>
                      {KINDS.map((kind) => (
                        <Table.Td key={kind} data-kind={kind} miw={260}>
                          <KindCell
                            item={q}
                            kind={kind}
                            saved={saved[cellId(q.enrolmentId, kind)] ?? null}
                            busy={busy[cellId(q.enrolmentId, kind)] ?? null}
                            error={errors[cellId(q.enrolmentId, kind)] ?? null}
                            mayRecord={mayRecord}
                            today={today}
                            earnedText={earnedText}
                            onAct={(action) => void act(q, action)}
                          />
                        </Table.Td>
                      ))}
                      <Table.Td data-testid="row-balance">{formatCents(balance, i18n.language)}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          ) : null}
          {list.hasNextPage ? (
            <Group>
              <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
                {t('common.showMore')}
              </Button>
            </Group>
          ) : null}
        </Stack>
      </Card>
    </Stack>
  );
}

function KindCell({
  item,
  kind,
  saved,
  busy,
  error,
  mayRecord,
  today,
  earnedText,
  onAct,
}: {
  item: QueueItemT;
  kind: Kind;
  saved: Saved | null;
  busy: Action | null;
  error: unknown;
  mayRecord: boolean;
  today: string;
  earnedText: (r: CheckInRecordedT) => string;
  onAct: (a: Action) => void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const value = useValueText();
  if (!item.kinds.includes(kind)) {
    return (
      <Text size="sm" c="dimmed">
        {t('checkIn.notExpected')}
      </Text>
    );
  }
  if (saved) {
    const a = ACTIONS[saved.action];
    const award = saved.recorded.award;
    const earned = award.entries.some((e) => e.cents > 0 && e.kind !== 'prize') || award.newDraws > 0;
    return (
      <Stack gap={4} data-testid={`done-${kind}`}>
        <DoneBadge done={a.done}>{t(a.doneLabel)}</DoneBadge>
        <Text size="md" fw={700} c={earned ? 'teal.9' : undefined} data-testid={`earned-${kind}`}>
          {earnedText(saved.recorded)}
        </Text>
        {award.outcomes.length ? (
          <Group gap={4}>
            {award.outcomes.map((o) => (
              <Group key={o.track} gap={4} wrap="nowrap">
                <Text size="xs">{trackName(o.track)}:</Text>
                <OutcomeBadge outcome={o.outcome} />
                {o.s > 0 ? <Text size="xs">{t('cm.streakOf', { track: '', count: o.s }).trim()}</Text> : null}
              </Group>
            ))}
          </Group>
        ) : null}
        {saved.recorded.duplicate ? (
          <Text size="xs" c="dimmed">
            {t('checkIn.duplicate')}
          </Text>
        ) : null}
        <div data-testid={`next-${kind}`}>
          <Text size="xs" c="dimmed">
            {t('checkIn.next')}
          </Text>
          <NextValue next={award.next.filter((n) => n?.kind === kind)} size="sm" />
        </div>
      </Stack>
    );
  }
  const recorded = item.recorded.find((r) => r.kind === kind);
  if (recorded) {
    return recorded.eventKind === 'missed' ? <DoneBadge done={false}>{t('checkIn.closedMissed')}</DoneBadge> : <DoneBadge done>{t('checkIn.recordedEarlier')}</DoneBadge>;
  }
  const todayOpp = item.next.find((n) => n?.kind === kind && n.date === today);
  return (
    <Stack gap={4}>
      <Group gap={6}>
        {BY_KIND[kind].map((action) => {
          const a = ACTIONS[action];
          return (
            <Button
              key={action}
              size="xs"
              variant={a.done ? 'light' : 'default'}
              color={a.done ? 'teal' : undefined}
              loading={busy === action}
              disabled={!mayRecord || (busy !== null && busy !== action)}
              aria-keyshortcuts={a.key}
              onClick={() => onAct(action)}
              onDoubleClick={(e) => e.preventDefault()}
              leftSection={<span aria-hidden="true">{a.done ? '✓' : '○'}</span>}
            >
              {t(a.label)}
              <Text span size="xs" c="dimmed" ml={6} aria-hidden="true">
                {a.key}
              </Text>
            </Button>
          );
        })}
      </Group>
      {todayOpp ? (
        <Text size="xs" c="dimmed">
          {t('checkIn.earns', { value: todayOpp.tracks.map((tr) => value(tr)).join(' + ') })}
        </Text>
      ) : null}
      {error ? (
        <Text size="sm" c="red.8" role="alert">
          {errorText(error)}
        </Text>
      ) : null}
    </Stack>
  );
}

/** The recorded state: a symbol and words, never colour alone. */
function DoneBadge({ done, children }: { done: boolean; children: ReactNode }) {
  return (
    <Badge size="lg" color={done ? 'teal' : 'gray'} variant="light" leftSection={<span aria-hidden="true">{done ? '✓' : '○'}</span>} style={{ textTransform: 'none' }}>
      {children}
    </Badge>
  );
}
