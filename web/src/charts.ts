// Interactive charts: the server's Vega-Lite spec rendered to SVG in the page, with tooltips.
// Loaded on demand (vega is most of the page's weight).
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface ChartSize {
  /** Drawing width in chart pixels; the SVG is then scaled by CSS to its box. */
  width: number;
  height: number;
  /** Drop the chart's own title and subtitle (a story card shows its title next to it). */
  withoutTitle?: boolean;
}

let tooltipElement: HTMLDivElement | null = null;

function tooltipBox(): HTMLDivElement {
  if (!tooltipElement) {
    tooltipElement = document.createElement('div');
    tooltipElement.className = 'chart-tooltip';
    tooltipElement.setAttribute('role', 'tooltip');
    document.body.append(tooltipElement);
  }
  return tooltipElement;
}

const formatValue = (value: unknown) =>
  typeof value === 'number' ? value.toLocaleString('en', { maximumFractionDigits: 3 }) : String(value);

/** Vega's tooltip hook. Values are CSV text: written with textContent only. */
function showTooltip(_handler: unknown, event: MouseEvent, _item: unknown, value: unknown) {
  const box = tooltipBox();
  if (value === null || value === undefined || value === '') {
    box.hidden = true;
    return;
  }
  box.replaceChildren();
  if (typeof value === 'object') {
    for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
      const row = document.createElement('div');
      const name = document.createElement('span');
      name.className = 'chart-tooltip-key';
      name.textContent = `${key}: `;
      row.append(name, formatValue(entry));
      box.append(row);
    }
  } else box.textContent = formatValue(value);
  box.hidden = false;
  const margin = 14;
  const { innerWidth, innerHeight } = window;
  const rect = box.getBoundingClientRect();
  const x =
    event.clientX + margin + rect.width > innerWidth ? event.clientX - margin - rect.width : event.clientX + margin;
  const y =
    event.clientY + margin + rect.height > innerHeight ? event.clientY - margin - rect.height : event.clientY + margin;
  box.style.left = `${Math.max(4, x)}px`;
  box.style.top = `${Math.max(4, y)}px`;
}

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The spec and every unit inside its layers and concatenations. */
function units(spec: Node): Node[] {
  const nested = ['layer', 'concat', 'hconcat', 'vconcat'].flatMap((key) =>
    Array.isArray(spec[key]) ? (spec[key] as unknown[]).filter(isNode).flatMap(units) : [],
  );
  return isNode(spec['spec']) ? [spec, ...nested, ...units(spec['spec'])] : [spec, ...nested];
}

const d3Format = /format\(\(?datum\.value\)?, "([^"]+)"\)/;

/**
 * Tooltips named like the axes: each data mark shows its x, y and legend fields under the axis or legend
 * title, numbers formatted like the axis labels. Internal helper fields (unnamed legends, `_` fields) stay out.
 */
function addTooltips(spec: Node) {
  const titles = new Map<string, string>();
  const percentChannels = new Set<string>();
  for (const unit of units(spec)) {
    for (const [channel, def] of Object.entries(isNode(unit['encoding']) ? unit['encoding'] : {})) {
      if (!isNode(def) || typeof def['field'] !== 'string') continue;
      const guide = isNode(def['axis']) ? def['axis'] : isNode(def['legend']) ? def['legend'] : {};
      const title = def['title'] ?? guide['title'];
      if (typeof title === 'string' && !titles.has(def['field'])) titles.set(def['field'], title);
      const format = typeof guide['labelExpr'] === 'string' ? d3Format.exec(guide['labelExpr'])?.[1] : guide['format'];
      if (typeof format === 'string' && format.endsWith('%')) percentChannels.add(channel);
    }
  }
  for (const unit of units(spec)) {
    const encoding = unit['encoding'];
    const mark = isNode(unit['mark']) ? unit['mark']['type'] : unit['mark'];
    if (!isNode(encoding) || encoding['tooltip'] !== undefined || mark === 'text') continue;
    const tooltip = [];
    for (const channel of ['x', 'y', 'color', 'size', 'theta']) {
      const def = encoding[channel];
      if (!isNode(def) || typeof def['field'] !== 'string' || def['field'].startsWith('_')) continue;
      if ((channel === 'color' || channel === 'size') && def['legend'] === null) continue;
      const entry: Node = { field: def['field'], type: def['type'], title: titles.get(def['field']) ?? def['field'] };
      for (const key of ['aggregate', 'timeUnit', 'bin']) if (def[key] !== undefined) entry[key] = def[key];
      if (def['type'] === 'quantitative') entry['format'] = percentChannels.has(channel) ? '.1%' : ',.6~r';
      tooltip.push(entry);
    }
    if (tooltip.length > 0) encoding['tooltip'] = tooltip;
  }
}

function prepare(spec: Record<string, unknown>, size: ChartSize): TopLevelSpec {
  const copy = structuredClone(spec);
  copy['width'] = size.width;
  copy['height'] = size.height;
  copy['autosize'] = { type: 'fit', contains: 'padding' };
  if (size.withoutTitle) {
    delete copy['title'];
    // A thumbnail has no room for every category label: let vega drop the ones that would collide.
    const config = isNode(copy['config']) ? copy['config'] : {};
    config['axis'] = { ...(isNode(config['axis']) ? config['axis'] : {}), labelOverlap: 'greedy' };
    copy['config'] = config;
  }
  addTooltips(copy);
  return copy as unknown as TopLevelSpec;
}

/** Draws the chart into `element`; the returned function releases it. */
export async function renderChart(
  element: HTMLElement,
  spec: Record<string, unknown>,
  size: ChartSize,
): Promise<() => void> {
  const vegaSpec = compile(prepare(spec, size)).spec;
  const view = new View(parse(vegaSpec), { renderer: 'svg', container: element, hover: true });
  view.tooltip(showTooltip);
  await view.runAsync();
  const svg = element.querySelector('svg');
  svg?.setAttribute('focusable', 'false');
  svg?.setAttribute('aria-hidden', 'true');
  return () => {
    view.finalize();
    if (tooltipElement) tooltipElement.hidden = true;
  };
}
