import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { lineChart, scatterChart, shouldUseLogScale, smallMultiples } from './specs/index.ts';
import { logTickValues, niceLinearDomain } from './specs/scales.ts';
import type { ChartSpec } from './types.ts';

/** The scale types of the compiled Vega spec, by scale name (`x`, `y`, …). */
function scaleTypes(chart: ChartSpec): Record<string, string> {
  const compiled = compile(chart.vegaLite as unknown as TopLevelSpec, { logger: vega.logger(vega.Error) }).spec;
  const scales = (compiled.scales ?? []) as { name: string; type?: string }[];
  return Object.fromEntries(scales.map((scale) => [scale.name, scale.type ?? 'linear']));
}

const text = { title: 'T', alt: 'A' };

describe('automatic log scale', () => {
  it('is chosen when all values are positive and span more than two orders of magnitude', () => {
    expect(shouldUseLogScale([3, 40, 900])).toBe(true);
    expect(shouldUseLogScale([1, 100])).toBe(false);
    expect(shouldUseLogScale([0, 5, 900])).toBe(false);
    expect(shouldUseLogScale([-1, 5, 900])).toBe(false);
    expect(shouldUseLogScale([3, 40, 900], false)).toBe(false);
    expect(shouldUseLogScale([3, 4], true)).toBe(true);
    expect(shouldUseLogScale([null, 3, 900])).toBe(true);
  });

  it('gives a line chart a log y axis for exponential growth and a linear one otherwise', () => {
    const growth = Array.from({ length: 20 }, (_, index) => ({ x: 2000 + index, y: 2 ** index }));
    const steady = Array.from({ length: 20 }, (_, index) => ({ x: 2000 + index, y: 100 + index }));
    expect(scaleTypes(lineChart({ ...text, points: growth, xType: 'quantitative' }))['y']).toBe('log');
    expect(scaleTypes(lineChart({ ...text, points: steady, xType: 'quantitative' }))['y']).toBe('linear');
    expect(scaleTypes(lineChart({ ...text, points: growth, xType: 'quantitative', logY: false }))['y']).toBe('linear');
  });

  it('applies the same rule to each scatter axis on its own', () => {
    const points = Array.from({ length: 50 }, (_, index) => ({ x: 10 * 1.2 ** index, y: index + 1 }));
    const types = scaleTypes(scatterChart({ ...text, points }));
    expect(types['x']).toBe('log');
    expect(types['y']).toBe('linear');
  });

  it('applies to small multiples too', () => {
    const points = ['a', 'b'].flatMap((series) =>
      Array.from({ length: 12 }, (_, index) => ({ x: 2000 + index, y: 3 ** index, series })),
    );
    expect(scaleTypes(smallMultiples({ ...text, points, xType: 'quantitative', highlightSeries: ['a'] }))['y']).toBe(
      'log',
    );
  });

  it('puts log ticks on powers of ten, with 2 and 5 steps when the range is short', () => {
    expect(logTickValues(3, 90_000)).toEqual([10, 100, 1000, 10_000]);
    expect(logTickValues(3, 400)).toEqual([5, 10, 20, 50, 100, 200]);
  });
});

describe('niceLinearDomain', () => {
  it('ends on the round value the data reaches, whatever floating-point noise it carries', () => {
    expect(niceLinearDomain(0, 1)).toEqual([0, 1]);
    // A share of a total summed in parallel: 1.0000000000000002 once drew a 0–140% axis.
    expect(niceLinearDomain(0, 1.0000000000000002)).toEqual([0, 1]);
    expect(niceLinearDomain(-0.6000000000000001, 1.2)).toEqual([-0.6, 1.2]);
    expect(niceLinearDomain(0, 1.05)).toEqual([0, 1.2]);
  });
});
