import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = path.resolve('bin/datastory.js');

async function datastory(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], {
      env: { ...process.env, ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('datastory doctor and datastory sandbox exec', () => {
  const temporary: string[] = [];
  const tempDir = (prefix: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    temporary.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('doctor checks every dependency and that the isolation really holds', async () => {
    const dataDir = tempDir('datastory-doctor-test-');
    const result = await datastory(['doctor', '--json'], { DATASTORY_DATA_DIR: dataDir });
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: { name: string; status: string }[] };
    const failed = report.checks.filter((check) => check.status === 'fail');
    expect(failed).toEqual([]);
    expect(result.code).toBe(0);
    const names = report.checks.map((check) => check.name.trim());
    for (const name of [
      'Node.js',
      'DuckDB',
      'chart font',
      'data dir',
      'Python',
      'pandas',
      'bubblewrap',
      'sandbox',
      'cgroups',
    ]) {
      expect(names).toContain(name);
    }
    for (const name of ['network', 'environment', 'host files', 'processes'])
      expect(names).toContain(`isolation: ${name}`);
  });

  it('doctor exits non-zero and names the setting when something required is broken', async () => {
    const result = await datastory(['doctor'], { DATASTORY_DATA_DIR: '/proc/version/not-a-dir' });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ data dir .*DATASTORY_DATA_DIR/);
  });

  it('sandbox exec runs a file in a fresh container with the data files and prints what came back', async () => {
    const dir = tempDir('datastory-sandbox-cli-');
    fs.writeFileSync(path.join(dir, 'sales.csv'), 'month,amount\n1,10\n2,30\n');
    fs.writeFileSync(
      path.join(dir, 'story.py'),
      'import pandas as pd\ndf = pd.read_csv("sales.csv")\nprint(len(df), "rows")\ndf.plot().get_figure().savefig("chart.png")\ndf.amount.sum()\n',
    );
    const out = path.join(dir, 'out');
    const result = await datastory([
      'sandbox',
      'exec',
      path.join(dir, 'story.py'),
      '--data',
      path.join(dir, 'sales.csv'),
      '--out',
      out,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('── stdout ──\n2 rows\n');
    expect(result.stdout).toContain('── result ──\n40\n');
    expect(result.stdout).toContain('/mnt/data/chart.png');
    expect(fs.readFileSync(path.join(out, 'chart.png')).subarray(1, 4).toString()).toBe('PNG');

    fs.writeFileSync(path.join(dir, 'broken.py'), 'undefined_name\n');
    const broken = await datastory(['sandbox', 'exec', path.join(dir, 'broken.py'), '--json']);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout).error).toMatchObject({ name: 'NameError' });
  });
});
