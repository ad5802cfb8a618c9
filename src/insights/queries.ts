import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, quoteIdent, quoteLiteral, type Row } from '../db/duckdb.ts';
import { median } from '../stats/index.ts';
import {
  buildRollup,
  coverageSql,
  coveredByDays,
  grainServes,
  type Rollup,
  rollupGrain,
  rollupGroupsSql,
  rollupSeriesSql,
} from './rollup.ts';
import { isWeatherName } from './semantics.ts';
import { addPeriods, truncSql } from './time.ts';
import {
  type DatasetProfile,
  type Dimension,
  type Granularity,
  type Measure,
  MOMENTS,
  pairedRatioSql,
  ROWS_MEASURE_ID,
  ratioMomentsSql,
} from './types.ts';

/** One bucket of a time series: its start (ISO), row count, distinct native periods, and each measure's aggregate. */
export interface Bucket {
  t: string;
  rows: number;
  /** Distinct native time values in the bucket (days in a month…), to spot incomplete periods. */
  coverage: number;
  /** A member's bucket: the whole file's coverage of the same period (a file that starts mid-month). */
  fileCoverage?: number;
  values: (number | null)[];
}

export interface MemberBucket extends Bucket {
  member: string;
}

/** Member buckets grouped by member, each member's in time order, members in order of first appearance. */
export function byMember<B extends MemberBucket>(rows: readonly B[]): Map<string, B[]> {
  const grouped = new Map<string, B[]>();
  for (const row of rows) {
    const list = grouped.get(row.member);
    if (list) list.push(row);
    else grouped.set(row.member, [row]);
  }
  return grouped;
}

export interface GroupStats {
  member: string;
  rows: number;
  /** Per measure: aggregate, count of non-missing values, row-level mean and variance (for tests), and for rates the successes/trials. */
  measures: {
    value: number | null;
    n: number;
    mean: number | null;
    variance: number | null;
    k: number;
    trials: number;
    /** For a ratio of amounts: Σx², Σy² and Σxy of its row parts, for a ratio estimator's variance. */
    moments?: RatioMoments;
  }[];
}

export interface RatioMoments {
  xx: number;
  yy: number;
  xy: number;
}

const number = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/**
 * Caches every aggregate query on one loaded table: detectors ask for the same series many times, and the
 * stories written afterwards ask for them again. Valid as long as the table and its profile do not change.
 * On a large table, series and group statistics come from rollups (`rollup.ts`) when one can answer.
 */
export class QueryCache {
  private readonly cache = new Map<string, Promise<unknown>>();
  private static created = 0;
  private readonly id = ++QueryCache.created;
  private readonly useRollups: boolean;

  constructor(
    readonly connection: DuckDBConnection,
    readonly profile: DatasetProfile,
    /** `false` computes everything from the table (tests compare the two). */
    options: { rollups?: boolean } = {},
  ) {
    this.useRollups = options.rollups !== false;
  }

  private memo<T>(key: string, run: () => Promise<T>): Promise<T> {
    let hit = this.cache.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = run();
      this.cache.set(key, hit);
      // A failed or interrupted query (a timeout) must not stay cached for the next call.
      hit.catch(() => this.cache.delete(key));
    }
    return hit;
  }

  /** Rows of a query that every story of this table asks the same way (the time axis's gaps): run once. */
  rowsOnce(sql: string): Promise<Row[]> {
    return this.memo(`rows:${sql}`, () => queryRows(this.connection, sql));
  }

  private aggregates(measures: Measure[]): string {
    return measures.map((m, i) => `${m.aggregateSql} AS v${i}`).join(', ');
  }

  /** All measures per time bucket over the whole table, oldest first. */
  series(granularity: Granularity, measures: Measure[] = this.profile.measures): Promise<Bucket[]> {
    const time = this.profile.time;
    if (!time) return Promise.resolve([]);
    return this.memo(`series:${granularity}:${measures.map((m) => m.id).join('|')}`, async () => {
      const rollup = await this.anyRollup(measures, granularity);
      const rows = await queryRows(
        this.connection,
        rollup
          ? rollupSeriesSql(rollup, this.profile, granularity, measures, false)
          : `SELECT ${truncSql(granularity, time.asTimestampSql)} AS t, count(*) AS rows,
                    ${coverageSql(this.profile, time.asTimestampSql)} AS coverage, ${this.aggregates(measures)}
             FROM ${this.profile.table} WHERE ${time.sql} IS NOT NULL GROUP BY 1 ORDER BY 1`,
      );
      const buckets = rows.map((row) => ({
        t: String(row.t),
        rows: Number(row.rows),
        coverage: Number(row.coverage),
        values: measures.map((_, i) => number(row[`v${i}`])),
      }));
      const ends = daysInPart(endsInPart(buckets, this.profile, granularity), this.profile, granularity);
      return markedPartial(lastInPartByLevels(ends, this.profile, granularity, measures), this.profile);
    });
  }

  /** All measures per (member, time bucket) of a dimension, for its listed members. */
  memberSeries(
    dimension: Dimension,
    granularity: Granularity,
    measures: Measure[] = this.profile.measures,
  ): Promise<MemberBucket[]> {
    const time = this.profile.time;
    if (!time) return Promise.resolve([]);
    return this.memo(
      `member-series:${dimension.name}:${granularity}:${measures.map((m) => m.id).join('|')}`,
      async () => {
        const rollup = await this.rollup(dimension, measures, granularity, false);
        const rows = await queryRows(
          this.connection,
          rollup
            ? rollupSeriesSql(rollup, this.profile, granularity, measures, true)
            : `SELECT ${dimension.sql} AS member, ${truncSql(granularity, time.asTimestampSql)} AS t, count(*) AS rows,
                      ${coverageSql(this.profile, time.asTimestampSql)} AS coverage, ${this.aggregates(measures)}
               FROM ${this.profile.table} WHERE ${time.sql} IS NOT NULL AND ${dimension.sql} IS NOT NULL
               GROUP BY 1, 2 ORDER BY 1, 2`,
        );
        // In a log of events, how much of a period the file covers is the whole log's: a title with a
        // handful of orders in January has no orders on most days, yet January is complete.
        // Coverage is the same whatever the measures: the profile's series, already there, says it.
        const file = new Map((await this.series(granularity)).map((bucket) => [bucket.t, bucket.coverage]));
        const whole = coveredByDays(this.profile) ? file : null;
        const buckets = rows.map((row) => ({
          member: String(row.member),
          t: String(row.t),
          rows: Number(row.rows),
          coverage: whole?.get(String(row.t)) ?? Number(row.coverage),
          ...(file.has(String(row.t)) ? { fileCoverage: file.get(String(row.t))! } : {}),
          values: measures.map((_, i) => number(row[`v${i}`])),
        }));
        // (A period the file marks as provisional is partial here through `fileCoverage`, from `series`.)
        return this.profile.rowsAreEvents
          ? withEmptyPeriods(buckets, await this.series(granularity, measures), measures)
          : buckets;
      },
    );
  }

  /**
   * Per-member statistics of every measure for one dimension (all members, most rows first); with `at`
   * (an ISO time value of the time column), only the rows of that moment.
   */
  groups(dimension: Dimension, measures: Measure[] = this.profile.measures, at?: string): Promise<GroupStats[]> {
    const time = this.profile.time;
    const moment = at && time ? ` AND ${time.asTimestampSql} = CAST(${quoteLiteral(at)} AS TIMESTAMP)` : '';
    return this.memo(`groups:${dimension.name}:${measures.map((m) => m.id).join('|')}:${moment}`, async () => {
      const rollup = await this.rollup(dimension, measures, null, moment !== '');
      if (rollup) {
        return toGroupStats(
          await queryRows(this.connection, rollupGroupsSql(rollup, this.profile, measures, moment ? at : undefined)),
          measures,
        );
      }
      const parts = measures.map((m, i) => {
        const x = m.rowSql;
        // A weighted average's two sums (bounce rate × sessions, and sessions): what its value is told from.
        const weight = m.weightedBy ? this.profile.measures.find((w) => w.id === m.weightedBy)?.rowSql : undefined;
        const paired = m.ratio ? pairedRatioSql(m.ratio) : null;
        const trials = paired
          ? `sum(${paired[1]})`
          : weight
            ? `sum(CASE WHEN ${x} IS NOT NULL THEN ${weight} END)`
            : `count(${x})`;
        const successes = paired ? `sum(${paired[0]})` : weight ? `sum(${x} * ${weight})` : `sum(${x})`;
        const moments = m.ratio?.amounts
          ? ratioMomentsSql(m.ratio)
              .map((sql, j) => `, ${sql} AS ${MOMENTS[j]}${i}`)
              .join('')
          : '';
        return `${m.aggregateSql} AS v${i}, count(${x}) AS n${i}, avg(${x}) AS mean${i}, var_samp(${x}) AS var${i},
                ${successes} AS k${i}, ${trials} AS trials${i}${moments}`;
      });
      const rows = await queryRows(
        this.connection,
        `SELECT ${dimension.sql} AS member, count(*) AS rows, ${parts.join(', ')}
         FROM ${this.profile.table} WHERE ${dimension.sql} IS NOT NULL${moment} GROUP BY 1 ORDER BY rows DESC, member`,
      );
      return toGroupStats(rows, measures);
    });
  }

  /** Whether this cache keeps a rollup of `dimension` (see `rollup.ts`); it is built on first use. */
  usesRollup(dimension: Dimension): boolean {
    return this.useRollups && rollupGrain(this.profile, dimension) !== null;
  }

  /**
   * The rollup of `dimension` (built on first use) when it can answer for `measures` at `granularity`
   * (null: no time bucket) and, with `moment`, for a single time value; else null.
   */
  private async rollup(
    dimension: Dimension | null,
    measures: Measure[],
    granularity: Granularity | null,
    moment: boolean,
  ): Promise<Rollup | null> {
    const grain = this.useRollups ? rollupGrain(this.profile, dimension) : null;
    if (!grain || !grainServes(grain, granularity, moment)) return null;
    if (!measures.every((m) => this.profile.measures.includes(m))) return null;
    const key = dimension ? String(this.profile.dimensions.indexOf(dimension)) : 'time';
    const rollup = await this.memo(`rollup:${key}`, () =>
      // Named per cache: two caches on one table (another profile of it) never share or replace a rollup.
      buildRollup(this.connection, this.profile, dimension, grain, quoteIdent(`__rollup_${this.id}_${key}`)),
    );
    return rollup;
  }

  /**
   * A rollup for whole-table series: the smallest exact one of a dimension (summed over its members, missing
   * ones included), which that dimension's detectors use afterwards anyway; else one of time buckets alone.
   */
  private async anyRollup(measures: Measure[], granularity: Granularity): Promise<Rollup | null> {
    const exact = this.profile.dimensions
      .filter((dimension) => this.useRollups && rollupGrain(this.profile, dimension) === 'exact')
      .sort((a, b) => a.cardinality - b.cardinality)[0];
    return this.rollup(exact ?? null, measures, granularity, false);
  }

  /**
   * The latest moment of a panel that is fully reported (at least 90% of the rows of the fullest one), as
   * an ISO time value; null without a time column.
   */
  latestFullMoment(): Promise<string | null> {
    const time = this.profile.time;
    if (!time) return Promise.resolve(null);
    return this.memo('latest-full-moment', async () => {
      // In SQL: a sensor panel has a moment per minute, far too many to bring back.
      const rows = await queryRows(
        this.connection,
        `WITH moments AS (SELECT ${time.asTimestampSql} AS t, count(*) AS n FROM ${this.profile.table}
                          WHERE ${time.sql} IS NOT NULL GROUP BY 1)
         SELECT max(t) AS t FROM moments WHERE n >= 0.9 * (SELECT max(n) FROM moments)`,
      );
      return rows[0]?.t ? String(rows[0].t) : null;
    });
  }

  /**
   * A running total where each series ends: the sum of every series' last value (cases to date), over the
   * whole table or one member's rows.
   */
  latestLevel(measure: Measure, member?: { dimension: Dimension; member: string }): Promise<number | null> {
    return this.memo(`latestLevel:${measure.id}:${member?.dimension.name}:${member?.member}`, async () => {
      const time = this.profile.time;
      if (!measure.runningTotal || !time) return null;
      const series = measure.runningTotal.seriesSql;
      const where = member ? ` AND ${member.dimension.sql} = ${quoteLiteral(member.member)}` : '';
      const rows = await queryRows(
        this.connection,
        `SELECT sum(v) AS v FROM (SELECT arg_max(${measure.rowSql}, ${time.sql}) AS v FROM ${this.profile.table}
         WHERE ${measure.rowSql} IS NOT NULL AND ${time.sql} IS NOT NULL${where}${series.length > 0 ? ` GROUP BY ${series.join(', ')}` : ''})`,
      );
      return number(rows[0]?.v);
    });
  }

  /** Each measure over the whole table (the baseline every comparison starts from). */
  totals(measures: Measure[] = this.profile.measures): Promise<(number | null)[]> {
    return this.memo(`totals:${measures.map((m) => m.id).join('|')}`, async () => {
      const rows = await queryRows(this.connection, `SELECT ${this.aggregates(measures)} FROM ${this.profile.table}`);
      return measures.map((_, i) => number(rows[0]?.[`v${i}`]));
    });
  }
}

function toGroupStats(rows: Record<string, unknown>[], measures: Measure[]): GroupStats[] {
  return rows.map((row) => ({
    member: String(row.member),
    rows: Number(row.rows),
    measures: measures.map((_, i) => ({
      value: number(row[`v${i}`]),
      n: Number(row[`n${i}`] ?? 0),
      mean: number(row[`mean${i}`]),
      variance: number(row[`var${i}`]),
      k: Number(row[`k${i}`] ?? 0),
      trials: Number(row[`trials${i}`] ?? 0),
      ...(row[`xx${i}`] !== undefined && row[`xx${i}`] !== null
        ? { moments: { xx: Number(row[`xx${i}`]), yy: Number(row[`yy${i}`]), xy: Number(row[`xy${i}`]) } }
        : {}),
    })),
  }));
}

/**
 * In a log of events, a period in which a member had no rows is a period of nothing — no orders, no visits,
 * no revenue — not a missing value: a department that saw nobody on a Sunday averages its Sundays with that
 * zero. Filled between the member's first and last periods (before and after them it did not exist yet, or
 * any more), in periods the whole log has; totals read 0 there, averages and rates stay unknown.
 */
function withEmptyPeriods(buckets: MemberBucket[], whole: Bucket[], measures: Measure[]): MemberBucket[] {
  const empty = measures.map((m) =>
    m.aggregation === 'sum' && !m.ratio && !m.stockPer && !m.weightedBy && !m.perRowOf ? 0 : null,
  );
  const filled: MemberBucket[] = [];
  let start = 0;
  while (start < buckets.length) {
    let end = start;
    while (end < buckets.length && buckets[end]!.member === buckets[start]!.member) end++;
    const own = buckets.slice(start, end);
    const seen = new Set(own.map((bucket) => bucket.t));
    const [first, last] = [own[0]!.t, own[own.length - 1]!.t];
    for (const bucket of whole) {
      if (bucket.t > first && bucket.t < last && !seen.has(bucket.t))
        own.push({
          member: own[0]!.member,
          t: bucket.t,
          rows: 0,
          coverage: bucket.coverage,
          fileCoverage: bucket.coverage,
          values: [...empty],
        });
    }
    if (own.length > end - start) own.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
    filled.push(...own);
    start = end;
  }
  return filled;
}

/**
 * A ratio pooled over groups of periods from the buckets of its `ratioParts`: Σ numerator / Σ denominator of
 * the buckets within the span of `periods` (a day of spend without a conversion too), grouped by `groupOf`
 * (a weekday, the weekend). Groups with nothing to divide by are absent.
 */
export function pooledRatios<K>(
  buckets: readonly Bucket[],
  periods: readonly string[],
  groupOf: (t: string) => K,
): Map<K, number> {
  const [first, last] = [periods[0], periods.at(-1)];
  const sums = new Map<K, [number, number]>();
  for (const bucket of buckets) {
    const [numerator, denominator] = bucket.values;
    if (first === undefined || bucket.t < first || bucket.t > last! || numerator == null || denominator == null)
      continue;
    const key = groupOf(bucket.t);
    const sum = sums.get(key) ?? [0, 0];
    sums.set(key, [sum[0] + numerator, sum[1] + denominator]);
  }
  return new Map(
    [...sums].flatMap(([key, [numerator, denominator]]) => (denominator > 0 ? [[key, numerator / denominator]] : [])),
  );
}

/**
 * A ratio's numerator and denominator as summed measures (conversions and clicks; spend and conversions),
 * to pool it over a set of periods: sum over sum, never the average of the periods' ratios. Null when the
 * measure is not a ratio of two sums.
 */
export function ratioParts(measure: Measure, measures: readonly Measure[]): Measure[] | null {
  const sqls = measure.ratio
    ? pairedRatioSql(measure.ratio)
    : measure.perUnit
      ? [measure.perUnit.money, measure.perUnit.base].map((id) => measures.find((m) => m.id === id)?.rowSql)
      : null;
  if (!sqls || sqls.some((sql) => !sql)) return null;
  return sqls.map((sql, i) => ({
    ...measure,
    id: `${measure.id}:${i === 0 ? 'numerator' : 'denominator'}`,
    aggregateSql: `sum(${sql})`,
  }));
}

/**
 * Buckets of the file's last period, when a column of the file marks it as not complete ("Jan-Jun
 * (provisional)"): half covered, so that every series leaves it out of trends and "the latest complete".
 */
function markedPartial(buckets: Bucket[], profile: DatasetProfile): Bucket[] {
  const time = profile.time;
  if (!time?.partialLast || buckets.length < 3) return buckets;
  const last = buckets.reduce((latest, b) => (b.t > latest ? b.t : latest), buckets[0]!.t);
  return buckets.map((b) =>
    b.t === last
      ? {
          ...b,
          coverage: b.coverage * 0.5,
          ...(b.fileCoverage !== undefined ? { fileCoverage: b.fileCoverage * 0.5 } : {}),
        }
      : b,
  );
}

/**
 * A last period the file holds only part of, where no row says so (a monthly panel whose June covers the
 * first half; a school week of three days): every flow falls by the same fraction at once, further than
 * any step before, while a stock holds (the fleet) and the averages hold or fall alike (a utilisation worked
 * out over the whole month). Its coverage is that fraction, so that the series leave it out as partial.
 */
function lastInPartByLevels(
  buckets: Bucket[],
  profile: DatasetProfile,
  granularity: Granularity,
  measures: Measure[],
): Bucket[] {
  const time = profile.time;
  if (!time || coveredByDays(profile) || granularity !== time.granularity || buckets.length < 8) return buckets;
  const last = buckets.at(-1)!;
  const before = buckets.slice(-4, -1);
  const level = (i: number) => median(before.map((b) => b.values[i] ?? Number.NaN)) ?? Number.NaN;
  const indices = (keep: (m: Measure) => boolean) => measures.flatMap((m, i) => (keep(m) ? [i] : []));
  // The parts of a total (fires, medical calls, false alarms inside incidents) are one flow with it.
  const parts = new Set(profile.sums.flatMap((sum) => sum.from));
  const totals = indices(
    (m) =>
      m.aggregation === 'sum' &&
      !m.ratio &&
      !m.stockPer &&
      m.nonNegative === true &&
      m.id !== ROWS_MEASURE_ID &&
      !parts.has(m.id),
  );
  // (A ratio of two flows, revenue per counter visit, says nothing either way: both sides are cut short.)
  // (The weather of the month, rain or temperature, moves on its own whatever the file holds of it.)
  const averages = indices(
    (m) =>
      (m.aggregation === 'mean' || m.aggregation === 'rate') &&
      !m.ratio &&
      !m.perUnit &&
      !(m.columns.length > 0 && m.columns.every(isWeatherName)),
  );
  const fractionOf = (i: number) => (last.values[i] ?? Number.NaN) / level(i);

  const holds = (f: number) => Math.abs(f - 1) <= 0.15;
  // The flows fall together; a stock (the fleet) holds.
  const falling = totals.filter((i) => !holds(fractionOf(i)));
  const fractions = falling.map(fractionOf);
  // Every part of a falling total falling too (each by its own season) backs it as flows of their own.
  const partsOfFalling = falling.flatMap((i) =>
    (profile.sums.find((sum) => sum.column === measures[i]!.id)?.from ?? []).flatMap((id) => {
      const k = measures.findIndex((m) => m.id === id);
      return k >= 0 ? [k] : [];
    }),
  );
  const partsFall =
    partsOfFalling.length >= 2 && partsOfFalling.every((k) => fractionOf(k) >= 0.1 && fractionOf(k) <= 0.9);
  // A ratio of two flows that holds while one side falls (operating cost per revenue, 85% either side of a
  // quarter that holds one month) says the other side fell alike: one more flow cut short.
  const fallingIds = new Set(falling.map((i) => measures[i]!.id));
  const ratiosHeld = indices(
    (m) => m.aggregation === 'rate' && m.ratio !== undefined && m.columns.some((c) => fallingIds.has(c)),
  ).filter((i) => holds(fractionOf(i)));
  const flows = fractions.length + (partsFall ? partsOfFalling.length : 0) + ratiosHeld.length;
  // A stock that holds (the connections) backs the flows as an average does.
  const stocks = indices((m) => m.aggregation === 'sum' && m.stockPer !== undefined && m.id !== ROWS_MEASURE_ID);
  const held = averages.length > 0 || stocks.some((i) => holds(fractionOf(i)));
  // A week that starts in the last days of December runs into a year the export, cut at the year's end,
  // does not hold (a 2023–2024 export whose last week starts on December 30): two flows falling alike do.
  const intoNextYear = granularity === 'week' && last.t.slice(5, 10) >= '12-26';
  if (flows < (held || intoNextYear ? 2 : 3) || fractions.length + 1 < totals.length) return buckets;
  if (!fractions.every((f) => f >= 0.15 && f <= 0.85)) return buckets;
  if (Math.max(...fractions) - Math.min(...fractions) > 0.2) return buckets;
  const fraction = median(fractions)!;
  // Never so far down in one step before, every flow together (a season's trough is no partial period; a
  // closure that cut visits but sent e-loans up is another kind of fall).
  const deepest = Math.max(...fractions) + 0.05;
  const fellAlike = (k: number) =>
    falling.every((i) => {
      const step = (buckets[k + 1]!.values[i] ?? 0) / (buckets[k]!.values[i] ?? 0);
      return Number.isFinite(step) && step <= deepest;
    });
  if (buckets.slice(1, -1).some((_, k) => fellAlike(k))) return buckets;
  // Averages hold, or fall with the totals (a utilisation worked out over the whole month).
  if (averages.some((i) => !holds(fractionOf(i)) && Math.abs(fractionOf(i) - fraction) > 0.15)) return buckets;
  return [...buckets.slice(0, -1), { ...last, coverage: last.coverage * fraction }];
}

/**
 * A log of events at any time of day counts its days as whole (`coveredByDays`); a file that starts at
 * 15:00 or stops at 13:59 holds only part of that day's events, so that day's coverage is the share of a
 * day's events it does hold (`TimeField.dayEnds`), and its sessions do not read as a fall.
 */
function daysInPart(buckets: Bucket[], profile: DatasetProfile, granularity: Granularity): Bucket[] {
  const ends = profile.time?.dayEnds;
  if (!ends || granularity !== 'day' || !coveredByDays(profile) || buckets.length < 3) return buckets;
  const scaled = (bucket: Bucket, share: number) => ({ ...bucket, coverage: bucket.coverage * share });
  return [scaled(buckets[0]!, ends.first), ...buckets.slice(1, -1), scaled(buckets.at(-1)!, ends.last)];
}

/**
 * Dates at irregular steps of a few days (campaigns sent on Tuesdays and Fridays) are counted in weeks, so a
 * week counts as covered by a single date: the file's first or last week is covered only as far as the data
 * reaches, one usual step beyond its first or last date (a file that ends on Tuesday the 31st has not had
 * that week's Friday). Coverage of such an end bucket is scaled by that fraction.
 */
function endsInPart(buckets: Bucket[], profile: DatasetProfile, granularity: Granularity): Bucket[] {
  const time = profile.time;
  if (!time || time.regular || coveredByDays(profile) || granularity !== time.granularity || buckets.length < 4)
    return buckets;
  const [min, max] = [Date.parse(`${time.min.slice(0, 19)}Z`), Date.parse(`${time.max.slice(0, 19)}Z`)];
  const step = (max - min) / Math.max(1, time.distinct - 1);
  if (!(step > 0)) return buckets;
  const spanOf = (bucket: Bucket) => {
    const start = Date.parse(`${bucket.t.slice(0, 19)}Z`);
    return [start, Date.parse(`${addPeriods(bucket.t, granularity, 1).slice(0, 19)}Z`)] as const;
  };
  const scaled = (bucket: Bucket, fraction: number) =>
    fraction < 1 ? { ...bucket, coverage: bucket.coverage * Math.max(0, fraction) } : bucket;
  const [firstStart, firstEnd] = spanOf(buckets[0]!);
  const [lastStart, lastEnd] = spanOf(buckets.at(-1)!);
  return [
    scaled(buckets[0]!, (firstEnd - (min - step)) / (firstEnd - firstStart)),
    ...buckets.slice(1, -1),
    scaled(buckets.at(-1)!, (max + step - lastStart) / (lastEnd - lastStart)),
  ];
}
