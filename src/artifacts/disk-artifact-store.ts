import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { ArtifactStore } from './types.ts';

const safeId = /^[A-Za-z0-9_-]{1,80}$/;

/** Artifacts as files under `<root>/<sessionId>/<fileId>`; ids are ours, never a user's file name. */
export class DiskArtifactStore implements ArtifactStore {
  constructor(private readonly root: string) {}

  private pathOf(sessionId: string, fileId: string): string | null {
    if (!safeId.test(sessionId) || !safeId.test(fileId)) return null;
    return path.join(this.root, sessionId, fileId);
  }

  async put(sessionId: string, fileId: string, bytes: Uint8Array | string): Promise<void> {
    const target = this.pathOf(sessionId, fileId);
    if (!target) throw new Error(`invalid artifact id ${sessionId}/${fileId}`);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomUUID()}.tmp`;
    await fs.promises.writeFile(temporary, bytes);
    await fs.promises.rename(temporary, target);
  }

  async open(sessionId: string, fileId: string): Promise<Readable | null> {
    const target = this.pathOf(sessionId, fileId);
    if (!target) return null;
    try {
      const handle = await fs.promises.open(target, 'r');
      return handle.createReadStream();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async read(sessionId: string, fileId: string): Promise<Buffer | null> {
    const target = this.pathOf(sessionId, fileId);
    if (!target) return null;
    try {
      return await fs.promises.readFile(target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
}
