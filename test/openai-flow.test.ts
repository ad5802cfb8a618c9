import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devFile } from './helpers/dev-data.ts';
import { type OpenAIStack, startOpenAIStack } from './helpers/openai.ts';
import { postJson, uploadFile } from './helpers/server.ts';

const pngSignature = [0x89, 0x50, 0x4e, 0x47];

describe('the openai analyst through the HTTP API, against the emulator', () => {
  let stack: OpenAIStack;
  beforeAll(async () => {
    stack = await startOpenAIStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('uploads, analyzes, refines and serves the files the model made', async () => {
    const { baseUrl } = stack.server;
    const upload = await uploadFile(baseUrl, devFile('sales_data'));
    expect(upload.status).toBe(200);
    const containerId = upload.body.containerId as string;

    const analyzed = await postJson(baseUrl, '/api/analyze', { containerId });
    expect(analyzed.status, JSON.stringify(analyzed.body)).toBe(200);
    expect(analyzed.body).toHaveLength(3);
    for (const story of analyzed.body) {
      expect(story.title).toEqual(expect.any(String));
      expect(story.summary).toMatch(/\d/);
      expect(story).not.toHaveProperty('detail');
    }

    const refined = await postJson(baseUrl, '/api/refine', { containerId, selectedStoryTitle: analyzed.body[0].title });
    expect(refined.status, JSON.stringify(refined.body)).toBe(200);
    expect(refined.body.containerId).toBe(containerId);
    expect(refined.body.charts.length).toBeGreaterThanOrEqual(2);
    expect(refined.body.narrative).not.toContain('sandbox:');
    expect(refined.body.narrative).toContain(`/api/files/${containerId}/`);
    expect(refined.body.resultDataset?.rows).toBeGreaterThan(0);
    const chart = await fetch(`${baseUrl}${refined.body.charts[0].url}`);
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toBe('image/png');
    expect([...new Uint8Array(await chart.arrayBuffer()).slice(0, 4)]).toEqual(pngSignature);
    const dataset = await fetch(`${baseUrl}${refined.body.resultDataset.url}`);
    expect(await dataset.text()).toMatch(/^order_id,/);

    // The invented number of the first draft was caught and repaired; what remains traces to the data.
    expect(refined.body.narrative).not.toContain('31.7');
    const logs = stack.server.logs;
    expect(logs.some((l) => l.event === 'narrative.repair')).toBe(true);
    const responses = logs.filter((l) => l.event === 'openai.response.completed');
    expect(responses.length).toBe(3);
    for (const line of responses) {
      expect(line).toMatchObject({
        sessionId: containerId,
        containerId: expect.any(String),
        openaiContainerId: expect.stringMatching(/^cntr_/),
      });
      expect(line.responseId).toMatch(/^resp_/);
      expect(line.usage).toMatchObject({ inputTokens: expect.any(Number), outputTokens: expect.any(Number) });
      expect(line.elapsedMs).toEqual(expect.any(Number));
    }
    // One container for the session, created with the upload's path, asked for code outputs.
    expect(
      logs.filter((l) => l.event === 'container.created' && l.sessionId === containerId && l.openaiContainerId),
    ).toHaveLength(1);
    const calls = stack.emulator.requests.filter((r) => r.path === '/v1/responses');
    expect(calls.every((r) => r.stream)).toBe(true);
    expect(calls[0]!.body).toMatchObject({
      model: 'gpt-4o',
      include: ['code_interpreter_call.outputs'],
      tools: [{ type: 'code_interpreter', container: expect.stringMatching(/^cntr_/) }],
      text: { format: { type: 'json_schema', name: 'story_candidates', strict: true } },
    });
    expect(String(calls[0]!.body?.instructions)).toMatch(/\/mnt\/data\/[0-9a-f]{32}-sales_data\.csv/);
  });

  it('recovers when the hosted container expired between analyze and refine', async () => {
    const { baseUrl } = stack.server;
    const { body: upload } = await uploadFile(baseUrl, devFile('sales_data'));
    const containerId = upload.containerId as string;
    const analyzed = await postJson(baseUrl, '/api/analyze', { containerId });
    expect(analyzed.status).toBe(200);
    const first = stack.server.logs.find(
      (l) => l.event === 'container.created' && l.sessionId === containerId && l.openaiContainerId,
    );
    // The user took 25 minutes to choose: OpenAI discarded the container.
    expect(await stack.emulator.expireAll()).toBeGreaterThan(0);
    const refined = await postJson(baseUrl, '/api/refine', { containerId, selectedStoryTitle: analyzed.body[0].title });
    expect(refined.status, JSON.stringify(refined.body)).toBe(200);
    expect(refined.body.containerId).toBe(containerId);
    expect(refined.body.charts.length).toBeGreaterThanOrEqual(2);
    const expired = stack.server.logs.filter((l) => l.event === 'container.expired' && l.sessionId === containerId);
    const recovered = stack.server.logs.filter((l) => l.event === 'container.recovered' && l.sessionId === containerId);
    expect(expired).toHaveLength(1);
    expect(expired[0]!.openaiContainerId).toBe(first!.openaiContainerId);
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({
      previousOpenaiContainerId: first!.openaiContainerId,
      containerId: expect.any(String),
    });
    expect(recovered[0]!.openaiContainerId).not.toBe(first!.openaiContainerId);
    const rejected = stack.emulator.requests.filter((r) => r.path === '/v1/responses' && r.status === 400);
    expect(rejected.length).toBeGreaterThanOrEqual(1);
  });

  it('recovers when the container expires right before a call (expiry fault)', async () => {
    const { baseUrl } = stack.server;
    const { body: upload } = await uploadFile(baseUrl, devFile('penguins'));
    stack.emulator.faults.add({ kind: 'expire_container' });
    // First call of the session creates the container, then the fault expires it at the Responses call.
    const analyzed = await postJson(baseUrl, '/api/analyze', { containerId: upload.containerId });
    expect(analyzed.status, JSON.stringify(analyzed.body)).toBe(200);
    expect(stack.server.logs.some((l) => l.event === 'container.recovered' && l.sessionId === upload.containerId)).toBe(
      true,
    );
  });

  it('runs duplicate requests with the same Idempotency-Key once', async () => {
    const { baseUrl } = stack.server;
    const { body: upload } = await uploadFile(baseUrl, devFile('sales_data'));
    const before = stack.emulator.requests.filter((r) => r.path === '/v1/responses').length;
    const headers = { 'idempotency-key': 'same-click-twice' };
    const [a, b] = await Promise.all([
      postJson(baseUrl, '/api/analyze', { containerId: upload.containerId }, headers),
      postJson(baseUrl, '/api/analyze', { containerId: upload.containerId }, headers),
    ]);
    expect(a.status).toBe(200);
    expect(b.body).toEqual(a.body);
    const again = await postJson(baseUrl, '/api/analyze', { containerId: upload.containerId }, headers);
    expect(again.body).toEqual(a.body);
    expect(stack.emulator.requests.filter((r) => r.path === '/v1/responses').length - before).toBe(1);

    const refineHeaders = { 'idempotency-key': 'refine-twice' };
    const body = { containerId: upload.containerId, selectedStoryTitle: a.body[0].title };
    const [r1, r2] = await Promise.all([
      postJson(baseUrl, '/api/refine', body, refineHeaders),
      postJson(baseUrl, '/api/refine', body, refineHeaders),
    ]);
    expect(r1.status).toBe(200);
    expect(r2.body).toEqual(r1.body);
    // Deep dive plus the one repair round, not twice.
    expect(stack.emulator.requests.filter((r) => r.path === '/v1/responses').length - before).toBe(3);
  });

  it("streams the model's work as progress events, then the result", async () => {
    const { baseUrl } = stack.server;
    const { body: upload } = await uploadFile(baseUrl, devFile('sales_data'));
    const events = async (route: string, body: unknown) => {
      const response = await fetch(`${baseUrl}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify(body),
      });
      expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
      const text = await response.text();
      return text
        .split('\n\n')
        .filter((frame) => frame.startsWith('event:'))
        .map((frame) => {
          const [eventLine, dataLine] = frame.split('\n');
          return { event: eventLine!.slice('event: '.length), data: JSON.parse(dataLine!.slice('data: '.length)) };
        });
    };
    const analyze = await events('/api/analyze', { containerId: upload.containerId });
    const steps = analyze.filter((e) => e.event === 'progress').map((e) => e.data.step as string);
    expect(steps).toContain('the model is writing code');
    expect(steps).toContain('running the code in the container');
    expect(steps).toContain('the code failed; the model is correcting it');
    expect(steps).toContain('the model is writing');
    const result = analyze.at(-1)!;
    expect(result.event).toBe('result');
    expect(result.data).toHaveLength(3);

    const refine = await events('/api/refine', {
      containerId: upload.containerId,
      selectedStoryTitle: result.data[0].title,
    });
    const refineSteps = refine.filter((e) => e.event === 'progress').map((e) => e.data.step as string);
    expect(refineSteps.some((step) => step.startsWith('file produced: cfile_'))).toBe(true);
    expect(refineSteps).toContain('downloading the charts and files the model made');
    expect(refine.at(-1)!.event).toBe('result');
    expect(refine.at(-1)!.data.charts.length).toBeGreaterThanOrEqual(2);
  });
});
