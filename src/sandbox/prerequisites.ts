import fs from 'node:fs';
import { missingTools } from './command.ts';

/** Capabilities the service needs to give each container its own host uid and clean up after it. */
const neededCapabilities: [bit: number, name: string][] = [
  [0, 'CAP_CHOWN'],
  [1, 'CAP_DAC_OVERRIDE'],
  [3, 'CAP_FOWNER'],
  [5, 'CAP_KILL'],
  [6, 'CAP_SETGID'],
  [7, 'CAP_SETUID'],
];

/** What this machine lacks to run the sandbox, each with its fix; empty when everything is there. */
export function sandboxPrerequisites(): string[] {
  if (process.platform !== 'linux') return [`the sandbox needs Linux (this is ${process.platform})`];
  const problems = missingTools();
  const missingCapabilities = capabilitiesMissing();
  if (missingCapabilities.length > 0) {
    problems.push(
      `the service must run as root (missing ${missingCapabilities.join(', ')}): each container runs as its own host uid`,
    );
  }
  const maxUserNamespaces = readNumber('/proc/sys/user/max_user_namespaces');
  if (maxUserNamespaces === 0) {
    problems.push('user namespaces are disabled: sysctl -w user.max_user_namespaces=15000');
  }
  if (readNumber('/proc/sys/kernel/unprivileged_userns_clone') === 0) {
    problems.push('unprivileged user namespaces are disabled: sysctl -w kernel.unprivileged_userns_clone=1');
  }
  return problems;
}

function capabilitiesMissing(): string[] {
  const line = readText('/proc/self/status')
    .split('\n')
    .find((l) => l.startsWith('CapEff:'));
  const effective = line ? BigInt(`0x${line.slice('CapEff:'.length).trim()}`) : 0n;
  return neededCapabilities.filter(([bit]) => ((effective >> BigInt(bit)) & 1n) === 0n).map(([, name]) => name);
}

function readNumber(file: string): number | null {
  const text = readText(file).trim();
  return text === '' ? null : Number(text);
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
