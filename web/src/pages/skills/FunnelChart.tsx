// The skills funnel as bars (assigned → started → completed, by module), loaded on demand
// (React.lazy) so the skills page stays small. Decorative for screen readers: the page shows
// the same numbers as a table, so the chart holds nothing focusable (recharts' keyboard layer off).
import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';

export type FunnelPoint = { module: string; assigned: number; started: number; completed: number };

export function FunnelChart({ data, labels }: { data: FunnelPoint[]; labels: { assigned: string; started: string; completed: string } }) {
  return (
    <div aria-hidden="true" data-testid="funnel-chart">
      <BarChart
        h={Math.max(160, 40 + data.length * 48)}
        orientation="vertical"
        data={data.map((d) => ({ module: d.module, [labels.assigned]: d.assigned, [labels.started]: d.started, [labels.completed]: d.completed }))}
        dataKey="module"
        series={[
          { name: labels.assigned, color: 'gray.6' },
          { name: labels.started, color: 'blue.7' },
          { name: labels.completed, color: 'teal.8' },
        ]}
        yAxisProps={{ width: 180 }}
        withLegend
        // the funnel's order (recharts sorts the legend by name otherwise)
        legendProps={{ itemSorter: null }}
        withTooltip={false}
        barChartProps={{ accessibilityLayer: false }}
      />
    </div>
  );
}
