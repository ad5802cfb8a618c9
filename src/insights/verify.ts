import type { Claim } from './types.ts';

/** Numbers as written: 1,234.5 / 58.9 / 2024 / 0.87 — signs and units are read by words, not here. */
const numberPattern = /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?/g;

const numbersIn = (text: string) => [...text.matchAll(numberPattern)].map((match) => match[0].replace(/,/g, ''));

export interface Verification {
  /** Numbers in the text that match no claim (and no name): each one is a defect. */
  untraced: string[];
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
  return { untraced: found.filter((number) => !known.has(number)), numbers: found.length };
}
