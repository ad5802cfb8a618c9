import { cleanLabel, truncateLabel } from '../labels.ts';
import { palette } from '../theme.ts';
import type { ChartSpec, ValueFormat } from '../types.ts';
import { annotationText, withHalo } from './annotations.ts';
import { axisTitle, type ChartText, chartSpec, DEFAULT_FORMAT, finiteNumbers, type VegaLiteSpec } from './common.ts';
import { shouldUseLogScale, valueScaleAndAxis } from './scales.ts';

export interface ScatterPoint {
  x: number;
  y: number;
  group?: string;
}

export interface ScatterChartOptions extends ChartText {
  /** Up to a few thousand points; drawn semi-transparent so dense areas read darker. */
  points: ScatterPoint[];
  /** A fitted line from (x1, y1) to (x2, y2), drawn in the accent colour with its label. */
  fit?: { x1: number; y1: number; x2: number; y2: number; label: string };
  /** Points to name (outliers, the members the sentence mentions). */
  labels?: { x: number; y: number; label: string }[];
  /** Default: log when all values are positive and max/min > 100. */
  logX?: boolean;
  logY?: boolean;
  xTitle?: string;
  yTitle?: string;
  xFormat?: ValueFormat;
  format?: ValueFormat;
}

/** Groups beyond this many share one grey "Other": more hues than that cannot be told apart. */
const MAX_GROUPS = 8;
const OTHER_GROUP = 'Other';

/** A relationship between two measures, with the fit and the points the sentence names. */
export function scatterChart(options: ScatterChartOptions): ChartSpec {
  const points = options.points.filter((point) => Number.isFinite(point.x) && Number.isFinite(point.y));
  const groups = groupColours(points);
  const rows = points.map((point) => ({ x: point.x, y: point.y, group: groups.groupOf(point.group) }));
  const allX = finiteNumbers([
    ...rows.map((row) => row.x),
    options.fit?.x1,
    options.fit?.x2,
    ...(options.labels ?? []).map((label) => label.x),
  ]);
  const allY = finiteNumbers([
    ...rows.map((row) => row.y),
    options.fit?.y1,
    options.fit?.y2,
    ...(options.labels ?? []).map((label) => label.y),
  ]);
  const xAxis = valueScaleAndAxis({
    values: allX,
    format: options.xFormat ?? DEFAULT_FORMAT,
    title: axisTitle(options.xTitle),
    log: shouldUseLogScale(allX, options.logX),
    zero: false,
  });
  const yAxis = valueScaleAndAxis({
    values: allY,
    format: options.format ?? DEFAULT_FORMAT,
    title: axisTitle(options.yTitle),
    log: shouldUseLogScale(allY, options.logY),
    zero: false,
  });
  const x = { field: 'x', type: 'quantitative', scale: xAxis.scale, axis: { ...xAxis.axis, grid: true } };
  const y = { field: 'y', type: 'quantitative', scale: yAxis.scale, axis: yAxis.axis };
  const xOnly = { field: 'x', type: 'quantitative' };
  const yOnly = { field: 'y', type: 'quantitative' };
  const density = pointStyle(rows.length);

  const layers: VegaLiteSpec[] = [
    {
      mark: { type: 'circle', size: density.size, opacity: density.opacity, stroke: null },
      encoding: {
        x,
        y,
        color: groups.names.length
          ? {
              field: 'group',
              type: 'nominal',
              scale: { domain: groups.names, range: groups.colours },
              legend: { orient: 'top', direction: 'horizontal', title: null, symbolOpacity: 1 },
            }
          : { value: palette.contrast },
      },
    },
  ];
  if (options.fit) {
    const fitData = {
      values: [
        { x: options.fit.x1, y: options.fit.y1 },
        { x: options.fit.x2, y: options.fit.y2, label: annotationText(options.fit.label) },
      ],
    };
    layers.push(
      {
        data: fitData,
        mark: { type: 'line', color: palette.accent, strokeWidth: 4 },
        encoding: { x: xOnly, y: yOnly },
      },
      ...withHalo({
        data: fitData,
        transform: [{ filter: 'isValid(datum.label)' }],
        mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -12, color: palette.accent, fontWeight: 'bold' },
        encoding: { x: xOnly, y: yOnly, text: { field: 'label' } },
      }),
    );
  }
  if (options.labels && options.labels.length > 0) {
    const labelData = {
      values: options.labels.map((label) => ({ x: label.x, y: label.y, label: annotationText(label.label) })),
    };
    layers.push(
      {
        data: labelData,
        mark: {
          type: 'circle',
          size: 220,
          color: palette.accent,
          opacity: 1,
          stroke: palette.background,
          strokeWidth: 2,
        },
        encoding: { x: xOnly, y: yOnly },
      },
      ...withHalo({
        data: labelData,
        mark: {
          type: 'text',
          align: 'left',
          baseline: 'bottom',
          dx: 10,
          dy: -8,
          color: palette.text,
          fontWeight: 'bold',
        },
        encoding: { x: xOnly, y: yOnly, text: { field: 'label' } },
      }),
    );
  }
  return chartSpec('scatter', options, { data: { values: rows }, layer: layers });
}

/** Fewer points can be larger and more opaque; thousands need to be small and faint to show density. */
function pointStyle(count: number): { size: number; opacity: number } {
  if (count <= 200) return { size: 150, opacity: 0.8 };
  if (count <= 1000) return { size: 90, opacity: 0.55 };
  return { size: 50, opacity: 0.45 };
}

function groupColours(points: ScatterPoint[]): {
  names: string[];
  colours: string[];
  groupOf: (group: string | undefined) => string | null;
} {
  const counts = new Map<string, number>();
  for (const point of points) {
    if (point.group === undefined) continue;
    const name = truncateLabel(cleanLabel(point.group), 30);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  if (counts.size === 0) return { names: [], colours: [], groupOf: () => null };
  const bySize = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const kept = bySize.length <= MAX_GROUPS ? bySize : bySize.slice(0, MAX_GROUPS - 1);
  const keptSet = new Set(kept);
  const names = bySize.length <= MAX_GROUPS ? kept : [...kept, OTHER_GROUP];
  const colours = names.map((name, index) =>
    name === OTHER_GROUP && bySize.length > MAX_GROUPS ? palette.neutral : palette.categorical[index]!,
  );
  return {
    names,
    colours,
    groupOf: (group) => {
      if (group === undefined) return OTHER_GROUP;
      const name = truncateLabel(cleanLabel(group), 30);
      return keptSet.has(name) ? name : OTHER_GROUP;
    },
  };
}
