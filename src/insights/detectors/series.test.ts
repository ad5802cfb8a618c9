import { describe, expect, it } from 'vitest';
import { toSeries } from './series.ts';

const year = (y: number, rows: number, value: number) => ({
  t: `${y}-01-01T00:00:00`,
  rows,
  coverage: 1,
  values: [value],
});

describe('toSeries', () => {
  it('leaves out a last period short of a cell of a grid (a region’s eight crops every year)', () => {
    const buckets = [2019, 2020, 2021, 2022].map((y) => year(y, 8, 100 + y - 2019));
    const series = toSeries([...buckets, year(2023, 7, 80)], 0, 'year', 'year');
    expect(series.periods.at(-1)).toBe('2022-01-01T00:00:00');
    expect(series.excluded).toEqual([{ period: '2023-01-01T00:00:00', position: 'last' }]);
  });

  it('keeps the last period of an event log, whose rows vary anyway', () => {
    const buckets = [2019, 2020, 2021, 2022].map((y, i) => year(y, 40 + 3 * i, 100));
    const series = toSeries([...buckets, year(2023, 38, 95)], 0, 'year', 'year');
    expect(series.periods.at(-1)).toBe('2023-01-01T00:00:00');
    expect(series.excluded).toEqual([]);
  });
});
