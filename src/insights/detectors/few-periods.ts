import { queryRows } from '../../db/duckdb.ts';
import { combineSummaries, type GroupSummary, percentChange, twoSidedNormalP } from '../../stats/index.ts';
import { ClaimSet } from '../narrative/format.ts';
import { periodLabel, truncSql } from '../time.ts';
import type { Dimension, Fact, Granularity, Measure } from '../types.ts';
import { type DetectorContext, gapEffect, isFarFromZero, makeFact, relativeEffect, slug } from './context.ts';
import type { Series } from './series.ts';
import { stepAndLineSse } from './temporal.ts';

/** Below this many periods a change point has too little to split (`detectChangePoint` needs ten). */
export const FEW_PERIODS = { min: 3, max: 9 };
/** Rows a member needs in every period for its averages to be weighed on their rows. */
const MIN_PERIOD_ROWS = 10;

/** The one "member" of the whole table's period rows. */
const WHOLE = 'all';

/** Member → period → the rows' count, mean and variance. */
type PeriodRows = Map<string, Map<string, GroupSummary>>;
const rowsCache = new WeakMap<DetectorContext, Map<string, Promise<Map<string, PeriodRows>>>>();

/**
 * Count, mean and variance of every averaged measure's rows per member and period, by measure id: one
 * query per dimension (a file of 30 measures would otherwise scan the table 30 times per dimension).
 */
function periodRows(
  ctx: DetectorContext,
  dimension: Dimension | null,
  granularity: Granularity,
): Promise<Map<string, PeriodRows>> {
  const cache = rowsCache.get(ctx) ?? new Map<string, Promise<Map<string, PeriodRows>>>();
  rowsCache.set(ctx, cache);
  const key = `${dimension?.name ?? ''}\u0000${granularity}`;
  let hit = cache.get(key);
  if (!hit) {
    const measures = ctx.followedMeasures().filter((m) => m.aggregation !== 'sum' && !m.ratio);
    const bucket = truncSql(granularity, ctx.profile.time!.asTimestampSql);
    const parts = measures.map(
      (m, i) =>
        `count(${m.rowSql}) AS n${i}, avg(${m.rowSql}) AS mean${i}, coalesce(var_samp(${m.rowSql}), 0) AS variance${i}`,
    );
    hit = (
      measures.length === 0
        ? Promise.resolve([])
        : queryRows(
            ctx.q.connection,
            `SELECT ${dimension ? `CAST(${dimension.sql} AS VARCHAR)` : `'${WHOLE}'`} AS member, ${bucket} AS t, ${parts.join(', ')}
             FROM ${ctx.profile.table} WHERE ${bucket} IS NOT NULL GROUP BY 1, 2`,
          )
    ).then((rows) => {
      const byMeasure = new Map<string, PeriodRows>(measures.map((m) => [m.id, new Map()]));
      for (const row of rows) {
        measures.forEach((m, i) => {
          const byMember = byMeasure.get(m.id)!;
          const periods = byMember.get(String(row.member)) ?? new Map<string, GroupSummary>();
          periods.set(String(row.t), {
            n: Number(row[`n${i}`]),
            mean: Number(row[`mean${i}`]),
            variance: Number(row[`variance${i}`]),
          });
          byMember.set(String(row.member), periods);
        });
      }
      return byMeasure;
    });
    cache.set(key, hit);
  }
  return hit;
}

/**
 * A member that moved while the others held, over too few periods for a change point (five school years,
 * one school 9 points down from 2022): a difference in differences on the rows,
 * (member after − member before) − (others after − others before), at each split between periods, its
 * standard error from the four groups' row variances, two-sided normal p × members × splits (Bonferroni),
 * at most 0.001.
 * Kept when the others moved less than half as much, every later period of the member stays on the new
 * side, and the move is at least 5% (or, on a measure far from zero, a fifth of a standard deviation).
 */
export async function detectFewPeriodShift(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  dimension: Dimension,
  member: string,
  impact: number,
  timeColumn: string,
): Promise<Fact | null> {
  const n = series.periods.length;
  if (n < FEW_PERIODS.min || n > FEW_PERIODS.max || measure.aggregation === 'sum') return null;
  const rows = (await periodRows(ctx, dimension, series.granularity)).get(measure.id);
  const own = rows?.get(member);
  if (!rows || !own) return null;
  const memberRows = series.periods.map((t) => own.get(t));
  if (memberRows.some((r) => !r || r.n < MIN_PERIOD_ROWS)) return null;
  const othersRows = series.periods.map((t) =>
    [...rows].flatMap(([other, periods]) => (other !== member && periods.get(t) ? [periods.get(t)!] : [])),
  );
  if (othersRows.some((list) => list.length === 0)) return null;
  const members = Math.max(2, rows.size);
  type Split = {
    split: number;
    p: number;
    before: GroupSummary;
    after: GroupSummary;
    othersBefore: GroupSummary;
    othersAfter: GroupSummary;
  };
  let best: Split | null = null;
  for (let split = 1; split < n; split++) {
    const before = combineSummaries(memberRows.slice(0, split) as GroupSummary[]);
    const after = combineSummaries(memberRows.slice(split) as GroupSummary[]);
    const othersBefore = combineSummaries(othersRows.slice(0, split).flat());
    const othersAfter = combineSummaries(othersRows.slice(split).flat());
    const difference = after.mean - before.mean - (othersAfter.mean - othersBefore.mean);
    const se = Math.sqrt(
      after.variance / after.n +
        before.variance / before.n +
        othersAfter.variance / othersAfter.n +
        othersBefore.variance / othersBefore.n,
    );
    if (!(se > 0)) continue;
    const p = Math.min(1, twoSidedNormalP(difference / se) * members * (n - 1));
    if (!best || p < best.p) best = { split, p, before, after, othersBefore, othersAfter };
  }
  if (!best) return null;
  ctx.tested(best.p);
  // The best of many overlapping splits is held to 0.1%: at 1%, one noise panel in 40 showed a "shift".
  if (best.p > 0.001) return null;
  const { split, before, after, othersBefore, othersAfter } = best;
  const move = after.mean - before.mean;
  const othersMove = othersAfter.mean - othersBefore.mean;
  if (Math.abs(othersMove) >= 0.5 * Math.abs(move)) return null;
  // A lasting shift: every later period on the new side of the earlier level (not one bad year).
  const up = move > 0;
  if (memberRows.slice(split).some((r) => (up ? r!.mean <= before.mean : r!.mean >= before.mean))) return null;
  const relative = before.mean === 0 ? 0 : move / Math.abs(before.mean);
  const spread = Math.sqrt(combineSummaries([before, after]).variance);
  const d = spread > 0 ? Math.abs(move) / spread : 0;
  const farFromZero = isFarFromZero(before.mean, spread);
  const effect = gapEffect(relative, d, farFromZero);
  if (Math.abs(relative) < 0.05 && !(farFromZero && d >= 0.2)) return null;
  const id = `change:${slug(measure.id)}:${slug(dimension.name)}-${slug(member)}`;
  const claims = new ClaimSet(id);
  const at = series.periods[split]!;
  claims.period('changePeriod', at, periodLabel(at, series.granularity));
  claims.measure('meanBefore', before.mean, measure, 'average');
  claims.measure('meanAfter', after.mean, measure, 'average');
  claims.change('changePct', before.mean, after.mean, measure);
  const otherLevel = combineSummaries([othersBefore, othersAfter]).mean;
  claims.measure('othersLevel', otherLevel, measure, 'average');
  // How far each other member moved across the same date: the largest is what "none moved more than" says.
  const siblingMoves = [...rows].flatMap(([other, periods]) => {
    if (other === member) return [];
    const sides = [series.periods.slice(0, split), series.periods.slice(split)].map((ts) =>
      ts.flatMap((t) => (periods.get(t) ? [periods.get(t)!] : [])),
    );
    if (sides.some((side) => side.length === 0)) return [];
    const [b, a] = sides.map((side) => combineSummaries(side).mean) as [number, number];
    return b === 0 ? [] : [Math.abs(percentChange(a, b))];
  });
  // One sibling that moved nearly as much shows the size of chance moves here.
  if (siblingMoves.length === 0 || 1.5 * Math.max(...siblingMoves) >= Math.abs(relative * 100)) return null;
  claims.percent('othersMaxChangePct', Math.max(...siblingMoves));
  const siblings = [...rows.keys()]
    .filter((other) => other !== member)
    .sort()
    .map((other) => ({
      member: other,
      points: series.periods.flatMap((t) => {
        const r = rows.get(other)!.get(t);
        return r ? [{ t, value: r.mean }] : [];
      }),
    }));
  return makeFact({
    id,
    type: 'change_point',
    measureId: measure.id,
    dimension: dimension.name,
    subspace: { dimension: dimension.name, member },
    columns: [timeColumn, ...measure.columns, dimension.name],
    p: best.p,
    effect,
    impact,
    // The others held while this member moved: an exception, as `detectChangePoint` rates it.
    surprise: 1.3,
    claims: claims.claims,
    data: {
      granularity: series.granularity,
      points: series.periods.map((t, i) => ({ t, value: memberRows[i]!.mean })),
      index: split,
      at,
      meanBefore: before.mean,
      meanAfter: after.mean,
      siblings,
      onRows: true,
    },
  });
}

/** The whole table's rows of each period (count, mean, variance), or null when a period has too few. */
async function wholePeriodRows(ctx: DetectorContext, measure: Measure, series: Series): Promise<GroupSummary[] | null> {
  const own = (await periodRows(ctx, null, series.granularity)).get(measure.id)?.get(WHOLE);
  const periods = series.periods.map((t) => own?.get(t));
  return periods.some((r) => !r || r.n < MIN_PERIOD_ROWS) ? null : (periods as GroupSummary[]);
}

/**
 * The whole table's average stepped to a new level over too few periods for a change point (five school
 * years: maths 252 in 2019, 238 in 2021, still 246 by 2023): the best split between periods, weighed on the
 * rows — Welch's difference of the two sides' means, two-sided normal p × splits (Bonferroni), at most
 * 0.001 — kept when a step fits the period means clearly better than a line (SSE ≤ half), the step between
 * the two periods either side of the split is at least half the move, every later period stays on the new
 * side, and the move is at least 5% (or, far from zero, a fifth of a standard deviation).
 */
export async function detectFewPeriodStep(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  timeColumn: string,
): Promise<Fact | null> {
  const n = series.periods.length;
  if (n < FEW_PERIODS.min || n > FEW_PERIODS.max || measure.aggregation === 'sum' || measure.ratio) return null;
  const rows = await wholePeriodRows(ctx, measure, series);
  if (!rows) return null;
  let best: { split: number; p: number; before: GroupSummary; after: GroupSummary } | null = null;
  for (let split = 1; split < n; split++) {
    const before = combineSummaries(rows.slice(0, split));
    const after = combineSummaries(rows.slice(split));
    const se = Math.sqrt(after.variance / after.n + before.variance / before.n);
    if (!(se > 0)) continue;
    const p = Math.min(1, twoSidedNormalP((after.mean - before.mean) / se) * (n - 1));
    if (!best || p < best.p) best = { split, p, before, after };
  }
  if (!best) return null;
  ctx.tested(best.p);
  if (best.p > 0.001) return null;
  const { split, before, after } = best;
  const move = after.mean - before.mean;
  const means = rows.map((r) => r.mean);
  // A step, not a drift: the move happens across the split, and a line through the periods fits worse.
  if (Math.abs(means[split]! - means[split - 1]!) < 0.5 * Math.abs(move)) return null;
  const fits = stepAndLineSse(means, split, before.mean, after.mean);
  if (!(fits.step <= 0.5 * (fits.line ?? 0))) return null;
  const up = move > 0;
  if (means.slice(split).some((m) => (up ? m <= before.mean : m >= before.mean))) return null;
  const relative = before.mean === 0 ? 0 : move / Math.abs(before.mean);
  const spread = Math.sqrt(combineSummaries([before, after]).variance);
  const d = spread > 0 ? Math.abs(move) / spread : 0;
  const farFromZero = isFarFromZero(before.mean, spread);
  if (Math.abs(relative) < 0.05 && !(farFromZero && d >= 0.2)) return null;
  const id = `change:${slug(measure.id)}:all`;
  const claims = new ClaimSet(id);
  const at = series.periods[split]!;
  const label = (i: number) => periodLabel(series.periods[i]!, series.granularity);
  claims.period('changePeriod', at, label(split));
  claims.measure('meanBefore', before.mean, measure, 'average');
  claims.measure('meanAfter', after.mean, measure, 'average');
  claims.change('changePct', before.mean, after.mean, measure);
  // The step itself, period to period, and where the latest period stands.
  claims.period('stepFromPeriod', series.periods[split - 1]!, label(split - 1));
  claims.measure('stepFrom', means[split - 1]!, measure, 'average');
  claims.measure('stepTo', means[split]!, measure, 'average');
  if (split < n - 1) {
    claims.period('latestPeriod', series.periods[n - 1]!, label(n - 1));
    claims.measure('latestValue', means[n - 1]!, measure, 'average');
  }
  return makeFact({
    id,
    type: 'change_point',
    measureId: measure.id,
    columns: [timeColumn, ...measure.columns],
    p: best.p,
    effect: gapEffect(relative, d, farFromZero),
    impact: 1,
    surprise: 1,
    claims: claims.claims,
    data: {
      granularity: series.granularity,
      points: series.periods.map((t, i) => ({ t, value: means[i]! })),
      index: split,
      at,
      meanBefore: before.mean,
      meanAfter: after.mean,
      onRows: true,
    },
  });
}

/**
 * One period far off the others in a short series of an average (a drought year: yields 5.72 t/ha in 2022
 * against 7.02 in the five other years), weighed on the rows: Welch's difference of that period's mean from
 * the other periods' pooled mean, two-sided normal p × the inner periods (Bonferroni), at most 0.001. Kept
 * for an inner period standing alone (no other period half as far out) and at least 10% off — or 5%, where
 * that is 0.4 standard deviations of the rows. Told as a spike against the other periods.
 */
export async function detectFewPeriodDip(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  timeColumn: string,
): Promise<Fact | null> {
  const n = series.periods.length;
  if (n < 5 || n > FEW_PERIODS.max || measure.aggregation === 'sum' || measure.ratio || measure.interval) return null;
  const rows = await wholePeriodRows(ctx, measure, series);
  if (!rows) return null;
  let best: { at: number; p: number; others: GroupSummary } | null = null;
  for (let at = 1; at < n - 1; at++) {
    const others = combineSummaries(rows.filter((_, i) => i !== at));
    const se = Math.sqrt(rows[at]!.variance / rows[at]!.n + others.variance / others.n);
    if (!(se > 0)) continue;
    const p = Math.min(1, twoSidedNormalP((rows[at]!.mean - others.mean) / se) * (n - 2));
    if (!best || p < best.p) best = { at, p, others };
  }
  if (!best) return null;
  ctx.tested(best.p);
  const { at, others } = best;
  const means = rows.map((r) => r.mean);
  const off = means[at]! - others.mean;
  const relative = others.mean === 0 ? 0 : off / Math.abs(others.mean);
  // 10% off, or 5% where that is 0.4 standard deviations of the rows (a hot year's marathon, 8.5% slower).
  const spread = Math.sqrt(others.variance);
  const d = spread > 0 ? Math.abs(off) / spread : 0;
  if (best.p > 0.001 || !(Math.abs(relative) >= 0.1 || (Math.abs(relative) >= 0.05 && d >= 0.4))) return null;
  const alone = means.every((m, i) => i === at || Math.abs(m - others.mean) <= 0.5 * Math.abs(off));
  if (!alone) return null;
  const id = `spike:${slug(measure.id)}:all:${series.periods[at]!.slice(0, 10)}`;
  const claims = new ClaimSet(id);
  const label = (i: number) => periodLabel(series.periods[i]!, series.granularity);
  claims.period('period', series.periods[at]!, label(at));
  claims.measure('value', means[at]!, measure, 'average');
  claims.measure('expected', others.mean, measure, 'average');
  claims.change('changePct', others.mean, means[at]!, measure, 'average');
  claims.period('nextPeriod', series.periods[at + 1]!, label(at + 1));
  claims.measure('nextValue', means[at + 1]!, measure, 'average');
  return makeFact({
    id,
    type: 'spike',
    measureId: measure.id,
    columns: [timeColumn, ...measure.columns],
    p: best.p,
    // Sized like any spike, by how far it moved: the rows' spread mixes what differs inside a year (crops).
    effect: relativeEffect(relative),
    impact: 1,
    surprise: 1,
    claims: claims.claims,
    data: {
      granularity: series.granularity,
      direction: off > 0 ? 'up' : 'down',
      points: series.periods.map((t, i) => ({ t, value: means[i]! })),
      index: at,
      at: series.periods[at]!,
      recovered: true,
      againstOthers: true,
      expected: series.periods.map((t) => ({ t, value: others.mean })),
      onRows: true,
    },
  });
}
