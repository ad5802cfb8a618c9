import { queryRows } from '../../db/duckdb.ts';
import {
  chiSquareIndependence,
  chiSquareSf,
  combineSummaries,
  gini,
  mannKendall,
  median,
  normalSf,
  oneWayAnova,
  outstandingFirst,
  percentChange,
  robustDistance,
  twoProportionTest,
  twoSidedNormalP,
  welchTTest,
} from '../../stats/index.ts';
import { ClaimSet } from '../narrative/format.ts';
import { isYesMember } from '../narrative/phrases.ts';
import type { GroupStats } from '../queries.ts';
import {
  controlOf,
  isControlMember,
  isCostName,
  isExperimentArm,
  isFieldworkName,
  isIdentifierName,
  isKindName,
  isLifecycleName,
  isPersonTraitName,
  isVerdictName,
  ordinalOrder,
} from '../semantics.ts';
import { finer, periodLabel } from '../time.ts';
import {
  type Dimension,
  definedByBreakdown,
  type Fact,
  type Granularity,
  isYesNoRateId,
  type Measure,
  nestedBreakdowns,
  ROWS_MEASURE_ID,
  SURVEY_INDEX_ID,
} from '../types.ts';
import { type DetectorContext, gapEffect, isFarFromZero, makeFact, relativeEffect, slug } from './context.ts';
import { memberSeries } from './meta.ts';
import { computedTogether } from './relation.ts';
import { type Series, toSeries } from './series.ts';

/**
 * In a panel (one row per entity and period), which entity is biggest is a standing property of the
 * entities, summed over periods; how they change is the story. Rank facts over the entity count less, and
 * so do rankings of numeric codes ("cluster 4 leads" says little without a legend).
 */
const entityPenalty = (ctx: DetectorContext, dimension: Dimension) =>
  (ctx.profile.entity === dimension.name ? 0.6 : 1) *
  // How a survey was answered (online, by phone) is its fieldwork: most answering online is no finding.
  (isFieldworkName(dimension.name) ? 0.5 : 1) *
  (dimension.coded ? 0.75 : 1) *
  // A total split by state (status 200 vs 500) mostly restates how often each state occurs: its rate says more.
  (isKindName(dimension.name) ? 0.7 : 1);

/**
 * Members to compare: the most frequent ones; very rare members (< 0.5% of rows, fewer than 5 rows) are
 * noise. At one moment of a panel a row is an entity, so 3 of them make a group (4 countries of a cluster).
 */
function usableGroups(groups: GroupStats[], totalRows: number, minRows = 5): GroupStats[] {
  return groups.filter((g) => g.rows >= minRows && g.rows / totalRows >= 0.005);
}

/**
 * Shares of an additive measure across members: a leader that stands out (ML.NET's outstanding-No.1
 * test) and concentration (Gini; a chi-square against an even split of the rows' values).
 */
function additiveFacts(
  ctx: DetectorContext,
  dimension: Dimension,
  measure: Measure,
  index: number,
  groups: GroupStats[],
  all: readonly Measure[],
): Fact[] {
  const inTheRed = negativeMemberFact(ctx, dimension, measure, index, groups);
  if (inTheRed) return [inTheRed];
  // In a table of readings (a state's generation by source and year), how many rows a member has is how much
  // of the table it covers: no sources in two states make hydro "the fewest rows", no finding.
  const p = ctx.profile;
  if (
    measure.id === ROWS_MEASURE_ID &&
    p.time &&
    !p.rowsAreEvents &&
    !p.rowsAreAnswers &&
    (p.cube || p.measures.some((m) => m.longMetric))
  )
    return [];
  const members = groups
    .map((g) => ({ member: g.member, value: g.measures[index]?.value ?? 0, rows: g.rows, stats: g.measures[index]! }))
    .filter((m) => m.value > 0)
    .sort((a, b) => b.value - a.value || (a.member < b.member ? -1 : 1));
  const total = members.reduce((sum, m) => sum + m.value, 0);
  if (members.length < 2 || total <= 0) return [];
  // Shares of the positive members alone would hide what the others give back (one sub-category "making
  // 94% of the profit" while eight lose money).
  const givenBack = groups.reduce((sum, g) => sum + Math.min(0, g.measures[index]?.value ?? 0), 0);
  if (-givenBack > 0.05 * total) return [];
  const facts: Fact[] = [];
  const shares = members.map((m) => m.value / total);
  const columns = [...measure.columns, dimension.name];
  const role = 'total' as const;
  const evidence = members.slice(0, 40).map((m, i) => ({ member: m.member, value: m.value, share: shares[i]! }));

  // Concentration: Σ(Sᵢ − S/k)² / (N/k · E[x²]) ~ χ²(k−1) when rows fall on members at random (reduces to
  // the usual goodness-of-fit test for counts).
  const k = members.length;
  const rows = members.reduce((sum, m) => sum + m.rows, 0);
  const meanSquare =
    members.reduce(
      (sum, m) => sum + (m.stats.variance ?? 0) * Math.max(0, m.stats.n - 1) + (m.stats.mean ?? 0) ** 2 * m.stats.n,
      0,
    ) /
    Math.max(
      1,
      members.reduce((sum, m) => sum + m.stats.n, 0),
    );
  // The test is on row sums: a level's value is an average over periods (see `stockPer`), its row sum is `k`.
  const sums = members.map((m) => (measure.stockPer ? m.stats.k : m.value));
  const sumTotal = sums.reduce((a, b) => a + b, 0);
  const chi2 =
    sums.reduce((sum, value) => sum + (value - sumTotal / k) ** 2, 0) / ((rows / k) * Math.max(meanSquare, 1e-12));
  const concentrationP = ctx.tested(chiSquareSf(chi2, k - 1));
  const g = gini(members.map((m) => m.value)) ?? 0;
  const normalizedGini = k > 1 ? Math.min(1, (g * k) / (k - 1)) : 0;
  if (k >= 5) {
    // The top group: where the shares break (the biggest ratio between neighbours in the top third), else the
    // top 20%; two at least (one member alone is a leader, a fact of its own).
    let topK = Math.max(2, Math.ceil(k * 0.2));
    let bestBreak = 1.5;
    for (let i = 1; i <= Math.max(1, Math.floor(k / 3)); i++) {
      const ratio = shares[i - 1]! / (shares[i] ?? Number.POSITIVE_INFINITY);
      if (i >= 2 && ratio > bestBreak) {
        bestBreak = ratio;
        topK = i;
      }
    }
    const topShare = shares.slice(0, topK).reduce((a, b) => a + b, 0);
    const id = `concentration:${slug(measure.id)}:${slug(dimension.name)}`;
    const claims = new ClaimSet(id);
    claims.count('topK', topK);
    claims.count('members', k);
    claims.percent('topShare', topShare * 100);
    claims.percent('topMemberShare', shares[0]! * 100);
    claims.member('topMember', members[0]!.member);
    claims.measure('topMemberValue', members[0]!.value, measure, role);
    claims.measure('total', total, measure, role);
    claims.percent('topKPctOfMembers', (topK / k) * 100);
    claims.add('gini', normalizedGini, 'number', normalizedGini.toFixed(2));
    for (let i = 0; i < Math.min(topK, 8); i++) claims.member(`top${i + 1}`, members[i]!.member);
    const input = inputOf(
      all,
      measure,
      groups,
      members.slice(0, topK).map((m) => m.member),
    );
    const mirrorsInput = claimInput(claims, input, topShare);
    const evenShare = topK / k;
    // One member holding three quarters or more is a leader's story, not a top group's ("the top 2 of 5
    // hold 99.9%" when the first alone holds 99.9%).
    if (concentrationP <= 0.05 && topShare - evenShare >= 0.15 && shares[0]! < 0.75) {
      facts.push(
        makeFact({
          id,
          type: 'concentration',
          measureId: measure.id,
          dimension: dimension.name,
          columns,
          p: concentrationP,
          effect: Math.min(1, (topShare - evenShare) / 0.5) * Math.min(1, normalizedGini / 0.4),
          impact: 1,
          // Among a handful of members (five product lines) two holding most is what the members are (motor
          // and home insurance are the big lines), not a Pareto: that takes many members.
          surprise: entityPenalty(ctx, dimension) * (mirrorsInput ? 0.5 : 1) * (k <= 6 ? 0.6 : 1),
          claims: claims.claims,
          data: {
            members: evidence,
            topK,
            total,
            otherCount: Math.max(0, dimension.cardinality - members.length),
            ...(input ? { input: input.input.id, perInput: input.perInput.id } : {}),
          },
        }),
      );
    }
  }
  const outstanding =
    k === 2
      ? twoMemberLead(
          ctx,
          dimension,
          shares,
          sums,
          members.map((m) => m.rows),
          meanSquare,
        )
      : (farAhead(members, sums, meanSquare) ?? outstandingFirst(members.map((m) => m.value)));
  if (outstanding) {
    if (k > 2) ctx.tested(outstanding.p);
    // Nearly every row one member's (3,372 of 3,376 airports in the USA) is the file's scope, not a lead.
    // So is a total one member holds all of (only open days sell tickets): the others hold none by definition.
    const scope = (measure.id === ROWS_MEASURE_ID && shares[0]! >= 0.95) || shares[0]! >= 0.99;
    // A fifth of the whole, or among many members a tenth and twice the next (one station of 24 with 19%).
    const ratio = shares[0]! / Math.max(shares[1]!, 1e-12);
    const large = shares[0]! >= 0.2 || (shares[0]! >= 0.1 && ratio >= 2);
    if (outstanding.isOutstanding && outstanding.p <= 0.05 && large && !scope) {
      const id = `leader:${slug(measure.id)}:${slug(dimension.name)}`;
      const claims = new ClaimSet(id);
      claims.member('leader', members[0]!.member);
      claims.measure('leaderValue', members[0]!.value, measure, role);
      claims.percent('leaderShare', shares[0]! * 100);
      claims.member('second', members[1]!.member);
      claims.measure('secondValue', members[1]!.value, measure, role);
      claims.percent('secondShare', shares[1]! * 100);
      claims.ratio('ratio', members[0]!.value / members[1]!.value);
      claims.count('members', k);
      // How much of the lead is the member's number of rows (the Alps: 79.4% of revenue, 66.6% of resorts).
      const rowShare = members[0]!.rows / rows;
      const grid = cellsOfAGrid(members);
      const sized =
        measure.id !== ROWS_MEASURE_ID && measure.aggregation === 'sum' && rowShare >= 0.5 * shares[0]! && !grid;
      if (sized) {
        claims.count('leaderRows', members[0]!.rows);
        claims.count('rows', rows);
        claims.percent('leaderRowShare', rowShare * 100);
      }
      const input = inputOf(all, measure, groups, [members[0]!.member]);
      const mirrorsInput = claimInput(claims, input, shares[0]!);
      facts.push(
        makeFact({
          id,
          type: 'leader',
          measureId: measure.id,
          dimension: dimension.name,
          columns,
          p: outstanding.p,
          // The gap in share points, or for a leader among many the multiple of the next (2.5× = 0.5).
          effect: Math.min(1, Math.max((shares[0]! - shares[1]!) / 0.4, (ratio - 1) / 3)),
          impact: 1,
          // A total that leads only as far as the member's row count does (salaried applicants ask for 60% of
          // the money and are 60% of the applicants) says no more than the count: expected, not news.
          surprise:
            entityPenalty(ctx, dimension) *
            (pricedInto(ctx, measure) ? 0.6 : 1) *
            // Men "leading" the bonus pool is headcount and pay at once: the gap per person says which.
            (isPersonTraitName(dimension.name) ? 0.5 : 1) *
            (mirrorsRows(measure, shares[0]!, rowShare) && !grid ? 0.3 : 1) *
            (isNumeratorOfRate(ctx, measure) || mirrorsInput ? 0.5 : 1) *
            (isBaseOfRate(ctx, measure) ? 0.7 : 1),
          claims: claims.claims,
          data: {
            members: evidence,
            leader: members[0]!.member,
            ...(input ? { input: input.input.id, perInput: input.perInput.id } : {}),
          },
        }),
      );
    }
  }
  const laggard = laggardFact(ctx, dimension, measure, members, columns);
  if (laggard) facts.push(laggard);
  const weighty = fewRowsMuchOfTheTotal(ctx, dimension, measure, members, total, rows, columns);
  if (weighty) facts.push(weighty);
  return facts;
}

/**
 * A member that brings a large part of a money total from few rows: garden furniture is 3% of the order
 * lines and 39% of the revenue, oncology 3% of the prescriptions and 35% of the amount. Whether or not it
 * leads, the mix of the total is its story. Tested as its average per row against the other rows' (Welch's
 * t on the logarithm would be kinder to the tail, but the averages are what make the shares).
 */
function fewRowsMuchOfTheTotal(
  ctx: DetectorContext,
  dimension: Dimension,
  measure: Measure,
  members: { member: string; value: number; rows: number; stats: GroupStats['measures'][number] }[],
  total: number,
  rows: number,
  columns: string[],
): Fact | null {
  if (
    measure.id === ROWS_MEASURE_ID ||
    measure.format.kind !== 'currency' ||
    members.length < 2 ||
    rows <= 0 ||
    cellsOfAGrid(members)
  )
    return null;
  const weigh = (m: (typeof members)[number]) => ({ ...m, share: m.value / total, rowShare: m.rows / rows });
  const best = members
    .map(weigh)
    .filter((m) => m.share >= 0.15 && m.rowShare > 0 && m.share / m.rowShare >= 3 && m.stats.mean !== null)
    .sort((a, b) => b.share / b.rowShare - a.share / a.rowShare || (a.member < b.member ? -1 : 1))[0];
  if (!best) return null;
  const others = members.filter((m) => m.member !== best.member).map((m) => m.stats);
  const rest = combineSummaries(others);
  if (best.stats.n < 5 || rest.n < 5) return null;
  const test = welchTTest({ n: best.stats.n, mean: best.stats.mean!, variance: best.stats.variance ?? 0 }, rest);
  const p = ctx.tested(test.p);
  if (p > 0.05) return null;
  const id = `weight:${slug(measure.id)}:${slug(dimension.name)}`;
  const claims = new ClaimSet(id);
  claims.member('member', best.member);
  claims.measure('memberValue', best.value, measure, 'total');
  claims.percent('share', best.share * 100);
  claims.count('memberRows', best.rows);
  claims.percent('rowShare', best.rowShare * 100);
  claims.measure('perRow', best.stats.mean!, measure, 'average');
  claims.measure('perRowRest', rest.mean, measure, 'average');
  if (rest.mean > 0) claims.ratio('perRowRatio', best.stats.mean! / rest.mean);
  return makeFact({
    id,
    type: 'leader',
    measureId: measure.id,
    dimension: dimension.name,
    columns,
    p,
    // Twelve times its share of the rows counts fully; three times, half.
    effect: Math.min(1, Math.log(best.share / best.rowShare) / Math.log(9)),
    impact: best.share,
    surprise: 1.2 * entityPenalty(ctx, dimension),
    claims: claims.claims,
    data: {
      disproportion: true,
      leader: best.member,
      members: members
        .slice(0, 25)
        .map(weigh)
        .map((m) => ({ member: m.member, value: m.value, share: m.share, rowShare: m.rowShare })),
    },
  });
}

/**
 * A count that a rate of the file divides (churned customers, of churned / customers): its largest member is
 * mostly the largest base (SMB has most churned customers because it has most customers); the rate tells
 * whether it churns more.
 */
const isNumeratorOfRate = (ctx: DetectorContext, measure: Measure) =>
  ctx.profile.measures.some((m) => m.ratio && m.aggregation === 'rate' && m.columns[0] === measure.id);

/**
 * The work a rate of the file is counted against (lines picked, of pick errors per line; sessions, of
 * conversions per session): who does most of it is the rate's context — its size — more than a finding.
 */
const isBaseOfRate = (ctx: DetectorContext, measure: Measure) =>
  ctx.profile.measures.some((m) => m.ratio && m.aggregation === 'rate' && m.columns[1] === measure.id);

/**
 * What a return's top members put in (revenue where the spend went), when the file has the return per
 * input as a measure (ROAS = revenue ÷ spend): their share of the input and the return per input inside and
 * outside them. Null without such a measure.
 */
function inputOf(
  all: readonly Measure[],
  measure: Measure,
  groups: GroupStats[],
  members: string[],
): { perInput: Measure; input: Measure; share: number; inside: number; outside: number } | null {
  const perInput = all.find((m) => m.perUnit?.money === measure.id && all.some((b) => b.id === m.perUnit?.base));
  const at = all.findIndex((m) => m.id === perInput?.perUnit?.base);
  const returned = all.indexOf(measure);
  if (!perInput || at < 0 || returned < 0) return null;
  const sum = (list: GroupStats[], i: number) =>
    list.reduce((total, g) => total + Math.max(0, g.measures[i]?.value ?? 0), 0);
  const inside = groups.filter((g) => members.includes(g.member));
  const outside = groups.filter((g) => !members.includes(g.member));
  const [putIn, putOut] = [sum(inside, at), sum(outside, at)];
  if (putIn <= 0 || putOut <= 0) return null;
  return {
    perInput,
    input: all[at]!,
    share: putIn / (putIn + putOut),
    inside: sum(inside, returned) / putIn,
    outside: sum(outside, returned) / putOut,
  };
}

/**
 * Adds what the members put in to a leader's or a top group's claims. A return whose members' share is
 * within a sixth of their share of the input (the top 2 channels bring 78% of revenue on 74% of the spend)
 * is the allocation, not a finding: true when so.
 */
function claimInput(claims: ClaimSet, input: ReturnType<typeof inputOf>, share: number): boolean {
  if (!input) return false;
  claims.percent('inputShare', input.share * 100);
  claims.measure('perInputInside', input.inside, input.perInput, 'average');
  claims.measure('perInputOutside', input.outside, input.perInput, 'average');
  return Math.abs(input.share - share) <= share / 6;
}

/**
 * The last member of a total trails the others' median by `gap` (a share of it): does its row count trail
 * by three quarters of that already?
 */
function trailsByRows(measure: Measure, members: readonly { rows: number }[], gap: number): boolean {
  if (measure.id === ROWS_MEASURE_ID || measure.aggregation !== 'sum') return false;
  const typicalRows = median(members.slice(0, -1).map((m) => m.rows)) ?? 0;
  const last = members[members.length - 1]!.rows;
  const rowGap = typicalRows > 0 ? (typicalRows - last) / typicalRows : 0;
  // Or on the scale of ratios: a total 61% below the median with 44% fewer rows is mostly the rows (a
  // smaller age band's claims), its per-row amount only 30% lower.
  const logRows = typicalRows > 0 && last > 0 ? Math.log(typicalRows / last) : 0;
  return rowGap >= 0.75 * gap || (gap < 1 && logRows >= 0.6 * -Math.log(1 - gap));
}

/**
 * Members with the same number of rows to within 2% (a day × region × channel grid, one row per cell): a
 * member's rows are its cells, no measure of its size.
 */
const cellsOfAGrid = (members: readonly { rows: number }[]) => {
  const counts = members.map((m) => m.rows);
  return counts.length >= 2 && Math.min(...counts) > 0 && Math.max(...counts) / Math.min(...counts) <= 1.02;
};

/** An additive total whose leader's share is within a tenth of its share of the rows. */
const mirrorsRows = (measure: Measure, share: number, rowShare: number) =>
  measure.id !== ROWS_MEASURE_ID && measure.aggregation === 'sum' && Math.abs(share - rowShare) <= 0.1 * rowShare;

/**
 * Two members of a real category (two buildings, not churned yes/no): the larger is a leader when its share
 * is ten points above the other's and far from what its share of the rows would give (one degree of freedom).
 */
function twoMemberLead(
  ctx: DetectorContext,
  dimension: Dimension,
  shares: number[],
  sums: number[],
  rows: number[],
  meanSquare: number,
): { isOutstanding: boolean; p: number } | null {
  if (dimension.binary) return null;
  return {
    isOutstanding: shares[0]! - shares[1]! >= 0.1,
    p: ctx.tested(chiSquareSf(splitChiSquare(sums, rows, meanSquare), 1)),
  };
}

/**
 * A first member twice the second or more stands out whatever the others look like: the power-law test
 * of `outstandingFirst` expects the rest to fall away, and a hub station among twenty alike fails it. The
 * test is the gap between the first two sums against what chance gives their rows (for counts, the
 * binomial z of the two), one-sided.
 */
function farAhead(
  members: { value: number; rows: number }[],
  sums: number[],
  meanSquare: number,
): { isOutstanding: boolean; p: number } | null {
  if (members.length < 3 || members[0]!.value < 2 * members[1]!.value) return null;
  const z = (sums[0]! - sums[1]!) / Math.sqrt((members[0]!.rows + members[1]!.rows) * Math.max(meanSquare, 1e-12));
  return { isOutstanding: true, p: normalSf(z) };
}

/** Σ (Sᵢ − S·rᵢ/R)² / (rᵢ·E[x²]): how far sums fall from a split in proportion to the rows, ~ χ²(k − 1). */
function splitChiSquare(sums: number[], rows: number[], meanSquare: number): number {
  const total = sums.reduce((a, b) => a + b, 0);
  const allRows = rows.reduce((a, b) => a + b, 0);
  return sums.reduce(
    (chi2, sum, i) => chi2 + (sum - (total * rows[i]!) / allRows) ** 2 / (rows[i]! * Math.max(meanSquare, 1e-12)),
    0,
  );
}

/**
 * The member far below all the others (§4.4 #3, the mirror of the leader): robust z of the smallest total
 * against the median and 1.4826·MAD of the other members (leaving it out, so it cannot mask itself),
 * normal tail, Bonferroni over the members. It must trail alone (the gap to the next-smallest is at least
 * half its gap to the median) and by at least 30%.
 */
function laggardFact(
  ctx: DetectorContext,
  dimension: Dimension,
  measure: Measure,
  members: { member: string; value: number; rows: number }[],
  columns: string[],
): Fact | null {
  const k = members.length;
  if (k < 5) return null;
  const last = members[k - 1]!;
  const next = members[k - 2]!;
  const {
    center: typical,
    scale,
    z: signed,
  } = robustDistance(
    last.value,
    members.slice(0, k - 1).map((m) => m.value),
  );
  if (typical <= 0 || scale <= 0) return null;
  const z = -signed;
  const p = ctx.tested(Math.min(1, k * normalSf(z)));
  const gap = (typical - last.value) / typical;
  const alone = next.value - last.value >= 0.5 * (typical - last.value);
  if (z < 3.5 || p > 0.05 || gap < 0.3 || !alone) return null;
  const id = `laggard:${slug(measure.id)}:${slug(dimension.name)}`;
  const claims = new ClaimSet(id);
  const role = 'total' as const;
  claims.member('laggard', last.member);
  claims.measure('laggardValue', last.value, measure, role);
  claims.percent('belowMedianPct', gap * 100);
  claims.measure('median', typical, measure, role);
  claims.member('next', next.member);
  claims.measure('nextValue', next.value, measure, role);
  claims.count('members', k);
  return trailingMemberFact(dimension, measure, members, last, claims, {
    columns,
    p,
    effect: Math.min(1, z / 6) * Math.min(1, gap / 0.5),
    // A total that trails mostly because the member has fewer rows (the youngest visitors spend least in
    // all because fewest of them answered) says little more than the count, as for a leader.
    surprise: entityPenalty(ctx, dimension) * (trailsByRows(measure, members, gap) ? 0.3 : 1),
    median: typical,
  });
}

/**
 * The fact of a member that trails the others (far below them, or below zero): about the whole breakdown,
 * like a leader, but a sliver of the rows matters less. Its chart shows the members by value.
 */
function trailingMemberFact(
  dimension: Dimension,
  measure: Measure,
  members: { member: string; value: number; rows: number }[],
  laggard: { member: string; rows: number },
  claims: ClaimSet,
  fact: { columns: string[]; p: number; effect: number; surprise: number; median: number; negative?: true },
): Fact {
  const total = members.reduce((sum, m) => sum + m.value, 0);
  const rows = members.reduce((sum, m) => sum + m.rows, 0);
  return makeFact({
    id: claims.factId,
    type: 'laggard',
    measureId: measure.id,
    dimension: dimension.name,
    subspace: { dimension: dimension.name, member: laggard.member },
    columns: fact.columns,
    p: fact.p,
    effect: fact.effect,
    impact: Math.min(1, 0.5 + laggard.rows / Math.max(1, rows)),
    surprise: fact.surprise,
    claims: claims.claims,
    data: {
      members: [...members]
        .sort((a, b) => b.value - a.value || (a.member < b.member ? -1 : 1))
        .slice(0, 40)
        .map((m) => ({ member: m.member, value: m.value, share: m.value / total })),
      laggard: laggard.member,
      median: fact.median,
      ...(fact.negative ? { negative: true } : {}),
    },
  });
}

/**
 * The members whose total is below zero while the whole is above it (the sub-category that loses money):
 * the worst one's row mean against the other rows (Welch's t, Bonferroni over members).
 */
function negativeMemberFact(
  ctx: DetectorContext,
  dimension: Dimension,
  measure: Measure,
  index: number,
  groups: GroupStats[],
): Fact | null {
  const members = groups
    .map((g) => ({ member: g.member, rows: g.rows, stats: g.measures[index]!, value: g.measures[index]?.value ?? 0 }))
    .sort((a, b) => a.value - b.value || (a.member < b.member ? -1 : 1));
  const total = members.reduce((sum, m) => sum + m.value, 0);
  const negative = members.filter((m) => m.value < 0);
  if (members.length < 3 || total <= 0 || negative.length === 0) return null;
  const worst = negative[0]!;
  const rest = combineSummaries(members.filter((m) => m !== worst).map((m) => m.stats));
  if (worst.stats.n < 3 || rest.n < 3 || worst.stats.mean === null) return null;
  const test = welchTTest({ n: worst.stats.n, mean: worst.stats.mean, variance: worst.stats.variance ?? 0 }, rest);
  const p = ctx.tested(Math.min(1, test.p * members.length));
  if (p > 0.05) return null;
  const positives = members.filter((m) => m.value > 0).map((m) => m.value);
  const typical = median(positives) ?? 0;
  const id = `laggard:${slug(measure.id)}:${slug(dimension.name)}`;
  const claims = new ClaimSet(id);
  const role = 'total' as const;
  claims.member('laggard', worst.member);
  claims.measure('laggardValue', worst.value, measure, role);
  claims.measure('median', typical, measure, role);
  claims.measure('total', total, measure, role);
  claims.count('members', members.length);
  claims.count('negativeMembers', negative.length);
  const second = negative[1];
  if (negative.length >= 3) {
    // Many below zero: how much they give back together, and who makes the most.
    const best = members[members.length - 1]!;
    claims.measure(
      'negativeTotal',
      negative.reduce((sum, m) => sum + m.value, 0),
      measure,
      role,
    );
    claims.member('top', best.member);
    claims.measure('topValue', best.value, measure, role);
  } else if (second) {
    claims.member('next', second.member);
    claims.measure('nextValue', second.value, measure, role);
  }
  return trailingMemberFact(dimension, measure, members, worst, claims, {
    columns: [...measure.columns, dimension.name],
    p,
    // How much of the whole it gives back: losing a fifth of what the others make is large.
    effect: Math.min(1, Math.abs(worst.value) / Math.max(1e-9, total + Math.abs(worst.value)) / 0.2),
    surprise: 1.3,
    median: typical,
    negative: true,
  });
}

interface Contrast {
  member: string;
  value: number;
  rest: number;
  p: number;
  effect: number;
  rows: number;
}

/** One member against all the others, for an averaged measure (Welch t) or a rate (two-proportion z). */
function contrast(
  measure: Measure,
  index: number,
  groups: GroupStats[],
  member: GroupStats,
  logs?: Map<string, LogSummary>,
): Contrast | null {
  const stats = member.measures[index]!;
  if (logs) return logContrast(measure, member, index, groups, logs);
  const others = groups.filter((g) => g !== member).map((g) => g.measures[index]!);
  if (measure.ratio?.amounts && stats.moments) {
    const [one, rest] = [ratioEstimate([stats]), ratioEstimate(others)];
    if (!one || !rest || stats.n < 3) return null;
    const z = (one.ratio - rest.ratio) / Math.sqrt(one.variance + rest.variance);
    const apart = one.ratio > 0 && rest.ratio > 0 ? Math.max(one.ratio / rest.ratio, rest.ratio / one.ratio) : 1;
    const effect = (1 - Math.exp(-Math.log(apart) / 0.4)) * Math.min(1, Math.abs(one.ratio - rest.ratio) / 0.005);
    const p = Number.isFinite(z) ? twoSidedNormalP(z) : 1;
    return { member: member.member, value: one.ratio, rest: rest.ratio, p, effect, rows: member.rows };
  }
  if (measure.aggregation === 'rate') {
    const k2 = others.reduce((s, o) => s + o.k, 0);
    const n2 = others.reduce((s, o) => s + o.trials, 0);
    if (stats.trials < 5 || n2 < 5) return null;
    const test = twoProportionTest(stats.k, stats.trials, k2, n2);
    const value = stats.k / stats.trials;
    const rest = k2 / n2;
    const apart = (a: number, b: number) => (a > 0 && b > 0 ? Math.max(a / b, b / a) : 1);
    // A share of yes answers is as far apart as its no answers are: completion of 69% against 93% is a
    // dropout of 31% against 7%, four times as many (the ratio of the rarer side). Not a ratio of two sums:
    // what cost leaves of revenue is a margin, a story of its own.
    const yesNo = !measure.ratio && value <= 1 && rest <= 1;
    const ratio = Math.max(apart(value, rest), yesNo ? apart(1 - value, 1 - rest) : 1);
    // Rate gaps read in ratios (4% vs 2% is "twice"): a log-ratio effect, damped when the absolute gap is
    // tiny (under half a point: 0.2% against 0.1% of sessions). A defect rate of 3.2% against 2.0% is not.
    const effect = (1 - Math.exp(-Math.log(ratio) / 0.4)) * Math.min(1, Math.abs(value - rest) / 0.005);
    return { member: member.member, value, rest, p: test.p, effect, rows: member.rows };
  }
  // All other members as one sample: pooled mean, within- plus between-group variance.
  const rest = combineSummaries(others);
  if (stats.n < 3 || rest.n < 3 || stats.mean === null) return null;
  const test = welchTTest({ n: stats.n, mean: stats.mean, variance: stats.variance ?? 0 }, rest);
  // Tested on rows, told as the measure is: a weighted average (spend per conversion, bounce rate by
  // sessions) is the ratio of its two sums, for the member and for the rest.
  const told = measure.weightedBy ? weightedValues(stats, others) : { value: stats.mean, rest: rest.mean };
  if (!told) return null;
  const relative = told.rest === 0 ? 0 : (told.value - told.rest) / Math.abs(told.rest);
  const all = combineSummaries(groups.map((g) => g.measures[index]!));
  const farFromZero = !measure.weightedBy && isFarFromZero(all.mean, Math.sqrt(all.variance));
  const effect = gapEffect(relative, test.cohensD, farFromZero);
  return { member: member.member, value: told.value, rest: told.rest, p: test.p, effect, rows: member.rows };
}

/**
 * A ratio of two sums (claims paid over premium) over some groups' rows, with its variance by linearisation:
 * Σ(x − R·y)² ÷ (Σy)², from the rows' moments — each policy's claims weigh as much as its premium says.
 */
function ratioEstimate(parts: GroupStats['measures'][number][]): { ratio: number; variance: number } | null {
  let [x, y, xx, yy, xy, n] = [0, 0, 0, 0, 0, 0];
  for (const part of parts) {
    if (!part.moments) return null;
    x += part.k;
    y += part.trials;
    xx += part.moments.xx;
    yy += part.moments.yy;
    xy += part.moments.xy;
    n += part.n;
  }
  if (!(y > 0) || n < 2) return null;
  const ratio = x / y;
  const residual = Math.max(0, xx - 2 * ratio * xy + ratio * ratio * yy);
  return { ratio, variance: ((residual / (y * y)) * n) / (n - 1) };
}

/** A weighted average's value for a member and for the others together: Σ(x·w) / Σw each. */
function weightedValues(
  stats: GroupStats['measures'][number],
  others: GroupStats['measures'][number][],
): { value: number; rest: number } | null {
  const k = others.reduce((s, o) => s + o.k, 0);
  const w = others.reduce((s, o) => s + o.trials, 0);
  return stats.trials > 0 && w > 0 ? { value: stats.k / stats.trials, rest: k / w } : null;
}

/** Row values on a log scale, per member: count, mean and variance of ln(value). */
interface LogSummary {
  n: number;
  mean: number;
  variance: number;
}

/**
 * One member against the others on a measure spanning orders of magnitude (a drug's MIC from 0.001 to
 * 870): Welch's t and Cohen's d on ln(value), the size as the ratio of geometric means. The values told
 * stay the plain averages.
 */
function logContrast(
  measure: Measure,
  member: GroupStats,
  index: number,
  groups: GroupStats[],
  logs: Map<string, LogSummary>,
): Contrast | null {
  const stats = member.measures[index]!;
  const own = logs.get(member.member);
  const others = groups.filter((g) => g !== member);
  if (!own || own.n < 3 || stats.mean === null) return null;
  const rest = combineSummaries(others.map((g) => logs.get(g.member)!));
  if (rest.n < 3) return null;
  const test = welchTTest(own, rest);
  const ratio = Math.exp(Math.abs(own.mean - rest.mean));
  const effect = Math.min(relativeEffect(ratio - 1), 1 - Math.exp(-Math.abs(test.cohensD)));
  const told = measure.weightedBy
    ? weightedValues(
        stats,
        others.map((g) => g.measures[index]!),
      )
    : { value: stats.mean, rest: combineSummaries(others.map((g) => g.measures[index]!)).mean };
  if (!told) return null;
  return { member: member.member, value: told.value, rest: told.rest, p: test.p, effect, rows: member.rows };
}

/** Averaged measures above zero whose values span more than two orders of magnitude. */
function wideRangeMeasures(ctx: DetectorContext): Set<string> {
  return new Set(
    ctx.profile.measures
      .filter(
        (m) =>
          m.aggregation === 'mean' &&
          !m.interval &&
          !m.scale &&
          m.range &&
          m.range.min > 0 &&
          m.range.max / m.range.min > 100,
      )
      .map((m) => m.id),
  );
}

/**
 * A measure spanning more than two orders of magnitude, all above zero: its members are compared on
 * ln(value) (per-member summaries), else null. Members beyond the breakdown's top list have no summary.
 */
async function logSummaries(
  ctx: DetectorContext,
  dimension: Dimension,
  measure: Measure,
  groups: GroupStats[],
): Promise<Map<string, LogSummary> | undefined> {
  if (measure.aggregation !== 'mean' || !measure.nonNegative || measure.interval || measure.scale) return undefined;
  const x = measure.rowSql;
  // DuckDB refuses ln(0), even in a filtered aggregate: zeros (which rule the log scale out) give NULL.
  const logOf = `ln(CASE WHEN ${x} > 0 THEN ${x} END)`;
  const rows = await queryRows(
    ctx.q.connection,
    `SELECT CAST(${dimension.sql} AS VARCHAR) AS member, count(${x}) AS n, avg(${logOf}) AS mean,
            var_samp(${logOf}) AS variance, min(${x}) AS lo, max(${x}) AS hi
     FROM ${ctx.profile.table} WHERE ${x} IS NOT NULL AND ${dimension.sql} IS NOT NULL GROUP BY 1`,
  );
  const lo = Math.min(...rows.map((row) => Number(row.lo)));
  const hi = Math.max(...rows.map((row) => Number(row.hi)));
  if (!(lo > 0) || hi / lo <= 100) return undefined;
  const summaries = new Map(
    rows.map((row) => [
      String(row.member),
      { n: Number(row.n), mean: Number(row.mean), variance: Number(row.variance ?? 0) },
    ]),
  );
  return groups.every((g) => summaries.has(g.member)) ? summaries : undefined;
}

/**
 * A measure that barely varies inside each member (a product's list price) is a property of the member,
 * not a finding about it: between-member variance explains more than 98% of the total.
 */
function attributeOfMember(groups: GroupStats[], index: number): boolean {
  return shareBetween(groups, index) > 0.98;
}

/** How much of a measure's spread lies between the members rather than within them (η²). */
function shareBetween(groups: GroupStats[], index: number): number {
  const stats = groups.map((g) => g.measures[index]!);
  const n = stats.reduce((s, g) => s + g.n, 0);
  if (n < 3) return 0;
  const grand = stats.reduce((s, g) => s + (g.mean ?? 0) * g.n, 0) / n;
  const between = stats.reduce((s, g) => s + g.n * ((g.mean ?? 0) - grand) ** 2, 0);
  const within = stats.reduce((s, g) => s + (g.variance ?? 0) * Math.max(0, g.n - 1), 0);
  return between + within > 0 ? between / (between + within) : 0;
}

/** The member whose average (or rate) differs most from the rest, with a test across all members. */
function segmentFact(
  ctx: DetectorContext,
  dimension: Dimension,
  measure: Measure,
  index: number,
  groups: GroupStats[],
  /** Per-member summaries of ln(value), for a measure spanning orders of magnitude. */
  logs?: Map<string, LogSummary>,
  /** Every member with a value, however few its rows: they join "the rest" and the ranking. */
  everyGroup: GroupStats[] = groups,
): Fact | null {
  // (A ratio of amounts counts its rows: £3 of premium is no sample.)
  const trialsOf = (g: GroupStats) =>
    measure.aggregation === 'rate' && !measure.ratio?.amounts ? g.measures[index]!.trials : g.measures[index]!.n;
  const usable = groups.filter((g) => trialsOf(g) >= 3);
  if (usable.length < 2) return null;
  // Members with a value or two (Africa's two countries in 2023) are too few to test, yet belong to "the
  // rest" and to the ranking: a list from highest to lowest never drops one.
  const present = everyGroup.filter((g) => trialsOf(g) >= 1);
  // Omnibus test first: do the members differ at all? (A ratio of amounts: its members against the rest,
  // the smallest p times how many were tried.)
  const amounts = measure.ratio?.amounts && usable.every((g) => g.measures[index]!.moments);
  const omnibus = amounts
    ? Math.min(1, usable.length * Math.min(1, ...usable.map((g) => contrast(measure, index, usable, g)?.p ?? 1)))
    : measure.aggregation === 'rate'
      ? chiSquareIndependence(
          usable.map((g) => [g.measures[index]!.k, g.measures[index]!.trials - g.measures[index]!.k]),
        ).p
      : oneWayAnova(
          usable.map((g) =>
            logs
              ? logs.get(g.member)!
              : {
                  n: g.measures[index]!.n,
                  mean: g.measures[index]!.mean ?? 0,
                  variance: g.measures[index]!.variance ?? 0,
                },
          ),
        ).p;
  ctx.tested(omnibus);
  // A yes/no that is always (or never) so on one side of another yes/no is implied by it: every session that
  // ordered clicked checkout, so "checkout clicks are 100% where an order was placed" is the funnel's order.
  if (
    dimension.binary &&
    measure.aggregation === 'rate' &&
    !measure.ratio &&
    usable.some((g) => {
      const { k, trials } = g.measures[index]!;
      return trials >= 30 && (k === 0 || k === trials);
    })
  )
    return null;
  // A list price is the member's attribute, not a finding; a ratio we derived (spend per conversion,
  // actual against budget) is a result, however steady within each member.
  if (measure.aggregation === 'mean' && !measure.overSpan && attributeOfMember(usable, index)) return null;
  // An experiment of three arms or more is read arm by arm against its control, never against the other
  // arms pooled: a discount's 10.8% of orders is news against control's 7.1%, not against 7.7% for "the rest".
  const experiment = isExperimentArm(dimension);
  const controlName = experiment && usable.length >= 3 ? controlOf(usable.map((g) => g.member)) : null;
  const control = usable.find((g) => g.member === controlName) ?? null;
  const candidates = (control ? usable.filter((g) => g !== control) : usable.length === 2 ? usable.slice(0, 1) : usable)
    .map((g) => contrast(measure, index, control ? [control, g] : logs ? usable : present, g, logs))
    .filter((c): c is Contrast => c !== null)
    .map((c) => ({
      ...c,
      p: Math.min(1, c.p * (control ? usable.length - 1 : usable.length === 2 ? 1 : usable.length)),
    }))
    .sort((a, b) => b.effect - a.effect || a.p - b.p || (a.member < b.member ? -1 : 1));
  let best = candidates[0];
  if (!best) return null;
  // Lead with the member on top when it stands out nearly as much: "Basic churns most" reads better than "Enterprise churns least".
  // Not for a cost per result, where the cheapest is the news.
  const byValue = [...candidates].sort((a, b) => b.value - a.value);
  const highest = byValue.filter((c) => c.value > c.rest)[0];
  const cost = measure.perUnit !== undefined && isCostName(measure.perUnit.money);
  // A member stands out only when it is clear of its nearest neighbour: a pump's RUNNING, WARN and ALARM all
  // draw about 58 A, and "RUNNING stands out" only because FAULT's zeros pull "the rest" down — FAULT is the news.
  const spread = (byValue[0]?.value ?? 0) - (byValue.at(-1)?.value ?? 0);
  // (A member in the middle stands out from nothing: Filling's 8.1 days sit among Crown's 8.3 and Root
  // canal's 7.7, the treatments all booked sooner than check-ups.)
  const clear = (c: Contrast) => {
    const i = byValue.indexOf(c);
    if (i > 0 && i < byValue.length - 1 && byValue.length >= 3) return false;
    const neighbour = i === 0 ? byValue[1] : i === byValue.length - 1 ? byValue.at(-2) : undefined;
    return !neighbour || Math.abs(c.value - neighbour.value) >= 0.1 * spread;
  };
  if (
    highest &&
    highest !== best &&
    highest.effect >= 0.8 * best.effect &&
    highest.p <= 0.05 &&
    !cost &&
    clear(highest)
  )
    best = highest;
  if (!clear(best) && !control) {
    const otherEnd = [byValue[0]!, byValue.at(-1)!].find((c) => c !== best && clear(c) && c.p <= 0.05);
    if (otherEnd) best = otherEnd;
  }
  ctx.tested(best.p);
  // With two members, tell it from the side that is higher; in an experiment, from the arm that is not
  // the control ("bp change is 7.57 lower for Drug A than for Placebo").
  const pair = usable.length === 2 ? usable.find((g) => g.member !== best!.member)! : null;
  const oneControl = experiment && pair !== null && isControlMember(best.member) !== isControlMember(pair.member);
  if (pair && (oneControl ? isControlMember(best.member) : best.value < best.rest)) {
    best = { ...best, member: pair.member, value: best.rest, rest: best.value, rows: pair.rows };
  }
  // An experiment's arms: the lift itself is the effect, however small the rates, on the scale tests are
  // read on (a 10% lift is large: 0.63; 2% is the least worth telling: 0.18).
  const lift = best.rest !== 0 && !measure.interval ? best.value / best.rest - 1 : 0;
  const ordered = experiment ? null : orderedGradient(ctx, dimension, measure, index, usable, omnibus);
  const effect = experiment
    ? Math.max(best.effect, 1 - Math.exp(-Math.abs(lift) / 0.1))
    : Math.max(best.effect, ordered?.effect ?? 0);
  if (omnibus > 0.05 || (best.p > 0.05 && !ordered) || effect < 0.15) return null;
  const id = `segment:${slug(measure.id)}:${slug(dimension.name)}`;
  const claims = new ClaimSet(id);
  claims.member('member', best.member);
  if (control) claims.member('control', control.member);
  const role = 'average' as const;
  claims.measure('memberValue', best.value, measure, role);
  claims.measure('restValue', best.rest, measure, role);
  // On an interval scale (°C) only the difference means something, never a percentage or a ratio; nor is a
  // change in kWh of -2.6% against -0.57% "366% lower": below zero, the gap is told in points.
  const signed = !measure.nonNegative && (best.value <= 0 || best.rest <= 0);
  if (best.rest !== 0 && !measure.interval && !signed) claims.percent('diffPct', percentChange(best.value, best.rest));
  if (best.rest > 0 && best.value > 0 && !measure.interval)
    claims.ratio('ratio', best.value >= best.rest ? best.value / best.rest : best.rest / best.value);
  if (measure.aggregation === 'mean') claims.measure('diffAbs', Math.abs(best.value - best.rest), measure, role);
  const ranked = present
    .map((g) => ({ member: g.member, value: memberLevel(measure, index, g), rows: g.rows }))
    .sort((a, b) => b.value - a.value || (a.member < b.member ? -1 : 1));
  ranked.slice(0, 6).forEach((entry, i) => {
    claims.member(`rank${i + 1}`, entry.member);
    claims.measure(`rank${i + 1}Value`, entry.value, measure, role);
  });
  // Beyond six, the list ends on the lowest member, so the ranking never stops short of the bottom.
  const lowest = ranked[ranked.length - 1]!;
  if (ranked.length > 6) {
    claims.member('rankLast', lowest.member);
    claims.measure('rankLastValue', lowest.value, measure, role);
  }
  claims.count('members', present.length);
  const totalRows = groups.reduce((s, g) => s + g.rows, 0);
  claims.percent('memberRowShare', (best.rows / Math.max(1, totalRows)) * 100);
  // An average per row of money (MRR per account): the member's share of the money itself, when it is far
  // above its share of the rows ("7.2% of the accounts bring 43.9% of MRR").
  if (measure.perRowOf && best.value > best.rest) {
    const sumOf = (g: GroupStats) => (g.measures[index]!.mean ?? 0) * g.measures[index]!.n;
    const whole = usable.reduce((total, g) => total + sumOf(g), 0);
    const own = usable.find((g) => g.member === best!.member);
    const sumShare = own && whole > 0 ? sumOf(own) / whole : 0;
    if (sumShare >= 2 * (best.rows / Math.max(1, totalRows))) claims.percent('memberSumShare', sumShare * 100);
  }
  if (ordered) {
    const first = ordered.members[0]!;
    const last = ordered.members.at(-1)!;
    claims.member('firstStep', first.member);
    claims.measure('firstStepValue', first.value, measure, role);
    claims.member('lastStep', last.member);
    claims.measure('lastStepValue', last.value, measure, role);
    if (first.value > 0 && last.value > 0 && !measure.interval)
      claims.ratio('stepsRatio', Math.max(first.value / last.value, last.value / first.value));
    claims.count('stepsWith', ordered.stepsWith);
    claims.count('steps', ordered.members.length - 1);
    ordered.members.slice(0, 8).forEach((entry, i) => {
      claims.member(`step${i + 1}`, entry.member);
      claims.measure(`step${i + 1}Value`, entry.value, measure, role);
    });
  }
  return makeFact({
    id,
    type: 'segment_difference',
    measureId: measure.id,
    dimension: dimension.name,
    subspace: { dimension: dimension.name, member: best.member },
    columns: [...measure.columns, dimension.name],
    p: ordered ? Math.min(best.p, ordered.p) : best.p,
    effect,
    // The comparison spans every member; a standout that is a sliver of the rows matters less. A gradient
    // across ordered members (default rate from grade A to G) is about all of them.
    impact: ordered ? 1 : Math.min(1, 0.5 + best.rows / Math.max(1, totalRows)),
    // Which of a panel's entities runs highest on average over the years is a standing property of them,
    // like its leader (a ratio of their sums, cost per conversion by campaign, is what they are compared on).
    // So is a setting each of several kinds mostly fixes (a cheese's ripening days, a recipe with a little
    // noise): the breakdown explains nearly all of it. (A yes/no trait that does, smoking and charges, is news.)
    // A measure an arm's outcome gates (days to open, filled in only for those who opened) is read among
    // the converted: the outcome's own rate is the test's result, this its detail.
    ...(experiment
      ? { surprise: gatedByOutcome(ctx, measure) ? 1 : 1.3 }
      : // (How often something befalls each entity, a machine's fault rate, is no standing size: news.)
        (ctx.profile.entity === dimension.name && !measure.ratio && !measure.overSpan && !isYesNoRateId(measure.id)) ||
          (measure.aggregation === 'mean' &&
            !measure.overSpan &&
            !dimension.binary &&
            usable.length >= 3 &&
            shareBetween(usable, index) > 0.8)
        ? { surprise: 0.6 }
        : {}),
    claims: claims.claims,
    data: {
      members: ranked.slice(0, 25),
      member: best.member,
      direction: best.value >= best.rest ? 'higher' : 'lower',
      rest: best.rest,
      ...(experiment ? { experiment: true, computedWith: computedWith(ctx, measure) } : {}),
      ...(control ? { versus: control.member } : {}),
      ...(dimension.condition ? { condition: true } : {}),
      ...(ordered ? { ordered: { members: ordered.members, rising: ordered.rising } } : {}),
      // The other clear standouts, each against the rest: a mix can turn round one of them and not the
      // member told (online courses rated lower overall yet higher in every faculty, hybrid ones highest).
      ...(experiment || usable.length < 3
        ? {}
        : {
            alternatives: candidates
              .filter((c) => c.member !== best!.member && c.p <= 0.05 && c.effect >= 0.15)
              .slice(0, 2)
              .map((c) => ({ member: c.member, value: c.value, rest: c.rest, effect: c.effect })),
          }),
    },
  });
}

/** A column filled in only where a yes/no outcome of the rows is yes (days to open, where an account opened). */
const gatedByOutcome = (ctx: DetectorContext, measure: Measure) =>
  ctx.profile.notApplicable.some(
    (n) =>
      measure.columns.includes(n.column) &&
      ctx.profile.measures.some((m) => m.aggregation === 'rate' && m.columns.length === 1 && m.columns[0] === n.by),
  );

/** A member's rate (its successes over its trials, or a weighted mean) or its mean. */
const memberLevel = (measure: Measure, index: number, group: GroupStats) =>
  measure.aggregation === 'rate' || measure.weightedBy
    ? group.measures[index]!.k / Math.max(1e-300, group.measures[index]!.trials)
    : (group.measures[index]!.mean ?? 0);

/**
 * A measure that climbs or falls step by step across members with a natural order (grades A–G, triage
 * levels 1–5, age bands): every step the same way with the members different at 1%, or from five steps
 * on a Kendall τ of 0.7 or more at 5%. Its effect is the gap between the two ends.
 */
function orderedGradient(
  ctx: DetectorContext,
  dimension: Dimension,
  measure: Measure,
  index: number,
  usable: GroupStats[],
  omnibus: number,
): {
  members: { member: string; value: number }[];
  rising: boolean;
  stepsWith: number;
  p: number;
  effect: number;
} | null {
  if (dimension.condition || isIdentifierName(dimension.name) || usable.length < 3) return null;
  const order = ordinalOrder(usable.map((g) => g.member));
  if (!order) return null;
  const members = order.map((member) => ({
    member,
    value: memberLevel(measure, index, usable.find((g) => g.member === member)!),
  }));
  const values = members.map((m) => m.value);
  const trend = mannKendall(values);
  ctx.tested(trend.p);
  const rising = trend.tau > 0;
  const stepsWith = values.slice(1).filter((v, i) => (rising ? v > values[i]! : v < values[i]!)).length;
  const monotone = stepsWith === values.length - 1;
  const clear =
    (monotone && omnibus <= 0.01) ||
    (values.length >= 5 && Math.abs(trend.tau) >= 0.7 && trend.p <= 0.05 && omnibus <= 0.05);
  if (!clear) return null;
  const [low, high] = rising ? [values[0]!, values.at(-1)!] : [values.at(-1)!, values[0]!];
  const effect = measure.interval || low <= 0 ? 0 : relativeEffect(high / low - 1);
  return { members, rising, stepsWith, p: monotone ? omnibus : Math.max(omnibus, trend.p), effect };
}

/**
 * Whether every entity of a panel has the measure in (nearly) the same number of periods. Averages over the span are
 * only comparable then: a share listed from 2004 averaged against others listed from 2000 mixes years.
 * Counted on the members' series the temporal detectors fetch anyway (cached), at the analysis granularity.
 */
async function coverSameSpan(ctx: DetectorContext, dimension: Dimension, measure: Measure): Promise<boolean> {
  const granularity = ctx.granularity;
  const index = ctx.profile.measures.indexOf(measure);
  if (!granularity || index < 0) return true;
  const spans = new Map<string, [string, string]>();
  for (const row of await ctx.q.memberSeries(dimension, granularity)) {
    if (row.values[index] === null) continue;
    const [first, last] = spans.get(row.member) ?? [row.t, row.t];
    spans.set(row.member, [row.t < first ? row.t : first, row.t > last ? row.t : last]);
  }
  if (spans.size === 0) return true;
  // A store closed for three months of twenty-four still covers the span, and so does a segment mailed in
  // one campaign of eight across both years; a share listed four years late does not.
  const time = (iso: string) => Date.parse(`${iso.slice(0, 19)}Z`);
  const ends = [...spans.values()];
  const [start, end] = [Math.min(...ends.map(([a]) => time(a))), Math.max(...ends.map(([, b]) => time(b)))];
  return ends.every(([a, b]) => end === start || time(b) - time(a) >= 0.85 * (end - start));
}

/**
 * Each kind's entities as the sample (motorway stations: six values, each a station's average a week): the
 * groups a segment test reads, with the rows of each kind kept for its share of them.
 */
async function entityGroups(
  ctx: DetectorContext,
  dimension: Dimension,
  measure: Measure,
  index: number,
): Promise<GroupStats[]> {
  const entity = ctx.profile.dimensions.find((d) => d.name === ctx.profile.entity)!;
  const rows = await queryRows(
    ctx.q.connection,
    `SELECT member, count(*) AS entities, sum(rows) AS rows, avg(v) AS mean, coalesce(var_samp(v), 0) AS variance
     FROM (SELECT CAST(${dimension.sql} AS VARCHAR) AS member, ${entity.sql} AS e, avg(${measure.rowSql}) AS v, count(*) AS rows
           FROM ${ctx.profile.table} WHERE ${measure.rowSql} IS NOT NULL AND ${dimension.sql} IS NOT NULL
           GROUP BY 1, 2)
     GROUP BY 1 ORDER BY 1`,
  );
  return rows.map((row) => {
    const stats = {
      value: Number(row.mean),
      n: Number(row.entities),
      mean: Number(row.mean),
      variance: Number(row.variance),
      k: 0,
      trials: 0,
    };
    const measures: GroupStats['measures'] = ctx.profile.measures.map(() => ({
      value: null,
      n: 0,
      mean: null,
      variance: null,
      k: 0,
      trials: 0,
    }));
    measures[index] = stats;
    return { member: String(row.member), rows: Number(row.rows), measures };
  });
}

/**
 * Leaders, concentration and segment differences for every (dimension, measure) pair. In a panel (one row
 * per entity and period), levels and averages are compared at the latest fully reported period: the
 * clusters' life expectancy in 2005, not averaged over fifty years of change.
 */
export async function breakdownFacts(ctx: DetectorContext): Promise<Fact[]> {
  const facts: Fact[] = [];
  const all = ctx.profile.measures;
  // A reporting period (a day or longer) that holds several entities; not the latest minute of a sensor log.
  const time = ctx.profile.time;
  const periodic =
    ctx.profile.entity !== null &&
    time !== null &&
    ['day', 'week', 'month', 'quarter', 'year'].includes(time.granularity) &&
    ctx.profile.eventsPerTime >= 3;
  const latest = periodic ? await ctx.q.latestFullMoment() : null;
  const wide = wideRangeMeasures(ctx);
  for (const dimension of ctx.profile.dimensions) {
    if (dimension.cardinality > 200) {
      // Hundreds of customers: no leader or gap to name, but how much the largest tenth holds.
      for (const measure of all) {
        ctx.checkAborted();
        const fact = await manyMemberConcentration(ctx, dimension, measure);
        if (fact) facts.push(fact);
      }
      continue;
    }
    ctx.checkAborted();
    const usable = await usableGroupsOf(ctx, dimension);
    const usableLatest = latest ? await usableGroupsOf(ctx, dimension, latest) : null;
    // Both checks of a yes/no column read the same ranges of each side.
    const sides = dimension.binary || dimension.condition ? await averagedRangesBySide(ctx, dimension, all) : null;
    const cuts = dimension.binary ? await measuresCutBy(ctx, dimension, sides) : new Set<string>();
    const constantOffCondition = dimension.condition ? measuresConstantOnOneSide(sides) : new Set<string>();
    for (const [index, measure] of all.entries()) {
      // A measure broken down by itself says nothing (churn rate by churned).
      if (definedByBreakdown(measure, dimension.name, ctx.profile.hierarchy)) continue;
      // A panel's amount per entity and period is compared across the kinds of entity only, each entity one
      // value: its rows are the same stations week after week, not independent draws.
      if (measure.perEntity) {
        const kinds = ctx.profile.hierarchy.some(
          ([child, parent]) => child === ctx.profile.entity && parent === dimension.name,
        );
        if (!kinds || dimension.cardinality > 50) continue;
        const entities = await entityGroups(ctx, dimension, measure, index);
        const fact = segmentFact(ctx, dimension, measure, index, entities);
        if (fact) facts.push(fact);
        continue;
      }
      // Levels and averages at the latest period; a ratio of counts (clicks per impression, spend per
      // conversion) over the whole span, where each member's counts add up (at one moment a member is a single row).
      // The panel's own entities are each one row at a moment, too few to test: their averages are compared
      // over the span, every period a value (construction's unemployment rate, month after month).
      // An experiment's arms are read over every send of the test, never at its last one.
      // (A yes/no outcome's rate, churn or late delivery, happens over the span: never read at one moment.)
      const averagedAtLatest =
        measure.aggregation !== 'sum' &&
        !(measure.aggregation === 'rate' && isYesNoRateId(measure.id)) &&
        !measure.ratio &&
        !measure.overSpan &&
        dimension.name !== ctx.profile.entity &&
        !isExperimentArm(dimension);
      const atLatest = usableLatest && (averagedAtLatest || measure.stockPer) ? latest : null;
      const groups = atLatest ? usableLatest! : usable;
      // Every member, however few its rows (cached: asked once per breakdown and moment).
      const everyGroup = () => ctx.q.groups(dimension, all, atLatest ?? undefined);
      const found: Fact[] = [];
      if (dimension.condition) {
        // With and without a promo: the average row, not each side's share of the total; in a panel of
        // stores, each store against its own other days.
        if (measure.id === ROWS_MEASURE_ID) continue;
        // A measure the condition defines (the discount is zero off promo) is its definition, not its effect.
        if (constantOffCondition.has(measure.id)) continue;
        // Without a panel's entity, the finest breakdown of things (a shop's 24 products, each sold in every
        // store and week) stands in: each product's promoted weeks against its own other weeks, since milk
        // outsells yogurt fivefold whatever the promotion does.
        const entity =
          ctx.profile.dimensions.find((d) => d.name === ctx.profile.entity && d !== dimension) ??
          (ctx.profile.entity === null && ctx.profile.time !== null
            ? ctx.profile.dimensions
                .filter(
                  (d) => d !== dimension && !d.binary && !d.condition && d.cardinality >= 8 && d.cardinality <= 500,
                )
                .sort((a, b) => b.cardinality - a.cardinality)[0]
            : undefined);
        // (A thing's own yes/no, irrigated or not, never changes within the thing: compared across things.)
        const fact =
          entity && !dimension.attribute && measure.aggregation !== 'rate' && measure.nonNegative
            ? await conditionWithinEntity(ctx, dimension, entity, measure, index, groups)
            : segmentFact(ctx, dimension, measure, index, groups);
        if (fact) found.push(fact);
      } else if (measure.aggregation === 'sum') {
        if (ctx.profile.entity === dimension.name && measure.id === ROWS_MEASURE_ID) continue;
        // "No discount code has the most orders" says only that codes are optional: no shares for them.
        if (dimension.emptyAs) continue;
        // Shares are of the whole total: the smallest members count in it (ten titles of 0.5% each are 5%).
        // An experiment's arms hold what they were given (a share of the traffic): which arm "leads" the
        // tips is the split and the effect at once, told by the arms' averages and rates instead.
        if (!isExperimentArm(dimension))
          found.push(...additiveFacts(ctx, dimension, measure, index, await everyGroup(), all));
      } else if (dimension.cardinality <= 50) {
        if (!atLatest && dimension.name === ctx.profile.entity && !(await coverSameSpan(ctx, dimension, measure)))
          continue;
        // A yes/no cut from the measure itself (would recommend = NPS ≥ 9) splits it without overlap: that is
        // its definition, not a gap.
        if (cuts.has(measure.id)) continue;
        // A state that leaves nothing to measure (a failed unlock rides no minutes) makes the gap by state its
        // definition: the rides that happened are longer than those that did not.
        if (isLifecycleName(dimension.name) && groups.some((g) => nothingMeasured(g.measures[index]))) continue;
        const logs = wide.has(measure.id) ? await logSummaries(ctx, dimension, measure, groups) : undefined;
        const fact = segmentFact(ctx, dimension, measure, index, groups, logs, await everyGroup());
        if (fact) found.push(fact);
      }
      if (atLatest) for (const fact of found) atMoment(fact, atLatest, ctx.profile.time!.granularity);
      for (const fact of found)
        if (fact.type === 'leader' && !fact.data.disproportion) await leadOverYears(ctx, dimension, measure, fact);
      await ctx.markMembersAbove(found);
      facts.push(...found);
    }
  }
  return echoesOfAssociated(ctx, acrossItems(ctx, facts));
}

/**
 * A gap by one banded breakdown that another, closely tied to it, shows more strongly in the same measure (scores
 * falling with age band, where age band mostly follows tenure band and scores fall harder with tenure): the
 * echo of the other, weighed 0.6. Tied: Cramér's V of the two breakdowns' rows of 0.3 or more (age and tenure bands: 0.36); nested
 * breakdowns (stores in regions) are the hierarchy's.
 */
async function echoesOfAssociated(ctx: DetectorContext, facts: Fact[]): Promise<Fact[]> {
  const gaps = facts.filter((f) => f.type === 'segment_difference' && f.dimension && !f.data.experiment);
  const tied = new Map<string, boolean>();
  const isTied = async (a: Dimension, b: Dimension) => {
    const key = [a.name, b.name].sort().join('\u0000');
    if (!tied.has(key)) {
      const rows = await queryRows(
        ctx.q.connection,
        `SELECT CAST(${a.sql} AS VARCHAR) AS a, CAST(${b.sql} AS VARCHAR) AS b, count(*) AS n FROM ${ctx.profile.sampleRelation}
         WHERE ${a.sql} IS NOT NULL AND ${b.sql} IS NOT NULL GROUP BY 1, 2`,
      );
      const as = [...new Set(rows.map((r) => String(r.a)))];
      const bs = [...new Set(rows.map((r) => String(r.b)))];
      const table = as.map((x) => bs.map((y) => Number(rows.find((r) => r.a === x && r.b === y)?.n ?? 0)));
      tied.set(key, chiSquareIndependence(table).cramersV >= 0.3);
    }
    return tied.get(key)!;
  };
  const echoes = new Set<Fact>();
  // Bands of an order (age, tenure, income): two of them are the usual tie in a table of people.
  const banded = (d: Dimension | undefined) =>
    d !== undefined && d.cardinality <= 12 && ordinalOrder(d.members) !== null;
  for (const fact of gaps) {
    const own = ctx.profile.dimensions.find((d) => d.name === fact.dimension);
    if (!own || !banded(own)) continue;
    for (const other of gaps) {
      if (other === fact || other.measureId !== fact.measureId || other.dimension === fact.dimension) continue;
      const theirs = ctx.profile.dimensions.find((d) => d.name === other.dimension);
      if (!theirs || !banded(theirs) || nestedBreakdowns(ctx.profile.hierarchy, own.name, theirs.name)) continue;
      if (other.effect > fact.effect && (await isTied(own, theirs))) echoes.add(fact);
    }
  }
  return facts.map((fact) =>
    echoes.has(fact) ? { ...fact, surprise: fact.surprise * 0.6, data: { ...fact.data, echoOf: true } } : fact,
  );
}

/**
 * A survey's index (the average of its items) whose low or high member is the same on two thirds of the items
 * or more (Ground Operations lowest on six of seven): the member's standing across the whole survey, news
 * beyond any one item. Claims `itemsAlike` of `items`, surprise 1.3.
 */
function acrossItems(ctx: DetectorContext, facts: Fact[]): Fact[] {
  const index = ctx.profile.measures.find((m) => m.id === SURVEY_INDEX_ID);
  if (!index) return facts;
  return facts.map((fact) => {
    if (fact.measureId !== index.id || fact.type !== 'segment_difference' || fact.data.member === undefined)
      return fact;
    const alike = index.columns.filter((item) =>
      facts.some(
        (f) =>
          f.type === 'segment_difference' &&
          f.measureId === item &&
          f.dimension === fact.dimension &&
          f.data.member === fact.data.member &&
          f.data.direction === fact.data.direction,
      ),
    ).length;
    if (alike < Math.ceil((2 / 3) * index.columns.length)) return fact;
    const claims = new ClaimSet(fact.id);
    claims.count('itemsAlike', alike);
    claims.count('items', index.columns.length);
    return { ...fact, surprise: fact.surprise * 1.3, claims: { ...fact.claims, ...claims.claims } };
  });
}

/**
 * A condition in a panel (holiday weeks of each store): every value divided by its own entity's mean, so
 * big and small stores compare alike, then Welch's t on those ratios with and without the condition. The
 * lift is the ratio of the two sides' mean ratios.
 */
async function conditionWithinEntity(
  ctx: DetectorContext,
  dimension: Dimension,
  entity: Dimension,
  measure: Measure,
  index: number,
  groups: GroupStats[],
): Promise<Fact | null> {
  const rows = await queryRows(
    ctx.q.connection,
    `WITH t AS (SELECT ${dimension.sql} AS member, ${measure.rowSql} / avg(${measure.rowSql}) OVER (PARTITION BY ${entity.sql}) AS x
                FROM ${ctx.profile.table} WHERE ${measure.rowSql} IS NOT NULL AND ${dimension.sql} IS NOT NULL AND ${entity.sql} IS NOT NULL)
     SELECT member, count(x) AS n, avg(x) AS mean, var_samp(x) AS variance FROM t WHERE isfinite(x) GROUP BY 1 ORDER BY 1`,
  );
  if (rows.length !== 2) return null;
  const [a, b] = rows.map((row) => ({
    member: String(row.member),
    n: Number(row.n),
    mean: Number(row.mean),
    variance: Number(row.variance ?? 0),
  })) as [Stats, Stats];
  if (a.n < 3 || b.n < 3 || !(a.mean > 0) || !(b.mean > 0)) return null;
  const test = welchTTest(a, b);
  const p = ctx.tested(test.p);
  const [high, low] = a.mean >= b.mean ? [a, b] : [b, a];
  const lift = high.mean / low.mean - 1;
  const effect = relativeEffect(lift);
  if (p > 0.05 || effect < 0.15) return null;
  // Told from the condition's side when it is the lower one: rain days have 41% fewer rides, not "other
  // days have 69% more".
  const [told, other] = isYesMember(low.member) && !isYesMember(high.member) ? [low, high] : [high, low];
  const raw = (member: string) => groups.find((g) => g.member === member)?.measures[index]?.mean ?? null;
  const [toldRaw, otherRaw] = [raw(told.member), raw(other.member)];
  if (toldRaw === null || otherRaw === null) return null;
  const id = `segment:${slug(measure.id)}:${slug(dimension.name)}`;
  const claims = new ClaimSet(id);
  claims.member('member', told.member);
  claims.percent('diffPct', (told.mean / other.mean - 1) * 100);
  claims.measure('memberValue', toldRaw, measure, 'average');
  claims.measure('restValue', otherRaw, measure, 'average');
  const totalRows = groups.reduce((sum, g) => sum + g.rows, 0);
  const toldRows = groups.find((g) => g.member === told.member)?.rows ?? 0;
  claims.percent('memberRowShare', (toldRows / Math.max(1, totalRows)) * 100);
  return makeFact({
    id,
    type: 'segment_difference',
    measureId: measure.id,
    dimension: dimension.name,
    subspace: { dimension: dimension.name, member: told.member },
    columns: [...measure.columns, dimension.name, entity.name],
    p: test.p,
    effect,
    impact: 1,
    claims: claims.claims,
    data: {
      members: [
        { member: told.member, value: toldRaw, rows: toldRows },
        { member: other.member, value: otherRaw, rows: totalRows - toldRows },
      ],
      member: told.member,
      direction: told === high ? 'higher' : 'lower',
      rest: otherRaw,
      condition: true,
      withinEntity: entity.name,
    },
  });
}

interface Stats {
  member: string;
  n: number;
  mean: number;
  variance: number;
}

/**
 * Units whose money the file also holds (stock units × unit cost = stock value): bolts and pumps add up in
 * euros, not in pieces, so which category holds the most pieces is the lesser ranking.
 */
const pricedInto = (ctx: DetectorContext, measure: Measure) =>
  ctx.profile.derived.some((d) => {
    if (d.from.length !== 2 || !d.from.includes(measure.id)) return false;
    const value = ctx.profile.measures.find((m) => m.id === d.column);
    const price = ctx.profile.measures.find((m) => m.id === d.from.find((id) => id !== measure.id));
    return value?.format.kind === 'currency' && price?.format.kind === 'currency' && price.aggregation === 'mean';
  });

/** A member whose every value of the measure is zero (five rows at least). */
const nothingMeasured = (stats: GroupStats['measures'][number] | undefined) =>
  stats !== undefined && stats.n >= 5 && stats.mean === 0 && (stats.variance ?? 0) === 0;

/**
 * Concentration across hundreds of members that each recur (customers of an order log): the share the
 * largest tenth holds, tested like `additiveFacts` — Σ(Sᵢ − S/k)² / (N/k · E[x²]) against χ²(k−1).
 */
async function manyMemberConcentration(
  ctx: DetectorContext,
  dimension: Dimension,
  measure: Measure,
): Promise<Fact | null> {
  // Beyond 20,000 members (visitors of a web log) the grouping costs a second on a million rows.
  // Money with a few refunds below zero still adds up per member: the members who got back more than they
  // paid stay out, and the refunds may not weigh more than a twentieth of what was paid.
  const refunds = !measure.nonNegative && measure.format.kind === 'currency' && !measure.ratio;
  if (measure.aggregation !== 'sum' || measure.stockPer || (!measure.nonNegative && !refunds)) return null;
  if (dimension.cardinality > 20_000) return null;
  // One grouped scan: every member's total, largest first (at most 20,000), and what the test needs.
  const query = async (relation: string) => {
    const x = measure.rowSql;
    const row = (
      await queryRows(
        ctx.q.connection,
        `WITH m AS (SELECT ${dimension.sql} AS member, sum(${x}) AS s, count(${x}) AS n, sum(${x} * ${x}) AS ss
                    FROM ${relation} WHERE ${dimension.sql} IS NOT NULL GROUP BY 1)
         SELECT sum(n) FILTER (WHERE s > 0) AS rows, sum(ss) FILTER (WHERE s > 0) / sum(n) FILTER (WHERE s > 0) AS meanSquare,
                list(s ORDER BY s DESC, member) FILTER (WHERE s > 0) AS sums,
                list(CAST(member AS VARCHAR) ORDER BY s DESC, member) FILTER (WHERE s > 0)[1:40] AS names,
                coalesce(sum(-s) FILTER (WHERE s < 0), 0) AS below
         FROM m`,
      )
    )[0];
    const sums = ((row?.sums as number[] | null) ?? []).map(Number);
    const positive = sums.reduce((a, b) => a + b, 0);
    const total = Number(row?.below ?? 0) > 0.05 * positive ? 0 : positive;
    const topK = Math.max(2, Math.ceil(sums.length * 0.1));
    const topShare = total > 0 ? sums.slice(0, topK).reduce((a, b) => a + b, 0) / total : 0;
    return {
      k: sums.length,
      rows: Number(row?.rows ?? 0),
      meanSquare: Number(row?.meanSquare ?? 0),
      sums,
      total,
      topK,
      topShare,
      names: ((row?.names as string[] | null) ?? []).map(String),
    };
  };
  // The largest tenth holds 15 points more than an even split would give it.
  const concentrated = (found: { k: number; total: number; topK: number; topShare: number }) =>
    found.k > 200 && found.total > 0 && found.topShare - found.topK / found.k >= 0.15;
  // A large file is screened on its sample first: most breakdowns are not concentrated, and the exact
  // shares are only worth a full scan when the sample says they are.
  if (ctx.profile.sampled && !concentrated(await query(ctx.profile.sampleRelation))) return null;
  const { k, rows, meanSquare, sums, total, topK, topShare, names } = await query(ctx.profile.table);
  // Members that each hold a row or two are things, not a population to be concentrated in — unless they
  // are people who come back (donors giving twice on average, customers ordering again): few of them
  // giving most of the money is the first thing a fundraiser asks.
  const people =
    /(^|[_\s-])(donor|customer|client|user|member|account|subscriber|buyer|patient|supporter|guest|player)s?([_\s-]|$)/i.test(
      dimension.name,
    );
  if (k <= 200 || rows < (people ? 1.5 : 3) * k || !(total > 0)) return null;
  // Σ(Sᵢ − S/k)² = ΣSᵢ² − S²/k
  const squares = sums.reduce((sum, value) => sum + value * value, 0);
  const chi2 = (squares - (total * total) / k) / ((rows / k) * Math.max(meanSquare, 1e-12));
  const p = ctx.tested(chiSquareSf(chi2, k - 1));
  const evenShare = topK / k;
  if (p > 0.05 || !concentrated({ k, total, topK, topShare })) return null;
  const values = sums.slice(0, names.length);
  // The running share held by the largest members, at every twentieth of them (a Lorenz curve, largest
  // first), rounded: a parallel sum of doubles differs in its last bits from run to run.
  const cumulative = [{ members: 0, share: 0 }];
  let running = 0;
  sums.forEach((value, i) => {
    running += value;
    const last = i + 1 === k || Math.ceil(((i + 2) * 20) / k) !== Math.ceil(((i + 1) * 20) / k);
    if (last) cumulative.push({ members: (i + 1) / k, share: Math.min(1, Number((running / total).toPrecision(12))) });
  });
  const id = `concentration:${slug(measure.id)}:${slug(dimension.name)}`;
  const claims = new ClaimSet(id);
  claims.count('topK', topK);
  claims.count('members', k);
  claims.percent('topShare', topShare * 100);
  claims.percent('topKPctOfMembers', evenShare * 100);
  claims.percent('topMemberShare', (values[0]! / total) * 100);
  claims.member('topMember', names[0]!);
  claims.measure('topMemberValue', values[0]!, measure, 'total');
  claims.measure('total', total, measure, 'total');
  return makeFact({
    id,
    type: 'concentration',
    measureId: measure.id,
    dimension: dimension.name,
    columns: [...measure.columns, dimension.name],
    p,
    effect: Math.min(1, (topShare - evenShare) / 0.5),
    impact: 1,
    surprise: entityPenalty(ctx, dimension),
    claims: claims.claims,
    data: {
      members: names.map((member, i) => ({ member, value: values[i]!, share: values[i]! / total })),
      topK,
      total,
      otherCount: k - names.length,
      many: true,
      memberCount: k,
      topShare,
      cumulative,
    },
  });
}

async function usableGroupsOf(ctx: DetectorContext, dimension: Dimension, at?: string): Promise<GroupStats[]> {
  const groups = await ctx.q.groups(dimension, ctx.profile.measures, at);
  return usableGroups(
    groups,
    groups.reduce((s, g) => s + g.rows, 0),
    at ? 3 : 5,
  );
}

/**
 * The averaged measures whose ranges the two sides of a yes/no column do not share (the column is a cut of
 * each: would recommend = NPS ≥ 9), read in one pass over the table.
 */
async function measuresCutBy(
  ctx: DetectorContext,
  dimension: Dimension,
  sides: SideRanges | null,
): Promise<Set<string>> {
  if (!sides) return new Set();
  const { averaged, rows } = sides;
  const cut = averaged.filter((_, i) => {
    if (rows.some((row) => row[`lo${i}`] === null)) return false;
    const [low, high] = [...rows].sort((a, b) => Number(a[`lo${i}`]) - Number(b[`lo${i}`]));
    return Number(low![`hi${i}`]) <= Number(high![`lo${i}`]) && Number(low![`lo${i}`]) < Number(high![`hi${i}`]);
  });
  // A verdict on the measure (late = minutes past each city's own promise) splits it all but cleanly: the
  // two sides' middle 90% do not overlap.
  if (isVerdictName(dimension.name)) {
    const spread = await queryRows(
      ctx.q.connection,
      `SELECT ${averaged.map((m, i) => `quantile_cont(${m.rowSql}, 0.05) AS p5_${i}, quantile_cont(${m.rowSql}, 0.95) AS p95_${i}`).join(', ')}
       FROM ${ctx.profile.sampleRelation} WHERE ${dimension.sql} IS NOT NULL GROUP BY ${dimension.sql}`,
    );
    for (const [i, m] of averaged.entries()) {
      if (spread.length !== 2 || spread.some((row) => row[`p5_${i}`] === null)) continue;
      const [low, high] = [...spread].sort((a, b) => Number(a[`p5_${i}`]) - Number(b[`p5_${i}`]));
      if (Number(low![`p95_${i}`]) <= Number(high![`p5_${i}`])) cut.push(m);
    }
  }
  return new Set(cut.map((m) => m.id));
}

type SideRanges = { averaged: Measure[]; rows: Record<string, unknown>[] };

/** Each averaged measure's lowest and highest value on each side of a yes/no split (null unless two sides). */
async function averagedRangesBySide(
  ctx: DetectorContext,
  dimension: Dimension,
  measures: Measure[],
): Promise<SideRanges | null> {
  const averaged = measures.filter((m) => m.aggregation === 'mean');
  if (averaged.length === 0) return null;
  const rows = await queryRows(
    ctx.q.connection,
    `SELECT ${averaged.map((m, i) => `min(${m.rowSql}) AS lo${i}, max(${m.rowSql}) AS hi${i}`).join(', ')}
     FROM ${ctx.profile.table} WHERE ${dimension.sql} IS NOT NULL GROUP BY ${dimension.sql}`,
  );
  return rows.length === 2 ? { averaged, rows } : null;
}

/** Averaged measures that hold one value on one side of a yes/no split (a discount of 0 off promo). */
function measuresConstantOnOneSide(sides: SideRanges | null): Set<string> {
  if (!sides) return new Set();
  const { averaged, rows } = sides;
  const constant = (row: Record<string, unknown>, i: number) =>
    row[`lo${i}`] !== null && row[`lo${i}`] === row[`hi${i}`];
  return new Set(
    averaged.filter((_, i) => constant(rows[0]!, i) !== constant(rows[1]!, i)).map((measure) => measure.id),
  );
}

/**
 * A total's leader over several years whose share moved (coal 69.8% of 2006–2023's generation, 79.3% in 2006
 * and 57.3% in 2023): the first and last whole years say so, and who led the last one if another member did.
 * Told where the share moved 10 points or the lead changed hands; a lead the last year no longer holds is
 * no headline.
 */
async function leadOverYears(ctx: DetectorContext, dimension: Dimension, measure: Measure, fact: Fact) {
  const time = ctx.profile.time;
  if (!time || measure.aggregation !== 'sum' || measure.stockPer || finer('year', time.granularity)) return;
  // A snapshot's hire or sign-up years are cohorts, not the years of a total (1995's three hires).
  if (time.entityStart) return;
  const index = ctx.profile.measures.indexOf(measure);
  const whole = toSeries(await ctx.q.series('year', ctx.profile.measures), index, 'year', time.granularity);
  if (whole.values.length < 3) return;
  const [first, last] = [0, whole.values.length - 1];
  const members = await memberSeries(ctx, dimension, measure, 'year');
  const valueAt = (series: Series | undefined, period: string) => series?.values[series.periods.indexOf(period)] ?? 0;
  const shareAt = (member: string, at: number) =>
    whole.values[at]! > 0 ? valueAt(members.get(member), whole.periods[at]!) / whole.values[at]! : null;
  const leader = String(fact.data.leader);
  const [from, to] = [shareAt(leader, first), shareAt(leader, last)];
  if (from === null || to === null) return;
  const lastLeader = [...members.keys()].reduce((best, member) =>
    (shareAt(member, last) ?? 0) > (shareAt(best, last) ?? 0) ? member : best,
  );
  const handedOver = lastLeader !== leader;
  if (Math.abs(to - from) < 0.1 && !handedOver) return;
  const claims = new ClaimSet(fact.id);
  claims.period('leadFirstPeriod', whole.periods[first]!, periodLabel(whole.periods[first]!, 'year'));
  claims.period('leadLastPeriod', whole.periods[last]!, periodLabel(whole.periods[last]!, 'year'));
  claims.percent('leaderFirstShare', from * 100);
  claims.percent('leaderLastShare', to * 100);
  if (handedOver) {
    claims.member('lastLeader', lastLeader);
    claims.percent('lastLeaderShare', (shareAt(lastLeader, last) ?? 0) * 100);
    fact.surprise *= 0.6;
  }
  Object.assign(fact.claims, claims.claims);
}

/** Marks a fact as measured at one moment: its text says when ("In 2005, …"). */
function atMoment(fact: Fact, at: string, granularity: Granularity): void {
  const label = periodLabel(at, granularity);
  fact.claims.moment = { value: at, text: label, kind: 'period', source: `${fact.id}#moment` };
  fact.data.moment = at;
}

/** The measures computed from, or into, this one (pain at week 12, baseline pain and their change). */
const computedWith = (ctx: DetectorContext, measure: Measure) =>
  ctx.profile.measures
    .filter((m) => m !== measure && computedTogether(ctx.profile.derived, measure, m))
    .map((m) => m.id);
