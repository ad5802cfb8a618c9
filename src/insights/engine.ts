import type { DuckDBConnection } from '@duckdb/node-api';
import { barChart, MAX_BARS } from '../charts/specs/bar.ts';
import { groupedBar } from '../charts/specs/grouped-bar.ts';
import { histogram } from '../charts/specs/histogram.ts';
import { lineChart } from '../charts/specs/line.ts';
import { spellYearAxes } from '../charts/specs/x-values.ts';
import type { ChartSpec } from '../charts/types.ts';
import { queryOne, queryRows, quoteLiteral } from '../db/duckdb.ts';
import type { CsvReading } from '../ingest/types.ts';
import { buildAngles, rateBases, selectAngles } from './angles.ts';
import { chartsForFact, predictorBars, sidesOf, withinEachChart } from './charts.ts';
import { breakdownFacts } from './detectors/breakdown.ts';
import { DetectorContext, slug } from './detectors/context.ts';
import { interactionFacts, liftBySegmentFacts } from './detectors/interaction.ts';
import { launchFacts, openingsOverGrowth } from './detectors/launch.ts';
import { memberCycleFacts } from './detectors/member-cycle.ts';
import {
  driverFacts,
  explainCountsByTheirBase,
  explainMemberTrendsByTheWhole,
  explainRhythmsByRows,
  explainSeasonsByOneMember,
  explainTwinSpikesBySeason,
  mixShiftFacts,
  patternExceptionFacts,
} from './detectors/meta.ts';
import {
  explainAverageCyclesByMix,
  explainWeekendGapsByMix,
  mixGapFacts,
  reversedConditionGaps,
} from './detectors/mix-gap.ts';
import { outageFacts } from './detectors/outage.ts';
import { outlierRowFacts } from './detectors/outlier-rows.ts';
import { distributionFacts, latestChangeFacts, recordCellFacts, streakFacts } from './detectors/records.ts';
import { correlationFacts, outcomeDriverFacts, pairedDifferenceFacts } from './detectors/relation.ts';
import { toSeries } from './detectors/series.ts';
import { memberTemporalFacts, overallTemporalFacts, weighLinksOfParts } from './detectors/temporal-scan.ts';
import { capitalize, Vocabulary } from './narrative/phrases.ts';
import { type StoryText, StoryWriter, type Stratified } from './narrative/story.ts';
import { overviewFacts } from './overview.ts';
import { profileDataset } from './profile.ts';
import { type Bucket, QueryCache } from './queries.ts';
import { scoreFacts } from './scoring.ts';
import { isExperimentArm, isStartDateName, isUrgencyName } from './semantics.ts';
import { describeSteering, parseSteering, steeringBoost } from './steering.ts';
import { analysisGranularity, spanSeconds, spellYear } from './time.ts';
import { type Angle, type DatasetProfile, type Fact, type Granularity, ROWS_MEASURE_ID } from './types.ts';

export interface DiscoveryOptions {
  sampleRows: number;
  steeringPrompt?: string;
  signal?: AbortSignal;
  /** Called as the analysis moves through its steps (for progress streams). */
  onProgress?: (step: string) => void;
  /** The table's profile when it is already known (computed at upload): profiling is the first full pass. */
  profile?: DatasetProfile;
  /** Aggregates already computed on this table for this profile (an earlier discovery). */
  queries?: QueryCache;
}

export interface Discovery {
  profile: DatasetProfile;
  /** Every fact found, best first (the grounding table for LLM analysts). */
  facts: Fact[];
  /** The three angles to offer, best first. */
  angles: Angle[];
  testsRun: number;
  /** The aggregates computed on the way: `writeStory` reuses them instead of querying the table again. */
  queries: QueryCache;
  /** How the steering prompt was understood (null without one), and the angles whose lead it favoured. */
  steering: { note: string | null; matchedAngleIds: string[] };
}

/**
 * What discovery and story writing both start from: the profile (computed now unless given), the time
 * granularity to analyse at, and the aggregate cache (reused when it belongs to that profile).
 */
async function prepare(
  connection: DuckDBConnection,
  table: string,
  reading: CsvReading,
  options: { sampleRows: number; profile?: DatasetProfile; queries?: QueryCache },
): Promise<{ profile: DatasetProfile; granularity: Granularity | null; q: QueryCache }> {
  const profile =
    options.profile ?? (await profileDataset(connection, table, reading, { sampleRows: options.sampleRows }));
  // Sign-up dates order customers into cohorts: their sums and rates per period are not a course over time.
  const granularity =
    profile.time && !profile.time.entityStart
      ? analysisGranularity(profile.time.granularity, spanSeconds(profile.time.min, profile.time.max))
      : null;
  const q = options.queries?.profile === profile ? options.queries : new QueryCache(connection, profile);
  return { profile, granularity, q };
}

/** Profiles a loaded table, runs every detector, controls false discoveries and picks three diverse angles. */
export async function discover(
  connection: DuckDBConnection,
  table: string,
  reading: CsvReading,
  options: DiscoveryOptions,
): Promise<Discovery> {
  const progress = options.onProgress ?? (() => {});
  progress('profiling columns');
  const { profile, granularity, q } = await prepare(connection, table, reading, options);
  const ctx = new DetectorContext(q, profile, granularity, options.signal);
  const facts: Fact[] = [];
  progress('looking for trends, shifts, spikes and cycles');
  facts.push(...(await overallTemporalFacts(ctx)));
  facts.push(...(await ctx.markMembersAbove(await memberTemporalFacts(ctx))));
  facts.push(...(await memberCycleFacts(ctx)));
  facts.push(...(await outageFacts(ctx)));
  facts.push(...(await launchFacts(ctx)));
  openingsOverGrowth(facts);
  ctx.checkAborted();
  progress('comparing segments');
  facts.push(...(await breakdownFacts(ctx)));
  facts.push(...(await mixGapFacts(ctx, facts)));
  facts.push(...(await reversedConditionGaps(ctx, facts)));
  await explainWeekendGapsByMix(ctx, facts);
  facts.push(...(await interactionFacts(ctx)));
  facts.push(...(await liftBySegmentFacts(ctx)));
  ctx.checkAborted();
  progress('testing relationships between columns');
  facts.push(...(await correlationFacts(ctx)));
  facts.push(...(await outcomeDriverFacts(ctx)));
  facts.push(...(await pairedDifferenceFacts(ctx)));
  ctx.checkAborted();
  progress('looking for exceptions, drivers, records and shapes');
  facts.push(...(await patternExceptionFacts(ctx)));
  facts.push(...(await driverFacts(ctx)));
  facts.push(...(await mixShiftFacts(ctx)));
  facts.push(...(await latestChangeFacts(ctx)));
  facts.push(...(await streakFacts(ctx)));
  facts.push(...(await recordCellFacts(ctx)));
  facts.push(...(await distributionFacts(ctx)));
  facts.push(...(await outlierRowFacts(ctx)));
  await weighLinksOfParts(ctx, facts);
  explainCountsByTheirBase(facts, profile.measures);
  explainRhythmsByRows(facts, profile.measures);
  await explainAverageCyclesByMix(ctx, facts);
  explainMemberTrendsByTheWhole(facts);
  explainSeasonsByOneMember(facts);
  explainTwinSpikesBySeason(facts);
  ctx.checkAborted();
  progress('ranking angles');
  const steering = parseSteering(options.steeringPrompt, profile);
  const boost = steeringBoost(steering, profile);
  // A fiscal or split year is named as the file writes it ("2023/24"), in every period a fact tells.
  const spelling = profile.time?.yearSpelling;
  if (spelling)
    for (const fact of facts)
      for (const claim of Object.values(fact.claims))
        if (claim.kind === 'period') claim.text = spellYear(claim.text, spelling);
  // Age by age band is the band's own definition, whichever detector found it.
  const cuts = profile.dimensions.flatMap((d) => (d.binOf ?? []).map((column) => [d.name, column]));
  // Practice hours by score band retell practice hours against the score, when that link is a fact.
  const links = facts.filter((fact) => fact.type === 'correlation').map((fact) => fact.columns);
  const byBandsOfLinked = (fact: Fact) => {
    const bands = profile.dimensions.find((d) => d.name === fact.dimension)?.binOf ?? [];
    const own = fact.columns.filter((c) => c !== fact.dimension && !bands.includes(c));
    return bands.some((y) => links.some((cols) => cols.includes(y) && own.some((c) => cols.includes(c))));
  };
  // How many answers a survey took in a week is its fieldwork, not a finding about the respondents.
  const fieldwork = (fact: Fact) =>
    profile.rowsAreAnswers === true && fact.measureId === ROWS_MEASURE_ID && fact.family === 'temporal';
  // An experiment's rows are its participants: how many were enrolled each week, and how a total of theirs
  // splits by who they are (most sessions in the largest age band), is the trial's design, not a finding.
  const arms = profile.dimensions.filter(isExperimentArm).map((d) => d.name);
  const additive = new Set(profile.measures.filter((m) => m.aggregation === 'sum').map((m) => m.id));
  const design = (fact: Fact) =>
    arms.length > 0 &&
    additive.has(fact.measureId) &&
    (fact.family === 'temporal' || (fact.family === 'rank' && !arms.includes(fact.dimension ?? '')));
  weighByDesign(profile, facts);
  const capped = await cappedByTheirGroups(q, profile);
  const findings = facts.filter(
    (fact) =>
      !capped.some((column) => fact.columns.includes(column)) &&
      !cuts.some((cut) => cut.every((c) => fact.columns.includes(c))) &&
      !namesItsValues(fact) &&
      !byBandsOfLinked(fact) &&
      !fieldwork(fact) &&
      !design(fact),
  );
  const scored = scoreFacts(dedupe(findings), ctx.pValues, profile.measures, boost)
    .filter((fact) => fact.score > 0)
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  const leads = scored.filter((f) => f.strength !== 'weak' && canLead(f));
  const angles = selectAngles(
    buildAngles(
      leads,
      scored.filter((f) => f.strength !== 'weak'),
      profile.hierarchy,
      rateBases(profile.measures),
    ),
    profile.hierarchy,
    3,
  );
  if (angles.length < 3) {
    const fallback = await overviewFacts(
      ctx,
      3 - angles.length,
      angles.map((a) => a.lead),
      scored.filter((f) => f.strength !== 'weak'),
    );
    // Whether other angles carry tested patterns changes what this one's caveat may say.
    const patternsElsewhere = angles.length > 0;
    angles.push(
      ...fallback.map((fact) => ({
        id: fact.id,
        lead: { ...fact, data: { ...fact.data, patternsElsewhere } },
        support: [],
        score: 0,
        strength: 'weak' as const,
      })),
    );
  }
  return {
    profile,
    facts: scored,
    angles,
    testsRun: ctx.pValues.length,
    queries: q,
    steering: {
      note: describeSteering(steering),
      matchedAngleIds: angles.filter((angle) => boost(angle.lead) > 1).map((angle) => angle.id),
    },
  };
}

/**
 * A breakdown whose members name the measure's own value (days to pay by payment terms: Net 30 pays in
 * 29 days, Net 60 in 57): every member's level within a quarter of the number in its name. The terms are the
 * target, so meeting them is no finding.
 */
function namesItsValues(fact: Fact): boolean {
  if (fact.type !== 'segment_difference' && fact.type !== 'leader') return false;
  const members = fact.data.members as { member: string; value: number }[] | undefined;
  if (!members || members.length < 2) return false;
  return members.every(({ member, value }) => {
    const named = numberInName(String(member));
    return named !== null && named > 0 && Math.abs(value / named - 1) <= 0.25;
  });
}

/** The one number a member's name holds ("Net 30", "14-day"), or null for none or several. */
function numberInName(member: string): number | null {
  const numbers = member.match(/\d+(\.\d+)?/g);
  return numbers?.length === 1 ? Number(numbers[0]) : null;
}

/**
 * Columns that a breakdown's members cap by the number in their names (trial days used by a 7-, 14- or
 * 30-day trial arm: never past 7, 14 and 30): the design set them, so their gaps are no finding, and what
 * follows them (conversion climbs with days used) is read off the arms that allowed them.
 */
async function cappedByTheirGroups(q: QueryCache, profile: DatasetProfile): Promise<string[]> {
  const dimensions = profile.dimensions.filter((d) => {
    const limits = d.members.map(numberInName);
    return (
      d.members.length >= 2 &&
      d.members.length === d.cardinality &&
      limits.every((limit) => limit !== null && limit > 0) &&
      new Set(limits).size === limits.length
    );
  });
  const columns = profile.measures.filter((m) => m.columns.length === 1 && m.rowSql && !m.ratio && !m.perRowOf);
  const capped = new Set<string>();
  for (const dimension of dimensions) {
    if (columns.length === 0) break;
    const rows = await q.rowsOnce(
      `SELECT CAST(${dimension.sql} AS VARCHAR) AS member, ${columns.map((m, i) => `max(${m.rowSql}) AS hi${i}`).join(', ')}
       FROM ${profile.table} WHERE ${dimension.sql} IS NOT NULL GROUP BY 1`,
    );
    for (const [i, measure] of columns.entries()) {
      const reach = rows.map((row) => ({ limit: numberInName(String(row.member)), most: Number(row[`hi${i}`]) }));
      const lowest = Math.min(...reach.map((r) => r.limit ?? Number.POSITIVE_INFINITY));
      // Each member reaches its number and stays within it (a rootstock's trees stay far under "MM106"), and
      // one goes past the smallest: the cap is the members', not one bound all share.
      if (
        reach.every(
          (r) => r.limit !== null && Number.isFinite(r.most) && r.most <= r.limit && r.most >= 0.8 * r.limit,
        ) &&
        reach.some((r) => r.most > lowest)
      )
        capped.add(measure.columns[0]!);
    }
  }
  return [...capped];
}

/**
 * Facts that the way the rows were made explains (weights on `surprise`): a register dated by when each thing
 * began (one row per policy or listing) has cohorts for months, so a cohort's spike is a few of its things
 * (0.5); a timetable's departures per hour or weekday are the schedule (0.5); gaps by a priority the rows were
 * served by (triage 1 admitted 87% of the time) are the sorting (0.7).
 */
function weighByDesign(profile: DatasetProfile, facts: Fact[]): void {
  const time = profile.time;
  const cohorts =
    time !== null && isStartDateName(time.name) && profile.fields.some((field) => field.role === 'identifier');
  const timetable = time !== null && /(^|[_\s-])(scheduled|planned|timetabled?|sched)([_\s-]|$)/i.test(time.name);
  for (const fact of facts) {
    if (cohorts && fact.type === 'spike' && fact.measureId !== ROWS_MEASURE_ID) fact.surprise *= 0.5;
    if (timetable && fact.type === 'seasonality' && fact.measureId === ROWS_MEASURE_ID) fact.surprise *= 0.5;
    if (fact.type === 'segment_difference' && fact.dimension && isUrgencyName(fact.dimension)) fact.surprise *= 0.7;
  }
}

/** Shapes, drivers and streaks support a story; they rarely are one. */
const canLead = (fact: Fact) =>
  (fact.type !== 'distribution' || fact.data.heldByFew === true) &&
  fact.type !== 'driver' &&
  fact.type !== 'streak' &&
  // A gap that mix explains is told by the mix fact.
  fact.data.explainedBy === undefined;

/** The same finding reached twice (e.g. a spike seen at two granularities) keeps its strongest version. */
function dedupe(facts: Fact[]): Fact[] {
  const byId = new Map<string, Fact>();
  for (const fact of facts) {
    const existing = byId.get(fact.id);
    if (!existing || fact.effect * (1 - fact.p) > existing.effect * (1 - existing.p)) byId.set(fact.id, fact);
  }
  return [...byId.values()];
}

export interface WrittenStory extends StoryText {
  charts: ChartSpec[];
  /** The rows behind the story: a filter on the table (subset stories) or the evidence table itself. */
  dataset: { fileName: string; sql: string } | { fileName: string; rows: Record<string, string | number>[] } | null;
}

/** Writes the narrative, the chart specs and the dataset of one angle. Deterministic for the same data. */
export async function writeStory(
  connection: DuckDBConnection,
  table: string,
  reading: CsvReading,
  angle: Angle,
  options: { sampleRows: number; profile?: DatasetProfile; queries?: QueryCache },
): Promise<WrittenStory> {
  const { profile, granularity, q } = await prepare(connection, table, reading, options);
  const words = new Vocabulary(profile);
  const text = await new StoryWriter(q, words, reading, granularity).write(angle);
  // Under an outcome's rate by a predictor, how many rows stand behind each rate comes before other findings.
  const charts: ChartSpec[] = [...chartsForFact(angle.lead, words), ...outcomeBase(angle.lead, words)];
  for (const support of angle.support) {
    if (charts.length >= 4) break;
    if (support.type === angle.lead.type && support.subspace?.member === angle.lead.subspace?.member) continue;
    const [chart] = chartsForFact(support, words);
    if (chart && !charts.some((c) => c.title === chart.title)) charts.push(chart);
  }
  if (charts.length < 2 && angle.lead.type === 'laggard')
    charts.push(...(await laggardOverTime(q, angle.lead, words, granularity)));
  if (charts.length < 3 && text.stratified) charts.push(...stratifiedChart(angle.lead, text.stratified, words));
  // The whole-table series of a trend or a shift is already the lead's chart: a second view shows what is
  // under it (a rate's two counts), or the measure's distribution; the series again only as a last resort.
  const leadIsTheSeries =
    !angle.lead.subspace &&
    ['trend', 'peak', 'change_point', 'spike', 'streak', 'latest_change'].includes(angle.lead.type);
  const buckets = () => q.series(granularity ?? 'month', profile.measures);
  if (charts.length < 2 && leadIsTheSeries) charts.push(...rateParts(angle.lead, words, await buckets(), granularity));
  if (charts.length < 2) charts.push(...(await sizeByMember(connection, angle.lead, words)));
  if (charts.length < 2 && !leadIsTheSeries)
    charts.push(...contextCharts(angle.lead, words, await buckets(), granularity));
  if (charts.length < 2) charts.push(...(await distributionChart(connection, angle.lead, words)));
  if (charts.length < 2) charts.push(...contextCharts(angle.lead, words, await buckets(), granularity));
  // Fiscal or split years on every chart's axis as the file writes them (the lead's are already).
  const spelled = charts.slice(0, 4).map((chart) => spellYearAxes(chart, profile.time?.yearSpelling));
  return { ...text, charts: spelled, dataset: datasetFor(angle.lead, profile) };
}

/**
 * Under a rate of two counts (orders per visit): both counts per period, indexed to their first period, so
 * a reader sees which one moved (orders fell while visits kept rising).
 */
function rateParts(lead: Fact, words: Vocabulary, buckets: Bucket[], granularity: Granularity | null): ChartSpec[] {
  const measure = words.measure(lead.measureId);
  const time = words.profile.time;
  if (!measure.ratio || !granularity || !time) return [];
  const measures = words.profile.measures;
  const parts = [measure.ratio.numeratorSql, measure.ratio.denominatorSql].map((sql) =>
    measures.find((m) => m.rowSql === sql && m.aggregation === 'sum'),
  );
  if (parts.some((part) => !part)) return [];
  const [numerator, denominator] = parts.map((part) => capitalize(part!.label)) as [string, string];
  const lines = parts.flatMap((part, k) => {
    const series = toSeries(buckets, measures.indexOf(part!), granularity, time.granularity);
    const base = series.values.find((value) => Number.isFinite(value) && value !== 0);
    if (base === undefined) return [];
    return series.periods.map((t, i) => ({
      x: t,
      y: (series.values[i]! / base) * 100,
      series: k ? denominator : numerator,
    }));
  });
  if (new Set(lines.map((line) => line.series)).size < 2) return [];
  return [
    lineChart({
      title: `${numerator} and ${denominator.toLowerCase()} per ${granularity}, indexed`,
      subtitle: `First ${granularity} = 100: which of the two counts moved ${measure.label}`,
      alt: `${numerator} and ${denominator.toLowerCase()} per ${granularity}, each indexed to its first ${granularity} (= 100).`,
      points: lines,
      xType: 'temporal',
      highlightSeries: [numerator, denominator],
      yTitle: `Index (first ${granularity} = 100)`,
      format: { kind: 'number' },
    }),
  ];
}

/**
 * Under an amount per unit of size by member (price per sq ft by city): the size of a member's things,
 * which the ratio has taken out (Seattle's homes are the smallest, yet the dearest per sq ft).
 */
async function sizeByMember(connection: DuckDBConnection, lead: Fact, words: Vocabulary): Promise<ChartSpec[]> {
  const measure = words.measure(lead.measureId);
  const dimension = words.dimension(lead.dimension);
  const size = measure.comparesThings ? words.profile.measures.find((m) => m.id === measure.weightedBy) : undefined;
  if (!size || !dimension || lead.type !== 'segment_difference' || typeof lead.data.member !== 'string') return [];
  const rows = await queryRows(
    connection,
    `SELECT CAST(${dimension.sql} AS VARCHAR) AS member, avg(${size.rowSql}) AS value FROM ${words.profile.table}
     WHERE ${dimension.sql} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${MAX_BARS + 1}`,
  );
  if (rows.length < 2 || rows.length > MAX_BARS) return [];
  const label = capitalize(size.label);
  const sizeWords = size.unit ? `${label} (${size.unit})` : label;
  return [
    barChart({
      title: `${sizeWords} per ${words.row()}, by ${words.singular(dimension.name)}`,
      subtitle: `What ${measure.label} divides by: the size of each ${words.singular(dimension.name)}'s ${words.rows()}`,
      alt: `Average ${size.label} per ${words.row()} for each ${words.singular(dimension.name)}; ${lead.data.member} highlighted.`,
      data: rows.map((row) => ({ label: String(row.member), value: Number(row.value) })),
      highlight: [String(lead.data.member)],
      order: 'value-desc',
      valueTitle: sizeWords,
      format: { kind: 'number' },
    }),
  ];
}

/**
 * Under an outcome's rate at each value of a predictor (churn by support tickets): how many rows stand behind
 * each bar, so a reader sees whether the steep end is a handful of customers or a fifth of them.
 */
function outcomeBase(lead: Fact, words: Vocabulary): ChartSpec[] {
  if (lead.type !== 'correlation' || !lead.data.outcome) return [];
  const bars = predictorBars(lead, (level) => level.n);
  const { levels } = bars;
  const predictor = words.measure(String(lead.data.predictor));
  const rows = capitalize(words.rows());
  if (levels.length < 2) return [];
  return [
    barChart({
      title: `${rows} ${bars.by} ${predictor.label}`,
      subtitle: `How many ${words.rows()} each bar of ${words.measure(lead.measureId).label} stands on`,
      alt: `The number of ${words.rows()} at each value of ${predictor.label}, from ${Number(levels[0]!.x.toFixed(2))} to ${Number(levels[levels.length - 1]!.x.toFixed(2))}.`,
      data: bars.data,
      order: 'as-given',
      orientation: 'vertical',
      valueTitle: rows,
      categoryTitle: capitalize(predictor.label),
      format: { kind: 'integer' },
      showValues: levels.length <= 12,
    }),
  ];
}

/** A second view when the lead has only one chart: the measure over time, for context. */
function contextCharts(lead: Fact, words: Vocabulary, buckets: Bucket[], granularity: Granularity | null): ChartSpec[] {
  const measure = words.measure(lead.measureId);
  const index = words.profile.measures.indexOf(measure);
  if (!granularity || index < 0 || buckets.length < 3 || !words.profile.time) return [];
  const series = toSeries(buckets, index, granularity, words.profile.time.granularity);
  const label = capitalize(measure.label);
  return [
    lineChart({
      title: `${label} per ${granularity}, for context`,
      alt: `${label} per ${granularity} over the whole period.`,
      points: series.periods.map((t, i) => ({
        x: granularity === 'year' ? Number(t.slice(0, 4)) : t,
        y: series.values[i]!,
      })),
      xType: 'temporal',
      yTitle: label,
      format: measure.format,
    }),
  ];
}

/** The gap within each part of another breakdown, as the narrative tests it ("within each department…"). */
function stratifiedChart(lead: Fact, stratified: Stratified, words: Vocabulary): ChartSpec[] {
  const measure = words.measure(lead.measureId);
  if (stratified.rows.length > MAX_BARS) return [];
  const sides = sidesOf(words, lead.dimension, String(lead.data.member));
  const { side, name, others } = sides;
  const within = `within each ${words.singular(stratified.dimension)}`;
  // A condition's gap is per row (sales per promo day), as the narrative tests it.
  const label = capitalize(
    side && measure.aggregation === 'sum' ? `${measure.label} per ${words.row()}` : measure.label,
  );
  return [
    withinEachChart(
      {
        title: side
          ? `${capitalize(measure.label)} ${side} and ${others}, ${within}`
          : `${capitalize(name)} against ${others}, ${within}`,
        alt: `${label} of ${name} and of ${others} in each ${words.singular(stratified.dimension)}.`,
        valueTitle: label,
      },
      sides,
      stratified.dimension,
      stratified.rows,
      measure,
      words,
    ),
  ];
}

/** Has the laggard always trailed, or fallen behind lately? Its series against the largest other members. */
async function laggardOverTime(
  q: QueryCache,
  lead: Fact,
  words: Vocabulary,
  granularity: Granularity | null,
): Promise<ChartSpec[]> {
  const dimension = words.profile.dimensions.find((d) => d.name === lead.dimension);
  const measure = words.measure(lead.measureId);
  const index = words.profile.measures.indexOf(measure);
  const time = words.profile.time;
  const laggard = String(lead.data.laggard);
  if (!dimension || !granularity || !time || index < 0) return [];
  const buckets = await q.memberSeries(dimension, granularity, words.profile.measures);
  const ranked = (lead.data.members as { member: string }[]).map((m) => m.member);
  const shown = [laggard, ...ranked.filter((m) => m !== laggard).slice(0, 7)];
  const lines = shown.flatMap((member) => {
    const series = toSeries(
      buckets.filter((b) => b.member === member),
      index,
      granularity,
      time.granularity,
    );
    return series.periods.map((t, i) => ({ x: t.slice(0, 19), y: series.values[i]!, series: member }));
  });
  if (new Set(lines.filter((p) => p.series === laggard).map((p) => p.x)).size < 3) return [];
  const label = capitalize(measure.label);
  const name = words.member(dimension.name, laggard);
  return [
    lineChart({
      title: `${capitalize(name)} against the other ${words.plural(dimension.name)}, per ${granularity}`,
      alt: `${label} per ${granularity} for each ${words.singular(dimension.name)}; ${name} is highlighted.`,
      points: lines,
      xType: 'temporal',
      highlightSeries: [laggard],
      yTitle: label,
      format: measure.format,
    }),
  ];
}

/** Without a time axis, the second view is the measure's distribution, with the compared values marked. */
async function distributionChart(connection: DuckDBConnection, lead: Fact, words: Vocabulary): Promise<ChartSpec[]> {
  const measure = words.measure(lead.measureId);
  if (measure.aggregation === 'rate' || measure.id === ROWS_MEASURE_ID || !measure.rowSql) return [];
  const relation = words.profile.sampleRelation;
  const bounds = await queryOne(
    connection,
    `SELECT min(${measure.rowSql}) AS lo, max(${measure.rowSql}) AS hi FROM ${relation}`,
  );
  const lo = Number(bounds.lo);
  const hi = Number(bounds.hi);
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo) return [];
  const count = 24;
  const width = (hi - lo) / count;
  const rows = await queryRows(
    connection,
    `SELECT least(${count - 1}, CAST(floor((${measure.rowSql} - ${lo}) / ${width}) AS INTEGER)) AS b, count(*) AS n
     FROM ${relation} WHERE ${measure.rowSql} IS NOT NULL GROUP BY 1 ORDER BY 1`,
  );
  const counts = new Map(rows.map((row) => [Number(row.b), Number(row.n)]));
  const label = capitalize(measure.label);
  const lines: { value: number; label: string }[] = [];
  if (lead.type === 'segment_difference') {
    lines.push({
      value: Number(lead.claims.memberValue?.value),
      label: `${String(lead.data.member)}: ${lead.claims.memberValue?.text}`,
    });
    lines.push({ value: Number(lead.data.rest), label: `Rest: ${lead.claims.restValue?.text}` });
  }
  return [
    histogram({
      title: `How ${measure.label} is distributed`,
      subtitle: `Rows per range of ${measure.label}${lines.length ? ', with the compared averages marked' : ''}`,
      alt: `Distribution of ${measure.label} across all rows.`,
      bins: Array.from({ length: count }, (_, i) => ({
        start: lo + i * width,
        end: lo + (i + 1) * width,
        count: counts.get(i) ?? 0,
      })),
      referenceLines: lines.filter((line) => Number.isFinite(line.value)),
      xTitle: label + (measure.unit && measure.format.kind !== 'percent' ? ` (${measure.unit})` : ''),
      format: measure.format,
    }),
  ];
}

function datasetFor(lead: Fact, profile: DatasetProfile): WrittenStory['dataset'] {
  const base = slug(lead.subspace?.member ?? lead.measureId);
  if (lead.subspace) {
    const dimension = profile.dimensions.find((d) => d.name === lead.subspace!.dimension);
    if (!dimension) return null;
    const order = profile.time ? ` ORDER BY ${profile.time.sql}` : '';
    // "west-rows.csv", but "overtime-yes-rows.csv": a yes, a 3 or a short code says nothing alone.
    const named = dimension.binary || dimension.coded || /^[\d.-]+$/.test(lead.subspace.member);
    return {
      fileName: `${named ? `${slug(dimension.name)}-` : ''}${base}-rows.csv`,
      sql: `SELECT * FROM ${profile.table} WHERE ${dimension.sql} = ${quoteLiteral(lead.subspace.member)}${order}`,
    };
  }
  const data = lead.data;
  const rows: Record<string, string | number>[] = [];
  if (Array.isArray(data.points) && lead.type !== 'correlation' && lead.type !== 'simpson') {
    for (const p of data.points as { t: string; value: number }[]) rows.push({ period: p.t, value: p.value });
  } else if (Array.isArray(data.profile)) {
    for (const p of data.profile as { label: string; value: number }[])
      rows.push({ position: p.label, value: p.value });
  } else if (Array.isArray(data.members)) {
    for (const m of data.members as { member: string; value: number; share?: number }[])
      rows.push({ member: m.member, value: m.value, ...(m.share !== undefined ? { share: m.share } : {}) });
  } else if (Array.isArray(data.levels)) {
    for (const l of data.levels as { x: number; n: number; rate: number }[])
      rows.push({ value: l.x, rows: l.n, rate: l.rate });
  }
  return rows.length > 0 ? { fileName: `${base}-${lead.type}.csv`, rows } : null;
}
