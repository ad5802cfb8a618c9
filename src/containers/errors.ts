import { AppError } from '../errors.ts';

/** The container idled past its TTL and was destroyed (kernel and files). Recover by creating a new one. */
export class ContainerExpired extends Error {
  override readonly name = 'ContainerExpired';
  constructor(readonly containerId: string) {
    super(`Container ${containerId} expired after its idle time; its files and variables are gone. Create a new one.`);
  }
}

/** No such container: never created here, or deleted. */
export class ContainerNotFound extends Error {
  override readonly name = 'ContainerNotFound';
  constructor(readonly containerId: string) {
    super(`Container ${containerId} does not exist (never created on this server, or deleted).`);
  }
}

/** No such file in the container (or the path points outside `/mnt/data`). */
export class ContainerFileNotFound extends AppError {
  constructor(
    readonly containerId: string,
    readonly fileIdOrPath: string,
  ) {
    super('file_not_found', `No file ${fileIdOrPath} in container ${containerId}.`);
    this.name = 'ContainerFileNotFound';
  }
}

/**
 * The sandbox cannot be set up on this machine, so code execution is disabled (never run unsandboxed).
 * `problems` says what is missing and how to fix it, e.g. "bubblewrap is not installed: apt-get install bubblewrap".
 */
export class SandboxUnavailable extends AppError {
  constructor(readonly problems: string[]) {
    super('unavailable', `Code execution is disabled: ${problems.join('; ')}. Run \`datastory doctor\` for details.`);
    this.name = 'SandboxUnavailable';
  }
}
