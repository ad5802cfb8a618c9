/**
 * `npm run eval`: runs the builtin analyst on every dev dataset (all three stories refined), scores the
 * narratives with the truth files and prints recall per dataset and pooled.
 *   npm run eval -- [--data DIR] [--json] [--show]
 */
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

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const shared = path.resolve('../shared/data');
const dataDir = option('--data') ?? (fs.existsSync(shared) ? shared : devDataDir());
const scorer = (await import(path.join(dataDir, 'score.mjs'))) as {
  score: (truth: unknown, text: string) => TruthResult[];
};
const truths = fs
  .readdirSync(dataDir)
  .filter((name) => name.endsWith('.truth.json'))
  .sort();

const rows: { dataset: string; primary: string; all: string; untraced: number; ms: number; stories: string[] }[] = [];
let primaryFound = 0;
let primaryTotal = 0;
let allFound = 0;
let allTotal = 0;
for (const truthFile of truths) {
  const truth = JSON.parse(fs.readFileSync(path.join(dataDir, truthFile), 'utf8'));
  const csv = path.join(dataDir, truth.dataset);
  if (!fs.existsSync(csv)) continue;
  const db = await openDatabase();
  const started = performance.now();
  const reading = await readCsv(db.connection, csv, { tableName: 'data' });
  const found = await discover(db.connection, 'data', reading, { sampleRows: 500_000 });
  let text = '';
  let untraced = 0;
  const names = namesOf(found.profile);
  for (const angle of found.angles) {
    const story = await writeStory(db.connection, 'data', reading, angle, {
      sampleRows: 500_000,
      profile: found.profile,
    });
    untraced += verifyNarrative(story.narrative, story.claims, names).untraced.length;
    text += `${story.narrative}\n`;
  }
  const ms = performance.now() - started;
  db.close();
  const results = scorer.score(truth, text);
  const primary = results.filter((r) => r.importance === 1);
  primaryFound += primary.filter((r) => r.found).length;
  primaryTotal += primary.length;
  allFound += results.filter((r) => r.found).length;
  allTotal += results.length;
  rows.push({
    dataset: truth.dataset,
    primary: `${primary.filter((r) => r.found).length}/${primary.length}`,
    all: `${results.filter((r) => r.found).length}/${results.length}`,
    untraced,
    ms: Math.round(ms),
    stories: found.angles.map((a) => `${a.strength}: ${a.lead.id}`),
  });
  if (args.includes('--show')) {
    console.log(text);
    for (const r of results) console.log(`${r.found ? 'FOUND  ' : 'missing'} [${r.importance}] ${r.id}`);
  }
}

// False-angle rate: on files of pure noise, every non-weak angle is a pattern we invented.
const noiseDir = fs.mkdtempSync(path.join(dataDir === shared ? path.resolve('test-results') : dataDir, 'noise-'));
let noiseAngles = 0;
let falseAngles = 0;
for (const shape of ['orders', 'customers', 'sensors'] as NoiseShape[]) {
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

const pooled = {
  importance1: `${primaryFound}/${primaryTotal}`,
  recall1: primaryFound / Math.max(1, primaryTotal),
  all: `${allFound}/${allTotal}`,
  recallAll: allFound / Math.max(1, allTotal),
};
if (args.includes('--json')) {
  console.log(JSON.stringify({ dataDir, rows, pooled, noise: { angles: noiseAngles, falseAngles } }, null, 2));
} else {
  console.log(`data: ${dataDir}\n`);
  console.log('| dataset | importance-1 found | all facts found | untraced numbers | time |');
  console.log('|---|---|---|---|---|');
  for (const row of rows)
    console.log(`| ${row.dataset} | ${row.primary} | ${row.all} | ${row.untraced} | ${(row.ms / 1000).toFixed(1)} s |`);
  console.log(
    `| **pooled** | **${pooled.importance1} (${(pooled.recall1 * 100).toFixed(0)}%)** | **${pooled.all} (${(pooled.recallAll * 100).toFixed(0)}%)** | | |`,
  );
  const rate = ((falseAngles / Math.max(1, noiseAngles)) * 100).toFixed(1);
  console.log(
    `\nNoise (3 shapes × 5 seeds): ${falseAngles} of ${noiseAngles} angles claim a pattern (false-angle rate ${rate}%).`,
  );
}
