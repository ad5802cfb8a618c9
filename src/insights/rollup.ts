import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../db/duckdb.ts';
import { bucketsIn, finer, granularities, spanSeconds, truncSql } from './time.ts';
import {
  type DatasetProfile,
  type Dimension,
  type Granularity,
  type Measure,
  MOMENTS,
  pairedRatioSql,
  ratioMomentsSql,
} from './types.ts';

/**
 * A rollup is a small table of partial aggregates per (member of one dimension, time bucket): a million
 * daily orders are 40 products × 730 days = 29,000 rows, a million sensor readings 10 machines × 1,700 hours.
 * Every series and group statistic of that dimension is then computed from it instead of from the million
 * rows: one grouped scan instead of three or four. A measure takes part only when its aggregate can be
 * rebuilt exactly from partial sums and counts; otherwise the table answers, as before.
 *
 * Its time bucket (`grain`) is the time value itself when that is small enough (any moment can then be
 * picked out), else the hour or the day: those serve series at that step or coarser, and whole-table groups.
 */

/** Rows a table needs before a rollup pays for the scan that builds it. */
const MIN_ROWS = 50_000;
/** The rollup must be at least this many times smaller than the table. */
const MIN_REDUCTION = 4;

export type RollupGrain = 'exact' | Granularity;

/** A measure's aggregate as partial aggregates (per rollup row) and how to combine them over rollup rows. */
export interface MeasureRollup {
  parts: string[];
  /** SQL aggregate over rollup rows; `part(j)` names the column of `parts[j]`, `t` is the time bucket. */
  combine: (part: (j: number) => string) => string;
}

export interface Rollup {
  /** Quoted table name. */
  table: string;
  grain: RollupGrain;
  /** Per profile measure, in profile order. */
  measures: MeasureRollup[];
}

const ratioOf = (part: (j: number) => string) => `sum(${part(0)}) / nullif(sum(${part(1)}), 0)`;

/**
 * How to rebuild `measure.aggregateSql` from partial aggregates, or null. Each form is recognised by
 * regenerating the exact SQL the profile writes for it, so an aggregate written any other way is never
 * approximated. A level (stock) counts distinct time values, which only an exact-time rollup keeps.
 */
export function measureRollup(measure: Measure, profile: DatasetProfile, exactTime: boolean): MeasureRollup | null {
  const x = measure.rowSql;
  const sql = measure.aggregateSql;
  if (sql === 'count(*)') return { parts: [], combine: () => 'sum(rows)' };
  if (sql === `sum(${x})`) return { parts: [`sum(${x})`], combine: (part) => `sum(${part(0)})` };
  if (sql === `avg(${x})`) {
    return { parts: [`sum(${x})`, `count(${x})`], combine: (part) => `CAST(${ratioOf(part)} AS DOUBLE)` };
  }
  if (measure.ratio) {
    const [n, d] = pairedRatioSql(measure.ratio);
    // A ratio of amounts keeps its row moments too (parts 2–4), for its test.
    const moments = measure.ratio.amounts ? ratioMomentsSql(measure.ratio) : [];
    if (sql === `sum(${n}) / nullif(sum(${d}), 0)`)
      return { parts: [`sum(${n})`, `sum(${d})`, ...moments], combine: ratioOf };
  }
  const weight = profile.measures.find((m) => m.id === measure.weightedBy);
  if (weight) {
    const w = weight.rowSql;
    if (sql === `sum(${x} * ${w}) / nullif(sum(CASE WHEN ${x} IS NOT NULL THEN ${w} END), 0)`) {
      return { parts: [`sum(${x} * ${w})`, `sum(CASE WHEN ${x} IS NOT NULL THEN ${w} END)`], combine: ratioOf };
    }
  }
  const time = profile.time;
  if (
    exactTime &&
    time &&
    sql === `sum(${x}) / nullif(count(DISTINCT CASE WHEN ${x} IS NOT NULL THEN ${time.sql} END), 0)`
  ) {
    // Periods with a value: rollup rows are one per time value, so count those where the measure has one.
    return {
      parts: [`sum(${x})`, `count(${x})`],
      combine: (part) => `sum(${part(0)}) / nullif(count(DISTINCT CASE WHEN ${part(1)} > 0 THEN t END), 0)`,
    };
  }
  return null;
}

/**
 * The finest time bucket at which a rollup of `dimension` is at least `MIN_REDUCTION` times smaller than a
 * large table (estimated from distinct time values or the time span, without a query), or null.
 */
export function rollupGrain(profile: DatasetProfile, dimension: Dimension | null): RollupGrain | null {
  const time = profile.time;
  if (!time || profile.rowCount < MIN_ROWS) return null;
  const members = dimension ? dimension.cardinality + 1 : 1;
  const pays = (buckets: number) => buckets * members * MIN_REDUCTION <= profile.rowCount;
  if (pays(time.distinct)) return 'exact';
  const span = spanSeconds(time.min, time.max);
  if (!Number.isFinite(span)) return null;
  for (const grain of ['hour', 'day'] as const) {
    if (granularities.indexOf(grain) < granularities.indexOf(time.granularity)) continue;
    // Coverage counted in days adds up over rows of a day or more only.
    if (grain === 'hour' && coveredByDays(profile)) continue;
    // One more for a span that starts late in its first bucket.
    const buckets = bucketsIn(span, grain) + 1;
    if (pays(buckets)) return grain;
  }
  return null;
}

/** Whether a rollup can answer for series at `granularity` (null: no time bucket needed) and a `moment`. */
export function grainServes(grain: RollupGrain, granularity: Granularity | null, moment: boolean): boolean {
  if (grain === 'exact') return true;
  if (moment) return false;
  return granularity === null || granularities.indexOf(granularity) >= granularities.indexOf(grain);
}

/**
 * How much of its period a bucket covers, in native time steps: its distinct steps (hours of an hourly
 * series). A log of events at irregular times counts the days it has events on, in steps (a day is 1,440
 * minutes): its distinct minutes would grow with the business, and a quiet first month read as partial.
 */
export function coverageSql(profile: DatasetProfile, timestampSql: string): string {
  const time = profile.time!;
  if (coveredByDays(profile))
    return `count(DISTINCT ${truncSql('day', timestampSql)}) * ${time.granularity === 'hour' ? 24 : 1440}`;
  return `count(DISTINCT ${truncSql(time.granularity === 'minute' ? 'minute' : time.granularity, timestampSql)})`;
}

/** A log of events at irregular times within the day: its coverage counts days. */
export const coveredByDays = (profile: DatasetProfile) =>
  profile.time !== null && !profile.time.regular && finer(profile.time.granularity, 'day');

/**
 * Builds the rollup table (stored in (member, t) order, so sums over it always add the same numbers in the
 * same order) or returns null when a measure cannot be rebuilt at this grain. Columns: member, t, rows,
 * coverage (native steps in the bucket), and per profile measure i: its parts p{i}_{j}, and n{i}, s{i}, m2_{i}
 * (count, sum and sum of squared deviations of the row values) for group statistics.
 */
export async function buildRollup(
  connection: DuckDBConnection,
  profile: DatasetProfile,
  /** Null: time buckets only (member NULL), for whole-table series. */
  dimension: Dimension | null,
  grain: RollupGrain,
  table: string,
): Promise<Rollup | null> {
  const time = profile.time!;
  const measures = profile.measures.map((measure) => measureRollup(measure, profile, grain === 'exact'));
  if (measures.some((rollup) => rollup === null)) return null;
  const rollups = measures as MeasureRollup[];
  const columns = profile.measures.flatMap((m, i) => [
    ...rollups[i]!.parts.map((part, j) => `${part} AS p${i}_${j}`),
    `count(${m.rowSql}) AS n${i}`,
    `sum(${m.rowSql}) AS s${i}`,
    `var_pop(${m.rowSql}) * count(${m.rowSql}) AS m2_${i}`,
  ]);
  const t = grain === 'exact' ? time.asTimestampSql : truncSql(grain, time.asTimestampSql);
  // One time value per row of an exact rollup: its coverage is counted over rows (`rollupSeriesSql`).
  const coverage = grain === 'exact' ? '1' : coverageSql(profile, time.asTimestampSql);
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS
     SELECT ${dimension?.sql ?? 'CAST(NULL AS VARCHAR)'} AS member, ${t} AS t, count(*) AS rows,
            ${coverage} AS coverage, ${columns.join(', ')}
     FROM ${profile.table} GROUP BY ALL ORDER BY member, t`,
  );
  return { table, grain, measures: rollups };
}

/** `measures` rebuilt from rollup rows, as `v{i}`. */
function rollupAggregates(rollup: Rollup, profile: DatasetProfile, measures: Measure[]): string {
  return measures
    .map((m, i) => {
      const p = profile.measures.indexOf(m);
      return `${rollup.measures[p]!.combine((j) => `p${p}_${j}`)} AS v${i}`;
    })
    .join(', ');
}

/**
 * Buckets of a series from a rollup: `member` per member (or over all rows, missing members included).
 * Coverage: distinct native steps over exact time values; otherwise the sum of the rollup rows' own counts,
 * which is right within one member (its rows never share a time bucket), so whole-table series take an
 * exact rollup or a rollup of time buckets alone.
 */
export function rollupSeriesSql(
  rollup: Rollup,
  profile: DatasetProfile,
  granularity: Granularity,
  measures: Measure[],
  perMember: boolean,
): string {
  const coverage = rollup.grain === 'exact' ? coverageSql(profile, 't') : 'sum(coverage)';
  const select = `${truncSql(granularity, 't')} AS t, sum(rows) AS rows, ${coverage} AS coverage, ${rollupAggregates(rollup, profile, measures)}`;
  return perMember
    ? `SELECT member, ${select} FROM ${rollup.table} WHERE t IS NOT NULL AND member IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`
    : `SELECT ${select} FROM ${rollup.table} WHERE t IS NOT NULL GROUP BY 1 ORDER BY 1`;
}

/**
 * Per-member group statistics from a rollup: counts and sums add up; the variance of a member's rows is the
 * sum of each rollup row's squared deviations plus its rows' offset from the member's mean (Chan et al.),
 * which is exact and keeps the precision of DuckDB's own `var_pop` per rollup row.
 */
export function rollupGroupsSql(rollup: Rollup, profile: DatasetProfile, measures: Measure[], at?: string): string {
  const moment = at ? ` AND t = CAST(${quoteLiteral(at)} AS TIMESTAMP)` : '';
  const positions = measures.map((m) => profile.measures.indexOf(m));
  const perMember = positions.map((p, i) => {
    const m = measures[i]!;
    // A ratio's, or a weighted average's, two sums are its rollup parts.
    const twoSums = m.ratio || m.weightedBy;
    const k = twoSums ? `sum(p${p}_0)` : `sum(s${p})`;
    const trials = twoSums ? `sum(p${p}_1)` : `sum(n${p})`;
    const moments = m.ratio?.amounts ? MOMENTS.map((name, j) => `, sum(p${p}_${j + 2}) AS ${name}${i}`).join('') : '';
    return `${rollup.measures[p]!.combine((j) => `p${p}_${j}`)} AS v${i}, sum(n${p}) AS n${i},
            sum(s${p}) / nullif(sum(n${p}), 0) AS mean${i}, ${k} AS k${i}, ${trials} AS trials${i}${moments}`;
  });
  const carried = measures.map((m, i) =>
    ['v', 'n', 'mean', 'k', 'trials', ...(m.ratio?.amounts ? MOMENTS : [])]
      .map((name) => `any_value(g.${name}${i}) AS ${name}${i}`)
      .join(', '),
  );
  const spread = positions.map(
    (p, i) =>
      `sum(r.m2_${p} + r.n${p} * (r.s${p} / nullif(r.n${p}, 0) - g.mean${i}) ** 2) / nullif(any_value(g.n${i}) - 1, 0) AS var${i}`,
  );
  return `WITH r AS (SELECT * FROM ${rollup.table} WHERE member IS NOT NULL${moment}),
               g AS (SELECT member, sum(rows) AS rows, ${perMember.join(', ')} FROM r GROUP BY member)
          SELECT g.member, any_value(g.rows) AS rows, ${carried.join(', ')}, ${spread.join(', ')}
          FROM r JOIN g ON r.member = g.member GROUP BY g.member ORDER BY rows DESC, g.member`;
}
