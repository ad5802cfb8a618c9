import { monthNames, weekdayNames } from './time.ts';
import type { Claim, DatasetProfile } from './types.ts';

/** Numbers as written: 1,234.5 / 58.9 / 2024 / 0.87 — signs and units are read by words, not here. */
const numberPattern = /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?/g;

const numbersIn = (text: string) => [...text.matchAll(numberPattern)].map((match) => match[0].replace(/,/g, ''));

export interface Verification {
  /** Numbers in the text that match no claim (and no name): each one is a defect. */
  untraced: string[];
  /** Capitalised names inside sentences that are no member, column or claim of the data (an invented "Region X"). */
  unknownNames: string[];
  /** How many numbers the text holds. */
  numbers: number;
}

/**
 * Re-reads every number in a narrative and checks it against the claims it may cite: a number is traced
 * when some claim's text (or a column or member name, e.g. "tickets 90d") writes the same number.
 * Matching is on the written form, so a rounded or invented value never passes.
 */
export function verifyNarrative(text: string, claims: Claim[], names: string[] = []): Verification {
  const known = new Set<string>();
  for (const claim of claims) for (const number of numbersIn(claim.text)) known.add(number);
  for (const name of names) for (const number of numbersIn(name)) known.add(number);
  const found = numbersIn(text);
  return {
    untraced: found.filter((number) => !known.has(number)),
    unknownNames: unknownNames(text, claims, names),
    numbers: found.length,
  };
}

/** Calendar words and the few proper names our own templates use. */
const commonNames = new Set([
  ...monthNames,
  ...monthNames.map((name) => name.slice(0, 3)),
  ...weekdayNames,
  ...weekdayNames.map((name) => `${name}s`),
  ...['Q1', 'Q2', 'Q3', 'Q4'],
  'Simpson',
]);

const wordsOf = (text: string) => text.match(/[\p{L}\p{N}][\p{L}\p{N}'’_-]*/gu) ?? [];

function unknownNames(text: string, claims: Claim[], names: string[]): string[] {
  const known = new Set([...commonNames].map((name) => name.toLowerCase()));
  for (const source of [...names, ...claims.map((claim) => claim.text)])
    for (const word of wordsOf(source)) known.add(word.replace(/['’]s$/, '').toLowerCase());
  const unknown = new Set<string>();
  for (const line of text.split('\n')) {
    const body = line.replace(/^#+\s*/, '');
    for (const sentence of body.split(/(?<=[.!?:;])\s+/)) {
      const words = wordsOf(sentence);
      for (const word of words.slice(1)) {
        const bare = word.replace(/['’]s?$/, '');
        if (/^\p{Lu}/u.test(bare) && !known.has(bare.toLowerCase()) && !/^\p{Lu}+$/u.test(bare)) unknown.add(bare);
      }
    }
  }
  return [...unknown];
}

/**
 * Names a narrative may use that come from the data itself: column names and labels, members, the time
 * span. Numbers inside them ("support tickets 90d") are not inventions.
 */
export function namesOf(profile: DatasetProfile): string[] {
  return [
    ...profile.fields.map((field) => field.name),
    ...profile.measures.map((measure) => measure.label),
    ...profile.dimensions.flatMap((dimension) => dimension.members),
    ...profile.dimensions.flatMap((dimension) => (dimension.respelled ?? []).flatMap((r) => r.spellings)),
    ...(profile.time ? [profile.time.min, profile.time.max, timeStep(profile.time)] : []),
  ];
}

/** "5-year" for a time column whose values come every fifth year: the step is a fact of the data. */
function timeStep(time: NonNullable<DatasetProfile['time']>): string {
  if ((time.granularity !== 'year' && time.granularity !== 'month') || time.distinct < 3) return '';
  const units = (iso: string) =>
    time.granularity === 'year' ? Number(iso.slice(0, 4)) : Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7));
  const step = (units(time.max) - units(time.min)) / (time.distinct - 1);
  return Number.isInteger(step) && step > 1 ? `${step}-${time.granularity}` : '';
}
