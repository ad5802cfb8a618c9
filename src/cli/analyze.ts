import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { createApp } from '../main.ts';
import { type ReportSection, reportHtml, reportMarkdown } from '../reports/report.ts';
import type { Refinement, Story } from '../sessions/types.ts';

export interface AnalyzeOptions {
  out: string;
  refine: string;
  json: boolean;
  steer?: string;
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 48) || 'story';

/** Which stories to refine: "top" (default), "all", "none", or 1-based numbers like "1,3". */
export function selectStories(stories: Story[], which: string): Story[] {
  const value = which.trim().toLowerCase();
  if (value === 'all') return stories;
  if (value === 'none') return [];
  if (value === 'top' || value === '') return stories.slice(0, 1);
  const picks = value.split(',').map((part) => Number(part.trim()));
  if (picks.some((n) => !Number.isInteger(n) || n < 1 || n > stories.length)) {
    throw new Error(
      `--refine takes "top", "all", "none" or story numbers between 1 and ${stories.length}, e.g. "1,3".`,
    );
  }
  return picks.map((n) => stories[n - 1]!);
}

/** `datastory analyze FILE --out DIR`: the whole flow without a server; progress on stderr, results on stdout. */
export async function analyzeCommand(file: string, options: AnalyzeOptions): Promise<number> {
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  if (!fs.existsSync(file)) {
    process.stderr.write(`error: ${file} does not exist\n`);
    return 2;
  }
  const dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'datastory-cli-'));
  // A local file is not a shared server's upload: no 50 MB cap unless the user sets one.
  const maxUploadBytes = process.env.DATASTORY_MAX_UPLOAD_MB ? undefined : 4 * 1024 ** 3;
  const config = loadConfig(process.env, { dataDir, ...(maxUploadBytes ? { maxUploadBytes } : {}) });
  // Logs go nowhere unless asked for: stdout is for results, stderr for progress.
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  const logger = createLogger(
    process.env.DATASTORY_LOG_LEVEL ?? 'silent',
    process.env.DATASTORY_LOG_LEVEL ? undefined : quiet,
  );
  const app = createApp(config, logger);
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  try {
    progress(`reading ${path.basename(file)}…`);
    const upload = await app.service.upload({ stream: fs.createReadStream(file), fileName: path.basename(file) });
    progress(`  ${upload.rowCount.toLocaleString('en-US')} rows, ${upload.columns.length} columns (${elapsed()})`);
    for (const warning of upload.warnings) progress(`  note: ${warning.message}`);
    const stories = await app.service.analyze({
      containerId: upload.containerId,
      ...(options.steer ? { steeringPrompt: options.steer } : {}),
      onProgress: ({ step }) => progress(`  ${step}…`),
    });
    progress(`found ${stories.length} stories (${elapsed()})`);
    const chosen = selectStories(stories, options.refine);
    await fs.promises.mkdir(options.out, { recursive: true });
    const refined: {
      story: Story;
      refinement: Refinement;
      charts: {
        title: string;
        caption: string;
        path: string;
        specPath: string;
        svgPath: string;
        type: string;
        alt: string;
      }[];
      dataset?: { path: string; rows: number; fileName: string };
    }[] = [];
    for (const [index, story] of chosen.entries()) {
      progress(`writing "${story.title}"…`);
      const refinement = await app.service.refine({
        containerId: upload.containerId,
        selectedStoryTitle: story.title,
        onProgress: ({ step }) => progress(`  ${step}…`),
      });
      const prefix = chosen.length > 1 ? `story${index + 1}-` : '';
      const copy = async (fileId: string, name: string) => {
        const { stream } = await app.service.openFile(upload.containerId, fileId);
        const target = path.join(options.out, name);
        await fs.promises.writeFile(target, stream);
        return name;
      };
      const charts = [];
      for (const [i, chart] of refinement.charts.entries()) {
        const base = `${prefix}chart-${i + 1}-${slug(chart.title)}`;
        charts.push({
          title: chart.title,
          caption: chart.caption,
          type: chart.type,
          alt: chart.alt,
          path: await copy(chart.fileId, `${base}.png`),
          specPath: chart.specFileId ? await copy(chart.specFileId, `${base}.vl.json`) : '',
          svgPath: chart.svgFileId ? await copy(chart.svgFileId, `${base}.svg`) : '',
        });
      }
      const dataset = refinement.resultDataset
        ? {
            path: await copy(refinement.resultDataset.fileId, `${prefix}${refinement.resultDataset.fileName}`),
            rows: refinement.resultDataset.rows,
            fileName: refinement.resultDataset.fileName,
          }
        : undefined;
      refined.push({ story, refinement, charts, ...(dataset ? { dataset } : {}) });
    }
    const sections: ReportSection[] = refined.map((entry) => ({
      narrative: entry.refinement.narrative,
      charts: entry.charts.map((chart) => ({ title: chart.title, caption: chart.caption, href: chart.path })),
      dataset: entry.dataset
        ? { fileName: entry.dataset.fileName, href: entry.dataset.path, rows: entry.dataset.rows }
        : undefined,
    }));
    if (sections.length > 0) {
      await fs.promises.writeFile(path.join(options.out, 'report.md'), reportMarkdown(sections));
      await fs.promises.writeFile(
        path.join(options.out, 'report.html'),
        reportHtml(refined[0]!.refinement.title, sections),
      );
    }
    progress(
      `done in ${elapsed()}; wrote ${path.join(options.out, 'report.md')} and ${path.join(options.out, 'report.html')}`,
    );
    if (options.json) {
      const document = {
        upload,
        stories,
        refined: refined.map((entry) => ({
          title: entry.refinement.title,
          narrative: entry.refinement.narrative,
          charts: entry.charts.map((chart) => ({
            ...chart,
            path: path.join(options.out, chart.path),
            specPath: path.join(options.out, chart.specPath),
            svgPath: path.join(options.out, chart.svgPath),
          })),
          ...(entry.dataset
            ? {
                resultDataset: {
                  fileName: entry.dataset.fileName,
                  path: path.join(options.out, entry.dataset.path),
                  rows: entry.dataset.rows,
                },
              }
            : {}),
          warnings: entry.refinement.warnings,
        })),
      };
      process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    } else {
      const lines = [`${upload.fileName}: ${upload.rowCount.toLocaleString('en-US')} rows`, ''];
      for (const [i, story] of stories.entries())
        lines.push(`${i + 1}. [${story.strength}] ${story.title}`, `   ${story.summary}`, '');
      for (const entry of refined)
        lines.push(
          `Refined: ${entry.refinement.title}`,
          ...entry.charts.map((chart) => `  chart: ${path.join(options.out, chart.path)}`),
          ...(entry.dataset ? [`  data:  ${path.join(options.out, entry.dataset.path)}`] : []),
        );
      if (sections.length > 0)
        lines.push('', `Report: ${path.join(options.out, 'report.md')} and ${path.join(options.out, 'report.html')}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return 0;
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await app.close();
    await fs.promises.rm(dataDir, { recursive: true, force: true });
  }
}
