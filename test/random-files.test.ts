import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/duckdb.ts';
import { isAppError } from '../src/errors.ts';
import { readCsv } from '../src/ingest/index.ts';
import { discover, writeStory } from '../src/insights/engine.ts';
import { namesOf, verifyNarrative } from '../src/insights/verify.ts';
import { randomCsv } from './helpers/random-csv.ts';

describe('files of random shape', () => {
  it('are read, analysed and told without an error, every number traced, or refused with a clear message', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'random-files-'));
    for (let seed = 1; seed <= 40; seed++) {
      const { csv, kinds } = randomCsv(seed);
      const file = path.join(directory, `random-${seed}.csv`);
      fs.writeFileSync(file, csv);
      const db = await openDatabase();
      try {
        const reading = await readCsv(db.connection, file, { tableName: 'data' }).catch((error: unknown) => {
          // A file with nothing to read (only empty cells) may be refused, in words a person can act on.
          if (isAppError(error) && error.code === 'unreadable_file') return null;
          throw error;
        });
        if (!reading) continue;
        const found = await discover(db.connection, 'data', reading, { sampleRows: 500_000 });
        expect(found.angles.length, `seed ${seed}: ${kinds.join(', ')}`).toBeGreaterThan(0);
        for (const angle of found.angles) {
          const story = await writeStory(db.connection, 'data', reading, angle, {
            sampleRows: 500_000,
            profile: found.profile,
            queries: found.queries,
          });
          expect(
            verifyNarrative(story.narrative, story.claims, namesOf(found.profile)).untraced,
            `seed ${seed}`,
          ).toEqual([]);
        }
      } finally {
        db.close();
      }
    }
  }, 120_000);
});
