// The outcomes page's charts, loaded on demand. Decorative for screen readers: the page shows
// the same numbers in a table under each chart. Nothing focusable inside (recharts' keyboard
// layer is switched off).
import '@mantine/charts/styles.css';
import { BarChart, LineChart } from '@mantine/charts';

const COLOURS = ['blue.8', 'teal.8', 'orange.8', 'grape.8', 'red.8', 'cyan.8', 'lime.9', 'pink.8'];

/** One step line per cohort: % still in treatment (0–100) by day since admission. */
export function RetentionChart({ data, series, dayLabel }: { data: Record<string, number | null>[]; series: string[]; dayLabel: string }) {
  return (
    <div aria-hidden="true" data-testid="retention-chart">
      <LineChart
        h={260}
        data={data}
        dataKey="day"
        series={series.map((name, i) => ({ name, color: COLOURS[i % COLOURS.length]! }))}
        curveType="stepAfter"
        connectNulls={false}
        xAxisProps={{ type: 'number', domain: [0, 'dataMax'], allowDecimals: false }}
        xAxisLabel={dayLabel}
        yAxisProps={{ domain: [0, 100] }}
        unit="%"
        withLegend={series.length > 1 || series[0] !== undefined}
        withTooltip={false}
        withDots={false}
        lineChartProps={{ accessibilityLayer: false }}
      />
    </div>
  );
}

/** % negative by week since admission, one line per convention. */
export function NegativeByWeekLines({
  data,
  missingPositive,
  missingExcluded,
  weekLabel,
}: {
  data: { week: number; mp: number | null; me: number | null }[];
  missingPositive: string;
  missingExcluded: string;
  weekLabel: string;
}) {
  return (
    <div aria-hidden="true" data-testid="screens-chart">
      <LineChart
        h={260}
        data={data.map((d) => ({ week: d.week, [missingPositive]: d.mp, [missingExcluded]: d.me }))}
        dataKey="week"
        series={[
          { name: missingPositive, color: 'blue.8' },
          { name: missingExcluded, color: 'teal.8', strokeDasharray: '5 5' },
        ]}
        xAxisLabel={weekLabel}
        yAxisProps={{ domain: [0, 100] }}
        unit="%"
        withLegend
        withTooltip={false}
        dotProps={{ r: 3 }}
        lineChartProps={{ accessibilityLayer: false }}
      />
    </div>
  );
}

/** One line per cohort: % of the admissions in treatment that week who checked in (0–100), by week since admission. */
export function DecayCurve({ data, series, weekLabel }: { data: Record<string, number | null>[]; series: string[]; weekLabel: string }) {
  return (
    <div aria-hidden="true" data-testid="engagement-chart">
      <LineChart
        h={260}
        data={data}
        dataKey="week"
        series={series.map((name, i) => ({ name, color: COLOURS[i % COLOURS.length]! }))}
        connectNulls={false}
        xAxisProps={{ type: 'number', domain: [1, 'dataMax'], allowDecimals: false }}
        xAxisLabel={weekLabel}
        yAxisProps={{ domain: [0, 100] }}
        unit="%"
        withLegend
        withTooltip={false}
        dotProps={{ r: 3 }}
        lineChartProps={{ accessibilityLayer: false }}
      />
    </div>
  );
}

/** CM fairness: per prize tier, the draws the bowl expects beside the draws observed. */
export function FairnessBars({
  data,
  expected,
  observed,
  tierLabel,
  testId,
}: {
  data: { tier: string; expected: number; observed: number }[];
  expected: string;
  observed: string;
  tierLabel: string;
  testId: string;
}) {
  return (
    <div aria-hidden="true" data-testid={testId}>
      <BarChart
        h={220}
        data={data.map((d) => ({ tier: d.tier, [expected]: Math.round(d.expected * 10) / 10, [observed]: d.observed }))}
        dataKey="tier"
        series={[
          { name: expected, color: 'gray.6' },
          { name: observed, color: 'blue.8' },
        ]}
        xAxisLabel={tierLabel}
        withLegend
        withTooltip={false}
        barChartProps={{ accessibilityLayer: false }}
      />
    </div>
  );
}
