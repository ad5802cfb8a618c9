import type { ValueFormat } from '../charts/types.ts';

/** `metric`: a column naming the quantity in each row's value (a long table: date, metric, value). */
export type Role = 'time' | 'category' | 'measure' | 'binary' | 'identifier' | 'text' | 'metric' | 'ignored';

/** How a measure combines across rows: additive measures sum (revenue), averaged ones never do (price, temperature). */
export type Aggregation = 'sum' | 'mean' | 'rate';

export type Granularity = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

export interface FieldProfile {
  name: string;
  /** Quoted SQL identifier of the column in the loaded table. */
  sql: string;
  role: Role;
  /** Human label derived from the header ("Body Mass (g)" → "body mass"). */
  label: string;
  missing: number;
  distinct: number;
}

/** Id of the measure that counts rows (labelled by what a row is: "orders", "events", "rows"). */
export const ROWS_MEASURE_ID = '__rows';
/** The average of a survey's rating items (`surveyIndex` in `profile.ts`). */
export const SURVEY_INDEX_ID = 'survey-index';

/** Whether one of two breakdowns nests in the other (stores in regions), by the profile's hierarchy. */
export const nestedBreakdowns = (
  hierarchy: readonly [string, string][],
  a: string | undefined,
  b: string | undefined,
) => hierarchy.some(([child, parent]) => (child === a && parent === b) || (child === b && parent === a));
/** A yes/no column's rate (churned, a no-show, one kind of event): the ids that end in `:rate`. */
export const isYesNoRateId = (id: string) => id.endsWith(':rate');

/** Something we can aggregate per group: a numeric column, a binary column's rate, or a ratio of two columns. */
export interface Measure {
  id: string;
  label: string;
  /** SQL aggregate expression over the rows of a group (e.g. `sum("revenue")`, `avg("price")`). */
  aggregateSql: string;
  /** SQL expression per row (for row-level statistics); for ratios, the numerator. */
  rowSql: string;
  aggregation: Aggregation;
  format: ValueFormat;
  /** Unit written after values ("g", "°C", "ppm"); empty when none. */
  unit: string;
  /** Decimals to show for raw values and averages. */
  decimals: number;
  columns: string[];
  /** Semantic prior in [0.5, 1.5]: primary measures (revenue, churn) outrank auxiliary ones. */
  prior: number;
  nonNegative: boolean;
  /**
   * For rates: the SQL of the numerator and the denominator (ratio of sums, never mean of ratios). Summed,
   * they pair up through `pairedRatioSql`.
   */
  ratio?: {
    numeratorSql: string;
    denominatorSql: string;
    /** Both parts on each row (not two metrics of a long table, each on rows of its own): paired when summed. */
    sameRow?: boolean;
    /**
     * Both parts are amounts (claims paid over premium, cost over revenue), not successes out of trials:
     * tested as a ratio of two sums over rows, never as a proportion of pounds.
     */
    amounts?: boolean;
  };
  /** Money per thing counted (spend per conversion): the money column and what it is counted per. */
  perUnit?: { money: string; base: string };
  /** How far an outcome landed from its plan (actual vs budget): the two columns it compares. */
  variance?: { plan: string; actual: string };
  /** How a measure that is not a column of the file is computed, in words a model or a person can redo. */
  formula?: string;
  /** For a measure the story must introduce (revenue from units and a unit price): "units × unit price". */
  computedAs?: string;
  /**
   * A ratio of two sums (money per conversion, actual against budget): each member's sums add up over the
   * whole span, so members are compared over it, not at the latest moment of a panel.
   */
  overSpan?: boolean;
  /**
   * An amount per unit of the things' size (kWh per m²): it compares things. Over time it moves as the
   * amount does (the size holds), so it is never followed over time — that story is the amount's.
   */
  comparesThings?: boolean;
  /**
   * A price per unit of size (rent per m²): things listed over time are other things each period, so it is
   * followed over time after all (asking rents per m² rise), unlike an amount per unit of a fixed size.
   */
  pricesThings?: boolean;
  /** For averaged rates: the volume column used as weight (bounce rate weighted by sessions). */
  weightedBy?: string;
  /** For binary rates: what the rate counts ("churned = Yes"). */
  positiveLabel?: string;
  /**
   * A level (population, inventory): summed over the rows of one period, averaged over periods, so a
   * group's value is its average level per `stockPer` (the data's own time step).
   */
  stockPer?: Granularity;
  /**
   * A smooth level of the table's one time series (payrolls, month by month): whatever drifted over the same
   * years goes with it, so its correlations are not findings (its turns and trends tell its story).
   */
  smoothSeries?: boolean;
  /**
   * One quantity on two sides of each row (home and away score, women's and men's wages): this measure is
   * their difference per row, `first − second`, named after its two columns.
   */
  sides?: { first: string; second: string; firstSide: string; secondSide: string; stem: string };
  /**
   * The level is a running total (cases to date): it never goes down within a series, told apart by
   * `seriesSql` (the categories of a panel; none for a single series). `flow` names the measure of what it
   * adds at each step ("new confirmed"), when there is one.
   */
  runningTotal?: { seriesSql: string[]; flow?: string };
  /**
   * The average per row of an additive money measure (the average ticket: amount per receipt), compared
   * across members and followed over time; its rows are the money's own, so no row-level detector reads it.
   */
  perRowOf?: string;
  /** A panel's amount per entity and period (`perRowOf` too): its kinds of entity are tested across entities. */
  perEntity?: boolean;
  /**
   * The share of one state of a lifecycle status (open, denied, churned among open and closed claims or
   * active accounts): compared across members, never followed over time, where the latest records have
   * not settled yet (right-censoring).
   */
  censored?: boolean;
  /**
   * Where a value filled in later starts to be missing at the end (the first month of the tail still open):
   * before it the measure can be followed over time (settlement times rising through 2023 and 2024).
   */
  censoredFrom?: string;
  /**
   * Differences mean something but ratios do not (temperatures in °C, anomalies, scores around zero):
   * changes are told in units ("rose by 1.35"), never in percent.
   */
  interval?: boolean;
  /**
   * A metric of a long table (date, metric, value): the value on that metric's rows. No row holds two
   * metrics, so row-level statistics between measures (correlations, near-copies) do not apply.
   */
  longMetric?: string;
  /** The unit a long table states for this metric ("EUR per household"), when it states one. */
  metricUnit?: string;
  /** Answers on a rating scale ("Strongly disagree" … "Strongly agree") read as a score from 1 to `steps`. */
  scale?: { steps: number };
  /** Smallest and largest value of a column measure (from profiling). */
  range?: { min: number; max: number };
}

export interface Dimension {
  name: string;
  sql: string;
  label: string;
  /** Members by row count, most frequent first (at most `maxMembers`; the rest are grouped as "Other"). */
  members: string[];
  cardinality: number;
  binary: boolean;
  /**
   * A yes/no condition of the row (promo, holiday): measures are compared per row with and without it
   * (`Sales are 30% higher with promo`), never as shares of a total.
   */
  condition?: boolean;
  /**
   * A yes/no that each thing of the file holds throughout (a field irrigated or not, a student tutored or
   * not): what the thing is, compared across things, never within one thing's rows.
   */
  attribute?: boolean;
  /** Members are numeric codes (cluster 0…5): a ranking of them tells a reader little without a legend. */
  coded?: boolean;
  /** An optional attribute (a discount code) whose empty cells are a member of their own: "no discount code". */
  emptyAs?: string;
  /** Members written in several cases ("west", "WEST"), read as their most frequent spelling. */
  respelled?: { member: string; spellings: string[] }[];
  /**
   * Numeric columns this one cuts into ranges (age_band of age: 18–34, 35–54…): each member holds its own
   * range of them, so that column by this breakdown is the cut itself, never a finding.
   */
  binOf?: string[];
}

export interface TimeField {
  name: string;
  sql: string;
  label: string;
  /** Native spacing of the distinct time values. */
  granularity: Granularity;
  /** SQL turning the column into a TIMESTAMP (year integers become Jan 1 of that year). */
  asTimestampSql: string;
  min: string;
  max: string;
  distinct: number;
  hasTimeOfDay: boolean;
  /** Most gaps between consecutive time values have the same length (a series rather than a log). */
  regular: boolean;
  /**
   * Values far from all the others (typos, dates in the future) that `sql` reads as missing: how many rows,
   * the first and last such value, and the range kept.
   */
  outliers?: { rows: number; first: string; last: string; low: string; high: string };
  /**
   * How a numeric column is read as time: Unix seconds or milliseconds, spreadsheet serial days, or a year
   * with the month (quarter) column beside it. Absent for date columns and plain years.
   */
  numeric?: { epoch?: 'seconds' | 'milliseconds' | 'days' | 'yyyymmdd'; month?: string; quarter?: string };
  /** The column holding each row's time of day, added to the date column (`Date, Time`). */
  clock?: string;
  /**
   * A log of events at any time of day: the share of a whole day's events that fall after the first row's
   * time of day, and before the last row's (a file that stops at 13:59 holds about half of its last day).
   */
  dayEnds?: { first: number; last: number };
  /** The file's own mark on its last period, when a column says it is not complete ("Jan-Jun (provisional)"). */
  partialLast?: string;
  /**
   * How the file writes a year of a fiscal or split-year axis (`FY%Y`, `%Y/%n`): stories name a year as
   * the file does ("2023/24", "FY2024"), not as the calendar year it was read as.
   */
  yearSpelling?: string;
  /**
   * The day each row's entity began (a customer's sign-up, an employee's hire date): rows are customers, not
   * events of that day, so sums and rates per period are cohorts (what joined then), not a course over
   * time, and are not followed.
   */
  entityStart?: boolean;
}

/** A column filled only for some members of another (`deferral_reason` only where `deferred` is Y). */
export interface NotApplicable {
  column: string;
  by: string;
  /** The members of `by` whose rows have the column filled. */
  filledFor: string[];
}

export interface DatasetProfile {
  table: string;
  rowCount: number;
  /** Row-level statistics read this relation (a repeatable sample above the sampling threshold). */
  sampleRelation: string;
  sampled: boolean;
  fields: FieldProfile[];
  measures: Measure[];
  dimensions: Dimension[];
  time: TimeField | null;
  /** Columns derived from others (a = b × c), kept out of correlations. */
  derived: { column: string; from: string[] }[];
  /** Numeric columns left out as near-copies of another (|r| ≥ 0.98). */
  duplicates: { column: string; of: string; r: number }[];
  /** One row per survey answer (a respondent or response id): when answers came in is fieldwork, not news. */
  rowsAreAnswers?: boolean;
  /** Columns that are the sum of others in every row (incidents = fires + medical calls + …). */
  sums: { column: string; from: string[] }[];
  /** Columns blank exactly where they do not apply (a deferral reason for donations not deferred). */
  notApplicable: NotApplicable[];
  /** Measures computed from the time column itself (tenure vs signup date): no temporal facts for them. */
  timeDerived: string[];
  /** Each column measure's correlation with time over rows (of the sample), by measure id; empty without time. */
  timeCorrelations: Record<string, number>;
  /** Rows removed because they were a "Total" of the others. */
  totalsRows: { column: string; member: string; rows: number }[];
  /**
   * Money written in several currencies (a `currency` column of USD, EUR, JPY…) with no rates to convert
   * them: the money measures read the most common currency's rows only.
   */
  oneCurrency?: { column: string; currency: string; rows: number; total: number; others: string[] };
  /** Each row is one cell of (time × categories): values are aggregates already, so small buckets are not noise. */
  cube: boolean;
  /** Rows per distinct time value: above ~1.5 rows are events and counting them over time means something. */
  eventsPerTime: number;
  /** The row count is a measure of activity (events, orders), not an artefact of one row per period. */
  rowsAreEvents: boolean;
  /** Dimension pairs [child, parent] where each child member belongs to one parent (product → category). */
  hierarchy: [string, string][];
  /** Entity dimension of a long-format table (one row per entity per time), when recognised. */
  entity: string | null;
}

/** A number (or label) that may appear in text, with where it came from. */
export interface Claim {
  value: number | string;
  text: string;
  kind: 'number' | 'percent' | 'currency' | 'count' | 'ratio' | 'period' | 'member' | 'measure' | 'correlation';
  /** The evidence cell the value was computed from: `{factId, cell}`. */
  source: string;
}

export type FactType =
  | 'trend'
  | 'peak'
  | 'change_point'
  | 'spike'
  | 'seasonality'
  | 'member_cycle'
  | 'leader'
  | 'laggard'
  | 'outlier'
  | 'concentration'
  | 'segment_difference'
  | 'paired_difference'
  | 'correlation'
  | 'simpson'
  | 'share_shift'
  | 'pattern_exception'
  | 'interaction'
  | 'driver'
  | 'mix_shift'
  | 'latest_change'
  | 'streak'
  | 'distribution'
  | 'overview';

export type Family = 'temporal' | 'rank' | 'segment' | 'relation' | 'distribution' | 'overview';

export type Strength = 'strong' | 'moderate' | 'weak';

export interface Fact {
  id: string;
  type: FactType;
  family: Family;
  /** The measure the fact is about. */
  measureId: string;
  /** Breakdown dimension, when the fact compares members. */
  dimension?: string;
  /** Filter that defines the fact's subset ("region = West"). */
  subspace?: { dimension: string; member: string };
  columns: string[];
  /** Raw p-value of the fact's test (already corrected for searching within the fact, e.g. over split points). */
  p: number;
  /** Benjamini–Hochberg q over every test run on the file. */
  q: number;
  /** Unit-free effect size in [0, 1]. */
  effect: number;
  /** Share of the measure total (additive) or of rows (averaged) the fact covers, in [0, 1]. */
  impact: number;
  /** Multiplier in [0.5, 1.5] for how unexpected the fact is given its siblings. */
  surprise: number;
  score: number;
  strength: Strength;
  /** Named numbers the text may use. */
  claims: Record<string, Claim>;
  /** Everything a chart or a follow-up needs (small aggregated tables). */
  data: Record<string, unknown>;
}

export interface Angle {
  id: string;
  lead: Fact;
  support: Fact[];
  score: number;
  strength: Strength;
}

/**
 * A rate's numerator and denominator, each counted only on rows that have the other: a week whose footfall
 * counter failed keeps its sales out of the conversion rate, which would otherwise jump for lack of a base.
 */
/** Column prefixes of a ratio's moments in group queries and rollups. */
export const MOMENTS = ['xx', 'yy', 'xy'] as const;

/** The row sums a ratio of amounts is tested on: Σx², Σy² and Σxy of its paired parts. */
export function ratioMomentsSql(ratio: NonNullable<Measure['ratio']>): [string, string, string] {
  const [n, d] = pairedRatioSql(ratio);
  return [`sum((${n}) * (${n}))`, `sum((${d}) * (${d}))`, `sum((${n}) * (${d}))`];
}

/**
 * A breakdown that a measure is made of: one of its columns, or a finer cut of one (the deal stage "Closed
 * Won" under won yes/no): the won amount by stage is its definition, never a finding.
 */
export const definedByBreakdown = (measure: Measure, dimension: string, hierarchy: readonly [string, string][]) =>
  measure.columns.includes(dimension) ||
  hierarchy.some(([child, parent]) => child === dimension && measure.columns.includes(parent));

export function pairedRatioSql(ratio: NonNullable<Measure['ratio']>): [string, string] {
  const { numeratorSql: n, denominatorSql: d } = ratio;
  if (!ratio.sameRow) return [n, d];
  return [`CASE WHEN ${d} IS NOT NULL THEN ${n} END`, `CASE WHEN ${n} IS NOT NULL THEN ${d} END`];
}
