import { describe, expect, it } from 'vitest';
import { median, mulberry32 } from '../../stats/index.ts';
import { sideMedians } from './temporal.ts';

describe('sideMedians', () => {
  it('gives exactly the medians of the slices before and from each position, gaps and ties included', () => {
    const random = mulberry32(5);
    for (const n of [0, 1, 5, 40, 300]) {
      const values = Array.from({ length: n }, () =>
        random() < 0.05 ? Number.NaN : Math.round(random() * 20) / (random() < 0.5 ? 1 : 3),
      );
      const { before, after } = sideMedians(values, 14);
      expect(before).toEqual(values.map((_, i) => median(values.slice(Math.max(0, i - 14), i))));
      expect(after).toEqual(values.map((_, i) => median(values.slice(i, i + 14))));
    }
  });
});
