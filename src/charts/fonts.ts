import { existsSync, readFileSync } from 'node:fs';

/** The one font family every chart uses: resvg is given exactly these files, so output does not depend on the host. */
export const CHART_FONT_FAMILY = 'DejaVu Sans';

const DEJAVU_DIR = '/usr/share/fonts/truetype/dejavu';

/** Paths of the regular and bold faces (Debian package `fonts-dejavu-core`). */
export const CHART_FONT_FILES = {
  regular: `${DEJAVU_DIR}/DejaVuSans.ttf`,
  bold: `${DEJAVU_DIR}/DejaVuSans-Bold.ttf`,
} as const;

export type FontFace = keyof typeof CHART_FONT_FILES;

/**
 * The font files for rendering, checked to exist. Without them resvg would draw every label as nothing
 * and say nothing, so a missing file is an error rather than a blank chart.
 */
export function requireChartFontFiles(files: string[] = [CHART_FONT_FILES.regular, CHART_FONT_FILES.bold]): string[] {
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `Chart font files not found: ${missing.join(', ')}. Install the DejaVu fonts (Debian/Ubuntu: apt-get install fonts-dejavu-core) so chart text can be drawn.`,
    );
  }
  return files;
}

const fontBufferCache = new Map<FontFace, Buffer | null>();

/** The bytes of one face, read once; `null` when the file is missing (callers then estimate). */
export function readChartFont(face: FontFace): Buffer | null {
  if (!fontBufferCache.has(face)) {
    const file = CHART_FONT_FILES[face];
    fontBufferCache.set(face, existsSync(file) ? readFileSync(file) : null);
  }
  return fontBufferCache.get(face) ?? null;
}
