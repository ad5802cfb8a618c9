import { queryOne } from '../db/duckdb.ts';
import { type DetectorContext, makeFact, slug } from './detectors/context.ts';
import { toSeries } from './detectors/series.ts';
import { ClaimSet, valueRole } from './narrative/format.ts';
import { finer, periodLabel, periodsBetween } from './time.ts';
import { type Dimension, type Fact, type Measure, ROWS_MEASURE_ID } from './types.ts';

/** Measures in the order a reader would ask about them: primary ones first, row counts last. */
function measuresByInterest(measures: Measure[]): Measure[] {
  return [...measures].sort(
    (a, b) => Number(a.id === ROWS_MEASURE_ID) - Number(b.id === ROWS_MEASURE_ID) || b.prior - a.prior,
  );
}

async function breakdown(ctx: DetectorContext, measure: Measure, dimension: Dimension): Promise<Fact | null> {
  const all = ctx.profile.measures;
  const index = all.indexOf(measure);
  const ranked = (await ctx.q.groups(dimension, all))
    .filter((g) => g.measures[index]?.value !== null && g.measures[index]?.value !== undefined)
    .map((g) => ({ member: g.member, value: g.measures[index]!.value ?? 0, rows: g.rows }))
    .sort((a, b) => b.value - a.value || (a.member < b.member ? -1 : 1));
  if (ranked.length < 2) return null;
  const id = `overview:breakdown:${slug(measure.id)}:${slug(dimension.name)}`;
  const claims = new ClaimSet(id);
  const role = valueRole(measure);
  claims.count('members', ranked.length);
  claims.member('highest', ranked[0]!.member);
  claims.measure('highestValue', ranked[0]!.value, measure, role);
  claims.member('lowest', ranked[ranked.length - 1]!.member);
  claims.measure('lowestValue', ranked[ranked.length - 1]!.value, measure, role);
  // One member holding most of a total (3,372 of 3,376 airports in the USA) is what the breakdown says,
  // though the others are too small for any test to weigh.
  const total = ranked.reduce((sum, m) => sum + m.value, 0);
  if (
    measure.aggregation === 'sum' &&
    ranked.every((m) => m.value >= 0) &&
    total > 0 &&
    // Three quarters at least (a first of two at 51% holds no more than its share), or 60% of two or three.
    ranked[0]!.value / total >= (ranked.length <= 3 ? 0.6 : 0.75)
  )
    claims.percent('highestShare', (ranked[0]!.value / total) * 100);
  return makeFact({
    id,
    type: 'overview',
    measureId: measure.id,
    dimension: dimension.name,
    columns: [...measure.columns, dimension.name],
    p: 1,
    effect: 0,
    impact: 1,
    claims: claims.claims,
    data: { kind: 'breakdown', members: ranked.slice(0, 25) },
  });
}

/** Swings smaller than this (in percent) are not worth a sentence. */
const MIN_SWING_PCT = 20;

/**
 * The largest fall from an earlier high (a drawdown) or rise from an earlier low, in percent of where it
 * started; null when the series never moves that way.
 */
export function largestMove(values: number[], way: 'fall' | 'rise'): { from: number; to: number; pct: number } | null {
  let best: { from: number; to: number; pct: number } | null = null;
  let extreme = 0;
  for (let i = 1; i < values.length; i++) {
    const previous = values[extreme]!;
    if (way === 'fall' ? values[i - 1]! > previous : values[i - 1]! < previous) extreme = i - 1;
    const pct = ((values[i]! - values[extreme]!) / values[extreme]!) * 100;
    if (way === 'fall' ? pct < (best?.pct ?? 0) : pct > (best?.pct ?? 0)) best = { from: extreme, to: i, pct };
  }
  return best;
}

async function timeline(ctx: DetectorContext, measure: Measure): Promise<Fact | null> {
  const time = ctx.profile.time;
  if (!time || !ctx.granularity) return null;
  const buckets = await ctx.q.series(ctx.granularity, ctx.profile.measures);
  const series = toSeries(buckets, ctx.profile.measures.indexOf(measure), ctx.granularity, time.granularity);
  if (series.values.length < 2) return null;
  const id = `overview:timeline:${slug(measure.id)}`;
  const claims = new ClaimSet(id);
  const role = valueRole(measure);
  claims.count('periods', series.values.length);
  const label = (i: number) => periodLabel(series.periods[i]!, series.granularity);
  const lowest = series.values.indexOf(Math.min(...series.values));
  const highest = series.values.indexOf(Math.max(...series.values));
  claims.measure('min', series.values[lowest]!, measure, role);
  claims.measure('max', series.values[highest]!, measure, role);
  // Where it was lowest and highest: a temperature's year reads as January's 2.7 °C and July's 19.9 °C.
  if (lowest !== highest) {
    claims.period('minAt', series.periods[lowest]!, label(lowest));
    claims.period('maxAt', series.periods[highest]!, label(highest));
  }
  // Monthly or finer data over less than two years: too short to test a yearly cycle, which is worth saying
  // when the extremes lie months apart (a winter high and a summer low are what a reader sees).
  const months = periodsBetween(time.min, time.max, 'month') + 1;
  const yearOnly =
    !finer('month', series.granularity) &&
    months >= 10 &&
    months < 24 &&
    Math.abs(highest - lowest) >= series.values.length / 4;
  // With no tested pattern, the swings are still what a reader of a price or a level wants to know.
  if (!measure.interval && series.values.every((v) => v > 0)) {
    const fall = largestMove(series.values, 'fall');
    const rise = largestMove(series.values, 'rise');
    for (const [name, move] of [
      ['fall', fall],
      ['rise', rise],
    ] as const) {
      if (!move || Math.abs(move.pct) < MIN_SWING_PCT) continue;
      claims.percent(`${name}Pct`, Math.abs(move.pct));
      claims.measure(`${name}FromValue`, series.values[move.from]!, measure, role);
      claims.period(`${name}From`, series.periods[move.from]!, label(move.from));
      claims.measure(`${name}ToValue`, series.values[move.to]!, measure, role);
      claims.period(`${name}To`, series.periods[move.to]!, label(move.to));
    }
  }
  return makeFact({
    id,
    type: 'overview',
    measureId: measure.id,
    columns: [time.name, ...measure.columns],
    p: 1,
    effect: 0,
    impact: 1,
    claims: claims.claims,
    data: {
      kind: 'timeline',
      granularity: series.granularity,
      yearOnly,
      points: series.periods.map((t, i) => ({ t, value: series.values[i]! })),
    },
  });
}

async function distribution(ctx: DetectorContext, measure: Measure): Promise<Fact | null> {
  if (measure.id === ROWS_MEASURE_ID || measure.aggregation === 'rate' || measure.perRowOf) return null;
  const row = await queryOne(
    ctx.q.connection,
    `SELECT quantile_cont(${measure.rowSql}, [0.25, 0.5, 0.75]) AS q, min(${measure.rowSql}) AS lo, max(${measure.rowSql}) AS hi,
            count(${measure.rowSql}) AS n FROM ${ctx.profile.sampleRelation}`,
  );
  const [q1, q2, q3] = (row.q as number[] | null) ?? [];
  if (q1 === undefined || q2 === undefined || q3 === undefined || Number(row.n) < 1) return null;
  const id = `overview:distribution:${slug(measure.id)}`;
  const claims = new ClaimSet(id);
  claims.measure('median', q2, measure, 'raw');
  claims.measure('p25', q1, measure, 'raw');
  claims.measure('p75', q3, measure, 'raw');
  claims.measure('min', Number(row.lo), measure, 'raw');
  claims.measure('max', Number(row.hi), measure, 'raw');
  claims.count('n', Number(row.n));
  return makeFact({
    id,
    type: 'overview',
    measureId: measure.id,
    columns: measure.columns,
    p: 1,
    effect: 0,
    impact: 1,
    claims: claims.claims,
    data: { kind: 'distribution', quartiles: [q1, q2, q3], min: Number(row.lo), max: Number(row.hi) },
  });
}

/**
 * Descriptive angles for when the data holds no (or too few) patterns that survive the tests: they
 * describe, and their wording claims no pattern. Always `weak`. Candidates come in the order a reader
 * would ask: the main measure by its main categories, over time, then each measure's spread.
 */
export async function overviewFacts(
  ctx: DetectorContext,
  count: number,
  taken: Fact[],
  /** Facts that passed the tests: a breakdown they are about is not described as one where nothing passed. */
  passed: Fact[] = [],
): Promise<Fact[]> {
  // Counting rows says something only when rows are events (orders), not one row per period.
  // An average ticket is described through its money, not on its own.
  const measures = measuresByInterest(ctx.profile.measures).filter(
    (m) => (m.id !== ROWS_MEASURE_ID || ctx.profile.rowsAreEvents) && !m.perRowOf,
  );
  const usedMeasures = new Set(taken.map((f) => f.measureId));
  const primary = measures.find((m) => !usedMeasures.has(m.id)) ?? measures[0] ?? ctx.profile.measures[0]!;
  const dimensions = ctx.profile.dimensions.filter((d) => !d.binary && d.cardinality <= 100).slice(0, 2);
  // A trend or cycle already tells the measure's story over time.
  const told = (measure: Measure) => taken.some((fact) => fact.measureId === measure.id && fact.family === 'temporal');
  const tested = (measure: Measure, dimension: Dimension) =>
    passed.some((fact) => fact.measureId === measure.id && fact.dimension === dimension.name);
  const described = (measure: Measure, dimension: Dimension) => () =>
    tested(measure, dimension) ? Promise.resolve(null) : breakdown(ctx, measure, dimension);
  const candidates: (() => Promise<Fact | null>)[] = [
    ...dimensions.map((dimension) => described(primary, dimension)),
    // A count to date only rises: its timeline would be "no trend" over a climb (its new cases are followed).
    () => (told(primary) || primary.runningTotal ? Promise.resolve(null) : timeline(ctx, primary)),
    ...measures.map((measure) => () => distribution(ctx, measure)),
    ...measures
      .filter((m) => m !== primary)
      .flatMap((measure) => dimensions.map((dimension) => described(measure, dimension))),
  ];
  const facts: Fact[] = [];
  for (const candidate of candidates) {
    if (facts.length >= count) break;
    const fact = await candidate();
    if (fact && !taken.some((t) => t.id === fact.id)) facts.push(fact);
  }
  if (facts.length < count && taken.length === 0) facts.push(tableSummary(ctx));
  return facts;
}

/** The last resort for a file too small or too uniform to say more: what it holds. */
function tableSummary(ctx: DetectorContext): Fact {
  const id = 'overview:table';
  const claims = new ClaimSet(id);
  claims.count('rows', ctx.profile.rowCount);
  claims.count('columns', ctx.profile.fields.length);
  claims.count('varying', ctx.profile.fields.filter((f) => f.role !== 'ignored').length);
  return makeFact({
    id,
    type: 'overview',
    measureId: ROWS_MEASURE_ID,
    columns: ctx.profile.fields.map((f) => f.name),
    p: 1,
    effect: 0,
    impact: 1,
    claims: claims.claims,
    data: { kind: 'table' },
  });
}
