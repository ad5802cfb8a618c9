import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { type Config, loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { startServer } from '../../src/main.ts';

export interface TestServer {
  baseUrl: string;
  dataDir: string;
  config: Config;
  /** Every JSON log line the server wrote. */
  logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

/** A real server on a free port with its own data directory; logs are captured for assertions. */
export async function startTestServer(overrides: Partial<Config> = {}, dataDir?: string): Promise<TestServer> {
  const directory = dataDir ?? (await fs.promises.mkdtemp(path.join(os.tmpdir(), 'datastory-test-')));
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', dataDir: directory, logLevel: 'info', ...overrides });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(JSON.parse(line));
      done();
    },
  });
  const running = await startServer(config, createLogger('info', sink));
  const port = new URL(running.address).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    dataDir: directory,
    config,
    logs,
    stop: () => running.stop(200),
  };
}

export async function uploadFile(baseUrl: string, file: string | { name: string; content: string | Uint8Array }) {
  const form = new FormData();
  if (typeof file === 'string')
    form.append('file', new Blob([fs.readFileSync(file)], { type: 'text/csv' }), path.basename(file));
  else
    form.append(
      'file',
      new Blob([typeof file.content === 'string' ? file.content : new Uint8Array(file.content)], { type: 'text/csv' }),
      file.name,
    );
  const response = await fetch(`${baseUrl}/api/upload`, { method: 'POST', body: form });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

export async function postJson(baseUrl: string, route: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}
