import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { SandboxUnavailable } from '../containers/errors.ts';
import { LocalContainerService } from '../containers/local/local-container-service.ts';
import type { Execution } from '../containers/types.ts';

export interface SandboxExecOptions {
  data: string[];
  out?: string;
  timeout?: number;
  json: boolean;
}

/**
 * `datastory sandbox exec FILE.py [--data FILE]…`: runs the code in a fresh container (the real sandbox,
 * the configured limits), with each data file at /mnt/data/<name>, and prints what came back.
 * Exit codes: 0 ran, 1 the code raised or was killed, 2 bad arguments, 69 the sandbox is unavailable.
 */
export async function sandboxExecCommand(file: string, options: SandboxExecOptions): Promise<number> {
  for (const input of [file, ...options.data]) {
    if (!fs.existsSync(input)) {
      process.stderr.write(`error: ${input} does not exist\n`);
      return 2;
    }
  }
  const config = loadConfig(process.env);
  const dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'datastory-sandbox-'));
  const service = new LocalContainerService({
    dataDir,
    settings: { ...config.containers, warmKernels: 0 },
    sweepIntervalMs: 0,
  });
  try {
    const { id } = await service.create({ name: path.basename(file) });
    for (const input of options.data) {
      await service.uploadFile(id, path.basename(input), fs.createReadStream(input));
    }
    const code = await fs.promises.readFile(file, 'utf8');
    const execution = await service.exec(id, code, options.timeout ? { timeoutMs: options.timeout } : {});
    if (options.out) {
      await fs.promises.mkdir(options.out, { recursive: true });
      for (const created of execution.files) {
        const target = path.join(options.out, created.path.slice('/mnt/data/'.length));
        await fs.promises.mkdir(path.dirname(target), { recursive: true });
        await fs.promises.writeFile(target, await service.readFile(id, created.id));
      }
    }
    process.stdout.write(options.json ? `${JSON.stringify(execution, null, 2)}\n` : describe(execution, options.out));
    return execution.error ? 1 : 0;
  } catch (error) {
    if (error instanceof SandboxUnavailable) {
      process.stderr.write(`${error.message}\n`);
      return 69;
    }
    throw error;
  } finally {
    await service.close();
    await fs.promises.rm(dataDir, { recursive: true, force: true });
  }
}

function describe(execution: Execution, out: string | undefined): string {
  const parts: string[] = [];
  const section = (title: string, body: string) => parts.push(`── ${title} ──\n${body.replace(/\n?$/, '\n')}`);
  if (execution.stdout) section('stdout', execution.stdout);
  if (execution.stderr) section('stderr', execution.stderr);
  if (execution.result !== null) section('result', execution.result);
  if (execution.error) {
    section(
      `error: ${execution.error.name}`,
      execution.error.traceback || `${execution.error.name}: ${execution.error.value}`,
    );
  }
  if (execution.files.length > 0) {
    const where = out ? ` (saved in ${out})` : '';
    section(
      `files${where}`,
      execution.files.map((f) => `${f.path}  ${f.bytes.toLocaleString('en-US')} bytes`).join('\n'),
    );
  }
  const flags = (['timedOut', 'killed', 'restarted', 'truncated'] as const).filter((flag) => execution[flag]);
  parts.push(`${execution.durationMs} ms${flags.length ? `, ${flags.join(', ')}` : ''}\n`);
  return parts.join('');
}
