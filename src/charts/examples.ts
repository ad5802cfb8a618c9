import {
  barChart,
  cycleChart,
  groupedBar,
  histogram,
  lineChart,
  paretoChart,
  scatterChart,
  smallMultiples,
} from './specs/index.ts';
import type { ChartSpec } from './types.ts';

/**
 * One realistic chart per builder, with the awkward inputs real CSVs bring (markup, very long names,
 * emoji, right-to-left text, gaps). Tests render them all; `test-results/charts/` keeps the PNGs to look at.
 */
export function chartExamples(): Record<string, ChartSpec> {
  const months = Array.from({ length: 36 }, (_, index) => `${2021 + Math.floor(index / 12)}-${pad((index % 12) + 1)}`);
  const wave = (index: number, phase: number) => Math.sin(index / 2 + phase);
  const regions = [
    'North',
    'South',
    'East',
    'West',
    'Central',
    'Overseas territories and dependencies',
    'Online',
    'Wholesale',
  ];
  const regionPoints = regions.flatMap((series, k) =>
    months.map((x, index) => ({
      x,
      series,
      y: 50 + k * 9 + index * (series === 'East' ? 4 : 0.9) + 5 * wave(index, k),
    })),
  );
  const orders = months.map((x, index) => ({
    x,
    y: index === 14 || index === 15 ? null : 100 + index * 1.2 + (index >= 18 ? 52 : 0) + 8 * wave(index, 0),
  }));
  const users = Array.from({ length: 25 }, (_, index) => ({
    x: 2000 + index,
    y: Math.round(40 * 1.42 ** index * (1 + 0.25 * Math.sin(index * 1.7))),
  }));
  const scatter = Array.from({ length: 1500 }, (_, index) => {
    const x = 5 + ((index * 37) % 95) + ((index * 13) % 7) / 7;
    const noise = (((index * 7919) % 1000) / 1000 - 0.5) * 60;
    return { x, y: 20 + 1.6 * x + noise, group: ['Retail', 'Online', 'Wholesale'][index % 3]! };
  });
  return {
    bar: barChart({
      title: 'Widgets bring in a third of all revenue',
      subtitle: 'Revenue by product line, 2024',
      alt: 'Widgets earned $1.24M, a third of the $3.7M total and 50% more than Gadgets, the next line.',
      data: [
        { label: 'Gadgets', value: 830_000 },
        { label: 'Widgets', value: 1_240_000 },
        { label: 'A very long product line name that goes on and on and on', value: 610_000 },
        { label: '<script>alert(1)</script>', value: 420_000 },
        { label: 'Doohickeys', value: 300_000 },
        { label: 'Thingamajigs 🚀', value: 210_000 },
        { label: 'מוצרים לבית', value: 150_000 },
        { label: 'Gizmos', value: 80_000 },
        { label: 'Other', value: 400_000 },
      ],
      highlight: ['Widgets'],
      order: 'value-desc',
      referenceLine: { value: 470_000, label: 'average $470k' },
      format: { kind: 'currency', currency: '$' },
      valueTitle: 'Revenue',
    }),
    'bar-intervals': barChart({
      title: 'Q3 was the only quarter below target',
      subtitle: 'Orders per day with 95% confidence intervals',
      alt: 'Q3 averaged 92 orders a day, below the 100–125 target range; the other quarters were within or above it.',
      data: [
        { label: 'Q1', value: 120, lower: 110, upper: 131 },
        { label: 'Q2', value: 135, lower: 120, upper: 150 },
        { label: 'Q3', value: 92, lower: 80, upper: 101 },
        { label: 'Q4', value: 141, lower: 133, upper: 150 },
      ],
      highlight: ['Q3'],
      order: 'as-given',
      band: { lower: 100, upper: 125, label: 'target range' },
      showValues: true,
      categoryTitle: 'Quarter',
      valueTitle: 'Orders per day',
    }),
    line: lineChart({
      title: 'Orders jumped by 50 a month after the July 2022 relaunch',
      subtitle: 'Monthly orders, January 2021 – December 2023 (March–April 2022 missing)',
      alt: 'Monthly orders averaged 113 before the July 2022 relaunch and 181 after it.',
      points: orders,
      xType: 'temporal',
      rules: [{ x: '2022-07', label: 'Relaunch, July 2022' }],
      segments: [
        { x1: '2021-01', x2: '2022-06', y: 113, label: 'before: 113' },
        { x1: '2022-07', x2: '2023-12', y: 181, label: 'after: 181' },
      ],
      marks: [recordMonth(orders)],
      yTitle: 'Orders',
      format: { kind: 'integer' },
    }),
    'line-series': lineChart({
      title: 'East grew four times faster than any other region',
      alt: 'East revenue rose from €70 to €210 while every other region grew by less than €35.',
      points: regionPoints,
      xType: 'temporal',
      highlightSeries: ['East', 'North'],
      format: { kind: 'currency', currency: '€' },
      yTitle: 'Revenue per day',
    }),
    'line-log': lineChart({
      title: 'Users grew 42% a year for a quarter century',
      subtitle: 'Registered users (log scale)',
      alt: 'Users grew from 40 in 2000 to 180,000 in 2024, about 42% a year.',
      points: users,
      xType: 'quantitative',
      fit: {
        points: [
          { x: 2000, y: 40 },
          { x: 2024, y: 40 * 1.42 ** 24 },
        ],
        label: '+42% a year',
      },
      band: users.map((point) => ({ x: point.x, lower: point.y * 0.6, upper: point.y * 1.6 })),
      bandLabel: 'expected range',
      marks: [{ x: 2016, y: users[16]!.y, label: 'passed 10k' }],
      yTitle: 'Users',
      format: { kind: 'integer' },
    }),
    scatter: scatterChart({
      title: 'Bigger baskets, bigger discounts: +1.6 points per $1',
      subtitle: '1,500 orders, 2024',
      alt: 'Discount rises by about 1.6 points for every dollar of basket size (r = 0.9).',
      points: scatter,
      fit: { x1: 5, y1: 28, x2: 100, y2: 180, label: '+1.6 per $1' },
      labels: [{ x: 96, y: 214, label: 'Order #18812' }],
      xTitle: 'Basket size',
      yTitle: 'Discount',
      xFormat: { kind: 'currency', currency: '$' },
    }),
    pareto: paretoChart({
      title: 'Five suppliers deliver two thirds of all parts',
      alt: 'The top five of 18 suppliers account for 67.2% of parts delivered.',
      data: [
        ['Acme', 310],
        ['Globex', 240],
        ['Initech', 180],
        ['Umbrella', 150],
        ['Hooli', 120],
        ['Stark', 70],
        ['Wayne', 60],
        ['Wonka', 55],
        ['Tyrell', 50],
        ['Cyberdyne', 45],
        ['Soylent', 40],
        ['Aperture', 35],
        ['Massive Dynamic', 30],
        ['Vandelay', 25],
        ['Gringotts', 20],
        ['Monsters Inc', 15],
        ['Oscorp', 12],
        ['Other', 30],
      ].map(([label, value]) => ({ label: label as string, value: value as number })),
      topK: 5,
      categoryTitle: 'Supplier',
    }),
    'small-multiples': smallMultiples({
      title: 'Only East broke out of its range',
      subtitle: 'Revenue per day by region, 2021–2023',
      alt: 'East revenue tripled while the seven other regions stayed within ±20% of their 2021 level.',
      points: regionPoints,
      xType: 'temporal',
      highlightSeries: ['East'],
      rules: [{ x: '2022-07', label: 'relaunch' }],
      format: { kind: 'currency', currency: '€' },
    }),
    histogram: histogram({
      title: 'Most orders are small; the mean is pulled up by a long tail',
      subtitle: 'Order value, 12,400 orders',
      alt: 'Half of all orders are below $38, but the mean is $52 because of a long tail of large orders.',
      bins: Array.from({ length: 30 }, (_, index) => ({
        start: index * 10,
        end: index * 10 + 10,
        count: Math.round(2400 * Math.exp(-index / 3.5) * (index < 3 ? (index + 1) / 3 : 1)),
      })),
      referenceLines: [
        { value: 38, label: 'median $38' },
        { value: 52, label: 'mean $52' },
      ],
      xTitle: 'Order value',
      format: { kind: 'currency', currency: '$' },
    }),
    cycle: cycleChart({
      title: 'Fridays sell 40% more than Mondays',
      alt: 'Average daily sales peak on Friday at 1,420 and are lowest on Monday at 1,010.',
      data: [
        ['Mon', 1010],
        ['Tue', 1090],
        ['Wed', 1150],
        ['Thu', 1230],
        ['Fri', 1420],
        ['Sat', 1310],
        ['Sun', 1120],
      ].map(([label, value]) => ({ label: label as string, value: value as number })),
      referenceLine: { value: 1190, label: 'weekly mean' },
      valueTitle: 'Average sales',
      format: { kind: 'integer' },
    }),
    'cycle-hours': cycleChart({
      title: 'Traffic peaks at 8 pm and bottoms out at 8 am',
      alt: 'Sessions per hour peak at 20:00 with 2,980 and are lowest at 08:00 with 200.',
      data: Array.from({ length: 24 }, (_, hour) => ({
        label: `${pad(hour)}:00`,
        value: Math.round(1500 + 1300 * Math.sin(((hour - 14) / 24) * 2 * Math.PI) + (hour === 20 ? 180 : 0)),
      })),
      valueTitle: 'Sessions',
      categoryTitle: 'Hour of day',
      format: { kind: 'integer' },
    }),
    'grouped-bar': groupedBar({
      title: 'Wind went from 2% to 18% of generation between 2001 and 2017',
      subtitle: 'Share of electricity generation by source',
      alt: 'Wind rose from 2% to 18% of generation while coal fell from 52% to 30%.',
      data: [
        ['Coal', 0.52, 0.3],
        ['Gas', 0.17, 0.32],
        ['Nuclear', 0.2, 0.2],
        ['Wind', 0.02, 0.18],
        ['Hydro', 0.07, 0.07],
        ['Solar', 0.0, 0.02],
      ].flatMap(([group, before, after]) => [
        { group: group as string, series: '2001', value: before as number },
        { group: group as string, series: '2017', value: after as number },
      ]),
      highlightSeries: '2017',
      format: { kind: 'percent', percentScale: 'fraction' },
      valueTitle: 'Share of generation',
    }),
  };
}

function recordMonth(points: { x: string; y: number | null }[]): { x: string; y: number; label: string } {
  const record = points.reduce((best, point) => ((point.y ?? -Infinity) > (best.y ?? -Infinity) ? point : best));
  return { x: record.x, y: record.y ?? 0, label: 'record' };
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
