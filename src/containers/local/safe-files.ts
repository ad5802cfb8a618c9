import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Host-side file access to a container's directory, which the sandbox controls: it can plant symlinks
 * (to `/etc/passwd`, or a directory symlink to `/`) and swap them while we look. So every access opens
 * the parent directory first, checks through `/proc/self/fd` where that fd really points, and then
 * works *relative to the open fd* (`/proc/self/fd/N/name` resolves from the opened directory, not by
 * path again), with O_NOFOLLOW on the last component. No check-then-use race is left.
 */

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW, O_NONBLOCK, O_WRONLY, O_CREAT, O_EXCL } = fs.constants;

export class OutsideContainer extends Error {}

export interface FileStat {
  bytes: number;
  /** Modification time in ns (a string, exact). */
  modified: string;
}

/** `x.png`, `/mnt/data/x.png`, `sub/x.png` → `x.png`, `sub/x.png`; `null` for anything outside `/mnt/data`. */
export function relativePath(fileOrPath: string): string | null {
  const stripped = fileOrPath.startsWith('/mnt/data/') ? fileOrPath.slice('/mnt/data/'.length) : fileOrPath;
  if (stripped.startsWith('/') || stripped.includes('\0')) return null;
  const normal = path.posix.normalize(stripped);
  if (normal === '.' || normal === '..' || normal.startsWith('../') || normal.endsWith('/')) return null;
  return normal;
}

/** A plain file name for uploads: no directories, no dot files that look like ours, at most 255 bytes. */
export function isPlainFileName(name: string): boolean {
  return (
    name.length > 0 &&
    Buffer.byteLength(name) <= 255 &&
    !name.includes('/') &&
    !name.includes('\0') &&
    name !== '.' &&
    name !== '..' &&
    !name.startsWith('.upload-')
  );
}

async function openDirectory(root: string, relativeDir: string): Promise<fs.promises.FileHandle> {
  const handle = await fs.promises.open(path.join(root, relativeDir), O_RDONLY | O_DIRECTORY);
  const real = await fs.promises.readlink(`/proc/self/fd/${handle.fd}`);
  if (real !== root && !real.startsWith(`${root}/`)) {
    await handle.close();
    throw new OutsideContainer(`${relativeDir} leads outside the container`);
  }
  return handle;
}

async function withParent<T>(root: string, relative: string, use: (at: string) => Promise<T>): Promise<T> {
  const directory = await openDirectory(root, path.posix.dirname(relative));
  try {
    return await use(`/proc/self/fd/${directory.fd}/${path.posix.basename(relative)}`);
  } finally {
    await directory.close();
  }
}

/** The bytes of a regular file; throws (ELOOP, OutsideContainer, …) for symlinks, specials and escapes. */
export function readFileInside(root: string, relative: string): Promise<Buffer> {
  return withParent(root, relative, async (at) => {
    const handle = await fs.promises.open(at, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    try {
      if (!(await handle.stat()).isFile()) throw new OutsideContainer(`${relative} is not a regular file`);
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  });
}

/** Removes a file (a symlink itself, never its target); `false` when there was none. Directories are refused. */
export function removeFileInside(root: string, relative: string): Promise<boolean> {
  return withParent(root, relative, async (at) => {
    const stat = await fs.promises.lstat(at).catch(() => null);
    if (!stat) return false;
    if (stat.isDirectory()) throw new OutsideContainer(`${relative} is a directory`);
    await fs.promises.unlink(at);
    return true;
  });
}

/**
 * Writes `name` in the container's top directory, owned by `uid`: into a fresh temporary name
 * (O_EXCL | O_NOFOLLOW), then renamed over the target, which replaces a planted symlink instead of
 * writing through it. Returns the size written.
 */
export async function writeFileInside(
  root: string,
  name: string,
  source: Uint8Array | Readable,
  uid: number,
): Promise<number> {
  const directory = await openDirectory(root, '.');
  const at = (entry: string) => `/proc/self/fd/${directory.fd}/${entry}`;
  const temporary = `.upload-${randomBytes(8).toString('hex')}`;
  try {
    const handle = await fs.promises.open(at(temporary), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
    try {
      await pipeline(source instanceof Readable ? source : Readable.from([source]), handle.createWriteStream());
      await fs.promises.chown(at(temporary), uid, uid);
    } catch (error) {
      await fs.promises.unlink(at(temporary)).catch(() => {});
      throw error;
    } finally {
      await handle.close().catch(() => {});
    }
    const { size } = await fs.promises.lstat(at(temporary));
    await fs.promises.rename(at(temporary), at(name)).catch(async (error) => {
      await fs.promises.unlink(at(temporary)).catch(() => {});
      throw error;
    });
    return size;
  } finally {
    await directory.close();
  }
}

/**
 * Regular files under the container directory (symlinks, sockets, FIFOs skipped), by relative path,
 * walked through verified directory fds. Stops after `maxEntries` entries so a directory bomb costs little.
 */
export async function walkFiles(root: string, maxEntries = 10_000): Promise<Map<string, FileStat>> {
  const files = new Map<string, FileStat>();
  const pending = ['.'];
  let seen = 0;
  while (pending.length > 0 && seen < maxEntries) {
    const relativeDir = pending.shift()!;
    let directory: fs.promises.FileHandle;
    try {
      directory = await openDirectory(root, relativeDir);
    } catch {
      continue; // gone, swapped for a symlink, or unreadable
    }
    try {
      const base = `/proc/self/fd/${directory.fd}`;
      for (const entry of await fs.promises.readdir(base)) {
        if (++seen > maxEntries) break;
        const stat = await fs.promises.lstat(`${base}/${entry}`, { bigint: true }).catch(() => null);
        const relative = relativeDir === '.' ? entry : `${relativeDir}/${entry}`;
        if (stat?.isDirectory() && relative.split('/').length < 16) pending.push(relative);
        else if (stat?.isFile() && !entry.startsWith('.upload-')) {
          files.set(relative, { bytes: Number(stat.size), modified: String(stat.mtimeNs) });
        }
      }
    } finally {
      await directory.close();
    }
  }
  return files;
}
