// A new consent (or a new version replacing one): a template, the recipient, the purposes and
// kinds of information the template allows (its defaults chosen), the plain description in the
// consent's language, when it ends, and how it is signed — on paper with the scan uploaded
// (recorded signed), or left for the patient to sign on the clinic tablet or in the app. The
// server checks every element §2.31 requires and names the field of each problem; each is shown
// beside its field, and what was typed is kept.
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Button, Checkbox, FileInput, Group, List, Modal, Paper, Radio, SegmentedControl, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { isApiError } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { todayIn } from '../../format.ts';
import { ErrorAlert, fieldError, focusFirstError } from '../../components/forms.tsx';
import {
  RELATIONSHIPS,
  useAddFamilyMember,
  useCreateConsent,
  useFamily,
  type ConsentCreateT,
  type ConsentT,
  type DataClassT,
  type ExpiryT,
  type PurposeT,
  type RelationshipT,
  type TemplateT,
} from './queries.ts';
import { useConsentWords } from './words.tsx';

type Lang = 'en' | 'es';
type ExpiryKind = ExpiryT['kind'];
const MAX_SCAN_BYTES = 5 * 1024 * 1024;
const SCAN_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
type ScanType = (typeof SCAN_TYPES)[number];

/** The fields this form shows a problem beside (as the server names them, without "body."). */
const FIELDS = [
  'template',
  'recipient',
  'recipient.kind',
  'recipient.name',
  'recipient.familyMemberId',
  'purposes',
  'dataClasses',
  'dataDescription',
  'expiry',
  'expiry.kind',
  'expiry.on',
  'expiry.text',
  'language',
  'paper.signerName',
  'paper.signedOn',
  'paper.scan',
  'paper.scan.base64',
  'paper.scan.contentType',
];

const readBase64 = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error ?? new Error('read'));
    r.readAsDataURL(file);
  });

export type ConsentFormProps = {
  opened: boolean;
  onClose: () => void;
  patientId: string;
  patientName: string;
  patientLanguage: Lang;
  /** The consent a new version replaces: the form starts from its terms. */
  replacing: ConsentT | null;
};

export function ConsentFormModal(props: ConsentFormProps) {
  const { t } = useTranslation();
  return (
    <Modal opened={props.opened} onClose={props.onClose} size="xl" title={props.replacing ? t('consent.form.replaceTitle') : t('consent.form.title')}>
      {props.opened ? <ConsentForm {...props} /> : null}
    </Modal>
  );
}

function ConsentForm({ onClose, patientId, patientName, patientLanguage, replacing }: ConsentFormProps) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const words = useConsentWords();
  const templates = words.templates.data;
  const family = useFamily(patientId, can('read:family'));
  const create = useCreateConsent(patientId);
  const today = todayIn(program?.timeZone);

  const [templateKey, setTemplateKey] = useState<string | null>(replacing?.template ?? null);
  const [language, setLanguage] = useState<Lang>(replacing?.language ?? patientLanguage);
  const r = replacing?.recipient;
  const [recipientKind, setRecipientKind] = useState<'organization' | 'individual'>(r?.kind === 'individual' ? 'individual' : 'organization');
  const [recipientName, setRecipientName] = useState(r && (r.kind === 'organization' || r.kind === 'individual') ? r.name : '');
  const [familyMemberId, setFamilyMemberId] = useState<string | null>(r?.kind === 'family-member' ? r.familyMemberId : null);
  const [purposes, setPurposes] = useState<PurposeT[]>(replacing?.purposes ?? []);
  const [dataClasses, setDataClasses] = useState<DataClassT[]>(replacing?.dataClasses ?? []);
  const [description, setDescription] = useState(replacing?.dataDescription ?? '');
  const e = replacing?.expiry;
  const [expiryKind, setExpiryKind] = useState<ExpiryKind | null>(e?.kind ?? null);
  const [expiryOn, setExpiryOn] = useState(e?.kind === 'date' ? e.on : '');
  const [expiryText, setExpiryText] = useState(e?.kind === 'condition' ? e.text : '');
  const [signing, setSigning] = useState<'paper' | 'patient' | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [signerName, setSignerName] = useState(patientName);
  const [signedOn, setSignedOn] = useState(today);
  const [form, setForm] = useState<HTMLFormElement | null>(null);

  const template = templates?.items.find((x) => x.key === templateKey);
  const lang = i18n.language.startsWith('es') ? 'es' : 'en';

  const chooseTemplate = (key: string) => {
    const next = templates?.items.find((x) => x.key === key);
    setTemplateKey(key);
    if (!next) return;
    setPurposes([...next.purposes]);
    setDataClasses([...next.dataClasses]);
    setDescription(next.dataDescription[language]);
    setExpiryKind(next.expiryKind);
    if (next.recipientKinds.includes('individual') && !next.recipientKinds.includes('organization')) setRecipientKind('individual');
    else setRecipientKind('organization');
  };
  const chooseLanguage = (l: Lang) => {
    // the template's words follow the language, unless staff wrote their own
    if (template && description === template.dataDescription[language]) setDescription(template.dataDescription[l]);
    setLanguage(l);
  };

  const expiryKinds: ExpiryKind[] = template?.recipientKinds.includes('tpo-designation') ? ['none', 'date', 'end-of-treatment', 'condition'] : ['date', 'end-of-treatment', 'condition'];
  const err = (field: string) => fieldError(create.error, field);
  // a use case's problems with fields the form has no place for (the schema's, with a reason, are in the alert)
  const unplaced = isApiError(create.error) ? create.error.problems.filter((p) => !p.reason && !FIELDS.includes(p.field.replace(/^body\./, ''))) : [];

  const recipient = (): ConsentCreateT['recipient'] | null => {
    if (!template) return null;
    if (template.recipientKinds.includes('tpo-designation')) return { kind: 'tpo-designation' };
    if (template.recipientKinds.includes('family-member')) return familyMemberId ? { kind: 'family-member', familyMemberId } : null;
    return { kind: recipientKind, name: recipientName };
  };

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setFileError(null);
    const rec = recipient();
    if (!template || !rec || !expiryKind || !signing) return;
    let paper: ConsentCreateT['paper'];
    if (signing === 'paper') {
      if (!file) return setFileError(t('consent.form.scanMissing'));
      if (!SCAN_TYPES.includes(file.type as ScanType)) return setFileError(t('consent.form.scanType'));
      if (file.size > MAX_SCAN_BYTES) return setFileError(t('consent.form.scanTooBig'));
      paper = { signerName, signedOn, scan: { contentType: file.type as ScanType, base64: await readBase64(file) } };
    }
    const expiry: ExpiryT = expiryKind === 'date' ? { kind: 'date', on: expiryOn } : expiryKind === 'condition' ? { kind: 'condition', text: expiryText } : { kind: expiryKind };
    try {
      const made = await create.mutateAsync({
        template: template.key,
        language,
        recipient: rec,
        purposes,
        dataClasses,
        dataDescription: description,
        expiry,
        ...(replacing ? { supersedesId: replacing.id } : {}),
        ...(paper ? { paper } : {}),
      });
      notifications.show({ color: 'teal', message: made.status === 'active' ? t('consent.form.savedActive') : t('consent.form.savedAwaiting') });
      onClose();
    } catch {
      requestAnimationFrame(() => focusFirstError(form));
    }
  };

  const missing = !template || !recipient() || !expiryKind || !signing || purposes.length === 0 || dataClasses.length === 0 || (signing === 'paper' && !file);

  return (
    <form ref={setForm} onSubmit={(ev) => void submit(ev)} noValidate aria-label={t('consent.form.title')} data-testid="consent-form">
      <Stack>
        {replacing ? (
          <Alert color="blue" variant="light" icon={<span aria-hidden="true">i</span>}>
            {t('consent.form.replacing', { title: replacing.title })}
          </Alert>
        ) : null}
        <ErrorAlert error={words.templates.error} />
        <Radio.Group label={t('consent.form.template')} value={templateKey} onChange={chooseTemplate} required error={err('template')}>
          <Stack gap="xs" mt={4}>
            {templates?.items.map((x) => (
              <Radio key={x.key} value={x.key} label={x.title[lang]} description={x.description} disabled={!!replacing && replacing.template !== x.key} />
            ))}
          </Stack>
        </Radio.Group>

        {template ? (
          <>
            <Part title={t('consent.form.recipient')}>
              <RecipientFields
                template={template}
                patientId={patientId}
                family={family.data?.items ?? []}
                familyMemberId={familyMemberId}
                setFamilyMemberId={setFamilyMemberId}
                recipientKind={recipientKind}
                setRecipientKind={setRecipientKind}
                recipientName={recipientName}
                setRecipientName={setRecipientName}
                error={err('recipient.kind') ?? err('recipient.familyMemberId') ?? err('recipient.name') ?? err('recipient')}
              />
            </Part>

            <Checkbox.Group label={t('consent.form.purposes')} value={purposes} onChange={(v) => setPurposes(template.purposes.filter((p) => v.includes(p)))} required error={err('purposes')}>
              <Stack gap={4} mt={4}>
                {template.purposes.map((p) => (
                  <Checkbox key={p} value={p} label={words.purpose(p)} />
                ))}
              </Stack>
            </Checkbox.Group>

            <Checkbox.Group
              label={t('consent.form.dataClasses')}
              description={t('consent.form.dataClassesHint')}
              value={dataClasses}
              onChange={(v) => setDataClasses((templates?.dataClasses ?? []).map((d) => d.key).filter((d) => v.includes(d)))}
              required
              error={err('dataClasses')}
            >
              <Stack gap={4} mt={4}>
                {templates?.dataClasses.map((d) => (
                  <Checkbox key={d.key} value={d.key} label={d.en} />
                ))}
              </Stack>
            </Checkbox.Group>

            <SegmentedControl
              value={language}
              onChange={(v) => chooseLanguage(v as Lang)}
              aria-label={t('consent.form.language')}
              data={(['en', 'es'] as const).map((l) => ({ value: l, label: t('consent.form.languageOption', { language: t(`languages.${l}`) }) }))}
            />
            <Textarea
              label={t('consent.form.description')}
              description={t('consent.form.descriptionHint', { language: t(`languages.${language}`) })}
              lang={language}
              required
              autosize
              minRows={2}
              maxLength={500}
              value={description}
              onChange={(ev) => setDescription(ev.currentTarget.value)}
              error={err('dataDescription')}
            />

            <Radio.Group label={t('consent.form.expiry')} value={expiryKind} onChange={(v) => setExpiryKind(v as ExpiryKind)} required error={err('expiry') ?? err('expiry.kind')}>
              <Stack gap={4} mt={4}>
                {expiryKinds.map((k) => (
                  <Radio key={k} value={k} label={t(`consent.expiry.${k}`)} />
                ))}
              </Stack>
            </Radio.Group>
            {expiryKind === 'date' ? (
              <TextInput type="date" label={t('consent.form.expiryOn')} min={today} required value={expiryOn} onChange={(ev) => setExpiryOn(ev.currentTarget.value)} error={err('expiry.on')} />
            ) : null}
            {expiryKind === 'condition' ? (
              <TextInput
                label={t('consent.form.expiryText')}
                description={t('consent.form.expiryTextHint')}
                required
                maxLength={280}
                value={expiryText}
                onChange={(ev) => setExpiryText(ev.currentTarget.value)}
                error={err('expiry.text')}
              />
            ) : null}

            <Radio.Group label={t('consent.form.signing')} value={signing} onChange={(v) => setSigning(v as 'paper' | 'patient')} required>
              <Stack gap={4} mt={4}>
                <Radio value="paper" label={t('consent.form.signPaper')} />
                <Radio value="patient" label={t('consent.form.signPatient')} description={t('consent.form.signPatientHint')} />
              </Stack>
            </Radio.Group>
            {signing === 'paper' ? (
              <Paper withBorder p="sm">
                <Stack gap="sm">
                  <FileInput
                    label={t('consent.form.scan')}
                    description={t('consent.form.scanHint')}
                    accept={SCAN_TYPES.join(',')}
                    required
                    clearable
                    value={file}
                    onChange={(f) => {
                      setFile(f);
                      setFileError(null);
                    }}
                    error={fileError ?? err('paper.scan') ?? err('paper.scan.base64') ?? err('paper.scan.contentType')}
                    data-testid="consent-scan-input"
                  />
                  <Group grow align="flex-start">
                    <TextInput
                      label={t('consent.form.signerName')}
                      required
                      maxLength={160}
                      value={signerName}
                      onChange={(ev) => setSignerName(ev.currentTarget.value)}
                      error={err('paper.signerName')}
                    />
                    <TextInput
                      type="date"
                      label={t('consent.form.signedOn')}
                      max={today}
                      required
                      value={signedOn}
                      onChange={(ev) => setSignedOn(ev.currentTarget.value)}
                      error={err('paper.signedOn')}
                    />
                  </Group>
                </Stack>
              </Paper>
            ) : null}
            {signing === 'patient' ? <Text size="sm">{t('consent.form.signPatientNext')}</Text> : null}
          </>
        ) : null}

        <ErrorAlert error={create.error} />
        {unplaced.length > 0 ? (
          <List size="sm" c="red.8">
            {unplaced.map((p) => (
              <List.Item key={`${p.field}:${p.message}`}>{`${p.field.replace(/^body\./, '')}: ${p.message}`}</List.Item>
            ))}
          </List>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending} disabled={missing}>
            {signing === 'patient' ? t('consent.form.submitAwaiting') : t('consent.form.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Part({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap={4}>
      <Title order={3} size="h6">
        {title}
      </Title>
      {children}
    </Stack>
  );
}

function RecipientFields(p: {
  template: TemplateT;
  patientId: string;
  family: Array<{ id: string; displayName: string; relationship: RelationshipT }>;
  familyMemberId: string | null;
  setFamilyMemberId: (id: string | null) => void;
  recipientKind: 'organization' | 'individual';
  setRecipientKind: (k: 'organization' | 'individual') => void;
  recipientName: string;
  setRecipientName: (s: string) => void;
  error: string | undefined;
}) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [adding, setAdding] = useState(false);
  const kinds = p.template.recipientKinds;
  if (kinds.includes('tpo-designation'))
    return (
      <Text size="sm" data-testid="consent-recipient-tpo">
        {t('consent.recipient.tpo')}
      </Text>
    );
  if (kinds.includes('family-member'))
    return (
      <Stack gap="xs">
        <Select
          label={t('consent.form.familyMember')}
          placeholder={p.family.length === 0 ? t('consent.form.noFamily') : undefined}
          data={p.family.map((m) => ({ value: m.id, label: `${m.displayName} (${t(`consent.relationships.${m.relationship}`)})` }))}
          value={p.familyMemberId}
          onChange={p.setFamilyMemberId}
          required
          error={p.error}
        />
        {can('write:family') && !adding ? (
          <Group>
            <Button size="xs" variant="subtle" onClick={() => setAdding(true)}>
              {t('consent.family.addInline')}
            </Button>
          </Group>
        ) : null}
        {adding ? (
          <AddFamilyMemberFields
            patientId={p.patientId}
            onAdded={(id) => {
              p.setFamilyMemberId(id);
              setAdding(false);
            }}
            onCancel={() => setAdding(false)}
          />
        ) : null}
      </Stack>
    );
  const both = kinds.includes('organization') && kinds.includes('individual');
  return (
    <Stack gap="xs">
      {both ? (
        <SegmentedControl
          value={p.recipientKind}
          onChange={(v) => p.setRecipientKind(v as 'organization' | 'individual')}
          aria-label={t('consent.form.recipientKind')}
          data={(['organization', 'individual'] as const).map((k) => ({ value: k, label: t(`consent.recipient.${k}`) }))}
        />
      ) : null}
      <TextInput
        label={p.recipientKind === 'organization' ? t('consent.form.organizationName') : t('consent.form.individualName')}
        required
        maxLength={160}
        value={p.recipientName}
        onChange={(ev) => p.setRecipientName(ev.currentTarget.value)}
        error={p.error}
      />
    </Stack>
  );
}

/** Adding a family member or friend: name, relationship, an optional phone and their language. Used inline in the consent form and from the family list. */
export function AddFamilyMemberFields({ patientId, onAdded, onCancel }: { patientId: string; onAdded: (id: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const add = useAddFamilyMember(patientId);
  const family = useFamily(patientId);
  const [name, setName] = useState('');
  const [relationship, setRelationship] = useState<RelationshipT | null>(null);
  const [phone, setPhone] = useState('');
  const [language, setLanguage] = useState<Lang>('en');
  const relationships = useMemo(() => RELATIONSHIPS.map((r) => ({ value: r, label: t(`consent.relationships.${r}`) })), [t]);

  const save = async () => {
    if (!relationship) return;
    const before = new Set(family.data?.items.map((m) => m.id) ?? []);
    const list = await add.mutateAsync({ displayName: name, relationship, language, ...(phone.trim() ? { phone: phone.trim() } : {}) });
    // the new member: the newest link (the list answers every member)
    const added = [...list.items].filter((m) => !before.has(m.id)).sort((a, b) => b.linkedAt.localeCompare(a.linkedAt))[0];
    notifications.show({ color: 'teal', message: t('consent.family.added', { name }) });
    if (added) onAdded(added.id);
  };

  // A fieldset rather than a nested form (it sits inside the consent form).
  return (
    <Paper withBorder p="sm" component="fieldset" data-testid="family-add">
      <legend>{t('consent.family.addTitle')}</legend>
      <Stack gap="xs">
        <Group grow align="flex-start">
          <TextInput label={t('consent.family.name')} required maxLength={160} value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(add.error, 'displayName')} />
          <Select
            label={t('consent.family.relationship')}
            data={relationships}
            value={relationship}
            onChange={(v) => setRelationship(v as RelationshipT | null)}
            required
            error={fieldError(add.error, 'relationship')}
          />
        </Group>
        <Group grow align="flex-start">
          <TextInput
            label={t('consent.family.phone')}
            description={t('consent.family.phoneHint')}
            type="tel"
            maxLength={40}
            value={phone}
            onChange={(e) => setPhone(e.currentTarget.value)}
            error={fieldError(add.error, 'phone')}
          />
          <Select
            label={t('consent.family.language')}
            data={(['en', 'es'] as const).map((l) => ({ value: l, label: t(`languages.${l}`) }))}
            value={language}
            onChange={(v) => setLanguage((v as Lang | null) ?? 'en')}
            allowDeselect={false}
          />
        </Group>
        <ErrorAlert error={add.error && !fieldError(add.error, 'displayName') && !fieldError(add.error, 'phone') ? add.error : null} />
        <Group>
          <Button size="xs" onClick={() => void save().catch(() => undefined)} loading={add.isPending} disabled={!name.trim() || !relationship}>
            {t('consent.family.addSubmit')}
          </Button>
          <Button size="xs" variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
