/** What a scripted "model" sees and can do during one Responses call. */
export interface ModelTurn {
  /** The request body as sent (model, instructions, input, text.format, previous_response_id, …). */
  request: Record<string, unknown>;
  /** What the model reads: the instructions, then the input as text. */
  prompt: string;
  /** The earlier response this one continues (`previous_response_id`), with its output items. */
  previous: Record<string, unknown> | null;
  /** Whether the request asked for structured output (`text.format.type === "json_schema"`). */
  structured: boolean;
  containerId: string;
  /**
   * Runs a code cell for real in the container (the local sandbox) and returns what the model would
   * read back: stdout, the last expression, or the traceback.
   */
  python(code: string): Promise<CellOutput>;
  /**
   * An assistant message. Files this response created are cited (`container_file_citation`), the ones
   * the text links to, or all of them when it links to none.
   */
  say(text: string): void;
}

export interface CellOutput {
  logs: string;
  stdout: string;
  failed: boolean;
  /** Paths under /mnt/data this cell created or changed. */
  files: string[];
}

/** A scripted session: code to run, reactions to its output, a final message. Answers as fast as the code runs. */
export type ScriptedModel = (turn: ModelTurn) => Promise<void>;
