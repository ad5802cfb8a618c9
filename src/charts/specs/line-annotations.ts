import { fontSizes, palette } from '../theme.ts';
import { annotationText, referenceLineLayers, staggeredLabelRows, withHalo } from './annotations.ts';
import type { VegaLiteSpec } from './common.ts';
import { spreadPositions } from './label-placement.ts';
import type { LineChartOptions, LineRow } from './line.ts';
import type { PlannedAxis } from './scales.ts';
import { distinctInOrder, type XType, type XValue, xFraction } from './x-values.ts';

/** The annotation layers of a line chart: each turns one part of the claim into something visible. */

export function fitLayers(
  fit: NonNullable<LineChartOptions['fit']>,
  toX: (x: XValue) => number | string | null,
  x: VegaLiteSpec,
  /** Where the label goes when the series' end labels had to make room for it (default: the fit's end). */
  labelY?: number,
): { line: VegaLiteSpec; label: VegaLiteSpec[] } {
  const values = fit.points.map((point) => ({ x: toX(point.x), y: point.y }));
  const last = values[values.length - 1]!;
  return {
    line: {
      data: { values },
      mark: { type: 'line', color: palette.text, strokeWidth: 2.5, strokeDash: [10, 7], opacity: 0.9 },
      encoding: { x, y: { field: 'y', type: 'quantitative' } },
    },
    label: withHalo({
      data: { values: [{ ...last, y: labelY ?? last.y, label: annotationText(fit.label) }] },
      mark: { type: 'text', align: 'left', baseline: 'middle', dx: 10, color: palette.text },
      encoding: { x, y: { field: 'y', type: 'quantitative' }, text: { field: 'label' } },
    }),
  };
}

/**
 * A mean over a span (before or after a change) as a thick rule, labelled where the data leaves room: just
 * above the span's highest value, or just below its lowest when the top of the plot is too close, so the
 * label never sits on a noisy line.
 */
export function segmentLayers(
  segment: NonNullable<LineChartOptions['segments']>[number],
  toX: (x: XValue) => number | string | null,
  x: VegaLiteSpec,
  placement: { rows: LineRow[]; yAxis: PlannedAxis; plotHeightPx: number },
): VegaLiteSpec[] {
  const x1 = toX(segment.x1);
  const x2 = toX(segment.x2);
  const middle = typeof x1 === 'number' && typeof x2 === 'number' ? (x1 + x2) / 2 : x1;
  const covered = valuesInSpan(
    placement.rows.filter((row) => row.role === 'focus'),
    x1,
    x2,
  );
  const top = Math.max(segment.y, ...covered);
  const bottom = Math.min(segment.y, ...covered);
  const needed = (fontSizes.dataLabel + 16) / Math.max(placement.plotHeightPx, 200);
  const roomAbove = 1 - placement.yAxis.fraction(top);
  const above = roomAbove >= needed || roomAbove >= placement.yAxis.fraction(bottom);
  const rule = { x1, x2, middle, y: segment.y };
  const label = { middle, y: above ? top : bottom, label: annotationText(segment.label) };
  return [
    {
      data: { values: [rule] },
      mark: { type: 'rule', color: palette.contrast, strokeWidth: 3.5 },
      encoding: { x: { ...x, field: 'x1' }, x2: { field: 'x2' }, y: { field: 'y', type: 'quantitative' } },
    },
    ...withHalo({
      data: { values: [label] },
      mark: {
        type: 'text',
        baseline: above ? 'bottom' : 'top',
        dy: above ? -10 : 10,
        color: palette.contrast,
        fontWeight: 'bold',
      },
      encoding: { x: { ...x, field: 'middle' }, y: { field: 'y', type: 'quantitative' }, text: { field: 'label' } },
    }),
  ];
}

/** The values of `rows` whose x lies between `x1` and `x2` (by value, or by order for category positions). */
function valuesInSpan(rows: LineRow[], x1: number | string | null, x2: number | string | null): number[] {
  let inside: (x: number | string | null) => boolean;
  if (typeof x1 === 'number' && typeof x2 === 'number') {
    inside = (x) => typeof x === 'number' && x >= Math.min(x1, x2) && x <= Math.max(x1, x2);
  } else {
    const order = new Map(distinctInOrder(rows.map((row) => row.x)).map((value, index) => [value, index]));
    const [from, to] = [order.get(x1) ?? -1, order.get(x2) ?? -1].sort((a, b) => a - b) as [number, number];
    inside = (x) => {
      const at = order.get(x) ?? -1;
      return from >= 0 && at >= from && at <= to;
    };
  }
  return rows.flatMap((row) => (row.y !== null && inside(row.x) ? [row.y] : []));
}

export function bandLabelLayer(
  label: string,
  band: NonNullable<LineChartOptions['band']>,
  toX: (x: XValue) => number | string | null,
  x: VegaLiteSpec,
): VegaLiteSpec[] {
  const last = band[band.length - 1]!;
  return withHalo({
    data: { values: [{ x: toX(last.x), y: last.upper, label: annotationText(label) }] },
    mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -6, color: palette.contrast },
    encoding: { x, y: { field: 'y', type: 'quantitative' }, text: { field: 'label' } },
  });
}

/** Rules close together get their labels on alternating rows, so the texts do not run into each other. */
export function ruleLayers(
  rules: NonNullable<LineChartOptions['rules']>,
  toX: (x: XValue) => number | string | null,
  xType: XType,
  allX: readonly (number | string | null)[],
): VegaLiteSpec[] {
  const placed = rules
    .map((rule) => ({ ...rule, at: toX(rule.x) }))
    .filter((rule) => rule.at !== null)
    .sort((a, b) => xFraction(a.at, allX) - xFraction(b.at, allX));
  const rows = staggeredLabelRows(placed.map((rule) => xFraction(rule.at, allX)));
  return placed.flatMap((rule, index) =>
    referenceLineLayers(
      'x',
      { value: rule.at as number | string, label: rule.label },
      {
        valueType: xType === 'temporal' ? 'temporal' : xType === 'ordinal' ? 'ordinal' : 'quantitative',
        labelRow: rows[index] ?? 0,
        alignRight: xFraction(rule.at, allX) > 0.7,
      },
    ),
  );
}

export function markLayers(
  marks: NonNullable<LineChartOptions['marks']>,
  toX: (x: XValue) => number | string | null,
  allX: readonly (number | string | null)[],
  yAxis: PlannedAxis,
  x: VegaLiteSpec,
): VegaLiteSpec[] {
  const values = marks.map((mark) => {
    const x = toX(mark.x);
    const xAt = xFraction(x, allX);
    // Above the point by default; a point at the very top gets its label beside it instead, on the
    // side with more room, so the label neither leaves the plot nor lands on the line below.
    const nearTop = yAxis.fraction(mark.y) > 0.9;
    const beside = xAt > 0.5 ? 'right' : 'left';
    if (mark.below) {
      return { x, y: mark.y, label: annotationText(mark.label), align: 'left', dx: 24, dy: 24, baseline: 'top' };
    }
    return {
      x,
      y: mark.y,
      label: annotationText(mark.label),
      align: nearTop ? beside : xAt > 0.85 ? 'right' : xAt < 0.15 ? 'left' : 'center',
      dx: nearTop ? (beside === 'right' ? -24 : 24) : 0,
      dy: nearTop ? 0 : -26,
      baseline: nearTop ? 'middle' : 'bottom',
    };
  });
  const position = { x, y: { field: 'y', type: 'quantitative' } };
  return [
    {
      data: { values },
      mark: { type: 'point', filled: false, size: 900, strokeWidth: 3, color: palette.text, opacity: 1 },
      encoding: position,
    },
    ...withHalo({
      data: { values },
      mark: {
        type: 'text',
        fontWeight: 'bold',
        color: palette.text,
        align: { expr: 'datum.align' },
        baseline: { expr: 'datum.baseline' },
        dx: { expr: 'datum.dx' },
        dy: { expr: 'datum.dy' },
      },
      encoding: { ...position, text: { field: 'label' } },
    }),
  ];
}

/** Series names at the right end of each coloured line, spread apart so they never overlap. */
/**
 * The series' names at their last points, spread so none overlap; `fitEndY`, the end of a fitted trend,
 * takes part in the spreading (its label sits at the same right edge) and comes back moved as `fitLabelY`.
 */
export function endLabelLayer(
  rows: LineRow[],
  focus: string[],
  yAxis: PlannedAxis,
  plotHeightPx: number,
  x: VegaLiteSpec,
  colour: VegaLiteSpec,
  fitEndY?: number,
): { layer: VegaLiteSpec; fitLabelY?: number } {
  const ends = focus.flatMap((series) => {
    const last = [...rows].reverse().find((row) => row.series === series && row.y !== null);
    return last ? [{ series, x: last.x, y: last.y as number }] : [];
  });
  const minGap = (fontSizes.dataLabel + 6) / Math.max(plotHeightPx, 200);
  const spread = spreadPositions(
    [...ends.map((end) => end.y), ...(fitEndY === undefined ? [] : [fitEndY])].map((y) => yAxis.fraction(y)),
    minGap,
  );
  const values = ends.map((end, index) => ({ ...end, labelY: yAxis.valueAt(spread[index]!) }));
  return {
    layer: {
      data: { values },
      mark: { type: 'text', align: 'left', baseline: 'middle', dx: 12, fontWeight: 'bold' },
      encoding: { x, y: { field: 'labelY', type: 'quantitative' }, text: { field: 'series' }, color: colour },
    },
    ...(fitEndY === undefined ? {} : { fitLabelY: yAxis.valueAt(spread[ends.length]!) }),
  };
}
