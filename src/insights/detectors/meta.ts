import { queryRows, quoteLiteral } from '../../db/duckdb.ts';
import {
  binomialUpperTail,
  combineSummaries,
  mannKendall,
  mean,
  median,
  normalSf,
  ols,
  percentChange,
  seasonalKendall,
  senSlope,
  summary,
  twoProportionTest,
  welchTTest,
} from '../../stats/index.ts';
import { ClaimSet, movesInUnits, valueRole } from '../narrative/format.ts';
import { byMember } from '../queries.ts';
import { PERIODS_A_YEAR, periodLabel } from '../time.ts';
import {
  type Dimension,
  type Fact,
  type Granularity,
  type Measure,
  nestedBreakdowns,
  ROWS_MEASURE_ID,
} from '../types.ts';
import { type DetectorContext, makeFact, relativeEffect, slug } from './context.ts';
import { pointsOf as points, type Series, toSeries, valuesByPeriod } from './series.ts';
import { yearOf } from './temporal.ts';

/** Each member's series of one measure at the analysis granularity. */
export async function memberSeries(
  ctx: DetectorContext,
  dimension: Dimension,
  measure: Measure,
  granularity: Granularity = ctx.granularity!,
): Promise<Map<string, Series>> {
  const time = ctx.profile.time!;
  const rows = await ctx.q.memberSeries(dimension, granularity, ctx.profile.measures);
  const index = ctx.profile.measures.indexOf(measure);
  const result = new Map<string, Series>();
  for (const [member, memberRows] of byMember(rows))
    result.set(member, toSeries(memberRows, index, granularity, time.granularity));
  return result;
}

/** One member going against the others, as found by either test below; `typicalChange` is in percent. */
interface Exception {
  member: string;
  series: Series;
  majorityUp: boolean;
  agree: number;
  members: number;
  typicalChange: number;
  /** The members that went the majority's way (for their typical change in units). */
  majority: Series[];
  /** Every member but the exception, where the majority was found by slopes: the story counts their ends. */
  others?: Series[];
  p: number;
  /** |exception's change − typical change|, relative. */
  gap: number;
  /** Name the turning point (the endpoint test, where the reversal came late). */
  withTurn: boolean;
}

/**
 * Pattern with exception (MetaInsight's commonness): most members move one way over the span, and one
 * member clearly goes the other ("revenue grew in 4 of 5 regions; West fell 30%"). Up to 20 members the
 * exception needs a trend of its own; above that, or when the shared trend has no such exception, the
 * endpoint test decides.
 */
export async function patternExceptionFacts(ctx: DetectorContext): Promise<Fact[]> {
  const { profile } = ctx;
  if (!profile.time || !ctx.granularity) return [];
  const facts: Fact[] = [];
  for (const dimension of profile.dimensions) {
    if (dimension.binary || dimension.cardinality < 3 || dimension.cardinality > 200) continue;
    if (!(await ctx.splitsTime(dimension))) continue;
    for (const measure of ctx.followedMeasures()) {
      const series = await memberSeries(ctx, dimension, measure);
      if ([...series.values()].every((s) => s.values.length < 4)) {
        const short = await shortSpanException(ctx, dimension, measure, series);
        const fact = short ? exceptionFact(ctx, dimension, measure, series, short) : null;
        if (fact) facts.push(fact);
        continue;
      }
      const byTrend = dimension.cardinality <= 20 ? trendException(ctx, series) : null;
      if (byTrend === 'no-pattern') continue;
      const exception = byTrend ?? endpointException(ctx, series, measure);
      const fact = exception ? exceptionFact(ctx, dimension, measure, series, exception) : null;
      if (fact) facts.push(fact);
    }
  }
  facts.push(...(await exceptionsWithin(ctx, facts)));
  // A store that fell while most rose, inside the region that fell while the others rose (Edinburgh, in
  // Scotland): the region's exception, seen in one of its stores, told once, by the region.
  const kept: Fact[] = [];
  for (const fact of facts) {
    let insideParent = false;
    for (const [child, parent] of profile.hierarchy) {
      if (child !== fact.dimension) continue;
      const above = (await ctx.parentsOf(child)).get(String(fact.data.member))?.[parent];
      insideParent ||= facts.some(
        (other) =>
          other.dimension === parent &&
          other.measureId === fact.measureId &&
          other.data.direction === fact.data.direction &&
          other.data.member === above,
      );
    }
    if (!insideParent) kept.push(fact);
  }
  return kept;
}

/**
 * The exception inside one member of another breakdown (manufacturing jobs fell in 17 of 18 countries;
 * Poland's rose 50%), where the whole table's members show none: for each pair of breakdowns that both
 * split time, the outer of 2–8 members and the inner of 4–40 (not nested), the inner members' series within
 * each outer member, read by the same tests. At most eight pairs, and up to 200,000 rows.
 */
async function exceptionsWithin(ctx: DetectorContext, found: Fact[]): Promise<Fact[]> {
  const { profile } = ctx;
  // Each pair is a grouped scan of the whole table (0.37 s for three pairs on a million order lines): kept
  // to the tables of a few thousand rows (a long table of countries × sectors × years) where this pattern lives.
  if (profile.rowCount > 200_000) return [];
  const splitting: Dimension[] = [];
  for (const d of profile.dimensions)
    if (!d.binary && !d.condition && d.cardinality >= 2 && d.cardinality <= 40 && (await ctx.splitsTime(d)))
      splitting.push(d);
  const pairs = splitting
    .flatMap((outer) =>
      splitting
        .filter(
          (inner) =>
            inner !== outer &&
            outer.cardinality <= 8 &&
            inner.cardinality >= 4 &&
            !nestedBreakdowns(profile.hierarchy, outer.name, inner.name),
        )
        .map((inner) => [outer, inner] as const),
    )
    .slice(0, 8);
  const facts: Fact[] = [];
  const separator = ' \u00b7 ';
  for (const [outer, inner] of pairs) {
    const both: Dimension = {
      ...inner,
      name: `${outer.name}${separator}${inner.name}`,
      sql: `(CAST(${outer.sql} AS VARCHAR) || '${separator}' || CAST(${inner.sql} AS VARCHAR))`,
      members: [],
      cardinality: outer.cardinality * inner.cardinality,
    };
    // (A count of rows inside a cell, runners aged 35–39 from each country, is the field's make-up, not news.)
    for (const measure of ctx.followedMeasures().filter((m) => m.id !== ROWS_MEASURE_ID)) {
      const cells = await memberSeries(ctx, both, measure);
      for (const member of outer.members) {
        const series = new Map(
          [...cells].flatMap(([key, s]) =>
            key.startsWith(`${member}${separator}`) ? [[key.slice(member.length + separator.length), s]] : [],
          ),
        );
        if (series.size < 4 || [...series.values()].some((s) => s.values.length < 4)) continue;
        const byTrend = series.size <= 20 ? trendException(ctx, series) : null;
        if (byTrend === 'no-pattern') continue;
        const exception = byTrend ?? endpointException(ctx, series, measure);
        if (!exception) continue;
        // The whole table's exception on the inner breakdown already names its member: no second telling.
        const told = found.some(
          (f) => f.dimension === inner.name && f.measureId === measure.id && f.data.member === exception.member,
        );
        if (told) continue;
        const fact = exceptionFact(ctx, inner, measure, series, exception, { dimension: outer.name, member });
        if (fact) facts.push(fact);
      }
    }
  }
  return facts;
}

/**
 * Sen slope per member: ≥ 60% move one way, and one member significantly (Mann–Kendall) the other.
 * 'no-pattern' when the members share no direction at all (then no endpoint test either).
 */
function trendException(ctx: DetectorContext, series: Map<string, Series>): Exception | 'no-pattern' | null {
  const moves = [...series.entries()]
    .filter(([, s]) => s.values.length >= 6)
    .map(([member, s]) => {
      const level = mean(s.values.map(Math.abs)) ?? 0;
      // Over two years or more of a yearly rhythm each month is compared with itself in other years
      // (seasonal Kendall): December's peaks neither hide a region's decline nor fake one.
      const lag = PERIODS_A_YEAR[s.granularity];
      const seasonal =
        lag && s.values.length >= 2 * lag && cycleLed(s.values, lag) ? seasonalKendall(s.values, lag) : null;
      if (seasonal) {
        const change = level > 0 ? (seasonal.slope * (s.values.length - 1)) / level : 0;
        return { member, series: s, change, p: seasonal.p, z: seasonal.z };
      }
      const index = s.values.map((_, i) => i);
      const sen = senSlope(index, s.values);
      const change = sen && level > 0 ? (sen.slope * (s.values.length - 1)) / level : 0;
      const mk = mannKendall(s.values);
      return { member, series: s, change, p: mk.p, z: mk.z };
    });
  // Two of three channels falling while the third rises is one channel gaining share, not a pattern with an
  // exception: a shared move needs three members at least besides the exception.
  if (moves.length < 4) return 'no-pattern';
  const ups = moves.filter((m) => m.change > 0.02).length;
  const downs = moves.filter((m) => m.change < -0.02).length;
  const majorityUp = ups >= downs;
  const majority = moves.filter((m) => (majorityUp ? m.change > 0.02 : m.change < -0.02));
  if (majority.length / moves.length < 0.6 || majority.length < 2) return 'no-pattern';
  const exception = moves
    .filter((m) => (majorityUp ? m.change < 0 : m.change > 0))
    .map((m) => ({ ...m, p: Math.min(1, m.p * moves.length) }))
    .sort((a, b) => a.p - b.p || Math.abs(b.change) - Math.abs(a.change))[0];
  if (!exception) return null;
  ctx.tested(exception.p);
  // The shared movement must be real too, not three of five noisy series ending a little lower: the
  // other members' Mann–Kendall z combined (Stouffer), one-sided in the majority's direction.
  const rest = moves.filter((m) => m !== exception && m.member !== exception.member);
  const combined = rest.reduce((sum, m) => sum + m.z, 0) / Math.sqrt(Math.max(1, rest.length));
  const sharedP = ctx.tested(normalSf(majorityUp ? combined : -combined));
  const typical = median(majority.map((m) => m.change)) ?? 0;
  if (exception.p > 0.05 || sharedP > 0.05 || Math.abs(exception.change) < 0.1) return null;
  const s = exception.series;
  return {
    member: exception.member,
    series: s,
    majorityUp,
    agree: majority.length,
    members: moves.length,
    typicalChange: typical * 100,
    majority: majority.map((m) => m.series),
    others: moves.filter((m) => m.member !== exception.member).map((m) => m.series),
    p: exception.p,
    gap: Math.abs(exception.change - typical),
    withTurn: false,
  };
}

/**
 * A series whose yearly rhythm is most of its swing: around a straight line, the position in the year (every
 * December) explains half of what is left or more.
 */
function cycleLed(values: number[], lag: number): boolean {
  const fit = ols(
    values.map((_, i) => i),
    values,
  );
  if (!fit) return false;
  const residuals = values.map((v, i) => v - fit.intercept - fit.slope * i);
  const total = residuals.reduce((sum, r) => sum + r * r, 0);
  if (!(total > 0)) return false;
  let between = 0;
  for (let position = 0; position < lag; position++) {
    const at = residuals.filter((_, i) => i % lag === position);
    if (at.length > 0) between += at.length * (mean(at) ?? 0) ** 2;
  }
  return between >= 0.5 * total;
}

/**
 * The lone member that ended lower (or higher) than it started while nearly all others did the opposite
 * ("life expectancy rose in 61 of 62 countries; South Africa ended below its 1955 level"). A reversal
 * late in the span has no significant trend of its own, so the test is on the pattern: the share of
 * members moving one way, against a fair coin (binomial tail). At most two exceptions, ≥ 90% agreement,
 * and the exception must differ from the typical change by at least 10 points.
 */
function endpointException(ctx: DetectorContext, series: Map<string, Series>, measure: Measure): Exception | null {
  const yearly = splitByYears(series, measure);
  const split = yearly ?? splitByEndpoints(series, (s) => s.values.length >= 4 && s.values[0]! !== 0);
  if (!split || split.members < 8) return null;
  const { majority, others } = split;
  if (others.length === 0 || others.length > 2 || majority.length / split.members < 0.9) return null;
  let p = ctx.tested(binomialUpperTail(majority.length, split.members));
  const exception = [...others].sort((a, b) => Math.abs(b.change) - Math.abs(a.change))[0]!;
  // The exception's own move, against the majority's direction (a seller going from 19 to 18 units is no
  // exception): over two years of months, its last year's months against its first year's; under two years
  // of a dozen periods or more, its first quarter of periods against its last (a small brewery's single
  // months swing by chance). Eight readings of a city, two years apart, are each a level of their own.
  const values = exception.series.values;
  const quarter = Math.floor(values.length / 4);
  const ends: [number[], number[]] | null = yearly
    ? yearly.windows.get(exception.member)!
    : values.length >= 12
      ? [values.slice(0, quarter), values.slice(-quarter)]
      : null;
  if (ends) {
    const [from, to] = ends;
    const own = welchTTest(summary(to), summary(from));
    const against = Math.sign(own.t) === (split.majorityUp ? -1 : 1);
    p = Math.max(p, ctx.tested(against ? Math.min(1, (own.p / 2) * others.length) : 1));
  }
  const result = exceptionOf(split, exception, p, !yearly);
  return p > 0.05 || result.gap < 0.1 ? null : result;
}

/**
 * Each member's first year of months against its last (the file's first and last twelve months), when the
 * months span two years or more: a January against a December is the season's move, not the member's (39 of
 * 40 sellers "rose" from a January to a December while 16 of them sold less in the second year). A member
 * missing more than two months of either year is left out; totals for what adds up, else averages.
 */
function splitByYears(series: Map<string, Series>, measure: Measure) {
  const lag = PERIODS_A_YEAR[[...series.values()][0]?.granularity ?? ''];
  if (!lag) return null;
  const periods = [...new Set([...series.values()].flatMap((s) => s.periods))].sort();
  if (periods.length < 2 * lag) return null;
  const [firstYear, lastYear] = [periods.slice(0, lag), periods.slice(-lag)];
  const windows = new Map<string, [number[], number[]]>();
  const moves: Move[] = [];
  for (const [member, s] of series) {
    const at = valuesByPeriod(s);
    const pick = (window: string[]) => window.flatMap((t) => (at.has(t) ? [at.get(t)!] : []));
    const [from, to] = [pick(firstYear), pick(lastYear)];
    if (from.length < 0.85 * lag || to.length < 0.85 * lag) continue;
    const level = (values: number[]) => mean(values)! * (measure.aggregation === 'sum' ? lag : 1);
    if (level(from) === 0) continue;
    windows.set(member, [from, to]);
    moves.push({ member, series: s, change: level(to) / level(from) - 1 });
  }
  return moves.length === 0 ? null : { ...byMajority(moves), windows };
}

interface Move {
  member: string;
  series: Series;
  /** Last value / first value − 1. */
  change: number;
}

/**
 * Each member's change from its first to its last value, among the members that `keep` accepts and that
 * span the same periods as the first of them, split into the majority's direction and the others.
 */
function splitByEndpoints(series: Map<string, Series>, keep: (s: Series) => boolean) {
  const moves: Move[] = [...series.entries()]
    .filter(([, s]) => keep(s))
    .map(([member, s]) => ({ member, series: s, change: s.values[s.values.length - 1]! / s.values[0]! - 1 }));
  const span = (s: Series) => `${s.periods[0]}|${s.periods[s.periods.length - 1]}`;
  const comparable = moves.filter((m) => span(m.series) === span(moves[0]!.series));
  return comparable.length === 0 ? null : byMajority(comparable);
}

/** Moves split into the majority's direction and the others (ties go up). */
function byMajority(moves: Move[]) {
  const ups = moves.filter((m) => m.change > 0);
  const downs = moves.filter((m) => m.change < 0);
  const majorityUp = ups.length >= downs.length;
  return {
    majorityUp,
    majority: majorityUp ? ups : downs,
    others: majorityUp ? downs : ups,
    members: moves.length,
  };
}

/** The exception found by a first-to-last split, with the majority's typical change. */
function exceptionOf(
  split: NonNullable<ReturnType<typeof splitByEndpoints>>,
  exception: Move,
  p: number,
  withTurn: boolean,
): Exception {
  const typical = median(split.majority.map((m) => m.change)) ?? 0;
  return {
    member: exception.member,
    series: exception.series,
    majorityUp: split.majorityUp,
    agree: split.majority.length,
    members: split.members,
    typicalChange: typical * 100,
    majority: split.majority.map((m) => m.series),
    p,
    gap: Math.abs(typical - exception.change),
    withTurn,
  };
}

/**
 * With two or three periods only (1931 and 1932), each member's change from the first to the last: most
 * move one way and one member the other ("yield fell at 5 of 6 sites; Morris rose 41%"). Tested on the
 * rows: Welch's t between the exception's first and last period (Bonferroni over the members), and
 * between the other members' rows taken together, one-sided in their direction.
 */
async function shortSpanException(
  ctx: DetectorContext,
  dimension: Dimension,
  measure: Measure,
  series: Map<string, Series>,
): Promise<Exception | null> {
  if (!['sum', 'mean'].includes(measure.aggregation) || measure.weightedBy || measure.stockPer || !measure.rowSql)
    return null;
  const split = splitByEndpoints(series, (s) => s.values.length >= 2 && s.values[0]! > 0);
  if (!split || split.members < 4) return null;
  const { majorityUp, majority, others } = split;
  if (others.length !== 1 || majority.length / split.members < 0.75) return null;
  const exception = others[0]!;
  if (exceptionOf(split, exception, 1, false).gap < 0.1) return null;
  const time = ctx.profile.time!;
  const bucket = `date_trunc('${ctx.granularity}', ${time.asTimestampSql})`;
  const periods = exception.series.periods;
  const [first, last] = [periods[0]!, periods[periods.length - 1]!].map((t) => `CAST(${quoteLiteral(t)} AS TIMESTAMP)`);
  const x = measure.rowSql;
  const rows = await queryRows(
    ctx.q.connection,
    `SELECT ${dimension.sql} AS m, ${bucket} = ${last} AS late, count(${x}) AS n, avg(${x}) AS mean, var_samp(${x}) AS variance
     FROM ${ctx.profile.table} WHERE ${bucket} IN (${first}, ${last}) AND ${x} IS NOT NULL GROUP BY 1, 2`,
  );
  const summary = (members: string[], late: boolean) =>
    combineSummaries(
      rows
        .filter((r) => members.includes(String(r.m)) && Boolean(r.late) === late)
        .map((r) => ({ n: Number(r.n), mean: Number(r.mean), variance: r.variance === null ? 0 : Number(r.variance) })),
    );
  const own = welchTTest(summary([exception.member], true), summary([exception.member], false));
  const shared = welchTTest(
    summary(
      majority.map((m) => m.member),
      true,
    ),
    summary(
      majority.map((m) => m.member),
      false,
    ),
  );
  // Each in its own direction: the exception against the others', the others in theirs.
  const ownP = ctx.tested(Math.min(1, (Math.sign(own.t) === (majorityUp ? -1 : 1) ? own.p : 1) * split.members));
  const sharedP = ctx.tested(Math.sign(shared.t) === (majorityUp ? 1 : -1) ? shared.p / 2 : 1);
  if (ownP > 0.05 || sharedP > 0.05) return null;
  return exceptionOf(split, exception, Math.max(ownP, sharedP), false);
}

/** Periods in a year: a series of two years or more compares its first year with its last. */

/**
 * A member's first and last year, when its months, weeks or quarters span two years or more: January against
 * December would be two moments of the season, not the member's move (Midlands' "rise" of 30% from a January
 * to a December while its sales fell 28% a year), and a single month is a noisy end. Totals for what adds
 * up, else averages.
 */
export function yearEnds(values: number[], periods: string[], granularity: string, measure: Measure) {
  const lag = PERIODS_A_YEAR[granularity];
  if (!lag || values.length < 2 * lag) return null;
  const label = (from: number) => {
    // A calendar year is named as one ("2021"); any other year of periods by the months it spans.
    const calendarYear =
      granularity !== 'week' &&
      periods[from]!.slice(4, 10) === '-01-01' &&
      periods[from + lag - 1]!.slice(0, 4) === periods[from]!.slice(0, 4);
    return calendarYear
      ? periods[from]!.slice(0, 4)
      : `${periodLabel(periods[from]!, 'month')}–${periodLabel(periods[from + lag - 1]!, 'month')}`;
  };
  const lastFrom = values.length - lag;
  return {
    first: yearOf(values, 0, lag, measure),
    last: yearOf(values, lastFrom, lag, measure),
    firstLabel: label(0),
    lastLabel: label(lastFrom),
    firstPeriod: periods[0]!,
    lastPeriod: periods[lastFrom]!,
  };
}

function exceptionFact(
  ctx: DetectorContext,
  dimension: Dimension,
  measure: Measure,
  series: Map<string, Series>,
  exception: Exception,
  within?: { dimension: string; member: string },
): Fact | null {
  const s = exception.series;
  // Every member's ends: its first and last year when the periods span two years or more (a January
  // against a December is two moments of the season: Highlands "fell 36%" month to month, 23% year to year),
  // else its first and last value.
  const endsOf = (m: Series): [number, number] => {
    const years = yearEnds(m.values, m.periods, m.granularity, measure);
    return years ? [years.first, years.last] : [m.values[0]!, m.values[m.values.length - 1]!];
  };
  const years = yearEnds(s.values, s.periods, s.granularity, measure);
  // The exception goes against the others: its ends must say so.
  const [first, last] = endsOf(s);
  if (exception.majorityUp ? last >= first : last <= first) return null;
  // And the others' own ends must share the move told of them ("rose in 3 of 4" while each ended lower
  // than it began is no shared rise).
  const endMove = (m: Series) => endsOf(m)[1] - endsOf(m)[0];
  const shares = (m: Series) => (exception.majorityUp ? endMove(m) > 0 : endMove(m) < 0);
  const sharing = exception.majority.filter(shares).length;
  if (2 * sharing <= exception.majority.length) return null;
  // Counted as the story lists them, by their ends: "fell in 7 of 10", not the 8 whose slopes pointed down.
  if (exception.others) {
    const byEnds = exception.others.filter(shares);
    if (byEnds.length < 2 || byEnds.length / exception.members < 0.6) return null;
    exception = { ...exception, agree: byEnds.length, majority: byEnds };
  }
  const id = `exception:${slug(measure.id)}:${slug(dimension.name)}${within ? `:${slug(within.dimension)}-${slug(within.member)}` : ''}`;
  const claims = new ClaimSet(id);
  const role = valueRole(measure);
  if (within) claims.member('withinMember', within.member);
  claims.count('agree', exception.agree);
  claims.count('members', exception.members);
  if (movesInUnits(measure)) {
    // On an interval scale (°C), or for a percentage, the typical member's change is told in units (points):
    // the median step between the same ends as the exception's.
    claims.measure('typicalChangePct', median(exception.majority.map(endMove)) ?? 0, measure, role);
  } else if (years) {
    // The others' typical change on the same two years.
    const changes = exception.majority.flatMap((m) => {
      const [from, to] = endsOf(m);
      return from > 0 ? [percentChange(to, from)] : [];
    });
    claims.percent('typicalChangePct', median(changes) ?? exception.typicalChange);
  } else {
    // Members counted by their ends are typified by their ends too.
    const changes = exception.others
      ? exception.majority.flatMap((m) => (m.values[0]! > 0 ? [percentChange(m.values.at(-1)!, m.values[0]!)] : []))
      : [];
    claims.percent('typicalChangePct', median(changes) ?? exception.typicalChange);
  }
  claims.member('exception', exception.member);
  claims.change('exceptionChangePct', first, last, measure, role, movesInUnits(measure));
  claims.measure('exceptionFirst', first, measure, role);
  claims.measure('exceptionLast', last, measure, role);
  if (years) {
    claims.period('firstPeriod', years.firstPeriod, years.firstLabel);
    claims.period('lastPeriod', years.lastPeriod, years.lastLabel);
  } else {
    claims.period('firstPeriod', s.periods[0]!, periodLabel(s.periods[0]!, s.granularity));
    claims.period(
      'lastPeriod',
      s.periods[s.periods.length - 1]!,
      periodLabel(s.periods[s.periods.length - 1]!, s.granularity),
    );
  }
  if (exception.withTurn && !years) {
    // Where the exception turned: its extreme on the majority's side, when it gave back at least 10% since.
    const extreme = s.values.reduce(
      (best, v, i) => ((exception.majorityUp ? v > s.values[best]! : v < s.values[best]!) ? i : best),
      0,
    );
    if (extreme > 0 && extreme < s.values.length - 1 && Math.abs(last / s.values[extreme]! - 1) >= 0.1) {
      claims.measure('turnValue', s.values[extreme]!, measure, role);
      claims.period('turnPeriod', s.periods[extreme]!, periodLabel(s.periods[extreme]!, s.granularity));
      claims.change('sinceTurnPct', s.values[extreme]!, last, measure, role, movesInUnits(measure));
    }
  }
  return makeFact({
    id,
    type: 'pattern_exception',
    measureId: measure.id,
    dimension: dimension.name,
    subspace: { dimension: dimension.name, member: exception.member },
    columns: [ctx.profile.time!.name, ...measure.columns, dimension.name],
    p: exception.p,
    effect: relativeEffect(exception.gap),
    impact: 1,
    surprise: 1.2,
    claims: claims.claims,
    data: {
      granularity: s.granularity,
      direction: exception.majorityUp ? 'up' : 'down',
      member: exception.member,
      ...(within ? { within } : {}),
      ...(years ? { yearOnYear: true } : {}),
      points: points(s),
      siblings: [...series.entries()]
        .filter(([m]) => m !== exception.member)
        .map(([member, other]) => ({ member, points: points(other) })),
    },
  });
}

/** The periods to compare for a change: the first and last complete years when there are two, else first and last quarter of the span. */
function comparisonWindows(
  series: Series,
): { from: number[]; to: number[]; fromLabel: string; toLabel: string } | null {
  const years = [...new Set(series.periods.map((t) => t.slice(0, 4)))];
  const byYear = (year: string) => series.periods.map((t, i) => (t.startsWith(year) ? i : -1)).filter((i) => i >= 0);
  if (years.length >= 2 && series.granularity !== 'year') {
    const first = byYear(years[0]!);
    const last = byYear(years[years.length - 1]!);
    if (first.length === last.length && first.length >= 2)
      return { from: first, to: last, fromLabel: years[0]!, toLabel: years[years.length - 1]! };
  }
  const n = series.values.length;
  if (n < 4) return null;
  const k = Math.max(1, Math.floor(n / 4));
  return {
    from: [...Array(k).keys()],
    to: [...Array(k).keys()].map((i) => n - k + i),
    fromLabel:
      k === 1
        ? periodLabel(series.periods[0]!, series.granularity)
        : `${periodLabel(series.periods[0]!, series.granularity)}–${periodLabel(series.periods[k - 1]!, series.granularity)}`,
    toLabel:
      k === 1
        ? periodLabel(series.periods[n - 1]!, series.granularity)
        : `${periodLabel(series.periods[n - k]!, series.granularity)}–${periodLabel(series.periods[n - 1]!, series.granularity)}`,
  };
}

/**
 * Driver of change: which member explains most of the change of an additive total between two windows,
 * and whether that is more than its usual share (explanatory power against its share: Adtributor's surprise).
 */
export async function driverFacts(ctx: DetectorContext): Promise<Fact[]> {
  const { profile } = ctx;
  if (!profile.time || !ctx.granularity) return [];
  const facts: Fact[] = [];
  const totals = await ctx.q.series(ctx.granularity, profile.measures);
  for (const measure of ctx.followedMeasures()) {
    if (measure.aggregation !== 'sum') continue;
    const total = toSeries(totals, profile.measures.indexOf(measure), ctx.granularity, profile.time.granularity);
    const windows = comparisonWindows(total);
    if (!windows) continue;
    // A level (population, cases to date) is averaged over a window's periods, a flow added up.
    const over = measure.stockPer ? (idx: number[]) => 1 / idx.length : () => 1;
    const sum = (s: Series, idx: number[]) => idx.reduce((acc, i) => acc + (s.values[i] ?? 0), 0) * over(idx);
    const delta = sum(total, windows.to) - sum(total, windows.from);
    const trend = mannKendall(total.values);
    ctx.tested(trend.p);
    const base = sum(total, windows.from);
    if (trend.p > 0.05 || base <= 0 || Math.abs(delta / base) < 0.03) continue;
    for (const dimension of profile.dimensions) {
      if (dimension.binary || dimension.cardinality < 2 || dimension.cardinality > 50) continue;
      if (!(await ctx.splitsTime(dimension))) continue;
      const members = await memberSeries(ctx, dimension, measure);
      const contributions = [...members.entries()].map(([member, s]) => {
        const at = (period: string) => s.values[s.periods.indexOf(period)] ?? 0;
        const from = windows.from.reduce((acc, i) => acc + at(total.periods[i]!), 0) * over(windows.from);
        const to = windows.to.reduce((acc, i) => acc + at(total.periods[i]!), 0) * over(windows.to);
        return { member, from, to, delta: to - from };
      });
      const top = contributions
        .filter((c) => Math.sign(c.delta) === Math.sign(delta))
        .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))[0];
      if (!top) continue;
      const explained = top.delta / delta;
      const usualShare = top.from / base;
      // Surprise: explaining much more of the change than its share of the level.
      if (explained < 0.35 || explained < usualShare * 1.5) continue;
      const id = `driver:${slug(measure.id)}:${slug(dimension.name)}`;
      const claims = new ClaimSet(id);
      const role = 'total' as const;
      claims.measure('delta', Math.abs(delta), measure, role);
      claims.percent('deltaPct', percentChange(sum(total, windows.to), base));
      claims.add('from', windows.fromLabel, 'period', windows.fromLabel);
      claims.add('to', windows.toLabel, 'period', windows.toLabel);
      claims.measure('totalFrom', base, measure, role);
      claims.measure('totalTo', sum(total, windows.to), measure, role);
      claims.member('driver', top.member);
      claims.measure('driverDelta', Math.abs(top.delta), measure, role);
      claims.percent('explainedPct', Math.min(999, explained * 100));
      claims.percent('usualSharePct', usualShare * 100);
      facts.push(
        makeFact({
          id,
          type: 'driver',
          measureId: measure.id,
          dimension: dimension.name,
          columns: [profile.time.name, ...measure.columns, dimension.name],
          p: trend.p,
          effect: Math.min(1, relativeEffect(delta / base) * Math.min(1, explained / Math.max(0.05, usualShare) / 3)),
          impact: 1,
          claims: claims.claims,
          data: {
            direction: delta > 0 ? 'up' : 'down',
            driver: top.member,
            contributions: contributions.sort((a, b) => b.delta - a.delta).slice(0, 25),
            from: windows.fromLabel,
            to: windows.toLabel,
          },
        }),
      );
    }
  }
  return facts;
}

/**
 * Mix shift (Simpson's paradox for rates): the overall rate moves one way between two windows while most
 * members move the other, because the mix moved toward members with a different level.
 */
export async function mixShiftFacts(ctx: DetectorContext): Promise<Fact[]> {
  const { profile } = ctx;
  if (!profile.time || !ctx.granularity) return [];
  const facts: Fact[] = [];
  for (const measure of profile.measures.filter((m) => m.aggregation === 'rate')) {
    for (const dimension of profile.dimensions) {
      if (
        dimension.binary ||
        dimension.cardinality < 2 ||
        dimension.cardinality > 12 ||
        measure.columns.includes(dimension.name)
      )
        continue;
      if (!(await ctx.splitsTime(dimension))) continue;
      const rows = await ctx.q.memberSeries(dimension, ctx.granularity, profile.measures);
      const index = profile.measures.indexOf(measure);
      const periods = [...new Set(rows.map((r) => r.t))].sort();
      if (periods.length < 4) continue;
      const half = Math.floor(periods.length / 2);
      const early = new Set(periods.slice(0, half));
      // Successes and trials per member and window, from the rate and the row counts.
      const cells = new Map<string, { k1: number; n1: number; k2: number; n2: number }>();
      // A ratio of sums counts its denominator as trials (sessions); a binary rate counts rows.
      const numeratorIndex = measure.ratio
        ? profile.measures.findIndex((m) => m.aggregateSql === `sum(${measure.ratio!.numeratorSql})`)
        : -1;
      const denominatorIndex = measure.ratio
        ? profile.measures.findIndex((m) => m.aggregateSql === `sum(${measure.ratio!.denominatorSql})`)
        : -1;
      // The numerator may be no measure of its own (donations, folded into its rate): rate × trials is its sum.
      if (measure.ratio && denominatorIndex < 0) continue;
      for (const row of rows) {
        const rate = row.values[index];
        if (rate === null || rate === undefined) continue;
        const trials = measure.ratio ? (row.values[denominatorIndex] ?? 0) : row.rows;
        const successes =
          measure.ratio && numeratorIndex >= 0
            ? (row.values[numeratorIndex] ?? 0)
            : rate * (measure.ratio ? trials : row.rows);
        const cell = cells.get(row.member) ?? { k1: 0, n1: 0, k2: 0, n2: 0 };
        if (early.has(row.t)) {
          cell.k1 += successes;
          cell.n1 += trials;
        } else {
          cell.k2 += successes;
          cell.n2 += trials;
        }
        cells.set(row.member, cell);
      }
      const members = [...cells.entries()].filter(([, c]) => c.n1 >= 20 && c.n2 >= 20);
      if (members.length < 2) continue;
      const k1 = members.reduce((s, [, c]) => s + c.k1, 0);
      const n1 = members.reduce((s, [, c]) => s + c.n1, 0);
      const k2 = members.reduce((s, [, c]) => s + c.k2, 0);
      const n2 = members.reduce((s, [, c]) => s + c.n2, 0);
      const overall = twoProportionTest(k2, n2, k1, n1);
      ctx.tested(overall.p);
      const overallUp = k2 / n2 > k1 / n1;
      // A member that did not move (walk-ins delivered at 0% in both halves) went neither way.
      const opposite = members.filter(
        ([, c]) => c.k2 / c.n2 !== c.k1 / c.n1 && c.k2 / c.n2 > c.k1 / c.n1 !== overallUp,
      );
      if (overall.p > 0.05 || opposite.length / members.length < 0.6) continue;
      // Millions of impressions make a move from 2.41% to 2.42% significant: it must be one a reader sees.
      const relativeMove = Math.abs(k2 / n2 - k1 / n1) / Math.max(1e-12, k1 / n1);
      if (relativeMove < 0.03) continue;
      // Rate effect: members' own changes at the early mix; mix effect: the rest.
      const rateEffect = members.reduce((s, [, c]) => s + (c.n1 / n1) * (c.k2 / c.n2 - c.k1 / c.n1), 0);
      const mixEffect = k2 / n2 - k1 / n1 - rateEffect;
      const id = `mix:${slug(measure.id)}:${slug(dimension.name)}`;
      const claims = new ClaimSet(id);
      claims.percent('rateBefore', (k1 / n1) * 100);
      claims.percent('rateAfter', (k2 / n2) * 100);
      claims.count('opposite', opposite.length);
      claims.count('members', members.length);
      claims.percent('mixEffectPoints', Math.abs(mixEffect) * 100);
      const shifted = members.sort((a, b) => b[1].n2 / n2 - b[1].n1 / n1 - (a[1].n2 / n2 - a[1].n1 / n1))[0]!;
      claims.member('growingMember', shifted[0]);
      claims.percent('growingShareBefore', (shifted[1].n1 / n1) * 100);
      claims.percent('growingShareAfter', (shifted[1].n2 / n2) * 100);
      claims.percent('growingRate', (shifted[1].k2 / shifted[1].n2) * 100);
      facts.push(
        makeFact({
          id,
          type: 'mix_shift',
          measureId: measure.id,
          dimension: dimension.name,
          columns: [profile.time.name, ...measure.columns, dimension.name],
          p: overall.p,
          effect: Math.min(
            1,
            Math.abs(mixEffect) / Math.max(1e-9, Math.abs(k2 / n2 - k1 / n1)),
            relativeEffect(2 * relativeMove),
          ),
          impact: 1,
          surprise: 1.3,
          claims: claims.claims,
          data: {
            direction: overallUp ? 'up' : 'down',
            members: members.map(([member, c]) => ({ member, before: c.k1 / c.n1, after: c.k2 / c.n2 })),
          },
        }),
      );
    }
  }
  return facts;
}

/**
 * A count that moved with its base while its rate held (churned customers rising 2.3× as active customers
 * did, at a steady 4% churn rate) tells volume, not the outcome: it can support a story but not lead one.
 * Trends of the same scope are compared by their relative change (within a factor of two of the base's);
 * a trend of the rate itself the same way, at least half as steep, keeps the count, which then carries both.
 */
export function explainCountsByTheirBase(facts: Fact[], measures: readonly Measure[]): void {
  const trends = facts.filter((fact) => fact.type === 'trend');
  const sameScope = (a: Fact, b: Fact) =>
    a.subspace?.dimension === b.subspace?.dimension && a.subspace?.member === b.subspace?.member;
  for (const rate of measures) {
    if (rate.aggregation !== 'rate' || !rate.ratio || rate.columns.length !== 2) continue;
    const [numerator, base] = rate.columns as [string, string];
    const baseMeasure = measures.find((m) => m.id === base);
    if (!baseMeasure) continue;
    for (const count of trends.filter((fact) => fact.measureId === numerator)) {
      const direction = count.data.direction;
      const baseTrend = trends.find(
        (t) => t.measureId === base && sameScope(t, count) && t.data.direction === direction,
      );
      const rateTrend = trends.find(
        (t) => t.measureId === rate.id && sameScope(t, count) && t.data.direction === direction,
      );
      const change = Number(count.data.relativeChange);
      const ratio = change / Number(baseTrend?.data.relativeChange);
      const rateMoved =
        rateTrend !== undefined && Math.abs(Number(rateTrend.data.relativeChange)) >= Math.abs(change) / 2;
      if (baseTrend && !rateMoved && ratio >= 0.5 && ratio <= 2) count.data.explainedBy = baseMeasure.label;
    }
  }
}

/**
 * A total whose weekly or daily rhythm is its row count's (deaths are 67% higher at weekends because 67% more
 * games are played then) tells when rows come, not what they hold: the count tells it, and the total may
 * support a story but not lead one. Money and a file's primary measure keep their rhythm (revenue peaks on
 * Saturdays is what a shop asks, whatever the orders do).
 */
export function explainRhythmsByRows(facts: Fact[], measures: readonly Measure[]): void {
  const rhythms = facts.filter((fact) => fact.type === 'seasonality' && !fact.subspace);
  for (const rhythm of rhythms) {
    const measure = measures.find((m) => m.id === rhythm.measureId);
    if (!measure || measure.id === ROWS_MEASURE_ID || measure.aggregation !== 'sum') continue;
    if (measure.format.kind === 'currency' || measure.prior > 1) continue;
    // Only the week's and the day's rhythms: when games or visits are scheduled. A year's season is the
    // business's own (room-nights peak in summer, told with the bookings beside them).
    if (rhythm.data.cycle !== 'weekday' && rhythm.data.cycle !== 'hour') continue;
    const rows = rhythms.find((r) => r.measureId === ROWS_MEASURE_ID && r.data.cycle === rhythm.data.cycle);
    const own = Number(rhythm.data.relativeAmplitude);
    const count = Number(rows?.data.relativeAmplitude);
    if (rows && own > 0 && count > 0 && Math.abs(own - count) <= 0.2 * count) rhythm.data.explainedBy = 'rows';
  }
}

/**
 * A member's trend that keeps its share of the total (West's customers rose 2.3× as all regions' did), or that
 * follows a whole that rose by one step, is the whole's move seen in a part: the total tells it, and the
 * member may support a story but not lead one.
 */
/**
 * A yearly cycle of the whole table that one member makes on its own (ice cream's summer, the other
 * categories flat within 5%): the member's cycle tells it, and the whole's never leads beside it.
 */
export function explainSeasonsByOneMember(facts: Fact[]): void {
  for (const member of facts.filter((fact) => fact.type === 'member_cycle')) {
    if (!(Number(member.claims.restGapPct?.value) < 5)) continue;
    for (const whole of facts)
      if (
        whole.type === 'seasonality' &&
        !whole.subspace &&
        whole.data.cycle === 'month' &&
        whole.measureId === member.measureId
      )
        whole.data.explainedBy = String(member.data.member);
  }
}

/**
 * A month that spikes both years (August at twice its neighbours, 2023 and 2024) where the measure's yearly
 * cycle peaks in that very month: the season, told by the cycle, not a spike beside it.
 */
export function explainTwinSpikesBySeason(facts: Fact[]): void {
  for (const spike of facts) {
    if (spike.type !== 'spike' || spike.subspace || spike.claims.twinPeriod === undefined) continue;
    const month = Number(String(spike.data.at).slice(5, 7)) - 1;
    const season = facts.find(
      (f) =>
        f.type === 'seasonality' &&
        !f.subspace &&
        f.data.cycle === 'month' &&
        f.data.peak === month &&
        (f.measureId === spike.measureId || f.columns.some((c) => spike.columns.includes(c))),
    );
    if (season) spike.data.explainedBy = 'the season';
  }
}

export function explainMemberTrendsByTheWhole(facts: Fact[]): void {
  const trends = facts.filter((fact) => fact.type === 'trend');
  for (const member of trends) {
    if (!member.subspace) continue;
    const whole = trends.find(
      (t) => !t.subspace && t.measureId === member.measureId && t.data.direction === member.data.direction,
    );
    const first = Number(member.claims.firstShare?.value);
    const last = Number(member.claims.lastShare?.value);
    if (whole && first > 0 && Math.abs(last - first) < 0.1 * first) member.data.explainedBy = 'the whole';
    // Where the whole's rise was one step (see `stepOverLine`), a member that did not rise alone took the
    // same step: a country's crash rate climbing with the release that crashed on every country's phones.
    else if (whole?.data.explainedBy === 'the step' && member.surprise <= 1) member.data.explainedBy = 'the step';
  }
}
