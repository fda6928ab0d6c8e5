// Charts, loaded on demand (React.lazy) so the console's first screen stays small.
// Every chart here is decorative for screen readers: the screen that shows one also
// shows the same numbers as a table. Being hidden, a chart must hold nothing focusable:
// recharts' keyboard layer (a tabindex on its svg) is switched off.
import '@mantine/charts/styles.css';
import { BarChart, LineChart } from '@mantine/charts';

export type WeekPoint = { week: string; percent: number | null };

export function NegativeByWeekChart({ data, label }: { data: WeekPoint[]; label: string }) {
  return (
    <div aria-hidden="true" data-testid="negative-chart">
      <BarChart
        h={220}
        data={data.map((d) => ({ week: d.week, [label]: d.percent ?? 0 }))}
        dataKey="week"
        series={[{ name: label, color: 'teal.7' }]}
        yAxisProps={{ domain: [0, 100] }}
        unit="%"
        withTooltip={false}
        barChartProps={{ accessibilityLayer: false }}
      />
    </div>
  );
}

export type StageChartPoint = { when: string; rank: number };

export function StageTrajectoryChart({ data, stageNames, label }: { data: StageChartPoint[]; stageNames: string[]; label: string }) {
  return (
    <div aria-hidden="true" data-testid="stage-chart">
      <LineChart
        h={220}
        data={data.map((d) => ({ when: d.when, [label]: d.rank }))}
        dataKey="when"
        series={[{ name: label, color: 'blue.8' }]}
        curveType="step"
        yAxisProps={{ domain: [0, 4], ticks: [0, 1, 2, 3, 4], tickFormatter: (v: number) => stageNames[v] ?? '', width: 130 }}
        withTooltip={false}
        dotProps={{ r: 5 }}
        lineChartProps={{ accessibilityLayer: false }}
      />
    </div>
  );
}

export type CheckInPoint = { day: string; craving: number | null; mood: number | null };

/** Craving (0–10) and mood (1–5, drawn ×2 on the same 0–10 scale) by programme day. */
export function CheckInTrendChart({ data, cravingLabel, moodLabel }: { data: CheckInPoint[]; cravingLabel: string; moodLabel: string }) {
  return (
    <div aria-hidden="true" data-testid="check-in-chart">
      <LineChart
        h={220}
        data={data.map((d) => ({ day: d.day, [cravingLabel]: d.craving, [moodLabel]: d.mood === null ? null : d.mood * 2 }))}
        dataKey="day"
        series={[
          { name: cravingLabel, color: 'red.8' },
          { name: moodLabel, color: 'blue.8', strokeDasharray: '5 5' },
        ]}
        connectNulls
        yAxisProps={{ domain: [0, 10], ticks: [0, 2, 4, 6, 8, 10] }}
        withLegend
        withTooltip={false}
        dotProps={{ r: 4 }}
        lineChartProps={{ accessibilityLayer: false }}
      />
    </div>
  );
}
