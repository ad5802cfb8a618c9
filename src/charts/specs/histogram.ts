import { palette } from '../theme.ts';
import type { ChartSpec, ValueFormat } from '../types.ts';
import { referenceLineLayers, staggeredLabelRows } from './annotations.ts';
import { axisTitle, type ChartText, chartSpec, DEFAULT_FORMAT, type VegaLiteSpec } from './common.ts';
import { valueScaleAndAxis } from './scales.ts';

export interface HistogramOptions extends ChartText {
  /** Adjacent bins, in order. */
  bins: { start: number; end: number; count: number }[];
  /** Vertical lines such as the mean, the median or a threshold, labelled above the plot. */
  referenceLines?: { value: number; label: string }[];
  xTitle?: string;
  /** Default "Count". */
  yTitle?: string;
  /** Format of the binned measure (the x axis). */
  format?: ValueFormat;
}

/** The shape of one measure's distribution, with the reference values the sentence names. */
export function histogram(options: HistogramOptions): ChartSpec {
  const bins = options.bins.filter((bin) => Number.isFinite(bin.start) && Number.isFinite(bin.end));
  const references = [...(options.referenceLines ?? [])].sort((a, b) => a.value - b.value);
  const edges = [...bins.flatMap((bin) => [bin.start, bin.end]), ...references.map((line) => line.value)];
  const low = Math.min(...edges);
  const high = Math.max(...edges);
  const xAxis = valueScaleAndAxis({
    values: edges,
    format: options.format ?? DEFAULT_FORMAT,
    title: axisTitle(options.xTitle),
    log: false,
    zero: false,
    domain: [low, high],
  });
  const counts = bins.map((bin) => bin.count);
  const yAxis = valueScaleAndAxis({
    values: counts,
    format: { kind: 'integer' },
    title: axisTitle(options.yTitle ?? 'Count'),
    log: false,
    zero: true,
  });
  const layers: VegaLiteSpec[] = [
    {
      mark: {
        type: 'rect',
        color: palette.contrast,
        // A background-coloured outline separates neighbouring bins without shifting their edges.
        stroke: palette.background,
        strokeWidth: bins.length > 60 ? 0.5 : 1.5,
      },
      encoding: {
        x: { field: 'start', type: 'quantitative', scale: xAxis.scale, axis: { ...xAxis.axis, grid: false } },
        x2: { field: 'end' },
        y: { field: 'count', type: 'quantitative', scale: yAxis.scale, axis: yAxis.axis },
        y2: { datum: 0 },
      },
    },
  ];
  const span = high - low || 1;
  const rows = staggeredLabelRows(references.map((line) => (line.value - low) / span));
  references.forEach((line, index) => {
    layers.push(
      ...referenceLineLayers('x', line, {
        labelRow: rows[index] ?? 0,
        alignRight: (line.value - low) / span > 0.7,
        color: palette.accent,
      }),
    );
  });
  return chartSpec('histogram', options, { data: { values: bins }, layer: layers });
}
