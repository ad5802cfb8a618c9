import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileInside, relativePath, removeFileInside, walkFiles, writeFileInside } from './safe-files.ts';

// What a sandbox can plant in its /mnt/data, checked on the host side alone.
describe('host-side file access to a container directory', () => {
  let base: string;
  let root: string;
  let victim: string;
  beforeAll(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'datastory-safe-files-')));
    root = path.join(base, 'container');
    fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
    victim = path.join(base, 'victim.txt');
    fs.writeFileSync(victim, 'host secret');
    fs.writeFileSync(path.join(root, 'ok.csv'), 'a,b\n');
    fs.writeFileSync(path.join(root, 'sub', 'nested.txt'), 'nested');
    fs.symlinkSync(victim, path.join(root, 'link.txt'));
    fs.symlinkSync(base, path.join(root, 'up'));
    fs.symlinkSync('/', path.join(root, 'sub', 'slash'));
  });
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  it('reads regular files, nested ones included', async () => {
    expect((await readFileInside(root, 'ok.csv')).toString()).toBe('a,b\n');
    expect((await readFileInside(root, 'sub/nested.txt')).toString()).toBe('nested');
  });

  it('never follows a symlink, at the end of the path or in the middle', async () => {
    await expect(readFileInside(root, 'link.txt')).rejects.toMatchObject({ code: 'ELOOP' });
    await expect(readFileInside(root, 'up/victim.txt')).rejects.toThrow(/outside the container/);
    await expect(readFileInside(root, 'sub/slash/etc/hostname')).rejects.toThrow(/outside the container/);
    await expect(readFileInside(root, 'sub')).rejects.toThrow();
  });

  it('lists regular files only', async () => {
    expect([...(await walkFiles(root)).keys()].sort()).toEqual(['ok.csv', 'sub/nested.txt']);
  });

  it('deletes a symlink itself, never its target, and never through a directory symlink', async () => {
    expect(await removeFileInside(root, 'up/victim.txt').catch(() => 'refused')).toBe('refused');
    expect(await removeFileInside(root, 'link.txt')).toBe(true);
    expect(fs.readFileSync(victim, 'utf8')).toBe('host secret');
    expect(await removeFileInside(root, 'link.txt')).toBe(false);
  });

  it('writes an upload over a planted symlink by replacing the link', async () => {
    fs.symlinkSync(victim, path.join(root, 'upload.csv'));
    expect(await writeFileInside(root, 'upload.csv', Buffer.from('new'), process.getuid?.() ?? 0)).toBe(3);
    expect(fs.readFileSync(victim, 'utf8')).toBe('host secret');
    expect(fs.lstatSync(path.join(root, 'upload.csv')).isFile()).toBe(true);
  });

  it('maps container paths and refuses ones outside /mnt/data', () => {
    expect(relativePath('/mnt/data/a/b.png')).toBe('a/b.png');
    expect(relativePath('b.png')).toBe('b.png');
    for (const outside of ['/etc/passwd', '../x', '/mnt/data/../x', '/mnt/data/', 'a/../../x']) {
      expect(relativePath(outside)).toBeNull();
    }
  });
});
