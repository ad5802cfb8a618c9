import { inflateSync } from 'node:zlib';

/**
 * Just enough PNG reading to check our own output: the size from IHDR, and the pixels of an 8-bit
 * RGBA or RGB, non-interlaced image (what resvg writes) so tests can compare renders pixel by pixel.
 */

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngSize {
  width: number;
  height: number;
}

export interface DecodedPng extends PngSize {
  /** Row-major RGBA, 4 bytes per pixel. */
  rgba: Uint8Array;
}

interface Chunk {
  type: string;
  data: Buffer;
}

function* chunks(png: Uint8Array): Generator<Chunk> {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (!bytes.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: bad signature');
  let offset = 8;
  while (offset + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    yield { type, data: bytes.subarray(offset + 8, offset + 8 + length) };
    offset += 12 + length;
  }
}

export function readPngSize(png: Uint8Array): PngSize {
  for (const chunk of chunks(png)) {
    if (chunk.type === 'IHDR') return { width: chunk.data.readUInt32BE(0), height: chunk.data.readUInt32BE(4) };
  }
  throw new Error('not a PNG: no IHDR chunk');
}

export function decodePng(png: Uint8Array): DecodedPng {
  let header: Buffer | undefined;
  const compressed: Buffer[] = [];
  for (const chunk of chunks(png)) {
    if (chunk.type === 'IHDR') header = chunk.data;
    else if (chunk.type === 'IDAT') compressed.push(chunk.data);
  }
  if (!header) throw new Error('not a PNG: no IHDR chunk');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const bitDepth = header[8];
  const colorType = header[9];
  const interlace = header[12];
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
  if (bitDepth !== 8 || channels === 0 || interlace !== 0) {
    throw new Error(`unsupported PNG: bit depth ${bitDepth}, colour type ${colorType}, interlace ${interlace}`);
  }
  const raw = inflateSync(Buffer.concat(compressed));
  const stride = width * channels;
  const pixels = unfilter(raw, stride, height, channels);
  const rgba = new Uint8Array(width * height * 4);
  for (let pixel = 0; pixel < width * height; pixel++) {
    for (let channel = 0; channel < 4; channel++) {
      rgba[pixel * 4 + channel] = channel < channels ? pixels[pixel * channels + channel]! : 255;
    }
  }
  return { width, height, rgba };
}

/** Undo the per-row filters (none, sub, up, average, Paeth) of PNG section 9. */
function unfilter(raw: Buffer, stride: number, height: number, bytesPerPixel: number): Uint8Array {
  const out = new Uint8Array(stride * height);
  for (let row = 0; row < height; row++) {
    const filter = raw[row * (stride + 1)];
    const source = row * (stride + 1) + 1;
    const target = row * stride;
    for (let index = 0; index < stride; index++) {
      const value = raw[source + index]!;
      const left = index >= bytesPerPixel ? out[target + index - bytesPerPixel]! : 0;
      const up = row > 0 ? out[target - stride + index]! : 0;
      const upLeft = row > 0 && index >= bytesPerPixel ? out[target - stride + index - bytesPerPixel]! : 0;
      let predictor: number;
      switch (filter) {
        case 0:
          predictor = 0;
          break;
        case 1:
          predictor = left;
          break;
        case 2:
          predictor = up;
          break;
        case 3:
          predictor = (left + up) >>> 1;
          break;
        case 4:
          predictor = paeth(left, up, upLeft);
          break;
        default:
          throw new Error(`bad PNG filter type ${filter} in row ${row}`);
      }
      out[target + index] = (value + predictor) & 0xff;
    }
  }
  return out;
}

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const toLeft = Math.abs(estimate - left);
  const toUp = Math.abs(estimate - up);
  const toUpLeft = Math.abs(estimate - upLeft);
  if (toLeft <= toUp && toLeft <= toUpLeft) return left;
  return toUp <= toUpLeft ? up : upLeft;
}

/** How many pixels differ between two decoded images of the same size (any channel by more than `tolerance`). */
export function countDifferentPixels(a: DecodedPng, b: DecodedPng, tolerance = 8): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error('images differ in size');
  let different = 0;
  for (let offset = 0; offset < a.rgba.length; offset += 4) {
    for (let channel = 0; channel < 4; channel++) {
      if (Math.abs(a.rgba[offset + channel]! - b.rgba[offset + channel]!) > tolerance) {
        different++;
        break;
      }
    }
  }
  return different;
}
