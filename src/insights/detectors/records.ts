import { queryOne } from '../../db/duckdb.ts';
import {
  mad,
  mean,
  median,
  normalSf,
  percentChange,
  predictionP,
  std,
  twoProportionTest,
  twoSidedNormalP,
} from '../../stats/index.ts';
import { ClaimSet, valueRole } from '../narrative/format.ts';
import { addPeriods, aYearApart, PERIODS_A_YEAR, periodLabel } from '../time.ts';
import { type Dimension, type Fact, type Measure, ROWS_MEASURE_ID } from '../types.ts';
import { type DetectorContext, makeFact, relativeEffect, slug } from './context.ts';
import { memberSeries } from './meta.ts';
import { periodRowsWelchP } from './period-rows.ts';
import { perCalendarDay, pointsOf, type Series, toSeries } from './series.ts';

/**
 * Latest change: the last complete period against the one before and the same period a year earlier,
 * judged against the history of period-to-period changes (robust z of the last step).
 */
export async function latestChangeFacts(ctx: DetectorContext): Promise<Fact[]> {
  const { profile } = ctx;
  if (!profile.time || !ctx.granularity) return [];
  const buckets = await ctx.q.series(ctx.granularity, profile.measures);
  const facts: Fact[] = [];
  for (const measure of await ctx.wholeTableMeasures()) {
    const series = toSeries(buckets, profile.measures.indexOf(measure), ctx.granularity, profile.time.granularity);
    const n = series.values.length;
    if (n < 8) continue;
    // Steps in percent, or in units for an interval-scale measure (°F from November to December); daily
    // totals by month a day at a time (February's three missing days are no news).
    const stepped = perCalendarDay(series, measure, profile.time).values;
    const steps = stepped.slice(1).map((v, i) => (measure.interval ? v - stepped[i]! : percentChange(v, stepped[i]!)));
    const last = steps[steps.length - 1]!;
    // December's jump after every November is the year's rhythm, not news: a last step like the same
    // step in each earlier year (same sign, at most 1.5 times the largest) is left to the cycle.
    const yearLag = ctx.granularity === 'month' ? 12 : ctx.granularity === 'quarter' ? 4 : 0;
    const sameStepBefore = yearLag
      ? steps.filter((_, i) => i < steps.length - 1 && (steps.length - 1 - i) % yearLag === 0)
      : [];
    if (
      sameStepBefore.length >= 2 &&
      sameStepBefore.every((step) => Math.sign(step) === Math.sign(last)) &&
      Math.abs(last) <= 1.5 * Math.max(...sameStepBefore.map(Math.abs))
    )
      continue;
    // Christmas week jumps every year: a weekly or daily last step matched by one as large (half of it at
    // least, the same way) within a week of the same date a year earlier is the calendar, not news.
    if (ctx.granularity === 'week' || ctx.granularity === 'day') {
      const at = series.periods[n - 1]!;
      const recurred = steps.some(
        (step, i) =>
          i < steps.length - 1 &&
          aYearApart(series.periods[i + 1]!, at) &&
          Math.sign(step) === Math.sign(last) &&
          Math.abs(step) >= 0.5 * Math.abs(last),
      );
      if (recurred) continue;
    }
    // A return to the usual level after one odd period (prices back from November's discount) is the odd
    // period's story, told by its spike: no "jump" of the last one.
    if (!measure.interval && n >= 6) {
      const usual = median(series.values.slice(0, n - 2)) ?? 0;
      const [previous, latest] = [series.values[n - 2]!, series.values[n - 1]!];
      if (usual > 0 && Math.abs(previous / usual - 1) >= 0.3 && Math.abs(latest / usual - 1) <= 0.15) continue;
    }
    // A break that began a step earlier (downloads up 54% in November and 51% in December after ten calm
    // months) is part of the news, not of the noise the last step is measured against.
    const before = steps.slice(0, -1);
    const beforeCenter = median(before) ?? 0;
    const previous = before[before.length - 1]! - beforeCenter;
    const sameBreak =
      before.length >= 8 &&
      Math.sign(previous) === Math.sign(last - beforeCenter) &&
      Math.abs(previous) > 3 * 1.4826 * (mad(before) ?? 0);
    const history = sameBreak ? before.slice(0, -1) : before;
    const center = median(history) ?? 0;
    // The larger of the robust and the plain spread: from twenty-odd steps the median deviation alone
    // can come out half the true one (two years of monthly noise: "a typical step is about 6.1%").
    const scale = Math.max(1.4826 * (median(history.map((s) => Math.abs(s - center))) ?? 0), std(history) ?? 0);
    if (!(scale > 0)) continue;
    // A new value against a scale estimated from the history: Student's t with the history's degrees of
    // freedom and the prediction-interval factor, not the normal (two years of monthly noise gave a "jump"
    // in one file in twenty).
    const z = (last - center) / scale;
    let p = predictionP(last - center, scale, history.length);
    // A share of few rows jumps by chance (1 purchase of 160 events, then 4): the two periods must also
    // differ as proportions.
    if (measure.aggregation === 'rate' && !measure.ratio) {
      const [n1, n2] = [series.rows[n - 2]!, series.rows[n - 1]!];
      const [k1, k2] = [Math.round(series.values[n - 2]! * n1), Math.round(series.values[n - 1]! * n2)];
      if (n1 > 0 && n2 > 0) p = Math.max(p, twoProportionTest(k2, n2, k1, n1).p);
    }
    // Counts of rows jump by chance when they are small (2 rows, then 1): the two counts must differ as
    // Poisson counts do, (k₂ − k₁) / √(k₁ + k₂).
    if (measure.id === ROWS_MEASURE_ID) {
      const [k1, k2] = [series.values[n - 2]!, series.values[n - 1]!];
      if (k1 + k2 > 0) p = Math.max(p, twoSidedNormalP((k2 - k1) / Math.sqrt(k1 + k2)));
    }
    // An average of a handful of rows (two purchases' values) also jumps by chance: Welch's t on the rows.
    if (measure.aggregation === 'mean' && p <= 0.05)
      p = Math.max(p, (await periodRowsWelchP(ctx, measure, series, n - 1, [n - 2]))?.p ?? 1);
    ctx.tested(p);
    if (p > 0.05 || (!measure.interval && Math.abs(last) < 10)) continue;
    const id = `latest:${slug(measure.id)}`;
    const claims = new ClaimSet(id);
    const role = valueRole(measure);
    const at = series.periods[n - 1]!;
    claims.period('period', at, periodLabel(at, series.granularity));
    claims.measure('value', series.values[n - 1]!, measure, role);
    claims.period('previousPeriod', series.periods[n - 2]!, periodLabel(series.periods[n - 2]!, series.granularity));
    claims.measure('previousValue', series.values[n - 2]!, measure, role);
    claims.change('changePct', series.values[n - 2]!, series.values[n - 1]!, measure, role);
    if (measure.interval) claims.measure('typicalStepPct', Math.abs(center) + scale, measure, role);
    else claims.percent('typicalStepPct', Math.abs(center) + scale);
    if (sameBreak) claims.change('breakStartPct', series.values[n - 3]!, series.values[n - 2]!, measure, role);
    const lag = PERIODS_A_YEAR[series.granularity];
    const yearAgo = lag ? addPeriods(at, series.granularity, -lag) : null;
    const yearAgoIndex = yearAgo ? series.periods.findIndex((t) => t.slice(0, 10) === yearAgo.slice(0, 10)) : -1;
    if (yearAgoIndex >= 0) {
      claims.period(
        'yearAgoPeriod',
        series.periods[yearAgoIndex]!,
        periodLabel(series.periods[yearAgoIndex]!, series.granularity),
      );
      claims.measure('yearAgoValue', series.values[yearAgoIndex]!, measure, role);
      claims.change('yoyPct', series.values[yearAgoIndex]!, series.values[n - 1]!, measure, role);
    }
    facts.push(
      makeFact({
        id,
        type: 'latest_change',
        measureId: measure.id,
        columns: [profile.time.name, ...measure.columns],
        p,
        // In units, the step is sized against the typical step instead.
        effect: measure.interval ? Math.min(1, Math.abs(z) / 8) : relativeEffect(last / 100),
        impact: 1,
        claims: claims.claims,
        data: {
          granularity: series.granularity,
          direction: last > 0 ? 'up' : 'down',
          // No earlier step in the series moved it as far (what "the largest recent move" may say).
          largest: Math.abs(last) >= Math.max(0, ...before.map(Math.abs)),
          points: series.periods.map((t, i) => ({ t, value: series.values[i]! })),
        },
      }),
    );
  }
  return facts;
}

/**
 * Streaks and records: the longest run of consecutive rises or falls, and whether the last period set a
 * record. Under random order a run of L rises has probability about 2·n/(L+1)! (Bonferroni over starts).
 */
export async function streakFacts(ctx: DetectorContext): Promise<Fact[]> {
  const { profile } = ctx;
  if (!profile.time || !ctx.granularity) return [];
  const buckets = await ctx.q.series(ctx.granularity, profile.measures);
  const facts: Fact[] = [];
  for (const measure of await ctx.wholeTableMeasures()) {
    const series: Series = toSeries(
      buckets,
      profile.measures.indexOf(measure),
      ctx.granularity,
      profile.time.granularity,
    );
    const n = series.values.length;
    if (n < 8) continue;
    let best = { length: 0, end: 0, up: true };
    let run = 0;
    let up = true;
    for (let i = 1; i < n; i++) {
      const rising = series.values[i]! > series.values[i - 1]!;
      const falling = series.values[i]! < series.values[i - 1]!;
      if ((rising && up) || (falling && !up)) run++;
      else if (rising || falling) {
        up = rising;
        run = 1;
      } else run = 0;
      if (run > best.length) best = { length: run, end: i, up };
    }
    let factorial = 1;
    for (let k = 2; k <= best.length + 1; k++) factorial *= k;
    const p = ctx.tested(Math.min(1, (2 * n) / factorial));
    const last = series.values[n - 1]!;
    const record = last === Math.max(...series.values) ? 'high' : last === Math.min(...series.values) ? 'low' : null;
    if (p > 0.05 || best.length < 4) continue;
    const id = `streak:${slug(measure.id)}`;
    const claims = new ClaimSet(id);
    const role = valueRole(measure);
    const start = best.end - best.length;
    claims.count('length', best.length);
    claims.period('startPeriod', series.periods[start]!, periodLabel(series.periods[start]!, series.granularity));
    claims.period('endPeriod', series.periods[best.end]!, periodLabel(series.periods[best.end]!, series.granularity));
    claims.measure('startValue', series.values[start]!, measure, role);
    claims.measure('endValue', series.values[best.end]!, measure, role);
    claims.count('periods', n);
    if (record) {
      claims.period('recordPeriod', series.periods[n - 1]!, periodLabel(series.periods[n - 1]!, series.granularity));
      claims.measure('recordValue', last, measure, role);
    }
    facts.push(
      makeFact({
        id,
        type: 'streak',
        measureId: measure.id,
        columns: [profile.time.name, ...measure.columns],
        p,
        effect: Math.min(1, best.length / Math.max(6, n / 2)),
        impact: 1,
        surprise: 0.8,
        claims: claims.claims,
        data: {
          granularity: series.granularity,
          direction: best.up ? 'up' : 'down',
          record,
          start,
          end: best.end,
          points: series.periods.map((t, i) => ({ t, value: series.values[i]! })),
        },
      }),
    );
  }
  return facts;
}

/**
 * The record cell of a panel: one member's period above every other member's every period (a team's 134 goals
 * in one season, 35% above any other team-season), and far above what its own level and that
 * period's level lead one to expect (the biggest store's December is no record of this kind). For additive
 * measures of breakdowns of 3–50 members over 3 periods or more: the largest cell, 10% above the next
 * largest, its log ratio to the two-way expectation (member mean × period mean ÷ grand mean) 4 robust
 * widths above the other cells', normal tail × the cells tried.
 */
export async function recordCellFacts(ctx: DetectorContext): Promise<Fact[]> {
  const { profile } = ctx;
  if (!profile.time || !ctx.granularity) return [];
  const facts: Fact[] = [];
  for (const dimension of profile.dimensions) {
    if (dimension.binary || dimension.condition || dimension.cardinality < 3 || dimension.cardinality > 50) continue;
    if (!(await ctx.splitsTime(dimension))) continue;
    for (const measure of ctx.followedMeasures()) {
      if (measure.aggregation !== 'sum' || !measure.nonNegative || measure.stockPer || measure.ratio) continue;
      if (measure.id === ROWS_MEASURE_ID || measure.runningTotal) continue;
      const fact = recordCell(ctx, dimension, measure, await memberSeries(ctx, dimension, measure));
      if (fact) facts.push(fact);
    }
  }
  return facts;
}

function recordCell(
  ctx: DetectorContext,
  dimension: Dimension,
  measure: Measure,
  series: Map<string, Series>,
): Fact | null {
  // The grid of members seen in every period (a member that joined late has no expectation in the others).
  const periods = [...new Set([...series.values()].flatMap((s) => s.periods))].sort();
  if (periods.length < 3 || periods.length > 60) return null;
  const full = [...series.entries()].filter(
    ([, s]) => s.periods.length === periods.length && s.values.every((v) => Number.isFinite(v) && v > 0),
  );
  if (full.length < 3) return null;
  const memberMean = full.map(([, s]) => mean(s.values)!);
  const periodMean = periods.map((_, t) => mean(full.map(([, s]) => s.values[t]!))!);
  const grand = mean(memberMean)!;
  const cells = full.flatMap(([member, s], i) =>
    s.values.map((value, t) => ({
      member,
      t,
      value,
      residual: Math.log(value / ((memberMean[i]! * periodMean[t]!) / grand)),
    })),
  );
  const byValue = [...cells].sort((a, b) => b.value - a.value);
  const [top, second] = [byValue[0]!, byValue[1]!];
  if (top.value < 1.1 * second.value) return null;
  const others = cells.filter((c) => c !== top).map((c) => c.residual);
  const center = median(others) ?? 0;
  const width = 1.4826 * (mad(others) ?? 0);
  if (!(width > 0)) return null;
  const z = (top.residual - center) / width;
  const p = ctx.tested(Math.min(1, normalSf(z) * cells.length));
  if (p > 0.01 || z < 4) return null;
  const own = series.get(top.member)!;
  const ownNext = own.values.reduce(
    (best, v, t) => (t !== top.t && v > (best?.value ?? -Infinity) ? { value: v, t } : best),
    null as { value: number; t: number } | null,
  );
  const granularity = own.granularity;
  const at = periods[top.t]!;
  const id = `spike:${slug(measure.id)}:${slug(dimension.name)}-${slug(top.member)}:${at.slice(0, 10)}:record`;
  const claims = new ClaimSet(id);
  const role = valueRole(measure);
  claims.member('member', top.member);
  claims.period('period', at, periodLabel(at, granularity));
  claims.measure('value', top.value, measure, role);
  claims.member('secondMember', second.member);
  claims.period('secondPeriod', periods[second.t]!, periodLabel(periods[second.t]!, granularity));
  claims.measure('secondValue', second.value, measure, role);
  claims.percent('aboveSecondPct', percentChange(top.value, second.value));
  claims.count('cells', cells.length);
  if (ownNext) {
    claims.period('ownNextPeriod', periods[ownNext.t]!, periodLabel(periods[ownNext.t]!, granularity));
    claims.measure('ownNextValue', ownNext.value, measure, role);
  }
  const expectedAt = (t: number) => (memberMean[full.findIndex(([m]) => m === top.member)]! * periodMean[t]!) / grand;
  return makeFact({
    id,
    type: 'spike',
    measureId: measure.id,
    dimension: dimension.name,
    subspace: { dimension: dimension.name, member: top.member },
    columns: [ctx.profile.time!.name, ...measure.columns, dimension.name],
    p,
    effect: Math.min(1, (top.value / second.value - 1) / 0.3),
    impact: 1,
    surprise: 1.1,
    claims: claims.claims,
    data: {
      recordCell: true,
      granularity,
      direction: 'up',
      at,
      index: top.t,
      points: pointsOf(own),
      expected: periods.map((t, i) => ({ t, value: expectedAt(i) })),
      siblings: [...series.entries()]
        .filter(([m]) => m !== top.member)
        .map(([member, s]) => ({ member, points: pointsOf(s) })),
    },
  });
}

/**
 * Money that few rows have at all, and a handful of those most of (4.1% of users pay; the top 1% of users
 * hold 67.6% of the revenue): the top hundredth's share, where one row in fifty to one in five has any and
 * the hundredth holds half the total or more. Null otherwise.
 */
async function fewPayers(
  ctx: DetectorContext,
  measure: Measure,
  relation: string,
  n: number,
  positive: number,
  total: number,
  max: number,
  p: number,
  skew: number,
): Promise<Fact | null> {
  if (measure.format.kind !== 'currency' || measure.aggregation !== 'sum' || !measure.nonNegative) return null;
  if (positive < 0.02 || positive >= 0.2 || positive * n < 100 || !(total > 0)) return null;
  const top = await queryOne(
    ctx.q.connection,
    `SELECT sum(v) AS s FROM (SELECT ${measure.rowSql} AS v FROM ${relation} WHERE ${measure.rowSql} IS NOT NULL ORDER BY v DESC LIMIT ${Math.ceil(n / 100)})`,
  );
  const share = Number(top.s) / total;
  if (!(share >= 0.5)) return null;
  const id = `distribution:${slug(measure.id)}`;
  const claims = new ClaimSet(id);
  claims.percent('nonzeroShare', positive * 100);
  claims.percent('topCut', 1);
  claims.percent('topShare', share * 100);
  claims.measure('max', max, measure, 'raw');
  return makeFact({
    id,
    type: 'distribution',
    measureId: measure.id,
    columns: measure.columns,
    p,
    effect: Math.min(1, share),
    impact: 1,
    surprise: 1,
    claims: claims.claims,
    data: { skew, max, heldByFew: true, fewPayers: true },
  });
}

/**
 * Distribution shape of each measure over rows: a long right (or left) tail, by D'Agostino's skewness
 * test; for additive measures, how much of the total the top 5% of rows hold.
 */
export async function distributionFacts(ctx: DetectorContext): Promise<Fact[]> {
  const facts: Fact[] = [];
  const relation = ctx.profile.sampleRelation;
  const measures = ctx.profile.measures.filter(
    (measure) => measure.aggregation !== 'rate' && measure.id !== ROWS_MEASURE_ID && !measure.perRowOf,
  );
  if (measures.length === 0) return facts;
  // Skewness of every measure in one pass; the quantiles (a sort each) only for the skewed ones.
  const moments = await queryOne(
    ctx.q.connection,
    `SELECT ${measures.map((measure, i) => `count(${measure.rowSql}) AS n${i}, skewness(${measure.rowSql}) AS skew${i}`).join(', ')}
     FROM ${relation}`,
  );
  for (const [i, measure] of measures.entries()) {
    const x = measure.rowSql;
    const n = Number(moments[`n${i}`]);
    const skew = Number(moments[`skew${i}`]);
    if (n < 50 || !Number.isFinite(skew)) continue;
    // D'Agostino's transformation of the sample skewness to a standard normal z.
    const y = skew * Math.sqrt(((n + 1) * (n + 3)) / (6 * (n - 2)));
    const beta2 = (3 * (n * n + 27 * n - 70) * (n + 1) * (n + 3)) / ((n - 2) * (n + 5) * (n + 7) * (n + 9));
    const w2 = -1 + Math.sqrt(2 * (beta2 - 1));
    const delta = 1 / Math.sqrt(Math.log(Math.sqrt(w2)));
    const alpha = Math.sqrt(2 / (w2 - 1));
    const z = delta * Math.log(y / alpha + Math.sqrt((y / alpha) ** 2 + 1));
    const p = ctx.tested(Math.min(1, 2 * normalSf(Math.abs(z))));
    // The long tail told is the upper one: a tail down to 1 on a rating of 1 to 5 is no story of its own.
    if (p > 0.05 || skew < 1) continue;
    const row = await queryOne(
      ctx.q.connection,
      `SELECT any_value(q) AS q, max(${x}) AS hi, sum(${x}) AS total,
              avg(CASE WHEN ${x} > 0 THEN 1.0 ELSE 0.0 END) AS positive, count(${x}) FILTER (WHERE ${x} > q[4]) AS above
       FROM ${relation}, (SELECT quantile_cont(${x}, [0.25, 0.5, 0.75, 0.95]) AS q FROM ${relation})`,
    );
    const [q1, q2, q3, q95] = (row.q as number[]) ?? [];
    if (q1 === undefined || q2 === undefined || q3 === undefined || q95 === undefined) continue;
    const few = await fewPayers(
      ctx,
      measure,
      relation,
      n,
      Number(row.positive),
      Number(row.total),
      Number(row.hi),
      p,
      skew,
    );
    if (few) {
      facts.push(few);
      continue;
    }
    // Mostly zeros with a rare large value (downtime minutes): no tail above the 95th percentile to tell. Nor
    // when fewer than one row in twenty has any (a delivery fee 1.6% of users paid: "the top 5% hold 100%").
    if (q95 <= q2 || q95 >= Number(row.hi) || Number(row.positive) < 0.05) continue;
    const id = `distribution:${slug(measure.id)}`;
    const claims = new ClaimSet(id);
    claims.measure('median', q2, measure, 'raw');
    claims.measure('p25', q1, measure, 'raw');
    claims.measure('p75', q3, measure, 'raw');
    claims.measure('p95', q95, measure, 'raw');
    claims.measure('max', Number(row.hi), measure, 'raw');
    claims.add('skew', skew, 'number', skew.toFixed(1));
    claims.percent('topCut', 5);
    let topShare = 0;
    if (measure.aggregation === 'sum' && measure.nonNegative && Number(row.total) > 0) {
      // Exactly the top twentieth of rows: a cut at the 95th percentile would take in every tie at it (the
      // 11.6% of pick batches with an error "held 100% of all errors" when their top 5% hold half).
      const top = await queryOne(
        ctx.q.connection,
        `SELECT sum(v) AS s FROM (SELECT ${x} AS v FROM ${relation} WHERE ${x} IS NOT NULL ORDER BY v DESC LIMIT ${Math.ceil(n / 20)})`,
      );
      topShare = (Number(top.s) / Number(row.total)) * 100;
      claims.percent('top5Share', topShare);
    }
    // A total nearly all held by a few rows (the deadliest twentieth of earthquakes with 98% of the deaths)
    // is a story of its own, not only the shape of one.
    // Unless few rows have any (a booking value on the 5% of users who booked): then the top twentieth is
    // simply every row that has one, and the share only restates how rare a nonzero value is.
    const positive = Number(row.positive);
    const heldByFew = topShare >= 80 && positive >= 0.2;
    if (positive < 0.5) claims.percent('nonzeroShare', positive * 100);
    facts.push(
      makeFact({
        id,
        type: 'distribution',
        measureId: measure.id,
        columns: measure.columns,
        p,
        effect: Math.min(1, Math.abs(skew) / 3),
        impact: 1,
        // A shape is context for a story, rarely the story itself.
        surprise: heldByFew ? 1 : 0.5,
        claims: claims.claims,
        data: {
          skew,
          quartiles: [q1, q2, q3],
          p95: q95,
          max: Number(row.hi),
          ...(heldByFew ? { heldByFew } : {}),
          // Ties at the cut (1 error on a batch): fewer than one row in twenty is strictly above it.
          ...(Number(row.above) < 0.045 * n ? { tiedAtCut: true } : {}),
        },
      }),
    );
  }
  return facts;
}
