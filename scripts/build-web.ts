// Builds the playground (web/src → web/dist): one esbuild pass, hashed file names, index.html pointing at them.
// `node bin/run.js scripts/build-web.ts`; `make start` and `make test` run it when a web source changed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webDir = path.join(root, 'web');
export const playgroundDist = path.join(webDir, 'dist');

/** Builds into a fresh directory, then swaps it in, so a server reading web/dist never sees half a build. */
export async function buildPlayground(outDir = playgroundDist): Promise<void> {
  const staging = `${outDir}.building-${process.pid}`;
  await fs.promises.rm(staging, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { app: path.join(webDir, 'src/main.tsx') },
    outdir: path.join(staging, 'assets'),
    bundle: true,
    // Splitting keeps vega (most of the weight) in a chunk loaded when the first chart appears.
    splitting: true,
    format: 'esm',
    target: ['es2022'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    sourcemap: 'linked',
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    define: { 'process.env.NODE_ENV': '"production"' },
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
  const script = outputs.find((name) => /^app-.*\.js$/.test(name));
  const style = outputs.find((name) => /^app-.*\.css$/.test(name));
  if (!script || !style) throw new Error(`web build: missing app bundle in ${outputs.join(', ')}`);
  const template = await fs.promises.readFile(path.join(webDir, 'index.html'), 'utf8');
  const page = template.replace('/assets/app.js', `/assets/${script}`).replace('/assets/app.css', `/assets/${style}`);
  await fs.promises.writeFile(path.join(staging, 'index.html'), page);
  // Sample CSVs for a first visit (served at /samples/NAME).
  await fs.promises.mkdir(path.join(staging, 'samples'));
  for (const name of await fs.promises.readdir(path.join(webDir, 'samples'))) {
    if (name.endsWith('.csv'))
      await fs.promises.copyFile(path.join(webDir, 'samples', name), path.join(staging, 'samples', name));
  }
  await fs.promises.rm(outDir, { recursive: true, force: true });
  try {
    await fs.promises.rename(staging, outDir);
  } catch (error) {
    // Another build finished first (parallel test workers): theirs is as good as ours.
    await fs.promises.rm(staging, { recursive: true, force: true });
    if (!fs.existsSync(path.join(outDir, 'index.html'))) throw error;
  }
}

/** True when web/dist is missing or older than any web source. */
export function playgroundIsStale(outDir = playgroundDist): boolean {
  const built = path.join(outDir, 'index.html');
  if (!fs.existsSync(built)) return true;
  const builtAt = fs.statSync(built).mtimeMs;
  const sources = [path.join(webDir, 'index.html'), fileURLToPath(import.meta.url)];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else sources.push(full);
    }
  };
  walk(path.join(webDir, 'src'));
  walk(path.join(webDir, 'samples'));
  return sources.some((file) => fs.statSync(file).mtimeMs > builtAt);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now();
  await buildPlayground();
  console.log(`web/dist built in ${Date.now() - started} ms`);
}
