import { formatExpression } from '../format.ts';
import { distinctDisplayLabels, widestLabelPx } from '../labels.ts';
import { measureTextWidth } from '../text-metrics.ts';
import { fontSizes, palette } from '../theme.ts';
import type { ChartSpec, ValueFormat } from '../types.ts';
import { withHalo } from './annotations.ts';
import { MAX_BARS } from './bar.ts';
import { assertMaxItems, axisTitle, type ChartText, chartSpec, estimatePlotSize, type VegaLiteSpec } from './common.ts';
import { valueScaleAndAxis } from './scales.ts';

export interface ParetoChartOptions extends ChartText {
  /** Members sorted by value, largest first (the caller's top N plus "Other" is fine). Values must be ≥ 0. */
  data: { label: string; value: number }[];
  /** How many leading members the claim is about ("the top 5 make 58.9%"). */
  topK: number;
  categoryTitle?: string;
  /** Title of the percent axis; default "Share of total". */
  valueTitle?: string;
}

const SHARE_FORMAT: ValueFormat = { kind: 'percent', percentScale: 'fraction' };
const MAX_VERTICAL_MEMBERS = 12;

/**
 * Concentration: each member's share of the total as bars (top K in the accent colour) and the running
 * total as a line on the same percent axis, labelled where the top K end.
 */
export function paretoChart(options: ParetoChartOptions): ChartSpec {
  assertMaxItems('paretoChart', 'members', options.data.length, MAX_BARS);
  if (options.data.some((datum) => !(datum.value >= 0))) {
    throw new RangeError('paretoChart: every value must be a number ≥ 0 (shares of a total)');
  }
  const total = options.data.reduce((sum, datum) => sum + datum.value, 0) || 1;
  const keys = distinctDisplayLabels(options.data.map((datum) => datum.label));
  const topK = Math.max(0, Math.min(Math.round(options.topK), options.data.length));
  let running = 0;
  const rows = options.data.map((datum, index) => {
    running += datum.value;
    return {
      key: keys[index]!,
      share: datum.value / total,
      cumulative: running / total,
      role: index < topK ? 'top' : 'rest',
      isTopKEnd: index === topK - 1,
    };
  });
  const horizontal = chooseHorizontal(options, keys);
  // In horizontal bars the running total starts exactly where the first bar ends, so a label placed
  // after a bar would sit on the line: long enough bars carry their label inside, in dark text.
  const barAxisPx = horizontal
    ? estimatePlotSize(options, { leftPx: widestLabelPx(keys, fontSizes.axisLabel) + 20, bottomPx: 72 }).widthPx
    : 0;
  const labelled = rows.map((row) => ({
    ...row,
    labelInside: horizontal && row.share * barAxisPx > measureTextWidth('00.0%', fontSizes.dataLabel, true) + 16,
  }));
  const [categoryChannel, valueChannel] = horizontal ? (['y', 'x'] as const) : (['x', 'y'] as const);
  const { scale, axis } = valueScaleAndAxis({
    values: [0, 1],
    format: SHARE_FORMAT,
    title: axisTitle(options.valueTitle ?? 'Share of total'),
    log: false,
    zero: true,
    domain: [0, 1.0001],
  });
  const category = {
    field: 'key',
    type: 'nominal',
    sort: keys,
    scale: { paddingInner: 0.25 },
    axis: { title: axisTitle(options.categoryTitle), ...(horizontal ? {} : { labelAngle: 0 }) },
  };
  const cumulative = { field: 'cumulative', type: 'quantitative' };
  const shareLabel = formatExpression(SHARE_FORMAT, 'datum.share', { maxAbs: 1 }, 'label');
  const topKEnd = rows[topK - 1];
  const topKText = topKEnd ? `top ${topK}: ${(topKEnd.cumulative * 100).toFixed(1)}%` : '';

  const layers: VegaLiteSpec[] = [
    {
      mark: { type: 'bar' },
      encoding: {
        [categoryChannel]: category,
        [valueChannel]: { field: 'share', type: 'quantitative', scale, axis },
        color: {
          field: 'role',
          type: 'nominal',
          scale: { domain: ['top', 'rest'], range: [palette.accent, palette.neutral] },
          legend: null,
        },
      },
    },
    {
      transform: [{ filter: "datum.role === 'top'" }, { calculate: shareLabel, as: 'shareLabel' }],
      mark: horizontal
        ? {
            type: 'text',
            baseline: 'middle',
            fontWeight: 'bold',
            align: { expr: "datum.labelInside ? 'right' : 'left'" },
            dx: { expr: 'datum.labelInside ? -10 : 8' },
          }
        : { type: 'text', align: 'center', baseline: 'bottom', dy: -8, color: palette.accent, fontWeight: 'bold' },
      encoding: {
        [categoryChannel]: { field: 'key', type: 'nominal', sort: keys },
        [valueChannel]: { field: 'share', type: 'quantitative' },
        text: { field: 'shareLabel' },
        ...(horizontal
          ? { color: { condition: { test: 'datum.labelInside', value: palette.background }, value: palette.accent } }
          : {}),
      },
    },
    {
      mark: {
        type: 'line',
        color: palette.text,
        strokeWidth: 3,
        point: { filled: true, size: 70, color: palette.text },
      },
      encoding: { [categoryChannel]: { field: 'key', type: 'nominal', sort: keys }, [valueChannel]: cumulative },
    },
  ];
  if (topKEnd) {
    layers.push(
      {
        transform: [{ filter: 'datum.isTopKEnd' }],
        mark: { type: 'point', filled: true, size: 260, color: palette.accent, stroke: palette.text, strokeWidth: 2 },
        encoding: { [categoryChannel]: { field: 'key', type: 'nominal', sort: keys }, [valueChannel]: cumulative },
      },
      ...withHalo({
        data: { values: [{ key: topKEnd.key, cumulative: topKEnd.cumulative, label: topKText }] },
        mark: horizontal
          ? { type: 'text', align: 'left', baseline: 'middle', dx: 18, fontWeight: 'bold', color: palette.accent }
          : {
              type: 'text',
              align: 'right',
              baseline: 'bottom',
              dx: -12,
              dy: -14,
              fontWeight: 'bold',
              color: palette.accent,
            },
        encoding: {
          [categoryChannel]: { field: 'key', type: 'nominal', sort: keys },
          [valueChannel]: cumulative,
          text: { field: 'label' },
        },
      }),
    );
  }
  return chartSpec('pareto', options, { data: { values: labelled }, layer: layers });
}

function chooseHorizontal(options: ParetoChartOptions, keys: string[]): boolean {
  if (keys.length > MAX_VERTICAL_MEMBERS) return true;
  const { widthPx } = estimatePlotSize(options, { leftPx: 100, bottomPx: 80 });
  return widestLabelPx(keys, fontSizes.axisLabel) > (widthPx / keys.length) * 0.85;
}
