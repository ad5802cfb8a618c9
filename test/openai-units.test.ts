import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { APIConnectionTimeoutError, BadRequestError, InternalServerError, NotFoundError, RateLimitError } from 'openai';
import { describe, expect, it } from 'vitest';
import { findDeliverables, rewriteLinks } from '../src/analysts/openai/deliverables.ts';
import { groundingFor } from '../src/analysts/openai/grounding.ts';
import { parseStories } from '../src/analysts/openai/stories.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/duckdb.ts';
import { isAppError } from '../src/errors.ts';
import { readCsv } from '../src/ingest/index.ts';
import { classifyUpstream } from '../src/openai/errors.ts';
import { CircuitBreaker } from '../src/resilience/index.ts';

const story = (title: string) => ({
  title,
  summary: 'Revenue rose 12% in 2024. The West led.',
  kind: 'trend',
  chartTypes: ['line'],
  columns: ['date', 'revenue'],
  strength: 'strong',
  keyNumbers: [{ label: 'growth', value: '12%' }],
  factIds: [],
});
const three = { stories: [story('One story'), story('Two story'), story('Three story')] };

describe("reading the model's stories", () => {
  it('reads strict JSON, fenced JSON and JSON with prose around it', () => {
    expect(parseStories(JSON.stringify(three))).toHaveLength(3);
    expect(parseStories(`Here you go:\n\`\`\`json\n${JSON.stringify(three, null, 2)}\n\`\`\`\nEnjoy!`)).toHaveLength(3);
    expect(parseStories(`The stories: ${JSON.stringify(three)} — pick one.`)).toHaveLength(3);
    expect(parseStories(JSON.stringify(three.stories))[2]!.title).toBe('Three story');
  });

  it('tolerates harmless mistakes and refuses unusable answers with a clear error', () => {
    const sloppy = { stories: three.stories.map((s) => ({ ...s, kind: 42, chartTypes: undefined, strength: 'huge' })) };
    const parsed = parseStories(JSON.stringify(sloppy));
    expect(parsed[0]).toMatchObject({ kind: 'overview', chartTypes: [], strength: 'moderate' });
    for (const text of [
      'Revenue looks interesting!',
      '{"stories": [{"title": "x"}]}',
      '```json\n{"stories": [\n```',
      '',
    ]) {
      let caught: unknown;
      try {
        parseStories(text);
      } catch (error) {
        caught = error;
      }
      expect(isAppError(caught) && caught.code === 'upstream_error').toBe(true);
    }
  });
});

/** The prompt text the engine hands the model for a CSV of these lines. */
async function groundingText(lines: string[]): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'grounding-')), 'data.csv');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  const db = await openDatabase();
  try {
    const reading = await readCsv(db.connection, file, { tableName: 'data' });
    const workspace = { id: 'w', sessionId: 's', db, table: 'data', reading, lastUsedAt: 0, memo: new Map() };
    const context = { workspace, onProgress: () => undefined, signal: new AbortController().signal };
    return (await groundingFor(context as never, 500_000)).text;
  } finally {
    db.close();
  }
}

describe("the engine's grounding for the model", () => {
  it('says which column is a count to date and how the derived "new …" measure is computed from the file', async () => {
    const lines = ['date,country,confirmed'];
    const toDate: Record<string, number> = {};
    for (let day = 0; day < 40; day++)
      for (const [country, size] of [
        ['Chile', 5],
        ['Peru', 9],
      ] as const) {
        toDate[country] = (toDate[country] ?? 0) + size * (1 + (day % 4));
        lines.push(`${new Date(Date.UTC(2021, 0, 1 + day)).toISOString().slice(0, 10)},${country},${toDate[country]}`);
      }
    const text = await groundingText(lines);
    expect(text).toContain('Time column: date, one value per day,');
    expect(text).toContain(
      'confirmed is a count to date (it never goes down within each country): never sum it over time. "new confirmed" below is its step from the previous date of the same country, not a column of the file',
    );
  });

  it('says how each measure that is not a column is computed from the file', async () => {
    const lines = ['date,channel,clicks,conversions,spend'];
    for (let day = 0; day < 30; day++)
      for (const [channel, clicks] of [
        ['Email', 40],
        ['Search', 300],
      ] as const)
        lines.push(
          `2024-05-${String(day + 1).padStart(2, '0')},${channel},${clicks + day},${2 + (day % 5)},${(clicks * 0.8 + day).toFixed(2)}`,
        );
    const text = await groundingText(lines);
    expect(text).toContain('Derived measures (not columns of the file; compute them like this):');
    expect(text).toContain(
      '- "spend per conversion": sum(spend) / sum(conversions), over the rows with conversions above zero',
    );
    expect(text).toContain('- "conversion rate": sum(conversions) / sum(clicks)');
  });
});

describe('the circuit breaker', () => {
  it('opens after the threshold, refuses at once, half-opens after the cool-down and closes on success', async () => {
    let now = 0;
    const states: string[] = [];
    const breaker = new CircuitBreaker({
      name: 'Upstream',
      failureThreshold: 2,
      cooldownMs: 1000,
      now: () => now,
      onStateChange: (s) => states.push(s),
    });
    const fail = () =>
      breaker.run(
        () => Promise.reject(new Error('down')),
        () => true,
      );
    await expect(fail()).rejects.toThrow('down');
    expect(breaker.state).toBe('closed');
    await expect(fail()).rejects.toThrow('down');
    expect(breaker.state).toBe('open');
    await expect(
      breaker.run(
        () => Promise.resolve(1),
        () => true,
      ),
    ).rejects.toMatchObject({ code: 'unavailable', retryAfterSeconds: 1 });
    now = 1000;
    expect(breaker.state).toBe('half_open');
    await expect(fail()).rejects.toThrow('down');
    expect(breaker.state).toBe('open');
    now = 2000;
    expect(
      await breaker.run(
        () => Promise.resolve(7),
        () => true,
      ),
    ).toBe(7);
    expect(states).toEqual(['open', 'half_open', 'open', 'half_open', 'closed']);
  });

  it('does not count errors that are not outages', async () => {
    const breaker = new CircuitBreaker({ name: 'Upstream', failureThreshold: 1, cooldownMs: 1000 });
    await expect(
      breaker.run(
        () => Promise.reject(new Error('bad request')),
        () => false,
      ),
    ).rejects.toThrow();
    expect(breaker.state).toBe('closed');
  });
});

describe('classifying upstream errors', () => {
  const headers = (entries: Record<string, string> = {}) => new Headers(entries);
  const body = (message: string) => ({ message, type: 'invalid_request_error', param: null, code: null });

  it('recognises expiry: 400 "Container is expired." and 404 on a container-scoped call', () => {
    expect(classifyUpstream(new BadRequestError(400, body('Container is expired.'), undefined, headers()))).toEqual({
      kind: 'container_expired',
    });
    expect(classifyUpstream(new NotFoundError(404, body('Not found'), undefined, headers()), true)).toEqual({
      kind: 'container_expired',
    });
    expect(
      classifyUpstream(
        new NotFoundError(404, body('File cfile_1 not found on container cntr_1.'), undefined, headers()),
        true,
      ),
    ).toEqual({ kind: 'rejected', status: 404 });
    expect(classifyUpstream(new BadRequestError(400, body('Invalid value'), undefined, headers()))).toEqual({
      kind: 'rejected',
      status: 400,
    });
  });

  it('reads retry-after and tells outages from timeouts', () => {
    expect(
      classifyUpstream(new RateLimitError(429, body('slow down'), undefined, headers({ 'retry-after': '12' }))),
    ).toEqual({ kind: 'rate_limited', retryAfterSeconds: 12 });
    expect(
      classifyUpstream(new RateLimitError(429, body('slow down'), undefined, headers({ 'retry-after-ms': '1500' }))),
    ).toEqual({ kind: 'rate_limited', retryAfterSeconds: 1.5 });
    expect(classifyUpstream(new InternalServerError(502, body('bad gateway'), undefined, headers()))).toEqual({
      kind: 'server_error',
      status: 502,
    });
    expect(classifyUpstream(new APIConnectionTimeoutError())).toEqual({ kind: 'timeout' });
    expect(classifyUpstream(new Error('other'))).toBeNull();
  });
});

describe("the model's files and links", () => {
  const file = (id: string, path: string, source = 'assistant') => ({ id, path, bytes: 10, source, createdAt: 0 });
  const files = [
    file('cfile_csv', '/mnt/data/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-sales.csv', 'user'),
    file('cfile_1', '/mnt/data/revenue.png'),
    file('cfile_2', '/mnt/data/monthly.png'),
    file('cfile_3', '/mnt/data/west_rows.csv'),
    file('cfile_4', '/mnt/data/scratch.png'),
  ];
  const text =
    '# T\n\n![Revenue by region](sandbox:/mnt/data/revenue.png)\n\nSee [the rows](sandbox:/mnt/data/west_rows.csv) and [old](sandbox:/mnt/data/gone.png).';
  const turn = {
    responseId: 'resp_1',
    finalText: text,
    cells: [{ id: 'ci_1', code: "fig.savefig('/mnt/data/monthly.png')", logs: '' }],
    citations: [{ fileId: 'cfile_2', containerId: 'cntr_1', filename: 'cfile_2.png' }],
    usage: null,
    status: 'completed',
  };

  it('finds charts and the dataset from links, citations and code, never the upload', () => {
    const { kept, warnings } = findDeliverables([turn], files, text);
    expect(kept.map((k) => [k.file.id, k.kind, k.title])).toEqual([
      ['cfile_1', 'chart', 'Revenue by region'],
      ['cfile_3', 'dataset', 'the rows'],
      ['cfile_2', 'chart', 'Monthly'],
    ]);
    expect(warnings).toEqual([]);
  });

  it('rewrites sandbox links to placeholders the service resolves, and drops dead ones', () => {
    const { kept } = findDeliverables([turn], files, text);
    expect(rewriteLinks(text, kept)).toBe(
      '# T\n\n![Revenue by region](datastory-file:chart-1)\n\nSee [the rows](datastory-file:dataset) and old.',
    );
  });
});

describe('settings of the openai analyst', () => {
  it('refuses DATASTORY_ANALYST=openai without a key, naming the variable', () => {
    expect(() => loadConfig({ DATASTORY_ANALYST: 'openai' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATASTORY_ANALYST: 'openai' })).toThrow(/OPENAI_API_KEY/);
    expect(() =>
      loadConfig({ DATASTORY_ANALYST: 'openai', OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'not a url' }),
    ).toThrow(/OPENAI_BASE_URL/);
    expect(() => loadConfig({ DATASTORY_BREAKER_FAILURES: '0' })).toThrow(/DATASTORY_BREAKER_FAILURES/);
  });

  it('defaults to gpt-4o and builtin', () => {
    const config = loadConfig({});
    expect(config.analyst).toBe('builtin');
    expect(config.openai.model).toBe('gpt-4o');
    const openai = loadConfig({
      DATASTORY_ANALYST: 'openai',
      OPENAI_API_KEY: 'k',
      OPENAI_BASE_URL: 'http://127.0.0.1:8788/v1',
    });
    expect(openai.openai).toMatchObject({ apiKey: 'k', baseUrl: 'http://127.0.0.1:8788/v1', containerMemory: '1g' });
    expect(openai.breaker).toEqual({ failureThreshold: 5, cooldownMs: 120_000 });
  });
});
