import { queryOne, quoteIdent, quoteLiteral } from '../../db/duckdb.ts';
import { mean, meanShiftAt, twoProportionTest, twoSidedNormalP } from '../../stats/index.ts';
import { ClaimSet } from '../narrative/format.ts';
import { type Bucket, byMember, type MemberBucket } from '../queries.ts';
import { isPriceName } from '../semantics.ts';
import { addPeriods, finer, periodLabel, periodsBetween, spanSeconds, truncSql } from '../time.ts';
import { definedByBreakdown, type Fact, type Granularity, type Measure, ROWS_MEASURE_ID } from '../types.ts';
import { activityOf, countsActivity, detectClosure, explainedByClosure, overlaps, sameSpan } from './closure.ts';
import type { DetectorContext } from './context.ts';
import { detectFewPeriodDip, detectFewPeriodShift, detectFewPeriodStep, FEW_PERIODS } from './few-periods.ts';
import { memberSeries } from './meta.ts';
import { aggregateIn, blankerThanAround, lacksValuesAround, periodRowsWelchP, periodsBeside } from './period-rows.ts';
import { dailyTotals, perCalendarDay, type Series, toSeries, valuesByPeriod } from './series.ts';
import { detectOffShare } from './sibling-spike.ts';
import {
  type BroadMove,
  broadMoves,
  type Cycle,
  claimStep,
  positionOf as cyclePosition,
  DAYS_STRETCH,
  detectChangePoint,
  detectEpisode,
  detectPanelShock,
  detectPeak,
  detectSeasonalAnomaly,
  detectSeasonality,
  detectShareShift,
  detectShock,
  detectSpike,
  detectTrend,
  MONTHS_EPISODE,
  movesAcross,
  pooledByPosition,
  pooledSpikeScale,
  type Scope,
  shiftSegment,
  WEEKS_EPISODE,
  yearOnYearTrend,
} from './temporal.ts';

/**
 * A rise that is one step (a port's throughput up 22% from 4 September, level either side) is told as the
 * step: the line through it blurs the date and sizes the move by the span's ends. The step, which beat the
 * line to be found at all, takes the trend's weight where that is larger; the trend stays to support it.
 */
function stepOverLine(trend: Fact, change: Fact): void {
  if (change.type !== 'change_point') return;
  const up = Number(change.data.meanAfter) > Number(change.data.meanBefore);
  if (up !== (trend.data.direction === 'up')) return;
  change.effect = Math.max(change.effect, trend.effect);
  trend.data.explainedBy = 'the step';
}

/**
 * A series' rise and fall (or fall and recovery), and its trend. A rise and fall is the story of its series:
 * its trend would only be the longer of the two slopes. A low and recovery is not: the series may still
 * have risen over the span (a market's 2009 low).
 */
function shapeFacts(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  scope: Scope,
  timeColumn: string,
): { turn: Fact | null; trend: Fact | null } {
  const turn = detectPeak(ctx, measure, series, scope, timeColumn);
  if (turn?.data.shape !== 'peak') return { turn, trend: detectTrend(ctx, measure, series, scope, timeColumn) };
  // A rise and fall is no trend, unless the peak is a summer of a series that grows year on year.
  const growth = yearOnYearTrend(ctx, measure, series, scope, timeColumn);
  return growth ? { turn: null, trend: growth } : { turn, trend: null };
}

/** Trends, change points, spikes and cycles of every measure over the whole table. */
export async function overallTemporalFacts(ctx: DetectorContext): Promise<Fact[]> {
  const time = ctx.profile.time;
  const granularity = ctx.granularity;
  if (!time || !granularity) return [];
  const facts: Fact[] = [];
  const all = ctx.profile.measures;
  const buckets = await ctx.q.series(granularity, all);
  const nativeGranularity: Granularity = time.granularity === 'minute' ? 'hour' : time.granularity;
  // Spikes are also looked for at the native granularity (a day), and — daily data told by month — by week:
  // a burst of a week (an outage's tickets) hides in its month and is no single day's spike.
  const spikeScans: { granularity: Granularity; buckets: Bucket[] }[] = [];
  if (finer(nativeGranularity, granularity) && time.distinct <= 3000)
    spikeScans.push({ granularity: nativeGranularity, buckets: await ctx.q.series(nativeGranularity, all) });
  if (finer('week', granularity) && finer(nativeGranularity, 'week'))
    spikeScans.push({ granularity: 'week', buckets: await ctx.q.series('week', all) });
  const days = !finer('day', nativeGranularity) ? await ctx.q.series('day', all) : null;
  // Timestamps to the minute, told by week: one day (a Black Friday) is still a day's spike to look for.
  if (days && finer('day', granularity) && !spikeScans.some((scan) => scan.granularity === 'day'))
    spikeScans.push({ granularity: 'day', buckets: days });
  const scope: Scope = { impact: 1 };
  const seriesOf = new Map<string, Series>();
  for (const measure of await ctx.wholeTableMeasures()) {
    ctx.checkAborted();
    const index = all.indexOf(measure);
    const series = toSeries(buckets, index, granularity, time.granularity);
    seriesOf.set(measure.id, series);
    const { turn, trend } = shapeFacts(ctx, measure, series, scope, time.name);
    const daily = days ? toSeries(days, index, 'day', time.granularity) : null;
    const found =
      series.values.length <= FEW_PERIODS.max && measure.aggregation !== 'sum'
        ? await detectFewPeriodStep(ctx, measure, series, time.name)
        : weighedOnDays(
            ctx,
            measure,
            weighedOnTrials(ctx, measure, detectChangePoint(ctx, measure, series, scope, time.name), series),
            daily,
          );
    const change = found ? datedOnDays(found, daily, measure) : null;
    if (change) await withBreadth(ctx, measure, change, granularity);
    // Over a few periods, one far off the rest (a drought year) is a spike of its own.
    const dip =
      !change && series.values.length <= FEW_PERIODS.max
        ? await detectFewPeriodDip(ctx, measure, series, time.name)
        : null;
    if (trend && change) stepOverLine(trend, change);
    const spikes = [await confirmedSpike(ctx, measure, series, scope, time.name, await broadIn(ctx, measure, series))];
    const finer = spikeScans.map((scan) => toSeries(scan.buckets, index, scan.granularity, time.granularity));
    for (const finerSeries of finer)
      spikes.push(
        await confirmedSpike(ctx, measure, finerSeries, scope, time.name, await broadIn(ctx, measure, finerSeries)),
      );
    // The first period of a lasting shift that never came back is the shift's, not a spike (a fourth
    // quarter busier from October on).
    const held = spikes.map((spike) => (spike && startsShift(spike, change) ? null : spike));
    const turnHeld = await turnOnValues(ctx, measure, series, turn);
    facts.push(...[turnHeld, trend, change, ...held].filter((fact): fact is Fact => fact !== null));
    // A few days off the level around them, where no single day stood out (a week that did is the same
    // event seen coarser: a three-day stoppage dents its week, and the days tell what happened).
    let episode: Fact | null = null;
    if (daily && spikes.every((spike) => spike === null || spike.data.granularity !== 'day')) {
      episode = await heldOnRows(ctx, measure, daily, detectEpisode(ctx, measure, daily, scope, time.name));
      // Days that fill most of the week that stood out are that week, told already (an outage from Monday
      // to Friday); three days or fewer inside it are the event the week only dents (a port's stoppage).
      const length = Number((episode?.data.episode as { length?: number } | undefined)?.length ?? 0);
      const start = String(episode?.data.at ?? '');
      const inWeek = spikes.some((spike) => {
        if (spike?.data.granularity !== 'week') return false;
        const week = String(spike.data.at);
        return start >= week && start < addPeriods(week, 'week', 1);
      });
      if (episode && !(inWeek && length > 3)) facts.push(episode);
      else episode = null;
    }
    // A year or so of months, too short for a yearly cycle: a winter's two or three months well above the
    // rest (an emergency department's January) are a stretch of their own.
    if (!episode && !change && granularity === 'month' && series.values.length < 24) {
      episode = await heldOnRows(
        ctx,
        measure,
        series,
        detectEpisode(ctx, measure, series, scope, time.name, MONTHS_EPISODE),
      );
      if (episode) facts.push(episode);
    }
    // A sudden move with a slow way back, where no spike, episode or shift was seen at that moment.
    const shock =
      detectShock(ctx, measure, series, scope, time.name) ??
      detectPanelShock(ctx, measure, series, scope, time.name, await entitySeries(ctx, measure, series));
    // So is a lasting shift that began inside the shock's move (ammonia stepped up on the 25th; the shock
    // runs from the 24th to the 26th): one event, told once, as the shift.
    const within = (fact: Fact | null) =>
      fact !== null &&
      shock !== null &&
      fact.data.granularity === shock.data.granularity &&
      String(fact.data.at) > series.periods[Number(shock.data.from)]! &&
      String(fact.data.at) <= String(shock.data.at);
    const seen = [change, episode, ...spikes].some((fact) => fact && fact.data.at === shock?.data.at) || within(change);
    // Neither end of the move may be a period a panel left partly empty (a heavy country's blank year).
    const ends = shock ? [Number(shock.data.from), Number(shock.data.index)] : [];
    let blank = false;
    for (const i of ends) blank ||= await lacksValuesAround(ctx, measure, series, [i], periodsBeside(series, i));
    // A panel's shock at the same period tells the dip with its entities.
    if (dip && !(shock && !blank && shock.data.at === dip.data.at)) facts.push(dip);
    if (shock && !seen && !blank) {
      facts.push(shock);
      // The climb out of the shock's trough (or the fall after its jump) is its way back, told with it.
      const from = Number(turnHeld?.data.fromIndex);
      const index = Number(shock.data.index);
      if (turnHeld && turnHeld.data.direction !== shock.data.direction && from >= index && from <= index + 3)
        turnHeld.data.explainedBy = 'the shock before it';
    }
    // A reading's months far from what the season and the long-run level lead one to expect (a hot summer),
    // on the months even where the story is told by year.
    const months = granularity === 'month' ? series : finer.find((s) => s.granularity === 'month');
    const anomaly = months ? detectSeasonalAnomaly(ctx, measure, months, scope, time.name) : null;
    if (anomaly) facts.push(anomaly);
  }
  // A value filled in later (days to settle) is followed up to where its open tail begins: its trend there
  // is as much a finding as any (claims slower to settle through 2023 and 2024).
  for (const measure of all) {
    if (!measure.censoredFrom || measure.aggregation !== 'mean') continue;
    const whole = toSeries(buckets, all.indexOf(measure), granularity, time.granularity);
    const kept = whole.periods.filter((t) => addPeriods(t, granularity, 1) <= measure.censoredFrom!).length;
    if (kept < 6) continue;
    const series = {
      ...whole,
      periods: whole.periods.slice(0, kept),
      values: whole.values.slice(0, kept),
      rows: whole.rows.slice(0, kept),
      ...(whole.partial ? { partial: whole.partial.slice(0, kept) } : {}),
    };
    const { trend } = shapeFacts(ctx, measure, series, scope, time.name);
    if (trend) facts.push(trend);
  }
  const cycles = await seasonalFacts(ctx, ctx.followedMeasures());
  // Over a few years a real yearly cycle decides what the first and last months say (a January against a
  // December): such a trend compares years instead. Over many, the trend outgrows the cycle.
  for (const [i, fact] of facts.entries()) {
    if (fact.type !== 'trend' || fact.data.yearOnYear || Number(fact.data.stepLag ?? 1) <= 1) continue;
    const points = (fact.data.points as unknown[]).length;
    if (points >= 5 * Number(fact.data.stepLag)) continue;
    if (!cycles.some((cycle) => cycle.measureId === fact.measureId && cycle.id.endsWith(':month'))) continue;
    const measure = all.find((m) => m.id === fact.measureId)!;
    facts[i] = yearOnYearTrend(ctx, measure, seriesOf.get(measure.id)!, scope, time.name) ?? fact;
  }
  facts.push(...cycles);
  weighPartsOfAWhole(facts, partsOf(all), seriesOf);
  return facts;
}

/** The periods a panel's entities (8 or more) moved in together, at the whole series' granularity. */
async function broadIn(ctx: DetectorContext, measure: Measure, whole: Series): Promise<Map<string, BroadMove>> {
  const entity = ctx.profile.dimensions.find((d) => d.name === ctx.profile.entity);
  if (!entity || entity.cardinality < 8 || entity.cardinality > 200) return new Map();
  return broadMoves([...(await memberSeries(ctx, entity, measure, whole.granularity)).values()]);
}

/**
 * Each entity's series of one measure, in a panel (one row per entity per period) whose whole is too short
 * for its own steps to give a shock's scale; none otherwise.
 */
async function entitySeries(ctx: DetectorContext, measure: Measure, whole: Series): Promise<Series[]> {
  if (whole.values.length >= 12 && whole.granularity !== 'year') return [];
  // Without a declared entity (routes keyed by origin and destination), the finest breakdown of 8 to 200
  // members stands in: each member is a small series of its own, and the test counts how many moved together.
  const entity =
    ctx.profile.dimensions.find((d) => d.name === ctx.profile.entity) ??
    [...ctx.profile.dimensions]
      .filter((d) => !d.binary && !d.condition && d.cardinality >= 8 && d.cardinality <= 200)
      .sort((a, b) => b.cardinality - a.cardinality || (a.name < b.name ? -1 : 1))[0];
  if (!entity) return [];
  return [...(await memberSeries(ctx, entity, measure)).values()];
}

/**
 * Whether the series hold the same value at nearly every period they share (a reading lost here and there
 * moves one member's average of a day), and share most periods.
 */
function sameForEveryMember(series: Series[]): boolean {
  if (series.length < 2) return false;
  const [first, ...rest] = series as [Series, ...Series[]];
  const at = valuesByPeriod(first);
  const scale = Math.max(1e-9, ...first.values.map(Math.abs));
  let [shared, differ] = [0, 0];
  for (const other of rest)
    for (const [i, t] of other.periods.entries()) {
      const value = at.get(t);
      if (value === undefined) continue;
      shared += 1;
      if (Math.abs(value - other.values[i]!) > 1e-6 * scale) differ += 1;
    }
  return shared >= 0.8 * rest.length * first.periods.length && differ <= 0.05 * shared;
}

/**
 * Columns that are parts of one whole: three or more totals in the same physical unit, none named a total
 * (coal_TWh, gas_TWh, wind_TWh … of a grid's generation). A file written that way has its breakdown in its
 * columns: each part's news weighs by its share of the whole, as a member's would.
 */
export function partsOf(measures: readonly Measure[]): Measure[][] {
  const byUnit = new Map<string, Measure[]>();
  for (const m of measures) {
    if (m.aggregation !== 'sum' || !m.unit || m.unit === '%' || m.format.kind === 'currency' || !m.nonNegative)
      continue;
    if (m.ratio || m.formula || m.computedAs || m.stockPer || m.runningTotal || m.columns.length !== 1) continue;
    if (/(^|[^a-z])(total|totals|all|sum|overall)([^a-z]|$)/i.test(m.label)) continue;
    byUnit.set(m.unit, [...(byUnit.get(m.unit) ?? []), m]);
  }
  return [...byUnit.values()].filter((group) => group.length >= 3);
}

/**
 * A part's facts told against the whole (solar ×184 is 4% of generation; coal's fall took 38 points of
 * it): a trend says its share at both ends, and every fact of the part has the part's share as its impact
 * (a trend's larger end, else its share over the span). A link between two parts has the larger one's.
 */
function weighPartsOfAWhole(facts: Fact[], groups: Measure[][], seriesOf: Map<string, Series>): void {
  for (const group of groups) {
    const parts = new Map(group.flatMap((m) => (seriesOf.has(m.id) ? [[m.label, seriesOf.get(m.id)!]] : [])));
    if (parts.size < 3) continue;
    const totalOf = (series: Series) => series.values.reduce((sum, v) => sum + Math.max(0, v), 0);
    const whole = [...parts.values()].reduce((sum, series) => sum + totalOf(series), 0);
    if (!(whole > 0)) continue;
    const spanShare = new Map(group.map((m) => [m.id, seriesOf.has(m.id) ? totalOf(seriesOf.get(m.id)!) / whole : 0]));
    for (const [i, fact] of facts.entries()) {
      if (fact.subspace) continue;
      const measure = group.find((m) => m.id === fact.measureId);
      if (!measure) continue;
      let told = fact;
      let share = spanShare.get(measure.id) ?? 0;
      if (fact.type === 'trend') {
        told = withShare(fact, measure, seriesOf.get(measure.id)!, parts);
        const ends = [told.claims.firstShare?.value, told.claims.lastShare?.value].map(Number).filter(Number.isFinite);
        if (ends.length === 2) share = Math.max(...ends) / 100;
      }
      facts[i] = { ...told, impact: Math.min(fact.impact, share) };
    }
  }
}

/** A link between two parts of a whole weighs by the larger part's share of it (bioenergy and "other" are 2%). */
export async function weighLinksOfParts(ctx: DetectorContext, facts: Fact[]): Promise<void> {
  const all = ctx.profile.measures;
  const groups = partsOf(all);
  if (groups.length === 0) return;
  const totals = await ctx.q.totals(all);
  for (const group of groups) {
    const totalOf = (m: Measure) => Math.max(0, totals[all.indexOf(m)] ?? 0);
    const whole = group.reduce((sum, m) => sum + totalOf(m), 0);
    if (!(whole > 0)) continue;
    const columns = new Map(group.map((m) => [m.columns[0]!, totalOf(m) / whole]));
    for (const [i, fact] of facts.entries()) {
      if (fact.type !== 'correlation' || fact.subspace) continue;
      const shares = fact.columns.map((column) => columns.get(column));
      if (shares.length !== 2 || shares.some((share) => share === undefined)) continue;
      facts[i] = { ...fact, impact: Math.min(fact.impact, Math.max(...(shares as number[]))) };
    }
  }
}

/** A spike as told: an average's held on its rows, a total's that is mostly one row said so. */
async function confirmedSpike(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  scope: Scope,
  timeColumn: string,
  broad?: ReadonlyMap<string, BroadMove>,
) {
  const spike = await heldOnRows(ctx, measure, series, detectSpike(ctx, measure, series, scope, timeColumn, broad));
  // A total's dip in a period the file only partly covers (a week with three days missing) is the gap.
  if (
    spike &&
    measure.aggregation === 'sum' &&
    spike.data.direction === 'down' &&
    series.partial?.[Number(spike.data.index)]
  )
    return null;
  // So is a total's dip where a cell of the grid is empty (one plan's customers left blank for a month).
  if (spike && measure.aggregation === 'sum' && spike.data.direction === 'down' && !spike.data.episode) {
    const index = Number(spike.data.index);
    if (await lacksValuesAround(ctx, measure, series, [index], periodsBeside(series, index), spike.subspace))
      return null;
  }
  return onOneDay(ctx, measure, series, await onOneRow(ctx, measure, series, spike));
}

/** The SQL that keeps a member's spike to the member's rows (empty for the whole table's). */
function memberFilter(ctx: DetectorContext, spike: Fact): string {
  const dimension = spike.subspace && ctx.profile.dimensions.find((d) => d.name === spike.subspace!.dimension);
  return dimension ? ` AND CAST(${dimension.sql} AS VARCHAR) = ${quoteLiteral(spike.subspace!.member)}` : '';
}

/**
 * A month's (or week's) spike of a total that mostly came on one day (a storm's 217 claims on January 18 in
 * a month of Home claims): the day is named, since it, not the month, is when it happened.
 */
async function onOneDay(ctx: DetectorContext, measure: Measure, series: Series, spike: Fact | null) {
  const time = ctx.profile.time!;
  if (!spike || spike.data.episode || spike.data.oneRow || spike.data.direction !== 'up') return spike;
  if (measure.aggregation !== 'sum' || measure.ratio || measure.stockPer || !ctx.profile.rowsAreEvents) return spike;
  // Dates to the day or finer, told by week or coarser.
  if (!(time.granularity === 'day' || finer(time.granularity, 'day')) || !finer('day', series.granularity))
    return spike;
  const [value, expected] = [Number(spike.claims.value?.value), Number(spike.claims.expected?.value)];
  if (!(value > expected)) return spike;
  const onlyMember = memberFilter(ctx, spike);
  const row = await queryOne(
    ctx.q.connection,
    `SELECT CAST(arg_max(day, total) AS VARCHAR) AS day, max(total) AS top FROM (
       SELECT ${truncSql('day', time.asTimestampSql)} AS day, ${measure.aggregateSql} AS total FROM ${ctx.profile.table}
       WHERE ${truncSql(series.granularity, time.asTimestampSql)} = CAST(${quoteLiteral(String(spike.data.at))} AS TIMESTAMP)${onlyMember}
       GROUP BY 1)`,
  );
  const top = Number(row.top);
  // Half the excess at least came that day: without it the period would not stand out as it does.
  if (!(top >= 0.5 * (value - expected)) || row.day === null) return spike;
  const claims = new ClaimSet(spike.id);
  const day = String(row.day).replace(' ', 'T');
  claims.period('topDay', day, periodLabel(day, 'day'));
  claims.measure('topDayValue', top, measure, 'total');
  claims.percent('topDaySharePct', (top / value) * 100);
  return { ...spike, claims: { ...spike.claims, ...claims.claims } };
}

/**
 * A total's spike that is mostly one row (a single invoice of $480,000 in a month of $90,000): said so,
 * with the row's id when the table has one, since that row, not the period, is the story.
 */
async function onOneRow(ctx: DetectorContext, measure: Measure, series: Series, spike: Fact | null) {
  if (!spike || spike.data.episode || measure.aggregation !== 'sum' || measure.id === ROWS_MEASURE_ID) return spike;
  if (measure.ratio || measure.stockPer || spike.data.direction !== 'up') return spike;
  // Only where rows are events or things (an invoice): a cube's row is a cell (a day of one source).
  if (!ctx.profile.rowsAreEvents || (series.rows[Number(spike.data.index)] ?? 0) < 2) return spike;
  const [value, expected] = [Number(spike.claims.value?.value), Number(spike.claims.expected?.value)];
  if (!(value > expected)) return spike;
  const time = ctx.profile.time!;
  const id = ctx.profile.fields.find(
    (field) => field.role === 'identifier' && field.distinct >= 0.99 * ctx.profile.rowCount,
  );
  const onlyMember = memberFilter(ctx, spike);
  const row = await queryOne(
    ctx.q.connection,
    `SELECT max(${measure.rowSql}) AS top, count(*) FILTER (WHERE ${measure.rowSql} <> 0) AS nonzero${id ? `, CAST(arg_max(${id.sql}, ${measure.rowSql}) AS VARCHAR) AS id` : ''}
     FROM ${ctx.profile.table}
     WHERE ${truncSql(series.granularity, time.asTimestampSql)} = CAST(${quoteLiteral(String(spike.data.at))} AS TIMESTAMP)${onlyMember}`,
  );
  const top = Number(row.top);
  // Half the excess at least: without that row the period would not stand out as it does. A handful of
  // purchases on a day of a sparse total (most rows zero) are as much chance as one: no lead either.
  if (!(top >= 0.5 * (value - expected)))
    return Number(row.nonzero) <= 5 ? { ...spike, surprise: Math.min(spike.surprise, 0.7) } : spike;
  const claims = new ClaimSet(spike.id);
  claims.measure('topRowValue', top, measure, 'raw');
  claims.percent('topRowSharePct', (top / value) * 100);
  if (id && row.id !== null && row.id !== undefined) claims.member('topRowId', String(row.id));
  // One large row is worth a mention, not a lead: nothing recurs in it.
  return {
    ...spike,
    surprise: Math.min(spike.surprise, 0.7),
    claims: { ...spike.claims, ...claims.claims },
    data: { ...spike.data, oneRow: true },
  };
}

/**
 * A spike that is the first period of a lasting shift and never came back: the shift's, not a spike — when
 * the shift is at least half the spike's size the same way (a month that fell and mostly recovered, with a
 * small shift after it, is still the month's).
 */
function startsShift(spike: Fact, change: Fact | null): boolean {
  if (!change || change.p > 0.05 || spike.data.at !== change.data.at || spike.data.recovered) return false;
  const excess = Number(spike.claims.value?.value) - Number(spike.claims.expected?.value);
  const shift = Number(change.data.meanAfter) - Number(change.data.meanBefore);
  return Math.sign(shift) === Math.sign(excess) && Math.abs(shift) >= 0.5 * Math.abs(excess);
}

/** Periods on the short side of a shift below which its days are weighed too. */
const FEW_SIDE_PERIODS = 6;

/**
 * A total's shift with few periods on one side (three months of a busier fourth quarter against nine) is
 * weighed on its days as well: ninety daily totals against two hundred and seventy, split where the
 * period begins, Welch's t with the days' lag-1 autocorrelation allowed for, times the splits the search
 * tried. The smaller p stands; the shift itself is unchanged.
 */
function weighedOnDays(ctx: DetectorContext, measure: Measure, change: Fact | null, daily: Series | null) {
  if (!change || !daily || measure.aggregation !== 'sum' || measure.stockPer) return change;
  const points = (change.data.points as unknown[]).length;
  const index = Number(change.data.index);
  if (Math.min(index, points - index) >= FEW_SIDE_PERIODS) return change;
  const split = daily.periods.findIndex((period) => period >= String(change.data.at));
  const shift = split > 0 ? meanShiftAt(daily.values, split) : null;
  if (
    !shift ||
    Math.sign(shift.meanAfter - shift.meanBefore) !==
      Math.sign(Number(change.data.meanAfter) - Number(change.data.meanBefore))
  )
    return change;
  // Times the splits the change point's search tried.
  const p = ctx.tested(Math.min(1, shift.p * (points - 2 * shiftSegment(points) + 1)));
  return p < change.p ? { ...change, p } : change;
}

/**
 * A yes/no rate's shift weighed on its rows as well as on its periods: four months of an on-time rate
 * at 71% against fourteen at 89% are a handful of values, but thousands of deliveries. A two-proportion z
 * of the rows before and after the split, scaled down by how much more the periods' rates scatter than
 * rows drawn at random would (quasi-binomial: φ = Pearson χ² of the periods against their side's rate over
 * its degrees of freedom, at least 1), times the splits the search tried. The smaller p stands.
 */
function weighedOnTrials(ctx: DetectorContext, measure: Measure, change: Fact | null, series: Series) {
  if (!change || measure.aggregation !== 'rate' || measure.ratio) return change;
  const index = Number(change.data.index);
  const n = series.values.length;
  const sides = [
    { from: 0, to: index },
    { from: index, to: n },
  ].map(({ from, to }) => {
    let k = 0;
    let trials = 0;
    for (let i = from; i < to; i++) {
      k += series.values[i]! * series.rows[i]!;
      trials += series.rows[i]!;
    }
    return { from, to, k, trials, rate: trials > 0 ? k / trials : 0 };
  });
  const [before, after] = sides as [(typeof sides)[0], (typeof sides)[0]];
  if (before.trials === 0 || after.trials === 0) return change;
  let chi = 0;
  for (const side of sides) {
    const variance = side.rate * (1 - side.rate);
    for (let i = side.from; i < side.to; i++) {
      const rows = series.rows[i]!;
      if (rows > 0 && variance > 0) chi += (rows * (series.values[i]! - side.rate) ** 2) / variance;
    }
  }
  const dispersion = Math.max(1, chi / Math.max(1, n - 2));
  const test = twoProportionTest(after.k, after.trials, before.k, before.trials);
  const splits = n - 2 * shiftSegment(n) + 1;
  const p = ctx.tested(Math.min(1, twoSidedNormalP(test.z / Math.sqrt(dispersion)) * Math.max(1, splits)));
  return p < change.p ? { ...change, p } : change;
}

/**
 * Days divided by their weekday's level (each weekday's mean over the mean of all), so that a quiet weekend
 * before a Monday's drop does not pull the step forward to Saturday; where a day is at zero or below, less
 * their weekday's departure from the mean instead. Left as they are under three weeks.
 */
function byWeekday(days: { t: string; value: number }[]): number[] {
  const values = days.map((d) => d.value);
  if (days.length < 21) return values;
  const sums = new Array<number>(7).fill(0);
  const counts = new Array<number>(7).fill(0);
  const weekday = (t: string) => cyclePosition('weekday', t);
  for (const d of days) {
    sums[weekday(d.t)]! += d.value;
    counts[weekday(d.t)]! += 1;
  }
  const overall = values.reduce((a, b) => a + b, 0) / values.length;
  const level = (d: { t: string }) => sums[weekday(d.t)]! / counts[weekday(d.t)]!;
  if (values.every((v) => v > 0)) return days.map((d) => d.value / (level(d) / overall));
  return days.map((d) => d.value - (level(d) - overall));
}

/**
 * A change found on months (or weeks) of daily data, dated to its day: the split of the days around it
 * (from the period before the change to the period after it) with the largest step, kept when it moves the
 * same way. Android installs fell from May 20, not "from June"; the monthly averages stand as they are.
 */
export function datedOnDays(change: Fact, daily: Series | null, measure?: Measure): Fact {
  if (!daily || change.type !== 'change_point' || !finer('day', change.data.granularity as Granularity)) return change;
  const points = change.data.points as { t: string }[];
  const index = Number(change.data.index);
  const from = points[Math.max(0, index - 2)]!.t;
  const until = points[index + 2]?.t ?? '9999';
  // Within half a period of the boundary the periods found: a day further off would not match the
  // averages told before and after (the periods' own).
  const midpoint = (a: string | undefined, b: string | undefined) =>
    a && b ? new Date((Date.parse(`${a}Z`) + Date.parse(`${b}Z`)) / 2).toISOString().slice(0, 19) : undefined;
  const searchFrom = midpoint(points[index - 1]?.t, points[index]?.t) ?? from;
  const searchUntil = midpoint(points[index]?.t, points[index + 1]?.t) ?? until;
  const days = daily.periods.flatMap((t, i) => (t >= from && t < until ? [{ t, value: daily.values[i]! }] : []));
  const values = byWeekday(days);
  const up = Number(change.data.meanAfter) > Number(change.data.meanBefore);
  let best: { day: string; strength: number } | null = null;
  for (let k = 7; k <= days.length - 7; k++) {
    const day = days[k]!.t;
    if (day < searchFrom || day >= searchUntil) continue;
    const shift = meanShiftAt(values, k, false);
    if (!shift || shift.meanAfter > shift.meanBefore !== up) continue;
    // The least-squares split (the variance the step explains), as the periods' own search: a t statistic
    // favours a short quiet stretch on one side over the real step.
    const strength = ((k * (days.length - k)) / days.length) * (shift.meanAfter - shift.meanBefore) ** 2;
    if (!best || strength > best.strength) best = { day, strength };
  }
  if (!best || best.day === change.data.at) return change;
  const claims = { ...change.claims };
  claims.changePeriod = { ...claims.changePeriod!, value: best.day, text: periodLabel(best.day, 'day') };
  const data = { ...change.data, day: best.day };
  // An average (a rate, a wait) is told on each side of the day itself, not of the month it fell in: a drop
  // from September 10 counts September 1–9 before it. (A total keeps its periods' averages: "a month".)
  if (measure && measure.aggregation !== 'sum' && !change.data.launch) {
    const before = mean(daily.values.filter((_, i) => daily.periods[i]! < best!.day));
    const after = mean(daily.values.filter((_, i) => daily.periods[i]! >= best!.day));
    if (before !== null && after !== null && before !== 0) {
      const told = new ClaimSet(change.id);
      claimStep(told, before, after, measure);
      delete claims.changeRelPct;
      delete claims.ratio;
      Object.assign(claims, told.claims);
      Object.assign(data, { meanBefore: before, meanAfter: after });
    }
  }
  return { ...change, claims, data };
}

async function seasonalFacts(ctx: DetectorContext, measures: Measure[]): Promise<Fact[]> {
  const time = ctx.profile.time!;
  const spanDays = spanSeconds(time.min, time.max) / 86_400;
  const cycles: { cycle: Cycle; source: Granularity }[] = [];
  if (finer(time.granularity, 'day') && time.hasTimeOfDay && spanDays >= 3)
    cycles.push({ cycle: 'hour', source: 'hour' });
  if (!finer('day', time.granularity) && spanDays >= 28) cycles.push({ cycle: 'weekday', source: 'day' });
  // Weekly data: each month's average week, never its sum (a five-week month is not 25% busier).
  // Months covered, first and last included: January 2023 to December 2024 is two years.
  const months = periodsBetween(time.min, time.max, 'month') + (time.granularity === 'quarter' ? 3 : 1);
  if (!finer('month', time.granularity) && months >= 24)
    cycles.push({ cycle: 'month', source: time.granularity === 'week' ? 'week' : 'month' });
  // Quarterly data (results, reports): the year's rhythm by quarter, over three years at least.
  if (time.granularity === 'quarter' && months >= 36) cycles.push({ cycle: 'quarter', source: 'quarter' });
  const facts: Fact[] = [];
  const all = ctx.profile.measures;
  for (const { cycle, source } of cycles) {
    const buckets = await ctx.q.series(source, all);
    for (const measure of measures) {
      let series = toSeries(buckets, all.indexOf(measure), source, time.granularity);
      if (source === 'week' && cycle === 'month') series = monthlyAverages(series);
      if (cycle === 'hour' && ctx.profile.rowsAreEvents && measure.aggregation === 'sum' && measure.nonNegative)
        series = withEmptyHours(series);
      // Daily totals summed into months: February has three days fewer, so each month is its average day.
      const perDay = cycle === 'month' && dailyTotals(measure, source, time.granularity);
      if (perDay) series = perCalendarDay(series, measure, time);
      const pooled = await pooledByPosition(ctx, measure, series, cycle);
      const fact = detectSeasonality(ctx, measure, series, cycle, time.name, pooled);
      if (fact && perDay) fact.data.perDay = true;
      // Weekly totals averaged by month are amounts a week (a cinema's box office £364,297 a week above trend).
      if (fact && source === 'week' && cycle === 'month' && measure.aggregation === 'sum') fact.data.perWeek = true;
      if (fact) facts.push(fact);
    }
  }
  return facts;
}

/**
 * A log's hourly totals with the hours that had no event as zeros: at 04:00 most nights bring no patient,
 * and an average over the hours that had one (1.4) would hide how quiet the night is (0.7). Hours of the
 * day that hardly ever have one (a restaurant's closed mornings) stay out: closed is not quiet.
 */
export function withEmptyHours(series: Series): Series {
  const n = series.periods.length;
  if (n < 2) return series;
  const at = new Map(series.periods.map((t, i) => [t.slice(0, 19), i]));
  const seen = new Array<number>(24).fill(0);
  for (const t of series.periods) seen[Number(t.slice(11, 13))]! += 1;
  const busiest = Math.max(...seen);
  const open = (t: string) => seen[Number(t.slice(11, 13))]! >= 0.1 * busiest;
  const [periods, values, rows]: [string[], number[], number[]] = [[], [], []];
  const last = series.periods[n - 1]!.slice(0, 19);
  for (let t = series.periods[0]!.slice(0, 19); t <= last && periods.length < 200_000; t = addPeriods(t, 'hour', 1)) {
    const i = at.get(t);
    if (i === undefined && !open(t)) continue;
    periods.push(i === undefined ? t : series.periods[i]!);
    values.push(i === undefined ? 0 : series.values[i]!);
    rows.push(i === undefined ? 0 : series.rows[i]!);
  }
  return { ...series, periods, values, rows };
}

/** A weekly series as each month's average week (a week counts in the month it starts in), over the months
 * that hold `minWeeks` weeks or more. */
export function monthlyAverages(series: Series, minWeeks = 1): Series {
  const months = new Map<string, { sum: number; weeks: number; rows: number }>();
  series.periods.forEach((period, i) => {
    const month = `${period.slice(0, 7)}-01${period.slice(10)}`;
    const entry = months.get(month) ?? { sum: 0, weeks: 0, rows: 0 };
    entry.sum += series.values[i]!;
    entry.weeks += 1;
    entry.rows += series.rows[i]!;
    months.set(month, entry);
  });
  const periods = [...months.keys()].filter((month) => months.get(month)!.weeks >= minWeeks);
  return {
    granularity: 'month',
    periods,
    values: periods.map((month) => months.get(month)!.sum / months.get(month)!.weeks),
    rows: periods.map((month) => months.get(month)!.rows),
    excluded: [],
  };
}

/**
 * How widely the whole table's step was shared: each member of the smallest breakdown (3 to 12 members)
 * read across the same date, the median of each side against the other. Every channel's order rate down
 * 38–45% from one day is a site-wide break, not a channel's; told when at least four in five went the
 * total's way.
 */
async function withBreadth(ctx: DetectorContext, measure: Measure, change: Fact, granularity: Granularity) {
  const dimension = ctx.profile.dimensions
    .filter((d) => !d.binary && d.cardinality >= 3 && d.cardinality <= 12 && !measure.columns.includes(d.name))
    .sort((a, b) => a.cardinality - b.cardinality || a.name.localeCompare(b.name))[0];
  if (!dimension || !(await ctx.splitsTime(dimension))) return;
  const way = Math.sign(Number(change.data.meanAfter) - Number(change.data.meanBefore));
  const moves = movesAcross(
    (await memberSeries(ctx, dimension, measure, granularity)).values(),
    String(change.data.at),
  );
  if (!moves) return;
  const along = moves.filter((move) => Math.sign(move) === way && Math.abs(move) >= 5).map(Math.abs);
  if (moves.length < 3 || along.length < 0.8 * moves.length) return;
  const claims = new ClaimSet(change.id);
  claims.count('breadthMembers', along.length);
  claims.count('breadthOf', moves.length);
  claims.percent('breadthLow', Math.min(...along));
  claims.percent('breadthHigh', Math.max(...along));
  Object.assign(change.claims, claims.claims);
  change.data.breadth = dimension.name;
}

/** Per-member series of one dimension: each member's trend, shift and spike, judged against its siblings. */
export async function memberTemporalFacts(ctx: DetectorContext): Promise<Fact[]> {
  const time = ctx.profile.time;
  const granularity = ctx.granularity;
  if (!time || !granularity) return [];
  const facts: Fact[] = [];
  const all = ctx.profile.measures;
  const measures = ctx.followedMeasures();
  const totals = await ctx.q.totals(all);
  const nativeGranularity: Granularity = time.granularity === 'minute' ? 'hour' : time.granularity;
  for (const dimension of ctx.profile.dimensions) {
    if (dimension.binary || dimension.cardinality < 2 || dimension.cardinality > 100) continue;
    if (!(await ctx.splitsTime(dimension))) continue;
    ctx.checkAborted();
    const groups = await ctx.q.groups(dimension, all);
    const totalRows = groups.reduce((sum, g) => sum + g.rows, 0);
    const passes: { granularity: Granularity; kinds: ('trend' | 'change' | 'spike' | 'episode')[] }[] = [
      { granularity, kinds: ['trend', 'change', 'spike'] },
    ];
    const pointsPerMember = time.distinct;
    // Day-level spikes per member only for a handful of members: 40 products × 730 days is mostly sparse noise.
    if (finer(nativeGranularity, granularity) && pointsPerMember <= 1500 && dimension.cardinality <= 12)
      passes.push({ granularity: nativeGranularity, kinds: ['spike'] });
    // Episodes of a few days, for the same handful: by day, whatever the story's granularity.
    if (!finer('day', nativeGranularity) && dimension.cardinality <= 12) {
      const days = passes.find((pass) => pass.granularity === 'day');
      if (days) days.kinds.push('episode');
      else passes.push({ granularity: 'day', kinds: ['episode'] });
    }
    // Stops are dated by day for up to fifty members (a station closed for 19 days among 18): the weeks
    // they span are too few to tell a closure from chance.
    if (
      !finer('day', nativeGranularity) &&
      finer('day', granularity) &&
      dimension.cardinality <= 50 &&
      !passes.some((pass) => pass.granularity === 'day')
    )
      passes.push({ granularity: 'day', kinds: [] });
    // Changes found on the story's periods, dated to their day when the day pass comes.
    const changes = new Map<string, number>();
    const firstFact = facts.length;
    // Members that stopped for a while (one per member: a closed store sells nothing of anything).
    const closures = new Map<string, Fact>();
    for (const pass of passes) {
      const grouped = byMember(await ctx.q.memberSeries(dimension, pass.granularity, all));
      for (const measure of measures) {
        const index = all.indexOf(measure);
        // A day pass kept only for stops and for dating changes leaves other measures alone.
        const forStops = countsActivity(measure, ctx.profile.rowsAreEvents);
        const forDates = [...changes.keys()].some((key) => key.endsWith(`\u0000${measure.id}`));
        if (pass.kinds.length === 0 && !forStops && !forDates) continue;
        if (definedByBreakdown(measure, dimension.name, ctx.profile.hierarchy)) continue;
        const seriesByMember = new Map<string, Series>();
        for (const [member, memberRows] of grouped) {
          seriesByMember.set(member, toSeries(memberRows, index, pass.granularity, time.granularity));
        }
        // The same value for every member at every moment (the outdoor temperature beside each household's
        // meter) is the moment's, not the member's: told by the whole table, never as one member's news.
        if (sameForEveryMember([...seriesByMember.values()])) continue;
        const pooled = pooledSpikeScale([...seriesByMember.values()]);
        // Stops on the story's periods, and on days where a day pass runs (a channel paused for six weeks
        // from mid-May: no whole month at zero): each member's activity over the periods the table has.
        const daily = pass.granularity === 'day' && !pass.kinds.includes('trend');
        const stops =
          (pass.kinds.includes('trend') || daily) && countsActivity(measure, ctx.profile.rowsAreEvents)
            ? await stopCalendar(ctx, pass.granularity, index, grouped)
            : null;
        for (const [member, series] of seriesByMember) {
          const dated = changes.get(`${member}\u0000${measure.id}`);
          if (pass.granularity === 'day' && dated !== undefined)
            facts[dated] = datedOnDays(facts[dated]!, series, measure);
          const group = groups.find((g) => g.member === member);
          const total = totals[index] ?? 0;
          const impact =
            measure.aggregation === 'sum' && total > 0
              ? (group?.measures[index]?.value ?? 0) / total
              : (group?.rows ?? 0) / Math.max(1, totalRows);
          const siblings = [...seriesByMember]
            .filter(([other]) => other !== member)
            .map(([other, otherSeries]) => ({ member: other, series: otherSeries }));
          const scope: Scope = { dimension, member, impact, siblings, pooled };
          const known = closures.get(member);
          // On days, a stop already found on months is only dated more precisely; once found, no other measure.
          if (stops && !(known && (!daily || known.data.granularity === 'day'))) {
            const siblingStates = [...stops.activity].flatMap(([other, a]) => (other === member ? [] : [a.states]));
            const closure = detectClosure(
              ctx,
              measure,
              stops.activity.get(member)!,
              stops.calendar,
              { ...scope, siblingStates },
              time.name,
            );
            // Days replace months only where they say more (a stop of whole months reads better as months).
            if (closure && (!known || (overlaps(closure, known) && !sameSpan(closure, known))))
              closures.set(member, closure);
          }
          if (pass.kinds.includes('trend')) {
            const { turn, trend } = shapeFacts(ctx, measure, series, scope, time.name);
            const turnHeld = await turnOnValues(ctx, measure, series, turn, { dimension: dimension.name, member });
            if (turnHeld) facts.push(turnHeld);
            if (trend) facts.push(withShare(trend, measure, series, seriesByMember));
          }
          if (pass.kinds.includes('trend') && dimension.cardinality <= 12) {
            const share = detectShareShift(ctx, measure, series, scope, time.name);
            if (share) facts.push(share);
          }
          let change: Fact | null = null;
          if (pass.kinds.includes('change')) {
            change =
              series.values.length <= FEW_PERIODS.max
                ? await detectFewPeriodShift(ctx, measure, series, dimension, member, impact, time.name)
                : weighedOnTrials(ctx, measure, detectChangePoint(ctx, measure, series, scope, time.name), series);
            // A shift the siblings made too is the table's (told by its total): it only keeps its first
            // period from passing for a spike of this member's.
            if (change && !change.data.shared) {
              changes.set(`${member}\u0000${measure.id}`, facts.length);
              facts.push(change);
            }
          }
          // Under a season every member shares, a member's month is also read against its share of the others.
          const spike = pass.kinds.includes('spike')
            ? ((await confirmedSpike(ctx, measure, series, scope, time.name)) ??
              detectOffShare(ctx, measure, series, scope, time.name))
            : null;
          if (spike && !startsShift(spike, change)) facts.push(spike);
          const episode =
            !spike && pass.kinds.includes('episode')
              ? await heldOnRows(ctx, measure, series, detectEpisode(ctx, measure, series, scope, time.name))
              : null;
          if (episode) facts.push(episode);
          // Weeks off the level and back (roadworks), read on the story's weeks, where nothing else was seen.
          const stretch =
            pass.granularity === 'week' ? WEEKS_EPISODE : pass.granularity === 'day' ? DAYS_STRETCH : null;
          const weeks =
            !spike && !change && pass.kinds.includes('trend') && stretch
              ? await heldOnRows(ctx, measure, series, detectEpisode(ctx, measure, series, scope, time.name, stretch))
              : null;
          if (weeks) facts.push(weeks);
        }
      }
    }
    if (closures.size > 0) {
      // A stopped member's fall to a low, dip or shift down is its stop, told once.
      const stops = [...closures.values()];
      const kept = facts.splice(firstFact).filter((fact) => !stops.some((stop) => explainedByClosure(fact, stop)));
      facts.push(...kept, ...stops);
    }
  }
  return facts.filter((fact) => !stepOfItsBase(ctx, fact, facts));
}

/**
 * A member's step in a count that a rate of the file divides, where its base stepped the same way at the same
 * moment (Orthopaedics' readmissions, up 61% the month its admissions rose 49%): the base's step, told there,
 * and the rate says whether the count outgrew it.
 */
function stepOfItsBase(ctx: DetectorContext, fact: Fact, facts: Fact[]): boolean {
  if (fact.type !== 'change_point' || !fact.subspace) return false;
  const rate = ctx.profile.measures.find((m) => m.ratio && m.aggregation === 'rate' && m.columns[0] === fact.measureId);
  const base = rate?.columns[1];
  if (!base) return false;
  const way = Math.sign(Number(fact.claims.changePct?.value ?? 0));
  return facts.some(
    (other) =>
      other.type === 'change_point' &&
      other.measureId === base &&
      other.subspace?.dimension === fact.subspace!.dimension &&
      other.subspace.member === fact.subspace!.member &&
      other.data.at === fact.data.at &&
      Math.sign(Number(other.claims.changePct?.value ?? 0)) === way,
  );
}

/** The periods of the whole table at a granularity, and each member's activity over them. */
async function stopCalendar(
  ctx: DetectorContext,
  granularity: Granularity,
  index: number,
  byMember: Map<string, MemberBucket[]>,
) {
  const time = ctx.profile.time!;
  const overall = await ctx.q.series(granularity, ctx.profile.measures);
  const periods = toSeries(overall, index, granularity, time.granularity).periods;
  return {
    calendar: { periods, granularity },
    activity: new Map([...byMember].map(([member, rows]) => [member, activityOf(rows, periods, index)])),
  };
}

/** Periods on each side of a spike whose rows it is compared with. */
const SPIKE_NEIGHBOURS = 3;

/**
 * An average's spike must hold on its rows: one very heavy shipment lifts a day's average weight threefold
 * without the day being different. Welch's t of the spike period's rows against its neighbouring periods'
 * (three on each side, the member's rows only for a member); the spike is dropped above p = 0.05.
 */
/** What a period's money per unit needs under it: this many units (conversions, orders) a period. */
const MIN_PER_UNIT_BASE = 10;

async function heldOnRows(ctx: DetectorContext, measure: Measure, series: Series, spike: Fact | null) {
  if (!spike || (measure.aggregation !== 'mean' && measure.aggregation !== 'sum')) return spike;
  const index = Number(spike.data.index);
  // An episode's days against as many days on each side (at least three).
  const length = (spike.data.episode as { length: number } | undefined)?.length ?? 1;
  const reach = Math.max(SPIKE_NEIGHBOURS, length);
  const inside = (i: number) => i >= index && i < index + length;
  const neighbours = series.periods
    .map((_, i) => i)
    .filter((i) => !inside(i) && i >= index - reach && i < index + length + reach);
  const targets = series.periods.map((_, i) => i).filter(inside);
  // A total that dips where its cells are blank (a counter out for a day and a half) dips by the gap.
  if (measure.aggregation === 'sum') {
    const gap =
      spike.data.direction === 'down' &&
      (await blankerThanAround(ctx, measure, series, targets, neighbours, spike.subspace));
    if (gap) return null;
    // Days of a log "running 25× their level" that are one gift of £50,000 on one of them: that row, not a
    // stretch of days (the day's spike tells it).
    if (length > 1 && spike.data.direction === 'up' && measure.id !== ROWS_MEASURE_ID) {
      const inside = targets.reduce((sum, i) => sum + (series.values[i] ?? 0), 0);
      const expected = ((spike.data.expected ?? []) as { t: string; value: number }[])
        .filter(({ t }) => targets.some((i) => series.periods[i] === t))
        .reduce((sum, e) => sum + e.value, 0);
      const largest = await aggregateIn(ctx, `max(${measure.rowSql})`, series, targets, spike.subspace);
      if (inside > expected && largest >= 0.6 * (inside - expected)) return null;
    }
    return spike;
  }
  if (await lacksValuesAround(ctx, measure, series, targets, neighbours, spike.subspace)) return null;
  // Money per conversion on a day of one conversion (€414 for the one sale a campaign made) is that sale.
  // (The base's own measure, or its column where the profile keeps none: conversions dropped as a near copy.)
  const base = measure.perUnit
    ? (ctx.profile.measures.find((m) => m.id === measure.perUnit!.base)?.rowSql ?? quoteIdent(measure.perUnit.base))
    : null;
  if (base && (await aggregateIn(ctx, `sum(${base})`, series, targets, spike.subspace)) < MIN_PER_UNIT_BASE * length)
    return null;
  if (measure.ratio) return spike;
  const test = await periodRowsWelchP(ctx, measure, series, targets, neighbours, spike.subspace);
  // One measurement a period (a country's life expectancy a year): nothing to weigh within a period. In a
  // log of events, a period of a handful of events is those events, not a spike of the average (30 days to
  // open an account, for the one customer of that age who opened one that day).
  const events = ctx.profile.rowsAreEvents;
  if (events && (!test || test.targetRows < 5)) return null;
  if (!test) return spike;
  if (!events && test.rows <= 2 * (SPIKE_NEIGHBOURS + 1)) return spike;
  return ctx.tested(test.p) <= 0.05 ? spike : null;
}

/** A peak or a low of an average (a low of a total) that is a period lacking some of its values: the gap, not news. */
async function turnOnValues(
  ctx: DetectorContext,
  measure: Measure,
  series: Series,
  turn: Fact | null,
  member?: { dimension: string; member: string },
): Promise<Fact | null> {
  if (!turn || turn.data.peakIndex === undefined) return turn;
  const at = Number(turn.data.peakIndex);
  // A total's low where its cells are blank (a depot's telemetry out for most of a week) is the gap.
  if (measure.aggregation === 'sum')
    return turn.data.shape === 'low' &&
      (await blankerThanAround(ctx, measure, series, [at], periodsBeside(series, at), member))
      ? null
      : turn;
  if (measure.aggregation !== 'mean') return turn;
  return (await lacksValuesAround(ctx, measure, series, [at], periodsBeside(series, at), member)) ? null : turn;
}

/**
 * For additive measures: the member's share of the total at the start and the end of the trend; for
 * additive and plainly averaged ones: the members it passed, or that passed it, for good (`overtaking`).
 */
function withShare(fact: Fact, measure: Measure, series: Series, all: Map<string, Series>): Fact {
  if (series.periods.length < 2) return fact;
  // Shares of single periods would not match a trend told year against year; becoming the largest does.
  const yearOnYear = Boolean(fact.data.yearOnYear);
  const additive = measure.aggregation === 'sum';
  const averaged = measure.aggregation === 'mean' && !measure.ratio && !measure.weightedBy;
  if (!additive && !averaged) return fact;
  const shareAt = (period: string, value: number) => {
    let total = 0;
    for (const other of all.values()) {
      const i = positionOf(other, period);
      if (i >= 0) total += other.values[i]!;
    }
    return total > 0 ? (value / total) * 100 : null;
  };
  const first = additive && !yearOnYear ? shareAt(series.periods[0]!, series.values[0]!) : null;
  const last = additive && !yearOnYear ? shareAt(series.periods.at(-1)!, series.values.at(-1)!) : null;
  if (additive && !yearOnYear && (first === null || last === null)) return fact;
  // Prices of different things (two stocks, two wines) are not on one scale: who is "ahead" means nothing.
  const priced = !additive && isPriceName(measure.label);
  const crossings = priced
    ? []
    : overtaking(fact, series, all, additive).filter((crossing) => !yearOnYear || crossing.largest);
  const claims = new ClaimSet(fact.id);
  if (first !== null && last !== null) {
    claims.add('firstShare', first, 'percent', `${first.toFixed(1)}%`);
    claims.add('lastShare', last, 'percent', `${last.toFixed(1)}%`);
  }
  crossings.forEach((crossing, i) => {
    claims.member(`overtook${i}Member`, crossing.member);
    claims.period(
      `overtook${i}Period`,
      crossing.period,
      periodLabel(crossing.period, crossing.yearly ? 'year' : series.granularity),
    );
  });
  // Becoming the largest of them all (Vantive passing Arcadia in Q4 2021) is news about the whole breakdown,
  // however small a share the newcomer started from.
  // (A climb from well behind, among five members or more: passing the runner-up of two is ordinary.)
  const passedFirst = crossings.find((crossing) => crossing.largest && !crossing.by);
  const theirs = passedFirst ? all.get(passedFirst.member) : undefined;
  const theirFirst = theirs ? theirs.values[positionOf(theirs, series.periods[0]!)] : undefined;
  const crowned = all.size >= 5 && theirFirst !== undefined && theirFirst > 0 && series.values[0]! <= 0.7 * theirFirst;
  return {
    ...fact,
    ...(crowned ? { surprise: Math.max(fact.surprise, 1.3), impact: Math.max(fact.impact, 0.5) } : {}),
    ...(crossings.length > 0
      ? { data: { ...fact.data, crossings: crossings.map(({ largest, by, yearly }) => ({ largest, by, yearly })) } }
      : {}),
    claims: { ...fact.claims, ...claims.claims },
  };
}

/** Where each period sits in a series, built once per series (members are looked up period by period). */
const periodPositions = new WeakMap<Series, Map<string, number>>();
function positionOf(series: Series, period: string): number {
  let positions = periodPositions.get(series);
  if (!positions) {
    positions = new Map(series.periods.map((p, i) => [p, i]));
    periodPositions.set(series, positions);
  }
  return positions.get(period) ?? -1;
}

/** One member passing another for good (`by`: the other passed this one), on yearly sums when `yearly`. */
interface Crossing {
  member: string;
  period: string;
  largest: boolean;
  by: boolean;
  yearly: boolean;
}

/**
 * Where a member's rank against others turned over and stayed turned (oil and gas overtook transport as
 * the largest sector in 2005; wind overtook hydro in 2018 and coal in 2022; petrol overtook diesel in
 * 2015): who and when, in time order. A member that ends as the largest after another led at the start is
 * told as passing the one it passed last; otherwise every lasting crossing with another member (up to the
 * three largest others). Empty among two members (passing the other is the whole story of their shares).
 */
function overtaking(fact: Fact, series: Series, all: Map<string, Series>, additive: boolean): Crossing[] {
  const self = fact.subspace?.member;
  if (self === undefined || all.size < 3) return [];
  const n = series.periods.length;
  const leaderAt = (period: string) => {
    let best: { member: string; value: number } | null = null;
    for (const [member, other] of all) {
      const i = positionOf(other, period);
      if (i >= 0 && (best === null || other.values[i]! > best.value)) best = { member, value: other.values[i]! };
    }
    return best?.member ?? null;
  };
  // "The largest" is said of totals only (the highest average is told by the pairs below).
  const leaders = additive ? series.periods.map(leaderAt) : [];
  if (additive && leaders[n - 1] === self && leaders[0] !== self) {
    const lastBehind = leaders.findLastIndex((leader) => leader !== self);
    const passed = leaders[lastBehind];
    // Ahead for three periods at least: a lead of one year is a close race, not an overtaking.
    if (lastBehind > n - 4 || !passed) return [];
    return [{ member: passed, period: series.periods[lastBehind + 1]!, largest: true, by: false, yearly: false }];
  }
  // Among many members (forty products) who passes whom is trivia, and near-equals swap places by chance.
  if (all.size > MAX_RANKED_MEMBERS) return [];
  // Over six years or more, who passed whom is told by the year, as an analyst would (months and weeks
  // also swap places with the seasons).
  const yearly = series.granularity !== 'year' && new Set(series.periods.map((p) => p.slice(0, 4))).size >= 6;
  const found: (Crossing & { size: number })[] = [];
  for (const [member, other] of all) {
    if (member === self) continue;
    const pairs = series.periods.map((period, i) => {
      const j = positionOf(other, period);
      return j < 0 ? null : { period, own: series.values[i]!, other: other.values[j]! };
    });
    if (pairs.some((pair) => pair === null)) continue;
    const paired = pairs as { period: string; own: number; other: number }[];
    const crossing = lastingCrossing(
      yearly ? yearlySums(paired) : paired,
      yearly ? 3 : (FULL_CYCLE[series.granularity] ?? 3),
    );
    // The size that ranks them: the other member's total over the series.
    if (crossing)
      found.push({
        member,
        ...crossing,
        size: other.values.reduce((total, v) => total + v, 0),
        largest: false,
        yearly,
      });
  }
  // The largest others passed (or passing) are the ones worth naming.
  return found
    .sort((a, b) => b.size - a.size || a.member.localeCompare(b.member))
    .slice(0, 3)
    .sort((a, b) => a.period.localeCompare(b.period) || a.member.localeCompare(b.member))
    .map(({ size: _, ...crossing }) => crossing);
}

/**
 * Periods a member must have stayed ahead for: a whole cycle of the seasons (or of the week, or the day),
 * which can swap two members' places for a while; three periods at least.
 */
const FULL_CYCLE: Record<string, number> = { minute: 60, hour: 24, day: 7, week: 13, month: 12, quarter: 4, year: 3 };

/** Dimensions with more members than this are not told who overtook whom (below "as the largest"). */
const MAX_RANKED_MEMBERS = 12;

/**
 * Where one of two series passed the other for good: ahead in two thirds of the first eighth of the periods
 * (three at least), behind over the last eighth by a twentieth of their size on average and in every
 * period from the crossing on (`after` periods at least), having swapped places at most six times.
 * `by` is true when `other` did the passing. Null for fewer than six periods or no such crossing.
 */
function lastingCrossing(
  pairs: { period: string; own: number; other: number }[],
  after: number,
): { period: string; by: boolean } | null {
  const n = pairs.length;
  if (n < 6) return null;
  const gap = (pair: (typeof pairs)[number]) => pair.own - pair.other;
  const ends = Math.max(3, Math.round(n / 8));
  const sum = (part: typeof pairs, f: (pair: (typeof pairs)[number]) => number) =>
    part.reduce((total, pair) => total + f(pair), 0);
  const by = sum(pairs.slice(0, ends), gap) > 0;
  const sign = by ? 1 : -1;
  const size = (pair: (typeof pairs)[number]) => Math.max(pair.own, pair.other);
  const apart = (part: typeof pairs, direction: number) => direction * sum(part, gap) >= 0.05 * sum(part, size);
  const ahead = pairs.map((pair) => gap(pair) > 0);
  const changes = ahead.filter((a, i) => i > 0 && a !== ahead[i - 1]).length;
  const leadingAtStart = ahead.slice(0, ends).filter((a) => a === by).length;
  if (ahead.slice(n - after).some((a) => a === by) || changes > 6 || 3 * leadingAtStart < 2 * ends) return null;
  if (!apart(pairs.slice(n - ends), -sign)) return null;
  const at = ahead.lastIndexOf(by) + 1;
  return { period: pairs[at]!.period, by };
}

/** Sums per calendar year of paired periods (each year labelled by its first period). */
function yearlySums(pairs: { period: string; own: number; other: number }[]) {
  const years: { period: string; own: number; other: number }[] = [];
  for (const pair of pairs) {
    const last = years.at(-1);
    if (last && last.period.slice(0, 4) === pair.period.slice(0, 4)) {
      last.own += pair.own;
      last.other += pair.other;
    } else years.push({ ...pair });
  }
  return years;
}
