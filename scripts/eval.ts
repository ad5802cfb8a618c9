/**
 * `npm run eval`: runs the builtin analyst on every dev dataset (all three stories refined), scores the
 * narratives with the truth files and prints recall per dataset and pooled; then the same on files made by
 * the data generator (`generate.mjs --large`, kinds sales, events and sensor), and the false-angle rate on
 * pure noise.
 *   npm run eval -- [--data DIR] [--json] [--show] [--generated-rows N]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../src/db/duckdb.ts';
import { readCsv } from '../src/ingest/index.ts';
import { discover, writeStory } from '../src/insights/engine.ts';
import { namesOf, verifyNarrative } from '../src/insights/verify.ts';
import { devDataDir } from '../test/helpers/dev-data.ts';
import { type NoiseShape, noiseCsv } from '../test/helpers/noise.ts';

interface TruthResult {
  id: string;
  importance: number;
  found: boolean;
}

interface Row {
  dataset: string;
  primary: [number, number];
  all: [number, number];
  untraced: number;
  ms: number;
  stories: string[];
}

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const shared = path.resolve('../shared/data');
const dataDir = option('--data') ?? (fs.existsSync(shared) ? shared : devDataDir());
const generatedRows = Number(option('--generated-rows') ?? 20_000);
const scorer = (await import(path.join(dataDir, 'score.mjs'))) as {
  score: (truth: unknown, text: string) => TruthResult[];
};

/** Reads, discovers and writes all three stories of one file, then scores the text against its truth. */
async function evaluate(csv: string, truth: { dataset: string }): Promise<Row> {
  const db = await openDatabase();
  const started = performance.now();
  try {
    const reading = await readCsv(db.connection, csv, { tableName: 'data' });
    const found = await discover(db.connection, 'data', reading, { sampleRows: 500_000 });
    let text = '';
    let untraced = 0;
    const names = namesOf(found.profile);
    for (const angle of found.angles) {
      const story = await writeStory(db.connection, 'data', reading, angle, {
        sampleRows: 500_000,
        profile: found.profile,
        queries: found.queries,
      });
      untraced += verifyNarrative(story.narrative, story.claims, names).untraced.length;
      text += `${story.narrative}\n`;
    }
    const results = scorer.score(truth, text);
    if (args.includes('--show')) {
      console.log(text);
      for (const r of results) console.log(`${r.found ? 'FOUND  ' : 'missing'} [${r.importance}] ${r.id}`);
    }
    const primary = results.filter((r) => r.importance === 1);
    return {
      dataset: truth.dataset,
      primary: [primary.filter((r) => r.found).length, primary.length],
      all: [results.filter((r) => r.found).length, results.length],
      untraced,
      ms: Math.round(performance.now() - started),
      stories: found.angles.map((a) => `${a.strength}: ${a.lead.id}`),
    };
  } finally {
    db.close();
  }
}

const dev: Row[] = [];
for (const truthFile of fs
  .readdirSync(dataDir)
  .filter((name) => name.endsWith('.truth.json'))
  .sort()) {
  const truth = JSON.parse(fs.readFileSync(path.join(dataDir, truthFile), 'utf8'));
  const csv = path.join(dataDir, truth.dataset);
  if (fs.existsSync(csv)) dev.push(await evaluate(csv, truth));
}

// Generated files of the kinds the held-out set also has: their planted facts come with a truth file.
const generatedDir = path.resolve('test-results/eval-generated');
fs.mkdirSync(generatedDir, { recursive: true });
const generator = path.resolve('test/fixtures/dev-data/generate.mjs');
const generated: Row[] = [];
for (const kind of ['sales', 'events', 'sensor']) {
  const csv = path.join(generatedDir, `${kind}-${generatedRows}.csv`);
  if (!fs.existsSync(csv))
    execFileSync(process.execPath, [generator, '--large', String(generatedRows), csv, '--kind', kind], {
      stdio: 'ignore',
    });
  const truth = JSON.parse(fs.readFileSync(csv.replace(/\.csv$/, '.truth.json'), 'utf8'));
  generated.push(await evaluate(csv, { ...truth, dataset: path.basename(csv) }));
}

// False-angle rate: on files of pure noise, every non-weak angle is a pattern we invented.
const noiseDir = fs.mkdtempSync(path.join(path.resolve('test-results'), 'noise-'));
let noiseAngles = 0;
let falseAngles = 0;
for (const shape of ['orders', 'customers', 'sensors', 'monthly'] as NoiseShape[]) {
  for (const seed of [1, 2, 3, 4, 5]) {
    const file = path.join(noiseDir, `${shape}-${seed}.csv`);
    fs.writeFileSync(file, noiseCsv(shape, seed));
    const db = await openDatabase();
    const reading = await readCsv(db.connection, file, { tableName: 'data' });
    const found = await discover(db.connection, 'data', reading, { sampleRows: 500_000 });
    db.close();
    noiseAngles += found.angles.length;
    falseAngles += found.angles.filter((a) => a.strength !== 'weak').length;
  }
}
fs.rmSync(noiseDir, { recursive: true, force: true });

const pool = (rows: Row[]) => {
  const sum = (pick: (row: Row) => [number, number]) =>
    rows.reduce(([f, t], row) => [f + pick(row)[0], t + pick(row)[1]] as [number, number], [0, 0] as [number, number]);
  const primary = sum((row) => row.primary);
  const all = sum((row) => row.all);
  return { primary, all, recall1: primary[0] / Math.max(1, primary[1]), recallAll: all[0] / Math.max(1, all[1]) };
};

if (args.includes('--json')) {
  console.log(
    JSON.stringify(
      {
        dataDir,
        dev: { rows: dev, pooled: pool(dev) },
        generated: { rows: generated, pooled: pool(generated) },
        noise: { angles: noiseAngles, falseAngles },
      },
      null,
      2,
    ),
  );
} else {
  const fraction = ([found, total]: [number, number]) => `${found}/${total}`;
  const table = (title: string, rows: Row[]) => {
    const pooled = pool(rows);
    console.log(`${title}\n`);
    console.log('| dataset | importance-1 found | all facts found | untraced numbers | time |');
    console.log('|---|---|---|---|---|');
    for (const row of rows)
      console.log(
        `| ${row.dataset} | ${fraction(row.primary)} | ${fraction(row.all)} | ${row.untraced} | ${(row.ms / 1000).toFixed(1)} s |`,
      );
    console.log(
      `| **pooled** | **${fraction(pooled.primary)} (${(pooled.recall1 * 100).toFixed(0)}%)** | **${fraction(pooled.all)} (${(pooled.recallAll * 100).toFixed(0)}%)** | | |\n`,
    );
  };
  table(`Dev data: ${dataDir}`, dev);
  table(`Generated (generate.mjs --large ${generatedRows}): ${generatedDir}`, generated);
  const rate = ((falseAngles / Math.max(1, noiseAngles)) * 100).toFixed(1);
  console.log(
    `Noise (4 shapes × 5 seeds): ${falseAngles} of ${noiseAngles} angles claim a pattern (false-angle rate ${rate}%).`,
  );
}
