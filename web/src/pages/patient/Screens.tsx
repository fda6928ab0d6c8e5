// A patient's drug and alcohol screens over time (every screen, in CM or not), with the
// results in effect after laboratory corrections: a results grid by substance (rows) and
// date (columns), each cell a symbol with its meaning in words for screen readers (never
// colour alone), and the same data as a plain text table.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import type { ScreenT } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { TableHead } from '../../components/common.tsx';
import { ErrorAlert } from '../../components/forms.tsx';
import { Section } from '../../components/Section.tsx';
import { usePatientScreens } from '../../queries/screens.ts';
import { ANALYTES, ANALYTE_INFO } from '../cm/shared.tsx';

type Result = ScreenT['results'][number];
type Mark = 'positive' | 'negative' | 'inconclusive' | 'prescribed' | 'none';

/** Symbols and colours of a result (colour is never the only sign: the symbol and words carry it). */
export const MARK: Record<Mark, { symbol: string; bg: string; fg: string }> = {
  positive: { symbol: '+', bg: '#ffe3e3', fg: '#7d1a1a' },
  negative: { symbol: '−', bg: '#e6fcf5', fg: '#0b4d3c' },
  inconclusive: { symbol: '?', bg: '#fff3bf', fg: '#5c4300' },
  prescribed: { symbol: 'Rx', bg: '#e7f5ff', fg: '#123d63' },
  none: { symbol: '·', bg: 'transparent', fg: '#495057' },
};
const CORRECTED = '✎';
const GROUP_ORDER: readonly Mark[] = ['positive', 'inconclusive', 'prescribed', 'negative', 'none'];
const INVALID = '!';

/** A result as a mark: a positive for a medication the patient is prescribed is adherence ("Rx"), not use. */
export function markOf(r: Result | undefined): Mark {
  if (!r) return 'none';
  if (r.result === 'positive') return r.prescribed ? 'prescribed' : 'positive';
  if (r.result === 'negative') return 'negative';
  return 'inconclusive';
}

export function ScreensTab({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const screens = usePatientScreens(patientId);
  const [view, setView] = useState<'grid' | 'table'>('grid');
  const items = screens.data?.items ?? [];
  return (
    <Stack data-testid="screens-tab">
      <Section
        title={t('screens.title')}
        permission="read:cm"
        testId="screens"
        actions={
          <SegmentedControl
            size="xs"
            aria-label={t('screens.view')}
            value={view}
            onChange={(v) => setView(v as 'grid' | 'table')}
            data={[
              { value: 'grid', label: t('screens.asGrid') },
              { value: 'table', label: t('screens.asTable') },
            ]}
          />
        }
      >
        <Text size="sm">{t('screens.intro')}</Text>
        <ErrorAlert error={screens.error} />
        {screens.isPending ? <Text c="dimmed">{t('common.loading')}</Text> : null}
        {screens.data && items.length === 0 ? <Text c="dimmed">{t('screens.none')}</Text> : null}
        {items.length > 0 ? view === 'grid' ? <ResultsGrid items={items} /> : <ScreensTable items={items} /> : null}
      </Section>
    </Stack>
  );
}

/** Words for one result, as a screen reader reads a grid cell or the text table lists it. */
function useResultWords() {
  const { t } = useTranslation();
  return (r: Result | undefined, screen: ScreenT) => {
    const parts = [t(`screens.marks.${markOf(r)}`)];
    if (r?.correctedBy) parts.push(t('screens.corrected'));
    if (r && !screen.valid) parts.push(t('screens.invalidCounts'));
    return parts.join(', ');
  };
}

function useColumnWords() {
  const { t, i18n } = useTranslation();
  return (s: ScreenT) =>
    [
      formatDate(s.collectedOn, i18n.language),
      t(`screens.matrix.${s.matrix}`, { defaultValue: s.matrix }),
      t(`screens.method.${s.method}`, { defaultValue: s.method }),
      s.valid ? '' : t('screens.notValid'),
    ]
      .filter(Boolean)
      .join(', ');
}

function analytesOf(items: readonly ScreenT[]): string[] {
  const seen = new Set(items.flatMap((s) => s.results.map((r) => r.analyte)));
  // the known order first (opioids, stimulants, …), anything else after
  return [...ANALYTES.filter((a) => seen.has(a)), ...[...seen].filter((a) => !(ANALYTES as readonly string[]).includes(a)).sort()];
}

function ResultsGrid({ items }: { items: readonly ScreenT[] }) {
  const { t, i18n } = useTranslation();
  const words = useResultWords();
  const columnWords = useColumnWords();
  // oldest on the left, newest on the right: time runs the way it is read
  const columns = [...items].reverse();
  const analytes = analytesOf(items);
  // the year on the first column and wherever it changes
  const short = (d: string, i: number) =>
    new Intl.DateTimeFormat(i18n.language, {
      month: 'short',
      day: 'numeric',
      ...(i === 0 || columns[i - 1]!.collectedOn.slice(0, 4) !== d.slice(0, 4) ? { year: 'numeric' } : {}),
      timeZone: 'UTC',
    }).format(new Date(`${d}T00:00:00Z`));
  const name = (a: string) => t(`analytes.${a}`, { defaultValue: ANALYTE_INFO[a as keyof typeof ANALYTE_INFO]?.display ?? a });
  return (
    <Stack gap="xs">
      <div className="screens-grid-scroll" tabIndex={0} role="region" aria-labelledby="screens-grid-caption">
        <table className="screens-grid" data-testid="screens-grid">
          <caption id="screens-grid-caption">{t('screens.gridCaption', { count: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col" className="screens-analyte">
                {t('screens.substance')}
              </th>
              {columns.map((s, i) => (
                <th scope="col" key={s.id} data-screen={s.id} data-valid={s.valid ? 'true' : 'false'} className={s.valid ? undefined : 'screens-invalid'}>
                  <span aria-hidden="true">
                    {short(s.collectedOn, i)}
                    <br />
                    <span className="screens-sub">
                      {t(`screens.matrixShort.${s.matrix}`, { defaultValue: s.matrix })}
                      {s.method === 'confirmatory' ? ` · ${t('screens.labShort')}` : ''}
                    </span>
                    {s.valid ? null : (
                      <>
                        <br />
                        <span className="screens-flag">
                          {INVALID} {t('screens.notValidShort')}
                        </span>
                      </>
                    )}
                  </span>
                  <span className="sr-only">{columnWords(s)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {analytes.map((a) => (
              <tr key={a} data-analyte={a}>
                <th scope="row" className="screens-analyte">
                  {name(a)}
                </th>
                {columns.map((s) => {
                  const r = s.results.find((x) => x.analyte === a);
                  const mark = markOf(r);
                  const m = MARK[mark];
                  return (
                    <td
                      key={s.id}
                      data-screen={s.id}
                      data-mark={mark}
                      data-corrected={r?.correctedBy ? 'true' : undefined}
                      className={s.valid ? undefined : 'screens-invalid'}
                      style={{ background: s.valid ? m.bg : undefined, color: m.fg }}
                    >
                      <span aria-hidden="true" className="screens-symbol">
                        {m.symbol}
                        {r?.correctedBy ? <sup>{CORRECTED}</sup> : null}
                      </span>
                      <span className="sr-only">{words(r, s)}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Group gap="sm" role="list" aria-label={t('screens.legend')} data-testid="screens-legend">
        {(['positive', 'negative', 'inconclusive', 'prescribed'] as const).map((k) => (
          <Group key={k} gap={4} role="listitem">
            <span className="screens-key" aria-hidden="true" style={{ background: MARK[k].bg, color: MARK[k].fg }}>
              {MARK[k].symbol}
            </span>
            <Text size="xs">{t(`screens.marks.${k}`)}</Text>
          </Group>
        ))}
        <Group gap={4} role="listitem">
          <span className="screens-key" aria-hidden="true">
            {CORRECTED}
          </span>
          <Text size="xs">{t('screens.correctedLegend')}</Text>
        </Group>
        <Group gap={4} role="listitem">
          <span className="screens-key screens-invalid" aria-hidden="true">
            {INVALID}
          </span>
          <Text size="xs">{t('screens.invalidLegend')}</Text>
        </Group>
        <Group gap={4} role="listitem">
          <span className="screens-key" aria-hidden="true">
            {MARK.none.symbol}
          </span>
          <Text size="xs">{t('screens.marks.none')}</Text>
        </Group>
      </Group>
    </Stack>
  );
}

function ScreensTable({ items }: { items: readonly ScreenT[] }) {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const words = useResultWords();
  const name = (a: string) => t(`analytes.${a}`, { defaultValue: ANALYTE_INFO[a as keyof typeof ANALYTE_INFO]?.display ?? a });
  // one line per kind of result, what matters first: "Negative: Opiates, Fentanyl, …"
  const groups = (s: ScreenT) => {
    const out = new Map<string, { mark: Mark; words: string; analytes: string[] }>();
    for (const a of analytesOf([s])) {
      const r = s.results.find((x) => x.analyte === a)!;
      const w = words(r, { ...s, valid: true });
      const g = out.get(w) ?? { mark: markOf(r), words: w, analytes: [] };
      g.analytes.push(a);
      out.set(w, g);
    }
    return [...out.values()].sort((x, y) => GROUP_ORDER.indexOf(x.mark) - GROUP_ORDER.indexOf(y.mark));
  };
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table data-testid="screens-table" verticalSpacing={4}>
        <Table.Caption>{t('screens.tableCaption')}</Table.Caption>
        <TableHead labels={[t('screens.collected'), t('screens.test'), t('screens.validity'), t('screens.results')]} />
        <Table.Tbody>
          {items.map((s) => (
            <Table.Tr key={s.id} data-screen={s.id}>
              <Table.Td>{formatDateTime(s.collectedAt, i18n.language, program?.timeZone)}</Table.Td>
              <Table.Td>
                {[t(`screens.matrix.${s.matrix}`, { defaultValue: s.matrix }), t(`screens.method.${s.method}`, { defaultValue: s.method }), s.observed ? t('screens.observed') : '']
                  .filter(Boolean)
                  .join(', ')}
              </Table.Td>
              <Table.Td>{s.valid ? t('screens.valid') : t('screens.notValidCounts')}</Table.Td>
              <Table.Td>
                <ul className="screens-results">
                  {groups(s).map((g) => (
                    <li key={g.words} data-mark={g.mark}>
                      {g.words}: {g.analytes.map(name).join(', ')}
                    </li>
                  ))}
                </ul>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
