// The notes of one visit (ADR 041), embedded on the encounter page: a progress note per
// person booked (and a group's shared part) from a template with its prompts — save a
// draft, sign (optionally naming a co-signer), then addenda only — and per person a
// "SUD counselling note (kept apart)" panel that says who can see it, with grant and revoke.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Card, Group, MultiSelect, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { TEMPLATE_SECTIONS, templatesFor, type Template } from '../../../../core/notes/templates.ts';
import type { CounsellingNoteT, ProgressNoteT } from '../../api.ts';
import { StatusBadge } from '../../components/common.tsx';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { formatDateTime } from '../../format.ts';
import { useCounsellingActions, useCounsellingNotes, useEncounterNotes, useNoteActions, usePatientGoals, useStaffWho } from '../../queries/notes.ts';
import { useSession } from '../../session.tsx';

export type EncounterNotesProps = { encounterId: string; participants: Array<{ patientId: string; name: string }>; group: boolean };

const lang = (l: string) => (l.startsWith('es') ? 'es' : 'en');

export function EncounterNotes({ encounterId, participants, group }: EncounterNotesProps) {
  const { t } = useTranslation();
  const { can } = useSession();
  const notes = useEncounterNotes(encounterId);
  if (!can('read:progress-note')) return null;
  const byPatient = (id: string | null) => notes.data?.items.find((n) => n.patientId === id) ?? null;
  return (
    <Stack data-testid="encounter-notes">
      <Title order={2} size="h3">
        {t('notes.title')}
      </Title>
      <ErrorAlert error={notes.error} />
      {group && (
        <Card withBorder padding="md">
          <Stack>
            <Title order={3} size="h4">
              {t('notes.sharedPart')}
            </Title>
            <ProgressNoteCard encounterId={encounterId} patientId={null} note={byPatient(null)} templates={templatesFor({ group: true, shared: true })} />
          </Stack>
        </Card>
      )}
      {participants.map((p) => (
        <Card withBorder padding="md" key={p.patientId} data-testid={`notes-${p.patientId}`}>
          <Stack>
            <Title order={3} size="h4">
              {group ? t('notes.memberPart', { name: p.name }) : p.name}
            </Title>
            <ProgressNoteCard encounterId={encounterId} patientId={p.patientId} note={byPatient(p.patientId)} templates={templatesFor({ group, shared: false })} />
            <CounsellingPanel encounterId={encounterId} patientId={p.patientId} />
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}

function stateBadge(state: ProgressNoteT['state'], t: (k: string) => string) {
  const tone = state === 'draft' ? 'neutral' : state === 'awaiting-cosignature' ? 'warn' : 'ok';
  return <StatusBadge tone={tone}>{t(`notes.state.${state}`)}</StatusBadge>;
}

function ProgressNoteCard({ encounterId, patientId, note, templates }: { encounterId: string; patientId: string | null; note: ProgressNoteT | null; templates: readonly Template[] }) {
  const { t, i18n } = useTranslation();
  const { me, can, program } = useSession();
  const actions = useNoteActions(encounterId);
  const [template, setTemplate] = useState<Template>(templates[0] ?? 'dap');
  const [sections, setSections] = useState<Record<string, string>>({});
  const [goalIds, setGoalIds] = useState<string[]>([]);
  const [cosigner, setCosigner] = useState<string | null>(null);
  const [addendum, setAddendum] = useState('');
  const cosigners = useStaffWho('cosign:progress-note').filter((s) => s.id !== me.user.id);
  useEffect(() => {
    if (note) {
      setSections(note.sections);
      setGoalIds(note.goals.map((g) => g.id));
    }
  }, [note]);
  const goals = usePatientGoals(note && note.state === 'draft' ? patientId : null);
  const l = lang(i18n.language);
  const error = actions.create.error ?? actions.save.error ?? actions.sign.error ?? actions.addendum.error;

  if (!note) {
    if (!can('write:progress-note')) return <Text c="dimmed">{t('notes.none')}</Text>;
    return (
      <Group align="end">
        {templates.length > 1 && (
          <Select
            label={t('notes.template')}
            data={templates.map((x) => ({ value: x, label: t(`notes.templates.${x}`) }))}
            value={template}
            onChange={(v) => v && setTemplate(v as Template)}
            allowDeselect={false}
            w={220}
          />
        )}
        <Button variant="light" loading={actions.create.isPending} onClick={() => actions.create.mutate({ patientId, template, sections: {} })}>
          {t('notes.start', { template: t(`notes.templates.${template}`) })}
        </Button>
        <ErrorAlert error={actions.create.error} />
      </Group>
    );
  }

  const mine = note.author.id === me.user.id;
  const editable = note.state === 'draft' && mine;
  return (
    <Stack gap="sm">
      <Group gap="xs">
        <Text fw={600}>{t(`notes.templates.${note.template}`)}</Text>
        {stateBadge(note.state, t)}
        <Text size="sm" c="dimmed">
          {note.signedAt ? t('notes.signedBy', { name: note.author.name, at: formatDateTime(note.signedAt, i18n.language, program?.timeZone) }) : t('notes.draftBy', { name: note.author.name })}
        </Text>
      </Group>
      {note.cosigner && (
        <Text size="sm">
          {note.cosignedAt
            ? t('notes.cosignedBy', { name: note.cosigner.name, at: formatDateTime(note.cosignedAt, i18n.language, program?.timeZone) })
            : t('notes.awaiting', { name: note.cosigner.name })}
        </Text>
      )}
      <ErrorAlert error={error} />
      {TEMPLATE_SECTIONS[note.template].map((sec) =>
        editable ? (
          <Textarea
            key={sec.key}
            label={sec.label[l]}
            description={sec.prompt[l]}
            autosize
            minRows={2}
            value={sections[sec.key] ?? ''}
            onChange={(e) => setSections({ ...sections, [sec.key]: e.currentTarget.value })}
            error={fieldError(error, `sections.${sec.key}`)}
          />
        ) : (
          <div key={sec.key}>
            <Text fw={600} size="sm">
              {sec.label[l]}
            </Text>
            <Text style={{ whiteSpace: 'pre-wrap' }}>{note.sections[sec.key] || '—'}</Text>
          </div>
        ),
      )}
      {editable && patientId !== null && (goals.data?.length ?? 0) > 0 && (
        <MultiSelect
          label={t('notes.goals')}
          description={t('notes.goalsHint')}
          data={(goals.data ?? []).map((g) => ({ value: g.id, label: g.description }))}
          value={goalIds}
          onChange={setGoalIds}
          clearable
          error={fieldError(error, 'goalIds')}
        />
      )}
      {!editable && note.goals.length > 0 && (
        <Text size="sm">
          {t('notes.goals')}: {note.goals.map((g) => g.description ?? g.id).join('; ')}
        </Text>
      )}
      {editable && (
        <Group align="end">
          <Button variant="default" loading={actions.save.isPending} onClick={() => actions.save.mutate({ id: note.id, version: note.version, sections, goalIds })}>
            {t('notes.saveDraft')}
          </Button>
          <Select
            label={t('notes.cosigner')}
            description={t('notes.cosignerHint')}
            placeholder={t('notes.noCosigner')}
            data={cosigners.map((s) => ({ value: s.id, label: s.displayName }))}
            value={cosigner}
            onChange={setCosigner}
            clearable
            searchable
            w={260}
            error={fieldError(error, 'cosignerId')}
          />
          <Button
            loading={actions.sign.isPending}
            onClick={() =>
              actions.save.mutate(
                { id: note.id, version: note.version, sections, goalIds },
                { onSuccess: (saved) => actions.sign.mutate({ id: saved.id, version: saved.version, cosignerId: cosigner }) },
              )
            }
          >
            {t('notes.sign')}
          </Button>
        </Group>
      )}
      {note.state !== 'draft' && (
        <Stack gap="xs">
          <Title order={4} size="h5">
            {t('notes.addenda')}
          </Title>
          {note.addenda.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('notes.noAddenda')}
            </Text>
          )}
          {note.addenda.map((a) => (
            <Text key={a.id} size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              <b>{t('notes.addendumBy', { name: a.author.name, at: formatDateTime(a.createdAt, i18n.language, program?.timeZone) })}</b> {a.text}
            </Text>
          ))}
          {can('write:progress-note') && (
            <Group align="end">
              <Textarea label={t('notes.addAddendum')} value={addendum} onChange={(e) => setAddendum(e.currentTarget.value)} autosize minRows={2} w={{ base: '100%', sm: 420 }} />
              <Button
                variant="light"
                disabled={addendum.trim() === ''}
                loading={actions.addendum.isPending}
                onClick={() => actions.addendum.mutate({ id: note.id, text: addendum }, { onSuccess: () => setAddendum('') })}
              >
                {t('notes.addAddendumButton')}
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Stack>
  );
}

function CounsellingPanel({ encounterId, patientId }: { encounterId: string; patientId: string }) {
  const { t } = useTranslation();
  const { can, me } = useSession();
  const list = useCounsellingNotes(encounterId);
  const actions = useCounsellingActions(encounterId);
  const notes = (list.data?.items ?? []).filter((n) => n.patientId === patientId);
  return (
    <Card withBorder padding="sm" bg="var(--mantine-color-gray-0)" data-testid={`counselling-${patientId}`}>
      <Stack gap="xs">
        <Title order={4} size="h5">
          {t('notes.kept.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('notes.kept.explain')}
        </Text>
        <ErrorAlert error={list.error ?? actions.create.error} />
        {notes.map((n) => (
          <CounsellingNote key={n.id} note={n} encounterId={encounterId} />
        ))}
        {can('write:progress-note') && !notes.some((n) => n.author.id === me.user.id) && (
          <Group>
            <Button variant="light" size="xs" loading={actions.create.isPending} onClick={() => actions.create.mutate({ patientId, body: '' })}>
              {t('notes.kept.start')}
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}

function CounsellingNote({ note, encounterId }: { note: CounsellingNoteT; encounterId: string }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const actions = useCounsellingActions(encounterId);
  const [body, setBody] = useState(note.body);
  const [grantee, setGrantee] = useState<string | null>(null);
  useEffect(() => setBody(note.body), [note.body]);
  const readers = useStaffWho('read:progress-note').filter((s) => s.id !== note.author.id && !note.visibleTo.some((v) => v.id === s.id));
  const mine = note.author.id === me.user.id;
  const error = actions.save.error ?? actions.sign.error ?? actions.grant.error ?? actions.revoke.error;
  const others = note.visibleTo.map((v) => v.name).join(', ');
  const who = mine
    ? others
      ? t('notes.kept.onlyYouAnd', { names: others })
      : t('notes.kept.onlyYou')
    : t('notes.kept.onlyAuthorAnd', { author: note.author.name, names: others || t('notes.kept.nobodyElse') });
  return (
    <Stack gap="xs" data-testid={`counselling-note-${note.id}`}>
      <Text size="sm" fw={600} role="note">
        {who}
      </Text>
      <ErrorAlert error={error} />
      {note.state === 'draft' && mine ? (
        <>
          <Textarea label={t('notes.kept.body')} autosize minRows={3} value={body} onChange={(e) => setBody(e.currentTarget.value)} error={fieldError(error, 'body')} />
          <Group>
            <Button variant="default" size="xs" loading={actions.save.isPending} onClick={() => actions.save.mutate({ id: note.id, version: note.version, body })}>
              {t('notes.saveDraft')}
            </Button>
            <Button
              size="xs"
              loading={actions.sign.isPending}
              onClick={() => actions.save.mutate({ id: note.id, version: note.version, body }, { onSuccess: (saved) => actions.sign.mutate({ id: saved.id, version: saved.version }) })}
            >
              {t('notes.sign')}
            </Button>
          </Group>
        </>
      ) : (
        <Text style={{ whiteSpace: 'pre-wrap' }}>{note.body || '—'}</Text>
      )}
      {note.canGrant && (
        <Stack gap={4}>
          {note.visibleTo.map((v) => (
            <Group key={v.id} gap="xs">
              <Text size="sm">{v.name}</Text>
              <Button variant="subtle" color="red" size="compact-xs" onClick={() => actions.revoke.mutate({ id: note.id, userId: v.id })}>
                {t('notes.kept.revoke')}
              </Button>
            </Group>
          ))}
          <Group align="end">
            <Select
              label={t('notes.kept.grantTo')}
              data={readers.map((s) => ({ value: s.id, label: s.displayName }))}
              value={grantee}
              onChange={setGrantee}
              searchable
              w={260}
              size="xs"
              error={fieldError(error, 'userId')}
            />
            <Button
              size="xs"
              variant="light"
              disabled={!grantee}
              loading={actions.grant.isPending}
              onClick={() => grantee && actions.grant.mutate({ id: note.id, userId: grantee }, { onSuccess: () => setGrantee(null) })}
            >
              {t('notes.kept.grant')}
            </Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}
