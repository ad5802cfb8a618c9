import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { Story } from '../api.ts';
import { strengthWords } from '../words.ts';
import { Chart } from './chart.tsx';

/** The optional steering prompt and the button that starts an analysis. */
export function FindStoriesForm({
  onFind,
  busy,
  again,
}: {
  onFind: (steeringPrompt: string) => void;
  busy: boolean;
  again: boolean;
}) {
  const [prompt, setPrompt] = useState('');
  return (
    <form
      class="find-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!busy) onFind(prompt);
      }}
    >
      <label for="steering">
        What are you curious about? <span class="muted">(optional — e.g. “focus on regions” or “churn”)</span>
      </label>
      <div class="find-row">
        <input
          id="steering"
          type="text"
          maxLength={2000}
          value={prompt}
          onInput={(event) => setPrompt(event.currentTarget.value)}
          disabled={busy}
          placeholder="Leave empty to let us pick the most interesting angles"
        />
        <button type="submit" class="button" disabled={busy}>
          {again ? 'Find new stories' : 'Find stories'}
        </button>
      </div>
    </form>
  );
}

/** The three angles: pick one to read it in full. */
export function StoryCards({
  stories,
  onPick,
  pendingId,
  pendingNote,
}: {
  stories: Story[];
  onPick: (story: Story) => void;
  pendingId: string | null;
  /** Progress or an error, shown inside the card that was picked. */
  pendingNote?: { storyId: string; content: ComponentChildren } | null;
}) {
  const understood = steeringOf(stories[0])?.understood;
  return (
    <>
      {understood && (
        <p class="steering-note" id="steering-note">
          {understood}
        </p>
      )}
      <ul class="cards">
        {stories.map((story) => (
          <li key={story.id} class="card">
            <p class="card-tags">
              <span class={`strength strength-${story.strength}`}>
                {strengthWords[story.strength] ?? story.strength}
              </span>
              {steeringOf(story)?.matched && <span class="matches">Matches your request</span>}
            </p>
            <h3>{story.title}</h3>
            {story.preview && <Chart spec={story.preview.vegaLite} alt={story.preview.alt} variant="card" />}
            <p class="summary">{story.summary}</p>
            <button
              type="button"
              class="button card-button"
              id={`pick-${story.id}`}
              disabled={pendingId !== null}
              aria-label={`Read the story: ${story.title}`}
              onClick={() => onPick(story)}
            >
              {pendingId === story.id ? 'Writing…' : 'Read this story'}
            </button>
            {pendingNote?.storyId === story.id && pendingNote.content}
          </li>
        ))}
      </ul>
    </>
  );
}

/** What the builtin analyst says about the steering prompt (other analysts may say nothing). */
function steeringOf(story: Story | undefined): { understood: string; matched: boolean } | null {
  const steering = story?.evidence?.steering as { understood?: unknown; matched?: unknown } | undefined;
  if (!steering || typeof steering.understood !== 'string') return null;
  return { understood: steering.understood, matched: steering.matched === true };
}
