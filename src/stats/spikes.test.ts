import { describe, expect, it } from 'vitest';
import { mulberry32, normalGenerator } from './random.ts';
import { spikeScores } from './spikes.ts';

describe('spikeScores', () => {
  it('scores each point against the median of its neighbours', () => {
    const y = [10, 11, 9, 10, 40, 10, 11, 9, 10, 10];
    const scores = spikeScores(y);
    const spike = scores[4]!;
    expect(spike.expected).toBe(10); // median of 10, 11, 9, 10, 11, 9 (window 7, point excluded)
    expect(spike.residual).toBe(30);
    expect(spike.severity).toBeGreaterThan(6);
    expect(spike.p).toBeLessThan(0.001);
    const quiet = scores.filter((s) => s.index !== 4);
    expect(Math.min(...quiet.map((s) => s.p))).toBeGreaterThan(0.01);
  });

  it('keeps input indices when values are missing and honours the window', () => {
    const scores = spikeScores([1, Number.NaN, 2, 3, 100, 3, 2], 3);
    expect(scores.map((s) => s.index)).toEqual([0, 2, 3, 4, 5, 6]);
    expect(scores.find((s) => s.index === 4)!.expected).toBe(3);
  });

  it('finds a planted spike in noise after Bonferroni', () => {
    const gaussian = normalGenerator(mulberry32(8));
    const y = Array.from({ length: 200 }, (_, i) => 50 + gaussian() + (i === 120 ? 8 : 0));
    const scores = spikeScores(y);
    const top = scores.reduce((best, s) => (s.p < best.p ? s : best));
    expect(top.index).toBe(120);
    expect(top.p * scores.length).toBeLessThan(0.01);
  });

  it('returns neutral scores for flat or tiny input', () => {
    expect(spikeScores([1, 2])).toEqual([]);
    const flat = spikeScores([5, 5, 5, 5, 5]);
    expect(flat.every((s) => s.p === 1 && s.severity === 0 && s.z === 0)).toBe(true);
  });
});
