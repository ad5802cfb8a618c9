import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../errors.ts';

const kinds = [
  'trend',
  'peak',
  'change_point',
  'spike',
  'seasonality',
  'leader',
  'laggard',
  'concentration',
  'segment_difference',
  'correlation',
  'distribution',
  'overview',
] as const;

/** The JSON schema of phase 1's answer (Responses `text.format`, strict mode: every field required). */
export const storiesFormat = {
  type: 'json_schema' as const,
  name: 'story_candidates',
  strict: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['stories'],
    properties: {
      stories: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['title', 'summary', 'kind', 'chartTypes', 'columns', 'strength', 'keyNumbers', 'factIds'],
          properties: {
            title: { type: 'string' },
            summary: { type: 'string' },
            kind: { type: 'string', enum: [...kinds] },
            chartTypes: { type: 'array', items: { type: 'string' } },
            columns: { type: 'array', items: { type: 'string' } },
            strength: { type: 'string', enum: ['strong', 'moderate', 'weak'] },
            keyNumbers: {
              type: 'array',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['label', 'value'],
                properties: { label: { type: 'string' }, value: { type: 'string' } },
              },
            },
            factIds: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
  },
};

/** Lenient on what models get wrong harmlessly (a missing list, a kind outside the enum), strict on what matters. */
const storySchema = z.object({
  title: z.string().trim().min(3).max(300),
  summary: z.string().trim().min(10).max(2000),
  kind: z.string().trim().min(1).catch('overview'),
  chartTypes: z.array(z.string()).catch([]),
  columns: z.array(z.string()).catch([]),
  strength: z.enum(['strong', 'moderate', 'weak']).catch('moderate'),
  keyNumbers: z
    .array(z.object({ label: z.string(), value: z.union([z.string(), z.number()]).transform(String) }))
    .catch([]),
  factIds: z.array(z.string()).catch([]),
});

export type ModelStory = z.infer<typeof storySchema>;

/** Every JSON object or array the text might hold: the whole text, fenced blocks, then the outermost braces. */
function candidates(text: string): string[] {
  const found = [text.trim()];
  for (const match of text.matchAll(/```(?:json|JSON)?\s*\n?([\s\S]*?)```/g)) if (match[1]) found.push(match[1].trim());
  const first = text.search(/[[{]/);
  const last = Math.max(text.lastIndexOf('}'), text.lastIndexOf(']'));
  if (first >= 0 && last > first) found.push(text.slice(first, last + 1));
  return found;
}

/**
 * Reads the three stories from the model's final message: strict JSON (structured output), JSON in a
 * code fence, or JSON with prose around it. Throws `upstream_error` with a clear message otherwise.
 */
export function parseStories(text: string): ModelStory[] {
  for (const candidate of candidates(text)) {
    let value: unknown;
    try {
      value = JSON.parse(candidate);
    } catch {
      continue;
    }
    const list = Array.isArray(value) ? value : (value as { stories?: unknown } | null)?.stories;
    if (!Array.isArray(list)) continue;
    const stories = list
      .map((item) => storySchema.safeParse(item))
      .flatMap((parsed) => (parsed.success ? [parsed.data] : []));
    if (stories.length >= 3) return stories.slice(0, 3);
  }
  throw new AppError(
    'upstream_error',
    text.trim()
      ? 'The model did not answer with three stories in the expected JSON format. Try again; if it keeps happening, use DATASTORY_ANALYST=builtin.'
      : 'The model returned an empty answer. Try again; if it keeps happening, use DATASTORY_ANALYST=builtin.',
    { retryable: true },
  );
}

export const storyIdOf = (title: string) =>
  `story_${createHash('sha256').update(`openai:${title}`).digest('hex').slice(0, 16)}`;
