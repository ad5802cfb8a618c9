import { queryRows, quoteLiteral } from '../../db/duckdb.ts';
import { chiSquareIndependence, twoSidedNormalP } from '../../stats/index.ts';
import { ClaimSet } from '../narrative/format.ts';
import { isYesMember } from '../narrative/phrases.ts';
import { nameParts } from '../semantics.ts';
import type { Dimension, Fact, Measure } from '../types.ts';
import { type DetectorContext, makeFact, slug } from './context.ts';

/** Strata a gap is compared within: a handful of departments or levels, not hundreds of customers. */
const MAX_STRATA = 12;
/** A stratum counts when both sides have this many rows (trials) in it. */
const MIN_SIDE = 5;
/** What is left of the gap, stratum for stratum, for it to count as explained by mix. */
const EXPLAINED_SHARE = 0.25;

interface Stratum {
  stratum: string;
  inside: number;
  outside: number;
  insideN: number;
  outsideN: number;
  /** Every row of each side in the stratum, with a value or not: what shares of people are told of. */
  insideRows: number;
  outsideRows: number;
  /** The stratum's own level, both sides together. */
  level: number;
}

/**
 * A gap between segments that composition explains (Simpson's paradox for averages and rates): men are
 * admitted more often overall, yet in most departments women are — they applied to the departments that
 * admit few. For each significant segment difference and each other small breakdown (the stratifier),
 * the gap is recomputed stratum for stratum and averaged with Cochran–Mantel–Haenszel weights
 * (n₁n₂/(n₁+n₂)). When that adjusted gap keeps under a quarter of the overall one, or turns the other way,
 * and the two sides are spread over the strata differently (χ² of rows, p ≤ 0.05), the fact is the mix:
 * p is the larger of the two tests; the effect is how much of the gap goes, 1 when it reverses.
 * The segment fact it explains is returned too, marked so that it no longer leads on its own.
 */
export async function mixGapFacts(ctx: DetectorContext, facts: Fact[]): Promise<Fact[]> {
  const found: Fact[] = [];
  for (const segment of facts) {
    if (segment.type !== 'segment_difference' || !segment.dimension || segment.data.withinEntity) continue;
    const measure = ctx.profile.measures.find((m) => m.id === segment.measureId);
    const dimension = ctx.profile.dimensions.find((d) => d.name === segment.dimension);
    if (!measure || !dimension || measure.aggregation === 'sum' || measure.interval) continue;
    // An outcome (churned, returned) is what a gap may explain, never a side of it.
    if (isOutcome(dimension)) continue;
    // The member told first, then the other clear standouts: a gap that turns round wins over one that shrinks.
    // A panel's members compared at its latest moment (coco plots in the last week) are not the whole table's
    // figures the strata hold: the mix is told over all rows, quoting none of that moment's values.
    const atMoment = segment.data.moment !== undefined;
    const alternatives = ((segment.data.alternatives as Side[] | undefined) ?? []).map((side) => ({
      ...side,
      quoted: !atMoment,
    }));
    const told: Side = {
      member: String(segment.data.member),
      value: Number(segment.claims.memberValue?.value),
      rest: Number(segment.claims.restValue?.value),
      effect: segment.effect,
      quoted: !atMoment,
    };
    const toldMix = await mixOfGap(ctx, measure, dimension, told);
    let chosen = toldMix && { side: told, mix: toldMix };
    // Another member replaces the one told only when its gap turns round clearly.
    if (!toldMix?.reversed)
      for (const side of alternatives) {
        const mix = await mixOfGap(ctx, measure, dimension, side);
        if (mix?.clear) {
          chosen = { side, mix };
          break;
        }
      }
    if (!chosen) continue;
    const { side, mix } = chosen;
    const p = ctx.tested(Math.max(mix.p, segment.p));
    if (p > 0.05) continue;
    const origin = {
      id: side === told ? segment.id : undefined,
      effect: side.effect,
      inside: side.quoted ? side.value : Number.NaN,
      outside: side.quoted ? side.rest : Number.NaN,
    };
    found.push(mixFact(origin, measure, dimension, side.member, mix, p));
    // The overall gap alone would mislead: it stays as evidence, never as a lead of its own.
    if (side === told) segment.data.explainedBy = mix.stratifier.name;
  }
  return found;
}

/** A standout member and its gap against the rest, as the segment fact quotes them. */
interface Side {
  member: string;
  value: number;
  rest: number;
  effect: number;
  /** The values are the whole table's, to be quoted and held against the strata (not one moment's). */
  quoted: boolean;
}

/** Each side's trials (or base) and rows over the strata. */
interface SideTotals {
  insideN: number;
  outsideN: number;
  insideRows: number;
  outsideRows: number;
}

interface MixOfGap {
  stratifier: Dimension;
  strata: Stratum[];
  totals: SideTotals;
  adjusted: number;
  p: number;
  against: number;
  reversed: boolean;
  /** Turned round at 5% inside the strata, not just leaning the other way. */
  clear: boolean;
  overall: ReturnType<typeof overallOf>;
}

/**
 * The breakdown that takes one member's gap furthest (turned round beats merely shrunk), among those the two
 * sides are spread over differently: thirty nationalities of a few students each leave a gap "near zero" by
 * their noise alone, where the placement levels turn it round. Null when no breakdown turns the gap round or
 * leaves under a quarter of it.
 */
async function mixOfGap(
  ctx: DetectorContext,
  measure: Measure,
  dimension: Dimension,
  side: Side,
): Promise<MixOfGap | null> {
  const sides = { inside: `${dimension.sql} = ${quoteLiteral(side.member)}`, known: `${dimension.sql} IS NOT NULL` };
  const direction = Math.sign(side.value - side.rest) || 1;
  const rank = (candidate: { adjusted: number; p: number }) => [
    candidate.p > 0.05 ? 1 : 0,
    direction * candidate.adjusted,
  ];
  const before = (a: { adjusted: number; p: number }, b: { adjusted: number; p: number }) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0]! < y[0]! || (x[0] === y[0] && x[1]! < y[1]!);
  };
  let best: Omit<MixOfGap, 'against' | 'reversed' | 'clear' | 'overall'> | null = null;
  for (const stratifier of stratifiersFor(ctx, measure, dimension)) {
    const { strata, ...totals } = await strataOf(ctx, measure, sides, stratifier);
    if (strata.length < 2) continue;
    // A stratum where the measure is nil on both sides gates it (no spend without premium): the "mix" is
    // the gate's own definition, not a paradox.
    if (strata.some((s) => s.inside === 0 && s.outside === 0)) continue;
    const { adjusted, p } = adjustedGap(strata);
    const candidate = { stratifier, strata, totals, adjusted, p };
    if (!best || before(candidate, best)) best = candidate;
  }
  if (!best) return null;
  const overall = overallOf(best.strata);
  const gap = overall.inside - overall.outside;
  // The strata where both sides have rows must hold the gap people quote: CL-9 clips made on one line only
  // leave "the rest" as that line's other products (11.73 years against 7.05 over all of them).
  const quoted = side.value - side.rest;
  if (side.quoted && Number.isFinite(quoted) && Math.abs(gap - quoted) > 0.25 * Math.abs(quoted)) return null;
  // Turned round: the other way on average, by a tenth of the gap at least, and in most strata (else a gap
  // that all but vanished: 0.07 hours the other way is no reversal of 2 hours).
  const against = best.strata.filter((s) => Math.sign(s.inside - s.outside) === -Math.sign(gap)).length;
  const reversed =
    Math.sign(best.adjusted) === -Math.sign(gap) &&
    Math.abs(best.adjusted) >= 0.1 * Math.abs(gap) &&
    2 * against > best.strata.length;
  if (gap === 0 || (!reversed && Math.abs(best.adjusted) >= EXPLAINED_SHARE * Math.abs(gap))) return null;
  // Clearly turned: the strata's weighted gap, tested on their rows, is the other way at 5%. Berkeley's
  // departments turn only so slightly and are still the paradox; a lesser reversal is told, not led with
  // (0.05 points of satisfaction the other way is nearly a gap gone).
  const clear =
    reversed &&
    (measure.ratio !== undefined ||
      Math.abs(await stratifiedZ(ctx, measure, sides, best.stratifier, best.strata)) >= 1.96);
  return { ...best, against, reversed, clear, overall };
}

/**
 * A condition whose gap turns round inside the strata although, overall, it is too small to tell (scholarship
 * holders score 1.4 points lower overall, yet 3.7 to 6.1 points higher in every faculty: they crowd into
 * Engineering, which grades lowest). No segment fact starts `mixGapFacts` here, so each yes/no condition is
 * compared within each small breakdown: the Cochran–Mantel–Haenszel average of the strata's gaps, tested with
 * the strata's own variances (z = Σwᵢdᵢ / √Σwᵢ²(s²₁/n₁ + s²₂/n₂)), must be the other way from the overall
 * gap in most strata, larger than it, and a medium effect at least (Cohen's d of 0.2 on the pooled spread).
 */
export async function reversedConditionGaps(ctx: DetectorContext, facts: Fact[]): Promise<Fact[]> {
  const found: Fact[] = [];
  const told = new Set(facts.filter((f) => f.type === 'simpson').map((f) => `${f.measureId}|${f.dimension}`));
  for (const dimension of ctx.profile.dimensions) {
    if (!dimension.condition || dimension.cardinality !== 2) continue;
    const member = dimension.members.find(isYesMember) ?? dimension.members[0]!;
    const side = { inside: `${dimension.sql} = ${quoteLiteral(member)}`, known: `${dimension.sql} IS NOT NULL` };
    for (const measure of ctx.profile.measures) {
      if (measure.aggregation !== 'mean' || measure.perEntity || measure.columns.includes(dimension.name)) continue;
      if (told.has(`${measure.id}|${dimension.name}`)) continue;
      let best: { stratifier: Dimension; strata: Stratum[]; adjusted: number; p: number; z: number } | null = null;
      for (const stratifier of stratifiersFor(ctx, measure, dimension)) {
        const { strata } = await strataOf(ctx, measure, side, stratifier);
        if (strata.length < 3) continue;
        const { adjusted, p } = adjustedGap(strata);
        const z = await stratifiedZ(ctx, measure, side, stratifier, strata);
        if (!best || Math.abs(z) > Math.abs(best.z)) best = { stratifier, strata, adjusted, p, z };
      }
      if (!best) continue;
      const overall = overallOf(best.strata);
      const gap = overall.inside - overall.outside;
      const against = best.strata.filter((s) => Math.sign(s.inside - s.outside) === Math.sign(best!.adjusted)).length;
      if (gap === 0 || Math.sign(gap) === Math.sign(best.adjusted) || Math.abs(best.adjusted) < Math.abs(gap)) continue;
      if (4 * against < 3 * best.strata.length) continue;
      const spread = await queryRows(
        ctx.q.connection,
        `SELECT stddev_samp(${measure.rowSql}) AS sd FROM ${ctx.profile.table} WHERE ${side.known}`,
      );
      const d = Math.abs(best.adjusted) / Number(spread[0]?.sd ?? Number.POSITIVE_INFINITY);
      const p = ctx.tested(Math.max(best.p, twoSidedNormalP(best.z)));
      if (p > 0.05 || !(d >= 0.2)) continue;
      // No segment fact quotes the overall gap: the strata's own figures are told, and the size of the
      // reversal inside them is the effect.
      const mix = { ...best, totals: overall, against, reversed: true, clear: true, overall };
      found.push(mixFact(null, measure, dimension, member, mix, p, 1 - Math.exp(-d / 0.3)));
    }
  }
  return found;
}

/** z of the stratified gap: each stratum's gap weighted n₁n₂/(n₁+n₂), over its standard error from the rows. */
async function stratifiedZ(
  ctx: DetectorContext,
  measure: Measure,
  side: { inside: string; known: string },
  stratifier: Dimension,
  strata: Stratum[],
): Promise<number> {
  const rows = await queryRows(
    ctx.q.connection,
    `SELECT ${stratifier.sql} AS s, (${side.inside}) AS inside, var_samp(${measure.rowSql}) AS v
     FROM ${ctx.profile.table} WHERE ${stratifier.sql} IS NOT NULL AND ${side.known} GROUP BY 1, 2`,
  );
  const variance = new Map(rows.map((row) => [`${row.s}|${Boolean(row.inside)}`, Number(row.v ?? 0)]));
  let [sum, se2] = [0, 0];
  for (const s of strata) {
    const w = (s.insideN * s.outsideN) / (s.insideN + s.outsideN);
    sum += w * (s.inside - s.outside);
    const v1 = variance.get(`${s.stratum}|true`) ?? 0;
    const v0 = variance.get(`${s.stratum}|false`) ?? 0;
    se2 += w * w * (v1 / s.insideN + v0 / s.outsideN);
  }
  return se2 > 0 ? sum / Math.sqrt(se2) : 0;
}

/**
 * A weekend gap in an average that composition explains: rides run longer at weekends only because casual
 * riders, who ride longer on any day, ride more at weekends. The stratified comparison of segment gaps, with
 * the weekend as the side; a cycle so explained is marked and never leads on its own (it stays as context).
 */
export async function explainWeekendGapsByMix(ctx: DetectorContext, facts: Fact[]): Promise<void> {
  const time = ctx.profile.time;
  if (!time) return;
  for (const fact of facts) {
    if (fact.type !== 'seasonality' || fact.data.cycle !== 'weekday' || !fact.data.weekendShape || fact.subspace)
      continue;
    const measure = ctx.profile.measures.find((m) => m.id === fact.measureId);
    if (!measure || measure.aggregation === 'sum' || measure.interval) continue;
    const side = { inside: `isodow(${time.asTimestampSql}) >= 6`, known: `${time.asTimestampSql} IS NOT NULL` };
    for (const stratifier of stratifiersFor(ctx, measure)) {
      const { strata } = await strataOf(ctx, measure, side, stratifier);
      if (strata.length < 2) continue;
      const { adjusted, p } = adjustedGap(strata);
      const overall = overallOf(strata);
      const gap = overall.inside - overall.outside;
      if (gap !== 0 && p <= 0.05 && Math.abs(adjusted) < EXPLAINED_SHARE * Math.abs(gap)) {
        fact.data.explainedBy = stratifier.name;
        break;
      }
    }
  }
}

/**
 * The gap stratum for stratum, averaged with Cochran–Mantel–Haenszel weights (n₁n₂/(n₁+n₂)), and the p of
 * the two sides being spread over the strata differently (χ² of rows).
 */
function adjustedGap(strata: Stratum[]): { adjusted: number; p: number } {
  const weights = strata.map((s) => (s.insideN * s.outsideN) / (s.insideN + s.outsideN));
  const adjusted =
    strata.reduce((sum, s, i) => sum + weights[i]! * (s.inside - s.outside), 0) / weights.reduce((a, b) => a + b, 0);
  return { adjusted, p: chiSquareIndependence(strata.map((s) => [s.insideN, s.outsideN])).p };
}

/**
 * Breakdowns a gap in `measure` is compared within: a handful of members, not the gap's own breakdown, not
 * an outcome (holding it fixed would compare within what the gap leads to), not a column of the measure.
 */
const stratifiersFor = (ctx: DetectorContext, measure: Measure, gapDimension?: Dimension) =>
  ctx.profile.dimensions.filter(
    (stratifier) =>
      stratifier !== gapDimension &&
      stratifier.cardinality >= 2 &&
      stratifier.cardinality <= MAX_STRATA &&
      !isOutcome(stratifier) &&
      !measure.columns.includes(stratifier.name),
  );

/** A yes/no column that is a result (churned), not a condition rows were under (promo). */
export const isOutcome = (dimension: Dimension) => dimension.binary && !dimension.condition;

/** The measure inside and outside a side (a member, the weekend), in each stratum where both have enough rows. */
async function strataOf(
  ctx: DetectorContext,
  measure: Measure,
  side: { inside: string; known: string },
  stratifier: Dimension,
): Promise<{ strata: Stratum[] } & SideTotals> {
  const n = measure.ratio ? `sum(${measure.ratio.denominatorSql})` : `count(${measure.rowSql})`;
  const rows = await queryRows(
    ctx.q.connection,
    `SELECT ${stratifier.sql} AS s, (${side.inside}) AS inside, ${measure.aggregateSql} AS v, ${n} AS n, count(*) AS rows
     FROM ${ctx.profile.table} WHERE ${stratifier.sql} IS NOT NULL AND ${side.known}
     GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const byStratum = new Map<string, Partial<Stratum>>();
  // Every row of each side, in strata that count or not: the shares told are of all of them.
  const totals = { insideN: 0, outsideN: 0, insideRows: 0, outsideRows: 0 };
  for (const row of rows) {
    // A commuter who left the cost blank is still a commuter: shares of the people count every row.
    if (row.inside) totals.insideRows += Number(row.rows);
    else totals.outsideRows += Number(row.rows);
    if (row.v === null || row.n === null) continue;
    if (row.inside) totals.insideN += Number(row.n);
    else totals.outsideN += Number(row.n);
    const entry = byStratum.get(String(row.s)) ?? { stratum: String(row.s) };
    if (row.inside)
      Object.assign(entry, { inside: Number(row.v), insideN: Number(row.n), insideRows: Number(row.rows) });
    else Object.assign(entry, { outside: Number(row.v), outsideN: Number(row.n), outsideRows: Number(row.rows) });
    byStratum.set(String(row.s), entry);
  }
  const strata = [...byStratum.values()]
    .filter((s): s is Omit<Stratum, 'level'> => (s.insideN ?? 0) >= MIN_SIDE && (s.outsideN ?? 0) >= MIN_SIDE)
    .map((s) => ({
      ...s,
      level: (s.inside * s.insideN + s.outside * s.outsideN) / (s.insideN + s.outsideN),
    }));
  return { strata, ...totals };
}

/** Both sides over the strata that count, weighted by their rows (trials): the overall figures told. */
function overallOf(strata: Stratum[]) {
  const insideN = strata.reduce((sum, s) => sum + s.insideN, 0);
  const outsideN = strata.reduce((sum, s) => sum + s.outsideN, 0);
  return {
    inside: strata.reduce((sum, s) => sum + s.inside * s.insideN, 0) / insideN,
    outside: strata.reduce((sum, s) => sum + s.outside * s.outsideN, 0) / outsideN,
    insideN,
    outsideN,
    insideRows: strata.reduce((sum, s) => sum + s.insideRows, 0),
    outsideRows: strata.reduce((sum, s) => sum + s.outsideRows, 0),
    level: strata.reduce((sum, s) => sum + s.level * (s.insideN + s.outsideN), 0) / (insideN + outsideN),
  };
}

/**
 * The mix fact of a gap: explaining a segment gap (whose quoted figures it tells, and whose effect caps its own),
 * or, with no segment, a reversal under an overall gap too small to tell, whose `effect` the caller sizes.
 */
function mixFact(
  /** The segment fact's gap (its id when it is the member that fact tells), or null when none quotes it. */
  origin: { id: string | undefined; effect: number; inside: number; outside: number } | null,
  measure: Measure,
  dimension: Dimension,
  member: string,
  /** Its strata; a reversal that is not `clear` (at 5% inside the strata) is told but weighs less. */
  mix: Omit<MixOfGap, 'p'>,
  p: number,
  effect?: number,
): Fact {
  const { stratifier, strata, totals, adjusted, against, reversed, clear, overall } = mix;
  // The figures people quote are the whole table's (the segment's own); the strata where both sides have
  // rows hold the same gap within a quarter (checked by the caller).
  const quoted = (value: number | undefined, fallback: number) => (Number.isFinite(value) ? value! : fallback);
  const whole = { inside: quoted(origin?.inside, overall.inside), outside: quoted(origin?.outside, overall.outside) };
  const gap = whole.inside - whole.outside;
  const id = `mix:${slug(measure.id)}:${slug(dimension.name)}:${slug(stratifier.name)}`;
  const claims = new ClaimSet(id);
  const other = dimension.cardinality === 2 ? dimension.members.find((m) => m !== member) : undefined;
  claims.member('member', member);
  if (other !== undefined) claims.member('other', other);
  claims.measure('memberValue', whole.inside, measure);
  claims.measure('restValue', whole.outside, measure);
  claims.count('strata', strata.length);
  claims.count('against', against);
  // The gap stratum for stratum, as a size (the side ahead is said in words).
  claims.measure('adjustedGap', Math.abs(adjusted), measure);
  claims.measure('gap', Math.abs(gap), measure);
  // Where the mix comes from: the stratum one side crowds into, whose own level pulls that side's average.
  // Shares of the rows (the people), not of those with a value; a ratio's are of its base (sessions).
  const shareIn = (s: Stratum) =>
    measure.ratio ? s.insideN / totals.insideN : s.insideRows / Math.max(1, totals.insideRows);
  const shareOut = (s: Stratum) =>
    measure.ratio ? s.outsideN / totals.outsideN : s.outsideRows / Math.max(1, totals.outsideRows);
  const pull = (s: Stratum) => (shareIn(s) - shareOut(s)) * (s.level - overall.level) * Math.sign(gap);
  const source = [...strata].sort((a, b) => pull(b) - pull(a) || (a.stratum < b.stratum ? -1 : 1))[0]!;
  const crowded = shareIn(source) >= shareOut(source) ? 'inside' : 'outside';
  // A base of money (offer cost over revenue) is crowded in dollars, which a sentence about where the rows
  // are would misread as sessions: the crowding is then left untold.
  if (!(measure.ratio && nameParts(measure.columns[1] ?? '').currency)) {
    claims.member('source', source.stratum);
    claims.percent('sourceInsideShare', shareIn(source) * 100);
    claims.percent('sourceOutsideShare', shareOut(source) * 100);
    claims.measure('sourceLevel', source.level, measure);
  }
  return makeFact({
    id,
    type: 'simpson',
    measureId: measure.id,
    dimension: dimension.name,
    subspace: { dimension: dimension.name, member },
    columns: [...measure.columns, dimension.name, stratifier.name],
    p,
    // Explaining away a small gap is small news: the effect is capped by the gap's own size, as an effect
    // (0.5 or more counts in full) or as a share of the level (a fifth or more counts in full).
    // A gap that turns round is the paradox itself, whatever its share of the level, once the gap is a
    // small effect at least (a point on a wine's 80–100 scale, against three of spread).
    effect:
      effect ??
      (reversed && (origin?.effect ?? 0) >= 0.2
        ? 1
        : (reversed ? 1 : Math.min(1, 1 - Math.abs(adjusted) / Math.abs(gap))) *
          Math.min(
            1,
            Math.max(2 * (origin?.effect ?? 0), overall.level ? Math.abs(gap) / (0.2 * Math.abs(overall.level)) : 1),
          )),
    impact: 1,
    // The overall gap is what people quote; that it vanishes inside the strata is the news.
    surprise: reversed ? (clear ? 1.3 : 1.15) : 1.1,
    claims: claims.claims,
    data: {
      kind: 'gap',
      member,
      stratifier: stratifier.name,
      // The numeric columns the stratifier cuts into ranges (age_group of age): a driver on them is this mix.
      ...(stratifier.binOf ? { stratifierOf: stratifier.binOf } : {}),
      reversed,
      direction: gap > 0 ? 'higher' : 'lower',
      crowded,
      ...(origin?.id ? { explains: origin.id } : {}),
      stratified: strata.map((s) => ({ group: s.stratum, inside: s.inside, outside: s.outside })),
    },
  });
}

/** A cycle's swing (highest less lowest) over its mean level, from rows of one column `key` per position. */
function amplitude(rows: Record<string, unknown>[], key: string): number {
  const values = rows.map((row) => Number(row[key])).filter(Number.isFinite);
  const level = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return level > 0 ? (Math.max(...values) - Math.min(...values)) / level : 0;
}

/** SQL for a row's place in a cycle: its month, quarter, weekday or hour. */
const CYCLE_PART: Record<string, (t: string) => string> = {
  month: (t) => `month(${t})`,
  quarter: (t) => `quarter(${t})`,
  weekday: (t) => `isodow(${t})`,
  hour: (t) => `hour(${t})`,
};

/**
 * An average's cycle that is its mix (a shop's unit price highest in December because equipment, dear by the
 * piece, sells then): the cycle is measured again on each row's value over its member's own level, for each
 * small breakdown; where the swing keeps under a third of its size, what moves through the year is which
 * members sell, not their prices, and the cycle may support a story but not lead one. (Ratios of swings:
 * the sample of a large file tells them as well as all its rows.)
 */
export async function explainAverageCyclesByMix(ctx: DetectorContext, facts: Fact[]): Promise<void> {
  const time = ctx.profile.time;
  if (!time) return;
  for (const cycle of facts) {
    if (cycle.type !== 'seasonality' || cycle.subspace || cycle.data.explainedBy !== undefined) continue;
    const measure = ctx.profile.measures.find((m) => m.id === cycle.measureId);
    const part = CYCLE_PART[String(cycle.data.cycle)];
    if (!measure || !part || measure.aggregation !== 'mean' || measure.interval || !measure.nonNegative) continue;
    for (const dimension of stratifiersFor(ctx, measure)) {
      if (dimension.binary) continue;
      // Names no CSV column takes: a file's own "level" column must not meet the join's.
      const rows = await queryRows(
        ctx.q.connection,
        `WITH __levels AS (SELECT ${dimension.sql} AS __member, avg(${measure.rowSql}) AS __level FROM ${ctx.profile.sampleRelation}
                         WHERE ${dimension.sql} IS NOT NULL GROUP BY 1 HAVING avg(${measure.rowSql}) > 0)
         SELECT ${part(time.asTimestampSql)} AS k, avg(${measure.rowSql}) AS raw, avg(${measure.rowSql} / __levels.__level) AS fixed
         FROM ${ctx.profile.sampleRelation} JOIN __levels ON ${dimension.sql} = __levels.__member
         WHERE ${measure.rowSql} IS NOT NULL AND ${time.asTimestampSql} IS NOT NULL GROUP BY 1`,
      );
      const raw = amplitude(rows, 'raw');
      if (rows.length >= 3 && raw > 0 && amplitude(rows, 'fixed') < raw / 3) {
        cycle.data.explainedBy = dimension.name;
        break;
      }
    }
  }
}
