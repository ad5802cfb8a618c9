import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/duckdb.ts';
import { readCsv } from '../../src/ingest/index.ts';
import { discover, writeStory } from '../../src/insights/engine.ts';
import { namesOf } from '../../src/insights/verify.ts';
import { devFile } from './dev-data.ts';

/** `reuseQueries`: stories reuse the discovery's aggregates, as the builtin analyst does. */
export async function analyse(name: string, file = devFile(name), reuseQueries = true, sampleRows = 500_000) {
  const db = await openDatabase();
  try {
    const reading = await readCsv(db.connection, file, { tableName: 'data' });
    const found = await discover(db.connection, 'data', reading, { sampleRows });
    const stories = [];
    for (const angle of found.angles) {
      stories.push(
        await writeStory(db.connection, 'data', reading, angle, {
          sampleRows,
          profile: found.profile,
          ...(reuseQueries ? { queries: found.queries } : {}),
        }),
      );
    }
    const names = namesOf(found.profile);
    return { reading, found, stories, names };
  } finally {
    db.close();
  }
}

/** Writes `lines` as a CSV in a fresh directory and analyses it like `analyse`. */
export async function analyseLines(name: string, lines: string[]) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`)), `${name}.csv`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return analyse(name, file);
}
