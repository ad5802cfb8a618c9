import type { BoundedCells } from './column-census.ts';
import { hasTimeOfDay } from './date-formats.ts';
import type { ColumnEvidence, TypeCandidate } from './infer-types.ts';
import { NULL_MARKERS, STRONG_MARKERS } from './null-markers.ts';
import type { DecimalMark } from './number-format.ts';
import type { SentinelFinding } from './sentinels.ts';
import type { ColumnParse } from './types.ts';

/** One column after typing: how it was parsed and what that left out. */
export interface TypedColumn {
  index: number;
  name: string;
  parse: ColumnParse;
  /** Non-missing cells that did not parse (now NULL). */
  invalidCount: number;
  /** The first cell that did not parse, as written. */
  invalidExample: string | null;
  /** Cells that were empty (after trimming). */
  emptyCount: number;
  /** Cells that were a null marker. */
  markerCount: number;
  sentinels: SentinelFinding[];
  /** Slash dates that read either way and no cell proved which: the reading is a guess. */
  ambiguousDates: { dayFirst: boolean; byOrder: boolean; example: string | null } | null;
  /** Cells written as a bound (`90+`, `<5`) and read as it; absent when none. */
  bounded?: BoundedCells;
}

/** A column while its type is being decided. */
export interface ColumnState extends TypedColumn {
  evidence: ColumnEvidence;
  candidate: TypeCandidate;
  /** Non-NULL raw cells. */
  rawCount: number;
  /** Cells that are neither empty nor a null marker, and those that parsed. */
  nonMissing: number;
  parsedCount: number;
  /** `NA`/`None` count as missing in this column (always unless text; see `null-markers.ts`). */
  wordMarkersMissing: boolean;
}

/** The decimal mark most numeric-looking columns prove, used to settle cells like `1,234`. */
export function provenFileDecimal(evidences: ColumnEvidence[], candidates: TypeCandidate[]): DecimalMark | null {
  const votes = { '.': 0, ',': 0 };
  evidences.forEach((evidence, position) => {
    if (candidates[position] !== 'number') return;
    const decimal = evidence.number.provenDecimal();
    if (decimal) votes[decimal]++;
  });
  if (votes['.'] === 0 && votes[','] === 0) return null;
  return votes[','] > votes['.'] ? ',' : '.';
}

/** Lower-case markers read as missing in the column. */
export function appliedMarkers(state: ColumnState): string[] {
  return state.wordMarkersMissing ? NULL_MARKERS : STRONG_MARKERS;
}

/** Turns the column's evidence and candidate type into its parse plan (keeping the markers found so far). */
export function planColumn(state: ColumnState, fileDecimal: DecimalMark | null): void {
  const { evidence } = state;
  const nullMarkers = state.parse.nullMarkers;
  state.ambiguousDates = null;
  switch (state.candidate) {
    case 'number':
      state.parse = { type: 'number', nullMarkers, ...evidence.number.decide(fileDecimal) };
      break;
    case 'date': {
      const { formats, dayFirst, ambiguous } = evidence.date.decide();
      state.parse = { type: formats.some(hasTimeOfDay) ? 'datetime' : 'date', nullMarkers, dateFormats: formats };
      if (ambiguous) {
        state.ambiguousDates = {
          dayFirst,
          byOrder: evidence.date.monthFirstKeepsOrder,
          example: evidence.date.ambiguousExample,
        };
      }
      break;
    }
    case 'boolean':
      state.parse = {
        type: 'boolean',
        nullMarkers,
        trueValues: [...evidence.trueSpellings].sort(),
        falseValues: [...evidence.falseSpellings].sort(),
      };
      break;
    case 'text':
      state.parse = { type: 'text', nullMarkers };
  }
}
