// Worker thread for `raster-pool.ts`: SVG → PNG with resvg, parse, render and PNG encoding all off the
// main thread. Plain JavaScript on purpose: it needs no TypeScript loader, so it starts in milliseconds.
import { parentPort } from 'node:worker_threads';
import { Resvg } from '@resvg/resvg-js';

parentPort.on('message', ({ id, svg, options }) => {
  try {
    const png = new Resvg(svg, options).render().asPng();
    parentPort.postMessage({ id, png }, [png.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
