import { randomUUID } from 'node:crypto';
import { rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CsvFormat } from './types.ts';
import { transcodeWindows1252 } from './windows-1252.ts';

/** DuckDB expands these in file names (`sales*.csv` would also read `sales_old.csv`). */
const GLOB_CHARACTERS = /[*?[\]{}]/;

export interface SourceFile {
  /** A UTF-8 file DuckDB can read by this exact name. */
  path: string;
  remove: () => Promise<void>;
}

/**
 * The file as DuckDB should read it: a UTF-8 copy of a windows-1252 file, a link with a plain name when
 * the real name contains glob characters, or the file itself.
 */
export async function prepareSource(
  filePath: string,
  format: Pick<CsvFormat, 'encoding' | 'bom'>,
): Promise<SourceFile> {
  if (format.encoding === 'windows-1252') return transcodeWindows1252(filePath, { skipBom: format.bom });
  if (!GLOB_CHARACTERS.test(filePath)) return { path: filePath, remove: async () => undefined };
  const link = path.join(tmpdir(), `datastory-ingest-${randomUUID()}.csv`);
  await symlink(path.resolve(filePath), link);
  return { path: link, remove: () => rm(link, { force: true }) };
}
