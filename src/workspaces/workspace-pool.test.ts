import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { openDatabase, queryOne } from '../db/duckdb.ts';
import { readCsv } from '../ingest/index.ts';
import { newWorkspaceId, WorkspacePool } from './workspace-pool.ts';

describe('WorkspacePool', () => {
  it('drops a workspace idle past its TTL and reloads it from the original file on the next call', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pool-')), 'a.csv');
    fs.writeFileSync(file, 'day,value\n2024-01-01,1\n2024-01-02,2\n2024-01-03,3\n');
    let now = 0;
    const pool = new WorkspacePool({
      ttlMs: 20 * 60_000,
      maxLive: 2,
      now: () => now,
      logger: pino({ level: 'silent' }),
    });
    const db = await openDatabase();
    const reading = await readCsv(db.connection, file, { tableName: 'data' });
    const first = {
      id: newWorkspaceId(),
      sessionId: 'ds_1',
      db,
      table: 'data',
      reading,
      lastUsedAt: now,
      memo: new Map(),
    };
    pool.adopt(first);
    now += 19 * 60_000;
    expect((await pool.acquire('ds_1', file, reading, first.id)).id).toBe(first.id);
    now += 21 * 60_000;
    const second = await pool.acquire('ds_1', file, reading, first.id);
    expect(second.id).not.toBe(first.id);
    expect(Number((await queryOne(second.db.connection, 'SELECT sum(value) AS s FROM data')).s)).toBe(6);
    pool.closeAll();
  });
});
