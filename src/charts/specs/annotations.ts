import { cleanLabel, truncateLabel } from '../labels.ts';
import { fontSizes, palette } from '../theme.ts';
import type { VegaLiteSpec } from './common.ts';

/** Annotation text is ours or the engine's, but may quote column names: clean it and keep it short. */
const MAX_ANNOTATION_CHARS = 60;

export function annotationText(label: string): string {
  return truncateLabel(cleanLabel(label), MAX_ANNOTATION_CHARS);
}

const RULE_STYLE = { strokeWidth: 2, strokeDash: [8, 6], color: palette.annotation } as const;

/**
 * A dashed reference line at `value` on the value axis, labelled at its far end. `valueChannel` is the
 * axis the value is measured on: `y` gives a horizontal line (label at the right end, above the line),
 * `x` a vertical one (label above the plot). Labels travel as data, never inside an expression.
 */
export function referenceLineLayers(
  valueChannel: 'x' | 'y',
  line: { value: number | string; label: string },
  options: {
    valueType?: 'quantitative' | 'temporal' | 'ordinal';
    labelRow?: number;
    alignRight?: boolean;
    color?: string;
  } = {},
): VegaLiteSpec[] {
  const data = { values: [{ value: line.value, label: annotationText(line.label) }] };
  const position = { field: 'value', type: options.valueType ?? 'quantitative' };
  const color = options.color ?? palette.annotation;
  const rule: VegaLiteSpec = {
    data,
    mark: { type: 'rule', ...RULE_STYLE, color },
    encoding: { [valueChannel]: position },
  };
  const text: VegaLiteSpec =
    valueChannel === 'y'
      ? {
          data,
          // Right of the plot, like a direct label: inside it, the text would collide with the data.
          mark: { type: 'text', x: 'width', align: 'left', baseline: 'middle', dx: 10, color },
          encoding: { y: position, text: { field: 'label' } },
        }
      : {
          data,
          mark: {
            type: 'text',
            y: -(fontSizes.dataLabel + 4) * (options.labelRow ?? 0),
            // Near the right edge the label reads leftwards from the line, so it stays inside the image.
            align: options.alignRight ? 'right' : 'left',
            baseline: 'bottom',
            dx: options.alignRight ? -6 : 6,
            dy: -6,
            color,
          },
          encoding: { x: position, text: { field: 'label' } },
        };
  return [rule, text];
}

/**
 * A translucent band between `lower` and `upper` on the value axis. Returns the band (draw it first,
 * behind the data) and its label (draw it last, or bars would cover it): for a horizontal band, the label
 * sits right of the plot at the band's middle; for a vertical one, above the plot at its left edge.
 */
export function valueBandLayers(
  valueChannel: 'x' | 'y',
  band: { lower: number; upper: number; label: string },
): { band: VegaLiteSpec; label: VegaLiteSpec } {
  const data = {
    values: [
      {
        lower: band.lower,
        upper: band.upper,
        middle: (band.lower + band.upper) / 2,
        label: annotationText(band.label),
      },
    ],
  };
  const other = valueChannel === 'x' ? 'y' : 'x';
  const rect: VegaLiteSpec = {
    data,
    mark: { type: 'rect', color: palette.annotation, opacity: 0.12 },
    encoding: {
      [valueChannel]: { field: 'lower', type: 'quantitative' },
      [`${valueChannel}2`]: { field: 'upper' },
      [other]: { value: 0 },
      [`${other}2`]: { value: other === 'y' ? 'height' : 'width' },
    },
  };
  const text: VegaLiteSpec =
    valueChannel === 'x'
      ? {
          data,
          mark: { type: 'text', y: 0, align: 'left', baseline: 'bottom', dx: 6, dy: -6, color: palette.mutedText },
          encoding: { x: { field: 'lower', type: 'quantitative' }, text: { field: 'label' } },
        }
      : {
          data,
          mark: { type: 'text', x: 'width', align: 'left', baseline: 'middle', dx: 10, color: palette.mutedText },
          encoding: { y: { field: 'middle', type: 'quantitative' }, text: { field: 'label' } },
        };
  return { band: rect, label: text };
}

/**
 * A text layer preceded by a copy drawn as a thick outline in the background colour: where a label
 * crosses a line or gridline, the outline clears a gap around the letters so they stay readable.
 */
export function withHalo(textLayer: VegaLiteSpec): VegaLiteSpec[] {
  const { color: _colour, ...encoding } = (textLayer['encoding'] ?? {}) as Record<string, unknown>;
  const halo: VegaLiteSpec = {
    ...textLayer,
    mark: {
      ...(textLayer['mark'] as Record<string, unknown>),
      color: palette.background,
      stroke: palette.background,
      strokeWidth: 7,
      strokeJoin: 'round',
    },
    encoding,
  };
  return [halo, textLayer];
}

/**
 * Which label row (0 or 1) each of several vertical rules should use: rules closer than `minFraction` of
 * the axis alternate rows so their labels do not overwrite each other. `fractions` must be sorted.
 */
export function staggeredLabelRows(fractions: readonly number[], minFraction = 0.25): number[] {
  let previous = Number.NEGATIVE_INFINITY;
  let row = 0;
  return fractions.map((fraction) => {
    row = fraction - previous < minFraction ? 1 - row : 0;
    previous = fraction;
    return row;
  });
}
