import { queryRows } from '../../db/duckdb.ts';
import { ClaimSet, valueRole } from '../narrative/format.ts';
import { isLifecycleName } from '../semantics.ts';
import { periodLabel } from '../time.ts';
import { type Dimension, type Fact, type Measure, ROWS_MEASURE_ID } from '../types.ts';
import { type DetectorContext, makeFact, relativeEffect, slug } from './context.ts';
import { memberSeries } from './meta.ts';

/**
 * How late a member must start (share of the file's span, and days at least), how early the others must,
 * and how many late starters a breakdown may have before lateness is its way (a catalogue that grows).
 */
const LAUNCH = { lateShare: 0.15, minDays: 28, earlyShare: 0.05, maxLate: 2, minRows: 20 } as const;
const DAY_MS = 86_400_000;

/**
 * A member that joined the file late while the others were there from the start, and stayed: a branch that
 * opened in April of the second year, a product launched mid-way. Its growth from nothing is its opening,
 * not a trend, and its first day is the news. The chance of its first row coming that late at its later
 * pace is e^−(rows a day × days it was missing), so only a member busy enough to have shown up earlier
 * counts; at most two late starters in a breakdown.
 */
export async function launchFacts(ctx: DetectorContext): Promise<Fact[]> {
  const time = ctx.profile.time;
  if (!time || !ctx.granularity) return [];
  const start = Date.parse(`${time.min.slice(0, 19)}Z`);
  const end = Date.parse(`${time.max.slice(0, 19)}Z`);
  const span = end - start;
  if (!(span >= 4 * LAUNCH.minDays * DAY_MS)) return [];
  const measure =
    ctx
      .followedMeasures()
      .find((m) => m.aggregation === 'sum' && m.id !== ROWS_MEASURE_ID && !m.interval && !m.stockPer && !m.ratio) ??
    ctx.profile.measures.find((m) => m.id === ROWS_MEASURE_ID)!;
  const facts: Fact[] = [];
  for (const dimension of ctx.profile.dimensions) {
    if (dimension.binary || dimension.cardinality < 3 || dimension.cardinality > 30) continue;
    // A state a row passes through (open, then paid) appears late by its nature: no opening.
    if (isLifecycleName(dimension.name)) continue;
    ctx.checkAborted();
    const rows = await queryRows(
      ctx.q.connection,
      `SELECT CAST(${dimension.sql} AS VARCHAR) AS member, CAST(min(${time.asTimestampSql}) AS VARCHAR) AS first,
              CAST(max(${time.asTimestampSql}) AS VARCHAR) AS last, count(*) AS n
       FROM ${ctx.profile.table} WHERE ${time.sql} IS NOT NULL AND ${dimension.sql} IS NOT NULL GROUP BY 1 ORDER BY 1`,
    );
    const at = (iso: unknown) => Date.parse(`${String(iso).replace(' ', 'T').slice(0, 19)}Z`);
    const late = rows.filter((row) => {
      const offset = at(row.first) - start;
      return offset >= LAUNCH.lateShare * span && offset >= LAUNCH.minDays * DAY_MS;
    });
    const early = rows.filter((row) => at(row.first) - start <= LAUNCH.earlyShare * span);
    if (late.length === 0 || late.length > LAUNCH.maxLate || early.length < 0.75 * (rows.length - late.length))
      continue;
    for (const row of late) {
      const n = Number(row.n);
      // Still there at the end (a stop is `closure.ts`'s), and busy enough to have shown up before.
      if (n < LAUNCH.minRows || end - at(row.last) > LAUNCH.earlyShare * span) continue;
      const missing = (at(row.first) - start) / DAY_MS;
      const perDay = n / Math.max(1, (end - at(row.first)) / DAY_MS);
      const p = ctx.tested(Math.min(1, rows.length * Math.exp(-perDay * missing)));
      if (p > 0.05) continue;
      const fact = await launchFact(ctx, dimension, measure, String(row.member), String(row.first), p, early.length);
      if (fact) facts.push(fact);
    }
  }
  return facts;
}

async function launchFact(
  ctx: DetectorContext,
  dimension: Dimension,
  measure: Measure,
  member: string,
  first: string,
  p: number,
  others: number,
): Promise<Fact | null> {
  const time = ctx.profile.time!;
  const granularity = ctx.granularity!;
  const series = (await memberSeries(ctx, dimension, measure, granularity)).get(member);
  const whole = await ctx.q.series(granularity, ctx.profile.measures);
  if (!series || series.values.length < 2) return null;
  // Open ever since: a seasonal line (peonies each May) comes and goes, it does not open.
  if (series.values.filter((v) => v > 0).length < 0.8 * series.values.length) return null;
  const index = ctx.profile.measures.indexOf(measure);
  const wholeByPeriod = new Map(whole.map((bucket) => [bucket.t, bucket.values[index] ?? 0]));
  // Its share of the latest complete period (the whole file's share is the story's context).
  const lastPeriod = series.periods.at(-1)!;
  const lastWhole = wholeByPeriod.get(lastPeriod) ?? 0;
  if (!(lastWhole > 0)) return null;
  const day = `${first.replace(' ', 'T').slice(0, 10)}T00:00:00`;
  const id = `change:${slug(measure.id)}:${slug(dimension.name)}-${slug(member)}:launch`;
  const claims = new ClaimSet(id);
  const role = valueRole(measure);
  claims.member('member', member);
  claims.period('firstDay', day, periodLabel(day, 'day'));
  claims.period('fileStart', time.min, periodLabel(`${time.min.slice(0, 10)}T00:00:00`, 'day'));
  claims.count('others', others);
  // As any step is named: from its first whole period.
  claims.period('changePeriod', series.periods[0]!, periodLabel(series.periods[0]!, granularity));
  claims.period('latestPeriod', lastPeriod, periodLabel(lastPeriod, granularity));
  claims.measure('latestValue', series.values.at(-1)!, measure, role);
  claims.percent('latestShare', (series.values.at(-1)! / lastWhole) * 100);
  const meanAfter = series.values.reduce((sum, v) => sum + v, 0) / series.values.length;
  // The chart's step: nothing before, its average a period after.
  claims.measure('meanBefore', 0, measure, 'average');
  claims.measure('meanAfter', meanAfter, measure, 'average');
  const points = whole.map((bucket) => {
    const i = series.periods.indexOf(bucket.t);
    return { t: bucket.t, value: i >= 0 ? series.values[i]! : 0 };
  });
  const launchIndex = points.findIndex((point) => point.t >= series.periods[0]!);
  return makeFact({
    id,
    type: 'change_point',
    measureId: measure.id,
    subspace: { dimension: dimension.name, member },
    dimension: dimension.name,
    columns: [time.name, ...measure.columns, dimension.name],
    p,
    effect: relativeEffect(1),
    impact: Math.min(1, Math.max(0.2, series.values.at(-1)! / lastWhole)),
    surprise: 1.1,
    claims: claims.claims,
    data: {
      launch: true,
      granularity,
      points,
      index: Math.max(1, launchIndex),
      at: series.periods[0]!,
      meanBefore: 0,
      meanAfter,
    },
  });
}

/**
 * A member's climb after it opened is its ramp-up: its trend, run-up or share gain is told by the opening,
 * never as growth of its own beside members that were there all along (weighed down by half).
 */
export function openingsOverGrowth(facts: Fact[]): void {
  const opened = new Set(
    facts.filter((f) => f.data.launch).map((f) => `${f.subspace!.dimension}\u0000${f.subspace!.member}`),
  );
  if (opened.size === 0) return;
  for (const fact of facts) {
    if (fact.data.launch || !fact.subspace || !['trend', 'peak', 'share_shift'].includes(fact.type)) continue;
    if (opened.has(`${fact.subspace.dimension}\u0000${fact.subspace.member}`)) fact.surprise *= 0.5;
  }
}
