import fs from 'node:fs';
import { BLAS_THREADS, type SandboxLimits } from './limits.ts';

/** Where the tools live; Debian paths (util-linux for unshare/setpriv/prlimit, mount, coreutils for nice). */
export const tools = {
  unshare: '/usr/bin/unshare',
  mount: '/usr/bin/mount',
  sh: '/bin/sh',
  setpriv: '/usr/bin/setpriv',
  nice: '/usr/bin/nice',
  prlimit: '/usr/bin/prlimit',
  bwrap: '/usr/bin/bwrap',
  python: '/usr/bin/python3',
} as const;

/** Data handed to bwrap on extra file descriptors (`--ro-bind-data FD`), so no host path of ours is visible. */
export interface SandboxFiles {
  /** The program bwrap runs as `/opt/kernel.py`. */
  program: string;
  /** Seccomp BPF bytes, or `null` to run without a filter (the namespaces still hold). */
  seccomp: Buffer | null;
  /** matplotlib's font list, pre-built once, so that each kernel does not rebuild it (0.2 s). */
  fontCache: { fileName: string; json: string } | null;
}

export interface SandboxCommandOptions {
  /** Host uid (and gid) the whole tree runs as: one per container, never 0. */
  uid: number;
  /** Host directory bound read-write at `/mnt/data`; `null` gives an empty tmpfs there. */
  dataDir: string | null;
  limits: SandboxLimits;
  files: SandboxFiles;
  /** `cgroup.procs` files the launcher moves itself into before dropping privileges. */
  cgroupProcs: string[];
}

export interface SandboxCommand {
  file: string;
  args: string[];
  /** Contents of fds 3, 4, …, in order (the `stdio` array after stdin/stdout/stderr). */
  extraFds: (string | Buffer)[];
}

/** Read-only `/etc` entries the Python stack needs (numpy's BLAS goes through alternatives; matplotlib needs its rc). */
const etcBinds = ['/etc/alternatives', '/etc/matplotlibrc', '/etc/ld.so.cache', '/etc/fonts', '/etc/localtime'];

/**
 * Where the launcher, still root, binds the container directory in its own private mount namespace.
 * bwrap runs as the container's uid and must resolve its bind source by path: a data dir under a
 * non-traversable parent (a 0700 temp dir, a checkout in /root) would be out of its reach, even by fd.
 */
const STAGING = '/mnt';

/**
 * The launcher, one process exec'ing itself down the chain (so `--die-with-parent` and a SIGKILL of
 * its group reach everything): unshare (private mount namespace) → sh (join cgroups, bind the data dir
 * at /mnt) → setpriv (own uid, no groups, no new privileges) → nice → prlimit → bwrap → python.
 * Spawn it with `env: {}`: bwrap's own pid 1 keeps its environment readable in `/proc/1/environ`.
 */
export function sandboxCommand(options: SandboxCommandOptions): SandboxCommand {
  const { uid, limits, files } = options;
  const extraFds: (string | Buffer)[] = [];
  const fd = (content: string | Buffer) => String(3 + extraFds.push(content) - 1);

  // biome-ignore format: flag pairs read better on one line
  const bwrap = [
    tools.bwrap,
    '--unshare-all',
    '--unshare-user',
    '--disable-userns',
    '--die-with-parent',
    '--new-session',
    '--uid', '1000', '--gid', '1000',
    '--hostname', 'sandbox',
    '--ro-bind', '/usr', '/usr',
    '--symlink', 'usr/bin', '/bin',
    '--symlink', 'usr/sbin', '/sbin',
    '--symlink', 'usr/lib', '/lib',
    '--symlink', 'usr/lib64', '/lib64',
    ...etcBinds.flatMap((path) => ['--ro-bind-try', path, path]),
    '--ro-bind-try', '/var/cache/fontconfig', '/var/cache/fontconfig',
    '--ro-bind-data', fd('sandbox:x:1000:1000:sandbox:/tmp:/usr/sbin/nologin\n'), '/etc/passwd',
    '--ro-bind-data', fd('sandbox:x:1000:\n'), '/etc/group',
    '--proc', '/proc',
    '--dev', '/dev',
    '--size', String(limits.tmpBytes), '--tmpfs', '/tmp',
    '--dir', '/tmp/mpl',
    ...(files.fontCache ? ['--ro-bind-data', fd(files.fontCache.json), `/tmp/mpl/${files.fontCache.fileName}`] : []),
    '--ro-bind-data', fd(files.program), '/opt/kernel.py',
    ...(options.dataDir ? ['--bind', STAGING, '/mnt/data'] : ['--dir', '/mnt/data']),
    '--chdir', '/mnt/data',
    '--clearenv',
    '--setenv', 'PATH', '/usr/bin:/bin',
    '--setenv', 'HOME', '/tmp',
    '--setenv', 'LANG', 'C.UTF-8',
    '--setenv', 'MPLBACKEND', 'Agg',
    '--setenv', 'MPLCONFIGDIR', '/tmp/mpl',
    '--setenv', 'OPENBLAS_NUM_THREADS', String(BLAS_THREADS),
    '--setenv', 'OMP_NUM_THREADS', String(BLAS_THREADS),
    '--cap-drop', 'ALL',
    ...(files.seccomp ? ['--seccomp', fd(files.seccomp)] : []),
    tools.python, '-I', '-B', '/opt/kernel.py',
  ];

  // biome-ignore format: flag pairs read better on one line
  const launcher = [
    tools.setpriv, `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--no-new-privs', '--',
    tools.nice, '-n', '10',
    tools.prlimit,
    // Multiply, never shift: `2 << 30` is negative in JS, and prlimit then silently sets no limit.
    `--as=${limits.memoryBytes}`,
    `--nproc=${limits.maxProcesses}`,
    `--fsize=${limits.maxFileBytes}`,
    `--nofile=${limits.maxOpenFiles}`,
    `--cpu=${limits.cpuSeconds}`,
    '--core=0',
    '--',
    ...bwrap,
  ];
  if (uid <= 0) throw new Error('a sandbox never runs as host root');

  // As root: join the cgroups (every process of the tree starts inside them) and bind the data dir.
  // `unset PWD`: the shell exports it, and bwrap's pid 1 would show it in /proc/1/environ.
  const script = [
    'dir=$1; shift',
    'for f in "$@"; do [ "$f" = -- ] && break; echo $$ > "$f" || exit 125; shift; done; shift',
    `if [ -n "$dir" ]; then ${tools.mount} --bind -- "$dir" ${STAGING} || exit 125; fi`,
    'unset PWD; exec "$@"',
  ].join('\n');
  const args = ['--mount', '--propagation', 'private', '--', tools.sh, '-c', script, 'sandbox'];
  args.push(options.dataDir ?? '', ...options.cgroupProcs, '--', ...launcher);
  return { file: tools.unshare, args, extraFds };
}

/** Tools the launcher needs that are missing, with the package that provides each. */
export function missingTools(): string[] {
  const packages: Record<string, string> = {
    unshare: 'util-linux',
    mount: 'mount',
    sh: 'dash',
    setpriv: 'util-linux',
    nice: 'coreutils',
    prlimit: 'util-linux',
    bwrap: 'bubblewrap',
    python: 'python3',
  };
  return Object.entries(tools)
    .filter(([, file]) => !isExecutable(file))
    .map(([name, file]) =>
      name === 'bwrap'
        ? 'bubblewrap is not installed: apt-get install bubblewrap'
        : `${file} is missing: apt-get install ${packages[name]}`,
    );
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
