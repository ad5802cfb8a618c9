import { queryRows } from '../../db/duckdb.ts';
import { median } from '../../stats/index.ts';
import { ClaimSet, valueRole } from '../narrative/format.ts';
import { finer, periodLabel, weekdayNames } from '../time.ts';
import { type Dimension, type Fact, type Measure, ROWS_MEASURE_ID } from '../types.ts';
import { countsActivity } from './closure.ts';
import { type DetectorContext, makeFact, relativeEffect, slug } from './context.ts';

/**
 * Usually-active hours an outage must span, the longest told here (longer stops are days, told by
 * `closure.ts`), the usual events it must have cost, and how far below its usual weekday it left the day.
 */
const OUTAGE = { minHours: 4, maxHours: 48, around: 24, minEvents: 10, minDayDent: 0.25 } as const;
const HOUR_MS = 3_600_000;

/**
 * A member that went silent for some hours while the others carried on: a bike counter reading zero for ten
 * daytime hours, a city with no courier jobs from 09:00 to 15:00. In data stamped to the hour or finer, each
 * member's hours are set against the same hour of the week in its other weeks (the median), so the quiet of
 * its nights and closed Sundays is no outage. A run of empty hours is one when the volume those hours
 * usually bring, λ, makes nothing at all unlikely (Poisson: e^−λ, or where the member's counts come in bursts
 * its own rate of empty busy hours, whichever is likelier; Bonferroni over every run of empty hours) and
 * most of the other members kept their usual pace through it (else it is the whole file's gap).
 */
export async function outageFacts(ctx: DetectorContext): Promise<Fact[]> {
  const time = ctx.profile.time;
  if (!time || !finer(time.granularity, 'day')) return [];
  const measure = ctx
    .followedMeasures()
    .find(
      (m) => m.id !== ROWS_MEASURE_ID && countsActivity(m, ctx.profile.rowsAreEvents) && m.format.kind === 'integer',
    );
  const counted =
    measure ?? (ctx.profile.rowsAreEvents ? ctx.profile.measures.find((m) => m.id === ROWS_MEASURE_ID) : undefined);
  if (!counted) return [];
  const facts: Fact[] = [];
  for (const dimension of ctx.profile.dimensions) {
    if (dimension.binary || dimension.cardinality < 3 || dimension.cardinality > 30) continue;
    if (!(await ctx.splitsTime(dimension))) continue;
    ctx.checkAborted();
    const found = await outagesOf(ctx, dimension, counted);
    facts.push(...found);
  }
  return facts;
}

async function outagesOf(ctx: DetectorContext, dimension: Dimension, measure: Measure): Promise<Fact[]> {
  const time = ctx.profile.time!;
  const rows = await queryRows(
    ctx.q.connection,
    `SELECT CAST(${dimension.sql} AS VARCHAR) AS member, epoch_ms(date_trunc('hour', ${time.asTimestampSql})) AS t,
            ${measure.aggregateSql} AS v, count(*) AS n, count(${measure.rowSql}) AS filled
     FROM ${ctx.profile.table} WHERE ${time.sql} IS NOT NULL AND ${dimension.sql} IS NOT NULL GROUP BY 1, 2`,
  );
  if (rows.length === 0) return [];
  // (A loop, not Math.min(...): a year of hours of 16 sites is more arguments than a call may take.)
  let [first, last] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (const row of rows) [first, last] = [Math.min(first, Number(row.t)), Math.max(last, Number(row.t))];
  const hours = Math.round((last - first) / HOUR_MS) + 1;
  // Four weeks at least, so that each hour of the week has a usual value; and not a decade of hours.
  if (hours < 4 * 168 || hours > 200_000) return [];
  const values = new Map<string, Float64Array>();
  // Rows per hour, where rows are events: their count, not the quantity they carry, is what chance moves
  // (three orders of 200 stems are three chances, not 600).
  const events = new Map<string, Float64Array>();
  // Rows with a reading of the measure: a counter's rows left blank are no readings, not zero vehicles.
  const readings = new Map<string, Float64Array>();
  for (const row of rows) {
    const member = String(row.member);
    if (!values.has(member)) {
      values.set(member, new Float64Array(hours));
      events.set(member, new Float64Array(hours));
      readings.set(member, new Float64Array(hours));
    }
    const [series, counts] = [values.get(member)!, events.get(member)!];
    const i = Math.round((Number(row.t) - first) / HOUR_MS);
    series[i] = Number(row.v ?? 0);
    counts[i] = Number(row.n);
    readings.get(member)![i] = Number(row.filled);
  }
  // The hour of the week of each hour (Monday 00:00 = 0), from the first hour's.
  const firstDate = new Date(first);
  const firstSlot = ((firstDate.getUTCDay() + 6) % 7) * 24 + firstDate.getUTCHours();
  const slotOf = (i: number) => (firstSlot + i) % 168;
  const usualBySlot = (series: Float64Array) => {
    const usual = new Float64Array(168);
    for (let slot = 0; slot < 168; slot++) {
      const same: number[] = [];
      for (let i = (slot - firstSlot + 168) % 168; i < hours; i += 168) same.push(series[i]!);
      usual[slot] = median(same) ?? 0;
    }
    return usual;
  };
  const usualOf = new Map([...values].map(([member, series]) => [member, usualBySlot(series)]));
  const usualEventsOf = ctx.profile.rowsAreEvents
    ? new Map([...events].map(([member, counts]) => [member, usualBySlot(counts)]))
    : usualOf;
  // Every run of empty hours that could have been told, across the members: the tests made.
  const silences = new Map(
    [...values].map(([member, series]) => [member, longestSilence(series, usualOf.get(member)!, slotOf)]),
  );
  const tries = Math.max(
    1,
    [...silences.values()].reduce((sum, best) => sum + (best?.candidates ?? 0), 0),
  );
  const facts: Fact[] = [];
  for (const [member, series] of values) {
    const usual = usualOf.get(member)!;
    const best = silences.get(member);
    if (!best) continue;
    const { from, length, expected } = best;
    // A sum over the run's hours.
    const overRun = (at: (i: number) => number) => {
      let sum = 0;
      for (let i = from; i < from + length; i++) sum += at(i);
      return sum;
    };
    const usualEvents = usualEventsOf.get(member)!;
    const chances = overRun((i) => usualEvents[slotOf(i)]!);
    if (chances < OUTAGE.minEvents) continue;
    // Counts come in bursts more than Poisson allows (a small platform's quiet afternoons): the chance of an
    // empty hour is also read from the member's own usually-active hours outside the run, and the larger
    // of the two chances is taken.
    // Hours as busy as the run's (its median usually-active hour) are the ones compared.
    const runUsual: number[] = [];
    for (let i = from; i < from + length; i++) if (usual[slotOf(i)]! >= 1) runUsual.push(usual[slotOf(i)]!);
    const busy = median(runUsual) ?? 1;
    let activeHours = 0;
    let emptyHours = 0;
    for (let i = 0; i < series.length; i++) {
      if ((i >= from && i < from + length) || usual[slotOf(i)]! < busy) continue;
      activeHours++;
      if (series[i] === 0) emptyHours++;
    }
    const q = (emptyHours + 0.5) / (activeHours + 1);
    const busyInRun = runUsual.filter((u) => u >= busy).length;
    const p = ctx.tested(Math.min(1, tries * Math.max(Math.exp(-chances), q ** busyInRun)));
    if (p > 0.05) continue;
    // The others kept their pace: those active then brought at least half their usual volume, most of them.
    let others = 0;
    let carried = 0;
    for (const [other, otherSeries] of values) {
      if (other === member) continue;
      const otherUsual = usualOf.get(other)!;
      const got = overRun((i) => otherSeries[i]!);
      const wanted = overRun((i) => otherUsual[slotOf(i)]!);
      if (wanted <= 0) continue;
      others++;
      if (got >= 0.5 * wanted) carried++;
    }
    if (others === 0 || carried < 0.75 * others) continue;
    // A log of readings with no rows at all in those hours lost its data, which is not a count of zero.
    const filled = readings.get(member)!;
    const silent = !ctx.profile.rowsAreEvents && overRun((i) => filled[i]!) === 0;
    const fact = outageFact(
      ctx,
      dimension,
      measure,
      member,
      series,
      usual,
      slotOf,
      first,
      { from, length, expected, p, silent },
      { others, carried },
    );
    if (fact) facts.push(fact);
  }
  return facts;
}

/**
 * The run of hours at zero that would have brought the most, with activity on both sides (a start or an
 * end of the data is a launch or a stop, not an outage), at least `minHours` of them usually active.
 */
function longestSilence(series: Float64Array, usual: Float64Array, slotOf: (i: number) => number) {
  let best: { from: number; length: number; expected: number } | null = null;
  let candidates = 0;
  const n = series.length;
  for (let i = 1; i < n; i++) {
    if (series[i] !== 0 || series[i - 1] === 0) continue;
    let end = i;
    let expected = 0;
    let active = 0;
    while (end < n && series[end] === 0) {
      const e = usual[slotOf(end)]!;
      expected += e;
      if (e >= 1) active++;
      end++;
    }
    if (end === n || end - i > OUTAGE.maxHours || active < OUTAGE.minHours) continue;
    candidates++;
    if (!best || expected > best.expected) best = { from: i, length: end - i, expected };
  }
  return best ? { ...best, candidates } : null;
}

function outageFact(
  ctx: DetectorContext,
  dimension: Dimension,
  measure: Measure,
  member: string,
  series: Float64Array,
  usual: Float64Array,
  slotOf: (i: number) => number,
  first: number,
  run: { from: number; length: number; expected: number; p: number; silent: boolean },
  siblings: { others: number; carried: number },
): Fact | null {
  const iso = (i: number) => new Date(first + i * HOUR_MS).toISOString().slice(0, 19);
  const clock = (i: number) => iso(i).slice(11, 16);
  const { from, length } = run;
  const start = iso(from);
  const id = `spike:${slug(measure.id)}:${slug(dimension.name)}-${slug(member)}:${start.slice(0, 13)}`;
  const claims = new ClaimSet(id);
  const role = valueRole(measure);
  const day = `${start.slice(0, 10)}T00:00:00`;
  claims.period('period', day, periodLabel(day, 'day'));
  // A run past midnight names the day it ended on.
  const end = iso(from + length);
  // (Midnight the next day closes the day; a run of 48 hours ends two days on, and says so.)
  const nextMidnight = end.slice(11, 16) === '00:00' && end.slice(0, 10) === iso(from + 24).slice(0, 10);
  claims.period('startHour', start, clock(from));
  claims.period(
    'endHour',
    end,
    end.slice(0, 10) === start.slice(0, 10) || (nextMidnight && length <= 24)
      ? clock(from + length)
      : `${periodLabel(`${end.slice(0, 10)}T00:00:00`, 'day')} ${clock(from + length)}`,
  );
  claims.period('endPeriod', iso(from + length - 1), periodLabel(iso(from + length - 1), 'hour'));
  claims.count('length', length);
  claims.measure('expected', run.expected, measure, role);
  claims.count('othersActive', siblings.carried);
  // The day as a whole against the member's usual day of that weekday (the file's first, partial day aside).
  const dayStart = from - Number(start.slice(11, 13));
  if (dayStart < 0) return null;
  const dayTotal = (d: number) => {
    let sum = 0;
    for (let i = d; i < Math.min(d + 24, series.length); i++) sum += series[i]!;
    return sum;
  };
  const sameWeekday: number[] = [];
  for (let d = dayStart % 168; d + 24 <= series.length; d += 168) if (d !== dayStart) sameWeekday.push(dayTotal(d));
  const typicalDay = median(sameWeekday) ?? 0;
  const thatDay = dayTotal(dayStart);
  // Hours that leave the day whole are no outage of note (a small platform's quiet evening).
  if (!(typicalDay > 0) || thatDay > (1 - OUTAGE.minDayDent) * typicalDay) return null;
  const weekday = weekdayNames[(new Date(`${day}Z`).getUTCDay() + 6) % 7]!;
  // (A day without readings came to no total at all: its zero is not told as a count.)
  if (!run.silent) {
    claims.add('weekday', weekday, 'period', weekday);
    claims.measure('dayValue', thatDay, measure, role);
    claims.measure('dayTypical', typicalDay, measure, role);
    claims.percent('dayDropPct', (1 - thatDay / typicalDay) * 100);
  }
  const window = [Math.max(0, from - OUTAGE.around), Math.min(series.length, from + length + OUTAGE.around)] as const;
  const points = [];
  const expected = [];
  for (let i = window[0]; i < window[1]; i++) {
    points.push({ t: iso(i), value: series[i]! });
    expected.push({ t: iso(i), value: usual[slotOf(i)]! });
  }
  return makeFact({
    id,
    type: 'spike',
    measureId: measure.id,
    subspace: { dimension: dimension.name, member },
    columns: [ctx.profile.time!.name, ...measure.columns, dimension.name],
    dimension: dimension.name,
    p: run.p,
    effect: relativeEffect(1),
    // A few hours of one member: its news, not the file's; sized by the day it dented.
    impact: Math.min(1, Math.max(0.3, 1 - thatDay / typicalDay)),
    // (A logger's gap is the data's story more than the member's.)
    surprise: (siblings.carried === siblings.others ? 1.2 : 1) * (run.silent ? 0.5 : 1),
    claims: claims.claims,
    data: {
      granularity: 'hour',
      direction: 'down',
      points,
      index: from - window[0],
      at: start,
      episode: { from: from - window[0], length },
      outage: { allOthers: siblings.carried === siblings.others, noReadings: run.silent },
      expected,
      band: expected.map((p) => ({ t: p.t, lower: p.value * 0.85, upper: p.value * 1.15 })),
    },
  });
}
