import OpenAI, { BadRequestError, NotFoundError, RateLimitError, toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './emulator/emulator.ts';
import type { ScriptedModel } from './emulator/model.ts';

/** A tiny scripted session: one failing cell, its fix, a chart, a message that links it. */
const model: ScriptedModel = async (turn) => {
  const path = /\/mnt\/data\/[0-9a-f]{32}-[\w.-]+/.exec(turn.prompt)?.[0] ?? '';
  const first = await turn.python(
    `import pandas as pd\ndf = pd.read_csv(${JSON.stringify(path)})\ndf['Missing'].sum()`,
  );
  if (first.failed) await turn.python('df["x"].sum()');
  await turn.python(
    "import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot(df['x'])\nfig.savefig('/mnt/data/x.png')",
  );
  turn.say('The total is 6. ![x](sandbox:/mnt/data/x.png)');
};

describe('the OpenAI emulator speaks the wire format the official SDK expects', () => {
  let emulator: Emulator;
  let clock = Date.UTC(2026, 0, 1);
  let client: OpenAI;
  beforeAll(async () => {
    emulator = await startEmulator({ model, now: () => clock });
    client = new OpenAI({ apiKey: 'sk-test', baseURL: emulator.baseUrl, maxRetries: 0 });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  async function containerWithCsv() {
    const container = await client.containers.create({
      name: 'test',
      expires_after: { anchor: 'last_active_at', minutes: 20 },
    });
    const file = await client.containers.files.create(container.id, {
      file: await toFile(Buffer.from('x,y\n1,a\n2,b\n3,c\n'), 'data.csv', { type: 'text/csv' }),
    });
    return { container, file };
  }

  it('creates, retrieves, lists and deletes containers and files', async () => {
    const { container, file } = await containerWithCsv();
    expect(container).toMatchObject({
      object: 'container',
      status: 'running',
      expires_after: { anchor: 'last_active_at', minutes: 20 },
    });
    expect(file).toMatchObject({ object: 'container.file', source: 'user', container_id: container.id });
    expect(file.path).toMatch(/^\/mnt\/data\/[0-9a-f]{32}-data\.csv$/);
    expect((await client.containers.retrieve(container.id)).id).toBe(container.id);
    const ids = [];
    for await (const item of client.containers.list({ limit: 1 })) ids.push(item.id);
    expect(ids).toContain(container.id);
    const files = [];
    for await (const item of client.containers.files.list(container.id)) files.push(item);
    expect(files.map((f) => f.id)).toEqual([file.id]);
    const content = await client.containers.files.content.retrieve(file.id, { container_id: container.id });
    expect(await content.text()).toBe('x,y\n1,a\n2,b\n3,c\n');
    await expect(
      client.containers.files.content.retrieve('cfile_nope', { container_id: container.id }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await client.containers.files.delete(file.id, { container_id: container.id });
    await client.containers.delete(container.id);
    await expect(client.containers.retrieve(container.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('rejects an anchor the API does not know', async () => {
    await expect(
      client.containers.create({
        name: 'x',
        expires_after: { anchor: 'last_activity' as 'last_active_at', minutes: 20 },
      }),
    ).rejects.toMatchObject({ status: 400, param: 'expires_after.anchor' });
  });

  it('expires idle containers: metadata stays, Responses answer 400 "Container is expired."', async () => {
    const { container } = await containerWithCsv();
    clock += 19 * 60_000;
    expect((await client.containers.retrieve(container.id)).status).toBe('running'); // and that touched it
    clock += 19 * 60_000;
    expect((await client.containers.retrieve(container.id)).status).toBe('running');
    clock += 21 * 60_000;
    expect((await client.containers.retrieve(container.id)).status).toBe('expired');
    const error = await client.responses
      .create({ model: 'gpt-4o', input: 'hi', tools: [{ type: 'code_interpreter', container: container.id }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).error).toEqual({
      message: 'Container is expired.',
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
  });

  it('runs the code for real and returns outputs only when asked to include them', async () => {
    const { container, file } = await containerWithCsv();
    const tools = [{ type: 'code_interpreter' as const, container: container.id }];
    const plain = await client.responses.create({ model: 'gpt-4o', input: `Use ${file.path}`, tools });
    expect(plain.object).toBe('response');
    const calls = plain.output.filter((item) => item.type === 'code_interpreter_call');
    expect(calls).toHaveLength(3);
    expect(calls.every((call) => call.outputs === null)).toBe(true);
    expect(plain.output_text).toContain('The total is 6.');

    const withLogs = await client.responses.create({
      model: 'gpt-4o',
      input: `Use ${file.path}`,
      tools,
      include: ['code_interpreter_call.outputs'],
    });
    const logs = withLogs.output.flatMap((item) => (item.type === 'code_interpreter_call' ? (item.outputs ?? []) : []));
    expect(logs[0]).toMatchObject({ type: 'logs', logs: expect.stringContaining("KeyError: 'Missing'") });
    expect(logs[1]).toMatchObject({ type: 'logs', logs: '6' });
    const message = withLogs.output.find((item) => item.type === 'message');
    const annotation =
      message?.type === 'message' && message.content[0]?.type === 'output_text'
        ? message.content[0].annotations[0]
        : undefined;
    expect(annotation).toMatchObject({
      type: 'container_file_citation',
      container_id: container.id,
      file_id: expect.stringMatching(/^cfile_/),
    });
    const png = await client.containers.files.content.retrieve((annotation as { file_id: string }).file_id, {
      container_id: container.id,
    });
    expect([...new Uint8Array(await png.arrayBuffer()).slice(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
  });

  it('streams events in the documented order through responses.stream()', async () => {
    const { container, file } = await containerWithCsv();
    const stream = client.responses.stream({
      model: 'gpt-4o',
      input: `Use ${file.path}`,
      tools: [{ type: 'code_interpreter', container: container.id }],
      include: ['code_interpreter_call.outputs'],
    });
    const types: string[] = [];
    let sequence = -1;
    for await (const event of stream) {
      types.push(event.type);
      expect(event.sequence_number).toBe(sequence + 1);
      sequence = event.sequence_number;
    }
    const final = await stream.finalResponse();
    expect(final.status).toBe('completed');
    expect(types.slice(0, 5)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.code_interpreter_call.in_progress',
      'response.code_interpreter_call_code.delta',
    ]);
    const afterCode = types.slice(types.indexOf('response.code_interpreter_call_code.done'));
    expect(afterCode.slice(0, 4)).toEqual([
      'response.code_interpreter_call_code.done',
      'response.code_interpreter_call.interpreting',
      'response.code_interpreter_call.completed',
      'response.output_item.done',
    ]);
    const messageStart = types.lastIndexOf('response.content_part.added');
    expect(types.slice(messageStart - 1, messageStart + 1)).toEqual([
      'response.output_item.added',
      'response.content_part.added',
    ]);
    expect(types.slice(-5)).toEqual([
      'response.output_text.annotation.added',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
  });

  it('injects 429 with retry-after and 5xx as the SDK sees them', async () => {
    emulator.faults.add({ kind: 'rate_limit', retryAfterSeconds: 7 });
    const limited = await client.responses.create({ model: 'gpt-4o', input: 'hi' }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).headers?.get('retry-after')).toBe('7');
    emulator.faults.add({ kind: 'server_error', status: 503 });
    await expect(client.responses.create({ model: 'gpt-4o', input: 'hi' })).rejects.toMatchObject({ status: 503 });
    // The SDK's own retry honours retry-after (0 here), so a retrying client gets through.
    emulator.faults.add({ kind: 'rate_limit', retryAfterSeconds: 0 });
    const retrying = new OpenAI({ apiKey: 'sk-test', baseURL: emulator.baseUrl, maxRetries: 1 });
    const { container, file } = await containerWithCsv();
    const answer = await retrying.responses.create({
      model: 'gpt-4o',
      input: `Use ${file.path}`,
      tools: [{ type: 'code_interpreter', container: container.id }],
    });
    expect(answer.status).toBe('completed');
  });
});
