import { CHART_FONT_FAMILY } from './fonts.ts';

/** Output size of every chart: 10×6 in at 150 DPI, shown at about half size in a report. */
export const CHART_WIDTH_PX = 1500;
export const CHART_HEIGHT_PX = 900;

/** Space between the image edge and the chart's outermost text. */
export const CHART_PADDING = { top: 36, bottom: 28, left: 40, right: 56 } as const;

/** Colours by role: what a mark is *for* decides its colour, so every chart in a story reads the same way. */
export const palette = {
  background: '#141414',
  /** The thing the sentence is about. */
  accent: '#f5a623',
  /** A second named thing: the comparison, the low point, the "before". */
  contrast: '#4aa3ff',
  /** Everything shown only for context. */
  neutral: '#6b6b6b',
  /** Context lines are thin, so they need a lighter grey than context bars to stay visible. */
  neutralLine: '#7d7d7d',
  text: '#eaeaea',
  mutedText: '#bdbdbd',
  grid: '#2a2a2a',
  domain: '#4a4a4a',
  /** Reference lines and annotations: visible but quieter than the data. */
  annotation: '#d0d0d0',
  /** Eight hues that stay apart from each other and from the dark background (lightness ~60–75%). */
  categorical: ['#4aa3ff', '#f5a623', '#3ccf91', '#ff6b6b', '#b58cff', '#ffd84a', '#4fd6e0', '#ff8fc7'],
} as const;

/** Font sizes in px for a 1500×900 image read at half size. */
export const fontSizes = {
  title: 34,
  subtitle: 22,
  axisLabel: 20,
  axisTitle: 22,
  dataLabel: 20,
  legend: 20,
} as const;

/** Labels are truncated by us (to a character budget) before they reach vega; its own limit would cut them again. */
const NO_VEGA_LABEL_LIMIT = 2000;

/** The dark theme as a Vega-Lite `config`. A fresh object per call: specs are mutated by callers. */
export function chartThemeConfig(): Record<string, unknown> {
  const font = CHART_FONT_FAMILY;
  return {
    background: palette.background,
    font,
    padding: { ...CHART_PADDING },
    view: { stroke: null },
    // The chart's alt sentence is its accessible description; per-mark ARIA labels for thousands of
    // points would only bloat the SVG and slow rendering.
    aria: false,
    title: {
      font,
      fontSize: fontSizes.title,
      fontWeight: 'bold',
      color: palette.text,
      subtitleFont: font,
      subtitleFontSize: fontSizes.subtitle,
      subtitleFontWeight: 'normal',
      subtitleColor: palette.mutedText,
      subtitlePadding: 10,
      anchor: 'start',
      frame: 'bounds',
      offset: 28,
      lineHeight: 42,
      subtitleLineHeight: 28,
    },
    axis: {
      labelFont: font,
      labelFontSize: fontSizes.axisLabel,
      labelColor: palette.mutedText,
      labelLimit: NO_VEGA_LABEL_LIMIT,
      labelPadding: 8,
      titleFont: font,
      titleFontSize: fontSizes.axisTitle,
      titleFontWeight: 'normal',
      titleColor: palette.text,
      titlePadding: 16,
      gridColor: palette.grid,
      gridWidth: 1,
      domainColor: palette.domain,
      tickColor: palette.domain,
      tickSize: 6,
    },
    axisBand: { domain: false, ticks: false, grid: false, labelPadding: 10 },
    // Six ticks are plenty at this label size; vega's default (one per 40 px) crowds a 700 px axis.
    axisQuantitative: { tickCount: 6 },
    axisTemporal: { tickCount: 8, labelFlush: true },
    legend: {
      labelFont: font,
      labelFontSize: fontSizes.legend,
      labelColor: palette.mutedText,
      labelLimit: NO_VEGA_LABEL_LIMIT,
      titleFont: font,
      titleFontSize: fontSizes.legend,
      titleFontWeight: 'normal',
      titleColor: palette.text,
      symbolSize: 260,
      symbolStrokeWidth: 4,
      rowPadding: 8,
      columnPadding: 24,
    },
    header: {
      labelFont: font,
      labelFontSize: fontSizes.axisLabel,
      labelColor: palette.text,
      labelLimit: NO_VEGA_LABEL_LIMIT,
      titleFont: font,
      titleFontSize: fontSizes.axisTitle,
      titleColor: palette.text,
    },
    mark: { font, color: palette.contrast },
    text: { font, fontSize: fontSizes.dataLabel, color: palette.text },
    range: { category: [...palette.categorical] },
    line: { strokeWidth: 3, strokeCap: 'round', strokeJoin: 'round' },
    point: { filled: true, size: 80 },
    bar: { cornerRadiusEnd: 2 },
    rule: { color: palette.annotation },
  };
}
