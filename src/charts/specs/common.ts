import { plainText } from '../../insights/narrative/format.ts';
import { wrapText } from '../labels.ts';
import { CHART_HEIGHT_PX, CHART_PADDING, CHART_WIDTH_PX, chartThemeConfig, fontSizes } from '../theme.ts';
import type { ChartSpec, ValueFormat } from '../types.ts';

/** A Vega-Lite spec under construction; Vega-Lite's own types are too strict for specs assembled piecewise. */
export type VegaLiteSpec = Record<string, unknown>;

/** What every chart says in words. */
export interface ChartText {
  /** The claim, as a headline ("Sales doubled after the March relaunch"). Wrapped to at most two lines. */
  title: string;
  /** Context: scope, unit, period. At most two lines. */
  subtitle?: string;
  /** One sentence a screen reader says instead of the chart; also the spec's `description`. */
  alt: string;
}

export const DEFAULT_FORMAT: ValueFormat = { kind: 'number' };

const TITLE_MAX_LINES = 2;
const TITLE_LINE_HEIGHT = 42;
const SUBTITLE_LINE_HEIGHT = 28;
const SUBTITLE_PADDING = 10;
const TITLE_OFFSET = 28;
const CONTENT_WIDTH_PX = CHART_WIDTH_PX - CHART_PADDING.left - CHART_PADDING.right;

interface WrappedText {
  titleLines: string[];
  subtitleLines: string[];
}

function wrapChartText(text: ChartText): WrappedText {
  return {
    titleLines: wrapText(text.title, CONTENT_WIDTH_PX, fontSizes.title, true, TITLE_MAX_LINES),
    subtitleLines: text.subtitle
      ? wrapText(text.subtitle, CONTENT_WIDTH_PX, fontSizes.subtitle, false, TITLE_MAX_LINES)
      : [],
  };
}

/**
 * Height in px the title block takes above the plot, as vega measures it: the first line counts its
 * font size, each further line its line height, then the gap to the plot.
 */
export function titleBlockHeightPx(text: ChartText): number {
  const { titleLines, subtitleLines } = wrapChartText(text);
  const title = fontSizes.title + (titleLines.length - 1) * TITLE_LINE_HEIGHT;
  const subtitle =
    subtitleLines.length > 0
      ? // Vega's bounds for the subtitle come out one pixel shorter than its font size (measured).
        SUBTITLE_PADDING + fontSizes.subtitle - 1 + (subtitleLines.length - 1) * SUBTITLE_LINE_HEIGHT
      : 0;
  return title + subtitle + TITLE_OFFSET;
}

/** Rough size of the plotting area once the title and the axes (given in px) are taken away. */
export function estimatePlotSize(
  text: ChartText,
  axes: { leftPx: number; bottomPx: number; rightPx?: number; topPx?: number },
): { widthPx: number; heightPx: number } {
  return {
    widthPx: CONTENT_WIDTH_PX - axes.leftPx - (axes.rightPx ?? 0),
    heightPx:
      CHART_HEIGHT_PX -
      CHART_PADDING.top -
      CHART_PADDING.bottom -
      titleBlockHeightPx(text) -
      axes.bottomPx -
      (axes.topPx ?? 0),
  };
}

/** The parts every chart shares: size, theme, title block, description. */
export function chartFrame(text: ChartText): VegaLiteSpec {
  const { titleLines, subtitleLines } = wrapChartText(text);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: text.alt,
    title: {
      text: titleLines.length === 1 ? titleLines[0] : titleLines,
      ...(subtitleLines.length > 0 ? { subtitle: subtitleLines.length === 1 ? subtitleLines[0] : subtitleLines } : {}),
      lineHeight: TITLE_LINE_HEIGHT,
      subtitleLineHeight: SUBTITLE_LINE_HEIGHT,
      subtitlePadding: SUBTITLE_PADDING,
      offset: TITLE_OFFSET,
    },
    width: CHART_WIDTH_PX,
    height: CHART_HEIGHT_PX,
    autosize: { type: 'fit', contains: 'padding' },
    config: chartThemeConfig(),
  };
}

export function chartSpec(type: string, written: ChartText, body: VegaLiteSpec): ChartSpec {
  // A chart shows text, not Markdown: a member written "\< 1 year" for the narrative is "< 1 year" here.
  const text: ChartText = {
    ...written,
    title: plainText(written.title),
    alt: plainText(written.alt),
    ...(written.subtitle ? { subtitle: plainText(written.subtitle) } : {}),
  };
  return {
    type,
    title: text.title,
    ...(text.subtitle ? { subtitle: text.subtitle } : {}),
    alt: text.alt,
    vegaLite: { ...chartFrame(text), ...steadyNumbers(body) },
  };
}

/** Significant digits kept in a spec: more than any axis, label or tooltip shows. */
const SPEC_DIGITS = 10;

/**
 * The body with every fraction cut to ten significant digits. DuckDB's parallel sums of a large file
 * differ in the last bits from run to run; cut, the spec is the same bytes every time.
 */
function steadyNumbers<T>(value: T): T {
  if (typeof value === 'number') {
    return (Number.isInteger(value) || !Number.isFinite(value) ? value : Number(value.toPrecision(SPEC_DIGITS))) as T;
  }
  if (Array.isArray(value)) return value.map(steadyNumbers) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, steadyNumbers(entry)])) as T;
  }
  return value;
}

/** Axis title: `null` hides it (Vega-Lite would otherwise print the internal field name). */
export function axisTitle(title: string | undefined): string | null {
  return title && title.trim() !== '' ? title : null;
}

/** Only finite numbers; null, NaN and ±Infinity are gaps, never zeros. */
export function finiteNumbers(values: readonly (number | null | undefined)[]): number[] {
  return values.filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
}

export function maxAbs(values: readonly number[]): number {
  return values.reduce((largest, value) => Math.max(largest, Math.abs(value)), 0);
}

export function assertMaxItems(chart: string, what: string, count: number, max: number): void {
  if (count > max) {
    throw new RangeError(`${chart}: ${count} ${what} is too many to read; pass at most ${max} (top N plus "Other").`);
  }
}
