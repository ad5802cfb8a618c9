import { type FontFace, readChartFont } from './fonts.ts';

/**
 * Text widths from the real DejaVu advance widths (TrueType `cmap` + `hmtx`).
 *
 * Why: without a canvas, vega estimates every character as 0.8 em wide, about 40% more than DejaVu
 * really is. Layout then reserves far too much room for labels and titles. Measuring the font resvg
 * draws with keeps layout, label fitting and title wrapping honest. Kerning is ignored (a few pixels).
 */
export interface GlyphAdvances {
  /** Advance of one code point in em (1 = the font size). */
  advanceEm(codePoint: number): number;
}

/** When the font file is missing we still need a width; DejaVu's average letter is about 0.6 em. */
const FALLBACK_ADVANCE_EM = 0.6;

const advancesCache = new Map<FontFace, GlyphAdvances>();

export function glyphAdvances(face: FontFace): GlyphAdvances {
  let advances = advancesCache.get(face);
  if (!advances) {
    const font = readChartFont(face);
    advances = font ? parseTrueTypeAdvances(font) : { advanceEm: () => FALLBACK_ADVANCE_EM };
    advancesCache.set(face, advances);
  }
  return advances;
}

/** Width in px of `text` at `fontSizePx`, bold or regular. */
export function measureTextWidth(text: string, fontSizePx: number, bold = false): number {
  const advances = glyphAdvances(bold ? 'bold' : 'regular');
  let em = 0;
  for (const character of text) em += advances.advanceEm(character.codePointAt(0) ?? 0);
  return em * fontSizePx;
}

export function isBoldWeight(fontWeight: unknown): boolean {
  if (typeof fontWeight === 'number') return fontWeight >= 600;
  return (
    fontWeight === 'bold' || fontWeight === 'bolder' || (typeof fontWeight === 'string' && Number(fontWeight) >= 600)
  );
}

export function parseTrueTypeAdvances(font: Buffer): GlyphAdvances {
  const tables = readTableDirectory(font);
  const head = requireTable(tables, 'head');
  const hhea = requireTable(tables, 'hhea');
  const hmtx = requireTable(tables, 'hmtx');
  const unitsPerEm = font.readUInt16BE(head + 18);
  const horizontalMetricCount = font.readUInt16BE(hhea + 34);
  const glyphOf = readCharacterMap(font, requireTable(tables, 'cmap'));
  const advanceOfGlyph = (glyph: number): number => {
    // Glyphs past the last long metric share its advance (monospaced tail of the table).
    const index = Math.min(glyph, horizontalMetricCount - 1);
    return font.readUInt16BE(hmtx + index * 4);
  };
  const cache = new Map<number, number>();
  return {
    advanceEm(codePoint) {
      let advance = cache.get(codePoint);
      if (advance === undefined) {
        advance = advanceOfGlyph(glyphOf(codePoint)) / unitsPerEm;
        cache.set(codePoint, advance);
      }
      return advance;
    },
  };
}

function readTableDirectory(font: Buffer): Map<string, number> {
  const tables = new Map<string, number>();
  const tableCount = font.readUInt16BE(4);
  for (let index = 0; index < tableCount; index++) {
    const record = 12 + index * 16;
    tables.set(font.toString('latin1', record, record + 4), font.readUInt32BE(record + 8));
  }
  return tables;
}

function requireTable(tables: Map<string, number>, tag: string): number {
  const offset = tables.get(tag);
  if (offset === undefined) throw new Error(`font has no '${tag}' table`);
  return offset;
}

/** A code point → glyph id lookup from the best Unicode subtable: format 12 (full Unicode) or format 4 (BMP). */
function readCharacterMap(font: Buffer, cmap: number): (codePoint: number) => number {
  const subtableCount = font.readUInt16BE(cmap + 2);
  let format4: number | undefined;
  for (let index = 0; index < subtableCount; index++) {
    const record = cmap + 4 + index * 8;
    const platform = font.readUInt16BE(record);
    const subtable = cmap + font.readUInt32BE(record + 4);
    const format = font.readUInt16BE(subtable);
    if (format === 12 && (platform === 0 || platform === 3)) return format12Lookup(font, subtable);
    if (format === 4 && (platform === 0 || platform === 3)) format4 ??= subtable;
  }
  if (format4 === undefined) return () => 0;
  return format4Lookup(font, format4);
}

function format12Lookup(font: Buffer, subtable: number): (codePoint: number) => number {
  const groupCount = font.readUInt32BE(subtable + 12);
  return (codePoint) => {
    let low = 0;
    let high = groupCount - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const group = subtable + 16 + middle * 12;
      if (codePoint < font.readUInt32BE(group)) high = middle - 1;
      else if (codePoint > font.readUInt32BE(group + 4)) low = middle + 1;
      else return font.readUInt32BE(group + 8) + codePoint - font.readUInt32BE(group);
    }
    return 0;
  };
}

function format4Lookup(font: Buffer, subtable: number): (codePoint: number) => number {
  const segmentCount = font.readUInt16BE(subtable + 6) / 2;
  const endCodes = subtable + 14;
  const startCodes = endCodes + segmentCount * 2 + 2;
  const deltas = startCodes + segmentCount * 2;
  const rangeOffsets = deltas + segmentCount * 2;
  return (codePoint) => {
    if (codePoint > 0xffff) return 0;
    for (let segment = 0; segment < segmentCount; segment++) {
      if (codePoint > font.readUInt16BE(endCodes + segment * 2)) continue;
      const start = font.readUInt16BE(startCodes + segment * 2);
      if (codePoint < start) return 0;
      const delta = font.readUInt16BE(deltas + segment * 2);
      const rangeOffsetAt = rangeOffsets + segment * 2;
      const rangeOffset = font.readUInt16BE(rangeOffsetAt);
      if (rangeOffset === 0) return (codePoint + delta) & 0xffff;
      const glyph = font.readUInt16BE(rangeOffsetAt + rangeOffset + (codePoint - start) * 2);
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}
