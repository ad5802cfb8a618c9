import {
  bestMeanShift,
  binomialUpperTail,
  consistency,
  detrendMovingAverage,
  durbinWatson,
  type JointLine,
  jointLine,
  type MeanShift,
  mad,
  mannKendall,
  mannKendallCorrected,
  mean,
  median,
  ols,
  percentChange,
  predictionP,
  rebasedScore,
  type SeasonalProfile,
  type SpikeScore,
  seasonalKendall,
  seasonalProfile,
  senSlope,
  spikeScores,
  std,
  twoSidedNormalP,
  withinTurnProfile,
} from '../../stats/index.ts';
import { ClaimSet, formatMeasureValue, movesInUnits, valueRole } from '../narrative/format.ts';
import { pooledRatios, ratioParts } from '../queries.ts';
import { countsTheSameThings, isPriceName } from '../semantics.ts';
import {
  addPeriods,
  aYearApart,
  finer,
  monthName,
  PERIODS_A_YEAR,
  periodLabel,
  sameTimeLastYear,
  weekdayName,
} from '../time.ts';
import { type Dimension, type Fact, type Granularity, type Measure, ROWS_MEASURE_ID } from '../types.ts';
import { type DetectorContext, makeFact, relativeEffect, slug } from './context.ts';
import { perCalendarDay, pointsOf as points, type Series, valuesByPeriod } from './series.ts';

/** The slice of data a temporal fact is about: everything, or one member of a dimension. */
export interface Scope {
  dimension?: Dimension;
  member?: string;
  /** Share of the measure's total (additive) or of rows (averaged) inside the scope. */
  impact: number;
  /** The other members' series at the same granularity (for "while the others held steady"). */
  siblings?: { member: string; series: Series }[];
  /**
   * Noise scale of relative residuals pooled over all sibling series (robust, 1.4826·MAD) and how many
   * points it covers: a short member series borrows its siblings' evidence of what "normal" swings are.
   */
  pooled?: { scale: number; points: number };
}

function scopeFields(scope: Scope, measure: Measure, timeColumn: string) {
  const subspace =
    scope.dimension && scope.member ? { dimension: scope.dimension.name, member: scope.member } : undefined;
  const columns = [timeColumn, ...measure.columns, ...(scope.dimension ? [scope.dimension.name] : [])];
  return { subspace, columns, dimension: scope.dimension?.name };
}

const scopeKey = (scope: Scope) =>
  scope.member ? `${slug(scope.dimension?.name ?? '')}-${slug(scope.member)}` : 'all';

/** The average of each complete calendar year of a monthly series (rows added up). */
function annualMeans(series: Series): Series {
  const years = new Map<string, { sum: number; months: number; rows: number }>();
  series.periods.forEach((period, i) => {
    const year = `${period.slice(0, 4)}-01-01${period.slice(10)}`;
    const entry = years.get(year) ?? { sum: 0, months: 0, rows: 0 };
    entry.sum += series.values[i]!;
    entry.months += 1;
    entry.rows += series.rows[i]!;
    years.set(year, entry);
  });
  const complete = [...years].filter(([, entry]) => entry.months === 12);
  return {
    granularity: 'year',
    periods: complete.map(([year]) => year),
    values: complete.map(([, entry]) => entry.sum / 12),
    rows: complete.map(([, entry]) => entry.rows),
    excluded: [],
  };
}

/** Monotonic trend: Mann–Kendall for significance, Sen's slope for size, ML.NET's step consistency as a gate. */
export function detectTrend(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  scope: Scope,
  timeColumn: string,
): Fact | null {
  const n = series.values.length;
  if (n < 6) return null;
  // Decades of monthly temperatures: the season swings ten degrees a year and hides a warming of one degree
  // in thirty years, so the trend is judged on each complete year's average, as climate records are.
  if (measure.interval && series.granularity === 'month' && n >= 120 && seasonallyAdjusted(series) !== null) {
    const years = annualMeans(series);
    if (years.values.length >= 10) return detectTrend(ctx, measure, years, scope, timeColumn);
  }
  // Corrected for autocorrelation: a random walk wanders far without trending.
  const mk = mannKendallCorrected(series.values);
  ctx.tested(mk.p);
  const index = series.values.map((_, i) => i);
  const sen = senSlope(index, series.values);
  const level = mean(series.values.map(Math.abs)) ?? 0;
  if (!sen || level === 0) return null;
  const relative = (sen.slope * (n - 1)) / level;
  // With two years or more of months (quarters), steps against the same period a year earlier count when
  // nearly all agree: a yearly cycle makes half the month-to-month steps go down in a series that grows
  // every year. (Any trending series looks steadier year on year; only a clear case replaces the steps.)
  const lag = series.granularity === 'month' ? 12 : series.granularity === 'quarter' ? 4 : 0;
  const stepwise = consistency(series.values);
  const yearly = lag > 0 && n >= 2 * lag ? consistency(series.values, lag) : null;
  const steps = yearly && yearly.share >= 0.8 && yearly.share > stepwise.share + 0.1 ? yearly : stepwise;
  const first = series.values[0]!;
  const last = series.values[n - 1]!;
  // A trend is told by its ends: when they go the other way (a stock that fell all year and ended above its
  // first week after a late refill), there is no plain rise or fall to tell.
  if ((last - first) * relative < 0) return null;
  // Percentages of a quantity around zero (an anomaly from -0.2 to +1.2 "rose 788%") or on an interval
  // scale (°C) mean nothing: such a trend is sized against the series' own spread and told in units.
  const inUnits = Boolean(measure.interval) || Math.min(...series.values) <= 0;
  const spread = std(series.values) ?? 0;
  const standardized = spread > 0 ? (sen.slope * (n - 1)) / spread : 0;
  if (mk.p > 0.05 || (inUnits ? Math.abs(standardized) < 0.5 : Math.abs(relative) < 0.05)) {
    // The yearly cycle may be what hides the growth: every month above the same month a year earlier.
    return steps === yearly ? yearOnYearTrend(ctx, measure, series, scope, timeColumn) : null;
  }
  const id = `trend:${slug(measure.id)}:${scopeKey(scope)}`;
  const claims = new ClaimSet(id);
  const role = valueRole(measure);
  claims.period('firstPeriod', series.periods[0]!, periodLabel(series.periods[0]!, series.granularity));
  claims.measure('firstValue', first, measure, role);
  claims.period('lastPeriod', series.periods[n - 1]!, periodLabel(series.periods[n - 1]!, series.granularity));
  claims.measure('lastValue', last, measure, role);
  // A percentage's trend in points (a conversion rate from 4.6% to 3.0% fell 1.6 points), like its shifts.
  claims.change('changePct', first, last, measure, role, inUnits || movesInUnits(measure));
  claims.add('periods', n, 'count', String(n));
  if (!inUnits && first > 0 && last / first >= 2) claims.ratio('multiple', last / first);
  const majority = steps.direction === 'down' ? steps.downs : steps.ups;
  claims.add('stepsInDirection', majority, 'count', String(majority));
  claims.add('steps', steps.steps, 'count', String(steps.steps));
  const stepLag = steps === stepwise ? 1 : lag;
  // A peak (or trough) inside the span, far from where the series ends, is part of the story.
  const extremeIndex =
    relative > 0
      ? series.values.indexOf(Math.min(...series.values))
      : series.values.indexOf(Math.max(...series.values));
  const turning = relative < 0 ? series.values.indexOf(Math.max(...series.values)) : -1;
  // A fall that first climbed (half as high again as where it started) is told from its peak.
  if (
    !inUnits &&
    turning > 0 &&
    turning < n - 1 &&
    (Math.abs(percentChange(last, series.values[turning]!)) > Math.abs(percentChange(last, first)) + 5 ||
      series.values[turning]! >= 1.5 * first)
  ) {
    claims.period('peakPeriod', series.periods[turning]!, periodLabel(series.periods[turning]!, series.granularity));
    claims.measure('peakValue', series.values[turning]!, measure, role);
    claims.percent('fromPeakPct', percentChange(last, series.values[turning]!));
  }
  const steady = steadyFit(series.values);
  addPace(claims, series, measure, relative, steady.joint);
  // Noisy years in units (a temperature): the trend line's pace per decade says more than counting steps.
  if (inUnits && series.granularity === 'year' && n >= 20 && steps.share < 0.7) {
    const years = series.periods.map((t) => Number(t.slice(0, 4)));
    const perYear = senSlope(years, series.values)?.slope;
    const span = years[n - 1]! - years[0]!;
    if (perYear !== undefined && span >= 20) {
      claims.measure('decadePace', Math.abs(perYear * 10), measure, 'average');
      claims.measure('lineChange', Math.abs(perYear * span), measure, 'average');
      claims.add('lineYears', span, 'count', String(span));
    }
  }
  // A record among months of daily totals is a record per day: February is short of days, not of parcels.
  const time = ctx.profile.time;
  addRecordEnd(claims, time ? perCalendarDay(series, measure, time) : series, relative > 0);
  const fitted = [0, n - 1].map((i) => ({ t: series.periods[i]!, value: sen.intercept + sen.slope * i }));
  // Steps that mostly go one way, or a line (or a line that bends once) that leaves only noise around it:
  // yearly temperatures rise in 78 of 143 steps, yet a bent line explains 85% of them.
  // Decades of noisy years (a warming of 1.6 °C under year-to-year swings of 0.9 °C) step up only half
  // the time; a line that leaves white noise behind and a test this clear make the trend plain all the same.
  // (In units only: a count's noisy decades are told by their multiple, and its steps still weigh.)
  const clearLine = inUnits && steady.r2 > 0 && n >= 30 && mk.p <= 0.001 ? 0.75 : 0;
  const consistencyFactor = Math.max(Math.min(1, Math.max(0.3, (steps.share - 0.45) / 0.3)), steady.r2, clearLine);
  const alone = aloneAmongSiblings(scope, inUnits ? sen.slope * (n - 1) : relative, inUnits, series);
  if (alone) {
    if (inUnits) claims.measure('othersMaxChange', alone.othersMax, measure, 'average');
    else claims.percent('othersMaxChangePct', alone.othersMax * 100);
  }
  return makeFact({
    id,
    type: 'trend',
    measureId: measure.id,
    ...scopeFields(scope, measure, timeColumn),
    p: mk.p,
    // In units: a change of two standard deviations of the series counts like a 25% one.
    effect: (inUnits ? 1 - Math.exp(-Math.abs(standardized) / 2) : relativeEffect(relative)) * consistencyFactor,
    // A reading that drifted in one member alone (a machine's spindle 8 °C hotter while nine held) is the
    // panel's news whatever its share of the rows, as a member's lone step is; a total's member keeps its share.
    impact: alone && measure.aggregation !== 'sum' && scope.member !== undefined ? 1 : scope.impact,
    // The only member that moved (one sensor of six drifting 5 °C) reads stronger than a shared trend.
    surprise: alone ? 1.3 : 1,
    claims: claims.claims,
    data: {
      granularity: series.granularity,
      direction: relative > 0 ? 'up' : 'down',
      stepLag,
      relativeChange: relative,
      points: points(series),
      fit: fitted,
      excluded: series.excluded,
      extremeIndex,
      siblings: scope.siblings?.map((s) => ({ member: s.member, points: points(s.series) })),
    },
  });
}

/** A year of a series from `from` on: its total for a measure that adds up, else its average. */
export function yearOf(values: number[], from: number, lag: number, measure: Measure): number {
  const part = values.slice(from, from + lag);
  return measure.aggregation === 'sum' ? part.reduce((total, v) => total + v, 0) : mean(part)!;
}

/**
 * Growth under a yearly cycle (two years of monthly bike rentals, the second 60% busier), which the plain
 * test reads as a cycle and nothing more: tested with the seasonal Mann–Kendall test (each month against
 * itself in other years) and told as the last whole calendar year against the first (else the last 12
 * months against the first 12) — totals for a measure that adds up, averages otherwise — so that no
 * January is set against a July. `data.years` keeps where the two years start.
 */
export function yearOnYearTrend(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  scope: Scope,
  timeColumn: string,
): Fact | null {
  const values = series.values;
  const n = values.length;
  const lag = series.granularity === 'month' ? 12 : series.granularity === 'quarter' ? 4 : 0;
  if (lag === 0 || n < 2 * lag) return null;
  // Only a clear case is tested: nearly every period on the same side of the one a year earlier.
  const steps = consistency(values, lag);
  if (steps.share < 0.8 || steps.share <= consistency(values).share + 0.1) return null;
  const test = seasonalKendall(values, lag);
  if (!test) return null;
  ctx.tested(test.p);
  // The first and last whole calendar years when there are two; else the first and last twelve months.
  const yearStarts = series.periods.flatMap((t, i) =>
    i + lag <= n && Number(t.slice(5, 7)) === 1 && series.periods[i + lag - 1]!.slice(0, 4) === t.slice(0, 4)
      ? [i]
      : [],
  );
  const calendar = yearStarts.length >= 2;
  const [from, to] = calendar ? [yearStarts[0]!, yearStarts[yearStarts.length - 1]!] : [0, n - lag];
  const [first, last] = [yearOf(values, from, lag, measure), yearOf(values, to, lag, measure)];
  const inUnits = Boolean(measure.interval) || Math.min(...values) <= 0;
  // Sized against what is left once each month's own level is taken out, not against the cycle.
  const positionMeans = Array.from({ length: lag }, (_, k) => mean(values.filter((_, i) => i % lag === k))!);
  const spread = std(values.map((v, i) => v - positionMeans[i % lag]!)) ?? 0;
  const standardized = spread > 0 ? (last - first) / (measure.aggregation === 'sum' ? lag : 1) / spread : 0;
  const relative = first !== 0 ? (last - first) / Math.abs(first) : 0;
  if (test.p > 0.05 || Math.sign(last - first) !== Math.sign(test.slope) || first === last) return null;
  if (inUnits ? Math.abs(standardized) < 0.5 : Math.abs(relative) < 0.05) return null;
  const id = `trend:${slug(measure.id)}:${scopeKey(scope)}`;
  const claims = new ClaimSet(id);
  const role = valueRole(measure);
  // A calendar year reads as "2011"; twelve months from elsewhere in the year as "July 2011–June 2012".
  const label = (start: number) =>
    calendar
      ? series.periods[start]!.slice(0, 4)
      : `${periodLabel(series.periods[start]!, series.granularity)}–${periodLabel(series.periods[start + lag - 1]!, series.granularity)}`;
  claims.period('firstPeriod', series.periods[from]!, label(from));
  claims.measure('firstValue', first, measure, role);
  claims.period('lastPeriod', series.periods[to]!, label(to));
  claims.measure('lastValue', last, measure, role);
  // A percentage's trend in points (a conversion rate from 4.6% to 3.0% fell 1.6 points), like its shifts.
  claims.change('changePct', first, last, measure, role, inUnits || movesInUnits(measure));
  claims.add('periods', n, 'count', String(n));
  if (!inUnits && first > 0 && last / first >= 2) claims.ratio('multiple', last / first);
  claims.add(
    'stepsInDirection',
    test.slope > 0 ? steps.ups : steps.downs,
    'count',
    String(test.slope > 0 ? steps.ups : steps.downs),
  );
  claims.add('steps', steps.steps, 'count', String(steps.steps));
  const intercept = (median(values) ?? 0) - test.slope * ((n - 1) / 2);
  return makeFact({
    id,
    type: 'trend',
    measureId: measure.id,
    ...scopeFields(scope, measure, timeColumn),
    p: test.p,
    effect:
      (inUnits ? 1 - Math.exp(-Math.abs(standardized) / 2) : relativeEffect(relative)) *
      Math.min(1, Math.max(0.3, (steps.share - 0.45) / 0.3)),
    impact: scope.impact,
    surprise: 1,
    claims: claims.claims,
    data: {
      granularity: series.granularity,
      direction: test.slope > 0 ? 'up' : 'down',
      stepLag: lag,
      yearOnYear: true,
      years: [from, to],
      relativeChange: relative,
      points: points(series),
      fit: [0, n - 1].map((i) => ({ t: series.periods[i]!, value: intercept + test.slope * i })),
      excluded: series.excluded,
      extremeIndex: values.indexOf(test.slope > 0 ? Math.min(...values) : Math.max(...values)),
      siblings: scope.siblings?.map((s) => ({ member: s.member, points: points(s.series) })),
    },
  });
}

/** An episode lasts 3–7 periods (days) and is judged against up to 14 periods on each side. */
const EPISODE = { minLength: 3, maxLength: 7, around: 14, minPoints: 28, maxPoints: 1500 } as const;
/**
 * A member's weeks off its level and back (a counter's four weeks of roadworks at 42% of its traffic): the
 * same stretch, read on the story's weeks — ten weeks at least, up to a third of them, against four a side.
 */
export const WEEKS_EPISODE = { minLength: 3, maxLength: 8, around: 4, minPoints: 10, maxPoints: 260 } as const;
/** And on a year or so of months (no yearly cycle to read yet): two to four months against three a side. */
export const MONTHS_EPISODE = {
  minLength: 2,
  maxLength: 4,
  around: 3,
  minPoints: 10,
  maxPoints: 23,
  // A dozen months hold too few periods for the stretch not to widen its own noise: each window is read
  // against the noise of the months outside it.
  outsideNoise: true,
} as const;
/** The same on the story's days: one to five weeks of them, longer than a few days' episode. */
export const DAYS_STRETCH = { minLength: 8, maxLength: 35, around: 14, minPoints: 42, maxPoints: 400 } as const;
type EpisodeLimits = {
  minLength: number;
  maxLength: number;
  around: number;
  minPoints: number;
  maxPoints: number;
  outsideNoise?: boolean;
};

/**
 * Whether each period is followed by the very next one, per run of periods: every measure and member of a
 * breakdown shares its calendar, so it is worked out once per calendar, not once per series.
 */
const consecutiveCache = new Map<string, boolean[]>();
function consecutivePeriods(series: Series): boolean[] {
  const key = `${series.granularity}|${series.periods.join(',')}`;
  let flags = consecutiveCache.get(key);
  if (!flags) {
    flags = series.periods.map(
      (t, i) => addPeriods(t, series.granularity, 1).slice(0, 10) === series.periods[i + 1]?.slice(0, 10),
    );
    if (consecutiveCache.size > 64) consecutiveCache.clear();
    consecutiveCache.set(key, flags);
  }
  return flags;
}

/**
 * For each position i, the median of the `width` values before it and of the `width` values from it on
 * (fewer at the ends; non-finite values left out; null when none) — the same numbers as `median` of those
 * slices, from one sorted window slid along the series instead of two new arrays per position.
 */
export function sideMedians(
  values: readonly number[],
  width: number,
): { before: (number | null)[]; after: (number | null)[] } {
  const n = values.length;
  const window: number[] = [];
  // Where v sits (or would sit) in the sorted window: the first place not below it.
  const place = (v: number) => {
    let lo = 0;
    let hi = window.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (window[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const add = (v: number) => {
    if (Number.isFinite(v)) window.splice(place(v), 0, v);
  };
  const remove = (v: number) => {
    if (Number.isFinite(v)) window.splice(place(v), 1);
  };
  // As `median` computes it: the upper middle, and for an even count halfway down to the lower one.
  const middle = (): number | null => {
    const m = window.length;
    if (m === 0) return null;
    const upper = window[m >> 1]!;
    if (m % 2 === 1) return upper;
    const lower = window[(m >> 1) - 1]!;
    return lower + 0.5 * (upper - lower);
  };
  const before: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    before.push(middle());
    add(values[i]!);
    if (i - width >= 0) remove(values[i - width]!);
  }
  window.length = 0;
  const after: (number | null)[] = new Array(n);
  for (let i = n - 1; i >= 0; i--) {
    add(values[i]!);
    if (i + width < n) remove(values[i + width]!);
    after[i] = middle();
  }
  return { before, after };
}

/**
 * What the siblings' moves at the same moment (in percent) make of a member's own move (`ownPct`), with
 * the largest of them as a claim. Shared when other members moved the same way by at least half as much:
 * none doing so is an exception (1.3), half of them a wider movement (0.7). Counting (not the largest move)
 * keeps one noisy small sibling from deciding.
 */
function siblingSurprise(claims: ClaimSet | null, moves: number[], ownPct: number): number {
  const largest = Math.max(...moves.map(Math.abs));
  if (Number.isFinite(largest)) claims?.percent('othersMaxChangePct', largest);
  const sharing = moves.filter(
    (move) => Math.sign(move) === Math.sign(ownPct) && Math.abs(move) >= Math.abs(ownPct) / 2,
  ).length;
  return sharing === 0 ? 1.3 : sharing * 2 >= moves.length ? 0.7 : 1;
}

/** The level beside a window: the mean of the medians on its two sides, or the one side there is. */
function sideLevel(before: number | null, after: number | null): number {
  const sides = [before, after].filter((v): v is number => v !== null);
  return sides.length === 0 ? 0 : sides.reduce((a, b) => a + b, 0) / sides.length;
}

/**
 * A few periods far from the level around them (four days of wildfire smoke in one city, a machine running
 * hot for three days), which no single-period spike catches — each of its days is as high as the next — and
 * no lasting shift either. Every window of 3–7 periods away from the ends, running without gaps and with
 * enough rows in each period, is set against the level beside it (the median of up to 14 periods on each
 * side, the higher side for a rise and the lower for a fall, at least a quarter of the series' median);
 * every period inside must be off it the same way by at least 25% and two noise widths, and the window's
 * mean by at least 50%. z = the window's mean log ratio to that level over the series' own noise (1.4826 ·
 * MAD of each period's log ratio to the mean of its two side medians) divided by √length — on the log scale
 * a day summed from a few large values is as likely to run low as high; two-sided normal p, kept at
 * p ≤ 0.0001 after Bonferroni over every window tried. It must stand out: no other window (not overlapping
 * it) reaches half its z. Told like a spike, with the days it lasted.
 * A reading on an interval scale (a heat wave in daily highs: 38–42 °C against about 24) is read the same
 * way in its own units: differences from the level beside it, over the MAD of each day's difference, each
 * day at least two noise widths out.
 */
export function detectEpisode(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  scope: Scope,
  timeColumn: string,
  limits: EpisodeLimits = EPISODE,
): Fact | null {
  // Days of a weekly rhythm (offices cooled on weekdays) are read with the rhythm divided out: every weekend
  // would otherwise count as noise and hide a week of heat. The claims keep the values as read.
  const factors = measure.interval ? null : weekdayFactors(series);
  const raw = series.values;
  const values = factors ? raw.map((v, i) => v / factors[i]!) : raw;
  const n = values.length;
  if (n < limits.minPoints || n > limits.maxPoints || measure.runningTotal) return null;
  // Told as a multiple of the level around it: only for quantities with a true zero, never near it. Not
  // for rates: a week without a purchase in a small country is what a 1% rate does on a few visits a day.
  const linear = measure.interval === true;
  if ((!measure.nonNegative && !linear) || measure.sides) return null;
  if (measure.aggregation === 'rate' || measure.ratio || measure.weightedBy) return null;
  const needed = rowsNeeded(measure, series, scope, ctx.profile);
  if (needed === null) return null;
  const typical = median(values) ?? 0;
  // Days in a row: a window counts only where the periods run without gaps (match days are not a week).
  const nextIsNext = consecutivePeriods(series);
  const step = (i: number) => nextIsNext[i] === true;
  // The level around a window: the mean of the medians of the periods just before it and just after it,
  // each computed once per position (a window's own periods never count).
  const { before, after } = sideMedians(values, limits.around);
  const levelAround = (from: number, to: number) => sideLevel(before[from] ?? null, after[to] ?? null);
  // Noise on the log scale, where a day summed from a few large values (incomes, orders of one to five
  // units) is as likely to run low as high: the robust width of each period's log ratio to its level.
  const residualAt = values.map((v, i) => {
    const base = levelAround(i, i + 1);
    if (linear) return Number.isFinite(v) && Number.isFinite(base) ? v - base : Number.NaN;
    return v > 0 && base > 0 ? Math.log(v / base) : Number.NaN;
  });
  const logResiduals = residualAt.filter(Number.isFinite);
  const logScale = 1.4826 * (mad(logResiduals) ?? 0);
  // The same width, read as a share of the level (for how far each period must be out); in units on an interval scale.
  const scale = linear ? logScale : Math.exp(logScale) - 1;
  if (!(scale > 0)) return null;
  const windows: {
    from: number;
    length: number;
    base: number;
    excess: number;
    z: number;
    nearest: number;
    far: number;
    mildFar: number;
  }[] = [];
  // Every period far out on its own (a quarter off, and two noise widths), the same way; or, for a milder
  // stretch (a heat wave's quarter more cooling), a sixth off and three noise widths (`mild`, below).
  const farFor = (width: number) => (linear ? 2 * width : Math.max(0.25, 2 * width));
  const mildFarFor = (width: number) => (linear ? farFor(width) : Math.max(0.15, 3 * width));
  const far = farFor(scale);
  const mildFar = mildFarFor(scale);
  const gate = limits.outsideNoise ? 0 : Math.min(far, mildFar);
  // Thousands of windows per series: plain loops, no arrays per window (a window with a gap, a zero or a
  // missing period is never an episode, so the sums below only ever see finite positive values).
  for (let length = limits.minLength; length <= limits.maxLength; length++) {
    for (let from = 1; from + length < n; from++) {
      const to = from + length;
      let consecutive = step(from - 1);
      for (let i = from; i < to && consecutive; i++) consecutive = step(i) && (series.rows[i] ?? 0) >= needed;
      if (!consecutive) continue;
      let sum = 0;
      let positive = true;
      for (let i = from; i < to && positive; i++) {
        const v = values[i]!;
        positive = (linear || v > 0) && Number.isFinite(v);
        sum += v;
      }
      if (!positive) continue;
      const level = sum / length;
      // Against the nearer of the two sides (the higher one for a rise): a side that happens to run low
      // must not make an ordinary stretch look high.
      const left = before[from];
      const right = after[to];
      const hasLeft = left !== null && left !== undefined;
      const hasRight = right !== null && right !== undefined;
      if (!hasLeft && !hasRight) continue;
      const high = hasLeft && hasRight ? Math.max(left, right) : hasLeft ? left : right!;
      const low = hasLeft && hasRight ? Math.min(left, right) : hasLeft ? left : right!;
      const base = level > high ? high : level < low ? low : 0;
      if (level <= high && level >= low) continue;
      if (!linear && base <= 0.25 * typical) continue;
      // Off the level as a share of it, or in units on an interval scale (inline: a closure made per
      // window costs more than the window's arithmetic).
      const unit = linear ? 1 : Math.abs(base);
      let inside = 0;
      for (let i = from; i < to; i++) inside += (values[i]! - base) / unit;
      const excess = inside / length;
      let nearest = Number.POSITIVE_INFINITY;
      for (let i = from; i < to && nearest >= gate; i++) {
        const r = (values[i]! - base) / unit;
        nearest = Math.sign(r) === Math.sign(excess) ? Math.min(nearest, Math.abs(r)) : 0;
      }
      if (nearest < gate) continue;
      // (Against the noise outside the window, for a short record: `outsideNoise`.)
      const ownLog = limits.outsideNoise
        ? 1.4826 * (mad(residualAt.filter((r, i) => Number.isFinite(r) && (i < from || i >= to))) ?? 0)
        : logScale;
      const ownScale = linear ? ownLog : Math.exp(ownLog) - 1;
      if (!(ownScale > 0)) continue;
      let logSum = 0;
      for (let i = from; i < to; i++) logSum += linear ? values[i]! - base : Math.log(values[i]! / base);
      windows.push({
        from,
        length,
        base,
        excess,
        z: logSum / length / (ownLog / Math.sqrt(length)),
        nearest,
        far: farFor(ownScale),
        mildFar: mildFarFor(ownScale),
      });
    }
  }
  const tried = n * (limits.maxLength - limits.minLength + 1);
  const byZ = (a: { z: number }, b: { z: number }) => Math.abs(b.z) - Math.abs(a.z);
  // Half again the level, every period a quarter off; else a milder stretch that stands clear of the noise
  // every single period (+26% for five days where days vary by 5%): heat waves and cold snaps.
  const strict = windows.filter((w) => w.nearest >= w.far && (linear || Math.abs(w.excess) >= 0.5));
  const mild = linear ? [] : windows.filter((w) => w.nearest >= w.mildFar && Math.abs(w.excess) >= 0.2);
  const best = strict.sort(byZ)[0] ?? mild.sort(byZ)[0];
  if (!best) return null;
  const p = ctx.tested(Math.min(1, twoSidedNormalP(best.z) * tried));
  const overlaps = (w: { from: number; length: number }) =>
    w.from < best.from + best.length && best.from < w.from + w.length;
  const rival = windows.filter((w) => !overlaps(w) && (w.nearest >= w.far || strict.length === 0)).sort(byZ)[0];
  // Thousands of windows are tried on noise that is rarely normal: only a clear case counts (at 5% an order
  // log of noise had one; at 0.1%, three days of loan applications around New Year summed to 2.2× their
  // incomes by chance).
  if (p > 0.0001 || (rival && Math.abs(rival.z) >= Math.abs(best.z) / 2)) return null;
  const [start, end] = [series.periods[best.from]!, series.periods[best.from + best.length - 1]!];
  const id = `spike:${slug(measure.id)}:${scopeKey(scope)}:${start.slice(0, 10)}`;
  const claims = new ClaimSet(id);
  const role = valueRole(measure);
  const level = mean(raw.slice(best.from, best.from + best.length))!;
  // What those very days would have brought at the level around them, their weekdays put back.
  const expectedAt = (i: number) => best.base * (factors?.[i] ?? 1);
  const expected = mean(Array.from({ length: best.length }, (_, k) => expectedAt(best.from + k)))!;
  claims.period('period', start, periodLabel(start, series.granularity));
  claims.period('endPeriod', end, periodLabel(end, series.granularity));
  claims.count('length', best.length);
  claims.measure('value', level, measure, role);
  claims.measure('expected', expected, measure, role);
  claims.change('changePct', expected, level, measure, role, movesInUnits(measure));
  if (!measure.interval && expected > 0 && level / expected >= 1.5) claims.ratio('ratioToTypical', level / expected);
  // Its most extreme period (the hottest day of a heat wave), when the stretch is more than a plateau.
  const inside = raw.slice(best.from, best.from + best.length);
  const extreme = best.excess > 0 ? Math.max(...inside) : Math.min(...inside);
  if (Math.abs(extreme - level) >= 0.1 * Math.abs(level - expected)) {
    const at = series.periods[best.from + inside.indexOf(extreme)]!;
    claims.period('extremePeriod', at, periodLabel(at, series.granularity));
    claims.measure('extremeValue', extreme, measure, role);
  }
  let surprise = 1;
  const siblings = scope.siblings ?? [];
  const moves = siblings.flatMap(({ series: other }) => {
    const i = other.periods.indexOf(start);
    if (i < 0 || i + best.length > other.values.length) return [];
    const base = sideLevel(
      median(other.values.slice(Math.max(0, i - limits.around), i)),
      median(other.values.slice(i + best.length, i + best.length + limits.around)),
    );
    const level = mean(other.values.slice(i, i + best.length))!;
    if (linear) return [level - base];
    return base !== 0 ? [((level - base) / Math.abs(base)) * 100] : level !== 0 ? [Math.sign(level) * Infinity] : [];
  });
  // On an interval scale the siblings' moves are in units, which a percentage claim would misstate.
  if (moves.length > 0)
    surprise = siblingSurprise(linear ? null : claims, moves, linear ? best.excess : best.excess * 100);
  const near = series.periods
    .map((t, i) => ({ t, i }))
    .filter(({ i }) => i >= best.from - limits.around && i < best.from + best.length + limits.around);
  return makeFact({
    id,
    type: 'spike',
    measureId: measure.id,
    ...scopeFields(scope, measure, timeColumn),
    p,
    effect: measure.interval ? Math.min(1, Math.abs(best.z) / 8) : relativeEffect(best.excess),
    impact: scope.impact,
    surprise,
    claims: claims.claims,
    data: {
      granularity: series.granularity,
      direction: best.excess > 0 ? 'up' : 'down',
      points: points(series),
      index: best.from,
      at: start,
      episode: { from: best.from, length: best.length },
      expected: near.map(({ t, i }) => ({ t, value: expectedAt(i) })),
      siblings: siblings.map((s) => ({ member: s.member, points: points(s.series) })),
    },
  });
}

/** Months a seasonal anomaly may last, the record it needs, and the context its chart shows on either side. */
const ANOMALY = { minPoints: 60, minLength: 3, maxLength: 4, contextMonths: 24 };

/**
 * A season of 3–4 months far from what the time of year and the long-run level lead one to expect (the hot
 * summer of 1988 in fifty years of monthly temperatures; a single month or two is too often one heavy-tailed
 * winter, and a one-month spike is `detectSpike`'s), for a reading on an interval scale whose yearly
 * cycle is clear (`seasonallyAdjusted`). Anomalies are the seasonally adjusted values less a straight line
 * through them, each on its calendar month's robust spread (1.4826 · MAD); a window's z is their mean times
 * √length, two-sided normal p × the windows tried, kept at p ≤ 0.001. Every month of it must be off the same
 * way by a spread or more, and it must stand out: no other window (not overlapping it) reaches 80% of its z.
 */
export function detectSeasonalAnomaly(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  scope: Scope,
  timeColumn: string,
): Fact | null {
  const n = series.values.length;
  if (!measure.interval || series.granularity !== 'month' || n < ANOMALY.minPoints) return null;
  const adjusted = seasonallyAdjusted(series);
  if (!adjusted) return null;
  const index = adjusted.map((_, i) => i);
  const line = ols(index, adjusted);
  if (!line) return null;
  const anomalies = adjusted.map((value, i) => value - (line.intercept + line.slope * i));
  // Each calendar month on its own spread: winters swing far more than summers (a January 7 °C warm is
  // less unusual than a July 3 °C warm).
  const month = (i: number) => Number(series.periods[i]!.slice(5, 7)) - 1;
  const spreads = Array.from({ length: 12 }, (_, m) => 1.4826 * (mad(anomalies.filter((_, i) => month(i) === m)) ?? 0));
  if (!spreads.every((width) => width > 0)) return null;
  const scores = anomalies.map((anomaly, i) => anomaly / spreads[month(i)]!);
  const consecutive = consecutivePeriods(series);
  const windows: { from: number; length: number; mean: number; z: number }[] = [];
  for (let length = ANOMALY.minLength; length <= ANOMALY.maxLength; length++) {
    for (let from = 1; from + length < n; from++) {
      let sum = 0;
      let ok = true;
      for (let i = from; i < from + length && ok; i++) {
        sum += scores[i]!;
        if (i > from) ok = consecutive[i - 1] === true;
      }
      if (!ok) continue;
      const meanScore = sum / length;
      let sameWay = true;
      for (let i = from; i < from + length && sameWay; i++)
        sameWay = Math.sign(scores[i]!) === Math.sign(meanScore) && Math.abs(scores[i]!) >= 1.5;
      if (!sameWay) continue;
      windows.push({
        from,
        length,
        mean: mean(anomalies.slice(from, from + length))!,
        z: meanScore * Math.sqrt(length),
      });
    }
  }
  if (windows.length === 0) return null;
  const best = windows.reduce((a, b) => (Math.abs(b.z) > Math.abs(a.z) ? b : a));
  const tried = (ANOMALY.maxLength - ANOMALY.minLength + 1) * n;
  const p = ctx.tested(Math.min(1, twoSidedNormalP(best.z) * tried));
  const rival = windows
    .filter((w) => w.from + w.length <= best.from || w.from >= best.from + best.length)
    .reduce((m, w) => Math.max(m, Math.abs(w.z)), 0);
  if (p > 0.001 || rival >= 0.8 * Math.abs(best.z)) return null;
  const end = best.from + best.length - 1;
  const at = series.periods[best.from]!;
  const id = `anomaly:${slug(measure.id)}:${scopeKey(scope)}:${at.slice(0, 10)}`;
  const claims = new ClaimSet(id);
  const role = valueRole(measure);
  const inWindow = series.values.slice(best.from, end + 1);
  const value = mean(inWindow) ?? 0;
  claims.period('period', at, periodLabel(at, series.granularity));
  claims.period('endPeriod', series.periods[end]!, periodLabel(series.periods[end]!, series.granularity));
  claims.measure('value', value, measure, role);
  claims.measure('expected', value - best.mean, measure, role);
  claims.measure('offBy', Math.abs(best.mean), measure, 'average');
  claims.add('length', best.length, 'count', String(best.length));
  // The chart shows two years either side, the months' expected values and a band of two spreads.
  const from = Math.max(0, best.from - ANOMALY.contextMonths);
  const to = Math.min(n, end + 1 + ANOMALY.contextMonths);
  const expectedAt = (i: number) => series.values[i]! - anomalies[i]!;
  return makeFact({
    id,
    type: 'spike',
    measureId: measure.id,
    ...scopeFields(scope, measure, timeColumn),
    p,
    effect: Math.min(1, Math.abs(best.z) / 8),
    impact: scope.impact,
    surprise: 1,
    claims: claims.claims,
    data: {
      granularity: series.granularity,
      direction: best.mean > 0 ? 'up' : 'down',
      points: points(series).slice(from, to),
      index: best.from - from,
      at,
      episode: { from: best.from - from, length: best.length },
      anomaly: true,
      expected: index.slice(from, to).map((i) => ({ t: series.periods[i]!, value: expectedAt(i) })),
      band: index.slice(from, to).map((i) => ({
        t: series.periods[i]!,
        lower: expectedAt(i) - 2 * spreads[month(i)]!,
        upper: expectedAt(i) + 2 * spreads[month(i)]!,
      })),
    },
  });
}

/** Share of its peak (of its ends, for a low) a series must swing by on both sides to rise and fall. */
const PEAK_MIN_SWING = 0.3;

/**
 * Rise and fall, or fall and recovery: a series that climbs to a peak well inside its span and comes back
 * down (an outbreak, a launch, a fad), or drops to a low and climbs back (a closure, a strike, a crisis),
 * which a monotonic trend test reads as a change "since the start" or as nothing. A peak's two sides are
 * tested with Mann–Kendall (corrected for autocorrelation), the peak itself left out of both so that
 * choosing it does not make its neighbours look like a climb towards it; a low, which may come suddenly,
 * against the level before it and the level it climbed back to. p = the larger of the two (both must
 * hold). Both ends (with their neighbours) must sit at least 30% from the extreme — below a peak, above a
 * low — and most moves after it (and before a peak) go its way; the effect is the smaller of the two
 * swings. A peak is tried first.
 */
export function detectPeak(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  scope: Scope,
  timeColumn: string,
): Fact | null {
  const values = series.values;
  const n = values.length;
  if (n < 10 || measure.interval || measure.runningTotal || Math.min(...values) < 0) return null;
  // Averages of a handful of rows a period (a branch's desk wait from three answers a day) rise and fall by
  // chance: like a spike, a rise and fall needs its rows.
  if (rowsNeeded(measure, series, scope, ctx.profile) === null) return null;
  return (
    turningPoint(ctx, measure, series, scope, timeColumn, 'peak') ??
    turningPoint(ctx, measure, series, scope, timeColumn, 'low') ??
    runUp(ctx, measure, series, scope, timeColumn)
  );
}

/** Periods a run-up needs, and the windows it may start in (shares of the span; beyond them it is a trend). */
const RUN_UP_MIN_STEPS = 6;
const RUN_UP_WINDOW_SHARES = [0.6, 0.45, 0.3];
/** Steps before a run-up that show the series' ordinary noise. */
const RUN_UP_REFERENCE_STEPS = 8;

/**
 * A run-up to a record at the end (unemployment through 2008–09, a new wave of cases): the series ends at or
 * near its highest value (lowest, for a slump), reached by a climb that started well inside the span. A
 * monthly series is seasonally adjusted first (each calendar month's median deviation from the 12-month
 * moving average taken out), so January's yearly high is not a climb. The climb is tested against the
 * series' own noise before it: z = move / (σ · √L), σ the robust spread (1.4826 · MAD) of the steps before
 * the climb, L its steps; Bonferroni × n for where it could start. Most steps of the climb must go its way and
 * it must move at least 25%. Told in the values as written.
 */
function runUp(ctx: DetectorContext, measure: Measure, series: Series, scope: Scope, timeColumn: string): Fact | null {
  const values = series.values;
  const n = values.length;
  if (n < 24) return null;
  const seasonal = seasonallyAdjusted(series);
  const adjusted = seasonal ?? values;
  for (const high of [true, false]) {
    const extreme = high ? Math.max(...adjusted) : Math.min(...adjusted);
    const at = adjusted.lastIndexOf(extreme);
    if (at < n - 6) continue;
    const from = climbStart(adjusted, at, high);
    if (from === null) continue;
    const start = adjusted[from]!;
    const steps = at - from;
    // A slide that starts on a one-period spike (a month of wildfire smoke) is mostly the spike's end: when
    // the first step covers half of the move or more, there is no run of its own to tell.
    if (Math.abs(adjusted[from + 1]! - start) >= 0.5 * Math.abs(extreme - start)) continue;
    // Told in the values as written: the record itself when it lies in the climb (January's seasonal high may
    // top the adjusted peak), else the adjusted peak's month, without calling it a record.
    const rawExtreme = high ? Math.max(...values) : Math.min(...values);
    const rawAt = values.lastIndexOf(rawExtreme);
    const record = rawAt >= from;
    const told = record ? rawAt : at;
    const first = values[from]!;
    const top = values[told]!;
    if (!(first > 0) || Math.abs(top - first) / first < 0.25 || (high ? top <= first : top >= first)) continue;
    // Told from a seasonal trough to a seasonal peak, the written move is mostly the season (accessories
    // "up 122% from June to December" when the year-adjusted climb is a fifth of that): not a run-up.
    if (
      seasonal &&
      start > 0 &&
      extreme > 0 &&
      Math.abs(Math.log(top / first)) > 1.5 * Math.abs(Math.log(extreme / start))
    )
      continue;
    // Too few years to take the season out: a climb within a year (June to December) must show half of its
    // move against the same month (or quarter) a year before, or it is the season's climb.
    const withinYear =
      (series.granularity === 'month' && told - from <= 11) || (series.granularity === 'quarter' && told - from <= 3);
    if (!seasonal && withinYear) {
      const before = values[series.periods.indexOf(sameTimeLastYear(series.periods[told]!, series.granularity)!)];
      if (
        before !== undefined &&
        before > 0 &&
        Math.abs(Math.log(top / before)) < 0.5 * Math.abs(Math.log(top / first))
      )
        continue;
    }
    // The climb must be most of the series' whole move its way (two thirds, in logs): AAPL's 2009–10 rally is
    // a chapter of its 8.6× decade, told by the trend; unemployment's 2007–10 climb is the decade's story.
    const whole = values[0]! > 0 ? Math.log(top / values[0]!) : 0;
    if ((high ? whole > 0 : whole < 0) && Math.log(top / first) / whole < 2 / 3) continue;
    // A run to where the series ends, not a trough it has climbed out of: after a windy October's slide to a
    // calm August, November was back more than half of the way (a season too few years long to take out).
    if (values.slice(told + 1).some((v) => Math.abs(v - top) > 0.5 * Math.abs(top - first))) continue;
    const climb = consistency(adjusted.slice(from, at + 1));
    const earlier = adjusted.slice(1, from + 1).map((value, i) => value - adjusted[i]!);
    const sigma = 1.4826 * (mad(earlier) ?? 0);
    if (!(sigma > 0)) continue;
    const z = Math.abs(extreme - start) / (sigma * Math.sqrt(steps));
    const p = ctx.tested(Math.min(1, (twoSidedNormalP(z) / 2) * n));
    if (p > 0.05) continue;
    const shape = high ? 'surge' : 'slump';
    const { claims, role, label } = shapeClaims(`${shape}:${slug(measure.id)}:${scopeKey(scope)}`, measure, series, {
      from,
      at: told,
    });
    // A rate in percent or a reading on an interval scale moves in its units (13.8% to 2.6% is 11.2 points).
    claims.change('movePct', first, top, measure, role, movesInUnits(measure));
    claims.period('lastPeriod', series.periods[n - 1]!, label(n - 1));
    claims.measure('lastValue', values[n - 1]!, measure, role);
    claims.period('dataStart', series.periods[0]!, label(0));
    const agreeing = high ? climb.ups : climb.downs;
    claims.add('stepsToward', agreeing, 'count', String(agreeing));
    claims.add('stepsBefore', climb.steps, 'count', String(climb.steps));
    return shapeFact(measure, series, scope, timeColumn, claims, {
      p,
      effect: relativeEffect((top - first) / first),
      shape,
      extra: { record, seasonallyAdjusted: seasonal !== null },
      from,
      at: told,
      direction: high ? 'up' : 'down',
    });
  }
  return null;
}

/**
 * Where a climb to `at` starts: the lowest point (highest, for a slide) of a window before it, the widest of
 * 60%, 45% and 30% of the span in which that point lies inside the window (at its left edge the series was
 * still lower before: a trend, told as one), leaves enough steps before it to measure the noise, and most
 * steps after it go the climb's way. Null when no window gives one.
 */
function climbStart(adjusted: number[], at: number, high: boolean): number | null {
  const n = adjusted.length;
  for (const share of RUN_UP_WINDOW_SHARES) {
    const windowStart = Math.max(0, at - Math.floor(share * n));
    const window = adjusted.slice(windowStart, at + 1);
    const from = windowStart + window.lastIndexOf(high ? Math.min(...window) : Math.max(...window));
    if (from <= windowStart + 2 || from < RUN_UP_REFERENCE_STEPS + 1 || at - from < RUN_UP_MIN_STEPS) continue;
    const climb = consistency(adjusted.slice(from, at + 1));
    if ((high ? climb.ups : climb.downs) >= 0.7 * climb.steps) return from;
  }
  return null;
}

/**
 * A monthly series with its calendar months' pattern taken out (three years or more, months that differ by
 * an F-test at p < 0.01): each month's median deviation from the centred 12-month moving average is
 * subtracted. Null for any other series.
 */
export function seasonallyAdjusted(series: Series): number[] | null {
  // Asked by the trend, the run-up and the seasonal anomaly of the same series: computed once.
  const known = adjustedCache.get(series);
  if (known !== undefined) return known;
  const adjusted = adjustSeasonally(series);
  adjustedCache.set(series, adjusted);
  return adjusted;
}

const adjustedCache = new WeakMap<Series, number[] | null>();

/**
 * A positive series with its seasonal factors divided out (adjusted in logs), or null; asked by the shock and
 * the change point of the same series, so computed once.
 */
function seasonallyDivided(series: Series): number[] | null {
  const known = dividedCache.get(series);
  if (known !== undefined) return known;
  const logs = series.values.every((value) => value > 0)
    ? adjustSeasonally({ ...series, values: series.values.map(Math.log) })
    : null;
  const divided = logs ? logs.map(Math.exp) : null;
  dividedCache.set(series, divided);
  return divided;
}

const dividedCache = new WeakMap<Series, number[] | null>();

function adjustSeasonally(series: Series): number[] | null {
  const values = series.values;
  // Months, or quarters (a tourism series' summer quarter), over three years at least.
  const period = series.granularity === 'month' ? 12 : series.granularity === 'quarter' ? 4 : 0;
  if (period === 0 || values.length < 3 * period) return null;
  const { residuals } = detrendMovingAverage(values, period);
  const month = (i: number) => Number(series.periods[i]!.slice(5, 7)) - 1;
  const position = period === 12 ? month : (i: number) => Math.floor(month(i) / 3);
  // Only when the calendar months really differ (a stock price has no January): else adjusting adds noise.
  const kept = residuals.flatMap((residual, i) => (residual === null ? [] : [{ residual, at: position(i) }]));
  const profile = seasonalProfile(
    kept.map((k) => k.residual),
    kept.map((k) => k.at),
    period,
    { movingAverageResiduals: true },
  );
  if (!profile || !(profile.p < 0.01)) return null;
  const byPosition: number[][] = Array.from({ length: period }, () => []);
  for (const k of kept) byPosition[k.at]!.push(k.residual);
  const effect = byPosition.map((deviations) => median(deviations) ?? 0);
  return values.map((value, i) => value - effect[position(i)]!);
}

function turningPoint(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  scope: Scope,
  timeColumn: string,
  shape: 'peak' | 'low',
): Fact | null {
  const values = series.values;
  const n = values.length;
  const high = shape === 'peak';
  const extremeValue = high ? Math.max(...values) : Math.min(...values);
  const at = values.indexOf(extremeValue);
  if (at < 4 || at > n - 5) return null;
  // A peak must be above zero; a low is measured against its ends (or its start), which must be.
  if (high && !(extremeValue > 0)) return null;
  const turn = sharpTurn(values, at, high) ?? steadyTurn(values, at, high);
  if (!turn) return null;
  const p = turn.p;
  ctx.tested(p);
  if (p > 0.05) return null;
  const { from, toward, away } = turn;
  const first = values[from]!;
  const last = values[n - 1]!;
  const { claims, role, label } = shapeClaims(`${shape}:${slug(measure.id)}:${scopeKey(scope)}`, measure, series, {
    from,
    at,
  });
  claims.period('lastPeriod', series.periods[n - 1]!, label(n - 1));
  claims.measure('lastValue', last, measure, role);
  if (high) {
    if (first > 0 && extremeValue / first >= 2) claims.ratio('riseMultiple', extremeValue / first);
    else if (first > 0) claims.change('risePct', first, extremeValue, measure, role, false);
    claims.percent('fromPeakPct', percentChange(last, extremeValue));
  } else {
    claims.percent('fallPct', percentChange(extremeValue, first));
    if (extremeValue > 0) claims.percent('recoveryPct', percentChange(last, extremeValue));
  }
  const [stepsToward, stepsAway] = high ? [toward.ups, away.downs] : [toward.downs, away.ups];
  if (!high && from === 0) claims.measure('levelBefore', mean(values.slice(0, at)) ?? 0, measure, role);
  claims.add('stepsToward', stepsToward, 'count', String(stepsToward));
  claims.add('stepsBefore', toward.steps, 'count', String(toward.steps));
  claims.add('stepsAway', stepsAway, 'count', String(stepsAway));
  claims.add('stepsAfter', away.steps, 'count', String(away.steps));
  return shapeFact(measure, series, scope, timeColumn, claims, {
    p,
    effect: turn.effect,
    shape,
    from,
    at,
    direction: high ? 'down' : 'up',
  });
}

/**
 * A shape's claims of where it starts (`from`) and turns or peaks (`at`), in the values as written, with the
 * role and period labels the rest of its claims use.
 */
function shapeClaims(id: string, measure: Measure, series: Series, where: { from: number; at: number }) {
  const claims = new ClaimSet(id);
  const role = valueRole(measure);
  const label = (i: number) => periodLabel(series.periods[i]!, series.granularity);
  claims.period('firstPeriod', series.periods[where.from]!, label(where.from));
  claims.measure('firstValue', series.values[where.from]!, measure, role);
  claims.period('peakPeriod', series.periods[where.at]!, label(where.at));
  claims.measure('peakValue', series.values[where.at]!, measure, role);
  return { claims, role, label };
}

/** A rise and fall, fall and recovery or run-up as a `peak` fact: its shape, where it starts and turns, the series. */
function shapeFact(
  measure: Measure,
  series: Series,
  scope: Scope,
  timeColumn: string,
  claims: ClaimSet,
  shape: {
    p: number;
    effect: number;
    shape: string;
    extra?: Record<string, unknown>;
    from: number;
    at: number;
    direction: 'up' | 'down';
  },
): Fact {
  return makeFact({
    id: claims.factId,
    type: 'peak',
    measureId: measure.id,
    ...scopeFields(scope, measure, timeColumn),
    p: shape.p,
    effect: shape.effect,
    impact: scope.impact,
    claims: claims.claims,
    data: {
      granularity: series.granularity,
      shape: shape.shape,
      ...shape.extra,
      fromIndex: shape.from,
      direction: shape.direction,
      at: series.periods[shape.at],
      peakIndex: shape.at,
      points: points(series),
      excluded: series.excluded,
      siblings: scope.siblings?.map((sibling) => ({ member: sibling.member, points: points(sibling.series) })),
    },
  });
}

interface Turn {
  /** Where the story starts: the first period, or (for a steady turn) the opposite extreme before the turn. */
  from: number;
  toward: ReturnType<typeof consistency>;
  away: ReturnType<typeof consistency>;
  p: number;
  effect: number;
}

/**
 * A deep turn: both ends (with their neighbours) at least 30% from the extreme, most moves on each side going
 * its way. A peak's two sides are tested with Mann–Kendall; a low, which may come suddenly, against the
 * level before it and the level it climbed back to.
 */
function sharpTurn(values: number[], at: number, high: boolean): Turn | null {
  const n = values.length;
  const extremeValue = values[at]!;
  // Each end with its neighbour, the one nearer the extreme, so one odd end value decides nothing.
  const edge = (from: number) => {
    const pair = [values[from]!, values[from + (from === 0 ? 1 : -1)]!];
    return high ? Math.max(...pair) : Math.min(...pair);
  };
  const swing = (end: number) => (high ? 1 - end / extremeValue : 1 - extremeValue / end);
  if (!high && !(edge(0) > 0 && edge(n - 1) > 0)) return null;
  const [before, after] = [swing(edge(0)), swing(edge(n - 1))];
  if (before < PEAK_MIN_SWING || after < PEAK_MIN_SWING) return null;
  // Most of the moves on each side go its way (flat steps aside: an outbreak that is over stays at 0). A
  // low may come suddenly (a closure): before it, the level only has to be clearly above the low.
  const toward = consistency(values.slice(0, at + 1));
  const away = consistency(values.slice(at));
  const oneWay = (a: number, b: number) => a >= 3 && a >= 0.6 * (a + b);
  if (high ? !oneWay(toward.ups, toward.downs) || !oneWay(away.downs, away.ups) : !oneWay(away.ups, away.downs))
    return null;
  let p: number;
  if (high) {
    const side1 = mannKendallCorrected(values.slice(0, at));
    const side2 = mannKendallCorrected(values.slice(at + 1));
    p = side1.z > 0 && side2.z < 0 ? Math.max(side1.p, side2.p) : 1;
  } else {
    // Each as a new value against a sample: a prediction interval, Student's t.
    const after = values.slice(at + 1);
    p = Math.max(
      belowLevel(values.slice(0, at), extremeValue),
      belowLevel(after.slice(-Math.max(4, Math.floor(after.length / 3))), extremeValue),
    );
  }
  return { from: 0, toward, away, p, effect: relativeEffect(Math.min(before, after)) };
}

/** A steady turn moves at least this share of where it started from. */
const STEADY_MIN_MOVE = 0.03;
/** Steps each leg of a steady turn needs. */
const STEADY_MIN_STEPS = 6;

/**
 * A steady fall and recovery (payrolls through a recession: −6% over two years, month after month) or rise
 * and fall, too shallow for the 30% swing but told by its steps. The story starts at the opposite extreme
 * before the turn (the last high before the low); from there most steps go toward the turn, and after it
 * most go back, winning back at least a quarter of the move. Each leg gets a sign test (steps as coin flips,
 * Bonferroni over the n places a leg could start): the steps of a random walk are coin flips, so a series
 * that only wanders does not pass. The effect is the move in typical steps (the median absolute step).
 */
function steadyTurn(values: number[], at: number, high: boolean): Turn | null {
  const n = values.length;
  const extremeValue = values[at]!;
  const before = values.slice(0, at + 1);
  const fromValue = high ? Math.min(...before) : Math.max(...before);
  const from = before.indexOf(fromValue);
  const last = values[n - 1]!;
  if (at - from < STEADY_MIN_STEPS || n - 1 - at < STEADY_MIN_STEPS || !(fromValue > 0)) return null;
  const move = Math.abs(extremeValue - fromValue);
  const wonBack = (high ? extremeValue - last : last - extremeValue) / move;
  if (move / Math.max(fromValue, extremeValue) < STEADY_MIN_MOVE || !(wonBack >= 0.25)) return null;
  const toward = consistency(values.slice(from, at + 1));
  const away = consistency(values.slice(at));
  const [agreeingToward, agreeingAway] = high ? [toward.ups, away.downs] : [toward.downs, away.ups];
  // Tested only when most steps of each leg go its way (as a deep turn's sides must): a test that cannot
  // pass would only raise every other test's q in the false-discovery control.
  if (agreeingToward < 0.7 * toward.steps || agreeingAway < 0.7 * away.steps) return null;
  const signP = (agreeing: number, steps: number) => Math.min(1, binomialUpperTail(agreeing, steps) * n);
  const p = Math.max(signP(agreeingToward, toward.steps), signP(agreeingAway, away.steps));
  const typicalStep = median(values.slice(1).map((value, i) => Math.abs(value - values[i]!))) ?? 0;
  const effect = typicalStep > 0 ? 1 - Math.exp(-move / typicalStep / 20) : 1;
  return { from, toward, away, p, effect };
}

/** How surely `value` lies below the level of `sample`, as a new observation against it; 1 when above. */
function belowLevel(sample: number[], value: number): number {
  const level = mean(sample) ?? 0;
  if (sample.length < 3 || !(level > value)) return 1;
  return predictionP(level - value, std(sample) ?? 0, sample.length);
}

/** A series over its own mean, by period; built once per series (every member is each other's sibling). */
const indexedSeries = new WeakMap<Series, Map<string, number>>();
function indexedByPeriod(series: Series): Map<string, number> {
  let indexed = indexedSeries.get(series);
  if (!indexed) {
    const level = mean(series.values) ?? 0;
    indexed = new Map(series.periods.map((period, i) => [period, level > 0 ? series.values[i]! / level : Number.NaN]));
    indexedSeries.set(series, indexed);
  }
  return indexed;
}

/**
 * Where a member's ratio to its siblings' mean shifts (a mean shift on member ÷ mean of the others, period by
 * period), with the ratios; null without siblings over the same periods or with values at or below zero.
 */
function departureFromSiblings(
  series: Series,
  scope: Scope,
  minSegment: number,
): { ratios: number[]; shift: MeanShift } | null {
  // (A sibling that falls to zero or below — an airline's loss in 2020 — has no level to be read against: its
  // ratio would explode the others' mean.)
  const siblings = (scope.siblings ?? [])
    .map((sibling) => sibling.series)
    .filter((sibling) => sibling.values.every((v) => !(v <= 0)));
  if (siblings.length === 0) return null;
  // Each sibling relative to its own level, so that one missing a few periods (a meter's three-day gap, a
  // small plan's empty first month) shifts nothing; every period needs half of them at least.
  const indexed = siblings.map(indexedByPeriod);
  const ratios = series.values.map((value, i) => {
    // Plain loops: this runs for every member against every sibling (40 products are 1,600 pairs a measure).
    let present = 0;
    let sum = 0;
    let finiteCount = 0;
    for (const other of indexed) {
      const v = other.get(series.periods[i]!);
      if (v === undefined) continue;
      present++;
      if (!Number.isFinite(v)) continue;
      sum += v;
      finiteCount++;
    }
    return 2 * present >= siblings.length ? value / (finiteCount > 0 ? sum / finiteCount : 0) : Number.NaN;
  });
  if (!ratios.every((ratio) => Number.isFinite(ratio) && ratio > 0)) return null;
  const shift = bestMeanShift(ratios, { minSegment });
  return shift ? { ratios, shift } : null;
}

/**
 * Each sibling's move across `at` on its ratio to all the members' mean at each period (the member's own
 * series among them): median after over median before, less one. Siblings seen on fewer than three periods
 * either side are left out.
 */
function siblingRatioMoves(series: Series, siblings: { series: Series }[], at: string): number[] {
  const all = [series, ...siblings.map((s) => s.series)];
  const valueAt = all.map((s) => valuesByPeriod(s));
  const level = new Map<string, number>();
  for (const t of series.periods) {
    const average = mean(valueAt.flatMap((m) => (m.has(t) ? [m.get(t)!] : [])));
    if (average !== null) level.set(t, average);
  }
  return siblings.flatMap(({ series: other }) => {
    const [before, after]: [number[], number[]] = [[], []];
    other.periods.forEach((t, i) => {
      if (level.get(t)) (t < at ? before : after).push(other.values[i]! / level.get(t)!);
    });
    const [from, to] = [median(before), median(after)];
    return before.length >= 3 && after.length >= 3 && from && to !== null ? [to / from - 1] : [];
  });
}

/** The means of a series before and after a split. */
function splitMeans(values: number[], index: number): { meanBefore: number; meanAfter: number } {
  return { meanBefore: mean(values.slice(0, index)) ?? 0, meanAfter: mean(values.slice(index)) ?? 0 };
}

/** A series' least-squares move over its span and its mean absolute level, once per series. */
const fittedMoves = new WeakMap<Series, { fitted: number | null; level: number }>();
function fittedMove(series: Series): { fitted: number | null; level: number } {
  let move = fittedMoves.get(series);
  if (!move) {
    const line = ols(
      series.values.map((_, i) => i),
      series.values,
    );
    move = {
      fitted: line ? line.slope * (series.values.length - 1) : null,
      level: mean(series.values.map(Math.abs)) ?? 0,
    };
    fittedMoves.set(series, move);
  }
  return move;
}

/**
 * A member's fitted move (in units, or as a share of its level) against its siblings' (least-squares lines):
 * when at least two siblings exist and none moved a third as much, the largest sibling move, else null.
 */
function aloneAmongSiblings(scope: Scope, move: number, inUnits: boolean, own: Series): { othersMax: number } | null {
  const siblings = scope.siblings ?? [];
  if (siblings.length < 2) return null;
  // Over the member's own span: a branch that opened in April is set against the others' same months (their
  // summer-to-Christmas climb), not against their two whole years.
  const [from, to] = [own.periods[0]!, own.periods.at(-1)!];
  const moves = siblings.flatMap(({ series: whole }) => {
    const inside = whole.periods.flatMap((t, i) => (t >= from && t <= to ? [i] : []));
    const series =
      inside.length === whole.periods.length
        ? whole
        : { ...whole, periods: inside.map((i) => whole.periods[i]!), values: inside.map((i) => whole.values[i]!) };
    const { fitted, level } = fittedMove(series);
    if (fitted === null || series.values.length < 6 || (!inUnits && level === 0)) return [];
    return [Math.abs(inUnits ? fitted : fitted / level)];
  });
  if (moves.length < 2) return null;
  const othersMax = Math.max(...moves);
  return othersMax < Math.abs(move) / 3 ? { othersMax } : null;
}

/**
 * A trend that ends on its record (the warmest year of all 144), and the top values crowded at the end:
 * "the 10 highest years all came from 2014 on". Told only for 20 periods or more, where a record means something.
 */
function addRecordEnd(claims: ClaimSet, series: Series, up: boolean): void {
  const values = series.values;
  const n = values.length;
  if (n < 20) return;
  const last = values[n - 1]!;
  if (up ? last < Math.max(...values) : last > Math.min(...values)) return;
  // "Of all 144 years" only when the periods run without gaps; five-yearly readings are "since 1565".
  const first = series.periods[0]!;
  if (addPeriods(first, series.granularity, n - 1).slice(0, 10) === series.periods[n - 1]!.slice(0, 10)) {
    claims.count('recordOf', n);
  } else {
    claims.period('recordSince', first, periodLabel(first, series.granularity));
  }
  const top = Math.min(10, Math.floor(n / 10));
  const ranked = [...values.keys()].sort((a, b) => (up ? values[b]! - values[a]! : values[a]! - values[b]!) || b - a);
  const earliest = Math.min(...ranked.slice(0, top));
  const within = n - earliest;
  if (top >= 3 && within <= 2 * top && within < n / 3) {
    claims.count('topCount', top);
    claims.period('topFrom', series.periods[earliest]!, periodLabel(series.periods[earliest]!, series.granularity));
  }
}

/** Residuals that wander (Durbin–Watson below this) leave a fit in doubt: every random walk we generated scored under 0.5. */
const STEADY_DURBIN_WATSON = 0.75;
/** Long enough for a fit to be told apart from noise; short enough that trying every joint stays cheap. */
const JOINT_POINTS = { min: 30, max: 1000 };

/**
 * How much of a series a straight line, or a line that bends once (significant at 1% after trying every
 * joint), explains — 0 unless what the fit leaves behaves like noise rather than a random walk's wander.
 */
function steadyFit(values: number[]): { r2: number; joint: JointLine | null } {
  const n = values.length;
  // A line through a short stretch of noise can fit well by chance.
  if (n < JOINT_POINTS.min) return { r2: 0, joint: null };
  const joint = n <= JOINT_POINTS.max ? jointLine(values) : null;
  const bends = joint !== null && joint.p <= 0.01 && joint.durbinWatson >= STEADY_DURBIN_WATSON ? joint : null;
  const line = ols(
    values.map((_, i) => i),
    values,
  );
  let r2 = bends?.r2 ?? 0;
  if (line) {
    const residuals = values.map((v, i) => v - line.intercept - line.slope * i);
    if (durbinWatson(residuals) >= STEADY_DURBIN_WATSON) r2 = Math.max(r2, line.r2);
  }
  return { r2, joint: bends };
}

/**
 * Has the trend sped up or slowed down? The slope per period over the first and last windows — whole
 * decades for yearly data, thirds otherwise — kept when one is at least 1.5× the other.
 */
function addPace(claims: ClaimSet, series: Series, measure: Measure, relative: number, joint: JointLine | null): void {
  const n = series.values.length;
  if (n < 15) return;
  // A bend found by the joinpoint fit dates the change of pace itself (warming picked up in the 1970s).
  if (joint && Math.sign(joint.before) === Math.sign(relative) && Math.sign(joint.after) === Math.sign(relative)) {
    const ratio = joint.after / joint.before;
    if (ratio >= 2 || ratio <= 0.5) {
      const label = (from: number, to: number) =>
        `${periodLabel(series.periods[from]!, series.granularity)}–${periodLabel(series.periods[to]!, series.granularity)}`;
      claims.measure('earlyPace', Math.abs(joint.before), measure, 'average');
      claims.measure('latePace', Math.abs(joint.after), measure, 'average');
      claims.add('earlyWindow', label(0, joint.joint), 'period', label(0, joint.joint));
      claims.add('lateWindow', label(joint.joint, n - 1), 'period', label(joint.joint, n - 1));
      claims.add('paceChange', ratio >= 1 ? 'accelerated' : 'slowed', 'period', ratio >= 1 ? 'accelerated' : 'slowed');
      return;
    }
  }
  const decadeStart =
    series.granularity === 'year' ? series.periods.findIndex((t) => Number(t.slice(0, 4)) % 10 === 0) : -1;
  let early: number[];
  let late: number[];
  if (series.granularity === 'year' && n >= 30 && decadeStart >= 0) {
    const decades = series.periods.map((t) => Math.floor(Number(t.slice(0, 4)) / 10));
    const complete = [...new Set(decades)].filter((d) => decades.filter((x) => x === d).length === 10);
    if (complete.length < 2) return;
    early = decades.flatMap((d, i) => (d === complete[0] ? [i] : []));
    late = decades.flatMap((d, i) => (d === complete[complete.length - 1] ? [i] : []));
  } else {
    const third = Math.floor(n / 3);
    early = [...Array(third).keys()];
    late = early.map((i) => n - third + i);
  }
  const lineThrough = (indices: number[]) =>
    ols(
      indices,
      indices.map((i) => series.values[i]!),
    );
  const [first, last] = [lineThrough(early), lineThrough(late)];
  const a = first?.slope ?? 0;
  const b = last?.slope ?? 0;
  if (Math.sign(a) !== Math.sign(relative) || Math.sign(b) !== Math.sign(relative) || a === 0) return;
  const ratio = b / a;
  if (ratio < 1.5 && ratio > 1 / 1.5) return;
  // Two noisy decades' slopes differ by chance (0.040 °C a year against 0.009, each ± 0.02): the change of
  // pace is told only where the two slopes lie two and a half standard errors apart.
  const spread = Math.hypot(first?.slopeStdErr ?? 0, last?.slopeStdErr ?? 0);
  if (spread > 0 && Math.abs(b - a) < 2.5 * spread) return;
  const label = (indices: number[]) => {
    const first = series.periods[indices[0]!]!;
    const last = series.periods[indices[indices.length - 1]!]!;
    return `${periodLabel(first, series.granularity)}–${periodLabel(last, series.granularity)}`;
  };
  claims.measure('earlyPace', Math.abs(a), measure, 'average');
  claims.measure('latePace', Math.abs(b), measure, 'average');
  claims.add('earlyWindow', label(early), 'period', label(early));
  claims.add('lateWindow', label(late), 'period', label(late));
  claims.add('paceChange', ratio >= 1 ? 'accelerated' : 'slowed', 'period', ratio >= 1 ? 'accelerated' : 'slowed');
}

/**
 * A step beats a line once each calendar month's own level is allowed for (two years of months at least):
 * a marketing budget that stepped up in September and doubles every December fits a step badly only in its
 * Decembers, which no line fits either. Each fit alternates with the months' mean residuals, five rounds.
 */
function beatsLineAcrossMonths(values: number[], series: Series, split: number): boolean {
  if (series.granularity !== 'month' || values.length < 24) return false;
  const month = values.map((_, i) => Number(series.periods[i]!.slice(5, 7)) - 1);
  const index = values.map((_, i) => i);
  const step = (v: number[]) => {
    const [before, after] = [mean(v.slice(0, split)) ?? 0, mean(v.slice(split)) ?? 0];
    return v.map((_, i) => (i < split ? before : after));
  };
  const line = (v: number[]) => {
    const fit = ols(index, v);
    return v.map((_, i) => (fit ? fit.intercept + fit.slope * i : 0));
  };
  const sse = (model: (v: number[]) => number[]) => {
    let effect = new Array<number>(12).fill(0);
    let fitted = model(values);
    for (let round = 0; round < 5; round++) {
      const byMonth: number[][] = Array.from({ length: 12 }, () => []);
      for (const [i, v] of values.entries()) byMonth[month[i]!]!.push(v - fitted[i]!);
      effect = byMonth.map((residuals) => mean(residuals) ?? 0);
      fitted = model(values.map((v, i) => v - effect[month[i]!]!));
    }
    return values.reduce((sum, v, i) => sum + (v - fitted[i]! - effect[month[i]!]!) ** 2, 0);
  };
  return sse(step) <= 0.75 * sse(line);
}

/**
 * Squared errors of a step (`before` up to `split`, `after` from it) and of a straight line through `values`
 * (null when no line fits): a change point must fit clearly better than a trend.
 */
export function stepAndLineSse(
  values: number[],
  split: number,
  before: number,
  after: number,
): { step: number; line: number | null } {
  const line = ols(
    values.map((_, i) => i),
    values,
  );
  return {
    step: values.reduce((sum, v, i) => sum + (v - (i < split ? before : after)) ** 2, 0),
    line: line ? values.reduce((sum, v, i) => sum + (v - (line.intercept + line.slope * i)) ** 2, 0) : null,
  };
}

/** A lasting shift in level: the best single split in mean, kept only when a step explains the data better than a line. */
/** The fewest periods a side of a change point may have, on a series of `n`: 10% of it, 3 at least. */
export const shiftSegment = (n: number) => Math.max(3, Math.ceil(n * 0.1));

export function detectChangePoint(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  scope: Scope,
  timeColumn: string,
): Fact | null {
  const n = series.values.length;
  if (n < 10) return null;
  const minSegment = shiftSegment(n);
  const rawShift = bestMeanShift(series.values, { minSegment });
  if (!rawShift) return null;
  ctx.tested(rawShift.p);
  // A member is dated by when it left its siblings, where they share a rhythm (three buildings' summer
  // cooling): on its own, the summer would move the split to when the season ended. The test, the effect
  // and the step-against-line check then run on its ratio to them; the story tells its own averages.
  const departure = departureFromSiblings(series, scope, minSegment);
  if (departure) ctx.tested(departure.shift.p);
  const dated = departure !== null && departure.shift.p <= 0.05 && departure.shift.index !== rawShift.index;
  // At the same date, the step against the siblings is still the clearer test where they share a season
  // (one city's NO2 down 44% from June while every city peaks in winter: p 0.30 on its own, 7e-10 against
  // the others), taken at twice its p for the second try.
  const clearer =
    !dated && departure !== null && departure.shift.index === rawShift.index && 2 * departure.shift.p < rawShift.p;
  let basis = dated || clearer ? departure!.ratios : series.values;
  let tested = dated ? departure.shift : clearer ? { ...departure!.shift, p: 2 * departure!.shift.p } : rawShift;
  const passes = (values: number[], candidate: MeanShift) => {
    const means = splitMeans(series.values, candidate.index);
    const relative = percentChange(means.meanAfter, means.meanBefore) / 100;
    if (candidate.p > 0.05 || Math.abs(relative) < 0.1 || candidate.effect < 1) return false;
    // A trend also "splits" well; a change point must beat a straight line clearly.
    const fits = stepAndLineSse(values, candidate.index, candidate.meanBefore, candidate.meanAfter);
    return fits.step <= 0.75 * (fits.line ?? Infinity) || beatsLineAcrossMonths(values, series, candidate.index);
  };
  if (!passes(basis, tested)) {
    // Inside a yearly cycle the step is sought again with the calendar divided out (a recycling centre's
    // visitors down a third from October, under a summer peak twice the winter), at twice its p — a member's
    // too, where its season is its own (iced tea peaks harder in summer than the colas beside it).
    const seasonal = seasonallyDivided(series);
    const again = seasonal ? bestMeanShift(seasonal, { minSegment }) : null;
    if (!seasonal || !again) return null;
    ctx.tested(again.p);
    [basis, tested] = [seasonal, { ...again, p: Math.min(1, 2 * again.p) }];
    if (!passes(basis, tested)) return null;
  }
  const shift = { ...tested, ...splitMeans(series.values, tested.index) };
  // A step against the siblings taken at once, over a long enough series (a turbine at 63% of its peers from
  // one month on): read net of what they did, so their own moves across the date (every turbine's summer
  // fall) neither share nor dwarf it — when no sibling, read the same way, moved two thirds as far.
  const ratioMeans = splitMeans(basis, tested.index);
  // Against its siblings it fell while its own level rose (Basic MRR growing steadily, its ratio to the plans
  // whose price went up dropping the month they stepped): the step is theirs, not this member's.
  if (
    basis !== series.values &&
    Math.sign(ratioMeans.meanAfter - ratioMeans.meanBefore) !== Math.sign(shift.meanAfter - shift.meanBefore)
  )
    return null;
  const ownRatioMove = Math.abs(ratioMeans.meanAfter / ratioMeans.meanBefore - 1);
  const abrupt =
    basis !== series.values &&
    n >= 20 &&
    ownRatioMove >= 0.1 &&
    Math.abs(basis[tested.index]! - basis[tested.index - 1]!) >=
      0.6 * Math.abs(ratioMeans.meanAfter - ratioMeans.meanBefore) &&
    siblingRatioMoves(series, scope.siblings ?? [], series.periods[tested.index]!).every(
      (move) => 1.5 * Math.abs(move) < ownRatioMove,
    );
  const relative = percentChange(shift.meanAfter, shift.meanBefore) / 100;
  const id = `change:${slug(measure.id)}:${scopeKey(scope)}`;
  const claims = new ClaimSet(id);
  const at = series.periods[shift.index]!;
  claims.period('changePeriod', at, periodLabel(at, series.granularity));
  claimStep(claims, shift.meanBefore, shift.meanAfter, measure);
  // A percentage moves in points (an on-time rate from 88.8% to 70.8% fell 18.0 points), like a difference.
  const inPoints = movesInUnits(measure);
  let surprise = 1;
  let shared = false;
  const siblings = scope.siblings ?? [];
  if (siblings.length > 0) {
    // How far the other members moved across the same date: an exception reads stronger than a shared shift.
    // A difference measured from zero (over or under budget, in points) moves in its own units: a percent of
    // a level near zero means nothing.
    const signedMove = (before: number, after: number) => (inPoints ? after - before : percentChange(after, before));
    // Moves are said as the measure moves: in its own units, or in percent.
    const claimMove = (name: string, move: number) =>
      inPoints ? claims.measure(name, move, measure, 'average') : claims.percent(name, move);
    const ownSigned = signedMove(shift.meanBefore, shift.meanAfter);
    const signed = siblings.flatMap(({ series: other }) => {
      const sides = sidesAcross(other, at);
      return sides ? [signedMove(sides.before, sides.after)] : [];
    });
    const moves = signed.map(Math.abs);
    if (moves.length > 0) {
      claimMove('othersMaxChangePct', Math.max(...moves));
      claimMove('othersTypicalChangePct', median(moves) ?? 0);
      const otherLevels = siblings.map((s) => mean(s.series.values) ?? 0);
      // A level the others share (three turbines near 2.1 MW); outcomes of 1,467, 314 and 37 a month share none.
      const [low, high] = [Math.min(...otherLevels), Math.max(...otherLevels)];
      if (low > 0 ? high <= 2 * low : high === low)
        claims.measure('othersLevel', median(otherLevels) ?? 0, measure, 'average');
      // Moves are read against what the siblings did together (the wind picked up at every turbine in
      // March): a turbine that fell 29% while the others rose 16% is 45% off its peers.
      // One sibling is no common move: its own move is what this member's is read against.
      const common = signed.length >= 2 ? (median(signed) ?? 0) : 0;
      const ownOff = Math.abs(ownSigned - common);
      // Siblings that moved together (every other plan grew) did not "stay near" their level: say how.
      if (signed.length >= 2 && Math.abs(common) >= (inPoints ? 0 : 10) && Math.abs(common) >= ownOff / 4) {
        claimMove('othersCommonChange', Math.abs(common));
        claims.add('othersDirection', common > 0 ? 'rose' : 'fell', 'period', common > 0 ? 'rose' : 'fell');
      }
      // Most of the move shared by the others (mobile +26.6% while the other devices rose 23.4%): the whole
      // table's shift, told by its total, not this member's news. Kept aside (`shared`): its first period is
      // still no spike of the member's.
      const sharedMove = (own: number, moves: number[]) => {
        const typical = median(moves) ?? 0;
        return (
          moves.length >= 2 && Math.sign(typical) === Math.sign(own) && Math.abs(own - typical) < Math.abs(own) / 2
        );
      };
      // A rate is told in points but shared in proportion: Email's order rate 5.7% → 3.3% (−2.4 points) while
      // every other channel lost about 40% of a lower rate is the site's drop, not Email's.
      const relativeMoves =
        inPoints && !measure.interval && shift.meanBefore > 0
          ? movesAcross(
              siblings.map((s) => s.series),
              at,
            )
          : null;
      const ownRelative = percentChange(shift.meanAfter, shift.meanBefore);
      const sharedInProportion = !abrupt && relativeMoves !== null && sharedMove(ownRelative, relativeMoves);
      if ((!abrupt && sharedMove(ownSigned, signed)) || sharedInProportion) shared = true;
      const othersOff = Math.max(...signed.map((move) => Math.abs(move - common)));
      // Among several siblings, one that moved as much across the same date shows the size of chance
      // moves: a shift not clearly (1.5×) larger is not this member's news (one product of twenty in noise).
      // Unless the siblings that moved as far were only keeping to their own steady paths (energy drinks
      // growing every month beside iced tea's step down): see `standsOffTheirPaths`.
      const netStands = standsOffTheirPaths(series, siblings, at, {
        own: ownSigned,
        ownOff,
        common,
        move: signedMove,
        inPoints,
      });
      if (moves.length >= 4 && 1.5 * othersOff >= ownOff && !shared && !abrupt && !netStands) return null;
      surprise = (othersOff < ownOff / 2 && !sharedInProportion) || abrupt || netStands ? 1.3 : 0.8;
    }
  }
  return makeFact({
    id,
    type: 'change_point',
    measureId: measure.id,
    ...scopeFields(scope, measure, timeColumn),
    p: shift.p,
    // On an interval scale the step is sized in standard deviations (Cohen's d), not against zero. Dated
    // against its siblings, a step is as large as its departure from them (orders −10% while the other
    // plans grew 19%: a quarter off their pace).
    // A price steps in cents where it barely moved before (diesel from €1.68 to €1.89 a litre, +12.5%):
    // the step against its own steadiness, as for a reading on an interval scale.
    effect: measure.interval
      ? 1 - Math.exp(-shift.effect / 2)
      : Math.max(
          relativeEffect(
            basis === series.values
              ? relative
              : Math.max(Math.abs(relative), Math.abs(percentChange(tested.meanAfter, tested.meanBefore) / 100)),
          ),
          measure.aggregation === 'mean' && isPriceName(measure.label) ? 1 - Math.exp(-shift.effect / 4) : 0,
        ),
    // A member that broke away alone (its siblings stayed within half its move) is the table's only break at
    // that date: Tech Support's handle time up 41% while seven teams held is the call centre's news, not an
    // eighth of it.
    impact: surprise > 1 ? 1 : scope.impact,
    surprise,
    claims: claims.claims,
    data: {
      granularity: series.granularity,
      points: points(series),
      index: shift.index,
      at,
      meanBefore: shift.meanBefore,
      meanAfter: shift.meanAfter,
      siblings: siblings.map((s) => ({ member: s.member, points: points(s.series) })),
      ...(shared ? { shared: true } : {}),
    },
  });
}

/**
 * A point that stands out only against a baseline straddling a step: the last week at the old level (an
 * order rate at 2.5% the week before it fell to 1.4% for good) reads high against neighbours half of which
 * are after the fall. A spike stands half its residual clear of the level on each side (three points each).
 */
function stepEdge(values: number[], index: number, residual: number): boolean {
  const side = (from: number, to: number) => median(values.slice(Math.max(0, from), Math.min(values.length, to)));
  const before = side(index - 3, index);
  const after = side(index + 1, index + 4);
  if (before == null || after == null) return false;
  const way = Math.sign(residual);
  const clear = 0.5 * Math.abs(residual);
  return way * (values[index]! - before) < clear || way * (values[index]! - after) < clear;
}

/**
 * A step's claims from its two levels: the averages; the change (a percentage's in points, like a
 * difference, and a level that crossed zero in its units: "−137%" of a profit turned into a loss says
 * nothing); a rate's move as a share of its old level (1.0 points off 2.5% is 42% of it); a multiple of 1.5×
 * or more.
 */
export function claimStep(claims: ClaimSet, before: number, after: number, measure: Measure): void {
  claims.measure('meanBefore', before, measure, 'average');
  claims.measure('meanAfter', after, measure, 'average');
  const inPoints = movesInUnits(measure);
  claims.change('changePct', before, after, measure, 'average', inPoints || before * after < 0);
  if (inPoints && !measure.interval && before > 0)
    claims.percent('changeRelPct', Math.abs(percentChange(after, before)));
  if (!measure.interval && before > 0 && after / before >= 1.5) claims.ratio('ratio', after / before);
}

/**
 * A series' level on each side of `at`, each side by its median (one sibling's one-off invoice is no move of
 * its level); null unless both sides have three periods.
 */
export function sidesAcross(series: Series, at: string): { before: number; after: number } | null {
  const split = series.periods.findIndex((t) => t >= at);
  if (split < 3 || split > series.values.length - 3) return null;
  return { before: median(series.values.slice(0, split)) ?? 0, after: median(series.values.slice(split)) ?? 0 };
}

/** Each series' move across `at` in percent (`sidesAcross`); null when one starts at or below zero. */
export function movesAcross(series: Iterable<Series>, at: string): number[] | null {
  const moves: number[] = [];
  for (const one of series) {
    const sides = sidesAcross(one, at);
    if (!sides) continue;
    if (sides.before <= 0) return null;
    moves.push(percentChange(sides.after, sides.before));
  }
  return moves;
}

/**
 * A member's step read against the paths its siblings were on: each series' line through its periods before
 * the date, carried on (in logs where moves are percents: growth compounds, 4× in five years is a line in
 * logs), and its move across the date net of that line. The step stands when every sibling that moved as far
 * (1.5× its distance from the common move) had a clear path before (Mann–Kendall p ≤ 0.001) that explains
 * two thirds of its move, the member went the other way or alone (never one that merely fell less than the
 * rest), and net of its own path it is 1.5× further from the siblings' common net move than any of them.
 */
function standsOffTheirPaths(
  series: Series,
  siblings: { series: Series }[],
  at: string,
  read: {
    own: number;
    ownOff: number;
    common: number;
    move: (before: number, after: number) => number;
    inPoints: boolean;
  },
): boolean {
  const offPath = (other: Series) => {
    const split = other.periods.findIndex((t) => t >= at);
    if (split < 6 || split > other.values.length - 3) return null;
    const logs = !read.inPoints && other.values.every((v) => v > 0);
    const values = logs ? other.values.map(Math.log) : other.values;
    const line = senSlope(
      values.slice(0, split).map((_, i) => i),
      values.slice(0, split),
    );
    if (!line) return null;
    const rest = values.map((v, i) => v - line.slope * i);
    const [before, after] = [median(rest.slice(0, split)) ?? 0, median(rest.slice(split)) ?? 0];
    return {
      raw: read.move(median(other.values.slice(0, split)) ?? 0, median(other.values.slice(split)) ?? 0),
      net: logs ? (Math.exp(after - before) - 1) * 100 : read.move(before, after),
      steady: mannKendall(other.values.slice(0, split)).p <= 0.001,
    };
  };
  const paths = siblings.map(({ series: other }) => offPath(other)).filter((o) => o !== null);
  const own = offPath(series);
  if (!own || paths.length === 0 || paths.length < siblings.length) return false;
  const commonNet = median(paths.map((o) => o.net)) ?? 0;
  const blockers = paths.filter((o) => 1.5 * Math.abs(o.raw - read.common) >= read.ownOff);
  return (
    blockers.every((o) => o.steady && Math.abs(o.net - commonNet) < Math.abs(o.raw - read.common) / 3) &&
    (Math.sign(read.common) !== Math.sign(read.own) || Math.abs(read.common) < Math.abs(read.own) / 4) &&
    Math.sign(own.net - commonNet) === Math.sign(read.own) &&
    1.5 * Math.max(...paths.map((o) => Math.abs(o.net - commonNet))) < Math.abs(own.net - commonNet)
  );
}

const spikeCache = new WeakMap<Series, SpikeScore[]>();
const spikeWindow = (n: number) => Math.min(7, n - 1 - ((n - 1) % 2));

/** What a series' neighbours point to at one of its points (the spike model's expectation), if it has one. */
export function expectedAt(series: Series, index: number): number | null {
  const score = scoresOf(series).find((s) => s.index === index);
  return score && Number.isFinite(score.expected) ? score.expected : null;
}

/** Spike scores of a series, computed once (siblings are scored again for every member otherwise). */
function scoresOf(series: Series): SpikeScore[] {
  let scores = spikeCache.get(series);
  if (!scores) {
    const adjusted = weekdayAdjustedScores(series);
    if (adjusted) weekdayRhythm.add(series);
    scores = adjusted ?? spikeScores(series.values, spikeWindow(series.values.length));
    spikeCache.set(series, scores);
  }
  return scores;
}

/** Daily series scored with their weekly rhythm taken out: a day is read against the same weekdays. */
const weekdayRhythm = new WeakSet<Series>();

/** Weeks of days a weekly rhythm is read from, and how far apart its days must sit to be taken out. */
const WEEKLY_RHYTHM = { minWeeks: 8, minRatio: 1.2 };

/**
 * Days of a series with a weekly rhythm (a lab's Saturdays at 70% of its weekdays), scored with the rhythm
 * divided out: a week's neighbours are mostly weekdays, so a busy Saturday at a weekday's level would pass
 * unseen, and every quiet weekend would count as noise. Each weekday's factor is its median over the
 * series' median; the scores keep the values as read, the expectation put back on that weekday's level.
 * Null when the series is not daily, has values below zero, or has no rhythm that large.
 */
function weekdayAdjustedScores(series: Series): SpikeScore[] | null {
  const factors = weekdayFactors(series);
  if (!factors) return null;
  const { values } = series;
  const adjusted = values.map((v, i) => v / factors[i]!);
  return spikeScores(adjusted, spikeWindow(values.length)).map((score) =>
    rebasedScore(score, values[score.index]!, score.expected * factors[score.index]!),
  );
}

/**
 * Each day's weekday factor (its weekday's median over the series' median), for a daily series whose days
 * sit far enough apart (`WEEKLY_RHYTHM`); null otherwise, or with values below zero.
 */
function weekdayFactors(series: Series): number[] | null {
  const { values, periods } = series;
  if (series.granularity !== 'day' || values.length < 7 * WEEKLY_RHYTHM.minWeeks) return null;
  if (values.some((v) => !(v >= 0))) return null;
  const overall = median(values) ?? 0;
  if (!(overall > 0)) return null;
  const weekdays = periods.map((t) => positionOf('weekday', t));
  const factors = Array.from(
    { length: 7 },
    (_, day) => (median(values.filter((_, i) => weekdays[i] === day)) ?? 0) / overall,
  );
  if (!factors.every((f) => f > 0) || Math.max(...factors) < WEEKLY_RHYTHM.minRatio * Math.min(...factors)) return null;
  return weekdays.map((day) => factors[day]!);
}

/** The runner-up when it is the top's period a year away, the same way, and a spike by itself (severity 4). */
function yearlyTwin(series: Series, top: SpikeScore, runnerUp: SpikeScore | undefined): SpikeScore | undefined {
  if (!runnerUp || Math.sign(runnerUp.residual) !== Math.sign(top.residual) || runnerUp.severity < 4) return undefined;
  const [a, b] = [series.periods[top.index]!, series.periods[runnerUp.index]!];
  const sameMonth = a.slice(5, 7) === b.slice(5, 7) && Math.abs(Number(a.slice(0, 4)) - Number(b.slice(0, 4))) === 1;
  if (series.granularity === 'month' || series.granularity === 'quarter') return sameMonth ? runnerUp : undefined;
  return series.granularity === 'week' && aYearApart(a, b) ? runnerUp : undefined;
}

/**
 * The largest residual after the top one (`byResidual` is sorted by size) that is not the top's own event:
 * a neighbour within `reach` periods that moved the same way.
 */
function runnerUpOf(byResidual: readonly SpikeScore[], reach: number): SpikeScore | undefined {
  const top = byResidual[0]!;
  return byResidual
    .slice(1)
    .find((s) => Math.abs(s.index - top.index) > reach || Math.sign(s.residual) !== Math.sign(top.residual));
}

/** A series' median rows per period, and its upper median (the middle of the sorted rows), read once. */
const rowsCache = new WeakMap<readonly number[], { median: number; upper: number }>();
function rowsOf(series: Series): { median: number; upper: number } {
  let found = rowsCache.get(series.rows);
  if (!found) {
    const sorted = [...series.rows].sort((a, b) => a - b);
    found = { median: median(series.rows) ?? 0, upper: sorted[Math.floor(sorted.length / 2)] ?? 0 };
    rowsCache.set(series.rows, found);
  }
  return found;
}
const typicalRows = (series: Series) => rowsOf(series).median;
const upperMedianRows = (series: Series) => rowsOf(series).upper;

/** Robust scale of the relative residuals of several series together (see `Scope.pooled`). */
/** Each residual as a share of what the neighbours point to (where they point somewhere). */
const relativeResiduals = (scores: SpikeScore[]) =>
  scores.filter((s) => s.expected !== 0).map((s) => s.residual / Math.abs(s.expected));

/** The robust spread (1.4826 · MAD) of one series' relative residuals. */
const ownSpikeScale = (scores: SpikeScore[]) => 1.4826 * (mad(relativeResiduals(scores)) ?? 0);

export function pooledSpikeScale(series: Series[]): { scale: number; points: number } {
  const relative = series.filter((one) => one.values.length >= 8).flatMap((one) => relativeResiduals(scoresOf(one)));
  return { scale: 1.4826 * (mad(relative) ?? 0), points: relative.length };
}

/**
 * Buckets with too few rows behind them swing by chance: a day with three orders has no "normal" to
 * break. Not so for a panel's entity (a country's life expectancy per year is one measurement). The rows
 * one period needs before it can stand out (a cancel rate of 0% on one booking is no dip), or null when
 * the series as a whole has too few.
 */
function rowsNeeded(
  measure: Measure,
  series: Series,
  scope: Scope,
  profile: { entity: string | null; cube: boolean; rowsAreEvents: boolean },
): number | null {
  if (profile.cube || (scope.dimension && scope.dimension.name === profile.entity)) return 0;
  // Rows that are no events (one reading a day) make a period's total a full measurement, however few:
  // a week of seven daily receipts is no noisy total of three orders. (An average of few rows, a ratio of
  // two noisy columns above all, still needs its rows.)
  if (!profile.rowsAreEvents && measure.aggregation === 'sum') return 0;
  const typical = upperMedianRows(series);
  // One reading per period (a monthly rate, a series of its own): each value is the measurement itself —
  // of one column; a ratio of two noisy columns stays a noisy ratio.
  if (!profile.rowsAreEvents && typical <= 1 && measure.columns.length === 1 && !measure.ratio) return 0;
  const least = measure.aggregation === 'sum' ? 10 : 20;
  return typical >= least ? Math.min(least, typical / 2) : null;
}

/** A period a panel's entities moved in together. */
export interface BroadMove {
  way: 'up' | 'down';
  /** Entities that moved a quarter or more that way, of those seen in the period. */
  moved: number;
  seen: number;
  /**
   * Sign test over the entities (as many moving that way by chance as the other), Bonferroni over the
   * periods: breadth is evidence a single noisy series cannot give.
   */
  p: number;
}

/**
 * The periods where a panel's entities (8 or more seen) moved together against their own expected level:
 * nine in ten by a quarter or more (all 16 clinics down by half), or nearly all of them the same way with
 * the median entity a quarter off (building permits in 34 of 36 municipalities, down a third in 2009).
 */
export function broadMoves(entities: Series[]): Map<string, BroadMove> {
  const counts = new Map<string, { up: number; down: number; seen: number; moves: number[] }>();
  for (const entity of entities)
    for (const score of scoresOf(entity)) {
      if (score.expected === 0) continue;
      const t = entity.periods[score.index]!;
      const count = counts.get(t) ?? { up: 0, down: 0, seen: 0, moves: [] };
      const relative = score.residual / Math.abs(score.expected);
      count.seen += 1;
      count.moves.push(relative);
      if (relative >= 0.25) count.up += 1;
      else if (relative <= -0.25) count.down += 1;
      counts.set(t, count);
    }
  const broad = new Map<string, BroadMove>();
  for (const [t, { up, down, seen, moves }] of counts) {
    if (seen < 8) continue;
    const typical = median(moves) ?? 0;
    const way = typical < 0 ? 'down' : 'up';
    const sameWay = moves.filter((m) => (way === 'down' ? m <= -0.1 : m >= 0.1)).length;
    const p = Math.min(
      1,
      binomialUpperTail(moves.filter((m) => (way === 'down' ? m < 0 : m > 0)).length, seen) * counts.size,
    );
    if (down >= 0.9 * seen || (way === 'down' && sameWay >= 0.85 * seen && typical <= -0.25))
      broad.set(t, { way: 'down', moved: down, seen, p });
    else if (up >= 0.9 * seen || (way === 'up' && sameWay >= 0.85 * seen && typical >= 0.25))
      broad.set(t, { way: 'up', moved: up, seen, p });
  }
  return broad;
}

/**
 * One period far from its neighbours: a spike or a dip against a rolling-median baseline. It must be
 * severe (ML.NET: |residual| ≥ 4 × the median residual) and outstanding (at least twice the next-largest
 * residual), so heavy-tailed noise, whose big residuals come in crowds, does not qualify.
 */
export function detectSpike(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  scope: Scope,
  timeColumn: string,
  /** Periods a panel's entities moved in together (`broadMoves`). */
  broad?: ReadonlyMap<string, BroadMove>,
): Fact | null {
  const n = series.values.length;
  const needed = n < 8 ? null : rowsNeeded(measure, series, scope, ctx.profile);
  if (needed === null) return null;
  const scores = scoresOf(series);
  if (scores.length < 2) return null;
  const byResidual = [...scores].sort((a, b) => Math.abs(b.residual) - Math.abs(a.residual) || a.index - b.index);
  const top = byResidual[0]!;
  // The first and last points have neighbours on one side only: an odd first year is where the record
  // starts, and an odd last period is the latest change's business.
  if (top.index === 0 || top.index === n - 1) return null;
  if ((series.rows[top.index] ?? 0) < needed) return null;
  // An average over a period the log covers only in part (eight hours of a day lost to a logger gap, the
  // cold night ones) is the average of what is left: no reading of the period, so no spike.
  if (measure.aggregation !== 'sum' && !ctx.profile.rowsAreEvents) {
    const usual = spikeScores(series.rows, spikeWindow(series.rows.length)).find((c) => c.index === top.index);
    if (usual && usual.expected > 0 && (series.rows[top.index] ?? 0) < 0.8 * usual.expected) return null;
  }
  // A day's neighbours within the baseline's half window that moved the same way are the same event
  // (Black Friday's weekend and Cyber Monday after it), not a crowd of big residuals: the runner-up is the
  // largest residual outside it. Weeks and months that move together are an episode, not a spike.
  const reach = finer(series.granularity, 'week') ? (spikeWindow(n) - 1) / 2 : 0;
  const runnerUp = runnerUpOf(byResidual, reach);
  const relative = top.expected === 0 ? 0 : top.residual / Math.abs(top.expected);
  // A member's swings are measured on the siblings' pooled scale. Where its periods add up events (orders),
  // on its own when it swings more and has fewer rows than its siblings: a small product's month moves more
  // by chance than the pooled scale, set by the big ones, allows; a region as busy as the others is read on
  // their scale (the MAD of two dozen months of its own is too rough: West's dip of 58% was read as 3σ).
  // (A panel's measurements, a country's life expectancy, share one scale.)
  const siblingRows = median((scope.siblings ?? []).map(({ series: other }) => typicalRows(other))) ?? 0;
  const memberRows = typicalRows(series);
  const small = siblingRows === 0 || memberRows < siblingRows / 2;
  // Its own scale, from two dozen months, is rough: a small member keeps it, a busy one meets its siblings
  // halfway (the root mean square of the two).
  const ownScale = ctx.profile.rowsAreEvents ? ownSpikeScale(scores) : 0;
  const pooledScale = scope.pooled?.scale ?? 0;
  const own = small ? ownScale : Math.sqrt((ownScale ** 2 + pooledScale ** 2) / 2);
  // Totals of fewer events swing more, as 1/√n: a member with 60% of its siblings' rows gets a scale 1.3×
  // wider than theirs (never narrower than the pooled one).
  const bySize =
    ctx.profile.rowsAreEvents && memberRows > 0 && siblingRows > memberRows ? Math.sqrt(siblingRows / memberRows) : 1;
  const scale = scope.pooled ? Math.max(pooledScale * bySize, own) : 0;
  let p =
    scope.pooled && scale > 0
      ? Math.min(1, twoSidedNormalP(relative / scale) * scope.pooled.points)
      : Math.min(1, top.p * scores.length);
  // A member's total of events that moved with its count of events (West's revenue fell with its orders,
  // 142 against 270) is backed by the count, whose swings are narrower than the money's: its relative
  // residual on its own scale, when the total moved at least half as far the same way.
  let countOutstanding = false;
  if (ctx.profile.rowsAreEvents && measure.aggregation === 'sum' && measure.id !== ROWS_MEASURE_ID) {
    const counts = spikeScores(series.rows, spikeWindow(series.rows.length));
    const count = counts.find((c) => c.index === top.index);
    // Never narrower than chance allows a count of that size (Poisson: 1/√n of it).
    const countScale = Math.max(ownSpikeScale(counts), count && count.expected > 0 ? 1 / Math.sqrt(count.expected) : 0);
    const countRelative = count && count.expected !== 0 ? count.residual / Math.abs(count.expected) : 0;
    // The whole table's count (Black Friday's orders) is tried against its own periods.
    const tries = scope.pooled?.points ?? counts.length;
    const countP = countScale > 0 ? Math.min(1, twoSidedNormalP(countRelative / countScale) * tries) : 1;
    // Only a decisive count backs it (p ≤ 0.001): its own scale, too, comes from two dozen periods.
    const backs =
      countP <= 0.001 &&
      Math.sign(countRelative) === Math.sign(relative) &&
      Math.abs(relative) >= Math.abs(countRelative) / 2;
    if (backs) {
      p = Math.min(p, countP);
      // The count stands out among its own periods: the money's runner-up (a big-ticket month) is noise
      // the count does not share.
      const byCount = [...counts].sort((a, b) => Math.abs(b.residual) - Math.abs(a.residual) || a.index - b.index);
      countOutstanding =
        byCount[0]?.index === top.index &&
        Math.abs(byCount[0].residual) >= 2 * Math.abs(runnerUpOf(byCount, reach)?.residual ?? 0);
    }
  }
  // Nearly every entity of a panel moving with it that period: the sign test across them says more than
  // one series' own swings can.
  const crowdOf = broad?.get(series.periods[top.index]!);
  if (crowdOf && crowdOf.way === (top.residual > 0 ? 'up' : 'down')) p = Math.min(p, crowdOf.p);
  ctx.tested(p);
  // Twice the runner-up: relaxing it to 1.5× for small p found a 50% dip in 10k sales rows, and also a
  // spike in pure noise.
  // Nine in ten of a panel's entities moving with it make a week news at 1.5× the runner-up (a network's
  // outage beside its Christmas week).
  const crowd = broad?.get(series.periods[top.index]!);
  const broadly = crowd?.way === (relative > 0 ? 'up' : 'down');
  // The same month a year apart (roses at Valentine's, both Februaries): a peak that comes back each year
  // is news too, told with its twin, when it stands twice as far out as anything else.
  const twin = yearlyTwin(series, top, runnerUp);
  const third = twin ? byResidual.slice(1).find((s) => s !== twin && Math.abs(s.index - top.index) > reach) : undefined;
  const plain = Math.abs(top.residual) >= 2 * Math.abs(runnerUp?.residual ?? 0);
  const outstanding =
    plain ||
    (broadly && Math.abs(top.residual) >= 1.5 * Math.abs(runnerUp?.residual ?? 0)) ||
    countOutstanding ||
    (twin !== undefined && Math.abs(twin.residual) >= 2 * Math.abs(third?.residual ?? 0));
  if (p > 0.05 || top.severity < 4 || !outstanding || Math.abs(relative) < 0.25) return null;
  // (Days and hours are read against their weekday or hour; their raw neighbours are another rhythm's.)
  if (!finer(series.granularity, 'week') && stepEdge(series.values, top.index, top.residual)) return null;
  const at = series.periods[top.index]!;
  const id = `spike:${slug(measure.id)}:${scopeKey(scope)}:${at.slice(0, 10)}`;
  const claims = new ClaimSet(id);
  const role = valueRole(measure);
  claims.period('period', at, periodLabel(at, series.granularity));
  claims.measure('value', top.value, measure, role);
  claims.measure('expected', top.expected, measure, role);
  claims.change('changePct', top.expected, top.value, measure, role, movesInUnits(measure));
  // Ten times what was expected or more reads as a multiple, never as "13,591% higher".
  if (!measure.interval && top.expected > 0 && top.value / top.expected >= 10)
    claims.ratio('expectedRatio', top.value / top.expected);
  const typical = median(series.values) ?? 0;
  claims.measure('typical', typical, measure, role);
  if (!measure.interval && typical > 0 && top.value / typical >= 1.5)
    claims.ratio('ratioToTypical', top.value / typical);
  if (twin && !plain) {
    const t = series.periods[twin.index]!;
    claims.period('twinPeriod', t, periodLabel(t, series.granularity));
    claims.measure('twinValue', twin.value, measure, role);
  }
  if (broadly) {
    claims.count('sameWayEntities', crowd!.moved);
    claims.count('entitiesSeen', crowd!.seen);
  }
  const next = series.values[top.index + 1];
  // Against what the next period itself should bring (a Saturday after a Friday's outage: a Saturday's level).
  const nextExpected = weekdayRhythm.has(series)
    ? (scores.find((s) => s.index === top.index + 1)?.expected ?? top.expected)
    : top.expected;
  const recovered = next !== undefined && Math.abs(next - nextExpected) <= 0.2 * Math.abs(nextExpected);
  if (next !== undefined) {
    claims.period(
      'nextPeriod',
      series.periods[top.index + 1]!,
      periodLabel(series.periods[top.index + 1]!, series.granularity),
    );
    claims.measure('nextValue', next, measure, role);
  }
  let surprise = 1;
  const siblings = scope.siblings ?? [];
  const inUnits = movesInUnits(measure);
  if (siblings.length > 0) {
    const moves = siblings.flatMap(({ series: other }) => {
      const i = other.periods.indexOf(at);
      if (i < 0) return [];
      const score = scoresOf(other).find((s) => s.index === i);
      if (!score) return [];
      // A margin or a temperature moves in points or degrees: the siblings' moves too.
      if (inUnits) return [score.residual];
      // From nothing to something (a carrier that cancels no flight on most days, then 14%) is the largest move.
      if (score.expected === 0) return score.residual !== 0 ? [Math.sign(score.residual) * Infinity] : [];
      return [(score.residual / Math.abs(score.expected)) * 100];
    });
    if (moves.length > 0)
      surprise = siblingSurprise(inUnits ? null : claims, moves, inUnits ? top.residual : relative * 100);
    const largest = Math.max(...moves.map(Math.abs));
    if (inUnits && moves.length > 0 && Number.isFinite(largest)) {
      const text = formatMeasureValue(largest, measure, 'average');
      claims.add(
        'othersMaxChangePct',
        largest,
        'number',
        measure.format.kind === 'percent' ? text.replace(/%$/, ' points') : text,
      );
    }
  }
  // Rarity is information (Calliope's self-information): a swing 25 noise-widths out is news even in 1 of 62 series.
  if (scope.pooled && scale > 0 && surprise > 1) {
    const z = Math.abs(relative) / scale;
    surprise = Math.max(surprise, 1 + Math.min(0.8, (z - 4) / 20));
  }
  // A year that nearly every entity of a panel went through at once is the panel's event (2009's permits).
  if (broadly && !scope.member) surprise = Math.max(surprise, 1.2);
  // A day the whole log nearly stopped (transactions down 91%, back the next day): an outage, or a gap in the
  // export, and either way the first thing its reader must know.
  if (!scope.member && measure.id === ROWS_MEASURE_ID && ctx.profile.rowsAreEvents && relative <= -0.75 && recovered)
    surprise = Math.max(surprise, 1.25);
  // A day the whole file multiplied (a matched-giving day at 40× its usual takings, Black Friday at 6×):
  // the one event its reader must hear of first.
  // (Back most of the way the next period: a noisy week after it need not be within a fifth of its level.)
  const cameBack = next !== undefined && next - nextExpected <= 0.25 * (top.value - top.expected);
  if (!scope.member && !measure.interval && relative >= 4 && cameBack) surprise = Math.max(surprise, 1.3);
  const expectedLine = scores.map((s) => ({ t: series.periods[s.index]!, value: s.expected }));
  return makeFact({
    id,
    type: 'spike',
    measureId: measure.id,
    ...scopeFields(scope, measure, timeColumn),
    p,
    // On an interval scale the spike is sized against the series' own noise (severity), not against zero.
    effect: measure.interval ? Math.min(1, top.severity / 8) : relativeEffect(relative),
    impact: scope.impact,
    surprise,
    claims: claims.claims,
    data: {
      granularity: series.granularity,
      direction: relative > 0 ? 'up' : 'down',
      recovered,
      points: points(series),
      expected: expectedLine,
      index: top.index,
      at,
      ...(weekdayRhythm.has(series) ? { weekday: cycleSpec.weekday.label(positionOf('weekday', at)) } : {}),
      siblings: siblings.map((s) => ({ member: s.member, points: points(s.series) })),
    },
  });
}

/**
 * A sudden move that lasted (unemployment from 4.4% to 16.7% in April 2020, then a slow way back; air travel's
 * collapse over March and April 2020), which the spike's rolling median reads as the level once the way back
 * is slow: a run of one to three period-to-period steps the same way whose sum is at least 8 robust widths of
 * the series' steps (1.4826 · MAD, times √k), twice any other step the same way, 30% of the level it left
 * (a percentage: its own steps decide), and the periods after it (up to six, on average) nearer the new level
 * than the old. Two-sided normal p, Bonferroni over the steps and run lengths, kept at p ≤ 0.001.
 */
export function detectShock(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  scope: Scope,
  timeColumn: string,
): Fact | null {
  const values = series.values;
  const n = values.length;
  if (n < 12 || measure.interval) return null;
  const needed = rowsNeeded(measure, series, scope, ctx.profile);
  if (needed === null) return null;
  // Within a yearly cycle the move is sought on the months with their calendar pattern taken out (a
  // collapse in April 2020 stands out of the spring's own rise); the sentences keep the values as read.
  // Volumes swing by a share of their level (a summer quarter three times the winter's, before and after
  // a collapse): their pattern is divided out, in logs, where it can be.
  const adjusted = seasonallyDivided(series) ?? seasonallyAdjusted(series);
  const level = adjusted ?? values;
  const steps = level.slice(1).map((v, i) => v - level[i]!);
  const scale = 1.4826 * (mad(steps) ?? 0);
  if (!(scale > 0)) return null;
  // The move may take up to three steps the same way (March and April 2020): the run whose sum stands
  // furthest out on its own scale (σ·√k).
  let [from, length, best] = [0, 1, 0];
  for (let k = 1; k <= 3; k++)
    for (let i = 0; i + k <= steps.length; i++) {
      const run = steps.slice(i, i + k);
      if (run.some((d) => Math.sign(d) !== Math.sign(run[0]!) || d === 0)) continue;
      const size = Math.abs(run.reduce((a, b) => a + b, 0)) / Math.sqrt(k);
      if (size > best) [from, length, best] = [i, k, size];
    }
  const step = steps.slice(from, from + length).reduce((a, b) => a + b, 0);
  // A rebound is the other half of a collapse told elsewhere (visits back in June after a closure in April
  // and May): the steps just before it that went the other way undo half of it or more.
  const undone = steps
    .slice(Math.max(0, from - 3), from)
    .filter((d) => Math.sign(d) === -Math.sign(step))
    .reduce((a, b) => a + Math.abs(b), 0);
  if (undone >= 0.5 * Math.abs(step)) return null;
  // The move runs from the period at `start` to the one at `at`.
  const [start, at] = [from, from + length];
  // The last period's move is the latest change's story; a shock must be seen to last.
  if (at >= n - 1 || (series.rows[at] ?? 0) < needed || (series.rows[start] ?? 0) < needed) return null;
  const runnerUp = Math.max(
    0,
    ...steps.filter((d, i) => (i < from || i >= from + length) && Math.sign(d) === Math.sign(step)).map(Math.abs),
  );
  const z = Math.abs(step) / (scale * Math.sqrt(length));
  const p = ctx.tested(Math.min(1, twoSidedNormalP(z) * steps.length * 3));
  const [before, after] = [values[start]!, values[at]!];
  // It lasted: the periods after it (up to six) stay nearer the new level than the old, on average — four
  // days of smoke and back are an episode, not a shock.
  const following = level.slice(at + 1, at + 7);
  const afterwards = following.reduce((a, b) => a + b, 0) / following.length;
  const lasting = following.length >= 2 && Math.abs(afterwards - level[at]!) < Math.abs(afterwards - level[start]!);
  const relative = level[start] !== 0 ? step / Math.abs(level[start]!) : Number.POSITIVE_INFINITY;
  const percent = measure.format.kind === 'percent';
  if (p > 0.001 || z < 8 || Math.abs(step) < 2 * runnerUp || !lasting) return null;
  if (!percent && Math.abs(relative) < 0.3) return null;
  // The values as read must move the way the adjusted ones did, or "fell from … to …" would not hold.
  if (Math.sign(after - before) !== Math.sign(step)) return null;
  // Too few years to take the calendar out: the same step a year earlier (December's peak falling away into
  // January, both years) is the season, not a shock. (An adjusted series is monthly or quarterly.)
  const yearSteps = series.granularity === 'month' ? 12 : series.granularity === 'quarter' ? 4 : 0;
  // So is a step that lands where the same period stood a year earlier (January back at last January's level).
  if (!adjusted && yearSteps > 0 && at >= yearSteps && before > 0 && after > 0) {
    const now = Math.log(after / before);
    const yearAgo = values[at - yearSteps]!;
    if (yearAgo > 0 && Math.abs(Math.log(after / yearAgo)) < Math.abs(now) / 2) return null;
    const [then, thenAfter] = [values[start - yearSteps], values[at - yearSteps]!];
    if (then !== undefined && then > 0 && thenAfter > 0 && Math.log(thenAfter / then) / now >= 0.5) return null;
  }
  const typicalStep = median(steps.map(Math.abs)) ?? 0;
  const multiple = typicalStep > 0 && length === 1 ? Math.abs(step) / typicalStep : null;
  return shockFact(measure, series, scope, timeColumn, {
    start,
    at,
    p,
    effect: percent ? Math.min(1, z / 16) : relativeEffect(relative),
    yearSteps: adjusted ? yearSteps : 0,
    multiple,
  });
}

/**
 * A shock in a panel's short series (rail traffic halved in 2020 at all 36 operators, then a slow way back),
 * where the dozen periods the series' own test needs are not there: the scale comes from the entities
 * instead. Each entity's step into a period is the log of its value against the period before; the period
 * whose median step lies furthest from the median of all other steps, at least 5 robust widths of those
 * (1.4826 · MAD) out and twice as far as any other period's median the same way, with 80% of its entities
 * moving that way and the whole moving 30% or more. Sign test p (two-sided), Bonferroni over the steps,
 * kept at p ≤ 0.001. Whether it came back is the story's to tell, not a condition.
 */
export function detectPanelShock(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  scope: Scope,
  timeColumn: string,
  entities: Series[],
): Fact | null {
  const values = series.values;
  const n = values.length;
  // A year has no season to mistake for a shock, so a long yearly panel is read this way too.
  if (n < 6 || (n >= 12 && series.granularity !== 'year') || measure.interval || entities.length < 8) return null;
  const needed = rowsNeeded(measure, series, scope, ctx.profile);
  if (needed === null) return null;
  const steps: number[][] = series.periods.map(() => []);
  for (const entity of entities) {
    const valueAt = valuesByPeriod(entity);
    for (let i = 1; i < n; i++) {
      const [from, to] = [valueAt.get(series.periods[i - 1]!), valueAt.get(series.periods[i]!)];
      if (from !== undefined && to !== undefined && from > 0 && to > 0) steps[i]!.push(Math.log(to / from));
    }
  }
  const seen = steps.map((s) => s.length >= 8);
  const centre = median(steps.flat()) ?? 0;
  const medians = steps.map((s) => (median(s) ?? 0) - centre);
  let at = -1;
  for (let i = 1; i < n; i++) if (seen[i] && (at < 0 || Math.abs(medians[i]!) > Math.abs(medians[at]!))) at = i;
  // A rebound is the other half of a collapse (attendance back 23× in 2021-22 after a season behind closed
  // doors): where the step before went the other way by half as much or more, the news is that step.
  if (at >= 2 && seen[at - 1] && -Math.sign(medians[at]!) * medians[at - 1]! >= 0.5 * Math.abs(medians[at]!)) at -= 1;
  // The last period's move is the latest change's story.
  if (at < 1 || at >= n - 1) return null;
  const rest = steps.flatMap((s, i) => (i === at || !seen[i] ? [] : s));
  const typical = median(rest) ?? 0;
  const scale = 1.4826 * (mad(rest) ?? 0);
  const moved = (median(steps[at]!) ?? 0) - typical;
  // A period that turned the panel's usual way round (GDP per capita, up in most country-years, down in 26 of
  // 29 countries in 2020) is news at a smaller size: its median step is weighed against what the median of
  // that many steps moves by chance (1.2533 · σ / √m), not against one entity's spread.
  const usual = rest.filter((d) => Math.sign(d) === Math.sign(typical)).length / rest.length;
  const against = steps[at]!.filter((d) => Math.sign(d) === -Math.sign(typical)).length;
  const reversed = typical !== 0 && usual >= 0.65 && against >= 0.8 * steps[at]!.length && moved * typical < 0;
  const widths = scale > 0 ? Math.abs(moved) / scale : 0;
  const medianWidths = (widths * Math.sqrt(steps[at]!.length)) / 1.2533;
  if (!(scale > 0) || (widths < 5 && !(reversed && medianWidths >= 8))) return null;
  const runnerUp = Math.max(
    0,
    ...steps.flatMap((s, i) => {
      if (i === at || !seen[i]) return [];
      const off = (median(s) ?? 0) - typical;
      return Math.sign(off) === Math.sign(moved) ? [Math.abs(off)] : [];
    }),
  );
  if (Math.abs(moved) < 2 * runnerUp) return null;
  const sameWay = steps[at]!.filter((d) => Math.sign(d - typical) === Math.sign(moved)).length;
  const of = steps[at]!.length;
  if (sameWay < 0.8 * of) return null;
  const p = ctx.tested(Math.min(1, 2 * binomialUpperTail(sameWay, of) * (n - 1)));
  const [before, after] = [values[at - 1]!, values[at]!];
  const relative = before !== 0 ? (after - before) / Math.abs(before) : Number.POSITIVE_INFINITY;
  // Nine in ten entities moving together make a smaller move a shock too (a drought year's yields down 17%
  // on 230 of 237 fields).
  const floor = reversed ? 0.05 : sameWay >= 0.9 * of ? 0.15 : 0.3;
  if (p > 0.001 || Math.abs(relative) < floor || Math.sign(after - before) !== Math.sign(moved)) return null;
  if ((series.rows[at] ?? 0) < needed || (series.rows[at - 1] ?? 0) < needed) return null;
  return shockFact(measure, series, scope, timeColumn, {
    start: at - 1,
    at,
    p,
    // A turn against the usual way is as large as it is broad (nine in ten entities), below a deep collapse.
    effect: Math.max(relativeEffect(relative), reversed ? (0.9 * against) / steps[at]!.length : 0),
    yearSteps: 0,
    multiple: null,
    // Told as "28 of 29 fell": the entities that moved that way, not those that merely grew less than usual.
    entities: { sameWay: steps[at]!.filter((d) => Math.sign(d) === Math.sign(moved)).length, of },
  });
}

/** The fact of a shock from the period at `start` to the one at `at`: where it went and where it ended. */
function shockFact(
  measure: Measure,
  series: Series,
  scope: Scope,
  timeColumn: string,
  found: {
    start: number;
    at: number;
    p: number;
    effect: number;
    /** Periods in a year where the calendar was taken out (the same month a year earlier is told), else 0. */
    yearSteps: number;
    /** The step against the series' typical step, where the move took one step. */
    multiple: number | null;
    /** A panel's entities that moved the way the whole did, of those seen either side. */
    entities?: { sameWay: number; of: number };
  },
): Fact {
  const { start, at, yearSteps } = found;
  const values = series.values;
  const n = values.length;
  const [before, after, next] = [values[start]!, values[at]!, values[at + 1]!];
  const period = series.periods[at]!;
  const id = `spike:${slug(measure.id)}:${scopeKey(scope)}:${period.slice(0, 10)}`;
  const claims = new ClaimSet(id);
  const role = valueRole(measure);
  claims.period('period', period, periodLabel(period, series.granularity));
  claims.period('previousPeriod', series.periods[start]!, periodLabel(series.periods[start]!, series.granularity));
  claims.measure('previousValue', before, measure, role);
  claims.measure('value', after, measure, role);
  claims.change('changePct', before, after, measure, role, movesInUnits(measure));
  if (found.multiple !== null) claims.ratio('stepMultiple', found.multiple);
  claims.period('nextPeriod', series.periods[at + 1]!, periodLabel(series.periods[at + 1]!, series.granularity));
  claims.measure('nextValue', next, measure, role);
  claims.period('lastPeriod', series.periods[n - 1]!, periodLabel(series.periods[n - 1]!, series.granularity));
  claims.measure('lastValue', values[n - 1]!, measure, role);
  // Within a cycle, the same month a year earlier is the fair comparison (April 2020 against April 2019).
  if (yearSteps > 0 && at >= yearSteps) {
    const yearAgo = series.periods[at - yearSteps]!;
    claims.period('yearAgoPeriod', yearAgo, periodLabel(yearAgo, series.granularity));
    claims.measure('yearAgoValue', values[at - yearSteps]!, measure, role);
    claims.change('yearAgoChangePct', values[at - yearSteps]!, after, measure, role, movesInUnits(measure));
  }
  if (found.entities) {
    claims.count('sameWayEntities', found.entities.sameWay);
    claims.count('entitiesSeen', found.entities.of);
  }
  addYearsAround(claims, series, measure, start, at);
  return makeFact({
    id,
    type: 'spike',
    measureId: measure.id,
    ...scopeFields(scope, measure, timeColumn),
    p: found.p,
    effect: found.effect,
    impact: scope.impact,
    claims: claims.claims,
    data: {
      granularity: series.granularity,
      direction: after > before ? 'up' : 'down',
      shock: true,
      points: points(series),
      index: at,
      from: start,
      at: period,
      expected: series.periods.slice(Math.max(0, start - 5), at + 1).map((t) => ({ t, value: before })),
    },
  });
}

/**
 * Where a monthly series stood in its last whole calendar year against the last whole year before a shock
 * (2023's traffic was 93.7% of 2019's): totals for a measure that adds up, averages otherwise.
 */
function addYearsAround(claims: ClaimSet, series: Series, measure: Measure, start: number, at: number): void {
  const role = valueRole(measure);
  // A yearly series: its last year against the one the shock left (2023's traffic 98.3% of 2019's).
  if (series.granularity === 'year') {
    const [last, base] = [series.values.length - 1, series.values[start]!];
    if (last <= at + 1 || !(base > 0)) return;
    const [baseYear, recentYear] = [series.periods[start]!, series.periods[last]!];
    claims.period('baseYear', baseYear, baseYear.slice(0, 4));
    claims.measure('baseYearValue', base, measure, role);
    claims.period('recentYear', recentYear, recentYear.slice(0, 4));
    claims.measure('recentYearValue', series.values[last]!, measure, role);
    if (measure.format.kind !== 'percent') claims.percent('recentOfBase', (100 * series.values[last]!) / base);
    return;
  }
  if (series.granularity !== 'month') return;
  const wholeYears = new Map<number, number>();
  for (const [i, t] of series.periods.entries())
    if (t.slice(5, 7) === '01' && series.periods[i + 11]?.slice(0, 7) === `${t.slice(0, 4)}-12`)
      wholeYears.set(Number(t.slice(0, 4)), i);
  const before = [...wholeYears].filter(([, i]) => i + 11 <= start).at(-1);
  const after = [...wholeYears].filter(([, i]) => i > at).at(-1);
  if (!before || !after) return;
  const [base, recent] = [yearOf(series.values, before[1], 12, measure), yearOf(series.values, after[1], 12, measure)];
  if (!(base > 0)) return;
  claims.period('baseYear', `${before[0]}-01-01`, String(before[0]));
  claims.measure('baseYearValue', base, measure, role);
  claims.period('recentYear', `${after[0]}-01-01`, String(after[0]));
  claims.measure('recentYearValue', recent, measure, role);
  // A rate's two years are read side by side ("4.3% against 3.5%"), not as a ratio of rates.
  if (measure.format.kind !== 'percent') claims.percent('recentOfBase', (100 * recent) / base);
}

export type Cycle = 'weekday' | 'hour' | 'month' | 'quarter';

const cycleSpec: Record<Cycle, { period: number; label: (position: number) => string; source: Granularity }> = {
  weekday: { period: 7, label: (p) => weekdayName(p + 1), source: 'day' },
  hour: { period: 24, label: (p) => `${String(p).padStart(2, '0')}:00`, source: 'hour' },
  month: { period: 12, label: (p) => monthName(p), source: 'month' },
  quarter: { period: 4, label: (p) => `Q${p + 1}`, source: 'quarter' },
};

/** Cycles over a year (by month or by quarter): measured around the trend, which moves across years. */
export const isYearlyCycle = (cycle: unknown) => cycle === 'month' || cycle === 'quarter';

/**
 * A ratio (spend per conversion) at each position of a weekly or daily cycle from its sums: the weekend's
 * spend over its conversions, not the average of its days' ratios, where a quiet day's $400 would count
 * as much as a busy day's $25. Partial first and last periods stay out (the span of `series`).
 */
export async function pooledByPosition(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  cycle: Cycle,
): Promise<(number | null)[] | undefined> {
  const parts = isYearlyCycle(cycle) ? null : ratioParts(measure, ctx.profile.measures);
  if (!parts) return undefined;
  const pooled = pooledRatios(await ctx.q.series(series.granularity, parts), series.periods, (t) =>
    positionOf(cycle, t),
  );
  return Array.from({ length: cycleSpec[cycle].period }, (_, position) => pooled.get(position) ?? null);
}

export function positionOf(cycle: Cycle, iso: string): number {
  if (cycle === 'hour') return Number(iso.slice(11, 13));
  if (cycle === 'month') return Number(iso.slice(5, 7)) - 1;
  if (cycle === 'quarter') return Math.floor((Number(iso.slice(5, 7)) - 1) / 3);
  const day = new Date(`${iso.slice(0, 10)}T00:00:00Z`).getUTCDay();
  return (day + 6) % 7; // Monday = 0
}

/**
 * A yearly cycle is measured around the trend, two ways: residuals from a centred 12-month moving average
 * (follows a bending trend, but loses half a year at each end) and residuals from a straight line (keeps
 * every month: with four years of rainfall, the moving average leaves three values per month and misses a
 * plain wet-winter rhythm). The clearer of the two counts, its p doubled (Bonferroni) for having had two tries.
 */
export function yearlyProfile(values: number[], positions: number[], period: number): SeasonalProfile | null {
  const profiles: SeasonalProfile[] = [];
  const residuals = detrendMovingAverage(values, period).residuals.map((r) => (r === null ? Number.NaN : r));
  // Two years or little more: the moving average leaves about one value per month, nothing to compare within.
  if (residuals.filter(Number.isFinite).length >= 1.5 * period) {
    const aroundAverage = seasonalProfile(residuals, positions, period, { movingAverageResiduals: true });
    if (aroundAverage) profiles.push(aroundAverage);
  }
  const line = ols(
    values.map((_, i) => i),
    values,
  );
  if (line) {
    const aroundLine = seasonalProfile(
      values.map((v, i) => v - (line.intercept + line.slope * i)),
      positions,
      period,
    );
    if (aroundLine) profiles.push(aroundLine);
  }
  const best = profiles.reduce<SeasonalProfile | null>((a, b) => (a === null || b.p < a.p ? b : a), null);
  return best && profiles.length > 1 ? { ...best, p: Math.min(1, 2 * best.p) } : best;
}

/**
 * A daily (or weekly) swing that a level moving across the year hides: a river's water is 1.6 °C warmer at
 * 16:00 than at 05:00 every day, but the seasons move it by 15 °C, so the hours explain under 5% of the
 * raw variance. Where the raw profile fails, the swing is tested within each day (each week) instead
 * (`withinTurnProfile`), its p doubled for the second try; the positions come from that test and the values
 * told stay the raw averages at them. Only a clear-cut swing counts (p ≤ 0.001 after doubling, η² ≥ 0.1).
 */
function withinTurns(
  raw: SeasonalProfile,
  series: Series,
  positions: number[],
  cycle: Cycle,
  level: number,
): SeasonalProfile | null {
  const slight = (profile: SeasonalProfile) =>
    level === 0 || (profile.amplitude / level < 0.02 && profile.etaSquared < 0.5);
  if (raw.p <= 0.05 && raw.etaSquared >= 0.05 && !slight(raw)) return null;
  const turns = series.periods.map((t, i) =>
    cycle === 'hour'
      ? t.slice(0, 10)
      : Math.round(Date.parse(`${t.slice(0, 10)}T00:00:00Z`) / 86_400_000) - positions[i]!,
  );
  const within = withinTurnProfile(series.values, positions, turns, cycleSpec[cycle].period);
  // A second try on values that hang together for days (a flood's turbid week) must be clear-cut.
  if (!within || within.p > 0.0005 || within.etaSquared < 0.1) return null;
  const [peak, trough] = [raw.means[within.peak], raw.means[within.trough]];
  if (peak === null || peak === undefined || trough === null || trough === undefined) return null;
  const told = { ...raw, peak: within.peak, trough: within.trough, amplitude: peak - trough };
  return { ...told, p: Math.min(1, 2 * within.p), etaSquared: within.etaSquared };
}

/** A log with no additive column but its count of rows (visits with their waits and ages). */
const countAlone = (ctx: DetectorContext) =>
  !ctx.profile.measures.some((m) => m.aggregation === 'sum' && m.id !== ROWS_MEASURE_ID && !m.ratio);

/**
 * The size of a count's daily or weekly swing, as an effect: quiet nights and a 17:00 rush (the peak hour
 * several times the average) are the story of a trip log even where each hour's count is too noisy for the
 * hours to explain most of the variance (η). A swing as large as twice the level counts fully. A log's
 * additive totals (takings, items) swing with its rows and count alike. Over a day, arrivals in a log with no
 * total of its own (visits with their waits) count fully from a swing of 1.2 times the level (4 an hour at
 * 19:00, 1 at 04:00); a shop's day is told by its takings, with the orders behind them.
 */
function swingEffect(ctx: DetectorContext, measure: Measure, cycle: Cycle, relativeAmplitude: number): number {
  if (isYearlyCycle(cycle)) return 0;
  const total = ctx.profile.rowsAreEvents && measure.aggregation === 'sum' && measure.nonNegative && !measure.ratio;
  if (measure.id !== ROWS_MEASURE_ID && !total) return 0;
  return Math.min(1, relativeAmplitude / (cycle === 'hour' && countAlone(ctx) ? 1.2 : 2));
}

/**
 * A repeating cycle (day of week, hour of day, month of year): a one-way ANOVA of the value by its
 * position in the cycle; yearly cycles are measured on values detrended with a 12-month moving average.
 */
export function detectSeasonality(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  cycle: Cycle,
  timeColumn: string,
  /** A ratio's value at each position from its pooled sums (`pooledByPosition`): what the text tells. */
  pooled?: (number | null)[],
): Fact | null {
  const spec = cycleSpec[cycle];
  const cycles = series.values.length / spec.period;
  const yearly = isYearlyCycle(cycle);
  // Two years show a yearly rhythm twice, detrended by a 12-month average; shorter cycles need three.
  if (cycles < (yearly ? 2 : 3)) return null;
  const positions = series.periods.map((t) => positionOf(cycle, t));
  const raw = yearly
    ? yearlyProfile(series.values, positions, spec.period)
    : seasonalProfile(series.values, positions, spec.period);
  if (!raw) return null;
  const level = mean(series.values.map(Math.abs)) ?? 0;
  const profile = yearly ? raw : (withinTurns(raw, series, positions, cycle, level) ?? raw);
  ctx.tested(profile.p);
  const relativeAmplitude = level === 0 ? 0 : profile.amplitude / level;
  // A yearly cycle is measured around the trend, so its size is judged by the variance it explains alone.
  // A swing under 2% of the level is small news, unless the cycle is most of what the series does: air
  // pressure near 101 kPa swings 0.8 kPa a day, and that is nearly all its movement (η² ≥ 0.5).
  const slight = !yearly && relativeAmplitude < 0.02 && profile.etaSquared < 0.5;
  // Values equal but for rounding in the last bit (lanes opened to the same roster every day) have no
  // rhythm at all, however small the F test's denominator makes its p.
  const none = relativeAmplitude < 1e-6;
  if (profile.p > 0.05 || profile.etaSquared < 0.05 || slight || none) return null;
  // Seen only twice, a yearly rhythm must be clear-cut: one noise file in twenty would pass at 5%.
  if (cycles < 3 && (profile.p > 0.001 || profile.etaSquared < 0.5)) return null;
  const id = `season:${slug(measure.id)}:${cycle}`;
  const claims = new ClaimSet(id);
  // The test runs on the periods' values; a ratio's level at each position is told from its sums.
  if (pooled?.every((value, i) => (value === null) === (profile.means[i] === null))) {
    const present = pooled.flatMap((value, position) => (value === null ? [] : [{ position, value }]));
    profile.means = pooled;
    profile.peak = present.reduce((a, b) => (b.value > a.value ? b : a)).position;
    profile.trough = present.reduce((a, b) => (b.value < a.value ? b : a)).position;
    profile.amplitude = pooled[profile.peak]! - pooled[profile.trough]!;
  }
  const means = profile.means.map((m) => m ?? 0);
  claims.add('peak', spec.label(profile.peak), 'period', spec.label(profile.peak));
  claims.add('trough', spec.label(profile.trough), 'period', spec.label(profile.trough));
  const role = valueRole(measure);
  if (yearly) {
    // Values are deviations from the trend: say them as "+3.1 above / 3.3 below the trend".
    claims.measure('peakDeviation', Math.abs(means[profile.peak]!), measure, 'average');
    claims.measure('troughDeviation', Math.abs(means[profile.trough]!), measure, 'average');
  } else {
    // A handful an hour is an average with its decimals ("3.94 at 19:00"), not a rounded total ("4").
    const told = measure.aggregation === 'sum' && Math.abs(means[profile.peak]!) < 10 ? 'average' : role;
    claims.measure('peakValue', means[profile.peak]!, measure, told);
    claims.measure('troughValue', means[profile.trough]!, measure, told);
  }
  claims.measure('amplitude', profile.amplitude, measure, 'average');
  if (means[profile.trough]! > 0)
    claims.percent('peakVsTroughPct', percentChange(means[profile.peak]!, means[profile.trough]!));
  let weekendShape: 'high' | 'low' | null = null;
  if (cycle === 'weekday') {
    // Days the file never has (shops closed on Sundays) are no days of nothing: they stay out of both sides.
    const seen = (days: number[]) =>
      days.filter((day) => profile.means[day] !== null && profile.means[day] !== undefined);
    const weekend = mean(seen([5, 6]).map((day) => means[day]!)) ?? 0;
    const weekday = mean(seen([0, 1, 2, 3, 4]).map((day) => means[day]!)) ?? 0;
    const ranked = seen([0, 1, 2, 3, 4, 5, 6]).sort((a, b) => means[b]! - means[a]!);
    const topTwo = new Set(ranked.slice(0, 2));
    const bottomTwo = new Set(ranked.slice(-2));
    // Told as weekends against weekdays only when that split is most of the week's rhythm: a Friday peak
    // with a quiet Saturday and Sunday is a Friday story (the split explained a fifth of it).
    const days = ranked.map((day) => means[day]!);
    const grand = mean(days) ?? 0;
    const spread = days.reduce((sum, m) => sum + (m - grand) ** 2, 0);
    const split = seen([0, 1, 2, 3, 4]).length * (weekday - grand) ** 2 + seen([5, 6]).length * (weekend - grand) ** 2;
    const mostly = spread > 0 && split >= 0.5 * spread;
    if (mostly && topTwo.has(5) && topTwo.has(6)) weekendShape = 'high';
    if (mostly && bottomTwo.has(5) && bottomTwo.has(6)) weekendShape = 'low';
    claims.measure('weekendMean', weekend, measure, role);
    claims.measure('weekdayMean', weekday, measure, role);
    // On an interval scale (°C) or for a percentage, the gap is a difference (1.04 °C, 3.2 points), never a
    // percent change of it.
    if (movesInUnits(measure)) claims.measure('weekendVsWeekdayPct', weekend - weekday, measure, 'average');
    else claims.percent('weekendVsWeekdayPct', percentChange(weekend, weekday));
    if (weekday > 0) claims.ratio('weekendRatio', weekend / weekday);
    if (weekendShape !== null)
      volumeAndSize(ctx, claims, measure, series, positions, { High: (p) => p >= 5, Low: (p) => p < 5 }, [
        'Weekend',
        'Weekday',
      ]);
    else {
      oneDayApart(claims, measure, means, ranked, spec.label);
      peakDayAgainstBaseline(claims, measure, means, ranked, weekday);
    }
  }
  if (cycle === 'hour') {
    const { peak, trough } = profile;
    volumeAndSize(ctx, claims, measure, series, positions, { High: (p) => p === peak, Low: (p) => p === trough }, [
      'Peak',
      'Trough',
    ]);
  }
  return makeFact({
    id,
    type: 'seasonality',
    measureId: measure.id,
    columns: [timeColumn, ...measure.columns],
    p: profile.p,
    effect: Math.max(Math.sqrt(profile.etaSquared), swingEffect(ctx, measure, cycle, relativeAmplitude)),
    impact: 1,
    // When the events of a log happen over the day (quiet nights, a 17:00 rush) is what its reader asks
    // first: a deep daily swing in their count is news, whatever the count's modest prior.
    surprise:
      (cycle === 'hour' && measure.id === ROWS_MEASURE_ID && ctx.profile.rowsAreEvents && relativeAmplitude >= 1
        ? 1.25
        : 1) * (stockOfItsFlows(ctx, measure) ? 0.7 : 1),
    claims: claims.claims,
    data: {
      cycle,
      granularity: series.granularity,
      weekendShape,
      profile: means.map((value, position) => ({ label: spec.label(position), value, n: profile.counts[position] })),
      peak: profile.peak,
      trough: profile.trough,
      relativeAmplitude,
      detrended: yearly,
    },
  });
}

/**
 * A week whose rhythm is one day apart from six alike (a Saturday with one shift of three; Tuesday "peaks"
 * at 10,851 against 10,800): that day is the story, against the range of the others. Claims `oneDay`,
 * `oneDayValue`, `othersLow`, `othersHigh` and `oneDayVsOthersPct`.
 */
function oneDayApart(
  claims: ClaimSet,
  measure: Measure,
  means: number[],
  ranked: number[],
  label: (position: number) => string,
): void {
  if (ranked.length < 4) return;
  const values = ranked.map((day) => means[day]!);
  const amplitude = values[0]! - values.at(-1)!;
  if (!(amplitude > 0)) return;
  // The day stands apart when the gap to its nearest neighbour is most of the whole week's swing.
  const low = values.at(-2)! - values.at(-1)! >= 0.6 * amplitude;
  const high = values[0]! - values[1]! >= 0.6 * amplitude;
  if (low === high) return;
  const [day, others] = low ? [ranked.at(-1)!, ranked.slice(0, -1)] : [ranked[0]!, ranked.slice(1)];
  const otherValues = others.map((d) => means[d]!);
  const role = valueRole(measure);
  claims.add('oneDay', label(day), 'period', label(day));
  claims.measure('oneDayValue', means[day]!, measure, role);
  claims.measure('othersLow', Math.min(...otherValues), measure, role);
  claims.measure('othersHigh', Math.max(...otherValues), measure, role);
  const othersMean = mean(otherValues)!;
  if (movesInUnits(measure)) claims.measure('oneDayVsOthersPct', means[day]! - othersMean, measure, 'average');
  else if (othersMean > 0) claims.percent('oneDayVsOthersPct', percentChange(means[day]!, othersMean));
}

/**
 * A stock whose flows the file also counts (active subscribers beside new subscribers and cancellations): its
 * rhythm is what the flows put in and took out, told better by them.
 */
function stockOfItsFlows(ctx: DetectorContext, measure: Measure): boolean {
  if (!measure.stockPer || measure.columns.length !== 1) return false;
  return ctx.profile.measures.some(
    (m) =>
      m !== measure &&
      !m.stockPer &&
      m.aggregation === 'sum' &&
      m.columns.length === 1 &&
      countsTheSameThings(m.columns[0]!, measure.columns[0]!),
  );
}

/**
 * A week without a weekend shape told by its busiest day against a baseline: a weekend peak (Saturday's
 * shoppers, with Sundays near closed) against the average weekday, a weekday peak against the other
 * weekdays. Claims `peakVsWeekdayPct` or `peakVsOtherWeekdaysPct`, and `peakBaselineMean`.
 */
function peakDayAgainstBaseline(
  claims: ClaimSet,
  measure: Measure,
  means: number[],
  ranked: number[],
  weekdayMean: number,
): void {
  const peak = ranked[0];
  if (peak === undefined || ranked.length < 4) return;
  const weekend = peak >= 5;
  const baseline = weekend ? weekdayMean : mean(ranked.filter((d) => d !== peak && d < 5).map((d) => means[d]!));
  if (baseline === null || !(baseline > 0)) return;
  const name = weekend ? 'peakVsWeekdayPct' : 'peakVsOtherWeekdaysPct';
  claims.measure('peakBaselineMean', baseline, measure, valueRole(measure));
  if (movesInUnits(measure)) claims.measure(name, means[peak]! - baseline, measure, 'average');
  else claims.percent(name, percentChange(means[peak]!, baseline));
}

/**
 * A total's rhythm split into volume and size, where rows are events (orders): the rows an average period
 * has on each side of the rhythm (a weekend day against a weekday; the peak hour against the trough hour)
 * and the total per row on each — "mostly more orders" or "larger ones too". Claims `rows{High}Mean`,
 * `rows{Low}Mean`, `rows{High}Vs{Low}Pct`, `perRow{High}` and `perRow{Low}`.
 */
function volumeAndSize(
  ctx: DetectorContext,
  claims: ClaimSet,
  measure: Measure,
  series: Series,
  positions: number[],
  sides: { High: (position: number) => boolean; Low: (position: number) => boolean },
  names: [high: string, low: string],
) {
  if (!ctx.profile.rowsAreEvents || measure.aggregation !== 'sum' || measure.id === ROWS_MEASURE_ID) return;
  if (measure.ratio || measure.perRowOf || measure.stockPer || !measure.nonNegative) return;
  const rowsMeasure = ctx.profile.measures.find((m) => m.id === ROWS_MEASURE_ID);
  if (!rowsMeasure || rowsMeasure.label === 'rows') return;
  const side = (keep: (position: number) => boolean) => {
    const entry = { value: 0, rows: 0, periods: 0 };
    positions.forEach((position, i) => {
      if (!keep(position)) return;
      entry.value += series.values[i]!;
      entry.rows += series.rows[i]!;
      entry.periods += 1;
    });
    return entry;
  };
  const [high, low] = [side(sides.High), side(sides.Low)];
  if (high.rows === 0 || low.rows === 0 || high.periods === 0 || low.periods === 0) return;
  const [highRows, lowRows] = [high.rows / high.periods, low.rows / low.periods];
  const [h, l] = names;
  claims.measure(`rows${h}Mean`, highRows, rowsMeasure, 'average');
  claims.measure(`rows${l}Mean`, lowRows, rowsMeasure, 'average');
  claims.percent(`rows${h}Vs${l}Pct`, percentChange(highRows, lowRows));
  claims.measure(`perRow${h}`, high.value / high.rows, measure, 'raw');
  claims.measure(`perRow${l}`, low.value / low.rows, measure, 'raw');
}

/**
 * A member's share of an additive total drifting over time (renewables from 3.5% to 38.8% of generation):
 * Mann–Kendall on the share series, kept when the share moves by at least five points.
 */
export function detectShareShift(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  scope: Scope,
  timeColumn: string,
): Fact | null {
  const siblings = scope.siblings ?? [];
  if (measure.aggregation !== 'sum' || siblings.length === 0 || series.values.length < 6) return null;
  const shares: number[] = [];
  const periods: string[] = [];
  const totals: number[] = [];
  // Only over the span every member covers: a member's first or last period may be left out as partial
  // (its first row on the 9th), and the whole would then be this member alone ("100% of all quantity").
  const spans = [series, ...siblings.map((s) => s.series)].filter((s) => s.periods.length > 0);
  const from = spans.map((s) => s.periods[0]!).reduce((a, b) => (a > b ? a : b));
  const to = spans.map((s) => s.periods.at(-1)!).reduce((a, b) => (a < b ? a : b));
  // Each sibling's value by period, looked up once per period (not searched for).
  const byPeriod = siblings.map(({ series: other }) => valuesByPeriod(other));
  series.periods.forEach((period, i) => {
    if (period < from || period > to) return;
    let total = series.values[i]!;
    for (const values of byPeriod) total += values.get(period) ?? 0;
    if (total > 0) {
      shares.push(series.values[i]! / total);
      periods.push(period);
      totals.push(total);
    }
  });
  if (shares.length < 6) return null;
  // Shares of almost nothing (the last days of an outbreak: 40 cases, all in Spain) say nothing of the mix.
  const typical = median(totals) ?? 0;
  if (totals[0]! < 0.1 * typical || totals[totals.length - 1]! < 0.1 * typical) return null;
  const mk = mannKendall(shares);
  ctx.tested(mk.p);
  const first = shares[0]!;
  const last = shares[shares.length - 1]!;
  if (mk.p > 0.05 || Math.abs(last - first) < 0.05) return null;
  const id = `share:${slug(measure.id)}:${scopeKey(scope)}`;
  const claims = new ClaimSet(id);
  const role = 'total' as const;
  claims.period('firstPeriod', periods[0]!, periodLabel(periods[0]!, series.granularity));
  claims.period(
    'lastPeriod',
    periods[periods.length - 1]!,
    periodLabel(periods[periods.length - 1]!, series.granularity),
  );
  claims.percent('firstShare', first * 100);
  claims.percent('lastShare', last * 100);
  claims.percent('shareChangePoints', Math.abs(last - first) * 100);
  const firstValue = series.values[series.periods.indexOf(periods[0]!)]!;
  const lastValue = series.values[series.periods.indexOf(periods[periods.length - 1]!)]!;
  // A January week against a December week may be the season's move, not the member's: over two years or
  // more, its own values are told only when they moved the way its first and last years did.
  const lag = PERIODS_A_YEAR[series.granularity];
  const yearly =
    lag && series.values.length >= 2 * lag
      ? Math.sign((mean(series.values.slice(-lag)) ?? 0) - (mean(series.values.slice(0, lag)) ?? 0))
      : null;
  if (yearly === null || yearly === Math.sign(lastValue - firstValue)) {
    claims.measure('firstValue', firstValue, measure, role);
    claims.measure('lastValue', lastValue, measure, role);
    // From nothing, a change has no percentage ("grew from 0 to 1,504").
    if (firstValue > 0) claims.percent('valueChangePct', percentChange(lastValue, firstValue));
  }
  const peak = series.values.indexOf(Math.max(...series.values));
  // A peak worth naming stands clear of where the series ended (not the last value met earlier).
  if (peak > 0 && peak < series.values.length - 1 && series.values[peak]! > 1.05 * lastValue) {
    claims.period('peakPeriod', series.periods[peak]!, periodLabel(series.periods[peak]!, series.granularity));
    claims.measure('peakValue', series.values[peak]!, measure, role);
    claims.percent('fromPeakPct', percentChange(lastValue, series.values[peak]!));
  }
  return makeFact({
    id,
    type: 'share_shift',
    measureId: measure.id,
    ...scopeFields(scope, measure, timeColumn),
    p: mk.p,
    effect: Math.min(1, Math.abs(last - first) / 0.2),
    impact: Math.max(first, last, scope.impact),
    claims: claims.claims,
    data: {
      granularity: series.granularity,
      direction: last > first ? 'up' : 'down',
      shares: periods.map((t, i) => ({ t, value: shares[i]! })),
      points: points(series),
      siblings: siblings.map((s) => ({ member: s.member, points: points(s.series) })),
    },
  });
}
