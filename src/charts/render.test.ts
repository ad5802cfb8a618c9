import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chartExamples } from './examples.ts';
import { requireChartFontFiles } from './fonts.ts';
import { countDifferentPixels, decodePng, readPngSize } from './png.ts';
import { rasterizeSvg, renderChart, renderSvg } from './render.ts';
import { barChart } from './specs/index.ts';

const OUTPUT_DIR = 'test-results/charts';

function svgSize(svg: string): { width: number; height: number } {
  const root = /^<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  return { width: Number(/\bwidth="([\d.]+)"/.exec(root)?.[1]), height: Number(/\bheight="([\d.]+)"/.exec(root)?.[1]) };
}

/** The same drawing with every text element taken out: what the chart looks like if no glyph is drawn. */
function withoutText(svg: string): string {
  return svg.replace(/<text\b[^>]*>[\s\S]*?<\/text>/g, '');
}

describe('renderChart', () => {
  const timingsMs: Record<string, number> = {};

  it.each(Object.entries(chartExamples()))('renders the %s example as a 1500×900 SVG and PNG', async (name, spec) => {
    const started = performance.now();
    const { svg, png } = await renderChart(spec);
    timingsMs[name] = Math.round(performance.now() - started);
    expect(svgSize(svg)).toEqual({ width: 1500, height: 900 });
    expect(readPngSize(png)).toEqual({ width: 1500, height: 900 });
    mkdirSync(OUTPUT_DIR, { recursive: true });
    writeFileSync(`${OUTPUT_DIR}/${name}.png`, png);
    writeFileSync(`${OUTPUT_DIR}/timings.json`, `${JSON.stringify(timingsMs, null, 2)}\n`);
  });

  it('draws the text: removing every text element changes many pixels', async () => {
    const { svg, png } = await renderChart(chartExamples()['bar']!);
    const textless = rasterizeSvg(withoutText(svg), requireChartFontFiles());
    // Title, subtitle, nine axis labels, tick labels and value labels: tens of thousands of pixels.
    expect(countDifferentPixels(decodePng(png), decodePng(textless))).toBeGreaterThan(20_000);
  });

  it('draws no text at all when resvg has no font files, which is what the check above catches', async () => {
    const svg = await renderSvg(chartExamples()['bar']!.vegaLite);
    const withoutFonts = rasterizeSvg(svg, []);
    const textless = rasterizeSvg(withoutText(svg), requireChartFontFiles());
    expect(countDifferentPixels(decodePng(withoutFonts), decodePng(textless))).toBeLessThan(50);
  });

  it('gives byte-identical SVG and PNG for the same spec', async () => {
    const spec = chartExamples()['line']!;
    const first = await renderChart(spec);
    const second = await renderChart(structuredClone(spec));
    expect(second.svg).toBe(first.svg);
    expect(Buffer.from(second.png).equals(Buffer.from(first.png))).toBe(true);
  });

  it('renders markup in a label as escaped text, never as an element', async () => {
    const spec = barChart({
      title: 'Markup <b>in</b> a title',
      alt: 'A label with markup.',
      data: [
        { label: '<script>alert(1)</script>', value: 3 },
        { label: 'A & B "quoted"', value: 2 },
      ],
      highlight: ['<script>alert(1)</script>'],
      order: 'value-desc',
    });
    const { svg } = await renderChart(spec);
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('Markup &lt;b&gt;in&lt;/b&gt; a title');
    expect(svg).toContain('A &amp; B');
    expect(svg).not.toMatch(/<script/i);
    expect(svg).not.toMatch(/<b>/);
  });

  it('accepts a plain Vega-Lite spec', async () => {
    const { svg } = await renderChart({
      width: 1500,
      height: 900,
      autosize: { type: 'fit', contains: 'padding' },
      data: { values: [{ a: 'x', b: 1 }] },
      mark: 'bar',
      encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } },
    });
    expect(svgSize(svg)).toEqual({ width: 1500, height: 900 });
  });

  it('refuses to render without its font files and says which package installs them', () => {
    expect(() => requireChartFontFiles(['/nonexistent/DejaVuSans.ttf'])).toThrow(/apt-get install fonts-dejavu-core/);
  });
});
