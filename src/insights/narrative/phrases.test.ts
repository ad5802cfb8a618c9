import { describe, expect, it } from 'vitest';
import type { Fact } from '../types.ts';
import { describeFact } from './facts.ts';
import type { Vocabulary } from './phrases.ts';
import { agree, isPluralLabel, pluralize, stepAdjective, stepNoun } from './phrases.ts';

describe('phrases', () => {
  it('agrees verbs with measure labels that name many things', () => {
    expect(['sessions', 'units', 'sales', 'Social sessions', 'orders'].map(isPluralLabel)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['revenue', 'body mass', 'churn rate', 'species', 'co2 ppm', 'status'].map(isPluralLabel)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    // Acronyms and a yes/no group are one thing each; "KPIs" is not an acronym alone.
    expect(['NPS', 'GPS', 'over time = Yes', 'KPIs'].map(isPluralLabel)).toEqual([false, false, false, true]);
    // A participle after the noun leaves the noun in charge.
    expect(
      ['calls offered', 'units sold', 'hours worked', 'revenue generated', 'wind speed'].map(isPluralLabel),
    ).toEqual([true, true, true, false, false]);
    expect(`sessions ${agree('sessions', 'was', 'were')}, revenue ${agree('revenue', 'was', 'were')}`).toBe(
      'sessions were, revenue was',
    );
  });

  it('makes plural nouns of dimension names', () => {
    expect(['region', 'status', 'class', 'box', 'category', 'species', 'sales'].map(pluralize)).toEqual([
      'regions',
      'statuses',
      'classes',
      'boxes',
      'categories',
      'species',
      'sales',
    ]);
  });

  it('names the step of a series published every fifth year', () => {
    const every5 = [1955, 1960, 1965].map((year) => ({ t: `${year}-01-01T00:00:00` }));
    const yearly = [2001, 2002, 2003].map((year) => ({ t: `${year}-01-01T00:00:00` }));
    expect(stepNoun(every5, 'year')).toBe('5-year');
    expect(stepAdjective(every5, 'year', 'on')).toBe('5-year');
    expect(stepNoun(yearly, 'year')).toBe('year');
    expect(stepAdjective(yearly, 'year', 'to')).toBe('year-to-year');
    expect(stepNoun([{ t: '2024-01-01' }, { t: '2024-04-01' }, { t: '2024-07-01' }], 'month')).toBe('3-month');
    // Censuses every ten years with 1890 missing: the steps are neither years nor all ten years long.
    const censuses = [1870, 1880, 1900, 1910].map((year) => ({ t: `${year}-01-01T00:00:00` }));
    expect(stepNoun(censuses, 'year')).toBe('');
    expect(stepAdjective(censuses, 'year', 'to')).toBe('successive');
  });
});

describe('agreement with a label whose head noun comes first', () => {
  it('reads "perceptions of corruption" and "tickets in the last 90 days" as plural, a ratio per unit as one', () => {
    expect(isPluralLabel('perceptions of corruption')).toBe(true);
    expect(isPluralLabel('tickets in the last 90 days')).toBe(true);
    expect(isPluralLabel('rate of return')).toBe(false);
    expect(isPluralLabel('iOS')).toBe(false);
    expect(isPluralLabel('rows')).toBe(true);
    expect(isPluralLabel('orders per session')).toBe(false);
    expect(pluralize('genus')).toBe('genera');
  });
});

describe('wording from the s26 blind round', () => {
  it('puts the head noun in the plural, and lets an average be its value', () => {
    expect(pluralize('country of residence')).toBe('countries of residence');
    expect(pluralize('city')).toBe('cities');
    expect(agree('average visit min', 'averages', 'average')).toBe('is');
    expect(agree('visit length', 'averages', 'average')).toBe('averages');
  });
});

describe('a paired difference of a plural quantity', () => {
  it('agrees with its noun: home goals run higher, home score runs higher', () => {
    const fact = (stem: string) =>
      ({
        type: 'paired_difference',
        claims: Object.fromEntries(
          Object.entries({
            highSide: 'home',
            lowSide: 'away',
            highValue: '1.6',
            lowValue: '1.1',
            difference: '0.5',
            rows: '380',
            aheadShare: '48%',
            behindShare: '30%',
          }).map(([name, text]) => [name, { value: text, text, kind: 'number', source: `f#${name}` }]),
        ),
        data: { stem },
      }) as unknown as Fact;
    const words = {} as Vocabulary;
    expect(describeFact(fact('goals'), words).title).toBe('Home goals run higher than away goals: 1.6 vs 1.1');
    expect(describeFact(fact('score'), words).title).toBe('Home score runs higher than away score: 1.6 vs 1.1');
  });
});
