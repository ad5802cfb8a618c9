import { approximateLabelText, formatExpression } from '../format.ts';
import { distinctDisplayLabels, widestLabelPx } from '../labels.ts';
import { measureTextWidth } from '../text-metrics.ts';
import { fontSizes, palette } from '../theme.ts';
import type { ChartSpec, ValueFormat } from '../types.ts';
import { referenceLineLayers, valueBandLayers } from './annotations.ts';
import {
  assertMaxItems,
  axisTitle,
  type ChartText,
  chartSpec,
  DEFAULT_FORMAT,
  estimatePlotSize,
  finiteNumbers,
  maxAbs,
  type VegaLiteSpec,
} from './common.ts';
import { valueScaleAndAxis } from './scales.ts';

export interface BarDatum {
  label: string;
  value: number;
  /** Lower end of an interval (e.g. a 95% confidence interval); drawn as an error bar with `upper`. */
  lower?: number;
  upper?: number;
}

export interface BarChartOptions extends ChartText {
  data: BarDatum[];
  /** Labels (as given in `data`) the sentence is about: drawn in the accent colour and labelled. */
  highlight?: string[];
  order: 'value-desc' | 'as-given';
  /** Default `auto`: horizontal when there are more than 8 bars or the labels do not fit under vertical bars. */
  orientation?: 'auto' | 'horizontal' | 'vertical';
  referenceLine?: { value: number; label: string };
  band?: { lower: number; upper: number; label: string };
  /** Value labels: true on every bar, false on none; default on highlighted bars (or on all when none is highlighted). */
  showValues?: boolean;
  categoryTitle?: string;
  valueTitle?: string;
  format?: ValueFormat;
}

/** More bars than this cannot be read; callers pass the top N plus "Other". */
export const MAX_BARS = 25;
const MAX_VERTICAL_BARS = 8;
const LABEL_GAP_PX = 8;

type Orientation = 'horizontal' | 'vertical';

interface BarRow {
  key: string;
  value: number;
  lower: number | null;
  upper: number | null;
  role: 'highlight' | 'context' | 'plain';
  /** Where the value label sits: past the end of the bar and of its error bar. */
  labelAt: number;
  showValue: boolean;
}

/** Bars for comparing members; the highlighted ones carry the claim. */
export function barChart(options: BarChartOptions): ChartSpec {
  assertMaxItems('barChart', 'bars', options.data.length, MAX_BARS);
  const format = options.format ?? DEFAULT_FORMAT;
  const ordered =
    options.order === 'value-desc' ? [...options.data].sort((a, b) => b.value - a.value) : [...options.data];
  const keys = distinctDisplayLabels(ordered.map((datum) => datum.label));
  const highlighted = new Set(options.highlight ?? []);
  const anyHighlight = ordered.some((datum) => highlighted.has(datum.label));
  const rows: BarRow[] = ordered.map((datum, index) => {
    const isHighlight = highlighted.has(datum.label);
    const lower = finiteOrNull(datum.lower);
    const upper = finiteOrNull(datum.upper);
    return {
      key: keys[index]!,
      value: datum.value,
      lower,
      upper,
      role: isHighlight ? 'highlight' : anyHighlight ? 'context' : 'plain',
      labelAt:
        datum.value >= 0 ? Math.max(datum.value, upper ?? datum.value) : Math.min(datum.value, lower ?? datum.value),
      showValue: options.showValues ?? (isHighlight || !anyHighlight),
    };
  });

  const orientation = chooseOrientation(options, keys);
  const [categoryChannel, valueChannel] = orientation === 'horizontal' ? (['y', 'x'] as const) : (['x', 'y'] as const);
  const extent = valueExtent(rows, options);
  const range = { maxAbs: maxAbs([...extent]) };
  const domain = domainWithLabelRoom(rows, extent, labelRoomPx(options, keys, orientation), (value) =>
    measureTextWidth(approximateLabelText(format, value, range), fontSizes.dataLabel, true),
  );
  const { scale, axis } = valueScaleAndAxis({
    values: [...extent],
    format,
    title: axisTitle(options.valueTitle),
    log: false,
    zero: true,
    domain: orientation === 'horizontal' ? domain.horizontal : domain.vertical,
  });

  const category = {
    field: 'key',
    type: 'nominal',
    sort: keys,
    scale: { paddingInner: rows.length <= 3 ? 0.45 : 0.25, paddingOuter: 0.15 },
    axis: { title: axisTitle(options.categoryTitle), ...(orientation === 'vertical' ? { labelAngle: 0 } : {}) },
  };
  const value = { field: 'value', type: 'quantitative', scale, axis };
  const layers: VegaLiteSpec[] = [];
  const band = options.band ? valueBandLayers(valueChannel, options.band) : undefined;
  if (band) layers.push(band.band);
  layers.push({
    mark: { type: 'bar' },
    encoding: {
      [categoryChannel]: category,
      [valueChannel]: value,
      color: {
        field: 'role',
        type: 'nominal',
        scale: {
          domain: ['highlight', 'context', 'plain'],
          range: [palette.accent, palette.neutral, palette.contrast],
        },
        legend: null,
      },
    },
  });
  if (rows.some((row) => row.lower !== null && row.upper !== null)) {
    layers.push(errorBarLayer(categoryChannel, valueChannel, keys, value.axis.title));
  }
  if (options.referenceLine) layers.push(...referenceLineLayers(valueChannel, options.referenceLine));
  if (band) layers.push(band.label);
  layers.push(valueLabelLayer(categoryChannel, valueChannel, keys, format, range, orientation, value.axis.title));

  return chartSpec('bar', options, { data: { values: rows }, layer: layers });
}

function finiteOrNull(value: number | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function chooseOrientation(options: BarChartOptions, keys: string[]): Orientation {
  const requested = options.orientation ?? 'auto';
  if (requested !== 'auto') return requested;
  if (keys.length > MAX_VERTICAL_BARS) return 'horizontal';
  const { widthPx } = estimatePlotSize(options, { leftPx: 90, bottomPx: 80 });
  const bandPx = widthPx / keys.length;
  return widestLabelPx(keys, fontSizes.axisLabel) > bandPx * 0.85 ? 'horizontal' : 'vertical';
}

/** Smallest and largest values any layer draws, always including zero (bars start there). */
function valueExtent(rows: BarRow[], options: BarChartOptions): [number, number] {
  const values = finiteNumbers([
    0,
    ...rows.flatMap((row) => [row.value, row.lower, row.upper]),
    options.referenceLine?.value,
    options.band?.lower,
    options.band?.upper,
  ]);
  return [Math.min(...values), Math.max(...values)];
}

/** Length in px of the value axis, for working out how much domain a label needs. */
function labelRoomPx(options: BarChartOptions, keys: string[], orientation: Orientation): number {
  if (orientation === 'horizontal') {
    const categoryAxisPx = widestLabelPx(keys, fontSizes.axisLabel) + 10 + (options.categoryTitle ? 38 : 0);
    return estimatePlotSize(options, { leftPx: categoryAxisPx, bottomPx: 34 + (options.valueTitle ? 38 : 0) }).widthPx;
  }
  const valueAxisPx = 90 + (options.valueTitle ? 38 : 0);
  return estimatePlotSize(options, { leftPx: valueAxisPx, bottomPx: 40 + (options.categoryTitle ? 38 : 0) }).heightPx;
}

/**
 * Value domain that leaves room past the bars for their labels, so a label on the longest bar stays
 * inside the plot instead of running off the edge. Horizontal labels need their width, vertical ones
 * their height.
 */
function domainWithLabelRoom(
  rows: BarRow[],
  [low, high]: [number, number],
  axisPx: number,
  labelWidthPx: (value: number) => number,
): { horizontal: [number, number]; vertical: [number, number] } {
  const grow = (labelPx: (row: BarRow) => number): [number, number] => {
    let span = high - low || 1;
    let newLow = low;
    for (const row of rows.filter((candidate) => candidate.showValue)) {
      const needPx = labelPx(row) + LABEL_GAP_PX + 4;
      if (needPx >= axisPx) continue;
      if (row.labelAt >= 0) span = Math.max(span, ((row.labelAt - newLow) * axisPx) / (axisPx - needPx));
      else {
        const required = ((high - row.labelAt) * axisPx) / (axisPx - needPx);
        newLow = Math.min(newLow, high - required);
        span = Math.max(span, high - newLow);
      }
    }
    return [newLow, newLow + span];
  };
  return {
    horizontal: grow((row) => labelWidthPx(row.value)),
    vertical: grow(() => fontSizes.dataLabel + 2),
  };
}

/** Every layer repeats the value axis title: Vega-Lite otherwise joins the field names of all layers into it. */
type AxisTitle = unknown;

function errorBarLayer(
  categoryChannel: 'x' | 'y',
  valueChannel: 'x' | 'y',
  keys: string[],
  valueAxisTitle: AxisTitle,
): VegaLiteSpec {
  return {
    transform: [{ filter: 'isValid(datum.lower) && isValid(datum.upper)' }],
    mark: { type: 'errorbar', ticks: { size: 14, thickness: 2 }, rule: { strokeWidth: 2 }, color: palette.text },
    encoding: {
      [categoryChannel]: { field: 'key', type: 'nominal', sort: keys },
      [valueChannel]: { field: 'lower', type: 'quantitative', title: valueAxisTitle },
      [`${valueChannel}2`]: { field: 'upper' },
    },
  };
}

function valueLabelLayer(
  categoryChannel: 'x' | 'y',
  valueChannel: 'x' | 'y',
  keys: string[],
  format: ValueFormat,
  range: { maxAbs: number },
  orientation: Orientation,
  valueAxisTitle: AxisTitle,
): VegaLiteSpec {
  const negative = 'datum.labelAt < 0';
  const mark =
    orientation === 'horizontal'
      ? {
          type: 'text',
          baseline: 'middle',
          align: { expr: `${negative} ? 'right' : 'left'` },
          dx: { expr: `${negative} ? -${LABEL_GAP_PX} : ${LABEL_GAP_PX}` },
        }
      : {
          type: 'text',
          align: 'center',
          baseline: { expr: `${negative} ? 'top' : 'bottom'` },
          dy: { expr: `${negative} ? ${LABEL_GAP_PX} : -${LABEL_GAP_PX}` },
        };
  return {
    transform: [
      { filter: 'datum.showValue' },
      { calculate: formatExpression(format, 'datum.value', range, 'label'), as: 'valueLabel' },
    ],
    mark,
    encoding: {
      [categoryChannel]: { field: 'key', type: 'nominal', sort: keys },
      [valueChannel]: { field: 'labelAt', type: 'quantitative', title: valueAxisTitle },
      text: { field: 'valueLabel' },
      color: { condition: { test: "datum.role === 'highlight'", value: palette.accent }, value: palette.text },
      fontWeight: { condition: { test: "datum.role === 'highlight'", value: 'bold' }, value: 'normal' },
    },
  };
}
