import { createHash } from 'node:crypto';
import { renderChart, warmChartRenderer } from '../../charts/render.ts';
import { queryRows } from '../../db/duckdb.ts';
import { csvCell } from '../../ingest/index.ts';
import { chartsForFact } from '../../insights/charts.ts';
import { discover, type WrittenStory, writeStory } from '../../insights/engine.ts';
import { describeFact } from '../../insights/narrative/facts.ts';
import { plainText } from '../../insights/narrative/format.ts';
import { Vocabulary } from '../../insights/narrative/phrases.ts';
import type { QueryCache } from '../../insights/queries.ts';
import type { Angle, DatasetProfile } from '../../insights/types.ts';
import type { StoredStory } from '../../sessions/types.ts';
import type { AnalysisContext, Analyst, AnalystRefinement } from '../types.ts';

/** Rows a story's dataset may hold; a larger subset is cut, and the answer says so. */
const maxDatasetRows = 100_000;

interface BuiltinDetail {
  angle: Angle;
  testsRun: number;
}

const storyId = (angle: Angle) => `story_${createHash('sha256').update(angle.id).digest('hex').slice(0, 16)}`;

function toCsv(rows: Record<string, unknown>[]): string {
  const header = Object.keys(rows[0] ?? {});
  const lines = [header.map((h) => csvCell(h)).join(',')];
  for (const row of rows) {
    lines.push(
      header
        .map((key) => {
          const value = row[key];
          return csvCell(
            value === null || value === undefined
              ? null
              : typeof value === 'number' || typeof value === 'boolean'
                ? value
                : String(value),
          );
        })
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The profile computed when the file was read (or by an earlier call), and the aggregates an earlier
 * discovery computed on it, if this workspace has them.
 */
export function cachedProfile(memo: Map<string, unknown>): { profile?: DatasetProfile; queries?: QueryCache } {
  const profile = memo.get('profile') as DatasetProfile | undefined;
  const queries = memo.get('queries') as QueryCache | undefined;
  return { ...(profile ? { profile } : {}), ...(queries ? { queries } : {}) };
}

/** The deterministic insight engine as an analyst: no model, no key, same file → same stories. */
export class BuiltinAnalyst implements Analyst {
  readonly name = 'builtin';

  constructor(private readonly options: { sampleRows: number }) {}

  async discover(context: AnalysisContext, steeringPrompt: string | undefined): Promise<StoredStory[]> {
    const { workspace } = context;
    // The chart workers start while the data is analysed: the first refine then draws at once.
    warmChartRenderer();
    const result = await discover(workspace.db.connection, workspace.table, workspace.reading, {
      sampleRows: this.options.sampleRows,
      ...(steeringPrompt ? { steeringPrompt } : {}),
      signal: context.signal,
      onProgress: context.onProgress,
      ...cachedProfile(workspace.memo),
    });
    workspace.memo.set('profile', result.profile);
    workspace.memo.set('queries', result.queries);
    const words = new Vocabulary(result.profile);
    return result.angles.map((angle) => {
      const text = describeFact(angle.lead, words);
      const leadCharts = chartsForFact(angle.lead, words);
      const chartTypes = [
        ...new Set([...leadCharts, ...angle.support.flatMap((fact) => chartsForFact(fact, words))].map((c) => c.type)),
      ];
      const detail: BuiltinDetail = { angle, testsRun: result.testsRun };
      return {
        id: storyId(angle),
        // Cards show text, not Markdown: no "\<" before a member named "< 1 year".
        title: plainText(text.title),
        summary: plainText(text.summary),
        chartTypes: chartTypes.slice(0, 4),
        kind: angle.lead.type,
        columns: [...new Set([angle.lead, ...angle.support].flatMap((fact) => fact.columns))],
        score: Number(angle.score.toFixed(4)),
        strength: angle.strength,
        ...(leadCharts[0] ? { preview: { vegaLite: leadCharts[0].vegaLite, alt: leadCharts[0].alt } } : {}),
        evidence: {
          q: Number(angle.lead.q.toPrecision(3)),
          effect: Number(angle.lead.effect.toFixed(3)),
          impact: Number(angle.lead.impact.toFixed(3)),
          testsRun: result.testsRun,
          numbers: Object.fromEntries(Object.entries(angle.lead.claims).map(([name, claim]) => [name, claim.text])),
          supportingFacts: angle.support.map((fact) => plainText(describeFact(fact, words).mention)),
          ...(result.steering.note
            ? {
                steering: {
                  understood: result.steering.note,
                  matched: result.steering.matchedAngleIds.includes(angle.id),
                },
              }
            : {}),
        },
        detail,
      };
    });
  }

  async refine(context: AnalysisContext, story: StoredStory): Promise<AnalystRefinement> {
    const { workspace } = context;
    const detail = story.detail as BuiltinDetail;
    context.onProgress('writing the narrative');
    const written = await writeStory(workspace.db.connection, workspace.table, workspace.reading, detail.angle, {
      sampleRows: this.options.sampleRows,
      ...cachedProfile(workspace.memo),
    });
    context.onProgress('drawing charts');
    // All charts at once: each one's PNG is rasterized off the main thread while the next is laid out.
    const rendering = Promise.all(
      written.charts.map(async (chart) => {
        context.signal.throwIfAborted();
        const rendered = await renderChart(chart);
        // A caption that repeats a paragraph word for word adds nothing: say what is drawn instead.
        const caption = written.narrative.includes(chart.alt) ? (chart.subtitle ?? chart.title) : chart.alt;
        return {
          title: chart.title,
          caption,
          alt: chart.alt,
          type: chart.type,
          spec: chart.vegaLite,
          ...rendered,
        };
      }),
    );
    const [charts, { dataset, warnings }] = await Promise.all([rendering, this.storyDataset(workspace, written)]);
    return { title: plainText(written.title), narrative: written.narrative, charts, dataset, warnings };
  }

  /** The rows behind the story as CSV, cut to `maxDatasetRows`. */
  private async storyDataset(
    workspace: AnalysisContext['workspace'],
    written: WrittenStory,
  ): Promise<{ dataset: AnalystRefinement['dataset']; warnings: string[] }> {
    const warnings: string[] = [];
    if (!written.dataset) return { dataset: null, warnings };
    const rows =
      'sql' in written.dataset
        ? await queryRows(workspace.db.connection, `${written.dataset.sql} LIMIT ${maxDatasetRows + 1}`)
        : written.dataset.rows;
    if (rows.length > maxDatasetRows) {
      rows.length = maxDatasetRows;
      warnings.push(`The story's dataset was cut to its first ${maxDatasetRows.toLocaleString('en-US')} rows.`);
    }
    const dataset =
      rows.length > 0 ? { fileName: written.dataset.fileName, csv: toCsv(rows), rows: rows.length } : null;
    return { dataset, warnings };
  }
}
