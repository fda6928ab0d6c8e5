// Skills on the patient page (issue 13): the patient's modules (assigned, started, completed,
// how far, due and overdue, who assigned it and whether from the care plan), assign and cancel;
// then what the patient entered in exercises and homework, each entry in words, its reviews,
// and a review with a comment the patient sees. The lead places it on the patient page:
// <SkillsSection patientId=… />.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router-dom';
import { Badge, Button, Card, Group, Modal, SegmentedControl, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useSession } from '../../session.tsx';
import { formatDate, formatDateTime, formatInstantDate } from '../../format.ts';
import { ShowMore, StatusBadge } from '../../components/common.tsx';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { Section } from '../../components/Section.tsx';
import { useCancelAssignment, useModuleDetail, usePatientEntries, usePatientSkills, useReviewEntry, type EntryT, type PatientModuleT } from '../../queries/skills.ts';
import { AssignModal } from './AssignModal.tsx';
import { EntryView, stepOf } from './EntryView.tsx';
import { say, statusTone, useLang } from './shared.ts';

export function SkillsSection({ patientId }: { patientId: string }) {
  const { can } = useSession();
  return can('read:skills') ? <PatientSkills patientId={patientId} /> : null;
}

function PatientSkills({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const location = useLocation();
  const q = usePatientSkills(patientId);
  const [assigning, setAssigning] = useState(false);
  const loaded = !!q.data;
  // from the homework list (/patients/:id#skills): bring the section into view once it has loaded
  useEffect(() => {
    if (loaded && location.hash === '#skills') document.querySelector('[data-testid="skills"]')?.scrollIntoView({ block: 'start' });
  }, [loaded, location.hash]);
  const modules = q.data?.modules ?? [];
  return (
    <Section
      title={t('skills.patient.title')}
      permission="read:skills"
      testId="skills"
      actions={
        can('write:skills') ? (
          <Button size="xs" variant="light" onClick={() => setAssigning(true)}>
            {t('skills.patient.assign')}
          </Button>
        ) : null
      }
    >
      <ErrorAlert error={q.error} />
      {q.data ? (
        <Stack gap="xs">
          <Text size="sm" c="dimmed">
            {q.data.stage ? t('skills.patient.stage', { stage: t(`stages.${q.data.stage}`) }) : t('skills.patient.noStage')}
          </Text>
          {modules.length === 0 ? <Text c="dimmed">{t('skills.patient.none')}</Text> : null}
          {modules.length > 0 ? (
            <Stack gap="xs" component="ul" aria-label={t('skills.patient.modules')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              {modules.map((m) => (
                <ModuleRow key={m.key} patientId={patientId} m={m} />
              ))}
            </Stack>
          ) : null}
        </Stack>
      ) : null}
      <Entries patientId={patientId} />
      {assigning ? <AssignModal patientId={patientId} onClose={() => setAssigning(false)} /> : null}
    </Section>
  );
}

function ModuleRow({ patientId, m }: { patientId: string; m: PatientModuleT }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const lang = useLang();
  const [cancelling, setCancelling] = useState(false);
  const title = say(m.title, lang);
  const a = m.assignment;
  const toReview = m.homework.entries - m.homework.reviewed;
  return (
    <Card component="li" withBorder padding="sm" data-module={m.key}>
      <Stack gap={4}>
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Group gap="xs" style={{ flex: 1, minWidth: 0 }}>
            <Text fw={600}>{title}</Text>
            <StatusBadge tone={statusTone(m.status)}>{t(`skills.status.${m.status}`)}</StatusBadge>
            {m.overdue ? <StatusBadge tone="bad">{t('skills.patient.overdue')}</StatusBadge> : null}
          </Group>
          {a && m.status !== 'completed' && can('write:skills') ? (
            <Button size="xs" variant="subtle" color="red" onClick={() => setCancelling(true)} aria-label={t('skills.patient.cancelLabel', { title })} style={{ flexShrink: 0 }}>
              {t('skills.patient.cancel')}
            </Button>
          ) : null}
        </Group>
        <Text size="sm">
          {[
            m.progress
              ? m.progress.completedAt
                ? t('skills.patient.completedOn', { date: formatInstantDate(m.progress.completedAt, i18n.language, program?.timeZone) })
                : t('skills.patient.screensOf', { n: Math.min(m.progress.furthestScreen + 1, m.progress.screens), of: m.progress.screens })
              : t('skills.patient.notOpened'),
            a?.dueOn ? t('skills.patient.due', { date: formatDate(a.dueOn, i18n.language) }) : null,
            m.progress?.rewarded ? t('skills.patient.rewarded') : null,
          ]
            .filter(Boolean)
            .join(' · ')}
        </Text>
        <Text size="xs" c="dimmed">
          {a
            ? [
                t('skills.patient.assignedBy', { name: a.assignedByName ?? t('skills.patient.someone'), date: formatInstantDate(a.assignedAt, i18n.language, program?.timeZone) }),
                a.carePlanId ? t('skills.patient.fromPlan') : null,
              ]
                .filter(Boolean)
                .join(' · ')
            : t('skills.patient.selfStarted')}
        </Text>
        {m.homework.entries > 0 ? (
          <Group gap="xs">
            <Text size="sm">{t('skills.patient.homework', { count: m.homework.entries })}</Text>
            {toReview > 0 ? <StatusBadge tone="warn">{t('skills.patient.toReview', { count: toReview })}</StatusBadge> : <StatusBadge tone="ok">{t('skills.patient.allReviewed')}</StatusBadge>}
          </Group>
        ) : null}
      </Stack>
      {cancelling && a ? <CancelModal patientId={patientId} assignmentId={a.id} title={title} onClose={() => setCancelling(false)} /> : null}
    </Card>
  );
}

function CancelModal({ patientId, assignmentId, title, onClose }: { patientId: string; assignmentId: string; title: string; onClose: () => void }) {
  const { t } = useTranslation();
  const cancel = useCancelAssignment(patientId);
  return (
    <Modal opened onClose={onClose} title={t('skills.patient.cancelTitle')}>
      <Stack>
        <ErrorAlert error={cancel.error} />
        <Text size="sm">{t('skills.patient.cancelText', { title })}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            {t('skills.patient.keep')}
          </Button>
          <Button
            color="red"
            loading={cancel.isPending}
            onClick={() =>
              cancel.mutate(assignmentId, {
                onSuccess: () => {
                  notifications.show({ color: 'teal', message: t('skills.patient.cancelled', { title }) });
                  onClose();
                },
              })
            }
          >
            {t('skills.patient.cancelConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

// ---------- entries ----------

function Entries({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const [which, setWhich] = useState<'all' | 'homework' | 'exercises'>('all');
  const q = usePatientEntries(patientId, which === 'all' ? null : which === 'homework');
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack gap="xs" mt="sm" data-testid="skills-entries">
      <Group justify="space-between">
        <Title order={3} size="h5">
          {t('skills.entries.title')}
        </Title>
        <SegmentedControl
          size="xs"
          aria-label={t('skills.entries.show')}
          value={which}
          onChange={(v) => setWhich(v as typeof which)}
          data={[
            { value: 'all', label: t('skills.entries.all') },
            { value: 'homework', label: t('skills.entries.homework') },
            { value: 'exercises', label: t('skills.entries.exercises') },
          ]}
        />
      </Group>
      <ErrorAlert error={q.error} />
      {q.data && items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('skills.entries.none')}
        </Text>
      ) : null}
      {items.map((e) => (
        <EntryCard key={e.id} patientId={patientId} entry={e} />
      ))}
      <ShowMore query={q} />
    </Stack>
  );
}

function EntryCard({ patientId, entry }: { patientId: string; entry: EntryT }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const lang = useLang();
  const detail = useModuleDetail(entry.moduleKey, entry.version);
  const step = stepOf(detail.data?.content, entry.stepId, lang);
  const [reviewing, setReviewing] = useState(false);
  const headingId = `entry-${entry.id}`;
  return (
    <Card withBorder padding="sm" component="article" aria-labelledby={headingId} data-entry={entry.id} data-type={entry.entry.type}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={4} size="h6" id={headingId}>
              {say(entry.moduleTitle, lang)}
              {step ? ` — ${step.title}` : ''}
            </Title>
            <Text size="xs" c="dimmed">
              {t(`skills.exerciseTypes.${entry.entry.type}`)} · {formatDateTime(entry.enteredAt, i18n.language, program?.timeZone)}
            </Text>
          </div>
          <Group gap={4}>
            <Badge variant="outline" color="gray" c="gray.9" style={{ textTransform: 'none' }}>
              {entry.homework ? t('skills.entries.homeworkBadge') : t('skills.entries.exerciseBadge')}
            </Badge>
            {entry.reviews.length ? (
              <StatusBadge tone="ok">{t('skills.entries.reviewed')}</StatusBadge>
            ) : entry.homework ? (
              <StatusBadge tone="warn">{t('skills.entries.notReviewed')}</StatusBadge>
            ) : null}
          </Group>
        </Group>
        {step?.exercise ? (
          <Text size="sm" c="dimmed">
            {t('skills.entries.asked', { prompt: say(step.exercise.prompt, lang) })}
          </Text>
        ) : null}
        <EntryView entry={entry.entry} exercise={step?.exercise ?? null} />
        {entry.reviews.map((r) => (
          <Card key={r.id} bg="gray.0" padding="xs" radius="sm" data-review={r.id}>
            <Text size="sm">
              <span aria-hidden="true">✓ </span>
              {t('skills.entries.reviewedBy', { name: r.reviewedByName ?? t('skills.patient.someone'), when: formatDateTime(r.reviewedAt, i18n.language, program?.timeZone) })}
            </Text>
            {r.comment ? (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {t('skills.entries.commentShown')} “{r.comment}”
              </Text>
            ) : null}
          </Card>
        ))}
        {can('write:skills') ? (
          reviewing ? (
            <ReviewForm patientId={patientId} entry={entry} onClose={() => setReviewing(false)} />
          ) : (
            <Group>
              <Button size="xs" variant={entry.reviews.length ? 'default' : 'light'} onClick={() => setReviewing(true)} aria-describedby={headingId}>
                {entry.reviews.length ? t('skills.entries.reviewAgain') : t('skills.entries.review')}
              </Button>
            </Group>
          )
        ) : null}
      </Stack>
    </Card>
  );
}

function ReviewForm({ patientId, entry, onClose }: { patientId: string; entry: EntryT; onClose: () => void }) {
  const { t } = useTranslation();
  const review = useReviewEntry(patientId);
  const [comment, setComment] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    review.mutate(
      { entryId: entry.id, comment: comment.trim() || undefined },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('skills.entries.reviewSaved') });
          onClose();
        },
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate aria-label={t('skills.entries.reviewForm')}>
      <Stack gap="xs">
        <ErrorAlert error={review.error} />
        <Textarea
          label={t('skills.entries.comment')}
          description={t('skills.entries.commentHint')}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
          error={fieldError(review.error, 'comment')}
          maxLength={2000}
          autosize
          minRows={2}
          data-autofocus
          autoFocus
        />
        <Group>
          <Button type="submit" size="xs" loading={review.isPending}>
            {t('skills.entries.markReviewed')}
          </Button>
          <Button size="xs" variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
