import { afterEach, describe, expect, it } from 'vitest';
import { createDatastoryModel } from './emulator/fixtures/datastory-analyst.ts';
import { devFile } from './helpers/dev-data.ts';
import { type OpenAIStack, startOpenAIStack } from './helpers/openai.ts';
import { postJson, uploadFile } from './helpers/server.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the openai analyst when the upstream misbehaves', () => {
  let stack: OpenAIStack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  it('answers 504 within the analysis budget when the model hangs', async () => {
    stack = await startOpenAIStack({ analysisTimeoutMs: 2500 });
    const { baseUrl } = stack.server;
    const { body: upload } = await uploadFile(baseUrl, devFile('penguins'));
    stack.emulator.faults.add({ kind: 'hang', times: 5 });
    const started = Date.now();
    const response = await postJson(baseUrl, '/api/analyze', { containerId: upload.containerId });
    const elapsed = Date.now() - started;
    expect(response.status).toBe(504);
    expect(response.body.error.code).toBe('analysis_timeout');
    expect(elapsed).toBeLessThan(2500 + 2000);
    // The hung call was not retried: the budget was spent (one of the five hangs used).
    expect(stack.emulator.faults.list()).toEqual([{ kind: 'hang', times: 4 }]);
  });

  it('opens the circuit after repeated failures, answers 503 at once, and closes after the cool-down', async () => {
    stack = await startOpenAIStack({ breaker: { failureThreshold: 2, cooldownMs: 1500 } });
    const { baseUrl } = stack.server;
    const { body: upload } = await uploadFile(baseUrl, devFile('penguins'));
    const containerId = upload.containerId;
    // Warm the session (container + grounding) so the failures below are the Responses API's.
    const warm = await postJson(baseUrl, '/api/analyze', { containerId });
    expect(warm.status).toBe(200);
    stack.emulator.faults.add({ kind: 'server_error', status: 500, times: 100 });
    const failed = await postJson(baseUrl, '/api/analyze', { containerId, steeringPrompt: 'one' });
    expect(failed.status).toBe(502);
    expect(failed.body.error.code).toBe('upstream_error');
    const calls = () => stack!.emulator.requests.filter((r) => r.path === '/v1/responses').length;
    const callsWhenOpen = calls();

    const started = Date.now();
    const response = await fetch(`${baseUrl}/api/analyze`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ containerId, steeringPrompt: 'two' }),
    });
    expect(response.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unavailable');
    expect(body.error.message).toMatch(/[Tt]ry again in a few minutes/);
    const refine = await postJson(baseUrl, '/api/refine', { containerId, selectedStoryTitle: warm.body[0].title });
    expect(refine.status).toBe(503);
    expect(calls()).toBe(callsWhenOpen);

    stack.emulator.faults.clear();
    await sleep(1600);
    const recovered = await postJson(baseUrl, '/api/analyze', { containerId, steeringPrompt: 'three' });
    expect(recovered.status).toBe(200);
    // The trial that closed the circuit was a real Responses call.
    expect(calls()).toBe(callsWhenOpen + 1);
    const events = stack.server.logs.map((l) => l.event);
    expect(events).toContain('breaker.open');
    expect(events).toContain('breaker.half_open');
    expect(events).toContain('breaker.closed');
  });

  it('waits as retry-after asks when rate-limited, once', async () => {
    stack = await startOpenAIStack();
    const { baseUrl } = stack.server;
    const { body: upload } = await uploadFile(baseUrl, devFile('penguins'));
    stack.emulator.faults.add({ kind: 'rate_limit', retryAfterSeconds: 1 });
    const started = Date.now();
    const response = await postJson(baseUrl, '/api/analyze', { containerId: upload.containerId });
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(
      stack.server.logs.some((l) => l.event === 'analysis.retry' && String(l.reason).includes('retry-after')),
    ).toBe(true);
  });

  it('answers 429 with Retry-After when the wait would not fit the budget', async () => {
    stack = await startOpenAIStack();
    const { baseUrl } = stack.server;
    const { body: upload } = await uploadFile(baseUrl, devFile('penguins'));
    stack.emulator.faults.add({ kind: 'rate_limit', retryAfterSeconds: 600 });
    const response = await fetch(`${baseUrl}/api/analyze`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ containerId: upload.containerId }),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('600');
  });

  it('gives a clear error, not a crash, when the model answers malformed or empty output', async () => {
    stack = await startOpenAIStack();
    const { baseUrl } = stack.server;
    const { body: upload } = await uploadFile(baseUrl, devFile('penguins'));
    stack.emulator.faults.add({ kind: 'malformed', times: 2 });
    const malformed = await postJson(baseUrl, '/api/analyze', { containerId: upload.containerId });
    expect(malformed.status).toBe(502);
    expect(malformed.body.error.message).toMatch(/three stories in the expected JSON format/);

    stack.emulator.faults.add({ kind: 'empty', times: 2 });
    const empty = await postJson(baseUrl, '/api/analyze', { containerId: upload.containerId, steeringPrompt: 'again' });
    expect(empty.status).toBe(502);
    expect(empty.body.error.message).toMatch(/empty answer/);

    // One bad answer is retried once and the user never sees it.
    stack.emulator.faults.add({ kind: 'malformed', times: 1 });
    const ok = await postJson(baseUrl, '/api/analyze', { containerId: upload.containerId, steeringPrompt: 'third' });
    expect(ok.status).toBe(200);
    expect(ok.body).toHaveLength(3);
  });

  it('reads bare structured-output JSON too; a clean draft needs no repair round', async () => {
    stack = await startOpenAIStack(
      {},
      { model: createDatastoryModel({ discoveryFormat: 'plain', inventedNumber: null }) },
    );
    const { baseUrl } = stack.server;
    const { body: upload } = await uploadFile(baseUrl, devFile('sales_data'));
    const analyzed = await postJson(baseUrl, '/api/analyze', { containerId: upload.containerId });
    expect(analyzed.status).toBe(200);
    const refined = await postJson(baseUrl, '/api/refine', {
      containerId: upload.containerId,
      selectedStoryTitle: analyzed.body[0].title,
    });
    expect(refined.status).toBe(200);
    expect(refined.body.warnings).toEqual([]);
    expect(stack.server.logs.some((l) => l.event === 'narrative.repair')).toBe(false);
  });

  it('reports numbers that still trace to nothing after the one repair round as warnings', async () => {
    stack = await startOpenAIStack({}, { model: createDatastoryModel({ repairs: false }) });
    const { baseUrl } = stack.server;
    const { body: upload } = await uploadFile(baseUrl, devFile('sales_data'));
    const analyzed = await postJson(baseUrl, '/api/analyze', { containerId: upload.containerId });
    const refined = await postJson(baseUrl, '/api/refine', {
      containerId: upload.containerId,
      selectedStoryTitle: analyzed.body[0].title,
    });
    expect(refined.status).toBe(200);
    expect(refined.body.warnings).toEqual([expect.stringMatching(/could not be traced.*31\.7/)]);
    expect(stack.server.logs.filter((l) => l.event === 'narrative.repair')).toHaveLength(1);
  });
});
