import { mean, median } from '../../stats/index.ts';
import { ClaimSet } from '../narrative/format.ts';
import { byMember } from '../queries.ts';
import { finer, monthName, periodsBetween } from '../time.ts';
import type { Fact, Measure } from '../types.ts';
import { type DetectorContext, makeFact, slug } from './context.ts';
import { dailyTotals, perCalendarDay, type Series, toSeries, valuesByPeriod } from './series.ts';
import { yearlyProfile } from './temporal.ts';
import { monthlyAverages } from './temporal-scan.ts';

/** Months a member's rhythm needs, and how far its peak month must stand above its trough. */
const CYCLE = { minMonths: 24, minRatio: 1.5, minShare: 0.02 } as const;

/**
 * A member with a yearly rhythm of its own: respiratory prescriptions three times as many in January as in
 * July while the other therapeutic areas hardly move, ice cream in summer in a grocer's otherwise flat year.
 * The whole table's cycle is no member's; what is one member's alone shows in its share of the total, which
 * a rhythm common to all leaves flat. So the test is a yearly ANOVA of the member's monthly share (around its
 * trend, as for the whole's cycle), and the finding is told in the member's own months (its average at the
 * peak against its trough) beside what the other members did over the same months.
 */
export async function memberCycleFacts(ctx: DetectorContext): Promise<Fact[]> {
  const time = ctx.profile.time;
  if (!time || finer('month', time.granularity)) return [];
  // Weekly data: each month's average week (a five-week month is not 25% busier).
  const source = time.granularity === 'week' ? 'week' : 'month';
  if (periodsBetween(time.min, time.max, 'month') + 1 < CYCLE.minMonths) return [];
  const all = ctx.profile.measures;
  const measures = ctx
    .followedMeasures()
    .filter((m) => m.aggregation === 'sum' && m.nonNegative && !m.ratio && !m.stockPer && !m.interval);
  if (measures.length === 0) return [];
  const monthly = (series: Series, measure: Measure) =>
    source === 'week' ? monthlyAverages(series) : perCalendarDay(series, measure, time);
  const wholeBuckets = await ctx.q.series(source, all);
  const facts: Fact[] = [];
  for (const dimension of ctx.profile.dimensions) {
    // Two members share one rhythm between them (one's share is the other's); a dozen is a readable few.
    if (dimension.binary || dimension.cardinality < 3 || dimension.cardinality > 12) continue;
    if (!(await ctx.splitsTime(dimension))) continue;
    ctx.checkAborted();
    const grouped = byMember(await ctx.q.memberSeries(dimension, source, all));
    for (const measure of measures) {
      const index = all.indexOf(measure);
      const whole = monthly(toSeries(wholeBuckets, index, source, time.granularity), measure);
      const wholeAt = valuesByPeriod(whole);
      const total = whole.values.reduce((a, b) => a + b, 0);
      const found: Fact[] = [];
      for (const [member, memberRows] of [...grouped].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        // The member's months as they are: the whole's series already left out the file's partial months,
        // and a month of few sales is the member's low season, not a partial month of its own (December's
        // rosé). Months the whole covers and the member does not had nothing of it.
        const raw: Series = {
          granularity: source,
          periods: memberRows.map((row) => row.t),
          values: memberRows.map((row) => Number(row.values[index] ?? 0)),
          rows: memberRows.map((row) => row.rows),
          excluded: [],
        };
        const own = monthly(raw, measure);
        const values = whole.periods.map((t) => own.values[own.periods.indexOf(t)] ?? 0);
        const sum = values.reduce((a, b) => a + b, 0);
        if (whole.periods.length < CYCLE.minMonths || total <= 0 || sum / total < CYCLE.minShare) continue;
        const fact = memberCycle(ctx, measure, dimension.name, member, whole.periods, values, wholeAt, sum / total);
        if (fact) found.push(fact);
      }
      // Several members on their own rhythms (winter and summer lines): each is told, the clearest first.
      facts.push(...found);
    }
  }
  return facts;
}

function memberCycle(
  ctx: DetectorContext,
  measure: Measure,
  dimension: string,
  member: string,
  periods: string[],
  values: number[],
  wholeAt: Map<string, number>,
  share: number,
): Fact | null {
  const positions = periods.map((t) => Number(t.slice(5, 7)) - 1);
  // The member's own months and the others' over the same months.
  const averageAt = (list: number[], position: number) =>
    mean(list.filter((_, i) => positions[i] === position)) ?? Number.NaN;
  const rest = periods.map((t, i) => wholeAt.get(t)! - values[i]!);
  // Told in the member's own months, highest against lowest, as its chart shows them.
  const own = Array.from({ length: 12 }, (_, position) => averageAt(values, position));
  const seen = own.flatMap((value, position) => (Number.isFinite(value) ? [{ value, position }] : []));
  if (seen.length < 12) return null;
  const peak = seen.reduce((a, b) => (b.value > a.value ? b : a)).position;
  const trough = seen.reduce((a, b) => (b.value < a.value ? b : a)).position;
  const [ownPeak, ownTrough] = [own[peak]!, own[trough]!];
  const [restPeak, restTrough] = [averageAt(rest, peak), averageAt(rest, trough)];
  if (!(ownTrough > 0) || !(restTrough > 0)) return null;
  const ratio = ownPeak / ownTrough;
  const restRatio = restPeak / restTrough;
  // Its own swing at least twice the others' over the same months: a rhythm all share is the table's.
  // Only a swing that large is put to the test (the effect floor comes first, as elsewhere).
  if (ratio < CYCLE.minRatio || ratio - 1 < 2 * Math.abs(restRatio - 1)) return null;
  // A rhythm comes back every year: the peak month above the year's middle and above the trough month in
  // each year seen (one corporate gift of £50,000 one July is no summer peak).
  const byYear = new Map<string, { position: number; value: number }[]>();
  for (const [i, t] of periods.entries())
    byYear.set(t.slice(0, 4), [...(byYear.get(t.slice(0, 4)) ?? []), { position: positions[i]!, value: values[i]! }]);
  for (const months of byYear.values()) {
    const at = (position: number) => months.find((m) => m.position === position)?.value;
    const [high, low, middle] = [at(peak), at(trough), median(months.map((m) => m.value))];
    if (high === undefined || low === undefined || middle === null) continue;
    if (!(high > low) || high < middle) return null;
  }
  const shares = periods.map((t, i) => values[i]! / Math.max(1e-12, wholeAt.get(t)!));
  const profile = yearlyProfile(shares, positions, 12);
  if (!profile) return null;
  ctx.tested(profile.p);
  const years = periods.length / 12;
  // Seen only twice, a rhythm must be clear-cut, as for the whole table's.
  if (profile.p > (years < 3 ? 0.001 : 0.01) || profile.etaSquared < (years < 3 ? 0.5 : 0.3)) return null;
  const id = `member-cycle:${slug(measure.id)}:${slug(dimension)}-${slug(member)}`;
  const claims = new ClaimSet(id);
  claims.member('member', member);
  claims.add('peak', monthName(peak), 'period', monthName(peak));
  claims.add('trough', monthName(trough), 'period', monthName(trough));
  claims.measure('peakValue', ownPeak, measure, 'average');
  claims.measure('troughValue', ownTrough, measure, 'average');
  claims.ratio('ratio', ratio);
  // The others' difference between the same two months, its direction told in words.
  claims.percent('restGapPct', Math.abs(restRatio - 1) * 100);
  return makeFact({
    id,
    type: 'member_cycle',
    measureId: measure.id,
    dimension,
    subspace: { dimension, member },
    columns: [ctx.profile.time!.name, ...measure.columns, dimension],
    p: profile.p,
    effect: Math.sqrt(profile.etaSquared) * Math.min(1, ratio - 1),
    impact: share,
    // A rhythm of one member's that the total hides is what a reader of the whole would not see (as a
    // member's own trend or shift).
    surprise: 1.3,
    claims: claims.claims,
    data: {
      cycle: 'month',
      member,
      profile: own.map((value, position) => ({ label: monthName(position), value, rest: averageAt(rest, position) })),
      peak,
      trough,
      restHigher: restRatio >= 1,
      perDay: dailyTotals(measure, 'month', ctx.profile.time!.granularity),
      perWeek: ctx.profile.time!.granularity === 'week',
    },
  });
}
