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
  [/\b(trend|growth|grow|over time|declin|rise|increas|decreas)/i, ['trend', 'change_point']],
  [/\b(season|weekly|weekend|daily|cycle|monthly pattern|hour)/i, ['seasonality']],
  [/\b(spike|anomal|outlier|unusual|dip|drop)/i, ['spike', 'change_point']],
  [/\b(correlat|relationship|driver|drive|predict|relat)/i, ['correlation', 'simpson']],
  [/\b(segment|compare|comparison|differen|by (plan|region|segment|group))/i, ['segment_difference']],
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
  const mentions = (name: string) => {
    const parts = words(name);
    return (
      parts.length > 0 &&
      parts.some(
        (part) =>
          part.length >= 3 && [...vocabulary].some((w) => w.length >= 3 && (part.startsWith(w) || w.startsWith(part))),
      )
    );
  };
  // "ignore X", "exclude X", "without X", "except X": the words after it name what to drop.
  const ignoreClause = text.match(/\b(?:ignore|exclude|excluding|without|except|not)\b([^.;,]*)/i)?.[1] ?? '';
  const ignoreWords = new Set(words(ignoreClause));
  for (const name of [...names, ...members]) {
    const parts = words(name);
    if (parts.length > 0 && parts.every((part) => ignoreWords.has(part))) steering.ignore.add(name);
    else if (mentions(name)) steering.focus.add(name);
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
