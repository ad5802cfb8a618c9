import { discover } from '../../insights/engine.ts';
import { describeFact } from '../../insights/narrative/facts.ts';
import { Vocabulary } from '../../insights/narrative/phrases.ts';
import type { Claim, DatasetProfile } from '../../insights/types.ts';
import { namesOf } from '../../insights/verify.ts';
import { cachedProfile } from '../builtin/builtin-analyst.ts';
import type { AnalysisContext } from '../types.ts';

/** Facts the prompt lists; the rest still count as evidence when we verify the model's numbers. */
const factsInPrompt = 15;

/** What the builtin engine hands the model: a verified starting point, and what we check its text against. */
export interface Grounding {
  profile: DatasetProfile;
  /** Profile and candidate facts as prompt text. */
  text: string;
  /** Every claim of every fact: the numbers a narrative may quote. */
  claims: Claim[];
  /** Column and member names (numbers inside them are not inventions). */
  names: string[];
}

/** Runs the engine once per loaded workspace (cached with it) and renders its findings for the prompt. */
export async function groundingFor(context: AnalysisContext, sampleRows: number): Promise<Grounding> {
  const { workspace } = context;
  const cached = workspace.memo.get('openai.grounding') as Grounding | undefined;
  if (cached) return cached;
  context.onProgress('profiling the data with the built-in engine (grounding)');
  const result = await discover(workspace.db.connection, workspace.table, workspace.reading, {
    sampleRows,
    signal: context.signal,
    ...cachedProfile(workspace.memo),
  });
  workspace.memo.set('profile', result.profile);
  const words = new Vocabulary(result.profile);
  const { profile } = result;
  const lines = [
    `Rows: ${profile.rowCount}${profile.sampled ? ' (row-level statistics used a sample)' : ''}.`,
    'Columns (name: role, distinct values, missing):',
    ...profile.fields.map(
      (field) => `- ${field.name}: ${field.role}, ${field.distinct} distinct, ${field.missing} missing`,
    ),
  ];
  if (profile.time)
    lines.push(
      `Time column: ${profile.time.name}, one value per ${profile.time.granularity}, from ${profile.time.min} to ${profile.time.max}.`,
    );
  // A derived "new …" measure is in our table, not in the file: say how to compute it.
  for (const level of profile.measures.filter((m) => m.runningTotal)) {
    const { seriesSql, flow } = level.runningTotal!;
    const series = profile.dimensions.filter((d) => seriesSql.includes(d.sql)).map((d) => d.name);
    lines.push(
      `${level.id} is a count to date (it never goes down${series.length > 0 ? ` within each ${series.join(' × ')}` : ''}): never sum it over time.` +
        (flow
          ? ` "${flow}" below is its step from the previous ${profile.time?.name ?? 'row'}${series.length > 0 ? ` of the same ${series.join(' × ')}` : ''}, not a column of the file (in pandas: sort by time, then groupby(...).diff()).`
          : ''),
    );
  }
  // Measures we derived are named in the facts below but are not columns of the file.
  const formulas = profile.measures.filter((m) => m.formula && !m.runningTotal);
  if (formulas.length > 0)
    lines.push(
      'Derived measures (not columns of the file; compute them like this):',
      ...formulas.map((m) => `- "${m.label}": ${m.formula}`),
    );
  for (const dimension of profile.dimensions.slice(0, 8))
    lines.push(`Members of ${dimension.name} (most frequent first): ${dimension.members.slice(0, 12).join(', ')}.`);
  lines.push('', 'Candidate facts found by our statistics engine (significance-tested; numbers are exact):');
  for (const fact of result.facts.slice(0, factsInPrompt)) {
    const text = describeFact(fact, words);
    const numbers = Object.entries(fact.claims)
      .map(([name, claim]) => `${name}=${claim.text}`)
      .join('; ');
    lines.push(`- [${fact.id}] (${fact.type}, ${fact.strength}) ${text.summary} Numbers: ${numbers}`);
  }
  const grounding: Grounding = {
    profile,
    text: lines.join('\n'),
    claims: result.facts.flatMap((fact) => Object.values(fact.claims)),
    names: namesOf(profile),
  };
  workspace.memo.set('openai.grounding', grounding);
  return grounding;
}
