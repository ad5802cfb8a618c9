import { approximateLabelText } from '../format.ts';
import { cleanLabel, truncateLabel } from '../labels.ts';
import { measureTextWidth } from '../text-metrics.ts';
import { CHART_HEIGHT_PX, CHART_PADDING, CHART_WIDTH_PX, fontSizes, palette } from '../theme.ts';
import type { ChartSpec, ValueFormat } from '../types.ts';
import { referenceLineLayers } from './annotations.ts';
import {
  axisTitle,
  type ChartText,
  chartSpec,
  DEFAULT_FORMAT,
  finiteNumbers,
  maxAbs,
  titleBlockHeightPx,
  type VegaLiteSpec,
} from './common.ts';
import { lineAxisIncludesZero, planValueAxis, shouldUseLogScale, valueScaleAndAxis } from './scales.ts';
import { distinctInOrder, toSpecX, type XType, type XValue, xEncoding } from './x-values.ts';

export interface SmallMultiplesOptions extends ChartText {
  points: { x: XValue; y: number | null; series: string }[];
  xType: XType;
  /** The exceptions: their panels come first, drawn in the accent colour. */
  highlightSeries: string[];
  /** Panels per row; default from the number of panels (≤3 in one row, up to 6 per row for 24). */
  columns?: number;
  rules?: { x: XValue; label: string }[];
  /** Give each panel its own y scale (shapes, not levels, compare). Default shared. */
  independentY?: boolean;
  logY?: boolean;
  xTitle?: string;
  format?: ValueFormat;
}

/** Context panels are drawn alone, so their line can be brighter than a context line among others. */
const CONTEXT_LINE = '#a3a3a3';

/** More panels than this become too small to read at 1500×900. */
export const MAX_PANELS = 24;
const PANEL_NAME_CHARS = 30;
/** Fixed axis sizes make the overall size computable: faceted Vega-Lite cannot `fit` a size itself. */
const X_AXIS_EXTENT_PX = 30;
const COLUMN_GAP_PX = 36;
/** What the x axis adds to the layout beyond its extent (domain line, tick offset; measured). */
const X_AXIS_PX = X_AXIS_EXTENT_PX + 4;
/** Tick (6) + label padding (8) + a little air. */
const Y_AXIS_TICK_AND_GAP_PX = 18;
/** The panel name above each cell: its font size plus the padding below it. */
const HEADER_PADDING_PX = 8;
const PANEL_NAME_PX = fontSizes.axisLabel + HEADER_PADDING_PX;
const ROW_GAP_PX = 26;

/** One small line panel per series, sharing scales, so the exception stands out against the rest. */
export function smallMultiples(options: SmallMultiplesOptions): ChartSpec {
  const highlighted = new Set(options.highlightSeries.map(panelName));
  const names = distinctInOrder(options.points.map((point) => panelName(point.series)));
  if (names.length > MAX_PANELS) {
    throw new RangeError(`smallMultiples: ${names.length} panels is too many to read; pass at most ${MAX_PANELS}.`);
  }
  const order = [...names.filter((name) => highlighted.has(name)), ...names.filter((name) => !highlighted.has(name))];
  const rows = options.points.map((point) => {
    const series = panelName(point.series);
    return {
      x: toSpecX(point.x, options.xType),
      y: typeof point.y === 'number' && Number.isFinite(point.y) ? point.y : null,
      series,
      role: highlighted.has(series) ? 'highlight' : 'context',
    };
  });
  const columns = Math.max(1, Math.min(options.columns ?? defaultColumns(order.length), order.length));
  const rowCount = Math.ceil(order.length / columns);
  const allY = finiteNumbers(rows.map((row) => row.y));
  const log = shouldUseLogScale(allY, options.logY);
  const independent = options.independentY === true;
  const format = options.format ?? DEFAULT_FORMAT;
  const sharedDomain = planValueAxis(allY, log, !log && lineAxisIncludesZero(allY)).domain;
  const { scale, axis } = valueScaleAndAxis({
    values: allY,
    format,
    title: null,
    log,
    zero: false,
    ...(independent ? {} : { domain: sharedDomain }),
  });
  const yAxisExtentPx = yAxisExtent(format, [...sharedDomain, ...allY]);
  const x = xEncoding(
    options.xType,
    rows.map((row) => row.x),
    options.xTitle,
    undefined,
  );
  const xAxis = {
    ...(x['axis'] as Record<string, unknown>),
    title: axisTitle(options.xTitle),
    tickCount: 4,
    labelFlush: true,
  };
  const cell = gridLayout(options, columns, rowCount, yAxisExtentPx);
  const layers: VegaLiteSpec[] = [
    {
      // Clipped to the cell: a round line cap poking past the edge would widen every column of the grid.
      mark: { type: 'line', strokeWidth: 3, clip: true },
      encoding: {
        x: { ...x, axis: { ...xAxis, minExtent: X_AXIS_EXTENT_PX, maxExtent: X_AXIS_EXTENT_PX } },
        y: {
          field: 'y',
          type: 'quantitative',
          scale: independent ? { ...scale, domain: undefined, zero: false, nice: true } : scale,
          axis: { ...axis, tickCount: 4, minExtent: yAxisExtentPx, maxExtent: yAxisExtentPx },
        },
        color: {
          field: 'role',
          type: 'nominal',
          scale: { domain: ['highlight', 'context'], range: [palette.accent, CONTEXT_LINE] },
          legend: null,
        },
      },
    },
  ];
  for (const rule of options.rules ?? []) {
    const at = toSpecX(rule.x, options.xType);
    if (at === null) continue;
    // In small panels a rule's label would collide with the panel name; the rule alone marks the moment.
    const [ruleLayer] = referenceLineLayers(
      'x',
      { value: at, label: rule.label },
      { valueType: x['type'] as 'temporal' },
    );
    // Clipped like the lines: a rule's stroke reaching a pixel past the cell would grow every row.
    layers.push({ ...ruleLayer, mark: { ...(ruleLayer!['mark'] as Record<string, unknown>), clip: true } });
  }
  const spec = chartSpec('small-multiples', options, {
    data: { values: rows },
    // The names of the highlighted panels travel as a parameter value (data), so the header colour
    // expression never contains text from the CSV. In a wrapped facet the header is each cell's title,
    // evaluated in the cell's scope, where `parent` is the facet group.
    params: [{ name: 'highlightedPanels', value: order.filter((name) => highlighted.has(name)) }],
    facet: {
      field: 'series',
      type: 'nominal',
      sort: order,
      header: {
        title: null,
        labelAnchor: 'start',
        labelFontWeight: 'bold',
        labelFontSize: fontSizes.axisLabel,
        labelPadding: HEADER_PADDING_PX,
        labelLimit: cell.widthPx,
        labelColor: {
          expr: `indexof(highlightedPanels, parent.series) >= 0 ? '${palette.accent}' : '${palette.text}'`,
        },
      },
    },
    columns,
    spacing: { column: COLUMN_GAP_PX, row: ROW_GAP_PX },
    spec: { width: cell.widthPx, height: cell.heightPx, layer: layers },
    resolve: { scale: { y: independent ? 'independent' : 'shared' } },
  });
  // A facet cannot `fit` a size: the cells carry it, so the top-level size and fit mode must go.
  const { width: _width, height: _height, ...rest } = spec.vegaLite;
  spec.vegaLite = {
    ...rest,
    autosize: { type: 'pad', contains: 'padding' },
    padding: {
      ...CHART_PADDING,
      right: CHART_PADDING.right + cell.extraRightPx,
      bottom: CHART_PADDING.bottom + cell.extraBottomPx,
    },
  };
  return spec;
}

function panelName(series: string): string {
  return truncateLabel(cleanLabel(series), PANEL_NAME_CHARS);
}

function defaultColumns(panels: number): number {
  if (panels <= 3) return panels;
  if (panels <= 8) return 4;
  if (panels <= 15) return 5;
  return 6;
}

/**
 * Cell size so that panels, axes, names and gaps add up to 1500×900. Cells are whole pixels (the grid
 * rounds positions up); the few pixels left over go to the right and bottom padding.
 */
function gridLayout(
  text: ChartText,
  columns: number,
  rows: number,
  yAxisPx: number,
): { widthPx: number; heightPx: number; extraRightPx: number; extraBottomPx: number } {
  const width = CHART_WIDTH_PX - CHART_PADDING.left - CHART_PADDING.right - yAxisPx - (columns - 1) * COLUMN_GAP_PX;
  const height =
    CHART_HEIGHT_PX -
    CHART_PADDING.top -
    CHART_PADDING.bottom -
    titleBlockHeightPx(text) -
    X_AXIS_PX -
    rows * PANEL_NAME_PX -
    (rows - 1) * ROW_GAP_PX;
  const widthPx = Math.floor(width / columns);
  const heightPx = Math.floor(height / rows);
  return { widthPx, heightPx, extraRightPx: width - widthPx * columns, extraBottomPx: height - heightPx * rows };
}

/**
 * Width of the y axis, fixed in advance from its widest label so the grid adds up: a label wider than
 * a fixed guess would spill past the left edge.
 */
function yAxisExtent(format: ValueFormat, values: readonly number[]): number {
  const range = { maxAbs: maxAbs(values) };
  const widest = Math.max(
    ...values.map((value) => measureTextWidth(approximateLabelText(format, value, range), fontSizes.axisLabel)),
  );
  return Math.ceil(widest + Y_AXIS_TICK_AND_GAP_PX);
}
