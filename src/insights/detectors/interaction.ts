import { queryRows } from '../../db/duckdb.ts';
import { chiSquareSf, median, twoSidedNormalP } from '../../stats/index.ts';
import { ClaimSet, valueRole } from '../narrative/format.ts';
import { controlOf, isExperimentArm } from '../semantics.ts';
import { type Dimension, type Fact, type Measure, nestedBreakdowns } from '../types.ts';
import { type DetectorContext, makeFact, slug } from './context.ts';

/** Breakdowns small enough for every pair of members to be a cell with rows of its own. */
const MAX_MEMBERS = 8;
/** Rows a cell needs before its average means something. */
const MIN_CELL_ROWS = 10;

interface Cell {
  a: string;
  b: string;
  n: number;
  mean: number;
  variance: number;
}

/**
 * A two-way exception: one cell of two breakdowns far from what its row and its column predict (one
 * school's maths 12 points below, where the same school reads and the other schools do maths as usual).
 * Tested one breakdown at a time, it only shows as a school a little behind. For an average over two
 * breakdowns of 3–8 members each whose every pair has 10 rows: the additive fit (median polish of the cell
 * means, on the log scale for amounts above zero: grand + row + column), the largest residual e against the pooled within-cell
 * standard deviation s, z = e / (s / √n), Bonferroni over the cells; it must be at least twice the next
 * residual (one cell, not a diffuse interaction) and half a standard deviation.
 */
export async function interactionFacts(ctx: DetectorContext): Promise<Fact[]> {
  const { profile } = ctx;
  const measures = profile.measures.filter(
    (m) => m.aggregation === 'mean' && !m.ratio && !m.weightedBy && !m.perUnit && !m.comparesThings && !m.perEntity,
  );
  const dimensions = profile.dimensions.filter(
    (d) => d.cardinality >= 3 && d.cardinality <= MAX_MEMBERS && d.name !== profile.entity,
  );
  const related = (x: Dimension, y: Dimension) => nestedBreakdowns(profile.hierarchy, x.name, y.name);
  const facts: Fact[] = [];
  if (measures.length === 0) return facts;
  for (const [i, first] of dimensions.entries()) {
    for (const second of dimensions.slice(i + 1)) {
      if (related(first, second)) continue;
      const rows = await queryRows(
        ctx.q.connection,
        `SELECT CAST(${first.sql} AS VARCHAR) AS a, CAST(${second.sql} AS VARCHAR) AS b,
                ${measures.map((m, k) => `count(${m.rowSql}) AS n${k}, avg(${m.rowSql}) AS m${k}, var_samp(${m.rowSql}) AS v${k}`).join(', ')}
         FROM ${profile.sampleRelation} WHERE ${first.sql} IS NOT NULL AND ${second.sql} IS NOT NULL
         GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      for (const [k, measure] of measures.entries()) {
        const cells = rows.map((row) => ({
          a: String(row.a),
          b: String(row.b),
          n: Number(row[`n${k}`] ?? 0),
          mean: Number(row[`m${k}`]),
          variance: Number(row[`v${k}`] ?? 0),
        }));
        const fact = exceptionalCell(ctx, measure, first, second, cells);
        if (fact) facts.push(fact);
      }
    }
  }
  return facts;
}

function exceptionalCell(
  ctx: DetectorContext,
  measure: Measure,
  first: Dimension,
  second: Dimension,
  cells: Cell[],
): Fact | null {
  const as = [...new Set(cells.map((c) => c.a))];
  const bs = [...new Set(cells.map((c) => c.b))];
  // Three members a side at least: with two, one odd cell and an opposite one are the same pattern.
  if (as.length < 3 || bs.length < 3 || cells.length !== as.length * bs.length) return null;
  if (cells.some((c) => c.n < MIN_CELL_ROWS || !Number.isFinite(c.mean))) return null;
  // Median polish of the cell means (Tukey): each row's and each column's median level taken out, ten
  // rounds. Medians leave a lone odd cell its whole deviation, where means would spread it over its row and
  // column (and its largest residual would never be twice the next).
  const at = (a: string, b: string) => cells.find((c) => c.a === a && c.b === b)!;
  const key = (a: string, b: string) => `${a}\u0000${b}`;
  // Amounts above zero combine by multiplying (a department's premium on every level's salary): fitted on
  // the log scale, where that is additive and leaves no odd cell; scores and levels on their own scale.
  const logScale = measure.nonNegative && !measure.interval && cells.every((c) => c.mean > 0);
  const scaled = (c: Cell) => (logScale ? Math.log(c.mean) : c.mean);
  // A cell's spread on the same scale: s / mean on the log scale (the delta method).
  const spread = (c: Cell) => (logScale ? Math.sqrt(c.variance) / c.mean : Math.sqrt(c.variance));
  const residual = new Map(cells.map((c) => [key(c.a, c.b), scaled(c)]));
  for (let round = 0; round < 10; round++) {
    for (const a of as) {
      const centre = median(bs.map((b) => residual.get(key(a, b))!)) ?? 0;
      for (const b of bs) residual.set(key(a, b), residual.get(key(a, b))! - centre);
    }
    for (const b of bs) {
      const centre = median(as.map((a) => residual.get(key(a, b))!)) ?? 0;
      for (const a of as) residual.set(key(a, b), residual.get(key(a, b))! - centre);
    }
  }
  const ranked = cells
    .map((c) => ({ cell: c, e: residual.get(key(c.a, c.b))! }))
    .sort((x, y) => Math.abs(y.e) - Math.abs(x.e) || (x.cell.a + x.cell.b < y.cell.a + y.cell.b ? -1 : 1));
  const [top, next] = [ranked[0]!, ranked[1]!];
  const dof = cells.reduce((s, c) => s + c.n - 1, 0);
  const sd = Math.sqrt(cells.reduce((s, c) => s + (c.n - 1) * spread(c) ** 2, 0) / Math.max(1, dof));
  if (!(sd > 0)) return null;
  const z = top.e / (sd / Math.sqrt(top.cell.n));
  const p = ctx.tested(Math.min(1, twoSidedNormalP(z) * cells.length));
  const d = Math.abs(top.e) / sd;
  if (p > 0.05 || Math.abs(top.e) < 2 * Math.abs(next.e) || d < 0.5) return null;
  const { a, b } = top.cell;
  // The same member elsewhere, and the same column elsewhere: both near their usual levels, the cell not.
  const average = (list: Cell[]) => {
    const n = list.reduce((s, c) => s + c.n, 0);
    return n > 0 ? list.reduce((s, c) => s + c.mean * c.n, 0) / n : 0;
  };
  const columnOthers = average(cells.filter((c) => c.b === b && c.a !== a));
  const rowOthers = average(cells.filter((c) => c.a === a && c.b !== b));
  const restOthers = average(cells.filter((c) => c.a !== a && c.b !== b));
  const id = `interaction:${slug(measure.id)}:${slug(first.name)}-${slug(a)}:${slug(second.name)}-${slug(b)}`;
  const claims = new ClaimSet(id);
  const role = valueRole(measure);
  claims.member('member', a);
  claims.member('within', b);
  claims.measure('value', at(a, b).mean, measure, role);
  claims.measure('columnOthers', columnOthers, measure, role);
  claims.measure('gapAbs', Math.abs(at(a, b).mean - columnOthers), measure, role);
  claims.measure('rowOthers', rowOthers, measure, role);
  claims.measure('restOthers', restOthers, measure, role);
  claims.count('cellRows', top.cell.n);
  const total = cells.reduce((s, c) => s + c.n, 0);
  return makeFact({
    id,
    type: 'interaction',
    measureId: measure.id,
    dimension: first.name,
    subspace: { dimension: first.name, member: a },
    columns: [first.name, second.name, ...measure.columns],
    p,
    effect: 1 - Math.exp(-d),
    impact: top.cell.n / total,
    // No one-breakdown test sees it: the school is merely a little behind on average.
    surprise: 1.2,
    claims: claims.claims,
    data: {
      direction: top.e > 0 ? 'higher' : 'lower',
      member: a,
      within: { dimension: second.name, member: b },
      cells: cells.map((c) => ({ a: c.a, b: c.b, value: c.mean })),
    },
  });
}

/** Users a cell of arm × segment needs before its rate is read. */
const MIN_LIFT_CELL = 100;

/**
 * An experiment's lift that lives in one segment only (a personalised push lifts orders by a third on iOS
 * and not at all on Android). For each arm against the control and each rate, per member of a breakdown of
 * 2–6 members that is not an outcome of the test: the difference d of the two rates and its standard error
 * s = √(p₁(1−p₁)/n₁ + p₀(1−p₀)/n₀); Cochran's Q = Σ (d − d̄)² / s² (d̄ the inverse-variance mean) on
 * members − 1 df, Bonferroni over the arms. Told when one member's lift is clear (z ≥ 3, 10% of the
 * control's rate at least) and another's is under a third of it, or goes the other way.
 */
export async function liftBySegmentFacts(ctx: DetectorContext): Promise<Fact[]> {
  const { profile } = ctx;
  const rates = profile.measures.filter((m) => m.aggregation === 'rate' && !m.ratio && !m.weightedBy);
  const outcomes = new Set(profile.measures.flatMap((m) => m.columns));
  // Who the users were (device, country) is known for every one of them; a plan chosen or a card clicked,
  // filled in for some only, happened after the arm was drawn and would split its outcome by itself.
  const filledIn = (d: Dimension) =>
    !d.emptyAs && (profile.fields.find((f) => f.name === d.name)?.missing ?? 0) <= 0.02 * profile.rowCount;
  const facts: Fact[] = [];
  for (const arms of profile.dimensions.filter(isExperimentArm)) {
    const named = controlOf(arms.members);
    // Two arms neither of which is named the control (a short and a long form): read from the one with the
    // lower rate overall, so the gap between them is the lift.
    if ((!named && arms.members.length !== 2) || rates.length === 0) continue;
    const segments = profile.dimensions.filter(
      (d) =>
        d !== arms &&
        d.cardinality >= 2 &&
        d.cardinality <= 6 &&
        d.members.length === d.cardinality &&
        d.name !== profile.entity &&
        !outcomes.has(d.name) &&
        !isExperimentArm(d) &&
        filledIn(d),
    );
    for (const segment of segments) {
      const rows = await queryRows(
        ctx.q.connection,
        `SELECT CAST(${arms.sql} AS VARCHAR) AS arm, CAST(${segment.sql} AS VARCHAR) AS member,
                ${rates.map((m, k) => `count(${m.rowSql}) AS n${k}, sum(${m.rowSql}) AS k${k}`).join(', ')}
         FROM ${profile.sampleRelation} WHERE ${arms.sql} IS NOT NULL AND ${segment.sql} IS NOT NULL
         GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      for (const [k, measure] of rates.entries()) {
        const cell = (arm: string, member: string) => {
          const row = rows.find((r) => r.arm === arm && r.member === member);
          return { n: Number(row?.[`n${k}`] ?? 0), k: Number(row?.[`k${k}`] ?? 0) };
        };
        const overall = (arm: string) => {
          const cells = segment.members.map((member) => cell(arm, member));
          const [k, n] = cells.reduce(([ks, ns], c) => [ks + c.k, ns + c.n], [0, 0]);
          return k / Math.max(1, n);
        };
        const [first, second] = arms.members as [string, string];
        const control = named ?? (overall(second) < overall(first) ? second : first);
        for (const arm of arms.members.filter((member) => member !== control)) {
          const fact = liftInOneSegment(ctx, measure, arms, segment, arm, control, cell, arms.members.length - 1);
          if (fact) facts.push(fact);
        }
      }
    }
  }
  return facts;
}

function liftInOneSegment(
  ctx: DetectorContext,
  measure: Measure,
  arms: Dimension,
  segment: Dimension,
  arm: string,
  control: string,
  cell: (arm: string, member: string) => { n: number; k: number },
  armCount: number,
): Fact | null {
  const lifts = segment.members.map((member) => {
    const [a, c] = [cell(arm, member), cell(control, member)];
    const [pa, pc] = [a.k / a.n, c.k / c.n];
    const se = Math.sqrt((pa * (1 - pa)) / a.n + (pc * (1 - pc)) / c.n);
    return { member, a, c, pa, pc, d: pa - pc, se };
  });
  if (lifts.some((l) => l.a.n < MIN_LIFT_CELL || l.c.n < MIN_LIFT_CELL || !(l.se > 0))) return null;
  const weights = lifts.map((l) => 1 / l.se ** 2);
  const pooled = lifts.reduce((sum, l, i) => sum + weights[i]! * l.d, 0) / weights.reduce((a, b) => a + b, 0);
  const q = lifts.reduce((sum, l, i) => sum + weights[i]! * (l.d - pooled) ** 2, 0);
  const p = ctx.tested(Math.min(1, chiSquareSf(q, lifts.length - 1) * armCount));
  if (p > 0.05) return null;
  // The member where the arm clearly works (or clearly hurts), and the one where it does least that way.
  const clear = lifts
    .filter((l) => Math.abs(l.d / l.se) >= 3 && l.pc > 0 && Math.abs(l.d / l.pc) >= 0.1)
    .sort((x, y) => Math.abs(y.d / y.se) - Math.abs(x.d / x.se) || (x.member < y.member ? -1 : 1))[0];
  if (!clear) return null;
  const sign = Math.sign(clear.d);
  const flat = lifts
    .filter((l) => l !== clear && sign * l.d < Math.abs(clear.d) / 3)
    .sort((x, y) => sign * x.d - sign * y.d || (x.member < y.member ? -1 : 1))[0];
  if (!flat) return null;
  // The arm clearly works the other way there (a report that halves renters' take-up): a reversal.
  const reverses = sign * flat.d < 0 && Math.abs(flat.d / flat.se) >= 2.5 && Math.abs(flat.d) >= Math.abs(clear.d) / 3;
  const id = `interaction:${slug(measure.id)}:${slug(arms.name)}-${slug(arm)}:${slug(segment.name)}-lift`;
  const claims = new ClaimSet(id);
  const role = valueRole(measure);
  claims.member('member', arm);
  claims.member('control', control);
  claims.member('within', clear.member);
  claims.measure('armValue', clear.pa, measure, role);
  claims.measure('controlValue', clear.pc, measure, role);
  claims.percent('liftPct', (100 * clear.d) / clear.pc);
  claims.member('flatWithin', flat.member);
  claims.measure('flatArmValue', flat.pa, measure, role);
  claims.measure('flatControlValue', flat.pc, measure, role);
  if (flat.pc > 0) claims.percent('flatLiftPct', (100 * flat.d) / flat.pc);
  const total = lifts.reduce((sum, l) => sum + l.a.n + l.c.n, 0);
  return makeFact({
    id,
    type: 'interaction',
    measureId: measure.id,
    dimension: arms.name,
    subspace: { dimension: arms.name, member: arm },
    columns: [arms.name, segment.name, ...measure.columns],
    p,
    // Worked in one member and not in the other: the gap between the two lifts, against the clear one.
    effect: Math.min(1, Math.abs(clear.d - flat.d) / Math.abs(clear.d)),
    impact: (clear.a.n + clear.c.n) / total,
    // Where a treatment works is the question an experiment's reader asks after "does it?": told with the
    // test's result, not ahead of it.
    surprise: reverses ? 1.2 : 1,
    claims: claims.claims,
    data: {
      lift: true,
      direction: clear.d > 0 ? 'higher' : 'lower',
      member: arm,
      control,
      within: { dimension: segment.name, member: clear.member },
      flat: flat.member,
      reverses,
      cells: lifts.flatMap((l) => [
        { a: arm, b: l.member, value: l.pa },
        { a: control, b: l.member, value: l.pc },
      ]),
    },
  });
}
