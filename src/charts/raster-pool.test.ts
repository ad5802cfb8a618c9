import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chartExamples } from './examples.ts';
import { CHART_FONT_FAMILY, requireChartFontFiles } from './fonts.ts';
import { RasterPool } from './raster-pool.ts';
import { rasterizeSvg, renderSvg } from './render.ts';
import { palette } from './theme.ts';

const options = () => ({
  fitTo: { mode: 'original' as const },
  background: palette.background,
  font: { loadSystemFonts: false, fontFiles: requireChartFontFiles(), defaultFontFamily: CHART_FONT_FAMILY },
});

describe('RasterPool', () => {
  it('draws several charts at once, byte for byte what the main thread draws', async () => {
    const svgs = await Promise.all(
      Object.values(chartExamples())
        .slice(0, 5)
        .map((spec) => renderSvg(spec.vegaLite)),
    );
    const pool = new RasterPool(2);
    try {
      const pngs = await Promise.all(svgs.map((svg) => pool.rasterize(svg, options())));
      for (const [i, png] of pngs.entries()) {
        expect(Buffer.from(png).equals(Buffer.from(rasterizeSvg(svgs[i]!, requireChartFontFiles())))).toBe(true);
      }
    } finally {
      await pool.close();
    }
  });

  it('rejects an SVG it cannot read with a message, and goes on drawing', async () => {
    const pool = new RasterPool(1);
    try {
      await expect(pool.rasterize('<not svg', options())).rejects.toThrow(/could not rasterize the chart/);
      const svg = await renderSvg(Object.values(chartExamples())[0]!.vegaLite);
      expect((await pool.rasterize(svg, options())).length).toBeGreaterThan(1000);
    } finally {
      await pool.close();
    }
  });

  it('never keeps a process alive once it has drawn', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'raster-pool-'));
    // .mts: ESM wherever it lies (a .ts outside the package is read as CommonJS, and top-level await fails).
    const script = path.join(directory, 'draw-one.mts');
    const module = (file: string) => JSON.stringify(pathToFileURL(path.resolve(file)).href);
    writeFileSync(
      script,
      `const { renderChart, warmChartRenderer } = await import(${module('src/charts/render.ts')});
       const { chartExamples } = await import(${module('src/charts/examples.ts')});
       warmChartRenderer();
       const { png } = await renderChart(Object.values(chartExamples())[0]);
       console.log(png.length > 1000 ? 'drawn' : 'empty');`,
    );
    try {
      // Hangs (and times out) if an idle worker kept the event loop alive.
      const output = execFileSync(process.execPath, ['bin/run.js', script], { encoding: 'utf8', timeout: 20_000 });
      expect(output.trim()).toBe('drawn');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
