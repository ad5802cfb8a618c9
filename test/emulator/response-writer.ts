import { randomBytes } from 'node:crypto';

/** Ids shaped like OpenAI's: `resp_`/`ci_`/`msg_` + 48 hex digits. */
export const openaiId = (prefix: string) => `${prefix}_${randomBytes(24).toString('hex')}`;

const seconds = (ms: number) => Math.floor(ms / 1000);
const tokens = (text: string) => Math.ceil(text.length / 4);

export interface ContainerFileCitation {
  type: 'container_file_citation';
  container_id: string;
  file_id: string;
  filename: string;
  start_index: number;
  end_index: number;
}

type Item = Record<string, unknown> & { id: string; type: string };

/** Splits text into stream-sized pieces, as the real API sends a few tokens per delta. */
function chunks(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

/**
 * Builds one Response the way the Responses API does, and emits its stream events in the documented
 * order (wire notes §4.3): created, in_progress, per code call (added, in_progress, code deltas, code
 * done, interpreting, completed, item done), per message (added, part added, text deltas, annotations,
 * text done, part done, item done), completed. `emit` is a no-op for JSON (non-streaming) requests.
 */
export class ResponseWriter {
  readonly id = openaiId('resp');
  private readonly output: Item[] = [];
  private sequence = 0;
  private outputText = '';
  private readonly createdAt: number;

  constructor(
    private readonly request: Record<string, unknown>,
    private readonly emit: (event: Record<string, unknown>) => void,
    private readonly now: () => number,
    private readonly includeOutputs: boolean,
  ) {
    this.createdAt = now();
  }

  private send(type: string, payload: Record<string, unknown>) {
    this.emit({ type, ...payload, sequence_number: this.sequence++ });
  }

  /** The Response object: in progress (for lifecycle events) or final. */
  snapshot(status: 'in_progress' | 'completed' | 'failed', output: Item[] = []): Record<string, unknown> {
    const request = this.request;
    const inputText = `${request.instructions ?? ''}${typeof request.input === 'string' ? request.input : JSON.stringify(request.input ?? '')}`;
    const completed = status === 'completed';
    return {
      id: this.id,
      object: 'response',
      created_at: seconds(this.createdAt),
      status,
      background: false,
      completed_at: completed ? seconds(this.now()) : null,
      error: null,
      incomplete_details: null,
      instructions: request.instructions ?? null,
      max_output_tokens: request.max_output_tokens ?? null,
      max_tool_calls: request.max_tool_calls ?? null,
      model: request.model === 'gpt-4o' ? 'gpt-4o-2024-08-06' : request.model,
      output,
      parallel_tool_calls: request.parallel_tool_calls ?? true,
      previous_response_id: request.previous_response_id ?? null,
      reasoning: { effort: null, summary: null },
      service_tier: 'default',
      store: request.store ?? true,
      temperature: request.temperature ?? 1,
      text: request.text ?? { format: { type: 'text' }, verbosity: 'medium' },
      tool_choice: request.tool_choice ?? 'auto',
      tools: request.tools ?? [],
      top_p: request.top_p ?? 1,
      truncation: 'disabled',
      usage: completed
        ? {
            input_tokens: tokens(inputText),
            input_tokens_details: { cached_tokens: 0 },
            output_tokens: tokens(this.outputText),
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: tokens(inputText) + tokens(this.outputText),
          }
        : null,
      user: null,
      metadata: request.metadata ?? {},
    };
  }

  start() {
    this.send('response.created', { response: this.snapshot('in_progress') });
    this.send('response.in_progress', { response: this.snapshot('in_progress') });
  }

  /** One code_interpreter_call: streams the code, runs it (`run` returns the logs), then reports the item. */
  async codeCall(containerId: string, code: string, run: () => Promise<string>): Promise<string> {
    const id = openaiId('ci');
    const outputIndex = this.output.length;
    const item: Item = {
      id,
      type: 'code_interpreter_call',
      status: 'in_progress',
      code: '',
      container_id: containerId,
      outputs: null,
    };
    this.output.push(item);
    this.outputText += code;
    this.send('response.output_item.added', { output_index: outputIndex, item: { ...item } });
    this.send('response.code_interpreter_call.in_progress', { output_index: outputIndex, item_id: id });
    for (const delta of chunks(code, 48))
      this.send('response.code_interpreter_call_code.delta', { output_index: outputIndex, item_id: id, delta });
    this.send('response.code_interpreter_call_code.done', { output_index: outputIndex, item_id: id, code });
    this.send('response.code_interpreter_call.interpreting', { output_index: outputIndex, item_id: id });
    const logs = await run();
    this.send('response.code_interpreter_call.completed', { output_index: outputIndex, item_id: id });
    Object.assign(item, {
      status: 'completed',
      code,
      outputs: this.includeOutputs ? (logs ? [{ type: 'logs', logs }] : []) : null,
    });
    this.send('response.output_item.done', { output_index: outputIndex, item: { ...item } });
    return logs;
  }

  /** One assistant message with its annotations (file citations). */
  message(text: string, annotations: ContainerFileCitation[]) {
    const id = openaiId('msg');
    const outputIndex = this.output.length;
    const item: Item = { id, type: 'message', status: 'in_progress', content: [], role: 'assistant' };
    this.output.push(item);
    this.outputText += text;
    this.send('response.output_item.added', { output_index: outputIndex, item: { ...item, content: [] } });
    const emptyPart = { type: 'output_text', annotations: [], logprobs: [], text: '' };
    this.send('response.content_part.added', {
      item_id: id,
      output_index: outputIndex,
      content_index: 0,
      part: emptyPart,
    });
    for (const delta of chunks(text, 24))
      this.send('response.output_text.delta', {
        item_id: id,
        output_index: outputIndex,
        content_index: 0,
        delta,
        logprobs: [],
      });
    for (const [index, annotation] of annotations.entries())
      this.send('response.output_text.annotation.added', {
        item_id: id,
        output_index: outputIndex,
        content_index: 0,
        annotation_index: index,
        annotation,
      });
    const part = { type: 'output_text', annotations, logprobs: [], text };
    this.send('response.output_text.done', {
      item_id: id,
      output_index: outputIndex,
      content_index: 0,
      text,
      logprobs: [],
    });
    this.send('response.content_part.done', { item_id: id, output_index: outputIndex, content_index: 0, part });
    Object.assign(item, { status: 'completed', content: [part] });
    this.send('response.output_item.done', { output_index: outputIndex, item: { ...item } });
  }

  complete(): Record<string, unknown> {
    const response = this.snapshot(
      'completed',
      this.output.map((item) => ({ ...item })),
    );
    this.send('response.completed', { response });
    return response;
  }
}
