import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type Database, openDatabase } from '../db/duckdb.ts';

/**
 * For ingest tests: one database and one scratch directory per test file, opened before its tests and
 * closed and removed after them.
 */
export function ingestScratch(prefix: string) {
  let database: Database | undefined;
  let directory = '';
  let fileNumber = 0;
  beforeAll(async () => {
    database = await openDatabase();
    directory = mkdtempSync(path.join(tmpdir(), `ingest-${prefix}-`));
  });
  afterAll(() => {
    database?.close();
    rmSync(directory, { recursive: true, force: true });
  });
  return {
    get database(): Database {
      if (!database) throw new Error('ingestScratch: the database opens in beforeAll');
      return database;
    },
    get directory(): string {
      return directory;
    },
    /** Writes `content` to a fresh file (or to `name`) in the scratch directory and returns its path. */
    write(content: string | Buffer, name = `${prefix}-${++fileNumber}.csv`): string {
      const filePath = path.join(directory, name);
      writeFileSync(filePath, content);
      return filePath;
    },
  };
}
