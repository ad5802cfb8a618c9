import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Session, StoredStory } from '../types.ts';
import { SqliteSessionStore } from './sqlite-session-store.ts';

const session = (id: string): Session => ({
  id,
  fileName: 'a.csv',
  originalPath: `uploads/${id}.csv`,
  sizeBytes: 10,
  reading: { format: {} as never, columns: [], rowCount: 2, duplicateRows: 0, warnings: [] },
  roles: { a: 'measure' },
  backendContainerId: 'ws_1',
  createdAt: 1,
  lastActivityAt: 1,
});

const story = (id: string, title: string): StoredStory => ({
  id,
  title,
  summary: 's',
  chartTypes: [],
  kind: 'trend',
  columns: [],
  score: 1,
  strength: 'strong',
  evidence: {},
  detail: { any: 'thing' },
});

describe('SqliteSessionStore', () => {
  it('keeps sessions, stories, refinements and artifacts across reopening the file', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'store-')), 'sessions.sqlite');
    const store = new SqliteSessionStore(file);
    await store.createSession(session('ds_a'));
    await store.saveStories('ds_a', null, [story('s1', 'First')], 2);
    await store.saveStories('ds_a', 'focus', [story('s2', 'Second')], 3);
    await store.saveRefinement(
      'ds_a',
      { containerId: 'ds_a', storyId: 's2', title: 'Second', narrative: 'n', charts: [], warnings: [] },
      4,
    );
    await store.saveArtifact({
      id: 'file_1',
      sessionId: 'ds_a',
      fileName: 'c.png',
      contentType: 'image/png',
      sizeBytes: 3,
      createdAt: 5,
    });
    await store.touchSession('ds_a', 9, 'ws_2');
    await store.close();

    const reopened = new SqliteSessionStore(file);
    expect(await reopened.getSession('ds_a')).toMatchObject({
      id: 'ds_a',
      lastActivityAt: 9,
      backendContainerId: 'ws_2',
    });
    expect((await reopened.listStories('ds_a')).map((s) => s.id)).toEqual(['s2', 's1']);
    expect((await reopened.getRefinement('ds_a', 's2'))?.narrative).toBe('n');
    expect(await reopened.getArtifact('ds_a', 'file_1')).toMatchObject({ contentType: 'image/png' });
    expect(await reopened.getArtifact('ds_other', 'file_1')).toBeNull();
    expect(await reopened.getSession('ds_missing')).toBeNull();
    await reopened.close();
  });
});
