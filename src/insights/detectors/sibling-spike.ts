import { median, twoSidedNormalP } from '../../stats/index.ts';
import { ClaimSet, valueRole } from '../narrative/format.ts';
import { finer, periodLabel } from '../time.ts';
import type { Fact, Measure } from '../types.ts';
import { type DetectorContext, makeFact, relativeEffect, slug } from './context.ts';
import { type Series, valuesByPeriod } from './series.ts';
import type { Scope } from './temporal.ts';

/** How far (robust z of the log share) and how much (relative) a month must stand off a member's usual share. */
const OFF_SHARE = { minZ: 5, minRelative: 0.3, runnerUp: 2, minPeriods: 12, maxSiblings: 11, minRows: 30 } as const;

/**
 * A member's month far off its usual share of its siblings' (Linz's June at 28% of what the other five
 * stores' June points to): under a season all members share, its own months swing with the calendar and
 * a spike against its neighbours hides in December's peaks; its ratio to the others does not. The log of
 * member ÷ others is read against its median, with a spread of the other months (1.4826 · MAD, or their
 * standard deviation where wider); z ≥ 5, twice the next month's distance, 30% off at least; p = two-sided
 * normal × periods. Told in the member's own units: its value against its usual share of the others' total
 * that period.
 */
export function detectOffShare(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  scope: Scope,
  timeColumn: string,
): Fact | null {
  const siblings = scope.siblings ?? [];
  if (siblings.length < 2 || measure.aggregation !== 'sum' || measure.stockPer || measure.interval) return null;
  // A handful of members, each with rows enough a period that its share moves little by chance (a
  // product sold nine times a month swings by a third).
  if (siblings.length > OFF_SHARE.maxSiblings || (median(series.rows) ?? 0) < OFF_SHARE.minRows) return null;
  if (finer(series.granularity, 'week') || series.values.length < OFF_SHARE.minPeriods) return null;
  // Each sibling's value by period, looked up once per period (not searched for).
  const byPeriod = siblings.map(({ series: other }) => valuesByPeriod(other));
  const others = series.periods.map((t) => byPeriod.reduce((sum, values) => sum + (values.get(t) ?? 0), 0));
  // (Every period above zero on both sides: a share of nothing, or of a net loss, has no log.)
  if (others.some((v) => !(v > 0)) || series.values.some((v) => !(v > 0))) return null;
  const logs = series.values.map((v, i) => Math.log(v / others[i]!));
  const centre = median(logs)!;
  const deviations = logs.map((l) => l - centre);
  const order = deviations.map((d, i) => ({ d, i })).sort((a, b) => Math.abs(b.d) - Math.abs(a.d) || a.i - b.i);
  const [top, next] = [order[0]!, order[1]!];
  // The first and last periods have one side only: where the member starts, and the latest change's business.
  if (top.i === 0 || top.i === series.values.length - 1) return null;
  const rest = deviations.filter((_, i) => i !== top.i);
  // The robust spread of two dozen periods can come out narrow by chance: never below the plain standard
  // deviation of the other periods.
  const restMean = rest.reduce((sum, d) => sum + d, 0) / rest.length;
  const sd = Math.sqrt(rest.reduce((sum, d) => sum + (d - restMean) ** 2, 0) / Math.max(1, rest.length - 1));
  const spread = Math.max(1.4826 * (median(rest.map(Math.abs)) ?? 0), sd);
  if (!(spread > 0)) return null;
  const z = Math.abs(top.d) / spread;
  const p = ctx.tested(Math.min(1, twoSidedNormalP(z) * series.values.length));
  const expected = Math.exp(centre) * others[top.i]!;
  const value = series.values[top.i]!;
  const relative = value / expected - 1;
  if (p > 0.05 || z < OFF_SHARE.minZ || Math.abs(top.d) < OFF_SHARE.runnerUp * Math.abs(next.d)) return null;
  if (Math.abs(relative) < OFF_SHARE.minRelative) return null;
  const at = series.periods[top.i]!;
  const id = `spike:${slug(measure.id)}:${slug(scope.dimension!.name)}-${slug(scope.member!)}:${at.slice(0, 10)}`;
  const claims = new ClaimSet(id);
  const role = valueRole(measure);
  claims.period('period', at, periodLabel(at, series.granularity));
  claims.measure('value', value, measure, role);
  claims.measure('expected', expected, measure, role);
  claims.percent('offPct', Math.abs(relative) * 100);
  // The others that period against their own usual (their median period): they held, or moved with the calendar.
  const usualOthers = median(others) ?? 0;
  const othersMove = usualOthers > 0 ? others[top.i]! / usualOthers - 1 : 0;
  // The others must have held (within a quarter of their usual period): a month they all fell is a shift
  // of the mix, not one member's event.
  if (Math.abs(othersMove) > 0.25) return null;
  claims.percent('othersMovePct', othersMove * 100);
  return makeFact({
    id,
    type: 'spike',
    measureId: measure.id,
    subspace: { dimension: scope.dimension!.name, member: scope.member! },
    dimension: scope.dimension!.name,
    columns: [timeColumn, ...measure.columns, scope.dimension!.name],
    p,
    effect: relativeEffect(Math.abs(relative)),
    impact: scope.impact,
    // One member alone off its siblings: its own news.
    surprise: 1.2,
    claims: claims.claims,
    data: {
      granularity: series.granularity,
      direction: relative > 0 ? 'up' : 'down',
      offShare: true,
      points: series.periods.map((t, i) => ({ t, value: series.values[i]! })),
      index: top.i,
      at,
      expected: series.periods.map((t, i) => ({ t, value: Math.exp(centre) * others[i]! })),
    },
  });
}
