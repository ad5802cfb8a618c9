import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { CHART_FONT_FAMILY, requireChartFontFiles } from './fonts.ts';
import { RasterPool } from './raster-pool.ts';
import { isBoldWeight, measureTextWidth } from './text-metrics.ts';
import { CHART_HEIGHT_PX, CHART_WIDTH_PX, palette } from './theme.ts';
import type { ChartSpec, RenderedChart } from './types.ts';

export interface RenderOptions {
  /**
   * Font files resvg may use, and nothing else (system fonts are never loaded, so output is the same on
   * every machine). Default: the DejaVu Sans regular and bold files; rendering fails when they are missing.
   */
  fontFiles?: string[];
}

/** Vega-Lite spec (or a builder's ChartSpec) → SVG (vega) → PNG (resvg), both exactly 1500×900 and byte-stable. */
export async function renderChart(
  spec: ChartSpec | Record<string, unknown>,
  options: RenderOptions = {},
): Promise<RenderedChart> {
  // Check fonts first: a chart without them would be drawn with every label silently missing.
  const fontFiles = options.fontFiles ?? requireChartFontFiles();
  const svg = await renderSvg(isChartSpec(spec) ? spec.vegaLite : spec);
  // Rasterized on worker threads: the main thread goes on laying out the next chart meanwhile.
  const png = await rasterPool.rasterize(svg, resvgOptions(fontFiles));
  return { svg, png };
}

const rasterPool = new RasterPool();

/** Starts the chart rasterizers now, so the first chart does not wait for them (a server calls it at start). */
export function warmChartRenderer(): void {
  rasterPool.warm();
}

function isChartSpec(spec: ChartSpec | Record<string, unknown>): spec is ChartSpec {
  return typeof spec['vegaLite'] === 'object' && spec['vegaLite'] !== null && typeof spec['alt'] === 'string';
}

/** Vega-Lite → SVG string, sized exactly CHART_WIDTH_PX × CHART_HEIGHT_PX. */
export async function renderSvg(vegaLiteSpec: Record<string, unknown>): Promise<string> {
  useDejaVuTextMetrics();
  // Vega warns about harmless things (e.g. unioned domains of layered marks); only errors matter here.
  const logger = vega.logger(vega.Error);
  const compiled = compile(vegaLiteSpec as unknown as TopLevelSpec, { logger });
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none', logger });
  try {
    return fitSvgToChartSize(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/** SVG → PNG with exactly the given fonts, on the chart background. */
export function rasterizeSvg(svg: string, fontFiles: string[]): Uint8Array {
  return new Resvg(svg, resvgOptions(fontFiles)).render().asPng();
}

const resvgOptions = (fontFiles: string[]) => ({
  fitTo: { mode: 'original' as const },
  background: palette.background,
  font: { loadSystemFonts: false, fontFiles, defaultFontFamily: CHART_FONT_FAMILY },
});

/**
 * Vega lays text out with its `textMetrics.width`. Without a canvas it guesses 0.8 em per character,
 * which reserves far too much room for every label; vega supports replacing the function (vl-convert
 * does the same), so we measure with the advance widths of the font resvg will draw with.
 * This is process-wide vega state, set once; it only makes measurements more accurate.
 */
function useDejaVuTextMetrics(): void {
  // vega exports `textMetrics` but its type declarations omit it.
  const { textMetrics } = vega as unknown as { textMetrics: { width: typeof measureWithDejaVu } };
  if (textMetrics.width !== measureWithDejaVu) textMetrics.width = measureWithDejaVu;
}

function measureWithDejaVu(item: vega.Item, text?: string | string[]): number {
  const line = Array.isArray(text) ? text.join(' ') : text;
  const value = line === null || line === undefined ? '' : String(line).trim();
  const record = item as unknown as { fontSize?: number; fontWeight?: unknown; limit?: number };
  const fontSize = record.fontSize !== null && record.fontSize !== undefined ? Number(record.fontSize) || 0 : 11;
  const width = value ? measureTextWidth(value, fontSize, isBoldWeight(record.fontWeight)) : 0;
  // Vega asks this one function both for layout bounds (where a text with a `limit` must not count
  // wider than the limit it will be cut to) and, while cutting, for the width of candidate prefixes
  // (which are compared against the limit minus the ellipsis): capping at the limit serves both.
  const limit = Number(record.limit) || 0;
  return limit > 0 ? Math.min(width, limit) : width;
}

/**
 * Single and layered views fill 1500×900 exactly (`autosize: fit`). Faceted views cannot use `fit`, so
 * their builders size the cells to land within a few pixels; the remainder is absorbed here by scaling
 * the drawing into a 1500×900 viewport instead of producing an odd-sized image.
 */
function fitSvgToChartSize(svg: string): string {
  const root = /^<svg\b[^>]*>/.exec(svg)?.[0];
  if (!root) throw new Error('vega produced no <svg> root element');
  const width = Number(/\bwidth="([\d.]+)"/.exec(root)?.[1]);
  const height = Number(/\bheight="([\d.]+)"/.exec(root)?.[1]);
  if (width === CHART_WIDTH_PX && height === CHART_HEIGHT_PX) return svg;
  const resized = root
    .replace(/\bwidth="[\d.]+"/, `width="${CHART_WIDTH_PX}"`)
    .replace(/\bheight="[\d.]+"/, `height="${CHART_HEIGHT_PX}"`)
    .replace(/\s*viewBox="[^"]*"/, '')
    .replace(/>$/, ` viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMidYMid meet">`);
  return resized + svg.slice(root.length);
}
