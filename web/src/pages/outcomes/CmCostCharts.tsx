// The CM fairness chart, loaded on demand: per prize tier, the draws the bowl expects beside the
// draws observed. Decorative for screen readers: the table under it has the same numbers.
// Nothing focusable inside (recharts' keyboard layer is switched off).
import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';

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
