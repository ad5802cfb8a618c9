import { queryRows } from '../../db/duckdb.ts';
import { normalSf, robustDistance } from '../../stats/index.ts';
import { ClaimSet, valueRole } from '../narrative/format.ts';
import { isIdentifierName, isPerThingName } from '../semantics.ts';
import type { Fact, Measure } from '../types.ts';
import { type DetectorContext, makeFact, slug } from './context.ts';

/** How far out a thing must lie (robust z against the others), and how many things are needed to say so. */
const OUTLIER = { minZ: 5, minRows: 20, maxRows: 20_000, minGap: 0.3, shown: 12 } as const;

/**
 * One named thing far from all the others in a table of things (St Aldric's mortality ratio of 1.43 where
 * the median hospital's is 0.98; a city's 18 road deaths per 100,000 against 3.8): that row is the story,
 * which no breakdown finds, since each member is one row. Rates, ratios and averages only: a whole count
 * (beds, population) is the thing's size, and the largest is no news. The row is measured against the
 * median and 1.4826·MAD of the others (leaving it out, so it cannot mask itself), normal tail, Bonferroni
 * over the rows; it must stand alone (the next one at most halfway out) and at least 30% from the median.
 */
export async function outlierRowFacts(ctx: DetectorContext): Promise<Fact[]> {
  const profile = ctx.profile;
  if (profile.time || profile.entity || profile.cube) return [];
  if (profile.rowCount < OUTLIER.minRows || profile.rowCount > OUTLIER.maxRows) return [];
  const ids = profile.fields.filter((f) => f.role === 'identifier' && f.distinct >= 0.98 * profile.rowCount);
  // A name reads better than a code: hospital_name over hospital_code, city over city_id.
  const id = ids.find((f) => /name|title/i.test(f.name)) ?? ids.find((f) => !isIdentifierName(f.name)) ?? ids[0];
  if (!id) return [];
  const measures = profile.measures.filter(
    (m) =>
      m.aggregation === 'mean' &&
      m.columns.length === 1 &&
      m.rowSql &&
      !m.perRowOf &&
      !m.scale &&
      !profile.derived.some((d) => d.column === m.id),
  );
  if (measures.length === 0) return [];
  const rows = await queryRows(
    ctx.q.connection,
    `SELECT CAST(${id.sql} AS VARCHAR) AS name, ${measures.map((m, i) => `${m.rowSql} AS v${i}`).join(', ')}
     FROM ${profile.table} WHERE ${id.sql} IS NOT NULL`,
  );
  const facts: Fact[] = [];
  for (const [i, measure] of measures.entries()) {
    // (A blank cell is no value: Number(null) would read it as 0, a low "outlier" of its own.)
    const things = rows
      .filter((row) => row[`v${i}`] !== null && row[`v${i}`] !== undefined)
      .map((row) => ({ name: String(row.name), value: Number(row[`v${i}`]) }))
      .filter((t) => Number.isFinite(t.value))
      .sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : 1));
    // (Whole numbers are a count, the thing's size, unless the name says per head: debt of €1,054 per capita.)
    const whole = things.every((t) => Number.isInteger(t.value)) && !isPerThingName(measure.columns[0]!);
    if (things.length < OUTLIER.minRows || whole) continue;
    const fact = outlierOf(ctx, measure, id.name, things);
    if (fact) facts.push(fact);
  }
  return facts;
}

function outlierOf(
  ctx: DetectorContext,
  measure: Measure,
  idName: string,
  things: { name: string; value: number }[],
): Fact | null {
  const n = things.length;
  // The end farther out, against the others' median and spread.
  const ends = [
    { at: 0, next: 1, high: true },
    { at: n - 1, next: n - 2, high: false },
  ].map((end) => {
    const others = things.filter((_, j) => j !== end.at).map((t) => t.value);
    const { center: typical, z } = robustDistance(things[end.at]!.value, others);
    return { ...end, typical, z: Math.abs(z) };
  });
  const end = ends[0]!.z >= ends[1]!.z ? ends[0]! : ends[1]!;
  const thing = things[end.at]!;
  const next = things[end.next]!;
  const p = ctx.tested(Math.min(1, n * normalSf(end.z)));
  const distance = Math.abs(thing.value - end.typical);
  // Alone out there: the next one no more than halfway, and far enough from the median to matter.
  const alone = Math.abs(next.value - end.typical) <= 0.5 * distance;
  const gap = end.typical !== 0 ? distance / Math.abs(end.typical) : 0;
  if (end.z < OUTLIER.minZ || p > 0.001 || !alone || (!measure.interval && gap < OUTLIER.minGap)) return null;
  const id = `outlier:${slug(measure.id)}:${slug(thing.name)}`;
  const claims = new ClaimSet(id);
  const role = valueRole(measure);
  claims.member('member', thing.name);
  claims.measure('memberValue', thing.value, measure, role);
  claims.measure('median', end.typical, measure, role);
  if (measure.interval) claims.measure('fromMedian', distance, measure, role);
  else claims.percent('fromMedianPct', gap * 100);
  if (!measure.interval && end.high && end.typical > 0 && thing.value / end.typical >= 1.5)
    claims.ratio('ratioToMedian', thing.value / end.typical);
  claims.member('next', next.name);
  claims.measure('nextValue', next.value, measure, role);
  claims.count('members', n);
  const shown = end.high ? things.slice(0, OUTLIER.shown) : things.slice(-OUTLIER.shown).reverse();
  return makeFact({
    id,
    type: 'outlier',
    measureId: measure.id,
    dimension: idName,
    columns: [...measure.columns, idName],
    p,
    effect: Math.min(1, end.z / 10) * (measure.interval ? 1 : Math.min(1, gap / 0.5)),
    impact: 1,
    // One row, however far out, is one thing's story: it leads only over weaker patterns of the many.
    surprise: 0.8,
    claims: claims.claims,
    data: {
      member: thing.name,
      direction: end.high ? 'higher' : 'lower',
      median: end.typical,
      members: shown.map((t) => ({ member: t.name, value: t.value })),
    },
  });
}
