import {
  dayKindOf,
  isAdjectiveCondition,
  isProductTrait,
  isSidePair,
  peopleConditionSides,
  singularOf,
} from '../semantics.ts';
import { unitName } from '../time.ts';
import {
  type Claim,
  type DatasetProfile,
  type Dimension,
  type Fact,
  type Granularity,
  type Measure,
  ROWS_MEASURE_ID,
  type Strength,
} from '../types.ts';
import { escapeMarkdown } from './format.ts';

/** What sentence builders need to name things: the profile's measures and dimensions by id. */
export class Vocabulary {
  private readonly measures: Map<string, Measure>;
  private readonly dimensions: Map<string, Dimension>;

  constructor(readonly profile: DatasetProfile) {
    this.measures = new Map(profile.measures.map((m) => [m.id, m]));
    this.dimensions = new Map(profile.dimensions.map((d) => [d.name, d]));
  }

  measure(id: string): Measure {
    const found = this.measures.get(id);
    if (found) return found;
    // A measure left out since (e.g. steering) still has a readable name.
    return {
      id,
      label: id,
      aggregateSql: '',
      rowSql: '',
      aggregation: 'mean',
      format: { kind: 'number' },
      unit: '',
      decimals: 2,
      columns: [id],
      prior: 1,
      nonNegative: false,
    };
  }

  dimension(name: string | undefined): Dimension | undefined {
    return name ? this.dimensions.get(name) : undefined;
  }

  /** "regions", "species", "machines" — the dimension as a plural noun. */
  plural(name: string | undefined): string {
    return pluralize(this.singular(name));
  }

  /** A condition's two sides are groups: "within each free lunch group", not "each free lunch". */
  singular(name: string | undefined): string {
    const dimension = this.dimension(name);
    const noun = nounOf(dimension?.label ?? name ?? 'group');
    if (dimension && isSidePair(dimension.members)) return 'home/away side';
    return dimension?.condition ? `${noun} group` : noun;
  }

  /** "the other regions", or the other member itself when there are only two ("over time = No"). */
  others(dimensionName: string | undefined, member: string): string {
    const members = this.dimension(dimensionName)?.members ?? [];
    const other = members.length === 2 && members.includes(member) ? members.find((m) => m !== member) : undefined;
    return other === undefined ? `the other ${this.plural(dimensionName)}` : this.member(dimensionName, other);
  }

  /**
   * The two sides of a condition, the member's first: "with promo" / "without promo", or in a panel of
   * periods (a row per store per week) "in holiday weeks" / "in other weeks"; null for other breakdowns.
   */
  sides(dimensionName: string | undefined, raw: string): { member: string; other: string } | null {
    const dimension = this.dimension(dimensionName);
    if (!dimension?.condition) return null;
    if (isSidePair(dimension.members))
      return /^home$/i.test(raw.trim()) ? { member: 'at home', other: 'away' } : { member: 'away', other: 'at home' };
    const label = dimension.label.replace(/^(is|has|was|on)\s+|\s+(flag|indicator|day|week)$/gi, '') || dimension.label;
    const time = this.profile.time;
    // (A thing's own yes/no, irrigated or tutored, is no kind of period.)
    const periodic =
      !dimension.attribute &&
      this.profile.entity !== null &&
      time &&
      ['day', 'week', 'month', 'quarter', 'year'].includes(time.granularity);
    const people = peopleConditionSides(dimension.name);
    // A kind of day (workingday, school_day, holiday) in rows finer than a day: "on working days".
    const day = dayKindOf(dimension.label);
    let [yes, no] = [`with ${label}`, `without ${label}`];
    // A thing's state in one past participle (irrigated): "where irrigated" / "where not irrigated".
    if (dimension.attribute && /^[a-z]+ed$/i.test(label)) [yes, no] = [`where ${label}`, `where not ${label}`];
    if (people) [yes, no] = people;
    // A product's trait: "for organic reviews" / "for non-organic reviews".
    else if (isProductTrait(label)) [yes, no] = [`for ${label} ${this.rows()}`, `for non-${label} ${this.rows()}`];
    // A kind of row named by an adjective: "for remote employees" / "for other employees".
    else if (isAdjectiveCondition(label)) [yes, no] = [`for ${label} ${this.rows()}`, `for other ${this.rows()}`];
    else if (day !== null && !(periodic && time.granularity === 'day'))
      [yes, no] = [day.toLowerCase() === 'holi' ? 'on holidays' : `on ${day} days`, 'on other days'];
    else if (periodic) {
      const [preposition, units] = [time.granularity === 'day' ? 'on' : 'in', unitName(time.granularity, true)];
      [yes, no] = [`${preposition} ${label} ${units}`, `${preposition} other ${units}`];
    }
    return isYesMember(raw) ? { member: yes, other: no } : { member: no, other: yes };
  }

  /** The rows, as the row count names them: "rows", "orders", "employees". */
  rows(): string {
    return this.measure(ROWS_MEASURE_ID).label;
  }

  /** One of the rows, as the row count names them: "row", "order", "patient". */
  row(): string {
    return singularNoun(this.measure(ROWS_MEASURE_ID).label);
  }

  /** How a member reads as a subject: "West", "machine M05", "churned = Yes". */
  member(dimensionName: string | undefined, raw: string): string {
    const member = escapeMarkdown(raw);
    const dimension = this.dimension(dimensionName);
    if (!dimension) return member;
    // "churned = Yes", but "cluster 1" when 0 and 1 are two of many codes.
    const yesNo = (value: string) => /^(true|false|yes|no|y|n|0|1)$/i.test(value);
    if (dimension.binary || (dimension.cardinality <= 2 && dimension.members.every(yesNo) && yesNo(member)))
      return `${dimension.label} = ${member}`;
    // Sex coded M and F reads as men and women ("45.7% for men against 28.5% for women"), beside a code
    // for another or an unstated one (X, D, U): "gender X".
    if (
      /^(gender|sex)$/i.test(dimension.label) &&
      dimension.members.every((m) => /^[MFXDU]$/i.test(m)) &&
      ['m', 'f'].every((code) => dimension.members.some((m) => m.toLowerCase() === code))
    )
      return /^m$/i.test(member) ? 'men' : /^f$/i.test(member) ? 'women' : `${dimension.label} ${member}`;
    // A number or a single-letter code says nothing alone: "line B", "cluster 4" (but "PL", "NA" do).
    if (/^-?\d+(\.\d+)?$/.test(member) || /^[A-Za-z]$/.test(member)) return `${nounOf(dimension.label)} ${member}`;
    if (/\bID$/i.test(dimension.label) && member.length <= 12) return `${nounOf(dimension.label)} ${member}`;
    // A grade or a state says nothing without what it grades: "standard lunch", "test preparation course =
    // none" — and then every member of the column reads so ("free/reduced lunch", "course = completed").
    const some = (words: RegExp) => dimension.members.some((m) => words.test(m.trim()));
    if (some(STATE_WORDS)) return `${dimension.label} = ${member}`;
    if (some(GRADE_WORDS)) return `${member} ${dimension.label}`;
    return member;
  }

  /** A fact's subject: "West revenue", "revenue", "the churn rate of Basic". */
  subject(fact: Fact): string {
    const measure = this.measure(fact.measureId);
    if (!fact.subspace) return measure.label;
    return `${this.member(fact.subspace.dimension, fact.subspace.member)} ${measure.label}`;
  }
}

/** Members that grade the thing their column names: read before it ("standard lunch", "high income"). */
const GRADE_WORDS =
  /^(standard|free|reduced|free\/reduced|regular|normal|high|low|medium|mid|middle|full|partial|basic|extended|part[- ]time|full[- ]time)$/i;
/** Members that only say whether or how far something happened: read after their column ("course = none"). */
const STATE_WORDS =
  /^(none|completed|complete|incomplete|not completed|other|unknown|n\/a|missing|some|done|pending)$/i;

/** A label that names many things ("sessions", "units", "sales") takes a plural verb; "body mass" does not. */
const PARTICIPLE =
  /^(?:[a-z]+ed|sold|sent|driven|taken|given|seen|won|lost|made|paid|built|spent|held|kept|read|written|shown|grown|flown|done|bought|caught|brought|taught|thrown|ridden|run)$/i;

export function isPluralLabel(label: string): boolean {
  // The head noun stands before "of" or "in" ("perceptions of corruption are", "tickets in the last 90 days
  // are"); "orders per session" is one ratio.
  // (And before "when": "average tip when tipped", "average deposit when opened savings" is one amount.)
  const head = label.trim().split(/\s+(?:of|in|when)\s+/)[0]!;
  const words = head.split(/\s+/);
  // A participle after the noun qualifies it: "calls offered are", "units sold are", "hours worked are".
  if (words.length > 1 && PARTICIPLE.test(words[words.length - 1]!)) words.pop();
  const word = words.pop() ?? '';
  // An acronym is one thing: "NPS is", "GPS is" (but "KPIs are").
  if (word.length >= 2 && word === word.toUpperCase() && /[A-Z]/.test(word)) return false;
  // So is a name that ends in a capital S ("iOS makes up", "macOS is").
  if (/[a-z]OS$/.test(word)) return false;
  const last = word.toLowerCase();
  if (['series', 'species', 'analysis', 'gas', 'news', 'status', 'bus', 'mass', 'ppm', 'yes'].includes(last))
    return false;
  return /[^su]s$/.test(last);
}

/** The verb form that agrees with a measure label: `agree('sessions', 'is', 'are')` → "are". */
export function agree(label: string, singular: string, plural: string): string {
  // An average already ("average visit min") is, not averages, its value.
  if (singular === 'averages' && /^(average|avg|mean)\b/i.test(label)) return isPluralLabel(label) ? 'are' : 'is';
  return isPluralLabel(label) ? plural : singular;
}

/** "machine ID" → "machine", "Body Mass" → "body mass". */
export function nounOf(label: string): string {
  return label.replace(/\s+(ID|id|code|key|name)$/, '').trim() || label;
}

export function pluralize(noun: string): string {
  // "country of residence" → "countries of residence": the head noun takes the plural.
  const of = /^(.+?)( (?:of|in|per|by|for) .+)$/.exec(noun);
  if (of) return `${pluralize(of[1]!)}${of[2]!}`;
  if (/(species|series|data|fish|sheep|deer|aircraft|staff|personnel)$/i.test(noun)) return noun;
  // A window or a code is no noun ("intent to stay 2y", "grade 3"): its answers are named as groups.
  if (/(^|\s)\d+[a-z]{0,3}$/i.test(noun)) return `${noun} groups`;
  if (/genus$/i.test(noun)) return noun.replace(/us$/i, 'era');
  if (/(x|ch|sh|ss|us)$/i.test(noun)) return `${noun}es`;
  if (/s$/i.test(noun)) return noun;
  if (/[^aeiou]y$/i.test(noun)) return noun.replace(/y$/i, 'ies');
  return `${noun}s`;
}

/** The "yes" side of a yes/no member: 1, true, yes, y, t. */
export const isYesMember = (raw: string) => /^(1|true|yes|y|t)$/i.test(raw.trim());

/** "rows" → "row", "entries" → "entry": the count's noun for one of them. */
export const singularNoun = singularOf;

/**
 * A change of ten times or more (+900%): from a small start a percentage runs to thousands ("up 706,975%"),
 * and the two values, or a multiple, say it better.
 */
export const pastTenTimes = (percentChange: number) => Math.abs(percentChange) >= 900;

/** The first letter up, unless the first word is written in mixed case already (kWh, pH, iPhone). */
export const capitalize = (text: string) =>
  !text || /^[a-z]+[A-Z]/.test(text) ? text : text[0]!.toUpperCase() + text.slice(1);

/** Reads a claim's text, failing loudly when a template asks for a number the fact never computed. */
export function claim(fact: Fact, name: string): string {
  const found: Claim | undefined = fact.claims[name];
  if (!found) throw new Error(`fact ${fact.id} has no claim "${name}"`);
  return found.text;
}

export const has = (fact: Fact, name: string) => fact.claims[name] !== undefined;

/**
 * A claim's size without its sign: "58.5%" for a percent change; a difference of a measure kept in percentage
 * points (over budget, a rate's move) reads "18.2 points", never as a percent change of it.
 */
export function magnitude(fact: Fact, name: string): string {
  const text = claim(fact, name).replace(/^-/, '');
  return fact.claims[name]!.kind !== 'percent' && text.endsWith('%') ? `${text.slice(0, -1)} points` : text;
}

/** A difference or a step of a percentage said in points ("11.2 points"), never as a relative "11.2%". */
export const inPointsOf = (measure: Measure, text: string) =>
  measure.format.kind === 'percent' ? text.replace(/%$/, ' points') : text;

/** A signed percentage claim as words: "58.5% lower" / "66.8% higher" (or "18.2 points higher"). */
export function relative(fact: Fact, name: string, up = 'higher', down = 'lower'): string {
  const value = Number(fact.claims[name]?.value ?? 0);
  return `${magnitude(fact, name)} ${value < 0 ? down : up}`;
}

/** Hedging that follows the evidence: strong facts may be stated plainly, weak ones are qualified. */
export function hedge(strength: Strength, strong: string, moderate: string, weak: string): string {
  return strength === 'strong' ? strong : strength === 'moderate' ? moderate : weak;
}

export function granularityNoun(granularity: unknown, plural = false): string {
  const noun = typeof granularity === 'string' ? (granularity as Granularity) : 'period';
  return plural ? `${noun}s` : noun;
}

/**
 * The spacing of a series' steps: its granularity ("year"), or "5-year" when every step spans five of them
 * (census-style data published every fifth year), so that text never calls a five-year step a year.
 */
export function stepNoun(points: unknown, granularity: unknown): string {
  const noun = granularityNoun(granularity);
  const list = Array.isArray(points) ? (points as { t: string }[]) : [];
  if (list.length < 3 || (granularity !== 'year' && granularity !== 'month')) return noun;
  const index = (t: string) =>
    granularity === 'year' ? Number(t.slice(0, 4)) : Number(t.slice(0, 4)) * 12 + Number(t.slice(5, 7));
  const gaps = new Set(list.slice(1).map((p, i) => index(p.t) - index(list[i]!.t)));
  const gap = [...gaps][0]!;
  if (gaps.size === 1) return gap > 1 ? `${gap}-${noun}` : noun;
  // Censuses every ten years with one missing: the steps are not years, nor all the same length.
  return Math.min(...gaps) > 1 ? '' : noun;
}

/** "move from one year to the next", "5-year move" for census-style steps, "move between readings" when uneven. */
export function stepMove(points: unknown, granularity: unknown): string {
  const noun = granularityNoun(granularity);
  const step = stepNoun(points, granularity);
  if (step === noun) return `move from one ${noun} to the next`;
  return step ? `${step} move` : 'move between readings';
}

/** A change's text with its sign, "+2.1%" as well as "-0.8%". */
export const signedText = (text: string) => (/^[-−+]/.test(text) ? text : `+${text}`);

/** "year-to-year" / "5-year" (as in "10 of 10 5-year steps"); "successive" when the steps differ in length. */
export function stepAdjective(points: unknown, granularity: unknown, joiner: 'to' | 'on'): string {
  const noun = granularityNoun(granularity);
  const step = stepNoun(points, granularity);
  if (step === '') return 'successive';
  return step === noun ? `${noun}-${joiner}-${noun}` : step;
}

/** "A, B and C". */
export function listOf(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "on March 15, 2024" for a day or an hour, "in March 2024" / "in 2019" / "in the week of …" otherwise. */
export function at(period: string): string {
  return /^[A-Z][a-z]+ \d{1,2}, \d{4}/.test(period) ? `on ${period}` : `in ${period}`;
}
