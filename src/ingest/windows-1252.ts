import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Code points of bytes 0x80–0x9F in windows-1252 (where latin-1 has control characters). */
const C1_TO_WINDOWS_1252 = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
const C1_PATTERN = /[\u0080-\u009f]/g;

/** Decodes windows-1252 bytes (a superset of latin-1 for printable text: `€`, curly quotes, `Š`…). */
export function decodeWindows1252(bytes: Buffer): string {
  return bytes
    .toString('latin1')
    .replace(C1_PATTERN, (char) => String.fromCharCode(C1_TO_WINDOWS_1252[char.charCodeAt(0) - 0x80]!));
}

/**
 * Writes a UTF-8 copy of a windows-1252 file to the temp directory and returns its path and a cleanup.
 * DuckDB's built-in `encoding='latin-1'` rejects bytes 0x80–0x9F (`€`, `“`), which windows-1252 files use.
 */
export async function transcodeWindows1252(
  filePath: string,
  options: { skipBom?: boolean } = {},
): Promise<{ path: string; remove: () => Promise<void> }> {
  const target = path.join(tmpdir(), `datastory-ingest-${randomUUID()}.csv`);
  const remove = () => rm(target, { force: true });
  const decode = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      // Single-byte encoding: chunk boundaries never split a character.
      callback(null, Buffer.from(decodeWindows1252(chunk), 'utf8'));
    },
  });
  try {
    // A UTF-8 byte order mark in a file that is not UTF-8 after all would decode to "ï»¿".
    await pipeline(createReadStream(filePath, { start: options.skipBom ? 3 : 0 }), decode, createWriteStream(target));
  } catch (error) {
    await remove();
    throw error;
  }
  return { path: target, remove };
}
