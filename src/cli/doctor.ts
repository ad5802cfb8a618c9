import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Config, loadConfig } from '../config.ts';
import { LocalContainerService } from '../containers/local/local-container-service.ts';
import { tools } from '../sandbox/command.ts';
import type { SandboxStatus } from '../sandbox/sandbox.ts';
import { UID_RANGE_SIZE } from '../sandbox/uid-leases.ts';

const run = promisify(execFile);

export interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
}

const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
/** Python libraries: the first three are required (the kernel imports them), the rest are what analysis code uses. */
const LIBRARIES: [module: string, debianPackage: string, required: boolean][] = [
  ['numpy', 'python3-numpy', true],
  ['pandas', 'python3-pandas', true],
  ['matplotlib', 'python3-matplotlib', true],
  ['scipy', 'python3-scipy', false],
  ['seaborn', 'python3-seaborn', false],
  ['statsmodels', 'python3-statsmodels', false],
  ['sklearn', 'python3-sklearn', false],
];

/** `datastory doctor [--json]`: checks everything the service needs; exits 1 when something required is missing. */
export async function doctorCommand(options: { json: boolean }): Promise<number> {
  const checks = await runChecks(loadConfig(process.env));
  const ok = checks.every((check) => check.status !== 'fail');
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ok, checks }, null, 2)}\n`);
  } else {
    const width = Math.max(...checks.map((check) => check.name.length));
    const mark = { ok: '✓', warn: '!', fail: '✗' } as const;
    for (const check of checks) {
      process.stdout.write(`${mark[check.status]} ${check.name.padEnd(width)}  ${check.detail}\n`);
    }
    const warnings = checks.filter((check) => check.status === 'warn').length;
    const failures = checks.filter((check) => check.status === 'fail').length;
    process.stdout.write(
      failures > 0
        ? `\n${failures} required check${failures > 1 ? 's' : ''} failed.\n`
        : `\nEverything required is in place${warnings ? ` (${warnings} warning${warnings > 1 ? 's' : ''})` : ''}.\n`,
    );
  }
  return ok ? 0 : 1;
}

export async function runChecks(config: Config): Promise<Check[]> {
  const checks: Check[] = [nodeCheck(), await duckdbCheck(), fontCheck(), await dataDirCheck(config.dataDir)];
  checks.push(...(await pythonChecks()));
  checks.push(await bubblewrapCheck());
  checks.push(...(await sandboxChecks(config)));
  return checks;
}

function nodeCheck(): Check {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const ok = major > 20 || (major === 20 && minor >= 19);
  return {
    name: 'Node.js',
    status: ok ? 'ok' : 'fail',
    detail: `v${process.versions.node}${ok ? '' : ' (need ≥ 20.19)'}`,
  };
}

async function duckdbCheck(): Promise<Check> {
  try {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll('SELECT 42 AS answer');
    const answer = reader.getRows()[0]?.[0];
    connection.closeSync();
    instance.closeSync();
    return { name: 'DuckDB', status: answer === 42 ? 'ok' : 'fail', detail: `SELECT 42 → ${answer}` };
  } catch (error) {
    return { name: 'DuckDB', status: 'fail', detail: `${(error as Error).message} (run npm ci)` };
  }
}

function fontCheck(): Check {
  return fs.existsSync(FONT)
    ? { name: 'chart font', status: 'ok', detail: FONT }
    : { name: 'chart font', status: 'fail', detail: `${FONT} is missing: apt-get install fonts-dejavu-core` };
}

async function dataDirCheck(dataDir: string): Promise<Check> {
  try {
    await fs.promises.mkdir(dataDir, { recursive: true });
    const probe = path.join(dataDir, `.doctor-${process.pid}`);
    await fs.promises.writeFile(probe, 'ok');
    await fs.promises.rm(probe);
    return { name: 'data dir', status: 'ok', detail: `${dataDir} is writable` };
  } catch (error) {
    return { name: 'data dir', status: 'fail', detail: `${dataDir}: ${(error as Error).message} (DATASTORY_DATA_DIR)` };
  }
}

async function pythonChecks(): Promise<Check[]> {
  const script = [
    'import importlib, json, sys',
    'found = {}',
    `for name in ${JSON.stringify(LIBRARIES.map(([module]) => module))}:`,
    '    try: found[name] = importlib.import_module(name).__version__',
    '    except Exception as e: found[name] = None',
    'print(json.dumps({"python": sys.version.split()[0], "found": found}))',
  ].join('\n');
  let report: { python: string; found: Record<string, string | null> };
  try {
    const { stdout } = await run(tools.python, ['-I', '-c', script], { env: {}, timeout: 60_000 });
    report = JSON.parse(stdout);
  } catch (error) {
    return [
      {
        name: 'Python',
        status: 'fail',
        detail: `${tools.python}: ${(error as Error).message}: apt-get install python3`,
      },
    ];
  }
  return [
    { name: 'Python', status: 'ok', detail: `${tools.python} ${report.python}` },
    ...LIBRARIES.map(([module, debianPackage, required]): Check => {
      const version = report.found[module];
      if (version) return { name: `  ${module}`, status: 'ok', detail: version };
      return {
        name: `  ${module}`,
        status: required ? 'fail' : 'warn',
        detail: `missing: apt-get install ${debianPackage}${required ? '' : ' (analysis code often imports it)'}`,
      };
    }),
  ];
}

async function bubblewrapCheck(): Promise<Check> {
  try {
    const { stdout } = await run(tools.bwrap, ['--version'], { env: {} });
    return { name: 'bubblewrap', status: 'ok', detail: stdout.trim() };
  } catch {
    return { name: 'bubblewrap', status: 'fail', detail: 'not installed: apt-get install bubblewrap' };
  }
}

/** The sandbox's own self-test, then a real container that tries to get out. */
async function sandboxChecks(config: Config): Promise<Check[]> {
  const canary = `doctor-canary-${randomBytes(8).toString('hex')}`;
  process.env.DATASTORY_DOCTOR_CANARY = canary; // if the sandbox could see our environment, it would see this
  const dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'datastory-doctor-'));
  const service = new LocalContainerService({
    dataDir,
    settings: { ...config.containers, warmKernels: 0 },
    sweepIntervalMs: 0,
  });
  const server = net.createServer((socket) => socket.end('reached the host\n'));
  try {
    const status = await service.sandboxStatus();
    const checks = statusChecks(status, config);
    if (!status.available) return checks;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const started = performance.now();
    const { id } = await service.create({ name: 'doctor' });
    const probe = await service.exec(id, isolationProbe(port), { timeoutMs: 20_000 });
    const coldStartMs = Math.round(performance.now() - started);
    if (probe.error) {
      checks.push({
        name: 'isolation',
        status: 'fail',
        detail: `the probe failed: ${probe.error.name}: ${probe.error.value}`,
      });
      return checks;
    }
    const seen = JSON.parse(probe.stdout) as IsolationReport;
    checks.push(...isolationChecks(seen, canary));
    checks.push({
      name: 'cold start',
      status: 'ok',
      detail: `new container → first result in ${coldStartMs} ms (no warm pool)`,
    });
    return checks;
  } finally {
    server.close();
    delete process.env.DATASTORY_DOCTOR_CANARY;
    await service.close();
    await fs.promises.rm(dataDir, { recursive: true, force: true });
  }
}

function statusChecks(status: SandboxStatus, config: Config): Check[] {
  const checks: Check[] = [
    status.available
      ? {
          name: 'sandbox',
          status: 'ok',
          detail: `self-test passed in ${status.selfTestMs} ms (bwrap, own uid, empty env, no network)`,
        }
      : { name: 'sandbox', status: 'fail', detail: `code execution is disabled: ${status.problems.join('; ')}` },
  ];
  if (!status.available) return checks;
  checks.push({
    name: 'seccomp',
    status: status.seccomp === 'on' ? 'ok' : 'warn',
    detail: status.seccomp === 'on' ? `filter on (${process.arch})` : status.seccomp,
  });
  checks.push({
    name: 'cgroups',
    status: status.cgroups.kind === 'none' ? 'warn' : 'ok',
    detail: status.cgroups.detail,
  });
  const overlap = subordinateIdOverlap(config.containers.uidStart);
  checks.push(
    overlap
      ? { name: 'uid range', status: 'warn', detail: `${overlap}; set DATASTORY_SANDBOX_UID_START elsewhere` }
      : {
          name: 'uid range',
          status: 'ok',
          detail: `${config.containers.uidStart}–${config.containers.uidStart + UID_RANGE_SIZE - 1}, one per container`,
        },
  );
  return checks;
}

interface IsolationReport {
  interfaces: string[];
  loopback: string;
  internet: string;
  environment: string;
  hostPaths: string[];
  pids: number[];
  uid: number;
}

function isolationProbe(port: number): string {
  const hostPaths = [process.cwd(), '/root', '/home', '/etc/shadow', os.homedir()];
  return `
import json, os, socket
def attempt(target):
    try:
        socket.create_connection(target, timeout=2)
        return "connected"
    except OSError as e:
        return type(e).__name__ + ": " + (e.strerror or str(e))
environment = repr(dict(os.environ))
for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
    try:
        environment += open(f"/proc/{pid}/environ", "rb").read().decode("latin-1")
    except OSError:
        pass
print(json.dumps({
    "interfaces": [line.split(":")[0].strip() for line in open("/proc/net/dev").readlines()[2:]],
    "loopback": attempt(("127.0.0.1", ${port})),
    "internet": attempt(("1.1.1.1", 53)),
    "environment": environment,
    "hostPaths": [p for p in ${JSON.stringify(hostPaths)} if os.path.exists(p)],
    "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
    "uid": os.getuid(),
}))`;
}

function isolationChecks(seen: IsolationReport, canary: string): Check[] {
  const blocked = (outcome: string) => outcome !== 'connected';
  const leaked = seen.environment.includes(canary);
  return [
    {
      name: 'isolation: network',
      status: blocked(seen.loopback) && blocked(seen.internet) && seen.interfaces.join() === 'lo' ? 'ok' : 'fail',
      detail: `interfaces: ${seen.interfaces.join(', ')}; host loopback → ${seen.loopback}; 1.1.1.1:53 → ${seen.internet}`,
    },
    {
      name: 'isolation: environment',
      status: leaked ? 'fail' : 'ok',
      detail: leaked
        ? 'the host environment is visible inside the sandbox'
        : 'no host variable in os.environ or /proc/*/environ',
    },
    {
      name: 'isolation: host files',
      status: seen.hostPaths.length === 0 ? 'ok' : 'fail',
      detail:
        seen.hostPaths.length === 0
          ? 'checkout, /root, /home, /etc/shadow absent'
          : `visible: ${seen.hostPaths.join(', ')}`,
    },
    {
      name: 'isolation: processes',
      status: seen.pids.length <= 3 && seen.uid !== 0 ? 'ok' : 'fail',
      detail: `sees pids ${seen.pids.join(', ')} as uid ${seen.uid}`,
    },
  ];
}

/** Rootless containers map /etc/subuid ranges onto host uids; ours should not collide with them. */
function subordinateIdOverlap(start: number): string | null {
  for (const file of ['/etc/subuid', '/etc/subgid']) {
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      const [owner, first, count] = line.split(':');
      const from = Number(first);
      const to = from + Number(count) - 1;
      if (owner && Number.isFinite(to) && from <= start + UID_RANGE_SIZE - 1 && to >= start) {
        return `overlaps ${owner}'s range ${from}–${to} in ${file}`;
      }
    }
  }
  return null;
}
