// The de-identified research export (issue 17, docs/outcomes.md "The de-identified research
// export"): for the period chosen on the page, the administrator names who receives it and the
// study, then makes it; the result says how many rows, the k check (smallest group of rows
// sharing age band, sex, level of care, medication and year) and how many rows were generalised
// or suppressed, with the export and its data dictionary to download. Making it records a
// disclosure for every patient included (research exception); only export:research sees the form.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Card, Group, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { WhoCanSee } from '../../components/common.tsx';
import { ErrorAlert, fieldError } from '../../components/forms.tsx';
import { formatDate } from '../../format.ts';
import { useSession } from '../../session.tsx';
import { Figure, saveCsv } from './parts.tsx';
import { useMakeResearchExport, type ResearchExportT } from '../../queries/outcomes-research.ts';

export function ResearchExportSection({ from, to }: { from: string; to: string }) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const make = useMakeResearchExport();
  const [recipient, setRecipient] = useState('');
  const [purpose, setPurpose] = useState('');
  if (!can('export:research')) return null;
  const result: ResearchExportT | undefined = make.data;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    make.mutate({ from, to, recipient: recipient.trim(), purpose: purpose.trim() });
  };
  return (
    <Card withBorder component="section" aria-labelledby="research-heading" data-testid="research-export">
      <Stack gap="sm">
        <Title order={2} size="h3" id="research-heading">
          {t('outcomes.research.title')}
        </Title>
        <WhoCanSee permission="export:research" />
        <Text size="sm" c="dimmed">
          {t('outcomes.research.explain')}
        </Text>
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Text size="sm">{t('outcomes.research.period', { from: formatDate(from, i18n.language), to: formatDate(to, i18n.language) })}</Text>
            <TextInput
              label={t('outcomes.research.recipient')}
              description={t('outcomes.research.recipientHint')}
              value={recipient}
              onChange={(e) => setRecipient(e.currentTarget.value)}
              error={fieldError(make.error, 'recipient')}
              required
              data-testid="research-recipient"
            />
            <Textarea
              label={t('outcomes.research.purpose')}
              description={t('outcomes.research.purposeHint')}
              value={purpose}
              onChange={(e) => setPurpose(e.currentTarget.value)}
              error={fieldError(make.error, 'purpose')}
              autosize
              minRows={2}
              required
              data-testid="research-purpose"
            />
            <Text size="sm">{t('outcomes.research.disclosureNote')}</Text>
            <Group>
              <Button type="submit" loading={make.isPending} data-testid="research-make">
                {t('outcomes.research.make')}
              </Button>
            </Group>
          </Stack>
        </form>
        <ErrorAlert error={make.error} />
        {result ? (
          <Stack gap="sm" data-testid="research-result" aria-live="polite">
            <Text size="sm" fw={600}>
              {t('outcomes.research.made', { rows: result.rows, disclosures: result.disclosures })}
            </Text>
            <SimpleGrid cols={{ base: 2, sm: 4 }}>
              <Figure label={t('outcomes.research.rows')} value={result.rows} testId="research-rows" />
              <Figure label={t('outcomes.research.k')} value={result.k} testId="research-k" />
              <Figure label={t('outcomes.research.smallestClass')} value={result.smallestClass === 0 ? t('outcomes.research.noneReleased') : result.smallestClass} testId="research-smallest" />
              <Figure label={t('outcomes.research.suppressed')} value={result.suppressedRows} detail={t('outcomes.research.generalised', { n: result.generalisedRows })} testId="research-suppressed" />
            </SimpleGrid>
            <Text size="xs" c="dimmed">
              {t('outcomes.research.checkExplain', { k: result.k })}
            </Text>
            <Group>
              <Button variant="light" onClick={() => saveCsv(`research-export-${result.from}-${result.to}.csv`, result.csv)} data-testid="research-download-export">
                {t('outcomes.research.downloadExport')}
              </Button>
              <Button variant="light" onClick={() => saveCsv(`research-dictionary-${result.from}-${result.to}.csv`, result.dictionaryCsv)} data-testid="research-download-dictionary">
                {t('outcomes.research.downloadDictionary')}
              </Button>
            </Group>
          </Stack>
        ) : null}
      </Stack>
    </Card>
  );
}
