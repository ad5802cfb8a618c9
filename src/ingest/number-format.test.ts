import { describe, expect, it } from 'vitest';
import { NumberEvidence, readNumberToken } from './number-format.ts';

describe('readNumberToken', () => {
  it.each([
    ['42', {}],
    ['-3.5', { decimal: '.' }],
    ['23,45', { decimal: ',' }],
    ['1,234', { ambiguous: ',' }],
    ['1.234', { ambiguous: '.' }],
    ['0,125', { decimal: ',' }],
    ['1234,567', { decimal: ',' }],
    ['1,234.50', { decimal: '.', thousands: ',' }],
    ['1.234,56', { decimal: ',', thousands: '.' }],
    ['1 234,56', { decimal: ',', thousands: ' ' }],
    ['1\u00a0234', { thousands: ' ' }],
    ["1'234'567", { thousands: "'" }],
    ['12,345,678', { thousands: ',' }],
    ['$1,234.50', { decimal: '.', thousands: ',', currency: '$' }],
    ['12,50 €', { decimal: ',', currency: '€' }],
    ['EUR 10', { currency: 'EUR' }],
    ['-$5', { currency: '$' }],
    ['45.2%', { decimal: '.', percent: true }],
    ['(123)', { negativeParentheses: true }],
    ['464,13-', { decimal: ',', negativeTrailing: true }],
    ['1.5e-3', { decimal: '.' }],
    ['.5', { decimal: '.' }],
    ['90+', { bound: 'atLeast' }],
    ['>= 1,000', { bound: 'atLeast', ambiguous: ',' }],
    ['<5', { bound: 'atMost' }],
    ['≤ 0.01', { bound: 'atMost', decimal: '.' }],
    ['<1%', { bound: 'atMost', percent: true }],
  ])('reads %j', (text, expected) => {
    expect(readNumberToken(text)).toEqual({ percent: false, negativeParentheses: false, ...expected });
  });

  it.each([
    '',
    '-',
    '.',
    'abc',
    '2024-01-05',
    '12.05.2024',
    '1.2.3',
    '1,2,3',
    '10:30',
    'SO-1001',
    '1e',
    '12 34',
    '(-5)',
    'EURO 5',
    '+',
    '<',
    '5++',
    '<>5',
  ])('rejects %j', (text) => {
    expect(readNumberToken(text)).toBeNull();
  });
});

describe('NumberEvidence.decide', () => {
  const evidence = (...cells: string[]) => {
    const result = new NumberEvidence();
    for (const cell of cells) result.add(readNumberToken(cell)!, 1);
    return result;
  };

  it('reads a lone "1,234" as thousands unless the file writes decimal commas', () => {
    expect(evidence('1,234', '529').decide(null)).toEqual({ decimal: '.', thousands: ',' });
    expect(evidence('1,234', '529').decide('.')).toEqual({ decimal: '.', thousands: ',' });
    expect(evidence('1,234', '529').decide(',')).toEqual({ decimal: ',' });
  });

  it('lets proof in the column win over the file', () => {
    expect(evidence('23,45', '1,234').decide('.')).toEqual({ decimal: ',' });
    expect(evidence('1.234', '1.234.567').decide('.')).toEqual({ decimal: ',', thousands: '.' });
  });

  it('keeps currency, percent and parentheses', () => {
    expect(evidence('$5', '(7)', '10%').decide(null)).toEqual({
      decimal: '.',
      currency: '$',
      percent: true,
      negativeParentheses: true,
    });
  });
});
