/**
 * Cell texts that mean "no value" (compared in lower case). The empty cell is always missing; `..` is the
 * World Bank's "not available" and `:` Eurostat's.
 */
export const NULL_MARKERS = [
  'na',
  'n/a',
  'n.a.',
  '#n/a',
  '#na',
  'null',
  'none',
  'nil',
  'nan',
  '-',
  '--',
  '.',
  '..',
  ':',
  '?',
];

/**
 * Markers that are also real words in text columns: `NA` is North America or Namibia, `None` an answer.
 * In a text column they count as missing only when the file also uses them as placeholders in columns of
 * another type (an R export writes `NA` everywhere).
 */
export const WORD_MARKERS = ['na', 'none', 'nil'];

export const STRONG_MARKERS = NULL_MARKERS.filter((marker) => !WORD_MARKERS.includes(marker));

export function isNullMarker(value: string): boolean {
  return NULL_MARKERS.includes(value.trim().toLowerCase());
}

// With the yes and no of German, French, Spanish, Italian and Portuguese exports (ja/nein, oui/non, sí/no).
export const TRUE_TOKENS = ['true', 't', 'yes', 'y', 'ja', 'oui', 'si', 'sí', 'sim'];
export const FALSE_TOKENS = ['false', 'f', 'no', 'n', 'nein', 'non', 'não', 'nao'];
