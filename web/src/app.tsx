import { useEffect, useState } from 'preact/hooks';
import {
  ApiError,
  getSession,
  type ProgressEvent,
  type Refinement,
  type Story,
  streamCall,
  type Upload,
  uploadCsv,
} from './api.ts';
import { ErrorBox, ProgressSteps } from './components/feedback.tsx';
import { ReadingSummary } from './components/reading.tsx';
import { FindStoriesForm, StoryCards } from './components/stories.tsx';
import { StoryView } from './components/story.tsx';
import { DropZone, type UploadFailure, type UploadProgress } from './components/upload.tsx';

interface Job {
  startedAt: number;
  steps: ProgressEvent[];
}

/** The session and the open story live in the URL, so a reload (or a shared link) comes back to the same place. */
function readUrl() {
  const params = new URLSearchParams(window.location.search);
  return { containerId: params.get('containerId'), storyId: params.get('story') };
}

function writeUrl(containerId: string | null, storyId: string | null) {
  const params = new URLSearchParams();
  if (containerId) params.set('containerId', containerId);
  if (storyId) params.set('story', storyId);
  const query = params.toString();
  const url = query ? `/?${query}` : '/';
  if (url !== `${window.location.pathname}${window.location.search}`) window.history.pushState(null, '', url);
}

/** Moves keyboard focus to an element once it is on screen (after the next render). */
const focusSoon = (id: string) => setTimeout(() => document.getElementById(id)?.focus(), 50);

const asApiError = (error: unknown) =>
  error instanceof ApiError ? error : new ApiError(500, 'internal_error', 'Something unexpected happened in the page.');

export function App() {
  const [upload, setUpload] = useState<Upload | null>(null);
  const [stories, setStories] = useState<Story[] | null>(null);
  const [refinements, setRefinements] = useState<Record<string, Refinement>>({});
  const [selectedId, setSelectedId] = useState<string | null>(null);

  const [uploading, setUploading] = useState<UploadProgress | null>(null);
  const [uploadFailure, setUploadFailure] = useState<UploadFailure | null>(null);
  const [restoring, setRestoring] = useState<string | null>(null);
  const [lostSession, setLostSession] = useState<ApiError | null>(null);
  const [analysis, setAnalysis] = useState<Job | null>(null);
  const [analysisError, setAnalysisError] = useState<ApiError | null>(null);
  const [refining, setRefining] = useState<(Job & { storyId: string }) | null>(null);
  const [refineError, setRefineError] = useState<{ storyId: string; error: ApiError } | null>(null);

  const reset = () => {
    setUpload(null);
    setStories(null);
    setRefinements({});
    setSelectedId(null);
    setUploadFailure(null);
    setLostSession(null);
    setAnalysis(null);
    setAnalysisError(null);
    setRefining(null);
    setRefineError(null);
  };

  const sessionEnded = (error: ApiError) => {
    reset();
    setLostSession(error);
  };

  const restore = async (containerId: string, storyId: string | null) => {
    reset();
    setRestoring(containerId);
    try {
      const session = await getSession(containerId);
      setUpload(session);
      setStories(session.stories.length > 0 ? session.stories : null);
      const byStory = Object.fromEntries(session.refinements.map((refinement) => [refinement.storyId, refinement]));
      setRefinements(byStory);
      setSelectedId(storyId && byStory[storyId] ? storyId : null);
    } catch (error) {
      setLostSession(asApiError(error));
    } finally {
      setRestoring(null);
    }
  };

  // Once: open the session named in the URL; back/forward later arrive as popstate.
  useEffect(() => {
    const { containerId, storyId } = readUrl();
    if (containerId) restore(containerId, storyId);
    const onPopState = () => {
      const target = readUrl();
      if (!target.containerId) reset();
      else restore(target.containerId, target.storyId);
    };
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  const chooseFile = async (file: File) => {
    reset();
    setUploading({ fileName: file.name, sizeBytes: file.size, fraction: 0 });
    try {
      const answer = await uploadCsv(file, (fraction) =>
        setUploading({ fileName: file.name, sizeBytes: file.size, fraction }),
      );
      setUpload(answer);
      writeUrl(answer.containerId, null);
      focusSoon('reading-title');
    } catch (error) {
      setUploadFailure({ error: asApiError(error), fileName: file.name, sizeBytes: file.size });
    } finally {
      setUploading(null);
    }
  };

  const findStories = async (steeringPrompt: string) => {
    if (!upload) return;
    setAnalysisError(null);
    setRefineError(null);
    const job: Job = { startedAt: Date.now(), steps: [] };
    setAnalysis(job);
    try {
      const found = await streamCall<Story[]>(
        '/api/analyze',
        { containerId: upload.containerId, ...(steeringPrompt.trim() ? { steeringPrompt } : {}) },
        (step) => {
          job.steps = [...job.steps, step];
          setAnalysis({ ...job });
        },
      );
      setStories(found);
      focusSoon('cards-title');
    } catch (error) {
      const apiError = asApiError(error);
      if (apiError.code === 'session_not_found') sessionEnded(apiError);
      else setAnalysisError(apiError);
    } finally {
      setAnalysis(null);
    }
  };

  const openStory = async (story: Story) => {
    if (!upload) return;
    setRefineError(null);
    if (refinements[story.id]) {
      setSelectedId(story.id);
      writeUrl(upload.containerId, story.id);
      window.scrollTo(0, 0);
      return;
    }
    const job = { startedAt: Date.now(), steps: [] as ProgressEvent[], storyId: story.id };
    setRefining(job);
    try {
      const refinement = await streamCall<Refinement>(
        '/api/refine',
        { containerId: upload.containerId, selectedStoryTitle: story.title },
        (step) => {
          job.steps = [...job.steps, step];
          setRefining({ ...job });
        },
      );
      setRefinements((known) => ({ ...known, [story.id]: refinement }));
      setSelectedId(story.id);
      writeUrl(upload.containerId, story.id);
      window.scrollTo(0, 0);
    } catch (error) {
      const apiError = asApiError(error);
      if (apiError.code === 'session_not_found') sessionEnded(apiError);
      else setRefineError({ storyId: story.id, error: apiError });
    } finally {
      setRefining(null);
    }
  };

  const backToCards = () => {
    const previous = selectedId;
    setSelectedId(null);
    writeUrl(upload?.containerId ?? null, null);
    if (previous) focusSoon(`pick-${previous}`);
  };

  const startOver = () => {
    reset();
    writeUrl(null, null);
  };

  const selected = selectedId ? refinements[selectedId] : undefined;

  return (
    <>
      <header class="site-header">
        <a href="/" class="brand">
          datastory
        </a>
        <span class="tagline">the story in your CSV, every number traced to the data</span>
        {(upload || lostSession) && (
          <button type="button" class="button button-quiet header-action" onClick={startOver}>
            Use another file
          </button>
        )}
      </header>
      <main id="main">
        {restoring && (
          <p class="panel" role="status">
            Opening your session…
          </p>
        )}

        {lostSession && (
          <section class="panel" aria-labelledby="lost-title">
            {lostSession.code === 'session_not_found' ? (
              <>
                <h1 id="lost-title">This session has ended</h1>
                <p>
                  We no longer have the file this link points to: sessions are kept for a limited time. Upload the file
                  again to start a new session — it takes a few seconds.
                </p>
              </>
            ) : (
              <>
                <h1 id="lost-title">We could not open this session</h1>
                <ErrorBox error={lostSession}>
                  <button type="button" class="button" onClick={() => window.location.reload()}>
                    Try again
                  </button>
                </ErrorBox>
                <p>Or upload the file again to start a new session.</p>
              </>
            )}
            <DropZone onFile={chooseFile} uploading={uploading} failure={uploadFailure} />
          </section>
        )}

        {!upload && !restoring && !lostSession && (
          <section class="panel" aria-labelledby="start-title">
            <h1 id="start-title">Find the story in a spreadsheet</h1>
            <p class="lede">
              Give us a CSV file. We show how we read it, suggest three stories the numbers tell, and write the one you
              pick, with charts you can download.
            </p>
            <h2 class="step">
              <span class="step-number">1</span> Choose a CSV file
            </h2>
            <DropZone onFile={chooseFile} uploading={uploading} failure={uploadFailure} />
          </section>
        )}

        {upload && selected && <StoryView refinement={selected} onBack={backToCards} />}

        {upload && !selected && (
          <>
            <section class="panel" aria-labelledby="reading-title">
              <h1 class="step" id="reading-title" tabIndex={-1}>
                <span class="step-number">1</span> How we read your file
              </h1>
              {stories ? (
                <details>
                  <summary>
                    {upload.fileName}: {upload.rowCount.toLocaleString('en')} rows, {upload.columns.length} columns —
                    show details
                  </summary>
                  <ReadingSummary upload={upload} />
                </details>
              ) : (
                <ReadingSummary upload={upload} />
              )}
            </section>

            <section class="panel" aria-labelledby="find-title">
              <h2 class="step" id="find-title">
                <span class="step-number">2</span> Find the stories
              </h2>
              <p>
                We look for trends over time, differences between groups, relationships between columns and unusual
                values, then show you the three strongest.
              </p>
              <FindStoriesForm onFind={findStories} busy={analysis !== null} again={stories !== null} />
              {analysis && (
                <ProgressSteps title="Looking for stories" steps={analysis.steps} startedAt={analysis.startedAt} />
              )}
              {analysisError && <ErrorBox error={analysisError} />}
            </section>

            {stories && !analysis && (
              <section class="panel" aria-labelledby="cards-title">
                <h2 class="step" id="cards-title" tabIndex={-1}>
                  <span class="step-number">3</span> Pick a story to read
                </h2>
                <StoryCards
                  stories={stories}
                  onPick={openStory}
                  pendingId={refining?.storyId ?? null}
                  pendingNote={
                    refining
                      ? {
                          storyId: refining.storyId,
                          content: (
                            <ProgressSteps
                              title="Writing the story"
                              steps={refining.steps}
                              startedAt={refining.startedAt}
                            />
                          ),
                        }
                      : refineError
                        ? { storyId: refineError.storyId, content: <ErrorBox error={refineError.error} /> }
                        : null
                  }
                />
              </section>
            )}
          </>
        )}
      </main>
    </>
  );
}
