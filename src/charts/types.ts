/** How a measure's values read: the engine decides, the chart turns it into axis and label formats. */
export interface ValueFormat {
  kind: 'number' | 'integer' | 'currency' | 'percent';
  /** Currency symbol shown before values (`$`, `€`, `£`), when kind is currency. */
  currency?: string;
  /**
   * For percent: whether 45 means 45% (`'points'`, values as written in a `45.2%` column)
   * or 0.45 means 45% (`'fraction'`, shares and rates we compute).
   */
  percentScale?: 'points' | 'fraction';
  /** What one unit of the values is worth (1e6 for money written in millions): labels show the real amount. */
  scale?: number;
}

/** A chart ready to render: the Vega-Lite spec (kept so the web page can draw it interactively) and its text alternative. */
export interface ChartSpec {
  /** A complete Vega-Lite spec including the theme `config`, width 1500 and height 900. */
  vegaLite: Record<string, unknown>;
  /** One sentence a screen reader can say instead of the chart: the claim it shows. */
  alt: string;
  /** Chart family for the story's `chartTypes` (bar, line, scatter, pareto, small-multiples, histogram, …). */
  type: string;
  title: string;
  /** Context line under the title, when the builder was given one. */
  subtitle?: string;
}

export interface RenderedChart {
  svg: string;
  png: Uint8Array;
}
