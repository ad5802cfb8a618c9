import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestContainers, type TestContainers } from '../src/containers/local/testing.ts';

// Breakout attempts against the real sandbox. Each cell returns what it managed to see as a Python literal.
const CANARY = `sk-test-canary-${process.pid}`;

describe('sandbox isolation: code in a container cannot reach the host', () => {
  let t: TestContainers;
  let id: string;
  let server: net.Server;
  let port: number;
  const previousKey = process.env.OPENAI_API_KEY;

  beforeAll(async () => {
    process.env.OPENAI_API_KEY = CANARY; // the server's env holds a secret; the sandbox must not see it
    server = net.createServer((socket) => socket.end('host secret\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
    t = startTestContainers();
    expect((await t.service.sandboxStatus()).problems).toEqual([]);
    id = (await t.service.create({ name: 'isolation' })).id;
  });
  afterAll(async () => {
    if (previousKey === undefined) delete process.env.OPENAI_API_KEY;
    else process.env.OPENAI_API_KEY = previousKey;
    server?.close();
    await t?.close();
  });

  /** Runs a probe that leaves what it saw in `seen`; returns that, through JSON. */
  const probe = async (code: string) => {
    const execution = await t.service.exec(id, `${code}\nimport json as _json\nprint(_json.dumps(seen))`);
    expect(execution.error).toBeNull();
    return JSON.parse(execution.stdout);
  };

  it("has no network: not the host's loopback, not the internet, not DNS", async () => {
    const [loopback, internet, loopback6, dns, interfaces] = await probe(`
import socket
def attempt(target):
    try:
        s = socket.create_connection(target, timeout=2)
        return "connected: " + s.recv(100).decode()
    except OSError as e:
        return type(e).__name__
def resolve(name):
    try:
        return socket.getaddrinfo(name, 443)[0][4][0]
    except OSError as e:
        return type(e).__name__
interfaces = [line.split(":")[0].strip() for line in open("/proc/net/dev").readlines()[2:]]
seen = [attempt(("127.0.0.1", ${port})), attempt(("1.1.1.1", 53)), attempt(("::1", ${port})), resolve("deb.debian.org"), interfaces]`);
    // The host can reach its own server; the sandbox cannot.
    const fromHost = await new Promise<string>((resolve) =>
      net.connect(port, '127.0.0.1').on('data', (data) => resolve(String(data))),
    );
    expect(fromHost).toBe('host secret\n');
    for (const outcome of [loopback, internet, loopback6]) expect(outcome).not.toMatch(/^connected/);
    expect(dns).not.toMatch(/^\d/);
    expect(interfaces).toEqual(['lo']);
  });

  it('sees no host files: not the checkout, not /root, not /etc/shadow, not the data dir', async () => {
    const hostPaths = [
      process.cwd(),
      path.resolve(import.meta.dirname, '..'),
      '/work',
      '/root',
      '/home',
      '/etc/shadow',
      '/etc/hostname',
      '/var/log',
      t.dataDir,
      os.tmpdir() === '/tmp' ? '/tmp/../etc/shadow' : os.tmpdir(),
    ];
    const [visible, root, etc] = await probe(`
import os
paths = ${JSON.stringify(hostPaths)}
seen = [[p for p in paths if os.path.exists(p)], sorted(os.listdir("/")), sorted(os.listdir("/etc"))]`);
    expect(visible).toEqual([]);
    expect(root).toEqual(['bin', 'dev', 'etc', 'lib', 'lib64', 'mnt', 'opt', 'proc', 'sbin', 'tmp', 'usr', 'var']);
    expect(
      etc.every((name: string) =>
        ['alternatives', 'fonts', 'group', 'ld.so.cache', 'localtime', 'matplotlibrc', 'passwd'].includes(name),
      ),
    ).toBe(true);
    const writes = await probe(`
def write(path):
    try:
        open(path, "w").write("x")
        return "written"
    except OSError as e:
        return e.strerror
seen = [write("/usr/evil"), write("/etc/passwd"), write("/opt/kernel.py")]`);
    expect(writes).not.toContain('written');
  });

  it("sees none of the host's environment, not even through /proc/1/environ", async () => {
    expect(process.env.OPENAI_API_KEY).toBe(CANARY);
    const [names, environs] = await probe(`
import os
environs = {}
for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
    try:
        environs[pid] = open(f"/proc/{pid}/environ", "rb").read().decode("latin-1")
    except OSError as e:
        environs[pid] = type(e).__name__
seen = [sorted(os.environ), environs]`);
    expect(JSON.stringify(environs)).not.toContain(CANARY);
    expect(JSON.stringify(environs)).not.toContain('OPENAI_API_KEY');
    expect(environs['1']).toBe('');
    expect(names).toEqual([
      'HOME',
      'LANG',
      'MPLBACKEND',
      'MPLCONFIGDIR',
      'OMP_NUM_THREADS',
      'OPENBLAS_NUM_THREADS',
      'PATH',
      'PWD',
    ]);
  });

  it('sees only its own processes, and runs with no privileges', async () => {
    const [pids, names, uid, capEff, noNewPrivs, seccomp, ptrace, unshare, hostname] = await probe(`
import os, ctypes
libc = ctypes.CDLL(None, use_errno=True)
pids = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
names = [open(f"/proc/{p}/comm").read().strip() for p in pids]
status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines())
seen = [pids, names, os.getuid(), status["CapEff"].strip(), status["NoNewPrivs"].strip(), status["Seccomp"].strip(),
        libc.ptrace(16, 1, 0, 0), libc.unshare(0x10000000), os.uname().nodename]`);
    expect(pids).toEqual([1, 2]);
    expect(names).toEqual(['bwrap', 'python3']);
    expect(uid).toBe(1000);
    expect(capEff).toBe('0000000000000000');
    expect(noNewPrivs).toBe('1');
    expect(seccomp).toBe('2');
    expect(ptrace).toBe(-1);
    expect(unshare).toBe(-1);
    expect(hostname).toBe('sandbox');
  });

  it('runs each container as its own unprivileged host uid', async () => {
    const other = (await t.service.create({ name: 'neighbour' })).id;
    await t.service.exec(id, 'open("/mnt/data/mine.txt", "w").write("a")');
    await t.service.exec(other, 'open("/mnt/data/theirs.txt", "w").write("b")');
    const owner = (container: string, file: string) =>
      fs.statSync(path.join(t.dataDir, 'containers', container, file)).uid;
    const uidA = owner(id, 'mine.txt');
    const uidB = owner(other, 'theirs.txt');
    expect(uidA).toBeGreaterThanOrEqual(200_000);
    expect(uidB).toBeGreaterThanOrEqual(200_000);
    expect(uidA).not.toBe(uidB);
    expect(fs.statSync(path.join(t.dataDir, 'containers', id)).mode & 0o777).toBe(0o700);
    await t.service.delete(other);
  });

  it('never lets a symlink planted in /mnt/data make the host read, list, write or delete outside', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'datastory-victim-'));
    const victim = path.join(outside, 'victim.txt');
    fs.writeFileSync(victim, 'host data');
    await probe(`
import os
os.symlink("/etc/passwd", "/mnt/data/passwd.csv")
os.symlink(${JSON.stringify(victim)}, "/mnt/data/victim.txt")
os.symlink(${JSON.stringify(outside)}, "/mnt/data/outside")
os.symlink("/", "/mnt/data/root")
os.mkfifo("/mnt/data/fifo")
seen = True`);
    for (const target of [
      'passwd.csv',
      'victim.txt',
      'outside/victim.txt',
      'root/etc/passwd',
      '../../../etc/passwd',
      'fifo',
    ]) {
      await expect(t.service.readFile(id, target)).rejects.toMatchObject({ code: 'file_not_found' });
    }
    const listed = (await t.service.listFiles(id)).map((file) => file.path);
    expect(listed.filter((p) => /passwd|victim|outside|root|fifo/.test(p))).toEqual([]);
    // Deleting through a directory symlink must not touch the host file.
    expect(await t.service.deleteFile(id, 'outside/victim.txt')).toBe(false);
    // An upload over a planted symlink replaces the link; it never writes through it.
    await t.service.uploadFile(id, 'victim.txt', Buffer.from('uploaded'));
    expect(fs.readFileSync(victim, 'utf8')).toBe('host data');
    expect((await t.service.readFile(id, 'victim.txt')).toString()).toBe('uploaded');
    expect(fs.lstatSync(path.join(t.dataDir, 'containers', id, 'victim.txt')).isFile()).toBe(true);
    fs.rmSync(outside, { recursive: true, force: true });
  });
});
