import { mean } from '../../stats/index.ts';
import { ClaimSet, valueRole } from '../narrative/format.ts';
import type { MemberBucket } from '../queries.ts';
import { addPeriods, periodLabel } from '../time.ts';
import { type Fact, type Granularity, type Measure, ROWS_MEASURE_ID } from '../types.ts';
import { type DetectorContext, makeFact, relativeEffect, slug } from './context.ts';
import type { Scope } from './temporal.ts';

/** Periods a stop must last (days: a week), and active periods the member needs around it. */
const CLOSURE = { minLength: 2, minDays: 7, minActive: 6, around: 6 } as const;

/** A measure whose zero means "nothing happened": a total of non-negative amounts, or rows of events. */
export function countsActivity(measure: Measure, rowsAreEvents: boolean): boolean {
  if (measure.id === ROWS_MEASURE_ID) return rowsAreEvents;
  return (
    measure.aggregation === 'sum' &&
    measure.nonNegative &&
    !measure.ratio &&
    !measure.stockPer &&
    !measure.interval &&
    !measure.runningTotal &&
    !measure.weightedBy
  );
}

type State = 'active' | 'stopped' | 'unknown';

/**
 * A member that stopped: a run of periods with nothing (the total at zero, or no rows at all) after periods
 * where it was active — a store closed for three months, a product out of stock, a site down — either back
 * afterwards or stopped to the end of the data. The rest of the breakdown must have carried on (a gap of
 * the whole table is the data's, told as missing periods). A run at the start is a launch, not a stop.
 *
 * Chance: each period is taken to be empty with probability q, the larger of the member's empty periods
 * outside the run (plus a half, over its other periods plus one) and — where rows are events — the Poisson
 * chance of no rows at its median rows per active period; p = positions · q^length (Bonferroni over the
 * places a run could start). A product sold twice a month misses whole months by chance; a store that
 * sold every month for two years does not.
 */
export function detectClosure(
  ctx: DetectorContext,
  measure: Measure,
  activity: Activity,
  calendar: { periods: string[]; granularity: Granularity },
  scope: Scope & { siblingStates: State[][] },
  timeColumn: string,
): Fact | null {
  const { periods, granularity } = calendar;
  const { states, values } = activity;
  const n = periods.length;
  const minLength = granularity === 'day' ? CLOSURE.minDays : CLOSURE.minLength;
  const minActive = granularity === 'day' ? 4 * CLOSURE.minDays : CLOSURE.minActive;
  if (n < minActive + minLength) return null;
  const firstActive = states.indexOf('active');
  if (firstActive < 0) return null;
  // The longest run of stopped periods after the member's first active one (the earliest of equals).
  let best: { from: number; length: number } | null = null;
  for (let i = firstActive + 1; i < n; i++) {
    if (states[i] !== 'stopped' || states[i - 1] === 'stopped') continue;
    let end = i;
    while (end < n && states[end] === 'stopped') end++;
    if (states[i - 1] === 'active' && (end === n || states[end] === 'active') && (!best || end - i > best.length))
      best = { from: i, length: end - i };
  }
  if (!best || best.length < minLength) return null;
  const { from, length } = best;
  const to = from + length;
  const active = states.filter((s) => s === 'active').length;
  const stoppedElsewhere = states.filter((s, i) => s === 'stopped' && i >= firstActive && (i < from || i >= to)).length;
  if (active < minActive || active < length) return null;
  // The others carried on: most of the members active just before it stayed active through it.
  const siblings = scope.siblingStates;
  const before = siblings.filter((s) => s[from - 1] === 'active');
  const carriedOn = before.filter((s) => s.slice(from, to).every((state) => state === 'active'));
  if (before.length === 0 || carriedOn.length < 0.75 * before.length) return null;
  let q = (stoppedElsewhere + 0.5) / (active + stoppedElsewhere + 1);
  if (ctx.profile.rowsAreEvents) {
    const rows = activity.rows.filter((_, i) => states[i] === 'active');
    rows.sort((a, b) => a - b);
    q = Math.max(q, Math.exp(-rows[Math.floor(rows.length / 2)]!));
  }
  const p = ctx.tested(Math.min(1, (n - firstActive) * q ** length));
  if (p > 0.05) return null;
  const resumed = to < n;
  // The level it stopped from (and came back to): its active periods just around the run.
  const near = periods
    .map((_, i) => i)
    .filter((i) => states[i] === 'active' && i >= from - CLOSURE.around && i < to + CLOSURE.around);
  const level = mean(near.map((i) => values[i]!)) ?? 0;
  if (!(level > 0)) return null;
  const start = periods[from]!;
  const id = `spike:${slug(measure.id)}:${slug(scope.dimension?.name ?? '')}-${slug(scope.member ?? '')}:${start.slice(0, 10)}`;
  const claims = new ClaimSet(id);
  const role = valueRole(measure);
  claims.period('period', start, periodLabel(start, granularity));
  claims.period('endPeriod', periods[to - 1]!, periodLabel(periods[to - 1]!, granularity));
  claims.count('length', length);
  claims.measure('value', 0, measure, role);
  claims.measure('expected', level, measure, role);
  claims.percent('changePct', -100);
  if (resumed) {
    claims.period('nextPeriod', periods[to]!, periodLabel(periods[to]!, granularity));
    claims.measure('nextValue', values[to]!, measure, role);
  }
  claims.count('othersActive', carriedOn.length);
  const points = periods.map((t, i) => ({ t, value: values[i]! }));
  const allOthers = carriedOn.length === before.length;
  return makeFact({
    id,
    type: 'spike',
    measureId: measure.id,
    subspace: { dimension: scope.dimension!.name, member: scope.member! },
    columns: [timeColumn, ...measure.columns, scope.dimension!.name],
    dimension: scope.dimension!.name,
    p,
    effect: relativeEffect(1),
    // A shop shut for three weeks is a whole event, however small its share of the total.
    impact: Math.max(scope.impact, 0.3),
    // Nobody else stopped: the member's own story.
    surprise: allOthers ? 1.3 : 1,
    claims: claims.claims,
    data: {
      granularity,
      direction: 'down',
      points,
      index: from,
      at: start,
      episode: { from, length },
      closure: { resumed, allOthers },
      expected: near.map((i) => ({ t: periods[i]!, value: level })),
      siblings: (scope.siblings ?? []).map((s) => ({
        member: s.member,
        points: s.series.periods.map((t, i) => ({ t, value: s.series.values[i]! })),
      })),
    },
  });
}

/** A member over the calendar: whether it was active in each period, and its value and rows there. */
export interface Activity {
  states: State[];
  values: number[];
  rows: number[];
}

/**
 * Rows with a positive value are active; none (or a zero) stopped; rows without a value unknown. Values and
 * rows are 0 where the member has no bucket.
 */
export function activityOf(buckets: MemberBucket[], periods: string[], index: number): Activity {
  const own = new Map(buckets.map((bucket) => [bucket.t, bucket]));
  const states = periods.map((t): State => {
    const bucket = own.get(t);
    if (!bucket || bucket.rows === 0) return 'stopped';
    const value = bucket.values[index];
    if (value === null || value === undefined || !Number.isFinite(value)) return 'unknown';
    return value > 0 ? 'active' : value === 0 ? 'stopped' : 'unknown';
  });
  return {
    states,
    values: periods.map((t) => Number(own.get(t)?.values[index] ?? 0) || 0),
    rows: periods.map((t) => own.get(t)?.rows ?? 0),
  };
}

/** A stop's first day and the day after its last. */
function spanOf(fact: Fact): readonly [string, string] {
  const points = fact.data.points as { t: string }[];
  const { from, length } = fact.data.episode as { from: number; length: number };
  const last = points[from + length - 1]!.t;
  return [points[from]!.t.slice(0, 10), addPeriods(last, fact.data.granularity as Granularity, 1).slice(0, 10)];
}

/** Two stops of one member that share a moment (the months of a stop, and its days). */
export function overlaps(a: Fact, b: Fact): boolean {
  const [aStart, aEnd] = spanOf(a);
  const [bStart, bEnd] = spanOf(b);
  return aStart < bEnd && bStart < aEnd;
}

/** Two stops that cover the same days (June to August, and June 1 to August 31). */
export function sameSpan(a: Fact, b: Fact): boolean {
  const [aStart, aEnd] = spanOf(a);
  const [bStart, bEnd] = spanOf(b);
  return aStart === bStart && aEnd === bEnd;
}

/** A member's fall, dip or shift that its stop explains: the same member, turning inside the stop. */
export function explainedByClosure(fact: Fact, closure: Fact): boolean {
  if (fact === closure || !fact.subspace || !closure.subspace) return false;
  if (fact.subspace.dimension !== closure.subspace.dimension || fact.subspace.member !== closure.subspace.member)
    return false;
  const falls =
    (fact.type === 'peak' && fact.data.shape === 'low') ||
    (fact.type === 'spike' && fact.data.direction === 'down') ||
    (fact.type === 'change_point' && Number(fact.data.meanAfter) < Number(fact.data.meanBefore));
  if (!falls) return false;
  const points = closure.data.points as { t: string }[];
  const { from, length } = closure.data.episode as { from: number; length: number };
  const at = String(fact.data.at ?? '');
  if (!at) return false;
  const first = points[from]!.t.slice(0, 10);
  // Through the period it came back in (a fall "to a low" is the stop; the recovery its end). The fact's own
  // period may be coarser: May as a month holds a stop of days from May 6.
  const last = (points[from + length] ?? points[from + length - 1]!).t.slice(0, 10);
  const granularity = fact.data.granularity as Granularity | undefined;
  const end = granularity ? addPeriods(at, granularity, 1).slice(0, 10) : at.slice(0, 10);
  return at.slice(0, 10) <= last && end > first;
}
