/** Headless Chromium for the tests: render a file, read back a PNG's size and whether it shows anything. */
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
  return requireCommand('chromium', 'headless Chromium (Debian package chromium)');
}

export const headlessArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars'];

/** Width, height and the number of distinct byte values in the inflated image data (a blank page has very few). */
export function pngSummary(png: Uint8Array): { width: number; height: number; distinctBytes: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((b, i) => png[i] === b)) throw new Error('not a PNG');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let width = 0;
  let height = 0;
  const idat: Uint8Array[] = [];
  for (let off = 8; off + 8 <= png.length; ) {
    const length = view.getUint32(off);
    const type = String.fromCharCode(...png.subarray(off + 4, off + 8));
    const data = png.subarray(off + 8, off + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(off + 8);
      height = view.getUint32(off + 12);
    } else if (type === 'IDAT') idat.push(data);
    off += 12 + length;
  }
  const pixels = inflateSync(Buffer.concat(idat));
  const seen = new Set<number>();
  for (const b of pixels) seen.add(b);
  return { width, height, distinctBytes: seen.size };
}
