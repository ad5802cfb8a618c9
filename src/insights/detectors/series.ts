import type { Bucket } from '../queries.ts';
import { daysInPeriod, finer } from '../time.ts';
import type { Granularity, Measure } from '../types.ts';

/** A measure over complete time buckets, oldest first. */
export interface Series {
  granularity: Granularity;
  periods: string[];
  values: number[];
  /** Rows behind each value: a total of three orders is noise, not a spike. */
  rows: number[];
  /** Buckets left out because they only partly cover their period (a month that has 10 of its 31 days). */
  excluded: { period: string; position: 'first' | 'last' }[];
  /** Kept periods that lack part of their time (a week with three days missing from the file). */
  partial?: boolean[];
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/** How many native units (days, months, hours) a bucket holds on the calendar; null when not meaningful. */
function calendarUnits(iso: string, bucket: Granularity, native: Granularity): number | null {
  if (bucket === native) return 1;
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7)) - 1;
  const leap = daysInMonth(year, 1) === 29;
  const days: Partial<Record<Granularity, number>> = {
    week: 7,
    month: daysInMonth(year, month),
    quarter: [0, 1, 2].reduce((sum, offset) => sum + daysInMonth(year, month + offset), 0),
    year: leap ? 366 : 365,
  };
  if (native === 'day') return days[bucket] ?? null;
  if (native === 'hour') return bucket === 'day' ? 24 : days[bucket] ? days[bucket]! * 24 : null;
  if (native === 'month') return bucket === 'quarter' ? 3 : bucket === 'year' ? 12 : null;
  if (native === 'quarter') return bucket === 'year' ? 4 : null;
  if (native === 'minute') return bucket === 'hour' ? 60 : bucket === 'day' ? 1440 : null;
  return null;
}

/**
 * The values of one measure per bucket, leaving out a first or last bucket that covers less than 90%
 * of its period: a partial month must not read as a collapse, nor start a trend.
 */
/** A series as the points a chart draws. */
export const pointsOf = (series: Pick<Series, 'periods' | 'values'>) =>
  series.periods.map((t, i) => ({ t, value: series.values[i]! }));

/** A series' values by period, to look a period up rather than search for it. */
export const valuesByPeriod = (series: Pick<Series, 'periods' | 'values'>) =>
  new Map(series.periods.map((t, i) => [t, series.values[i]!]));

export function toSeries(buckets: Bucket[], index: number, granularity: Granularity, native: Granularity): Series {
  const usable = buckets.filter((bucket) => bucket.values[index] !== null && Number.isFinite(bucket.values[index]));
  const interior = usable
    .slice(1, -1)
    .map((bucket) => bucket.coverage)
    .sort((a, b) => a - b);
  const typical = interior.length > 0 ? interior[Math.floor(interior.length / 2)]! : null;
  const fileInterior = usable
    .slice(1, -1)
    .flatMap((bucket) => (bucket.fileCoverage === undefined ? [] : [bucket.fileCoverage]))
    .sort((a, b) => a - b);
  const fileTypical = fileInterior.length > 0 ? fileInterior[Math.floor(fileInterior.length / 2)]! : null;
  // A grid (a region's eight crops every year) has the same rows in every period: an end period short of a
  // cell is partial, since its total lacks the cell and its average changes mix (no potato row in 2024 made a
  // region's yield "fall 36%"). Event logs, whose rows vary, never qualify.
  const interiorRows = usable.slice(1, -1).map((bucket) => bucket.rows);
  const gridRows =
    interiorRows.length >= 3 && interiorRows[0]! >= 2 && interiorRows.every((rows) => rows === interiorRows[0])
      ? interiorRows[0]!
      : null;
  const incomplete = (bucket: Bucket) => {
    if (gridRows !== null && bucket.rows < gridRows) return true;
    const calendar = calendarUnits(bucket.t, granularity, native);
    // A period the whole file covers only in part (it starts on the 15th) is partial for every member.
    if (bucket.fileCoverage !== undefined && fileTypical !== null) {
      const fileExpected = Math.min(calendar ?? Number.POSITIVE_INFINITY, fileTypical);
      if (bucket.fileCoverage < 0.9 * fileExpected) return true;
    }
    const expected = Math.min(calendar ?? Number.POSITIVE_INFINITY, typical ?? Number.POSITIVE_INFINITY);
    return Number.isFinite(expected) && bucket.coverage < 0.9 * expected;
  };
  const excluded: Series['excluded'] = [];
  let start = 0;
  let end = usable.length;
  if (usable.length >= 4 && incomplete(usable[0]!)) {
    excluded.push({ period: usable[0]!.t, position: 'first' });
    start = 1;
  }
  if (usable.length >= 4 && incomplete(usable[usable.length - 1]!)) {
    excluded.push({ period: usable[usable.length - 1]!.t, position: 'last' });
    end -= 1;
  }
  const kept = usable.slice(start, end);
  return {
    granularity,
    periods: kept.map((bucket) => bucket.t),
    values: kept.map((bucket) => bucket.values[index] as number),
    rows: kept.map((bucket) => bucket.rows),
    excluded,
    partial: kept.map(incomplete),
  };
}

const DAY_MS = 86_400_000;

/**
 * Totals of daily (or finer) data by month or quarter, as each period's average day: February is short of
 * days, not of sales. A first or last period counts only its days inside the data (a December that ends on
 * the 30th has 30). Other series come back unchanged.
 */
export function perCalendarDay<S extends Pick<Series, 'granularity' | 'periods' | 'values'>>(
  series: S,
  measure: Measure,
  time: { granularity: Granularity; min: string; max: string },
): S {
  const granularity = series.granularity;
  if (!dailyTotals(measure, granularity, time.granularity)) return series;
  const first = Date.parse(`${time.min.slice(0, 10)}T00:00:00Z`);
  const last = Date.parse(`${time.max.slice(0, 10)}T00:00:00Z`);
  const days = (iso: string) => {
    const start = Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
    const end = start + (daysInPeriod(iso, granularity as 'month' | 'quarter') - 1) * DAY_MS;
    return Math.max(1, Math.round((Math.min(end, last) - Math.max(start, first)) / DAY_MS) + 1);
  };
  return { ...series, values: series.values.map((value, i) => value / days(series.periods[i]!)) };
}

/** A summed measure of data kept at least daily, shown by month or quarter. */
export function dailyTotals(measure: Measure, granularity: Granularity, native: Granularity): boolean {
  return (
    (granularity === 'month' || granularity === 'quarter') &&
    !finer('day', native) &&
    measure.aggregation === 'sum' &&
    !measure.stockPer &&
    !measure.interval
  );
}
