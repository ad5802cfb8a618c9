import { queryOne, queryRows, quoteLiteral } from '../../db/duckdb.ts';
import { median, welchTTest } from '../../stats/index.ts';
import { truncSql } from '../time.ts';
import { type Measure, ROWS_MEASURE_ID } from '../types.ts';
import type { DetectorContext } from './context.ts';
import type { Series } from './series.ts';

/**
 * Whether an average's period differs on its rows, not just on its mean (an average of a handful of rows, or
 * of one very heavy parcel, moves by chance): Welch's t of the rows of `series.periods[target]` (or of several
 * periods, an episode) against the rows of the periods at `others`, a member's rows only when `member` is
 * given; with how many rows were weighed. Null when either side has fewer than two rows.
 */
export async function periodRowsWelchP(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  target: number | number[],
  others: number[],
  member?: { dimension: string; member: string },
): Promise<{ p: number; rows: number; targetRows: number } | null> {
  const targets = typeof target === 'number' ? [target] : target;
  const { bucket, periodsIn, where } = periodScope(ctx, series, [...targets, ...others], member);
  const rows = await queryRows(
    ctx.q.connection,
    `SELECT ${bucket} IN (${periodsIn(targets)}) AS target, count(${measure.rowSql}) AS n, avg(${measure.rowSql}) AS mean,
            coalesce(var_samp(${measure.rowSql}), 0) AS variance
     FROM ${ctx.profile.table} WHERE ${where} GROUP BY 1`,
  );
  const group = (isTarget: boolean) => {
    const row = rows.find((r) => Boolean(r.target) === isTarget);
    return { n: Number(row?.n ?? 0), mean: Number(row?.mean ?? 0), variance: Number(row?.variance ?? 0) };
  };
  const [around, targetRows] = [group(false), group(true)];
  if (around.n < 2 || targetRows.n < 2) return null;
  return { p: welchTTest(around, targetRows).p, rows: around.n + targetRows.n, targetRows: targetRows.n };
}

/**
 * In a panel or a grid, an average moves when one of its entities has no value that period (the United
 * States' 2016 left empty moves the Americas' population-weighted share of GDP by 40%), and a total dips:
 * true when each period at `targets` has fewer values of the measure than every period at `others` (a
 * member's rows only when `member` is given). Never in other tables, whose rows come and go.
 */
export async function lacksValuesAround(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  targets: number[],
  others: number[],
  member?: { dimension: string; member: string },
): Promise<boolean> {
  if ((!ctx.profile.entity && !ctx.profile.cube) || others.length === 0) return false;
  const countAt = await valueCounts(ctx, measure, series, [...targets, ...others], member);
  const fewestAround = Math.min(...others.map((i) => countAt(i).values));
  return targets.every((i) => countAt(i).values < fewestAround);
}

/**
 * Periods whose rows leave the measure blank more often than the periods around them (a toll counter out
 * for 31 hours): a total's dip there is the gap, not fewer vehicles. Five points of the rows or more.
 */
export async function blankerThanAround(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  targets: number[],
  others: number[],
  member?: { dimension: string; member: string },
): Promise<boolean> {
  if (others.length === 0 || !measure.rowSql || measure.id === ROWS_MEASURE_ID) return false;
  const countAt = await valueCounts(ctx, measure, series, [...targets, ...others], member);
  const fillAt = (i: number) => {
    const { rows, values } = countAt(i);
    return rows > 0 ? values / rows : 1;
  };
  // The usual fill is the neighbours' middle one: a neighbour blank too (the outage's next day) is no usual.
  const usual = median(others.map(fillAt)) ?? 1;
  return targets.some((i) => fillAt(i) < usual - 0.05);
}

/**
 * One aggregate of the rows in some of a series' periods (its largest row: one gift of £50,000; the sum of
 * the conversions a cost per conversion stands on).
 */
export async function aggregateIn(
  ctx: DetectorContext,
  aggregate: string,
  series: Series,
  periods: number[],
  member?: { dimension: string; member: string },
): Promise<number> {
  const { where } = periodScope(ctx, series, periods, member);
  const row = await queryOne(ctx.q.connection, `SELECT ${aggregate} AS v FROM ${ctx.profile.table} WHERE ${where}`);
  return Number(row.v ?? 0);
}

/** Rows and values of the measure in some of a series' periods, by the period's index. */
async function valueCounts(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  periods: number[],
  member?: { dimension: string; member: string },
) {
  const { bucket, where } = periodScope(ctx, series, periods, member);
  const rows = await queryRows(
    ctx.q.connection,
    `SELECT epoch(${bucket}) AS t, count(*) AS rows, count(${measure.rowSql}) AS n FROM ${ctx.profile.table} WHERE ${where} GROUP BY 1`,
  );
  return (i: number) => {
    const seconds = Date.parse(`${series.periods[i]!.slice(0, 19)}Z`) / 1000;
    const row = rows.find((r) => Number(r.t) === seconds);
    return { rows: Number(row?.rows ?? 0), values: Number(row?.n ?? 0) };
  };
}

/** The periods up to `reach` on either side of the one at `index`, inside the series. */
export const periodsBeside = (series: Series, index: number, reach = 2): number[] =>
  Array.from({ length: 2 * reach + 1 }, (_, k) => index - reach + k).filter(
    (i) => i !== index && i >= 0 && i < series.periods.length,
  );

/** The rows of some of a series' periods (a member's only, when given): the bucket expression and the filter. */
function periodScope(
  ctx: DetectorContext,
  series: Series,
  periods: number[],
  member?: { dimension: string; member: string },
) {
  const bucket = truncSql(series.granularity, ctx.profile.time!.asTimestampSql);
  const periodsIn = (indices: number[]) =>
    indices.map((i) => `CAST(${quoteLiteral(series.periods[i]!)} AS TIMESTAMP)`).join(', ');
  const dimension = member && ctx.profile.dimensions.find((d) => d.name === member.dimension);
  const onlyMember = dimension ? ` AND CAST(${dimension.sql} AS VARCHAR) = ${quoteLiteral(member!.member)}` : '';
  return { bucket, periodsIn, where: `${bucket} IN (${periodsIn(periods)})${onlyMember}` };
}
