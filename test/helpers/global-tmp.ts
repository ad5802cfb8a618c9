import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * One temporary directory for the whole test run, removed at its end. Tests make their scratch files with
 * `os.tmpdir()` (which reads TMPDIR on every call); the test processes fork after this runs and inherit it,
 * so a run leaves nothing behind in the machine's /tmp.
 */
export default function setup(): () => void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'datastory-tests-'));
  process.env.TMPDIR = root;
  return () => fs.rmSync(root, { recursive: true, force: true });
}
