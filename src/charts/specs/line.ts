import { cleanLabel, truncateLabel } from '../labels.ts';
import { palette } from '../theme.ts';
import type { ChartSpec, ValueFormat } from '../types.ts';
import {
  axisTitle,
  type ChartText,
  chartSpec,
  DEFAULT_FORMAT,
  estimatePlotSize,
  finiteNumbers,
  type VegaLiteSpec,
} from './common.ts';
import { bandLabelLayer, endLabelLayer, fitLayers, markLayers, ruleLayers, segmentLayers } from './line-annotations.ts';
import { lineAxisIncludesZero, planValueAxis, shouldUseLogScale, valueScaleAndAxis } from './scales.ts';
import { distinctInOrder, toSpecX, type XType, type XValue, xEncoding } from './x-values.ts';

export interface LinePoint {
  x: XValue;
  /** `null` is a gap in the line (missing data), never a zero. */
  y: number | null;
  series?: string;
}

export interface LineChartOptions extends ChartText {
  points: LinePoint[];
  xType: XType;
  /** Series the sentence is about: accent, then contrast colour, each labelled at its end; the rest thin grey. */
  highlightSeries?: string[];
  /** Vertical lines with a label above the plot, e.g. a change point. */
  rules?: { x: XValue; label: string }[];
  /** Horizontal lines over a span, e.g. the mean before and after a change. */
  segments?: { x1: XValue; x2: XValue; y: number; label: string }[];
  /** A fitted trend, drawn dashed. */
  fit?: { points: { x: XValue; y: number }[]; label: string };
  /** An expected range, drawn as a translucent area. */
  band?: { x: XValue; lower: number; upper: number }[];
  bandLabel?: string;
  /**
   * Points to circle and label (a spike, a record); `below` puts the label under and right of the point,
   * for a point on a steep rising curve whose upper side is taken by the line.
   */
  marks?: { x: XValue; y: number; label: string; below?: boolean }[];
  /** Default: log when every y > 0 and max/min > 100. `false` forces linear. */
  logY?: boolean;
  xTitle?: string;
  yTitle?: string;
  /** Format of y. */
  format?: ValueFormat;
  /** Format of a quantitative x (years print as 2017 without it). */
  xFormat?: ValueFormat;
}

/** Series name when points carry none; never shown. */
const SINGLE_SERIES = '(all)';
/** Without highlights, up to this many series get their own colour; beyond it, the three ending highest do. */
const MAX_COLOURED_SERIES = 8;
const AUTO_HIGHLIGHTS = 3;
const END_LABEL_CHARS = 28;

export interface LineRow {
  x: number | string | null;
  y: number | null;
  series: string;
  role: 'focus' | 'context';
}

/** Lines over time (or any ordered x), with the annotations that make the claim visible. */
export function lineChart(options: LineChartOptions): ChartSpec {
  const format = options.format ?? DEFAULT_FORMAT;
  const toX = (x: XValue) => toSpecX(x, options.xType);
  const seriesNames = distinctInOrder(options.points.map((point) => seriesName(point.series)));
  const focus = focusSeries(options, seriesNames);
  const rows: LineRow[] = options.points.map((point) => ({
    x: toX(point.x),
    y: typeof point.y === 'number' && Number.isFinite(point.y) ? point.y : null,
    series: seriesName(point.series),
    role: focus.includes(seriesName(point.series)) ? 'focus' : 'context',
  }));
  const allY = finiteNumbers([
    ...rows.map((row) => row.y),
    ...(options.fit?.points.map((point) => point.y) ?? []),
    ...(options.band?.flatMap((range) => [range.lower, range.upper]) ?? []),
    ...(options.segments?.map((segment) => segment.y) ?? []),
    ...(options.marks?.map((mark) => mark.y) ?? []),
  ]);
  const log = shouldUseLogScale(allY, options.logY);
  const yAxisPlan = planValueAxis(allY, log, !log && lineAxisIncludesZero(allY));
  const { scale, axis } = valueScaleAndAxis({
    values: allY,
    format,
    title: axisTitle(options.yTitle),
    log,
    zero: false,
    domain: yAxisPlan.domain,
  });
  const y = { field: 'y', type: 'quantitative', scale, axis };
  const x = xEncoding(
    options.xType,
    rows.map((row) => row.x),
    options.xTitle,
    options.xFormat,
  );
  const xOnly = { field: x['field'], type: x['type'], ...(x['sort'] ? { sort: x['sort'] } : {}) };
  const yOnly = { field: 'y', type: 'quantitative' };
  const colours = focusColours(focus, seriesNames.length, options.highlightSeries);
  const colour = { field: 'series', type: 'nominal', scale: { domain: focus, range: colours }, legend: null };
  const plotHeightPx = estimatePlotSize(options, { leftPx: 100, bottomPx: 34 + (options.xTitle ? 38 : 0) }).heightPx;
  const allX = rows.map((row) => row.x);

  const layers: VegaLiteSpec[] = [];
  if (options.band && options.band.length > 0) {
    layers.push({
      data: { values: options.band.map((range) => ({ x: toX(range.x), lower: range.lower, upper: range.upper })) },
      mark: { type: 'area', color: palette.contrast, opacity: 0.16 },
      encoding: { x: xOnly, y: { field: 'lower', type: 'quantitative' }, y2: { field: 'upper' } },
    });
  }
  // End labels first: a fitted trend's label ends at the same right edge and takes part in their spacing.
  const labelled = focus.length > 1 || (focus.length === 1 && focus[0] !== SINGLE_SERIES);
  const fitEnd = options.fit && options.fit.points.length > 1 ? options.fit.points.at(-1)!.y : undefined;
  const endLabels = labelled ? endLabelLayer(rows, focus, yAxisPlan, plotHeightPx, xOnly, colour, fitEnd) : null;
  const fit =
    options.fit && options.fit.points.length > 1 ? fitLayers(options.fit, toX, xOnly, endLabels?.fitLabelY) : undefined;
  // The fitted trend goes under the data: the observations are the evidence, the fit a summary of them.
  if (fit) layers.push(fit.line);
  if (focus.length < seriesNames.length) {
    layers.push({
      transform: [{ filter: "datum.role === 'context'" }],
      mark: { type: 'line', color: palette.neutralLine, strokeWidth: 2, opacity: 0.75 },
      encoding: { x, y, detail: { field: 'series' } },
    });
  }
  layers.push({
    transform: [{ filter: "datum.role === 'focus'" }],
    mark: { type: 'line', strokeWidth: focus.length === 1 ? 4 : 3.5 },
    encoding: { x, y, color: colour },
  });
  // A lone value between two gaps has no neighbour to draw a line to; a dot keeps it visible.
  const isolated = isolatedPoints(rows);
  if (isolated.length > 0) {
    layers.push({
      data: { values: isolated },
      mark: { type: 'point', filled: true, size: 70 },
      encoding: { x: xOnly, y: yOnly, color: colour },
    });
  }
  if (fit) layers.push(...fit.label);
  for (const segment of options.segments ?? [])
    layers.push(...segmentLayers(segment, toX, xOnly, { rows, yAxis: yAxisPlan, plotHeightPx }));
  if (options.bandLabel && options.band && options.band.length > 0) {
    layers.push(...bandLabelLayer(options.bandLabel, options.band, toX, xOnly));
  }
  layers.push(...ruleLayers(options.rules ?? [], toX, options.xType, allX));
  if (options.marks && options.marks.length > 0) {
    layers.push(...markLayers(options.marks, toX, allX, yAxisPlan, xOnly));
  }
  if (endLabels) layers.push(endLabels.layer);
  return chartSpec('line', options, { data: { values: rows }, layer: layers });
}

function seriesName(series: string | undefined): string {
  return series === undefined ? SINGLE_SERIES : truncateLabel(cleanLabel(series), END_LABEL_CHARS);
}

/** Series drawn in colour and labelled; the rest are context. */
function focusSeries(options: LineChartOptions, seriesNames: string[]): string[] {
  if (options.highlightSeries && options.highlightSeries.length > 0) {
    // In the caller's order: the first named series gets the accent colour.
    const present = new Set(seriesNames);
    return distinctInOrder(options.highlightSeries.map((series) => seriesName(series))).filter((series) =>
      present.has(series),
    );
  }
  if (seriesNames.length <= MAX_COLOURED_SERIES) return seriesNames;
  const lastValue = new Map<string, number>();
  for (const point of options.points) {
    if (typeof point.y === 'number' && Number.isFinite(point.y)) lastValue.set(seriesName(point.series), point.y);
  }
  return [...seriesNames]
    .sort((a, b) => (lastValue.get(b) ?? -Infinity) - (lastValue.get(a) ?? -Infinity))
    .slice(0, AUTO_HIGHLIGHTS);
}

function focusColours(focus: string[], seriesCount: number, highlight: string[] | undefined): string[] {
  const highlighted = (highlight?.length ?? 0) > 0 || focus.length < seriesCount;
  if (!highlighted && focus.length > 1)
    return focus.map((_, index) => palette.categorical[index % palette.categorical.length]!);
  const ordered = [
    palette.accent,
    palette.contrast,
    ...palette.categorical.filter((hue) => hue !== palette.accent && hue !== palette.contrast),
  ];
  return focus.map((_, index) => ordered[index % ordered.length]!);
}

function isolatedPoints(rows: LineRow[]): LineRow[] {
  return rows.filter((row, index) => {
    if (row.y === null) return false;
    const neighbours = [rows[index - 1], rows[index + 1]].filter((other) => other?.series === row.series);
    return neighbours.every((other) => other?.y === null);
  });
}
