import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import { processesOfUid, waitForProcesses } from '../../sandbox/host-processes.ts';
import { Sandbox, type SandboxStatus } from '../../sandbox/sandbox.ts';
import { ContainerExpired, ContainerNotFound, SandboxUnavailable } from '../errors.ts';
import { startTestContainers, type TestContainers } from './testing.ts';

const MINUTE = 60_000;

describe('local containers: a persistent Python kernel per container', () => {
  let t: TestContainers;
  beforeAll(async () => {
    t = startTestContainers();
    const status = await t.service.sandboxStatus();
    expect(status.problems).toEqual([]);
  });
  afterAll(() => t.close());

  it('keeps variables between calls and returns the last expression, like notebook cells', async () => {
    const { id } = await t.service.create({ name: 'state' });
    const first = await t.service.exec(
      id,
      'import sys\nimport pandas as pd\ndf = pd.DataFrame({"x": [1, 2, 3]})\nprint("hello")\nprint("careful", file=sys.stderr)\ndf.x.sum()',
    );
    expect(first).toMatchObject({ stdout: 'hello\n', stderr: 'careful\n', result: '6', error: null, restarted: false });
    const second = await t.service.exec(id, 'df["y"] = df.x * 10\ndf.y.tolist()');
    expect(second.result).toBe('[10, 20, 30]');
    expect((await t.service.exec(id, 'z = 1')).result).toBeNull();
  });

  it('returns exceptions as data, with only the user code in the traceback', async () => {
    const { id } = await t.service.create({ name: 'errors' });
    const failed = await t.service.exec(id, 'def f():\n    return 1 / 0\nf()');
    expect(failed.error).toMatchObject({ name: 'ZeroDivisionError', value: 'division by zero' });
    expect(failed.error?.traceback).toContain('File "<cell>", line 2, in f');
    expect(failed.error?.traceback).not.toContain('kernel.py');
    const syntax = await t.service.exec(id, 'def broken(:');
    expect(syntax.error?.name).toBe('SyntaxError');
    expect(syntax.error?.traceback).not.toContain('kernel.py');
    expect((await t.service.exec(id, 'exit(3)')).error?.name).toBe('SystemExit');
    expect((await t.service.exec(id, '"still here"')).result).toBe("'still here'");
  });

  it('returns the files each call created or changed, matplotlib PNGs included', async () => {
    const { id } = await t.service.create({ name: 'files' });
    const upload = await t.service.uploadFile(id, 'sales.csv', Buffer.from('month,amount\n1,10\n2,30\n3,20\n'));
    expect(upload).toMatchObject({ path: '/mnt/data/sales.csv', bytes: 28, source: 'user' });
    const run = await t.service.exec(
      id,
      [
        'import pandas as pd, matplotlib.pyplot as plt',
        'df = pd.read_csv("sales.csv")',
        'df.plot(x="month", y="amount")',
        'plt.savefig("/mnt/data/chart.png")',
        'df.to_csv("/mnt/data/out/result.csv", index=False) if __import__("os").makedirs("out") is None else None',
      ].join('\n'),
    );
    expect(run.error).toBeNull();
    expect(run.files.map((f) => f.path).sort()).toEqual(['/mnt/data/chart.png', '/mnt/data/out/result.csv']);
    const chart = run.files.find((f) => f.path.endsWith('.png'))!;
    expect(chart.source).toBe('sandbox');
    expect((await t.service.readFile(id, chart.id)).subarray(1, 4).toString()).toBe('PNG');
    expect((await t.service.readFile(id, '/mnt/data/out/result.csv')).toString()).toContain('month,amount');
    const listed = await t.service.listFiles(id);
    expect(listed.map((f) => f.path)).toEqual([
      '/mnt/data/chart.png',
      '/mnt/data/out/result.csv',
      '/mnt/data/sales.csv',
    ]);
    expect(listed.find((f) => f.path === '/mnt/data/chart.png')?.id).toBe(chart.id);
    // plt.show() saves the open figures (there is no window to show them in).
    const shown = await t.service.exec(id, 'plt.plot([1, 2]); plt.show()');
    expect(shown.files.map((f) => f.path)).toEqual(['/mnt/data/figure-1.png']);
    // Unchanged files are not reported again.
    expect((await t.service.exec(id, '1')).files).toEqual([]);
    expect(await t.service.deleteFile(id, chart.id)).toBe(true);
    expect(await t.service.deleteFile(id, chart.id)).toBe(false);
    await expect(t.service.readFile(id, 'chart.png')).rejects.toMatchObject({ code: 'file_not_found' });
  });

  it('refuses upload names that are not plain file names', async () => {
    const { id } = await t.service.create({ name: 'names' });
    for (const name of ['../escape.csv', 'a/b.csv', '', '..']) {
      await expect(t.service.uploadFile(id, name, Buffer.from('x'))).rejects.toMatchObject({ code: 'invalid_request' });
    }
    await t.service.exec(id, 'import os; os.makedirs("/mnt/data/taken/inner")');
    await expect(t.service.uploadFile(id, 'taken', Buffer.from('x'))).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });

  it('cancels an execution through its AbortSignal: the kernel is killed, the next call gets a new one', async () => {
    const { id } = await t.service.create({ name: 'abort' });
    await t.service.exec(id, 'kept = 1');
    const controller = new AbortController();
    const running = t.service.exec(id, 'import time; time.sleep(30)', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user cancelled')), 300);
    await expect(running).rejects.toThrow('user cancelled');
    expect((await t.service.exec(id, '"kept" in globals()')).result).toBe('False');
  });

  it('runs the calls on one container one at a time, in order', async () => {
    const { id } = await t.service.create({ name: 'order' });
    const calls = [0, 1, 2, 3].map((i) =>
      t.service.exec(id, `import time; time.sleep(0.05); seen = globals().get("seen", []) + [${i}]; seen`),
    );
    const results = await Promise.all(calls);
    expect(results.at(-1)?.result).toBe('[0, 1, 2, 3]');
  });
});

describe('local containers: idle TTL with an injected clock', () => {
  let t: TestContainers;
  beforeAll(() => {
    t = startTestContainers();
  });
  afterAll(() => t.close());

  it('every operation resets the clock; idle past the TTL, the sweeper kills the kernel and removes the files', async () => {
    const info = await t.service.create({ name: 'ttl', ttlMinutes: 20 });
    expect(info.expiresAt - info.createdAt).toBe(20 * MINUTE);
    await t.service.exec(info.id, 'x = 1');
    const dir = path.join(t.dataDir, 'containers', info.id);
    const uid = fs.statSync(dir).uid;
    expect((await processesOfUid(uid)).length).toBeGreaterThan(0);

    t.clock.advance(19 * MINUTE);
    await t.service.uploadFile(info.id, 'a.csv', Buffer.from('a\n1\n'));
    t.clock.advance(19 * MINUTE);
    expect(await t.service.sweep()).toBe(0);
    expect((await t.service.listFiles(info.id)).length).toBe(1);
    t.clock.advance(19 * MINUTE);
    expect((await t.service.exec(info.id, 'x')).result).toBe('1');
    t.clock.advance(19 * MINUTE);
    expect((await t.service.retrieve(info.id)).lastActiveAt).toBe(t.clock.now);

    t.clock.advance(20 * MINUTE);
    expect(await t.service.sweep()).toBe(1);
    expect(fs.existsSync(dir)).toBe(false);
    expect(await waitForProcesses(uid, 0, 5000)).toBe(true);
    await expect(t.service.retrieve(info.id)).rejects.toBeInstanceOf(ContainerExpired);
    await expect(t.service.exec(info.id, 'x')).rejects.toBeInstanceOf(ContainerExpired);
    await expect(t.service.readFile(info.id, 'a.csv')).rejects.toBeInstanceOf(ContainerExpired);
    expect(await t.service.delete(info.id)).toBe(false);
  });

  it('treats a container past its TTL as expired even before the sweeper runs', async () => {
    const { id } = await t.service.create({ name: 'lazy', ttlMinutes: 1 });
    t.clock.advance(MINUTE);
    await expect(t.service.listFiles(id)).rejects.toBeInstanceOf(ContainerExpired);
    expect(t.logs.some((line) => line.event === 'container.expired' && line.containerId === id)).toBe(true);
  });

  it('tells an expired container from one that never existed or was deleted', async () => {
    await expect(t.service.retrieve('cntr_nope')).rejects.toBeInstanceOf(ContainerNotFound);
    const { id } = await t.service.create({ name: 'deleted' });
    expect(await t.service.delete(id)).toBe(true);
    expect(await t.service.delete(id)).toBe(false);
    await expect(t.service.exec(id, '1')).rejects.toBeInstanceOf(ContainerNotFound);
  });
});

describe('local containers: capacity', () => {
  let t: TestContainers;
  const live: string[] = [];
  beforeAll(() => {
    t = startTestContainers({ maxContainers: 2, maxConcurrentExecutions: 1 });
  });
  afterAll(() => t.close());

  it('answers 503 with Retry-After beyond the live-container cap, and has room again after a delete', async () => {
    const first = await t.service.create({ name: 'one', ttlMinutes: 5 });
    live.push((await t.service.create({ name: 'two', ttlMinutes: 5 })).id);
    const full = await t.service.create({ name: 'three' }).catch((error) => error);
    expect(full).toBeInstanceOf(AppError);
    expect(full).toMatchObject({ code: 'unavailable', status: 503 });
    expect(full.retryAfterSeconds).toBe(300);
    t.clock.advance(60_000);
    expect((await t.service.create({ name: 'three' }).catch((error) => error)).retryAfterSeconds).toBe(240);
    await t.service.delete(first.id);
    live.push((await t.service.create({ name: 'three' })).id);
  });

  it('answers 503 with Retry-After beyond the concurrent-execution cap', async () => {
    const [a, b] = live as [string, string];
    await t.service.exec(b, '1'); // its kernel is up
    const slow = t.service.exec(a, 'import time; time.sleep(1.5); "done"');
    await new Promise((resolve) => setTimeout(resolve, 900));
    const busy = await t.service.exec(b, '1').catch((error) => error);
    expect(busy).toMatchObject({ code: 'unavailable', retryAfterSeconds: 2 });
    expect((await slow).result).toBe("'done'");
    expect((await t.service.exec(b, '2')).result).toBe('2');
  });
});

describe('local containers: warm pool and a missing sandbox', () => {
  it('hands a new container a kernel that was started ahead of time', async () => {
    const t = startTestContainers({ warmKernels: 1 });
    try {
      await t.service.sandboxStatus();
      await expect.poll(() => t.service.warmCount, { timeout: 15_000 }).toBe(1);
      const { id } = await t.service.create({ name: 'warm' });
      expect(t.logs.find((line) => line.event === 'container.created')).toMatchObject({ containerId: id, warm: true });
      expect((await t.service.exec(id, 'import pandas; 1 + 1')).result).toBe('2');
      await expect.poll(() => t.service.warmCount, { timeout: 15_000 }).toBe(1);
    } finally {
      await t.close();
    }
  });

  it('refuses to run code when the sandbox cannot be set up, and says what is missing', async () => {
    const unavailable: SandboxStatus = {
      available: false,
      problems: ['bubblewrap is not installed: apt-get install bubblewrap'],
      seccomp: 'on',
      cgroups: { kind: 'none', detail: '' },
      python: null,
      libraries: {},
      selfTestMs: null,
    };
    const sandbox = new Sandbox({
      limits: { memoryBytes: 1, maxProcesses: 1, maxFileBytes: 1, tmpBytes: 1, cpuSeconds: 1, maxOpenFiles: 1 },
      uidStart: 200_000,
      cgroups: 'off',
      outputCapBytes: 1,
    });
    sandbox.status = async () => unavailable;
    const t = startTestContainers({}, { sandbox });
    try {
      const { id } = await t.service.create({ name: 'files only' });
      await t.service.uploadFile(id, 'a.csv', Buffer.from('a\n1\n'));
      expect((await t.service.listFiles(id)).map((f) => f.path)).toEqual(['/mnt/data/a.csv']);
      const refused = await t.service.exec(id, '1 + 1').catch((error) => error);
      expect(refused).toBeInstanceOf(SandboxUnavailable);
      expect(refused.status).toBe(503);
      expect(refused.message).toContain('apt-get install bubblewrap');
    } finally {
      await t.close();
    }
  });
});
