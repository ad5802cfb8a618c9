import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/dev-data');
const generated = path.resolve(fixtures, '../../../test-results/dev-data');

export const devDatasets = [
  'sales_data',
  'saas_churn',
  'web_analytics',
  'sensor_readings',
  'co2-concentration',
  'gapminder',
  'penguins',
  'iowa-electricity',
] as const;

const synthetic = ['sales_data', 'saas_churn', 'web_analytics', 'sensor_readings'] as const;

/**
 * A directory with all eight dev CSVs and their truth files: the real ones are committed, the synthetic
 * ones are regenerated (deterministically) on first use.
 */
export function devDataDir(): string {
  fs.mkdirSync(generated, { recursive: true });
  for (const name of fs.readdirSync(fixtures)) {
    if (name.endsWith('.csv') || name.endsWith('.json') || name.endsWith('.mjs')) {
      const target = path.join(generated, name);
      if (!fs.existsSync(target)) fs.copyFileSync(path.join(fixtures, name), target);
    }
  }
  const missing = synthetic.filter((name) => !fs.existsSync(path.join(generated, `${name}.csv`)));
  if (missing.length > 0) {
    execFileSync(
      process.execPath,
      [path.join(fixtures, 'generate.mjs'), '--out', generated, ...missing.flatMap((name) => ['--only', name])],
      {
        stdio: 'ignore',
      },
    );
  }
  return generated;
}

export const devFile = (name: string) => path.join(devDataDir(), `${name}.csv`);

/**
 * A synthetic dev scenario made from another seed (the generator's seed + `offset`), with its truth file
 * and the scorer beside it: the planted facts must not depend on one draw of the noise.
 */
export function seededDevFile(name: (typeof synthetic)[number], offset: number): string {
  const dir = path.join(generated, `seed-${offset}`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.csv`);
  if (!fs.existsSync(file))
    execFileSync(
      process.execPath,
      [path.join(fixtures, 'generate.mjs'), '--out', dir, '--only', name, '--seed-offset', String(offset)],
      { stdio: 'ignore' },
    );
  return file;
}

/**
 * A file of the generator's `--large` kinds (sales, events, sensor) with `rows` rows, and its truth file
 * next to it; made once per size and kind.
 */
export function generatedFile(kind: 'sales' | 'events' | 'sensor', rows: number): string {
  fs.mkdirSync(generated, { recursive: true });
  const file = path.join(generated, `${kind}-${rows}.csv`);
  if (!fs.existsSync(file))
    execFileSync(
      process.execPath,
      [path.join(fixtures, 'generate.mjs'), '--large', String(rows), file, '--kind', kind],
      { stdio: 'ignore' },
    );
  return file;
}
