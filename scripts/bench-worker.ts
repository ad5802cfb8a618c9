/** One measured run in a fresh process (so peak memory is this run's alone). Prints one JSON line. */
import { renderChart } from '../src/charts/render.ts';
import { openDatabase } from '../src/db/duckdb.ts';
import { readCsv } from '../src/ingest/index.ts';
import { discover, writeStory } from '../src/insights/engine.ts';

const [mode, file] = process.argv.slice(2);
const db = await openDatabase();
const started = performance.now();
const phases: Record<string, number> = {};
const lap = (name: string, since: number) => {
  phases[name] = Math.round(performance.now() - since);
  return performance.now();
};
let at = started;
if (mode === 'bare') {
  await db.connection.run(`CREATE TABLE t AS SELECT * FROM read_csv_auto('${file!.replaceAll("'", "''")}')`);
  at = lap('load', at);
} else {
  const reading = await readCsv(db.connection, file!, { tableName: 'data' });
  at = lap('read', at);
  const found = await discover(db.connection, 'data', reading, { sampleRows: 500_000 });
  at = lap('analyze', at);
  let charts = 0;
  for (const angle of found.angles) {
    const story = await writeStory(db.connection, 'data', reading, angle, {
      sampleRows: 500_000,
      profile: found.profile,
      queries: found.queries,
    });
    // As the builtin analyst does: all of a story's charts at once (PNGs rasterize off the main thread).
    await Promise.all(story.charts.map((chart) => renderChart(chart)));
    charts += story.charts.length;
  }
  at = lap('refineAll', at);
  phases.charts = charts;
}
db.close();
console.log(
  JSON.stringify({
    totalMs: Math.round(performance.now() - started),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    phases,
  }),
);
