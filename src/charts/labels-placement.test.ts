import { describe, expect, it } from 'vitest';
import { cycleChart, lineChart } from './specs/index.ts';

/** The text layers' data rows (label and y) of a spec, in layer order. */
function textRows(spec: Record<string, unknown>): { text: string; y: number }[] {
  const layers = (spec['layer'] ?? []) as {
    mark?: { type?: string };
    data?: { values?: Record<string, unknown>[] };
    encoding?: Record<string, { field?: string }>;
  }[];
  return layers.flatMap((layer) => {
    if (layer.mark?.type !== 'text' || !layer.data?.values) return [];
    const textField = layer.encoding?.['text']?.field ?? 'label';
    const yField = layer.encoding?.['y']?.field ?? 'y';
    return layer.data.values.map((row) => ({ text: String(row[textField]), y: Number(row[yField]) }));
  });
}

describe('line chart labels', () => {
  it("keeps a fitted trend's label clear of the series label ending at the same place", () => {
    const points = Array.from({ length: 24 }, (_, i) => ({
      x: `2023-${String((i % 12) + 1).padStart(2, '0')}-01`.replace('2023', String(2023 + Math.floor(i / 12))),
      y: 100 + i,
      series: 'Vertex',
    }));
    const others = points.map((p) => ({ ...p, y: p.y / 4, series: 'Other' }));
    const chart = lineChart({
      title: 'T',
      alt: 'A',
      points: [...points, ...others],
      xType: 'temporal',
      highlightSeries: ['Vertex'],
      fit: {
        points: [
          { x: points[0]!.x, y: 100 },
          { x: points[23]!.x, y: 123 },
        ],
        label: 'Trend (Sen slope)',
      },
    });
    const rows = textRows(chart.vegaLite);
    const series = rows.find((row) => row.text === 'Vertex')!;
    const trend = rows.find((row) => row.text === 'Trend (Sen slope)')!;
    // 123 on a 0–125 axis: one label's height is about 4 units; they must be at least that far apart.
    expect(Math.abs(series.y - trend.y)).toBeGreaterThan(3);
  });

  it("labels a before/after mean clear of its span's data: above the highs, or below the lows near the top", () => {
    // Noisy around 2.1 for 40 days, then around 3.8 up to the top of the axis.
    const noise = (i: number) => ((i * 7919) % 13) / 40 - 0.15;
    const points = Array.from({ length: 60 }, (_, i) => ({
      x: new Date(Date.UTC(2024, 1, 1 + i)).toISOString().slice(0, 10),
      y: (i < 40 ? 2.1 : 3.8) + noise(i),
    }));
    const chart = lineChart({
      title: 'T',
      alt: 'A',
      points,
      xType: 'temporal',
      segments: [
        { x1: points[0]!.x, x2: points[39]!.x, y: 2.1, label: 'Before: 2.1' },
        { x1: points[40]!.x, x2: points[59]!.x, y: 3.8, label: 'After: 3.8' },
      ],
    });
    const rows = textRows(chart.vegaLite);
    const layers = chart.vegaLite['layer'] as { mark?: { type?: string; baseline?: string }; data?: unknown }[];
    const baselineOf = (text: string) =>
      layers.find(
        (layer) =>
          layer.mark?.type === 'text' &&
          JSON.stringify(layer.data).includes(text) &&
          !JSON.stringify(layer.mark).includes('stroke'),
      )?.mark?.baseline;
    const before = points.slice(0, 40).map((p) => p.y);
    const after = points.slice(40).map((p) => p.y);
    expect(rows.find((row) => row.text === 'Before: 2.1')!.y).toBeCloseTo(Math.max(...before), 9);
    expect(baselineOf('Before: 2.1')).toBe('bottom');
    expect(rows.find((row) => row.text === 'After: 3.8')!.y).toBeCloseTo(Math.min(...after), 9);
    expect(baselineOf('After: 3.8')).toBe('top');
  });

  it('puts the label of a bar below zero under the bar, with room for it, never inside it', () => {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun'];
    const chart = cycleChart({
      title: 'T',
      alt: 'A',
      data: months.map((label, i) => ({ label, value: [-58, -40, 5, 30, 54, 20][i]! })),
    });
    const layers = chart.vegaLite['layer'] as {
      mark?: { type?: string; baseline?: string };
      transform?: { filter?: string }[];
    }[];
    const below = layers.find((layer) => layer.mark?.type === 'text' && layer.mark.baseline === 'top');
    expect(below?.transform?.[0]?.filter).toContain('datum.value < 0');
    const y = (layers[0] as { encoding: { y: { scale: { domain: [number, number] } } } }).encoding.y.scale.domain;
    expect(y[0]).toBeLessThan(-58);
  });
});
