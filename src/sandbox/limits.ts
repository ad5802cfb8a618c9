/** What one sandboxed process tree may use; every field has its unit in the name. */
export interface SandboxLimits {
  /** RLIMIT_AS of each process (a catchable MemoryError), and the memory cgroup when there is one. */
  memoryBytes: number;
  /** RLIMIT_NPROC on the container's own host uid, and the pids cgroup. */
  maxProcesses: number;
  /** RLIMIT_FSIZE: the largest file it can write. */
  maxFileBytes: number;
  /** Size of the private tmpfs `/tmp` (its pages count as memory, not toward RLIMIT_AS). */
  tmpBytes: number;
  /** RLIMIT_CPU: a budget for the kernel's whole life (cumulative, so per-execution limits are wall-clock). */
  cpuSeconds: number;
  /** RLIMIT_NOFILE. */
  maxOpenFiles: number;
}

export const MiB = 1024 * 1024;

/** Fixed limits that have no setting: generous enough for analysis code, small enough to bound a runaway. */
export const CPU_SECONDS_PER_KERNEL = 3600;
export const MAX_OPEN_FILES = 1024;
/** BLAS/OpenMP threads per kernel: the host has 2 cores, and each thread reserves address space (RLIMIT_AS). */
export const BLAS_THREADS = 2;
