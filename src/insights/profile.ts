import type { DuckDBConnection } from '@duckdb/node-api';
import { queryOne, queryRows, quoteIdent, quoteLiteral } from '../db/duckdb.ts';
import { isCodeOfNamed } from '../ingest/column-names.ts';
import { isYearPeriodFormat } from '../ingest/date-formats.ts';
import { TOTAL_WORDS } from '../ingest/totals-rows.ts';
import type { ColumnInfo, CsvReading } from '../ingest/types.ts';
import { isYesMember, nounOf, pluralize } from './narrative/phrases.ts';
import {
  calendarPartOf,
  countsForOther,
  denominatorRank,
  errorCodeWord,
  hasBoundWord,
  hasToken,
  isAdditiveName,
  isAreaName,
  isAttributeOfThing,
  isAveragedName,
  isBodySizeName,
  isBudgetName,
  isCapacityName,
  isChannelOf,
  isConditionName,
  isCostName,
  isCostOfSalesName,
  isCumulativeName,
  isDelayName,
  isDemographicName,
  isEntityStartName,
  isEventKindName,
  isExperimentArm,
  isFateOfCount,
  isFeeName,
  isFlagName,
  isFoundingYearName,
  isGivenBackName,
  isGrossName,
  isGroupCodeName,
  isHappenedName,
  isHeadcountName,
  isHourOfDayName,
  isIdentifierName,
  isIntentName,
  isIntervalName,
  isKindName,
  isLabelName,
  isLeverName,
  isLifecycleStatus,
  isLossOfStock,
  isMetricNameColumn,
  isMishapName,
  isMistakeOfWork,
  isMoneyByName,
  isOfferedName,
  isOptionalAttributeName,
  isOutcomeName,
  isPerThingName,
  isPopulationName,
  isPositionName,
  isPrimaryName,
  isPromiseName,
  isRateDenominatorName,
  isRateNumeratorName,
  isRepeatOfCount,
  isScoreName,
  isShareName,
  isSidePair,
  isStateReadingName,
  isStockName,
  isSubsetCountName,
  isTakingsName,
  isTimedSubsetName,
  isTimeName,
  isTimeToName,
  isTotalAmountName,
  isValueName,
  isVerdictName,
  isWeatherName,
  isYearName,
  mayCut,
  mishapOfCount,
  nameParts,
  namesBoth,
  outcomePairOf,
  perUnitRank,
  positiveOf,
  rateLabel,
  ratingScaleOf,
  ratioLabel,
  sidePairs,
  singularOf,
  tokensOf,
  winLetterOf,
} from './semantics.ts';
import { detectGranularity, finer, spanSeconds, truncSql } from './time.ts';
import {
  type DatasetProfile,
  type Dimension,
  type FieldProfile,
  type Granularity,
  isYesNoRateId,
  type Measure,
  type NotApplicable,
  pairedRatioSql,
  ROWS_MEASURE_ID,
  type Role,
  SURVEY_INDEX_ID,
  type TimeField,
} from './types.ts';

const maxMembers = 50;

interface NumericStats {
  n: number;
  distinct: number;
  min: number;
  max: number;
  mean: number;
  std: number;
  /** Values below zero. */
  negatives: number;
  whole: boolean;
  decimals: number;
}

/** Statistics of numeric columns, by name. */
async function numericStats(connection: DuckDBConnection, table: string, columns: ColumnInfo[]) {
  const found = await statsOf(
    connection,
    table,
    columns.map((column) => ({ sql: quoteIdent(column.name), distinct: column.distinctCount })),
  );
  return new Map(columns.map((column, i) => [column.name, found[i]!]));
}

/**
 * Statistics of numeric expressions (a column, or a long table's value on one metric's rows), in one scan;
 * `distinct` is counted when not already known.
 */
async function statsOf(
  connection: DuckDBConnection,
  table: string,
  expressions: { sql: string; distinct?: number }[],
): Promise<NumericStats[]> {
  if (expressions.length === 0) return [];
  const parts = expressions.flatMap(({ sql: c, distinct }, i) => [
    `count(${c}) AS n${i}`,
    `min(${c}) AS min${i}`,
    `max(${c}) AS max${i}`,
    `avg(${c}) AS mean${i}`,
    `coalesce(stddev_samp(${c}), 0) AS std${i}`,
    `count(${c}) FILTER (WHERE ${c} < 0) AS neg${i}`,
    `coalesce(bool_and(${c} = round(${c})), true) AS whole${i}`,
    ...(distinct === undefined ? [`count(DISTINCT ${c}) AS distinct${i}`] : []),
  ]);
  // Decimals as written (capped at 4), read from the distinct values of the first 100,000 rows: string
  // work on every row of a million costs more than it tells (and a price list repeats a few values). Missing
  // values are left out: least(4, NULL) is 4 in DuckDB, which gave every column with a gap 4 decimals.
  const decimals = expressions.map(
    ({ sql: c }, i) =>
      `(SELECT coalesce(max(least(4, length(regexp_extract(CAST(round(v, 4) AS VARCHAR), '\\.(\\d*?)0*$', 1)))), 0)
             FROM (SELECT DISTINCT ${c} AS v FROM ${table} WHERE rowid < 100000 AND ${c} IS NOT NULL)) AS dec${i}`,
  );
  const row = await queryOne(
    connection,
    `SELECT * FROM (SELECT ${parts.join(', ')} FROM ${table}), (SELECT ${decimals.join(', ')})`,
  );
  return expressions.map(({ distinct }, i) => ({
    n: Number(row[`n${i}`] ?? 0),
    distinct: distinct ?? Number(row[`distinct${i}`] ?? 0),
    min: Number(row[`min${i}`] ?? 0),
    max: Number(row[`max${i}`] ?? 0),
    mean: Number(row[`mean${i}`] ?? 0),
    std: Number(row[`std${i}`] ?? 0),
    negatives: Number(row[`neg${i}`] ?? 0),
    whole: Boolean(row[`whole${i}`]),
    decimals: Number(row[`dec${i}`] ?? 0),
  }));
}

/**
 * Whole numbers that are Unix time between 2000 and 2100: in seconds or in milliseconds; spreadsheet serial
 * days; or dates written as digits (`20240101`, a warehouse export's yyyymmdd); else null.
 */
function epochUnit(stats: { min: number; max: number }): 'seconds' | 'milliseconds' | 'days' | 'yyyymmdd' | null {
  if (stats.min >= 19_000_101 && stats.max <= 21_001_231) return 'yyyymmdd';
  const [from, to] = [946_684_800, 4_102_444_800];
  if (stats.min >= from && stats.max <= to) return 'seconds';
  if (stats.min >= from * 1000 && stats.max <= to * 1000) return 'milliseconds';
  // Spreadsheet serial days (Excel, Google Sheets: 45292 is January 1, 2024), 1970–2100.
  if (stats.min >= 25_569 && stats.max <= 73_051) return 'days';
  return null;
}

/** A yes/no column whose name says what it is for: an outcome (churned) or a condition (promo). */
const isYesNoName = (name: string) => isOutcomeName(name) || isConditionName(name) || isFlagName(name);
/** The units a batch or lot held (`batch_size`, `lot_qty`): a denominator for its defects. */
const isBatchSizeName = (name: string) => /^(batch|lot)[_\s-]?(size|qty|quantity|units)$/i.test(name);

function roleOf(column: ColumnInfo, rowCount: number, stats: NumericStats | undefined): Role {
  const nonMissing = rowCount - column.nullCount;
  if (nonMissing === 0 || column.distinctCount <= 1) return 'ignored';
  if (column.type === 'date' || column.type === 'datetime') return 'time';
  if (column.type === 'boolean') return 'binary';
  if (column.type === 'text') {
    if (column.distinctCount === 2 && positiveOf(column.examples) !== null && isYesNoName(column.name)) return 'binary';
    // A decision's two sides (Admitted / Rejected) in a column of any name.
    if (column.distinctCount === 2 && outcomePairOf(column.examples) !== null) return 'binary';
    if (column.distinctCount === 2 && winLetterOf(column.name, column.examples) !== null) return 'binary';
    const uniqueShare = column.distinctCount / nonMissing;
    if (uniqueShare > 0.9 && nonMissing > 20)
      return isIdentifierName(column.name) || uniqueShare > 0.98 ? 'identifier' : 'text';
    if (column.distinctCount > 200 && uniqueShare > 0.5) return 'text';
    return 'category';
  }
  // numeric
  if (!stats) return 'ignored';
  // Coordinates place rows on a map; their sums, averages and correlations describe geography, not the data.
  if (
    /^(lat|latitude|lon|lng|long|longitude)$/i.test(nameParts(column.name).label) &&
    stats.min >= -180 &&
    stats.max <= 180
  )
    return 'ignored';
  // A meter that counts up for ever (an odometer) is where each reading stands, not an amount: its sums
  // and averages across vehicles mean nothing, and it rises with time by construction.
  if (/^(odometer|odo|mileage reading|meter reading|cumulative .+)$/i.test(nameParts(column.name).label))
    return 'ignored';
  if (stats.whole && isYearName(column.name) && stats.min >= 1000 && stats.max <= 2200) return 'time';
  // A month or hour number is where in the calendar a row is, not how much of something (a year column
  // takes it in as its month).
  if (stats.whole && calendarPartOf(column.name, stats)) return 'ignored';
  // Unix time (seconds or milliseconds since 1970) in a column named like a time: 2000–2100; spreadsheet
  // serial days only in one named a date (a response_time of 40,000 ms is no date).
  const epoch = stats.whole ? epochUnit(stats) : null;
  if (
    epoch === 'days' || epoch === 'yyyymmdd'
      ? /(^|[^a-z])(date|day)/i.test(column.name)
      : epoch && (isTimeName(column.name) || /^(ts|epoch|unix)/i.test(column.name))
  )
    return 'time';
  if (stats.whole && isPositionName(column.name)) return 'ignored';
  // A whole number named like an id is a code, never a quantity: a category when few (store number 1–12),
  // else an identifier even when it repeats (a county id on every row of its county).
  if (isIdentifierName(column.name) && stats.whole)
    return column.distinctCount <= 50 && column.distinctCount / nonMissing <= 0.5 ? 'category' : 'identifier';
  if (stats.whole && column.distinctCount === nonMissing && nonMissing > 20 && isIdentifierName(column.name))
    return 'identifier';
  // Every row its own number, counted from 0 or 1 (1, 2, 3 … 600): a row number whatever its header says
  // ("passenger", "no"); its sum or average means nothing. (Amounts of 100, 101 … 139 start elsewhere; a
  // run of more than a hundred numbers with none missing and none repeated — bibs 1000 … 3999 — does not.)
  if (
    stats.whole &&
    nonMissing === rowCount &&
    column.distinctCount === nonMissing &&
    nonMissing > 20 &&
    (stats.min === 0 || stats.min === 1 || nonMissing > 100) &&
    stats.max - stats.min + 1 === nonMissing
  )
    return 'identifier';
  if (
    stats.whole &&
    column.distinctCount === 2 &&
    stats.min === 0 &&
    stats.max === 1 &&
    // 0 and 1 under a name that says what happened (delivered_late, defaulted) is a flag too; so is any
    // 0/1 column not named as an amount (a pick's `error`): its average is a rate, never "0.02 errors".
    (isYesNoName(column.name) ||
      isLabelName(column.name) ||
      isHappenedName(column.name) ||
      (!isAdditiveName(column.name) && nonMissing >= 30))
  )
    return 'binary';
  // A year written as a number under another name (a wine's vintage, a car's model year, built 1987)
  // says when, not how much: a category of the rows, never summed or averaged.
  if (
    stats.whole &&
    stats.min >= 1800 &&
    stats.max <= 2100 &&
    column.distinctCount <= 150 &&
    !isAdditiveName(column.name) &&
    !isAveragedName(column.name) &&
    /(^|[\s_-])(vintage|model[\s_-]?year|built|year[\s_-]?built|birth[\s_-]?year|founded|established|release[\s_-]?year)([\s_-]|$)/i.test(
      column.name,
    )
  )
    return 'category';
  // A pack size in its unit (bag_size_g of 250, 500 or 1000; a 55-inch screen) is which product, not an amount
  // (an average bag size moves with what sold, and means nothing of its own); nor is it a breakdown worth a
  // story: the bigger bag costs more, as it must.
  if (
    column.distinctCount <= 8 &&
    /(^|[\s_-])(size|pack|bag|bottle|can|screen)([\s_-]|$)/i.test(column.name) &&
    /[\s_(-](g|kg|ml|cl|l|oz|lb|lbs|in|inch|inches|gb|tb)\)?$/i.test(column.name)
  )
    return 'ignored';
  // The hours a place is open (opening_hours: 9 on weekdays, 6 on Sundays) are its timetable, not an outcome.
  if (/(^|[\s_-])(opening|open|operating|business|trading)[\s_-]?hours?([\s_-]|$)/i.test(column.name)) return 'ignored';
  // A version or release number (3.1, 3.2) names a build, not an amount: its average means nothing.
  if (/(^|[\s_-])(version|ver|release|patch)([\s_-]|$)/i.test(column.name) && column.distinctCount <= 50)
    return 'category';
  // Few whole numbers named as a group or a state are codes: store 1–12, HTTP status 200/404/500. A survey's
  // numbered question is an answer on its scale, whatever it asks about (q05_team_cooperation).
  const question = /^(q|item|question)[\s_-]?\d+/i.test(column.name.trim());
  if (
    stats.whole &&
    column.distinctCount <= 12 &&
    !question &&
    (isGroupCodeName(column.name) || isKindName(column.name))
  )
    return 'category';
  return 'measure';
}

function additiveOf(column: ColumnInfo, stats: NumericStats, rowsAreThings: boolean, rowsAreAnswers = false): boolean {
  // A respondent's answer (what they spent last visit) describes them: summed over a survey it counts who
  // answered, so it is averaged.
  if (rowsAreAnswers) return false;
  // A score on a stated scale (organic_importance_1_5, likelihood_0_10) is averaged, whatever it scores.
  if (/(^|[_\s-])[01][_\s-](4|5|7|10|100)$/.test(column.name)) return false;
  // A percentage in the cells or in the header ("Internet users (% of population)") is a share: averaged.
  if (column.parse.percent || nameParts(column.name).unit === '%') return false;
  // So is one named so (shrink_pct_of_sales, share_of_revenue): of sales, it still never adds up.
  if (isShareName(column.name) && stats.min >= 0 && stats.max <= 100 && !column.parse.currency) return false;
  if (rowsAreThings && isAttributeOfThing(column.name)) return false;
  // A borrower's or a household's income describes the row (a loan, a family): averaged, not a total.
  if (/\b(annual|monthly|household|applicant|borrower|personal|family)[\s_]*inc(ome)?\b/i.test(column.name))
    return false;
  // A budget adds up across line items and years; a film's budget is what that film cost (an attribute).
  // A fish's total length or a tree's total height is the size of one thing, never a sum.
  if (/(^|[^a-z])total[\s_-]*(length|height|width|depth|diameter)([^a-z]|$)/i.test(column.name)) return false;
  if (isPerThingName(column.name)) return false;
  // Skier days, bed nights, patient days: visits counted in days, which add up (not a duration).
  if (
    /(^|[\s_-])(skier|patient|bed|person|visitor|guest|room|user|student|occupied)[\s_-]?(days|nights)$/i.test(
      column.name,
    )
  )
    return true;
  const additive = isAdditiveName(column.name) || (!rowsAreThings && isBudgetName(column.name));
  // Below zero a value is a level or a score, unless its name says it adds up (profit, net income).
  if (stats.min < 0 && !additive) return false;
  // A day's high or low, a minimum or a closing value is a reading at a bound: a level, never summed.
  const averaged = isAveragedName(column.name) || hasBoundWord(column.name);
  if (additive && !averaged) return true;
  // An amount in tonnes or watt-hours adds up whatever it is of (CO2 in Mt, against CO2 in ppm).
  if (averaged && !additive) return isQuantityUnit(nameParts(column.name).unit);
  // Both (CO2 is a concentration's word too): a total's word or a quantity's unit decides ("Emissions
  // (Mt CO2 eq)" add up across sectors; "CO2 emissions (metric tons per capita)" do not).
  if (additive && averaged)
    return /(total|sum|count|amount|revenue|sales)/i.test(column.name) || isQuantityUnit(nameParts(column.name).unit);
  // Points or stars on a narrow scale (a wine's 80–100 points) are a score, never summed; a team's points
  // over its games (0–40 a game) still add up.
  if (/(^|[\s_-])(points|stars)([\s_-]|$)/i.test(column.name) && stats.min > 0 && stats.min >= 0.5 * stats.max)
    return false;
  // Unknown vocabulary: money and whole counts add up; anything else is safer averaged. In a table of
  // named things (one row per car or film) unnamed whole numbers are attributes: horsepower, cylinders.
  // A currency code after the name (actual_usd, amount_eur) says money as plainly as a `$` in the cells.
  const money =
    Boolean(column.parse.currency) ||
    /[_\s](usd|eur|gbp|chf|jpy|cad|aud|inr|cny|sek|nok|dkk)$/i.test(column.name) ||
    // "Booking Value (€)": the header says money as plainly.
    Boolean(nameParts(column.name).currency);
  // An amount in a unit of energy, mass or volume (coal_TWh, tonnes_received, litres_sold) adds up across
  // periods and parts, wherever the unit stands in the name.
  const quantityWord = /(^|[_\s-])(tonnes?|tons?|kwh|mwh|gwh|twh|litres?|liters?|barrels?|gallons?|m3)([_\s-]|$)/i;
  // A count in thousands or millions (letters_posted_k, visitors_000, train_km_mn) is still a count.
  const inThousands = /[_\s](k|000s?|thousands?|mn|mln|millions?|bn|billions?)$/i.test(column.name) && stats.min >= 0;
  // In a table of things, money that barely varies from one thing to the next (a day pass at €40–90 across
  // 320 resorts, spread under a third of its level) is each thing's price, not an amount that adds up:
  // revenue across resorts spreads over orders of magnitude.
  if (money && rowsAreThings && stats.min > 0 && stats.std < 0.3 * stats.mean) return false;
  return (
    money ||
    inThousands ||
    isQuantityUnit(nameParts(column.name).unit) ||
    quantityWord.test(column.name) ||
    (!rowsAreThings && stats.whole && stats.mean > 1)
  );
}

/** Units of an amount that adds up (a mass, an energy, a volume of oil), never a rate ("per capita", "g/L"). */
const isQuantityUnit = (unit: string) =>
  !/\bper\b|\//i.test(unit) && /^(k|m|g)?t\b|^(metric\s+)?(tonnes?|tons?)\b|^[kmgt]wh\b|^barrels?\b/i.test(unit);

const UNIT_SPELLINGS: Record<string, string> = {
  kwh: 'kWh',
  mwh: 'MWh',
  kw: 'kW',
  mw: 'MW',
  w: 'W',
  '°c': '°C',
  '°f': '°F',
  gb: 'GB',
  mb: 'MB',
  kb: 'KB',
  tb: 'TB',
  l: 'L',
};

const unitSpelling = (unit: string | undefined) =>
  unit ? (UNIT_SPELLINGS[unit.toLowerCase()] ?? unit.toLowerCase()) : '';

function numericMeasure(
  column: ColumnInfo,
  stats: NumericStats,
  rowsAreThings: boolean,
  rowsAreAnswers = false,
): Measure {
  const c = quoteIdent(column.name);
  const parts = nameParts(column.name);
  const additive = additiveOf(column, stats, rowsAreThings, rowsAreAnswers);
  const currency = column.parse.currency ?? parts.currency;
  // A unit the header does not name comes from the cells ("12 kg"), in its usual spelling.
  const unit = parts.unit || unitSpelling(column.parse.unit);
  // A share named so (`pct`, `share`) is a percentage: of 1 when every value lies in 0–1, else of 100.
  const share = !currency && isShareName(column.name) && stats.min >= 0 && stats.max <= 100 && !stats.whole;
  const fraction = !column.parse.percent && share && stats.max <= 1;
  const percent = column.parse.percent || parts.unit === '%' || share;
  // A size or a room count describes the stock (houses are larger than condos): context more than news.
  const prior =
    // Gross or turnover in money is what a business took in: as primary as revenue.
    (isPrimaryName(column.name) || (currency && isGrossName(column.name)) ? 1.2 : 1) *
    (isOutcomeName(column.name) ? 1.1 : 1) *
    (isAttributeOfThing(column.name) ? 0.7 : 1) *
    (isDelayName(column.name) || isTimeToName(column.name) ? 1.2 : 1) *
    (isPromiseName(column.name) ? 0.7 : 1);
  // Money named by what was done with it (donated_usd, raised): "amount donated", a noun a sentence can hold.
  const done =
    /^(donated|raised|collected|pledged|invested|refunded|paid|earned|billed|charged|owed|lent|borrowed|disbursed|funded)$/i;
  return {
    id: column.name,
    label: currency && done.test(parts.label) ? `amount ${parts.label}` : parts.label,
    aggregateSql: additive ? `sum(${c})` : `avg(${c})`,
    rowSql: c,
    aggregation: additive ? 'sum' : 'mean',
    format: currency
      ? { kind: 'currency', currency, ...(parts.scale && !column.parse.currency ? { scale: parts.scale } : {}) }
      : percent
        ? { kind: 'percent', percentScale: fraction ? 'fraction' : 'points' }
        : { kind: stats.whole && additive ? 'integer' : 'number', ...(parts.scale ? { scale: parts.scale } : {}) },
    unit: percent ? '%' : unit,
    decimals: Math.min(stats.decimals, 3),
    columns: [column.name],
    prior,
    nonNegative: stats.min >= 0,
    range: { min: stats.min, max: stats.max },
    // Values below zero (anomalies, balances, temperatures) or a temperature-like name: changes in units.
    // A few refunds among 20,000 sales do not make revenue such a scale: 5% of the values at least.
    ...(!percent && (stats.negatives >= 0.05 * stats.n || isIntervalName(column.name) || unit === '°C' || unit === '°F')
      ? { interval: true }
      : {}),
  };
}

const BEFORE_WORDS = ['baseline', 'pre', 'before', 'initial', 'start', 'starting', 'prior', 'old'];
const AFTER_WORDS = ['followup', 'follow', 'up', 'post', 'after', 'final', 'end', 'ending', 'new', 'current'];

/**
 * One quantity measured before and after (baseline_bp and followup_bp, pre_score and post_score): their
 * difference per row is a measure of its own, averaged and told in units ("bp change is -12.1 for Drug A").
 */
function beforeAfterChanges(numeric: Measure[]): Measure[] {
  const split = (measure: Measure) => {
    const tokens = nameParts(measure.id).label.split(/\s+/);
    const lower = tokens.map((token) => token.toLowerCase());
    const before = lower.some((token) => BEFORE_WORDS.includes(token));
    // "up" is only stripped from the stem ("follow up bp"): "follow" already marks the after side.
    const after = lower.some((token) => AFTER_WORDS.includes(token) && token !== 'up');
    const stem = tokens
      .filter((_, i) => !BEFORE_WORDS.includes(lower[i]!) && !AFTER_WORDS.includes(lower[i]!))
      .join(' ');
    return { measure, stem, side: before && !after ? 'before' : after && !before ? 'after' : null };
  };
  const parts = numeric.filter((m) => !m.ratio && !m.longMetric && !m.scale).map(split);
  const changes: Measure[] = [];
  for (const before of parts.filter((part) => part.side === 'before' && part.stem !== '')) {
    const after = parts.find((part) => part.side === 'after' && part.stem === before.stem);
    if (!after) continue;
    changes.push(
      rowDifference(`${before.stem} change`, after.measure, before.measure, [before.measure, after.measure]),
    );
  }
  return changes;
}

/**
 * `minuend − subtrahend` per row as a measure of its own, averaged, a signed difference (an interval scale)
 * in the units of the first of `columns`, the two columns it is made of in the order they are listed.
 */
function rowDifference(label: string, minuend: Measure, subtrahend: Measure, columns: [Measure, Measure]): Measure {
  const rowSql = `(${minuend.rowSql} - ${subtrahend.rowSql})`;
  const [unitsOf] = columns;
  return {
    id: label,
    label,
    aggregateSql: `avg(${rowSql})`,
    rowSql,
    aggregation: 'mean',
    format: unitsOf.format.kind === 'integer' ? { kind: 'number' } : unitsOf.format,
    unit: unitsOf.unit,
    decimals: unitsOf.decimals,
    columns: columns.map((column) => column.id),
    prior: 1.2,
    nonNegative: false,
    interval: true,
    formula: `${minuend.id} - ${subtrahend.id}, per row`,
  };
}

/**
 * One quantity on two sides of each row (home_score and away_score, wage_women and wage_men): their
 * difference per row is a measure of its own, averaged and told in units ("home score − away score").
 */
function pairedSides(numeric: Measure[]): Measure[] {
  const split = (measure: Measure) => {
    const tokens = nameParts(measure.id).label.split(/\s+/);
    const lower = tokens.map((token) => token.toLowerCase());
    return { measure, tokens, lower };
  };
  const parts = numeric.filter((m) => m.columns.length === 1 && !m.ratio && !m.longMetric && !m.scale).map(split);
  const pairs: Measure[] = [];
  for (const [firstSide, secondSide] of sidePairs) {
    for (const first of parts.filter((part) => part.lower.includes(firstSide))) {
      const stem = first.tokens.filter((_, i) => first.lower[i] !== firstSide).join(' ');
      const second = parts.find(
        (part) =>
          part.lower.includes(secondSide) &&
          part.tokens.filter((_, i) => part.lower[i] !== secondSide).join(' ') === stem,
      );
      if (!second || stem === '' || first.measure.aggregation === 'rate') continue;
      pairs.push({
        ...rowDifference(`${firstSide} − ${secondSide} ${stem}`, first.measure, second.measure, [
          first.measure,
          second.measure,
        ]),
        sides: { first: first.measure.id, second: second.measure.id, firstSide, secondSide, stem },
      });
    }
  }
  return pairs;
}

const PLAN_WORDS = ['budget', 'budgeted', 'target', 'plan', 'planned', 'forecast', 'goal', 'quota', 'expected'];
const ACTUAL_WORDS = ['actual', 'actuals', 'achieved', 'realized', 'realised', 'spent', 'attained'];

/** The words of a measure's readable name, lower case ("target units" → target, units). */
const nameWords = (measure: Measure) => nameParts(measure.id).label.toLowerCase().split(/\s+/);
/** A measure's name without the given words: what a plan and its actual share ("units" of target_units). */
const nameStem = (measure: Measure, list: readonly string[]) =>
  nameWords(measure)
    .filter((word) => !list.includes(word))
    .join(' ');

/**
 * A plan and its outcome in the same rows (budget and actual, target and achieved): how far the outcome
 * landed from the plan is what such a table is for. A measure of its own, in percent of the plan and
 * weighted by it, so a group's value is Σ(actual − plan) / Σ plan ("Sales came in 2.3% over budget").
 * Both must add up (money, units) and the plan be above zero.
 */
function planVariances(numeric: Measure[]): Measure[] {
  const summed = numeric.filter((m) => m.aggregation === 'sum' && !m.ratio && !m.longMetric);
  const plans = summed.filter((m) => nameWords(m).some((word) => PLAN_WORDS.includes(word)) && m.nonNegative);
  const actuals = summed.filter((m) => nameWords(m).some((word) => ACTUAL_WORDS.includes(word)));
  const variances: Measure[] = [];
  for (const plan of plans) {
    // "budget" with "actual", "target_units" with "actual_units": the same stem, or one side a bare word.
    const actual = actuals.find(
      (a) =>
        nameStem(a, ACTUAL_WORDS) === nameStem(plan, PLAN_WORDS) ||
        nameStem(a, ACTUAL_WORDS) === '' ||
        nameStem(plan, PLAN_WORDS) === '',
    );
    if (!actual || variances.length >= 1) continue;
    const planWord = nameWords(plan).find((word) => PLAN_WORDS.includes(word))!;
    const actualWord = nameWords(actual).find((word) => ACTUAL_WORDS.includes(word))!;
    const label = `${nameStem(actual, ACTUAL_WORDS) ? `${nameStem(actual, ACTUAL_WORDS)} ` : ''}${actualWord} vs ${planWord}`;
    const rowSql = `((${actual.rowSql} - ${plan.rowSql}) * 100.0 / nullif(${plan.rowSql}, 0))`;
    const measure: Measure = {
      id: label,
      label,
      aggregateSql: '',
      rowSql,
      aggregation: 'mean',
      format: { kind: 'percent', percentScale: 'points' },
      unit: '%',
      decimals: 1,
      columns: [plan.id, actual.id],
      prior: 1.3,
      nonNegative: false,
      interval: true,
      overSpan: true,
      variance: { plan: plan.id, actual: actual.id },
      formula: `(sum(${actual.id}) - sum(${plan.id})) / sum(${plan.id}) * 100`,
    };
    weightBy(measure, plan);
    variances.push(measure);
  }
  return variances;
}

const PROMISE_WORDS = [
  'promised',
  'scheduled',
  'estimated',
  'expected',
  'quoted',
  'planned',
  'committed',
  'target',
  'sla',
];
const OUTCOME_WORDS = ['actual', 'real', 'realized', 'realised', 'taken', 'elapsed'];

/**
 * A promised and an actual duration in the same rows (promised_days and actual_days, scheduled_minutes and
 * actual_minutes): what such a table is watched for is how often the actual ran over the promise, the late
 * rate — a rate of its own that every detector can compare across carriers and follow over time. Only when
 * no yes/no column already says it (delivered_late, on_time).
 */
function lateRates(numeric: Measure[], binaries: Measure[]): Measure[] {
  if (binaries.some((m) => /\b(late|delay(ed)?|on[\s-]?time|overdue)\b/i.test(m.label))) return [];
  const durations = numeric.filter(
    (m) => !m.ratio && !m.longMetric && m.format.kind !== 'currency' && m.format.kind !== 'percent',
  );
  for (const promise of durations.filter((m) => nameWords(m).some((word) => PROMISE_WORDS.includes(word)))) {
    const actual = durations.find(
      (m) =>
        m !== promise &&
        nameWords(m).some((word) => OUTCOME_WORDS.includes(word)) &&
        nameStem(m, OUTCOME_WORDS) === nameStem(promise, PROMISE_WORDS),
    );
    if (!actual) continue;
    // The promise is a term of the service, set by the route or the plan: how it is kept is the news.
    promise.prior *= 0.7;
    const test = `(CASE WHEN ${actual.rowSql} > ${promise.rowSql} THEN 1.0 WHEN ${actual.rowSql} IS NOT NULL AND ${promise.rowSql} IS NOT NULL THEN 0.0 END)`;
    return [
      rowRate(`${promise.id}:late:rate`, 'late rate', test, [...new Set([...promise.columns, ...actual.columns])], 1.3),
    ];
  }
  return [];
}

function binaryMeasure(column: ColumnInfo, positive: string): Measure {
  const c = quoteIdent(column.name);
  const test =
    column.type === 'boolean'
      ? `${c}`
      : column.type === 'text'
        ? `(${c} = '${positive.replaceAll("'", "''")}')`
        : `(${c} = ${Number.isFinite(Number(positive)) ? Number(positive) : 1})`;
  // A decision column is named by what it decided: `decision` = Admitted is the admission rate.
  const named = column.type === 'text' && outcomePairOf(column.examples) !== null && !isOutcomeName(column.name);
  const won = column.type === 'text' && winLetterOf(column.name, column.examples) !== null;
  return {
    id: `${column.name}:rate`,
    label: rateLabel(won ? 'won' : named ? positive : column.name),
    aggregateSql: `avg((CASE WHEN ${test} THEN 1.0 WHEN ${c} IS NOT NULL THEN 0.0 END))`,
    rowSql: `(CASE WHEN ${test} THEN 1.0 WHEN ${c} IS NOT NULL THEN 0.0 END)`,
    aggregation: 'rate',
    format: { kind: 'percent', percentScale: 'fraction' },
    unit: '',
    decimals: 1,
    columns: [column.name],
    prior: isOutcomeName(column.name) ? 1.3 : 1,
    nonNegative: true,
    positiveLabel: `${column.name} = ${positive}`,
  };
}

/**
 * In a column of event kinds or states with 3–6 values, the rarest value is usually the one that matters
 * (purchase among page views and carts; churned among active and paused): its share of rows becomes a
 * rate ("purchase rate") that every detector can follow over time and compare across segments.
 */
async function eventKindRates(
  connection: DuckDBConnection,
  table: string,
  categories: ColumnInfo[],
): Promise<Measure[]> {
  const measures: Measure[] = [];
  for (const column of categories) {
    const coded = column.type === 'integer';
    if (
      !(column.type === 'text' || coded) ||
      column.distinctCount < 3 ||
      column.distinctCount > 6 ||
      !isEventKindName(column.name)
    )
      continue;
    const c = quoteIdent(column.name);
    const rows = await queryRows(
      connection,
      `SELECT ${c} AS member, count(*) / sum(count(*)) OVER () AS share FROM ${table} WHERE ${c} IS NOT NULL
       GROUP BY 1 ORDER BY share, member`,
    );
    // The rarest kind, and a failure among the others (crashes beside purchases): each its own rate.
    const kept = rows.filter((row, i) => {
      const share = Number(row.share ?? 0);
      return share >= 0.005 && share <= 0.3 && (i === 0 || FAILURE_KIND.test(String(row.member)));
    });
    const lifecycle = isLifecycleStatus(rows.map((row) => String(row.member)));
    for (const row of kept)
      measures.push({ ...eventKindRate(column, String(row.member), coded), ...(lifecycle ? { censored: true } : {}) });
  }
  return measures;
}

/**
 * An HTTP status column of a request log: its server errors (5xx) as a rate of the requests, the figure an
 * operator watches (an incident is that rate jumping for a few hours), where a dozen codes one by one hide it.
 */
async function serverErrorRates(connection: DuckDBConnection, table: string, categories: ColumnInfo[]) {
  const measures: Measure[] = [];
  for (const column of categories) {
    if (column.type !== 'integer' || !/(^|[_\s])(http[_\s]?)?status([_\s]?code)?$/i.test(column.name)) continue;
    const c = quoteIdent(column.name);
    const row = await queryOne(
      connection,
      `SELECT min(${c}) AS lo, max(${c}) AS hi, avg(CASE WHEN ${c} >= 500 THEN 1.0 ELSE 0.0 END) AS share
       FROM ${table} WHERE ${c} IS NOT NULL`,
    );
    const share = Number(row.share ?? 0);
    if (Number(row.lo) < 100 || Number(row.hi) > 599 || share < 0.001 || share > 0.5) continue;
    const test = `(CASE WHEN ${c} >= 500 THEN 1.0 WHEN ${c} IS NOT NULL THEN 0.0 END)`;
    measures.push({
      ...binaryMeasure(column, '500'),
      id: `${column.name}:5xx:rate`,
      label: 'server error rate',
      aggregateSql: `avg(${test})`,
      rowSql: test,
      positiveLabel: undefined,
      prior: 1.2,
    });
  }
  return measures;
}

/** Kinds of event that are something going wrong. */
const FAILURE_KIND =
  /(^|[^a-z])(crash|crashed|error|errors|fail|failed|failure|exception|timeout|abandon|abandoned|bounce|refund|refunded|cancel|cancelled|canceled|complaint|reject|rejected|declined|chargeback|unfulfilled|unavailable|expired|missed|denied|no[_\s-]?(driver|drivers|show|answer|stock|courier|capacity))([^a-z]|$)/i;

/** The share of rows of one kind of event, as a rate ("purchase rate", "share of status 500"). */
function eventKindRate(column: ColumnInfo, member: string, coded: boolean): Measure {
  const measure = binaryMeasure(column, member);
  // A code is named with its column: "share of status 500", not "share of 500"; so is a letter code
  // ("share of incumbent challenger status I", not "share of i").
  const name =
    coded || member.trim().length <= 2
      ? `${nameParts(column.name).label} ${member}`
      : member.replace(/[_-]+/g, ' ').toLowerCase();
  return {
    ...measure,
    id: `${column.name}:${member}:rate`,
    // "purchase rate" among events; elsewhere "share of death" (a "death rate" would misread a table of deaths).
    label: /event|action|activity/i.test(column.name) ? `${name} rate` : `share of ${name}`,
    prior: 1.2,
  };
}

/**
 * An error or fault code filled in only when something went wrong (blank for every clean cycle): the share
 * of rows that carry one is the error rate every breakdown and period can be compared on.
 */
function codeRates(reading: CsvReading): Measure[] {
  return reading.columns.flatMap((column) => {
    const word = errorCodeWord(column.name);
    const blank = column.nullCount / Math.max(1, reading.rowCount);
    if (!word || column.index < 0 || blank < 0.5 || blank > 0.995) return [];
    const row = `(CASE WHEN ${quoteIdent(column.name)} IS NOT NULL THEN 1.0 ELSE 0.0 END)`;
    return [
      rowRate(
        `${column.name}:present:rate`,
        `${word} rate`,
        row,
        [column.name],
        1.3,
        `share of rows with a ${nameParts(column.name).label}`,
      ),
    ];
  });
}

/** A yes/no of each row (1.0, 0.0, or NULL where it cannot be said) as a rate: its share of the rows. */
function rowRate(id: string, label: string, test: string, columns: string[], prior: number, formula?: string): Measure {
  return {
    id,
    label,
    aggregateSql: `avg(${test})`,
    rowSql: test,
    aggregation: 'rate',
    format: { kind: 'percent', percentScale: 'fraction' },
    unit: '',
    decimals: 1,
    columns,
    prior,
    nonNegative: true,
    ...(formula ? { formula } : {}),
  };
}

/** Things that go wrong and are counted per thing (claims on a policy, defects on a unit). */
const MISHAP_NOUNS = new Set([
  'claim',
  'complaint',
  'defect',
  'incident',
  'accident',
  'fault',
  'failure',
  'error',
  'readmission',
  'fall',
  'injury',
  'violation',
  'breach',
  'chargeback',
  'dispute',
  'return',
  'default',
]);
/** The mishap a count column counts (`claims_count`, `n_defects`, `complaints`), or null. */
function mishapNounOf(name: string): string | null {
  const words = tokensOf(name).filter(
    (word) => !['count', 'counts', 'number', 'num', 'nb', 'n', 'no', 'of', 'total'].includes(word),
  );
  const noun = words.length === 1 ? singularOf(words[0]!) : null;
  return noun && MISHAP_NOUNS.has(noun) ? noun : null;
}

/**
 * A count of mishaps per thing that most things have none of (claims on a policy, defects on a unit): the
 * share of things with at least one is what an underwriter reads first — 22% of young drivers claimed,
 * against 9% — where the total of claims mostly says how many policies each group holds.
 */
async function anyMishapRates(
  connection: DuckDBConnection,
  table: string,
  measures: readonly Measure[],
  stats: Map<string, NumericStats>,
  rowsLabel: string,
): Promise<Measure[]> {
  const found: Measure[] = [];
  for (const m of measures) {
    if (m.aggregation !== 'sum' || m.ratio || m.columns.length !== 1 || m.format.kind === 'currency') continue;
    const column = m.columns[0]!;
    const range = stats.get(column);
    const noun = mishapNounOf(column);
    if (!noun || !range?.whole || range.min < 0 || range.max > 100) continue;
    const row = await queryOne(
      connection,
      `SELECT count(*) FILTER (WHERE ${m.rowSql} = 0) AS zero, count(${m.rowSql}) AS n FROM ${table}`,
    );
    const none = Number(row.zero) / Math.max(1, Number(row.n));
    if (none < 0.4 || none > 0.98) continue;
    const test = `(CASE WHEN ${m.rowSql} > 0 THEN 1.0 WHEN ${m.rowSql} IS NOT NULL THEN 0.0 END)`;
    found.push(
      rowRate(
        `${column}:any:rate`,
        `share of ${rowsLabel} with a ${noun}`,
        test,
        [column],
        1.2,
        `share of rows where ${column} is above 0`,
      ),
    );
  }
  return found.slice(0, 2);
}

/** hh:mm:ss or mm:ss, hours up to three digits. */
const ELAPSED = /^\s*\d{1,3}:[0-5]\d(:[0-5]\d(\.\d+)?)?\s*$/;
const ELAPSED_SQL = '^\\d{1,3}:[0-5]\\d(:[0-5]\\d(\\.\\d+)?)?$';

/**
 * A text column of elapsed times (04:20:21, 12:05) as minutes, averaged. A clock beside a date is a time
 * of day, unless its hours run past 23; two parts are minutes and seconds only when the first runs past
 * 23 or the name says a length (pace, lap, split, call), since 1:30 could as well be an hour and a half.
 */
async function elapsedTimeMeasure(
  connection: DuckDBConnection,
  table: string,
  column: ColumnInfo,
  hasDates: boolean,
): Promise<Measure | null> {
  if (column.type !== 'text' || column.examples.length === 0 || !column.examples.every((e) => ELAPSED.test(e)))
    return null;
  const c = quoteIdent(column.name);
  const parts = `string_split(trim(${c}), ':')`;
  const shape = await queryOne(
    connection,
    `SELECT count(*) FILTER (WHERE NOT regexp_matches(trim(${c}), '${ELAPSED_SQL}')) AS bad,
            max(len(${parts})) AS most, min(len(${parts})) AS least, max(CAST(${parts}[1] AS INTEGER)) AS first
     FROM ${table} WHERE ${c} IS NOT NULL`,
  );
  if (Number(shape.bad) > 0 || Number(shape.most) !== Number(shape.least)) return null;
  const three = Number(shape.most) === 3;
  const first = Number(shape.first);
  if (first <= 23 && hasDates) return null;
  if (!three && first <= 23 && !/(pace|lap|split|length|duration|call|song|track)/i.test(column.name)) return null;
  const part = (i: number) => `CAST(${parts}[${i}] AS DOUBLE)`;
  const rowSql = three ? `(${part(1)} * 60 + ${part(2)} + ${part(3)} / 60)` : `(${part(1)} + ${part(2)} / 60)`;
  const range = await queryOne(connection, `SELECT min(${rowSql}) AS lo, max(${rowSql}) AS hi FROM ${table}`);
  return {
    id: column.name,
    label: nameParts(column.name).label,
    aggregateSql: `avg(${rowSql})`,
    rowSql,
    aggregation: 'mean',
    format: { kind: 'number' },
    unit: 'min',
    decimals: 1,
    columns: [column.name],
    prior: 1,
    nonNegative: true,
    range: { min: Number(range.lo), max: Number(range.hi) },
    formula: `${column.name} read as ${three ? 'hours:minutes:seconds' : 'minutes:seconds'}, in minutes`,
  };
}

/** A text column of answers on one rating scale, as the mean score (1 = the scale's lowest step). */
async function ratingScore(connection: DuckDBConnection, table: string, column: ColumnInfo): Promise<Measure | null> {
  if (column.distinctCount > 12) return null;
  const c = quoteIdent(column.name);
  const rows = await queryRows(
    connection,
    `SELECT DISTINCT CAST(${c} AS VARCHAR) AS v FROM ${table} WHERE ${c} IS NOT NULL`,
  );
  const scale = ratingScaleOf(rows.map((row) => String(row.v)));
  if (!scale) return null;
  const steps = scale.flatMap((spellings, i) =>
    spellings.map((spelling) => `WHEN ${quoteLiteral(spelling)} THEN ${i + 1}`),
  );
  const rowSql = `(CASE lower(trim(${c})) ${steps.join(' ')} END)`;
  return {
    id: column.name,
    label: `${nameParts(column.name).label} (score 1–${scale.length})`,
    aggregateSql: `avg(${rowSql})`,
    rowSql,
    aggregation: 'mean',
    format: { kind: 'number' },
    unit: '',
    decimals: 0,
    columns: [column.name],
    prior: 1.1,
    nonNegative: true,
    // Steps of a scale: a difference in points means something, a percentage of a score does not.
    interval: true,
    scale: { steps: scale.length },
  };
}

/** A column that names each row's unit of measure (`unit`, `uom`, `unit_of_measure`). */
const isUnitColumnName = (name: string) =>
  /^(units?|uom|unit[\s_-]*of[\s_-]*measure(ment)?|measure[\s_-]*unit)$/i.test(name.trim());

/** The category that names each row's quantity: named so (`metric`, `kpi`…), with 2–12 values. */
function metricColumnOf(categories: ColumnInfo[]): ColumnInfo | undefined {
  return categories.find(
    (column) =>
      column.type === 'text' &&
      column.distinctCount >= 2 &&
      column.distinctCount <= 12 &&
      isMetricNameColumn(column.name),
  );
}

/**
 * A long table whose unit column changes with one category (a cup of coffee, a loaf, a litre of petrol: the
 * item): that category names what each value measures, a metric of its own — never one "price" averaged
 * across a cinema ticket and a dozen eggs. Each of its 2–12 members has one unit, and there are two units
 * at least.
 */
async function metricByUnit(
  connection: DuckDBConnection,
  table: string,
  categories: ColumnInfo[],
): Promise<ColumnInfo | undefined> {
  const unit = categories.find((column) => isUnitColumnName(column.name) && column.distinctCount >= 2);
  if (!unit) return undefined;
  const candidates = categories.filter(
    (column) => column !== unit && column.type === 'text' && column.distinctCount >= 2 && column.distinctCount <= 12,
  );
  for (const column of candidates.sort((a, b) => a.distinctCount - b.distinctCount)) {
    const row = await queryOne(
      connection,
      `SELECT count(*) FILTER (WHERE n > 1) AS mixed FROM (SELECT ${quoteIdent(column.name)}, count(DISTINCT ${quoteIdent(unit.name)}) AS n
       FROM ${table} WHERE ${quoteIdent(column.name)} IS NOT NULL GROUP BY 1)`,
    );
    if (Number(row.mixed) === 0) return column;
  }
  return undefined;
}

/** One measure per metric of a long table: the value column filtered to that metric's rows, named after it. */
async function metricMeasures(
  connection: DuckDBConnection,
  table: string,
  metric: ColumnInfo,
  value: ColumnInfo,
  rowsAreThings: boolean,
  /** A column naming each row's unit ("EUR per household", "%"): one per metric, it types the metric. */
  unitColumn?: ColumnInfo,
): Promise<Measure[]> {
  const m = quoteIdent(metric.name);
  const v = quoteIdent(value.name);
  const u = unitColumn ? quoteIdent(unitColumn.name) : null;
  const rows = await queryRows(
    connection,
    `SELECT CAST(${m} AS VARCHAR) AS member, count(${v}) AS n${u ? `, count(DISTINCT ${u}) AS units, CAST(any_value(${u}) AS VARCHAR) AS unit` : ''}
     FROM ${table} WHERE ${m} IS NOT NULL AND ${v} IS NOT NULL GROUP BY 1 ORDER BY n DESC, member`,
  );
  const unitOf = new Map(
    rows.flatMap((row) =>
      u && Number(row.units) === 1 && row.unit !== null ? [[String(row.member), String(row.unit).trim()]] : [],
    ),
  );
  const members = rows.map((row) => String(row.member));
  const onRows = (name: string) => `(CASE WHEN ${m} = ${quoteLiteral(name)} THEN ${v} END)`;
  const stats = await statsOf(
    connection,
    table,
    members.map((name) => ({ sql: onRows(name) })),
  );
  return members.map((name, i) => {
    // Named, typed and summed or averaged as if the metric were a column of its own.
    const named = numericMeasure({ ...value, name, distinctCount: stats[i]!.distinct }, stats[i]!, rowsAreThings);
    // The value column's own currency (price_eur) is each metric's: "eggs €3.12", not "3.12".
    const own = numericMeasure({ ...value, distinctCount: stats[i]!.distinct }, stats[i]!, rowsAreThings);
    const base =
      own.format.kind === 'currency' && named.format.kind !== 'currency' ? { ...named, format: own.format } : named;
    // Its stated unit decides how it adds up: a cost in "EUR per household" or a "%" is averaged, never summed
    // across counties.
    const unit = unitOf.get(name);
    const typed = unit
      ? numericMeasure(
          { ...value, name: `${name} (${unit})`, distinctCount: stats[i]!.distinct },
          stats[i]!,
          rowsAreThings,
        )
      : base;
    const perThing =
      unit !== undefined && (typed.aggregation === 'mean' || /%|\bper\b|\/|\bindex\b|\brate\b/i.test(unit));
    const rowSql = onRows(name);
    return {
      ...base,
      ...(perThing
        ? {
            aggregation: 'mean' as const,
            ...(typed.format.kind === 'percent' ? { format: typed.format, unit: typed.unit } : {}),
          }
        : {}),
      ...(unit !== undefined ? { metricUnit: unit } : {}),
      id: `${metric.name}=${name}`,
      rowSql,
      aggregateSql: base.aggregation === 'sum' && !perThing ? `sum(${rowSql})` : `avg(${rowSql})`,
      columns: [value.name, metric.name],
      longMetric: name,
    };
  });
}

/** Rates that are a ratio of two counts in the same row (conversions ÷ sessions): ratio of sums, never a mean of ratios. */
async function ratioMeasures(
  connection: DuckDBConnection,
  table: string,
  counts: Measure[],
  /** For a long table: the columns that make one record (date, region…), whose rows are checked together. */
  recordKey: string[] | null = null,
): Promise<Measure[]> {
  const pairs: [Measure, Measure][] = [];
  for (const numerator of counts) {
    for (const denominator of counts) {
      if (numerator === denominator) continue;
      // (Sales staff are people, not sales: a head count over leads is no conversion rate.)
      const named =
        (isRateNumeratorName(numerator.id) &&
          isRateDenominatorName(denominator.id) &&
          !isHeadcountName(numerator.id)) ||
        isMistakeOfWork(numerator.id, denominator.id) ||
        isFateOfCount(numerator.id, denominator.id) ||
        isRepeatOfCount(numerator.id, denominator.id) ||
        mishapOfCount(numerator.id, denominator.id) !== null ||
        isLossOfStock(numerator.id, denominator.id);
      if (!named && !isSubsetCountName(numerator.id, denominator.id) && !isTimedSubsetName(numerator.id)) continue;
      // Money over a count (conversion value per impression) is an amount per thing, never a percentage.
      if (numerator.format.kind === 'currency' || denominator.format.kind === 'currency') continue;
      if (isRateDenominatorName(numerator.id) && isRateNumeratorName(denominator.id) && numerator.id > denominator.id)
        continue;
      pairs.push([numerator, denominator]);
    }
  }
  if (pairs.length === 0) return [];
  // In a long table a record's metrics sit on several rows: the check runs on records, not rows.
  const relation = recordKey
    ? `(SELECT ${counts.map((m, i) => `sum(${m.rowSql}) AS c${i}`).join(', ')} FROM ${table}${recordKey.length > 0 ? ` GROUP BY ${recordKey.join(', ')}` : ''})`
    : table;
  const cell = (m: Measure) => (recordKey ? `c${counts.indexOf(m)}` : m.rowSql);
  const checks = pairs.map(
    ([n, d], i) =>
      `avg(CASE WHEN ${cell(n)} <= ${cell(d)} THEN 1.0 ELSE 0.0 END) FILTER (WHERE ${cell(n)} IS NOT NULL AND ${cell(d)} IS NOT NULL) AS ok${i}, sum(${cell(n)}) / nullif(sum(${cell(d)}), 0) AS ratio${i}`,
  );
  const row = await queryOne(connection, `SELECT ${checks.join(', ')} FROM ${relation}`);
  const measures: Measure[] = [];
  // One rate per numerator, over its most usual base: conversions per click rather than per impression,
  // per session rather than per user.
  const valid = pairs
    .map(([n, d], i) => ({ n, d, share: Number(row[`ok${i}`] ?? 0), ratio: Number(row[`ratio${i}`] ?? 1), i }))
    // (A count that met a bar of time may be most of its base: 82% of parcels collected within 24 hours.)
    .filter(({ n, share, ratio }) => share >= 0.99 && ratio > 0 && ratio < (isTimedSubsetName(n.id) ? 0.99 : 0.5))
    .sort((a, b) => denominatorRank(a.d.id) - denominatorRank(b.d.id) || a.i - b.i);
  const chosen = pairs.filter(([n, d]) => valid.find((v) => v.n === n)?.d === d);
  chosen.forEach(([n, d]) => {
    const timed = isTimedSubsetName(n.id);
    // Bags mishandled of bags handled: the mishandling rate.
    const mishap = mishapOfCount(n.id, d.id);
    const label = timed
      ? `share ${nameParts(n.id).label}`
      : mishap
        ? `${mishap.replace(/ed$/, 'ing')} rate`
        : ratioLabel(n.longMetric ?? n.id, d.longMetric ?? d.id);
    // The parcels collected within a day echo the parcels delivered: their share is the news, not their count.
    if (timed) n.prior *= 0.6;
    measures.push(rateOfSums(n, d, label));
  });
  return measures;
}

/** A rate as the ratio of two columns' sums (conversions ÷ sessions, refund ÷ gross), never a mean of ratios. */
function rateOfSums(numerator: Measure, denominator: Measure, label: string): Measure {
  const ratio = {
    numeratorSql: numerator.rowSql,
    denominatorSql: denominator.rowSql,
    sameRow: !numerator.longMetric && !denominator.longMetric,
    // Money over money (a loss ratio, a cost share): amounts, never successes out of trials.
    ...(numerator.format.kind === 'currency' || denominator.format.kind === 'currency' ? { amounts: true } : {}),
  };
  const [n, d] = pairedRatioSql(ratio);
  return {
    id: `${numerator.id}/${denominator.id}`,
    label,
    aggregateSql: `sum(${n}) / nullif(sum(${d}), 0)`,
    rowSql: numerator.rowSql,
    aggregation: 'rate',
    format: { kind: 'percent', percentScale: 'fraction' },
    unit: '',
    decimals: 1,
    columns: [numerator.id, denominator.id],
    prior: 1.25,
    nonNegative: true,
    ratio,
    formula: `sum(${numerator.id}) / sum(${denominator.id})`,
  };
}

/**
 * A cost beside the revenue it is spent to earn, row by row (a restaurant's food cost and revenue, a
 * workshop's labour cost and sales): the cost as a share of revenue is what its manager runs on — food
 * cost at 29% then 33% is a story both totals hide, since they rise and fall together. Spend (ad money)
 * has its ROAS instead; a budget is no cost.
 */
function costShares(numeric: Measure[]): Measure[] {
  const summed = numeric.filter(
    (m) =>
      m.aggregation === 'sum' && m.nonNegative && !m.ratio && !m.stockPer && !m.longMetric && m.columns.length === 1,
  );
  const revenue = summed.find((m) => isTakingsName(m.id) && !isCostName(m.id));
  if (!revenue) return [];
  const costs = summed.filter((m) => m !== revenue && isCostOfSalesName(m.id)).slice(0, 2);
  const goods = costs.find((m) => isGoodsCostName(m.label));
  return costs.map((cost) => {
    // Operating expenses beside the cost of goods are the rest of the costs, not all of them: an operating
    // margin takes both off (a 73% "margin" that forgot the goods was a sixth of the truth). A total is all.
    if (isAllCostsName(cost.label))
      return marginOf(revenue, goods && goods !== cost && !/^(total|all)\b/i.test(cost.label) ? [goods, cost] : [cost]);
    if (cost === goods) return marginOf(revenue, [cost], 'gross margin');
    return rateOfSums(cost, revenue, `${cost.label} as a share of ${revenue.label}`);
  });
}

/**
 * What an insurer paid on claims for each unit of premium it earned: the loss ratio, sum of claims paid over
 * sum of premium (vans at 123% against 45% for the other vehicles), never an average of each policy's ratio.
 */
function lossRatios(numeric: Measure[]): Measure[] {
  const money = numeric.filter(
    (m) =>
      m.aggregation === 'sum' &&
      m.nonNegative &&
      !m.ratio &&
      !m.longMetric &&
      m.columns.length === 1 &&
      m.format.kind === 'currency',
  );
  const premium = money.find((m) => hasToken(m.id, ['premium', 'premiums']));
  const claims = money.find((m) => m !== premium && hasToken(m.id, ['claim', 'claims', 'losses', 'loss']));
  return premium && claims ? [rateOfSums(claims, premium, 'loss ratio')] : [];
}

/**
 * Profit beside the revenue it was earned on (net income and revenue of listed companies): the margin,
 * sum of profit over sum of revenue — software at 24.8% against retail at 2.2% — which neither total says.
 */
function profitMargins(numeric: Measure[]): Measure[] {
  const money = numeric.filter(
    (m) => m.aggregation === 'sum' && !m.ratio && !m.longMetric && !m.stockPer && m.columns.length === 1,
  );
  const kind = (m: Measure) => {
    const label = nameParts(m.id).label.toLowerCase();
    if (/\b(net (income|profit|earnings)|profit after tax|earnings)\b/.test(label)) return 'net margin';
    if (/\b(operating (income|profit)|ebit)\b/.test(label)) return 'operating margin';
    if (/\bebitda\b/.test(label)) return 'EBITDA margin';
    if (/\bgross profit\b/.test(label)) return 'gross margin';
    if (/\bprofits?\b/.test(label)) return 'profit margin';
    return null;
  };
  const revenue = money.find((m) => kind(m) === null && hasToken(m.id, ['revenue', 'revenues', 'sales', 'turnover']));
  if (!revenue) return [];
  return money
    .flatMap((m) => {
      const label = m === revenue ? null : kind(m);
      return label ? [{ ...rateOfSums(m, revenue, label), nonNegative: false }] : [];
    })
    .slice(0, 2);
}

/** All of a unit's costs (cost, total costs, operating cost, opex), not one line of them (food cost). */
const isAllCostsName = (label: string) => /^((total|operating|all)\s+)?(costs?|expenses?|opex)$/i.test(label.trim());
/** What the goods sold cost (COGS, cost of sales): revenue less it is the gross margin. */
const isGoodsCostName = (label: string) =>
  /^(cogs|cost of (the )?(goods( sold)?|sales|revenue|merchandise))$/i.test(label.trim());

/**
 * What is left of revenue once the costs are paid, as a share of it: (revenue − costs) ÷ revenue, a ratio of
 * sums. A business unit's margin (19.2% against 4.9%) is how its manager reads cost beside revenue.
 */
function marginOf(revenue: Measure, costs: Measure[], named?: string): Measure {
  const rowSql = `(${[revenue, ...costs].map((m) => m.rowSql).join(' - ')})`;
  const left: Measure = {
    ...revenue,
    id: [revenue, ...costs].map((m) => m.id).join('-'),
    rowSql,
    aggregateSql: `sum${rowSql}`,
    nonNegative: false,
  };
  const label = named ?? (costs.some((cost) => /operating|opex/i.test(cost.label)) ? 'operating margin' : 'margin');
  return { ...rateOfSums(left, revenue, label), columns: [...costs.map((m) => m.id), revenue.id], nonNegative: false };
}

/**
 * A survey's items on one rating scale (seven questions answered 1 to 5): the average of the items each
 * respondent answered, an index of them all. Ground Operations lowest on six of seven items is one story,
 * "2.48 against 3.10 across the items", where each item alone tells a sixth of it. Three items at least.
 */
function surveyIndex(numeric: Measure[], reading: CsvReading): Measure | null {
  const integers = new Set(reading.columns.filter((c) => c.type === 'integer').map((c) => c.name));
  const items = numeric.filter(
    (m) =>
      m.aggregation === 'mean' &&
      !m.ratio &&
      m.columns.length === 1 &&
      integers.has(m.columns[0]!) &&
      m.range !== undefined &&
      m.range.min >= 0 &&
      m.range.max >= 4 &&
      m.range.max <= 7,
  );
  // The scale most items share (1–5 beside a 0–10 recommendation question).
  const byTop = new Map<number, Measure[]>();
  for (const item of items) byTop.set(item.range!.max, [...(byTop.get(item.range!.max) ?? []), item]);
  const scale = [...byTop.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  if (scale.length < 3) return null;
  const answered = scale.map((m) => `CASE WHEN ${m.rowSql} IS NULL THEN 0 ELSE 1 END`).join(' + ');
  const total = scale.map((m) => `coalesce(${m.rowSql}, 0)`).join(' + ');
  const rowSql = `((${total}) / nullif(${answered}, 0))`;
  return {
    id: SURVEY_INDEX_ID,
    label: 'average item score',
    computedAs: `the mean of the ${scale.length} rating items each respondent answered`,
    aggregateSql: `avg(${rowSql})`,
    rowSql,
    aggregation: 'mean',
    format: { kind: 'number' },
    unit: '',
    decimals: 2,
    columns: scale.map((m) => m.id),
    prior: 1.1,
    nonNegative: true,
    range: { min: Math.min(...scale.map((m) => m.range!.min)), max: scale[0]!.range!.max },
    formula: `the mean of the ${scale.length} items each respondent answered (${scale.map((m) => m.id).join(', ')})`,
  };
}

/**
 * A fee beside the amount it is charged on, row by row (a card payment's fee and its amount, a marketplace's
 * commission and the order value): the fee as a share of the amount is the price of the service — Commercial
 * cards at 2.7% against Debit at 0.4% — which the fee's total, mostly the amounts' size, hides.
 */
function feeRates(numeric: Measure[]): Measure[] {
  const summed = numeric.filter(
    (m) =>
      m.aggregation === 'sum' &&
      m.nonNegative &&
      m.format.kind === 'currency' &&
      !m.ratio &&
      !m.stockPer &&
      !m.longMetric &&
      m.columns.length === 1,
  );
  const amount = summed.find((m) => isTakingsName(m.id) && !isFeeName(m.id) && !isCostName(m.id));
  if (!amount) return [];
  return summed
    .filter((m) => m !== amount && isFeeName(m.id))
    .slice(0, 1)
    .map((fee) => rateOfSums(fee, amount, `${fee.label} as a share of ${amount.label}`));
}

/**
 * Yes/no columns that every thing of the file holds throughout (each field irrigated or not in every season,
 * each student tutored or not in every subject): the things are the panel's entity, else a category whose
 * members each take several rows (two on average, fifty members at least). At most 1% of the things may hold
 * both values. Named outcomes (churned, defaulted) stay outcomes, whatever they do.
 */
async function attributesOfThings(
  connection: DuckDBConnection,
  relation: string,
  dimensions: Dimension[],
  entity: string | null,
  rowCount: number,
): Promise<Dimension[]> {
  const candidates = dimensions.filter(
    (d) => d.binary && !d.condition && !isOutcomeName(d.name) && !isVerdictName(d.name) && !isMishapName(d.name),
  );
  const things =
    dimensions.find((d) => d.name === entity) ??
    dimensions.find((d) => !d.binary && d.cardinality >= 50 && rowCount / d.cardinality >= 2);
  if (!things || candidates.length === 0) return [];
  const row = await queryOne(
    connection,
    `SELECT count(*) AS things, ${candidates.map((_, i) => `count(*) FILTER (WHERE v${i} > 1) AS both${i}`).join(', ')}
     FROM (SELECT ${candidates.map((d, i) => `count(DISTINCT ${d.sql}) AS v${i}`).join(', ')}
           FROM ${relation} WHERE ${things.sql} IS NOT NULL GROUP BY ${things.sql})`,
  );
  const count = Number(row.things);
  return candidates.filter((_, i) => count >= 20 && Number(row[`both${i}`]) <= 0.01 * count);
}

/**
 * A channel's share of a thing counted both ways (e-loans beside loans): sum(channel) ÷ (sum(channel) +
 * sum(other)), a rate of its own — lending going digital, 7.9% to 32.7% of all loans, is the story the two
 * counts only hint at. The other column counts the rest of the thing, not all of it (else it would be a part).
 */
function channelShares(numeric: Measure[]): Measure[] {
  const counts = numeric.filter(
    (m) => m.aggregation === 'sum' && m.nonNegative && !m.ratio && !m.longMetric && m.columns.length === 1,
  );
  return counts.flatMap((channel) => {
    const other = counts.find((m) => m !== channel && isChannelOf(channel.id, m.id));
    if (!other) return [];
    const both: Measure = {
      ...other,
      id: `${channel.id}+${other.id}`,
      rowSql: `(coalesce(${channel.rowSql}, 0) + coalesce(${other.rowSql}, 0))`,
      aggregateSql: `sum(coalesce(${channel.rowSql}, 0) + coalesce(${other.rowSql}, 0))`,
    };
    // Read from the two columns themselves, not from the sum standing in as the base.
    return [
      { ...rateOfSums(channel, both, `${channel.label} share of all ${other.label}`), columns: [channel.id, other.id] },
    ];
  });
}

/**
 * What is given back of a total made of two parts (gross = refund + net): the refund rate, sum(refund) ÷
 * sum(gross), a rate of its own. Apparel refunding 19% of its gross against 4% elsewhere is the story the
 * three amounts only hint at.
 */
function givenBackRates(numeric: Measure[], sums: { column: string; from: string[] }[]): Measure[] {
  return sums.flatMap((sum) => {
    const total = numeric.find((m) => m.id === sum.column);
    const part = sum.from.length === 2 ? numeric.find((m) => sum.from.includes(m.id) && isGivenBackName(m.id)) : null;
    if (!total || !part || total.aggregation !== 'sum' || part.aggregation !== 'sum') return [];
    return [rateOfSums(part, total, `${nameParts(part.id).label.replace(/s$/, '')} rate`)];
  });
}

/**
 * A column that is a straight line of two others in every row (a beer's ABV from its original and final
 * gravity, about 0.52 × (OG − FG)): computed from them, so never found to go with them. From one query of
 * the pairwise correlations: R² of each column on each pair of others of at least 0.995, each of the two
 * adding to what the other explains alone.
 */
async function linearColumns(connection: DuckDBConnection, table: string, numeric: Measure[]) {
  const columns = numeric.filter((m) => m.columns.length === 1 && !m.ratio && !m.longMetric && m.rowSql);
  if (columns.length < 3 || columns.length > 30) return [];
  const pairs: [number, number][] = [];
  for (let i = 0; i < columns.length; i++) for (let j = i + 1; j < columns.length; j++) pairs.push([i, j]);
  const index = new Map(pairs.map(([i, j], k) => [`${i},${j}`, k]));
  const row = await queryOne(
    connection,
    `SELECT count(*) AS n, ${pairs.map(([i, j], k) => `corr(${columns[i]!.rowSql}, ${columns[j]!.rowSql}) AS r${k}`).join(', ')} FROM ${table}`,
  );
  if (Number(row.n) < 30) return [];
  const r = (i: number, j: number) => Number(row[`r${index.get(`${Math.min(i, j)},${Math.max(i, j)}`)}`]);
  const fits = (r1: number, r2: number, r12: number) => {
    if (![r1, r2, r12].every(Number.isFinite) || Math.abs(r12) > 0.98) return false;
    const fit = (r1 * r1 + r2 * r2 - 2 * r1 * r2 * r12) / (1 - r12 * r12);
    return fit >= 0.995 && fit - Math.max(r1 * r1, r2 * r2) >= 0.02;
  };
  const found: { column: string; from: string[] }[] = [];
  for (let y = 0; y < columns.length; y++)
    for (const [i, j] of pairs) {
      if (i === y || j === y || !fits(r(y, i), r(y, j), r(i, j))) continue;
      // Correlations of pairs over different rows (blanks) can fit where no row does: checked again over
      // the rows that have all three.
      const [a, b, c] = [columns[y]!, columns[i]!, columns[j]!];
      const check = await queryOne(
        connection,
        `SELECT count(*) AS n, corr(${a.rowSql}, ${b.rowSql}) AS r1, corr(${a.rowSql}, ${c.rowSql}) AS r2,
                corr(${b.rowSql}, ${c.rowSql}) AS r12
         FROM ${table} WHERE ${a.rowSql} IS NOT NULL AND ${b.rowSql} IS NOT NULL AND ${c.rowSql} IS NOT NULL`,
      );
      if (Number(check.n) >= 30 && fits(Number(check.r1), Number(check.r2), Number(check.r12)))
        found.push(namedRatioFirst({ column: a.id, from: [b.id, c.id] }));
    }
  return found;
}

/** Columns computed from others in every row (revenue = units × price): their correlations are arithmetic, not findings. */
async function derivedColumns(connection: DuckDBConnection, table: string, numeric: Measure[]) {
  const candidates: { column: string; from: string[]; sql: string }[] = [];
  for (const a of numeric) {
    for (const b of numeric) {
      for (const c of numeric) {
        if (a === b || a === c || b.id >= c.id) continue;
        candidates.push({
          column: a.id,
          from: [b.id, c.id],
          sql: `abs(${a.rowSql} - ${b.rowSql} * ${c.rowSql}) <= 0.005 * abs(${a.rowSql}) + 0.01`,
        });
      }
    }
  }
  // An average that is a straight function of a ratio of two totals in its row (attendance rate =
  // 100 × (1 − absences / (days × enrolled))): it goes with them by construction, whatever the constants.
  // |r| ≥ 0.97 leaves room for a third factor that varies a little (a short week's days in session).
  const ratios: { column: string; from: string[]; sql: string }[] = [];
  const totals = numeric.filter((m) => m.aggregation === 'sum');
  for (const a of numeric.filter((m) => m.aggregation === 'mean')) {
    for (const b of totals) {
      for (const c of totals.filter((m) => m !== b)) {
        ratios.push({
          column: a.id,
          from: [b.id, c.id],
          sql: `corr(${a.rowSql}, ${b.rowSql} / nullif(${c.rowSql}, 0))`,
        });
      }
    }
  }
  if (candidates.length + ratios.length === 0 || candidates.length + ratios.length > 300) return [];
  // The same product in another unit (yield_kg = fruit_count × fruit_weight_g / 1000): a / (b × c) is one
  // constant on every row, to within its rounding.
  const scaled = candidates.map(({ column, from }) => {
    const [a, b, c] = [column, ...from].map((id) => numeric.find((m) => m.id === id)!.rowSql);
    const ratio = `${a} / nullif(${b} * ${c}, 0)`;
    return `stddev_pop(${ratio}) / nullif(abs(avg(${ratio})), 0)`;
  });
  const checks = [
    ...candidates.map((cand, i) => `avg(CASE WHEN ${cand.sql} THEN 1.0 ELSE 0.0 END) AS d${i}`),
    ...scaled.map((sql, i) => `${sql} AS k${i}`),
    ...ratios.map((cand, i) => `${cand.sql} AS r${i}`),
  ];
  const row = await queryOne(connection, `SELECT ${checks.join(', ')} FROM ${table}`);
  return [
    ...candidates
      .filter((_, i) => Number(row[`d${i}`] ?? 0) >= 0.99 || Number(row[`k${i}`] ?? 1) <= 0.005)
      .map(namedRatioFirst),
    ...ratios.filter((_, i) => Math.abs(Number(row[`r${i}`] ?? 0)) >= 0.97),
  ].map(({ column, from }) => ({ column, from }));
}

/**
 * Of a = b × c, the factor named after the other two (pm25 = pm10 × `pm25_pm10_ratio`) is the one worked
 * out: the ratio is derived from the two readings, never a reading from the other and the ratio.
 */
function namedRatioFirst({ column, from }: { column: string; from: string[] }): { column: string; from: string[] } {
  const [b, c] = from as [string, string];
  if (namesBoth(b, column, c)) return { column: b, from: [column, c] };
  if (namesBoth(c, column, b)) return { column: c, from: [column, b] };
  return { column, from };
}

/** Rows a sum's parts are first looked for in (then confirmed on every row), and the most parts tried at once. */
const SUM_SAMPLE_ROWS = 200;
const SUM_ALL_SUBSETS_UP_TO = 12;

/**
 * Totals beside their parts in one row (`total` = north + south + east; payrolls: nonfarm = private +
 * government, goods producing = mining + construction + manufacturing): their correlations are arithmetic.
 * Parts are looked for among the columns never above the total in a sample of rows (every subset of up to
 * 12 of them; pairs and triples of more), then confirmed on the whole table (≥ 99% of rows within 0.5%).
 * A total is also derived from its parts' parts (nonfarm from transportation, through its sector).
 */
async function sumColumns(connection: DuckDBConnection, table: string, numeric: Measure[]) {
  const columns = numeric.filter((m) => m.columns.length === 1 && m.nonNegative && !m.longMetric);
  if (columns.length < 3 || columns.length > 40) return [];
  const rows = await queryRows(
    connection,
    `SELECT ${columns.map((m, i) => `${m.rowSql} AS v${i}`).join(', ')} FROM ${table}
     WHERE ${columns.map((m) => `${m.rowSql} IS NOT NULL`).join(' AND ')} ORDER BY rowid LIMIT ${SUM_SAMPLE_ROWS}`,
  );
  if (rows.length < 3) return [];
  const values = rows.map((row) => columns.map((_, i) => Number(row[`v${i}`])));
  const close = (total: number, sum: number) => Math.abs(total - sum) <= 0.005 * Math.abs(total) + 0.01;
  const found: { column: string; from: string[] }[] = [];
  for (const [a, total] of columns.entries()) {
    // Parts are never above the total, and not all zero.
    const parts = columns
      .map((_, b) => b)
      .filter((b) => b !== a && values.every((row) => row[b]! <= row[a]! * 1.005 + 0.01))
      .filter((b) => values.some((row) => row[b]! > 0));
    if (parts.length < 2) continue;
    const subsets: number[][] = [];
    if (parts.length <= SUM_ALL_SUBSETS_UP_TO) {
      for (let mask = 1; mask < 1 << parts.length; mask++) {
        const subset = parts.filter((_, k) => mask & (1 << k));
        if (subset.length >= 2) subsets.push(subset);
      }
    } else {
      for (let i = 0; i < parts.length; i++)
        for (let j = i + 1; j < parts.length; j++) {
          subsets.push([parts[i]!, parts[j]!]);
          for (let k = j + 1; k < parts.length; k++) subsets.push([parts[i]!, parts[j]!, parts[k]!]);
        }
    }
    const fits = subsets.filter((subset) =>
      values.every((row) =>
        close(
          row[a]!,
          subset.reduce((sum, b) => sum + row[b]!, 0),
        ),
      ),
    );
    for (const subset of fits.slice(0, 4)) {
      // A part left blank where it does not apply (no delivery fee on a pick-up) adds nothing.
      const sum = subset.map((b) => `coalesce(${columns[b]!.rowSql}, 0)`).join(' + ');
      const row = await queryOne(
        connection,
        `SELECT avg(CASE WHEN abs(${total.rowSql} - (${sum})) <= 0.005 * abs(${total.rowSql}) + 0.01 THEN 1.0 ELSE 0.0 END) AS share
         FROM ${table} WHERE ${total.rowSql} IS NOT NULL`,
      );
      if (Number(row.share) >= 0.99) found.push({ column: total.id, from: subset.map((b) => columns[b]!.id) });
    }
  }
  // Through the parts' own parts: nonfarm = private + government, private = … + transportation.
  const byColumn = new Map<string, Set<string>>();
  for (const entry of found)
    byColumn.set(entry.column, new Set([...(byColumn.get(entry.column) ?? []), ...entry.from]));
  const closure = [...byColumn].map(([column, from]) => ({ column, from }));
  for (let changed = true; changed; ) {
    changed = false;
    for (const entry of closure)
      for (const other of closure)
        if (entry !== other && entry.from.has(other.column))
          for (const part of other.from)
            if (part !== entry.column && !entry.from.has(part)) {
              entry.from.add(part);
              changed = true;
            }
  }
  return closure.map((entry) => ({ column: entry.column, from: [...entry.from] }));
}

/** Rows at most (share) that time values far from all the others may hold to be set aside as typos. */
const OUTLYING_TIME_SHARE = 0.01;

/**
 * Time values far from all the others: a typed year (2203-03-05 in 2023–2024 orders, 1023 for 2023) or a
 * date in the future of data that otherwise ends in the past (2039 among films released up to 2010). The
 * bulk is the 0.5–99.5% range of the rows, and never holds the first or last row (else one typo among
 * fewer than 200 rows would be its own bulk); a value more than that span beyond it, or after `now` (plus
 * two average steps, so a forecast's next month stays) when the bulk is all past, is outlying. Set aside
 * only when such values hold at most 1% of the rows, or one row: a dataset with many future dates (a
 * forecast) keeps them. Null when there are none to set aside.
 */
async function outlyingTimes(
  connection: DuckDBConnection,
  table: string,
  timestampSql: string,
  now: Date,
  rowCount: number,
): Promise<TimeField['outliers'] | null> {
  // The day, not the second: the same file read twice in a day gives the same bounds (and the same SQL).
  const today = `TIMESTAMP '${now.toISOString().slice(0, 10)}'`;
  const trim = Math.max(0.005, Math.min(0.25, 1.5 / Math.max(rowCount, 1)));
  const row = await queryOne(
    connection,
    `WITH t AS (SELECT ${timestampSql} AS t FROM ${table} WHERE ${timestampSql} IS NOT NULL),
          bulk AS (SELECT quantile_disc(t, ${trim}) AS lo, quantile_disc(t, ${1 - trim}) AS hi, count(*) AS n FROM t),
          bounds AS (
            SELECT lo - greatest(hi - lo, INTERVAL 1 DAY) AS low,
                   CASE WHEN hi <= ${today}
                        THEN least(hi + greatest(hi - lo, INTERVAL 1 DAY),
                                   ${today} + INTERVAL 2 DAY + to_seconds(2 * (epoch(hi) - epoch(lo)) / n))
                        ELSE hi + greatest(hi - lo, INTERVAL 1 DAY) END AS high
            FROM bulk)
     SELECT any_value(low) AS low, any_value(high) AS high, count(*) AS n,
            count(*) FILTER (WHERE t < low OR t > high) AS outside,
            min(t) FILTER (WHERE t < low OR t > high) AS first, max(t) FILTER (WHERE t < low OR t > high) AS last
     FROM t, bounds`,
  );
  const outside = Number(row.outside ?? 0);
  if (outside === 0 || outside > Math.max(1, OUTLYING_TIME_SHARE * Number(row.n ?? 0))) return null;
  // Bounds beyond years 1–9999 (a span pushed past them) stay open on that side.
  const bound = (value: unknown, open: string) => (/^\d{4}-/.test(String(value)) ? String(value) : open);
  return {
    rows: outside,
    first: String(row.first),
    last: String(row.last),
    low: bound(row.low, '0001-01-01T00:00:00'),
    high: bound(row.high, '9999-12-31T23:59:59'),
  };
}

/** Words a column uses for a period not yet complete ("Jan-Jun (provisional)", "YTD", "H1", "preliminary"). */
const PARTIAL_MARK =
  /provisional|preliminary|partial|incomplete|\bytd\b|year[\s-]?to[\s-]?date|\bh1\b|first half|\bjan(uary)?\s*[-–]\s*(mar|jun|sep)|\bq[1-3]\b|estimate|not final/i;

/**
 * A text column that marks the last period, and only it, as not yet complete: every row of the latest time
 * value carries one value the earlier periods never do, and that value says so. Its period is then read as
 * partial, like a month the file covers only in part. Returns the column and the value.
 */
async function lastMarkedPartial(
  connection: DuckDBConnection,
  table: string,
  time: TimeField,
  categories: ColumnInfo[],
): Promise<{ column: string; value: string } | null> {
  const candidates = categories.filter((column) => column.type === 'text' && column.distinctCount <= 6);
  if (candidates.length === 0) return null;
  // One pass over the latest moment's rows for every candidate; the earlier periods only for a marked one.
  const latest = `${time.asTimestampSql} = CAST(${quoteLiteral(time.max)} AS TIMESTAMP)`;
  const row = await queryOne(
    connection,
    `SELECT ${candidates
      .map((column, i) => {
        const c = `CAST(${quoteIdent(column.name)} AS VARCHAR)`;
        return `count(DISTINCT ${c}) AS k${i}, any_value(${c}) AS v${i}`;
      })
      .join(', ')} FROM ${table} WHERE ${latest}`,
  );
  for (const [i, column] of candidates.entries()) {
    const value = row[`v${i}`] === null || row[`v${i}`] === undefined ? '' : String(row[`v${i}`]);
    if (Number(row[`k${i}`]) !== 1 || !PARTIAL_MARK.test(value)) continue;
    const earlier = await queryOne(
      connection,
      `SELECT count(*) AS n FROM ${table}
       WHERE ${time.asTimestampSql} < CAST(${quoteLiteral(time.max)} AS TIMESTAMP)
         AND CAST(${quoteIdent(column.name)} AS VARCHAR) = ${quoteLiteral(value)}`,
    );
    if (Number(earlier.n) === 0) return { column: column.name, value };
  }
  return null;
}

async function timeField(
  connection: DuckDBConnection,
  table: string,
  column: ColumnInfo,
  now: Date,
  rowCount: number,
  /** A numeric time column's range: a year, or Unix time. */
  stats?: { min: number; max: number },
  /** The month or quarter column that goes with a year column. */
  within?: { column: ColumnInfo; part: 'month' | 'quarter' },
  /** The time-of-day column that goes with a date column (`Date, Time`). */
  clock?: ColumnInfo,
  /** Dates of a yearly event (`annualDates`): read by year, whatever their spacing. */
  yearly = false,
): Promise<TimeField> {
  const epoch = column.type === 'date' || column.type === 'datetime' ? null : epochUnit(stats ?? { min: 0, max: 0 });
  const year = `CAST(${quoteIdent(column.name)} AS BIGINT)`;
  const month = within
    ? within.part === 'month'
      ? `CAST(${quoteIdent(within.column.name)} AS BIGINT)`
      : `(CAST(${quoteIdent(within.column.name)} AS BIGINT) - 1) * 3 + 1`
    : null;
  const rawTimestamp =
    clock && column.type === 'date'
      ? clock.type === 'integer'
        ? `CAST(CAST(${quoteIdent(column.name)} AS DATE) AS TIMESTAMP) + to_hours(CAST(${quoteIdent(clock.name)} AS BIGINT))`
        : `CAST(CAST(${quoteIdent(column.name)} AS DATE) + try_cast(trim(${quoteIdent(clock.name)}) AS TIME) AS TIMESTAMP)`
      : yearly
        ? `date_trunc('year', CAST(${quoteIdent(column.name)} AS TIMESTAMP))`
        : column.type === 'date' || column.type === 'datetime'
          ? `CAST(${quoteIdent(column.name)} AS TIMESTAMP)`
          : epoch === 'days'
            ? `CAST(DATE '1899-12-30' + CAST(${year} AS INTEGER) AS TIMESTAMP)`
            : epoch === 'yyyymmdd'
              ? `try_strptime(CAST(${year} AS VARCHAR), '%Y%m%d')`
              : epoch
                ? `make_timestamp(${year} * ${epoch === 'seconds' ? 1_000_000 : 1000})`
                : `make_timestamp(${year}, ${month ?? 1}, 1, 0, 0, 0)`;
  // Year and month (date and time of day) together are the time value (grouped on as one); a yearly
  // event's dates, their year.
  const raw = month || clock || yearly ? rawTimestamp : quoteIdent(column.name);
  const outliers = await outlyingTimes(connection, table, rawTimestamp, now, rowCount);
  // Outlying values read as missing wherever the time column is used (series, moments, rollups).
  const inRange = outliers
    ? `${rawTimestamp} BETWEEN TIMESTAMP '${outliers.low}' AND TIMESTAMP '${outliers.high}'`
    : null;
  const c = inRange ? `(CASE WHEN ${inRange} THEN ${raw} END)` : raw;
  const asTimestampSql = inRange ? `(CASE WHEN ${inRange} THEN ${rawTimestamp} END)` : rawTimestamp;
  const spacing = await queryOne(
    connection,
    `WITH t AS (SELECT DISTINCT ${asTimestampSql} AS t FROM ${table} WHERE ${c} IS NOT NULL),
          gaps AS (SELECT t, epoch(t) - epoch(lag(t) OVER (ORDER BY t)) AS gap FROM t),
          typical AS (SELECT median(gap) AS gap FROM gaps)
     SELECT min(t) AS lo, max(t) AS hi, count(*) AS n, any_value(typical.gap) AS gap,
            bool_or(hour(t) <> 0 OR minute(t) <> 0) AS tod,
            avg(CASE WHEN abs(gaps.gap - typical.gap) <= 0.12 * typical.gap THEN 1.0 ELSE 0.0 END)
              FILTER (WHERE gaps.gap IS NOT NULL) AS regular
     FROM gaps, typical`,
  );
  const granularity = yearly ? 'year' : detectGranularity(Number(spacing.gap ?? 86400));
  const regular = Number(spacing.regular ?? 1) >= 0.6;
  const dayEnds = !regular && finer(granularity, 'day') ? await dayEndShares(connection, table, asTimestampSql) : null;
  return {
    name: column.name,
    sql: c,
    label: nameParts(column.name).label,
    granularity,
    asTimestampSql,
    min: String(spacing.lo),
    max: String(spacing.hi),
    distinct: Number(spacing.n ?? 0),
    hasTimeOfDay: Boolean(spacing.tod),
    // Most steps the same length (months of 28–31 days included): a series, not a log of events.
    regular,
    ...(outliers ? { outliers } : {}),
    ...(dayEnds ? { dayEnds } : {}),
    ...(epoch ? { numeric: { epoch } } : {}),
    ...(within ? { numeric: { [within.part]: within.column.name } } : {}),
    ...(clock ? { clock: clock.name } : {}),
    ...yearSpelling(column, granularity),
    ...(isEntityStartName(column.name) || isFoundingYearName(column.name) ? { entityStart: true } : {}),
  };
}

/**
 * In a log of events at any time of day, how much of a whole day the file's first and last days hold: the
 * share of the events of the days in between that fall after the first row's time of day (before the last
 * row's). Null with fewer than three days.
 */
async function dayEndShares(
  connection: DuckDBConnection,
  table: string,
  timestampSql: string,
): Promise<{ first: number; last: number } | null> {
  const row = await queryOne(
    connection,
    `WITH t AS (SELECT ${timestampSql} AS t FROM ${table} WHERE ${timestampSql} IS NOT NULL),
          ends AS (SELECT min(t) AS lo, max(t) AS hi FROM t)
     SELECT avg(CASE WHEN CAST(t AS TIME) >= CAST(lo AS TIME) THEN 1.0 ELSE 0.0 END) AS first,
            avg(CASE WHEN CAST(t AS TIME) <= CAST(hi AS TIME) THEN 1.0 ELSE 0.0 END) AS last
     FROM t, ends WHERE CAST(t AS DATE) > CAST(lo AS DATE) AND CAST(t AS DATE) < CAST(hi AS DATE)`,
  );
  const [first, last] = [Number(row.first), Number(row.last)];
  return Number.isFinite(first) && Number.isFinite(last) ? { first, last } : null;
}

/** A yearly axis read from fiscal or split years (`FY2024`, `2023/24`): how the file spells them. */
function yearSpelling(column: ColumnInfo, granularity: Granularity): { yearSpelling?: string } {
  const format = column.parse.dateFormats?.[0];
  return granularity === 'year' && format && isYearPeriodFormat(format) ? { yearSpelling: format } : {};
}

/**
 * Of several date columns (a booking date and an arrival date), the time axis is the one whose rows fill
 * its span: how much of it the middle 95% of rows cover. A booking date stretches back a year for a few
 * early bookings, so its first months hold a handful of rows (a "0% cancel rate" on one booking) and a
 * lead time falls "96%" along it by construction. Kept in the given order unless one fills its span by
 * 0.2 more than the first.
 */
async function evenestFirst(connection: DuckDBConnection, table: string, columns: ColumnInfo[]): Promise<ColumnInfo[]> {
  const dates = columns.filter(
    (column) => column.type === columns[0]?.type && (column.type === 'date' || column.type === 'datetime'),
  );
  if (dates.length < 2) return columns;
  const candidates = dates.slice(0, 3);
  const spread = (c: string) =>
    `(quantile_cont(epoch(${c}), 0.975) - quantile_cont(epoch(${c}), 0.025)) / nullif(max(epoch(${c})) - min(epoch(${c})), 0)`;
  const row = await queryOne(
    connection,
    `SELECT ${candidates.map((column, i) => `${spread(quoteIdent(column.name))} AS s${i}`).join(', ')} FROM ${table}`,
  );
  const fill = candidates.map((_, i) => Number(row[`s${i}`] ?? 0));
  const best = fill.indexOf(Math.max(...fill));
  if (best <= 0 || fill[best]! < fill[0]! + 0.2) return columns;
  const chosen = candidates[best]!;
  return [chosen, ...columns.filter((column) => column !== chosen)];
}

/**
 * A date that falls in the same few months of every year (a harvest in September, a graduation in June) is
 * when a yearly event happened, not a calendar its rows fill: by the dates, September against August would
 * read as a season and the third quarter against the fourth as a jump. With a year column beside it, the
 * year is the axis; else the date is read by year (`yearly`). Four calendar months side by side at most,
 * over three years or more.
 */
async function annualDates(
  connection: DuckDBConnection,
  table: string,
  columns: ColumnInfo[],
): Promise<{ columns: ColumnInfo[]; yearly: boolean }> {
  const first = columns[0];
  if (!first || (first.type !== 'date' && first.type !== 'datetime')) return { columns, yearly: false };
  const row = await queryOne(
    connection,
    `SELECT count(DISTINCT month(${quoteIdent(first.name)})) AS months, count(DISTINCT year(${quoteIdent(first.name)})) AS years,
            max(month(${quoteIdent(first.name)})) - min(month(${quoteIdent(first.name)})) AS spread,
            max((month(${quoteIdent(first.name)}) + 5) % 12) - min((month(${quoteIdent(first.name)}) + 5) % 12) AS wrapped
     FROM ${table}`,
  );
  // Months side by side (August to October, or November to February): quarters' first months are no season.
  const together = Math.min(Number(row.spread), Number(row.wrapped)) <= 3;
  if (Number(row.months) > 4 || Number(row.years) < 3 || !together) return { columns, yearly: false };
  const year = columns.find((column) => column.type === 'integer' && isYearName(column.name));
  if (!year) return { columns, yearly: true };
  return { columns: [year, ...columns.filter((column) => column !== year)], yearly: false };
}

/**
 * A breakdown that is the year of the time axis (a vintage beside its harvest dates, an order year beside
 * the order date): the axis read again as members, so "by vintage" would be the calendar's story twice.
 */
async function yearsOfTime(
  connection: DuckDBConnection,
  table: string,
  dimensions: Dimension[],
  time: TimeField,
): Promise<Dimension[]> {
  const candidates = dimensions.filter((d) => d.cardinality >= 3 && d.members.every((m) => /^\d{4}$/.test(m)));
  if (candidates.length === 0) return [];
  const row = await queryOne(
    connection,
    `SELECT count(*) AS n, ${candidates.map((d, i) => `count(*) FILTER (WHERE CAST(${d.sql} AS VARCHAR) = CAST(year(${time.asTimestampSql}) AS VARCHAR)) AS same${i}`).join(', ')}
     FROM ${table} WHERE ${time.asTimestampSql} IS NOT NULL`,
  );
  return candidates.filter((_d, i) => Number(row[`same${i}`]) >= 0.99 * Number(row.n));
}

/**
 * A row's process is dated by when it started: deliveries by the day they were shipped, not by the day they
 * arrived (whose tail runs past the last shipment and looks like days without deliveries), tickets by when
 * they were opened. When the chosen column is named as an end (delivered, closed, resolved) and another date
 * column of the same kind is on or before every other in ≥ 95% of the rows that have both, that one leads.
 * Never a start of the entity itself (a customer's sign-up date) or a birth date.
 */
async function startFirst(connection: DuckDBConnection, table: string, columns: ColumnInfo[]): Promise<ColumnInfo[]> {
  const first = columns[0];
  if (!first || (first.type !== 'date' && first.type !== 'datetime') || !END_WORDS.test(first.name)) return columns;
  const dates = columns
    .filter(
      (column) => column.type === first.type && !isEntityStartName(column.name) && !/birth|dob/i.test(column.name),
    )
    .slice(0, 4);
  if (dates.length < 2) return columns;
  const pairs = dates.flatMap((a, i) => dates.flatMap((b, j) => (i === j ? [] : [[i, j] as const])));
  const row = await queryOne(
    connection,
    `SELECT ${pairs
      .map(([i, j]) => {
        const [a, b] = [quoteIdent(dates[i]!.name), quoteIdent(dates[j]!.name)];
        return `avg(CASE WHEN ${a} <= ${b} THEN 1.0 ELSE 0.0 END) FILTER (WHERE ${a} IS NOT NULL AND ${b} IS NOT NULL) AS p${i}_${j}`;
      })
      .join(', ')} FROM ${table}`,
  );
  const start = dates.find(
    (column, i) => column !== first && dates.every((_, j) => i === j || Number(row[`p${i}_${j}`] ?? 0) >= 0.95),
  );
  if (!start) return columns;
  // Booked months ahead, the end is the event itself (a hotel stay, a flight): its date is the axis, and the
  // booking date only says how far ahead people book. A process that takes days (shipped → delivered) is
  // dated by its start.
  const lag = await queryOne(
    connection,
    `SELECT median(date_diff('day', CAST(${quoteIdent(start.name)} AS DATE), CAST(${quoteIdent(first.name)} AS DATE))) AS days
     FROM ${table} WHERE ${quoteIdent(start.name)} IS NOT NULL AND ${quoteIdent(first.name)} IS NOT NULL`,
  );
  if (Number(lag.days ?? 0) > SCHEDULED_AHEAD_DAYS && SCHEDULED_WORDS.test(first.name)) return columns;
  return [start, ...columns.filter((column) => column !== start)];
}

/** A typical lead of more than this many days from a start to an end date makes the end a scheduled event. */
const SCHEDULED_AHEAD_DAYS = 3;
/** Dates of an event booked ahead: a stay, a trip, a visit. */
const SCHEDULED_WORDS =
  /(^|[^a-z])(arrival|arrive|arrived|arriving|check[\s_-]?in|checkin|stay|departure|depart|departing|travel|flight|trip|event|appointment|visit|show|performance|reservation|reserved)([^a-z]|$)/i;

/**
 * The date of an event booked ahead leads (bookings by arrival, tickets by show date) when the other date
 * column, first in line, is when it was booked: on or before it in ≥ 95% of the rows and typically more than
 * three weeks ahead. Demand is told by when people come, not by when they decided to.
 */
async function eventFirst(connection: DuckDBConnection, table: string, columns: ColumnInfo[]): Promise<ColumnInfo[]> {
  const first = columns[0];
  if (!first || (first.type !== 'date' && first.type !== 'datetime') || SCHEDULED_WORDS.test(first.name))
    return columns;
  const event = columns.find(
    (column) =>
      column !== first && (column.type === 'date' || column.type === 'datetime') && SCHEDULED_WORDS.test(column.name),
  );
  if (!event) return columns;
  const [a, b] = [quoteIdent(first.name), quoteIdent(event.name)];
  const both = `${a} IS NOT NULL AND ${b} IS NOT NULL`;
  const row = await queryOne(
    connection,
    `SELECT avg(CASE WHEN CAST(${a} AS DATE) <= CAST(${b} AS DATE) THEN 1.0 ELSE 0.0 END) FILTER (WHERE ${both}) AS before,
            median(date_diff('day', CAST(${a} AS DATE), CAST(${b} AS DATE))) FILTER (WHERE ${both}) AS days
     FROM ${table}`,
  );
  if (Number(row.before ?? 0) < 0.95 || !(Number(row.days ?? 0) > SCHEDULED_AHEAD_DAYS)) return columns;
  return [event, ...columns.filter((column) => column !== event)];
}

/**
 * A log whose rows are returns, claims or complaints (`return_id`) is dated by when each happened
 * (`return_date`), not by the order it undoes: January's returns of Christmas orders are January's.
 */
function ownEventFirst(all: readonly ColumnInfo[], columns: ColumnInfo[]): ColumnInfo[] {
  const noun = all
    .map(
      (column) =>
        /^(return|refund|claim|complaint|cancellation|repair|incident)s?[\s_-]?(id|no|number|ref)$/i.exec(
          column.name,
        )?.[1],
    )
    .find(Boolean);
  if (!noun) return columns;
  const own = columns.find(
    (column) =>
      (column.type === 'date' || column.type === 'datetime') &&
      new RegExp(`^${noun}(ed|s)?[\\s_-]?(date|time|timestamp|at|on)$`, 'i').test(column.name),
  );
  return own && own !== columns[0] ? [own, ...columns.filter((column) => column !== own)] : columns;
}

/** Durations derived from date columns: at most this many per file. */
const MAX_DURATIONS = 2;
const START_WORDS =
  /(^|[^a-z])(created|opened|open|start|started|begin|order|ordered|booking|booked|signup|submitted|requested|received|admission|admitted|issued|placed|checkin|check[\s_-]?in|pickup)([^a-z]|$)/i;
const END_WORDS =
  /(^|[^a-z])(resolved|closed|close|end|ended|finish|finished|completed|decision|decided|approved|granted|settled|fulfilled|shipped|ship|delivered|delivery|arrival|arrived|discharge|discharged|paid|due|returned|checkout|check[\s_-]?out|dropoff|churned|cancelled|canceled)([^a-z]|$)/i;

/**
 * The time between two date columns of each row (order date → ship date, created → resolved): how long
 * something takes is what an analyst computes first, and neither column says it alone. A pair counts when
 * the later column (in file order) is on or after the earlier one in ≥ 95% of the rows that have both, and
 * the typical gap is above zero; a row where it is not is left out of the measure. In hours when both are
 * timestamps less than two days apart, else in days.
 */
async function durationMeasures(
  connection: DuckDBConnection,
  table: string,
  timeColumns: ColumnInfo[],
): Promise<Measure[]> {
  const dates = timeColumns
    .filter((column) => column.type === 'date' || column.type === 'datetime')
    .slice(0, 4)
    .sort((a, b) => a.index - b.index);
  // Dates side by side in the file; with more than two, one of them named as a start or an end, so that
  // "resolved at" and the next record's "order date" are never taken for one process.
  const pairs = dates
    .slice(1)
    .map((to, i) => ({ from: dates[i]!, to }))
    .filter(({ from, to }) => dates.length === 2 || START_WORDS.test(from.name) || END_WORDS.test(to.name));
  if (pairs.length === 0) return [];
  const seconds = ({ from, to }: { from: ColumnInfo; to: ColumnInfo }) => secondsBetween(from, to);
  const row = await queryOne(
    connection,
    `SELECT ${pairs
      .map(
        (pair, i) =>
          `avg(CASE WHEN ${seconds(pair)} >= 0 THEN 1.0 ELSE 0.0 END) FILTER (WHERE ${seconds(pair)} IS NOT NULL) AS ok${i}, count(${seconds(pair)}) AS n${i}, median(${seconds(pair)}) AS gap${i}`,
      )
      .join(', ')} FROM ${table}`,
  );
  const measures: Measure[] = [];
  pairs.forEach((pair, i) => {
    const gap = Number(row[`gap${i}`] ?? 0);
    if (measures.length >= MAX_DURATIONS || Number(row[`ok${i}`] ?? 0) < 0.95 || Number(row[`n${i}`]) < 10) return;
    if (!(gap > 0)) return;
    const hours = pair.from.type === 'datetime' && pair.to.type === 'datetime' && gap < 2 * 86_400;
    const unit = hours ? 'hours' : 'days';
    const label = `time from ${eventOf(pair.from)} to ${eventOf(pair.to)}`;
    const rowSql = `(CASE WHEN ${seconds(pair)} >= 0 THEN ${seconds(pair)} / ${hours ? 3600 : 86_400} END)`;
    measures.push({
      id: label,
      label,
      aggregateSql: `avg(${rowSql})`,
      rowSql,
      aggregation: 'mean',
      format: { kind: 'number' },
      unit,
      decimals: 1,
      columns: [pair.from.name, pair.to.name],
      prior: 1.1,
      nonNegative: true,
      formula: `${pair.to.name} - ${pair.from.name} in ${unit}, per row (rows where it is negative left out)`,
    });
  });
  const late = await lateness(connection, table, dates);
  return late ? [...measures, late] : measures;
}

/** Seconds from one date column to another, per row (SQL). */
const secondsBetween = (from: ColumnInfo, to: ColumnInfo) =>
  `(epoch(CAST(${quoteIdent(to.name)} AS TIMESTAMP)) - epoch(CAST(${quoteIdent(from.name)} AS TIMESTAMP)))`;

/** "created at" → "created", "Order Date" → "order": the event a date column marks, not the column's kind. */
const eventOf = (column: ColumnInfo) =>
  nameParts(column.name)
    .label.replace(/\s+(at|on|date|time|timestamp|datetime|dt|ts)$/i, '')
    .trim()
    .toLowerCase();

/** A date something was owed by (due, deadline, promised, scheduled). */
const PROMISED_WORDS = /(^|[^a-z])(due|deadline|promised|scheduled|planned|expected|target|committed|sla)([^a-z]|$)/i;
/** The date it actually happened. */
const HAPPENED_WORDS =
  /(^|[^a-z])(paid|payment|settled|delivered|delivery|completed|actual|shipped|arrived|arrival|closed|resolved|done|finished)([^a-z]|$)/i;

/**
 * How late things came against the date they were owed by (payment date against due date): days after it,
 * below zero when early — one signed measure, averaged, where "time from due to payment" would drop every
 * early payment. The first promised date with an actual date after it in the file.
 */
async function lateness(connection: DuckDBConnection, table: string, dates: ColumnInfo[]): Promise<Measure | null> {
  const promised = dates.find((column) => PROMISED_WORDS.test(column.name));
  const actual = dates.find((column) => column.index > (promised?.index ?? 0) && HAPPENED_WORDS.test(column.name));
  if (!promised || !actual) return null;
  const days = `${secondsBetween(promised, actual)} / 86400`;
  const row = await queryOne(connection, `SELECT count(${days}) AS n, stddev_samp(${days}) AS spread FROM ${table}`);
  // Paid on the day it is due, every time, is no measure (a cash sale's two dates).
  if (Number(row.n) < 10 || !(Number(row.spread) > 0)) return null;
  const label = /due|deadline/i.test(promised.name) ? 'days late' : `days after ${eventOf(promised)}`;
  return {
    id: label,
    label,
    aggregateSql: `avg(${days})`,
    rowSql: days,
    aggregation: 'mean',
    format: { kind: 'number' },
    unit: 'days',
    decimals: 1,
    columns: [promised.name, actual.name],
    prior: 1.2,
    nonNegative: false,
    interval: true,
    formula: `${actual.name} - ${promised.name} in days, per row (below zero when early)`,
  };
}

/** Times of day as a spreadsheet writes them beside a date: 14:00, 9:30:15, 2:30 PM. */
const CLOCK = /^\s*([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?\s*$/;

/**
 * A text column of times of day beside a date column (`Date, Time`): the two are one timestamp, so a day's
 * hours are a series and a daily cycle, not 24 categories. Every value must read as a time.
 */
async function clockColumn(
  connection: DuckDBConnection,
  table: string,
  columns: ColumnInfo[],
): Promise<ColumnInfo | undefined> {
  const candidate = columns.find(
    (column) =>
      column.type === 'text' &&
      column.distinctCount >= 2 &&
      column.examples.length > 0 &&
      column.examples.every((example) => CLOCK.test(example)),
  );
  if (!candidate) return undefined;
  const c = quoteIdent(candidate.name);
  const row = await queryOne(
    connection,
    `SELECT count(*) FILTER (WHERE try_cast(trim(${c}) AS TIME) IS NULL) AS bad FROM ${table} WHERE ${c} IS NOT NULL`,
  );
  return Number(row.bad) === 0 ? candidate : undefined;
}

/** Text categories with at most this many values are checked for one value written in several cases. */
const MAX_VALUES_FOR_SPELLINGS = 5000;

async function dimensionOf(
  connection: DuckDBConnection,
  table: string,
  column: ColumnInfo,
  binary: boolean,
): Promise<Dimension> {
  // Whole-number codes read as "4", not "4.0".
  const c = column.type === 'integer' ? `CAST(${quoteIdent(column.name)} AS BIGINT)` : quoteIdent(column.name);
  const base = {
    name: column.name,
    label: nameParts(column.name).label,
    binary,
    ...(binary && isConditionName(column.name) ? { condition: true } : {}),
    ...(!binary && (column.type === 'integer' || column.type === 'number') ? { coded: true } : {}),
  };
  if (column.type === 'text' && column.distinctCount <= MAX_VALUES_FOR_SPELLINGS) {
    return { ...base, ...(await withOneSpelling(connection, table, c, column.distinctCount)) };
  }
  // A yes/no column's members are the file's own words ("OverTime = Yes"), not DuckDB's true and false.
  const sql =
    column.type === 'boolean'
      ? `(CASE WHEN ${c} THEN ${quoteLiteral(column.parse.trueValues?.[0] ?? 'true')} WHEN NOT ${c} THEN ${quoteLiteral(column.parse.falseValues?.[0] ?? 'false')} END)`
      : `CAST(${c} AS VARCHAR)`;
  const rows = await queryRows(
    connection,
    `SELECT ${sql} AS member, count(*) AS n FROM ${table} WHERE ${c} IS NOT NULL
     GROUP BY 1 ORDER BY n DESC, member LIMIT ${maxMembers}`,
  );
  return {
    ...base,
    sql,
    members: rows.map((row) => String(row.member)),
    cardinality: column.distinctCount,
  };
}

/**
 * An optional attribute left empty on many rows (a discount code on a fifth of the orders or more) is empty
 * because there was none: its empty cells are a member, "no discount code", never rows left out.
 */
async function withEmptyMember(
  connection: DuckDBConnection,
  table: string,
  dimension: Dimension,
  column: ColumnInfo,
  rowCount: number,
): Promise<Dimension> {
  if (dimension.binary || column.type !== 'text' || column.nullCount < 0.2 * rowCount) return dimension;
  if (!isOptionalAttributeName(column.name)) return dimension;
  const none = `no ${dimension.label}`;
  const sql = `coalesce(${dimension.sql}, ${quoteLiteral(none)})`;
  const rows = await queryRows(
    connection,
    `SELECT ${sql} AS member, count(*) AS n FROM ${table} GROUP BY 1 ORDER BY n DESC, member LIMIT ${maxMembers}`,
  );
  return {
    ...dimension,
    sql,
    members: rows.map((row) => String(row.member)),
    cardinality: dimension.cardinality + 1,
    emptyAs: none,
  };
}

/**
 * The members of a text category, one member per value written in several ways ("West", "west", "WEST"):
 * every spelling reads as the most frequent one (ties: the first in sort order).
 */
async function withOneSpelling(
  connection: DuckDBConnection,
  table: string,
  c: string,
  distinct: number,
): Promise<Pick<Dimension, 'sql' | 'members' | 'cardinality' | 'respelled'>> {
  // "Walk-in", "walk in" and "WALK_IN " are one member: case, separators and edge spaces aside.
  const keySql = `regexp_replace(lower(trim(CAST(${c} AS VARCHAR))), '[\\s_-]+', ' ', 'g')`;
  const rows = await queryRows(
    connection,
    `SELECT CAST(${c} AS VARCHAR) AS member, ${keySql} AS k, count(*) AS n FROM ${table}
     WHERE ${c} IS NOT NULL GROUP BY 1 ORDER BY n DESC, member`,
  );
  const byKey = new Map<string, { main: string; n: number; others: string[] }>();
  for (const row of rows) {
    const key = String(row.k);
    const group = byKey.get(key);
    if (group) {
      group.n += Number(row.n);
      group.others.push(String(row.member));
    } else {
      byKey.set(key, { main: String(row.member), n: Number(row.n), others: [] });
    }
  }
  const respelled = [...byKey].filter(([, group]) => group.others.length > 0);
  if (respelled.length === 0) {
    return {
      sql: `CAST(${c} AS VARCHAR)`,
      members: rows.slice(0, maxMembers).map((row) => String(row.member)),
      cardinality: distinct,
    };
  }
  const cases = respelled.map(([key, group]) => `WHEN ${quoteLiteral(key)} THEN ${quoteLiteral(group.main)}`).join(' ');
  const members = [...byKey.values()]
    .sort((a, b) => b.n - a.n || (a.main < b.main ? -1 : a.main > b.main ? 1 : 0))
    .slice(0, maxMembers)
    .map((group) => group.main);
  return {
    sql: `(CASE ${keySql} ${cases} ELSE CAST(${c} AS VARCHAR) END)`,
    members,
    cardinality: distinct - respelled.reduce((sum, [, group]) => sum + group.others.length, 0),
    respelled: respelled.map(([, group]) => ({ member: group.main, spellings: group.others })),
  };
}

/**
 * Categories that name the same things (a species' common name, its code, its id): one to one, so every
 * finding would come three times. The most readable one stays (names with spaces over codes and hex ids).
 */
async function aliasDimensions(
  connection: DuckDBConnection,
  table: string,
  dimensions: Dimension[],
): Promise<Dimension[]> {
  const pairs: [Dimension, Dimension][] = [];
  for (const [i, a] of dimensions.entries())
    for (const b of dimensions.slice(i + 1))
      if (a.cardinality === b.cardinality && a.cardinality >= 3) pairs.push([a, b]);
  if (pairs.length === 0) return [];
  const row = await queryOne(
    connection,
    `SELECT ${pairs.map(([a, b], i) => `count(DISTINCT hash(${a.sql}, ${b.sql})) FILTER (WHERE ${a.sql} IS NOT NULL AND ${b.sql} IS NOT NULL) AS p${i}`).join(', ')} FROM ${table}`,
  );
  const readability = (d: Dimension) =>
    d.members.filter((m) => /\p{L}\s+\p{L}/u.test(m)).length / Math.max(1, d.members.length) -
    d.members.filter((m) => /^[0-9a-f-]{12,}$/i.test(m)).length / Math.max(1, d.members.length);
  // A short name inside each of the other's long labels (CORN in "CORN - PRODUCTION, MEASURED IN 1000
  // TONNES") is the same thing said plainly.
  const shortFormOf = (short: Dimension, long: Dimension) =>
    short.members.every((member) =>
      long.members.some((label) => label.length > member.length && label.includes(member)),
    );
  const dropped = new Set<Dimension>();
  pairs.forEach(([a, b], i) => {
    if (Number(row[`p${i}`]) !== a.cardinality || dropped.has(a) || dropped.has(b)) return;
    if (shortFormOf(a, b) || shortFormOf(b, a)) dropped.add(shortFormOf(a, b) ? b : a);
    else dropped.add(readability(b) > readability(a) ? a : b);
  });
  return [...dropped];
}

/**
 * A price table's open, high and low (beside a close): the same price at other moments of the day, so
 * "high and close rise together" is arithmetic, not a finding. The close (or the adjusted close) is the
 * price followed; the others are left out.
 */
function openHighLow(columns: ColumnInfo[]): Set<string> {
  const numeric = columns.filter((column) => column.type === 'integer' || column.type === 'number');
  const named = (pattern: RegExp) => numeric.filter((column) => pattern.test(column.name.trim()));
  const close = named(/^(adj(usted)?[\s_.-]*)?close$/i);
  const others = [...named(/^open$/i), ...named(/^high$/i), ...named(/^low$/i)];
  if (close.length === 0 || others.length < 2) return new Set();
  // With an adjusted close, the raw close is one more copy of the same price.
  const kept = close.find((column) => /^adj/i.test(column.name.trim())) ?? close[0]!;
  return new Set([...others, ...close.filter((column) => column !== kept)].map((column) => column.name));
}

/**
 * A level measure (population, inventory) in a table with time: a group's value is the sum over its rows
 * divided by the periods it covers, which is the plain sum within one period and the average level over
 * several (never the sum of eleven yearly populations).
 */
function treatAsStock(measure: Measure, time: TimeField): void {
  // A metric of a long table is named by its member ("Population, total"), not by the value column.
  const named = [...measure.columns, ...(measure.longMetric ? [measure.longMetric] : [])];
  if (measure.aggregation !== 'sum' || !(named.some(isStockName) || countsPeople(measure.unit))) return;
  treatAsLevel(measure, time);
}

/** A stated unit that counts things or amounts (persons, tonnes, EUR, MWh): its values add up. */
const isCountingUnit = (unit: string) =>
  /\b(persons?|people|employees|jobs|workers|inhabitants|households|tonnes?|kt|units?|vehicles|eur|usd|gbp|kwh|mwh|gwh|twh|litres?|liters?|m3|hectares?|ha)\b/i.test(
    unit,
  );
/** A stated unit of people (thousand persons employed): a head count at each moment, a level over time. */
const countsPeople = (unit: string) => /\b(persons?|people|employees|jobs|workers|inhabitants)\b/i.test(unit);

function treatAsLevel(measure: Measure, time: TimeField): void {
  const c = measure.rowSql;
  measure.aggregateSql = `sum(${c}) / nullif(count(DISTINCT CASE WHEN ${c} IS NOT NULL THEN ${time.sql} END), 0)`;
  measure.stockPer = time.granularity;
}

/**
 * Amounts a panel's rows of one period share (the season's rainfall, written on every plot of its estate):
 * the period's condition, averaged, never added up over the plots. Periods of 8 rows or more on average
 * hold at most a quarter as many distinct values as rows, while the column has three times as many values
 * overall as a period has (a count of 0–3 defects repeats within a period because it has few values at all).
 */
async function sharedWithinPeriods(
  connection: DuckDBConnection,
  relation: string,
  numeric: Measure[],
  time: TimeField,
): Promise<Measure[]> {
  const sums = numeric.filter((m) => m.aggregation === 'sum' && !m.ratio && m.id !== ROWS_MEASURE_ID);
  if (sums.length === 0) return [];
  const row = await queryOne(
    connection,
    `WITH periods AS (SELECT ${sums.map((m, i) => `count(${m.rowSql}) AS n${i}, count(DISTINCT ${m.rowSql}) AS d${i}`).join(', ')}
                      FROM ${relation} WHERE ${time.sql} IS NOT NULL GROUP BY ${time.sql}),
          overall AS (SELECT ${sums.map((m, i) => `count(DISTINCT ${m.rowSql}) AS all${i}`).join(', ')} FROM ${relation})
     SELECT ${sums.map((_m, i) => `sum(d${i}) AS d${i}, sum(n${i}) AS n${i}, avg(n${i}) AS rows${i}, avg(d${i}) AS per${i}, any_value(all${i}) AS all${i}`).join(', ')}
     FROM periods, overall`,
  );
  return sums.filter((_m, i) => {
    const [d, n, rows, per, all] = ['d', 'n', 'rows', 'per', 'all'].map((key) => Number(row[`${key}${i}`] ?? 0));
    return rows! >= 8 && d! <= 0.25 * n! && all! >= 3 * per!;
  });
}

/** Each series of a panel (or the one series) in time order: the window a step is taken over. */
const seriesWindow = (partitionSql: string[], time: TimeField) =>
  `OVER (${partitionSql.length > 0 ? `PARTITION BY ${partitionSql.join(', ')} ` : ''}ORDER BY ${time.sql})`;

/** Steps a series needs, and at most what share of them may go down, to be read as a running total. */
const RUNNING_TOTAL_MIN_STEPS = 20;
const RUNNING_TOTAL_MAX_DOWN_SHARE = 0.01;
/** Steps a series needs, and the largest typical step (a share of its value), to be read as a level. */
const SMOOTH_LEVEL_MIN_STEPS = 12;
const SMOOTH_LEVEL_MAX_STEP = 0.01;

/**
 * Measures that are levels by their steps, not their names, within each series (`partitionSql`: the
 * columns that tell the series of a panel apart) in time order:
 * - counts to date (confirmed cases, cumulative downloads): the value never goes down (at most 1% of steps,
 *   a correction) and goes up in at least a third of them. Summing such a column over days counts every
 *   case once a day.
 * - smooth levels (payrolls, a population): the typical step is under 1% of the value. A flow counted per
 *   period moves more than that from the calendar alone (a month has 28 to 31 days, a week a holiday or
 *   not), so a series this smooth is a level measured at each moment, and eleven months of it do not add up.
 */
async function levelsBySteps(
  connection: DuckDBConnection,
  table: string,
  numeric: Measure[],
  time: TimeField,
  partitionSql: string[],
): Promise<{ runningTotals: Measure[]; smooth: Measure[] }> {
  // Averaged measures (decimals: 4,420.4 thousand jobs) may be smooth levels of a single series too (they are
  // only marked, `smoothSeries`); only sums are running totals, or levels to average in a panel.
  const candidates = numeric.filter(
    (m) =>
      (m.aggregation === 'sum' || (m.aggregation === 'mean' && partitionSql.length === 0)) &&
      !m.stockPer &&
      !m.longMetric &&
      m.nonNegative,
  );
  if (candidates.length === 0) return { runningTotals: [], smooth: [] };
  const window = seriesWindow(partitionSql, time);
  const steps = candidates.map(
    (m, i) => `${m.rowSql} - lag(${m.rowSql}) ${window} AS d${i}, abs(d${i}) / nullif(abs(${m.rowSql}), 0) AS r${i}`,
  );
  const counts = candidates.map(
    (_, i) =>
      `count(d${i}) AS n${i}, count(*) FILTER (WHERE d${i} > 0) AS up${i}, count(*) FILTER (WHERE d${i} < 0) AS down${i}, median(r${i}) AS m${i}`,
  );
  const row = await queryOne(
    connection,
    `SELECT ${counts.join(', ')} FROM (SELECT ${steps.join(', ')} FROM ${table} WHERE ${time.sql} IS NOT NULL)`,
  );
  // A flow's name (revenue, deaths, a budget) needs the name's word for it or three times the steps: a
  // business can grow twenty months in a row (a budget eight years in five departments), hardly sixty days.
  const flowNamed = (m: Measure) =>
    m.columns.some((c) => isAdditiveName(c) || isBudgetName(c)) && !m.columns.some(isCumulativeName);
  const runningTotals = candidates.filter((m, i) => {
    const n = Number(row[`n${i}`]);
    return (
      m.aggregation === 'sum' &&
      n >= (flowNamed(m) ? 3 : 1) * RUNNING_TOTAL_MIN_STEPS &&
      Number(row[`down${i}`]) <= RUNNING_TOTAL_MAX_DOWN_SHARE * n &&
      Number(row[`up${i}`]) >= n / 3
    );
  });
  const smooth = candidates.filter(
    (m, i) =>
      !runningTotals.includes(m) &&
      !flowNamed(m) &&
      Number(row[`n${i}`]) >= SMOOTH_LEVEL_MIN_STEPS &&
      Number(row[`m${i}`]) < SMOOTH_LEVEL_MAX_STEP,
  );
  return { runningTotals, smooth };
}

/**
 * What a running total adds at each step (new cases a day), as a column of its own next to it: the
 * level's step from the previous moment of the same series, empty on a series' first row (what came
 * before it is unknown). Summed like any flow: new cases per week, by country. Null when the file
 * already has a column of that name.
 */
async function newPerStep(
  connection: DuckDBConnection,
  table: string,
  level: Measure,
  time: TimeField,
  partitionSql: string[],
  reading: CsvReading,
): Promise<Measure | null> {
  const name = `new ${level.label}`;
  if (reading.columns.some((column) => column.name.toLowerCase() === name.toLowerCase())) return null;
  const column = quoteIdent(name);
  const window = seriesWindow(partitionSql, time);
  await connection.run(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${column} DOUBLE`);
  await connection.run(
    `UPDATE ${table} SET ${column} = steps.step FROM (SELECT rowid AS r, ${level.rowSql} - lag(${level.rowSql}) ${window} AS step FROM ${table} WHERE ${time.sql} IS NOT NULL) steps WHERE ${table}.rowid = steps.r`,
  );
  return {
    ...level,
    id: name,
    label: name,
    rowSql: column,
    aggregateSql: `sum(${column})`,
    stockPer: undefined,
    runningTotal: undefined,
    // The news is in what is added now, more than in the level it adds up to.
    prior: level.prior * 1.1,
  };
}

/**
 * A repeatable pseudo-random sample for row-level statistics: deterministic, unlike reservoir sampling
 * across threads. A view, not a copy: the filter costs a few milliseconds per query, the copy 0.15 s.
 */
async function sampleRelation(connection: DuckDBConnection, table: string, rowCount: number, sampleRows: number) {
  if (rowCount <= sampleRows) return { relation: table, sampled: false };
  const name = `${table}_sample`;
  const keepPerMillion = Math.floor((sampleRows / rowCount) * 1_000_000);
  await connection.run(
    `CREATE OR REPLACE VIEW ${name} AS SELECT *, rowid AS rowid FROM ${table} WHERE hash(rowid) % 1000000 < ${keepPerMillion}`,
  );
  return { relation: name, sampled: true };
}

export async function profileDataset(
  connection: DuckDBConnection,
  table: string,
  reading: CsvReading,
  /** `now`: what "in the future" means for dates (default: the current time). */
  options: { sampleRows: number; now?: Date },
): Promise<DatasetProfile> {
  const numericColumns = reading.columns.filter((column) => column.type === 'integer' || column.type === 'number');
  const totalsRows = await removeTotalsRows(connection, table, reading, numericColumns);
  const stats = await numericStats(connection, table, numericColumns);
  // A whole number with a "… name" column beside it is that name's code (agency 12 = "Treasury"): the name
  // is the breakdown, the code neither a quantity nor a second breakdown.
  const labels = reading.columns.map((column) => nameParts(column.name).label);
  const codeOfName = (column: ColumnInfo) =>
    column.type === 'integer' && isCodeOfNamed(nameParts(column.name).label, labels);
  const pricesOfTheDay = openHighLow(reading.columns);
  const fields: FieldProfile[] = reading.columns.map((column) => {
    const role = roleOf(column, reading.rowCount, stats.get(column.name));
    return {
      name: column.name,
      sql: quoteIdent(column.name),
      role:
        ((role === 'measure' || role === 'category') && codeOfName(column)) || pricesOfTheDay.has(column.name)
          ? 'ignored'
          : role,
      label: nameParts(column.name).label,
      missing: column.nullCount,
      distinct: column.distinctCount,
    };
  });
  const roleByName = new Map(fields.map((field) => [field.name, field.role]));
  const columnsWith = (role: Role) => reading.columns.filter((column) => roleByName.get(column.name) === role);

  // Elapsed times written as clocks (a marathon's 04:20:21, a call's 12:05) are durations in minutes.
  const hasDates = reading.columns.some((column) => column.type === 'date' || column.type === 'datetime');
  const elapsed: Measure[] = [];
  for (const column of [...columnsWith('text'), ...columnsWith('category'), ...columnsWith('identifier')]) {
    const measure = await elapsedTimeMeasure(connection, table, column, hasDates);
    if (!measure) continue;
    elapsed.push(measure);
    roleByName.set(column.name, 'measure');
  }
  // A size or a room count of what a row is (a listing's sq ft and bedrooms) describes it; added up over a
  // month of sales it says nothing. Rows are such things when an id column names each one.
  const namedById = columnsWith('identifier').some(
    (column) => column.distinctCount >= 0.99 * Math.max(1, reading.rowCount - column.nullCount),
  );
  // Rows are things when a text column names most rows on its own: a car's model, a film's title.
  const rowsAreThings = reading.columns.some(
    (column) =>
      !elapsed.some((m) => m.id === column.name) &&
      column.type === 'text' &&
      reading.rowCount > 20 &&
      column.distinctCount >= 0.7 * Math.max(1, reading.rowCount - column.nullCount) &&
      !isIdentifierName(column.name),
  );
  // One row per survey answer: a respondent or response id names the rows.
  // (Or the date each row was answered: a tenant's response_date makes the tenant a respondent.)
  const rowsAreAnswers = reading.columns.some(
    (column) =>
      /^(respondent|response|participant|interviewee|survey)[\s_-]?(id|no|nr|number|key)$/i.test(column.name) ||
      ((column.type === 'date' || column.type === 'datetime') &&
        /^(response|survey|interview|answer(ed)?|submi(tted|ssion))[\s_-]?(date|time|timestamp|at|on|day)$/i.test(
          column.name,
        )),
  );
  let numeric = [
    ...columnsWith('measure')
      .filter((column) => !elapsed.some((m) => m.id === column.name))
      .map((column) =>
        numericMeasure(
          column,
          stats.get(column.name)!,
          rowsAreThings || (namedById && isAttributeOfThing(column.name)),
          rowsAreAnswers,
        ),
      ),
    ...elapsed,
  ];
  // Survey answers on a rating scale ("Strongly disagree" … "Strongly agree") are a 1–5 score.
  for (const column of columnsWith('category')) {
    const score = column.type === 'text' ? await ratingScore(connection, table, column) : null;
    if (!score) continue;
    numeric.push(score);
    roleByName.set(column.name, 'measure');
  }
  // A long table (date, metric, value): each metric is a measure of its own, never one "value" summed
  // across visits and revenue.
  const metric =
    numeric.length === 1 && !numeric[0]!.scale
      ? (metricColumnOf(columnsWith('category')) ?? (await metricByUnit(connection, table, columnsWith('category'))))
      : undefined;
  if (metric) {
    const value = columnsWith('measure')[0]!;
    const unit = columnsWith('category').find((column) => column !== metric && isUnitColumnName(column.name));
    numeric = await metricMeasures(connection, table, metric, value, rowsAreThings, unit);
    roleByName.set(metric.name, 'metric');
    // The unit each metric is given in says how it is read, never a breakdown of its own.
    if (unit && numeric.some((m) => m.metricUnit !== undefined)) roleByName.set(unit.name, 'metric');
  } else if (numeric.length === 1 && columnsWith('measure').length === 1) {
    // One value column in one stated unit ("thousand persons" on every row): the unit types it as a metric's
    // would, and is said with its numbers.
    // (A column of one value is set aside as constant: it is read from the file's columns.)
    const unit = reading.columns.find((column) => isUnitColumnName(column.name) && column.distinctCount === 1);
    const stated = unit?.examples[0]?.trim();
    if (unit && stated) {
      const value = columnsWith('measure')[0]!;
      const typed = numericMeasure(
        { ...value, name: `${value.name} (${stated})` },
        stats.get(value.name)!,
        rowsAreThings,
        rowsAreAnswers,
      );
      const measure = numeric[0]!;
      const counted =
        !/%|\bper\b|\/|\bindex\b|\brate\b|\bratio\b|\bscore\b/i.test(stated) &&
        (/^(thousands?|millions?|billions?|'000)\b/i.test(stated) || isCountingUnit(stated));
      if ((typed.aggregation === 'sum' || counted) && measure.aggregation === 'mean') {
        measure.aggregation = 'sum';
        measure.aggregateSql = `sum(${measure.rowSql})`;
      }
      if (!measure.unit && measure.format.kind !== 'currency') measure.unit = typed.unit || stated;
      roleByName.set(unit.name, 'metric');
    }
  }
  // A condition (promo) is compared across, not measured: no "promo rate".
  const binaries = columnsWith('binary').flatMap((column) => {
    if (isConditionName(column.name)) return [];
    // A yes/no column is named by the file's own word for yes ("Attrition = Yes").
    const positive =
      column.type === 'boolean'
        ? (column.parse.trueValues?.[0] ?? 'true')
        : (outcomePairOf(column.examples) ??
          winLetterOf(column.name, column.examples) ??
          positiveOf(column.examples) ??
          column.examples[0] ??
          '1');
    return [binaryMeasure(column, positive)];
  });
  binaries.push(...(await eventKindRates(connection, table, columnsWith('category'))));
  binaries.push(...(await serverErrorRates(connection, table, columnsWith('category'))));
  binaries.push(...lateRates(numeric, binaries));
  const ratios = await ratioMeasures(
    connection,
    table,
    // A batch's size is told as an average, yet defects of all batches are over all their units.
    // (And a list's levels where one counts those past a bar of time: patients waiting, and those waiting over
    // 18 weeks, each a head count at the quarter's end.)
    numeric.filter(
      (m) =>
        m.aggregation === 'sum' ||
        (m.aggregation === 'mean' && isBatchSizeName(m.id)) ||
        (m.aggregation === 'mean' &&
          m.nonNegative &&
          m.columns.length === 1 &&
          m.format.kind !== 'currency' &&
          m.format.kind !== 'percent' &&
          numeric.some((t) => isTimedSubsetName(t.id) && t.aggregation === m.aggregation)),
    ),
    metric
      ? reading.columns
          .filter((column) => column.name !== metric.name && roleByName.get(column.name) !== 'measure')
          .map((column) => quoteIdent(column.name))
      : null,
  );
  ratios.push(
    ...costShares(numeric),
    ...channelShares(numeric),
    ...feeRates(numeric),
    ...lossRatios(numeric),
    ...profitMargins(numeric),
  );
  const oneCurrency = await restrictToOneCurrency(connection, table, numeric, columnsWith('category'));
  // Split by currency, money read in one currency is all in one member: the column has said its piece.
  if (oneCurrency) roleByName.set(oneCurrency.column, 'ignored');
  weightRates(numeric, reading);
  perPersonMeasures(numeric);
  const changes = beforeAfterChanges(numeric);
  const sides = pairedSides(numeric);
  const perUnit = [...perUnitMeasures(numeric), ...returnOnSpend(numeric)];
  const variances = planVariances(numeric);
  const sums = await sumColumns(connection, table, numeric);
  const givenBack = givenBackRates(numeric, sums);
  const derived = [
    // Money per conversion goes with money and with conversions by construction; so does a variance
    // with its plan and its actual.
    ...[...perUnit, ...variances].map((m) => ({ column: m.id, from: m.columns })),
    ...(await derivedColumns(connection, table, numeric)),
    ...sums,
    ...(await percentOfTotalColumns(connection, table, numeric)),
    // The same thing measured twice goes together by construction: its change is the finding.
    ...changes.map((change) => ({ column: change.columns[1]!, from: [change.columns[0]!] })),
  ];
  // A straight line of two columns that is no sum or product found above (ABV from the gravities).
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((id) => b.includes(id));
  const found = [...derived];
  for (const line of await linearColumns(connection, table, numeric))
    if (!found.some((d) => (d.column === line.column && same(d.from, line.from)) || line.from.includes(d.column)))
      derived.push(line);
  boostSalesValue(numeric, derived);
  await weightRowRatios(connection, table, numeric, derived);
  const value = salesValueMeasure(numeric, derived) ?? pricePaidMeasure(numeric, reading);
  if (value) derived.push({ column: value.id, from: value.columns });
  numeric.push(...changes, ...sides, ...perUnit, ...variances, ...(value ? [value] : []), ...codeRates(reading));
  const composite = rowsAreAnswers ? surveyIndex(numeric, reading) : null;
  if (composite) {
    numeric.push(composite);
    derived.push({ column: composite.id, from: composite.columns });
  }
  // Rows are named after an id only when it is one (order_id, not first_name) and names each row (not
  // user_id in a log of events).
  const identifier = columnsWith('identifier').find(
    (column) =>
      // (Ids drawn at random collide now and then: 98% distinct is still one per row.)
      column.distinctCount >= 0.98 * reading.rowCount &&
      (/(^|[\s_-])(id|key|no|number|code|identifier|identification)$/i.test(column.name) ||
        /[a-z](Id|ID|No|Nr|Num|Number|Key|Code)$/.test(column.name)),
  );
  // A product code names a product; a zip code is itself the thing (one row per zip code).
  const label = identifier ? nameParts(identifier.name).label : '';
  const rowsLabel = identifier
    ? /\b(zip|postal|post|area)\s+code$/i.test(label)
      ? `${label}s`
      : pluralize(recordNoun(label.replace(/\s*\b(identifier|identification|id|key|code|number|no)$/i, '').trim()))
    : 'rows';
  const rowCountMeasure: Measure = {
    id: ROWS_MEASURE_ID,
    label: rowsLabel,
    aggregateSql: 'count(*)',
    rowSql: '1',
    aggregation: 'sum',
    format: { kind: 'integer' },
    unit: '',
    decimals: 0,
    columns: [],
    prior: 0.8,
    nonNegative: true,
  };

  // The start of a row's process first — but an event booked ahead by its own date (a stay by arrival) —,
  // unless another date column covers the span far more evenly (booking dates stretch back a year for a few).
  const { columns: timeColumns, yearly } = await annualDates(
    connection,
    table,
    ownEventFirst(
      reading.columns,
      await evenestFirst(
        connection,
        table,
        await eventFirst(
          connection,
          table,
          await startFirst(
            connection,
            table,
            columnsWith('time').sort((a, b) => {
              // A date most rows lack (a return date, a cancellation date) dates those rows only: the file's
              // axis is one that nearly every row has.
              const sparse = (column: ColumnInfo) => (column.nullCount > 0.5 * reading.rowCount ? 1 : 0);
              const rank = (column: ColumnInfo) => (column.type === 'datetime' ? 0 : column.type === 'date' ? 1 : 2);
              return (
                sparse(a) - sparse(b) || rank(a) - rank(b) || b.distinctCount - a.distinctCount || a.index - b.index
              );
            }),
          ),
        ),
      ),
    ),
  );
  // A year column with a month (or quarter) column beside it is one time axis: year and month together.
  const yearAlone = timeColumns[0] && timeColumns[0].type !== 'date' && timeColumns[0].type !== 'datetime';
  const within = yearAlone
    ? reading.columns.flatMap((column) => {
        const range = stats.get(column.name);
        const part = range && column.type === 'integer' ? calendarPartOf(column.name, range) : null;
        return part === 'month' || part === 'quarter' ? [{ column, part }] : [];
      })[0]
    : undefined;
  // An hour written as its own whole number beside a date (sched_dep_hour 0–23) is the same clock.
  const hourColumn = reading.columns.find((column) => {
    const range = stats.get(column.name);
    return (
      column.type === 'integer' &&
      range !== undefined &&
      isHourOfDayName(column.name) &&
      range.min >= 0 &&
      range.max <= 23
    );
  });
  const clock =
    timeColumns[0]?.type === 'date'
      ? ((await clockColumn(connection, table, columnsWith('category'))) ?? hourColumn)
      : undefined;
  if (clock) {
    roleByName.set(clock.name, 'ignored');
    numeric = numeric.filter((measure) => measure.id !== clock.name);
  }
  const time = timeColumns[0]
    ? await timeField(
        connection,
        table,
        timeColumns[0],
        options.now ?? new Date(),
        reading.rowCount,
        stats.get(timeColumns[0].name),
        within,
        clock,
        yearly,
      )
    : null;
  if (time) {
    const marker = await lastMarkedPartial(connection, table, time, columnsWith('category'));
    if (marker) {
      time.partialLast = marker.value;
      // The column says how complete each period is: not a breakdown of its own.
      roleByName.set(marker.column, 'ignored');
    }
  }
  // A level is read at moments its rows share (a month's accounts) or along a regular series; in a log of
  // sessions, each at its own minute, the MRR a session brought is that session's amount.
  const levelsRead = time !== null && (time.regular || reading.rowCount / Math.max(1, time.distinct) >= 1.5);
  if (levelsRead) for (const measure of numeric) treatAsStock(measure, time);
  // Rows at irregular moments, without an id to name them, are events.
  if (!identifier && time && !time.regular) rowCountMeasure.label = 'events';
  for (const extra of timeColumns.slice(1)) roleByName.set(extra.name, 'ignored');
  // Ordered → shipped, opened → resolved: the time between two dates of a row is a measure of its own.
  const durations = await durationMeasures(connection, table, timeColumns);
  numeric.push(...durations);
  derived.push(...durations.map((m) => ({ column: m.id, from: m.columns })));

  const dimensions: Dimension[] = [];
  for (const column of [...columnsWith('category'), ...columnsWith('binary')]) {
    if (column.distinctCount < 2) continue;
    const dimension = await dimensionOf(connection, table, column, roleByName.get(column.name) === 'binary');
    dimensions.push(await withEmptyMember(connection, table, dimension, column, reading.rowCount));
  }
  for (const alias of await aliasDimensions(connection, table, dimensions)) {
    dimensions.splice(dimensions.indexOf(alias), 1);
    roleByName.set(alias.name, 'ignored');
  }
  for (const years of time ? await yearsOfTime(connection, table, dimensions, time) : []) {
    dimensions.splice(dimensions.indexOf(years), 1);
    roleByName.set(years.name, 'ignored');
  }
  for (const mirror of opponentDimensions(dimensions)) {
    dimensions.splice(dimensions.indexOf(mirror), 1);
    roleByName.set(mirror.name, 'ignored');
  }
  let sample = await sampleRelation(connection, table, reading.rowCount, options.sampleRows);
  // On the sample: a half-million rows show a panel, a hierarchy or a cube as surely as all of them. A
  // panel or a cube shares each moment between rows; near-unique timestamps (an event log) make every
  // (category, time) pair unique without being either.
  const eventsPerTime = time ? reading.rowCount / Math.max(1, time.distinct) : 1;
  const sharedMoments = time !== null && eventsPerTime >= 1.5;
  const { entity, hierarchy, cube } = await structure(
    connection,
    sample.relation,
    dimensions,
    sharedMoments ? time : null,
  );
  // A running total (cases to date) per series: one row per series and moment, so a panel or a cube
  // partitions by its categories and a single series by nothing; a log of events has no running totals.
  const series = !time ? null : cube ? dimensions.map((d) => d.sql) : eventsPerTime <= 1.01 ? [] : null;
  const bySteps = time && series ? await levelsBySteps(connection, sample.relation, numeric, time, series) : null;
  for (const level of bySteps?.smooth ?? []) {
    if (level.aggregation === 'sum') treatAsLevel(level, time!);
    if (series!.length === 0) level.smoothSeries = true;
  }
  if (time && (entity !== null || cube))
    for (const shared of await sharedWithinPeriods(connection, sample.relation, numeric, time)) {
      shared.aggregation = 'mean';
      shared.aggregateSql = `avg(${shared.rowSql})`;
    }
  const levels = bySteps?.runningTotals ?? [];
  for (const level of levels) {
    treatAsLevel(level, time!);
    const flow = await newPerStep(connection, table, level, time!, series!, reading);
    level.runningTotal = { seriesSql: series!, ...(flow ? { flow: flow.id } : {}) };
    if (!flow) continue;
    numeric.push(flow);
    derived.push({ column: flow.id, from: [level.id] });
  }
  // The sample view lists the table's columns as they were when it was made.
  if (levels.length > 0) sample = await sampleRelation(connection, table, reading.rowCount, options.sampleRows);
  for (const intensity of intensityMeasures(numeric, time, rowsAreThings || identifier !== undefined)) {
    numeric.push(intensity);
    derived.push({ column: intensity.id, from: intensity.columns });
  }
  // Row-level checks need two values in a row, or several rows of one moment: a long table has neither.
  const wide = numeric.filter((m) => !m.longMetric);
  const entitySql = entity ? dimensions.find((d) => d.name === entity)?.sql : undefined;
  const duplicates = await nearDuplicates(connection, sample.relation, wide, derived, sums, entitySql, time === null);
  const withTime = time
    ? await derivedFromTime(connection, sample.relation, wide, time, cube || entity !== null, entitySql)
    : null;
  // A wide table turned long has a row per line and period: cells, never events.
  const rowsAreEvents =
    !reading.format.wide && (!time || (!cube && entity === null && (sharedMoments || !time.regular)));
  // Counting a reshaped wide table's rows counts line items times periods: no quantity of anything.
  const counted = reading.format.wide ? [] : [rowCountMeasure];
  // A yes/no each thing holds throughout is what the thing is: a condition, not an outcome with a rate.
  for (const dimension of await attributesOfThings(connection, sample.relation, dimensions, entity, reading.rowCount)) {
    dimension.condition = true;
    dimension.attribute = true;
    const rate = binaries.findIndex((m) => m.columns.length === 1 && m.columns[0] === dimension.name);
    if (rate >= 0) binaries.splice(rate, 1);
  }
  // Home or away is where a game was played, not a kind of game: its points are compared per game, each
  // player or team against its own other games (home advantage), never as shares of the season's total.
  for (const dimension of dimensions)
    if (isSidePair(dimension.members)) {
      dimension.condition = true;
      const rate = binaries.findIndex((m) => m.columns.length === 1 && m.columns[0] === dimension.name);
      if (rate >= 0) binaries.splice(rate, 1);
    }
  const measures = [...numeric, ...binaries, ...ratios, ...givenBack, ...counted].filter(
    (m) => !duplicates.some((d) => d.column === m.id),
  );
  // A sale's "total" (total_eur) is what it brought in: "Adult leads revenue", not "Adult leads total".
  if (rowsAreEvents)
    for (const m of measures)
      if (m.columns.length === 1 && m.aggregation === 'sum' && m.format.kind === 'currency' && m.label === 'total') {
        m.label = 'revenue';
        m.prior = Math.max(m.prior, 1.2);
      }
  // The average ticket: money per order or receipt, what a shop compares its outlets on (an airport's
  // receipts are 2.4× the station's). Its row values are its money's (the same column: computed together),
  // and row-level detectors skip it (`perRowOf`).
  // Money that only the rows with an outcome have (a tip where tipped, a first deposit where opened): its
  // average there is what each of them brought, the amount an experiment's arms are compared on beside
  // the rate.
  const whenPositive = await amountsWhenPositive(connection, table, measures, reading.rowCount);
  measures.splice(measures.indexOf(rowCountMeasure), 0, ...whenPositive, ...wonAmounts(measures, whenPositive));
  const notApplicable = await notApplicableBlanks(connection, sample.relation, reading.columns);
  if (rowsAreEvents && identifier) {
    const isMoney = (m: Measure) => m.format.kind === 'currency' || isTakingsName(m.columns[0] ?? '');
    const experiment = dimensions.some((d) => isExperimentArm(d));
    // Money only the rows of a yes have (a tip only where the order was completed): its average is over
    // those rows, and says so ("average tip when order completed"), not per session.
    const onlyWhen = (m: Measure) => {
      const rule = notApplicable.find((n) => n.column === m.columns[0]);
      return rule?.filledFor.length === 1 && isYesMember(rule.filledFor[0]!) ? nameParts(rule.by).label : null;
    };
    for (const money of measures.filter(
      (m) =>
        m.aggregation === 'sum' &&
        isMoney(m) &&
        m.columns.length === 1 &&
        !m.ratio &&
        m.id !== ROWS_MEASURE_ID &&
        // Zero or blank on every other row, its average per row is the rate times the amount when it applies
        // — which is what an experiment's arms are judged on (a higher price converts less and may still earn
        // more per visitor).
        (!whenPositive.some((w) => w.perRowOf === m.id) || experiment),
    )) {
      const gated = whenPositive.some((w) => w.perRowOf === money.id);
      const when = gated ? null : onlyWhen(money);
      const perRow: Measure = {
        ...money,
        id: `${money.id}:per-row`,
        label: when ? `average ${money.label} when ${when}` : `average ${money.label} per ${singularOf(rowsLabel)}`,
        aggregateSql: gated ? `avg(coalesce(${money.rowSql}, 0))` : `avg(${money.rowSql})`,
        ...(gated ? { rowSql: `coalesce(${money.rowSql}, 0)` } : {}),
        aggregation: 'mean',
        // Beside the money itself, a second reading of it: it leads only where it clearly stands out.
        prior: 0.8,
        perRowOf: money.id,
      };
      measures.splice(measures.indexOf(rowCountMeasure), 0, perRow);
    }
  }
  if (identifier)
    measures.splice(
      measures.indexOf(rowCountMeasure),
      0,
      ...(await anyMishapRates(connection, table, measures, stats, rowsLabel)),
    );
  measures.splice(
    measures.indexOf(rowCountMeasure),
    0,
    ...perEntityMeasures(measures, dimensions, entity, hierarchy, time),
  );
  adjustPriors(measures, sums);
  if (time && rowsAreEvents) await markFilledInLater(connection, table, measures, time);
  await markBinnings(connection, sample.relation, dimensions, wide);
  return {
    table,
    rowCount: reading.rowCount,
    sampleRelation: sample.relation,
    sampled: sample.sampled,
    fields: fields.map((field) => ({ ...field, role: roleByName.get(field.name) ?? field.role })),
    measures,
    dimensions,
    time,
    derived,
    duplicates,
    ...(rowsAreAnswers ? { rowsAreAnswers } : {}),
    sums,
    notApplicable,
    timeDerived: withTime?.derived ?? [],
    timeCorrelations: withTime?.correlations ?? {},
    hierarchy,
    entity,
    cube,
    totalsRows,
    ...(oneCurrency ? { oneCurrency } : {}),
    eventsPerTime,
    // Rows count something when several share a moment, or when moments come at irregular times (a log of
    // events with near-unique timestamps); one row per step of a regular series counts nothing.
    // A cube or a panel has one row per cell (date × source, country × year): its rows count cells, not events.
    rowsAreEvents,
  };
}

/**
 * The money of the deals won, where every deal carries its amount whether won or lost (a CRM export): what
 * a sales team is judged by ("Sofia Marquez closes 49% of the won value"), which the pipeline's total of
 * lost and open deals only blurs. For a win rate only.
 */
function wonAmounts(measures: readonly Measure[], gated: readonly Measure[]): Measure[] {
  const win = measures.find((m) => m.aggregation === 'rate' && isYesNoRateId(m.id) && m.label === 'win rate');
  if (!win) return [];
  return measures
    .filter(
      (m) =>
        m.aggregation === 'sum' &&
        m.format.kind === 'currency' &&
        m.columns.length === 1 &&
        !m.ratio &&
        m.nonNegative &&
        !gated.some((g) => g.perRowOf === m.id),
    )
    .slice(0, 1)
    .map((money) => {
      const rowSql = `(CASE WHEN ${win.rowSql} = 1 THEN ${money.rowSql} WHEN ${win.rowSql} = 0 THEN 0 END)`;
      return {
        ...money,
        id: `${money.id}:won`,
        label: `won ${money.label}`,
        aggregateSql: `sum(${rowSql})`,
        rowSql,
        columns: [...money.columns, ...win.columns],
        prior: money.prior * 1.05,
        formula: `sum of ${money.columns[0]} over the rows where ${win.columns[0]} is yes`,
      };
    });
}

/**
 * Money that is zero or blank exactly where a yes/no outcome is no (a tip where the order was not tipped, a
 * deposit where no account was opened): averaged over the rows where the outcome is yes, it is what each
 * of them brought ("average tip when tipped"), which a rate alone hides (a prompt that gets more people to
 * tip, each a smaller tip). Compared across members only (`perRowOf`), never followed over time.
 */
async function amountsWhenPositive(
  connection: DuckDBConnection,
  table: string,
  measures: readonly Measure[],
  rowCount: number,
): Promise<Measure[]> {
  const money = measures.filter(
    (m) => m.aggregation === 'sum' && m.format.kind === 'currency' && m.columns.length === 1 && !m.ratio && m.rowSql,
  );
  const outcomes = measures.filter(
    (m) => m.aggregation === 'rate' && !m.ratio && m.columns.length === 1 && isYesNoRateId(m.id),
  );
  if (money.length === 0 || outcomes.length === 0) return [];
  const found: Measure[] = [];
  for (const amount of money) {
    const checks = outcomes
      .map(
        (o, i) =>
          `count(*) FILTER (WHERE coalesce(${amount.rowSql}, 0) <> 0 AND ${o.rowSql} = 0) AS off${i}, count(*) FILTER (WHERE ${o.rowSql} = 1) AS yes${i}, count(*) FILTER (WHERE ${o.rowSql} = 1 AND coalesce(${amount.rowSql}, 0) <> 0) AS paid${i}`,
      )
      .join(', ');
    const row = await queryOne(connection, `SELECT ${checks} FROM ${table}`);
    const outcome = outcomes.find((_, i) => {
      const [off, yes, paid] = [Number(row[`off${i}`]), Number(row[`yes${i}`]), Number(row[`paid${i}`])];
      // Every amount on a yes row, nearly every yes row with an amount, and a real split of the rows.
      return off === 0 && yes >= 30 && paid >= 0.9 * yes && yes <= 0.9 * rowCount;
    });
    if (!outcome) continue;
    const when = `(CASE WHEN ${outcome.rowSql} = 1 THEN ${amount.rowSql} END)`;
    found.push({
      ...amount,
      id: `${amount.id}:when-${outcome.columns[0]}`,
      label: `average ${amount.label} when ${nameParts(outcome.columns[0]!).label}`,
      aggregateSql: `avg(${when})`,
      rowSql: when,
      aggregation: 'mean',
      // A second reading of the money beside its rate: it leads only where it clearly stands out.
      prior: 0.8,
      perRowOf: amount.id,
      formula: `average of ${amount.columns[0]} over the rows where ${outcome.columns[0]} is yes`,
    });
  }
  return found;
}

/**
 * Blanks that answer a question rather than lose one: a deferral reason empty for every donation not
 * deferred, an order value empty wherever nothing was bought. A column's blanks that fall exactly on some
 * members of a short column (at most 1% off either way in every member) are "does not apply", not missing.
 */
async function notApplicableBlanks(
  connection: DuckDBConnection,
  relation: string,
  columns: readonly ColumnInfo[],
): Promise<NotApplicable[]> {
  const rows = Number((await queryOne(connection, `SELECT count(*) AS n FROM ${relation}`)).n);
  // Enough rows on both sides to tell a rule from chance (two rows always split somehow).
  const blanky = columns.filter(
    (c) => c.index >= 0 && c.nullCount >= Math.max(5, 0.005 * rows) && c.nullCount <= rows - 5,
  );
  if (blanky.length === 0 || rows < 30) return [];
  // A state or a yes/no says when something applies; a number's few values (a price of 199.21) do not.
  const keys = columns.filter(
    (c) =>
      c.index >= 0 &&
      c.nullCount === 0 &&
      c.distinctCount >= 2 &&
      (c.type === 'boolean' ||
        (c.type === 'text' && c.distinctCount <= 12) ||
        (c.type === 'integer' && c.distinctCount === 2)),
  );
  const found: NotApplicable[] = [];
  for (const key of keys) {
    const open = blanky.filter((c) => !found.some((f) => f.column === c.name));
    if (open.length === 0) break;
    const groups = await queryRows(
      connection,
      `SELECT CAST(${quoteIdent(key.name)} AS VARCHAR) AS k, count(*) AS n, ${open
        .map((c, i) => `count(*) - count(${quoteIdent(c.name)}) AS z${i}`)
        .join(', ')} FROM ${relation} GROUP BY 1 ORDER BY 1`,
    );
    for (const [i, column] of open.entries()) {
      const share = (g: Record<string, unknown>) => Number(g[`z${i}`]) / Number(g.n);
      const filled = groups.filter((g) => share(g) <= 0.01);
      if (filled.length === 0 || filled.length === groups.length) continue;
      if (!groups.every((g) => share(g) <= 0.01 || share(g) >= 0.99)) continue;
      // A whole number the typed load holds as a double reads as written: "1", not "1.0".
      const written = (g: Record<string, unknown>) => String(g.k).replace(/^(-?\d+)\.0$/, '$1');
      found.push({ column: column.name, by: key.name, filledFor: filled.map(written) });
    }
  }
  return found;
}

/**
 * A breakdown that is a numeric column cut into ranges (age_band of age, size class of floor area): the
 * members' ranges of that column do not overlap. Members of a handful of rows or fewer than three prove
 * nothing (two members always split something).
 */
async function markBinnings(
  connection: DuckDBConnection,
  relation: string,
  dimensions: Dimension[],
  numeric: Measure[],
): Promise<void> {
  const numbers = numeric.filter((m) => m.columns.length === 1 && m.rowSql && !m.ratio);
  for (const dimension of dimensions) {
    if (dimension.binary || dimension.cardinality < 3 || dimension.cardinality > 20) continue;
    // Menu categories' prices may not overlap either (drinks under €4, mains above €12): a cut is named as
    // one, or its members read as ranges; only such columns are queried.
    const columns = numbers.filter((m) => mayCut(dimension.name, dimension.members, m.columns[0]!));
    if (columns.length === 0) continue;
    const rows = await queryRows(
      connection,
      `SELECT count(*) AS n, ${columns.map((m, i) => `min(${m.rowSql}) AS lo${i}, max(${m.rowSql}) AS hi${i}`).join(', ')}
       FROM ${relation} WHERE ${dimension.sql} IS NOT NULL GROUP BY ${dimension.sql}`,
    );
    if (rows.length < 3 || rows.some((row) => Number(row.n) < 5)) continue;
    const binOf = columns.flatMap((m, i) => {
      const ranges = rows
        .map((row) => [Number(row[`lo${i}`]), Number(row[`hi${i}`])] as const)
        .sort((a, b) => a[0] - b[0]);
      if (ranges.some(([lo, hi]) => !Number.isFinite(lo) || !Number.isFinite(hi))) return [];
      // Bands may share their boundary value (a score of 22 is A1 in one test and A2 in another), never a
      // whole range (every error code's rows "from 1 to 1").
      const apart = (range: readonly [number, number], k: number) =>
        k === 0 || (range[0] >= ranges[k - 1]![1] && range[0] > ranges[k - 1]![0]);
      return ranges.every(apart) ? [m.columns[0]!] : [];
    });
    if (binOf.length > 0) dimension.binOf = binOf;
  }
}

/**
 * Values a log fills in later (days to close, a satisfaction score sent after the fact): the last month's
 * rows lack them far more often than the months before (a fifth of December's complaints are still open),
 * and those it has are the quick ones, so the measure's last months "improve" by construction. Such a
 * measure is right-censored: compared across members, never followed over time. The last month must miss
 * at least five points more than the median month and three times as often.
 */
async function markFilledInLater(
  connection: DuckDBConnection,
  table: string,
  measures: Measure[],
  time: TimeField,
): Promise<void> {
  // (A yes/no verdict given at the end, paid late or not, is filled in later too.)
  const candidates = measures.filter(
    (m) => (m.aggregation === 'mean' || m.aggregation === 'rate') && m.columns.length === 1 && !m.ratio,
  );
  if (candidates.length === 0 || spanSeconds(time.min, time.max) < 90 * 86_400) return;
  const rows = await queryRows(
    connection,
    `SELECT ${truncSql('month', time.asTimestampSql)} AS t, ${candidates
      .map((m, i) => `avg(CASE WHEN ${m.rowSql} IS NULL THEN 1.0 ELSE 0.0 END) AS z${i}`)
      .join(', ')}
     FROM ${table} WHERE ${time.sql} IS NOT NULL GROUP BY 1 ORDER BY 1`,
  );
  if (rows.length < 4) return;
  for (const [i, measure] of candidates.entries()) {
    const shares = rows.map((row) => Number(row[`z${i}`] ?? 0));
    const last = shares.at(-1)!;
    const usual = [...shares.slice(0, -1)].sort((a, b) => a - b)[Math.floor((shares.length - 1) / 2)]!;
    if (!(last >= usual + 0.05 && last >= 3 * usual)) continue;
    measure.censored = true;
    // The open tail: the months at the end that each miss three points more than usual.
    let from = shares.length - 1;
    while (from > 0 && shares[from - 1]! >= usual + 0.03) from--;
    if (from >= 6) measure.censoredFrom = String(rows[from]!.t);
  }
}

/**
 * The other side of a game in a file of one row per team per game (`team`, `opponent`): the same teams, seen
 * from across the table. Every one of its gaps is a team's gap turned round (the best team's opponents win
 * least), so it is not a breakdown of its own.
 */
function opponentDimensions(dimensions: readonly Dimension[]): Dimension[] {
  return dimensions.filter((mirror) => {
    if (!/(^|[\s_-])(opponents?|opp|rivals?|against|versus|vs)([\s_-]|$)/i.test(mirror.name)) return false;
    const members = new Set(mirror.members);
    return dimensions.some(
      (other) =>
        other !== mirror &&
        other.members.length === mirror.members.length &&
        other.members.every((member) => members.has(member)),
    );
  });
}

/**
 * How the categories relate, in one pass over the table: an entity of a long-format panel (a category
 * that repeats once per time value: symbol × date), hierarchies (each product in one category), and
 * whether rows are cells of a (time × categories) cube rather than events.
 */
async function structure(connection: DuckDBConnection, table: string, dimensions: Dimension[], time: TimeField | null) {
  const candidates: [Dimension, Dimension][] = [];
  for (const child of dimensions) {
    for (const parent of dimensions) {
      if (child !== parent && child.cardinality > parent.cardinality && parent.cardinality >= 2)
        candidates.push([child, parent]);
    }
  }
  // A child seen under two parents in the first rows is no hierarchy: ten random categories make 45 pairs,
  // and each costs two distinct counts over the whole table.
  const pairs = await hierarchyCandidates(connection, table, candidates);
  const n0 = Number((await queryOne(connection, `SELECT count(*) AS n FROM ${table}`)).n);
  // A member repeating once per time value needs members × times ≥ rows: most categories cannot be an entity.
  // (And an entity comes back: three rows each at least. Nine thousand donors with two gifts each are who
  // gave, no panel of them.)
  const entityCandidates = time
    ? dimensions.filter((d) => d.cardinality * time.distinct >= 0.97 * n0 && n0 >= 3 * d.cardinality)
    : [];
  const parts = [
    'count(*) AS n',
    ...entityCandidates.map((d) => `count(DISTINCT hash(${d.sql}, ${time!.sql})) AS e${dimensions.indexOf(d)}`),
    ...pairs.map(
      ([child, parent], i) =>
        `count(DISTINCT hash(${child.sql}, ${parent.sql})) FILTER (WHERE ${child.sql} IS NOT NULL AND ${parent.sql} IS NOT NULL) AS p${i}`,
    ),
    ...pairs.map(
      ([child, parent], i) =>
        `count(DISTINCT ${child.sql}) FILTER (WHERE ${child.sql} IS NOT NULL AND ${parent.sql} IS NOT NULL) AS c${i}`,
    ),
    ...(time ? [`count(DISTINCT hash(${[time.sql, ...dimensions.map((d) => d.sql)].join(', ')})) AS cells`] : []),
  ];
  const row = await queryOne(connection, `SELECT ${parts.join(', ')} FROM ${table}`);
  const n = Number(row.n);
  const entity = time
    ? (dimensions.find((d, i) => d.cardinality >= 2 && n > 0 && Number(row[`e${i}`] ?? 0) / n > 0.97)?.name ?? null)
    : null;
  const hierarchy = pairs
    .filter((_, i) => Number(row[`p${i}`]) === Number(row[`c${i}`]))
    .map(([child, parent]) => [child.name, parent.name] as [string, string]);
  // A cube's cells are unique and fill a good part of its space (dates × sources × devices); orders are
  // unique by chance once five categories split them (ship mode × segment × region × category × item),
  // a thousandth of the space.
  const space = time ? dimensions.reduce((product, d) => product * Math.max(1, d.cardinality), time.distinct) : 0;
  const cube = time ? Number(row.cells) >= 0.99 * n && n >= 0.1 * space : false;
  return { entity, hierarchy, cube };
}

/** The (child, parent) pairs under which no child shows two parents in the first 20,000 rows. */
async function hierarchyCandidates(
  connection: DuckDBConnection,
  table: string,
  pairs: [Dimension, Dimension][],
): Promise<[Dimension, Dimension][]> {
  if (pairs.length === 0) return [];
  const both = (child: Dimension, parent: Dimension) => `${child.sql} IS NOT NULL AND ${parent.sql} IS NOT NULL`;
  const row = await queryOne(
    connection,
    `SELECT ${pairs
      .map(
        ([child, parent], i) =>
          `count(DISTINCT hash(${child.sql}, ${parent.sql})) FILTER (WHERE ${both(child, parent)}) AS p${i}, count(DISTINCT ${child.sql}) FILTER (WHERE ${both(child, parent)}) AS c${i}`,
      )
      .join(', ')} FROM ${table} WHERE rowid < 20000`,
  );
  return pairs.filter((_, i) => Number(row[`p${i}`]) === Number(row[`c${i}`]));
}

/** A member naming a totals row inside the table ("Total", "All"). */
const totalsNames = new RegExp(`^(${['all', ...TOTAL_WORDS].join('|')})$`, 'i');

/**
 * A "Total" row inside the data (a spreadsheet habit) double-counts everything. When the rows named like
 * a total add up to the other rows, they are removed from the analysis table (the original file is kept).
 */
async function removeTotalsRows(
  connection: DuckDBConnection,
  table: string,
  reading: CsvReading,
  numeric: ColumnInfo[],
) {
  const removed: { column: string; member: string; rows: number }[] = [];
  if (numeric.length === 0) return removed;
  for (const column of reading.columns) {
    if (column.type !== 'text' || column.distinctCount > 200) continue;
    if (!column.examples.some((e) => totalsNames.test(e.trim())) && column.distinctCount > 50) continue;
    const c = quoteIdent(column.name);
    // Few distinct values: fetch them and test the names here rather than run a regex over every row.
    const distinct = await queryRows(connection, `SELECT DISTINCT ${c} AS m FROM ${table} WHERE ${c} IS NOT NULL`);
    const members = distinct.filter((row) => totalsNames.test(String(row.m).trim()));
    for (const { m } of members) {
      const member = String(m);
      const sums = numeric.map(
        (n, i) =>
          `sum(${quoteIdent(n.name)}) FILTER (WHERE ${c} = ${quoteLiteral(member)}) AS t${i}, sum(${quoteIdent(n.name)}) FILTER (WHERE ${c} IS DISTINCT FROM ${quoteLiteral(member)}) AS o${i}`,
      );
      const row = await queryOne(
        connection,
        `SELECT count(*) FILTER (WHERE ${c} = ${quoteLiteral(member)}) AS n, ${sums.join(', ')} FROM ${table}`,
      );
      const adds = numeric.some((_, i) => {
        const total = Number(row[`t${i}`]);
        const others = Number(row[`o${i}`]);
        return Number.isFinite(total) && others !== 0 && Math.abs(total - others) <= 0.01 * Math.abs(others);
      });
      if (!adds) continue;
      await connection.run(`DELETE FROM ${table} WHERE ${c} = ${quoteLiteral(member)}`);
      removed.push({ column: column.name, member, rows: Number(row.n) });
    }
  }
  return removed;
}

/**
 * Rates and percentages are averaged with the row's volume as weight when the table has one
 * (a bounce rate per session count): a day with 10 sessions must not weigh like one with 10,000.
 */
/**
 * Next to a population, income (and anything per capita / per person) is an amount per person: averaged over
 * rows weighted by their population, never summed (the income of Europe is not 43% of the world's incomes).
 */
function perPersonMeasures(numeric: Measure[]): void {
  // "Population, total" (World Bank) and "total population" too.
  const population = numeric.find((m) =>
    /^(total\s+)?(pop|population|inhabitants|residents)(\s+total)?$/i.test(m.label),
  );
  for (const measure of numeric) {
    if (measure === population) continue;
    const perCapita = /per[\s_-]?(capita|person|head|inhabitant)|percapita|\bpc\b/i.test(measure.id);
    const income = population !== undefined && /(^|[\s_-])income([\s_-]|$)/i.test(measure.id);
    if (!perCapita && !income) continue;
    measure.aggregation = 'mean';
    if (population) weightBy(measure, population);
    else measure.aggregateSql = `avg(${measure.rowSql})`;
  }
}

/**
 * An amount per unit of the things' size (kWh per m², sales per sq ft): what compares a small building with
 * a large one, where the totals mostly tell their sizes. The size must be a level of each thing (the same
 * floor area month after month), or the rows things without time; the amount is the file's main total, or
 * in a table of things without one, their price (a listing's price per sq ft).
 * The per-row ratio weighted by the size is the ratio of the sums, as for money per unit.
 */
function intensityMeasures(numeric: Measure[], time: TimeField | null, rowsNamed: boolean): Measure[] {
  // Each row one thing (a listing, a store by its id) or a table without time: sizes compare as they are.
  const things = !time || rowsNamed;
  const size = numeric.find(
    (m) =>
      sizeKind(m) !== null &&
      m.nonNegative &&
      (m.range?.min ?? 0) > 0 &&
      !m.ratio &&
      !m.longMetric &&
      (things || m.stockPer !== undefined || sizeKind(m) === 'staff'),
  );
  if (!size) return [];
  const summed = numeric
    .filter(
      (m) =>
        m !== size &&
        m.aggregation === 'sum' &&
        m.nonNegative &&
        !m.stockPer &&
        !m.ratio &&
        !m.perUnit &&
        !m.longMetric &&
        !m.runningTotal &&
        !isAreaName(m.id) &&
        // Named as an amount (kWh, sales) or money: bedrooms add up only by default, and per m² mean nothing.
        (isAdditiveName(m.id) || m.format.kind === 'currency'),
    )
    .sort((a, b) => b.prior - a.prior)[0];
  // A table of things (listings, stores) may price them instead: price per sq ft.
  const price = !things
    ? undefined
    : numeric.find(
        (m) =>
          m !== size &&
          m.aggregation === 'mean' &&
          m.nonNegative &&
          !m.ratio &&
          !m.weightedBy &&
          /(^|[\s_-])(price|rent|value|cost)([\s_-]|$)/i.test(m.id),
      );
  const kind = sizeKind(size)!;
  // Staff earn money per head; customers and floor areas take any amount (data volume per customer, kWh per m²).
  const amount =
    kind === 'staff'
      ? summed?.format.kind === 'currency'
        ? summed
        : undefined
      : kind === 'customers'
        ? summed
        : (summed ?? price);
  if (!amount) return [];
  const perWhat = perSize(size, kind);
  const measure: Measure = {
    id: `${amount.id} per ${size.id}`,
    label: `${amount.label || amount.unit} per ${perWhat}`,
    aggregateSql: '',
    rowSql: `(${amount.rowSql} / nullif(${size.rowSql}, 0))`,
    aggregation: 'mean',
    format: amount.format.kind === 'currency' ? amount.format : { kind: 'number' },
    unit: amount.format.kind === 'currency' || !amount.label ? '' : amount.unit,
    decimals: 2,
    columns: [amount.id, size.id],
    prior: amount.prior * 0.95,
    nonNegative: true,
    overSpan: true,
    // A floor area holds while the amount moves; a staff or a customer base does not: followed over time too.
    ...(kind === 'area' ? { comparesThings: true } : {}),
    // So is a price per m² of things listed over time (each month its own flats): asking rents per m² rise.
    ...(kind === 'area' && amount === price ? { pricesThings: true } : {}),
    formula: `sum(${amount.id}) / sum(${size.id}), over the rows with ${size.id} above zero`,
  };
  weightBy(measure, size);
  return [measure];
}

/** A count of the customers a business serves at each moment (customers, subscribers, households, accounts). */
const customerBase = /(^|[_\s-])(customers|subscribers|households|members|accounts|connections)([_\s-]|$)/i;

/**
 * What an amount may be taken per: a floor area (sales per sq ft), a staff (revenue per FTE, a unit's
 * productivity) or the customer base of each moment (data volume per customer). Null for anything else.
 */
function sizeKind(m: Measure): 'staff' | 'customers' | 'area' | null {
  if (isHeadcountName(m.id)) return 'staff';
  if (m.stockPer !== undefined && customerBase.test(m.id)) return 'customers';
  return isAreaName(m.id) ? 'area' : null;
}

/** How one of a size is said: "customer", "FTE", "staff hour", "employee", "m²". */
function perSize(size: Measure, kind: 'staff' | 'customers' | 'area'): string {
  if (kind === 'customers') return singularOf(customerBase.exec(size.id)![2]!.toLowerCase());
  if (kind === 'area') return size.unit || nameParts(size.id).label;
  if (/(^|[_\s-])fte([_\s-]|$)/i.test(size.id)) return 'FTE';
  if (/(^|[_\s-])hours?([_\s-]|$)/i.test(size.id))
    return `${nameParts(size.id).label.replace(/\s*hours?\b.*$/i, '')} hour`.trim();
  return 'employee';
}

/** ISO 4217 codes of the currencies a file most often mixes, and how each is written before an amount. */
const CURRENCY_SYMBOLS: Record<string, string> = {
  USD: '$',
  EUR: '€',
  GBP: '£',
  JPY: '¥',
  CHF: 'CHF',
  CAD: 'CA$',
  AUD: 'A$',
  CNY: 'CN¥',
  INR: '₹',
  BRL: 'R$',
  MXN: 'MX$',
  SEK: 'SEK',
  NOK: 'NOK',
  DKK: 'DKK',
  PLN: 'PLN',
  ZAR: 'ZAR',
  HKD: 'HK$',
  SGD: 'S$',
  NZD: 'NZ$',
  KRW: '₩',
  TRY: 'TRY',
};

/**
 * Amounts in several currencies (a `currency` column of USD, EUR, JPY…) add up to nothing: ¥ would swamp
 * $ and €. With no rates in the file to convert them, the money measures read the most common currency's
 * rows only, are labelled with it, and the stories say so.
 */
async function restrictToOneCurrency(
  connection: DuckDBConnection,
  table: string,
  numeric: Measure[],
  categories: ColumnInfo[],
): Promise<DatasetProfile['oneCurrency']> {
  const column = categories.find(
    (c) =>
      c.type === 'text' &&
      c.distinctCount >= 2 &&
      c.distinctCount <= 30 &&
      (/^(currency|ccy|cur|currency[\s_-]?code|iso[\s_-]?currency)$/i.test(c.name.trim()) ||
        (c.examples.length > 0 && c.examples.every((e) => CURRENCY_SYMBOLS[e.trim().toUpperCase()] !== undefined))),
  );
  if (!column) return undefined;
  const money = numeric.filter(
    (m) =>
      !m.ratio &&
      (m.format.kind === 'currency' ||
        isMoneyByName(m.id) ||
        /(^|[\s_-])(amount|price|value|total|fee|balance|payment|sales|revenue|cost|spend)([\s_-]|$)/i.test(m.id)),
  );
  if (money.length === 0) return undefined;
  const c = quoteIdent(column.name);
  const counts = await queryRows(
    connection,
    `SELECT upper(trim(CAST(${c} AS VARCHAR))) AS code, count(*) AS n FROM ${table} WHERE ${c} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1`,
  );
  if (counts.length < 2) return undefined;
  const currency = String(counts[0]!.code);
  const symbol = CURRENCY_SYMBOLS[currency] ?? currency;
  const only = `upper(trim(CAST(${c} AS VARCHAR))) = ${quoteLiteral(currency)}`;
  for (const measure of money) {
    measure.rowSql = `(CASE WHEN ${only} THEN ${measure.rowSql} END)`;
    measure.aggregateSql = `${measure.aggregation === 'sum' ? 'sum' : 'avg'}(${measure.rowSql})`;
    measure.label = `${measure.label} (${currency})`;
    measure.format = { kind: 'currency', currency: symbol };
  }
  return {
    column: column.name,
    currency,
    rows: Number(counts[0]!.n),
    total: counts.reduce((sum, row) => sum + Number(row.n), 0),
    others: counts.slice(1).map((row) => String(row.code)),
  };
}

/** A panel's amounts per entity and period: at most this many per file (each runs through every breakdown). */
const MAX_PER_ENTITY_MEASURES = 3;

/**
 * A panel's amounts per entity and period (a petrol station's fuel revenue a week), where its entities come
 * in kinds (motorway, urban, rural stations): what the kinds are compared on, since their totals only count
 * how many of each there are. Compared across the kinds only (`perRowOf`), each entity one value.
 */
function perEntityMeasures(
  measures: Measure[],
  dimensions: Dimension[],
  entity: string | null,
  hierarchy: [string, string][],
  time: TimeField | null,
): Measure[] {
  const dimension = dimensions.find((d) => d.name === entity);
  if (!dimension || !time || !hierarchy.some(([child]) => child === entity)) return [];
  const noun = nounOf(dimension.label);
  return measures
    .filter(
      (m) =>
        m.aggregation === 'sum' &&
        m.id !== ROWS_MEASURE_ID &&
        m.columns.length === 1 &&
        m.nonNegative &&
        m.prior >= 1 &&
        !m.ratio &&
        !m.stockPer &&
        !m.perRowOf &&
        !m.runningTotal,
    )
    .slice(0, MAX_PER_ENTITY_MEASURES)
    .map((m) => ({
      ...m,
      id: `${m.id}:per-entity`,
      label: `${m.label} per ${noun} a ${time.granularity}`,
      aggregateSql: `avg(${m.rowSql})`,
      aggregation: 'mean' as const,
      // Beside the amount itself, a second reading of it, as an average ticket is: it leads only where it
      // clearly stands out.
      prior: 0.8,
      perRowOf: m.id,
      perEntity: true,
      overSpan: true,
    }));
}

/** Money per thing counted: at most this many such measures per file (each is a measure every detector runs on). */
const MAX_PER_UNIT_MEASURES = 2;
/** Units things are bought and priced by: money over them is a price per unit. */
const PRICED_UNITS = new Set(['kWh', 'MWh', 'L', 'kg', 't', 'm³']);

/**
 * Money per thing counted in the same rows (spend per conversion, revenue per order): what a marketer or
 * a shop reads first, and what neither column says alone. The per-row ratio averaged with the count as
 * weight, which is the ratio of the sums (total spend ÷ total conversions), never a mean of ratios; rows
 * without a count have none. One per money column, over its most telling base.
 */
function perUnitMeasures(numeric: Measure[]): Measure[] {
  const summed = numeric.filter((m) => m.aggregation === 'sum' && !m.ratio && !m.stockPer && !m.longMetric);
  // (Any money beside what is bought by its unit: a fee in USD beside the kWh it paid for.)
  const priced = summed.some((d) => d.nonNegative && PRICED_UNITS.has(d.unit));
  const money = summed.filter(
    (m) =>
      m.nonNegative &&
      (isMoneyByName(m.id) ||
        (isTakingsName(m.id) && (m.format.kind === 'currency' || m.decimals > 0)) ||
        (m.format.kind === 'currency' && (isValueName(m.id) || priced))),
  );
  const measures: Measure[] = [];
  for (const numerator of money) {
    const counted = summed
      .filter((d) => d !== numerator && d.nonNegative && d.format.kind === 'integer')
      .filter(
        (d) =>
          !countsForOther(
            numerator.id,
            d.id,
            money.map((m) => m.id),
          ),
      )
      .map((d) => ({ d, rank: perUnitRank(numerator.id, d.id) }))
      .filter((c): c is { d: Measure; rank: number } => c.rank !== null)
      .sort((a, b) => a.rank - b.rank)[0]?.d;
    // Else what was bought by its unit (energy in kWh, fuel in litres): money per unit is a price, the
    // figure a tariff change moves ("fee per kWh").
    const bought = counted
      ? undefined
      : summed.find((d) => d !== numerator && d.nonNegative && PRICED_UNITS.has(d.unit) && d.columns.length === 1);
    const base = counted ?? bought;
    if (!base || measures.length >= MAX_PER_UNIT_MEASURES) continue;
    const perBase = bought ? bought.unit : nameParts(base.id).label.replace(/s$/, '');
    measures.push(
      moneyPer(numerator, base, {
        id: `${numerator.id} per ${perBase}`,
        label: `${numerator.label} per ${perBase}`,
        format: numerator.format.kind === 'currency' ? numerator.format : { kind: 'number' },
        unit: numerator.unit,
        // What a conversion costs is the figure a campaign is judged by, ahead of its click-through rate.
        prior: !bought && isCostName(numerator.id) ? 1.3 : 1.15,
      }),
    );
  }
  // The price of a click beside the cost of a conversion: a click that got dearer (CPC up 76% from April)
  // is the cause that a cost per conversion only shows the effect of.
  const spend = money.find((m) => isCostName(m.id));
  const clicks = summed.find((d) => d.nonNegative && d.format.kind === 'integer' && hasToken(d.id, ['clicks']));
  if (spend && clicks && !measures.some((m) => m.perUnit?.money === spend.id && m.perUnit.base === clicks.id))
    measures.push(
      moneyPer(spend, clicks, {
        id: `${spend.id} per click`,
        label: 'cost per click',
        format: spend.format.kind === 'currency' ? spend.format : { kind: 'number' },
        unit: spend.unit,
        prior: 1.3,
      }),
    );
  return measures;
}

/** Money over a base in the same rows, as the ratio of the sums: the per-row ratio weighted by the base. */
function moneyPer(
  money: Measure,
  base: Measure,
  told: Pick<Measure, 'id' | 'label' | 'format' | 'unit' | 'prior'> & { computedAs?: string },
): Measure {
  const measure: Measure = {
    ...told,
    aggregateSql: '',
    rowSql: `(${money.rowSql} / nullif(${base.rowSql}, 0))`,
    aggregation: 'mean',
    decimals: 2,
    columns: [money.id, base.id],
    nonNegative: true,
    perUnit: { money: money.id, base: base.id },
    overSpan: true,
    formula: `sum(${money.id}) / sum(${base.id}), over the rows with ${base.id} above zero`,
  };
  weightBy(measure, base);
  return measure;
}

/**
 * Revenue per unit of spend (ROAS) where the same rows say what was spent and what it brought in: what a
 * channel or a campaign is judged by. The ratio of the sums (revenue weighted by spend), like money per
 * conversion; only for money named as spent (`spend`, `ad_spend`), not for a cost of doing the work.
 */
function returnOnSpend(numeric: Measure[]): Measure[] {
  const summed = numeric.filter(
    (m) =>
      m.aggregation === 'sum' && m.nonNegative && !m.ratio && !m.stockPer && !m.longMetric && m.columns.length === 1,
  );
  const spend = summed.find((m) => /(^|[\s_-])(spend|spent|spending)([\s_-]|$)/i.test(m.id));
  const revenue = summed.find((m) => m !== spend && isTakingsName(m.id) && !isCostName(m.id));
  if (!spend || !revenue) return [];
  return [
    moneyPer(revenue, spend, {
      id: `${revenue.id} per ${spend.id}`,
      label: 'ROAS',
      format: { kind: 'number' },
      unit: '',
      prior: 1.3,
      computedAs: `${revenue.label} ÷ ${spend.label}`,
    }),
  ];
}

/**
 * Units sold at a unit price, with no column of their product: the money the rows bring in is what a
 * shop reads first, so it is computed row by row (`sum(units × unit_price)`) and followed like a revenue
 * column. Never when a column already is that product (checked row by row in `derivedColumns`).
 */
function salesValueMeasure(numeric: Measure[], derived: readonly { column: string; from: string[] }[]): Measure | null {
  const single = numeric.filter((m) => m.columns.length === 1 && m.nonNegative && !m.longMetric && !m.stockPer);
  const quantity = single.find((m) => isQuantity(m) && m.format.kind === 'integer');
  const price = single.find(isUnitPrice);
  if (!quantity || !price) return null;
  // (Either way round: a total that is units × price, or a price that is the total over the units.)
  const involves = (d: { column: string; from: string[] }, id: string) => d.column === id || d.from.includes(id);
  if (derived.some((d) => involves(d, quantity.id) && involves(d, price.id))) return null;
  if (numeric.some((m) => isTakingsName(m.id) && m.aggregation === 'sum')) return null;
  const rowSql = `(${quantity.rowSql} * ${price.rowSql})`;
  return {
    id: `${quantity.id} × ${price.id}`,
    label: 'revenue',
    aggregateSql: `sum(${rowSql})`,
    rowSql,
    aggregation: 'sum',
    format: price.format.kind === 'currency' ? price.format : { kind: 'number' },
    unit: price.unit,
    decimals: 2,
    columns: [quantity.id, price.id],
    prior: 1.2,
    nonNegative: true,
    formula: `sum(${quantity.id} × ${price.id}), row by row`,
    computedAs: `${quantity.label} × ${price.label}`,
  };
}

/**
 * A log of purchases with a price and nothing else to count (one row per in-app purchase: `price_usd`): each
 * row's price is what was paid, so their sum is the money the log brings in — what its reader asks first
 * (who pays most, when it grew). Only where the file names its rows as purchases, orders or payments: a
 * table of listings has prices too, and nothing was paid.
 */
function pricePaidMeasure(numeric: Measure[], reading: CsvReading): Measure | null {
  const price = numeric.filter(isUnitPrice);
  if (price.length !== 1 || numeric.some((m) => isQuantity(m) || (m.aggregation === 'sum' && isTakingsName(m.id))))
    return null;
  // A column of what each row came to (total_eur, amount) already says what was paid.
  if (numeric.some((m) => m.aggregation === 'sum' && m.format.kind === 'currency' && isTotalAmountName(m.id)))
    return null;
  const paid =
    /(^|[_\s-])(purchases?|purchased|orders?|ordered|transactions?|payments?|paid|checkout|invoices?|receipts?)([_\s-]|$)/i;
  if (!reading.columns.some((column) => paid.test(column.name))) return null;
  const [m] = price as [Measure];
  return {
    id: `${m.id}:paid`,
    label: 'revenue',
    aggregateSql: `sum(${m.rowSql})`,
    rowSql: m.rowSql,
    aggregation: 'sum',
    format: m.format,
    unit: m.unit,
    decimals: 2,
    columns: [m.id],
    prior: 1.2,
    nonNegative: false,
    formula: `sum(${m.id}): each row's price is what was paid`,
    computedAs: `the ${m.label} paid`,
  };
}

/**
 * A column that is each line's quantity × its unit price (LineTotal, extended price) is the money the
 * rows bring in, whatever its name: read first, as revenue is, never after the quantity it multiplies
 * (compost bags and table saws add up to nothing).
 */
function boostSalesValue(numeric: Measure[], derived: readonly { column: string; from: string[] }[]): void {
  for (const relation of derived) {
    const value = numeric.find((m) => m.id === relation.column);
    const [b, c] = relation.from.map((id) => numeric.find((m) => m.id === id));
    if (value?.aggregation !== 'sum' || !b || !c || relation.from.length !== 2) continue;
    if ((isQuantity(b) && isUnitPrice(c)) || (isQuantity(c) && isUnitPrice(b)))
      value.prior = Math.max(value.prior, 1.2);
  }
}

/** Units of what a row sold or ordered (units, qty, items sold), summed. */
const isQuantity = (m: Measure) =>
  m.aggregation === 'sum' && /(^|\s)(units?|qty|quantity|quantities|items|pieces)( sold| ordered)?$/.test(m.label);
/** A row's price per unit, averaged. */
const isUnitPrice = (m: Measure) => m.aggregation === 'mean' && /(^|\s)(price|unit cost|unit value)$/.test(m.label);

/** A percentage, or a column named as a rate, ratio or share. */
const readsAsRate = (measure: Measure) =>
  measure.format.kind === 'percent' || /(^|[_\s])(rate|ratio|pct|percent|share)([_\s]|$)/i.test(measure.id);

function weightRates(numeric: Measure[], reading: CsvReading): void {
  // The largest of the volumes is the base of the others (ILI visits are some of the total visits).
  const volume = numeric
    .filter((m) => m.aggregation === 'sum' && isRateDenominatorName(m.id))
    .reduce<Measure | undefined>(
      (best, m) => (!best || (m.range?.max ?? 0) > (best.range?.max ?? 0) ? m : best),
      undefined,
    );
  if (!volume) return;
  for (const measure of numeric) {
    if (measure.aggregation !== 'mean' || !readsAsRate(measure) || measure === volume || isStateReadingName(measure.id))
      continue;
    const column = reading.columns.find((c) => c.name === measure.id);
    if (!column) continue;
    weightBy(measure, volume);
  }
}

/**
 * A percentage each row works out from two of its totals (operating margin = profit ÷ revenue, or 1 − costs
 * ÷ revenue): over several rows it is the ratio of their sums, not the mean of the rows' percentages (a
 * group's margin was 6.8%, its twelve units' average 7.6%). Weighted by the denominator, which gives that
 * ratio exactly, when the column matches k × b ÷ c or k × (1 − b ÷ c), k = 1 or 100, on 98% of its rows.
 */
async function weightRowRatios(
  connection: DuckDBConnection,
  table: string,
  numeric: Measure[],
  derived: readonly { column: string; from: string[] }[],
): Promise<void> {
  const find = (id: string) => numeric.find((m) => m.id === id);
  const candidates = derived.flatMap(({ column, from }) => {
    const [a, b, c] = [find(column), ...from.map(find)];
    if (!a || !b || !c || from.length !== 2 || a.aggregation !== 'mean' || a.weightedBy) return [];
    // (A margin, worked out in its own row, is a rate of the row's totals too.)
    if (!readsAsRate(a) && !/(^|[_\s])margin([_\s]|$)/i.test(a.id)) return [];
    if (b.aggregation !== 'sum' || c.aggregation !== 'sum' || !c.nonNegative) return [];
    return [{ a, b, c }];
  });
  if (candidates.length === 0) return;
  const checks = candidates.flatMap(({ a, b, c }, i) =>
    [1, 100].map((k) => {
      const ratio = `${b.rowSql} / nullif(${c.rowSql}, 0)`;
      const near = (sql: string) =>
        `abs(${a.rowSql} - ${k} * ${sql}) <= 0.06 * ${k / 100} + 0.01 * abs(${a.rowSql}) + 0.0006`;
      return `avg(CASE WHEN ${near(ratio)} OR ${near(`(1 - ${ratio})`)} THEN 1.0 ELSE 0.0 END) FILTER (WHERE ${a.rowSql} IS NOT NULL AND ${c.rowSql} > 0) AS w${i}_${k}`;
    }),
  );
  const row = await queryOne(connection, `SELECT ${checks.join(', ')} FROM ${table}`);
  for (const [i, { a, c }] of candidates.entries()) {
    if (a.weightedBy) continue;
    if (Number(row[`w${i}_1`] ?? 0) >= 0.98 || Number(row[`w${i}_100`] ?? 0) >= 0.98) weightBy(a, c);
  }
}

/** An average weighted by another column of the same rows (bounce rate by sessions, income by population). */
function weightBy(measure: Measure, weight: Measure): void {
  measure.aggregateSql = `sum(${measure.rowSql} * ${weight.rowSql}) / nullif(sum(CASE WHEN ${measure.rowSql} IS NOT NULL THEN ${weight.rowSql} END), 0)`;
  measure.weightedBy = weight.id;
}

/**
 * Columns that are another column's share of its total: derived, not independent. A share is proportional
 * to its base, so the first 100,000 rows tell as well as all of them.
 */
async function percentOfTotalColumns(connection: DuckDBConnection, table: string, numeric: Measure[]) {
  const shares = numeric.filter((m) => m.aggregation === 'mean' && m.nonNegative);
  const bases = numeric.filter((m) => m.aggregation === 'sum');
  const found: { column: string; from: string[] }[] = [];
  for (const share of shares.slice(0, 5)) {
    for (const base of bases.slice(0, 5)) {
      if (share === base) continue;
      const row = await queryOne(
        connection,
        `SELECT corr(s, b / nullif(total, 0)) AS r
         FROM (SELECT ${share.rowSql} AS s, ${base.rowSql} AS b, sum(${base.rowSql}) OVER () AS total FROM ${table} WHERE rowid < 100000)`,
      );
      if (Number(row.r) >= 0.999) found.push({ column: share.id, from: [base.id] });
    }
  }
  return found;
}

/**
 * Priors the file as a whole decides: a total of other columns (count = casual + registered) is the
 * headline over its parts; the weather (temperature, wind) is context when the file also counts or sells
 * something, and the subject only in a file of weather alone.
 */
function adjustPriors(measures: Measure[], sums: readonly { column: string; from: string[] }[]): void {
  const totals = new Set(sums.map((sum) => sum.column));
  const parts = new Set(sums.flatMap((sum) => sum.from));
  const counted = measures.some(
    (m) => m.aggregation === 'sum' && m.id !== ROWS_MEASURE_ID && !m.columns.some((column) => isWeatherName(column)),
  );
  // Beside an outcome (left the company, churned), another yes/no column (overtime) is a trait that may
  // explain it: its own rate by hours worked is context, not a story of its own.
  // (A category's share of the rows, the share of suites, is such a trait too.)
  const yesNoRate = (m: Measure) => m.aggregation === 'rate' && !m.ratio && !m.weightedBy && isYesNoRateId(m.id);
  const outcome = measures.some((m) => yesNoRate(m) && m.columns.some((column) => isOutcomeName(column)));
  // Beside a score the rows are judged by (a wine's points, a rating), a yes/no trait (organic) is what may
  // explain the score, not a story of its own: its share by price or by country is the mix behind the score.
  const scored = measures.some((m) => m.aggregation === 'mean' && m.columns.some((column) => isScoreName(column)));
  const timed = measures.some((m) => m.columns.some((column) => isTimeToName(column) || isDelayName(column)));
  const isTrait = (column: string) =>
    !isOutcomeName(column) && !isHappenedName(column) && !isVerdictName(column) && !isIntentName(column);
  for (const measure of measures) {
    // Lanes open or crews on duty meet the demand: the waits and volumes are the story, the plan its context.
    if (measure.columns.length > 0 && measure.columns.every(isCapacityName)) measure.prior *= 0.7;
    if (totals.has(measure.id)) measure.prior *= 1.15;
    // A part of such a total (a delivery fee inside the order total) is its detail, not the headline.
    else if (parts.has(measure.id)) measure.prior *= 0.85;
    // (Wind in TWh is electricity generated, not the weather.)
    if (
      counted &&
      measure.columns.length > 0 &&
      measure.columns.every((column) => isWeatherName(column)) &&
      !isQuantityUnit(measure.unit)
    )
      measure.prior *= 0.7;
    // The average discount is what the shop set; orders and money taken are what came of it (Black Friday's
    // discount spike is the cause told beside its sales, not the headline).
    if (counted && measure.aggregation === 'mean' && measure.columns.length === 1 && isLeverName(measure.columns[0]!))
      measure.prior *= 0.8;
    if (outcome && yesNoRate(measure) && !measure.columns.some((column) => isOutcomeName(column))) measure.prior *= 0.6;
    else if (scored && yesNoRate(measure) && measure.columns.every(isTrait)) measure.prior *= 0.6;
    // Beside how long each row took (days to adoption), an animal's or a parcel's size is what may explain
    // it: dogs are heavier than cats is context, not the shelter's story.
    if (timed && measure.aggregation === 'mean' && measure.columns.length === 1 && isBodySizeName(measure.columns[0]!))
      measure.prior *= 0.6;
    // Beside a satisfaction score, a respondent's age or household size is who answered, not what they said.
    if (
      scored &&
      measure.aggregation === 'mean' &&
      measure.columns.length === 1 &&
      isDemographicName(measure.columns[0]!)
    )
      measure.prior *= 0.6;
  }
}

/**
 * Numeric columns that are near-copies of an earlier one (a value and its seasonally adjusted twin): analysed
 * once. In a panel the copy must also move with the original inside each entity: across cities, waste and
 * population both follow the city's size (r = 0.99), but a city's monthly waste does not follow its
 * population — two measures, not one.
 */
async function nearDuplicates(
  connection: DuckDBConnection,
  relation: string,
  numeric: Measure[],
  derived: readonly { column: string; from: string[] }[],
  sums: readonly { column: string; from: string[] }[],
  entitySql?: string,
  /** A table of things with no time axis (cities), where a population is the size the rest follows. */
  timeless = false,
) {
  // Two sides of a row (women's and men's life expectancy) go together but are compared, never merged.
  // Nor are a plan and its outcome (budget and actual spend track each other closely: their gap is the story).
  const sided = (a: Measure, b: Measure) =>
    numeric.some(
      (m) =>
        (m.sides && [m.sides.first, m.sides.second].every((id) => id === a.id || id === b.id)) ||
        (m.variance && [m.variance.plan, m.variance.actual].every((id) => id === a.id || id === b.id)),
    );
  // A total and its largest part (count = casual + registered) tell one story: the total is the headline,
  // so the part is the copy, wherever the columns stand. (A factor of a product is no part: arrivals are
  // the headline of nights = arrivals × stay.)
  const isPart = (part: Measure, total: Measure) => sums.some((d) => d.column === total.id && d.from.includes(part.id));
  const pairs: [Measure, Measure][] = [];
  for (let i = 0; i < numeric.length; i++)
    for (let j = i + 1; j < numeric.length; j++) {
      const [a, b] = isPart(numeric[i]!, numeric[j]!) ? [numeric[j]!, numeric[i]!] : [numeric[i]!, numeric[j]!];
      // One column read two ways (a purchase's price, averaged and added up) is no copy of itself.
      if (!sided(a, b) && a.rowSql !== b.rowSql) pairs.push([a, b]);
    }
  if (pairs.length === 0 || pairs.length > 400) return [];
  const row = await queryOne(
    connection,
    `SELECT ${pairs.map(([a, b], i) => `corr(${a.rowSql}, ${b.rowSql}) AS r${i}`).join(', ')} FROM ${relation}`,
  );
  // The weather and what it drives (sunlight and the power it makes, r = 0.99) are two things, however
  // close: how one follows the other is a finding, and where it stops following, an inverter's fault.
  const weather = (m: Measure) => m.columns.length > 0 && m.columns.every(isWeatherName);
  const close = pairs.flatMap((pair, i) =>
    Math.abs(Number(row[`r${i}`])) >= 0.98 && weather(pair[0]) === weather(pair[1])
      ? [{ pair, r: Number(row[`r${i}`]) }]
      : [],
  );
  let within: Record<string, unknown> | null = null;
  if (entitySql && close.length > 0) {
    const centred = (m: Measure) => `${m.rowSql} - avg(${m.rowSql}) OVER (PARTITION BY ${entitySql})`;
    const columns = [...new Set(close.flatMap(({ pair }) => pair))];
    within = await queryOne(
      connection,
      `WITH c AS (SELECT ${columns.map((m, k) => `${centred(m)} AS x${k}`).join(', ')} FROM ${relation})
       SELECT ${close.map(({ pair: [a, b] }, i) => `corr(x${columns.indexOf(a)}, x${columns.indexOf(b)}) AS w${i}`).join(', ')} FROM c`,
    );
  }
  // Money is the headline of the two (revenue, not the conversions it tracks), wherever it stands; else
  // the count the other is built on: arrivals, of nights = arrivals × stay (or of stay = nights ÷ arrivals,
  // when only that way round holds).
  const ratioOf = (num: Measure, den: Measure) =>
    derived.some((d) => d.from.length === 2 && d.from[0] === num.id && d.from[1] === den.id && d.column !== num.id);
  const counted = (x: Measure, y: Measure) =>
    derived.some((d) => d.column === y.id && d.from.includes(x.id) && !sums.includes(d)) ||
    (ratioOf(y, x) && !ratioOf(x, y));
  // (Money by its name, or money that adds up by its currency: a florist's total_gbp, never the stems it
  // tracks; a listing's price is no headline over the mileage it follows.)
  const isMoney = (m: Measure) => isMoneyByName(m.id) || (m.format.kind === 'currency' && m.aggregation === 'sum');
  // A place's population is the size everything else of it follows (staff, budgets): it stays. (Over time a
  // population only trends, as GDP does: no headline there.) What is taken up (passengers) stays over what
  // is offered (seats, capacity).
  const population = (m: Measure) => timeless && m.columns.length === 1 && isPopulationName(m.columns[0]!);
  const takenUp = (m: Measure) => !(m.columns.length === 1 && isOfferedName(m.columns[0]!));
  const duplicates: { column: string; of: string; r: number }[] = [];
  close.forEach(({ pair, r }, i) => {
    if (within && !(Math.abs(Number(within[`w${i}`])) >= 0.9)) return;
    // The first preference the two sides differ on decides which is the headline.
    const decides = [population, takenUp].find((prefer) => prefer(pair[0]) !== prefer(pair[1]));
    const second = decides
      ? decides(pair[1])
      : (isMoney(pair[1]) && !isMoney(pair[0])) || (!isMoney(pair[0]) && counted(pair[1], pair[0]));
    const [a, b] = second ? [pair[1], pair[0]] : pair;
    if (!duplicates.some((d) => d.column === a.id)) duplicates.push({ column: b.id, of: a.id, r });
  });
  return duplicates.filter((d, i) => duplicates.findIndex((e) => e.column === d.column) === i);
}

/**
 * Measures that are mostly a function of the time column (tenure from a signup date): tightly tied to time
 * (|r| ≥ 0.9) and nearly the same for the rows of one time value (≤ 25% of the variance left within; in a
 * panel or a cube, whose rows are one member's moment each, ≤ 0.1%: a period index, not regions that all
 * grew alike). Never the weather: half a year of it warming from January to June, the same at every
 * station, is measured.
 * Their "trend" is arithmetic, not a finding. Needs several rows per time value to tell. Every measure's
 * correlation with time comes back too (the relation detector holds time fixed with it).
 */
async function derivedFromTime(
  connection: DuckDBConnection,
  relation: string,
  numeric: Measure[],
  time: TimeField,
  cells: boolean,
  /** A panel's entity: a measure that climbs by the same step a year in each of them is their age. */
  entitySql?: string,
): Promise<{ derived: string[]; correlations: Record<string, number> }> {
  if (numeric.length === 0) return { derived: [], correlations: {} };
  const aging = entitySql ? await agingWithTime(connection, relation, numeric, time, entitySql) : [];
  const parts = numeric.map(
    (m, i) => `corr(${m.rowSql}, epoch(${time.asTimestampSql})) AS r${i}, var_pop(${m.rowSql}) AS total${i}`,
  );
  const within = numeric.map((_m, i) => `sum(coalesce(w${i}, 0) * n) / sum(n) AS within${i}`);
  const row = await queryOne(
    connection,
    `WITH overall AS (SELECT ${parts.join(', ')} FROM ${relation}),
          groups AS (SELECT count(*) AS n, ${numeric.map((m, i) => `var_pop(${m.rowSql}) AS w${i}`).join(', ')}
                     FROM ${relation} GROUP BY ${time.sql} HAVING count(*) > 1)
     SELECT * FROM overall, (SELECT ${within.join(', ')}, sum(n) AS grouped FROM groups)`,
  );
  const correlations = Object.fromEntries(numeric.map((m, i) => [m.id, Number(row[`r${i}`])]));
  if (!(Number(row.grouped) > 0)) return { derived: aging, correlations };
  const derived = numeric
    .filter(
      (m, i) =>
        Math.abs(Number(row[`r${i}`])) >= 0.9 &&
        Number(row[`within${i}`]) <= (cells ? 0.001 : 0.25) * Number(row[`total${i}`]) &&
        !m.columns.some((column) => isWeatherName(column)),
    )
    .map((m) => m.id);
  return { derived: [...new Set([...derived, ...aging])], correlations };
}

/**
 * Measures that are each entity's age (a vine's years, a loan's months on book): in every entity with three
 * values or more a straight line in time (r ≥ 0.999), with the same slope for all of them (within 2%). Their
 * rise is the calendar's. A growing population is smooth too, but grows at each country's own pace.
 */
async function agingWithTime(
  connection: DuckDBConnection,
  relation: string,
  numeric: Measure[],
  time: TimeField,
  entitySql: string,
): Promise<string[]> {
  // In years, so that slopes stay of the size of the values (a year of age a year).
  const t = `epoch(${time.asTimestampSql}) / 31557600`;
  // Entities with three values of the measure at different moments at least; others have no line.
  const line = (i: number) => `n${i} >= 3 AND isfinite(r${i}) AND isfinite(s${i})`;
  const row = await queryOne(
    connection,
    `WITH lines AS (SELECT ${numeric.map((m, i) => `regr_count(${m.rowSql}, ${t}) AS n${i}, corr(${m.rowSql}, ${t}) AS r${i}, regr_slope(${m.rowSql}, ${t}) AS s${i}`).join(', ')}
                    FROM ${relation} GROUP BY ${entitySql})
     SELECT ${numeric.map((_m, i) => `count(*) FILTER (WHERE ${line(i)}) AS k${i}, min(r${i}) FILTER (WHERE ${line(i)}) AS r${i}, avg(s${i}) FILTER (WHERE ${line(i)}) AS s${i}, max(s${i}) FILTER (WHERE ${line(i)}) AS hi${i}, min(s${i}) FILTER (WHERE ${line(i)}) AS lo${i}`).join(', ')} FROM lines`,
  );
  return numeric
    .filter((_m, i) => {
      const [k, r, slope, hi, lo] = ['k', 'r', 's', 'hi', 'lo'].map((key) => Number(row[`${key}${i}`]));
      return k! >= 3 && r! >= 0.999 && slope! > 0 && hi! - lo! <= 0.02 * slope!;
    })
    .map((m) => m.id);
}

/** An id's record in words (rx_id: a prescription, txn_id: a transaction); "row" when it names none. */
function recordNoun(stem: string): string {
  const spelled: Record<string, string> = {
    rx: 'prescription',
    txn: 'transaction',
    trx: 'transaction',
    appt: 'appointment',
    inv: 'invoice',
    po: 'purchase order',
  };
  return spelled[stem.toLowerCase()] ?? (stem || 'row');
}
