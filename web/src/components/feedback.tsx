import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ApiError, ProgressEvent } from '../api.ts';
import { errorHeadline, seconds } from '../words.ts';

/** A failed call, in plain words, where it happened. */
export function ErrorBox({ error, children }: { error: ApiError; children?: ComponentChildren }) {
  return (
    <div class="error-box" role="alert">
      <p class="error-headline">{errorHeadline(error)}</p>
      <p>{error.message}</p>
      {children}
      {error.requestId && <p class="muted small">Reference for support: {error.requestId}</p>}
    </div>
  );
}

/** Steps streamed by the server, with a clock that keeps moving between them. */
export function ProgressSteps({
  title,
  steps,
  startedAt,
}: {
  title: string;
  steps: ProgressEvent[];
  startedAt: number;
}) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(timer);
  }, []);
  return (
    <div class="progress-steps" role="status" aria-live="polite">
      <p>
        <strong>{title}</strong> <span class="muted">· {seconds(now - startedAt)}</span>
      </p>
      <div class="progress-track" aria-hidden="true">
        <div class="progress-sweep" />
      </div>
      <ol>
        {steps.length === 0 && <li class="step-current">Starting…</li>}
        {steps.map((step, index) => {
          const current = index === steps.length - 1;
          const next = steps[index + 1];
          const tookMs = (next ? next.elapsedMs : now - startedAt) - step.elapsedMs;
          return (
            <li key={`${index}-${step.step}`} class={current ? 'step-current' : 'step-done'}>
              <span aria-hidden="true">{current ? '▸' : '✓'}</span> {step.step}
              {!current && <span class="muted small"> · {seconds(Math.max(0, tookMs))}</span>}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
