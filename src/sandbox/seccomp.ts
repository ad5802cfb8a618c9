import os from 'node:os';

/**
 * A seccomp filter (classic BPF, the bytes `bwrap --seccomp FD` reads), assembled here so that no
 * libseccomp binding is needed. It is a denylist on top of the namespaces — defence in depth:
 * no IPv4/IPv6/netlink/packet sockets (only AF_UNIX, which multiprocessing needs), no tracing other
 * processes, no kernel keyrings, BPF, io_uring, mounts or new namespaces, no TIOCSTI, and no
 * syscalls of another ABI (i386, x32), which would bypass a filter keyed on native numbers.
 */

// biome-ignore format: a list
const denied = [
  'ptrace', 'process_vm_readv', 'process_vm_writev', 'keyctl', 'add_key', 'request_key', 'bpf', 'perf_event_open',
  'userfaultfd', 'io_uring_setup', 'io_uring_enter', 'io_uring_register', 'mount', 'umount2', 'pivot_root', 'chroot',
  'unshare', 'setns', 'kexec_load', 'kexec_file_load', 'init_module', 'finit_module', 'delete_module', 'swapon',
  'swapoff', 'reboot', 'acct', 'open_by_handle_at', 'name_to_handle_at', 'fanotify_init', 'quotactl', 'syslog',
  'vhangup', 'mount_setattr', 'move_mount', 'open_tree', 'fsopen', 'fsconfig', 'fsmount', 'fspick',
] as const;

type SyscallName = (typeof denied)[number] | 'socket' | 'ioctl';

// From <asm/unistd_64.h> (x86_64) and <asm-generic/unistd.h> (aarch64); checked against Debian 12's headers.
// biome-ignore format: tables
const tables: Record<string, { auditArch: number; x32: boolean; numbers: Record<SyscallName, number> }> = {
  x64: {
    auditArch: 0xc000003e,
    x32: true,
    numbers: {
      ptrace: 101, process_vm_readv: 310, process_vm_writev: 311, keyctl: 250, add_key: 248, request_key: 249,
      bpf: 321, perf_event_open: 298, userfaultfd: 323, io_uring_setup: 425, io_uring_enter: 426,
      io_uring_register: 427, mount: 165, umount2: 166, pivot_root: 155, chroot: 161, unshare: 272, setns: 308,
      kexec_load: 246, kexec_file_load: 320, init_module: 175, finit_module: 313, delete_module: 176, swapon: 167,
      swapoff: 168, reboot: 169, acct: 163, open_by_handle_at: 304, name_to_handle_at: 303, fanotify_init: 300,
      quotactl: 179, syslog: 103, vhangup: 153, mount_setattr: 442, move_mount: 429, open_tree: 428, fsopen: 430,
      fsconfig: 431, fsmount: 432, fspick: 433, socket: 41, ioctl: 16,
    },
  },
  arm64: {
    auditArch: 0xc00000b7,
    x32: false,
    numbers: {
      ptrace: 117, process_vm_readv: 270, process_vm_writev: 271, keyctl: 219, add_key: 217, request_key: 218,
      bpf: 280, perf_event_open: 241, userfaultfd: 282, io_uring_setup: 425, io_uring_enter: 426,
      io_uring_register: 427, mount: 40, umount2: 39, pivot_root: 41, chroot: 51, unshare: 97, setns: 268,
      kexec_load: 104, kexec_file_load: 294, init_module: 105, finit_module: 273, delete_module: 106, swapon: 224,
      swapoff: 225, reboot: 142, acct: 89, open_by_handle_at: 265, name_to_handle_at: 264, fanotify_init: 262,
      quotactl: 60, syslog: 116, vhangup: 58, mount_setattr: 442, move_mount: 429, open_tree: 428, fsopen: 430,
      fsconfig: 431, fsmount: 432, fspick: 433, socket: 198, ioctl: 29,
    },
  },
};

const BPF_LD_W_ABS = 0x20;
const BPF_JEQ_K = 0x15;
const BPF_JGE_K = 0x35;
const BPF_RET_K = 0x06;
const RET_ALLOW = 0x7fff0000;
const RET_ERRNO = 0x00050000;
const EPERM = 1;
const EACCES = 13;
const AF_UNIX = 1;
const TIOCSTI = 0x5412;
const X32_SYSCALL_BIT = 0x40000000;
// Offsets in struct seccomp_data: nr (0), arch (4), args[i] (16 + 8i; low 32 bits first on little-endian).
const NR = 0;
const ARCH = 4;
const ARG0_LOW = 16;
const ARG1_LOW = 24;

type Instruction = { label?: string } & (
  | { op: 'load'; offset: number }
  | { op: 'ret'; value: number }
  | { op: 'jeq' | 'jge'; value: number; match: string; otherwise?: string }
);

/** The filter for this machine's architecture, or `null` when we have no syscall table for it. */
export function seccompFilter(arch: string = os.arch()): Buffer | null {
  const table = tables[arch];
  if (!table || os.endianness() !== 'LE') return null;
  const program: Instruction[] = [
    { op: 'load', offset: ARCH },
    { op: 'jeq', value: table.auditArch, match: 'next', otherwise: 'deny' },
    { op: 'load', offset: NR },
    ...(table.x32 ? [{ op: 'jge', value: X32_SYSCALL_BIT, match: 'deny' } as const] : []),
    ...denied.map((name) => ({ op: 'jeq', value: table.numbers[name], match: 'deny' }) as const),
    { op: 'jeq', value: table.numbers.socket, match: 'socket' },
    { op: 'jeq', value: table.numbers.ioctl, match: 'ioctl' },
    { op: 'ret', value: RET_ALLOW },
    { op: 'load', offset: ARG0_LOW, label: 'socket' },
    { op: 'jeq', value: AF_UNIX, match: 'allow', otherwise: 'no-network' },
    { op: 'load', offset: ARG1_LOW, label: 'ioctl' },
    { op: 'jeq', value: TIOCSTI, match: 'deny', otherwise: 'allow' },
    { op: 'ret', value: RET_ALLOW, label: 'allow' },
    { op: 'ret', value: RET_ERRNO | EACCES, label: 'no-network' },
    { op: 'ret', value: RET_ERRNO | EPERM, label: 'deny' },
  ];
  return assemble(program);
}

/** 8 bytes per instruction (u16 code, u8 jump-if-true, u8 jump-if-false, u32 k); jumps only go forward. */
function assemble(program: Instruction[]): Buffer {
  const labels = new Map<string, number>();
  program.forEach((instruction, index) => {
    if (instruction.label) labels.set(instruction.label, index);
  });
  const out = Buffer.alloc(program.length * 8);
  program.forEach((instruction, index) => {
    const jump = (label: string | undefined) => {
      if (label === undefined || label === 'next') return 0;
      const target = labels.get(label);
      if (target === undefined || target <= index || target - index - 1 > 255) throw new Error(`bad jump ${label}`);
      return target - index - 1;
    };
    let code: number;
    let jt = 0;
    let jf = 0;
    let k: number;
    if (instruction.op === 'load') {
      code = BPF_LD_W_ABS;
      k = instruction.offset;
    } else if (instruction.op === 'ret') {
      code = BPF_RET_K;
      k = instruction.value;
    } else {
      code = instruction.op === 'jeq' ? BPF_JEQ_K : BPF_JGE_K;
      k = instruction.value;
      jt = jump(instruction.match);
      jf = jump(instruction.otherwise);
    }
    out.writeUInt16LE(code, index * 8);
    out.writeUInt8(jt, index * 8 + 2);
    out.writeUInt8(jf, index * 8 + 3);
    out.writeUInt32LE(k >>> 0, index * 8 + 4);
  });
  return out;
}
