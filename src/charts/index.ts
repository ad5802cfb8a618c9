/**
 * Charts: Vega-Lite specs that carry a claim, in one dark theme, rendered to SVG and PNG.
 * Builders return a `ChartSpec` (kept so the web page can draw the chart interactively);
 * `renderChart` turns any of them, or a plain Vega-Lite spec, into exactly 1500×900 SVG + PNG.
 */
export { type RenderOptions, renderChart } from './render.ts';
export * from './specs/index.ts';
export { CHART_HEIGHT_PX, CHART_WIDTH_PX, chartThemeConfig, palette } from './theme.ts';
export type { ChartSpec, RenderedChart, ValueFormat } from './types.ts';
