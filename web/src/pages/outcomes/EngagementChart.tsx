// The engagement decay curve, loaded on demand (as OutcomesCharts.tsx). Decorative for screen
// readers: the section shows the same numbers in a table under it. Nothing focusable inside.
import '@mantine/charts/styles.css';
import { LineChart } from '@mantine/charts';

const COLOURS = ['blue.8', 'teal.8', 'orange.8', 'grape.8', 'red.8', 'cyan.8', 'lime.9', 'pink.8'];

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
