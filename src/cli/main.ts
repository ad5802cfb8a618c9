import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { startServer } from '../main.ts';
import { analyzeCommand } from './analyze.ts';
import { doctorCommand } from './doctor.ts';
import { sandboxExecCommand } from './sandbox.ts';

const port = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535)
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return parsed;
};

async function serve(options: { port?: number; host?: string }): Promise<number> {
  const config = loadConfig(process.env, {
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host ? { host: options.host } : {}),
  });
  const logger = createLogger(config.logLevel);
  const running = await startServer(config, logger);
  process.stderr.write(`datastory is running: open http://localhost:${new URL(running.address).port}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.stop();
  return 0;
}

/** The CLI: each command returns an exit code. */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command()
    .name('datastory')
    .description(
      'Turn a CSV into data stories: three angles, a narrative with charts, every number traced to the data.',
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
    });

  program
    .command('serve')
    .description('start the HTTP API and the playground')
    .option('-p, --port <port>', 'port to listen on (default: PORT or 8787)', port)
    .option('--host <host>', 'interface to bind (default: HOST or 0.0.0.0)')
    .action(async (options) => {
      exitCode = await serve(options);
    });

  program
    .command('analyze')
    .description('find three stories in a CSV and write the chosen ones as a report, without a server')
    .argument('<file>', 'the CSV file')
    .option('-o, --out <dir>', 'where to write report.md, report.html, charts and data', 'out')
    .option('-r, --refine <which>', '"top", "all", "none" or story numbers like "1,3"', 'top')
    .option('-s, --steer <prompt>', 'steering prompt, e.g. "focus on retention"')
    .option('--json', 'print one JSON document on stdout (progress stays on stderr)', false)
    .action(async (file, options) => {
      exitCode = await analyzeCommand(file, options);
    });

  program
    .command('doctor')
    .description('check everything the service needs (Node, DuckDB, fonts, Python, the sandbox and its isolation)')
    .option('--json', 'print one JSON document', false)
    .action(async (options) => {
      exitCode = await doctorCommand(options);
    });

  program
    .command('sandbox')
    .description('the code sandbox')
    .command('exec')
    .description('run a Python file in a fresh sandbox container and print what came back')
    .argument('<file>', 'the Python file')
    .option(
      '-d, --data <file>',
      'a file to put in /mnt/data (repeatable)',
      (value, all: string[]) => [...all, value],
      [],
    )
    .option('-o, --out <dir>', 'save the files the code created here')
    .option('-t, --timeout <ms>', 'soft timeout in ms (default: DATASTORY_SANDBOX_TIMEOUT_MS)', Number)
    .option('--json', 'print the execution as JSON', false)
    .action(async (file, options) => {
      exitCode = await sandboxExecCommand(file, options);
    });

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 78;
    }
    const code = (error as { code?: string; exitCode?: number }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version') return 0;
    if (code?.startsWith('commander.')) return (error as { exitCode?: number }).exitCode ?? 2;
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return 1;
  }
}
