import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestContainers, type TestContainers } from '../src/containers/local/testing.ts';
import { processesOfUid, waitForProcesses } from '../src/sandbox/host-processes.ts';

// Each limit against code that tries to exceed it; small limits (src/containers/local/testing.ts) keep it fast.
describe('sandbox limits hold, and the kernel survives what it can', () => {
  let t: TestContainers;
  const uids = new Set<number>();
  beforeAll(async () => {
    t = startTestContainers({ execTimeoutMs: 400, killGraceMs: 500 });
    expect((await t.service.sandboxStatus()).problems).toEqual([]);
  });
  afterAll(async () => {
    await t?.close();
    // No process of any container's uid outlives the service (given time on a loaded two-core host).
    for (const uid of uids) expect(await waitForProcesses(uid, 0, 20_000)).toBe(true);
  });

  const container = async (name: string) => {
    const { id } = await t.service.create({ name });
    uids.add(fs.statSync(path.join(t.dataDir, 'containers', id)).uid);
    return id;
  };

  it('memory: a bomb gets a catchable MemoryError, and the kernel keeps its variables', async () => {
    const id = await container('memory');
    await t.service.exec(id, 'kept = "still here"');
    const bomb = await t.service.exec(id, 'hog = []\nwhile True:\n    hog.append(bytearray(64 * 1024 * 1024))', {
      timeoutMs: 15_000,
    });
    expect(bomb.error?.name).toBe('MemoryError');
    expect(bomb.restarted).toBe(false);
    const after = await t.service.exec(id, 'allocated = len(hog) * 64\ndel hog\n(kept, allocated)');
    // What came back instead, should this ever fail (seen once, on a host running four other jobs).
    expect(
      after.result,
      JSON.stringify({ error: after.error, stderr: after.stderr, restarted: after.restarted }),
    ).toMatch(/^\('still here', \d+\)$/);
    expect(Number(after.result?.match(/\d+/)?.[0])).toBeLessThan(1024);
  });

  it('processes: a fork bomb is stopped, and another container still starts', async () => {
    const id = await container('fork bomb');
    const bomb = await t.service.exec(
      id,
      [
        'import os, time',
        'children, stopped_by = [], None',
        'try:',
        '    for _ in range(500):',
        '        pid = os.fork()',
        '        if pid == 0:',
        '            time.sleep(60)',
        '            os._exit(0)',
        '        children.append(pid)',
        'except OSError as e:',
        '    stopped_by = e.strerror',
        '(len(children), stopped_by)',
      ].join('\n'),
      { timeoutMs: 10_000 },
    );
    expect(bomb.error).toBeNull();
    const [, forked, stoppedBy] = bomb.result?.match(/^\((\d+), '(.*)'\)$/) ?? [];
    expect(Number(forked)).toBeLessThan(32);
    expect(stoppedBy).toBe('Resource temporarily unavailable');
    const neighbour = await container('neighbour');
    expect((await t.service.exec(neighbour, '1 + 1')).result).toBe('2');
    await t.service.delete(id);
  });

  it('file size: a write past the limit fails with EFBIG and stops at the limit', async () => {
    const id = await container('file size');
    const big = await t.service.exec(id, 'open("/mnt/data/big.bin", "wb").write(b"x" * (20 * 1024 * 1024))');
    expect(big.error?.value).toContain('File too large');
    expect(fs.statSync(path.join(t.dataDir, 'containers', id, 'big.bin')).size).toBe(8 * 1024 * 1024);
    const tmp = await t.service.exec(
      id,
      'for i in range(20):\n    open(f"/tmp/part{i}", "wb").write(b"x" * (7 * 1024 * 1024))',
    );
    expect(tmp.error?.value).toContain('No space left on device');
  });

  it('output: stdout, stderr and the result are cut at the cap and flagged', async () => {
    const id = await container('output');
    const flood = await t.service.exec(
      id,
      'import sys\nprint("x" * 100_000)\nprint("y" * 100_000, file=sys.stderr)\n"z" * 100_000',
    );
    expect(flood.truncated).toBe(true);
    expect(flood.stdout.length).toBe(4096);
    expect(flood.stderr.length).toBe(4096);
    expect(flood.result!.length).toBeLessThan(4200);
    expect((await t.service.exec(id, 'print("small")')).truncated).toBe(false);
  });

  it('time: the soft timeout interrupts the cell and keeps the session', async () => {
    const id = await container('soft timeout');
    const slow = await t.service.exec(id, 'import time\nanswer = 42\ntime.sleep(30)');
    expect(slow).toMatchObject({ timedOut: true, killed: false, restarted: false });
    expect(slow.error?.name).toBe('ExecutionTimeout');
    expect(slow.durationMs).toBeLessThan(3000);
    expect((await t.service.exec(id, 'answer')).result).toBe('42');
  });

  for (const [what, loop] of [
    [
      'a loop that ignores the timeout signal',
      'import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n    pass',
    ],
    ['a C call that never checks for signals', 'sum(range(10 ** 13))'],
  ]) {
    it(`time: ${what} is hard-killed after the grace period; files are kept, the next call gets a new kernel`, async () => {
      const id = await container(what!);
      const started = Date.now();
      const stuck = await t.service.exec(id, `state = 1\nopen("/mnt/data/before.txt", "w").write("saved")\n${loop}`);
      const elapsed = Date.now() - started;
      expect(stuck).toMatchObject({ timedOut: true, killed: true, restarted: true });
      expect(stuck.error?.name).toBe('KernelDied');
      expect(stuck.error?.value).toContain('grace period');
      expect(elapsed).toBeGreaterThanOrEqual(400 + 500 - 50);
      expect(elapsed).toBeLessThan(400 + 500 + 2500);
      expect(stuck.files.map((f) => f.path)).toEqual(['/mnt/data/before.txt']);
      expect((await t.service.readFile(id, 'before.txt')).toString()).toBe('saved');
      const next = await t.service.exec(id, '"state" in globals()');
      expect(next).toMatchObject({ result: 'False', error: null, restarted: false });
    });
  }

  it('a kernel that exits on its own is reported, and replaced on the next call', async () => {
    const id = await container('suicide');
    const gone = await t.service.exec(id, 'import os\nos._exit(7)');
    expect(gone).toMatchObject({ killed: false, restarted: true });
    expect(gone.error?.value).toContain('exited with code 7');
    expect((await t.service.exec(id, '6 * 7')).result).toBe('42');
  });

  it('destroying a container leaves no process of its uid behind', async () => {
    const id = await container('cleanup');
    await t.service.exec(id, 'import subprocess\nsubprocess.Popen(["sleep", "1000"])\nNone');
    const uid = fs.statSync(path.join(t.dataDir, 'containers', id)).uid;
    expect((await processesOfUid(uid)).length).toBeGreaterThanOrEqual(3);
    await t.service.delete(id);
    expect(await waitForProcesses(uid, 0, 5000)).toBe(true);
  });

  it('memory, cgroup: the sum of memory and /tmp is bounded too, and an OOM kill is reported as such', async (context) => {
    const big = startTestContainers({ memoryMb: 768, tmpMb: 2048, maxFileMb: 2048 });
    try {
      if ((await big.service.sandboxStatus()).cgroups.kind === 'none') context.skip(); // rlimits only on this host
      const { id } = await big.service.create({ name: 'cgroup' });
      // 400 MB of arrays (within RLIMIT_AS) plus 900 MB in /tmp (tmpfs pages, not address space).
      const code = [
        'import numpy as np',
        'held = np.ones(400 * 1024 * 1024 // 8)',
        'chunk = b"x" * (1 << 20)',
        'with open("/tmp/fill", "wb") as f:',
        '    for _ in range(900):',
        '        f.write(chunk)',
      ].join('\n');
      const oom = await big.service.exec(id, code, { timeoutMs: 20_000 });
      expect(oom).toMatchObject({ restarted: true, killed: false });
      expect(oom.error?.value).toContain('out of memory');
      expect((await big.service.exec(id, '1 + 1')).result).toBe('2');
    } finally {
      await big.close();
    }
  });
});
