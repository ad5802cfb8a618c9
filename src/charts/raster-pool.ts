import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ResvgRenderOptions } from '@resvg/resvg-js';

interface Task {
  id: number;
  svg: string;
  options: ResvgRenderOptions;
  resolve: (png: Uint8Array) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
}

/**
 * Rasterizes SVGs on worker threads, one chart per worker at a time. resvg's own `renderAsync` renders on
 * the libuv pool but encodes the PNG on the calling thread (~20 ms of a chart's ~45); here the main thread
 * only lays out charts with vega while the workers draw and encode the previous ones.
 * Workers start on first use, keep the process alive only while they draw, and are replaced if one dies.
 */
export class RasterPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 0;

  constructor(private readonly size = Math.max(1, Math.min(2, availableParallelism()))) {}

  rasterize(svg: string, options: ResvgRenderOptions): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, svg, options, resolve, reject });
      this.dispatch();
    });
  }

  /** Starts the workers ahead of the first chart (their start-up then overlaps other work). */
  warm(): void {
    while (this.slots.length < this.size) this.slots.push(this.spawn());
  }

  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    this.warm();
    for (const slot of this.slots) {
      if (slot.task) continue;
      const task = this.queue.shift();
      if (!task) return;
      slot.task = task;
      slot.worker.ref();
      slot.worker.postMessage({ id: task.id, svg: task.svg, options: task.options });
    }
  }

  private spawn(): Slot {
    const worker = new Worker(new URL('./raster-worker.mjs', import.meta.url));
    const slot: Slot = { worker, task: null };
    worker.on('message', (message: { id: number; png?: Uint8Array; error?: string }) => {
      const task = slot.task;
      if (!task || task.id !== message.id) return;
      slot.task = null;
      slot.worker.unref();
      if (message.png) task.resolve(message.png);
      else task.reject(new Error(`could not rasterize the chart: ${message.error}`));
      this.dispatch();
    });
    const replace = (error: Error) => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      slot.task?.reject(error);
      slot.task = null;
      if (this.queue.length > 0) this.dispatch();
    };
    worker.on('error', replace);
    worker.on('exit', (code) => replace(new Error(`the chart rasterizer stopped (exit code ${code})`)));
    // After the listeners: adding a 'message' listener refs the worker again.
    worker.unref();
    return slot;
  }
}
