import { formatExpression } from '../format.ts';
import { distinctDisplayLabels } from '../labels.ts';
import { palette } from '../theme.ts';
import type { ChartSpec, ValueFormat } from '../types.ts';
import { referenceLineLayers } from './annotations.ts';
import {
  axisTitle,
  type ChartText,
  chartSpec,
  DEFAULT_FORMAT,
  estimatePlotSize,
  finiteNumbers,
  maxAbs,
  type VegaLiteSpec,
} from './common.ts';
import { lineAxisIncludesZero, niceLinearDomain, valueScaleAndAxis } from './scales.ts';

export interface CycleChartOptions extends ChartText {
  /** One value per position in the cycle, in cycle order (Mon…Sun, 0…23 h, Jan…Dec). */
  data: { label: string; value: number; lower?: number; upper?: number }[];
  /** Labels of the peak and the trough; default: the largest and smallest values. Pass `{}` for neither. */
  highlight?: { peak?: string; trough?: string };
  referenceLine?: { value: number; label: string };
  categoryTitle?: string;
  valueTitle?: string;
  format?: ValueFormat;
}

/** Up to this many positions are bars; more (24 hours) read better as a line with points. */
const MAX_CYCLE_BARS = 12;

type CycleRole = 'peak' | 'trough' | 'other';

/** A repeating pattern (weekday, hour, month) with its peak and trough named. */
export function cycleChart(options: CycleChartOptions): ChartSpec {
  const format = options.format ?? DEFAULT_FORMAT;
  const keys = distinctDisplayLabels(
    options.data.map((datum) => datum.label),
    16,
  );
  const { peak, trough } = options.highlight ?? defaultHighlights(options.data);
  const rows = options.data.map((datum, index) => {
    const role: CycleRole = datum.label === peak ? 'peak' : datum.label === trough ? 'trough' : 'other';
    const lower = finiteOrNull(datum.lower);
    const upper = finiteOrNull(datum.upper);
    return {
      key: keys[index]!,
      value: datum.value,
      lower,
      upper,
      role,
      prefix: role === 'peak' ? 'peak ' : role === 'trough' ? 'low ' : '',
      labelAt: Math.max(datum.value, upper ?? datum.value),
    };
  });
  const asBars = rows.length <= MAX_CYCLE_BARS;
  const values = finiteNumbers([
    ...rows.flatMap((row) => [row.value, row.lower, row.upper]),
    options.referenceLine?.value,
  ]);
  const includeZero = asBars || lineAxisIncludesZero(values);
  const range = { maxAbs: maxAbs(values) };
  const domain = withLabelHeadroom(values, includeZero, options, asBars);
  const { scale, axis } = valueScaleAndAxis({
    values,
    format,
    title: axisTitle(options.valueTitle),
    log: false,
    zero: includeZero,
    domain,
  });
  const category = {
    field: 'key',
    type: 'ordinal',
    sort: keys,
    scale: asBars ? { paddingInner: 0.25 } : { padding: 0.4 },
    axis: { title: axisTitle(options.categoryTitle), labelAngle: 0, labelOverlap: 'greedy' },
  };
  const categoryOnly = { field: 'key', type: 'ordinal', sort: keys };
  const value = { field: 'value', type: 'quantitative', scale, axis };
  const roleColour = {
    field: 'role',
    type: 'nominal',
    scale: {
      domain: ['peak', 'trough', 'other'],
      range: [palette.accent, palette.contrast, asBars ? palette.neutral : palette.neutralLine],
    },
    legend: null,
  };
  const layers: VegaLiteSpec[] = asBars
    ? [{ mark: { type: 'bar' }, encoding: { x: category, y: value, color: roleColour } }]
    : [
        { mark: { type: 'line', color: palette.neutralLine, strokeWidth: 3 }, encoding: { x: category, y: value } },
        {
          mark: { type: 'point', filled: true, opacity: 1 },
          encoding: {
            x: categoryOnly,
            y: { field: 'value', type: 'quantitative' },
            color: roleColour,
            size: { condition: { test: "datum.role !== 'other'", value: 260 }, value: 70 },
          },
        },
      ];
  if (rows.some((row) => row.lower !== null && row.upper !== null)) {
    layers.push({
      transform: [{ filter: 'isValid(datum.lower) && isValid(datum.upper)' }],
      mark: { type: 'errorbar', ticks: { size: 12, thickness: 2 }, rule: { strokeWidth: 2 }, color: palette.text },
      encoding: {
        x: categoryOnly,
        y: { field: 'lower', type: 'quantitative', title: axis.title },
        y2: { field: 'upper' },
      },
    });
  }
  if (options.referenceLine) layers.push(...referenceLineLayers('y', options.referenceLine));
  // Each highlight's label beyond the end of its mark: above a point or a bar, below a bar under zero
  // (inside it, in the bar's own colour, the label could not be read).
  for (const below of asBars ? [false, true] : [false]) {
    layers.push({
      transform: [
        { filter: `datum.role !== 'other' && ${below ? 'datum.value < 0' : asBars ? 'datum.value >= 0' : 'true'}` },
        { calculate: `datum.prefix + ${formatExpression(format, 'datum.value', range, 'label')}`, as: 'valueLabel' },
      ],
      mark: {
        type: 'text',
        align: 'center',
        baseline: below ? 'top' : 'bottom',
        dy: below ? 8 : asBars ? -8 : -16,
        fontWeight: 'bold',
      },
      encoding: {
        x: categoryOnly,
        y: { field: below ? 'value' : 'labelAt', type: 'quantitative', title: axis.title },
        text: { field: 'valueLabel' },
        color: { condition: { test: "datum.role === 'peak'", value: palette.accent }, value: palette.contrast },
      },
    });
  }
  return chartSpec('cycle', options, { data: { values: rows }, layer: layers });
}

function finiteOrNull(value: number | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function defaultHighlights(data: CycleChartOptions['data']): { peak?: string; trough?: string } {
  if (data.length < 2) return {};
  const sorted = [...data].sort((a, b) => a.value - b.value);
  return { peak: sorted[sorted.length - 1]!.label, trough: sorted[0]!.label };
}

/** A nice domain with room above the tallest mark for its "peak …" label, and below a bar under zero. */
function withLabelHeadroom(values: number[], includeZero: boolean, text: ChartText, bars: boolean): [number, number] {
  const low = Math.min(...values, ...(includeZero ? [0] : []));
  const high = Math.max(...values, ...(includeZero ? [0] : []));
  const { heightPx } = estimatePlotSize(text, { leftPx: 100, bottomPx: 72 });
  const labelShare = 44 / Math.max(heightPx, 200);
  const room = ((high - low) * labelShare) / (1 - labelShare);
  return niceLinearDomain(bars && low < 0 ? low - room : low, high + room);
}
