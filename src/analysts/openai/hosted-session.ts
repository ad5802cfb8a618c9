import type { Logger } from 'pino';
import type { CallOptions, HostedContainers } from '../../openai/hosted-containers.ts';
import type { AnalysisContext } from '../types.ts';

/** What we keep per session (in the analyst state): the hosted container and where the CSV is in it. */
export interface HostedState {
  containerId: string;
  fileId: string;
  /** The hash-prefixed path the upload returned, e.g. `/mnt/data/88e1…-sales.csv`. */
  filePath: string;
  createdAt: number;
}

const stateKey = 'openai.container';

/**
 * The session's hosted container: created and filled with the original upload on first use, replaced
 * (new container, upload again) when it expired. The public containerId of the session never changes.
 */
export class HostedSession {
  constructor(
    private readonly containers: HostedContainers,
    private readonly context: AnalysisContext,
    private readonly call: () => CallOptions,
    private readonly now: () => number,
    /** Runs an upstream call through the circuit breaker. */
    private readonly guard: <T>(call: () => Promise<T>) => Promise<T>,
  ) {}

  async current(): Promise<HostedState> {
    const known = await this.context.state.get<HostedState>(stateKey);
    return known ?? this.open(null);
  }

  /** After an expiry: a new container with the original file, logged with both ids. */
  async replace(expired: HostedState): Promise<HostedState> {
    this.context.log.warn(
      { event: 'container.expired', openaiContainerId: expired.containerId },
      'hosted container expired; creating a new one',
    );
    this.context.onProgress('the hosted container expired; starting a new one');
    return this.open(expired);
  }

  logFor(state: HostedState): Logger {
    return this.context.log.child({ openaiContainerId: state.containerId });
  }

  private async open(previous: HostedState | null): Promise<HostedState> {
    const { session, log } = this.context;
    const started = this.now();
    this.context.onProgress('creating a hosted container and uploading the file');
    const container = await this.guard(() => this.containers.create(`datastory-${session.id}`, this.call()));
    const file = await this.guard(() =>
      this.containers.upload(container.id, session.originalPath, session.fileName, this.call()),
    );
    const state: HostedState = {
      containerId: container.id,
      fileId: file.id,
      filePath: file.path,
      createdAt: this.now(),
    };
    await this.context.state.set(stateKey, state);
    log.info(
      {
        event: previous ? 'container.recovered' : 'container.created',
        openaiContainerId: container.id,
        ...(previous ? { previousOpenaiContainerId: previous.containerId } : {}),
        filePath: file.path,
        bytes: file.bytes,
        elapsedMs: this.now() - started,
      },
      previous ? 'hosted container replaced and file uploaded again' : 'hosted container created and file uploaded',
    );
    if (previous) void this.containers.delete(previous.containerId, this.call());
    return state;
  }
}
