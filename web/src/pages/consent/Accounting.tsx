// The accounting of disclosures (42 CFR §2.24) on the patient page: every disclosure of the last
// 3 years, newest first — when, to whom, what, why, on what basis (the consent, opened in the
// drawer, or the exception with its reason) and by whom — downloadable as CSV (fetched with the
// session) and printable (a page built here from the same list).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useSession } from '../../session.tsx';
import { formatDate, formatDateTime, todayIn } from '../../format.ts';
import { StatusBadge, TableHead } from '../../components/common.tsx';
import { ErrorAlert, useErrorText } from '../../components/forms.tsx';
import { fetchAccountingCsv, openBlob, saveBlob, useAccounting, type AccountingT, type DisclosureT } from './queries.ts';
import { useConsentWords } from './words.tsx';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function AccountingPart({ patientId, patientName, onOpenConsent }: { patientId: string; patientName: string; onOpenConsent: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const acc = useAccounting(patientId);
  const words = useConsentWords();
  const errorText = useErrorText();
  const [downloading, setDownloading] = useState(false);
  const when = (iso: string) => formatDateTime(iso, i18n.language, program?.timeZone);
  const a = acc.data;

  const basis = (d: DisclosureT) =>
    d.consentId ? t('consent.accounting.consent') : t('consent.accounting.exception', { exception: t(`consent.exceptions.${d.exception ?? 'medical-emergency'}`), reason: d.reason ?? '' });

  const download = async () => {
    setDownloading(true);
    try {
      saveBlob(await fetchAccountingCsv(patientId), `disclosures-${todayIn(program?.timeZone)}.csv`);
    } catch (err) {
      notifications.show({ color: 'red', title: t('errors.title'), message: errorText(err) });
    } finally {
      setDownloading(false);
    }
  };

  const print = (acct: AccountingT) => {
    const rows = acct.items
      .map(
        (d) =>
          `<tr><td>${esc(when(d.at))}</td><td>${esc(d.recipient.name)}</td><td>${esc(t(`consent.channels.${d.channel}`))}</td><td>${esc(words.dataClasses(d.dataClasses))}</td><td>${esc(
            d.purpose ? words.purpose(d.purpose) : '',
          )}</td><td>${esc(basis(d))}</td><td>${esc(d.by)}</td></tr>`,
      )
      .join('');
    const html = `<!doctype html><html lang="${esc(i18n.language)}"><head><meta charset="utf-8"><title>${esc(t('consent.accounting.printTitle'))}</title>
<style>body{font:11pt/1.4 system-ui,sans-serif;margin:1.5cm;color:#000}h1{font-size:16pt}table{width:100%;border-collapse:collapse}th,td{border:1px solid #999;padding:4px;text-align:left;vertical-align:top}</style></head><body>
<h1>${esc(t('consent.accounting.printTitle'))}</h1>
<p>${esc(t('consent.accounting.printFor', { name: patientName, program: program?.name ?? '', from: formatDate(acct.from, i18n.language), to: formatDate(acct.to, i18n.language) }))}</p>
${
  acct.items.length === 0
    ? `<p>${esc(t('consent.accounting.none'))}</p>`
    : `<table><thead><tr>${[
        t('consent.accounting.date'),
        t('consent.accounting.recipient'),
        t('consent.accounting.how'),
        t('consent.accounting.what'),
        t('consent.accounting.purpose'),
        t('consent.accounting.basis'),
        t('consent.accounting.by'),
      ]
        .map((h) => `<th scope="col">${esc(h)}</th>`)
        .join('')}</tr></thead><tbody>${rows}</tbody></table>`
}
</body></html>`;
    openBlob(new Blob([html], { type: 'text/html;charset=utf-8' }));
  };

  return (
    <Stack gap="xs" data-testid="consent-accounting">
      <Group justify="space-between">
        <Title order={3} size="h5">
          {t('consent.accounting.title')}
        </Title>
        {a ? (
          <Group gap="xs">
            <Button size="xs" variant="default" onClick={() => void download()} loading={downloading}>
              {t('consent.accounting.csv')}
            </Button>
            <Button size="xs" variant="default" onClick={() => print(a)}>
              {t('consent.accounting.print')}
            </Button>
          </Group>
        ) : null}
      </Group>
      <ErrorAlert error={acc.error} />
      {a ? (
        <Text size="sm" c="dimmed">
          {t('consent.accounting.range', { from: formatDate(a.from, i18n.language), to: formatDate(a.to, i18n.language) })}
        </Text>
      ) : null}
      {a && a.items.length === 0 ? <Text size="sm">{t('consent.accounting.none')}</Text> : null}
      {a && a.items.length > 0 ? (
        // a region of its own that takes focus: a row under an exception has no link, and a narrow card scrolls the table
        <div tabIndex={0} role="region" aria-label={t('consent.accounting.title')} style={{ overflowX: 'auto' }}>
          <Table verticalSpacing="xs" miw={480} data-testid="accounting-table">
            <TableHead labels={[t('consent.accounting.dateAndBy'), t('consent.accounting.recipient'), t('consent.accounting.what'), t('consent.accounting.purposeAndBasis')]} />
            <Table.Tbody>
              {a.items.map((d) => (
                <Table.Tr key={d.id} data-testid="accounting-row">
                  <Table.Td>
                    {when(d.at)}
                    <Text size="xs" c="dimmed">
                      {d.by}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {d.recipient.name}
                    <Text size="xs" c="dimmed">
                      {t(`consent.channels.${d.channel}`)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{words.dataClasses(d.dataClasses)}</Table.Td>
                  <Table.Td>
                    {d.purpose ? <Text size="sm">{words.purpose(d.purpose)}</Text> : null}
                    {d.consentId ? (
                      <Anchor component="button" type="button" size="sm" onClick={() => onOpenConsent(d.consentId!)}>
                        {t('consent.accounting.consent')}
                      </Anchor>
                    ) : (
                      <Stack gap={2}>
                        <div style={{ width: 'max-content', maxWidth: '100%' }}>
                          <StatusBadge tone="warn">{t(`consent.exceptions.${d.exception ?? 'medical-emergency'}`)}</StatusBadge>
                        </div>
                        <Text size="sm">{d.reason}</Text>
                      </Stack>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      ) : null}
    </Stack>
  );
}
