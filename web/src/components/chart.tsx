import { useEffect, useRef, useState } from 'preact/hooks';

export interface ChartProps {
  /** The Vega-Lite spec, or where to fetch it. */
  spec?: Record<string, unknown>;
  specUrl?: string;
  /** The rendered PNG: shown until the interactive chart is drawn, and instead of it if drawing fails. */
  pngUrl?: string;
  /** The claim the chart shows, read out by screen readers. */
  alt: string;
  variant: 'story' | 'card';
}

/**
 * Chart pixels to draw at. A story chart keeps the server's 1500×900 layout (titles and labels were fitted
 * to it); on a phone it scrolls sideways rather than shrinking its text to nothing. A card shows a thumbnail.
 */
const drawingSize = (variant: ChartProps['variant']) =>
  variant === 'card' ? { width: 720, height: 450, withoutTitle: true } : { width: 1500, height: 900 };

export function Chart({ spec, specUrl, pngUrl, alt, variant }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'drawn' | 'failed'>('loading');

  useEffect(() => {
    let release: (() => void) | undefined;
    let cancelled = false;
    (async () => {
      try {
        const chartSpec =
          spec ?? (specUrl ? ((await (await fetch(specUrl)).json()) as Record<string, unknown>) : undefined);
        if (!chartSpec) throw new Error('no spec');
        const { renderChart } = await import('../charts.ts');
        if (cancelled || !box.current) return;
        release = await renderChart(box.current, chartSpec, drawingSize(variant));
        if (cancelled) release();
        else setState('drawn');
      } catch {
        if (!cancelled) setState('failed');
      }
    })();
    return () => {
      cancelled = true;
      release?.();
    };
  }, [spec, specUrl, variant]);

  return (
    <div
      class={`chart chart-${variant}`}
      role="img"
      aria-label={alt}
      data-state={state}
      // A story chart may scroll sideways on a phone: focusable, so the keyboard can scroll it too.
      tabIndex={variant === 'story' ? 0 : undefined}
    >
      <div class="chart-drawing" ref={box} hidden={state !== 'drawn'} />
      {state !== 'drawn' &&
        (pngUrl ? (
          <img src={pngUrl} alt="" class="chart-fallback" />
        ) : (
          <p class="chart-placeholder">{state === 'failed' ? alt : 'Drawing the chart…'}</p>
        ))}
    </div>
  );
}
