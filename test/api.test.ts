import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devFile } from './helpers/dev-data.ts';
import { postJson, startTestServer, type TestServer, uploadFile } from './helpers/server.ts';

const run = promisify(execFile);
const pngMagic = [0x89, 0x50, 0x4e, 0x47];

describe('the DataStoryBot tutorial client works unchanged', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('runs upload → analyze → refine → files, ported line for line to fetch', async () => {
    const BASE_URL = server.baseUrl;
    // with open("sales_data.csv", "rb") as f: upload = requests.post(..., files={"file": ("sales_data.csv", f, "text/csv")}).json()
    const form = new FormData();
    form.append('file', new Blob([fs.readFileSync(devFile('sales_data'))], { type: 'text/csv' }), 'sales_data.csv');
    const upload = (await (await fetch(`${BASE_URL}/api/upload`, { method: 'POST', body: form })).json()) as any;
    const container_id = upload.containerId;
    const stories = (await (
      await fetch(`${BASE_URL}/api/analyze`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ containerId: container_id }),
      })
    ).json()) as any[];
    const result = (await (
      await fetch(`${BASE_URL}/api/refine`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ containerId: container_id, selectedStoryTitle: stories[0].title }),
      })
    ).json()) as any;
    expect(result.narrative).toContain(stories[0].title);
    for (const chart of result.charts) {
      const img = await fetch(`${BASE_URL}/api/files/${container_id}/${chart.fileId}`);
      expect(img.status).toBe(200);
      expect(img.headers.get('content-type')).toBe('image/png');
      expect([...new Uint8Array(await img.arrayBuffer()).slice(0, 4)]).toEqual(pngMagic);
    }
    expect(stories).toHaveLength(3);
    for (const story of stories) {
      expect(Object.keys(story)).toEqual(
        expect.arrayContaining(['title', 'summary', 'chartTypes', 'kind', 'columns', 'score', 'evidence', 'strength']),
      );
      expect(story).not.toHaveProperty('detail');
    }
    const paragraphs = result.narrative.split(/\n\n+/).filter((p: string) => p.trim() && !p.startsWith('#'));
    expect(paragraphs.length).toBeGreaterThanOrEqual(4);
    expect(result.charts.length).toBeGreaterThanOrEqual(2);
    expect(result.charts.length).toBeLessThanOrEqual(4);
    // Each chart states its claim for a screen reader; no visible caption repeats a paragraph.
    for (const chart of result.charts) {
      expect(chart.alt.length).toBeGreaterThan(20);
      expect(paragraphs).not.toContain(chart.caption);
      expect(chart.caption.length).toBeGreaterThan(0);
    }
  });

  it('runs the original Python client with requests', async () => {
    const script = path.join(os.tmpdir(), `datastorybot-client-${process.pid}.py`);
    fs.writeFileSync(
      script,
      [
        'import os, requests',
        'BASE_URL = os.environ["BASE_URL"]',
        'with open(os.environ["CSV"], "rb") as f:',
        '    upload = requests.post(f"{BASE_URL}/api/upload", files={"file": ("sales_data.csv", f, "text/csv")}).json()',
        'container_id = upload["containerId"]',
        'stories = requests.post(f"{BASE_URL}/api/analyze", json={"containerId": container_id}).json()',
        'result = requests.post(f"{BASE_URL}/api/refine", json={"containerId": container_id, "selectedStoryTitle": stories[0]["title"]}).json()',
        'print(result["narrative"])',
        'for chart in result["charts"]:',
        '    img = requests.get(f"{BASE_URL}/api/files/{container_id}/{chart[\'fileId\']}")',
        '    assert img.status_code == 200 and img.content[:4] == b"\\x89PNG", img.status_code',
        'print("CHARTS", len(result["charts"]))',
      ].join('\n'),
    );
    const { stdout } = await run('/usr/bin/python3', [script], {
      env: { ...process.env, BASE_URL: server.baseUrl, CSV: devFile('sales_data') },
    });
    expect(stdout).toMatch(/^# /);
    expect(stdout).toMatch(/CHARTS [234]/);
  });

  it('says how the file was read: delimiter, encoding, decimal mark, types and roles', async () => {
    const { status, body } = await uploadFile(server.baseUrl, devFile('saas_churn'));
    expect(status).toBe(200);
    expect(body.rowCount).toBe(4000);
    expect(body.format).toMatchObject({ delimiter: ';', bom: true, decimal: ',' });
    const column = (name: string) => body.columns.find((c: { name: string }) => c.name === name);
    expect(column('signup_date')).toMatchObject({ type: 'date' });
    expect(column('mrr_eur')).toMatchObject({ type: 'number', role: 'measure' });
    expect(column('churned')).toMatchObject({ role: 'binary' });
    expect(column('customer_id')).toMatchObject({ role: 'identifier' });
    expect(body.warnings.map((w: { code: string }) => w.code)).toContain('missing_values');
  });

  it('streams progress as Server-Sent Events and ends with the same JSON', async () => {
    const { body: upload } = await uploadFile(server.baseUrl, devFile('iowa-electricity'));
    const response = await fetch(`${server.baseUrl}/api/analyze`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ containerId: upload.containerId }),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = (await response.text())
      .split('\n\n')
      .filter((block) => block.startsWith('event:'))
      .map((block) => ({
        event: block.match(/^event: (\w+)/)![1],
        data: JSON.parse(block.match(/\ndata: (.*)/)![1]!),
      }));
    expect(events.filter((e) => e.event === 'progress').length).toBeGreaterThan(2);
    const last = events[events.length - 1]!;
    expect(last.event).toBe('result');
    expect(last.data).toHaveLength(3);
    const plain = await postJson(server.baseUrl, '/api/analyze', { containerId: upload.containerId });
    expect(plain.body).toEqual(last.data);
  });

  it('answers /health with a real analysis', async () => {
    const response = await fetch(`${server.baseUrl}/health`);
    const body = (await response.json()) as any;
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ status: 'healthy', analyst: 'builtin' });
    expect(body.latencyMs).toBeGreaterThan(0);
  });

  it('logs JSON lines that carry the session, the container and an event', async () => {
    const { body: upload } = await uploadFile(server.baseUrl, devFile('penguins'));
    await postJson(server.baseUrl, '/api/analyze', { containerId: upload.containerId });
    const lines = server.logs.filter((line) => line.sessionId === upload.containerId);
    const events = lines.map((line) => line.event);
    expect(events).toEqual(
      expect.arrayContaining([
        'container.created',
        'upload.completed',
        'analysis.started',
        'analysis.completed',
        'request.completed',
      ]),
    );
    for (const line of lines) {
      expect(line).toHaveProperty('event');
      expect(line).toHaveProperty('containerId');
    }
    const analysis = lines.find((line) => line.event === 'analysis.completed')!;
    expect(String(analysis.containerId)).toMatch(/^ws_/);
    for (const line of server.logs) expect(line, JSON.stringify(line)).toHaveProperty('event');
  });
});

describe('bad input gets a clear error and loses nothing', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ maxUploadBytes: 200 * 1024 });
  });
  afterAll(() => server.stop());

  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
  const uploads: [string, { name: string; content: string | Uint8Array }, number, string, RegExp][] = [
    ['an empty file', { name: 'empty.csv', content: '' }, 422, 'unreadable_file', /empty/i],
    ['a header without rows', { name: 'header.csv', content: 'a,b,c\n' }, 422, 'unreadable_file', /no data rows/i],
    ['a PNG renamed .csv', { name: 'chart.csv', content: png }, 415, 'unsupported_file', /PNG/],
    [
      'a ragged file',
      { name: 'ragged.csv', content: 'a,b,c\n1,2,3\n4,5\n6,7,8,9,10\n1,2,3\n' },
      422,
      'unreadable_file',
      /line|field|column/i,
    ],
    [
      'a file over the limit',
      { name: 'big.csv', content: `a,b\n${'123456789,987654321\n'.repeat(15_000)}` },
      413,
      'file_too_large',
      /limit/i,
    ],
  ];

  for (const [what, file, status, code, message] of uploads) {
    it(`refuses ${what} with ${status} ${code}`, async () => {
      const response = await uploadFile(server.baseUrl, file);
      expect(response.status).toBe(status);
      expect(response.body.error.code).toBe(code);
      expect(response.body.error.message).toMatch(message);
      expect(response.body.error.requestId).toBeTruthy();
    });
  }

  it('refuses an upload without a "file" field, and a JSON body', async () => {
    const form = new FormData();
    form.append('data', new Blob(['a,b\n1,2\n']), 'x.csv');
    const noField = await fetch(`${server.baseUrl}/api/upload`, { method: 'POST', body: form });
    expect(noField.status).toBe(400);
    expect(((await noField.json()) as any).error.message).toMatch(/field named "file"/);
    const json = await postJson(server.baseUrl, '/api/upload', { file: 'x' });
    expect(json.status).toBe(400);
  });

  it('left no session, no upload file and no half-written state behind', async () => {
    const uploadsDir = path.join(server.dataDir, 'uploads');
    expect(fs.existsSync(uploadsDir) ? fs.readdirSync(uploadsDir) : []).toEqual([]);
    const db = new Database(path.join(server.dataDir, 'sessions.sqlite'), { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n).toBe(0);
    db.close();
  });

  it('answers unknown sessions, stories and files with 404, malformed requests with 400', async () => {
    expect((await postJson(server.baseUrl, '/api/analyze', { containerId: 'ds_doesnotexist' })).status).toBe(404);
    expect((await postJson(server.baseUrl, '/api/analyze', {})).body.error.code).toBe('invalid_request');
    expect((await postJson(server.baseUrl, '/api/analyze', '{not json')).status).toBe(400);
    expect((await postJson(server.baseUrl, '/api/analyze', { containerId: 'x', steeringPrompt: 42 })).status).toBe(400);
    const { body: upload } = await uploadFile(server.baseUrl, {
      name: 'tiny.csv',
      content: 'month,units\n2024-01-01,3\n2024-02-01,5\n2024-03-01,4\n',
    });
    const early = await postJson(server.baseUrl, '/api/refine', {
      containerId: upload.containerId,
      selectedStoryTitle: 'anything',
    });
    expect(early.status).toBe(404);
    expect(early.body.error.message).toMatch(/analyze first/);
    await postJson(server.baseUrl, '/api/analyze', { containerId: upload.containerId });
    const wrong = await postJson(server.baseUrl, '/api/refine', {
      containerId: upload.containerId,
      selectedStoryTitle: 'Not a story',
    });
    expect(wrong.status).toBe(404);
    expect(wrong.body.error.code).toBe('story_not_found');
    expect(wrong.body.error.message).toMatch(/Pick one of/);
    const missingTitle = await postJson(server.baseUrl, '/api/refine', { containerId: upload.containerId });
    expect(missingTitle.status).toBe(400);
    const file = await fetch(`${server.baseUrl}/api/files/${upload.containerId}/file_nope`);
    expect(file.status).toBe(404);
    const traversal = await fetch(`${server.baseUrl}/api/files/${upload.containerId}/..%2F..%2Fsessions.sqlite`);
    expect(traversal.status).toBe(404);
  });

  it('never lets a file name decide where anything is stored', async () => {
    const { status, body } = await uploadFile(server.baseUrl, {
      name: '../../etc/\u0007passwd.csv',
      content: 'a,b\n1,2\n3,4\n',
    });
    expect(status).toBe(200);
    expect(body.fileName).toBe('passwd.csv');
    const stored = fs.readdirSync(path.join(server.dataDir, 'uploads'));
    expect(stored).toContain(`${body.containerId}.csv`);
    for (const name of stored) expect(name).toMatch(/^ds_[\w-]+\.csv$/);
    expect(fs.existsSync(path.join(server.dataDir, 'etc'))).toBe(false);
  });

  it('is still healthy after all of that', async () => {
    expect((await fetch(`${server.baseUrl}/health`)).status).toBe(200);
  });
});

describe('idempotency keys, timeouts and restarts', () => {
  it('runs an analysis once for two concurrent requests with the same Idempotency-Key', async () => {
    const server = await startTestServer();
    try {
      const { body: upload } = await uploadFile(server.baseUrl, devFile('penguins'));
      const headers = { 'idempotency-key': 'key-1' };
      const [a, b] = await Promise.all([
        postJson(server.baseUrl, '/api/analyze', { containerId: upload.containerId }, headers),
        postJson(server.baseUrl, '/api/analyze', { containerId: upload.containerId }, headers),
      ]);
      expect(a.status).toBe(200);
      expect(b.body).toEqual(a.body);
      const started = server.logs.filter(
        (line) => line.event === 'analysis.started' && line.sessionId === upload.containerId,
      );
      expect(started).toHaveLength(1);
      const reused = await postJson(
        server.baseUrl,
        '/api/analyze',
        { containerId: upload.containerId, steeringPrompt: 'other' },
        headers,
      );
      expect(reused.status).toBe(400);
      expect(reused.body.error.message).toMatch(/Idempotency-Key/);
      const [r1, r2] = await Promise.all([
        postJson(
          server.baseUrl,
          '/api/refine',
          { containerId: upload.containerId, selectedStoryTitle: a.body[1].title },
          { 'idempotency-key': 'r' },
        ),
        postJson(
          server.baseUrl,
          '/api/refine',
          { containerId: upload.containerId, selectedStoryTitle: a.body[1].title },
          { 'idempotency-key': 'r' },
        ),
      ]);
      expect(r2.body).toEqual(r1.body);
      expect(server.logs.filter((line) => line.event === 'refinement.started')).toHaveLength(1);
    } finally {
      await server.stop();
    }
  });

  it('stops an analysis that exceeds DATASTORY_ANALYSIS_TIMEOUT_MS with a 504 that says what to do', async () => {
    const server = await startTestServer({ analysisTimeoutMs: 150 });
    try {
      const { body: upload } = await uploadFile(server.baseUrl, devFile('sales_data'));
      const started = Date.now();
      const response = await postJson(server.baseUrl, '/api/analyze', { containerId: upload.containerId });
      expect(response.status).toBe(504);
      expect(response.body.error.code).toBe('analysis_timeout');
      expect(response.body.error.message).toMatch(/DATASTORY_ANALYSIS_TIMEOUT_MS/);
      expect(Date.now() - started).toBeLessThan(5_000);
      // The session survives: a new small upload and the same session still answer.
      expect((await uploadFile(server.baseUrl, { name: 't.csv', content: 'a,b\n1,2\n2,3\n' })).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('answers 503 with Retry-After when a file needs more than DATASTORY_DB_MEMORY_MB, and keeps nothing of it', async () => {
    // Below DuckDB's working minimum (about 48 MB here): every read runs out, as a large file would at 2 GB.
    const server = await startTestServer({ dbMemoryMb: 16 });
    try {
      const form = new FormData();
      form.append('file', new Blob([fs.readFileSync(devFile('sales_data'))], { type: 'text/csv' }), 'sales_data.csv');
      const response = await fetch(`${server.baseUrl}/api/upload`, { method: 'POST', body: form });
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('unavailable');
      expect(body.error.message).toMatch(/not have enough free memory .* Try again in a few minutes/);
      expect(fs.readdirSync(path.join(server.dataDir, 'uploads'))).toEqual([]);
    } finally {
      await server.stop();
    }
  });

  it('serves an earlier session after a restart: stories, narrative and files', async () => {
    const first = await startTestServer();
    const { body: upload } = await uploadFile(first.baseUrl, devFile('gapminder'));
    const stories = (await postJson(first.baseUrl, '/api/analyze', { containerId: upload.containerId })).body;
    const refined = (
      await postJson(first.baseUrl, '/api/refine', {
        containerId: upload.containerId,
        selectedStoryTitle: stories[2].title,
      })
    ).body;
    await first.stop();

    const second = await startTestServer({}, first.dataDir);
    try {
      const chart = await fetch(`${second.baseUrl}${refined.charts[0].url}`);
      expect(chart.status).toBe(200);
      const described = (await (await fetch(`${second.baseUrl}/api/sessions/${upload.containerId}`)).json()) as any;
      expect(described.rowCount).toBe(upload.rowCount);
      expect(described.columns).toEqual(upload.columns);
      expect(described.stories.map((s: { title: string }) => s.title)).toEqual(
        stories.map((s: { title: string }) => s.title),
      );
      expect(described.refinements).toEqual([refined]);
      expect((await fetch(`${second.baseUrl}/api/sessions/ds_unknownsession`)).status).toBe(404);
      const again = await postJson(second.baseUrl, '/api/refine', {
        containerId: upload.containerId,
        selectedStoryTitle: stories[2].title,
      });
      expect(again.body).toEqual(refined);
      // A story not refined before needs the data: the session reloads it from the kept original.
      const other = await postJson(second.baseUrl, '/api/refine', {
        containerId: upload.containerId,
        selectedStoryTitle: stories[0].title,
      });
      expect(other.status).toBe(200);
      expect(
        second.logs.some((line) => line.event === 'container.recovered' && line.sessionId === upload.containerId),
      ).toBe(true);
      const reanalyzed = await postJson(second.baseUrl, '/api/analyze', { containerId: upload.containerId });
      expect(reanalyzed.body.map((s: { title: string }) => s.title)).toEqual(
        stories.map((s: { title: string }) => s.title),
      );
    } finally {
      await second.stop();
    }
  });
});
