import { queryRows, quoteLiteral } from '../../db/duckdb.ts';
import { welchTTest } from '../../stats/index.ts';
import { truncSql } from '../time.ts';
import type { Measure } from '../types.ts';
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
): Promise<{ p: number; rows: number } | null> {
  const time = ctx.profile.time!;
  const bucket = truncSql(series.granularity, time.asTimestampSql);
  const at = (i: number) => `CAST(${quoteLiteral(series.periods[i]!)} AS TIMESTAMP)`;
  const targets = typeof target === 'number' ? [target] : target;
  const dimension = member && ctx.profile.dimensions.find((d) => d.name === member.dimension);
  const onlyMember = dimension ? ` AND CAST(${dimension.sql} AS VARCHAR) = ${quoteLiteral(member!.member)}` : '';
  const rows = await queryRows(
    ctx.q.connection,
    `SELECT ${bucket} IN (${targets.map(at).join(', ')}) AS target, count(${measure.rowSql}) AS n, avg(${measure.rowSql}) AS mean,
            coalesce(var_samp(${measure.rowSql}), 0) AS variance
     FROM ${ctx.profile.table} WHERE ${bucket} IN (${[...targets, ...others].map(at).join(', ')})${onlyMember} GROUP BY 1`,
  );
  const group = (isTarget: boolean) => {
    const row = rows.find((r) => Boolean(r.target) === isTarget);
    return { n: Number(row?.n ?? 0), mean: Number(row?.mean ?? 0), variance: Number(row?.variance ?? 0) };
  };
  const [around, targetRows] = [group(false), group(true)];
  if (around.n < 2 || targetRows.n < 2) return null;
  return { p: welchTTest(around, targetRows).p, rows: around.n + targetRows.n };
}
