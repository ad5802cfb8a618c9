import { queryOne, queryRows } from '../../db/duckdb.ts';
import { mean, pearson, quantileSorted, sortedFinite, spearman, tTwoSidedP } from '../../stats/index.ts';
import { ClaimSet, formatMeasureValue } from '../narrative/format.ts';
import {
  explainingRank,
  isAdditiveName,
  isAttributeOfThing,
  isAveragedName,
  isBoundPair,
  isCapacityName,
  isConditionName,
  isCostName,
  isEngineSpecName,
  isHappenedName,
  isIntentName,
  isLifecycleName,
  isMortalityName,
  isNumberedPair,
  isOutcomeName,
  isPerThingName,
  isPolicySettingName,
  isPopulationName,
  isProcessTimeName,
  isRefundName,
  isReliabilityName,
  isSatisfactionName,
  isScoreName,
  isSpendOutcomeName,
  isVerdictName,
} from '../semantics.ts';
import { finer, spanSeconds } from '../time.ts';
import { type DatasetProfile, type Fact, type Measure, ROWS_MEASURE_ID } from '../types.ts';
import { type DetectorContext, makeFact, relativeEffect, slug } from './context.ts';
import { toSeries, valuesByPeriod } from './series.ts';

const correlationP = (r: number, n: number) => {
  if (n < 4 || !Number.isFinite(r)) return 1;
  if (Math.abs(r) >= 1) return 0;
  return tTwoSidedP((r * Math.sqrt(n - 2)) / Math.sqrt(1 - r * r), n - 2);
};

/** Numeric columns whose row values can correlate meaningfully (not rates of binaries, not row counts). */
function rowMeasures(ctx: DetectorContext): Measure[] {
  return ctx.profile.measures.filter(
    (m) => m.aggregation !== 'rate' && m.id !== ROWS_MEASURE_ID && !m.ratio && !m.longMetric && !m.perRowOf,
  );
}

/**
 * Two measures that go together by construction: one built from the other's columns (home − away score and
 * home score, a change and its baseline), or computed from or with it (count = casual + registered,
 * revenue = units × price).
 */
export const computedTogether = (derived: DatasetProfile['derived'], a: Measure, b: Measure) =>
  a.columns.some((column) => b.columns.includes(column)) ||
  derived.some((d) => (d.column === a.id && d.from.includes(b.id)) || (d.column === b.id && d.from.includes(a.id)));

/** A count and its base whose rate is a measure of its own (checkouts of sessions): more of one is more of the other. */
const rateParts = (measures: Measure[], a: Measure, b: Measure) =>
  measures.some(
    (m) =>
      m.ratio !== undefined &&
      ((m.ratio.numeratorSql === a.rowSql && m.ratio.denominatorSql === b.rowSql) ||
        (m.ratio.numeratorSql === b.rowSql && m.ratio.denominatorSql === a.rowSql)),
  );

/** A count and the money of the same things (bookings and booking value): more of one is more of the other. */
const countAndItsValue = (a: Measure, b: Measure) =>
  [
    [a, b],
    [b, a],
  ].some(([count, value]) => {
    if (count!.aggregation !== 'sum' || value!.aggregation !== 'sum' || count!.format.kind !== 'integer') return false;
    const one = count!.label.toLowerCase().replace(/ies$/, 'y').replace(/s$/, '');
    const [head, ...rest] = value!.label.toLowerCase().split(' ');
    return head === one && /^(value|revenue|amount|sales|total|spend|cost)$/.test(rest.join(' '));
  });

const isDerivedPair = (ctx: DetectorContext, a: Measure, b: Measure) =>
  computedTogether(ctx.profile.derived, a, b) ||
  countAndItsValue(a, b) ||
  rateParts(ctx.profile.measures, a, b) ||
  // A smooth level of one series (payrolls, month by month) is its path: anything else that drifted over the
  // same years goes with it (r = 0.98 for two sectors' payrolls), and its rows are not independent draws.
  a.smoothSeries === true ||
  b.smoothSeries === true;

/** Mean of `b` in the bottom and top quartile of `a`: what the correlation means in units. */
async function quartileContrast(ctx: DetectorContext, a: Measure, b: Measure, where = 'TRUE') {
  const relation = ctx.profile.sampleRelation;
  const row = await queryOne(
    ctx.q.connection,
    `WITH __q AS (SELECT quantile_cont(${a.rowSql}, 0.25) AS __lo, quantile_cont(${a.rowSql}, 0.75) AS __hi FROM ${relation} WHERE ${where})
     SELECT avg(${b.rowSql}) FILTER (WHERE ${a.rowSql} <= __lo) AS bottom, avg(${b.rowSql}) FILTER (WHERE ${a.rowSql} >= __hi) AS top,
            any_value(__lo) AS lo, any_value(__hi) AS hi
     FROM ${relation}, __q WHERE ${a.rowSql} IS NOT NULL AND ${b.rowSql} IS NOT NULL AND ${where}`,
  );
  return { bottom: Number(row.bottom), top: Number(row.top), lo: Number(row.lo), hi: Number(row.hi) };
}

const isTemperatureUnit = (unit: string) => unit === '°C' || unit === '°F' || unit === 'K';

/** An amount that grows with the size of what a row is (staff, revenue, tonnes): no share, score or ratio. */
function isSizeLike(measure: Measure): boolean {
  const name = measure.columns.join(' ');
  return (
    measure.columns.length === 1 &&
    measure.nonNegative &&
    measure.format.kind !== 'percent' &&
    !measure.scale &&
    !measure.interval &&
    !measure.ratio &&
    !measure.perUnit &&
    !measure.weightedBy &&
    !measure.comparesThings &&
    !isAveragedName(name) &&
    !isPerThingName(name) &&
    !isScoreName(name)
  );
}

const isPopulation = (m: Measure) => m.columns.length === 1 && isPopulationName(m.columns[0]!);

/**
 * A count of a thing's own (a city's bike-share docks, its road deaths), not a rate or a share of it. Looser
 * than `isSizeLike`, whose averaged words would read "bike share docks" as a share.
 */
function isCountOfThing(m: Measure): boolean {
  return (
    m.columns.length === 1 &&
    m.nonNegative &&
    m.format.kind !== 'percent' &&
    !m.ratio &&
    !m.scale &&
    !isPerThingName(m.columns[0]!) &&
    !/(^|[_\s-])(per|pct|percent|rate|ratio|avg|average|mean|median|index|score)([_\s-]|$)/i.test(m.columns[0]!)
  );
}

/** Values whose upper tenth lies 8 times above their lower tenth or more: sizes of things, not levels. */
function spansOrders(values: number[]): boolean {
  const sorted = sortedFinite(values);
  if (sorted.length < 20) return false;
  const [low, high] = [quantileSorted(sorted, 0.1), quantileSorted(sorted, 0.9)];
  return low > 0 && high >= 8 * low;
}

/** Up to `limit` points for a scatter plot, spread over the data deterministically. */
async function scatterPoints(
  ctx: DetectorContext,
  a: Measure,
  b: Measure,
  color: string | null,
  limit = 1500,
  where = 'TRUE',
) {
  const relation = ctx.profile.sampleRelation;
  const rows = await queryRows(
    ctx.q.connection,
    `SELECT ${a.rowSql} AS x, ${b.rowSql} AS y${color ? `, CAST(${color} AS VARCHAR) AS g` : ''} FROM ${relation}
     WHERE ${a.rowSql} IS NOT NULL AND ${b.rowSql} IS NOT NULL AND ${where}
     ORDER BY hash(rowid) LIMIT ${limit}`,
  );
  return rows.map((row) => ({ x: Number(row.x), y: Number(row.y), ...(color ? { group: String(row.g) } : {}) }));
}

/** Pearson correlation between numeric columns over rows, plus Simpson's reversals within groups. */
export async function correlationFacts(ctx: DetectorContext): Promise<Fact[]> {
  const measures = rowMeasures(ctx);
  const pairs: [Measure, Measure][] = [];
  // Pairs one of which is computed from the other: never a finding, but read (r) to see what goes through them.
  const derivedPairs: [Measure, Measure][] = [];
  for (let i = 0; i < measures.length; i++)
    for (let j = i + 1; j < measures.length; j++)
      (isDerivedPair(ctx, measures[i]!, measures[j]!) ? derivedPairs : pairs).push([measures[i]!, measures[j]!]);
  if (pairs.length === 0 || pairs.length + derivedPairs.length > 400) return [];
  const relation = ctx.profile.sampleRelation;
  // A measure that is zero on a fifth of the rows or more (ad spend of the organic channels) is related to
  // another where it is not zero too: spend and visits, r = 0.31 over every row, 0.92 over paid rows.
  const zeros = await queryOne(
    ctx.q.connection,
    `SELECT ${measures.map((m, i) => `avg(CASE WHEN ${m.rowSql} = 0 THEN 1.0 ELSE 0.0 END) FILTER (WHERE ${m.rowSql} IS NOT NULL) AS z${i}`).join(', ')} FROM ${relation}`,
  );
  const oftenZero = (m: Measure) => Number(zeros[`z${measures.indexOf(m)}`] ?? 0) >= 0.2 && m.nonNegative;
  const zeroSide = ([a, b]: [Measure, Measure]) => (oftenZero(a) ? a : oftenZero(b) ? b : null);
  const row = await queryOne(
    ctx.q.connection,
    `SELECT ${pairs
      .map(([a, b], i) => {
        const zero = zeroSide([a, b]);
        const nonZero = zero
          ? `, corr(${a.rowSql}, ${b.rowSql}) FILTER (WHERE ${zero.rowSql} <> 0) AS rz${i}, regr_count(${a.rowSql}, ${b.rowSql}) FILTER (WHERE ${zero.rowSql} <> 0) AS nz${i}`
          : '';
        return `corr(${a.rowSql}, ${b.rowSql}) AS r${i}, regr_count(${a.rowSql}, ${b.rowSql}) AS n${i}${nonZero}`;
      })
      .concat(derivedPairs.map(([a, b], k) => `corr(${a.rowSql}, ${b.rowSql}) AS d${k}`))
      .join(', ')} FROM ${relation}`,
  );
  const facts: Fact[] = [];
  // Every pair's r over the rows, whichever way round it is asked.
  const rByPair = new Map<Measure, Map<Measure, number>>();
  const keep = (a: Measure, b: Measure, r: number) => {
    for (const [x, y] of [[a, b] as const, [b, a] as const]) rByPair.set(x, (rByPair.get(x) ?? new Map()).set(y, r));
  };
  for (const [k, [a, b]] of pairs.entries()) keep(a, b, Number(row[`r${k}`]));
  for (const [k, [a, b]] of derivedPairs.entries()) keep(a, b, Number(row[`d${k}`]));
  const rowR = (m: Measure, other: Measure) => rByPair.get(m)?.get(other) ?? Number.NaN;
  const groupDimensions = ctx.profile.dimensions.filter((d) => d.cardinality >= 2 && d.cardinality <= 8);
  // A panel's entities too (two dozen stations, each a year of days): bigger stations swap more and stock
  // more batteries, while day to day inside each the two do not move together.
  const entity = ctx.profile.dimensions.find(
    (d) => d.name === ctx.profile.entity && d.cardinality > 8 && d.cardinality <= 200,
  );
  const withinRows = await withinGroupRows(ctx, pairs, entity ? [...groupDimensions, entity] : groupDimensions);
  const withTime = ctx.profile.timeCorrelations;
  for (const [i, [a, b]] of pairs.entries()) {
    const rAll = Number(row[`r${i}`]);
    const rNonZero = Number(row[`rz${i}`]);
    const zero = zeroSide([a, b]);
    // Told over the rows where it is not zero when the link is much clearer there.
    const nonZero =
      zero && Number.isFinite(rNonZero) && Math.abs(rNonZero) >= 0.5 && Math.abs(rNonZero) >= Math.abs(rAll) + 0.2
        ? zero
        : null;
    const r = nonZero ? rNonZero : rAll;
    const n = Number(row[nonZero ? `nz${i}` : `n${i}`]);
    const where = nonZero ? `${nonZero.rowSql} <> 0` : 'TRUE';
    if (!Number.isFinite(r)) continue;
    const p = ctx.tested(correlationP(r, n));
    // Near-identical columns (a value and its adjusted copy) are one measure written twice, over every row.
    if (Math.abs(rAll) >= 0.98) continue;
    if (sharedTrendOnly(r, withTime[a.id], withTime[b.id])) continue;
    if (Math.abs(r) >= 0.3 && !nonZero && (await sharedSeasonOnly(ctx, a, b, r, groupDimensions))) continue;
    const within = await withinGroupCorrelations(
      ctx,
      a,
      b,
      r,
      groupDimensions,
      (dimension) => withinRows.get(dimension)![i]!,
    );
    if (entity) {
      const [byEntity] = await withinGroupCorrelations(ctx, a, b, r, [entity], () => withinRows.get(entity.name)![i]!);
      if (byEntity?.betweenOnly || byEntity?.attribute) continue;
    }
    const simpson = within.find((w) => w.reversed);
    if (simpson) {
      const simpsonP = ctx.tested(Math.max(...simpson.groups.map((g) => correlationP(g.r, g.n))));
      if (simpsonP <= 0.05) {
        const dimension = ctx.profile.dimensions.find((d) => d.name === simpson.dimension);
        const points = await scatterPoints(ctx, a, b, dimension?.sql ?? null);
        facts.push(simpsonFact(ctx, a, b, r, n, simpson, simpsonP, points));
      }
    }
    if (p > 0.05 || n < 20 || Math.abs(r) < 0.1) continue;
    // A column fixed for each member (a queue's agents) relates to another only through the members: the
    // handle time of the queues, told by their breakdown, not as a link between the columns.
    // So does one that vanishes inside every member (calls offered and handle time, both higher on the tech
    // queue, unrelated within each queue).
    if (within.some((w) => w.attribute || w.betweenOnly)) continue;
    // A relation that turns a gain into a loss (orders with the deepest discounts lose money) is told as
    // such, and matters even when r is weak: the measure that can fall below zero is read against the
    // other's quartiles.
    let crossing: { a: Measure; b: Measure } | null = null;
    // Read once, whichever way it is told: b against a's quartiles is also the plain contrast below.
    let splitOfB: Awaited<ReturnType<typeof quartileContrast>> | null = null;
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      if (y.nonNegative || y.aggregation !== 'sum' || crossing) continue;
      const split = await quartileContrast(ctx, x, y, where);
      if (y === b) splitOfB = split;
      if (split.bottom * split.top < 0) crossing = { a: x, b: y };
    }
    if (!crossing && Math.abs(r) < 0.3) continue;
    // Read from the side that usually explains the other (spend → signups, length → weight).
    const explainsB = explainingRank(b.columns.join(' ')) > explainingRank(a.columns.join(' '));
    const [x, y] = crossing ? [crossing.a, crossing.b] : explainsB ? [b, a] : [a, b];
    // A link that lives in a few extreme rows (three days of a clogged pump among three months of six) is
    // those rows' story, not the columns': the ranks of the scatter's rows must agree at least half as much.
    const points = await scatterPoints(ctx, x, y, null, 1500, where);
    const rho = spearman(
      points.map((point) => point.x),
      points.map((point) => point.y),
    ).rho;
    if (points.length >= 30 && !(Math.abs(rho) >= 0.5 * Math.abs(r))) continue;
    // Ranks that agree row for row are one quantity on two scales (an air-quality index computed from the
    // concentration it reports, curved but never out of order): no finding, however the values bend.
    if (points.length >= 30 && Math.abs(rho) >= 0.995) continue;
    // Named and scored as the pair was found, whichever side the text reads it from.
    const id = crossing ? `correlation:${slug(x.id)}:${slug(y.id)}` : `correlation:${slug(a.id)}:${slug(b.id)}`;
    const claims = new ClaimSet(id);
    claims.correlation('r', r);
    claims.count('n', n);
    // A curved link (under-five mortality against GDP per capita: steep among the poor, flat among the rich)
    // shows in the ranks far more than in r; it is as strong as they say.
    const curved = points.length >= 30 && Math.sign(rho) === Math.sign(r) && Math.abs(rho) >= Math.abs(r) + 0.15;
    // And the other way: r well above the ranks (0.90 against 0.61, across parks whose densities span orders
    // of magnitude) is carried by a few extreme rows; the ranks say how far the rest agree.
    const leveraged = points.length >= 30 && Math.abs(rho) <= Math.abs(r) - 0.2;
    if (curved || leveraged) claims.correlation('rho', rho);
    // Tighter inside every member of a breakdown: told there, as strong as it is there.
    // (Never where another breakdown turns it round or loosens it: beak depth and body mass, tighter inside
    // each sex, reverse inside each species.)
    const looser = (w: Within) => w.reversed || w.betweenOnly || w.inside < Math.abs(r) - 0.15;
    const tighter =
      crossing || leveraged || within.some(looser) ? undefined : within.find((w) => w.stronger !== undefined);
    if (tighter) {
      const rs = tighter.groups.filter((g) => g.n >= 20).map((g) => g.r);
      claims.correlation(
        'withinLow',
        rs.reduce((m, v) => (Math.abs(v) < Math.abs(m) ? v : m)),
      );
      claims.correlation(
        'withinHigh',
        rs.reduce((m, v) => (Math.abs(v) > Math.abs(m) ? v : m)),
      );
      claims.count('withinGroups', rs.length);
    }
    const contrast = y === b && splitOfB ? splitOfB : await quartileContrast(ctx, x, y, where);
    if (nonZero) claims.count('zeroRows', Number(row[`n${i}`]) - n);
    claims.measure('aLow', contrast.lo, x, 'raw');
    claims.measure('aHigh', contrast.hi, x, 'raw');
    claims.measure('bAtLowA', contrast.bottom, y, 'average');
    claims.measure('bAtHighA', contrast.top, y, 'average');
    // What is spent against what it brings (ad spend and visits) is the news of a marketing table, not two
    // volumes of the same rows.
    const costs = [x, y].filter((m) => isCostName(m.columns.join(' ')));
    // (A pet owner's spend against their visits is no campaign's: in a survey both are the person's own.)
    const spentFor =
      !ctx.profile.rowsAreAnswers &&
      costs.length === 1 &&
      [x, y].some((m) => m !== costs[0] && isSpendOutcomeName(m.columns.join(' ')));
    // (Or two amounts of a person's own activity in a survey or a table of customers, averaged there: those
    // who visit more spend more.)
    const additive = (m: Measure) =>
      m.aggregation === 'sum' || (m.columns.length === 1 && isAdditiveName(m.columns[0]!) && !m.ratio);
    const bothVolumes = additive(x) && additive(y) && !spentFor;
    // Two sizes of the same things (a firm's staff and its revenue, its energy and its water), each spanning
    // an order of magnitude: larger things are larger in every way, so the link is expected.
    const bothSizes =
      !spentFor &&
      isSizeLike(x) &&
      isSizeLike(y) &&
      spansOrders(points.map((point) => point.x)) &&
      spansOrders(points.map((point) => point.y));
    // Two readings of one volume of the rows (a charger's occupancy, computed from its sessions, and the
    // revenue those sessions bring) rise together through it: once it is held fixed, little of the link is
    // left. (A tree's canopy and its yield through its fruit count are a cause and its effect: the canopy
    // is no copy of the count.)
    const computedFrom = (m: Measure, z: Measure) =>
      ctx.profile.derived.some((d) => d.column === m.id && z.columns.every((column) => d.from.includes(column)));
    const throughVolume = measures.some((z) => {
      if (z === a || z === b || z.aggregation !== 'sum') return false;
      const [az, bz] = [rowR(a, z), rowR(b, z)];
      const copies = (computedFrom(a, z) && Math.abs(bz) >= 0.9) || (computedFrom(b, z) && Math.abs(az) >= 0.9);
      if (!copies || !(Math.abs(az) >= 0.8 && Math.abs(bz) >= 0.8)) return false;
      return Math.abs((rAll - az * bz) / Math.sqrt((1 - az * az) * (1 - bz * bz))) < 0.5 * Math.abs(rAll);
    });
    // Two counts of a city that both grow with its population (road deaths and bike docks, or population and
    // road deaths themselves): bigger cities have more of everything. Per head is where the news would be.
    // Either the population itself against a count, or two counts whose link mostly goes once the population
    // is held fixed (partial r under half of r).
    const throughSize = measures.some((z) => {
      // (A city's budgets are amounts of the same size: its admin budget and its staff both follow its people.)
      const amountOfThing = (m: Measure) => isCountOfThing(m) || (m.aggregation === 'sum' && m.nonNegative === true);
      if (!isPopulation(z) || ![x, y].every((m) => m === z || amountOfThing(m))) return false;
      if (x === z || y === z) return true;
      const [xz, yz] = [rowR(x, z), rowR(y, z)];
      return Math.abs(partialCorrelation(rAll, xz, yz)) < 0.5 * Math.abs(rAll);
    });
    // Money set by the other column inside every member (a rental's cost by its minutes, per vehicle type:
    // r = 0.99 in each): the tariff, read back from the rows, not a finding about them.
    const money = (m: Measure) => m.format.kind === 'currency';
    const priced = !crossing && money(x) !== money(y) && within.some((w) => Math.abs(w.inside) >= 0.985);
    facts.push(
      makeFact({
        id,
        type: 'correlation',
        // A loss is a story about the measure that falls below zero.
        measureId: crossing ? y.id : a.id,
        columns: [...x.columns, ...y.columns],
        p,
        // A gain turned into a loss weighs like a clear correlation, whatever the scatter around it.
        effect: crossing
          ? Math.max(Math.abs(r), 0.5)
          : tighter
            ? tighter.stronger!
            : curved || leveraged
              ? Math.abs(rho)
              : Math.abs(r),
        impact: 1,
        // Two volumes of the same rows (sessions and users), one quantity's bounds (a day's highest and
        // lowest temperature) or one quantity at two numbered places (temp_1, temp_2) rise together by
        // construction: expected, not news.
        surprise:
          !crossing &&
          (bothVolumes ||
            bothSizes ||
            throughSize ||
            throughVolume ||
            // Lanes opened as passengers come: the plan meeting demand, as it was drawn up to.
            [x, y].some((m) => m.columns.length > 0 && m.columns.every(isCapacityName)) ||
            // A reorder point set from the demand it covers: the rule, read back.
            [x, y].some((m) => m.columns.length > 0 && m.columns.every(isPolicySettingName)) ||
            (isSatisfactionName(x.columns.join(' ')) && isSatisfactionName(y.columns.join(' '))) ||
            isBoundPair(x.columns.join(' '), y.columns.join(' ')) ||
            // Larger homes have more bedrooms.
            (isAttributeOfThing(x.columns.join(' ')) && isAttributeOfThing(y.columns.join(' '))) ||
            // A price and the size it is priced by (rent and m², where rent per m² is a measure of the file):
            // bigger flats cost more, and the price per m² tells what does not follow from it.
            ctx.profile.measures.some(
              (m) =>
                m.weightedBy !== undefined &&
                m.columns.length === 2 &&
                [x, y].every((side) => side.columns.length === 1 && m.columns.includes(side.columns[0]!)),
            ) ||
            // Bigger engines have more cylinders and horsepower.
            (isEngineSpecName(x.columns.join(' ')) && isEngineSpecName(y.columns.join(' '))) ||
            isNumberedPair(x.columns.join(' '), y.columns.join(' ')) ||
            // Two temperatures follow each other through the seasons (a network's supply water set by the
            // outdoor air, a river by the weather): expected.
            (isTemperatureUnit(x.unit) && isTemperatureUnit(y.unit)) ||
            // Counties with more years of life lost live shorter lives: one measure of mortality, read twice.
            (isMortalityName(x.columns.join(' ')) && isMortalityName(y.columns.join(' '))) ||
            // Trains on time run where few are cancelled: one reliability, read twice.
            (isReliabilityName(x.columns.join(' ')) && isReliabilityName(y.columns.join(' '))))
            ? 0.5
            : priced
              ? 0.4
              : 1,
        claims: claims.claims,
        data: {
          a: x.id,
          b: y.id,
          r,
          ...(crossing ? { crossesZero: true } : {}),
          ...(curved ? { curved: true } : {}),
          ...(leveraged ? { leveraged: true } : {}),
          ...(nonZero ? { nonZero: nonZero.id } : {}),
          ...(tighter ? { tighterWithin: tighter.dimension } : {}),
          ...(priced ? { priced: true } : {}),
          points,
          within: within.map((w) => ({ dimension: w.dimension, groups: w.groups })),
        },
      }),
    );
  }
  facts.push(...(await dailyLinks(ctx, pairs, rowR)));
  return facts;
}

/** Days a daily link needs, the |r| it must reach, and how far above the readings' |r|. */
const DAILY = { minDays: 20, minR: 0.6, overReadings: 0.3 };

/**
 * Readings every hour or finer whose link lives in the days (a household's consumption against the outdoor
 * temperature: r = −0.19 over hours, where the hour of day moves both, −0.97 over daily values): each
 * measure's value per day (its average, or its total where it adds up), Pearson over the days, t-test; told
 * when |r| ≥ 0.6, p ≤ 0.001, at least 0.3 above the readings' |r|, and not a drift both share over the span
 * (the partial correlation holding the day's position fixed, as for rows).
 */
async function dailyLinks(ctx: DetectorContext, pairs: [Measure, Measure][], rowR: (a: Measure, b: Measure) => number) {
  const time = ctx.profile.time;
  if (!time || !finer(time.granularity, 'day') || pairs.length === 0) return [];
  const all = ctx.profile.measures;
  const buckets = await ctx.q.series('day', all);
  if (buckets.length < DAILY.minDays) return [];
  const byDay = (m: Measure) => {
    const series = toSeries(buckets, all.indexOf(m), 'day', time.granularity);
    return valuesByPeriod(series);
  };
  // In a log of events two daily totals both follow how many events the day had (baskets and items with
  // the orders): what links them beyond that count is what is left with it held fixed.
  const rowsByDay = ctx.profile.rowsAreEvents ? new Map(buckets.map((bucket) => [bucket.t, bucket.rows])) : null;
  const facts: Fact[] = [];
  for (const [a, b] of pairs) {
    const readings = rowR(a, b);
    if (!Number.isFinite(readings)) continue;
    const [aDays, bDays] = [byDay(a), byDay(b)];
    const days = [...aDays.keys()].filter((t) => bDays.has(t));
    if (days.length < DAILY.minDays) continue;
    const xs = days.map((t) => aDays.get(t)!);
    const ys = days.map((t) => bDays.get(t)!);
    const { r } = pearson(xs, ys);
    const p = ctx.tested(correlationP(r, days.length));
    if (!(Math.abs(r) >= DAILY.minR) || p > 0.001 || Math.abs(r) < Math.abs(readings) + DAILY.overReadings) continue;
    // A link that lives in a few extreme days (four days of a turbidity episode among ninety) is those days'
    // story: the days' ranks must agree at least half as much, as for rows.
    if (!(Math.abs(spearman(xs, ys).rho) >= 0.5 * Math.abs(r))) continue;
    const position = days.map((_, i) => i);
    if (sharedTrendOnly(r, pearson(xs, position).r, pearson(ys, position).r)) continue;
    if (rowsByDay && (a.aggregation === 'sum' || b.aggregation === 'sum')) {
      const counts = days.map((t) => rowsByDay.get(t) ?? 0);
      const partial = partialCorrelation(r, pearson(xs, counts).r, pearson(ys, counts).r);
      // Beyond the count, the days must still say more than the orders do one by one.
      if (!(Math.abs(partial) >= DAILY.minR) || Math.abs(partial) < Math.abs(readings) + DAILY.overReadings) continue;
    }
    // Read from the side that usually explains the other (temperature → consumption).
    const explainsB = explainingRank(b.columns.join(' ')) > explainingRank(a.columns.join(' '));
    const [x, y, xv, yv] = explainsB ? [b, a, ys, xs] : [a, b, xs, ys];
    const sorted = [...xv].sort((u, v) => u - v);
    const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))]!;
    const lo = quantile(0.25);
    // Mostly one value (dry days: rainfall 0 on three days in four): the high side is the median of the rest.
    const above = sorted.filter((value) => value > lo);
    if (above.length === 0) continue;
    const hi = quantile(0.75) > lo ? quantile(0.75) : above[Math.floor((above.length - 1) / 2)]!;
    // The one day that carries a third or more of the co-movement (a storm) is named: the link is that day's.
    const [mx, my] = [mean(xv) ?? 0, mean(yv) ?? 0];
    const products = xv.map((value, i) => (value - mx) * (yv[i]! - my));
    const total = products.reduce((sum, v) => sum + v, 0);
    const strongest = products.reduce(
      (best, v, i) => (v * Math.sign(total) > products[best]! * Math.sign(total) ? i : best),
      0,
    );
    const dominantDay = total !== 0 && products[strongest]! / total >= 1 / 3 ? days[strongest] : undefined;
    const meanWhere = (keep: (value: number) => boolean) => mean(yv.filter((_, i) => keep(xv[i]!))) ?? 0;
    const id = `correlation:${slug(a.id)}:${slug(b.id)}:daily`;
    const claims = new ClaimSet(id);
    claims.correlation('r', r);
    claims.count('n', days.length);
    claims.correlation('readingsR', readings);
    claims.measure('aLow', lo, x, 'average');
    claims.measure('aHigh', hi, x, 'average');
    claims.measure(
      'bAtLowA',
      meanWhere((value) => value <= lo),
      y,
      'average',
    );
    claims.measure(
      'bAtHighA',
      meanWhere((value) => value >= hi),
      y,
      'average',
    );
    facts.push(
      makeFact({
        id,
        type: 'correlation',
        measureId: a.id,
        columns: [...x.columns, ...y.columns],
        p,
        effect: Math.abs(r),
        impact: 1,
        claims: claims.claims,
        data: {
          a: x.id,
          b: y.id,
          r,
          daily: true,
          ...(dominantDay ? { dominantDay } : {}),
          points: xv.map((value, i) => ({ x: value, y: yv[i]! })),
          within: [],
        },
      }),
    );
  }
  return facts;
}

/**
 * Two measures that both drift with time correlate whatever they are (fuel price and unemployment over
 * three years): when holding time fixed — the partial correlation — leaves less than half of r and under
 * 0.3, the pair shares a trend, not a relationship, and each trend is told on its own.
 */
export function sharedTrendOnly(r: number, aTime: number | undefined, bTime: number | undefined): boolean {
  if (aTime === undefined || bTime === undefined || !Number.isFinite(aTime) || !Number.isFinite(bTime)) return false;
  const partial = partialCorrelation(r, aTime, bTime);
  return Math.abs(partial) < 0.3 && Math.abs(partial) < 0.5 * Math.abs(r);
}

/** r of a and b with a third variable held fixed, from the three pairwise r (0 when it explains all of both). */
function partialCorrelation(r: number, aThird: number, bThird: number): number {
  const rest = (1 - aThird * aThird) * (1 - bThird * bThird);
  return Number.isFinite(rest) && rest > 1e-9 ? (r - aThird * bThird) / Math.sqrt(rest) : 0;
}

/**
 * Two measures with the same yearly rhythm correlate whatever else they do (PM2.5 and NO2 both peak in
 * winter, and both run high in Krakow): with each calendar month's own average taken out of both — each
 * member's month, for a small breakdown — what is left must keep at least half of r and 0.3, else the pair
 * shares a season (and members' levels), told by each one's cycle. Only over two years or more.
 */
async function sharedSeasonOnly(
  ctx: DetectorContext,
  a: Measure,
  b: Measure,
  r: number,
  dimensions: DatasetProfile['dimensions'],
): Promise<boolean> {
  const time = ctx.profile.time;
  if (!time || time.entityStart || spanSeconds(time.min, time.max) < 700 * 86_400) return false;
  if (!['minute', 'hour', 'day', 'week', 'month'].includes(time.granularity)) return false;
  const month = `month(${time.asTimestampSql})`;
  // Every way of holding the month fixed — the month alone, then each member's month — from the sums of
  // each group, in one grouped pass (a window per partition sorted half a million rows each).
  const sets = ['(m)', ...dimensions.map((_, i) => `(m, g${i})`)];
  const flags = ['m', ...dimensions.map((_, i) => `g${i}`)];
  const rows = await queryRows(
    ctx.q.connection,
    `SELECT GROUPING(${flags.join(', ')}) AS grouping, count(*) AS n, sum(x) AS sx, sum(y) AS sy,
            sum(x * x) AS sxx, sum(y * y) AS syy, sum(x * y) AS sxy
     FROM (SELECT ${a.rowSql} AS x, ${b.rowSql} AS y, ${month} AS m${dimensions.map((d, i) => `, ${d.sql} AS g${i}`).join('')}
           FROM ${ctx.profile.sampleRelation}
           WHERE ${a.rowSql} IS NOT NULL AND ${b.rowSql} IS NOT NULL AND ${month} IS NOT NULL)
     GROUP BY GROUPING SETS (${sets.join(', ')})`,
  );
  // Each set's mask: every breakdown's bit set (not grouped on) but its own; bit 0 of the last flag.
  const all = (1 << dimensions.length) - 1;
  const masks = [all, ...dimensions.map((_, i) => all & ~(1 << (dimensions.length - 1 - i)))];
  const partials = masks.map((mask) => {
    let [xx, yy, xy] = [0, 0, 0];
    for (const row of rows.filter((r) => Number(r.grouping) === mask)) {
      const [n, sx, sy] = [Number(row.n), Number(row.sx), Number(row.sy)];
      xx += Number(row.sxx) - (sx * sx) / n;
      yy += Number(row.syy) - (sy * sy) / n;
      xy += Number(row.sxy) - (sx * sy) / n;
    }
    return Math.abs(xy / Math.sqrt(xx * yy));
  });
  const left = Math.min(...partials.filter(Number.isFinite));
  return Number.isFinite(left) && left < 0.3 && left < 0.5 * Math.abs(r);
}

interface Within {
  dimension: string;
  groups: { member: string; r: number; n: number }[];
  reversed: boolean;
  /** One of the two is the same on every row of each member (a queue's agents): a property of the member. */
  attribute: boolean;
  /** Inside every member the two are unrelated (|r| < 0.15, 30 rows at least): only the members differ. */
  betweenOnly: boolean;
  /** r inside the members of 20 rows or more, weighted by their rows, in the whole's direction (+ the same way). */
  inside: number;
  /**
   * Inside every member the link is clearly tighter than over all rows (wages and points, 0.63 to 0.81 in
   * each league, 0.40 over all clubs): the members' levels blur it. Then `inside`.
   */
  stronger?: number;
}

/** Pairs whose per-member statistics one grouped query reads at once. */
const PAIRS_PER_QUERY = 40;

type MemberRow = Record<string, unknown>;

/**
 * Each pair's statistics within each member of each breakdown: one grouped query per breakdown and forty
 * pairs (a file of twenty measures has 190 pairs: one query per pair and breakdown made 950 of them).
 * `result.get(dimension)[pair]` holds that pair's rows, one per member in member order.
 */
async function withinGroupRows(
  ctx: DetectorContext,
  pairs: [Measure, Measure][],
  dimensions: typeof ctx.profile.dimensions,
): Promise<Map<string, MemberRow[][]>> {
  const result = new Map<string, MemberRow[][]>();
  for (const dimension of dimensions) {
    const perPair: MemberRow[][] = [];
    for (let from = 0; from < pairs.length; from += PAIRS_PER_QUERY) {
      const chunk = pairs.slice(from, from + PAIRS_PER_QUERY);
      const columns = chunk.map(
        ([a, b], k) =>
          `corr(${a.rowSql}, ${b.rowSql}) AS r${k}, regr_count(${a.rowSql}, ${b.rowSql}) AS n${k},
           max(${a.rowSql}) - min(${a.rowSql}) AS a_range${k}, max(${b.rowSql}) - min(${b.rowSql}) AS b_range${k}`,
      );
      const rows = await queryRows(
        ctx.q.connection,
        `SELECT ${dimension.sql} AS member, ${columns.join(', ')}
         FROM ${ctx.profile.sampleRelation} WHERE ${dimension.sql} IS NOT NULL GROUP BY 1 ORDER BY 1`,
      );
      for (const k of chunk.keys()) {
        perPair.push(
          rows.map((row) => ({
            member: row.member,
            r: row[`r${k}`],
            n: row[`n${k}`],
            a_range: row[`a_range${k}`],
            b_range: row[`b_range${k}`],
          })),
        );
      }
    }
    result.set(dimension.name, perPair);
  }
  return result;
}

async function withinGroupCorrelations(
  ctx: DetectorContext,
  a: Measure,
  b: Measure,
  r: number,
  dimensions: { name: string; sql: string }[],
  /** This pair's rows per breakdown, from `withinGroupRows`. */
  rowsOf: (dimension: string) => MemberRow[],
): Promise<Within[]> {
  const result: Within[] = [];
  for (const dimension of dimensions) {
    const rows = rowsOf(dimension.name);
    const groups = rows
      .map((row) => ({ member: String(row.member), r: Number(row.r), n: Number(row.n) }))
      .filter((g) => Number.isFinite(g.r) && g.n >= 10);
    const opposite = groups.filter((g) => Math.sign(g.r) !== Math.sign(r) && Math.abs(g.r) >= 0.2);
    // A near-zero overall r (−0.1) turned positive within groups is dilution by the groups, not a reversal.
    const turned = groups.length >= 2 && Math.abs(r) >= 0.2 && opposite.length === groups.length;
    // One quantity in each group's own unit (a plan's MRR is its customers × its price: near-perfect lines,
    // b/a steady within each group and different between them) reverses by the units changing, not by a
    // paradox. The ratio b/a is read only for such near-perfect lines (rare): one query for this pair.
    const perGroupUnit =
      turned && groups.every((g) => Math.abs(g.r) >= 0.95) && (await perGroupUnits(ctx, a, b, dimension.sql));
    const reversed = turned && !perGroupUnit;
    const constant = (column: string) => rows.length >= 2 && rows.every((row) => Number(row[column] ?? 0) === 0);
    const covered = groups.filter((g) => g.n >= 30).reduce((sum, g) => sum + g.n, 0);
    const total = rows.reduce((sum, row) => sum + Number(row.n ?? 0), 0);
    // Or nearly so on average (close and volume: −0.54 over five tickers, −0.07 inside them on average).
    const counted = groups.filter((g) => g.n >= 30);
    const typicalWithin = counted.reduce((sum, g) => sum + g.n * Math.abs(g.r), 0) / Math.max(1, covered);
    const betweenOnly =
      Math.abs(r) >= 0.3 &&
      groups.length >= 2 &&
      covered >= 0.9 * total &&
      (groups.every((g) => g.n < 30 || Math.abs(g.r) < 0.15) || typicalWithin < 0.3 * Math.abs(r));
    // Every member of 20 rows or more the same way, each at least 0.3, together 0.15 above the whole's |r|.
    const sized = groups.filter((g) => g.n >= 20);
    const sizedRows = sized.reduce((sum, g) => sum + g.n, 0);
    const inside = sized.reduce((sum, g) => sum + g.n * g.r * Math.sign(r), 0) / Math.max(1, sizedRows);
    const stronger =
      sized.length >= 2 &&
      sizedRows >= 0.9 * total &&
      sized.every((g) => Math.sign(g.r) === Math.sign(r) && Math.abs(g.r) >= 0.3) &&
      inside >= Math.abs(r) + 0.15;
    result.push({
      dimension: dimension.name,
      groups,
      reversed,
      attribute: constant('a_range') || constant('b_range'),
      betweenOnly,
      inside,
      ...(stronger ? { stronger: inside } : {}),
    });
  }
  return result;
}

/** Whether b/a is steady within each member (sd under 10% of its mean) and differs between them (1.5×). */
async function perGroupUnits(ctx: DetectorContext, a: Measure, b: Measure, dimensionSql: string): Promise<boolean> {
  const ratio = `CASE WHEN ${a.rowSql} <> 0 THEN ${b.rowSql} / ${a.rowSql} END`;
  const rows = await queryRows(
    ctx.q.connection,
    `SELECT avg(${ratio}) AS ratio, stddev_samp(${ratio}) AS ratio_sd
     FROM ${ctx.profile.sampleRelation} WHERE ${dimensionSql} IS NOT NULL GROUP BY ${dimensionSql} ORDER BY ${dimensionSql}`,
  );
  const ratios = rows.map((row) => ({ mean: Number(row.ratio), sd: Number(row.ratio_sd) }));
  return (
    ratios.every((x) => Number.isFinite(x.mean) && Number.isFinite(x.sd) && x.sd < 0.1 * Math.abs(x.mean)) &&
    Math.max(...ratios.map((x) => Math.abs(x.mean))) >= 1.5 * Math.min(...ratios.map((x) => Math.abs(x.mean)))
  );
}

function simpsonFact(
  _ctx: DetectorContext,
  a: Measure,
  b: Measure,
  r: number,
  n: number,
  within: Within,
  p: number,
  points: { x: number; y: number; group?: string }[],
): Fact {
  const id = `simpson:${slug(a.id)}:${slug(b.id)}:${slug(within.dimension)}`;
  const claims = new ClaimSet(id);
  claims.correlation('r', r);
  claims.count('n', n);
  within.groups.forEach((g, i) => {
    claims.member(`group${i + 1}`, g.member);
    claims.correlation(`group${i + 1}R`, g.r);
  });
  claims.count('groups', within.groups.length);
  const weakest = Math.min(...within.groups.map((g) => Math.abs(g.r)));
  return makeFact({
    id,
    type: 'simpson',
    measureId: a.id,
    dimension: within.dimension,
    columns: [...a.columns, ...b.columns, within.dimension],
    p,
    effect: Math.min(1, (Math.abs(r) + weakest) / 1.2),
    impact: 1,
    surprise: 1.2,
    claims: claims.claims,
    data: { a: a.id, b: b.id, r, dimension: within.dimension, groups: within.groups, points },
  });
}

/**
 * What moves a binary outcome (churn): its rate across the range of each numeric column, as a
 * point-biserial correlation and a low-vs-high contrast people can read ("33% vs 10%").
 */
/** True when every value of the predictor (in order) has an outcome rate of 0 or 1, switching once. */
function isThresholdOf(levels: { n: number; k: number }[], outcome: Measure): boolean {
  if (levels.length < 2) return false;
  if (levels.every((l) => l.k === 0 || l.k === l.n)) {
    const switches = levels.slice(1).filter((l, i) => (l.k === 0) !== (levels[i]!.k === 0)).length;
    if (switches === 1) return true;
  }
  // Or nearly so, for a verdict on a number (late = delivery minutes past each city's promise, passed =
  // score at the bar): the rows separate all but perfectly (AUC ≥ 0.97 either way) though no single cut
  // does. An outcome that is no verdict (fraud) may separate as well and still be news.
  if (!outcome.columns.some((column) => isVerdictName(column))) return false;
  const auc = separation(levels);
  return auc >= 0.97 || auc <= 0.03;
}

/** The chance that a random row with the outcome has a higher predictor than one without (ties count half). */
function separation(levels: { n: number; k: number }[]): number {
  const positives = levels.reduce((sum, l) => sum + l.k, 0);
  const negatives = levels.reduce((sum, l) => sum + l.n - l.k, 0);
  if (positives === 0 || negatives === 0) return 0.5;
  let below = 0;
  let wins = 0;
  for (const level of levels) {
    const misses = level.n - level.k;
    wins += level.k * below + 0.5 * level.k * misses;
    below += misses;
  }
  return wins / (positives * negatives);
}

/**
 * A predictor the outcome sets (a claim flagged as fraud is paid nothing): nearly every row with the outcome
 * (95%) holds 0, which few without it (10%) do. Its link runs from the outcome to it, never the other way.
 */
function settledByOutcome(levels: { x: number; n: number; k: number }[]): boolean {
  const zero = levels.find((level) => level.x === 0);
  if (!zero) return false;
  const [n, k] = levels.reduce(([a, b], level) => [a + level.n, b + level.k], [0, 0]);
  return k > 0 && n > k && zero.k >= 0.95 * k && zero.n - zero.k <= 0.1 * (n - k);
}

/**
 * An outcome whose every yes falls in one stretch of the file's time (a cableway closed 54 days in one
 * spring for a new gondola) is an episode, not a rate: whatever moved with the calendar then (the spring's
 * temperatures) would read as its driver.
 */
async function oneEpisodeInTime(ctx: DetectorContext, outcome: Measure): Promise<boolean> {
  const time = ctx.profile.time;
  if (!time) return false;
  const row = await queryOne(
    ctx.q.connection,
    `SELECT epoch(max(${time.asTimestampSql}) FILTER (WHERE ${outcome.rowSql} = 1)) - epoch(min(${time.asTimestampSql}) FILTER (WHERE ${outcome.rowSql} = 1)) AS inside,
            epoch(max(${time.asTimestampSql})) - epoch(min(${time.asTimestampSql})) AS span
     FROM ${ctx.profile.table}`,
  );
  const [inside, span] = [Number(row.inside), Number(row.span)];
  return Number.isFinite(inside) && span > 0 && inside <= 0.1 * span;
}

export async function outcomeDriverFacts(ctx: DetectorContext): Promise<Fact[]> {
  // A condition (remote, promo, smoker) is what a row is, not what befell it: engagement is told by
  // remote or not, never the remote rate by engagement.
  const outcomes = ctx.profile.measures.filter(
    (m) => m.aggregation === 'rate' && !m.ratio && !m.columns.every((column) => isConditionName(column)),
  );
  const predictors = rowMeasures(ctx);
  const facts: Fact[] = [];
  const relation = ctx.profile.sampleRelation;
  // A yes/no fixed for each entity of a panel (a store has self-checkout or not) is what the store is, not
  // an outcome of its weeks: the measures are compared by it, never it by them.
  const entity = ctx.profile.dimensions.find((d) => d.name === ctx.profile.entity);
  const fixed = new Set<string>();
  if (entity && outcomes.length > 0) {
    const row = await queryOne(
      ctx.q.connection,
      `SELECT ${outcomes.map((_, i) => `max(spread${i}) AS s${i}`).join(', ')} FROM (SELECT ${outcomes
        .map((o, i) => `max(${o.rowSql}) - min(${o.rowSql}) AS spread${i}`)
        .join(', ')} FROM ${relation} GROUP BY ${entity.sql})`,
    );
    for (const [i, o] of outcomes.entries()) if (Number(row[`s${i}`]) === 0) fixed.add(o.id);
  }
  for (const outcome of outcomes) {
    if (fixed.has(outcome.id)) continue;
    if (await oneEpisodeInTime(ctx, outcome)) continue;
    // A status (how a row ended) is settled by the row: its length and what it split cleanly follow from it.
    const endedAs = outcome.columns.some(isLifecycleName);
    for (const predictor of predictors) {
      if (predictor.columns.some((c) => outcome.columns.includes(c))) continue;
      // A process's duration comes after the row's yes/no state at the start: it cannot drive it.
      if (predictor.columns.every((c) => isProcessTimeName(c))) continue;
      // Nor does a row's own length drive how it ended (a cancelled rental lasts two minutes by definition).
      if (endedAs && predictor.columns.every((c) => /(^|[\s_-])(duration|length|time[\s_-]?spent)([\s_-]|$)/i.test(c)))
        continue;
      // Nor does money paid back (a refund, for the late delivery) drive what it made good.
      if (predictor.columns.every((c) => isRefundName(c)) && !outcome.columns.some((c) => isRefundName(c))) continue;
      // Nor does a score given at the end (satisfaction) drive how the visit went (taught by staff or not):
      // the score is told by the trait. (It may drive what the guest means to do next: would return.)
      const trait = outcome.columns.every(
        (c) => !isOutcomeName(c) && !isHappenedName(c) && !isVerdictName(c) && !isIntentName(c),
      );
      if (trait && predictor.columns.every((c) => isScoreName(c))) continue;
      const stats = await queryOne(
        ctx.q.connection,
        `SELECT corr(${predictor.rowSql}, ${outcome.rowSql}) AS r, regr_count(${predictor.rowSql}, ${outcome.rowSql}) AS n,
                count(DISTINCT ${predictor.rowSql}) AS distinct_values FROM ${relation}`,
      );
      const r = Number(stats.r);
      const n = Number(stats.n);
      if (!Number.isFinite(r)) continue;
      const p = ctx.tested(correlationP(r, n));
      if (p > 0.05 || Math.abs(r) < 0.08) continue;
      // Low and high groups by the predictor's rows: a third of the rows each (whole values kept together).
      const levels = await queryRows(
        ctx.q.connection,
        `SELECT ${predictor.rowSql} AS x, count(*) AS n, sum(${outcome.rowSql}) AS k FROM ${relation}
         WHERE ${predictor.rowSql} IS NOT NULL AND ${outcome.rowSql} IS NOT NULL GROUP BY 1 ORDER BY 1`,
      );
      // An outcome that is the predictor cut at a threshold (would_recommend = NPS ≥ 9) is its definition.
      if (
        isThresholdOf(
          levels.map((l) => ({ n: Number(l.n), k: Number(l.k) })),
          outcome,
        )
      )
        continue;
      if (settledByOutcome(levels.map((l) => ({ x: Number(l.x), n: Number(l.n), k: Number(l.k) })))) continue;
      // How a row ended that splits a column of it almost cleanly (cancelled rentals all cost the unlock fee,
      // completed ones more) set that column: the link runs from the status, not to it.
      if (endedAs) {
        const auc = separation(levels.map((l) => ({ n: Number(l.n), k: Number(l.k) })));
        if (auc >= 0.97 || auc <= 0.03) continue;
      }
      const groups = groupByThirds(
        levels.map((l) => ({ x: Number(l.x), n: Number(l.n), k: Number(l.k) })),
        predictor,
      );
      if (!groups) continue;
      const { low, high } = groups;
      const lowRate = low.k / low.n;
      const highRate = high.k / high.n;
      const id = `driver:${slug(outcome.id)}:${slug(predictor.id)}`;
      const claims = new ClaimSet(id);
      claims.correlation('r', r);
      claims.add('lowRange', low.label, 'period', low.label);
      claims.add('highRange', high.label, 'period', high.label);
      claims.percent('lowRate', lowRate * 100);
      claims.percent('highRate', highRate * 100);
      // A multiple where it is one (3.1× the churn), else the gap in points (81.7% against 91.1%: 9.4 points).
      const multiple = lowRate > 0 && highRate > 0 ? Math.max(highRate / lowRate, lowRate / highRate) : 0;
      if (multiple >= 1.5) claims.ratio('ratio', multiple);
      claims.add(
        'gapPoints',
        Math.abs(highRate - lowRate) * 100,
        'number',
        (Math.abs(highRate - lowRate) * 100).toFixed(1),
      );
      claims.percent('lowShare', (low.n / n) * 100);
      claims.percent('highShare', (high.n / n) * 100);
      // A predictor or outcome many rows lack (a survey answered by a third): say over which rows.
      if (!ctx.profile.sampled && n < 0.95 * ctx.profile.rowCount) claims.count('pairs', n);
      const relative = lowRate > 0 ? highRate / lowRate - 1 : 1;
      facts.push(
        makeFact({
          id,
          type: 'correlation',
          measureId: outcome.id,
          columns: [...predictor.columns, ...outcome.columns],
          p,
          effect:
            Math.max(Math.abs(r), relativeEffect(Math.log(1 + Math.abs(relative)))) *
            Math.min(1, Math.abs(highRate - lowRate) / 0.05),
          impact: 1,
          // Would-recommend by satisfaction is one opinion asked twice: they agree by construction. A premium
          // is priced from the very risk it then "predicts" (dearer policies claim more): the pricing, read back.
          surprise:
            isSatisfactionName(outcome.columns.join(' ')) && isSatisfactionName(predictor.columns.join(' '))
              ? 0.5
              : predictor.columns.every((c) => /(^|[_\s-])premiums?([_\s-]|$)/i.test(c))
                ? 0.6
                : 1,
          claims: claims.claims,
          data: {
            outcome: outcome.id,
            predictor: predictor.id,
            r,
            levels: chartLevels(levels.map((l) => ({ x: Number(l.x), n: Number(l.n), k: Number(l.k) }))),
            low: { label: low.label, rate: lowRate, n: low.n },
            high: { label: high.label, rate: highRate, n: high.n },
          },
        }),
      );
    }
  }
  return facts;
}

/**
 * The predictor's values for a chart of the rate at each: every value when there are at most 25 (tickets
 * 0–6), else a dozen bins of about as many rows each (hours watched 0–26.3), labelled by their range.
 */
function chartLevels(levels: { x: number; n: number; k: number }[]) {
  const rate = (n: number, k: number) => (n > 0 ? k / n : 0);
  if (levels.length <= 25) return levels.map((l) => ({ x: l.x, n: l.n, rate: rate(l.n, l.k) }));
  const total = levels.reduce((sum, l) => sum + l.n, 0);
  const bins: { x: number; to: number; n: number; k: number }[] = [];
  for (const level of levels) {
    const open = bins[bins.length - 1];
    if (open && open.n < total / 12) {
      open.to = level.x;
      open.n += level.n;
      open.k += level.k;
    } else bins.push({ x: level.x, to: level.x, n: level.n, k: level.k });
  }
  const round = (v: number) => String(Number(v.toPrecision(3)));
  return bins.map((b) => ({
    x: b.x,
    n: b.n,
    rate: rate(b.n, b.k),
    label: b.x === b.to ? round(b.x) : `${round(b.x)}–${round(b.to)}`,
  }));
}

function groupByThirds(levels: { x: number; n: number; k: number }[], predictor?: Measure) {
  const total = levels.reduce((s, l) => s + l.n, 0);
  if (levels.length < 3 || total < 30) return null;
  // In the predictor's own terms, as its cells are written: "20%+" for a discount, "$50–$80" for a price,
  // "13,968–27,381" with thousands grouped.
  const label = (from: number, to: number, last: boolean) => {
    // Whole values as written ("705–850"); fractional ones to a reader's precision ("30.66–279.58", not the
    // cells' "30.659–279.58").
    const fmt = (v: number) =>
      predictor
        ? formatMeasureValue(v, predictor, Number.isInteger(v) ? 'raw' : 'average')
        : Number.isInteger(v)
          ? String(v)
          : v.toFixed(2);
    // "5+" only where more than one value is above: a top level alone (a rating of 5) is itself.
    if (last && levels.length <= 15 && from !== to) return `${fmt(from)}+`;
    if (from === to) return fmt(from);
    // A unit after the number is said once: "6–49 days", "38–86 min" (a currency before it stays on both).
    const [low, high] = [fmt(from), fmt(to)];
    const unit = / [^\d\s]+$/.exec(high)?.[0];
    const lowText = unit && low.endsWith(unit) ? low.slice(0, -unit.length) : low;
    // "-34 to -12" reads where "-34–-12" does not.
    return `${lowText}${from < 0 || to < 0 ? ' to ' : '–'}${high}`;
  };
  let cumulative = 0;
  let lowEnd = 0;
  while (lowEnd < levels.length - 2 && cumulative + levels[lowEnd]!.n <= total / 3) cumulative += levels[lowEnd++]!.n;
  if (lowEnd === 0) lowEnd = 1;
  let highStart = levels.length - 1;
  let tail = levels[highStart]!.n;
  while (highStart - 1 > lowEnd && tail + levels[highStart - 1]!.n <= total / 3) tail += levels[--highStart]!.n;
  const sum = (slice: typeof levels) => ({
    n: slice.reduce((s, l) => s + l.n, 0),
    k: slice.reduce((s, l) => s + l.k, 0),
  });
  const lowSlice = levels.slice(0, lowEnd);
  const highSlice = levels.slice(highStart);
  return {
    low: { ...sum(lowSlice), label: label(lowSlice[0]!.x, lowSlice[lowSlice.length - 1]!.x, false) },
    high: { ...sum(highSlice), label: label(highSlice[0]!.x, highSlice[highSlice.length - 1]!.x, true) },
  };
}

/**
 * One quantity on two sides of each row (home and away score): does one side run higher? A paired t-test of
 * the per-row difference against zero; the effect is Cohen's d (mean difference over its spread), and the
 * story gives both sides' averages and how often each side was ahead.
 */
export async function pairedDifferenceFacts(ctx: DetectorContext): Promise<Fact[]> {
  const facts: Fact[] = [];
  for (const measure of ctx.profile.measures) {
    const sides = measure.sides;
    if (!sides) continue;
    const [first, second] = [sides.first, sides.second].map((id) => ctx.profile.measures.find((m) => m.id === id));
    if (!first || !second) continue;
    const x = measure.rowSql;
    const row = await queryOne(
      ctx.q.connection,
      `SELECT count(${x}) AS n, avg(${x}) AS mean, stddev_samp(${x}) AS sd,
              avg(${first.rowSql}) FILTER (WHERE ${x} IS NOT NULL) AS a, avg(${second.rowSql}) FILTER (WHERE ${x} IS NOT NULL) AS b,
              count(*) FILTER (WHERE ${x} > 0) AS ahead, count(*) FILTER (WHERE ${x} < 0) AS behind
       FROM ${ctx.profile.sampleRelation}`,
    );
    const n = Number(row.n);
    const mean = Number(row.mean);
    const sd = Number(row.sd);
    if (n < 10 || !(sd > 0)) continue;
    const p = ctx.tested(tTwoSidedP(mean / (sd / Math.sqrt(n)), n - 1));
    const d = Math.abs(mean) / sd;
    if (p > 0.05 || d < 0.1) continue;
    // Told from the side that runs higher.
    const higherFirst = mean > 0;
    const [high, low] = higherFirst ? [first, second] : [second, first];
    const [highSide, lowSide] = higherFirst ? [sides.firstSide, sides.secondSide] : [sides.secondSide, sides.firstSide];
    const id = `paired:${slug(measure.id)}`;
    const claims = new ClaimSet(id);
    claims.add('highSide', highSide, 'member', highSide);
    claims.add('lowSide', lowSide, 'member', lowSide);
    claims.measure('highValue', Number(higherFirst ? row.a : row.b), high);
    claims.measure('lowValue', Number(higherFirst ? row.b : row.a), low);
    claims.measure('difference', Math.abs(mean), measure);
    claims.percent('aheadShare', (Number(higherFirst ? row.ahead : row.behind) / n) * 100);
    claims.percent('behindShare', (Number(higherFirst ? row.behind : row.ahead) / n) * 100);
    claims.count('rows', n);
    facts.push(
      makeFact({
        id,
        type: 'paired_difference',
        measureId: measure.id,
        columns: [first.id, second.id],
        p,
        effect: 1 - Math.exp(-d / 0.5),
        impact: 1,
        claims: claims.claims,
        data: { stem: sides.stem, highMeasure: high.id, lowMeasure: low.id },
      }),
    );
  }
  return facts;
}
