import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { devFile } from './helpers/dev-data.ts';

const run = promisify(execFile);
const cli = path.resolve('bin/datastory.js');

async function datastory(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('datastory analyze, without a server', () => {
  it('prints one JSON document on stdout and keeps progress on stderr', async () => {
    const out = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'datastory-cli-out-'));
    const result = await datastory(['analyze', devFile('sales_data'), '--out', out, '--json']);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document.upload.rowCount).toBe(30853);
    expect(document.stories).toHaveLength(3);
    expect(document.refined).toHaveLength(1);
    const refined = document.refined[0];
    expect(refined.title).toBe(document.stories[0].title);
    for (const chart of refined.charts) {
      expect(fs.readFileSync(chart.path).subarray(1, 4).toString()).toBe('PNG');
      expect(JSON.parse(fs.readFileSync(chart.specPath, 'utf8'))).toHaveProperty('$schema');
    }
    expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toContain(refined.title);
    expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('<h1>');
    expect(result.stderr).toMatch(/found 3 stories/);
  });

  it('refines all three stories with --refine all', async () => {
    const out = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'datastory-cli-out-'));
    const result = await datastory(['analyze', devFile('iowa-electricity'), '--out', out, '--refine', 'all']);
    expect(result.code).toBe(0);
    expect(result.stdout.match(/^Refined: /gm)).toHaveLength(3);
    const report = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
    expect(report.match(/^# /gm)).toHaveLength(3);
    const images = [...report.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => decodeURI(m[1]!));
    for (const image of images) expect(fs.existsSync(path.join(out, image))).toBe(true);
  });

  it('fails with a message and a non-zero code on a file it cannot read', async () => {
    const bad = path.join(os.tmpdir(), `not-a-csv-${process.pid}.csv`);
    fs.writeFileSync(bad, Buffer.from('89504e470d0a1a0a0000', 'hex'));
    const result = await datastory(['analyze', bad, '--out', path.join(os.tmpdir(), 'unused')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PNG/);
    expect((await datastory(['analyze', '/no/such/file.csv'])).code).toBe(2);
    expect(
      (await datastory(['analyze', devFile('penguins'), '--refine', '7', '--out', path.join(os.tmpdir(), 'unused2')]))
        .stderr,
    ).toMatch(/--refine/);
  });
});
