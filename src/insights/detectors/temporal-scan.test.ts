import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../stats/index.ts';
import type { Fact } from '../types.ts';
import type { Series } from './series.ts';
import { datedOnDays } from './temporal-scan.ts';

describe('datedOnDays', () => {
  it('dates a monthly step to a day near its boundary, not to a quiet stretch a month before', () => {
    // Daily averages: July quiet (~95), August a little up (~125), from September 1st far up (~235).
    const random = mulberry32(1707);
    const periods: string[] = [];
    const values: number[] = [];
    for (let d = 0; d < 153; d++) {
      const day = new Date(Date.UTC(2024, 6, 1) + d * 86_400_000);
      const level = day.getUTCMonth() === 6 ? 95 : day.getUTCMonth() === 7 ? 125 : 235;
      periods.push(day.toISOString().slice(0, 19));
      values.push(level * Math.exp(0.35 * (random() - 0.5) * 2));
    }
    const daily: Series = { granularity: 'day', periods, values, rows: values.map(() => 12), excluded: [] };
    const months = ['2024-07-01', '2024-08-01', '2024-09-01', '2024-10-01', '2024-11-01'].map((t) => ({
      t: `${t}T00:00:00`,
    }));
    const change = {
      id: 'change:response:team-emea',
      type: 'change_point',
      claims: { changePeriod: { value: '2024-09-01T00:00:00', text: 'September 2024', kind: 'period', source: 'x' } },
      data: {
        granularity: 'month',
        points: months,
        index: 2,
        at: '2024-09-01T00:00:00',
        meanBefore: 110,
        meanAfter: 235,
      },
    } as unknown as Fact;
    const dated = datedOnDays(change, daily);
    // The boundary itself when no day fits better.
    const day = String(dated.data.day ?? dated.data.at);
    expect(day >= '2024-08-17' && day < '2024-09-16', day).toBe(true);
  });
});
