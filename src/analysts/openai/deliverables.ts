import path from 'node:path';
import type { HostedFile } from '../../openai/hosted-containers.ts';
import { fileLink } from '../types.ts';
import type { TurnResult } from './turn.ts';

const imageTypes = new Set(['.png', '.jpg', '.jpeg']);
const maxCharts = 4;

/** A file the model made that we keep: a chart or the story's dataset. */
export interface Deliverable {
  file: HostedFile;
  kind: 'chart' | 'dataset';
  /** From the Markdown that embeds or links it, else from the file name. */
  title: string;
}

/** `![alt](sandbox:/mnt/data/x.png)`, `[text](sandbox:/mnt/data/x.csv)` and bare `/mnt/data/x.png` links. */
const linkPattern = /(!?)\[([^\]]*)\]\(\s*(?:sandbox:)?(\/mnt\/data\/[^)\s]+)\s*\)/g;
const writtenPathPattern = /\/mnt\/data\/[\w.\- ]+\.(?:png|jpe?g|csv)/g;

const humanize = (file: string) => {
  const base = path
    .basename(file, path.extname(file))
    .replace(/^[0-9a-f]{32}-/, '')
    .replace(/[_-]+/g, ' ')
    .trim();
  return base ? `${base[0]!.toUpperCase()}${base.slice(1)}` : 'Chart';
};

/**
 * Finds what the model produced for the story: files cited by `container_file_citation`, files its
 * Markdown links to, and files its code wrote (savefig/to_csv paths) that exist in the container.
 * Uploaded files (`source: user`) are never deliverables.
 */
export function findDeliverables(
  turns: TurnResult[],
  files: HostedFile[],
  finalText: string,
): { kept: Deliverable[]; warnings: string[] } {
  const byId = new Map(files.map((file) => [file.id, file]));
  const byPath = new Map(files.map((file) => [file.path, file]));
  const titles = new Map<string, string>();
  const ordered: HostedFile[] = [];
  const add = (file: HostedFile | undefined) => {
    if (file && file.source !== 'user' && !ordered.includes(file)) ordered.push(file);
  };
  for (const match of finalText.matchAll(linkPattern)) {
    const file = byPath.get(decodeURI(match[3]!));
    if (file && match[2]?.trim() && !titles.has(file.id)) titles.set(file.id, match[2].trim());
    add(file);
  }
  for (const turn of turns) for (const citation of turn.citations) add(byId.get(citation.fileId));
  for (const turn of turns)
    for (const cell of turn.cells)
      for (const written of cell.code.match(writtenPathPattern) ?? []) add(byPath.get(written));

  const warnings: string[] = [];
  const kept: Deliverable[] = [];
  let charts = 0;
  for (const file of ordered) {
    const extension = path.extname(file.path).toLowerCase();
    const title = titles.get(file.id) ?? humanize(file.path);
    if (imageTypes.has(extension)) {
      if (charts === maxCharts) {
        warnings.push(`The model made more than ${maxCharts} charts; we kept the first ${maxCharts}.`);
        continue;
      }
      charts += 1;
      kept.push({ file, kind: 'chart', title });
    } else if (extension === '.csv' && !kept.some((item) => item.kind === 'dataset')) {
      kept.push({ file, kind: 'dataset', title });
    }
  }
  if (charts < 2)
    warnings.push(`The model made ${charts === 0 ? 'no chart' : 'only one chart'} for this story (we ask for 2 to 4).`);
  return { kept, warnings: [...new Set(warnings)] };
}

/**
 * Rewrites the model's dead `sandbox:/mnt/data/…` links: to `fileLink` placeholders that the service
 * turns into `/api/files/…` URLs once the files are stored, or to plain text when we did not keep the file.
 */
export function rewriteLinks(text: string, kept: Deliverable[]): string {
  const charts = kept.filter((item) => item.kind === 'chart');
  return text.replace(linkPattern, (_whole, bang: string, label: string, target: string) => {
    const file = decodeURI(target);
    const chartIndex = charts.findIndex((item) => item.file.path === file);
    if (chartIndex >= 0) return `${bang}[${label}](${fileLink.chart(chartIndex)})`;
    if (kept.some((item) => item.kind === 'dataset' && item.file.path === file))
      return `${bang}[${label}](${fileLink.dataset})`;
    return label;
  });
}

/** Markdown without links and images (their targets hold digits that are not claims). */
export const withoutLinks = (text: string) => text.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
