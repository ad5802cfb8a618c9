import { queryOne } from '../db/duckdb.ts';
import { type DetectorContext, makeFact, slug } from './detectors/context.ts';
import { toSeries } from './detectors/series.ts';
import { ClaimSet } from './narrative/format.ts';
import type { Fact, Measure } from './types.ts';

/** Measures in the order a reader would ask about them: primary ones first, row counts last. */
function measuresByInterest(measures: Measure[]): Measure[] {
  return [...measures].sort((a, b) => Number(a.id === '__rows') - Number(b.id === '__rows') || b.prior - a.prior);
}

/**
 * Descriptive angles for when the data holds no (or too few) patterns that survive the tests: they
 * describe, and their wording claims no pattern. Always `weak`.
 */
export async function overviewFacts(ctx: DetectorContext, count: number, taken: Fact[]): Promise<Fact[]> {
  const facts: Fact[] = [];
  // Counting rows says something only when rows are events (orders), not one row per period.
  const measures = measuresByInterest(ctx.profile.measures).filter(
    (m) => m.id !== '__rows' || ctx.profile.eventsPerTime >= 1.5 || !ctx.profile.time,
  );
  const usedMeasures = new Set(taken.map((f) => f.measureId));
  const primary = measures.find((m) => !usedMeasures.has(m.id)) ?? measures[0]!;
  const all = ctx.profile.measures;
  const index = all.indexOf(primary);

  const dimension = ctx.profile.dimensions.find((d) => !d.binary && d.cardinality <= 50) ?? ctx.profile.dimensions[0];
  if (dimension && facts.length < count) {
    const groups = (await ctx.q.groups(dimension, all)).filter((g) => g.measures[index]?.value !== null);
    const ranked = groups
      .map((g) => ({ member: g.member, value: g.measures[index]!.value ?? 0, rows: g.rows }))
      .sort((a, b) => b.value - a.value || (a.member < b.member ? -1 : 1));
    if (ranked.length >= 2) {
      const id = `overview:breakdown:${slug(primary.id)}:${slug(dimension.name)}`;
      const claims = new ClaimSet(id);
      claims.count('members', ranked.length);
      claims.member('highest', ranked[0]!.member);
      claims.measure('highestValue', ranked[0]!.value, primary, primary.aggregation === 'sum' ? 'total' : 'average');
      claims.member('lowest', ranked[ranked.length - 1]!.member);
      claims.measure(
        'lowestValue',
        ranked[ranked.length - 1]!.value,
        primary,
        primary.aggregation === 'sum' ? 'total' : 'average',
      );
      facts.push(
        makeFact({
          id,
          type: 'overview',
          measureId: primary.id,
          dimension: dimension.name,
          columns: [...primary.columns, dimension.name],
          p: 1,
          effect: 0,
          impact: 1,
          claims: claims.claims,
          data: { kind: 'breakdown', members: ranked.slice(0, 25) },
        }),
      );
    }
  }

  const time = ctx.profile.time;
  // A timeline only when no trend or cycle already tells the measure's story over time.
  const told = taken.some((fact) => fact.measureId === primary.id && fact.family === 'temporal');
  if (time && ctx.granularity && facts.length < count && !told) {
    const buckets = await ctx.q.series(ctx.granularity, all);
    const series = toSeries(buckets, index, ctx.granularity, time.granularity);
    if (series.values.length >= 2) {
      const id = `overview:timeline:${slug(primary.id)}`;
      const claims = new ClaimSet(id);
      claims.count('periods', series.values.length);
      const role = primary.aggregation === 'sum' ? 'total' : 'average';
      claims.measure('min', Math.min(...series.values), primary, role);
      claims.measure('max', Math.max(...series.values), primary, role);
      facts.push(
        makeFact({
          id,
          type: 'overview',
          measureId: primary.id,
          columns: [time.name, ...primary.columns],
          p: 1,
          effect: 0,
          impact: 1,
          claims: claims.claims,
          data: {
            kind: 'timeline',
            granularity: series.granularity,
            points: series.periods.map((t, i) => ({ t, value: series.values[i]! })),
          },
        }),
      );
    }
  }

  for (const measure of measures) {
    if (facts.length >= count) break;
    if (measure.id === '__rows' || measure.aggregation === 'rate') continue;
    const id = `overview:distribution:${slug(measure.id)}`;
    if (facts.some((f) => f.id === id)) continue;
    const row = await queryOne(
      ctx.q.connection,
      `SELECT quantile_cont(${measure.rowSql}, [0.25, 0.5, 0.75]) AS q, min(${measure.rowSql}) AS lo, max(${measure.rowSql}) AS hi,
              count(${measure.rowSql}) AS n FROM ${ctx.profile.sampleRelation}`,
    );
    const [q1, q2, q3] = (row.q as number[] | null) ?? [];
    if (q1 === undefined || q2 === undefined || q3 === undefined) continue;
    const claims = new ClaimSet(id);
    claims.measure('median', q2, measure, 'raw');
    claims.measure('p25', q1, measure, 'raw');
    claims.measure('p75', q3, measure, 'raw');
    claims.measure('min', Number(row.lo), measure, 'raw');
    claims.measure('max', Number(row.hi), measure, 'raw');
    claims.count('n', Number(row.n));
    facts.push(
      makeFact({
        id,
        type: 'overview',
        measureId: measure.id,
        columns: measure.columns,
        p: 1,
        effect: 0,
        impact: 1,
        claims: claims.claims,
        data: { kind: 'distribution', quartiles: [q1, q2, q3], min: Number(row.lo), max: Number(row.hi) },
      }),
    );
  }
  return facts.slice(0, count);
}
