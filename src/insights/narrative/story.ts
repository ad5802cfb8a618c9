import { queryOne, queryRows, quoteLiteral } from '../../db/duckdb.ts';
import type { CsvReading } from '../../ingest/types.ts';
import {
  chiSquareGoodnessOfFit,
  mannKendall,
  mean,
  median,
  normalSf,
  percentChange,
  poissonAtLeast,
  std,
  twoProportionTest,
  variance,
  welchTTest,
} from '../../stats/index.ts';
import { yearEnds } from '../detectors/meta.ts';
import { isOutcome } from '../detectors/mix-gap.ts';
import { computedTogether } from '../detectors/relation.ts';
import { dailyTotals, perCalendarDay, type Series, toSeries } from '../detectors/series.ts';
import { expectedAt, isYearlyCycle, positionOf, yearOf } from '../detectors/temporal.ts';
import { monthlyAverages } from '../detectors/temporal-scan.ts';
import { byMember, type GroupStats, pooledRatios, type QueryCache, ratioParts } from '../queries.ts';
import { dayKindOf, isLifecycleName, nameParts, outcomeWindow } from '../semantics.ts';
import { addPeriods, finer, periodLabel, sameTimeLastYear, truncSql } from '../time.ts';
import {
  type Angle,
  type Claim,
  type Dimension,
  type Fact,
  type Granularity,
  isYesNoRateId,
  type Measure,
  ROWS_MEASURE_ID,
  type TimeField,
} from '../types.ts';
import { describeFact, possessive } from './facts.ts';
import { ClaimSet, escapeMarkdown, formatMeasureValue, movesInUnits, valueRole } from './format.ts';
import {
  agree,
  capitalize,
  claim,
  granularityNoun,
  inPointsOf,
  listOf,
  at as onOrIn,
  pastTenTimes,
  signedText,
  stepAdjective,
  stepMove,
  type Vocabulary,
} from './phrases.ts';

export interface StoryText {
  title: string;
  /** Markdown: a `#` title, then paragraphs (lead, context, evidence, contrast, caveats). */
  narrative: string;
  /** Every claim the text may cite: the facts' and the ones computed while writing. */
  claims: Claim[];
  /** The member against the rest within each part of another breakdown, when the text says whether the gap holds. */
  stratified?: Stratified;
}

/** The positions of a cycle, as a plural noun. */
const CYCLE_NOUNS: Record<string, string> = { hour: 'hours', weekday: 'days', month: 'months', quarter: 'quarters' };

/** Where a column's blanks gather: one member of a breakdown, one period, or both (see `blanksWhere`). */
interface BlankSpot {
  member?: { dimension: string; member: string };
  period?: string;
  unit: Granularity;
  /** Blanks held there. */
  z: number;
}

/** Blank spots found per file (its query cache) and column. */
const blankSpots = new WeakMap<QueryCache, Map<string, BlankSpot | null>>();

export interface Stratified {
  /** The breakdown the gap was tested within (department). */
  dimension: string;
  rows: { group: string; inside: number; outside: number }[];
}

/** The members by their total of one measure, largest first (ties by name). */
function rankedBy(groups: GroupStats[], index: number): { member: string; value: number }[] {
  return groups
    .map((g) => ({ member: g.member, value: g.measures[index]?.value ?? 0 }))
    .sort((a, b) => b.value - a.value || (a.member < b.member ? -1 : 1));
}

/** Writes the narrative of one angle, computing the context it needs from the data; every number is a claim. */
export class StoryWriter {
  private readonly story: ClaimSet;
  private stratified: Stratified | undefined;

  constructor(
    private readonly q: QueryCache,
    private readonly words: Vocabulary,
    private readonly reading: CsvReading,
    private readonly granularity: Granularity | null,
  ) {
    this.story = new ClaimSet('story', q.profile.time?.yearSpelling);
  }

  async write(angle: Angle): Promise<StoryText> {
    const lead = angle.lead;
    const described = describeFact(lead, this.words);
    const paragraphs = [described.lead, await this.context(lead)];
    const evidence = await this.evidence(angle);
    if (evidence) paragraphs.push(evidence);
    const contrast = await this.contrast(angle);
    if (contrast) paragraphs.push(contrast);
    paragraphs.push(await this.caveats(angle));
    const facts = [lead, ...angle.support];
    const claims = [...facts.flatMap((fact) => Object.values(fact.claims)), ...Object.values(this.story.claims)];
    return {
      title: described.title,
      narrative: `# ${described.title}\n\n${paragraphs.join('\n\n')}\n`,
      claims,
      ...(this.stratified ? { stratified: this.stratified } : {}),
    };
  }

  private get profile() {
    return this.q.profile;
  }

  /** Compared to what: the size of the data, its span, and the measure's overall level. */
  private async context(lead: Fact): Promise<string> {
    const { profile } = this;
    const measure = this.words.measure(lead.measureId);
    const rows = this.story.count('rows', profile.rowCount).text;
    const time = profile.time;
    let span = '';
    if (time) {
      const unit = valueUnit(time.granularity);
      const from = this.story.period('from', time.min, periodLabel(time.min, unit)).text;
      const to = this.story.period('to', time.max, periodLabel(time.max, unit)).text;
      // Dates set aside as typos are outside that span: say so, not "from 1928 to 2025" for rows up to 2046.
      const aside = time.outliers
        ? ` (${this.story.count('outlierCount', time.outliers.rows).text} dated far from the others aside)`
        : '';
      // Sign-up dates say when each customer began, not the period the file covers.
      span = time.entityStart ? `, with ${time.label} from ${from} to ${to}${aside}` : ` from ${from} to ${to}${aside}`;
    }
    const index = profile.measures.findIndex((m) => m.id === measure.id);
    const totals = index >= 0 ? await this.q.totals(profile.measures) : [];
    const overall = totals[index];
    let level = '';
    const reached = time && measure.runningTotal ? await this.q.latestLevel(measure) : null;
    if (time && reached !== null) {
      const by = this.story.period('latestTime', time.max, periodLabel(time.max, valueUnit(time.granularity))).text;
      const value = this.story.measure('latestLevel', reached, measure, 'total').text;
      level = ` By ${by}, ${measure.label} had reached ${value}.`;
    } else if (overall !== null && overall !== undefined && !(await this.differsInScaleByEntity(measure))) {
      // A level per period (turbines online each day) averaged over the span keeps its decimals: 3.77, not 4.
      const role = measure.stockPer && profile.dimensions.length === 0 ? 'average' : valueRole(measure);
      const value = this.story.measure('overall', overall, measure, role).text;
      level =
        measure.id === ROWS_MEASURE_ID
          ? ''
          : measure.aggregation === 'sum'
            ? measure.stockPer
              ? // A level adds up across things at one moment; with nothing to add across, it only averages.
                profile.dimensions.length === 0
                ? ` Over the period, ${measure.label} ${agree(measure.label, 'averages', 'average')} ${value}.`
                : ` On average over the period, ${measure.label} ${agree(measure.label, 'adds', 'add')} up to ${value} per ${measure.stockPer}.`
              : ` Across all of it, ${measure.label} ${agree(measure.label, 'adds', 'add')} up to ${value}${measure.computedAs ? ` (${measure.computedAs} in each row; the file has no ${measure.label} column)` : ''}.`
            : measure.computedAs
              ? ` Across all of it, ${measure.label} (${measure.computedAs}, over all rows) ${agree(measure.label, 'is', 'are')} ${value}.`
              : ` Across all of it, the ${measure.aggregation === 'rate' || /^(average|mean)\b/i.test(measure.label) ? '' : 'average '}${measure.label} ${agree(measure.label, 'is', 'are')} ${value}.`;
    }
    let scope = '';
    if (lead.subspace && measure.aggregation === 'sum' && overall) {
      const dimension = this.words.dimension(lead.subspace.dimension);
      // Promo days' share of all sales mostly says how many promo days there were.
      if (dimension && !dimension.condition) {
        const groups = await this.q.groups(dimension, profile.measures);
        // A count to date: the member's share of what was reached, not of the average level.
        const value =
          reached !== null
            ? await this.q.latestLevel(measure, { dimension, member: lead.subspace.member })
            : (groups.find((g) => g.member === lead.subspace!.member)?.measures[index]?.value ?? null);
        const whole = reached ?? overall;
        // A share of a total is only a share when both are above zero.
        if (value !== null && value > 0 && whole > 0) {
          const share = this.story.percent('scopeShare', (value / whole) * 100).text;
          const of = measure.id === ROWS_MEASURE_ID ? 'them' : 'that total';
          scope = ` ${capitalize(this.words.member(dimension.name, lead.subspace.member))} accounts for ${share} of ${of}`;
          // Where the member stands among its siblings: the largest, or beside the one that is.
          const ranked = rankedBy(groups, index);
          const largest = ranked[0];
          if (reached === null && ranked.length >= 3 && largest && largest.value > 0) {
            const name = this.words.singular(dimension.name);
            if (largest.member === lead.subspace.member) scope += `, the most of any ${name}`;
            else {
              const member = this.story.member('largestMember', largest.member).text;
              const largestShare = this.story.percent('largestShare', (largest.value / whole) * 100).text;
              scope += `; the largest ${name}, ${this.words.member(dimension.name, member)}, brings ${largestShare}`;
            }
          }
          scope += '.';
        }
      }
    }
    const parts = !lead.subspace && !lead.dimension && overall ? await this.composition(measure, index, overall) : '';
    return `For context: the file holds ${rows} rows${span}.${level}${scope}${parts}`;
  }

  /**
   * What a whole-table total is made of: the breakdowns whose largest member stands out most (Footwear, a
   * third of the revenue of six categories), at most two, each a quarter ahead of the next member. A story
   * of a member or of a breakdown already names its place among the others.
   */
  private async composition(measure: Measure, index: number, whole: number): Promise<string> {
    const { profile } = this;
    if (measure.aggregation !== 'sum' || measure.stockPer || measure.runningTotal || measure.longMetric) return '';
    if (profile.cube || !(whole > 0)) return '';
    const leads: { dimension: Dimension; member: string; share: number; lift: number }[] = [];
    for (const dimension of profile.dimensions) {
      // (How the rows ended, delivered or cancelled, is an outcome's rate, not a part of the total.)
      if (dimension.condition || dimension.binary || dimension.coded || dimension.binOf || dimension.cardinality > 12)
        continue;
      if (isLifecycleName(dimension.name)) continue;
      const ranked = rankedBy(await this.q.groups(dimension, profile.measures), index);
      if (ranked.length < 3 || ranked.some((g) => g.value < 0)) continue;
      const [first, second] = [ranked[0]!, ranked[1]!];
      const share = first.value / whole;
      if (share < 0.2 || share >= 0.95 || first.value < 1.25 * second.value) continue;
      leads.push({ dimension, member: first.member, share, lift: share * ranked.length });
    }
    const told = leads.sort((a, b) => b.lift - a.lift || (a.dimension.name < b.dimension.name ? -1 : 1)).slice(0, 2);
    const phrases = told.map(({ dimension, member, share }, i) => {
      const name = this.words.member(dimension.name, this.story.member(`composition${i}Member`, member).text);
      const percent = this.story.percent(`composition${i}Share`, share * 100).text;
      const kind = this.words.singular(dimension.name);
      return i === 0
        ? `The largest ${kind} is ${name} (${percent} of ${measure.id === ROWS_MEASURE_ID ? 'them' : 'it'})`
        : `the largest ${kind} ${name} (${percent})`;
    });
    return phrases.length === 0 ? '' : ` ${phrases.join(', and ')}.`;
  }

  /** Supporting facts on the same subject: the drill-down. */
  private async evidence(angle: Angle): Promise<string | null> {
    // A support that only repeats the lead's numbers (the per-install average of a total's gap) is dropped.
    const told = new Set(Object.values(angle.lead.claims).map((c) => c.text));
    const repeats = (mention: string) => {
      const numbers = mention.match(/[€$£]?\d[\d,.]*%?/g) ?? [];
      return numbers.length > 0 && numbers.every((n) => told.has(n.replace(/[.,]$/, '')));
    };
    const mentions = angle.support
      .slice(0, 3)
      .map((fact) => describeFact(fact, this.words).mention)
      .filter((mention) => !repeats(mention));
    const detail = await this.detail(angle.lead);
    const alongside = await this.alongside(angle);
    const parts = [...(detail ? [detail] : []), ...(alongside ? [alongside] : []), ...mentions];
    if (parts.length === 0) return null;
    return `Looking closer: ${joinSharingOpenings(parts)}`;
  }

  /**
   * For a member's spike, its other totals in the same period against what their own neighbours point to
   * ("West revenue: 12,801 against about 25,400 expected, -49.6%"), unless a supporting fact already says it.
   */
  private async alongside(angle: Angle): Promise<string | null> {
    const lead = angle.lead;
    const time = this.profile.time;
    const dimension = this.words.dimension(lead.subspace?.dimension);
    const granularity = lead.data.granularity as Granularity | undefined;
    if (lead.type !== 'spike' || !lead.subspace || !time || !dimension || !granularity) return null;
    const at = String(lead.data.at);
    const told = new Set(
      angle.support.filter((f) => f.subspace?.member === lead.subspace!.member).map((f) => f.measureId),
    );
    const buckets = (await this.q.memberSeries(dimension, granularity, this.profile.measures)).filter(
      (b) => b.member === lead.subspace!.member,
    );
    const parts: string[] = [];
    for (const [index, measure] of this.profile.measures.entries()) {
      if (parts.length >= 2 || measure.id === lead.measureId || told.has(measure.id) || measure.aggregation !== 'sum')
        continue;
      const series = toSeries(buckets, index, granularity, time.granularity);
      const i = series.periods.indexOf(at);
      const expected = i >= 0 ? expectedAt(series, i) : null;
      if (expected === null || expected === 0) continue;
      const actual = series.values[i]!;
      const change = ((actual - expected) / Math.abs(expected)) * 100;
      if (Math.abs(change) < 10) continue;
      const key = `alongside${parts.length}`;
      const value = this.story.measure(`${key}Value`, actual, measure, 'total').text;
      const usual = this.story.measure(`${key}Expected`, expected, measure, 'total').text;
      const pct = this.story.percent(`${key}Change`, change).text;
      parts.push(`${measure.label} ${value} against about ${usual} expected (${change > 0 ? '+' : ''}${pct})`);
    }
    if (parts.length === 0) return null;
    const member = capitalize(this.words.member(dimension.name, lead.subspace.member));
    return `${possessive(member)} other totals moved with it that ${granularity}: ${listOf(parts)}.`;
  }

  /** The numbers under the headline: the full ranking, the cycle's shape, the counts behind a rate. */
  private async detail(lead: Fact): Promise<string | null> {
    const measure = this.words.measure(lead.measureId);
    const role = valueRole(measure);
    if (lead.type === 'pattern_exception' && !measure.interval) return this.changeByMember(lead);
    if (lead.type === 'laggard') {
      const members = (lead.data.members as { member: string; value: number; share: number }[]).slice(-4).reverse();
      const listed = members.map((m, i) => {
        this.story.member(`lowMember${i}`, m.member);
        return `${this.words.member(lead.dimension, m.member)} ${this.story.measure(`lowValue${i}`, m.value, measure, role).text} (${this.story.percent(`lowShare${i}`, m.share * 100).text})`;
      });
      return `By ${this.words.singular(lead.dimension)}, the smallest are ${listOf(listed)}.`;
    }
    if (lead.type === 'leader' || lead.type === 'concentration') {
      const members = (lead.data.members as { member: string; value: number; share: number }[]).slice(
        0,
        lead.type === 'leader' ? 5 : 3,
      );
      const listed = members.map((m, i) => {
        // Named members are claims too: a member beyond the profile's top list still traces.
        this.story.member(`rankMember${i}`, m.member);
        return `${this.words.member(lead.dimension, m.member)} ${this.story.measure(`rankValue${i}`, m.value, measure, role).text} (${this.story.percent(`rankShare${i}`, m.share * 100).text})`;
      });
      return `By ${this.words.singular(lead.dimension)}, the largest are ${listOf(listed)}.`;
    }
    if (lead.type === 'seasonality') {
      const profile = lead.data.profile as { label: string; value: number; n?: number }[];
      // Hours with no rows at all (a café closed at night) are not its quietest hours: they are left out.
      const ranked = profile
        .map((p, i) => ({ ...p, i }))
        .filter((p) => p.n !== 0)
        .sort((a, b) => b.value - a.value);
      // Differences from the trend carry their sign: "August (-265,202)" among the highest months reads as below it.
      const signed = (value: number, text: string) =>
        isYearlyCycle(lead.data.cycle) && value > 0 && !text.startsWith('+') ? `+${text}` : text;
      // A handful an hour is an average with its decimals, as in the lead ("5.58", not "6").
      const few = measure.aggregation === 'sum' && Math.abs(ranked[0]?.value ?? 0) < 10;
      const listed = isYearlyCycle(lead.data.cycle) || few ? 'average' : role;
      const say = (p: { label: string; value: number }, key: string) =>
        `${this.story.add(`${key}Label`, p.label, 'period', p.label).text} (${signed(p.value, this.story.measure(key, p.value, measure, listed).text)})`;
      const what = isYearlyCycle(lead.data.cycle) ? ' (difference from trend)' : '';
      // Four quarters are listed in full, highest first: a top three and a bottom three would overlap.
      if (ranked.length <= 6) {
        const all = ranked.map((p, k) => say(p, `cycleRank${k}`));
        return `By ${lead.data.cycle}, from highest to lowest${what}: ${listOf(all)}.`;
      }
      const top = ranked.slice(0, 3).map((p, k) => say(p, `cycleTop${k}`));
      const bottom = ranked
        .slice(-3)
        .reverse()
        .map((p, k) => say(p, `cycleLow${k}`));
      const noun = CYCLE_NOUNS[String(lead.data.cycle)] ?? 'months';
      return `The highest ${noun} are ${listOf(top)}; the lowest are ${listOf(bottom)}${what}.`;
    }
    if (lead.type === 'segment_difference' && lead.dimension) {
      const dimension = this.words.dimension(lead.dimension);
      const member = String(lead.data.member);
      if (!dimension) return null;
      if (measure.aggregation === 'rate' && !measure.ratio) {
        // The member's counts from the breakdown's groups, at the moment a panel's gap was measured (one send of
        // a newsletter), else over the whole file.
        const moment = typeof lead.data.moment === 'string' ? lead.data.moment : undefined;
        const groups = await this.q.groups(dimension, this.profile.measures, moment);
        const counts = groups.find((g) => g.member === member)?.measures[this.profile.measures.indexOf(measure)];
        if (!counts) return null;
        const k = this.story.count('memberPositives', counts.k).text;
        const n = this.story.count('memberRows', counts.trials).text;
        const counted = measure.positiveLabel ? ` ${countedAs(measure.positiveLabel)}` : '';
        return `In counts: ${k} of the ${n} ${this.words.measure(ROWS_MEASURE_ID).label} in ${this.words.member(dimension.name, member)}${counted}.`;
      }
      if (measure.aggregation === 'mean') {
        const row = await queryOne(
          this.q.connection,
          `SELECT quantile_cont(${measure.rowSql}, 0.25) AS lo, quantile_cont(${measure.rowSql}, 0.75) AS hi, count(${measure.rowSql}) AS n
           FROM ${this.profile.table} WHERE ${dimension.sql} = ${quoteLiteral(member)}`,
        );
        const lo = this.story.measure('memberP25', Number(row.lo), measure, 'raw').text;
        const hi = this.story.measure('memberP75', Number(row.hi), measure, 'raw').text;
        const n = this.story.count('memberN', Number(row.n)).text;
        return `Across its ${n} rows, the middle half of ${possessive(this.words.member(dimension.name, member))} ${measure.label} values lies between ${lo} and ${hi}.`;
      }
      return null;
    }
    // A link told on daily values has no slope over single readings to add (that is what hid it).
    if (lead.type === 'correlation' && !lead.data.outcome && !lead.data.daily) {
      // The detector put first the side that usually explains the other (GDP → happiness, length → weight).
      const a = this.words.measure(String(lead.data.a));
      const b = this.words.measure(String(lead.data.b));
      const nonZero = lead.data.nonZero ? this.words.measure(String(lead.data.nonZero)) : null;
      const row = await queryOne(
        this.q.connection,
        `SELECT regr_slope(${b.rowSql}, ${a.rowSql}) AS slope, regr_r2(${b.rowSql}, ${a.rowSql}) AS r2 FROM ${this.profile.sampleRelation}${nonZero ? ` WHERE ${nonZero.rowSql} <> 0` : ''}`,
      );
      const slope = Number(row.slope);
      if (!Number.isFinite(slope)) return null;
      // A slope under 0.1 per unit reads better per 10, 100 or 1,000 units ($1,000 of spend brings 30 signups).
      // Percentages kept as fractions (0.25 for 25%) move by points: a point of a is 0.01 of its cells, and b's
      // fraction is shown ×100.
      const fraction = (m: Measure) => m.format.kind === 'percent' && m.format.percentScale === 'fraction';
      const perUnitOfA = Math.abs(slope) * (fraction(a) ? 0.01 : 1);
      const shown = perUnitOfA * (fraction(b) ? 100 : 1);
      // Ten points at most of a percentage: a hundred would be all of its scale.
      const most = a.format.kind === 'percent' ? 1 : 6;
      // Never a step beyond half of a's own range (10,000 units of something that spans 1 to 90).
      const span = a.range ? a.range.max - a.range.min : Number.POSITIVE_INFINITY;
      const widest = span >= 2 ? Math.floor(Math.log10(span / 2)) : 0;
      const step = shown > 0 && shown < 0.1 ? 10 ** Math.min(most, widest, Math.ceil(-Math.log10(shown))) : 1;
      // A percentage moves by points: "6.3 points more college graduates", never "6.3% more".
      const slopeText = this.story.measure('slope', perUnitOfA * step, b, 'average').text;
      const per = b.format.kind === 'percent' ? `${slopeText.replace(/%$/, '')} points` : slopeText;
      const amount = step === 1 ? '' : this.story.count('slopeStep', step).text;
      const unit = this.slopeStepUnit(a, step, amount);
      const r2 = this.story.percent('r2', Number(row.r2) * 100).text;
      return `On average, each extra ${unit} of ${a.label} goes with ${per} ${slope >= 0 ? 'more' : 'less'} ${b.label}; ${a.label} alone accounts for ${r2} of the variation in ${b.label}.`;
    }
    // Month-to-month steps of a seasonal reading are its season, not news (a seasonal anomaly's months).
    if (
      (['trend', 'peak', 'change_point', 'spike', 'share_shift'].includes(lead.type) ||
        lead.data.kind === 'timeline') &&
      !lead.data.anomaly &&
      // (An opening's steps are from nothing: its first month is no rise.)
      !lead.data.launch
    ) {
      const points = (lead.data.points as { t: string; value: number }[] | undefined) ?? [];
      if (points.length < 3) return null;
      const granularity = (lead.data.granularity as Granularity) ?? 'month';
      // Daily totals by month step a day at a time: March is not 239 parcels up on February for its three
      // extra days.
      const time = this.profile.time;
      const perDay =
        time !== null && dailyTotals(measure, granularity, time.granularity) && points.every((p) => p.value > 0);
      const values = perDay
        ? perCalendarDay(
            { granularity, periods: points.map((p) => p.t), values: points.map((p) => p.value) },
            measure,
            time!,
          ).values
        : points.map((p) => p.value);
      const steps = points.slice(1).map((p, i) => ({ t: p.t, change: values[i + 1]! - values[i]! }));
      const biggestRise = [...steps].sort((x, y) => y.change - x.change)[0]!;
      const biggestFall = [...steps].sort((x, y) => x.change - y.change)[0]!;
      const aDay = perDay ? ' a day' : '';
      const riseText = `${inPointsOf(
        measure,
        this.story.measure('biggestRise', Math.abs(biggestRise.change), measure, perDay ? 'average' : role).text,
      )}${aDay}`;
      const fallText = `${inPointsOf(
        measure,
        this.story.measure('biggestFall', Math.abs(biggestFall.change), measure, perDay ? 'average' : role).text,
      )}${aDay}`;
      const riseAt = this.story.period('biggestRiseAt', biggestRise.t, periodLabel(biggestRise.t, granularity)).text;
      const fallAt = this.story.period('biggestFallAt', biggestFall.t, periodLabel(biggestFall.t, granularity)).text;
      const subject = lead.subspace ? this.words.subject(lead) : measure.label;
      const adjective = stepAdjective(points, granularity, 'on');
      const step = adjective === 'successive' ? '' : ` ${adjective}`;
      // Only call a step a fall when it is one: a series that rose every time has a smallest rise instead.
      if (biggestFall.change >= 0) {
        return `${capitalize(subject)} rose at every step; the largest single${step} rise came ${onOrIn(riseAt)} (+${riseText}) and the smallest ${onOrIn(fallAt)} (+${fallText}).`;
      }
      if (biggestRise.change <= 0) {
        return `${capitalize(subject)} fell at every step; the largest single${step} fall came ${onOrIn(fallAt)} (-${fallText}) and the smallest ${onOrIn(riseAt)} (-${riseText}).`;
      }
      return `The largest single${step} rise in ${subject} came ${onOrIn(riseAt)} (+${riseText}) and the largest fall ${onOrIn(fallAt)} (-${fallText}).`;
    }
    return null;
  }

  /** A contrast or an exception: what behaved differently, so the lead has something to be measured against. */
  private async contrast(angle: Angle): Promise<string | null> {
    const lead = angle.lead;
    if (lead.subspace && Array.isArray(lead.data.siblings)) return this.siblingContrast(lead);
    if (lead.type === 'seasonality' && !isYearlyCycle(lead.data.cycle)) return this.cycleByMember(lead);
    if (lead.type === 'seasonality') return this.cycleOverYears(lead);
    if (lead.type === 'concentration' || lead.type === 'leader') return this.tail(lead);
    if (lead.type === 'laggard') return this.top(lead);
    if (lead.type === 'segment_difference') return this.segmentRobustness(lead);
    if (lead.type === 'correlation' && !lead.data.outcome) return this.withinGroups(lead);
    // Members' moves over the span: for a movement over it, told on months or coarser (a day against a day
    // is chance: "rose 2,293%" from a $65 first day); a one-period spike has no span to compare.
    const overSpan = ['trend', 'peak', 'change_point'].includes(lead.type);
    if (overSpan && !lead.subspace && !finer(lead.data.granularity as Granularity, 'month')) {
      const members = await this.membersOverTime(lead);
      if (members) return members;
    }
    return this.relatedMeasures(lead);
  }

  /**
   * A level whose entities live on different scales (the close of eight stocks, from 20 to 400): an
   * average across them is no figure of anything, so the context does not give one.
   */
  private async differsInScaleByEntity(measure: Measure): Promise<boolean> {
    const entity = this.profile.entity ? this.words.dimension(this.profile.entity) : undefined;
    if (!entity || measure.aggregation !== 'mean' || measure.interval) return false;
    // Every measure's groups, as discovery already asked for them (a cached rollup).
    const index = this.profile.measures.findIndex((m) => m.id === measure.id);
    const groups = await this.q.groups(entity);
    const means = groups.map((g) => g.measures[index]?.value).filter((v): v is number => typeof v === 'number');
    const low = Math.min(...means);
    return means.length >= 2 && low > 0 && Math.max(...means) / low > 5;
  }

  /** The measure among the others that moves most with the lead's (or its near-copy, if the file has one). */
  private async relatedMeasures(lead: Fact): Promise<string | null> {
    const measure = this.words.measure(lead.measureId);
    const copy = this.profile.duplicates.find((d) => d.of === measure.id || d.column === measure.id);
    // A seasonally adjusted copy moves with the series year on year, not month by month: for a cycle it is
    // the one column that does not tell the same story.
    const adjusted = (name: string) => /deseason|seasonal(ly)?[\s_-]*adj|adjusted|trend/i.test(name);
    if (copy && lead.type === 'seasonality' && adjusted(copy.of === measure.id ? copy.column : copy.of)) return null;
    if (copy) {
      // Its readable name ("maximum temperature" for TMAX), escaped like every name the file gives.
      const other = escapeMarkdown(nameParts(copy.of === measure.id ? copy.column : copy.of).label);
      const r = this.story.correlation('copyR', copy.r).text;
      return `The file also holds ${other}, which moves almost exactly with ${measure.label} (r = ${r}); it tells the same story, so it was not analysed separately.`;
    }
    if (measure.aggregation === 'rate' || measure.id === ROWS_MEASURE_ID || !measure.rowSql || measure.longMetric)
      return null;
    // Not a measure it goes with by construction.
    const arithmetic = (m: Measure) => computedTogether(this.profile.derived, measure, m);
    const others = this.profile.measures.filter(
      (m) =>
        m !== measure &&
        m.aggregation !== 'rate' &&
        m.id !== ROWS_MEASURE_ID &&
        m.rowSql &&
        !m.longMetric &&
        !arithmetic(m),
    );
    if (others.length === 0) return null;
    const row = await queryOne(
      this.q.connection,
      `SELECT ${others.map((m, i) => `corr(${measure.rowSql}, ${m.rowSql}) AS r${i}`).join(', ')} FROM ${this.profile.sampleRelation}`,
    );
    const best = others
      .map((m, i) => ({ m, r: Number(row[`r${i}`]) }))
      .filter((x) => Number.isFinite(x.r))
      .sort((a, b) => Math.abs(b.r) - Math.abs(a.r))[0];
    if (!best) return null;
    const r = this.story.correlation('relatedR', best.r).text;
    return Math.abs(best.r) >= 0.3
      ? `Of the other numeric columns, ${best.m.label} moves most with ${measure.label} (r = ${r}).`
      : `None of the other numeric columns moves much with ${measure.label}: the strongest link, with ${best.m.label}, is r = ${r}.`;
  }

  /**
   * The sibling that did not move while the lead did: no trend (Mann–Kendall p > 0.1) and a coefficient
   * of variation under 15%, its range within 40% of its average ("Nuclear stayed between 3,853 and 5,321,
   * 4,712 on average").
   */
  private steadySibling(
    lead: Fact,
    siblings: { member: string; points: { t: string; value: number }[] }[],
  ): string | null {
    const measure = this.words.measure(lead.measureId);
    const role = valueRole(measure);
    const candidates = siblings
      .filter((s) => s.points.length >= 6)
      .map((s) => {
        const values = s.points.map((p) => p.value);
        const average = values.reduce((a, b) => a + b, 0) / values.length;
        const cv = average > 0 ? (std(values) ?? 0) / average : Number.POSITIVE_INFINITY;
        return { member: s.member, values, average, cv, p: mannKendall(values).p };
      })
      // Flat means its whole range is narrow too: a rise of 65% and a fall back is no trend, nor flat.
      .filter((s) => s.cv < 0.15 && s.p > 0.1 && Math.max(...s.values) - Math.min(...s.values) <= 0.4 * s.average)
      .sort((a, b) => b.average - a.average || (a.member < b.member ? -1 : 1));
    const steady = candidates[0];
    if (!steady) return null;
    const low = this.story.measure('steadyLow', Math.min(...steady.values), measure, role).text;
    const high = this.story.measure('steadyHigh', Math.max(...steady.values), measure, role).text;
    const average = this.story.measure('steadyAverage', steady.average, measure, role).text;
    return `${capitalize(this.words.member(lead.subspace!.dimension, steady.member))} stayed roughly flat throughout, between ${low} and ${high} (${average} on average).`;
  }

  private siblingContrast(lead: Fact): string | null {
    const siblings = lead.data.siblings as { member: string; points: { t: string; value: number }[] }[];
    if (lead.type === 'peak') return this.siblingPeaks(lead, siblings);
    const measure = this.words.measure(lead.measureId);
    const interval = Boolean(measure.interval);
    const changes = siblings
      .filter((s) => s.points.length >= 2)
      .map((s) => ({ member: s.member, first: s.points[0]!, last: s.points[s.points.length - 1]! }))
      .map((s) => ({
        ...s,
        // In units on an interval scale (°C), else in percent.
        change: interval ? s.last.value - s.first.value : percentChange(s.last.value, s.first.value),
      }));
    if (changes.length === 0) return null;
    // Without a direction of its own (a share that grew from nothing), no sibling went "the other way".
    const own = Number(lead.claims.changePct?.value ?? lead.claims.valueChangePct?.value ?? 0);
    const opposite = changes
      .filter((c) => own !== 0 && Math.sign(c.change) !== Math.sign(own) && c.change !== 0)
      .sort((a, b) => Math.abs(b.change) - Math.abs(a.change))[0];
    const role = valueRole(measure);
    const dimension = lead.subspace!.dimension;
    const granularity = (lead.data.granularity as Granularity) ?? 'day';
    const steady =
      (lead.type === 'trend' || lead.type === 'share_shift') &&
      this.steadySibling(
        lead,
        siblings.filter((sibling) => sibling.member !== opposite?.member),
      );
    if ((lead.type === 'trend' || lead.type === 'share_shift') && !opposite && steady) return steady;
    if ((lead.type === 'trend' || lead.type === 'share_shift') && opposite) {
      const name = this.words.member(dimension, opposite.member);
      const from = this.story.measure(`opp_first`, opposite.first.value, measure, role).text;
      const to = this.story.measure(`opp_last`, opposite.last.value, measure, role).text;
      const change = this.story
        .change('opp_change', opposite.first.value, opposite.last.value, measure, role)
        .text.replace(/^-/, '');
      const fromPeriod = this.story.period(
        'opp_from',
        opposite.first.t,
        periodLabel(opposite.first.t, granularity),
      ).text;
      const toPeriod = this.story.period('opp_to', opposite.last.t, periodLabel(opposite.last.t, granularity)).text;
      const also = steady ? ` ${steady}` : '';
      // Past ten times (from a small start) the two values say it; "up 706,975%" would not.
      const by = interval || !pastTenTimes(opposite.change) ? `, ${opposite.change < 0 ? 'down' : 'up'} ${change}` : '';
      return `${capitalize(name)} went the other way: from ${from} ${onOrIn(fromPeriod)} to ${to} ${onOrIn(toPeriod)}${by}.${also}`;
    }
    // Spikes and shifts: how the others sat around the same moment.
    const at = String(lead.data.at ?? '');
    // Each with its own step into that moment, so the sentence shows moves, not only levels.
    const levels = siblings
      .map((s) => {
        const i = s.points.findIndex((p) => p.t === at);
        return { member: s.member, value: s.points[i]?.value, before: i > 0 ? s.points[i - 1]!.value : undefined };
      })
      .filter((s): s is { member: string; value: number; before: number | undefined } => s.value !== undefined)
      .sort((a, b) => b.value - a.value);
    if (levels.length === 0 || !at) return null;
    const listed = levels.slice(0, 4).map((s, i) => {
      const level = `${this.words.member(dimension, s.member)} ${this.story.measure(`sibling${i}`, s.value, measure, role).text}`;
      if (s.before === undefined || (!interval && !(s.before > 0))) return level;
      const text = this.story.change(`siblingMove${i}`, s.before, s.value, measure, role).text;
      return `${level} (${signedText(text)})`;
    });
    const when = this.story.period('siblingsAt', at, periodLabel(at, granularity)).text;
    const moves = listed.some((item) => item.endsWith(')')) ? `, each against the ${granularity} before` : '';
    return `Set against its siblings, the move is ${lead.surprise > 1 ? 'an exception' : 'part of a wider movement'}: ${onOrIn(when)} the other ${this.words.plural(dimension)} stood at ${listOf(listed)}${moves}.`;
  }

  /** For a weekly or daily cycle: the dimension whose members follow it least alike. */
  private async cycleByMember(lead: Fact): Promise<string | null> {
    const time = this.profile.time;
    if (!time) return null;
    const cycle = lead.data.cycle as 'weekday' | 'hour';
    const measure = this.words.measure(lead.measureId);
    const inUnits = movesInUnits(measure);
    let best: {
      dimension: string;
      rows: { member: string; change: number; a: number; b: number; se: number }[];
      spread: number;
    } | null = null;
    for (const dimension of this.profile.dimensions) {
      // A condition (working days and the others) may shape the rhythm too, unless it is the calendar's own
      // (working days against the weekday cycle), or it is set per entity of a panel (a store's promo days,
      // whose daily totals count only the stores on promo).
      const condition = dimension.binary && dimension.condition && this.profile.entity === null;
      if (dimension.binary && !condition) continue;
      if (condition && cycle === 'weekday' && dayKindOf(dimension.label) !== null) continue;
      if (dimension.cardinality > 10 || dimension.cardinality < 2) continue;
      const source = cycle === 'weekday' ? 'day' : 'hour';
      const rows = await this.q.memberSeries(dimension, source, this.profile.measures);
      const index = this.profile.measures.indexOf(measure);
      // A ratio (spend per conversion) on each side from its sums: a quiet day's $400 per conversion must
      // not count as much as a busy day's $25.
      const parts = ratioParts(measure, this.profile.measures);
      const sums = parts ? await this.q.memberSeries(dimension, source, parts) : [];
      const summaries: { member: string; change: number; a: number; b: number; se: number }[] = [];
      for (const [member, memberRows] of byMember(rows)) {
        const series = toSeries(memberRows, index, source, time.granularity);
        const inPeak = (t: string) => {
          const position = positionOf(cycle, t);
          return cycle === 'weekday' ? position >= 5 : position === Number(lead.data.peak);
        };
        const sides = { peak: [] as number[], rest: [] as number[] };
        for (const [i, t] of series.periods.entries()) (inPeak(t) ? sides.peak : sides.rest).push(series.values[i]!);
        // A member seen on a handful of days (a dozen readings flagged "gap") has no rhythm of its own to tell.
        if (sides.peak.length < 3 || sides.rest.length < 3) continue;
        const pooled = parts
          ? pooledRatios(
              sums.filter((row) => row.member === member),
              series.periods,
              inPeak,
            )
          : null;
        const [a, b] = pooled
          ? [pooled.get(true) ?? Number.NaN, pooled.get(false) ?? Number.NaN]
          : [mean(sides.peak)!, mean(sides.rest)!];
        if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
        // A member at zero throughout (a pump that stopped) has no rhythm: "0% higher (0.00 vs 0.00)".
        if (!measure.interval && b === 0) continue;
        // The change's standard error from the periods' scatter on each side (none for a pooled ratio).
        const spreadOf = (values: number[]) => (variance(values) ?? Number.NaN) / values.length;
        const [va, vb] = pooled ? [Number.NaN, Number.NaN] : [spreadOf(sides.peak), spreadOf(sides.rest)];
        const se = inUnits ? Math.sqrt(va + vb) : 100 * (a / b) * Math.sqrt(va / a ** 2 + vb / b ** 2);
        // On an interval scale (°C), or for a percentage, the rhythm is a difference in degrees or points.
        summaries.push({ member, change: inUnits ? a - b : percentChange(a, b), a, b, se });
      }
      if (summaries.length < 2) continue;
      const spread = Math.max(...summaries.map((s) => s.change)) - Math.min(...summaries.map((s) => s.change));
      if (!best || spread > best.spread) best = { dimension: dimension.name, rows: summaries, spread };
    }
    if (!best) return null;
    const sorted = [...best.rows].sort((a, b) => a.change - b.change);
    const low = sorted[0]!;
    const high = sorted[sorted.length - 1]!;
    const largest = Math.max(...best.rows.map((row) => Math.abs(row.change)));
    if (inUnits ? best.spread < 0.25 * largest : best.spread < 10) {
      // Sizes of the difference, smaller first ("from 29.3% to 33.6%", whether the weekend is up or down).
      const [smaller, larger] = [Math.abs(low.change), Math.abs(high.change)].sort((a, b) => a - b);
      const sized = (name: string, value: number) =>
        inUnits
          ? inPointsOf(measure, this.story.measure(name, value, measure, 'average').text)
          : this.story.percent(name, value).text;
      const lowText = sized('sameLow', smaller!);
      const highText = sized('sameHigh', larger!);
      const where = cycle === 'weekday' ? 'the weekend difference' : `the lift at ${claim(lead, 'peak')}`;
      return `The rhythm is the same everywhere: ${this.acrossAll(best.dimension, sorted.length, 'sameMembers')}, ${where} only ranges from ${lowText} to ${highText}.`;
    }
    // Members differ only if the two ends differ beyond their days' scatter (Bonferroni over the pairs):
    // eight districts of one hourly profile spread from +22% to +71% at 18:00 by chance alone.
    const pairs = (sorted.length * (sorted.length - 1)) / 2;
    const z = (high.change - low.change) / Math.hypot(high.se, low.se);
    if (Number.isFinite(z) && 2 * normalSf(Math.abs(z)) * pairs > 0.05) return null;
    // Per-day (per-hour) averages, even of a total: 2.29 purchases an hour, not "2".
    const role = 'average' as const;
    const phrase = (row: typeof low, key: string) => {
      const change = (
        inUnits
          ? inPointsOf(measure, this.story.measure(`${key}Change`, Math.abs(row.change), measure, 'average').text)
          : this.story.percent(`${key}Change`, row.change).text
      ).replace(/^-/, '');
      const a = this.story.measure(`${key}Peak`, row.a, measure, role).text;
      const b = this.story.measure(`${key}Rest`, row.b, measure, role).text;
      const where = cycle === 'weekday' ? 'on weekends' : `at ${claim(lead, 'peak')}`;
      const against = cycle === 'weekday' ? 'on weekdays' : 'at other hours';
      const side = this.words.sides(best!.dimension, row.member)?.member;
      const subject = side
        ? `${side}, ${measure.label}`
        : `${this.words.member(best!.dimension, row.member)} ${measure.label}`;
      return `${subject} ${agree(measure.label, 'is', 'are')} ${change} ${row.change < 0 ? 'lower' : 'higher'} ${where} (${a} vs ${b} ${against})`;
    };
    const sides = this.words.sides(best.dimension, low.member);
    const opening = sides
      ? `The rhythm differs ${sides.member} and ${sides.other}.`
      : `Not every ${this.words.singular(best.dimension)} follows the same rhythm.`;
    return `${opening} ${capitalize(phrase(low, 'low'))}, while ${phrase(high, 'high')}.`;
  }

  /** A yearly cycle: is the swing growing or shrinking? First years against the last ones. */
  private async cycleOverYears(lead: Fact): Promise<string | null> {
    const time = this.profile.time;
    if (!time) return null;
    const measure = this.words.measure(lead.measureId);
    const index = this.profile.measures.indexOf(measure);
    const step = lead.data.cycle === 'quarter' ? 'quarter' : 'month';
    const series = toSeries(await this.q.series(step, this.profile.measures), index, step, time.granularity);
    const byYear = new Map<string, number[]>();
    for (const [i, t] of series.periods.entries())
      byYear.set(t.slice(0, 4), [...(byYear.get(t.slice(0, 4)) ?? []), series.values[i]!]);
    const swings = [...byYear.entries()]
      .filter(([, values]) => values.length >= (step === 'quarter' ? 4 : 10))
      .map(([year, values]) => ({ year, swing: Math.max(...values) - Math.min(...values) }));
    if (swings.length < 6) return null;
    const span = Math.min(5, Math.floor(swings.length / 2));
    const first = swings.slice(0, span);
    const last = swings.slice(-span);
    const mean = (list: typeof swings) => list.reduce((sum, s) => sum + s.swing, 0) / list.length;
    const a = this.story.measure('swingFirst', mean(first), measure, 'average').text;
    const b = this.story.measure('swingLast', mean(last), measure, 'average').text;
    const from = this.story.period(
      'swingFrom',
      first[0]!.year,
      `${first[0]!.year}–${first[first.length - 1]!.year}`,
    ).text;
    const to = this.story.period('swingTo', last[0]!.year, `${last[0]!.year}–${last[last.length - 1]!.year}`).text;
    // Wider or narrower only when the years' swings trend (Mann–Kendall over every year): CO₂'s 5.7 → 6.4 ppm
    // and a river's 169 → 222 m³/s have widened; a rainfall's 109 → 93 mm, from two handfuls of years, is chance.
    const drift = mannKendall(swings.map((s) => s.swing));
    const size = drift.p >= 0.05 ? 'has kept its size' : drift.z > 0 ? 'has widened' : 'has narrowed';
    const swing = `Within a year, the highest and lowest ${step}s were on average ${a} apart in ${from} and ${b} apart in ${to}, so the seasonal pattern ${size} while the level moved.`;
    return `${swing}${this.recordAgainstSeason(series, measure, step)}`;
  }

  /**
   * The one month far above its season (February 2014's flood: 3.5× an average February), when the highest
   * value is at least twice its own calendar month's average over the years.
   */
  private recordAgainstSeason(series: Series, measure: Measure, step: 'month' | 'quarter'): string {
    const values = series.values;
    if (measure.interval || values.some((value) => value < 0)) return '';
    const top = values.indexOf(Math.max(...values));
    const season = positionOf(step, series.periods[top]!);
    const same = series.periods.flatMap((t, i) => (positionOf(step, t) === season ? [values[i]!] : []));
    const usual = mean(same) ?? 0;
    if (same.length < 5 || !(usual > 0) || values[top]! < 2 * usual) return '';
    const when = series.periods[top]!;
    const label = this.story.period('recordPeriod', when, periodLabel(when, step)).text;
    const value = this.story.measure('recordValue', values[top]!, measure, valueRole(measure)).text;
    const ratio = this.story.ratio('recordRatio', values[top]! / usual).text;
    const average = this.story.measure('recordUsual', usual, measure, 'average').text;
    return ` The highest ${step} of all was ${label}, at ${value}: ${ratio} the average ${label.replace(/\s*\d{4}$/, '')} (${average}).`;
  }

  /** The other end of a laggard's ranking: how far the top is. */
  private top(lead: Fact): string | null {
    const members = lead.data.members as { member: string; value: number; share: number }[];
    const first = members[0];
    const laggard = members[members.length - 1];
    if (!first || !laggard || first === laggard || first.value <= 0) return null;
    const measure = this.words.measure(lead.measureId);
    if (laggard.value <= 0) {
      const value = this.story.measure('topValue', first.value, measure, 'total').text;
      return `At the other end, ${this.words.member(lead.dimension, first.member)} makes the most, ${value}.`;
    }
    const value = this.story.measure('topValue', first.value, measure, 'total').text;
    const share = this.story.percent('topShare', first.share * 100).text;
    const ratio = this.story.ratio('topToLaggard', first.value / laggard.value).text;
    return `At the other end, ${this.words.member(lead.dimension, first.member)} brings ${value} (${share} of the total), ${ratio} as much as ${this.words.member(lead.dimension, laggard.member)}.`;
  }

  private tail(lead: Fact): string | null {
    const members = lead.data.members as { member: string; value: number; share: number }[];
    const k = Number(lead.claims.members?.value ?? members.length);
    if (lead.type === 'leader' || k < 4) {
      const last = members[members.length - 1];
      if (!last || members.length < 2) return null;
      const share = this.story.percent('smallestShare', last.share * 100).text;
      return `At the other end, ${this.words.member(lead.dimension, last.member)} holds just ${share} of ${this.words.measure(lead.measureId).label}.`;
    }
    const half = Math.floor(k / 2);
    if (half < 2 || members.length < k) return null;
    const bottom = members.slice(k - half);
    const share = bottom.reduce((s, m) => s + m.share, 0) * 100;
    const measure = this.words.measure(lead.measureId);
    const count = this.story.count('bottomCount', half).text;
    const shareText = this.story.percent('bottomShare', share).text;
    const last = members[members.length - 1]!;
    const lastShare = this.story.percent('lastShare', last.share * 100).text;
    return `At the other end, the bottom ${count} ${this.words.plural(lead.dimension)} bring only ${shareText} of ${measure.label} between them; the smallest, ${escapeMarkdown(last.member)}, has ${lastShare}.`;
  }

  /**
   * What one step of a slope is, as the text says it: "$100", "€1M" for money written in millions, "10
   * points", "10 kg", "10 units", or one of them ("each extra year of age", never "each extra years").
   */
  private slopeStepUnit(a: Measure, step: number, amount: string): string {
    if (a.format.kind === 'currency' && a.format.scale && a.format.scale !== 1)
      return this.story.add('slopeStep', step, 'currency', formatMeasureValue(step, a).replace(/\.00(?=[kMBT]$)/, ''))
        .text;
    if (a.format.kind === 'currency' && a.format.currency)
      return `${a.format.currency}${amount || this.story.count('slopeStep', 1).text}`;
    if (a.format.kind === 'percent') return amount ? `${amount} points` : 'point';
    if (amount) return `${amount} ${a.unit || 'units'}`;
    return (a.unit || 'unit').replace(/^(years|months|weeks|days|hours|minutes|seconds|nights)$/, (u) =>
      u.slice(0, -1),
    );
  }

  /** Does the standout hold inside each member of another small dimension? */
  private async segmentRobustness(lead: Fact): Promise<string | null> {
    const measure = this.words.measure(lead.measureId);
    const dimension = this.words.dimension(lead.dimension);
    const member = String(lead.data.member);
    if (!dimension) return null;
    // Small breakdowns (sex, plan, island…) that could explain the gap by mix, in file order. A gap between
    // two groups (free meals or not) is also read inside each of up to 30 schools or sites first, told
    // only where one or two of them turn it round (Riverside, where pupils on free meals score higher).
    const usable = (d: Dimension) =>
      d !== dimension &&
      d.cardinality >= 2 &&
      !measure.columns.includes(d.name) &&
      !measure.columns.some((column) => d.binOf?.includes(column));
    const many = new Set(
      dimension.cardinality === 2
        ? this.profile.dimensions.filter((d) => usable(d) && d.cardinality > 6 && d.cardinality <= 30 && !d.coded)
        : [],
    );
    const others = [...many, ...this.profile.dimensions.filter((d) => usable(d) && d.cardinality <= 6)];
    // A gap measured at one moment of a panel is tested at that moment.
    const moment = typeof lead.data.moment === 'string' ? lead.data.moment : undefined;
    const time = this.profile.time;
    const at = moment && time ? ` AND ${time.asTimestampSql} = CAST(${quoteLiteral(moment)} AS TIMESTAMP)` : '';
    // A condition's gap is per row (sales on a promo day), so it is tested per row within each group too.
    const valueSql = measure.aggregation === 'sum' ? `avg(${measure.rowSql})` : measure.aggregateSql;
    const sides = this.words.sides(dimension.name, member);
    // An experiment's arm told against its control is tested against the control in each group too.
    const versus = typeof lead.data.versus === 'string' ? lead.data.versus : undefined;
    const pair = versus ? ` AND ${dimension.sql} IN (${quoteLiteral(member)}, ${quoteLiteral(versus)})` : '';
    const rest = versus ? this.words.member(dimension.name, versus) : this.words.others(dimension.name, member);
    for (const other of others) {
      const rows = await queryRows(
        this.q.connection,
        `SELECT ${other.sql} AS m, (${dimension.sql} = ${quoteLiteral(member)}) AS inside, ${valueSql} AS v, count(*) AS n
         FROM ${this.profile.table} WHERE ${other.sql} IS NOT NULL AND ${dimension.sql} IS NOT NULL${at}${pair} GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      const byMember = new Map<string, { inside?: number; outside?: number }>();
      for (const row of rows) {
        if (row.v === null || (many.has(other) && Number(row.n) < 15)) continue;
        const entry = byMember.get(String(row.m)) ?? {};
        if (row.inside) entry.inside = Number(row.v);
        else entry.outside = Number(row.v);
        byMember.set(String(row.m), entry);
      }
      const both = [...byMember.entries()].filter(([, e]) => e.inside !== undefined && e.outside !== undefined);
      // A stratifier the member lives in only one part of (Gentoo only on Biscoe) cannot test the gap; nor can
      // one the measure is constant across (a return reason, filled only on returned lines: 100% against 100%).
      if (both.length < 2) continue;
      if (both.every(([, e]) => e.inside === e.outside)) continue;
      const higher = lead.data.direction === 'higher';
      const holds = both.filter(([, e]) => (higher ? e.inside! > e.outside! : e.inside! < e.outside!));
      const turned = both.length - holds.length;
      if (many.has(other) && (turned < 1 || turned > 2 || holds.length < 0.8 * both.length)) continue;
      const holdsCount = this.story.count('holds', holds.length).text;
      const totalCount = this.story.count('holdsOf', both.length).text;
      const memberName = this.words.member(dimension.name, member);
      // Each exception with its two figures (mobile: 2.2% against 3.0%), the ones that turn the story round.
      const exceptions = both
        .filter(([m]) => !holds.some(([h]) => h === m))
        .map(([m, e], i) => {
          const inside = this.story.measure(`exceptionInside${i}`, e.inside!, measure, 'average').text;
          const outside = this.story.measure(`exceptionOutside${i}`, e.outside!, measure, 'average').text;
          const against = sides?.other ?? `for ${rest}`;
          return `${this.words.member(other.name, m)}, where ${measure.label} ${agree(measure.label, 'is', 'are')} ${inside} ${sides?.member ?? `for ${memberName}`} against ${outside} ${against}`;
        });
      this.stratified = {
        dimension: other.name,
        rows: both.map(([group, e]) => ({ group, inside: e.inside!, outside: e.outside! })),
      };
      // Two sides of a condition are said as such ("with overtime and without overtime alike"), not as "each
      // of the 2 overtimes".
      const conditionSides = both.length === 2 ? this.words.sides(other.name, both[0]![0]) : null;
      const yesNo = both.length === 2 && both.every(([m]) => /^(yes|no|y|n|true|false|0|1)$/i.test(m));
      const within = conditionSides
        ? `${conditionSides.member} and ${conditionSides.other} alike`
        : yesNo
          ? `with and without ${other.label} alike`
          : `within each of the ${totalCount} ${this.words.plural(other.name)}`;
      const verdict =
        holds.length === both.length
          ? sides
            ? `The gap is not an artefact of mix: ${within}, ${measure.label} ${agree(measure.label, 'is', 'are')} ${higher ? 'higher' : 'lower'} ${sides.member} than ${sides.other}.`
            : `The gap is not an artefact of mix: ${within}, ${memberName} is ${higher ? 'above' : 'below'} ${rest} on ${measure.label}.`
          : `The gap holds in ${holdsCount} of ${totalCount} ${this.words.plural(other.name)}; the exception${exceptions.length > 1 ? 's are' : ' is'} ${listOf(exceptions)}.`;
      return `${verdict}${await this.stratifierGap(measure, other, moment, dimension)}`;
    }
    return null;
  }

  /** The measure for two members of `other` in each member of `within` where both have five rows. */
  private async pairWithin(
    measure: Measure,
    other: Dimension,
    [top, bottom]: [string, string],
    within: Dimension,
  ): Promise<{ top: number; bottom: number }[]> {
    const valueSql = measure.aggregation === 'sum' ? `avg(${measure.rowSql})` : measure.aggregateSql;
    const rows = await queryRows(
      this.q.connection,
      `SELECT ${within.sql} AS s, ${other.sql} = ${quoteLiteral(top)} AS top, ${valueSql} AS v, count(${measure.rowSql}) AS n
       FROM ${this.profile.table}
       WHERE ${within.sql} IS NOT NULL AND ${other.sql} IN (${quoteLiteral(top)}, ${quoteLiteral(bottom)})
       GROUP BY 1, 2`,
    );
    const strata = new Map<string, { top?: number; bottom?: number }>();
    for (const row of rows) {
      if (row.v === null || Number(row.n) < 5) continue;
      const entry = strata.get(String(row.s)) ?? {};
      entry[row.top ? 'top' : 'bottom'] = Number(row.v);
      strata.set(String(row.s), entry);
    }
    return [...strata.values()].flatMap((e) =>
      e.top !== undefined && e.bottom !== undefined ? [{ top: e.top, bottom: e.bottom }] : [],
    );
  }

  /** Whether `top` is above `bottom` (two members of `other`) in most members of `within` where both have rows. */
  private async holdsWithin(
    measure: Measure,
    other: Dimension,
    pair: [string, string],
    within: Dimension,
    ratio: number,
  ): Promise<boolean> {
    const both = await this.pairWithin(measure, other, pair, within);
    // Half the overall gap at least: iOS tipping 29% more than Web overall, but 1% more in the control arm,
    // owes its gap to the prompt, not to the platform.
    const holds = (e: { top: number; bottom: number }) =>
      e.bottom > 0 ? e.top / e.bottom - 1 >= 0.5 * (ratio - 1) : e.top > e.bottom;
    return both.length === 0 || 3 * both.filter(holds).length >= 2 * both.length;
  }

  /** Whether the gap turns round inside most members of `within` (two strata at least). */
  private async turnsRoundWithin(measure: Measure, other: Dimension, pair: [string, string], within: Dimension) {
    const both = await this.pairWithin(measure, other, pair, within);
    return both.length >= 2 && 3 * both.filter((e) => e.bottom > e.top).length >= 2 * both.length;
  }

  /** The stratifier's own gap on the measure, when it is large enough to mention (males heavier than females). */
  private async stratifierGap(
    measure: Measure,
    other: Dimension,
    moment: string | undefined,
    within: Dimension,
  ): Promise<string> {
    const index = this.profile.measures.indexOf(measure);
    if (index < 0) return '';
    const groups = (await this.q.groups(other, this.profile.measures, moment))
      .map((g) => ({
        member: g.member,
        value: g.measures[index]?.value ?? null,
        rows: g.rows,
        stats: g.measures[index]!,
      }))
      .filter((g) => g.value !== null && g.rows >= 5)
      .map((g) => ({ ...g, value: g.value! }))
      .sort((a, b) => b.value - a.value || (a.member < b.member ? -1 : 1));
    const top = groups[0];
    const bottom = groups[groups.length - 1];
    if (!top || !bottom || top === bottom || bottom.value <= 0 || top.value / bottom.value < 1.1) return '';
    // Only a gap that passes its test is said to matter (6.7% against 5.7% on a few hundred rows does not).
    const p =
      measure.aggregation === 'rate' && !measure.ratio
        ? twoProportionTest(top.stats.k ?? 0, top.stats.trials ?? 0, bottom.stats.k ?? 0, bottom.stats.trials ?? 0).p
        : measure.aggregation === 'sum' || measure.ratio
          ? 0
          : welchTTest(
              { n: top.stats.n, mean: top.stats.mean ?? 0, variance: top.stats.variance ?? 0 },
              { n: bottom.stats.n, mean: bottom.stats.mean ?? 0, variance: bottom.stats.variance ?? 0 },
            ).p;
    if (p > 0.01) return '';
    // "On its own" only where it holds inside the story's own groups too: an installer that looks better
    // overall because it works in the sunny region is no better region for region.
    if (!(await this.holdsWithin(measure, other, [top.member, bottom.member], within, top.value / bottom.value)))
      return '';
    // Nor where another breakdown of few members turns it round (Riverside recommended less overall, more
    // within every care package: its clients are on the heavier packages). Not a result (a yes/no outcome)
    // nor bands of a measure: holding those fixed takes out what the gap is made of.
    for (const third of this.profile.dimensions) {
      if (third === other || third === within || third.cardinality > 8 || third.cardinality < 2) continue;
      if (measure.columns.includes(third.name) || third.binOf || isOutcome(third)) continue;
      if (await this.turnsRoundWithin(measure, other, [top.member, bottom.member], third)) return '';
    }
    const role = valueRole(measure);
    const topText = this.story.measure('stratumTop', top.value, measure, role).text;
    const bottomText = this.story.measure('stratumBottom', bottom.value, measure, role).text;
    const gap = this.story.percent('stratumGap', (top.value / bottom.value - 1) * 100).text;
    return ` ${capitalize(this.words.singular(other.name))} matters on its own too: ${measure.label} ${agree(measure.label, 'is', 'are')} ${role === 'average' && measure.aggregation !== 'rate' ? 'on average ' : ''}${topText} for ${this.words.member(other.name, top.member)} against ${bottomText} for ${this.words.member(other.name, bottom.member)} (${gap} higher).`;
  }

  private withinGroups(lead: Fact): string | null {
    const within =
      (lead.data.within as { dimension: string; groups: { member: string; r: number; n: number }[] }[]) ?? [];
    const first = within.find((w) => w.groups.length >= 2);
    if (!first) return null;
    const r = Number(lead.data.r);
    // Holding means the same sign and at least half the strength: r = -0.03 inside each ticker against -0.54
    // over all of them is a difference between tickers, not a relation that holds.
    const same = first.groups.filter((g) => Math.sign(g.r) === Math.sign(r) && Math.abs(g.r) >= 0.5 * Math.abs(r));
    const named = (g: { member: string; r: number }, key: string) =>
      `${this.words.member(first.dimension, g.member)} ${this.story.correlation(key, g.r).text}`;
    // More than five: the range, from the weakest to the strongest, and how many there are.
    const byR = [...first.groups].sort((a, b) => a.r - b.r);
    const values = () =>
      first.groups.length <= 5
        ? `r = ${listOf(first.groups.map((g, i) => named(g, `within${i}`)))}`
        : `r from ${this.story.correlation('withinLowest', byR[0]!.r).text} for ${this.words.member(first.dimension, byR[0]!.member)} to ${this.story.correlation('withinHighest', byR[byR.length - 1]!.r).text} for ${this.words.member(first.dimension, byR[byR.length - 1]!.member)}, ${this.acrossAll(first.dimension, first.groups.length, 'withinGroups')}`;
    const singular = this.words.singular(first.dimension);
    const plural = this.words.plural(first.dimension);
    if (same.length === first.groups.length)
      return `The relation holds inside each ${singular} too (${values()}), so it is not just a difference between ${plural}.`;
    if (same.length === 0)
      return `Inside each ${singular} the relation is weaker or reversed (${values()}): part of it comes from differences between ${plural}.`;
    // Some hold and some do not: say which, never "weaker" of a group where it is as strong or stronger.
    if (first.groups.length > 5) {
      const holding = this.story.count('withinHolding', same.length).text;
      return `The relation holds inside only ${holding} of the ${plural} (${values()}): part of it comes from differences between ${plural}.`;
    }
    const indexed = first.groups.map((g, i) => ({ g, i }));
    const listed = (holds: boolean) =>
      listOf(indexed.filter(({ g }) => same.includes(g) === holds).map(({ g, i }) => named(g, `within${i}`)));
    return `Inside the ${plural} the relation is mixed: it holds for ${listed(true)} but is weaker or reversed for ${listed(false)}, so part of it comes from differences between ${plural}.`;
  }

  /** Every member's change over the span of a pattern with exception, largest first ("Morris +41.7%, …"). */
  private changeByMember(lead: Fact): string | null {
    type Points = { t: string; value: number }[];
    const siblings = (lead.data.siblings ?? []) as { member: string; points: Points }[];
    const measure = this.words.measure(lead.measureId);
    const granularity = String(lead.data.granularity);
    // First year against last when the exception was told so (a January against a December is the season).
    const ends = (points: Points) => {
      const years = lead.data.yearOnYear
        ? yearEnds(
            points.map((p) => p.value),
            points.map((p) => p.t),
            granularity,
            measure,
          )
        : null;
      return years ? [years.first, years.last] : [points[0]!.value, points[points.length - 1]!.value];
    };
    // A margin or a temperature moves in points or degrees, never in percent of itself.
    const inUnits = movesInUnits(measure);
    const changes = [{ member: String(lead.data.member), points: lead.data.points as Points }, ...siblings]
      .filter(({ points }) => points.length >= 2 && (inUnits || points[0]!.value > 0))
      .map(({ member, points }) => ({ member, ends: ends(points) }))
      .filter(({ ends }) => inUnits || ends[0]! > 0)
      .map(({ member, ends }) => ({
        member,
        change: inUnits ? ends[1]! - ends[0]! : percentChange(ends[1]!, ends[0]!),
      }))
      .sort((a, b) => b.change - a.change || (a.member < b.member ? -1 : 1));
    if (changes.length < 3 || changes.length > 12) return null;
    const listed = changes.map((c, i) => {
      const size = inUnits
        ? inPointsOf(measure, this.story.measure(`memberChange${i}`, Math.abs(c.change), measure, 'average').text)
        : this.story.percent(`memberChange${i}`, Math.abs(c.change)).text;
      return `${this.words.member(lead.dimension, c.member)} ${c.change >= 0 ? '+' : '-'}${size}`;
    });
    return `By ${this.words.singular(lead.dimension)}, from ${claim(lead, 'firstPeriod')} to ${claim(lead, 'lastPeriod')}: ${listOf(listed)}.`;
  }

  /** When the other members peaked, or hit their lows (an outbreak that reached one country weeks after another), in time order. */
  private siblingPeaks(lead: Fact, siblings: { member: string; points: { t: string; value: number }[] }[]) {
    const measure = this.words.measure(lead.measureId);
    const role = valueRole(measure);
    const granularity = (lead.data.granularity as Granularity) ?? 'day';
    const own = String(lead.data.at);
    const low = lead.data.shape === 'low';
    const peaks = siblings
      .filter((s) => s.points.length >= 3)
      .map((s) => ({
        member: s.member,
        top: s.points.reduce((a, b) => ((low ? b.value < a.value : b.value > a.value) ? b : a)),
      }))
      .filter((s) => low || s.top.value > 0)
      .sort((a, b) => (a.top.t < b.top.t ? -1 : a.top.t > b.top.t ? 1 : a.member < b.member ? -1 : 1))
      .slice(0, 5);
    if (peaks.length === 0) return null;
    const listed = peaks.map((s, i) => {
      const name = this.words.member(lead.subspace!.dimension, s.member);
      const value = this.story.measure(`siblingPeak${i}`, s.top.value, measure, role).text;
      if (s.top.t === own) return `${name} the same ${granularityNoun(granularity)} (${value})`;
      const when = this.story.period(`siblingPeakAt${i}`, s.top.t, periodLabel(s.top.t, granularity)).text;
      return `${name} ${onOrIn(when)} (${value})`;
    });
    const verb = low ? 'hit their lows' : 'peaked';
    return `The other ${this.words.plural(lead.subspace!.dimension)} ${verb} ${peaks.every((s) => s.top.t === own) ? 'with it' : 'too'}: ${listOf(listed)}.`;
  }

  /** For a whole-table movement: which members moved most and least over the same span. */
  private async membersOverTime(lead: Fact): Promise<string | null> {
    const time = this.profile.time;
    const granularity = lead.data.granularity as Granularity;
    if (!time || !granularity) return null;
    const measure = this.words.measure(lead.measureId);
    const index = this.profile.measures.indexOf(measure);
    const dimension = this.profile.dimensions.find((d) => !d.binary && d.cardinality >= 2 && d.cardinality <= 12);
    if (!dimension || index < 0) return null;
    const rows = await this.q.memberSeries(dimension, granularity, this.profile.measures);
    // Members that take turns in time (a season, a quarter named in words) have no change of their own.
    if (rows.length < 1.5 * new Set(rows.map((row) => row.t)).size) return null;
    // A change told year against year compares each member's same two years.
    const lag = lead.data.yearOnYear ? Number(lead.data.stepLag) : 0;
    const [from, to] = (lead.data.years as [number, number] | undefined) ?? [0, 0];
    const ends = (values: number[]): [number, number] =>
      lag === 0
        ? [values[0]!, values[values.length - 1]!]
        : [yearOf(values, from, lag, measure), yearOf(values, to, lag, measure)];
    const leadPoints = lead.data.points as { t: string }[];
    const leadLength = leadPoints.length;
    // The same two periods as the lead's (never a partial last quarter the lead left out).
    const [leadFirst, leadLast] = [leadPoints[0]?.t, leadPoints.at(-1)?.t];
    const inUnits = Boolean(measure.interval);
    const changes: { member: string; change: number; first: number; last: number }[] = [];
    for (const member of new Set(rows.map((r) => r.member))) {
      const series = toSeries(
        rows.filter((r) => r.member === member),
        index,
        granularity,
        time.granularity,
      );
      if (series.values.length < 2 || (lag > 0 && series.values.length !== leadLength)) continue;
      const at = (t: string) => series.values[series.periods.indexOf(t)];
      const [first, last] = lag === 0 && leadFirst && leadLast ? [at(leadFirst), at(leadLast)] : ends(series.values);
      if (first === undefined || last === undefined) continue;
      // Days late from -0.2 to 10.4 moved by 10.6 days: on a scale through zero, a difference, never "+620%".
      if (inUnits) changes.push({ member, change: last - first, first, last });
      else if (first !== 0) changes.push({ member, change: percentChange(last, first), first, last });
    }
    if (changes.length < 2) return null;
    changes.sort((a, b) => b.change - a.change || (a.member < b.member ? -1 : 1));
    const top = changes[0]!;
    const bottom = changes[changes.length - 1]!;
    const role = valueRole(measure);
    // From a small start (cases to date in the first week) a percentage runs to millions: the values say more.
    const signedUnits = (c: typeof top, key: string) => {
      const text = this.story.measure(key, c.change, measure, 'average').text;
      return c.change >= 0 && !text.startsWith('+') ? `+${text}` : text;
    };
    const say = (c: typeof top, key: string) =>
      `${this.words.member(dimension.name, c.member)} (${
        inUnits
          ? signedUnits(c, key)
          : pastTenTimes(c.change)
            ? `from ${this.story.measure(`${key}First`, c.first, measure, role).text} to ${this.story.measure(`${key}Last`, c.last, measure, role).text}`
            : `${c.change >= 0 ? '+' : '-'}${this.story.percent(key, c.change).text.replace(/^-/, '')}`
      })`;
    // Growth factors within 15% of each other (+134% and +139%) are the same move, not a contrast.
    const factor = (c: typeof top) => 1 + c.change / 100;
    if (
      !inUnits &&
      factor(bottom) > 0 &&
      Math.sign(top.change) === Math.sign(bottom.change) &&
      factor(top) / factor(bottom) < 1.15
    ) {
      const [mild, steep] = top.change > 0 ? [bottom, top] : [top, bottom];
      return `Every ${this.words.singular(dimension.name)} ${top.change > 0 ? 'rose' : 'fell'} alike over the period, from ${say(mild, top.change > 0 ? 'bottomChange' : 'topChange')} to ${say(steep, top.change > 0 ? 'topChange' : 'bottomChange')}.`;
    }
    const opening = `Not every ${this.words.singular(dimension.name)} moved alike over the period:`;
    if (top.change >= 0 && bottom.change < 0 && !inUnits) {
      const name = (c: typeof top) => this.words.member(dimension.name, c.member);
      const rose = this.story.percent('topChange', top.change).text;
      const fell = this.story.percent('bottomChange', bottom.change).text.replace(/^-/, '');
      return `${opening} ${name(top)} rose the most, by ${rose}, while ${name(bottom)} fell ${fell}.`;
    }
    return top.change >= 0
      ? `${opening} the largest rise was ${say(top, 'topChange')} and the smallest ${say(bottom, 'bottomChange')}.`
      : `${opening} the steepest fall was ${say(bottom, 'bottomChange')} and the mildest ${say(top, 'topChange')}.`;
  }

  /** How sure we are, what could mislead, and what to watch next. */
  /**
   * An experiment whose arms are not the sizes a random split gives (52.96% against 47.04% of 36,000 users,
   * where an even split was plainly meant: no arm 1.5× another): a sample-ratio mismatch, χ² goodness of fit
   * against equal arms, told below p = 0.001. The lift is then not to be trusted until the assignment is.
   */
  private async sampleRatioMismatch(lead: Fact): Promise<string | null> {
    if (!lead.data.experiment || !lead.dimension) return null;
    const dimension = this.words.dimension(lead.dimension);
    if (!dimension) return null;
    // The arms' sizes from the breakdown's groups (asked and cached by the analysis), largest first.
    const arms = [...(await this.q.groups(dimension))].sort(
      (a, b) => b.rows - a.rows || (a.member < b.member ? -1 : 1),
    );
    const counts = arms.map((arm) => arm.rows);
    if (counts.length < 2 || counts.at(-1)! * 1.5 < counts[0]!) return null;
    const test = chiSquareGoodnessOfFit(counts);
    if (!(test.p < 0.001)) return null;
    const total = counts.reduce((a, b) => a + b, 0);
    const shares = arms.map((arm, i) => {
      const name = this.story.member(`srmArm${i}`, arm.member).text;
      return `${name} ${this.story.percent(`srmShare${i}`, (100 * arm.rows) / total).text}`;
    });
    return `The arms are not the sizes a random split would give (${listOf(shares)} of the ${this.story.count('srmTotal', total).text} ${this.words.measure(ROWS_MEASURE_ID).label}): check how ${this.words.plural(dimension.name)} were assigned before trusting the difference.`;
  }

  /**
   * A test won on a yes/no rate, where money comes only with the yes (a donation, a purchase): what each arm
   * brings per row, non-converting rows at zero, since more converting at smaller amounts can bring less
   * (6.2% donating against 4.7%, yet €2.00 a visitor against €2.15). Two arms only.
   */
  private async moneyPerRowOfTheArms(lead: Fact): Promise<string | null> {
    if (!lead.data.experiment || !lead.dimension || !isYesNoRateId(lead.measureId)) return null;
    const dimension = this.words.dimension(lead.dimension);
    const perRow = this.profile.measures.find(
      (m) => m.perRowOf !== undefined && m.id.endsWith(':per-row') && m.format.kind === 'currency',
    );
    if (!dimension || !perRow) return null;
    const index = this.profile.measures.indexOf(perRow);
    const arms = await this.q.groups(dimension);
    if (arms.length !== 2) return null;
    const told = arms.find((arm) => arm.member === String(lead.data.member));
    const other = arms.find((arm) => arm !== told);
    const [a, b] = [told?.measures[index]?.mean, other?.measures[index]?.mean];
    if (!told || !other || a === null || a === undefined || b === null || b === undefined || !(b > 0)) return null;
    const role = valueRole(perRow);
    const row = this.words.row();
    const money = this.words.measure(perRow.perRowOf!).label;
    const change = this.story.change('perRowArmChange', b, a, perRow, role).text;
    const up = Number(lead.claims.memberValue?.value ?? 0) >= Number(lead.claims.restValue?.value ?? 0);
    const offset =
      up === a >= b
        ? ''
        : `: the ${up ? 'higher' : 'lower'} rate is more than offset by ${up ? 'smaller' : 'larger'} amounts each`;
    return `Per ${row}, ${money} averages ${this.story.measure('perRowArm', a, perRow, role).text} for ${this.story.member('perRowArmName', told.member).text} against ${this.story.measure('perRowOther', b, perRow, role).text} for ${this.story.member('perRowOtherName', other.member).text} (${signedText(change)}), where ${this.words.measure(ROWS_MEASURE_ID).label} with no ${money} count as zero${offset}.`;
  }

  private async caveats(angle: Angle): Promise<string> {
    const lead = angle.lead;
    const sentences: string[] = [];
    if (lead.type === 'overview') {
      sentences.push(
        lead.data.patternsElsewhere
          ? 'This angle describes the values rather than a tested pattern; the patterns that passed our tests are in the other stories.'
          : 'No pattern in this file passed our tests after correcting for the number of comparisons, so this angle describes rather than explains.',
      );
    } else {
      const q =
        lead.q < 0.001
          ? `below ${this.story.add('qBound', 0.001, 'number', '0.001').text}`
          : this.story.add('q', lead.q, 'number', lead.q.toFixed(3)).text;
      const wording =
        lead.strength === 'strong'
          ? `The evidence is strong: the pattern survives a false-discovery-controlled test (q ${lead.q < 0.001 ? q : `= ${q}`}) and its effect is large.`
          : lead.strength === 'moderate'
            ? `The evidence is moderate (q ${lead.q < 0.001 ? q : `= ${q}`}): ${
                // Moderate for want of data points, not of size: a large effect stays called large.
                lead.effect >= 0.5
                  ? 'the effect is large, but the test has few data points to go on.'
                  : 'the pattern is real in this data, but its size is modest.'
              }`
            : `Treat this as a lead to check rather than a finding: after correcting for the many comparisons we ran, it is not clearly beyond chance (q = ${this.story.add('qWeak', lead.q, 'number', lead.q.toFixed(2)).text}).`;
      sentences.push(wording);
    }
    const mismatch = await this.sampleRatioMismatch(lead);
    if (mismatch) sentences.push(mismatch);
    const perVisitor = await this.moneyPerRowOfTheArms(lead);
    if (perVisitor) sentences.push(perVisitor);
    sentences.push(...(await this.dataQuality(angle)));
    const excluded = (lead.data.excluded as { period: string; position: string }[] | undefined) ?? [];
    for (const [i, period] of excluded.entries()) {
      const granularity = (lead.data.granularity as Granularity) ?? 'month';
      const label = this.story.period(`excluded${i}`, period.period, periodLabel(period.period, granularity)).text;
      // A member's own partial period (a product launched on May 4, in a file from January) is the member's,
      // not the file's: the file's first and last periods are the ones it holds in part.
      const time = this.profile.time;
      const next = addPeriods(period.period, granularity, 1);
      const inside = (iso: string | undefined) => iso !== undefined && iso >= period.period && iso < next;
      const members = lead.subspace && time && !inside(time.min) && !inside(time.max);
      sentences.push(
        members
          ? `${capitalize(lead.subspace!.member)} has rows for only part of ${label}, so that ${granularity} was left out of the comparison.`
          : `${capitalize(label)} is only partly covered by the data, so it was left out of the comparison.`,
      );
    }
    if (this.profile.sampled) {
      sentences.push(
        `Totals use every row; correlations and distributions use a repeatable sample of ${this.story.count('sampleRows', await this.sampleSize()).text} rows.`,
      );
    }
    const watch = await this.latestChange(lead);
    if (watch) sentences.push(watch);
    return sentences.join(' ');
  }

  private async sampleSize(): Promise<number> {
    const row = await queryOne(this.q.connection, `SELECT count(*) AS n FROM ${this.profile.sampleRelation}`);
    return Number(row.n);
  }

  /** How many rows have both columns blank. */
  private async blankTogether(a: string, b: string): Promise<number> {
    const sql = (name: string) => this.profile.fields.find((f) => f.name === name)?.sql;
    const [x, y] = [sql(a), sql(b)];
    if (!x || !y) return -1;
    const row = await queryOne(
      this.q.connection,
      `SELECT count(*) AS n FROM ${this.profile.table} WHERE ${x} IS NULL AND ${y} IS NULL`,
    );
    return Number(row.n);
  }

  /**
   * Where a column's blanks gather, when they do: in one or two members of a breakdown (Lakeside; cyclists
   * and walkers), in one period, or in one member's period ("31 of them are Lakeside rows from March 2024").
   * The reader then knows whose figures the gap bends. Null when the blanks spread like the rows do.
   */
  private async blanksWhere(column: string, index: number): Promise<string | null> {
    // Found once per file and column: the three stories of a refine ask the same.
    let found = blankSpots.get(this.q)?.get(column);
    if (found === undefined) {
      found = await this.findBlankSpot(column);
      blankSpots.set(this.q, (blankSpots.get(this.q) ?? new Map()).set(column, found));
    }
    if (!found) return null;
    const { member, period, unit, z } = found;
    const count = this.story.count(`blanksAt${index}`, z).text;
    const when = period ? this.story.period(`blanksPeriod${index}`, period, periodLabel(period, unit)).text : null;
    if (!member) return `${count} of them from ${when}`;
    this.story.member(`blanksMember${index}`, member.member);
    const memberText = this.words.member(member.dimension, member.member);
    return `${count} of them are ${memberText} rows${when ? ` from ${when}` : ''}`;
  }

  /** The member, the period, or the member's period holding most of a column's blanks (see `blanksWhere`). */
  private async findBlankSpot(column: string): Promise<BlankSpot | null> {
    const field = this.profile.fields.find((f) => f.name === column);
    if (!field) return null;
    const blank = `count(*) - count(${field.sql})`;
    const time = this.profile.time;
    const spanDays = time ? (Date.parse(time.max) - Date.parse(time.min)) / 86_400_000 : 0;
    // Never finer than the file's own time (a yearly table's blanks fall in a year, not "January 2024").
    const bySpan: Granularity = spanDays > 120 ? 'month' : spanDays > 28 ? 'week' : 'day';
    const unit: Granularity = time && finer(bySpan, time.granularity) ? time.granularity : bySpan;
    const bucket = time ? truncSql(unit, time.asTimestampSql) : null;
    // The group holding the most blanks, when it holds at least `least` of them at twice the rate of the
    // other rows or more, beyond chance over the many groups tried.
    const standout = (rows: Record<string, unknown>[], least: number) => {
      const all = rows.reduce((s, r) => s + Number(r.n), 0);
      const blanks = rows.reduce((s, r) => s + Number(r.z), 0);
      const ranked = rows
        .map((r) => ({ key: r.k, n: Number(r.n), z: Number(r.z) }))
        .filter((g) => g.key !== null)
        .sort((a, b) => b.z - a.z || (String(a.key) < String(b.key) ? -1 : 1));
      const top = ranked[0];
      // Two groups with as many blanks each (9 from 1960, 9 from 1965): neither stands out alone.
      if (!top || top.z < 5 || top.n >= all || top.z < least * blanks || ranked[1]?.z === top.z) return null;
      const outside = (blanks - top.z) / (all - top.n);
      const clear =
        top.z / top.n >= 2 * outside && twoProportionTest(top.z, top.n, blanks - top.z, all - top.n).p < 1e-4;
      return clear ? top : null;
    };
    const byPeriod = async (where = '') =>
      bucket
        ? queryRows(
            this.q.connection,
            `SELECT CAST(${bucket} AS VARCHAR) AS k, count(*) AS n, ${blank} AS z FROM ${this.profile.table}${where} GROUP BY 1`,
          )
        : [];
    let best: { dimension: Dimension; member: string; z: number; n: number } | null = null;
    for (const dimension of this.profile.dimensions) {
      if (dimension.name === column || dimension.cardinality > 200) continue;
      const rows = await queryRows(
        this.q.connection,
        `SELECT ${dimension.sql} AS k, count(*) AS n, ${blank} AS z FROM ${this.profile.table} GROUP BY 1`,
      );
      // "Other" (the members beyond the top ones) names no one.
      const named = rows.map((r) => (r.k === null || dimension.members.includes(String(r.k)) ? r : { ...r, k: null }));
      const one = standout(named, 0.5);
      // Of a region and the bank inside it that hold nearly the same blanks, the bank (blank at a higher rate)
      // says more: blanks held × blank rate weighs both.
      const weight = (g: { z: number; n: number }) => (g.z * g.z) / g.n;
      if (one && (!best || weight(one) > weight(best)))
        best = { dimension, member: String(one.key), z: one.z, n: one.n };
    }
    if (!best) {
      const one = standout(await byPeriod(), 0.5);
      return one ? { period: String(one.key).slice(0, 10), unit, z: one.z } : null;
    }
    const member = { dimension: best.dimension.name, member: best.member };
    const inMember = standout(await byPeriod(` WHERE ${best.dimension.sql} = ${quoteLiteral(best.member)}`), 0.6);
    return inMember
      ? { member, period: String(inMember.key).slice(0, 10), unit, z: inMember.z }
      : { member, unit, z: best.z };
  }

  /** Data-quality notes a careful analyst would add: missing values, placeholders, gaps in time, duplicates. */
  private async dataQuality(angle: Angle): Promise<string[]> {
    const notes: string[] = [];
    const used = new Set([angle.lead, ...angle.support].flatMap((f) => f.columns));
    const rowCount = this.reading.rowCount;
    // A discount code left empty is "no discount code", a member of its own: no row is left out for it.
    const members = new Set(this.profile.dimensions.filter((d) => d.emptyAs).map((d) => d.name));
    // An empty end date (cancel_date, closed_at) is an end that has not come yet, not a value lost.
    const notYet = (c: (typeof this.reading.columns)[number]) =>
      (c.type === 'date' || c.type === 'datetime') &&
      /(cancel|churn|end|close|resol|exit|termin|return|discharg|complet|deliver|finish|left|quit)/i.test(c.name);
    for (const [i, c] of this.reading.columns.filter((c) => c.nullCount > 0 && notYet(c)).entries()) {
      const count = this.story.count(`notYet${i}`, c.nullCount).text;
      const share = this.story.percent(`notYetShare${i}`, (c.nullCount / rowCount) * 100).text;
      notes.push(
        `${capitalize(escapeMarkdown(nameParts(c.name).label))} is empty in ${count} rows (${share}): those have not ended yet.`,
      );
    }
    // A deferral reason blank for every donation not deferred does not apply there: nothing is lost.
    const notApplicable = new Map(this.profile.notApplicable.map((n) => [n.column, n]));
    for (const [i, n] of [...notApplicable.values()].filter((n) => used.has(n.column)).entries()) {
      const column = this.reading.columns.find((c) => c.name === n.column);
      if (!column || n.filledFor.length > 2) continue;
      const count = this.story.count(`notApplicable${i}`, rowCount - column.nullCount).text;
      const values = n.filledFor
        .map((v, j) =>
          /^(true|false)$/i.test(v)
            ? v
            : `“${escapeMarkdown(this.story.member(`notApplicableValue${i}_${j}`, v).text)}”`,
        )
        .join(' or ');
      notes.push(
        `${capitalize(escapeMarkdown(nameParts(n.column).label))} is filled in only where ${escapeMarkdown(nameParts(n.by).label)} is ${values} (${count} rows); elsewhere it does not apply, so its blanks are not missing values.`,
      );
    }
    const missing = this.reading.columns
      .filter(
        (c) =>
          c.nullCount > 0 &&
          c.nullCount / Math.max(1, rowCount) >= 0.005 &&
          !members.has(c.name) &&
          !notYet(c) &&
          !notApplicable.has(c.name),
      )
      .sort((a, b) => Number(used.has(b.name)) - Number(used.has(a.name)) || b.nullCount - a.nullCount);
    // Columns blank on exactly the same rows (age and its band) are one gap, told once.
    const blankSets: (typeof missing)[] = [];
    for (const c of missing) {
      const twin = blankSets.find((g) => g[0]!.nullCount === c.nullCount);
      if (twin && (await this.blankTogether(twin[0]!.name, c.name)) === c.nullCount) twin.push(c);
      else if (blankSets.length < 3) blankSets.push([c]);
    }
    if (blankSets.length > 0) {
      const items: string[] = [];
      for (const [i, gap] of blankSets.entries()) {
        const count = this.story.count(`missing${i}`, gap[0]!.nullCount).text;
        const share = this.story.percent(`missingShare${i}`, (gap[0]!.nullCount / rowCount) * 100).text;
        const where = await this.blanksWhere(gap[0]!.name, i);
        const names = listOf(gap.map((c) => escapeMarkdown(nameParts(c.name).label)));
        items.push(`${names} in ${count} rows (${share}${where ? `; ${where}` : ''})`);
      }
      notes.push(`Some values are missing: ${listOf(items)}; those rows are left out of any figure that needs them.`);
    }
    for (const [i, column] of this.reading.columns.entries()) {
      const codes = column.parse.sentinels ?? [];
      if (codes.length === 0) continue;
      const codeText = codes.map((code, j) => this.story.add(`sentinel${i}_${j}`, code, 'number', String(code)).text);
      notes.push(
        `${escapeMarkdown(nameParts(column.name).label)} uses ${listOf(codeText)} as a placeholder for "no reading"; those cells were treated as missing.`,
      );
    }
    // Top-coded ages ("90+") or suppressed counts ("<5") are read as the bound: the story's figures lean one way.
    for (const [i, column] of this.reading.columns.entries()) {
      if (!column.bounded || !used.has(column.name)) continue;
      notes.push(
        `${capitalize(this.story.count(`bounded${i}`, column.bounded.count).text)} values of ${escapeMarkdown(nameParts(column.name).label)} are written as a bound (like ${this.story.member(`boundExample${i}`, column.bounded.example).text}) and counted at that bound, so figures from it are slightly ${column.bounded.atMost ? 'high' : 'low'}.`,
      );
    }
    const invalid = this.reading.columns.filter((c) => c.invalidCount > 0).slice(0, 2);
    for (const [i, column] of invalid.entries()) {
      notes.push(
        `${this.story.count(`invalid${i}`, column.invalidCount).text} values of ${escapeMarkdown(nameParts(column.name).label)} could not be read as ${column.type === 'date' || column.type === 'datetime' ? 'dates' : 'numbers'} and were set aside.`,
      );
    }
    const currencies = this.profile.oneCurrency;
    if (currencies) {
      const others = currencies.others.map((code, i) => this.story.member(`otherCurrency${i}`, code).text);
      const one = this.story.member('currency', currencies.currency).text;
      notes.push(
        `Money here is written in ${this.story.count('currencies', others.length + 1).text} currencies (${listOf([one, ...others])}) and the file gives no rates to convert them, so every money figure counts the ${one} rows only (${this.story.count('currencyRows', currencies.rows).text} of ${this.story.count('currencyTotal', currencies.total).text}).`,
      );
    }
    for (const [i, removed] of this.profile.totalsRows.entries()) {
      notes.push(
        `${this.story.count(`totals${i}`, removed.rows).text} ${removed.rows === 1 ? 'row' : 'rows'} with ${escapeMarkdown(removed.column)} = "${escapeMarkdown(removed.member)}" ${removed.rows === 1 ? 'adds up the other rows, so it was' : 'add up the other rows, so they were'} left out to avoid counting everything twice.`,
      );
    }
    if (this.reading.duplicateRows > 0) {
      // Without a column that tells rows apart, two equal rows may be two equal lines of one order, not an error.
      const identified = this.profile.fields.some((field) => field.role === 'identifier');
      notes.push(
        this.reading.duplicateRows === 1
          ? `${this.story.count('duplicates', 1).text} row is an exact duplicate of another row; it was kept${identified ? ' as written' : ', since no column tells the rows apart: it may be a separate, identical record'}.`
          : `${this.story.count('duplicates', this.reading.duplicateRows).text} rows are exact duplicates of another row; they were kept${identified ? ' as written' : ', since no column tells the rows apart: they may be separate, identical records'}.`,
      );
    }
    const wide = this.reading.format.wide;
    if (wide) {
      const first = this.story.period('wideFirst', wide.columns[0]!.period, escapeMarkdown(wide.columns[0]!.name)).text;
      const last = this.story.period(
        'wideLast',
        wide.columns[wide.columns.length - 1]!.period,
        escapeMarkdown(wide.columns[wide.columns.length - 1]!.name),
      ).text;
      notes.push(
        `The file has one column per ${wide.granularity} (${first} to ${last}); it was read as one row per ${wide.granularity}, and empty cells were left out.`,
      );
    }
    const dimensionsUsed = new Set(
      [angle.lead, ...angle.support].flatMap((f) => [f.dimension, f.subspace?.dimension]).filter(Boolean),
    );
    for (const dimension of this.profile.dimensions) {
      const respelled = dimension.respelled ?? [];
      if (respelled.length === 0 || !dimensionsUsed.has(dimension.name)) continue;
      const spellings = respelled
        .slice(0, 3)
        .map((group) =>
          [group.member, ...group.spellings.slice(0, 3)].map((name) => `“${escapeMarkdown(name)}”`).join(', '),
        )
        .join('; ');
      notes.push(
        `${capitalize(dimension.label)} writes some values in several ways (${spellings}); each is counted as one ${escapeMarkdown(dimension.label)}, under its most frequent spelling.`,
      );
    }
    const outliers = this.profile.time?.outliers;
    if (outliers) {
      const unit = valueUnit(this.profile.time!.granularity);
      const first = this.story.period('outlierFirst', outliers.first, periodLabel(outliers.first, unit)).text;
      const last = this.story.period('outlierLast', outliers.last, periodLabel(outliers.last, unit)).text;
      const when = first === last ? first : `${first} to ${last}`;
      const rows = this.story.count('outlierRows', outliers.rows).text;
      notes.push(
        outliers.rows === 1
          ? `One row is dated ${when}, far from all the others: it looks like a typo and is left out of every figure over time.`
          : `${rows} rows are dated ${when}, far from all the others: they look like typos and are left out of every figure over time.`,
      );
    }
    const gaps = await this.timeGaps();
    if (gaps) notes.push(gaps);
    const absent = await this.entityGaps();
    if (absent) notes.push(absent);
    return notes;
  }

  /**
   * Periods a panel's entity is missing between its own first and last (a clinic with no rows for four
   * months): totals over the entities are short in those periods. Told when a few entities lack a few
   * periods that all the others have; an entity that joined late or left early has no gap.
   */
  private async entityGaps(): Promise<string | null> {
    const time = this.profile.time;
    const entity = this.profile.dimensions.find((d) => d.name === this.profile.entity);
    if (!time || !entity || !['month', 'quarter', 'year', 'week'].includes(time.granularity)) return null;
    const unit = time.granularity;
    const period = `date_trunc('${unit}', ${time.asTimestampSql})`;
    const rows = await this.q.rowsOnce(
      `WITH have AS (SELECT DISTINCT CAST(${entity.sql} AS VARCHAR) AS e, ${period} AS t FROM ${this.profile.table}
                     WHERE ${entity.sql} IS NOT NULL AND ${time.sql} IS NOT NULL),
            spans AS (SELECT e, min(t) AS first, max(t) AS last FROM have GROUP BY e),
            periods AS (SELECT t, count(*) AS entities FROM have GROUP BY t)
       SELECT spans.e AS e, periods.t AS t FROM spans JOIN periods ON periods.t > spans.first AND periods.t < spans.last
       LEFT JOIN have ON have.e = spans.e AND have.t = periods.t
       WHERE have.e IS NULL AND periods.entities >= 0.9 * (SELECT count(*) FROM spans) - 1
       ORDER BY spans.e, periods.t`,
    );
    const byEntity = new Map<string, string[]>();
    for (const row of rows) byEntity.set(String(row.e), [...(byEntity.get(String(row.e)) ?? []), String(row.t)]);
    // Holes everywhere are the panel's shape (reported every other year), not one entity's gap.
    if (byEntity.size === 0 || byEntity.size > 3) return null;
    const told = [...byEntity.entries()].map(([member, periods], i) => {
      const first = this.story.period(`entityGapStart${i}`, periods[0]!, periodLabel(periods[0]!, unit)).text;
      const last = periods.at(-1)!;
      const end = this.story.period(`entityGapEnd${i}`, last, periodLabel(last, unit)).text;
      const count = this.story.count(`entityGapCount${i}`, periods.length).text;
      const span = periods.length === 1 ? first : `${first} to ${end}`;
      return `${this.words.member(entity.name, member)} has no rows for ${count} ${periods.length === 1 ? unit : `${unit}s`} (${span})`;
    });
    const those = byEntity.size === 1 && [...byEntity.values()][0]!.length === 1 ? `that ${unit}` : `those ${unit}s`;
    return `${capitalize(listOf(told))}, so sums over all the ${this.words.plural(entity.name)} fall short in ${those}.`;
  }

  /** Missing periods inside the time range (a tracking outage, a month without readings). */
  private async timeGaps(): Promise<string | null> {
    const time = this.profile.time;
    if (!time || !['day', 'month', 'hour', 'week', 'quarter', 'year'].includes(time.granularity)) return null;
    // Sign-up dates skip days when nobody joined: no hole in a table of customers.
    if (time.entityStart) return null;
    const unit = time.granularity === 'week' ? 'week' : time.granularity;
    // Weeks as the file dates them (ending on Saturdays, say), counted in days: a missing week is told by
    // its own date, not by the Monday that starts it.
    const bucket = unit === 'week' ? 'day' : unit;
    const diff = (from: string, to: string) =>
      unit === 'week' ? `date_diff('day', ${from}, ${to}) / 7` : `date_diff('${unit}', ${from}, ${to})`;
    const rows = await this.q.rowsOnce(
      `WITH t AS (SELECT DISTINCT date_trunc('${bucket}', ${time.asTimestampSql}) AS t FROM ${this.profile.table} WHERE ${time.sql} IS NOT NULL),
            steps AS (SELECT t, lag(t) OVER (ORDER BY t) AS previous, ${diff('lag(t) OVER (ORDER BY t)', 't')} AS gap FROM t),
            typical AS (SELECT median(gap) AS step FROM steps WHERE previous IS NOT NULL)
       SELECT previous, t, gap, step, (SELECT count(*) FROM t) AS periods FROM steps, typical
       WHERE previous IS NOT NULL AND gap > 1.5 * step ORDER BY t`,
    );
    if (rows.length === 0) return null;
    const step = Number(rows[0]!.step);
    const advance = (date: Date, k: number) => {
      if (unit === 'day') date.setUTCDate(date.getUTCDate() + k * step);
      else if (unit === 'week') date.setUTCDate(date.getUTCDate() + 7 * k * step);
      else if (unit === 'month') date.setUTCMonth(date.getUTCMonth() + k * step);
      else if (unit === 'quarter') date.setUTCMonth(date.getUTCMonth() + 3 * k * step);
      else if (unit === 'year') date.setUTCFullYear(date.getUTCFullYear() + k * step);
      else date.setUTCHours(date.getUTCHours() + k * step);
    };
    let runs = rows.map((row) => {
      const count = Math.round(Number(row.gap) / step) - 1;
      const first = new Date(`${String(row.previous).replace(' ', 'T')}Z`);
      advance(first, 1);
      const last = new Date(first);
      advance(last, count - 1);
      return { count, first, last };
    });
    let missing = runs.reduce((sum, run) => sum + run.count, 0);
    // Dates of events (sign-ups) skip quiet days by nature; only a regular record with a few holes has gaps.
    // A yearly or monthly record has few periods: one year without a test in six is a gap to say.
    const holes = ['year', 'quarter', 'month'].includes(unit) ? 0.25 : 0.03;
    const dated = !this.profile.entity && !this.profile.cube && this.profile.eventsPerTime >= 2;
    const sparse = missing > holes * (time.distinct + missing);
    if (sparse && !this.profile.rowsAreEvents && !dated) return null;
    // A log of a few events an hour leaves some hours empty by chance: at λ events a period, about e^−λ of
    // them (Poisson). Dated records of anything (listings by the day they were listed) thin out the same
    // way, and by the day of the week: a quiet Sunday with two listings on average is empty one time in
    // seven. Then only more empty periods than chance gives (p < 0.01) are holes in the record — or, when
    // there are not, a run of empty periods that chance would not give anywhere in the span (a week).
    if (this.profile.rowsAreEvents || dated) {
      const periods = Number(rows[0]!.periods) + missing;
      // Tickets at 3 a.m. on a Sunday are rarer than at noon on a Monday: an hour is read against its hour
      // of its day of the week.
      const perWeekday = unit === 'day' && step === 1 ? await this.rowsPerWeekday(time) : null;
      const perHour = unit === 'hour' && step === 1 ? await this.rowsPerWeekHour(time) : null;
      const rate = (date: Date) =>
        perWeekday?.get(date.getUTCDay()) ??
        perHour?.get(date.getUTCDay() * 24 + date.getUTCHours()) ??
        this.profile.rowCount / periods;
      const emptyByChance = perWeekday
        ? [...perWeekday.values()].reduce((sum, perDay) => sum + (periods / 7) * Math.exp(-perDay), 0)
        : perHour
          ? [...perHour.values()].reduce((sum, perSlot) => sum + (periods / 168) * Math.exp(-perSlot), 0)
          : periods * Math.exp(-this.profile.rowCount / periods);
      if (sparse || poissonAtLeast(missing, emptyByChance) >= 0.01) {
        runs = runs.filter((run) => {
          let expected = 0;
          for (let k = 0, date = new Date(run.first); k < run.count; k++, advance(date, 1)) expected += rate(date);
          return Math.exp(-expected) * periods < 0.01;
        });
        if (runs.length === 0) return null;
        missing = runs.reduce((sum, run) => sum + run.count, 0);
      }
    }
    const key = (date: Date) => {
      const iso = date.toISOString();
      return unit === 'month'
        ? iso.slice(0, 7)
        : unit === 'year'
          ? iso.slice(0, 4)
          : unit === 'hour'
            ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}`
            : iso.slice(0, 10);
    };
    const told = runs.slice(0, 4).map((run, i) => {
      const a = this.story.period(`gapStart${i}`, run.first.toISOString(), key(run.first)).text;
      const b = this.story.period(`gapEnd${i}`, run.last.toISOString(), key(run.last)).text;
      return run.count === 1 ? a : `${a} to ${b}`;
    });
    const count = this.story.count('missingPeriods', missing).text;
    const noun = missing === 1 ? unit : `${unit}s`;
    return `The record has gaps: ${count} ${noun} ${missing === 1 ? 'is' : 'are'} missing entirely (${listOf(told)}${runs.length > 4 ? ', among others' : ''}).`;
  }

  /** Rows a day on each weekday (0 = Sunday), over every day of the span, empty days included. */
  private async rowsPerWeekday(time: TimeField): Promise<Map<number, number>> {
    const rows = await this.q.rowsOnce(
      `WITH days AS (SELECT range AS day FROM range(date_trunc('day', CAST(${quoteLiteral(time.min)} AS TIMESTAMP)),
                       date_trunc('day', CAST(${quoteLiteral(time.max)} AS TIMESTAMP)) + INTERVAL 1 DAY, INTERVAL 1 DAY)),
            counts AS (SELECT date_trunc('day', ${time.asTimestampSql}) AS day, count(*) AS n FROM ${this.profile.table}
                       WHERE ${time.sql} IS NOT NULL GROUP BY 1)
       SELECT dayofweek(days.day) AS weekday, count(*) AS days, coalesce(sum(counts.n), 0) AS n
       FROM days LEFT JOIN counts USING (day) GROUP BY 1`,
    );
    return new Map(rows.map((row) => [Number(row.weekday), Number(row.n) / Math.max(1, Number(row.days))]));
  }

  /** Rows per hour of the week (day of the week × 24 + hour, Sunday 0), averaged over the weeks of the span. */
  private async rowsPerWeekHour(time: TimeField): Promise<Map<number, number>> {
    const rows = await this.q.rowsOnce(
      `SELECT dayofweek(${time.asTimestampSql}) * 24 + hour(${time.asTimestampSql}) AS slot, count(*) AS n,
              (SELECT date_diff('day', CAST(${quoteLiteral(time.min)} AS TIMESTAMP), CAST(${quoteLiteral(time.max)} AS TIMESTAMP)) + 1) AS days
       FROM ${this.profile.table} WHERE ${time.sql} IS NOT NULL GROUP BY 1`,
    );
    const weeks = Math.max(1, Number(rows[0]?.days ?? 7) / 7);
    const perSlot = new Map<number, number>(Array.from({ length: 168 }, (_, slot) => [slot, 0]));
    for (const row of rows) perSlot.set(Number(row.slot), Number(row.n) / weeks);
    return perSlot;
  }

  /** "What to watch": the latest complete period against the one before. */
  private async latestChange(lead: Fact): Promise<string | null> {
    const time = this.profile.time;
    if (!time || !this.granularity) return null;
    // When a survey's answers came in is fieldwork, a sign-up day makes cohorts, and an experiment's last
    // day of assignments is no news of its result: nothing there to watch.
    if (this.profile.rowsAreAnswers || time.entityStart || lead.data.experiment === true) return null;
    const measure = this.words.measure(lead.measureId);
    const index = this.profile.measures.indexOf(measure);
    if (index < 0) return null;
    // A condition is not a series of its own (sales of promo days per month): the whole is watched.
    const subspace =
      lead.subspace && !this.words.dimension(lead.subspace.dimension)?.condition ? lead.subspace : undefined;
    // The subspace's (or the whole table's) buckets at a granularity.
    // In a log of events a member's quiet days are days without its events, not days the file lacks: its
    // periods are as complete as the file's (no "November, the latest complete month" beside a whole December).
    const bucketsAt = async (granularity: Granularity) =>
      subspace
        ? (await this.q.memberSeries(this.words.dimension(subspace.dimension)!, granularity, this.profile.measures))
            .filter((b) => b.member === subspace.member)
            .map((b) =>
              this.profile.rowsAreEvents && b.fileCoverage !== undefined ? { ...b, coverage: b.fileCoverage } : b,
            )
        : await this.q.series(granularity, this.profile.measures);
    // Weekly totals by month are compared a week at a time, over the month's whole weeks: a five-week
    // December is not a quarter busier than a four-week one, and a last week of two days is no week.
    const weekly =
      time.granularity === 'week' &&
      this.granularity === 'month' &&
      measure.aggregation === 'sum' &&
      !measure.stockPer &&
      !measure.interval;
    const weeks = weekly ? toSeries(await bucketsAt('week'), index, 'week', time.granularity) : null;
    const totals = weeks
      ? weeklyRateByMonth(weeks)
      : toSeries(await bucketsAt(this.granularity), index, this.granularity, time.granularity);
    const n = totals.values.length;
    if (n < 2) return null;
    // A last period that holds far fewer values than the one before (6 of 40 countries have reported 2024)
    // compares a few with all: nothing to watch yet. (In a log of events fewer rows are the news.)
    if (measure.rowSql && measure.id !== ROWS_MEASURE_ID && !this.profile.rowsAreEvents) {
      const bucket = truncSql(this.granularity, time.asTimestampSql);
      const at = (i: number) => `CAST(${quoteLiteral(totals.periods[i]!)} AS TIMESTAMP)`;
      const member = subspace
        ? ` AND ${this.words.dimension(subspace.dimension)!.sql} = ${quoteLiteral(subspace.member)}`
        : '';
      const counts = await queryOne(
        this.q.connection,
        `SELECT count(${measure.rowSql}) FILTER (WHERE ${bucket} = ${at(n - 1)}) AS last,
                count(${measure.rowSql}) FILTER (WHERE ${bucket} = ${at(n - 2)}) AS before
         FROM ${this.profile.table} WHERE TRUE${member}`,
      );
      if (Number(counts.last) < 0.8 * Number(counts.before)) return null;
    }
    const role = valueRole(measure);
    const last = this.story.measure('latestValue', totals.values[n - 1]!, measure, role).text;
    // Daily totals by month are compared a day at a time (February is short of days, not of sales), and
    // say so: "a daily rate 13.1% above January", never a month's total read as 13.1% up.
    // Changes in units (values at or below zero) stay whole-period totals.
    const perDay =
      dailyTotals(measure, this.granularity, time.granularity) &&
      totals.values[n - 2]! > 0 &&
      totals.values[n - 1]! > 0;
    const series = perDay ? perCalendarDay(totals, measure, time) : totals;
    const daily = perDay
      ? ` (${this.story.measure('latestPerDay', series.values[n - 1]!, measure, 'average').text} a day)`
      : '';
    const lastPeriod = this.story.period(
      'latestPeriod',
      series.periods[n - 1]!,
      periodLabel(series.periods[n - 1]!, this.granularity),
    ).text;
    const previousPeriod = this.story.period(
      'previousPeriod',
      series.periods[n - 2]!,
      periodLabel(series.periods[n - 2]!, this.granularity),
    ).text;
    // In units when percentages would mislead (°C, values at or below zero, and rates: an approval rate
    // from 59.4% to 60.9% is 1.5 points up, not "2.6% above").
    const inUnits = movesInUnits(measure) || series.values[n - 2]! <= 0 || series.values[n - 1]! <= 0;
    const change = inUnits
      ? series.values[n - 1]! - series.values[n - 2]!
      : percentChange(series.values[n - 1]!, series.values[n - 2]!);
    const changeText = this.moveText('latestChange', change, inUnits, measure);
    const subject = subspace ? this.words.subject(lead) : measure.label;
    // Months and quarters are also set against the same period a year earlier, which a yearly cycle
    // does not distort (December below November says little about a series that peaks in summer).
    let yearAgo = '';
    const earlier = sameTimeLastYear(series.periods[n - 1]!, this.granularity);
    const e = earlier ? series.periods.indexOf(earlier) : -1;
    if (e >= 0 && Number.isFinite(series.values[e])) {
      const before = series.values[e]!;
      const yearChange =
        inUnits || before <= 0 ? series.values[n - 1]! - before : percentChange(series.values[n - 1]!, before);
      const yearText = this.moveText('yearAgoChange', yearChange, inUnits || before <= 0, measure);
      const period = this.story.period('yearAgoPeriod', earlier!, periodLabel(earlier!, this.granularity)).text;
      yearAgo = ` and ${compared(yearChange, yearText, period, inUnits || before <= 0 ? before : null)}`;
    }
    const against = compared(change, changeText, previousPeriod, inUnits ? series.values[n - 2]! : null);
    // A last period the file holds only part of is named, unless the lead already said so.
    const cut = (weeks ?? totals).excluded.find((e) => e.position === 'last');
    const said = ((lead.data.excluded as { period: string }[] | undefined) ?? []).some((e) => e.period === cut?.period);
    const cutUnit = weeks ? 'week' : this.granularity;
    const partly =
      cut && !said
        ? ` (${this.story.period('partialPeriod', cut.period, periodLabel(cut.period, cutUnit)).text} is only partly in the file)`
        : '';
    const level = weeks ? `averaged ${last} a week` : `${agree(subject, 'was', 'were')} ${last}${daily}`;
    return `What to watch: ${onOrIn(lastPeriod)}, the latest complete ${this.granularity}${partly}, ${subject} ${level}, ${daily ? 'a daily rate ' : ''}${against}${yearAgo}${this.usualSwing(series, change, inUnits, measure)}.`;
  }

  /**
   * A latest move no larger than the series' usual one from period to period is said to be so: a month
   * 1.6 points down in a series that moves 2 points a month is no news to watch.
   */
  private usualSwing(series: Series, change: number, inUnits: boolean, measure: Measure): string {
    const steps = series.values
      .slice(1)
      .map((value, i) => (inUnits ? value - series.values[i]! : percentChange(value, series.values[i]!)))
      .slice(0, -1)
      .filter(Number.isFinite)
      .map(Math.abs);
    const usual = steps.length >= 6 ? median(steps) : null;
    if (usual === null || usual === 0 || Math.abs(change) > usual) return '';
    // Census-style steps (every fifth year) are "its usual 5-year move", never a year's.
    const usualMove = stepMove(
      series.periods.map((t) => ({ t })),
      this.granularity,
    );
    return `, within its usual ${usualMove} (${this.moveText('usualSwing', usual, inUnits, measure)})`;
  }

  /** A move's size as a claim: in the measure's units (points for a rate), else as a percent change. */
  private moveText(name: string, value: number, inUnits: boolean, measure: Measure): string {
    const claim = inUnits
      ? this.story.measure(name, value, measure, valueRole(measure))
      : this.story.percent(name, value);
    return inPointsOf(measure, claim.text.replace(/^-/, ''));
  }

  /** "in both stores" for two, else "across all 5 stores" (the count a claim). */
  private acrossAll(dimension: string, count: number, claimName: string): string {
    const plural = this.words.plural(dimension);
    return count === 2 ? `in both ${plural}` : `across all ${this.story.count(claimName, count).text} ${plural}`;
  }
}

/**
 * The unit to name single time values of a column in: as precise as the data — "1955" for yearly rows,
 * a date (never "the week of") for daily, weekly or finer ones.
 */
function valueUnit(granularity: Granularity): Granularity {
  return granularity === 'year' || granularity === 'quarter' || granularity === 'month' ? granularity : 'day';
}

/**
 * "12.9% below November 1960", or "level with 1980" when the change is too small to mean anything (under
 * 0.05%, or for a change in units under 0.05% of the earlier value): never "0.0029% above".
 */
function compared(change: number, changeText: string, period: string, unitsBase: number | null): string {
  const negligible = unitsBase === null ? Math.abs(change) < 0.05 : Math.abs(change) <= 0.0005 * Math.abs(unitsBase);
  return negligible ? `level with ${period}` : `${changeText} ${change < 0 ? 'below' : 'above'} ${period}`;
}

/** Outcomes that happen to a row rather than by it: "were approved", never "approved". */
const DONE_TO_ROWS = new Set([
  'approved',
  'admitted',
  'readmitted',
  'accepted',
  'rejected',
  'declined',
  'hired',
  'promoted',
  'refunded',
  'cancelled',
  'canceled',
  'delivered',
  'flagged',
  'escalated',
  'resolved',
  'returned',
  'retained',
  'renewed',
  'selected',
  'funded',
  'shipped',
  'delayed',
  'verified',
  'blocked',
  'reported',
  'dismissed',
  'fired',
]);

/**
 * What a yes/no outcome's rows did, said as a verb when its name is one: "crashed = 1" → "crashed",
 * "approved = yes" → "were approved",
 * "is_active = Yes" → "are active", "has_coupon = true" → "have coupon"; else "have crashes = Yes".
 */
export function countedAs(positiveLabel: string): string {
  const match = /^(.+) = (1|yes|y|true|t)$/i.exec(positiveLabel);
  // Within the window it was counted over: "churned within 12 months", never "churned the 12m".
  const window = match ? outcomeWindow(match[1]!) : null;
  if (window) return `${countedAs(`${window.outcome} = ${match![2]}`)} within ${window.count} ${window.unit}s`;
  const words = match ? match[1]!.split(/[\s_-]+/).filter(Boolean) : [];
  const [first, ...rest] = words.map((word) => word.toLowerCase());
  // Done to the row (applicants were admitted, orders were returned), or done by it (sessions crashed).
  if (words.length === 1 && first!.length > 5 && first!.endsWith('ed'))
    return DONE_TO_ROWS.has(first!) ? `were ${first}` : first!;
  if (rest.length > 0 && first === 'is') return `are ${rest.join(' ')}`;
  if (rest.length > 0 && first === 'was') return `were ${rest.join(' ')}`;
  if (rest.length > 0 && first === 'has') return `have ${rest.join(' ')}`;
  // A verb in the past with what it was done to ("left_company = Yes"): "left the company".
  if (
    words.length === 2 &&
    /^(left|quit|joined|churned|cancelled|canceled|renewed|upgraded|downgraded|visited)$/.test(first!)
  )
    return `${first} the ${rest[0]}`;
  return `have ${positiveLabel}`;
}

/**
 * Sentences joined, the ones that open like the sentence before them ("Revenue is concentrated: …" twice)
 * told as one: "Revenue is concentrated: the top 40 of 200 SKUs hold 60.1% of it; the top 2 of 6 …".
 */
export function joinSharingOpenings(sentences: string[]): string {
  const joined: string[] = [];
  for (const sentence of sentences) {
    const opening = /^([^:.]{3,80}): /.exec(sentence)?.[1];
    const previous = joined.at(-1);
    if (opening && previous?.startsWith(`${opening}: `) && previous.endsWith('.')) {
      joined[joined.length - 1] = `${previous.slice(0, -1)}; ${sentence.slice(opening.length + 2)}`;
    } else joined.push(sentence);
  }
  return joined.join(' ');
}

/**
 * A weekly series as each month's average week, over the months that hold four whole weeks or more (a
 * week belongs to the month it starts in; partial weeks at the ends are already out of the series).
 */
const weeklyRateByMonth = (weeks: Series): Series => ({ ...monthlyAverages(weeks, 4), excluded: weeks.excluded });
