import type { DatasetProfile, Fact, FactType } from './types.ts';

/** What a steering prompt asks for, in terms the engine can act on. */
export interface Steering {
  /** Measures, dimensions or members the prompt names: facts about them rank higher. */
  focus: Set<string>;
  /** Members or columns to leave out ("ignore the test region"). */
  ignore: Set<string>;
  /** Insight families the prompt asks for ("trends", "correlations"). */
  types: Set<FactType>;
  text: string;
}

const typeWords: [RegExp, FactType[]][] = [
  [/\b(trend|growth|grow|over time|declin|rise|increas|decreas)/i, ['trend', 'peak', 'change_point']],
  [/\b(season|weekly|weekend|daily|cycle|monthly pattern|hour)/i, ['seasonality']],
  [/\b(spike|anomal|outlier|unusual|dip|drop)/i, ['spike', 'change_point']],
  [/\b(correlat|relationship|driver|drive|predict|relat)/i, ['correlation', 'simpson']],
  [
    /\b(segment|compare|comparison|differen|gap|advantage|by (plan|region|segment|group))/i,
    ['segment_difference', 'paired_difference'],
  ],
  [/\b(concentrat|pareto|top|leader|share|biggest|largest)/i, ['concentration', 'leader']],
  [/\b(laggard|lagg|trail|weakest|worst|smallest|bottom|underperform)/i, ['laggard', 'segment_difference']],
];

/** Synonyms that map a business word to the vocabulary found in headers. */
const synonyms: [RegExp, string[]][] = [
  [/\bretention|retain|churn/i, ['churn', 'churned', 'retained', 'cancel']],
  [/\bconversion|convert/i, ['conversion', 'conversions', 'converted']],
  [/\brevenue|sales|money/i, ['revenue', 'sales', 'amount', 'mrr']],
  [/\btraffic|visits?/i, ['sessions', 'visits', 'users']],
];

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];

export function parseSteering(prompt: string | undefined, profile: DatasetProfile): Steering {
  const text = (prompt ?? '').slice(0, 2000);
  const steering: Steering = { focus: new Set(), ignore: new Set(), types: new Set(), text };
  if (!text.trim()) return steering;
  const vocabulary = new Set(words(text));
  for (const [pattern, extra] of synonyms) if (pattern.test(text)) for (const word of extra) vocabulary.add(word);
  const names = [
    ...profile.measures.flatMap((m) => [m.id, m.label, ...m.columns]),
    ...profile.dimensions.flatMap((d) => [d.name, d.label]),
  ];
  const members = profile.dimensions.flatMap((d) => d.members);
  const said = (part: string) =>
    part.length >= 3 && [...vocabulary].some((w) => w.length >= 3 && (part.startsWith(w) || w.startsWith(part)));
  // A name counts when its head noun is said ("price" → unit price) or all of its words are; "units"
  // alone does not name "unit price".
  const mentions = (name: string) => {
    const parts = words(name);
    return parts.length > 0 && (said(parts[parts.length - 1]!) || parts.every(said));
  };
  // "ignore X", "exclude X", "without X", "except X": the words after it name what to drop.
  const ignoreClause = text.match(/\b(?:ignore|exclude|excluding|without|except|not)\b([^.;,]*)/i)?.[1] ?? '';
  const ignoreWords = new Set(words(ignoreClause));
  for (const name of [...names, ...members]) {
    const parts = words(name);
    if (parts.length > 0 && parts.every((part) => ignoreWords.has(part))) steering.ignore.add(name);
    else if (mentions(name)) steering.focus.add(name);
  }
  // "ignore the West region": the dimension's name only says which West; the dimension itself stays.
  for (const dimension of profile.dimensions) {
    if (dimension.members.some((member) => steering.ignore.has(member))) {
      steering.ignore.delete(dimension.name);
      steering.ignore.delete(dimension.label);
    }
  }
  for (const [pattern, types] of typeWords) if (pattern.test(text)) for (const type of types) steering.types.add(type);
  return steering;
}

/** Multiplier for a fact's score: 1 without steering; up to about 2 for facts on what was asked; 0 for what to ignore. */
export function steeringBoost(steering: Steering, profile: DatasetProfile): (fact: Fact) => number {
  if (!steering.text.trim()) return () => 1;
  const measureNames = new Map(profile.measures.map((m) => [m.id, [m.id, m.label, ...m.columns]]));
  return (fact) => {
    const names = [...(measureNames.get(fact.measureId) ?? []), ...fact.columns, fact.subspace?.member ?? ''];
    if (names.some((name) => steering.ignore.has(name))) return 0;
    let boost = 1;
    if (names.some((name) => steering.focus.has(name))) boost *= 1.6;
    if (steering.types.has(fact.type)) boost *= 1.3;
    return boost;
  };
}

const typeNames: Partial<Record<FactType, string>> = {
  trend: 'trends',
  change_point: 'shifts',
  seasonality: 'cycles',
  spike: 'spikes and dips',
  correlation: 'relationships',
  segment_difference: 'differences between groups',
  paired_difference: 'differences between two sides of a row',
  concentration: 'concentration',
  leader: 'leaders',
  laggard: 'laggards',
};

const listed = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/**
 * How the prompt was understood, in one or two sentences a person can check ("We read your request as:
 * focus on churn; look for trends; leave out West."), or why it changed nothing. Null without a prompt.
 */
export function describeSteering(steering: Steering): string | null {
  if (!steering.text.trim()) return null;
  // One entry per thing named: a column and its label ("unit_price", "unit price") are the same.
  const quoted = (names: Set<string>) => {
    const byKey = new Map<string, string>();
    for (const name of names) {
      const key = name
        .toLowerCase()
        .replace(/[\s_-]+/g, ' ')
        .trim();
      if (!byKey.has(key)) byKey.set(key, `“${name.replace(/_/g, ' ')}”`);
    }
    return [...byKey.values()].slice(0, 6);
  };
  const parts: string[] = [];
  if (steering.focus.size > 0) parts.push(`focus on ${listed(quoted(steering.focus))}`);
  const types = [...new Set([...steering.types].flatMap((type) => typeNames[type] ?? []))];
  if (types.length > 0) parts.push(`look for ${listed(types)}`);
  if (steering.ignore.size > 0) parts.push(`leave out ${listed(quoted(steering.ignore))}`);
  if (parts.length === 0) {
    return (
      'We did not recognise a column, a value or a kind of finding in your request, so these are the stories we ' +
      'would pick anyway. Try naming a column or a value from the file, or a kind of pattern (trends, cycles, ' +
      'differences between groups, relationships, leaders, laggards).'
    );
  }
  return `We read your request as: ${parts.join('; ')}.`;
}
