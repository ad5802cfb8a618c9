import type { Readable } from 'node:stream';

/** Bytes of generated files (charts, datasets, reports), written before the API answers. */
export interface ArtifactStore {
  /** Stores the bytes under (sessionId, fileId), atomically: a reader never sees half a file. */
  put(sessionId: string, fileId: string, bytes: Uint8Array | string): Promise<void>;
  /** A stream of the bytes, or null when there is no such file. */
  open(sessionId: string, fileId: string): Promise<Readable | null>;
  read(sessionId: string, fileId: string): Promise<Buffer | null>;
}
