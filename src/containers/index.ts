export { ContainerExpired, ContainerFileNotFound, ContainerNotFound, SandboxUnavailable } from './errors.ts';
export {
  createLocalContainerService,
  LocalContainerService,
  type LocalContainerServiceOptions,
} from './local/local-container-service.ts';
export type {
  ContainerFile,
  ContainerInfo,
  ContainerService,
  ExecOptions,
  Execution,
  ExecutionError,
} from './types.ts';
