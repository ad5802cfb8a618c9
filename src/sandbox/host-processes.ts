import fs from 'node:fs';

/** Host pids whose owner is `uid` (zombies included: they still count toward RLIMIT_NPROC). */
export async function processesOfUid(uid: number): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await fs.promises.readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if ((await fs.promises.stat(`/proc/${entry}`)).uid === uid) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** Resolves `true` once at most `atMost` processes of `uid` are left, `false` if more still are after `timeoutMs`. */
export async function waitForProcesses(uid: number, atMost: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await processesOfUid(uid)).length <= atMost) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
