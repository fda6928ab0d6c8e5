// "Privacy and sharing" on the patient page (42 CFR Part 2, issue 16): the patient notice
// (§2.22), the patient's consents (each opens in a drawer with its full text and actions), a
// new consent, family members and friends and what each may see, the accounting of
// disclosures, and sharing records with someone outside the programme. Mounted by the patient
// page for read:consent; each part shows only what the user's roles allow.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Anchor, Button, Divider, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useSession } from '../../session.tsx';
import { TableHead } from '../../components/common.tsx';
import { ErrorAlert } from '../../components/forms.tsx';
import { Section } from '../../components/Section.tsx';
import { AccountingPart } from './Accounting.tsx';
import { ConsentDrawer } from './ConsentDetail.tsx';
import { ConsentFormModal } from './ConsentForm.tsx';
import { FamilyPart } from './Family.tsx';
import { NoticePart } from './Notice.tsx';
import { ShareModal } from './Share.tsx';
import { useConsents, type ConsentT } from './queries.ts';
import { ConsentStatus, useConsentWords } from './words.tsx';

export type PrivacyCardProps = { patientId: string; patientName: string; patientLanguage: string };

export function PrivacyCard(props: PrivacyCardProps) {
  const { can } = useSession();
  return can('read:consent') ? <Inner {...props} /> : null;
}

function Inner({ patientId, patientName, patientLanguage }: PrivacyCardProps) {
  const { t } = useTranslation();
  const { can } = useSession();
  const lang = patientLanguage === 'es' ? 'es' : 'en';
  const [openConsent, setOpenConsent] = useState<string | null>(null);
  const [form, setForm] = useState<{ replacing: ConsentT | null } | null>(null);
  const [sharing, setSharing] = useState(false);

  return (
    <Section
      title={t('consent.card.title')}
      permission="read:consent"
      testId="privacy-card"
      actions={
        can('write:disclosure') ? (
          <Button size="xs" variant="light" onClick={() => setSharing(true)}>
            {t('consent.share.open')}
          </Button>
        ) : null
      }
    >
      <NoticePart patientId={patientId} patientLanguage={lang} />
      <Divider />
      <ConsentsPart patientId={patientId} onOpen={setOpenConsent} onNew={() => setForm({ replacing: null })} />
      {can('read:family') ? (
        <>
          <Divider />
          <FamilyPart patientId={patientId} />
        </>
      ) : null}
      <Divider />
      <AccountingPart patientId={patientId} patientName={patientName} onOpenConsent={setOpenConsent} />

      <ConsentDrawer
        patientId={patientId}
        consentId={openConsent}
        onClose={() => setOpenConsent(null)}
        onReplace={(c) => {
          setOpenConsent(null);
          setForm({ replacing: c });
        }}
      />
      <ConsentFormModal opened={!!form} onClose={() => setForm(null)} patientId={patientId} patientName={patientName} patientLanguage={lang} replacing={form?.replacing ?? null} />
      {can('write:disclosure') ? <ShareModal opened={sharing} onClose={() => setSharing(false)} patientId={patientId} /> : null}
    </Section>
  );
}

function ConsentsPart({ patientId, onOpen, onNew }: { patientId: string; onOpen: (id: string) => void; onNew: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const consents = useConsents(patientId);
  const words = useConsentWords();
  const items = consents.data?.items ?? [];
  return (
    <Stack gap="xs" data-testid="consent-list">
      <Group justify="space-between">
        <Title order={3} size="h5">
          {t('consent.list.title')}
        </Title>
        {can('write:consent') ? (
          <Button size="xs" variant="light" onClick={onNew}>
            {t('consent.list.new')}
          </Button>
        ) : null}
      </Group>
      <ErrorAlert error={consents.error} />
      {consents.data && items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('consent.list.none')}
        </Text>
      ) : null}
      {items.length > 0 ? (
        <Table.ScrollContainer minWidth={520}>
          <Table verticalSpacing="xs">
            <TableHead labels={[t('consent.list.consentAndRecipient'), t('consent.list.what'), t('consent.list.status'), t('consent.list.ends')]} />
            <Table.Tbody>
              {items.map((c) => (
                <Table.Tr key={c.id} data-testid="consent-row">
                  <Table.Td>
                    <Anchor component="button" type="button" size="sm" onClick={() => onOpen(c.id)} ta="left">
                      {c.title}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {words.recipient(c.recipient)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{words.dataClasses(c.dataClasses)}</Table.Td>
                  <Table.Td>
                    {/* as wide as the badge's words: a badge never shrinks to "A…" in a narrow card */}
                    <div style={{ width: 'max-content' }}>
                      <ConsentStatus status={c.status} />
                    </div>
                  </Table.Td>
                  <Table.Td>{words.expiry(c)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Stack>
  );
}
