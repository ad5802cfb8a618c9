import type OpenAI from 'openai';
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { AppError } from '../../errors.ts';
import { type CallOptions, requestOptions } from '../../openai/hosted-containers.ts';

/** What one Responses call produced, read from the final response object. */
export interface TurnResult {
  responseId: string;
  /** The last assistant message (earlier ones are commentary between code cells). */
  finalText: string;
  /** Every code cell: its code and the logs it printed (tracebacks included). */
  cells: { id: string; code: string; logs: string }[];
  /** `container_file_citation` annotations, in order. */
  citations: { fileId: string; containerId: string; filename: string }[];
  usage: { inputTokens: number; outputTokens: number; totalTokens: number } | null;
  status: string;
}

export interface TurnRequest {
  model: string;
  containerId: string;
  instructions: string;
  input: string;
  format?: Record<string, unknown>;
  previousResponseId?: string;
}

/** Our progress steps for the Responses API's stream events (code written, code running, files, text). */
function progressOf(event: ResponseStreamEvent, seen: Set<string>): string | null {
  switch (event.type) {
    case 'response.created':
      return 'the model is reading the data description';
    case 'response.output_item.added':
      if (event.item.type === 'code_interpreter_call') return 'the model is writing code';
      if (event.item.type === 'message') return null;
      return null;
    case 'response.code_interpreter_call.interpreting':
      return 'running the code in the container';
    case 'response.output_item.done':
      if (event.item.type === 'code_interpreter_call') {
        const logs = (event.item.outputs ?? []).map((output) => (output.type === 'logs' ? output.logs : '')).join('');
        return /Traceback|Error:/.test(logs) ? 'the code failed; the model is correcting it' : 'the code ran';
      }
      return null;
    case 'response.output_text.annotation.added': {
      const annotation = event.annotation as { type?: string; filename?: string };
      return annotation.type === 'container_file_citation' ? `file produced: ${annotation.filename ?? 'a file'}` : null;
    }
    case 'response.output_text.delta':
      // Once per message: text is arriving.
      if (seen.has(event.item_id)) return null;
      seen.add(event.item_id);
      return 'the model is writing';
    default:
      return null;
  }
}

/** Runs one Responses call with the code interpreter on our container, streaming progress as it goes. */
export async function runTurn(
  client: OpenAI,
  request: TurnRequest,
  call: CallOptions,
  onProgress: (step: string) => void,
): Promise<TurnResult> {
  const stream = client.responses.stream(
    {
      model: request.model,
      instructions: request.instructions,
      input: request.input,
      tools: [{ type: 'code_interpreter', container: request.containerId }],
      tool_choice: 'auto',
      include: ['code_interpreter_call.outputs'],
      ...(request.format ? { text: { format: request.format as never } } : {}),
      ...(request.previousResponseId ? { previous_response_id: request.previousResponseId } : {}),
    },
    requestOptions(call),
  );
  const seen = new Set<string>();
  for await (const event of stream) {
    const step = progressOf(event, seen);
    if (step) onProgress(step);
  }
  const result = readResponse(await stream.finalResponse());
  if (result.status === 'failed' || result.status === 'cancelled')
    throw new AppError('upstream_error', `The model's response ${result.status}. Try again in a minute.`, {
      retryable: true,
    });
  return result;
}

export function readResponse(response: Response): TurnResult {
  const cells: TurnResult['cells'] = [];
  const citations: TurnResult['citations'] = [];
  let finalText = '';
  for (const item of response.output ?? []) {
    if (item.type === 'code_interpreter_call') {
      const logs = (item.outputs ?? []).map((output) => (output.type === 'logs' ? output.logs : '')).join('\n');
      cells.push({ id: item.id, code: item.code ?? '', logs });
    }
    if (item.type === 'message') {
      let text = '';
      for (const part of item.content) {
        if (part.type !== 'output_text') continue;
        text += part.text;
        for (const annotation of part.annotations ?? [])
          if (annotation.type === 'container_file_citation')
            citations.push({
              fileId: annotation.file_id,
              containerId: annotation.container_id,
              filename: annotation.filename,
            });
      }
      if (text.trim()) finalText = text;
    }
  }
  const usage = response.usage
    ? {
        inputTokens: response.usage.input_tokens,
        outputTokens: response.usage.output_tokens,
        totalTokens: response.usage.total_tokens,
      }
    : null;
  return { responseId: response.id, finalText, cells, citations, usage, status: response.status ?? 'completed' };
}
