import { useEffect, useRef } from 'preact/hooks';
import { fileUrl, type Refinement } from '../api.ts';
import { renderMarkdown } from '../markdown.ts';
import { count } from '../words.ts';
import { Chart } from './chart.tsx';

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'chart';

/** One refined story: the narrative, its charts, and everything to download. */
export function StoryView({ refinement, onBack }: { refinement: Refinement; onBack: () => void }) {
  const heading = useRef<HTMLDivElement>(null);
  useEffect(() => heading.current?.focus(), [refinement.storyId]);
  const { containerId, report, resultDataset } = refinement;
  return (
    <article class="story" aria-label={refinement.title}>
      <button type="button" class="link-button" onClick={onBack}>
        ← Back to the three stories
      </button>
      <div
        class="narrative"
        ref={heading}
        tabIndex={-1}
        // Safe: markdown-it with html off escapes every tag and refuses javascript: links (see markdown.ts).
        dangerouslySetInnerHTML={{ __html: renderMarkdown(refinement.narrative) }}
      />
      {refinement.warnings.length > 0 && (
        <ul class="warnings">
          {refinement.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      <section aria-label="Charts">
        {refinement.charts.map((chart, index) => {
          const name = `${index + 1}-${slug(chart.title)}`;
          return (
            <figure key={chart.fileId} class="figure">
              <Chart
                {...(chart.specFileId ? { specUrl: fileUrl(containerId, chart.specFileId) } : {})}
                pngUrl={chart.url}
                alt={chart.alt}
                variant="story"
              />
              <figcaption>
                <p class="swipe-hint muted small">Swipe the chart sideways to see all of it.</p>
                <p>{chart.caption}</p>
                <p class="downloads">
                  <a class="button button-quiet" href={chart.url} download={`${name}.png`}>
                    Download chart {index + 1} (PNG)
                  </a>
                  {chart.svgFileId && (
                    <a
                      class="button button-quiet"
                      href={fileUrl(containerId, chart.svgFileId)}
                      download={`${name}.svg`}
                    >
                      Download chart {index + 1} (SVG)
                    </a>
                  )}
                </p>
              </figcaption>
            </figure>
          );
        })}
      </section>
      <section class="take-away" aria-labelledby="downloads-title">
        <h3 id="downloads-title">Take it with you</h3>
        <p class="downloads">
          {report && (
            <>
              <a class="button" href={fileUrl(containerId, report.htmlFileId)} download="report.html">
                Report (web page)
              </a>
              <a class="button" href={fileUrl(containerId, report.markdownFileId)} download="report.md">
                Report (Markdown)
              </a>
            </>
          )}
          {resultDataset && (
            <a class="button" href={resultDataset.url} download={resultDataset.fileName}>
              The {count(resultDataset.rows)} rows behind this story (CSV)
            </a>
          )}
        </p>
      </section>
      <button type="button" class="link-button" onClick={onBack}>
        ← Back to the three stories
      </button>
    </article>
  );
}
