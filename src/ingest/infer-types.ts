import { DateEvidence, type DateReading, readDate } from './date-formats.ts';
import { FALSE_TOKENS, isNullMarker, TRUE_TOKENS, WORD_MARKERS } from './null-markers.ts';
import { NumberEvidence, type NumberToken, readNumberToken } from './number-format.ts';
import type { SampleProfile } from './profile-sample.ts';

/** Share of a sample's non-missing cells that must read as one type before the whole column is tried. */
const SAMPLE_SHARE = 0.9;

type CellReading =
  | { kind: 'marker' }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'number'; token: NumberToken }
  | { kind: 'date'; reading: DateReading }
  | { kind: 'text' };

/** How one cell reads, in order of precedence. */
export function readCell(value: string): CellReading {
  if (isNullMarker(value)) return { kind: 'marker' };
  const lower = value.trim().toLowerCase();
  if (TRUE_TOKENS.includes(lower)) return { kind: 'boolean', value: true };
  if (FALSE_TOKENS.includes(lower)) return { kind: 'boolean', value: false };
  const token = readNumberToken(value);
  if (token) return { kind: 'number', token };
  const reading = readDate(value);
  if (reading) return { kind: 'date', reading };
  return { kind: 'text' };
}

/** What a column's cells say about its type. */
export class ColumnEvidence {
  nonEmpty = 0;
  markers = 0;
  /** Markers that are also words (`NA`, `None`): telling when the column is not text. */
  wordMarkers = 0;
  text = 0;
  numbers = 0;
  dates = 0;
  booleans = 0;
  readonly number = new NumberEvidence();
  readonly date = new DateEvidence();
  readonly trueSpellings = new Set<string>();
  readonly falseSpellings = new Set<string>();

  /** Adds one distinct value seen `count` times. */
  addValue(value: string, count: number): CellReading {
    const reading = readCell(value);
    this.nonEmpty += count;
    switch (reading.kind) {
      case 'marker':
        this.markers += count;
        if (WORD_MARKERS.includes(value.trim().toLowerCase())) this.wordMarkers += count;
        break;
      case 'boolean':
        this.booleans += count;
        (reading.value ? this.trueSpellings : this.falseSpellings).add(value.trim());
        break;
      case 'number':
        this.numbers += count;
        this.number.add(reading.token, count);
        break;
      case 'date':
        this.dates += count;
        this.date.add(reading.reading, count, value.trim());
        break;
      case 'text':
        this.text += count;
    }
    return reading;
  }

  /** Cells of a shape that were not among its examples: they read like the examples when those agree. */
  addUnseen(kind: CellReading['kind'] | null, count: number): void {
    this.nonEmpty += count;
    if (kind === 'number') this.numbers += count;
    else if (kind === 'date') this.dates += count;
    else this.text += count;
  }

  get nonMissing(): number {
    return this.nonEmpty - this.markers;
  }
}

export function collectEvidence(profile: SampleProfile): ColumnEvidence {
  const evidence = new ColumnEvidence();
  for (const shape of profile.shapes) {
    const kinds = new Set<CellReading['kind']>();
    let seen = 0;
    for (const example of shape.examples) {
      kinds.add(evidence.addValue(example.value, example.count).kind);
      seen += example.count;
    }
    const [onlyKind] = kinds.size === 1 ? kinds : [null];
    if (shape.count > seen) evidence.addUnseen(onlyKind ?? null, shape.count - seen);
  }
  // Shapes past the profile's limit are too varied to be anything but text.
  const shaped = profile.shapes.reduce((sum, shape) => sum + shape.count, 0);
  if (profile.nonEmpty > shaped) evidence.addUnseen('text', profile.nonEmpty - shaped);
  return evidence;
}

export type TypeCandidate = 'number' | 'date' | 'boolean' | 'text';

/** The type a column's sample supports; the whole column must confirm it (`read-csv.ts`). */
export function chooseCandidate(evidence: ColumnEvidence): TypeCandidate {
  const nonMissing = evidence.nonMissing;
  if (nonMissing <= 0) return 'text';
  if (evidence.booleans === nonMissing && evidence.trueSpellings.size > 0 && evidence.falseSpellings.size > 0) {
    return 'boolean';
  }
  if (evidence.numbers >= SAMPLE_SHARE * nonMissing) return 'number';
  if (evidence.dates >= SAMPLE_SHARE * nonMissing) return 'date';
  return 'text';
}
