// The funders' monthly report (issue 17, docs/outcomes.md "The funders' monthly report"): pick a
// month (default the last full one) and a language, and download the PDF the server makes —
// census, retention, negative screens, counts 1–10 shown as <11. The download is fetched with
// the session and saved as a file; the server writes the audit row.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Card, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { lastFullMonth, MONTH_PATTERN } from '../../../../core/outcomes/report.ts';
import { REPORT_LANGS } from '../../../../contracts/outcomes-report.ts';
import { useErrorText } from '../../components/forms.tsx';
import { todayIn } from '../../format.ts';
import { saveFile } from './parts.tsx';
import { funderReportPdf, type ReportLangT } from '../../queries/outcomes.ts';
import { useSession } from '../../session.tsx';

export function FunderReportSection() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { program } = useSession();
  const today = todayIn(program?.timeZone);
  const [month, setMonth] = useState(lastFullMonth(today));
  const [lang, setLang] = useState<ReportLangT>('en');
  const [busy, setBusy] = useState(false);
  const valid = MONTH_PATTERN.test(month) && month <= today.slice(0, 7);
  const download = async () => {
    setBusy(true);
    try {
      const blob = await funderReportPdf(month, lang);
      saveFile(`funder-report-${month}-${lang}.pdf`, blob);
    } catch (err) {
      notifications.show({ color: 'red', title: t('errors.title'), message: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder component="section" aria-labelledby="funder-report-heading" data-testid="funder-report">
      <Stack gap="sm">
        <Title order={2} size="h3" id="funder-report-heading">
          {t('outcomes.report.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('outcomes.report.explain')}
        </Text>
        <Group align="flex-end" wrap="wrap">
          <TextInput
            type="month"
            label={t('outcomes.report.month')}
            value={month}
            max={today.slice(0, 7)}
            onChange={(e) => setMonth(e.currentTarget.value)}
            error={valid ? undefined : t('outcomes.report.monthInvalid')}
            data-testid="funder-report-month"
          />
          <NativeSelect
            label={t('outcomes.report.language')}
            value={lang}
            onChange={(e) => setLang(e.currentTarget.value as ReportLangT)}
            data={REPORT_LANGS.map((l) => ({ value: l, label: t(`outcomes.report.languages.${l}`) }))}
            data-testid="funder-report-lang"
          />
          <Button onClick={() => void download()} loading={busy} disabled={!valid} data-testid="funder-report-download">
            {t('outcomes.report.download')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
