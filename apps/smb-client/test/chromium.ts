/**
 * Headless Chromium for the trace tests: find it (or fail saying how to install it), and read
 * back the PNG it writes — its size from IHDR and its pixels, unfiltered with node:zlib and
 * the five PNG filters, so a test can tell a drawn diagram from a blank page.
 */
import { inflateSync } from 'node:zlib';
import { requireCommand } from '@postntlm/interop';

/** Chromium's path, or a failure that says how to install it. */
export function findChromium(): string {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return requireCommand(name, 'headless Chromium');
    } catch {
      // try the next name
    }
  }
  return requireCommand(
    'chromium',
    'headless Chromium (apt-get install -y chromium fonts-dejavu-core, or tooling/interop/install-peers.sh)',
  );
}

export const headlessArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars'];

export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  /** Red, green, blue of the pixel at (x, y). */
  rgb(x: number, y: number): readonly [number, number, number];
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium's --screenshot writes). */
export function decodePng(png: Uint8Array): DecodedPng {
  if (!PNG_SIGNATURE.every((b, i) => png[i] === b)) throw new Error('not a PNG (signature)');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Uint8Array[] = [];
  for (let off = 8; off + 8 <= png.length; ) {
    const length = view.getUint32(off);
    const type = String.fromCharCode(...png.subarray(off + 4, off + 8));
    if (type === 'IHDR') {
      width = view.getUint32(off + 8);
      height = view.getUint32(off + 12);
      const [depth, colorType, , , interlace] = png.subarray(off + 16, off + 21);
      if (depth !== 8 || interlace !== 0 || (colorType !== 2 && colorType !== 6))
        throw new Error(`unsupported PNG: depth ${depth}, color type ${colorType}, interlace ${interlace}`);
      channels = colorType === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(png.subarray(off + 8, off + 8 + length));
    off += 12 + length;
  }
  if (channels === 0) throw new Error('PNG without IHDR');
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] as number;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? (pixels[y * stride + i - channels] as number) : 0;
      const b = y > 0 ? (pixels[(y - 1) * stride + i] as number) : 0;
      const c = y > 0 && i >= channels ? (pixels[(y - 1) * stride + i - channels] as number) : 0;
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
      if (predictor === undefined) throw new Error(`PNG filter ${filter} unknown`);
      pixels[y * stride + i] = ((line[i] as number) + predictor) & 0xff;
    }
  }
  return {
    width,
    height,
    rgb(x, y) {
      const at = y * stride + x * channels;
      return [pixels[at] as number, pixels[at + 1] as number, pixels[at + 2] as number];
    },
  };
}

/** How much of the image is drawn on: the share of pixels that are not white, and of dark ones (text, arrows). */
export function inkCoverage(image: DecodedPng): { nonWhite: number; dark: number } {
  let nonWhite = 0;
  let dark = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const [r, g, b] = image.rgb(x, y);
      if (r < 250 || g < 250 || b < 250) nonWhite += 1;
      if (r + g + b < 3 * 100) dark += 1;
    }
  }
  const all = image.width * image.height;
  return { nonWhite: nonWhite / all, dark: dark / all };
}

/** The share of pixels within `tolerance` of `colour` in every channel. */
export function colourShare(
  image: DecodedPng,
  colour: readonly [number, number, number],
  tolerance = 6,
): number {
  let hits = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const px = image.rgb(x, y);
      if (px.every((v, i) => Math.abs(v - (colour[i] as number)) <= tolerance)) hits += 1;
    }
  }
  return hits / (image.width * image.height);
}
