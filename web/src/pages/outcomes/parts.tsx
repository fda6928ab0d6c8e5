// What the Outcomes page's sections share: saving a file, the CSV of a table's rows, a figure
// with its label and counts, a card's heading with its CSV button, and a cohort's name.
import { Button, Card, Group, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NO_CM } from '../../../../core/outcomes/dashboard.ts';
import type { CohortT } from '../../queries/outcomes.ts';

/** Saves a file made in the browser or fetched from the server. */
export function saveFile(filename: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves CSV text as a file. */
export const saveCsv = (filename: string, text: string) => saveFile(filename, new Blob([text], { type: 'text/csv;charset=utf-8' }));

/** One CSV cell: quoted when it holds a comma, a quote or a line break. */
const cell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Saves rows as a CSV file (made here, from the table's own rows). */
export function downloadCsv(filename: string, header: string[], rows: (string | number | null)[][]) {
  saveCsv(filename, [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n');
}

/** A number to one decimal (a percentage as shown); null stays null. */
export const oneDecimal = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

/** One figure: its label, the value, and the counts behind it. */
export function Figure({ label, value, detail, testId }: { label: string; value: string | number; detail?: string; testId?: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={24} fw={700} data-testid={testId}>
        {value}
      </Text>
      {detail ? (
        <Text size="xs" c="dimmed">
          {detail}
        </Text>
      ) : null}
    </Card>
  );
}

/** A card's heading with the button that downloads its table as CSV. */
export function CardHeading({ id, title, onCsv, csvTestId, disabled, order = 3 }: { id: string; title: string; onCsv: () => void; csvTestId: string; disabled?: boolean; order?: 2 | 3 }) {
  const { t } = useTranslation();
  return (
    <Group justify="space-between">
      <Title order={order} size={order === 2 ? 'h3' : 'h4'} id={id}>
        {title}
      </Title>
      <Button size="xs" variant="light" onClick={onCsv} disabled={disabled} data-testid={csvTestId}>
        {t('outcomes.downloadCsv')}
      </Button>
    </Group>
  );
}

/** A cohort's name as the page shows it. */
export function useCohortName() {
  const { t, i18n } = useTranslation();
  return (cohort: CohortT, key: string) =>
    cohort === 'all'
      ? t('outcomes.cohorts.everyone')
      : cohort === 'start-month'
        ? new Intl.DateTimeFormat(i18n.language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${key}-01T00:00:00Z`))
        : cohort === 'level-of-care'
          ? t(`episodes.levels.${key}`, { defaultValue: key })
          : cohort === 'medication'
            ? t(`outcomes.medications.${key}`, { defaultValue: key })
            : key === NO_CM
              ? t('outcomes.noCm')
              : key;
}
