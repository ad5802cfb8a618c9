import { queryOne, queryRows } from '../../db/duckdb.ts';
import type { QueryCache } from '../queries.ts';
import { isLifecycleStatus } from '../semantics.ts';
import {
  type DatasetProfile,
  type Dimension,
  type Fact,
  type FactType,
  type Family,
  type Granularity,
  type Measure,
  ROWS_MEASURE_ID,
} from '../types.ts';

/** What every detector gets: the cached queries, the profile, and a log of every test it runs (for FDR control). */
export class DetectorContext {
  /** Every p-value tested on this file, facts or not: Benjamini–Hochberg runs over all of them. */
  readonly pValues: number[] = [];

  constructor(
    readonly q: QueryCache,
    readonly profile: DatasetProfile,
    /** Granularity for trends and change points (null when the data has no time column). */
    readonly granularity: Granularity | null,
    readonly signal?: AbortSignal,
  ) {}

  /** Records a test that was run; returns its p so calls can be inlined. */
  tested(p: number): number {
    this.pValues.push(Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 1);
    return p;
  }

  /**
   * Measures worth following over time: not those computed from the time column itself, and the row count
   * only when rows are events (not one row per entity and period, nor per cube cell). Nor a count to date,
   * which can only rise: what it adds each step (its "new …" measure) is followed instead.
   */
  followedMeasures(): Measure[] {
    return this.profile.measures.filter(
      (m) =>
        !this.profile.timeDerived.includes(m.id) &&
        !m.runningTotal &&
        (!m.comparesThings || m.pricesThings) &&
        // An average ticket is compared across members; over time one large order makes its month.
        !m.perRowOf &&
        // The share of open (or of denied) claims falls and rises at the end with what is not settled yet.
        !m.censored &&
        (m.id !== ROWS_MEASURE_ID || this.profile.rowsAreEvents),
    );
  }

  /** Followed measures whose whole-table series means something: no averages over an unbalanced panel. */
  async wholeTableMeasures(): Promise<Measure[]> {
    const unbalanced = await this.unbalancedPanel();
    return this.followedMeasures().filter((m) => !(unbalanced && m.aggregation !== 'sum'));
  }

  private unbalanced: Promise<boolean> | null = null;

  /**
   * A panel whose entities come and go (GOOG listed from 2004): an average over entities then moves with
   * who is in it, not with what happened, so whole-table averages are followed per entity only.
   */
  unbalancedPanel(): Promise<boolean> {
    this.unbalanced ??= (async () => {
      const time = this.profile.time;
      if (!this.profile.entity || !time || !this.granularity) return false;
      const buckets = await this.q.series(this.granularity, this.profile.measures);
      const rows = buckets.slice(1, -1).map((bucket) => bucket.rows);
      if (!(rows.length > 0 && Math.min(...rows) < 0.9 * Math.max(...rows))) return false;
      // Fewer rows on some days is a schedule (flights that do not fly on Saturdays), not entities coming and
      // going: the panel is unbalanced when a tenth of its entities start late or stop early.
      const entity = this.profile.dimensions.find((d) => d.name === this.profile.entity);
      if (!entity) return true;
      const t = time.asTimestampSql;
      const row = await queryOne(
        this.q.connection,
        `WITH spans AS (SELECT min(${t}) AS first, max(${t}) AS last FROM ${this.profile.table}
                        WHERE ${t} IS NOT NULL AND ${entity.sql} IS NOT NULL GROUP BY ${entity.sql}),
              whole AS (SELECT min(first) AS t0, max(last) AS t1 FROM spans)
         SELECT avg(CASE WHEN first > t0 + (t1 - t0) * 0.1 OR last < t1 - (t1 - t0) * 0.1 THEN 1.0 ELSE 0.0 END) AS movers
         FROM spans, whole`,
      );
      return Number(row.movers) >= 0.1;
    })();
    return this.unbalanced;
  }

  private readonly splits = new Map<string, Promise<boolean>>();

  /**
   * Whether a dimension splits the time axis into series of its own: several of its members share a period
   * (regions, each month). A label that takes turns instead (the side a year's point is labelled on, one
   * member a year) cuts one series into scattered pieces, which have no trend, peak or driver of their own.
   * Nor does a lifecycle status (below).
   */
  splitsTime(dimension: Dimension): Promise<boolean> {
    const granularity = this.granularity;
    if (!this.profile.time || !granularity) return Promise.resolve(false);
    // Open claims pile up at the end of any claims log (the recent ones are not settled yet) and closed ones
    // thin out: a lifecycle status over time is how the file was cut, not news (right-censoring).
    if (isLifecycleStatus(dimension.members)) return Promise.resolve(false);
    let known = this.splits.get(dimension.name);
    if (!known) {
      // The members' series the detectors ask for anyway (cached): members per period, on average.
      known = this.q.memberSeries(dimension, granularity).then((rows) => {
        const periods = new Set(rows.map((row) => row.t)).size;
        return periods > 0 && rows.length / periods >= 1.5;
      });
      this.splits.set(dimension.name, known);
    }
    return known;
  }

  private readonly parents = new Map<string, Promise<Map<string, Record<string, string>>>>();

  /**
   * The one member above each member of a nested breakdown, by parent breakdown (hospital Riverside → region
   * East), read in one grouped pass per parent and kept; members seen under two parents have none.
   */
  parentsOf(dimension: string): Promise<Map<string, Record<string, string>>> {
    let known = this.parents.get(dimension);
    if (!known) {
      known = (async () => {
        const parents = new Map<string, Record<string, string>>();
        const child = this.profile.dimensions.find((d) => d.name === dimension);
        for (const [name, parentName] of this.profile.hierarchy) {
          const parent = this.profile.dimensions.find((d) => d.name === parentName);
          if (name !== dimension || !parent || !child) continue;
          const rows = await queryRows(
            this.q.connection,
            `SELECT CAST(${child.sql} AS VARCHAR) AS member, min(CAST(${parent.sql} AS VARCHAR)) AS parent
             FROM ${this.profile.table} WHERE ${child.sql} IS NOT NULL AND ${parent.sql} IS NOT NULL
             GROUP BY 1 HAVING count(DISTINCT ${parent.sql}) = 1`,
          );
          for (const row of rows)
            parents.set(String(row.member), {
              ...(parents.get(String(row.member)) ?? {}),
              [parentName]: String(row.parent),
            });
        }
        return parents;
      })();
      this.parents.set(dimension, known);
    }
    return known;
  }

  /**
   * Facts name the members above their member (a brand's gap its category, Riverside Hospital's step its
   * region): a gap by the member it is about, a move of a member's series by its subspace.
   */
  async markMembersAbove(facts: Fact[]): Promise<Fact[]> {
    for (const fact of facts) {
      const [dimension, member] =
        fact.type === 'segment_difference'
          ? [fact.dimension, fact.data.member]
          : fact.family === 'temporal'
            ? [fact.subspace?.dimension, fact.subspace?.member]
            : [];
      if (dimension === undefined || member === undefined) continue;
      const above = (await this.parentsOf(dimension)).get(String(member));
      if (above) fact.data.parents = above;
    }
    return facts;
  }

  measureIndex(measure: Measure): number {
    return this.profile.measures.indexOf(measure);
  }

  checkAborted(): void {
    if (this.signal?.aborted) throw this.signal.reason ?? new Error('aborted');
  }
}

export const familyOf: Record<FactType, Family> = {
  trend: 'temporal',
  peak: 'temporal',
  change_point: 'temporal',
  spike: 'temporal',
  seasonality: 'temporal',
  member_cycle: 'temporal',
  share_shift: 'temporal',
  leader: 'rank',
  laggard: 'rank',
  outlier: 'rank',
  concentration: 'rank',
  segment_difference: 'segment',
  paired_difference: 'segment',
  correlation: 'relation',
  simpson: 'relation',
  pattern_exception: 'segment',
  interaction: 'segment',
  driver: 'temporal',
  mix_shift: 'relation',
  latest_change: 'temporal',
  streak: 'temporal',
  distribution: 'distribution',
  overview: 'overview',
};

export function makeFact(
  fact: Omit<Fact, 'family' | 'q' | 'score' | 'strength' | 'surprise'> & { surprise?: number },
): Fact {
  return {
    ...fact,
    family: familyOf[fact.type],
    surprise: fact.surprise ?? 1,
    q: 1,
    score: 0,
    strength: 'weak',
    p: Number.isFinite(fact.p) ? Math.min(1, Math.max(0, fact.p)) : 1,
    effect: Math.min(1, Math.max(0, fact.effect)),
    impact: Math.min(1, Math.max(0, fact.impact)),
  };
}

/** Unit-free size of a relative change: 25% → 0.63, 58% → 0.90. */
export const relativeEffect = (relativeChange: number) => 1 - Math.exp(-Math.abs(relativeChange) / 0.25);

/** A measure sits far from zero when its spread is under 35% of its level (test scores of 62 ± 10). */
export const isFarFromZero = (level: number, spread: number) => level !== 0 && spread < 0.35 * Math.abs(level);

/**
 * Size of a gap between two averages: the percent and the standard deviations (Cohen's d) must both be
 * large; but a measure far from zero moves little in percent — a 4-point gap in test scores is 6.7% yet
 * 0.44 standard deviations — so there its own spread alone can make the gap moderate (never strong: a lead
 * on such a scale still needs the percent to be large).
 */
export function gapEffect(relative: number, d: number, farFromZero: boolean): number {
  const standardized = 1 - Math.exp(-Math.abs(d));
  return Math.max(Math.min(relativeEffect(relative), standardized), farFromZero ? Math.min(standardized, 0.35) : 0);
}

/** Stable, readable id fragment. */
export const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'x';
