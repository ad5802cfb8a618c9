import { approximateLabelText, formatExpression } from '../format.ts';
import { cleanLabel, distinctDisplayLabels, truncateLabel, widestLabelPx } from '../labels.ts';
import { measureTextWidth } from '../text-metrics.ts';
import { fontSizes, palette } from '../theme.ts';
import type { ChartSpec, ValueFormat } from '../types.ts';
import { MAX_BARS } from './bar.ts';
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
import { distinctInOrder } from './x-values.ts';

export interface GroupedBarOptions extends ChartText {
  /** One value per member (`group`) and period or variant (`series`), e.g. share per source in 2001 and 2017. */
  data: { group: string; series: string; value: number }[];
  /** The series the sentence is about (accent colour, labelled). Default: the last series ("after"). */
  highlightSeries?: string;
  /** `value-desc` orders members by their value in the highlighted series. Default `as-given`. */
  order?: 'value-desc' | 'as-given';
  orientation?: 'auto' | 'horizontal' | 'vertical';
  /** Label the highlighted series' bars; default when there are at most 15 members. */
  showValues?: boolean;
  categoryTitle?: string;
  valueTitle?: string;
  format?: ValueFormat;
}

const MAX_SERIES = 4;
const MAX_LABELLED_GROUPS = 15;

/** Before/after (or side-by-side) comparison per member. */
export function groupedBar(options: GroupedBarOptions): ChartSpec {
  const format = options.format ?? DEFAULT_FORMAT;
  const seriesNames = distinctInOrder(options.data.map((datum) => shortSeries(datum.series)));
  assertMaxItems('groupedBar', 'series', seriesNames.length, MAX_SERIES);
  const highlight = options.highlightSeries !== undefined ? shortSeries(options.highlightSeries) : seriesNames.at(-1);
  const rawGroups = distinctInOrder(options.data.map((datum) => datum.group));
  assertMaxItems('groupedBar', 'members', rawGroups.length, MAX_BARS);
  const groupOrder = orderGroups(options, rawGroups, highlight);
  const displayByGroup = new Map(groupOrder.map((group, index) => [group, distinctDisplayLabels(groupOrder)[index]!]));
  const keys = groupOrder.map((group) => displayByGroup.get(group)!);
  const rows = options.data.map((datum) => {
    const series = shortSeries(datum.series);
    return { key: displayByGroup.get(datum.group)!, series, value: datum.value, isHighlight: series === highlight };
  });
  const showValues = options.showValues ?? keys.length <= MAX_LABELLED_GROUPS;
  const horizontal = chooseHorizontal(options, keys, seriesNames.length);
  const [categoryChannel, valueChannel] = horizontal ? (['y', 'x'] as const) : (['x', 'y'] as const);
  const offsetChannel = horizontal ? 'yOffset' : 'xOffset';
  const values = finiteNumbers([0, ...rows.map((row) => row.value)]);
  const range = { maxAbs: maxAbs(values) };
  const low = Math.min(...values);
  const high = Math.max(...values);
  const labelPx = horizontal
    ? Math.max(
        ...rows.map((row) => measureTextWidth(approximateLabelText(format, row.value, range), fontSizes.dataLabel)),
      )
    : fontSizes.dataLabel + 4;
  const axisPx = horizontal
    ? estimatePlotSize(options, { leftPx: widestLabelPx(keys, fontSizes.axisLabel) + 20, bottomPx: 72, topPx: 40 })
        .widthPx
    : estimatePlotSize(options, { leftPx: 100, bottomPx: 72, topPx: 40 }).heightPx;
  const headroom = showValues ? (high - low) * ((labelPx + 16) / Math.max(axisPx - labelPx - 16, 100)) : 0;
  const { scale, axis } = valueScaleAndAxis({
    values,
    format,
    title: axisTitle(options.valueTitle),
    log: false,
    zero: true,
    domain: [low, high + headroom],
  });
  const colours = seriesNames.map((series, index) =>
    series === highlight
      ? palette.accent
      : seriesNames.length === 2
        ? '#8f8f8f'
        : [palette.contrast, '#8f8f8f', palette.neutral][index % 3]!,
  );
  const category = {
    field: 'key',
    type: 'nominal',
    sort: keys,
    scale: { paddingInner: 0.3 },
    axis: { title: axisTitle(options.categoryTitle), ...(horizontal ? {} : { labelAngle: 0 }) },
  };
  const offset = { field: 'series', type: 'nominal', sort: seriesNames, scale: { paddingInner: 0.08 } };
  const layers: VegaLiteSpec[] = [
    {
      mark: { type: 'bar' },
      encoding: {
        [categoryChannel]: category,
        [offsetChannel]: offset,
        [valueChannel]: { field: 'value', type: 'quantitative', scale, axis },
        color: {
          field: 'series',
          type: 'nominal',
          sort: seriesNames,
          scale: { domain: seriesNames, range: colours },
          legend: { orient: 'top', direction: 'horizontal', title: null, symbolType: 'square' },
        },
      },
    },
  ];
  if (showValues) {
    layers.push({
      transform: [
        { filter: 'datum.isHighlight' },
        { calculate: formatExpression(format, 'datum.value', range, 'label'), as: 'valueLabel' },
      ],
      mark: horizontal
        ? { type: 'text', align: 'left', baseline: 'middle', dx: 8, color: palette.accent, fontWeight: 'bold' }
        : { type: 'text', align: 'center', baseline: 'bottom', dy: -8, color: palette.accent, fontWeight: 'bold' },
      encoding: {
        [categoryChannel]: { field: 'key', type: 'nominal', sort: keys },
        [offsetChannel]: offset,
        [valueChannel]: { field: 'value', type: 'quantitative', title: axis.title },
        text: { field: 'valueLabel' },
      },
    });
  }
  return chartSpec('grouped-bar', options, { data: { values: rows }, layer: layers });
}

function shortSeries(series: string): string {
  return truncateLabel(cleanLabel(series), 30);
}

function orderGroups(options: GroupedBarOptions, groups: string[], highlight: string | undefined): string[] {
  if (options.order !== 'value-desc') return groups;
  const highlightedValue = new Map<string, number>();
  for (const datum of options.data) {
    if (shortSeries(datum.series) === highlight) highlightedValue.set(datum.group, datum.value);
  }
  return [...groups].sort((a, b) => (highlightedValue.get(b) ?? -Infinity) - (highlightedValue.get(a) ?? -Infinity));
}

function chooseHorizontal(options: GroupedBarOptions, keys: string[], seriesCount: number): boolean {
  const requested = options.orientation ?? 'auto';
  if (requested !== 'auto') return requested === 'horizontal';
  if (keys.length * seriesCount > 16) return true;
  const { widthPx } = estimatePlotSize(options, { leftPx: 100, bottomPx: 80 });
  return widestLabelPx(keys, fontSizes.axisLabel) > (widthPx / keys.length) * 0.85;
}
